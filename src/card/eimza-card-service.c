/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card-reader service: one worker thread that owns all card state. */
#include "config.h"

#include <string.h>

#include "eimza-atr.h"
#include "eimza-card-enums.h"
#include "eimza-card-service.h"

/*
 * One thread, the worker, holds the PC/SC context (and whatever other
 * modules keep in its data, such as PKCS#11 modules). It loops on
 * SCardGetStatusChange() over the known readers plus the PnP pseudo-reader
 * with an infinite time-out. The main thread queues jobs; the worker is
 * woken with SCardCancel(), runs the jobs and waits again. What it sees is
 * sent to the main context in batches (an idle source there), where it
 * becomes properties and signals.
 *
 * SCardCancel() is lost when it comes before pcscd has registered the wait
 * (pcsc-lite then returns success and does nothing, in the client before
 * the request is sent as well as in the daemon before it is read), which
 * is exactly when the main thread reacts to an update the worker has just
 * sent. With an infinite wait a lost wake-up strands the job, so it must be
 * repeated until the worker leaves its wait; and SCardCancel() is a
 * blocking round trip to pcscd, which the main thread must not make. A
 * small waker thread does both: it holds no state and makes no other
 * PC/SC call.
 *
 * The worker never holds a reference to the service: both share a
 * reference-counted Shared block. The service pointer in it is only read
 * and written on the main context, so an update that arrives after dispose
 * finds NULL and is dropped.
 */

#define PNP_READER_NAME "\\\\?PnP?\\Notification"
#define RETRY_INTERVAL_USEC (1 * G_USEC_PER_SEC)
/* How long the waker waits for the worker to leave its wait before it
 * sends SCardCancel() again: short at first (a wake-up normally takes well
 * under a millisecond), then backing off. */
#define REWAKE_FIRST_USEC (1 * G_TIME_SPAN_MILLISECOND)
#define REWAKE_MAX_USEC (16 * G_TIME_SPAN_MILLISECOND)
/* How long stopping waits for a running job before it leaves the worker
 * behind (see eimza_card_service_stop()). */
#define STOP_TIMEOUT_USEC (3 * G_USEC_PER_SEC)

typedef struct {
  gatomicrefcount ref_count;
  GMainContext *main_context;
  /* Main context only. */
  EimzaCardService *service;

  /* The lock is never held across a PC/SC call, so the main thread never
   * waits for pcscd. The condition is broadcast on every change below. */
  GMutex lock;
  GCond cond;
  /* Under lock (besides its own): jobs are pushed with the lock held so the
   * worker can check for them and start waiting in one step. */
  GAsyncQueue *jobs;
  gboolean stop;
  gboolean exited;
  gboolean waker_stop;
  gboolean in_wait;      /* the worker is in (or entering) its status wait */
  guint wait_seq;        /* bumped each time the worker starts waiting */
  SCARDCONTEXT context;  /* valid while have_context */
  gboolean have_context;
  guint n_cancels;       /* for debugging: SCardCancel()s sent, and */
  guint n_repeated;      /* how many had to be repeated */
} Shared;

typedef struct {
  GTask *task;
  EimzaCardJobFunc func;
  GDestroyNotify result_free;
} Job;

typedef enum {
  EVENT_READER_ADDED,
  EVENT_READER_REMOVED,
  EVENT_CARD_INSERTED,
  EVENT_CARD_REMOVED,
} EventKind;

typedef struct {
  EventKind kind;
  char *reader;
  char *atr;
} Event;

typedef struct {
  Shared *shared;
  EimzaCardServiceState state;
  GPtrArray *readers;  /* of EimzaCardReaderInfo */
  GArray *events;      /* of Event */
} Update;

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

struct _EimzaCardService {
  GObject parent_instance;

  Shared *shared;
  GThread *thread;
  GThread *waker_thread;
  EimzaCardServiceState state;
  GPtrArray *readers;
  gboolean virtual_card;
};

G_DEFINE_FINAL_TYPE (EimzaCardService, eimza_card_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_READERS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_READER_ADDED,
  SIGNAL_READER_REMOVED,
  SIGNAL_CARD_INSERTED,
  SIGNAL_CARD_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Shared block */

static Shared *
shared_new (GMainContext *main_context)
{
  Shared *shared = g_new0 (Shared, 1);

  g_atomic_ref_count_init (&shared->ref_count);
  shared->main_context = g_main_context_ref (main_context);
  g_mutex_init (&shared->lock);
  g_cond_init (&shared->cond);
  shared->jobs = g_async_queue_new ();

  return shared;
}

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

static void
shared_unref (Shared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref_count))
    return;

  /* The worker empties the queue before it exits. */
  g_assert (g_async_queue_length (shared->jobs) == 0);
  g_async_queue_unref (shared->jobs);
  g_cond_clear (&shared->cond);
  g_mutex_clear (&shared->lock);
  g_main_context_unref (shared->main_context);
  g_free (shared);
}

