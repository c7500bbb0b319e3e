/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One conversation with the application portal: the object, one exchange, the steps' machinery. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-portal-session-private.h"

/* What the signer sends; the answer is the portal's next page. */
#define SIGNATURE_CONTENT_TYPE "application/pkcs7-signature"

static void eimza_portal_session_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EimzaPortalSession, eimza_portal_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      eimza_portal_session_initable_iface_init))

G_DEFINE_BOXED_TYPE (EimzaPortalSmsState, eimza_portal_sms_state,
                     eimza_portal_sms_state_copy, eimza_portal_sms_state_free)

G_DEFINE_BOXED_TYPE (EimzaPortalSignDocument, eimza_portal_sign_document,
                     eimza_portal_sign_document_copy, eimza_portal_sign_document_free)

enum {
  N_PROPS = EIMZA_SITE_CLIENT_N_PROPS
};

static GParamSpec *props[N_PROPS];

EimzaPortalSmsState *
eimza_portal_sms_state_copy (const EimzaPortalSmsState *state)
{
  EimzaPortalSmsState *copy;

  g_return_val_if_fail (state != NULL, NULL);

  copy = g_new0 (EimzaPortalSmsState, 1);
  copy->masked_phone = g_strdup (state->masked_phone);
  copy->attempts_left = state->attempts_left;
  copy->resend_seconds = state->resend_seconds;
  return copy;
}

void
eimza_portal_sms_state_free (EimzaPortalSmsState *state)
{
  if (state == NULL)
    return;

  g_free (state->masked_phone);
  g_free (state);
}

EimzaPortalSignDocument *
eimza_portal_sign_document_copy (const EimzaPortalSignDocument *document)
{
  EimzaPortalSignDocument *copy;

  g_return_val_if_fail (document != NULL, NULL);

  copy = g_new0 (EimzaPortalSignDocument, 1);
  copy->summary = g_strdup (document->summary);
  copy->commitment = g_strdup (document->commitment);
  copy->data = document->data != NULL ? g_bytes_ref (document->data) : NULL;
  copy->deadline = document->deadline != NULL ? g_date_time_ref (document->deadline) : NULL;
  return copy;
}

void
eimza_portal_sign_document_free (EimzaPortalSignDocument *document)
{
  if (document == NULL)
    return;

  g_free (document->summary);
  g_free (document->commitment);
  g_clear_pointer (&document->data, g_bytes_unref);
  g_clear_pointer (&document->deadline, g_date_time_unref);
  g_free (document);
}

static gboolean
eimza_portal_session_initable_init (GInitable     *initable,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (initable);
  g_autoptr(GTlsDatabase) database = NULL;
  const char *url;

  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self->site.profile), FALSE);

  url = self->site.base_url != NULL ? self->site.base_url
                                    : eimza_portal_profile_get_base_url (self->site.profile);
  if (!eimza_site_client_set_origin (&self->site, url, &database, error))
    return FALSE;

  /* The system's trust store unless a loopback test CA was given;
   * verification itself is never turned off. */
  self->site.soup = eimza_site_client_soup_new (self->site.timeout, database, NULL,
                                               &self->site.cookie_jar);

  return TRUE;
}

static void
eimza_portal_session_initable_iface_init (GInitableIface *iface)
{
  iface->init = eimza_portal_session_initable_init;
}

static void
eimza_portal_session_dispose (GObject *object)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (object);

  eimza_site_client_dispose (&self->site);
  g_clear_object (&self->page);
  g_clear_pointer (&self->page_uri, g_uri_unref);
  g_clear_pointer (&self->sign_upload_uri, g_uri_unref);

  G_OBJECT_CLASS (eimza_portal_session_parent_class)->dispose (object);
}

static void
eimza_portal_session_finalize (GObject *object)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (object);

  eimza_site_client_finalize (&self->site);
  g_clear_pointer (&self->field_errors, g_hash_table_unref);
  g_clear_pointer (&self->sms_state, eimza_portal_sms_state_free);

  G_OBJECT_CLASS (eimza_portal_session_parent_class)->finalize (object);
}

