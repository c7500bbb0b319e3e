/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A label that only a screen reader sees, for what a page announces while
 * the person waits (a countdown's few marks, a step's progress).
 *
 * GTK 3 has no announcement call (ATK 2.46 has no atk_object_announce), so
 * this is the "visually hidden live region" of the web: a label that
 * takes no room and draws nothing, whose accessible is a notification
 * with the live-region attributes (live: polite). Its text changes only
 * when there is something to say, and each change is also shown anew
 * (state "showing"), which is what Orca reads of a notification. The
 * visible countdowns keep ticking every second in their own labels. */
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk-a11y.h>

#include "eimza-live-label.h"

struct _EimzaLiveLabel
{
  GtkLabel parent_instance;
};

G_DEFINE_FINAL_TYPE (EimzaLiveLabel, eimza_live_label, GTK_TYPE_LABEL)

/* The accessible: a GtkLabel's, as a polite live notification. */
typedef struct
{
  GtkLabelAccessible parent_instance;
} EimzaLiveLabelAccessible;

typedef struct
{
  GtkLabelAccessibleClass parent_class;
} EimzaLiveLabelAccessibleClass;

static GType eimza_live_label_accessible_get_type (void);

G_DEFINE_TYPE (EimzaLiveLabelAccessible, eimza_live_label_accessible, GTK_TYPE_LABEL_ACCESSIBLE)

static AtkAttributeSet *
add_attribute (AtkAttributeSet *set,
               const char      *name,
               const char      *value)
{
  AtkAttribute *attribute = g_new (AtkAttribute, 1);

  attribute->name = g_strdup (name);
  attribute->value = g_strdup (value);
  return g_slist_append (set, attribute);
}

static AtkAttributeSet *
eimza_live_label_accessible_get_attributes (AtkObject *object)
{
  AtkAttributeSet *set;

  set = ATK_OBJECT_CLASS (eimza_live_label_accessible_parent_class)->get_attributes (object);
  set = add_attribute (set, "live", "polite");
  set = add_attribute (set, "container-live", "polite");
  set = add_attribute (set, "atomic", "true");
  set = add_attribute (set, "container-atomic", "true");
  return set;
}

static void
eimza_live_label_accessible_initialize (AtkObject *object,
                                        gpointer   data)
{
  ATK_OBJECT_CLASS (eimza_live_label_accessible_parent_class)->initialize (object, data);
  atk_object_set_role (object, ATK_ROLE_NOTIFICATION);
}

static void
eimza_live_label_accessible_class_init (EimzaLiveLabelAccessibleClass *klass)
{
  AtkObjectClass *atk_class = ATK_OBJECT_CLASS (klass);

  atk_class->initialize = eimza_live_label_accessible_initialize;
  atk_class->get_attributes = eimza_live_label_accessible_get_attributes;
}

static void
eimza_live_label_accessible_init (EimzaLiveLabelAccessible *self)
{
}

/* No room and nothing drawn: the text is for screen readers only. */
static void
eimza_live_label_get_preferred_size (GtkWidget *widget,
                                     int       *minimum,
                                     int       *natural)
{
  *minimum = *natural = 0;
}

static void
eimza_live_label_get_preferred_size_for (GtkWidget *widget,
                                         int        for_size,
                                         int       *minimum,
                                         int       *natural)
{
  *minimum = *natural = 0;
}

static gboolean
eimza_live_label_draw (GtkWidget *widget,
                       cairo_t   *cr)
{
  return FALSE;
}

static void
eimza_live_label_class_init (EimzaLiveLabelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->get_preferred_width = eimza_live_label_get_preferred_size;
  widget_class->get_preferred_height = eimza_live_label_get_preferred_size;
  widget_class->get_preferred_width_for_height = eimza_live_label_get_preferred_size_for;
  widget_class->get_preferred_height_for_width = eimza_live_label_get_preferred_size_for;
  widget_class->draw = eimza_live_label_draw;
  gtk_widget_class_set_accessible_type (widget_class, eimza_live_label_accessible_get_type ());
}

static void
eimza_live_label_init (EimzaLiveLabel *self)
{
  /* Nothing a sighted person sees: the style checks of the tests skip it. */
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)),
                               "screen-reader-only");
}

GtkWidget *
eimza_live_label_new (void)
{
  return g_object_new (EIMZA_TYPE_LIVE_LABEL, "visible", TRUE, NULL);
}

void
eimza_live_label_announce (EimzaLiveLabel *self,
                           const char     *text)
{
  AtkObject *accessible;

  g_return_if_fail (EIMZA_IS_LIVE_LABEL (self));
  g_return_if_fail (text != NULL);

  /* The same words again are still news (a second wait of 30 s). */
  gtk_label_set_text (GTK_LABEL (self), "");
  gtk_label_set_text (GTK_LABEL (self), text);

  accessible = gtk_widget_get_accessible (GTK_WIDGET (self));
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    atk_object_notify_state_change (accessible, ATK_STATE_SHOWING, TRUE);
}
