/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One page of the application portal, parsed into what the client needs. */
#include "config.h"

#include <libxml/xpath.h>

#include "eimza-portal-error.h"
#include "eimza-portal-html.h"
#include "eimza-portal-match.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile-private.h"

struct _EimzaPortalWebPage
{
  GObject parent_instance;

  EimzaPortalWebPageKind kind;
  GPtrArray *hidden_names;  /* NULL-terminated */
  GPtrArray *hidden_values; /* NULL-terminated */
  GHashTable *submits;      /* name -> value */
  GPtrArray *errors;        /* NULL-terminated */
  GPtrArray *infos;         /* NULL-terminated */
  GHashTable *field_errors; /* GINT_TO_POINTER (field) -> message */
  char *form_values[EIMZA_N_FIELDS];
  char *identity_values[EIMZA_N_FIELDS];
  char *captcha_url;
  char *masked_phone;
  int attempts_left;
  int resend_seconds;
  gboolean eonay_available;
  char *application_number;
  /* The e-signed application's page. */
  GString *sign_summary;    /* "Label: value" lines; NULL: no rows */
  char *sign_commitment;
  int sign_seconds_left;
  char *sign_data_url;
  char *sign_upload_url;
};

G_DEFINE_FINAL_TYPE (EimzaPortalWebPage, eimza_portal_web_page, G_TYPE_OBJECT)

/* Markers are tried in this order: the expired-session page looks like the
 * sign-in page with a message, so it comes first; later steps before earlier
 * ones, in case a page also carries a part of the previous step. */
static const EimzaPortalWebPageKind kind_order[] = {
  EIMZA_PORTAL_WEB_PAGE_SESSION_EXPIRED,
  EIMZA_PORTAL_WEB_PAGE_RESULT,
  EIMZA_PORTAL_WEB_PAGE_ESIGNED,
  EIMZA_PORTAL_WEB_PAGE_METHOD,
  EIMZA_PORTAL_WEB_PAGE_SMS,
  EIMZA_PORTAL_WEB_PAGE_FORM,
  EIMZA_PORTAL_WEB_PAGE_LOGIN,
};