static void
eimza_portal_session_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (object);

  if (!eimza_site_client_get_property (&self->site, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
eimza_portal_session_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (object);

  if (!eimza_site_client_set_property (&self->site, object, props, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
eimza_portal_session_class_init (EimzaPortalSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_portal_session_dispose;
  object_class->finalize = eimza_portal_session_finalize;
  object_class->get_property = eimza_portal_session_get_property;
  object_class->set_property = eimza_portal_session_set_property;

  eimza_site_client_class_props (props, EIMZA_PORTAL_SESSION_DEFAULT_TIMEOUT);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
eimza_portal_session_init (EimzaPortalSession *self)
{
  eimza_site_client_init (&self->site, EIMZA_PORTAL_SESSION_DEFAULT_TIMEOUT);
  self->field_errors = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
}

EimzaPortalSession *
eimza_portal_session_new (EimzaPortalProfile  *profile,
                          const char          *base_url,
                          const char          *ca_file,
                          GError             **error)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (profile), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (EIMZA_TYPE_PORTAL_SESSION, NULL, error,
                         "profile", profile,
                         "base-url", base_url,
                         "ca-file", ca_file,
                         NULL);
}

EimzaPortalProfile *
eimza_portal_session_get_profile (EimzaPortalSession *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return self->site.profile;
}

const char *
eimza_portal_session_get_base_url (EimzaPortalSession *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return self->site.base_url;
}

guint
eimza_portal_session_get_timeout (EimzaPortalSession *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), 0);

  return self->site.timeout;
}

void
eimza_portal_session_set_timeout (EimzaPortalSession *self,
                                  guint               seconds)
{
  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (seconds > 0);

  eimza_site_client_set_timeout (&self->site, G_OBJECT (self),
                                 props[EIMZA_SITE_CLIENT_PROP_TIMEOUT], seconds);
}

guint
eimza_portal_session_get_deadline (EimzaPortalSession *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), 0);

  return self->site.deadline;
}

void
eimza_portal_session_set_deadline (EimzaPortalSession *self,
                                   guint               seconds)
{
  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (self));
  g_return_if_fail (seconds > 0);

  eimza_site_client_set_deadline (&self->site, G_OBJECT (self),
                                  props[EIMZA_SITE_CLIENT_PROP_DEADLINE], seconds);
}

SoupSession *
eimza_portal_session_get_soup_session (EimzaPortalSession *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return self->site.soup;
}

GUri *
eimza_portal_session_resolve (EimzaPortalSession *self,
                              const char         *path)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_uri_parse_relative (self->site.base_uri, path, G_URI_FLAGS_NONE, NULL);
}

GHashTable *
eimza_portal_session_get_field_errors (EimzaPortalSession *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return self->field_errors;
}

const char *
eimza_portal_session_get_field_error (EimzaPortalSession *self,
                                      EimzaField          field)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);
  g_return_val_if_fail (field < EIMZA_N_FIELDS, NULL);

  return g_hash_table_lookup (self->field_errors, GINT_TO_POINTER (field));
}

const EimzaPortalSmsState *
eimza_portal_session_get_sms_state (EimzaPortalSession *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_SESSION (self), NULL);

  return self->sms_state;
}

/* ------------------------------------------------------------------------
 * One HTTP exchange: send, follow same-origin redirects, read the body with
 * a size limit, retry idempotent requests, parse.
 * ------------------------------------------------------------------------ */


static gboolean
take_new_connection (GObject *source)
{
  return eimza_site_client_take_new_connection (&EIMZA_PORTAL_SESSION (source)->site);
}

static const EimzaPortalRequestOptions request_options = {
  .log_prefix = "",
  .peer = "portal",
  .take_new_connection = take_new_connection,
  .connect_ahead = TRUE,
};

