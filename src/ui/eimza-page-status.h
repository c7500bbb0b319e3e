/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The line beside a page's main button that says what is still missing. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-renewal-form.h"

G_BEGIN_DECLS

/* Makes @button sensitive only when @step is complete, and tells in
 * @label how many fields still need attention. */
void eimza_page_status_update (EimzaRenewalForm *form,
                               EimzaStep         step,
                               GtkLabel         *label,
                               GtkWidget        *button);

G_END_DECLS
