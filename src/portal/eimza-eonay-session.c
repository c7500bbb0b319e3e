/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One conversation with the NES online-operations site: e-signed login, e-onay, its cancellation. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "eimza-eonay-page.h"
#include "eimza-eonay-session.h"
#include "eimza-portal-form-body.h"
#include "eimza-portal-page.h"
#include "eimza-portal-request.h"
#include "eimza-site-client.h"
#include "eimza-tls-card-login.h"

#define SIGNATURE_CONTENT_TYPE "application/pkcs7-signature"

/* ------------------------------------------------------------------------
 * The TLS interaction of the session: hands the card's certificate to the
 * handshake and passes the PIN request on to the caller's interaction,
 * remembering what happened so that a PIN failure or a refused certificate
 * is reported as such and never retried.
 * ------------------------------------------------------------------------ */

#define EIMZA_TYPE_EONAY_INTERACTION (eimza_eonay_interaction_get_type ())

G_DECLARE_FINAL_TYPE (EimzaEonayInteraction, eimza_eonay_interaction, EIMZA, EONAY_INTERACTION,
                      GTlsInteraction)

struct _EimzaEonayInteraction
{
  GTlsInteraction parent_instance;

  GTlsCertificate *certificate; /* NULL: none to present */
  GTlsInteraction *inner;       /* the caller's, for the PIN; may be NULL */
  gboolean presented;           /* the certificate went into a handshake */
  gboolean login_open;          /* ...which has not reported back yet */
  GError *pin_error;            /* how the PIN request failed */
  gboolean asking;              /* the caller's interaction is asking for the PIN */
};

G_DEFINE_FINAL_TYPE (EimzaEonayInteraction, eimza_eonay_interaction, G_TYPE_TLS_INTERACTION)

static void
eimza_eonay_interaction_finalize (GObject *object)
{
  EimzaEonayInteraction *self = EIMZA_EONAY_INTERACTION (object);

  g_clear_object (&self->certificate);
  g_clear_object (&self->inner);
  g_clear_error (&self->pin_error);

  G_OBJECT_CLASS (eimza_eonay_interaction_parent_class)->finalize (object);
}

/* The inner interaction, if it wants to know about the card's logins. */
static EimzaTlsCardLogin *
card_login (EimzaEonayInteraction *self)
{
  return self->inner != NULL && EIMZA_IS_TLS_CARD_LOGIN (self->inner)
    ? EIMZA_TLS_CARD_LOGIN (self->inner) : NULL;
}

/* The handshake that used the card's key has ended (@error NULL: it
 * succeeded): the inner interaction may keep the PIN only then. */
static void
eimza_eonay_interaction_login_finished (EimzaEonayInteraction *self,
                                        const GError          *error)
{
  if (!self->login_open)
    return;

  self->login_open = FALSE;
  if (card_login (self) != NULL)
    eimza_tls_card_login_finished (card_login (self), error);
}

static void
present_certificate (EimzaEonayInteraction *self,
                     GTlsConnection        *connection)
{
  g_tls_connection_set_certificate (connection, self->certificate);
  self->presented = TRUE;
  self->login_open = TRUE;
}

static void record_pin_failure (EimzaEonayInteraction *self,
                                const GError          *error);

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayInteraction *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!eimza_tls_card_login_prepare_finish (EIMZA_TLS_CARD_LOGIN (object), result, &error))
    {
      /* The key was not used: nothing was sent to the card. */
      record_pin_failure (self, error);
      g_task_return_error (task, error);
      return;
    }

  present_certificate (self, g_task_get_task_data (task));
  g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
}

/* Runs in the interaction's main context: glib-networking invokes it
 * there from its handshake thread. Asynchronous, so that the inner
 * interaction can ask the person first (a PIN-pad reader's prompt). */
static void
eimza_eonay_interaction_request_certificate_async (GTlsInteraction              *interaction,
                                                   GTlsConnection               *connection,
                                                   GTlsCertificateRequestFlags   flags,
                                                   GCancellable                 *cancellable,
                                                   GAsyncReadyCallback           callback,
                                                   gpointer                      user_data)
{
  EimzaEonayInteraction *self = EIMZA_EONAY_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, eimza_eonay_interaction_request_certificate_async);
  g_task_set_task_data (task, g_object_ref (connection), g_object_unref);

  if (self->certificate == NULL)
    {
      g_task_return_int (task, G_TLS_INTERACTION_UNHANDLED);
      return;
    }

  if (card_login (self) != NULL)
    {
      eimza_tls_card_login_prepare_async (card_login (self), cancellable, prepared_cb,
                                          g_steal_pointer (&task));
      return;
    }

  present_certificate (self, connection);
  g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
}

static GTlsInteractionResult
eimza_eonay_interaction_request_certificate_finish (GTlsInteraction  *interaction,
                                                    GAsyncResult     *result,
                                                    GError          **error)
{
  GError *local_error = NULL;
  gssize answer = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return G_TLS_INTERACTION_FAILED;
    }

  return (GTlsInteractionResult) answer;
}

