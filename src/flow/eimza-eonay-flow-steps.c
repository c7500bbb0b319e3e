/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaEonayFlow after the login: what to sign, the signature, the e-onay page, consent, result. */
#include "config.h"

#include "eimza-card-signing.h"
#include "eimza-eonay-flow-private.h"

void
eimza_eonay_flow_got_code (EimzaEonayFlow    *self,
                           char              *code,
                           EimzaEonayPurpose  purpose)
{
  g_free (self->code);
  self->code = code;
  eimza_eonay_flow_set_purpose (self, purpose);
  eimza_eonay_flow_step_fetch (self);
}

/* -- what to sign ---------------------------------------------------------- */

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayFlow *self = g_task_get_source_object (task);
  EimzaEonaySignData *data;
  GError *error = NULL;

  data = eimza_nes_client_fetch_sign_data_finish (EIMZA_NES_CLIENT (source), result, &error);
  if (!eimza_eonay_flow_is_current (self, task, &error))
    {
      g_clear_pointer (&data, eimza_eonay_sign_data_free);
      return;
    }

  if (data == NULL)
    {
      if (eimza_eonay_flow_handle_common_error (self, error))
        return;
      /* An expired or unknown code: retry starts the step over. */
      if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED) ||
          g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID))
        self->last_request = REQ_RESTART;
      eimza_eonay_flow_fail (self, error, TRUE);
      return;
    }

  if (data->purpose != EIMZA_EONAY_PURPOSE_UNKNOWN)
    eimza_eonay_flow_set_purpose (self, data->purpose);
  g_clear_pointer (&self->cms, g_bytes_unref);
  eimza_eonay_flow_set_sign_data (self, data);
  eimza_eonay_flow_succeed_in (self, EIMZA_EONAY_FLOW_STATE_SIGN);
}

void
eimza_eonay_flow_step_fetch (EimzaEonayFlow *self)
{
  self->last_request = REQ_FETCH;
  eimza_eonay_flow_set_state (self, EIMZA_EONAY_FLOW_STATE_FETCHING);
  eimza_nes_client_fetch_sign_data_async (self->session, self->code, self->cancellable,
                                          fetch_cb, g_object_ref (self->task));
}

/* -- the signature --------------------------------------------------------- */

/* The code's signature was accepted: on to the next step. */
static void
upload_accepted (EimzaEonayFlow *self)
{
  g_clear_pointer (&self->cms, g_bytes_unref);
  g_clear_error (&self->upload_error);
  eimza_eonay_flow_signature_accepted (self);

  if (self->purpose == EIMZA_EONAY_PURPOSE_EONAY)
    {
      self->cancelled_now = FALSE;
      eimza_eonay_flow_step_status (self);
    }
  else
    {
      self->reconsent = FALSE;
      eimza_eonay_flow_step_open (self);
    }
}

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayFlow *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (eimza_nes_client_upload_signature_finish (EIMZA_NES_CLIENT (source), result, &error))
    {
      /* Arrived, though the person left: nothing more to say. */
      if (!eimza_eonay_flow_is_current (self, task, &error))
        return;
      upload_accepted (self);
      return;
    }
  if (!eimza_eonay_flow_is_current (self, task, &error))
    return;

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID))
    {
      /* The code may be used up by this very signature (an earlier try
       * that arrived after all): the site's state tells. */
      g_clear_error (&self->upload_error);
      self->upload_error = error;
      if (self->purpose == EIMZA_EONAY_PURPOSE_EONAY)
        eimza_eonay_flow_step_status (self);
      else
        eimza_eonay_flow_step_open (self);
      return;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      eimza_eonay_flow_handle_common_error (self, error);
      return;
    }

  /* A lost answer the session could not resolve: retry sends the same
   * signature (safe: a used code is then resolved above). Refused
   * (another person's certificate, not trusted, expired code): the person
   * signs again, or starts over. */
  eimza_eonay_flow_fail_in (self, EIMZA_EONAY_FLOW_STATE_SIGN, error,
                            eimza_portal_error_can_retry (error));
}

void
eimza_eonay_flow_step_upload (EimzaEonayFlow *self)
{
  self->last_request = REQ_UPLOAD;
  eimza_eonay_flow_set_state (self, EIMZA_EONAY_FLOW_STATE_UPLOADING);
  eimza_nes_client_upload_signature_async (self->session, self->code, self->cms,
                                           self->cancellable, upload_cb,
                                           g_object_ref (self->task));
}

