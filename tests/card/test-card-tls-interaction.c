/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the PIN rules of the TLS login with the card's key (no display needed). */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "eimza-card-tls-interaction.h"
#include "eimza-pkcs11.h"
#include "eimza-tls-card-login.h"
#include "card-test-fixture.h"

/*
 * The interaction is driven the way glib-networking and the NES session
 * drive it (ask_password with the request's flags; prepare before the key
 * is used; finished after the handshake), against the PIN policy module
 * through the card service, with a scripted person instead of the dialog.
 */

#define TEST_TYPE_PERSON (test_person_get_type ())
G_DECLARE_FINAL_TYPE (TestPerson, test_person, TEST, PERSON, EimzaCardTlsInteraction)

struct _TestPerson
{
  EimzaCardTlsInteraction parent_instance;

  const char *pin;              /* what the person types; NULL: gives up */
  gboolean confirm_final_try;
  guint n_asks;
  EimzaPkcs11TokenFlags asked_flags;
};

G_DEFINE_FINAL_TYPE (TestPerson, test_person, EIMZA_TYPE_CARD_TLS_INTERACTION)

static void
test_person_ask_pin_async (EimzaCardTlsInteraction *interaction,
                           EimzaPkcs11Token        *token,
                           gboolean                 retry,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  TestPerson *self = TEST_PERSON (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->n_asks++;
  self->asked_flags = eimza_pkcs11_token_get_flags (token);
  if (self->pin == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "gave up");
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
test_person_ask_pin_finish (EimzaCardTlsInteraction  *interaction,
                            GAsyncResult             *result,
                            EimzaSecret             **pin,
                            gboolean                 *final_try_confirmed,
                            GError                  **error)
{
  TestPerson *self = TEST_PERSON (interaction);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  *pin = (self->asked_flags & EIMZA_PKCS11_TOKEN_PINPAD) ? NULL
                                                         : eimza_secret_new (self->pin, -1);
  *final_try_confirmed = self->confirm_final_try;
  return TRUE;
}

static void
test_person_class_init (TestPersonClass *klass)
{
  EIMZA_CARD_TLS_INTERACTION_CLASS (klass)->ask_pin_async = test_person_ask_pin_async;
  EIMZA_CARD_TLS_INTERACTION_CLASS (klass)->ask_pin_finish = test_person_ask_pin_finish;
}

static void
test_person_init (TestPerson *self)
{
  self->pin = SOFTHSM_USER_PIN;
}

/* --- Helpers ---------------------------------------------------------------------- */

typedef struct {
  EimzaCardService *service;
  TestPerson *person;
  EimzaCertificate *certificate;
} Fixture;

/* The service on the PIN policy module, and a person for the key of the
 * certificate labelled @label. */
static void
fixture_init_for (Fixture    *f,
                  const char *label)
{
  card_test_open (label, &f->service, &f->certificate);
  f->person = g_object_new (TEST_TYPE_PERSON, "service", f->service,
                            "key-uri", eimza_certificate_get_key_uri (f->certificate), NULL);
}

static void
fixture_init (Fixture *f)
{
  fixture_init_for (f, SOFTHSM_TCKN "NES0");
}

/* Both must be gone at once: nothing may keep the service (and its
 * worker thread) alive behind the interaction's back. */
static void
fixture_clear (Fixture *f)
{
  card_test_close (&f->person, &f->service, &f->certificate);
}

/* One PIN request as glib-networking makes it; returns the PIN given, or
 * NULL with @error set. */
static char *
ask_password (Fixture            *f,
              GTlsPasswordFlags   flags,
              GError            **error)
{
  g_autoptr(GTlsPassword) password = g_tls_password_new (G_TLS_PASSWORD_PKCS11_USER | flags,
                                                         "EIMZA TEST");
  g_autoptr(GAsyncResult) result = NULL;
  GTlsInteractionResult answer;
  const guchar *value;
  gsize length;

  g_tls_interaction_ask_password_async (G_TLS_INTERACTION (f->person), password, NULL,
                                        card_test_store_result_cb, &result);
  answer = g_tls_interaction_ask_password_finish (G_TLS_INTERACTION (f->person),
                                                  card_test_wait_for_result (&result), error);
  /* Never UNHANDLED: glib-networking would ask again for ever. */
  g_assert_cmpint (answer, !=, G_TLS_INTERACTION_UNHANDLED);
  if (answer != G_TLS_INTERACTION_HANDLED)
    return NULL;

  value = g_tls_password_get_value (password, &length);
  return g_strndup ((const char *) value, length);
}

static gboolean
prepare (Fixture  *f,
         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_tls_card_login_prepare_async (EIMZA_TLS_CARD_LOGIN (f->person), NULL,
                                      card_test_store_result_cb, &result);
  return eimza_tls_card_login_prepare_finish (EIMZA_TLS_CARD_LOGIN (f->person),
                                              card_test_wait_for_result (&result), error);
}

static void
handshake_failed (Fixture *f)
{
  g_autoptr(GError) error = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_HANDSHAKE,
                                                 "the site refused the certificate");

  eimza_tls_card_login_finished (EIMZA_TLS_CARD_LOGIN (f->person), error);
}

static void
handshake_succeeded (Fixture *f)
{
  eimza_tls_card_login_finished (EIMZA_TLS_CARD_LOGIN (f->person), NULL);
}

/* --- Cases ---------------------------------------------------------------------------- */

static void
test_kept_after_success_only (void)
{
  Fixture f = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *fourth = NULL;

  fixture_init (&f);

  /* Given, but the handshake failed for another reason than the PIN: not
   * kept, so the next connection asks the person. */
  g_assert_true (prepare (&f, &error));
  first = ask_password (&f, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, SOFTHSM_USER_PIN);
  g_assert_false (eimza_card_tls_interaction_has_pin (EIMZA_CARD_TLS_INTERACTION (f.person)));
  handshake_failed (&f);
  g_assert_false (eimza_card_tls_interaction_has_pin (EIMZA_CARD_TLS_INTERACTION (f.person)));

  g_assert_true (prepare (&f, &error));
  second = ask_password (&f, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f.person->n_asks, ==, 2);

  /* This handshake succeeded: the PIN answers the next connection. */
  handshake_succeeded (&f);
  g_assert_true (eimza_card_tls_interaction_has_pin (EIMZA_CARD_TLS_INTERACTION (f.person)));
  g_assert_true (prepare (&f, &error));
  third = ask_password (&f, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (third, ==, SOFTHSM_USER_PIN);
  g_assert_cmpuint (f.person->n_asks, ==, 2);

  /* The replay's handshake failed: forgotten, the person is asked. */
  handshake_failed (&f);
  g_assert_false (eimza_card_tls_interaction_has_pin (EIMZA_CARD_TLS_INTERACTION (f.person)));
  g_assert_true (prepare (&f, &error));
  fourth = ask_password (&f, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f.person->n_asks, ==, 3);

  fixture_clear (&f);
}

/* Keeps the right PIN as after a successful handshake. */
static void
keep_pin (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;

  g_assert_true (prepare (f, &error));
  pin = ask_password (f, 0, &error);
  g_assert_no_error (error);
  handshake_succeeded (f);
  g_assert_true (eimza_card_tls_interaction_has_pin (EIMZA_CARD_TLS_INTERACTION (f->person)));
}

static void
test_no_replay_on_last_try (void)
{
  Fixture f = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;

  fixture_init (&f);
  keep_pin (&f);
  g_assert_cmpuint (f.person->n_asks, ==, 1);

  /* The card is now at its last try: the kept PIN is not replayed; the
   * person is asked, and without their confirmation nothing is sent. */
  softhsm_fixture_set_pin_failures (2);
  pin = ask_password (&f, 0, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_assert_null (pin);
  g_assert_cmpuint (f.person->n_asks, ==, 2);
  g_assert_true (f.person->asked_flags & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY);
  g_assert_false (eimza_card_tls_interaction_has_pin (EIMZA_CARD_TLS_INTERACTION (f.person)));
  g_clear_error (&error);

  /* With it, the person's PIN goes. */
  f.person->confirm_final_try = TRUE;
  pin = ask_password (&f, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pin, ==, SOFTHSM_USER_PIN);
  g_assert_cmpuint (f.person->n_asks, ==, 3);

  fixture_clear (&f);
}

static void
test_no_replay_on_request_flags (void)
{
  static const GTlsPasswordFlags flags[] = { G_TLS_PASSWORD_FINAL_TRY, G_TLS_PASSWORD_RETRY };
  Fixture f = { 0, };

  fixture_init (&f);

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *pin = NULL;
      guint asks;

      keep_pin (&f);
      asks = f.person->n_asks;
      pin = ask_password (&f, flags[i], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (f.person->n_asks, ==, asks + 1);
    }

  /* After a wrong PIN, giving up is a PIN failure. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *pin = NULL;

    f.person->pin = NULL;
    pin = ask_password (&f, G_TLS_PASSWORD_RETRY, &error);
    g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  }

  fixture_clear (&f);
}

static void
test_locked (void)
{
  Fixture f = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;

  fixture_init (&f);
  keep_pin (&f);

  softhsm_fixture_set_pin_failures (3);
  pin = ask_password (&f, 0, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED);
  g_assert_cmpuint (f.person->n_asks, ==, 1);

  fixture_clear (&f);
}

static void
test_pinpad (void)
{
  Fixture f = { 0, };
  g_autoptr(GError) error = NULL;

  g_setenv ("EIMZA_PIN_POLICY_PINPAD", SOFTHSM_USER_PIN, TRUE);
  fixture_init (&f);

  /* GnuTLS logs a PIN-pad reader in without asking: the person is told
   * before the key is used. */
  g_assert_true (prepare (&f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f.person->n_asks, ==, 1);
  g_assert_true (f.person->asked_flags & EIMZA_PKCS11_TOKEN_PINPAD);

  /* The last try: not without the person's confirmation. */
  softhsm_fixture_set_pin_failures (2);
  g_assert_false (prepare (&f, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_clear_error (&error);
  g_assert_cmpuint (f.person->n_asks, ==, 2);

  f.person->confirm_final_try = TRUE;
  g_assert_true (prepare (&f, &error));
  g_assert_no_error (error);

  /* Giving up fails the handshake before the key is used. */
  f.person->pin = NULL;
  g_assert_false (prepare (&f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);

  fixture_clear (&f);
}

/* --- One caller in the module at a time ------------------------------------------- */

/*
 * A module initialised without OS locking (Kamu SM's AKİS module) must
 * never be entered by two threads at once. The card worker calls it for
 * status jobs; a TLS handshake with the card's key runs on
 * glib-networking's handshake thread. The PIN policy module counts the
 * calls in flight (EIMZA_PIN_POLICY_CONCURRENCY) and writes down every
 * overlap; here status jobs run without pause while handshakes with the
 * card's key are made against a server that requires a client
 * certificate.
 */

#define N_HANDSHAKES 6

typedef struct {
  Fixture *f;
  gboolean stop;
  guint pending;
  guint n_done;
} StatusPump;

static void pump_next (StatusPump *pump);

/* A status job ended: the next one. */
static void
pump_done (StatusPump *pump)
{
  pump->pending--;
  pump->n_done++;
  pump_next (pump);
}

static void
pump_lookup_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  StatusPump *pump = user_data;
  g_autoptr(EimzaPkcs11Token) token = NULL;

  /* Failures show up in the overlap file; a job just keeps the worker busy. */
  token = eimza_pkcs11_lookup_token_finish (EIMZA_CARD_SERVICE (source), result, NULL);
  pump_done (pump);
}

static void
pump_list_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  StatusPump *pump = user_data;
  g_autoptr(GPtrArray) certificates = NULL;

  certificates = eimza_pkcs11_list_certificates_finish (EIMZA_CARD_SERVICE (source), result, NULL);
  pump_done (pump);
}

/* Queues the next status job: the token's PIN state, then the card's
 * certificates, in turn, until told to stop. */
static void
pump_next (StatusPump *pump)
{
  const char *key_uri = eimza_certificate_get_key_uri (pump->f->certificate);

  if (pump->stop)
    return;

  pump->pending++;
  if (pump->n_done % 2 == 0)
    eimza_pkcs11_lookup_token_async (pump->f->service, key_uri, NULL, pump_lookup_cb, pump);
  else
    eimza_pkcs11_list_certificates_async (pump->f->service, CARD_TEST_TOKEN_URI, NULL,
                                          pump_list_cb, pump);
}

static gboolean
accept_any_cb (GTlsConnection       *connection,
               GTlsCertificate      *peer,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;
}

static GIOStream *
socket_stream (int fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, &error);

  g_assert_no_error (error);
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

/* One handshake of a client presenting @client_certificate (with the
 * person as its interaction) with a server that requires a client
 * certificate; returns the certificate the server received. */
static GTlsCertificate *
handshake_once (Fixture          *f,
                GTlsCertificate  *client_certificate,
                GTlsCertificate  *server_certificate,
                GError          **error)
{
  g_autoptr(GIOStream) client_base = NULL;
  g_autoptr(GIOStream) server_base = NULL;
  g_autoptr(GIOStream) client = NULL;
  g_autoptr(GIOStream) server = NULL;
  g_autoptr(GAsyncResult) client_result = NULL;
  g_autoptr(GAsyncResult) server_result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) server_error = NULL;
  GTlsCertificate *peer;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  client_base = socket_stream (fds[0]);
  server_base = socket_stream (fds[1]);

  server = g_tls_server_connection_new (server_base, server_certificate, &local_error);
  g_assert_no_error (local_error);
  g_object_set (server, "authentication-mode", G_TLS_AUTHENTICATION_REQUIRED, NULL);
  g_signal_connect (server, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);

  client = g_tls_client_connection_new (client_base, NULL, &local_error);
  g_assert_no_error (local_error);
  g_signal_connect (client, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  g_tls_connection_set_certificate (G_TLS_CONNECTION (client), client_certificate);
  g_tls_connection_set_interaction (G_TLS_CONNECTION (client), G_TLS_INTERACTION (f->person));

  g_tls_connection_handshake_async (G_TLS_CONNECTION (server), G_PRIORITY_DEFAULT, NULL,
                                    card_test_store_result_cb, &server_result);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (client), G_PRIORITY_DEFAULT, NULL,
                                    card_test_store_result_cb, &client_result);
  card_test_wait_for_result (&client_result);
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (client), client_result, error))
    {
      /* The server's side ends when the client's socket is closed. */
      g_io_stream_close (client_base, NULL, NULL);
      card_test_wait_for_result (&server_result);
      return NULL;
    }
  card_test_wait_for_result (&server_result);
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (server), server_result, error))
    return NULL;

  peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (server));
  return peer != NULL ? g_object_ref (peer) : NULL;
}

