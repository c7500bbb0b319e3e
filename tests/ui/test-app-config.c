/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for what the program tells the pages module: command line, else settings, else defaults. */
#include "config.h"

#include <gio/gio.h>

#include "eimza-app-config.h"

typedef struct
{
  GSettings *settings;
  EimzaAppConfig *config;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  /* GSETTINGS_BACKEND=memory: each test starts from the schema's defaults. */
  fixture->settings = g_settings_new (APPLICATION_ID);
  fixture->config = eimza_app_config_new ();
  g_object_add_weak_pointer (G_OBJECT (fixture->config), (gpointer *) &fixture->config);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *keys[] = { "portal-profile", "portal-url", "portal-ca-file", "eonay-url",
                         "pkcs11-module-path" };

  g_object_unref (fixture->config);
  g_assert_null (fixture->config);

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (fixture->settings, keys[i]);
  g_clear_object (&fixture->settings);
}

/* Neither the command line nor the settings name a portal: Kamu SM's. */
static void
test_defaults (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *profile = eimza_app_config_dup_portal_profile (fixture->config);
  g_autofree char *url = eimza_app_config_dup_portal_url (fixture->config);
  g_autofree char *ca_file = eimza_app_config_dup_portal_ca_file (fixture->config);
  g_autofree char *eonay_url = eimza_app_config_dup_eonay_url (fixture->config);
  g_autofree char *module = eimza_app_config_dup_pkcs11_module (fixture->config);

  g_assert_cmpstr (profile, ==, "kamusm");
  g_assert_null (url);
  g_assert_null (ca_file);
  g_assert_null (eonay_url);
  g_assert_null (module);
  g_assert_false (eimza_app_config_get_demo (fixture->config));
  g_assert_null (eimza_app_config_get_demo_pkcs11_module (fixture->config));
  g_assert_false (eimza_app_config_get_virtual_card (fixture->config));
}

/* An empty setting is no setting; the profile still has its default. */
static void
test_empty_setting (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *profile = NULL;

  g_settings_set_string (fixture->settings, "portal-profile", "");
  profile = eimza_app_config_dup_portal_profile (fixture->config);

  g_assert_cmpstr (profile, ==, "kamusm");
}

/* The settings count when the command line says nothing, each time a value
 * is read (a setting changed while the application runs counts next time). */
static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *profile = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *eonay_url = NULL;
  g_autofree char *later = NULL;

  g_settings_set_string (fixture->settings, "portal-profile", "simulator");
  g_settings_set_string (fixture->settings, "portal-url", "https://portal.example/");
  g_settings_set_string (fixture->settings, "portal-ca-file", "/etc/ca.pem");
  g_settings_set_string (fixture->settings, "eonay-url", "https://nes.example/");

  profile = eimza_app_config_dup_portal_profile (fixture->config);
  url = eimza_app_config_dup_portal_url (fixture->config);
  ca_file = eimza_app_config_dup_portal_ca_file (fixture->config);
  eonay_url = eimza_app_config_dup_eonay_url (fixture->config);
  g_assert_cmpstr (profile, ==, "simulator");
  g_assert_cmpstr (url, ==, "https://portal.example/");
  g_assert_cmpstr (ca_file, ==, "/etc/ca.pem");
  g_assert_cmpstr (eonay_url, ==, "https://nes.example/");

  g_settings_set_string (fixture->settings, "portal-url", "https://other.example/");
  later = eimza_app_config_dup_portal_url (fixture->config);
  g_assert_cmpstr (later, ==, "https://other.example/");
}

/* The command line wins over the settings. */
static void
test_command_line (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *profile = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *eonay_url = NULL;
  g_autofree char *module = NULL;

  g_settings_set_string (fixture->settings, "portal-profile", "kamusm");
  g_settings_set_string (fixture->settings, "portal-url", "https://portal.example/");
  g_settings_set_string (fixture->settings, "pkcs11-module-path", "/usr/lib/from-settings.so");
  eimza_app_config_set_portal (fixture->config, "/tmp/profile.ini", "https://cli.example/",
                               "/tmp/ca.pem", NULL);
  eimza_app_config_set_pkcs11_module (fixture->config, "/usr/lib/from-cli.so");

  profile = eimza_app_config_dup_portal_profile (fixture->config);
  url = eimza_app_config_dup_portal_url (fixture->config);
  ca_file = eimza_app_config_dup_portal_ca_file (fixture->config);
  eonay_url = eimza_app_config_dup_eonay_url (fixture->config);
  module = eimza_app_config_dup_pkcs11_module (fixture->config);
  g_assert_cmpstr (profile, ==, "/tmp/profile.ini");
  g_assert_cmpstr (url, ==, "https://cli.example/");
  g_assert_cmpstr (ca_file, ==, "/tmp/ca.pem");
  g_assert_null (eonay_url);
  g_assert_cmpstr (module, ==, "/usr/lib/from-cli.so");
}

