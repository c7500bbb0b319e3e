/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One HTTP exchange of the portal clients: send, redirect, retry, read. */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "eimza-portal-error.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-request.h"

/* Idempotent requests are sent again this often after a transient failure,
 * waiting RETRY_DELAY_MS, then twice that. */
#define MAX_RETRIES 2
#define RETRY_DELAY_MS 250
/* The sites redirect once after each POST; more is a loop. */
#define MAX_REDIRECTS 5
#define READ_CHUNK_SIZE (64 * 1024)

typedef struct {
  const EimzaPortalRequestOptions *options;
  GObject *source;          /* unowned: the task holds it */
  SoupSession *soup;
  char *method;
  GUri *uri;
  GBytes *body;             /* POST only */
  char *body_type;
  guint attempt;
  guint redirects;
  /* The POST's body went out whole: from then on it may have arrived. */
  gboolean post_sent;
  /* libsoup set out to send the POST again; it was stopped. */
  gboolean post_restarted;

  SoupMessage *msg;
  /* libsoup has let go of the message and its connection. */
  gboolean msg_finished;
  /* The send's own cancellable, when it must go out on the connection
   * made new for it ahead (options->send_on_connection_made_ahead):
   * cancelled with the exchange's, and alone when libsoup sets out to
   * make another connection, which is then recorded here. */
  GCancellable *send_cancellable;
  gulong send_cancelled_id;
  gboolean connection_made_ahead_lost;
  /* The answer is read; the exchange ends when libsoup lets go (held). */
  GTask *waiting_for_finish;
  GInputStream *stream;
  GByteArray *buffer;
  GSource *delay_source;
  GSource *cancel_source;

  /* Every operation of the exchange uses this cancellable, which the
   * caller's cancellable and the overall deadline both cancel: per-read
   * time-outs alone let a server that drips a byte now and then keep a
   * request going for days. */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong caller_cancelled_id;
  GSource *deadline_source;
  gboolean deadline_passed;
} Request;

static void request_send (GTask *task);
static void message_finished_cb (SoupMessage *msg,
                                 Request     *request);
static void post_wrote_body_cb (SoupMessage *msg,
                                Request     *request);
static void post_restarted_cb (SoupMessage *msg,
                               Request     *request);
static void send_network_event_cb (SoupMessage        *msg,
                                   GSocketClientEvent  event,
                                   GIOStream          *connection,
                                   Request            *request);

void
eimza_portal_reply_free (EimzaPortalReply *reply)
{
  g_clear_pointer (&reply->uri, g_uri_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply);
}

static void
clear_delay (Request *request)
{
  if (request->delay_source != NULL)
    g_source_destroy (request->delay_source);
  g_clear_pointer (&request->delay_source, g_source_unref);
  if (request->cancel_source != NULL)
    g_source_destroy (request->cancel_source);
  g_clear_pointer (&request->cancel_source, g_source_unref);
}

/* libsoup may keep the message a little longer than we do. */
static void
clear_message (Request *request)
{
  if (request->msg != NULL)
    {
      g_signal_handlers_disconnect_by_func (request->msg, post_wrote_body_cb, request);
      g_signal_handlers_disconnect_by_func (request->msg, post_restarted_cb, request);
      g_signal_handlers_disconnect_by_func (request->msg, message_finished_cb, request);
      g_signal_handlers_disconnect_by_func (request->msg, send_network_event_cb, request);
    }
  request->msg_finished = FALSE;
  g_clear_object (&request->msg);

  /* Not g_cancellable_disconnect(): a cancel of the exchange whose end
   * runs at once would free the request inside that cancellable's
   * emission, and it waits for the emission to end. Every cancel of the
   * exchange's cancellable happens on this thread. */
  if (request->send_cancelled_id != 0)
    g_signal_handler_disconnect (request->cancellable, request->send_cancelled_id);
  request->send_cancelled_id = 0;
  g_clear_object (&request->send_cancellable);
  request->connection_made_ahead_lost = FALSE;
}

static void
request_free (Request *request)
{
  if (request->deadline_source != NULL)
    g_source_destroy (request->deadline_source);
  g_clear_pointer (&request->deadline_source, g_source_unref);
  if (request->caller_cancellable != NULL)
    g_cancellable_disconnect (request->caller_cancellable, request->caller_cancelled_id);
  g_clear_object (&request->caller_cancellable);
  /* The send's cancellable hangs on the exchange's. */
  clear_message (request);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->soup);
  g_free (request->method);
  g_clear_pointer (&request->uri, g_uri_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->body_type);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  clear_delay (request);
  g_free (request);
}

