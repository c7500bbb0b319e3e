/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card-signing operation's PIN asker for people: one EimzaPinDialog per ask. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-pin-dialog.h"
#include "eimza-pin-dialog-asker.h"

struct _EimzaPinDialogAsker
{
  GObject parent_instance;

  GtkWindow *parent;           /* weak */
  char *purpose;
  char *accept_label;
};

static void eimza_pin_dialog_asker_iface_init (EimzaPinAskerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EimzaPinDialogAsker, eimza_pin_dialog_asker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EIMZA_TYPE_PIN_ASKER,
                                                      eimza_pin_dialog_asker_iface_init))

typedef struct {
  GtkWidget *dialog;
  gulong cancelled_id;
  gboolean answered;
} Ask;

static void
ask_free (gpointer data)
{
  Ask *ask = data;

  g_clear_pointer (&ask->dialog, gtk_widget_destroy);
  g_free (ask);
}

/* Ends the ask once: the response or the cancellation, whichever first. */
static void
end_ask (GTask *task,
         int    response)
{
  /* Destroying the dialog drops the reference its handler holds. */
  g_autoptr(GTask) hold = g_object_ref (task);
  Ask *ask = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (ask->dialog == NULL || g_task_had_error (task) || ask->answered)
    return;
  ask->answered = TRUE;

  if (ask->cancelled_id != 0)
    g_cancellable_disconnect (cancellable, ask->cancelled_id);
  ask->cancelled_id = 0;

  if (response != GTK_RESPONSE_OK)
    {
      g_clear_pointer (&ask->dialog, gtk_widget_destroy);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("No PIN was given."));
      return;
    }

  /* The dialog is destroyed with the task's data, after the PIN was taken. */
  g_task_return_boolean (task, TRUE);
}

static void
dialog_response_cb (EimzaPinDialog *dialog,
                    int             response,
                    GTask          *task)
{
  end_ask (task, response);
}

/* The operation cancels on the main thread. */
static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  Ask *ask = g_task_get_task_data (task);

  /* Not disconnected from inside its own handler. */
  ask->cancelled_id = 0;
  end_ask (task, GTK_RESPONSE_CANCEL);
}

/* Shows @dialog for the ask @task, until it responds or the ask is
 * cancelled. */
static void
start_ask (GTask          *task,
           EimzaPinDialog *dialog)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  Ask *ask = g_new0 (Ask, 1);

  g_task_set_task_data (task, ask, ask_free);
  ask->dialog = GTK_WIDGET (dialog);
  /* The dialog keeps the task until it is destroyed. */
  g_signal_connect_data (ask->dialog, "response", G_CALLBACK (dialog_response_cb),
                         g_object_ref (task), (GClosureNotify) (void (*) (void)) g_object_unref,
                         0);
  if (cancellable != NULL)
    ask->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task,
                                               NULL);
  gtk_window_present (GTK_WINDOW (ask->dialog));
}

