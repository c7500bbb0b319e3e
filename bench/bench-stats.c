/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmarks' statistics: the median and the range of a run's figures. */

#include <stdlib.h>

#include "bench-stats.h"

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The median of @n values, which are sorted in place; the mean of the two
 * middle ones when @n is even, and -1 when there are none. */
double
bench_stats_median (gint64 *values,
                    gsize   n)
{
  if (n == 0)
    return -1;

  qsort (values, n, sizeof (gint64), compare_gint64);
  if (n % 2 == 1)
    return values[n / 2];
  return (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

/* The smallest and the largest of @n values; @n must not be 0. */
void
bench_stats_range (const gint64 *values,
                   gsize         n,
                   gint64       *out_min,
                   gint64       *out_max)
{
  g_return_if_fail (n > 0);

  *out_min = G_MAXINT64;
  *out_max = G_MININT64;
  for (gsize i = 0; i < n; i++)
    {
      *out_min = MIN (*out_min, values[i]);
      *out_max = MAX (*out_max, values[i]);
    }
}
