/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for CAdES-BES signing with SoftHSM2 keys, checked by openssl and by our verifier. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>

#include "eimza-cades.h"
#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-pkcs11.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-pkcs11-token.h"
#include "softhsm-fixture.h"

/*
 * Every signature made here is verified by `openssl cms -verify` against
 * the test CA, and `openssl cms -cmsout -print` must show the CAdES-BES
 * signed attributes (softhsm_fixture_assert_openssl_verifies()). Each case
 * runs in a subprocess on a restored token (see test-pkcs11.c for why).
 */

static void
run_isolated (void)
{
  softhsm_fixture_restore ();
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static EimzaPkcs11 *
new_pkcs11 (gboolean    use_registered,
            const char *extra_module)
{
  EimzaPkcs11 *pkcs11 = eimza_pkcs11_new ();
  g_autofree char *no_vendor = softhsm_fixture_path ("no-vendor");
  const char * const dirs[] = { no_vendor, NULL };

  g_mkdir_with_parents (no_vendor, 0700);
  eimza_pkcs11_set_vendor_dirs (pkcs11, dirs);
  eimza_pkcs11_set_use_registered (pkcs11, use_registered);
  eimza_pkcs11_set_extra_module (pkcs11, extra_module);

  return pkcs11;
}

static EimzaCertificate *
find_certificate (EimzaPkcs11 *pkcs11,
                  const char  *label)
{
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = eimza_pkcs11_list_certificates (pkcs11, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);

      if (g_strcmp0 (eimza_certificate_get_label (certificate), label) == 0)
        return g_object_ref (certificate);
    }

  g_error ("No certificate labelled %s", label);
}

static GBytes *
sign (EimzaPkcs11       *pkcs11,
      EimzaCertificate  *certificate,
      GBytes            *content,
      const char        *pin_value,
      EimzaCadesFlags    flags,
      GError           **error)
{
  g_autoptr(EimzaSecret) pin = eimza_secret_new (pin_value, -1);

  return eimza_cades_sign (pkcs11, content, eimza_certificate_get_uri (certificate),
                           eimza_certificate_get_key_uri (certificate), pin, flags, NULL,
                           error);
}

/* Our own verifier must agree with openssl. */
static void
assert_own_verifier_accepts (GBytes           *cms,
                             GBytes           *content,
                             gboolean          detached,
                             EimzaCertificate *expected_signer)
{
  g_autoptr(GBytes) ca = softhsm_fixture_read ("testca.pem");
  g_autoptr(EimzaCadesSignature) signature = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  EimzaCertificate *signer;
  GTimeSpan age;

  signature = eimza_cades_verify (cms, detached ? content : NULL, ca, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signature);

  signer = eimza_cades_signature_get_signer (signature);
  g_assert_cmpstr (eimza_certificate_get_sha256_fingerprint (signer), ==,
                   eimza_certificate_get_sha256_fingerprint (expected_signer));
  g_assert_true (eimza_cades_signature_has_signing_certificate_v2 (signature));
  g_assert_cmpint (eimza_cades_signature_is_detached (signature), ==, detached);
  g_assert_true (g_bytes_equal (eimza_cades_signature_get_content (signature), content));

  g_assert_nonnull (eimza_cades_signature_get_signing_time (signature));
  age = g_date_time_difference (now, eimza_cades_signature_get_signing_time (signature));
  g_assert_cmpint (age, >=, -5 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (age, <=, 120 * G_TIME_SPAN_SECOND);
}

static gboolean
bytes_contain (GBytes *haystack,
               GBytes *needle)
{
  gsize size;
  gsize needle_size;
  const guint8 *data = g_bytes_get_data (haystack, &size);
  const guint8 *pattern = g_bytes_get_data (needle, &needle_size);

  for (gsize i = 0; needle_size <= size && i <= size - needle_size; i++)
    if (memcmp (data + i, pattern, needle_size) == 0)
      return TRUE;

  return FALSE;
}

static void
sign_and_check (const char *label,
                gboolean    detached)
{
  g_autoptr(EimzaPkcs11) pkcs11 = new_pkcs11 (TRUE, NULL);
  g_autoptr(EimzaCertificate) certificate = find_certificate (pkcs11, label);
  g_autoptr(GBytes) content = softhsm_fixture_read ("content.txt");
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  cms = sign (pkcs11, certificate, content, SOFTHSM_USER_PIN,
              detached ? EIMZA_CADES_DETACHED : EIMZA_CADES_ENVELOPING, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cms);

  g_assert_cmpint (bytes_contain (cms, content), ==, !detached);

  softhsm_fixture_assert_openssl_verifies (cms, content, detached);
  assert_own_verifier_accepts (cms, content, detached, certificate);
}

static void
test_sign_rsa_detached (void)
{
  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  sign_and_check (SOFTHSM_TCKN "NES0", TRUE);
}

static void
test_sign_rsa_enveloping (void)
{
  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  sign_and_check (SOFTHSM_TCKN "NES0", FALSE);
}

static void
test_sign_ec_detached (void)
{
  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  sign_and_check (SOFTHSM_TCKN "NES1", TRUE);
}

static void
test_sign_ec_enveloping (void)
{
  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  sign_and_check (SOFTHSM_TCKN "NES1", FALSE);
}

static void
test_sign_expiring (void)
{
  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  sign_and_check (SOFTHSM_TCKN "NES2", TRUE);
}

static void
test_sign_repeated (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;
  g_autoptr(GBytes) content = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  /* Each signature logs in and out again: a second one needs the PIN too. */
  pkcs11 = new_pkcs11 (TRUE, NULL);
  certificate = find_certificate (pkcs11, SOFTHSM_TCKN "NES1");
  content = g_bytes_new_static ("ilk", 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) cms = NULL;
      g_autoptr(GError) error = NULL;

      cms = sign (pkcs11, certificate, content, SOFTHSM_USER_PIN, EIMZA_CADES_DETACHED, &error);
      g_assert_no_error (error);
      softhsm_fixture_assert_openssl_verifies (cms, content, TRUE);
    }

  {
    g_autoptr(GBytes) cms = NULL;
    g_autoptr(GError) error = NULL;

    cms = sign (pkcs11, certificate, content, SOFTHSM_WRONG_PIN, EIMZA_CADES_DETACHED, &error);
    g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
    g_assert_null (cms);
  }
}

