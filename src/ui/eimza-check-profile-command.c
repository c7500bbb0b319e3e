/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `eimza-asistan --check-profile FILE [SAVED_PAGES_DIR]`, run before anything of GTK is set up. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-check-profile-command.h"
#include "eimza-pages-module-loader.h"

#define OPTION "--check-profile"

/* The usage error's exit status, as the checker's own. */
#define EXIT_USAGE 2

gboolean
eimza_check_profile_command_wanted (int    argc,
                                    char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], OPTION) == 0 || g_str_has_prefix (argv[i], OPTION "="))
        return TRUE;
    }

  return FALSE;
}

int
eimza_check_profile_command_run (int    argc,
                                 char **argv)
{
  g_autofree char *path = NULL;
  g_auto(GStrv) rest = NULL;
  g_autofree char *module_error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  const EimzaPagesModuleEntry *pages_module;
  const GOptionEntry entries[] = {
    /* The same texts as the application's --help. */
    { "check-profile", 0, 0, G_OPTION_ARG_FILENAME, &path,
      N_("Check a portal profile file, and what it makes of pages saved from a browser in "
         "SAVED_PAGES_DIR; opens no window"),
      N_("FILE [SAVED_PAGES_DIR]") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &args, &error) || path == NULL ||
      (rest != NULL && g_strv_length (rest) > 1))
    {
      if (error != NULL)
        g_printerr ("%s\n", error->message);
      g_printerr ("%s\n", _("Usage: eimza-asistan --check-profile FILE [SAVED_PAGES_DIR]"));
      return EXIT_USAGE;
    }

  /* The portal code lives in the pages module, so that the program itself
   * never links libsoup or libxml2. */
  pages_module = eimza_pages_module_load (&module_error);
  if (pages_module == NULL)
    {
      /* TRANSLATORS: %s says why, in the system's words */
      g_printerr (_("The application’s pages module is unavailable: %s\n"), module_error);
      return EXIT_USAGE;
    }

  return pages_module->check_profile (path, rest != NULL ? rest[0] : NULL);
}
