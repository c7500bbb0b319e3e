/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application's string options (command line, else settings) as the pages read them. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The string property @property of @application ("portal-profile",
 * "eonay-url", "portal-ca-file"): the command line's value, else the
 * setting's; %NULL when it is empty, unset, or @application (nullable)
 * has no such property (the pages know the application only as a
 * GtkApplication, see eimza-pages-module.h). (transfer full) */
char *eimza_application_option_dup_string (GtkApplication *application,
                                           const char     *property);

G_END_DECLS
