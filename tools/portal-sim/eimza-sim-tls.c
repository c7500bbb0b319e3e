/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's throwaway test CA and its server certificate for loopback. */
#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "eimza-sim-tls.h"

#define CA_COMMON_NAME "E-İmza Asistanı Test CA"
#define SERVER_COMMON_NAME "localhost"
#define VALIDITY_YEARS 2

struct _EimzaSimTls
{
  char *dir;
  char *ca_path;
  char *cert_path;
  char *key_path;
  gboolean temporary;
  GTlsCertificate *certificate;
};

G_DEFINE_QUARK (eimza-sim-tls-error-quark, eimza_sim_tls_error)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

static gboolean
check_gnutls (int          ret,
              const char  *what,
              GError     **error)
{
  if (ret >= 0)
    return TRUE;

  g_set_error (error, EIMZA_SIM_TLS_ERROR, EIMZA_SIM_TLS_ERROR_GNUTLS,
               "Cannot %s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

static gboolean
generate_key (gnutls_x509_privkey_t  *out_key,
              GError                **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;

  unsigned int bits = GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1);

  if (!check_gnutls (gnutls_x509_privkey_init (&key), "create a key", error)
      || !check_gnutls (gnutls_x509_privkey_generate2 (key, GNUTLS_PK_ECDSA, bits, 0, NULL, 0),
                        "generate an ECDSA P-256 key", error))
    return FALSE;

  *out_key = g_steal_pointer (&key);
  return TRUE;
}

/* Version, serial, validity, subject, public key and subject key id: what
 * both certificates share. Valid from a day ago, so that a clock a little
 * behind does not refuse it. */
static gboolean
start_certificate (gnutls_x509_crt_t       crt,
                   gnutls_x509_privkey_t   key,
                   const char             *common_name,
                   GError                **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_years (now, VALIDITY_YEARS);
  time_t activation = g_date_time_to_unix (now) - 24 * 60 * 60;
  unsigned char serial[16];
  unsigned char key_id[64];
  size_t key_id_size = sizeof key_id;

  if (!check_gnutls (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "draw a serial", error))
    return FALSE;
  /* A positive number without a leading zero byte, as RFC 5280 wants. */
  serial[0] = (serial[0] & 0x7f) | 0x01;

  return check_gnutls (gnutls_x509_crt_set_version (crt, 3), "set the version", error)
    && check_gnutls (gnutls_x509_crt_set_serial (crt, serial, sizeof serial),
                     "set the serial", error)
    && check_gnutls (gnutls_x509_crt_set_activation_time (crt, activation),
                     "set the start of validity", error)
    && check_gnutls (gnutls_x509_crt_set_expiration_time (crt, g_date_time_to_unix (expires)),
                     "set the end of validity", error)
    && check_gnutls (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                    common_name, strlen (common_name)),
                     "set the subject", error)
    && check_gnutls (gnutls_x509_crt_set_key (crt, key), "set the public key", error)
    && check_gnutls (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size),
                     "compute the key id", error)
    && check_gnutls (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size),
                     "set the subject key id", error);
}

static gboolean
make_ca (gnutls_x509_crt_t      *out_crt,
         gnutls_x509_privkey_t  *out_key,
         GError                **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;

  if (!generate_key (&key, error)
      || !check_gnutls (gnutls_x509_crt_init (&crt), "create a certificate", error)
      || !start_certificate (crt, key, CA_COMMON_NAME, error)
      /* Path length 0: this CA signs the server certificate and nothing else. */
      || !check_gnutls (gnutls_x509_crt_set_basic_constraints (crt, 1, 0),
                        "set the basic constraints", error)
      || !check_gnutls (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_KEY_CERT_SIGN
                                                             | GNUTLS_KEY_CRL_SIGN),
                        "set the key usage", error)
      || !check_gnutls (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0),
                        "self-sign the CA", error))
    return FALSE;

  *out_crt = g_steal_pointer (&crt);
  *out_key = g_steal_pointer (&key);
  return TRUE;
}

