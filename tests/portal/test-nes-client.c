/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration tests: EimzaNesClient against the simulator's NES site, with a SoftHSM2 card. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "eimza-cades.h"
#include "eimza-certificate.h"
#include "eimza-nes-web-page.h"
#include "eimza-nes-client.h"
#include "eimza-jnlp.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-portal-error.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"
#include "eimza-secret.h"
#include "eimza-tls-card-login.h"

/*
 * Every case runs in a subprocess of its own (GnuTLS's PKCS#11 state is
 * per process, and glib-networking keeps the card logged in) on a freshly
 * restored token, with a simulator of its own, so that the e-onay state of
 * one case never leaks into another. The token comes from
 * tests/card/softhsm-setup.sh with EIMZA_SOFTHSM_SECOND_PERSON=1: the
 * certificates of 10000000146 (Ayşe Gül Yılmaz in the simulator's
 * fixtures, e-onay active) and of 10000000214 (Mehmet Çağrı Öztürk, no
 * e-onay), issued by the test CA that the simulator trusts for the NES
 * site. Every signature the simulator accepts is also checked with
 * `openssl cms -verify`.
 */

#define USER_PIN "123456"
#define WRONG_PIN "654321"
#define AYSE_TCKN "10000000146"
#define AYSE_LABEL AYSE_TCKN "NES0"   /* RSA-2048 */
#define MEHMET_TCKN "10000000214"
#define MEHMET_LABEL MEHMET_TCKN "NES0" /* ECDSA P-256 */
/* Generous, as the machine may be busy building. */
#define TEST_TIMEOUT 15

static char *fixture_dir;
static gboolean fixture_owner;

/* ------------------------------------------------------------------------
 * An interaction that answers the PIN request as a test wants: the PIN
 * once, and a refusal (never UNHANDLED) when the card says it was wrong.
 * ------------------------------------------------------------------------ */

#define TEST_TYPE_PIN_INTERACTION (test_pin_interaction_get_type ())

G_DECLARE_FINAL_TYPE (TestPinInteraction, test_pin_interaction, TEST, PIN_INTERACTION,
                      GTlsInteraction)

struct _TestPinInteraction
{
  GTlsInteraction parent_instance;

  char *pin;
  gboolean cancel;
  guint n_asks;
  guint n_retries;
  /* What the session told about the card's logins (EimzaTlsCardLogin). */
  guint n_prepares;
  guint n_logins_succeeded;
  guint n_logins_failed;
};

static void test_pin_interaction_login_init (EimzaTlsCardLoginInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestPinInteraction, test_pin_interaction, G_TYPE_TLS_INTERACTION,
                               G_IMPLEMENT_INTERFACE (EIMZA_TYPE_TLS_CARD_LOGIN,
                                                      test_pin_interaction_login_init))

static void
test_pin_interaction_prepare_async (EimzaTlsCardLogin   *login,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (login, cancellable, callback, user_data);

  TEST_PIN_INTERACTION (login)->n_prepares++;
  g_task_return_boolean (task, TRUE);
}

static gboolean
test_pin_interaction_prepare_finish (EimzaTlsCardLogin  *login,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_pin_interaction_finished (EimzaTlsCardLogin *login,
                               const GError      *error)
{
  TestPinInteraction *self = TEST_PIN_INTERACTION (login);

  if (error == NULL)
    self->n_logins_succeeded++;
  else
    self->n_logins_failed++;
}

static void
test_pin_interaction_login_init (EimzaTlsCardLoginInterface *iface)
{
  iface->prepare_async = test_pin_interaction_prepare_async;
  iface->prepare_finish = test_pin_interaction_prepare_finish;
  iface->finished = test_pin_interaction_finished;
}

static GTlsInteractionResult
test_pin_interaction_ask_password (GTlsInteraction  *interaction,
                                   GTlsPassword     *password,
                                   GCancellable     *cancellable,
                                   GError          **error)
{
  TestPinInteraction *self = TEST_PIN_INTERACTION (interaction);
  GTlsPasswordFlags flags = g_tls_password_get_flags (password);

  self->n_asks++;
  g_assert_true (flags & G_TLS_PASSWORD_PKCS11_USER);

  if (self->cancel)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "PIN entry cancelled");
      return G_TLS_INTERACTION_FAILED;
    }

  if (flags & G_TLS_PASSWORD_RETRY)
    {
      self->n_retries++;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "PIN hatalı (test): yeniden denenmedi.");
      return G_TLS_INTERACTION_FAILED;
    }

  g_tls_password_set_value (password, (const guchar *) self->pin, -1);
  return G_TLS_INTERACTION_HANDLED;
}

static void
test_pin_interaction_finalize (GObject *object)
{
  g_free (TEST_PIN_INTERACTION (object)->pin);

  G_OBJECT_CLASS (test_pin_interaction_parent_class)->finalize (object);
}

static void
test_pin_interaction_class_init (TestPinInteractionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_pin_interaction_finalize;
  G_TLS_INTERACTION_CLASS (klass)->ask_password = test_pin_interaction_ask_password;
}

static void
test_pin_interaction_init (TestPinInteraction *self)
{
  self->pin = g_strdup (USER_PIN);
}

/* ------------------------------------------------------------------------
 * The fixture: token, simulator, profile, card library.
 * ------------------------------------------------------------------------ */

typedef struct {
  GSubprocess *process;
  char *tls_dir;
  char *portal_url;
  char *ca_file;
  char *nes_url;
  EimzaPortalProfile *profile;
  EimzaPkcs11 *pkcs11;
  TestPinInteraction *interaction;
  EimzaNesClient *session;
  GAsyncResult *result;
} Fixture;

/* Extra simulator arguments of a case, NULL-terminated. */
typedef struct {
  const char *args[8];
} SimArgs;

static const SimArgs default_args = { { NULL } };
static const SimArgs short_deadline_args = { { "--sign-deadline-seconds", "2", NULL } };
static const SimArgs slow_upload_args = {
  { "--fault", "slow-upload", "--slow-seconds", "4", "--sign-deadline-seconds", "2", NULL }
};
static const SimArgs slow_upload_lost_args = {
  { "--fault", "slow-upload", "--slow-seconds", "4", NULL }
};
static const SimArgs signer_mismatch_args = { { "--fault", "signer-mismatch", NULL } };

