/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "Browsers" window: each Firefox profile and Chromium, whether it can use the card, and the module registered or removed. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_BROWSERS_DIALOG (eimza_browsers_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EimzaBrowsersDialog, eimza_browsers_dialog, EIMZA, BROWSERS_DIALOG, GtkDialog)

/* @module: the card's module as configured, or %NULL to pick Kamu SM's
 * AKİS module, else p11-kit's proxy. The browsers are those of $HOME. */
EimzaBrowsersDialog *eimza_browsers_dialog_new    (GtkWindow           *parent,
                                                   const char          *module);

/* Looks for the browsers and checks each again. */
void                 eimza_browsers_dialog_reload (EimzaBrowsersDialog *self);

G_END_DECLS
