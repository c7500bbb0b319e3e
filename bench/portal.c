/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the portal flow with the client and with curl, against the simulator; parse times. */

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "eimza-portal-enums.h"
#include "eimza-portal-error.h"
#include "eimza-portal-form-body.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"
#include "eimza-renewal-form.h"
#include "eimza-validation.h"

#include "bench-relay.h"

#ifndef BENCH_PORTAL_SIM
#define BENCH_PORTAL_SIM "eimza-portal-sim"
#endif
#ifndef BENCH_SAMPLE_PAGES
#define BENCH_SAMPLE_PAGES "tools/portal-sim/sample-pages"
#endif

#define DEFAULT_RUNS 20
#define DEFAULT_PARSE_ITERATIONS 1000
/* A flow takes a fraction of a second; anything near this is a hang. */
#define FLOW_GUARD_SECONDS 120

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

/* The steps of the flow, as EimzaPortalSession has them. */
typedef enum {
  STEP_OPEN,
  STEP_LOG_IN,
  STEP_SUBMIT_FORM,
  STEP_SEND_SMS,
  STEP_VERIFY_SMS,
  STEP_APPLY,
  N_STEPS
} Step;

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

typedef struct {
  gint64 total_us;
  gint64 step_us[N_STEPS]; /* -1 when the variant cannot tell */
  guint n_requests;
  guint n_connections;
  guint n_processes;
  BenchRelayCounts relay;  /* what went through the relay */
} Sample;

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

/* The submit buttons' values, as the pages have them. */
#define SUBMIT_LOGIN_VALUE "Giriş"
#define SUBMIT_FORM_VALUE "Form Onayla"
#define SUBMIT_SMS_SEND_VALUE "Gönder"
#define SUBMIT_SMS_VERIFY_VALUE "Tamam"
#define SUBMIT_EONAY_VALUE "E-Onaylı Başvuru"

static struct {
  /* Options. */
  int runs;
  int parse_iterations;
  char *simulator;
  char *pages;
  char *curl;
  gboolean no_curl;
  gboolean no_flow;
  char *rtt_list;

  /* The simulator, and the curl of the one-process flow while it runs. */
  GSubprocess *sim;
  GSubprocess *curl_next;
  char *work_dir;
  char *tls_dir;
  char *captcha_log;
  char *sms_log;
  guint16 sim_port;
  char *url;  /* the relay's "https://127.0.0.1:PORT/", everybody's way in */
  char *base; /* the same without the final slash */
  char *ca_file;
  /* Between the flows and the simulator, for the current round trip. */
  BenchRelay *relay;

  EimzaPortalProfile *profile;

  /* The client's counters and settings for the current run. */
  gboolean new_connections;
  guint n_requests;
  guint n_connections;
  /* Request bodies of the client's warm-up run, to compare with curl's. */
  GPtrArray *client_bodies;
  gboolean logger_in_body;
} bench;

static gint64
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

static G_GNUC_NORETURN G_GNUC_PRINTF (1, 2) void
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

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Median of @values (sorted in place); -1 when there are none. */
static double
median (GArray *values)
{
  guint n = values->len;

  if (n == 0)
    return -1;

  g_array_sort (values, compare_gint64);
  if (n % 2 == 1)
    return g_array_index (values, gint64, n / 2);
  return (g_array_index (values, gint64, n / 2 - 1) + g_array_index (values, gint64, n / 2)) / 2.0;
}

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

  return median (values);
}

static void
sample_range (GArray *samples,
              gint64 *out_min,
              gint64 *out_max)
{
  *out_min = G_MAXINT64;
  *out_max = 0;
  for (guint i = 0; i < samples->len; i++)
    {
      gint64 total = g_array_index (samples, Sample, i).total_us;

      *out_min = MIN (*out_min, total);
      *out_max = MAX (*out_max, total);
    }
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
static char *
read_captcha (void)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (bench.captcha_log, &text, NULL, &error))
    die ("cannot read the captcha log: %s", error->message);
  return g_strstrip (text);
}

/* The code of the last SMS, which went to the fixture person's phone. */
static char *
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

static EimzaRenewalForm *
person_form_new (void)
{
  EimzaRenewalForm *form = eimza_renewal_form_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (person); i++)
    eimza_renewal_form_set_value (form, person[i].field, person[i].value);
  return form;
}

/* ------------------------------------------------------------------------
 * Form bodies for curl: the same bytes the client posts.
 * ------------------------------------------------------------------------ */

