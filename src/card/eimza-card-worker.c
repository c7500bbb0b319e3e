/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card service's worker thread: PC/SC waits, readers and cards, jobs. */
#include "config.h"

#include <string.h>

#include "eimza-atr.h"
#include "eimza-card-service-private.h"

#define PNP_READER_NAME "\\\\?PnP?\\Notification"
#define RETRY_INTERVAL_USEC (1 * G_USEC_PER_SEC)

typedef struct {
  char *name;
  DWORD state;         /* last event state, without SCARD_STATE_CHANGED */
  gboolean has_card;
  char *atr;           /* hex, NULL without a card or for a mute card */
  char *card_type;
  guint64 insertion;   /* 0 without a card; see EimzaCardWorkerReader */
} Slot;

typedef struct {
  gpointer data;
  GDestroyNotify destroy;
} DataEntry;

struct _EimzaCardWorker {
  Shared *shared;
  GThread *thread;
  SCARDCONTEXT context;
  gboolean have_context;
  GHashTable *data;        /* char * → DataEntry */
  GPtrArray *slots;        /* of Slot, in pcscd's order */
  guint64 n_insertions;    /* the last Slot.insertion given */
  gboolean need_relist;
  /* What the main context was last told, and what it will be told next. */
  EimzaCardServiceState state;
  EimzaCardServiceState reported_state;
  gboolean dirty;
  GArray *events;          /* of Event */
};

/* Worker: reporting */

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  g_free (slot->name);
  g_free (slot->atr);
  g_free (slot->card_type);
  g_free (slot);
}

static void
worker_add_event (EimzaCardWorker *worker,
                  EventKind        kind,
                  const char      *reader,
                  const char      *atr)
{
  Event event = { kind, g_strdup (reader), g_strdup (atr) };

  g_array_append_val (worker->events, event);
  worker->dirty = TRUE;
}

static void
worker_set_state (EimzaCardWorker       *worker,
                  EimzaCardServiceState  state)
{
  worker->state = state;
}

/* Sends what changed since the last flush to the main context. An idle
 * source (not g_main_context_invoke()) so it never runs on the worker, even
 * when the worker could acquire the main context. */
static void
worker_flush (EimzaCardWorker *worker)
{
  Update *update;
  GSource *source;

  if (!worker->dirty && worker->state == worker->reported_state)
    return;

  update = g_new0 (Update, 1);
  update->shared = eimza_card_shared_ref (worker->shared);
  update->state = worker->state;
  update->readers = g_ptr_array_new_with_free_func ((GDestroyNotify) eimza_card_reader_info_unref);
  for (guint i = 0; i < worker->slots->len; i++)
    {
      const Slot *slot = g_ptr_array_index (worker->slots, i);

      g_ptr_array_add (update->readers,
                       eimza_card_reader_info_new (slot->name, slot->has_card,
                                                   slot->atr, slot->card_type));
    }
  update->events = g_steal_pointer (&worker->events);
  worker->events = g_array_new (FALSE, TRUE, sizeof (Event));
  g_array_set_clear_func (worker->events, eimza_card_event_clear);

  worker->dirty = FALSE;
  worker->reported_state = worker->state;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[eimza] card service update");
  g_source_set_callback (source, eimza_card_service_apply_update, update, eimza_card_update_free);
  g_source_attach (source, worker->shared->main_context);
  g_source_unref (source);
}

/* Worker: readers */

static void
slot_take_card (EimzaCardWorker         *worker,
                Slot                    *slot,
                const SCARD_READERSTATE *rs)
{
  g_clear_pointer (&slot->atr, g_free);
  g_clear_pointer (&slot->card_type, g_free);
  slot->has_card = TRUE;
  slot->insertion = ++worker->n_insertions;

  if (rs->cbAtr > 0 && rs->cbAtr <= sizeof rs->rgbAtr)
    {
      slot->atr = eimza_atr_to_hex (rs->rgbAtr, rs->cbAtr);
      slot->card_type = g_strdup (eimza_atr_lookup (rs->rgbAtr, rs->cbAtr));
    }

  worker_add_event (worker, EVENT_CARD_INSERTED, slot->name, slot->atr);
}

