/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A profile's selectors matched in one walk over a page, with libxml2's XPath for the rest. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

G_BEGIN_DECLS

/* Every selector of one profile (compiled XPath expressions). Those written
 * in the subset of XPath the profiles use (absolute paths of `//` steps with
 * name tests and simple predicates, an optional final `/@attribute`, unions,
 * boolean(), string(), and, or; one relative step) also get a plan, and all
 * plans are matched together in a single walk over a page; any other
 * expression is evaluated by libxml2. Results are the same either way
 * (tests/portal/test-portal-match.c compares them). Built while a profile
 * loads, then immutable: readings may run on any thread. */
typedef struct _EimzaPortalMatcher EimzaPortalMatcher;

EimzaPortalMatcher *eimza_portal_matcher_new        (void);
void                eimza_portal_matcher_free       (EimzaPortalMatcher  *matcher);
/* Registers @expr, compiled from @source; the expression must outlive the
 * matcher. Returns whether it is matched natively (FALSE: by libxml2). */
gboolean            eimza_portal_matcher_add        (EimzaPortalMatcher  *matcher,
                                                     xmlXPathCompExprPtr  expr,
                                                     const char          *source);
gboolean            eimza_portal_matcher_is_native  (EimzaPortalMatcher  *matcher,
                                                     xmlXPathCompExprPtr  expr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalMatcher, eimza_portal_matcher_free)

/* One page read with a matcher: the walk is done when it is made. @doc
 * must outlive it. */
typedef struct _EimzaPortalReading EimzaPortalReading;

EimzaPortalReading *eimza_portal_reading_new        (EimzaPortalMatcher  *matcher,
                                                     xmlDocPtr            doc);
void                eimza_portal_reading_free       (EimzaPortalReading  *reading);

/* The same answers as eimza_portal_html_evaluate_boolean(), _string() and
 * _nodes() for @expr (registered with the matcher, or not) at @node, or at
 * the root element when @node is NULL. */
gboolean            eimza_portal_reading_boolean    (EimzaPortalReading  *reading,
                                                     xmlXPathCompExprPtr  expr,
                                                     xmlNodePtr           node);
char               *eimza_portal_reading_string     (EimzaPortalReading  *reading,
                                                     xmlXPathCompExprPtr  expr,
                                                     xmlNodePtr           node);
/* The nodes found, in document order; free with g_ptr_array_unref(). */
GPtrArray          *eimza_portal_reading_nodes      (EimzaPortalReading  *reading,
                                                     xmlXPathCompExprPtr  expr,
                                                     xmlNodePtr           node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalReading, eimza_portal_reading_free)

G_END_DECLS
