/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which PKCS#11 module is asked about which card: no module twice about a card it did not take, and an AKİS card only to the AKİS module. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "eimza-cades.h"
#include "eimza-certificate.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-pkcs11-token.h"
#include "softhsm-fixture.h"

/*
 * What is modelled:
 *
 *  - "OpenSC with a card it does not know" is reader-module.c, given as
 *    the configured module: one slot per reader (described by the
 *    reader's name, as OpenSC's are), never a token, and a line in a file
 *    for every C_GetSlotList and C_GetSlotInfo, the calls in which OpenSC
 *    probes cards. A line more means the module was asked.
 *  - "Kamu SM's AKİS module" is the PIN policy module (the card tests'
 *    SoftHSM2 token) found as libakisp11.so in a vendor directory: the
 *    file name that data/card/atr.tsv names for the AKİS ATRs. Its token
 *    is in no reader, like any software token, so it is asked every time.
 *  - The card readers and their cards are what the card worker would hand
 *    over (eimza_pkcs11_set_readers(), which eimza_pkcs11_from_worker()
 *    calls for every job): names, ATRs and insertion numbers, without
 *    pcscd. bench/card-latency runs the same through the real worker with
 *    OpenSC itself.
 *
 * Each case runs in a subprocess (GnuTLS's module list is per process).
 */

#define READER_0 "Virtual PCD 00 00"
#define READER_1 "Virtual PCD 00 01"
#define ATR_VICC "3B951381018073FF01000B"
#define ATR_AKIS "3B9F978131FE4580655443D3230231C073F62180810552"

typedef struct {
  char *calls_file;
  char *vendor_dir;
} Fixture;

static void
run_isolated (void)
{
  softhsm_fixture_restore ();
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The reader module's C_GetSlotList calls: one or two each time it is
 * asked (GnuTLS lists slots in one call, we in two), so the tests only
 * compare: more means it was asked, the same that it was not. */
static guint
reader_module_asks (Fixture *f)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (!g_file_get_contents (f->calls_file, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; (p = strstr (p, "C_GetSlotList\n")) != NULL; p++)
    n++;
  return n;
}

/* The reader module as the configured module, and, with @akis_module, the
 * test token's module as libakisp11.so in the vendor directory. */
static EimzaPkcs11 *
fixture_setup (Fixture  *f,
               gboolean  akis_module)
{
  EimzaPkcs11 *pkcs11 = eimza_pkcs11_new ();
  const char *reader_module = g_getenv ("EIMZA_READER_MODULE_PATH");
  const char * const dirs[] = { NULL, NULL };
  g_autofree char *calls_name = g_strdup_printf ("reader-module-calls-%d", (int) getpid ());
  g_autofree char *vendor_name = g_strdup_printf ("akis-vendor-%d", (int) getpid ());

  g_assert_nonnull (reader_module);
  f->calls_file = softhsm_fixture_path (calls_name);
  f->vendor_dir = softhsm_fixture_path (vendor_name);
  g_remove (f->calls_file);
  g_assert_cmpint (g_mkdir_with_parents (f->vendor_dir, 0700), ==, 0);
  if (akis_module)
    {
      g_autofree char *link = g_build_filename (f->vendor_dir, EIMZA_PKCS11_VENDOR_MODULE, NULL);

      g_assert_cmpint (symlink (softhsm_fixture_pin_policy_module (), link), ==, 0);
    }

  g_setenv ("EIMZA_READER_MODULE_READERS", READER_0 "|" READER_1, TRUE);
  g_setenv ("EIMZA_READER_MODULE_CALLS", f->calls_file, TRUE);

  ((const char **) dirs)[0] = f->vendor_dir;
  eimza_pkcs11_set_vendor_dirs (pkcs11, dirs);
  eimza_pkcs11_set_use_registered (pkcs11, FALSE);
  eimza_pkcs11_set_extra_module (pkcs11, reader_module);
  return pkcs11;
}

static void
fixture_teardown (Fixture *f)
{
  g_free (f->calls_file);
  g_free (f->vendor_dir);
}

/* The readers as the worker would report them: @atr_0 in reader 0 (NULL:
 * empty) with insertion number @insertion_0; reader 1 empty. */
static void
set_readers (EimzaPkcs11 *pkcs11,
             const char  *atr_0,
             guint64      insertion_0)
{
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 eimza_card_worker_reader_free);
  EimzaCardWorkerReader *reader;

  reader = g_new0 (EimzaCardWorkerReader, 1);
  reader->name = g_strdup (READER_0);
  reader->atr = g_strdup (atr_0);
  reader->insertion = atr_0 != NULL ? insertion_0 : 0;
  g_ptr_array_add (readers, reader);
  reader = g_new0 (EimzaCardWorkerReader, 1);
  reader->name = g_strdup (READER_1);
  g_ptr_array_add (readers, reader);

  eimza_pkcs11_set_readers (pkcs11, readers);
}