static void
test_verify_rejects (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GBytes) ca = NULL;
  g_autoptr(GBytes) kamusm = NULL;
  g_autoptr(EimzaCadesSignature) signature = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_pkcs11 (TRUE, NULL);
  certificate = find_certificate (pkcs11, SOFTHSM_TCKN "NES0");
  content = softhsm_fixture_read ("content.txt");
  cms = sign (pkcs11, certificate, content, SOFTHSM_USER_PIN, EIMZA_CADES_DETACHED, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, content, TRUE);

  ca = softhsm_fixture_read ("testca.pem");
  kamusm = eimza_certificate_get_kamusm_root_pem ();

  /* Other content. */
  other = g_bytes_new_static ("başka içerik", strlen ("başka içerik"));
  signature = eimza_cades_verify (cms, other, ca, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN);
  g_assert_null (signature);
  g_clear_error (&error);

  /* Detached, but no content. */
  signature = eimza_cades_verify (cms, NULL, ca, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN);
  g_clear_error (&error);

  /* Right content, untrusted issuer. */
  signature = eimza_cades_verify (cms, content, kamusm, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN);
  g_clear_error (&error);

  /* Not CMS at all. */
  signature = eimza_cades_verify (content, content, ca, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN);
  g_clear_error (&error);
}

static void
test_sign_software_key (void)
{
  g_autoptr(GBytes) cert_pem = NULL;
  g_autoptr(GBytes) key_pem = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaCertificate) signer = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_privkey_t key = NULL;
  gnutls_datum_t datum;

  /* No token involved: the path the portal simulator uses. */
  cert_pem = softhsm_fixture_read ("soft-cert.pem");
  key_pem = softhsm_fixture_read ("soft-key.pem");
  content = softhsm_fixture_read ("content.txt");

  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  datum.data = (unsigned char *) g_bytes_get_data (cert_pem, NULL);
  datum.size = g_bytes_get_size (cert_pem);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM), ==, 0);
  g_assert_cmpint (gnutls_privkey_init (&key), ==, 0);
  datum.data = (unsigned char *) g_bytes_get_data (key_pem, NULL);
  datum.size = g_bytes_get_size (key_pem);
  g_assert_cmpint (gnutls_privkey_import_x509_raw (key, &datum, GNUTLS_X509_FMT_PEM, NULL, 0),
                   ==, 0);

  cms = eimza_cades_sign_with_key (content, crt, key, EIMZA_CADES_ENVELOPING, &error);
  g_assert_no_error (error);

  gnutls_privkey_deinit (key);
  gnutls_x509_crt_deinit (crt);

  softhsm_fixture_assert_openssl_verifies (cms, content, FALSE);
  signer = eimza_certificate_new_from_pem (g_bytes_get_data (cert_pem, NULL),
                                           (gssize) g_bytes_get_size (cert_pem), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_certificate_get_tckn (signer), ==, "10000000078");
  assert_own_verifier_accepts (cms, content, FALSE, signer);
}

