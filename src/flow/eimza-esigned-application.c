/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-signed application flow without a display: a code and document, the card's signature, one upload, the check. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-signing.h"
#include "eimza-esigned-application.h"
#include "eimza-flow-enums.h"
#include "eimza-portal-error.h"
#include "eimza-wiped-buffer.h"

struct _EimzaEsignedApplication
{
  GObject parent_instance;

  /* The applicant (eimza_esigned_application_set_applicant()). */
  EimzaPortalSession *session;
  EimzaCardService *service;
  char *tckn;                     /* wiped when forgotten */

  EimzaEsignedApplicationState state;
  EimzaPortalSignDocument *document;
  char *number;
  GError *error;
  gboolean can_retry;
  char *cert_uri;                 /* the certificate last signed with */

  /* The signature made over @document: kept until the portal accepts it,
   * so that it is made once and sent again only when that is safe. */
  GBytes *cms;
  /* Where a signature on the card started: what a card failure leaves. */
  EimzaEsignedApplicationState sign_from;

  /* The step that runs now, and what cancels its work: cancelled with
   * the caller's cancellable, by stop() or by a reset. */
  GTask *task;
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong cancelled_id;
};

G_DEFINE_FINAL_TYPE (EimzaEsignedApplication, eimza_esigned_application, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_DOCUMENT,
  PROP_NUMBER,
  PROP_ERROR,
  PROP_CAN_RETRY,
  PROP_CERTIFICATE_URI,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* -- state ---------------------------------------------------------------- */

static void
set_state (EimzaEsignedApplication      *self,
           EimzaEsignedApplicationState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/* @error: (nullable) (transfer none) */
static void
set_error (EimzaEsignedApplication *self,
           const GError            *error,
           gboolean                 can_retry)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error != NULL ? g_error_copy (error) : NULL;
  self->can_retry = error != NULL && can_retry;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_RETRY]);
}

/* @document: (nullable) (transfer full) */
static void
set_document (EimzaEsignedApplication *self,
              EimzaPortalSignDocument *document)
{
  if (self->document == NULL && document == NULL)
    return;
  g_clear_pointer (&self->document, eimza_portal_sign_document_free);
  self->document = document;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DOCUMENT]);
}

/* @number: (nullable) (transfer full) */
static void
set_number (EimzaEsignedApplication *self,
            char                    *number)
{
  if (self->number == NULL && number == NULL)
    return;
  g_free (self->number);
  self->number = number;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NUMBER]);
}

static void
set_certificate_uri (EimzaEsignedApplication *self,
                     const char              *uri)
{
  if (g_strcmp0 (self->cert_uri, uri) == 0)
    return;
  g_free (self->cert_uri);
  self->cert_uri = g_strdup (uri);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CERTIFICATE_URI]);
}

static void
release_cancellables (EimzaEsignedApplication *self)
{
  if (self->caller_cancellable != NULL)
    g_cancellable_disconnect (self->caller_cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->caller_cancellable);
  g_clear_object (&self->cancellable);
}

/* Cancels the step's work, which answers its task as cancelled when it
 * ends. */
static void
cancel_step (EimzaEsignedApplication *self)
{
  g_cancellable_cancel (self->cancellable);
  release_cancellables (self);
  g_clear_object (&self->task);
}

void
eimza_esigned_application_reset (EimzaEsignedApplication *self)
{
  g_return_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self));

  cancel_step (self);
  g_clear_pointer (&self->cms, g_bytes_unref);
  set_document (self, NULL);
  set_number (self, NULL);
  set_error (self, NULL, FALSE);
  set_state (self, EIMZA_ESIGNED_APPLICATION_STATE_NONE);
}

/* Starts a step: NULL (with the task already answered) when another runs
 * or the state does not allow it. */
static GTask *
begin_step (EimzaEsignedApplication *self,
            gboolean                 allowed,
            gpointer                 source_tag,
            GCancellable            *cancellable,
            GAsyncReadyCallback      callback,
            gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Another step of the e-signed application is in progress");
      return NULL;
    }
  if (!allowed || self->session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "This step of the e-signed application is not possible now");
      return NULL;
    }

  self->task = g_object_ref (task);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                                  g_object_ref (self->cancellable),
                                                  g_object_unref);
    }
  set_error (self, NULL, FALSE);
  return g_steal_pointer (&task);
}

/* Ends the running step: the task is answered by the caller. */
static GTask *
end_step (EimzaEsignedApplication *self)
{
  release_cancellables (self);
  return g_steal_pointer (&self->task);
}

