/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaEsignedApplication without a display, against the portal simulator and a SoftHSM2 card. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>

#include "card-test-fixture.h"
#include "eimza-esigned-application.h"
#include "eimza-portal-error.h"
#include "eimza-portal-session-private.h"

/* The applicant of the simulator's fixtures whose certificate is on the
 * test token (SOFTHSM_TCKN): Ayşe, whose form comes pre-filled. */
#define LABEL SOFTHSM_TCKN "NES0"
#define HTTP_TIMEOUT 15
/* The simulator's request log line of an upload (never its body). */
#define UPLOAD_LINE "POST /bp/eimzaligonder.go -> "

/* --- The scripted person: the PIN for the signature --------------------- */

#define TEST_TYPE_PERSON (test_person_get_type ())
G_DECLARE_FINAL_TYPE (TestPerson, test_person, TEST, PERSON, GObject)

struct _TestPerson
{
  GObject parent_instance;

  const char *pin;                /* NULL: gives up */
  guint n_asks;
};

static void test_person_asker_init (EimzaPinAskerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestPerson, test_person, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EIMZA_TYPE_PIN_ASKER,
                                                      test_person_asker_init))

static void
asker_ask_async (EimzaPinAsker *asker, EimzaPkcs11Token *token, EimzaPinAskFlags flags,
                 GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  TestPerson *self = TEST_PERSON (asker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->n_asks++;
  if (self->pin == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "gave up");
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
asker_ask_finish (EimzaPinAsker *asker, GAsyncResult *result, EimzaSecret **pin,
                  gboolean *final_try_confirmed, GError **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *pin = eimza_secret_new (TEST_PERSON (asker)->pin, -1);
  *final_try_confirmed = FALSE;
  return TRUE;
}

static void
test_person_asker_init (EimzaPinAskerInterface *iface)
{
  iface->ask_async = asker_ask_async;
  iface->ask_finish = asker_ask_finish;
}

static void
test_person_class_init (TestPersonClass *klass)
{
}

static void
test_person_init (TestPerson *self)
{
  self->pin = SOFTHSM_USER_PIN;
}

/* --- The simulator and the portal session -------------------------------- */

typedef struct {
  GSubprocess *process;
  char *tls_dir;
  char *signature_dir;
  char *stderr_path;
  char *url;
  char *ca_file;
  EimzaCardService *service;
  EimzaCertificate *certificate;
  EimzaPortalProfile *profile;
  EimzaPortalSession *portal;
} Bed;

static void
simulator_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
bed_start (Bed                *bed,
           const char * const *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *testca = softhsm_fixture_path ("testca.pem");
  g_auto(GStrv) words = NULL;

  bed->tls_dir = g_dir_make_tmp ("test-flow-esigned-XXXXXX", &error);
  g_assert_no_error (error);
  bed->signature_dir = g_build_filename (bed->tls_dir, "signatures", NULL);
  g_assert_cmpint (g_mkdir (bed->signature_dir, 0700), ==, 0);
  bed->stderr_path = g_build_filename (bed->tls_dir, "sim-stderr.log", NULL);

  g_ptr_array_add (argv, (gpointer) g_getenv ("EIMZA_PORTAL_SIM"));
  for (const char * const *a = (const char * const[]) { "--port", "0", "--test-endpoints", NULL }; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, "--tls-dir");
  g_ptr_array_add (argv, bed->tls_dir);
  /* The portal checks e-signed applications against the test CA. */
  g_ptr_array_add (argv, "--nes-client-ca");
  g_ptr_array_add (argv, testca);
  g_ptr_array_add (argv, "--signature-log");
  g_ptr_array_add (argv, bed->signature_dir);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Its request log (method, path, status: never a body) counts the
   * uploads the portal received. */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, bed->stderr_path);
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  bed->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* "listening https://127.0.0.1:PORT/ ca=FILE"; the NES line after it is
   * not needed. */
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bed->process));
  line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], ==, "listening");
  bed->url = g_strdup (words[1]);
  g_assert_true (g_str_has_prefix (words[2], "ca="));
  bed->ca_file = g_strdup (words[2] + strlen ("ca="));

  bed->profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);
  card_test_open (LABEL, &bed->service, &bed->certificate);
}

/* Stops the simulator: its logs are complete then. */
static void
bed_stop_simulator (Bed *bed)
{
  if (bed->process == NULL)
    return;
  g_subprocess_send_signal (bed->process, SIGTERM);
  g_subprocess_wait (bed->process, NULL, NULL);
  g_clear_object (&bed->process);
}

