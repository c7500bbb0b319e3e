/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a TLS client tells the interaction that answers for a card's key, around each handshake. */
#include "config.h"

#include "eimza-tls-card-login.h"

G_DEFINE_INTERFACE (EimzaTlsCardLogin, eimza_tls_card_login, G_TYPE_OBJECT)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
eimza_tls_card_login_default_init (EimzaTlsCardLoginInterface *iface)
{
  /**
   * EimzaTlsCardLogin::failed:
   * @error: why the card's login inside the handshake failed
   *
   * Emitted in the main context before the handshake fails for it.
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

void
eimza_tls_card_login_prepare_async (EimzaTlsCardLogin   *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (EIMZA_IS_TLS_CARD_LOGIN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  EIMZA_TLS_CARD_LOGIN_GET_IFACE (self)->prepare_async (self, cancellable, callback, user_data);
}

gboolean
eimza_tls_card_login_prepare_finish (EimzaTlsCardLogin  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (EIMZA_IS_TLS_CARD_LOGIN (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return EIMZA_TLS_CARD_LOGIN_GET_IFACE (self)->prepare_finish (self, result, error);
}

void
eimza_tls_card_login_finished (EimzaTlsCardLogin *self,
                               const GError      *error)
{
  g_return_if_fail (EIMZA_IS_TLS_CARD_LOGIN (self));

  EIMZA_TLS_CARD_LOGIN_GET_IFACE (self)->finished (self, error);
}

gboolean
eimza_tls_card_login_is_asking (EimzaTlsCardLogin *self)
{
  EimzaTlsCardLoginInterface *iface;

  g_return_val_if_fail (EIMZA_IS_TLS_CARD_LOGIN (self), FALSE);

  iface = EIMZA_TLS_CARD_LOGIN_GET_IFACE (self);
  return iface->is_asking != NULL && iface->is_asking (self);
}

void
eimza_tls_card_login_emit_failed (EimzaTlsCardLogin *self,
                                  const GError      *error)
{
  g_return_if_fail (EIMZA_IS_TLS_CARD_LOGIN (self));
  g_return_if_fail (error != NULL);

  g_signal_emit (self, signals[FAILED], 0, error);
}
