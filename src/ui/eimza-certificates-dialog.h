/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificates on the card, and a test signature to check the card and the PIN. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-app-config.h"
#include "eimza-card-service.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_CERTIFICATES_DIALOG (eimza_certificates_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EimzaCertificatesDialog, eimza_certificates_dialog, EIMZA,
                      CERTIFICATES_DIALOG, GtkDialog)

/* Lists the certificates of the card in @service's reader, again whenever
 * a card comes or goes. */
EimzaCertificatesDialog *eimza_certificates_dialog_new (GtkWindow        *parent,
                                                        EimzaCardService *service);

/* Birth dates of the card's holder (dd.mm.yyyy) that a new PIN must not
 * be (see eimza_pin_change_add_birth_date()). */
void                     eimza_certificates_dialog_set_birth_dates (EimzaCertificatesDialog *self,
                                                                    const char * const      *birth_dates);

/* Where Kamu SM's Şifreli Giriş is: with it, an unblock first offers to
 * get the unblock code from Kamu SM (EimzaCardUnlockDialog) or to type
 * it; without it, only the typed code. */
void                     eimza_certificates_dialog_set_config      (EimzaCertificatesDialog *self,
                                                                    EimzaAppConfig          *config);
/* Unlocks the card in the reader (or sets a new card's first PIN) with
 * its unblock code: the unblock dialog, then a test signature with the
 * new PIN. */
void                     eimza_certificates_dialog_unblock_pin     (EimzaCertificatesDialog *self);

/* The link for unlocking a locked card ("Kilit Çözme" on the NES site). */
#define EIMZA_UNLOCK_URL "https://nesbireysel.kamusm.gov.tr"

G_END_DECLS
