/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-onay on Kamu SM's NES site without a display: the object, its actions, login and retry. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-eonay-flow-private.h"
#include "eimza-flow-enums.h"
#include "eimza-validation.h"
#include "eimza-wiped-buffer.h"

G_DEFINE_FINAL_TYPE (EimzaEonayFlow, eimza_eonay_flow, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_SIGN_DATA,
  PROP_STATUS,
  PROP_RESULT,
  PROP_ERROR,
  PROP_CAN_RETRY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNATURE_ACCEPTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


/* -- state ---------------------------------------------------------------- */

void
eimza_eonay_flow_set_state (EimzaEonayFlow      *self,
                            EimzaEonayFlowState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/* @error: (nullable) (transfer none) */
void
eimza_eonay_flow_set_error (EimzaEonayFlow *self,
                            const GError   *error,
                            gboolean        can_retry)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error != NULL ? g_error_copy (error) : NULL;
  self->can_retry = error != NULL && can_retry;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_RETRY]);
}

void
eimza_eonay_flow_set_purpose (EimzaEonayFlow    *self,
                              EimzaEonayPurpose  purpose)
{
  self->purpose = purpose;
}

/* @data: (transfer full) (nullable) */
void
eimza_eonay_flow_set_sign_data (EimzaEonayFlow     *self,
                                EimzaEonaySignData *data)
{
  if (self->sign_data == NULL && data == NULL)
    return;
  g_clear_pointer (&self->sign_data, eimza_eonay_sign_data_free);
  self->sign_data = data;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SIGN_DATA]);
}

/* @status: (transfer full) (nullable) */
void
eimza_eonay_flow_set_status (EimzaEonayFlow   *self,
                             EimzaEonayStatus *status)
{
  if (self->status == NULL && status == NULL)
    return;
  g_clear_pointer (&self->status, eimza_eonay_status_free);
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS]);
}

void
eimza_eonay_flow_set_result (EimzaEonayFlow       *self,
                             EimzaEonayFlowResult  result)
{
  if (self->result == result)
    return;
  self->result = result;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RESULT]);
}

static void
release_cancellables (EimzaEonayFlow *self)
{
  if (self->caller_cancellable != NULL)
    g_cancellable_disconnect (self->caller_cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->caller_cancellable);
  g_clear_object (&self->cancellable);
}

static void
cancel_action (EimzaEonayFlow *self)
{
  g_cancellable_cancel (self->cancellable);
  release_cancellables (self);
  /* Its work ends as cancelled, and answers the task then. */
  g_clear_object (&self->task);
}

/* Forgets the site's conversation and all it told. */
static void
drop_session (EimzaEonayFlow *self)
{
  g_clear_object (&self->session);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->cms, g_bytes_unref);
  g_clear_error (&self->upload_error);
  eimza_eonay_flow_set_sign_data (self, NULL);
  eimza_eonay_flow_set_status (self, NULL);
}

void
eimza_eonay_flow_signature_accepted (EimzaEonayFlow *self)
{
  g_signal_emit (self, signals[SIGNATURE_ACCEPTED], 0);
}

void
eimza_eonay_flow_reset (EimzaEonayFlow *self)
{
  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));

  cancel_action (self);
  drop_session (self);
  g_clear_pointer (&self->tckn, eimza_wiped_string_free);
  g_clear_object (&self->certificate);
  g_clear_object (&self->interaction);
  self->last_request = REQ_NONE;
  self->reconsent = FALSE;
  self->cancelled_now = FALSE;
  eimza_eonay_flow_set_purpose (self, EIMZA_EONAY_PURPOSE_UNKNOWN);
  eimza_eonay_flow_set_result (self, EIMZA_EONAY_FLOW_RESULT_NONE);
  eimza_eonay_flow_set_error (self, NULL, FALSE);
  eimza_eonay_flow_set_state (self, EIMZA_EONAY_FLOW_STATE_IDENTITY);
}

