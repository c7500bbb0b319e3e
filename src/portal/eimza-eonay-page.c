/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One page of the NES online-operations site, parsed into what the e-onay client needs. */
#include "config.h"

#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "eimza-eonay-page.h"
#include "eimza-portal-error.h"
#include "eimza-portal-page.h"
#include "eimza-portal-profile-private.h"

struct _EimzaEonayPage
{
  GObject parent_instance;

  EimzaEonayPageKind kind;
  GPtrArray *hidden_names;  /* NULL-terminated */
  GPtrArray *hidden_values; /* NULL-terminated */
  GHashTable *submits;      /* name -> value */
  GPtrArray *errors;        /* NULL-terminated */
  GPtrArray *infos;         /* NULL-terminated */
  char *code;
  int seconds_left;
  int time_limit;
  EimzaEonayPurpose purpose;
  char *holder;
  gboolean eonay_active;
  char *explanation;
  char *commitment;
};

G_DEFINE_FINAL_TYPE (EimzaEonayPage, eimza_eonay_page, G_TYPE_OBJECT)

/* The expired-session page is the login form with a message, so it comes
 * first; then later steps before earlier ones. */
static const EimzaEonayPageKind kind_order[] = {
  EIMZA_EONAY_PAGE_SESSION_EXPIRED,
  EIMZA_EONAY_PAGE_EONAY,
  EIMZA_EONAY_PAGE_MENU,
  EIMZA_EONAY_PAGE_CODE,
  EIMZA_EONAY_PAGE_LOGIN,
};

static void
eimza_eonay_page_finalize (GObject *object)
{
  EimzaEonayPage *self = EIMZA_EONAY_PAGE (object);

  g_clear_pointer (&self->hidden_names, g_ptr_array_unref);
  g_clear_pointer (&self->hidden_values, g_ptr_array_unref);
  g_clear_pointer (&self->submits, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_free (self->code);
  g_free (self->holder);
  g_free (self->explanation);
  g_free (self->commitment);

  G_OBJECT_CLASS (eimza_eonay_page_parent_class)->finalize (object);
}

static void
eimza_eonay_page_class_init (EimzaEonayPageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = eimza_eonay_page_finalize;
}

static void
eimza_eonay_page_init (EimzaEonayPage *self)
{
  self->hidden_names = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->hidden_values = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->submits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->errors = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->infos = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->seconds_left = -1;
  self->time_limit = -1;
}

static gboolean
unexpected (GError     **error,
            const char  *why)
{
  g_debug ("Unexpected NES page: %s", why);
  g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
                       eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
  return FALSE;
}

/* Text as people read it: valid UTF-8, white space (and no-break spaces)
 * collapsed, trimmed; NULL when nothing is left. */
static char *
clean_text (const xmlChar *text)
{
  g_autofree char *valid = NULL;
  GString *clean;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid ((const char *) text, -1);
  clean = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x00A0)
        {
          space = clean->len > 0;
          continue;
        }
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

static char *
get_attribute (xmlNodePtr  node,
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

static void
xpath_error_cb (void        *user_data,
                xmlErrorPtr  error)
{
}

static xmlXPathObjectPtr
evaluate (xmlXPathContextPtr context,
          gpointer           expr)
{
  context->node = xmlDocGetRootElement (context->doc);
  return xmlXPathCompiledEval (expr, context);
}

static gboolean
evaluate_boolean (xmlXPathContextPtr context,
                  gpointer           expr)
{
  xmlXPathObjectPtr result = evaluate (context, expr);
  gboolean value;

  if (result == NULL)
    return FALSE;

  value = xmlXPathCastToBoolean (result) != 0;
  xmlXPathFreeObject (result);
  return value;
}

static char *
evaluate_string (xmlXPathContextPtr context,
                 gpointer           expr)
{
  xmlXPathObjectPtr result = evaluate (context, expr);
  xmlChar *text;
  char *value;

  if (result == NULL)
    return NULL;

  text = xmlXPathCastToString (result);
  value = clean_text (text);
  xmlFree (text);
  xmlXPathFreeObject (result);
  return value;
}

/* The nodes a selector finds, copied out of the XPath result. */
static GPtrArray *
evaluate_nodes (xmlXPathContextPtr context,
                gpointer           expr)
{
  xmlXPathObjectPtr result = evaluate (context, expr);
  GPtrArray *nodes = g_ptr_array_new ();

  if (result != NULL && result->type == XPATH_NODESET && result->nodesetval != NULL)
    {
      for (int i = 0; i < result->nodesetval->nodeNr; i++)
        g_ptr_array_add (nodes, result->nodesetval->nodeTab[i]);
    }

  g_clear_pointer (&result, xmlXPathFreeObject);
  return nodes;
}

static int
parse_count (const char *text)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &value, NULL))
    return -1;
  return (int) value;
}

