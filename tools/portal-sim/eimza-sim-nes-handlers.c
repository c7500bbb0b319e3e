/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NES listener's routes: client certificates, cookies, faults and test endpoints. */
#include "eimza-sim-nes.h"
#include "eimza-sim-nes-handlers.h"
#include "eimza-sim-pages.h"
#include "eimza-sim-wire.h"

#define COOKIE_PATH "/nb"
/* The client certificate's EimzaSimNesPeer, kept on the connection's
 * socket: libsoup gives the peer certificate to the first message of a
 * connection only. */
#define PEER_KEY "eimza-sim-nes-peer"

/* The faults the NES site knows; the portal's others do nothing here. */
#define NES_FAULTS (EIMZA_SIM_FAULT_SLOW | EIMZA_SIM_FAULT_SLOW_UPLOAD \
                    | EIMZA_SIM_FAULT_HTTP_500 | EIMZA_SIM_FAULT_HTTP_503 \
                    | EIMZA_SIM_FAULT_EXPIRE_SESSION | EIMZA_SIM_FAULT_CODE_EXPIRED \
                    | EIMZA_SIM_FAULT_SIGNATURE_REPLAYED | EIMZA_SIM_FAULT_SIGNER_MISMATCH \
                    | EIMZA_SIM_FAULT_CONTENT_MISMATCH | EIMZA_SIM_FAULT_SLOW_DRIP \
                    | EIMZA_SIM_FAULT_BIDI | EIMZA_SIM_FAULT_BINARY \
                    | EIMZA_SIM_FAULT_CLOSE_AFTER_POST)

struct _EimzaSimNesHandlers
{
  SoupServer *server;
  EimzaSimPortal *portal;
  GTlsDatabase *anchors;
  gulong request_started_id;
  GList *slow_requests; /* SlowRequest, owned */
};

/* A request held back by a slow fault. */
typedef struct {
  EimzaSimNesHandlers *handlers;
  SoupServerMessage *msg;
  char *path;
  GHashTable *query;
  EimzaSimFaults faults;
  guint timeout_id;
  gulong disconnected_id;
} SlowRequest;

static EimzaSimNesPeer *
message_peer (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  return socket != NULL ? g_object_get_data (G_OBJECT (socket), PEER_KEY) : NULL;
}

/* The handshake's check of the client certificate: it must chain to the
 * anchors (--nes-client-ca), be valid today and name a T.C. Kimlik No. */
static gboolean
accept_certificate_cb (SoupServerMessage    *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  EimzaSimNesHandlers *handlers = user_data;
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;
  EimzaSimNesPeer *peer;
  GSocket *socket;

  flags = g_tls_database_verify_chain (handlers->anchors, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_CLIENT, NULL, NULL,
                                       G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  if (flags != 0 || error != NULL)
    {
      g_debug ("NES: client certificate refused (flags 0x%x%s%s)", flags,
               error != NULL ? ", " : "", error != NULL ? error->message : "");
      return FALSE;
    }

  g_object_get (certificate, "certificate", &der, NULL);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&der));
  peer = eimza_sim_nes_peer_new (bytes);
  if (peer == NULL)
    {
      g_debug ("NES: client certificate without a T.C. Kimlik No refused");
      return FALSE;
    }

  socket = soup_server_message_get_socket (msg);
  if (socket == NULL)
    {
      eimza_sim_nes_peer_free (peer);
      return FALSE;
    }
  g_object_set_data_full (G_OBJECT (socket), PEER_KEY, peer,
                          (GDestroyNotify) eimza_sim_nes_peer_free);
  return TRUE;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), user_data);
}

static void
log_request (SoupServerMessage   *msg,
             const char          *path,
             const EimzaSimReply *reply,
             EimzaSimFaults       faults)
{
  g_autofree char *names = eimza_sim_faults_to_string (faults);

  /* Never the body or the query: they carry identity numbers and codes. */
  g_debug ("NES %s %s -> %u%s%s", soup_server_message_get_method (msg), path, reply->status,
           *names != '\0' ? " faults: " : "", names);
}

