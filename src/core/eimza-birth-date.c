/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsing and checking the birth date typed on the application pages. */
#include "config.h"

#include <time.h>

#include <glib/gi18n-lib.h>

#include "eimza-validation.h"
#include "eimza-validation-private.h"

#define MINIMUM_AGE 18
#define MAXIMUM_AGE 130

/* Reads @min_digits to @max_digits ASCII digits at *@p and moves *@p past
 * them. A longer run of digits is left for the caller to trip over. */
static gboolean
read_number (const char **p,
             guint        min_digits,
             guint        max_digits,
             guint       *out_value)
{
  guint n_digits = 0;
  guint value = 0;

  while (n_digits < max_digits && **p >= '0' && **p <= '9')
    {
      value = value * 10 + (guint) (**p - '0');
      (*p)++;
      n_digits++;
    }

  if (n_digits < min_digits)
    return FALSE;

  *out_value = value;
  return TRUE;
}

/* The day on which a person born on @birth turns @years old. Someone born
 * on 29 February comes of age on 1 March in a common year (g_date_add_years
 * would say 28 February): the later reading, so nobody is accepted a day
 * early. */
static void
get_birthday_at_age (const GDate *birth,
                     guint        years,
                     GDate       *out_date)
{
  GDateYear year = g_date_get_year (birth) + years;
  GDateMonth month = g_date_get_month (birth);
  GDateDay day = g_date_get_day (birth);

  if (month == G_DATE_FEBRUARY && day == 29 && !g_date_is_leap_year (year))
    {
      month = G_DATE_MARCH;
      day = 1;
    }

  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, day, month, year);
}

gboolean
eimza_birth_date_parse (const char   *text,
                        const GDate  *today,
                        GDate        *out_date,
                        GError      **error)
{
  g_autofree char *stripped = NULL;
  const char *p;
  guint day;
  guint month;
  guint year;
  GDate now;
  GDate birth;
  GDate birthday;

  g_return_val_if_fail (today == NULL || g_date_valid (today), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = eimza_validation_strip (text);
  if (*stripped == '\0')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                           _("Enter your date of birth."));
      return FALSE;
    }

  p = stripped;
  if (!read_number (&p, 1, 2, &day)
      || *p++ != '.'
      || !read_number (&p, 1, 2, &month)
      || *p++ != '.'
      || !read_number (&p, 4, 4, &year)
      || *p != '\0')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_NOT_A_DATE,
                           _("Enter the date as day.month.year, for example 23.04.1985."));
      return FALSE;
    }

  /* Range-check before the casts: GDateMonth is an enum. */
  if (day < 1 || day > 31 || month < 1 || month > 12
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_NOT_A_DATE,
                           _("This date does not exist: check the day and the month."));
      return FALSE;
    }

  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, (GDateDay) day, (GDateMonth) month, (GDateYear) year);

  if (today == NULL)
    {
      g_date_clear (&now, 1);
      g_date_set_time_t (&now, time (NULL));
      today = &now;
    }

  if (g_date_compare (&birth, today) > 0)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_IN_FUTURE,
                           _("A date of birth cannot be in the future: check the year."));
      return FALSE;
    }

  get_birthday_at_age (&birth, MAXIMUM_AGE, &birthday);
  if (g_date_compare (&birthday, today) < 0)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_TOO_OLD,
                           _("This date is more than 130 years ago: check the year."));
      return FALSE;
    }

  get_birthday_at_age (&birth, MINIMUM_AGE, &birthday);
  if (g_date_compare (&birthday, today) > 0)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_TOO_YOUNG,
                           _("You must be at least 18 years old to apply."));
      return FALSE;
    }

  if (out_date != NULL)
    *out_date = birth;

  return TRUE;
}
