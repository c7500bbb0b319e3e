/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the portal flow with the client and with curl, against the simulator; parse times. */

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "eimza-portal-enums.h"
#include "eimza-portal-error.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile.h"
#include "eimza-renewal-form.h"
#include "eimza-validation.h"

#include "bench-relay.h"
#include "bench-stats.h"
#include "portal-private.h"

#ifndef BENCH_PORTAL_SIM
#define BENCH_PORTAL_SIM "eimza-portal-sim"
#endif
#ifndef BENCH_SAMPLE_PAGES
#define BENCH_SAMPLE_PAGES "tools/portal-sim/sample-pages"
#endif

#define DEFAULT_RUNS 20
#define DEFAULT_PARSE_ITERATIONS 1000

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

static const char * const step_names[N_STEPS] = {
  "open", "log_in", "submit_form", "send_sms", "verify_sms", "apply_with_eonay",
};

typedef enum {
  VARIANT_CLIENT,
  /* The same with SOUP_MESSAGE_NEW_CONNECTION on its POSTs: what the app
   * did before its POSTs went on the open connection (libsoup's default
   * for a POST), for comparison. */
  VARIANT_CLIENT_NEW_CONNECTIONS,
  /* One curl process per HTTP request; a 303 is followed by the next curl. */
  VARIANT_CURL_PER_REQUEST,
  /* One curl process per step, 303s followed with -L: how a script does it. */
  VARIANT_CURL_PER_STEP,
  /* One curl process for the whole flow (--next), bodies fed through FIFOs. */
  VARIANT_CURL_ONE_PROCESS,
  N_VARIANTS
} Variant;

static const char * const variant_names[N_VARIANTS] = {
  "client", "client/old", "curl/request", "curl -L/step", "curl --next",
};

/* The fixture person 10000000146 (tools/portal-sim/fixtures/mernis.tsv):
 * active e-onay, a previous application. Every field of the form is given,
 * so that nothing depends on the portal's pre-filling. */
static const struct {
  EimzaField field;
  const char *value;
} person[] = {
  { EIMZA_FIELD_TCKN, "10000000146" },
  { EIMZA_FIELD_GIVEN_NAME, "Ayşe Gül" },
  { EIMZA_FIELD_SURNAME, "Yılmaz" },
  { EIMZA_FIELD_BIRTH_PLACE, "Ankara" },
  { EIMZA_FIELD_BIRTH_DATE, "14.03.1985" },
  { EIMZA_FIELD_REASON, "renewal" },
  { EIMZA_FIELD_CARD_READER, "not-requested" },
  { EIMZA_FIELD_VALIDITY, "3" },
  { EIMZA_FIELD_SECURITY_WORD, "Kelebek42" },
  { EIMZA_FIELD_UNIT, "Matematik Bölümü" },
  { EIMZA_FIELD_TITLE, "Öğretmen" },
  { EIMZA_FIELD_ADDRESS, "Kızılay Mah. Atatürk Bulvarı No: 12 Çankaya" },
  { EIMZA_FIELD_PROVINCE, "06" },
  { EIMZA_FIELD_DISTRICT, "Çankaya" },
  { EIMZA_FIELD_POSTAL_CODE, "06420" },
  { EIMZA_FIELD_EMAIL, "ayse.yilmaz@example.com.tr" },
  { EIMZA_FIELD_WORK_PHONE, "0312 555 01 23" },
  { EIMZA_FIELD_WORK_PHONE_EXTENSION, "123" },
  { EIMZA_FIELD_MOBILE_PHONE, "0532 111 22 33" },
  { EIMZA_FIELD_HOME_PHONE, "0312 444 55 66" },
  { EIMZA_FIELD_MOBILE_OPERATOR, "turkcell" },
  { EIMZA_FIELD_INFO_CHANNEL, "email-and-sms" },
};
/* As the SMS gateway writes it to the SMS log. */
#define PERSON_PHONE_DIGITS "5321112233"

BenchPortal bench;

gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

/* For parse times, which are tens of microseconds. */
static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

