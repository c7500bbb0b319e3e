/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Words for a remembered certificate's expiry: the reminders' notifications and the welcome page. */
#pragma once

#include <gio/gio.h>

#include "eimza-expiry-store.h"

G_BEGIN_DECLS

/* "“EIMZA TEST”, serial …89ab" (never the holder's name or number). */
char          *eimza_expiry_text_describe        (EimzaExpiryRecord   *record);
/* "31.12.2027", the local day. */
char          *eimza_expiry_text_format_day      (GDateTime           *time);
/* The notification of @reminder for @record, its default action (and
 * button) app.start-renewal. */
GNotification *eimza_expiry_text_new_notification (EimzaExpiryRecord   *record,
                                                   EimzaExpiryReminder  reminder,
                                                   GDateTime           *now);
/* What the welcome page says of @record at @now: a short title and an
 * explanation (the paper route once expired, unless @eonay_given). */
void           eimza_expiry_text_for_state       (EimzaExpiryStore    *store,
                                                  EimzaExpiryRecord   *record,
                                                  GDateTime           *now,
                                                  gboolean             eonay_given,
                                                  char               **out_title,
                                                  char               **out_text);

G_END_DECLS