static void
record_pin_failure (EimzaEonayInteraction *self,
                    const GError          *error)
{
  g_clear_error (&self->pin_error);
  self->pin_error = g_error_copy (error);
}

/* A key that signs through the card service logs in inside the handshake,
 * without a PIN request of glib-networking's: its failure comes here. */
static void
card_login_failed_cb (EimzaTlsCardLogin     *login,
                      const GError          *error,
                      EimzaEonayInteraction *self)
{
  record_pin_failure (self, error);
}

static void
inner_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayInteraction *self = g_task_get_source_object (task);
  GError *error = NULL;
  GTlsInteractionResult answer;

  self->asking = FALSE;
  answer = g_tls_interaction_ask_password_finish (G_TLS_INTERACTION (object), result, &error);
  if (answer == G_TLS_INTERACTION_HANDLED)
    {
      g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
      return;
    }

  /* UNHANDLED would make glib-networking ask again and again: a failure it
   * is, so that no PIN is ever tried twice without the person. */
  if (error == NULL)
    error = eimza_site_client_error_new (EIMZA_PORTAL_ERROR_PIN);
  record_pin_failure (self, error);
  g_task_return_error (task, error);
}

/* Only the asynchronous variant, so that the caller's interaction may show
 * a dialog without blocking: glib-networking prefers a synchronous
 * implementation when a class has one. */
static void
eimza_eonay_interaction_ask_password_async (GTlsInteraction     *interaction,
                                            GTlsPassword        *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  EimzaEonayInteraction *self = EIMZA_EONAY_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GTlsInteractionClass *inner_class;

  g_task_set_source_tag (task, eimza_eonay_interaction_ask_password_async);

  if (self->inner == NULL)
    {
      GError *error = eimza_site_client_error_new (EIMZA_PORTAL_ERROR_PIN);

      record_pin_failure (self, error);
      g_task_return_error (task, error);
      return;
    }

  inner_class = G_TLS_INTERACTION_GET_CLASS (self->inner);
  if (inner_class->ask_password_async != NULL)
    {
      self->asking = TRUE;
      g_tls_interaction_ask_password_async (self->inner, password, cancellable,
                                            inner_password_cb, g_steal_pointer (&task));
      return;
    }

  /* A synchronous interaction (a test's) answers at once. */
  {
    GError *error = NULL;
    GTlsInteractionResult answer = g_tls_interaction_ask_password (self->inner, password,
                                                                  cancellable, &error);

    if (answer == G_TLS_INTERACTION_HANDLED)
      {
        g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
        return;
      }
    if (error == NULL)
      error = eimza_site_client_error_new (EIMZA_PORTAL_ERROR_PIN);
    record_pin_failure (self, error);
    g_task_return_error (task, error);
  }
}

static GTlsInteractionResult
eimza_eonay_interaction_ask_password_finish (GTlsInteraction  *interaction,
                                             GAsyncResult     *result,
                                             GError          **error)
{
  GError *local_error = NULL;
  gssize answer = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return G_TLS_INTERACTION_FAILED;
    }

  return (GTlsInteractionResult) answer;
}

static void
eimza_eonay_interaction_class_init (EimzaEonayInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsInteractionClass *interaction_class = G_TLS_INTERACTION_CLASS (klass);

  object_class->finalize = eimza_eonay_interaction_finalize;
  interaction_class->request_certificate_async = eimza_eonay_interaction_request_certificate_async;
  interaction_class->request_certificate_finish = eimza_eonay_interaction_request_certificate_finish;
  interaction_class->ask_password_async = eimza_eonay_interaction_ask_password_async;
  interaction_class->ask_password_finish = eimza_eonay_interaction_ask_password_finish;
}

static void
eimza_eonay_interaction_init (EimzaEonayInteraction *self)
{
}

/* Before each attempt of a request: what happens in its handshake. */
static void
eimza_eonay_interaction_begin (EimzaEonayInteraction *self)
{
  g_autoptr(GError) unfinished = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                      "The handshake did not report back");

  /* Only a success report keeps the PIN. */
  eimza_eonay_interaction_login_finished (self, unfinished);
  self->presented = FALSE;
  g_clear_error (&self->pin_error);
}

/* glib-networking's handshake with the card's key succeeded: the card
 * accepted the PIN it was given. */
static void
message_network_event_cb (SoupMessage        *message,
                          GSocketClientEvent  event,
                          GIOStream          *connection,
                          gpointer            user_data)
{
  EimzaEonayInteraction *self = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED)
    eimza_eonay_interaction_login_finished (self, NULL);
}

static void
request_queued_cb (SoupSession *soup,
                   SoupMessage *message,
                   gpointer     user_data)
{
  g_signal_connect_object (message, "network-event", G_CALLBACK (message_network_event_cb),
                           user_data, 0);
}

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

struct _EimzaEonaySession
{
  GObject parent_instance;