static void
slot_drop_card (EimzaCardWorker *worker,
                Slot            *slot)
{
  g_clear_pointer (&slot->atr, g_free);
  g_clear_pointer (&slot->card_type, g_free);
  slot->has_card = FALSE;
  slot->insertion = 0;

  worker_add_event (worker, EVENT_CARD_REMOVED, slot->name, NULL);
}

static void
worker_remove_slot (EimzaCardWorker *worker,
                    guint            index)
{
  Slot *slot = g_ptr_array_index (worker->slots, index);

  if (slot->has_card)
    slot_drop_card (worker, slot);
  worker_add_event (worker, EVENT_READER_REMOVED, slot->name, NULL);
  g_ptr_array_remove_index (worker->slots, index);
}

static void
worker_update_state (EimzaCardWorker *worker)
{
  if (!worker->have_context)
    worker_set_state (worker, EIMZA_CARD_SERVICE_STATE_NO_SERVICE);
  else if (worker->slots->len == 0)
    worker_set_state (worker, EIMZA_CARD_SERVICE_STATE_NO_READER);
  else
    worker_set_state (worker, EIMZA_CARD_SERVICE_STATE_READY);
}

static gboolean
is_service_lost (LONG rv)
{
  return rv == SCARD_F_COMM_ERROR ||
         rv == SCARD_E_NO_SERVICE ||
         rv == SCARD_E_SERVICE_STOPPED ||
         rv == SCARD_E_INVALID_HANDLE;
}

/* pcscd went away: forget the context (SCardIsValidContext() would still
 * say it is valid, it only checks the client side) and every reader. */
static void
worker_lose_service (EimzaCardWorker *worker)
{
  g_debug ("card worker: lost the PC/SC service");

  g_mutex_lock (&worker->shared->lock);
  worker->shared->have_context = FALSE;
  g_mutex_unlock (&worker->shared->lock);

  if (worker->have_context)
    SCardReleaseContext (worker->context);
  worker->have_context = FALSE;
  worker->context = 0;

  while (worker->slots->len > 0)
    worker_remove_slot (worker, 0);

  worker->need_relist = TRUE;
  worker_update_state (worker);
}

static gboolean
worker_connect (EimzaCardWorker *worker)
{
  SCARDCONTEXT context = 0;
  LONG rv;

  rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context);
  if (rv != SCARD_S_SUCCESS)
    {
      g_debug ("card worker: SCardEstablishContext: %s", pcsc_stringify_error (rv));
      worker_set_state (worker, EIMZA_CARD_SERVICE_STATE_NO_SERVICE);
      return FALSE;
    }

  worker->context = context;
  worker->have_context = TRUE;
  worker->need_relist = TRUE;

  g_mutex_lock (&worker->shared->lock);
  worker->shared->context = context;
  worker->shared->have_context = TRUE;
  g_mutex_unlock (&worker->shared->lock);

  return TRUE;
}

static gboolean
names_contain (const char *names,
               const char *name)
{
  for (const char *p = names; p != NULL && *p != '\0'; p += strlen (p) + 1)
    if (g_str_equal (p, name))
      return TRUE;

  return FALSE;
}

/* Brings the slots in line with pcscd's reader list. Returns FALSE when the
 * service was lost meanwhile. */
