/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything site-specific about the NES online-operations site (e-onay), from a portal profile. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libxml/xpath.h>

#include "eimza-eonay-profile.h"
#include "eimza-portal-keyfile.h"
#include "eimza-portal-match.h"
#include "eimza-unblock-profile.h"

/* The keys of each group, in the order of the enums. */
static const char * const path_keys[EIMZA_EONAY_N_PATHS] = {
  "login", "code", "menu", "eonay", "sign-data", "sign-upload",
};
static const char * const field_keys[EIMZA_EONAY_N_FIELDS] = {
  "tckn", "consent", "consent-value", "code-parameter",
};
static const char * const submit_keys[EIMZA_EONAY_N_SUBMITS] = {
  "login", "consent", "cancel",
};
static const char * const header_keys[EIMZA_EONAY_N_HEADERS] = {
  "purpose", "deadline", "seconds-left",
};
static const char * const selector_keys[EIMZA_EONAY_N_SELECTORS] = {
  "hidden-inputs", "submit-buttons", "page-errors", "info-messages", "code", "seconds-left",
  "time-limit", "purpose", "holder", "eonay-active", "explanation", "commitment",
};
static const char * const page_keys[EIMZA_EONAY_N_PAGE_KINDS] = {
  NULL, "login", "code", "menu", "eonay", "session-expired",
};
static const char * const nes_keys[] = {
  "base-url", "signer-base-url", "encoding", "complete-marker", "purpose-login",
  "purpose-eonay", NULL,
};

/* The site-side errors [nes-messages] must describe. */
static const EimzaPortalError classified_errors[] = {
  EIMZA_PORTAL_ERROR_SESSION_EXPIRED,
  EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH,
  EIMZA_PORTAL_ERROR_INVALID_FIELDS,
  EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
  EIMZA_PORTAL_ERROR_CODE_EXPIRED,
  EIMZA_PORTAL_ERROR_CODE_INVALID,
  EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED,
  EIMZA_PORTAL_ERROR_WRONG_SIGNER,
};

struct _EimzaEonayProfile
{
  GObject parent_instance;

  char *base_url;
  char *signer_base_url;
  char *encoding;
  char *complete_marker;
  char *purpose_login;
  char *purpose_eonay;
  char *paths[EIMZA_EONAY_N_PATHS];
  char *fields[EIMZA_EONAY_N_FIELDS];
  char *submits[EIMZA_EONAY_N_SUBMITS];
  char *headers[EIMZA_EONAY_N_HEADERS];
  xmlXPathCompExprPtr selectors[EIMZA_EONAY_N_SELECTORS];
  xmlXPathCompExprPtr page_markers[EIMZA_EONAY_N_PAGE_KINDS];
  GPtrArray *page_requirements[EIMZA_EONAY_N_PAGE_KINDS];
  EimzaPortalMatcher *matcher;         /* every selector, marker and requirement */
  GPtrArray *messages[G_N_ELEMENTS (classified_errors)]; /* folded patterns */
  EimzaUnblockProfile *unblock;        /* NULL: no Şifreli Giriş described */
};

G_DEFINE_FINAL_TYPE (EimzaEonayProfile, eimza_eonay_profile, G_TYPE_OBJECT)

static void
eimza_eonay_profile_finalize (GObject *object)
{
  EimzaEonayProfile *self = EIMZA_EONAY_PROFILE (object);

  g_free (self->base_url);
  g_free (self->signer_base_url);
  g_free (self->encoding);
  g_free (self->complete_marker);
  g_free (self->purpose_login);
  g_free (self->purpose_eonay);
  for (guint i = 0; i < EIMZA_EONAY_N_PATHS; i++)
    g_free (self->paths[i]);
  for (guint i = 0; i < EIMZA_EONAY_N_FIELDS; i++)
    g_free (self->fields[i]);
  for (guint i = 0; i < EIMZA_EONAY_N_SUBMITS; i++)
    g_free (self->submits[i]);
  for (guint i = 0; i < EIMZA_EONAY_N_HEADERS; i++)
    g_free (self->headers[i]);
  g_clear_pointer (&self->matcher, eimza_portal_matcher_free);
  g_clear_object (&self->unblock);
  for (guint i = 0; i < EIMZA_EONAY_N_SELECTORS; i++)
    g_clear_pointer (&self->selectors[i], xmlXPathFreeCompExpr);
  for (guint i = 0; i < EIMZA_EONAY_N_PAGE_KINDS; i++)
    {
      g_clear_pointer (&self->page_markers[i], xmlXPathFreeCompExpr);
      g_clear_pointer (&self->page_requirements[i], g_ptr_array_unref);
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->messages); i++)
    g_clear_pointer (&self->messages[i], g_ptr_array_unref);

  G_OBJECT_CLASS (eimza_eonay_profile_parent_class)->finalize (object);
}

