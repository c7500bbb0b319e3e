/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 4: how the application is signed: with the card, or with e-onay. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-method-page.h"
#include "eimza-request-status.h"

struct _EimzaMethodPage
{
  GtkBox parent_instance;

  EimzaPortalSession *session;
  gboolean eonay_available;
  /* What "Yeniden Dene" repeats: the refresh, or applying with e-onay. */
  gboolean retry_refreshes;

  /* template */
  GtkWidget *card_button;
  GtkWidget *eonay_button;
  GtkWidget *give_eonay_button;
  GtkLabel *eonay_button_subtitle;
  EimzaRequestStatus *request_status;
};

G_DEFINE_FINAL_TYPE (EimzaMethodPage, eimza_method_page, GTK_TYPE_BOX)

enum {
  APPLIED,
  SESSION_ENDED,
  ESIGN_CHOSEN,
  EONAY_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_buttons (EimzaMethodPage *self)
{
  gboolean busy = eimza_request_status_is_busy (self->request_status);

  gtk_widget_set_sensitive (self->card_button, self->session != NULL && !busy);
  gtk_widget_set_sensitive (self->eonay_button, self->eonay_available && !busy);
  gtk_widget_set_visible (self->give_eonay_button, !self->eonay_available);
  gtk_widget_set_sensitive (self->give_eonay_button, !busy);
}

static void
show_eonay_state (EimzaMethodPage *self,
                  gboolean         eonay_available)
{
  self->eonay_available = eonay_available;
  gtk_label_set_text (self->eonay_button_subtitle,
                      eonay_available
                      ? _("Your active e-onay approves the application; no card is needed.")
                      : _("You have no active e-onay. Give it first with your card: "
                          "the application waits here."));
  update_buttons (self);
}

static void
apply_with_eonay_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  EimzaMethodPage *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  number = eimza_portal_session_apply_with_eonay_finish (EIMZA_PORTAL_SESSION (source),
                                                         result, &error);
  /* Cancelled: the page may be gone, and Cancel already reset it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_METHOD_PAGE (user_data);

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      eimza_request_status_end (self->request_status);
      g_signal_emit (self, signals[SESSION_ENDED], 0, error);
      return;
    }

  if (number == NULL)
    {
      eimza_request_status_fail (self->request_status, error,
                                 eimza_portal_error_can_retry (error));
      return;
    }

  eimza_request_status_end (self->request_status);
  g_signal_emit (self, signals[APPLIED], 0, number);
}

static void
eonay_clicked_cb (EimzaMethodPage *self)
{
  GCancellable *cancellable;

  self->retry_refreshes = FALSE;
  cancellable = eimza_request_status_begin (self->request_status,
                                            _("Sending your application with your e-onay…"));
  eimza_portal_session_apply_with_eonay_async (self->session, cancellable,
                                               apply_with_eonay_cb, self);
}

static void
reload_method_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  EimzaMethodPage *self;
  g_autoptr(GError) error = NULL;
  gboolean eonay_available = FALSE;

  eimza_portal_session_reload_method_finish (EIMZA_PORTAL_SESSION (source), result,
                                             &eonay_available, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_METHOD_PAGE (user_data);

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      eimza_request_status_end (self->request_status);
      g_signal_emit (self, signals[SESSION_ENDED], 0, error);
      return;
    }

  if (error != NULL)
    {
      eimza_request_status_fail (self->request_status, error, TRUE);
      return;
    }

  eimza_request_status_end (self->request_status);
  show_eonay_state (self, eonay_available);
}

void
eimza_method_page_refresh (EimzaMethodPage *self)
{
  GCancellable *cancellable;

  g_return_if_fail (EIMZA_IS_METHOD_PAGE (self));
  g_return_if_fail (self->session != NULL);

  self->retry_refreshes = TRUE;
  cancellable = eimza_request_status_begin (self->request_status,
                                            _("Asking the portal whether your e-onay is "
                                              "active…"));
  eimza_portal_session_reload_method_async (self->session, cancellable, reload_method_cb, self);
}

static void
retry_cb (EimzaMethodPage *self)
{
  if (self->retry_refreshes)
    eimza_method_page_refresh (self);
  else
    eonay_clicked_cb (self);
}

static void
give_eonay_clicked_cb (EimzaMethodPage *self)
{
  eimza_request_status_end (self->request_status);
  g_signal_emit (self, signals[EONAY_REQUESTED], 0);
}

static void
card_clicked_cb (EimzaMethodPage *self)
{
  eimza_request_status_end (self->request_status);
  g_signal_emit (self, signals[ESIGN_CHOSEN], 0);
}

static void
eimza_method_page_dispose (GObject *object)
{
  EimzaMethodPage *self = EIMZA_METHOD_PAGE (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (eimza_method_page_parent_class)->dispose (object);
}

static void
eimza_method_page_class_init (EimzaMethodPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_method_page_dispose;

  /**
   * EimzaMethodPage::applied:
   * @number: the application number the portal gave
   */
  signals[APPLIED] =
    g_signal_new ("applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * EimzaMethodPage::session-ended:
   * @error: why the portal session ended
   */
  signals[SESSION_ENDED] =
    g_signal_new ("session-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * EimzaMethodPage::esign-chosen:
   *
   * The person chose to sign the application with their card (the
   * e-signed application); the page flow shows its page.
   */
  signals[ESIGN_CHOSEN] =
    g_signal_new ("esign-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * EimzaMethodPage::eonay-requested:
   *
   * The person, without an active e-onay, chose to give it now; the page
   * flow shows the e-onay page and comes back here (then call
   * eimza_method_page_refresh()).
   */
  signals[EONAY_REQUESTED] =
    g_signal_new ("eonay-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (EIMZA_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-method-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaMethodPage, card_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaMethodPage, eonay_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaMethodPage, eonay_button_subtitle);
  gtk_widget_class_bind_template_child (widget_class, EimzaMethodPage, give_eonay_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaMethodPage, request_status);
  gtk_widget_class_bind_template_callback (widget_class, eonay_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, card_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, give_eonay_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
}

static void
eimza_method_page_init (EimzaMethodPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
eimza_method_page_start (EimzaMethodPage    *self,
                         EimzaPortalSession *session,
                         gboolean            eonay_available)
{
  g_return_if_fail (EIMZA_IS_METHOD_PAGE (self));
  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (session));

  g_set_object (&self->session, session);
  eimza_request_status_end (self->request_status);
  show_eonay_state (self, eonay_available);
}