static gboolean
can_sign (EimzaEonayFlow *self)
{
  return self->state == EIMZA_EONAY_FLOW_STATE_SIGN && self->session != NULL &&
         self->code != NULL && self->sign_data != NULL;
}

void
eimza_eonay_flow_upload_async (EimzaEonayFlow     *self,
                               GBytes             *cms,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));
  g_return_if_fail (cms != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!eimza_eonay_flow_begin_action (self, can_sign (self), eimza_eonay_flow_upload_async,
                                      cancellable, callback, user_data))
    return;

  g_clear_pointer (&self->cms, g_bytes_unref);
  self->cms = g_bytes_ref (cms);
  eimza_eonay_flow_step_upload (self);
}

gboolean
eimza_eonay_flow_upload_finish (EimzaEonayFlow  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return eimza_eonay_flow_finish_action (self, result, eimza_eonay_flow_upload_async, error);
}

static void
sign_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayFlow *self = g_task_get_source_object (task);
  g_autoptr(GBytes) cms = NULL;
  GError *error = NULL;

  cms = eimza_card_signing_run_finish (EIMZA_CARD_SIGNING (source), result, &error);
  if (!eimza_eonay_flow_is_current (self, task, &error))
    return;
  if (cms == NULL)
    {
      /* A person who gave up at the PIN is not a cancelled action. */
      eimza_eonay_flow_fail_in (self, EIMZA_EONAY_FLOW_STATE_SIGN, error, FALSE);
      return;
    }

  g_clear_pointer (&self->cms, g_bytes_unref);
  self->cms = g_steal_pointer (&cms);
  eimza_eonay_flow_step_upload (self);
}

void
eimza_eonay_flow_sign_async (EimzaEonayFlow     *self,
                             EimzaCertificate   *certificate,
                             EimzaPinAsker      *asker,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(EimzaCardSigning) signing = NULL;
  gboolean allowed;

  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));
  g_return_if_fail (EIMZA_IS_CERTIFICATE (certificate));
  g_return_if_fail (EIMZA_IS_PIN_ASKER (asker));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  allowed = can_sign (self) && self->service != NULL &&
            eimza_certificate_get_key_uri (certificate) != NULL;
  if (!eimza_eonay_flow_begin_action (self, allowed, eimza_eonay_flow_sign_async, cancellable,
                                      callback, user_data))
    return;

  eimza_eonay_flow_set_state (self, EIMZA_EONAY_FLOW_STATE_SIGNING);
  signing = eimza_card_signing_new_cades (self->service, asker,
                                          eimza_certificate_get_uri (certificate),
                                          eimza_certificate_get_key_uri (certificate),
                                          self->sign_data->data, EIMZA_CADES_DETACHED);
  /* The signing's callback gets its own reference to the flow, as the
   * session's callbacks do through the task. */
  eimza_card_signing_run_async (signing, self->cancellable, sign_cb, g_object_ref (self->task));
}

gboolean
eimza_eonay_flow_sign_finish (EimzaEonayFlow  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return eimza_eonay_flow_finish_action (self, result, eimza_eonay_flow_sign_async, error);
}

/* The deadline passed: a new code. For the login code that is logging in
 * again; for the e-onay code, the consent again (the person already
 * agreed). */
void
eimza_eonay_flow_step_restart (EimzaEonayFlow *self)
{
  g_clear_pointer (&self->cms, g_bytes_unref);

  if (self->purpose == EIMZA_EONAY_PURPOSE_EONAY)
    {
      self->reconsent = TRUE;
      eimza_eonay_flow_step_open (self);
    }
  else
    {
      eimza_eonay_flow_step_log_in (self);
    }
  /* What retry repeats if this fails is the request that failed. */
}

void
eimza_eonay_flow_restart_async (EimzaEonayFlow     *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  gboolean allowed;

  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  allowed = self->state == EIMZA_EONAY_FLOW_STATE_SIGN && self->certificate != NULL;
  if (!eimza_eonay_flow_begin_action (self, allowed, eimza_eonay_flow_restart_async, cancellable,
                                      callback, user_data))
    return;

  eimza_eonay_flow_step_restart (self);
}

gboolean
eimza_eonay_flow_restart_finish (EimzaEonayFlow  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return eimza_eonay_flow_finish_action (self, result, eimza_eonay_flow_restart_async, error);
}

/* -- E-ONAY İŞLEMLERİ -------------------------------------------------------- */

