/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the application needs to know about an X.509 certificate on a card. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs11.h>
#include <gnutls/x509.h>

#include "eimza-card-certs-resources.h"
#include "eimza-certificate.h"
#include "eimza-pkcs11-error.h"
#include "eimza-pkcs11-private.h"

#define RESOURCE_PATH "/io/github/eimza/Asistan/card/"

struct _EimzaCertificate
{
  GObject parent_instance;

  GBytes *der;
  char *fingerprint;
  char *serial_hex;
  char *subject_dn;
  char *subject_cn;
  char *subject_serial_number;
  char *tckn;
  char *issuer_dn;
  char *issuer_cn;
  GDateTime *not_before;
  GDateTime *not_after;
  EimzaKeyUsage key_usage;
  EimzaKeyType key_type;
  guint key_bits;
  char *curve;
  gboolean qc_statements;
  gboolean nes_policy;
  gboolean chains_to_kamusm;

  char *uri;
  char *key_uri;
  char *label;
  char *token_label;
};

G_DEFINE_FINAL_TYPE (EimzaCertificate, eimza_certificate, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SUBJECT_CN,
  PROP_TCKN,
  PROP_ISSUER_CN,
  PROP_NOT_AFTER,
  PROP_SIGNING,
  PROP_QUALIFIED,
  PROP_CHAINS_TO_KAMUSM,
  PROP_URI,
  PROP_KEY_URI,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
eimza_certificate_finalize (GObject *object)
{
  EimzaCertificate *self = EIMZA_CERTIFICATE (object);

  g_clear_pointer (&self->der, g_bytes_unref);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->serial_hex, g_free);
  g_clear_pointer (&self->subject_dn, g_free);
  g_clear_pointer (&self->subject_cn, g_free);
  g_clear_pointer (&self->subject_serial_number, g_free);
  g_clear_pointer (&self->tckn, g_free);
  g_clear_pointer (&self->issuer_dn, g_free);
  g_clear_pointer (&self->issuer_cn, g_free);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->curve, g_free);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->key_uri, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->token_label, g_free);

  G_OBJECT_CLASS (eimza_certificate_parent_class)->finalize (object);
}

