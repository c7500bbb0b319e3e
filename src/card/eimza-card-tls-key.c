/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card's TLS client key under a private GnuTLS URL, signing on the card worker. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>
#include <gnutls/pkcs11.h>
#include <gnutls/urls.h>
#include <gnutls/x509.h>

#include "eimza-card-tls-key.h"
#include "eimza-card-tls-signer.h"
#include "eimza-pkcs11-error.h"
#include "eimza-pkcs11-private.h"

/*
 * Threads
 *
 * Some card modules (Kamu SM's AKİS module) work only without OS locking,
 * so no two calls may ever run in them at once. The card worker makes all
 * our calls; GnuTLS would make its own from glib-networking's handshake
 * thread (finding the key, logging in, signing) and from whichever thread
 * frees the certificate. With the URLs of this file GnuTLS never touches
 * the module:
 *
 *   main thread       g_tls_certificate_new_from_pkcs11_uris()
 *                     → import_crt(): the DER read earlier, no card call
 *   handshake thread  import_key(): a gnutls_privkey_import_ext4() key
 *                     sign_hash(): hands the hash to the main thread and
 *                     waits (the handshake thread may block; the main
 *                     loop never does)
 *   main thread       the interaction applies the PIN rules (it may ask
 *                     the person) and queues the signature on the worker
 *   card worker       login, sign, logout: one job among the others
 */

#define WAIT_MECHANISMS_USEC (30 * G_TIME_SPAN_SECOND)

typedef enum {
  MECHANISMS_UNKNOWN,
  MECHANISMS_NO_PSS,
  MECHANISMS_PSS,
} Mechanisms;

typedef struct
{
  gatomicrefcount ref_count;
  guint id;
  GBytes *der;
  char *key_uri;
  gnutls_pk_algorithm_t pk;
  unsigned int bits;
  GWeakRef signer;
  GMainContext *context;

  /* Set once on the main thread, read by handshake threads. */
  GMutex lock;
  GCond cond;
  Mechanisms mechanisms;
} Entry;

G_LOCK_DEFINE_STATIC (registry);
static GHashTable *registry;   /* id -> Entry */
static guint last_id;

static Entry *
entry_ref (Entry *entry)
{
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

/* Any thread: what it holds is safe to let go anywhere. */
static void
entry_unref (Entry *entry)
{
  if (!g_atomic_ref_count_dec (&entry->ref_count))
    return;

  g_bytes_unref (entry->der);
  g_free (entry->key_uri);
  g_weak_ref_clear (&entry->signer);
  g_main_context_unref (entry->context);
  g_mutex_clear (&entry->lock);
  g_cond_clear (&entry->cond);
  g_free (entry);
}

/* The entry an "eimza-card:<id>;…" URL names, referenced; NULL if none. */
static Entry *
lookup_url (const char *url)
{
  const char *number;
  char *end = NULL;
  guint64 id;
  Entry *entry;

  if (!g_str_has_prefix (url, EIMZA_CARD_TLS_URL_SCHEME))
    return NULL;
  number = url + strlen (EIMZA_CARD_TLS_URL_SCHEME);
  if (!g_ascii_isdigit (*number))
    return NULL;
  id = g_ascii_strtoull (number, &end, 10);
  if (end == NULL || (*end != ';' && *end != '\0') || id == 0 || id > G_MAXUINT)
    return NULL;

  G_LOCK (registry);
  entry = registry != NULL ? g_hash_table_lookup (registry, GUINT_TO_POINTER ((guint) id)) : NULL;
  if (entry != NULL)
    entry_ref (entry);
  G_UNLOCK (registry);

  return entry;
}

/* --- Signing: from the handshake thread through the main thread -------------- */

typedef struct
{
  Entry *entry;
  gnutls_sign_algorithm_t algorithm;
  GBytes *data;

  GMutex lock;
  GCond cond;
  gboolean done;
  GBytes *signature;
  GError *error;
} SignCall;

/* Main thread; after it, the handshake thread owns @call again. */
static void
sign_call_complete (SignCall *call,
                    GBytes   *signature,
                    GError   *error)
{
  g_mutex_lock (&call->lock);
  call->signature = signature;
  call->error = error;
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
}

static void
sign_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SignCall *call = user_data;
  GError *error = NULL;
  GBytes *signature;

  signature = eimza_card_tls_signer_sign_finish (EIMZA_CARD_TLS_SIGNER (source), result, &error);
  sign_call_complete (call, signature, error);
}

