/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One conversation with the NES online-operations site: the object, one exchange, the steps' machinery. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "eimza-nes-client-private.h"

/* ------------------------------------------------------------------------
 * Boxed results.
 * ------------------------------------------------------------------------ */

G_DEFINE_BOXED_TYPE (EimzaEonaySignData, eimza_eonay_sign_data,
                     eimza_eonay_sign_data_copy, eimza_eonay_sign_data_free)
G_DEFINE_BOXED_TYPE (EimzaEonayStatus, eimza_eonay_status,
                     eimza_eonay_status_copy, eimza_eonay_status_free)

EimzaEonaySignData *
eimza_eonay_sign_data_copy (const EimzaEonaySignData *data)
{
  EimzaEonaySignData *copy;

  g_return_val_if_fail (data != NULL, NULL);

  copy = g_new0 (EimzaEonaySignData, 1);
  copy->code = g_strdup (data->code);
  copy->purpose = data->purpose;
  copy->data = data->data != NULL ? g_bytes_ref (data->data) : NULL;
  copy->deadline = data->deadline != NULL ? g_date_time_ref (data->deadline) : NULL;
  return copy;
}

void
eimza_eonay_sign_data_free (EimzaEonaySignData *data)
{
  if (data == NULL)
    return;

  g_free (data->code);
  g_clear_pointer (&data->data, g_bytes_unref);
  g_clear_pointer (&data->deadline, g_date_time_unref);
  g_free (data);
}

EimzaEonayStatus *
eimza_eonay_status_copy (const EimzaEonayStatus *status)
{
  EimzaEonayStatus *copy;

  g_return_val_if_fail (status != NULL, NULL);

  copy = g_new0 (EimzaEonayStatus, 1);
  copy->active = status->active;
  copy->explanation = g_strdup (status->explanation);
  copy->commitment = g_strdup (status->commitment);
  copy->time_limit = status->time_limit;
  return copy;
}

void
eimza_eonay_status_free (EimzaEonayStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->explanation);
  g_free (status->commitment);
  g_free (status);
}

/* ------------------------------------------------------------------------
 * The session object.
 * ------------------------------------------------------------------------ */

static void eimza_nes_client_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EimzaNesClient, eimza_nes_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      eimza_nes_client_initable_iface_init))

enum {
  PROP_CERTIFICATE_URI = EIMZA_SITE_CLIENT_N_PROPS,
  PROP_KEY_URI,
  PROP_INTERACTION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* @url resolved against the site, as the signer's base (ending in "/"). */
static GUri *
make_signer_uri (EimzaNesClient  *self,
                 const char      *url,
                 GError         **error)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (self->site.base_uri, url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *path = NULL;

  if (!eimza_site_client_is_https (uri))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The signing address “%s” is not an https:// address."), url);
      return NULL;
    }
  /* The signer's host must pass the same trust rule as the site's. */
  if (!eimza_portal_request_trust_database (uri, self->site.ca_file, NULL, error))
    return NULL;

  path = g_str_has_suffix (g_uri_get_path (uri), "/")
    ? g_strdup (g_uri_get_path (uri))
    : g_strconcat (g_uri_get_path (uri), "/", NULL);
  return g_uri_build (G_URI_FLAGS_NONE, "https", NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), path, NULL, NULL);
}

