/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A test hook: on SIGUSR1, writes what every window shows as the theme
 * draws it (labels cut off, the contrast of each label's colours). */

#include "eimza-style-check.h"

#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>

/* Only the GUI suites set EIMZA_TEST_STYLE_REPORT; nothing of this runs
 * for a person. The report says which widget, never what a value label
 * holds: a label that can be selected or holds a digit may be a person's
 * name, number or code, so its text is left out. */

typedef struct
{
  double r, g, b, a;
} Rgba;

static Rgba
rgba_from_gdk (const GdkRGBA *c)
{
  return (Rgba){ c->red, c->green, c->blue, c->alpha };
}

/* top drawn with its alpha over an opaque bottom. */
static Rgba
over (Rgba top, Rgba bottom)
{
  return (Rgba){ top.r * top.a + bottom.r * (1 - top.a),
                 top.g * top.a + bottom.g * (1 - top.a),
                 top.b * top.a + bottom.b * (1 - top.a),
                 1 };
}

/* WCAG 2.x relative luminance and contrast ratio. */
static double
channel_linear (double c)
{
  return c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (Rgba c)
{
  return 0.2126 * channel_linear (c.r) + 0.7152 * channel_linear (c.g) +
         0.0722 * channel_linear (c.b);
}

static double
contrast_ratio (Rgba a, Rgba b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static Rgba
style_color (GtkWidget *widget, const char *property)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA *color = NULL;
  Rgba out;

  gtk_style_context_get (context, gtk_style_context_get_state (context),
                         property, &color, NULL);
  out = rgba_from_gdk (color);
  gdk_rgba_free (color);

  return out;
}

static double
style_opacity (GtkWidget *widget)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  double opacity = 1;

  gtk_style_context_get (context, gtk_style_context_get_state (context),
                         "opacity", &opacity, NULL);

  return opacity;
}

/* The colour under a widget: every background colour from its window down
 * to it, each drawn over the one before. Background images (the theme's
 * button gradients) are not drawn; the report marks where one is. */
static Rgba
background_under (GtkWidget *widget, gboolean *has_image)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  Rgba bg = { 1, 1, 1, 1 };

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_insert (chain, 0, w);

  *has_image = FALSE;
  for (guint i = 0; i < chain->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (chain, i);
      GtkStyleContext *context = gtk_widget_get_style_context (w);
      cairo_pattern_t *image = NULL;

      bg = over (style_color (w, "background-color"), bg);
      gtk_style_context_get (context, gtk_style_context_get_state (context),
                             "background-image", &image, NULL);
      if (image != NULL)
        {
          *has_image = TRUE;
          cairo_pattern_destroy (image);
        }
    }

  return bg;
}

/* The label's own style classes and those of its ancestors, "a.b|c|…". */
static char *
classes_of (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_autoptr(GList) classes =
        gtk_style_context_list_classes (gtk_widget_get_style_context (w));

      for (GList *l = classes; l != NULL; l = l->next)
        g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "",
                                (const char *) l->data);
    }

  return g_string_free (out, FALSE);
}

/* The buildable ids (or type names) from the window down to the widget. */
static char *
path_of (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *id = GTK_IS_BUILDABLE (w) ? gtk_buildable_get_name (GTK_BUILDABLE (w)) : NULL;

      if (id == NULL || g_str_has_prefix (id, "___object_"))
        id = G_OBJECT_TYPE_NAME (w);
      g_string_prepend (out, id);
      if (gtk_widget_get_parent (w) != NULL)
        g_string_prepend (out, ">");
    }

  return g_string_free (out, FALSE);
}

static char *
shown_text_of (GtkLabel *label)
{
  const char *text = gtk_label_get_text (label);

  if (gtk_label_get_selectable (label))
    return g_strdup ("<value>");
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      return g_strdup ("<value>");

  return g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 40));
}

/* Whether part of the label lies outside an ancestor that clips it;
 * scrolled content may, a person scrolls to it. */
static gboolean
clipped_by_ancestor (GtkWidget *widget)
{
  int w = gtk_widget_get_allocated_width (widget);
  int h = gtk_widget_get_allocated_height (widget);

  for (GtkWidget *a = gtk_widget_get_parent (widget); a != NULL; a = gtk_widget_get_parent (a))
    {
      int x, y;

      if (GTK_IS_VIEWPORT (a) || GTK_IS_SCROLLED_WINDOW (a) || GTK_IS_LAYOUT (a))
        return FALSE;
      if (!gtk_widget_translate_coordinates (widget, a, 0, 0, &x, &y))
        return FALSE;
      if (x < 0 || y < 0 || x + w > gtk_widget_get_allocated_width (a) ||
          y + h > gtk_widget_get_allocated_height (a))
        return TRUE;
    }

  return FALSE;
}

