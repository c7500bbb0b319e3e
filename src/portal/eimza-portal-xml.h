/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Setting up libxml2 once for every reader of the portal's documents. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets up libxml2 once per process; the page, report, profile and .jnlp
 * readers call it before their first document. Thread-safe. */
void eimza_portal_xml_init (void);

G_END_DECLS
