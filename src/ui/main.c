/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Program entry: sets up translations and runs the application. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "eimza-application.h"
#include "eimza-browsers-command.h"
#include "eimza-check-profile-command.h"
#include "eimza-expiry-check-command.h"

/* The locale the person asked for, as the C library reads it. */
static const char *
requested_locale (void)
{
  const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_getenv (names[i]);

      if (value != NULL && *value != '\0')
        return value;
    }
  return NULL;
}

/* A person whose locale (say tr_TR.UTF-8) was never generated on this
 * computer still gets the app in their language: GNU gettext follows
 * LANGUAGE under any locale but plain "C", so run in C.UTF-8 with the
 * language of the locale asked for. */
static void
fall_back_to_requested_language (void)
{
  const char *requested = requested_locale ();
  const char *language_env = g_getenv ("LANGUAGE");
  g_autofree char *language = NULL;
  gsize length;

  if (requested == NULL || setlocale (LC_ALL, "C.UTF-8") == NULL)
    return;

  if (language_env != NULL && *language_env != '\0')
    return;

  /* "tr_TR.UTF-8@euro" → "tr_TR:tr" */
  length = strcspn (requested, ".@");
  language = g_strndup (requested, length);
  if (*language == '\0' || g_str_equal (language, "C") || g_str_equal (language, "POSIX"))
    return;

  if (strchr (language, '_') != NULL)
    {
      g_autofree char *base = g_strndup (language, strcspn (language, "_"));
      g_autofree char *both = g_strdup_printf ("%s:%s", language, base);

      g_setenv ("LANGUAGE", both, TRUE);
    }
  else
    {
      g_setenv ("LANGUAGE", language, TRUE);
    }
}

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

  if (setlocale (LC_ALL, "") == NULL)
    {
      fall_back_to_requested_language ();
      /* GTK would ask for the missing locale again, only to warn about it. */
      gtk_disable_setlocale ();
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A maintainer's tool, not the application: no window, no display. */
  if (eimza_check_profile_command_wanted (argc, argv))
    return eimza_check_profile_command_run (argc, argv);
  /* For IT staff preparing computers: no window either. */
  if (eimza_browsers_command_wanted (argc, argv))
    return eimza_browsers_command_run (argc, argv);
  /* The renewal reminders: GIO only, no display needed. */
  if (eimza_expiry_check_command_wanted (argc, argv))
    return eimza_expiry_check_command_run (argc, argv);

  app = eimza_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
