/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading and checking the key files behind portal profiles. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "eimza-portal-enums.h"
#include "eimza-portal-html.h"
#include "eimza-portal-keyfile.h"

gboolean
eimza_portal_keyfile_fail (const EimzaPortalKeyfile  *keyfile,
                           GError                   **error,
                           int                        code,
                           const char                *group,
                           const char                *key,
                           const char                *problem)
{
  if (key != NULL)
    g_set_error (error, G_KEY_FILE_ERROR, code,
                 /* Translators: "Portal profile “kamusm”: [paths] login: the key is missing." */
                 _("Portal profile “%s”: [%s] %s: %s"),
                 keyfile->origin, group, key, problem);
  else
    g_set_error (error, G_KEY_FILE_ERROR, code,
                 _("Portal profile “%s”: [%s]: %s"), keyfile->origin, group, problem);
  return FALSE;
}

/* Whether @value ends in an odd run of backslashes. */
static gboolean
ends_in_lone_escape (const char *value)
{
  gsize length = strlen (value);
  gsize run = 0;

  while (run < length && value[length - 1 - run] == '\\')
    run++;
  return run % 2 == 1;
}

gboolean
eimza_portal_keyfile_check_escapes (const EimzaPortalKeyfile  *keyfile,
                                    GError                   **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile->key_file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile->key_file, groups[i], NULL, NULL);

      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          g_autofree char *value = g_key_file_get_value (keyfile->key_file, groups[i],
                                                         keys[j], NULL);

          if (value != NULL && ends_in_lone_escape (value))
            return eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_INVALID_VALUE,
                                              groups[i], keys[j],
                                              _("the value ends in a “\\” that escapes nothing."));
        }
    }

  return TRUE;
}

/* A DNS name (letters, digits, hyphens; dot-separated labels) or an IP
 * address: anything else would still be "a host" to GUri. */
static gboolean
is_host_name (const char *host)
{
  gboolean label_empty = TRUE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *c = host; *c != '\0'; c++)
    {
      if (*c == '.')
        {
          if (label_empty)
            return FALSE;
          label_empty = TRUE;
        }
      else if (g_ascii_isalnum (*c) || *c == '-')
        {
          label_empty = FALSE;
        }
      else
        {
          return FALSE;
        }
    }

  return !label_empty;
}

gboolean
eimza_portal_keyfile_check_site_url (const EimzaPortalKeyfile  *keyfile,
                                     const char                *group,
                                     const char                *key,
                                     const char                *value,
                                     GError                   **error)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 ||
      g_uri_get_host (uri) == NULL || !is_host_name (g_uri_get_host (uri)) ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    return eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_INVALID_VALUE, group, key,
                                      _("not an https:// URL."));

  return TRUE;
}

gboolean
eimza_portal_keyfile_require_key (const EimzaPortalKeyfile  *keyfile,
                                  const char                *group,
                                  const char                *key,
                                  GError                   **error)
{
  if (!g_key_file_has_group (keyfile->key_file, group))
    return eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_GROUP_NOT_FOUND, group,
                                      NULL, _("the group is missing."));

  if (!g_key_file_has_key (keyfile->key_file, group, key, NULL))
    return eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_KEY_NOT_FOUND, group,
                                      key, _("the key is missing."));

  return TRUE;
}

char *
eimza_portal_keyfile_get_string (const EimzaPortalKeyfile  *keyfile,
                                 const char                *group,
                                 const char                *key,
                                 gboolean                   allow_empty,
                                 GError                   **error)
{
  g_autofree char *value = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!eimza_portal_keyfile_require_key (keyfile, group, key, error))
    return NULL;

  value = g_key_file_get_string (keyfile->key_file, group, key, &local_error);
  if (value == NULL)
    {
      eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_INVALID_VALUE, group, key,
                                 local_error->message);
      return NULL;
    }

  g_strstrip (value);
  if (!allow_empty && *value == '\0')
    {
      eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_INVALID_VALUE, group, key,
                                 _("the value is empty."));
      return NULL;
    }

  return g_steal_pointer (&value);
}