static void
read_texts (xmlXPathContextPtr context,
            gpointer           expr,
            GPtrArray         *out)
{
  g_autoptr(GPtrArray) nodes = evaluate_nodes (context, expr);

  for (guint i = 0; i < nodes->len; i++)
    {
      xmlChar *content = xmlNodeGetContent (g_ptr_array_index (nodes, i));
      char *text = clean_text (content);

      xmlFree (content);
      if (text != NULL)
        g_ptr_array_add (out, text);
    }
}

static void
read_inputs (EimzaEonayPage     *self,
             EimzaEonayProfile  *profile,
             xmlXPathContextPtr  context)
{
  g_autoptr(GPtrArray) hidden = evaluate_nodes (context,
                                                eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_HIDDEN_INPUTS));
  g_autoptr(GPtrArray) submits = evaluate_nodes (context,
                                                 eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_SUBMIT_BUTTONS));

  for (guint i = 0; i < hidden->len; i++)
    {
      xmlNodePtr node = g_ptr_array_index (hidden, i);
      char *name = node->type == XML_ELEMENT_NODE ? get_attribute (node, "name") : NULL;
      char *value;

      if (name == NULL || *name == '\0')
        {
          g_free (name);
          continue;
        }
      value = get_attribute (node, "value");
      g_ptr_array_add (self->hidden_names, name);
      g_ptr_array_add (self->hidden_values, value != NULL ? value : g_strdup (""));
    }

  for (guint i = 0; i < submits->len; i++)
    {
      xmlNodePtr node = g_ptr_array_index (submits, i);
      char *name = node->type == XML_ELEMENT_NODE ? get_attribute (node, "name") : NULL;
      char *value;

      if (name == NULL || *name == '\0' || g_hash_table_contains (self->submits, name))
        {
          g_free (name);
          continue;
        }
      value = get_attribute (node, "value");
      g_hash_table_insert (self->submits, name, value != NULL ? value : g_strdup (""));
    }
}

static gboolean
parse_document (EimzaEonayPage     *self,
                EimzaEonayProfile  *profile,
                xmlDocPtr           doc,
                GError            **error)
{
  xmlXPathContextPtr context = xmlXPathNewContext (doc);
  gboolean ok = TRUE;

  context->error = xpath_error_cb;

  self->kind = EIMZA_EONAY_PAGE_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (kind_order); i++)
    {
      if (evaluate_boolean (context, eimza_eonay_profile_get_page_marker (profile, kind_order[i])))
        {
          self->kind = kind_order[i];
          break;
        }
    }

  read_texts (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_PAGE_ERRORS),
              self->errors);
  read_texts (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_INFO_MESSAGES),
              self->infos);

  if (self->kind == EIMZA_EONAY_PAGE_UNKNOWN)
    {
      if (self->errors->len == 0 && self->infos->len == 0)
        ok = unexpected (error, "no page marker matched");
    }
  else
    {
      GPtrArray *requirements = eimza_eonay_profile_get_page_requirements (profile, self->kind);

      for (guint i = 0; ok && i < requirements->len; i++)
        {
          if (!evaluate_boolean (context, g_ptr_array_index (requirements, i)))
            ok = unexpected (error, "a required part of the page is missing");
        }
    }

  if (ok)
    {
      g_autofree char *seconds = NULL;
      g_autofree char *limit = NULL;
      g_autofree char *purpose = NULL;

      read_inputs (self, profile, context);

      self->code = evaluate_string (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_CODE));
      seconds = evaluate_string (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_SECONDS_LEFT));
      limit = evaluate_string (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_TIME_LIMIT));
      purpose = evaluate_string (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_PURPOSE));
      self->seconds_left = parse_count (seconds);
      self->time_limit = parse_count (limit);
      self->purpose = eimza_eonay_profile_parse_purpose (profile, purpose);
      self->holder = evaluate_string (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_HOLDER));
      self->eonay_active = evaluate_boolean (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_EONAY_ACTIVE));
      self->explanation = evaluate_string (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_EXPLANATION));
      self->commitment = evaluate_string (context, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_COMMITMENT));
    }

  xmlXPathFreeContext (context);
  return ok;
}

