/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the whole e-onay flow against the simulator with a SoftHSM2 card: wall time and main-loop stall. */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "eimza-cades.h"
#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-nes-client.h"
#include "eimza-pkcs11.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-request.h"
#include "eimza-secret.h"
#include "stall-probe.h"

#include "bench-pin-interaction.h"
#include "bench-stats.h"

/*
 * What the application does for an e-onay, in one process on the GLib
 * main loop, with the real library code: an EimzaNesClient logs in to
 * the simulator's NES site over TLS with the card's certificate (GnuTLS
 * reads the key through PKCS#11 and asks this program's interaction for the
 * PIN), the login code's data is fetched, signed by the card service on its
 * worker thread (eimza_pkcs11_lookup_token_async for the PIN state the PIN
 * dialog shows, then eimza_cades_sign_async) and uploaded; then the e-onay
 * page, the consent, the second code, its signature and upload, and the
 * status, which must be "active".
 *
 * The card is the SoftHSM2 token of the tests (tests/card/softhsm-setup.sh,
 * made once in a temporary directory; nothing in the flow changes it, so it
 * is not restored between runs) and the RSA-2048 key of the fixtures' first
 * person. Her e-onay is active in the simulator's built-in fixtures, so the
 * simulator gets a copy of them in which it is not. Each run has a
 * simulator of its own (fresh e-onay state; its start-up is not timed) and
 * a new session.
 *
 * Per run: the wall time from eimza_nes_client_new() to the "active"
 * status, the time of each step, the longest main-loop stall (stall-probe.h:
 * the work between two polls), the step it fell in and the stalls over
 * 4 ms, and the longest gap between two runs of a 1 ms timeout; HTTP requests (SoupSession::request-queued) and TLS handshakes
 * (SoupMessage::network-event) are counted with emission hooks, since the
 * session keeps its SoupSession to itself. One warm-up run is not counted.
 * Prints figures only; fails only when the flow itself goes wrong.
 *
 * Usage: eonay [--runs N] (10)
 */

#ifndef BENCH_PORTAL_SIM
#define BENCH_PORTAL_SIM "eimza-portal-sim"
#endif
#ifndef BENCH_SIM_FIXTURES
#define BENCH_SIM_FIXTURES "tools/portal-sim/fixtures/mernis.tsv"
#endif
#ifndef SOFTHSM_SETUP
#define SOFTHSM_SETUP "tests/card/softhsm-setup.sh"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define BENCH_SANITIZED 1
#endif
#endif
#ifndef BENCH_SANITIZED
#define BENCH_SANITIZED 0
#endif

#define SKIP_EXIT_CODE 77
#define DEFAULT_RUNS 10
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define TOKEN_URI "pkcs11:token=EIMZA%20TEST"
/* The token's test PIN (softhsm-setup.sh); never printed. */
#define USER_PIN "123456"
/* The fixtures' first person and her RSA-2048 key on the token. */
#define PERSON_TCKN "10000000146"
#define PERSON_LABEL PERSON_TCKN "NES0"
#define IDLE_BASELINE_MS 1000
/* A flow takes well under a second; anything near this is a hang. */
#define STEP_GUARD_SECONDS 60

typedef enum {
  STEP_NEW,
  STEP_LOG_IN,
  STEP_FETCH_LOGIN,
  STEP_SIGN_LOGIN,
  STEP_UPLOAD_LOGIN,
  STEP_OPEN_EONAY,
  STEP_CONSENT,
  STEP_FETCH_EONAY,
  STEP_SIGN_EONAY,
  STEP_UPLOAD_EONAY,
  STEP_GET_STATUS,
  N_STEPS
} Step;

static const char * const step_names[N_STEPS] = {
  "session_new",
  "log_in",
  "fetch_sign_data (login)",
  "sign (login)",
  "upload_signature (login)",
  "open_eonay",
  "consent",
  "fetch_sign_data (e-onay)",
  "sign (e-onay)",
  "upload_signature (e-onay)",
  "get_status",
};

typedef struct {
  gint64 wall_us;
  gint64 stall_us;
  char *stall_label;
  guint stalls_over;
  gint64 tick_gap_us;
  gint64 step_us[N_STEPS];
  guint requests;
  guint handshakes;
  gint64 connect_us;
  gint64 handshake_us;
  guint pin_asks;
} RunFigures;

