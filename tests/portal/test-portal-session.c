/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration tests: EimzaPortalSession against the portal simulator over TLS: the flow and the portal's refusals. */
#include "config.h"

#include "portal-session-fixture.h"

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
/* The faults test_fault() sees on the sign-in POST, and the error each gives. */
static const FaultCase fault_cases[] = {
  { "http-500", EIMZA_PORTAL_ERROR_SERVER },
  { "reset", EIMZA_PORTAL_ERROR_NETWORK },
  { "truncated", EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE },
  { "malformed", EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE },
  { "redesigned", EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE },
};

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