static gboolean
eimza_nes_client_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  EimzaNesClient *self = EIMZA_NES_CLIENT (initable);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  const char *url;

  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self->site.profile), FALSE);

  self->nes = eimza_portal_profile_get_nes (self->site.profile);
  if (self->nes == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The portal profile “%s” describes no e-signature site."),
                   eimza_portal_profile_get_name (self->site.profile));
      return FALSE;
    }

  url = self->site.base_url != NULL ? self->site.base_url : eimza_eonay_profile_get_base_url (self->nes);
  if (!eimza_site_client_set_origin (&self->site, url, &database, error))
    return FALSE;

  if ((self->cert_uri == NULL) != (self->key_uri == NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Both the certificate and the key URI are needed");
      return FALSE;
    }
  if (self->cert_uri != NULL)
    {
      /* Nothing is read from the card yet: GnuTLS finds the objects and
       * asks for the PIN when the site asks for the certificate. */
      certificate = g_tls_certificate_new_from_pkcs11_uris (self->cert_uri, self->key_uri, error);
      if (certificate == NULL)
        return FALSE;
    }

  self->signer_uri = make_signer_uri (self, eimza_eonay_profile_get_signer_base_url (self->nes),
                                      error);
  if (self->signer_uri == NULL)
    return FALSE;
  self->signer_url = g_uri_to_string (self->signer_uri);

  self->interaction = g_object_new (EIMZA_TYPE_EONAY_INTERACTION, NULL);
  self->interaction->certificate = g_steal_pointer (&certificate);
  self->interaction->inner = self->caller_interaction != NULL
    ? g_object_ref (self->caller_interaction) : NULL;
  if (eimza_eonay_interaction_card_login (self->interaction) != NULL)
    g_signal_connect_object (self->interaction->inner, "failed",
                             G_CALLBACK (eimza_eonay_interaction_card_login_failed_cb), self->interaction, 0);

  /* One session, one connection kept alive: each new TLS connection is a
   * new handshake with the card, and a new PIN request. */
  self->site.soup = eimza_site_client_soup_new (self->site.timeout, database,
                                          G_TLS_INTERACTION (self->interaction),
                                          &self->site.cookie_jar);
  g_signal_connect_object (self->site.soup, "request-queued", G_CALLBACK (eimza_eonay_interaction_request_queued_cb),
                           self->interaction, 0);

  return TRUE;
}

static void
eimza_nes_client_initable_iface_init (GInitableIface *iface)
{
  iface->init = eimza_nes_client_initable_init;
}

static void
eimza_nes_client_dispose (GObject *object)
{
  EimzaNesClient *self = EIMZA_NES_CLIENT (object);

  eimza_site_client_dispose (&self->site);
  g_clear_object (&self->interaction);
  g_clear_object (&self->caller_interaction);
  g_clear_object (&self->page);
  self->nes = NULL;

  G_OBJECT_CLASS (eimza_nes_client_parent_class)->dispose (object);
}

static void
eimza_nes_client_finalize (GObject *object)
{
  EimzaNesClient *self = EIMZA_NES_CLIENT (object);

  eimza_site_client_finalize (&self->site);
  g_free (self->uncertain_code);
  g_clear_pointer (&self->unblock_page, eimza_nes_unblock_page_free);
  g_free (self->cert_uri);
  g_free (self->key_uri);
  g_free (self->signer_url);
  g_clear_pointer (&self->signer_uri, g_uri_unref);
  g_free (self->tckn);
  g_free (self->holder);

  G_OBJECT_CLASS (eimza_nes_client_parent_class)->finalize (object);
}

