/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whoever asks the person for the card's PIN: a dialog, a test's script. */
#pragma once

#include <gio/gio.h>

#include "eimza-new-pin.h"
#include "eimza-pkcs11-token.h"
#include "eimza-secret.h"

G_BEGIN_DECLS

/**
 * EimzaPinAskFlags:
 * @EIMZA_PIN_ASK_DEFAULT: a first ask, tries left as usual.
 * @EIMZA_PIN_ASK_RETRY: the card refused the PIN given before in the same
 *   operation (or the TLS library said so): this is a new ask, never a
 *   repetition of the old PIN.
 * @EIMZA_PIN_ASK_COUNT_LOW: a wrong PIN was entered since the last correct
 *   one (the token's %EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW).
 * @EIMZA_PIN_ASK_FINAL_TRY: one more wrong PIN locks the card. The answer
 *   is used only when it carries the person's explicit confirmation.
 * @EIMZA_PIN_ASK_PINPAD: the reader has a keypad: nothing is typed here;
 *   the person agrees, then types the PIN on the reader.
 * @EIMZA_PIN_ASK_UNBLOCK_CODE_KNOWN: (unblock only) Kamu SM handed the
 *   unblock code over (Şifreli Giriş): ask only for the new PIN (and the
 *   consent for the code's last try); the answer's unblock code is
 *   ignored and may be %NULL.
 *
 * What the person must be shown before they type. The token's own flags
 * say the same (they were read right before the ask); these are the ones
 * the signing operation acted on.
 */
typedef enum {
  EIMZA_PIN_ASK_DEFAULT    = 0,
  EIMZA_PIN_ASK_RETRY      = 1 << 0,
  EIMZA_PIN_ASK_COUNT_LOW  = 1 << 1,
  EIMZA_PIN_ASK_FINAL_TRY  = 1 << 2,
  EIMZA_PIN_ASK_PINPAD     = 1 << 3,
  EIMZA_PIN_ASK_UNBLOCK_CODE_KNOWN = 1 << 4,
} EimzaPinAskFlags;

#define EIMZA_TYPE_PIN_ASKER (eimza_pin_asker_get_type ())

G_DECLARE_INTERFACE (EimzaPinAsker, eimza_pin_asker, EIMZA, PIN_ASKER, GObject)

/**
 * EimzaPinAskerInterface:
 * @ask_async: asks the person once for the PIN of @token, showing what
 *   @flags say (tries left, the last try, a keypad). Never called for a
 *   locked token. When @cancellable is cancelled the ask ends at once
 *   (its dialog closes) with %G_IO_ERROR_CANCELLED.
 * @ask_finish: %TRUE when the person went on: @pin is the PIN (transfer
 *   full; %NULL on a keypad reader) and @final_try_confirmed says whether
 *   they agreed to spend the card's last try. %FALSE with
 *   %G_IO_ERROR_CANCELLED when they gave up.
 *
 * @ask_new_pin_async: (optional) for a PIN change: asks once for the
 *   current PIN of @token and a new PIN (typed twice), shown as for
 *   @ask_async. @rules say what a new PIN must be (length, weak PINs); the
 *   asker may refuse a new PIN by them while the person types, and copies
 *   them if it needs them later. On a keypad reader nothing is typed here.
 * @ask_new_pin_finish: %TRUE when the person went on: @current_pin and
 *   @new_pin (transfer full; both %NULL on a keypad reader) and
 *   @final_try_confirmed as for @ask_finish.
 * @ask_unblock_async: (optional) for an unblock (or a new card's first
 *   PIN): asks once for the unblock code the person holds (Kamu SM's PUK)
 *   and a new PIN (typed twice) under @rules, as @ask_new_pin_async. The
 *   token's PIN may be locked (that is the point); its unblock code never
 *   is. @flags' %EIMZA_PIN_ASK_COUNT_LOW and %EIMZA_PIN_ASK_FINAL_TRY are
 *   about the unblock code's tries, whose last one makes the card
 *   unusable for good.
 * @ask_unblock_finish: %TRUE when the person went on: @unblock_code and
 *   @new_pin (transfer full; both %NULL on a keypad reader) and
 *   @final_try_confirmed (for the unblock code's last try).
 *
 * The person's side of an #EimzaCardSigning, which owns every PIN rule:
 * an asker only asks. It never keeps or logs the PIN.
 */
struct _EimzaPinAskerInterface
{
  GTypeInterface g_iface;

  void     (*ask_async)  (EimzaPinAsker        *self,
                          EimzaPkcs11Token     *token,
                          EimzaPinAskFlags      flags,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data);
  gboolean (*ask_finish) (EimzaPinAsker        *self,
                          GAsyncResult         *result,
                          EimzaSecret         **pin,
                          gboolean             *final_try_confirmed,
                          GError              **error);

  void     (*ask_new_pin_async)  (EimzaPinAsker          *self,
                                  EimzaPkcs11Token       *token,
                                  EimzaPinAskFlags        flags,
                                  const EimzaNewPinRules *rules,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data);
  gboolean (*ask_new_pin_finish) (EimzaPinAsker          *self,
                                  GAsyncResult           *result,
                                  EimzaSecret           **current_pin,
                                  EimzaSecret           **new_pin,
                                  gboolean               *final_try_confirmed,
                                  GError                **error);

  void     (*ask_unblock_async)  (EimzaPinAsker          *self,
                                  EimzaPkcs11Token       *token,
                                  EimzaPinAskFlags        flags,
                                  const EimzaNewPinRules *rules,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data);
  gboolean (*ask_unblock_finish) (EimzaPinAsker          *self,
                                  GAsyncResult           *result,
                                  EimzaSecret           **unblock_code,
                                  EimzaSecret           **new_pin,
                                  gboolean               *final_try_confirmed,
                                  GError                **error);
};

void     eimza_pin_asker_ask_async  (EimzaPinAsker        *self,
                                     EimzaPkcs11Token     *token,
                                     EimzaPinAskFlags      flags,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean eimza_pin_asker_ask_finish (EimzaPinAsker        *self,
                                     GAsyncResult         *result,
                                     EimzaSecret         **pin,
                                     gboolean             *final_try_confirmed,
                                     GError              **error);

/* An asker without @ask_new_pin_async fails with %G_IO_ERROR_NOT_SUPPORTED. */
void     eimza_pin_asker_ask_new_pin_async  (EimzaPinAsker          *self,
                                             EimzaPkcs11Token       *token,
                                             EimzaPinAskFlags        flags,
                                             const EimzaNewPinRules *rules,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data);
gboolean eimza_pin_asker_ask_new_pin_finish (EimzaPinAsker          *self,
                                             GAsyncResult           *result,
                                             EimzaSecret           **current_pin,
                                             EimzaSecret           **new_pin,
                                             gboolean               *final_try_confirmed,
                                             GError                **error);

/* An asker without @ask_unblock_async fails with %G_IO_ERROR_NOT_SUPPORTED. */
void     eimza_pin_asker_ask_unblock_async  (EimzaPinAsker          *self,
                                             EimzaPkcs11Token       *token,
                                             EimzaPinAskFlags        flags,
                                             const EimzaNewPinRules *rules,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data);
gboolean eimza_pin_asker_ask_unblock_finish (EimzaPinAsker          *self,
                                             GAsyncResult           *result,
                                             EimzaSecret           **unblock_code,
                                             EimzaSecret           **new_pin,
                                             gboolean               *final_try_confirmed,
                                             GError                **error);

G_END_DECLS
