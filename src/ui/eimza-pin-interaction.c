/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card's PIN for a TLS login with the card's certificate, asked with the PIN dialog. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-pin-dialog.h"
#include "eimza-pin-interaction.h"

struct _EimzaPinInteraction
{
  EimzaCardTlsInteraction parent_instance;

  char *purpose;
  char *accept_label;
  GtkWindow *parent;           /* weak */
};

G_DEFINE_FINAL_TYPE (EimzaPinInteraction, eimza_pin_interaction, EIMZA_TYPE_CARD_TLS_INTERACTION)

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

/* The interaction cancels on the main thread (see its finish_ask()). */
static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  Ask *ask = g_task_get_task_data (task);

  /* Not disconnected from inside its own handler. */
  ask->cancelled_id = 0;
  end_ask (task, GTK_RESPONSE_CANCEL);
}

static void
eimza_pin_interaction_ask_pin_async (EimzaCardTlsInteraction *interaction,
                                     EimzaPkcs11Token        *token,
                                     gboolean                 retry,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  EimzaPinInteraction *self = EIMZA_PIN_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Ask *ask = g_new0 (Ask, 1);

  g_task_set_source_tag (task, eimza_pin_interaction_ask_pin_async);
  g_task_set_task_data (task, ask, ask_free);

  ask->dialog = GTK_WIDGET (eimza_pin_dialog_new (self->parent, token, self->purpose));
  if (self->accept_label != NULL)
    eimza_pin_dialog_set_accept_label (EIMZA_PIN_DIALOG (ask->dialog), self->accept_label);
  /* The dialog keeps the task until it is destroyed. */
  g_signal_connect_data (ask->dialog, "response", G_CALLBACK (dialog_response_cb),
                         g_object_ref (task), (GClosureNotify) (void (*) (void)) g_object_unref,
                         0);
  if (cancellable != NULL)
    ask->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task,
                                               NULL);
  gtk_window_present (GTK_WINDOW (ask->dialog));
}

static gboolean
eimza_pin_interaction_ask_pin_finish (EimzaCardTlsInteraction  *interaction,
                                      GAsyncResult             *result,
                                      EimzaSecret             **pin,
                                      gboolean                 *final_try_confirmed,
                                      GError                  **error)
{
  GTask *task = G_TASK (result);
  Ask *ask = g_task_get_task_data (task);

  g_return_val_if_fail (g_task_is_valid (result, interaction), FALSE);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;

  *pin = eimza_pin_dialog_steal_pin (EIMZA_PIN_DIALOG (ask->dialog));
  *final_try_confirmed = eimza_pin_dialog_get_final_try_confirmed (EIMZA_PIN_DIALOG (ask->dialog));
  g_clear_pointer (&ask->dialog, gtk_widget_destroy);
  return TRUE;
}

static void
eimza_pin_interaction_dispose (GObject *object)
{
  EimzaPinInteraction *self = EIMZA_PIN_INTERACTION (object);

  g_clear_weak_pointer (&self->parent);

  G_OBJECT_CLASS (eimza_pin_interaction_parent_class)->dispose (object);
}

static void
eimza_pin_interaction_finalize (GObject *object)
{
  EimzaPinInteraction *self = EIMZA_PIN_INTERACTION (object);

  g_free (self->purpose);
  g_free (self->accept_label);

  G_OBJECT_CLASS (eimza_pin_interaction_parent_class)->finalize (object);
}

static void
eimza_pin_interaction_class_init (EimzaPinInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EimzaCardTlsInteractionClass *card_class = EIMZA_CARD_TLS_INTERACTION_CLASS (klass);

  object_class->dispose = eimza_pin_interaction_dispose;
  object_class->finalize = eimza_pin_interaction_finalize;
  card_class->ask_pin_async = eimza_pin_interaction_ask_pin_async;
  card_class->ask_pin_finish = eimza_pin_interaction_ask_pin_finish;
}

static void
eimza_pin_interaction_init (EimzaPinInteraction *self)
{
}

EimzaPinInteraction *
eimza_pin_interaction_new (EimzaCardService *service,
                           const char       *key_uri,
                           const char       *purpose)
{
  EimzaPinInteraction *self;

  g_return_val_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (key_uri != NULL, NULL);

  self = g_object_new (EIMZA_TYPE_PIN_INTERACTION,
                       "service", service,
                       "key-uri", key_uri,
                       NULL);
  self->purpose = g_strdup (purpose);

  return self;
}

void
eimza_pin_interaction_set_parent (EimzaPinInteraction *self,
                                  GtkWindow           *parent)
{
  g_return_if_fail (EIMZA_IS_PIN_INTERACTION (self));

  g_set_weak_pointer (&self->parent, parent);
}

void
eimza_pin_interaction_set_accept_label (EimzaPinInteraction *self,
                                        const char          *label)
{
  g_return_if_fail (EIMZA_IS_PIN_INTERACTION (self));

  g_free (self->accept_label);
  self->accept_label = g_strdup (label);
}

gboolean
eimza_pin_interaction_has_pin (EimzaPinInteraction *self)
{
  g_return_val_if_fail (EIMZA_IS_PIN_INTERACTION (self), FALSE);

  return eimza_card_tls_interaction_has_pin (EIMZA_CARD_TLS_INTERACTION (self));
}

void
eimza_pin_interaction_forget (EimzaPinInteraction *self)
{
  g_return_if_fail (EIMZA_IS_PIN_INTERACTION (self));

  eimza_card_tls_interaction_forget (EIMZA_CARD_TLS_INTERACTION (self));
}
