/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaPortalSession: the application form, SMS approval, the application with e-onay. */
#include "config.h"

#include "eimza-portal-session-private.h"

void
eimza_portal_session_submit_form_async (EimzaPortalSession  *self,
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

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_SUBMIT_FORM, eimza_portal_session_submit_form_async,
                                          EIMZA_PORTAL_WEB_PAGE_FORM, form, cancellable, callback, user_data);
  if (task == NULL)
    return;

  eimza_portal_session_clear_field_errors (self);
  form_body = eimza_portal_session_body_new (self);
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      /* The institution is the portal's own, read-only data. */
      if (eimza_renewal_form_field_step (field) == EIMZA_STEP_FORM &&
          field != EIMZA_FIELD_INSTITUTION_REGISTRY_NO &&
          field != EIMZA_FIELD_INSTITUTION_NAME)
        eimza_portal_form_body_add_field (form_body, self->site.profile, form, field);
    }
  body = eimza_portal_session_body_end (self, form_body, EIMZA_PORTAL_SUBMIT_FORM);

  eimza_portal_session_step_post (task, EIMZA_PORTAL_PATH_FORM, body);
}

EimzaPortalSmsState *
eimza_portal_session_submit_form_finish (EimzaPortalSession  *self,
                                         GAsyncResult        *result,
                                         GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_submit_form_async, error);
}

void
eimza_portal_session_send_sms_async (EimzaPortalSession  *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_SEND_SMS, eimza_portal_session_send_sms_async,
                                          EIMZA_PORTAL_WEB_PAGE_SMS, NULL, cancellable, callback, user_data);
  if (task == NULL)
    return;

  body = eimza_portal_session_body_end (self, eimza_portal_session_body_new (self), EIMZA_PORTAL_SUBMIT_SMS_SEND);
  eimza_portal_session_step_post (task, EIMZA_PORTAL_PATH_SMS, body);
}

EimzaPortalSmsState *
eimza_portal_session_send_sms_finish (EimzaPortalSession  *self,
                                      GAsyncResult        *result,
                                      GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_send_sms_async, error);
}

void
eimza_portal_session_verify_sms_async (EimzaPortalSession  *self,
                                       const char          *code,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *trimmed = NULL;
  EimzaPortalFormBody *form_body;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_VERIFY_SMS, eimza_portal_session_verify_sms_async,
                                          EIMZA_PORTAL_WEB_PAGE_SMS, NULL, cancellable, callback, user_data);
  if (task == NULL)
    return;

  trimmed = g_strstrip (g_strdup (code));
  form_body = eimza_portal_session_body_new (self);
  eimza_portal_form_body_add (form_body, eimza_portal_profile_get_sms_code_name (self->site.profile), trimmed);
  body = eimza_portal_session_body_end (self, form_body, EIMZA_PORTAL_SUBMIT_SMS_VERIFY);
  g_clear_pointer (&trimmed, eimza_wiped_string_free);

  eimza_portal_session_step_post (task, EIMZA_PORTAL_PATH_SMS, body);
}

gboolean
eimza_portal_session_verify_sms_finish (EimzaPortalSession  *self,
                                        GAsyncResult        *result,
                                        gboolean            *out_eonay_available,
                                        GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), FALSE);

  return eimza_site_client_propagate_flag (self, result, eimza_portal_session_verify_sms_async, out_eonay_available, error);
}

void
eimza_portal_session_apply_with_eonay_async (EimzaPortalSession  *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_portal_session_step_begin (self, PORTAL_STEP_APPLY_WITH_EONAY, eimza_portal_session_apply_with_eonay_async,
                                          EIMZA_PORTAL_WEB_PAGE_METHOD, NULL, cancellable, callback, user_data);
  if (task == NULL)
    return;

  /* The portal would refuse anyway; saying so here saves a round trip and
   * keeps the page usable for the e-imza method. */
  if (!eimza_portal_web_page_get_eonay_available (self->page))
    {
      eimza_portal_session_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_NOT_AVAILABLE));
      return;
    }

  body = eimza_portal_session_body_end (self, eimza_portal_session_body_new (self), EIMZA_PORTAL_SUBMIT_EONAY);
  eimza_portal_session_step_post (task, EIMZA_PORTAL_PATH_METHOD, body);
}

char *
eimza_portal_session_apply_with_eonay_finish (EimzaPortalSession  *self,
                                              GAsyncResult        *result,
                                              GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_apply_with_eonay_async, error);
}

