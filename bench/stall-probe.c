/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmarks' main-loop stall probe: how long the default main context went without polling, and in which step. */
#include "config.h"

#include "stall-probe.h"

#define TICK_MS 1

struct _BenchStallProbe
{
  GMainContext *context;
  GPollFunc real_poll;
  GSource *tick;
  gboolean measuring;

  const char *label;

  /* The work since the last poll returned. */
  gint64 span_start;
  const char *span_first_label;

  gint64 longest;
  char *longest_label;
  guint n_over;

  gint64 last_tick;
  gint64 longest_tick_gap;
  const char *longest_tick_label;
};

/* A GPollFunc has no user data; one probe at a time. */
static BenchStallProbe *the_probe;

static void
end_span (BenchStallProbe *probe,
          gint64           now)
{
  gint64 span;

  if (!probe->measuring || probe->span_start == 0)
    return;

  span = now - probe->span_start;
  probe->span_start = 0;
  if (span > BENCH_STALL_THRESHOLD_US)
    probe->n_over++;
  if (span <= probe->longest)
    return;

  probe->longest = span;
  g_free (probe->longest_label);
  if (g_strcmp0 (probe->span_first_label, probe->label) == 0)
    probe->longest_label = g_strdup (probe->label);
  else
    probe->longest_label = g_strdup_printf ("%s → %s", probe->span_first_label, probe->label);
}

static void
begin_span (BenchStallProbe *probe,
            gint64           now)
{
  probe->span_start = now;
  probe->span_first_label = probe->label;
}

static int
probe_poll (GPollFD *fds,
            guint    n_fds,
            int      timeout)
{
  BenchStallProbe *probe = the_probe;
  int result;

  end_span (probe, g_get_monotonic_time ());
  result = probe->real_poll (fds, n_fds, timeout);
  if (probe->measuring)
    begin_span (probe, g_get_monotonic_time ());

  return result;
}

static gboolean
tick_cb (gpointer user_data)
{
  BenchStallProbe *probe = user_data;
  gint64 now = g_get_monotonic_time ();

  if (probe->measuring && now - probe->last_tick > probe->longest_tick_gap)
    {
      probe->longest_tick_gap = now - probe->last_tick;
      probe->longest_tick_label = probe->label;
    }
  probe->last_tick = now;

  return G_SOURCE_CONTINUE;
}

BenchStallProbe *
bench_stall_probe_new (void)
{
  BenchStallProbe *probe;

  g_return_val_if_fail (the_probe == NULL, NULL);

  probe = g_new0 (BenchStallProbe, 1);
  probe->context = g_main_context_ref_thread_default ();
  probe->label = "";
  probe->real_poll = g_main_context_get_poll_func (probe->context);
  g_main_context_set_poll_func (probe->context, probe_poll);

  probe->tick = g_timeout_source_new (TICK_MS);
  g_source_set_priority (probe->tick, G_PRIORITY_HIGH);
  g_source_set_callback (probe->tick, tick_cb, probe, NULL);
  g_source_attach (probe->tick, probe->context);

  the_probe = probe;
  return probe;
}

void
bench_stall_probe_free (BenchStallProbe *probe)
{
  g_source_destroy (probe->tick);
  g_source_unref (probe->tick);
  g_main_context_set_poll_func (probe->context, probe->real_poll);
  g_main_context_unref (probe->context);
  g_free (probe->longest_label);
  the_probe = NULL;
  g_free (probe);
}

void
bench_stall_probe_start (BenchStallProbe *probe,
                         const char      *label)
{
  gint64 now = g_get_monotonic_time ();

  probe->label = label;
  probe->longest = 0;
  g_clear_pointer (&probe->longest_label, g_free);
  probe->n_over = 0;
  probe->longest_tick_gap = 0;
  probe->longest_tick_label = label;
  probe->last_tick = now;
  probe->measuring = TRUE;
  /* The caller's own code up to the next poll counts. */
  begin_span (probe, now);
}

void
bench_stall_probe_stop (BenchStallProbe *probe)
{
  gint64 now = g_get_monotonic_time ();

  /* The gap and the work up to now count too. */
  tick_cb (probe);
  end_span (probe, now);
  probe->measuring = FALSE;
}

void
bench_stall_probe_set_label (BenchStallProbe *probe,
                             const char      *label)
{
  /* A tick gap up to here belongs to what ran before. */
  tick_cb (probe);
  probe->label = label;
}

gint64
bench_stall_probe_longest (BenchStallProbe  *probe,
                           const char      **out_label)
{
  if (out_label != NULL)
    *out_label = probe->longest_label != NULL ? probe->longest_label : "";
  return probe->longest;
}

guint
bench_stall_probe_n_over (BenchStallProbe *probe)
{
  return probe->n_over;
}

gint64
bench_stall_probe_longest_tick_gap (BenchStallProbe  *probe,
                                    const char      **out_label)
{
  if (out_label != NULL)
    *out_label = probe->longest_tick_label != NULL ? probe->longest_tick_label : "";
  return probe->longest_tick_gap;
}

static gboolean
idle_done_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

gint64
bench_stall_probe_idle (BenchStallProbe *probe,
                        guint            duration_ms,
                        gint64          *out_tick_gap)
{
  gboolean done = FALSE;
  GSource *timeout = g_timeout_source_new (duration_ms);

  g_source_set_callback (timeout, idle_done_cb, &done, NULL);
  g_source_attach (timeout, probe->context);
  g_source_unref (timeout);

  bench_stall_probe_start (probe, "idle");
  while (!done)
    g_main_context_iteration (probe->context, TRUE);
  bench_stall_probe_stop (probe);

  if (out_tick_gap != NULL)
    *out_tick_gap = probe->longest_tick_gap;
  return probe->longest;
}
