/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one mapping of PKCS#11 and GnuTLS error codes to card errors. */
#pragma once

#include "eimza-card-error.h"

G_BEGIN_DECLS

/* The address people use to unlock a blocked e-signature PIN. */
#define EIMZA_NES_UNLOCK_URL "https://nesbireysel.kamusm.gov.tr"

/* Maps a PKCS#11 return value (CK_RV; an unsigned long, taken as gulong
 * so that this header needs no PKCS#11 header). Returns %TRUE when @rv is
 * CKR_OK; otherwise sets @error to an %EIMZA_CARD_ERROR with a translated
 * message and returns %FALSE. A PIN entry cancelled on a pinpad reader is
 * %EIMZA_CARD_ERROR_CANCELLED (the person cancelled, not the application). @fallback is the code used for return values that mean
 * "this operation failed" without a more specific cause, e.g.
 * %EIMZA_CARD_ERROR_SIGN while signing. */
gboolean  eimza_card_error_from_ckr       (gulong           rv,
                                           EimzaCardError   fallback,
                                           GError         **error);

/* Maps a GnuTLS return value (negative on failure). Returns %TRUE when
 * @ret is not negative; otherwise as eimza_card_error_from_ckr(). */
gboolean  eimza_card_error_from_gnutls    (int              ret,
                                           EimzaCardError   fallback,
                                           GError         **error);

/* Sets the error for a blocked PIN, with the explanation of how to
 * unlock it. @just_locked says whether the attempt that was just made
 * blocked it. */
void      eimza_card_error_set_pin_locked (GError         **error,
                                           gboolean         just_locked);

/* Sets the error for a blocked unblock code (the token's SO PIN), saying
 * what is left to do: a new card. @just_locked: the code just given
 * blocked it. */
void      eimza_card_error_set_puk_locked (GError         **error,
                                           gboolean         just_locked);

G_END_DECLS
