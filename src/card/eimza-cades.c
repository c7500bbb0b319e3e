/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CAdES-BES signatures (CMS SignedData) with a key on the card, and their check. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs11.h>
#include <gnutls/pkcs7.h>

#include "eimza-cades.h"
#include "eimza-pkcs11-error.h"
#include "eimza-pkcs11-private.h"
#include "eimza-pkcs11-token.h"

#define SHA256_LENGTH 32

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_privkey_t, gnutls_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs7_t, gnutls_pkcs7_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs7_attrs_t, gnutls_pkcs7_attrs_deinit, NULL)

struct _EimzaCadesSignature
{
  EimzaCertificate *signer;
  GDateTime *signing_time;
  GBytes *content;
  gboolean signing_certificate_v2;
  gboolean detached;
};

static void
datum_clear (gnutls_datum_t *datum)
{
  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;
}

/* --- Signing ------------------------------------------------------------------ */

/* SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
 * ESSCertIDv2 ::= SEQUENCE { certHash OCTET STRING }, hashAlgorithm left
 * out because SHA-256 is its DEFAULT (DER forbids encoding a default). */
static gboolean
signing_certificate_v2_value (gnutls_x509_crt_t   signer,
                              guint8              value[8 + SHA256_LENGTH],
                              GError            **error)
{
  static const guint8 prefix[8] = { 0x30, 0x26, 0x30, 0x24, 0x30, 0x22, 0x04, 0x20 };
  gnutls_datum_t der = { NULL, 0 };
  int ret;

  ret = gnutls_x509_crt_export2 (signer, GNUTLS_X509_FMT_DER, &der);
  if (!eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_SIGN, error))
    return FALSE;

  memcpy (value, prefix, sizeof prefix);
  ret = gnutls_hash_fast (GNUTLS_DIG_SHA256, der.data, der.size, value + sizeof prefix);
  datum_clear (&der);

  return eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_SIGN, error);
}

GBytes *
eimza_cades_sign_with_key (GBytes             *content,
                           gnutls_x509_crt_t   signer,
                           gnutls_privkey_t    key,
                           EimzaCadesFlags     flags,
                           GError            **error)
{
  g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
  g_auto(gnutls_pkcs7_attrs_t) attrs = NULL;
  guint8 ess_value[8 + SHA256_LENGTH];
  gnutls_datum_t ess = { ess_value, sizeof ess_value };
  gnutls_datum_t data;
  gnutls_datum_t out = { NULL, 0 };
  unsigned int sign_flags;
  GBytes *result;
  gsize size;
  int ret;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (signer != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!signing_certificate_v2_value (signer, ess_value, error))
    return NULL;

  ret = gnutls_pkcs7_add_attr (&attrs, EIMZA_CADES_SIGNING_CERTIFICATE_V2_OID, &ess, 0);
  if (!eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_SIGN, error))
    return NULL;

  ret = gnutls_pkcs7_init (&pkcs7);
  if (!eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_SIGN, error))
    return NULL;

  /* GnuTLS adds content-type and message-digest to the signed attributes
   * itself, and signing-time with INCLUDE_TIME. */
  sign_flags = GNUTLS_PKCS7_INCLUDE_TIME | GNUTLS_PKCS7_INCLUDE_CERT;
  if (flags & EIMZA_CADES_ENVELOPING)
    sign_flags |= GNUTLS_PKCS7_EMBED_DATA;

  data.data = (unsigned char *) g_bytes_get_data (content, &size);
  data.size = (unsigned int) size;

  ret = gnutls_pkcs7_sign (pkcs7, signer, key, &data, attrs, NULL, GNUTLS_DIG_SHA256,
                           sign_flags);
  if (!eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_SIGN, error))
    return NULL;

  ret = gnutls_pkcs7_export2 (pkcs7, GNUTLS_X509_FMT_DER, &out);
  if (!eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_SIGN, error))
    return NULL;

  result = g_bytes_new (out.data, out.size);
  datum_clear (&out);
  return result;
}

typedef struct
{
  EimzaSecret *pin;
  gboolean final_try_confirmed;
  gboolean refused_retry;
  gboolean refused_final_try;
  gboolean unexpected_login;
} PinRequest;

