/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-signed application ("E-İmzalı Başvuru"): its document, its page and its signer's endpoints. */
#pragma once

#include <glib.h>

#include "eimza-sim-flow.h"
#include "eimza-sim-portal.h"
#include "eimza-sim-reply.h"
#include "eimza-sim-session.h"

G_BEGIN_DECLS

/* The signer's endpoints (docs/portal-protocol.md); the code is the query
 * parameter "kod", as on the NES site. */
#define EIMZA_SIM_ESIGN_DATA_PATH "/bp/eimzaliveri.go"
#define EIMZA_SIM_ESIGN_UPLOAD_PATH "/bp/eimzaligonder.go"

gboolean         eimza_sim_esign_is_signer_path (const char            *path);
/* Whether @path is the upload (for the slow-upload fault). */
gboolean         eimza_sim_esign_is_upload      (const char            *path);

/* The live session of the code a signer's request names in @query,
 * without counting as a request; NULL when there is none. */
EimzaSimSession *eimza_sim_esign_find_session   (EimzaSimPortal        *portal,
                                                 GHashTable            *query,
                                                 gint64                 now_us);

/* What the person chose E-İmzalı Başvuru for: a new code and document for
 * @session (an earlier code of it is dropped). FALSE, and nothing changed,
 * when the portal cannot check signatures (no --nes-client-ca). */
gboolean         eimza_sim_esign_start          (EimzaSimPortal        *portal,
                                                 EimzaSimSession       *session,
                                                 gint64                 now_us);

/* The e-signed application's page of @session: summary, commitment and,
 * while the code is valid, the code and the signer's addresses. With
 * @expire (the code-expired fault) the code is dropped first, so that the
 * step must be started again, as after its deadline. */
GString         *eimza_sim_esign_page           (EimzaSimPortal        *portal,
                                                 EimzaSimSession       *session,
                                                 gboolean               expire,
                                                 gint64                 now_us);

/* The summary of @session's application as the page shows it and the
 * document contains it: label, value, label, value…, NULL-terminated.
 * Empty values are left out, and so is the security word. */
GStrv            eimza_sim_esign_summary        (EimzaSimPortal        *portal,
                                                 EimzaSimSession       *session);

/* A GET of the data or a POST of the signature. On return @session is the
 * code's session (the request counts as its activity); NULL is returned
 * when that session has ended, and the caller answers as to any request
 * without a session. An accepted signature makes the application and
 * answers 303 to the result page. */
EimzaSimReply   *eimza_sim_esign_handle_signer  (EimzaSimPortal        *portal,
                                                 EimzaSimSession      **session,
                                                 const EimzaSimRequest *request);

G_END_DECLS