static void
respond (EimzaSimPortal    *portal,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         EimzaSimFaults     faults)
{
  const EimzaSimNesPeer *peer = message_peer (msg);
  g_autofree char *cookie_id = eimza_sim_wire_session_id (msg);
  g_autofree char *set_cookie = NULL;
  g_autoptr(EimzaSimReply) reply = NULL;
  gint64 now_us = g_get_monotonic_time ();
  EimzaSimSession *session = NULL;

  if (peer == NULL)
    {
      /* Cannot happen with a required client certificate. */
      eimza_sim_wire_set_text (msg, 403, "No client certificate.\n");
      return;
    }

  session = eimza_sim_nes_find_session (portal, cookie_id, peer, path, query, now_us);
  if (session != NULL)
    session = eimza_sim_session_store_lookup (portal->nes_sessions, session->id, now_us);
  if ((faults & EIMZA_SIM_FAULT_EXPIRE_SESSION) && session != NULL)
    {
      eimza_sim_nes_codes_drop_session (portal->nes_codes, session->id);
      eimza_sim_session_store_remove (portal->nes_sessions, session);
      session = NULL;
    }

  /* Faults that replace the answer leave the request unprocessed. */
  if (faults & EIMZA_SIM_FAULT_HTTP_500)
    {
      reply = eimza_sim_reply_new_status (500, eimza_sim_page_error (500));
    }
  else if (faults & EIMZA_SIM_FAULT_HTTP_503)
    {
      reply = eimza_sim_reply_new_status (503, eimza_sim_page_error (503));
    }
  else
    {
      g_autoptr(GHashTable) form = NULL;
      g_autoptr(GBytes) body = NULL;
      gboolean is_post = soup_server_message_get_method (msg) == SOUP_METHOD_POST;
      EimzaSimNesRequest request = {
        .is_post = is_post,
        .path = path,
        .query = query,
        .faults = faults,
        .now_us = now_us,
        .peer = peer,
      };

      if (is_post && eimza_sim_nes_is_upload (path))
        body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      else if (is_post)
        form = eimza_sim_wire_decode_form (msg);
      request.form = form;
      request.body = body;
      if (is_post)
        portal->nes_posts++;

      /* A signer request's session is its code's, not the cookie's. */
      if (g_str_has_prefix (path, "/nb/imza/"))
        {
          EimzaSimSession *none = NULL;

          reply = eimza_sim_nes_handle (portal, &none, &request);
        }
      else
        {
          EimzaSimSession *cookie_session = session;

          reply = eimza_sim_nes_handle (portal, &cookie_session, &request);
          if (cookie_session != NULL && g_strcmp0 (cookie_session->id, cookie_id) != 0)
            set_cookie = eimza_sim_wire_cookie (cookie_session->id, COOKIE_PATH);
        }
    }

  log_request (msg, path, reply, faults);
  if (faults & EIMZA_SIM_FAULT_CLOSE_AFTER_POST)
    eimza_sim_wire_close_unanswered (msg);
  else if (faults & EIMZA_SIM_FAULT_SLOW_DRIP)
    eimza_sim_wire_write_drip (msg, reply, set_cookie, portal->config.drip_ms);
  else
    eimza_sim_wire_write_reply (msg, reply, set_cookie);
}

static void
slow_request_free (SlowRequest *slow)
{
  g_clear_handle_id (&slow->timeout_id, g_source_remove);
  g_clear_signal_handler (&slow->disconnected_id, slow->msg);
  g_clear_object (&slow->msg);
  g_free (slow->path);
  g_clear_pointer (&slow->query, g_hash_table_unref);
  g_free (slow);
}

static void
slow_request_forget (SlowRequest *slow)
{
  slow->handlers->slow_requests = g_list_remove (slow->handlers->slow_requests, slow);
  slow_request_free (slow);
}

static gboolean
slow_timeout_cb (gpointer user_data)
{
  SlowRequest *slow = user_data;

  slow->timeout_id = 0;
  g_clear_signal_handler (&slow->disconnected_id, slow->msg);
  /* Handled now: the deadline of an upload's code is checked now. */
  respond (slow->handlers->portal, slow->msg, slow->path, slow->query, slow->faults);
  /* A drip or a close has taken the connection from libsoup: nothing to
   * resume. */
  if ((slow->faults & (EIMZA_SIM_FAULT_SLOW_DRIP | EIMZA_SIM_FAULT_CLOSE_AFTER_POST)) == 0)
    soup_server_message_unpause (slow->msg);

  slow_request_forget (slow);
  return G_SOURCE_REMOVE;
}

static void
slow_disconnected_cb (SoupServerMessage *msg,
                      gpointer           user_data)
{
  SlowRequest *slow = user_data;

  g_debug ("NES %s %s: client gone while held back", soup_server_message_get_method (msg),
           slow->path);
  slow_request_forget (slow);
}

static void
start_slow (EimzaSimNesHandlers *handlers,
            SoupServerMessage   *msg,
            const char          *path,
            GHashTable          *query,
            EimzaSimFaults       faults)
{
  SlowRequest *slow = g_new0 (SlowRequest, 1);

  slow->handlers = handlers;
  slow->msg = g_object_ref (msg);
  slow->path = g_strdup (path);
  slow->query = query != NULL ? g_hash_table_ref (query) : NULL;
  slow->faults = faults & ~(EIMZA_SIM_FAULT_SLOW | EIMZA_SIM_FAULT_SLOW_UPLOAD);

  soup_server_message_pause (msg);
  slow->timeout_id = g_timeout_add (handlers->portal->config.slow_seconds * 1000,
                                    slow_timeout_cb, slow);
  slow->disconnected_id = g_signal_connect (msg, "disconnected",
                                            G_CALLBACK (slow_disconnected_cb), slow);
  handlers->slow_requests = g_list_prepend (handlers->slow_requests, slow);
}