  EimzaSiteClient site;
  EimzaEonayProfile *nes;     /* the profile's, borrowed */
  char *cert_uri;
  char *key_uri;
  GTlsInteraction *caller_interaction;

  GUri *signer_uri;           /* ends in "/" */
  char *signer_url;
  EimzaEonayInteraction *interaction;

  /* The last page of a known kind: its hidden fields go into the next POST. */
  EimzaEonayPage *page;
  char *tckn;
  char *holder;
  /* The code whose upload's answer was lost, until the site says more: a
   * later refusal of it as used is our own signature, arrived after all. */
  char *uncertain_code;
};

static void eimza_eonay_session_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EimzaEonaySession, eimza_eonay_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      eimza_eonay_session_initable_iface_init))

enum {
  PROP_CERTIFICATE_URI = EIMZA_SITE_CLIENT_N_PROPS,
  PROP_KEY_URI,
  PROP_INTERACTION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* @url resolved against the site, as the signer's base (ending in "/"). */
static GUri *
make_signer_uri (EimzaEonaySession  *self,
                 const char         *url,
                 GError            **error)
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
eimza_eonay_session_initable_init (GInitable     *initable,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (initable);
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
  if (card_login (self->interaction) != NULL)
    g_signal_connect_object (self->interaction->inner, "failed",
                             G_CALLBACK (card_login_failed_cb), self->interaction, 0);

  /* One session, one connection kept alive: each new TLS connection is a
   * new handshake with the card, and a new PIN request. */
  self->site.soup = eimza_site_client_soup_new (self->site.timeout, database,
                                          G_TLS_INTERACTION (self->interaction),
                                          &self->site.cookie_jar);
  g_signal_connect_object (self->site.soup, "request-queued", G_CALLBACK (request_queued_cb),
                           self->interaction, 0);

  return TRUE;
}

static void
eimza_eonay_session_initable_iface_init (GInitableIface *iface)
{
  iface->init = eimza_eonay_session_initable_init;
}

static void
eimza_eonay_session_dispose (GObject *object)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (object);

  eimza_site_client_dispose (&self->site);
  g_clear_object (&self->interaction);
  g_clear_object (&self->caller_interaction);
  g_clear_object (&self->page);
  self->nes = NULL;

  G_OBJECT_CLASS (eimza_eonay_session_parent_class)->dispose (object);
}

static void
eimza_eonay_session_finalize (GObject *object)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (object);

  eimza_site_client_finalize (&self->site);
  g_free (self->uncertain_code);
  g_free (self->cert_uri);
  g_free (self->key_uri);
  g_free (self->signer_url);
  g_clear_pointer (&self->signer_uri, g_uri_unref);
  g_free (self->tckn);
  g_free (self->holder);

  G_OBJECT_CLASS (eimza_eonay_session_parent_class)->finalize (object);
}

static void
eimza_eonay_session_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (object);

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
eimza_eonay_session_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (object);

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
eimza_eonay_session_class_init (EimzaEonaySessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_eonay_session_dispose;
  object_class->finalize = eimza_eonay_session_finalize;
  object_class->get_property = eimza_eonay_session_get_property;
  object_class->set_property = eimza_eonay_session_set_property;

  eimza_site_client_class_props (props, EIMZA_EONAY_SESSION_DEFAULT_TIMEOUT);

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
eimza_eonay_session_init (EimzaEonaySession *self)
{
  eimza_site_client_init (&self->site, EIMZA_EONAY_SESSION_DEFAULT_TIMEOUT);
}

EimzaEonaySession *
eimza_eonay_session_new (EimzaPortalProfile  *profile,
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

  return g_initable_new (EIMZA_TYPE_EONAY_SESSION, NULL, error,
                         "profile", profile,
                         "base-url", base_url,
                         "ca-file", ca_file,
                         "certificate-uri", cert_uri,
                         "key-uri", key_uri,
                         "interaction", interaction,
                         NULL);
}

const char *
eimza_eonay_session_get_base_url (EimzaEonaySession *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), NULL);

  return self->site.base_url;
}

const char *
eimza_eonay_session_get_signer_base_url (EimzaEonaySession *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), NULL);

  return self->signer_url;
}

gboolean
eimza_eonay_session_set_signer_base_url (EimzaEonaySession  *self,
                                         const char         *url,
                                         GError            **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), FALSE);
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
eimza_eonay_session_get_timeout (EimzaEonaySession *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), 0);

  return self->site.timeout;
}

void
eimza_eonay_session_set_timeout (EimzaEonaySession *self,
                                 guint              seconds)
{
  g_return_if_fail (EIMZA_IS_EONAY_SESSION (self));
  g_return_if_fail (seconds > 0);

  eimza_site_client_set_timeout (&self->site, G_OBJECT (self),
                                 props[EIMZA_SITE_CLIENT_PROP_TIMEOUT], seconds);
}

guint
eimza_eonay_session_get_deadline (EimzaEonaySession *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), 0);

  return self->site.deadline;
}

