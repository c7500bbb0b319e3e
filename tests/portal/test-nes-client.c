/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration tests: EimzaNesClient against the simulator's NES site, with a SoftHSM2 card: the e-onay flow. */
#include "config.h"

#include "nes-client-fixture.h"

/* ------------------------------------------------------------------------
 * The cases.
 * ------------------------------------------------------------------------ */

/* Mehmet has no e-onay: login, both signatures, active; the application
 * portal of the same run then offers E-Onaylı Başvuru. */
static void
test_full_flow (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSession) waiting_portal = NULL;
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;

  if (run_isolated ())
    return;

  /* The person stops at the signing method, gives the e-onay meanwhile,
   * and comes back to the same application session. */
  g_assert_false (portal_eonay_offered (f, TRUE, FALSE, &waiting_portal));

  f->session = logged_in_session (f, MEHMET_LABEL, MEHMET_TCKN);
  g_assert_cmpstr (eimza_nes_client_get_holder (f->session), ==, "MEHMET CAGRI OZTURK");

  status = open_eonay (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_false (status->active);
  g_assert_nonnull (status->explanation);
  g_assert_nonnull (status->commitment);
  g_assert_true (g_str_has_prefix (status->commitment, "Kamu Sertifikasyon Merkezi"));
  g_assert_cmpint (status->time_limit, ==, 120);

  code = consent (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (code);

  /* The second signature is over the commitment the page showed. */
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);
  g_assert_cmpint (data->purpose, ==, EIMZA_EONAY_PURPOSE_EONAY);
  text = g_strndup (g_bytes_get_data (data->data, NULL), g_bytes_get_size (data->data));
  g_assert_true (g_str_has_prefix (text, "E-ONAY TAAHHÜTNAMESİ\n"));
  g_assert_nonnull (strstr (text, status->commitment));
  g_assert_nonnull (strstr (text, MEHMET_TCKN));
  g_assert_nonnull (strstr (text, code));
  assert_deadline_within (data, 120);

  g_assert_false (is_active (f, f->session));
  cms = sign (f, MEHMET_LABEL, data->data);
  g_assert_true (upload (f, f->session, code, cms, &error));
  g_assert_no_error (error);
  assert_openssl_verifies (cms, data->data);
  g_assert_true (is_active (f, f->session));

  /* Nothing left to consent to. */
  g_clear_pointer (&code, g_free);
  code = consent (f, f->session, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_REJECTED);
  g_clear_error (&error);

  /* One connection kept alive for the whole flow: one PIN request. */
  g_assert_cmpuint (f->interaction->n_asks, ==, 1);
  g_assert_cmpuint (g_atomic_int_get (&f->n_nes_handshakes), ==, 1);

  /* The application waiting at the signing method now offers it. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *number = NULL;
    PortalWait wait = { NULL };
    gboolean offered = FALSE;

    eimza_portal_session_reload_method_async (waiting_portal, NULL, portal_result_cb, &wait);
    result = portal_wait (&wait);
    g_assert_true (eimza_portal_session_reload_method_finish (waiting_portal, result, &offered,
                                                              &error));
    g_assert_no_error (error);
    g_assert_true (offered);
    g_clear_object (&result);

    eimza_portal_session_apply_with_eonay_async (waiting_portal, NULL, portal_result_cb, &wait);
    result = portal_wait (&wait);
    number = eimza_portal_session_apply_with_eonay_finish (waiting_portal, result, &error);
    g_assert_no_error (error);
    g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{6}$", number, 0, 0));
  }

  g_assert_true (portal_eonay_offered (f, TRUE, TRUE, NULL));
}

/* Ayşe's e-onay is active at start: cancelled on the NES site, and the
 * application portal stops offering it. */
static void
test_cancel (Fixture       *f,
             gconstpointer  user_data)
{
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  if (run_isolated ())
    return;

  f->session = logged_in_session (f, AYSE_LABEL, AYSE_TCKN);
  status = open_eonay (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_true (status->active);
  g_assert_null (status->commitment);

  g_assert_true (cancel_eonay (f, f->session, &error));
  g_assert_no_error (error);
  g_assert_false (is_active (f, f->session));

  /* Cancelling twice: nothing to cancel, and the site was not asked. */
  g_assert_false (cancel_eonay (f, f->session, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  assert_sensible_message (error);
  g_clear_error (&error);

  g_assert_false (portal_eonay_offered (f, FALSE, FALSE, NULL));
}

/* The .jnlp hand-off: another session (the "signer") gets only the code
 * the person typed, fetches the data and uploads the signature; the web
 * session is then logged in. */
static void
test_jnlp_hand_off (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(EimzaNesClient) signer = NULL;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *codebase = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);

  /* Not logged in until the code is signed. */
  status = open_eonay (f, f->session, &error);
  g_assert_null (status);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  /* Typed by hand: lower case, a space instead of the hyphen. */
  typed = g_ascii_strdown (code, -1);
  typed[4] = ' ';

  signer = new_session (f, MEHMET_LABEL);
  codebase = g_strconcat (f->nes_url, "nb/imza/", NULL);
  g_assert_true (eimza_nes_client_set_signer_base_url (signer, codebase, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_nes_client_get_signer_base_url (signer), ==, codebase);

  data = fetch (f, signer, typed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (data->purpose, ==, EIMZA_EONAY_PURPOSE_LOGIN);
  cms = sign (f, MEHMET_LABEL, data->data);
  g_assert_true (upload (f, signer, typed, cms, &error));
  g_assert_no_error (error);
  assert_openssl_verifies (cms, data->data);

  status = open_eonay (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_false (status->active);

  /* A CA file is only for loopback hosts. */
  g_assert_false (eimza_nes_client_set_signer_base_url (signer, "https://example.org/nb/imza/",
                                                        &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (eimza_nes_client_set_signer_base_url (signer, "http://127.0.0.1/", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

/* --sign-deadline-seconds 2: a signature after the deadline is refused,
 * and the code is of no use any more. */
static void
test_code_expired (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(EimzaEonaySignData) again = NULL;
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
  assert_deadline_within (data, 2);

  cms = sign (f, MEHMET_LABEL, data->data);
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  g_assert_cmpstr (error->message, ==,
                   "Doğrulama kodunun süresi doldu. İşlemi yeniden başlatınız.");
  g_clear_error (&error);

  again = fetch (f, f->session, code, &error);
  g_assert_null (again);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
}

/* The same signature twice, and the login's signature for the e-onay
 * code. */
static void
test_replay (Fixture       *f,
             gconstpointer  user_data)
{
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(GBytes) login_cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *eonay_code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, MEHMET_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_no_error (error);
  login_cms = sign_step (f, f->session, code, MEHMET_LABEL, EIMZA_EONAY_PURPOSE_LOGIN);

  g_assert_false (upload (f, f->session, code, login_cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
  assert_sensible_message (error);
  g_clear_error (&error);

  status = open_eonay (f, f->session, &error);
  g_assert_no_error (error);
  eonay_code = consent (f, f->session, &error);
  g_assert_no_error (error);
  g_assert_false (upload (f, f->session, eonay_code, login_cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
  g_clear_error (&error);
  g_assert_false (is_active (f, f->session));
}

/* Logged in as Ayşe, signed with Mehmet's certificate: refused, and the
 * code still takes Ayşe's own signature. */
static void
test_other_person (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GBytes) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);

  cms = sign (f, MEHMET_LABEL, data->data);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER);
  g_assert_cmpstr (error->message, ==,
                   "İmza, oturum açan kişiye ait olmayan bir sertifikayla atılmış.");
  g_clear_error (&error);

  own = sign (f, AYSE_LABEL, data->data);
  g_assert_true (upload (f, f->session, code, own, &error));
  g_assert_no_error (error);
  assert_openssl_verifies (own, data->data);
}

/* A valid signature of other bytes than the code's. */
static void
test_wrong_content (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, AYSE_TCKN, &error);
  g_assert_no_error (error);
  data = fetch (f, f->session, code, &error);
  g_assert_no_error (error);

  text = g_strdup_printf ("%.*s(değiştirildi)\n", (int) g_bytes_get_size (data->data),
                          (const char *) g_bytes_get_data (data->data, NULL));
  other = g_bytes_new (text, strlen (text));
  cms = sign (f, AYSE_LABEL, other);
  g_assert_false (upload (f, f->session, code, cms, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
  g_clear_error (&error);

  /* Not a signature at all. */
  g_assert_false (upload (f, f->session, code, data->data, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
}

/* The T.C. Kimlik No must be the certificate's. */
static void
test_tckn_mismatch (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (run_isolated ())
    return;

  f->session = new_session (f, AYSE_LABEL);
  code = log_in (f, f->session, MEHMET_TCKN, &error);
  g_assert_null (code);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH);
  g_assert_true (g_str_has_prefix (error->message, "Girdiğiniz T.C. Kimlik No"));
  g_assert_null (eimza_nes_client_get_tckn (f->session));
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  softhsm_init ();

  g_test_add_func ("/eonay/profile/builtin", test_profile_builtin);
  g_test_add_func ("/eonay/profile/errors", test_profile_errors);
  g_test_add_func ("/eonay/page/samples", test_page_samples);
  g_test_add_func ("/nes-client/arguments", test_session_arguments);

#define ADD(path, args, func) \
  g_test_add ("/nes-client/" path, Fixture, &(args), fixture_set_up, func, fixture_tear_down)

  ADD ("full-flow", default_args, test_full_flow);
  ADD ("cancel", default_args, test_cancel);
  ADD ("jnlp-hand-off", default_args, test_jnlp_hand_off);
  ADD ("code-expired", short_deadline_args, test_code_expired);
  ADD ("replayed-signature", default_args, test_replay);
  ADD ("other-person", default_args, test_other_person);
  ADD ("wrong-content", default_args, test_wrong_content);
  ADD ("tckn-mismatch", default_args, test_tckn_mismatch);
  ADD ("no-client-certificate", default_args, test_no_certificate);
  ADD ("untrusted-certificate", default_args, test_untrusted_certificate);
  ADD ("wrong-pin", default_args, test_wrong_pin);
  ADD ("pin-cancelled", default_args, test_pin_cancelled);
  ADD ("slow-upload", slow_upload_args, test_slow_upload);
  ADD ("upload-lost-answer", slow_upload_lost_args, test_upload_lost_answer);
  ADD ("fault-signer-mismatch", signer_mismatch_args, test_fault_signer_mismatch);

#undef ADD

  result = g_test_run ();
  softhsm_cleanup ();
  return result;
}
