/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration: e-onay and the e-signed application against the simulator, signed by the card service with vicc present. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "eimza-cades.h"
#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-nes-client.h"
#include "eimza-pkcs11.h"
#include "eimza-portal-error.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"
#include "eimza-secret.h"
#include "pcsc-testbed.h"
#include "softhsm-fixture.h"

/*
 * One process and the default main context, as in the app: a real pcscd
 * with vpcd's readers and the real `vicc` card (tests/card/pcsc-testbed.h),
 * one EimzaCardService that does every signature on its worker thread
 * (eimza_cades_sign_async()), and one simulator with --nes-client-ca and
 * --signature-log. The token is SoftHSM2 (tests/card/softhsm-setup.sh with
 * EIMZA_SOFTHSM_SECOND_PERSON=1): the certificates of 10000000146 (Ayşe Gül
 * Yılmaz in the simulator's fixtures, e-onay active) and 10000000214
 * (Mehmet Çağrı Öztürk). The vicc card stands for the card's presence in
 * the reader, which is what the app gates signing on
 * (eimza_card_service_check_ready()); the keys are on SoftHSM2.
 *
 * The cases share that state and run in the order they are added; the
 * last one checks every signature the simulator accepted with
 * `openssl cms -verify`, and that it accepted exactly the uploads the
 * cases counted. The signing deadline is the simulator's default (120 s).
 */

#define WRONG_PIN SOFTHSM_WRONG_PIN
#define AYSE_TCKN "10000000146"
#define AYSE_LABEL AYSE_TCKN "NES0"     /* RSA-2048 */
#define MEHMET_TCKN "10000000214"
#define MEHMET_LABEL MEHMET_TCKN "NES0" /* ECDSA P-256 */
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define TOKEN_URI "pkcs11:model=SoftHSM%20v2;token=EIMZA%20TEST"
#define POLICY_TOKEN_URI "pkcs11:model=" PIN_POLICY_MODEL ";token=EIMZA%20TEST"
#define VICC_ATR "3B951381018073FF01000B"
/* vicc starts in ~0.3 s and pcscd polls vpcd every 400 ms. */
#define CARD_EVENT_BOUND_MS 5000
/* Any one call; generous, as the machine may be busy building. */
#define CALL_BOUND_MS 60000
#define HTTP_TIMEOUT 15

/* ------------------------------------------------------------------------
 * A PIN interaction for the TLS login: the PIN once, and a refusal (never
 * UNHANDLED) when the card says it was wrong.
 * ------------------------------------------------------------------------ */

#define TEST_TYPE_PIN_INTERACTION (test_pin_interaction_get_type ())

G_DECLARE_FINAL_TYPE (TestPinInteraction, test_pin_interaction, TEST, PIN_INTERACTION,
                      GTlsInteraction)

struct _TestPinInteraction
{
  GTlsInteraction parent_instance;

  guint n_asks;
};

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

/* ------------------------------------------------------------------------
 * The shared state.
 * ------------------------------------------------------------------------ */

/* A signature the simulator accepted, with the bytes it signs. */
typedef struct {
  GBytes *content;
  GBytes *cms;
} Accepted;

static void
accepted_free (gpointer data)
{
  Accepted *accepted = data;

  g_bytes_unref (accepted->content);
  g_bytes_unref (accepted->cms);
  g_free (accepted);
}

static struct {
  char *skip_reason;
  GMainLoop *loop;

  PcscTestbed *testbed;
  GSubprocess *vicc;
  EimzaCardService *service;
  guint n_inserted;
  guint n_removed;
  char *inserted_atr;

  /* (element-type EimzaCertificate): the SoftHSM2 token's. */
  GPtrArray *certificates;

  GSubprocess *simulator;
  char *sim_tls_dir;
  char *signature_log;
  char *portal_url;
  char *ca_file;
  char *nes_url;
  EimzaPortalProfile *profile;
  TestPinInteraction *interaction;

  /* (element-type Accepted) */
  GPtrArray *accepted;
} bed;

