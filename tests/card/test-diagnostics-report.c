/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shareable diagnostics report: no names, home directories or module texts. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "eimza-diagnostics-report.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-pkcs11-token.h"
#include "softhsm-fixture.h"

/*
 * Real modules from a real EimzaPkcs11: the card tests' token behind the
 * PIN policy module, which gives it a person's name as its label and lies
 * under a home directory, and a broken "AKİS module" under another
 * person's home, whose loader message quotes its path. HOME points into
 * the test's directory before GLib reads it.
 */

#define HOLDER_LABEL "AYŞE YILMAZ"
#define HOME_USER "ayse.yilmaz"
#define OTHER_USER "mehmet.oz"

static char *work_dir;

static char *
make_dir (const char *first,
          ...)
{
  va_list args;
  g_autofree char *tail = NULL;
  char *path;

  va_start (args, first);
  tail = g_build_filename_valist (first, &args);
  va_end (args);
  path = g_build_filename (work_dir, tail, NULL);
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  return path;
}

static GPtrArray *
list_modules (void)
{
  g_autofree char *home_lib = make_dir ("home", HOME_USER, ".local", "lib", NULL);
  g_autofree char *vendor_dir = make_dir ("home", OTHER_USER, "akis", NULL);
  g_autofree char *module = g_build_filename (home_lib, "kart-modulu.so", NULL);
  g_autofree char *broken = g_build_filename (vendor_dir, EIMZA_PKCS11_VENDOR_MODULE, NULL);
  g_autofree char *contents = NULL;
  const char *vendor_dirs[] = { vendor_dir, NULL };
  g_autoptr(EimzaPkcs11) pkcs11 = eimza_pkcs11_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *modules;
  gsize length;

  g_file_get_contents (softhsm_fixture_pin_policy_module (), &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (module, contents, length, &error);
  g_assert_no_error (error);
  g_file_set_contents (broken, "not a library", -1, &error);
  g_assert_no_error (error);

  eimza_pkcs11_set_use_registered (pkcs11, FALSE);
  eimza_pkcs11_set_vendor_dirs (pkcs11, vendor_dirs);
  eimza_pkcs11_set_extra_module (pkcs11, module);
  modules = eimza_pkcs11_list_modules (pkcs11, &error);
  g_assert_no_error (error);
  return modules;
}

/* What the dialog writes: module paths as titles, token labels quoted, a
 * module's error, an error message with a token URI, a T.C. Kimlik No. */
static char *
raw_report (GPtrArray *modules)
{
  GString *report = g_string_new ("Result: The PIN of the card “" HOLDER_LABEL "” is locked\n");
  gboolean labelled = FALSE;
  gboolean failed = FALSE;

  for (guint i = 0; i < modules->len; i++)
    {
      EimzaPkcs11Module *module = g_ptr_array_index (modules, i);
      GPtrArray *tokens = eimza_pkcs11_module_get_tokens (module);
      const char *message = eimza_pkcs11_module_get_error_message (module);

      g_string_append_printf (report, "  - %s: %s\n", eimza_pkcs11_module_get_path (module),
                              message != NULL ? message : "loaded");
      failed |= message != NULL && strstr (message, OTHER_USER) != NULL;
      for (guint j = 0; j < tokens->len; j++)
        {
          const char *label = eimza_pkcs11_token_get_label (g_ptr_array_index (tokens, j));

          g_string_append_printf (report, "    - Token “%s”: normal\n", label);
          labelled |= g_strcmp0 (label, HOLDER_LABEL) == 0;
        }
    }
  g_string_append (report, "  - Certificates: pkcs11:token=AY%C5%9EE%20YILMAZ;type=cert "
                           "not found (10000000146)\n");

  /* The fixture is what the test means it to be. */
  g_assert_true (labelled);
  g_assert_true (failed);
  return g_string_free (report, FALSE);
}

static void
test_shareable (void)
{
  g_autoptr(GPtrArray) modules = list_modules ();
  g_autofree char *raw = raw_report (modules);
  g_autofree char *shared = eimza_diagnostics_report_make_shareable (raw, modules);

  g_test_message ("%s", shared);
  g_assert_null (strstr (shared, "AYŞE"));
  g_assert_null (strstr (shared, "YILMAZ"));
  g_assert_null (strstr (shared, "AY%C5%9EE"));
  g_assert_null (strstr (shared, HOME_USER));
  g_assert_null (strstr (shared, OTHER_USER));
  g_assert_null (strstr (shared, "10000000146"));
  /* The loader's own words are gone, the status stays. */
  g_assert_null (strstr (shared, "not a library"));
  g_assert_null (strstr (shared, "ELF"));
  g_assert_nonnull (strstr (shared, "could not be loaded"));

  g_assert_nonnull (strstr (shared, "card “card 1” is locked"));
  g_assert_nonnull (strstr (shared, "Token “card 1”"));
  g_assert_nonnull (strstr (shared, "~/.local/lib/kart-modulu.so"));
  g_assert_nonnull (strstr (shared, "/home/…/akis"));
}

/* Nothing to hide: the report is unchanged. */
static void
test_plain_unchanged (void)
{
  const char *report = "E-Signature Assistant: card diagnostics\n  - pcscd: running\n";
  g_autofree char *shared = eimza_diagnostics_report_make_shareable (report, NULL);

  g_assert_cmpstr (shared, ==, report);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_dir = g_dir_make_tmp ("test-diagnostics-report-XXXXXX", NULL);
  g_assert_nonnull (work_dir);
  /* Before anything asks GLib for the home directory. */
  home = g_build_filename (work_dir, "home", HOME_USER, NULL);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("EIMZA_PIN_POLICY_LABEL", HOLDER_LABEL, TRUE);

  g_test_add_func ("/card/diagnostics-report/plain-unchanged", test_plain_unchanged);
  if (softhsm_fixture_init ())
    g_test_add_func ("/card/diagnostics-report/no-personal-data", test_shareable);

  status = g_test_run ();

  softhsm_fixture_cleanup ();
  {
    const char *rm[] = { "rm", "-rf", work_dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                  NULL);
  }
  g_free (work_dir);
  return status;
}