void
eimza_eonay_session_set_deadline (EimzaEonaySession *self,
                                  guint             seconds)
{
  g_return_if_fail (EIMZA_IS_EONAY_SESSION (self));
  g_return_if_fail (seconds > 0);

  eimza_site_client_set_deadline (&self->site, G_OBJECT (self),
                                  props[EIMZA_SITE_CLIENT_PROP_DEADLINE], seconds);
}

const char *
eimza_eonay_session_get_tckn (EimzaEonaySession *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), NULL);

  return self->tckn;
}

const char *
eimza_eonay_session_get_holder (EimzaEonaySession *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), NULL);

  return self->holder;
}

/* ------------------------------------------------------------------------
 * One HTTP exchange: send, follow same-origin redirects, read the body with
 * a size limit, retry idempotent requests, parse or classify.
 * ------------------------------------------------------------------------ */

typedef enum {
  EXPECT_PAGE,   /* an HTML page of the site */
  EXPECT_SIGNER, /* the signer's endpoints: bytes, or a text/plain refusal */
} Expect;

typedef struct {
  EimzaEonayPage *page;        /* EXPECT_PAGE */
  GBytes *body;                /* EXPECT_SIGNER */
  SoupMessageHeaders *headers; /* EXPECT_SIGNER */
} Response;

static void
response_free (Response *response)
{
  g_clear_object (&response->page);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
begin_interaction (GObject *source)
{
  eimza_eonay_interaction_begin (EIMZA_EONAY_SESSION (source)->interaction);
}

/* The person typing the PIN does not count against the deadline. */
static gboolean
is_asking_person (GObject *source)
{
  EimzaEonayInteraction *interaction = EIMZA_EONAY_SESSION (source)->interaction;

  return interaction->asking ||
         (card_login (interaction) != NULL &&
          eimza_tls_card_login_is_asking (card_login (interaction)));
}

/* A failure of the exchange, told apart by what the handshake did. */
static GError *
exchange_error (GObject      *source,
                const GError *transport_error,
                guint         status)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (source);
  GError *error = NULL;

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

/* A POST would otherwise get a connection of its own, i.e. a new handshake
 * with the card and a new PIN request; marked idempotent it may use the
 * open one. libsoup still never resends a POST by itself (it restarts only
 * messages whose method is idempotent), and neither do we. */
static const EimzaPortalRequestOptions page_options = {
  .log_prefix = "NES ",
  .peer = "NES",
  .message_flags = SOUP_MESSAGE_IDEMPOTENT,
  .before_send = begin_interaction,
  .map_error = exchange_error,
  .is_asking_person = is_asking_person,
};

/* The signer refuses with a 4xx and a sentence, read by signer_refusal(). */
static const EimzaPortalRequestOptions signer_options = {
  .log_prefix = "NES ",
  .peer = "NES",
  .message_flags = SOUP_MESSAGE_IDEMPOTENT,
  .accept_client_errors = TRUE,
  .before_send = begin_interaction,
  .map_error = exchange_error,
  .is_asking_person = is_asking_person,
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
signer_refusal (EimzaEonaySession  *self,
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
  EimzaEonaySession *self = g_task_get_source_object (task);
  Expect expect = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(EimzaPortalReply) reply = NULL;
  g_autoptr(Response) response = NULL;
  g_autoptr(GError) error = NULL;

  reply = eimza_portal_request_finish (object, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (expect == EXPECT_SIGNER && SOUP_STATUS_IS_CLIENT_ERROR (reply->status))
    {
      g_task_return_error (task, signer_refusal (self, reply->status, reply->headers, reply->body));
      return;
    }

  response = g_new0 (Response, 1);
  if (expect == EXPECT_SIGNER)
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
      g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) response_free);
      return;
    }

  response->page = eimza_eonay_page_parse (self->nes, reply->body, &error);
  if (response->page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) response_free);
}

/* @body: (nullable): makes it a POST of @body_type. */
static void
request_async (EimzaEonaySession   *self,
               GUri                *uri,
               GBytes              *body,
               const char          *body_type,
               Expect               expect,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, request_async);
  g_task_set_task_data (task, GINT_TO_POINTER (expect), NULL);

  eimza_portal_request_async (G_OBJECT (self), self->site.soup,
                              expect == EXPECT_SIGNER ? &signer_options : &page_options,
                              uri, body, body_type, self->site.deadline, cancellable,
                              request_done_cb, g_steal_pointer (&task));
}

