/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NES client tests' fixture: a SoftHSM2 token, a simulator per case, the PIN interaction and the flow's steps. */
#include "config.h"

#include "nes-client-fixture.h"

static char *fixture_dir;
static gboolean fixture_owner;

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

const SimArgs default_args = { { NULL } };
const SimArgs short_deadline_args = { { "--sign-deadline-seconds", "2", NULL } };
const SimArgs slow_upload_args = {
  { "--fault", "slow-upload", "--slow-seconds", "4", "--sign-deadline-seconds", "2", NULL }
};
const SimArgs slow_upload_lost_args = {
  { "--fault", "slow-upload", "--slow-seconds", "4", NULL }
};
const SimArgs signer_mismatch_args = { { "--fault", "signer-mismatch", NULL } };

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

char *
fixture_path (const char *name)
{
  return g_build_filename (fixture_dir, name, NULL);
}

/* The token and the test CA, once per test run; subprocesses find them in
 * the environment. FALSE when a tool is missing. */
gboolean
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

void
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

void
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
  {
    g_autoptr(GUri) nes_uri = g_uri_parse (f->nes_url, G_URI_FLAGS_NONE, &error);

    g_assert_no_error (error);
    g_atomic_int_set (&f->nes_port, g_uri_get_port (nes_uri));
  }
}

void
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

static gboolean
handshake_hook (GSignalInvocationHint *hint,
                guint                  n_params,
                const GValue          *params,
                gpointer               user_data)
{
  Fixture *f = user_data;
  SoupMessage *msg = g_value_get_object (&params[0]);

  if (g_value_get_enum (&params[1]) == G_SOCKET_CLIENT_TLS_HANDSHAKING &&
      g_uri_get_port (soup_message_get_uri (msg)) == g_atomic_int_get (&f->nes_port))
    g_atomic_int_inc (&f->n_nes_handshakes);
  return TRUE;
}

/* In the parent: the case runs in a subprocess on a restored token. */
gboolean
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

void
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

  {
    g_autoptr(GTypeClass) message_class = g_type_class_ref (SOUP_TYPE_MESSAGE);

    f->handshake_hook = g_signal_add_emission_hook (g_signal_lookup ("network-event", SOUP_TYPE_MESSAGE),
                                                    0, handshake_hook, f, NULL);
  }
}

void
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
  g_signal_remove_emission_hook (g_signal_lookup ("network-event", SOUP_TYPE_MESSAGE),
                                 f->handshake_hook);
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
EimzaNesClient *
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

char *
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

EimzaEonaySignData *
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

gboolean
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

EimzaEonayStatus *
open_eonay (Fixture         *f,
            EimzaNesClient  *session,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_nes_client_open_eonay_async (session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_nes_client_open_eonay_finish (session, result, error);
}

char *
consent (Fixture         *f,
         EimzaNesClient  *session,
         GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_nes_client_consent_async (session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_nes_client_consent_finish (session, result, error);
}

gboolean
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

gboolean
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
GBytes *
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
void
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

void
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
GBytes *
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
EimzaNesClient *
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

void
assert_sensible_message (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

/* ------------------------------------------------------------------------
 * The application portal of the same simulator run.
 * ------------------------------------------------------------------------ */

void
portal_result_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PortalWait *wait = user_data;

  wait->result = g_object_ref (result);
}

GAsyncResult *
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
gboolean
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