static void
eimza_certificate_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EimzaCertificate *self = EIMZA_CERTIFICATE (object);

  switch (prop_id)
    {
    case PROP_SUBJECT_CN:
      g_value_set_string (value, self->subject_cn);
      break;
    case PROP_TCKN:
      g_value_set_string (value, self->tckn);
      break;
    case PROP_ISSUER_CN:
      g_value_set_string (value, self->issuer_cn);
      break;
    case PROP_NOT_AFTER:
      g_value_set_boxed (value, self->not_after);
      break;
    case PROP_SIGNING:
      g_value_set_boolean (value, eimza_certificate_is_signing (self));
      break;
    case PROP_QUALIFIED:
      g_value_set_boolean (value, eimza_certificate_is_qualified (self));
      break;
    case PROP_CHAINS_TO_KAMUSM:
      g_value_set_boolean (value, self->chains_to_kamusm);
      break;
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_KEY_URI:
      g_value_set_string (value, self->key_uri);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_certificate_class_init (EimzaCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = eimza_certificate_finalize;
  object_class->get_property = eimza_certificate_get_property;

  props[PROP_SUBJECT_CN] = g_param_spec_string ("subject-cn", NULL, NULL, NULL, flags);
  props[PROP_TCKN] = g_param_spec_string ("tckn", NULL, NULL, NULL, flags);
  props[PROP_ISSUER_CN] = g_param_spec_string ("issuer-cn", NULL, NULL, NULL, flags);
  props[PROP_NOT_AFTER] = g_param_spec_boxed ("not-after", NULL, NULL, G_TYPE_DATE_TIME, flags);
  props[PROP_SIGNING] = g_param_spec_boolean ("signing", NULL, NULL, FALSE, flags);
  props[PROP_QUALIFIED] = g_param_spec_boolean ("qualified", NULL, NULL, FALSE, flags);
  props[PROP_CHAINS_TO_KAMUSM] = g_param_spec_boolean ("chains-to-kamusm", NULL, NULL, FALSE,
                                                       flags);
  props[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL, flags);
  props[PROP_KEY_URI] = g_param_spec_string ("key-uri", NULL, NULL, NULL, flags);
  props[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
eimza_certificate_init (EimzaCertificate *self)
{
}

/* --- Parsing -------------------------------------------------------------- */

typedef int (*DnByOidFunc) (gnutls_x509_crt_t, const char *, unsigned, unsigned, void *,
                            size_t *);

static char *
dn_attribute (gnutls_x509_crt_t  crt,
              DnByOidFunc        func,
              const char        *oid)
{
  g_autofree char *buffer = NULL;
  size_t size = 0;
  int ret;

  ret = func (crt, oid, 0, 0, NULL, &size);
  if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
    return NULL;

  buffer = g_malloc0 (size + 1);
  ret = func (crt, oid, 0, 0, buffer, &size);
  if (ret < 0)
    return NULL;

  return g_utf8_make_valid (buffer, (gssize) size);
}

static char *
datum_to_string (int             ret,
                 gnutls_datum_t *datum)
{
  char *result;

  if (ret < 0)
    return NULL;

  /* GnuTLS copies a DN's strings as the card holds them: a broken
   * certificate can carry bytes that are not UTF-8, which the app would
   * then show (found by fuzz/fuzz-certificate.c). */
  result = g_utf8_make_valid ((const char *) datum->data, datum->size);
  gnutls_free (datum->data);
  return result;
}

static gboolean
tckn_checksum_ok (const char *digits)
{
  int d[11];
  int odd;
  int even;
  int d10;
  int sum = 0;

  for (int i = 0; i < 11; i++)
    d[i] = digits[i] - '0';

  if (d[0] == 0)
    return FALSE;

  odd = d[0] + d[2] + d[4] + d[6] + d[8];
  even = d[1] + d[3] + d[5] + d[7];
  d10 = ((7 * odd - even) % 10 + 10) % 10;
  if (d10 != d[9])
    return FALSE;

  for (int i = 0; i < 10; i++)
    sum += d[i];

  return sum % 10 == d[10];
}

static char *
tckn_from_serial_number (const char *value)
{
  static const char * const prefixes[] = {
    "", "IDCTR-", "PNOTR-", "TINTR-", "TCKN", "TCKN:", "TC", NULL
  };
  gsize length;
  gsize start;

  if (value == NULL)
    return NULL;

  length = strlen (value);
  if (length < 11)
    return NULL;

  start = length - 11;
  for (gsize i = start; i < length; i++)
    if (!g_ascii_isdigit (value[i]))
      return NULL;

  for (guint i = 0; prefixes[i] != NULL; i++)
    {
      if (strlen (prefixes[i]) == start &&
          g_ascii_strncasecmp (value, prefixes[i], start) == 0)
        return tckn_checksum_ok (value + start) ? g_strdup (value + start) : NULL;
    }

  return NULL;
}

static EimzaKeyUsage
key_usage_from_gnutls (unsigned int usage)
{
  EimzaKeyUsage result = 0;

  if (usage & GNUTLS_KEY_DIGITAL_SIGNATURE)
    result |= EIMZA_KEY_USAGE_DIGITAL_SIGNATURE;
  if (usage & GNUTLS_KEY_NON_REPUDIATION)
    result |= EIMZA_KEY_USAGE_NON_REPUDIATION;
  if (usage & GNUTLS_KEY_KEY_ENCIPHERMENT)
    result |= EIMZA_KEY_USAGE_KEY_ENCIPHERMENT;
  if (usage & GNUTLS_KEY_DATA_ENCIPHERMENT)
    result |= EIMZA_KEY_USAGE_DATA_ENCIPHERMENT;
  if (usage & GNUTLS_KEY_KEY_AGREEMENT)
    result |= EIMZA_KEY_USAGE_KEY_AGREEMENT;
  if (usage & GNUTLS_KEY_KEY_CERT_SIGN)
    result |= EIMZA_KEY_USAGE_KEY_CERT_SIGN;
  if (usage & GNUTLS_KEY_CRL_SIGN)
    result |= EIMZA_KEY_USAGE_CRL_SIGN;

  return result;
}

static char *
curve_name (gnutls_ecc_curve_t curve)
{
  switch (curve)
    {
    case GNUTLS_ECC_CURVE_SECP256R1:
      return g_strdup ("P-256");
    case GNUTLS_ECC_CURVE_SECP384R1:
      return g_strdup ("P-384");
    case GNUTLS_ECC_CURVE_SECP521R1:
      return g_strdup ("P-521");
    default:
      return g_strdup (gnutls_ecc_curve_get_name (curve));
    }
}

static void
read_key (EimzaCertificate  *self,
          gnutls_x509_crt_t  crt)
{
  unsigned int bits = 0;
  int algo = gnutls_x509_crt_get_pk_algorithm (crt, &bits);

  self->key_bits = bits;
  switch (algo)
    {
    case GNUTLS_PK_RSA:
    case GNUTLS_PK_RSA_PSS:
      self->key_type = EIMZA_KEY_TYPE_RSA;
      break;

    case GNUTLS_PK_EC:
      {
        gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
        gnutls_datum_t x = { NULL, 0 };
        gnutls_datum_t y = { NULL, 0 };

        self->key_type = EIMZA_KEY_TYPE_EC;
        if (gnutls_x509_crt_get_pk_ecc_raw (crt, &curve, &x, &y) >= 0)
          {
            self->curve = curve_name (curve);
            gnutls_free (x.data);
            gnutls_free (y.data);
          }
        break;
      }

    default:
      self->key_type = EIMZA_KEY_TYPE_UNKNOWN;
      break;
    }
}

static gboolean
has_policy (gnutls_x509_crt_t  crt,
            const char        *oid)
{
  for (unsigned int i = 0;; i++)
    {
      struct gnutls_x509_policy_st policy;
      gboolean match;
      int ret;

      ret = gnutls_x509_crt_get_policy (crt, i, &policy, NULL);
      if (ret < 0)
        return FALSE;

      match = g_strcmp0 (policy.oid, oid) == 0;
      gnutls_x509_policy_release (&policy);
      if (match)
        return TRUE;
    }
}

static gboolean
has_extension (gnutls_x509_crt_t  crt,
               const char        *oid)
{
  gnutls_datum_t value = { NULL, 0 };
  int ret;

  ret = gnutls_x509_crt_get_extension_by_oid2 (crt, oid, 0, &value, NULL);
  gnutls_free (value.data);
  return ret >= 0;
}

static gboolean
verify_chain (gnutls_x509_crt_t  crt,
              GBytes            *anchors_pem,
              GBytes            *intermediates_pem)
{
  gnutls_x509_trust_list_t list = NULL;
  gnutls_x509_crt_t *intermediates = NULL;
  unsigned int n_intermediates = 0;
  gnutls_x509_crt_t chain[8];
  unsigned int chain_length = 1;
  unsigned int status = 0;
  gnutls_datum_t datum;
  gsize size;
  int ret;

  if (gnutls_x509_trust_list_init (&list, 0) < 0)
    return FALSE;

  datum.data = (unsigned char *) g_bytes_get_data (anchors_pem, &size);
  datum.size = size;
  ret = gnutls_x509_trust_list_add_trust_mem (list, &datum, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
  if (ret <= 0)
    {
      gnutls_x509_trust_list_deinit (list, 1);
      return FALSE;
    }

  chain[0] = crt;
  if (intermediates_pem != NULL)
    {
      datum.data = (unsigned char *) g_bytes_get_data (intermediates_pem, &size);
      datum.size = size;
      if (gnutls_x509_crt_list_import2 (&intermediates, &n_intermediates, &datum,
                                        GNUTLS_X509_FMT_PEM, 0) < 0)
        n_intermediates = 0;
    }

  /* Build the path upwards from the intermediates given. */
  for (gboolean grew = TRUE; grew && chain_length < G_N_ELEMENTS (chain);)
    {
      grew = FALSE;
      for (unsigned int i = 0; i < n_intermediates; i++)
        {
          gnutls_x509_crt_t last = chain[chain_length - 1];

          if (intermediates[i] != last &&
              !gnutls_x509_crt_check_issuer (last, last) &&
              gnutls_x509_crt_check_issuer (last, intermediates[i]))
            {
              chain[chain_length++] = intermediates[i];
              grew = TRUE;
              break;
            }
        }
    }

  ret = gnutls_x509_trust_list_verify_crt2 (list, chain, chain_length, NULL, 0,
                                            GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                            GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                                            &status, NULL);

  for (unsigned int i = 0; i < n_intermediates; i++)
    gnutls_x509_crt_deinit (intermediates[i]);
  gnutls_free (intermediates);
  gnutls_x509_trust_list_deinit (list, 1);

  return ret >= 0 && status == 0;
}

static GBytes *
lookup_resource (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PATH, name, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  /* Looked up in the library's own resource rather than through
   * g_resources_register(): this reference also keeps the resource
   * object in the static library when it is linked. */
  bytes = g_resource_lookup_data (eimza_card_certs_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("Missing resource %s: %s", path, error->message);

  return bytes;
}

GBytes *
eimza_certificate_get_kamusm_root_pem (void)
{
  return lookup_resource ("kamusm-root-v6.pem");
}

GBytes *
eimza_certificate_get_kamusm_nes_pem (void)
{
  return lookup_resource ("kamusm-nes-v6.pem");
}

static gboolean
parse (EimzaCertificate  *self,
       gnutls_x509_crt_t  crt)
{
  gnutls_datum_t datum = { NULL, 0 };
  g_autoptr(GBytes) root = NULL;
  g_autoptr(GBytes) nes = NULL;
  unsigned char serial[64];
  size_t serial_size = sizeof serial;
  unsigned int usage = 0;
  time_t when;

  self->fingerprint = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, self->der);

  if (gnutls_x509_crt_get_serial (crt, serial, &serial_size) >= 0)
    {
      GString *hex = g_string_new (NULL);

      for (size_t i = 0; i < serial_size; i++)
        g_string_append_printf (hex, "%02x", serial[i]);
      self->serial_hex = g_string_free (hex, FALSE);
    }

  self->subject_dn = datum_to_string (gnutls_x509_crt_get_dn3 (crt, &datum, 0), &datum);
  self->issuer_dn = datum_to_string (gnutls_x509_crt_get_issuer_dn3 (crt, &datum, 0), &datum);
  self->subject_cn = dn_attribute (crt, gnutls_x509_crt_get_dn_by_oid,
                                   GNUTLS_OID_X520_COMMON_NAME);
  self->issuer_cn = dn_attribute (crt, gnutls_x509_crt_get_issuer_dn_by_oid,
                                  GNUTLS_OID_X520_COMMON_NAME);
  self->subject_serial_number = dn_attribute (crt, gnutls_x509_crt_get_dn_by_oid, "2.5.4.5");
  self->tckn = tckn_from_serial_number (self->subject_serial_number);

  when = gnutls_x509_crt_get_activation_time (crt);
  if (when == (time_t) -1)
    return FALSE;
  self->not_before = g_date_time_new_from_unix_utc (when);
  when = gnutls_x509_crt_get_expiration_time (crt);
  if (when == (time_t) -1)
    return FALSE;
  self->not_after = g_date_time_new_from_unix_utc (when);
  if (self->not_before == NULL || self->not_after == NULL)
    return FALSE;

  if (gnutls_x509_crt_get_key_usage (crt, &usage, NULL) >= 0)
    self->key_usage = key_usage_from_gnutls (usage);
  else
    self->key_usage = key_usage_from_gnutls (~0u);

  read_key (self, crt);

  self->qc_statements = has_extension (crt, EIMZA_CERTIFICATE_QC_STATEMENTS_OID);
  self->nes_policy = has_policy (crt, EIMZA_CERTIFICATE_NES_POLICY_OID);

  root = eimza_certificate_get_kamusm_root_pem ();
  nes = eimza_certificate_get_kamusm_nes_pem ();
  self->chains_to_kamusm = verify_chain (crt, root, nes);

  return TRUE;
}

EimzaCertificate *
eimza_certificate_new_from_der (GBytes  *der,
                                GError **error)
{
  g_autoptr(EimzaCertificate) self = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;
  gsize size;
  gboolean ok;

  g_return_val_if_fail (der != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (gnutls_x509_crt_init (&crt) < 0)
    g_error ("Out of memory");

  datum.data = (unsigned char *) g_bytes_get_data (der, &size);
  datum.size = size;
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      gnutls_x509_crt_deinit (crt);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The data is not an X.509 certificate."));
      return NULL;
    }

  self = g_object_new (EIMZA_TYPE_CERTIFICATE, NULL);
  self->der = g_bytes_ref (der);
  ok = parse (self, crt);
  gnutls_x509_crt_deinit (crt);

  if (!ok)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The certificate’s validity dates cannot be read."));
      return NULL;
    }

  return g_steal_pointer (&self);
}

EimzaCertificate *
eimza_certificate_new_from_pem (const char  *pem,
                                gssize       length,
                                GError     **error)
{
  gnutls_datum_t in;
  gnutls_datum_t out = { NULL, 0 };
  g_autoptr(GBytes) der = NULL;
  int ret;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (pem);

  in.data = (unsigned char *) pem;
  in.size = (unsigned int) length;
  ret = gnutls_pem_base64_decode2 ("CERTIFICATE", &in, &out);
  if (ret < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The text is not a PEM certificate."));
      return NULL;
    }

  der = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);

  return eimza_certificate_new_from_der (der, error);
}

/* --- Accessors ------------------------------------------------------------ */

GBytes *
eimza_certificate_get_der (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->der;
}

const char *
eimza_certificate_get_sha256_fingerprint (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->fingerprint;
}

const char *
eimza_certificate_get_serial_hex (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->serial_hex;
}

const char *
eimza_certificate_get_subject_dn (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->subject_dn;
}

const char *
eimza_certificate_get_subject_cn (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->subject_cn;
}

const char *
eimza_certificate_get_subject_serial_number (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->subject_serial_number;
}

const char *
eimza_certificate_get_tckn (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->tckn;
}

const char *
eimza_certificate_get_issuer_dn (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->issuer_dn;
}

const char *
eimza_certificate_get_issuer_cn (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->issuer_cn;
}

GDateTime *
eimza_certificate_get_not_before (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->not_before;
}

GDateTime *
eimza_certificate_get_not_after (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->not_after;
}

gint64
eimza_certificate_get_days_left (EimzaCertificate *self,
                                 GDateTime        *now)
{
  g_autoptr(GDateTime) current = NULL;
  GTimeSpan span;

  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), 0);

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  span = g_date_time_difference (self->not_after, now);
  /* Round towards minus infinity, so that the last day counts as 0 and
   * a certificate that ended an hour ago as -1. */
  if (span < 0)
    return -((-span + G_TIME_SPAN_DAY - 1) / G_TIME_SPAN_DAY);
  return span / G_TIME_SPAN_DAY;
}

