/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the one card-signing operation and its PIN rules (no display needed). */
#include "config.h"

#include "eimza-pkcs11.h"
#include "card-signing-fixture.h"

/*
 * The operation runs through the card service against the PIN policy
 * module (SoftHSM2 that locks after three wrong PINs and counts every
 * C_Login), with a scripted person as its asker.
 */

static const char content_text[] = "Başvurumu onaylıyorum / test content\n";

/* --- Helpers ---------------------------------------------------------------------- */

/* A PIN-only operation for the fixture's key with @flags (and @replay, if
 * any); returns its answer, and the operation in @out_signing. */
static GBytes *
run_pin (CardSigningFixture     *f,
         EimzaCardSigningFlags   flags,
         EimzaSecret            *replay,
         EimzaCardSigning      **out_signing,
         GError                **error)
{
  *out_signing = eimza_card_signing_new_pin (f->service, EIMZA_PIN_ASKER (f->asker),
                                             eimza_certificate_get_key_uri (f->certificate));
  if (replay != NULL)
    eimza_card_signing_set_replay_pin (*out_signing, replay);
  eimza_card_signing_set_flags (*out_signing, flags);
  return card_signing_run (f, *out_signing, error);
}

/* The run ended with @domain/@code and no signature; the person was asked
 * @n_asks times in all and C_Login was called @n_logins times. */
static void
assert_refused (CardSigningFixture *f,
                GBytes             *cms,
                GError             *error,
                GQuark              domain,
                int                 code,
                guint               n_asks,
                guint               n_logins)
{
  g_assert_null (cms);
  g_assert_error (error, domain, code);
  g_assert_cmpuint (f->asker->n_asks, ==, n_asks);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, n_logins);
}

/* --- Cases ---------------------------------------------------------------------- */

static void
test_signs (void)
{
  static const ScriptedAnswer answers[] = { { SOFTHSM_USER_PIN, NULL, FALSE } };
  CardSigningFixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, &signing, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);

  /* Read, asked, signed: the state is read before the ask, and no PIN
   * reached the card before the person answered. */
  g_assert_cmpstr (f.phases->str, ==, "RASN");
  g_assert_cmpuint (f.asker->n_asks, ==, 1);
  g_assert_cmpint (scripted_asker_asked_flags (f.asker, 0), ==, EIMZA_PIN_ASK_DEFAULT);
  g_assert_cmpuint (f.asker->logins_when_asked, ==, 0);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 1);
  g_assert_nonnull (eimza_card_signing_get_token (signing));

  g_clear_object (&signing);
  card_signing_fixture_clear (&f);
}

static void
test_locked (void)
{
  CardSigningFixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  /* No answers: an ask would fail the test. */
  card_signing_fixture_init (&f, content_text, NULL, 0);

  softhsm_fixture_set_pin_failures (3);
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, &signing, &error);
  assert_refused (&f, cms, error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED, 0, 0);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 0);
  g_assert_cmpstr (f.phases->str, ==, "RN");
  g_assert_true (eimza_pkcs11_token_get_flags (eimza_card_signing_get_token (signing)) &
                 EIMZA_PKCS11_TOKEN_PIN_LOCKED);

  g_clear_object (&signing);
  card_signing_fixture_clear (&f);
}

static void
test_final_try (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_USER_PIN, NULL, FALSE },
    { SOFTHSM_USER_PIN, NULL, TRUE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* The asker is told; without the confirmation nothing is sent. */
  softhsm_fixture_set_pin_failures (2);
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  assert_refused (&f, cms, error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED,
                  1, 0);
  g_assert_true (scripted_asker_asked_flags (f.asker, 0) & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_true (scripted_asker_asked_flags (f.asker, 0) & EIMZA_PIN_ASK_COUNT_LOW);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 2);
  g_assert_cmpstr (f.phases->str, ==, "RAN");
  g_clear_error (&error);

  /* With it, the PIN goes, once. */
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);
  g_assert_cmpuint (f.asker->n_asks, ==, 2);
  g_assert_true (scripted_asker_asked_flags (f.asker, 1) & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  card_signing_fixture_clear (&f);
}

static void
test_wrong_pin_ends (void)
{
  static const ScriptedAnswer answers[] = { { SOFTHSM_WRONG_PIN, NULL, FALSE } };
  CardSigningFixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* Without ASK_AGAIN a wrong PIN ends the operation: never retried. */
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, &signing, &error);
  assert_refused (&f, cms, error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT, 1, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);
  g_assert_cmpuint (eimza_card_signing_get_n_wrong (signing), ==, 1);
  g_assert_null (eimza_card_signing_get_pin (signing));

  g_clear_object (&signing);
  card_signing_fixture_clear (&f);
}

static void
test_wrong_pin_asks_again (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_WRONG_PIN, NULL, FALSE },
    { SOFTHSM_USER_PIN, NULL, FALSE },
    { SOFTHSM_WRONG_PIN, NULL, FALSE },
    { NULL, NULL, FALSE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* A wrong PIN: the card's state is read again and the person asked
   * again, told it is a retry; exactly one C_Login per answer. */
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, &signing, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);
  g_assert_cmpuint (f.asker->n_asks, ==, 2);
  g_assert_false (scripted_asker_asked_flags (f.asker, 0) & EIMZA_PIN_ASK_RETRY);
  g_assert_true (scripted_asker_asked_flags (f.asker, 1) & EIMZA_PIN_ASK_RETRY);
  g_assert_true (scripted_asker_asked_flags (f.asker, 1) & EIMZA_PIN_ASK_COUNT_LOW);
  g_assert_cmpuint (f.asker->logins_when_asked, ==, 1);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 2);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 2);
  g_assert_cmpuint (eimza_card_signing_get_n_wrong (signing), ==, 1);
  g_assert_cmpstr (f.phases->str, ==, "RASRASN");
  g_clear_object (&signing);
  g_clear_pointer (&cms, g_bytes_unref);

  /* Giving up after a wrong PIN is a PIN failure; nothing more is sent. */
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, &signing, &error);
  assert_refused (&f, cms, error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT, 4, 3);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);

  g_clear_object (&signing);
  card_signing_fixture_clear (&f);
}