/* ------------------------------------------------------------------------
 * The benchmark's state.
 * ------------------------------------------------------------------------ */

typedef struct {
  char *dir;                      /* token, test CA, fixtures, simulator TLS */
  char *tls_dir;
  char *fixtures_path;
  char *testca_path;
  EimzaCardService *service;
  EimzaCertificate *certificate;
  EimzaPortalProfile *profile;
  BenchPinInteraction *interaction;
  EimzaSecret *pin;

  /* The simulator of the current run. */
  GSubprocess *sim;
  char *nes_url;
  char *ca_file;

  /* The step under way. */
  GAsyncResult *result;
  gint64 result_time;
  Step step;

  BenchStallProbe *probe;
  gboolean measuring;

  /* Counted by the emission hooks while measuring. */
  guint requests;
  guint handshakes;
  gulong hook_ids[2];
  gint64 connect_start;
  gint64 connect_us;
  gint64 handshake_start;
  gint64 handshake_us;
} Bench;

/* The temporary directory, removed on failure too (the simulator dies
 * with the benchmark). */
static char *cleanup_dir;

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
fail (const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "eonay: %s\n", message);
  if (cleanup_dir != NULL)
    {
      const char * const argv[] = { "rm", "-rf", cleanup_dir, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    NULL, NULL);
    }
  exit (EXIT_FAILURE);
}

static double
ms (double us)
{
  return us / 1000.0;
}

/* ------------------------------------------------------------------------
 * The counters.
 * ------------------------------------------------------------------------ */

static gboolean
request_queued_hook (GSignalInvocationHint *hint,
                     guint                  n_params,
                     const GValue          *params,
                     gpointer               user_data)
{
  Bench *bench = user_data;

  /* A message that only makes the connection (on a thread of its own)
   * sends no request. */
  if (bench->measuring && !eimza_portal_request_is_connect_only (g_value_get_object (&params[1])))
    bench->requests++;
  return TRUE;
}

static gboolean
network_event_hook (GSignalInvocationHint *hint,
                    guint                  n_params,
                    const GValue          *params,
                    gpointer               user_data)
{
  Bench *bench = user_data;
  GSocketClientEvent event = g_value_get_enum (&params[1]);

  if (!bench->measuring)
    return TRUE;

  /* The session keeps one connection at a time (max-conns-per-host 1).
   * From resolving to the start of the handshake: the TCP connection and
   * the making of the TLS connection object. */
  if (event == G_SOCKET_CLIENT_RESOLVING)
    {
      bench->connect_start = g_get_monotonic_time ();
    }
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    {
      bench->handshake_start = g_get_monotonic_time ();
      if (bench->connect_start != 0)
        bench->connect_us += bench->handshake_start - bench->connect_start;
      bench->connect_start = 0;
    }
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED && bench->handshake_start != 0)
    {
      g_atomic_int_inc (&bench->handshakes);
      bench->handshake_us += g_get_monotonic_time () - bench->handshake_start;
      bench->handshake_start = 0;
    }
  return TRUE;
}

static void
add_hooks (Bench *bench)
{
  g_autoptr(GTypeClass) session_class = g_type_class_ref (SOUP_TYPE_SESSION);
  g_autoptr(GTypeClass) message_class = g_type_class_ref (SOUP_TYPE_MESSAGE);

  bench->hook_ids[0] =
    g_signal_add_emission_hook (g_signal_lookup ("request-queued", SOUP_TYPE_SESSION), 0,
                                request_queued_hook, bench, NULL);
  bench->hook_ids[1] =
    g_signal_add_emission_hook (g_signal_lookup ("network-event", SOUP_TYPE_MESSAGE), 0,
                                network_event_hook, bench, NULL);
}

static void
remove_hooks (Bench *bench)
{
  g_signal_remove_emission_hook (g_signal_lookup ("request-queued", SOUP_TYPE_SESSION),
                                 bench->hook_ids[0]);
  g_signal_remove_emission_hook (g_signal_lookup ("network-event", SOUP_TYPE_MESSAGE),
                                 bench->hook_ids[1]);
}

