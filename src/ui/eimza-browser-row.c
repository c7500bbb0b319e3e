/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One browser in the browsers dialog: its name, its state, and a button to register or remove the module. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-browser-row.h"

struct _EimzaBrowserRow
{
  GtkListBoxRow parent_instance;

  EimzaBrowserProfile *profile;
  gboolean busy;

  GtkWidget *icon;
  GtkWidget *title_label;
  GtkWidget *state_label;
  GtkWidget *error_label;
  GtkWidget *spinner;
  GtkWidget *button;
};

G_DEFINE_FINAL_TYPE (EimzaBrowserRow, eimza_browser_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  CHANGE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
state_icon (EimzaBrowserState state)
{
  switch (state)
    {
    case EIMZA_BROWSER_STATE_REGISTERED:
      return "emblem-ok-symbolic";
    case EIMZA_BROWSER_STATE_NOT_REGISTERED:
    case EIMZA_BROWSER_STATE_NO_DATABASE:
    case EIMZA_BROWSER_STATE_UNKNOWN:
      return "dialog-warning-symbolic";
    case EIMZA_BROWSER_STATE_SANDBOXED:
      return "action-unavailable-symbolic";
    case EIMZA_BROWSER_STATE_UNREADABLE:
    default:
      return "dialog-error-symbolic";
    }
}

static void
update (EimzaBrowserRow *self)
{
  EimzaBrowserState state = eimza_browser_profile_get_state (self->profile);
  const char *title = eimza_browser_profile_get_title (self->profile);
  g_autofree char *text = eimza_browser_profile_dup_state_text (self->profile);
  g_autofree char *button_name = NULL;
  gboolean registered = state == EIMZA_BROWSER_STATE_REGISTERED;

  gtk_label_set_text (GTK_LABEL (self->state_label), text);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), state_icon (state), GTK_ICON_SIZE_LARGE_TOOLBAR);

  gtk_button_set_label (GTK_BUTTON (self->button), registered ? _("_Remove") : _("_Register"));
  button_name = registered
                /* TRANSLATORS: an accessible name; %s is a browser, e.g. Firefox, profile “default” */
                ? g_strdup_printf (_("Remove from: %s"), title)
                /* TRANSLATORS: an accessible name; %s is a browser, e.g. Firefox, profile “default” */
                : g_strdup_printf (_("Register in: %s"), title);
  atk_object_set_name (gtk_widget_get_accessible (self->button), button_name);
  gtk_widget_set_tooltip_text (self->button,
                               registered ? _("Take the card’s module out of this browser")
                                          : _("Let this browser use the card"));

  /* A sandboxed browser, a profile never opened or a store that cannot
   * be read: only the text says what to do. */
  gtk_widget_set_visible (self->button, eimza_browser_profile_can_change (self->profile));
  gtk_widget_set_sensitive (self->button, !self->busy);
}

static void
button_clicked_cb (EimzaBrowserRow *self)
{
  gboolean add = eimza_browser_profile_get_state (self->profile) != EIMZA_BROWSER_STATE_REGISTERED;

  g_signal_emit (self, signals[CHANGE_REQUESTED], 0, add);
}

static void
eimza_browser_row_dispose (GObject *object)
{
  EimzaBrowserRow *self = EIMZA_BROWSER_ROW (object);

  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (eimza_browser_row_parent_class)->dispose (object);
}

static void
eimza_browser_row_class_init (EimzaBrowserRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = eimza_browser_row_dispose;

  signals[CHANGE_REQUESTED] =
    g_signal_new ("change-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
eimza_browser_row_init (EimzaBrowserRow *self)
{
  GtkWidget *grid = g_object_new (GTK_TYPE_GRID,
                                  "visible", TRUE,
                                  "column-spacing", 12,
                                  "row-spacing", 4,
                                  "margin", 12,
                                  NULL);
  GtkWidget *texts = g_object_new (GTK_TYPE_BOX,
                                   "visible", TRUE,
                                   "orientation", GTK_ORIENTATION_VERTICAL,
                                   "spacing", 4,
                                   "hexpand", TRUE,
                                   NULL);

  g_object_set (self, "activatable", FALSE, "selectable", FALSE, NULL);

  self->title_label = g_object_new (GTK_TYPE_LABEL,
                                    "visible", TRUE,
                                    "xalign", 0.0f,
                                    "wrap", TRUE,
                                    NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->title_label), "heading");
  self->state_label = g_object_new (GTK_TYPE_LABEL,
                                    "visible", TRUE,
                                    "xalign", 0.0f,
                                    "wrap", TRUE,
                                    "max-width-chars", 60,
                                    NULL);
  self->error_label = g_object_new (GTK_TYPE_LABEL,
                                    "visible", FALSE,
                                    "xalign", 0.0f,
                                    "wrap", TRUE,
                                    "max-width-chars", 60,
                                    NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->error_label), "error");
  self->spinner = g_object_new (GTK_TYPE_SPINNER, "visible", FALSE, "valign", GTK_ALIGN_CENTER,
                                NULL);
  self->icon = g_object_new (GTK_TYPE_IMAGE, "visible", TRUE, "valign", GTK_ALIGN_START, NULL);
  self->button = g_object_new (GTK_TYPE_BUTTON,
                               "use-underline", TRUE,
                               "valign", GTK_ALIGN_CENTER,
                               NULL);
  g_signal_connect_object (self->button, "clicked", G_CALLBACK (button_clicked_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_container_add (GTK_CONTAINER (texts), self->title_label);
  gtk_container_add (GTK_CONTAINER (texts), self->state_label);
  gtk_container_add (GTK_CONTAINER (texts), self->error_label);
  gtk_grid_attach (GTK_GRID (grid), self->icon, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), texts, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->spinner, 2, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->button, 3, 0, 1, 1);
  gtk_container_add (GTK_CONTAINER (self), grid);
}

GtkWidget *
eimza_browser_row_new (EimzaBrowserProfile *profile)
{
  EimzaBrowserRow *self;

  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (profile), NULL);

  self = g_object_new (EIMZA_TYPE_BROWSER_ROW, "visible", TRUE, NULL);
  self->profile = g_object_ref (profile);
  gtk_label_set_text (GTK_LABEL (self->title_label), eimza_browser_profile_get_title (profile));
  gtk_widget_set_tooltip_text (self->title_label, eimza_browser_profile_get_directory (profile));
  g_signal_connect_object (profile, "notify::state", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);

  return GTK_WIDGET (self);
}

EimzaBrowserProfile *
eimza_browser_row_get_profile (EimzaBrowserRow *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_ROW (self), NULL);

  return self->profile;
}

void
eimza_browser_row_set_busy (EimzaBrowserRow *self,
                            gboolean         busy)
{
  g_return_if_fail (EIMZA_IS_BROWSER_ROW (self));

  self->busy = busy;
  gtk_widget_set_visible (self->spinner, busy);
  if (busy)
    gtk_spinner_start (GTK_SPINNER (self->spinner));
  else
    gtk_spinner_stop (GTK_SPINNER (self->spinner));
  update (self);
}

void
eimza_browser_row_set_error (EimzaBrowserRow *self,
                             const char      *message)
{
  g_return_if_fail (EIMZA_IS_BROWSER_ROW (self));

  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}
