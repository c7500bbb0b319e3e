/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTML pages of the portal sites: reading them safely, and XPath over them. */
#include "config.h"

#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpathInternals.h>

#include "eimza-portal-error.h"
#include "eimza-portal-html.h"
#include "eimza-portal-types.h"
#include "eimza-portal-xml.h"

gboolean
eimza_portal_html_unexpected (GError     **error,
                              const char  *site,
                              const char  *why)
{
  /* The reason is for developers, in the debug log; people get one sentence
   * that says what to do. */
  g_debug ("Unexpected %s page: %s", site, why);
  g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
                       eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
  return FALSE;
}

/* An ASCII case-insensitive search, for the page's closing marker. It
 * searches from the end, where a complete page has its marker. */
static gboolean
contains_ascii_nocase (const char *haystack,
                       gsize       haystack_len,
                       const char *needle)
{
  gsize needle_len = strlen (needle);
  char first;

  if (needle_len == 0)
    return TRUE;
  if (needle_len > haystack_len)
    return FALSE;

  first = g_ascii_tolower (needle[0]);
  for (gsize i = haystack_len - needle_len + 1; i-- > 0;)
    {
      if (g_ascii_tolower (haystack[i]) == first &&
          g_ascii_strncasecmp (haystack + i, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

xmlDocPtr
eimza_portal_html_read (GBytes      *bytes,
                        const char  *encoding,
                        const char  *complete_marker,
                        const char  *site,
                        GError     **error)
{
  const char *data;
  gsize size;
  xmlDocPtr doc;

  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || data == NULL)
    {
      eimza_portal_html_unexpected (error, site, "empty page");
      return NULL;
    }
  if (size > EIMZA_PORTAL_WEB_PAGE_MAX_SIZE)
    {
      eimza_portal_html_unexpected (error, site, "page larger than 2 MiB");
      return NULL;
    }

  /* Bytes that are not text in the page's own encoding mean a damaged
   * answer (a broken server or proxy); reading on could post garbage. */
  if (g_ascii_strcasecmp (encoding, "UTF-8") == 0 && !g_utf8_validate_len (data, size, NULL))
    {
      eimza_portal_html_unexpected (error, site, "the page is not valid UTF-8");
      return NULL;
    }

  if (complete_marker != NULL && !contains_ascii_nocase (data, size, complete_marker))
    {
      eimza_portal_html_unexpected (error, site, "the page is cut off");
      return NULL;
    }

  eimza_portal_xml_init ();

  doc = htmlReadMemory (data, (int) size, NULL, encoding, EIMZA_PORTAL_HTML_PARSE_OPTIONS);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      g_clear_pointer (&doc, xmlFreeDoc);
      eimza_portal_html_unexpected (error, site, "not HTML");
      return NULL;
    }

  return doc;
}

/* XPath errors (a runtime type error in a selector) stay out of stderr; the
 * selector then simply finds nothing. */
static void
silent_error_cb (void        *user_data,
                 xmlErrorPtr  error)
{
}

xmlXPathContextPtr
eimza_portal_html_new_context (xmlDocPtr doc)
{
  xmlXPathContextPtr context = xmlXPathNewContext (doc);

  if (context != NULL)
    context->error = silent_error_cb;
  return context;
}

char *
eimza_portal_html_clean_text (const xmlChar *text)
{
  g_autofree char *made_valid = NULL;
  const char *valid = (const char *) text;
  GString *clean;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;

  if (!g_utf8_validate (valid, -1, NULL))
    valid = made_valid = g_utf8_make_valid (valid, -1);
  clean = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0';)
    {
      const char *next;
      gboolean is_space;

      /* ASCII, most of a page, without decoding; g_unichar_isspace()
       * would say the same. */
      if ((guchar) *p < 0x80)
        {
          next = p + 1;
          is_space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f';
        }
      else
        {
          gunichar c = g_utf8_get_char (p);

          next = g_utf8_next_char (p);
          /* No-break spaces (&nbsp;) are spacing too. */
          is_space = g_unichar_isspace (c) || c == 0x00A0;
        }

      if (is_space)
        space = clean->len > 0;
      else
        {
          if (space)
            g_string_append_c (clean, ' ');
          space = FALSE;
          g_string_append_len (clean, p, next - p);
        }
      p = next;
    }

  if (clean->len == 0)
    {
      g_string_free (clean, TRUE);
      return NULL;
    }

  return g_string_free (clean, FALSE);
}

char *
eimza_portal_html_get_attribute (xmlNodePtr  node,
                                 const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *result;

  if (value == NULL)
    return NULL;

  result = g_strstrip (g_utf8_make_valid ((const char *) value, -1));
  xmlFree (value);
  return result;
}

int
eimza_portal_html_parse_count (const char *text)
{
  guint64 value;

  if (text == NULL ||
      !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &value, NULL))
    return -1;

  return (int) value;
}

xmlXPathObjectPtr
eimza_portal_html_evaluate (xmlXPathContextPtr  context,
                            xmlXPathCompExprPtr expr,
                            xmlNodePtr          node)
{
  context->node = node != NULL ? node : xmlDocGetRootElement (context->doc);

  return xmlXPathCompiledEval (expr, context);
}

gboolean
eimza_portal_html_evaluate_boolean (xmlXPathContextPtr  context,
                                    xmlXPathCompExprPtr expr,
                                    xmlNodePtr          node)
{
  xmlXPathObjectPtr result = eimza_portal_html_evaluate (context, expr, node);
  gboolean value;

  if (result == NULL)
    return FALSE;

  value = xmlXPathCastToBoolean (result) != 0;
  xmlXPathFreeObject (result);
  return value;
}

char *
eimza_portal_html_evaluate_string (xmlXPathContextPtr  context,
                                   xmlXPathCompExprPtr expr,
                                   xmlNodePtr          node)
{
  xmlXPathObjectPtr result = eimza_portal_html_evaluate (context, expr, node);
  xmlChar *text;
  char *value;

  if (result == NULL)
    return NULL;

  text = xmlXPathCastToString (result);
  value = eimza_portal_html_clean_text (text);
  xmlFree (text);
  xmlXPathFreeObject (result);
  return value;
}

GPtrArray *
eimza_portal_html_evaluate_nodes (xmlXPathContextPtr  context,
                                  xmlXPathCompExprPtr expr,
                                  xmlNodePtr          node)
{
  xmlXPathObjectPtr result = eimza_portal_html_evaluate (context, expr, node);
  GPtrArray *nodes = g_ptr_array_new ();

  if (result != NULL && result->type == XPATH_NODESET && result->nodesetval != NULL)
    {
      for (int i = 0; i < result->nodesetval->nodeNr; i++)
        g_ptr_array_add (nodes, result->nodesetval->nodeTab[i]);
    }

  g_clear_pointer (&result, xmlXPathFreeObject);
  return nodes;
}

typedef struct {
  GString *message;
} XPathErrors;

static void
xpath_error_cb (void        *user_data,
                xmlErrorPtr  error)
{
  XPathErrors *errors = user_data;

  if (errors->message->len == 0 && error != NULL && error->message != NULL)
    g_string_append (errors->message, g_strstrip (error->message));
}

xmlXPathCompExprPtr
eimza_portal_html_compile_xpath (const char  *source,
                                 char       **out_message)
{
  XPathErrors errors = { g_string_new (NULL) };
  xmlXPathContextPtr context;
  xmlXPathCompExprPtr expr;

  eimza_portal_xml_init ();

  context = xmlXPathNewContext (NULL);
  context->error = xpath_error_cb;
  context->userData = &errors;
  expr = xmlXPathCtxtCompile (context, (const xmlChar *) source);
  xmlXPathFreeContext (context);

  if (expr == NULL && errors.message->len == 0)
    g_string_append (errors.message, "syntax error");

  *out_message = g_string_free (errors.message, FALSE);
  return expr;
}

void
eimza_portal_html_free_xpath (gpointer expr)
{
  xmlXPathFreeCompExpr (expr);
}