/* --- PIN rules while signing (PIN policy module) ------------------------------------- */

static EimzaPkcs11 *
new_policy_pkcs11 (void)
{
  return new_pkcs11 (FALSE, softhsm_fixture_pin_policy_module ());
}

static void
test_sign_wrong_pin (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_policy_pkcs11 ();
  certificate = find_certificate (pkcs11, SOFTHSM_TCKN "NES0");
  content = softhsm_fixture_read ("content.txt");

  cms = sign (pkcs11, certificate, content, SOFTHSM_WRONG_PIN, EIMZA_CADES_DETACHED, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_null (cms);
  /* One C_Login, no retry by GnuTLS or by us. */
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);
  g_clear_error (&error);

  /* The right PIN now signs and resets the count. */
  cms = sign (pkcs11, certificate, content, SOFTHSM_USER_PIN, EIMZA_CADES_DETACHED, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, content, TRUE);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 2);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
}

static void
test_sign_final_try (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  softhsm_fixture_set_pin_failures (2);
  pkcs11 = new_policy_pkcs11 ();
  certificate = find_certificate (pkcs11, SOFTHSM_TCKN "NES1");
  content = softhsm_fixture_read ("content.txt");

  cms = sign (pkcs11, certificate, content, SOFTHSM_USER_PIN, EIMZA_CADES_ENVELOPING, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_assert_null (cms);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  g_clear_error (&error);

  cms = sign (pkcs11, certificate, content, SOFTHSM_USER_PIN,
              EIMZA_CADES_ENVELOPING | EIMZA_CADES_FINAL_TRY_CONFIRMED, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, content, FALSE);
  assert_own_verifier_accepts (cms, content, FALSE, certificate);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
}

static void
test_sign_locked (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  softhsm_fixture_set_pin_failures (3);
  pkcs11 = new_policy_pkcs11 ();
  certificate = find_certificate (pkcs11, SOFTHSM_TCKN "NES0");
  content = softhsm_fixture_read ("content.txt");

  cms = sign (pkcs11, certificate, content, SOFTHSM_USER_PIN,
              EIMZA_CADES_DETACHED | EIMZA_CADES_FINAL_TRY_CONFIRMED, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED);
  g_assert_nonnull (strstr (error->message, "https://nesbireysel.kamusm.gov.tr"));
  g_assert_null (cms);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
}

static void
test_sign_no_os_locking (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  g_setenv ("EIMZA_PIN_POLICY_REJECT_OS_LOCKING", "1", TRUE);
  pkcs11 = new_policy_pkcs11 ();
  certificate = find_certificate (pkcs11, SOFTHSM_TCKN "NES0");
  content = softhsm_fixture_read ("content.txt");

  cms = sign (pkcs11, certificate, content, SOFTHSM_USER_PIN, EIMZA_CADES_DETACHED, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, content, TRUE);
  assert_own_verifier_accepts (cms, content, TRUE, certificate);
}

static void
test_sign_unknown_certificate (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaSecret) pin = eimza_secret_new (SOFTHSM_USER_PIN, -1);
  g_autoptr(GBytes) content = g_bytes_new_static ("x", 1);
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_policy_pkcs11 ();
  cms = eimza_cades_sign (pkcs11, content,
                          "pkcs11:model=" PIN_POLICY_MODEL ";token=EIMZA%20TEST;id=%77;type=cert",
                          "pkcs11:model=" PIN_POLICY_MODEL ";token=EIMZA%20TEST;id=%77;type=private",
                          pin, EIMZA_CADES_DETACHED, NULL, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NOT_FOUND);
  g_assert_null (cms);
  /* No PIN try is spent on a signature that cannot be made. */
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
}

/* --- An earlier login (the NES site's TLS login) before a signature --------------------- */

