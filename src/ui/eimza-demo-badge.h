/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The header bar's discreet "Demo" badge and what it tells about the demo. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-demo.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_DEMO_BADGE (eimza_demo_badge_get_type ())

G_DECLARE_FINAL_TYPE (EimzaDemoBadge, eimza_demo_badge, EIMZA, DEMO_BADGE, GtkMenuButton)

/* Its popover says what the demo is, whom to sign in as, the virtual
 * card's PIN (or why there is no card) and the last SMS code sent. */
GtkWidget *eimza_demo_badge_new (EimzaDemo *demo);

G_END_DECLS
