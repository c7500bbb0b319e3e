/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a TLS client tells the interaction that answers for a card's key, around each handshake. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_TLS_CARD_LOGIN (eimza_tls_card_login_get_type ())

G_DECLARE_INTERFACE (EimzaTlsCardLogin, eimza_tls_card_login, EIMZA, TLS_CARD_LOGIN, GObject)

/**
 * EimzaTlsCardLoginInterface:
 * @prepare_async: the card's certificate is about to go into a handshake,
 *   where its key will sign (and the card log in). A PIN-pad reader gets
 *   no PIN request from GnuTLS, so this is where the person is told to
 *   type on the reader, and where the last try is confirmed. Failing it
 *   fails the handshake before the key is used.
 * @prepare_finish: the result of @prepare_async.
 * @finished: the handshake that used the card's key has ended: @error is
 *   %NULL when it succeeded, i.e. the card accepted the PIN it was given.
 * @is_asking: whether the person is being asked now (a PIN, a PIN-pad
 *   prompt), so that a client's deadline waits for them. Optional.
 *
 * An implementation whose key signs inside the handshake on its own (not
 * through a PIN request of the TLS library) emits #EimzaTlsCardLogin::failed
 * when that login fails, before the handshake fails, so that the client
 * can say why: a wrong PIN, a locked card, a refused last try.
 *
 * Implemented by a #GTlsInteraction that answers the PIN requests of a
 * key on a card (the card layer's #EimzaCardTlsInteraction); called by the
 * client that runs the connections (the NES session). It lives in the
 * core so that both layers can see it.
 */
struct _EimzaTlsCardLoginInterface
{
  GTypeInterface parent_iface;

  void     (*prepare_async)  (EimzaTlsCardLogin    *self,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean (*prepare_finish) (EimzaTlsCardLogin    *self,
                              GAsyncResult         *result,
                              GError              **error);
  void     (*finished)       (EimzaTlsCardLogin    *self,
                              const GError         *error);
  gboolean (*is_asking)      (EimzaTlsCardLogin    *self);
};

void     eimza_tls_card_login_prepare_async  (EimzaTlsCardLogin    *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean eimza_tls_card_login_prepare_finish (EimzaTlsCardLogin    *self,
                                              GAsyncResult         *result,
                                              GError              **error);
void     eimza_tls_card_login_finished       (EimzaTlsCardLogin    *self,
                                              const GError         *error);
gboolean eimza_tls_card_login_is_asking      (EimzaTlsCardLogin    *self);
/* Emits #EimzaTlsCardLogin::failed (for implementations). */
void     eimza_tls_card_login_emit_failed    (EimzaTlsCardLogin    *self,
                                              const GError         *error);

G_END_DECLS