static void
eimza_nes_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EimzaNesClient *self = EIMZA_NES_CLIENT (object);

  if (eimza_site_client_get_property (&self->site, prop_id, value))
    return;

  switch (prop_id)
    {
    case PROP_CERTIFICATE_URI:
      g_value_set_string (value, self->cert_uri);
      break;

    case PROP_KEY_URI:
      g_value_set_string (value, self->key_uri);
      break;

    case PROP_INTERACTION:
      g_value_set_object (value, self->caller_interaction);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_nes_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EimzaNesClient *self = EIMZA_NES_CLIENT (object);

  if (eimza_site_client_set_property (&self->site, object, props, prop_id, value))
    return;

  switch (prop_id)
    {
    case PROP_CERTIFICATE_URI:
      self->cert_uri = g_value_dup_string (value);
      break;

    case PROP_KEY_URI:
      self->key_uri = g_value_dup_string (value);
      break;

    case PROP_INTERACTION:
      self->caller_interaction = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_nes_client_class_init (EimzaNesClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_nes_client_dispose;
  object_class->finalize = eimza_nes_client_finalize;
  object_class->get_property = eimza_nes_client_get_property;
  object_class->set_property = eimza_nes_client_set_property;

  eimza_site_client_class_props (props, EIMZA_NES_CLIENT_DEFAULT_TIMEOUT);

  props[PROP_CERTIFICATE_URI] =
    g_param_spec_string ("certificate-uri", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  props[PROP_KEY_URI] =
    g_param_spec_string ("key-uri", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  props[PROP_INTERACTION] =
    g_param_spec_object ("interaction", NULL, NULL,
                         G_TYPE_TLS_INTERACTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
eimza_nes_client_init (EimzaNesClient *self)
{
  eimza_site_client_init (&self->site, EIMZA_NES_CLIENT_DEFAULT_TIMEOUT);
}

EimzaNesClient *
eimza_nes_client_new (EimzaPortalProfile  *profile,
                      const char          *base_url,
                      const char          *ca_file,
                      const char          *cert_uri,
                      const char          *key_uri,
                      GTlsInteraction     *interaction,
                      GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (profile), NULL);
  g_return_val_if_fail (interaction == NULL || G_IS_TLS_INTERACTION (interaction), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (EIMZA_TYPE_NES_CLIENT, NULL, error,
                         "profile", profile,
                         "base-url", base_url,
                         "ca-file", ca_file,
                         "certificate-uri", cert_uri,
                         "key-uri", key_uri,
                         "interaction", interaction,
                         NULL);
}

const char *
eimza_nes_client_get_base_url (EimzaNesClient *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return self->site.base_url;
}

const char *
eimza_nes_client_get_signer_base_url (EimzaNesClient *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return self->signer_url;
}

gboolean
eimza_nes_client_set_signer_base_url (EimzaNesClient  *self,
                                      const char      *url,
                                      GError         **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  uri = make_signer_uri (self, url, error);
  if (uri == NULL)
    return FALSE;

  g_clear_pointer (&self->signer_uri, g_uri_unref);
  self->signer_uri = g_steal_pointer (&uri);
  g_free (self->signer_url);
  self->signer_url = g_uri_to_string (self->signer_uri);
  return TRUE;
}

guint
eimza_nes_client_get_timeout (EimzaNesClient *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), 0);

  return self->site.timeout;
}

void
eimza_nes_client_set_timeout (EimzaNesClient *self,
                              guint           seconds)
{
  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (seconds > 0);

  eimza_site_client_set_timeout (&self->site, G_OBJECT (self),
                                 props[EIMZA_SITE_CLIENT_PROP_TIMEOUT], seconds);
}

guint
eimza_nes_client_get_deadline (EimzaNesClient *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), 0);

  return self->site.deadline;
}

void
eimza_nes_client_set_deadline (EimzaNesClient *self,
                               guint           seconds)
{
  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (seconds > 0);

  eimza_site_client_set_deadline (&self->site, G_OBJECT (self),
                                  props[EIMZA_SITE_CLIENT_PROP_DEADLINE], seconds);
}

const char *
eimza_nes_client_get_tckn (EimzaNesClient *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return self->tckn;
}

const char *
eimza_nes_client_get_holder (EimzaNesClient *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return self->holder;
}

/* ------------------------------------------------------------------------
 * One HTTP exchange: send, follow same-origin redirects, read the body with
 * a size limit, retry idempotent requests, parse or classify.
 * ------------------------------------------------------------------------ */

void
eimza_eonay_response_free (EimzaEonayResponse *response)
{
  g_clear_object (&response->page);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

static void
begin_interaction (GObject *source)
{
  eimza_eonay_interaction_begin (EIMZA_NES_CLIENT (source)->interaction);
}

/* The person typing the PIN does not count against the deadline. */
static gboolean
is_asking_person (GObject *source)
{
  EimzaEonayInteraction *interaction = EIMZA_NES_CLIENT (source)->interaction;

  return interaction->asking ||
         (eimza_eonay_interaction_card_login (interaction) != NULL &&
          eimza_tls_card_login_is_asking (eimza_eonay_interaction_card_login (interaction)));
}

/* A failure of the exchange, told apart by what the handshake did. */
static GError *
exchange_error (GObject      *source,
                const GError *transport_error,
                guint         status)
{
  EimzaNesClient *self = EIMZA_NES_CLIENT (source);
  g_autoptr(GError) required = NULL;
  GError *error = NULL;

  /* In TLS 1.3 a site that asked for a certificate the client did not
   * have says so in an alert after the handshake; when it closed the
   * connection before the alert was read (the connection made ahead,
   * gone before the send), only the request tells it. */
  if (self->interaction->requested && !self->interaction->presented &&
      g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    transport_error = required = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED,
                                                      "Closed after asking for a certificate");

  eimza_portal_error_check_client_exchange (transport_error, status,
                                            self->interaction->presented,
                                            self->interaction->pin_error, &error);
  /* A handshake that failed here did not log in (one that succeeded has
   * reported so already). */
  if (self->interaction->login_open)
    {
      g_autoptr(GError) failed = error != NULL || transport_error != NULL ? NULL
        : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "The exchange failed");

      eimza_eonay_interaction_login_finished (self->interaction,
                                              error != NULL ? error
                                              : transport_error != NULL ? transport_error
                                              : failed);
    }
  return error;
}

static gboolean
take_new_connection (GObject *source)
{
  return eimza_site_client_take_new_connection (&EIMZA_NES_CLIENT (source)->site);
}

/* POSTs use the open connection (eimza-portal-request.c): a new one would
 * be a new handshake with the card and a new PIN request. The connection
 * is made ahead, off the main loop, and a send never makes a second one
 * in its place: a site that refused the card's certificate has closed it. */
static const EimzaPortalRequestOptions page_options = {
  .log_prefix = "NES ",
  .peer = "NES",
  .before_send = begin_interaction,
  .map_error = exchange_error,
  .is_asking_person = is_asking_person,
  .take_new_connection = take_new_connection,
  .connect_ahead = TRUE,
  .send_on_connection_made_ahead = TRUE,
};

/* The signer refuses with a 4xx and a sentence, read by signer_refusal(). */
static const EimzaPortalRequestOptions signer_options = {
  .log_prefix = "NES ",
  .peer = "NES",
  .accept_client_errors = TRUE,
  .before_send = begin_interaction,
  .map_error = exchange_error,
  .is_asking_person = is_asking_person,
  .take_new_connection = take_new_connection,
  .connect_ahead = TRUE,
  .send_on_connection_made_ahead = TRUE,
};

static void
fail_unexpected (GTask      *task,
                 const char *why)
{
  g_task_return_error (task, eimza_portal_request_unexpected (&page_options, why));
}

/* The signer refuses with a status and one sentence of its own; the
 * profile's [nes-messages] classify it, the status is the fallback. */
static GError *
signer_refusal (EimzaNesClient     *self,
                guint               status,
                SoupMessageHeaders *headers,
                GBytes             *body)
{
  g_autofree char *text = eimza_site_client_refusal_text (headers, body);
  EimzaPortalError code;

  if ((text == NULL || !eimza_eonay_profile_classify_message (self->nes, text, &code)) &&
      !eimza_site_client_refusal_code (status, &code))
    code = EIMZA_PORTAL_ERROR_REJECTED;

  return g_error_new_literal (EIMZA_PORTAL_ERROR, code,
                              text != NULL ? text : eimza_portal_error_describe (code));
}

static void
request_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaNesClient *self = g_task_get_source_object (task);
  EimzaEonayExpect expect = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(EimzaPortalReply) reply = NULL;
  g_autoptr(EimzaEonayResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  reply = eimza_portal_request_finish (object, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (expect == NES_EXPECT_SIGNER && SOUP_STATUS_IS_CLIENT_ERROR (reply->status))
    {
      g_task_return_error (task, signer_refusal (self, reply->status, reply->headers, reply->body));
      return;
    }

  response = g_new0 (EimzaEonayResponse, 1);
  if (expect == NES_EXPECT_RAW)
    {
      response->body = g_steal_pointer (&reply->body);
      response->headers = g_steal_pointer (&reply->headers);
      g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) eimza_eonay_response_free);
      return;
    }
  if (expect == NES_EXPECT_SIGNER)
    {
      const char *content_type = soup_message_headers_get_content_type (reply->headers, NULL);

      /* A page where data to sign was expected (a login form, an error
       * page) must never be handed out for signing. */
      if (g_strcmp0 (content_type, "text/html") == 0)
        {
          fail_unexpected (task, "a page from the signer's endpoint");
          return;
        }

      response->body = g_steal_pointer (&reply->body);
      response->headers = g_steal_pointer (&reply->headers);
      g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) eimza_eonay_response_free);
      return;
    }

  response->page = eimza_nes_web_page_parse (self->nes, reply->body, &error);
  if (response->page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) eimza_eonay_response_free);
}