void
die (const char *format,
     ...)
{
  va_list args;

  fputs ("portal: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (1);
}

/* Runs in the signal handler: a hung flow ends the benchmark, and with it
 * the simulator (PR_SET_PDEATHSIG) and any curl reading our FIFOs. */
static void
guard_alarm_handler (int signum)
{
  static const char message[] = "portal: a flow hung; giving up\n";

  if (write (STDERR_FILENO, message, sizeof message - 1) < 0)
    {
      /* Nothing more can be done from here. */
    }
  _exit (1);
}

/* ------------------------------------------------------------------------
 * Statistics.
 * ------------------------------------------------------------------------ */

typedef enum {
  FIGURE_TOTAL,
  FIGURE_REQUESTS,
  FIGURE_CONNECTIONS,
  FIGURE_PROCESSES,
  FIGURE_TCP,
  FIGURE_TLS_FULL,
  FIGURE_TLS_RESUMED,
  FIGURE_TLS_OFFERED,
} Figure;

static double
sample_median (GArray *samples,
               int     step,
               Figure  figure)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < samples->len; i++)
    {
      const Sample *sample = &g_array_index (samples, Sample, i);
      gint64 value;

      if (step >= 0)
        value = sample->step_us[step];
      else if (figure == FIGURE_REQUESTS)
        value = sample->n_requests;
      else if (figure == FIGURE_CONNECTIONS)
        value = sample->n_connections;
      else if (figure == FIGURE_PROCESSES)
        value = sample->n_processes;
      else if (figure == FIGURE_TCP)
        value = sample->relay.connections;
      else if (figure == FIGURE_TLS_FULL)
        value = sample->relay.handshakes_full;
      else if (figure == FIGURE_TLS_RESUMED)
        value = sample->relay.handshakes_resumed;
      else if (figure == FIGURE_TLS_OFFERED)
        value = sample->relay.resumption_offered;
      else
        value = sample->total_us;

      if (value >= 0)
        g_array_append_val (values, value);
    }

  return bench_stats_median ((gint64 *) values->data, values->len);
}

static void
sample_range (GArray *samples,
              gint64 *out_min,
              gint64 *out_max)
{
  g_autoptr(GArray) totals = g_array_sized_new (FALSE, FALSE, sizeof (gint64), samples->len);

  for (guint i = 0; i < samples->len; i++)
    g_array_append_val (totals, g_array_index (samples, Sample, i).total_us);
  bench_stats_range ((const gint64 *) totals->data, totals->len, out_min, out_max);
}

/* ------------------------------------------------------------------------
 * The simulator.
 * ------------------------------------------------------------------------ */

static void clean_up (void);

/* Runs in the simulator's process before exec: if the benchmark dies, so
 * does the simulator. */
static void
simulator_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_simulator (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;

  bench.work_dir = g_dir_make_tmp ("eimza-bench-portal-XXXXXX", &error);
  if (bench.work_dir == NULL)
    die ("%s", error->message);
  atexit (clean_up);
  bench.tls_dir = g_build_filename (bench.work_dir, "tls", NULL);
  bench.captcha_log = g_build_filename (bench.work_dir, "captcha.log", NULL);
  bench.sms_log = g_build_filename (bench.work_dir, "sms.log", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  bench.sim = g_subprocess_launcher_spawn (launcher, &error, bench.simulator,
                                           "--port", "0",
                                           "--tls-dir", bench.tls_dir,
                                           "--test-endpoints",
                                           "--captcha-log", bench.captcha_log,
                                           "--sms-log", bench.sms_log,
                                           NULL);
  if (bench.sim == NULL)
    die ("cannot start the simulator %s: %s", bench.simulator, error->message);

  /* "listening https://127.0.0.1:PORT/ ca=DIR/ca.pem", once it accepts. */
  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bench.sim));
  line = g_data_input_stream_read_line_utf8 (stdout_stream, NULL, NULL, &error);
  if (line == NULL)
    die ("the simulator printed no listening line%s%s", error != NULL ? ": " : "",
         error != NULL ? error->message : "");
  words = g_strsplit (line, " ", -1);
  if (g_strv_length (words) != 3 || g_strcmp0 (words[0], "listening") != 0 ||
      !g_str_has_prefix (words[1], "https://127.0.0.1:") || !g_str_has_suffix (words[1], "/") ||
      !g_str_has_prefix (words[2], "ca="))
    die ("the simulator said “%s”, not its listening line", line);

  bench.sim_port = (guint16) g_ascii_strtoull (words[1] + strlen ("https://127.0.0.1:"), NULL, 10);
  bench.ca_file = g_strdup (words[2] + strlen ("ca="));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Also at exit, after die(): nothing may be left running or lying around;
 * a curl blocked on one of our FIFOs would wait for ever. */
