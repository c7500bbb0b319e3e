/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's throwaway test CA and its server certificate for loopback. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EIMZA_SIM_TLS_ERROR (eimza_sim_tls_error_quark ())

/**
 * EimzaSimTlsError:
 * @EIMZA_SIM_TLS_ERROR_GNUTLS: GnuTLS failed to make a key or certificate.
 * @EIMZA_SIM_TLS_ERROR_NO_BACKEND: GIO has no TLS backend (glib-networking
 *   is missing), so the server cannot speak HTTPS.
 */
typedef enum {
  EIMZA_SIM_TLS_ERROR_GNUTLS,
  EIMZA_SIM_TLS_ERROR_NO_BACKEND,
} EimzaSimTlsError;

typedef struct _EimzaSimTls EimzaSimTls;

GQuark           eimza_sim_tls_error_quark      (void);

/* Loads DIR/ca.pem, DIR/server.pem and DIR/server.key, or creates them
 * when any is missing or they no longer verify (expired, other CA). With
 * @dir NULL they go into a private temporary directory that
 * eimza_sim_tls_free() removes. */
EimzaSimTls     *eimza_sim_tls_new              (const char  *dir,
                                                 GError     **error);
void             eimza_sim_tls_free             (EimzaSimTls *tls);

GTlsCertificate *eimza_sim_tls_get_certificate  (EimzaSimTls *tls);
const char      *eimza_sim_tls_get_ca_path      (EimzaSimTls *tls);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimTls, eimza_sim_tls_free)

G_END_DECLS
