/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card flows' test bed: pcscd with vicc, the card service, the simulator, the NES site and portal steps. */
#include "config.h"

#include "card-flows-fixture.h"

G_DEFINE_FINAL_TYPE (TestPinInteraction, test_pin_interaction, G_TYPE_TLS_INTERACTION)

static GTlsInteractionResult
test_pin_interaction_ask_password (GTlsInteraction  *interaction,
                                   GTlsPassword     *password,
                                   GCancellable     *cancellable,
                                   GError          **error)
{
  TestPinInteraction *self = TEST_PIN_INTERACTION (interaction);
  GTlsPasswordFlags flags = g_tls_password_get_flags (password);

  g_atomic_int_inc (&self->n_asks);

  if (!(flags & G_TLS_PASSWORD_PKCS11_USER) || (flags & G_TLS_PASSWORD_RETRY))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "PIN refused by the test interaction");
      return G_TLS_INTERACTION_FAILED;
    }

  g_tls_password_set_value (password, (const guchar *) SOFTHSM_USER_PIN, -1);
  return G_TLS_INTERACTION_HANDLED;
}

static void
test_pin_interaction_class_init (TestPinInteractionClass *klass)
{
  G_TLS_INTERACTION_CLASS (klass)->ask_password = test_pin_interaction_ask_password;
}

static void
test_pin_interaction_init (TestPinInteraction *self)
{
}

void
accepted_free (gpointer data)
{
  Accepted *accepted = data;

  g_bytes_unref (accepted->content);
  g_bytes_unref (accepted->cms);
  g_free (accepted);
}

CardFlowsBed bed;
gboolean
stack_ready (void)
{
  if (bed.skip_reason != NULL)
    {
      g_test_skip (bed.skip_reason);
      return FALSE;
    }
  return TRUE;
}

void
set_skip_reason (const char *reason)
{
  g_free (bed.skip_reason);
  bed.skip_reason = g_strdup (reason);
}

/* ------------------------------------------------------------------------
 * Waiting on the main loop: every event that may end a wait quits it.
 * ------------------------------------------------------------------------ */

static gboolean
bound_reached_cb (gpointer user_data)
{
  gboolean *reached = user_data;

  *reached = TRUE;
  g_main_loop_quit (bed.loop);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so or @bound_ms pass; FALSE on the
 * latter. */
gboolean
run_until (DoneFunc      done,
           gconstpointer data,
           guint         bound_ms)
{
  gboolean reached = FALSE;
  guint id = g_timeout_add (bound_ms, bound_reached_cb, &reached);

  while (!done (data) && !reached)
    g_main_loop_run (bed.loop);

  if (!reached)
    g_source_remove (id);
  return !reached;
}

void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
  g_main_loop_quit (bed.loop);
}

static gboolean
slot_filled (gconstpointer data)
{
  return *(GAsyncResult * const *) data != NULL;
}

/* Waits for the result that store_result_cb() puts in @slot; the slot
 * keeps it (a g_autoptr in the caller). */
GAsyncResult *
wait_result (GAsyncResult **slot)
{
  if (!run_until (slot_filled, slot, CALL_BOUND_MS))
    g_error ("A call took more than %u s", CALL_BOUND_MS / 1000);
  return *slot;
}

/* ------------------------------------------------------------------------
 * The card service.
 * ------------------------------------------------------------------------ */

void
card_inserted_cb (EimzaCardService *service,
                  const char       *reader,
                  const char       *atr,
                  gpointer          user_data)
{
  g_test_message ("card-inserted %s %s", reader, atr != NULL ? atr : "(mute)");
  bed.n_inserted++;
  g_free (bed.inserted_atr);
  bed.inserted_atr = g_strdup (atr);
  g_main_loop_quit (bed.loop);
}

void
card_removed_cb (EimzaCardService *service,
                 const char       *reader,
                 gpointer          user_data)
{
  g_test_message ("card-removed %s", reader);
  bed.n_removed++;
  g_main_loop_quit (bed.loop);
}

void
state_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  g_main_loop_quit (bed.loop);
}

gboolean
service_is_ready (gconstpointer data)
{
  return eimza_card_service_get_state (bed.service) == EIMZA_CARD_SERVICE_STATE_READY;
}

static gboolean
inserted_since (gconstpointer data)
{
  return bed.n_inserted > *(const guint *) data;
}

/* Starts vicc and waits for the service's card-inserted; returns the
 * milliseconds it took, or -1 (with the skip reason set) without vicc. */