static void
run_checked (const char * const *argv,
             const char         *working_dir,
             const char * const *envp)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *standard_error = NULL;
  int status = 0;

  g_spawn_sync (working_dir, (char **) argv, (char **) envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, &standard_error, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], standard_error);
}

static char *
fixture_path (const char *name)
{
  return g_build_filename (fixture_dir, name, NULL);
}

/* The token and the test CA, once per test run; subprocesses find them in
 * the environment. FALSE when a tool is missing. */
static gboolean
softhsm_init (void)
{
  static const char * const tools[] = { "softhsm2-util", "certtool", "p11tool", "openssl",
                                        "tar", NULL };
  const char *existing = g_getenv ("EIMZA_EONAY_FIXTURE_DIR");
  const char *script = g_getenv ("EIMZA_SOFTHSM_SETUP");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;

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
  if (script == NULL || !g_file_test (script, G_FILE_TEST_IS_REGULAR) ||
      !g_file_test ("/usr/lib/softhsm/libsofthsm2.so", G_FILE_TEST_EXISTS))
    return FALSE;

  fixture_dir = g_dir_make_tmp ("eimza-eonay-XXXXXX", &error);
  g_assert_no_error (error);
  fixture_owner = TRUE;

  envp = g_environ_setenv (g_get_environ (), "EIMZA_SOFTHSM_SECOND_PERSON", "1", TRUE);
  {
    const char * const argv[] = { "/bin/sh", script, fixture_dir, NULL };

    run_checked (argv, NULL, (const char * const *) envp);
  }

  {
    g_autofree char *conf = fixture_path ("softhsm2.conf");

    g_setenv ("EIMZA_EONAY_FIXTURE_DIR", fixture_dir, TRUE);
    g_setenv ("SOFTHSM2_CONF", conf, TRUE);
  }
  return TRUE;
}

static void
softhsm_cleanup (void)
{
  if (fixture_owner && fixture_dir != NULL)
    {
      const char * const argv[] = { "rm", "-rf", fixture_dir, NULL };

      run_checked (argv, NULL, NULL);
    }
  g_clear_pointer (&fixture_dir, g_free);
}

/* A process killed mid-login can leave the token empty: every case starts
 * from the pristine copy. */
static void
softhsm_restore (void)
{
  const char * const argv[] = { "/bin/sh", "-c", "rm -rf tokens && tar -xf tokens.tar", NULL };

  run_checked (argv, fixture_dir, NULL);
}

/* If this test dies, so does the simulator. */
static void
simulator_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_simulator (Fixture       *f,
                 const SimArgs *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *nes_line = NULL;
  g_autofree char *testca = fixture_path ("testca.pem");
  g_auto(GStrv) words = NULL;

  f->tls_dir = g_dir_make_tmp ("test-eonay-sim-XXXXXX", &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, (gpointer) g_getenv ("EIMZA_PORTAL_SIM"));
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  g_ptr_array_add (argv, "--tls-dir");
  g_ptr_array_add (argv, f->tls_dir);
  g_ptr_array_add (argv, "--test-endpoints");
  g_ptr_array_add (argv, "--nes-client-ca");
  g_ptr_array_add (argv, testca);
  for (guint i = 0; extra->args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra->args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  /* The client is under test here; what the simulator's libraries leave at
   * exit is not. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  f->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* "listening https://127.0.0.1:PORT/ ca=DIR/ca.pem", then
   * "listening-nes https://127.0.0.1:PORT/". */
  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->process));
  line = g_data_input_stream_read_line_utf8 (stdout_stream, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], ==, "listening");
  f->portal_url = g_strdup (words[1]);
  g_assert_true (g_str_has_prefix (words[2], "ca="));
  f->ca_file = g_strdup (words[2] + strlen ("ca="));

  nes_line = g_data_input_stream_read_line_utf8 (stdout_stream, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (nes_line);
  g_assert_true (g_str_has_prefix (nes_line, "listening-nes https://127.0.0.1:"));
  f->nes_url = g_strdup (nes_line + strlen ("listening-nes "));
  g_assert_true (g_str_has_suffix (f->nes_url, "/"));
}

static void
stop_simulator (Fixture *f)
{
  const char *names[] = { "ca.pem", "server.pem", "server.key" };

  if (f->process != NULL)
    {
      g_subprocess_send_signal (f->process, SIGTERM);
      g_subprocess_wait (f->process, NULL, NULL);
      g_clear_object (&f->process);
    }

  for (guint i = 0; f->tls_dir != NULL && i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->tls_dir, names[i], NULL);

      g_unlink (path);
    }
  if (f->tls_dir != NULL)
    g_rmdir (f->tls_dir);

  g_clear_pointer (&f->tls_dir, g_free);
  g_clear_pointer (&f->portal_url, g_free);
  g_clear_pointer (&f->ca_file, g_free);
  g_clear_pointer (&f->nes_url, g_free);
}

static gboolean
can_run (void)
{
  const char *sim = g_getenv ("EIMZA_PORTAL_SIM");

  if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("The portal simulator is not built (EIMZA_PORTAL_SIM)");
      return FALSE;
    }
  if (fixture_dir == NULL)
    {
      g_test_skip ("SoftHSM2, GnuTLS tools or openssl missing");
      return FALSE;
    }
  return TRUE;
}

