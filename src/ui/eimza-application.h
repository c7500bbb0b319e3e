/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: actions, the main window, the first-frame report, and
 * the one card-reader service, started once the window is on screen. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-card-ui.h"
#include "eimza-portal-session.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_APPLICATION (eimza_application_get_type ())

G_DECLARE_FINAL_TYPE (EimzaApplication, eimza_application, EIMZA, APPLICATION, GtkApplication)

EimzaApplication   *eimza_application_new                   (void);

/* A new portal session as chosen by the command line, else by the settings. */
EimzaPortalSession *eimza_application_create_portal_session (EimzaApplication  *self,
                                                             GError           **error);

/* The one card-reader service (an EimzaCardService, from the card module),
 * or %NULL until the main window's first frame has been drawn (watch
 * #EimzaApplication:card-service). */
GObject            *eimza_application_get_card_service      (EimzaApplication  *self);
/* The service, with the card module loaded and the service started now if
 * they were not yet; %NULL if the module cannot be loaded. */
GObject            *eimza_application_ensure_card_service   (EimzaApplication  *self);
/* The card module's table, once loaded; else %NULL. */
const EimzaCardUi  *eimza_application_get_card_ui           (EimzaApplication  *self);
/* Why the card module could not be loaded, or %NULL. */
const char         *eimza_application_get_card_ui_error     (EimzaApplication  *self);

/* Loads the application's style sheet, once. */
void                eimza_application_ensure_style          (EimzaApplication  *self);

G_END_DECLS