static gboolean
stack_ready (void)
{
  if (bed.skip_reason != NULL)
    {
      g_test_skip (bed.skip_reason);
      return FALSE;
    }
  return TRUE;
}

static void
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

typedef gboolean (*DoneFunc) (gconstpointer data);

/* Runs the main loop until @done says so or @bound_ms pass; FALSE on the
 * latter. */
static gboolean
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

static void
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
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  if (!run_until (slot_filled, slot, CALL_BOUND_MS))
    g_error ("A call took more than %u s", CALL_BOUND_MS / 1000);
  return *slot;
}

/* ------------------------------------------------------------------------
 * The card service.
 * ------------------------------------------------------------------------ */

static void
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

static void
card_removed_cb (EimzaCardService *service,
                 const char       *reader,
                 gpointer          user_data)
{
  g_test_message ("card-removed %s", reader);
  bed.n_removed++;
  g_main_loop_quit (bed.loop);
}

static void
state_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  g_main_loop_quit (bed.loop);
}

static gboolean
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
static gint64
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

static gboolean
removed_since (gconstpointer data)
{
  return bed.n_removed > *(const guint *) data;
}

static EimzaCertificate *
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

static GPtrArray *
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

static EimzaPkcs11Token *
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
static GBytes *
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

static GBytes *
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

static void
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

static void
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
static EimzaNesClient *
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

static char *
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

static EimzaEonaySignData *
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
static gboolean
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
static GBytes *
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

static EimzaEonayStatus *
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

static gboolean
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

static void
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

typedef EimzaNesClient EimzaNesClientOwned;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaNesClientOwned, nes_client_free)

/* ------------------------------------------------------------------------
 * The application portal.
 * ------------------------------------------------------------------------ */

/* A request to a test endpoint with the portal session's cookie (its
 * Path=/bp keeps the jar from sending it to /_sim). */
static char *
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
static EimzaPortalSession *
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

static EimzaPortalSignDocument *
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
static char *
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

static void
portal_session_free (EimzaPortalSession *portal)
{
  EimzaPortalSession *weak = portal;

  g_object_add_weak_pointer (G_OBJECT (portal), (gpointer *) &weak);
  g_object_unref (portal);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (weak);
}

typedef EimzaPortalSession EimzaPortalSessionOwned;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalSessionOwned, portal_session_free)

/* ------------------------------------------------------------------------
 * The cases, in order.
 * ------------------------------------------------------------------------ */