static gboolean
sign_start_cb (gpointer user_data)
{
  SignCall *call = user_data;
  g_autoptr(EimzaCardTlsSigner) signer = g_weak_ref_get (&call->entry->signer);

  if (signer == NULL)
    {
      sign_call_complete (call, NULL,
                          g_error_new_literal (EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_CANCELLED,
                                               _("The login with the card was ended.")));
      return G_SOURCE_REMOVE;
    }

  eimza_card_tls_signer_sign_async (signer, call->algorithm, call->data, sign_done_cb, call);
  return G_SOURCE_REMOVE;
}

/* Handshake thread: blocks until the main thread's answer. */
static int
key_sign_hash (gnutls_privkey_t         key,
               gnutls_sign_algorithm_t  algorithm,
               void                    *userdata,
               unsigned int             flags,
               const gnutls_datum_t    *hash,
               gnutls_datum_t          *signature)
{
  Entry *entry = userdata;
  SignCall call = { 0, };
  GSource *source;
  gconstpointer data;
  gsize size;
  int ret;

  call.entry = entry;
  call.algorithm = algorithm;
  call.data = g_bytes_new (hash->data, hash->size);
  g_mutex_init (&call.lock);
  g_cond_init (&call.cond);

  /* An idle source, not g_main_context_invoke(), so that it never runs
   * here on the handshake thread. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, sign_start_cb, &call, NULL);
  g_source_set_static_name (source, "[eimza] card TLS signature");
  g_source_attach (source, entry->context);
  g_source_unref (source);

  g_mutex_lock (&call.lock);
  while (!call.done)
    g_cond_wait (&call.cond, &call.lock);
  g_mutex_unlock (&call.lock);

  if (call.signature != NULL)
    {
      data = g_bytes_get_data (call.signature, &size);
      signature->data = gnutls_malloc (size);
      if (signature->data == NULL)
        g_error ("Out of memory");
      memcpy (signature->data, data, size);
      signature->size = (unsigned int) size;
      ret = 0;
    }
  else
    {
      /* The interaction told the TLS client why already. */
      g_debug ("The card did not sign for the TLS handshake: %s",
               call.error != NULL ? call.error->message : "no reason");
      ret = GNUTLS_E_PK_SIGN_FAILED;
    }

  g_clear_error (&call.error);
  g_clear_pointer (&call.signature, g_bytes_unref);
  g_bytes_unref (call.data);
  g_mutex_clear (&call.lock);
  g_cond_clear (&call.cond);
  return ret;
}

/* --- The key GnuTLS holds ---------------------------------------------------------- */

static gboolean
hash_is_acceptable (gnutls_digest_algorithm_t hash)
{
  return hash == GNUTLS_DIG_SHA256 || hash == GNUTLS_DIG_SHA384 || hash == GNUTLS_DIG_SHA512;
}

/* Which signatures the card can make cleanly: RSA PKCS#1 v1.5, RSA-PSS
 * with an RSA key only if the card has CKM_RSA_PKCS_PSS (it pads the hash
 * itself; we never pad for it), ECDSA with an EC key; SHA-2 hashes only. */
static gboolean
key_can_sign (Entry                   *entry,
              gnutls_sign_algorithm_t  algorithm)
{
  gnutls_pk_algorithm_t pk = gnutls_sign_get_pk_algorithm (algorithm);

  if (!hash_is_acceptable (gnutls_sign_get_hash_algorithm (algorithm)))
    return FALSE;

  switch (entry->pk)
    {
    case GNUTLS_PK_RSA:
      if (pk == GNUTLS_PK_RSA)
        return TRUE;
      return pk == GNUTLS_PK_RSA_PSS && entry->mechanisms == MECHANISMS_PSS &&
             gnutls_sign_supports_pk_algorithm (algorithm, GNUTLS_PK_RSA);
    case GNUTLS_PK_ECDSA:
      return pk == GNUTLS_PK_ECDSA;
    default:
      return FALSE;
    }
}

