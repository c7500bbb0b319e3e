/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A real pcscd with the vpcd virtual readers, and virtual cards, for tests. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* vpcd's two readers (/etc/reader.conf.d/vpcd) and the ports their cards
 * connect to. */
#define PCSC_TESTBED_READER_0 "Virtual PCD 00 00"
#define PCSC_TESTBED_READER_1 "Virtual PCD 00 01"
#define PCSC_TESTBED_PORT_0 35963
#define PCSC_TESTBED_PORT_1 35964

/* The lock every program that starts pcscd for tests takes (flock), since
 * pcscd always listens on /run/pcscd/pcscd.comm: one per machine. Override
 * with $EIMZA_PCSCD_LOCK. */
#define PCSC_TESTBED_DEFAULT_LOCK "/tmp/eimza-pcscd-tests.lock"

typedef struct _PcscTestbed PcscTestbed;
typedef struct _PcscVirtualCard PcscVirtualCard;

/* Takes the lock (waiting for other test programs) and checks that no
 * pcscd it did not start is running. Returns NULL with @error set to
 * G_IO_ERROR_NOT_SUPPORTED when the test cannot run here (no pcscd, no
 * vpcd driver, not root, a foreign pcscd): skip with its message. */
PcscTestbed     *pcsc_testbed_new              (GError          **error);
/* Stops the pcscd it started (SIGTERM, by PID) and drops the lock. */
void             pcsc_testbed_free             (PcscTestbed      *bed);

/* Starts `pcscd --foreground` (with `-c @config_dir` when non-NULL, e.g. an
 * empty directory for "no reader") and waits until clients can connect and
 * it lists @n_readers readers. $EIMZA_TEST_PCSCD_DEBUG=1 shows its log. */
gboolean         pcsc_testbed_start_pcscd      (PcscTestbed      *bed,
                                                const char       *config_dir,
                                                guint             n_readers,
                                                GError          **error);
/* Sends @signum (SIGTERM for a clean stop, SIGKILL for a crash) to the
 * pcscd this testbed started, and waits for it to exit. */
void             pcsc_testbed_stop_pcscd       (PcscTestbed      *bed,
                                                int               signum);
gboolean         pcsc_testbed_is_running       (PcscTestbed      *bed);

/* A card with any ATR, in this process: a thread speaking the vpcd protocol
 * (2-byte big-endian length + payload; 1-byte control messages 0 off, 1 on,
 * 2 reset, 4 "send ATR"; anything else is an APDU, answered 6D00). The card
 * is "inserted" when it connects to vpcd on @port. */
PcscVirtualCard *pcsc_virtual_card_insert      (guint16           port,
                                                const char       *atr_hex,
                                                GError          **error);
/* Monotonic time (µs) at which the connection to vpcd was made. */
gint64           pcsc_virtual_card_get_insert_time (PcscVirtualCard *card);
/* Disconnects ("removes") the card and frees it. */
void             pcsc_virtual_card_remove      (PcscVirtualCard  *card);

/* The real `vicc -t iso7816` of vsmartcard-vpicc, with the PYTHONPATH shim
 * it needs on Debian 12; NULL with G_IO_ERROR_NOT_SUPPORTED when missing.
 * Kill it with pcsc_testbed_stop_vicc() to remove the card. */
GSubprocess     *pcsc_testbed_start_vicc       (PcscTestbed      *bed,
                                                guint16           port,
                                                GError          **error);
void             pcsc_testbed_stop_vicc        (GSubprocess      *vicc);

G_END_DECLS
