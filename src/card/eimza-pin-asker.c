/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whoever asks the person for the card's PIN: a dialog, a test's script. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-pin-asker.h"

G_DEFINE_INTERFACE (EimzaPinAsker, eimza_pin_asker, G_TYPE_OBJECT)

static void
eimza_pin_asker_default_init (EimzaPinAskerInterface *iface)
{
}

void
eimza_pin_asker_ask_async (EimzaPinAsker        *self,
                           EimzaPkcs11Token     *token,
                           EimzaPinAskFlags      flags,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  EimzaPinAskerInterface *iface;

  g_return_if_fail (EIMZA_IS_PIN_ASKER (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  /* A locked card is never asked for a PIN. */
  g_return_if_fail (!(eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_LOCKED));

  iface = EIMZA_PIN_ASKER_GET_IFACE (self);
  g_return_if_fail (iface->ask_async != NULL);

  iface->ask_async (self, token, flags, cancellable, callback, user_data);
}

gboolean
eimza_pin_asker_ask_finish (EimzaPinAsker        *self,
                            GAsyncResult         *result,
                            EimzaSecret         **pin,
                            gboolean             *final_try_confirmed,
                            GError              **error)
{
  EimzaPinAskerInterface *iface;
  g_autoptr(EimzaSecret) answer = NULL;
  gboolean confirmed = FALSE;

  g_return_val_if_fail (EIMZA_IS_PIN_ASKER (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (pin != NULL && *pin == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = EIMZA_PIN_ASKER_GET_IFACE (self);
  g_return_val_if_fail (iface->ask_finish != NULL, FALSE);

  if (!iface->ask_finish (self, result, &answer, &confirmed, error))
    return FALSE;

  *pin = g_steal_pointer (&answer);
  if (final_try_confirmed != NULL)
    *final_try_confirmed = confirmed;
  return TRUE;
}

void
eimza_pin_asker_ask_new_pin_async (EimzaPinAsker          *self,
                                   EimzaPkcs11Token       *token,
                                   EimzaPinAskFlags        flags,
                                   const EimzaNewPinRules *rules,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data)
{
  EimzaPinAskerInterface *iface;

  g_return_if_fail (EIMZA_IS_PIN_ASKER (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (rules != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  /* A locked card is never asked for a PIN. */
  g_return_if_fail (!(eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_LOCKED));

  iface = EIMZA_PIN_ASKER_GET_IFACE (self);
  if (iface->ask_new_pin_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, eimza_pin_asker_ask_new_pin_async,
                               G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The PIN cannot be changed here."));
      return;
    }

  iface->ask_new_pin_async (self, token, flags, rules, cancellable, callback, user_data);
}

gboolean
eimza_pin_asker_ask_new_pin_finish (EimzaPinAsker  *self,
                                    GAsyncResult   *result,
                                    EimzaSecret   **current_pin,
                                    EimzaSecret   **new_pin,
                                    gboolean       *final_try_confirmed,
                                    GError        **error)
{
  EimzaPinAskerInterface *iface;
  g_autoptr(EimzaSecret) current = NULL;
  g_autoptr(EimzaSecret) answer = NULL;
  gboolean confirmed = FALSE;

  g_return_val_if_fail (EIMZA_IS_PIN_ASKER (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (current_pin != NULL && *current_pin == NULL, FALSE);
  g_return_val_if_fail (new_pin != NULL && *new_pin == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_async_result_is_tagged (result, eimza_pin_asker_ask_new_pin_async))
    return g_task_propagate_boolean (G_TASK (result), error);

  iface = EIMZA_PIN_ASKER_GET_IFACE (self);
  g_return_val_if_fail (iface->ask_new_pin_finish != NULL, FALSE);

  if (!iface->ask_new_pin_finish (self, result, &current, &answer, &confirmed, error))
    return FALSE;

  *current_pin = g_steal_pointer (&current);
  *new_pin = g_steal_pointer (&answer);
  if (final_try_confirmed != NULL)
    *final_try_confirmed = confirmed;
  return TRUE;
}

void
eimza_pin_asker_ask_unblock_async (EimzaPinAsker          *self,
                                   EimzaPkcs11Token       *token,
                                   EimzaPinAskFlags        flags,
                                   const EimzaNewPinRules *rules,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data)
{
  EimzaPinAskerInterface *iface;

  g_return_if_fail (EIMZA_IS_PIN_ASKER (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (rules != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  /* A locked unblock code is never asked for. */
  g_return_if_fail (!(eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED));

  iface = EIMZA_PIN_ASKER_GET_IFACE (self);
  if (iface->ask_unblock_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, eimza_pin_asker_ask_unblock_async,
                               G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The card cannot be unlocked here."));
      return;
    }

  iface->ask_unblock_async (self, token, flags, rules, cancellable, callback, user_data);
}

gboolean
eimza_pin_asker_ask_unblock_finish (EimzaPinAsker  *self,
                                    GAsyncResult   *result,
                                    EimzaSecret   **unblock_code,
                                    EimzaSecret   **new_pin,
                                    gboolean       *final_try_confirmed,
                                    GError        **error)
{
  EimzaPinAskerInterface *iface;
  g_autoptr(EimzaSecret) code = NULL;
  g_autoptr(EimzaSecret) answer = NULL;
  gboolean confirmed = FALSE;

  g_return_val_if_fail (EIMZA_IS_PIN_ASKER (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (unblock_code != NULL && *unblock_code == NULL, FALSE);
  g_return_val_if_fail (new_pin != NULL && *new_pin == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_async_result_is_tagged (result, eimza_pin_asker_ask_unblock_async))
    return g_task_propagate_boolean (G_TASK (result), error);

  iface = EIMZA_PIN_ASKER_GET_IFACE (self);
  g_return_val_if_fail (iface->ask_unblock_finish != NULL, FALSE);

  if (!iface->ask_unblock_finish (self, result, &code, &answer, &confirmed, error))
    return FALSE;

  *unblock_code = g_steal_pointer (&code);
  *new_pin = g_steal_pointer (&answer);
  if (final_try_confirmed != NULL)
    *final_try_confirmed = confirmed;
  return TRUE;
}
