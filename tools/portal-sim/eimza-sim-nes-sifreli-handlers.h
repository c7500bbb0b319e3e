/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Şifreli Giriş listener's routes: cookies, faults and test endpoints. */
#pragma once

#include <libsoup/soup.h>

#include "eimza-sim-portal.h"

G_BEGIN_DECLS

/* Adds the routes to @server, which asks for no client certificate: the
 * person signs in with a security word and an SMS code because the card
 * is locked (docs/unblock-protocol.md). @portal must outlive @server's
 * handlers; eimza_sim_nes_sifreli_handlers_remove() takes them away. */
void eimza_sim_nes_sifreli_handlers_add    (SoupServer     *server,
                                            EimzaSimPortal *portal);
void eimza_sim_nes_sifreli_handlers_remove (SoupServer     *server);

G_END_DECLS
