/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration tests: EimzaPortalSession against the portal simulator over TLS. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "eimza-portal-error.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-request.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"

/* The simulator's "slow" fault waits this long; the client gives up first. */
#define SLOW_SECONDS 6
#define SHORT_TIMEOUT 2
/* The "slow-drip" fault's pause between bytes: each read is quick, the
 * whole answer would take minutes. */
#define DRIP_MS "200"
#define SHORT_DEADLINE 3
/* Generous, as the machine may be busy building; only the timeout test
 * relies on timing. */
#define TEST_TIMEOUT 10

/* One simulator for the whole binary: every test uses its own portal
 * session (cookie jar), and faults are queued per session. */
static struct {
  GSubprocess *process;
  char *tls_dir;
  char *url;
  char *ca_file;
} sim;

static EimzaPortalProfile *profile;

/* Fictitious people of tools/portal-sim/fixtures/mernis.tsv. */
typedef struct {
  const char *tckn;
  const char *given_name;
  const char *surname;
  const char *birth_place;
  const char *birth_date;
  const char *mobile_phone;
  const char *province;
  const char *district;
  const char *postal_code;
  const char *registry_no;
  const char *institution;
} Person;

/* Active e-onay, no previous application. */
static const Person isil = {
  "10000000382", "Işıl", "Şahin", "Muğla", "29.2.1992", "0542 333 44 55",
  "48", "Menteşe", "48050", "724015", "Menteşe Şehit Öğretmen Gülşen Ilgaz İlkokulu",
};
/* No e-onay. */
static const Person mehmet = {
  "10000000214", "Mehmet Çağrı", "Öztürk", "İzmir", "02.11.1978", "0533 222 33 44",
  "35", "Bornova", "35040", "611904", "Bornova Anadolu Lisesi",
};
/* A previous application the portal pre-fills; typed in lower case. */
static const Person ayse = {
  "10000000146", "ayşe gül", "yılmaz", "ankara", "14.03.1985", NULL,
  NULL, NULL, NULL, "502318", "Çankaya Atatürk Anadolu Lisesi",
};

typedef struct {
  EimzaPortalSession *session;
  EimzaRenewalForm *form;
  GCancellable *cancellable;
  GAsyncResult *result;
  guint n_requests;
  guint n_handshakes;
} Fixture;

/* ------------------------------------------------------------------------
 * The simulator.
 * ------------------------------------------------------------------------ */

/* Runs in the simulator's process before exec: if this test dies, so
 * does the simulator, instead of holding the test's output pipes open. */
static void
simulator_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
start_simulator (void)
{
  const char *path = g_getenv ("EIMZA_PORTAL_SIM");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *slow = g_strdup_printf ("%d", SLOW_SECONDS);

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  sim.tls_dir = g_dir_make_tmp ("test-portal-session-XXXXXX", &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  /* The client is under test here; what the simulator's libraries leave at
   * exit (fontconfig, under LeakSanitizer) is not. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  sim.process = g_subprocess_launcher_spawn (launcher, &error, path,
                                             "--port", "0",
                                             "--tls-dir", sim.tls_dir,
                                             "--test-endpoints",
                                             "--slow-seconds", slow,
                                             "--drip-ms", DRIP_MS,
                                             "--sms-resend-seconds", "30",
                                             NULL);
  g_assert_no_error (error);

  /* "listening https://127.0.0.1:PORT/ ca=DIR/ca.pem", once it accepts. */
  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim.process));
  line = g_data_input_stream_read_line_utf8 (stdout_stream, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], ==, "listening");
  g_assert_true (g_str_has_prefix (words[1], "https://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (words[2], "ca="));

  sim.url = g_strdup (words[1]);
  sim.ca_file = g_strdup (words[2] + strlen ("ca="));
  g_assert_true (g_file_test (sim.ca_file, G_FILE_TEST_IS_REGULAR));
  return TRUE;
}

static void
stop_simulator (void)
{
  const char *names[] = { "ca.pem", "ca.key", "server.pem", "server.key" };

  if (sim.process != NULL)
    {
      g_subprocess_send_signal (sim.process, SIGTERM);
      g_subprocess_wait (sim.process, NULL, NULL);
      g_clear_object (&sim.process);
    }

  if (sim.tls_dir != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (sim.tls_dir, names[i], NULL);

          g_unlink (path);
        }
      g_rmdir (sim.tls_dir);
    }

  g_clear_pointer (&sim.tls_dir, g_free);
  g_clear_pointer (&sim.url, g_free);
  g_clear_pointer (&sim.ca_file, g_free);
}

/* ------------------------------------------------------------------------
 * Fixture and helpers.
 * ------------------------------------------------------------------------ */

static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  Fixture *fixture = user_data;

  /* The connection may be made on another thread (eimza-portal-request.c). */
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED)
    g_atomic_int_inc (&fixture->n_handshakes);
}