/* @error: (transfer full) (nullable): %NULL leaves no error to show (the
 * person gave up at the PIN), and the task is answered as cancelled. */
static void
fail_step (EimzaEsignedApplication      *self,
           EimzaEsignedApplicationState  state,
           GError                       *error,
           gboolean                      can_retry)
{
  g_autoptr(GTask) task = end_step (self);

  set_error (self, error, can_retry);
  set_state (self, state);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Given up");
}

static void
succeed_step (EimzaEsignedApplication      *self,
              EimzaEsignedApplicationState  state)
{
  g_autoptr(GTask) task = end_step (self);

  set_state (self, state);
  g_task_return_boolean (task, TRUE);
}

/* What a step stopped while it ran leaves: what is known then, worded for
 * people, with Try Again. */
static void
settle_stopped (EimzaEsignedApplication *self)
{
  g_autoptr(GError) stopped = NULL;

  switch (self->state)
    {
    case EIMZA_ESIGNED_APPLICATION_STATE_BEGINNING:
      stopped = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT,
                                     _("Getting your application was stopped."));
      set_error (self, stopped, TRUE);
      set_state (self, EIMZA_ESIGNED_APPLICATION_STATE_BEGIN_FAILED);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_UPLOADING:
      /* A signature on its way may still arrive: whether it did is the
       * next question. */
      stopped = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT,
                                     _("Sending was stopped; the signature may have reached "
                                       "Kamu SM already."));
      set_error (self, stopped, TRUE);
      set_state (self, EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_CHECKING:
      stopped = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT,
                                     _("Whether Kamu SM received your application is not "
                                       "known yet."));
      set_error (self, stopped, TRUE);
      set_state (self, EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_SIGNING:
      /* Nothing was sent; a signature kept from before stays. */
      set_state (self, self->sign_from);
      break;

    default:
      break;
    }
}

gboolean
eimza_esigned_application_stop (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), FALSE);

  if (self->task == NULL)
    return FALSE;

  cancel_step (self);
  settle_stopped (self);
  return TRUE;
}

/* Whether the work of @task ended while @task is still the step that
 * runs. Otherwise @task is answered as cancelled and @error dropped: after
 * a reset or stop() nothing else changes; when the caller's cancellable
 * was cancelled the step settles as stop() leaves it. */
static gboolean
is_current (EimzaEsignedApplication  *self,
            GTask                    *task,
            GError                  **error)
{
  if (task == self->task && !g_cancellable_is_cancelled (self->cancellable))
    return TRUE;

  g_clear_error (error);
  if (task == self->task)
    {
      g_autoptr(GTask) current = end_step (self);

      settle_stopped (self);
    }
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The step was cancelled");
  return FALSE;
}

static gboolean
finish_step (EimzaEsignedApplication  *self,
             GAsyncResult             *result,
             gpointer                  source_tag,
             GError                  **error)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The portal made the application: nothing is kept for it any more. */
static void
applied (EimzaEsignedApplication *self,
         char                    *number)
{
  g_clear_pointer (&self->cms, g_bytes_unref);
  set_number (self, number);
  succeed_step (self, EIMZA_ESIGNED_APPLICATION_STATE_APPLIED);
}

/* The portal session ended: sign in again. */
static void
session_ended (EimzaEsignedApplication *self,
               GError                  *error)
{
  g_clear_pointer (&self->cms, g_bytes_unref);
  fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_SESSION_ENDED, error, FALSE);
}

/* The portal still waits for the signature: sending the same one again is
 * safe now. */
static void
signature_not_arrived (EimzaEsignedApplication *self)
{
  fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_UPLOAD_FAILED,
             g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
                                  _("Your signature did not reach Kamu SM. Send it again, or "
                                    "sign again.")),
             TRUE);
}

/* -- beginning: the code and the document --------------------------------- */

static void
begin_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEsignedApplication *self = g_task_get_source_object (task);
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  GError *error = NULL;

  document = eimza_portal_session_begin_esigned_finish (EIMZA_PORTAL_SESSION (source), result,
                                                        &error);
  if (!is_current (self, task, &error))
    return;

  if (document != NULL)
    {
      set_document (self, g_steal_pointer (&document));
      succeed_step (self, EIMZA_ESIGNED_APPLICATION_STATE_SIGN);
      return;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    session_ended (self, error);
  else if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE))
    fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_UNAVAILABLE, error, FALSE);
  else
    /* A broken answer, an expired code or a refusal: asking again gives a
     * new code and document. */
    fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_BEGIN_FAILED, error,
               eimza_portal_error_can_retry (error) ||
               g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED));
}

