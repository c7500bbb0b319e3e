/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A TCP relay on 127.0.0.1 that delays each direction, and counts connections and TLS handshakes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BenchRelay BenchRelay;

/* What went through the relay since the last bench_relay_take_counts(). */
typedef struct {
  guint connections;        /* TCP connections accepted */
  guint handshakes_full;    /* ServerHellos that start a full handshake */
  guint handshakes_resumed; /* ServerHellos that resume a session (TLS 1.3 PSK,
                             * or TLS 1.2 with the client's session id echoed) */
  guint resumption_offered; /* ClientHellos with a TLS 1.3 PSK (a ticket) */
} BenchRelayCounts;

/* Listens on 127.0.0.1 (a free port) and forwards every connection to
 * 127.0.0.1:@target_port on its own thread, holding each chunk of data,
 * in both directions, @one_way_delay_us before passing it on (half a round
 * trip; 0: at once). NULL with @error when the port cannot be opened. */
BenchRelay *bench_relay_new          (guint16            target_port,
                                      guint              one_way_delay_us,
                                      GError           **error);
guint16     bench_relay_get_port     (BenchRelay        *relay);
/* Stores the counts in @out and starts them again from zero. */
void        bench_relay_take_counts  (BenchRelay        *relay,
                                      BenchRelayCounts  *out);
/* Stops the thread and closes every connection. */
void        bench_relay_free         (BenchRelay        *relay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchRelay, bench_relay_free)

G_END_DECLS