static int
key_info (gnutls_privkey_t  key,
          unsigned int      flags,
          void             *userdata)
{
  Entry *entry = userdata;

  if (flags & GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO)
    return key_can_sign (entry, GNUTLS_FLAGS_TO_SIGN_ALGO (flags)) ? 1 : 0;
  if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO)
    return entry->pk;
  if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO_BITS)
    return (int) entry->bits;
  return -1;
}

static void
key_deinit (gnutls_privkey_t  key,
            void             *userdata)
{
  entry_unref (userdata);
}

/* Handshake thread. The mechanism check was queued with the
 * registration; it is normally long done. */
static int
import_key (gnutls_privkey_t  key,
            const char       *url,
            unsigned int      flags)
{
  Entry *entry = lookup_url (url);
  gint64 end_time;
  int ret;

  if (entry == NULL)
    return GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE;

  end_time = g_get_monotonic_time () + WAIT_MECHANISMS_USEC;
  g_mutex_lock (&entry->lock);
  while (entry->mechanisms == MECHANISMS_UNKNOWN)
    if (!g_cond_wait_until (&entry->cond, &entry->lock, end_time))
      break;
  /* Not known in time: RSA-PSS is not offered. */
  if (entry->mechanisms == MECHANISMS_UNKNOWN)
    entry->mechanisms = MECHANISMS_NO_PSS;
  g_mutex_unlock (&entry->lock);

  ret = gnutls_privkey_import_ext4 (key, entry, NULL, key_sign_hash, NULL, key_deinit, key_info, 0);
  if (ret < 0)
    entry_unref (entry);
  return ret;
}

/* Main thread (g_tls_certificate_new_from_pkcs11_uris()): no card call. */
static int
import_crt (gnutls_x509_crt_t  crt,
            const char        *url,
            unsigned int       flags)
{
  Entry *entry = lookup_url (url);
  gnutls_datum_t datum;
  gsize size;
  int ret;

  if (entry == NULL)
    return GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE;

  datum.data = (unsigned char *) g_bytes_get_data (entry->der, &size);
  datum.size = (unsigned int) size;
  ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER);
  entry_unref (entry);
  return ret;
}

static const gnutls_custom_url_st card_url = {
  .name = EIMZA_CARD_TLS_URL_SCHEME,
  .name_size = sizeof EIMZA_CARD_TLS_URL_SCHEME - 1,
  .import_key = import_key,
  .import_crt = import_crt,
};

void
eimza_card_tls_key_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      int ret = gnutls_register_custom_url (&card_url);

      if (ret < 0)
        g_warning ("GnuTLS did not take the %s URLs: %s", EIMZA_CARD_TLS_URL_SCHEME,
                   gnutls_strerror (ret));
      g_once_init_leave (&done, 1);
    }
}

/* --- Registration -------------------------------------------------------------------- */

static gpointer
mechanisms_job (EimzaCardWorker  *worker,
                gpointer          job_data,
                GCancellable     *cancellable,
                GError          **error)
{
  EimzaPkcs11 *pkcs11 = eimza_pkcs11_from_worker (worker);
  CK_FUNCTION_LIST *funcs;
  CK_MECHANISM_INFO info;
  CK_SLOT_ID slot;

  if (!eimza_pkcs11_find_slot (pkcs11, job_data, &funcs, &slot, error))
    return NULL;

  if (funcs->C_GetMechanismInfo (slot, CKM_RSA_PKCS_PSS, &info) == CKR_OK &&
      (info.flags & CKF_SIGN) != 0)
    return GINT_TO_POINTER (MECHANISMS_PSS);
  return GINT_TO_POINTER (MECHANISMS_NO_PSS);
}

static void
mechanisms_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Entry *entry = user_data;
  g_autoptr(GError) error = NULL;
  Mechanisms mechanisms;

  mechanisms = GPOINTER_TO_INT (eimza_card_service_run_finish (EIMZA_CARD_SERVICE (source),
                                                               result, &error));
  if (error != NULL)
    g_debug ("The card's signature mechanisms are unknown: %s", error->message);

  g_mutex_lock (&entry->lock);
  entry->mechanisms = mechanisms != MECHANISMS_UNKNOWN ? mechanisms : MECHANISMS_NO_PSS;
  g_cond_broadcast (&entry->cond);
  g_mutex_unlock (&entry->lock);
  entry_unref (entry);
}

