/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTML pages of the portal sites: reading them safely, and XPath over them. */
#pragma once

#include <gio/gio.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

G_BEGIN_DECLS

/* Sets @error to %EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE with the sentence for
 * people; @why goes to the debug log only, after @site ("portal", "NES").
 * Returns FALSE. */
gboolean             eimza_portal_html_unexpected      (GError            **error,
                                                        const char         *site,
                                                        const char         *why);

/* How every page is parsed: NONET, never fetch anything a page refers to;
 * RECOVER, take what can be understood from broken markup (the markers
 * decide whether it is enough); no libxml2 errors or warnings on stderr.
 * bench/page-reading parses with the same options for its floor. */
#define EIMZA_PORTAL_HTML_PARSE_OPTIONS \
  (HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER)

/* Reads @bytes as a page of @site: refuses an empty page, one larger than
 * EIMZA_PORTAL_WEB_PAGE_MAX_SIZE, one that is not valid UTF-8 when @encoding
 * says it is, one without @complete_marker (nullable) and one that is not
 * HTML. Never fetches anything the page refers to. */
xmlDocPtr            eimza_portal_html_read            (GBytes             *bytes,
                                                        const char         *encoding,
                                                        const char         *complete_marker,
                                                        const char         *site,
                                                        GError            **error);

/* An XPath context on @doc whose errors stay out of stderr, or NULL. */
xmlXPathContextPtr   eimza_portal_html_new_context     (xmlDocPtr           doc);

/* Text as people read it: valid UTF-8, white space (and no-break spaces)
 * collapsed, trimmed; NULL when nothing is left. */
char                *eimza_portal_html_clean_text      (const xmlChar      *text);
/* An attribute's value as valid UTF-8 with the ends trimmed, or NULL when
 * the attribute is missing. */
char                *eimza_portal_html_get_attribute   (xmlNodePtr          node,
                                                        const char         *name);
/* A non-negative decimal count, or -1. */
int                  eimza_portal_html_parse_count     (const char         *text);

/* Evaluation at @node, or at the root element when @node is NULL. */
xmlXPathObjectPtr    eimza_portal_html_evaluate        (xmlXPathContextPtr  context,
                                                        xmlXPathCompExprPtr expr,
                                                        xmlNodePtr          node);
gboolean             eimza_portal_html_evaluate_boolean (xmlXPathContextPtr  context,
                                                         xmlXPathCompExprPtr expr,
                                                         xmlNodePtr          node);
/* The cleaned string value: of a node set, its first node's text. */
char                *eimza_portal_html_evaluate_string (xmlXPathContextPtr  context,
                                                        xmlXPathCompExprPtr expr,
                                                        xmlNodePtr          node);
/* The nodes found, copied out of the result so that more expressions may
 * be evaluated on the same context while they are walked. */
GPtrArray           *eimza_portal_html_evaluate_nodes  (xmlXPathContextPtr  context,
                                                        xmlXPathCompExprPtr expr,
                                                        xmlNodePtr          node);

/* Compiles @source; libxml2's complaint goes to @out_message (always set,
 * free it) rather than to stderr. */
xmlXPathCompExprPtr  eimza_portal_html_compile_xpath   (const char         *source,
                                                        char              **out_message);
/* A GDestroyNotify for compiled expressions. */
void                 eimza_portal_html_free_xpath      (gpointer            expr);

G_END_DECLS
