/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `eimza-asistan --setup-browsers` and `--check-browsers`, run before anything of GTK is set up. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-browsers-command.h"
#include "eimza-pages-module-loader.h"

/* The usage error's exit status, as the command's own. */
#define EXIT_USAGE 2

gboolean
eimza_browsers_command_wanted (int    argc,
                               char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], "--setup-browsers") == 0 || strcmp (argv[i], "--check-browsers") == 0)
        return TRUE;
    }

  return FALSE;
}

int
eimza_browsers_command_run (int    argc,
                            char **argv)
{
  g_autofree char *module_error = NULL;
  const EimzaPagesModuleEntry *pages_module;

  /* The browser set-up lives in the pages module with its window, so that
   * the program stays the window and the welcome page. */
  pages_module = eimza_pages_module_load (&module_error);
  if (pages_module == NULL)
    {
      /* TRANSLATORS: %s says why, in the system's words */
      g_printerr (_("The application’s pages module is unavailable: %s\n"), module_error);
      return EXIT_USAGE;
    }

  return pages_module->browsers_command (argc, argv);
}