/* ------------------------------------------------------------------------
 * Waiting for a step: the loop iterates (and the probe ticks) meanwhile.
 * ------------------------------------------------------------------------ */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Bench *bench = user_data;

  bench->result_time = g_get_monotonic_time ();
  bench->result = g_object_ref (result);
}

static gboolean
too_long_cb (gpointer user_data)
{
  Bench *bench = user_data;

  fail ("%s took more than %d s", step_names[bench->step], STEP_GUARD_SECONDS);
}

static GAsyncResult *
wait_for_result (Bench *bench)
{
  guint guard = g_timeout_add_seconds (STEP_GUARD_SECONDS, too_long_cb, bench);

  while (bench->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (guard);
  return g_steal_pointer (&bench->result);
}

/* ------------------------------------------------------------------------
 * Set-up: tools, token, fixtures, card service.
 * ------------------------------------------------------------------------ */

static void
skip (const char *why)
{
  printf ("eonay: skipped: %s\n", why);
  exit (SKIP_EXIT_CODE);
}

static void
check_tools (void)
{
  static const char * const tools[] = { "softhsm2-util", "certtool", "p11tool", "tar", NULL };

  if (!g_file_test (BENCH_PORTAL_SIM, G_FILE_TEST_IS_EXECUTABLE))
    skip ("the portal simulator is not built (" BENCH_PORTAL_SIM ")");
  if (!g_file_test (SOFTHSM_MODULE, G_FILE_TEST_EXISTS))
    skip ("needs softhsm2 (" SOFTHSM_MODULE ")");
  if (!g_file_test (SOFTHSM_SETUP, G_FILE_TEST_IS_REGULAR))
    skip ("tests/card/softhsm-setup.sh not found");
  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_autofree char *why = g_strdup_printf ("needs %s (softhsm2, gnutls-bin)", tools[i]);

          skip (why);
        }
    }
}

static void
run_checked (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *standard_error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                     &standard_error, &status, &error))
    fail ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, &error))
    fail ("%s: %s\n%s", argv[0], error->message, standard_error);
}

/* The built-in fixtures with the first person's e-onay not active, so
 * that every run can give it. */
static void
write_fixtures (Bench *bench)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int column = -1;
  gboolean changed = FALSE;

  if (!g_file_get_contents (BENCH_SIM_FIXTURES, &text, NULL, &error))
    fail ("%s", error->message);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autofree char *changed_line = NULL;

      if (i > 0)
        g_string_append_c (out, '\n');

      /* Comments, then the header with the column names, then people. */
      if (lines[i][0] != '#' && lines[i][0] != '\0')
        fields = g_strsplit (lines[i], "\t", -1);
      if (fields != NULL && column < 0)
        {
          for (guint k = 0; fields[k] != NULL; k++)
            if (g_str_equal (fields[k], "eonayAktif"))
              column = (int) k;
        }
      else if (fields != NULL && g_str_equal (fields[0], PERSON_TCKN) &&
               column < (int) g_strv_length (fields))
        {
          g_free (fields[column]);
          fields[column] = g_strdup ("hayır");
          changed_line = g_strjoinv ("\t", fields);
          changed = TRUE;
        }

      g_string_append (out, changed_line != NULL ? changed_line : lines[i]);
    }

  if (!changed)
    fail ("the fixture person is missing from %s", BENCH_SIM_FIXTURES);

  bench->fixtures_path = g_build_filename (bench->dir, "people.tsv", NULL);
  if (!g_file_set_contents (bench->fixtures_path, out->str, (gssize) out->len, &error))
    fail ("%s", error->message);
}

