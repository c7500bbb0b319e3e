/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the card service's jobs on its worker thread: results, cancellation, worker data, disposal. */
#include "config.h"

#include "card-service-fixture.h"

/* Jobs */

typedef struct {
  int value;
  GThread *ran_on;
  gboolean *freed;
} JobData;

static void
job_data_free (gpointer data)
{
  JobData *job_data = data;

  if (job_data->freed != NULL)
    *job_data->freed = TRUE;
  g_free (job_data);
}

static gpointer
list_readers_job (EimzaCardWorker  *worker,
                  gpointer          data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  JobData *job_data = data;
  SCARDCONTEXT context = eimza_card_worker_get_pcsc_context (worker);
  LPSTR names = NULL;
  DWORD names_len = SCARD_AUTOALLOCATE;
  GPtrArray *result;
  LONG rv;

  job_data->ran_on = g_thread_self ();

  rv = SCardListReaders (context, NULL, (LPSTR) &names, &names_len);
  if (!eimza_card_error_from_pcsc (rv, error))
    return NULL;

  result = g_ptr_array_new_with_free_func (g_free);
  for (const char *p = names; *p != '\0'; p += strlen (p) + 1)
    g_ptr_array_add (result, g_strdup (p));
  SCardFreeMemory (context, names);

  return result;
}

