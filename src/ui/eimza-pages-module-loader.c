/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding and loading the pages module (eimza-pages.so) and checking its entry point. */
#include "config.h"

#include <gmodule.h>

#include "eimza-pages-module-loader.h"

/* The program's own directory: in a build tree the module lies next to it. */
static char *
program_dir (void)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);

  return program != NULL ? g_path_get_dirname (program) : NULL;
}

const EimzaPagesModuleEntry *
eimza_pages_module_load (char **error_message)
{
  g_autofree char *dir = program_dir ();
  g_autofree char *path = NULL;
  EimzaPagesModuleGetFunc get = NULL;
  const EimzaPagesModuleEntry *pages_module;
  GModule *module;

  if (dir != NULL)
    path = g_build_filename (dir, EIMZA_PAGES_MODULE_NAME, NULL);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_free (path);
      path = g_build_filename (EIMZA_PAGES_MODULE_DIR, EIMZA_PAGES_MODULE_NAME, NULL);
    }

  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      *error_message = g_strdup (g_module_error ());
      return NULL;
    }

  if (!g_module_symbol (module, EIMZA_PAGES_MODULE_ENTRY_POINT, (gpointer *) &get) ||
      get == NULL || (pages_module = get ()) == NULL ||
      pages_module->abi_version != EIMZA_PAGES_MODULE_ABI_VERSION)
    {
      *error_message = g_strdup_printf ("%s is not a pages module of this version", path);
      g_module_close (module);
      return NULL;
    }

  /* It registers types: it stays (g_module_check_init() made it resident). */
  return pages_module;
}
