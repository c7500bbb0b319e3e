/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card service tests' fixture: the service on a real pcscd with vpcd readers, its signals logged. */
#pragma once

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "eimza-card-service.h"
#include "pcsc-testbed.h"

#define ATR_UEKAE "3B9F968131FE45806755454B41451293318073B3A1806B"
#define ATR_2020 "3B9F978131FE4580655443D3230231C073F62180810552"
#define ATR_VICC "3B951381018073FF01000B"

/* Generous: vpcd cards are seen by pcscd's 400 ms polling, and the service
 * retries pcscd every second. */
#define EVENT_TIMEOUT_MS 5000

typedef struct {
  EimzaCardService *service;
  GPtrArray *log;     /* "signal arguments…" */
  GPtrArray *states;  /* notified states, as nicks */
  char *empty_config_dir;
} Fixture;

/* Runs the default main context until @cond holds, failing after
 * @timeout_ms. */
#define WAIT_FOR(cond, timeout_ms)                                              \
  G_STMT_START {                                                                \
    gboolean timed_out_ = FALSE;                                                \
    guint timeout_id_ = g_timeout_add ((timeout_ms), timeout_flag_cb, &timed_out_); \
    while (!(cond) && !timed_out_)                                              \
      g_main_context_iteration (NULL, TRUE);                                    \
    if (!timed_out_)                                                            \
      g_source_remove (timeout_id_);                                            \
    if (!(cond))                                                                \
      g_error ("Timed out after %u ms waiting for %s", (guint) (timeout_ms), #cond); \
  } G_STMT_END

/* card-service-fixture.c: the test bed, the signal log, the service's start and stop. */
extern PcscTestbed *bed;
extern char *skip_reason;
extern GThread *main_thread;
gboolean timeout_flag_cb (gpointer data);
guint log_count (Fixture    *f,
                 const char *text);
guint log_count_prefix (Fixture    *f,
                        const char *prefix);
gboolean is_state (Fixture               *f,
                   EimzaCardServiceState  state);
EimzaCardReaderInfo *find_reader (Fixture    *f,
                                  const char *name);
void start_service (Fixture *f);
gint64 stop_service (Fixture *f);
void start_pcscd (guint n_readers);
void fixture_setup (Fixture       *f,
                    gconstpointer  data);
void fixture_teardown (Fixture       *f,
                       gconstpointer  data);
gboolean need_testbed (void);
void store_result_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data);

/* test-card-service-jobs.c: jobs on the worker. */
void test_job_result (Fixture       *f,
                      gconstpointer  data);
void test_jobs_during_events (Fixture       *f,
                              gconstpointer  data);
void test_job_cancel (Fixture       *f,
                      gconstpointer  data);
void test_worker_data (Fixture       *f,
                       gconstpointer  data);
void test_dispose_pending_jobs (Fixture       *f,
                                gconstpointer  data);