static void
request_queued_cb (SoupSession *soup,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  Fixture *fixture = user_data;

  /* A message that only makes the connection sends no request; its
   * handshake counts. */
  if (!eimza_portal_request_is_connect_only (msg))
    fixture->n_requests++;
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  if (sim.url == NULL)
    {
      g_test_skip ("The portal simulator is not built (EIMZA_PORTAL_SIM)");
      return;
    }

  fixture->session = eimza_portal_session_new (profile, sim.url, sim.ca_file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (eimza_portal_session_get_timeout (fixture->session), ==,
                    EIMZA_PORTAL_SESSION_DEFAULT_TIMEOUT);
  eimza_portal_session_set_timeout (fixture->session, TEST_TIMEOUT);
  g_signal_connect (eimza_portal_session_get_soup_session (fixture->session), "request-queued",
                    G_CALLBACK (request_queued_cb), fixture);

  fixture->form = eimza_renewal_form_new (NULL);
  fixture->cancellable = g_cancellable_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->session != NULL)
    {
      /* Nothing may keep the session or the form alive: leaks show here. */
      g_object_add_weak_pointer (G_OBJECT (fixture->session), (gpointer *) &fixture->session);
      g_object_add_weak_pointer (G_OBJECT (fixture->form), (gpointer *) &fixture->form);
      g_object_unref (fixture->session);
      g_object_unref (fixture->form);
      /* Let libsoup close its connections. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_null (fixture->session);
      g_assert_null (fixture->form);
    }

  g_clear_object (&fixture->cancellable);
  g_assert_null (fixture->result);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_null (fixture->result);
  fixture->result = g_object_ref (result);
}

static gboolean
too_long_cb (gpointer user_data)
{
  g_error ("A portal call took more than a minute");
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_for_result (Fixture *fixture)
{
  guint guard = g_timeout_add_seconds (60, too_long_cb, NULL);

  while (fixture->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (guard);
  return g_steal_pointer (&fixture->result);
}

static GBytes *
session_open (Fixture  *fixture,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_open_async (fixture->session, fixture->cancellable, store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_open_finish (fixture->session, result, error);
}

static GBytes *
session_refresh_captcha (Fixture  *fixture,
                         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_refresh_captcha_async (fixture->session, fixture->cancellable,
                                              store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_refresh_captcha_finish (fixture->session, result, error);
}

static GBytes *
session_restart (Fixture  *fixture,
                 GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_restart_async (fixture->session, fixture->cancellable, store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_restart_finish (fixture->session, result, error);
}

static gboolean
session_log_in (Fixture  *fixture,
                GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_log_in_async (fixture->session, fixture->form, fixture->cancellable,
                                     store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_log_in_finish (fixture->session, result, error);
}

static EimzaPortalSmsState *
session_submit_form (Fixture  *fixture,
                     GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_submit_form_async (fixture->session, fixture->form, fixture->cancellable,
                                          store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_submit_form_finish (fixture->session, result, error);
}

static EimzaPortalSmsState *
session_send_sms (Fixture  *fixture,
                  GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_send_sms_async (fixture->session, fixture->cancellable, store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_send_sms_finish (fixture->session, result, error);
}

static gboolean
session_verify_sms (Fixture     *fixture,
                    const char  *code,
                    gboolean    *out_eonay_available,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_verify_sms_async (fixture->session, code, fixture->cancellable,
                                         store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_verify_sms_finish (fixture->session, result, out_eonay_available, error);
}

static char *
session_apply_with_eonay (Fixture  *fixture,
                          GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_apply_with_eonay_async (fixture->session, fixture->cancellable,
                                               store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_apply_with_eonay_finish (fixture->session, result, error);
}

/* The session cookie has Path=/bp: the test endpoints get it by hand. */
static SoupMessage *
sim_message_new (Fixture    *fixture,
                 const char *method,
                 const char *path)
{
  SoupSession *soup = eimza_portal_session_get_soup_session (fixture->session);
  SoupCookieJar *jar = SOUP_COOKIE_JAR (soup_session_get_feature (soup, SOUP_TYPE_COOKIE_JAR));
  g_autoptr(GUri) portal_uri = eimza_portal_session_resolve (fixture->session, "/bp/meb.go");
  g_autoptr(GUri) uri = eimza_portal_session_resolve (fixture->session, path);
  g_autofree char *cookies = soup_cookie_jar_get_cookies (jar, portal_uri, TRUE);
  SoupMessage *msg = soup_message_new_from_uri (method, uri);

  g_assert_nonnull (cookies);
  soup_message_disable_feature (msg, SOUP_TYPE_COOKIE_JAR);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookies);
  return msg;
}

static char *
sim_send (Fixture    *fixture,
          SoupMessage *msg)
{
  SoupSession *soup = eimza_portal_session_get_soup_session (fixture->session);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests = fixture->n_requests;
  guint n_handshakes = fixture->n_handshakes;

  body = soup_session_send_and_read (soup, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  /* Only the client's own requests are counted. */
  fixture->n_requests = n_requests;
  fixture->n_handshakes = n_handshakes;

  /* An empty body has no data pointer. */
  if (g_bytes_get_size (body) == 0)
    return g_strdup ("");

  return g_strstrip (g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
}

static char *
sim_get (Fixture    *fixture,
         const char *path)
{
  g_autoptr(SoupMessage) msg = sim_message_new (fixture, "GET", path);

  return sim_send (fixture, msg);
}

/* The next requests of this portal session get these faults, in order. */
static void
sim_faults (Fixture    *fixture,
            const char *faults)
{
  g_autoptr(SoupMessage) msg = sim_message_new (fixture, "POST", "/_sim/faults");
  g_autoptr(GBytes) body = g_bytes_new (faults, strlen (faults));
  g_autofree char *answer = NULL;

  soup_message_set_request_body_from_bytes (msg, "text/plain", body);
  answer = sim_send (fixture, msg);
}

/* POSTs the portal has handled in this run: one that arrived twice shows. */
static guint
sim_submissions (Fixture *fixture)
{
  g_autofree char *count = sim_get (fixture, "/_sim/submissions");

  return (guint) g_ascii_strtoull (count, NULL, 10);
}

static void
assert_png (GBytes *bytes)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  g_assert_nonnull (bytes);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, sizeof signature);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), sizeof signature, signature, sizeof signature);
}

