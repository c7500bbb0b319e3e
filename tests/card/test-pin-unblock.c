/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for unlocking the card (or a new card's first PIN) with the unblock code (no display needed). */
#include "config.h"

#include <string.h>

#include "eimza-pkcs11.h"
#include "card-signing-fixture.h"

/*
 * The unblock runs through the card service against the PIN policy module
 * (SoftHSM2 that locks the PIN after three wrong ones, the unblock code,
 * its SO PIN, likewise, and counts every C_Login, SO login and C_InitPIN)
 * with a scripted person as the asker. EIMZA_PIN_POLICY_SO_GUARD makes the
 * module refuse, before SoftHSM2 sees it, any SO login the person did not
 * give a code for, and every case ends by asserting there was none. A
 * CAdES signature with the new PIN, checked by `openssl cms -verify`,
 * proves the card took it.
 */

#define NEW_PIN "402719"

static const char content_text[] = "Kilit çözüldü / unlocked\n";

/* --- Helpers ---------------------------------------------------------------------- */

static void
assert_signs_with_new_pin (CardSigningFixture *f)
{
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  cms = card_signing_run_cades (f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f->content, TRUE);
}

/* --- Cases ---------------------------------------------------------------------- */

static void
test_locks_then_unblocks (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_WRONG_PIN, NULL, FALSE },     /* three wrong PINs lock the card */
    { SOFTHSM_WRONG_PIN, NULL, FALSE },
    { SOFTHSM_WRONG_PIN, NULL, TRUE },
    { SOFTHSM_SO_PIN, NEW_PIN, FALSE },     /* the unblock */
    { NEW_PIN, NULL, FALSE },               /* a signature with the new PIN */
    { SOFTHSM_USER_PIN, NULL, FALSE },      /* the old PIN, now wrong */
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* Locked on purpose, one wrong PIN at a time. */
  for (guint i = 0; i < 3; i++)
    {
      EimzaCardError expected = i < 2 ? EIMZA_CARD_ERROR_PIN_INCORRECT
                                       : EIMZA_CARD_ERROR_PIN_LOCKED;

      g_assert_null (card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
      g_assert_error (error, EIMZA_CARD_ERROR, (int) expected);
      g_clear_error (&error);
    }
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 3);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 3);

  /* A locked PIN is what an unblock is for: read, asked, sent. */
  g_assert_true (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f.phases->str, ==, "RASN");
  g_assert_cmpuint (f.asker->n_unblock_asks, ==, 1);
  g_assert_true (f.asker->token_flags & EIMZA_PKCS11_TOKEN_PIN_LOCKED);
  g_assert_cmpint (f.asker->last_flags, ==, EIMZA_PIN_ASK_DEFAULT);
  g_assert_cmpuint (f.asker->so_logins_when_asked, ==, 0);
  /* One SO login, one C_InitPIN, no user login; the PIN is unlocked. */
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 3);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 0);

  assert_signs_with_new_pin (&f);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 4);

  /* The old PIN is gone: one wrong try, no signature. */
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_null (cms);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);

  card_signing_fixture_clear (&f);
}

static void
test_wrong_code (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_WRONG_SO_PIN, NEW_PIN, FALSE },
    { SOFTHSM_WRONG_SO_PIN, NEW_PIN, FALSE },
    { SOFTHSM_SO_PIN, NEW_PIN, TRUE },      /* the last try, spent knowingly */
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));
  softhsm_fixture_set_pin_failures (3);

  /* Exactly one SO try is spent, and said so; the PIN stays locked. */
  g_assert_false (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_INCORRECT);
  g_assert_nonnull (strstr (error->message, "three wrong codes"));
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 3);
  g_clear_error (&error);

  /* The next ask shows the lowered count before the code is typed; the
   * second wrong code leaves the last try, and says so. */
  g_assert_false (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_true (f.asker->last_flags & EIMZA_PIN_ASK_COUNT_LOW);
  g_assert_false (f.asker->last_flags & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_INCORRECT);
  g_assert_nonnull (strstr (error->message, "Only one try is left"));
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 2);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 2);
  g_clear_error (&error);

  /* The last try, confirmed, with the right code. */
  g_assert_true (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (f.asker->last_flags & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_true (f.asker->token_flags & EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 3);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  card_signing_fixture_clear (&f);
}

static void
test_ask_again (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_WRONG_SO_PIN, NEW_PIN, FALSE },
    { SOFTHSM_SO_PIN, NEW_PIN, FALSE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) answer = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));
  softhsm_fixture_set_pin_failures (3);

  /* After a wrong code the person is asked again, as a retry: one SO
   * login per answer, none by itself. */
  signing = eimza_card_signing_new_pin_unblock (f.service, EIMZA_PIN_ASKER (f.asker),
                                                eimza_certificate_get_key_uri (f.certificate));
  eimza_card_signing_set_flags (signing, EIMZA_CARD_SIGNING_ASK_AGAIN);
  answer = card_signing_run (&f, signing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpstr (f.phases->str, ==, "RASRASN");
  g_assert_true (f.asker->last_flags & EIMZA_PIN_ASK_RETRY);
  g_assert_true (f.asker->last_flags & EIMZA_PIN_ASK_COUNT_LOW);
  g_assert_cmpuint (f.asker->so_logins_when_asked, ==, 1);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 2);
  g_assert_cmpuint (eimza_card_signing_get_n_wrong (signing), ==, 1);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 2);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 1);

  /* The operation holds the asker. */
  g_clear_object (&signing);
  card_signing_fixture_clear (&f);
}

