/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the application needs to know about an X.509 certificate on a card. */
#pragma once

#include <gio/gio.h>

#include "eimza-pkcs11-modules.h"

G_BEGIN_DECLS

/* Certificates whose validity ends within this many days are shown as
 * expiring soon; Kamu SM starts its renewal reminders at the same point. */
#define EIMZA_CERTIFICATE_EXPIRY_WARNING_DAYS 40

/* The certificate policy of Kamu SM's qualified (NES) certificates. */
#define EIMZA_CERTIFICATE_NES_POLICY_OID "2.16.792.1.2.1.1.5.7.1.1"
/* id-pe-qcStatements (RFC 3739): the certificate is a qualified one. */
#define EIMZA_CERTIFICATE_QC_STATEMENTS_OID "1.3.6.1.5.5.7.1.3"

typedef enum {
  EIMZA_KEY_TYPE_UNKNOWN,
  EIMZA_KEY_TYPE_RSA,
  EIMZA_KEY_TYPE_EC,
} EimzaKeyType;

/* The X.509 key usage bits (RFC 5280 §4.2.1.3). */
typedef enum {
  EIMZA_KEY_USAGE_DIGITAL_SIGNATURE = 1 << 0,
  EIMZA_KEY_USAGE_NON_REPUDIATION   = 1 << 1,
  EIMZA_KEY_USAGE_KEY_ENCIPHERMENT  = 1 << 2,
  EIMZA_KEY_USAGE_DATA_ENCIPHERMENT = 1 << 3,
  EIMZA_KEY_USAGE_KEY_AGREEMENT     = 1 << 4,
  EIMZA_KEY_USAGE_KEY_CERT_SIGN     = 1 << 5,
  EIMZA_KEY_USAGE_CRL_SIGN          = 1 << 6,
} EimzaKeyUsage;

#define EIMZA_TYPE_CERTIFICATE (eimza_certificate_get_type ())

G_DECLARE_FINAL_TYPE (EimzaCertificate, eimza_certificate, EIMZA, CERTIFICATE, GObject)

/* Parses a DER certificate; %G_IO_ERROR_INVALID_DATA if it is not one.
 * The object is immutable and may be passed between threads. */
EimzaCertificate *eimza_certificate_new_from_der        (GBytes            *der,
                                                         GError           **error);
/* The first certificate of a PEM text. */
EimzaCertificate *eimza_certificate_new_from_pem        (const char        *pem,
                                                         gssize             length,
                                                         GError           **error);

GBytes           *eimza_certificate_get_der             (EimzaCertificate  *self);
/* Lower-case hex, no separators. */
const char       *eimza_certificate_get_sha256_fingerprint (EimzaCertificate *self);
const char       *eimza_certificate_get_serial_hex      (EimzaCertificate  *self);

const char       *eimza_certificate_get_subject_dn      (EimzaCertificate  *self);
const char       *eimza_certificate_get_subject_cn      (EimzaCertificate  *self);
/* The subject's serialNumber attribute (OID 2.5.4.5) as written. */
const char       *eimza_certificate_get_subject_serial_number (EimzaCertificate *self);
/* The T.C. Kimlik No taken from the subject serialNumber (plain or in an
 * ETSI semantic identifier such as "IDCTR-…"), only if it has 11 digits
 * and a valid checksum; else %NULL. */
const char       *eimza_certificate_get_tckn            (EimzaCertificate  *self);
const char       *eimza_certificate_get_issuer_dn       (EimzaCertificate  *self);
const char       *eimza_certificate_get_issuer_cn       (EimzaCertificate  *self);

GDateTime        *eimza_certificate_get_not_before      (EimzaCertificate  *self);
GDateTime        *eimza_certificate_get_not_after       (EimzaCertificate  *self);
/* Whole days from @now (%NULL: the current time) to the end of validity,
 * rounded down; negative once expired. */
gint64            eimza_certificate_get_days_left       (EimzaCertificate  *self,
                                                         GDateTime         *now);
gboolean          eimza_certificate_is_expired          (EimzaCertificate  *self,
                                                         GDateTime         *now);
/* Valid but ending within %EIMZA_CERTIFICATE_EXPIRY_WARNING_DAYS days. */
gboolean          eimza_certificate_is_expiring_soon    (EimzaCertificate  *self,
                                                         GDateTime         *now);

/* All bits if the certificate has no key usage extension. */
EimzaKeyUsage     eimza_certificate_get_key_usage       (EimzaCertificate  *self);
/* Whether this certificate is for electronic signatures: its key usage
 * includes nonRepudiation (contentCommitment). */
gboolean          eimza_certificate_is_signing          (EimzaCertificate  *self);

EimzaKeyType      eimza_certificate_get_key_type        (EimzaCertificate  *self);
guint             eimza_certificate_get_key_bits        (EimzaCertificate  *self);
/* "P-256", "P-384", "P-521" (or GnuTLS's name of another curve); %NULL for
 * RSA keys. */
const char       *eimza_certificate_get_curve           (EimzaCertificate  *self);

gboolean          eimza_certificate_has_qc_statements   (EimzaCertificate  *self);
gboolean          eimza_certificate_has_nes_policy      (EimzaCertificate  *self);
/* Qualified: has QC statements or the NES certificate policy. */
gboolean          eimza_certificate_is_qualified        (EimzaCertificate  *self);

/* Whether the certificate's signatures lead to Kamu SM's NES hierarchy
 * (version 6, shipped in the application). Validity dates are not
 * considered: an expired certificate still shows where it came from. */
gboolean          eimza_certificate_chains_to_kamusm    (EimzaCertificate  *self);
/* The same check against other anchors (PEM, one or more certificates),
 * with optional intermediate certificates (PEM). */
gboolean          eimza_certificate_chains_to           (EimzaCertificate  *self,
                                                         GBytes            *anchors_pem,
                                                         GBytes            *intermediates_pem);
/* Kamu SM's root and NES certificates, PEM, from the library's resources. */
GBytes           *eimza_certificate_get_kamusm_root_pem (void);
GBytes           *eimza_certificate_get_kamusm_nes_pem  (void);

/* Where the certificate is, when it was read from a card; else %NULL. */
const char       *eimza_certificate_get_uri             (EimzaCertificate  *self);
/* The URI of the private key with the certificate's CKA_ID. Whether the
 * key exists can only be seen after a login. */
const char       *eimza_certificate_get_key_uri         (EimzaCertificate  *self);
const char       *eimza_certificate_get_label           (EimzaCertificate  *self);
const char       *eimza_certificate_get_token_label     (EimzaCertificate  *self);

/* The certificates on the present tokens (all but trust stores), or on
 * the tokens @token_uri matches. Worker thread only.
 * Returns: (transfer container) (element-type EimzaCertificate). */
GPtrArray        *eimza_pkcs11_list_certificates        (EimzaPkcs11       *pkcs11,
                                                         const char        *token_uri,
                                                         GCancellable      *cancellable,
                                                         GError           **error);

G_END_DECLS