/* In the parent: the case runs in a subprocess on a restored token. */
static gboolean
run_isolated (void)
{
  if (g_test_subprocess ())
    return FALSE;

  if (can_run ())
    {
      softhsm_restore ();
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
    }
  return TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *no_vendor = NULL;

  if (!g_test_subprocess ())
    return;

  start_simulator (f, user_data);
  f->profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);

  /* The card library first: its PKCS#11 set-up must come before any TLS
   * use of the process's one GnuTLS. Only the registered SoftHSM2. */
  no_vendor = fixture_path ("no-vendor");
  g_mkdir_with_parents (no_vendor, 0700);
  f->pkcs11 = eimza_pkcs11_new ();
  {
    const char * const dirs[] = { no_vendor, NULL };

    eimza_pkcs11_set_vendor_dirs (f->pkcs11, dirs);
  }
  eimza_pkcs11_set_use_registered (f->pkcs11, TRUE);

  f->interaction = g_object_new (TEST_TYPE_PIN_INTERACTION, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  if (!g_test_subprocess ())
    return;

  if (f->session != NULL)
    {
      /* Nothing may keep the session alive: leaks show here. */
      g_object_add_weak_pointer (G_OBJECT (f->session), (gpointer *) &f->session);
      g_object_unref (f->session);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_null (f->session);
    }

  g_assert_null (f->result);
  g_clear_object (&f->interaction);
  g_clear_pointer (&f->pkcs11, eimza_pkcs11_free);
  g_clear_object (&f->profile);
  stop_simulator (f);
}

/* ------------------------------------------------------------------------
 * Helpers.
 * ------------------------------------------------------------------------ */

static EimzaCertificate *
find_certificate (Fixture    *f,
                  const char *label)
{
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = eimza_pkcs11_list_certificates (f->pkcs11, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);

      if (g_strcmp0 (eimza_certificate_get_label (certificate), label) == 0)
        return g_object_ref (certificate);
    }

  g_error ("No certificate labelled %s", label);
}