static void
test_weak_refused (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_SO_PIN, "111111", FALSE },
    { SOFTHSM_SO_PIN, "654321", FALSE },
    { SOFTHSM_SO_PIN, "150380", FALSE },
    { SOFTHSM_SO_PIN, "40271a", FALSE },
    { SOFTHSM_SO_PIN, "", FALSE },
    { "", NEW_PIN, FALSE },
  };
  static const struct {
    GQuark (*domain) (void);
    int code;
  } refusals[] = {
    { eimza_new_pin_error_quark, EIMZA_NEW_PIN_ERROR_REPEATED },
    { eimza_new_pin_error_quark, EIMZA_NEW_PIN_ERROR_SEQUENCE },
    { eimza_new_pin_error_quark, EIMZA_NEW_PIN_ERROR_BIRTH_DATE },
    { eimza_new_pin_error_quark, EIMZA_NEW_PIN_ERROR_NOT_DIGITS },
    { eimza_new_pin_error_quark, EIMZA_NEW_PIN_ERROR_EMPTY },
    { eimza_card_error_quark, EIMZA_CARD_ERROR_PIN_INVALID },   /* no unblock code */
  };
  CardSigningFixture f = { 0, };
  GDate birth;

  G_STATIC_ASSERT (G_N_ELEMENTS (answers) == G_N_ELEMENTS (refusals));

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));
  softhsm_fixture_set_pin_failures (3);
  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, 15, G_DATE_MARCH, 1980);

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, &birth, &error));
      g_assert_error (error, refusals[i].domain (), refusals[i].code);
      /* Refused after the ask, before the card was touched. */
      g_assert_cmpstr (f.phases->str, ==, "RAN");
      g_assert_cmpuint (f.asker->last_rules.n_birth_dates, ==, 1);
    }

  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 3);

  card_signing_fixture_clear (&f);
}

static void
test_final_try (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_SO_PIN, NEW_PIN, FALSE },
    { SOFTHSM_SO_PIN, NEW_PIN, TRUE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));
  softhsm_fixture_set_pin_failures (3);
  softhsm_fixture_set_so_failures (2);

  /* The unblock code's last try is spent only with the confirmation. */
  g_assert_false (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_assert_true (f.asker->last_flags & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_cmpstr (f.phases->str, ==, "RAN");
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 2);
  g_clear_error (&error);

  g_assert_true (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  card_signing_fixture_clear (&f);
}

static void
test_so_locked (void)
{
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  /* No answers: an ask would fail the test. */
  card_signing_fixture_init (&f, content_text, NULL, 0);
  softhsm_fixture_set_pin_failures (3);
  softhsm_fixture_set_so_failures (3);

  g_assert_false (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_LOCKED);
  g_assert_nonnull (strstr (error->message, "new card"));
  g_assert_cmpstr (f.phases->str, ==, "RN");
  g_assert_cmpuint (f.asker->n_asks, ==, 0);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 0);

  card_signing_fixture_clear (&f);
}

static void
test_new_card (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_SO_PIN, NEW_PIN, FALSE },
    { NEW_PIN, NULL, FALSE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* A card that is not locked (a new card's PIN set with its code). */
  g_assert_true (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (f.asker->token_flags & EIMZA_PKCS11_TOKEN_PIN_LOCKED);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 1);
  assert_signs_with_new_pin (&f);

  card_signing_fixture_clear (&f);
}

static void
test_pinpad (void)
{
  static const ScriptedAnswer answers[] = {
    { "", "", FALSE },  /* nothing typed here: the reader asks */
    { "", NULL, FALSE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  g_setenv ("EIMZA_PIN_POLICY_PINPAD", SOFTHSM_USER_PIN, TRUE);
  g_setenv ("EIMZA_PIN_POLICY_PINPAD_SO", SOFTHSM_SO_PIN, TRUE);
  g_setenv ("EIMZA_PIN_POLICY_PINPAD_NEW", NEW_PIN, TRUE);
  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));
  softhsm_fixture_set_pin_failures (3);

  g_assert_true (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (f.asker->last_flags & EIMZA_PIN_ASK_PINPAD);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 1);

  /* The person now types the new PIN on the reader. */
  g_setenv ("EIMZA_PIN_POLICY_PINPAD", NEW_PIN, TRUE);
  assert_signs_with_new_pin (&f);

  card_signing_fixture_clear (&f);
}

static void
test_gave_up (void)
{
  static const ScriptedAnswer answers[] = { { NULL, NULL, FALSE } };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));
  softhsm_fixture_set_pin_failures (3);

  g_assert_false (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 0);

  card_signing_fixture_clear (&f);
}

static const CardTestCase cases[] = {
  { "/card-pin-unblock/locks-then-unblocks-then-signs", test_locks_then_unblocks },
  { "/card-pin-unblock/wrong-code-spends-one-try", test_wrong_code },
  { "/card-pin-unblock/ask-again-one-try-per-answer", test_ask_again },
  { "/card-pin-unblock/weak-refused-before-the-card", test_weak_refused },
  { "/card-pin-unblock/last-code-try-needs-confirmation", test_final_try },
  { "/card-pin-unblock/code-locked-no-ask-no-call", test_so_locked },
  { "/card-pin-unblock/new-card-first-pin", test_new_card },
  { "/card-pin-unblock/pinpad", test_pinpad },
  { "/card-pin-unblock/gave-up", test_gave_up },
};

int
main (int    argc,
      char **argv)
{
  /* Any SO login the scripted person did not give a code for is refused
   * and counted (card_signing_fixture_clear() asserts there was none). */
  g_setenv ("EIMZA_PIN_POLICY_SO_GUARD", "1", TRUE);
  return card_test_main (argc, argv, "/card-pin-unblock/skipped", cases, G_N_ELEMENTS (cases));
}
