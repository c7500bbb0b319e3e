/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the new-PIN rules (length, digits, weak PINs, birth dates). */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "eimza-new-pin.h"

/* Checks @pin alone (no repetition, no current PIN). */
static gboolean
check (const EimzaNewPinRules *rules,
       const char             *pin,
       GError                **error)
{
  return eimza_new_pin_check (rules, pin, strlen (pin), NULL, 0, NULL, 0, error);
}

static void
assert_good (const EimzaNewPinRules *rules,
             const char             *pin)
{
  g_autoptr(GError) error = NULL;

  if (!check (rules, pin, &error))
    g_test_message ("refused: \"%s\"", pin);
  g_assert_no_error (error);
}

static void
assert_refused (const EimzaNewPinRules *rules,
                const char             *pin,
                EimzaNewPinError        code)
{
  g_autoptr(GError) error = NULL;

  if (check (rules, pin, &error))
    g_test_message ("accepted: \"%s\"", pin);
  g_assert_error (error, EIMZA_NEW_PIN_ERROR, (int) code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_default_length (void)
{
  EimzaNewPinRules rules;

  /* A card that declares nothing gets an AKİS card's 6 digits. */
  eimza_new_pin_rules_init (&rules, 0, 0);
  g_assert_cmpuint (rules.min_length, ==, 6);
  g_assert_cmpuint (rules.max_length, ==, 6);

  assert_good (&rules, "402719");
  assert_good (&rules, "000123");
  assert_refused (&rules, "40271", EIMZA_NEW_PIN_ERROR_LENGTH);
  assert_refused (&rules, "4027193", EIMZA_NEW_PIN_ERROR_LENGTH);
  assert_refused (&rules, "", EIMZA_NEW_PIN_ERROR_EMPTY);
}

static void
test_card_length (void)
{
  EimzaNewPinRules rules;

  /* SoftHSM2 declares 4 to 255. */
  eimza_new_pin_rules_init (&rules, 4, 255);
  assert_good (&rules, "4027");
  assert_good (&rules, "40271958");
  assert_refused (&rules, "402", EIMZA_NEW_PIN_ERROR_LENGTH);

  /* Only a minimum. */
  eimza_new_pin_rules_init (&rules, 6, 0);
  g_assert_cmpuint (rules.max_length, ==, 0);
  assert_good (&rules, "40271958301");
  assert_refused (&rules, "40271", EIMZA_NEW_PIN_ERROR_LENGTH);

  /* A maximum under the minimum is no limit. */
  eimza_new_pin_rules_init (&rules, 8, 4);
  g_assert_cmpuint (rules.min_length, ==, 8);
  g_assert_cmpuint (rules.max_length, ==, 0);
  assert_refused (&rules, "4027195", EIMZA_NEW_PIN_ERROR_LENGTH);

  /* Exactly 8. */
  eimza_new_pin_rules_init (&rules, 8, 8);
  assert_good (&rules, "40271958");
  assert_refused (&rules, "402719", EIMZA_NEW_PIN_ERROR_LENGTH);
}

static void
test_digits_only (void)
{
  EimzaNewPinRules rules;

  eimza_new_pin_rules_init (&rules, 0, 0);
  assert_refused (&rules, "40271a", EIMZA_NEW_PIN_ERROR_NOT_DIGITS);
  assert_refused (&rules, "40 719", EIMZA_NEW_PIN_ERROR_NOT_DIGITS);
  assert_refused (&rules, " 402719", EIMZA_NEW_PIN_ERROR_NOT_DIGITS);
  /* Arabic-Indic digits look like digits but a card takes ASCII. */
  assert_refused (&rules, "٤٠٢٧١٩", EIMZA_NEW_PIN_ERROR_NOT_DIGITS);
  /* Digits come before length: a 5-letter PIN is about letters. */
  assert_refused (&rules, "abcde", EIMZA_NEW_PIN_ERROR_NOT_DIGITS);
}

static void
test_repeated (void)
{
  EimzaNewPinRules rules;

  eimza_new_pin_rules_init (&rules, 0, 0);
  for (char d = '0'; d <= '9'; d++)
    {
      char pin[7];

      memset (pin, d, 6);
      pin[6] = '\0';
      assert_refused (&rules, pin, EIMZA_NEW_PIN_ERROR_REPEATED);
    }
  assert_good (&rules, "111112");
  assert_good (&rules, "211111");
}

static void
test_runs (void)
{
  EimzaNewPinRules rules;

  eimza_new_pin_rules_init (&rules, 0, 0);
  assert_refused (&rules, "123456", EIMZA_NEW_PIN_ERROR_SEQUENCE);
  assert_refused (&rules, "654321", EIMZA_NEW_PIN_ERROR_SEQUENCE);
  assert_refused (&rules, "012345", EIMZA_NEW_PIN_ERROR_SEQUENCE);
  assert_refused (&rules, "543210", EIMZA_NEW_PIN_ERROR_SEQUENCE);
  assert_refused (&rules, "456789", EIMZA_NEW_PIN_ERROR_SEQUENCE);
  assert_refused (&rules, "987654", EIMZA_NEW_PIN_ERROR_SEQUENCE);
  /* Round after 9 and after 0. */
  assert_refused (&rules, "890123", EIMZA_NEW_PIN_ERROR_SEQUENCE);
  assert_refused (&rules, "210987", EIMZA_NEW_PIN_ERROR_SEQUENCE);

  assert_good (&rules, "123457");
  assert_good (&rules, "124356");
  assert_good (&rules, "135791");
  assert_good (&rules, "123321");

  /* Longer cards: the whole PIN is the run. */
  eimza_new_pin_rules_init (&rules, 4, 8);
  assert_refused (&rules, "12345678", EIMZA_NEW_PIN_ERROR_SEQUENCE);
  assert_refused (&rules, "4321", EIMZA_NEW_PIN_ERROR_SEQUENCE);
  assert_good (&rules, "12345670");
}

static void
test_birth_date (void)
{
  EimzaNewPinRules rules;
  GDate date;

  eimza_new_pin_rules_init (&rules, 6, 8);
  /* Unknown birth date: a date-shaped PIN is fine. */
  assert_good (&rules, "150380");

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 15, G_DATE_MARCH, 1980);
  eimza_new_pin_rules_add_birth_date (&rules, &date);
  assert_refused (&rules, "150380", EIMZA_NEW_PIN_ERROR_BIRTH_DATE);
  assert_refused (&rules, "15031980", EIMZA_NEW_PIN_ERROR_BIRTH_DATE);
  assert_good (&rules, "150381");
  assert_good (&rules, "030815");
  assert_good (&rules, "15031981");

  /* Single-digit days and months are written with their zero; years
   * after 2000 keep two digits. */
  g_date_set_dmy (&date, 2, G_DATE_JULY, 2001);
  eimza_new_pin_rules_add_birth_date (&rules, &date);
  g_assert_cmpuint (rules.n_birth_dates, ==, 2);
  assert_refused (&rules, "020701", EIMZA_NEW_PIN_ERROR_BIRTH_DATE);
  assert_refused (&rules, "02072001", EIMZA_NEW_PIN_ERROR_BIRTH_DATE);
  /* The first date still counts. */
  assert_refused (&rules, "150380", EIMZA_NEW_PIN_ERROR_BIRTH_DATE);

  /* The same date twice is kept once; an invalid date is ignored. */
  eimza_new_pin_rules_add_birth_date (&rules, &date);
  g_date_clear (&date, 1);
  eimza_new_pin_rules_add_birth_date (&rules, &date);
  eimza_new_pin_rules_add_birth_date (&rules, NULL);
  g_assert_cmpuint (rules.n_birth_dates, ==, 2);
}

static void
test_birth_dates_full (void)
{
  EimzaNewPinRules rules;
  GDate date;

  eimza_new_pin_rules_init (&rules, 0, 0);
  g_date_clear (&date, 1);
  for (guint i = 0; i < EIMZA_NEW_PIN_MAX_BIRTH_DATES + 2; i++)
    {
      g_date_set_dmy (&date, (GDateDay) (1 + i), G_DATE_MAY, 1975);
      eimza_new_pin_rules_add_birth_date (&rules, &date);
    }
  g_assert_cmpuint (rules.n_birth_dates, ==, EIMZA_NEW_PIN_MAX_BIRTH_DATES);
  assert_refused (&rules, "010575", EIMZA_NEW_PIN_ERROR_BIRTH_DATE);
}

static void
test_current_and_repeat (void)
{
  g_autoptr(GError) error = NULL;
  EimzaNewPinRules rules;

  eimza_new_pin_rules_init (&rules, 0, 0);

  g_assert_true (eimza_new_pin_check (&rules, "402719", 6, "402719", 6, "123456", 6, &error));
  g_assert_no_error (error);

  g_assert_false (eimza_new_pin_check (&rules, "402719", 6, "402719", 6, "402719", 6, &error));
  g_assert_error (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_SAME_AS_CURRENT);
  g_clear_error (&error);

  g_assert_false (eimza_new_pin_check (&rules, "402719", 6, "402791", 6, NULL, 0, &error));
  g_assert_error (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_MISMATCH);
  g_clear_error (&error);

  /* A shorter repetition that starts alike is still different. */
  g_assert_false (eimza_new_pin_check (&rules, "402719", 6, "40271", 5, NULL, 0, &error));
  g_assert_error (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_MISMATCH);
  g_clear_error (&error);

  /* A weak PIN is reported as weak even when the repetition differs. */
  g_assert_false (eimza_new_pin_check (&rules, "123456", 6, "", 0, NULL, 0, &error));
  g_assert_error (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_SEQUENCE);
  g_clear_error (&error);

  /* Only @new_length bytes count: the PIN need not end in a NUL. */
  g_assert_true (eimza_new_pin_check (&rules, "402719xx", 6, "402719yy", 6, NULL, 0, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/new-pin/default-length", test_default_length);
  g_test_add_func ("/core/new-pin/card-length", test_card_length);
  g_test_add_func ("/core/new-pin/digits-only", test_digits_only);
  g_test_add_func ("/core/new-pin/repeated", test_repeated);
  g_test_add_func ("/core/new-pin/runs", test_runs);
  g_test_add_func ("/core/new-pin/birth-date", test_birth_date);
  g_test_add_func ("/core/new-pin/birth-dates-full", test_birth_dates_full);
  g_test_add_func ("/core/new-pin/current-and-repeat", test_current_and_repeat);

  return g_test_run ();
}
