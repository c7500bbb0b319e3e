/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the card's PIN change through the card-signing operation (no display needed). */
#include "config.h"

#include <string.h>

#include "eimza-pkcs11.h"
#include "card-signing-fixture.h"

/*
 * The change runs through the card service against the PIN policy module
 * (SoftHSM2 that locks after three wrong PINs and counts every C_Login and
 * C_SetPIN), with a scripted person as the asker; a CAdES signature with
 * the new PIN, checked by `openssl cms -verify`, proves the card took it.
 */

#define NEW_PIN "402719"

static const char content_text[] = "PIN değişti / PIN changed\n";

/* --- Cases ---------------------------------------------------------------------- */

static void
test_changes_then_signs (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_USER_PIN, NEW_PIN, FALSE },  /* the change */
    { NEW_PIN, NULL, FALSE },              /* a signature with the new PIN */
    { SOFTHSM_USER_PIN, NULL, FALSE },     /* the old PIN, now wrong */
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  g_assert_true (card_signing_run_change (&f, NULL, &error));
  g_assert_no_error (error);
  /* Read, asked, sent: one C_SetPIN, no login, nothing before the answer. */
  g_assert_cmpstr (f.phases->str, ==, "RASN");
  g_assert_cmpuint (f.asker->n_new_pin_asks, ==, 1);
  g_assert_cmpint (f.asker->last_flags, ==, EIMZA_PIN_ASK_DEFAULT);
  g_assert_cmpuint (f.asker->set_pins_when_asked, ==, 0);
  g_assert_cmpuint (softhsm_fixture_set_pin_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
  /* The asker was told the card's own lengths. */
  g_assert_cmpuint (f.asker->last_rules.min_length, ==, f.asker->min_pin_length);
  g_assert_cmpuint (f.asker->last_rules.max_length, ==, f.asker->max_pin_length);

  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_clear_pointer (&cms, g_bytes_unref);

  /* The old PIN is gone: one wrong try, no signature. */
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_null (cms);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);

  card_signing_fixture_clear (&f);
}

static void
test_wrong_current (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_WRONG_PIN, NEW_PIN, FALSE },
    { SOFTHSM_WRONG_PIN, NEW_PIN, FALSE },
    { SOFTHSM_USER_PIN, NULL, TRUE },  /* the last try, spent knowingly */
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* Exactly one try is spent, and said so. */
  g_assert_false (card_signing_run_change (&f, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_set_pin_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  g_assert_nonnull (strstr (error->message, "two are left"));
  g_clear_error (&error);

  /* The next ask shows the lowered count before the PIN is typed; the
   * second wrong PIN leaves the last try, and says so. */
  g_assert_false (card_signing_run_change (&f, NULL, &error));
  g_assert_true (f.asker->last_flags & EIMZA_PIN_ASK_COUNT_LOW);
  g_assert_false (f.asker->last_flags & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_nonnull (strstr (error->message, "Only one try is left"));
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 2);
  g_assert_cmpuint (softhsm_fixture_set_pin_calls (), ==, 2);
  g_clear_error (&error);

  /* The PIN did not change: the old one still signs (and resets the
   * count), on the last try only with the confirmation. */
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  card_signing_fixture_clear (&f);
}

static void
test_weak_refused (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_USER_PIN, "111111", FALSE },
    { SOFTHSM_USER_PIN, "654321", FALSE },
    { SOFTHSM_USER_PIN, "150380", FALSE },
    { SOFTHSM_USER_PIN, "15031980", FALSE },
    { SOFTHSM_USER_PIN, "40271a", FALSE },
    { SOFTHSM_USER_PIN, "", FALSE },
  };
  static const EimzaNewPinError codes[] = {
    EIMZA_NEW_PIN_ERROR_REPEATED,
    EIMZA_NEW_PIN_ERROR_SEQUENCE,
    EIMZA_NEW_PIN_ERROR_BIRTH_DATE,
    EIMZA_NEW_PIN_ERROR_BIRTH_DATE,
    EIMZA_NEW_PIN_ERROR_NOT_DIGITS,
    EIMZA_NEW_PIN_ERROR_EMPTY,
  };
  CardSigningFixture f = { 0, };
  GDate birth;

  G_STATIC_ASSERT (G_N_ELEMENTS (answers) == G_N_ELEMENTS (codes));

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));
  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, 15, G_DATE_MARCH, 1980);

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (card_signing_run_change (&f, &birth, &error));
      g_assert_error (error, EIMZA_NEW_PIN_ERROR, (int) codes[i]);
      /* Refused after the ask, before the card was touched. */
      g_assert_cmpstr (f.phases->str, ==, "RAN");
      g_assert_cmpuint (f.asker->last_rules.n_birth_dates, ==, 1);
    }

  g_assert_cmpuint (softhsm_fixture_set_pin_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  card_signing_fixture_clear (&f);
}

static void
test_locked (void)
{
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  /* No answers: an ask would fail the test. */
  card_signing_fixture_init (&f, content_text, NULL, 0);

  softhsm_fixture_set_pin_failures (3);
  g_assert_false (card_signing_run_change (&f, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED);
  g_assert_cmpstr (f.phases->str, ==, "RN");
  g_assert_cmpuint (f.asker->n_asks, ==, 0);
  g_assert_cmpuint (softhsm_fixture_set_pin_calls (), ==, 0);

  card_signing_fixture_clear (&f);
}

static void
test_final_try (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_USER_PIN, NEW_PIN, FALSE },
    { SOFTHSM_USER_PIN, NEW_PIN, TRUE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));
  softhsm_fixture_set_pin_failures (2);

  /* The last try is spent only with the person's confirmation. */
  g_assert_false (card_signing_run_change (&f, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_assert_true (f.asker->last_flags & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_cmpuint (softhsm_fixture_set_pin_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 2);
  g_clear_error (&error);

  g_assert_true (card_signing_run_change (&f, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (softhsm_fixture_set_pin_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

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
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("EIMZA_PIN_POLICY_PINPAD", SOFTHSM_USER_PIN, TRUE);
  g_setenv ("EIMZA_PIN_POLICY_PINPAD_NEW", NEW_PIN, TRUE);
  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  g_assert_true (card_signing_run_change (&f, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (f.asker->last_flags & EIMZA_PIN_ASK_PINPAD);
  g_assert_cmpuint (softhsm_fixture_set_pin_calls (), ==, 1);

  /* The person now types the new PIN on the reader. */
  g_setenv ("EIMZA_PIN_POLICY_PINPAD", NEW_PIN, TRUE);
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);

  card_signing_fixture_clear (&f);
}

static void
test_gave_up (void)
{
  static const ScriptedAnswer answers[] = { { NULL, NULL, FALSE } };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  g_assert_false (card_signing_run_change (&f, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (softhsm_fixture_set_pin_calls (), ==, 0);

  card_signing_fixture_clear (&f);
}

static const CardTestCase cases[] = {
  { "/card-pin-change/changes-then-signs", test_changes_then_signs },
  { "/card-pin-change/wrong-current-spends-one-try", test_wrong_current },
  { "/card-pin-change/weak-refused-before-the-card", test_weak_refused },
  { "/card-pin-change/locked-no-ask", test_locked },
  { "/card-pin-change/final-try-needs-confirmation", test_final_try },
  { "/card-pin-change/pinpad", test_pinpad },
  { "/card-pin-change/gave-up", test_gave_up },
};

int
main (int    argc,
      char **argv)
{
  return card_test_main (argc, argv, "/card-pin-change/skipped", cases, G_N_ELEMENTS (cases));
}