static void
eimza_pin_dialog_asker_ask_async (EimzaPinAsker        *asker,
                                  EimzaPkcs11Token     *token,
                                  EimzaPinAskFlags      flags,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  EimzaPinDialogAsker *self = EIMZA_PIN_DIALOG_ASKER (asker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  EimzaPinDialog *dialog;

  g_task_set_source_tag (task, eimza_pin_dialog_asker_ask_async);

  /* The dialog reads the retry state, the last try and the keypad from
   * the token the operation has just read (@flags say the same). */
  dialog = eimza_pin_dialog_new (self->parent, token, self->purpose);
  if (self->accept_label != NULL)
    eimza_pin_dialog_set_accept_label (dialog, self->accept_label);
  start_ask (task, dialog);
}

static void
eimza_pin_dialog_asker_ask_new_pin_async (EimzaPinAsker          *asker,
                                          EimzaPkcs11Token       *token,
                                          EimzaPinAskFlags        flags,
                                          const EimzaNewPinRules *rules,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data)
{
  EimzaPinDialogAsker *self = EIMZA_PIN_DIALOG_ASKER (asker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, eimza_pin_dialog_asker_ask_new_pin_async);
  /* The same dialog, with the new PIN twice under the operation's rules. */
  start_ask (task, eimza_pin_dialog_new_for_change (self->parent, token, self->purpose, rules));
}

static void
eimza_pin_dialog_asker_ask_unblock_async (EimzaPinAsker          *asker,
                                          EimzaPkcs11Token       *token,
                                          EimzaPinAskFlags        flags,
                                          const EimzaNewPinRules *rules,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data)
{
  EimzaPinDialogAsker *self = EIMZA_PIN_DIALOG_ASKER (asker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, eimza_pin_dialog_asker_ask_unblock_async);
  EimzaPinDialog *dialog;

  /* The same dialog: the unblock code, its tries, the new PIN twice. */
  dialog = eimza_pin_dialog_new_for_unblock (self->parent, token, self->purpose, rules);
  if (flags & EIMZA_PIN_ASK_UNBLOCK_CODE_KNOWN)
    eimza_pin_dialog_set_unblock_code_known (dialog);
  start_ask (task, dialog);
}

static gboolean
eimza_pin_dialog_asker_ask_new_pin_finish (EimzaPinAsker  *asker,
                                           GAsyncResult   *result,
                                           EimzaSecret   **current_pin,
                                           EimzaSecret   **new_pin,
                                           gboolean       *final_try_confirmed,
                                           GError        **error)
{
  GTask *task = G_TASK (result);
  Ask *ask = g_task_get_task_data (task);
  EimzaPinDialog *dialog;

  g_return_val_if_fail (g_task_is_valid (result, asker), FALSE);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;

  dialog = EIMZA_PIN_DIALOG (ask->dialog);
  *current_pin = eimza_pin_dialog_steal_pin (dialog);
  *new_pin = eimza_pin_dialog_steal_new_pin (dialog);
  *final_try_confirmed = eimza_pin_dialog_get_final_try_confirmed (dialog);
  g_clear_pointer (&ask->dialog, gtk_widget_destroy);
  return TRUE;
}

static gboolean
eimza_pin_dialog_asker_ask_finish (EimzaPinAsker  *asker,
                                   GAsyncResult   *result,
                                   EimzaSecret   **pin,
                                   gboolean       *final_try_confirmed,
                                   GError        **error)
{
  GTask *task = G_TASK (result);
  Ask *ask = g_task_get_task_data (task);

  g_return_val_if_fail (g_task_is_valid (result, asker), FALSE);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;

  *pin = eimza_pin_dialog_steal_pin (EIMZA_PIN_DIALOG (ask->dialog));
  *final_try_confirmed = eimza_pin_dialog_get_final_try_confirmed (EIMZA_PIN_DIALOG (ask->dialog));
  g_clear_pointer (&ask->dialog, gtk_widget_destroy);
  return TRUE;
}

static void
eimza_pin_dialog_asker_iface_init (EimzaPinAskerInterface *iface)
{
  iface->ask_async = eimza_pin_dialog_asker_ask_async;
  iface->ask_finish = eimza_pin_dialog_asker_ask_finish;
  iface->ask_new_pin_async = eimza_pin_dialog_asker_ask_new_pin_async;
  iface->ask_new_pin_finish = eimza_pin_dialog_asker_ask_new_pin_finish;
  /* The answer is read from the dialog alike: the code, then the new PIN. */
  iface->ask_unblock_async = eimza_pin_dialog_asker_ask_unblock_async;
  iface->ask_unblock_finish = eimza_pin_dialog_asker_ask_new_pin_finish;
}

static void
eimza_pin_dialog_asker_dispose (GObject *object)
{
  EimzaPinDialogAsker *self = EIMZA_PIN_DIALOG_ASKER (object);

  g_clear_weak_pointer (&self->parent);

  G_OBJECT_CLASS (eimza_pin_dialog_asker_parent_class)->dispose (object);
}

static void
eimza_pin_dialog_asker_finalize (GObject *object)
{
  EimzaPinDialogAsker *self = EIMZA_PIN_DIALOG_ASKER (object);

  g_free (self->purpose);
  g_free (self->accept_label);

  G_OBJECT_CLASS (eimza_pin_dialog_asker_parent_class)->finalize (object);
}

static void
eimza_pin_dialog_asker_class_init (EimzaPinDialogAskerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_pin_dialog_asker_dispose;
  object_class->finalize = eimza_pin_dialog_asker_finalize;
}

static void
eimza_pin_dialog_asker_init (EimzaPinDialogAsker *self)
{
}

EimzaPinDialogAsker *
eimza_pin_dialog_asker_new (GtkWindow  *parent,
                            const char *purpose)
{
  EimzaPinDialogAsker *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (EIMZA_TYPE_PIN_DIALOG_ASKER, NULL);
  g_set_weak_pointer (&self->parent, parent);
  self->purpose = g_strdup (purpose);

  return self;
}

void
eimza_pin_dialog_asker_set_parent (EimzaPinDialogAsker *self,
                                   GtkWindow           *parent)
{
  g_return_if_fail (EIMZA_IS_PIN_DIALOG_ASKER (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  g_set_weak_pointer (&self->parent, parent);
}

void
eimza_pin_dialog_asker_set_purpose (EimzaPinDialogAsker *self,
                                    const char          *purpose)
{
  g_return_if_fail (EIMZA_IS_PIN_DIALOG_ASKER (self));

  g_free (self->purpose);
  self->purpose = g_strdup (purpose);
}

void
eimza_pin_dialog_asker_set_accept_label (EimzaPinDialogAsker *self,
                                         const char          *label)
{
  g_return_if_fail (EIMZA_IS_PIN_DIALOG_ASKER (self));

  g_free (self->accept_label);
  self->accept_label = g_strdup (label);
}

const char *
eimza_pin_dialog_asker_progress_text (EimzaPkcs11Token *token,
                                      const char       *signing_text)
{
  return token != NULL && (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PINPAD)
         ? _("Enter the PIN on the card reader’s keypad…")
         : signing_text;
}
