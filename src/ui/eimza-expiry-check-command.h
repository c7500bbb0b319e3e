/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `eimza-asistan --check-expiry [--daily]`: the renewal reminders, without a window. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether the command line asks for --check-expiry: then GTK is not
 * initialised and no window is made. */
gboolean eimza_expiry_check_command_wanted (int    argc,
                                            char **argv);
/* Reads the store, prints a line per certificate, sends the reminder that
 * is due (once; not when the setting "expiry-reminders" is off). With
 * --daily it stays for the session, checks again as days pass and opens
 * the renewal when a notification is clicked. Returns the exit status. */
int      eimza_expiry_check_command_run    (int    argc,
                                            char **argv);

G_END_DECLS
