/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 1: the application portal's sign-in page (captcha and identity). */
#pragma once

#include <gtk/gtk.h>

#include "eimza-portal-session.h"
#include "eimza-renewal-form.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_LOGIN_PAGE (eimza_login_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaLoginPage, eimza_login_page, EIMZA, LOGIN_PAGE, GtkBin)

void eimza_login_page_set_form (EimzaLoginPage   *self,
                                EimzaRenewalForm *form);

/* Shows the page for signing in through @session: loads a captcha, or a
 * whole new portal session when the last one has moved on or ended. With
 * no @session, @error says why the portal cannot be used. @error
 * (nullable) is shown on the page, e.g. why the person is back here. */
void eimza_login_page_start    (EimzaLoginPage     *self,
                                EimzaPortalSession *session,
                                const GError       *error);

/* The application is made: lets the portal session go, with the image it
 * showed and what was typed for it; the next start brings a new one. */
void eimza_login_page_end_session (EimzaLoginPage *self);

G_END_DECLS