GError *
eimza_portal_request_unexpected (const EimzaPortalRequestOptions *options,
                                 const char                      *why)
{
  g_debug ("Unexpected %s answer: %s", options->peer, why);
  return g_error_new (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE, "%s",
                      eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
}

static void
fail_unexpected (GTask      *task,
                 const char *why)
{
  Request *request = g_task_get_task_data (task);

  g_task_return_error (task, eimza_portal_request_unexpected (request->options, why));
}

/* A failure of the exchange, told apart by the client's own hook where it
 * has one (the e-onay client knows what its TLS handshake did). */
static GError *
exchange_error (GTask        *task,
                const GError *transport_error,
                guint         status)
{
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  if (request->options->map_error != NULL)
    return request->options->map_error (g_task_get_source_object (task), transport_error, status);

  eimza_portal_error_check_exchange (transport_error, status, &error);
  return error;
}

/* Whether the caller gave up, as opposed to the deadline. */
static gboolean
caller_cancelled (GTask *task)
{
  return g_cancellable_is_cancelled (g_task_get_cancellable (task));
}

/* The error of the exchange once the deadline has passed: a time-out,
 * reported (and mapped by the client) like any other. */
static GError *
deadline_error (GTask *task)
{
  g_autoptr(GError) timed_out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                      "The exchange's deadline has passed");

  return exchange_error (task, timed_out, 0);
}

/* A failure of an operation of ours: cancelled by the deadline is a
 * time-out, by the caller stays cancelled. */
static GError *
operation_error (GTask        *task,
                 const GError *transport_error,
                 guint         status)
{
  Request *request = g_task_get_task_data (task);

  if (request->deadline_passed && !caller_cancelled (task) &&
      g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return deadline_error (task);

  return exchange_error (task, transport_error, status);
}

/* A POST that went out and whose answer was lost may have arrived: the
 * person hears that, not "try again", and nothing sends it again. A
 * time-out keeps its own message; the client's own errors stay as they
 * are. Takes @error. */
static GError *
post_answer_lost_error (GTask  *task,
                        GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (strcmp (request->method, "POST") != 0 || caller_cancelled (task))
    return error;
  if (!request->post_restarted &&
      !(request->post_sent && g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK)))
    return error;

  g_debug ("%s%s %s: sent, its answer lost", request->options->log_prefix, request->method,
           g_uri_get_path (request->uri));
  g_error_free (error);
  return g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK,
                              _("The connection to the portal broke after the form was sent, "
                                "before the portal answered, so it is not known whether it "
                                "arrived. It was not sent again."));
}