static char *
read_overlaps (const char *path)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_steal_pointer (&contents);
}

/* The TLS client certificate, as the application makes it for the NES
 * site: routed through the card worker. */
static GTlsCertificate *
client_certificate (Fixture  *f,
                    GError  **error)
{
  g_autofree char *cert_url = NULL;
  g_autofree char *key_url = NULL;

  if (!eimza_card_tls_interaction_route (EIMZA_CARD_TLS_INTERACTION (f->person), f->certificate,
                                         &cert_url, &key_url, error))
    return NULL;
  g_assert_true (g_str_has_prefix (cert_url, "eimza-card:"));
  return g_tls_certificate_new_from_pkcs11_uris (cert_url, key_url, error);
}

/* The test server's certificate, and the client's routed one. */
static void
load_certificates (Fixture          *f,
                   GTlsCertificate **server_certificate,
                   GTlsCertificate **certificate)
{
  g_autofree char *server_cert = softhsm_fixture_path ("soft-cert.pem");
  g_autofree char *server_key = softhsm_fixture_path ("soft-key.pem");
  g_autoptr(GError) error = NULL;

  *server_certificate = g_tls_certificate_new_from_files (server_cert, server_key, &error);
  g_assert_no_error (error);
  *certificate = client_certificate (f, &error);
  g_assert_no_error (error);
}

