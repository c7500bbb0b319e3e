/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration tests: the e-signed application (E-İmzalı Başvuru) against the simulator, signed on a SoftHSM2 card. */
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
#include "eimza-pkcs11-modules.h"
#include "eimza-portal-error.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"
#include "eimza-secret.h"

/*
 * Each case starts a simulator of its own (its options differ: no
 * --nes-client-ca, a short deadline, slow uploads) and walks the
 * application portal as a fixture person up to the signing method. The
 * signatures are made as the app makes them, with the card library
 * (eimza_cades_sign(), detached CAdES-BES) on the SoftHSM2 token of
 * tests/card/softhsm-setup.sh with EIMZA_SOFTHSM_SECOND_PERSON=1: the
 * certificates of 10000000146 (Ayşe Gül Yılmaz, RSA) and of 10000000214
 * (Mehmet Çağrı Öztürk, ECDSA), issued by the test CA the simulator is
 * given with --nes-client-ca. Every signature the simulator accepts is
 * also checked with `openssl cms -verify`.
 */

#define USER_PIN "123456"
#define AYSE_TCKN "10000000146"
#define AYSE_LABEL AYSE_TCKN "NES0"     /* RSA-2048 */
#define MEHMET_TCKN "10000000214"
#define MEHMET_LABEL MEHMET_TCKN "NES0" /* ECDSA P-256 */
/* Generous, as the machine may be busy building. */
#define TEST_TIMEOUT 15
#define DEFAULT_DEADLINE 120

static char *fixture_dir;
static EimzaPkcs11 *pkcs11;
static EimzaPortalProfile *profile;

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
static gboolean
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

static void
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

/* ------------------------------------------------------------------------
 * The fixture: a simulator of the case's own, and a portal session.
 * ------------------------------------------------------------------------ */

/* A case's simulator: with the test CA for signatures or not, and extra
 * arguments (NULL-terminated). */
typedef struct {
  gboolean nes_ca;
  const char *args[8];
} SimArgs;

static const SimArgs default_args = { TRUE, { NULL } };
static const SimArgs no_ca_args = { FALSE, { NULL } };
static const SimArgs short_deadline_args = { TRUE, { "--sign-deadline-seconds", "3", NULL } };
static const SimArgs slow_args = { TRUE, { "--slow-seconds", "4", NULL } };
static const SimArgs bidi_args = { TRUE, { "--fault", "bidi", NULL } };
static const SimArgs binary_args = { TRUE, { "--fault", "binary", NULL } };
static const SimArgs slow_late_args = {
  TRUE, { "--slow-seconds", "3", "--sign-deadline-seconds", "2", NULL }
};

typedef struct {
  GSubprocess *process;
  char *tls_dir;
  char *url;
  char *ca_file;
  EimzaPortalSession *session;
  GAsyncResult *result;
} Fixture;

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

static void
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

static void
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

/* A request to a test endpoint with the portal session's cookie (its
 * Path=/bp keeps the jar from sending it to /_sim). */
static char *
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
static void
queue_faults (Fixture    *f,
              const char *faults)
{
  g_autofree char *answer = sim_request (f, "POST", "/_sim/faults", faults);
}

/* Walks the portal as Ayşe (previous application pre-filled, e-onay
 * active) or Mehmet up to the signing-method page. */
static void
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