static void
eimza_portal_web_page_finalize (GObject *object)
{
  EimzaPortalWebPage *self = EIMZA_PORTAL_WEB_PAGE (object);

  g_clear_pointer (&self->hidden_names, g_ptr_array_unref);
  g_clear_pointer (&self->hidden_values, g_ptr_array_unref);
  g_clear_pointer (&self->submits, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_clear_pointer (&self->field_errors, g_hash_table_unref);
  for (guint i = 0; i < EIMZA_N_FIELDS; i++)
    {
      g_free (self->form_values[i]);
      g_free (self->identity_values[i]);
    }
  g_free (self->captcha_url);
  g_free (self->masked_phone);
  g_free (self->application_number);
  if (self->sign_summary != NULL)
    g_string_free (self->sign_summary, TRUE);
  g_free (self->sign_commitment);
  g_free (self->sign_data_url);
  g_free (self->sign_upload_url);

  G_OBJECT_CLASS (eimza_portal_web_page_parent_class)->finalize (object);
}

static void
eimza_portal_web_page_class_init (EimzaPortalWebPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = eimza_portal_web_page_finalize;
}

static void
eimza_portal_web_page_init (EimzaPortalWebPage *self)
{
  self->hidden_names = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->hidden_values = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->submits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->errors = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->infos = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->field_errors = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->attempts_left = -1;
  self->resend_seconds = -1;
  self->sign_seconds_left = -1;
}

static gboolean
has_attribute (xmlNodePtr  node,
               const char *name)
{
  return xmlHasProp (node, (const xmlChar *) name) != NULL;
}

static gboolean
is_element (xmlNodePtr  node,
            const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

/* Calls @func on each node the selector finds. */
static void
for_each_node (EimzaPortalReading  *reading,
               xmlXPathCompExprPtr  expr,
               void               (*func) (EimzaPortalWebPage    *self,
                                           EimzaPortalProfile *profile,
                                           EimzaPortalReading *reading,
                                           xmlNodePtr          node),
               EimzaPortalWebPage     *self,
               EimzaPortalProfile  *profile)
{
  /* The callbacks evaluate more expressions on the same reading. */
  g_autoptr(GPtrArray) nodes = eimza_portal_reading_nodes (reading, expr, NULL);

  for (guint i = 0; i < nodes->len; i++)
    func (self, profile, reading, g_ptr_array_index (nodes, i));
}

static void
add_hidden_cb (EimzaPortalWebPage *self,
               EimzaPortalProfile *profile,
               EimzaPortalReading *reading,
               xmlNodePtr          node)
{
  char *name;
  char *value;

  if (node->type != XML_ELEMENT_NODE)
    return;

  name = eimza_portal_html_get_attribute (node, "name");
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      return;
    }

  value = eimza_portal_html_get_attribute (node, "value");
  g_ptr_array_add (self->hidden_names, name);
  g_ptr_array_add (self->hidden_values, value != NULL ? value : g_strdup (""));
}

static void
add_submit_cb (EimzaPortalWebPage *self,
               EimzaPortalProfile *profile,
               EimzaPortalReading *reading,
               xmlNodePtr          node)
{
  char *name;
  char *value;

  if (node->type != XML_ELEMENT_NODE)
    return;

  name = eimza_portal_html_get_attribute (node, "name");
  if (name == NULL || *name == '\0' || g_hash_table_contains (self->submits, name))
    {
      g_free (name);
      return;
    }

  value = eimza_portal_html_get_attribute (node, "value");
  g_hash_table_insert (self->submits, name, value != NULL ? value : g_strdup (""));
}

static void
add_node_text (GPtrArray  *array,
               xmlNodePtr  node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = eimza_portal_html_clean_text (content);

  xmlFree (content);
  if (text != NULL)
    g_ptr_array_add (array, text);
}

static void
add_error_cb (EimzaPortalWebPage *self,
              EimzaPortalProfile *profile,
              EimzaPortalReading *reading,
              xmlNodePtr          node)
{
  add_node_text (self->errors, node);
}

static void
add_info_cb (EimzaPortalWebPage *self,
             EimzaPortalProfile *profile,
             EimzaPortalReading *reading,
             xmlNodePtr          node)
{
  add_node_text (self->infos, node);
}

static void
add_field_error_cb (EimzaPortalWebPage *self,
                    EimzaPortalProfile *profile,
                    EimzaPortalReading *reading,
                    xmlNodePtr          node)
{
  xmlXPathCompExprPtr name_expr =
    eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_FIELD_ERROR_NAME);
  g_autofree char *name = eimza_portal_reading_string (reading, name_expr, node);
  xmlChar *content = xmlNodeGetContent (node);
  g_autofree char *message = eimza_portal_html_clean_text (content);
  EimzaField field;

  xmlFree (content);
  if (message == NULL)
    return;

  if (eimza_portal_profile_find_field (profile, name, &field))
    {
      /* The first message of a field is the one next to it. */
      if (!g_hash_table_contains (self->field_errors, GINT_TO_POINTER (field)))
        g_hash_table_insert (self->field_errors, GINT_TO_POINTER (field),
                             g_steal_pointer (&message));
      return;
    }

  /* A field we do not know (a new one on the portal): the person must still
   * see what the portal said. */
  g_ptr_array_add (self->errors, g_steal_pointer (&message));
}

static void
add_identity_cb (EimzaPortalWebPage *self,
                 EimzaPortalProfile *profile,
                 EimzaPortalReading *reading,
                 xmlNodePtr          node)
{
  xmlXPathCompExprPtr name_expr =
    eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_IDENTITY_CELL_NAME);
  g_autofree char *name = eimza_portal_reading_string (reading, name_expr, node);
  xmlChar *content;
  EimzaField field;

  if (!eimza_portal_profile_find_field (profile, name, &field) ||
      self->identity_values[field] != NULL)
    return;

  content = xmlNodeGetContent (node);
  self->identity_values[field] = eimza_portal_html_clean_text (content);
  xmlFree (content);
}

