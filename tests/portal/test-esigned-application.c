/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration tests: the e-signed application (E-İmzalı Başvuru) against the simulator, signed on a SoftHSM2 card. */
#include "config.h"

#include "esigned-application-fixture.h"

/* ------------------------------------------------------------------------
 * The cases.
 * ------------------------------------------------------------------------ */

/* The simulator's sample pages, with both shipped profiles. */
static void
test_page (void)
{
  g_autoptr(EimzaPortalProfile) kamusm = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "esigned.html", "esigned-expired.html" };

  kamusm = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      EimzaPortalProfile *profiles[] = { profile, kamusm };
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "tools", "portal-sim",
                                                     "sample-pages", names[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize length;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      bytes = g_bytes_new (contents, length);

      for (guint p = 0; p < G_N_ELEMENTS (profiles); p++)
        {
          g_autoptr(EimzaPortalWebPage) page = eimza_portal_web_page_parse (profiles[p], bytes, &error);
          const char *summary;

          g_assert_no_error (error);
          g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_ESIGNED);
          summary = eimza_portal_web_page_get_sign_summary (page);
          g_assert_true (g_str_has_prefix (summary, "T.C. Kimlik No: " AYSE_TCKN "\n"
                                                    "Ad Soyad: Ayşe Gül Yılmaz\n"));
          g_assert_nonnull (strstr (summary, "\nBaşvuru Nedeni: Yenileme\n"));
          g_assert_nonnull (strstr (summary, "\nİl: Ankara\n"));
          /* The security word is the person's secret. */
          g_assert_null (strstr (summary, "Güvenlik"));
          g_assert_true (g_str_has_prefix (eimza_portal_web_page_get_sign_commitment (page),
                                           "Bu başvuru formunda verdiğim bilgilerin"));

          if (i == 0)
            {
              g_assert_null (eimza_portal_web_page_get_errors (page)[0]);
              g_assert_cmpint (eimza_portal_web_page_get_sign_seconds_left (page), ==,
                               DEFAULT_DEADLINE);
              g_assert_cmpstr (eimza_portal_web_page_get_sign_data_url (page), ==,
                               "/bp/eimzaliveri.go?kod=K7QM4XTP");
              g_assert_cmpstr (eimza_portal_web_page_get_sign_upload_url (page), ==,
                               "/bp/eimzaligonder.go?kod=K7QM4XTP");
            }
          else
            {
              g_assert_nonnull (eimza_portal_web_page_get_errors (page)[0]);
              g_assert_cmpint (eimza_portal_web_page_get_sign_seconds_left (page), ==, -1);
              g_assert_null (eimza_portal_web_page_get_sign_data_url (page));
              g_assert_null (eimza_portal_web_page_get_sign_upload_url (page));
            }
        }
    }
}

/* Ayşe signs her application with her own card: the application number,
 * which the portal also shows afterwards. */
static void
test_happy_path (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(EimzaPortalSignDocument) copy = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  g_autofree char *again = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  g_assert_true (g_str_has_prefix (document->summary, "T.C. Kimlik No: " AYSE_TCKN "\n"));
  g_assert_nonnull (strstr (document->summary, "\nKurum Adı: Çankaya Atatürk Anadolu Lisesi\n"));
  g_assert_true (g_str_has_prefix (document->commitment, "Bu başvuru formunda"));
  assert_deadline_within (document, DEFAULT_DEADLINE);

  /* The bytes contain what the page showed, line by line. */
  text = g_strndup (g_bytes_get_data (document->data, NULL), g_bytes_get_size (document->data));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  lines = g_strsplit (document->summary, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strconcat ("\n", lines[i], "\n", NULL);

      g_assert_nonnull (strstr (text, line));
    }
  g_assert_nonnull (strstr (text, document->commitment));

  copy = eimza_portal_sign_document_copy (document);
  g_assert_true (g_bytes_equal (copy->data, document->data));
  g_assert_cmpstr (copy->summary, ==, document->summary);

  /* Nothing made yet: the portal waits for the signature. */
  again = check_application (f, &error);
  g_assert_null (again);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  cms = sign (AYSE_LABEL, document->data);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);

  again = check_application (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, number);
}

/* Mehmet has no e-onay, and signs with an ECDSA key. */
static void
test_happy_path_ecdsa (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  reach_method_page (f, TRUE);
  document = begin_esigned (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (document->summary, "Ad Soyad: Mehmet Çağrı Öztürk\n"));
  g_assert_nonnull (strstr (document->summary, "\nİl: İzmir\n"));

  cms = sign (MEHMET_LABEL, document->data);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);
}

/* Signed too late: refused; the step starts again with a new document,
 * which can still be signed. */