static void
test_gave_up (void)
{
  static const ScriptedAnswer answers[] = { { NULL, NULL, FALSE } };
  CardSigningFixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, NULL, &error);
  g_assert_null (cms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);

  card_signing_fixture_clear (&f);
}

static void
test_pinpad (void)
{
  static const ScriptedAnswer answers[] = {
    { "", NULL, FALSE },
    { "", NULL, FALSE },
    { "", NULL, TRUE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("EIMZA_PIN_POLICY_PINPAD", SOFTHSM_USER_PIN, TRUE);
  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* The asker is told to have the PIN typed on the keypad; no PIN comes
   * from it, and the reader's login is the one C_Login. */
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);
  g_assert_true (scripted_asker_asked_flags (f.asker, 0) & EIMZA_PIN_ASK_PINPAD);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_clear_pointer (&cms, g_bytes_unref);

  /* The last try on a keypad too: only with the confirmation. */
  softhsm_fixture_set_pin_failures (2);
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_assert_cmpint (scripted_asker_asked_flags (f.asker, 1), ==,
                   EIMZA_PIN_ASK_PINPAD | EIMZA_PIN_ASK_FINAL_TRY | EIMZA_PIN_ASK_COUNT_LOW);
  /* (Setting the failures started the count again.) */
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  g_clear_error (&error);

  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  card_signing_fixture_clear (&f);
}

static gboolean
cancel_when_asked_cb (gpointer user_data)
{
  CardSigningFixture *f = user_data;

  if (f->asker->n_asks == 0)
    return G_SOURCE_CONTINUE;

  g_cancellable_cancel (f->cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_while_asking (void)
{
  CardSigningFixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, NULL, 0);

  /* The dialog is open when the page goes away: the ask ends and nothing
   * reaches the card. */
  f.asker->hold = TRUE;
  g_timeout_add (10, cancel_when_asked_cb, &f);
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, NULL, &error);
  assert_refused (&f, cms, error, G_IO_ERROR, G_IO_ERROR_CANCELLED, 1, 0);

  card_signing_fixture_clear (&f);
}

static void
test_cancel_before_signing (void)
{
  static const ScriptedAnswer answers[] = { { SOFTHSM_USER_PIN, NULL, FALSE } };
  CardSigningFixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* A last look when the answer is in (the deadline passed, the card
   * went): cancelled then, the PIN never reaches the card. */
  f.cancel_at = EIMZA_CARD_SIGNING_PHASE_SIGNING;
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, &signing, &error);
  g_assert_null (cms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 0);
  g_assert_null (eimza_card_signing_get_pin (signing));

  g_clear_object (&signing);
  card_signing_fixture_clear (&f);
}

static void
test_pin_only (void)
{
  static const ScriptedAnswer answers[] = { { SOFTHSM_USER_PIN, NULL, FALSE } };
  static const EimzaCardSigningFlags no_ask_flags[] = {
    EIMZA_CARD_SIGNING_CHECK_ONLY,
    EIMZA_CARD_SIGNING_ASK_ONLY_PINPAD,
  };
  CardSigningFixture f = { 0, };

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* Check only / keypad only on a reader without one: the state is
   * checked, nobody is asked. */
  for (guint i = 0; i < G_N_ELEMENTS (no_ask_flags); i++)
    {
      g_autoptr(EimzaCardSigning) signing = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;

      answer = run_pin (&f, no_ask_flags[i], NULL, &signing, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (answer), ==, 0);
      g_assert_null (eimza_card_signing_get_pin (signing));
      g_assert_cmpuint (f.asker->n_asks, ==, 0);
    }

  /* A PIN for someone else's login: the answer, and no C_Login here. A
   * replay is not used after a wrong PIN. */
  {
    g_autoptr(EimzaCardSigning) signing = NULL;
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(EimzaSecret) replay = eimza_secret_new (SOFTHSM_WRONG_PIN, -1);

    answer = run_pin (&f, EIMZA_CARD_SIGNING_RETRY, replay, &signing, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (f.asker->n_asks, ==, 1);
    g_assert_true (scripted_asker_asked_flags (f.asker, 0) & EIMZA_PIN_ASK_RETRY);
    g_assert_cmpstr (eimza_secret_get (eimza_card_signing_get_pin (signing), NULL), ==,
                     SOFTHSM_USER_PIN);
    g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  }

  card_signing_fixture_clear (&f);
}

static const CardTestCase cases[] = {
  { "/card-signing/cades/signs", test_signs },
  { "/card-signing/pin/locked-no-ask", test_locked },
  { "/card-signing/pin/final-try-needs-confirmation", test_final_try },
  { "/card-signing/pin/wrong-ends", test_wrong_pin_ends },
  { "/card-signing/pin/wrong-asks-again", test_wrong_pin_asks_again },
  { "/card-signing/pin/gave-up", test_gave_up },
  { "/card-signing/pinpad/keypad", test_pinpad },
  { "/card-signing/cancel/while-asking", test_cancel_while_asking },
  { "/card-signing/cancel/before-signing", test_cancel_before_signing },
  { "/card-signing/pin-only/answers", test_pin_only },
};

int
main (int    argc,
      char **argv)
{
  return card_test_main (argc, argv, "/card-signing/skipped", cases, G_N_ELEMENTS (cases));
}
