/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Why talking to the card reader, the card or its PKCS#11 module failed. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EIMZA_CARD_ERROR (eimza_card_error_quark ())

/**
 * EimzaCardError:
 * @EIMZA_CARD_ERROR_NO_SERVICE: the smart card service (pcscd) is not
 *   running or not installed.
 * @EIMZA_CARD_ERROR_NO_READER: no card reader is connected, or its driver
 *   is missing.
 * @EIMZA_CARD_ERROR_NO_CARD: the reader has no card in it.
 * @EIMZA_CARD_ERROR_CARD_REMOVED: the card was taken out (or reset) while
 *   it was being used.
 * @EIMZA_CARD_ERROR_UNSUPPORTED_CARD: the card is not one this application
 *   can use (unknown ATR, unresponsive card).
 * @EIMZA_CARD_ERROR_READER_BUSY: another program holds the card exclusively.
 * @EIMZA_CARD_ERROR_COMM: communication with the service, the reader or the
 *   card failed in another way.
 * @EIMZA_CARD_ERROR_PIN_INCORRECT: the PIN was wrong; tries are left.
 * @EIMZA_CARD_ERROR_PIN_LOCKED: the PIN is blocked (too many wrong entries);
 *   it can be unlocked on the NES site.
 * @EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED: only one try is left and the
 *   application refused to spend it without the person's explicit consent.
 * @EIMZA_CARD_ERROR_PIN_INVALID: the PIN has the wrong length or characters
 *   (rejected before reaching the card).
 * @EIMZA_CARD_ERROR_MODULE: the PKCS#11 module (e.g. libakisp11.so) is
 *   missing or could not be loaded or initialised.
 * @EIMZA_CARD_ERROR_TOKEN: the token refused an operation or answered in an
 *   unexpected way.
 * @EIMZA_CARD_ERROR_SIGN: signing failed.
 * @EIMZA_CARD_ERROR_NOT_FOUND: the certificate or key was not found on the
 *   card.
 * @EIMZA_CARD_ERROR_CANCELLED: the operation was cancelled on the card side
 *   (e.g. the PIN dialog of a pinpad reader); cancellation by the
 *   application itself stays %G_IO_ERROR_CANCELLED in %G_IO_ERROR.
 * @EIMZA_CARD_ERROR_FAILED: any other failure; the message says more.
 * @EIMZA_CARD_ERROR_PUK_INCORRECT: the unblock code (PUK, the token's SO
 *   PIN) was wrong; tries are left.
 * @EIMZA_CARD_ERROR_PUK_LOCKED: the unblock code is blocked: the PIN can
 *   no longer be reset (Kamu SM: a new card).
 *
 * The message of each error is a translated sentence for people. PC/SC
 * codes are mapped by eimza_card_error_from_pcsc(); PKCS#11 and GnuTLS
 * codes by the helpers in eimza-card-error-pkcs11.c.
 */
typedef enum {
  EIMZA_CARD_ERROR_NO_SERVICE,
  EIMZA_CARD_ERROR_NO_READER,
  EIMZA_CARD_ERROR_NO_CARD,
  EIMZA_CARD_ERROR_CARD_REMOVED,
  EIMZA_CARD_ERROR_UNSUPPORTED_CARD,
  EIMZA_CARD_ERROR_READER_BUSY,
  EIMZA_CARD_ERROR_COMM,
  EIMZA_CARD_ERROR_PIN_INCORRECT,
  EIMZA_CARD_ERROR_PIN_LOCKED,
  EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED,
  EIMZA_CARD_ERROR_PIN_INVALID,
  EIMZA_CARD_ERROR_MODULE,
  EIMZA_CARD_ERROR_TOKEN,
  EIMZA_CARD_ERROR_SIGN,
  EIMZA_CARD_ERROR_NOT_FOUND,
  EIMZA_CARD_ERROR_CANCELLED,
  EIMZA_CARD_ERROR_FAILED,
  EIMZA_CARD_ERROR_PUK_INCORRECT,
  EIMZA_CARD_ERROR_PUK_LOCKED,
} EimzaCardError;

GQuark    eimza_card_error_quark    (void);

/* The one place where PC/SC return codes become card errors. @rv is a
 * PC/SC return value (a LONG; taken as glong so that this header does not
 * need <winscard.h>). Returns %TRUE when @rv is SCARD_S_SUCCESS; otherwise
 * sets @error to an %EIMZA_CARD_ERROR with a translated message (or
 * %G_IO_ERROR_CANCELLED for SCARD_E_CANCELLED, which the service only uses
 * for its own wake-ups and shutdown) and returns %FALSE. */
gboolean  eimza_card_error_from_pcsc (glong    rv,
                                      GError **error);

G_END_DECLS
