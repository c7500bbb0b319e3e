/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 1: the application portal's sign-in page (captcha and identity). */
#pragma once

#include <gtk/gtk.h>

#include "eimza-renewal-form.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_LOGIN_PAGE (eimza_login_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaLoginPage, eimza_login_page, EIMZA, LOGIN_PAGE, GtkBin)

void eimza_login_page_set_form (EimzaLoginPage   *self,
                                EimzaRenewalForm *form);

G_END_DECLS