/* @body: (nullable): makes it a POST of @body_type. */
void
eimza_nes_client_request_async (EimzaNesClient      *self,
                                GUri                *uri,
                                GBytes              *body,
                                const char          *body_type,
                                EimzaEonayExpect     expect,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, eimza_nes_client_request_async);
  g_task_set_task_data (task, GINT_TO_POINTER (expect), NULL);

  eimza_portal_request_async (G_OBJECT (self), self->site.soup,
                              expect == NES_EXPECT_SIGNER ? &signer_options : &page_options,
                              uri, body, body_type, self->site.deadline, cancellable,
                              request_done_cb, g_steal_pointer (&task));
}

EimzaEonayResponse *
eimza_nes_client_request_finish (EimzaNesClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return eimza_site_client_propagate_pointer (self, result, eimza_nes_client_request_async, error);
}

/* ------------------------------------------------------------------------
 * The steps.
 * ------------------------------------------------------------------------ */

static void
eimza_eonay_step_data_free (EimzaEonayStepData *data)
{
  if (data->tckn != NULL)
    explicit_bzero (data->tckn, strlen (data->tckn));
  g_free (data->tckn);
  g_free (data->code);
  g_clear_error (&data->upload_error);
  g_free (data);
}

/* A new step task, or NULL when it was refused: another step is running,
 * or the current page is not the one the step starts from. */