/* application/x-www-form-urlencoded, as browsers (and the client) write it. */
static void
append_encoded (GString    *body,
                const char *text)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '*' || *p == '-' || *p == '.' || *p == '_')
        g_string_append_c (body, *p);
      else if (*p == ' ')
        g_string_append_c (body, '+');
      else
        g_string_append_printf (body, "%%%c%c", hex[*p >> 4], hex[*p & 0xf]);
    }
}

static void
append_pair (GString    *body,
             const char *name,
             const char *value)
{
  if (body->len > 0)
    g_string_append_c (body, '&');
  append_encoded (body, name);
  g_string_append_c (body, '=');
  append_encoded (body, value != NULL ? value : "");
}

/* One field of @form the way the client writes it: trimmed, choices in the
 * portal's words, the birth date as gg.aa.yyyy. */
static void
append_field (GString          *body,
              EimzaRenewalForm *form,
              EimzaField        field)
{
  const char *name = eimza_portal_profile_get_field_name (bench.profile, field);
  g_autofree char *value = NULL;

  if (name == NULL)
    return;

  /* The same value the session posts. */
  value = eimza_portal_form_field_value (bench.profile, form, field);
  append_pair (body, name, value);
}

static void
append_submit (GString           *body,
               EimzaPortalSubmit  submit,
               const char        *value)
{
  append_pair (body, eimza_portal_profile_get_submit_name (bench.profile, submit), value);
}

typedef enum {
  BODY_LOGIN,
  BODY_FORM,
  BODY_SMS_SEND,
  BODY_SMS_VERIFY,
  BODY_EONAY,
  N_BODIES
} Body;

static char *
body_build (Body              kind,
            const char       *view_state,
            EimzaRenewalForm *form,
            const char       *sms_code)
{
  g_autoptr(GString) body = g_string_sized_new (1024);

  append_pair (body, "javax.faces.ViewState", view_state);
  switch (kind)
    {
    case BODY_LOGIN:
      for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
        {
          if (eimza_renewal_form_field_step (field) == EIMZA_STEP_LOGIN)
            append_field (body, form, field);
        }
      append_submit (body, EIMZA_PORTAL_SUBMIT_LOGIN, SUBMIT_LOGIN_VALUE);
      break;

    case BODY_FORM:
      for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
        {
          if (eimza_renewal_form_field_step (field) == EIMZA_STEP_FORM &&
              field != EIMZA_FIELD_INSTITUTION_REGISTRY_NO &&
              field != EIMZA_FIELD_INSTITUTION_NAME)
            append_field (body, form, field);
        }
      append_submit (body, EIMZA_PORTAL_SUBMIT_FORM, SUBMIT_FORM_VALUE);
      break;

    case BODY_SMS_SEND:
      append_submit (body, EIMZA_PORTAL_SUBMIT_SMS_SEND, SUBMIT_SMS_SEND_VALUE);
      break;

    case BODY_SMS_VERIFY:
      append_pair (body, eimza_portal_profile_get_sms_code_name (bench.profile), sms_code);
      append_submit (body, EIMZA_PORTAL_SUBMIT_SMS_VERIFY, SUBMIT_SMS_VERIFY_VALUE);
      break;

    case BODY_EONAY:
      append_submit (body, EIMZA_PORTAL_SUBMIT_EONAY, SUBMIT_EONAY_VALUE);
      break;

    case N_BODIES:
    default:
      g_assert_not_reached ();
    }

  return g_string_free (g_steal_pointer (&body), FALSE);
}

/* What a script does with a page: find a string and take what follows, up to
 * the next quote or tag. No HTML parser, so that curl's side costs nothing
 * but curl. */
static char *
page_extract (const char *page,
              const char *before,
              char        end)
{
  const char *start = page != NULL ? strstr (page, before) : NULL;
  const char *stop;

  if (start == NULL)
    return NULL;
  start += strlen (before);
  stop = strchr (start, end);
  return stop != NULL ? g_strndup (start, stop - start) : NULL;
}

static char *
page_view_state (const char *page,
                 const char *what)
{
  char *view_state = page_extract (page, "name=\"javax.faces.ViewState\" value=\"", '"');

  if (view_state == NULL)
    die ("curl: the %s page has no view state", what);
  return view_state;
}

static void
page_expect (const char *page,
             const char *marker,
             const char *what)
{
  if (page == NULL || strstr (page, marker) == NULL)
    die ("curl: expected the %s page (“%s”), got another", what, marker);
}

/* ------------------------------------------------------------------------
 * The client: EimzaPortalSession.
 * ------------------------------------------------------------------------ */

static gboolean
flow_guard_cb (gpointer user_data)
{
  die ("a portal call took more than %d s", FLOW_GUARD_SECONDS);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED)
    bench.n_connections++;
}

