/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card's PIN for a TLS login with the card's certificate, asked with the PIN dialog. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-card-error.h"
#include "eimza-pin-dialog.h"
#include "eimza-pin-interaction.h"
#include "eimza-pkcs11.h"

struct _EimzaPinInteraction
{
  GTlsInteraction parent_instance;

  EimzaCardService *service;
  char *key_uri;
  char *purpose;
  char *accept_label;
  GtkWindow *parent;           /* weak */

  /* The PIN the person gave in this session, for later connections. */
  EimzaSecret *pin;

  /* The ask under way: one at a time (a TLS handshake waits for it). */
  GTask *task;
  GtkWidget *dialog;
  gulong cancelled_id;
  GMainContext *context;
  guint serial;                /* of the ask, for a late cancellation */
};

typedef struct {
  EimzaPinInteraction *self;
  guint serial;
} CancelData;

G_DEFINE_FINAL_TYPE (EimzaPinInteraction, eimza_pin_interaction, G_TYPE_TLS_INTERACTION)

/* The GTlsPassword keeps its own copy of the value; this one is wiped
 * when the password lets go of it. */
static void
wipe_and_free (gpointer data)
{
  char *value = data;

  explicit_bzero (value, strlen (value));
  g_free (value);
}

static void
give_pin (GTlsPassword *password,
          EimzaSecret  *pin)
{
  gsize length = 0;
  const char *value = pin != NULL ? eimza_secret_get (pin, &length) : "";
  char *copy = g_malloc (length + 1);

  memcpy (copy, value, length);
  copy[length] = '\0';
  g_tls_password_set_value_full (password, (guchar *) copy, (gssize) length, wipe_and_free);
}

static void
finish_ask (EimzaPinInteraction *self,
            GError              *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (self->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
      self->cancelled_id = 0;
    }

  if (self->dialog != NULL)
    gtk_widget_destroy (g_steal_pointer (&self->dialog));

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
}

static gboolean
is_retry (GTask *task)
{
  GTlsPassword *password = g_task_get_task_data (task);

  return (g_tls_password_get_flags (password) & G_TLS_PASSWORD_RETRY) != 0;
}

static void
dialog_response_cb (EimzaPinDialog      *dialog,
                    int                  response,
                    EimzaPinInteraction *self)
{
  g_autoptr(EimzaSecret) pin = NULL;
  GTlsPassword *password;

  if (self->task == NULL)
    return;

  if (response != GTK_RESPONSE_OK)
    {
      /* After a wrong PIN, giving up is a PIN failure, so the login stops
       * and says why; otherwise the person just did not want to go on. */
      if (is_retry (self->task))
        finish_ask (self, g_error_new_literal (EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT,
                                               _("The PIN was wrong, and no other PIN was "
                                                 "given. Nothing more was sent to the card.")));
      else
        finish_ask (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("No PIN was given.")));
      return;
    }

  pin = eimza_pin_dialog_steal_pin (dialog);
  password = g_task_get_task_data (self->task);
  give_pin (password, pin);

  g_clear_pointer (&self->pin, eimza_secret_unref);
  if (pin != NULL)
    self->pin = g_steal_pointer (&pin);

  finish_ask (self, NULL);
}

