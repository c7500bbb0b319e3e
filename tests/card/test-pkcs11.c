/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for PKCS#11 module discovery, tokens, certificates and the PIN rules, on SoftHSM2. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "eimza-certificate.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-pkcs11-token.h"
#include "softhsm-fixture.h"

/*
 * GnuTLS keeps one list of PKCS#11 modules per process, and a module is
 * initialised once, so every case runs in a subprocess of its own
 * (g_test_trap_subprocess) on a freshly restored token.
 *
 * Cases through p11-kit use Debian's softhsm2.module registration with
 * SOFTHSM2_CONF pointing at the fixture. The PIN rule cases use only the
 * PIN policy module (pin-policy-module.c), which wraps SoftHSM2 and locks
 * after three wrong PINs like a real card; its state file counts every
 * C_Login that verified a PIN.
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

  /* A real libakisp11.so on the test machine must not take part. */
  g_mkdir_with_parents (no_vendor, 0700);
  eimza_pkcs11_set_vendor_dirs (pkcs11, dirs);
  eimza_pkcs11_set_use_registered (pkcs11, use_registered);
  eimza_pkcs11_set_extra_module (pkcs11, extra_module);

  return pkcs11;
}

/* Only the PIN policy module, as the e-signature card. */
static EimzaPkcs11 *
new_policy_pkcs11 (void)
{
  return new_pkcs11 (FALSE, softhsm_fixture_pin_policy_module ());
}

static EimzaPkcs11Module *
find_module (GPtrArray               *modules,
             EimzaPkcs11ModuleSource  source)
{
  for (guint i = 0; i < modules->len; i++)
    {
      EimzaPkcs11Module *module = g_ptr_array_index (modules, i);

      if (eimza_pkcs11_module_get_source (module) == source)
        return module;
    }

  return NULL;
}

static EimzaPkcs11Module *
find_module_by_name (GPtrArray  *modules,
                     const char *name)
{
  for (guint i = 0; i < modules->len; i++)
    {
      EimzaPkcs11Module *module = g_ptr_array_index (modules, i);

      if (g_strcmp0 (eimza_pkcs11_module_get_name (module), name) == 0)
        return module;
    }

  return NULL;
}

static EimzaPkcs11Token *
find_token (GPtrArray  *tokens,
            const char *label)
{
  for (guint i = 0; i < tokens->len; i++)
    {
      EimzaPkcs11Token *token = g_ptr_array_index (tokens, i);

      if (g_strcmp0 (eimza_pkcs11_token_get_label (token), label) == 0)
        return token;
    }

  return NULL;
}

/* The token URI of the policy module's view of the test token. */
static const char *
policy_token_uri (void)
{
  return "pkcs11:model=" PIN_POLICY_MODEL ";token=EIMZA%20TEST";
}

/* --- Module discovery ---------------------------------------------------------- */

