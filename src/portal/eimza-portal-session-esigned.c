/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaPortalSession: the e-signed application, its signature's upload and what a lost answer leaves. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-portal-session-private.h"

static void step_document_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

/* An address the e-signed application's page gives, resolved against the
 * page; NULL unless it stays on the portal. */
static GUri *
resolve_page_url (EimzaPortalSession *self,
                  const char         *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return NULL;

  uri = g_uri_parse_relative (self->page_uri != NULL ? self->page_uri : self->site.base_uri, url,
                              G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || !eimza_portal_request_same_origin (uri, self->site.base_uri))
    return NULL;

  return g_steal_pointer (&uri);
}

/* The e-signed application's page without a code to sign: its deadline
 * passed (the page says so), or the step was dropped. */
GError *
eimza_portal_session_sign_page_expired (EimzaPortalWebPage *page)
{
  const char *message = eimza_portal_web_page_get_errors (page)[0];

  return g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED,
                              message != NULL ? message
                                              : eimza_portal_error_describe (EIMZA_PORTAL_ERROR_CODE_EXPIRED));
}

/* Whether an upload that failed with @error may still have arrived: the
 * answer was lost on the way back (time-out, broken connection, a server
 * error after the POST), or, after such a loss, the portal refuses the
 * code as used, maybe by that very signature. */
gboolean
eimza_portal_session_upload_may_have_arrived (EimzaPortalSession *self,
                                              const GError       *error)
{
  return g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK) ||
         g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT) ||
         g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SERVER) ||
         (self->upload_uncertain &&
          g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID));
}

/* An upload's answer was lost: before anything is reported, the portal is
 * asked whether the application was made (a GET of the result page, by
 * eimza_portal_session_step_post_cb as for check_application). The person then hears the
 * application number, a definite "not yet" (@error, with a sentence that
 * says so after a time-out) or %EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN. */
void
eimza_portal_session_resolve_upload (GTask  *task,
                                     GError *error)
{
  EimzaPortalSession *self = g_task_get_source_object (task);
  EimzaPortalStepData *data = g_task_get_task_data (task);
  g_autoptr(GUri) uri = NULL;

  g_debug ("The upload's answer was lost; asking whether the application was made");
  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT))
    {
      g_error_free (error);
      error = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT,
                                   _("The portal did not answer in time and has made no "
                                     "application yet. Your signature may have reached it "
                                     "and still be on its way: sending it again is safe."));
    }

  self->upload_uncertain = TRUE;
  data->upload_error = error;
  data->step = PORTAL_STEP_CHECK_APPLICATION;
  uri = eimza_portal_session_resolve_path (self, EIMZA_PORTAL_PATH_RESULT);
  eimza_portal_session_request_async (self, uri, NULL, PORTAL_EXPECT_PAGE, g_task_get_cancellable (task), eimza_portal_session_step_post_cb,
                                      g_object_ref (task));
}

/* The e-signed application's page came: remember where the signature
 * goes and fetch the exact bytes to sign. */
void
eimza_portal_session_begin_esigned_page (GTask              *task,
                                         EimzaPortalWebPage *page)
{
  EimzaPortalSession *self = g_task_get_source_object (task);
  EimzaPortalStepData *data = g_task_get_task_data (task);
  g_autoptr(GUri) data_uri = resolve_page_url (self, eimza_portal_web_page_get_sign_data_url (page));
  g_autoptr(GUri) upload_uri = resolve_page_url (self,
                                                 eimza_portal_web_page_get_sign_upload_url (page));
  int seconds_left = eimza_portal_web_page_get_sign_seconds_left (page);

  if (data_uri == NULL || upload_uri == NULL)
    {
      g_debug ("E-signed application page without usable signer addresses");
      eimza_portal_session_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
      return;
    }

  /* On this computer's clock, so that a wrong clock does not matter. */
  if (seconds_left >= 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      data->deadline = g_date_time_add_seconds (now, seconds_left);
    }
  data->sign_page = g_object_ref (page);
  g_clear_pointer (&self->sign_upload_uri, g_uri_unref);
  self->sign_upload_uri = g_steal_pointer (&upload_uri);

  eimza_portal_session_request_async (self, data_uri, NULL, PORTAL_EXPECT_DOCUMENT, g_task_get_cancellable (task),
                                      step_document_cb, g_object_ref (task));
}