static gboolean
contains_ascii_nocase (const char *data,
                       gsize       size,
                       const char *needle)
{
  gsize needle_size = strlen (needle);

  for (gsize i = 0; needle_size <= size && i <= size - needle_size; i++)
    {
      if (g_ascii_strncasecmp (data + i, needle, needle_size) == 0)
        return TRUE;
    }

  return FALSE;
}

EimzaEonayPage *
eimza_eonay_page_parse (EimzaEonayProfile  *profile,
                        GBytes             *bytes,
                        GError            **error)
{
  g_autoptr(EimzaEonayPage) self = NULL;
  const char *complete_marker;
  const char *encoding;
  const char *data;
  gsize size;
  xmlDocPtr doc;
  gboolean ok;

  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (profile), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || data == NULL)
    {
      unexpected (error, "empty page");
      return NULL;
    }
  if (size > EIMZA_PORTAL_PAGE_MAX_SIZE)
    {
      unexpected (error, "page too large");
      return NULL;
    }

  encoding = eimza_eonay_profile_get_encoding (profile);
  if (g_ascii_strcasecmp (encoding, "UTF-8") == 0 && !g_utf8_validate_len (data, size, NULL))
    {
      unexpected (error, "the page is not valid UTF-8");
      return NULL;
    }

  complete_marker = eimza_eonay_profile_get_complete_marker (profile);
  if (complete_marker != NULL && !contains_ascii_nocase (data, size, complete_marker))
    {
      unexpected (error, "the page is cut off");
      return NULL;
    }

  eimza_portal_xml_init ();

  /* NONET: never fetch what a page refers to. */
  doc = htmlReadMemory (data, (int) size, NULL, encoding,
                        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                        HTML_PARSE_RECOVER);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      g_clear_pointer (&doc, xmlFreeDoc);
      unexpected (error, "not HTML");
      return NULL;
    }

  self = g_object_new (EIMZA_TYPE_EONAY_PAGE, NULL);
  ok = parse_document (self, profile, doc, error);
  xmlFreeDoc (doc);

  return ok ? g_steal_pointer (&self) : NULL;
}

EimzaEonayPageKind
eimza_eonay_page_get_kind (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), EIMZA_EONAY_PAGE_UNKNOWN);

  return self->kind;
}

const char * const *
eimza_eonay_page_get_hidden_names (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), NULL);

  return (const char * const *) self->hidden_names->pdata;
}

const char * const *
eimza_eonay_page_get_hidden_values (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), NULL);

  return (const char * const *) self->hidden_values->pdata;
}

const char *
eimza_eonay_page_get_submit_value (EimzaEonayPage *self,
                                   const char     *name)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->submits, name);
}

const char * const *
eimza_eonay_page_get_errors (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), NULL);

  return (const char * const *) self->errors->pdata;
}

const char * const *
eimza_eonay_page_get_infos (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), NULL);

  return (const char * const *) self->infos->pdata;
}

const char *
eimza_eonay_page_get_code (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), NULL);

  return self->code;
}

int
eimza_eonay_page_get_seconds_left (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), -1);

  return self->seconds_left;
}

int
eimza_eonay_page_get_time_limit (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), -1);

  return self->time_limit;
}

EimzaEonayPurpose
eimza_eonay_page_get_purpose (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), EIMZA_EONAY_PURPOSE_UNKNOWN);

  return self->purpose;
}

const char *
eimza_eonay_page_get_holder (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), NULL);

  return self->holder;
}

gboolean
eimza_eonay_page_get_eonay_active (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), FALSE);

  return self->eonay_active;
}

const char *
eimza_eonay_page_get_explanation (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), NULL);

  return self->explanation;
}

const char *
eimza_eonay_page_get_commitment (EimzaEonayPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PAGE (self), NULL);

  return self->commitment;
}