static EimzaPortalSignDocument *
begin_esigned (Fixture  *f,
               GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_begin_esigned_async (f->session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_portal_session_begin_esigned_finish (f->session, result, error);
}

static char *
upload (Fixture  *f,
        GBytes   *cms,
        GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_upload_signature_async (f->session, cms, NULL, store_result_cb, f);
  result = wait_for_result (f);
  return eimza_portal_session_upload_signature_finish (f->session, result, error);
}

static char *
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
static GBytes *
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

static void
assert_sensible_message (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static void
assert_application_number (const char *number)
{
  g_assert_nonnull (number);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{6}$", number, 0, 0));
}

/* Walks up to the method page as Ayşe and begins the e-signed
 * application. */
static EimzaPortalSignDocument *
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

/* ------------------------------------------------------------------------
 * The cases.
 * ------------------------------------------------------------------------ */

/* The simulator's sample pages, with both shipped profiles. */
static void
test_page (void)
{
  g_autoptr(EimzaPortalProfile) kamusm = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "esigned.html", "esigned-expired.html" };

  kamusm = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      EimzaPortalProfile *profiles[] = { profile, kamusm };
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "tools", "portal-sim",
                                                     "sample-pages", names[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize length;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      bytes = g_bytes_new (contents, length);

      for (guint p = 0; p < G_N_ELEMENTS (profiles); p++)
        {
          g_autoptr(EimzaPortalWebPage) page = eimza_portal_web_page_parse (profiles[p], bytes, &error);
          const char *summary;

          g_assert_no_error (error);
          g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_ESIGNED);
          summary = eimza_portal_web_page_get_sign_summary (page);
          g_assert_true (g_str_has_prefix (summary, "T.C. Kimlik No: " AYSE_TCKN "\n"
                                                    "Ad Soyad: Ayşe Gül Yılmaz\n"));
          g_assert_nonnull (strstr (summary, "\nBaşvuru Nedeni: Yenileme\n"));
          g_assert_nonnull (strstr (summary, "\nİl: Ankara\n"));
          /* The security word is the person's secret. */
          g_assert_null (strstr (summary, "Güvenlik"));
          g_assert_true (g_str_has_prefix (eimza_portal_web_page_get_sign_commitment (page),
                                           "Bu başvuru formunda verdiğim bilgilerin"));

          if (i == 0)
            {
              g_assert_null (eimza_portal_web_page_get_errors (page)[0]);
              g_assert_cmpint (eimza_portal_web_page_get_sign_seconds_left (page), ==,
                               DEFAULT_DEADLINE);
              g_assert_cmpstr (eimza_portal_web_page_get_sign_data_url (page), ==,
                               "/bp/eimzaliveri.go?kod=K7QM4XTP");
              g_assert_cmpstr (eimza_portal_web_page_get_sign_upload_url (page), ==,
                               "/bp/eimzaligonder.go?kod=K7QM4XTP");
            }
          else
            {
              g_assert_nonnull (eimza_portal_web_page_get_errors (page)[0]);
              g_assert_cmpint (eimza_portal_web_page_get_sign_seconds_left (page), ==, -1);
              g_assert_null (eimza_portal_web_page_get_sign_data_url (page));
              g_assert_null (eimza_portal_web_page_get_sign_upload_url (page));
            }
        }
    }
}

/* Ayşe signs her application with her own card: the application number,
 * which the portal also shows afterwards. */
static void
test_happy_path (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(EimzaPortalSignDocument) copy = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  g_autofree char *again = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  g_assert_true (g_str_has_prefix (document->summary, "T.C. Kimlik No: " AYSE_TCKN "\n"));
  g_assert_nonnull (strstr (document->summary, "\nKurum Adı: Çankaya Atatürk Anadolu Lisesi\n"));
  g_assert_true (g_str_has_prefix (document->commitment, "Bu başvuru formunda"));
  assert_deadline_within (document, DEFAULT_DEADLINE);

  /* The bytes contain what the page showed, line by line. */
  text = g_strndup (g_bytes_get_data (document->data, NULL), g_bytes_get_size (document->data));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  lines = g_strsplit (document->summary, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strconcat ("\n", lines[i], "\n", NULL);

      g_assert_nonnull (strstr (text, line));
    }
  g_assert_nonnull (strstr (text, document->commitment));

  copy = eimza_portal_sign_document_copy (document);
  g_assert_true (g_bytes_equal (copy->data, document->data));
  g_assert_cmpstr (copy->summary, ==, document->summary);

  /* Nothing made yet: the portal waits for the signature. */
  again = check_application (f, &error);
  g_assert_null (again);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  cms = sign (AYSE_LABEL, document->data);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);

  again = check_application (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, number);
}