static void
show_result (EimzaEonayFlow *self,
             gboolean        active)
{
  if (active)
    eimza_eonay_flow_set_result (self, EIMZA_EONAY_FLOW_RESULT_ACTIVE);
  else if (self->cancelled_now)
    eimza_eonay_flow_set_result (self, EIMZA_EONAY_FLOW_RESULT_CANCELLED);
  else
    eimza_eonay_flow_set_result (self, EIMZA_EONAY_FLOW_RESULT_NOT_ACTIVE);
  eimza_eonay_flow_succeed_in (self, EIMZA_EONAY_FLOW_STATE_RESULT);
}

static void
open_eonay_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayFlow *self = g_task_get_source_object (task);
  EimzaEonayStatus *status;
  GError *error = NULL;
  g_autoptr(GError) upload_error = NULL;

  status = eimza_nes_client_open_eonay_finish (EIMZA_NES_CLIENT (source), result, &error);
  if (!eimza_eonay_flow_is_current (self, task, &error))
    {
      g_clear_pointer (&status, eimza_eonay_status_free);
      return;
    }
  upload_error = g_steal_pointer (&self->upload_error);

  if (status == NULL)
    {
      if (upload_error != NULL &&
          g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE))
        {
          /* The login signature was not accepted after all: the upload's
           * own refusal is what the person needs to read. */
          g_error_free (error);
          eimza_eonay_flow_fail_in (self, EIMZA_EONAY_FLOW_STATE_SIGN,
                                    g_steal_pointer (&upload_error), FALSE);
          return;
        }
      if (eimza_eonay_flow_handle_common_error (self, error))
        return;
      eimza_eonay_flow_fail (self, error, TRUE);
      return;
    }

  if (upload_error != NULL)
    {
      /* The code was used up by our own signature: logged in. */
      g_clear_pointer (&self->cms, g_bytes_unref);
      eimza_eonay_flow_signature_accepted (self);
    }

  if (status->active)
    {
      self->reconsent = FALSE;
      eimza_eonay_flow_set_status (self, status);
      show_result (self, TRUE);
      return;
    }

  /* Starting the e-onay step again: the person already agreed to this
   * very commitment, so the consent is sent again at once. */
  if (self->reconsent && g_strcmp0 (self->commitment, status->commitment) == 0)
    {
      self->reconsent = FALSE;
      eimza_eonay_flow_set_status (self, status);
      eimza_eonay_flow_step_consent (self);
      return;
    }

  self->reconsent = FALSE;
  eimza_eonay_flow_set_status (self, status);
  eimza_eonay_flow_succeed_in (self, EIMZA_EONAY_FLOW_STATE_CONSENT);
}

void
eimza_eonay_flow_step_open (EimzaEonayFlow *self)
{
  self->last_request = REQ_OPEN;
  eimza_eonay_flow_set_state (self, EIMZA_EONAY_FLOW_STATE_OPENING);
  eimza_nes_client_open_eonay_async (self->session, self->cancellable, open_eonay_cb,
                                     g_object_ref (self->task));
}

void
eimza_eonay_flow_give_again_async (EimzaEonayFlow     *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  gboolean allowed;

  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  allowed = self->state == EIMZA_EONAY_FLOW_STATE_RESULT && self->session != NULL &&
            self->result != EIMZA_EONAY_FLOW_RESULT_ACTIVE;
  if (!eimza_eonay_flow_begin_action (self, allowed, eimza_eonay_flow_give_again_async, cancellable,
                                      callback, user_data))
    return;

  self->cancelled_now = FALSE;
  self->reconsent = FALSE;
  eimza_eonay_flow_step_open (self);
}

gboolean
eimza_eonay_flow_give_again_finish (EimzaEonayFlow  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return eimza_eonay_flow_finish_action (self, result, eimza_eonay_flow_give_again_async, error);
}

static void
consent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayFlow *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *code;

  code = eimza_nes_client_consent_finish (EIMZA_NES_CLIENT (source), result, &error);
  if (!eimza_eonay_flow_is_current (self, task, &error))
    {
      g_free (code);
      return;
    }

  if (code == NULL)
    {
      if (eimza_eonay_flow_handle_common_error (self, error))
        return;
      eimza_eonay_flow_fail (self, error, FALSE);
      return;
    }

  eimza_eonay_flow_got_code (self, code, EIMZA_EONAY_PURPOSE_EONAY);
}

