/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The strip under a page that shows a request in progress (with Cancel) or
 * why it failed (with Try Again). */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-a11y.h"
#include "eimza-live-label.h"
#include "eimza-request-status.h"

enum {
  RESPONSE_RETRY = 1,
};

struct _EimzaRequestStatus
{
  GtkBox parent_instance;

  GCancellable *cancellable;
  GCancellable *operation;   /* begin_for(): what Cancel cancels besides */

  /* template */
  GtkWidget *busy_box;
  GtkSpinner *spinner;
  GtkLabel *busy_label;
  GtkInfoBar *error_bar;
  GtkLabel *error_label;
  GtkWidget *retry_button;

  /* what a screen reader is told: a request begins, a page's wait */
  EimzaLiveLabel *live_label;
};

G_DEFINE_FINAL_TYPE (EimzaRequestStatus, eimza_request_status, GTK_TYPE_BOX)

enum {
  RETRY,
  BUSY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (EimzaRequestStatus *self,
          gboolean            busy)
{
  gtk_widget_set_visible (self->busy_box, busy);
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);

  g_signal_emit (self, signals[BUSY_CHANGED], 0, busy);
}

/* Callbacks of cancelled requests must not touch their page (it may be
 * gone), so the page is put back to idle here, not by them. */
static void
cancel_clicked_cb (EimzaRequestStatus *self)
{
  g_cancellable_cancel (self->cancellable);
  if (self->operation != NULL)
    g_cancellable_cancel (self->operation);
  g_clear_object (&self->operation);
  set_busy (self, FALSE);
}

static void
error_bar_response_cb (EimzaRequestStatus *self,
                       int                 response)
{
  gtk_widget_hide (GTK_WIDGET (self->error_bar));

  if (response == RESPONSE_RETRY)
    g_signal_emit (self, signals[RETRY], 0);
}

static void
eimza_request_status_dispose (GObject *object)
{
  EimzaRequestStatus *self = EIMZA_REQUEST_STATUS (object);

  /* A page going away takes its requests with it; an operation of the
   * page's own is the page's to cancel. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->operation);

  G_OBJECT_CLASS (eimza_request_status_parent_class)->dispose (object);
}

static void
eimza_request_status_class_init (EimzaRequestStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_request_status_dispose;

  /**
   * EimzaRequestStatus::retry:
   *
   * The person asked to send the failed request again.
   */
  signals[RETRY] =
    g_signal_new ("retry",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * EimzaRequestStatus::busy-changed:
   * @busy: whether a request is now running
   *
   * Pages make their buttons insensitive while a request runs.
   */
  signals[BUSY_CHANGED] =
    g_signal_new ("busy-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-request-status.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaRequestStatus, busy_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaRequestStatus, spinner);
  gtk_widget_class_bind_template_child (widget_class, EimzaRequestStatus, busy_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaRequestStatus, error_bar);
  gtk_widget_class_bind_template_child (widget_class, EimzaRequestStatus, error_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaRequestStatus, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, error_bar_response_cb);
}

static void
eimza_request_status_init (EimzaRequestStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  eimza_info_bar_name_close_button (self->error_bar);

  self->live_label = EIMZA_LIVE_LABEL (eimza_live_label_new ());
  gtk_container_add (GTK_CONTAINER (self), GTK_WIDGET (self->live_label));
}

GCancellable *
eimza_request_status_begin (EimzaRequestStatus *self,
                            const char         *busy_text)
{
  g_return_val_if_fail (EIMZA_IS_REQUEST_STATUS (self), NULL);

  g_clear_object (&self->operation);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  gtk_widget_hide (GTK_WIDGET (self->error_bar));
  gtk_label_set_text (self->busy_label, busy_text);
  set_busy (self, TRUE);
  eimza_live_label_announce (self->live_label, busy_text);

  return self->cancellable;
}

void
eimza_request_status_begin_for (EimzaRequestStatus *self,
                                const char         *busy_text,
                                GCancellable       *operation)
{
  g_return_if_fail (EIMZA_IS_REQUEST_STATUS (self));
  g_return_if_fail (G_IS_CANCELLABLE (operation));

  eimza_request_status_begin (self, busy_text);
  self->operation = g_object_ref (operation);
}

gboolean
eimza_request_status_is_busy (EimzaRequestStatus *self)
{
  g_return_val_if_fail (EIMZA_IS_REQUEST_STATUS (self), FALSE);

  return gtk_widget_get_visible (self->busy_box);
}

void
eimza_request_status_end (EimzaRequestStatus *self)
{
  g_return_if_fail (EIMZA_IS_REQUEST_STATUS (self));

  g_clear_object (&self->operation);
  gtk_widget_hide (GTK_WIDGET (self->error_bar));
  set_busy (self, FALSE);
}

void
eimza_request_status_fail (EimzaRequestStatus *self,
                           const GError       *error,
                           gboolean            can_retry)
{
  g_return_if_fail (EIMZA_IS_REQUEST_STATUS (self));
  g_return_if_fail (error != NULL);

  g_clear_object (&self->operation);
  set_busy (self, FALSE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (self->retry_button, can_retry);
  gtk_widget_show (GTK_WIDGET (self->error_bar));
}

void
eimza_request_status_announce (EimzaRequestStatus *self,
                               const char         *text)
{
  g_return_if_fail (EIMZA_IS_REQUEST_STATUS (self));

  eimza_live_label_announce (self->live_label, text);
}