static Response *
request_finish (EimzaEonaySession  *self,
                GAsyncResult       *result,
                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * The steps.
 * ------------------------------------------------------------------------ */

typedef enum {
  STEP_LOG_IN,
  STEP_FETCH_SIGN_DATA,
  STEP_UPLOAD_SIGNATURE,
  STEP_OPEN_EONAY,
  STEP_CONSENT,
  STEP_GET_STATUS,
  STEP_CANCEL_EONAY,
} Step;

typedef struct {
  Step step;
  char *tckn;
  char *code;
  gboolean posted; /* the login form has been sent */
  /* STEP_UPLOAD_SIGNATURE: why the answer is not known, while the signer
   * is asked whether the code still waits. */
  GError *upload_error;
} StepData;

static void
step_data_free (StepData *data)
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
static GTask *
step_begin (EimzaEonaySession   *self,
            Step                 step,
            gpointer             source_tag,
            EimzaEonayPageKind   from_page,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  StepData *data = g_new0 (StepData, 1);
  gboolean at_page = from_page == EIMZA_EONAY_PAGE_UNKNOWN ||
                     (self->page != NULL && eimza_eonay_page_get_kind (self->page) == from_page);

  data->step = step;
  return eimza_site_client_step_begin (&self->site, self, source_tag, "NES", step, at_page,
                                       data, (GDestroyNotify) step_data_free,
                                       cancellable, callback, user_data);
}

static GUri *
resolve_path (EimzaEonaySession *self,
              EimzaEonayPath     path)
{
  return g_uri_parse_relative (self->site.base_uri, eimza_eonay_profile_get_path (self->nes, path),
                               G_URI_FLAGS_NONE, NULL);
}

/* The signer's endpoint @path with the code as its query. */
static GUri *
resolve_signer (EimzaEonaySession *self,
                EimzaEonayPath     path,
                const char        *code)
{
  g_autoptr(GUri) endpoint = g_uri_parse_relative (self->signer_uri,
                                                   eimza_eonay_profile_get_path (self->nes, path),
                                                   G_URI_FLAGS_NONE, NULL);
  g_autofree char *parameter = g_uri_escape_string (eimza_eonay_profile_get_field (self->nes,
                                                                                   EIMZA_EONAY_FIELD_CODE_PARAMETER),
                                                    NULL, FALSE);
  g_autofree char *value = g_uri_escape_string (code, NULL, FALSE);
  g_autofree char *query = g_strconcat (parameter, "=", value, NULL);

  return g_uri_build (G_URI_FLAGS_ENCODED_QUERY, "https", NULL, g_uri_get_host (endpoint),
                      g_uri_get_port (endpoint), g_uri_get_path (endpoint), query, NULL);
}

/* A body starting with @page's hidden fields (the view state); it holds
 * personal data, so it is built in wiped memory. */
static EimzaPortalFormBody *
body_new (EimzaEonayPage *page)
{
  return eimza_portal_form_body_new_with_hidden (eimza_eonay_page_get_hidden_names (page),
                                                 eimza_eonay_page_get_hidden_values (page));
}

/* Ends @body (taken) with @submit's button as @page has it. */
static GBytes *
body_end (EimzaEonaySession   *self,
          EimzaEonayPage      *page,
          EimzaPortalFormBody *body,
          EimzaEonaySubmit     submit)
{
  const char *name = eimza_eonay_profile_get_submit (self->nes, submit);

  return eimza_portal_form_body_end_submit (body, name, eimza_eonay_page_get_submit_value (page, name));
}

/* Whether @page is @expected without complaints; otherwise sets @error
 * from what the page says, in the site's own words. */
static gboolean
check_page (EimzaEonaySession   *self,
            EimzaEonayPage      *page,
            EimzaEonayPageKind   expected,
            GError             **error)
{
  const char * const *errors = eimza_eonay_page_get_errors (page);
  EimzaEonayPageKind kind = eimza_eonay_page_get_kind (page);
  EimzaPortalError code;

  if (kind == expected && errors[0] == NULL)
    return TRUE;

  if (kind == EIMZA_EONAY_PAGE_SESSION_EXPIRED)
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
  if (kind == EIMZA_EONAY_PAGE_CODE &&
      (expected == EIMZA_EONAY_PAGE_EONAY || expected == EIMZA_EONAY_PAGE_MENU))
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
                           _("The login is not finished: the verification code has not been "
                             "signed yet."));
      return FALSE;
    }

  /* Back at the login form: the site's session is gone. */
  if (kind == EIMZA_EONAY_PAGE_LOGIN && expected != EIMZA_EONAY_PAGE_LOGIN)
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
static char *
take_code (EimzaEonaySession  *self,
           EimzaEonayPage     *page,
           GError            **error)
{
  const char *code;

  if (!check_page (self, page, EIMZA_EONAY_PAGE_CODE, error))
    return NULL;

  code = eimza_eonay_page_get_code (page);
  if (code == NULL)
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
                           eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
      return NULL;
    }

  return g_strdup (code);
}

static EimzaEonayStatus *
status_from_page (EimzaEonayPage *page)
{
  EimzaEonayStatus *status = g_new0 (EimzaEonayStatus, 1);

  status->active = eimza_eonay_page_get_eonay_active (page);
  if (!status->active)
    {
      status->explanation = g_strdup (eimza_eonay_page_get_explanation (page));
      status->commitment = g_strdup (eimza_eonay_page_get_commitment (page));
    }
  status->time_limit = eimza_eonay_page_get_time_limit (page);
  return status;
}