static void
nes_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  EimzaSimNesHandlers *handlers = user_data;
  EimzaSimPortal *portal = handlers->portal;
  g_autofree char *cookie_id = eimza_sim_wire_session_id (msg);
  EimzaSimFaults faults = portal->config.run_faults;
  EimzaSimSession *session;
  gboolean slow;

  /* One queued fault per request of the session, the signer's included. */
  session = eimza_sim_nes_find_session (portal, cookie_id, message_peer (msg), path, query,
                                        g_get_monotonic_time ());
  if (session != NULL)
    faults |= eimza_sim_session_pop_fault (session);
  faults &= NES_FAULTS;

  slow = (faults & EIMZA_SIM_FAULT_SLOW)
    || ((faults & EIMZA_SIM_FAULT_SLOW_UPLOAD) && eimza_sim_nes_is_upload (path));
  if (slow && portal->config.slow_seconds > 0)
    start_slow (handlers, msg, path, query, faults);
  else
    respond (portal, msg, path, query, faults & ~(EIMZA_SIM_FAULT_SLOW | EIMZA_SIM_FAULT_SLOW_UPLOAD));
}

/* The test-only endpoints; the NES cookie has Path=/nb, so clients send it
 * here only when told to. */
static void
test_endpoints_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  EimzaSimNesHandlers *handlers = user_data;
  EimzaSimPortal *portal = handlers->portal;
  g_autofree char *cookie_id = NULL;
  const char *method = soup_server_message_get_method (msg);
  EimzaSimSession *session;

  if (!portal->config.test_endpoints)
    {
      eimza_sim_wire_set_not_found (msg);
      return;
    }

  if (g_str_equal (path, "/_sim/submissions") && method == SOUP_METHOD_GET)
    {
      eimza_sim_wire_set_count (msg, portal->nes_posts);
      return;
    }

  cookie_id = eimza_sim_wire_session_id (msg);
  session = eimza_sim_nes_find_session (portal, cookie_id, message_peer (msg), "/nb/",
                                        NULL, g_get_monotonic_time ());
  if (session == NULL)
    {
      eimza_sim_wire_set_text (msg, 403, "No live NES session: send the JSESSIONID cookie.\n");
      return;
    }

  if (g_str_equal (path, "/_sim/nes") && method == SOUP_METHOD_GET)
    {
      g_autofree char *text = eimza_sim_nes_describe_session (portal, session);

      eimza_sim_wire_set_text (msg, 200, text);
    }
  else if (g_str_equal (path, "/_sim/faults") && method == SOUP_METHOD_POST)
    {
      eimza_sim_wire_set_faults (session, msg);
    }
  else
    {
      eimza_sim_wire_set_not_found (msg);
    }
}

static void
default_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  if (g_str_equal (path, "/"))
    {
      soup_server_message_set_redirect (msg, 303, "/nb/nbimzali.go");
      return;
    }

  eimza_sim_wire_set_not_found (msg);
}

EimzaSimNesHandlers *
eimza_sim_nes_handlers_new (SoupServer     *server,
                            EimzaSimPortal *portal,
                            GTlsDatabase   *anchors)
{
  EimzaSimNesHandlers *handlers = g_new0 (EimzaSimNesHandlers, 1);

  handlers->server = g_object_ref (server);
  handlers->portal = portal;
  handlers->anchors = g_object_ref (anchors);

  handlers->request_started_id = g_signal_connect (server, "request-started",
                                                   G_CALLBACK (request_started_cb), handlers);
  soup_server_add_handler (server, "/nb", nes_cb, handlers, NULL);
  soup_server_add_handler (server, "/_sim", test_endpoints_cb, handlers, NULL);
  soup_server_add_handler (server, NULL, default_cb, handlers, NULL);

  return handlers;
}

void
eimza_sim_nes_handlers_free (EimzaSimNesHandlers *handlers)
{
  if (handlers == NULL)
    return;

  g_clear_signal_handler (&handlers->request_started_id, handlers->server);
  soup_server_remove_handler (handlers->server, "/nb");
  soup_server_remove_handler (handlers->server, "/_sim");
  soup_server_remove_handler (handlers->server, NULL);
  g_list_free_full (handlers->slow_requests, (GDestroyNotify) slow_request_free);
  g_clear_object (&handlers->anchors);
  g_clear_object (&handlers->server);
  g_free (handlers);
}
