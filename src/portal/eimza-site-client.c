/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What both site clients (the application portal's and the NES site's) share above one exchange. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-portal-request.h"
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
                                          "idle-timeout", EIMZA_SITE_CLIENT_PORTAL_IDLE_TIMEOUT,
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

void
eimza_site_client_init (EimzaSiteClient *site,
                        guint            default_timeout)
{
  site->timeout = default_timeout;
  site->deadline = EIMZA_PORTAL_REQUEST_DEFAULT_DEADLINE;
}

void
eimza_site_client_dispose (EimzaSiteClient *site)
{
  if (site->soup != NULL)
    soup_session_abort (site->soup);
  g_clear_object (&site->cookie_jar);
  g_clear_object (&site->soup);
  g_clear_object (&site->profile);
}

void
eimza_site_client_finalize (EimzaSiteClient *site)
{
  g_clear_pointer (&site->base_url, g_free);
  g_clear_pointer (&site->ca_file, g_free);
  g_clear_pointer (&site->base_uri, g_uri_unref);
}

void
eimza_site_client_class_props (GParamSpec **props,
                               guint        default_timeout)
{
  props[EIMZA_SITE_CLIENT_PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         EIMZA_TYPE_PORTAL_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* After construction, the origin actually used ("https://host:port"). */
  props[EIMZA_SITE_CLIENT_PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  props[EIMZA_SITE_CLIENT_PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  props[EIMZA_SITE_CLIENT_PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 600, default_timeout,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  /* Seconds one exchange may take in all, however slowly the server
   * answers; a time-out once they have passed. */
  props[EIMZA_SITE_CLIENT_PROP_DEADLINE] =
    g_param_spec_uint ("deadline", NULL, NULL,
                       1, 3600, EIMZA_PORTAL_REQUEST_DEFAULT_DEADLINE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
}

gboolean
eimza_site_client_get_property (EimzaSiteClient *site,
                                guint            prop_id,
                                GValue          *value)
{
  switch (prop_id)
    {
    case EIMZA_SITE_CLIENT_PROP_PROFILE:
      g_value_set_object (value, site->profile);
      return TRUE;
    case EIMZA_SITE_CLIENT_PROP_BASE_URL:
      g_value_set_string (value, site->base_url);
      return TRUE;
    case EIMZA_SITE_CLIENT_PROP_CA_FILE:
      g_value_set_string (value, site->ca_file);
      return TRUE;
    case EIMZA_SITE_CLIENT_PROP_TIMEOUT:
      g_value_set_uint (value, site->timeout);
      return TRUE;
    case EIMZA_SITE_CLIENT_PROP_DEADLINE:
      g_value_set_uint (value, site->deadline);
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
eimza_site_client_set_property (EimzaSiteClient  *site,
                                GObject          *object,
                                GParamSpec      **props,
                                guint             prop_id,
                                const GValue     *value)
{
  switch (prop_id)
    {
    case EIMZA_SITE_CLIENT_PROP_PROFILE:
      site->profile = g_value_dup_object (value);
      return TRUE;
    case EIMZA_SITE_CLIENT_PROP_BASE_URL:
      site->base_url = g_value_dup_string (value);
      return TRUE;
    case EIMZA_SITE_CLIENT_PROP_CA_FILE:
      site->ca_file = g_value_dup_string (value);
      return TRUE;
    case EIMZA_SITE_CLIENT_PROP_TIMEOUT:
      eimza_site_client_set_timeout (site, object, props[prop_id], g_value_get_uint (value));
      return TRUE;
    case EIMZA_SITE_CLIENT_PROP_DEADLINE:
      eimza_site_client_set_deadline (site, object, props[prop_id], g_value_get_uint (value));
      return TRUE;
    default:
      return FALSE;
    }
}

void
eimza_site_client_set_timeout (EimzaSiteClient *site,
                               GObject         *object,
                               GParamSpec      *pspec,
                               guint            seconds)
{
  if (site->timeout == seconds)
    return;

  site->timeout = seconds;
  if (site->soup != NULL)
    {
      g_object_set (site->soup, "timeout", seconds, NULL);
      /* libsoup gives a connection the time-out of when it was made, and
       * every request uses the open one: the next exchange opens a new
       * one, and idle ones are closed. */
      site->new_connection_pending = TRUE;
      if (!site->busy)
        soup_session_abort (site->soup);
    }
  g_object_notify_by_pspec (object, pspec);
}

void
eimza_site_client_set_deadline (EimzaSiteClient *site,
                                GObject         *object,
                                GParamSpec      *pspec,
                                guint            seconds)
{
  if (site->deadline == seconds)
    return;

  site->deadline = seconds;
  g_object_notify_by_pspec (object, pspec);
}

gboolean
eimza_site_client_is_https (GUri *uri)
{
  return uri != NULL && g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

gboolean
eimza_site_client_set_origin (EimzaSiteClient  *site,
                              const char       *url,
                              GTlsDatabase    **out_database,
                              GError          **error)
{
  g_autoptr(GUri) uri = NULL;

  if (url != NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (!eimza_site_client_is_https (uri))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The portal address “%s” is not an https:// address."),
                   url != NULL ? url : "");
      return FALSE;
    }

  if (!eimza_portal_request_trust_database (uri, site->ca_file, out_database, error))
    return FALSE;

  /* Only the origin is kept; the profile's paths are absolute. */
  site->base_uri = g_uri_build (G_URI_FLAGS_NONE, "https", NULL, g_uri_get_host (uri),
                                g_uri_get_port (uri), "", NULL, NULL);
  g_free (site->base_url);
  site->base_url = g_uri_to_string (site->base_uri);
  return TRUE;
}

gboolean
eimza_site_client_take_new_connection (EimzaSiteClient *site)
{
  gboolean pending = site->new_connection_pending;

  site->new_connection_pending = FALSE;
  return pending;
}

void
eimza_site_client_clear_cookies (EimzaSiteClient *site)
{
  GSList *cookies = soup_cookie_jar_all_cookies (site->cookie_jar);

  for (GSList *l = cookies; l != NULL; l = l->next)
    soup_cookie_jar_delete_cookie (site->cookie_jar, l->data);

  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
}

/* The client a step task belongs to. */
static GQuark
step_site_quark (void)
{
  return g_quark_from_static_string ("eimza-site-client-step");
}

static void
step_end (GTask *task)
{
  EimzaSiteClient *site = g_object_get_qdata (G_OBJECT (task), step_site_quark ());

  g_assert (site != NULL);
  site->busy = FALSE;
}

GTask *
eimza_site_client_step_begin (EimzaSiteClient     *site,
                              gpointer             source_object,
                              gpointer             source_tag,
                              const char          *site_name,
                              int                  step,
                              gboolean             at_page,
                              gpointer             data,
                              GDestroyNotify       data_free,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, data_free);

  if (!eimza_site_client_check_idle (task, site->busy))
    return NULL;

  if (!at_page)
    {
      /* The site is not at this step (its session ended, or a lock);
       * only starting again helps. */
      g_debug ("%s step %d asked for away from its page", site_name, step);
      g_task_return_new_error (task, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED, "%s",
                               eimza_portal_error_describe (EIMZA_PORTAL_ERROR_SESSION_EXPIRED));
      return NULL;
    }

  site->busy = TRUE;
  g_object_set_qdata (G_OBJECT (task), step_site_quark (), site);
  return g_steal_pointer (&task);
}

void
eimza_site_client_step_return_error (GTask  *task,
                                     GError *error)
{
  step_end (task);
  g_task_return_error (task, error);
}

void
eimza_site_client_step_return_pointer (GTask          *task,
                                       gpointer        result,
                                       GDestroyNotify  result_destroy)
{
  step_end (task);
  g_task_return_pointer (task, result, result_destroy);
}

void
eimza_site_client_step_return_boolean (GTask    *task,
                                       gboolean  result)
{
  step_end (task);
  g_task_return_boolean (task, result);
}

gpointer
eimza_site_client_propagate_pointer (gpointer       source_object,
                                     GAsyncResult  *result,
                                     gpointer       source_tag,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
eimza_site_client_propagate_boolean (gpointer       source_object,
                                     GAsyncResult  *result,
                                     gpointer       source_tag,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
eimza_site_client_propagate_flag (gpointer       source_object,
                                  GAsyncResult  *result,
                                  gpointer       source_tag,
                                  gboolean      *out_flag,
                                  GError       **error)
{
  GError *local_error = NULL;
  gboolean flag;

  g_return_val_if_fail (g_task_is_valid (result, source_object), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  flag = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (out_flag != NULL)
    *out_flag = flag;
  return TRUE;
}

GError *
eimza_site_client_error_new (EimzaPortalError code)
{
  return g_error_new_literal (EIMZA_PORTAL_ERROR, code, eimza_portal_error_describe (code));
}
