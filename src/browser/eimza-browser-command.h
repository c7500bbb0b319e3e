/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `eimza-asistan --setup-browsers` and `--check-browsers`: the browser set-up without a window, for IT staff. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses, as the manual page and --help describe them. */
#define EIMZA_BROWSER_EXIT_OK      0   /* done; every browser that can use the card has it */
#define EIMZA_BROWSER_EXIT_FAILED  1   /* something could not be done or is not set up: said */
#define EIMZA_BROWSER_EXIT_USAGE   2   /* wrong options, or no module to register */

/* Runs the command line @argv (the program's, with --setup-browsers or
 * --check-browsers; --pkcs11-module PATH picks the module) for the
 * person whose home is $HOME, printing for people on stdout and what
 * failed on stderr. Waits for modutil: no main loop runs. Returns the
 * exit status. */
int eimza_browser_command_run (int    argc,
                               char **argv);

G_END_DECLS
