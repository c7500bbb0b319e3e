/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What both site clients (the application portal's and the NES site's) share above one exchange. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-site-client.h"

SoupSession *
eimza_site_client_soup_new (guint             timeout,
                            GTlsDatabase     *database,
                            GTlsInteraction  *interaction,
                            SoupCookieJar   **out_jar)
{
  SoupSession *soup;
  SoupCookieJar *jar;

  g_return_val_if_fail (database == NULL || G_IS_TLS_DATABASE (database), NULL);
  g_return_val_if_fail (interaction == NULL || G_IS_TLS_INTERACTION (interaction), NULL);
  g_return_val_if_fail (out_jar != NULL, NULL);

  if (interaction != NULL)
    soup = soup_session_new_with_options ("user-agent", EIMZA_SITE_CLIENT_USER_AGENT,
                                          "timeout", timeout,
                                          "accept-language", "tr-TR, tr",
                                          "max-conns-per-host", 1,
                                          "tls-interaction", interaction,
                                          NULL);
  else
    soup = soup_session_new_with_options ("user-agent", EIMZA_SITE_CLIENT_USER_AGENT,
                                          "timeout", timeout,
                                          "accept-language", "tr-TR, tr",
                                          NULL);

  /* Verification itself is never turned off; only the anchors change. */
  if (database != NULL)
    soup_session_set_tls_database (soup, database);

  jar = soup_cookie_jar_new ();
  soup_session_add_feature (soup, SOUP_SESSION_FEATURE (jar));
  *out_jar = jar;

  return soup;
}

char *
eimza_site_client_refusal_text (SoupMessageHeaders *headers,
                                GBytes             *body)
{
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autofree char *text = NULL;
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  if (g_strcmp0 (content_type, "text/plain") != 0 || data == NULL || size == 0 ||
      size > EIMZA_SITE_CLIENT_MAX_REFUSAL_SIZE)
    return NULL;

  text = g_utf8_make_valid (data, (gssize) size);
  g_strstrip (text);
  if (*text == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

gboolean
eimza_site_client_refusal_code (guint             status,
                                EimzaPortalError *out_code)
{
  switch (status)
    {
    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_CONFLICT:
      *out_code = EIMZA_PORTAL_ERROR_CODE_INVALID;
      return TRUE;
    case SOUP_STATUS_GONE:
      *out_code = EIMZA_PORTAL_ERROR_CODE_EXPIRED;
      return TRUE;
    case SOUP_STATUS_FORBIDDEN:
      *out_code = EIMZA_PORTAL_ERROR_WRONG_SIGNER;
      return TRUE;
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      *out_code = EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED;
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
eimza_site_client_check_idle (GTask    *task,
                              gboolean  busy)
{
  if (busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "%s",
                               _("Another request to the portal is still running."));
      return FALSE;
    }

  return TRUE;
}