/* Mehmet has no e-onay, and signs with an ECDSA key. */
static void
test_happy_path_ecdsa (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  reach_method_page (f, TRUE);
  document = begin_esigned (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (document->summary, "Ad Soyad: Mehmet Çağrı Öztürk\n"));
  g_assert_nonnull (strstr (document->summary, "\nİl: İzmir\n"));

  cms = sign (MEHMET_LABEL, document->data);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);
}

/* Signed too late: refused; the step starts again with a new document,
 * which can still be signed. */
static void
test_expired (Fixture       *f,
              gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(EimzaPortalSignDocument) second = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GBytes) second_cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  assert_deadline_within (document, 3);
  cms = sign (AYSE_LABEL, document->data);
  g_usleep (4 * G_USEC_PER_SEC);

  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  assert_sensible_message (error);
  g_clear_error (&error);

  number = check_application (f, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  g_clear_error (&error);

  /* Nothing to upload for the expired page. */
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  second = begin_esigned (f, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (second->data, document->data));
  second_cms = sign (AYSE_LABEL, second->data);
  number = upload (f, second_cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (second_cms, second->data);
}

/* Signed with another person's certificate: refused; the code is not used
 * up, and the person's own signature is accepted. */
static void
test_wrong_signer (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(GBytes) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  other = sign (MEHMET_LABEL, document->data);
  number = upload (f, other, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER);
  assert_sensible_message (error);
  g_clear_error (&error);

  own = sign (AYSE_LABEL, document->data);
  number = upload (f, own, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (own, document->data);
}

/* A signature over other bytes than the ones handed out. */
static void
test_content_mismatch (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  /* The same document with another postal code. */
  text = g_strndup (g_bytes_get_data (document->data, NULL), g_bytes_get_size (document->data));
  g_assert_nonnull (strstr (text, "Posta Kodu: 06420"));
  memcpy (strstr (text, "Posta Kodu: 06420") + strlen ("Posta Kodu: 0642"), "1", 1);
  tampered = g_bytes_new (text, strlen (text));

  cms = sign (AYSE_LABEL, tampered);
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
  assert_sensible_message (error);
}

/* The bidi fault: the document keeps its heading, gains a line with an
 * override, an isolate and a zero-width space; a signature over exactly
 * those bytes is accepted. */
static void
test_fault_bidi (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  text = g_strndup (g_bytes_get_data (document->data, NULL), g_bytes_get_size (document->data));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "KAMU SM NİTELİKLİ ELEKTRONİK SERTİFİKA BAŞVURUSU\n"));
  g_assert_nonnull (strstr (text, "\u202E00,001\u202C"));
  g_assert_nonnull (strstr (text, "\u2066"));
  g_assert_nonnull (strstr (text, "\u200B"));

  cms = sign (AYSE_LABEL, document->data);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
}

/* The binary fault: bytes that are not text (a NUL, bytes that are not
 * UTF-8) in front of the document. */
static void
test_fault_binary (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  const char *data;
  gsize size = 0;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  data = g_bytes_get_data (document->data, &size);
  g_assert_cmpuint (size, >, 8);
  g_assert_nonnull (memchr (data, '\0', size));
  g_assert_false (g_utf8_validate_len (data, size, NULL));
}

/* The same signature twice: the second is refused. Nor is a signature of
 * one application worth anything for another one. */
static void
test_replay (Fixture       *f,
             gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(EimzaPortalSignDocument) other = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autofree char *number = NULL;
  g_autofree char *replayed = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);

  replayed = upload (f, cms, &error);
  g_assert_null (replayed);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
  assert_sensible_message (error);
  g_clear_error (&error);

  /* A new application of the same person: the old signature is not over
   * its document. */
  eimza_portal_session_restart_async (f->session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  captcha = eimza_portal_session_restart_finish (f->session, result, &error);
  g_assert_no_error (error);
  other = ayse_document (f);
  g_assert_false (g_bytes_equal (other->data, document->data));

  replayed = upload (f, cms, &error);
  g_assert_null (replayed);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
}