static gboolean
add_loopback_names (gnutls_x509_crt_t   crt,
                    GError            **error)
{
  const unsigned char ipv4[4] = { 127, 0, 0, 1 };
  const unsigned char ipv6[16] = { [15] = 1 };

  return check_gnutls (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS,
                                                             ipv4, sizeof ipv4,
                                                             GNUTLS_FSAN_APPEND),
                       "add IP 127.0.0.1", error)
    && check_gnutls (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS,
                                                           ipv6, sizeof ipv6,
                                                           GNUTLS_FSAN_APPEND),
                     "add IP ::1", error)
    && check_gnutls (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME,
                                                           "localhost", strlen ("localhost"),
                                                           GNUTLS_FSAN_APPEND),
                     "add DNS localhost", error);
}

static gboolean
make_server_certificate (gnutls_x509_crt_t       ca_crt,
                         gnutls_x509_privkey_t   ca_key,
                         gnutls_x509_crt_t      *out_crt,
                         gnutls_x509_privkey_t  *out_key,
                         GError                **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  unsigned char ca_key_id[64];
  size_t ca_key_id_size = sizeof ca_key_id;
  unsigned int critical;

  if (!generate_key (&key, error)
      || !check_gnutls (gnutls_x509_crt_init (&crt), "create a certificate", error)
      || !start_certificate (crt, key, SERVER_COMMON_NAME, error)
      || !add_loopback_names (crt, error)
      || !check_gnutls (gnutls_x509_crt_set_basic_constraints (crt, 0, -1),
                        "set the basic constraints", error)
      || !check_gnutls (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE),
                        "set the key usage", error)
      || !check_gnutls (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
                        "set the extended key usage", error)
      || !check_gnutls (gnutls_x509_crt_get_subject_key_id (ca_crt, ca_key_id, &ca_key_id_size,
                                                            &critical),
                        "read the CA key id", error)
      || !check_gnutls (gnutls_x509_crt_set_authority_key_id (crt, ca_key_id, ca_key_id_size),
                        "set the authority key id", error)
      || !check_gnutls (gnutls_x509_crt_sign2 (crt, ca_crt, ca_key, GNUTLS_DIG_SHA256, 0),
                        "sign the server certificate", error))
    return FALSE;

  *out_crt = g_steal_pointer (&crt);
  *out_key = g_steal_pointer (&key);
  return TRUE;
}

static gboolean
write_datum (const char      *path,
             gnutls_datum_t  *datum,
             int              mode,
             GError         **error)
{
  gboolean ok = g_file_set_contents_full (path, (const char *) datum->data, datum->size,
                                          G_FILE_SET_CONTENTS_CONSISTENT, mode, error);

  /* The datum may be a private key. */
  gnutls_memset (datum->data, 0, datum->size);
  gnutls_free (datum->data);
  datum->data = NULL;

  return ok;
}

static gboolean
write_certificate (gnutls_x509_crt_t   crt,
                   const char         *path,
                   GError            **error)
{
  gnutls_datum_t pem = { NULL, 0 };

  if (!check_gnutls (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &pem),
                     "export a certificate", error))
    return FALSE;

  return write_datum (path, &pem, 0644, error);
}

/* The CA's key is never written: once the server certificate is signed,
 * nothing else should ever be trusted through this CA. */
static gboolean
create_files (EimzaSimTls  *tls,
              GError      **error)
{
  g_auto(gnutls_x509_privkey_t) ca_key = NULL;
  g_auto(gnutls_x509_privkey_t) server_key = NULL;
  g_auto(gnutls_x509_crt_t) ca_crt = NULL;
  g_auto(gnutls_x509_crt_t) server_crt = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };

  if (!make_ca (&ca_crt, &ca_key, error)
      || !make_server_certificate (ca_crt, ca_key, &server_crt, &server_key, error)
      || !check_gnutls (gnutls_x509_privkey_export2_pkcs8 (server_key, GNUTLS_X509_FMT_PEM, NULL,
                                                           GNUTLS_PKCS_PLAIN, &key_pem),
                        "export the server key", error))
    return FALSE;

  return write_datum (tls->key_path, &key_pem, 0600, error)
    && write_certificate (server_crt, tls->cert_path, error)
    && write_certificate (ca_crt, tls->ca_path, error);
}

