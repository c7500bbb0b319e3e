/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the validators of names, dates, phones, e-mail and text. */
#include "config.h"

#include <string.h>
#include <time.h>

#include <glib.h>

#include "eimza-validation.h"

/* A validator of one string, so one table runner serves several fields. */
typedef gboolean (*ValidateFunc) (const char  *text,
                                  GError     **error);

/* A code that means "accepted" in the tables below. */
#define VALID (-1)

typedef struct {
  const char *text;
  int code;
} Vector;

/* Checks the outcome of one call, naming @text in the log when it is not
 * what the table says; g_assert_error alone only shows the error. */
static void
check_result (const char *text,
              gboolean    ok,
              GError     *error,
              int         expected)
{
  gboolean matches = expected == VALID
                     ? (ok && error == NULL)
                     : (!ok && g_error_matches (error, EIMZA_VALIDATION_ERROR, expected));

  if (!matches)
    g_test_message ("input: \"%s\"", text ? text : "(null)");

  if (expected == VALID)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }

  g_assert_false (ok);
  g_assert_error (error, EIMZA_VALIDATION_ERROR, expected);

  /* Messages are shown next to the field: short, full sentences. */
  g_assert_nonnull (error->message);
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), >, 0);
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <=, 70);
  g_assert_true (g_str_has_suffix (error->message, "."));
}

static void
run_vectors (ValidateFunc  func,
             const Vector *vectors,
             gsize         n_vectors)
{
  for (gsize i = 0; i < n_vectors; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = func (vectors[i].text, &error);

      check_result (vectors[i].text, ok, error, vectors[i].code);

      /* The same verdict with no error asked for. */
      g_assert_cmpint (func (vectors[i].text, NULL), ==, vectors[i].code == VALID);
    }
}

/* Person names */

static void
test_person_name_valid (void)
{
  static const Vector vectors[] = {
    { "Çağrı", VALID },
    { "İsmail", VALID },
    { "Ayşe Gül", VALID },
    { "O'Neil", VALID },
    { "Ahmet-Can", VALID },
    { "ıİğĞüÜşŞöÖçÇ", VALID },
    { "IŞIK", VALID },
    { "K.Maraş", VALID },
    { "Afyonkarahisar", VALID },
    { "Jean-Luc O'Brien", VALID },
    { "Zoë", VALID },
    { "Ñandú", VALID },
    { "Αλέξανδρος", VALID },
    { "A", VALID },
    { "  Ali  ", VALID },
    { "\tMehmet Ali\n", VALID },
    { "Mehmet Ali Can", VALID },
    /* "Çağrı" and "İsmail" typed with combining marks (NFD). */
    { "C\xcc\xa7" "ag\xcc\x86" "r\xc4\xb1", VALID },
    { "I\xcc\x87" "smail", VALID },
    /* 50 characters, and 50 two-byte characters. */
    { "Abcdefghij Abcdefghij Abcdefghij Abcdefghij Abcdef", VALID },
    { "ğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğ", VALID },
  };

  run_vectors (eimza_person_name_validate, vectors, G_N_ELEMENTS (vectors));
}