static void
step_document_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (object);
  g_autoptr(GTask) task = user_data;
  EimzaPortalStepData *data = g_task_get_task_data (task);
  g_autoptr(EimzaPortalResponse) response = NULL;
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  const char *summary;
  const char *commitment;
  GError *error = NULL;

  response = eimza_portal_session_request_finish (self, result, &error);
  if (response == NULL)
    {
      /* Nothing to sign: nothing to upload either. */
      g_clear_pointer (&self->sign_upload_uri, g_uri_unref);
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  if (response->page != NULL)
    {
      /* Only an expired session's page comes back instead of the bytes. */
      g_set_object (&self->page, response->page);
      g_clear_pointer (&self->sign_upload_uri, g_uri_unref);
      eimza_portal_session_check_page (self, response->page, EIMZA_PORTAL_WEB_PAGE_ESIGNED, &error);
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  summary = eimza_portal_web_page_get_sign_summary (data->sign_page);
  commitment = eimza_portal_web_page_get_sign_commitment (data->sign_page);

  document = g_new0 (EimzaPortalSignDocument, 1);
  document->summary = g_strdup (summary != NULL ? summary : "");
  document->commitment = g_strdup (commitment != NULL ? commitment : "");
  document->data = g_steal_pointer (&response->document);
  document->deadline = g_steal_pointer (&data->deadline);

  eimza_site_client_step_return_pointer (task, g_steal_pointer (&document),
                                         (GDestroyNotify) eimza_portal_sign_document_free);
}

static void
begin_method_page_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(EimzaPortalResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  response = eimza_portal_session_request_finish (self, result, &error);
  if (response == NULL)
    {
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  if (eimza_portal_web_page_get_kind (response->page) != EIMZA_PORTAL_WEB_PAGE_UNKNOWN)
    eimza_portal_session_remember_page (self, response);
  if (!eimza_portal_session_check_page (self, response->page, EIMZA_PORTAL_WEB_PAGE_METHOD, &error))
    {
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  body = eimza_portal_session_body_end (self, eimza_portal_session_body_new (self), EIMZA_PORTAL_SUBMIT_ESIGN);
  eimza_portal_session_step_post (task, EIMZA_PORTAL_PATH_METHOD, body);
}

void
eimza_portal_session_begin_esigned_async (EimzaPortalSession  *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  EimzaPortalWebPageKind kind;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_BEGIN_ESIGNED, eimza_portal_session_begin_esigned_async,
                                          EIMZA_PORTAL_WEB_PAGE_UNKNOWN, NULL, cancellable, callback, user_data);
  if (task == NULL)
    return;

  /* A new start forgets the old code: the portal drops it too. */
  g_clear_pointer (&self->sign_upload_uri, g_uri_unref);
  self->upload_uncertain = FALSE;
  kind = self->page != NULL ? eimza_portal_web_page_get_kind (self->page) : EIMZA_PORTAL_WEB_PAGE_UNKNOWN;

  if (kind == EIMZA_PORTAL_WEB_PAGE_METHOD)
    {
      body = eimza_portal_session_body_end (self, eimza_portal_session_body_new (self), EIMZA_PORTAL_SUBMIT_ESIGN);
      eimza_portal_session_step_post (task, EIMZA_PORTAL_PATH_METHOD, body);
    }
  else if (kind == EIMZA_PORTAL_WEB_PAGE_ESIGNED)
    {
      /* Again, after an expired code or a refused signature: from the
       * method page, whose view state the POST needs. */
      g_autoptr(GUri) uri = eimza_portal_session_resolve_path (self, EIMZA_PORTAL_PATH_METHOD);

      eimza_portal_session_request_async (self, uri, NULL, PORTAL_EXPECT_PAGE, cancellable, begin_method_page_cb,
                                          g_steal_pointer (&task));
    }
  else
    {
      g_debug ("E-signed application asked for away from the method page");
      eimza_portal_session_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_SESSION_EXPIRED));
    }
}

EimzaPortalSignDocument *
eimza_portal_session_begin_esigned_finish (EimzaPortalSession  *self,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_begin_esigned_async, error);
}

void
eimza_portal_session_upload_signature_async (EimzaPortalSession  *self,
                                             GBytes              *cms,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (cms != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_UPLOAD_SIGNATURE, eimza_portal_session_upload_signature_async,
                                          EIMZA_PORTAL_WEB_PAGE_UNKNOWN, NULL, cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (self->sign_upload_uri == NULL)
    {
      eimza_portal_session_step_return_error (task, g_error_new_literal (EIMZA_PORTAL_ERROR,
                                                                         EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
                                                                         _("There is no document of the portal to "
                                                                           "sign: start the e-signed application "
                                                                           "first.")));
      return;
    }

  /* A POST: sent once, never again by itself (request_fail()). */
  eimza_portal_session_request_async (self, self->sign_upload_uri, cms, PORTAL_EXPECT_UPLOAD, cancellable, eimza_portal_session_step_post_cb,
                                      g_steal_pointer (&task));
}

char *
eimza_portal_session_upload_signature_finish (EimzaPortalSession  *self,
                                              GAsyncResult        *result,
                                              GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_upload_signature_async, error);
}

void
eimza_portal_session_check_application_async (EimzaPortalSession  *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_CHECK_APPLICATION, eimza_portal_session_check_application_async,
                                          EIMZA_PORTAL_WEB_PAGE_UNKNOWN, NULL, cancellable, callback, user_data);
  if (task == NULL)
    return;

  /* A GET: the portal shows the result page once the application is
   * made, and the page it is still at otherwise. */
  uri = eimza_portal_session_resolve_path (self, EIMZA_PORTAL_PATH_RESULT);
  eimza_portal_session_request_async (self, uri, NULL, PORTAL_EXPECT_PAGE, cancellable, eimza_portal_session_step_post_cb,
                                      g_steal_pointer (&task));
}

char *
eimza_portal_session_check_application_finish (EimzaPortalSession  *self,
                                               GAsyncResult        *result,
                                               GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_check_application_async, error);
}

void
eimza_portal_session_reload_method_async (EimzaPortalSession  *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* From the method page or the e-signed one that it leads to. */
  task = eimza_portal_session_step_begin (self, PORTAL_STEP_RELOAD_METHOD, eimza_portal_session_reload_method_async,
                                          EIMZA_PORTAL_WEB_PAGE_UNKNOWN, NULL, cancellable, callback, user_data);
  if (task == NULL)
    return;

  uri = eimza_portal_session_resolve_path (self, EIMZA_PORTAL_PATH_METHOD);
  eimza_portal_session_request_async (self, uri, NULL, PORTAL_EXPECT_PAGE, cancellable, eimza_portal_session_step_post_cb,
                                      g_steal_pointer (&task));
}

gboolean
eimza_portal_session_reload_method_finish (EimzaPortalSession  *self,
                                           GAsyncResult        *result,
                                           gboolean            *out_eonay_available,
                                           GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), FALSE);

  return eimza_site_client_propagate_flag (self, result, eimza_portal_session_reload_method_async, out_eonay_available, error);
}

