/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the longest main-loop stall while the card service signs (goal: none over 16 ms). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "eimza-cades.h"
#include "eimza-card-service.h"
#include "eimza-pkcs11.h"

/*
 * The application's main thread must keep drawing frames (one every 16 ms
 * at 60 Hz) while a signature is made: all PKCS#11 work runs on the card
 * service's worker thread. This measures it the way the certificates
 * dialog signs: a main loop with a 1 ms timeout records the gap between
 * its runs while, ROUNDS times in a row, the token's PIN state is read
 * (eimza_pkcs11_lookup_token_async), eimza_cades_sign_async signs a short
 * text with SoftHSM2 (RSA and ECDSA keys in turn), and the result is
 * checked on the main thread with eimza_cades_verify, as the dialog does.
 * The same loop first runs idle for a second, for the timer's own jitter.
 *
 * The token is the fixture of the tests (tests/card/softhsm-setup.sh) in a
 * temporary directory. Prints figures only. Usage: card-stall [ROUNDS] (100)
 */

#define PIN "123456"
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define FRAME_BUDGET_US 16000
#define BASELINE_US (1 * G_USEC_PER_SEC)

/* What the certificates dialog signs. */
static const char test_text[] = "E-İmza Asistanı deneme imzası / test signature\n";

typedef struct
{
  GMainLoop *loop;
  EimzaCardService *service;
  GBytes *content;
  GBytes *trust;
  EimzaCertificate *certificates[2];  /* RSA, ECDSA */

  /* Gap measurement. */
  gboolean measuring;
  gint64 last_tick;
  GArray *gaps;                       /* of gint64, µs */

  guint rounds;
  guint done;
  gint64 round_start;
  GArray *sign_times;                 /* of gint64, µs, lookup + sign */
  gint64 max_verify_us;
  gint64 baseline_end;
} Bench;

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
percentile (GArray *values,
            double  p)
{
  guint index;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_int64);
  index = (guint) (p * (values->len - 1) + 0.5);
  return g_array_index (values, gint64, index);
}

static gboolean
tick_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();

  if (bench->measuring && bench->last_tick != 0)
    {
      gint64 gap = now - bench->last_tick;

      g_array_append_val (bench->gaps, gap);
    }
  bench->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
report_gaps (const char *what,
             GArray     *gaps)
{
  guint over = 0;

  for (guint i = 0; i < gaps->len; i++)
    if (g_array_index (gaps, gint64, i) > FRAME_BUDGET_US)
      over++;

  printf ("  %-28s %6u gaps  median %6.2f ms  p99 %6.2f ms  max %7.2f ms  over 16 ms: %u\n",
          what, gaps->len, percentile (gaps, 0.5) / 1000.0, percentile (gaps, 0.99) / 1000.0,
          percentile (gaps, 1.0) / 1000.0, over);
}

static void start_round (Bench *bench);

static void
sign_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaCadesSignature) signature = NULL;
  gint64 elapsed = g_get_monotonic_time () - bench->round_start;
  gint64 verify_start;
  gint64 verify_us;

  cms = eimza_cades_sign_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (cms == NULL)
    g_error ("Signing failed: %s", error->message);
  g_array_append_val (bench->sign_times, elapsed);

  /* As the certificates dialog does, on the main thread. */
  verify_start = g_get_monotonic_time ();
  signature = eimza_cades_verify (cms, bench->content, bench->trust, &error);
  verify_us = g_get_monotonic_time () - verify_start;
  if (signature == NULL)
    g_error ("The signature did not verify: %s", error->message);
  bench->max_verify_us = MAX (bench->max_verify_us, verify_us);

  bench->done++;
  if (bench->done < bench->rounds)
    start_round (bench);
  else
    g_main_loop_quit (bench->loop);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Bench *bench = user_data;
  EimzaCertificate *certificate = bench->certificates[bench->done % 2];
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(EimzaSecret) pin = eimza_secret_new (PIN, -1);
  g_autoptr(GError) error = NULL;

  token = eimza_pkcs11_lookup_token_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (token == NULL)
    g_error ("Could not read the token: %s", error->message);

  eimza_cades_sign_async (bench->service, bench->content, eimza_certificate_get_uri (certificate),
                          eimza_certificate_get_key_uri (certificate), pin,
                          EIMZA_CADES_DETACHED, NULL, sign_cb, bench);
}

static void
start_round (Bench *bench)
{
  EimzaCertificate *certificate = bench->certificates[bench->done % 2];

  bench->round_start = g_get_monotonic_time ();
  eimza_pkcs11_lookup_token_async (bench->service, eimza_certificate_get_key_uri (certificate),
                                   NULL, lookup_cb, bench);
}