static void
check_label (GtkLabel *label, FILE *out)
{
  GtkWidget *widget = GTK_WIDGET (label);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *classes = NULL;
  gboolean has_image;
  Rgba fg, bg;
  double opacity = 1;
  char ratio[G_ASCII_DTOSTR_BUF_SIZE];

  if (gtk_label_get_text (label)[0] == '\0')
    return;
  /* Announcements for screen readers take no room and draw nothing. */
  if (gtk_style_context_has_class (gtk_widget_get_style_context (widget), "screen-reader-only"))
    return;
  path = path_of (widget);
  text = shown_text_of (label);

  if (gtk_widget_is_drawable (widget))
    {
      int width = gtk_widget_get_allocated_width (widget);
      int height = gtk_widget_get_allocated_height (widget);
      int margin_x = gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget);
      int margin_y = gtk_widget_get_margin_top (widget) + gtk_widget_get_margin_bottom (widget);
      int min_width, min_height;

      /* Sizes asked for include the margins; the allocation does not. */
      gtk_widget_get_preferred_width (widget, &min_width, NULL);
      gtk_widget_get_preferred_height_for_width (widget, width + margin_x, &min_height, NULL);
      min_width -= margin_x;
      min_height -= margin_y;
      if (pango_layout_is_ellipsized (gtk_label_get_layout (label)))
        fprintf (out, "cut\tellipsized\t%s\t%dx%d\t%s\n", path, width, height, text);
      else if (width < min_width || height < min_height)
        fprintf (out, "cut\tsmaller than needed %dx%d\t%s\t%dx%d\t%s\n", min_width, min_height,
                 path, width, height, text);
      else if (clipped_by_ancestor (widget))
        fprintf (out, "cut\tclipped by a container\t%s\t%dx%d\t%s\n", path, width, height, text);
    }

  /* Contrast also for hidden labels (the PIN dialog's last-try box): their
   * style is the one they will be drawn with. Insensitive text is exempt. */
  if (!gtk_widget_is_sensitive (widget))
    return;
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    opacity *= style_opacity (w);
  fg = style_color (widget, "color");
  bg = background_under (widget, &has_image);
  fg.a *= opacity;
  classes = classes_of (widget);
  /* The report is read by a program: a dot, whatever the locale. */
  g_ascii_formatd (ratio, sizeof ratio, "%.2f", contrast_ratio (over (fg, bg), bg));
  fprintf (out, "contrast\t%s\t%s\t#%02x%02x%02x\t#%02x%02x%02x\t%s\t%s\t%s\n",
           ratio,
           gtk_widget_is_drawable (widget) ? "shown" : "hidden",
           (int) round (over (fg, bg).r * 255), (int) round (over (fg, bg).g * 255),
           (int) round (over (fg, bg).b * 255), (int) round (bg.r * 255),
           (int) round (bg.g * 255), (int) round (bg.b * 255),
           has_image ? "bg-image" : "bg-color", classes, path);
}

static void
check_tree (GtkWidget *widget, gpointer user_data)
{
  FILE *out = user_data;

  if (GTK_IS_LABEL (widget))
    check_label (GTK_LABEL (widget), out);
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), check_tree, out);
  /* A popover is not a child of the widget it points at. */
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)))
    check_tree (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget))), out);
}

static gboolean
write_report_cb (gpointer user_data)
{
  const char *path = user_data;
  g_autoptr(GList) windows = gtk_window_list_toplevels ();
  static guint serial;
  FILE *out = fopen (path, "a");

  if (out == NULL)
    return G_SOURCE_CONTINUE;
  fprintf (out, "report\t%u\tscale %d\n", ++serial,
           gdk_monitor_get_scale_factor (gdk_display_get_monitor (gdk_display_get_default (), 0)));
  for (GList *l = windows; l != NULL; l = l->next)
    {
      GtkWindow *window = l->data;

      if (!gtk_widget_get_visible (GTK_WIDGET (window)) ||
          gtk_window_get_window_type (window) != GTK_WINDOW_TOPLEVEL)
        continue;
      fprintf (out, "window\t%s\n", G_OBJECT_TYPE_NAME (window));
      check_tree (GTK_WIDGET (window), out);
    }
  /* The test waits for this line. */
  fprintf (out, "end\t%u\n", serial);
  fclose (out);

  return G_SOURCE_CONTINUE;
}

void
eimza_style_check_install (void)
{
  const char *path = g_getenv ("EIMZA_TEST_STYLE_REPORT");

  if (path == NULL || path[0] == '\0')
    return;
  g_unix_signal_add (SIGUSR1, write_report_cb, g_strdup (path));
}