GTask *
eimza_nes_client_step_begin (EimzaNesClient      *self,
                             EimzaEonayStep       step,
                             gpointer             source_tag,
                             EimzaNesWebPageKind  from_page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  EimzaEonayStepData *data = g_new0 (EimzaEonayStepData, 1);
  gboolean at_page = from_page == EIMZA_NES_WEB_PAGE_UNKNOWN ||
                     (self->page != NULL && eimza_nes_web_page_get_kind (self->page) == from_page);

  data->step = step;
  return eimza_site_client_step_begin (&self->site, self, source_tag, "NES", step, at_page,
                                       data, (GDestroyNotify) eimza_eonay_step_data_free,
                                       cancellable, callback, user_data);
}

GUri *
eimza_nes_client_resolve_path (EimzaNesClient *self,
                               EimzaEonayPath  path)
{
  return g_uri_parse_relative (self->site.base_uri, eimza_eonay_profile_get_path (self->nes, path),
                               G_URI_FLAGS_NONE, NULL);
}

/* A body starting with @page's hidden fields (the view state); it holds
 * personal data, so it is built in wiped memory. */
EimzaPortalFormBody *
eimza_nes_client_body_new (EimzaNesWebPage *page)
{
  return eimza_portal_form_body_new_with_hidden (eimza_nes_web_page_get_hidden_names (page),
                                                 eimza_nes_web_page_get_hidden_values (page));
}