static void
bed_clean_up (Bed *bed)
{
  const char *names[] = { "ca.pem", "server.pem", "server.key", "sim-stderr.log" };
  g_autoptr(GDir) dir = NULL;
  const char *name;

  bed_stop_simulator (bed);
  dir = g_dir_open (bed->signature_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (bed->signature_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (bed->signature_dir);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (bed->tls_dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (bed->tls_dir);
  g_clear_pointer (&bed->tls_dir, g_free);
  g_clear_pointer (&bed->signature_dir, g_free);
  g_clear_pointer (&bed->stderr_path, g_free);
  g_clear_pointer (&bed->url, g_free);
  g_clear_pointer (&bed->ca_file, g_free);
  g_clear_object (&bed->profile);
}

/* How many uploads the simulator has answered so far (a held one counts
 * once it is handled). */
static guint
uploads_received (Bed *bed)
{
  g_autofree char *text = NULL;
  guint count = 0;

  if (!g_file_get_contents (bed->stderr_path, &text, NULL, NULL))
    return 0;
  for (const char *p = strstr (text, UPLOAD_LINE); p != NULL; p = strstr (p + 1, UPLOAD_LINE))
    count++;
  return count;
}

/* How many application signatures the simulator accepted, each checked
 * with openssl over the exact bytes it had to sign. */
static guint
signatures_accepted (Bed *bed)
{
  guint count = 0;

  for (guint i = 1; ; i++)
    {
      g_autofree char *base = g_strdup_printf ("%s/%03u-application", bed->signature_dir, i);
      g_autofree char *cms_path = g_strconcat (base, ".cms", NULL);
      g_autofree char *content_path = g_strconcat (base, ".content", NULL);
      g_autoptr(GMappedFile) cms = g_mapped_file_new (cms_path, FALSE, NULL);
      g_autoptr(GMappedFile) content = g_mapped_file_new (content_path, FALSE, NULL);
      g_autoptr(GBytes) cms_bytes = NULL;
      g_autoptr(GBytes) content_bytes = NULL;

      if (cms == NULL)
        return count;
      g_assert_nonnull (content);
      cms_bytes = g_mapped_file_get_bytes (cms);
      content_bytes = g_mapped_file_get_bytes (content);
      softhsm_fixture_assert_openssl_verifies (cms_bytes, content_bytes, TRUE);
      count++;
    }
}

/* A request to a test endpoint with the portal session's cookie (its
 * Path=/bp keeps the jar from sending it to /_sim). */
static char *
sim_request (Bed        *bed,
             const char *method,
             const char *path,
             const char *body)
{
  SoupSession *soup = eimza_portal_session_get_soup_session (bed->portal);
  SoupCookieJar *jar = SOUP_COOKIE_JAR (soup_session_get_feature (soup, SOUP_TYPE_COOKIE_JAR));
  g_autoptr(GUri) portal_uri = eimza_portal_session_resolve (bed->portal, "/bp/meb.go");
  g_autoptr(GUri) uri = eimza_portal_session_resolve (bed->portal, path);
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
  if (g_bytes_get_size (answer) == 0)
    return g_strdup ("");
  return g_strstrip (g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer)));
}

/* The next portal requests of this session get these faults, in order. */
static void
queue_faults (Bed        *bed,
              const char *faults)
{
  g_autofree char *answer = sim_request (bed, "POST", "/_sim/faults", faults);
}

/* Sign-in, the form (pre-filled from Ayşe's previous application) and
 * the SMS approval, through the portal session: at the signing method. */
static void
reach_method_page (Bed *bed)
{
  g_autoptr(EimzaRenewalForm) form = eimza_renewal_form_new (NULL);
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *captcha_text = NULL;
  g_autofree char *sms = NULL;
  gboolean eonay = FALSE;

  bed->portal = eimza_portal_session_new (bed->profile, bed->url, bed->ca_file, &error);
  g_assert_no_error (error);
  eimza_portal_session_set_timeout (bed->portal, HTTP_TIMEOUT);

  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_open_async (bed->portal, NULL, card_test_store_result_cb, &result);
    captcha = eimza_portal_session_open_finish (bed->portal, card_test_wait_for_result (&result),
                                                &error);
    g_assert_no_error (error);
  }

  captcha_text = sim_request (bed, "GET", "/_sim/captcha", NULL);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha_text);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_TCKN, SOFTHSM_TCKN);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_GIVEN_NAME, "Ayşe Gül");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_SURNAME, "Yılmaz");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_PLACE, "Ankara");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_DATE, "14.03.1985");
  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_log_in_async (bed->portal, form, NULL, card_test_store_result_cb, &result);
    g_assert_true (eimza_portal_session_log_in_finish (bed->portal,
                                                       card_test_wait_for_result (&result),
                                                       &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_submit_form_async (bed->portal, form, NULL, card_test_store_result_cb,
                                            &result);
    state = eimza_portal_session_submit_form_finish (bed->portal,
                                                     card_test_wait_for_result (&result), &error);
    g_assert_no_error (error);
    g_clear_pointer (&state, eimza_portal_sms_state_free);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_send_sms_async (bed->portal, NULL, card_test_store_result_cb, &result);
    state = eimza_portal_session_send_sms_finish (bed->portal, card_test_wait_for_result (&result),
                                                  &error);
    g_assert_no_error (error);
  }

  sms = sim_request (bed, "GET", "/_sim/sms", NULL);
  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_verify_sms_async (bed->portal, sms, NULL, card_test_store_result_cb,
                                           &result);
    g_assert_true (eimza_portal_session_verify_sms_finish (bed->portal,
                                                           card_test_wait_for_result (&result),
                                                           &eonay, &error));
    g_assert_no_error (error);
  }
}

