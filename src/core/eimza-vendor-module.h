/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where Kamu SM's PKCS#11 module for AKİS cards is installed: one list for the card service and the browser set-up. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The file name of Kamu SM's PKCS#11 module for AKİS cards. */
#define EIMZA_VENDOR_MODULE_NAME "libakisp11.so"

/* The directories Kamu SM's packages have installed it in, most usual
 * first: /usr/lib, /usr/lib/x86_64-linux-gnu, /usr/local/lib,
 * /usr/lib/akia. %NULL-terminated, static. */
const char * const *eimza_vendor_module_default_dirs (void);

/* The first existing libakisp11.so in @dirs (%NULL: the default ones),
 * or %NULL. */
char               *eimza_vendor_module_find         (const char * const *dirs);

G_END_DECLS
