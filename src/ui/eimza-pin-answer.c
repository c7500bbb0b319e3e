/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PIN dialog's answer made ready for a signature with the card. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-pin-answer.h"

gboolean
eimza_pin_answer_take (EimzaPinDialog   *dialog,
                       int               response,
                       EimzaSecret     **pin,
                       EimzaCadesFlags  *flags)
{
  g_return_val_if_fail (EIMZA_IS_PIN_DIALOG (dialog), FALSE);
  g_return_val_if_fail (pin != NULL && *pin == NULL, FALSE);
  g_return_val_if_fail (flags != NULL, FALSE);

  if (response == GTK_RESPONSE_OK)
    {
      *pin = eimza_pin_dialog_steal_pin (dialog);
      if (eimza_pin_dialog_get_final_try_confirmed (dialog))
        *flags |= EIMZA_CADES_FINAL_TRY_CONFIRMED;
    }

  gtk_widget_destroy (GTK_WIDGET (dialog));

  return response == GTK_RESPONSE_OK;
}

const char *
eimza_pin_answer_progress_text (EimzaPkcs11TokenFlags  token_flags,
                                const char            *signing_text)
{
  return (token_flags & EIMZA_PKCS11_TOKEN_PINPAD)
         ? _("Enter the PIN on the card reader’s keypad…")
         : signing_text;
}
