/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything site-specific about the NES site's Şifreli Giriş and Kilit Çözme, from a portal profile. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libxml/xpath.h>

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

  return eimza_portal_keyfile_check_known_keys (loader, GROUP, known, G_N_ELEMENTS (known), error);
}

static gboolean
load_pages (EimzaUnblockProfile       *self,
            const EimzaPortalKeyfile  *loader,
            GError                   **error)
{
  for (guint kind = EIMZA_UNBLOCK_PAGE_SIGN_IN; kind < EIMZA_UNBLOCK_N_PAGE_KINDS; kind++)
    {
      g_autofree char *group = g_strconcat (PAGE_GROUP_PREFIX, page_keys[kind], NULL);

      if (!eimza_portal_keyfile_load_page (loader, group, NULL, &self->markers[kind],
                                           &self->requirements[kind], error))
        return FALSE;
    }

  return TRUE;
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
      !eimza_portal_keyfile_load_xpaths (&loader, SELECTORS_GROUP, selector_keys,
                                         EIMZA_UNBLOCK_N_SELECTORS, NULL, self->selectors,
                                         error) ||
      !load_pages (self, &loader, error) ||
      !eimza_portal_keyfile_load_messages (&loader, MESSAGES_GROUP, classified_errors,
                                           G_N_ELEMENTS (classified_errors), TRUE,
                                           self->messages, error))
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
  g_return_val_if_fail (EIMZA_IS_UNBLOCK_PROFILE (self), FALSE);

  /* In the order of classified_errors: "locked" before "wrong", whose
   * patterns may both match a page that says both. */
  return eimza_portal_classify_message (self->messages, classified_errors,
                                        G_N_ELEMENTS (classified_errors), message, out_code);
}