/* The portal session ends between the document and the signature. */
static void
test_session_expired (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);
  queue_faults (f, "expire-session");

  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  assert_sensible_message (error);
  g_clear_error (&error);

  /* The document went with the session: nothing is sent. */
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  {
    g_autoptr(EimzaPortalSignDocument) again = begin_esigned (f, &error);

    g_assert_null (again);
    g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  }
}

/* A portal that cannot check signatures says so on the method page, which
 * stays usable for the e-onay application. */
static void
test_no_nes_ca (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  reach_method_page (f, FALSE);
  document = begin_esigned (f, &error);
  g_assert_null (document);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_assert_nonnull (strstr (error->message, "E-imzalı başvuru şu anda alınamıyor"));
  g_clear_error (&error);

  eimza_portal_session_apply_with_eonay_async (f->session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  number = eimza_portal_session_apply_with_eonay_finish (f->session, result, &error);
  g_assert_no_error (error);
  assert_application_number (number);
}

/* The NES site's signature faults on the portal's upload; none of them
 * uses the code up. */
static void
test_faults (Fixture       *f,
             gconstpointer  user_data)
{
  static const struct {
    const char *fault;
    EimzaPortalError code;
  } cases[] = {
    { "signer-mismatch", EIMZA_PORTAL_ERROR_WRONG_SIGNER },
    { "content-mismatch", EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED },
    { "signature-replayed", EIMZA_PORTAL_ERROR_CODE_INVALID },
    { "code-expired", EIMZA_PORTAL_ERROR_CODE_EXPIRED },
  };
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *refused = NULL;

      g_test_message ("fault %s", cases[i].fault);
      queue_faults (f, cases[i].fault);
      refused = upload (f, cms, &error);
      g_assert_null (refused);
      g_assert_error (error, EIMZA_PORTAL_ERROR, (int) cases[i].code);
      assert_sensible_message (error);
      g_clear_error (&error);
    }

  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);
}

/* The code-expired fault on the e-signed page: nothing to sign. */
static void
test_fault_page_expired (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  if (f->session == NULL)
    return;

  reach_method_page (f, FALSE);
  /* The POST on the method page takes the first fault, which means
   * nothing there; the e-signed page after its 303 takes the second. */
  queue_faults (f, "wrong-captcha,code-expired");
  document = begin_esigned (f, &error);
  g_assert_null (document);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  assert_sensible_message (error);
  g_clear_error (&error);

  /* Started again from the expired page. */
  document = begin_esigned (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
}

/* The upload takes longer than the client waits: the client says the
 * signature may have arrived and never sends it again by itself. The
 * simulator holds it back (4 s) past the client's time-out (2 s) and then
 * handles it: first the portal still waits, then the application is made,
 * and the same signature sent again is refused as a replay. */
static void
test_upload_timeout (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *again = NULL;
  gint64 give_up;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  queue_faults (f, "slow-upload");
  eimza_portal_session_set_timeout (f->session, 2);
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "may have reached"));
  g_clear_error (&error);
  eimza_portal_session_set_timeout (f->session, TEST_TIMEOUT);

  number = check_application (f, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (number == NULL && g_get_monotonic_time () < give_up)
    {
      g_usleep (G_USEC_PER_SEC / 2);
      number = check_application (f, &error);
      if (number == NULL)
        {
          g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
          g_clear_error (&error);
        }
    }
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);

  again = upload (f, cms, &error);
  g_assert_null (again);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
}

/* The session asks itself after a lost answer. The upload is held back
 * (4 s) past the client's time-out (2 s); once the portal has handled it,
 * the same signature sent again is refused as used, and the session, which
 * knows the first answer was lost, asks the portal and reports the
 * application that our first upload made. */
static void
test_upload_timeout_resolved (Fixture       *f,
                              gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *again = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  queue_faults (f, "slow-upload");
  eimza_portal_session_set_timeout (f->session, 2);
  number = upload (f, cms, &error);
  g_assert_null (number);
  /* Asked already: the portal has no application yet, a definite answer. */
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  g_assert_true (eimza_portal_error_can_retry (error));
  g_clear_error (&error);
  eimza_portal_session_set_timeout (f->session, TEST_TIMEOUT);

  /* The held upload is handled 4 s after it was sent. */
  g_usleep (3 * G_USEC_PER_SEC);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);

  again = check_application (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, number);

  /* Known now: a copy sent once more is a plain refusal again. */
  g_clear_pointer (&again, g_free);
  again = upload (f, cms, &error);
  g_assert_null (again);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
}

