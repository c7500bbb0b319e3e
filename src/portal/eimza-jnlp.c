/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A Java Web Start (.jnlp) descriptor, read defensively and never run. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "eimza-jnlp.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-xml.h"

/* Strict parsing (no GLib relaxing), %-escapes kept as they are, default
 * port and empty path normalised so that equal URLs compare equal. */
#define URI_FLAGS (G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE)

struct _EimzaJnlp
{
  GObject parent_instance;

  char *codebase;
  char *codebase_host;
  char *href;
  char *title;
  char *vendor;
  GPtrArray *jars;        /* resolved URLs, NULL-terminated */
  GPtrArray *jar_hosts;   /* lower case, one per jar */
  int main_jar;           /* index into jars, -1: none */
  char *main_class;
  GPtrArray *arguments;   /* NULL-terminated */
  EimzaJnlpSecurity security;
};

G_DEFINE_FINAL_TYPE (EimzaJnlp, eimza_jnlp, G_TYPE_OBJECT)

G_DEFINE_QUARK (eimza-jnlp-error-quark, eimza_jnlp_error)

static void
eimza_jnlp_finalize (GObject *object)
{
  EimzaJnlp *self = EIMZA_JNLP (object);

  g_free (self->codebase);
  g_free (self->codebase_host);
  g_free (self->href);
  g_free (self->title);
  g_free (self->vendor);
  g_clear_pointer (&self->jars, g_ptr_array_unref);
  g_clear_pointer (&self->jar_hosts, g_ptr_array_unref);
  g_free (self->main_class);
  g_clear_pointer (&self->arguments, g_ptr_array_unref);

  G_OBJECT_CLASS (eimza_jnlp_parent_class)->finalize (object);
}

static void
eimza_jnlp_class_init (EimzaJnlpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = eimza_jnlp_finalize;
}

static void
eimza_jnlp_init (EimzaJnlp *self)
{
  self->jars = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->jar_hosts = g_ptr_array_new_with_free_func (g_free);
  self->arguments = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->main_jar = -1;
}

/* The one sentence per kind of failure that people read; @why says what
 * exactly went wrong, for the debug log only. */
static void
set_malformed (GError     **error,
               const char  *why)
{
  g_debug ("Refusing a .jnlp file: %s", why);
  g_set_error_literal (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_MALFORMED,
                       _("This .jnlp file is damaged or incomplete. Download it again "
                         "from the e-signature site."));
}

static void
set_not_jnlp (GError     **error,
              const char  *why)
{
  g_debug ("Refusing a .jnlp file: %s", why);
  g_set_error_literal (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_NOT_JNLP,
                       _("This file is not a Java Web Start (.jnlp) file."));
}

/* @host is NULL when the URL has none we would show. */
static void
set_insecure (GError     **error,
              const char  *host,
              const char  *why)
{
  g_debug ("Refusing a .jnlp file: %s", why);
  if (host != NULL)
    g_set_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_INSECURE_CODEBASE,
                 _("This .jnlp file would load its application from “%s” without a "
                   "secure connection (https://), so it was not used."), host);
  else
    g_set_error_literal (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_INSECURE_CODEBASE,
                         _("This .jnlp file does not load its application from a secure "
                           "(https://) address, so it was not used."));
}

/* Host names as the profile has them: an IP address, or a DNS name in
 * ASCII. Anything else (Unicode look-alikes, bidi controls, %-escapes) is
 * not shown to people and never matches. */
static gboolean
is_plain_host (const char *host)
{
  if (host == NULL || *host == '\0' || *host == '.' || *host == '-')
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
        return FALSE;
    }

  return TRUE;
}

typedef enum {
  URL_OK,
  URL_UNREADABLE,
  URL_INSECURE,
} UrlCheck;

/* Parses @text, relative to @base when that is not NULL, and checks that it
 * is an https:// URL with a plain host and no user name (which could hide
 * the real host from people: https://kamusm.gov.tr@evil.example/). On
 * %URL_INSECURE, @out_host is the URL's host when it is plain. */