static void
clean_up (void)
{
  if (bench.curl_next != NULL)
    {
      g_subprocess_force_exit (bench.curl_next);
      g_subprocess_wait (bench.curl_next, NULL, NULL);
      g_clear_object (&bench.curl_next);
    }
  if (bench.sim != NULL)
    {
      g_subprocess_send_signal (bench.sim, SIGTERM);
      g_subprocess_wait (bench.sim, NULL, NULL);
      g_clear_object (&bench.sim);
    }
  if (bench.work_dir != NULL)
    {
      remove_tree (bench.work_dir);
      g_clear_pointer (&bench.work_dir, g_free);
    }
}

/* The current captcha text, as a person reads it off the image. */
char *
read_captcha (void)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (bench.captcha_log, &text, NULL, &error))
    die ("cannot read the captcha log: %s", error->message);
  return g_strstrip (text);
}

/* The code of the last SMS, which went to the fixture person's phone. */
char *
read_sms_code (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) words = NULL;
  guint n;

  if (!g_file_get_contents (bench.sms_log, &contents, NULL, &error))
    die ("cannot read the SMS log: %s", error->message);
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  n = g_strv_length (lines);
  if (n == 0)
    die ("the SMS log is empty");
  words = g_strsplit (lines[n - 1], " ", -1);
  if (g_strv_length (words) != 3 || g_strcmp0 (words[1], PERSON_PHONE_DIGITS) != 0)
    die ("unexpected SMS log line “%s”", lines[n - 1]);
  return g_strdup (words[2]);
}

EimzaRenewalForm *
person_form_new (void)
{
  EimzaRenewalForm *form = eimza_renewal_form_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (person); i++)
    eimza_renewal_form_set_value (form, person[i].field, person[i].value);
  return form;
}

/* ------------------------------------------------------------------------
 * Parsing.
 * ------------------------------------------------------------------------ */

/* The page kind's nick ("login", "form"…). */
static const char *
page_kind_name (EimzaPortalWebPageKind kind)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (EIMZA_TYPE_PORTAL_WEB_PAGE_KIND);
  GEnumValue *value = g_enum_get_value (klass, kind);

  return value != NULL ? value->value_nick : "?";
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static void
bench_parsing (void)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *name;
  gsize total_size = 0;

  dir = g_dir_open (bench.pages, 0, &error);
  if (dir == NULL)
    die ("%s", error->message);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".html"))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_strings);
  if (names->len == 0)
    die ("no *.html in %s", bench.pages);

  g_print ("\npage parse: eimza_portal_web_page_parse, simulator profile, median of %d iterations\n"
           "  (after %d unmeasured) of each page in %s\n",
           bench.parse_iterations, MAX (1, bench.parse_iterations / 10), bench.pages);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (bench.pages, g_ptr_array_index (names, i), NULL);
      g_autoptr(GArray) times = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                   bench.parse_iterations);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *outcome = NULL;
      char *contents = NULL;
      gsize size = 0;

      if (!g_file_get_contents (path, &contents, &size, &error))
        die ("%s", error->message);
      bytes = g_bytes_new_take (contents, size);
      total_size += size;

      /* What the page parses to, and warm caches. */
      for (int n = 0; n < MAX (1, bench.parse_iterations / 10); n++)
        {
          g_autoptr(EimzaPortalWebPage) page = NULL;
          g_autoptr(GError) parse_error = NULL;

          page = eimza_portal_web_page_parse (bench.profile, bytes, &parse_error);
          if (outcome == NULL)
            outcome = page != NULL
                        ? g_strdup (page_kind_name (eimza_portal_web_page_get_kind (page)))
                        : g_strdup_printf ("error (%s)", g_enum_to_string (EIMZA_TYPE_PORTAL_ERROR,
                                                                           parse_error->code));
        }

      for (int n = 0; n < bench.parse_iterations; n++)
        {
          g_autoptr(EimzaPortalWebPage) page = NULL;
          gint64 start = now_ns ();
          gint64 elapsed;

          page = eimza_portal_web_page_parse (bench.profile, bytes, NULL);
          g_clear_object (&page);
          elapsed = now_ns () - start;
          g_array_append_val (times, elapsed);
        }

      g_print ("  %-22s %6zu B  %7.1f µs  %s\n", (const char *) g_ptr_array_index (names, i), size,
               bench_stats_median ((gint64 *) times->data, times->len) / 1000.0, outcome);
      g_array_append_vals (all, times->data, times->len);
    }
  g_print ("  %-22s %6zu B  %7.1f µs  median over all pages (size: their mean)\n", "all",
           total_size / names->len, bench_stats_median ((gint64 *) all->data, all->len) / 1000.0);
}

