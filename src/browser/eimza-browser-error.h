/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Errors of the browser set-up (registering the card's module in NSS databases). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EIMZA_BROWSER_ERROR (eimza_browser_error_quark ())

/**
 * EimzaBrowserError:
 * @EIMZA_BROWSER_ERROR_NO_TOOL: NSS's `modutil` (libnss3-tools) is not
 *   installed.
 * @EIMZA_BROWSER_ERROR_NO_MODULE: neither Kamu SM's AKİS module nor
 *   p11-kit's proxy module is installed, or the module given does not exist.
 * @EIMZA_BROWSER_ERROR_SANDBOXED: a snap or Flatpak browser, which cannot
 *   load modules of the host system.
 * @EIMZA_BROWSER_ERROR_RUNNING: Firefox is open with the profile; its
 *   database is left alone so that it is not damaged.
 * @EIMZA_BROWSER_ERROR_NO_DATABASE: the profile has no certificate
 *   database yet (the browser was never started with it).
 * @EIMZA_BROWSER_ERROR_FAILED: `modutil` failed; the message quotes it.
 *
 * Every message is translated, for people.
 */
typedef enum {
  EIMZA_BROWSER_ERROR_NO_TOOL,
  EIMZA_BROWSER_ERROR_NO_MODULE,
  EIMZA_BROWSER_ERROR_SANDBOXED,
  EIMZA_BROWSER_ERROR_RUNNING,
  EIMZA_BROWSER_ERROR_NO_DATABASE,
  EIMZA_BROWSER_ERROR_FAILED,
} EimzaBrowserError;

GQuark eimza_browser_error_quark (void);

G_END_DECLS
