/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything site-specific about the application portal, from a key file. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "eimza-core-enums.h"
#include "eimza-eonay-profile.h"
#include "eimza-portal-enums.h"
#include "eimza-portal-html.h"
#include "eimza-portal-keyfile.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-profile-private.h"
#include "eimza-portal-resources.h"

#define RESOURCE_PREFIX "/io/github/eimza/Asistan/portal/"

/* The one field of the portal that the form model does not have. */
#define SMS_CODE_KEY "sms-code"

/* The portal-side errors that the [messages] group must describe. */
static const EimzaPortalError classified_errors[] = {
  EIMZA_PORTAL_ERROR_SESSION_EXPIRED,
  EIMZA_PORTAL_ERROR_WRONG_CAPTCHA,
  EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH,
  EIMZA_PORTAL_ERROR_INVALID_FIELDS,
  EIMZA_PORTAL_ERROR_SMS_WRONG_CODE,
  EIMZA_PORTAL_ERROR_SMS_EXPIRED,
  EIMZA_PORTAL_ERROR_SMS_LOCKED,
  EIMZA_PORTAL_ERROR_SMS_TOO_EARLY,
  EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
};

struct _EimzaPortalProfile
{
  GObject parent_instance;

  char *name;
  char *base_url;
  char *encoding;
  char *complete_marker;
  char *paths[EIMZA_PORTAL_N_PATHS];
  char *field_names[EIMZA_N_FIELDS];   /* NULL: the portal has no such field */
  GHashTable *fields_by_name;          /* portal name -> GUINT_TO_POINTER (field + 1) */
  char *sms_code_name;
  GHashTable *to_portal[EIMZA_N_FIELDS];   /* nick -> portal value; NULL: pass through */
  GHashTable *from_portal[EIMZA_N_FIELDS]; /* portal value -> nick */
  char *selectors[EIMZA_PORTAL_N_SELECTORS];
  xmlXPathCompExprPtr selector_exprs[EIMZA_PORTAL_N_SELECTORS];
  xmlXPathCompExprPtr page_markers[EIMZA_PORTAL_N_PAGE_KINDS];
  GPtrArray *page_requirements[EIMZA_PORTAL_N_PAGE_KINDS];
  EimzaPortalMatcher *matcher;         /* every selector, marker and requirement */
  char *submits[EIMZA_PORTAL_N_SUBMITS];
  GPtrArray *messages[G_N_ELEMENTS (classified_errors)]; /* folded patterns */
  EimzaEonayProfile *nes;              /* the NES groups; NULL: no NES site */
  GStrv jnlp_hosts;                    /* [jnlp] hosts, lower case */
  GStrv jnlp_main_classes;             /* [jnlp] main-classes */
};

G_DEFINE_FINAL_TYPE (EimzaPortalProfile, eimza_portal_profile, G_TYPE_OBJECT)

static void
eimza_portal_profile_finalize (GObject *object)
{
  EimzaPortalProfile *self = EIMZA_PORTAL_PROFILE (object);

  g_free (self->name);
  g_free (self->base_url);
  g_free (self->encoding);
  g_free (self->complete_marker);
  for (guint i = 0; i < EIMZA_PORTAL_N_PATHS; i++)
    g_free (self->paths[i]);
  for (guint i = 0; i < EIMZA_N_FIELDS; i++)
    {
      g_free (self->field_names[i]);
      g_clear_pointer (&self->to_portal[i], g_hash_table_unref);
      g_clear_pointer (&self->from_portal[i], g_hash_table_unref);
    }
  g_clear_pointer (&self->fields_by_name, g_hash_table_unref);
  g_free (self->sms_code_name);
  g_clear_pointer (&self->matcher, eimza_portal_matcher_free);
  for (guint i = 0; i < EIMZA_PORTAL_N_SELECTORS; i++)
    {
      g_free (self->selectors[i]);
      g_clear_pointer (&self->selector_exprs[i], xmlXPathFreeCompExpr);
    }
  for (guint i = 0; i < EIMZA_PORTAL_N_PAGE_KINDS; i++)
    {
      g_clear_pointer (&self->page_markers[i], xmlXPathFreeCompExpr);
      g_clear_pointer (&self->page_requirements[i], g_ptr_array_unref);
    }
  for (guint i = 0; i < EIMZA_PORTAL_N_SUBMITS; i++)
    g_free (self->submits[i]);
  for (guint i = 0; i < G_N_ELEMENTS (self->messages); i++)
    g_clear_pointer (&self->messages[i], g_ptr_array_unref);
  g_clear_object (&self->nes);
  g_clear_pointer (&self->jnlp_hosts, g_strfreev);
  g_clear_pointer (&self->jnlp_main_classes, g_strfreev);

  G_OBJECT_CLASS (eimza_portal_profile_parent_class)->finalize (object);
}

