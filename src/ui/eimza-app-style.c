/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's style sheet, and its colours for dark themes. */

#include "eimza-app-style.h"

/* style.css names its colours (@define-color eimza_…); on a dark theme
 * style-dark.css defines them again, lighter, at a higher priority, where
 * GTK looks a named colour up first. Which one is chosen follows the
 * theme's own window background, so any dark theme (Adwaita:dark, a
 * high-contrast inverse, a preference for dark) gets the light colours,
 * and a change of theme while the app runs is followed. */

#define DARK_PRIORITY (GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1)

static GtkCssProvider *dark_css;

static gboolean
theme_is_dark (GdkScreen *screen)
{
  g_autoptr(GtkStyleContext) context = gtk_style_context_new ();
  g_autoptr(GtkWidgetPath) path = gtk_widget_path_new ();
  GdkRGBA bg;

  gtk_widget_path_append_type (path, GTK_TYPE_WINDOW);
  gtk_widget_path_iter_add_class (path, -1, "background");
  gtk_style_context_set_path (context, path);
  gtk_style_context_set_screen (context, screen);
  if (!gtk_style_context_lookup_color (context, "theme_bg_color", &bg))
    return FALSE;

  /* Relative luminance, roughly: dark below the middle grey. */
  return 0.2126 * bg.red + 0.7152 * bg.green + 0.0722 * bg.blue < 0.5;
}

static void
follow_theme (GdkScreen *screen)
{
  gboolean dark;

  /* Judged without our dark colours, which never redefine the theme's. */
  dark = theme_is_dark (screen);
  if (dark && dark_css == NULL)
    {
      dark_css = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (dark_css, "/io/github/eimza/Asistan/style-dark.css");
      gtk_style_context_add_provider_for_screen (screen, GTK_STYLE_PROVIDER (dark_css),
                                                 DARK_PRIORITY);
    }
  else if (!dark && dark_css != NULL)
    {
      gtk_style_context_remove_provider_for_screen (screen, GTK_STYLE_PROVIDER (dark_css));
      g_clear_object (&dark_css);
    }
}

static void
theme_changed_cb (GtkSettings *settings,
                  GParamSpec  *pspec,
                  GdkScreen   *screen)
{
  follow_theme (screen);
}

void
eimza_app_style_load (GdkScreen *screen)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GtkSettings *settings = gtk_settings_get_for_screen (screen);

  gtk_css_provider_load_from_resource (css, "/io/github/eimza/Asistan/style.css");
  gtk_style_context_add_provider_for_screen (screen, GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  follow_theme (screen);
  g_signal_connect_object (settings, "notify::gtk-theme-name", G_CALLBACK (theme_changed_cb),
                           screen, G_CONNECT_AFTER);
  g_signal_connect_object (settings, "notify::gtk-application-prefer-dark-theme",
                           G_CALLBACK (theme_changed_cb), screen, G_CONNECT_AFTER);
}
