/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A locked card (or a new card's first PIN) through Kamu SM's Şifreli Giriş without a display: sign-in, SMS code, the unblock code, the new PIN, a test signature. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-card-error.h"
#include "eimza-card-signing.h"
#include "eimza-card-unlock-flow.h"
#include "eimza-flow-enums.h"
#include "eimza-nes-client.h"
#include "eimza-validation.h"
#include "eimza-wiped-buffer.h"

/* What the test signature signs: the certificates window's text. */
static const char test_text[] = "E-İmza Asistanı deneme imzası / test signature\n";

struct _EimzaCardUnlockFlow
{
  GObject parent_instance;

  EimzaPortalProfile *profile;
  EimzaCardService *service;
  char *url;
  char *ca_file;
  guint deadline;

  EimzaCardUnlockFlowState state;
  GError *error;
  GTask *task;                  /* the action under way */
  GCancellable *cancellable;    /* its work's: cancelled by reset or by the caller's */
  GCancellable *caller_cancellable;
  gulong cancelled_id;

  EimzaNesClient *client;
  GBytes *captcha;
  char *sms_phone;
  gint64 sms_deadline;
  char *holder;
  EimzaSecret *unblock_code;    /* from Kilit Çözme, until the card took it */
  gboolean pin_set;
  GBytes *test_signature;

  /* The unblock action's card and asker. */
  EimzaCertificate *certificate;
  EimzaPinAsker *asker;
  GDate birth_date;
};

G_DEFINE_FINAL_TYPE (EimzaCardUnlockFlow, eimza_card_unlock_flow, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  PROP_CAPTCHA,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
set_state (EimzaCardUnlockFlow      *self,
           EimzaCardUnlockFlowState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/* @error: (nullable) (transfer none) */
static void
set_error (EimzaCardUnlockFlow *self,
           const GError        *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error != NULL ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
}

/* @captcha: (transfer full) (nullable) */
static void
set_captcha (EimzaCardUnlockFlow *self,
             GBytes              *captcha)
{
  if (self->captcha == NULL && captcha == NULL)
    return;
  g_clear_pointer (&self->captcha, g_bytes_unref);
  self->captcha = captcha;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAPTCHA]);
}

static void
drop_unblock_code (EimzaCardUnlockFlow *self)
{
  g_clear_pointer (&self->unblock_code, eimza_secret_unref);
}

static void
drop_card (EimzaCardUnlockFlow *self)
{
  g_clear_object (&self->certificate);
  g_clear_object (&self->asker);
  g_date_clear (&self->birth_date, 1);
}

/* ------------------------------------------------------------------------
 * Actions: one at a time, each a GTask of the flow.
 * ------------------------------------------------------------------------ */

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *work)
{
  g_cancellable_cancel (work);
}

static void
release_cancellables (EimzaCardUnlockFlow *self)
{
  if (self->caller_cancellable != NULL)
    g_cancellable_disconnect (self->caller_cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->caller_cancellable);
  g_clear_object (&self->cancellable);
}

/* A task for an action allowed from @from, then the flow is @busy; %NULL
 * when refused (the task is answered already). */
static GTask *
action_begin (EimzaCardUnlockFlow      *self,
              gpointer                  source_tag,
              EimzaCardUnlockFlowState  from,
              EimzaCardUnlockFlowState  busy,
              GCancellable             *cancellable,
              GAsyncReadyCallback       callback,
              gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Another step of the unlock is under way");
      return NULL;
    }
  if (self->state != from)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "This step of the unlock is not possible now (state %d)",
                               self->state);
      return NULL;
    }

  release_cancellables (self);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                  g_object_ref (self->cancellable),
                                                  g_object_unref);
    }
  self->task = g_object_ref (task);
  set_error (self, NULL);
  set_state (self, busy);
  return g_steal_pointer (&task);
}

/* The cancellable the flow's work runs under: reset or the caller's. */
static GCancellable *
work_cancellable (EimzaCardUnlockFlow *self)
{
  return self->cancellable;
}

/* Whether the action of @task is still the flow's (not reset since). */
static gboolean
action_current (EimzaCardUnlockFlow *self,
                GTask               *task)
{
  return self->task == task;
}

/* Ends the action in @state: with @error (taken; nullable) or success. */
static void
action_end (EimzaCardUnlockFlow      *self,
            GTask                    *task,
            EimzaCardUnlockFlowState  state,
            GError                   *error)
{
  if (action_current (self, task))
    {
      g_clear_object (&self->task);
      release_cancellables (self);
      /* A cancelled action is no error to show. */
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error);
      set_state (self, state);
    }

  if (error == NULL)
    g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