static void
test_expired (Fixture       *f,
              gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(EimzaPortalSignDocument) second = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GBytes) second_cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  assert_deadline_within (document, 3);
  cms = sign (AYSE_LABEL, document->data);
  g_usleep (4 * G_USEC_PER_SEC);

  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  assert_sensible_message (error);
  g_clear_error (&error);

  number = check_application (f, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  g_clear_error (&error);

  /* Nothing to upload for the expired page. */
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  second = begin_esigned (f, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (second->data, document->data));
  second_cms = sign (AYSE_LABEL, second->data);
  number = upload (f, second_cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (second_cms, second->data);
}

/* Signed with another person's certificate: refused; the code is not used
 * up, and the person's own signature is accepted. */
static void
test_wrong_signer (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(GBytes) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  other = sign (MEHMET_LABEL, document->data);
  number = upload (f, other, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER);
  assert_sensible_message (error);
  g_clear_error (&error);

  own = sign (AYSE_LABEL, document->data);
  number = upload (f, own, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (own, document->data);
}

/* A signature over other bytes than the ones handed out. */
static void
test_content_mismatch (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  /* The same document with another postal code. */
  text = g_strndup (g_bytes_get_data (document->data, NULL), g_bytes_get_size (document->data));
  g_assert_nonnull (strstr (text, "Posta Kodu: 06420"));
  memcpy (strstr (text, "Posta Kodu: 06420") + strlen ("Posta Kodu: 0642"), "1", 1);
  tampered = g_bytes_new (text, strlen (text));

  cms = sign (AYSE_LABEL, tampered);
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
  assert_sensible_message (error);
}

/* The bidi fault: the document keeps its heading, gains a line with an
 * override, an isolate and a zero-width space; a signature over exactly
 * those bytes is accepted. */
static void
test_fault_bidi (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  text = g_strndup (g_bytes_get_data (document->data, NULL), g_bytes_get_size (document->data));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "KAMU SM NİTELİKLİ ELEKTRONİK SERTİFİKA BAŞVURUSU\n"));
  g_assert_nonnull (strstr (text, "\u202E00,001\u202C"));
  g_assert_nonnull (strstr (text, "\u2066"));
  g_assert_nonnull (strstr (text, "\u200B"));

  cms = sign (AYSE_LABEL, document->data);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
}

/* The binary fault: bytes that are not text (a NUL, bytes that are not
 * UTF-8) in front of the document. */
static void
test_fault_binary (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  const char *data;
  gsize size = 0;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  data = g_bytes_get_data (document->data, &size);
  g_assert_cmpuint (size, >, 8);
  g_assert_nonnull (memchr (data, '\0', size));
  g_assert_false (g_utf8_validate_len (data, size, NULL));
}

/* The same signature twice: the second is refused. Nor is a signature of
 * one application worth anything for another one. */
static void
test_replay (Fixture       *f,
             gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(EimzaPortalSignDocument) other = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autofree char *number = NULL;
  g_autofree char *replayed = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);

  replayed = upload (f, cms, &error);
  g_assert_null (replayed);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
  assert_sensible_message (error);
  g_clear_error (&error);

  /* A new application of the same person: the old signature is not over
   * its document. */
  eimza_portal_session_restart_async (f->session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  captcha = eimza_portal_session_restart_finish (f->session, result, &error);
  g_assert_no_error (error);
  other = ayse_document (f);
  g_assert_false (g_bytes_equal (other->data, document->data));

  replayed = upload (f, cms, &error);
  g_assert_null (replayed);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED);
}

/* The portal session ends between the document and the signature. */
static void
test_session_expired (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);
  queue_faults (f, "expire-session");

  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  assert_sensible_message (error);
  g_clear_error (&error);

  /* The document went with the session: nothing is sent. */
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  {
    g_autoptr(EimzaPortalSignDocument) again = begin_esigned (f, &error);

    g_assert_null (again);
    g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  }
}

/* A portal that cannot check signatures says so on the method page, which
 * stays usable for the e-onay application. */
static void
test_no_nes_ca (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  reach_method_page (f, FALSE);
  document = begin_esigned (f, &error);
  g_assert_null (document);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_assert_nonnull (strstr (error->message, "E-imzalı başvuru şu anda alınamıyor"));
  g_clear_error (&error);

  eimza_portal_session_apply_with_eonay_async (f->session, NULL, store_result_cb, f);
  result = wait_for_result (f);
  number = eimza_portal_session_apply_with_eonay_finish (f->session, result, &error);
  g_assert_no_error (error);
  assert_application_number (number);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);
  softhsm_init ();

  g_test_add_func ("/portal/esigned/page", test_page);

#define ADD(path, args, func) \
  g_test_add ("/portal/esigned/" path, Fixture, &(args), fixture_set_up, func, fixture_tear_down)

  ADD ("happy-path", default_args, test_happy_path);
  ADD ("happy-path-ecdsa", default_args, test_happy_path_ecdsa);
  ADD ("expired", short_deadline_args, test_expired);
  ADD ("wrong-signer", default_args, test_wrong_signer);
  ADD ("content-mismatch", default_args, test_content_mismatch);
  ADD ("replay", default_args, test_replay);
  ADD ("session-expired", default_args, test_session_expired);
  ADD ("no-nes-client-ca", no_ca_args, test_no_nes_ca);
  ADD ("faults", default_args, test_faults);
  ADD ("fault-page-expired", default_args, test_fault_page_expired);
  ADD ("upload-timeout", slow_args, test_upload_timeout);
  ADD ("upload-timeout-resolved", slow_args, test_upload_timeout_resolved);
  ADD ("upload-reset", default_args, test_upload_reset);
  ADD ("upload-unknown", default_args, test_upload_unknown);
  ADD ("upload-close-after-post", default_args, test_upload_close_after_post);
  ADD ("slow-upload-late", slow_late_args, test_slow_upload_late);
  ADD ("upload-without-document", default_args, test_upload_without_document);
  ADD ("fault-bidi", bidi_args, test_fault_bidi);
  ADD ("fault-binary", binary_args, test_fault_binary);

#undef ADD

  result = g_test_run ();
  softhsm_cleanup ();
  g_clear_object (&profile);
  return result;
}