static void
eimza_portal_profile_class_init (EimzaPortalProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = eimza_portal_profile_finalize;
}

static void
eimza_portal_profile_init (EimzaPortalProfile *self)
{
  self->fields_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->matcher = eimza_portal_matcher_new ();
}

/* A nick of one of our enums. */
static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (enum_class, value);

  g_return_val_if_fail (enum_value != NULL, NULL);

  /* The nicks are static strings of the generated enum code. */
  return enum_value->value_nick;
}

/* Keys a group may not have catch typos that would otherwise silently drop
 * a field or a selector. */
static gboolean
check_known_keys (const EimzaPortalKeyfile  *loader,
                  const char                *group,
                  GType                      enum_type,
                  const char * const        *extra_keys,
                  GError                   **error)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (enum_type);
  g_auto(GStrv) keys = g_key_file_get_keys (loader->key_file, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      if (g_enum_get_value_by_nick (enum_class, keys[i]) != NULL)
        continue;
      if (extra_keys != NULL && g_strv_contains (extra_keys, keys[i]))
        continue;

      return eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_KEY_NOT_FOUND, group, keys[i],
                                        _("unknown key."));
    }

  return TRUE;
}

static gboolean
load_portal (EimzaPortalProfile        *self,
             const EimzaPortalKeyfile  *loader,
             GError                   **error)
{
  self->name = eimza_portal_keyfile_get_string (loader, "portal", "name", FALSE, error);
  if (self->name == NULL)
    return FALSE;

  self->encoding = eimza_portal_keyfile_get_string (loader, "portal", "encoding", FALSE, error);
  if (self->encoding == NULL)
    return FALSE;

  self->base_url = g_key_file_get_string (loader->key_file, "portal", "base-url", NULL);
  if (self->base_url != NULL && *g_strstrip (self->base_url) == '\0')
    g_clear_pointer (&self->base_url, g_free);
  if (self->base_url != NULL &&
      !eimza_portal_keyfile_check_site_url (loader, "portal", "base-url", self->base_url, error))
    return FALSE;

  self->complete_marker = g_key_file_get_string (loader->key_file, "portal",
                                                 "complete-marker", NULL);
  if (self->complete_marker != NULL && *g_strstrip (self->complete_marker) == '\0')
    g_clear_pointer (&self->complete_marker, g_free);

  return TRUE;
}

static gboolean
load_paths (EimzaPortalProfile        *self,
            const EimzaPortalKeyfile  *loader,
            GError                   **error)
{
  for (EimzaPortalPath path = 0; path < EIMZA_PORTAL_N_PATHS; path++)
    {
      const char *key = enum_nick (EIMZA_TYPE_PORTAL_PATH, path);

      self->paths[path] = eimza_portal_keyfile_get_string (loader, "paths", key, FALSE, error);
      if (self->paths[path] == NULL)
        return FALSE;
      /* Cookies and form data go wherever a path leads: it stays on the
       * portal's own host. */
      if (!eimza_portal_keyfile_check_path (loader, "paths", key, self->paths[path], FALSE, error))
        return FALSE;
    }

  return check_known_keys (loader, "paths", EIMZA_TYPE_PORTAL_PATH, NULL, error);
}

static gboolean
load_fields (EimzaPortalProfile        *self,
             const EimzaPortalKeyfile  *loader,
             GError                   **error)
{
  static const char * const extra_keys[] = { SMS_CODE_KEY, NULL };

  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      const char *key = eimza_renewal_form_field_nick (field);
      g_autofree char *name = eimza_portal_keyfile_get_string (loader, "fields", key, TRUE, error);

      if (name == NULL)
        return FALSE;
      if (*name == '\0')
        continue;
      if (g_hash_table_contains (self->fields_by_name, name))
        return eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_INVALID_VALUE, "fields", key,
                                          _("the same portal field name is given twice."));

      self->field_names[field] = g_strdup (name);
      g_hash_table_insert (self->fields_by_name, g_steal_pointer (&name),
                           GUINT_TO_POINTER (field + 1));
    }

  self->sms_code_name = eimza_portal_keyfile_get_string (loader, "fields", SMS_CODE_KEY, FALSE, error);
  if (self->sms_code_name == NULL)
    return FALSE;

  return check_known_keys (loader, "fields", EIMZA_TYPE_FIELD, extra_keys, error);
}

