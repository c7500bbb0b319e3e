/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a person's browsers keep their certificate databases, and which module to register in them. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-browser-error.h"
#include "eimza-browser-finder.h"
#include "eimza-vendor-module.h"

/* Where p11-kit's proxy module may be: the path p11-kit-1.pc gave at
 * build time (Debian's multiarch one), then the usual others. */
static const char * const proxy_module_paths[] = {
  EIMZA_P11_KIT_PROXY_MODULE,
  "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so",
  "/usr/lib/p11-kit-proxy.so",
  "/usr/lib64/p11-kit-proxy.so",
  NULL
};

/* Where a browser keeps its profiles (Firefox) or database (Chromium),
 * relative to the home folder. */
typedef struct
{
  EimzaBrowserKind kind;
  EimzaBrowserSandbox sandbox;
  const char *title;        /* N_() */
  const char *path;         /* what to look for */
} BrowserPlace;

static const BrowserPlace sandboxed_places[] = {
  { EIMZA_BROWSER_FIREFOX, EIMZA_BROWSER_SANDBOX_SNAP, N_("Firefox (snap)"),
    "snap/firefox" },
  { EIMZA_BROWSER_FIREFOX, EIMZA_BROWSER_SANDBOX_FLATPAK, N_("Firefox (Flatpak)"),
    ".var/app/org.mozilla.firefox" },
  { EIMZA_BROWSER_CHROMIUM, EIMZA_BROWSER_SANDBOX_SNAP, N_("Chromium (snap)"),
    "snap/chromium" },
  { EIMZA_BROWSER_CHROMIUM, EIMZA_BROWSER_SANDBOX_FLATPAK, N_("Chromium (Flatpak)"),
    ".var/app/org.chromium.Chromium" },
  { EIMZA_BROWSER_CHROMIUM, EIMZA_BROWSER_SANDBOX_FLATPAK, N_("Google Chrome (Flatpak)"),
    ".var/app/com.google.Chrome" },
};

/* Chromium-based browsers whose folder shows they have been started:
 * they share ~/.pki/nssdb, and make it at their first start. */
static const char * const chromium_config_dirs[] = {
  ".config/chromium",
  ".config/google-chrome",
  NULL
};

/* Adds a profile for each [Profile…] group of @root/profiles.ini. */
static void
add_firefox_profiles (GPtrArray  *profiles,
                      const char *root)
{
  g_autofree char *ini = g_build_filename (root, "profiles.ini", NULL);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (keys, ini, G_KEY_FILE_NONE, NULL))
    return;

  groups = g_key_file_get_groups (keys, NULL);
  for (gsize i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *name = NULL;
      g_autofree char *directory = NULL;
      g_autofree char *title = NULL;
      g_autoptr(GError) error = NULL;
      gboolean relative;

      if (!g_str_has_prefix (groups[i], "Profile"))
        continue;

      path = g_key_file_get_string (keys, groups[i], "Path", NULL);
      if (path == NULL || *path == '\0')
        continue;
      name = g_key_file_get_string (keys, groups[i], "Name", NULL);
      /* Relative unless it says otherwise, as Firefox reads it. */
      relative = g_key_file_get_integer (keys, groups[i], "IsRelative", &error) != 0 ||
                 error != NULL;

      directory = relative ? g_build_filename (root, path, NULL) : g_strdup (path);
      if (!g_file_test (directory, G_FILE_TEST_IS_DIR))
        continue;

      /* TRANSLATORS: %s is the name of a Firefox profile, e.g. default-esr */
      title = g_strdup_printf (_("Firefox, profile “%s”"), name != NULL ? name : path);
      g_ptr_array_add (profiles, eimza_browser_profile_new (EIMZA_BROWSER_FIREFOX,
                                                            EIMZA_BROWSER_SANDBOX_NONE,
                                                            title, directory));
    }
}

GPtrArray *
eimza_browser_find_profiles (const char *home)
{
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *firefox_root = NULL;
  g_autofree char *nssdb = NULL;
  gboolean chromium_seen = FALSE;

  g_return_val_if_fail (home != NULL, NULL);

  firefox_root = g_build_filename (home, ".mozilla", "firefox", NULL);
  add_firefox_profiles (profiles, firefox_root);

  nssdb = g_build_filename (home, ".pki", "nssdb", NULL);
  chromium_seen = g_file_test (nssdb, G_FILE_TEST_IS_DIR);
  for (gsize i = 0; !chromium_seen && chromium_config_dirs[i] != NULL; i++)
    {
      g_autofree char *config = g_build_filename (home, chromium_config_dirs[i], NULL);

      chromium_seen = g_file_test (config, G_FILE_TEST_IS_DIR);
    }
  if (chromium_seen)
    g_ptr_array_add (profiles, eimza_browser_profile_new (EIMZA_BROWSER_CHROMIUM,
                                                          EIMZA_BROWSER_SANDBOX_NONE,
                                                          _("Chromium and Google Chrome"),
                                                          nssdb));

  for (gsize i = 0; i < G_N_ELEMENTS (sandboxed_places); i++)
    {
      const BrowserPlace *place = &sandboxed_places[i];
      g_autofree char *directory = g_build_filename (home, place->path, NULL);

      if (g_file_test (directory, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (profiles, eimza_browser_profile_new (place->kind, place->sandbox,
                                                              _(place->title), directory));
    }

  return g_steal_pointer (&profiles);
}

char *
eimza_browser_pick_module (const char          *configured,
                           const char * const  *vendor_dirs,
                           GError             **error)
{
  char *vendor;

  if (configured != NULL && *configured != '\0')
    {
      if (!g_file_test (configured, G_FILE_TEST_IS_REGULAR))
        {
          /* TRANSLATORS: %s is a file name */
          g_set_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_NO_MODULE,
                       _("The PKCS#11 module %s does not exist."), configured);
          return NULL;
        }
      return g_strdup (configured);
    }

  vendor = eimza_vendor_module_find (vendor_dirs);
  if (vendor != NULL)
    return vendor;

  for (gsize i = 0; proxy_module_paths[i] != NULL; i++)
    {
      if (g_file_test (proxy_module_paths[i], G_FILE_TEST_IS_REGULAR))
        return g_strdup (proxy_module_paths[i]);
    }

  g_set_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_NO_MODULE,
               _("No module for the card is installed: neither Kamu SM’s AKİS card software "
                 "(libakisp11.so) nor p11-kit’s proxy module (package p11-kit-modules)."));
  return NULL;
}