static void
set_up (Bench *bench)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autofree char *conf = NULL;

  bench->dir = g_dir_make_tmp ("eimza-bench-eonay-XXXXXX", &error);
  if (bench->dir == NULL)
    fail ("%s", error->message);
  cleanup_dir = bench->dir;

  {
    const char * const argv[] = { "/bin/sh", SOFTHSM_SETUP, bench->dir, NULL };

    run_checked (argv);
  }
  conf = g_build_filename (bench->dir, "softhsm2.conf", NULL);
  g_setenv ("SOFTHSM2_CONF", conf, TRUE);
  bench->testca_path = g_build_filename (bench->dir, "testca.pem", NULL);
  bench->tls_dir = g_build_filename (bench->dir, "sim-tls", NULL);
  g_mkdir (bench->tls_dir, 0700);
  write_fixtures (bench);

  bench->profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  if (bench->profile == NULL)
    fail ("%s", error->message);

  /* The card service as the application makes it, and its PKCS#11 set-up
   * before any TLS use of the process's one GnuTLS. */
  bench->service = eimza_card_service_new ();
  eimza_pkcs11_set_module_path (bench->service, SOFTHSM_MODULE);
  eimza_pkcs11_list_certificates_async (bench->service, TOKEN_URI, NULL, store_result_cb, bench);
  result = wait_for_result (bench);
  certificates = eimza_pkcs11_list_certificates_finish (bench->service, result, &error);
  if (certificates == NULL)
    fail ("could not list the token's certificates: %s", error->message);
  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);

      if (g_strcmp0 (eimza_certificate_get_label (certificate), PERSON_LABEL) == 0)
        bench->certificate = g_object_ref (certificate);
    }
  if (bench->certificate == NULL)
    fail ("the RSA certificate is missing from the token");

  bench->interaction = bench_pin_interaction_new (USER_PIN);
  bench->pin = eimza_secret_new (USER_PIN, -1);
  add_hooks (bench);
}

static void
tear_down (Bench *bench)
{
  remove_hooks (bench);
  g_clear_object (&bench->interaction);
  g_clear_pointer (&bench->pin, eimza_secret_unref);
  g_clear_object (&bench->certificate);
  g_clear_object (&bench->service);
  g_clear_object (&bench->profile);

  if (bench->dir != NULL)
    {
      const char * const argv[] = { "rm", "-rf", bench->dir, NULL };

      cleanup_dir = NULL;
      run_checked (argv);
    }
  g_clear_pointer (&bench->dir, g_free);
  g_clear_pointer (&bench->tls_dir, g_free);
  g_clear_pointer (&bench->fixtures_path, g_free);
  g_clear_pointer (&bench->testca_path, g_free);
}

/* ------------------------------------------------------------------------
 * The simulator of a run.
 * ------------------------------------------------------------------------ */

/* If the benchmark dies, so does the simulator. */
static void
simulator_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_simulator (Bench *bench)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *nes_line = NULL;
  const char *ca;
  const char * const argv[] = {
    BENCH_PORTAL_SIM, "--port", "0", "--tls-dir", bench->tls_dir,
    "--fixtures", bench->fixtures_path, "--nes-client-ca", bench->testca_path, NULL
  };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  bench->sim = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (bench->sim == NULL)
    fail ("could not start the simulator: %s", error->message);

  /* "listening https://127.0.0.1:PORT/ ca=DIR/ca.pem", then
   * "listening-nes https://127.0.0.1:PORT/". */
  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bench->sim));
  line = g_data_input_stream_read_line_utf8 (stdout_stream, NULL, NULL, &error);
  nes_line = line != NULL
    ? g_data_input_stream_read_line_utf8 (stdout_stream, NULL, NULL, &error)
    : NULL;
  if (nes_line == NULL || !g_str_has_prefix (nes_line, "listening-nes https://"))
    fail ("the simulator did not start: %s", error != NULL ? error->message : "no NES site");

  ca = strstr (line, " ca=");
  if (ca == NULL)
    fail ("the simulator did not say where its CA is");
  bench->ca_file = g_strdup (ca + strlen (" ca="));
  bench->nes_url = g_strdup (nes_line + strlen ("listening-nes "));
}

static void
stop_simulator (Bench *bench)
{
  if (bench->sim != NULL)
    {
      g_subprocess_send_signal (bench->sim, SIGTERM);
      g_subprocess_wait (bench->sim, NULL, NULL);
      g_clear_object (&bench->sim);
    }
  g_clear_pointer (&bench->nes_url, g_free);
  g_clear_pointer (&bench->ca_file, g_free);
}

/* ------------------------------------------------------------------------
 * The flow.
 * ------------------------------------------------------------------------ */

static void
step_begin (Bench  *bench,
            Step    step,
            gint64 *start)
{
  bench->step = step;
  bench_stall_probe_set_label (bench->probe, step_names[step]);
  *start = g_get_monotonic_time ();
}

