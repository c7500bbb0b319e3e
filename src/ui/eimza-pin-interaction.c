/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card's PIN for a TLS login with the card's certificate, asked with the PIN dialog. */
#include "config.h"

#include "eimza-pin-dialog-asker.h"
#include "eimza-pin-interaction.h"

struct _EimzaPinInteraction
{
  EimzaCardTlsInteraction parent_instance;

  /* Asks the person; the PIN rules are the parent class's operation's. */
  EimzaPinDialogAsker *asker;
};

G_DEFINE_FINAL_TYPE (EimzaPinInteraction, eimza_pin_interaction, EIMZA_TYPE_CARD_TLS_INTERACTION)

static void
eimza_pin_interaction_ask_pin_async (EimzaCardTlsInteraction *interaction,
                                     EimzaPkcs11Token        *token,
                                     gboolean                 retry,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  EimzaPinInteraction *self = EIMZA_PIN_INTERACTION (interaction);
  EimzaPkcs11TokenFlags token_flags = eimza_pkcs11_token_get_flags (token);
  EimzaPinAskFlags flags = retry ? EIMZA_PIN_ASK_RETRY : EIMZA_PIN_ASK_DEFAULT;

  if (token_flags & EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW)
    flags |= EIMZA_PIN_ASK_COUNT_LOW;
  if (token_flags & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY)
    flags |= EIMZA_PIN_ASK_FINAL_TRY;
  if (token_flags & EIMZA_PKCS11_TOKEN_PINPAD)
    flags |= EIMZA_PIN_ASK_PINPAD;

  eimza_pin_asker_ask_async (EIMZA_PIN_ASKER (self->asker), token, flags, cancellable, callback,
                             user_data);
}

static gboolean
eimza_pin_interaction_ask_pin_finish (EimzaCardTlsInteraction  *interaction,
                                      GAsyncResult             *result,
                                      EimzaSecret             **pin,
                                      gboolean                 *final_try_confirmed,
                                      GError                  **error)
{
  EimzaPinInteraction *self = EIMZA_PIN_INTERACTION (interaction);

  return eimza_pin_asker_ask_finish (EIMZA_PIN_ASKER (self->asker), result, pin,
                                     final_try_confirmed, error);
}

static void
eimza_pin_interaction_finalize (GObject *object)
{
  EimzaPinInteraction *self = EIMZA_PIN_INTERACTION (object);

  g_clear_object (&self->asker);

  G_OBJECT_CLASS (eimza_pin_interaction_parent_class)->finalize (object);
}

static void
eimza_pin_interaction_class_init (EimzaPinInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EimzaCardTlsInteractionClass *card_class = EIMZA_CARD_TLS_INTERACTION_CLASS (klass);

  object_class->finalize = eimza_pin_interaction_finalize;
  card_class->ask_pin_async = eimza_pin_interaction_ask_pin_async;
  card_class->ask_pin_finish = eimza_pin_interaction_ask_pin_finish;
}

static void
eimza_pin_interaction_init (EimzaPinInteraction *self)
{
  self->asker = eimza_pin_dialog_asker_new (NULL, NULL);
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
  eimza_pin_dialog_asker_set_purpose (self->asker, purpose);

  return self;
}

void
eimza_pin_interaction_set_parent (EimzaPinInteraction *self,
                                  GtkWindow           *parent)
{
  g_return_if_fail (EIMZA_IS_PIN_INTERACTION (self));

  eimza_pin_dialog_asker_set_parent (self->asker, parent);
}

void
eimza_pin_interaction_set_accept_label (EimzaPinInteraction *self,
                                        const char          *label)
{
  g_return_if_fail (EIMZA_IS_PIN_INTERACTION (self));

  eimza_pin_dialog_asker_set_accept_label (self->asker, label);
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