static void
remember_page (EimzaEonaySession *self,
               EimzaEonayPage    *page)
{
  if (eimza_eonay_page_get_kind (page) != EIMZA_EONAY_PAGE_UNKNOWN)
    g_set_object (&self->page, page);
}

static void step_page_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
step_get (GTask          *task,
          EimzaEonayPath  path)
{
  EimzaEonaySession *self = g_task_get_source_object (task);
  g_autoptr(GUri) uri = resolve_path (self, path);

  request_async (self, uri, NULL, NULL, EXPECT_PAGE, g_task_get_cancellable (task),
                 step_page_cb, g_object_ref (task));
}

static void
step_post (GTask          *task,
           EimzaEonayPath  path,
           GBytes         *body)
{
  EimzaEonaySession *self = g_task_get_source_object (task);
  g_autoptr(GUri) uri = resolve_path (self, path);

  request_async (self, uri, body, "application/x-www-form-urlencoded", EXPECT_PAGE,
                 g_task_get_cancellable (task), step_page_cb, g_object_ref (task));
}

/* The login's second request: the T.C. Kimlik No from the form just loaded. */
static void
post_tckn (GTask *task)
{
  EimzaEonaySession *self = g_task_get_source_object (task);
  StepData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  EimzaPortalFormBody *form_body = body_new (self->page);

  eimza_portal_form_body_add (form_body, eimza_eonay_profile_get_field (self->nes, EIMZA_EONAY_FIELD_TCKN),
               data->tckn);
  body = body_end (self, self->page, form_body, EIMZA_EONAY_SUBMIT_LOGIN);
  step_post (task, EIMZA_EONAY_PATH_LOGIN, body);
}

static void
step_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (object);
  g_autoptr(GTask) task = user_data;
  StepData *data = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  EimzaEonayPage *page;
  EimzaEonayPageKind kind;
  GError *error = NULL;
  char *code;

  response = request_finish (self, result, &error);
  if (response == NULL)
    {
      eimza_site_client_step_return_error (task, error);
      return;
    }

  page = response->page;
  kind = eimza_eonay_page_get_kind (page);
  remember_page (self, page);

  switch (data->step)
    {
    case STEP_LOG_IN:
      /* First the form (a fresh session may still show the expiry message
       * of the one it replaces), then the code page. */
      if (!data->posted)
        {
          if (kind != EIMZA_EONAY_PAGE_LOGIN && kind != EIMZA_EONAY_PAGE_SESSION_EXPIRED)
            {
              check_page (self, page, EIMZA_EONAY_PAGE_LOGIN, &error);
              eimza_site_client_step_return_error (task, error);
              return;
            }
          data->posted = TRUE;
          self->holder = g_strdup (eimza_eonay_page_get_holder (page));
          post_tckn (task);
          return;
        }

      code = take_code (self, page, &error);
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

    case STEP_CONSENT:
      code = take_code (self, page, &error);
      if (code == NULL)
        eimza_site_client_step_return_error (task, error);
      else
        eimza_site_client_step_return_pointer (task, code, g_free);
      return;

    case STEP_OPEN_EONAY:
    case STEP_GET_STATUS:
    case STEP_CANCEL_EONAY:
      if (!check_page (self, page, EIMZA_EONAY_PAGE_EONAY, &error))
        {
          eimza_site_client_step_return_error (task, error);
          return;
        }
      if (data->step == STEP_OPEN_EONAY)
        eimza_site_client_step_return_pointer (task, status_from_page (page), (GDestroyNotify) eimza_eonay_status_free);
      else if (data->step == STEP_GET_STATUS)
        eimza_site_client_step_return_boolean (task, eimza_eonay_page_get_eonay_active (page));
      else if (eimza_eonay_page_get_eonay_active (page))
        {
          /* The site took the cancellation but still says active. */
          eimza_site_client_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
        }
      else
        eimza_site_client_step_return_boolean (task, TRUE);
      return;

    case STEP_FETCH_SIGN_DATA:
    case STEP_UPLOAD_SIGNATURE:
    default:
      g_assert_not_reached ();
    }
}

