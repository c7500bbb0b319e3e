/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The last page: the application number and what happens next. */
#include "config.h"

#include "eimza-result-page.h"

struct _EimzaResultPage
{
  GtkBox parent_instance;

  /* template */
  GtkLabel *number_label;
};

G_DEFINE_FINAL_TYPE (EimzaResultPage, eimza_result_page, GTK_TYPE_BOX)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
copy_clicked_cb (EimzaResultPage *self)
{
  GtkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self),
                                                      GDK_SELECTION_CLIPBOARD);

  gtk_clipboard_set_text (clipboard, gtk_label_get_text (self->number_label), -1);
}

static void
done_clicked_cb (EimzaResultPage *self)
{
  g_signal_emit (self, signals[DONE], 0);
}

static void
eimza_result_page_class_init (EimzaResultPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaResultPage, number_label);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, done_clicked_cb);
}

static void
eimza_result_page_init (EimzaResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
eimza_result_page_set_application_number (EimzaResultPage *self,
                                          const char      *number)
{
  g_return_if_fail (EIMZA_IS_RESULT_PAGE (self));

  gtk_label_set_text (self->number_label, number);
}
