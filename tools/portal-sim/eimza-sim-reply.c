/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A response of the simulated portal before it is put on the wire. */
#include <string.h>

#include "eimza-sim-reply.h"

#define HTML_CONTENT_TYPE "text/html; charset=UTF-8"

EimzaSimReply *
eimza_sim_reply_new_bytes (guint       status,
                           const char *content_type,
                           GBytes     *body)
{
  EimzaSimReply *reply = g_new0 (EimzaSimReply, 1);

  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = body != NULL ? g_bytes_ref (body) : NULL;

  return reply;
}

EimzaSimReply *
eimza_sim_reply_new_status (guint    status,
                            GString *html)
{
  g_autoptr(GBytes) body = g_string_free_to_bytes (html);

  return eimza_sim_reply_new_bytes (status, HTML_CONTENT_TYPE, body);
}

EimzaSimReply *
eimza_sim_reply_new_html (GString *html)
{
  return eimza_sim_reply_new_status (200, html);
}

EimzaSimReply *
eimza_sim_reply_new_redirect (const char *location)
{
  EimzaSimReply *reply = eimza_sim_reply_new_bytes (303, NULL, NULL);

  reply->location = g_strdup (location);

  return reply;
}

EimzaSimReply *
eimza_sim_reply_new_text (guint       status,
                          const char *text)
{
  g_autofree char *line = g_strconcat (text, "\n", NULL);
  g_autoptr(GBytes) body = g_bytes_new (line, strlen (line));

  return eimza_sim_reply_new_bytes (status, "text/plain; charset=UTF-8", body);
}

void
eimza_sim_reply_add_header (EimzaSimReply *reply,
                            const char    *name,
                            const char    *value)
{
  if (reply->headers == NULL)
    reply->headers = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (reply->headers, g_strdup (name));
  g_ptr_array_add (reply->headers, g_strdup (value));
}

void
eimza_sim_reply_free (EimzaSimReply *reply)
{
  if (reply == NULL)
    return;

  g_clear_pointer (&reply->headers, g_ptr_array_unref);
  g_free (reply->content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply->location);
  g_free (reply);
}
