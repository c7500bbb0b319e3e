/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: header bar (with the card status) and the stack of pages
 * it walks through; it opens the card dialogs. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-application.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_WINDOW (eimza_window_get_type ())

G_DECLARE_FINAL_TYPE (EimzaWindow, eimza_window, EIMZA, WINDOW, GtkApplicationWindow)

EimzaWindow *eimza_window_new       (EimzaApplication *application);
/* The renewal application's first page, from the welcome page (a task
 * under way stays). */
void         eimza_window_show_renewal (EimzaWindow   *self);

/* Shows what the window does with @file, a .jnlp opened with the
 * application (the pages module reads it). */
void         eimza_window_open_file (EimzaWindow      *self,
                                     GFile            *file);

G_END_DECLS
