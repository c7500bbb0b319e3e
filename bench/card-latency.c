/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: card insertion → card-inserted on the main context, and → certificates listed, with and without OpenSC registered. */
#define _GNU_SOURCE /* unshare() */
#include "config.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-pkcs11.h"
#include "pcsc-testbed.h"

/*
 * Runs a real pcscd with vpcd, inserts an in-process virtual card N times
 * and prints, as median / min / max over the runs:
 *
 *   total    card connects to vpcd → card-inserted handler runs (main
 *            context). Dominated by pcscd polling the vpcd reader (every
 *            400 ms), so it is what a person waits, not what we cost.
 *   service  a plain SCardGetStatusChange() on another thread returns →
 *            card-inserted handler runs: the service's own overhead (its
 *            worker waking, reporting to the main context, the idle).
 *            Both clients wake on the same pcscd event, so it can come
 *            out slightly negative.
 *   removal  card disconnects → card-removed handler runs.
 *
 * Also the round trip of an empty job (main → worker → main) while the
 * worker waits for events.
 *
 * Then insert → certificates listed (issue #12): a card service in a
 * child process of its own (GnuTLS's module list is per process) lists
 * the certificates as soon as card-inserted arrives. The token is the
 * card tests' SoftHSM2 token (tests/card/softhsm-setup.sh), found as
 * libakisp11.so in a vendor directory: SoftHSM2 plays Kamu SM's AKİS
 * module. The child puts a private directory over
 * /usr/share/p11-kit/modules (a mount namespace of its own, root only),
 * listing either nothing or Debian's opensc-pkcs11.so, so the two runs
 * differ only in OpenSC being registered. The card is the in-process
 * virtual card, which answers every APDU with 6D00, so OpenSC probes it
 * with every driver it has; with an AKİS ATR and the AKİS module there,
 * OpenSC should not be asked at all. The same with the ATR of vicc (a
 * card nobody knows) shows the cost of OpenSC's one look at a card.
 * Figures only; nothing is asserted.
 *
 * Usage: card-latency [RUNS]   (default 20; needs root, pcscd, vpcd;
 *                               softhsm2 and gnutls-bin for the second part)
 */

#define ATR_UEKAE "3B9F968131FE45806755454B41451293318073B3A1806B"
#define ATR_AKIS_2020 "3B9F978131FE4580655443D3230231C073F62180810552"
#define ATR_VICC "3B951381018073FF01000B"
#define P11_KIT_MODULES_DIR "/usr/share/p11-kit/modules"
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean stop;
  gboolean exited;
  gboolean ready;
  SCARDCONTEXT context;
  gint64 last_present;   /* when the raw watcher saw the card (µs) */
} Watcher;

typedef struct {
  EimzaCardService *service;
  gint64 inserted_at;
  gint64 removed_at;
  gint64 job_done_at;
} Bench;

/* An independent PC/SC client on reader 0: when did pcscd report the card? */
static gpointer
watcher_thread (gpointer data)
{
  Watcher *watcher = data;
  SCARD_READERSTATE rs = { .szReader = PCSC_TESTBED_READER_0,
                           .dwCurrentState = SCARD_STATE_UNAWARE };

  g_mutex_lock (&watcher->lock);
  g_assert_cmpint (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &watcher->context),
                   ==, SCARD_S_SUCCESS);
  g_mutex_unlock (&watcher->lock);

  while (TRUE)
    {
      LONG rv = SCardGetStatusChange (watcher->context, INFINITE, &rs, 1);
      gint64 now = g_get_monotonic_time ();

      g_mutex_lock (&watcher->lock);
      if (watcher->stop)
        {
          g_mutex_unlock (&watcher->lock);
          break;
        }
      if (rv == SCARD_S_SUCCESS)
        {
          if ((rs.dwEventState & SCARD_STATE_PRESENT) &&
              !(rs.dwCurrentState & SCARD_STATE_PRESENT))
            watcher->last_present = now;
          rs.dwCurrentState = rs.dwEventState & ~(DWORD) SCARD_STATE_CHANGED;
          watcher->ready = TRUE;
          g_cond_broadcast (&watcher->cond);
        }
      g_mutex_unlock (&watcher->lock);
    }

  g_mutex_lock (&watcher->lock);
  SCardReleaseContext (watcher->context);
  watcher->exited = TRUE;
  g_mutex_unlock (&watcher->lock);
  return NULL;
}

static void
card_inserted_cb (EimzaCardService *service,
                  const char       *reader,
                  const char       *atr,
                  Bench            *bench)
{
  bench->inserted_at = g_get_monotonic_time ();
}

