/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding and loading the pages module (eimza-pages.so) and checking its entry point. */
#pragma once

#include "eimza-pages-module.h"

G_BEGIN_DECLS

/* The module's entry point, loaded now (next to the program first, for a build
 * tree, then from EIMZA_PAGES_MODULE_DIR); %NULL with *@error_message set
 * (free it) when it cannot be loaded or is of another version. The module
 * stays loaded. */
const EimzaPagesModuleEntry *eimza_pages_module_load (char **error_message);

G_END_DECLS