xmlXPathCompExprPtr
eimza_portal_keyfile_get_xpath (const EimzaPortalKeyfile  *keyfile,
                                const char                *group,
                                const char                *key,
                                const char                *source,
                                GError                   **error)
{
  g_autofree char *message = NULL;
  xmlXPathCompExprPtr expr = eimza_portal_html_compile_xpath (source, &message);

  if (expr == NULL)
    {
      g_autofree char *problem =
        g_strdup_printf (_("not a valid XPath expression (%s)."), message);

      eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_INVALID_VALUE, group, key,
                                 problem);
    }

  return expr;
}

static int
effective_port (GUri *uri)
{
  if (g_uri_get_port (uri) != -1)
    return g_uri_get_port (uri);

  return g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ? 80 : 443;
}

gboolean
eimza_portal_keyfile_same_origin (GUri *a,
                                  GUri *b)
{
  return g_strcmp0 (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         effective_port (a) == effective_port (b);
}

/* A site no profile can name: a path that leaves it shows up as another
 * host, scheme or port once resolved. */
#define PROBE_BASE "https://profile-site.invalid:8443/probe/"

gboolean
eimza_portal_keyfile_check_path (const EimzaPortalKeyfile  *keyfile,
                                 const char                *group,
                                 const char                *key,
                                 const char                *value,
                                 gboolean                   relative,
                                 GError                   **error)
{
  g_autoptr(GUri) base = g_uri_parse (PROBE_BASE, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) resolved = NULL;
  gboolean plain = TRUE;

  if (!relative && value[0] != '/')
    return eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_INVALID_VALUE, group, key,
                                      _("a path must start with “/”."));
  if (relative && (value[0] == '/' || strchr (value, ':') != NULL))
    return eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_INVALID_VALUE, group, key,
                                      _("a path relative to the signer’s address is expected."));

  /* Browsers read "\" as "/", so "/\\host" would be another host to them. */
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == ' ' || g_ascii_iscntrl (*p))
        plain = FALSE;
    }

  if (plain)
    resolved = g_uri_parse_relative (base, value, G_URI_FLAGS_NONE, NULL);
  if (resolved == NULL || g_uri_get_userinfo (resolved) != NULL ||
      !eimza_portal_keyfile_same_origin (base, resolved))
    return eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_INVALID_VALUE, group, key,
                                      _("not a path on the site’s own host (it must not start "
                                        "with “//” nor hold “\\”, spaces or control characters)."));

  return TRUE;
}

gboolean
eimza_portal_keyfile_check_known_keys (const EimzaPortalKeyfile  *keyfile,
                                       const char                *group,
                                       const char * const        *known,
                                       gsize                      n_known,
                                       GError                   **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile->key_file, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (gsize k = 0; k < n_known && !found; k++)
        found = known[k] != NULL && g_str_equal (known[k], keys[i]);
      if (!found)
        return eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_KEY_NOT_FOUND, group,
                                          keys[i], _("unknown key."));
    }

  return TRUE;
}

/* One required XPath key, into *@out_expr (and @matcher, nullable). */
static gboolean
load_xpath (const EimzaPortalKeyfile  *keyfile,
            const char                *group,
            const char                *key,
            EimzaPortalMatcher        *matcher,
            xmlXPathCompExprPtr       *out_expr,
            GError                   **error)
{
  g_autofree char *source = eimza_portal_keyfile_get_string (keyfile, group, key, FALSE, error);

  if (source == NULL)
    return FALSE;
  *out_expr = eimza_portal_keyfile_get_xpath (keyfile, group, key, source, error);
  if (*out_expr == NULL)
    return FALSE;
  if (matcher != NULL)
    eimza_portal_matcher_add (matcher, *out_expr, source);

  return TRUE;
}

gboolean
eimza_portal_keyfile_load_xpaths (const EimzaPortalKeyfile  *keyfile,
                                  const char                *group,
                                  const char * const        *keys,
                                  gsize                      n_keys,
                                  EimzaPortalMatcher        *matcher,
                                  xmlXPathCompExprPtr       *out_exprs,
                                  GError                   **error)
{
  for (gsize i = 0; i < n_keys; i++)
    {
      if (!load_xpath (keyfile, group, keys[i], matcher, &out_exprs[i], error))
        return FALSE;
    }

  return eimza_portal_keyfile_check_known_keys (keyfile, group, keys, n_keys, error);
}