/* A session logging in with the certificate labelled @label (NULL: none). */
static EimzaNesClient *
new_session (Fixture    *f,
             const char *label)
{
  g_autoptr(EimzaCertificate) certificate = label != NULL ? find_certificate (f, label) : NULL;
  g_autoptr(GError) error = NULL;
  EimzaNesClient *session;

  session = eimza_nes_client_new (f->profile, f->nes_url, f->ca_file,
                                  certificate != NULL ? eimza_certificate_get_uri (certificate) : NULL,
                                  certificate != NULL ? eimza_certificate_get_key_uri (certificate) : NULL,
                                  G_TLS_INTERACTION (f->interaction), &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpuint (eimza_nes_client_get_timeout (session), ==,
                    EIMZA_NES_CLIENT_DEFAULT_TIMEOUT);
  eimza_nes_client_set_timeout (session, TEST_TIMEOUT);
  return session;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

static gboolean
too_long_cb (gpointer user_data)
{
  g_error ("A call took more than a minute");
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_for_result (Fixture *f)
{
  guint guard = g_timeout_add_seconds (60, too_long_cb, NULL);

  while (f->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (guard);
  return g_steal_pointer (&f->result);
}

static char *
log_in (Fixture         *f,
        EimzaNesClient  *session,
        const char      *tckn,
        GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_nes_client_log_in_async (session, tckn, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_nes_client_log_in_finish (session, result, error);
}

static EimzaEonaySignData *
fetch (Fixture         *f,
       EimzaNesClient  *session,
       const char      *code,
       GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_nes_client_fetch_sign_data_async (session, code, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_nes_client_fetch_sign_data_finish (session, result, error);
}

static gboolean
upload (Fixture         *f,
        EimzaNesClient  *session,
        const char      *code,
        GBytes          *cms,
        GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_nes_client_upload_signature_async (session, code, cms, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_nes_client_upload_signature_finish (session, result, error);
}

static EimzaEonayStatus *
open_eonay (Fixture         *f,
            EimzaNesClient  *session,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_nes_client_open_eonay_async (session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_nes_client_open_eonay_finish (session, result, error);
}

static char *
consent (Fixture         *f,
         EimzaNesClient  *session,
         GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_nes_client_consent_async (session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_nes_client_consent_finish (session, result, error);
}

static gboolean
is_active (Fixture        *f,
           EimzaNesClient *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean active = FALSE;

  eimza_nes_client_get_status_async (session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  g_assert_true (eimza_nes_client_get_status_finish (session, result, &active, &error));
  g_assert_no_error (error);
  return active;
}

static gboolean
cancel_eonay (Fixture         *f,
              EimzaNesClient  *session,
              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_nes_client_cancel_eonay_async (session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_nes_client_cancel_eonay_finish (session, result, error);
}

/* What the caller does with the card service: a detached CAdES-BES
 * signature of @content with the key of the certificate labelled @label. */
static GBytes *
sign (Fixture    *f,
      const char *label,
      GBytes     *content)
{
  g_autoptr(EimzaCertificate) certificate = find_certificate (f, label);
  g_autoptr(EimzaSecret) pin = eimza_secret_new (USER_PIN, -1);
  g_autoptr(GError) error = NULL;
  GBytes *cms;

  cms = eimza_cades_sign (f->pkcs11, content, eimza_certificate_get_uri (certificate),
                          eimza_certificate_get_key_uri (certificate), pin,
                          EIMZA_CADES_DETACHED, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cms);
  return cms;
}

static char *
write_temp (const char *name,
            GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s-%d", name, (int) getpid ());
  char *path = fixture_path (file);

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);
  return path;
}

/* What the simulator accepted must stand up to openssl too. */
static void
assert_openssl_verifies (GBytes *cms,
                         GBytes *content)
{
  g_autofree char *cms_path = write_temp ("signature.der", cms);
  g_autofree char *content_path = write_temp ("content.bin", content);
  g_autofree char *ca_path = fixture_path ("testca.pem");
  const char * const argv[] = {
    "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms_path,
    "-content", content_path, "-CAfile", ca_path, "-purpose", "any", "-out", "/dev/null",
    NULL
  };

  run_checked (argv, NULL, NULL);
  g_unlink (cms_path);
  g_unlink (content_path);
}

static void
assert_deadline_within (const EimzaEonaySignData *data,
                        int                       max_seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan left;

  g_assert_nonnull (data->deadline);
  left = g_date_time_difference (data->deadline, now);
  g_assert_cmpint (left, >, 0);
  g_assert_cmpint (left, <=, (GTimeSpan) max_seconds * G_TIME_SPAN_SECOND);
}

/* Fetches the data of @code, signs it as @label, checks the signature with
 * openssl and uploads it; returns the signature. */
static GBytes *
sign_step (Fixture           *f,
           EimzaNesClient    *session,
           const char        *code,
           const char        *label,
           EimzaEonayPurpose  purpose)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  data = fetch (f, session, code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (data->code, ==, code);
  g_assert_cmpint (data->purpose, ==, purpose);
  g_assert_cmpuint (g_bytes_get_size (data->data), >, 0);
  assert_deadline_within (data, 120);

  cms = sign (f, label, data->data);
  g_assert_true (upload (f, session, code, cms, &error));
  g_assert_no_error (error);
  assert_openssl_verifies (cms, data->data);

  return g_steal_pointer (&cms);
}

/* Logs in as @tckn with @label and signs the login code. */
static EimzaNesClient *
logged_in_session (Fixture    *f,
                   const char *label,
                   const char *tckn)
{
  g_autoptr(EimzaNesClient) session = new_session (f, label);
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  code = log_in (f, session, tckn, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^[A-Z2-9]{4}-[A-Z2-9]{4}$", code, 0, 0));
  g_assert_cmpstr (eimza_nes_client_get_tckn (session), ==, tckn);
  g_assert_nonnull (eimza_nes_client_get_holder (session));

  cms = sign_step (f, session, code, label, EIMZA_EONAY_PURPOSE_LOGIN);
  return g_steal_pointer (&session);
}

static void
assert_sensible_message (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

/* ------------------------------------------------------------------------
 * The application portal of the same simulator run.
 * ------------------------------------------------------------------------ */

typedef struct {
  GAsyncResult *result;
} PortalWait;

static void
portal_result_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PortalWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
portal_wait (PortalWait *wait)
{
  guint guard = g_timeout_add_seconds (60, too_long_cb, NULL);

  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (guard);
  return g_steal_pointer (&wait->result);
}

/* GET of a test endpoint with the portal session's cookie (Path=/bp). */
static char *
portal_sim_get (EimzaPortalSession *portal,
                const char         *path)
{
  SoupSession *soup = eimza_portal_session_get_soup_session (portal);
  SoupCookieJar *jar = SOUP_COOKIE_JAR (soup_session_get_feature (soup, SOUP_TYPE_COOKIE_JAR));
  g_autoptr(GUri) portal_uri = eimza_portal_session_resolve (portal, "/bp/meb.go");
  g_autoptr(GUri) uri = eimza_portal_session_resolve (portal, path);
  g_autofree char *cookies = soup_cookie_jar_get_cookies (jar, portal_uri, TRUE);
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_disable_feature (msg, SOUP_TYPE_COOKIE_JAR);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookies);
  body = soup_session_send_and_read (soup, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  return g_strstrip (g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
}

/* Walks the application portal up to the signing method as @tckn's fixture
 * person and returns whether E-Onaylı Başvuru is offered; with @apply set,
 * applies with it and checks the application number. @keep (nullable)
 * receives the portal session, still at the method page. */
static gboolean
portal_eonay_offered (Fixture             *f,
                      gboolean             mehmet,
                      gboolean             apply,
                      EimzaPortalSession **keep)
{
  g_autoptr(EimzaPortalSession) portal = NULL;
  g_autoptr(EimzaRenewalForm) form = eimza_renewal_form_new (NULL);
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *captcha_text = NULL;
  g_autofree char *sms = NULL;
  PortalWait wait = { NULL };
  gboolean offered = FALSE;

  portal = eimza_portal_session_new (f->profile, f->portal_url, f->ca_file, &error);
  g_assert_no_error (error);

  eimza_portal_session_open_async (portal, NULL, portal_result_cb, &wait);
  {
    g_autoptr(GAsyncResult) result = portal_wait (&wait);

    captcha = eimza_portal_session_open_finish (portal, result, &error);
    g_assert_no_error (error);
  }

  captcha_text = portal_sim_get (portal, "/_sim/captcha");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha_text);
  if (mehmet)
    {
      eimza_renewal_form_set_value (form, EIMZA_FIELD_TCKN, MEHMET_TCKN);
      eimza_renewal_form_set_value (form, EIMZA_FIELD_GIVEN_NAME, "Mehmet Çağrı");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_SURNAME, "Öztürk");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_PLACE, "İzmir");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_DATE, "02.11.1978");
    }
  else
    {
      eimza_renewal_form_set_value (form, EIMZA_FIELD_TCKN, AYSE_TCKN);
      eimza_renewal_form_set_value (form, EIMZA_FIELD_GIVEN_NAME, "Ayşe Gül");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_SURNAME, "Yılmaz");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_PLACE, "Ankara");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_DATE, "14.03.1985");
    }

  eimza_portal_session_log_in_async (portal, form, NULL, portal_result_cb, &wait);
  {
    g_autoptr(GAsyncResult) result = portal_wait (&wait);

    g_assert_true (eimza_portal_session_log_in_finish (portal, result, &error));
    g_assert_no_error (error);
  }

  /* Ayşe's form comes pre-filled from her previous application. */
  if (mehmet)
    {
      eimza_renewal_form_set_value (form, EIMZA_FIELD_SECURITY_WORD, "Papatya2024");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_UNIT, "Fen Bilimleri");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_TITLE, "Öğretmen");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_ADDRESS, "Okul Sokağı No: 3");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_PROVINCE, "35");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_DISTRICT, "Bornova");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_POSTAL_CODE, "35040");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_EMAIL, "ogretmen@example.com.tr");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_WORK_PHONE, "0232 555 44 33");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_MOBILE_PHONE, "0533 222 33 44");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_MOBILE_OPERATOR, "vodafone");
      eimza_renewal_form_set_value (form, EIMZA_FIELD_INFO_CHANNEL, "email");
    }

  eimza_portal_session_submit_form_async (portal, form, NULL, portal_result_cb, &wait);
  {
    g_autoptr(GAsyncResult) result = portal_wait (&wait);

    state = eimza_portal_session_submit_form_finish (portal, result, &error);
    g_assert_no_error (error);
  }
  g_clear_pointer (&state, eimza_portal_sms_state_free);

  eimza_portal_session_send_sms_async (portal, NULL, portal_result_cb, &wait);
  {
    g_autoptr(GAsyncResult) result = portal_wait (&wait);

    state = eimza_portal_session_send_sms_finish (portal, result, &error);
    g_assert_no_error (error);
  }

  sms = portal_sim_get (portal, "/_sim/sms");
  eimza_portal_session_verify_sms_async (portal, sms, NULL, portal_result_cb, &wait);
  {
    g_autoptr(GAsyncResult) result = portal_wait (&wait);

    g_assert_true (eimza_portal_session_verify_sms_finish (portal, result, &offered, &error));
    g_assert_no_error (error);
  }

  if (apply && offered)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *number = NULL;

      eimza_portal_session_apply_with_eonay_async (portal, NULL, portal_result_cb, &wait);
      result = portal_wait (&wait);
      number = eimza_portal_session_apply_with_eonay_finish (portal, result, &error);
      g_assert_no_error (error);
      g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{6}$", number, 0, 0));
    }

  if (keep != NULL)
    *keep = g_steal_pointer (&portal);

  return offered;
}

