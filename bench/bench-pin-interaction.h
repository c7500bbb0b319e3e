/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmarks' PIN dialog: a GTlsInteraction that gives the token's PIN at once. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BENCH_TYPE_PIN_INTERACTION (bench_pin_interaction_get_type ())

G_DECLARE_FINAL_TYPE (BenchPinInteraction, bench_pin_interaction, BENCH, PIN_INTERACTION,
                      GTlsInteraction)

BenchPinInteraction *bench_pin_interaction_new         (const char          *pin);
guint                bench_pin_interaction_get_n_asks  (BenchPinInteraction *self);

G_END_DECLS