static gboolean
is_resting (EimzaEonayFlowState state)
{
  return state == EIMZA_EONAY_FLOW_STATE_IDENTITY || state == EIMZA_EONAY_FLOW_STATE_SIGN ||
         state == EIMZA_EONAY_FLOW_STATE_CONSENT || state == EIMZA_EONAY_FLOW_STATE_RESULT;
}

/* Starts an action: FALSE (with the task already answered) when another
 * runs or the state does not allow it. */
gboolean
eimza_eonay_flow_begin_action (EimzaEonayFlow      *self,
                               gboolean             allowed,
                               gpointer             source_tag,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Another step of the e-onay is in progress");
      return FALSE;
    }
  if (!allowed || !is_resting (self->state))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "This step of the e-onay is not possible now");
      return FALSE;
    }

  self->task = g_steal_pointer (&task);
  self->origin = self->state;
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                                  g_object_ref (self->cancellable),
                                                  g_object_unref);
    }
  eimza_eonay_flow_set_error (self, NULL, FALSE);
  return TRUE;
}

/* Ends the running action: the task is answered by the caller. */
static GTask *
end_action (EimzaEonayFlow *self)
{
  release_cancellables (self);
  return g_steal_pointer (&self->task);
}

/* The action ends with @error (taken) in @state; retry repeats
 * last_request when @can_retry. */
void
eimza_eonay_flow_fail_in (EimzaEonayFlow      *self,
                          EimzaEonayFlowState  state,
                          GError              *error,
                          gboolean             can_retry)
{
  g_autoptr(GTask) task = end_action (self);

  eimza_eonay_flow_set_error (self, error, can_retry);
  eimza_eonay_flow_set_state (self, state);
  g_task_return_error (task, error);
}

/* The usual end of a failure: back where the action began. */
void
eimza_eonay_flow_fail (EimzaEonayFlow *self,
                       GError         *error,
                       gboolean        can_retry)
{
  eimza_eonay_flow_fail_in (self, self->origin, error, can_retry);
}

void
eimza_eonay_flow_succeed_in (EimzaEonayFlow      *self,
                             EimzaEonayFlowState  state)
{
  g_autoptr(GTask) task = end_action (self);

  eimza_eonay_flow_set_state (self, state);
  g_task_return_boolean (task, TRUE);
}

/* Whether the work of @task ended while @task is still the action that
 * runs; otherwise (cancelled, or reset and perhaps another action begun)
 * @task is answered as cancelled, the flow is back where the action began
 * if it still ran, and @error is dropped. A person who gave up at a PIN is
 * not a cancelled action. */
gboolean
eimza_eonay_flow_is_current (EimzaEonayFlow  *self,
                             GTask           *task,
                             GError         **error)
{
  if (task == self->task && !g_cancellable_is_cancelled (self->cancellable))
    return TRUE;

  g_clear_error (error);
  if (task == self->task)
    {
      g_autoptr(GTask) running = end_action (self);

      eimza_eonay_flow_set_state (self, self->origin);
    }
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The step was cancelled");
  return FALSE;
}

/* Failures every request shares; %FALSE when the caller has to handle it. */
gboolean
eimza_eonay_flow_handle_common_error (EimzaEonayFlow *self,
                                      GError         *error)
{
  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      /* Back to the first step with everything kept: the person logs in
       * again (the site asks for the card and the number again). */
      g_clear_object (&self->session);
      eimza_eonay_flow_fail_in (self, EIMZA_EONAY_FLOW_STATE_IDENTITY, error, FALSE);
      return TRUE;
    }

  if (eimza_portal_error_can_retry (error))
    {
      eimza_eonay_flow_fail (self, error, TRUE);
      return TRUE;
    }

  return FALSE;
}

