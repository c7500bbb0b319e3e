/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Set-up shared by the tests that run the card service on the PIN policy module. */
#pragma once

#include <gio/gio.h>

#include "eimza-pkcs11.h"
#include "softhsm-fixture.h"

G_BEGIN_DECLS

/* The test token as the PIN policy module shows it. */
#define CARD_TEST_TOKEN_URI "pkcs11:model=" PIN_POLICY_MODEL ";token=EIMZA%20TEST"

/* One case of a test binary: @func, or @data_func called with @data. */
typedef struct {
  const char *path;
  GTestFunc func;
  GTestDataFunc data_func;
  gconstpointer data;
} CardTestCase;

/* The main() of a test binary: sets up the SoftHSM2 fixture and runs
 * each of @cases in a subprocess of its own on the pristine token
 * (GnuTLS's module list and the PIN policy state are per process). Without
 * the tools, only @skip_path runs, and skips. */
int            card_test_main            (int                  argc,
                                          char               **argv,
                                          const char          *skip_path,
                                          const CardTestCase  *cases,
                                          gsize                n_cases);

/* A GAsyncReadyCallback that stores a reference to the result in the
 * GAsyncResult * that @user_data points to. */
void           card_test_store_result_cb (GObject             *source,
                                          GAsyncResult        *result,
                                          gpointer             user_data);
/* Iterates the main context until @slot is set; returns the result, still
 * owned by @slot. */
GAsyncResult  *card_test_wait_for_result (GAsyncResult       **slot);

/* A card service on the PIN policy module, and the certificate labelled
 * @label on its token (which must have a key). */
void           card_test_open            (const char          *label,
                                          EimzaCardService   **service,
                                          EimzaCertificate   **certificate);
/* Lets completions already queued run. */
void           card_test_drain           (void);
/* Drains the main context, drops @certificate, and drops @client and
 * @service together, asserting both are finalized: nothing may keep the
 * service (and its worker thread) alive behind the client's back.
 * @client points to a GObject pointer. */
void           card_test_close           (gpointer             client,
                                          EimzaCardService   **service,
                                          EimzaCertificate   **certificate);

G_END_DECLS
