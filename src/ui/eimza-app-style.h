/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's style sheet, and its colours for dark themes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void eimza_app_style_load (GdkScreen *screen);

G_END_DECLS