gboolean
eimza_certificate_is_expired (EimzaCertificate *self,
                              GDateTime        *now)
{
  g_autoptr(GDateTime) current = NULL;

  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), TRUE);

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  return g_date_time_compare (now, self->not_after) > 0;
}

gboolean
eimza_certificate_is_expiring_soon (EimzaCertificate *self,
                                    GDateTime        *now)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), FALSE);

  return !eimza_certificate_is_expired (self, now) &&
         eimza_certificate_get_days_left (self, now) <= EIMZA_CERTIFICATE_EXPIRY_WARNING_DAYS;
}

EimzaKeyUsage
eimza_certificate_get_key_usage (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), 0);
  return self->key_usage;
}

gboolean
eimza_certificate_is_signing (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), FALSE);
  return (self->key_usage & EIMZA_KEY_USAGE_NON_REPUDIATION) != 0;
}

EimzaKeyType
eimza_certificate_get_key_type (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), EIMZA_KEY_TYPE_UNKNOWN);
  return self->key_type;
}

guint
eimza_certificate_get_key_bits (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), 0);
  return self->key_bits;
}

const char *
eimza_certificate_get_curve (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->curve;
}

gboolean
eimza_certificate_has_qc_statements (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), FALSE);
  return self->qc_statements;
}

gboolean
eimza_certificate_has_nes_policy (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), FALSE);
  return self->nes_policy;
}