/* pcscd with vpcd's readers, the service, then the real vicc card. */
static void
test_card_presence (void)
{
  g_autoptr(GError) error = NULL;
  EimzaCardReaderInfo *reader;
  GPtrArray *readers;
  gint64 took_ms;

  if (!stack_ready ())
    return;

  if (!pcsc_testbed_start_pcscd (bed.testbed, NULL, 2, &error))
    g_error ("pcscd did not start: %s", error->message);

  bed.service = eimza_card_service_new ();
  g_signal_connect (bed.service, "card-inserted", G_CALLBACK (card_inserted_cb), &bed);
  g_signal_connect (bed.service, "card-removed", G_CALLBACK (card_removed_cb), &bed);
  g_signal_connect (bed.service, "notify::state", G_CALLBACK (state_notify_cb), &bed);

  g_assert_true (run_until (service_is_ready, NULL, CARD_EVENT_BOUND_MS));
  g_assert_false (eimza_card_service_check_ready (bed.service, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD);
  g_clear_error (&error);
  g_assert_cmpuint (bed.n_inserted, ==, 0);

  took_ms = insert_vicc ();
  if (took_ms < 0)
    {
      stack_ready ();
      return;
    }
  g_test_message ("vicc start -> card-inserted: %" G_GINT64_FORMAT " ms", took_ms);

  g_assert_true (eimza_card_service_check_ready (bed.service, &error));
  g_assert_no_error (error);
  readers = eimza_card_service_get_readers (bed.service);
  g_assert_cmpuint (readers->len, ==, 2);
  reader = g_ptr_array_index (readers, 0);
  g_assert_cmpstr (eimza_card_reader_info_get_name (reader), ==, PCSC_TESTBED_READER_0);
  g_assert_true (eimza_card_reader_info_has_card (reader));
  g_assert_cmpstr (eimza_card_reader_info_get_atr (reader), ==, VICC_ATR);
  g_assert_false (eimza_card_reader_info_has_card (g_ptr_array_index (readers, 1)));
}

/* A job on the worker, before its first PKCS#11 use: no modules
 * registered with p11-kit and no vendor module, only the configured one.
 * Debian registers opensc-pkcs11, which does not know the vicc card and
 * probes it with hundreds of APDUs at ~50 ms each through vicc's Python on
 * every slot listing: seconds per job, minutes per run. */
static gpointer
configured_module_only_job (EimzaCardWorker  *worker,
                            gpointer          job_data,
                            GCancellable     *cancellable,
                            GError          **error)
{
  EimzaPkcs11 *pkcs11 = eimza_pkcs11_from_worker (worker);
  const char * const dirs[] = { job_data, NULL };

  eimza_pkcs11_set_use_registered (pkcs11, FALSE);
  eimza_pkcs11_set_vendor_dirs (pkcs11, dirs);
  return NULL;
}

/* The certificates through the service, with libsofthsm2.so as the
 * configured module. */
static void
test_certificates (void)
{
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaCertificate *ayse;
  EimzaCertificate *mehmet;

  if (!stack_ready ())
    return;

  eimza_card_service_run_async (bed.service, configured_module_only_job,
                                softhsm_fixture_path ("no-vendor"), g_free, NULL, NULL,
                                store_result_cb, &result);
  eimza_card_service_run_finish (bed.service, wait_result (&result), &error);
  g_assert_no_error (error);
  eimza_pkcs11_set_module_path (bed.service, SOFTHSM_MODULE);
  bed.certificates = list_certificates (TOKEN_URI);
  g_assert_cmpuint (bed.certificates->len, ==, 5);

  ayse = certificate_by_label (bed.certificates, AYSE_LABEL);
  mehmet = certificate_by_label (bed.certificates, MEHMET_LABEL);
  g_assert_cmpstr (eimza_certificate_get_tckn (ayse), ==, AYSE_TCKN);
  g_assert_cmpstr (eimza_certificate_get_tckn (mehmet), ==, MEHMET_TCKN);
  g_assert_nonnull (eimza_certificate_get_uri (ayse));
  g_assert_nonnull (eimza_certificate_get_key_uri (ayse));
  g_test_message ("certificate %s, key %s", eimza_certificate_get_uri (ayse),
                  eimza_certificate_get_key_uri (ayse));

  token = lookup_token (ayse);
  g_assert_cmpstr (eimza_pkcs11_token_get_label (token), ==, SOFTHSM_TOKEN_LABEL);
  g_assert_true (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_LOGIN_REQUIRED);
  g_assert_false (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW);
}

/* Ayşe's e-onay from the e-signed login to "active", every signature by
 * the card service. Her e-onay is active in the fixtures: cancelled
 * first on the site, as a person would. */
static void
test_eonay_full_flow (void)
{
  g_autoptr(EimzaNesClientOwned) session = NULL;
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(EimzaEonayStatus) reopened = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) login_cms = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *eonay_code = NULL;
  g_autofree char *text = NULL;
  EimzaCertificate *ayse;
  guint asks_before;

  if (!stack_ready ())
    return;

  ayse = certificate_by_label (bed.certificates, AYSE_LABEL);
  asks_before = bed.interaction->n_asks;
  session = new_nes_client (ayse);

  code = eonay_log_in (session, AYSE_TCKN);
  g_assert_cmpstr (eimza_nes_client_get_holder (session), ==, SOFTHSM_SUBJECT_CN);
  login_cms = eonay_sign_step (session, code, EIMZA_EONAY_PURPOSE_LOGIN, ayse);

  status = eonay_open (session);
  g_assert_true (status->active);
  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_nes_client_cancel_eonay_async (session, NULL, store_result_cb, &result);
    g_assert_true (eimza_nes_client_cancel_eonay_finish (session, wait_result (&result),
                                                         &error));
    g_assert_no_error (error);
  }
  g_assert_false (eonay_is_active (session));

  reopened = eonay_open (session);
  g_assert_false (reopened->active);
  g_assert_nonnull (reopened->commitment);
  g_assert_cmpint (reopened->time_limit, ==, 120);

  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_nes_client_consent_async (session, NULL, store_result_cb, &result);
    eonay_code = eimza_nes_client_consent_finish (session, wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_nonnull (eonay_code);
    g_assert_cmpstr (eonay_code, !=, code);
  }

  /* The second signature is over the commitment the page showed. */
  data = eonay_fetch (session, eonay_code, EIMZA_EONAY_PURPOSE_EONAY);
  text = g_strndup (g_bytes_get_data (data->data, NULL), g_bytes_get_size (data->data));
  g_assert_nonnull (strstr (text, reopened->commitment));
  g_assert_nonnull (strstr (text, AYSE_TCKN));
  g_assert_false (eonay_is_active (session));

  cms = card_sign_ok (ayse, data->data);
  g_assert_true (eonay_upload (session, eonay_code, data->data, cms, &error));
  g_assert_no_error (error);
  g_assert_true (eonay_is_active (session));

  /* One TLS connection kept alive for the whole flow: one PIN request,
   * although the card service logged in and out of the token for each
   * signature meanwhile. */
  g_assert_cmpuint (bed.interaction->n_asks - asks_before, ==, 1);
}

