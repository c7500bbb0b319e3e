/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaNesClient: the e-signed login (T.C. Kimlik No, then the code to sign). */
#include "config.h"

#include "eimza-nes-client-private.h"

/* The login's second request: the T.C. Kimlik No from the form just loaded. */
void
eimza_nes_client_post_tckn (GTask *task)
{
  EimzaNesClient *self = g_task_get_source_object (task);
  EimzaEonayStepData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  EimzaPortalFormBody *form_body = eimza_nes_client_body_new (self->page);

  eimza_portal_form_body_add (form_body, eimza_eonay_profile_get_field (self->nes, EIMZA_EONAY_FIELD_TCKN),
               data->tckn);
  body = eimza_nes_client_body_end (self, self->page, form_body, EIMZA_EONAY_SUBMIT_LOGIN);
  eimza_nes_client_step_post (task, EIMZA_EONAY_PATH_LOGIN, body);
}

void
eimza_nes_client_log_in_async (EimzaNesClient      *self,
                               const char          *tckn,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EimzaEonayStepData *data;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (tckn != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_nes_client_step_begin (self, NES_STEP_LOG_IN, eimza_nes_client_log_in_async,
                                      EIMZA_NES_WEB_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  data->tckn = g_strstrip (g_strdup (tckn));

  /* A new login forgets the old one: the site starts it over too. */
  g_clear_object (&self->page);
  g_clear_pointer (&self->tckn, g_free);
  g_clear_pointer (&self->holder, g_free);

  eimza_nes_client_step_get (task, EIMZA_EONAY_PATH_LOGIN);
}

char *
eimza_nes_client_log_in_finish (EimzaNesClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_nes_client_log_in_async, error);
}
