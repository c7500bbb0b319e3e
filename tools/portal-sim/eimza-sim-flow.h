/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What each portal page does with a GET and a POST, apart from HTTP. */
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
  GBytes *body;          /* the raw POST body of a signature upload; may be NULL */
  EimzaSimFaults faults; /* only the ones that change what a page decides */
  gint64 now_us;         /* monotonic */
} EimzaSimRequest;

/* The path of a step's page, e.g. "/bp/sonuc.go". */
const char    *eimza_sim_flow_step_path      (EimzaSimStep           step);

/* Handles a request to /bp/…. @session is the request's live session or
 * NULL; on return it is the session the answer belongs to, which may be a
 * new one (the caller then sets the cookie) or NULL. */
EimzaSimReply *eimza_sim_flow_handle         (EimzaSimPortal        *portal,
                                              EimzaSimSession      **session,
                                              const EimzaSimRequest *request);
/* The page a GET of @path would show now, rendered without changing
 * anything (not even the view state), so that a client that got it mangled
 * by a fault can retry what it was doing. */
EimzaSimReply *eimza_sim_flow_render_current (EimzaSimPortal        *portal,
                                              EimzaSimSession       *session,
                                              const char            *path);

G_END_DECLS
