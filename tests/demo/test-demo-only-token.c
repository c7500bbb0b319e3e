/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's card: its own token and no other, even with the person's card registered. */
#define _GNU_SOURCE /* unshare() */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <p11-kit/p11-kit.h>

#include "eimza-cades.h"
#include "eimza-certificate.h"
#include "eimza-demo.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-pkcs11-token.h"
#include "softhsm-fixture.h"

/*
 * The person's own card is played by the card tests' SoftHSM2 token
 * ("EIMZA TEST", same kind of qualified certificate as the demo's),
 * served by a second instance of SoftHSM2 (a copy of the library, with its
 * own configuration) behind the PIN policy module, which counts every
 * C_Login in a file. It is registered with p11-kit as a real card's module
 * is. p11-kit reads its module directory from a path compiled in, and
 * skips the user's configuration when run as root, so the test puts a
 * directory of its own over /usr/share/p11-kit/modules in a private mount
 * namespace (root only; skipped otherwise). Everything runs in a
 * subprocess: the namespace, GnuTLS's module list and SOFTHSM2_CONF are
 * per process.
 */

#define P11_KIT_MODULES_DIR "/usr/share/p11-kit/modules"
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define DEMO_LABEL "E-IMZA DEMO"

static gboolean
have_tools (void)
{
  static const char * const tools[] = { "certtool", "p11tool" };
  const char *sim = g_getenv ("EIMZA_PORTAL_SIM");

  if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("eimza-portal-sim is not built (EIMZA_PORTAL_SIM)");
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_test_skip_printf ("%s is missing: install gnutls-bin", tools[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
canonical (const char *path)
{
  char *resolved = realpath (path, NULL);
  char *copy;

  g_assert_nonnull (resolved);
  copy = g_strdup (resolved);
  free (resolved);
  return copy;
}

/* Whether a process may have a mount namespace of its own (tried in a
 * child, which leaves this process as it is). */
static gboolean
can_unshare_mounts (void)
{
  int status = 0;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (unshare (CLONE_NEWNS) == 0 ? 0 : 1);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* The person's card, registered with p11-kit in this process's own view
 * of /usr/share/p11-kit/modules. */
static void
register_persons_card (const char *work_dir)
{
  g_autofree char *modules_dir = g_build_filename (work_dir, "p11-kit-modules", NULL);
  g_autofree char *module_file = g_build_filename (modules_dir, "persons-card.module", NULL);
  g_autofree char *library = g_build_filename (work_dir, "libsofthsm2-persons-card.so", NULL);
  g_autofree char *real_softhsm = canonical (SOFTHSM_MODULE);
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (unshare (CLONE_NEWNS), ==, 0);
  g_assert_cmpint (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);

  /* A separate SoftHSM2 instance: the dynamic linker loads a copy anew. */
  g_file_get_contents (real_softhsm, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (library, contents, length, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_mkdir (modules_dir, 0755), ==, 0);
  text = g_strdup_printf ("module: %s\n", softhsm_fixture_pin_policy_module ());
  g_file_set_contents (module_file, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mount (modules_dir, P11_KIT_MODULES_DIR, NULL, MS_BIND, NULL), ==, 0);

  g_setenv ("EIMZA_PIN_POLICY_TARGET", library, TRUE);
  g_setenv ("EIMZA_PIN_POLICY_TARGET_SOFTHSM2_CONF", g_getenv ("SOFTHSM2_CONF"), TRUE);
}

/* The setup works: p11-kit does offer the person's card to whoever asks. */
static void
assert_persons_card_registered (void)
{
  CK_FUNCTION_LIST **modules = p11_kit_modules_load (NULL, 0);
  g_autofree char *wanted = canonical (softhsm_fixture_pin_policy_module ());
  gboolean found = FALSE;

  g_assert_nonnull (modules);
  for (guint i = 0; modules[i] != NULL; i++)
    {
      g_autofree char *filename = p11_kit_module_get_filename (modules[i]);

      found |= filename != NULL && g_strcmp0 (wanted, filename) == 0;
    }
  p11_kit_modules_release (modules);
  g_assert_true (found);
}

static void
assert_only_demo_module (GPtrArray  *modules,
                         const char *demo_module)
{
  g_autofree char *wanted = canonical (demo_module);

  g_assert_cmpuint (modules->len, ==, 1);
  for (guint i = 0; i < modules->len; i++)
    {
      EimzaPkcs11Module *module = g_ptr_array_index (modules, i);
      GPtrArray *tokens = eimza_pkcs11_module_get_tokens (module);
      g_autofree char *path = canonical (eimza_pkcs11_module_get_path (module));

      g_assert_cmpstr (path, ==, wanted);
      g_assert_cmpuint (tokens->len, >=, 1);
      /* SoftHSM2 also offers a free slot with a blank token. */
      for (guint j = 0; j < tokens->len; j++)
        {
          const char *label = eimza_pkcs11_token_get_label (g_ptr_array_index (tokens, j));

          if (*label != '\0')
            g_assert_cmpstr (label, ==, DEMO_LABEL);
        }
    }
}

/* The jnlp and e-onay pages take the best of the listed certificates, and
 * the PIN dialog says the demo PIN: only the demo's may be there. */
static void
test_only_demo_token (void)
{
  g_autofree char *work_dir = NULL;

  if (!have_tools ())
    return;
  if (!g_test_subprocess () && !can_unshare_mounts ())
    {
      g_test_skip ("no private mount namespace for p11-kit's module directory: run as root");
      return;
    }

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EimzaPkcs11) pkcs11 = NULL;
      g_autoptr(GPtrArray) modules = NULL;
      g_autoptr(GPtrArray) certificates = NULL;
      g_autoptr(EimzaSecret) pin = NULL;
      g_autoptr(GBytes) content = g_bytes_new_static ("demo", 4);
      g_autoptr(GBytes) cms = NULL;
      g_autoptr(EimzaDemo) demo = NULL;

      register_persons_card (g_getenv ("EIMZA_TEST_WORK_DIR"));
      assert_persons_card_registered ();

      demo = eimza_demo_start (&error);
      g_assert_no_error (error);
      g_assert_null (eimza_demo_get_card_problem (demo));
      /* As the application does before the card service starts. */
      g_setenv ("SOFTHSM2_CONF", eimza_demo_get_softhsm2_conf (demo), TRUE);
      if (eimza_demo_get_pkcs11_target (demo) != NULL)
        {
          g_setenv ("EIMZA_DEMO_CARD_TARGET", eimza_demo_get_pkcs11_target (demo), TRUE);
          g_setenv ("EIMZA_DEMO_CARD_TARGET_SOFTHSM2_CONF", eimza_demo_get_softhsm2_conf (demo),
                    TRUE);
        }

      pkcs11 = eimza_pkcs11_new ();
      eimza_pkcs11_set_only_module (pkcs11, eimza_demo_get_pkcs11_module (demo));
      /* A setting naming the person's card changes nothing. */
      eimza_pkcs11_set_extra_module (pkcs11, softhsm_fixture_pin_policy_module ());

      modules = eimza_pkcs11_list_modules (pkcs11, &error);
      g_assert_no_error (error);
      assert_only_demo_module (modules, eimza_demo_get_pkcs11_module (demo));

      certificates = eimza_pkcs11_list_certificates (pkcs11, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (certificates->len, >=, 1);
      pin = eimza_secret_new (eimza_demo_get_pin (demo), -1);
      for (guint i = 0; i < certificates->len; i++)
        {
          EimzaCertificate *certificate = g_ptr_array_index (certificates, i);

          g_assert_cmpstr (eimza_certificate_get_token_label (certificate), ==, DEMO_LABEL);
          cms = eimza_cades_sign (pkcs11, content, eimza_certificate_get_uri (certificate),
                                  eimza_certificate_get_key_uri (certificate), pin,
                                  EIMZA_CADES_DETACHED, NULL, &error);
          g_assert_no_error (error);
          g_assert_nonnull (cms);
          g_clear_pointer (&cms, g_bytes_unref);
        }

      /* Even asked by name, the person's card is out of reach. */
      cms = eimza_cades_sign (pkcs11, content,
                              SOFTHSM_TOKEN_URI ";object=" SOFTHSM_TCKN "NES0;type=cert",
                              SOFTHSM_TOKEN_URI ";object=" SOFTHSM_TCKN "NES0;type=private",
                              pin, EIMZA_CADES_DETACHED, NULL, &error);
      g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD);
      g_assert_null (cms);

      /* Not one PIN try of the person's card went. */
      g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
      g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

      eimza_demo_stop (demo);
      return;
    }

  work_dir = g_dir_make_tmp ("test-demo-only-token-XXXXXX", NULL);
  g_assert_nonnull (work_dir);
  g_setenv ("EIMZA_TEST_WORK_DIR", work_dir, TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  {
    const char *argv[] = { "rm", "-rf", work_dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  NULL, NULL);
  }
  g_test_trap_assert_passed ();
}

static void
skip_without_fixture (void)
{
  g_test_skip ("the SoftHSM2 fixture cannot be made: install softhsm2 and gnutls-bin");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("G_MESSAGES_DEBUG");

  if (!softhsm_fixture_init ())
    {
      g_test_add_func ("/demo/only-token/persons-card-registered", skip_without_fixture);
      return g_test_run ();
    }

  g_test_add_func ("/demo/only-token/persons-card-registered", test_only_demo_token);
  status = g_test_run ();
  softhsm_fixture_cleanup ();
  return status;
}
