/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The first page: the tasks the product does, one button each. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_WELCOME_PAGE (eimza_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaWelcomePage, eimza_welcome_page, EIMZA, WELCOME_PAGE, GtkBox)

G_END_DECLS