guint
eimza_card_tls_key_register (EimzaCardTlsSigner  *signer,
                             EimzaCardService    *service,
                             GBytes              *der,
                             const char          *key_uri,
                             char               **cert_url,
                             char               **key_url,
                             GError             **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;
  unsigned int bits = 0;
  Entry *entry;
  gsize size;
  int pk;

  g_return_val_if_fail (EIMZA_IS_CARD_TLS_SIGNER (signer), 0);
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), 0);
  g_return_val_if_fail (der != NULL, 0);
  g_return_val_if_fail (key_uri != NULL, 0);
  g_return_val_if_fail (cert_url != NULL && key_url != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  eimza_card_tls_key_init ();

  if (gnutls_x509_crt_init (&crt) < 0)
    g_error ("Out of memory");
  datum.data = (unsigned char *) g_bytes_get_data (der, &size);
  datum.size = (unsigned int) size;
  pk = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER);
  if (pk >= 0)
    pk = gnutls_x509_crt_get_pk_algorithm (crt, &bits);
  gnutls_x509_crt_deinit (crt);
  if (pk != GNUTLS_PK_RSA && pk != GNUTLS_PK_ECDSA)
    {
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN,
                           _("The certificate’s key is neither RSA nor ECDSA, so it cannot "
                             "be used to log in."));
      return 0;
    }

  entry = g_new0 (Entry, 1);
  g_atomic_ref_count_init (&entry->ref_count);
  entry->der = g_bytes_ref (der);
  entry->key_uri = g_strdup (key_uri);
  entry->pk = pk;
  entry->bits = bits;
  g_weak_ref_init (&entry->signer, signer);
  entry->context = g_main_context_ref_thread_default ();
  g_mutex_init (&entry->lock);
  g_cond_init (&entry->cond);
  entry->mechanisms = pk == GNUTLS_PK_RSA ? MECHANISMS_UNKNOWN : MECHANISMS_NO_PSS;

  G_LOCK (registry);
  if (registry == NULL)
    registry = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) entry_unref);
  entry->id = ++last_id;
  g_hash_table_insert (registry, GUINT_TO_POINTER (entry->id), entry);
  G_UNLOCK (registry);

  if (entry->mechanisms == MECHANISMS_UNKNOWN)
    eimza_card_service_run_async (service, mechanisms_job, g_strdup (key_uri), g_free, NULL,
                                  NULL, mechanisms_cb, entry_ref (entry));

  *cert_url = g_strdup_printf (EIMZA_CARD_TLS_URL_SCHEME "%u;type=cert", entry->id);
  *key_url = g_strdup_printf (EIMZA_CARD_TLS_URL_SCHEME "%u;type=private", entry->id);
  return entry->id;
}

void
eimza_card_tls_key_unregister (guint id)
{
  G_LOCK (registry);
  if (registry != NULL)
    g_hash_table_remove (registry, GUINT_TO_POINTER (id));
  G_UNLOCK (registry);
}

/* --- The signature on the worker -------------------------------------------------- */

typedef struct
{
  char *key_uri;
  EimzaSecret *pin;
  EimzaPkcs11LoginFlags flags;
  gnutls_sign_algorithm_t algorithm;
  GBytes *data;
} SignData;

static void
sign_data_free (gpointer data)
{
  SignData *sign = data;

  g_free (sign->key_uri);
  g_clear_pointer (&sign->pin, eimza_secret_unref);
  g_bytes_unref (sign->data);
  g_free (sign);
}

typedef struct
{
  EimzaSecret *pin;
  gboolean final_try_confirmed;
  gboolean refused;
} PinRequest;

/* GnuTLS asks only for a key that needs the PIN for every signature
 * (CKA_ALWAYS_AUTHENTICATE): the user login was made just before. Only
 * its first ask is answered, never a retry, and a last try only as
 * confirmed. */
