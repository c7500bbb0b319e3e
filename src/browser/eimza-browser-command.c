/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `eimza-asistan --setup-browsers` and `--check-browsers`: the browser set-up without a window. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-browser-command.h"
#include "eimza-browser-error.h"
#include "eimza-browser-finder.h"
#include "eimza-browser-setup.h"

static void
print_profile (EimzaBrowserProfile *profile,
               const char          *outcome)
{
  g_autofree char *state = eimza_browser_profile_dup_state_text (profile);

  g_print ("%s (%s)\n", eimza_browser_profile_get_title (profile),
           eimza_browser_profile_get_directory (profile));
  if (outcome != NULL)
    g_print ("  %s\n", outcome);
  g_print ("  %s\n", state);
}

/* Whether @profile is where it should be: set up, or a browser for which
 * nothing can be done here (a snap or a Flatpak, said in its text). */
static gboolean
profile_fine (EimzaBrowserProfile *profile)
{
  EimzaBrowserState state = eimza_browser_profile_get_state (profile);

  return state == EIMZA_BROWSER_STATE_REGISTERED || state == EIMZA_BROWSER_STATE_SANDBOXED;
}

/* Whether any browser of @profiles can use the card now. */
static gboolean
any_registered (GPtrArray *profiles)
{
  for (guint i = 0; i < profiles->len; i++)
    {
      if (eimza_browser_profile_get_state (g_ptr_array_index (profiles, i)) ==
          EIMZA_BROWSER_STATE_REGISTERED)
        return TRUE;
    }

  return FALSE;
}

/* Only snap or Flatpak browsers: nothing failed, yet no browser here can
 * use the card, which is what a script asks about. */
static int
none_can_use_the_card (void)
{
  g_printerr ("%s\n", _("No browser on this computer can use the card: install Firefox or "
                        "Chromium from the distribution’s packages."));
  return EIMZA_BROWSER_EXIT_FAILED;
}

static int
check_browsers (EimzaBrowserSetup *setup,
                GPtrArray         *profiles)
{
  guint not_fine = 0;

  for (guint i = 0; i < profiles->len; i++)
    {
      EimzaBrowserProfile *profile = g_ptr_array_index (profiles, i);

      print_profile (profile, NULL);
      if (!profile_fine (profile))
        not_fine++;
    }

  if (not_fine == 0)
    return any_registered (profiles) ? EIMZA_BROWSER_EXIT_OK : none_can_use_the_card ();

  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u browser is not set up for the card.\n",
                           "%u browsers are not set up for the card.\n", not_fine),
              not_fine);
  return EIMZA_BROWSER_EXIT_FAILED;
}

static int
setup_browsers (EimzaBrowserSetup *setup,
                GPtrArray         *profiles)
{
  guint failed = 0;

  for (guint i = 0; i < profiles->len; i++)
    {
      EimzaBrowserProfile *profile = g_ptr_array_index (profiles, i);
      EimzaBrowserState before = eimza_browser_profile_get_state (profile);
      g_autoptr(GError) error = NULL;
      g_autofree char *outcome = NULL;

      /* Nothing to do: said, not counted as a failure. */
      if (before == EIMZA_BROWSER_STATE_SANDBOXED || before == EIMZA_BROWSER_STATE_REGISTERED)
        {
          print_profile (profile, NULL);
          continue;
        }

      if (eimza_browser_setup_change (setup, profile, TRUE, NULL, &error))
        {
          print_profile (profile, _("Registered."));
          continue;
        }

      failed++;
      /* TRANSLATORS: %s says why (already translated) */
      outcome = g_strdup_printf (_("Not set up: %s"), error->message);
      print_profile (profile, outcome);
      g_printerr ("%s: %s\n", eimza_browser_profile_get_title (profile), error->message);
    }

  if (failed == 0)
    return any_registered (profiles) ? EIMZA_BROWSER_EXIT_OK : none_can_use_the_card ();

  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u browser could not be set up.\n",
                           "%u browsers could not be set up.\n", failed),
              failed);
  return EIMZA_BROWSER_EXIT_FAILED;
}

int
eimza_browser_command_run (int    argc,
                           char **argv)
{
  gboolean setup = FALSE;
  gboolean check = FALSE;
  g_autofree char *module_option = NULL;
  g_autofree char *module = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaBrowserSetup) browser_setup = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  const GOptionEntry entries[] = {
    /* The same texts as the application's --help. */
    { "setup-browsers", 0, 0, G_OPTION_ARG_NONE, &setup,
      N_("Register the card’s module in every Firefox profile and in Chromium and Google "
         "Chrome; opens no window"), NULL },
    { "check-browsers", 0, 0, G_OPTION_ARG_NONE, &check,
      N_("Show whether each browser can use the card; opens no window"), NULL },
    { "pkcs11-module", 0, 0, G_OPTION_ARG_FILENAME, &module_option,
      N_("PKCS#11 module of the e-signature card, if not found automatically"), N_("PATH") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &args, &error) || setup == check ||
      g_strv_length (args) > 1)
    {
      if (error != NULL)
        g_printerr ("%s\n", error->message);
      g_printerr ("%s\n", _("Usage: eimza-asistan --setup-browsers|--check-browsers "
                            "[--pkcs11-module PATH]"));
      return EIMZA_BROWSER_EXIT_USAGE;
    }

  module = eimza_browser_pick_module (module_option, NULL, &error);
  if (module == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EIMZA_BROWSER_EXIT_USAGE;
    }

  /* TRANSLATORS: %s is the file of the PKCS#11 module */
  g_print (_("Card module: %s\n"), module);

  browser_setup = eimza_browser_setup_new (g_get_home_dir (), module);
  profiles = eimza_browser_setup_scan (browser_setup, NULL);
  if (profiles->len == 0)
    {
      g_printerr ("%s\n", _("No browser was found: no Firefox profile and no Chromium or "
                            "Google Chrome. Start the browser once, then run this again."));
      return EIMZA_BROWSER_EXIT_FAILED;
    }

  return setup ? setup_browsers (browser_setup, profiles) : check_browsers (browser_setup, profiles);
}
