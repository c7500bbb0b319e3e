/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-signed application tests' fixture: the SoftHSM2 token, a simulator per case, the portal's steps. */
#include "config.h"

#include "esigned-application-fixture.h"

static char *fixture_dir;
static EimzaPkcs11 *pkcs11;
EimzaPortalProfile *profile;

/* ------------------------------------------------------------------------
 * The token, once per run.
 * ------------------------------------------------------------------------ */

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

/* FALSE when a tool is missing. */
gboolean
softhsm_init (void)
{
  static const char * const tools[] = { "softhsm2-util", "certtool", "p11tool", "openssl", NULL };
  const char *script = g_getenv ("EIMZA_SOFTHSM_SETUP");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *no_vendor = NULL;

  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        return FALSE;
    }
  if (script == NULL || !g_file_test (script, G_FILE_TEST_IS_REGULAR) ||
      !g_file_test ("/usr/lib/softhsm/libsofthsm2.so", G_FILE_TEST_EXISTS))
    return FALSE;

  fixture_dir = g_dir_make_tmp ("eimza-esigned-XXXXXX", &error);
  g_assert_no_error (error);

  envp = g_environ_setenv (g_get_environ (), "EIMZA_SOFTHSM_SECOND_PERSON", "1", TRUE);
  {
    const char * const argv[] = { "/bin/sh", script, fixture_dir, NULL };

    run_checked (argv, NULL, (const char * const *) envp);
  }

  conf = fixture_path ("softhsm2.conf");
  g_setenv ("SOFTHSM2_CONF", conf, TRUE);

  /* The card library before any TLS use of the process's one GnuTLS;
   * only the registered SoftHSM2, never a vendor module. */
  no_vendor = fixture_path ("no-vendor");
  g_mkdir_with_parents (no_vendor, 0700);
  pkcs11 = eimza_pkcs11_new ();
  {
    const char * const dirs[] = { no_vendor, NULL };

    eimza_pkcs11_set_vendor_dirs (pkcs11, dirs);
  }
  eimza_pkcs11_set_use_registered (pkcs11, TRUE);
  return TRUE;
}

void
softhsm_cleanup (void)
{
  g_clear_pointer (&pkcs11, eimza_pkcs11_free);
  if (fixture_dir != NULL)
    {
      const char * const argv[] = { "rm", "-rf", fixture_dir, NULL };

      run_checked (argv, NULL, NULL);
    }
  g_clear_pointer (&fixture_dir, g_free);
}

const SimArgs default_args = { TRUE, { NULL } };
const SimArgs no_ca_args = { FALSE, { NULL } };
const SimArgs short_deadline_args = { TRUE, { "--sign-deadline-seconds", "3", NULL } };
const SimArgs slow_args = { TRUE, { "--slow-seconds", "4", NULL } };
const SimArgs bidi_args = { TRUE, { "--fault", "bidi", NULL } };
const SimArgs binary_args = { TRUE, { "--fault", "binary", NULL } };
const SimArgs slow_late_args = {
  TRUE, { "--slow-seconds", "3", "--sign-deadline-seconds", "2", NULL }
};

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
  g_autofree char *testca = fixture_path ("testca.pem");
  g_auto(GStrv) words = NULL;

  f->tls_dir = g_dir_make_tmp ("test-esigned-sim-XXXXXX", &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, (gpointer) g_getenv ("EIMZA_PORTAL_SIM"));
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  g_ptr_array_add (argv, "--tls-dir");
  g_ptr_array_add (argv, f->tls_dir);
  g_ptr_array_add (argv, "--test-endpoints");
  if (extra->nes_ca)
    {
      g_ptr_array_add (argv, "--nes-client-ca");
      g_ptr_array_add (argv, testca);
    }
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

  /* "listening https://127.0.0.1:PORT/ ca=DIR/ca.pem"; the NES line that
   * may follow is not needed. */
  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->process));
  line = g_data_input_stream_read_line_utf8 (stdout_stream, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], ==, "listening");
  f->url = g_strdup (words[1]);
  g_assert_true (g_str_has_prefix (words[2], "ca="));
  f->ca_file = g_strdup (words[2] + strlen ("ca="));
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
  g_clear_pointer (&f->url, g_free);
  g_clear_pointer (&f->ca_file, g_free);
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
  if (pkcs11 == NULL)
    {
      g_test_skip ("SoftHSM2, GnuTLS tools or openssl missing");
      return FALSE;
    }
  return TRUE;
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  if (!can_run ())
    return;

  start_simulator (f, user_data);
  f->session = eimza_portal_session_new (profile, f->url, f->ca_file, &error);
  g_assert_no_error (error);
  eimza_portal_session_set_timeout (f->session, TEST_TIMEOUT);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
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
  stop_simulator (f);
}

/* ------------------------------------------------------------------------
 * Helpers.
 * ------------------------------------------------------------------------ */

void
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