gboolean
eimza_certificate_is_qualified (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), FALSE);
  return self->qc_statements || self->nes_policy;
}

gboolean
eimza_certificate_chains_to_kamusm (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), FALSE);
  return self->chains_to_kamusm;
}

gboolean
eimza_certificate_chains_to (EimzaCertificate *self,
                             GBytes           *anchors_pem,
                             GBytes           *intermediates_pem)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;
  gboolean result;
  gsize size;

  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (anchors_pem != NULL, FALSE);

  if (gnutls_x509_crt_init (&crt) < 0)
    return FALSE;
  datum.data = (unsigned char *) g_bytes_get_data (self->der, &size);
  datum.size = size;
  result = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) >= 0 &&
           verify_chain (crt, anchors_pem, intermediates_pem);
  gnutls_x509_crt_deinit (crt);

  return result;
}

const char *
eimza_certificate_get_uri (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->uri;
}

const char *
eimza_certificate_get_key_uri (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->key_uri;
}

const char *
eimza_certificate_get_label (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->label;
}

const char *
eimza_certificate_get_token_label (EimzaCertificate *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (self), NULL);
  return self->token_label;
}

/* --- Reading certificates from tokens --------------------------------------- */

/* The private key that belongs to a certificate has the same CKA_ID; its
 * label may differ, so the label is dropped when there is an ID. The
 * module's attributes stay. */
