/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card error domain and the one mapping of PC/SC return codes to it. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <winscard.h>

#include "eimza-card-error.h"

G_DEFINE_QUARK (eimza-card-error-quark, eimza_card_error)

gboolean
eimza_card_error_from_pcsc (glong    rv,
                            GError **error)
{
  EimzaCardError code;
  const char *message;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch ((LONG) rv)
    {
    case SCARD_S_SUCCESS:
      return TRUE;

    case SCARD_E_CANCELLED:
      /* Only the service itself calls SCardCancel (to wake its worker or
       * to shut down), so this is the application cancelling. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The operation was cancelled."));
      return FALSE;

    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
      code = EIMZA_CARD_ERROR_NO_SERVICE;
      message = _("The smart card service (pcscd) is not running.");
      break;

    case SCARD_W_SECURITY_VIOLATION:
      /* pcscd refuses clients that polkit does not allow (e.g. remote
       * sessions); pcsc-lite also reports it when pcscd closes the
       * connection while it is being set up, as it does when it dies. */
      code = EIMZA_CARD_ERROR_NO_SERVICE;
      message = _("The smart card service (pcscd) refused access to this "
                  "program. It may not be allowed in this session.");
      break;

    case SCARD_E_NO_READERS_AVAILABLE:
      code = EIMZA_CARD_ERROR_NO_READER;
      message = _("No card reader was found. Connect the card reader; if it "
                  "is connected, its driver may be missing.");
      break;

    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
      code = EIMZA_CARD_ERROR_NO_READER;
      message = _("The card reader was disconnected.");
      break;

    case SCARD_E_READER_UNSUPPORTED:
    case SCARD_E_DUPLICATE_READER:
      code = EIMZA_CARD_ERROR_NO_READER;
      message = _("The card reader is not supported by its driver.");
      break;

    case SCARD_E_NO_SMARTCARD:
      code = EIMZA_CARD_ERROR_NO_CARD;
      message = _("There is no card in the card reader. Insert your "
                  "e-signature card.");
      break;

    case SCARD_W_REMOVED_CARD:
    case SCARD_W_RESET_CARD:
    case SCARD_W_UNPOWERED_CARD:
      code = EIMZA_CARD_ERROR_CARD_REMOVED;
      message = _("The card was removed or reset while it was in use. Insert "
                  "it again and try again.");
      break;

    case SCARD_W_UNRESPONSIVE_CARD:
    case SCARD_W_UNSUPPORTED_CARD:
    case SCARD_E_CARD_UNSUPPORTED:
    case SCARD_E_PROTO_MISMATCH:
    case SCARD_E_INVALID_ATR:
      code = EIMZA_CARD_ERROR_UNSUPPORTED_CARD;
      message = _("The card does not respond. Check that it is inserted the "
                  "right way round, or try another card.");
      break;

    case SCARD_E_SHARING_VIOLATION:
      code = EIMZA_CARD_ERROR_READER_BUSY;
      message = _("Another program is using the card. Close it and try again.");
      break;

    case SCARD_W_WRONG_CHV:
    case SCARD_E_INVALID_CHV:
      code = EIMZA_CARD_ERROR_PIN_INCORRECT;
      message = _("The PIN is incorrect.");
      break;

    case SCARD_W_CHV_BLOCKED:
      code = EIMZA_CARD_ERROR_PIN_LOCKED;
      message = _("The PIN is locked after too many wrong entries. Unlock it "
                  "on the NES online operations site.");
      break;

    case SCARD_W_CANCELLED_BY_USER:
      code = EIMZA_CARD_ERROR_CANCELLED;
      message = _("The operation was cancelled on the card reader.");
      break;

    case SCARD_F_COMM_ERROR:
    case SCARD_E_COMM_DATA_LOST:
    case SCARD_E_NOT_READY:
    case SCARD_E_TIMEOUT:
    case SCARD_F_WAITED_TOO_LONG:
    case SCARD_E_SERVER_TOO_BUSY:
    case SCARD_E_SYSTEM_CANCELLED:
    case SCARD_P_SHUTDOWN:
      code = EIMZA_CARD_ERROR_COMM;
      message = _("Communication with the card reader failed. Try again; if "
                  "it keeps failing, reconnect the card reader.");
      break;

    default:
      g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_FAILED,
                   _("The smart card service reported an error (%s, 0x%08lX)."),
                   pcsc_stringify_error ((LONG) rv), (unsigned long) (rv & 0xFFFFFFFFul));
      return FALSE;
    }

  g_set_error_literal (error, EIMZA_CARD_ERROR, code, message);
  return FALSE;
}