/* ------------------------------------------------------------------------
 * Report.
 * ------------------------------------------------------------------------ */

static void
print_ms (double us)
{
  if (us < 0)
    g_print (" %12s", "-");
  else
    g_print (" %9.1f ms", us / 1000.0);
}

static void
print_count (double count)
{
  if (count < 0)
    g_print (" %12s", "-");
  else
    g_print (" %12g", count);
}

static void
report_flow (GArray     **samples,
             int          n_variants,
             const char  *bodies_check,
             guint        rtt_ms)
{
  double client_total = sample_median (samples[VARIANT_CLIENT], -1, FIGURE_TOTAL);

  g_print ("\nflow: open → log_in → submit_form → send_sms → verify_sms → apply_with_eonay,\n"
           "  round trip %u ms (a relay delays each direction by %u ms),\n"
           "  %d runs of each, interleaved, medians\n", rtt_ms, rtt_ms / 2, bench.runs);
  g_print ("  %-20s", "");
  for (int v = 0; v < n_variants; v++)
    g_print (" %12s", variant_names[v]);
  g_print ("\n");

  for (int s = 0; s < N_STEPS; s++)
    {
      g_print ("  %-20s", step_names[s]);
      for (int v = 0; v < n_variants; v++)
        print_ms (sample_median (samples[v], s, FIGURE_TOTAL));
      g_print ("\n");
    }
  g_print ("  %-20s", "whole flow");
  for (int v = 0; v < n_variants; v++)
    print_ms (sample_median (samples[v], -1, FIGURE_TOTAL));
  g_print ("\n  %-20s", "  (min-max)");
  for (int v = 0; v < n_variants; v++)
    {
      gint64 min, max;
      g_autofree char *range = NULL;

      sample_range (samples[v], &min, &max);
      range = g_strdup_printf ("%.0f-%.0f", min / 1000.0, max / 1000.0);
      g_print (" %12s", range);
    }
  g_print ("\n  %-20s", "HTTP requests");
  for (int v = 0; v < n_variants; v++)
    print_count (sample_median (samples[v], -1, FIGURE_REQUESTS));
  g_print ("\n  %-20s", "TLS connections");
  for (int v = 0; v < n_variants; v++)
    print_count (sample_median (samples[v], -1, FIGURE_CONNECTIONS));
  g_print ("\n  %-20s", "TCP connections");
  for (int v = 0; v < n_variants; v++)
    print_count (sample_median (samples[v], -1, FIGURE_TCP));
  g_print ("\n  %-20s", "TLS full handshakes");
  for (int v = 0; v < n_variants; v++)
    print_count (sample_median (samples[v], -1, FIGURE_TLS_FULL));
  g_print ("\n  %-20s", "TLS resumed");
  for (int v = 0; v < n_variants; v++)
    print_count (sample_median (samples[v], -1, FIGURE_TLS_RESUMED));
  g_print ("\n  %-20s", "  (ticket offered)");
  for (int v = 0; v < n_variants; v++)
    print_count (sample_median (samples[v], -1, FIGURE_TLS_OFFERED));
  g_print ("\n  %-20s", "curl processes");
  for (int v = 0; v < n_variants; v++)
    print_count (sample_median (samples[v], -1, FIGURE_PROCESSES));
  g_print ("\n");
  if (n_variants > VARIANT_CURL_PER_REQUEST)
    {
      g_print ("  %-20s", "ratio client/curl");
      for (int v = 0; v < n_variants; v++)
        {
          if (v < VARIANT_CURL_PER_REQUEST)
            g_print (" %12s", "");
          else
            g_print (" %11.2fx", client_total / sample_median (samples[v], -1, FIGURE_TOTAL));
        }
      g_print ("\n  goal: client <= 1.3x curl --next: %s\n",
               client_total <= 1.3 * sample_median (samples[VARIANT_CURL_ONE_PROCESS], -1,
                                                     FIGURE_TOTAL) ? "met" : "not met");
      g_print ("  curl's form bodies: %s\n", bodies_check);
    }
  g_print ("  client/old: the client with SOUP_MESSAGE_NEW_CONNECTION on its POSTs, as libsoup\n"
           "   sends a POST without SOUP_MESSAGE_IDEMPOTENT (the app before it set that flag)\n"
           "  TLS connections: the client's TLS_HANDSHAKED events, curl's %%{num_connects};\n"
           "   TCP connections and TLS handshakes (full or resumed): as the relay saw them\n");
  g_print ("  whole flow: from creating the session or starting curl to the application\n"
           "   number, with the captcha and SMS code read from the simulator's logs (the steps\n"
           "   exclude those reads)\n");
}