static char *
key_uri_for_certificate (const char *cert_uri)
{
  P11KitUri *uri = p11_kit_uri_new ();
  CK_OBJECT_CLASS klass = CKO_PRIVATE_KEY;
  CK_ATTRIBUTE class_attr = { CKA_CLASS, &klass, sizeof klass };
  char *formatted = NULL;
  char *result = NULL;

  if (p11_kit_uri_parse (cert_uri, P11_KIT_URI_FOR_OBJECT_ON_TOKEN_AND_MODULE, uri) ==
      P11_KIT_URI_OK)
    {
      if (p11_kit_uri_get_attribute (uri, CKA_ID) != NULL)
        p11_kit_uri_clear_attribute (uri, CKA_LABEL);
      p11_kit_uri_set_attribute (uri, &class_attr);
      if (p11_kit_uri_format (uri, P11_KIT_URI_FOR_OBJECT_ON_TOKEN_AND_MODULE, &formatted) ==
          P11_KIT_URI_OK)
        result = g_strdup (formatted);
      free (formatted);
    }

  p11_kit_uri_free (uri);
  return result;
}

static gboolean
token_matches (const char *filter,
               const char *token_uri)
{
  P11KitUri *wanted;
  P11KitUri *have;
  gboolean match = FALSE;

  if (filter == NULL)
    return TRUE;

  wanted = p11_kit_uri_new ();
  have = p11_kit_uri_new ();
  if (p11_kit_uri_parse (filter, P11_KIT_URI_FOR_ANY, wanted) == P11_KIT_URI_OK &&
      p11_kit_uri_parse (token_uri, P11_KIT_URI_FOR_TOKEN, have) == P11_KIT_URI_OK)
    match = p11_kit_uri_match_token_info (wanted, p11_kit_uri_get_token_info (have));

  p11_kit_uri_free (wanted);
  p11_kit_uri_free (have);
  return match;
}

