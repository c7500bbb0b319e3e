/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a profile makes of one saved page: its kind, what it extracts, the selectors that found nothing. */
#pragma once

#include <gio/gio.h>

#include "eimza-eonay-profile.h"
#include "eimza-portal-profile.h"

G_BEGIN_DECLS

/* Appends to @out the report on @bytes (a page saved from a browser,
 * called @name) as a page of the application portal (@portal, nullable)
 * and of the NES site (@nes, nullable): for each site that recognises it,
 * the kind of page, every value the parser extracts (personal data
 * included: they are the maintainer's own pages) and every selector of
 * the profile that matched nothing; otherwise why it is not recognised.
 * Returns whether some site recognised the page. */
gboolean eimza_page_report_append (GString            *out,
                                   const char         *name,
                                   GBytes             *bytes,
                                   EimzaPortalProfile *portal,
                                   EimzaEonayProfile  *nes);

G_END_DECLS
