/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Words for a remembered certificate's expiry: the reminders' notifications and the welcome page. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-control-label.h"
#include "eimza-expiry-text.h"

/* Enough of a serial to tell two cards apart. */
#define SERIAL_TAIL 8

char *
eimza_expiry_text_describe (EimzaExpiryRecord *record)
{
  const char *serial = record->serial;
  gsize length = strlen (serial);

  if (length > SERIAL_TAIL)
    serial += length - SERIAL_TAIL;

  if (record->label == NULL || *record->label == '\0')
    /* TRANSLATORS: %s is the end of a certificate's serial number */
    return g_strdup_printf (length > SERIAL_TAIL ? _("The certificate with serial …%s")
                                                 : _("The certificate with serial %s"),
                            serial);

  /* TRANSLATORS: the first %s is the card's or the issuer's name, the
   * second the end of the certificate's serial number */
  return g_strdup_printf (length > SERIAL_TAIL ? _("The certificate “%s”, serial …%s,")
                                               : _("The certificate “%s”, serial %s,"),
                          record->label, serial);
}

char *
eimza_expiry_text_format_day (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return g_date_time_format (local, "%d.%m.%Y");
}

static int
days_left (EimzaExpiryRecord *record,
           GDateTime         *now)
{
  GDate today;

  eimza_expiry_local_date (now, &today);
  return eimza_expiry_days_left (record->not_after, &today);
}

GNotification *
eimza_expiry_text_new_notification (EimzaExpiryRecord   *record,
                                    EimzaExpiryReminder  reminder,
                                    GDateTime           *now)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *what = eimza_expiry_text_describe (record);
  g_autofree char *day = eimza_expiry_text_format_day (record->not_after);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  int days = days_left (record, now);

  switch (reminder)
    {
    case EIMZA_EXPIRY_REMINDER_WINDOW:
      title = g_strdup (_("Your e-signature certificate can be renewed now"));
      /* TRANSLATORS: %s describes the certificate ("The certificate “X”, serial …1234,"),
       * then its last day */
      body = g_strdup_printf (_("%s ends on %s. Kamu SM now takes its renewal application: "
                                "apply while it is still valid, and sign the application "
                                "with it."),
                              what, day);
      break;

    case EIMZA_EXPIRY_REMINDER_DAY:
      title = g_strdup (_("Your e-signature certificate ends today"));
      body = g_strdup_printf (_("%s ends today, %s. Apply for the renewal today, while you can "
                                "still sign the application with it."),
                              what, day);
      break;

    case EIMZA_EXPIRY_REMINDER_40_DAYS:
    case EIMZA_EXPIRY_REMINDER_14_DAYS:
    case EIMZA_EXPIRY_REMINDER_3_DAYS:
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Your e-signature certificate ends in %d day",
                                            "Your e-signature certificate ends in %d days",
                                            days),
                               days);
      body = g_strdup_printf (_("%s ends on %s. Apply for the renewal while it is still valid, "
                                "and sign the application with it."),
                              what, day);
      break;

    case EIMZA_EXPIRY_REMINDER_NONE:
    default:
      g_return_val_if_reached (NULL);
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.start-renewal");
  g_notification_add_button (notification, _("Apply for Renewal"), "app.start-renewal");
  g_notification_set_priority (notification,
                               reminder >= EIMZA_EXPIRY_REMINDER_3_DAYS
                               ? G_NOTIFICATION_PRIORITY_HIGH : G_NOTIFICATION_PRIORITY_NORMAL);

  return g_steal_pointer (&notification);
}

void
eimza_expiry_text_for_state (EimzaExpiryStore   *store,
                             EimzaExpiryRecord  *record,
                             GDateTime          *now,
                             gboolean            eonay_given,
                             char              **out_title,
                             char              **out_text)
{
  g_autofree char *what = eimza_expiry_text_describe (record);
  g_autofree char *day = eimza_expiry_text_format_day (record->not_after);
  int days = days_left (record, now);

  switch (eimza_expiry_store_get_state (store, record, now))
    {
    case EIMZA_EXPIRY_STATE_VALID:
      {
        GDate window;
        char opens[16];

        eimza_expiry_reminder_get_date (EIMZA_EXPIRY_REMINDER_WINDOW, record->not_after, &window);
        g_date_strftime (opens, sizeof opens, "%d.%m.%Y", &window);
        /* TRANSLATORS: %s is a date */
        *out_title = g_strdup_printf (_("Valid until %s"), day);
        /* TRANSLATORS: the first %s describes the certificate, then two dates */
        *out_text = g_strdup_printf (_("%s is valid until %s. Its renewal can be applied for from "
                                       "%s on."),
                                     what, day, opens);
      }
      break;

    case EIMZA_EXPIRY_STATE_WINDOW_OPEN:
      *out_title = g_strdup (_("Application window open"));
      *out_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%s ends on %s, in %d day. Apply for the renewal "
                                                "now, while you can sign the application with it.",
                                                "%s ends on %s, in %d days. Apply for the renewal "
                                                "now, while you can sign the application with it.",
                                                days),
                                   what, day, days);
      break;

    case EIMZA_EXPIRY_STATE_RENEWED:
      *out_title = g_strdup (_("Your new certificate becomes valid when the old one ends"));
      /* TRANSLATORS: %s is a date */
      *out_text = g_strdup_printf (_("A newer certificate was seen on your card. It cannot be used "
                                     "before %s, when the old one ends; until then sign with the "
                                     "old card."),
                                   day);
      break;

    case EIMZA_EXPIRY_STATE_EXPIRED:
    default:
      /* TRANSLATORS: %s is a date */
      *out_title = g_strdup_printf (_("Expired on %s"), day);
      if (eonay_given)
        {
          g_autofree char *renewal = eimza_control_label_for_text (_("E-signature renewal application"));
          g_autofree char *apply = eimza_control_label_for_text (_("Apply with my e-onay"));

          /* TRANSLATORS: the first %s says which certificate, the second is
           * the welcome page's button (“E-signature renewal application”),
           * the third the signing method page's (“Apply with my e-onay”) */
          *out_text = g_strdup_printf (_("%s can no longer be used to sign. With your e-onay you "
                                         "can still apply for a new certificate: choose “%s”, "
                                         "and then “%s”."),
                                       what, renewal, apply);
        }
      else
        *out_text = g_strdup_printf (_("%s can no longer be used to sign, and no e-onay was given with this "
                                       "application. Apply on paper: fill in the renewal "
                                       "application, print it, sign it by hand and post it to "
                                       "TÜBİTAK Kamu SM in Gebze (Kocaeli)."),
                                     what);
      break;
    }
}
