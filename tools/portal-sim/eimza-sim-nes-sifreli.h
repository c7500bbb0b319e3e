/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NES site's Şifreli Giriş and Kilit Çözme: what its pages do with a request, apart from HTTP. */
#pragma once

#include <glib.h>

#include "eimza-sim-faults.h"
#include "eimza-sim-portal.h"
#include "eimza-sim-reply.h"
#include "eimza-sim-session.h"

G_BEGIN_DECLS

typedef struct {
  gboolean is_post;
  const char *path;
  GHashTable *query;     /* may be NULL */
  GHashTable *form;      /* the decoded POST body; may be NULL */
  EimzaSimFaults faults;
  gint64 now_us;         /* monotonic */
} EimzaSimSifreliRequest;

/* Handles a request to /nb/… of the Şifreli Giriş listener
 * (docs/unblock-protocol.md). @session is the cookie's live session or
 * NULL; on return it is the session the answer belongs to (a new one: the
 * caller sets the cookie). */
EimzaSimReply *eimza_sim_nes_sifreli_handle   (EimzaSimPortal               *portal,
                                               EimzaSimSession             **session,
                                               const EimzaSimSifreliRequest *request);

/* What a test sees through GET /_sim/sifreli:
 * "tckn=…\nstep=sign-in|sms|unblock|done\nfailures=N\n". */
char          *eimza_sim_nes_sifreli_describe (EimzaSimPortal               *portal,
                                               EimzaSimSession              *session);

G_END_DECLS
