/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card's TLS client key under a private GnuTLS URL, signing on the card worker. */
#pragma once

#include <gio/gio.h>
#include <gnutls/gnutls.h>

#include "eimza-card-service.h"
#include "eimza-card-tls-signer.h"
#include "eimza-pkcs11-token.h"
#include "eimza-secret.h"

G_BEGIN_DECLS

/*
 * Card-library internals behind eimza_card_tls_interaction_route().
 *
 * GnuTLS learns the URL scheme "eimza-card:" (gnutls_register_custom_url):
 * for such a URL, gnutls_x509_crt_import_url() gets the certificate's DER
 * that the card service read earlier, and gnutls_privkey_import_url() a
 * key whose signatures are jobs on the card worker. glib-networking gives
 * both URLs to GnuTLS as it would give PKCS#11 URLs, so its handshake
 * thread never calls the card's PKCS#11 module: the worker is the only
 * thread that does.
 */

/* The scheme, with its colon. */
#define EIMZA_CARD_TLS_URL_SCHEME "eimza-card:"

/* Teaches GnuTLS the scheme; once per process, main thread, before any
 * handshake. */
void      eimza_card_tls_key_init            (void);

/* Registers the certificate @der whose private key is @key_uri (a PKCS#11
 * URL on the card), signed for through @signer (held weakly; its main
 * context is the calling thread's). Checks on @service's worker which signature mechanisms the
 * card offers. Returns the registration's number; @cert_url and @key_url
 * name it for GnuTLS. */
guint     eimza_card_tls_key_register        (EimzaCardTlsSigner   *signer,
                                              EimzaCardService     *service,
                                              GBytes               *der,
                                              const char           *key_uri,
                                              char                **cert_url,
                                              char                **key_url,
                                              GError              **error);
/* Later imports of the URLs fail; keys already imported fail to sign. */
void      eimza_card_tls_key_unregister      (guint                 id);

/* One TLS signature on the worker: logs in on the token of @key_uri with
 * @pin (eimza_pkcs11_session_login(), so a locked card gets no PIN and a
 * last try needs %EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED), signs @data for
 * @algorithm as GnuTLS asks an external key to (GNUTLS_SIGN_RSA_RAW: a
 * PKCS#1 v1.5 signature of the DigestInfo in @data; RSA-PSS and ECDSA: of
 * the hash in @data, ECDSA's as DER), and logs out again. @pin is
 * referenced, never copied. */
void      eimza_card_tls_sign_async          (EimzaCardService      *service,
                                              const char            *key_uri,
                                              EimzaSecret           *pin,
                                              EimzaPkcs11LoginFlags  flags,
                                              gnutls_sign_algorithm_t algorithm,
                                              GBytes                *data,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
GBytes   *eimza_card_tls_sign_finish         (EimzaCardService      *service,
                                              GAsyncResult          *result,
                                              GError               **error);

G_END_DECLS