static char *
object_label (gnutls_pkcs11_obj_t obj)
{
  char buffer[256];
  size_t size = sizeof buffer;

  if (gnutls_pkcs11_obj_get_info (obj, GNUTLS_PKCS11_OBJ_LABEL, buffer, &size) < 0)
    return NULL;

  return g_utf8_make_valid (buffer, (gssize) size);
}

static EimzaCertificate *
certificate_from_object (gnutls_pkcs11_obj_t   obj,
                         EimzaPkcs11Token     *token,
                         GError              **error)
{
  g_autoptr(EimzaCertificate) self = NULL;
  g_autoptr(GBytes) der = NULL;
  gnutls_datum_t datum = { NULL, 0 };
  char *url = NULL;
  int ret;

  ret = gnutls_pkcs11_obj_export2 (obj, &datum);
  if (!eimza_card_error_from_gnutls (ret, EIMZA_CARD_ERROR_TOKEN, error))
    return NULL;
  der = g_bytes_new (datum.data, datum.size);
  gnutls_free (datum.data);

  self = eimza_certificate_new_from_der (der, error);
  if (self == NULL)
    return NULL;

  /* With the module's description (as the token's URI has it), so that
   * GnuTLS asks only that module when the key is used. */
  if (gnutls_pkcs11_obj_export_url (obj, GNUTLS_PKCS11_URL_LIB, &url) >= 0)
    {
      self->uri = g_strdup (url);
      self->key_uri = key_uri_for_certificate (url);
      gnutls_free (url);
    }
  self->label = object_label (obj);
  self->token_label = g_strdup (eimza_pkcs11_token_get_label (token));

  return g_steal_pointer (&self);
}

