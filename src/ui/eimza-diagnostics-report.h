/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card diagnostics report made fit to share: no names, home directories or free texts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @report as the diagnostics dialog shows it, made fit to be sent to
 * someone else: the label of every token of @modules (element-type
 * EimzaPkcs11Module, nullable) replaced by "card N" (a label often holds
 * the holder's name), each module's own error text (a loader's message
 * may quote any path or name) by a fixed phrase for its status, home
 * directories by "~" (the current user's) or "/home/…" (anyone's), and
 * every valid T.C. Kimlik No by a note. GTK-free. */
char *eimza_diagnostics_report_make_shareable (const char *report,
                                               GPtrArray  *modules);

G_END_DECLS