void
eimza_eonay_flow_step_consent (EimzaEonayFlow *self)
{
  /* The commitment the person agreed to, to know it again on a restart. */
  g_free (self->commitment);
  self->commitment = g_strdup (self->status != NULL ? self->status->commitment : NULL);

  self->last_request = REQ_CONSENT;
  eimza_eonay_flow_set_state (self, EIMZA_EONAY_FLOW_STATE_CONSENTING);
  eimza_nes_client_consent_async (self->session, self->cancellable, consent_cb,
                                  g_object_ref (self->task));
}

void
eimza_eonay_flow_consent_async (EimzaEonayFlow     *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  gboolean allowed;

  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  allowed = self->state == EIMZA_EONAY_FLOW_STATE_CONSENT && self->session != NULL;
  if (!eimza_eonay_flow_begin_action (self, allowed, eimza_eonay_flow_consent_async, cancellable,
                                      callback, user_data))
    return;

  eimza_eonay_flow_step_consent (self);
}

gboolean
eimza_eonay_flow_consent_finish (EimzaEonayFlow  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return eimza_eonay_flow_finish_action (self, result, eimza_eonay_flow_consent_async, error);
}

/* -- the result, and the cancellation ---------------------------------------- */

static void
get_status_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayFlow *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GError) upload_error = NULL;
  gboolean active = FALSE;

  eimza_nes_client_get_status_finish (EIMZA_NES_CLIENT (source), result, &active, &error);
  if (!eimza_eonay_flow_is_current (self, task, &error))
    return;
  upload_error = g_steal_pointer (&self->upload_error);

  if (error != NULL)
    {
      if (eimza_eonay_flow_handle_common_error (self, error))
        return;
      eimza_eonay_flow_fail (self, error, TRUE);
      return;
    }

  if (upload_error != NULL && !active)
    {
      /* The commitment's signature was not accepted: say why. */
      eimza_eonay_flow_fail_in (self, EIMZA_EONAY_FLOW_STATE_SIGN,
                                g_steal_pointer (&upload_error), FALSE);
      return;
    }

  if (upload_error != NULL)
    eimza_eonay_flow_signature_accepted (self);
  g_clear_pointer (&self->cms, g_bytes_unref);
  show_result (self, active);
}

void
eimza_eonay_flow_step_status (EimzaEonayFlow *self)
{
  self->last_request = REQ_STATUS;
  eimza_eonay_flow_set_state (self, EIMZA_EONAY_FLOW_STATE_CHECKING);
  eimza_nes_client_get_status_async (self->session, self->cancellable, get_status_cb,
                                     g_object_ref (self->task));
}

static void
cancel_eonay_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayFlow *self = g_task_get_source_object (task);
  GError *error = NULL;

  eimza_nes_client_cancel_eonay_finish (EIMZA_NES_CLIENT (source), result, &error);
  if (!eimza_eonay_flow_is_current (self, task, &error))
    return;

  if (error != NULL &&
      !g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE))
    {
      if (eimza_eonay_flow_handle_common_error (self, error))
        return;
      eimza_eonay_flow_fail (self, error, FALSE);
      return;
    }

  /* Not active any more (cancelled now, or before): the site's state. */
  g_clear_error (&error);
  self->cancelled_now = TRUE;
  eimza_eonay_flow_step_status (self);
}

void
eimza_eonay_flow_step_cancel (EimzaEonayFlow *self)
{
  self->last_request = REQ_CANCEL;
  eimza_eonay_flow_set_state (self, EIMZA_EONAY_FLOW_STATE_CANCELLING);
  eimza_nes_client_cancel_eonay_async (self->session, self->cancellable, cancel_eonay_cb,
                                       g_object_ref (self->task));
}

void
eimza_eonay_flow_cancel_eonay_async (EimzaEonayFlow     *self,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  gboolean allowed;

  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  allowed = self->state == EIMZA_EONAY_FLOW_STATE_RESULT && self->session != NULL &&
            self->result == EIMZA_EONAY_FLOW_RESULT_ACTIVE;
  if (!eimza_eonay_flow_begin_action (self, allowed, eimza_eonay_flow_cancel_eonay_async,
                                      cancellable, callback, user_data))
    return;

  eimza_eonay_flow_step_cancel (self);
}

gboolean
eimza_eonay_flow_cancel_eonay_finish (EimzaEonayFlow  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return eimza_eonay_flow_finish_action (self, result, eimza_eonay_flow_cancel_eonay_async, error);
}

