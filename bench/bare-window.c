/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark floor: the smallest comparable GTK 3 application window. */

#include <gtk/gtk.h>
#include <stdio.h>

/* Same size as the app's main window, so both draw the same area. */
#define BARE_WINDOW_WIDTH 720
#define BARE_WINDOW_HEIGHT 760

typedef struct
{
  GtkApplication *app;
  gboolean drawn;
  gboolean reported;
} FirstFrame;

/* The "draw" handler runs inside the frame clock's paint phase; the frame is
 * complete at the following "after-paint", which is when the time is taken
 * (the same protocol the app implements for EIMZA_ASISTAN_FIRST_FRAME=1). */
static gboolean
window_draw_cb (GtkWidget  *widget,
                cairo_t    *cr,
                FirstFrame *ff)
{
  ff->drawn = TRUE;
  return FALSE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                FirstFrame    *ff)
{
  if (!ff->drawn || ff->reported)
    return;

  ff->reported = TRUE;
  printf ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_application_quit (G_APPLICATION (ff->app));
}

static void
window_realize_cb (GtkWidget  *window,
                   FirstFrame *ff)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), ff);
}

static void
activate_cb (GtkApplication *app,
             FirstFrame     *ff)
{
  GtkWidget *window;
  GtkWidget *header;
  GtkWidget *label;

  window = gtk_application_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window),
                               BARE_WINDOW_WIDTH, BARE_WINDOW_HEIGHT);
  gtk_window_set_title (GTK_WINDOW (window), "Bare window");

  header = gtk_header_bar_new ();
  gtk_header_bar_set_title (GTK_HEADER_BAR (header), "Bare window");
  gtk_header_bar_set_show_close_button (GTK_HEADER_BAR (header), TRUE);
  gtk_window_set_titlebar (GTK_WINDOW (window), header);

  label = gtk_label_new ("Merhaba, dünya");
  gtk_container_add (GTK_CONTAINER (window), label);

  if (g_strcmp0 (g_getenv ("EIMZA_ASISTAN_FIRST_FRAME"), "1") == 0)
    {
      g_signal_connect (window, "realize", G_CALLBACK (window_realize_cb), ff);
      g_signal_connect (window, "draw", G_CALLBACK (window_draw_cb), ff);
    }

  gtk_widget_show_all (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GtkApplication) app = NULL;
  FirstFrame ff = { 0 };

  app = gtk_application_new ("io.github.eimza.Asistan.BenchBareWindow",
                             G_APPLICATION_DEFAULT_FLAGS);
  ff.app = app;
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &ff);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
