/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: actions, the main window, the first-frame report, and
 * the one card-reader service, started once the window is on screen. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-demo.h"
#include "eimza-pages-module.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_APPLICATION (eimza_application_get_type ())

G_DECLARE_FINAL_TYPE (EimzaApplication, eimza_application, EIMZA, APPLICATION, GtkApplication)

EimzaApplication       *eimza_application_new                    (void);

/* The one card-reader service (an EimzaCardService, from the pages
 * module), or %NULL until the main window's first frame has been drawn
 * (watch #EimzaApplication:card-service). */
GObject                *eimza_application_get_card_service       (EimzaApplication *self);
/* The service, with the pages module loaded and the service started now if
 * they were not yet; %NULL if the module cannot be loaded. */
GObject                *eimza_application_ensure_card_service    (EimzaApplication *self);
/* The pages module's table, loaded now if it was not yet; %NULL if it
 * cannot be loaded (then see eimza_application_get_pages_module_error()). */
const EimzaPagesModule *eimza_application_ensure_pages_module    (EimzaApplication *self);
/* Why the pages module could not be loaded, or %NULL. */
const char             *eimza_application_get_pages_module_error (EimzaApplication *self);

/* The environment of --demo, or %NULL. */
EimzaDemo              *eimza_application_get_demo               (EimzaApplication *self);

/* Loads the application's style sheet, once. */
void                    eimza_application_ensure_style           (EimzaApplication *self);

G_END_DECLS
