/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When a certificate's renewal reminders fall due: Kamu SM's window and the days after it opens. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Kamu SM takes a renewal application at most this many months before the
 * current certificate expires (../shared/reference/LIFECYCLE.md). */
#define EIMZA_EXPIRY_WINDOW_MONTHS 3

/**
 * EimzaExpiryReminder:
 * @EIMZA_EXPIRY_REMINDER_NONE: no reminder.
 * @EIMZA_EXPIRY_REMINDER_WINDOW: the application window opened (3 months).
 * @EIMZA_EXPIRY_REMINDER_40_DAYS: 40 days left.
 * @EIMZA_EXPIRY_REMINDER_14_DAYS: 14 days left.
 * @EIMZA_EXPIRY_REMINDER_3_DAYS: 3 days left.
 * @EIMZA_EXPIRY_REMINDER_DAY: the day the certificate expires.
 *
 * The reminders of one certificate, in the order they fall due; as flags,
 * a set of them (those already sent).
 */
typedef enum {
  EIMZA_EXPIRY_REMINDER_NONE    = 0,
  EIMZA_EXPIRY_REMINDER_WINDOW  = 1 << 0,
  EIMZA_EXPIRY_REMINDER_40_DAYS = 1 << 1,
  EIMZA_EXPIRY_REMINDER_14_DAYS = 1 << 2,
  EIMZA_EXPIRY_REMINDER_3_DAYS  = 1 << 3,
  EIMZA_EXPIRY_REMINDER_DAY     = 1 << 4,
} EimzaExpiryReminder;

#define EIMZA_EXPIRY_REMINDER_ALL 0x1f

/* The local day on which @reminder falls due for a certificate that ends
 * at @not_after (its local day; the window: the same day 3 months before,
 * or the month's last day when that month is shorter). */
void                eimza_expiry_reminder_get_date    (EimzaExpiryReminder  reminder,
                                                       GDateTime           *not_after,
                                                       GDate               *out_date);

/* The reminder to send on @today for a certificate ending at @not_after of
 * which the reminders in @sent went out already: the latest one that has
 * fallen due by @today, if neither it nor a later one was sent, and only
 * until the day the certificate ends (a computer off for weeks sends one
 * reminder, the latest, not each one missed). %EIMZA_EXPIRY_REMINDER_NONE
 * when none is due. */
EimzaExpiryReminder eimza_expiry_reminder_due         (GDateTime           *not_after,
                                                       EimzaExpiryReminder  sent,
                                                       const GDate         *today);

/* @sent with @reminder and every earlier reminder added: once a later
 * reminder went out, the earlier ones are never sent. */
EimzaExpiryReminder eimza_expiry_reminder_mark_sent   (EimzaExpiryReminder  sent,
                                                       EimzaExpiryReminder  reminder);

/* Stable names for the store and for scripts: "window", "40-days",
 * "14-days", "3-days", "day"; %NULL for none or a set. */
const char         *eimza_expiry_reminder_to_string   (EimzaExpiryReminder  reminder);
EimzaExpiryReminder eimza_expiry_reminder_from_string (const char          *name);

/* Whole local days from @today to the day @not_after falls on; negative
 * after it. */
int                 eimza_expiry_days_left            (GDateTime           *not_after,
                                                       const GDate         *today);

/* The current time, or, for tests only, the time in EIMZA_TEST_NOW (ISO
 * 8601 with a time zone, e.g. "2027-01-10T09:00:00+03:00"). No user-facing
 * program path documents or needs it. */
GDateTime          *eimza_expiry_clock_now            (void);
/* The local day of @time. */
void                eimza_expiry_local_date           (GDateTime           *time,
                                                       GDate               *out_date);

G_END_DECLS
