/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for when renewal reminders fall due. */
#include "config.h"

#include <glib.h>

#include "eimza-expiry-schedule.h"

/* Times in Turkey's zone (+03:00, no daylight saving): the local day of
 * every date below is the one written. */
static GDateTime *
at (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

static void
set_day (GDate *date,
         int    year,
         int    month,
         int    day)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

static EimzaExpiryReminder
due_on (GDateTime           *not_after,
        EimzaExpiryReminder  sent,
        int                  year,
        int                  month,
        int                  day)
{
  GDate today;

  set_day (&today, year, month, day);
  return eimza_expiry_reminder_due (not_after, sent, &today);
}

static void
test_dates (void)
{
  g_autoptr(GDateTime) not_after = at ("2027-05-31T14:00:00+03:00");
  GDate date;

  eimza_expiry_reminder_get_date (EIMZA_EXPIRY_REMINDER_WINDOW, not_after, &date);
  /* 31 May - 3 months: February has no 31st, its last day. */
  g_assert_cmpint (g_date_get_year (&date), ==, 2027);
  g_assert_cmpint (g_date_get_month (&date), ==, 2);
  g_assert_cmpint (g_date_get_day (&date), ==, 28);

  eimza_expiry_reminder_get_date (EIMZA_EXPIRY_REMINDER_40_DAYS, not_after, &date);
  g_assert_cmpint (g_date_get_month (&date), ==, 4);
  g_assert_cmpint (g_date_get_day (&date), ==, 21);
  eimza_expiry_reminder_get_date (EIMZA_EXPIRY_REMINDER_14_DAYS, not_after, &date);
  g_assert_cmpint (g_date_get_day (&date), ==, 17);
  eimza_expiry_reminder_get_date (EIMZA_EXPIRY_REMINDER_3_DAYS, not_after, &date);
  g_assert_cmpint (g_date_get_day (&date), ==, 28);
  eimza_expiry_reminder_get_date (EIMZA_EXPIRY_REMINDER_DAY, not_after, &date);
  g_assert_cmpint (g_date_get_day (&date), ==, 31);
}

/* Each stage falls due on its first day and stays due until sent. */
static void
test_each_stage (void)
{
  g_autoptr(GDateTime) not_after = at ("2027-06-15T10:00:00+03:00");
  EimzaExpiryReminder sent = EIMZA_EXPIRY_REMINDER_NONE;

  g_assert_cmpint (due_on (not_after, sent, 2027, 3, 14), ==, EIMZA_EXPIRY_REMINDER_NONE);
  g_assert_cmpint (due_on (not_after, sent, 2027, 3, 15), ==, EIMZA_EXPIRY_REMINDER_WINDOW);
  g_assert_cmpint (due_on (not_after, sent, 2027, 4, 1), ==, EIMZA_EXPIRY_REMINDER_WINDOW);
  sent = eimza_expiry_reminder_mark_sent (sent, EIMZA_EXPIRY_REMINDER_WINDOW);
  g_assert_cmpint (due_on (not_after, sent, 2027, 3, 15), ==, EIMZA_EXPIRY_REMINDER_NONE);
  g_assert_cmpint (due_on (not_after, sent, 2027, 5, 5), ==, EIMZA_EXPIRY_REMINDER_NONE);

  g_assert_cmpint (due_on (not_after, sent, 2027, 5, 6), ==, EIMZA_EXPIRY_REMINDER_40_DAYS);
  sent = eimza_expiry_reminder_mark_sent (sent, EIMZA_EXPIRY_REMINDER_40_DAYS);
  g_assert_cmpint (due_on (not_after, sent, 2027, 5, 31), ==, EIMZA_EXPIRY_REMINDER_NONE);

  g_assert_cmpint (due_on (not_after, sent, 2027, 6, 1), ==, EIMZA_EXPIRY_REMINDER_14_DAYS);
  sent = eimza_expiry_reminder_mark_sent (sent, EIMZA_EXPIRY_REMINDER_14_DAYS);
  g_assert_cmpint (due_on (not_after, sent, 2027, 6, 11), ==, EIMZA_EXPIRY_REMINDER_NONE);

  g_assert_cmpint (due_on (not_after, sent, 2027, 6, 12), ==, EIMZA_EXPIRY_REMINDER_3_DAYS);
  sent = eimza_expiry_reminder_mark_sent (sent, EIMZA_EXPIRY_REMINDER_3_DAYS);
  g_assert_cmpint (due_on (not_after, sent, 2027, 6, 14), ==, EIMZA_EXPIRY_REMINDER_NONE);

  g_assert_cmpint (due_on (not_after, sent, 2027, 6, 15), ==, EIMZA_EXPIRY_REMINDER_DAY);
  sent = eimza_expiry_reminder_mark_sent (sent, EIMZA_EXPIRY_REMINDER_DAY);
  g_assert_cmpint (sent, ==, EIMZA_EXPIRY_REMINDER_ALL);
  g_assert_cmpint (due_on (not_after, sent, 2027, 6, 15), ==, EIMZA_EXPIRY_REMINDER_NONE);
}

/* A computer that was off: the latest reminder, once; and after the last
 * day, none at all. */
static void
test_missed_and_after (void)
{
  g_autoptr(GDateTime) not_after = at ("2027-06-15T10:00:00+03:00");
  EimzaExpiryReminder sent;

  g_assert_cmpint (due_on (not_after, 0, 2027, 6, 2), ==, EIMZA_EXPIRY_REMINDER_14_DAYS);
  sent = eimza_expiry_reminder_mark_sent (0, EIMZA_EXPIRY_REMINDER_14_DAYS);
  g_assert_cmpint (sent, ==, EIMZA_EXPIRY_REMINDER_WINDOW | EIMZA_EXPIRY_REMINDER_40_DAYS |
                             EIMZA_EXPIRY_REMINDER_14_DAYS);
  g_assert_cmpint (due_on (not_after, sent, 2027, 6, 3), ==, EIMZA_EXPIRY_REMINDER_NONE);

  /* The day itself counts after the hour it ends; the next day not. */
  g_assert_cmpint (due_on (not_after, 0, 2027, 6, 15), ==, EIMZA_EXPIRY_REMINDER_DAY);
  g_assert_cmpint (due_on (not_after, 0, 2027, 6, 16), ==, EIMZA_EXPIRY_REMINDER_NONE);
  g_assert_cmpint (due_on (not_after, 0, 2029, 1, 1), ==, EIMZA_EXPIRY_REMINDER_NONE);
}

/* The local day decides: 23:30 UTC on the 14th is the 15th in Turkey. */
static void
test_local_day (void)
{
  g_autoptr(GDateTime) not_after = at ("2027-06-14T23:30:00Z");
  GDate today;

  g_assert_true (g_setenv ("TZ", "<+03>-3", TRUE));
  tzset ();
  set_day (&today, 2027, 6, 15);
  g_assert_cmpint (eimza_expiry_days_left (not_after, &today), ==, 0);
  g_assert_cmpint (eimza_expiry_reminder_due (not_after, 0, &today), ==,
                   EIMZA_EXPIRY_REMINDER_DAY);
  set_day (&today, 2027, 6, 1);
  g_assert_cmpint (eimza_expiry_days_left (not_after, &today), ==, 14);
}

static void
test_names (void)
{
  for (EimzaExpiryReminder r = EIMZA_EXPIRY_REMINDER_WINDOW; r <= EIMZA_EXPIRY_REMINDER_DAY; r <<= 1)
    {
      const char *name = eimza_expiry_reminder_to_string (r);

      g_assert_nonnull (name);
      g_assert_cmpint (eimza_expiry_reminder_from_string (name), ==, r);
    }
  g_assert_null (eimza_expiry_reminder_to_string (EIMZA_EXPIRY_REMINDER_NONE));
  g_assert_null (eimza_expiry_reminder_to_string (EIMZA_EXPIRY_REMINDER_ALL));
  g_assert_cmpint (eimza_expiry_reminder_from_string ("tomorrow"), ==, EIMZA_EXPIRY_REMINDER_NONE);
  g_assert_cmpint (eimza_expiry_reminder_from_string (NULL), ==, EIMZA_EXPIRY_REMINDER_NONE);
}

static void
test_clock (void)
{
  g_autoptr(GDateTime) fixed = NULL;
  g_autoptr(GDateTime) real = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();

  g_assert_true (g_setenv ("EIMZA_TEST_NOW", "2027-03-15T09:00:00+03:00", TRUE));
  fixed = eimza_expiry_clock_now ();
  g_assert_cmpint (g_date_time_to_unix (fixed), ==, 1805090400);

  g_unsetenv ("EIMZA_TEST_NOW");
  real = eimza_expiry_clock_now ();
  g_assert_cmpint (g_date_time_compare (real, before), >=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_setenv ("TZ", "<+03>-3", TRUE);
  tzset ();

  g_test_add_func ("/expiry-schedule/dates", test_dates);
  g_test_add_func ("/expiry-schedule/each-stage", test_each_stage);
  g_test_add_func ("/expiry-schedule/missed-and-after", test_missed_and_after);
  g_test_add_func ("/expiry-schedule/local-day", test_local_day);
  g_test_add_func ("/expiry-schedule/names", test_names);
  g_test_add_func ("/expiry-schedule/clock", test_clock);

  return g_test_run ();
}
