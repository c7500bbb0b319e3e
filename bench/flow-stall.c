/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the main-loop stalls of the renewal, the e-signed application and a .jnlp signing, against the simulator with a SoftHSM2 card. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include "card-test-fixture.h"
#include "eimza-esigned-application.h"
#include "eimza-jnlp-signing.h"
#include "eimza-portal-session-private.h"
#include "flow-test-person.h"
#include "stall-probe.h"

/*
 * What the application does, on the GLib main loop with the real library
 * code and the card service (SoftHSM2 behind the PIN policy module, the
 * fixtures' first person), for:
 *
 * - the renewal: EimzaPortalSession new → open → log_in → submit_form →
 *   send_sms → verify_sms (at the signing method; the captcha and the SMS
 *   code come from the simulator's test endpoints, asked on a thread of
 *   their own, as the person would read them);
 * - the e-signed application, after that: EimzaEsignedApplication
 *   set_applicant → begin (the code and the document) → sign (the card's
 *   signature on the worker, the upload);
 * - a .jnlp signing: EimzaJnlpSigning new → load → fetch (a new TLS
 *   connection to the NES site) → sign (a second one, with the card's
 *   certificate: the PIN, the card's signature, the upload). The code is
 *   the NES site's, from a login that is not measured (a browser's part).
 *
 * Each run has a simulator of its own (start-up not measured). Per flow:
 * the longest main-loop stall (stall-probe.h), the step it fell in, and the
 * stalls over 4 ms. Prints figures only; fails only when a flow goes wrong;
 * exits 77 without the simulator or the card tools.
 *
 * Usage: flow-stall [--runs N] (5), after one warm-up run.
 */

#define SKIP_EXIT_CODE 77
#define DEFAULT_RUNS 5
#define LABEL SOFTHSM_TCKN "NES0"
#define HTTP_TIMEOUT 15

typedef enum {
  FLOW_RENEWAL,
  FLOW_ESIGNED,
  FLOW_JNLP,
  N_FLOWS
} Flow;

static const char * const flow_names[N_FLOWS] = {
  "renewal (sign-in → form → SMS)",
  "e-signed application",
  ".jnlp signing",
};

typedef struct {
  gint64 stall_us;
  char *where;
  guint over;
} FlowFigures;

/* --- The bench: simulator, card, probe --------------------------------------- */

typedef struct {
  EimzaCardService *service;
  EimzaCertificate *certificate;
  EimzaPortalProfile *profile;
  BenchStallProbe *probe;

  GSubprocess *sim;
  char *tls_dir;
  char *url;
  char *nes_url;
  char *ca_file;
  char *jnlp_path;
} Bench;

static void G_GNUC_NORETURN
fail (const char   *what,
      const GError *error)
{
  fprintf (stderr, "flow-stall: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (EXIT_FAILURE);
}

static void
check (gboolean      ok,
       const char   *what,
       const GError *error)
{
  if (!ok)
    fail (what, error);
}

static void
simulator_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_simulator (Bench *bench)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *nes_line = NULL;
  g_autofree char *testca = softhsm_fixture_path ("testca.pem");
  g_autofree char *sample = NULL;
  g_autofree char *text = NULL;
  g_autofree char *jnlp = NULL;
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) parts = NULL;

  bench->tls_dir = g_dir_make_tmp ("bench-flow-stall-XXXXXX", &error);
  check (bench->tls_dir != NULL, "temporary directory", error);
  {
    const char * const argv[] = {
      g_getenv ("EIMZA_PORTAL_SIM"), "--port", "0", "--tls-dir", bench->tls_dir,
      "--test-endpoints", "--nes-client-ca", testca, NULL
    };

    launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
    g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
    g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
    bench->sim = g_subprocess_launcher_spawnv (launcher, argv, &error);
    check (bench->sim != NULL, "the simulator", error);
  }

  /* "listening https://127.0.0.1:PORT/ ca=FILE", then "listening-nes URL". */
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bench->sim));
  line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);
  nes_line = line != NULL ? g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error) : NULL;
  check (nes_line != NULL && g_str_has_prefix (nes_line, "listening-nes "), "the simulator's start",
         error);
  words = g_strsplit (line, " ", -1);
  check (g_strv_length (words) == 3 && g_str_has_prefix (words[2], "ca="),
         "the simulator's first line", NULL);
  bench->url = g_strdup (words[1]);
  bench->ca_file = g_strdup (words[2] + strlen ("ca="));
  bench->nes_url = g_strdup (nes_line + strlen ("listening-nes "));

  /* The simulator's signer descriptor, at this simulator. */
  sample = g_test_build_filename (G_TEST_DIST, "..", "portal", "jnlp", "simulator-signer.jnlp", NULL);
  check (g_file_get_contents (sample, &text, NULL, &error), "the sample .jnlp", error);
  parts = g_strsplit (text, "https://127.0.0.1:41443/", -1);
  jnlp = g_strjoinv (bench->nes_url, parts);
  bench->jnlp_path = g_build_filename (bench->tls_dir, "nesimza.jnlp", NULL);
  check (g_file_set_contents (bench->jnlp_path, jnlp, -1, &error), "the .jnlp", error);
}

