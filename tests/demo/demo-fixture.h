/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo tests' helpers: a TMPDIR of their own, the simulator's and the token's checks, a bounded start. */
#pragma once

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gnutls/gnutls.h>

#include "eimza-demo.h"

/*
 * Every demo directory lands in a TMPDIR of the test's own, so that each
 * case can check that nothing is left behind. EIMZA_PORTAL_SIM and
 * EIMZA_DEMO_CARD (the script in the source tree) come from meson; cases
 * that need the simulator or SoftHSM2 skip without them.
 */

#define DEMO_PIN "123456"
#define TOKEN_URI "pkcs11:token=E-IMZA%20DEMO"
#define SIM_COMM "eimza-portal-si" /* /proc/PID/comm keeps 15 characters */
#define START_BUDGET_SECONDS 20

/* demo-fixture.c: the test's TMPDIR, what the demo started, a start within its budget. */
extern char *tmp_dir;
gboolean have_simulator (void);
gboolean have_softhsm (void);
guint count_entries (const char *path);
guint count_simulators (pid_t parent);
char *demo_dir (EimzaDemo *demo);
int url_port (const char *url);
char *https_get_path (int               port,
                      const char       *ca_file,
                      GTlsCertificate  *certificate,
                      const char       *path,
                      GError          **error);
char *https_get (int          port,
                 const char  *ca_file,
                 GError     **error);
void assert_portal_answers (EimzaDemo *demo);
void assert_fixture_person (EimzaDemo *demo);
void assert_token (EimzaDemo *demo);
void stop_and_check (EimzaDemo *demo);
EimzaDemo *start_in_budget (void);

/* test-demo-failures.c: missing or failing parts, and stopping. */
void test_missing_tools_script (void);
void test_missing_tools_path (void);
void test_card_hangs (void);
void test_card_fails (void);
void test_no_simulator (void);
void test_bad_simulator (void);
void test_silent_simulator (void);
void test_parent_dies (void);
void test_sigterm_while_starting (void);
void test_sigkill_leaves_stale_dir (void);
