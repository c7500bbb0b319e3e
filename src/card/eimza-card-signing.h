/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One signature with the card under every PIN rule: read the PIN state, ask, confirm, sign once. */
#pragma once

#include <gio/gio.h>
#include <gnutls/gnutls.h>

#include "eimza-cades.h"
#include "eimza-card-service.h"
#include "eimza-pin-asker.h"
#include "eimza-pkcs11-token.h"
#include "eimza-secret.h"

G_BEGIN_DECLS

/**
 * EimzaCardSigningPhase:
 * @EIMZA_CARD_SIGNING_PHASE_NONE: not started yet, or ended.
 * @EIMZA_CARD_SIGNING_PHASE_READING: the token's PIN state is read on the
 *   card worker.
 * @EIMZA_CARD_SIGNING_PHASE_ASKING: the asker asks the person.
 * @EIMZA_CARD_SIGNING_PHASE_SIGNING: the worker logs in with the answer
 *   and signs, or changes the PIN (on a keypad reader the person types the
 *   PIN, or both PINs, now). It is
 *   notified before the work is queued: a handler that cancels the
 *   operation then keeps the PIN from the card.
 */
typedef enum {
  EIMZA_CARD_SIGNING_PHASE_NONE,
  EIMZA_CARD_SIGNING_PHASE_READING,
  EIMZA_CARD_SIGNING_PHASE_ASKING,
  EIMZA_CARD_SIGNING_PHASE_SIGNING,
} EimzaCardSigningPhase;

/**
 * EimzaCardSigningFlags:
 * @EIMZA_CARD_SIGNING_DEFAULT: a wrong PIN ends the operation with
 *   %EIMZA_CARD_ERROR_PIN_INCORRECT (the person starts again, or not).
 * @EIMZA_CARD_SIGNING_ASK_AGAIN: after a wrong PIN the PIN state is read
 *   again and the person is asked again (%EIMZA_PIN_ASK_RETRY); only a
 *   PIN they give then goes to the card. Giving up then ends with
 *   %EIMZA_CARD_ERROR_PIN_INCORRECT.
 * @EIMZA_CARD_SIGNING_RETRY: the first ask already follows a wrong PIN
 *   (e.g. the TLS library's retry): it is a retry, and a replay PIN is
 *   never used.
 * @EIMZA_CARD_SIGNING_ASK_ONLY_PINPAD: (PIN only) ask only when the reader
 *   has a keypad; otherwise end after the PIN state was checked.
 * @EIMZA_CARD_SIGNING_CHECK_ONLY: (PIN only) never ask: end after the PIN
 *   state was checked (a locked card fails).
 */
typedef enum {
  EIMZA_CARD_SIGNING_DEFAULT          = 0,
  EIMZA_CARD_SIGNING_ASK_AGAIN        = 1 << 0,
  EIMZA_CARD_SIGNING_RETRY            = 1 << 1,
  EIMZA_CARD_SIGNING_ASK_ONLY_PINPAD  = 1 << 2,
  EIMZA_CARD_SIGNING_CHECK_ONLY       = 1 << 3,
} EimzaCardSigningFlags;

#define EIMZA_TYPE_CARD_SIGNING (eimza_card_signing_get_type ())

G_DECLARE_FINAL_TYPE (EimzaCardSigning, eimza_card_signing, EIMZA, CARD_SIGNING, GObject)

/**
 * EimzaCardSigning:
 *
 * One use of the card's key, and the one place that applies the card's
 * PIN rules around it:
 * 1. the token's PIN state is read on the card worker, right before the
 *    ask (#EimzaCardSigning:phase READING);
 * 2. a locked card is never asked: %EIMZA_CARD_ERROR_PIN_LOCKED, no PIN
 *    sent;
 * 3. the #EimzaPinAsker asks, told the token, its retry state, the last
 *    try and the keypad (a replay PIN, see below, may answer instead);
 * 4. the last try is spent only with the person's confirmation in the
 *    answer (%EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED otherwise, nothing
 *    sent);
 * 5. the worker logs in ONCE with the answer, signs and logs out
 *    (eimza_cades_sign_async() or the TLS key's signature);
 * 6. a wrong PIN is never sent again by itself: the operation ends, or
 *    with %EIMZA_CARD_SIGNING_ASK_AGAIN the person is asked again (step
 *    1), and one C_Login follows each answer.
 * A PIN-only operation (eimza_card_signing_new_pin()) stops after step 4
 * and hands the answer over, for a login made by someone else (the TLS
 * library's own PKCS#11 login).
 * A PIN change (eimza_card_signing_new_pin_change()) asks for the current
 * and a new PIN (eimza_pin_asker_ask_new_pin_async()) in step 3, refuses a
 * new PIN that breaks eimza_new_pin_check() (the card's lengths as read in
 * step 1, the birth dates given) before anything is sent, and in step 5
 * sends one C_SetPIN instead of the login; a wrong current PIN is step 6.
 * An unblock (eimza_card_signing_new_pin_unblock()) is a PIN change with
 * the unblock code the person holds (the token's SO PIN, Kamu SM's PUK)
 * instead of the current PIN, under the same rules applied to the
 * unblock code's own tries: step 2 refuses a locked unblock code
 * (%EIMZA_CARD_ERROR_PUK_LOCKED, nothing asked) and lets a locked PIN
 * through, step 3 asks eimza_pin_asker_ask_unblock_async() with the
 * unblock code's tries, step 4 spends its last try only with consent,
 * step 5 sends one SO login then C_InitPIN, and a wrong code
 * (%EIMZA_CARD_ERROR_PUK_INCORRECT) is step 6.
 *
 * GTK-free; main thread (the thread that runs it): the asker and the
 * callback are called in its thread-default main context. Run once.
 */