/* Whether the worker waits for reader events although it has work. */
static gboolean
shared_needs_wake_locked (Shared *shared)
{
  return shared->in_wait && shared->have_context &&
         (shared->stop || g_async_queue_length (shared->jobs) > 0);
}

static gpointer
waker_thread (gpointer data)
{
  Shared *shared = data;
  gint64 interval = REWAKE_FIRST_USEC;

  g_mutex_lock (&shared->lock);
  while (!shared->waker_stop)
    {
      SCARDCONTEXT context;
      gint64 end_time;
      guint seq;

      if (!shared_needs_wake_locked (shared))
        {
          interval = REWAKE_FIRST_USEC;
          g_cond_wait (&shared->cond, &shared->lock);
          continue;
        }

      /* The worker releases the context only after it has left its wait,
       * and a released handle only makes SCardCancel() fail. */
      context = shared->context;
      seq = shared->wait_seq;
      g_mutex_unlock (&shared->lock);
      SCardCancel (context);
      g_mutex_lock (&shared->lock);
      shared->n_cancels++;

      end_time = g_get_monotonic_time () + interval;
      while (!shared->waker_stop && shared->in_wait && shared->wait_seq == seq)
        if (!g_cond_wait_until (&shared->cond, &shared->lock, end_time))
          break;

      if (shared->in_wait && shared->wait_seq == seq)
        {
          shared->n_repeated++;
          interval = MIN (interval * 2, REWAKE_MAX_USEC);
        }
      else
        {
          interval = REWAKE_FIRST_USEC;
        }
    }
  g_mutex_unlock (&shared->lock);

  shared_unref (shared);
  return NULL;
}

/* Jobs */

typedef struct {
  GTask *task;
  gpointer result;
  GDestroyNotify result_free;
  GError *error;
} Completion;

static void
completion_free (gpointer data)
{
  Completion *completion = data;

  if (completion->result != NULL && completion->result_free != NULL)
    completion->result_free (completion->result);
  g_clear_error (&completion->error);
  g_clear_object (&completion->task);
  g_free (completion);
}

static gboolean
complete_cb (gpointer data)
{
  Completion *completion = data;

  if (completion->error != NULL)
    g_task_return_error (completion->task, g_steal_pointer (&completion->error));
  else
    g_task_return_pointer (completion->task, g_steal_pointer (&completion->result),
                           completion->result_free);

  return G_SOURCE_REMOVE;
}

/* Ends @job with @result or @error (both taken). The task is returned, and
 * its last reference dropped, in its own main context rather than on the
 * worker, so job data, results and the task itself are freed on the
 * caller's thread, deterministically after its callback. */
static void
job_complete (Job      *job,
              gpointer  result,
              GError   *error)
{
  Completion *completion = g_new0 (Completion, 1);
  GSource *source;

  completion->task = g_steal_pointer (&job->task);
  completion->result = result;
  completion->result_free = job->result_free;
  completion->error = error;
  g_free (job);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[eimza] card job completion");
  g_source_set_callback (source, complete_cb, completion, completion_free);
  g_source_attach (source, g_task_get_context (completion->task));
  g_source_unref (source);
}

static void
job_complete_cancelled (Job *job)
{
  job_complete (job, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "The card service was stopped"));
}

/* Events and updates */

static void
event_clear (gpointer data)
{
  Event *event = data;

  g_clear_pointer (&event->reader, g_free);
  g_clear_pointer (&event->atr, g_free);
}

static void
update_free (gpointer data)
{
  Update *update = data;

  g_clear_pointer (&update->readers, g_ptr_array_unref);
  g_clear_pointer (&update->events, g_array_unref);
  shared_unref (update->shared);
  g_free (update);
}

