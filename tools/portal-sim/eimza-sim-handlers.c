/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's routes: cookies, faults on the wire, and test endpoints. */
#include <string.h>

#include "eimza-sim-flow.h"
#include "eimza-sim-handlers.h"
#include "eimza-sim-pages.h"

#define COOKIE_NAME "JSESSIONID"

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

/* A connection being cut by the reset fault. */
typedef struct {
  GIOStream *stream;
  GBytes *data;
} ResetWrite;

static char *
request_session_id (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *cookie_header = soup_message_headers_get_list (headers, "Cookie");
  g_autoptr(GHashTable) cookies = NULL;

  if (cookie_header == NULL)
    return NULL;

  cookies = soup_header_parse_semi_param_list (cookie_header);
  return g_strdup (g_hash_table_lookup (cookies, COOKIE_NAME));
}

/* Form values are shown again in pages; bytes that are not UTF-8 would
 * make the markup escaping misbehave, so they are repaired first. */
static GHashTable *
decode_form (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *text = NULL;
  GHashTable *clean;
  GHashTableIter iter;
  gpointer key, value;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  text = g_strndup (data, size);
  form = soup_form_decode (text);

  clean = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (clean, g_utf8_make_valid (key, -1), g_utf8_make_valid (value, -1));

  return clean;
}

static char *
set_cookie_value (const char *session_id)
{
  return g_strdup_printf (COOKIE_NAME "=%s; Path=/bp; Secure; HttpOnly", session_id);
}

static void
write_reply (SoupServerMessage   *msg,
             const EimzaSimReply *reply,
             const char          *new_session_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);
  /* Pages hold a session's view state: a cached copy would be stale. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (reply->location != NULL)
    soup_message_headers_replace (headers, "Location", reply->location);
  if (new_session_id != NULL)
    {
      g_autofree char *cookie = set_cookie_value (new_session_id);

      soup_message_headers_append (headers, "Set-Cookie", cookie);
    }

  if (reply->body != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (reply->body, &size);

      soup_server_message_set_response (msg, reply->content_type, SOUP_MEMORY_COPY, data, size);
    }
}

static void
reset_write_free (ResetWrite *write)
{
  g_clear_object (&write->stream);
  g_clear_pointer (&write->data, g_bytes_unref);
  g_free (write);
}

/* Closes the TCP connection under the TLS one without a TLS close_notify,
 * as a crashed server or a cut line does. */
static void
reset_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ResetWrite *write = user_data;
  g_autoptr(GError) error = NULL;
  GIOStream *base = write->stream;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_debug ("Reset fault: %s", error->message);

  if (G_IS_TLS_CONNECTION (write->stream))
    g_object_get (write->stream, "base-io-stream", &base, NULL);
  else
    g_object_ref (base);

  if (G_IS_SOCKET_CONNECTION (base))
    g_socket_close (g_socket_connection_get_socket (G_SOCKET_CONNECTION (base)), NULL);
  else
    g_io_stream_close (base, NULL, NULL);

  g_object_unref (base);
  reset_write_free (write);
}

/* The reset fault: the status line, the headers (with the full length) and
 * half the body, then the connection goes. libsoup would always finish a
 * response, so the connection is taken from it and written by hand. */
static void
write_reset (SoupServerMessage   *msg,
             const EimzaSimReply *reply,
             const char          *new_session_id)
{
  g_autoptr(GString) raw = g_string_new (NULL);
  ResetWrite *write;
  gsize body_size = 0;
  const char *body = NULL;

  if (reply->body != NULL)
    body = g_bytes_get_data (reply->body, &body_size);

  g_string_append_printf (raw, "HTTP/1.1 %u %s\r\n", reply->status,
                          soup_status_get_phrase (reply->status));
  if (reply->content_type != NULL)
    g_string_append_printf (raw, "Content-Type: %s\r\n", reply->content_type);
  if (reply->location != NULL)
    g_string_append_printf (raw, "Location: %s\r\n", reply->location);
  if (new_session_id != NULL)
    {
      g_autofree char *cookie = set_cookie_value (new_session_id);

      g_string_append_printf (raw, "Set-Cookie: %s\r\n", cookie);
    }
  g_string_append_printf (raw,
                          "Cache-Control: no-store\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "\r\n",
                          body_size);
  if (body != NULL)
    g_string_append_len (raw, body, body_size / 2);

  write = g_new0 (ResetWrite, 1);
  write->stream = soup_server_message_steal_connection (msg);
  write->data = g_string_free_to_bytes (g_steal_pointer (&raw));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (write->stream),
                                   g_bytes_get_data (write->data, NULL),
                                   g_bytes_get_size (write->data),
                                   G_PRIORITY_DEFAULT, NULL, reset_written_cb, write);
}

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