gint64
insert_vicc (void)
{
  g_autoptr(GError) error = NULL;
  guint before = bed.n_inserted;
  gint64 start = g_get_monotonic_time ();

  g_assert_null (bed.vicc);
  bed.vicc = pcsc_testbed_start_vicc (bed.testbed, PCSC_TESTBED_PORT_0, &error);
  if (bed.vicc == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      set_skip_reason (error->message);
      return -1;
    }

  if (!run_until (inserted_since, &before, CARD_EVENT_BOUND_MS))
    g_error ("No card-inserted within %u ms of starting vicc", CARD_EVENT_BOUND_MS);
  g_assert_cmpuint (bed.n_inserted, ==, before + 1);
  g_assert_cmpstr (bed.inserted_atr, ==, VICC_ATR);
  return (g_get_monotonic_time () - start) / 1000;
}

gboolean
removed_since (gconstpointer data)
{
  return bed.n_removed > *(const guint *) data;
}

EimzaCertificate *
certificate_by_label (GPtrArray  *certificates,
                      const char *label)
{
  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);

      if (g_strcmp0 (eimza_certificate_get_label (certificate), label) == 0)
        return certificate;
    }

  g_error ("No certificate labelled %s", label);
}

GPtrArray *
list_certificates (const char *token_uri)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *certificates;

  eimza_pkcs11_list_certificates_async (bed.service, token_uri, NULL, store_result_cb, &result);
  certificates = eimza_pkcs11_list_certificates_finish (bed.service, wait_result (&result),
                                                        &error);
  g_assert_no_error (error);
  return certificates;
}

EimzaPkcs11Token *
lookup_token (EimzaCertificate *certificate)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11Token *token;

  eimza_pkcs11_lookup_token_async (bed.service, eimza_certificate_get_key_uri (certificate), NULL,
                                   store_result_cb, &result);
  token = eimza_pkcs11_lookup_token_finish (bed.service, wait_result (&result), &error);
  g_assert_no_error (error);
  return token;
}

/* What the app's signing step does: only with a card in the reader, a
 * detached CAdES-BES signature on the service's worker. */
GBytes *
card_sign (EimzaCertificate  *certificate,
           GBytes            *content,
           const char        *pin_text,
           EimzaCadesFlags    flags,
           GError           **error)
{
  g_autoptr(EimzaSecret) pin = eimza_secret_new (pin_text, -1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) not_ready = NULL;

  g_assert_true (eimza_card_service_check_ready (bed.service, &not_ready));
  g_assert_no_error (not_ready);

  eimza_cades_sign_async (bed.service, content, eimza_certificate_get_uri (certificate),
                          eimza_certificate_get_key_uri (certificate), pin,
                          EIMZA_CADES_DETACHED | flags, NULL, store_result_cb, &result);
  return eimza_cades_sign_finish (bed.service, wait_result (&result), error);
}

GBytes *
card_sign_ok (EimzaCertificate *certificate,
              GBytes           *content)
{
  g_autoptr(GError) error = NULL;
  GBytes *cms = card_sign (certificate, content, SOFTHSM_USER_PIN, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cms);
  return cms;
}

static void
record_accepted (GBytes *content,
                 GBytes *cms)
{
  Accepted *accepted = g_new0 (Accepted, 1);

  accepted->content = g_bytes_ref (content);
  accepted->cms = g_bytes_ref (cms);
  g_ptr_array_add (bed.accepted, accepted);
}

/* ------------------------------------------------------------------------
 * The simulator.
 * ------------------------------------------------------------------------ */

static void
simulator_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

void
start_simulator (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *nes_line = NULL;
  g_autofree char *testca = softhsm_fixture_path ("testca.pem");
  g_auto(GStrv) words = NULL;

  bed.sim_tls_dir = g_dir_make_tmp ("test-card-flows-sim-XXXXXX", &error);
  g_assert_no_error (error);
  bed.signature_log = g_dir_make_tmp ("test-card-flows-signatures-XXXXXX", &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  /* The client is under test here; what the simulator's libraries leave
   * at exit is not. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  bed.simulator = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("EIMZA_PORTAL_SIM"),
                                               "--port", "0", "--tls-dir", bed.sim_tls_dir,
                                               "--test-endpoints", "--nes-client-ca", testca,
                                               "--signature-log", bed.signature_log, NULL);
  g_assert_no_error (error);

  /* "listening https://127.0.0.1:PORT/ ca=DIR/ca.pem", then
   * "listening-nes https://127.0.0.1:PORT/". */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bed.simulator));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], ==, "listening");
  bed.portal_url = g_strdup (words[1]);
  g_assert_true (g_str_has_prefix (words[2], "ca="));
  bed.ca_file = g_strdup (words[2] + strlen ("ca="));

  nes_line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (nes_line);
  g_assert_true (g_str_has_prefix (nes_line, "listening-nes https://127.0.0.1:"));
  bed.nes_url = g_strdup (nes_line + strlen ("listening-nes "));
}