GAsyncResult *
wait_for_result (Fixture *f)
{
  guint guard = g_timeout_add_seconds (60, too_long_cb, NULL);

  while (f->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (guard);
  return g_steal_pointer (&f->result);
}

/* A request to a test endpoint with the portal session's cookie (its
 * Path=/bp keeps the jar from sending it to /_sim). */
char *
sim_request (Fixture    *f,
             const char *method,
             const char *path,
             const char *body)
{
  SoupSession *soup = eimza_portal_session_get_soup_session (f->session);
  SoupCookieJar *jar = SOUP_COOKIE_JAR (soup_session_get_feature (soup, SOUP_TYPE_COOKIE_JAR));
  g_autoptr(GUri) portal_uri = eimza_portal_session_resolve (f->session, "/bp/meb.go");
  g_autoptr(GUri) uri = eimza_portal_session_resolve (f->session, path);
  g_autofree char *cookies = soup_cookie_jar_get_cookies (jar, portal_uri, TRUE);
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_disable_feature (msg, SOUP_TYPE_COOKIE_JAR);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookies);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "text/plain", bytes);
    }
  answer = soup_session_send_and_read (soup, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  /* An empty answer has no data at all. */
  if (g_bytes_get_size (answer) == 0)
    return g_strdup ("");
  return g_strstrip (g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer)));
}

/* The next portal requests of this session get these faults, in order. */
void
queue_faults (Fixture    *f,
              const char *faults)
{
  g_autofree char *answer = sim_request (f, "POST", "/_sim/faults", faults);
}

/* Walks the portal as Ayşe (previous application pre-filled, e-onay
 * active) or Mehmet up to the signing-method page. */
void
reach_method_page (Fixture  *f,
                   gboolean  mehmet)
{
  g_autoptr(EimzaRenewalForm) form = eimza_renewal_form_new (NULL);
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *captcha_text = NULL;
  g_autofree char *sms = NULL;
  gboolean eonay = FALSE;

  eimza_portal_session_open_async (f->session, NULL, store_result_cb, f);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (f);

    captcha = eimza_portal_session_open_finish (f->session, result, &error);
    g_assert_no_error (error);
  }

  captcha_text = sim_request (f, "GET", "/_sim/captcha", NULL);
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

  eimza_portal_session_log_in_async (f->session, form, NULL, store_result_cb, f);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (f);

    g_assert_true (eimza_portal_session_log_in_finish (f->session, result, &error));
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

  eimza_portal_session_submit_form_async (f->session, form, NULL, store_result_cb, f);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (f);

    state = eimza_portal_session_submit_form_finish (f->session, result, &error);
    g_assert_no_error (error);
  }
  g_clear_pointer (&state, eimza_portal_sms_state_free);

  eimza_portal_session_send_sms_async (f->session, NULL, store_result_cb, f);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (f);

    state = eimza_portal_session_send_sms_finish (f->session, result, &error);
    g_assert_no_error (error);
  }

  sms = sim_request (f, "GET", "/_sim/sms", NULL);
  eimza_portal_session_verify_sms_async (f->session, sms, NULL, store_result_cb, f);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (f);

    g_assert_true (eimza_portal_session_verify_sms_finish (f->session, result, &eonay, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (eonay, ==, !mehmet);
}

EimzaPortalSignDocument *
begin_esigned (Fixture  *f,
               GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_begin_esigned_async (f->session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_portal_session_begin_esigned_finish (f->session, result, error);
}

char *
upload (Fixture  *f,
        GBytes   *cms,
        GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_upload_signature_async (f->session, cms, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_portal_session_upload_signature_finish (f->session, result, error);
}

char *
check_application (Fixture  *f,
                   GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_check_application_async (f->session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_portal_session_check_application_finish (f->session, result, error);
}

static EimzaCertificate *
find_certificate (const char *label)
{
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = eimza_pkcs11_list_certificates (pkcs11, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);

      if (g_strcmp0 (eimza_certificate_get_label (certificate), label) == 0)
        return g_object_ref (certificate);
    }

  g_error ("No certificate labelled %s", label);
}

/* What the app does with the card: a detached CAdES-BES signature of
 * @content with the key of the certificate labelled @label. */
GBytes *
sign (const char *label,
      GBytes     *content)
{
  g_autoptr(EimzaCertificate) certificate = find_certificate (label);
  g_autoptr(EimzaSecret) pin = eimza_secret_new (USER_PIN, -1);
  g_autoptr(GError) error = NULL;
  GBytes *cms;

  cms = eimza_cades_sign (pkcs11, content, eimza_certificate_get_uri (certificate),
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
assert_deadline_within (const EimzaPortalSignDocument *document,
                        int                            max_seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GTimeSpan left;

  g_assert_nonnull (document->deadline);
  left = g_date_time_difference (document->deadline, now);
  /* Whole seconds left, rounded down: a short deadline may show 0. */
  g_assert_cmpint (left, >, -G_TIME_SPAN_SECOND);
  g_assert_cmpint (left, <=, (GTimeSpan) max_seconds * G_TIME_SPAN_SECOND);
}

void
assert_sensible_message (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

void
assert_application_number (const char *number)
{
  g_assert_nonnull (number);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{6}$", number, 0, 0));
}

/* Walks up to the method page as Ayşe and begins the e-signed
 * application. */
EimzaPortalSignDocument *
ayse_document (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  EimzaPortalSignDocument *document;

  reach_method_page (f, FALSE);
  document = begin_esigned (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}