/* The signer's refusals are read by signer_refusal(). */
static const EimzaPortalRequestOptions signer_options = {
  .log_prefix = "",
  .peer = "portal",
  .accept_client_errors = TRUE,
  .take_new_connection = take_new_connection,
  .connect_ahead = TRUE,
};

void
eimza_portal_response_free (EimzaPortalResponse *response)
{
  g_clear_object (&response->page);
  g_clear_pointer (&response->image, g_bytes_unref);
  g_clear_pointer (&response->document, g_bytes_unref);
  g_clear_pointer (&response->uri, g_uri_unref);
  g_free (response);
}


static void
fail_unexpected (GTask      *task,
                 const char *why)
{
  g_task_return_error (task, eimza_portal_request_unexpected (&request_options, why));
}

/* The signer refuses with a status and one sentence of its own
 * (docs/portal-protocol.md): the status says what it means, the sentence
 * is what people read. */
static GError *
signer_refusal (EimzaPortalSession *self,
                EimzaPortalReply   *reply)
{
  g_autofree char *text = eimza_site_client_refusal_text (reply->headers, reply->body);
  EimzaPortalError code;

  if (!eimza_site_client_refusal_code (reply->status, &code) &&
      (text == NULL || !eimza_portal_profile_classify_message (self->site.profile, text, &code)))
    code = EIMZA_PORTAL_ERROR_REJECTED;

  g_debug ("The portal's signer refused with %u", reply->status);
  return g_error_new_literal (EIMZA_PORTAL_ERROR, code,
                              text != NULL ? text : eimza_portal_error_describe (code));
}

static gboolean
is_html (const char *content_type)
{
  return content_type != NULL &&
         (g_ascii_strcasecmp (content_type, "text/html") == 0 ||
          g_ascii_strcasecmp (content_type, "application/xhtml+xml") == 0);
}

static void
request_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaPortalSession *self = g_task_get_source_object (task);
  EimzaPortalExpect expect = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(EimzaPortalReply) reply = NULL;
  g_autoptr(EimzaPortalResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type;

  reply = eimza_portal_request_finish (object, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if ((expect == PORTAL_EXPECT_DOCUMENT || expect == PORTAL_EXPECT_UPLOAD) &&
      SOUP_STATUS_IS_CLIENT_ERROR (reply->status))
    {
      g_task_return_error (task, signer_refusal (self, reply));
      return;
    }

  content_type = soup_message_headers_get_content_type (reply->headers, NULL);
  response = g_new0 (EimzaPortalResponse, 1);
  response->uri = g_uri_ref (reply->uri);

  /* A page where the document was expected (a sign-in page, an error
   * page) must never be handed out for signing; the parser says which. */
  if (expect == PORTAL_EXPECT_DOCUMENT && !is_html (content_type))
    {
      if (g_bytes_get_size (reply->body) == 0)
        {
          fail_unexpected (task, "empty document to sign");
          return;
        }
      response->document = g_steal_pointer (&reply->body);
      g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) eimza_portal_response_free);
      return;
    }

  if (expect == PORTAL_EXPECT_IMAGE &&
      content_type != NULL && g_str_has_prefix (content_type, "image/"))
    {
      if (g_bytes_get_size (reply->body) == 0)
        {
          fail_unexpected (task, "empty image");
          return;
        }
      response->image = g_steal_pointer (&reply->body);
      g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) eimza_portal_response_free);
      return;
    }

  /* A page where an image was expected is most likely the sign-in page of
   * an expired session; the parser tells. */
  response->page = eimza_portal_web_page_parse (self->site.profile, reply->body, &error);
  if (response->page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if ((expect == PORTAL_EXPECT_IMAGE || expect == PORTAL_EXPECT_DOCUMENT) &&
      eimza_portal_web_page_get_kind (response->page) != EIMZA_PORTAL_WEB_PAGE_SESSION_EXPIRED)
    {
      fail_unexpected (task, expect == PORTAL_EXPECT_IMAGE ? "a page instead of the captcha image"
                                                    : "a page instead of the document to sign");
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) eimza_portal_response_free);
}