/* A detached or enveloping CAdES-BES signature of @content (see
 * eimza_cades_sign(); %EIMZA_CADES_FINAL_TRY_CONFIRMED in @cades_flags is
 * ignored: only the person's answer sets it). */
EimzaCardSigning      *eimza_card_signing_new_cades    (EimzaCardService       *service,
                                                        EimzaPinAsker          *asker,
                                                        const char             *cert_uri,
                                                        const char             *key_uri,
                                                        GBytes                 *content,
                                                        EimzaCadesFlags         cades_flags);
/* One TLS handshake signature of @data for @algorithm (see
 * eimza_card_tls_sign_async()). */
EimzaCardSigning      *eimza_card_signing_new_tls      (EimzaCardService       *service,
                                                        EimzaPinAsker          *asker,
                                                        const char             *key_uri,
                                                        gnutls_sign_algorithm_t algorithm,
                                                        GBytes                 *data);
/* No signature: steps 1–4 only; eimza_card_signing_get_pin() is the
 * answer. */
EimzaCardSigning      *eimza_card_signing_new_pin      (EimzaCardService       *service,
                                                        EimzaPinAsker          *asker,
                                                        const char             *key_uri);

/* A change of the user PIN of the token @uri (a token or object URI)
 * is on: no signature; the result is an empty #GBytes. */
EimzaCardSigning      *eimza_card_signing_new_pin_change (EimzaCardService     *service,
                                                          EimzaPinAsker        *asker,
                                                          const char           *uri);
/* The user PIN of the token @uri (a token or object URI) is unblocked,
 * or a new card's first PIN set, with the unblock code: no signature; the
 * result is an empty #GBytes. */
EimzaCardSigning      *eimza_card_signing_new_pin_unblock (EimzaCardService    *service,
                                                           EimzaPinAsker       *asker,
                                                           const char          *uri);
/* (PIN change and unblock) a birth date of the card's holder the application
 * knows (the demo's person, the sign-in form): the new PIN must not be it.
 * Before run only. */
void                   eimza_card_signing_add_birth_date (EimzaCardSigning     *self,
                                                          const GDate          *date);

/* (unblock only) the unblock code is known already: Kamu SM's NES site
 * handed it over (Şifreli Giriş), so the person does not type it. The
 * asker is asked as usual, with %EIMZA_PIN_ASK_UNBLOCK_CODE_KNOWN (only
 * the new PIN, and the consent for the code's last try); @code, not the
 * asker's, goes to the card, once: a wrong one ends the operation even
 * with %EIMZA_CARD_SIGNING_ASK_AGAIN. On a keypad reader the reader asks
 * as before. Referenced, never copied. Before run only. */
void                   eimza_card_signing_set_unblock_code (EimzaCardSigning   *self,
                                                            EimzaSecret        *code);

void                   eimza_card_signing_set_flags    (EimzaCardSigning       *self,
                                                        EimzaCardSigningFlags   flags);

/* A PIN the card accepted earlier (a TLS login's kept PIN), used once
 * instead of asking when the rules allow it: never for a card at its last
 * try, never after a wrong PIN (%EIMZA_CARD_SIGNING_RETRY included); a
 * replay the card refuses is dropped and the person asked, as a retry.
 * Referenced, never copied. Before run only. */
void                   eimza_card_signing_set_replay_pin (EimzaCardSigning     *self,
                                                          EimzaSecret          *pin);

void                   eimza_card_signing_run_async    (EimzaCardSigning       *self,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
/* Returns: (transfer full): the signature (DER CMS for CAdES; the raw
 * signature for TLS); for a PIN-only operation an empty #GBytes. %NULL
 * with @error set on failure; %G_IO_ERROR_CANCELLED when cancelled or
 * when the person gave up before any wrong PIN. */
GBytes                *eimza_card_signing_run_finish   (EimzaCardSigning       *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);

EimzaCardSigningPhase  eimza_card_signing_get_phase    (EimzaCardSigning       *self);
/* The token as the last read found it (%NULL before it was read). */
EimzaPkcs11Token      *eimza_card_signing_get_token    (EimzaCardSigning       *self);
/* After success: the PIN the card accepted (a PIN-only operation: the
 * answer), %NULL on a keypad reader, when nothing was asked, or after a
 * PIN change (no PIN is kept). */
EimzaSecret           *eimza_card_signing_get_pin      (EimzaCardSigning       *self);
/* Whether the person agreed to spend the last try in the last answer. */
gboolean               eimza_card_signing_get_final_try_confirmed (EimzaCardSigning *self);
/* How many times a PIN (or a keypad login) went to the card (a PIN
 * change's C_SetPIN and an unblock's SO login count as one each). */
guint                  eimza_card_signing_get_n_logins (EimzaCardSigning       *self);
/* How many answers the card refused as wrong. */
guint                  eimza_card_signing_get_n_wrong  (EimzaCardSigning       *self);

G_END_DECLS