/* The step's time, up to its callback. */
static void
step_end (Bench      *bench,
          RunFigures *figures,
          gint64      start)
{
  figures->step_us[bench->step] = bench->result_time - start;
}

/* What the PIN dialog and the card service do for one code: read the PIN
 * state (tries left), then sign the data on the worker thread. */
static GBytes *
sign_on_card (Bench      *bench,
              RunFigures *figures,
              Step        step,
              GBytes     *content)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaPkcs11Token) token = NULL;
  GBytes *cms;
  gint64 start;

  step_begin (bench, step, &start);
  eimza_pkcs11_lookup_token_async (bench->service,
                                   eimza_certificate_get_key_uri (bench->certificate), NULL,
                                   store_result_cb, bench);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (bench);

    token = eimza_pkcs11_lookup_token_finish (bench->service, result, &error);
    if (token == NULL)
      fail ("could not read the token: %s", error->message);
  }

  eimza_cades_sign_async (bench->service, content,
                          eimza_certificate_get_uri (bench->certificate),
                          eimza_certificate_get_key_uri (bench->certificate), bench->pin,
                          EIMZA_CADES_DETACHED, NULL, store_result_cb, bench);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (bench);

    cms = eimza_cades_sign_finish (bench->service, result, &error);
    if (cms == NULL)
      fail ("%s: %s", step_names[step], error->message);
  }
  step_end (bench, figures, start);

  return cms;
}

/* fetch_sign_data, sign and upload_signature for @code. */
static void
sign_code (Bench          *bench,
           RunFigures     *figures,
           EimzaNesClient *session,
           const char     *code,
           Step            fetch_step)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  gint64 start;

  step_begin (bench, fetch_step, &start);
  eimza_nes_client_fetch_sign_data_async (session, code, NULL, store_result_cb, bench);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (bench);

    data = eimza_nes_client_fetch_sign_data_finish (session, result, &error);
    if (data == NULL)
      fail ("%s: %s", step_names[fetch_step], error->message);
  }
  step_end (bench, figures, start);

  cms = sign_on_card (bench, figures, fetch_step + 1, data->data);

  step_begin (bench, fetch_step + 2, &start);
  eimza_nes_client_upload_signature_async (session, code, cms, NULL, store_result_cb, bench);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (bench);

    if (!eimza_nes_client_upload_signature_finish (session, result, &error))
      fail ("%s: %s", step_names[fetch_step + 2], error->message);
  }
  step_end (bench, figures, start);
}