static void
fill_login (Fixture      *fixture,
            const Person *person)
{
  g_autofree char *captcha = sim_get (fixture, "/_sim/captcha");

  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_CAPTCHA, captcha);
  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_TCKN, person->tckn);
  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_GIVEN_NAME, person->given_name);
  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_SURNAME, person->surname);
  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_BIRTH_PLACE, person->birth_place);
  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_BIRTH_DATE, person->birth_date);
  g_assert_true (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_LOGIN));
}

static void
fill_application (Fixture      *fixture,
                  const Person *person)
{
  EimzaRenewalForm *form = fixture->form;

  eimza_renewal_form_set_value (form, EIMZA_FIELD_SECURITY_WORD, "Papatya2024");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_UNIT, "Fen Bilimleri");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_TITLE, "Öğretmen");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_ADDRESS, "Okul Sokağı No: 3 & 5 <B Blok>");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_PROVINCE, person->province);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_DISTRICT, person->district);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_POSTAL_CODE, person->postal_code);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_EMAIL, "ogretmen+test@example.com.tr");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_WORK_PHONE, "0252 214 10 20");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_MOBILE_PHONE, person->mobile_phone);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_MOBILE_OPERATOR, "vodafone");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_INFO_CHANNEL, "email");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_REASON, "lost-stolen");
  g_assert_true (eimza_renewal_form_check_step (form, EIMZA_STEP_FORM));
}

/* Every value of the form, to check that a failure changed none. */
static GStrv
snapshot (EimzaRenewalForm *form)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    g_strv_builder_add (builder, eimza_renewal_form_get_value (form, field));

  return g_strv_builder_end (builder);
}

static void
assert_form_kept (EimzaRenewalForm *form,
                  GStrv             before)
{
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    g_assert_cmpstr (eimza_renewal_form_get_value (form, field), ==, before[field]);
}

static void
open_and_log_in (Fixture      *fixture,
                 const Person *person)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);

  fill_login (fixture, person);
  g_assert_true (session_log_in (fixture, &error));
  g_assert_no_error (error);
}

static void
reach_sms_page (Fixture      *fixture,
                const Person *person)
{
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GError) error = NULL;

  open_and_log_in (fixture, person);
  fill_application (fixture, person);
  state = session_submit_form (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);
}

static char *
send_sms_code (Fixture *fixture)
{
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GError) error = NULL;

  state = session_send_sms (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state->resend_seconds, >, 0);

  return sim_get (fixture, "/_sim/sms");
}

/* A sentence for people: not empty, not a library's or parser's jargon. */
static void
assert_sensible_message (const GError *error)
{
  static const char * const jargon[] = {
    "libsoup", "GLib", "XPath", "xml", "HTTP/", "g_", "(null)", "errno", "TLS handshake",
  };

  g_assert_nonnull (error);
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (jargon); i++)
    {
      if (strstr (error->message, jargon[i]) != NULL)
        g_error ("Message “%s” contains “%s”", error->message, jargon[i]);
    }
}

/* ------------------------------------------------------------------------
 * The tests.
 * ------------------------------------------------------------------------ */

