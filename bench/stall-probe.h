/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmarks' main-loop stall probe: how long the default main context went without polling, and in which step. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A stall over this is one that the goal of issue #12 counts. */
#define BENCH_STALL_THRESHOLD_US 4000

typedef struct _BenchStallProbe BenchStallProbe;

/* Watches the thread-default main context of the calling thread (the
 * default one if none is pushed) in two ways: the time between a poll's
 * return and the next poll (the work done on the thread in between, the
 * "stall"), and the gap between two runs of a 1 ms high-priority timeout
 * (what bench/eonay printed before; it adds the scheduler's wake-up
 * latency). Nothing is counted until bench_stall_probe_start(). */
BenchStallProbe *bench_stall_probe_new       (void);
void             bench_stall_probe_free      (BenchStallProbe  *probe);

/* Forgets what was measured and starts measuring, under @label. */
void             bench_stall_probe_start     (BenchStallProbe  *probe,
                                              const char       *label);
void             bench_stall_probe_stop      (BenchStallProbe  *probe);

/* What the thread is doing from now on (a step, a callback): a static
 * string. A stall that spans two labels is named after both. */
void             bench_stall_probe_set_label (BenchStallProbe  *probe,
                                              const char       *label);

/* The longest stall since start and its label (owned by the probe). */
gint64           bench_stall_probe_longest   (BenchStallProbe  *probe,
                                              const char      **out_label);
/* How many stalls were over BENCH_STALL_THRESHOLD_US. */
guint            bench_stall_probe_n_over    (BenchStallProbe  *probe);
/* The longest gap between two ticks of the 1 ms timeout, and its label. */
gint64           bench_stall_probe_longest_tick_gap (BenchStallProbe  *probe,
                                                     const char      **out_label);

/* Runs the main loop with nothing to do for @duration_ms, for the probe's
 * own noise: returns the longest stall, and the longest tick gap in
 * @out_tick_gap. */
gint64           bench_stall_probe_idle      (BenchStallProbe  *probe,
                                              guint             duration_ms,
                                              gint64           *out_tick_gap);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchStallProbe, bench_stall_probe_free)

G_END_DECLS
