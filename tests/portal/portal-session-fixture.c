/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal session tests' fixture: one simulator, a session per case, the flow's steps. */
#include "config.h"

#include "portal-session-fixture.h"

Simulator sim;
EimzaPortalProfile *profile;

/* Active e-onay, no previous application. */
const Person isil = {
  "10000000382", "Işıl", "Şahin", "Muğla", "29.2.1992", "0542 333 44 55",
  "48", "Menteşe", "48050", "724015", "Menteşe Şehit Öğretmen Gülşen Ilgaz İlkokulu",
};
/* No e-onay. */
const Person mehmet = {
  "10000000214", "Mehmet Çağrı", "Öztürk", "İzmir", "02.11.1978", "0533 222 33 44",
  "35", "Bornova", "35040", "611904", "Bornova Anadolu Lisesi",
};
/* A previous application the portal pre-fills; typed in lower case. */
const Person ayse = {
  "10000000146", "ayşe gül", "yılmaz", "ankara", "14.03.1985", NULL,
  NULL, NULL, NULL, "502318", "Çankaya Atatürk Anadolu Lisesi",
};

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

gboolean
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

void
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

void
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

void
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

void
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

GAsyncResult *
wait_for_result (Fixture *fixture)
{
  guint guard = g_timeout_add_seconds (60, too_long_cb, NULL);

  while (fixture->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (guard);
  return g_steal_pointer (&fixture->result);
}

GBytes *
session_open (Fixture  *fixture,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_open_async (fixture->session, fixture->cancellable, store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_open_finish (fixture->session, result, error);
}

GBytes *
session_refresh_captcha (Fixture  *fixture,
                         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_refresh_captcha_async (fixture->session, fixture->cancellable,
                                              store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_refresh_captcha_finish (fixture->session, result, error);
}

GBytes *
session_restart (Fixture  *fixture,
                 GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_restart_async (fixture->session, fixture->cancellable, store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_restart_finish (fixture->session, result, error);
}

gboolean
session_log_in (Fixture  *fixture,
                GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_log_in_async (fixture->session, fixture->form, fixture->cancellable,
                                     store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_log_in_finish (fixture->session, result, error);
}

EimzaPortalSmsState *
session_submit_form (Fixture  *fixture,
                     GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_submit_form_async (fixture->session, fixture->form, fixture->cancellable,
                                          store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_submit_form_finish (fixture->session, result, error);
}

EimzaPortalSmsState *
session_send_sms (Fixture  *fixture,
                  GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_portal_session_send_sms_async (fixture->session, fixture->cancellable, store_result_cb, fixture);
  result = wait_for_result (fixture);
  return eimza_portal_session_send_sms_finish (fixture->session, result, error);
}

gboolean
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

char *
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
void
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
guint
sim_submissions (Fixture *fixture)
{
  g_autofree char *count = sim_get (fixture, "/_sim/submissions");

  return (guint) g_ascii_strtoull (count, NULL, 10);
}

void
assert_png (GBytes *bytes)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  g_assert_nonnull (bytes);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, sizeof signature);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), sizeof signature, signature, sizeof signature);
}

void
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

void
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
GStrv
snapshot (EimzaRenewalForm *form)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    g_strv_builder_add (builder, eimza_renewal_form_get_value (form, field));

  return g_strv_builder_end (builder);
}

void
assert_form_kept (EimzaRenewalForm *form,
                  GStrv             before)
{
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    g_assert_cmpstr (eimza_renewal_form_get_value (form, field), ==, before[field]);
}

void
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

void
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

char *
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
void
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
