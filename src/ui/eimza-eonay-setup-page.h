/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Giving (and cancelling) the e-onay on Kamu SM's NES site, as one guided page. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-app-config.h"
#include "eimza-card-service.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_EONAY_SETUP_PAGE (eimza_eonay_setup_page_get_type ())

/* The e-onay set-up: a GTK page. A page of the NES site as read from the
 * wire is an EimzaNesWebPage (src/portal). */
G_DECLARE_FINAL_TYPE (EimzaEonaySetupPage, eimza_eonay_setup_page, EIMZA, EONAY_SETUP_PAGE, GtkBin)

/**
 * EimzaEonaySetupPage:
 *
 * The whole e-onay on one page, step by step: the certificate to log in
 * with and the T.C. Kimlik No; the TLS login with the card (the PIN asked
 * by #EimzaPinInteraction); the login code's signature (#EimzaSignStep);
 * the explanation, the commitment and the consent; the commitment's
 * signature; the result, with the e-onay's cancellation.
 *
 * Signals: "done" () — the person is finished: back to the welcome page.
 */

/* Starts over at the first step (what the person typed is kept), with the
 * NES site @config names and a card of @service (nullable: none). */
void     eimza_eonay_setup_page_start   (EimzaEonaySetupPage *self,
                                         EimzaCardService    *service,
                                         EimzaAppConfig      *config);

/* Whether a request is under way (Back waits for it; see the "busy"
 * property). */
gboolean eimza_eonay_setup_page_is_busy (EimzaEonaySetupPage *self);

/* Back from the page: stops the current request and forgets the PIN kept
 * for the site's session. */
void     eimza_eonay_setup_page_leave   (EimzaEonaySetupPage *self);

G_END_DECLS
