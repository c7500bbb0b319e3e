/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PKCS#11 tokens, their PIN state, and the PIN safety rules. */
#pragma once

#include <gio/gio.h>

#include "eimza-pkcs11-modules.h"
#include "eimza-secret.h"

G_BEGIN_DECLS

/**
 * EimzaPkcs11TokenFlags:
 * @EIMZA_PKCS11_TOKEN_LOGIN_REQUIRED: keys need a PIN (CKF_LOGIN_REQUIRED).
 * @EIMZA_PKCS11_TOKEN_PINPAD: the PIN is entered on the reader
 *   (CKF_PROTECTED_AUTHENTICATION_PATH); the application sends none.
 * @EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW: a wrong PIN was entered since the last
 *   correct one (CKF_USER_PIN_COUNT_LOW).
 * @EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY: one more wrong PIN locks the card
 *   (CKF_USER_PIN_FINAL_TRY).
 * @EIMZA_PKCS11_TOKEN_PIN_LOCKED: the PIN is blocked (CKF_USER_PIN_LOCKED).
 * @EIMZA_PKCS11_TOKEN_PIN_INITIALIZED: the user PIN is set.
 * @EIMZA_PKCS11_TOKEN_WRITE_PROTECTED: read-only token.
 * @EIMZA_PKCS11_TOKEN_TRUST_STORE: the token belongs to a trust-policy
 *   module (the system's CA certificates), not to a card.
 * @EIMZA_PKCS11_TOKEN_SO_PIN_COUNT_LOW: a wrong unblock code (the SO PIN,
 *   Kamu SM's PUK) was entered since the last correct one
 *   (CKF_SO_PIN_COUNT_LOW).
 * @EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY: one more wrong unblock code makes
 *   the card unusable for good (CKF_SO_PIN_FINAL_TRY).
 * @EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED: the unblock code is blocked
 *   (CKF_SO_PIN_LOCKED): the PIN can no longer be reset.
 */
typedef enum {
  EIMZA_PKCS11_TOKEN_LOGIN_REQUIRED  = 1 << 0,
  EIMZA_PKCS11_TOKEN_PINPAD          = 1 << 1,
  EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW   = 1 << 2,
  EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY   = 1 << 3,
  EIMZA_PKCS11_TOKEN_PIN_LOCKED      = 1 << 4,
  EIMZA_PKCS11_TOKEN_PIN_INITIALIZED = 1 << 5,
  EIMZA_PKCS11_TOKEN_WRITE_PROTECTED = 1 << 6,
  EIMZA_PKCS11_TOKEN_TRUST_STORE     = 1 << 7,
  EIMZA_PKCS11_TOKEN_SO_PIN_COUNT_LOW = 1 << 8,
  EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY = 1 << 9,
  EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED    = 1 << 10,
} EimzaPkcs11TokenFlags;

/**
 * EimzaPkcs11LoginFlags:
 * @EIMZA_PKCS11_LOGIN_DEFAULT: normal login.
 * @EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED: the person has been told that
 *   only one try is left and chose to spend it. Without this flag a token
 *   in the final-try state is never given a PIN.
 */
typedef enum {
  EIMZA_PKCS11_LOGIN_DEFAULT               = 0,
  EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED   = 1 << 0,
} EimzaPkcs11LoginFlags;

/**
 * EimzaPkcs11Token:
 *
 * A snapshot of a token (a card in a reader, as the PKCS#11 module sees
 * it): immutable, reference-counted, usable from any thread. The PIN
 * flags are as they were when the snapshot was taken; the login code
 * reads them again right before every login.
 */
typedef struct _EimzaPkcs11Token EimzaPkcs11Token;

#define EIMZA_TYPE_PKCS11_TOKEN (eimza_pkcs11_token_get_type ())

GType                  eimza_pkcs11_token_get_type            (void) G_GNUC_CONST;
EimzaPkcs11Token      *eimza_pkcs11_token_ref                 (EimzaPkcs11Token     *token);
void                   eimza_pkcs11_token_unref               (EimzaPkcs11Token     *token);

/* "pkcs11:model=…;manufacturer=…;serial=…;token=…" */
const char            *eimza_pkcs11_token_get_uri             (EimzaPkcs11Token     *token);
const char            *eimza_pkcs11_token_get_label           (EimzaPkcs11Token     *token);
const char            *eimza_pkcs11_token_get_manufacturer    (EimzaPkcs11Token     *token);
const char            *eimza_pkcs11_token_get_model           (EimzaPkcs11Token     *token);
const char            *eimza_pkcs11_token_get_serial          (EimzaPkcs11Token     *token);
EimzaPkcs11TokenFlags  eimza_pkcs11_token_get_flags           (EimzaPkcs11Token     *token);
/* The PIN length limits the token declares (0 if it declares none). */
guint                  eimza_pkcs11_token_get_min_pin_length  (EimzaPkcs11Token     *token);
guint                  eimza_pkcs11_token_get_max_pin_length  (EimzaPkcs11Token     *token);
/* The module that provides the token. */
const char            *eimza_pkcs11_token_get_module_path     (EimzaPkcs11Token     *token);
const char            *eimza_pkcs11_token_get_module_description (EimzaPkcs11Token  *token);