action_finish (EimzaCardUnlockFlow *self,
               GAsyncResult        *result,
               gpointer             source_tag,
               GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Where a failed site step leaves the flow: an ended session, or an SMS
 * step that must start over, back at the sign-in form. */
static gboolean
must_sign_in_again (const GError *error)
{
  return g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED) ||
         g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SMS_EXPIRED) ||
         g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SMS_LOCKED);
}

static gboolean
ensure_client (EimzaCardUnlockFlow  *self,
               GError              **error)
{
  if (self->client != NULL)
    return TRUE;

  /* No certificate: the card is what needs help. */
  self->client = eimza_nes_client_new (self->profile, self->url, self->ca_file, NULL, NULL, NULL,
                                       error);
  if (self->client == NULL)
    return FALSE;
  if (self->deadline > 0)
    eimza_nes_client_set_deadline (self->client, self->deadline);
  if (!eimza_nes_client_has_unblock (self->client))
    {
      g_clear_object (&self->client);
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
                           _("This portal profile does not describe Kamu SM’s Şifreli Giriş."));
      return FALSE;
    }
  return TRUE;
}

/* -- the captcha ---------------------------------------------------------- */

static void
captcha_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaCardUnlockFlow *self = g_task_get_source_object (task);
  g_autoptr(GBytes) image = NULL;
  GError *error = NULL;

  image = eimza_nes_client_unblock_captcha_finish (EIMZA_NES_CLIENT (source), result, &error);
  if (image != NULL && action_current (self, task))
    set_captcha (self, g_steal_pointer (&image));
  action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN, error);
}

void
eimza_card_unlock_flow_load_captcha_async (EimzaCardUnlockFlow *self,
                                           gboolean             start_over,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self));

  task = action_begin (self, eimza_card_unlock_flow_load_captcha_async,
                       EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN, EIMZA_CARD_UNLOCK_FLOW_STATE_LOADING,
                       cancellable, callback, user_data);
  if (task == NULL)
    return;

  set_captcha (self, NULL);
  if (!ensure_client (self, &error))
    {
      action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN, error);
      return;
    }
  eimza_nes_client_unblock_captcha_async (self->client, start_over, work_cancellable (self),
                                          captcha_cb, g_steal_pointer (&task));
}

gboolean
eimza_card_unlock_flow_load_captcha_finish (EimzaCardUnlockFlow *self,
                                            GAsyncResult        *result,
                                            GError             **error)
{
  return action_finish (self, result, eimza_card_unlock_flow_load_captcha_async, error);
}

/* -- the sign-in ---------------------------------------------------------- */

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaCardUnlockFlow *self = g_task_get_source_object (task);
  g_autofree char *phone = NULL;
  int seconds_left = -1;
  GError *error = NULL;

  if (!eimza_nes_client_unblock_sign_in_finish (EIMZA_NES_CLIENT (source), result, &phone,
                                                &seconds_left, &error))
    {
      /* Whatever the site said, its form comes back with a new captcha. */
      action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN, error);
      return;
    }

  if (action_current (self, task))
    {
      g_free (self->sms_phone);
      self->sms_phone = g_steal_pointer (&phone);
      self->sms_deadline = seconds_left >= 0
        ? g_get_monotonic_time () + (gint64) seconds_left * G_USEC_PER_SEC : 0;
    }
  action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_SMS, NULL);
}

void
eimza_card_unlock_flow_sign_in_async (EimzaCardUnlockFlow *self,
                                      const char          *tckn,
                                      EimzaSecret         *security_word,
                                      const char          *captcha,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *number = NULL;
  GError *error = NULL;

  g_return_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self));
  g_return_if_fail (tckn != NULL && security_word != NULL && captcha != NULL);

  task = action_begin (self, eimza_card_unlock_flow_sign_in_async,
                       EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN,
                       EIMZA_CARD_UNLOCK_FLOW_STATE_SIGNING_IN, cancellable, callback, user_data);
  if (task == NULL)
    return;

  /* Checked here first: a wrong number costs nobody a try on the site. */
  number = g_strstrip (g_strdup (tckn));
  if (!eimza_tckn_validate (number, &error))
    {
      eimza_wiped_string_free (g_steal_pointer (&number));
      action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN, error);
      return;
    }
  if (eimza_secret_is_empty (security_word) || *captcha == '\0' || self->captcha == NULL)
    {
      eimza_wiped_string_free (g_steal_pointer (&number));
      action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN,
                  g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_INVALID_FIELDS,
                                       _("Type the security word and the text of the "
                                         "security image.")));
      return;
    }

  /* The captcha is used up whatever the answer. */
  set_captcha (self, NULL);
  eimza_nes_client_unblock_sign_in_async (self->client, number,
                                          eimza_secret_get (security_word, NULL), captcha,
                                          work_cancellable (self), sign_in_cb,
                                          g_steal_pointer (&task));
  eimza_wiped_string_free (g_steal_pointer (&number));
}