/* The enum whose nicks a choice field takes, or G_TYPE_NONE. */
static GType
choice_type (EimzaField field)
{
  switch (field)
    {
    case EIMZA_FIELD_REASON:
      return EIMZA_TYPE_RENEWAL_REASON;
    case EIMZA_FIELD_CARD_READER:
      return EIMZA_TYPE_CARD_READER_TYPE;
    case EIMZA_FIELD_MOBILE_OPERATOR:
      return EIMZA_TYPE_MOBILE_OPERATOR;
    case EIMZA_FIELD_INFO_CHANNEL:
      return EIMZA_TYPE_INFO_CHANNEL;
    default:
      return G_TYPE_NONE;
    }
}

static gboolean
load_option_map (EimzaPortalProfile        *self,
                 const EimzaPortalKeyfile  *loader,
                 EimzaField                 field,
                 GError                   **error)
{
  GType type = choice_type (field);
  g_autofree char *group = g_strconcat ("options:", eimza_renewal_form_field_nick (field), NULL);
  g_auto(GStrv) keys = NULL;

  if (!g_key_file_has_group (loader->key_file, group))
    {
      /* Choices of our own enums must all be mapped; the others (validity,
       * province plate, district name) are sent as they are. */
      if (type != G_TYPE_NONE)
        return eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_GROUP_NOT_FOUND, group, NULL,
                                          _("the group is missing."));
      return TRUE;
    }

  self->to_portal[field] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->from_portal[field] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (type != G_TYPE_NONE)
    {
      g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);

      for (guint i = 0; i < enum_class->n_values; i++)
        {
          const char *nick = enum_class->values[i].value_nick;
          char *value = eimza_portal_keyfile_get_string (loader, group, nick, FALSE, error);

          if (value == NULL)
            return FALSE;
          g_hash_table_insert (self->to_portal[field], g_strdup (nick), value);
          g_hash_table_insert (self->from_portal[field], g_strdup (value), g_strdup (nick));
        }

      return check_known_keys (loader, group, type, NULL, error);
    }

  keys = g_key_file_get_keys (loader->key_file, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      char *value = eimza_portal_keyfile_get_string (loader, group, keys[i], FALSE, error);

      if (value == NULL)
        return FALSE;
      g_hash_table_insert (self->to_portal[field], g_strdup (keys[i]), value);
      g_hash_table_insert (self->from_portal[field], g_strdup (value), g_strdup (keys[i]));
    }

  return TRUE;
}

static gboolean
load_selectors (EimzaPortalProfile        *self,
                const EimzaPortalKeyfile  *loader,
                GError                   **error)
{
  for (EimzaPortalSelector selector = 0; selector < EIMZA_PORTAL_N_SELECTORS; selector++)
    {
      const char *key = enum_nick (EIMZA_TYPE_PORTAL_SELECTOR, selector);

      self->selectors[selector] = eimza_portal_keyfile_get_string (loader, "selectors", key, FALSE, error);
      if (self->selectors[selector] == NULL)
        return FALSE;
      self->selector_exprs[selector] = eimza_portal_keyfile_get_xpath (loader, "selectors", key,
                                                                       self->selectors[selector], error);
      if (self->selector_exprs[selector] == NULL)
        return FALSE;
      eimza_portal_matcher_add (self->matcher, self->selector_exprs[selector], self->selectors[selector]);
    }

  return check_known_keys (loader, "selectors", EIMZA_TYPE_PORTAL_SELECTOR, NULL, error);
}

