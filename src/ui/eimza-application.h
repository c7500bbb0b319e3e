/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: actions, the main window, the first-frame report, and
 * the pages module with the one card-reader service, loaded once the window
 * is on screen. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-demo.h"
#include "eimza-pages-module.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_APPLICATION (eimza_application_get_type ())

G_DECLARE_FINAL_TYPE (EimzaApplication, eimza_application, EIMZA, APPLICATION, GtkApplication)

EimzaApplication *eimza_application_new                    (void);

/* The pages module's object (it owns the one card-reader service), or
 * %NULL until the main window's first frame has been drawn (watch
 * #EimzaApplication:pages). */
EimzaPagesModule *eimza_application_get_pages              (EimzaApplication *self);
/* The pages module's object, with the module loaded and the card service
 * started now if they were not yet; %NULL if the module cannot be loaded
 * (then see eimza_application_get_pages_module_error()). */
EimzaPagesModule *eimza_application_ensure_pages           (EimzaApplication *self);
/* Why the pages module could not be loaded, or %NULL. */
const char       *eimza_application_get_pages_module_error (EimzaApplication *self);

/* The environment of --demo, or %NULL. */
EimzaDemo        *eimza_application_get_demo               (EimzaApplication *self);

/* Loads the application's style sheet, once. */
void              eimza_application_ensure_style           (EimzaApplication *self);

G_END_DECLS