static gboolean
worker_relist (EimzaCardWorker *worker)
{
  LPSTR names = NULL;
  DWORD names_len = SCARD_AUTOALLOCATE;
  LONG rv;

  rv = SCardListReaders (worker->context, NULL, (LPSTR) &names, &names_len);
  if (is_service_lost (rv))
    {
      worker_lose_service (worker);
      return FALSE;
    }
  if (rv != SCARD_S_SUCCESS && rv != SCARD_E_NO_READERS_AVAILABLE)
    g_debug ("card worker: SCardListReaders: %s", pcsc_stringify_error (rv));
  if (rv != SCARD_S_SUCCESS)
    names = NULL;

  for (guint i = worker->slots->len; i > 0; i--)
    {
      const Slot *slot = g_ptr_array_index (worker->slots, i - 1);

      if (!names_contain (names, slot->name))
        worker_remove_slot (worker, i - 1);
    }

  for (const char *p = names; p != NULL && *p != '\0'; p += strlen (p) + 1)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < worker->slots->len && !known; i++)
        known = g_str_equal (((Slot *) g_ptr_array_index (worker->slots, i))->name, p);

      if (!known)
        {
          Slot *slot = g_new0 (Slot, 1);

          slot->name = g_strdup (p);
          slot->state = SCARD_STATE_UNAWARE;
          g_ptr_array_add (worker->slots, slot);
          worker_add_event (worker, EVENT_READER_ADDED, slot->name, NULL);
        }
    }

  if (names != NULL)
    SCardFreeMemory (worker->context, names);

  worker->need_relist = FALSE;
  worker_update_state (worker);
  return TRUE;
}

static void
worker_process_reader (EimzaCardWorker         *worker,
                       Slot                    *slot,
                       const SCARD_READERSTATE *rs)
{
  DWORD event_state = rs->dwEventState;
  gboolean present;

  if ((event_state & SCARD_STATE_CHANGED) == 0)
    return;

  if (event_state & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE))
    {
      /* The reader is gone. */
      worker->need_relist = TRUE;
      return;
    }

  present = (event_state & SCARD_STATE_PRESENT) != 0;

  if (present && slot->has_card)
    {
      /* The upper 16 bits count card events: a different count while a
       * card is still there means it was swapped between two waits. A
       * change of the ATR (a mute card that answered) counts too. */
      g_autofree char *atr = NULL;

      if (rs->cbAtr > 0 && rs->cbAtr <= sizeof rs->rgbAtr)
        atr = eimza_atr_to_hex (rs->rgbAtr, rs->cbAtr);

      if ((event_state >> 16) != (slot->state >> 16) || g_strcmp0 (atr, slot->atr) != 0)
        {
          slot_drop_card (worker, slot);
          slot_take_card (worker, slot, rs);
        }
    }
  else if (present)
    {
      slot_take_card (worker, slot, rs);
    }
  else if (slot->has_card)
    {
      slot_drop_card (worker, slot);
    }
  /* else the first UNAWARE → EMPTY report, or a change of flags (in use,
   * exclusive): nothing to tell. */

  slot->state = event_state & ~(DWORD) SCARD_STATE_CHANGED;
  worker->dirty = TRUE;
}

static gboolean
worker_has_unaware_slots (EimzaCardWorker *worker)
{
  for (guint i = 0; i < worker->slots->len; i++)
    if (((Slot *) g_ptr_array_index (worker->slots, i))->state == SCARD_STATE_UNAWARE)
      return TRUE;

  return FALSE;
}

/* A pause (between attempts to reach pcscd, after an unexpected error);
 * ends early when there is a job or the worker should stop. */
static void
worker_sleep (EimzaCardWorker *worker,
              gint64           usec)
{
  Shared *shared = worker->shared;
  gint64 end_time = g_get_monotonic_time () + usec;

  g_mutex_lock (&shared->lock);
  while (!shared->stop && g_async_queue_length (shared->jobs) == 0)
    {
      if (!g_cond_wait_until (&shared->cond, &shared->lock, end_time))
        break;
    }
  g_mutex_unlock (&shared->lock);
}

/* Waits for a reader event or a wake-up. Returns at once when jobs are
 * queued or the worker should stop. */