/* GnuTLS asks here only if the key needs a PIN for every signature
 * (CKA_ALWAYS_AUTHENTICATE); the user login itself was made by
 * eimza_pkcs11_session_login(). After a wrong PIN GnuTLS asks again in a
 * loop until the callback fails, so anything but the first request is
 * refused: a retry must come from the person, not from us. */
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

  if (attempt > 0 || (flags & GNUTLS_PIN_WRONG))
    {
      request->refused_retry = TRUE;
      return -1;
    }

  if (!(flags & GNUTLS_PIN_CONTEXT_SPECIFIC))
    {
      request->unexpected_login = TRUE;
      return -1;
    }

  if ((flags & GNUTLS_PIN_FINAL_TRY) && !request->final_try_confirmed)
    {
      request->refused_final_try = TRUE;
      return -1;
    }

  if (request->pin == NULL)
    return -1;

  value = eimza_secret_get (request->pin, &length);
  if (length + 1 > pin_max)
    return -1;

  memcpy (pin, value, length + 1);
  return 0;
}

static void
set_pin_request_error (const PinRequest  *request,
                       int                ret,
                       EimzaCardError     fallback,
                       GError           **error)
{
  if (request->refused_final_try)
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED,
                         _("Only one PIN try is left: one more wrong PIN locks the card. "
                           "The PIN was not sent."));
  else if (request->refused_retry)
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT,
                         _("The card did not accept the PIN for this signature."));
  else if (request->unexpected_login)
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_TOKEN,
                         _("The card ended the login before the signature was made. Try "
                           "again."));
  else
    eimza_card_error_from_gnutls (ret, fallback, error);
}

GBytes *
eimza_cades_sign (EimzaPkcs11      *pkcs11,
                  GBytes           *content,
                  const char       *cert_uri,
                  const char       *key_uri,
                  EimzaSecret      *pin,
                  EimzaCadesFlags   flags,
                  GCancellable     *cancellable,
                  GError          **error)
{
  g_autoptr(EimzaPkcs11Session) session = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_privkey_t) key = NULL;
  PinRequest request = { 0, };
  EimzaPkcs11LoginFlags login_flags = EIMZA_PKCS11_LOGIN_DEFAULT;
  GBytes *result;
  int ret;

  g_return_val_if_fail (pkcs11 != NULL, NULL);
  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (cert_uri != NULL, NULL);
  g_return_val_if_fail (key_uri != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The certificate is public: read it before spending a PIN try on a
   * signature that could not be made anyway. */
  if (!eimza_pkcs11_load_modules (pkcs11, error))
    return NULL;
  /* Both objects on a token of a module we may use (see
   * eimza_pkcs11_set_only_module()), before GnuTLS looks anywhere. */
  if (!eimza_pkcs11_check_uri_allowed (pkcs11, cert_uri, error) ||
      !eimza_pkcs11_check_uri_allowed (pkcs11, key_uri, error))
    return NULL;
  if (gnutls_x509_crt_init (&crt) < 0)
    g_error ("Out of memory");
  ret = gnutls_x509_crt_import_url (crt, cert_uri, 0);
  if (!eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_NOT_FOUND, error))
    return NULL;

  if (flags & EIMZA_CADES_FINAL_TRY_CONFIRMED)
    login_flags |= EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED;

  session = eimza_pkcs11_session_login (pkcs11, key_uri, pin, login_flags, cancellable, error);
  if (session == NULL)
    return NULL;

  request.pin = pin;
  request.final_try_confirmed = (flags & EIMZA_CADES_FINAL_TRY_CONFIRMED) != 0;

  if (gnutls_privkey_init (&key) < 0)
    g_error ("Out of memory");
  gnutls_privkey_set_pin_function (key, pin_cb, &request);

  ret = gnutls_privkey_import_url (key, key_uri, 0);
  if (ret < 0)
    {
      set_pin_request_error (&request, ret, EIMZA_CARD_ERROR_NOT_FOUND, error);
      return NULL;
    }

  result = eimza_cades_sign_with_key (content, crt, key, flags, error);
  if (result == NULL && (request.refused_retry || request.refused_final_try ||
                         request.unexpected_login))
    {
      g_clear_error (error);
      set_pin_request_error (&request, GNUTLS_E_PK_SIGN_FAILED, EIMZA_CARD_ERROR_SIGN, error);
    }

  return result;
}

/* --- Verification --------------------------------------------------------------- */

/* Reads one DER tag and length at *pos (definite lengths only). */
static gboolean
der_read (const guint8  *data,
          gsize          size,
          gsize         *pos,
          guint8        *tag,
          gsize         *length)
{
  gsize len;

  if (*pos + 2 > size)
    return FALSE;

  *tag = data[(*pos)++];
  len = data[(*pos)++];
  if (len & 0x80)
    {
      guint n = len & 0x7f;

      if (n == 0 || n > 4 || *pos + n > size)
        return FALSE;
      len = 0;
      while (n-- > 0)
        len = (len << 8) | data[(*pos)++];
    }

  if (len > size - *pos)
    return FALSE;

  *length = len;
  return TRUE;
}

