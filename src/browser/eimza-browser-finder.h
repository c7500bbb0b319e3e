/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a person's browsers keep their certificate databases, and which module to register in them. */
#pragma once

#include <gio/gio.h>

#include "eimza-browser-profile.h"

G_BEGIN_DECLS

/* The browsers found under @home, not yet checked: every Firefox profile
 * of ~/.mozilla/firefox/profiles.ini (Debian's firefox-esr and Mozilla's
 * builds), Chromium's and Chrome's ~/.pki/nssdb (also when it does not
 * exist yet but one of them has been started), and snap and Flatpak
 * Firefox and Chromium (state %EIMZA_BROWSER_STATE_SANDBOXED). Reads a
 * few small files: call it off the main thread (eimza-browser-setup.c).
 * Returns: (transfer container) (element-type EimzaBrowserProfile). */
GPtrArray *eimza_browser_find_profiles (const char *home);

/* The module to register: @configured when not %NULL (the person's
 * setting or --pkcs11-module), else Kamu SM's libakisp11.so in one of
 * @vendor_dirs (%NULL: the usual ones), else p11-kit's proxy module,
 * through which every module registered with p11-kit (OpenSC's, for
 * instance) is reached. %NULL, with %EIMZA_BROWSER_ERROR_NO_MODULE, when
 * there is none or @configured does not exist. */
char      *eimza_browser_pick_module   (const char          *configured,
                                        const char * const  *vendor_dirs,
                                        GError             **error);

/* The name under which the module is registered (what Firefox's
 * "Security Devices" shows): not translated, so that it stays one name
 * whatever the language. */
#define EIMZA_BROWSER_MODULE_NAME "E-İmza Asistanı"

G_END_DECLS
