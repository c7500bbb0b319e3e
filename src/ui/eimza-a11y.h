/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What GTK 3 leaves out of the accessible tree and the pages add. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Gives the close button of @bar (show-close-button) an accessible name:
 * GTK 3 leaves it nameless, and a screen reader then says only "button". */
void eimza_info_bar_name_close_button (GtkInfoBar *bar);

G_END_DECLS
