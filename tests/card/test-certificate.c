/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for reading certificate facts: names, T.C. Kimlik No, dates, key, policies, chain. */
#include "config.h"

#include <string.h>

#include "eimza-certificate.h"
#include "softhsm-fixture.h"

static EimzaCertificate *
load_fixture_certificate (const char *name)
{
  g_autoptr(GBytes) pem = softhsm_fixture_read (name);
  g_autoptr(GError) error = NULL;
  EimzaCertificate *certificate;

  certificate = eimza_certificate_new_from_pem (g_bytes_get_data (pem, NULL),
                                                (gssize) g_bytes_get_size (pem), &error);
  g_assert_no_error (error);
  g_assert_true (EIMZA_IS_CERTIFICATE (certificate));

  return certificate;
}

static void
assert_finalized (EimzaCertificate *certificate)
{
  EimzaCertificate *weak = certificate;

  g_object_add_weak_pointer (G_OBJECT (certificate), (gpointer *) &weak);
  g_object_unref (certificate);
  g_assert_null (weak);
}

static void
assert_common_subject (EimzaCertificate *certificate)
{
  g_assert_cmpstr (eimza_certificate_get_subject_cn (certificate), ==, SOFTHSM_SUBJECT_CN);
  g_assert_cmpstr (eimza_certificate_get_subject_serial_number (certificate), ==,
                   SOFTHSM_TCKN);
  g_assert_cmpstr (eimza_certificate_get_tckn (certificate), ==, SOFTHSM_TCKN);
  g_assert_cmpstr (eimza_certificate_get_issuer_cn (certificate), ==, SOFTHSM_ISSUER_CN);
  g_assert_nonnull (strstr (eimza_certificate_get_subject_dn (certificate), "CN=AHMET YILMAZ"));
  g_assert_nonnull (strstr (eimza_certificate_get_issuer_dn (certificate), "CN=EIMZA Test CA"));
  g_assert_cmpuint (strlen (eimza_certificate_get_sha256_fingerprint (certificate)), ==, 64);
  g_assert_nonnull (eimza_certificate_get_serial_hex (certificate));
  /* Not read from a card. */
  g_assert_null (eimza_certificate_get_uri (certificate));
  g_assert_null (eimza_certificate_get_key_uri (certificate));
}

static void
assert_chains_to_test_ca (EimzaCertificate *certificate)
{
  g_autoptr(GBytes) ca = softhsm_fixture_read ("testca.pem");

  g_assert_true (eimza_certificate_chains_to (certificate, ca, NULL));
  g_assert_false (eimza_certificate_chains_to_kamusm (certificate));
}

static void
test_rsa_qualified (void)
{
  EimzaCertificate *certificate = load_fixture_certificate ("cert-01.pem");
  gint64 days;

  assert_common_subject (certificate);
  g_assert_cmpint (eimza_certificate_get_key_type (certificate), ==, EIMZA_KEY_TYPE_RSA);
  g_assert_cmpuint (eimza_certificate_get_key_bits (certificate), ==, 2048);
  g_assert_null (eimza_certificate_get_curve (certificate));
  g_assert_cmpint (eimza_certificate_get_key_usage (certificate), ==,
                   EIMZA_KEY_USAGE_DIGITAL_SIGNATURE | EIMZA_KEY_USAGE_NON_REPUDIATION);
  g_assert_true (eimza_certificate_is_signing (certificate));
  g_assert_true (eimza_certificate_has_qc_statements (certificate));
  g_assert_true (eimza_certificate_has_nes_policy (certificate));
  g_assert_true (eimza_certificate_is_qualified (certificate));

  days = eimza_certificate_get_days_left (certificate, NULL);
  g_assert_cmpint (days, >=, 1093);
  g_assert_cmpint (days, <=, 1095);
  g_assert_false (eimza_certificate_is_expired (certificate, NULL));
  g_assert_false (eimza_certificate_is_expiring_soon (certificate, NULL));

  assert_chains_to_test_ca (certificate);

  /* The properties show the same facts. */
  {
    g_autofree char *cn = NULL;
    gboolean signing = FALSE;
    gboolean qualified = FALSE;

    g_object_get (certificate, "subject-cn", &cn, "signing", &signing, "qualified", &qualified,
                  NULL);
    g_assert_cmpstr (cn, ==, SOFTHSM_SUBJECT_CN);
    g_assert_true (signing);
    g_assert_true (qualified);
  }

  assert_finalized (certificate);
}

