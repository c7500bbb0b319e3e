/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `eimza-asistan --check-profile`: a profile checked by every rule the app applies, and what it makes of saved pages. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "eimza-eonay-profile.h"
#include "eimza-page-report.h"
#include "eimza-portal-keyfile.h"
#include "eimza-portal-profile.h"
#include "eimza-profile-check.h"

/* The loaded profile: the portal's (with its NES site, if any), or an NES
 * site's alone. */
typedef struct {
  EimzaPortalProfile *portal;
  EimzaEonayProfile *nes;
} Profile;

static void
profile_clear (Profile *profile)
{
  g_clear_object (&profile->portal);
  g_clear_object (&profile->nes);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Profile, profile_clear)

/* An NES site profile has only NES groups: anything else is a typo the
 * loader would otherwise never look at. */
static gboolean
check_nes_groups (GKeyFile    *key_file,
                  const char  *origin,
                  GError     **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);
  EimzaPortalKeyfile loader = { key_file, origin };

  if (!eimza_portal_keyfile_check_escapes (&loader, error))
    return FALSE;

  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (!eimza_eonay_profile_is_group (groups[i]))
        return eimza_portal_keyfile_fail (&loader, error, G_KEY_FILE_ERROR_GROUP_NOT_FOUND, groups[i], NULL,
                                          _("unknown group."));
    }

  return TRUE;
}

static gboolean
load_profile (const char  *path,
              Profile     *profile,
              GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND,
                   _("Portal profile “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  /* The kind is told by the groups; the loaders report the details. */
  if (g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, NULL) &&
      !g_key_file_has_group (key_file, "portal") && !g_key_file_has_group (key_file, "nes"))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                   _("Portal profile “%s”: neither [portal] (the application portal) nor [nes] "
                     "(the NES site) is there."), path);
      return FALSE;
    }
  if (!g_key_file_has_group (key_file, "portal") && g_key_file_has_group (key_file, "nes"))
    {
      if (!check_nes_groups (key_file, path, error))
        return FALSE;
      profile->nes = eimza_eonay_profile_load (key_file, path, error);
      return profile->nes != NULL;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  profile->portal = eimza_portal_profile_new_from_bytes (bytes, path, error);
  if (profile->portal == NULL)
    return FALSE;

  profile->nes = eimza_portal_profile_get_nes (profile->portal);
  if (profile->nes != NULL)
    g_object_ref (profile->nes);
  return TRUE;
}

static void
append_summary (GString *out,
                Profile *profile)
{
  const char *base_url = NULL;
  const char *nes_url = profile->nes != NULL ? eimza_eonay_profile_get_base_url (profile->nes) : NULL;

  if (profile->portal != NULL && profile->nes != NULL)
    g_string_append (out, _("The profile is valid: the application portal and the NES site."));
  else if (profile->portal != NULL)
    g_string_append (out, _("The profile is valid: the application portal."));
  else
    g_string_append (out, _("The profile is valid: the NES site."));
  g_string_append_c (out, '\n');

  if (profile->portal != NULL)
    {
      base_url = eimza_portal_profile_get_base_url (profile->portal);
      /* TRANSLATORS: shown instead of an address that is not in the profile */
      g_string_append_printf (out, "  [portal] base-url: %s\n",
                              base_url != NULL ? base_url : _("(given at run time)"));
    }
  if (profile->nes != NULL)
    g_string_append_printf (out, "  [nes] base-url: %s\n",
                            nes_url != NULL ? nes_url : _("(given at run time)"));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
is_page_file (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_str_has_suffix (lower, ".html") || g_str_has_suffix (lower, ".htm");
}

static gboolean
report_pages (const char  *pages_dir,
              Profile     *profile,
              GString     *out,
              GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (pages_dir, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (is_page_file (name))
        g_ptr_array_add (names, g_strdup (name));
    }
  /* In a stable order, whatever the file system's. */
  g_ptr_array_sort (names, compare_names);

  if (names->len == 0)
    {
      /* TRANSLATORS: %s is a folder */
      g_string_append_printf (out, _("There are no .html pages in “%s”."), pages_dir);
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *page_name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (pages_dir, page_name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) read_error = NULL;
      gsize length;

      g_string_append_c (out, '\n');
      if (!g_file_get_contents (path, &contents, &length, &read_error))
        {
          g_string_append_printf (out, "%s: %s\n", page_name, read_error->message);
          continue;
        }
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      eimza_page_report_append (out, page_name, bytes, profile->portal, profile->nes);
    }

  return TRUE;
}

EimzaProfileCheckStatus
eimza_profile_check_run (const char *path,
                         const char *pages_dir,
                         GString    *out,
                         GString    *err)
{
  g_auto(Profile) profile = { NULL, NULL };
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (path != NULL, EIMZA_PROFILE_CHECK_USAGE);
  g_return_val_if_fail (out != NULL, EIMZA_PROFILE_CHECK_USAGE);
  g_return_val_if_fail (err != NULL, EIMZA_PROFILE_CHECK_USAGE);

  if (!load_profile (path, &profile, &error))
    {
      g_string_append_printf (err, "%s\n", error->message);
      return EIMZA_PROFILE_CHECK_INVALID;
    }

  append_summary (out, &profile);

  if (pages_dir != NULL && !report_pages (pages_dir, &profile, out, &error))
    {
      /* TRANSLATORS: %s is a folder, then why (already translated) */
      g_string_append_printf (err, _("Cannot read the folder of saved pages “%s”: %s"), pages_dir,
                              error->message);
      g_string_append_c (err, '\n');
      return EIMZA_PROFILE_CHECK_USAGE;
    }

  return EIMZA_PROFILE_CHECK_OK;
}
