/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A CAdES-BES signature made on the card service's worker thread, for the main thread. */
#include "config.h"

#include "eimza-cades.h"

typedef struct
{
  GBytes *content;
  char *cert_uri;
  char *key_uri;
  EimzaSecret *pin;
  EimzaCadesFlags flags;
} SignData;

static void
sign_data_free (gpointer data)
{
  SignData *sign = data;

  g_bytes_unref (sign->content);
  g_free (sign->cert_uri);
  g_free (sign->key_uri);
  g_clear_pointer (&sign->pin, eimza_secret_unref);
  g_free (sign);
}

static gpointer
sign_job (EimzaCardWorker  *worker,
          gpointer          job_data,
          GCancellable     *cancellable,
          GError          **error)
{
  SignData *sign = job_data;

  return eimza_cades_sign (eimza_pkcs11_from_worker (worker), sign->content, sign->cert_uri,
                           sign->key_uri, sign->pin, sign->flags, cancellable, error);
}

void
eimza_cades_sign_async (EimzaCardService    *service,
                        GBytes              *content,
                        const char          *cert_uri,
                        const char          *key_uri,
                        EimzaSecret         *pin,
                        EimzaCadesFlags      flags,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  SignData *sign;

  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (content != NULL);
  g_return_if_fail (cert_uri != NULL);
  g_return_if_fail (key_uri != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  sign = g_new0 (SignData, 1);
  sign->content = g_bytes_ref (content);
  sign->cert_uri = g_strdup (cert_uri);
  sign->key_uri = g_strdup (key_uri);
  sign->pin = pin != NULL ? eimza_secret_ref (pin) : NULL;
  sign->flags = flags;

  eimza_card_service_run_async (service, sign_job, sign, sign_data_free,
                                (GDestroyNotify) g_bytes_unref, cancellable, callback,
                                user_data);
}

GBytes *
eimza_cades_sign_finish (EimzaCardService  *service,
                         GAsyncResult      *result,
                         GError           **error)
{
  return eimza_card_service_run_finish (service, result, error);
}