void
eimza_eonay_session_log_in_async (EimzaEonaySession   *self,
                                  const char          *tckn,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StepData *data;

  g_return_if_fail (EIMZA_IS_EONAY_SESSION (self));
  g_return_if_fail (tckn != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_begin (self, STEP_LOG_IN, eimza_eonay_session_log_in_async,
                     EIMZA_EONAY_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  data->tckn = g_strstrip (g_strdup (tckn));

  /* A new login forgets the old one: the site starts it over too. */
  g_clear_object (&self->page);
  g_clear_pointer (&self->tckn, g_free);
  g_clear_pointer (&self->holder, g_free);

  step_get (task, EIMZA_EONAY_PATH_LOGIN);
}

char *
eimza_eonay_session_log_in_finish (EimzaEonaySession  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_eonay_session_log_in_async, error);
}

/* The deadline on this computer's clock, from the seconds the site says
 * are left; its absolute deadline only when it says nothing else. */
static GDateTime *
parse_deadline (EimzaEonaySession  *self,
                SoupMessageHeaders *headers)
{
  const char *seconds = soup_message_headers_get_one (headers,
                                                      eimza_eonay_profile_get_header (self->nes, EIMZA_EONAY_HEADER_SECONDS_LEFT));
  const char *deadline = soup_message_headers_get_one (headers,
                                                       eimza_eonay_profile_get_header (self->nes, EIMZA_EONAY_HEADER_DEADLINE));
  guint64 left;

  if (seconds != NULL && g_ascii_string_to_unsigned (seconds, 10, 0, 24 * 60 * 60, &left, NULL))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      return g_date_time_add_seconds (now, (gdouble) left);
    }

  return deadline != NULL ? g_date_time_new_from_iso8601 (deadline, NULL) : NULL;
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (object);
  g_autoptr(GTask) task = user_data;
  StepData *data = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  g_autoptr(EimzaEonaySignData) sign_data = NULL;
  GError *error = NULL;
  const char *purpose;

  response = request_finish (self, result, &error);
  if (response == NULL)
    {
      eimza_site_client_step_return_error (task, error);
      return;
    }

  if (g_bytes_get_size (response->body) == 0)
    {
      eimza_site_client_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
      return;
    }

  purpose = soup_message_headers_get_one (response->headers,
                                          eimza_eonay_profile_get_header (self->nes, EIMZA_EONAY_HEADER_PURPOSE));
  sign_data = g_new0 (EimzaEonaySignData, 1);
  sign_data->code = g_strdup (data->code);
  sign_data->purpose = eimza_eonay_profile_parse_purpose (self->nes, purpose);
  sign_data->data = g_bytes_ref (response->body);
  sign_data->deadline = parse_deadline (self, response->headers);

  eimza_site_client_step_return_pointer (task, g_steal_pointer (&sign_data),
                       (GDestroyNotify) eimza_eonay_sign_data_free);
}

void
eimza_eonay_session_fetch_sign_data_async (EimzaEonaySession   *self,
                                           const char          *code,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  StepData *data;

  g_return_if_fail (EIMZA_IS_EONAY_SESSION (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_begin (self, STEP_FETCH_SIGN_DATA, eimza_eonay_session_fetch_sign_data_async,
                     EIMZA_EONAY_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  data->code = g_strstrip (g_strdup (code));
  uri = resolve_signer (self, EIMZA_EONAY_PATH_SIGN_DATA, data->code);
  request_async (self, uri, NULL, NULL, EXPECT_SIGNER, cancellable, fetch_cb,
                 g_steal_pointer (&task));
}

EimzaEonaySignData *
eimza_eonay_session_fetch_sign_data_finish (EimzaEonaySession  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_eonay_session_fetch_sign_data_async, error);
}

/* The upload of the code @data names is over: accepted, or (@error) not. */
static void
upload_return (GTask  *task,
               GError *error)
{
  EimzaEonaySession *self = g_task_get_source_object (task);
  StepData *data = g_task_get_task_data (task);

  if (g_strcmp0 (self->uncertain_code, data->code) == 0 &&
      !g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_clear_pointer (&self->uncertain_code, g_free);

  if (error != NULL)
    eimza_site_client_step_return_error (task, error);
  else
    eimza_site_client_step_return_boolean (task, TRUE);
}

/* The signer's answer about the code after a lost upload answer: the code
 * used up is our signature, arrived; the data still handed out is a
 * definite "not arrived" (the upload's own error: sending the same
 * signature again is safe); a question that failed too leaves it unknown. */
static void
upload_check_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (object);
  g_autoptr(GTask) task = user_data;
  StepData *data = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  GError *error = NULL;

  response = request_finish (self, result, &error);
  if (response != NULL)
    {
      upload_return (task, g_steal_pointer (&data->upload_error));
      return;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID))
    {
      g_debug ("The signer has the code as used: the lost upload arrived");
      g_error_free (error);
      upload_return (task, NULL);
      return;
    }

  if (eimza_portal_error_can_retry (error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Whether the upload arrived is unknown: %s", error->message);
      g_error_free (error);
      error = eimza_site_client_error_new (EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN);
    }

  upload_return (task, error);
}

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  EimzaEonaySession *self = EIMZA_EONAY_SESSION (object);
  g_autoptr(GTask) task = user_data;
  StepData *data = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  g_autoptr(GUri) uri = NULL;
  GError *error = NULL;

  response = request_finish (self, result, &error);
  if (response != NULL)
    {
      upload_return (task, NULL);
      return;
    }

  /* Refused as used after an answer of ours was lost: ours, arrived. */
  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID) &&
      g_strcmp0 (self->uncertain_code, data->code) == 0)
    {
      g_debug ("The code is used: the upload whose answer was lost arrived");
      g_error_free (error);
      upload_return (task, NULL);
      return;
    }

  if (!g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK) &&
      !g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT) &&
      !g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SERVER))
    {
      upload_return (task, error);
      return;
    }

  /* The answer was lost: before reporting, the signer is asked (a GET,
   * retried like the others) whether the code still waits. */
  g_debug ("The upload's answer was lost; asking the signer about the code");
  g_free (self->uncertain_code);
  self->uncertain_code = g_strdup (data->code);
  data->upload_error = error;
  uri = resolve_signer (self, EIMZA_EONAY_PATH_SIGN_DATA, data->code);
  request_async (self, uri, NULL, NULL, EXPECT_SIGNER, g_task_get_cancellable (task),
                 upload_check_cb, g_object_ref (task));
}

