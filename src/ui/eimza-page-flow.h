/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages after the welcome page and the portal session they share. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_PAGE_FLOW (eimza_page_flow_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPageFlow, eimza_page_flow, EIMZA, PAGE_FLOW, GObject)

/* Adds its pages to @stack (the window's) as they are first needed and
 * moves between them. The portal is the one @application's properties
 * name ("portal-profile", "portal-url", "portal-ca-file"); the card
 * service is its "card-service". */
EimzaPageFlow *eimza_page_flow_new        (GtkApplication *application,
                                           GtkStack       *stack);

/* The renewal application's sign-in page; @error (nullable) says why the
 * person is (back) there. What was typed is kept. */
void           eimza_page_flow_show_login (EimzaPageFlow  *self,
                                           const GError   *error);

/* The page for @file, a .jnlp the person opened: the signer when it is a
 * Kamu SM signing application, an explanation otherwise. While a signing
 * is in progress on that page, the person is asked first. */
void           eimza_page_flow_open_jnlp  (EimzaPageFlow  *self,
                                           GFile          *file);

/* The e-onay page (giving and cancelling the e-onay on the NES site),
 * started over at its first step; what was typed there is kept. */
void           eimza_page_flow_show_eonay  (EimzaPageFlow  *self);
/* Leaves the e-onay page for where it was opened from: the welcome page,
 * or the signing method of the application waiting for the e-onay (which
 * then asks the portal again). */
void           eimza_page_flow_leave_eonay (EimzaPageFlow  *self);

G_END_DECLS
