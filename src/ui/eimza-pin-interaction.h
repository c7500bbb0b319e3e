/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card's PIN for a TLS login with the card's certificate, asked with the PIN dialog. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-card-tls-interaction.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_PIN_INTERACTION (eimza_pin_interaction_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPinInteraction, eimza_pin_interaction, EIMZA, PIN_INTERACTION,
                      EimzaCardTlsInteraction)

/**
 * EimzaPinInteraction:
 *
 * The #EimzaCardTlsInteraction of the application: it asks the person
 * through #EimzaPinDialogAsker, the same #EimzaPinDialog as every other
 * signature (for a PIN-pad reader, the dialog that says to type on the
 * reader). The PIN rules themselves (locked card, last try, never a wrong
 * PIN again) are #EimzaCardSigning's; keeping a PIN only after a
 * successful handshake is the parent class's.
 *
 * Create it on the main thread: glib-networking asks from its own thread,
 * and #GTlsInteraction brings the ask to the main context.
 */

/* @service: the card service (nullable); @key_uri: the PKCS#11 URI of the
 * private key of the TLS certificate; @purpose: the PIN dialog's text. */
EimzaPinInteraction *eimza_pin_interaction_new        (EimzaCardService    *service,
                                                       const char          *key_uri,
                                                       const char          *purpose);

/* The window the PIN dialog is transient for. */
void                 eimza_pin_interaction_set_parent (EimzaPinInteraction *self,
                                                       GtkWindow           *parent);

/* The PIN dialog's accepting button (with a mnemonic), e.g. "_Log In":
 * this PIN signs nothing. %NULL: the dialog's own ("_Sign"). */
void                 eimza_pin_interaction_set_accept_label (EimzaPinInteraction *self,
                                                             const char          *label);

/* Whether a PIN is kept for later connections. */
gboolean             eimza_pin_interaction_has_pin    (EimzaPinInteraction *self);

/* Wipes the kept PIN and closes an open PIN dialog (the ask fails as
 * cancelled). */
void                 eimza_pin_interaction_forget     (EimzaPinInteraction *self);

G_END_DECLS