static UrlCheck
check_url (GUri        *base,
           const char  *text,
           GUri       **out_uri,
           char       **out_host)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  *out_uri = NULL;
  *out_host = NULL;

  /* URLs are ASCII without spaces; GLib would take some of these. */
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
        return URL_UNREADABLE;
    }

  uri = g_uri_parse_relative (base, text, URI_FLAGS, NULL);
  if (uri == NULL)
    return URL_UNREADABLE;

  host = g_uri_get_host (uri);
  if (is_plain_host (host))
    *out_host = g_ascii_strdown (host, -1);

  if (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 ||
      g_uri_get_userinfo (uri) != NULL || *out_host == NULL)
    return URL_INSECURE;

  /* The host in lower case, as the profile has it and people expect. */
  *out_uri = g_uri_build (URI_FLAGS, "https", NULL, *out_host, g_uri_get_port (uri),
                          g_uri_get_path (uri), g_uri_get_query (uri), g_uri_get_fragment (uri));
  return URL_OK;
}

/* Text for people: white space collapsed and trimmed, control and format
 * characters (bidi overrides among them) dropped; NULL when nothing is
 * left. The input is valid UTF-8. */
static char *
clean_text (const char *text)
{
  GString *clean = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (g_unichar_isspace (c) || c == 0x00A0)
        {
          space = clean->len > 0;
          continue;
        }
      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT ||
          type == G_UNICODE_UNASSIGNED || type == G_UNICODE_PRIVATE_USE)
        continue;
      if (space)
        g_string_append_c (clean, ' ');
      space = FALSE;
      g_string_append_unichar (clean, c);
    }

  if (clean->len == 0)
    {
      g_string_free (clean, TRUE);
      return NULL;
    }

  return g_string_free (clean, FALSE);
}

/* The elements we read, each only under its JNLP parent; everything else
 * (<j2se>, <nativelib>, <homepage>, extensions) is skipped. */
typedef enum {
  ELEMENT_OTHER,
  ELEMENT_JNLP,
  ELEMENT_INFORMATION,
  ELEMENT_TITLE,
  ELEMENT_VENDOR,
  ELEMENT_SECURITY,
  ELEMENT_ALL_PERMISSIONS,
  ELEMENT_J2EE_PERMISSIONS,
  ELEMENT_RESOURCES,
  ELEMENT_JAR,
  ELEMENT_APPLICATION_DESC,
  ELEMENT_APPLET_DESC,
  ELEMENT_ARGUMENT,
} Element;

static const struct {
  const char *name;
  Element parent;
  Element element;
} known_elements[] = {
  { "information", ELEMENT_JNLP, ELEMENT_INFORMATION },
  { "title", ELEMENT_INFORMATION, ELEMENT_TITLE },
  { "vendor", ELEMENT_INFORMATION, ELEMENT_VENDOR },
  { "security", ELEMENT_JNLP, ELEMENT_SECURITY },
  { "all-permissions", ELEMENT_SECURITY, ELEMENT_ALL_PERMISSIONS },
  { "j2ee-application-client-permissions", ELEMENT_SECURITY, ELEMENT_J2EE_PERMISSIONS },
  { "resources", ELEMENT_JNLP, ELEMENT_RESOURCES },
  { "jar", ELEMENT_RESOURCES, ELEMENT_JAR },
  { "application-desc", ELEMENT_JNLP, ELEMENT_APPLICATION_DESC },
  { "applet-desc", ELEMENT_JNLP, ELEMENT_APPLET_DESC },
  { "argument", ELEMENT_APPLICATION_DESC, ELEMENT_ARGUMENT },
};

typedef struct {
  EimzaJnlp *jnlp;
  xmlTextReaderPtr reader;
  Element stack[EIMZA_JNLP_MAX_DEPTH + 1];
  gboolean looks_like_jnlp;
  gboolean seen_root;
  guint n_elements;
  guint n_descriptions;
  gboolean xml_error;

  /* The text of the title, vendor or argument being read. */
  GString *text;
  Element text_element;
  int text_depth;

  /* As written in the file, resolved once the codebase is known. */
  char *codebase;
  char *href;
  GPtrArray *jar_hrefs;
} Parser;

