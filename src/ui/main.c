/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Program entry: sets up translations and runs the application. */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "eimza-application.h"
#include "eimza-check-profile-command.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EimzaApplication) app = NULL;
  const char *localedir;

  /* Tests and uninstalled runs point this at the build tree's catalogues. */
  localedir = g_getenv ("EIMZA_ASISTAN_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A maintainer's tool, not the application: no window, no display. */
  if (eimza_check_profile_command_wanted (argc, argv))
    return eimza_check_profile_command_run (argc, argv);

  app = eimza_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
