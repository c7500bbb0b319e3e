/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmarks' PIN dialog: a GTlsInteraction that gives the token's PIN at once. */

#include "eimza-secret.h"

#include "bench-pin-interaction.h"

/* The PIN, as the person would type it in the PIN dialog: at once, and a
 * refusal (never UNHANDLED) when the card says it was wrong. */
struct _BenchPinInteraction
{
  GTlsInteraction parent_instance;

  EimzaSecret *pin;
  guint n_asks;
};

G_DEFINE_FINAL_TYPE (BenchPinInteraction, bench_pin_interaction, G_TYPE_TLS_INTERACTION)

static GTlsInteractionResult
bench_pin_interaction_ask_password (GTlsInteraction  *interaction,
                                    GTlsPassword     *password,
                                    GCancellable     *cancellable,
                                    GError          **error)
{
  BenchPinInteraction *self = BENCH_PIN_INTERACTION (interaction);
  const char *value;
  gsize length = 0;

  self->n_asks++;

  if (g_tls_password_get_flags (password) & G_TLS_PASSWORD_RETRY)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "The token refused the benchmark's PIN");
      return G_TLS_INTERACTION_FAILED;
    }

  value = eimza_secret_get (self->pin, &length);
  g_tls_password_set_value (password, (const guchar *) value, (gssize) length);
  return G_TLS_INTERACTION_HANDLED;
}

static void
bench_pin_interaction_finalize (GObject *object)
{
  g_clear_pointer (&BENCH_PIN_INTERACTION (object)->pin, eimza_secret_unref);

  G_OBJECT_CLASS (bench_pin_interaction_parent_class)->finalize (object);
}

static void
bench_pin_interaction_class_init (BenchPinInteractionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bench_pin_interaction_finalize;
  G_TLS_INTERACTION_CLASS (klass)->ask_password = bench_pin_interaction_ask_password;
}

static void
bench_pin_interaction_init (BenchPinInteraction *self)
{
}

/* @pin is kept in a wiped EimzaSecret. */
BenchPinInteraction *
bench_pin_interaction_new (const char *pin)
{
  BenchPinInteraction *self = g_object_new (BENCH_TYPE_PIN_INTERACTION, NULL);

  self->pin = eimza_secret_new (pin, -1);
  return self;
}

/* How many times the PIN was asked for. */
guint
bench_pin_interaction_get_n_asks (BenchPinInteraction *self)
{
  g_return_val_if_fail (BENCH_IS_PIN_INTERACTION (self), 0);

  return self->n_asks;
}