/* ------------------------------------------------------------------------
 * Main.
 * ------------------------------------------------------------------------ */

static char *
curl_version (void)
{
  g_autofree char *output = NULL;
  const char *argv[] = { bench.curl, "--version", NULL };
  g_auto(GStrv) words = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &output, NULL, NULL, NULL) || output == NULL)
    return g_strdup ("curl ?");
  words = g_strsplit (output, " ", 3);
  if (g_strv_length (words) < 2)
    return g_strdup ("curl ?");
  return g_strdup_printf ("%s %s", words[0], words[1]);
}

/* Every variant of the flow through a relay that delays each direction by
 * half of @rtt_ms; prints the table. */
static void
bench_flows (guint rtt_ms)
{
  GArray *samples[N_VARIANTS] = { NULL };
  const char *bodies_check = "not checked";
  g_autofree char *captcha = NULL;
  g_autofree char *sms_code = NULL;
  g_autoptr(GError) error = NULL;
  BenchRelayCounts discard;
  Sample warm = { 0 };
  int n_variants = bench.no_curl ? VARIANT_CURL_PER_REQUEST : N_VARIANTS;

  bench.relay = bench_relay_new (bench.sim_port, rtt_ms * 1000 / 2, &error);
  if (bench.relay == NULL)
    die ("%s", error->message);
  g_free (bench.url);
  g_free (bench.base);
  bench.base = g_strdup_printf ("https://127.0.0.1:%u", bench_relay_get_port (bench.relay));
  bench.url = g_strconcat (bench.base, "/", NULL);

  for (int v = 0; v < n_variants; v++)
    samples[v] = g_array_sized_new (FALSE, TRUE, sizeof (Sample), bench.runs);

  /* One unmeasured run of each: caches, the simulator's first pages, and
   * the check that curl posts the client's bodies. */
  g_ptr_array_set_size (bench.client_bodies, 0);
  bench_run_client (&warm, FALSE, TRUE, &captcha, &sms_code);
  memset (&warm, 0, sizeof warm);
  bench_run_client (&warm, TRUE, FALSE, NULL, NULL);
  if (!bench.no_curl)
    {
      bodies_check = bench_check_curl_bodies (captcha, sms_code);
      memset (&warm, 0, sizeof warm);
      bench_run_curl (&warm, FALSE, NULL);
      memset (&warm, 0, sizeof warm);
      bench_run_curl (&warm, TRUE, NULL);
      memset (&warm, 0, sizeof warm);
      bench_run_curl_one_process (&warm, NULL);
    }

  /* Interleaved, in a rotating order, so that every variant sees the
   * same machine. */
  for (int run = 0; run < bench.runs; run++)
    {
      for (int k = 0; k < n_variants; k++)
        {
          int v = (run + k) % n_variants;
          Sample sample = { 0 };

          bench_relay_take_counts (bench.relay, &discard);
          switch (v)
            {
            case VARIANT_CLIENT:
              bench_run_client (&sample, FALSE, FALSE, NULL, NULL);
              break;
            case VARIANT_CLIENT_NEW_CONNECTIONS:
              bench_run_client (&sample, TRUE, FALSE, NULL, NULL);
              break;
            case VARIANT_CURL_PER_REQUEST:
              bench_run_curl (&sample, FALSE, NULL);
              break;
            case VARIANT_CURL_PER_STEP:
              bench_run_curl (&sample, TRUE, NULL);
              break;
            case VARIANT_CURL_ONE_PROCESS:
              bench_run_curl_one_process (&sample, NULL);
              break;
            default:
              g_assert_not_reached ();
            }
          bench_relay_take_counts (bench.relay, &sample.relay);
          g_array_append_val (samples[v], sample);
        }
    }

  report_flow (samples, n_variants, bodies_check, rtt_ms);
  for (int v = 0; v < n_variants; v++)
    g_array_unref (samples[v]);
  g_clear_pointer (&bench.relay, bench_relay_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &bench.runs, "Runs of each flow (default 20)", "N" },
    { "parse-iterations", 0, 0, G_OPTION_ARG_INT, &bench.parse_iterations,
      "Parses of each sample page (default 1000)", "N" },
    { "simulator", 0, 0, G_OPTION_ARG_FILENAME, &bench.simulator,
      "eimza-portal-sim to start", "PATH" },
    { "pages", 0, 0, G_OPTION_ARG_FILENAME, &bench.pages, "Directory of sample pages", "DIR" },
    { "curl", 0, 0, G_OPTION_ARG_FILENAME, &bench.curl, "curl to compare with (default: from PATH)",
      "PATH" },
    { "no-curl", 0, 0, G_OPTION_ARG_NONE, &bench.no_curl, "Only the client", NULL },
    { "no-flow", 0, 0, G_OPTION_ARG_NONE, &bench.no_flow, "Only the parse times", NULL },
    { "rtt-ms", 0, 0, G_OPTION_ARG_STRING, &bench.rtt_list,
      "Round trips to put between the flows and the simulator, comma-separated (default 0,50)",
      "MS[,MS…]" },
    { NULL }
  };

  /* µs and → in the report. */
  setlocale (LC_ALL, "");

  bench.runs = DEFAULT_RUNS;
  bench.parse_iterations = DEFAULT_PARSE_ITERATIONS;
  context = g_option_context_new ("— the portal client's flow versus curl, and page parsing");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("%s", error->message);
  if (bench.runs < 1 || bench.parse_iterations < 1)
    die ("--runs and --parse-iterations must be at least 1");
  if (bench.simulator == NULL)
    bench.simulator = g_strdup (BENCH_PORTAL_SIM);
  if (bench.pages == NULL)
    bench.pages = g_strdup (BENCH_SAMPLE_PAGES);
  if (bench.rtt_list == NULL)
    bench.rtt_list = g_strdup ("0,50");
  if (bench.curl == NULL && !bench.no_curl)
    {
      bench.curl = g_find_program_in_path ("curl");
      if (bench.curl == NULL)
        die ("curl is not in PATH (apt-get install curl), or use --no-curl");
    }

  /* Local connections only: no proxy, no desktop settings; SIGPIPE would
   * end us silently should curl close a FIFO early. */
  g_setenv ("no_proxy", "*", TRUE);
  g_setenv ("NO_PROXY", "*", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("G_MESSAGES_DEBUG");
  signal (SIGPIPE, SIG_IGN);
  signal (SIGALRM, guard_alarm_handler);

  bench.profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  if (bench.profile == NULL)
    die ("%s", error->message);

  {
    g_autofree char *version = bench.no_curl ? g_strdup ("no curl") : curl_version ();

    g_print ("portal benchmark: %s build%s, libsoup %u.%u.%u, %s, %u CPUs\n",
#ifdef __OPTIMIZE__
             "optimized",
#else
             "UNOPTIMIZED",
#endif
             BENCH_SANITIZED ? " WITH SANITIZERS (figures distorted)" : "",
             soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version (),
             version, g_get_num_processors ());
  }

  if (!bench.no_flow)
    {
      g_autoptr(EimzaRenewalForm) form = person_form_new ();
      g_auto(GStrv) rtts = g_strsplit (bench.rtt_list, ",", -1);

      if (!eimza_renewal_form_check_step (form, EIMZA_STEP_FORM))
        die ("the fixture person's form does not pass the app's validators");

      start_simulator ();
      g_print ("simulator: https://127.0.0.1:%u/ (pid %s), TLS with a throwaway CA\n",
               bench.sim_port, g_subprocess_get_identifier (bench.sim));
      if (!bench.no_curl)
        bench_make_fifos ();
      bench.client_bodies = g_ptr_array_new_with_free_func (g_free);

      for (guint r = 0; rtts[r] != NULL; r++)
        {
          char *end = NULL;
          guint64 rtt_ms = g_ascii_strtoull (rtts[r], &end, 10);

          if (end == rtts[r] || *end != '\0' || rtt_ms > 1000)
            die ("--rtt-ms: “%s” is not a round trip of 0 to 1000 ms", rtts[r]);
          bench_flows ((guint) rtt_ms);
        }
      clean_up ();
    }

  bench_parsing ();

  g_clear_pointer (&bench.client_bodies, g_ptr_array_unref);
  g_clear_object (&bench.profile);
  return 0;
}