/* @body: (nullable): makes it a POST. */
void
eimza_portal_session_request_async (EimzaPortalSession  *self,
                                    GUri                *uri,
                                    GBytes              *body,
                                    EimzaPortalExpect    expect,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, eimza_portal_session_request_async);
  g_task_set_task_data (task, GINT_TO_POINTER (expect), NULL);

  eimza_portal_request_async (G_OBJECT (self), self->site.soup,
                              expect == PORTAL_EXPECT_DOCUMENT || expect == PORTAL_EXPECT_UPLOAD
                                ? &signer_options : &request_options,
                              uri, body,
                              expect == PORTAL_EXPECT_UPLOAD ? SIGNATURE_CONTENT_TYPE
                                                      : "application/x-www-form-urlencoded",
                              self->site.deadline, cancellable, request_done_cb, g_steal_pointer (&task));
}

EimzaPortalResponse *
eimza_portal_session_request_finish (EimzaPortalSession  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  return eimza_site_client_propagate_pointer (self, result, eimza_portal_session_request_async, error);
}

/* ------------------------------------------------------------------------
 * The steps.
 * ------------------------------------------------------------------------ */


static void
eimza_portal_step_data_free (EimzaPortalStepData *data)
{
  g_clear_object (&data->form);
  g_clear_object (&data->sign_page);
  g_clear_pointer (&data->deadline, g_date_time_unref);
  g_clear_error (&data->upload_error);
  g_free (data);
}

/* An upload whose answer was lost, after the portal was asked whether the
 * application was made (@error is that question's failure): still waiting
 * is a definite "not yet", anything the question could not tell is
 * %EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN. */
static GError *
upload_resolved_error (EimzaPortalStepData *data,
                       GError              *error)
{
  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE))
    {
      g_error_free (error);
      return g_steal_pointer (&data->upload_error);
    }

  if (eimza_portal_error_can_retry (error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Whether the upload arrived is unknown: %s", error->message);
      g_error_free (error);
      return eimza_site_client_error_new (EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN);
    }

  return error;
}

/* Every step ends here, so that the next one may start from the callback. */
void
eimza_portal_session_step_return_error (GTask  *task,
                                        GError *error)
{
  EimzaPortalSession *self = g_task_get_source_object (task);
  EimzaPortalStepData *data = g_task_get_task_data (task);

  if (data->upload_error != NULL)
    error = upload_resolved_error (data, error);
  /* The portal waits no more, or forgot the session: nothing can arrive. */
  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED) ||
      g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    self->upload_uncertain = FALSE;

  eimza_site_client_step_return_error (task, error);
}

/* A new step task, or NULL when it was refused: another step is running, or
 * the current page is not the one the step starts from (the portal's
 * session ended, or SMS approval was locked). */
GTask *
eimza_portal_session_step_begin (EimzaPortalSession     *self,
                                 EimzaPortalStep         step,
                                 gpointer                source_tag,
                                 EimzaPortalWebPageKind  from_page,
                                 EimzaRenewalForm       *form,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  EimzaPortalStepData *data = g_new0 (EimzaPortalStepData, 1);
  gboolean at_page = from_page == EIMZA_PORTAL_WEB_PAGE_UNKNOWN ||
                     (self->page != NULL && eimza_portal_web_page_get_kind (self->page) == from_page);

  data->step = step;
  data->form = form != NULL ? g_object_ref (form) : NULL;
  return eimza_site_client_step_begin (&self->site, self, source_tag, "Portal", step, at_page,
                                       data, (GDestroyNotify) eimza_portal_step_data_free,
                                       cancellable, callback, user_data);
}

GUri *
eimza_portal_session_resolve_path (EimzaPortalSession *self,
                                   EimzaPortalPath     path)
{
  return eimza_portal_session_resolve (self, eimza_portal_profile_get_path (self->site.profile, path));
}