static void
test_person_name_invalid (void)
{
  static const Vector vectors[] = {
    { NULL, EIMZA_VALIDATION_ERROR_EMPTY },
    { "", EIMZA_VALIDATION_ERROR_EMPTY },
    { "  ", EIMZA_VALIDATION_ERROR_EMPTY },
    { "\t\n", EIMZA_VALIDATION_ERROR_EMPTY },
    { "Ali2", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "123", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali\xd9\xa1", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ayşe  Gül", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali@Veli", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali_Veli", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali, Veli", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali!", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "<b>Ali</b>", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali\tVeli", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali\nVeli", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali\xc2\xa0Veli", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali \xe2\x98\xba", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "-Ali", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali-", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali.", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "'Ali", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali--Can", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "O''Neil", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali -Can", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali- Can", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "'", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "\xcc\x87" "Ali", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Ali\xff", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "\xc3\x28", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "Abcdefghij Abcdefghij Abcdefghij Abcdefghij Abcdefg", EIMZA_VALIDATION_ERROR_LENGTH },
    { "ğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğğ", EIMZA_VALIDATION_ERROR_LENGTH },
  };

  run_vectors (eimza_person_name_validate, vectors, G_N_ELEMENTS (vectors));
}

/* Birth dates, all against a fixed today: 15 June 2024, a leap year. */

typedef struct {
  const char *text;
  int code;
  guint day;
  guint month;
  guint year;
} DateVector;

static void
run_date_vectors (const GDate      *today,
                  const DateVector *vectors,
                  gsize             n_vectors)
{
  for (gsize i = 0; i < n_vectors; i++)
    {
      g_autoptr(GError) error = NULL;
      GDate date;
      gboolean ok;

      g_date_clear (&date, 1);
      ok = eimza_birth_date_parse (vectors[i].text, today, &date, &error);
      check_result (vectors[i].text, ok, error, vectors[i].code);
      g_assert_cmpint (eimza_birth_date_parse (vectors[i].text, today, NULL, NULL),
                       ==, vectors[i].code == VALID);

      if (vectors[i].code == VALID)
        {
          g_assert_true (g_date_valid (&date));
          g_assert_cmpuint (g_date_get_day (&date), ==, vectors[i].day);
          g_assert_cmpuint (g_date_get_month (&date), ==, vectors[i].month);
          g_assert_cmpuint (g_date_get_year (&date), ==, vectors[i].year);
        }
    }
}

static void
test_birth_date_valid (void)
{
  static const DateVector vectors[] = {
    { "23.04.1985", VALID, 23, 4, 1985 },
    { "1.1.1990", VALID, 1, 1, 1990 },
    { "01.1.1990", VALID, 1, 1, 1990 },
    { "1.01.1990", VALID, 1, 1, 1990 },
    { "  31.12.1999\t", VALID, 31, 12, 1999 },
    { "29.02.2000", VALID, 29, 2, 2000 },   /* Divisible by 400: leap. */
    { "29.02.2004", VALID, 29, 2, 2004 },
    { "31.01.1970", VALID, 31, 1, 1970 },
    { "30.04.1970", VALID, 30, 4, 1970 },
    /* Exactly 18 today is old enough. */
    { "15.06.2006", VALID, 15, 6, 2006 },
    { "14.06.2006", VALID, 14, 6, 2006 },
    /* Exactly 130 years ago is still accepted. */
    { "15.06.1894", VALID, 15, 6, 1894 },
  };
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 15, G_DATE_JUNE, 2024);
  run_date_vectors (&today, vectors, G_N_ELEMENTS (vectors));
}