static void
test_modules_registered (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11Module *softhsm;
  EimzaPkcs11Module *vendor;
  EimzaPkcs11Token *token;
  gboolean trust_store_seen = FALSE;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_pkcs11 (TRUE, NULL);
  modules = eimza_pkcs11_list_modules (pkcs11, &error);
  g_assert_no_error (error);

  softhsm = find_module_by_name (modules, "softhsm2");
  g_assert_nonnull (softhsm);
  g_assert_cmpint (eimza_pkcs11_module_get_source (softhsm), ==,
                   EIMZA_PKCS11_MODULE_SOURCE_REGISTERED);
  g_assert_cmpint (eimza_pkcs11_module_get_status (softhsm), ==, EIMZA_PKCS11_MODULE_LOADED);
  g_assert_true (g_str_has_suffix (eimza_pkcs11_module_get_path (softhsm), "libsofthsm2.so"));
  g_assert_cmpstr (eimza_pkcs11_module_get_description (softhsm), ==,
                   "Implementation of PKCS11");
  g_assert_cmpstr (eimza_pkcs11_module_get_manufacturer (softhsm), ==, "SoftHSM");
  g_assert_false (eimza_pkcs11_module_is_trust_store (softhsm));
  g_assert_null (eimza_pkcs11_module_get_error_message (softhsm));

  token = find_token (eimza_pkcs11_module_get_tokens (softhsm), SOFTHSM_TOKEN_LABEL);
  g_assert_nonnull (token);
  g_assert_cmpstr (eimza_pkcs11_token_get_model (token), ==, "SoftHSM v2");
  g_assert_true (g_str_has_prefix (eimza_pkcs11_token_get_uri (token), "pkcs11:"));
  g_assert_nonnull (strstr (eimza_pkcs11_token_get_uri (token), "token=EIMZA%20TEST"));

  for (guint i = 0; i < modules->len; i++)
    trust_store_seen |= eimza_pkcs11_module_is_trust_store (g_ptr_array_index (modules, i));
  g_assert_true (trust_store_seen);

  /* No libakisp11.so in the (empty) vendor directory: the report says so. */
  vendor = find_module (modules, EIMZA_PKCS11_MODULE_SOURCE_VENDOR);
  g_assert_nonnull (vendor);
  g_assert_cmpint (eimza_pkcs11_module_get_status (vendor), ==, EIMZA_PKCS11_MODULE_MISSING);
  g_assert_cmpstr (eimza_pkcs11_module_get_path (vendor), ==, EIMZA_PKCS11_VENDOR_MODULE);
  g_assert_nonnull (strstr (eimza_pkcs11_module_get_error_message (vendor), "libakisp11.so"));

  /* Tokens for signing leave the system trust store out. */
  tokens = eimza_pkcs11_list_tokens (pkcs11, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_token (tokens, SOFTHSM_TOKEN_LABEL));
  for (guint i = 0; i < tokens->len; i++)
    g_assert_false (eimza_pkcs11_token_get_flags (g_ptr_array_index (tokens, i)) &
                    EIMZA_PKCS11_TOKEN_TRUST_STORE);
}

static void
test_modules_explicit_path (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11Module *configured;
  EimzaPkcs11Token *token;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_pkcs11 (FALSE, softhsm_fixture_pin_policy_module ());
  modules = eimza_pkcs11_list_modules (pkcs11, &error);
  g_assert_no_error (error);

  /* Without the registry, only our module and the missing vendor module. */
  g_assert_null (find_module_by_name (modules, "softhsm2"));
  configured = find_module (modules, EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED);
  g_assert_nonnull (configured);
  g_assert_cmpint (eimza_pkcs11_module_get_status (configured), ==,
                   EIMZA_PKCS11_MODULE_LOADED);
  g_assert_cmpstr (eimza_pkcs11_module_get_path (configured), ==,
                   softhsm_fixture_pin_policy_module ());
  g_assert_cmpstr (eimza_pkcs11_module_get_description (configured), ==,
                   "EIMZA PIN policy test module");

  token = find_token (eimza_pkcs11_module_get_tokens (configured), SOFTHSM_TOKEN_LABEL);
  g_assert_nonnull (token);
  g_assert_cmpstr (eimza_pkcs11_token_get_model (token), ==, PIN_POLICY_MODEL);
}