static void
eimza_eonay_profile_class_init (EimzaEonayProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = eimza_eonay_profile_finalize;
}

static void
eimza_eonay_profile_init (EimzaEonayProfile *self)
{
  self->matcher = eimza_portal_matcher_new ();
}

/* ------------------------------------------------------------------------
 * Loading. The error messages are the portal profile loader's, so that a
 * broken NES group reads like a broken portal group.
 * ------------------------------------------------------------------------ */

static gboolean
check_https_url (const EimzaPortalKeyfile  *loader,
                 const char                *key,
                 const char                *value,
                 GError                   **error)
{
  return eimza_portal_keyfile_check_site_url (loader, "nes", key, value, error);
}

/* The signer's base is a path on the site, or the site's own https://
 * address with a path: the card's signature goes there, so it may not
 * lead to another host (a .jnlp's codebase, checked against [jnlp] hosts,
 * is the only way to another one). */
static gboolean
check_signer_base_url (EimzaEonayProfile         *self,
                       const EimzaPortalKeyfile  *loader,
                       GError                   **error)
{
  const char *value = self->signer_base_url;
  g_autoptr(GUri) site = NULL;
  g_autoptr(GUri) signer = NULL;

  if (value[0] == '/')
    return eimza_portal_keyfile_check_path (loader, "nes", "signer-base-url", value, FALSE, error);

  if (self->base_url != NULL)
    site = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  signer = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  if (site == NULL || signer == NULL || g_uri_get_userinfo (signer) != NULL ||
      !eimza_portal_keyfile_same_origin (site, signer))
    return eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_INVALID_VALUE, "nes", "signer-base-url",
                                      _("neither a path starting with “/” nor an address on the "
                                        "site’s own host (base-url)."));

  return *g_uri_get_path (signer) == '\0' ||
         eimza_portal_keyfile_check_path (loader, "nes", "signer-base-url", g_uri_get_path (signer),
                                          FALSE, error);
}

static gboolean
load_site (EimzaEonayProfile         *self,
           const EimzaPortalKeyfile  *loader,
           GError                   **error)
{
  self->base_url = eimza_portal_keyfile_get_string (loader, "nes", "base-url", TRUE, error);
  if (self->base_url == NULL)
    return FALSE;
  if (*self->base_url == '\0')
    g_clear_pointer (&self->base_url, g_free);
  else if (!check_https_url (loader, "base-url", self->base_url, error))
    return FALSE;

  self->signer_base_url = eimza_portal_keyfile_get_string (loader, "nes", "signer-base-url", FALSE, error);
  if (self->signer_base_url == NULL || !check_signer_base_url (self, loader, error))
    return FALSE;

  self->encoding = eimza_portal_keyfile_get_string (loader, "nes", "encoding", FALSE, error);
  self->purpose_login = self->encoding != NULL
    ? eimza_portal_keyfile_get_string (loader, "nes", "purpose-login", FALSE, error) : NULL;
  self->purpose_eonay = self->purpose_login != NULL
    ? eimza_portal_keyfile_get_string (loader, "nes", "purpose-eonay", FALSE, error) : NULL;
  if (self->purpose_eonay == NULL)
    return FALSE;

  self->complete_marker = g_key_file_get_string (loader->key_file, "nes", "complete-marker", NULL);
  if (self->complete_marker != NULL && *g_strstrip (self->complete_marker) == '\0')
    g_clear_pointer (&self->complete_marker, g_free);

  return eimza_portal_keyfile_check_known_keys (loader, "nes", nes_keys,
                                                g_strv_length ((GStrv) nes_keys), error);
}

/* A group of plain strings, one per key of @keys. */
static gboolean
load_strings (const EimzaPortalKeyfile  *loader,
              const char                *group,
              const char * const        *keys,
              gsize                      n_keys,
              char                     **out,
              GError                   **error)
{
  for (gsize i = 0; i < n_keys; i++)
    {
      out[i] = eimza_portal_keyfile_get_string (loader, group, keys[i], FALSE, error);
      if (out[i] == NULL)
        return FALSE;
    }

  return eimza_portal_keyfile_check_known_keys (loader, group, keys, n_keys, error);
}

