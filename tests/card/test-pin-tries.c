/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the tries left that every view shows: the rule, and the count over real wrong PINs (no display needed). */
#include "config.h"

#include "eimza-pin-tries.h"
#include "eimza-pkcs11.h"
#include "card-signing-fixture.h"

/*
 * The rule (eimza_pin_tries_compute()) is checked on its own; then the
 * card service runs against the PIN policy module (SoftHSM2 that sets the
 * count-low, final-try and locked flags of a real card, for the PIN and the
 * unblock code alike, and counts every C_Login and SO login) with a
 * scripted person, who notes at each ask what a dialog would show. Each
 * case also proves that learning the number spent no try: the module's
 * login counts equal the answers given.
 */

#define NEW_PIN "402719"

static const char content_text[] = "Deneme hakkı / tries left\n";

/* --- The rule, without a card ------------------------------------------------ */

static void
assert_left (EimzaPinTriesLeft left,
             guint             expected,
             gboolean          exact)
{
  g_assert_cmpuint (left.left, ==, expected);
  g_assert_cmpint (left.exact, ==, exact);
}

static void
test_rule (void)
{
  EimzaPkcs11TokenFlags count_low = EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW;
  EimzaPkcs11TokenFlags final_try = EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW |
                                    EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY;

  /* Nothing seen, no flag: the card's policy, as an upper bound. */
  assert_left (eimza_pin_tries_compute (0, EIMZA_PIN_TRIES_PIN, 0), 3, FALSE);
  /* Count-low alone: a wrong PIN the app did not see still counts. */
  assert_left (eimza_pin_tries_compute (count_low, EIMZA_PIN_TRIES_PIN, 0), 2, FALSE);
  assert_left (eimza_pin_tries_compute (count_low, EIMZA_PIN_TRIES_PIN, 1), 2, FALSE);
  /* The app's own count where the module says nothing (SoftHSM2 alone). */
  assert_left (eimza_pin_tries_compute (0, EIMZA_PIN_TRIES_PIN, 2), 1, FALSE);
  /* A module that never locks: never below one while not locked. */
  assert_left (eimza_pin_tries_compute (count_low, EIMZA_PIN_TRIES_PIN, 7), 1, FALSE);
  /* The module's final-try and locked flags are exact. */
  assert_left (eimza_pin_tries_compute (final_try, EIMZA_PIN_TRIES_PIN, 0), 1, TRUE);
  assert_left (eimza_pin_tries_compute (EIMZA_PKCS11_TOKEN_PIN_LOCKED, EIMZA_PIN_TRIES_PIN, 0),
               0, TRUE);
  /* Each kind reads its own flags. */
  assert_left (eimza_pin_tries_compute (EIMZA_PKCS11_TOKEN_PIN_LOCKED, EIMZA_PIN_TRIES_UNBLOCK,
                                        0), 3, FALSE);
  assert_left (eimza_pin_tries_compute (EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY,
                                        EIMZA_PIN_TRIES_UNBLOCK, 0), 1, TRUE);
  assert_left (eimza_pin_tries_compute (EIMZA_PKCS11_TOKEN_SO_PIN_COUNT_LOW,
                                        EIMZA_PIN_TRIES_PIN, 0), 3, FALSE);
  assert_left (eimza_pin_tries_compute (EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED,
                                        EIMZA_PIN_TRIES_UNBLOCK, 0), 0, TRUE);
}