static void
test_modules_vendor_dir (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *link = NULL;
  EimzaPkcs11Module *vendor;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  /* A stand-in for /usr/lib/akia/libakisp11.so. */
  dir = softhsm_fixture_path ("akia");
  link = g_build_filename (dir, EIMZA_PKCS11_VENDOR_MODULE, NULL);
  g_mkdir_with_parents (dir, 0700);
  g_unlink (link);
  g_assert_cmpint (symlink (softhsm_fixture_pin_policy_module (), link), ==, 0);

  pkcs11 = new_pkcs11 (FALSE, NULL);
  {
    const char * const dirs[] = { "/nonexistent", dir, NULL };

    eimza_pkcs11_set_vendor_dirs (pkcs11, dirs);
  }

  modules = eimza_pkcs11_list_modules (pkcs11, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (modules->len, ==, 1);

  vendor = find_module (modules, EIMZA_PKCS11_MODULE_SOURCE_VENDOR);
  g_assert_cmpint (eimza_pkcs11_module_get_status (vendor), ==, EIMZA_PKCS11_MODULE_LOADED);
  g_assert_cmpstr (eimza_pkcs11_module_get_path (vendor), ==, link);
  g_assert_nonnull (find_token (eimza_pkcs11_module_get_tokens (vendor), SOFTHSM_TOKEN_LABEL));
}

static void
test_modules_akis_no_os_locking (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11Module *configured;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  /* The module now answers CKR_CANT_LOCK to C_Initialize with OS locking,
   * like some AKİS versions. */
  g_setenv ("EIMZA_PIN_POLICY_REJECT_OS_LOCKING", "1", TRUE);

  pkcs11 = new_policy_pkcs11 ();
  modules = eimza_pkcs11_list_modules (pkcs11, &error);
  g_assert_no_error (error);

  configured = find_module (modules, EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED);
  g_assert_nonnull (configured);
  g_assert_cmpint (eimza_pkcs11_module_get_status (configured), ==,
                   EIMZA_PKCS11_MODULE_LOADED_WITHOUT_OS_LOCKING);
  g_assert_true (eimza_pkcs11_module_is_loaded (configured));
  g_assert_nonnull (find_token (eimza_pkcs11_module_get_tokens (configured),
                                SOFTHSM_TOKEN_LABEL));

  /* And GnuTLS can use it. */
  certificates = eimza_pkcs11_list_certificates (pkcs11, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (certificates->len, ==, 4);
}

static void
test_modules_configured_missing (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11Module *configured;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_pkcs11 (FALSE, "/nonexistent/libnothing.so");
  modules = eimza_pkcs11_list_modules (pkcs11, &error);
  g_assert_no_error (error);

  configured = find_module (modules, EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED);
  g_assert_nonnull (configured);
  g_assert_cmpint (eimza_pkcs11_module_get_status (configured), ==,
                   EIMZA_PKCS11_MODULE_MISSING);
  g_assert_false (eimza_pkcs11_module_is_loaded (configured));
  g_assert_nonnull (strstr (eimza_pkcs11_module_get_error_message (configured),
                            "/nonexistent/libnothing.so"));
}

static void
test_modules_not_a_module (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = NULL;
  EimzaPkcs11Module *configured;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  ca = softhsm_fixture_path ("testca.pem");
  pkcs11 = new_pkcs11 (FALSE, ca);
  modules = eimza_pkcs11_list_modules (pkcs11, &error);
  g_assert_no_error (error);

  configured = find_module (modules, EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED);
  g_assert_nonnull (configured);
  g_assert_cmpint (eimza_pkcs11_module_get_status (configured), ==, EIMZA_PKCS11_MODULE_FAILED);
  g_assert_nonnull (eimza_pkcs11_module_get_error_message (configured));
  g_assert_cmpuint (eimza_pkcs11_module_get_tokens (configured)->len, ==, 0);
}

/* --- Certificates ------------------------------------------------------------------ */

static EimzaCertificate *
find_certificate (GPtrArray  *certificates,
                  const char *label)
{
  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);

      if (g_strcmp0 (eimza_certificate_get_label (certificate), label) == 0)
        return certificate;
    }

  return NULL;
}