gboolean
eimza_eonay_flow_finish_action (EimzaEonayFlow  *self,
                                GAsyncResult    *result,
                                gpointer         source_tag,
                                GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* -- the number, and the login -------------------------------------------- */

char *
eimza_eonay_flow_check_tckn (EimzaCertificate  *certificate,
                             const char        *typed,
                             GError           **error)
{
  g_autofree char *tckn = NULL;
  const char *holder;

  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (certificate), NULL);

  tckn = g_strstrip (g_strdup (typed != NULL ? typed : ""));
  if (!eimza_tckn_validate (tckn, error))
    {
      eimza_wiped_string_free (g_steal_pointer (&tckn));
      return NULL;
    }

  if (g_strcmp0 (eimza_certificate_get_tckn (certificate), tckn) != 0)
    {
      eimza_wiped_string_free (g_steal_pointer (&tckn));
      holder = eimza_certificate_get_subject_cn (certificate);
      /* TRANSLATORS: %s is the certificate holder's name */
      g_set_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH,
                   _("This is not the T.C. Kimlik No in the certificate of %s. The "
                     "site accepts only the number of the certificate you log in "
                     "with."), holder != NULL ? holder : "?");
      return NULL;
    }

  return g_steal_pointer (&tckn);
}

static EimzaNesClient *
create_session (EimzaEonayFlow  *self,
                GError         **error)
{
  g_autofree char *cert_url = NULL;
  g_autofree char *tls_key_url = NULL;
  EimzaNesClient *session;

  /* GnuTLS gets URLs that lead to the card worker, never the card's
   * PKCS#11 URLs: no other thread may enter the card's module. */
  if (!eimza_card_tls_interaction_route (self->interaction, self->certificate, &cert_url,
                                         &tls_key_url, error))
    return NULL;

  session = eimza_nes_client_new (self->profile, self->eonay_url, self->ca_file, cert_url,
                                  tls_key_url, G_TLS_INTERACTION (self->interaction), error);
  if (session != NULL && self->deadline > 0)
    eimza_nes_client_set_deadline (session, self->deadline);
  return session;
}

static void
log_in_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayFlow *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *code;

  code = eimza_nes_client_log_in_finish (EIMZA_NES_CLIENT (source), result, &error);
  if (!eimza_eonay_flow_is_current (self, task, &error))
    {
      g_free (code);
      return;
    }

  if (code == NULL)
    {
      /* Whatever failed, the person is on the first step: the number,
       * the certificate or the PIN is what to look at. A refused
       * certificate is final for that certificate; a PIN problem may be
       * tried again, with the card's new state. */
      if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
        g_clear_object (&self->session);
      eimza_eonay_flow_fail_in (self, EIMZA_EONAY_FLOW_STATE_IDENTITY, error,
                                eimza_portal_error_can_retry (error) &&
                                !g_error_matches (error, EIMZA_PORTAL_ERROR,
                                                  EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED));
      return;
    }

  eimza_eonay_flow_got_code (self, code, EIMZA_EONAY_PURPOSE_LOGIN);
}

/* Logs in with the session there is, or a new one. */
void
eimza_eonay_flow_step_log_in (EimzaEonayFlow *self)
{
  GError *error = NULL;

  self->last_request = REQ_LOGIN;
  if (self->session == NULL)
    {
      self->session = create_session (self, &error);
      if (self->session == NULL)
        {
          self->last_request = REQ_NONE;
          eimza_eonay_flow_fail_in (self, EIMZA_EONAY_FLOW_STATE_IDENTITY, error, FALSE);
          return;
        }
    }

  eimza_eonay_flow_set_state (self, EIMZA_EONAY_FLOW_STATE_LOGGING_IN);
  eimza_nes_client_log_in_async (self->session, self->tckn, self->cancellable, log_in_cb,
                                 g_object_ref (self->task));
}