/* Ends @body (taken) with @submit's button as @page has it. */
GBytes *
eimza_nes_client_body_end (EimzaNesClient      *self,
                           EimzaNesWebPage     *page,
                           EimzaPortalFormBody *body,
                           EimzaEonaySubmit     submit)
{
  const char *name = eimza_eonay_profile_get_submit (self->nes, submit);

  return eimza_portal_form_body_end_submit (body, name, eimza_nes_web_page_get_submit_value (page, name));
}

/* Whether @page is @expected without complaints; otherwise sets @error
 * from what the page says, in the site's own words. */
gboolean
eimza_nes_client_check_page (EimzaNesClient       *self,
                             EimzaNesWebPage      *page,
                             EimzaNesWebPageKind   expected,
                             GError              **error)
{
  const char * const *errors = eimza_nes_web_page_get_errors (page);
  EimzaNesWebPageKind kind = eimza_nes_web_page_get_kind (page);
  EimzaPortalError code;

  if (kind == expected && errors[0] == NULL)
    return TRUE;

  if (kind == EIMZA_NES_WEB_PAGE_SESSION_EXPIRED)
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED,
                           errors[0] != NULL ? errors[0]
                                             : eimza_portal_error_describe (EIMZA_PORTAL_ERROR_SESSION_EXPIRED));
      return FALSE;
    }

  for (guint i = 0; errors[i] != NULL; i++)
    {
      if (eimza_eonay_profile_classify_message (self->nes, errors[i], &code))
        {
          g_set_error_literal (error, EIMZA_PORTAL_ERROR, code, errors[i]);
          return FALSE;
        }
    }

  if (errors[0] != NULL)
    {
      g_autofree char *all = g_strjoinv ("\n", (char **) errors);

      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_REJECTED, all);
      return FALSE;
    }

  /* The site sends the login back to its code page while that code is
   * unsigned. */
  if (kind == EIMZA_NES_WEB_PAGE_CODE &&
      (expected == EIMZA_NES_WEB_PAGE_EONAY || expected == EIMZA_NES_WEB_PAGE_MENU))
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
                           _("The login is not finished: the verification code has not been "
                             "signed yet."));
      return FALSE;
    }

  /* Back at the login form: the site's session is gone. */
  if (kind == EIMZA_NES_WEB_PAGE_LOGIN && expected != EIMZA_NES_WEB_PAGE_LOGIN)
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED,
                           eimza_portal_error_describe (EIMZA_PORTAL_ERROR_SESSION_EXPIRED));
      return FALSE;
    }

  g_debug ("Expected NES page kind %d, got %d", expected, kind);
  g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
                       eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
  return FALSE;
}

/* A code page's code, or the error its messages give. */
char *
eimza_nes_client_take_code (EimzaNesClient   *self,
                            EimzaNesWebPage  *page,
                            GError          **error)
{
  const char *code;

  if (!eimza_nes_client_check_page (self, page, EIMZA_NES_WEB_PAGE_CODE, error))
    return NULL;

  code = eimza_nes_web_page_get_code (page);
  if (code == NULL)
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
                           eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
      return NULL;
    }

  return g_strdup (code);
}

static void
remember_page (EimzaNesClient  *self,
               EimzaNesWebPage *page)
{
  if (eimza_nes_web_page_get_kind (page) != EIMZA_NES_WEB_PAGE_UNKNOWN)
    g_set_object (&self->page, page);
}