/* The flow at SIGN, with the portal's document. */
static EimzaEsignedApplication *
application_at_sign (Bed *bed)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaEsignedApplication *application = eimza_esigned_application_new ();
  const EimzaPortalSignDocument *document;

  reach_method_page (bed);
  eimza_esigned_application_set_applicant (application, bed->portal, bed->service, SOFTHSM_TCKN);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_NONE);

  eimza_esigned_application_begin_async (application, NULL, card_test_store_result_cb, &result);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_BEGINNING);
  g_assert_true (eimza_esigned_application_is_busy (application));
  g_assert_true (eimza_esigned_application_begin_finish (application,
                                                         card_test_wait_for_result (&result),
                                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_SIGN);
  g_assert_false (eimza_esigned_application_is_busy (application));

  document = eimza_esigned_application_get_document (application);
  g_assert_nonnull (document);
  g_assert_nonnull (strstr (document->summary, "Ayşe Gül"));
  g_assert_cmpuint (g_bytes_get_size (document->data), >, 0);
  g_assert_nonnull (document->deadline);
  g_assert_false (eimza_esigned_application_has_signature (application));
  return application;
}

static gboolean
sign (EimzaEsignedApplication  *application,
      Bed                      *bed,
      TestPerson               *person,
      GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_esigned_application_sign_async (application, bed->certificate, EIMZA_PIN_ASKER (person),
                                        NULL, card_test_store_result_cb, &result);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_SIGNING);
  return eimza_esigned_application_sign_finish (application, card_test_wait_for_result (&result),
                                                error);
}

static void
assert_applied (EimzaEsignedApplication *application,
                Bed                     *bed)
{
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_APPLIED);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{6}$",
                                       eimza_esigned_application_get_number (application), 0, 0));
  g_assert_null (eimza_esigned_application_get_error (application));
  g_assert_false (eimza_esigned_application_has_signature (application));
  g_assert_cmpstr (eimza_esigned_application_get_certificate_uri (application), ==,
                   eimza_certificate_get_uri (bed->certificate));
}

/* The flow, the portal session and the card service go; nothing may keep
 * them alive. Then the simulator stops, its logs complete. */
static void
close_bed (Bed                      *bed,
           EimzaEsignedApplication **application)
{
  g_clear_object (&bed->portal);
  card_test_close (application, &bed->service, &bed->certificate);
  bed_stop_simulator (bed);
}

/* --- Cases --------------------------------------------------------------- */

