/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaPortalSession: the sign-in page and its captcha, a new start, the sign-in. */
#include "config.h"

#include "eimza-portal-session-private.h"

static void step_captcha_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

void
eimza_portal_session_step_get_captcha (GTask *task)
{
  EimzaPortalSession *self = g_task_get_source_object (task);
  EimzaPortalStepData *data = g_task_get_task_data (task);
  g_autoptr(GUri) uri = NULL;

  if (data->step == PORTAL_STEP_REFRESH_CAPTCHA)
    uri = eimza_portal_session_resolve_path (self, EIMZA_PORTAL_PATH_CAPTCHA_REFRESH);
  else
    {
      const char *src = eimza_portal_web_page_get_captcha_url (self->page);

      /* The page's own image address first: it may carry a token. */
      if (src != NULL)
        uri = g_uri_parse_relative (self->page_uri != NULL ? self->page_uri : self->site.base_uri,
                                    src, G_URI_FLAGS_NONE, NULL);
      if (uri == NULL || !eimza_portal_request_same_origin (uri, self->site.base_uri))
        {
          g_clear_pointer (&uri, g_uri_unref);
          uri = eimza_portal_session_resolve_path (self, EIMZA_PORTAL_PATH_CAPTCHA);
        }
    }

  eimza_portal_session_request_async (self, uri, NULL, PORTAL_EXPECT_IMAGE, g_task_get_cancellable (task),
                                      step_captcha_cb, g_object_ref (task));
}

static void
step_captcha_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(EimzaPortalResponse) response = NULL;
  GError *error = NULL;

  response = eimza_portal_session_request_finish (self, result, &error);
  if (response == NULL)
    {
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  if (response->page != NULL)
    {
      /* Only an expired session's page comes back instead of an image. */
      g_set_object (&self->page, response->page);
      eimza_portal_session_check_page (self, response->page, EIMZA_PORTAL_WEB_PAGE_LOGIN, &error);
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  eimza_site_client_step_return_pointer (task, g_steal_pointer (&response->image), (GDestroyNotify) g_bytes_unref);
}

static void
step_login_page_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(EimzaPortalResponse) response = NULL;
  EimzaPortalWebPageKind kind;
  GError *error = NULL;

  response = eimza_portal_session_request_finish (self, result, &error);
  if (response == NULL)
    {
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  /* A fresh session may still see the expiry message of the one it
   * replaces: that page is a sign-in page all the same. */
  kind = eimza_portal_web_page_get_kind (response->page);
  if (kind != EIMZA_PORTAL_WEB_PAGE_LOGIN && kind != EIMZA_PORTAL_WEB_PAGE_SESSION_EXPIRED)
    {
      eimza_portal_session_check_page (self, response->page, EIMZA_PORTAL_WEB_PAGE_LOGIN, &error);
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  eimza_portal_session_remember_page (self, response);
  eimza_portal_session_step_get_captcha (task);
}

void
eimza_portal_session_step_open (GTask *task)
{
  EimzaPortalSession *self = g_task_get_source_object (task);
  g_autoptr(GUri) uri = eimza_portal_session_resolve_path (self, EIMZA_PORTAL_PATH_LOGIN);

  eimza_portal_session_request_async (self, uri, NULL, PORTAL_EXPECT_PAGE, g_task_get_cancellable (task),
                                      step_login_page_cb, g_object_ref (task));
}

void
eimza_portal_session_open_async (EimzaPortalSession  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_OPEN, eimza_portal_session_open_async,
                                          EIMZA_PORTAL_WEB_PAGE_UNKNOWN, NULL, cancellable, callback, user_data);
  if (task != NULL)
    eimza_portal_session_step_open (task);
}

GBytes *
eimza_portal_session_open_finish (EimzaPortalSession  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_open_async, error);
}

void
eimza_portal_session_refresh_captcha_async (EimzaPortalSession  *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_REFRESH_CAPTCHA, eimza_portal_session_refresh_captcha_async,
                                          EIMZA_PORTAL_WEB_PAGE_UNKNOWN, NULL, cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (self->page == NULL)
    eimza_portal_session_step_open (task);
  else
    eimza_portal_session_step_get_captcha (task);
}

GBytes *
eimza_portal_session_refresh_captcha_finish (EimzaPortalSession  *self,
                                             GAsyncResult        *result,
                                             GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_refresh_captcha_async, error);
}

void
eimza_portal_session_restart_async (EimzaPortalSession  *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_RESTART, eimza_portal_session_restart_async,
                                          EIMZA_PORTAL_WEB_PAGE_UNKNOWN, NULL, cancellable, callback, user_data);
  if (task == NULL)
    return;

  eimza_site_client_clear_cookies (&self->site);
  g_clear_object (&self->page);
  g_clear_pointer (&self->page_uri, g_uri_unref);
  g_clear_pointer (&self->sms_state, eimza_portal_sms_state_free);
  g_clear_pointer (&self->sign_upload_uri, g_uri_unref);
  eimza_portal_session_clear_field_errors (self);

  eimza_portal_session_step_open (task);
}

GBytes *
eimza_portal_session_restart_finish (EimzaPortalSession  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_restart_async, error);
}

void
eimza_portal_session_log_in_async (EimzaPortalSession  *self,
                                   EimzaRenewalForm    *form,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  EimzaPortalFormBody *form_body;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (EIMZA_IS_RENEWAL_FORM (form));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_LOG_IN, eimza_portal_session_log_in_async,
                                          EIMZA_PORTAL_WEB_PAGE_LOGIN, form, cancellable, callback, user_data);
  if (task == NULL)
    return;

  eimza_portal_session_clear_field_errors (self);
  form_body = eimza_portal_session_body_new (self);
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      if (eimza_renewal_form_field_step (field) == EIMZA_STEP_LOGIN)
        eimza_portal_form_body_add_field (form_body, self->site.profile, form, field);
    }
  body = eimza_portal_session_body_end (self, form_body, EIMZA_PORTAL_SUBMIT_LOGIN);

  eimza_portal_session_step_post (task, EIMZA_PORTAL_PATH_LOGIN, body);
}

gboolean
eimza_portal_session_log_in_finish (EimzaPortalSession  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), FALSE);

  return eimza_site_client_propagate_boolean (self, result, eimza_portal_session_log_in_async, error);
}