/* What a browser would send for a <select>: the selected option, else the
 * first one; an option without a value sends its text. */
static char *
get_select_value (xmlNodePtr select)
{
  xmlNodePtr first = NULL;
  xmlNodePtr chosen = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  /* Options may sit inside <optgroup>s; walk the subtree without recursion. */
  for (xmlNodePtr child = select->children; child != NULL || stack->len > 0;)
    {
      if (child == NULL)
        {
          child = ((xmlNodePtr) g_ptr_array_steal_index (stack, stack->len - 1))->next;
          continue;
        }

      if (is_element (child, "option"))
        {
          if (first == NULL)
            first = child;
          if (has_attribute (child, "selected"))
            {
              chosen = child;
              break;
            }
        }
      else if (is_element (child, "optgroup") && child->children != NULL)
        {
          g_ptr_array_add (stack, child);
          child = child->children;
          continue;
        }

      child = child->next;
    }

  if (chosen == NULL)
    chosen = first;
  if (chosen == NULL)
    return NULL;

  if (has_attribute (chosen, "value"))
    return eimza_portal_html_get_attribute (chosen, "value");
  else
    {
      xmlChar *content = xmlNodeGetContent (chosen);
      char *text = eimza_portal_html_clean_text (content);

      xmlFree (content);
      return text;
    }
}

static void
add_form_value_cb (EimzaPortalWebPage *self,
                   EimzaPortalProfile *profile,
                   EimzaPortalReading *reading,
                   xmlNodePtr          node)
{
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  const char *nick;
  EimzaField field;

  if (node->type != XML_ELEMENT_NODE)
    return;

  name = eimza_portal_html_get_attribute (node, "name");
  if (!eimza_portal_profile_find_field (profile, name, &field) ||
      self->form_values[field] != NULL)
    return;

  if (is_element (node, "input"))
    {
      g_autofree char *type_attribute = eimza_portal_html_get_attribute (node, "type");
      const char *type = type_attribute != NULL ? type_attribute : "text";

      if (g_ascii_strcasecmp (type, "radio") == 0 || g_ascii_strcasecmp (type, "checkbox") == 0)
        {
          if (!has_attribute (node, "checked"))
            return;
          value = eimza_portal_html_get_attribute (node, "value");
          if (value == NULL)
            value = g_strdup ("on");
        }
      else if (g_ascii_strcasecmp (type, "submit") == 0 ||
               g_ascii_strcasecmp (type, "button") == 0 ||
               g_ascii_strcasecmp (type, "image") == 0 ||
               g_ascii_strcasecmp (type, "reset") == 0 ||
               g_ascii_strcasecmp (type, "file") == 0 ||
               g_ascii_strcasecmp (type, "password") == 0)
        return;
      else
        value = eimza_portal_html_get_attribute (node, "value");
    }
  else if (is_element (node, "select"))
    value = get_select_value (node);
  else if (is_element (node, "textarea"))
    {
      xmlChar *content = xmlNodeGetContent (node);

      value = g_strstrip (g_utf8_make_valid (content != NULL ? (const char *) content : "", -1));
      xmlFree (content);
    }

  if (value == NULL || *value == '\0')
    return;

  /* Option values the profile does not map (e.g. a new choice) are left
   * out rather than put into the model as something it cannot check. */
  nick = eimza_portal_profile_option_from_portal (profile, field, value);
  if (nick != NULL)
    self->form_values[field] = g_strdup (nick);
}

/* One row of the e-signed application's summary, as a line of text. */
static void
add_summary_row_cb (EimzaPortalWebPage *self,
                    EimzaPortalProfile *profile,
                    EimzaPortalReading *reading,
                    xmlNodePtr          node)
{
  g_autofree char *label =
    eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_SIGN_SUMMARY_LABEL), node);
  g_autofree char *value =
    eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_SIGN_SUMMARY_VALUE), node);

  if (label == NULL && value == NULL)
    return;

  if (self->sign_summary == NULL)
    self->sign_summary = g_string_new (NULL);
  else
    g_string_append_c (self->sign_summary, '\n');

  if (label != NULL && value != NULL)
    g_string_append_printf (self->sign_summary, "%s: %s", label, value);
  else
    g_string_append (self->sign_summary, label != NULL ? label : value);
}

