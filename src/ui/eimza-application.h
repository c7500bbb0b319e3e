/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: actions, the main window, the first-frame report. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_APPLICATION (eimza_application_get_type ())

G_DECLARE_FINAL_TYPE (EimzaApplication, eimza_application, EIMZA, APPLICATION, GtkApplication)

EimzaApplication *eimza_application_new (void);

G_END_DECLS
