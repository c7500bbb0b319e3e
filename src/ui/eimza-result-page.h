/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The last page: the application number and what happens next. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_RESULT_PAGE (eimza_result_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaResultPage, eimza_result_page, EIMZA, RESULT_PAGE, GtkBox)

void eimza_result_page_set_application_number (EimzaResultPage *self,
                                               const char      *number);

G_END_DECLS
