/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaNesClient: the signer's endpoints: the data to sign and the signature's upload. */
#include "config.h"

#include "eimza-nes-client-private.h"

/* What the signer is sent. */
#define SIGNATURE_CONTENT_TYPE "application/pkcs7-signature"

/* The signer's endpoint @path with the code as its query. */
GUri *
eimza_nes_client_resolve_signer (EimzaNesClient *self,
                                 EimzaEonayPath  path,
                                 const char     *code)
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

/* The deadline on this computer's clock, from the seconds the site says
 * are left; its absolute deadline only when it says nothing else. */
static GDateTime *
parse_deadline (EimzaNesClient     *self,
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
  EimzaNesClient *self = EIMZA_NES_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  EimzaEonayStepData *data = g_task_get_task_data (task);
  g_autoptr(EimzaEonayResponse) response = NULL;
  g_autoptr(EimzaEonaySignData) sign_data = NULL;
  GError *error = NULL;
  const char *purpose;

  response = eimza_nes_client_request_finish (self, result, &error);
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
eimza_nes_client_fetch_sign_data_async (EimzaNesClient      *self,
                                        const char          *code,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  EimzaEonayStepData *data;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_nes_client_step_begin (self, NES_STEP_FETCH_SIGN_DATA, eimza_nes_client_fetch_sign_data_async,
                                      EIMZA_NES_WEB_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  data->code = g_strstrip (g_strdup (code));
  uri = eimza_nes_client_resolve_signer (self, EIMZA_EONAY_PATH_SIGN_DATA, data->code);
  eimza_nes_client_request_async (self, uri, NULL, NULL, NES_EXPECT_SIGNER, cancellable, fetch_cb,
                                  g_steal_pointer (&task));
}

EimzaEonaySignData *
eimza_nes_client_fetch_sign_data_finish (EimzaNesClient  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_nes_client_fetch_sign_data_async, error);
}

/* The upload of the code @data names is over: accepted, or (@error) not. */
static void
upload_return (GTask  *task,
               GError *error)
{
  EimzaNesClient *self = g_task_get_source_object (task);
  EimzaEonayStepData *data = g_task_get_task_data (task);

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
  EimzaNesClient *self = EIMZA_NES_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  EimzaEonayStepData *data = g_task_get_task_data (task);
  g_autoptr(EimzaEonayResponse) response = NULL;
  GError *error = NULL;

  response = eimza_nes_client_request_finish (self, result, &error);
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
  EimzaNesClient *self = EIMZA_NES_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  EimzaEonayStepData *data = g_task_get_task_data (task);
  g_autoptr(EimzaEonayResponse) response = NULL;
  g_autoptr(GUri) uri = NULL;
  GError *error = NULL;

  response = eimza_nes_client_request_finish (self, result, &error);
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
  uri = eimza_nes_client_resolve_signer (self, EIMZA_EONAY_PATH_SIGN_DATA, data->code);
  eimza_nes_client_request_async (self, uri, NULL, NULL, NES_EXPECT_SIGNER, g_task_get_cancellable (task),
                                  upload_check_cb, g_object_ref (task));
}

void
eimza_nes_client_upload_signature_async (EimzaNesClient      *self,
                                         const char          *code,
                                         GBytes              *cms,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  EimzaEonayStepData *data;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (cms != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = eimza_nes_client_step_begin (self, NES_STEP_UPLOAD_SIGNATURE, eimza_nes_client_upload_signature_async,
                                      EIMZA_NES_WEB_PAGE_UNKNOWN, cancellable, callback, user_data);
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  data->code = g_strstrip (g_strdup (code));
  uri = eimza_nes_client_resolve_signer (self, EIMZA_EONAY_PATH_SIGN_UPLOAD, data->code);
  eimza_nes_client_request_async (self, uri, cms, SIGNATURE_CONTENT_TYPE, NES_EXPECT_SIGNER, cancellable, upload_cb,
                                  g_steal_pointer (&task));
}

gboolean
eimza_nes_client_upload_signature_finish (EimzaNesClient  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), FALSE);

  return eimza_site_client_propagate_boolean (self, result, eimza_nes_client_upload_signature_async, error);
}