static void
parser_clear (Parser *parser)
{
  g_clear_pointer (&parser->reader, xmlFreeTextReader);
  if (parser->text != NULL)
    g_string_free (parser->text, TRUE);
  g_free (parser->codebase);
  g_free (parser->href);
  g_clear_pointer (&parser->jar_hrefs, g_ptr_array_unref);
}

/* libxml2 would print its errors on stderr; one is enough to refuse the
 * file, and its text is not for people. */
static void
xml_error_cb (void        *user_data,
              xmlErrorPtr  error)
{
  Parser *parser = user_data;

  if (error != NULL && error->level >= XML_ERR_ERROR)
    {
      if (!parser->xml_error)
        g_debug ("Refusing a .jnlp file: line %d: %s", error->line,
                 error->message != NULL ? g_strstrip (error->message) : "parse error");
      parser->xml_error = TRUE;
    }
}

static char *
get_attribute (Parser     *parser,
               const char *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (parser->reader, (const xmlChar *) name);
  char *result;

  if (value == NULL)
    return NULL;

  /* The whole file is valid UTF-8, so are its attributes. */
  result = g_strstrip (g_strdup ((const char *) value));
  xmlFree (value);
  return result;
}

static void
finish_text (Parser *parser)
{
  EimzaJnlp *jnlp = parser->jnlp;
  g_autofree char *raw = g_string_free (g_steal_pointer (&parser->text), FALSE);

  switch (parser->text_element)
    {
    case ELEMENT_TITLE:
      /* Several <information> blocks (one per locale) may each have one;
       * the first says it. */
      if (jnlp->title == NULL)
        jnlp->title = clean_text (raw);
      break;
    case ELEMENT_VENDOR:
      if (jnlp->vendor == NULL)
        jnlp->vendor = clean_text (raw);
      break;
    case ELEMENT_ARGUMENT:
      g_ptr_array_add (jnlp->arguments, g_strdup (g_strstrip (raw)));
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
start_element (Parser  *parser,
               int      depth,
               GError **error)
{
  EimzaJnlp *jnlp = parser->jnlp;
  const char *name = (const char *) xmlTextReaderConstLocalName (parser->reader);
  gboolean namespaced = xmlTextReaderConstNamespaceUri (parser->reader) != NULL;
  Element element = ELEMENT_OTHER;

  if (name == NULL)
    {
      set_malformed (error, "an element without a name");
      return FALSE;
    }

  if (++parser->n_elements > EIMZA_JNLP_MAX_ELEMENTS)
    {
      set_malformed (error, "too many elements");
      return FALSE;
    }

  if (depth > EIMZA_JNLP_MAX_DEPTH)
    {
      set_malformed (error, "elements nested too deep");
      return FALSE;
    }

  if (depth == 0)
    {
      if (parser->seen_root)
        {
          set_malformed (error, "a second root element");
          return FALSE;
        }
      if (namespaced || strcmp (name, "jnlp") != 0)
        {
          set_not_jnlp (error, "the root element is not <jnlp>");
          return FALSE;
        }
      parser->seen_root = TRUE;
      element = ELEMENT_JNLP;
    }
  else if (!namespaced)
    {
      Element parent = parser->stack[depth - 1];

      for (guint i = 0; i < G_N_ELEMENTS (known_elements); i++)
        {
          if (known_elements[i].parent == parent && strcmp (known_elements[i].name, name) == 0)
            {
              element = known_elements[i].element;
              break;
            }
        }
    }

  parser->stack[depth] = element;

  switch (element)
    {
    case ELEMENT_JNLP:
      parser->codebase = get_attribute (parser, "codebase");
      parser->href = get_attribute (parser, "href");
      break;

    case ELEMENT_TITLE:
    case ELEMENT_VENDOR:
    case ELEMENT_ARGUMENT:
      if (element == ELEMENT_ARGUMENT && jnlp->arguments->len >= EIMZA_JNLP_MAX_ARGUMENTS)
        {
          set_malformed (error, "too many arguments");
          return FALSE;
        }
      parser->text = g_string_new (NULL);
      parser->text_element = element;
      parser->text_depth = depth;
      if (xmlTextReaderIsEmptyElement (parser->reader) == 1)
        finish_text (parser);
      break;

    case ELEMENT_ALL_PERMISSIONS:
      jnlp->security = EIMZA_JNLP_SECURITY_ALL_PERMISSIONS;
      break;

    case ELEMENT_J2EE_PERMISSIONS:
      jnlp->security = MAX (jnlp->security, EIMZA_JNLP_SECURITY_J2EE_CLIENT);
      break;

    case ELEMENT_JAR:
      {
        char *href = get_attribute (parser, "href");
        g_autofree char *main = get_attribute (parser, "main");

        if (href == NULL || *href == '\0')
          {
            g_free (href);
            set_malformed (error, "a <jar> without href");
            return FALSE;
          }
        if (parser->jar_hrefs->len >= EIMZA_JNLP_MAX_JARS)
          {
            g_free (href);
            set_malformed (error, "too many jars");
            return FALSE;
          }
        if (jnlp->main_jar < 0 && g_strcmp0 (main, "true") == 0)
          jnlp->main_jar = parser->jar_hrefs->len;
        g_ptr_array_add (parser->jar_hrefs, href);
      }
      break;

    case ELEMENT_APPLICATION_DESC:
    case ELEMENT_APPLET_DESC:
      /* Java would run one of them; which one we cannot tell. */
      if (++parser->n_descriptions > 1)
        {
          set_malformed (error, "more than one application description");
          return FALSE;
        }
      jnlp->main_class = get_attribute (parser, "main-class");
      if (jnlp->main_class != NULL && *jnlp->main_class == '\0')
        g_clear_pointer (&jnlp->main_class, g_free);
      break;

    case ELEMENT_OTHER:
    case ELEMENT_INFORMATION:
    case ELEMENT_SECURITY:
    case ELEMENT_RESOURCES:
    default:
      break;
    }

  return TRUE;
}

static gboolean
read_text (Parser  *parser,
           int      depth,
           GError **error)
{
  const char *value;

  /* Only the element's own text, not that of elements inside it. */
  if (parser->text == NULL || depth != parser->text_depth + 1)
    return TRUE;

  value = (const char *) xmlTextReaderConstValue (parser->reader);
  if (value == NULL)
    return TRUE;

  if (parser->text->len + strlen (value) > EIMZA_JNLP_MAX_TEXT)
    {
      set_malformed (error, "a text is too long");
      return FALSE;
    }
  g_string_append (parser->text, value);

  return TRUE;
}

/* Only an empty internal subset is harmless: declarations there are what
 * entity bombs and external entities (XXE) are made of, and no JNLP needs
 * them. An external subset (a DOCTYPE naming Sun's DTD) is never loaded. */
static gboolean
check_doctype (Parser  *parser,
               GError **error)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (parser->reader);
  xmlDtdPtr dtd;

  if (node == NULL || node->type != XML_DTD_NODE)
    {
      set_malformed (error, "an odd DOCTYPE");
      return FALSE;
    }

  dtd = (xmlDtdPtr) node;
  if (dtd->children != NULL || dtd->entities != NULL || dtd->pentities != NULL ||
      dtd->elements != NULL || dtd->attributes != NULL || dtd->notations != NULL)
    {
      set_malformed (error, "a DOCTYPE with declarations");
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_document (Parser  *parser,
               GError **error)
{
  int status;

  while ((status = xmlTextReaderRead (parser->reader)) == 1)
    {
      int type = xmlTextReaderNodeType (parser->reader);
      int depth = xmlTextReaderDepth (parser->reader);

      if (parser->xml_error)
        break;

      if (depth < 0)
        {
          set_malformed (error, "lost in the document");
          return FALSE;
        }

      switch (type)
        {
        case XML_READER_TYPE_ELEMENT:
          if (!start_element (parser, depth, error))
            return FALSE;
          break;

        case XML_READER_TYPE_END_ELEMENT:
          if (parser->text != NULL && depth == parser->text_depth)
            finish_text (parser);
          break;

        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
          if (!read_text (parser, depth, error))
            return FALSE;
          break;

        case XML_READER_TYPE_DOCUMENT_TYPE:
          if (!check_doctype (parser, error))
            return FALSE;
          break;

        case XML_READER_TYPE_ENTITY_REFERENCE:
        case XML_READER_TYPE_ENTITY:
        case XML_READER_TYPE_END_ENTITY:
        case XML_READER_TYPE_NOTATION:
          set_malformed (error, "an entity");
          return FALSE;

        default:
          /* Comments, processing instructions, the XML declaration. */
          break;
        }
    }

  if (status < 0 || parser->xml_error)
    {
      /* The reader reads ahead: an error may come before the root element
       * it is in. */
      if (parser->seen_root || parser->looks_like_jnlp)
        set_malformed (error, "not well-formed XML");
      else
        set_not_jnlp (error, "not XML");
      return FALSE;
    }

  if (!parser->seen_root)
    {
      set_not_jnlp (error, "no root element");
      return FALSE;
    }

  return TRUE;
}

/* Everything the file names becomes an absolute https:// URL, or the file
 * is refused. */
static gboolean
resolve_urls (Parser  *parser,
              GError **error)
{
  EimzaJnlp *jnlp = parser->jnlp;
  g_autoptr(GUri) codebase = NULL;
  g_autofree char *host = NULL;
  const char *path;

  if (parser->codebase == NULL || *parser->codebase == '\0')
    {
      /* Java would take the address the file was downloaded from, which a
       * file on disk no longer tells. */
      set_insecure (error, NULL, "no codebase");
      return FALSE;
    }

  if (check_url (NULL, parser->codebase, &codebase, &host) != URL_OK)
    {
      g_autoptr(GUri) uri = g_uri_parse (parser->codebase, URI_FLAGS, NULL);

      /* Only a plain http:// address is worth naming. */
      set_insecure (error,
                    uri != NULL && g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 &&
                    g_uri_get_userinfo (uri) == NULL ? host : NULL,
                    "the codebase is not an https:// URL");
      return FALSE;
    }

  if (g_uri_get_query (codebase) != NULL || g_uri_get_fragment (codebase) != NULL)
    {
      set_insecure (error, NULL, "a codebase with a query or fragment");
      return FALSE;
    }

  /* Java Web Start takes the codebase for a directory, also without a
   * trailing "/". */
  path = g_uri_get_path (codebase);
  if (!g_str_has_suffix (path, "/"))
    {
      g_autofree char *directory = g_strconcat (path, "/", NULL);
      GUri *as_directory = g_uri_build (URI_FLAGS, "https", NULL, host,
                                        g_uri_get_port (codebase), directory, NULL, NULL);

      g_uri_unref (codebase);
      codebase = as_directory;
    }

  jnlp->codebase = g_uri_to_string (codebase);
  jnlp->codebase_host = g_steal_pointer (&host);

  if (parser->href != NULL && *parser->href != '\0')
    {
      g_autoptr(GUri) href = NULL;
      g_autofree char *href_host = NULL;

      switch (check_url (codebase, parser->href, &href, &href_host))
        {
        case URL_OK:
          jnlp->href = g_uri_to_string (href);
          break;
        case URL_UNREADABLE:
          set_malformed (error, "an unreadable href");
          return FALSE;
        case URL_INSECURE:
        default:
          set_insecure (error, NULL, "the href is not an https:// URL");
          return FALSE;
        }
    }

  for (guint i = 0; i < parser->jar_hrefs->len; i++)
    {
      g_autoptr(GUri) jar = NULL;
      g_autofree char *jar_host = NULL;

      switch (check_url (codebase, g_ptr_array_index (parser->jar_hrefs, i), &jar, &jar_host))
        {
        case URL_OK:
          g_ptr_array_add (jnlp->jars, g_uri_to_string (jar));
          g_ptr_array_add (jnlp->jar_hosts, g_steal_pointer (&jar_host));
          break;
        case URL_UNREADABLE:
          set_malformed (error, "an unreadable jar href");
          return FALSE;
        case URL_INSECURE:
        default:
          set_insecure (error, NULL, "a jar is not an https:// URL");
          return FALSE;
        }
    }

  if (jnlp->main_jar < 0 && jnlp->jars->len > 0)
    jnlp->main_jar = 0;

  return TRUE;
}

EimzaJnlp *
eimza_jnlp_new_from_bytes (GBytes  *bytes,
                           GError **error)
{
  g_autoptr(EimzaJnlp) self = NULL;
  Parser parser = { 0 };
  const char *data;
  gsize size;
  gboolean looks_like_jnlp;
  gboolean ok;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (data == NULL || size == 0)
    {
      set_not_jnlp (error, "an empty file");
      return NULL;
    }

  if (size > EIMZA_JNLP_MAX_SIZE)
    {
      g_autofree char *size_text = g_format_size (size);

      g_set_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_TOO_LARGE,
                   _("This .jnlp file is too large (%s) to be an e-signature "
                     "application’s, so it was not read."), size_text);
      return NULL;
    }

  /* Cheap checks on the bytes, before any parser sees them. Real
   * descriptors are UTF-8 (ASCII, mostly); forcing UTF-8 also keeps a
   * declared encoding from turning junk into text. A NUL byte fails too. */
  looks_like_jnlp = g_strstr_len (data, size, "<jnlp") != NULL;
  if (!g_utf8_validate_len (data, size, NULL))
    {
      if (looks_like_jnlp)
        set_malformed (error, "not valid UTF-8");
      else
        set_not_jnlp (error, "not UTF-8 text");
      return NULL;
    }

  /* Entity declarations are how "billion laughs" and XXE files start; the
   * reader refuses them too (check_doctype()), this keeps them from even
   * being parsed. */
  if (g_strstr_len (data, size, "<!ENTITY") != NULL)
    {
      if (looks_like_jnlp)
        set_malformed (error, "entity declarations");
      else
        set_not_jnlp (error, "entity declarations");
      return NULL;
    }

  eimza_portal_xml_init ();

  self = g_object_new (EIMZA_TYPE_JNLP, NULL);
  parser.jnlp = self;
  parser.looks_like_jnlp = looks_like_jnlp;
  parser.jar_hrefs = g_ptr_array_new_with_free_func (g_free);

  /* NONET: nothing is ever fetched. No NOENT, DTDLOAD, DTDATTR, DTDVALID
   * or XINCLUDE: entities stay unexpanded, no DTD is read, no default
   * attribute is added. IGNORE_ENC: the bytes are UTF-8 whatever the XML
   * declaration says. No RECOVER: a broken file is refused, not guessed. */
  parser.reader = xmlReaderForMemory (data, (int) size, NULL, "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_IGNORE_ENC);
  if (parser.reader == NULL)
    {
      parser_clear (&parser);
      set_malformed (error, "the XML reader could not be created");
      return NULL;
    }
  xmlTextReaderSetStructuredErrorHandler (parser.reader, xml_error_cb, &parser);

  ok = read_document (&parser, error) && resolve_urls (&parser, error);
  parser_clear (&parser);

  return ok ? g_steal_pointer (&self) : NULL;
}

const char *
eimza_jnlp_get_codebase (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  return self->codebase;
}

const char *
eimza_jnlp_get_codebase_host (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  return self->codebase_host;
}

const char *
eimza_jnlp_get_href (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  return self->href;
}

const char *
eimza_jnlp_get_title (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  return self->title;
}

const char *
eimza_jnlp_get_vendor (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  return self->vendor;
}

const char * const *
eimza_jnlp_get_jars (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  return (const char * const *) self->jars->pdata;
}

const char *
eimza_jnlp_get_main_jar (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  if (self->main_jar < 0 || (guint) self->main_jar >= self->jars->len)
    return NULL;

  return g_ptr_array_index (self->jars, self->main_jar);
}

const char *
eimza_jnlp_get_main_class (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  return self->main_class;
}

const char * const *
eimza_jnlp_get_arguments (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  return (const char * const *) self->arguments->pdata;
}

EimzaJnlpSecurity
eimza_jnlp_get_security (EimzaJnlp *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), EIMZA_JNLP_SECURITY_SANDBOX);

  return self->security;
}

static gboolean
host_listed (const char * const *hosts,
             const char         *host)
{
  return host != NULL && g_strv_contains (hosts, host);
}

/* "a.b.C" matches "a.b.C" and "a.*" (any class below package a). */
static gboolean
class_listed (const char * const *patterns,
              const char         *main_class)
{
  if (main_class == NULL)
    return FALSE;

  for (guint i = 0; patterns[i] != NULL; i++)
    {
      const char *pattern = patterns[i];

      if (g_str_has_suffix (pattern, ".*"))
        {
          gsize prefix_len = strlen (pattern) - 1;  /* keeps the "." */

          if (strncmp (main_class, pattern, prefix_len) == 0 && main_class[prefix_len] != '\0')
            return TRUE;
        }
      else if (strcmp (main_class, pattern) == 0)
        {
          return TRUE;
        }
    }

  return FALSE;
}

EimzaJnlpKind
eimza_jnlp_recognise (EimzaJnlp           *self,
                      EimzaPortalProfile  *profile,
                      GError             **error)
{
  const char * const *hosts;
  const char * const *classes;

  g_return_val_if_fail (EIMZA_IS_JNLP (self), EIMZA_JNLP_KIND_UNKNOWN);
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (profile), EIMZA_JNLP_KIND_UNKNOWN);
  g_return_val_if_fail (error == NULL || *error == NULL, EIMZA_JNLP_KIND_UNKNOWN);

  hosts = eimza_portal_profile_get_jnlp_hosts (profile);
  classes = eimza_portal_profile_get_jnlp_main_classes (profile);

  /* Parsing let only https:// through; this stays true if that changes. */
  if (!g_str_has_prefix (self->codebase, "https://") ||
      !host_listed (hosts, self->codebase_host))
    {
      g_set_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_UNKNOWN_APP,
                   _("This .jnlp file is not from Kamu SM: its application comes from "
                     "“%s”. It was not used."), self->codebase_host);
      return EIMZA_JNLP_KIND_UNKNOWN;
    }

  /* The code would come from the jars: a listed codebase with a jar from
   * elsewhere is someone else's application. */
  for (guint i = 0; i < self->jar_hosts->len; i++)
    {
      const char *jar_host = g_ptr_array_index (self->jar_hosts, i);

      if (!host_listed (hosts, jar_host))
        {
          g_set_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_UNKNOWN_APP,
                       _("This .jnlp file is not from Kamu SM: its application comes from "
                         "“%s”. It was not used."), jar_host);
          return EIMZA_JNLP_KIND_UNKNOWN;
        }
    }

  if (self->jars->len == 0 || !class_listed (classes, self->main_class))
    {
      g_debug ("Unknown .jnlp application %s from %s",
               self->main_class != NULL ? self->main_class : "(no main class)",
               self->codebase_host);
      g_set_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_UNKNOWN_APP,
                   _("This .jnlp file from “%s” is not a signing application this "
                     "assistant knows. Check for an update of the assistant."),
                   self->codebase_host);
      return EIMZA_JNLP_KIND_UNKNOWN;
    }

  return EIMZA_JNLP_KIND_SIGNER;
}

char *
eimza_jnlp_describe (EimzaJnlp     *self,
                     EimzaJnlpKind  kind)
{
  g_return_val_if_fail (EIMZA_IS_JNLP (self), NULL);

  switch (kind)
    {
    case EIMZA_JNLP_KIND_SIGNER:
      /* Translators: %s is a host name, e.g. onlineislemler.kamusm.gov.tr. */
      return g_strdup_printf (_("Kamu SM signing application from %s"), self->codebase_host);
    case EIMZA_JNLP_KIND_UNKNOWN:
    default:
      /* Translators: %s is a host name. */
      return g_strdup_printf (_("Unknown Java application from %s"), self->codebase_host);
    }
}
