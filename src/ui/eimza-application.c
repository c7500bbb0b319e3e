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

static const GActionEntry app_actions[] = {
  { "quit", quit_activated_cb, NULL, NULL, NULL, { 0 } },
  { "about", about_activated_cb, NULL, NULL, NULL, { 0 } },
};

static void
eimza_application_startup (GApplication *application)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *back_accels[] = { "<Alt>Left", NULL };
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (eimza_application_parent_class)->startup (application);

  g_set_application_name (_("E-Signature Assistant"));
  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.go-back", back_accels);

  gtk_css_provider_load_from_resource (css, "/io/github/eimza/Asistan/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
eimza_application_class_init (EimzaApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->activate = eimza_application_activate;
  application_class->startup = eimza_application_startup;

  /* Referencing the generated resource keeps its object file, and the
   * constructor in it that registers the templates, in the program. */
  (void) eimza_ui_get_resource ();
}

static void
eimza_application_init (EimzaApplication *self)
{
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
