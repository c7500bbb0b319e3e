/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the header bar's card status says: the card service's state, the card and its certificates. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-card-service.h"
#include "eimza-card-status-button.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_CARD_STATUS (eimza_card_status_get_type ())

G_DECLARE_FINAL_TYPE (EimzaCardStatus, eimza_card_status, EIMZA, CARD_STATUS, GObject)

/* Makes @button show @service's state (nullable: not started), the card in
 * the reader and how many certificates it holds, refreshed on every change
 * the service reports. With @remember_expiry, the signing certificates of
 * every card seen go to the renewal reminders' store (not in the demo).
 * The button owns the controller. */
void eimza_card_status_follow (EimzaCardStatusButton *button,
                               EimzaCardService      *service,
                               gboolean               remember_expiry);

G_END_DECLS