static void
card_removed_cb (EimzaCardService *service,
                 const char       *reader,
                 Bench            *bench)
{
  bench->removed_at = g_get_monotonic_time ();
}

static gpointer
empty_job (EimzaCardWorker  *worker,
           gpointer          data,
           GCancellable     *cancellable,
           GError          **error)
{
  return NULL;
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Bench *bench = user_data;

  eimza_card_service_run_finish (EIMZA_CARD_SERVICE (source), result, NULL);
  bench->job_done_at = g_get_monotonic_time ();
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Timed out waiting for the service");
  return G_SOURCE_REMOVE;
}

static void
iterate_until (gint64 *stamp,
               guint   timeout_sec)
{
  guint timeout_id = g_timeout_add_seconds (timeout_sec, timeout_cb, NULL);

  while (*stamp == 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
print_stats (const char *label,
             GArray     *values)
{
  gint64 median;

  g_array_sort (values, compare_gint64);
  median = values->len % 2 ? g_array_index (values, gint64, values->len / 2)
                           : (g_array_index (values, gint64, values->len / 2 - 1) +
                              g_array_index (values, gint64, values->len / 2)) / 2;

  printf ("%-9s median %9.3f ms   min %9.3f ms   max %9.3f ms   (n=%u)\n", label,
          median / 1000.0, g_array_index (values, gint64, 0) / 1000.0,
          g_array_index (values, gint64, values->len - 1) / 1000.0, values->len);
}

/* --- Insert → certificates listed (a child process per configuration) --- */

typedef struct {
  EimzaCardService *service;
  gint64 inserted_at;
  gint64 listed_at;
  gint64 removed_at;
  guint n_certificates;
  gboolean listed;
} CertBench;

static void
certificates_listed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  CertBench *bench = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certificates = NULL;

  certificates = eimza_pkcs11_list_certificates_finish (EIMZA_CARD_SERVICE (source), result,
                                                        &error);
  if (certificates == NULL)
    g_error ("Listing certificates: %s", error->message);
  bench->n_certificates = certificates->len;
  bench->listed_at = g_get_monotonic_time ();
  bench->listed = TRUE;
}

/* As the header bar does: a card came, list what is on it. */
static void
cert_card_inserted_cb (EimzaCardService *service,
                       const char       *reader,
                       const char       *atr,
                       CertBench        *bench)
{
  bench->inserted_at = g_get_monotonic_time ();
  eimza_pkcs11_list_certificates_async (service, NULL, NULL, certificates_listed_cb, bench);
}

static void
cert_card_removed_cb (EimzaCardService *service,
                      const char       *reader,
                      CertBench        *bench)
{
  bench->removed_at = g_get_monotonic_time ();
}

static gpointer
set_vendor_dir_job (EimzaCardWorker  *worker,
                    gpointer          data,
                    GCancellable     *cancellable,
                    GError          **error)
{
  const char * const dirs[] = { data, NULL };

  eimza_pkcs11_set_vendor_dirs (eimza_pkcs11_from_worker (worker), dirs);
  return NULL;
}

static void
listed_flag_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GPtrArray) certificates = NULL;

  certificates = eimza_pkcs11_list_certificates_finish (EIMZA_CARD_SERVICE (source), result,
                                                        NULL);
  *(gboolean *) user_data = TRUE;
}

static void
iterate_until_flag (gboolean *flag,
                    guint     timeout_sec)
{
  guint timeout_id = g_timeout_add_seconds (timeout_sec, timeout_cb, NULL);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);
}

/* p11-kit's module directory, in this process's own mount namespace: empty
 * or with OpenSC. */