gboolean
eimza_card_unlock_flow_sign_in_finish (EimzaCardUnlockFlow *self,
                                       GAsyncResult        *result,
                                       GError             **error)
{
  return action_finish (self, result, eimza_card_unlock_flow_sign_in_async, error);
}

/* -- the SMS code and the unblock code ------------------------------------ */

static void
fetch_code_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaCardUnlockFlow *self = g_task_get_source_object (task);
  g_autoptr(GBytes) code = NULL;
  GError *error = NULL;
  gsize size = 0;
  const char *data;

  code = eimza_nes_client_unblock_fetch_code_finish (EIMZA_NES_CLIENT (source), result, &error);
  if (code == NULL)
    {
      action_end (self, task, must_sign_in_again (error) ? EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN
                                                         : EIMZA_CARD_UNLOCK_FLOW_STATE_CODE,
                  error);
      return;
    }

  data = g_bytes_get_data (code, &size);
  if (action_current (self, task))
    {
      drop_unblock_code (self);
      self->unblock_code = eimza_secret_new (data, size);
    }
  action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK, NULL);
}

static void
confirm_sms_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaCardUnlockFlow *self = g_task_get_source_object (task);
  g_autofree char *holder = NULL;
  GError *error = NULL;

  if (!eimza_nes_client_unblock_confirm_sms_finish (EIMZA_NES_CLIENT (source), result, &holder,
                                                    &error))
    {
      action_end (self, task, must_sign_in_again (error) ? EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN
                                                         : EIMZA_CARD_UNLOCK_FLOW_STATE_SMS,
                  error);
      return;
    }

  if (!action_current (self, task))
    {
      action_end (self, task, self->state, NULL);
      return;
    }
  g_free (self->holder);
  self->holder = g_steal_pointer (&holder);
  g_clear_pointer (&self->sms_phone, g_free);
  self->sms_deadline = 0;
  /* Kilit Çözme is open: asking for the code spends no try of the card. */
  set_state (self, EIMZA_CARD_UNLOCK_FLOW_STATE_FETCHING);
  eimza_nes_client_unblock_fetch_code_async (self->client, work_cancellable (self),
                                             fetch_code_cb, g_steal_pointer (&task));
}

void
eimza_card_unlock_flow_confirm_sms_async (EimzaCardUnlockFlow *self,
                                          EimzaSecret         *sms_code,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self));
  g_return_if_fail (sms_code != NULL);

  task = action_begin (self, eimza_card_unlock_flow_confirm_sms_async,
                       EIMZA_CARD_UNLOCK_FLOW_STATE_SMS, EIMZA_CARD_UNLOCK_FLOW_STATE_CONFIRMING,
                       cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (eimza_secret_is_empty (sms_code))
    {
      action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_SMS,
                  g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_INVALID_FIELDS,
                                       _("Type the SMS approval code.")));
      return;
    }

  eimza_nes_client_unblock_confirm_sms_async (self->client, eimza_secret_get (sms_code, NULL),
                                              work_cancellable (self), confirm_sms_cb,
                                              g_steal_pointer (&task));
}

gboolean
eimza_card_unlock_flow_confirm_sms_finish (EimzaCardUnlockFlow *self,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  return action_finish (self, result, eimza_card_unlock_flow_confirm_sms_async, error);
}

void
eimza_card_unlock_flow_fetch_code_async (EimzaCardUnlockFlow *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self));

  task = action_begin (self, eimza_card_unlock_flow_fetch_code_async,
                       EIMZA_CARD_UNLOCK_FLOW_STATE_CODE, EIMZA_CARD_UNLOCK_FLOW_STATE_FETCHING,
                       cancellable, callback, user_data);
  if (task == NULL)
    return;

  eimza_nes_client_unblock_fetch_code_async (self->client, work_cancellable (self),
                                             fetch_code_cb, g_steal_pointer (&task));
}

