/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 3: asking for the SMS approval code and typing it in. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-portal-session.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_SMS_PAGE (eimza_sms_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaSmsPage, eimza_sms_page, EIMZA, SMS_PAGE, GtkBox)

/* Shows the SMS page of @session as the portal described it in @state. */
void eimza_sms_page_start (EimzaSmsPage              *self,
                           EimzaPortalSession        *session,
                           const EimzaPortalSmsState *state);

G_END_DECLS
