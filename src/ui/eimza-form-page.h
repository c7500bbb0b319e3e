/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 2: the application form, with the identity from step 1 locked. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-portal-session.h"
#include "eimza-renewal-form.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_FORM_PAGE (eimza_form_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaFormPage, eimza_form_page, EIMZA, FORM_PAGE, GtkBin)

void eimza_form_page_set_form (EimzaFormPage    *self,
                               EimzaRenewalForm *form);

/* The portal session the form is submitted through, signed in already. */
void eimza_form_page_set_session (EimzaFormPage      *self,
                                  EimzaPortalSession *session);

G_END_DECLS