static void
request_queued_cb (SoupSession *soup,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  bench.n_requests++;
  /* A new connection for each POST, as libsoup does for a POST without
   * SOUP_MESSAGE_IDEMPOTENT (the app before it set that flag). */
  if (bench.new_connections && g_strcmp0 (soup_message_get_method (msg), "POST") == 0)
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), NULL);
}

/* SoupLogger prints a request's body after a blank line that follows its
 * headers; only the warm-up run has a logger. */
static void
logger_printer (SoupLogger         *logger,
                SoupLoggerLogLevel  level,
                char                direction,
                const char         *data,
                gpointer            user_data)
{
  if (direction != '>')
    return;
  if (g_str_has_prefix (data, "POST ") || g_str_has_prefix (data, "GET "))
    bench.logger_in_body = FALSE;
  else if (*data == '\0')
    bench.logger_in_body = TRUE;
  else if (bench.logger_in_body && level == SOUP_LOGGER_LOG_BODY)
    {
      g_ptr_array_add (bench.client_bodies, g_strdup (data));
      bench.logger_in_body = FALSE;
    }
}

static void
run_client (Sample   *sample,
            gboolean  new_connections,
            gboolean  capture_bodies,
            char    **out_captcha,
            char    **out_sms_code)
{
  g_autoptr(EimzaRenewalForm) form = person_form_new ();
  g_autoptr(EimzaPortalSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gint64 start, step_start;
  guint guard;

  bench.new_connections = new_connections;
  bench.n_requests = 0;
  bench.n_connections = 0;
  guard = g_timeout_add_seconds (FLOW_GUARD_SECONDS, flow_guard_cb, NULL);

  start = now_us ();
  session = eimza_portal_session_new (bench.profile, bench.url, bench.ca_file, &error);
  if (session == NULL)
    die ("client: %s", error->message);
  g_signal_connect (eimza_portal_session_get_soup_session (session), "request-queued",
                    G_CALLBACK (request_queued_cb), NULL);
  if (capture_bodies)
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_BODY);

      soup_logger_set_printer (logger, logger_printer, NULL, NULL);
      soup_session_add_feature (eimza_portal_session_get_soup_session (session),
                                SOUP_SESSION_FEATURE (logger));
    }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) image = NULL;

    step_start = now_us ();
    eimza_portal_session_open_async (session, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    image = eimza_portal_session_open_finish (session, result, &error);
    if (image == NULL)
      die ("client: open: %s", error->message);
    sample->step_us[STEP_OPEN] = now_us () - step_start;
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *captcha = read_captcha ();

    eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha);
    step_start = now_us ();
    eimza_portal_session_log_in_async (session, form, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    if (!eimza_portal_session_log_in_finish (session, result, &error))
      die ("client: log_in: %s", error->message);
    sample->step_us[STEP_LOG_IN] = now_us () - step_start;
    if (out_captcha != NULL)
      *out_captcha = g_steal_pointer (&captcha);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(EimzaPortalSmsState) state = NULL;

    step_start = now_us ();
    eimza_portal_session_submit_form_async (session, form, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    state = eimza_portal_session_submit_form_finish (session, result, &error);
    if (state == NULL)
      die ("client: submit_form: %s", error->message);
    sample->step_us[STEP_SUBMIT_FORM] = now_us () - step_start;
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(EimzaPortalSmsState) state = NULL;

    step_start = now_us ();
    eimza_portal_session_send_sms_async (session, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    state = eimza_portal_session_send_sms_finish (session, result, &error);
    if (state == NULL)
      die ("client: send_sms: %s", error->message);
    sample->step_us[STEP_SEND_SMS] = now_us () - step_start;
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *code = read_sms_code ();
    gboolean eonay = FALSE;

    step_start = now_us ();
    eimza_portal_session_verify_sms_async (session, code, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    if (!eimza_portal_session_verify_sms_finish (session, result, &eonay, &error))
      die ("client: verify_sms: %s", error->message);
    if (!eonay)
      die ("client: the portal offers no e-onay for the fixture person");
    sample->step_us[STEP_VERIFY_SMS] = now_us () - step_start;
    if (out_sms_code != NULL)
      *out_sms_code = g_steal_pointer (&code);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *number = NULL;

    step_start = now_us ();
    eimza_portal_session_apply_with_eonay_async (session, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    number = eimza_portal_session_apply_with_eonay_finish (session, result, &error);
    if (number == NULL)
      die ("client: apply_with_eonay: %s", error->message);
    sample->step_us[STEP_APPLY] = now_us () - step_start;
  }

  sample->total_us = now_us () - start;
  sample->n_requests = bench.n_requests;
  sample->n_connections = bench.n_connections;
  sample->n_processes = 0;

  g_source_remove (guard);
  /* Let libsoup close its connection before the next run, untimed. */
  g_clear_object (&session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ------------------------------------------------------------------------
 * curl, one process per request or per step.
 * ------------------------------------------------------------------------ */

typedef struct {
  gboolean follow; /* -L: the 303 inside the same process */
  char *jar;
  char *out;
  Sample *sample;
  GPtrArray *bodies; /* (nullable): what was posted, for the check */
} CurlFlow;

/* One curl process: @body (nullable) makes it a POST. Returns the body of
 * the last response when @want_page, else NULL; @out_status gets its HTTP
 * status, @out_location (nullable) the redirect's absolute URL. */
static char *
curl_exchange (CurlFlow    *flow,
               const char  *url,
               const char  *body,
               gboolean     want_page,
               guint       *out_status,
               char       **out_location)
{
  char *page = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *errors = NULL;
  g_auto(GStrv) words = NULL;
  int wait_status = 0;
  guint status, connects, redirects;

  /* -q first: no ~/.curlrc. */
  g_ptr_array_add (argv, bench.curl);
  g_ptr_array_add (argv, "-q");
  g_ptr_array_add (argv, "-sS");
  g_ptr_array_add (argv, "--cacert");
  g_ptr_array_add (argv, bench.ca_file);
  g_ptr_array_add (argv, "-b");
  g_ptr_array_add (argv, flow->jar);
  g_ptr_array_add (argv, "-c");
  g_ptr_array_add (argv, flow->jar);
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, flow->out);
  g_ptr_array_add (argv, "-w");
  g_ptr_array_add (argv, "%{http_code} %{num_connects} %{num_redirects} %{redirect_url}");
  if (flow->follow)
    g_ptr_array_add (argv, "-L");
  if (body != NULL)
    {
      g_ptr_array_add (argv, "--data-binary");
      g_ptr_array_add (argv, (char *) body);
      if (flow->bodies != NULL)
        g_ptr_array_add (flow->bodies, g_strdup (body));
    }
  g_ptr_array_add (argv, (char *) url);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &output, &errors, &wait_status, &error))
    die ("cannot run curl: %s", error->message);
  if (!g_spawn_check_wait_status (wait_status, &error))
    die ("curl %s: %s: %s", url, error->message, errors);

  words = g_strsplit (output, " ", 4);
  if (g_strv_length (words) < 3)
    die ("curl %s: unexpected -w output “%s”", url, output);
  status = atoi (words[0]);
  connects = atoi (words[1]);
  redirects = atoi (words[2]);

  flow->sample->n_processes++;
  flow->sample->n_requests += 1 + redirects;
  flow->sample->n_connections += connects;

  if (out_location != NULL)
    *out_location = words[3] != NULL && *words[3] != '\0' ? g_strdup (words[3]) : NULL;
  if (want_page && !g_file_get_contents (flow->out, &page, NULL, &error))
    die ("curl %s: %s", url, error->message);
  *out_status = status;
  return page;
}

static char *
curl_get_page (CurlFlow   *flow,
               const char *url)
{
  guint status = 0;
  char *page = curl_exchange (flow, url, NULL, TRUE, &status, NULL);

  if (status != 200)
    die ("curl: GET %s answered %u", url, status);
  return page;
}

/* A POST that answers 303, and the GET of where it points: in one process
 * with -L, in two without. */
static char *
curl_post_and_follow (CurlFlow   *flow,
                      const char *path,
                      const char *body,
                      const char *next_path)
{
  g_autofree char *url = g_strconcat (bench.base, path, NULL);
  g_autofree char *expected = g_strconcat (bench.base, next_path, NULL);
  g_autofree char *location = NULL;
  char *page = NULL;
  guint status = 0;

  if (flow->follow)
    {
      page = curl_exchange (flow, url, body, TRUE, &status, NULL);
      if (status != 200)
        die ("curl: POST %s then GET %s answered %u", path, next_path, status);
      return page;
    }

  curl_exchange (flow, url, body, FALSE, &status, &location);
  if (status != 303 || g_strcmp0 (location, expected) != 0)
    die ("curl: POST %s answered %u → %s, not 303 → %s", path, status,
         location != NULL ? location : "(none)", expected);
  return curl_get_page (flow, location);
}

static void
run_curl (Sample    *sample,
          gboolean   follow,
          GPtrArray *bodies)
{
  g_autoptr(EimzaRenewalForm) form = person_form_new ();
  g_autofree char *login_url = g_strconcat (bench.base, "/bp/meb.go", NULL);
  g_autofree char *page = NULL;
  CurlFlow flow = { 0 };
  gint64 start, step_start;

  flow.follow = follow;
  flow.jar = g_build_filename (bench.work_dir, "curl.jar", NULL);
  flow.out = g_build_filename (bench.work_dir, "curl.out", NULL);
  flow.sample = sample;
  flow.bodies = bodies;
  g_unlink (flow.jar);
  alarm (FLOW_GUARD_SECONDS);

  start = now_us ();

  /* The sign-in page and its captcha image, at the address in the page. */
  {
    g_autofree char *src = NULL;
    g_autofree char *captcha_url = NULL;
    g_autofree char *image = NULL;
    guint status = 0;

    step_start = now_us ();
    page = curl_get_page (&flow, login_url);
    page_expect (page, "id=\"girisForm\"", "sign-in");
    src = page_extract (page, "id=\"guvenlikResmi\" src=\"", '"');
    if (src == NULL || src[0] != '/')
      die ("curl: the sign-in page has no captcha image address");
    captcha_url = g_strconcat (bench.base, src, NULL);
    image = curl_exchange (&flow, captcha_url, NULL, TRUE, &status, NULL);
    if (status != 200 || strncmp (image, "\x89PNG", 4) != 0)
      die ("curl: GET %s answered %u, not a PNG", captcha_url, status);
    sample->step_us[STEP_OPEN] = now_us () - step_start;
  }

  {
    g_autofree char *captcha = read_captcha ();
    g_autofree char *view_state = page_view_state (page, "sign-in");
    g_autofree char *body = NULL;

    eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha);
    step_start = now_us ();
    body = body_build (BODY_LOGIN, view_state, form, NULL);
    g_free (page);
    page = curl_post_and_follow (&flow, "/bp/meb.go", body, "/bp/basvuru.go");
    page_expect (page, "id=\"basvuruForm\"", "application form");
    sample->step_us[STEP_LOG_IN] = now_us () - step_start;
  }

  {
    g_autofree char *view_state = page_view_state (page, "application form");
    g_autofree char *body = NULL;

    step_start = now_us ();
    body = body_build (BODY_FORM, view_state, form, NULL);
    g_free (page);
    page = curl_post_and_follow (&flow, "/bp/basvuru.go", body, "/bp/sms.go");
    page_expect (page, "id=\"smsForm\"", "SMS");
    sample->step_us[STEP_SUBMIT_FORM] = now_us () - step_start;
  }

  {
    g_autofree char *view_state = page_view_state (page, "SMS");
    g_autofree char *body = NULL;
    g_autofree char *url = g_strconcat (bench.base, "/bp/sms.go", NULL);
    guint status = 0;

    step_start = now_us ();
    body = body_build (BODY_SMS_SEND, view_state, form, NULL);
    g_free (page);
    page = curl_exchange (&flow, url, body, TRUE, &status, NULL);
    if (status != 200)
      die ("curl: POST /bp/sms.go (send) answered %u", status);
    page_expect (page, "class=\"bilgi-mesaji\"", "SMS sent");
    sample->step_us[STEP_SEND_SMS] = now_us () - step_start;
  }

  {
    g_autofree char *code = read_sms_code ();
    g_autofree char *view_state = page_view_state (page, "SMS");
    g_autofree char *body = NULL;

    step_start = now_us ();
    body = body_build (BODY_SMS_VERIFY, view_state, form, code);
    g_free (page);
    page = curl_post_and_follow (&flow, "/bp/sms.go", body, "/bp/yontem.go");
    page_expect (page, "name=\"eonayliBasvuru\" value=\"E-Onaylı Başvuru\">", "signing-method");
    sample->step_us[STEP_VERIFY_SMS] = now_us () - step_start;
  }

  {
    g_autofree char *view_state = page_view_state (page, "signing-method");
    g_autofree char *body = NULL;
    g_autofree char *number = NULL;

    step_start = now_us ();
    body = body_build (BODY_EONAY, view_state, form, NULL);
    g_free (page);
    page = curl_post_and_follow (&flow, "/bp/yontem.go", body, "/bp/sonuc.go");
    number = page_extract (page, "id=\"basvuruNo\">", '<');
    if (number == NULL || *number == '\0')
      die ("curl: the result page has no application number");
    sample->step_us[STEP_APPLY] = now_us () - step_start;
  }

  sample->total_us = now_us () - start;
  alarm (0);
  g_unlink (flow.jar);
  g_unlink (flow.out);
  g_free (flow.jar);
  g_free (flow.out);
}

/* ------------------------------------------------------------------------
 * curl, one process for the whole flow.
 *
 * curl reads all its arguments before the first transfer, but each POST
 * needs the view state of the page before it (and the captcha text, the
 * SMS code). So the bodies go through FIFOs given to -T, which curl opens
 * only when that transfer starts, and the pages come back through FIFOs
 * given to -o. Bodies of unknown length go out chunked (no Content-Length),
 * the only difference on the wire. The 303s are not followed with -L (with
 * -X POST curl would POST again): the next transfer GETs the address the
 * protocol names, and the -w line of the POST confirms the redirect.
 * ------------------------------------------------------------------------ */

typedef enum {
  SEG_GET_LOGIN,
  SEG_GET_CAPTCHA,
  SEG_POST_LOGIN,
  SEG_GET_FORM,
  SEG_POST_FORM,
  SEG_GET_SMS,
  SEG_POST_SMS_SEND,
  SEG_POST_SMS_VERIFY,
  SEG_GET_METHOD,
  SEG_POST_EONAY,
  SEG_GET_RESULT,
  N_SEGMENTS
} Segment;

static const struct {
  const char *path;
  gboolean post;
  gboolean page;   /* the answer comes back through a FIFO */
  guint status;    /* expected */
  const char *redirect;
} segments[N_SEGMENTS] = {
  [SEG_GET_LOGIN] = { "/bp/meb.go", FALSE, TRUE, 200, NULL },
  /* The page's own image address is not known when curl starts. */
  [SEG_GET_CAPTCHA] = { "/bp/captcha.go", FALSE, FALSE, 200, NULL },
  [SEG_POST_LOGIN] = { "/bp/meb.go", TRUE, FALSE, 303, "/bp/basvuru.go" },
  [SEG_GET_FORM] = { "/bp/basvuru.go", FALSE, TRUE, 200, NULL },
  [SEG_POST_FORM] = { "/bp/basvuru.go", TRUE, FALSE, 303, "/bp/sms.go" },
  [SEG_GET_SMS] = { "/bp/sms.go", FALSE, TRUE, 200, NULL },
  [SEG_POST_SMS_SEND] = { "/bp/sms.go", TRUE, TRUE, 200, NULL },
  [SEG_POST_SMS_VERIFY] = { "/bp/sms.go", TRUE, FALSE, 303, "/bp/yontem.go" },
  [SEG_GET_METHOD] = { "/bp/yontem.go", FALSE, TRUE, 200, NULL },
  [SEG_POST_EONAY] = { "/bp/yontem.go", TRUE, FALSE, 303, "/bp/sonuc.go" },
  [SEG_GET_RESULT] = { "/bp/sonuc.go", FALSE, TRUE, 200, NULL },
};

static char *
fifo_path (Segment     segment,
           const char *kind)
{
  g_autofree char *name = g_strdup_printf ("%s-%02d", kind, segment);

  return g_build_filename (bench.work_dir, "fifo", name, NULL);
}

static char *
fifo_read_page (Segment segment)
{
  g_autofree char *path = fifo_path (segment, "page");
  g_autoptr(GString) page = g_string_new (NULL);
  char buffer[16384];
  ssize_t n;
  int fd;

  /* Blocks until curl opens it for this transfer's answer. */
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    die ("cannot open %s: %s", path, g_strerror (errno));
  while ((n = read (fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("cannot read %s: %s", path, g_strerror (errno));
      g_string_append_len (page, buffer, n);
    }
  close (fd);
  return g_string_free (g_steal_pointer (&page), FALSE);
}

static void
fifo_write_body (Segment     segment,
                 const char *body)
{
  g_autofree char *path = fifo_path (segment, "body");
  size_t length = strlen (body);
  size_t done = 0;
  int fd;

  /* Blocks until curl opens it for this transfer's upload. */
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    die ("cannot open %s: %s", path, g_strerror (errno));
  while (done < length)
    {
      ssize_t n = write (fd, body + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("cannot write %s: %s", path, g_strerror (errno));
      done += n;
    }
  close (fd);
}

static void
make_fifos (void)
{
  g_autofree char *dir = g_build_filename (bench.work_dir, "fifo", NULL);

  if (g_mkdir (dir, 0700) != 0)
    die ("cannot create %s: %s", dir, g_strerror (errno));
  for (Segment s = 0; s < N_SEGMENTS; s++)
    {
      g_autofree char *page = fifo_path (s, "page");
      g_autofree char *body = fifo_path (s, "body");

      if (segments[s].page && mkfifo (page, 0600) != 0)
        die ("cannot create %s: %s", page, g_strerror (errno));
      if (segments[s].post && mkfifo (body, 0600) != 0)
        die ("cannot create %s: %s", body, g_strerror (errno));
    }
}

static void
run_curl_one_process (Sample    *sample,
                      GPtrArray *bodies)
{
  g_autoptr(EimzaRenewalForm) form = person_form_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *report_path = g_build_filename (bench.work_dir, "curl-next.out", NULL);
  g_autofree char *report = NULL;
  g_autofree char *page = NULL;
  g_autofree char *number = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 start;

  for (Step s = 0; s < N_STEPS; s++)
    sample->step_us[s] = -1;

  g_ptr_array_add (argv, g_strdup (bench.curl));
  g_ptr_array_add (argv, g_strdup ("-q"));
  for (Segment s = 0; s < N_SEGMENTS; s++)
    {
      if (s > 0)
        g_ptr_array_add (argv, g_strdup ("--next"));
      g_ptr_array_add (argv, g_strdup ("-sS"));
      g_ptr_array_add (argv, g_strdup ("--cacert"));
      g_ptr_array_add (argv, g_strdup (bench.ca_file));
      /* An empty cookie file turns the cookie engine on; the transfers of
       * one curl share their cookies. */
      g_ptr_array_add (argv, g_strdup ("-b"));
      g_ptr_array_add (argv, g_strdup (""));
      g_ptr_array_add (argv, g_strdup ("-w"));
      g_ptr_array_add (argv, g_strdup ("%{http_code} %{num_connects} %{redirect_url}\\n"));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, segments[s].page ? fifo_path (s, "page") : g_strdup ("/dev/null"));
      if (segments[s].post)
        {
          g_ptr_array_add (argv, g_strdup ("-X"));
          g_ptr_array_add (argv, g_strdup ("POST"));
          g_ptr_array_add (argv, g_strdup ("-H"));
          g_ptr_array_add (argv, g_strdup ("Content-Type: application/x-www-form-urlencoded"));
          /* No waiting for "100 Continue" before a body of unknown length. */
          g_ptr_array_add (argv, g_strdup ("-H"));
          g_ptr_array_add (argv, g_strdup ("Expect:"));
          g_ptr_array_add (argv, g_strdup ("-T"));
          g_ptr_array_add (argv, fifo_path (s, "body"));
        }
      g_ptr_array_add (argv, g_strconcat (bench.base, segments[s].path, NULL));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, report_path);
  alarm (FLOW_GUARD_SECONDS);

  start = now_us ();
  bench.curl_next = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  if (bench.curl_next == NULL)
    die ("cannot run curl: %s", error->message);

  page = fifo_read_page (SEG_GET_LOGIN);
  page_expect (page, "id=\"girisForm\"", "sign-in");
  {
    g_autofree char *captcha = read_captcha ();
    g_autofree char *view_state = page_view_state (page, "sign-in");
    g_autofree char *body = NULL;

    eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha);
    body = body_build (BODY_LOGIN, view_state, form, NULL);
    fifo_write_body (SEG_POST_LOGIN, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_GET_FORM);
  page_expect (page, "id=\"basvuruForm\"", "application form");
  {
    g_autofree char *view_state = page_view_state (page, "application form");
    g_autofree char *body = body_build (BODY_FORM, view_state, form, NULL);

    fifo_write_body (SEG_POST_FORM, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_GET_SMS);
  page_expect (page, "id=\"smsForm\"", "SMS");
  {
    g_autofree char *view_state = page_view_state (page, "SMS");
    g_autofree char *body = body_build (BODY_SMS_SEND, view_state, form, NULL);

    fifo_write_body (SEG_POST_SMS_SEND, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_POST_SMS_SEND);
  page_expect (page, "class=\"bilgi-mesaji\"", "SMS sent");
  {
    g_autofree char *code = read_sms_code ();
    g_autofree char *view_state = page_view_state (page, "SMS");
    g_autofree char *body = body_build (BODY_SMS_VERIFY, view_state, form, code);

    fifo_write_body (SEG_POST_SMS_VERIFY, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_GET_METHOD);
  page_expect (page, "name=\"eonayliBasvuru\" value=\"E-Onaylı Başvuru\">", "signing-method");
  {
    g_autofree char *view_state = page_view_state (page, "signing-method");
    g_autofree char *body = body_build (BODY_EONAY, view_state, form, NULL);

    fifo_write_body (SEG_POST_EONAY, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_GET_RESULT);
  number = page_extract (page, "id=\"basvuruNo\">", '<');
  if (number == NULL || *number == '\0')
    die ("curl --next: the result page has no application number");

  if (!g_subprocess_wait_check (bench.curl_next, NULL, &error))
    die ("curl --next: %s", error->message);
  g_clear_object (&bench.curl_next);
  sample->total_us = now_us () - start;
  alarm (0);

  /* One -w line per transfer: the status and whether it connected. */
  if (!g_file_get_contents (report_path, &report, NULL, &error))
    die ("curl --next: %s", error->message);
  /* Each line ends in "\n"; an empty redirect_url leaves a space before it. */
  lines = g_strsplit (report, "\n", -1);
  if (g_strv_length (lines) != N_SEGMENTS + 1 || *lines[N_SEGMENTS] != '\0')
    die ("curl --next: %u transfers reported, not %d", g_strv_length (lines) - 1, N_SEGMENTS);
  for (Segment s = 0; s < N_SEGMENTS; s++)
    {
      g_auto(GStrv) words = g_strsplit (lines[s], " ", 3);
      g_autofree char *expected = segments[s].redirect != NULL
                                    ? g_strconcat (bench.base, segments[s].redirect, NULL)
                                    : g_strdup ("");

      if (g_strv_length (words) != 3 || (guint) atoi (words[0]) != segments[s].status ||
          g_strcmp0 (words[2], expected) != 0)
        die ("curl --next: %s %s reported “%s”", segments[s].post ? "POST" : "GET",
             segments[s].path, lines[s]);
      sample->n_connections += atoi (words[1]);
      sample->n_requests++;
    }
  sample->n_processes = 1;
  g_unlink (report_path);
}

/* ------------------------------------------------------------------------
 * The check that curl posts what the client posts.
 * ------------------------------------------------------------------------ */

/* The client's bodies, rebuilt from their own view states with this file's
 * builder, must come out byte for byte the same: then curl's (built the
 * same way from the pages it got) are the client's. */
static const char *
check_bodies (const char *captcha,
              const char *sms_code)
{
  static const Body order[] = { BODY_LOGIN, BODY_FORM, BODY_SMS_SEND, BODY_SMS_VERIFY, BODY_EONAY };
  g_autoptr(EimzaRenewalForm) form = person_form_new ();

  if (bench.client_bodies->len == 0)
    return "not checked (SoupLogger gave no request bodies)";
  if (bench.client_bodies->len != G_N_ELEMENTS (order))
    return "DIFFERENT: the client posted another number of bodies";

  eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *posted = g_ptr_array_index (bench.client_bodies, i);
      g_autofree char *encoded = page_extract (posted, "javax.faces.ViewState=", '&');
      g_autofree char *view_state = encoded != NULL ? g_uri_unescape_string (encoded, NULL) : NULL;
      g_autofree char *rebuilt = NULL;

      if (view_state == NULL)
        return "DIFFERENT: a client body has no view state first";
      rebuilt = body_build (order[i], view_state, form, sms_code);
      if (strcmp (rebuilt, posted) != 0)
        {
          g_printerr ("portal: body %u differs:\n  client %s\n  curl   %s\n", i, posted, rebuilt);
          return "DIFFERENT (see above)";
        }
    }
  return "byte-identical to the client's (checked on the warm-up run)";
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
               median (times) / 1000.0, outcome);
      g_array_append_vals (all, times->data, times->len);
    }
  g_print ("  %-22s %6zu B  %7.1f µs  median over all pages (size: their mean)\n", "all",
           total_size / names->len, median (all) / 1000.0);
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
  run_client (&warm, FALSE, TRUE, &captcha, &sms_code);
  memset (&warm, 0, sizeof warm);
  run_client (&warm, TRUE, FALSE, NULL, NULL);
  if (!bench.no_curl)
    {
      bodies_check = check_bodies (captcha, sms_code);
      memset (&warm, 0, sizeof warm);
      run_curl (&warm, FALSE, NULL);
      memset (&warm, 0, sizeof warm);
      run_curl (&warm, TRUE, NULL);
      memset (&warm, 0, sizeof warm);
      run_curl_one_process (&warm, NULL);
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
              run_client (&sample, FALSE, FALSE, NULL, NULL);
              break;
            case VARIANT_CLIENT_NEW_CONNECTIONS:
              run_client (&sample, TRUE, FALSE, NULL, NULL);
              break;
            case VARIANT_CURL_PER_REQUEST:
              run_curl (&sample, FALSE, NULL);
              break;
            case VARIANT_CURL_PER_STEP:
              run_curl (&sample, TRUE, NULL);
              break;
            case VARIANT_CURL_ONE_PROCESS:
              run_curl_one_process (&sample, NULL);
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
        make_fifos ();
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
