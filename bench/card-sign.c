/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: CAdES signing time through eimza_cades_sign() vs `openssl cms -sign`, same SoftHSM2 key. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "eimza-cades.h"
#include "eimza-certificate.h"
#include "eimza-pkcs11-modules.h"

/*
 * Builds the SoftHSM2 fixture of the tests (tests/card/softhsm-setup.sh)
 * in a temporary directory and signs its content.txt:
 *
 *  - ours, cold: a fresh EimzaPkcs11 loading SoftHSM2 (the configured
 *    module; no p11-kit registry, so that OpenSC and the trust store do
 *    not take part), listing the certificates and making one signature;
 *  - ours, warm: each further signature, which logs in, signs and logs
 *    out as the application does for every signature;
 *  - openssl: one `openssl cms -sign -engine pkcs11` process per signature
 *    (process start, engine and module load, login, signature), if the
 *    pkcs11 engine (libengine-pkcs11-openssl) is installed, configured to
 *    load SoftHSM2 only; otherwise `p11tool --test-sign` on the same key.
 *
 * Prints figures only. Usage: card-sign [ROUNDS]
 */

#define PIN "123456"
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define PKCS11_ENGINE "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so"

/* Makes openssl's pkcs11 engine load SoftHSM2 rather than p11-kit's proxy. */
static void
write_openssl_conf (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "openssl.cnf", NULL);
  const char *conf = "openssl_conf = openssl_init\n"
                     "[openssl_init]\n"
                     "engines = engine_section\n"
                     "[engine_section]\n"
                     "pkcs11 = pkcs11_section\n"
                     "[pkcs11_section]\n"
                     "engine_id = pkcs11\n"
                     "dynamic_path = " PKCS11_ENGINE "\n"
                     "MODULE_PATH = " SOFTHSM_MODULE "\n"
                     "init = 0\n";

  g_file_set_contents (path, conf, -1, NULL);
  g_setenv ("OPENSSL_CONF", path, TRUE);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

static gboolean
run (const char * const *argv)
{
  g_autofree char *standard_error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &standard_error, &status, NULL))
    return FALSE;

  if (!g_spawn_check_wait_status (status, NULL))
    {
      fprintf (stderr, "card-sign: %s failed: %s\n", argv[0], standard_error);
      return FALSE;
    }

  return TRUE;
}

static EimzaCertificate *
find_certificate (GPtrArray  *certificates,
                  const char *label)
{
  for (guint i = 0; i < certificates->len; i++)
    if (g_strcmp0 (eimza_certificate_get_label (g_ptr_array_index (certificates, i)), label) == 0)
      return g_ptr_array_index (certificates, i);

  g_error ("No certificate %s on the test token", label);
}

static GBytes *
sign_once (EimzaPkcs11      *pkcs11,
           EimzaCertificate *certificate,
           GBytes           *content)
{
  g_autoptr(EimzaSecret) pin = eimza_secret_new (PIN, -1);
  g_autoptr(GError) error = NULL;
  GBytes *cms;

  cms = eimza_cades_sign (pkcs11, content, eimza_certificate_get_uri (certificate),
                          eimza_certificate_get_key_uri (certificate), pin,
                          EIMZA_CADES_DETACHED, NULL, &error);
  if (cms == NULL)
    g_error ("Signing failed: %s", error->message);

  return cms;
}

static gboolean
openssl_verifies (const char *dir,
                  GBytes     *cms,
                  const char *content_path)
{
  g_autofree char *path = g_build_filename (dir, "bench.p7s", NULL);
  g_autofree char *ca = g_build_filename (dir, "testca.pem", NULL);
  const char * const argv[] = { "openssl", "cms", "-verify", "-binary", "-inform", "DER",
                                "-in", path, "-content", content_path, "-CAfile", ca,
                                "-out", "/dev/null", NULL };

  if (!g_file_set_contents (path, g_bytes_get_data (cms, NULL),
                            (gssize) g_bytes_get_size (cms), NULL))
    return FALSE;

  return run (argv);
}

/* Mean of @rounds external signatures with the key of @id, or -1. */
static double
external_ms (const char *dir,
             const char *id,
             gboolean    use_openssl,
             guint       rounds)
{
  g_autofree char *cert = g_strdup_printf ("%s/cert-%s.pem", dir, id);
  g_autofree char *content = g_build_filename (dir, "content.txt", NULL);
  g_autofree char *out = g_build_filename (dir, "openssl.p7s", NULL);
  g_autofree char *key_uri = g_strdup_printf ("pkcs11:token=EIMZA%%20TEST;id=%%%s;"
                                              "type=private;pin-value=" PIN, id);
  g_autofree char *p11_uri = g_strdup_printf ("pkcs11:token=EIMZA%%20TEST;id=%%%s", id);
  double start = now_ms ();

  for (guint i = 0; i < rounds; i++)
    {
      gboolean ok;

      if (use_openssl)
        {
          const char * const argv[] = { "openssl", "cms", "-sign", "-engine", "pkcs11",
                                        "-keyform", "engine", "-inkey", key_uri, "-signer",
                                        cert, "-binary", "-in", content, "-md", "sha256",
                                        "-outform", "DER", "-out", out, NULL };

          ok = run (argv);
        }
      else
        {
          const char * const argv[] = { "p11tool", "--provider", SOFTHSM_MODULE, "--login",
                                        "--set-pin=" PIN, "--test-sign", p11_uri, NULL };

          ok = run (argv);
        }

      if (!ok)
        return -1;
    }

  return (now_ms () - start) / rounds;
}