/* The e-signed application up to its number, signed by the card service;
 * the portal now offers the e-onay that the previous case activated. */
static void
test_esigned_application (void)
{
  g_autoptr(EimzaPortalSessionOwned) portal = NULL;
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *again = NULL;
  gboolean eonay = FALSE;

  if (!stack_ready ())
    return;

  portal = portal_at_method_page (&eonay);
  g_assert_true (eonay);

  document = portal_begin_esigned (portal);
  g_assert_true (g_str_has_prefix (document->summary, "T.C. Kimlik No: " AYSE_TCKN "\n"));
  g_assert_nonnull (document->commitment);

  cms = card_sign_ok (certificate_by_label (bed.certificates, AYSE_LABEL), document->data);
  number = portal_upload (portal, document->data, cms, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GAsyncResult) result = NULL;

    eimza_portal_session_check_application_async (portal, NULL, store_result_cb, &result);
    again = eimza_portal_session_check_application_finish (portal, wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, number);
  }
}

/* The simulator's code-expired fault on the upload: CODE_EXPIRED; the
 * step starts again with a fresh code, whose signature is accepted. */
static void
test_fault_code_expired (void)
{
  g_autoptr(EimzaPortalSessionOwned) portal = NULL;
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(EimzaPortalSignDocument) fresh = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GBytes) fresh_cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *answer = NULL;
  EimzaCertificate *ayse;
  gboolean eonay = FALSE;

  if (!stack_ready ())
    return;

  ayse = certificate_by_label (bed.certificates, AYSE_LABEL);
  portal = portal_at_method_page (&eonay);
  document = portal_begin_esigned (portal);
  cms = card_sign_ok (ayse, document->data);

  answer = sim_request (portal, "POST", "/_sim/faults", "code-expired");
  number = portal_upload (portal, document->data, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_clear_error (&error);

  fresh = portal_begin_esigned (portal);
  g_assert_false (g_bytes_equal (fresh->data, document->data));
  fresh_cms = card_sign_ok (ayse, fresh->data);
  number = portal_upload (portal, fresh->data, fresh_cms, &error);
  g_assert_no_error (error);
  g_assert_nonnull (number);
}

/* The card is pulled out between fetching the data and signing: the
 * service reports it gone within the bound and the app would not sign;
 * back in, the signature is made and accepted before the deadline. */
