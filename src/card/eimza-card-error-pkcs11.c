/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one mapping of PKCS#11 and GnuTLS error codes to card errors. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <p11-kit/pkcs11.h>

#include "eimza-pkcs11-error.h"

void
eimza_card_error_set_pin_locked (GError   **error,
                                 gboolean   just_locked)
{
  if (just_locked)
    g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED,
                 _("The PIN was incorrect, and the card is now locked after three wrong "
                   "entries. Signing is not possible until it is unlocked with its unblock "
                   "code (PUK): in this application, or under “Kilit Çözme” on the NES "
                   "online operations site, %s."),
                 EIMZA_NES_UNLOCK_URL);
  else
    g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED,
                 _("The card’s PIN is locked after three wrong entries. Signing is not "
                   "possible until it is unlocked with its unblock code (PUK): in this "
                   "application, or under “Kilit Çözme” on the NES online operations site, "
                   "%s."),
                 EIMZA_NES_UNLOCK_URL);
}

void
eimza_card_error_set_puk_locked (GError   **error,
                                 gboolean   just_locked)
{
  if (just_locked)
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_LOCKED,
                         _("The unblock code was incorrect, and after three wrong codes the "
                           "card no longer accepts one: its PIN can no longer be set or "
                           "unlocked, and the card cannot sign any more. Apply to Kamu SM for "
                           "a new card."));
  else
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_LOCKED,
                         _("The card’s unblock code (PUK) is locked after three wrong entries: "
                           "its PIN can no longer be set or unlocked, and nothing was sent to "
                           "the card. The card cannot sign any more; apply to Kamu SM for a "
                           "new card."));
}

static const char *
fallback_message (EimzaCardError fallback)
{
  switch (fallback)
    {
    case EIMZA_CARD_ERROR_SIGN:
      return _("The card could not make the signature.");
    case EIMZA_CARD_ERROR_MODULE:
      return _("The card’s PKCS#11 module could not be used.");
    case EIMZA_CARD_ERROR_NOT_FOUND:
      return _("The certificate or key was not found on the card.");
    case EIMZA_CARD_ERROR_TOKEN:
    default:
      return _("The card refused the operation.");
    }
}

gboolean
eimza_card_error_from_ckr (gulong           rv,
                           EimzaCardError   fallback,
                           GError         **error)
{
  EimzaCardError code;
  const char *message;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (rv)
    {
    case CKR_OK:
      return TRUE;

    case CKR_PIN_INCORRECT:
      code = EIMZA_CARD_ERROR_PIN_INCORRECT;
      message = _("The PIN is incorrect.");
      break;

    case CKR_PIN_LOCKED:
      eimza_card_error_set_pin_locked (error, FALSE);
      return FALSE;

    case CKR_PIN_INVALID:
    case CKR_PIN_LEN_RANGE:
      code = EIMZA_CARD_ERROR_PIN_INVALID;
      message = _("The card does not accept a PIN of this form. The PIN of an e-signature "
                  "card has 6 digits.");
      break;

    case CKR_PIN_EXPIRED:
      code = EIMZA_CARD_ERROR_TOKEN;
      message = _("The card’s PIN has expired and must be changed first.");
      break;

    case CKR_FUNCTION_CANCELED:
    case CKR_CANCEL:
      code = EIMZA_CARD_ERROR_CANCELLED;
      message = _("The PIN entry was cancelled on the card reader.");
      break;

    case CKR_TOKEN_NOT_PRESENT:
    case CKR_SLOT_ID_INVALID:
      code = EIMZA_CARD_ERROR_NO_CARD;
      message = _("The e-signature card is not in the card reader. Insert it and try again.");
      break;

    case CKR_DEVICE_REMOVED:
    case CKR_SESSION_CLOSED:
    case CKR_SESSION_HANDLE_INVALID:
      code = EIMZA_CARD_ERROR_CARD_REMOVED;
      message = _("The card was removed or reset while it was in use. Insert it again and "
                  "try again.");
      break;

    case CKR_TOKEN_NOT_RECOGNIZED:
      code = EIMZA_CARD_ERROR_UNSUPPORTED_CARD;
      message = _("The card’s PKCS#11 module does not recognise this card.");
      break;

    case CKR_DEVICE_ERROR:
    case CKR_DEVICE_MEMORY:
      code = EIMZA_CARD_ERROR_COMM;
      message = _("Communication with the card failed. Try again; if it keeps failing, "
                  "take the card out and insert it again.");
      break;

    case CKR_CRYPTOKI_NOT_INITIALIZED:
    case CKR_CANT_LOCK:
    case CKR_NEED_TO_CREATE_THREADS:
    case CKR_LIBRARY_LOAD_FAILED:
      code = EIMZA_CARD_ERROR_MODULE;
      message = _("The card’s PKCS#11 module could not be initialised.");
      break;

    case CKR_USER_NOT_LOGGED_IN:
      code = EIMZA_CARD_ERROR_TOKEN;
      message = _("The card asked for the PIN again during the operation.");
      break;

    case CKR_KEY_HANDLE_INVALID:
    case CKR_OBJECT_HANDLE_INVALID:
      code = EIMZA_CARD_ERROR_NOT_FOUND;
      message = _("The key was not found on the card.");
      break;

    case CKR_KEY_FUNCTION_NOT_PERMITTED:
    case CKR_KEY_TYPE_INCONSISTENT:
    case CKR_MECHANISM_INVALID:
      code = EIMZA_CARD_ERROR_SIGN;
      message = _("The key on the card cannot make this kind of signature.");
      break;

    case CKR_HOST_MEMORY:
      code = EIMZA_CARD_ERROR_FAILED;
      message = _("Out of memory.");
      break;

    default:
      g_set_error (error, EIMZA_CARD_ERROR, fallback, "%s (CK_RV 0x%08lX)",
                   fallback_message (fallback), rv);
      return FALSE;
    }

  g_set_error_literal (error, EIMZA_CARD_ERROR, code, message);
  return FALSE;
}