/* Whether the SigningCertificateV2 value names the certificate whose
 * SHA-256 is @hash (in its first ESSCertIDv2, as CAdES requires). */
static gboolean
signing_certificate_v2_matches (const gnutls_datum_t *value,
                                const guint8          hash[SHA256_LENGTH])
{
  static const guint8 sha256_oid[] = {
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01
  };
  const guint8 *data = value->data;
  gsize size = value->size;
  gsize pos = 0;
  gsize length;
  guint8 tag;

  /* SigningCertificateV2, certs, first ESSCertIDv2 */
  for (int depth = 0; depth < 3; depth++)
    if (!der_read (data, size, &pos, &tag, &length) || tag != 0x30)
      return FALSE;

  if (!der_read (data, size, &pos, &tag, &length))
    return FALSE;

  if (tag == 0x30)
    {
      /* An explicit hashAlgorithm: accept SHA-256 only. */
      if (length < sizeof sha256_oid || memcmp (data + pos, sha256_oid, sizeof sha256_oid) != 0)
        return FALSE;
      pos += length;
      if (!der_read (data, size, &pos, &tag, &length))
        return FALSE;
    }

  return tag == 0x04 && length == SHA256_LENGTH &&
         memcmp (data + pos, hash, SHA256_LENGTH) == 0;
}

static gboolean
certificate_is_signer (gnutls_x509_crt_t                     crt,
                       const gnutls_pkcs7_signature_info_st *info)
{
  guint8 serial[64];
  size_t serial_size = sizeof serial;
  gnutls_datum_t issuer = { NULL, 0 };
  gboolean match;

  if (info->signer_serial.size == 0)
    return FALSE;
  if (gnutls_x509_crt_get_serial (crt, serial, &serial_size) < 0 ||
      serial_size != info->signer_serial.size ||
      memcmp (serial, info->signer_serial.data, serial_size) != 0)
    return FALSE;

  if (info->issuer_dn.size == 0 || gnutls_x509_crt_get_raw_issuer_dn (crt, &issuer) < 0)
    return TRUE;

  match = issuer.size == info->issuer_dn.size &&
          memcmp (issuer.data, info->issuer_dn.data, issuer.size) == 0;
  datum_clear (&issuer);
  return match;
}

static EimzaCertificate *
find_signer (gnutls_pkcs7_t                         pkcs7,
             const gnutls_pkcs7_signature_info_st  *info,
             GError                               **error)
{
  int count = gnutls_pkcs7_get_crt_count (pkcs7);

  for (int i = 0; i < count; i++)
    {
      g_auto(gnutls_x509_crt_t) crt = NULL;
      gnutls_datum_t raw = { NULL, 0 };
      g_autoptr(GBytes) der = NULL;

      if (gnutls_pkcs7_get_crt_raw2 (pkcs7, i, &raw) < 0)
        continue;
      der = g_bytes_new (raw.data, raw.size);
      if (gnutls_x509_crt_init (&crt) < 0 ||
          gnutls_x509_crt_import (crt, &raw, GNUTLS_X509_FMT_DER) < 0 ||
          !certificate_is_signer (crt, info))
        {
          datum_clear (&raw);
          continue;
        }
      datum_clear (&raw);
      return eimza_certificate_new_from_der (der, error);
    }

  g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN,
                       _("The signature does not contain the signer’s certificate."));
  return NULL;
}

static gboolean
find_signing_certificate_v2 (gnutls_pkcs7_attrs_t  attrs,
                             EimzaCertificate     *signer)
{
  guint8 hash[SHA256_LENGTH];
  GBytes *der = eimza_certificate_get_der (signer);
  gsize size;
  const void *data = g_bytes_get_data (der, &size);

  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, data, size, hash) < 0)
    return FALSE;

  for (unsigned int i = 0;; i++)
    {
      gnutls_datum_t value = { NULL, 0 };
      char *oid = NULL;
      gboolean match;

      if (gnutls_pkcs7_get_attr (attrs, i, &oid, &value, 0) < 0)
        return FALSE;

      match = g_strcmp0 (oid, EIMZA_CADES_SIGNING_CERTIFICATE_V2_OID) == 0 &&
              signing_certificate_v2_matches (&value, hash);
      /* @oid points into @attrs; only the value is a copy. */
      datum_clear (&value);
      if (match)
        return TRUE;
    }
}