void
eimza_esigned_application_begin_async (EimzaEsignedApplication *self,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = begin_step (self, self->state != EIMZA_ESIGNED_APPLICATION_STATE_APPLIED,
                     eimza_esigned_application_begin_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  /* The portal drops the old code: its document and signature go too. */
  g_clear_pointer (&self->cms, g_bytes_unref);
  set_document (self, NULL);
  set_state (self, EIMZA_ESIGNED_APPLICATION_STATE_BEGINNING);
  eimza_portal_session_begin_esigned_async (self->session, self->cancellable, begin_cb,
                                            g_steal_pointer (&task));
}

gboolean
eimza_esigned_application_begin_finish (EimzaEsignedApplication  *self,
                                        GAsyncResult             *result,
                                        GError                  **error)
{
  return finish_step (self, result, eimza_esigned_application_begin_async, error);
}

/* -- uploading ------------------------------------------------------------ */

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEsignedApplication *self = g_task_get_source_object (task);
  g_autofree char *number = NULL;
  GError *error = NULL;

  number = eimza_portal_session_upload_signature_finish (EIMZA_PORTAL_SESSION (source), result,
                                                         &error);
  /* Made, even if the caller gave up waiting meanwhile: that is the
   * truth to show. */
  if (number != NULL && task == self->task)
    {
      applied (self, g_steal_pointer (&number));
      return;
    }
  if (!is_current (self, task, &error))
    return;

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      session_ended (self, error);
    }
  else if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN))
    {
      /* The answer was lost and the session could not ask the portal
       * whether the signature arrived: only asking again is offered,
       * never a blind upload. */
      fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN, error, TRUE);
    }
  else if (eimza_portal_error_can_retry (error))
    {
      /* The answer was lost, and the session found that the portal still
       * waits for the signature. */
      g_error_free (error);
      signature_not_arrived (self);
    }
  else if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER))
    {
      g_clear_pointer (&self->cms, g_bytes_unref);
      g_error_free (error);
      fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_SIGN,
                 g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER,
                                      _("This certificate belongs to someone else. Kamu SM takes "
                                        "only a signature with the applicant’s own certificate: "
                                        "choose yours, or insert your card, and sign again.")),
                 FALSE);
    }
  else if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED))
    {
      GError *plain;

      /* TRANSLATORS: %s is the portal's own reason (Turkish) */
      plain = g_error_new (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED,
                           _("Kamu SM did not accept the signature: “%s” You can sign again, "
                             "with another certificate if you have one."),
                           error->message);
      g_clear_pointer (&self->cms, g_bytes_unref);
      g_error_free (error);
      fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_SIGN, plain, FALSE);
    }
  else if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED))
    {
      g_clear_pointer (&self->cms, g_bytes_unref);
      fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_EXPIRED, error, FALSE);
    }
  else
    {
      /* Refused as the portal said it (a used code…): the person may
       * sign again. */
      g_clear_pointer (&self->cms, g_bytes_unref);
      fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_SIGN, error, FALSE);
    }
}

/* Sends the kept signature, once. */
static void
upload (EimzaEsignedApplication *self,
        GTask                   *task)
{
  set_state (self, EIMZA_ESIGNED_APPLICATION_STATE_UPLOADING);
  eimza_portal_session_upload_signature_async (self->session, self->cms, self->cancellable,
                                               upload_cb, task);
}

/* Where a new signature may be sent: before any, after one that did not
 * arrive, or one whose fate is unknown (the session then resolves a code
 * already used by the first). */
static gboolean
can_send_new_signature (EimzaEsignedApplication *self)
{
  return self->document != NULL &&
         (self->state == EIMZA_ESIGNED_APPLICATION_STATE_SIGN ||
          self->state == EIMZA_ESIGNED_APPLICATION_STATE_UPLOAD_FAILED ||
          self->state == EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN);
}

void
eimza_esigned_application_upload_async (EimzaEsignedApplication *self,
                                        GBytes                  *cms,
                                        EimzaCertificate        *certificate,
                                        GCancellable            *cancellable,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean allowed;

  g_return_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self));
  g_return_if_fail (certificate == NULL || EIMZA_IS_CERTIFICATE (certificate));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  allowed = cms != NULL ? can_send_new_signature (self)
                        : (self->state == EIMZA_ESIGNED_APPLICATION_STATE_UPLOAD_FAILED &&
                           self->cms != NULL);
  task = begin_step (self, allowed, eimza_esigned_application_upload_async, cancellable, callback,
                     user_data);
  if (task == NULL)
    return;

  if (cms != NULL)
    {
      g_clear_pointer (&self->cms, g_bytes_unref);
      self->cms = g_bytes_ref (cms);
      if (certificate != NULL)
        set_certificate_uri (self, eimza_certificate_get_uri (certificate));
    }
  upload (self, g_steal_pointer (&task));
}