static void
test_happy_path (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *number = NULL;
  g_auto(GStrv) before = NULL;
  gboolean eonay = FALSE;

  if (fixture->session == NULL)
    return;

  open_and_log_in (fixture, &isil);

  /* The institution comes from the portal. */
  g_assert_cmpstr (eimza_renewal_form_get_value (fixture->form, EIMZA_FIELD_INSTITUTION_REGISTRY_NO), ==,
                   isil.registry_no);
  g_assert_cmpstr (eimza_renewal_form_get_value (fixture->form, EIMZA_FIELD_INSTITUTION_NAME), ==,
                   isil.institution);

  fill_application (fixture, &isil);
  before = snapshot (fixture->form);
  state = session_submit_form (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state->masked_phone, ==, "542 *** ** 55");
  g_assert_cmpint (state->attempts_left, ==, 3);
  g_assert_cmpuint (g_hash_table_size (eimza_portal_session_get_field_errors (fixture->session)), ==, 0);

  code = send_sms_code (fixture);
  g_assert_cmpuint (strlen (code), ==, 6);
  g_assert_true (session_verify_sms (fixture, code, &eonay, &error));
  g_assert_no_error (error);
  g_assert_true (eonay);

  number = session_apply_with_eonay (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (number);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{6}$", number, 0, 0));

  assert_form_kept (fixture->form, before);
  /* Every request of the flow, POSTs included, on one TLS connection. */
  g_assert_cmpuint (fixture->n_handshakes, ==, 1);
}

static void
test_prefill (Fixture       *fixture,
              gconstpointer  user_data)
{
  EimzaRenewalForm *form = fixture->form;

  if (fixture->session == NULL)
    return;

  /* What the person typed before signing in wins over the portal. */
  eimza_renewal_form_set_value (form, EIMZA_FIELD_UNIT, "Kendi Yazdığım Birim");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_REASON, "other");
  open_and_log_in (fixture, &ayse);

  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_UNIT), ==, "Kendi Yazdığım Birim");
  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_REASON), ==, "other");
  /* Empty fields take the previous application's values, as model nicks. */
  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_EMAIL), ==, "ayse.yilmaz@example.com.tr");
  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_PROVINCE), ==, "06");
  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_DISTRICT), ==, "Çankaya");
  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_POSTAL_CODE), ==, "06420");
  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_MOBILE_OPERATOR), ==, "turkcell");
  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_SECURITY_WORD), ==, "Kelebek42");
  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_INSTITUTION_NAME), ==, ayse.institution);
  /* The identity stays as typed. */
  g_assert_cmpstr (eimza_renewal_form_get_value (form, EIMZA_FIELD_GIVEN_NAME), ==, "ayşe gül");
  g_assert_true (eimza_renewal_form_check_step (form, EIMZA_STEP_FORM));
}

static void
test_wrong_captcha (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  /* Not in the captcha alphabet, so never right. */
  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_CAPTCHA, "OOOOO");
  before = snapshot (fixture->form);

  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_CAPTCHA);
  g_assert_cmpstr (error->message, ==, "Resimdeki yazıyı hatalı girdiniz.");
  assert_form_kept (fixture->form, before);
  g_clear_error (&error);

  /* A new image, then the sign-in works. */
  g_clear_pointer (&captcha, g_bytes_unref);
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);
  fill_login (fixture, &isil);
  g_assert_true (session_log_in (fixture, &error));
  g_assert_no_error (error);

  /* The wrong-captcha fault says the same. */
  g_clear_object (&fixture->form);
  fixture->form = eimza_renewal_form_new (NULL);
  g_clear_pointer (&captcha, g_bytes_unref);
  captcha = session_restart (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  sim_faults (fixture, "wrong-captcha");
  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_CAPTCHA);
}

static void
test_identity_mismatch (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  /* A real mismatch: another birth place. */
  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_BIRTH_PLACE, "Aydın");
  before = snapshot (fixture->form);

  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH);
  g_assert_nonnull (strstr (error->message, "MERNİS"));
  assert_form_kept (fixture->form, before);
  g_clear_error (&error);

  /* And the simulator's fault. */
  g_clear_pointer (&captcha, g_bytes_unref);
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  sim_faults (fixture, "mernis-mismatch");
  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH);
}

static void
test_invalid_fields (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  GHashTable *field_errors;

  if (fixture->session == NULL)
    return;

  open_and_log_in (fixture, &isil);
  fill_application (fixture, &isil);
  /* Kadıköy's code, not Menteşe's: the model would refuse it, the test
   * sends it anyway to see the portal's answer. */
  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_POSTAL_CODE, "34710");
  before = snapshot (fixture->form);

  state = session_submit_form (fixture, &error);
  g_assert_null (state);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_INVALID_FIELDS);
  g_assert_cmpstr (error->message, ==, "Formda hatalı alanlar var.");
  field_errors = eimza_portal_session_get_field_errors (fixture->session);
  g_assert_cmpuint (g_hash_table_size (field_errors), ==, 1);
  g_assert_nonnull (eimza_portal_session_get_field_error (fixture->session, EIMZA_FIELD_POSTAL_CODE));
  g_test_message ("Postal code: %s",
                  eimza_portal_session_get_field_error (fixture->session, EIMZA_FIELD_POSTAL_CODE));
  assert_form_kept (fixture->form, before);
  g_clear_error (&error);

  /* Corrected, the same page takes it. */
  eimza_renewal_form_set_value (fixture->form, EIMZA_FIELD_POSTAL_CODE, isil.postal_code);
  state = session_submit_form (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);
  g_assert_cmpuint (g_hash_table_size (field_errors), ==, 0);
}

