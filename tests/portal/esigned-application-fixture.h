/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-signed application tests' fixture: the SoftHSM2 token, a simulator per case, the portal's steps. */
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
#include "eimza-pkcs11-modules.h"
#include "eimza-portal-error.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"
#include "eimza-secret.h"

/*
 * Each case starts a simulator of its own (its options differ: no
 * --nes-client-ca, a short deadline, slow uploads) and walks the
 * application portal as a fixture person up to the signing method. The
 * signatures are made as the app makes them, with the card library
 * (eimza_cades_sign(), detached CAdES-BES) on the SoftHSM2 token of
 * tests/card/softhsm-setup.sh with EIMZA_SOFTHSM_SECOND_PERSON=1: the
 * certificates of 10000000146 (Ayşe Gül Yılmaz, RSA) and of 10000000214
 * (Mehmet Çağrı Öztürk, ECDSA), issued by the test CA the simulator is
 * given with --nes-client-ca. Every signature the simulator accepts is
 * also checked with `openssl cms -verify`.
 */

#define USER_PIN "123456"
#define AYSE_TCKN "10000000146"
#define AYSE_LABEL AYSE_TCKN "NES0"     /* RSA-2048 */
#define MEHMET_TCKN "10000000214"
#define MEHMET_LABEL MEHMET_TCKN "NES0" /* ECDSA P-256 */
/* Generous, as the machine may be busy building. */
#define TEST_TIMEOUT 15
#define DEFAULT_DEADLINE 120

/* ------------------------------------------------------------------------
 * The fixture: a simulator of the case's own, and a portal session.
 * ------------------------------------------------------------------------ */

/* A case's simulator: with the test CA for signatures or not, and extra
 * arguments (NULL-terminated). */
typedef struct {
  gboolean nes_ca;
  const char *args[8];
} SimArgs;

typedef struct {
  GSubprocess *process;
  char *tls_dir;
  char *url;
  char *ca_file;
  EimzaPortalSession *session;
  GAsyncResult *result;
} Fixture;

/* esigned-application-fixture.c: the token, the simulator, the fixture and the steps. */
extern EimzaPortalProfile *profile;
gboolean softhsm_init (void);
void softhsm_cleanup (void);
extern const SimArgs default_args;
extern const SimArgs no_ca_args;
extern const SimArgs short_deadline_args;
extern const SimArgs slow_args;
extern const SimArgs bidi_args;
extern const SimArgs binary_args;
extern const SimArgs slow_late_args;
void fixture_set_up (Fixture       *f,
                     gconstpointer  user_data);
void fixture_tear_down (Fixture       *f,
                        gconstpointer  user_data);
void store_result_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data);
GAsyncResult *wait_for_result (Fixture *f);
char *sim_request (Fixture    *f,
                   const char *method,
                   const char *path,
                   const char *body);
void queue_faults (Fixture    *f,
                   const char *faults);
void reach_method_page (Fixture  *f,
                        gboolean  mehmet);
EimzaPortalSignDocument *begin_esigned (Fixture  *f,
                                        GError  **error);
char *upload (Fixture  *f,
              GBytes   *cms,
              GError  **error);
char *check_application (Fixture  *f,
                         GError  **error);
GBytes *sign (const char *label,
              GBytes     *content);
void assert_openssl_verifies (GBytes *cms,
                              GBytes *content);
void assert_deadline_within (const EimzaPortalSignDocument *document,
                             int                            max_seconds);
void assert_sensible_message (const GError *error);
void assert_application_number (const char *number);
EimzaPortalSignDocument *ayse_document (Fixture *f);

/* test-esigned-application-upload.c: the upload's faults. */
void test_faults (Fixture       *f,
                  gconstpointer  user_data);
void test_fault_page_expired (Fixture       *f,
                              gconstpointer  user_data);
void test_upload_timeout (Fixture       *f,
                          gconstpointer  user_data);
void test_upload_timeout_resolved (Fixture       *f,
                                   gconstpointer  user_data);
void test_upload_reset (Fixture       *f,
                        gconstpointer  user_data);
void test_upload_close_after_post (Fixture       *f,
                                   gconstpointer  user_data);
void test_upload_unknown (Fixture       *f,
                          gconstpointer  user_data);
void test_slow_upload_late (Fixture       *f,
                            gconstpointer  user_data);
void test_upload_without_document (Fixture       *f,
                                   gconstpointer  user_data);
