/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: reading a certificate as the card service reads one
 * from a token (DER), and every fact the app shows of it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <gio/gio.h>

#include "eimza-certificate.h"
#include "eimza-validation.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_text (const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical or warning is a bug the fuzzer should report as a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) der = g_bytes_new_static (data, size);
  g_autoptr(EimzaCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 7, 12, 0, 0);
  const char *tckn;

  cert = eimza_certificate_new_from_der (der, &error);
  if (cert == NULL)
    {
      if (error == NULL)
        abort ();
      check_text (error->message);
      return 0;
    }

  check_text (eimza_certificate_get_sha256_fingerprint (cert));
  check_text (eimza_certificate_get_serial_hex (cert));
  check_text (eimza_certificate_get_subject_dn (cert));
  check_text (eimza_certificate_get_subject_cn (cert));
  check_text (eimza_certificate_get_subject_serial_number (cert));
  check_text (eimza_certificate_get_issuer_dn (cert));
  check_text (eimza_certificate_get_issuer_cn (cert));
  check_text (eimza_certificate_get_curve (cert));

  /* A T.C. Kimlik No is only ever handed out when it is a valid one. */
  tckn = eimza_certificate_get_tckn (cert);
  if (tckn != NULL && !eimza_tckn_validate (tckn, NULL))
    abort ();

  if (eimza_certificate_get_not_before (cert) == NULL ||
      eimza_certificate_get_not_after (cert) == NULL)
    abort ();
  (void) eimza_certificate_get_days_left (cert, now);
  (void) eimza_certificate_is_expired (cert, now);
  (void) eimza_certificate_is_expiring_soon (cert, now);
  (void) eimza_certificate_get_key_usage (cert);
  (void) eimza_certificate_is_signing (cert);
  (void) eimza_certificate_get_key_type (cert);
  (void) eimza_certificate_get_key_bits (cert);
  (void) eimza_certificate_has_qc_statements (cert);
  (void) eimza_certificate_has_nes_policy (cert);
  (void) eimza_certificate_is_qualified (cert);
  (void) eimza_certificate_chains_to_kamusm (cert);

  return 0;
}
