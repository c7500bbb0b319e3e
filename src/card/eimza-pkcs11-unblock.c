/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The user PIN unblocked (or first set) with the unblock code: one SO login, C_InitPIN, logout. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-pkcs11-error.h"
#include "eimza-pkcs11-private.h"

/*
 * The unblock code is the token's security officer PIN (Kamu SM hands it
 * out as the PUK, in the card's envelope or at a kiosk). Three wrong ones
 * make an AKİS card unusable for good, so it is guarded like the PIN and
 * more: the token's SO PIN flags are read right before, a locked one gets
 * no call, its last try only with the person's consent, and the code goes
 * to the card once, never again by itself.
 */

static gboolean
check_unblock_policy (EimzaPkcs11Token       *token,
                      EimzaPkcs11LoginFlags   flags,
                      GError                **error)
{
  EimzaPkcs11TokenFlags token_flags = eimza_pkcs11_token_get_flags (token);

  if (token_flags & EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED)
    {
      eimza_card_error_set_puk_locked (error, FALSE);
      return FALSE;
    }

  if ((token_flags & EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY) &&
      !(flags & EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED))
    {
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED,
                           _("Only one try is left for the unblock code: one more wrong code "
                             "makes the card unusable for good. The code was not sent."));
      return FALSE;
    }

  return TRUE;
}

/* A refused unblock code (@rv), told with the tries the token says are
 * left after it. */
static void
set_wrong_code_error (CK_RV              rv,
                      CK_FUNCTION_LIST  *funcs,
                      CK_SLOT_ID         slot,
                      GError           **error)
{
  g_autoptr(EimzaPkcs11Token) after = NULL;
  EimzaPkcs11TokenFlags flags;

  if (rv == CKR_PIN_LOCKED)
    {
      eimza_card_error_set_puk_locked (error, FALSE);
      return;
    }
  if (rv != CKR_PIN_INCORRECT)
    {
      eimza_card_error_from_ckr (rv, EIMZA_CARD_ERROR_TOKEN, error);
      return;
    }

  after = eimza_pkcs11_read_token (funcs, slot, NULL);
  flags = after != NULL ? eimza_pkcs11_token_get_flags (after) : 0;

  if (flags & EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED)
    eimza_card_error_set_puk_locked (error, TRUE);
  else if (flags & EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY)
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_INCORRECT,
                         _("The unblock code is incorrect, so the PIN was not set. Only one try "
                           "is left: one more wrong code makes the card unusable for good."));
  else if (flags & EIMZA_PKCS11_TOKEN_SO_PIN_COUNT_LOW)
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_INCORRECT,
                         _("The unblock code is incorrect, so the PIN was not set. The card "
                           "counted a wrong try; three wrong codes make it unusable for good, "
                           "so check the code before you try again."));
  else
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_INCORRECT,
                         _("The unblock code is incorrect, so the PIN was not set."));
}

static void
set_busy_error (GError **error)
{
  g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_TOKEN,
                       _("The card is in use by another login, so the unblock code could not "
                         "be checked; it was not counted. Take the card out of the reader, "
                         "insert it again and try again."));
}

/* A user login of this process (a TLS login's, kept by GnuTLS) makes an
 * SO login fail without checking the code: it is ended first. */
static gboolean
end_user_login (CK_FUNCTION_LIST   *funcs,
                CK_SESSION_HANDLE   handle,
                GError            **error)
{
  CK_SESSION_INFO info;

  if (funcs->C_GetSessionInfo (handle, &info) != CKR_OK ||
      (info.state != CKS_RO_USER_FUNCTIONS && info.state != CKS_RW_USER_FUNCTIONS))
    return TRUE;

  funcs->C_Logout (handle);
  if (funcs->C_GetSessionInfo (handle, &info) == CKR_OK &&
      (info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS))
    {
      set_busy_error (error);
      return FALSE;
    }

  return TRUE;
}

gboolean
eimza_pkcs11_unblock_pin (EimzaPkcs11            *self,
                          const char             *uri,
                          EimzaSecret            *unblock_code,
                          EimzaSecret            *new_pin,
                          EimzaPkcs11LoginFlags   flags,
                          GCancellable           *cancellable,
                          GError                **error)
{
  g_autoptr(EimzaPkcs11Token) token = NULL;
  CK_SESSION_HANDLE handle = CK_INVALID_HANDLE;
  CK_FUNCTION_LIST *funcs;
  CK_SLOT_ID slot;
  gboolean pinpad;
  const char *code_value = NULL;
  const char *new_value = NULL;
  gsize code_length = 0;
  gsize new_length = 0;
  CK_RV rv;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!eimza_pkcs11_find_slot (self, uri, &funcs, &slot, error))
    return FALSE;

  token = eimza_pkcs11_read_token (funcs, slot, error);
  if (token == NULL)
    return FALSE;

  if (!check_unblock_policy (token, flags, error))
    return FALSE;

  pinpad = (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PINPAD) != 0;
  if (!pinpad)
    {
      if (unblock_code == NULL || eimza_secret_is_empty (unblock_code))
        {
          g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID,
                               _("Enter the unblock code (PUK) of the card."));
          return FALSE;
        }
      if (new_pin == NULL || !eimza_pkcs11_check_pin_form (token, new_pin, NULL))
        {
          g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID,
                               _("The card does not accept a new PIN of this length. Nothing "
                                 "was sent to the card."));
          return FALSE;
        }
      code_value = eimza_secret_get (unblock_code, &code_length);
      new_value = eimza_secret_get (new_pin, &new_length);
    }

  /* An SO login needs a read-write session. */
  rv = funcs->C_OpenSession (slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &handle);
  if (!eimza_card_error_from_ckr (rv, EIMZA_CARD_ERROR_TOKEN, error))
    return FALSE;

  if (!end_user_login (funcs, handle, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      funcs->C_CloseSession (handle);
      return FALSE;
    }

  /* The one and only try; on a keypad reader the person types the code
   * there. */
  rv = funcs->C_Login (handle, CKU_SO, (CK_UTF8CHAR *) code_value, code_length);
  if (rv == CKR_USER_ALREADY_LOGGED_IN || rv == CKR_USER_ANOTHER_ALREADY_LOGGED_IN ||
      rv == CKR_SESSION_READ_ONLY_EXISTS)
    {
      /* The module did not look at the code: nothing was spent, and it is
       * not sent again. */
      funcs->C_CloseSession (handle);
      set_busy_error (error);
      return FALSE;
    }
  if (rv != CKR_OK)
    {
      funcs->C_CloseSession (handle);
      set_wrong_code_error (rv, funcs, slot, error);
      return FALSE;
    }

  /* On a keypad reader the person now types the new PIN (twice) there. */
  rv = funcs->C_InitPIN (handle, (CK_UTF8CHAR *) new_value, new_length);
  funcs->C_Logout (handle);
  funcs->C_CloseSession (handle);

  if (rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE)
    {
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID,
                           _("The unblock code was right, but the card did not accept the new "
                             "PIN, so the PIN was not set. Choose another PIN of the card’s "
                             "length and try again."));
      return FALSE;
    }
  if (!eimza_card_error_from_ckr (rv, EIMZA_CARD_ERROR_TOKEN, error))
    return FALSE;

  return TRUE;
}
