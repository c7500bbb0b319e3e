/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything site-specific about the NES site's Şifreli Giriş and Kilit Çözme, from a portal profile. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libxml/xpath.h>

#include "eimza-portal-enums.h"
#include "eimza-portal-html.h"
#include "eimza-portal-keyfile.h"
#include "eimza-unblock-profile.h"

#define GROUP "nes-unblock"
#define SELECTORS_GROUP "nes-unblock-selectors"
#define MESSAGES_GROUP "nes-unblock-messages"
#define PAGE_GROUP_PREFIX "nes-unblock-page:"

/* The keys of [nes-unblock], in the order of the enums. */
static const char * const path_keys[EIMZA_UNBLOCK_N_PATHS] = {
  "sign-in", "sms", "unblock",
};
static const char * const field_keys[EIMZA_UNBLOCK_N_FIELDS] = {
  "tckn-field", "security-word-field", "captcha-field", "sms-field",
  "sign-in-submit", "sms-submit", "unblock-submit",
};
static const char * const selector_keys[EIMZA_UNBLOCK_N_SELECTORS] = {
  "captcha-image", "sms-phone", "sms-seconds-left", "holder", "unblock-code",
};
static const char * const page_keys[EIMZA_UNBLOCK_N_PAGE_KINDS] = {
  NULL, "sign-in", "sms", "unblock",
};

/* The site-side errors [nes-unblock-messages] must describe. */
static const EimzaPortalError classified_errors[] = {
  EIMZA_PORTAL_ERROR_SESSION_EXPIRED,
  EIMZA_PORTAL_ERROR_WRONG_CAPTCHA,
  EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH,
  EIMZA_PORTAL_ERROR_SECURITY_WORD_LOCKED,
  EIMZA_PORTAL_ERROR_SECURITY_WORD_WRONG,
  EIMZA_PORTAL_ERROR_SMS_WRONG_CODE,
  EIMZA_PORTAL_ERROR_SMS_EXPIRED,
  EIMZA_PORTAL_ERROR_SMS_LOCKED,
  EIMZA_PORTAL_ERROR_UNBLOCK_REFUSED,
};

struct _EimzaUnblockProfile
{
  GObject parent_instance;

  char *paths[EIMZA_UNBLOCK_N_PATHS];
  char *fields[EIMZA_UNBLOCK_N_FIELDS];
  xmlXPathCompExprPtr selectors[EIMZA_UNBLOCK_N_SELECTORS];
  xmlXPathCompExprPtr markers[EIMZA_UNBLOCK_N_PAGE_KINDS];
  GPtrArray *requirements[EIMZA_UNBLOCK_N_PAGE_KINDS];
  GPtrArray *messages[G_N_ELEMENTS (classified_errors)]; /* folded patterns */
};

G_DEFINE_FINAL_TYPE (EimzaUnblockProfile, eimza_unblock_profile, G_TYPE_OBJECT)

static void
eimza_unblock_profile_finalize (GObject *object)
{
  EimzaUnblockProfile *self = EIMZA_UNBLOCK_PROFILE (object);

  for (guint i = 0; i < EIMZA_UNBLOCK_N_PATHS; i++)
    g_free (self->paths[i]);
  for (guint i = 0; i < EIMZA_UNBLOCK_N_FIELDS; i++)
    g_free (self->fields[i]);
  for (guint i = 0; i < EIMZA_UNBLOCK_N_SELECTORS; i++)
    g_clear_pointer (&self->selectors[i], xmlXPathFreeCompExpr);
  for (guint i = 0; i < EIMZA_UNBLOCK_N_PAGE_KINDS; i++)
    {
      g_clear_pointer (&self->markers[i], xmlXPathFreeCompExpr);
      g_clear_pointer (&self->requirements[i], g_ptr_array_unref);
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->messages); i++)
    g_clear_pointer (&self->messages[i], g_ptr_array_unref);

  G_OBJECT_CLASS (eimza_unblock_profile_parent_class)->finalize (object);
}

static void
eimza_unblock_profile_class_init (EimzaUnblockProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = eimza_unblock_profile_finalize;
}

static void
eimza_unblock_profile_init (EimzaUnblockProfile *self)
{
}

/* ------------------------------------------------------------------------
 * Loading, with the portal profile loader's messages.
 * ------------------------------------------------------------------------ */

/* Unknown keys are refused: a typo would otherwise silently drop a part. */
static gboolean
check_known_keys (const EimzaPortalKeyfile  *loader,
                  const char                *group,
                  const char * const        *known,
                  gsize                      n_known,
                  GError                   **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (loader->key_file, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (gsize k = 0; k < n_known && !found; k++)
        found = known[k] != NULL && g_str_equal (known[k], keys[i]);
      if (!found)
        return eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_KEY_NOT_FOUND, group,
                                          keys[i], _("unknown key."));
    }

  return TRUE;
}