static void
lookup_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EimzaPinInteraction) self = user_data;
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11TokenFlags flags;

  token = eimza_pkcs11_lookup_token_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (self->task == NULL)
    return;

  if (token == NULL)
    {
      finish_ask (self, g_steal_pointer (&error));
      return;
    }

  flags = eimza_pkcs11_token_get_flags (token);
  /* A locked card is never asked for a PIN. */
  if (flags & EIMZA_PKCS11_TOKEN_PIN_LOCKED)
    {
      finish_ask (self, g_error_new_literal (EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED,
                                             _("The card’s PIN is locked after three wrong "
                                               "tries. Unlock it on Kamu SM’s NES site with "
                                               "“Kilit Çözme”, then try again.")));
      return;
    }

  self->dialog = GTK_WIDGET (eimza_pin_dialog_new (self->parent, token, self->purpose));
  if (self->accept_label != NULL)
    eimza_pin_dialog_set_accept_label (EIMZA_PIN_DIALOG (self->dialog), self->accept_label);
  g_signal_connect_object (self->dialog, "response", G_CALLBACK (dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
cancel_data_free (gpointer data)
{
  CancelData *cancel = data;

  g_object_unref (cancel->self);
  g_free (cancel);
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  CancelData *cancel = user_data;
  EimzaPinInteraction *self = cancel->self;

  if (self->task != NULL && self->serial == cancel->serial)
    finish_ask (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The login was cancelled.")));

  return G_SOURCE_REMOVE;
}

/* May run in any thread: the answer is given in the main context. */
static void
cancelled_cb (GCancellable        *cancellable,
              EimzaPinInteraction *self)
{
  CancelData *cancel = g_new0 (CancelData, 1);

  cancel->self = g_object_ref (self);
  cancel->serial = self->serial;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT,
                              cancelled_idle_cb, cancel, cancel_data_free);
}

static void
eimza_pin_interaction_ask_password_async (GTlsInteraction     *interaction,
                                          GTlsPassword        *password,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  EimzaPinInteraction *self = EIMZA_PIN_INTERACTION (interaction);
  g_autoptr(GTask) task = NULL;
  gboolean retry = (g_tls_password_get_flags (password) & G_TLS_PASSWORD_RETRY) != 0;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_pin_interaction_ask_password_async);
  g_task_set_task_data (task, g_object_ref (password), g_object_unref);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The PIN is already being asked for."));
      return;
    }

  /* A wrong PIN: the kept one (if it was that) is worthless now, and is
   * never sent again. */
  if (retry)
    g_clear_pointer (&self->pin, eimza_secret_unref);

  /* A new connection of the same session: the PIN the person gave. */
  if (!retry && self->pin != NULL)
    {
      give_pin (password, self->pin);
      g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
      return;
    }

  if (self->service == NULL)
    {
      g_task_return_new_error (task, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_SERVICE,
                               _("The card service is not available."));
      return;
    }

  self->task = g_steal_pointer (&task);
  self->serial++;
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                                self, NULL);

  /* The PIN state is read right before the dialog shows it. */
  eimza_pkcs11_lookup_token_async (self->service, self->key_uri, NULL,
                                   lookup_token_cb, g_object_ref (self));
}

static GTlsInteractionResult
eimza_pin_interaction_ask_password_finish (GTlsInteraction  *interaction,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  GError *local_error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, interaction), G_TLS_INTERACTION_FAILED);

  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return G_TLS_INTERACTION_FAILED;
    }

  return (GTlsInteractionResult) value;
}

static void
eimza_pin_interaction_dispose (GObject *object)
{
  EimzaPinInteraction *self = EIMZA_PIN_INTERACTION (object);

  if (self->task != NULL)
    finish_ask (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The login was cancelled.")));
  g_clear_pointer (&self->pin, eimza_secret_unref);
  g_clear_object (&self->service);
  g_clear_weak_pointer (&self->parent);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (eimza_pin_interaction_parent_class)->dispose (object);
}

static void
eimza_pin_interaction_finalize (GObject *object)
{
  EimzaPinInteraction *self = EIMZA_PIN_INTERACTION (object);

  g_free (self->key_uri);
  g_free (self->purpose);
  g_free (self->accept_label);

  G_OBJECT_CLASS (eimza_pin_interaction_parent_class)->finalize (object);
}

static void
eimza_pin_interaction_class_init (EimzaPinInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsInteractionClass *interaction_class = G_TLS_INTERACTION_CLASS (klass);

  object_class->dispose = eimza_pin_interaction_dispose;
  object_class->finalize = eimza_pin_interaction_finalize;
  interaction_class->ask_password_async = eimza_pin_interaction_ask_password_async;
  interaction_class->ask_password_finish = eimza_pin_interaction_ask_password_finish;
}

static void
eimza_pin_interaction_init (EimzaPinInteraction *self)
{
  /* Where asks are answered: GTlsInteraction brings them here. */
  self->context = g_main_context_ref_thread_default ();
}

EimzaPinInteraction *
eimza_pin_interaction_new (GObject    *service,
                           const char *key_uri,
                           const char *purpose)
{
  EimzaPinInteraction *self;

  g_return_val_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (key_uri != NULL, NULL);

  self = g_object_new (EIMZA_TYPE_PIN_INTERACTION, NULL);
  self->service = service != NULL ? EIMZA_CARD_SERVICE (g_object_ref (service)) : NULL;
  self->key_uri = g_strdup (key_uri);
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

  return self->pin != NULL;
}

void
eimza_pin_interaction_forget (EimzaPinInteraction *self)
{
  g_return_if_fail (EIMZA_IS_PIN_INTERACTION (self));

  g_clear_pointer (&self->pin, eimza_secret_unref);
  if (self->task != NULL)
    finish_ask (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The login was cancelled.")));
}
