/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration: e-onay and the e-signed application against the simulator, signed by the card service with vicc present. */
#include "config.h"

#include "card-flows-fixture.h"

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