static gboolean
load_pages (EimzaPortalProfile        *self,
            const EimzaPortalKeyfile  *loader,
            GError                   **error)
{
  for (EimzaPortalWebPageKind kind = EIMZA_PORTAL_WEB_PAGE_LOGIN; kind < EIMZA_PORTAL_N_PAGE_KINDS; kind++)
    {
      g_autofree char *group = g_strconcat ("page:", enum_nick (EIMZA_TYPE_PORTAL_WEB_PAGE_KIND, kind),
                                            NULL);

      if (!eimza_portal_keyfile_load_page (loader, group, self->matcher, &self->page_markers[kind],
                                           &self->page_requirements[kind], error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
load_submits (EimzaPortalProfile        *self,
              const EimzaPortalKeyfile  *loader,
              GError                   **error)
{
  for (EimzaPortalSubmit submit = 0; submit < EIMZA_PORTAL_N_SUBMITS; submit++)
    {
      const char *key = enum_nick (EIMZA_TYPE_PORTAL_SUBMIT, submit);

      self->submits[submit] = eimza_portal_keyfile_get_string (loader, "submit", key, FALSE, error);
      if (self->submits[submit] == NULL)
        return FALSE;
    }

  return check_known_keys (loader, "submit", EIMZA_TYPE_PORTAL_SUBMIT, NULL, error);
}

/* A codebase host: an IP address, or a DNS name in ASCII (IDNs in their
 * xn-- form); the comparison with a .jnlp file's host is then plain ASCII. */
static gboolean
is_jnlp_host (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
        return FALSE;
    }

  return *host != '\0' && *host != '.' && *host != '-';
}

/* A fully qualified Java class name, or "package.*" for every class of a
 * package and of the packages below it. */
static gboolean
is_jnlp_class_pattern (const char *pattern)
{
  g_auto(GStrv) parts = g_strsplit (pattern, ".", -1);
  guint n_parts = g_strv_length (parts);

  for (guint i = 0; i < n_parts; i++)
    {
      const char *part = parts[i];

      if (i > 0 && i == n_parts - 1 && strcmp (part, "*") == 0)
        continue;
      if (!g_ascii_isalpha (part[0]) && part[0] != '_' && part[0] != '$')
        return FALSE;
      for (const char *p = part + 1; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '_' && *p != '$')
            return FALSE;
        }
    }

  return TRUE;
}

/* A required, non-empty ";" list of [jnlp]: host names when @hosts, class
 * patterns otherwise. */
static GStrv
get_jnlp_list (const EimzaPortalKeyfile  *loader,
               const char                *key,
               gboolean                   hosts,
               GError                   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;
  g_auto(GStrv) result = NULL;

  if (!eimza_portal_keyfile_require_key (loader, "jnlp", key, error))
    return NULL;

  items = g_key_file_get_string_list (loader->key_file, "jnlp", key, NULL, NULL);
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);

      if (*item == '\0')
        continue;
      if (hosts ? !is_jnlp_host (item) : !is_jnlp_class_pattern (item))
        {
          /* Translators: a problem of a portal profile's value. */
          g_autofree char *problem = hosts ? g_strdup_printf (_("not a host name: “%s”."), item)
                                           : g_strdup_printf (_("not a Java class name or "
                                                                "“package.*”: “%s”."), item);

          eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_INVALID_VALUE, "jnlp", key, problem);
          return NULL;
        }
      g_strv_builder_add (builder, item);
    }

  result = g_strv_builder_end (builder);
  if (result[0] == NULL)
    {
      eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_INVALID_VALUE, "jnlp", key, _("the value is empty."));
      return NULL;
    }

  return g_steal_pointer (&result);
}

static gboolean
load_jnlp (EimzaPortalProfile        *self,
           const EimzaPortalKeyfile  *loader,
           GError                   **error)
{
  static const char * const jnlp_keys[] = { "hosts", "main-classes", NULL };
  g_auto(GStrv) keys = NULL;

  self->jnlp_hosts = get_jnlp_list (loader, "hosts", TRUE, error);
  if (self->jnlp_hosts == NULL)
    return FALSE;
  for (guint i = 0; self->jnlp_hosts[i] != NULL; i++)
    {
      char *lower = g_ascii_strdown (self->jnlp_hosts[i], -1);

      g_free (self->jnlp_hosts[i]);
      self->jnlp_hosts[i] = lower;
    }

  self->jnlp_main_classes = get_jnlp_list (loader, "main-classes", FALSE, error);
  if (self->jnlp_main_classes == NULL)
    return FALSE;

  keys = g_key_file_get_keys (loader->key_file, "jnlp", NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      if (!g_strv_contains (jnlp_keys, keys[i]))
        return eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_KEY_NOT_FOUND, "jnlp", keys[i],
                                          _("unknown key."));
    }

  return TRUE;
}