static void
worker_wait (EimzaCardWorker *worker)
{
  g_autofree SCARD_READERSTATE *states = NULL;
  guint n_slots = worker->slots->len;
  Shared *shared = worker->shared;
  LONG rv;

  states = g_new0 (SCARD_READERSTATE, n_slots + 1);
  for (guint i = 0; i < n_slots; i++)
    {
      const Slot *slot = g_ptr_array_index (worker->slots, i);

      states[i].szReader = slot->name;
      states[i].dwCurrentState = slot->state;
    }
  states[n_slots].szReader = PNP_READER_NAME;
  states[n_slots].dwCurrentState = (DWORD) n_slots << 16;

  g_mutex_lock (&shared->lock);
  if (shared->stop || g_async_queue_length (shared->jobs) > 0)
    {
      g_mutex_unlock (&shared->lock);
      return;
    }
  shared->in_wait = TRUE;
  shared->wait_seq++;
  g_mutex_unlock (&shared->lock);

  rv = SCardGetStatusChange (worker->context, INFINITE, states, n_slots + 1);

  g_mutex_lock (&shared->lock);
  shared->in_wait = FALSE;
  g_cond_broadcast (&shared->cond);
  g_mutex_unlock (&shared->lock);

  switch (rv)
    {
    case SCARD_S_SUCCESS:
      for (guint i = 0; i < n_slots; i++)
        worker_process_reader (worker, g_ptr_array_index (worker->slots, i), &states[i]);
      if (states[n_slots].dwEventState & SCARD_STATE_CHANGED)
        worker->need_relist = TRUE;
      break;

    case SCARD_E_CANCELLED:
    case SCARD_E_TIMEOUT:
      break;

    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_NO_READERS_AVAILABLE:
    case SCARD_E_READER_UNAVAILABLE:
      /* A reader went between listing and waiting. (Not spinning in case
       * this pcsc-lite has no PnP reader and keeps saying so.) */
      worker->need_relist = TRUE;
      worker_sleep (worker, 50 * G_TIME_SPAN_MILLISECOND);
      break;

    default:
      if (is_service_lost (rv))
        {
          worker_lose_service (worker);
        }
      else
        {
          /* Unexpected: list the readers again, without spinning. */
          g_debug ("card worker: SCardGetStatusChange: %s", pcsc_stringify_error (rv));
          worker->need_relist = TRUE;
          worker_sleep (worker, 100 * G_TIME_SPAN_MILLISECOND);
        }
      break;
    }
}

/* Worker: jobs */

static gboolean
worker_should_stop (EimzaCardWorker *worker)
{
  gboolean stop;

  g_mutex_lock (&worker->shared->lock);
  stop = worker->shared->stop;
  g_mutex_unlock (&worker->shared->lock);

  return stop;
}

static void
worker_run_job (EimzaCardWorker *worker,
                Job             *job)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  GError *error = NULL;
  gpointer result;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      eimza_card_job_complete (job, NULL, error);
      return;
    }

  result = job->func (worker, g_task_get_task_data (job->task), cancellable, &error);

  if (error != NULL && result != NULL && job->result_free != NULL)
    g_clear_pointer (&result, job->result_free);

  /* With the cancellable cancelled meanwhile, GTask reports cancellation
   * and frees the result. */
  eimza_card_job_complete (job, result, error);
}

static void
worker_run_jobs (EimzaCardWorker *worker)
{
  Job *job;

  while (!worker_should_stop (worker) &&
         (job = g_async_queue_try_pop (worker->shared->jobs)) != NULL)
    worker_run_job (worker, job);
}

static void
data_entry_free (gpointer data)
{
  DataEntry *entry = data;

  if (entry->destroy != NULL)
    entry->destroy (entry->data);
  g_free (entry);
}

