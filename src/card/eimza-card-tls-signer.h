/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the card's TLS key asks of whoever holds its PIN rules: one handshake signature. */
#pragma once

#include <gio/gio.h>
#include <gnutls/gnutls.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_CARD_TLS_SIGNER (eimza_card_tls_signer_get_type ())

G_DECLARE_INTERFACE (EimzaCardTlsSigner, eimza_card_tls_signer, EIMZA, CARD_TLS_SIGNER, GObject)

/**
 * EimzaCardTlsSignerInterface:
 * @sign_async: signs @data (what GnuTLS hands the key) with @algorithm on
 *   the card, applying the PIN rules (it may ask the person); called on
 *   the main context the key was registered on.
 * @sign_finish: the signature, or %NULL and the error GnuTLS's caller sees.
 *
 * Implemented by #EimzaCardTlsInteraction; the key in eimza-card-tls-key.c
 * holds its signer weakly and knows nothing else of it.
 */
struct _EimzaCardTlsSignerInterface
{
  GTypeInterface parent_iface;

  void    (*sign_async)  (EimzaCardTlsSigner       *self,
                          gnutls_sign_algorithm_t   algorithm,
                          GBytes                   *data,
                          GAsyncReadyCallback       callback,
                          gpointer                  user_data);
  GBytes *(*sign_finish) (EimzaCardTlsSigner       *self,
                          GAsyncResult             *result,
                          GError                  **error);
};

void    eimza_card_tls_signer_sign_async  (EimzaCardTlsSigner       *self,
                                           gnutls_sign_algorithm_t   algorithm,
                                           GBytes                   *data,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data);
GBytes *eimza_card_tls_signer_sign_finish (EimzaCardTlsSigner       *self,
                                           GAsyncResult             *result,
                                           GError                  **error);

G_END_DECLS