static void
run_flow (Bench      *bench,
          RunFigures *figures)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaNesClient) session = NULL;
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autofree char *login_code = NULL;
  g_autofree char *eonay_code = NULL;
  gboolean active = FALSE;
  guint asks_before = bench_pin_interaction_get_n_asks (bench->interaction);
  gint64 flow_start;
  gint64 start;

  start_simulator (bench);

  /* Let the simulator's start-up settle before the clock starts. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  bench->requests = 0;
  bench->handshakes = 0;
  bench->handshake_us = 0;
  bench->handshake_start = 0;
  bench->connect_us = 0;
  bench->connect_start = 0;

  flow_start = g_get_monotonic_time ();
  bench->measuring = TRUE;
  bench_stall_probe_start (bench->probe, step_names[STEP_NEW]);

  step_begin (bench, STEP_NEW, &start);
  session = eimza_nes_client_new (bench->profile, bench->nes_url, bench->ca_file,
                                  eimza_certificate_get_uri (bench->certificate),
                                  eimza_certificate_get_key_uri (bench->certificate),
                                  G_TLS_INTERACTION (bench->interaction), &error);
  if (session == NULL)
    fail ("session_new: %s", error->message);
  figures->step_us[STEP_NEW] = g_get_monotonic_time () - start;

  step_begin (bench, STEP_LOG_IN, &start);
  eimza_nes_client_log_in_async (session, PERSON_TCKN, NULL, store_result_cb, bench);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (bench);

    login_code = eimza_nes_client_log_in_finish (session, result, &error);
    if (login_code == NULL)
      fail ("log_in: %s", error->message);
  }
  step_end (bench, figures, start);

  sign_code (bench, figures, session, login_code, STEP_FETCH_LOGIN);

  step_begin (bench, STEP_OPEN_EONAY, &start);
  eimza_nes_client_open_eonay_async (session, NULL, store_result_cb, bench);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (bench);

    status = eimza_nes_client_open_eonay_finish (session, result, &error);
    if (status == NULL)
      fail ("open_eonay: %s", error->message);
    if (status->active)
      fail ("open_eonay: the e-onay is already active");
  }
  step_end (bench, figures, start);

  step_begin (bench, STEP_CONSENT, &start);
  eimza_nes_client_consent_async (session, NULL, store_result_cb, bench);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (bench);

    eonay_code = eimza_nes_client_consent_finish (session, result, &error);
    if (eonay_code == NULL)
      fail ("consent: %s", error->message);
  }
  step_end (bench, figures, start);

  sign_code (bench, figures, session, eonay_code, STEP_FETCH_EONAY);

  step_begin (bench, STEP_GET_STATUS, &start);
  eimza_nes_client_get_status_async (session, NULL, store_result_cb, bench);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (bench);

    if (!eimza_nes_client_get_status_finish (session, result, &active, &error))
      fail ("get_status: %s", error->message);
  }
  step_end (bench, figures, start);
  if (!active)
    fail ("get_status: the e-onay is not active after the flow");

  bench_stall_probe_stop (bench->probe);
  bench->measuring = FALSE;
  figures->wall_us = bench->result_time - flow_start;
  {
    const char *label;

    figures->stall_us = bench_stall_probe_longest (bench->probe, &label);
    figures->stall_label = g_strdup (label);
    figures->stalls_over = bench_stall_probe_n_over (bench->probe);
    figures->tick_gap_us = bench_stall_probe_longest_tick_gap (bench->probe, NULL);
  }
  figures->requests = bench->requests;
  figures->handshakes = bench->handshakes;
  figures->connect_us = bench->connect_us;
  figures->handshake_us = bench->handshake_us;
  figures->pin_asks = bench_pin_interaction_get_n_asks (bench->interaction) - asks_before;

  /* Nothing may keep the session alive after the flow. */
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  g_object_unref (session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (session != NULL)
    fail ("the session outlived its last reference");

  stop_simulator (bench);
}

/* ------------------------------------------------------------------------
 * Report.
 * ------------------------------------------------------------------------ */

static void
print_row (const char *name,
           gint64     *values,
           guint       n)
{
  gint64 lo, hi;

  bench_stats_range (values, n, &lo, &hi);
  printf ("  %-28s %9.2f ms %9.2f ms %9.2f ms\n", name, ms (bench_stats_median (values, n)), ms (lo),
          ms (hi));
}

