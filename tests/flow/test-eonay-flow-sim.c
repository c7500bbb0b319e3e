/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaEonayFlow without a display, against the portal simulator's NES site and a SoftHSM2 card. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>

#include "card-test-fixture.h"
#include "flow-test-person.h"
#include "eimza-eonay-flow.h"
#include "eimza-nes-client-private.h"
#include "eimza-validation.h"

#define LABEL SOFTHSM_TCKN "NES0"
/* Valid, in the simulator's fixtures, but not the certificate's. */
#define OTHER_TCKN "10000000214"

/* --- The simulator ------------------------------------------------------- */

typedef struct {
  GSubprocess *process;
  char *tls_dir;
  char *log_path;
  char *ca_file;
  char *nes_url;
  EimzaCardService *service;
  EimzaCertificate *certificate;
  EimzaPortalProfile *profile;
  FlowTestPerson *person;
  EimzaEonayFlow *flow;
} Bed;

static void
simulator_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A simulator with its NES site (its request log in log_path), the card,
 * the person, and a flow at IDENTITY. */
static void
bed_start (Bed *bed)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *nes_line = NULL;
  g_autofree char *testca = softhsm_fixture_path ("testca.pem");
  g_auto(GStrv) words = NULL;

  bed->tls_dir = g_dir_make_tmp ("test-eonay-flow-sim-XXXXXX", &error);
  g_assert_no_error (error);
  bed->log_path = g_build_filename (bed->tls_dir, "requests.log", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Its request log: methods, paths and statuses, never a body or a query. */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "eimza-portal-sim", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, bed->log_path);
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  bed->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("EIMZA_PORTAL_SIM"),
                                              "--port", "0", "--tls-dir", bed->tls_dir,
                                              "--test-endpoints", "--nes-client-ca", testca,
                                              NULL);
  g_assert_no_error (error);

  /* "listening https://127.0.0.1:PORT/ ca=FILE", then "listening-nes URL". */
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bed->process));
  line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  bed->ca_file = g_strdup (words[2] + strlen ("ca="));
  nes_line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (nes_line, "listening-nes https://127.0.0.1:"));
  bed->nes_url = g_strdup (nes_line + strlen ("listening-nes "));

  bed->profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);
  card_test_open (LABEL, &bed->service, &bed->certificate);
  bed->person = flow_test_person_new (bed->service, bed->certificate);
  bed->flow = eimza_eonay_flow_new (bed->profile, bed->service, bed->nes_url, bed->ca_file);
  g_assert_cmpint (eimza_eonay_flow_get_state (bed->flow), ==, EIMZA_EONAY_FLOW_STATE_IDENTITY);
}

static void
bed_stop (Bed *bed)
{
  const char *names[] = { "ca.pem", "server.pem", "server.key", "requests.log" };

  g_clear_object (&bed->person);
  card_test_close (&bed->flow, &bed->service, &bed->certificate);
  g_subprocess_send_signal (bed->process, SIGTERM);
  g_subprocess_wait (bed->process, NULL, NULL);
  g_clear_object (&bed->process);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (bed->tls_dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (bed->tls_dir);
  g_clear_pointer (&bed->tls_dir, g_free);
  g_clear_pointer (&bed->log_path, g_free);
  g_clear_pointer (&bed->ca_file, g_free);
  g_clear_pointer (&bed->nes_url, g_free);
  g_clear_object (&bed->profile);
}

/* How many requests the simulator answered whose log line ("NES POST
 * /nb/imza/yukle -> 200") starts with @start. */
static guint
count_requests (Bed        *bed,
                const char *start)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (bed->log_path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = strstr (lines[i], "eimza-portal-sim-DEBUG: ");
      const char *request;

      if (line == NULL || (request = strchr (line, ' ')) == NULL ||
          (request = strstr (request, ": ")) == NULL)
        continue;
      if (g_str_has_prefix (request + 2, start))
        n++;
    }
  return n;
}

/* Queues @faults for the next requests of the flow's NES session
 * (POST /_sim/faults with the session's cookie, sent by hand: its
 * Path=/nb keeps the jar from sending it to /_sim), over the session's
 * own connection with the card's certificate. */
