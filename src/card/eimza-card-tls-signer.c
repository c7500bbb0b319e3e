/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the card's TLS key asks of whoever holds its PIN rules: one handshake signature. */
#include "config.h"

#include "eimza-card-tls-signer.h"

G_DEFINE_INTERFACE (EimzaCardTlsSigner, eimza_card_tls_signer, G_TYPE_OBJECT)

static void
eimza_card_tls_signer_default_init (EimzaCardTlsSignerInterface *iface)
{
}

void
eimza_card_tls_signer_sign_async (EimzaCardTlsSigner      *self,
                                  gnutls_sign_algorithm_t  algorithm,
                                  GBytes                  *data,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_return_if_fail (EIMZA_IS_CARD_TLS_SIGNER (self));
  g_return_if_fail (data != NULL);

  EIMZA_CARD_TLS_SIGNER_GET_IFACE (self)->sign_async (self, algorithm, data, callback, user_data);
}

GBytes *
eimza_card_tls_signer_sign_finish (EimzaCardTlsSigner  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_CARD_TLS_SIGNER (self), NULL);

  return EIMZA_CARD_TLS_SIGNER_GET_IFACE (self)->sign_finish (self, result, error);
}