/* The connection breaks right after the POST: the session asks the
 * portal, which never saw the signature, so the answer is the network
 * failure as a definite "not arrived"; the same signature then goes
 * through. */
static void
test_upload_reset (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  queue_faults (f, "reset");
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK);
  g_assert_true (eimza_portal_error_can_retry (error));
  g_clear_error (&error);

  number = check_application (f, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
}

/* The portal handles the upload, then closes the kept-alive connection it
 * came on before answering: the signature arrives once (libsoup never
 * sends a POST again, and neither does the session), and the session asks
 * the portal, which has made the application. */
static void
test_upload_close_after_post (Fixture       *f,
                              gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *again = NULL;
  g_autofree char *count = NULL;
  guint64 n_submissions;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  count = sim_request (f, "GET", "/_sim/submissions", NULL);
  n_submissions = g_ascii_strtoull (count, NULL, 10);
  queue_faults (f, "close-after-post");
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);

  g_clear_pointer (&count, g_free);
  count = sim_request (f, "GET", "/_sim/submissions", NULL);
  g_assert_cmpuint (g_ascii_strtoull (count, NULL, 10), ==, n_submissions + 1);

  again = check_application (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, number);
}

/* The connection breaks after the POST and on every try of the question
 * too (the GET is tried three times): nobody knows, and the session says
 * so instead of guessing. Asking later tells. */
static void
test_upload_unknown (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  queue_faults (f, "reset,reset,reset,reset");
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN);
  assert_sensible_message (error);
  g_assert_true (eimza_portal_error_can_retry (error));
  g_clear_error (&error);

  number = check_application (f, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
}

/* slow-upload with a short deadline: held back past it, then refused. */
static void
test_slow_upload_late (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);
  queue_faults (f, "slow-upload");
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
}

/* Uploading before any document was handed out sends nothing. */
static void
test_upload_without_document (Fixture       *f,
                              gconstpointer  user_data)
{
  g_autoptr(GBytes) cms = g_bytes_new_static ("0", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  assert_sensible_message (error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);
  softhsm_init ();

  g_test_add_func ("/portal/esigned/page", test_page);

#define ADD(path, args, func) \
  g_test_add ("/portal/esigned/" path, Fixture, &(args), fixture_set_up, func, fixture_tear_down)

  ADD ("happy-path", default_args, test_happy_path);
  ADD ("happy-path-ecdsa", default_args, test_happy_path_ecdsa);
  ADD ("expired", short_deadline_args, test_expired);
  ADD ("wrong-signer", default_args, test_wrong_signer);
  ADD ("content-mismatch", default_args, test_content_mismatch);
  ADD ("replay", default_args, test_replay);
  ADD ("session-expired", default_args, test_session_expired);
  ADD ("no-nes-client-ca", no_ca_args, test_no_nes_ca);
  ADD ("faults", default_args, test_faults);
  ADD ("fault-page-expired", default_args, test_fault_page_expired);
  ADD ("upload-timeout", slow_args, test_upload_timeout);
  ADD ("upload-timeout-resolved", slow_args, test_upload_timeout_resolved);
  ADD ("upload-reset", default_args, test_upload_reset);
  ADD ("upload-unknown", default_args, test_upload_unknown);
  ADD ("upload-close-after-post", default_args, test_upload_close_after_post);
  ADD ("slow-upload-late", slow_late_args, test_slow_upload_late);
  ADD ("upload-without-document", default_args, test_upload_without_document);
  ADD ("fault-bidi", bidi_args, test_fault_bidi);
  ADD ("fault-binary", binary_args, test_fault_binary);

#undef ADD

  result = g_test_run ();
  softhsm_cleanup ();
  g_clear_object (&profile);
  return result;
}