static gboolean
register_modules (const char *work_dir,
                  gboolean    with_opensc)
{
  g_autofree char *modules_dir = g_build_filename (work_dir, "p11-kit-modules", NULL);
  g_autoptr(GError) error = NULL;

  if (unshare (CLONE_NEWNS) != 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    return FALSE;
  g_assert_cmpint (g_mkdir (modules_dir, 0755), ==, 0);
  if (with_opensc)
    {
      g_autofree char *file = g_build_filename (modules_dir, "opensc.module", NULL);

      g_file_set_contents (file, "module: opensc-pkcs11.so\n", -1, &error);
      g_assert_no_error (error);
    }
  return mount (modules_dir, P11_KIT_MODULES_DIR, NULL, MS_BIND, NULL) == 0;
}

static int
certificates_child (const char *mode,
                    const char *atr,
                    int         runs,
                    const char *fixture_dir)
{
  g_autoptr(GArray) total = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) listing = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *work_dir = g_dir_make_tmp ("card-latency-XXXXXX", NULL);
  g_autofree char *vendor_dir = g_build_filename (work_dir, "vendor", NULL);
  g_autofree char *akis_module = g_build_filename (vendor_dir, "libakisp11.so", NULL);
  g_autofree char *conf = g_build_filename (fixture_dir, "softhsm2.conf", NULL);
  g_autofree char *label = NULL;
  CertBench bench = { 0, };
  gboolean warm = FALSE;
  guint n_certificates = 0;

  g_assert_nonnull (work_dir);
  if (!register_modules (work_dir, g_str_equal (mode, "opensc")))
    {
      printf ("  SKIP: no private mount namespace for p11-kit's module directory\n");
      return 77;
    }
  g_setenv ("SOFTHSM2_CONF", conf, TRUE);
  g_assert_cmpint (g_mkdir (vendor_dir, 0755), ==, 0);
  g_assert_cmpint (symlink (SOFTHSM_MODULE, akis_module), ==, 0);

  bench.service = eimza_card_service_new ();
  g_signal_connect (bench.service, "card-inserted", G_CALLBACK (cert_card_inserted_cb), &bench);
  g_signal_connect (bench.service, "card-removed", G_CALLBACK (cert_card_removed_cb), &bench);
  while (eimza_card_service_get_state (bench.service) != EIMZA_CARD_SERVICE_STATE_READY)
    g_main_context_iteration (NULL, TRUE);
  eimza_card_service_run_async (bench.service, set_vendor_dir_job, g_strdup (vendor_dir),
                                g_free, NULL, NULL, NULL, NULL);
  /* Loading the modules (OpenSC's C_Initialize included) is not timed. */
  eimza_pkcs11_list_certificates_async (bench.service, NULL, NULL, listed_flag_cb, &warm);
  iterate_until_flag (&warm, 60);

  for (int i = 0; i < runs + 1; i++)
    {
      PcscVirtualCard *card;
      g_autoptr(GError) error = NULL;

      bench.inserted_at = 0;
      bench.listed = FALSE;
      bench.removed_at = 0;
      card = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_0, atr, &error);
      if (card == NULL)
        g_error ("%s", error->message);
      iterate_until_flag (&bench.listed, 120);
      /* The first insertion is a warm-up. */
      if (i > 0)
        {
          g_array_append_vals (total, (gint64[]) { bench.listed_at -
                                                   pcsc_virtual_card_get_insert_time (card) }, 1);
          g_array_append_vals (listing, (gint64[]) { bench.listed_at - bench.inserted_at }, 1);
        }
      n_certificates = bench.n_certificates;
      pcsc_virtual_card_remove (card);
      iterate_until (&bench.removed_at, 10);
    }

  label = g_strdup_printf ("  %s, %s: %u certificates", mode,
                           g_str_equal (atr, ATR_VICC) ? "unknown card (vicc)"
                                                       : "AKİS card", n_certificates);
  printf ("%s\n", label);
  print_stats ("    total", total);
  print_stats ("    listing", listing);
  fflush (stdout);

  g_object_unref (bench.service);
  umount (P11_KIT_MODULES_DIR);
  {
    const char *argv[] = { "rm", "-rf", work_dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  NULL, NULL);
  }
  return 0;
}