gpointer
eimza_card_worker_thread (gpointer data)
{
  EimzaCardWorker worker = { 0, };
  Shared *shared = data;
  Job *job;

  worker.shared = shared;
  worker.thread = g_thread_self ();
  worker.data = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, data_entry_free);
  worker.slots = g_ptr_array_new_with_free_func (slot_free);
  worker.state = EIMZA_CARD_SERVICE_STATE_STARTING;
  worker.reported_state = EIMZA_CARD_SERVICE_STATE_STARTING;
  worker.events = g_array_new (FALSE, TRUE, sizeof (Event));
  g_array_set_clear_func (worker.events, eimza_card_event_clear);

  while (!worker_should_stop (&worker))
    {
      if (!worker.have_context && !worker_connect (&worker))
        {
          /* Jobs need not wait for pcscd: PKCS#11 work may not need it. */
          worker_flush (&worker);
          worker_run_jobs (&worker);
          worker_sleep (&worker, RETRY_INTERVAL_USEC);
          continue;
        }

      if (worker.need_relist && !worker_relist (&worker))
        continue;

      /* New readers are UNAWARE and the next wait returns at once with
       * their state: report them together with it. */
      if (!worker_has_unaware_slots (&worker))
        worker_flush (&worker);

      worker_run_jobs (&worker);

      if (!worker_should_stop (&worker))
        worker_wait (&worker);
    }

  /* Stop: cancel what is left, then let modules clean up on this thread
   * before the PC/SC context goes. */
  while ((job = g_async_queue_try_pop (shared->jobs)) != NULL)
    eimza_card_job_complete_cancelled (job);

  g_hash_table_destroy (worker.data);

  g_mutex_lock (&shared->lock);
  shared->have_context = FALSE;
  g_mutex_unlock (&shared->lock);
  if (worker.have_context)
    SCardReleaseContext (worker.context);

  g_ptr_array_unref (worker.slots);
  g_array_unref (worker.events);

  g_mutex_lock (&shared->lock);
  shared->exited = TRUE;
  g_cond_broadcast (&shared->cond);
  g_mutex_unlock (&shared->lock);

  eimza_card_shared_unref (shared);
  return NULL;
}

/* Worker-thread accessors */

SCARDCONTEXT
eimza_card_worker_get_pcsc_context (EimzaCardWorker *worker)
{
  g_return_val_if_fail (worker != NULL, 0);
  g_return_val_if_fail (worker->thread == g_thread_self (), 0);

  return worker->have_context ? worker->context : 0;
}

void
eimza_card_worker_reader_free (EimzaCardWorkerReader *reader)
{
  if (reader == NULL)
    return;

  g_free (reader->name);
  g_free (reader->atr);
  g_free (reader);
}

GPtrArray *
eimza_card_worker_list_readers (EimzaCardWorker *worker)
{
  GPtrArray *readers;

  g_return_val_if_fail (worker != NULL, NULL);
  g_return_val_if_fail (worker->thread == g_thread_self (), NULL);

  readers = g_ptr_array_new_with_free_func ((GDestroyNotify) eimza_card_worker_reader_free);
  for (guint i = 0; i < worker->slots->len; i++)
    {
      const Slot *slot = g_ptr_array_index (worker->slots, i);
      EimzaCardWorkerReader *reader = g_new0 (EimzaCardWorkerReader, 1);

      reader->name = g_strdup (slot->name);
      reader->atr = slot->has_card ? g_strdup (slot->atr) : NULL;
      reader->insertion = slot->has_card ? slot->insertion : 0;
      g_ptr_array_add (readers, reader);
    }

  return readers;
}

gpointer
eimza_card_worker_get_data (EimzaCardWorker *worker,
                            const char      *key)
{
  DataEntry *entry;

  g_return_val_if_fail (worker != NULL, NULL);
  g_return_val_if_fail (worker->thread == g_thread_self (), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  entry = g_hash_table_lookup (worker->data, key);
  return entry != NULL ? entry->data : NULL;
}

void
eimza_card_worker_set_data (EimzaCardWorker *worker,
                            const char      *key,
                            gpointer         data,
                            GDestroyNotify   destroy)
{
  DataEntry *entry;

  g_return_if_fail (worker != NULL);
  g_return_if_fail (worker->thread == g_thread_self ());
  g_return_if_fail (key != NULL);

  if (data == NULL)
    {
      g_hash_table_remove (worker->data, key);
      return;
    }

  entry = g_new0 (DataEntry, 1);
  entry->data = data;
  entry->destroy = destroy;
  g_hash_table_replace (worker->data, g_strdup (key), entry);
}
