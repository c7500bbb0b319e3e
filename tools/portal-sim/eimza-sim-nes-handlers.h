/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NES listener's routes: client certificates, cookies, faults and test endpoints. */
#pragma once

#include <libsoup/soup.h>

#include "eimza-sim-portal.h"

G_BEGIN_DECLS

typedef struct _EimzaSimNesHandlers EimzaSimNesHandlers;

/* Adds the routes to @server, which must require client certificates;
 * @anchors decides which ones are accepted in the handshake. @portal must
 * outlive the result. */
EimzaSimNesHandlers *eimza_sim_nes_handlers_new  (SoupServer          *server,
                                                  EimzaSimPortal      *portal,
                                                  GTlsDatabase        *anchors);
/* Forgets the requests held back by the slow faults. */
void                 eimza_sim_nes_handlers_free (EimzaSimNesHandlers *handlers);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimNesHandlers, eimza_sim_nes_handlers_free)

G_END_DECLS
