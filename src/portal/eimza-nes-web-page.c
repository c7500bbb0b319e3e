/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One page of the NES online-operations site, parsed into what the e-onay client needs. */
#include "config.h"

#include <libxml/xpath.h>

#include "eimza-nes-web-page.h"
#include "eimza-portal-error.h"
#include "eimza-portal-html.h"
#include "eimza-portal-match.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile-private.h"

struct _EimzaNesWebPage
{
  GObject parent_instance;

  EimzaNesWebPageKind kind;
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

G_DEFINE_FINAL_TYPE (EimzaNesWebPage, eimza_nes_web_page, G_TYPE_OBJECT)

/* The expired-session page is the login form with a message, so it comes
 * first; then later steps before earlier ones. */
static const EimzaNesWebPageKind kind_order[] = {
  EIMZA_NES_WEB_PAGE_SESSION_EXPIRED,
  EIMZA_NES_WEB_PAGE_EONAY,
  EIMZA_NES_WEB_PAGE_MENU,
  EIMZA_NES_WEB_PAGE_CODE,
  EIMZA_NES_WEB_PAGE_LOGIN,
};

static void
eimza_nes_web_page_finalize (GObject *object)
{
  EimzaNesWebPage *self = EIMZA_NES_WEB_PAGE (object);

  g_clear_pointer (&self->hidden_names, g_ptr_array_unref);
  g_clear_pointer (&self->hidden_values, g_ptr_array_unref);
  g_clear_pointer (&self->submits, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_free (self->code);
  g_free (self->holder);
  g_free (self->explanation);
  g_free (self->commitment);

  G_OBJECT_CLASS (eimza_nes_web_page_parent_class)->finalize (object);
}

static void
eimza_nes_web_page_class_init (EimzaNesWebPageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = eimza_nes_web_page_finalize;
}

static void
eimza_nes_web_page_init (EimzaNesWebPage *self)
{
  self->hidden_names = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->hidden_values = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->submits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->errors = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->infos = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->seconds_left = -1;
  self->time_limit = -1;
}

static void
read_texts (EimzaPortalReading *reading,
            gpointer            expr,
            GPtrArray          *out)
{
  g_autoptr(GPtrArray) nodes = eimza_portal_reading_nodes (reading, expr, NULL);

  for (guint i = 0; i < nodes->len; i++)
    {
      xmlChar *content = xmlNodeGetContent (g_ptr_array_index (nodes, i));
      char *text = eimza_portal_html_clean_text (content);

      xmlFree (content);
      if (text != NULL)
        g_ptr_array_add (out, text);
    }
}

static void
read_inputs (EimzaNesWebPage    *self,
             EimzaEonayProfile  *profile,
             EimzaPortalReading *reading)
{
  g_autoptr(GPtrArray) hidden = eimza_portal_reading_nodes (reading,
                                                            eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_HIDDEN_INPUTS), NULL);
  g_autoptr(GPtrArray) submits = eimza_portal_reading_nodes (reading,
                                                             eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_SUBMIT_BUTTONS), NULL);

  for (guint i = 0; i < hidden->len; i++)
    {
      xmlNodePtr node = g_ptr_array_index (hidden, i);
      char *name = node->type == XML_ELEMENT_NODE ? eimza_portal_html_get_attribute (node, "name") : NULL;
      char *value;

      if (name == NULL || *name == '\0')
        {
          g_free (name);
          continue;
        }
      value = eimza_portal_html_get_attribute (node, "value");
      g_ptr_array_add (self->hidden_names, name);
      g_ptr_array_add (self->hidden_values, value != NULL ? value : g_strdup (""));
    }

  for (guint i = 0; i < submits->len; i++)
    {
      xmlNodePtr node = g_ptr_array_index (submits, i);
      char *name = node->type == XML_ELEMENT_NODE ? eimza_portal_html_get_attribute (node, "name") : NULL;
      char *value;

      if (name == NULL || *name == '\0' || g_hash_table_contains (self->submits, name))
        {
          g_free (name);
          continue;
        }
      value = eimza_portal_html_get_attribute (node, "value");
      g_hash_table_insert (self->submits, name, value != NULL ? value : g_strdup (""));
    }
}

