/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What GTK 3 leaves out of the accessible tree and the pages add. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-a11y.h"

static void
find_close_button (GtkWidget *widget,
                   gpointer   user_data)
{
  GtkWidget **found = user_data;

  if (*found != NULL)
    return;

  /* The one button GTK adds itself, with its style class "close". */
  if (GTK_IS_BUTTON (widget) &&
      gtk_style_context_has_class (gtk_widget_get_style_context (widget), "close"))
    {
      *found = widget;
      return;
    }

  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_close_button, user_data);
}

void
eimza_info_bar_name_close_button (GtkInfoBar *bar)
{
  GtkWidget *close = NULL;

  g_return_if_fail (GTK_IS_INFO_BAR (bar));

  gtk_container_forall (GTK_CONTAINER (bar), find_close_button, &close);
  g_return_if_fail (close != NULL);

  atk_object_set_name (gtk_widget_get_accessible (close), _("Close"));
}