static void
test_sms_wrong_code (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  gboolean eonay = FALSE;
  const char *wrong;

  if (fixture->session == NULL)
    return;

  reach_sms_page (fixture, &isil);
  code = send_sms_code (fixture);
  wrong = g_str_equal (code, "000000") ? "111111" : "000000";

  g_assert_false (session_verify_sms (fixture, wrong, &eonay, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SMS_WRONG_CODE);
  g_assert_true (g_str_has_prefix (error->message, "SMS onay kodu hatalı."));
  g_assert_cmpint (eimza_portal_session_get_sms_state (fixture->session)->attempts_left, ==, 2);
  g_clear_error (&error);

  g_assert_true (session_verify_sms (fixture, code, &eonay, &error));
  g_assert_no_error (error);
  g_assert_true (eonay);
}

static void
test_sms_expired (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (fixture->session == NULL)
    return;

  reach_sms_page (fixture, &isil);
  code = send_sms_code (fixture);
  sim_faults (fixture, "sms-expired");

  g_assert_false (session_verify_sms (fixture, code, NULL, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SMS_EXPIRED);
  g_assert_true (g_str_has_prefix (error->message, "SMS onay kodunun süresi doldu."));
}

static void
test_sms_locked (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_auto(GStrv) before = NULL;

  if (fixture->session == NULL)
    return;

  reach_sms_page (fixture, &isil);
  code = send_sms_code (fixture);
  before = snapshot (fixture->form);
  sim_faults (fixture, "sms-locked");

  g_assert_false (session_verify_sms (fixture, "000000", NULL, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SMS_LOCKED);
  g_assert_true (g_str_has_prefix (error->message, "Çok fazla hatalı deneme yaptınız."));
  g_clear_error (&error);

  /* The application is over on the portal; even the right code fails. */
  g_assert_false (session_verify_sms (fixture, code, NULL, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  /* Starting again works, with everything still in the form. */
  captcha = session_restart (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);
  assert_form_kept (fixture->form, before);
}

static void
test_sms_too_early (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (fixture->session == NULL)
    return;

  reach_sms_page (fixture, &isil);
  code = send_sms_code (fixture);

  state = session_send_sms (fixture, &error);
  g_assert_null (state);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SMS_TOO_EARLY);
  g_assert_true (g_str_has_prefix (error->message, "Yeni kod için"));
  g_assert_cmpint (eimza_portal_session_get_sms_state (fixture->session)->resend_seconds, >, 0);
  g_assert_cmpint (eimza_portal_session_get_sms_state (fixture->session)->resend_seconds, <=, 30);
}

static void
test_eonay_not_available (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *number = NULL;
  gboolean eonay = TRUE;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  reach_sms_page (fixture, &mehmet);
  code = send_sms_code (fixture);
  g_assert_true (session_verify_sms (fixture, code, &eonay, &error));
  g_assert_no_error (error);
  g_assert_false (eonay);

  /* Refused without asking the portal. */
  n_requests = fixture->n_requests;
  number = session_apply_with_eonay (fixture, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  assert_sensible_message (error);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests);
}

/* This test's simulator has no --nes-client-ca, so it cannot check
 * signatures: it says so on the method page, which stays usable. Uploading
 * before any document was handed out asks nothing of the portal. */
static void
test_esigned_not_available (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = g_bytes_new_static ("0", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *number = NULL;
  gboolean eonay = FALSE;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  reach_sms_page (fixture, &isil);
  code = send_sms_code (fixture);
  g_assert_true (session_verify_sms (fixture, code, &eonay, &error));
  g_assert_no_error (error);
  g_assert_true (eonay);

  n_requests = fixture->n_requests;
  eimza_portal_session_upload_signature_async (fixture->session, cms, fixture->cancellable,
                                               store_result_cb, fixture);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (fixture);

    number = eimza_portal_session_upload_signature_finish (fixture->session, result, &error);
  }
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  assert_sensible_message (error);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests);
  g_clear_error (&error);

  eimza_portal_session_begin_esigned_async (fixture->session, fixture->cancellable,
                                            store_result_cb, fixture);
  {
    g_autoptr(GAsyncResult) result = wait_for_result (fixture);

    document = eimza_portal_session_begin_esigned_finish (fixture->session, result, &error);
  }
  g_assert_null (document);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  assert_sensible_message (error);
  /* The portal's own words. */
  g_assert_true (g_str_has_prefix (error->message, "E-imzalı başvuru"));
  g_clear_error (&error);

  number = session_apply_with_eonay (fixture, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{6}$", number, 0, 0));
}

static void
test_session_expired (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;

  if (fixture->session == NULL)
    return;

  open_and_log_in (fixture, &isil);
  fill_application (fixture, &isil);
  before = snapshot (fixture->form);
  sim_faults (fixture, "expire-session");

  state = session_submit_form (fixture, &error);
  g_assert_null (state);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  g_assert_cmpstr (error->message, ==, "Oturumunuzun süresi doldu. Lütfen yeniden giriş yapın.");
  assert_form_kept (fixture->form, before);
  g_clear_error (&error);

  /* Restart, sign in again with a new captcha, and carry on: the form
   * still holds the application. */
  captcha = session_restart (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);
  fill_login (fixture, &isil);
  g_assert_true (session_log_in (fixture, &error));
  g_assert_no_error (error);
  state = session_submit_form (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);
}

typedef struct {
  const char *fault;
  int code;
} FaultCase;

static const FaultCase fault_cases[] = {
  { "http-500", EIMZA_PORTAL_ERROR_SERVER },
  { "reset", EIMZA_PORTAL_ERROR_NETWORK },
  { "truncated", EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE },
  { "malformed", EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE },
  { "redesigned", EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE },
};

/* A fault on the sign-in POST: never retried, the form is untouched, and
 * the person may simply try again. */
static void
test_fault (Fixture       *fixture,
            gconstpointer  user_data)
{
  const FaultCase *fault = user_data;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  before = snapshot (fixture->form);
  sim_faults (fixture, fault->fault);

  n_requests = fixture->n_requests;
  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, fault->code);
  assert_sensible_message (error);
  g_test_message ("%s: %s", fault->fault, error->message);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
  assert_form_kept (fixture->form, before);
  g_clear_error (&error);

  /* These faults leave the request unprocessed: the same POST works. */
  g_assert_true (session_log_in (fixture, &error));
  g_assert_no_error (error);
}

/* The portal handles the sign-in POST, then closes the kept-alive
 * connection it came on before answering: the one case where libsoup
 * sends a request again by itself (a GET). The POST arrives once, and the
 * person hears that it may have arrived, not "try again". */
static void
test_fault_close_after_post (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  guint n_requests, n_handshakes, n_submissions;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_handshakes, ==, 1);
  fill_login (fixture, &isil);
  before = snapshot (fixture->form);
  sim_faults (fixture, "close-after-post");

  n_requests = fixture->n_requests;
  n_handshakes = fixture->n_handshakes;
  n_submissions = sim_submissions (fixture);
  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK);
  assert_sensible_message (error);
  g_assert_nonnull (strstr (error->message, "not known whether it arrived"));
  g_assert_nonnull (strstr (error->message, "not sent again"));
  g_test_message ("close-after-post: %s", error->message);
  /* Sent on the open connection, once. */
  g_assert_cmpuint (fixture->n_handshakes, ==, n_handshakes);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
  g_assert_cmpuint (sim_submissions (fixture), ==, n_submissions + 1);
  assert_form_kept (fixture->form, before);
  g_clear_error (&error);

  /* It did arrive: the portal has moved on, and the same POST sent again
   * by hand is a replayed view state, which ends the portal's session.
   * That is why nothing sends it again by itself. */
  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  g_assert_cmpuint (sim_submissions (fixture), ==, n_submissions + 2);
  assert_form_kept (fixture->form, before);
}

static void
test_fault_slow (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  gint64 start;
  double elapsed;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  before = snapshot (fixture->form);
  eimza_portal_session_set_timeout (fixture->session, SHORT_TIMEOUT);
  sim_faults (fixture, "slow");

  start = g_get_monotonic_time ();
  g_assert_false (session_log_in (fixture, &error));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  assert_sensible_message (error);
  g_test_message ("Gave up after %.1f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, SHORT_TIMEOUT - 0.5);
  g_assert_cmpfloat (elapsed, <, SLOW_SECONDS);
  assert_form_kept (fixture->form, before);
}

/* A portal that answers a byte at a time, each well within the per-read
 * time-out, is given up at the overall deadline. The sign-in POST may
 * have arrived (the simulator handled it): it is not sent again. */
static void
test_fault_slow_drip_post (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  guint n_requests;
  gint64 start;
  double elapsed;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  before = snapshot (fixture->form);
  g_assert_cmpuint (eimza_portal_session_get_deadline (fixture->session), ==,
                    EIMZA_PORTAL_REQUEST_DEFAULT_DEADLINE);
  eimza_portal_session_set_deadline (fixture->session, SHORT_DEADLINE);
  sim_faults (fixture, "slow-drip");

  n_requests = fixture->n_requests;
  start = g_get_monotonic_time ();
  g_assert_false (session_log_in (fixture, &error));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  assert_sensible_message (error);
  g_test_message ("Gave up after %.1f s: %s", elapsed, error->message);
  g_assert_cmpfloat (elapsed, >=, SHORT_DEADLINE - 0.5);
  g_assert_cmpfloat (elapsed, <, SHORT_DEADLINE + 3);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
  assert_form_kept (fixture->form, before);
}

/* The deadline covers a GET's retries too: a time-out at the deadline is
 * final, nothing goes out after it. */
static void
test_fault_slow_drip_get (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests;
  gint64 start;
  double elapsed;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  g_clear_pointer (&captcha, g_bytes_unref);
  eimza_portal_session_set_deadline (fixture->session, SHORT_DEADLINE);
  sim_faults (fixture, "slow-drip,slow-drip,slow-drip");

  n_requests = fixture->n_requests;
  start = g_get_monotonic_time ();
  captcha = session_refresh_captcha (fixture, &error);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_null (captcha);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  g_assert_cmpfloat (elapsed, >=, SHORT_DEADLINE - 0.5);
  g_assert_cmpfloat (elapsed, <, SHORT_DEADLINE + 3);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
}

static void
test_retry_503 (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);

  /* One 503, then the retry gets the image. */
  sim_faults (fixture, "http-503");
  n_requests = fixture->n_requests;
  g_clear_pointer (&captcha, g_bytes_unref);
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 2);

  /* A connection reset on a GET is retried too. */
  sim_faults (fixture, "reset");
  n_requests = fixture->n_requests;
  g_clear_pointer (&captcha, g_bytes_unref);
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 2);

  /* Two retries at most. */
  sim_faults (fixture, "http-503,http-503,http-503");
  n_requests = fixture->n_requests;
  g_clear_pointer (&captcha, g_bytes_unref);
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_null (captcha);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SERVER);
  assert_sensible_message (error);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 3);
}

