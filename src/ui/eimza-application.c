/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: actions, the main window, the first-frame report. */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "eimza-application.h"
#include "eimza-ui-resources.h"
#include "eimza-window.h"

struct _EimzaApplication
{
  GtkApplication parent_instance;

  /* From the command line; NULL means "as the settings say". */
  char *portal_profile;
  char *portal_url;
  char *portal_ca_file;
};

G_DEFINE_FINAL_TYPE (EimzaApplication, eimza_application, GTK_TYPE_APPLICATION)

/* Benchmarks set EIMZA_ASISTAN_FIRST_FRAME=1: print when the first frame of
 * the window has been painted, on the monotonic clock, then quit. */
static void
first_frame_painted_cb (GdkFrameClock *frame_clock,
                        GtkWidget     *window)
{
  g_signal_handlers_disconnect_by_func (frame_clock, first_frame_painted_cb, window);

  printf ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);

  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

static void
window_realized_cb (GtkWidget *window)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (first_frame_painted_cb), window);
}

static void
eimza_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      window = GTK_WINDOW (eimza_window_new (EIMZA_APPLICATION (application)));

      if (g_strcmp0 (g_getenv ("EIMZA_ASISTAN_FIRST_FRAME"), "1") == 0)
        g_signal_connect (window, "realize", G_CALLBACK (window_realized_cb), NULL);
    }

  gtk_window_present (window);
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *authors[] = { _("E-Signature Assistant developers"), NULL };

  gtk_show_about_dialog (window,
                         "program-name", _("E-Signature Assistant"),
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Renew your e-signature certificate and give your e-onay, "
                                       "without a browser plug-in or Java."),
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/eimza/asistan",
                         NULL);
}

static const GOptionEntry option_entries[] = {
  { "portal-profile", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Portal description to use: kamusm, simulator, or a file"), N_("PROFILE") },
  { "portal-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Address of the application portal"), N_("URL") },
  { "portal-ca", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Certificate authority to trust for a portal on this computer"), N_("FILE") },
  { NULL }
};

static char *
lookup_option (GVariantDict *options,
               const char   *name)
{
  g_autofree char *value = NULL;

  if (!g_variant_dict_lookup (options, name, "s", &value) &&
      !g_variant_dict_lookup (options, name, "^ay", &value))
    return NULL;

  return g_steal_pointer (&value);
}

static int
eimza_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  EimzaApplication *self = EIMZA_APPLICATION (application);

  self->portal_profile = lookup_option (options, "portal-profile");
  self->portal_url = lookup_option (options, "portal-url");
  self->portal_ca_file = lookup_option (options, "portal-ca");

  /* Go on with the default handling: register and activate. */
  return -1;
}

/* The settings' value of @key when the command line gave none. Without an
 * installed schema (a build tree) only the command line counts. */
static char *
choose (const char *from_command_line,
        const char *key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *value = NULL;

  if (from_command_line != NULL)
    return g_strdup (from_command_line);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;

  settings = g_settings_new_full (schema, NULL, NULL);
  value = g_settings_get_string (settings, key);

  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

EimzaPortalSession *
eimza_application_create_portal_session (EimzaApplication  *self,
                                         GError           **error)
{
  g_autofree char *profile_name = choose (self->portal_profile, "portal-profile");
  g_autofree char *url = choose (self->portal_url, "portal-url");
  g_autofree char *ca_file = choose (self->portal_ca_file, "portal-ca-file");
  g_autoptr(EimzaPortalProfile) profile = NULL;

  g_return_val_if_fail (EIMZA_IS_APPLICATION (self), NULL);

  profile = eimza_portal_profile_new (profile_name != NULL ? profile_name : "kamusm", error);
  if (profile == NULL)
    return NULL;

  return eimza_portal_session_new (profile, url, ca_file, error);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated_cb, NULL, NULL, NULL, { 0 } },
  { "about", about_activated_cb, NULL, NULL, NULL, { 0 } },
};

static void
eimza_application_startup (GApplication *application)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *back_accels[] = { "<Alt>Left", NULL };
  const char *shortcuts_accels[] = { "<Control>question", NULL };
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (eimza_application_parent_class)->startup (application);

  g_set_application_name (_("E-Signature Assistant"));
  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.go-back", back_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-shortcuts",
                                         shortcuts_accels);

  gtk_css_provider_load_from_resource (css, "/io/github/eimza/Asistan/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
eimza_application_finalize (GObject *object)
{
  EimzaApplication *self = EIMZA_APPLICATION (object);

  g_clear_pointer (&self->portal_profile, g_free);
  g_clear_pointer (&self->portal_url, g_free);
  g_clear_pointer (&self->portal_ca_file, g_free);

  G_OBJECT_CLASS (eimza_application_parent_class)->finalize (object);
}

static void
eimza_application_class_init (EimzaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = eimza_application_finalize;
  application_class->activate = eimza_application_activate;
  application_class->startup = eimza_application_startup;
  application_class->handle_local_options = eimza_application_handle_local_options;

  /* Referencing the generated resource keeps its object file, and the
   * constructor in it that registers the templates, in the program. */
  (void) eimza_ui_get_resource ();
}

static void
eimza_application_init (EimzaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

EimzaApplication *
eimza_application_new (void)
{
  return g_object_new (EIMZA_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/eimza/Asistan",
                       NULL);
}