static int
tls_login_pin_cb (void         *user_data,
                  int           attempt,
                  const char   *token_url,
                  const char   *token_label,
                  unsigned int  flags,
                  char         *pin,
                  size_t        pin_max)
{
  if (attempt > 0 || pin_max < sizeof SOFTHSM_USER_PIN)
    return -1;
  memcpy (pin, SOFTHSM_USER_PIN, sizeof SOFTHSM_USER_PIN);
  return 0;
}

/* Logs in the way glib-networking's GnuTLS does for the TLS client
 * certificate, and keeps the key (and with it GnuTLS's logged-in
 * session) until the caller frees it. */
static gnutls_privkey_t
tls_login (EimzaCertificate *certificate)
{
  static const guint8 data[] = "TLS CertificateVerify";
  gnutls_datum_t datum = { (unsigned char *) data, sizeof data };
  gnutls_datum_t signature = { NULL, 0 };
  gnutls_privkey_t key = NULL;

  g_assert_cmpint (gnutls_privkey_init (&key), ==, 0);
  gnutls_privkey_set_pin_function (key, tls_login_pin_cb, NULL);
  g_assert_cmpint (gnutls_privkey_import_url (key, eimza_certificate_get_key_uri (certificate), 0),
                   ==, 0);
  g_assert_cmpint (gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &datum, &signature),
                   ==, 0);
  gnutls_free (signature.data);
  g_assert_cmpuint (softhsm_fixture_login_calls (), >=, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  return key;
}

/* After the TLS login, a module whose C_Logout fails, does nothing, or
 * whose session state cannot be read: a wrong PIN must never sign, and
 * no PIN is sent while the earlier login is still there. */
static guint
sign_after_tls_login (const char *logout_mode,
                      const char *session_info_mode,
                      GQuark      expected_domain,
                      int         expected_code)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  gnutls_privkey_t tls_key;
  guint tls_logins;

  if (logout_mode != NULL)
    g_setenv ("EIMZA_PIN_POLICY_LOGOUT", logout_mode, TRUE);
  if (session_info_mode != NULL)
    g_setenv ("EIMZA_PIN_POLICY_SESSION_INFO", session_info_mode, TRUE);

  pkcs11 = new_policy_pkcs11 ();
  certificate = find_certificate (pkcs11, SOFTHSM_TCKN "NES0");
  content = softhsm_fixture_read ("content.txt");
  tls_key = tls_login (certificate);
  tls_logins = softhsm_fixture_login_calls ();

  cms = sign (pkcs11, certificate, content, SOFTHSM_WRONG_PIN, EIMZA_CADES_DETACHED, &error);
  g_assert_null (cms);
  g_assert_error (error, expected_domain, expected_code);

  gnutls_privkey_deinit (tls_key);
  /* How many PINs our signature sent to the card. */
  return softhsm_fixture_login_calls () - tls_logins;
}

static void
test_sign_logout_fails (void)
{
  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  g_assert_cmpuint (sign_after_tls_login ("fail", NULL, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_TOKEN),
                    ==, 0);
  /* Refused before any PIN reached the card. */
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
}