static gboolean
readers_equal (GPtrArray *a,
               GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    if (!eimza_card_reader_info_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;

  return TRUE;
}

static gboolean
apply_update_cb (gpointer user_data)
{
  Update *update = user_data;
  g_autoptr(EimzaCardService) self = NULL;
  gboolean state_changed;
  gboolean readers_changed;

  if (update->shared->service == NULL)
    return G_SOURCE_REMOVE;

  self = g_object_ref (update->shared->service);

  /* The model first, so handlers see the state that goes with the signal;
   * notifications last. */
  state_changed = self->state != update->state;
  self->state = update->state;
  readers_changed = !readers_equal (self->readers, update->readers);
  if (readers_changed)
    {
      g_ptr_array_unref (self->readers);
      self->readers = g_steal_pointer (&update->readers);
    }

  g_object_freeze_notify (G_OBJECT (self));

  for (guint i = 0; i < update->events->len; i++)
    {
      const Event *event = &g_array_index (update->events, Event, i);

      switch (event->kind)
        {
        case EVENT_READER_ADDED:
          g_signal_emit (self, signals[SIGNAL_READER_ADDED], 0, event->reader);
          break;
        case EVENT_READER_REMOVED:
          g_signal_emit (self, signals[SIGNAL_READER_REMOVED], 0, event->reader);
          break;
        case EVENT_CARD_INSERTED:
          g_signal_emit (self, signals[SIGNAL_CARD_INSERTED], 0, event->reader, event->atr);
          break;
        case EVENT_CARD_REMOVED:
          g_signal_emit (self, signals[SIGNAL_CARD_REMOVED], 0, event->reader);
          break;
        default:
          g_assert_not_reached ();
        }

      /* A handler may have disposed of the service. */
      if (update->shared->service == NULL)
        break;
    }

  if (readers_changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READERS]);
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);

  g_object_thaw_notify (G_OBJECT (self));

  return G_SOURCE_REMOVE;
}

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
  update->shared = shared_ref (worker->shared);
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
  g_array_set_clear_func (worker->events, event_clear);

  worker->dirty = FALSE;
  worker->reported_state = worker->state;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[eimza] card service update");
  g_source_set_callback (source, apply_update_cb, update, update_free);
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
      job_complete (job, NULL, error);
      return;
    }

  result = job->func (worker, g_task_get_task_data (job->task), cancellable, &error);

  if (error != NULL && result != NULL && job->result_free != NULL)
    g_clear_pointer (&result, job->result_free);

  /* With the cancellable cancelled meanwhile, GTask reports cancellation
   * and frees the result. */
  job_complete (job, result, error);
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

static gpointer
worker_thread (gpointer data)
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
  g_array_set_clear_func (worker.events, event_clear);

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
    job_complete_cancelled (job);

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

  shared_unref (shared);
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

/* The service */

void
eimza_card_service_run_async (EimzaCardService    *self,
                              EimzaCardJobFunc     func,
                              gpointer             job_data,
                              GDestroyNotify       job_data_free,
                              GDestroyNotify       result_free,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Shared *shared;
  Job *job;

  g_return_if_fail (EIMZA_IS_CARD_SERVICE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_card_service_run_async);
  g_task_set_name (task, "[eimza] card job");
  g_task_set_task_data (task, job_data, job_data_free);

  shared = self->shared;
  if (shared == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The card service was stopped");
      return;
    }

  job = g_new0 (Job, 1);
  job->task = g_steal_pointer (&task);
  job->func = func;
  job->result_free = result_free;

  g_mutex_lock (&shared->lock);
  g_async_queue_push (shared->jobs, job);
  g_cond_broadcast (&shared->cond);
  g_mutex_unlock (&shared->lock);
}

gpointer
eimza_card_service_run_finish (EimzaCardService  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == eimza_card_service_run_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

EimzaCardServiceState
eimza_card_service_get_state (EimzaCardService *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (self), EIMZA_CARD_SERVICE_STATE_STARTING);

  return self->state;
}

GPtrArray *
eimza_card_service_get_readers (EimzaCardService *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (self), NULL);

  return self->readers;
}

gboolean
eimza_card_service_check_ready (EimzaCardService  *self,
                                GError           **error)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->virtual_card)
    return TRUE;

  switch (self->state)
    {
    case EIMZA_CARD_SERVICE_STATE_STARTING:
    case EIMZA_CARD_SERVICE_STATE_NO_SERVICE:
      return eimza_card_error_from_pcsc (SCARD_E_NO_SERVICE, error);
    case EIMZA_CARD_SERVICE_STATE_NO_READER:
      return eimza_card_error_from_pcsc (SCARD_E_NO_READERS_AVAILABLE, error);
    case EIMZA_CARD_SERVICE_STATE_READY:
    default:
      break;
    }

  for (guint i = 0; i < self->readers->len; i++)
    if (eimza_card_reader_info_has_card (g_ptr_array_index (self->readers, i)))
      return TRUE;

  return eimza_card_error_from_pcsc (SCARD_E_NO_SMARTCARD, error);
}

void
eimza_card_service_set_virtual_card (EimzaCardService *self,
                                     gboolean          virtual_card)
{
  g_return_if_fail (EIMZA_IS_CARD_SERVICE (self));

  self->virtual_card = !!virtual_card;
}

gboolean
eimza_card_service_get_virtual_card (EimzaCardService *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (self), FALSE);

  return self->virtual_card;
}

/* Stops the worker (the waker wakes it) and joins it. A running job is
 * waited for, but not for ever: a module stuck in a call (a pinpad reader
 * nobody types on, a hung driver) must not keep the program from quitting.
 * After STOP_TIMEOUT_USEC both threads are left to end on their own. That
 * is safe because they only use the Shared block, which they hold a
 * reference to, and the worker's own data; the service pointer in Shared
 * is cleared here, and the job's task keeps its own reference to the
 * service. */
