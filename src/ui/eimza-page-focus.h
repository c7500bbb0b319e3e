/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the keyboard focus goes when a page (or its content) comes up. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Puts the focus on @page's first control, unless it is on one of them. */
void eimza_page_focus_first_control (GtkWidget *page);
/* Puts the focus on @page's first control, even if it is on another one. */
void eimza_page_focus_restart (GtkWidget *page);

G_END_DECLS