static void
test_ec_policy_only (void)
{
  EimzaCertificate *certificate = load_fixture_certificate ("cert-02.pem");

  assert_common_subject (certificate);
  g_assert_cmpint (eimza_certificate_get_key_type (certificate), ==, EIMZA_KEY_TYPE_EC);
  g_assert_cmpstr (eimza_certificate_get_curve (certificate), ==, "P-256");
  g_assert_true (eimza_certificate_is_signing (certificate));
  g_assert_false (eimza_certificate_has_qc_statements (certificate));
  g_assert_true (eimza_certificate_has_nes_policy (certificate));
  g_assert_true (eimza_certificate_is_qualified (certificate));
  assert_chains_to_test_ca (certificate);

  assert_finalized (certificate);
}

static void
test_expiring (void)
{
  EimzaCertificate *certificate = load_fixture_certificate ("cert-03.pem");
  GDateTime *not_after = eimza_certificate_get_not_after (certificate);
  g_autoptr(GDateTime) last_hour = g_date_time_add_hours (not_after, -1);
  g_autoptr(GDateTime) day_after = g_date_time_add_hours (not_after, 25);
  g_autoptr(GDateTime) forty_days_before = g_date_time_add_days (not_after, -40);
  g_autoptr(GDateTime) forty_one_days_before = g_date_time_add_days (not_after, -41);
  gint64 days;

  assert_common_subject (certificate);

  /* Issued for 10 days a moment ago. */
  days = eimza_certificate_get_days_left (certificate, NULL);
  g_assert_cmpint (days, >=, 9);
  g_assert_cmpint (days, <=, 10);
  g_assert_true (eimza_certificate_is_expiring_soon (certificate, NULL));
  g_assert_false (eimza_certificate_is_expired (certificate, NULL));

  g_assert_cmpint (eimza_certificate_get_days_left (certificate, last_hour), ==, 0);
  g_assert_true (eimza_certificate_is_expiring_soon (certificate, last_hour));

  g_assert_cmpint (eimza_certificate_get_days_left (certificate, day_after), ==, -2);
  g_assert_true (eimza_certificate_is_expired (certificate, day_after));
  g_assert_false (eimza_certificate_is_expiring_soon (certificate, day_after));

  g_assert_cmpint (eimza_certificate_get_days_left (certificate, forty_days_before), ==, 40);
  g_assert_true (eimza_certificate_is_expiring_soon (certificate, forty_days_before));
  g_assert_cmpint (eimza_certificate_get_days_left (certificate, forty_one_days_before), ==, 41);
  g_assert_false (eimza_certificate_is_expiring_soon (certificate, forty_one_days_before));

  assert_finalized (certificate);
}

static void
test_not_signing (void)
{
  EimzaCertificate *certificate = load_fixture_certificate ("cert-04.pem");

  assert_common_subject (certificate);
  g_assert_cmpint (eimza_certificate_get_key_usage (certificate), ==,
                   EIMZA_KEY_USAGE_DIGITAL_SIGNATURE);
  g_assert_false (eimza_certificate_is_signing (certificate));
  g_assert_false (eimza_certificate_is_qualified (certificate));

  assert_finalized (certificate);
}

