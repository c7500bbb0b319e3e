/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `eimza-asistan --setup-browsers` and `--check-browsers`, run before anything of GTK is set up. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether the command line asks for --setup-browsers or --check-browsers:
 * then no application is registered, GTK is not initialised and no
 * window is made. */
gboolean eimza_browsers_command_wanted (int    argc,
                                        char **argv);
/* Runs it through the pages module, where the browser set-up lives;
 * returns the exit status (2 for a wrong command line or a missing
 * module). */
int      eimza_browsers_command_run    (int    argc,
                                        char **argv);

G_END_DECLS
