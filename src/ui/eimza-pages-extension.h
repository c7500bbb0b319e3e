/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages module's one object: its card service, its dialogs and its page flow. */
#pragma once

#include "eimza-pages-module.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_PAGES_EXTENSION (eimza_pages_extension_get_type ())

/* Implements the program's #EimzaPagesModule. */
G_DECLARE_FINAL_TYPE (EimzaPagesExtension, eimza_pages_extension, EIMZA, PAGES_EXTENSION, GObject)

/* Starts the card service as @config says: in the demo, the demo's
 * PKCS#11 module alone (and its card is virtual); otherwise the module
 * @config names, followed while the application runs. */
EimzaPagesExtension *eimza_pages_extension_new (EimzaAppConfig *config);

G_END_DECLS