static void
queue_faults (Bed        *bed,
              const char *faults)
{
  EimzaNesClient *session = eimza_eonay_flow_get_session (bed->flow);
  g_autoptr(GUri) nb_uri = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = g_bytes_new (faults, strlen (faults));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cookies = NULL;

  g_assert_nonnull (session);
  nb_uri = g_uri_parse_relative (session->site.base_uri, "/nb/eonay.go", G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  uri = g_uri_parse_relative (session->site.base_uri, "/_sim/faults", G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  cookies = soup_cookie_jar_get_cookies (session->site.cookie_jar, nb_uri, TRUE);
  g_assert_nonnull (cookies);

  msg = soup_message_new_from_uri ("POST", uri);
  soup_message_disable_feature (msg, SOUP_TYPE_COOKIE_JAR);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookies);
  soup_message_set_request_body_from_bytes (msg, "text/plain", body);
  soup_session_send_and_read_async (session->site.soup, msg, G_PRIORITY_DEFAULT, NULL,
                                    card_test_store_result_cb, &result);
  answer = soup_session_send_and_read_finish (session->site.soup,
                                              card_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
}

/* --- Driving the flow ---------------------------------------------------- */

typedef void     (*ActionFunc) (EimzaEonayFlow *flow, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
typedef gboolean (*FinishFunc) (EimzaEonayFlow *flow, GAsyncResult *result, GError **error);

/* Runs an action with no argument; checks that it shows @busy at once. */
static gboolean
run (Bed                 *bed,
     ActionFunc           action,
     FinishFunc           finish,
     EimzaEonayFlowState  busy,
     GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  action (bed->flow, NULL, card_test_store_result_cb, &result);
  g_assert_cmpint (eimza_eonay_flow_get_state (bed->flow), ==, busy);
  return finish (bed->flow, card_test_wait_for_result (&result), error);
}

static gboolean
log_in (Bed         *bed,
        const char  *tckn,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_eonay_flow_log_in_async (bed->flow, bed->certificate, tckn,
                                 EIMZA_CARD_TLS_INTERACTION (bed->person), NULL,
                                 card_test_store_result_cb, &result);
  return eimza_eonay_flow_log_in_finish (bed->flow, card_test_wait_for_result (&result), error);
}

static gboolean
sign (Bed     *bed,
      GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_eonay_flow_sign_async (bed->flow, bed->certificate, EIMZA_PIN_ASKER (bed->person), NULL,
                               card_test_store_result_cb, &result);
  g_assert_cmpint (eimza_eonay_flow_get_state (bed->flow), ==, EIMZA_EONAY_FLOW_STATE_SIGNING);
  return eimza_eonay_flow_sign_finish (bed->flow, card_test_wait_for_result (&result), error);
}

static void
assert_state (Bed                 *bed,
              EimzaEonayFlowState  state)
{
  g_assert_cmpint (eimza_eonay_flow_get_state (bed->flow), ==, state);
}

/* Logged in: the login code's data to sign. */
static void
log_in_to_sign (Bed *bed)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (log_in (bed, SOFTHSM_TCKN, &error));
  g_assert_no_error (error);
  assert_state (bed, EIMZA_EONAY_FLOW_STATE_SIGN);
  g_assert_cmpint (eimza_eonay_flow_get_purpose (bed->flow), ==, EIMZA_EONAY_PURPOSE_LOGIN);
  g_assert_nonnull (eimza_eonay_flow_get_sign_data (bed->flow));
  g_assert_null (eimza_eonay_flow_get_error (bed->flow));
}

/* The fixture person's e-onay is active at start: logged in, cancelled,
 * and at the commitment. */
static void
at_consent (Bed *bed)
{
  g_autoptr(GError) error = NULL;

  log_in_to_sign (bed);
  g_assert_true (sign (bed, &error));
  assert_state (bed, EIMZA_EONAY_FLOW_STATE_RESULT);
  g_assert_cmpint (eimza_eonay_flow_get_result (bed->flow), ==, EIMZA_EONAY_FLOW_RESULT_ACTIVE);

  g_assert_true (run (bed, eimza_eonay_flow_cancel_eonay_async,
                      eimza_eonay_flow_cancel_eonay_finish,
                      EIMZA_EONAY_FLOW_STATE_CANCELLING, &error));
  g_assert_no_error (error);
  assert_state (bed, EIMZA_EONAY_FLOW_STATE_RESULT);
  g_assert_cmpint (eimza_eonay_flow_get_result (bed->flow), ==,
                   EIMZA_EONAY_FLOW_RESULT_CANCELLED);

  g_assert_true (run (bed, eimza_eonay_flow_give_again_async,
                      eimza_eonay_flow_give_again_finish,
                      EIMZA_EONAY_FLOW_STATE_OPENING, &error));
  g_assert_no_error (error);
  assert_state (bed, EIMZA_EONAY_FLOW_STATE_CONSENT);
  g_assert_nonnull (eimza_eonay_flow_get_status (bed->flow));
  g_assert_false (eimza_eonay_flow_get_status (bed->flow)->active);
  g_assert_nonnull (strstr (eimza_eonay_flow_get_status (bed->flow)->commitment, "e-onay"));
}

/* From CONSENT: the commitment signed, the e-onay active. */
static void
consent_and_sign (Bed *bed)
{
  g_autoptr(GError) error = NULL;
  const EimzaEonaySignData *data;

  g_assert_true (run (bed, eimza_eonay_flow_consent_async, eimza_eonay_flow_consent_finish,
                      EIMZA_EONAY_FLOW_STATE_CONSENTING, &error));
  g_assert_no_error (error);
  assert_state (bed, EIMZA_EONAY_FLOW_STATE_SIGN);
  g_assert_cmpint (eimza_eonay_flow_get_purpose (bed->flow), ==, EIMZA_EONAY_PURPOSE_EONAY);
  data = eimza_eonay_flow_get_sign_data (bed->flow);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (data->data, NULL),
                                  g_bytes_get_size (data->data), "E-ONAY TAAHHÜTNAMESİ"));

  g_assert_true (sign (bed, &error));
  g_assert_no_error (error);
  assert_state (bed, EIMZA_EONAY_FLOW_STATE_RESULT);
  g_assert_cmpint (eimza_eonay_flow_get_result (bed->flow), ==, EIMZA_EONAY_FLOW_RESULT_ACTIVE);
}

