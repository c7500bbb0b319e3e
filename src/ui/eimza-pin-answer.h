/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PIN dialog's answer made ready for a signature with the card. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-cades.h"
#include "eimza-pin-dialog.h"
#include "eimza-pkcs11-token.h"

G_BEGIN_DECLS

/* Takes @dialog's answer to its ::response @response and destroys it.
 * Returns whether the person chose to sign; then @pin holds the PIN
 * (transfer full; %NULL when the reader's keypad takes it) and @flags
 * gains %EIMZA_CADES_FINAL_TRY_CONFIRMED when they agreed to spend the
 * card's last try. */
gboolean    eimza_pin_answer_take          (EimzaPinDialog         *dialog,
                                            int                     response,
                                            EimzaSecret           **pin,
                                            EimzaCadesFlags        *flags);

/* The progress line while the card signs: the keypad's prompt when
 * @token_flags has %EIMZA_PKCS11_TOKEN_PINPAD, else @signing_text. */
const char *eimza_pin_answer_progress_text (EimzaPkcs11TokenFlags   token_flags,
                                            const char             *signing_text);

G_END_DECLS
