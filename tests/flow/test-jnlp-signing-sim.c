/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaJnlpSigning without a display, against the portal simulator and a SoftHSM2 card. */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "card-test-fixture.h"
#include "flow-test-person.h"
#include "eimza-jnlp-signing.h"

#define LABEL SOFTHSM_TCKN "NES0"

/* --- The simulator ------------------------------------------------------- */

typedef struct {
  GSubprocess *process;
  char *tls_dir;
  char *ca_file;
  char *nes_url;
  char *jnlp_path;
  EimzaCardService *service;
  EimzaCertificate *certificate;
  EimzaPortalProfile *profile;
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
  g_autofree char *nes_line = NULL;
  g_autofree char *testca = softhsm_fixture_path ("testca.pem");
  g_autofree char *sample = NULL;
  g_autofree char *text = NULL;
  g_autofree char *codebase = NULL;
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) parts = NULL;

  bed->tls_dir = g_dir_make_tmp ("test-flow-sim-XXXXXX", &error);
  g_assert_no_error (error);
  g_ptr_array_add (argv, (gpointer) g_getenv ("EIMZA_PORTAL_SIM"));
  for (const char * const *a = (const char * const[]) { "--port", "0", "--tls-dir", NULL }; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, bed->tls_dir);
  g_ptr_array_add (argv, "--test-endpoints");
  g_ptr_array_add (argv, "--nes-client-ca");
  g_ptr_array_add (argv, testca);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  bed->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
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

  /* The simulator's signer descriptor, at this simulator. */
  sample = g_test_build_filename (G_TEST_DIST, "..", "portal", "jnlp", "simulator-signer.jnlp", NULL);
  g_assert_true (g_file_get_contents (sample, &text, NULL, NULL));
  parts = g_strsplit (text, "https://127.0.0.1:41443/", -1);
  codebase = g_strjoinv (bed->nes_url, parts);
  bed->jnlp_path = g_build_filename (bed->tls_dir, "nesimza.jnlp", NULL);
  g_assert_true (g_file_set_contents (bed->jnlp_path, codebase, -1, NULL));

  bed->profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);
  card_test_open (LABEL, &bed->service, &bed->certificate);
}

static void
bed_stop (Bed *bed)
{
  const char *names[] = { "ca.pem", "server.pem", "server.key", "nesimza.jnlp" };

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
  g_clear_pointer (&bed->ca_file, g_free);
  g_clear_pointer (&bed->nes_url, g_free);
  g_clear_pointer (&bed->jnlp_path, g_free);
  g_clear_object (&bed->profile);
}

/* The web page's part: the person logs in on the NES site with the card,
 * and the site shows a code for the signer. */