/* The tokens present now, without those of trust-policy modules.
 * Returns: (transfer container) (element-type EimzaPkcs11Token). */
GPtrArray             *eimza_pkcs11_list_tokens               (EimzaPkcs11          *self,
                                                               GError              **error);

/* The token that @uri (a token or object URI) is on, read now.
 * %EIMZA_CARD_ERROR_NO_CARD if no present token matches. */
EimzaPkcs11Token      *eimza_pkcs11_lookup_token              (EimzaPkcs11          *self,
                                                               const char           *uri,
                                                               GError              **error);

/* The PIN safety rules, in one place: refuses with
 * %EIMZA_CARD_ERROR_PIN_LOCKED when the token is locked, and with
 * %EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED when only one try is left and
 * @flags lacks %EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED. */
gboolean               eimza_pkcs11_token_check_pin_policy    (EimzaPkcs11Token     *token,
                                                               EimzaPkcs11LoginFlags flags,
                                                               GError              **error);

/**
 * EimzaPkcs11Session:
 *
 * An open, logged-in session on a token. While it is open, every session
 * of this process on that token (GnuTLS's included) can use the private
 * keys. eimza_pkcs11_session_close() logs out. Worker thread only.
 */
typedef struct _EimzaPkcs11Session EimzaPkcs11Session;

/* Logs in on the token of @uri, spending at most ONE PIN try:
 * - reads the token's PIN state first and applies
 *   eimza_pkcs11_token_check_pin_policy();
 * - checks @pin against the token's length limits before sending it
 *   (%EIMZA_CARD_ERROR_PIN_INVALID);
 * - on a pinpad token sends no PIN (@pin may be %NULL) and the person types
 *   it on the reader;
 * - an existing login is ended first, so the PIN given here is the one
 *   that authorises what follows; a session is returned only when C_Login
 *   returned CKR_OK for it. If the token stays logged in (its module
 *   refuses or ignores C_Logout) it fails with %EIMZA_CARD_ERROR_TOKEN
 *   rather than let anything be signed without the PIN;
 * - never retries. A wrong PIN gives %EIMZA_CARD_ERROR_PIN_INCORRECT (or
 *   %EIMZA_CARD_ERROR_PIN_LOCKED if that try locked the card), with a
 *   message saying how many tries are left as far as the token tells.
 * @cancellable is checked up to the moment the PIN is sent. */
EimzaPkcs11Session    *eimza_pkcs11_session_login             (EimzaPkcs11          *self,
                                                               const char           *uri,
                                                               EimzaSecret          *pin,
                                                               EimzaPkcs11LoginFlags flags,
                                                               GCancellable         *cancellable,
                                                               GError              **error);
/* Changes the user PIN of the token of @uri from @current_pin to
 * @new_pin with one C_SetPIN, which spends a try when @current_pin is
 * wrong: the same rules as eimza_pkcs11_session_login() (PIN policy
 * first, both PINs checked against the token's length limits before
 * anything is sent, never retried, a wrong PIN told with the tries left).
 * On a pinpad token both PINs are %NULL and the person types them on the
 * reader. The PINs are read from their secrets and never copied. Worker
 * thread only. */
gboolean               eimza_pkcs11_change_pin                (EimzaPkcs11          *self,
                                                               const char           *uri,
                                                               EimzaSecret          *current_pin,
                                                               EimzaSecret          *new_pin,
                                                               EimzaPkcs11LoginFlags flags,
                                                               GCancellable         *cancellable,
                                                               GError              **error);

/* Unblocks (or first sets) the user PIN of the token of @uri with the
 * unblock code the person holds (the token's SO PIN; Kamu SM's PUK): ONE
 * C_Login as the security officer with @unblock_code, then C_InitPIN with
 * @new_pin, then C_Logout. The unblock code's tries are precious (three
 * wrong ones make a card unusable), so the same rules as a login apply to
 * them: refused without a call when the token says its SO PIN is locked
 * (%EIMZA_CARD_ERROR_PUK_LOCKED) or at its last try without
 * %EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED in @flags
 * (%EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED); @new_pin is checked against
 * the token's length limits before anything is sent; never retried; a
 * wrong code is %EIMZA_CARD_ERROR_PUK_INCORRECT, told with the tries the
 * token says are left. On a pinpad token both secrets are %NULL and the
 * person types them on the reader. Worker thread only. */
gboolean               eimza_pkcs11_unblock_pin               (EimzaPkcs11          *self,
                                                               const char           *uri,
                                                               EimzaSecret          *unblock_code,
                                                               EimzaSecret          *new_pin,
                                                               EimzaPkcs11LoginFlags flags,
                                                               GCancellable         *cancellable,
                                                               GError              **error);

/* The token as read right before the login. */
EimzaPkcs11Token      *eimza_pkcs11_session_get_token         (EimzaPkcs11Session   *session);
/* Logs out and closes the session. */
void                   eimza_pkcs11_session_close             (EimzaPkcs11Session   *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPkcs11Token, eimza_pkcs11_token_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPkcs11Session, eimza_pkcs11_session_close)

G_END_DECLS