/* ------------------------------------------------------------------------
 * The cases.
 * ------------------------------------------------------------------------ */

/* Mehmet has no e-onay: login, both signatures, active; the application
 * portal of the same run then offers E-Onaylı Başvuru. */
static void
test_full_flow (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSession) waiting_portal = NULL;
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;

  if (run_isolated ())
    return;

  /* The person stops at the signing method, gives the e-onay meanwhile,
   * and comes back to the same application session. */
  g_assert_false (portal_eonay_offered (f, TRUE, FALSE, &waiting_portal));

  f->session = logged_in_session (f, MEHMET_LABEL, MEHMET_TCKN);
  g_assert_cmpstr (eimza_nes_client_get_holder (f->session), ==, "MEHMET CAGRI OZTURK");

  status = open_eonay (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_false (status->active);
  g_assert_nonnull (status->explanation);
  g_assert_nonnull (status->commitment);
  g_assert_true (g_str_has_prefix (status->commitment, "Kamu Sertifikasyon Merkezi"));
  g_assert_cmpint (status->time_limit, ==, 120);

  code = consent (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (code);

  /* The second signature is over the commitment the page showed. */
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);
  g_assert_cmpint (data->purpose, ==, EIMZA_EONAY_PURPOSE_EONAY);
  text = g_strndup (g_bytes_get_data (data->data, NULL), g_bytes_get_size (data->data));
  g_assert_true (g_str_has_prefix (text, "E-ONAY TAAHHÜTNAMESİ\n"));
  g_assert_nonnull (strstr (text, status->commitment));
  g_assert_nonnull (strstr (text, MEHMET_TCKN));
  g_assert_nonnull (strstr (text, code));
  assert_deadline_within (data, 120);

  g_assert_false (is_active (f, f->session));
  cms = sign (f, MEHMET_LABEL, data->data);
  g_assert_true (upload (f, f->session, code, cms, &error));
  g_assert_no_error (error);
  assert_openssl_verifies (cms, data->data);
  g_assert_true (is_active (f, f->session));

  /* Nothing left to consent to. */
  g_clear_pointer (&code, g_free);
  code = consent (f, f->session, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_REJECTED);
  g_clear_error (&error);

  /* One connection kept alive for the whole flow: one PIN request. */
  g_assert_cmpuint (f->interaction->n_asks, ==, 1);

  /* The application waiting at the signing method now offers it. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *number = NULL;
    PortalWait wait = { NULL };
    gboolean offered = FALSE;

    eimza_portal_session_reload_method_async (waiting_portal, NULL, portal_result_cb, &wait);
    result = portal_wait (&wait);
    g_assert_true (eimza_portal_session_reload_method_finish (waiting_portal, result, &offered,
                                                              &error));
    g_assert_no_error (error);
    g_assert_true (offered);
    g_clear_object (&result);

    eimza_portal_session_apply_with_eonay_async (waiting_portal, NULL, portal_result_cb, &wait);
    result = portal_wait (&wait);
    number = eimza_portal_session_apply_with_eonay_finish (waiting_portal, result, &error);
    g_assert_no_error (error);
    g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{6}$", number, 0, 0));
  }

  g_assert_true (portal_eonay_offered (f, TRUE, TRUE, NULL));
}

/* Ayşe's e-onay is active at start: cancelled on the NES site, and the
 * application portal stops offering it. */
static void
test_cancel (Fixture       *f,
             gconstpointer  user_data)
{
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  if (run_isolated ())
    return;

  f->session = logged_in_session (f, AYSE_LABEL, AYSE_TCKN);
  status = open_eonay (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_true (status->active);
  g_assert_null (status->commitment);

  g_assert_true (cancel_eonay (f, f->session, &error));
  g_assert_no_error (error);
  g_assert_false (is_active (f, f->session));

  /* Cancelling twice: nothing to cancel, and the site was not asked. */
  g_assert_false (cancel_eonay (f, f->session, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  assert_sensible_message (error);
  g_clear_error (&error);

  g_assert_false (portal_eonay_offered (f, FALSE, FALSE, NULL));
}

/* The .jnlp hand-off: another session (the "signer") gets only the code
 * the person typed, fetches the data and uploads the signature; the web
 * session is then logged in. */
static void
test_jnlp_hand_off (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(EimzaNesClient) signer = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *codebase = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);

  /* Not logged in until the code is signed. */
  status = open_eonay (f, f->session, &error);
  g_assert_null (status);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  /* Typed by hand: lower case, a space instead of the hyphen. */
  typed = g_ascii_strdown (code, -1);
  typed[4] = ' ';

  signer = new_session (f, MEHMET_LABEL);
  codebase = g_strconcat (f->nes_url, "nb/imza/", NULL);
  g_assert_true (eimza_nes_client_set_signer_base_url (signer, codebase, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_nes_client_get_signer_base_url (signer), ==, codebase);

  data = fetch (f, signer, typed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (data->purpose, ==, EIMZA_EONAY_PURPOSE_LOGIN);
  cms = sign (f, MEHMET_LABEL, data->data);
  g_assert_true (upload (f, signer, typed, cms, &error));
  g_assert_no_error (error);
  assert_openssl_verifies (cms, data->data);

  status = open_eonay (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_false (status->active);

  /* A CA file is only for loopback hosts. */
  g_assert_false (eimza_nes_client_set_signer_base_url (signer, "https://example.org/nb/imza/",
                                                        &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (eimza_nes_client_set_signer_base_url (signer, "http://127.0.0.1/", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

/* --sign-deadline-seconds 2: a signature after the deadline is refused,
 * and the code is of no use any more. */
static void
test_code_expired (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(EimzaEonaySignData) again = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);
  assert_deadline_within (data, 2);

  cms = sign (f, MEHMET_LABEL, data->data);
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  g_assert_cmpstr (error->message, ==,
                   "Doğrulama kodunun süresi doldu. İşlemi yeniden başlatınız.");
  g_clear_error (&error);

  again = fetch (f, f->session, code, &error);
  g_assert_null (again);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
}

/* The same signature twice, and the login's signature for the e-onay
 * code. */
static void
test_replay (Fixture       *f,
             gconstpointer  user_data)
{
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(GBytes) login_cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *eonay_code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);
  login_cms = sign_step (f, f->session, code, MEHMET_LABEL, EIMZA_EONAY_PURPOSE_LOGIN);

  g_assert_false (upload (f, f->session, code, login_cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
  assert_sensible_message (error);
  g_clear_error (&error);

  status = open_eonay (f, f->session, &error);
  g_assert_no_error (error);
  eonay_code = consent (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_false (upload (f, f->session, eonay_code, login_cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
  g_clear_error (&error);
  g_assert_false (is_active (f, f->session));
}

/* Logged in as Ayşe, signed with Mehmet's certificate: refused, and the
 * code still takes Ayşe's own signature. */
static void
test_other_person (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GBytes) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);

  cms = sign (f, MEHMET_LABEL, data->data);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER);
  g_assert_cmpstr (error->message, ==,
                   "İmza, oturum açan kişiye ait olmayan bir sertifikayla atılmış.");
  g_clear_error (&error);

  own = sign (f, AYSE_LABEL, data->data);
  g_assert_true (upload (f, f->session, code, own, &error));
  g_assert_no_error (error);
  assert_openssl_verifies (own, data->data);
}

/* A valid signature of other bytes than the code's. */
static void
test_wrong_content (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);

  text = g_strdup_printf ("%.*s(değiştirildi)\n", (int) g_bytes_get_size (data->data),
                          (const char *) g_bytes_get_data (data->data, NULL));
  other = g_bytes_new (text, strlen (text));
  cms = sign (f, AYSE_LABEL, other);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
  g_clear_error (&error);

  /* Not a signature at all. */
  g_assert_false (upload (f, f->session, code, data->data, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
}

/* The T.C. Kimlik No must be the certificate's. */
static void
test_tckn_mismatch (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH);
  g_assert_true (g_str_has_prefix (error->message, "Girdiğiniz T.C. Kimlik No"));
  g_assert_null (eimza_nes_client_get_tckn (f->session));
}

/* Without a certificate the handshake fails; nothing is retried. */
static void
test_no_certificate (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, NULL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED);
  assert_sensible_message (error);
  g_assert_cmpuint (f->interaction->n_asks, ==, 0);
}

/* A site that trusts another CA refuses the card's certificate in the
 * handshake. */
static void
test_untrusted_certificate (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  /* Again with another anchor than the CA that issued the card's
   * certificates (the last --nes-client-ca counts). */
  {
    g_autofree char *other = fixture_path ("soft-cert.pem");
    SimArgs args = { { "--nes-client-ca", other, NULL } };

    stop_simulator (f);
    start_simulator (f, &args);
  }

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED);
  /* Once: no retry after a refusal asks the card again. */
  g_assert_cmpuint (f->interaction->n_asks, ==, 1);
}

/* A wrong PIN: the interaction refuses the retry, the login stops with
 * its message, and the card is never asked again. */
static void
test_wrong_pin (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  g_free (f->interaction->pin);
  f->interaction->pin = g_strdup (WRONG_PIN);

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_PIN);
  g_assert_cmpstr (error->message, ==, "PIN hatalı (test): yeniden denenmedi.");
  g_assert_cmpuint (f->interaction->n_asks, ==, 2);
  g_assert_cmpuint (f->interaction->n_retries, ==, 1);
  /* The session said the login failed, never that it succeeded. */
  g_assert_cmpuint (f->interaction->n_prepares, >=, 1);
  g_assert_cmpuint (f->interaction->n_logins_failed, >=, 1);
  g_assert_cmpuint (f->interaction->n_logins_succeeded, ==, 0);
  g_clear_error (&error);

  /* Nothing goes on behind the caller's back. */
  {
    guint n_asks = f->interaction->n_asks;
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpuint (f->interaction->n_asks, ==, n_asks);
  }

  /* The person types the right PIN: a new attempt works. */
  g_free (f->interaction->pin);
  f->interaction->pin = g_strdup (USER_PIN);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (code);
  /* Only now may a PIN be kept: the handshake with it succeeded. */
  g_assert_cmpuint (f->interaction->n_logins_succeeded, ==, 1);
}

/* The person closes the PIN dialog. */
static void
test_pin_cancelled (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->interaction->cancel = TRUE;
  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->interaction->n_asks, ==, 1);
}

/* Fault slow-upload with a short deadline: the upload is handled after the
 * deadline and refused, though it was sent in time. */
static void
test_slow_upload (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  gint64 start;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);
  cms = sign (f, MEHMET_LABEL, data->data);

  start = g_get_monotonic_time ();
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3 * G_USEC_PER_SEC);
}

/* Fault slow-upload (4 s) past the client's time-out (2 s): the session
 * asks the signer before it reports. The code still waits: a definite
 * "not arrived yet", a retryable time-out. Sent again once the first one
 * was handled, the code is used: the session, which knows the first
 * answer was lost, reports success; the site has the login. */
static void
test_upload_lost_answer (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);
  cms = sign (f, MEHMET_LABEL, data->data);

  eimza_nes_client_set_deadline (f->session, 2);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  g_assert_true (eimza_portal_error_can_retry (error));
  g_clear_error (&error);

  /* The held upload is handled 4 s after it was sent. */
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_true (upload (f, f->session, code, cms, &error));
  g_assert_no_error (error);
}

/* Fault signer-mismatch: the simulator treats the own signature as
 * another person's. */
static void
test_fault_signer_mismatch (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);
  cms = sign (f, MEHMET_LABEL, data->data);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER);
}

/* ------------------------------------------------------------------------
 * The profiles (no simulator, no token).
 * ------------------------------------------------------------------------ */

static void
test_profile_builtin (void)
{
  static const char * const names[] = {
    EIMZA_PORTAL_PROFILE_KAMUSM, EIMZA_PORTAL_PROFILE_SIMULATOR,
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(EimzaPortalProfile) profile = NULL;
      g_autoptr(GError) error = NULL;
      EimzaEonayProfile *nes;

      profile = eimza_portal_profile_new (names[i], &error);
      g_assert_no_error (error);
      nes = eimza_portal_profile_get_nes (profile);
      g_assert_nonnull (nes);
      g_assert_cmpstr (eimza_eonay_profile_get_path (nes, EIMZA_EONAY_PATH_SIGN_DATA), ==, "veri");
      g_assert_cmpint (eimza_eonay_profile_parse_purpose (nes, "eonay"), ==,
                       EIMZA_EONAY_PURPOSE_EONAY);
      g_assert_cmpint (eimza_eonay_profile_parse_purpose (nes, "başka"), ==,
                       EIMZA_EONAY_PURPOSE_UNKNOWN);
    }

  {
    g_autoptr(EimzaPortalProfile) kamusm = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM,
                                                                     NULL);
    EimzaEonayProfile *nes = eimza_portal_profile_get_nes (kamusm);
    EimzaPortalError code;

    g_assert_cmpstr (eimza_eonay_profile_get_base_url (nes), ==,
                     "https://nesbireysel.kamusm.gov.tr");
    g_assert_true (eimza_eonay_profile_classify_message (nes, "DOĞRULAMA kodunun süresi  doldu.",
                                                         &code));
    g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  }
}

/* The simulator's built-in profile as text. */
static GString *
builtin_text (void)
{
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GBytes) bytes = NULL;

  /* Loading a built-in profile registers the resource. */
  profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, NULL);
  g_assert_nonnull (profile);
  bytes = g_resources_lookup_data ("/io/github/eimza/Asistan/portal/simulator.ini",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert_nonnull (bytes);
  return g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static GBytes *
builtin_with (const char *find,
              const char *replace)
{
  g_autoptr(GString) text = builtin_text ();

  g_assert_nonnull (strstr (text->str, find));
  g_string_replace (text, find, replace, 1);
  return g_string_free_to_bytes (g_steal_pointer (&text));
}

static void
test_profile_errors (void)
{
  static const struct {
    const char *find;
    const char *replace;
    int code;
  } cases[] = {
    /* NES groups without [nes]. */
    { "[nes]\n", "[nes-x]\n", G_KEY_FILE_ERROR_GROUP_NOT_FOUND },
    { "sign-upload=yukle\n", "", G_KEY_FILE_ERROR_KEY_NOT_FOUND },
    { "sign-upload=yukle\n", "sign-upload=/nb/imza/yukle\n", G_KEY_FILE_ERROR_INVALID_VALUE },
    { "code=//*[@id='dogrulamaKodu']", "code=//*[@id=", G_KEY_FILE_ERROR_INVALID_VALUE },
    { "wrong-signer=", "wrong-singer=", G_KEY_FILE_ERROR_KEY_NOT_FOUND },
    { "[nes-headers]\n", "[nes-headers]\nextra=1\n", G_KEY_FILE_ERROR_KEY_NOT_FOUND },
    { "signer-base-url=/nb/imza/", "signer-base-url=http://127.0.0.1/", G_KEY_FILE_ERROR_INVALID_VALUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = builtin_with (cases[i].find, cases[i].replace);
      g_autoptr(EimzaPortalProfile) profile = NULL;
      g_autoptr(GError) error = NULL;

      profile = eimza_portal_profile_new_from_bytes (bytes, "test", &error);
      g_assert_null (profile);
      g_assert_error (error, G_KEY_FILE_ERROR, cases[i].code);
    }

  /* A profile without any NES group loads, with no NES site. */
  {
    g_autoptr(GString) text = builtin_text ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(EimzaPortalProfile) profile = NULL;
    g_autoptr(GError) error = NULL;
    const char *nes = strstr (text->str, "\n# The simulator's NES site");

    g_assert_nonnull (nes);
    g_string_truncate (text, nes - text->str + 1);
    bytes = g_string_free_to_bytes (g_steal_pointer (&text));
    profile = eimza_portal_profile_new_from_bytes (bytes, "test", &error);
    g_assert_no_error (error);
    g_assert_null (eimza_portal_profile_get_nes (profile));

    {
      g_autoptr(EimzaNesClient) session = NULL;

      session = eimza_nes_client_new (profile, "https://127.0.0.1:1/", NULL, NULL, NULL, NULL,
                                      &error);
      g_assert_null (session);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  }
}

/* The simulator's sample pages (tools/portal-sim/sample-pages, made with
 * --dump-pages) through the parser and the simulator's profile. */
static EimzaNesWebPage *
parse_sample (EimzaEonayProfile  *nes,
              const char         *name,
              GError            **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "tools", "portal-sim",
                                                 "sample-pages", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return eimza_nes_web_page_parse (nes, bytes, error);
}

static void
test_page_samples (void)
{
  g_autoptr(EimzaPortalProfile) profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR,
                                                                    NULL);
  EimzaEonayProfile *nes = eimza_portal_profile_get_nes (profile);
  g_autoptr(GError) error = NULL;
  EimzaPortalError code;

  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-login.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_LOGIN);
    g_assert_cmpstr (eimza_nes_web_page_get_holder (page), ==, "AHMET YILMAZ");
    g_assert_cmpstr (eimza_nes_web_page_get_hidden_names (page)[0], ==, "javax.faces.ViewState");
    g_assert_cmpstr (eimza_nes_web_page_get_submit_value (page, "girisButonu"), ==, "GİRİŞ");
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-login-mismatch.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_LOGIN);
    g_assert_true (eimza_eonay_profile_classify_message (nes, eimza_nes_web_page_get_errors (page)[0],
                                                         &code));
    g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-session-expired.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_SESSION_EXPIRED);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-code-eonay.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_CODE);
    g_assert_cmpstr (eimza_nes_web_page_get_code (page), ==, "PD2R-YH5C");
    g_assert_cmpint (eimza_nes_web_page_get_seconds_left (page), ==, 87);
    g_assert_cmpint (eimza_nes_web_page_get_time_limit (page), ==, 120);
    g_assert_cmpint (eimza_nes_web_page_get_purpose (page), ==, EIMZA_EONAY_PURPOSE_EONAY);
    g_assert_cmpstr (eimza_nes_web_page_get_infos (page)[0], ==, "İmzanız bekleniyor.");
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-code-expired.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_CODE);
    g_assert_null (eimza_nes_web_page_get_code (page));
    g_assert_true (eimza_eonay_profile_classify_message (nes, eimza_nes_web_page_get_errors (page)[0],
                                                         &code));
    g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-menu.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_MENU);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-eonay.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_EONAY);
    g_assert_false (eimza_nes_web_page_get_eonay_active (page));
    g_assert_true (g_str_has_prefix (eimza_nes_web_page_get_commitment (page),
                                     "Kamu Sertifikasyon Merkezi (Kamu SM)"));
    g_assert_nonnull (eimza_nes_web_page_get_explanation (page));
    g_assert_cmpstr (eimza_nes_web_page_get_submit_value (page, "devamEt"), ==, "DEVAM ET");
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-eonay-active.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_EONAY);
    g_assert_true (eimza_nes_web_page_get_eonay_active (page));
    g_assert_null (eimza_nes_web_page_get_commitment (page));
    g_assert_cmpstr (eimza_nes_web_page_get_submit_value (page, "iptalEt"), ==, "İptal");
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-eonay-cancelled.html", &error);

    g_assert_no_error (error);
    g_assert_false (eimza_nes_web_page_get_eonay_active (page));
    g_assert_cmpstr (eimza_nes_web_page_get_infos (page)[0], ==, "E-onayınız iptal edilmiştir.");
  }
  {
    /* The signer's .jnlp is one the app recognises (data/portal/simulator.ini
     * [jnlp]), and its codebase is where the signer's endpoints are. */
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "tools", "portal-sim",
                                                   "sample-pages", "nes-signer.jnlp", NULL);
    g_autofree char *contents = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(EimzaJnlp) jnlp = NULL;
    g_autoptr(EimzaNesClient) session = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
    jnlp = eimza_jnlp_new_from_bytes (bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpint (eimza_jnlp_recognise (jnlp, profile, &error), ==, EIMZA_JNLP_KIND_SIGNER);
    g_assert_no_error (error);

    session = eimza_nes_client_new (profile, "https://127.0.0.1:8443/", NULL, NULL, NULL, NULL,
                                    &error);
    g_assert_no_error (error);
    g_assert_true (eimza_nes_client_set_signer_base_url (session, eimza_jnlp_get_codebase (jnlp),
                                                         &error));
    g_assert_no_error (error);
    g_assert_cmpstr (eimza_nes_client_get_signer_base_url (session), ==,
                     "https://127.0.0.1:8443/nb/imza/");
  }
  {
    /* The portal's pages are not the NES site's. */
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "redesigned.html", &error);

    g_assert_null (page);
    g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE);
    g_clear_error (&error);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "truncated.html", &error);

    g_assert_null (page);
    g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE);
  }
}