static gboolean
deadline_cb (gpointer user_data)
{
  Request *request = user_data;

  /* Typing the card's PIN is not the server's time. */
  if (request->options->is_asking_person != NULL &&
      request->options->is_asking_person (request->source))
    {
      g_debug ("%sDeadline of %s %s starts over: the person is being asked",
               request->options->log_prefix, request->method, g_uri_get_path (request->uri));
      return G_SOURCE_CONTINUE;
    }

  g_debug ("%s%s %s: deadline passed", request->options->log_prefix, request->method,
           g_uri_get_path (request->uri));
  request->deadline_passed = TRUE;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

/* Cancels @cancellable with the one it hangs on (the caller's, or the
 * exchange's for a send's own). */
static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static gboolean
retry_delay_cb (gpointer user_data)
{
  GTask *task = g_object_ref (user_data);
  Request *request = g_task_get_task_data (task);

  clear_delay (request);
  request_send (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
retry_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error;

  /* Keep the task alive past clear_delay(), which drops the source's ref. */
  g_object_ref (task);
  clear_delay (request);
  if (request->deadline_passed && !caller_cancelled (task))
    error = deadline_error (task);
  else
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 g_strerror (ECANCELED));
  g_task_return_error (task, error);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Takes @error. Only a GET is sent again: PIN failures, refused
 * certificates and posted forms are not transient, and asking the card
 * again could spend the last PIN try. Nothing is sent again once the
 * deadline has passed: it covers the retries too. */
static void
request_fail (GTask  *task,
              GError *error,
              guint   status)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = request->cancellable;

  if (strcmp (request->method, "GET") == 0 &&
      request->attempt < MAX_RETRIES &&
      eimza_portal_error_is_transient (error, status) &&
      !g_cancellable_is_cancelled (cancellable))
    {
      guint delay = RETRY_DELAY_MS << request->attempt;

      g_debug ("Retrying %s %s in %u ms", request->method, g_uri_get_path (request->uri), delay);
      g_error_free (error);
      request->attempt++;

      /* The wait runs on the caller's main context and ends early, with
       * G_IO_ERROR_CANCELLED, when the caller cancels. */
      request->delay_source = g_timeout_source_new (delay);
      g_source_set_callback (request->delay_source, retry_delay_cb,
                             g_object_ref (task), g_object_unref);
      g_source_attach (request->delay_source, g_task_get_context (task));

      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (retry_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (request->cancel_source, g_task_get_context (task));
      return;
    }

  g_task_return_error (task, error);
}

gboolean
eimza_portal_request_same_origin (GUri *a,
                                  GUri *b)
{
  int port_a = g_uri_get_port (a) != -1 ? g_uri_get_port (a) : 443;
  int port_b = g_uri_get_port (b) != -1 ? g_uri_get_port (b) : 443;

  return g_strcmp0 (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         port_a == port_b;
}

static void
request_follow (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  const char *location;
  g_autoptr(GUri) next = NULL;

  location = soup_message_headers_get_one (soup_message_get_response_headers (request->msg),
                                           "Location");
  if (location != NULL)
    next = g_uri_parse_relative (soup_message_get_uri (request->msg), location,
                                 G_URI_FLAGS_NONE, NULL);

  if (next == NULL)
    {
      fail_unexpected (task, "redirect without a usable Location");
      return;
    }
  /* The site's cookies and form data stay with the site. */
  if (!eimza_portal_request_same_origin (next, request->uri))
    {
      fail_unexpected (task, "redirect to another site");
      return;
    }
  if (++request->redirects > MAX_REDIRECTS)
    {
      fail_unexpected (task, "too many redirects");
      return;
    }

  /* 303 See Other, like 301/302 from a POST in every browser, means a GET
   * of the new address; a GET may be retried again. */
  g_clear_pointer (&request->uri, g_uri_unref);
  request->uri = g_steal_pointer (&next);
  g_free (request->method);
  request->method = g_strdup ("GET");
  g_clear_pointer (&request->body, g_bytes_unref);
  request->attempt = 0;

  request_send (task);
}

static void
request_complete (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  guint status = soup_message_get_status (request->msg);
  EimzaPortalReply *reply;
  g_autoptr(GError) error = NULL;

  g_debug ("%s%s %s → %u", request->options->log_prefix, request->method,
           g_uri_get_path (request->uri), status);

  if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED)
    {
      request_follow (task);
      return;
    }

  /* A refusal the client reads itself is final: it is not retried. */
  if (!(request->options->accept_client_errors && SOUP_STATUS_IS_CLIENT_ERROR (status)) &&
      !eimza_portal_error_check_exchange (NULL, status, &error))
    {
      request_fail (task, g_steal_pointer (&error), status);
      return;
    }

  reply = g_new0 (EimzaPortalReply, 1);
  reply->status = status;
  reply->uri = g_uri_ref (request->uri);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (request->msg));
  reply->body = g_byte_array_free_to_bytes (g_steal_pointer (&request->buffer));
  g_task_return_pointer (task, reply, (GDestroyNotify) eimza_portal_reply_free);
}

static void request_read_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

/* Takes @task. */
static void
read_next_chunk (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   request->cancellable, request_read_cb, task);
}

static void
request_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) transport_error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &transport_error);
  if (chunk == NULL)
    {
      /* The answer broke off half-way: the connection was reset. */
      request_fail (task, post_answer_lost_error (task, operation_error (task, transport_error, 0)), 0);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_clear_object (&request->stream);
      /* libsoup lets go of the connection just after "finished", on a
       * later turn of the loop: the exchange ends only then, so that the
       * next one's connection (made on another thread) finds this one
       * free rather than opening a second. */
      if (request->msg_finished)
        request_complete (task);
      else
        request->waiting_for_finish = g_steal_pointer (&task);
      return;
    }

  if (request->buffer->len + g_bytes_get_size (chunk) > EIMZA_PORTAL_WEB_PAGE_MAX_SIZE)
    {
      fail_unexpected (task, "answer larger than 2 MiB");
      return;
    }

  g_byte_array_append (request->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next_chunk (g_steal_pointer (&task));
}