gboolean
eimza_card_error_from_gnutls (int              ret,
                              EimzaCardError   fallback,
                              GError         **error)
{
  EimzaCardError code;
  const char *message;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (ret >= 0)
    return TRUE;

  switch (ret)
    {
    case GNUTLS_E_PKCS11_PIN_ERROR:
      code = EIMZA_CARD_ERROR_PIN_INCORRECT;
      message = _("The PIN is incorrect.");
      break;

    case GNUTLS_E_PKCS11_PIN_LOCKED:
      eimza_card_error_set_pin_locked (error, FALSE);
      return FALSE;

    case GNUTLS_E_PKCS11_PIN_EXPIRED:
      code = EIMZA_CARD_ERROR_TOKEN;
      message = _("The card’s PIN has expired and must be changed first.");
      break;

    case GNUTLS_E_PKCS11_LOAD_ERROR:
    case GNUTLS_E_PKCS11_SLOT_ERROR:
    case GNUTLS_E_LOCKING_ERROR:
      code = EIMZA_CARD_ERROR_MODULE;
      message = _("The card’s PKCS#11 module could not be loaded or initialised.");
      break;

    case GNUTLS_E_PKCS11_DEVICE_ERROR:
      code = EIMZA_CARD_ERROR_COMM;
      message = _("Communication with the card failed. Try again; if it keeps failing, "
                  "take the card out and insert it again.");
      break;

    case GNUTLS_E_PKCS11_SESSION_ERROR:
      code = EIMZA_CARD_ERROR_CARD_REMOVED;
      message = _("The card was removed or reset while it was in use. Insert it again and "
                  "try again.");
      break;

    case GNUTLS_E_PKCS11_TOKEN_ERROR:
      code = EIMZA_CARD_ERROR_NO_CARD;
      message = _("The e-signature card is not in the card reader. Insert it and try again.");
      break;

    case GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE:
    case GNUTLS_E_PKCS11_REQUESTED_OBJECT_NOT_AVAILBLE:
      code = EIMZA_CARD_ERROR_NOT_FOUND;
      message = _("The certificate or key was not found on the card.");
      break;

    case GNUTLS_E_PKCS11_USER_ERROR:
      code = EIMZA_CARD_ERROR_TOKEN;
      message = _("The card did not accept the login.");
      break;

    case GNUTLS_E_PKCS11_UNSUPPORTED_FEATURE_ERROR:
    case GNUTLS_E_PKCS11_KEY_ERROR:
    case GNUTLS_E_PKCS11_SIGNATURE_ERROR:
    case GNUTLS_E_PK_SIGN_FAILED:
      code = EIMZA_CARD_ERROR_SIGN;
      message = _("The key on the card could not make the signature.");
      break;

    case GNUTLS_E_MEMORY_ERROR:
      code = EIMZA_CARD_ERROR_FAILED;
      message = _("Out of memory.");
      break;

    default:
      g_set_error (error, EIMZA_CARD_ERROR, fallback, "%s (%s)",
                   fallback_message (fallback), gnutls_strerror (ret));
      return FALSE;
    }

  g_set_error_literal (error, EIMZA_CARD_ERROR, code, message);
  return FALSE;
}