EimzaCadesSignature *
eimza_cades_verify (GBytes  *cms,
                    GBytes  *detached_content,
                    GBytes  *trust_pem,
                    GError **error)
{
  g_autoptr(EimzaCadesSignature) signature = NULL;
  g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
  gnutls_x509_trust_list_t trust = NULL;
  gnutls_pkcs7_signature_info_st info;
  gnutls_datum_t datum;
  gnutls_datum_t content;
  gnutls_datum_t embedded = { NULL, 0 };
  gsize size;
  int ret;

  g_return_val_if_fail (cms != NULL, NULL);
  g_return_val_if_fail (trust_pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (gnutls_pkcs7_init (&pkcs7) < 0)
    g_error ("Out of memory");

  datum.data = (unsigned char *) g_bytes_get_data (cms, &size);
  datum.size = (unsigned int) size;
  ret = gnutls_pkcs7_import (pkcs7, &datum, GNUTLS_X509_FMT_DER);
  if (ret < 0)
    {
      g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN,
                   _("The data is not a CMS signature (%s)."), gnutls_strerror (ret));
      return NULL;
    }

  memset (&info, 0, sizeof info);
  ret = gnutls_pkcs7_get_signature_info (pkcs7, 0, &info);
  if (ret < 0)
    {
      g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN,
                   _("The CMS data contains no signature (%s)."), gnutls_strerror (ret));
      return NULL;
    }

  signature = g_new0 (EimzaCadesSignature, 1);

  if (gnutls_pkcs7_get_embedded_data (pkcs7, 0, &embedded) >= 0 && embedded.size > 0)
    {
      signature->content = g_bytes_new (embedded.data, embedded.size);
      datum_clear (&embedded);
    }
  else if (detached_content != NULL)
    {
      signature->detached = TRUE;
      signature->content = g_bytes_ref (detached_content);
    }
  else
    {
      gnutls_pkcs7_signature_info_deinit (&info);
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN,
                           _("The signature is detached, but no content was given."));
      return NULL;
    }

  signature->signer = find_signer (pkcs7, &info, error);
  if (signature->signer == NULL)
    {
      gnutls_pkcs7_signature_info_deinit (&info);
      return NULL;
    }

  if (info.signing_time != (time_t) -1 && info.signing_time != 0)
    signature->signing_time = g_date_time_new_from_unix_utc (info.signing_time);
  signature->signing_certificate_v2 = find_signing_certificate_v2 (info.signed_attrs,
                                                                   signature->signer);
  gnutls_pkcs7_signature_info_deinit (&info);

  if (gnutls_x509_trust_list_init (&trust, 0) < 0)
    g_error ("Out of memory");
  datum.data = (unsigned char *) g_bytes_get_data (trust_pem, &size);
  datum.size = (unsigned int) size;
  if (gnutls_x509_trust_list_add_trust_mem (trust, &datum, NULL, GNUTLS_X509_FMT_PEM, 0, 0) <= 0)
    {
      gnutls_x509_trust_list_deinit (trust, 1);
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN,
                           _("No trusted certificates were given to check the signature."));
      return NULL;
    }

  content.data = (unsigned char *) g_bytes_get_data (signature->content, &size);
  content.size = (unsigned int) size;
  ret = gnutls_pkcs7_verify (pkcs7, trust, NULL, 0, 0,
                             signature->detached ? &content : NULL, 0);
  gnutls_x509_trust_list_deinit (trust, 1);

  if (ret == GNUTLS_E_PK_SIG_VERIFY_FAILED)
    {
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN,
                           _("The signature does not match the content."));
      return NULL;
    }
  if (ret < 0)
    {
      g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN,
                   _("The signature could not be verified (%s)."), gnutls_strerror (ret));
      return NULL;
    }

  return g_steal_pointer (&signature);
}

EimzaCertificate *
eimza_cades_signature_get_signer (EimzaCadesSignature *signature)
{
  g_return_val_if_fail (signature != NULL, NULL);
  return signature->signer;
}

GDateTime *
eimza_cades_signature_get_signing_time (EimzaCadesSignature *signature)
{
  g_return_val_if_fail (signature != NULL, NULL);
  return signature->signing_time;
}

GBytes *
eimza_cades_signature_get_content (EimzaCadesSignature *signature)
{
  g_return_val_if_fail (signature != NULL, NULL);
  return signature->content;
}

gboolean
eimza_cades_signature_has_signing_certificate_v2 (EimzaCadesSignature *signature)
{
  g_return_val_if_fail (signature != NULL, FALSE);
  return signature->signing_certificate_v2;
}

gboolean
eimza_cades_signature_is_detached (EimzaCadesSignature *signature)
{
  g_return_val_if_fail (signature != NULL, FALSE);
  return signature->detached;
}

void
eimza_cades_signature_free (EimzaCadesSignature *signature)
{
  if (signature == NULL)
    return;

  g_clear_object (&signature->signer);
  g_clear_pointer (&signature->signing_time, g_date_time_unref);
  g_clear_pointer (&signature->content, g_bytes_unref);
  g_free (signature);
}