static void
report (RunFigures *runs,
        guint       n,
        gint64      idle_stall,
        gint64      idle_tick_gap)
{
  g_autofree gint64 *values = g_new (gint64, n);
  g_autoptr(GHashTable) stall_places = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) places = g_ptr_array_new ();
  guint over_min = G_MAXUINT, over_max = 0;
  double wall_median;
  guint requests_min = G_MAXUINT, requests_max = 0;
  guint handshakes_min = G_MAXUINT, handshakes_max = 0;
  guint asks_min = G_MAXUINT, asks_max = 0;

  printf ("\n%u runs (after 1 warm-up)          median        min        max\n", n);

  for (guint i = 0; i < n; i++)
    values[i] = runs[i].wall_us;
  print_row ("wall time (new → active)", values, n);
  wall_median = bench_stats_median (values, n);

  for (guint i = 0; i < n; i++)
    values[i] = runs[i].stall_us;
  print_row ("longest main-loop stall", values, n);

  for (guint i = 0; i < n; i++)
    values[i] = runs[i].tick_gap_us;
  print_row ("longest 1 ms tick gap", values, n);

  for (guint i = 0; i < n; i++)
    values[i] = runs[i].connect_us;
  print_row ("connect → TLS handshake", values, n);

  for (guint i = 0; i < n; i++)
    values[i] = runs[i].handshake_us;
  print_row ("TLS handshake (PIN, key)", values, n);

  printf ("\nsteps                                median   share of the median wall time\n");
  for (guint s = 0; s < N_STEPS; s++)
    {
      double step_median;

      for (guint i = 0; i < n; i++)
        values[i] = runs[i].step_us[s];
      step_median = bench_stats_median (values, n);
      printf ("  %-28s %9.2f ms %5.1f %%\n", step_names[s], ms (step_median),
              100.0 * step_median / MAX (wall_median, 1));
    }

  for (guint i = 0; i < n; i++)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (stall_places, runs[i].stall_label));

      if (count == 0)
        g_ptr_array_add (places, runs[i].stall_label);
      g_hash_table_insert (stall_places, runs[i].stall_label, GUINT_TO_POINTER (count + 1));
      over_min = MIN (over_min, runs[i].stalls_over);
      over_max = MAX (over_max, runs[i].stalls_over);
      requests_min = MIN (requests_min, runs[i].requests);
      requests_max = MAX (requests_max, runs[i].requests);
      handshakes_min = MIN (handshakes_min, runs[i].handshakes);
      handshakes_max = MAX (handshakes_max, runs[i].handshakes);
      asks_min = MIN (asks_min, runs[i].pin_asks);
      asks_max = MAX (asks_max, runs[i].pin_asks);
    }

  printf ("\nper run: %u-%u HTTP requests, %u-%u TLS handshakes, %u-%u PIN requests "
          "from the TLS login\n", requests_min, requests_max, handshakes_min, handshakes_max,
          asks_min, asks_max);
  printf ("stalls over %d ms per run: %u-%u\n", BENCH_STALL_THRESHOLD_US / 1000, over_min,
          over_max);
  printf ("longest stall fell in:");
  for (guint i = 0; i < places->len; i++)
    printf (" %s (%u×)", (char *) places->pdata[i],
            GPOINTER_TO_UINT (g_hash_table_lookup (stall_places, places->pdata[i])));
  printf ("\nprobe: the work between two polls of the main loop (bench/stall-probe.h); idle, its\n"
          "  longest was %.2f ms, and the longest gap between two 1 ms ticks %.2f ms\n",
          ms (idle_stall), ms (idle_tick_gap));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree RunFigures *runs = NULL;
  RunFigures warm_up = { 0 };
  Bench bench = { 0 };
  int n_runs = DEFAULT_RUNS;
  gint64 idle_stall;
  gint64 idle_tick_gap;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Measured runs (default 10)", "N" },
    { NULL }
  };

  context = g_option_context_new ("— the e-onay flow against the simulator");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    fail ("%s", error->message);
  if (n_runs < 1)
    fail ("--runs must be at least 1");

  check_tools ();
  /* No proxy, and no desktop settings. */
  g_setenv ("no_proxy", "*", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  set_up (&bench);
  bench.probe = bench_stall_probe_new ();

  printf ("eonay benchmark: %s build, libsoup %u.%u.%u, %u CPUs\n",
          BENCH_SANITIZED ? "SANITIZED (figures not representative)" : "optimized",
          soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version (),
          g_get_num_processors ());
  printf ("flow: session_new → log_in (TLS client certificate on SoftHSM2, RSA-2048) → sign the\n"
          "  login code → open_eonay → consent → sign the e-onay code → get_status (active);\n"
          "  signatures: lookup_token + eimza_cades_sign_async on the card worker; PIN given at once;\n"
          "  a new simulator per run (start-up not timed)\n");

  run_flow (&bench, &warm_up);
  /* After the warm-up, so that every one-time set-up is behind it. */
  idle_stall = bench_stall_probe_idle (bench.probe, IDLE_BASELINE_MS, &idle_tick_gap);
  runs = g_new0 (RunFigures, n_runs);
  for (int i = 0; i < n_runs; i++)
    {
      run_flow (&bench, &runs[i]);
      printf ("  run %2d: %8.2f ms, longest stall %6.2f ms (%s), %u over %d ms\n", i + 1,
              ms (runs[i].wall_us), ms (runs[i].stall_us), runs[i].stall_label,
              runs[i].stalls_over, BENCH_STALL_THRESHOLD_US / 1000);
      fflush (stdout);
    }

  report (runs, (guint) n_runs, idle_stall, idle_tick_gap);

  for (int i = 0; i < n_runs; i++)
    g_free (runs[i].stall_label);
  g_free (warm_up.stall_label);
  bench_stall_probe_free (bench.probe);
  tear_down (&bench);
  return EXIT_SUCCESS;
}
