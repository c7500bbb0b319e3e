/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The first page: the tasks the product does, one button each, and the nearest certificate expiry. */
#include "config.h"

#include "eimza-expiry-store.h"
#include "eimza-expiry-text.h"
#include "eimza-welcome-page.h"

struct _EimzaWelcomePage
{
  GtkBox parent_instance;

  /* The certificates' store: read in a pool thread after the first frame,
   * again whenever the file changes (a card was seen). */
  GFileMonitor *store_monitor;
  GCancellable *cancellable;
  gboolean expiry_started;

  /* template */
  GtkWidget *expiry_frame;
  GtkImage *expiry_icon;
  GtkLabel *expiry_title;
  GtkLabel *expiry_text;
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
load_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autofree char *path = eimza_expiry_store_default_path ();
  GError *error = NULL;
  EimzaExpiryStore *store = eimza_expiry_store_load (path, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, (GDestroyNotify) eimza_expiry_store_free);
}

static void
show_expiry (EimzaWelcomePage *self,
             EimzaExpiryStore *store)
{
  g_autoptr(GDateTime) now = eimza_expiry_clock_now ();
  EimzaExpiryRecord *record = eimza_expiry_store_get_nearest (store, now);
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  EimzaExpiryState state;

  if (record == NULL)
    {
      gtk_widget_hide (self->expiry_frame);
      return;
    }

  state = eimza_expiry_store_get_state (store, record, now);
  eimza_expiry_text_for_state (store, record, now, eimza_expiry_store_get_eonay_given (store),
                               &title, &text);
  gtk_label_set_text (self->expiry_title, title);
  gtk_label_set_text (self->expiry_text, text);
  gtk_image_set_from_icon_name (self->expiry_icon,
                                state == EIMZA_EXPIRY_STATE_WINDOW_OPEN ||
                                state == EIMZA_EXPIRY_STATE_EXPIRED
                                ? "dialog-warning-symbolic" : "x-office-calendar-symbolic",
                                GTK_ICON_SIZE_DND);
  gtk_widget_show (self->expiry_frame);
}

static void
store_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EimzaWelcomePage *self;
  g_autoptr(EimzaExpiryStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_WELCOME_PAGE (user_data);
  if (store == NULL)
    {
      /* Only reminders are lost; the page stays as it was. */
      g_warning ("The certificates' store could not be read: %s", error->message);
      return;
    }

  show_expiry (self, store);
}

static void
load_store (EimzaWelcomePage *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (NULL, self->cancellable, store_loaded_cb, self);
  g_task_set_source_tag (task, load_store);
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, load_store_thread);
}

static void
store_changed_cb (EimzaWelcomePage  *self,
                  GFile             *file,
                  GFile             *other_file,
                  GFileMonitorEvent  event)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT || event == G_FILE_MONITOR_EVENT_CREATED ||
      event == G_FILE_MONITOR_EVENT_DELETED || event == G_FILE_MONITOR_EVENT_RENAMED ||
      event == G_FILE_MONITOR_EVENT_MOVED_IN)
    load_store (self);
}

/* After the first frame: nothing of this is needed to draw it. */
static void
first_painted_cb (GdkFrameClock    *frame_clock,
                  EimzaWelcomePage *self)
{
  g_autofree char *path = eimza_expiry_store_default_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_signal_handlers_disconnect_by_func (frame_clock, first_painted_cb, self);

  self->store_monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->store_monitor != NULL)
    g_signal_connect_object (self->store_monitor, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  else
    g_debug ("The certificates' store is not followed: %s", error->message);

  load_store (self);
}

static void
eimza_welcome_page_map (GtkWidget *widget)
{
  EimzaWelcomePage *self = EIMZA_WELCOME_PAGE (widget);

  GTK_WIDGET_CLASS (eimza_welcome_page_parent_class)->map (widget);

  if (!self->expiry_started)
    {
      self->expiry_started = TRUE;
      g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                               G_CALLBACK (first_painted_cb), self, 0);
    }
}

static void
eimza_welcome_page_dispose (GObject *object)
{
  EimzaWelcomePage *self = EIMZA_WELCOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store_monitor);

  G_OBJECT_CLASS (eimza_welcome_page_parent_class)->dispose (object);
}

static void
eimza_welcome_page_class_init (EimzaWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_welcome_page_dispose;
  widget_class->map = eimza_welcome_page_map;

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
  gtk_widget_class_bind_template_child (widget_class, EimzaWelcomePage, expiry_frame);
  gtk_widget_class_bind_template_child (widget_class, EimzaWelcomePage, expiry_icon);
  gtk_widget_class_bind_template_child (widget_class, EimzaWelcomePage, expiry_title);
  gtk_widget_class_bind_template_child (widget_class, EimzaWelcomePage, expiry_text);
  gtk_widget_class_bind_template_callback (widget_class, renewal_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, eonay_clicked_cb);
}

static void
eimza_welcome_page_init (EimzaWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