static void
test_session_arguments (void)
{
  g_autoptr(EimzaPortalProfile) profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR,
                                                                    NULL);
  g_autoptr(EimzaPortalProfile) kamusm = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM,
                                                                   NULL);
  g_autoptr(EimzaNesClient) session = NULL;
  g_autoptr(GError) error = NULL;

  /* The simulator's profile has no address of its own. */
  session = eimza_nes_client_new (profile, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A test CA only for loopback. */
  session = eimza_nes_client_new (kamusm, NULL, "/nonexistent/ca.pem", NULL, NULL, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  session = eimza_nes_client_new (kamusm, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_nes_client_get_base_url (session), ==,
                   "https://nesbireysel.kamusm.gov.tr");
  g_assert_cmpstr (eimza_nes_client_get_signer_base_url (session), ==,
                   "https://nesbireysel.kamusm.gov.tr/nb/imza/");
  g_assert_null (eimza_nes_client_get_tckn (session));
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  softhsm_init ();

  g_test_add_func ("/eonay/profile/builtin", test_profile_builtin);
  g_test_add_func ("/eonay/profile/errors", test_profile_errors);
  g_test_add_func ("/eonay/page/samples", test_page_samples);
  g_test_add_func ("/nes-client/arguments", test_session_arguments);

#define ADD(path, args, func) \
  g_test_add ("/nes-client/" path, Fixture, &(args), fixture_set_up, func, fixture_tear_down)

  ADD ("full-flow", default_args, test_full_flow);
  ADD ("cancel", default_args, test_cancel);
  ADD ("jnlp-hand-off", default_args, test_jnlp_hand_off);
  ADD ("code-expired", short_deadline_args, test_code_expired);
  ADD ("replayed-signature", default_args, test_replay);
  ADD ("other-person", default_args, test_other_person);
  ADD ("wrong-content", default_args, test_wrong_content);
  ADD ("tckn-mismatch", default_args, test_tckn_mismatch);
  ADD ("no-client-certificate", default_args, test_no_certificate);
  ADD ("untrusted-certificate", default_args, test_untrusted_certificate);
  ADD ("wrong-pin", default_args, test_wrong_pin);
  ADD ("pin-cancelled", default_args, test_pin_cancelled);
  ADD ("slow-upload", slow_upload_args, test_slow_upload);
  ADD ("upload-lost-answer", slow_upload_lost_args, test_upload_lost_answer);
  ADD ("fault-signer-mismatch", signer_mismatch_args, test_fault_signer_mismatch);

#undef ADD

  result = g_test_run ();
  softhsm_cleanup ();
  return result;
}