/* Answers one /bp/ request with the faults it was given. */
static void
respond (EimzaSimPortal    *portal,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         EimzaSimFaults     faults)
{
  g_autofree char *cookie_id = request_session_id (msg);
  g_autoptr(EimzaSimReply) reply = NULL;
  gint64 now_us = g_get_monotonic_time ();
  EimzaSimSession *session;
  const char *new_session_id = NULL;

  session = eimza_sim_session_store_lookup (portal->sessions, cookie_id, now_us);
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
      EimzaSimRequest request = {
        .is_post = soup_server_message_get_method (msg) == SOUP_METHOD_POST,
        .path = path,
        .query = query,
        .faults = faults,
        .now_us = now_us,
      };

      if (request.is_post)
        form = decode_form (msg);
      request.form = form;
      reply = eimza_sim_flow_handle (portal, &session, &request);
    }

  if (faults & EIMZA_SIM_FAULT_TRUNCATED)
    eimza_sim_faults_truncate (reply);
  if (faults & EIMZA_SIM_FAULT_MALFORMED)
    eimza_sim_faults_malform (reply);

  if (session != NULL && g_strcmp0 (session->id, cookie_id) != 0)
    new_session_id = session->id;

  log_request (msg, path, reply, faults);
  if (faults & EIMZA_SIM_FAULT_RESET)
    write_reset (msg, reply, new_session_id);
  else
    write_reply (msg, reply, new_session_id);
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
  /* A reset has taken the connection from libsoup: nothing to resume. */
  if ((slow->faults & EIMZA_SIM_FAULT_RESET) == 0)
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
  slow->faults = faults & ~EIMZA_SIM_FAULT_SLOW;

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
  g_autofree char *cookie_id = request_session_id (msg);
  EimzaSimFaults faults = portal->config.run_faults;
  EimzaSimSession *session;

  /* One queued fault per request to the portal, the captcha image
   * included; requests to /_sim/ never take one. */
  session = eimza_sim_session_store_lookup (portal->sessions, cookie_id, g_get_monotonic_time ());
  if (session != NULL)
    faults |= eimza_sim_session_pop_fault (session);

  if ((faults & EIMZA_SIM_FAULT_SLOW) && portal->config.slow_seconds > 0)
    start_slow (handlers, msg, path, query, faults);
  else
    respond (portal, msg, path, query, faults & ~EIMZA_SIM_FAULT_SLOW);
}

static void
set_text (SoupServerMessage *msg,
          guint              status,
          const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/plain; charset=UTF-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
set_not_found (SoupServerMessage *msg)
{
  g_autoptr(GString) page = eimza_sim_page_error (404);

  soup_server_message_set_status (msg, 404, NULL);
  soup_server_message_set_response (msg, "text/html; charset=UTF-8", SOUP_MEMORY_COPY,
                                    page->str, page->len);
}

static void
set_faults (EimzaSimSession   *session,
            SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GArray) faults = NULL;
  g_autoptr(GError) error = NULL;

  if (!eimza_sim_faults_parse_list (text, &faults, &error))
    {
      g_autofree char *message = g_strdup_printf ("%s\n", error->message);

      set_text (msg, 400, message);
      return;
    }

  eimza_sim_session_set_faults (session, faults);
  set_text (msg, 200, "");
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
      set_not_found (msg);
      return;
    }

  cookie_id = request_session_id (msg);
  session = eimza_sim_session_store_lookup (portal->sessions, cookie_id, g_get_monotonic_time ());
  if (session == NULL)
    {
      set_text (msg, 403, "No live session: send the JSESSIONID cookie.\n");
      return;
    }

  if (g_str_equal (path, "/_sim/captcha") && method == SOUP_METHOD_GET)
    {
      if (session->captcha != NULL)
        set_text (msg, 200, session->captcha);
      else
        set_text (msg, 404, "No captcha in this session.\n");
    }
  else if (g_str_equal (path, "/_sim/sms") && method == SOUP_METHOD_GET)
    {
      if (session->sms.code != NULL)
        set_text (msg, 200, session->sms.code);
      else
        set_text (msg, 404, "No SMS code sent in this session.\n");
    }
  else if (g_str_equal (path, "/_sim/faults") && method == SOUP_METHOD_POST)
    {
      set_faults (session, msg);
    }
  else
    {
      set_not_found (msg);
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

  set_not_found (msg);
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