void
eimza_eonay_flow_log_in_async (EimzaEonayFlow          *self,
                               EimzaCertificate        *certificate,
                               const char              *tckn,
                               EimzaCardTlsInteraction *interaction,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  char *checked;
  GError *error = NULL;

  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));
  g_return_if_fail (EIMZA_IS_CERTIFICATE (certificate));
  g_return_if_fail (EIMZA_IS_CARD_TLS_INTERACTION (interaction));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!eimza_eonay_flow_begin_action (self, TRUE, eimza_eonay_flow_log_in_async, cancellable,
                                      callback, user_data))
    return;

  checked = eimza_eonay_flow_check_tckn (certificate, tckn, &error);
  if (checked == NULL)
    {
      eimza_eonay_flow_fail_in (self, EIMZA_EONAY_FLOW_STATE_IDENTITY, error, FALSE);
      return;
    }

  /* A new session for each login: the certificate may be another one. */
  drop_session (self);
  g_clear_pointer (&self->tckn, eimza_wiped_string_free);
  self->tckn = checked;
  g_set_object (&self->certificate, certificate);
  g_set_object (&self->interaction, interaction);
  self->reconsent = FALSE;
  self->cancelled_now = FALSE;
  eimza_eonay_flow_step_log_in (self);
}

gboolean
eimza_eonay_flow_log_in_finish (EimzaEonayFlow  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return eimza_eonay_flow_finish_action (self, result, eimza_eonay_flow_log_in_async, error);
}

/* -- retry ------------------------------------------------------------------ */

void
eimza_eonay_flow_retry_async (EimzaEonayFlow     *self,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  gboolean allowed;

  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  allowed = self->can_retry && self->last_request != REQ_NONE && self->certificate != NULL;
  if (!eimza_eonay_flow_begin_action (self, allowed, eimza_eonay_flow_retry_async, cancellable,
                                      callback, user_data))
    return;

  /* Without a session, only a new login can go on. */
  if (self->session == NULL)
    {
      eimza_eonay_flow_step_log_in (self);
      return;
    }

  switch (self->last_request)
    {
    case REQ_LOGIN:
      eimza_eonay_flow_step_log_in (self);
      break;
    case REQ_FETCH:
      eimza_eonay_flow_step_fetch (self);
      break;
    case REQ_RESTART:
      eimza_eonay_flow_step_restart (self);
      break;
    case REQ_UPLOAD:
      if (self->cms == NULL)
        eimza_eonay_flow_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                          "No signature to send"),
              FALSE);
      else
        eimza_eonay_flow_step_upload (self);
      break;
    case REQ_OPEN:
      eimza_eonay_flow_step_open (self);
      break;
    case REQ_CONSENT:
      eimza_eonay_flow_step_consent (self);
      break;
    case REQ_STATUS:
      eimza_eonay_flow_step_status (self);
      break;
    case REQ_CANCEL:
      eimza_eonay_flow_step_cancel (self);
      break;
    case REQ_NONE:
    default:
      g_assert_not_reached ();
    }
}

gboolean
eimza_eonay_flow_retry_finish (EimzaEonayFlow  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return eimza_eonay_flow_finish_action (self, result, eimza_eonay_flow_retry_async, error);
}

/* -- accessors ------------------------------------------------------------ */

EimzaEonayFlowState
eimza_eonay_flow_get_state (EimzaEonayFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), EIMZA_EONAY_FLOW_STATE_IDENTITY);
  return self->state;
}

EimzaEonayPurpose
eimza_eonay_flow_get_purpose (EimzaEonayFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), EIMZA_EONAY_PURPOSE_UNKNOWN);
  return self->purpose;
}

const EimzaEonaySignData *
eimza_eonay_flow_get_sign_data (EimzaEonayFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), NULL);
  return self->sign_data;
}

const EimzaEonayStatus *
eimza_eonay_flow_get_status (EimzaEonayFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), NULL);
  return self->status;
}

EimzaEonayFlowResult
eimza_eonay_flow_get_result (EimzaEonayFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), EIMZA_EONAY_FLOW_RESULT_NONE);
  return self->result;
}

const GError *
eimza_eonay_flow_get_error (EimzaEonayFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), NULL);
  return self->error;
}

