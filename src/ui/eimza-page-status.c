/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The line beside a page's main button that says what is still missing. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-page-status.h"

void
eimza_page_status_update (EimzaRenewalForm *form,
                          EimzaStep         step,
                          GtkLabel         *label,
                          GtkWidget        *button)
{
  guint problems = eimza_renewal_form_count_problems (form, step);
  g_autofree char *text = NULL;

  /* An insensitive button alone does not tell a person why. */
  if (problems > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u field still needs your attention.",
                                         "%u fields still need your attention.",
                                         problems),
                            problems);

  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_sensitive (button, problems == 0);
}