/* A body that starts with the current page's hidden fields (the view
 * state); it holds personal data, so it is built in wiped memory. */
EimzaPortalFormBody *
eimza_portal_session_body_new (EimzaPortalSession *self)
{
  return eimza_portal_form_body_new_with_hidden (eimza_portal_web_page_get_hidden_names (self->page),
                                                 eimza_portal_web_page_get_hidden_values (self->page));
}

/* Ends @body (taken) with @submit's button. */
GBytes *
eimza_portal_session_body_end (EimzaPortalSession  *self,
                               EimzaPortalFormBody *body,
                               EimzaPortalSubmit    submit)
{
  const char *name = eimza_portal_profile_get_submit_name (self->site.profile, submit);

  return eimza_portal_form_body_end_submit (body, name,
                                            eimza_portal_web_page_get_submit_value (self->page, name));
}

/* The page that came back is where the portal is now: the next POST needs
 * its view state, an address on it is resolved against where it came from. */
void
eimza_portal_session_remember_page (EimzaPortalSession  *self,
                                    EimzaPortalResponse *response)
{
  g_set_object (&self->page, response->page);
  g_clear_pointer (&self->page_uri, g_uri_unref);
  self->page_uri = g_uri_ref (response->uri);
}

void
eimza_portal_session_clear_field_errors (EimzaPortalSession *self)
{
  g_hash_table_remove_all (self->field_errors);
}

void
eimza_portal_session_update_sms_state (EimzaPortalSession *self,
                                       EimzaPortalWebPage *page)
{
  EimzaPortalSmsState *state = g_new0 (EimzaPortalSmsState, 1);

  state->masked_phone = g_strdup (eimza_portal_web_page_get_masked_phone (page));
  state->attempts_left = eimza_portal_web_page_get_attempts_left (page);
  state->resend_seconds = eimza_portal_web_page_get_resend_seconds (page);

  g_clear_pointer (&self->sms_state, eimza_portal_sms_state_free);
  self->sms_state = state;
}

/* Whether @page is the step's @expected page without complaints; otherwise
 * sets @error from what the page says. */
gboolean
eimza_portal_session_check_page (EimzaPortalSession      *self,
                                 EimzaPortalWebPage      *page,
                                 EimzaPortalWebPageKind   expected,
                                 GError                 **error)
{
  const char * const *errors = eimza_portal_web_page_get_errors (page);
  GHashTable *field_errors = eimza_portal_web_page_get_field_errors (page);
  EimzaPortalWebPageKind kind = eimza_portal_web_page_get_kind (page);
  const char *classified = NULL;
  EimzaPortalError code = EIMZA_PORTAL_ERROR_REJECTED;
  GHashTableIter iter;
  gpointer key, value;

  if (kind == expected && errors[0] == NULL && g_hash_table_size (field_errors) == 0)
    return TRUE;

  if (kind == EIMZA_PORTAL_WEB_PAGE_SESSION_EXPIRED)
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED,
                           errors[0] != NULL ? errors[0]
                                             : eimza_portal_error_describe (EIMZA_PORTAL_ERROR_SESSION_EXPIRED));
      return FALSE;
    }

  g_hash_table_iter_init (&iter, field_errors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (self->field_errors, key, g_strdup (value));

  /* The portal's own words, as it wrote them, classified by the profile. */
  for (guint i = 0; errors[i] != NULL && classified == NULL; i++)
    {
      if (eimza_portal_profile_classify_message (self->site.profile, errors[i], &code))
        classified = errors[i];
    }

  if (classified != NULL && code != EIMZA_PORTAL_ERROR_INVALID_FIELDS)
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, code, classified);
      return FALSE;
    }

  if (classified != NULL || g_hash_table_size (field_errors) > 0)
    {
      if (classified == NULL)
        classified = errors[0] != NULL ? errors[0]
                                       : eimza_portal_error_describe (EIMZA_PORTAL_ERROR_INVALID_FIELDS);
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_INVALID_FIELDS, classified);
      return FALSE;
    }

  if (errors[0] != NULL)
    {
      g_autofree char *all = g_strjoinv ("\n", (char **) errors);

      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_REJECTED, all);
      return FALSE;
    }

  g_debug ("Expected page kind %d, got %d", expected, kind);
  g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
                       eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
  return FALSE;
}

