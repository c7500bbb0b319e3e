/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Putting simulator replies on the wire, shared by the portal's and the NES site's routes. */
#pragma once

#include <libsoup/soup.h>

#include "eimza-sim-reply.h"
#include "eimza-sim-session.h"

G_BEGIN_DECLS

/* Both sites' session cookie; its Path tells them apart. */
#define EIMZA_SIM_COOKIE_NAME "JSESSIONID"

/* The JSESSIONID the request carries, or NULL. */
char       *eimza_sim_wire_session_id   (SoupServerMessage   *msg);
/* The urlencoded POST body, keys and values repaired to valid UTF-8. */
GHashTable *eimza_sim_wire_decode_form  (SoupServerMessage   *msg);
/* "JSESSIONID=ID; Path=PATH; Secure; HttpOnly". */
char       *eimza_sim_wire_cookie       (const char          *session_id,
                                         const char          *path);

/* Writes @reply: status, no-store, Location, extra headers, @set_cookie
 * (nullable) and the body. */
void        eimza_sim_wire_write_reply  (SoupServerMessage   *msg,
                                         const EimzaSimReply *reply,
                                         const char          *set_cookie);
/* The reset fault: the status line, the headers (with the full length) and
 * half the body, then the TCP connection is closed without a TLS
 * close_notify. */
void        eimza_sim_wire_write_reset  (SoupServerMessage   *msg,
                                         const EimzaSimReply *reply,
                                         const char          *set_cookie);

/* The slow-drip fault: the whole response, status line and headers
 * included, one byte every @interval_ms, as a server that never quite
 * stops answering; the connection is closed after the last byte, or when
 * the client has gone. */
void        eimza_sim_wire_write_drip   (SoupServerMessage   *msg,
                                         const EimzaSimReply *reply,
                                         const char          *set_cookie,
                                         guint                interval_ms);

/* The close-after-post fault: the request was handled; the connection is
 * taken from libsoup and closed (TLS close_notify, then TCP) without a
 * byte of the answer. */
void        eimza_sim_wire_close_unanswered (SoupServerMessage *msg);

void        eimza_sim_wire_set_text     (SoupServerMessage   *msg,
                                         guint                status,
                                         const char          *text);
void        eimza_sim_wire_set_not_found (SoupServerMessage  *msg);
/* GET /_sim/submissions: @count as text, "N\n". */
void        eimza_sim_wire_set_count    (SoupServerMessage   *msg,
                                         guint                count);
/* POST /_sim/faults: the body "mode[,mode…]" replaces @session's queue. */
void        eimza_sim_wire_set_faults   (EimzaSimSession     *session,
                                         SoupServerMessage   *msg);

G_END_DECLS
