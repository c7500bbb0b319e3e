/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PKCS#11 work queued on the card service's worker thread, for the main thread. */
#include "config.h"

#include "eimza-pkcs11.h"

/* The jobs below run on the worker thread; their data is owned by the
 * GTask of eimza_card_service_run_async() and freed on either thread. */

static gpointer
set_module_path_job (EimzaCardWorker  *worker,
                     gpointer          job_data,
                     GCancellable     *cancellable,
                     GError          **error)
{
  eimza_pkcs11_set_extra_module (eimza_pkcs11_from_worker (worker), job_data);
  return NULL;
}

void
eimza_pkcs11_set_module_path (EimzaCardService *service,
                              const char       *path)
{
  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));

  eimza_card_service_run_async (service, set_module_path_job, g_strdup (path), g_free, NULL,
                                NULL, NULL, NULL);
}

static gpointer
set_only_module_job (EimzaCardWorker  *worker,
                     gpointer          job_data,
                     GCancellable     *cancellable,
                     GError          **error)
{
  eimza_pkcs11_set_only_module (eimza_pkcs11_from_worker (worker), job_data);
  return NULL;
}

void
eimza_pkcs11_set_only_module_path (EimzaCardService *service,
                                   const char       *path)
{
  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));

  eimza_card_service_run_async (service, set_only_module_job, g_strdup (path), g_free, NULL,
                                NULL, NULL, NULL);
}

static gpointer
list_modules_job (EimzaCardWorker  *worker,
                  gpointer          job_data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  return eimza_pkcs11_list_modules (eimza_pkcs11_from_worker (worker), error);
}

void
eimza_pkcs11_list_modules_async (EimzaCardService    *service,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  eimza_card_service_run_async (service, list_modules_job, NULL, NULL,
                                (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
                                user_data);
}

GPtrArray *
eimza_pkcs11_list_modules_finish (EimzaCardService  *service,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return eimza_card_service_run_finish (service, result, error);
}

static gpointer
list_certificates_job (EimzaCardWorker  *worker,
                       gpointer          job_data,
                       GCancellable     *cancellable,
                       GError          **error)
{
  return eimza_pkcs11_list_certificates (eimza_pkcs11_from_worker (worker), job_data,
                                         cancellable, error);
}

void
eimza_pkcs11_list_certificates_async (EimzaCardService    *service,
                                      const char          *token_uri,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  eimza_card_service_run_async (service, list_certificates_job, g_strdup (token_uri), g_free,
                                (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
                                user_data);
}

GPtrArray *
eimza_pkcs11_list_certificates_finish (EimzaCardService  *service,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  return eimza_card_service_run_finish (service, result, error);
}

static gpointer
lookup_token_job (EimzaCardWorker  *worker,
                  gpointer          job_data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  return eimza_pkcs11_lookup_token (eimza_pkcs11_from_worker (worker), job_data, error);
}

void
eimza_pkcs11_lookup_token_async (EimzaCardService    *service,
                                 const char          *uri,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (uri != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  eimza_card_service_run_async (service, lookup_token_job, g_strdup (uri), g_free,
                                (GDestroyNotify) eimza_pkcs11_token_unref, cancellable,
                                callback, user_data);
}

EimzaPkcs11Token *
eimza_pkcs11_lookup_token_finish (EimzaCardService  *service,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return eimza_card_service_run_finish (service, result, error);
}

typedef struct {
  char *uri;
  EimzaSecret *current_pin;
  EimzaSecret *new_pin;
  EimzaPkcs11LoginFlags flags;
} ChangePinJob;

static void
change_pin_job_free (gpointer data)
{
  ChangePinJob *job = data;

  g_free (job->uri);
  g_clear_pointer (&job->current_pin, eimza_secret_unref);
  g_clear_pointer (&job->new_pin, eimza_secret_unref);
  g_free (job);
}

static gpointer
change_pin_job (EimzaCardWorker  *worker,
                gpointer          job_data,
                GCancellable     *cancellable,
                GError          **error)
{
  ChangePinJob *job = job_data;

  if (!eimza_pkcs11_change_pin (eimza_pkcs11_from_worker (worker), job->uri, job->current_pin,
                                job->new_pin, job->flags, cancellable, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

void
eimza_pkcs11_change_pin_async (EimzaCardService      *service,
                               const char            *uri,
                               EimzaSecret           *current_pin,
                               EimzaSecret           *new_pin,
                               EimzaPkcs11LoginFlags  flags,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  ChangePinJob *job;

  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (uri != NULL);
  g_return_if_fail ((current_pin == NULL) == (new_pin == NULL));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ChangePinJob, 1);
  job->uri = g_strdup (uri);
  job->current_pin = current_pin != NULL ? eimza_secret_ref (current_pin) : NULL;
  job->new_pin = new_pin != NULL ? eimza_secret_ref (new_pin) : NULL;
  job->flags = flags;

  eimza_card_service_run_async (service, change_pin_job, job, change_pin_job_free, NULL,
                                cancellable, callback, user_data);
}

gboolean
eimza_pkcs11_change_pin_finish (EimzaCardService  *service,
                                GAsyncResult      *result,
                                GError           **error)
{
  return eimza_card_service_run_finish (service, result, error) != NULL;
}

static gpointer
unblock_pin_job (EimzaCardWorker  *worker,
                 gpointer          job_data,
                 GCancellable     *cancellable,
                 GError          **error)
{
  ChangePinJob *job = job_data;

  if (!eimza_pkcs11_unblock_pin (eimza_pkcs11_from_worker (worker), job->uri, job->current_pin,
                                 job->new_pin, job->flags, cancellable, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

void
eimza_pkcs11_unblock_pin_async (EimzaCardService      *service,
                                const char            *uri,
                                EimzaSecret           *unblock_code,
                                EimzaSecret           *new_pin,
                                EimzaPkcs11LoginFlags  flags,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  ChangePinJob *job;

  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (uri != NULL);
  g_return_if_fail ((unblock_code == NULL) == (new_pin == NULL));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* The same job data: the unblock code where a change has the current PIN. */
  job = g_new0 (ChangePinJob, 1);
  job->uri = g_strdup (uri);
  job->current_pin = unblock_code != NULL ? eimza_secret_ref (unblock_code) : NULL;
  job->new_pin = new_pin != NULL ? eimza_secret_ref (new_pin) : NULL;
  job->flags = flags;

  eimza_card_service_run_async (service, unblock_pin_job, job, change_pin_job_free, NULL,
                                cancellable, callback, user_data);
}

gboolean
eimza_pkcs11_unblock_pin_finish (EimzaCardService  *service,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return eimza_card_service_run_finish (service, result, error) != NULL;
}
