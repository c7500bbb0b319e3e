/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's routes: cookies, faults on the wire, and test endpoints. */
#include <string.h>

#include "eimza-sim-esign.h"
#include "eimza-sim-flow.h"
#include "eimza-sim-handlers.h"
#include "eimza-sim-pages.h"
#include "eimza-sim-wire.h"

#define COOKIE_PATH "/bp"
/* Faults that only delay: the answer is held back, then made without them. */
#define DELAY_FAULTS (EIMZA_SIM_FAULT_SLOW | EIMZA_SIM_FAULT_SLOW_UPLOAD)

struct _EimzaSimHandlers
{
  SoupServer *server;
  EimzaSimPortal *portal;
  GList *slow_requests; /* SlowRequest, owned */
};

/* A request held back by the slow fault. */
typedef struct {
  EimzaSimHandlers *handlers;
  SoupServerMessage *msg;
  char *path;
  GHashTable *query;
  EimzaSimFaults faults;
  guint timeout_id;
  gulong disconnected_id;
} SlowRequest;

static void
log_request (SoupServerMessage   *msg,
             const char          *path,
             const EimzaSimReply *reply,
             EimzaSimFaults       faults)
{
  g_autofree char *names = eimza_sim_faults_to_string (faults);

  /* Never the body or the query: they carry identity numbers. */
  g_debug ("%s %s -> %u%s%s", soup_server_message_get_method (msg), path, reply->status,
           *names != '\0' ? " faults: " : "", names);
}

/* The session a request belongs to, without counting as activity: the
 * cookie's, or for the e-signed application's signer the session of the
 * code it names (a signer may have no cookie at all). */
static EimzaSimSession *
find_session (EimzaSimPortal *portal,
              const char     *cookie_id,
              const char     *path,
              GHashTable     *query,
              gint64          now_us)
{
  if (eimza_sim_esign_is_signer_path (path))
    return eimza_sim_esign_find_session (portal, query, now_us);

  return eimza_sim_session_store_peek (portal->sessions, cookie_id, now_us);
}