static void
stop_simulator (Bench *bench)
{
  const char *names[] = { "ca.pem", "server.pem", "server.key", "nesimza.jnlp" };

  g_subprocess_send_signal (bench->sim, SIGTERM);
  g_subprocess_wait (bench->sim, NULL, NULL);
  g_clear_object (&bench->sim);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (bench->tls_dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (bench->tls_dir);
  g_clear_pointer (&bench->tls_dir, g_free);
  g_clear_pointer (&bench->url, g_free);
  g_clear_pointer (&bench->nes_url, g_free);
  g_clear_pointer (&bench->ca_file, g_free);
  g_clear_pointer (&bench->jnlp_path, g_free);
}

/* Waits for @slot on the main loop under @label (the probe counts it). */
static GAsyncResult *
wait_step (Bench         *bench,
           const char    *label,
           GAsyncResult **slot)
{
  bench_stall_probe_set_label (bench->probe, label);
  return card_test_wait_for_result (slot);
}

/* --- A test endpoint, read as the person reads the captcha or the SMS --- */

typedef struct {
  SoupSession *soup;
  SoupMessage *msg;
} EndpointRequest;

static void
endpoint_request_free (EndpointRequest *request)
{
  g_object_unref (request->soup);
  g_object_unref (request->msg);
  g_free (request);
}

static void
endpoint_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  EndpointRequest *request = task_data;
  GError *error = NULL;
  GBytes *answer = soup_session_send_and_read (request->soup, request->msg, NULL, &error);

  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) g_bytes_unref);
}

/* With the portal session's cookie; on a thread, so that the main loop's
 * figures are the application's only. */
static char *
endpoint_get (Bench              *bench,
              EimzaPortalSession *portal,
              const char         *path)
{
  SoupSession *soup = eimza_portal_session_get_soup_session (portal);
  SoupCookieJar *jar = SOUP_COOKIE_JAR (soup_session_get_feature (soup, SOUP_TYPE_COOKIE_JAR));
  g_autoptr(GUri) portal_uri = eimza_portal_session_resolve (portal, "/bp/meb.go");
  g_autoptr(GUri) uri = eimza_portal_session_resolve (portal, path);
  g_autofree char *cookies = soup_cookie_jar_get_cookies (jar, portal_uri, TRUE);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  EndpointRequest *request = g_new0 (EndpointRequest, 1);

  request->soup = g_object_ref (soup);
  request->msg = soup_message_new_from_uri ("GET", uri);
  soup_message_disable_feature (request->msg, SOUP_TYPE_COOKIE_JAR);
  soup_message_headers_replace (soup_message_get_request_headers (request->msg), "Cookie", cookies);

  task = g_task_new (NULL, NULL, card_test_store_result_cb, &result);
  g_task_set_task_data (task, request, (GDestroyNotify) endpoint_request_free);
  g_task_run_in_thread (task, endpoint_thread);
  answer = g_task_propagate_pointer (G_TASK (wait_step (bench, "test endpoint (the person reads)",
                                                        &result)), &error);
  check (answer != NULL, path, error);
  return g_strstrip (g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer)));
}

/* --- The flows ------------------------------------------------------------ */

static void
take_figures (Bench       *bench,
              FlowFigures *figures)
{
  const char *where;

  bench_stall_probe_stop (bench->probe);
  figures->stall_us = bench_stall_probe_longest (bench->probe, &where);
  figures->where = g_strdup (where);
  figures->over = bench_stall_probe_n_over (bench->probe);
}