static char *
site_code (Bed *bed)
{
  g_autoptr(FlowTestPerson) person = flow_test_person_new (bed->service, bed->certificate);
  g_autoptr(EimzaNesClient) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_url = NULL;
  g_autofree char *key_url = NULL;
  char *code;

  g_assert_true (eimza_card_tls_interaction_route (EIMZA_CARD_TLS_INTERACTION (person),
                                                   bed->certificate, &cert_url, &key_url, &error));
  session = eimza_nes_client_new (bed->profile, bed->nes_url, bed->ca_file, cert_url, key_url,
                                  G_TLS_INTERACTION (person), &error);
  g_assert_no_error (error);
  eimza_nes_client_log_in_async (session, SOFTHSM_TCKN, NULL, card_test_store_result_cb, &result);
  code = eimza_nes_client_log_in_finish (session, card_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  card_test_drain ();
  return code;
}

static EimzaCardTlsInteraction *
create_tls_interaction_cb (EimzaJnlpSigning *signing,
                           EimzaCertificate *certificate,
                           Bed              *bed)
{
  return EIMZA_CARD_TLS_INTERACTION (flow_test_person_new (bed->service, certificate));
}

static EimzaJnlpSigning *
signing_at_code (Bed *bed)
{
  g_autoptr(GFile) file = g_file_new_for_path (bed->jnlp_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaJnlpSigning *signing;

  signing = eimza_jnlp_signing_new (bed->profile, bed->service, bed->nes_url, bed->ca_file);
  g_signal_connect (signing, "create-tls-interaction", G_CALLBACK (create_tls_interaction_cb), bed);
  eimza_jnlp_signing_load_async (signing, file, NULL, card_test_store_result_cb, &result);
  g_assert_true (eimza_jnlp_signing_load_finish (signing, card_test_wait_for_result (&result),
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_CODE);
  return signing;
}

static gboolean
fetch (EimzaJnlpSigning  *signing,
       const char        *code,
       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_jnlp_signing_fetch_async (signing, code, NULL, card_test_store_result_cb, &result);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_FETCHING);
  return eimza_jnlp_signing_fetch_finish (signing, card_test_wait_for_result (&result), error);
}

static gboolean
sign (EimzaJnlpSigning  *signing,
      Bed               *bed,
      FlowTestPerson    *person,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_jnlp_signing_sign_async (signing, bed->certificate, EIMZA_PIN_ASKER (person), NULL,
                                 card_test_store_result_cb, &result);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_SIGNING);
  return eimza_jnlp_signing_sign_finish (signing, card_test_wait_for_result (&result), error);
}

static void
close_bed (Bed               *bed,
           EimzaJnlpSigning **signing)
{
  card_test_close (signing, &bed->service, &bed->certificate);
  bed_stop (bed);
}

/* --- Cases --------------------------------------------------------------- */

/* The code typed by hand; the card signs; the simulator accepts it. */
static void
test_good (void)
{
  Bed bed = { 0 };
  g_autoptr(FlowTestPerson) person = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  EimzaJnlpSigning *signing;
  GBytes *data;

  bed_start (&bed, NULL);
  code = site_code (&bed);
  signing = signing_at_code (&bed);

  g_assert_true (fetch (signing, code, &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_SIGN);
  g_assert_cmpstr (eimza_jnlp_signing_get_sign_data (signing)->code, ==, code);
  g_assert_cmpint (eimza_jnlp_signing_get_sign_data (signing)->purpose, ==, EIMZA_EONAY_PURPOSE_LOGIN);
  data = g_bytes_ref (eimza_jnlp_signing_get_sign_data (signing)->data);
  g_assert_nonnull (eimza_jnlp_signing_get_tls_certificate_uri (signing));
  g_assert_true (eimza_jnlp_signing_is_in_progress (signing));

  person = flow_test_person_new (bed.service, bed.certificate);
  g_assert_true (sign (signing, &bed, person, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (person->n_asks, ==, 1);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_DONE);
  g_assert_null (eimza_jnlp_signing_get_error (signing));
  g_assert_null (eimza_jnlp_signing_get_sign_data (signing));
  g_bytes_unref (data);

  g_clear_object (&person);
  close_bed (&bed, &signing);
}

/* A code the site never gave: back to the code, with the plain message. */
static void
test_unknown_code (void)
{
  Bed bed = { 0 };
  g_autoptr(GError) error = NULL;
  EimzaJnlpSigning *signing;

  bed_start (&bed, NULL);
  signing = signing_at_code (&bed);

  g_assert_false (fetch (signing, "ZZZZ-2222", &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
  g_assert_nonnull (strstr (error->message, "does not know this code"));
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_CODE);
  g_assert_true (g_error_matches (eimza_jnlp_signing_get_error (signing), EIMZA_PORTAL_ERROR,
                                  EIMZA_PORTAL_ERROR_CODE_INVALID));
  g_assert_false (eimza_jnlp_signing_get_can_retry (signing));

  close_bed (&bed, &signing);
}

/* The person gives up at the PIN: nothing sent, still at SIGN. */
static void
test_pin_refused (void)
{
  Bed bed = { 0 };
  g_autoptr(FlowTestPerson) person = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  EimzaJnlpSigning *signing;
  guint logins;

  bed_start (&bed, NULL);
  code = site_code (&bed);
  signing = signing_at_code (&bed);
  g_assert_true (fetch (signing, code, &error));

  person = flow_test_person_new (bed.service, bed.certificate);
  person->pin = NULL;
  logins = softhsm_fixture_login_calls ();
  g_assert_false (sign (signing, &bed, person, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, logins);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_SIGN);
  g_clear_error (&error);

  /* The person tries again and the site takes it. */
  person->pin = SOFTHSM_USER_PIN;
  g_assert_true (sign (signing, &bed, person, &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_DONE);

  g_clear_object (&person);
  close_bed (&bed, &signing);
}

/* slow-upload: the answer to the upload is lost (the deadline passes);
 * the session finds the code still waiting: UPLOAD_FAILED, the signature
 * kept; sent again once the held one was handled, it counts as arrived. */
static void
test_upload_lost_answer (void)
{
  static const char * const args[] = { "--fault", "slow-upload", "--slow-seconds", "4", NULL };
  Bed bed = { 0 };
  g_autoptr(FlowTestPerson) person = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  EimzaJnlpSigning *signing;

  bed_start (&bed, args);
  code = site_code (&bed);
  signing = signing_at_code (&bed);
  g_assert_true (fetch (signing, code, &error));

  eimza_jnlp_signing_set_deadline (signing, 2);
  person = flow_test_person_new (bed.service, bed.certificate);
  g_assert_false (sign (signing, &bed, person, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==,
                   EIMZA_JNLP_SIGNING_STATE_UPLOAD_FAILED);
  g_assert_true (eimza_jnlp_signing_get_can_retry (signing));
  g_clear_error (&error);

  /* The held upload is handled 4 s after it was sent. */
  g_usleep (3 * G_USEC_PER_SEC);
  eimza_jnlp_signing_upload_async (signing, NULL, NULL, card_test_store_result_cb, &result);
  g_assert_true (eimza_jnlp_signing_upload_finish (signing, card_test_wait_for_result (&result),
                                                   &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_DONE);
  g_assert_cmpuint (person->n_asks, ==, 1);

  /* The result holds the flow. */
  g_clear_object (&result);
  g_clear_object (&person);
  close_bed (&bed, &signing);
}

int
main (int   argc,
      char *argv[])
{
  static const CardTestCase cases[] = {
    { "/flow/jnlp-signing-sim/good", test_good },
    { "/flow/jnlp-signing-sim/unknown-code", test_unknown_code },
    { "/flow/jnlp-signing-sim/pin-refused", test_pin_refused },
    { "/flow/jnlp-signing-sim/upload-lost-answer", test_upload_lost_answer },
  };
  const char *sim = g_getenv ("EIMZA_PORTAL_SIM");

  if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_init (&argc, &argv, NULL);
      g_test_skip ("The portal simulator is not built (EIMZA_PORTAL_SIM)");
      return g_test_run ();
    }

  return card_test_main (argc, argv, "/flow/jnlp-signing-sim/skipped", cases, G_N_ELEMENTS (cases));
}
