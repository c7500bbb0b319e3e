/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One browser in the browsers dialog: its name, whether it can use the card, and a button to register or remove the module. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-browser-profile.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_BROWSER_ROW (eimza_browser_row_get_type ())

G_DECLARE_FINAL_TYPE (EimzaBrowserRow, eimza_browser_row, EIMZA, BROWSER_ROW, GtkListBoxRow)

/* Follows @profile's state. Its button emits ::change-requested with
 * %TRUE to register, %FALSE to remove. */
GtkWidget           *eimza_browser_row_new         (EimzaBrowserProfile *profile);

EimzaBrowserProfile *eimza_browser_row_get_profile (EimzaBrowserRow     *self);

/* While a change runs: a spinner, the button off. */
void                 eimza_browser_row_set_busy    (EimzaBrowserRow     *self,
                                                    gboolean             busy);
/* What the last change could not do (translated), or %NULL. */
void                 eimza_browser_row_set_error   (EimzaBrowserRow     *self,
                                                    const char          *message);

G_END_DECLS
