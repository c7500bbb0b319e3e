/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SoftHSM2 test token and the openssl checks shared by the PKCS#11 tests. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The token made by softhsm-setup.sh. */
#define SOFTHSM_TOKEN_LABEL "EIMZA TEST"
#define SOFTHSM_TOKEN_URI "pkcs11:token=EIMZA%20TEST"
#define SOFTHSM_USER_PIN "123456"
#define SOFTHSM_WRONG_PIN "654321"
/* The token's SO PIN: what the tests use as the card's unblock code (PUK). */
#define SOFTHSM_SO_PIN "12345678"
#define SOFTHSM_WRONG_SO_PIN "87654321"
#define SOFTHSM_TCKN "10000000146"
#define SOFTHSM_SUBJECT_CN "AHMET YILMAZ"
#define SOFTHSM_ISSUER_CN "EIMZA Test CA"
/* The model the PIN policy module reports for the same token. */
#define PIN_POLICY_MODEL "EIMZA-PINPOLICY"

/* Sets up the fixture once per test process tree: the first process runs
 * softhsm-setup.sh in a new temporary directory and exports its location,
 * SOFTHSM2_CONF and EIMZA_PIN_POLICY_STATE; subprocesses
 * (g_test_trap_subprocess) find it in the environment. Call from main()
 * after g_test_init(). Skips (returns FALSE) if the tools are missing. */
gboolean     softhsm_fixture_init             (void);
/* Removes the temporary directory if this process made it. */
void         softhsm_fixture_cleanup          (void);

/* Puts back the pristine token and forgets the PIN policy state. */
void         softhsm_fixture_restore          (void);

const char  *softhsm_fixture_dir              (void);
/* A file of the fixture directory, e.g. "testca.pem" or "cert-01.pem". */
char        *softhsm_fixture_path             (const char   *name);
GBytes      *softhsm_fixture_read             (const char   *name);

/* The PIN policy module built next to the tests. */
const char  *softhsm_fixture_pin_policy_module (void);

/* What the PIN policy module's state file says. */
guint        softhsm_fixture_pin_failures     (void);
guint        softhsm_fixture_login_calls      (void);
/* The C_SetPIN calls that checked a current PIN (each spends a try when
 * it is wrong). */
guint        softhsm_fixture_set_pin_calls    (void);
/* Writes the state file, e.g. to start a test with two wrong PINs. */
void         softhsm_fixture_set_pin_failures (guint         failures);

/* The unblock code's side (the token's SO PIN): wrong codes in a row,
 * SO logins that reached the token, C_InitPIN calls. */
guint        softhsm_fixture_so_failures      (void);
guint        softhsm_fixture_so_login_calls   (void);
guint        softhsm_fixture_init_pin_calls   (void);
/* With EIMZA_PIN_POLICY_SO_GUARD: lets exactly one more SO login
 * through (the test's person has just given a code), and the SO logins
 * refused because nobody gave one. */
void         softhsm_fixture_allow_so_login   (void);
guint        softhsm_fixture_so_logins_unasked (void);
/* Sets the wrong unblock codes in a row, keeping the rest of the state. */
void         softhsm_fixture_set_so_failures  (guint         failures);

/* Verifies a CMS signature of @content with `openssl cms -verify` against
 * the test CA (giving openssl @content when the signature is @detached),
 * checks that openssl recovers exactly @content, and that
 * `openssl cms -cmsout -print` shows the CAdES-BES signed attributes
 * (content-type, message-digest, signing-time, signing-certificate-v2).
 * Fails the test otherwise. */
void         softhsm_fixture_assert_openssl_verifies (GBytes      *cms,
                                                      GBytes      *content,
                                                      gboolean     detached);

G_END_DECLS
