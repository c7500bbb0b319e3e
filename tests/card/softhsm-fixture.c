/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SoftHSM2 test token and the openssl checks shared by the PKCS#11 tests. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "softhsm-fixture.h"

#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"

static char *fixture_dir;
static gboolean fixture_owner;

static void
run_checked (const char * const *argv,
             const char         *working_dir,
             char              **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *standard_error = NULL;
  int status = 0;

  g_spawn_sync (working_dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                out, &standard_error, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], standard_error);
}

gboolean
softhsm_fixture_init (void)
{
  static const char * const tools[] = { "softhsm2-util", "certtool", "p11tool", "openssl",
                                        "tar", NULL };
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  const char *existing = g_getenv ("EIMZA_TEST_FIXTURE_DIR");

  if (existing != NULL)
    {
      fixture_dir = g_strdup (existing);
      return TRUE;
    }

  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        return FALSE;
    }
  if (!g_file_test (SOFTHSM_MODULE, G_FILE_TEST_EXISTS))
    return FALSE;

  fixture_dir = g_dir_make_tmp ("eimza-pkcs11-XXXXXX", &error);
  g_assert_no_error (error);
  fixture_owner = TRUE;

  script = g_test_build_filename (G_TEST_DIST, "softhsm-setup.sh", NULL);
  {
    const char * const argv[] = { "/bin/sh", script, fixture_dir, NULL };

    run_checked (argv, NULL, NULL);
  }

  {
    g_autofree char *conf = g_build_filename (fixture_dir, "softhsm2.conf", NULL);
    g_autofree char *state = g_build_filename (fixture_dir, "pin-policy.state", NULL);

    g_setenv ("EIMZA_TEST_FIXTURE_DIR", fixture_dir, TRUE);
    g_setenv ("SOFTHSM2_CONF", conf, TRUE);
    g_setenv ("EIMZA_PIN_POLICY_STATE", state, TRUE);
  }

  return TRUE;
}

void
softhsm_fixture_cleanup (void)
{
  if (fixture_owner && fixture_dir != NULL)
    {
      const char * const argv[] = { "rm", "-rf", fixture_dir, NULL };

      run_checked (argv, NULL, NULL);
    }
  g_clear_pointer (&fixture_dir, g_free);
}

void
softhsm_fixture_restore (void)
{
  const char * const argv[] = { "/bin/sh", "-c",
                                "rm -rf tokens pin-policy.state && tar -xf tokens.tar", NULL };

  g_assert_nonnull (fixture_dir);
  run_checked (argv, fixture_dir, NULL);
}

const char *
softhsm_fixture_dir (void)
{
  return fixture_dir;
}

char *
softhsm_fixture_path (const char *name)
{
  return g_build_filename (fixture_dir, name, NULL);
}

GBytes *
softhsm_fixture_read (const char *name)
{
  g_autofree char *path = softhsm_fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

const char *
softhsm_fixture_pin_policy_module (void)
{
  const char *path = g_getenv ("EIMZA_PIN_POLICY_MODULE_PATH");

  g_assert_nonnull (path);
  return path;
}

/* The PIN policy module's state file, line by line ("name=value"). */
static guint
read_state_value (const char *name)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *prefix = g_strconcat (name, "=", NULL);
  const char *path = g_getenv ("EIMZA_PIN_POLICY_STATE");

  if (path == NULL || !g_file_get_contents (path, &contents, NULL, NULL))
    return 0;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return (guint) g_ascii_strtoull (lines[i] + strlen (prefix), NULL, 10);

  return 0;
}

/* Sets @name to @value in the state file, keeping the other lines. */
static void
write_state_value (const char *name,
                   guint       value)
{
  static const char * const names[] = { "failures", "logins", "set_pins", "so_failures",
                                        "so_logins", "init_pins", "so_allowed", "so_unasked" };
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_append_printf (contents, "%s=%u\n", names[i],
                            g_str_equal (names[i], name) ? value : read_state_value (names[i]));

  g_file_set_contents (g_getenv ("EIMZA_PIN_POLICY_STATE"), contents->str, -1, &error);
  g_assert_no_error (error);
}