static void
test_sign_logout_ignored (void)
{
  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  g_assert_cmpuint (sign_after_tls_login ("ignore", NULL, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_TOKEN),
                    ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
}

static void
test_sign_logout_ignored_no_session_info (void)
{
  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  /* Nothing shows the earlier login: C_Login's "already logged in" does,
   * and is not taken for a checked PIN. */
  g_assert_cmpuint (sign_after_tls_login ("ignore", "fail", EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_TOKEN),
                    ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
}

static void
test_sign_no_session_info (void)
{
  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  /* The logout works: the wrong PIN reaches the card, once, and is
   * refused there. */
  g_assert_cmpuint (sign_after_tls_login (NULL, "fail", EIMZA_CARD_ERROR,
                                          EIMZA_CARD_ERROR_PIN_INCORRECT), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);
}

static void
test_sign_after_tls_login (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  gnutls_privkey_t tls_key;
  guint tls_logins;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  /* A module that logs out properly: the earlier login is ended and the
   * right PIN, checked again, signs. */
  pkcs11 = new_policy_pkcs11 ();
  certificate = find_certificate (pkcs11, SOFTHSM_TCKN "NES0");
  content = softhsm_fixture_read ("content.txt");
  tls_key = tls_login (certificate);
  tls_logins = softhsm_fixture_login_calls ();

  cms = sign (pkcs11, certificate, content, SOFTHSM_USER_PIN, EIMZA_CADES_DETACHED, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, content, TRUE);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, tls_logins + 1);

  gnutls_privkey_deinit (tls_key);
}

/* --- Through the card service's worker thread --------------------------------------- */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
test_service_sign (void)
{
  g_autoptr(EimzaCardService) service = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(EimzaSecret) pin = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  EimzaCertificate *certificate = NULL;
  EimzaPkcs11Module *configured = NULL;
  EimzaCardService *weak;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  /* The PIN policy module as the configured module (the settings path);
   * SoftHSM2 also comes in through p11-kit, under another model name. */
  service = eimza_card_service_new ();
  weak = service;
  g_object_add_weak_pointer (G_OBJECT (service), (gpointer *) &weak);
  eimza_pkcs11_set_module_path (service, softhsm_fixture_pin_policy_module ());

  eimza_pkcs11_list_modules_async (service, NULL, store_result_cb, &result);
  modules = eimza_pkcs11_list_modules_finish (service, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  for (guint i = 0; i < modules->len; i++)
    if (eimza_pkcs11_module_get_source (g_ptr_array_index (modules, i)) ==
        EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED)
      configured = g_ptr_array_index (modules, i);
  g_assert_nonnull (configured);
  g_assert_true (eimza_pkcs11_module_is_loaded (configured));

  eimza_pkcs11_list_certificates_async (service,
                                        "pkcs11:model=" PIN_POLICY_MODEL ";token=EIMZA%20TEST",
                                        NULL, store_result_cb, &result);
  certificates = eimza_pkcs11_list_certificates_finish (service, wait_for_result (&result),
                                                        &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (certificates->len, ==, 4);
  for (guint i = 0; i < certificates->len; i++)
    if (g_strcmp0 (eimza_certificate_get_label (g_ptr_array_index (certificates, i)),
                   SOFTHSM_TCKN "NES0") == 0)
      certificate = g_ptr_array_index (certificates, i);
  g_assert_nonnull (certificate);

  eimza_pkcs11_lookup_token_async (service, eimza_certificate_get_key_uri (certificate), NULL,
                                   store_result_cb, &result);
  token = eimza_pkcs11_lookup_token_finish (service, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (eimza_pkcs11_token_get_model (token), ==, PIN_POLICY_MODEL);
  g_assert_false (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW);

  content = softhsm_fixture_read ("content.txt");
  pin = eimza_secret_new (SOFTHSM_USER_PIN, -1);
  eimza_cades_sign_async (service, content, eimza_certificate_get_uri (certificate),
                          eimza_certificate_get_key_uri (certificate), pin,
                          EIMZA_CADES_DETACHED, NULL, store_result_cb, &result);
  cms = eimza_cades_sign_finish (service, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);

  softhsm_fixture_assert_openssl_verifies (cms, content, TRUE);
  assert_own_verifier_accepts (cms, content, TRUE, certificate);

  g_clear_pointer (&modules, g_ptr_array_unref);
  g_clear_pointer (&certificates, g_ptr_array_unref);
  g_clear_object (&service);
  g_assert_null (weak);
}

/* Whether a thread named @name still runs in this process. */
static gboolean
thread_exists (const char *name)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *task;

  while (dir != NULL && (task = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", task, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_equal (g_strstrip (comm), name))
        return TRUE;
    }

  return FALSE;
}

static void
test_service_stop_stuck_job (void)
{
  g_autoptr(EimzaCardService) service = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(EimzaSecret) pin = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *block = NULL;
  g_autofree char *entered = NULL;
  EimzaCertificate *certificate = NULL;
  EimzaCardService *weak;
  gint64 start;
  gint64 elapsed;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  /* C_Login blocks as on a pinpad reader nobody types on. */
  block = softhsm_fixture_path ("block-login");
  entered = g_strconcat (block, ".entered", NULL);
  g_assert_true (g_file_set_contents (block, "", 0, NULL));
  g_setenv ("EIMZA_PIN_POLICY_BLOCK_LOGIN", block, TRUE);

  service = eimza_card_service_new ();
  weak = service;
  g_object_add_weak_pointer (G_OBJECT (service), (gpointer *) &weak);
  eimza_pkcs11_set_module_path (service, softhsm_fixture_pin_policy_module ());

  eimza_pkcs11_list_certificates_async (service,
                                        "pkcs11:model=" PIN_POLICY_MODEL ";token=EIMZA%20TEST",
                                        NULL, store_result_cb, &result);
  certificates = eimza_pkcs11_list_certificates_finish (service, wait_for_result (&result),
                                                        &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  for (guint i = 0; i < certificates->len; i++)
    if (g_strcmp0 (eimza_certificate_get_label (g_ptr_array_index (certificates, i)),
                   SOFTHSM_TCKN "NES0") == 0)
      certificate = g_ptr_array_index (certificates, i);
  g_assert_nonnull (certificate);

  content = g_bytes_new_static ("x", 1);
  pin = eimza_secret_new (SOFTHSM_USER_PIN, -1);
  eimza_cades_sign_async (service, content, eimza_certificate_get_uri (certificate),
                          eimza_certificate_get_key_uri (certificate), pin,
                          EIMZA_CADES_DETACHED, NULL, store_result_cb, &result);
  for (guint i = 0; i < 1000 && !g_file_test (entered, G_FILE_TEST_EXISTS); i++)
    g_usleep (10 * 1000);
  g_assert_true (g_file_test (entered, G_FILE_TEST_EXISTS));

  /* Quitting: the stuck job holds the service, so the application
   * disposes of it explicitly; that must return within a few seconds. */
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "*did not stop*");
  start = g_get_monotonic_time ();
  g_object_run_dispose (G_OBJECT (service));
  elapsed = g_get_monotonic_time () - start;
  g_test_assert_expected_messages ();
  g_test_message ("stop took %.2f s", elapsed / (double) G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 6 * G_USEC_PER_SEC);

  /* The module comes back later: the job still ends in this main context
   * and the worker, left behind, cleans up after itself without touching
   * the service (AddressSanitizer would see it). */
  g_unlink (block);
  cms = eimza_cades_sign_finish (service, wait_for_result (&result), &error);
  g_clear_error (&error);
  g_clear_object (&result);
  for (guint i = 0; i < 1000 && thread_exists ("eimza-card"); i++)
    g_usleep (10 * 1000);
  g_assert_false (thread_exists ("eimza-card"));

  g_clear_pointer (&certificates, g_ptr_array_unref);
  g_clear_object (&service);
  g_assert_null (weak);
}

static void
skip_without_tools (void)
{
  g_test_skip ("softhsm2, gnutls-bin or openssl is not installed");
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  if (!softhsm_fixture_init ())
    {
      g_test_add_func ("/cades/skipped", skip_without_tools);
      return g_test_run ();
    }

  g_test_add_func ("/cades/sign/rsa-detached", test_sign_rsa_detached);
  g_test_add_func ("/cades/sign/rsa-enveloping", test_sign_rsa_enveloping);
  g_test_add_func ("/cades/sign/ec-detached", test_sign_ec_detached);
  g_test_add_func ("/cades/sign/ec-enveloping", test_sign_ec_enveloping);
  g_test_add_func ("/cades/sign/expiring-certificate", test_sign_expiring);
  g_test_add_func ("/cades/sign/repeated", test_sign_repeated);
  g_test_add_func ("/cades/sign/software-key", test_sign_software_key);
  g_test_add_func ("/cades/sign/wrong-pin", test_sign_wrong_pin);
  g_test_add_func ("/cades/sign/final-try", test_sign_final_try);
  g_test_add_func ("/cades/sign/locked", test_sign_locked);
  g_test_add_func ("/cades/sign/no-os-locking", test_sign_no_os_locking);
  g_test_add_func ("/cades/sign/unknown-certificate", test_sign_unknown_certificate);
  g_test_add_func ("/cades/sign/after-tls-login", test_sign_after_tls_login);
  g_test_add_func ("/cades/sign/after-tls-login-logout-fails", test_sign_logout_fails);
  g_test_add_func ("/cades/sign/after-tls-login-logout-ignored", test_sign_logout_ignored);
  g_test_add_func ("/cades/sign/after-tls-login-logout-ignored-no-session-info",
                   test_sign_logout_ignored_no_session_info);
  g_test_add_func ("/cades/sign/after-tls-login-no-session-info", test_sign_no_session_info);
  g_test_add_func ("/cades/verify/rejects", test_verify_rejects);
  g_test_add_func ("/cades/service/sign", test_service_sign);
  g_test_add_func ("/cades/service/stop-stuck-job", test_service_stop_stuck_job);

  result = g_test_run ();
  softhsm_fixture_cleanup ();
  return result;
}