/* One case of the one-caller test: the certificate's key, and the GnuTLS
 * priority string (NULL: the default). */
typedef struct {
  const char *label;
  const char *priority;
} ConcurrencyCase;

static const ConcurrencyCase concurrency_rsa = { SOFTHSM_TCKN "NES0", NULL };
static const ConcurrencyCase concurrency_ecdsa = { SOFTHSM_TCKN "NES1", NULL };
/* TLS 1.2 signs a PKCS#1 DigestInfo rather than a PSS hash. */
static const ConcurrencyCase concurrency_tls12 = { SOFTHSM_TCKN "NES0", "NORMAL:-VERS-TLS1.3" };

static void
test_concurrency (gconstpointer data)
{
  const ConcurrencyCase *test_case = data;
  Fixture f = { 0, };
  StatusPump pump = { 0, };
  g_autoptr(GTlsCertificate) server_certificate = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *overlaps_path = NULL;
  g_autofree char *overlaps = NULL;
  guint n_ok = 0;

  if (test_case->priority != NULL)
    g_setenv ("G_TLS_GNUTLS_PRIORITY", test_case->priority, TRUE);
  overlaps_path = g_build_filename (softhsm_fixture_dir (), "overlaps.txt", NULL);
  g_unlink (overlaps_path);
  /* Set before the module is loaded; like the AKİS module, it wants no OS
   * locking. */
  g_setenv ("EIMZA_PIN_POLICY_CONCURRENCY", overlaps_path, TRUE);
  g_setenv ("EIMZA_PIN_POLICY_REJECT_OS_LOCKING", "1", TRUE);

  fixture_init_for (&f, test_case->label);
  load_certificates (&f, &server_certificate, &certificate);

  pump.f = &f;
  pump_next (&pump);

  for (guint i = 0; i < N_HANDSHAKES; i++)
    {
      g_autoptr(GTlsCertificate) peer = NULL;
      g_autoptr(GError) handshake_error = NULL;

      peer = handshake_once (&f, certificate, server_certificate, &handshake_error);
      if (peer == NULL)
        {
          g_printerr ("handshake %u failed: %s\n", i,
                          handshake_error != NULL ? handshake_error->message : "no certificate");
          eimza_tls_card_login_finished (EIMZA_TLS_CARD_LOGIN (f.person), handshake_error);
          continue;
        }
      g_assert_true (g_tls_certificate_is_same (peer, certificate));
      eimza_tls_card_login_finished (EIMZA_TLS_CARD_LOGIN (f.person), NULL);
      n_ok++;
    }

  pump.stop = TRUE;
  while (pump.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&certificate);

  /* No call ever overlapped another, every handshake signed with the
   * card's key, and the person was asked once: the PIN was kept. */
  overlaps = read_overlaps (overlaps_path);
  if (overlaps != NULL)
    g_printerr ("overlapping calls:\n%s", overlaps);
  g_assert_null (overlaps);
  g_assert_cmpuint (n_ok, ==, N_HANDSHAKES);
  g_assert_cmpuint (pump.n_done, >, 0);
  g_assert_cmpuint (f.person->n_asks, ==, 1);

  fixture_clear (&f);
}