static gboolean
load_paths (EimzaEonayProfile         *self,
            const EimzaPortalKeyfile  *loader,
            GError                   **error)
{
  if (!load_strings (loader, "nes-paths", path_keys, EIMZA_EONAY_N_PATHS, self->paths, error))
    return FALSE;

  /* The site's pages are absolute; the signer's are relative to its base. */
  for (EimzaEonayPath path = 0; path < EIMZA_EONAY_N_PATHS; path++)
    {
      gboolean signer = path == EIMZA_EONAY_PATH_SIGN_DATA || path == EIMZA_EONAY_PATH_SIGN_UPLOAD;

      if (!eimza_portal_keyfile_check_path (loader, "nes-paths", path_keys[path], self->paths[path],
                                            signer, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
load_pages (EimzaEonayProfile         *self,
            const EimzaPortalKeyfile  *loader,
            GError                   **error)
{
  for (EimzaNesWebPageKind kind = EIMZA_NES_WEB_PAGE_LOGIN; kind < EIMZA_EONAY_N_PAGE_KINDS; kind++)
    {
      g_autofree char *group = g_strconcat ("nes-page:", page_keys[kind], NULL);

      if (!eimza_portal_keyfile_load_page (loader, group, self->matcher, &self->page_markers[kind],
                                           &self->page_requirements[kind], error))
        return FALSE;
    }

  return TRUE;
}

gboolean
eimza_eonay_profile_is_group (const char *group)
{
  static const char * const groups[] = {
    "nes", "nes-paths", "nes-fields", "nes-submit", "nes-headers", "nes-selectors",
    "nes-messages", NULL
  };

  g_return_val_if_fail (group != NULL, FALSE);

  if (g_strv_contains (groups, group) || eimza_unblock_profile_is_group (group))
    return TRUE;

  if (g_str_has_prefix (group, "nes-page:"))
    {
      const char *kind = group + strlen ("nes-page:");

      for (guint i = EIMZA_NES_WEB_PAGE_LOGIN; i < EIMZA_EONAY_N_PAGE_KINDS; i++)
        {
          if (g_str_equal (kind, page_keys[i]))
            return TRUE;
        }
    }

  return FALSE;
}

EimzaEonayProfile *
eimza_eonay_profile_load (GKeyFile    *key_file,
                          const char  *origin,
                          GError     **error)
{
  g_autoptr(EimzaEonayProfile) self = NULL;
  EimzaPortalKeyfile loader = { key_file, origin };

  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_has_group (key_file, "nes"))
    {
      g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);

      /* NES groups without [nes] are a half-deleted site description. */
      for (guint i = 0; groups[i] != NULL; i++)
        {
          if (eimza_eonay_profile_is_group (groups[i]))
            {
              eimza_portal_keyfile_fail (&loader, error, G_KEY_FILE_ERROR_GROUP_NOT_FOUND, "nes", NULL,
                                         _("the group is missing."));
              return NULL;
            }
        }
      return NULL;
    }

  self = g_object_new (EIMZA_TYPE_EONAY_PROFILE, NULL);

  if (!load_site (self, &loader, error) ||
      !load_paths (self, &loader, error) ||
      !load_strings (&loader, "nes-fields", field_keys, EIMZA_EONAY_N_FIELDS, self->fields,
                     error) ||
      !load_strings (&loader, "nes-submit", submit_keys, EIMZA_EONAY_N_SUBMITS, self->submits,
                     error) ||
      !load_strings (&loader, "nes-headers", header_keys, EIMZA_EONAY_N_HEADERS, self->headers,
                     error) ||
      !eimza_portal_keyfile_load_xpaths (&loader, "nes-selectors", selector_keys,
                                         EIMZA_EONAY_N_SELECTORS, self->matcher, self->selectors,
                                         error) ||
      !load_pages (self, &loader, error) ||
      !eimza_portal_keyfile_load_messages (&loader, "nes-messages", classified_errors,
                                           G_N_ELEMENTS (classified_errors), TRUE,
                                           self->messages, error))
    return NULL;

  /* Optional: Şifreli Giriş and Kilit Çözme (docs/unblock-protocol.md). */
  {
    GError *unblock_error = NULL;

    self->unblock = eimza_unblock_profile_load (key_file, origin, &unblock_error);
    if (unblock_error != NULL)
      {
        g_propagate_error (error, unblock_error);
        return NULL;
      }
  }

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------
 * Getters.
 * ------------------------------------------------------------------------ */

const char *
eimza_eonay_profile_selector_key (EimzaEonaySelector selector)
{
  g_return_val_if_fail (selector < EIMZA_EONAY_N_SELECTORS, NULL);

  return selector_keys[selector];
}

const char *
eimza_eonay_profile_page_key (EimzaNesWebPageKind kind)
{
  g_return_val_if_fail (kind < EIMZA_EONAY_N_PAGE_KINDS, NULL);

  return kind == EIMZA_NES_WEB_PAGE_UNKNOWN ? "unknown" : page_keys[kind];
}

EimzaUnblockProfile *
eimza_eonay_profile_get_unblock (EimzaEonayProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);

  return self->unblock;
}

const char *
eimza_eonay_profile_get_base_url (EimzaEonayProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);

  return self->base_url;
}

const char *
eimza_eonay_profile_get_signer_base_url (EimzaEonayProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);

  return self->signer_base_url;
}

