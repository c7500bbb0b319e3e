/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers that write escaped HTML into a GString. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @format with every string argument escaped for HTML text and
 * attribute values (g_markup_printf_escaped()). */
void eimza_sim_html_append        (GString    *out,
                                   const char *format,
                                   ...) G_GNUC_PRINTF (2, 3);

/* The portal's page frame: doctype, head with the title, the banner, and
 * the opening of <div id="icerik"> with the heading @heading. */
void eimza_sim_html_begin_page    (GString    *out,
                                   const char *heading);
/* The same frame for another site of the simulator, e.g. "Kamu SM NES
 * Bireysel İşlemler", used as the title and the banner. */
void eimza_sim_html_begin_site_page (GString    *out,
                                     const char *site,
                                     const char *heading);
/* Closes what eimza_sim_html_begin_page() opened. */
void eimza_sim_html_end_page      (GString    *out);

/* " checked" / " selected" / "" for boolean HTML 4 attributes. */
const char *eimza_sim_html_flag   (gboolean    set,
                                   const char *attribute);

G_END_DECLS
