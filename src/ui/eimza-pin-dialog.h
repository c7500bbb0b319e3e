/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Asks for the card's PIN once, showing how many tries the card has left. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-new-pin.h"
#include "eimza-pkcs11-token.h"
#include "eimza-secret.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_PIN_DIALOG (eimza_pin_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPinDialog, eimza_pin_dialog, EIMZA, PIN_DIALOG, GtkDialog)

/* A modal dialog for @token, as read right before (eimza_pkcs11_lookup_token_async()):
 * its label, its PIN state (a loud warning and a confirmation box when only
 * one try is left), or, for a reader with a keypad, no entry at all. Never
 * for a locked token: explain that instead. @purpose says what the PIN is
 * for. It responds %GTK_RESPONSE_OK when the person chose to sign. */
EimzaPinDialog *eimza_pin_dialog_new                      (GtkWindow        *parent,
                                                           EimzaPkcs11Token *token,
                                                           const char       *purpose);

/* The same for a PIN change: the current PIN (shown with the card's PIN
 * state, as above) and a new PIN typed twice, held to @rules (copied)
 * when the person chooses Change PIN: a refused new PIN is explained in
 * the dialog, which stays open and does not respond. On a keypad reader
 * nothing is typed here. */
EimzaPinDialog *eimza_pin_dialog_new_for_change           (GtkWindow              *parent,
                                                           EimzaPkcs11Token       *token,
                                                           const char             *purpose,
                                                           const EimzaNewPinRules *rules);

/* The same for an unblock (or a new card's first PIN): the unblock code
 * (PUK) instead of the current PIN, shown with the unblock code's tries
 * (its last try loud, with its own confirmation), and the new PIN twice
 * under @rules. Never for a token whose unblock code is locked. The code
 * is what eimza_pin_dialog_steal_pin() returns. */
EimzaPinDialog *eimza_pin_dialog_new_for_unblock          (GtkWindow              *parent,
                                                           EimzaPkcs11Token       *token,
                                                           const char             *purpose,
                                                           const EimzaNewPinRules *rules);
/* An unblock whose code Kamu SM handed over (Şifreli Giriş): no code
 * entry, only the new PIN twice; the code's last try is confirmed as
 * before. */
void            eimza_pin_dialog_set_unblock_code_known   (EimzaPinDialog         *self);

/* After %GTK_RESPONSE_OK: the PIN typed (the entry is already wiped), or
 * %NULL when the reader's keypad takes it. (transfer full) */
EimzaSecret    *eimza_pin_dialog_steal_pin                (EimzaPinDialog   *self);
/* After %GTK_RESPONSE_OK of a PIN change: the new PIN (%NULL on a keypad
 * reader). (transfer full) */
EimzaSecret    *eimza_pin_dialog_steal_new_pin            (EimzaPinDialog   *self);
/* The accepting button's label (with a mnemonic) when the PIN is not for
 * a signature, e.g. "_Log In" for the e-signed login; "_Sign" by default. */
void            eimza_pin_dialog_set_accept_label         (EimzaPinDialog   *self,
                                                           const char       *label);
/* Whether the person agreed to spend the card's last try. */
gboolean        eimza_pin_dialog_get_final_try_confirmed  (EimzaPinDialog   *self);

G_END_DECLS
