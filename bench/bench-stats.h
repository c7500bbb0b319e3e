/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmarks' statistics: the median and the range of a run's figures. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double bench_stats_median (gint64 *values,
                           gsize   n);
void   bench_stats_range  (const gint64 *values,
                           gsize         n,
                           gint64       *out_min,
                           gint64       *out_max);

G_END_DECLS
