/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Errors of the browser set-up. */
#include "config.h"

#include "eimza-browser-error.h"

G_DEFINE_QUARK (eimza-browser-error-quark, eimza_browser_error)
