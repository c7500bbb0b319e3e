/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the keyboard focus goes when a page (or its content) comes up. */

#include "eimza-page-focus.h"

/* A keyboard user's focus must not stay on a page that went away (GTK
 * then leaves the window without one): it goes to the new page's first
 * control, unless the page already put it on one of its own. A page whose
 * controls come later (after a request) does the same then. */
static gboolean
focus_first_control (GtkWidget *page,
                     gboolean   keep_own)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (page);
  GtkWidget *focus;

  if (!GTK_IS_WINDOW (toplevel))
    return TRUE;
  focus = gtk_window_get_focus (GTK_WINDOW (toplevel));
  if (keep_own && focus != NULL && gtk_widget_is_ancestor (focus, page) &&
      gtk_widget_is_drawable (focus))
    return TRUE;
  if (!gtk_widget_is_drawable (page))
    return FALSE;
  /* From no focus, Tab starts at the page's first control. */
  gtk_window_set_focus (GTK_WINDOW (toplevel), NULL);
  if (!gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD))
    return FALSE;

  return TRUE;
}

/* A page still insensitive or without a sensitive control (a request
 * under way) is tried again for a few seconds. */
static gboolean
retry_cb (gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(GtkWidget) page = g_weak_ref_get (ref);
  guint tries;

  if (page == NULL)
    return G_SOURCE_REMOVE;
  tries = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (page), "eimza-focus-tries"));
  /* A later try keeps a focus put meanwhile on the page. */
  if (focus_first_control (page, TRUE) || tries >= 20)
    return G_SOURCE_REMOVE;
  g_object_set_data (G_OBJECT (page), "eimza-focus-tries", GUINT_TO_POINTER (tries + 1));

  return G_SOURCE_CONTINUE;
}

static void
free_ref (gpointer user_data)
{
  g_weak_ref_clear (user_data);
  g_free (user_data);
}

static void
focus_first_control_soon (GtkWidget *page,
                          gboolean   keep_own)
{
  GWeakRef *ref;

  if (focus_first_control (page, keep_own))
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, page);
  g_object_set_data (G_OBJECT (page), "eimza-focus-tries", NULL);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 250, retry_cb, ref, free_ref);
}

void
eimza_page_focus_first_control (GtkWidget *page)
{
  focus_first_control_soon (page, TRUE);
}

/* GtkStack gives a page shown again the focus it had when it was left
 * (the welcome page: the task last started); a page that starts afresh
 * starts at its first control. */
void
eimza_page_focus_restart (GtkWidget *page)
{
  focus_first_control_soon (page, FALSE);
}
