/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where Kamu SM's PKCS#11 module for AKİS cards is installed. */
#include "config.h"

#include "eimza-vendor-module.h"

/* Kamu SM's .deb installs /usr/lib/libakisp11.so; older and repackaged
 * versions used the others (see the reference notes in DOMAIN.md). */
static const char * const default_dirs[] = {
  "/usr/lib",
  "/usr/lib/x86_64-linux-gnu",
  "/usr/local/lib",
  "/usr/lib/akia",
  NULL
};

const char * const *
eimza_vendor_module_default_dirs (void)
{
  return default_dirs;
}

char *
eimza_vendor_module_find (const char * const *dirs)
{
  if (dirs == NULL)
    dirs = default_dirs;

  for (gsize i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], EIMZA_VENDOR_MODULE_NAME, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }

  return NULL;
}