/* The document comes, the card signs it once, the portal takes it once. */
static void
test_good (void)
{
  Bed bed = { 0 };
  g_autoptr(TestPerson) person = g_object_new (TEST_TYPE_PERSON, NULL);
  g_autoptr(GError) error = NULL;
  EimzaEsignedApplication *application;

  bed_start (&bed, NULL);
  application = application_at_sign (&bed);

  g_assert_true (sign (application, &bed, person, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (person->n_asks, ==, 1);
  assert_applied (application, &bed);

  close_bed (&bed, &application);
  g_assert_cmpuint (uploads_received (&bed), ==, 1);
  g_assert_cmpuint (signatures_accepted (&bed), ==, 1);
  bed_clean_up (&bed);
}

/* The person stops the document's request (Cancel): Try Again is offered,
 * and asking again, once the stopped one has ended, gives the document. */
static void
test_begin_stopped (void)
{
  Bed bed = { 0 };
  g_autoptr(TestPerson) person = g_object_new (TEST_TYPE_PERSON, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaEsignedApplication *application = eimza_esigned_application_new ();
  const GError *shown;

  bed_start (&bed, NULL);
  reach_method_page (&bed);
  eimza_esigned_application_set_applicant (application, bed.portal, bed.service, SOFTHSM_TCKN);

  eimza_esigned_application_begin_async (application, NULL, card_test_store_result_cb, &result);
  g_assert_true (eimza_esigned_application_stop (application));
  g_assert_false (eimza_esigned_application_stop (application));
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_BEGIN_FAILED);
  shown = eimza_esigned_application_get_error (application);
  g_assert_true (g_error_matches (shown, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT));
  g_assert_cmpstr (shown->message, ==, "Getting your application was stopped.");
  g_assert_true (eimza_esigned_application_get_can_retry (application));
  g_assert_false (eimza_esigned_application_is_busy (application));
  g_assert_false (eimza_esigned_application_begin_finish (application,
                                                          card_test_wait_for_result (&result),
                                                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);
  /* What the stop left stays. */
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_BEGIN_FAILED);

  eimza_esigned_application_begin_async (application, NULL, card_test_store_result_cb, &result);
  g_assert_true (eimza_esigned_application_begin_finish (application,
                                                         card_test_wait_for_result (&result),
                                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_SIGN);
  g_assert_null (eimza_esigned_application_get_error (application));

  g_assert_true (sign (application, &bed, person, &error));
  g_assert_no_error (error);
  assert_applied (application, &bed);

  g_clear_object (&result);
  close_bed (&bed, &application);
  g_assert_cmpuint (uploads_received (&bed), ==, 1);
  g_assert_cmpuint (signatures_accepted (&bed), ==, 1);
  bed_clean_up (&bed);
}

/* The card refuses a wrong PIN: nothing is sent, the flow stays at SIGN
 * with the card's message; the right PIN then signs, sent once. */
static void
test_wrong_pin_then_right (void)
{
  Bed bed = { 0 };
  g_autoptr(TestPerson) person = g_object_new (TEST_TYPE_PERSON, NULL);
  g_autoptr(GError) error = NULL;
  EimzaEsignedApplication *application;
  const GError *shown;

  bed_start (&bed, NULL);
  application = application_at_sign (&bed);

  person->pin = SOFTHSM_WRONG_PIN;
  g_assert_false (sign (application, &bed, person, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_SIGN);
  shown = eimza_esigned_application_get_error (application);
  g_assert_true (g_error_matches (shown, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT));
  g_assert_false (eimza_esigned_application_has_signature (application));
  g_assert_cmpuint (uploads_received (&bed), ==, 0);
  g_clear_error (&error);

  /* The person gives up at the PIN: quietly back to SIGN. */
  person->pin = NULL;
  g_assert_false (sign (application, &bed, person, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_SIGN);
  g_assert_null (eimza_esigned_application_get_error (application));
  g_clear_error (&error);

  person->pin = SOFTHSM_USER_PIN;
  g_assert_true (sign (application, &bed, person, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (person->n_asks, ==, 3);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
  assert_applied (application, &bed);

  close_bed (&bed, &application);
  g_assert_cmpuint (uploads_received (&bed), ==, 1);
  g_assert_cmpuint (signatures_accepted (&bed), ==, 1);
  bed_clean_up (&bed);
}

/* http-500 on the upload: the session asks whether the application was
 * made (not yet), the signature is kept, and the same one sent again on
 * Try Again is taken; the card signed once. */
static void
test_server_failure_then_success (void)
{
  Bed bed = { 0 };
  g_autoptr(TestPerson) person = g_object_new (TEST_TYPE_PERSON, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaEsignedApplication *application;

  bed_start (&bed, NULL);
  application = application_at_sign (&bed);

  queue_faults (&bed, "http-500");
  g_assert_false (sign (application, &bed, person, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_UPLOAD_FAILED);
  g_assert_true (eimza_esigned_application_get_can_retry (application));
  g_assert_true (eimza_esigned_application_has_signature (application));
  g_assert_cmpuint (uploads_received (&bed), ==, 1);
  g_clear_error (&error);

  /* Not the time to ask: the portal said it waits for the signature. */
  eimza_esigned_application_check_async (application, NULL, card_test_store_result_cb, &result);
  g_assert_false (eimza_esigned_application_check_finish (application,
                                                          card_test_wait_for_result (&result),
                                                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_object (&result);

  eimza_esigned_application_upload_async (application, NULL, NULL, NULL,
                                          card_test_store_result_cb, &result);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_UPLOADING);
  g_assert_true (eimza_esigned_application_upload_finish (application,
                                                          card_test_wait_for_result (&result),
                                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (person->n_asks, ==, 1);
  assert_applied (application, &bed);

  g_clear_object (&result);
  close_bed (&bed, &application);
  g_assert_cmpuint (uploads_received (&bed), ==, 2);
  g_assert_cmpuint (signatures_accepted (&bed), ==, 1);
  bed_clean_up (&bed);
}

/* slow-upload holds the upload (4 s) past the client's time-out (2 s), and
 * the session's own question fails (the connection breaks on each of its
 * tries): nobody knows whether it arrived. The flow never sends it again:
 * once the simulator has handled the held upload, asking tells the
 * application's number. */
static void
test_lost_answer_resolved_by_check (void)
{
  static const char * const args[] = { "--slow-seconds", "4", NULL };
  Bed bed = { 0 };
  g_autoptr(TestPerson) person = g_object_new (TEST_TYPE_PERSON, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaEsignedApplication *application;
  gint64 give_up;

  bed_start (&bed, args);
  application = application_at_sign (&bed);

  queue_faults (&bed, "slow-upload,reset,reset,reset");
  eimza_portal_session_set_timeout (bed.portal, 2);
  g_assert_false (sign (application, &bed, person, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN);
  g_assert_true (eimza_esigned_application_get_can_retry (application));
  g_assert_true (eimza_esigned_application_has_signature (application));
  g_clear_error (&error);
  eimza_portal_session_set_timeout (bed.portal, HTTP_TIMEOUT);

  /* The same signature is never sent blindly while nobody knows. */
  eimza_esigned_application_upload_async (application, NULL, NULL, NULL,
                                          card_test_store_result_cb, &result);
  g_assert_false (eimza_esigned_application_upload_finish (application,
                                                           card_test_wait_for_result (&result),
                                                           &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* The simulator handles the held upload 4 s after it came. */
  give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (uploads_received (&bed) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_usleep (G_USEC_PER_SEC / 10);
    }

  eimza_esigned_application_check_async (application, NULL, card_test_store_result_cb, &result);
  g_assert_cmpint (eimza_esigned_application_get_state (application), ==,
                   EIMZA_ESIGNED_APPLICATION_STATE_CHECKING);
  g_assert_true (eimza_esigned_application_check_finish (application,
                                                         card_test_wait_for_result (&result),
                                                         &error));
  g_assert_no_error (error);
  g_assert_cmpuint (person->n_asks, ==, 1);
  assert_applied (application, &bed);

  g_clear_object (&result);
  close_bed (&bed, &application);
  g_assert_cmpuint (uploads_received (&bed), ==, 1);
  g_assert_cmpuint (signatures_accepted (&bed), ==, 1);
  bed_clean_up (&bed);
}

int
main (int   argc,
      char *argv[])
{
  static const CardTestCase cases[] = {
    { "/flow/esigned-application-sim/good", test_good },
    { "/flow/esigned-application-sim/begin-stopped", test_begin_stopped },
    { "/flow/esigned-application-sim/wrong-pin-then-right", test_wrong_pin_then_right },
    { "/flow/esigned-application-sim/server-failure-then-success", test_server_failure_then_success },
    { "/flow/esigned-application-sim/lost-answer-resolved-by-check", test_lost_answer_resolved_by_check },
  };
  const char *sim = g_getenv ("EIMZA_PORTAL_SIM");

  if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_init (&argc, &argv, NULL);
      g_test_skip ("The portal simulator is not built (EIMZA_PORTAL_SIM)");
      return g_test_run ();
    }

  return card_test_main (argc, argv, "/flow/esigned-application-sim/skipped", cases,
                         G_N_ELEMENTS (cases));
}