static void
assert_describes (EimzaPinTriesLeft  left,
                  EimzaPinTriesKind  kind,
                  const char        *expected)
{
  g_autofree char *text = eimza_pin_tries_describe (&left, kind);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_describe (void)
{
  assert_describes ((EimzaPinTriesLeft) { 2, FALSE, 1 }, EIMZA_PIN_TRIES_PIN,
                    "At most 2 PIN tries left.");
  assert_describes ((EimzaPinTriesLeft) { 1, FALSE, 2 }, EIMZA_PIN_TRIES_PIN,
                    "At most 1 PIN try left.");
  assert_describes ((EimzaPinTriesLeft) { 1, TRUE, 2 }, EIMZA_PIN_TRIES_PIN,
                    "1 PIN try left.");
  assert_describes ((EimzaPinTriesLeft) { 0, TRUE, 3 }, EIMZA_PIN_TRIES_PIN,
                    "No PIN tries left: the PIN is locked.");
  assert_describes ((EimzaPinTriesLeft) { 3, FALSE, 0 }, EIMZA_PIN_TRIES_UNBLOCK,
                    "At most 3 unblock code tries left.");
  assert_describes ((EimzaPinTriesLeft) { 0, TRUE, 3 }, EIMZA_PIN_TRIES_UNBLOCK,
                    "No unblock code tries left: the card can no longer be unlocked.");
}

/* --- Over the PIN policy module ------------------------------------------------ */

/* The token read now, without a login, as the card's popover and the
 * diagnostics read it. */
static EimzaPkcs11Token *
read_token (CardSigningFixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11Token *token;

  eimza_pkcs11_lookup_token_async (f->service, eimza_certificate_get_key_uri (f->certificate),
                                   NULL, card_test_store_result_cb, &result);
  token = eimza_pkcs11_lookup_token_finish (f->service, card_test_wait_for_result (&result),
                                            &error);
  g_assert_no_error (error);
  return token;
}

static void
assert_token_left (CardSigningFixture *f,
                   EimzaPinTriesKind  kind,
                   guint              expected,
                   gboolean           exact)
{
  g_autoptr(EimzaPkcs11Token) token = read_token (f);

  assert_left (eimza_pin_tries_get (eimza_pin_tries_get_default (), token, kind), expected,
               exact);
}

static void
test_pin_counts_down (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_WRONG_PIN, NULL, FALSE },
    { NULL, NULL, FALSE },                  /* asked again, and gives up */
    { SOFTHSM_WRONG_PIN, NULL, FALSE },
    { SOFTHSM_WRONG_PIN, NULL, TRUE },      /* the last try, spent knowingly */
    { SOFTHSM_SO_PIN, NEW_PIN, FALSE },
    { NEW_PIN, NULL, FALSE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  /* A whole card: at most the policy's three, nothing spent to learn it. */
  assert_token_left (&f, EIMZA_PIN_TRIES_PIN, 3, FALSE);
  assert_token_left (&f, EIMZA_PIN_TRIES_UNBLOCK, 3, FALSE);

  /* First wrong PIN; the person is asked again and shown "at most 2". */
  g_assert_null (card_signing_run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_clear_error (&error);
  g_assert_cmpuint (f.asker->n_asks, ==, 2);
  assert_left (f.asker->pin_tries, 2, FALSE);
  g_assert_cmpuint (f.asker->pin_tries.n_wrong, ==, 1);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  assert_token_left (&f, EIMZA_PIN_TRIES_PIN, 2, FALSE);

  /* After the second: the module's final-try flag makes it exact. */
  g_assert_null (card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_clear_error (&error);
  assert_left (f.asker->pin_tries, 2, FALSE);
  assert_token_left (&f, EIMZA_PIN_TRIES_PIN, 1, TRUE);

  /* The third, confirmed, locks the card: none left. */
  g_assert_null (card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED);
  g_clear_error (&error);
  assert_left (f.asker->pin_tries, 1, TRUE);
  assert_token_left (&f, EIMZA_PIN_TRIES_PIN, 0, TRUE);
  assert_token_left (&f, EIMZA_PIN_TRIES_UNBLOCK, 3, FALSE);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 3);

  /* Unblocked: both counts start again; then a signature. */
  g_assert_true (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  assert_left (f.asker->unblock_tries, 3, FALSE);
  assert_left (f.asker->pin_tries, 0, TRUE);
  assert_token_left (&f, EIMZA_PIN_TRIES_PIN, 3, FALSE);
  cms = card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  assert_left (f.asker->pin_tries, 3, FALSE);

  /* Every login was one of the person's answers. */
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 4);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);

  card_signing_fixture_clear (&f);
}

static void
test_unblock_counts_down (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_WRONG_SO_PIN, NEW_PIN, FALSE },
    { SOFTHSM_WRONG_SO_PIN, NEW_PIN, FALSE },
    { SOFTHSM_SO_PIN, NEW_PIN, TRUE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));
  softhsm_fixture_set_pin_failures (3);

  g_assert_false (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_INCORRECT);
  g_clear_error (&error);
  assert_left (f.asker->unblock_tries, 3, FALSE);
  assert_token_left (&f, EIMZA_PIN_TRIES_UNBLOCK, 2, FALSE);

  g_assert_false (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_clear_error (&error);
  assert_left (f.asker->unblock_tries, 2, FALSE);
  assert_token_left (&f, EIMZA_PIN_TRIES_UNBLOCK, 1, TRUE);

  g_assert_true (card_signing_run_unblock (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  assert_left (f.asker->unblock_tries, 1, TRUE);
  assert_token_left (&f, EIMZA_PIN_TRIES_UNBLOCK, 3, FALSE);
  assert_token_left (&f, EIMZA_PIN_TRIES_PIN, 3, FALSE);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 3);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);

  card_signing_fixture_clear (&f);
}

/* A correct PIN this application did not see (another program): the
 * module clears its count-low flag, and the count seen here is dropped. */
static void
test_correct_elsewhere (void)
{
  static const ScriptedAnswer answers[] = {
    { SOFTHSM_WRONG_PIN, NULL, FALSE },
  };
  CardSigningFixture f = { 0, };
  g_autoptr(GError) error = NULL;

  card_signing_fixture_init (&f, content_text, answers, G_N_ELEMENTS (answers));

  g_assert_null (card_signing_run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  assert_token_left (&f, EIMZA_PIN_TRIES_PIN, 2, FALSE);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);

  /* The card's counter back at 0, as a correct PIN elsewhere leaves it. */
  softhsm_fixture_set_pin_failures (0);
  assert_token_left (&f, EIMZA_PIN_TRIES_PIN, 3, FALSE);

  card_signing_fixture_clear (&f);
}

static const CardTestCase cases[] = {
  { "/card-pin-tries/rule", test_rule },
  { "/card-pin-tries/describe", test_describe },
  { "/card-pin-tries/pin-counts-down", test_pin_counts_down },
  { "/card-pin-tries/unblock-counts-down", test_unblock_counts_down },
  { "/card-pin-tries/correct-elsewhere", test_correct_elsewhere },
};

int
main (int    argc,
      char **argv)
{
  g_setenv ("EIMZA_PIN_POLICY_SO_GUARD", "1", TRUE);
  return card_test_main (argc, argv, "/card-pin-tries/skipped", cases, G_N_ELEMENTS (cases));
}
