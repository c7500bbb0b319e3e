/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The header bar's card status: reader, card and certificates at a glance, with advice. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_CARD_STATUS_BUTTON (eimza_card_status_button_get_type ())

G_DECLARE_FINAL_TYPE (EimzaCardStatusButton, eimza_card_status_button, EIMZA, CARD_STATUS_BUTTON,
                      GtkMenuButton)

/* The view only: the pages module’s controller (see eimza-pages-module.h) decides
 * what it shows. Its popover's buttons activate win.show-certificates,
 * win.show-diagnostics, win.change-pin and win.unblock-pin. */

/* Shows @label (with @icon_name) in the header bar, and @title and @text,
 * which say what to do, in the popover. */
void eimza_card_status_button_show           (EimzaCardStatusButton *self,
                                              const char            *icon_name,
                                              const char            *label,
                                              const char            *title,
                                              const char            *text);
/* Whether the popover's unblock entry (win.unblock-pin) is what the card
 * needs (a locked PIN, or no PIN yet): then it reads "Set PIN / Unlock…"
 * and stands out; otherwise it is a plain, quiet entry. */
void eimza_card_status_button_set_unblock_offered (EimzaCardStatusButton *self,
                                                   gboolean               offered);
/* Keeps @controller (nullable) alive until the next call or until the
 * button is disposed, whichever comes first. */
void eimza_card_status_button_set_controller (EimzaCardStatusButton *self,
                                              GObject               *controller);

G_END_DECLS
