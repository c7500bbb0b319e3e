/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: actions, the main window, the first-frame report. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-portal-session.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_APPLICATION (eimza_application_get_type ())

G_DECLARE_FINAL_TYPE (EimzaApplication, eimza_application, EIMZA, APPLICATION, GtkApplication)

EimzaApplication   *eimza_application_new                   (void);

/* A new portal session as chosen by the command line, else by the settings. */
EimzaPortalSession *eimza_application_create_portal_session (EimzaApplication  *self,
                                                             GError           **error);

G_END_DECLS