gboolean
eimza_portal_keyfile_load_page (const EimzaPortalKeyfile  *keyfile,
                                const char                *group,
                                EimzaPortalMatcher        *matcher,
                                xmlXPathCompExprPtr       *out_marker,
                                GPtrArray                **out_requirements,
                                GError                   **error)
{
  static const char * const keys[] = { "marker", "require" };
  g_auto(GStrv) requirements = NULL;

  if (!load_xpath (keyfile, group, "marker", matcher, out_marker, error))
    return FALSE;

  *out_requirements = g_ptr_array_new_with_free_func (eimza_portal_html_free_xpath);
  requirements = g_key_file_get_string_list (keyfile->key_file, group, "require", NULL, NULL);
  for (guint i = 0; requirements != NULL && requirements[i] != NULL; i++)
    {
      xmlXPathCompExprPtr expr;

      if (*g_strstrip (requirements[i]) == '\0')
        continue;
      expr = eimza_portal_keyfile_get_xpath (keyfile, group, "require", requirements[i], error);
      if (expr == NULL)
        return FALSE;
      if (matcher != NULL)
        eimza_portal_matcher_add (matcher, expr, requirements[i]);
      g_ptr_array_add (*out_requirements, expr);
    }

  return eimza_portal_keyfile_check_known_keys (keyfile, group, keys, G_N_ELEMENTS (keys), error);
}

/* The key naming @code in a messages group. */
static const char *
error_nick (EimzaPortalError code)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (EIMZA_TYPE_PORTAL_ERROR);
  GEnumValue *value = g_enum_get_value (enum_class, code);

  g_return_val_if_fail (value != NULL, NULL);

  /* The nicks are static strings of the generated enum code. */
  return value->value_nick;
}

gboolean
eimza_portal_keyfile_load_messages (const EimzaPortalKeyfile  *keyfile,
                                    const char                *group,
                                    const EimzaPortalError    *codes,
                                    gsize                      n_codes,
                                    gboolean                   refuse_unknown,
                                    GPtrArray                **out_patterns,
                                    GError                   **error)
{
  g_autofree const char **known = g_new0 (const char *, n_codes);

  for (gsize i = 0; i < n_codes; i++)
    {
      const char *key = error_nick (codes[i]);
      g_auto(GStrv) patterns = NULL;

      known[i] = key;
      if (!eimza_portal_keyfile_require_key (keyfile, group, key, error))
        return FALSE;

      patterns = g_key_file_get_string_list (keyfile->key_file, group, key, NULL, NULL);
      out_patterns[i] = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; patterns != NULL && patterns[j] != NULL; j++)
        {
          g_autofree char *folded = eimza_portal_fold_text (patterns[j]);

          if (*folded != '\0')
            g_ptr_array_add (out_patterns[i], g_steal_pointer (&folded));
        }

      if (out_patterns[i]->len == 0)
        return eimza_portal_keyfile_fail (keyfile, error, G_KEY_FILE_ERROR_INVALID_VALUE, group,
                                          key, _("the value is empty."));
    }

  return !refuse_unknown ||
         eimza_portal_keyfile_check_known_keys (keyfile, group, known, n_codes, error);
}

gboolean
eimza_portal_classify_message (GPtrArray * const       *patterns,
                               const EimzaPortalError  *codes,
                               gsize                    n_codes,
                               const char              *message,
                               EimzaPortalError        *out_code)
{
  g_autofree char *folded = NULL;

  if (message == NULL)
    return FALSE;

  folded = eimza_portal_fold_text (message);
  for (gsize i = 0; i < n_codes; i++)
    {
      for (guint j = 0; j < patterns[i]->len; j++)
        {
          if (strstr (folded, g_ptr_array_index (patterns[i], j)) != NULL)
            {
              if (out_code != NULL)
                *out_code = codes[i];
              return TRUE;
            }
        }
    }

  return FALSE;
}

char *
eimza_portal_fold_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  g_autofree char *folded = g_utf8_casefold (normalized != NULL ? normalized : valid, -1);
  GString *collapsed = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = collapsed->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (collapsed, ' ');
      space = FALSE;
      g_string_append_c (collapsed, *p);
    }

  return g_string_free (collapsed, FALSE);
}