static gboolean
check_groups (const EimzaPortalKeyfile  *loader,
              GError                   **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (loader->key_file, NULL);
  static const char * const fixed_groups[] = {
    "portal", "paths", "fields", "selectors", "submit", "messages", "jnlp", NULL
  };

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];

      if (g_strv_contains (fixed_groups, group))
        continue;

      /* The NES site's groups (eimza-eonay-profile.c loads them). */
      if (eimza_eonay_profile_is_group (group))
        continue;

      if (g_str_has_prefix (group, "options:"))
        {
          g_autoptr(GEnumClass) field_class = g_type_class_ref (EIMZA_TYPE_FIELD);

          if (g_enum_get_value_by_nick (field_class, group + strlen ("options:")) != NULL)
            continue;
        }

      if (g_str_has_prefix (group, "page:"))
        {
          g_autoptr(GEnumClass) kind_class = g_type_class_ref (EIMZA_TYPE_PORTAL_WEB_PAGE_KIND);
          const char *kind = group + strlen ("page:");

          if (g_enum_get_value_by_nick (kind_class, kind) != NULL && g_strcmp0 (kind, "unknown") != 0)
            continue;
        }

      return eimza_portal_keyfile_fail (loader, error, G_KEY_FILE_ERROR_GROUP_NOT_FOUND, group, NULL,
                                        _("unknown group."));
    }

  return TRUE;
}

static EimzaPortalProfile *
load_profile (GBytes      *bytes,
              const char  *origin,
              GError     **error)
{
  g_autoptr(EimzaPortalProfile) self = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data;
  EimzaPortalKeyfile loader;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (!g_key_file_load_from_data (key_file, data != NULL ? data : "", size,
                                  G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, G_KEY_FILE_ERROR, local_error->code,
                   _("Portal profile “%s”: %s"), origin, local_error->message);
      return NULL;
    }

  loader.key_file = key_file;
  loader.origin = origin;
  self = g_object_new (EIMZA_TYPE_PORTAL_PROFILE, NULL);

  if (!eimza_portal_keyfile_check_escapes (&loader, error) ||
      !check_groups (&loader, error) ||
      !load_portal (self, &loader, error) ||
      !load_paths (self, &loader, error) ||
      !load_fields (self, &loader, error) ||
      !load_selectors (self, &loader, error) ||
      !load_pages (self, &loader, error) ||
      !load_submits (self, &loader, error) ||
      !eimza_portal_keyfile_load_messages (&loader, "messages", classified_errors,
                                           G_N_ELEMENTS (classified_errors), FALSE,
                                           self->messages, error) ||
      !load_jnlp (self, &loader, error))
    return NULL;

  self->nes = eimza_eonay_profile_load (key_file, origin, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      if (!load_option_map (self, &loader, field, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

EimzaPortalProfile *
eimza_portal_profile_new_from_bytes (GBytes      *bytes,
                                     const char  *origin,
                                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  EimzaPortalProfile *self;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = load_profile (bytes, origin, &local_error);
  if (self == NULL)
    {
      /* Messages quote the file's own lines and values, which need not be
       * UTF-8; they are shown in the window and printed by --check-profile
       * (found by fuzz/fuzz-portal-profile.c). */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error_literal (error, local_error->domain, local_error->code, message);
    }
  return self;
}

EimzaPortalProfile *
eimza_portal_profile_new (const char  *name_or_path,
                          GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (name_or_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strchr (name_or_path, '/') != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (name_or_path, &contents, &length, &local_error))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND,
                       _("Portal profile “%s”: %s"), name_or_path, local_error->message);
          return NULL;
        }
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
    }
  else
    {
      g_autofree char *path = g_strconcat (RESOURCE_PREFIX, name_or_path, ".ini", NULL);

      /* Referencing the generated resource keeps its object file, and the
       * constructor in it that registers the resource, in programs linking
       * the static portal library. */
      (void) eimza_portal_get_resource ();

      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      if (bytes == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND,
                       _("There is no portal profile called “%s”."), name_or_path);
          return NULL;
        }
    }

  return eimza_portal_profile_new_from_bytes (bytes, name_or_path, error);
}

const char *
eimza_portal_profile_get_name (EimzaPortalProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);

  return self->name;
}

const char *
eimza_portal_profile_get_base_url (EimzaPortalProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);

  return self->base_url;
}

const char *
eimza_portal_profile_get_path (EimzaPortalProfile *self,
                               EimzaPortalPath     path)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);
  g_return_val_if_fail (path < EIMZA_PORTAL_N_PATHS, NULL);

  return self->paths[path];
}

