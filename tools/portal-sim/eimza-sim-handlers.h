/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's routes: cookies, faults on the wire, and test endpoints. */
#pragma once

#include <libsoup/soup.h>

#include "eimza-sim-portal.h"

G_BEGIN_DECLS

typedef struct _EimzaSimHandlers EimzaSimHandlers;

/* Adds the routes to @server. @portal must outlive the result. */
EimzaSimHandlers *eimza_sim_handlers_new  (SoupServer       *server,
                                           EimzaSimPortal   *portal);
/* Forgets the requests held back by the slow fault; the server is about
 * to go away with their connections. */
void              eimza_sim_handlers_free (EimzaSimHandlers *handlers);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimHandlers, eimza_sim_handlers_free)

G_END_DECLS