static gboolean
baseline_done_cb (gpointer user_data)
{
  Bench *bench = user_data;

  g_main_loop_quit (bench->loop);
  return G_SOURCE_REMOVE;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static char *
certificate_pem (EimzaCertificate *certificate)
{
  GBytes *der = eimza_certificate_get_der (certificate);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  gsize length = strlen (base64);
  GString *pem = g_string_new ("-----BEGIN CERTIFICATE-----\n");

  for (gsize i = 0; i < length; i += 64)
    {
      g_string_append_len (pem, base64 + i, MIN (64, length - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append (pem, "-----END CERTIFICATE-----\n");

  return g_string_free (pem, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *command = NULL;
  g_autofree char *trust_pem = NULL;
  g_autofree char *softhsm_util = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GArray *baseline;
  Bench bench = { 0 };
  const char * const labels[] = { "10000000146NES0", "10000000146NES1" };
  int status = 0;

  bench.rounds = argc > 1 ? (guint) MAX (atoi (argv[1]), 2) : 100;

  softhsm_util = g_find_program_in_path ("softhsm2-util");
  if (!g_file_test (SOFTHSM_MODULE, G_FILE_TEST_EXISTS) || softhsm_util == NULL)
    {
      printf ("card-stall: needs softhsm2 and gnutls-bin; skipped\n");
      return 0;
    }

  dir = g_dir_make_tmp ("eimza-card-stall-XXXXXX", &error);
  g_assert_no_error (error);
  command = g_strdup_printf ("sh '%s' '%s'", SOFTHSM_SETUP, dir);
  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("softhsm-setup.sh failed: %s", error->message);
  conf = g_build_filename (dir, "softhsm2.conf", NULL);
  g_setenv ("SOFTHSM2_CONF", conf, TRUE);

  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.sign_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.content = g_bytes_new_static (test_text, strlen (test_text));

  /* The service as the application makes it: p11-kit's modules plus the
   * configured one (SoftHSM2 here, which p11-kit also registers). */
  bench.service = eimza_card_service_new ();
  eimza_pkcs11_set_module_path (bench.service, SOFTHSM_MODULE);

  eimza_pkcs11_list_certificates_async (bench.service, "pkcs11:token=EIMZA%20TEST", NULL,
                                        store_result_cb, &result);
  certificates = eimza_pkcs11_list_certificates_finish (bench.service, wait_for_result (&result),
                                                        &error);
  if (certificates == NULL)
    g_error ("Could not list the certificates: %s", error->message);
  for (guint k = 0; k < G_N_ELEMENTS (labels); k++)
    for (guint i = 0; i < certificates->len; i++)
      if (g_strcmp0 (eimza_certificate_get_label (g_ptr_array_index (certificates, i)),
                     labels[k]) == 0)
        bench.certificates[k] = g_ptr_array_index (certificates, i);
  if (bench.certificates[0] == NULL || bench.certificates[1] == NULL)
    g_error ("The test certificates are missing from the token");

  {
    g_autofree char *rsa = certificate_pem (bench.certificates[0]);
    g_autofree char *ec = certificate_pem (bench.certificates[1]);

    trust_pem = g_strconcat (rsa, ec, NULL);
    bench.trust = g_bytes_new (trust_pem, strlen (trust_pem));
  }

  g_timeout_add (1, tick_cb, &bench);

  /* Baseline: the same loop with nothing else to do. */
  bench.measuring = TRUE;
  bench.last_tick = 0;
  g_timeout_add (BASELINE_US / 1000, baseline_done_cb, &bench);
  g_main_loop_run (bench.loop);
  baseline = g_array_copy (bench.gaps);
  g_array_set_size (bench.gaps, 0);

  /* Signing. */
  bench.last_tick = 0;
  start_round (&bench);
  g_main_loop_run (bench.loop);
  bench.measuring = FALSE;

  printf ("card-stall: main-loop gaps (1 ms timeout) while the card service signs, "
          "%u signatures (RSA-2048 and ECDSA P-256 in turn, SoftHSM2)\n", bench.rounds);
  report_gaps ("idle (timer jitter)", baseline);
  report_gaps ("while signing", bench.gaps);
  printf ("  signature (PIN state + sign)  median %.1f ms  max %.1f ms\n",
          percentile (bench.sign_times, 0.5) / 1000.0, percentile (bench.sign_times, 1.0) / 1000.0);
  printf ("  verification on the main thread (as the dialog does)  max %.2f ms\n",
          bench.max_verify_us / 1000.0);
  printf ("  goal: no gap over 16 ms while signing: %s\n",
          percentile (bench.gaps, 1.0) <= FRAME_BUDGET_US ? "met" : "NOT met");

  g_array_unref (baseline);
  g_array_unref (bench.gaps);
  g_array_unref (bench.sign_times);
  g_bytes_unref (bench.content);
  g_bytes_unref (bench.trust);
  g_clear_pointer (&certificates, g_ptr_array_unref);
  g_clear_object (&bench.service);
  g_main_loop_unref (bench.loop);

  command = (g_free (command), g_strdup_printf ("rm -rf '%s'", dir));
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);

  return 0;
}