const char *
eimza_portal_profile_get_field_name (EimzaPortalProfile *self,
                                     EimzaField          field)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);
  g_return_val_if_fail (field < EIMZA_N_FIELDS, NULL);

  return self->field_names[field];
}

gboolean
eimza_portal_profile_find_field (EimzaPortalProfile *self,
                                 const char         *portal_name,
                                 EimzaField         *out_field)
{
  gpointer value;

  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), FALSE);

  if (portal_name == NULL)
    return FALSE;

  value = g_hash_table_lookup (self->fields_by_name, portal_name);
  if (value == NULL)
    return FALSE;

  if (out_field != NULL)
    *out_field = GPOINTER_TO_UINT (value) - 1;
  return TRUE;
}

const char *
eimza_portal_profile_get_sms_code_name (EimzaPortalProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);

  return self->sms_code_name;
}

const char *
eimza_portal_profile_get_submit_name (EimzaPortalProfile *self,
                                      EimzaPortalSubmit   submit)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);
  g_return_val_if_fail (submit < EIMZA_PORTAL_N_SUBMITS, NULL);

  return self->submits[submit];
}

const char *
eimza_portal_profile_option_to_portal (EimzaPortalProfile *self,
                                       EimzaField          field,
                                       const char         *nick)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);
  g_return_val_if_fail (field < EIMZA_N_FIELDS, NULL);

  if (nick == NULL)
    return NULL;
  if (self->to_portal[field] == NULL)
    return nick;

  return g_hash_table_lookup (self->to_portal[field], nick);
}

const char *
eimza_portal_profile_option_from_portal (EimzaPortalProfile *self,
                                         EimzaField          field,
                                         const char         *portal_value)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);
  g_return_val_if_fail (field < EIMZA_N_FIELDS, NULL);

  if (portal_value == NULL)
    return NULL;
  if (self->from_portal[field] == NULL)
    return portal_value;

  return g_hash_table_lookup (self->from_portal[field], portal_value);
}

const char *
eimza_portal_profile_get_selector (EimzaPortalProfile  *self,
                                   EimzaPortalSelector  selector)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);
  g_return_val_if_fail (selector < EIMZA_PORTAL_N_SELECTORS, NULL);

  return self->selectors[selector];
}

const char *
eimza_portal_profile_get_encoding (EimzaPortalProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);

  return self->encoding;
}

gboolean
eimza_portal_profile_classify_message (EimzaPortalProfile *self,
                                       const char         *message,
                                       EimzaPortalError   *out_code)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), FALSE);

  return eimza_portal_classify_message (self->messages, classified_errors,
                                        G_N_ELEMENTS (classified_errors), message, out_code);
}

xmlXPathCompExprPtr
eimza_portal_profile_get_selector_expr (EimzaPortalProfile  *self,
                                        EimzaPortalSelector  selector)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);
  g_return_val_if_fail (selector < EIMZA_PORTAL_N_SELECTORS, NULL);

  return self->selector_exprs[selector];
}

EimzaPortalMatcher *
eimza_portal_profile_get_matcher (EimzaPortalProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);

  return self->matcher;
}

xmlXPathCompExprPtr
eimza_portal_profile_get_page_marker (EimzaPortalProfile     *self,
                                      EimzaPortalWebPageKind  kind)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);
  g_return_val_if_fail (kind < EIMZA_PORTAL_N_PAGE_KINDS, NULL);

  return self->page_markers[kind];
}

GPtrArray *
eimza_portal_profile_get_page_requirements (EimzaPortalProfile     *self,
                                            EimzaPortalWebPageKind  kind)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);
  g_return_val_if_fail (kind > EIMZA_PORTAL_WEB_PAGE_UNKNOWN && kind < EIMZA_PORTAL_N_PAGE_KINDS, NULL);

  return self->page_requirements[kind];
}

const char *
eimza_portal_profile_get_complete_marker (EimzaPortalProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);

  return self->complete_marker;
}

const char * const *
eimza_portal_profile_get_jnlp_hosts (EimzaPortalProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);

  return (const char * const *) self->jnlp_hosts;
}

const char * const *
eimza_portal_profile_get_jnlp_main_classes (EimzaPortalProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);

  return (const char * const *) self->jnlp_main_classes;
}

EimzaEonayProfile *
eimza_portal_profile_get_nes (EimzaPortalProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (self), NULL);

  return self->nes;
}
