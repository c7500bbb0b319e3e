/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When a certificate's renewal reminders fall due: Kamu SM's window and the days after it opens. */
#include "config.h"

#include "eimza-expiry-schedule.h"

static const struct {
  EimzaExpiryReminder reminder;
  const char *name;
  /* Days before the last day; 0 with months for the window. */
  int days_before;
} stages[] = {
  { EIMZA_EXPIRY_REMINDER_WINDOW, "window", -1 },
  { EIMZA_EXPIRY_REMINDER_40_DAYS, "40-days", 40 },
  { EIMZA_EXPIRY_REMINDER_14_DAYS, "14-days", 14 },
  { EIMZA_EXPIRY_REMINDER_3_DAYS, "3-days", 3 },
  { EIMZA_EXPIRY_REMINDER_DAY, "day", 0 },
};

void
eimza_expiry_local_date (GDateTime *time,
                         GDate     *out_date)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_if_fail (time != NULL);
  g_return_if_fail (out_date != NULL);

  local = g_date_time_to_local (time);
  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
}

void
eimza_expiry_reminder_get_date (EimzaExpiryReminder  reminder,
                                GDateTime           *not_after,
                                GDate               *out_date)
{
  g_return_if_fail (not_after != NULL);
  g_return_if_fail (out_date != NULL);

  eimza_expiry_local_date (not_after, out_date);

  for (gsize i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      if (stages[i].reminder != reminder)
        continue;

      if (stages[i].days_before < 0)
        g_date_subtract_months (out_date, EIMZA_EXPIRY_WINDOW_MONTHS);
      else
        g_date_subtract_days (out_date, stages[i].days_before);
      return;
    }

  g_return_if_reached ();
}

EimzaExpiryReminder
eimza_expiry_reminder_due (GDateTime           *not_after,
                           EimzaExpiryReminder  sent,
                           const GDate         *today)
{
  GDate last_day;

  g_return_val_if_fail (not_after != NULL, EIMZA_EXPIRY_REMINDER_NONE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), EIMZA_EXPIRY_REMINDER_NONE);

  eimza_expiry_local_date (not_after, &last_day);
  if (g_date_compare (today, &last_day) > 0)
    return EIMZA_EXPIRY_REMINDER_NONE;

  /* From the last stage back: the first that has begun is the one due. */
  for (gsize i = G_N_ELEMENTS (stages); i-- > 0;)
    {
      GDate start;

      eimza_expiry_reminder_get_date (stages[i].reminder, not_after, &start);
      if (g_date_compare (&start, today) > 0)
        continue;

      /* This one or a later one was sent: nothing new until the next. */
      if (sent >= stages[i].reminder)
        return EIMZA_EXPIRY_REMINDER_NONE;

      return stages[i].reminder;
    }

  return EIMZA_EXPIRY_REMINDER_NONE;
}

EimzaExpiryReminder
eimza_expiry_reminder_mark_sent (EimzaExpiryReminder sent,
                                 EimzaExpiryReminder reminder)
{
  if (reminder == EIMZA_EXPIRY_REMINDER_NONE)
    return sent;

  /* Each stage's bit is above the earlier ones': all bits up to it. */
  return (EimzaExpiryReminder) (sent | reminder | (reminder - 1));
}

const char *
eimza_expiry_reminder_to_string (EimzaExpiryReminder reminder)
{
  for (gsize i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      if (stages[i].reminder == reminder)
        return stages[i].name;
    }

  return NULL;
}

EimzaExpiryReminder
eimza_expiry_reminder_from_string (const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (stages); i++)
    {
      if (g_str_equal (stages[i].name, name))
        return stages[i].reminder;
    }

  return EIMZA_EXPIRY_REMINDER_NONE;
}

int
eimza_expiry_days_left (GDateTime   *not_after,
                        const GDate *today)
{
  GDate last_day;

  g_return_val_if_fail (not_after != NULL, 0);
  g_return_val_if_fail (today != NULL && g_date_valid (today), 0);

  eimza_expiry_local_date (not_after, &last_day);

  return g_date_days_between (today, &last_day);
}

GDateTime *
eimza_expiry_clock_now (void)
{
  const char *fixed = g_getenv ("EIMZA_TEST_NOW");

  /* Test-only: the reminder tests run at chosen dates. */
  if (fixed != NULL && *fixed != '\0')
    {
      GDateTime *now = g_date_time_new_from_iso8601 (fixed, NULL);

      if (now != NULL)
        return now;
      g_warning ("EIMZA_TEST_NOW is not an ISO 8601 time with a zone: %s", fixed);
    }

  return g_date_time_new_now_utc ();
}