gboolean
eimza_card_unlock_flow_fetch_code_finish (EimzaCardUnlockFlow *self,
                                          GAsyncResult        *result,
                                          GError             **error)
{
  return action_finish (self, result, eimza_card_unlock_flow_fetch_code_async, error);
}

/* -- the card ------------------------------------------------------------- */

static void
test_signature_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaCardUnlockFlow *self = g_task_get_source_object (task);
  g_autoptr(GBytes) signature = NULL;
  GError *error = NULL;

  signature = eimza_card_signing_run_finish (EIMZA_CARD_SIGNING (source), result, &error);
  if (action_current (self, task))
    {
      g_clear_pointer (&self->test_signature, g_bytes_unref);
      self->test_signature = g_steal_pointer (&signature);
      drop_card (self);
    }
  /* The PIN is set whatever the test says; its error is shown. */
  action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_DONE, error);
}

static void
unblock_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaCardUnlockFlow *self = g_task_get_source_object (task);
  g_autoptr(GBytes) done = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(EimzaCardSigning) test = NULL;
  GError *error = NULL;

  done = eimza_card_signing_run_finish (EIMZA_CARD_SIGNING (source), result, &error);
  if (done == NULL)
    {
      gboolean wrong_code = g_error_matches (error, EIMZA_CARD_ERROR,
                                             EIMZA_CARD_ERROR_PUK_INCORRECT) ||
                            g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_LOCKED);

      /* A code the card refused is never sent again. */
      if (wrong_code && action_current (self, task))
        drop_unblock_code (self);
      if (action_current (self, task))
        drop_card (self);
      action_end (self, task, wrong_code ? EIMZA_CARD_UNLOCK_FLOW_STATE_CODE
                                         : EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK, error);
      return;
    }

  if (!action_current (self, task))
    {
      action_end (self, task, self->state, NULL);
      return;
    }

  /* The card took it: the code has done its work. */
  drop_unblock_code (self);
  self->pin_set = TRUE;
  set_state (self, EIMZA_CARD_UNLOCK_FLOW_STATE_TESTING);

  content = g_bytes_new_static (test_text, strlen (test_text));
  test = eimza_card_signing_new_cades (self->service, self->asker,
                                       eimza_certificate_get_uri (self->certificate),
                                       eimza_certificate_get_key_uri (self->certificate),
                                       content, EIMZA_CADES_DETACHED);
  eimza_card_signing_run_async (test, work_cancellable (self), test_signature_cb,
                                g_steal_pointer (&task));
}

void
eimza_card_unlock_flow_unblock_async (EimzaCardUnlockFlow *self,
                                      EimzaCertificate    *certificate,
                                      EimzaPinAsker       *asker,
                                      const char          *birth_date,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EimzaCardSigning) signing = NULL;

  g_return_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self));
  g_return_if_fail (EIMZA_IS_CERTIFICATE (certificate));
  g_return_if_fail (EIMZA_IS_PIN_ASKER (asker));

  task = action_begin (self, eimza_card_unlock_flow_unblock_async,
                       EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK,
                       EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCKING, cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (eimza_certificate_get_key_uri (certificate) == NULL)
    {
      action_end (self, task, EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK,
                  g_error_new_literal (EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NOT_FOUND,
                                       _("The card’s signing key was not found.")));
      return;
    }

  drop_card (self);
  self->certificate = g_object_ref (certificate);
  self->asker = g_object_ref (asker);

  /* The one operation that owns every rule of the unblock code's tries. */
  signing = eimza_card_signing_new_pin_unblock (self->service, asker,
                                                eimza_certificate_get_key_uri (certificate));
  eimza_card_signing_set_unblock_code (signing, self->unblock_code);
  if (birth_date != NULL &&
      eimza_birth_date_parse (birth_date, NULL, &self->birth_date, NULL))
    eimza_card_signing_add_birth_date (signing, &self->birth_date);
  eimza_card_signing_run_async (signing, work_cancellable (self), unblock_cb,
                                g_steal_pointer (&task));
}

gboolean
eimza_card_unlock_flow_unblock_finish (EimzaCardUnlockFlow *self,
                                       GAsyncResult        *result,
                                       GError             **error)
{
  return action_finish (self, result, eimza_card_unlock_flow_unblock_async, error);
}

/* ------------------------------------------------------------------------
 * The object.
 * ------------------------------------------------------------------------ */