/* The GET after a POST's 303 is retried; the POST itself is not. */
static void
test_retry_after_post (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);

  /* The POST takes a fault that only matters to an SMS code (so it passes
   * untouched), then the GET of the form gets a 503 first. */
  sim_faults (fixture, "sms-expired,http-503");
  n_requests = fixture->n_requests;
  g_assert_true (session_log_in (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 3);
  g_assert_cmpstr (eimza_renewal_form_get_value (fixture->form, EIMZA_FIELD_INSTITUTION_REGISTRY_NO), ==,
                   isil.registry_no);
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->result = g_object_ref (result);
}

static gboolean
cancel_later_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_in_flight (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  g_clear_pointer (&captcha, g_bytes_unref);

  sim_faults (fixture, "slow");
  start = g_get_monotonic_time ();
  eimza_portal_session_refresh_captcha_async (fixture->session, fixture->cancellable, cancel_cb, fixture);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 300, cancel_later_cb,
                      g_object_ref (fixture->cancellable), g_object_unref);
  result = wait_for_result (fixture);
  captcha = eimza_portal_session_refresh_captcha_finish (fixture->session, result, &error);
  g_assert_null (captcha);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* The session is usable again. */
  g_clear_object (&fixture->cancellable);
  fixture->cancellable = g_cancellable_new ();
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);
}