static gboolean
load_main_group (EimzaUnblockProfile       *self,
                 const EimzaPortalKeyfile  *loader,
                 GError                   **error)
{
  const char *known[EIMZA_UNBLOCK_N_PATHS + EIMZA_UNBLOCK_N_FIELDS];

  for (guint i = 0; i < EIMZA_UNBLOCK_N_PATHS; i++)
    {
      known[i] = path_keys[i];
      self->paths[i] = eimza_portal_keyfile_get_string (loader, GROUP, path_keys[i], FALSE, error);
      /* The person's number, security word and SMS code go there: never
       * to another host. */
      if (self->paths[i] == NULL ||
          !eimza_portal_keyfile_check_path (loader, GROUP, path_keys[i], self->paths[i], FALSE,
                                            error))
        return FALSE;
    }
  for (guint i = 0; i < EIMZA_UNBLOCK_N_FIELDS; i++)
    {
      known[EIMZA_UNBLOCK_N_PATHS + i] = field_keys[i];
      self->fields[i] = eimza_portal_keyfile_get_string (loader, GROUP, field_keys[i], FALSE, error);
      if (self->fields[i] == NULL)
        return FALSE;
    }

  return check_known_keys (loader, GROUP, known, G_N_ELEMENTS (known), error);
}

static gboolean
load_selectors (EimzaUnblockProfile       *self,
                const EimzaPortalKeyfile  *loader,
                GError                   **error)
{
  for (guint i = 0; i < EIMZA_UNBLOCK_N_SELECTORS; i++)
    {
      g_autofree char *source = eimza_portal_keyfile_get_string (loader, SELECTORS_GROUP,
                                                                 selector_keys[i], FALSE, error);

      if (source == NULL)
        return FALSE;
      self->selectors[i] = eimza_portal_keyfile_get_xpath (loader, SELECTORS_GROUP,
                                                           selector_keys[i], source, error);
      if (self->selectors[i] == NULL)
        return FALSE;
    }

  return check_known_keys (loader, SELECTORS_GROUP, selector_keys, EIMZA_UNBLOCK_N_SELECTORS,
                           error);
}

static gboolean
load_pages (EimzaUnblockProfile       *self,
            const EimzaPortalKeyfile  *loader,
            GError                   **error)
{
  static const char * const keys[] = { "marker", "require" };

  for (guint kind = EIMZA_UNBLOCK_PAGE_SIGN_IN; kind < EIMZA_UNBLOCK_N_PAGE_KINDS; kind++)
    {
      g_autofree char *group = g_strconcat (PAGE_GROUP_PREFIX, page_keys[kind], NULL);
      g_autofree char *marker = eimza_portal_keyfile_get_string (loader, group, "marker", FALSE,
                                                                 error);
      g_auto(GStrv) requirements = NULL;

      if (marker == NULL)
        return FALSE;
      self->markers[kind] = eimza_portal_keyfile_get_xpath (loader, group, "marker", marker, error);
      if (self->markers[kind] == NULL)
        return FALSE;

      self->requirements[kind] = g_ptr_array_new_with_free_func (eimza_portal_html_free_xpath);
      requirements = g_key_file_get_string_list (loader->key_file, group, "require", NULL, NULL);
      for (guint i = 0; requirements != NULL && requirements[i] != NULL; i++)
        {
          xmlXPathCompExprPtr expr;

          if (*g_strstrip (requirements[i]) == '\0')
            continue;
          expr = eimza_portal_keyfile_get_xpath (loader, group, "require", requirements[i], error);
          if (expr == NULL)
            return FALSE;
          g_ptr_array_add (self->requirements[kind], expr);
        }
      if (!check_known_keys (loader, group, keys, G_N_ELEMENTS (keys), error))
        return FALSE;
    }

  return TRUE;
}

static const char *
error_nick (EimzaPortalError code)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (EIMZA_TYPE_PORTAL_ERROR);
  GEnumValue *value = g_enum_get_value (enum_class, code);

  return value != NULL ? value->value_nick : NULL;
}

static gboolean
load_messages (EimzaUnblockProfile       *self,
               const EimzaPortalKeyfile  *loader,
               GError                   **error)
{
  const char *known[G_N_ELEMENTS (classified_errors)];

  for (guint i = 0; i < G_N_ELEMENTS (classified_errors); i++)
    {
      const char *key = error_nick (classified_errors[i]);
      g_auto(GStrv) patterns = NULL;

      known[i] = key;
      if (!eimza_portal_keyfile_require_key (loader, MESSAGES_GROUP, key, error))
        return FALSE;
      patterns = g_key_file_get_string_list (loader->key_file, MESSAGES_GROUP, key, NULL, NULL);
      self->messages[i] = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; patterns != NULL && patterns[j] != NULL; j++)
        {
          g_autofree char *folded = eimza_portal_fold_text (patterns[j]);

          if (*folded != '\0')
            g_ptr_array_add (self->messages[i], g_steal_pointer (&folded));
        }
      if (self->messages[i]->len == 0)
        return eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_INVALID_VALUE,
                                          MESSAGES_GROUP, key, _("the value is empty."));
    }

  return check_known_keys (loader, MESSAGES_GROUP, known, G_N_ELEMENTS (known), error);
}

