/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-signed application's upload against the simulator's faults: time-outs, resets, lost answers. */
#include "config.h"

#include "esigned-application-fixture.h"

/* The NES site's signature faults on the portal's upload; none of them
 * uses the code up. */
void
test_faults (Fixture       *f,
             gconstpointer  user_data)
{
  static const struct {
    const char *fault;
    EimzaPortalError code;
  } cases[] = {
    { "signer-mismatch", EIMZA_PORTAL_ERROR_WRONG_SIGNER },
    { "content-mismatch", EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED },
    { "signature-replayed", EIMZA_PORTAL_ERROR_CODE_INVALID },
    { "code-expired", EIMZA_PORTAL_ERROR_CODE_EXPIRED },
  };
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *refused = NULL;

      g_test_message ("fault %s", cases[i].fault);
      queue_faults (f, cases[i].fault);
      refused = upload (f, cms, &error);
      g_assert_null (refused);
      g_assert_error (error, EIMZA_PORTAL_ERROR, (int) cases[i].code);
      assert_sensible_message (error);
      g_clear_error (&error);
    }

  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);
}

/* The code-expired fault on the e-signed page: nothing to sign. */
void
test_fault_page_expired (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  if (f->session == NULL)
    return;

  reach_method_page (f, FALSE);
  /* The POST on the method page takes the first fault, which means
   * nothing there; the e-signed page after its 303 takes the second. */
  queue_faults (f, "wrong-captcha,code-expired");
  document = begin_esigned (f, &error);
  g_assert_null (document);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  assert_sensible_message (error);
  g_clear_error (&error);

  /* Started again from the expired page. */
  document = begin_esigned (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
}

/* The upload takes longer than the client waits: the client says the
 * signature may have arrived and never sends it again by itself. The
 * simulator holds it back (4 s) past the client's time-out (2 s) and then
 * handles it: first the portal still waits, then the application is made,
 * and the same signature sent again is refused as a replay. */
void
test_upload_timeout (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *again = NULL;
  gint64 give_up;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  queue_faults (f, "slow-upload");
  eimza_portal_session_set_timeout (f->session, 2);
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "may have reached"));
  g_clear_error (&error);
  eimza_portal_session_set_timeout (f->session, TEST_TIMEOUT);

  number = check_application (f, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (number == NULL && g_get_monotonic_time () < give_up)
    {
      g_usleep (G_USEC_PER_SEC / 2);
      number = check_application (f, &error);
      if (number == NULL)
        {
          g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
          g_clear_error (&error);
        }
    }
  assert_application_number (number);
  assert_openssl_verifies (cms, document->data);

  again = upload (f, cms, &error);
  g_assert_null (again);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
}

/* The session asks itself after a lost answer. The upload is held back
 * (4 s) past the client's time-out (2 s); once the portal has handled it,
 * the same signature sent again is refused as used, and the session, which
 * knows the first answer was lost, asks the portal and reports the
 * application that our first upload made. */
void
test_upload_timeout_resolved (Fixture       *f,
                              gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *again = NULL;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  queue_faults (f, "slow-upload");
  eimza_portal_session_set_timeout (f->session, 2);
  number = upload (f, cms, &error);
  g_assert_null (number);
  /* Asked already: the portal has no application yet, a definite answer. */
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  g_assert_true (eimza_portal_error_can_retry (error));
  g_clear_error (&error);
  eimza_portal_session_set_timeout (f->session, TEST_TIMEOUT);

  /* The held upload is handled 4 s after it was sent. */
  g_usleep (3 * G_USEC_PER_SEC);
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);

  again = check_application (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, number);

  /* Known now: a copy sent once more is a plain refusal again. */
  g_clear_pointer (&again, g_free);
  again = upload (f, cms, &error);
  g_assert_null (again);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID);
}

/* The connection breaks right after the POST: the session asks the
 * portal, which never saw the signature, so the answer is the network
 * failure as a definite "not arrived"; the same signature then goes
 * through. */
void
test_upload_reset (Fixture       *f,
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

  queue_faults (f, "reset");
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK);
  g_assert_true (eimza_portal_error_can_retry (error));
  g_clear_error (&error);

  number = check_application (f, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
}

/* The portal handles the upload, then closes the kept-alive connection it
 * came on before answering: the signature arrives once (libsoup never
 * sends a POST again, and neither does the session), and the session asks
 * the portal, which has made the application. */
void
test_upload_close_after_post (Fixture       *f,
                              gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *again = NULL;
  g_autofree char *count = NULL;
  guint64 n_submissions;

  if (f->session == NULL)
    return;

  document = ayse_document (f);
  cms = sign (AYSE_LABEL, document->data);

  count = sim_request (f, "GET", "/_sim/submissions", NULL);
  n_submissions = g_ascii_strtoull (count, NULL, 10);
  queue_faults (f, "close-after-post");
  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);

  g_clear_pointer (&count, g_free);
  count = sim_request (f, "GET", "/_sim/submissions", NULL);
  g_assert_cmpuint (g_ascii_strtoull (count, NULL, 10), ==, n_submissions + 1);

  again = check_application (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, number);
}

/* The connection breaks after the POST and on every try of the question
 * too (the GET is tried three times): nobody knows, and the session says
 * so instead of guessing. Asking later tells. */
void
test_upload_unknown (Fixture       *f,
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

  queue_faults (f, "reset,reset,reset,reset");
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN);
  assert_sensible_message (error);
  g_assert_true (eimza_portal_error_can_retry (error));
  g_clear_error (&error);

  number = check_application (f, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  number = upload (f, cms, &error);
  g_assert_no_error (error);
  assert_application_number (number);
}

/* slow-upload with a short deadline: held back past it, then refused. */
void
test_slow_upload_late (Fixture       *f,
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
  queue_faults (f, "slow-upload");
  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
}

/* Uploading before any document was handed out sends nothing. */
void
test_upload_without_document (Fixture       *f,
                              gconstpointer  user_data)
{
  g_autoptr(GBytes) cms = g_bytes_new_static ("0", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  if (f->session == NULL)
    return;

  number = upload (f, cms, &error);
  g_assert_null (number);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  assert_sensible_message (error);
}