/* --- Cases --------------------------------------------------------------- */

/* The whole e-onay: log in, the login code signed (active already),
 * cancelled, given again, the commitment signed. One PIN for the
 * connection, one per signature; each upload sent once. */
static void
test_good (void)
{
  Bed bed = { 0 };

  bed_start (&bed);
  at_consent (&bed);
  consent_and_sign (&bed);

  g_assert_cmpuint (bed.person->n_asks, ==, 3);
  g_assert_cmpuint (count_requests (&bed, "NES POST /nb/imza/yukle -> 200"), ==, 2);
  g_assert_cmpuint (count_requests (&bed, "NES POST /nb/imza/yukle"), ==, 2);
  bed_stop (&bed);
}

/* Another person's number is refused before anything is sent (no PIN, no
 * request); the right one, typed with spaces, goes on. Then the site
 * refuses the login signature (signer-mismatch): the same code and data
 * stay, and the next signature is accepted. */
static void
test_wrong_then_right (void)
{
  Bed bed = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *code = NULL;

  bed_start (&bed);

  g_assert_false (log_in (&bed, OTHER_TCKN, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH);
  g_assert_nonnull (strstr (error->message, "not the T.C. Kimlik No"));
  g_clear_error (&error);
  assert_state (&bed, EIMZA_EONAY_FLOW_STATE_IDENTITY);
  g_assert_false (eimza_eonay_flow_get_can_retry (bed.flow));
  g_assert_null (eimza_eonay_flow_get_session (bed.flow));
  g_assert_cmpuint (bed.person->n_asks, ==, 0);
  g_assert_cmpuint (count_requests (&bed, "NES "), ==, 0);

  g_assert_false (log_in (&bed, "1000000014", &error));
  g_assert_error (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LENGTH);
  g_clear_error (&error);
  g_assert_cmpuint (count_requests (&bed, "NES "), ==, 0);

  g_assert_true (log_in (&bed, " " SOFTHSM_TCKN " ", &error));
  g_assert_no_error (error);
  assert_state (&bed, EIMZA_EONAY_FLOW_STATE_SIGN);
  g_assert_cmpstr (eimza_eonay_flow_get_tckn (bed.flow), ==, SOFTHSM_TCKN);
  code = g_strdup (eimza_eonay_flow_get_sign_data (bed.flow)->code);
  data = g_bytes_ref (eimza_eonay_flow_get_sign_data (bed.flow)->data);

  queue_faults (&bed, "signer-mismatch");
  g_assert_false (sign (&bed, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER);
  g_clear_error (&error);
  assert_state (&bed, EIMZA_EONAY_FLOW_STATE_SIGN);
  g_assert_false (eimza_eonay_flow_get_can_retry (bed.flow));
  g_assert_cmpstr (eimza_eonay_flow_get_sign_data (bed.flow)->code, ==, code);
  g_assert_true (g_bytes_equal (eimza_eonay_flow_get_sign_data (bed.flow)->data, data));

  g_assert_true (sign (&bed, &error));
  g_assert_no_error (error);
  assert_state (&bed, EIMZA_EONAY_FLOW_STATE_RESULT);
  g_assert_cmpint (eimza_eonay_flow_get_result (bed.flow), ==, EIMZA_EONAY_FLOW_RESULT_ACTIVE);
  g_assert_cmpuint (count_requests (&bed, "NES POST /nb/imza/yukle -> 403"), ==, 1);
  g_assert_cmpuint (count_requests (&bed, "NES POST /nb/imza/yukle -> 200"), ==, 1);

  bed_stop (&bed);
}

/* The consent answered 503 (not handled by the site): CONSENT with the
 * error and can-retry; retry sends it once more and the flow goes on to
 * the commitment, which is signed. */
static void
test_server_failure_then_retry (void)
{
  Bed bed = { 0 };
  g_autoptr(GError) error = NULL;

  bed_start (&bed);
  at_consent (&bed);

  queue_faults (&bed, "http-503");
  g_assert_false (run (&bed, eimza_eonay_flow_consent_async, eimza_eonay_flow_consent_finish,
                       EIMZA_EONAY_FLOW_STATE_CONSENTING, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SERVER);
  g_clear_error (&error);
  assert_state (&bed, EIMZA_EONAY_FLOW_STATE_CONSENT);
  g_assert_true (eimza_eonay_flow_get_can_retry (bed.flow));
  g_assert_true (g_error_matches (eimza_eonay_flow_get_error (bed.flow), EIMZA_PORTAL_ERROR,
                                  EIMZA_PORTAL_ERROR_SERVER));
  g_assert_cmpuint (count_requests (&bed, "NES POST /nb/eonay.go -> 503"), ==, 1);

  g_assert_true (run (&bed, eimza_eonay_flow_retry_async, eimza_eonay_flow_retry_finish,
                      EIMZA_EONAY_FLOW_STATE_CONSENTING, &error));
  g_assert_no_error (error);
  assert_state (&bed, EIMZA_EONAY_FLOW_STATE_SIGN);
  g_assert_null (eimza_eonay_flow_get_error (bed.flow));
  g_assert_cmpint (eimza_eonay_flow_get_purpose (bed.flow), ==, EIMZA_EONAY_PURPOSE_EONAY);

  g_assert_true (sign (&bed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_eonay_flow_get_result (bed.flow), ==, EIMZA_EONAY_FLOW_RESULT_ACTIVE);

  bed_stop (&bed);
}

static void
count_cb (EimzaEonayFlow *flow,
          guint          *count)
{
  (*count)++;
}

/* slow-drip on the upload: the site takes the signature, and its answer
 * never ends; past the deadline the session asks the signer, finds the
 * code used and counts it as arrived. The flow goes on as after an
 * answer, and the signature was sent once. */
static void
test_upload_answer_lost (void)
{
  Bed bed = { 0 };
  g_autoptr(GError) error = NULL;
  guint accepted = 0;
  gboolean signed_ok;

  bed_start (&bed);
  log_in_to_sign (&bed);
  g_signal_connect (bed.flow, "signature-accepted", G_CALLBACK (count_cb), &accepted);

  queue_faults (&bed, "slow-drip");
  eimza_eonay_flow_set_deadline (bed.flow, 5);
  signed_ok = sign (&bed, &error);
  g_assert_no_error (error);
  g_assert_true (signed_ok);
  assert_state (&bed, EIMZA_EONAY_FLOW_STATE_RESULT);
  g_assert_cmpint (eimza_eonay_flow_get_result (bed.flow), ==, EIMZA_EONAY_FLOW_RESULT_ACTIVE);
  g_assert_cmpuint (accepted, ==, 1);
  g_assert_cmpuint (count_requests (&bed, "NES POST /nb/imza/yukle -> 200 faults: slow-drip"), ==,
                    1);
  g_assert_cmpuint (count_requests (&bed, "NES POST /nb/imza/yukle"), ==, 1);
  /* The question that resolved it. */
  g_assert_cmpuint (count_requests (&bed, "NES GET /nb/imza/veri -> 409"), ==, 1);

  bed_stop (&bed);
}

int
main (int   argc,
      char *argv[])
{
  static const CardTestCase cases[] = {
    { "/flow/eonay-flow-sim/good", test_good },
    { "/flow/eonay-flow-sim/wrong-then-right", test_wrong_then_right },
    { "/flow/eonay-flow-sim/server-failure-then-retry", test_server_failure_then_retry },
    { "/flow/eonay-flow-sim/upload-answer-lost", test_upload_answer_lost },
  };
  const char *sim = g_getenv ("EIMZA_PORTAL_SIM");

  if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_init (&argc, &argv, NULL);
      g_test_skip ("The portal simulator is not built (EIMZA_PORTAL_SIM)");
      return g_test_run ();
    }

  return card_test_main (argc, argv, "/flow/eonay-flow-sim/skipped", cases, G_N_ELEMENTS (cases));
}