static void
test_fault_card_pulled (void)
{
  g_autoptr(EimzaNesClientOwned) session = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *code = NULL;
  EimzaCertificate *ayse;
  GPtrArray *readers;
  guint removed_before;
  guint inserted_before;
  gint64 start;
  gint64 took_ms;

  if (!stack_ready ())
    return;

  ayse = certificate_by_label (bed.certificates, AYSE_LABEL);
  session = new_nes_client (ayse);
  code = eonay_log_in (session, AYSE_TCKN);
  data = eonay_fetch (session, code, EIMZA_EONAY_PURPOSE_LOGIN);

  removed_before = bed.n_removed;
  start = g_get_monotonic_time ();
  pcsc_testbed_stop_vicc (g_steal_pointer (&bed.vicc));
  g_assert_true (run_until (removed_since, &removed_before, CARD_EVENT_BOUND_MS));
  g_test_message ("vicc stopped -> card-removed: %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpuint (bed.n_removed, ==, removed_before + 1);

  g_assert_false (eimza_card_service_check_ready (bed.service, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD);
  g_clear_error (&error);
  readers = eimza_card_service_get_readers (bed.service);
  g_assert_false (eimza_card_reader_info_has_card (g_ptr_array_index (readers, 0)));

  inserted_before = bed.n_inserted;
  took_ms = insert_vicc ();
  g_assert_cmpint (took_ms, >=, 0);
  g_test_message ("vicc started again -> card-inserted: %" G_GINT64_FORMAT " ms", took_ms);
  g_assert_cmpuint (bed.n_inserted, ==, inserted_before + 1);

  cms = card_sign_ok (ayse, data->data);
  g_assert_true (eonay_upload (session, code, data->data, cms, &error));
  g_assert_no_error (error);
  now = g_date_time_new_now_utc ();
  g_assert_cmpint (g_date_time_compare (now, data->deadline), <, 0);
}

/* A wrong PIN: the card job fails with PIN_INCORRECT and spends one try;
 * the token then says so. The right PIN signs. */
static void
test_fault_wrong_pin (void)
{
  g_autoptr(EimzaNesClientOwned) session = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(EimzaPkcs11Token) after_wrong = NULL;
  g_autoptr(EimzaPkcs11Token) after_right = NULL;
  g_autoptr(GBytes) refused = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  EimzaCertificate *ayse;
  EimzaPkcs11TokenFlags flags;

  if (!stack_ready ())
    return;

  ayse = certificate_by_label (bed.certificates, AYSE_LABEL);
  session = new_nes_client (ayse);
  code = eonay_log_in (session, AYSE_TCKN);
  data = eonay_fetch (session, code, EIMZA_EONAY_PURPOSE_LOGIN);

  refused = card_sign (ayse, data->data, WRONG_PIN, 0, &error);
  g_assert_null (refused);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_clear_error (&error);

  /* SoftHSM2 reports CKF_USER_PIN_COUNT_LOW after a wrong PIN; it never
   * reports FINAL_TRY or LOCKED (that is the PIN policy module's job, see
   * the final-try case). */
  after_wrong = lookup_token (ayse);
  flags = eimza_pkcs11_token_get_flags (after_wrong);
  g_assert_true (flags & EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW);
  g_assert_false (flags & (EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY | EIMZA_PKCS11_TOKEN_PIN_LOCKED));

  cms = card_sign_ok (ayse, data->data);
  g_assert_true (eonay_upload (session, code, data->data, cms, &error));
  g_assert_no_error (error);

  /* A correct PIN resets SoftHSM2's counter. */
  after_right = lookup_token (ayse);
  g_assert_false (eimza_pkcs11_token_get_flags (after_right) & EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW);
}

/* The same signature uploaded twice: the second is refused. */
static void
test_fault_replay (void)
{
  g_autoptr(EimzaNesClientOwned) session = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  EimzaCertificate *ayse;
  guint n_accepted;

  if (!stack_ready ())
    return;

  ayse = certificate_by_label (bed.certificates, AYSE_LABEL);
  session = new_nes_client (ayse);
  code = eonay_log_in (session, AYSE_TCKN);
  data = eonay_fetch (session, code, EIMZA_EONAY_PURPOSE_LOGIN);
  cms = card_sign_ok (ayse, data->data);
  g_assert_true (eonay_upload (session, code, data->data, cms, &error));
  g_assert_no_error (error);

  n_accepted = bed.accepted->len;
  g_assert_false (eonay_upload (session, code, data->data, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_assert_cmpuint (bed.accepted->len, ==, n_accepted);
}

/* Logged in as Ayşe, signed on the card with Mehmet's key
 * (10000000214): WRONG_SIGNER, and the code still takes her own. */
static void
test_fault_other_person (void)
{
  g_autoptr(EimzaNesClientOwned) session = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(GBytes) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  EimzaCertificate *ayse;

  if (!stack_ready ())
    return;

  ayse = certificate_by_label (bed.certificates, AYSE_LABEL);
  session = new_nes_client (ayse);
  code = eonay_log_in (session, AYSE_TCKN);
  data = eonay_fetch (session, code, EIMZA_EONAY_PURPOSE_LOGIN);

  other = card_sign_ok (certificate_by_label (bed.certificates, MEHMET_LABEL), data->data);
  g_assert_false (eonay_upload (session, code, data->data, other, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER);
  g_clear_error (&error);

  own = card_sign_ok (ayse, data->data);
  g_assert_true (eonay_upload (session, code, data->data, own, &error));
  g_assert_no_error (error);
}

/* The PIN policy module (tests/card/pin-policy-module.c) as the
 * configured module: a token with one try left refuses to sign without
 * the person's confirmation, without spending the try, and signs with it.
 * Last of the card cases: the module, once loaded, stays. */
static void
test_fault_final_try (void)
{
  g_autoptr(EimzaNesClientOwned) session = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(GPtrArray) policy_certificates = NULL;
  g_autoptr(GBytes) refused = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  EimzaCertificate *policy_ayse;

  if (!stack_ready ())
    return;

  eimza_pkcs11_set_module_path (bed.service, softhsm_fixture_pin_policy_module ());
  policy_certificates = list_certificates (POLICY_TOKEN_URI);
  g_assert_cmpuint (policy_certificates->len, ==, 5);
  policy_ayse = certificate_by_label (policy_certificates, AYSE_LABEL);

  /* Two wrong PINs before, as a real card would remember them. */
  softhsm_fixture_set_pin_failures (2);
  token = lookup_token (policy_ayse);
  g_assert_cmpstr (eimza_pkcs11_token_get_model (token), ==, PIN_POLICY_MODEL);
  g_assert_true (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY);

  /* The TLS login goes through SoftHSM2 itself. */
  session = new_nes_client (certificate_by_label (bed.certificates, AYSE_LABEL));
  code = eonay_log_in (session, AYSE_TCKN);
  data = eonay_fetch (session, code, EIMZA_EONAY_PURPOSE_LOGIN);

  refused = card_sign (policy_ayse, data->data, SOFTHSM_USER_PIN, 0, &error);
  g_assert_null (refused);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_clear_error (&error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 2);

  cms = card_sign (policy_ayse, data->data, SOFTHSM_USER_PIN, EIMZA_CADES_FINAL_TRY_CONFIRMED,
                   &error);
  g_assert_no_error (error);
  g_assert_nonnull (cms);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  g_assert_true (eonay_upload (session, code, data->data, cms, &error));
  g_assert_no_error (error);
}

static gboolean
bytes_equal_file (GBytes     *bytes,
                  const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (bytes == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return length == g_bytes_get_size (bytes) &&
         memcmp (contents, g_bytes_get_data (bytes, NULL), length) == 0;
}

/* Every signature the simulator accepted (--signature-log) stands up to
 * `openssl cms -verify`, and they are exactly the uploads counted. */
static void
test_signature_log (void)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = NULL;
  g_autofree gboolean *matched = NULL;
  const char *name;

  if (!stack_ready ())
    return;

  dir = g_dir_open (bed.signature_log, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".cms"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - strlen (".cms")));

  g_test_message ("%u signatures accepted", names->len);
  g_assert_cmpuint (names->len, ==, bed.accepted->len);
  g_assert_cmpuint (names->len, >=, 9);

  ca = softhsm_fixture_path ("testca.pem");
  matched = g_new0 (gboolean, bed.accepted->len);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *base = g_build_filename (bed.signature_log, names->pdata[i], NULL);
      g_autofree char *cms_path = g_strconcat (base, ".cms", NULL);
      g_autofree char *content_path = g_strconcat (base, ".content", NULL);
      g_autofree char *err = NULL;
      const char * const argv[] = {
        "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms_path,
        "-content", content_path, "-CAfile", ca, "-purpose", "any", "-out", "/dev/null",
        NULL
      };
      int status = 0;
      gboolean found = FALSE;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err,
                    &status, &error);
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("openssl cms -verify refused %s: %s", (char *) names->pdata[i], err);

      /* The very bytes the test uploaded, over the very bytes it signed. */
      for (guint k = 0; k < bed.accepted->len && !found; k++)
        {
          Accepted *accepted = g_ptr_array_index (bed.accepted, k);

          if (!matched[k] && bytes_equal_file (accepted->cms, cms_path) &&
              bytes_equal_file (accepted->content, content_path))
            matched[k] = found = TRUE;
        }
      if (!found)
        g_error ("%s is not one of the test's uploads", (char *) names->pdata[i]);
    }
}

static void
skip_case (void)
{
  stack_ready ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *sim;
  int result;

  g_test_init (&argc, &argv, NULL);

  bed.loop = g_main_loop_new (NULL, FALSE);
  bed.accepted = g_ptr_array_new_with_free_func (accepted_free);

  /* What is missing decides the skip; the cases that need more report it
   * themselves (vicc). */
  sim = g_getenv ("EIMZA_PORTAL_SIM");
  bed.testbed = pcsc_testbed_new (&error);
  if (bed.testbed == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      set_skip_reason (error->message);
    }
  else if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    {
      set_skip_reason ("The portal simulator is not built (EIMZA_PORTAL_SIM)");
    }
  else
    {
      g_setenv ("EIMZA_SOFTHSM_SECOND_PERSON", "1", TRUE);
      if (!softhsm_fixture_init ())
        set_skip_reason ("needs softhsm2, gnutls-bin (certtool, p11tool), openssl and tar");
    }

  if (bed.skip_reason == NULL)
    {
      bed.profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
      g_assert_no_error (error);
      bed.interaction = g_object_new (TEST_TYPE_PIN_INTERACTION, NULL);
      start_simulator ();
    }

#define ADD(path, func) \
  g_test_add_func ("/integration/card-flows/" path, bed.skip_reason != NULL ? skip_case : func)
  ADD ("card-presence", test_card_presence);
  ADD ("certificates", test_certificates);
  ADD ("eonay-full-flow", test_eonay_full_flow);
  ADD ("esigned-application", test_esigned_application);
  ADD ("fault-code-expired", test_fault_code_expired);
  ADD ("fault-card-pulled", test_fault_card_pulled);
  ADD ("fault-wrong-pin", test_fault_wrong_pin);
  ADD ("fault-replay", test_fault_replay);
  ADD ("fault-other-person", test_fault_other_person);
  ADD ("fault-final-try", test_fault_final_try);
  ADD ("signature-log-openssl", test_signature_log);
#undef ADD

  result = g_test_run ();

  g_clear_pointer (&bed.certificates, g_ptr_array_unref);
  if (bed.service != NULL)
    {
      EimzaCardService *weak = bed.service;

      g_signal_handlers_disconnect_by_data (bed.service, &bed);
      g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
      g_clear_object (&bed.service);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_null (weak);
    }
  g_clear_pointer (&bed.vicc, pcsc_testbed_stop_vicc);
  g_clear_pointer (&bed.testbed, pcsc_testbed_free);
  stop_simulator ();
  g_clear_object (&bed.interaction);
  g_clear_object (&bed.profile);
  g_clear_pointer (&bed.accepted, g_ptr_array_unref);
  g_clear_pointer (&bed.inserted_atr, g_free);
  g_clear_pointer (&bed.skip_reason, g_free);
  g_clear_pointer (&bed.loop, g_main_loop_unref);
  softhsm_fixture_cleanup ();

  return result;
}
