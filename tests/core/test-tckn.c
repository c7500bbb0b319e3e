/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the T.C. Kimlik No validator and generator. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "eimza-validation.h"

#define N_GENERATED 500
#define RANDOM_SEED 20240615

/* The published algorithm, written again here on purpose (and differently:
 * signed sums, a positive modulo) so a shared mistake cannot hide. */
static void
reference_complete (const int digits[9],
                    char      out[12])
{
  int odd_sum = digits[0] + digits[2] + digits[4] + digits[6] + digits[8];
  int even_sum = digits[1] + digits[3] + digits[5] + digits[7];
  int d10 = (7 * odd_sum - even_sum) % 10;
  int d11;

  if (d10 < 0)
    d10 += 10;
  d11 = (odd_sum + even_sum + d10) % 10;

  for (int i = 0; i < 9; i++)
    out[i] = (char) ('0' + digits[i]);
  out[9] = (char) ('0' + d10);
  out[10] = (char) ('0' + d11);
  out[11] = '\0';
}

static void
assert_valid (const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!eimza_tckn_validate (text, &error))
    g_test_message ("refused: \"%s\"", text);
  g_assert_no_error (error);
}

static void
assert_invalid (const char           *text,
                EimzaValidationError  code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (eimza_tckn_validate (text, &error));
  /* Name the input in the log; g_assert_error only shows the error. */
  if (!g_error_matches (error, EIMZA_VALIDATION_ERROR, (int) code))
    g_test_message ("input: \"%s\"", text ? text : "(null)");
  g_assert_error (error, EIMZA_VALIDATION_ERROR, (int) code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");

  /* The error is optional, as everywhere in GLib. */
  g_assert_false (eimza_tckn_validate (text, NULL));
}

static void
test_known_example (void)
{
  g_autofree char *completed = eimza_tckn_complete ("100000001");

  assert_valid ("10000000146");
  assert_valid ("12345678950");
  g_assert_cmpstr (completed, ==, "10000000146");
}

static void
test_generated (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED);

  for (int n = 0; n < N_GENERATED; n++)
    {
      int digits[9];
      char number[12];
      char first_nine[10];
      g_autofree char *completed = NULL;

      digits[0] = g_rand_int_range (rand, 1, 10);
      for (int i = 1; i < 9; i++)
        digits[i] = g_rand_int_range (rand, 0, 10);
      reference_complete (digits, number);

      g_assert_true (eimza_tckn_validate (number, NULL));

      memcpy (first_nine, number, 9);
      first_nine[9] = '\0';
      completed = eimza_tckn_complete (first_nine);
      g_assert_cmpstr (completed, ==, number);

      /* Any other 10th or 11th digit is a checksum error. */
      for (int check = 9; check <= 10; check++)
        {
          for (int delta = 1; delta <= 9; delta++)
            {
              char changed[12];

              memcpy (changed, number, sizeof changed);
              changed[check] = (char) ('0' + (number[check] - '0' + delta) % 10);
              assert_invalid (changed, EIMZA_VALIDATION_ERROR_CHECKSUM);
            }
        }
    }
}

/* Both check digits together catch every single wrong digit: 7 and -1 are
 * units modulo 10, so a change in the first nine always moves d10. */
static void
test_single_digit_typo (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 1);

  for (int n = 0; n < 50; n++)
    {
      int digits[9];
      char number[12];

      digits[0] = g_rand_int_range (rand, 1, 10);
      for (int i = 1; i < 9; i++)
        digits[i] = g_rand_int_range (rand, 0, 10);
      reference_complete (digits, number);

      for (int pos = 0; pos < 9; pos++)
        {
          for (int delta = 1; delta <= 9; delta++)
            {
              char changed[12];

              memcpy (changed, number, sizeof changed);
              changed[pos] = (char) ('0' + (number[pos] - '0' + delta) % 10);
              if (changed[0] == '0')
                assert_invalid (changed, EIMZA_VALIDATION_ERROR_LEADING_ZERO);
              else
                assert_invalid (changed, EIMZA_VALIDATION_ERROR_CHECKSUM);
            }
        }
    }
}

static void
test_wrong_check_digit (void)
{
  assert_invalid ("10000000145", EIMZA_VALIDATION_ERROR_CHECKSUM);
  assert_invalid ("10000000156", EIMZA_VALIDATION_ERROR_CHECKSUM);
  assert_invalid ("10000000136", EIMZA_VALIDATION_ERROR_CHECKSUM);
  assert_invalid ("10000000164", EIMZA_VALIDATION_ERROR_CHECKSUM);
  assert_invalid ("12345678901", EIMZA_VALIDATION_ERROR_CHECKSUM);
  assert_invalid ("11111111111", EIMZA_VALIDATION_ERROR_CHECKSUM);
  assert_invalid ("99999999999", EIMZA_VALIDATION_ERROR_CHECKSUM);
}