/* Institution fields always come from the portal; other values only fill
 * what is still empty, so nothing the person typed is overwritten. */
void
eimza_portal_session_fill_form (EimzaPortalWebPage *page,
                                EimzaRenewalForm   *form)
{
  static const EimzaField institution_fields[] = {
    EIMZA_FIELD_INSTITUTION_REGISTRY_NO,
    EIMZA_FIELD_INSTITUTION_NAME,
  };

  for (guint i = 0; i < G_N_ELEMENTS (institution_fields); i++)
    {
      EimzaField field = institution_fields[i];
      const char *value = eimza_portal_web_page_get_identity_value (page, field);

      if (value == NULL)
        value = eimza_portal_web_page_get_form_value (page, field);
      if (value != NULL)
        eimza_renewal_form_set_value (form, field, value);
    }

  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      const char *value = eimza_portal_web_page_get_form_value (page, field);

      if (eimza_renewal_form_field_step (field) != EIMZA_STEP_FORM ||
          field == EIMZA_FIELD_INSTITUTION_REGISTRY_NO ||
          field == EIMZA_FIELD_INSTITUTION_NAME ||
          value == NULL)
        continue;

      if (*eimza_renewal_form_get_value (form, field) == '\0')
        eimza_renewal_form_set_value (form, field, value);
    }
}

/* Every step that ends on a page of the portal: the POSTs, the upload and
 * the look at the application. */
