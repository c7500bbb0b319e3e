/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card-signing operation's PIN asker for people: one EimzaPinDialog per ask. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-pin-asker.h"
#include "eimza-pkcs11-token.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_PIN_DIALOG_ASKER (eimza_pin_dialog_asker_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPinDialogAsker, eimza_pin_dialog_asker, EIMZA, PIN_DIALOG_ASKER,
                      GObject)

/**
 * EimzaPinDialogAsker:
 *
 * The #EimzaPinAsker of the application's pages: each ask is a modal
 * #EimzaPinDialog for the token the #EimzaCardSigning has just read (its
 * retry state, the loud last try with its confirmation box, or the
 * keypad prompt); the PIN leaves the dialog only as an #EimzaSecret.
 * Cancelling the ask closes the dialog. The PIN rules are the
 * operation's, not this object's. Main thread.
 */

/* @parent: (nullable): the window the dialogs are transient for (held
 * weakly); @purpose: what the PIN is for, shown in the dialog. */
EimzaPinDialogAsker *eimza_pin_dialog_asker_new              (GtkWindow           *parent,
                                                              const char          *purpose);
void                 eimza_pin_dialog_asker_set_parent       (EimzaPinDialogAsker *self,
                                                              GtkWindow           *parent);
void                 eimza_pin_dialog_asker_set_purpose      (EimzaPinDialogAsker *self,
                                                              const char          *purpose);
/* The dialog's accepting button (with a mnemonic), e.g. "_Log In";
 * %NULL: the dialog's own ("_Sign"). */
void                 eimza_pin_dialog_asker_set_accept_label (EimzaPinDialogAsker *self,
                                                              const char          *label);

/* The progress line while the card signs for @token: the keypad's prompt
 * on a PIN-pad reader, else @signing_text. */
const char          *eimza_pin_dialog_asker_progress_text    (EimzaPkcs11Token    *token,
                                                              const char          *signing_text);

G_END_DECLS
