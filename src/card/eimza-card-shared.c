/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card service's shared block, its waker thread, and how jobs and updates end. */
#include "config.h"

#include "eimza-card-service-private.h"

/* How long the waker waits for the worker to leave its wait before it
 * sends SCardCancel() again: short at first (a wake-up normally takes well
 * under a millisecond), then backing off. */
#define REWAKE_FIRST_USEC (1 * G_TIME_SPAN_MILLISECOND)
#define REWAKE_MAX_USEC (16 * G_TIME_SPAN_MILLISECOND)

/* Shared block */

Shared *
eimza_card_shared_new (GMainContext *main_context)
{
  Shared *shared = g_new0 (Shared, 1);

  g_atomic_ref_count_init (&shared->ref_count);
  shared->main_context = g_main_context_ref (main_context);
  g_mutex_init (&shared->lock);
  g_cond_init (&shared->cond);
  shared->jobs = g_async_queue_new ();

  return shared;
}

Shared *
eimza_card_shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

void
eimza_card_shared_unref (Shared *shared)
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

gpointer
eimza_card_waker_thread (gpointer data)
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

  eimza_card_shared_unref (shared);
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
void
eimza_card_job_complete (Job      *job,
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

void
eimza_card_job_complete_cancelled (Job *job)
{
  eimza_card_job_complete (job, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "The card service was stopped"));
}

/* Events and updates */

void
eimza_card_event_clear (gpointer data)
{
  Event *event = data;

  g_clear_pointer (&event->reader, g_free);
  g_clear_pointer (&event->atr, g_free);
}

void
eimza_card_update_free (gpointer data)
{
  Update *update = data;

  g_clear_pointer (&update->readers, g_ptr_array_unref);
  g_clear_pointer (&update->events, g_array_unref);
  eimza_card_shared_unref (update->shared);
  g_free (update);
}