/* The renewal up to the signing method, then the e-signed application. */
static void
run_renewal_and_esigned (Bench       *bench,
                         FlowFigures *renewal,
                         FlowFigures *esigned)
{
  g_autoptr(EimzaRenewalForm) form = eimza_renewal_form_new (NULL);
  g_autoptr(EimzaPortalSession) portal = NULL;
  g_autoptr(EimzaEsignedApplication) application = NULL;
  g_autoptr(FlowTestPerson) person = flow_test_person_new (bench->service, bench->certificate);
  g_autoptr(GError) error = NULL;
  g_autofree char *captcha = NULL;
  g_autofree char *sms = NULL;
  gboolean eonay = FALSE;

  bench_stall_probe_start (bench->probe, "portal_session_new");
  portal = eimza_portal_session_new (bench->profile, bench->url, bench->ca_file, &error);
  check (portal != NULL, "portal_session_new", error);
  eimza_portal_session_set_timeout (portal, HTTP_TIMEOUT);

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) image = NULL;

    eimza_portal_session_open_async (portal, NULL, card_test_store_result_cb, &result);
    image = eimza_portal_session_open_finish (portal, wait_step (bench, "open", &result), &error);
    check (image != NULL, "open", error);
  }

  captcha = endpoint_get (bench, portal, "/_sim/captcha");
  bench_stall_probe_set_label (bench->probe, "log_in");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_TCKN, SOFTHSM_TCKN);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_GIVEN_NAME, "Ayşe Gül");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_SURNAME, "Yılmaz");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_PLACE, "Ankara");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_DATE, "14.03.1985");
  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_log_in_async (portal, form, NULL, card_test_store_result_cb, &result);
    check (eimza_portal_session_log_in_finish (portal, wait_step (bench, "log_in", &result), &error),
           "log_in", error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(EimzaPortalSmsState) state = NULL;

    bench_stall_probe_set_label (bench->probe, "submit_form");
    eimza_portal_session_submit_form_async (portal, form, NULL, card_test_store_result_cb, &result);
    state = eimza_portal_session_submit_form_finish (portal, wait_step (bench, "submit_form", &result),
                                                     &error);
    check (state != NULL, "submit_form", error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(EimzaPortalSmsState) state = NULL;

    bench_stall_probe_set_label (bench->probe, "send_sms");
    eimza_portal_session_send_sms_async (portal, NULL, card_test_store_result_cb, &result);
    state = eimza_portal_session_send_sms_finish (portal, wait_step (bench, "send_sms", &result),
                                                  &error);
    check (state != NULL, "send_sms", error);
  }
  sms = endpoint_get (bench, portal, "/_sim/sms");
  {
    g_autoptr(GAsyncResult) result = NULL;

    bench_stall_probe_set_label (bench->probe, "verify_sms");
    eimza_portal_session_verify_sms_async (portal, sms, NULL, card_test_store_result_cb, &result);
    check (eimza_portal_session_verify_sms_finish (portal, wait_step (bench, "verify_sms", &result),
                                                   &eonay, &error), "verify_sms", error);
  }
  take_figures (bench, renewal);

  bench_stall_probe_start (bench->probe, "set_applicant");
  application = eimza_esigned_application_new ();
  eimza_esigned_application_set_applicant (application, portal, bench->service, SOFTHSM_TCKN);
  {
    g_autoptr(GAsyncResult) result = NULL;

    bench_stall_probe_set_label (bench->probe, "begin");
    eimza_esigned_application_begin_async (application, NULL, card_test_store_result_cb, &result);
    check (eimza_esigned_application_begin_finish (application, wait_step (bench, "begin", &result),
                                                   &error), "begin", error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    bench_stall_probe_set_label (bench->probe, "sign (card, upload)");
    eimza_esigned_application_sign_async (application, bench->certificate,
                                          EIMZA_PIN_ASKER (person), NULL,
                                          card_test_store_result_cb, &result);
    check (eimza_esigned_application_sign_finish (application,
                                                  wait_step (bench, "sign (card, upload)", &result),
                                                  &error), "sign", error);
  }
  check (eimza_esigned_application_get_state (application) == EIMZA_ESIGNED_APPLICATION_STATE_APPLIED,
         "the application was not applied", NULL);
  take_figures (bench, esigned);
  card_test_drain ();
}

/* The NES site's code, as a browser would show it: not measured. */
static char *
site_code (Bench *bench)
{
  g_autoptr(FlowTestPerson) person = flow_test_person_new (bench->service, bench->certificate);
  g_autoptr(EimzaNesClient) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_url = NULL;
  g_autofree char *key_url = NULL;
  char *code;

  check (eimza_card_tls_interaction_route (EIMZA_CARD_TLS_INTERACTION (person), bench->certificate,
                                           &cert_url, &key_url, &error), "route", error);
  session = eimza_nes_client_new (bench->profile, bench->nes_url, bench->ca_file, cert_url, key_url,
                                  G_TLS_INTERACTION (person), &error);
  check (session != NULL, "nes_client_new", error);
  eimza_nes_client_log_in_async (session, SOFTHSM_TCKN, NULL, card_test_store_result_cb, &result);
  code = eimza_nes_client_log_in_finish (session, card_test_wait_for_result (&result), &error);
  check (code != NULL, "the site's code", error);
  card_test_drain ();
  return code;
}

static EimzaCardTlsInteraction *
create_tls_interaction_cb (EimzaJnlpSigning *signing,
                           EimzaCertificate *certificate,
                           Bench            *bench)
{
  return EIMZA_CARD_TLS_INTERACTION (flow_test_person_new (bench->service, certificate));
}

static void
run_jnlp (Bench       *bench,
          FlowFigures *figures)
{
  g_autofree char *code = site_code (bench);
  g_autoptr(GFile) file = g_file_new_for_path (bench->jnlp_path);
  g_autoptr(EimzaJnlpSigning) signing = NULL;
  g_autoptr(FlowTestPerson) person = flow_test_person_new (bench->service, bench->certificate);
  g_autoptr(GError) error = NULL;

  bench_stall_probe_start (bench->probe, "jnlp_signing_new");
  signing = eimza_jnlp_signing_new (bench->profile, bench->service, bench->nes_url, bench->ca_file);
  g_signal_connect (signing, "create-tls-interaction", G_CALLBACK (create_tls_interaction_cb), bench);
  {
    g_autoptr(GAsyncResult) result = NULL;

    bench_stall_probe_set_label (bench->probe, "load");
    eimza_jnlp_signing_load_async (signing, file, NULL, card_test_store_result_cb, &result);
    check (eimza_jnlp_signing_load_finish (signing, wait_step (bench, "load", &result), &error),
           "load", error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    bench_stall_probe_set_label (bench->probe, "fetch");
    eimza_jnlp_signing_fetch_async (signing, code, NULL, card_test_store_result_cb, &result);
    check (eimza_jnlp_signing_fetch_finish (signing, wait_step (bench, "fetch", &result), &error),
           "fetch", error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    bench_stall_probe_set_label (bench->probe, "sign (TLS login, card, upload)");
    eimza_jnlp_signing_sign_async (signing, bench->certificate, EIMZA_PIN_ASKER (person), NULL,
                                   card_test_store_result_cb, &result);
    check (eimza_jnlp_signing_sign_finish (signing,
                                           wait_step (bench, "sign (TLS login, card, upload)",
                                                      &result), &error), "sign", error);
  }
  check (eimza_jnlp_signing_get_state (signing) == EIMZA_JNLP_SIGNING_STATE_DONE,
         "the signing is not done", NULL);
  take_figures (bench, figures);
  card_test_drain ();
}

static void
run_all (Bench       *bench,
         FlowFigures  figures[N_FLOWS])
{
  start_simulator (bench);
  run_renewal_and_esigned (bench, &figures[FLOW_RENEWAL], &figures[FLOW_ESIGNED]);
  run_jnlp (bench, &figures[FLOW_JNLP]);
  stop_simulator (bench);
}

/* --- Report ---------------------------------------------------------------- */

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
report (FlowFigures *runs,
        guint        n)
{
  printf ("\n%u runs (after 1 warm-up)   longest stall: median    max    stalls over %d ms (all runs)"
          "   where the longest fell\n", n, BENCH_STALL_THRESHOLD_US / 1000);
  for (guint f = 0; f < N_FLOWS; f++)
    {
      g_autofree gint64 *values = g_new (gint64, n);
      g_autoptr(GHashTable) places = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) order = g_ptr_array_new ();
      g_autoptr(GString) where = g_string_new (NULL);
      guint over = 0;

      for (guint i = 0; i < n; i++)
        {
          FlowFigures *figures = &runs[i * N_FLOWS + f];
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (places, figures->where));

          values[i] = figures->stall_us;
          over += figures->over;
          if (count == 0)
            g_ptr_array_add (order, figures->where);
          g_hash_table_insert (places, figures->where, GUINT_TO_POINTER (count + 1));
        }
      for (guint i = 0; i < order->len; i++)
        g_string_append_printf (where, "%s%s (%u×)", i > 0 ? ", " : "", (char *) order->pdata[i],
                                GPOINTER_TO_UINT (g_hash_table_lookup (places, order->pdata[i])));
      qsort (values, n, sizeof (gint64), compare_int64);
      printf ("  %-32s %8.2f ms %6.2f ms   %u\n      in: %s\n", flow_names[f],
              values[n / 2] / 1000.0, values[n - 1] / 1000.0, over, where->str);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree FlowFigures *runs = NULL;
  FlowFigures warm_up[N_FLOWS] = { 0 };
  Bench bench = { 0 };
  const char *sim = g_getenv ("EIMZA_PORTAL_SIM");
  int n_runs = DEFAULT_RUNS;
  gint64 idle_stall;
  gint64 idle_tick_gap;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Measured runs (default 5)", "N" },
    { NULL }
  };

  context = g_option_context_new ("— the renewal, e-signed application and .jnlp flows' stalls");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    fail ("options", error);
  if (n_runs < 1)
    fail ("--runs must be at least 1", NULL);

  /* For G_TEST_DIST (softhsm-setup.sh, the sample .jnlp). */
  g_test_init (&argc, &argv, NULL);
  if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    {
      printf ("flow-stall: skipped: the portal simulator is not built (EIMZA_PORTAL_SIM)\n");
      return SKIP_EXIT_CODE;
    }
  if (!softhsm_fixture_init ())
    {
      printf ("flow-stall: skipped: needs softhsm2, gnutls-bin and openssl\n");
      return SKIP_EXIT_CODE;
    }

  bench.profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  check (bench.profile != NULL, "profile", error);
  card_test_open (LABEL, &bench.service, &bench.certificate);
  bench.probe = bench_stall_probe_new ();

  printf ("flow-stall benchmark: libsoup %u.%u.%u, %u CPUs; a new simulator per run; PIN given at once\n",
          soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version (),
          g_get_num_processors ());

  run_all (&bench, warm_up);
  idle_stall = bench_stall_probe_idle (bench.probe, 1000, &idle_tick_gap);
  runs = g_new0 (FlowFigures, (gsize) n_runs * N_FLOWS);
  for (int i = 0; i < n_runs; i++)
    {
      FlowFigures *figures = &runs[i * N_FLOWS];

      run_all (&bench, figures);
      printf ("  run %d:", i + 1);
      for (guint f = 0; f < N_FLOWS; f++)
        printf ("  %s %.2f ms (%s, %u over)", f == FLOW_RENEWAL ? "renewal" : f == FLOW_ESIGNED
                ? "e-signed" : ".jnlp", figures[f].stall_us / 1000.0, figures[f].where,
                figures[f].over);
      printf ("\n");
      fflush (stdout);
    }

  report (runs, (guint) n_runs);
  printf ("probe: the work between two polls of the main loop (bench/stall-probe.h); idle, its\n"
          "  longest was %.2f ms (the 1 ms tick's longest gap %.2f ms)\n", idle_stall / 1000.0,
          idle_tick_gap / 1000.0);

  for (guint i = 0; i < (guint) n_runs * N_FLOWS; i++)
    g_free (runs[i].where);
  for (guint f = 0; f < N_FLOWS; f++)
    g_free (warm_up[f].where);
  bench_stall_probe_free (bench.probe);
  g_clear_object (&bench.certificate);
  g_clear_object (&bench.service);
  g_clear_object (&bench.profile);
  softhsm_fixture_cleanup ();
  return EXIT_SUCCESS;
}
