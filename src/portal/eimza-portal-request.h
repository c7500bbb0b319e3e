/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One HTTP exchange of the portal clients: send, redirect, retry, read. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* What tells the clients' exchanges apart; each client keeps one of these
 * per kind of request as a static constant. */
typedef struct {
  /* Starts the exchange's debug lines ("NES "), so that two clients' logs
   * can be told apart; "" for none. */
  const char *log_prefix;
  /* Names the other side in the debug line of an unexpected answer. */
  const char *peer;
  /* Added to SOUP_MESSAGE_NO_REDIRECT on every message. */
  SoupMessageFlags message_flags;
  /* A 4xx answer is handed back as a reply rather than mapped to an error,
   * for endpoints that explain a refusal in the body. */
  gboolean accept_client_errors;
  /* (nullable): called on the source object before every send, retries
   * included. */
  void (*before_send) (GObject *source);
  /* (nullable): maps a failed exchange; without it
   * eimza_portal_error_check_exchange() does. */
  GError *(*map_error) (GObject      *source,
                        const GError *transport_error,
                        guint         status);
  /* (nullable): whether a person is being asked something for the
   * exchange (the card's PIN in a TLS handshake); a deadline that passes
   * meanwhile starts over, since that wait is not the server's. */
  gboolean (*is_asking_person) (GObject *source);
  /* (nullable): whether this send must open a new connection rather than
   * use the open one (the client's time-out changed, and libsoup gives a
   * connection the time-out of when it was made); asked before every
   * send. */
  gboolean (*take_new_connection) (GObject *source);
  /* Each send's connection is made (or the open one found) ahead, on a
   * thread of its own, so that a new TLS connection's set-up stays off
   * the caller's main loop. */
  gboolean connect_ahead;
  /* With connect_ahead: a send whose connection was made new for it
   * ahead goes out on that connection or not at all. A site that refuses
   * the client's certificate in TLS 1.3 closes the new connection right
   * after the handshake, and libsoup would open another one for the send
   * (a second handshake, a second PIN request): the send is stopped as
   * soon as libsoup sets out to connect, before anything is sent, and
   * fails with the closed connection's G_IO_ERROR_CONNECTION_CLOSED, as
   * map_error makes of it. An open connection found ahead that closes
   * before the send is not held to: the send makes a new one. */
  gboolean send_on_connection_made_ahead;
} EimzaPortalRequestOptions;

/* The overall deadline of one exchange, in seconds, retries and redirects
 * included, unless the client asks for another: a server that answers a
 * byte at a time within every per-read time-out must not hold a request
 * (and the person waiting on it) for ever. */
#define EIMZA_PORTAL_REQUEST_DEFAULT_DEADLINE 60

/* The final answer, after redirects. */
typedef struct {
  guint status;
  GUri *uri;                   /* where it came from */
  SoupMessageHeaders *headers;
  GBytes *body;                /* at most EIMZA_PORTAL_WEB_PAGE_MAX_SIZE */
} EimzaPortalReply;

void              eimza_portal_reply_free         (EimzaPortalReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalReply, eimza_portal_reply_free)

/* Sends @body (nullable: a GET, else a POST of @body_type) to @uri on
 * @soup, follows same-origin redirects, retries a GET after a transient
 * failure with a cancellable backoff and reads the body with a size cap.
 * All of it ends after @deadline_seconds with the client's time-out error
 * (a POST is never sent again: it may have arrived). Only method, path and
 * status are logged. */
void              eimza_portal_request_async      (GObject                         *source,
                                                   SoupSession                     *soup,
                                                   const EimzaPortalRequestOptions *options,
                                                   GUri                            *uri,
                                                   GBytes                          *body,
                                                   const char                      *body_type,
                                                   guint                            deadline_seconds,
                                                   GCancellable                    *cancellable,
                                                   GAsyncReadyCallback              callback,
                                                   gpointer                         user_data);
EimzaPortalReply *eimza_portal_request_finish     (GObject                         *source,
                                                   GAsyncResult                    *result,
                                                   GError                         **error);

/* Whether @msg only makes a connection ahead of an exchange, on a thread
 * of its own (SoupSession::request-queued is emitted for it there): no
 * request goes out on it, so what counts requests skips it. */
gboolean          eimza_portal_request_is_connect_only (SoupMessage                *msg);

/* The error for an answer the client cannot use; @why goes to the debug
 * log only, never to people. */
GError           *eimza_portal_request_unexpected (const EimzaPortalRequestOptions *options,
                                                   const char                      *why);

/* Whether @a and @b share scheme, host and port (443 when not given): the
 * sites' cookies and form data stay with the sites. */
gboolean          eimza_portal_request_same_origin (GUri                           *a,
                                                    GUri                           *b);

/* The one trust rule for a portal or e-signature site at @uri: without
 * @ca_file, the system's trust store (*@out_database = NULL); with it, only
 * a site on this computer (the simulator) may be trusted through it, and
 * *@out_database (may be NULL to only check) holds its CA. Certificates
 * are always verified either way. */
gboolean          eimza_portal_request_trust_database (GUri           *uri,
                                                       const char     *ca_file,
                                                       GTlsDatabase  **out_database,
                                                       GError        **error);

G_END_DECLS