static void
assert_certificate_on_token (EimzaCertificate *certificate,
                             const char       *id)
{
  g_autofree char *id_part = g_strdup_printf ("id=%%%s", id);
  g_autoptr(GBytes) ca = softhsm_fixture_read ("testca.pem");
  const char *uri = eimza_certificate_get_uri (certificate);
  const char *key_uri = eimza_certificate_get_key_uri (certificate);

  g_assert_nonnull (certificate);
  g_assert_cmpstr (eimza_certificate_get_subject_cn (certificate), ==, SOFTHSM_SUBJECT_CN);
  g_assert_cmpstr (eimza_certificate_get_tckn (certificate), ==, SOFTHSM_TCKN);
  g_assert_cmpstr (eimza_certificate_get_issuer_cn (certificate), ==, SOFTHSM_ISSUER_CN);
  g_assert_cmpstr (eimza_certificate_get_token_label (certificate), ==, SOFTHSM_TOKEN_LABEL);
  g_assert_true (eimza_certificate_chains_to (certificate, ca, NULL));
  g_assert_false (eimza_certificate_chains_to_kamusm (certificate));

  g_assert_true (g_str_has_prefix (uri, "pkcs11:"));
  g_assert_nonnull (strstr (uri, "type=cert"));
  g_assert_nonnull (strstr (uri, id_part));
  g_assert_nonnull (strstr (uri, "token=EIMZA%20TEST"));

  /* The key: same token and CKA_ID, no label. */
  g_assert_nonnull (strstr (key_uri, "type=private"));
  g_assert_nonnull (strstr (key_uri, id_part));
  g_assert_nonnull (strstr (key_uri, "token=EIMZA%20TEST"));
  g_assert_null (strstr (key_uri, "object="));
}