static void
remove_dir (char **dir)
{
  if (*dir != NULL)
    {
      const char * const argv[] = { "rm", "-rf", *dir, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    NULL, NULL);
    }
  g_clear_pointer (dir, g_free);
}

void
stop_simulator (void)
{
  if (bed.simulator != NULL)
    {
      g_subprocess_send_signal (bed.simulator, SIGTERM);
      g_subprocess_wait (bed.simulator, NULL, NULL);
      g_clear_object (&bed.simulator);
    }
  remove_dir (&bed.sim_tls_dir);
  remove_dir (&bed.signature_log);
  g_clear_pointer (&bed.portal_url, g_free);
  g_clear_pointer (&bed.ca_file, g_free);
  g_clear_pointer (&bed.nes_url, g_free);
}

/* ------------------------------------------------------------------------
 * The NES site (e-onay).
 * ------------------------------------------------------------------------ */

/* A session that logs in with @certificate's URIs (the TLS client
 * certificate from the token) and the test interaction for its PIN. */
EimzaNesClient *
new_nes_client (EimzaCertificate *certificate)
{
  g_autoptr(GError) error = NULL;
  EimzaNesClient *session;

  session = eimza_nes_client_new (bed.profile, bed.nes_url, bed.ca_file,
                                  eimza_certificate_get_uri (certificate),
                                  eimza_certificate_get_key_uri (certificate),
                                  G_TLS_INTERACTION (bed.interaction), &error);
  g_assert_no_error (error);
  eimza_nes_client_set_timeout (session, HTTP_TIMEOUT);
  return session;
}

char *
eonay_log_in (EimzaNesClient *session,
              const char     *tckn)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *code;

  eimza_nes_client_log_in_async (session, tckn, NULL, store_result_cb, &result);
  code = eimza_nes_client_log_in_finish (session, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^[A-Z2-9]{4}-[A-Z2-9]{4}$", code, 0, 0));
  g_assert_cmpstr (eimza_nes_client_get_tckn (session), ==, tckn);
  return code;
}

EimzaEonaySignData *
eonay_fetch (EimzaNesClient    *session,
             const char        *code,
             EimzaEonayPurpose  purpose)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  EimzaEonaySignData *data;

  eimza_nes_client_fetch_sign_data_async (session, code, NULL, store_result_cb, &result);
  data = eimza_nes_client_fetch_sign_data_finish (session, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (data->code, ==, code);
  g_assert_cmpint (data->purpose, ==, purpose);
  g_assert_cmpuint (g_bytes_get_size (data->data), >, 0);
  g_assert_nonnull (data->deadline);
  g_assert_cmpint (g_date_time_difference (data->deadline, now), >, 0);
  return data;
}

/* Uploads; on success the signature counts as accepted. */
gboolean
eonay_upload (EimzaNesClient  *session,
              const char      *code,
              GBytes          *content,
              GBytes          *cms,
              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  eimza_nes_client_upload_signature_async (session, code, cms, NULL, store_result_cb, &result);
  ok = eimza_nes_client_upload_signature_finish (session, wait_result (&result), error);
  if (ok)
    record_accepted (content, cms);
  return ok;
}

/* Fetches the data of @code, signs it on the card as @certificate and
 * uploads it; returns the accepted signature. */
