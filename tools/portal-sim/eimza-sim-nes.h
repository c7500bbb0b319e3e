/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the NES site's pages and the signer's endpoints do with a request, apart from HTTP. */
#pragma once

#include <glib.h>

#include "eimza-sim-faults.h"
#include "eimza-sim-portal.h"
#include "eimza-sim-reply.h"
#include "eimza-sim-session.h"

G_BEGIN_DECLS

/* The client certificate of a connection, as the site uses it. */
typedef struct {
  char *fingerprint;     /* SHA-256 of the DER, lower-case hex */
  char *tckn;            /* from the subject serialNumber */
  char *holder;          /* the subject common name */
} EimzaSimNesPeer;

typedef struct {
  gboolean is_post;
  const char *path;
  GHashTable *query;     /* may be NULL */
  GHashTable *form;      /* the decoded POST body of a page; may be NULL */
  GBytes *body;          /* the raw POST body (uploads); may be NULL */
  EimzaSimFaults faults; /* the ones that change what the site decides */
  gint64 now_us;         /* monotonic */
  const EimzaSimNesPeer *peer;
} EimzaSimNesRequest;

/* Made from a certificate that chains to the anchors; NULL when it has no
 * valid T.C. Kimlik No. */
EimzaSimNesPeer  *eimza_sim_nes_peer_new      (GBytes                    *der);
void              eimza_sim_nes_peer_free     (EimzaSimNesPeer           *peer);

/* Whether @path is the signer's upload (for the slow-upload fault). */
gboolean          eimza_sim_nes_is_upload     (const char                *path);

/* The session a request belongs to: the cookie's when it was opened with
 * the same certificate, or for the signer's endpoints the session of the
 * code in the query. NULL when there is none. Does not count as activity. */
EimzaSimSession  *eimza_sim_nes_find_session  (EimzaSimPortal            *portal,
                                               const char                *cookie_id,
                                               const EimzaSimNesPeer     *peer,
                                               const char                *path,
                                               GHashTable                *query,
                                               gint64                     now_us);

/* Handles a request to /nb/…. @session is the request's live session of
 * the same certificate or NULL; on return it is the session the answer
 * belongs to (a new one: the caller sets the cookie) or NULL. */
EimzaSimReply    *eimza_sim_nes_handle        (EimzaSimPortal            *portal,
                                               EimzaSimSession          **session,
                                               const EimzaSimNesRequest  *request);

/* What a test sees through GET /_sim/nes: "tckn=…\nstep=…\ncode=…\neonay=…\n". */
char             *eimza_sim_nes_describe_session (EimzaSimPortal         *portal,
                                                  EimzaSimSession        *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimNesPeer, eimza_sim_nes_peer_free)

G_END_DECLS