static gboolean
parse_document (EimzaNesWebPage    *self,
                EimzaEonayProfile  *profile,
                xmlDocPtr           doc,
                GError            **error)
{
  /* One walk over the page matches every selector of the profile. */
  g_autoptr(EimzaPortalReading) reading =
    eimza_portal_reading_new (eimza_eonay_profile_get_matcher (profile), doc);
  gboolean ok = TRUE;

  self->kind = EIMZA_NES_WEB_PAGE_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (kind_order); i++)
    {
      if (eimza_portal_reading_boolean (reading, eimza_eonay_profile_get_page_marker (profile, kind_order[i]), NULL))
        {
          self->kind = kind_order[i];
          break;
        }
    }

  read_texts (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_PAGE_ERRORS),
              self->errors);
  read_texts (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_INFO_MESSAGES),
              self->infos);

  if (self->kind == EIMZA_NES_WEB_PAGE_UNKNOWN)
    {
      if (self->errors->len == 0 && self->infos->len == 0)
        ok = eimza_portal_html_unexpected (error, "NES", "no page marker matched");
    }
  else
    {
      GPtrArray *requirements = eimza_eonay_profile_get_page_requirements (profile, self->kind);

      for (guint i = 0; ok && i < requirements->len; i++)
        {
          if (!eimza_portal_reading_boolean (reading, g_ptr_array_index (requirements, i), NULL))
            ok = eimza_portal_html_unexpected (error, "NES",
                                               "a required part of the page is missing");
        }
    }

  if (ok)
    {
      g_autofree char *seconds = NULL;
      g_autofree char *limit = NULL;
      g_autofree char *purpose = NULL;

      read_inputs (self, profile, reading);

      self->code = eimza_portal_reading_string (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_CODE), NULL);
      seconds = eimza_portal_reading_string (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_SECONDS_LEFT), NULL);
      limit = eimza_portal_reading_string (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_TIME_LIMIT), NULL);
      purpose = eimza_portal_reading_string (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_PURPOSE), NULL);
      self->seconds_left = eimza_portal_html_parse_count (seconds);
      self->time_limit = eimza_portal_html_parse_count (limit);
      self->purpose = eimza_eonay_profile_parse_purpose (profile, purpose);
      self->holder = eimza_portal_reading_string (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_HOLDER), NULL);
      self->eonay_active = eimza_portal_reading_boolean (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_EONAY_ACTIVE), NULL);
      self->explanation = eimza_portal_reading_string (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_EXPLANATION), NULL);
      self->commitment = eimza_portal_reading_string (reading, eimza_eonay_profile_get_selector_expr (profile, EIMZA_EONAY_SELECTOR_COMMITMENT), NULL);
    }

  return ok;
}

EimzaNesWebPage *
eimza_nes_web_page_parse (EimzaEonayProfile  *profile,
                          GBytes             *bytes,
                          GError            **error)
{
  g_autoptr(EimzaNesWebPage) self = NULL;
  xmlDocPtr doc;
  gboolean ok;

  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (profile), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = eimza_portal_html_read (bytes, eimza_eonay_profile_get_encoding (profile),
                                eimza_eonay_profile_get_complete_marker (profile), "NES", error);
  if (doc == NULL)
    return NULL;

  self = g_object_new (EIMZA_TYPE_NES_WEB_PAGE, NULL);
  ok = parse_document (self, profile, doc, error);
  xmlFreeDoc (doc);

  return ok ? g_steal_pointer (&self) : NULL;
}

EimzaNesWebPageKind
eimza_nes_web_page_get_kind (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), EIMZA_NES_WEB_PAGE_UNKNOWN);

  return self->kind;
}

const char * const *
eimza_nes_web_page_get_hidden_names (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), NULL);

  return (const char * const *) self->hidden_names->pdata;
}

const char * const *
eimza_nes_web_page_get_hidden_values (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), NULL);

  return (const char * const *) self->hidden_values->pdata;
}

const char *
eimza_nes_web_page_get_submit_value (EimzaNesWebPage *self,
                                     const char      *name)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->submits, name);
}

const char * const *
eimza_nes_web_page_get_errors (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), NULL);

  return (const char * const *) self->errors->pdata;
}

const char * const *
eimza_nes_web_page_get_infos (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), NULL);

  return (const char * const *) self->infos->pdata;
}

const char *
eimza_nes_web_page_get_code (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), NULL);

  return self->code;
}

int
eimza_nes_web_page_get_seconds_left (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), -1);

  return self->seconds_left;
}

int
eimza_nes_web_page_get_time_limit (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), -1);

  return self->time_limit;
}

EimzaEonayPurpose
eimza_nes_web_page_get_purpose (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), EIMZA_EONAY_PURPOSE_UNKNOWN);

  return self->purpose;
}

const char *
eimza_nes_web_page_get_holder (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), NULL);

  return self->holder;
}

gboolean
eimza_nes_web_page_get_eonay_active (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), FALSE);

  return self->eonay_active;
}

const char *
eimza_nes_web_page_get_explanation (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), NULL);

  return self->explanation;
}

const char *
eimza_nes_web_page_get_commitment (EimzaNesWebPage *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_WEB_PAGE (self), NULL);

  return self->commitment;
}