/* Şifreli Giriş's address comes from the command line only; unset (or
 * empty) it is the NES site's own. */
static void
test_sifreli_url (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *unset = eimza_app_config_dup_sifreli_url (fixture->config);
  g_autofree char *empty = NULL;
  g_autofree char *url = NULL;

  g_assert_null (unset);
  eimza_app_config_set_sifreli_url (fixture->config, "");
  empty = eimza_app_config_dup_sifreli_url (fixture->config);
  g_assert_null (empty);
  eimza_app_config_set_sifreli_url (fixture->config, "https://127.0.0.1:8444/");
  url = eimza_app_config_dup_sifreli_url (fixture->config);
  g_assert_cmpstr (url, ==, "https://127.0.0.1:8444/");
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* The PKCS#11 module's setting is followed while the application runs. */
static void
test_pkcs11_module_followed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *cleared = NULL;
  guint notified = 0;

  g_signal_connect (fixture->config, "notify::pkcs11-module",
                    G_CALLBACK (count_notify_cb), &notified);

  before = eimza_app_config_dup_pkcs11_module (fixture->config);
  g_assert_null (before);

  g_settings_set_string (fixture->settings, "pkcs11-module-path", "/usr/lib/libakisp11.so");
  g_assert_cmpuint (notified, ==, 1);
  after = eimza_app_config_dup_pkcs11_module (fixture->config);
  g_assert_cmpstr (after, ==, "/usr/lib/libakisp11.so");

  g_settings_set_string (fixture->settings, "pkcs11-module-path", "");
  g_assert_cmpuint (notified, ==, 2);
  cleared = eimza_app_config_dup_pkcs11_module (fixture->config);
  g_assert_null (cleared);
}

/* With --pkcs11-module the setting does not count, nor its changes. */
static void
test_pkcs11_module_command_line (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *module = NULL;
  guint notified = 0;

  eimza_app_config_set_pkcs11_module (fixture->config, "/opt/card/p11.so");
  g_signal_connect (fixture->config, "notify::pkcs11-module",
                    G_CALLBACK (count_notify_cb), &notified);

  g_free (eimza_app_config_dup_portal_profile (fixture->config));
  g_settings_set_string (fixture->settings, "pkcs11-module-path", "/usr/lib/libakisp11.so");
  module = eimza_app_config_dup_pkcs11_module (fixture->config);

  g_assert_cmpstr (module, ==, "/opt/card/p11.so");
  g_assert_cmpuint (notified, ==, 0);
}

/* The demo's facts: its portal replaces the settings' and its only module
 * is the card's. */
static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *profile = NULL;

  g_settings_set_string (fixture->settings, "portal-profile", "kamusm");
  eimza_app_config_set_portal (fixture->config, "simulator", "https://127.0.0.1:1/", NULL, NULL);
  eimza_app_config_set_demo (fixture->config, "/usr/lib/softhsm/libsofthsm2.so", TRUE);

  profile = eimza_app_config_dup_portal_profile (fixture->config);
  g_assert_cmpstr (profile, ==, "simulator");
  g_assert_true (eimza_app_config_get_demo (fixture->config));
  g_assert_cmpstr (eimza_app_config_get_demo_pkcs11_module (fixture->config), ==,
                   "/usr/lib/softhsm/libsofthsm2.so");
  g_assert_true (eimza_app_config_get_virtual_card (fixture->config));

  /* A demo without a card: no module at all, and no virtual card. */
  eimza_app_config_set_demo (fixture->config, NULL, FALSE);
  g_assert_null (eimza_app_config_get_demo_pkcs11_module (fixture->config));
  g_assert_false (eimza_app_config_get_virtual_card (fixture->config));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/ui/app-config/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("defaults", test_defaults);
  ADD ("empty-setting", test_empty_setting);
  ADD ("settings", test_settings);
  ADD ("command-line", test_command_line);
  ADD ("pkcs11-module-followed", test_pkcs11_module_followed);
  ADD ("pkcs11-module-command-line", test_pkcs11_module_command_line);
  ADD ("demo", test_demo);
  ADD ("sifreli-url", test_sifreli_url);

#undef ADD

  return g_test_run ();
}