gboolean
eimza_esigned_application_upload_finish (EimzaEsignedApplication  *self,
                                         GAsyncResult             *result,
                                         GError                  **error)
{
  return finish_step (self, result, eimza_esigned_application_upload_async, error);
}

/* -- checking whether the application arrived ----------------------------- */

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEsignedApplication *self = g_task_get_source_object (task);
  g_autofree char *number = NULL;
  GError *error = NULL;

  number = eimza_portal_session_check_application_finish (EIMZA_PORTAL_SESSION (source), result,
                                                          &error);
  if (number != NULL && task == self->task)
    {
      applied (self, g_steal_pointer (&number));
      return;
    }
  if (!is_current (self, task, &error))
    return;

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      session_ended (self, error);
    }
  else if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE) &&
           self->cms != NULL)
    {
      g_error_free (error);
      signature_not_arrived (self);
    }
  else if (eimza_portal_error_can_retry (error))
    {
      /* Still unknown: only asking again is offered, never a blind upload. */
      fail_step (self, EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN, error, TRUE);
    }
  else
    {
      /* CODE_EXPIRED: the portal waits no more; start again. */
      g_clear_pointer (&self->cms, g_bytes_unref);
      fail_step (self,
                 g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED)
                 ? EIMZA_ESIGNED_APPLICATION_STATE_EXPIRED
                 : EIMZA_ESIGNED_APPLICATION_STATE_SIGN,
                 error, FALSE);
    }
}

void
eimza_esigned_application_check_async (EimzaEsignedApplication *self,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = begin_step (self, self->state == EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN,
                     eimza_esigned_application_check_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  set_state (self, EIMZA_ESIGNED_APPLICATION_STATE_CHECKING);
  eimza_portal_session_check_application_async (self->session, self->cancellable, check_cb,
                                                g_steal_pointer (&task));
}

gboolean
eimza_esigned_application_check_finish (EimzaEsignedApplication  *self,
                                        GAsyncResult             *result,
                                        GError                  **error)
{
  return finish_step (self, result, eimza_esigned_application_check_async, error);
}

/* -- signing on the card --------------------------------------------------- */

static void
sign_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEsignedApplication *self = g_task_get_source_object (task);
  const char *cert_uri = g_task_get_task_data (task);
  g_autoptr(GBytes) cms = NULL;
  GError *error = NULL;

  cms = eimza_card_signing_run_finish (EIMZA_CARD_SIGNING (source), result, &error);
  if (!is_current (self, task, &error))
    return;

  if (cms == NULL)
    {
      /* Nothing was sent. A wrong PIN is never tried again by itself: the
       * person signs again, or not; one who gave up hears nothing. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_error (&error);
      fail_step (self, self->sign_from, error, FALSE);
      return;
    }

  g_clear_pointer (&self->cms, g_bytes_unref);
  self->cms = g_steal_pointer (&cms);
  set_certificate_uri (self, cert_uri);
  upload (self, g_steal_pointer (&task));
}

void
eimza_esigned_application_sign_async (EimzaEsignedApplication *self,
                                      EimzaCertificate        *certificate,
                                      EimzaPinAsker           *asker,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EimzaCardSigning) signing = NULL;

  g_return_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self));
  g_return_if_fail (EIMZA_IS_CERTIFICATE (certificate));
  g_return_if_fail (EIMZA_IS_PIN_ASKER (asker));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = begin_step (self,
                     can_send_new_signature (self) && self->service != NULL &&
                     eimza_certificate_get_key_uri (certificate) != NULL,
                     eimza_esigned_application_sign_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  g_task_set_task_data (task, g_strdup (eimza_certificate_get_uri (certificate)), g_free);
  self->sign_from = self->state;

  set_state (self, EIMZA_ESIGNED_APPLICATION_STATE_SIGNING);
  signing = eimza_card_signing_new_cades (self->service, asker,
                                          eimza_certificate_get_uri (certificate),
                                          eimza_certificate_get_key_uri (certificate),
                                          self->document->data, EIMZA_CADES_DETACHED);
  eimza_card_signing_run_async (signing, self->cancellable, sign_cb, g_steal_pointer (&task));
}

gboolean
eimza_esigned_application_sign_finish (EimzaEsignedApplication  *self,
                                       GAsyncResult             *result,
                                       GError                  **error)
{
  return finish_step (self, result, eimza_esigned_application_sign_async, error);
}

/* -- the applicant and accessors ------------------------------------------ */

void
eimza_esigned_application_set_applicant (EimzaEsignedApplication *self,
                                         EimzaPortalSession      *session,
                                         EimzaCardService        *service,
                                         const char              *tckn)
{
  g_return_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self));
  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (session));
  g_return_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service));

  eimza_esigned_application_reset (self);
  g_set_object (&self->session, session);
  g_set_object (&self->service, service);
  if (g_strcmp0 (self->tckn, tckn) != 0)
    {
      /* Another applicant's certificate is never chosen for them. */
      g_clear_pointer (&self->tckn, eimza_wiped_string_free);
      self->tckn = g_strdup (tckn);
      set_certificate_uri (self, NULL);
    }
}

