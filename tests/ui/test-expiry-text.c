/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the words of the renewal reminders and the welcome page (src/ui/eimza-expiry-text.c). */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "eimza-expiry-text.h"

#define ISSUER "CN=EIMZA Test CA"

static GDateTime *
at (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

static EimzaExpiryRecord *
add (EimzaExpiryStore *store,
     const char       *serial,
     const char       *not_after_iso)
{
  g_autoptr(GDateTime) not_after = at (not_after_iso);

  eimza_expiry_store_remember (store, serial, ISSUER, "holder", "EIMZA TEST", not_after);
  return eimza_expiry_store_lookup (store, serial, ISSUER);
}

static void
assert_state_text (EimzaExpiryStore  *store,
                   EimzaExpiryRecord *record,
                   const char        *now_iso,
                   gboolean           eonay_given,
                   const char        *title,
                   const char        *part)
{
  g_autoptr(GDateTime) now = at (now_iso);
  g_autofree char *got_title = NULL;
  g_autofree char *text = NULL;

  eimza_expiry_text_for_state (store, record, now, eonay_given, &got_title, &text);
  g_test_message ("%s: %s", got_title, text);
  g_assert_cmpstr (got_title, ==, title);
  g_assert_nonnull (strstr (text, part));
}

static void
test_states (void)
{
  g_autoptr(EimzaExpiryStore) store = eimza_expiry_store_new ();
  EimzaExpiryRecord *record = add (store, "0a1b2c3d4e5f6a7b8c", "2027-06-15T07:00:00Z");

  assert_state_text (store, record, "2027-01-10T09:00:00+03:00", FALSE, "Valid until 15.06.2027",
                     "can be applied for from 15.03.2027 on");
  assert_state_text (store, record, "2027-04-01T09:00:00+03:00", FALSE, "Application window open",
                     "ends on 15.06.2027, in 75 days");
  assert_state_text (store, record, "2027-06-16T09:00:00+03:00", FALSE, "Expired on 15.06.2027",
                     "print it, sign it by hand and post it to TÜBİTAK Kamu SM in Gebze");
  assert_state_text (store, record, "2027-06-16T09:00:00+03:00", TRUE, "Expired on 15.06.2027",
                     "choose “E-signature renewal application”, and then “Apply with my e-onay”");

  add (store, "ff", "2030-06-01T07:00:00Z");
  assert_state_text (store, record, "2027-06-01T09:00:00+03:00", FALSE,
                     "Your new certificate becomes valid when the old one ends",
                     "cannot be used before 15.06.2027");
}

static void
test_notifications (void)
{
  g_autoptr(EimzaExpiryStore) store = eimza_expiry_store_new ();
  EimzaExpiryRecord *record = add (store, "0a1b2c3d4e5f6a7b8c", "2027-06-15T07:00:00Z");
  g_autoptr(GDateTime) now = at ("2027-06-12T09:00:00+03:00");
  g_autofree char *what = eimza_expiry_text_describe (record);

  /* The serial's end, the label; never more of the serial than needed. */
  g_assert_cmpstr (what, ==, "The certificate “EIMZA TEST”, serial …5f6a7b8c,");

  for (EimzaExpiryReminder r = EIMZA_EXPIRY_REMINDER_WINDOW; r <= EIMZA_EXPIRY_REMINDER_DAY; r <<= 1)
    {
      g_autoptr(GNotification) notification = eimza_expiry_text_new_notification (record, r, now);

      g_assert_nonnull (notification);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_setenv ("TZ", "<+03>-3", TRUE);
  tzset ();

  g_test_add_func ("/expiry-text/states", test_states);
  g_test_add_func ("/expiry-text/notifications", test_notifications);

  return g_test_run ();
}
