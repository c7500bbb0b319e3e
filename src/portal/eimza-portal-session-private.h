/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test hooks of EimzaPortalSession: the simulator's test endpoints need them. */
#pragma once

#include <libsoup/soup.h>

#include "eimza-portal-session.h"

G_BEGIN_DECLS

/* The session's SoupSession, which holds the portal's cookies. */
SoupSession *eimza_portal_session_get_soup_session (EimzaPortalSession *self);
/* @path resolved against the base URL. */
GUri        *eimza_portal_session_resolve          (EimzaPortalSession *self,
                                                    const char         *path);

G_END_DECLS