static void
eimza_card_service_stop (EimzaCardService *self)
{
  Shared *shared = self->shared;
  gint64 end_time;
  gboolean exited;

  if (shared == NULL)
    return;

  end_time = g_get_monotonic_time () + STOP_TIMEOUT_USEC;

  g_mutex_lock (&shared->lock);
  shared->stop = TRUE;
  g_cond_broadcast (&shared->cond);
  while (!shared->exited)
    if (!g_cond_wait_until (&shared->cond, &shared->lock, end_time))
      break;
  exited = shared->exited;
  shared->waker_stop = TRUE;
  g_cond_broadcast (&shared->cond);
  g_debug ("card service: %u wake-ups, %u of them repeated", shared->n_cancels,
           shared->n_repeated);
  g_mutex_unlock (&shared->lock);

  if (exited)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_thread_join (g_steal_pointer (&self->waker_thread));
    }
  else
    {
      g_warning ("The card service's worker did not stop within %d seconds (a card "
                 "operation is stuck); leaving it behind",
                 (int) (STOP_TIMEOUT_USEC / G_USEC_PER_SEC));
      g_clear_pointer (&self->thread, g_thread_unref);
      g_clear_pointer (&self->waker_thread, g_thread_unref);
    }

  shared->service = NULL;
  g_clear_pointer (&self->shared, shared_unref);
}

static void
eimza_card_service_dispose (GObject *object)
{
  EimzaCardService *self = EIMZA_CARD_SERVICE (object);

  eimza_card_service_stop (self);

  G_OBJECT_CLASS (eimza_card_service_parent_class)->dispose (object);
}

static void
eimza_card_service_finalize (GObject *object)
{
  EimzaCardService *self = EIMZA_CARD_SERVICE (object);

  g_clear_pointer (&self->readers, g_ptr_array_unref);

  G_OBJECT_CLASS (eimza_card_service_parent_class)->finalize (object);
}

static void
eimza_card_service_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EimzaCardService *self = EIMZA_CARD_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_READERS:
      g_value_set_boxed (value, self->readers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_card_service_constructed (GObject *object)
{
  EimzaCardService *self = EIMZA_CARD_SERVICE (object);
  g_autoptr(GMainContext) main_context = g_main_context_ref_thread_default ();

  G_OBJECT_CLASS (eimza_card_service_parent_class)->constructed (object);

  self->shared = shared_new (main_context);
  self->shared->service = self;
  self->thread = g_thread_new ("eimza-card", worker_thread, shared_ref (self->shared));
  self->waker_thread = g_thread_new ("eimza-card-wake", waker_thread, shared_ref (self->shared));
}

static void
eimza_card_service_class_init (EimzaCardServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = eimza_card_service_constructed;
  object_class->dispose = eimza_card_service_dispose;
  object_class->finalize = eimza_card_service_finalize;
  object_class->get_property = eimza_card_service_get_property;

  /**
   * EimzaCardService:state:
   *
   * Whether pcscd and a reader are there; see #EimzaCardServiceState.
   */
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       EIMZA_TYPE_CARD_SERVICE_STATE,
                       EIMZA_CARD_SERVICE_STATE_STARTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EimzaCardService:readers:
   *
   * The readers, element type #EimzaCardReaderInfo; see
   * eimza_card_service_get_readers().
   */
  props[PROP_READERS] =
    g_param_spec_boxed ("readers", NULL, NULL,
                        G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * EimzaCardService::reader-added:
   * @name: the reader name
   */
  signals[SIGNAL_READER_ADDED] =
    g_signal_new ("reader-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * EimzaCardService::reader-removed:
   * @name: the reader name
   *
   * Also emitted for every reader when pcscd stops, after card-removed for
   * a card in it.
   */
  signals[SIGNAL_READER_REMOVED] =
    g_signal_new ("reader-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * EimzaCardService::card-inserted:
   * @reader: the reader name
   * @atr: (nullable): the ATR in hex, %NULL for a card that does not answer
   *
   * Also emitted at start for cards that are already inserted.
   */
  signals[SIGNAL_CARD_INSERTED] =
    g_signal_new ("card-inserted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * EimzaCardService::card-removed:
   * @reader: the reader name
   */
  signals[SIGNAL_CARD_REMOVED] =
    g_signal_new ("card-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
eimza_card_service_init (EimzaCardService *self)
{
  self->state = EIMZA_CARD_SERVICE_STATE_STARTING;
  self->readers = g_ptr_array_new_with_free_func ((GDestroyNotify) eimza_card_reader_info_unref);
}

EimzaCardService *
eimza_card_service_new (void)
{
  return g_object_new (EIMZA_TYPE_CARD_SERVICE, NULL);
}