/* The listed tokens that are the test token (SoftHSM2 also shows an empty
 * one, ready to be initialised). */
static guint
count_tokens (EimzaPkcs11 *pkcs11)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = eimza_pkcs11_list_tokens (pkcs11, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < tokens->len; i++)
    if (g_str_equal (eimza_pkcs11_token_get_label (g_ptr_array_index (tokens, i)),
                     SOFTHSM_TOKEN_LABEL))
      n++;
  return n;
}

static EimzaPkcs11Module *
find_module (GPtrArray  *modules,
             const char *path)
{
  for (guint i = 0; i < modules->len; i++)
    {
      EimzaPkcs11Module *module = g_ptr_array_index (modules, i);

      if (g_str_equal (eimza_pkcs11_module_get_path (module), path))
        return module;
    }

  g_assert_not_reached ();
}

/* A card the module did not take: looked at once, not asked again while it
 * stays in; looked at again after it was taken out and put back. */
static void
test_declined_card_not_asked_again (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11Module *reader_module;
  Fixture f = { 0, };
  guint asks;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = fixture_setup (&f, FALSE);

  /* The first look, with no card in: the module shows reader slots. */
  set_readers (pkcs11, NULL, 0);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
  asks = reader_module_asks (&f);
  g_assert_cmpuint (asks, >=, 1);

  /* No card, nothing for a reader module to find: not asked. */
  g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
  g_assert_cmpuint (reader_module_asks (&f), ==, asks);

  /* A card: looked at once. */
  set_readers (pkcs11, ATR_VICC, 1);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
  g_assert_cmpuint (reader_module_asks (&f), >, asks);
  asks = reader_module_asks (&f);

  /* It did not take it: not asked again, whatever is listed. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) certificates = NULL;

      set_readers (pkcs11, ATR_VICC, 1);
      g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
      certificates = eimza_pkcs11_list_certificates (pkcs11, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (certificates->len, ==, 0);
    }
  modules = eimza_pkcs11_list_modules (pkcs11, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reader_module_asks (&f), ==, asks);

  /* The diagnostics view can say so. */
  reader_module = find_module (modules, g_getenv ("EIMZA_READER_MODULE_PATH"));
  g_assert_cmpstrv (eimza_pkcs11_module_get_declined_readers (reader_module),
                    ((const char * const[]) { READER_0, NULL }));
  g_assert_cmpstrv (eimza_pkcs11_module_get_kept_away_readers (reader_module),
                    ((const char * const[]) { NULL }));

  /* Taken out and put back (a new insertion, the same ATR): forgotten, so
   * looked at once more. */
  set_readers (pkcs11, NULL, 0);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
  g_assert_cmpuint (reader_module_asks (&f), ==, asks);
  set_readers (pkcs11, ATR_VICC, 2);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
  g_assert_cmpuint (reader_module_asks (&f), >, asks);
  asks = reader_module_asks (&f);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
  g_assert_cmpuint (reader_module_asks (&f), ==, asks);

  fixture_teardown (&f);
}

/* An AKİS card with the AKİS module loaded: the other module is never
 * asked on its account, neither to list nor to read the PIN state nor to
 * sign; the certificates come from the AKİS module. */