static int
pin_cb (void         *user_data,
        int           attempt,
        const char   *token_url,
        const char   *token_label,
        unsigned int  flags,
        char         *pin,
        size_t        pin_max)
{
  PinRequest *request = user_data;
  const char *value;
  gsize length;

  if (attempt > 0 || (flags & GNUTLS_PIN_WRONG) || !(flags & GNUTLS_PIN_CONTEXT_SPECIFIC) ||
      ((flags & GNUTLS_PIN_FINAL_TRY) && !request->final_try_confirmed) || request->pin == NULL)
    {
      request->refused = TRUE;
      return -1;
    }

  value = eimza_secret_get (request->pin, &length);
  if (length + 1 > pin_max)
    return -1;
  memcpy (pin, value, length + 1);
  return 0;
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_privkey_t, gnutls_privkey_deinit, NULL)

static gpointer
sign_job (EimzaCardWorker  *worker,
          gpointer          job_data,
          GCancellable     *cancellable,
          GError          **error)
{
  SignData *sign = job_data;
  EimzaPkcs11 *pkcs11 = eimza_pkcs11_from_worker (worker);
  g_autoptr(EimzaPkcs11Session) session = NULL;
  g_auto(gnutls_privkey_t) key = NULL;
  PinRequest request = { 0, };
  gnutls_datum_t data;
  gnutls_datum_t signature = { NULL, 0 };
  GBytes *result;
  gsize size;
  int ret;

  if (!eimza_pkcs11_load_modules (pkcs11, error) ||
      !eimza_pkcs11_check_uri_allowed (pkcs11, sign->key_uri, error))
    return NULL;

  /* Our own login, with the PIN the interaction chose; it ends (with the
   * session) right after the signature, so no login of ours outlives it. */
  session = eimza_pkcs11_session_login (pkcs11, sign->key_uri, sign->pin, sign->flags,
                                        cancellable, error);
  if (session == NULL)
    return NULL;

  request.pin = sign->pin;
  request.final_try_confirmed = (sign->flags & EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED) != 0;
  if (gnutls_privkey_init (&key) < 0)
    g_error ("Out of memory");
  gnutls_privkey_set_pin_function (key, pin_cb, &request);

  ret = gnutls_privkey_import_url (key, sign->key_uri, 0);
  if (!eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_NOT_FOUND, error))
    return NULL;

  data.data = (unsigned char *) g_bytes_get_data (sign->data, &size);
  data.size = (unsigned int) size;
  if (sign->algorithm == GNUTLS_SIGN_RSA_RAW)
    ret = gnutls_privkey_sign_hash (key, GNUTLS_DIG_UNKNOWN, GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA,
                                    &data, &signature);
  else
    ret = gnutls_privkey_sign_hash2 (key, sign->algorithm, 0, &data, &signature);

  if (ret < 0 && request.refused)
    {
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT,
                           _("The card did not accept the PIN for this signature."));
      return NULL;
    }
  if (!eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_SIGN, error))
    return NULL;

  result = g_bytes_new (signature.data, signature.size);
  gnutls_free (signature.data);
  return result;
}

void
eimza_card_tls_sign_async (EimzaCardService        *service,
                           const char              *key_uri,
                           EimzaSecret             *pin,
                           EimzaPkcs11LoginFlags    flags,
                           gnutls_sign_algorithm_t  algorithm,
                           GBytes                  *data,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  SignData *sign;

  g_return_if_fail (EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (key_uri != NULL);
  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  sign = g_new0 (SignData, 1);
  sign->key_uri = g_strdup (key_uri);
  sign->pin = pin != NULL ? eimza_secret_ref (pin) : NULL;
  sign->flags = flags;
  sign->algorithm = algorithm;
  sign->data = g_bytes_ref (data);

  eimza_card_service_run_async (service, sign_job, sign, sign_data_free,
                                (GDestroyNotify) g_bytes_unref, cancellable, callback,
                                user_data);
}

GBytes *
eimza_card_tls_sign_finish (EimzaCardService  *service,
                            GAsyncResult      *result,
                            GError           **error)
{
  return eimza_card_service_run_finish (service, result, error);
}