static gboolean
finished_complete_cb (gpointer user_data)
{
  GTask *task = user_data;

  request_complete (task);
  return G_SOURCE_REMOVE;
}

/* Emitted just before libsoup unqueues the message and lets go of its
 * connection: what waits for it goes on after that. */
static void
message_finished_cb (SoupMessage *msg,
                     Request     *request)
{
  GTask *task = g_steal_pointer (&request->waiting_for_finish);
  GSource *source;

  request->msg_finished = TRUE;
  if (task == NULL)
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, finished_complete_cb, task, g_object_unref);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

static void
request_send_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) transport_error = NULL;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &transport_error);
  if (request->stream == NULL)
    {
      guint status = soup_message_get_status (request->msg);

      /* Stopped before a second connection: nothing was sent, and what
       * ended the exchange is the end of the connection made for it. */
      if (request->connection_made_ahead_lost && !g_cancellable_is_cancelled (request->cancellable))
        {
          g_clear_error (&transport_error);
          transport_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                 "The connection made ahead closed before "
                                                 "the request went out");
          status = 0;
        }
      g_debug ("%s%s %s failed", request->options->log_prefix, request->method,
               g_uri_get_path (request->uri));
      request_fail (task, post_answer_lost_error (task, operation_error (task, transport_error, status)),
                    status);
      return;
    }

  request->buffer = g_byte_array_new ();
  read_next_chunk (g_steal_pointer (&task));
}

/* ------------------------------------------------------------------------
 * The connection, made off the caller's thread.
 *
 * libsoup makes a new connection's GTlsClientConnection on the thread that
 * sends, and glib-networking 2.74 builds it a GnuTLS trust list there, from
 * the whole system CA bundle whatever database the session trusts (fixed in
 * glib-networking 2.80, "Reduce unnecessary trust list creation"): 10 ms
 * and more of the main loop for every new connection. So each send first
 * has soup_session_preconnect_async() make the connection, or find the open
 * one, on a thread of its own; the send on the caller's thread then uses
 * it (libsoup 3.2 lets any thread send, and an idle connection moves to the
 * thread that uses it next). The trust, the handshake, the client
 * certificate and its PIN request are the same; only the thread differs.
 *
 * A new connection made ahead may be gone before the send takes it: in
 * TLS 1.3 a site that refuses the client's certificate closes it just
 * after the client's side of the handshake. For a client that presents
 * the card's certificate (send_on_connection_made_ahead) the send then
 * fails rather than have libsoup make another connection, which would be
 * a second handshake and a second PIN request.
 * ------------------------------------------------------------------------ */

typedef struct {
  SoupSession *soup;
  SoupMessage *msg;          /* only its address and flags are used */
  /* A new connection was made, not an open one found (set on the
   * connecting thread, read after its task returned). */
  gboolean made_new;
} Connect;

G_DEFINE_QUARK (eimza-portal-request-connect-only, connect_only)

gboolean
eimza_portal_request_is_connect_only (SoupMessage *msg)
{
  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), FALSE);

  return g_object_get_qdata (G_OBJECT (msg), connect_only_quark ()) != NULL;
}

static void
connect_network_event_cb (SoupMessage        *msg,
                          GSocketClientEvent  event,
                          GIOStream          *connection,
                          Connect            *connect)
{
  if (event == G_SOCKET_CLIENT_RESOLVING)
    connect->made_new = TRUE;
}

static void
connect_free (Connect *connect)
{
  g_signal_handlers_disconnect_by_func (connect->msg, connect_network_event_cb, connect);
  g_clear_object (&connect->soup);
  g_clear_object (&connect->msg);
  g_free (connect);
}

static void
connect_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
}