/* Of the 100 possible endings of nine digits exactly one is valid. */
static void
test_exactly_one_ending (void)
{
  const char *prefixes[] = { "100000001", "123456789", "999999999", "500000000", "987654321" };

  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *completed = eimza_tckn_complete (prefixes[i]);
      guint n_valid = 0;

      g_assert_nonnull (completed);
      for (int ending = 0; ending < 100; ending++)
        {
          g_autofree char *number = g_strdup_printf ("%s%02d", prefixes[i], ending);

          if (eimza_tckn_validate (number, NULL))
            {
              n_valid++;
              g_assert_cmpstr (number, ==, completed);
            }
        }
      g_assert_cmpuint (n_valid, ==, 1);
    }
}

static void
test_leading_zero (void)
{
  int digits[9] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
  char number[12];

  /* Even with correct check digits a leading zero is refused. */
  reference_complete (digits, number);
  assert_invalid (number, EIMZA_VALIDATION_ERROR_LEADING_ZERO);
  assert_invalid ("00000000000", EIMZA_VALIDATION_ERROR_LEADING_ZERO);
  assert_invalid (" 01000000014 ", EIMZA_VALIDATION_ERROR_LEADING_ZERO);
}

static void
test_length (void)
{
  assert_invalid ("1000000014", EIMZA_VALIDATION_ERROR_LENGTH);
  assert_invalid ("100000001460", EIMZA_VALIDATION_ERROR_LENGTH);
  assert_invalid ("1", EIMZA_VALIDATION_ERROR_LENGTH);
  assert_invalid ("0", EIMZA_VALIDATION_ERROR_LENGTH);
  assert_invalid ("1000000014610000000146", EIMZA_VALIDATION_ERROR_LENGTH);
  assert_invalid (" 1000000014 ", EIMZA_VALIDATION_ERROR_LENGTH);
}

static void
test_not_digits (void)
{
  const char *vectors[] = {
    "1000000014a",
    "a0000000146",
    "ABCDEFGHIJK",
    "1000000O146",              /* Letter O for zero. */
    "10000 000146",
    "1000000014 6",
    "10000\t000146",
    "1000-000-0146",
    "-",
    "-10000000146",
    "+10000000146",
    "1e10",
    "10000000146.",
    "1000000014\xc2\xa0" "6",   /* A no-break space inside. */
    "\xd9\xa1\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa1\xd9\xa4\xd9\xa6",
    "\xdb\xb1\xdb\xb0\xdb\xb0\xdb\xb0\xdb\xb0\xdb\xb0\xdb\xb0\xdb\xb0\xdb\xb1\xdb\xb4\xdb\xb6",
    "\xef\xbc\x91" "0000000146", /* A fullwidth 1 first. */
    "\xff" "10000000146",       /* Not UTF-8. */
    "1000000014\xe2\x80\x8b" "6", /* A zero-width space. */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    assert_invalid (vectors[i], EIMZA_VALIDATION_ERROR_NOT_DIGITS);
}

static void
test_empty (void)
{
  assert_invalid (NULL, EIMZA_VALIDATION_ERROR_EMPTY);
  assert_invalid ("", EIMZA_VALIDATION_ERROR_EMPTY);
  assert_invalid (" ", EIMZA_VALIDATION_ERROR_EMPTY);
  assert_invalid (" \t\r\n ", EIMZA_VALIDATION_ERROR_EMPTY);
  assert_invalid ("\xc2\xa0", EIMZA_VALIDATION_ERROR_EMPTY);
}

static void
test_surrounding_whitespace (void)
{
  assert_valid (" 10000000146");
  assert_valid ("10000000146 ");
  assert_valid ("\t 10000000146 \r\n");
  assert_valid ("\xc2\xa0" "10000000146" "\xc2\xa0");
}

static void
test_complete_refuses (void)
{
  const char *vectors[] = {
    "",
    "12345678",
    "1234567890",
    "012345678",
    "12345678a",
    " 12345678",
    "123456789 ",
    "12345-789",
    "\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9",
  };

  g_assert_null (eimza_tckn_complete (NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    g_assert_null (eimza_tckn_complete (vectors[i]));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/tckn/known-example", test_known_example);
  g_test_add_func ("/core/tckn/generated", test_generated);
  g_test_add_func ("/core/tckn/wrong-check-digit", test_wrong_check_digit);
  g_test_add_func ("/core/tckn/single-digit-typo", test_single_digit_typo);
  g_test_add_func ("/core/tckn/exactly-one-ending", test_exactly_one_ending);
  g_test_add_func ("/core/tckn/leading-zero", test_leading_zero);
  g_test_add_func ("/core/tckn/length", test_length);
  g_test_add_func ("/core/tckn/not-digits", test_not_digits);
  g_test_add_func ("/core/tckn/empty", test_empty);
  g_test_add_func ("/core/tckn/surrounding-whitespace", test_surrounding_whitespace);
  g_test_add_func ("/core/tckn/complete-refuses", test_complete_refuses);

  return g_test_run ();
}