GBytes *
eonay_sign_step (EimzaNesClient    *session,
                 const char        *code,
                 EimzaEonayPurpose  purpose,
                 EimzaCertificate  *certificate)
{
  g_autoptr(EimzaEonaySignData) data = eonay_fetch (session, code, purpose);
  g_autoptr(GBytes) cms = card_sign_ok (certificate, data->data);
  g_autoptr(GError) error = NULL;

  g_assert_true (eonay_upload (session, code, data->data, cms, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&cms);
}

EimzaEonayStatus *
eonay_open (EimzaNesClient *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaEonayStatus *status;

  eimza_nes_client_open_eonay_async (session, NULL, store_result_cb, &result);
  status = eimza_nes_client_open_eonay_finish (session, wait_result (&result), &error);
  g_assert_no_error (error);
  return status;
}

gboolean
eonay_is_active (EimzaNesClient *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean active = FALSE;

  eimza_nes_client_get_status_async (session, NULL, store_result_cb, &result);
  g_assert_true (eimza_nes_client_get_status_finish (session, wait_result (&result), &active,
                                                     &error));
  g_assert_no_error (error);
  return active;
}

void
nes_client_free (EimzaNesClient *session)
{
  EimzaNesClient *weak = session;

  /* Nothing may keep the session alive. */
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &weak);
  g_object_unref (session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (weak);
}

/* ------------------------------------------------------------------------
 * The application portal.
 * ------------------------------------------------------------------------ */

/* A request to a test endpoint with the portal session's cookie (its
 * Path=/bp keeps the jar from sending it to /_sim). */
char *
sim_request (EimzaPortalSession *portal,
             const char         *method,
             const char         *path,
             const char         *body)
{
  SoupSession *soup = eimza_portal_session_get_soup_session (portal);
  SoupCookieJar *jar = SOUP_COOKIE_JAR (soup_session_get_feature (soup, SOUP_TYPE_COOKIE_JAR));
  g_autoptr(GUri) portal_uri = eimza_portal_session_resolve (portal, "/bp/meb.go");
  g_autoptr(GUri) uri = eimza_portal_session_resolve (portal, path);
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

/* Walks the portal as Ayşe (captcha and SMS code from the simulator's
 * test endpoints; her form comes pre-filled from her previous
 * application) up to the signing-method page; @out_eonay says whether
 * the portal offers the e-onay application there. */
EimzaPortalSession *
portal_at_method_page (gboolean *out_eonay)
{
  g_autoptr(EimzaPortalSession) portal = NULL;
  g_autoptr(EimzaRenewalForm) form = eimza_renewal_form_new (NULL);
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *captcha_text = NULL;
  g_autofree char *sms = NULL;

  portal = eimza_portal_session_new (bed.profile, bed.portal_url, bed.ca_file, &error);
  g_assert_no_error (error);
  eimza_portal_session_set_timeout (portal, HTTP_TIMEOUT);

  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_open_async (portal, NULL, store_result_cb, &result);
    captcha = eimza_portal_session_open_finish (portal, wait_result (&result), &error);
    g_assert_no_error (error);
  }

  captcha_text = sim_request (portal, "GET", "/_sim/captcha", NULL);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha_text);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_TCKN, AYSE_TCKN);
  eimza_renewal_form_set_value (form, EIMZA_FIELD_GIVEN_NAME, "Ayşe Gül");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_SURNAME, "Yılmaz");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_PLACE, "Ankara");
  eimza_renewal_form_set_value (form, EIMZA_FIELD_BIRTH_DATE, "14.03.1985");

  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_log_in_async (portal, form, NULL, store_result_cb, &result);
    g_assert_true (eimza_portal_session_log_in_finish (portal, wait_result (&result), &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_submit_form_async (portal, form, NULL, store_result_cb, &result);
    state = eimza_portal_session_submit_form_finish (portal, wait_result (&result), &error);
    g_assert_no_error (error);
    g_clear_pointer (&state, eimza_portal_sms_state_free);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_send_sms_async (portal, NULL, store_result_cb, &result);
    state = eimza_portal_session_send_sms_finish (portal, wait_result (&result), &error);
    g_assert_no_error (error);
  }

  sms = sim_request (portal, "GET", "/_sim/sms", NULL);
  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_verify_sms_async (portal, sms, NULL, store_result_cb, &result);
    g_assert_true (eimza_portal_session_verify_sms_finish (portal, wait_result (&result),
                                                           out_eonay, &error));
    g_assert_no_error (error);
  }

  return g_steal_pointer (&portal);
}

EimzaPortalSignDocument *
portal_begin_esigned (EimzaPortalSession *portal)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPortalSignDocument *document;

  eimza_portal_session_begin_esigned_async (portal, NULL, store_result_cb, &result);
  document = eimza_portal_session_begin_esigned_finish (portal, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
  g_assert_cmpuint (g_bytes_get_size (document->data), >, 0);
  return document;
}

/* Uploads; on success the signature counts as accepted. */
char *
portal_upload (EimzaPortalSession  *portal,
               GBytes              *content,
               GBytes              *cms,
               GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *number;

  eimza_portal_session_upload_signature_async (portal, cms, NULL, store_result_cb, &result);
  number = eimza_portal_session_upload_signature_finish (portal, wait_result (&result), error);
  if (number != NULL)
    {
      g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{6}$", number, 0, 0));
      record_accepted (content, cms);
    }
  return number;
}

void
portal_session_free (EimzaPortalSession *portal)
{
  EimzaPortalSession *weak = portal;

  g_object_add_weak_pointer (G_OBJECT (portal), (gpointer *) &weak);
  g_object_unref (portal);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (weak);
}
