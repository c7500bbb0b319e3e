/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaNesClient's failures against the simulator: certificates, the PIN, slow and lost uploads, a wrong signer. */
#include "config.h"

#include "nes-client-fixture.h"

/* Without a certificate the handshake fails; nothing is retried. */
void
test_no_certificate (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, NULL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED);
  assert_sensible_message (error);
  g_assert_cmpuint (f->interaction->n_asks, ==, 0);
  /* The site closes the connection made ahead; no second one is made. */
  g_assert_cmpuint (g_atomic_int_get (&f->n_nes_handshakes), ==, 1);
}

/* A site that trusts another CA refuses the card's certificate in the
 * handshake. */
void
test_untrusted_certificate (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  /* Again with another anchor than the CA that issued the card's
   * certificates (the last --nes-client-ca counts). */
  {
    g_autofree char *other = fixture_path ("soft-cert.pem");
    SimArgs args = { { "--nes-client-ca", other, NULL } };

    stop_simulator (f);
    start_simulator (f, &args);
  }

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED);
  /* Once: no retry after a refusal asks the card again, and the
   * connection made ahead, closed by the site, is not replaced. */
  g_assert_cmpuint (f->interaction->n_asks, ==, 1);
  g_assert_cmpuint (g_atomic_int_get (&f->n_nes_handshakes), ==, 1);
}

/* A wrong PIN: the interaction refuses the retry, the login stops with
 * its message, and the card is never asked again. */
void
test_wrong_pin (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  g_free (f->interaction->pin);
  f->interaction->pin = g_strdup (WRONG_PIN);

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_PIN);
  g_assert_cmpstr (error->message, ==, "PIN hatalı (test): yeniden denenmedi.");
  g_assert_cmpuint (f->interaction->n_asks, ==, 2);
  g_assert_cmpuint (f->interaction->n_retries, ==, 1);
  /* The session said the login failed, never that it succeeded. */
  g_assert_cmpuint (f->interaction->n_prepares, >=, 1);
  g_assert_cmpuint (f->interaction->n_logins_failed, >=, 1);
  g_assert_cmpuint (f->interaction->n_logins_succeeded, ==, 0);
  g_assert_cmpuint (g_atomic_int_get (&f->n_nes_handshakes), ==, 1);
  g_clear_error (&error);

  /* Nothing goes on behind the caller's back. */
  {
    guint n_asks = f->interaction->n_asks;
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpuint (f->interaction->n_asks, ==, n_asks);
  }

  /* The person types the right PIN: a new attempt works. */
  g_free (f->interaction->pin);
  f->interaction->pin = g_strdup (USER_PIN);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (code);
  /* Only now may a PIN be kept: the handshake with it succeeded. */
  g_assert_cmpuint (f->interaction->n_logins_succeeded, ==, 1);
}

/* The person closes the PIN dialog. */
void
test_pin_cancelled (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->interaction->cancel = TRUE;
  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->interaction->n_asks, ==, 1);
  g_assert_cmpuint (g_atomic_int_get (&f->n_nes_handshakes), ==, 1);
}

/* Fault slow-upload with a short deadline: the upload is handled after the
 * deadline and refused, though it was sent in time. */
void
test_slow_upload (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  gint64 start;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);
  cms = sign (f, MEHMET_LABEL, data->data);

  start = g_get_monotonic_time ();
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3 * G_USEC_PER_SEC);
}

/* Fault slow-upload (4 s) past the client's time-out (2 s): the session
 * asks the signer before it reports. The code still waits: a definite
 * "not arrived yet", a retryable time-out. Sent again once the first one
 * was handled, the code is used: the session, which knows the first
 * answer was lost, reports success; the site has the login. */
void
test_upload_lost_answer (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);
  cms = sign (f, MEHMET_LABEL, data->data);

  eimza_nes_client_set_deadline (f->session, 2);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  g_assert_true (eimza_portal_error_can_retry (error));
  g_clear_error (&error);

  /* The held upload is handled 4 s after it was sent. */
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_true (upload (f, f->session, code, cms, &error));
  g_assert_no_error (error);
}

/* Fault signer-mismatch: the simulator treats the own signature as
 * another person's. */
void
test_fault_signer_mismatch (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);
  cms = sign (f, MEHMET_LABEL, data->data);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER);
}
