/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A response of the simulated portal before it is put on the wire. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint status;
  char *content_type; /* NULL when there is no body */
  GBytes *body;       /* NULL for redirects */
  char *location;     /* for 303 See Other */
  GPtrArray *headers; /* extra headers: name, value, name, value…; may be NULL */
} EimzaSimReply;

/* Takes @html over: a 200 text/html; charset=UTF-8 page. */
EimzaSimReply *eimza_sim_reply_new_html     (GString       *html);
/* Same, with another status (error pages). */
EimzaSimReply *eimza_sim_reply_new_status   (guint          status,
                                             GString       *html);
EimzaSimReply *eimza_sim_reply_new_bytes    (guint          status,
                                             const char    *content_type,
                                             GBytes        *body);
/* 303 See Other to @location. */
EimzaSimReply *eimza_sim_reply_new_redirect (const char    *location);
/* A plain-text answer (the NES signer's endpoints): one sentence and a
 * newline. */
EimzaSimReply *eimza_sim_reply_new_text     (guint          status,
                                             const char    *text);
/* An extra response header, e.g. the signer's deadline. */
void           eimza_sim_reply_add_header   (EimzaSimReply *reply,
                                             const char    *name,
                                             const char    *value);
void           eimza_sim_reply_free         (EimzaSimReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimReply, eimza_sim_reply_free)

G_END_DECLS