/* Answers one /bp/ request with the faults it was given. */
static void
respond (EimzaSimPortal    *portal,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         EimzaSimFaults     faults)
{
  g_autofree char *cookie_id = eimza_sim_wire_session_id (msg);
  g_autoptr(EimzaSimReply) reply = NULL;
  gint64 now_us = g_get_monotonic_time ();
  EimzaSimSession *session;
  g_autofree char *set_cookie = NULL;

  session = find_session (portal, cookie_id, path, query, now_us);
  if (session != NULL)
    session = eimza_sim_session_store_lookup (portal->sessions, session->id, now_us);
  if ((faults & EIMZA_SIM_FAULT_EXPIRE_SESSION) && session != NULL)
    {
      eimza_sim_session_store_remove (portal->sessions, session);
      session = NULL;
    }

  /* Faults that replace the answer leave the request unprocessed, so the
   * client may retry it. */
  if (faults & EIMZA_SIM_FAULT_HTTP_500)
    {
      reply = eimza_sim_reply_new_status (500, eimza_sim_page_error (500));
    }
  else if (faults & EIMZA_SIM_FAULT_HTTP_503)
    {
      reply = eimza_sim_reply_new_status (503, eimza_sim_page_error (503));
    }
  else if (faults & EIMZA_SIM_FAULT_REDESIGNED)
    {
      reply = eimza_sim_reply_new_html (eimza_sim_page_redesigned ());
    }
  else if (faults & (EIMZA_SIM_FAULT_RESET | EIMZA_SIM_FAULT_TRUNCATED | EIMZA_SIM_FAULT_MALFORMED))
    {
      reply = eimza_sim_flow_render_current (portal, session, path);
    }
  else
    {
      g_autoptr(GHashTable) form = NULL;
      g_autoptr(GBytes) body = NULL;
      EimzaSimRequest request = {
        .is_post = soup_server_message_get_method (msg) == SOUP_METHOD_POST,
        .path = path,
        .query = query,
        .faults = faults,
        .now_us = now_us,
      };

      if (request.is_post && eimza_sim_esign_is_upload (path))
        body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      else if (request.is_post)
        form = eimza_sim_wire_decode_form (msg);
      request.form = form;
      request.body = body;
      reply = eimza_sim_flow_handle (portal, &session, &request);
      if (request.is_post)
        portal->portal_posts++;
    }

  if (faults & EIMZA_SIM_FAULT_TRUNCATED)
    eimza_sim_faults_truncate (reply);
  if (faults & EIMZA_SIM_FAULT_MALFORMED)
    eimza_sim_faults_malform (reply);

  if (session != NULL && g_strcmp0 (session->id, cookie_id) != 0)
    set_cookie = eimza_sim_wire_cookie (session->id, COOKIE_PATH);

  log_request (msg, path, reply, faults);
  if (faults & EIMZA_SIM_FAULT_CLOSE_AFTER_POST)
    eimza_sim_wire_close_unanswered (msg);
  else if (faults & EIMZA_SIM_FAULT_RESET)
    eimza_sim_wire_write_reset (msg, reply, set_cookie);
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
  /* A reset steals the connection, which emits ::disconnected: that is
   * not the client giving up. */
  g_clear_signal_handler (&slow->disconnected_id, slow->msg);
  /* The session is looked up again: it may have expired meanwhile. */
  respond (slow->handlers->portal, slow->msg, slow->path, slow->query, slow->faults);
  /* A reset, a drip or a close has taken the connection from libsoup:
   * nothing to resume. */
  if ((slow->faults & (EIMZA_SIM_FAULT_RESET | EIMZA_SIM_FAULT_SLOW_DRIP |
                       EIMZA_SIM_FAULT_CLOSE_AFTER_POST)) == 0)
    soup_server_message_unpause (slow->msg);

  slow_request_forget (slow);
  return G_SOURCE_REMOVE;
}

static void
slow_disconnected_cb (SoupServerMessage *msg,
                      gpointer           user_data)
{
  SlowRequest *slow = user_data;

  /* The client gave up waiting. */
  g_debug ("%s %s: client gone while held back", soup_server_message_get_method (msg),
           slow->path);
  slow_request_forget (slow);
}

/* The slow fault holds the answer back without blocking other requests. */
static void
start_slow (EimzaSimHandlers  *handlers,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            EimzaSimFaults     faults)
{
  SlowRequest *slow = g_new0 (SlowRequest, 1);

  slow->handlers = handlers;
  slow->msg = g_object_ref (msg);
  slow->path = g_strdup (path);
  slow->query = query != NULL ? g_hash_table_ref (query) : NULL;
  slow->faults = faults & ~DELAY_FAULTS;

  soup_server_message_pause (msg);
  /* Not g_timeout_add_seconds(): it may fire up to a second early, and a
   * client test of its own timeout needs the full delay. */
  slow->timeout_id = g_timeout_add (handlers->portal->config.slow_seconds * 1000,
                                    slow_timeout_cb, slow);
  slow->disconnected_id = g_signal_connect (msg, "disconnected",
                                            G_CALLBACK (slow_disconnected_cb), slow);
  handlers->slow_requests = g_list_prepend (handlers->slow_requests, slow);
}

