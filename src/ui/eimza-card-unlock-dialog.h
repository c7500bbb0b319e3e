/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unlocking the card (or a new card's first PIN) with the code Kamu SM gives after Şifreli Giriş: the view of EimzaCardUnlockFlow. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-app-config.h"
#include "eimza-card-service.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_CARD_UNLOCK_DIALOG (eimza_card_unlock_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EimzaCardUnlockDialog, eimza_card_unlock_dialog, EIMZA,
                      CARD_UNLOCK_DIALOG, GtkDialog)

/**
 * EimzaCardUnlockDialog:
 *
 * Shows an #EimzaCardUnlockFlow: Şifreli Giriş (captcha image, T.C. Kimlik
 * No, security word), the SMS code with its countdown, then the new PIN
 * through the PIN dialog (the code itself is never typed) and the test
 * signature. Nothing typed is lost on errors; the site's message is
 * shown. The NES site is @config's (Şifreli Giriş's address, else the
 * e-onay's). @birth_dates (nullable) are refused as the new PIN.
 * Emits "response" with %GTK_RESPONSE_OK when it closes after the card
 * took the new PIN.
 */
GtkWidget *eimza_card_unlock_dialog_new (GtkWindow          *parent,
                                         EimzaCardService   *service,
                                         EimzaAppConfig     *config,
                                         const char * const *birth_dates);

G_END_DECLS
