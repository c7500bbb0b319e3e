/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the card's TLS key asks of the interaction that holds its PIN rules. */
#pragma once

#include <gnutls/gnutls.h>

#include "eimza-card-tls-interaction.h"

G_BEGIN_DECLS

/* One signature of a handshake with the routed key (see
 * eimza_card_tls_interaction_route()), under the interaction's PIN rules:
 * the token's PIN state is read, a kept PIN is used when the rules allow
 * it, otherwise the person is asked (a locked card never; a last try only
 * with their confirmation; after a wrong PIN again, as a retry); then the
 * worker logs in and signs (eimza_card_tls_sign_async()). The PIN that
 * signed is pending until eimza_tls_card_login_finished() says whether
 * the handshake succeeded. A failure is also reported through the
 * #EimzaTlsCardLogin::failed signal. Main thread. */
void    eimza_card_tls_interaction_sign_async  (EimzaCardTlsInteraction  *self,
                                                gnutls_sign_algorithm_t   algorithm,
                                                GBytes                   *data,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
GBytes *eimza_card_tls_interaction_sign_finish (EimzaCardTlsInteraction  *self,
                                                GAsyncResult             *result,
                                                GError                  **error);

G_END_DECLS