void
test_job_result (Fixture       *f,
                 gconstpointer  data)
{
  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  /* Many round trips in a row, each waking the worker from its wait:
   * a lost wake-up would hang one of them. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) names = NULL;
      g_autoptr(GError) error = NULL;
      gboolean freed = FALSE;
      JobData *job_data = g_new0 (JobData, 1);

      job_data->freed = &freed;
      eimza_card_service_run_async (f->service, list_readers_job, job_data, job_data_free,
                                    (GDestroyNotify) g_ptr_array_unref, NULL,
                                    store_result_cb, &result);
      WAIT_FOR (result != NULL, EVENT_TIMEOUT_MS);
      g_assert_true (job_data->ran_on != main_thread);
      g_assert_false (freed);

      names = eimza_card_service_run_finish (f->service, result, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (names->len, ==, 2);
      g_assert_cmpstr (g_ptr_array_index (names, 0), ==, PCSC_TESTBED_READER_0);

      g_clear_object (&result);
      g_assert_true (freed);
    }
}

static gpointer
noop_job (EimzaCardWorker  *worker,
          gpointer          data,
          GCancellable     *cancellable,
          GError          **error)
{
  return NULL;
}

static void
count_job_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  guint *n_done = user_data;
  g_autoptr(GError) error = NULL;

  eimza_card_service_run_finish (EIMZA_CARD_SERVICE (source), result, &error);
  g_assert_no_error (error);
  (*n_done)++;
}

/* Jobs back to back while cards come and go: neither starves the other. */
void
test_jobs_during_events (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PcscVirtualCard *card;
  guint n_sent = 0, n_done = 0;

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  card = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_0, ATR_2020, &error);
  g_assert_no_error (error);
  for (gint64 end = g_get_monotonic_time () + EVENT_TIMEOUT_MS * 1000;
       log_count_prefix (f, "card-inserted ") == 0 && g_get_monotonic_time () < end;)
    {
      /* Keep a few in flight. */
      while (n_sent - n_done < 4)
        {
          eimza_card_service_run_async (f->service, noop_job, NULL, NULL, NULL, NULL,
                                        count_job_cb, &n_done);
          n_sent++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (log_count (f, "card-inserted " PCSC_TESTBED_READER_0 " " ATR_2020), ==, 1);

  pcsc_virtual_card_remove (card);
  for (gint64 end = g_get_monotonic_time () + EVENT_TIMEOUT_MS * 1000;
       log_count_prefix (f, "card-removed ") == 0 && g_get_monotonic_time () < end;)
    {
      while (n_sent - n_done < 4)
        {
          eimza_card_service_run_async (f->service, noop_job, NULL, NULL, NULL, NULL,
                                        count_job_cb, &n_done);
          n_sent++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (log_count (f, "card-removed " PCSC_TESTBED_READER_0), ==, 1);

  WAIT_FOR (n_done == n_sent, EVENT_TIMEOUT_MS);
  g_test_message ("%u jobs ran meanwhile", n_done);
  g_assert_cmpuint (n_done, >, 100);
}

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean entered;
  gboolean open;
} Gate;

static gpointer
gate_job (EimzaCardWorker  *worker,
          gpointer          data,
          GCancellable     *cancellable,
          GError          **error)
{
  Gate *gate = data;

  g_mutex_lock (&gate->lock);
  gate->entered = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);

  return GINT_TO_POINTER (42);
}

static void
gate_wait_entered (Gate *gate)
{
  g_mutex_lock (&gate->lock);
  while (!gate->entered)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->lock);
}

static gpointer
must_not_run_job (EimzaCardWorker  *worker,
                  gpointer          data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  g_error ("A job cancelled before it started ran");
  return NULL;
}

static gpointer
failing_job (EimzaCardWorker  *worker,
             gpointer          data,
             GCancellable     *cancellable,
             GError          **error)
{
  return eimza_card_error_from_pcsc (SCARD_E_NO_SMARTCARD, error) ? g_strdup ("?") : NULL;
}

static gpointer
self_cancelling_job (EimzaCardWorker  *worker,
                     gpointer          data,
                     GCancellable     *cancellable,
                     GError          **error)
{
  JobData *job_data = data;

  g_cancellable_cancel (cancellable);
  /* A result that nobody gets must still be freed. */
  job_data->value = 1;
  return job_data;
}

static void
count_free (gpointer data)
{
  JobData *job_data = data;

  job_data->value = 2;
}

void
test_job_cancel (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) gate_result = NULL;
  g_autoptr(GAsyncResult) skipped_result = NULL;
  g_autoptr(GAsyncResult) failed_result = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JobData self_cancelling = { 0, };
  gboolean freed = FALSE;
  JobData *job_data;
  Gate gate = { 0, };

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  /* Hold the worker in a job, queue one behind it and cancel that. */
  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  eimza_card_service_run_async (f->service, gate_job, &gate, NULL, NULL, NULL,
                                store_result_cb, &gate_result);
  gate_wait_entered (&gate);

  job_data = g_new0 (JobData, 1);
  job_data->freed = &freed;
  eimza_card_service_run_async (f->service, must_not_run_job, job_data, job_data_free,
                                g_free, cancellable, store_result_cb, &skipped_result);
  eimza_card_service_run_async (f->service, failing_job, NULL, NULL, g_free, NULL,
                                store_result_cb, &failed_result);
  g_cancellable_cancel (cancellable);
  gate_open (&gate);

  WAIT_FOR (gate_result != NULL && skipped_result != NULL && failed_result != NULL,
            EVENT_TIMEOUT_MS);
  g_assert_cmpint (GPOINTER_TO_INT (eimza_card_service_run_finish (f->service, gate_result,
                                                                   &error)), ==, 42);
  g_assert_no_error (error);

  g_assert_null (eimza_card_service_run_finish (f->service, skipped_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&skipped_result);
  g_assert_true (freed);

  g_assert_null (eimza_card_service_run_finish (f->service, failed_result, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD);
  g_clear_error (&error);

  /* Cancelled while running: the result is dropped (and freed). */
  g_cancellable_reset (cancellable);
  eimza_card_service_run_async (f->service, self_cancelling_job, &self_cancelling, NULL,
                                count_free, cancellable, store_result_cb, &result);
  WAIT_FOR (result != NULL, EVENT_TIMEOUT_MS);
  g_assert_null (eimza_card_service_run_finish (f->service, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);
  g_assert_cmpint (self_cancelling.value, ==, 2);

  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.cond);
}

static GThread *data_destroyed_on;
static guint n_data_destroyed;

static void
worker_data_destroy (gpointer data)
{
  data_destroyed_on = g_thread_self ();
  n_data_destroyed++;
  g_free (data);
}

static gpointer
set_data_job (EimzaCardWorker  *worker,
              gpointer          data,
              GCancellable     *cancellable,
              GError          **error)
{
  g_assert_null (eimza_card_worker_get_data (worker, "other"));
  eimza_card_worker_set_data (worker, "test-module", g_strdup (data), worker_data_destroy);
  return NULL;
}

static gpointer
get_data_job (EimzaCardWorker  *worker,
              gpointer          data,
              GCancellable     *cancellable,
              GError          **error)
{
  return g_strdup (eimza_card_worker_get_data (worker, "test-module"));
}

static char *
run_job_sync (Fixture          *f,
              EimzaCardJobFunc  func,
              gpointer          data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *value;

  eimza_card_service_run_async (f->service, func, data, NULL, g_free, NULL,
                                store_result_cb, &result);
  WAIT_FOR (result != NULL, EVENT_TIMEOUT_MS);
  value = eimza_card_service_run_finish (f->service, result, &error);
  g_assert_no_error (error);

  return value;
}

void
test_worker_data (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *value = NULL;

  if (!need_testbed ())
    return;

  n_data_destroyed = 0;
  data_destroyed_on = NULL;

  start_service (f);
  g_assert_null (run_job_sync (f, set_data_job, "first"));
  value = run_job_sync (f, get_data_job, NULL);
  g_assert_cmpstr (value, ==, "first");
  g_clear_pointer (&value, g_free);

  g_assert_null (run_job_sync (f, set_data_job, "second"));
  g_assert_cmpuint (n_data_destroyed, ==, 1);
  g_assert_true (data_destroyed_on != main_thread);
  value = run_job_sync (f, get_data_job, NULL);
  g_assert_cmpstr (value, ==, "second");

  /* Modules clean up on the worker when the service goes. */
  data_destroyed_on = NULL;
  stop_service (f);
  g_assert_cmpuint (n_data_destroyed, ==, 2);
  g_assert_nonnull (data_destroyed_on);
  g_assert_true (data_destroyed_on != main_thread);
}

static int slow_job_entered;

static void
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
}

static gpointer
slow_job (EimzaCardWorker  *worker,
          gpointer          data,
          GCancellable     *cancellable,
          GError          **error)
{
  g_atomic_int_set (&slow_job_entered, 1);
  g_usleep (100 * 1000);
  return g_strdup ("slow");
}

void
test_dispose_pending_jobs (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) slow_result = NULL;
  g_autoptr(GAsyncResult) pending_result = NULL;
  g_autoptr(GAsyncResult) late_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  EimzaCardService *service;
  gboolean finalized = FALSE;

  if (!need_testbed ())
    return;

  g_atomic_int_set (&slow_job_entered, 0);
  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);
  /* Dispose clears the fixture's weak pointer; keep the reference here. */
  service = f->service;
  g_object_set_data_full (G_OBJECT (service), "finalized", &finalized, set_true);

  eimza_card_service_run_async (service, slow_job, NULL, NULL, g_free, NULL,
                                store_result_cb, &slow_result);
  eimza_card_service_run_async (service, get_data_job, NULL, NULL, g_free, NULL,
                                store_result_cb, &pending_result);

  /* Pending jobs hold the service, so it takes an explicit dispose; it
   * waits for the running job and cancels the rest. */
  while (!g_atomic_int_get (&slow_job_entered))
    g_usleep (1000);
  g_object_run_dispose (G_OBJECT (service));

  eimza_card_service_run_async (service, get_data_job, NULL, NULL, g_free, NULL,
                                store_result_cb, &late_result);

  WAIT_FOR (slow_result != NULL && pending_result != NULL && late_result != NULL,
            EVENT_TIMEOUT_MS);
  value = eimza_card_service_run_finish (service, slow_result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "slow");

  g_assert_null (eimza_card_service_run_finish (service, pending_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (eimza_card_service_run_finish (service, late_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_object (&slow_result);
  g_clear_object (&pending_result);
  g_clear_object (&late_result);

  g_assert_null (f->service);
  g_assert_false (finalized);
  g_object_unref (service);
  g_assert_true (finalized);
}