static void
test_birth_date_invalid (void)
{
  static const DateVector vectors[] = {
    { NULL, EIMZA_VALIDATION_ERROR_EMPTY, 0, 0, 0 },
    { "", EIMZA_VALIDATION_ERROR_EMPTY, 0, 0, 0 },
    { " \t ", EIMZA_VALIDATION_ERROR_EMPTY, 0, 0, 0 },
    /* Not a real day. */
    { "29.02.2001", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "29.02.1900", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "30.02.2000", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "31.04.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "31.06.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "00.01.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "32.01.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01.13.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01.00.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "99.99.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01.01.0000", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    /* Not written as day.month.year. */
    { "garbage", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "1990-01-01", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01/01/1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01-01-1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01.01.90", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01.01.19900", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "001.01.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01.001.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "1.1.1990.", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { ".1.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01..1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01.01.", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01.01", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { ".", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01. 01.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "01.01.1990 x", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "+1.01.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "-1.01.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "\xd9\xa1\xd9\xa5.\xd9\xa0\xd9\xa6.\xd9\xa2\xd9\xa0\xd9\xa0\xd9\xa0",
      EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    { "\xff" "01.01.1990", EIMZA_VALIDATION_ERROR_NOT_A_DATE, 0, 0, 0 },
    /* After today. */
    { "16.06.2024", EIMZA_VALIDATION_ERROR_IN_FUTURE, 0, 0, 0 },
    { "01.01.2030", EIMZA_VALIDATION_ERROR_IN_FUTURE, 0, 0, 0 },
    { "31.12.9999", EIMZA_VALIDATION_ERROR_IN_FUTURE, 0, 0, 0 },
    /* Under 18: born today, and 17 years and 364 days old. */
    { "15.06.2024", EIMZA_VALIDATION_ERROR_TOO_YOUNG, 0, 0, 0 },
    { "16.06.2006", EIMZA_VALIDATION_ERROR_TOO_YOUNG, 0, 0, 0 },
    { "31.12.2010", EIMZA_VALIDATION_ERROR_TOO_YOUNG, 0, 0, 0 },
    /* More than 130 years ago. */
    { "14.06.1894", EIMZA_VALIDATION_ERROR_TOO_OLD, 0, 0, 0 },
    { "01.01.1893", EIMZA_VALIDATION_ERROR_TOO_OLD, 0, 0, 0 },
    { "01.01.0001", EIMZA_VALIDATION_ERROR_TOO_OLD, 0, 0, 0 },
  };
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 15, G_DATE_JUNE, 2024);
  run_date_vectors (&today, vectors, G_N_ELEMENTS (vectors));
}

/* Born on 29 February, one turns 18 on 1 March of a common year. */
static void
test_birth_date_leap_day_birthday (void)
{
  static const DateVector on_28_february[] = {
    { "29.02.2004", EIMZA_VALIDATION_ERROR_TOO_YOUNG, 0, 0, 0 },
    { "28.02.2004", VALID, 28, 2, 2004 },
    /* Still 130 on the day before the 131st birthday. */
    { "29.02.1892", VALID, 29, 2, 1892 },
  };
  static const DateVector on_1_march[] = {
    { "29.02.2004", VALID, 29, 2, 2004 },
    { "01.03.2004", VALID, 1, 3, 2004 },
    { "02.03.2004", EIMZA_VALIDATION_ERROR_TOO_YOUNG, 0, 0, 0 },
    { "29.02.1892", VALID, 29, 2, 1892 },
  };
  static const DateVector on_2_march[] = {
    { "29.02.1892", EIMZA_VALIDATION_ERROR_TOO_OLD, 0, 0, 0 },
  };
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 28, G_DATE_FEBRUARY, 2022);
  run_date_vectors (&today, on_28_february, G_N_ELEMENTS (on_28_february));

  g_date_set_dmy (&today, 1, G_DATE_MARCH, 2022);
  run_date_vectors (&today, on_1_march, G_N_ELEMENTS (on_1_march));

  g_date_set_dmy (&today, 2, G_DATE_MARCH, 2022);
  run_date_vectors (&today, on_2_march, G_N_ELEMENTS (on_2_march));
}

/* Today's date is used when none is given. */
static void
test_birth_date_real_today (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *newborn = NULL;
  g_autofree char *tomorrow = NULL;
  g_autofree char *adult = NULL;
  GDate now;
  GDate date;

  g_date_clear (&now, 1);
  g_date_set_time_t (&now, time (NULL));
  newborn = g_strdup_printf ("%d.%d.%d", g_date_get_day (&now), g_date_get_month (&now),
                             g_date_get_year (&now));
  g_assert_false (eimza_birth_date_parse (newborn, NULL, NULL, &error));
  g_assert_error (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_TOO_YOUNG);
  g_clear_error (&error);

  g_date_add_days (&now, 1);
  tomorrow = g_strdup_printf ("%02d.%02d.%04d", g_date_get_day (&now),
                              g_date_get_month (&now), g_date_get_year (&now));
  g_assert_false (eimza_birth_date_parse (tomorrow, NULL, NULL, &error));
  g_assert_error (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_IN_FUTURE);
  g_clear_error (&error);

  g_date_subtract_years (&now, 40);
  adult = g_strdup_printf ("%d.%d.%d", g_date_get_day (&now), g_date_get_month (&now),
                           g_date_get_year (&now));
  g_date_clear (&date, 1);
  g_assert_true (eimza_birth_date_parse (adult, NULL, &date, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_date_compare (&date, &now), ==, 0);
}

/* Phones */

typedef struct {
  const char *text;
  int code;
  const char *digits;
} PhoneVector;

typedef gboolean (*PhoneParseFunc) (const char  *text,
                                    char       **out_digits,
                                    GError     **error);

static void
run_phone_vectors (PhoneParseFunc     func,
                   const PhoneVector *vectors,
                   gsize              n_vectors)
{
  for (gsize i = 0; i < n_vectors; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *digits = NULL;
      gboolean ok = func (vectors[i].text, &digits, &error);

      check_result (vectors[i].text, ok, error, vectors[i].code);
      g_assert_cmpint (func (vectors[i].text, NULL, NULL), ==, vectors[i].code == VALID);

      if (vectors[i].code == VALID)
        g_assert_cmpstr (digits, ==, vectors[i].digits);
      else
        g_assert_null (digits);
    }
}

static void
test_phone_mobile_valid (void)
{
  static const PhoneVector vectors[] = {
    { "5321234567", VALID, "5321234567" },
    { "05321234567", VALID, "5321234567" },
    { "0532 123 45 67", VALID, "5321234567" },
    { "532 123 45 67", VALID, "5321234567" },
    { "0 532 123 45 67", VALID, "5321234567" },
    { "(0532) 123 45 67", VALID, "5321234567" },
    { "0 (532) 123-45-67", VALID, "5321234567" },
    { "0532-123-4567", VALID, "5321234567" },
    { "532.123.45.67", VALID, "5321234567" },
    { "  0505 555 55 55  ", VALID, "5055555555" },
    { "0549 999 99 99", VALID, "5499999999" },
  };

  run_phone_vectors (eimza_mobile_phone_parse, vectors, G_N_ELEMENTS (vectors));
}

static void
test_phone_mobile_with_plus90 (void)
{
  static const PhoneVector vectors[] = {
    { "+905321234567", VALID, "5321234567" },
    { "+90 532 123 45 67", VALID, "5321234567" },
    { "+90 (532) 123-4567", VALID, "5321234567" },
    { "+ 90 532 123 45 67", VALID, "5321234567" },
    { "+90-532-123-45-67", VALID, "5321234567" },
    { "+90 532 123 45 6", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "+90 532 123 45 678", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "+90 0532 123 45 67", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "+90 212 123 45 67", EIMZA_VALIDATION_ERROR_NOT_MOBILE, NULL },
    { "+1 555 123 4567", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "+49 151 1234 5678", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "+", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
  };

  run_phone_vectors (eimza_mobile_phone_parse, vectors, G_N_ELEMENTS (vectors));
}

static void
test_phone_mobile_with_0090 (void)
{
  static const PhoneVector vectors[] = {
    { "00905321234567", VALID, "5321234567" },
    { "0090 532 123 45 67", VALID, "5321234567" },
    { "0090 (532) 123 4567", VALID, "5321234567" },
    { "0090 532 123 45 6", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "0090 532 123 45 678", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
  };

  run_phone_vectors (eimza_mobile_phone_parse, vectors, G_N_ELEMENTS (vectors));
}

static void
test_phone_mobile_with_90 (void)
{
  static const PhoneVector vectors[] = {
    { "905321234567", VALID, "5321234567" },
    { "90 532 123 45 67", VALID, "5321234567" },
    /* Ten digits that start with 90 are not a prefix but the number. */
    { "9053212345", EIMZA_VALIDATION_ERROR_NOT_MOBILE, NULL },
    { "90532123456", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
  };

  run_phone_vectors (eimza_mobile_phone_parse, vectors, G_N_ELEMENTS (vectors));
}

static void
test_phone_mobile_invalid (void)
{
  static const PhoneVector vectors[] = {
    { NULL, EIMZA_VALIDATION_ERROR_EMPTY, NULL },
    { "", EIMZA_VALIDATION_ERROR_EMPTY, NULL },
    { "   ", EIMZA_VALIDATION_ERROR_EMPTY, NULL },
    /* Ten digits that are not a mobile number. */
    { "2121234567", EIMZA_VALIDATION_ERROR_NOT_MOBILE, NULL },
    { "0212 123 45 67", EIMZA_VALIDATION_ERROR_NOT_MOBILE, NULL },
    { "0312 123 45 67", EIMZA_VALIDATION_ERROR_NOT_MOBILE, NULL },
    { "0850 123 45 67", EIMZA_VALIDATION_ERROR_NOT_MOBILE, NULL },
    { "444 12 34 567", EIMZA_VALIDATION_ERROR_NOT_MOBILE, NULL },
    /* Too few or too many digits. */
    { "532123456", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "0532 123 45 6", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "53212345678", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "053212345678", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "00532 123 45 67", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "0 532 123 45 6", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "0532123456", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "4441234", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "112", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "()--", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    /* Something other than digits and separators. */
    { "0532 123 45 6a", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "0532/123 45 67", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "0532_123_45_67", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "5321234567+", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "++905321234567", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "0532 123 45 67 ext 12", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "\xd9\xa5\xd9\xa3\xd9\xa2\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7",
      EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "\xef\xbc\x95" "321234567", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "0532\xff" "1234567", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
  };

  run_phone_vectors (eimza_mobile_phone_parse, vectors, G_N_ELEMENTS (vectors));
}

static void
test_phone_landline (void)
{
  static const PhoneVector vectors[] = {
    { "0312 123 45 67", VALID, "3121234567" },
    { "212 123 45 67", VALID, "2121234567" },
    { "(0216) 123 45 67", VALID, "2161234567" },
    { "+90 (216) 123 45 67", VALID, "2161234567" },
    { "0090 232 123 4567", VALID, "2321234567" },
    { "904121234567", VALID, "4121234567" },
    { "0850 123 45 67", VALID, "8501234567" },
    { "0 850 123 45 67", VALID, "8501234567" },
    { NULL, EIMZA_VALIDATION_ERROR_EMPTY, NULL },
    { " ", EIMZA_VALIDATION_ERROR_EMPTY, NULL },
    { "0532 123 45 67", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "0800 123 45 67", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "0900 123 45 67", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "0851 123 45 67", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "0123 456 78 90", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "0312 123 45 6", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "0312 123 45 678", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "123 45 67", EIMZA_VALIDATION_ERROR_LENGTH, NULL },
    { "0312 abc 45 67", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
    { "+44 20 7946 0958", EIMZA_VALIDATION_ERROR_FORMAT, NULL },
  };

  run_phone_vectors (eimza_landline_phone_parse, vectors, G_N_ELEMENTS (vectors));
}

static void
test_phone_format (void)
{
  static const struct {
    const char *in;
    const char *out;
  } vectors[] = {
    { "5321234567", "532 123 45 67" },
    { "3121234567", "312 123 45 67" },
    { "8501234567", "850 123 45 67" },
    /* Anything else comes back unchanged. */
    { "", "" },
    { "123", "123" },
    { "53212345678", "53212345678" },
    { "532123456a", "532123456a" },
    { "532 123 45 67", "532 123 45 67" },
    { "ğğğğğ", "ğğğğğ" },
  };

  g_assert_null (eimza_phone_format (NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *formatted = eimza_phone_format (vectors[i].in);

      g_assert_cmpstr (formatted, ==, vectors[i].out);
    }
}

/* Parsing a formatted number gives the same digits back. */
static void
test_phone_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (90);

  for (int n = 0; n < 200; n++)
    {
      char digits[11];
      g_autofree char *formatted = NULL;
      g_autofree char *with_plus = NULL;
      g_autofree char *parsed = NULL;
      g_autofree char *parsed_again = NULL;

      digits[0] = '5';
      for (int i = 1; i < 10; i++)
        digits[i] = (char) ('0' + g_rand_int_range (rand, 0, 10));
      digits[10] = '\0';

      formatted = eimza_phone_format (digits);
      g_assert_true (eimza_mobile_phone_parse (formatted, &parsed, NULL));
      g_assert_cmpstr (parsed, ==, digits);

      with_plus = g_strconcat ("+90 ", formatted, NULL);
      g_assert_true (eimza_mobile_phone_parse (with_plus, &parsed_again, NULL));
      g_assert_cmpstr (parsed_again, ==, digits);
    }
}

static void
test_phone_extension (void)
{
  static const Vector vectors[] = {
    { "1", VALID },
    { "123", VALID },
    { "123456", VALID },
    { "000", VALID },
    { " 42 ", VALID },
    { NULL, EIMZA_VALIDATION_ERROR_EMPTY },
    { "", EIMZA_VALIDATION_ERROR_EMPTY },
    { "  ", EIMZA_VALIDATION_ERROR_EMPTY },
    { "1234567", EIMZA_VALIDATION_ERROR_LENGTH },
    { "12a", EIMZA_VALIDATION_ERROR_NOT_DIGITS },
    { "1 2", EIMZA_VALIDATION_ERROR_NOT_DIGITS },
    { "-1", EIMZA_VALIDATION_ERROR_NOT_DIGITS },
    { "#12", EIMZA_VALIDATION_ERROR_NOT_DIGITS },
    { "\xd9\xa1\xd9\xa2", EIMZA_VALIDATION_ERROR_NOT_DIGITS },
  };

  run_vectors (eimza_phone_extension_validate, vectors, G_N_ELEMENTS (vectors));
}

/* E-mail */

static void
test_email_valid (void)
{
  static const Vector vectors[] = {
    { "a@b.co", VALID },
    { "ad.soyad@meb.gov.tr", VALID },
    { "AHMET.YILMAZ@MEB.GOV.TR", VALID },
    { "first.last+tag@example.com", VALID },
    { "user_name@sub-domain.example.org", VALID },
    { "x!#$%&'*+/=?^_`{|}~-y@example.com", VALID },
    { "1234@example.com.tr", VALID },
    { "a@1.tr", VALID },
    { "a@xn--rnek-zra.com", VALID },
    { "  ali@example.com\t", VALID },
  };

  run_vectors (eimza_email_validate, vectors, G_N_ELEMENTS (vectors));
}

static void
test_email_invalid (void)
{
  static const Vector vectors[] = {
    { NULL, EIMZA_VALIDATION_ERROR_EMPTY },
    { "", EIMZA_VALIDATION_ERROR_EMPTY },
    { "   ", EIMZA_VALIDATION_ERROR_EMPTY },
    { "plainaddress", EIMZA_VALIDATION_ERROR_FORMAT },
    { "@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@", EIMZA_VALIDATION_ERROR_FORMAT },
    { "@", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@veli@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example.c", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example.12", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example.c0m", EIMZA_VALIDATION_ERROR_FORMAT },
    { ".ali@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali.@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali..veli@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@-example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example-.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example.-com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example..com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@.example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example.com.", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@exam_ple.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali veli@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@exam ple.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali\t@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali(veli)@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "\"ali\"@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali,veli@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example.com>", EIMZA_VALIDATION_ERROR_FORMAT },
    { "Ali <ali@example.com>", EIMZA_VALIDATION_ERROR_FORMAT },
    { "çağrı@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@örnek.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali\xc2\xa0veli@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali\xff@example.com", EIMZA_VALIDATION_ERROR_FORMAT },
    { "ali@example\xff.com", EIMZA_VALIDATION_ERROR_FORMAT },
  };

  run_vectors (eimza_email_validate, vectors, G_N_ELEMENTS (vectors));
}

/* 254 characters are allowed, 255 are not; a 65-character local part or
 * a 64-character label is malformed however short the whole is. */
static void
test_email_length (void)
{
  g_autofree char *local = g_strnfill (64, 'a');
  g_autofree char *long_local = g_strnfill (65, 'a');
  g_autofree char *label = g_strnfill (63, 'b');
  g_autofree char *long_label = g_strnfill (64, 'b');
  g_autofree char *third = g_strnfill (57, 'd');
  g_autofree char *longest = g_strdup_printf ("%s@%s.%s.%s.com", local, label, label, third);
  g_autofree char *too_long = g_strdup_printf ("%s@%s.%s.%sd.com", local, label, label, third);
  g_autofree char *bad_local = g_strdup_printf ("%s@example.com", long_local);
  g_autofree char *bad_label = g_strdup_printf ("ali@%s.com", long_label);
  const Vector vectors[] = {
    { longest, VALID },
    { too_long, EIMZA_VALIDATION_ERROR_LENGTH },
    { bad_local, EIMZA_VALIDATION_ERROR_FORMAT },
    { bad_label, EIMZA_VALIDATION_ERROR_FORMAT },
  };

  g_assert_cmpuint (strlen (longest), ==, 254);
  g_assert_cmpuint (strlen (too_long), ==, 255);
  run_vectors (eimza_email_validate, vectors, G_N_ELEMENTS (vectors));
}

/* Security word */

static void
test_security_word (void)
{
  static const Vector vectors[] = {
    { "abcd", VALID },
    { "1234", VALID },
    { "Güvenli1", VALID },
    { "ÇĞİÖŞÜçğıöşü", VALID },
    { "abcdefghijklmnopqrst", VALID },
    { "ğğğğğğğğğğğğğğğğğğğğ", VALID },
    { "C\xcc\xa7" "ic\xcc\xa7" "ek", VALID },   /* "Çiçek" decomposed. */
    { "  parola  ", VALID },
    { NULL, EIMZA_VALIDATION_ERROR_EMPTY },
    { "", EIMZA_VALIDATION_ERROR_EMPTY },
    { " \t ", EIMZA_VALIDATION_ERROR_EMPTY },
    { "abc", EIMZA_VALIDATION_ERROR_LENGTH },
    { "ğğğ", EIMZA_VALIDATION_ERROR_LENGTH },
    { "abcdefghijklmnopqrstu", EIMZA_VALIDATION_ERROR_LENGTH },
    { "ab cd", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "abc!", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "abc-def", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "abc_def", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "abc\xd9\xa1\xd9\xa2", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "abc\xc2\xa0" "def", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { "abcd\xff", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
  };

  run_vectors (eimza_security_word_validate, vectors, G_N_ELEMENTS (vectors));
}

/* Required text */

typedef struct {
  const char *text;
  guint max_chars;
  int code;
} TextVector;

static void
test_required_text (void)
{
  static const TextVector vectors[] = {
    { "Ankara", 10, VALID },
    { "Milli Eğitim Müdürlüğü", 100, VALID },
    { "abcdefghij", 10, VALID },
    { "ğğğğğğğğğğ", 10, VALID },
    { "  x  ", 1, VALID },
    { "Line one\nline two", 100, VALID },
    { "e\xcc\x81", 1, VALID },
    { NULL, 10, EIMZA_VALIDATION_ERROR_EMPTY },
    { "", 10, EIMZA_VALIDATION_ERROR_EMPTY },
    { "   ", 10, EIMZA_VALIDATION_ERROR_EMPTY },
    { "\t\n\xc2\xa0", 10, EIMZA_VALIDATION_ERROR_EMPTY },
    { "abcdefghijk", 10, EIMZA_VALIDATION_ERROR_LENGTH },
    { "ğğğğğğğğğğğ", 10, EIMZA_VALIDATION_ERROR_LENGTH },
    { "ab", 1, EIMZA_VALIDATION_ERROR_LENGTH },
    { "abc\xff", 10, EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = eimza_required_text_validate (vectors[i].text, vectors[i].max_chars, &error);

      check_result (vectors[i].text, ok, error, vectors[i].code);
    }
}

/* The length message names the limit, in the plural form that fits. */
static void
test_required_text_message (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (eimza_required_text_validate ("abcd", 3, &error));
  g_assert_error (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LENGTH);
  g_assert_nonnull (strstr (error->message, "3"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/person-name/valid", test_person_name_valid);
  g_test_add_func ("/core/person-name/invalid", test_person_name_invalid);
  g_test_add_func ("/core/birth-date/valid", test_birth_date_valid);
  g_test_add_func ("/core/birth-date/invalid", test_birth_date_invalid);
  g_test_add_func ("/core/birth-date/leap-day-birthday", test_birth_date_leap_day_birthday);
  g_test_add_func ("/core/birth-date/real-today", test_birth_date_real_today);
  g_test_add_func ("/core/phone/mobile/valid", test_phone_mobile_valid);
  g_test_add_func ("/core/phone/mobile/with-plus90", test_phone_mobile_with_plus90);
  g_test_add_func ("/core/phone/mobile/with-0090", test_phone_mobile_with_0090);
  g_test_add_func ("/core/phone/mobile/with-90", test_phone_mobile_with_90);
  g_test_add_func ("/core/phone/mobile/invalid", test_phone_mobile_invalid);
  g_test_add_func ("/core/phone/landline", test_phone_landline);
  g_test_add_func ("/core/phone/format", test_phone_format);
  g_test_add_func ("/core/phone/round-trip", test_phone_round_trip);
  g_test_add_func ("/core/phone/extension", test_phone_extension);
  g_test_add_func ("/core/email/valid", test_email_valid);
  g_test_add_func ("/core/email/invalid", test_email_invalid);
  g_test_add_func ("/core/email/length", test_email_length);
  g_test_add_func ("/core/security-word", test_security_word);
  g_test_add_func ("/core/required-text/vectors", test_required_text);
  g_test_add_func ("/core/required-text/message", test_required_text_message);

  return g_test_run ();
}
