/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The compiled parts of a portal profile that only the page parser uses. */
#pragma once

#include <libxml/xpath.h>

#include "eimza-portal-match.h"
#include "eimza-portal-profile.h"

G_BEGIN_DECLS

xmlXPathCompExprPtr  eimza_portal_profile_get_selector_expr (EimzaPortalProfile  *self,
                                                             EimzaPortalSelector  selector);
/* NULL for %EIMZA_PORTAL_WEB_PAGE_UNKNOWN. */
xmlXPathCompExprPtr  eimza_portal_profile_get_page_marker   (EimzaPortalProfile     *self,
                                                             EimzaPortalWebPageKind  kind);
/* Expressions that must all be true on a complete page of @kind; NULL-free
 * array, possibly empty. */
GPtrArray           *eimza_portal_profile_get_page_requirements (EimzaPortalProfile     *self,
                                                                 EimzaPortalWebPageKind  kind);
/* Every selector, marker and requirement above, for one walk over a page. */
EimzaPortalMatcher  *eimza_portal_profile_get_matcher      (EimzaPortalProfile  *self);
/* A string every complete page contains, e.g. "</html>", or NULL. */
const char          *eimza_portal_profile_get_complete_marker (EimzaPortalProfile *self);

G_END_DECLS