static void
parse_sign_parts (EimzaPortalWebPage *self,
                  EimzaPortalProfile *profile,
                  EimzaPortalReading *reading)
{
  g_autofree char *seconds = NULL;

  for_each_node (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_SIGN_SUMMARY_ROWS),
                 add_summary_row_cb, self, profile);
  self->sign_commitment =
    eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_SIGN_COMMITMENT), NULL);
  self->sign_data_url =
    eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_SIGN_DATA_URL), NULL);
  self->sign_upload_url =
    eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_SIGN_UPLOAD_URL), NULL);
  seconds =
    eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_SIGN_SECONDS_LEFT), NULL);
  self->sign_seconds_left = eimza_portal_html_parse_count (seconds);
}

static gboolean
parse_document (EimzaPortalWebPage  *self,
                EimzaPortalProfile  *profile,
                xmlDocPtr            doc,
                GError             **error)
{
  g_autoptr(EimzaPortalReading) reading = NULL;
  gboolean ok = TRUE;

  /* One walk over the page matches every selector of the profile. */
  reading = eimza_portal_reading_new (eimza_portal_profile_get_matcher (profile), doc);

  self->kind = EIMZA_PORTAL_WEB_PAGE_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (kind_order); i++)
    {
      if (eimza_portal_reading_boolean (reading, eimza_portal_profile_get_page_marker (profile, kind_order[i]),
                                        NULL))
        {
          self->kind = kind_order[i];
          break;
        }
    }

  for_each_node (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_PAGE_ERRORS),
                 add_error_cb, self, profile);
  for_each_node (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_INFO_MESSAGES),
                 add_info_cb, self, profile);
  for_each_node (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_FIELD_ERRORS),
                 add_field_error_cb, self, profile);

  if (self->kind == EIMZA_PORTAL_WEB_PAGE_UNKNOWN)
    {
      /* A page we do not know is still worth showing if the portal says
       * something on it (a maintenance notice, say); otherwise it is a
       * redesign or garbage. */
      if (self->errors->len == 0 && self->infos->len == 0)
        ok = eimza_portal_html_unexpected (error, "portal", "no page marker matched");
    }
  else
    {
      GPtrArray *requirements = eimza_portal_profile_get_page_requirements (profile, self->kind);

      for (guint i = 0; ok && i < requirements->len; i++)
        {
          if (!eimza_portal_reading_boolean (reading, g_ptr_array_index (requirements, i), NULL))
            ok = eimza_portal_html_unexpected (error, "portal",
                                               "a required part of the page is missing");
        }
    }

  if (ok)
    {
      for_each_node (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_HIDDEN_INPUTS),
                     add_hidden_cb, self, profile);
      for_each_node (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_SUBMIT_BUTTONS),
                     add_submit_cb, self, profile);
      for_each_node (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_FORM_CONTROLS),
                     add_form_value_cb, self, profile);
      for_each_node (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_IDENTITY_CELLS),
                     add_identity_cb, self, profile);

      self->captcha_url =
        eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_CAPTCHA_IMAGE), NULL);
      self->masked_phone =
        eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_MASKED_PHONE), NULL);
      self->application_number =
        eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_APPLICATION_NUMBER), NULL);

      {
        g_autofree char *attempts =
          eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_ATTEMPTS_LEFT), NULL);
        g_autofree char *seconds =
          eimza_portal_reading_string (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_RESEND_SECONDS), NULL);

        self->attempts_left = eimza_portal_html_parse_count (attempts);
        self->resend_seconds = eimza_portal_html_parse_count (seconds);
      }

      self->eonay_available =
        eimza_portal_reading_boolean (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_EONAY_BUTTON), NULL) &&
        !eimza_portal_reading_boolean (reading, eimza_portal_profile_get_selector_expr (profile, EIMZA_PORTAL_SELECTOR_EONAY_DISABLED), NULL);

      /* Only this page's: the signer's addresses must never be taken from
       * another page that happens to match the selectors. */
      if (self->kind == EIMZA_PORTAL_WEB_PAGE_ESIGNED)
        parse_sign_parts (self, profile, reading);
    }

  return ok;
}

