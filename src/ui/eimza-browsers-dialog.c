/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "Browsers" window: each Firefox profile and Chromium, whether it can use the card, and the module registered or removed. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-browser-finder.h"
#include "eimza-browser-row.h"
#include "eimza-browser-setup.h"
#include "eimza-browsers-dialog.h"

struct _EimzaBrowsersDialog
{
  GtkDialog parent_instance;

  char *configured_module;
  EimzaBrowserSetup *setup;
  /* Cancelled by a new scan and in dispose; changes run on it too. */
  GCancellable *cancellable;
  guint changes_running;

  /* template */
  GtkLabel *module_label;
  GtkStack *stack;
  GtkSpinner *spinner;
  GtkListBox *list;
  GtkLabel *message_label;
  GtkWidget *refresh_button;
};

G_DEFINE_FINAL_TYPE (EimzaBrowsersDialog, eimza_browsers_dialog, GTK_TYPE_DIALOG)

typedef struct
{
  EimzaBrowsersDialog *dialog;   /* alive unless the change was cancelled */
  EimzaBrowserRow *row;
} ChangeData;

static void
show_message (EimzaBrowsersDialog *self,
              const char          *message)
{
  gtk_spinner_stop (self->spinner);
  gtk_label_set_text (self->message_label, message);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

/* A scan while a change runs could read a database modutil is writing. */
static void
update_refresh (EimzaBrowsersDialog *self)
{
  gtk_widget_set_sensitive (self->refresh_button, self->changes_running == 0);
}

static void
change_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ChangeData *data = user_data;
  g_autoptr(GError) error = NULL;
  EimzaBrowsersDialog *self;

  eimza_browser_setup_change_finish (EIMZA_BROWSER_SETUP (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (data->row);
      g_free (data);
      return;
    }

  self = data->dialog;
  self->changes_running--;
  update_refresh (self);
  eimza_browser_row_set_busy (data->row, FALSE);
  eimza_browser_row_set_error (data->row, error != NULL ? error->message : NULL);
  g_object_unref (data->row);
  g_free (data);
}

static void
change_requested_cb (EimzaBrowserRow     *row,
                     gboolean             add,
                     EimzaBrowsersDialog *self)
{
  ChangeData *data = g_new0 (ChangeData, 1);

  data->dialog = self;
  data->row = g_object_ref (row);
  self->changes_running++;
  update_refresh (self);
  eimza_browser_row_set_error (row, NULL);
  eimza_browser_row_set_busy (row, TRUE);
  eimza_browser_setup_change_async (self->setup, eimza_browser_row_get_profile (row), add,
                                    self->cancellable, change_cb, data);
}

static void
scan_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  EimzaBrowsersDialog *self;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = eimza_browser_setup_scan_finish (EIMZA_BROWSER_SETUP (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_BROWSERS_DIALOG (user_data);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (self->refresh_button, TRUE);

  if (profiles == NULL || profiles->len == 0)
    {
      show_message (self, _("No browser was found: no Firefox profile and no Chromium or "
                            "Google Chrome. Start the browser once, close it, then check "
                            "again."));
      return;
    }

  for (guint i = 0; i < profiles->len; i++)
    {
      GtkWidget *row = eimza_browser_row_new (g_ptr_array_index (profiles, i));

      g_signal_connect_object (row, "change-requested", G_CALLBACK (change_requested_cb), self,
                               0);
      gtk_container_add (GTK_CONTAINER (self->list), row);
    }
  gtk_stack_set_visible_child_name (self->stack, "list");
}

void
eimza_browsers_dialog_reload (EimzaBrowsersDialog *self)
{
  g_autofree char *module = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) rows = NULL;

  g_return_if_fail (EIMZA_IS_BROWSERS_DIALOG (self));

  if (self->changes_running > 0)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->setup);

  rows = gtk_container_get_children (GTK_CONTAINER (self->list));
  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);

  /* Looked for again: the AKİS software may have been installed since. */
  module = eimza_browser_pick_module (self->configured_module, NULL, &error);
  if (module == NULL)
    {
      gtk_widget_hide (GTK_WIDGET (self->module_label));
      show_message (self, error->message);
      return;
    }

  {
    /* TRANSLATORS: %s is the file of the card's PKCS#11 module */
    g_autofree char *text = g_strdup_printf (_("Card module: %s"), module);

    gtk_label_set_text (self->module_label, text);
    gtk_widget_show (GTK_WIDGET (self->module_label));
  }

  self->setup = eimza_browser_setup_new (g_get_home_dir (), module);
  gtk_widget_set_sensitive (self->refresh_button, FALSE);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "busy");
  eimza_browser_setup_scan_async (self->setup, self->cancellable, scan_cb, self);
}

static void
eimza_browsers_dialog_constructed (GObject *object)
{
  EimzaBrowsersDialog *self = EIMZA_BROWSERS_DIALOG (object);
  GtkWidget *header_bar;

  G_OBJECT_CLASS (eimza_browsers_dialog_parent_class)->constructed (object);

  header_bar = gtk_dialog_get_header_bar (GTK_DIALOG (self));
  if (header_bar != NULL)
    gtk_header_bar_pack_start (GTK_HEADER_BAR (header_bar), self->refresh_button);
}

static void
eimza_browsers_dialog_dispose (GObject *object)
{
  EimzaBrowsersDialog *self = EIMZA_BROWSERS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->setup);

  G_OBJECT_CLASS (eimza_browsers_dialog_parent_class)->dispose (object);
}

static void
eimza_browsers_dialog_finalize (GObject *object)
{
  EimzaBrowsersDialog *self = EIMZA_BROWSERS_DIALOG (object);

  g_free (self->configured_module);

  G_OBJECT_CLASS (eimza_browsers_dialog_parent_class)->finalize (object);
}

static void
eimza_browsers_dialog_class_init (EimzaBrowsersDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = eimza_browsers_dialog_constructed;
  object_class->dispose = eimza_browsers_dialog_dispose;
  object_class->finalize = eimza_browsers_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-browsers-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaBrowsersDialog, module_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaBrowsersDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, EimzaBrowsersDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, EimzaBrowsersDialog, list);
  gtk_widget_class_bind_template_child (widget_class, EimzaBrowsersDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaBrowsersDialog, refresh_button);
  gtk_widget_class_bind_template_callback (widget_class, eimza_browsers_dialog_reload);
}

static void
eimza_browsers_dialog_init (EimzaBrowsersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

EimzaBrowsersDialog *
eimza_browsers_dialog_new (GtkWindow  *parent,
                           const char *module)
{
  EimzaBrowsersDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (EIMZA_TYPE_BROWSERS_DIALOG,
                       "use-header-bar", TRUE,
                       "transient-for", parent,
                       NULL);
  self->configured_module = g_strdup (module);
  eimza_browsers_dialog_reload (self);

  return self;
}
