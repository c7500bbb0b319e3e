/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaNesClient: the e-onay operations: its status, consent and cancellation. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-nes-client-private.h"

EimzaEonayStatus *
eimza_nes_client_status_from_page (EimzaNesWebPage *page)
{
  EimzaEonayStatus *status = g_new0 (EimzaEonayStatus, 1);

  status->active = eimza_nes_web_page_get_eonay_active (page);
  if (!status->active)
    {
      status->explanation = g_strdup (eimza_nes_web_page_get_explanation (page));
      status->commitment = g_strdup (eimza_nes_web_page_get_commitment (page));
    }
  status->time_limit = eimza_nes_web_page_get_time_limit (page);
  return status;
}

void
eimza_nes_client_open_eonay_async (EimzaNesClient      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_nes_client_step_begin (self, NES_STEP_OPEN_EONAY, eimza_nes_client_open_eonay_async,
                                      EIMZA_NES_WEB_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task != NULL)
    eimza_nes_client_step_get (task, EIMZA_EONAY_PATH_EONAY);
}

EimzaEonayStatus *
eimza_nes_client_open_eonay_finish (EimzaNesClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_nes_client_open_eonay_async, error);
}

void
eimza_nes_client_consent_async (EimzaNesClient      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  EimzaPortalFormBody *form_body;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_nes_client_step_begin (self, NES_STEP_CONSENT, eimza_nes_client_consent_async,
                                      EIMZA_NES_WEB_PAGE_EONAY, cancellable, callback, user_data);
  if (task == NULL)
    return;

  /* The page the person read; an active e-onay has nothing to consent to. */
  if (eimza_nes_web_page_get_eonay_active (self->page))
    {
      eimza_site_client_step_return_error (task, g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_REJECTED,
                                                                      _("The e-onay is already active.")));
      return;
    }

  form_body = eimza_nes_client_body_new (self->page);
  eimza_portal_form_body_add (form_body, eimza_eonay_profile_get_field (self->nes, EIMZA_EONAY_FIELD_CONSENT),
               eimza_eonay_profile_get_field (self->nes, EIMZA_EONAY_FIELD_CONSENT_VALUE));
  body = eimza_nes_client_body_end (self, self->page, form_body, EIMZA_EONAY_SUBMIT_CONSENT);
  eimza_nes_client_step_post (task, EIMZA_EONAY_PATH_EONAY, body);
}

char *
eimza_nes_client_consent_finish (EimzaNesClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_nes_client_consent_async, error);
}

void
eimza_nes_client_get_status_async (EimzaNesClient      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_nes_client_step_begin (self, NES_STEP_GET_STATUS, eimza_nes_client_get_status_async,
                                      EIMZA_NES_WEB_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task != NULL)
    eimza_nes_client_step_get (task, EIMZA_EONAY_PATH_EONAY);
}

gboolean
eimza_nes_client_get_status_finish (EimzaNesClient  *self,
                                    GAsyncResult    *result,
                                    gboolean        *out_active,
                                    GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), FALSE);

  return eimza_site_client_propagate_flag (self, result, eimza_nes_client_get_status_async, out_active, error);
}

void
eimza_nes_client_cancel_eonay_async (EimzaNesClient      *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_nes_client_step_begin (self, NES_STEP_CANCEL_EONAY, eimza_nes_client_cancel_eonay_async,
                                      EIMZA_NES_WEB_PAGE_EONAY, cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (!eimza_nes_web_page_get_eonay_active (self->page))
    {
      eimza_site_client_step_return_error (task, g_error_new_literal (EIMZA_PORTAL_ERROR,
                                                                      EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
                                                                      _("There is no active e-onay to cancel.")));
      return;
    }

  body = eimza_nes_client_body_end (self, self->page, eimza_nes_client_body_new (self->page), EIMZA_EONAY_SUBMIT_CANCEL);
  eimza_nes_client_step_post (task, EIMZA_EONAY_PATH_EONAY, body);
}

gboolean
eimza_nes_client_cancel_eonay_finish (EimzaNesClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), FALSE);

  return eimza_site_client_propagate_boolean (self, result, eimza_nes_client_cancel_eonay_async, error);
}