void
eimza_nes_client_step_get (GTask          *task,
                           EimzaEonayPath  path)
{
  EimzaNesClient *self = g_task_get_source_object (task);
  g_autoptr(GUri) uri = eimza_nes_client_resolve_path (self, path);

  eimza_nes_client_request_async (self, uri, NULL, NULL, NES_EXPECT_PAGE, g_task_get_cancellable (task),
                                  eimza_nes_client_step_page_cb, g_object_ref (task));
}

void
eimza_nes_client_step_post (GTask          *task,
                            EimzaEonayPath  path,
                            GBytes         *body)
{
  EimzaNesClient *self = g_task_get_source_object (task);
  g_autoptr(GUri) uri = eimza_nes_client_resolve_path (self, path);

  eimza_nes_client_request_async (self, uri, body, "application/x-www-form-urlencoded", NES_EXPECT_PAGE,
                                  g_task_get_cancellable (task), eimza_nes_client_step_page_cb, g_object_ref (task));
}

void
eimza_nes_client_step_page_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  EimzaNesClient *self = EIMZA_NES_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  EimzaEonayStepData *data = g_task_get_task_data (task);
  g_autoptr(EimzaEonayResponse) response = NULL;
  EimzaNesWebPage *page;
  EimzaNesWebPageKind kind;
  GError *error = NULL;
  char *code;

  response = eimza_nes_client_request_finish (self, result, &error);
  if (response == NULL)
    {
      eimza_site_client_step_return_error (task, error);
      return;
    }

  page = response->page;
  kind = eimza_nes_web_page_get_kind (page);
  remember_page (self, page);

  switch (data->step)
    {
    case NES_STEP_LOG_IN:
      /* First the form (a fresh session may still show the expiry message
       * of the one it replaces), then the code page. */
      if (!data->posted)
        {
          if (kind != EIMZA_NES_WEB_PAGE_LOGIN && kind != EIMZA_NES_WEB_PAGE_SESSION_EXPIRED)
            {
              eimza_nes_client_check_page (self, page, EIMZA_NES_WEB_PAGE_LOGIN, &error);
              eimza_site_client_step_return_error (task, error);
              return;
            }
          data->posted = TRUE;
          self->holder = g_strdup (eimza_nes_web_page_get_holder (page));
          eimza_nes_client_post_tckn (task);
          return;
        }

      code = eimza_nes_client_take_code (self, page, &error);
      if (code == NULL)
        {
          g_clear_pointer (&self->holder, g_free);
          eimza_site_client_step_return_error (task, error);
          return;
        }
      g_free (self->tckn);
      self->tckn = g_strdup (data->tckn);
      eimza_site_client_step_return_pointer (task, code, g_free);
      return;

    case NES_STEP_CONSENT:
      code = eimza_nes_client_take_code (self, page, &error);
      if (code == NULL)
        eimza_site_client_step_return_error (task, error);
      else
        eimza_site_client_step_return_pointer (task, code, g_free);
      return;

    case NES_STEP_OPEN_EONAY:
    case NES_STEP_GET_STATUS:
    case NES_STEP_CANCEL_EONAY:
      if (!eimza_nes_client_check_page (self, page, EIMZA_NES_WEB_PAGE_EONAY, &error))
        {
          eimza_site_client_step_return_error (task, error);
          return;
        }
      if (data->step == NES_STEP_OPEN_EONAY)
        eimza_site_client_step_return_pointer (task, eimza_nes_client_status_from_page (page), (GDestroyNotify) eimza_eonay_status_free);
      else if (data->step == NES_STEP_GET_STATUS)
        eimza_site_client_step_return_boolean (task, eimza_nes_web_page_get_eonay_active (page));
      else if (eimza_nes_web_page_get_eonay_active (page))
        {
          /* The site took the cancellation but still says active. */
          eimza_site_client_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
        }
      else
        eimza_site_client_step_return_boolean (task, TRUE);
      return;

    case NES_STEP_FETCH_SIGN_DATA:
    case NES_STEP_UPLOAD_SIGNATURE:
    default:
      g_assert_not_reached ();
    }
}
