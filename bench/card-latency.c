/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: card insertion → EimzaCardService::card-inserted on the main context. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "eimza-card-service.h"
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
 * worker waits for events. Figures only; nothing is asserted.
 *
 * Usage: card-latency [RUNS]   (default 20; needs root, pcscd, vpcd)
 */

#define ATR_UEKAE "3B9F968131FE45806755454B41451293318073B3A1806B"

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