void
eimza_card_unlock_flow_reset (EimzaCardUnlockFlow *self)
{
  g_return_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self));

  g_cancellable_cancel (self->cancellable);
  release_cancellables (self);
  /* Its work ends as cancelled and answers the task then. */
  g_clear_object (&self->task);
  g_clear_object (&self->client);
  drop_unblock_code (self);
  drop_card (self);
  set_captcha (self, NULL);
  g_clear_pointer (&self->sms_phone, g_free);
  g_clear_pointer (&self->holder, g_free);
  g_clear_pointer (&self->test_signature, g_bytes_unref);
  self->sms_deadline = 0;
  self->pin_set = FALSE;
  set_error (self, NULL);
  set_state (self, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN);
}

static void
eimza_card_unlock_flow_dispose (GObject *object)
{
  EimzaCardUnlockFlow *self = EIMZA_CARD_UNLOCK_FLOW (object);

  g_cancellable_cancel (self->cancellable);
  release_cancellables (self);
  g_clear_object (&self->task);
  g_clear_object (&self->client);
  drop_unblock_code (self);
  drop_card (self);
  g_clear_object (&self->service);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (eimza_card_unlock_flow_parent_class)->dispose (object);
}

static void
eimza_card_unlock_flow_finalize (GObject *object)
{
  EimzaCardUnlockFlow *self = EIMZA_CARD_UNLOCK_FLOW (object);

  g_free (self->url);
  g_free (self->ca_file);
  g_clear_error (&self->error);
  g_clear_pointer (&self->captcha, g_bytes_unref);
  g_free (self->sms_phone);
  g_free (self->holder);
  g_clear_pointer (&self->test_signature, g_bytes_unref);

  G_OBJECT_CLASS (eimza_card_unlock_flow_parent_class)->finalize (object);
}

static void
eimza_card_unlock_flow_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EimzaCardUnlockFlow *self = EIMZA_CARD_UNLOCK_FLOW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_CAPTCHA:
      g_value_set_boxed (value, self->captcha);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_card_unlock_flow_class_init (EimzaCardUnlockFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_card_unlock_flow_dispose;
  object_class->finalize = eimza_card_unlock_flow_finalize;
  object_class->get_property = eimza_card_unlock_flow_get_property;

  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, EIMZA_TYPE_CARD_UNLOCK_FLOW_STATE,
                       EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_CAPTCHA] =
    g_param_spec_boxed ("captcha", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
eimza_card_unlock_flow_init (EimzaCardUnlockFlow *self)
{
  self->state = EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN;
  g_date_clear (&self->birth_date, 1);
}

EimzaCardUnlockFlow *
eimza_card_unlock_flow_new (EimzaPortalProfile *profile,
                            EimzaCardService   *service,
                            const char         *url,
                            const char         *ca_file)
{
  EimzaCardUnlockFlow *self;

  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (profile), NULL);
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);

  self = g_object_new (EIMZA_TYPE_CARD_UNLOCK_FLOW, NULL);
  self->profile = g_object_ref (profile);
  self->service = g_object_ref (service);
  self->url = g_strdup (url);
  self->ca_file = g_strdup (ca_file);
  return self;
}

EimzaCardUnlockFlowState
eimza_card_unlock_flow_get_state (EimzaCardUnlockFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self), EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN);
  return self->state;
}

const GError *
eimza_card_unlock_flow_get_error (EimzaCardUnlockFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self), NULL);
  return self->error;
}

GBytes *
eimza_card_unlock_flow_get_captcha (EimzaCardUnlockFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self), NULL);
  return self->captcha;
}

const char *
eimza_card_unlock_flow_get_sms_phone (EimzaCardUnlockFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self), NULL);
  return self->sms_phone;
}

gint64
eimza_card_unlock_flow_get_sms_deadline (EimzaCardUnlockFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self), 0);
  return self->sms_deadline;
}

const char *
eimza_card_unlock_flow_get_holder (EimzaCardUnlockFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self), NULL);
  return self->holder;
}

gboolean
eimza_card_unlock_flow_get_pin_set (EimzaCardUnlockFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self), FALSE);
  return self->pin_set;
}

GBytes *
eimza_card_unlock_flow_get_test_signature (EimzaCardUnlockFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self), NULL);
  return self->test_signature;
}

EimzaNesClient *
eimza_card_unlock_flow_get_client (EimzaCardUnlockFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self), NULL);
  return self->client;
}

void
eimza_card_unlock_flow_set_deadline (EimzaCardUnlockFlow *self,
                                     guint                seconds)
{
  g_return_if_fail (EIMZA_IS_CARD_UNLOCK_FLOW (self));

  self->deadline = seconds;
  if (self->client != NULL && seconds > 0)
    eimza_nes_client_set_deadline (self->client, seconds);
}
