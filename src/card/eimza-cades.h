/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CAdES-BES signatures (CMS SignedData) with a key on the card, and their check. */
#pragma once

#include <gio/gio.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-secret.h"

G_BEGIN_DECLS

/* id-aa-signingCertificateV2 (RFC 5035), the ESS attribute that binds the
 * signer's certificate into a CAdES-BES signature. */
#define EIMZA_CADES_SIGNING_CERTIFICATE_V2_OID "1.2.840.113549.1.9.16.2.47"

/**
 * EimzaCadesFlags:
 * @EIMZA_CADES_DETACHED: the signature does not contain the content.
 * @EIMZA_CADES_ENVELOPING: the content is embedded in the signature.
 * @EIMZA_CADES_FINAL_TRY_CONFIRMED: the person agreed to spend the last
 *   PIN try (see %EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED).
 */
typedef enum {
  EIMZA_CADES_DETACHED            = 0,
  EIMZA_CADES_ENVELOPING          = 1 << 0,
  EIMZA_CADES_FINAL_TRY_CONFIRMED = 1 << 1,
} EimzaCadesFlags;

/* Signs @content with the key at @key_uri and the certificate at
 * @cert_uri: CMS SignedData, SHA-256, RSA PKCS#1 v1.5 or ECDSA, with the
 * signed attributes content-type, message-digest, signing-time and
 * signing-certificate-v2 (CAdES-BES), and the signer's certificate.
 * Logs in with @pin following the PIN safety rules of
 * eimza_pkcs11_session_login() and logs out afterwards. Worker thread
 * only. Returns: (transfer full): the DER of the ContentInfo. */
GBytes               *eimza_cades_sign                 (EimzaPkcs11           *pkcs11,
                                                        GBytes                *content,
                                                        const char            *cert_uri,
                                                        const char            *key_uri,
                                                        EimzaSecret           *pin,
                                                        EimzaCadesFlags        flags,
                                                        GCancellable          *cancellable,
                                                        GError               **error);

/* eimza_cades_sign() on the worker. @pin is referenced, never copied. */
void        eimza_cades_sign_async                  (EimzaCardService     *service,
                                                     GBytes               *content,
                                                     const char           *cert_uri,
                                                     const char           *key_uri,
                                                     EimzaSecret          *pin,
                                                     EimzaCadesFlags       flags,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GBytes     *eimza_cades_sign_finish                 (EimzaCardService     *service,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* The same with a key the caller already holds (a software key in tests
 * and in the portal simulator). */
GBytes               *eimza_cades_sign_with_key        (GBytes                *content,
                                                        gnutls_x509_crt_t      signer,
                                                        gnutls_privkey_t       key,
                                                        EimzaCadesFlags        flags,
                                                        GError               **error);

/**
 * EimzaCadesSignature:
 *
 * The result of checking a signature with eimza_cades_verify().
 */
typedef struct _EimzaCadesSignature EimzaCadesSignature;

/* Checks the first signature of a CMS SignedData (DER): that it matches
 * the content (@detached_content for a detached signature, %NULL for an
 * enveloping one) and that the signer's certificate chains to one of the
 * certificates in @trust_pem. Fails with %EIMZA_CARD_ERROR_SIGN and a
 * message saying what is wrong. */
EimzaCadesSignature  *eimza_cades_verify               (GBytes                *cms,
                                                        GBytes                *detached_content,
                                                        GBytes                *trust_pem,
                                                        GError               **error);

EimzaCertificate     *eimza_cades_signature_get_signer (EimzaCadesSignature   *signature);
/* %NULL if the signature has no signing-time attribute. */
GDateTime            *eimza_cades_signature_get_signing_time (EimzaCadesSignature *signature);
/* The signed content (embedded or as given). */
GBytes               *eimza_cades_signature_get_content (EimzaCadesSignature  *signature);
/* Whether the signing-certificate-v2 attribute is present and names the
 * signer's certificate (SHA-256). */
gboolean              eimza_cades_signature_has_signing_certificate_v2 (EimzaCadesSignature *signature);
gboolean              eimza_cades_signature_is_detached (EimzaCadesSignature  *signature);
void                  eimza_cades_signature_free       (EimzaCadesSignature   *signature);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaCadesSignature, eimza_cades_signature_free)

G_END_DECLS