guint
softhsm_fixture_pin_failures (void)
{
  return read_state_value ("failures");
}

guint
softhsm_fixture_login_calls (void)
{
  return read_state_value ("logins");
}

guint
softhsm_fixture_set_pin_calls (void)
{
  return read_state_value ("set_pins");
}

guint
softhsm_fixture_so_failures (void)
{
  return read_state_value ("so_failures");
}

guint
softhsm_fixture_so_login_calls (void)
{
  return read_state_value ("so_logins");
}

guint
softhsm_fixture_init_pin_calls (void)
{
  return read_state_value ("init_pins");
}

guint
softhsm_fixture_so_logins_unasked (void)
{
  return read_state_value ("so_unasked");
}

void
softhsm_fixture_allow_so_login (void)
{
  /* One try for this code, never a spare one for later. */
  write_state_value ("so_allowed", read_state_value ("so_logins") + 1);
}

void
softhsm_fixture_set_pin_failures (guint failures)
{
  g_autofree char *contents = g_strdup_printf ("failures=%u\nlogins=0\n", failures);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (g_getenv ("EIMZA_PIN_POLICY_STATE"), contents, -1, &error);
  g_assert_no_error (error);
}

void
softhsm_fixture_set_so_failures (guint failures)
{
  write_state_value ("so_failures", failures);
}

static char *
write_temp (const char *suffix,
            GBytes     *bytes)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("check-%d-%u.%s", (int) getpid (), counter++,
                                           suffix);
  char *path = softhsm_fixture_path (name);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
  return path;
}

void
softhsm_fixture_assert_openssl_verifies (GBytes   *cms,
                                         GBytes   *content,
                                         gboolean  detached)
{
  g_autofree char *cms_path = write_temp ("p7s", cms);
  g_autofree char *content_path = NULL;
  g_autofree char *out_path = softhsm_fixture_path ("openssl-out.bin");
  g_autofree char *ca_path = softhsm_fixture_path ("testca.pem");
  g_autofree char *printed = NULL;
  g_autofree char *out = NULL;
  gsize out_length = 0;

  if (detached)
    content_path = write_temp ("bin", content);

  {
    const char *argv[16];
    guint n = 0;

    argv[n++] = "openssl";
    argv[n++] = "cms";
    argv[n++] = "-verify";
    argv[n++] = "-binary";
    argv[n++] = "-inform";
    argv[n++] = "DER";
    argv[n++] = "-in";
    argv[n++] = cms_path;
    argv[n++] = "-CAfile";
    argv[n++] = ca_path;
    argv[n++] = "-out";
    argv[n++] = out_path;
    if (content_path != NULL)
      {
        argv[n++] = "-content";
        argv[n++] = content_path;
      }
    argv[n] = NULL;
    run_checked (argv, NULL, NULL);
  }

  /* openssl writes out the content it verified: for an enveloping
   * signature this proves the embedded content is the original. */
  g_assert_true (g_file_get_contents (out_path, &out, &out_length, NULL));
  g_assert_cmpmem (out, out_length, g_bytes_get_data (content, NULL), g_bytes_get_size (content));

  {
    const char * const argv[] = { "openssl", "cms", "-cmsout", "-print", "-inform", "DER",
                                  "-in", cms_path, NULL };

    run_checked (argv, NULL, &printed);
  }

  g_assert_nonnull (strstr (printed, "id-smime-aa-signingCertificateV2"));
  g_assert_nonnull (strstr (printed, "signingTime"));
  g_assert_nonnull (strstr (printed, "messageDigest"));
  g_assert_nonnull (strstr (printed, "contentType"));

  g_unlink (cms_path);
  g_unlink (out_path);
  if (content_path != NULL)
    g_unlink (content_path);
}