static void
cancel_on_unqueue_cb (SoupSession *soup,
                      SoupMessage *msg,
                      gpointer     user_data)
{
  GCancellable *cancellable = user_data;

  /* The 503 is done: the retry waits 250 ms, cancel inside that wait. */
  if (soup_message_get_status (msg) == SOUP_STATUS_SERVICE_UNAVAILABLE)
    g_timeout_add_full (G_PRIORITY_DEFAULT, 50, cancel_later_cb,
                        g_object_ref (cancellable), g_object_unref);
}

static void
test_cancel_during_backoff (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SoupSession *soup;
  gulong handler;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  g_clear_pointer (&captcha, g_bytes_unref);

  soup = eimza_portal_session_get_soup_session (fixture->session);
  handler = g_signal_connect (soup, "request-unqueued", G_CALLBACK (cancel_on_unqueue_cb),
                              fixture->cancellable);
  sim_faults (fixture, "http-503");
  n_requests = fixture->n_requests;

  eimza_portal_session_refresh_captcha_async (fixture->session, fixture->cancellable, cancel_cb, fixture);
  result = wait_for_result (fixture);
  captcha = eimza_portal_session_refresh_captcha_finish (fixture->session, result, &error);
  g_assert_null (captcha);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The retry never went out. */
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
  g_signal_handler_disconnect (soup, handler);
}

static void
test_busy (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;

  if (fixture->session == NULL)
    return;

  eimza_portal_session_open_async (fixture->session, NULL, store_result_cb, fixture);
  eimza_portal_session_refresh_captcha_async (fixture->session, NULL, store_result_cb, fixture);
  /* The refused call completes first, from an idle. */
  second = wait_for_result (fixture);
  captcha = eimza_portal_session_refresh_captcha_finish (fixture->session, second, &error);
  g_assert_null (captcha);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  first = wait_for_result (fixture);
  captcha = eimza_portal_session_open_finish (fixture->session, first, &error);
  g_assert_no_error (error);
  assert_png (captcha);
}

static void
test_out_of_order (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);

  /* Submitting the form from the sign-in page asks nothing of the portal. */
  n_requests = fixture->n_requests;
  state = session_submit_form (fixture, &error);
  g_assert_null (state);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests);
}

/* Without the simulator's CA the certificate is not trusted: the system
 * store is all a session trusts by default. */
