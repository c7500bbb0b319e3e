/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The first page: the tasks the product does, one button each. */
#include "config.h"

#include "eimza-welcome-page.h"

struct _EimzaWelcomePage
{
  GtkBox parent_instance;
};

G_DEFINE_FINAL_TYPE (EimzaWelcomePage, eimza_welcome_page, GTK_TYPE_BOX)

enum {
  RENEWAL_CHOSEN,
  EONAY_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
renewal_clicked_cb (EimzaWelcomePage *self)
{
  g_signal_emit (self, signals[RENEWAL_CHOSEN], 0);
}

static void
eonay_clicked_cb (EimzaWelcomePage *self)
{
  g_signal_emit (self, signals[EONAY_CHOSEN], 0);
}

static void
eimza_welcome_page_class_init (EimzaWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[RENEWAL_CHOSEN] =
    g_signal_new ("renewal-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals[EONAY_CHOSEN] =
    g_signal_new ("eonay-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-welcome-page.ui");
  gtk_widget_class_bind_template_callback (widget_class, renewal_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, eonay_clicked_cb);
}

static void
eimza_welcome_page_init (EimzaWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
