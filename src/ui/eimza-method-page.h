/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 4: how the application is signed: with the card, or with e-onay. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-portal-session.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_METHOD_PAGE (eimza_method_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaMethodPage, eimza_method_page, EIMZA, METHOD_PAGE, GtkBox)

void eimza_method_page_start   (EimzaMethodPage    *self,
                                EimzaPortalSession *session,
                                gboolean            eonay_available);

/* Asks the portal again whether E-Onaylı Başvuru is possible: after the
 * person gave the e-onay from this page ("eonay-requested"). */
void eimza_method_page_refresh (EimzaMethodPage    *self);

G_END_DECLS