/* --- The routed key keeps the PIN rules ------------------------------------------- */

static void
failed_cb (EimzaTlsCardLogin *login,
           const GError      *error,
           GError           **out)
{
  g_clear_error (out);
  *out = g_error_copy (error);
}

/* One routed handshake; returns whether it succeeded, with the error
 * the interaction reported through ::failed in @reported. */
static gboolean
routed_handshake (Fixture  *f,
                  GError  **reported)
{
  g_autoptr(GTlsCertificate) server_certificate = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsCertificate) peer = NULL;
  g_autoptr(GError) error = NULL;
  gulong id;

  load_certificates (f, &server_certificate, &certificate);

  id = g_signal_connect (f->person, "failed", G_CALLBACK (failed_cb), reported);
  peer = handshake_once (f, certificate, server_certificate, &error);
  g_signal_handler_disconnect (f->person, id);
  eimza_tls_card_login_finished (EIMZA_TLS_CARD_LOGIN (f->person), error);
  return peer != NULL;
}

static void
test_routed_wrong_pin (void)
{
  Fixture f = { 0, };
  g_autoptr(GError) reported = NULL;

  fixture_init (&f);

  /* The card refuses the PIN: the person is asked again (a retry); the
   * same wrong PIN again leaves one try, which is not spent without the
   * person's confirmation. The card is not locked. */
  f.person->pin = SOFTHSM_WRONG_PIN;
  g_assert_false (routed_handshake (&f, &reported));
  g_assert_error (reported, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_assert_cmpuint (f.person->n_asks, ==, 3);
  g_assert_true (f.person->asked_flags & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 2);
  g_assert_false (eimza_card_tls_interaction_has_pin (EIMZA_CARD_TLS_INTERACTION (f.person)));
  g_clear_error (&reported);

  /* The right PIN with the confirmation: the handshake signs, the PIN is kept. */
  f.person->pin = SOFTHSM_USER_PIN;
  f.person->confirm_final_try = TRUE;
  g_assert_true (routed_handshake (&f, &reported));
  g_assert_no_error (reported);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
  g_assert_true (eimza_card_tls_interaction_has_pin (EIMZA_CARD_TLS_INTERACTION (f.person)));

  fixture_clear (&f);
}

static void
test_routed_locked (void)
{
  Fixture f = { 0, };
  g_autoptr(GError) reported = NULL;

  fixture_init (&f);

  softhsm_fixture_set_pin_failures (3);
  g_assert_false (routed_handshake (&f, &reported));
  g_assert_error (reported, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED);
  g_assert_cmpuint (f.person->n_asks, ==, 0);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);

  fixture_clear (&f);
}