/* The existing files, if they are all there and still make a server
 * certificate for 127.0.0.1 that the CA vouches for today. */
static GTlsCertificate *
load_files (EimzaSimTls *tls)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  if (!g_file_test (tls->ca_path, G_FILE_TEST_EXISTS)
      || !g_file_test (tls->cert_path, G_FILE_TEST_EXISTS)
      || !g_file_test (tls->key_path, G_FILE_TEST_EXISTS))
    return NULL;

  certificate = g_tls_certificate_new_from_files (tls->cert_path, tls->key_path, &error);
  if (certificate != NULL)
    ca = g_tls_certificate_new_from_file (tls->ca_path, &error);
  if (ca == NULL)
    {
      g_message ("Making new TLS files in %s: %s", tls->dir, error->message);
      return NULL;
    }

  identity = g_network_address_new ("127.0.0.1", 443);
  flags = g_tls_certificate_verify (certificate, identity, ca);
  if (flags != 0)
    {
      g_message ("Making new TLS files in %s: the old ones do not verify (flags 0x%x)",
                 tls->dir, flags);
      return NULL;
    }

  return g_steal_pointer (&certificate);
}

EimzaSimTls *
eimza_sim_tls_new (const char  *dir,
                   GError     **error)
{
  g_autoptr(EimzaSimTls) tls = g_new0 (EimzaSimTls, 1);

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error_literal (error, EIMZA_SIM_TLS_ERROR, EIMZA_SIM_TLS_ERROR_NO_BACKEND,
                           "GIO has no TLS support: install glib-networking");
      return NULL;
    }

  if (dir == NULL)
    {
      tls->dir = g_dir_make_tmp ("eimza-portal-sim-XXXXXX", error);
      if (tls->dir == NULL)
        return NULL;
      tls->temporary = TRUE;
    }
  else
    {
      tls->dir = g_canonicalize_filename (dir, NULL);
      if (g_mkdir_with_parents (tls->dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "Cannot create %s: %s", tls->dir, g_strerror (saved_errno));
          return NULL;
        }
    }

  tls->ca_path = g_build_filename (tls->dir, "ca.pem", NULL);
  tls->cert_path = g_build_filename (tls->dir, "server.pem", NULL);
  tls->key_path = g_build_filename (tls->dir, "server.key", NULL);

  tls->certificate = load_files (tls);
  if (tls->certificate == NULL)
    {
      if (!create_files (tls, error))
        return NULL;
      tls->certificate = g_tls_certificate_new_from_files (tls->cert_path, tls->key_path, error);
      if (tls->certificate == NULL)
        return NULL;
    }

  return g_steal_pointer (&tls);
}

void
eimza_sim_tls_free (EimzaSimTls *tls)
{
  if (tls == NULL)
    return;

  if (tls->temporary)
    {
      g_unlink (tls->key_path);
      g_unlink (tls->cert_path);
      g_unlink (tls->ca_path);
      g_rmdir (tls->dir);
    }

  g_clear_object (&tls->certificate);
  g_free (tls->key_path);
  g_free (tls->cert_path);
  g_free (tls->ca_path);
  g_free (tls->dir);
  g_free (tls);
}

GTlsCertificate *
eimza_sim_tls_get_certificate (EimzaSimTls *tls)
{
  return tls->certificate;
}

const char *
eimza_sim_tls_get_ca_path (EimzaSimTls *tls)
{
  return tls->ca_path;
}