static void
portal_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  EimzaSimHandlers *handlers = user_data;
  EimzaSimPortal *portal = handlers->portal;
  g_autofree char *cookie_id = eimza_sim_wire_session_id (msg);
  EimzaSimFaults faults = portal->config.run_faults;
  EimzaSimSession *session;
  gboolean slow;

  /* One queued fault per request to the portal, the captcha image and
   * the signer's requests included; requests to /_sim/ never take one. */
  session = find_session (portal, cookie_id, path, query, g_get_monotonic_time ());
  if (session != NULL)
    session = eimza_sim_session_store_lookup (portal->sessions, session->id,
                                              g_get_monotonic_time ());
  if (session != NULL)
    faults |= eimza_sim_session_pop_fault (session);

  /* slow-upload holds back the signature, whose deadline is then checked
   * when it is handled: a slow enough upload is late. */
  slow = (faults & EIMZA_SIM_FAULT_SLOW)
    || ((faults & EIMZA_SIM_FAULT_SLOW_UPLOAD) && eimza_sim_esign_is_upload (path)
        && soup_server_message_get_method (msg) == SOUP_METHOD_POST);
  if (slow && portal->config.slow_seconds > 0)
    start_slow (handlers, msg, path, query, faults);
  else
    respond (portal, msg, path, query, faults & ~DELAY_FAULTS);
}

/* The test-only endpoints. The session cookie has Path=/bp, so clients
 * send it here only when told to. */
static void
test_endpoints_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  EimzaSimHandlers *handlers = user_data;
  EimzaSimPortal *portal = handlers->portal;
  g_autofree char *cookie_id = NULL;
  const char *method = soup_server_message_get_method (msg);
  EimzaSimSession *session;

  if (!portal->config.test_endpoints)
    {
      eimza_sim_wire_set_not_found (msg);
      return;
    }

  /* The run's count needs no session: a request that arrived twice may
   * well have ended it. */
  if (g_str_equal (path, "/_sim/submissions") && method == SOUP_METHOD_GET)
    {
      eimza_sim_wire_set_count (msg, portal->portal_posts);
      return;
    }

  cookie_id = eimza_sim_wire_session_id (msg);
  session = eimza_sim_session_store_lookup (portal->sessions, cookie_id, g_get_monotonic_time ());
  if (session == NULL)
    {
      eimza_sim_wire_set_text (msg, 403, "No live session: send the JSESSIONID cookie.\n");
      return;
    }

  if (g_str_equal (path, "/_sim/captcha") && method == SOUP_METHOD_GET)
    {
      if (session->captcha != NULL)
        eimza_sim_wire_set_text (msg, 200, session->captcha);
      else
        eimza_sim_wire_set_text (msg, 404, "No captcha in this session.\n");
    }
  else if (g_str_equal (path, "/_sim/sms") && method == SOUP_METHOD_GET)
    {
      if (session->sms.code != NULL)
        eimza_sim_wire_set_text (msg, 200, session->sms.code);
      else
        eimza_sim_wire_set_text (msg, 404, "No SMS code sent in this session.\n");
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

/* Everything else; the bare address leads to the login page, which is
 * what the listening line shows. */
static void
default_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  if (g_str_equal (path, "/"))
    {
      soup_server_message_set_redirect (msg, 303, "/bp/meb.go");
      return;
    }

  eimza_sim_wire_set_not_found (msg);
}

EimzaSimHandlers *
eimza_sim_handlers_new (SoupServer     *server,
                        EimzaSimPortal *portal)
{
  EimzaSimHandlers *handlers = g_new0 (EimzaSimHandlers, 1);

  handlers->server = g_object_ref (server);
  handlers->portal = portal;

  soup_server_add_handler (server, "/bp", portal_cb, handlers, NULL);
  soup_server_add_handler (server, "/_sim", test_endpoints_cb, handlers, NULL);
  soup_server_add_handler (server, NULL, default_cb, handlers, NULL);

  return handlers;
}

void
eimza_sim_handlers_free (EimzaSimHandlers *handlers)
{
  if (handlers == NULL)
    return;

  soup_server_remove_handler (handlers->server, "/bp");
  soup_server_remove_handler (handlers->server, "/_sim");
  soup_server_remove_handler (handlers->server, NULL);
  g_list_free_full (handlers->slow_requests, (GDestroyNotify) slow_request_free);
  g_clear_object (&handlers->server);
  g_free (handlers);
}