const char *
eimza_eonay_profile_get_encoding (EimzaEonayProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);

  return self->encoding;
}

const char *
eimza_eonay_profile_get_complete_marker (EimzaEonayProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);

  return self->complete_marker;
}

const char *
eimza_eonay_profile_get_path (EimzaEonayProfile *self,
                              EimzaEonayPath     path)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);
  g_return_val_if_fail (path < EIMZA_EONAY_N_PATHS, NULL);

  return self->paths[path];
}

const char *
eimza_eonay_profile_get_field (EimzaEonayProfile *self,
                               EimzaEonayField    field)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);
  g_return_val_if_fail (field < EIMZA_EONAY_N_FIELDS, NULL);

  return self->fields[field];
}

const char *
eimza_eonay_profile_get_submit (EimzaEonayProfile *self,
                                EimzaEonaySubmit   submit)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);
  g_return_val_if_fail (submit < EIMZA_EONAY_N_SUBMITS, NULL);

  return self->submits[submit];
}

const char *
eimza_eonay_profile_get_header (EimzaEonayProfile *self,
                                EimzaEonayHeader   header)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);
  g_return_val_if_fail (header < EIMZA_EONAY_N_HEADERS, NULL);

  return self->headers[header];
}

EimzaEonayPurpose
eimza_eonay_profile_parse_purpose (EimzaEonayProfile *self,
                                   const char        *name)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), EIMZA_EONAY_PURPOSE_UNKNOWN);

  if (name == NULL)
    return EIMZA_EONAY_PURPOSE_UNKNOWN;
  if (g_ascii_strcasecmp (name, self->purpose_login) == 0)
    return EIMZA_EONAY_PURPOSE_LOGIN;
  if (g_ascii_strcasecmp (name, self->purpose_eonay) == 0)
    return EIMZA_EONAY_PURPOSE_EONAY;
  return EIMZA_EONAY_PURPOSE_UNKNOWN;
}

gboolean
eimza_eonay_profile_classify_message (EimzaEonayProfile *self,
                                      const char        *message,
                                      EimzaPortalError  *out_code)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), FALSE);

  return eimza_portal_classify_message (self->messages, classified_errors,
                                        G_N_ELEMENTS (classified_errors), message, out_code);
}

gpointer
eimza_eonay_profile_get_selector_expr (EimzaEonayProfile  *self,
                                       EimzaEonaySelector  selector)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);
  g_return_val_if_fail (selector < EIMZA_EONAY_N_SELECTORS, NULL);

  return self->selectors[selector];
}

gpointer
eimza_eonay_profile_get_matcher (EimzaEonayProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);

  return self->matcher;
}

gpointer
eimza_eonay_profile_get_page_marker (EimzaEonayProfile   *self,
                                     EimzaNesWebPageKind  kind)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);
  g_return_val_if_fail (kind < EIMZA_EONAY_N_PAGE_KINDS, NULL);

  return self->page_markers[kind];
}

GPtrArray *
eimza_eonay_profile_get_page_requirements (EimzaEonayProfile   *self,
                                           EimzaNesWebPageKind  kind)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_PROFILE (self), NULL);
  g_return_val_if_fail (kind > EIMZA_NES_WEB_PAGE_UNKNOWN && kind < EIMZA_EONAY_N_PAGE_KINDS, NULL);

  return self->page_requirements[kind];
}