static void
test_routed_pinpad (void)
{
  Fixture f = { 0, };
  g_autoptr(GTlsCertificate) routed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reported = NULL;

  g_setenv ("EIMZA_PIN_POLICY_PINPAD", SOFTHSM_USER_PIN, TRUE);
  fixture_init (&f);

  /* With a routed key, prepare asks nothing: the signature asks, once. */
  routed = client_certificate (&f, &error);
  g_assert_no_error (error);
  g_assert_true (prepare (&f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f.person->n_asks, ==, 0);
  g_assert_true (routed_handshake (&f, &reported));
  g_assert_no_error (reported);
  g_assert_cmpuint (f.person->n_asks, ==, 1);
  g_assert_true (f.person->asked_flags & EIMZA_PKCS11_TOKEN_PINPAD);

  fixture_clear (&f);
}

static const CardTestCase cases[] = {
  { "/card-tls/pin/kept-after-success-only", test_kept_after_success_only },
  { "/card-tls/pin/no-replay-on-last-try", test_no_replay_on_last_try },
  { "/card-tls/pin/no-replay-on-request-flags", test_no_replay_on_request_flags },
  { "/card-tls/pin/locked", test_locked },
  { "/card-tls/pinpad/asked-before-login", test_pinpad },
  { "/card-tls/one-caller/rsa", .data_func = test_concurrency, .data = &concurrency_rsa },
  { "/card-tls/one-caller/ecdsa", .data_func = test_concurrency, .data = &concurrency_ecdsa },
  { "/card-tls/one-caller/tls12", .data_func = test_concurrency, .data = &concurrency_tls12 },
  { "/card-tls/routed/wrong-pin", test_routed_wrong_pin },
  { "/card-tls/routed/locked", test_routed_locked },
  { "/card-tls/routed/pinpad", test_routed_pinpad },
};

int
main (int    argc,
      char **argv)
{
  return card_test_main (argc, argv, "/card-tls/skipped", cases, G_N_ELEMENTS (cases));
}