EimzaPortalWebPage *
eimza_portal_web_page_parse (EimzaPortalProfile  *profile,
                             GBytes              *bytes,
                             GError             **error)
{
  g_autoptr(EimzaPortalWebPage) self = NULL;
  xmlDocPtr doc;
  gboolean ok;

  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (profile), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = eimza_portal_html_read (bytes, eimza_portal_profile_get_encoding (profile),
                                eimza_portal_profile_get_complete_marker (profile), "portal",
                                error);
  if (doc == NULL)
    return NULL;

  self = g_object_new (EIMZA_TYPE_PORTAL_WEB_PAGE, NULL);
  ok = parse_document (self, profile, doc, error);
  xmlFreeDoc (doc);

  return ok ? g_steal_pointer (&self) : NULL;
}

EimzaPortalWebPageKind
eimza_portal_web_page_get_kind (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), EIMZA_PORTAL_WEB_PAGE_UNKNOWN);

  return self->kind;
}

const char * const *
eimza_portal_web_page_get_hidden_names (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return (const char * const *) self->hidden_names->pdata;
}

const char * const *
eimza_portal_web_page_get_hidden_values (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return (const char * const *) self->hidden_values->pdata;
}

const char *
eimza_portal_web_page_get_hidden_value (EimzaPortalWebPage *self,
                                        const char         *name)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->hidden_names->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->hidden_names, i), name) == 0)
        return g_ptr_array_index (self->hidden_values, i);
    }

  return NULL;
}

const char *
eimza_portal_web_page_get_submit_value (EimzaPortalWebPage *self,
                                        const char         *name)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->submits, name);
}

const char * const *
eimza_portal_web_page_get_errors (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return (const char * const *) self->errors->pdata;
}

const char * const *
eimza_portal_web_page_get_infos (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return (const char * const *) self->infos->pdata;
}

const char *
eimza_portal_web_page_get_field_error (EimzaPortalWebPage *self,
                                       EimzaField          field)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);
  g_return_val_if_fail (field < EIMZA_N_FIELDS, NULL);

  return g_hash_table_lookup (self->field_errors, GINT_TO_POINTER (field));
}

GHashTable *
eimza_portal_web_page_get_field_errors (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return self->field_errors;
}

const char *
eimza_portal_web_page_get_form_value (EimzaPortalWebPage *self,
                                      EimzaField          field)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);
  g_return_val_if_fail (field < EIMZA_N_FIELDS, NULL);

  return self->form_values[field];
}

const char *
eimza_portal_web_page_get_identity_value (EimzaPortalWebPage *self,
                                          EimzaField          field)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);
  g_return_val_if_fail (field < EIMZA_N_FIELDS, NULL);

  return self->identity_values[field];
}

const char *
eimza_portal_web_page_get_captcha_url (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return self->captcha_url;
}

const char *
eimza_portal_web_page_get_masked_phone (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return self->masked_phone;
}

int
eimza_portal_web_page_get_attempts_left (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), -1);

  return self->attempts_left;
}

int
eimza_portal_web_page_get_resend_seconds (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), -1);

  return self->resend_seconds;
}

gboolean
eimza_portal_web_page_get_eonay_available (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), FALSE);

  return self->eonay_available;
}

const char *
eimza_portal_web_page_get_application_number (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return self->application_number;
}

const char *
eimza_portal_web_page_get_sign_summary (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return self->sign_summary != NULL ? self->sign_summary->str : NULL;
}

const char *
eimza_portal_web_page_get_sign_commitment (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return self->sign_commitment;
}

int
eimza_portal_web_page_get_sign_seconds_left (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), -1);

  return self->sign_seconds_left;
}

const char *
eimza_portal_web_page_get_sign_data_url (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return self->sign_data_url;
}

const char *
eimza_portal_web_page_get_sign_upload_url (EimzaPortalWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_WEB_PAGE (self), NULL);

  return self->sign_upload_url;
}