gboolean
eimza_unblock_profile_is_group (const char *group)
{
  g_return_val_if_fail (group != NULL, FALSE);

  if (g_str_equal (group, GROUP) || g_str_equal (group, SELECTORS_GROUP) ||
      g_str_equal (group, MESSAGES_GROUP))
    return TRUE;
  if (g_str_has_prefix (group, PAGE_GROUP_PREFIX))
    {
      const char *kind = group + strlen (PAGE_GROUP_PREFIX);

      for (guint i = EIMZA_UNBLOCK_PAGE_SIGN_IN; i < EIMZA_UNBLOCK_N_PAGE_KINDS; i++)
        {
          if (g_str_equal (kind, page_keys[i]))
            return TRUE;
        }
    }
  return FALSE;
}

EimzaUnblockProfile *
eimza_unblock_profile_load (GKeyFile    *key_file,
                            const char  *origin,
                            GError     **error)
{
  g_autoptr(EimzaUnblockProfile) self = NULL;
  EimzaPortalKeyfile loader = { key_file, origin };

  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_has_group (key_file, GROUP))
    {
      g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);

      /* Its other groups without [nes-unblock]: a half-deleted description. */
      for (guint i = 0; groups[i] != NULL; i++)
        {
          if (eimza_unblock_profile_is_group (groups[i]))
            {
              eimza_portal_keyfile_fail (&loader, error, G_KEY_FILE_ERROR_GROUP_NOT_FOUND, GROUP,
                                         NULL, _("the group is missing."));
              return NULL;
            }
        }
      return NULL;
    }

  self = g_object_new (EIMZA_TYPE_UNBLOCK_PROFILE, NULL);
  if (!load_main_group (self, &loader, error) ||
      !load_selectors (self, &loader, error) ||
      !load_pages (self, &loader, error) ||
      !load_messages (self, &loader, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------
 * Getters.
 * ------------------------------------------------------------------------ */

const char *
eimza_unblock_profile_get_path (EimzaUnblockProfile *self,
                                EimzaUnblockPath     path)
{
  g_return_val_if_fail (EIMZA_IS_UNBLOCK_PROFILE (self), NULL);
  g_return_val_if_fail (path < EIMZA_UNBLOCK_N_PATHS, NULL);

  return self->paths[path];
}

const char *
eimza_unblock_profile_get_field (EimzaUnblockProfile *self,
                                 EimzaUnblockField    field)
{
  g_return_val_if_fail (EIMZA_IS_UNBLOCK_PROFILE (self), NULL);
  g_return_val_if_fail (field < EIMZA_UNBLOCK_N_FIELDS, NULL);

  return self->fields[field];
}

gpointer
eimza_unblock_profile_get_selector (EimzaUnblockProfile  *self,
                                    EimzaUnblockSelector  selector)
{
  g_return_val_if_fail (EIMZA_IS_UNBLOCK_PROFILE (self), NULL);
  g_return_val_if_fail (selector < EIMZA_UNBLOCK_N_SELECTORS, NULL);

  return self->selectors[selector];
}

gpointer
eimza_unblock_profile_get_marker (EimzaUnblockProfile  *self,
                                  EimzaUnblockPageKind  kind)
{
  g_return_val_if_fail (EIMZA_IS_UNBLOCK_PROFILE (self), NULL);
  g_return_val_if_fail (kind > EIMZA_UNBLOCK_PAGE_UNKNOWN && kind < EIMZA_UNBLOCK_N_PAGE_KINDS,
                        NULL);

  return self->markers[kind];
}

GPtrArray *
eimza_unblock_profile_get_requirements (EimzaUnblockProfile  *self,
                                        EimzaUnblockPageKind  kind)
{
  g_return_val_if_fail (EIMZA_IS_UNBLOCK_PROFILE (self), NULL);
  g_return_val_if_fail (kind > EIMZA_UNBLOCK_PAGE_UNKNOWN && kind < EIMZA_UNBLOCK_N_PAGE_KINDS,
                        NULL);

  return self->requirements[kind];
}

gboolean
eimza_unblock_profile_classify_message (EimzaUnblockProfile *self,
                                        const char          *message,
                                        EimzaPortalError    *out_code)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (EIMZA_IS_UNBLOCK_PROFILE (self), FALSE);

  if (message == NULL)
    return FALSE;

  /* In the order of classified_errors: "locked" before "wrong", whose
   * patterns may both match a page that says both. */
  folded = eimza_portal_fold_text (message);
  for (guint i = 0; i < G_N_ELEMENTS (classified_errors); i++)
    {
      for (guint j = 0; j < self->messages[i]->len; j++)
        {
          if (strstr (folded, g_ptr_array_index (self->messages[i], j)) != NULL)
            {
              if (out_code != NULL)
                *out_code = classified_errors[i];
              return TRUE;
            }
        }
    }

  return FALSE;
}
