/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages after the welcome page, the portal session they share, and the way back through them. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-app-config.h"
#include "eimza-card-service.h"
#include "eimza-task-flow.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_PAGE_FLOW (eimza_page_flow_get_type ())

/* Implements #EimzaTaskFlow: the tasks (the renewal, the e-onay, an opened
 * .jnlp) and Back, which it alone decides. */
G_DECLARE_FINAL_TYPE (EimzaPageFlow, eimza_page_flow, EIMZA, PAGE_FLOW, GObject)

/* Adds its pages to @stack (the window's) as they are first needed and
 * moves between them; @home is the welcome page, a child of @stack, shown
 * again when a task is done. The portal and the NES site are the ones
 * @config names; @service (nullable) is the card service its pages sign
 * with. */
EimzaPageFlow *eimza_page_flow_new (GtkStack         *stack,
                                    GtkWidget        *home,
                                    EimzaCardService *service,
                                    EimzaAppConfig   *config);

/* The birth date typed on the sign-in page, as typed (%NULL: none yet). */
const char    *eimza_page_flow_get_birth_date (EimzaPageFlow *self);

G_END_DECLS