GPtrArray *
eimza_pkcs11_list_certificates (EimzaPkcs11   *pkcs11,
                                const char    *token_uri,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GPtrArray) certificates = NULL;

  g_return_val_if_fail (pkcs11 != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tokens = eimza_pkcs11_list_tokens (pkcs11, error);
  if (tokens == NULL)
    return NULL;

  certificates = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < tokens->len; i++)
    {
      EimzaPkcs11Token *token = g_ptr_array_index (tokens, i);
      gnutls_pkcs11_obj_t *objects = NULL;
      unsigned int n_objects = 0;
      int ret;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (!token_matches (token_uri, eimza_pkcs11_token_get_uri (token)))
        continue;

      ret = gnutls_pkcs11_obj_list_import_url4 (&objects, &n_objects,
                                                eimza_pkcs11_token_get_uri (token),
                                                GNUTLS_PKCS11_OBJ_FLAG_CRT);
      if (ret < 0)
        {
          /* One unreadable token (e.g. a card taken out just now) does not
           * hide the certificates on the others. */
          g_debug ("Cannot list certificates on %s: %s", eimza_pkcs11_token_get_uri (token),
                   gnutls_strerror (ret));
          continue;
        }

      for (unsigned int j = 0; j < n_objects; j++)
        {
          g_autoptr(GError) local_error = NULL;
          EimzaCertificate *certificate;

          certificate = certificate_from_object (objects[j], token, &local_error);
          if (certificate != NULL)
            g_ptr_array_add (certificates, certificate);
          else
            g_debug ("Skipping an unreadable certificate: %s", local_error->message);
          gnutls_pkcs11_obj_deinit (objects[j]);
        }
      gnutls_free (objects);
    }

  return g_steal_pointer (&certificates);
}
