/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal session tests' fixture: one simulator, a session per case, the flow's steps. */
#pragma once

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "eimza-portal-error.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-request.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"

/* The simulator's "slow" fault waits this long; the client gives up first. */
#define SLOW_SECONDS 6
#define SHORT_TIMEOUT 2
/* The "slow-drip" fault's pause between bytes: each read is quick, the
 * whole answer would take minutes. */
#define DRIP_MS "200"
#define SHORT_DEADLINE 3
/* Generous, as the machine may be busy building; only the timeout test
 * relies on timing. */
#define TEST_TIMEOUT 10

/* One simulator for the whole binary: every test uses its own portal
 * session (cookie jar), and faults are queued per session. */
typedef struct {
  GSubprocess *process;
  char *tls_dir;
  char *url;
  char *ca_file;
} Simulator;

/* Fictitious people of tools/portal-sim/fixtures/mernis.tsv. */
typedef struct {
  const char *tckn;
  const char *given_name;
  const char *surname;
  const char *birth_place;
  const char *birth_date;
  const char *mobile_phone;
  const char *province;
  const char *district;
  const char *postal_code;
  const char *registry_no;
  const char *institution;
} Person;

typedef struct {
  EimzaPortalSession *session;
  EimzaRenewalForm *form;
  GCancellable *cancellable;
  GAsyncResult *result;
  guint n_requests;
  guint n_handshakes;
} Fixture;

/* A fault of the simulator and the error it gives (test_fault()). */
typedef struct {
  const char *fault;
  int code;
} FaultCase;

/* portal-session-fixture.c: the simulator, the people, the fixture and the flow's steps. */
extern Simulator sim;
extern EimzaPortalProfile *profile;
extern const Person isil;
extern const Person mehmet;
extern const Person ayse;
gboolean start_simulator (void);
void stop_simulator (void);
void fixture_set_up (Fixture       *fixture,
                     gconstpointer  user_data);
void fixture_tear_down (Fixture       *fixture,
                        gconstpointer  user_data);
void store_result_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data);
GAsyncResult *wait_for_result (Fixture *fixture);
GBytes *session_open (Fixture  *fixture,
                      GError  **error);
GBytes *session_refresh_captcha (Fixture  *fixture,
                                 GError  **error);
GBytes *session_restart (Fixture  *fixture,
                         GError  **error);
gboolean session_log_in (Fixture  *fixture,
                         GError  **error);
EimzaPortalSmsState *session_submit_form (Fixture  *fixture,
                                          GError  **error);
EimzaPortalSmsState *session_send_sms (Fixture  *fixture,
                                       GError  **error);
gboolean session_verify_sms (Fixture     *fixture,
                             const char  *code,
                             gboolean    *out_eonay_available,
                             GError     **error);
char *session_apply_with_eonay (Fixture  *fixture,
                                GError  **error);
void sim_faults (Fixture    *fixture,
                 const char *faults);
guint sim_submissions (Fixture *fixture);
void assert_png (GBytes *bytes);
void fill_login (Fixture      *fixture,
                 const Person *person);
void fill_application (Fixture      *fixture,
                       const Person *person);
GStrv snapshot (EimzaRenewalForm *form);
void assert_form_kept (EimzaRenewalForm *form,
                       GStrv             before);
void open_and_log_in (Fixture      *fixture,
                      const Person *person);
void reach_sms_page (Fixture      *fixture,
                     const Person *person);
char *send_sms_code (Fixture *fixture);
void assert_sensible_message (const GError *error);

/* test-portal-session-faults.c: faults, retries, cancellation. */
void test_fault (Fixture       *fixture,
                 gconstpointer  user_data);
void test_fault_close_after_post (Fixture       *fixture,
                                  gconstpointer  user_data);
void test_fault_slow (Fixture       *fixture,
                      gconstpointer  user_data);
void test_fault_slow_drip_post (Fixture       *fixture,
                                gconstpointer  user_data);
void test_fault_slow_drip_get (Fixture       *fixture,
                               gconstpointer  user_data);
void test_retry_503 (Fixture       *fixture,
                     gconstpointer  user_data);
void test_retry_after_post (Fixture       *fixture,
                            gconstpointer  user_data);
void test_cancel_in_flight (Fixture       *fixture,
                            gconstpointer  user_data);
void test_cancel_during_backoff (Fixture       *fixture,
                                 gconstpointer  user_data);
void test_busy (Fixture       *fixture,
                gconstpointer  user_data);
void test_out_of_order (Fixture       *fixture,
                        gconstpointer  user_data);

/* test-portal-session-connection.c: TLS and addresses. */
void test_tls_untrusted (void);
void test_tls_ca_for_remote_host (void);
void test_bad_base_url (void);
void test_connection_refused (void);