/* On a thread of GLib's pool; the main context it runs is its own. */
static void
connect_thread (GTask        *connect_task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Connect *connect = task_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  gboolean connected;

  g_main_context_push_thread_default (context);
  soup_session_preconnect_async (connect->soup, connect->msg, G_PRIORITY_DEFAULT, cancellable,
                                 connect_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  connected = soup_session_preconnect_finish (connect->soup, result, &error);
  /* What libsoup still has to do on this context (the queue item's end)
   * is done before the context goes. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  if (connected)
    g_task_return_boolean (connect_task, TRUE);
  else
    g_task_return_error (connect_task, error);
}

static gboolean
cancel_send_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

/* libsoup sets out to make a connection for a send that must use the one
 * made for it ahead: that one is gone. The send is cancelled on the next
 * turn of the loop, not inside libsoup's signal (its end could run at
 * once), and still long before the new connection's handshake: connecting
 * and the handshake's certificate request both need later turns of this
 * loop, and this source goes first. */
static void
send_network_event_cb (SoupMessage        *msg,
                       GSocketClientEvent  event,
                       GIOStream          *connection,
                       Request            *request)
{
  g_autoptr(GSource) source = NULL;

  if ((event != G_SOCKET_CLIENT_RESOLVING && event != G_SOCKET_CLIENT_CONNECTING) ||
      request->connection_made_ahead_lost)
    return;

  g_debug ("%s%s %s: the connection made ahead is gone; no second one",
           request->options->log_prefix, request->method, g_uri_get_path (request->uri));
  request->connection_made_ahead_lost = TRUE;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, cancel_send_cb, g_object_ref (request->send_cancellable),
                         g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
}

/* The send goes out on the connection just made for it, or not at all. */
static void
hold_send_to_connection (Request *request)
{
  request->send_cancellable = g_cancellable_new ();
  request->send_cancelled_id = g_cancellable_connect (request->cancellable,
                                                      G_CALLBACK (caller_cancelled_cb),
                                                      g_object_ref (request->send_cancellable),
                                                      g_object_unref);
  g_signal_connect (request->msg, "network-event", G_CALLBACK (send_network_event_cb), request);
}

static void
request_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  Connect *connect = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) transport_error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &transport_error))
    {
      /* Nothing was sent: the error is the connection's, as a send would
       * have reported it. */
      g_debug ("%s%s %s: no connection", request->options->log_prefix, request->method,
               g_uri_get_path (request->uri));
      request_fail (task, post_answer_lost_error (task, operation_error (task, transport_error, 0)), 0);
      return;
    }

  if (request->options->send_on_connection_made_ahead && connect->made_new)
    hold_send_to_connection (request);
  soup_session_send_async (request->soup, request->msg, G_PRIORITY_DEFAULT,
                           request->send_cancellable != NULL ? request->send_cancellable
                                                             : request->cancellable,
                           request_send_cb, g_steal_pointer (&task));
}

/* Takes @task. */
static void
request_connect (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(GTask) connect_task = NULL;
  Connect *connect;

  if (!request->options->connect_ahead)
    {
      soup_session_send_async (request->soup, request->msg, G_PRIORITY_DEFAULT,
                               request->cancellable, request_send_cb, task);
      return;
    }

  connect = g_new0 (Connect, 1);
  connect->soup = g_object_ref (request->soup);
  connect->msg = soup_message_new_from_uri ("GET", request->uri);
  g_object_set_qdata (G_OBJECT (connect->msg), connect_only_quark (), GINT_TO_POINTER (TRUE));
  g_signal_connect (connect->msg, "network-event", G_CALLBACK (connect_network_event_cb), connect);
  soup_message_add_flags (connect->msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT |
                          request->options->message_flags);
  /* A new connection asked for is made here; libsoup puts it first among
   * the host's, so the send takes it. */
  if (soup_message_query_flags (request->msg, SOUP_MESSAGE_NEW_CONNECTION))
    {
      soup_message_remove_flags (request->msg, SOUP_MESSAGE_NEW_CONNECTION);
      soup_message_add_flags (connect->msg, SOUP_MESSAGE_NEW_CONNECTION);
    }

  connect_task = g_task_new (NULL, request->cancellable, request_connected_cb, task);
  g_task_set_source_tag (connect_task, request_connect);
  g_task_set_task_data (connect_task, connect, (GDestroyNotify) connect_free);
  g_task_run_in_thread (connect_task, connect_thread);
}

static void
post_wrote_body_cb (SoupMessage *msg,
                    Request     *request)
{
  request->post_sent = TRUE;
}

/* libsoup 3.2 restarts only requests whose method is idempotent (a POST
 * is never among them, whatever its flags: request_is_restartable() in
 * soup-client-message-io-http1.c), but a POST must never go out twice:
 * should a libsoup ever try, the exchange is stopped before it writes and
 * ends as an answer lost. */
static void
post_restarted_cb (SoupMessage *msg,
                   Request     *request)
{
  g_debug ("%s%s %s: libsoup set out to send it again; stopped", request->options->log_prefix,
           request->method, g_uri_get_path (request->uri));
  request->post_restarted = TRUE;
  g_cancellable_cancel (request->cancellable);
}

