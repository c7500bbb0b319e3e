/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal error domain's rules: which failures a page may offer again. */
#include "config.h"

#include <gio/gio.h>

#include "eimza-portal-enums.h"
#include "eimza-portal-error.h"

/* The expected answer for every code, written out: a code added to
 * EimzaPortalError and missing here fails /portal/error/can-retry/every-code,
 * so nobody adds one without deciding whether a page may offer it again. */
static const struct {
  EimzaPortalError code;
  gboolean can_retry;
} expected[] = {
  { EIMZA_PORTAL_ERROR_NETWORK, TRUE },
  { EIMZA_PORTAL_ERROR_TIMEOUT, TRUE },
  { EIMZA_PORTAL_ERROR_TLS, TRUE },
  { EIMZA_PORTAL_ERROR_SERVER, TRUE },
  { EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE, TRUE },
  { EIMZA_PORTAL_ERROR_SESSION_EXPIRED, FALSE },
  { EIMZA_PORTAL_ERROR_WRONG_CAPTCHA, FALSE },
  { EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH, FALSE },
  { EIMZA_PORTAL_ERROR_INVALID_FIELDS, FALSE },
  { EIMZA_PORTAL_ERROR_SMS_WRONG_CODE, FALSE },
  { EIMZA_PORTAL_ERROR_SMS_EXPIRED, FALSE },
  { EIMZA_PORTAL_ERROR_SMS_LOCKED, FALSE },
  { EIMZA_PORTAL_ERROR_SMS_TOO_EARLY, FALSE },
  { EIMZA_PORTAL_ERROR_NOT_AVAILABLE, FALSE },
  { EIMZA_PORTAL_ERROR_REJECTED, FALSE },
  { EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED, TRUE },
  { EIMZA_PORTAL_ERROR_PIN, TRUE },
  { EIMZA_PORTAL_ERROR_CODE_EXPIRED, FALSE },
  { EIMZA_PORTAL_ERROR_CODE_INVALID, FALSE },
  { EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED, FALSE },
  { EIMZA_PORTAL_ERROR_WRONG_SIGNER, FALSE },
  { EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN, TRUE },
  { EIMZA_PORTAL_ERROR_SECURITY_WORD_WRONG, FALSE },
  { EIMZA_PORTAL_ERROR_SECURITY_WORD_LOCKED, FALSE },
  { EIMZA_PORTAL_ERROR_UNBLOCK_REFUSED, FALSE },
};

static void
test_can_retry_every_code (void)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (EIMZA_TYPE_PORTAL_ERROR);

  g_assert_cmpuint (enum_class->n_values, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < enum_class->n_values; i++)
    {
      const GEnumValue *value = &enum_class->values[i];
      g_autoptr(GError) error = NULL;
      gboolean found = FALSE;

      error = g_error_new_literal (EIMZA_PORTAL_ERROR, value->value, "x");
      for (guint j = 0; j < G_N_ELEMENTS (expected); j++)
        {
          if ((int) expected[j].code != value->value)
            continue;
          found = TRUE;
          if (eimza_portal_error_can_retry (error) != expected[j].can_retry)
            g_error ("%s: can_retry is %d, expected %d", value->value_name,
                     !expected[j].can_retry, expected[j].can_retry);
        }
      if (!found)
        g_error ("%s is not classified in this test", value->value_name);
    }
}

/* Every code has a sentence of its own too (no fallback). */
static void
test_describe_every_code (void)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (EIMZA_TYPE_PORTAL_ERROR);

  for (guint i = 0; i < enum_class->n_values; i++)
    {
      const char *text = eimza_portal_error_describe (enum_class->values[i].value);

      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "");
    }
}

static void
test_can_retry_other_domains (void)
{
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr(GError) invalid = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "x");
  g_autoptr(GError) broken = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "x");
  g_autoptr(GError) tls = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_MISC, "x");

  g_assert_false (eimza_portal_error_can_retry (cancelled));
  g_assert_false (eimza_portal_error_can_retry (invalid));
  g_assert_true (eimza_portal_error_can_retry (broken));
  g_assert_true (eimza_portal_error_can_retry (tls));
}

/* A code outside the enum is a programming error: a critical, and no. */
static void
test_can_retry_unknown_code (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = g_error_new_literal (EIMZA_PORTAL_ERROR, 999, "x");

      g_assert_false (eimza_portal_error_can_retry (error));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*not classified*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portal/error/can-retry/every-code", test_can_retry_every_code);
  g_test_add_func ("/portal/error/can-retry/other-domains", test_can_retry_other_domains);
  g_test_add_func ("/portal/error/can-retry/unknown-code", test_can_retry_unknown_code);
  g_test_add_func ("/portal/error/describe/every-code", test_describe_every_code);

  return g_test_run ();
}