static void
test_tls_untrusted (void)
{
  g_autoptr(EimzaPortalSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };

  if (sim.url == NULL)
    {
      g_test_skip ("The portal simulator is not built (EIMZA_PORTAL_SIM)");
      return;
    }

  session = eimza_portal_session_new (profile, sim.url, NULL, &error);
  g_assert_no_error (error);
  eimza_portal_session_set_timeout (session, TEST_TIMEOUT);

  eimza_portal_session_open_async (session, NULL, store_result_cb, &fixture);
  result = wait_for_result (&fixture);
  captcha = eimza_portal_session_open_finish (session, result, &error);
  g_assert_null (captcha);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TLS);
  g_assert_true (g_str_has_prefix (error->message, "The connection to the portal is not secure"));
  /* Nothing suggests going on anyway. */
  g_assert_null (strstr (error->message, "ignore"));
  g_assert_null (strstr (error->message, "anyway"));
}

static void
test_tls_ca_for_remote_host (void)
{
  static const char * const urls[] = {
    "https://portal.kamusm.gov.tr",
    "https://127.0.0.1.nip.io:8443/",
    "https://10.0.0.1/",
  };
  g_autofree char *ca_file = NULL;
  g_autoptr(GError) error = NULL;

  /* The check comes before the file is read. */
  ca_file = g_test_build_filename (G_TEST_DIST, "pages", "login.html", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (profile, urls[i], ca_file, &error);

      g_assert_null (session);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "certificate authority"));
      g_clear_error (&error);
    }

  /* Loopback names are fine, provided the file is a CA. */
  {
    g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (profile, "https://localhost:1/",
                                                                      ca_file, &error);

    g_assert_null (session);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "login.html"));
    g_clear_error (&error);
  }
  if (sim.ca_file != NULL)
    {
      static const char * const loopback[] = { "https://[::1]:1/", "https://127.1.2.3:1", "https://LOCALHOST" };

      for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
        {
          g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (profile, loopback[i], sim.ca_file,
                                                                            &error);

          g_assert_no_error (error);
          g_assert_nonnull (session);
        }
    }
}

static void
test_bad_base_url (void)
{
  static const char * const urls[] = {
    "http://127.0.0.1:8080/",
    "portal.kamusm.gov.tr",
    "https://",
    "",
  };
  g_autoptr(EimzaPortalProfile) simulator = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, NULL);
  g_autoptr(EimzaPortalProfile) kamusm = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM, NULL);
  g_autoptr(EimzaPortalSession) live = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (profile, urls[i], NULL, &error);

      g_assert_null (session);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }

  /* The simulator's profile has no address of its own. */
  {
    g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (simulator, NULL, NULL, &error);

    g_assert_null (session);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  /* The live profile's is used when none is given (no request is made). */
  live = eimza_portal_session_new (kamusm, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_portal_session_get_base_url (live), ==, "https://portal.kamusm.gov.tr");
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(EimzaPortalSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Fixture fixture = { 0 };

  /* A port that was free a moment ago and has nobody listening. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  session = eimza_portal_session_new (profile, url, NULL, &error);
  g_assert_no_error (error);
  eimza_portal_session_open_async (session, NULL, store_result_cb, &fixture);
  result = wait_for_result (&fixture);
  captcha = eimza_portal_session_open_finish (session, result, &error);
  g_assert_null (captcha);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK);
  assert_sensible_message (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);
  start_simulator ();

#define ADD(path, func) \
  g_test_add ("/portal/session/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("happy-path", test_happy_path);
  ADD ("prefill", test_prefill);
  ADD ("wrong-captcha", test_wrong_captcha);
  ADD ("identity-mismatch", test_identity_mismatch);
  ADD ("invalid-fields", test_invalid_fields);
  ADD ("sms/wrong-code", test_sms_wrong_code);
  ADD ("sms/expired", test_sms_expired);
  ADD ("sms/locked", test_sms_locked);
  ADD ("sms/too-early", test_sms_too_early);
  ADD ("eonay-not-available", test_eonay_not_available);
  ADD ("esigned-not-available", test_esigned_not_available);
  ADD ("session-expired", test_session_expired);
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/portal/session/fault/%s", fault_cases[i].fault);

      g_test_add (path, Fixture, &fault_cases[i], fixture_set_up, test_fault, fixture_tear_down);
    }
  ADD ("fault/close-after-post", test_fault_close_after_post);
  ADD ("fault/slow", test_fault_slow);
  ADD ("fault/slow-drip/post", test_fault_slow_drip_post);
  ADD ("fault/slow-drip/get", test_fault_slow_drip_get);
  ADD ("retry/get", test_retry_503);
  ADD ("retry/after-post", test_retry_after_post);
  ADD ("cancel/in-flight", test_cancel_in_flight);
  ADD ("cancel/during-backoff", test_cancel_during_backoff);
  ADD ("busy", test_busy);
  ADD ("out-of-order", test_out_of_order);
  g_test_add_func ("/portal/session/tls/untrusted", test_tls_untrusted);
  g_test_add_func ("/portal/session/tls/ca-for-remote-host", test_tls_ca_for_remote_host);
  g_test_add_func ("/portal/session/bad-base-url", test_bad_base_url);
  g_test_add_func ("/portal/session/connection-refused", test_connection_refused);

#undef ADD

  status = g_test_run ();

  stop_simulator ();
  g_clear_object (&profile);
  return status;
}
