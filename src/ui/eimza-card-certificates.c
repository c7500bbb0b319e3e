/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificates on the card as people see them: each one once, and words for their facts. */
#include "config.h"

#include <glib/gi18n.h>
#include <p11-kit/uri.h>

#include "eimza-card-certificates.h"
#include "eimza-pkcs11.h"

typedef struct
{
  GPtrArray *modules;  /* of EimzaPkcs11Module, NULL if they could not be listed */
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->modules, g_ptr_array_unref);
  g_free (data);
}

/* How much a certificate's module was asked for: the configured module
 * over Kamu SM's over the ones p11-kit brings along. */
static int
source_rank (EimzaPkcs11ModuleSource source)
{
  switch (source)
    {
    case EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED:
      return 3;
    case EIMZA_PKCS11_MODULE_SOURCE_VENDOR:
      return 2;
    case EIMZA_PKCS11_MODULE_SOURCE_REGISTERED:
    default:
      return 1;
    }
}

static gboolean
uri_is_on_token (P11KitUri        *object_uri,
                 EimzaPkcs11Token *token)
{
  P11KitUri *token_uri = p11_kit_uri_new ();
  gboolean match = FALSE;

  if (p11_kit_uri_parse (eimza_pkcs11_token_get_uri (token), P11_KIT_URI_FOR_TOKEN,
                         token_uri) == P11_KIT_URI_OK)
    match = p11_kit_uri_match_token_info (object_uri, p11_kit_uri_get_token_info (token_uri));

  p11_kit_uri_free (token_uri);
  return match;
}

static int
certificate_rank (EimzaCertificate *certificate,
                  GPtrArray        *modules)
{
  const char *uri = eimza_certificate_get_uri (certificate);
  P11KitUri *object_uri;
  int rank = 0;

  if (modules == NULL || uri == NULL)
    return 0;

  /* Certificate URIs name their module too (library-description): parsed
   * for an object on a token only, p11-kit would take that as an
   * unrecognised attribute, and such a URI matches no token. */
  object_uri = p11_kit_uri_new ();
  if (p11_kit_uri_parse (uri, P11_KIT_URI_FOR_OBJECT_ON_TOKEN_AND_MODULE, object_uri) ==
      P11_KIT_URI_OK)
    {
      for (guint i = 0; i < modules->len; i++)
        {
          EimzaPkcs11Module *module = g_ptr_array_index (modules, i);
          GPtrArray *tokens = eimza_pkcs11_module_get_tokens (module);

          for (guint j = 0; tokens != NULL && j < tokens->len; j++)
            {
              if (uri_is_on_token (object_uri, g_ptr_array_index (tokens, j)))
                rank = MAX (rank, source_rank (eimza_pkcs11_module_get_source (module)));
            }
        }
    }

  p11_kit_uri_free (object_uri);
  return rank;
}

static int
compare_certificates (gconstpointer a,
                      gconstpointer b)
{
  EimzaCertificate *ca = *(EimzaCertificate **) a;
  EimzaCertificate *cb = *(EimzaCertificate **) b;
  gboolean sa = eimza_certificate_is_signing (ca);
  gboolean sb = eimza_certificate_is_signing (cb);
  int order;

  if (sa != sb)
    return sa ? -1 : 1;

  /* The one valid longest first: after a renewal that is the new one. */
  order = -g_date_time_compare (eimza_certificate_get_not_after (ca),
                                eimza_certificate_get_not_after (cb));
  if (order != 0)
    return order;

  /* Then always in the same order. */
  if (eimza_certificate_get_key_type (ca) != eimza_certificate_get_key_type (cb))
    return eimza_certificate_get_key_type (ca) == EIMZA_KEY_TYPE_RSA ? -1 : 1;
  return g_strcmp0 (eimza_certificate_get_sha256_fingerprint (ca),
                    eimza_certificate_get_sha256_fingerprint (cb));
}

static GPtrArray *
distinct_certificates (GPtrArray *certificates,
                       GPtrArray *modules)
{
  g_autoptr(GHashTable) best = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) ranks = g_hash_table_new (NULL, NULL);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);
      const char *fingerprint = eimza_certificate_get_sha256_fingerprint (certificate);
      EimzaCertificate *known = g_hash_table_lookup (best, fingerprint);
      int rank = certificate_rank (certificate, modules);

      g_hash_table_insert (ranks, certificate, GINT_TO_POINTER (rank));
      if (known == NULL || rank > GPOINTER_TO_INT (g_hash_table_lookup (ranks, known)))
        g_hash_table_insert (best, (gpointer) fingerprint, certificate);
    }

  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);
      const char *fingerprint = eimza_certificate_get_sha256_fingerprint (certificate);

      if (g_hash_table_lookup (best, fingerprint) == certificate)
        g_ptr_array_add (result, g_object_ref (certificate));
    }

  g_ptr_array_sort (result, compare_certificates);
  return result;
}

static void
list_certificates_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) certificates = NULL;
  GError *error = NULL;

  certificates = eimza_pkcs11_list_certificates_finish (EIMZA_CARD_SERVICE (source), result,
                                                        &error);
  if (certificates == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, distinct_certificates (certificates, data->modules),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
list_modules_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->modules = eimza_pkcs11_list_modules_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Without the modules every copy ranks the same; listing may still work. */
  if (error != NULL)
    g_debug ("Could not list the PKCS#11 modules: %s", error->message);

  cancellable = g_task_get_cancellable (task);
  eimza_pkcs11_list_certificates_async (EIMZA_CARD_SERVICE (source), NULL, cancellable,
                                        list_certificates_cb, g_steal_pointer (&task));
}

void
eimza_card_certificates_list_async (EimzaCardService    *service,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (service, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_card_certificates_list_async);
  g_task_set_task_data (task, g_new0 (ListData, 1), (GDestroyNotify) list_data_free);

  eimza_pkcs11_list_modules_async (service, cancellable, list_modules_cb, g_steal_pointer (&task));
}

GPtrArray *
eimza_card_certificates_list_finish (EimzaCardService  *service,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        eimza_card_certificates_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
eimza_card_certificates_describe_key (EimzaCertificate *certificate)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (certificate), NULL);

  switch (eimza_certificate_get_key_type (certificate))
    {
    case EIMZA_KEY_TYPE_RSA:
      /* TRANSLATORS: a key type and its size in bits, e.g. "RSA 2048" */
      return g_strdup_printf (_("RSA %u"), eimza_certificate_get_key_bits (certificate));
    case EIMZA_KEY_TYPE_EC:
      /* TRANSLATORS: an elliptic curve key and its curve, e.g. "ECDSA P-256" */
      return g_strdup_printf (_("ECDSA %s"), eimza_certificate_get_curve (certificate) != NULL
                                             ? eimza_certificate_get_curve (certificate) : "");
    case EIMZA_KEY_TYPE_UNKNOWN:
    default:
      return g_strdup (_("Unknown key type"));
    }
}

char *
eimza_card_certificates_format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  local = g_date_time_to_local (date);
  return g_date_time_format (local, "%d.%m.%Y");
}