int
main (int    argc,
      char **argv)
{
  guint rounds = argc > 1 ? (guint) atoi (argv[1]) : 30;
  const char *setup = g_getenv ("EIMZA_SOFTHSM_SETUP");
  g_autofree char *dir = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *content_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) first = NULL;
  const char * const labels[] = { "10000000146NES0", "10000000146NES1" };
  const char * const ids[] = { "01", "02" };
  const char * const names[] = { "RSA-2048", "ECDSA P-256" };
  gboolean use_openssl;
  double cold;
  double start;

  if (rounds == 0)
    rounds = 30;
  if (setup == NULL)
    setup = SOFTHSM_SETUP;

  dir = g_dir_make_tmp ("eimza-bench-XXXXXX", &error);
  g_assert_no_error (error);
  {
    const char * const setup_argv[] = { "/bin/sh", setup, dir, NULL };

    if (!run (setup_argv))
      {
        fprintf (stderr, "card-sign: %s failed (softhsm2, gnutls-bin installed?)\n", setup);
        return 77;
      }
  }
  conf = g_build_filename (dir, "softhsm2.conf", NULL);
  g_setenv ("SOFTHSM2_CONF", conf, TRUE);
  content_path = g_build_filename (dir, "content.txt", NULL);
  {
    char *data = NULL;
    gsize length = 0;

    g_file_get_contents (content_path, &data, &length, &error);
    g_assert_no_error (error);
    content = g_bytes_new_take (data, length);
  }

  /* Cold: modules, certificate list, first signature (RSA). */
  start = now_ms ();
  pkcs11 = eimza_pkcs11_new ();
  {
    g_autofree char *none = g_build_filename (dir, "no-vendor", NULL);
    const char * const dirs[] = { none, NULL };

    eimza_pkcs11_set_vendor_dirs (pkcs11, dirs);
    eimza_pkcs11_set_use_registered (pkcs11, FALSE);
    eimza_pkcs11_set_extra_module (pkcs11, SOFTHSM_MODULE);
  }
  certificates = eimza_pkcs11_list_certificates (pkcs11, NULL, NULL, &error);
  g_assert_no_error (error);
  first = sign_once (pkcs11, find_certificate (certificates, labels[0]), content);
  cold = now_ms () - start;
  if (!openssl_verifies (dir, first, content_path))
    g_error ("openssl does not verify our signature");

  use_openssl = g_file_test (PKCS11_ENGINE, G_FILE_TEST_EXISTS);
  if (use_openssl)
    write_openssl_conf (dir);

  printf ("card-sign: CAdES-BES detached, SHA-256, SoftHSM2 token, %u rounds\n", rounds);
  printf ("  ours cold (load modules + list certificates + 1st signature): %8.2f ms\n", cold);

  for (guint k = 0; k < G_N_ELEMENTS (labels); k++)
    {
      EimzaCertificate *certificate = find_certificate (certificates, labels[k]);
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      double total = 0;
      double external;

      for (guint i = 0; i < rounds; i++)
        {
          g_autoptr(GBytes) cms = NULL;
          double t = now_ms ();

          cms = sign_once (pkcs11, certificate, content);
          t = now_ms () - t;
          total += t;
          g_array_append_val (times, t);
          if (i == 0 && !openssl_verifies (dir, cms, content_path))
            g_error ("openssl does not verify our signature");
        }

      external = external_ms (dir, ids[k], use_openssl, rounds);

      printf ("  %-12s ours warm (login + sign + logout): mean %7.2f ms, median %7.2f ms\n",
              names[k], total / rounds, median (times));
      if (external < 0)
        printf ("  %-12s %s: failed\n", names[k],
                use_openssl ? "openssl cms -sign -engine pkcs11" : "p11tool --test-sign");
      else
        printf ("  %-12s %s (one process each): mean %7.2f ms; ratio %s/ours warm %.1f, "
                "/ours cold %.2f\n",
                names[k], use_openssl ? "openssl cms -sign -engine pkcs11" : "p11tool --test-sign",
                external, use_openssl ? "openssl" : "p11tool", external / (total / rounds),
                external / cold);
    }

  {
    const char * const rm_argv[] = { "rm", "-rf", dir, NULL };

    run (rm_argv);
  }

  return 0;
}