gboolean
eimza_eonay_flow_get_can_retry (EimzaEonayFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), FALSE);
  return self->can_retry;
}

const char *
eimza_eonay_flow_get_tckn (EimzaEonayFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), NULL);
  return self->tckn;
}

EimzaNesClient *
eimza_eonay_flow_get_session (EimzaEonayFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_FLOW (self), NULL);
  return self->session;
}

void
eimza_eonay_flow_set_deadline (EimzaEonayFlow *self,
                               guint           seconds)
{
  g_return_if_fail (EIMZA_IS_EONAY_FLOW (self));

  self->deadline = seconds;
  if (self->session != NULL && seconds > 0)
    eimza_nes_client_set_deadline (self->session, seconds);
}

/* -- life cycle ----------------------------------------------------------- */

EimzaEonayFlow *
eimza_eonay_flow_new (EimzaPortalProfile *profile,
                      EimzaCardService   *service,
                      const char         *eonay_url,
                      const char         *ca_file)
{
  EimzaEonayFlow *self;

  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (profile), NULL);
  g_return_val_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service), NULL);

  self = g_object_new (EIMZA_TYPE_EONAY_FLOW, NULL);
  self->profile = g_object_ref (profile);
  self->service = service != NULL ? g_object_ref (service) : NULL;
  self->eonay_url = g_strdup (eonay_url);
  self->ca_file = g_strdup (ca_file);
  return self;
}

static void
eimza_eonay_flow_dispose (GObject *object)
{
  EimzaEonayFlow *self = EIMZA_EONAY_FLOW (object);

  cancel_action (self);
  drop_session (self);
  g_clear_object (&self->interaction);
  g_clear_object (&self->certificate);
  g_clear_object (&self->service);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (eimza_eonay_flow_parent_class)->dispose (object);
}

static void
eimza_eonay_flow_finalize (GObject *object)
{
  EimzaEonayFlow *self = EIMZA_EONAY_FLOW (object);

  g_clear_error (&self->error);
  g_clear_pointer (&self->tckn, eimza_wiped_string_free);
  g_free (self->commitment);
  g_free (self->eonay_url);
  g_free (self->ca_file);

  G_OBJECT_CLASS (eimza_eonay_flow_parent_class)->finalize (object);
}

static void
eimza_eonay_flow_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EimzaEonayFlow *self = EIMZA_EONAY_FLOW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SIGN_DATA:
      g_value_set_boxed (value, self->sign_data);
      break;
    case PROP_STATUS:
      g_value_set_boxed (value, self->status);
      break;
    case PROP_RESULT:
      g_value_set_enum (value, self->result);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_CAN_RETRY:
      g_value_set_boolean (value, self->can_retry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_eonay_flow_class_init (EimzaEonayFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = eimza_eonay_flow_dispose;
  object_class->finalize = eimza_eonay_flow_finalize;
  object_class->get_property = eimza_eonay_flow_get_property;

  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, EIMZA_TYPE_EONAY_FLOW_STATE,
                                         EIMZA_EONAY_FLOW_STATE_IDENTITY, flags);
  props[PROP_SIGN_DATA] = g_param_spec_boxed ("sign-data", NULL, NULL,
                                              EIMZA_TYPE_EONAY_SIGN_DATA, flags);
  props[PROP_STATUS] = g_param_spec_boxed ("status", NULL, NULL, EIMZA_TYPE_EONAY_STATUS, flags);
  props[PROP_RESULT] = g_param_spec_enum ("result", NULL, NULL, EIMZA_TYPE_EONAY_FLOW_RESULT,
                                          EIMZA_EONAY_FLOW_RESULT_NONE, flags);
  props[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  props[PROP_CAN_RETRY] = g_param_spec_boolean ("can-retry", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNATURE_ACCEPTED] =
    g_signal_new ("signature-accepted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
eimza_eonay_flow_init (EimzaEonayFlow *self)
{
  self->state = EIMZA_EONAY_FLOW_STATE_IDENTITY;
}