void
eimza_portal_session_step_post_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  EimzaPortalSession *self = EIMZA_PORTAL_SESSION (object);
  g_autoptr(GTask) task = user_data;
  EimzaPortalStepData *data = g_task_get_task_data (task);
  g_autoptr(EimzaPortalResponse) response = NULL;
  EimzaPortalWebPage *page;
  EimzaPortalWebPageKind kind;
  GError *error = NULL;
  static const EimzaPortalWebPageKind expected[] = {
    [PORTAL_STEP_LOG_IN] = EIMZA_PORTAL_WEB_PAGE_FORM,
    [PORTAL_STEP_SUBMIT_FORM] = EIMZA_PORTAL_WEB_PAGE_SMS,
    [PORTAL_STEP_SEND_SMS] = EIMZA_PORTAL_WEB_PAGE_SMS,
    [PORTAL_STEP_VERIFY_SMS] = EIMZA_PORTAL_WEB_PAGE_METHOD,
    [PORTAL_STEP_APPLY_WITH_EONAY] = EIMZA_PORTAL_WEB_PAGE_RESULT,
    [PORTAL_STEP_BEGIN_ESIGNED] = EIMZA_PORTAL_WEB_PAGE_ESIGNED,
    [PORTAL_STEP_UPLOAD_SIGNATURE] = EIMZA_PORTAL_WEB_PAGE_RESULT,
    [PORTAL_STEP_CHECK_APPLICATION] = EIMZA_PORTAL_WEB_PAGE_RESULT,
    [PORTAL_STEP_RELOAD_METHOD] = EIMZA_PORTAL_WEB_PAGE_METHOD,
  };

  response = eimza_portal_session_request_finish (self, result, &error);
  if (response == NULL && data->step == PORTAL_STEP_UPLOAD_SIGNATURE &&
      eimza_portal_session_upload_may_have_arrived (self, error))
    {
      eimza_portal_session_resolve_upload (task, error);
      return;
    }
  if (response == NULL)
    {
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  page = response->page;
  g_assert (page != NULL);
  kind = eimza_portal_web_page_get_kind (page);

  /* Whatever page came back is where the portal is now; the next POST
   * needs its view state. */
  if (kind != EIMZA_PORTAL_WEB_PAGE_UNKNOWN)
    eimza_portal_session_remember_page (self, response);
  if (kind == EIMZA_PORTAL_WEB_PAGE_SMS)
    eimza_portal_session_update_sms_state (self, page);
  if (kind == EIMZA_PORTAL_WEB_PAGE_SESSION_EXPIRED || kind == EIMZA_PORTAL_WEB_PAGE_LOGIN)
    g_clear_pointer (&self->sign_upload_uri, g_uri_unref);

  /* The e-signed application's page without a code: too late to sign. */
  if (kind == EIMZA_PORTAL_WEB_PAGE_ESIGNED && eimza_portal_web_page_get_sign_upload_url (page) == NULL &&
      (data->step == PORTAL_STEP_BEGIN_ESIGNED || data->step == PORTAL_STEP_CHECK_APPLICATION))
    {
      g_clear_pointer (&self->sign_upload_uri, g_uri_unref);
      eimza_portal_session_step_return_error (task, eimza_portal_session_sign_page_expired (page));
      return;
    }

  /* No application yet: the portal still waits for the signature. */
  if (data->step == PORTAL_STEP_CHECK_APPLICATION &&
      (kind == EIMZA_PORTAL_WEB_PAGE_ESIGNED || kind == EIMZA_PORTAL_WEB_PAGE_METHOD) &&
      eimza_portal_web_page_get_errors (page)[0] == NULL)
    {
      eimza_portal_session_step_return_error (task, g_error_new_literal (EIMZA_PORTAL_ERROR,
                                                                         EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
                                                                         _("The portal has no application from "
                                                                           "this session yet.")));
      return;
    }

  if (!eimza_portal_session_check_page (self, page, expected[data->step], &error))
    {
      eimza_portal_session_step_return_error (task, error);
      return;
    }

  switch (data->step)
    {
    case PORTAL_STEP_LOG_IN:
      eimza_portal_session_fill_form (page, data->form);
      eimza_site_client_step_return_boolean (task, TRUE);
      break;

    case PORTAL_STEP_SUBMIT_FORM:
    case PORTAL_STEP_SEND_SMS:
      eimza_site_client_step_return_pointer (task, eimza_portal_sms_state_copy (self->sms_state),
                                             (GDestroyNotify) eimza_portal_sms_state_free);
      break;

    case PORTAL_STEP_VERIFY_SMS:
    case PORTAL_STEP_RELOAD_METHOD:
      eimza_site_client_step_return_boolean (task, eimza_portal_web_page_get_eonay_available (page));
      break;

    case PORTAL_STEP_APPLY_WITH_EONAY:
    case PORTAL_STEP_UPLOAD_SIGNATURE:
    case PORTAL_STEP_CHECK_APPLICATION:
      self->upload_uncertain = FALSE;
      eimza_site_client_step_return_pointer (task, g_strdup (eimza_portal_web_page_get_application_number (page)),
                                             g_free);
      break;

    case PORTAL_STEP_BEGIN_ESIGNED:
      eimza_portal_session_begin_esigned_page (task, page);
      break;

    case PORTAL_STEP_OPEN:
    case PORTAL_STEP_REFRESH_CAPTCHA:
    case PORTAL_STEP_RESTART:
    default:
      g_assert_not_reached ();
    }
}

void
eimza_portal_session_step_post (GTask           *task,
                                EimzaPortalPath  path,
                                GBytes          *body)
{
  EimzaPortalSession *self = g_task_get_source_object (task);
  g_autoptr(GUri) uri = eimza_portal_session_resolve_path (self, path);

  eimza_portal_session_request_async (self, uri, body, PORTAL_EXPECT_PAGE, g_task_get_cancellable (task),
                                      eimza_portal_session_step_post_cb, g_object_ref (task));
}

