/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Putting simulator replies on the wire, shared by the portal's and the NES site's routes. */
#include <string.h>

#include "eimza-sim-pages.h"
#include "eimza-sim-wire.h"

/* A connection being cut by the reset fault. */
typedef struct {
  GIOStream *stream;
  GBytes *data;
} ResetWrite;

char *
eimza_sim_wire_session_id (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *cookie_header = soup_message_headers_get_list (headers, "Cookie");
  g_autoptr(GHashTable) cookies = NULL;

  if (cookie_header == NULL)
    return NULL;

  cookies = soup_header_parse_semi_param_list (cookie_header);
  return g_strdup (g_hash_table_lookup (cookies, EIMZA_SIM_COOKIE_NAME));
}

/* Form values are shown again in pages; bytes that are not UTF-8 would
 * make the markup escaping misbehave, so they are repaired first. */
GHashTable *
eimza_sim_wire_decode_form (SoupServerMessage *msg)
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

char *
eimza_sim_wire_cookie (const char *session_id,
                       const char *path)
{
  return g_strdup_printf (EIMZA_SIM_COOKIE_NAME "=%s; Path=%s; Secure; HttpOnly",
                          session_id, path);
}

void
eimza_sim_wire_write_reply (SoupServerMessage   *msg,
                            const EimzaSimReply *reply,
                            const char          *set_cookie)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);
  /* Pages hold a session's view state or a code: a cached copy would be stale. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (reply->location != NULL)
    soup_message_headers_replace (headers, "Location", reply->location);
  for (guint i = 0; reply->headers != NULL && i + 1 < reply->headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (reply->headers, i),
                                  g_ptr_array_index (reply->headers, i + 1));
  if (set_cookie != NULL)
    soup_message_headers_append (headers, "Set-Cookie", set_cookie);

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

/* The status line and headers of @reply as libsoup would write them, for
 * the faults that write a response by hand. */
static GString *
raw_head (const EimzaSimReply *reply,
          const char          *set_cookie)
{
  GString *raw = g_string_new (NULL);
  gsize body_size = reply->body != NULL ? g_bytes_get_size (reply->body) : 0;

  g_string_append_printf (raw, "HTTP/1.1 %u %s\r\n", reply->status,
                          soup_status_get_phrase (reply->status));
  if (reply->content_type != NULL)
    g_string_append_printf (raw, "Content-Type: %s\r\n", reply->content_type);
  if (reply->location != NULL)
    g_string_append_printf (raw, "Location: %s\r\n", reply->location);
  for (guint i = 0; reply->headers != NULL && i + 1 < reply->headers->len; i += 2)
    g_string_append_printf (raw, "%s: %s\r\n", (const char *) g_ptr_array_index (reply->headers, i),
                            (const char *) g_ptr_array_index (reply->headers, i + 1));
  if (set_cookie != NULL)
    g_string_append_printf (raw, "Set-Cookie: %s\r\n", set_cookie);
  g_string_append_printf (raw,
                          "Cache-Control: no-store\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "\r\n",
                          body_size);
  return raw;
}

/* libsoup would always finish a response, so the connection is taken from
 * it and written by hand. */
void
eimza_sim_wire_write_reset (SoupServerMessage   *msg,
                            const EimzaSimReply *reply,
                            const char          *set_cookie)
{
  g_autoptr(GString) raw = raw_head (reply, set_cookie);
  ResetWrite *write;

  if (reply->body != NULL)
    g_string_append_len (raw, g_bytes_get_data (reply->body, NULL),
                         g_bytes_get_size (reply->body) / 2);

  write = g_new0 (ResetWrite, 1);
  write->stream = soup_server_message_steal_connection (msg);
  write->data = g_string_free_to_bytes (g_steal_pointer (&raw));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (write->stream),
                                   g_bytes_get_data (write->data, NULL),
                                   g_bytes_get_size (write->data),
                                   G_PRIORITY_DEFAULT, NULL, reset_written_cb, write);
}

/* A response being dripped by the slow-drip fault. */
typedef struct {
  GIOStream *stream;
  GBytes *data;     /* the whole response: status line, headers, body */
  gsize sent;
  guint interval_ms;
} DripWrite;

static void
drip_write_free (DripWrite *drip)
{
  g_io_stream_close_async (drip->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&drip->stream);
  g_clear_pointer (&drip->data, g_bytes_unref);
  g_free (drip);
}

static void drip_written_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static gboolean
drip_next_cb (gpointer user_data)
{
  DripWrite *drip = user_data;
  const guint8 *data = g_bytes_get_data (drip->data, NULL);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (drip->stream),
                                   data + drip->sent, 1, G_PRIORITY_DEFAULT, NULL,
                                   drip_written_cb, drip);
  drip->sent++;
  return G_SOURCE_REMOVE;
}

static void
drip_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DripWrite *drip = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      /* The client gave up: what the fault is there to make it do. */
      g_debug ("Slow drip ends after %" G_GSIZE_FORMAT " bytes: %s", drip->sent, error->message);
      drip_write_free (drip);
      return;
    }

  if (drip->sent >= g_bytes_get_size (drip->data))
    {
      drip_write_free (drip);
      return;
    }

  g_timeout_add (drip->interval_ms, drip_next_cb, drip);
}

/* Byte by byte from the status line on: a client must give up on the
 * headers as much as on the body. */
void
eimza_sim_wire_write_drip (SoupServerMessage   *msg,
                           const EimzaSimReply *reply,
                           const char          *set_cookie,
                           guint                interval_ms)
{
  GString *raw = raw_head (reply, set_cookie);
  DripWrite *drip = g_new0 (DripWrite, 1);

  if (reply->body != NULL)
    g_string_append_len (raw, g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body));

  drip->stream = soup_server_message_steal_connection (msg);
  drip->data = g_string_free_to_bytes (raw);
  drip->interval_ms = interval_ms;
  drip_next_cb (drip);
}

static void
unanswered_closed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_debug ("Close-after-post fault: %s", error->message);
  g_object_unref (source);
}

void
eimza_sim_wire_close_unanswered (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  /* A clean close, as a server ending a kept-alive connection does: the
   * client reads the end of the stream where the status line should be,
   * the one case where libsoup sends an idempotent request again. */
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, unanswered_closed_cb, NULL);
}

void
eimza_sim_wire_set_count (SoupServerMessage *msg,
                          guint              count)
{
  g_autofree char *text = g_strdup_printf ("%u\n", count);

  eimza_sim_wire_set_text (msg, 200, text);
}

void
eimza_sim_wire_set_text (SoupServerMessage *msg,
                         guint              status,
                         const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/plain; charset=UTF-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

void
eimza_sim_wire_set_not_found (SoupServerMessage *msg)
{
  g_autoptr(GString) page = eimza_sim_page_error (404);

  soup_server_message_set_status (msg, 404, NULL);
  soup_server_message_set_response (msg, "text/html; charset=UTF-8", SOUP_MEMORY_COPY,
                                    page->str, page->len);
}

void
eimza_sim_wire_set_faults (EimzaSimSession   *session,
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

      eimza_sim_wire_set_text (msg, 400, message);
      return;
    }

  eimza_sim_session_set_faults (session, faults);
  eimza_sim_wire_set_text (msg, 200, "");
}