static void
request_send (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  clear_message (request);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->buffer, g_byte_array_unref);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (request->deadline_passed)
    {
      g_task_return_error (task, deadline_error (task));
      return;
    }

  request->msg = soup_message_new_from_uri (request->method, request->uri);
  g_signal_connect (request->msg, "finished", G_CALLBACK (message_finished_cb), request);
  /* Redirects are followed here, to keep them on the site and to retry
   * the GET that follows a POST. */
  soup_message_add_flags (request->msg, SOUP_MESSAGE_NO_REDIRECT | request->options->message_flags);
  if (request->body != NULL)
    {
      soup_message_set_request_body_from_bytes (request->msg, request->body_type, request->body);
      /* Without this flag libsoup opens a new connection (TCP and TLS
       * handshakes, a PIN request on the NES site) for every POST. The
       * flag only lets the POST use the open connection; libsoup still
       * never sends it again when that connection turns out closed
       * (post_restarted_cb). */
      soup_message_add_flags (request->msg, SOUP_MESSAGE_IDEMPOTENT);
      request->post_sent = FALSE;
      g_signal_connect (request->msg, "wrote-body", G_CALLBACK (post_wrote_body_cb), request);
      g_signal_connect (request->msg, "restarted", G_CALLBACK (post_restarted_cb), request);
    }

  if (request->options->take_new_connection != NULL &&
      request->options->take_new_connection (g_task_get_source_object (task)))
    soup_message_add_flags (request->msg, SOUP_MESSAGE_NEW_CONNECTION);
  if (request->options->before_send != NULL)
    request->options->before_send (g_task_get_source_object (task));
  request_connect (g_object_ref (task));
}

void
eimza_portal_request_async (GObject                         *source,
                            SoupSession                     *soup,
                            const EimzaPortalRequestOptions *options,
                            GUri                            *uri,
                            GBytes                          *body,
                            const char                      *body_type,
                            guint                            deadline_seconds,
                            GCancellable                    *cancellable,
                            GAsyncReadyCallback              callback,
                            gpointer                         user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (G_IS_OBJECT (source));
  g_return_if_fail (SOUP_IS_SESSION (soup));
  g_return_if_fail (options != NULL);
  g_return_if_fail (uri != NULL);
  g_return_if_fail (body == NULL || body_type != NULL);
  g_return_if_fail (deadline_seconds > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (source, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_portal_request_async);

  request = g_new0 (Request, 1);
  request->options = options;
  request->source = source;
  request->soup = g_object_ref (soup);
  request->method = g_strdup (body != NULL ? "POST" : "GET");
  request->uri = g_uri_ref (uri);
  request->body = body != NULL ? g_bytes_ref (body) : NULL;
  request->body_type = g_strdup (body_type);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  request->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      request->caller_cancellable = g_object_ref (cancellable);
      /* Runs at once when the caller has already cancelled. */
      request->caller_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                            g_object_ref (request->cancellable),
                                                            g_object_unref);
    }

  /* Not g_timeout_source_new_seconds(): it may fire up to a second late or
   * early, and tests use deadlines of a few seconds. The source only lives
   * as long as the task (request_free() destroys it). */
  request->deadline_source = g_timeout_source_new (deadline_seconds * 1000);
  g_source_set_callback (request->deadline_source, deadline_cb, request, NULL);
  g_source_attach (request->deadline_source, g_task_get_context (task));

  request_send (task);
}

EimzaPortalReply *
eimza_portal_request_finish (GObject       *source,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == eimza_portal_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Only a site on this computer may be trusted through an extra CA. */
static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
eimza_portal_request_trust_database (GUri           *uri,
                                     const char     *ca_file,
                                     GTlsDatabase  **out_database,
                                     GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  GTlsDatabase *database;

  g_return_val_if_fail (uri != NULL, FALSE);

  if (out_database != NULL)
    *out_database = NULL;
  if (ca_file == NULL)
    return TRUE;

  if (!host_is_loopback (g_uri_get_host (uri)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("An extra certificate authority can only be trusted for a portal "
                     "on this computer, not for “%s”."),
                   g_uri_get_host (uri));
      return FALSE;
    }

  if (out_database == NULL)
    return TRUE;

  /* For the simulator its own test CA is all there is to trust. */
  database = g_tls_file_database_new (ca_file, &local_error);
  if (database == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot read the certificate authority file “%s”: %s"),
                   ca_file, local_error->message);
      return FALSE;
    }

  *out_database = database;
  return TRUE;
}