void
eimza_eonay_session_upload_signature_async (EimzaEonaySession   *self,
                                            const char          *code,
                                            GBytes              *cms,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  StepData *data;

  g_return_if_fail (EIMZA_IS_EONAY_SESSION (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (cms != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_begin (self, STEP_UPLOAD_SIGNATURE, eimza_eonay_session_upload_signature_async,
                     EIMZA_EONAY_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  data->code = g_strstrip (g_strdup (code));
  uri = resolve_signer (self, EIMZA_EONAY_PATH_SIGN_UPLOAD, data->code);
  request_async (self, uri, cms, SIGNATURE_CONTENT_TYPE, EXPECT_SIGNER, cancellable, upload_cb,
                 g_steal_pointer (&task));
}

gboolean
eimza_eonay_session_upload_signature_finish (EimzaEonaySession  *self,
                                             GAsyncResult       *result,
                                             GError            **error)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), FALSE);

  return eimza_site_client_propagate_boolean (self, result, eimza_eonay_session_upload_signature_async, error);
}

void
eimza_eonay_session_open_eonay_async (EimzaEonaySession   *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_EONAY_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_begin (self, STEP_OPEN_EONAY, eimza_eonay_session_open_eonay_async,
                     EIMZA_EONAY_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task != NULL)
    step_get (task, EIMZA_EONAY_PATH_EONAY);
}

EimzaEonayStatus *
eimza_eonay_session_open_eonay_finish (EimzaEonaySession  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_eonay_session_open_eonay_async, error);
}

void
eimza_eonay_session_consent_async (EimzaEonaySession   *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  EimzaPortalFormBody *form_body;

  g_return_if_fail (EIMZA_IS_EONAY_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_begin (self, STEP_CONSENT, eimza_eonay_session_consent_async,
                     EIMZA_EONAY_PAGE_EONAY, cancellable, callback, user_data);
  if (task == NULL)
    return;

  /* The page the person read; an active e-onay has nothing to consent to. */
  if (eimza_eonay_page_get_eonay_active (self->page))
    {
      eimza_site_client_step_return_error (task, g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_REJECTED,
                                                    _("The e-onay is already active.")));
      return;
    }

  form_body = body_new (self->page);
  eimza_portal_form_body_add (form_body, eimza_eonay_profile_get_field (self->nes, EIMZA_EONAY_FIELD_CONSENT),
               eimza_eonay_profile_get_field (self->nes, EIMZA_EONAY_FIELD_CONSENT_VALUE));
  body = body_end (self, self->page, form_body, EIMZA_EONAY_SUBMIT_CONSENT);
  step_post (task, EIMZA_EONAY_PATH_EONAY, body);
}

char *
eimza_eonay_session_consent_finish (EimzaEonaySession  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_eonay_session_consent_async, error);
}

void
eimza_eonay_session_get_status_async (EimzaEonaySession   *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_EONAY_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_begin (self, STEP_GET_STATUS, eimza_eonay_session_get_status_async,
                     EIMZA_EONAY_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task != NULL)
    step_get (task, EIMZA_EONAY_PATH_EONAY);
}

gboolean
eimza_eonay_session_get_status_finish (EimzaEonaySession  *self,
                                       GAsyncResult       *result,
                                       gboolean           *out_active,
                                       GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean active;

  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        eimza_eonay_session_get_status_async, FALSE);

  active = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (out_active != NULL)
    *out_active = active;
  return TRUE;
}

void
eimza_eonay_session_cancel_eonay_async (EimzaEonaySession   *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (EIMZA_IS_EONAY_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_begin (self, STEP_CANCEL_EONAY, eimza_eonay_session_cancel_eonay_async,
                     EIMZA_EONAY_PAGE_EONAY, cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (!eimza_eonay_page_get_eonay_active (self->page))
    {
      eimza_site_client_step_return_error (task, g_error_new_literal (EIMZA_PORTAL_ERROR,
                                                    EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
                                                    _("There is no active e-onay to cancel.")));
      return;
    }

  body = body_end (self, self->page, body_new (self->page), EIMZA_EONAY_SUBMIT_CANCEL);
  step_post (task, EIMZA_EONAY_PATH_EONAY, body);
}

gboolean
eimza_eonay_session_cancel_eonay_finish (EimzaEonaySession  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SESSION (self), FALSE);

  return eimza_site_client_propagate_boolean (self, result, eimza_eonay_session_cancel_eonay_async, error);
}
