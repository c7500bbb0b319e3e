/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card-reader service: one worker thread that owns all card state. */
#include "config.h"

#include "eimza-card-enums.h"
#include "eimza-card-service-private.h"

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

/* How long stopping waits for a running job before it leaves the worker
 * behind (see eimza_card_service_stop()). */
#define STOP_TIMEOUT_USEC (3 * G_USEC_PER_SEC)

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

gboolean
eimza_card_service_apply_update (gpointer user_data)
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
  g_clear_pointer (&self->shared, eimza_card_shared_unref);
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

  self->shared = eimza_card_shared_new (main_context);
  self->shared->service = self;
  self->thread = g_thread_new ("eimza-card", eimza_card_worker_thread, eimza_card_shared_ref (self->shared));
  self->waker_thread = g_thread_new ("eimza-card-wake", eimza_card_waker_thread, eimza_card_shared_ref (self->shared));
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