EimzaEsignedApplicationState
eimza_esigned_application_get_state (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), EIMZA_ESIGNED_APPLICATION_STATE_NONE);
  return self->state;
}

const EimzaPortalSignDocument *
eimza_esigned_application_get_document (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), NULL);
  return self->document;
}

const char *
eimza_esigned_application_get_number (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), NULL);
  return self->number;
}

const GError *
eimza_esigned_application_get_error (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), NULL);
  return self->error;
}

gboolean
eimza_esigned_application_get_can_retry (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), FALSE);
  return self->can_retry;
}

const char *
eimza_esigned_application_get_certificate_uri (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), NULL);
  return self->cert_uri;
}

const char *
eimza_esigned_application_get_tckn (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), NULL);
  return self->tckn;
}

EimzaCardService *
eimza_esigned_application_get_card_service (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), NULL);
  return self->service;
}

gboolean
eimza_esigned_application_has_signature (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), FALSE);
  return self->cms != NULL;
}

gboolean
eimza_esigned_application_is_busy (EimzaEsignedApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_ESIGNED_APPLICATION (self), FALSE);
  return self->task != NULL;
}

/* -- life cycle ----------------------------------------------------------- */

EimzaEsignedApplication *
eimza_esigned_application_new (void)
{
  return g_object_new (EIMZA_TYPE_ESIGNED_APPLICATION, NULL);
}

static void
eimza_esigned_application_dispose (GObject *object)
{
  EimzaEsignedApplication *self = EIMZA_ESIGNED_APPLICATION (object);

  cancel_step (self);
  g_clear_pointer (&self->cms, g_bytes_unref);
  g_clear_pointer (&self->document, eimza_portal_sign_document_free);
  g_clear_object (&self->session);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (eimza_esigned_application_parent_class)->dispose (object);
}

static void
eimza_esigned_application_finalize (GObject *object)
{
  EimzaEsignedApplication *self = EIMZA_ESIGNED_APPLICATION (object);

  g_clear_error (&self->error);
  g_clear_pointer (&self->tckn, eimza_wiped_string_free);
  g_free (self->number);
  g_free (self->cert_uri);

  G_OBJECT_CLASS (eimza_esigned_application_parent_class)->finalize (object);
}

static void
eimza_esigned_application_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  EimzaEsignedApplication *self = EIMZA_ESIGNED_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DOCUMENT:
      g_value_set_boxed (value, self->document);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_CAN_RETRY:
      g_value_set_boolean (value, self->can_retry);
      break;
    case PROP_CERTIFICATE_URI:
      g_value_set_string (value, self->cert_uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_esigned_application_class_init (EimzaEsignedApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = eimza_esigned_application_dispose;
  object_class->finalize = eimza_esigned_application_finalize;
  object_class->get_property = eimza_esigned_application_get_property;

  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL,
                                         EIMZA_TYPE_ESIGNED_APPLICATION_STATE,
                                         EIMZA_ESIGNED_APPLICATION_STATE_NONE, flags);
  props[PROP_DOCUMENT] = g_param_spec_boxed ("document", NULL, NULL,
                                             EIMZA_TYPE_PORTAL_SIGN_DOCUMENT, flags);
  props[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, flags);
  props[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  props[PROP_CAN_RETRY] = g_param_spec_boolean ("can-retry", NULL, NULL, FALSE, flags);
  props[PROP_CERTIFICATE_URI] = g_param_spec_string ("certificate-uri", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
eimza_esigned_application_init (EimzaEsignedApplication *self)
{
}
