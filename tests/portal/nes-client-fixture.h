/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NES client tests' fixture: a SoftHSM2 token, a simulator per case, the PIN interaction and the flow's steps. */
#pragma once

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "eimza-cades.h"
#include "eimza-certificate.h"
#include "eimza-nes-web-page.h"
#include "eimza-nes-client.h"
#include "eimza-jnlp.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-portal-error.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"
#include "eimza-secret.h"
#include "eimza-tls-card-login.h"

/*
 * Every case runs in a subprocess of its own (GnuTLS's PKCS#11 state is
 * per process, and glib-networking keeps the card logged in) on a freshly
 * restored token, with a simulator of its own, so that the e-onay state of
 * one case never leaks into another. The token comes from
 * tests/card/softhsm-setup.sh with EIMZA_SOFTHSM_SECOND_PERSON=1: the
 * certificates of 10000000146 (Ayşe Gül Yılmaz in the simulator's
 * fixtures, e-onay active) and of 10000000214 (Mehmet Çağrı Öztürk, no
 * e-onay), issued by the test CA that the simulator trusts for the NES
 * site. Every signature the simulator accepts is also checked with
 * `openssl cms -verify`.
 */

#define USER_PIN "123456"
#define WRONG_PIN "654321"
#define AYSE_TCKN "10000000146"
#define AYSE_LABEL AYSE_TCKN "NES0"   /* RSA-2048 */
#define MEHMET_TCKN "10000000214"
#define MEHMET_LABEL MEHMET_TCKN "NES0" /* ECDSA P-256 */
/* Generous, as the machine may be busy building. */
#define TEST_TIMEOUT 15

/* ------------------------------------------------------------------------
 * An interaction that answers the PIN request as a test wants: the PIN
 * once, and a refusal (never UNHANDLED) when the card says it was wrong.
 * ------------------------------------------------------------------------ */

#define TEST_TYPE_PIN_INTERACTION (test_pin_interaction_get_type ())

G_DECLARE_FINAL_TYPE (TestPinInteraction, test_pin_interaction, TEST, PIN_INTERACTION,
                      GTlsInteraction)

struct _TestPinInteraction
{
  GTlsInteraction parent_instance;

  char *pin;
  gboolean cancel;
  guint n_asks;
  guint n_retries;
  /* What the session told about the card's logins (EimzaTlsCardLogin). */
  guint n_prepares;
  guint n_logins_succeeded;
  guint n_logins_failed;
};

/* ------------------------------------------------------------------------
 * The fixture: token, simulator, profile, card library.
 * ------------------------------------------------------------------------ */

typedef struct {
  GSubprocess *process;
  char *tls_dir;
  char *portal_url;
  char *ca_file;
  char *nes_url;
  EimzaPortalProfile *profile;
  EimzaPkcs11 *pkcs11;
  TestPinInteraction *interaction;
  EimzaNesClient *session;
  GAsyncResult *result;
  /* TLS handshakes begun with the NES site (counted on any thread, the
   * connection made ahead's included): a handshake is a PIN request. */
  int nes_port;
  guint n_nes_handshakes;
  gulong handshake_hook;
} Fixture;

/* Extra simulator arguments of a case, NULL-terminated. */
typedef struct {
  const char *args[8];
} SimArgs;

/* What portal_wait() waits for: the application portal's answer. */
typedef struct {
  GAsyncResult *result;
} PortalWait;

/* nes-client-fixture.c: the token, the simulator, the fixture and the steps of the flow. */
extern const SimArgs default_args;
extern const SimArgs short_deadline_args;
extern const SimArgs slow_upload_args;
extern const SimArgs slow_upload_lost_args;
extern const SimArgs signer_mismatch_args;
char *fixture_path (const char *name);
gboolean softhsm_init (void);
void softhsm_cleanup (void);
void start_simulator (Fixture       *f,
                      const SimArgs *extra);
void stop_simulator (Fixture *f);
gboolean run_isolated (void);
void fixture_set_up (Fixture       *f,
                     gconstpointer  user_data);
void fixture_tear_down (Fixture       *f,
                        gconstpointer  user_data);
EimzaNesClient *new_session (Fixture    *f,
                             const char *label);
char *log_in (Fixture         *f,
              EimzaNesClient  *session,
              const char      *tckn,
              GError         **error);
EimzaEonaySignData *fetch (Fixture         *f,
                           EimzaNesClient  *session,
                           const char      *code,
                           GError         **error);
gboolean upload (Fixture         *f,
                 EimzaNesClient  *session,
                 const char      *code,
                 GBytes          *cms,
                 GError         **error);
EimzaEonayStatus *open_eonay (Fixture         *f,
                              EimzaNesClient  *session,
                              GError         **error);
char *consent (Fixture         *f,
               EimzaNesClient  *session,
               GError         **error);
gboolean is_active (Fixture        *f,
                    EimzaNesClient *session);
gboolean cancel_eonay (Fixture         *f,
                       EimzaNesClient  *session,
                       GError         **error);
GBytes *sign (Fixture    *f,
              const char *label,
              GBytes     *content);
void assert_openssl_verifies (GBytes *cms,
                              GBytes *content);
void assert_deadline_within (const EimzaEonaySignData *data,
                             int                       max_seconds);
GBytes *sign_step (Fixture           *f,
                   EimzaNesClient    *session,
                   const char        *code,
                   const char        *label,
                   EimzaEonayPurpose  purpose);
EimzaNesClient *logged_in_session (Fixture    *f,
                                   const char *label,
                                   const char *tckn);
void assert_sensible_message (const GError *error);
void portal_result_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data);
GAsyncResult *portal_wait (PortalWait *wait);
gboolean portal_eonay_offered (Fixture             *f,
                               gboolean             mehmet,
                               gboolean             apply,
                               EimzaPortalSession **keep);

/* test-nes-client-failures.c: certificates, the PIN, uploads. */
void test_no_certificate (Fixture       *f,
                          gconstpointer  user_data);
void test_untrusted_certificate (Fixture       *f,
                                 gconstpointer  user_data);
void test_wrong_pin (Fixture       *f,
                     gconstpointer  user_data);
void test_pin_cancelled (Fixture       *f,
                         gconstpointer  user_data);
void test_slow_upload (Fixture       *f,
                       gconstpointer  user_data);
void test_upload_lost_answer (Fixture       *f,
                              gconstpointer  user_data);
void test_fault_signer_mismatch (Fixture       *f,
                                 gconstpointer  user_data);

/* test-nes-client-profile.c: the profiles, the web pages, the arguments. */
void test_profile_builtin (void);
void test_profile_errors (void);
void test_page_samples (void);
void test_session_arguments (void);