static void
test_certificates_list (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;
  EimzaCertificate *certificate;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_pkcs11 (TRUE, NULL);
  certificates = eimza_pkcs11_list_certificates (pkcs11, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The system trust store's hundreds of CA certificates are not listed.
   * (Other registered modules, e.g. OpenSC with a virtual card of the
   * card service tests, may add certificates of their own.) */
  {
    guint on_test_token = 0;

    for (guint i = 0; i < certificates->len; i++)
      {
        EimzaCertificate *certificate = g_ptr_array_index (certificates, i);
        const char *token_label = eimza_certificate_get_token_label (certificate);

        g_assert_null (strstr (token_label, "Trust"));
        on_test_token += g_strcmp0 (token_label, SOFTHSM_TOKEN_LABEL) == 0;
      }
    g_assert_cmpuint (on_test_token, ==, 4);
  }

  certificate = find_certificate (certificates, SOFTHSM_TCKN "NES0");
  assert_certificate_on_token (certificate, "01");
  g_assert_cmpint (eimza_certificate_get_key_type (certificate), ==, EIMZA_KEY_TYPE_RSA);
  g_assert_cmpuint (eimza_certificate_get_key_bits (certificate), ==, 2048);
  g_assert_true (eimza_certificate_is_signing (certificate));
  g_assert_true (eimza_certificate_has_qc_statements (certificate));
  g_assert_true (eimza_certificate_is_qualified (certificate));
  g_assert_false (eimza_certificate_is_expiring_soon (certificate, NULL));

  certificate = find_certificate (certificates, SOFTHSM_TCKN "NES1");
  assert_certificate_on_token (certificate, "02");
  g_assert_cmpint (eimza_certificate_get_key_type (certificate), ==, EIMZA_KEY_TYPE_EC);
  g_assert_cmpstr (eimza_certificate_get_curve (certificate), ==, "P-256");
  g_assert_true (eimza_certificate_is_signing (certificate));
  g_assert_false (eimza_certificate_has_qc_statements (certificate));
  g_assert_true (eimza_certificate_is_qualified (certificate));

  certificate = find_certificate (certificates, SOFTHSM_TCKN "NES2");
  assert_certificate_on_token (certificate, "03");
  g_assert_true (eimza_certificate_is_expiring_soon (certificate, NULL));
  g_assert_cmpint (eimza_certificate_get_days_left (certificate, NULL), >=, 9);
  g_assert_cmpint (eimza_certificate_get_days_left (certificate, NULL), <=, 10);

  certificate = find_certificate (certificates, SOFTHSM_TCKN "AUTH");
  assert_certificate_on_token (certificate, "04");
  g_assert_false (eimza_certificate_is_signing (certificate));
  g_assert_false (eimza_certificate_is_qualified (certificate));
}

static void
test_certificates_filter (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_pkcs11 (TRUE, NULL);

  certificates = eimza_pkcs11_list_certificates (pkcs11, SOFTHSM_TOKEN_URI, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (certificates->len, ==, 4);
  g_clear_pointer (&certificates, g_ptr_array_unref);

  certificates = eimza_pkcs11_list_certificates (pkcs11, "pkcs11:token=ANOTHER", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (certificates->len, ==, 0);
  g_clear_pointer (&certificates, g_ptr_array_unref);

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    certificates = eimza_pkcs11_list_certificates (pkcs11, NULL, cancellable, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (certificates);
  }
}

/* --- Tokens and the PIN rules ----------------------------------------------------------- */

static EimzaPkcs11TokenFlags
policy_token_flags (EimzaPkcs11 *pkcs11)
{
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(GError) error = NULL;

  token = eimza_pkcs11_lookup_token (pkcs11, policy_token_uri (), &error);
  g_assert_no_error (error);
  return eimza_pkcs11_token_get_flags (token);
}

#define PIN_STATE_FLAGS (EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW | EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY | \
                         EIMZA_PKCS11_TOKEN_PIN_LOCKED)

static GError *
try_login (EimzaPkcs11           *pkcs11,
           const char            *pin_value,
           EimzaPkcs11LoginFlags  flags)
{
  g_autoptr(EimzaSecret) pin = pin_value != NULL ? eimza_secret_new (pin_value, -1) : NULL;
  g_autoptr(EimzaPkcs11Session) session = NULL;
  GError *error = NULL;

  session = eimza_pkcs11_session_login (pkcs11, policy_token_uri (), pin, flags, NULL, &error);
  g_assert_true ((session == NULL) == (error != NULL));
  if (session != NULL)
    g_assert_cmpstr (eimza_pkcs11_token_get_label (eimza_pkcs11_session_get_token (session)),
                     ==, SOFTHSM_TOKEN_LABEL);

  return error;
}

static void
test_token_flags (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_policy_pkcs11 ();
  token = eimza_pkcs11_lookup_token (pkcs11, policy_token_uri (), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (eimza_pkcs11_token_get_label (token), ==, SOFTHSM_TOKEN_LABEL);
  g_assert_cmpstr (eimza_pkcs11_token_get_manufacturer (token), ==, "SoftHSM project");
  g_assert_cmpstr (eimza_pkcs11_token_get_model (token), ==, PIN_POLICY_MODEL);
  g_assert_cmpuint (strlen (eimza_pkcs11_token_get_serial (token)), >, 0);
  g_assert_cmpint (eimza_pkcs11_token_get_flags (token) &
                   (EIMZA_PKCS11_TOKEN_LOGIN_REQUIRED | EIMZA_PKCS11_TOKEN_PIN_INITIALIZED |
                    EIMZA_PKCS11_TOKEN_PINPAD | PIN_STATE_FLAGS),
                   ==, EIMZA_PKCS11_TOKEN_LOGIN_REQUIRED | EIMZA_PKCS11_TOKEN_PIN_INITIALIZED);
  g_assert_cmpuint (eimza_pkcs11_token_get_min_pin_length (token), ==, 4);
  g_assert_cmpuint (eimza_pkcs11_token_get_max_pin_length (token), ==, 255);
  g_assert_cmpstr (eimza_pkcs11_token_get_module_path (token), ==,
                   softhsm_fixture_pin_policy_module ());
  g_assert_cmpstr (eimza_pkcs11_token_get_module_description (token), ==,
                   "EIMZA PIN policy test module");
  g_clear_pointer (&token, eimza_pkcs11_token_unref);

  token = eimza_pkcs11_lookup_token (pkcs11, "pkcs11:token=ABSENT", &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD);
  g_assert_null (token);
}

static void
test_pin_correct (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_policy_pkcs11 ();
  error = try_login (pkcs11, SOFTHSM_USER_PIN, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_no_error (error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
  g_assert_cmpint (policy_token_flags (pkcs11) & PIN_STATE_FLAGS, ==, 0);
}

static void
test_pin_wrong_no_retry (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_policy_pkcs11 ();
  error = try_login (pkcs11, SOFTHSM_WRONG_PIN, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);

  /* Exactly one C_Login: the PIN was not tried again. */
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);
  g_assert_cmpint (policy_token_flags (pkcs11) & PIN_STATE_FLAGS, ==,
                   EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW);
}

static void
test_pin_final_try (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_policy_pkcs11 ();

  error = try_login (pkcs11, SOFTHSM_WRONG_PIN, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_clear_error (&error);
  g_assert_cmpint (policy_token_flags (pkcs11) & PIN_STATE_FLAGS, ==,
                   EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW);

  error = try_login (pkcs11, SOFTHSM_WRONG_PIN, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_nonnull (strstr (error->message, "one more wrong PIN locks the card"));
  g_clear_error (&error);
  g_assert_true (policy_token_flags (pkcs11) & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 2);

  /* The last try is not spent without the person's consent, not even
   * with the right PIN. */
  error = try_login (pkcs11, SOFTHSM_USER_PIN, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_clear_error (&error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 2);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 2);

  /* With consent it is; the right PIN resets the counter. */
  error = try_login (pkcs11, SOFTHSM_USER_PIN, EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED);
  g_assert_no_error (error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 3);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
  g_assert_cmpint (policy_token_flags (pkcs11) & PIN_STATE_FLAGS, ==, 0);
}

static void
test_pin_locked (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_policy_pkcs11 ();

  for (guint i = 0; i < 2; i++)
    {
      error = try_login (pkcs11, SOFTHSM_WRONG_PIN, EIMZA_PKCS11_LOGIN_DEFAULT);
      g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
      g_clear_error (&error);
    }

  /* The third wrong PIN, confirmed, locks the card. */
  error = try_login (pkcs11, SOFTHSM_WRONG_PIN, EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED);
  g_assert_nonnull (strstr (error->message, "https://nesbireysel.kamusm.gov.tr"));
  g_clear_error (&error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 3);
  g_assert_cmpint (policy_token_flags (pkcs11) & PIN_STATE_FLAGS, ==,
                   EIMZA_PKCS11_TOKEN_PIN_LOCKED);

  /* A locked card gets no C_Login at all, whatever the flags and PIN. */
  error = try_login (pkcs11, SOFTHSM_USER_PIN, EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED);
  g_assert_nonnull (strstr (error->message, "Kilit Çözme"));
  g_assert_nonnull (strstr (error->message, "https://nesbireysel.kamusm.gov.tr"));
  g_clear_error (&error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 3);

  {
    g_autoptr(EimzaPkcs11Token) token = eimza_pkcs11_lookup_token (pkcs11, policy_token_uri (),
                                                                    &error);

    g_assert_no_error (error);
    g_assert_false (eimza_pkcs11_token_check_pin_policy (token,
                                                         EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED,
                                                         &error));
    g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED);
  }
}

static void
test_pin_survives_restart_first (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    return;

  pkcs11 = new_policy_pkcs11 ();
  error = try_login (pkcs11, SOFTHSM_WRONG_PIN, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_clear_error (&error);
  error = try_login (pkcs11, SOFTHSM_WRONG_PIN, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
}

static void
test_pin_survives_restart_second (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    return;

  /* A new process sees the card as the last one left it. */
  pkcs11 = new_policy_pkcs11 ();
  g_assert_true (policy_token_flags (pkcs11) & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY);
  error = try_login (pkcs11, SOFTHSM_USER_PIN, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
}

static void
test_pin_survives_restart (void)
{
  softhsm_fixture_restore ();

  g_test_trap_subprocess ("/pkcs11/pin/survives-restart/subprocess/first", 0,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 2);

  g_test_trap_subprocess ("/pkcs11/pin/survives-restart/subprocess/second", 0,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 2);
}

static void
test_pin_pinpad (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  /* The reader's keypad "types" the right PIN; the application sends none. */
  g_setenv ("EIMZA_PIN_POLICY_PINPAD", SOFTHSM_USER_PIN, TRUE);
  pkcs11 = new_policy_pkcs11 ();
  g_assert_true (policy_token_flags (pkcs11) & EIMZA_PKCS11_TOKEN_PINPAD);

  error = try_login (pkcs11, NULL, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_no_error (error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);

  /* A wrong PIN on the keypad counts like any other. */
  g_setenv ("EIMZA_PIN_POLICY_PINPAD", SOFTHSM_WRONG_PIN, TRUE);
  error = try_login (pkcs11, NULL, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_clear_error (&error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 2);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);

  error = try_login (pkcs11, NULL, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_clear_error (&error);

  /* The final-try rule holds on a pinpad too. */
  error = try_login (pkcs11, NULL, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 3);
}

static void
test_pin_invalid_form (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_policy_pkcs11 ();

  /* Shorter than the token's minimum: not sent, not counted. */
  error = try_login (pkcs11, "12", EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID);
  g_clear_error (&error);

  error = try_login (pkcs11, "", EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID);
  g_clear_error (&error);

  error = try_login (pkcs11, NULL, EIMZA_PKCS11_LOGIN_DEFAULT);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID);
  g_clear_error (&error);

  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
}

static void
test_pin_cancelled (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(EimzaSecret) pin = eimza_secret_new (SOFTHSM_USER_PIN, -1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EimzaPkcs11Session) session = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = new_policy_pkcs11 ();
  g_cancellable_cancel (cancellable);
  session = eimza_pkcs11_session_login (pkcs11, policy_token_uri (), pin,
                                        EIMZA_PKCS11_LOGIN_DEFAULT, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (session);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
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
      g_test_add_func ("/pkcs11/skipped", skip_without_tools);
      return g_test_run ();
    }

  g_test_add_func ("/pkcs11/modules/registered", test_modules_registered);
  g_test_add_func ("/pkcs11/modules/explicit-path", test_modules_explicit_path);
  g_test_add_func ("/pkcs11/modules/vendor-dir", test_modules_vendor_dir);
  g_test_add_func ("/pkcs11/modules/akis-no-os-locking", test_modules_akis_no_os_locking);
  g_test_add_func ("/pkcs11/modules/configured-missing", test_modules_configured_missing);
  g_test_add_func ("/pkcs11/modules/not-a-module", test_modules_not_a_module);
  g_test_add_func ("/pkcs11/certificates/list", test_certificates_list);
  g_test_add_func ("/pkcs11/certificates/filter", test_certificates_filter);
  g_test_add_func ("/pkcs11/token/flags", test_token_flags);
  g_test_add_func ("/pkcs11/pin/correct", test_pin_correct);
  g_test_add_func ("/pkcs11/pin/wrong-no-retry", test_pin_wrong_no_retry);
  g_test_add_func ("/pkcs11/pin/final-try", test_pin_final_try);
  g_test_add_func ("/pkcs11/pin/locked", test_pin_locked);
  g_test_add_func ("/pkcs11/pin/survives-restart", test_pin_survives_restart);
  g_test_add_func ("/pkcs11/pin/survives-restart/subprocess/first",
                   test_pin_survives_restart_first);
  g_test_add_func ("/pkcs11/pin/survives-restart/subprocess/second",
                   test_pin_survives_restart_second);
  g_test_add_func ("/pkcs11/pin/pinpad", test_pin_pinpad);
  g_test_add_func ("/pkcs11/pin/invalid-form", test_pin_invalid_form);
  g_test_add_func ("/pkcs11/pin/cancelled", test_pin_cancelled);

  result = g_test_run ();
  softhsm_fixture_cleanup ();
  return result;
}