static void
test_kamusm (void)
{
  g_autoptr(GBytes) root_pem = eimza_certificate_get_kamusm_root_pem ();
  g_autoptr(GBytes) nes_pem = eimza_certificate_get_kamusm_nes_pem ();
  g_autoptr(GError) error = NULL;
  EimzaCertificate *root;
  EimzaCertificate *nes;

  nes = eimza_certificate_new_from_pem (g_bytes_get_data (nes_pem, NULL), -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_certificate_get_subject_cn (nes), ==,
                   "Kamu Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 6");
  g_assert_cmpstr (eimza_certificate_get_issuer_cn (nes), ==,
                   "Kamu SM Kök Sertifika Hizmet Sağlayıcısı - Sürüm 6");
  g_assert_cmpint (eimza_certificate_get_key_type (nes), ==, EIMZA_KEY_TYPE_EC);
  g_assert_cmpstr (eimza_certificate_get_curve (nes), ==, "P-384");
  g_assert_cmpstr (eimza_certificate_get_sha256_fingerprint (nes), ==,
                   "062782a715b1b5fc794aedf25396dd3d2ffbe2fad202e5567273a0e13bfe16f9");
  g_assert_null (eimza_certificate_get_tckn (nes));
  g_assert_false (eimza_certificate_is_signing (nes));
  /* Its signature is checked against the root, not taken on trust. */
  g_assert_true (eimza_certificate_chains_to_kamusm (nes));
  g_assert_true (eimza_certificate_chains_to (nes, root_pem, NULL));
  {
    g_autoptr(GBytes) test_ca = softhsm_fixture_read ("testca.pem");

    g_assert_false (eimza_certificate_chains_to (nes, test_ca, NULL));
  }

  root = eimza_certificate_new_from_pem (g_bytes_get_data (root_pem, NULL), -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_certificate_get_sha256_fingerprint (root), ==,
                   "aa466d3b528dc947c7e1dca594c0deb4a1d2b987c119125fcd7435de92a23c60");
  g_assert_true (eimza_certificate_chains_to_kamusm (root));

  assert_finalized (nes);
  assert_finalized (root);
}

/* Makes a certificate whose subject serialNumber is @serial_number. */
static EimzaCertificate *
certificate_with_serial_number (const char *serial_number)
{
  g_autofree char *template_path = softhsm_fixture_path ("serial.tmpl");
  g_autofree char *key_path = softhsm_fixture_path ("testca-key.pem");
  g_autofree char *template = g_strdup_printf ("cn = \"TEST\"\n"
                                               "dn_oid = \"2.5.4.5 %s\"\n"
                                               "expiration_days = 30\n",
                                               serial_number);
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  const char * const argv[] = { "certtool", "--generate-self-signed", "--load-privkey",
                                key_path, "--template", template_path, NULL };
  EimzaCertificate *certificate;
  int status = 0;

  g_file_set_contents (template_path, template, -1, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &pem, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  certificate = eimza_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  return certificate;
}

static void
test_tckn_forms (void)
{
  static const struct {
    const char *serial_number;
    const char *tckn;
  } cases[] = {
    { "10000000146", "10000000146" },
    { "IDCTR-10000000146", "10000000146" },
    { "PNOTR-10000000146", "10000000146" },
    { "TCKN10000000146", "10000000146" },
    { "10000000145", NULL },          /* wrong last check digit */
    { "10000000156", NULL },          /* wrong tenth check digit */
    { "01000000146", NULL },          /* starts with 0 */
    { "1000000014", NULL },           /* 10 digits */
    { "XYZ10000000146", NULL },       /* unknown prefix */
    { "IDCTR-100000001460", NULL },   /* 12 digits */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EimzaCertificate) certificate =
        certificate_with_serial_number (cases[i].serial_number);

      g_test_message ("serialNumber %s", cases[i].serial_number);
      g_assert_cmpstr (eimza_certificate_get_subject_serial_number (certificate), ==,
                       cases[i].serial_number);
      g_assert_cmpstr (eimza_certificate_get_tckn (certificate), ==, cases[i].tckn);
    }
}

static void
test_invalid (void)
{
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not a certificate", 17);
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;

  certificate = eimza_certificate_new_from_der (garbage, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (certificate);
  g_clear_error (&error);

  certificate = eimza_certificate_new_from_pem ("-----BEGIN CERTIFICATE-----\nAAAA\n"
                                                "-----END CERTIFICATE-----\n", -1, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (certificate);
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
      g_test_add_func ("/certificate/skipped", skip_without_tools);
      return g_test_run ();
    }

  g_test_add_func ("/certificate/parse/rsa-qualified", test_rsa_qualified);
  g_test_add_func ("/certificate/parse/ec-policy-only", test_ec_policy_only);
  g_test_add_func ("/certificate/parse/expiring", test_expiring);
  g_test_add_func ("/certificate/parse/not-signing", test_not_signing);
  g_test_add_func ("/certificate/kamusm/chain", test_kamusm);
  g_test_add_func ("/certificate/tckn/forms", test_tckn_forms);
  g_test_add_func ("/certificate/parse/invalid", test_invalid);

  result = g_test_run ();
  softhsm_fixture_cleanup ();
  return result;
}