/* Runs the child for each configuration; the token is made once. */
static void
certificates_part (const char *self_path,
                   int         runs)
{
  static const struct {
    const char *mode;
    const char *atr;
  } configurations[] = {
    { "token only", ATR_AKIS_2020 },
    { "opensc", ATR_AKIS_2020 },
    { "token only", ATR_VICC },
    { "opensc", ATR_VICC },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("card-latency-token-XXXXXX", &error);
  g_autofree char *runs_text = g_strdup_printf ("%d", runs);
  int status = 0;

  g_assert_no_error (error);
  {
    const char *argv[] = { "/bin/sh", SOFTHSM_SETUP, dir, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                       NULL, NULL, &status, &error) ||
        !g_spawn_check_wait_status (status, NULL))
      {
        printf ("certificates: SKIP (%s failed: softhsm2 and gnutls-bin installed?)\n",
                SOFTHSM_SETUP);
        return;
      }
  }

  printf ("certificates: insert → certificates listed, %d insertions each (after one\n"
          "  warm-up); \"listing\" is card-inserted → list done; the token is SoftHSM2 as\n"
          "  libakisp11.so; \"opensc\": opensc-pkcs11.so registered with p11-kit\n", runs);
  fflush (stdout);
  for (guint i = 0; i < G_N_ELEMENTS (configurations); i++)
    {
      const char *argv[] = { self_path, "--certificates",
                             g_str_equal (configurations[i].mode, "opensc") ? "opensc"
                                                                            : "token-only",
                             configurations[i].atr, runs_text, dir, NULL };

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                         NULL, NULL, &status, &error))
        g_error ("%s", error->message);
      if (!g_spawn_check_wait_status (status, NULL))
        printf ("  (child exited with status %d)\n", status);
      fflush (stdout);
    }

  {
    const char *argv[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  NULL, NULL);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) total = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) service = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) removal = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) jobs = g_array_new (FALSE, FALSE, sizeof (gint64));
  Watcher watcher = { 0, };
  Bench bench = { 0, };
  PcscTestbed *bed;
  GThread *thread;
  int runs = argc > 1 ? atoi (argv[1]) : 20;

  if (argc == 6 && g_str_equal (argv[1], "--certificates"))
    return certificates_child (argv[2], argv[3], atoi (argv[4]), argv[5]);

  if (runs <= 0)
    runs = 20;

  bed = pcsc_testbed_new (&error);
  if (bed == NULL)
    {
      printf ("SKIP: %s\n", error->message);
      return 77;
    }
  if (!pcsc_testbed_start_pcscd (bed, NULL, 2, &error))
    g_error ("%s", error->message);

  g_mutex_init (&watcher.lock);
  g_cond_init (&watcher.cond);
  thread = g_thread_new ("raw-watcher", watcher_thread, &watcher);
  g_mutex_lock (&watcher.lock);
  while (!watcher.ready)
    g_cond_wait (&watcher.cond, &watcher.lock);
  g_mutex_unlock (&watcher.lock);

  bench.service = eimza_card_service_new ();
  g_signal_connect (bench.service, "card-inserted", G_CALLBACK (card_inserted_cb), &bench);
  g_signal_connect (bench.service, "card-removed", G_CALLBACK (card_removed_cb), &bench);
  while (eimza_card_service_get_state (bench.service) != EIMZA_CARD_SERVICE_STATE_READY)
    g_main_context_iteration (NULL, TRUE);

  for (int i = 0; i < runs; i++)
    {
      PcscVirtualCard *card;
      gint64 removed_start;
      gint64 present_at;

      g_mutex_lock (&watcher.lock);
      watcher.last_present = 0;
      g_mutex_unlock (&watcher.lock);
      bench.inserted_at = 0;
      bench.removed_at = 0;

      card = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_0, ATR_UEKAE, &error);
      if (card == NULL)
        g_error ("%s", error->message);
      iterate_until (&bench.inserted_at, 10);

      /* The raw client may be a little behind the service. */
      g_mutex_lock (&watcher.lock);
      {
        gint64 end_time = g_get_monotonic_time () + G_USEC_PER_SEC;

        while (watcher.last_present == 0 &&
               g_cond_wait_until (&watcher.cond, &watcher.lock, end_time))
          ;
      }
      present_at = watcher.last_present;
      g_mutex_unlock (&watcher.lock);

      g_array_append_vals (total, (gint64[]) { bench.inserted_at -
                                               pcsc_virtual_card_get_insert_time (card) }, 1);
      if (present_at != 0)
        g_array_append_vals (service, (gint64[]) { bench.inserted_at - present_at }, 1);

      /* A job while the worker waits. */
      g_usleep (20 * 1000);
      bench.job_done_at = 0;
      {
        gint64 start = g_get_monotonic_time ();

        eimza_card_service_run_async (bench.service, empty_job, NULL, NULL, NULL, NULL,
                                      job_done_cb, &bench);
        iterate_until (&bench.job_done_at, 10);
        g_array_append_vals (jobs, (gint64[]) { bench.job_done_at - start }, 1);
      }

      removed_start = g_get_monotonic_time ();
      pcsc_virtual_card_remove (card);
      iterate_until (&bench.removed_at, 10);
      g_array_append_vals (removal, (gint64[]) { bench.removed_at - removed_start }, 1);
    }

  printf ("card-latency: %d insertions of an in-process vpcd card\n", runs);
  print_stats ("total", total);
  if (service->len > 0)
    print_stats ("service", service);
  print_stats ("removal", removal);
  print_stats ("job", jobs);

  g_object_unref (bench.service);

  fflush (stdout);
  certificates_part (argv[0], MAX (runs / 2, 5));

  /* An SCardCancel() can get lost (see eimza-card-service.c): repeat it. */
  g_mutex_lock (&watcher.lock);
  watcher.stop = TRUE;
  while (!watcher.exited)
    {
      SCardCancel (watcher.context);
      g_mutex_unlock (&watcher.lock);
      g_usleep (5 * 1000);
      g_mutex_lock (&watcher.lock);
    }
  g_mutex_unlock (&watcher.lock);
  g_thread_join (thread);
  g_mutex_clear (&watcher.lock);
  g_cond_clear (&watcher.cond);

  pcsc_testbed_free (bed);
  return 0;
}