static void
test_akis_card_keeps_others_away (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(EimzaSecret) pin = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("AKİS", strlen ("AKİS"));
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  EimzaCertificate *certificate = NULL;
  EimzaPkcs11Module *reader_module;
  Fixture f = { 0, };
  guint asks;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = fixture_setup (&f, TRUE);

  /* Loading: the first look, before the card. */
  set_readers (pkcs11, NULL, 0);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 1);
  asks = reader_module_asks (&f);
  g_assert_cmpuint (asks, >=, 1);

  set_readers (pkcs11, ATR_AKIS, 1);
  certificates = eimza_pkcs11_list_certificates (pkcs11, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < certificates->len; i++)
    if (g_strcmp0 (eimza_certificate_get_label (g_ptr_array_index (certificates, i)),
                   SOFTHSM_TCKN "NES0") == 0)
      certificate = g_ptr_array_index (certificates, i);
  g_assert_nonnull (certificate);
  g_assert_cmpstr (eimza_certificate_get_token_label (certificate), ==, SOFTHSM_TOKEN_LABEL);

  /* The key's URI names its module, so GnuTLS goes to it alone. */
  g_assert_nonnull (strstr (eimza_certificate_get_key_uri (certificate),
                            "library-description=EIMZA%20PIN%20policy%20test%20module"));
  token = eimza_pkcs11_lookup_token (pkcs11, eimza_certificate_get_key_uri (certificate),
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_pkcs11_token_get_model (token), ==, PIN_POLICY_MODEL);

  pin = eimza_secret_new (SOFTHSM_USER_PIN, -1);
  cms = eimza_cades_sign (pkcs11, content, eimza_certificate_get_uri (certificate),
                          eimza_certificate_get_key_uri (certificate), pin,
                          EIMZA_CADES_DETACHED, NULL, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, content, TRUE);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  modules = eimza_pkcs11_list_modules (pkcs11, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (reader_module_asks (&f), ==, asks);
  reader_module = find_module (modules, g_getenv ("EIMZA_READER_MODULE_PATH"));
  g_assert_cmpstrv (eimza_pkcs11_module_get_kept_away_readers (reader_module),
                    ((const char * const[]) { READER_0, NULL }));

  fixture_teardown (&f);
}

/* Without the AKİS module, an AKİS card is anybody's: the other module
 * looks at it (once). */
static void
test_akis_card_without_akis_module (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  Fixture f = { 0, };
  guint asks;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = fixture_setup (&f, FALSE);
  set_readers (pkcs11, NULL, 0);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
  asks = reader_module_asks (&f);

  set_readers (pkcs11, ATR_AKIS, 1);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
  g_assert_cmpuint (reader_module_asks (&f), >, asks);
  asks = reader_module_asks (&f);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 0);
  g_assert_cmpuint (reader_module_asks (&f), ==, asks);

  fixture_teardown (&f);
}

/* Without a reader list (not on the card worker), every module is asked
 * every time, as before. */
static void
test_no_reader_list_asks_every_time (void)
{
  g_autoptr(EimzaPkcs11) pkcs11 = NULL;
  Fixture f = { 0, };
  guint asks;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }

  pkcs11 = fixture_setup (&f, TRUE);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 1);
  asks = reader_module_asks (&f);
  g_assert_cmpuint (count_tokens (pkcs11), ==, 1);
  g_assert_cmpuint (reader_module_asks (&f), >, asks);

  fixture_teardown (&f);
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
      g_test_add_func ("/card-modules/skipped", skip_without_tools);
      return g_test_run ();
    }

  g_test_add_func ("/card-modules/declined-card-not-asked-again",
                   test_declined_card_not_asked_again);
  g_test_add_func ("/card-modules/akis-card-keeps-others-away",
                   test_akis_card_keeps_others_away);
  g_test_add_func ("/card-modules/akis-card-without-akis-module",
                   test_akis_card_without_akis_module);
  g_test_add_func ("/card-modules/no-reader-list-asks-every-time",
                   test_no_reader_list_asks_every_time);

  result = g_test_run ();
  softhsm_fixture_cleanup ();
  return result;
}
