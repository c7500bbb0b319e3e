/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 3: asking for the SMS approval code and typing it in. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-request-status.h"
#include "eimza-sms-page.h"

#define SMS_CODE_DIGITS 6

typedef enum {
  LAST_REQUEST_NONE,
  LAST_REQUEST_SEND,
  LAST_REQUEST_VERIFY,
} LastRequest;

struct _EimzaSmsPage
{
  GtkBox parent_instance;

  EimzaPortalSession *session;
  int resend_seconds;
  int announced_seconds;   /* the wait last said; a state shown again is no news */
  guint countdown_id;
  LastRequest last_request;

  /* template */
  GtkLabel *phone_label;
  GtkWidget *send_button;
  GtkLabel *resend_label;
  GtkEntry *code_entry;
  GtkLabel *attempts_label;
  EimzaRequestStatus *request_status;
  GtkWidget *confirm_button;
};

G_DEFINE_FINAL_TYPE (EimzaSmsPage, eimza_sms_page, GTK_TYPE_BOX)

enum {
  VERIFIED,
  SESSION_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
code_is_complete (EimzaSmsPage *self)
{
  const char *code = gtk_entry_get_text (self->code_entry);

  if (strlen (code) != SMS_CODE_DIGITS)
    return FALSE;

  for (const char *p = code; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  return TRUE;
}

static void
update_buttons (EimzaSmsPage *self)
{
  gboolean busy = eimza_request_status_is_busy (self->request_status);

  gtk_widget_set_sensitive (self->send_button, !busy && self->resend_seconds <= 0);
  gtk_widget_set_sensitive (self->confirm_button, !busy && code_is_complete (self));
}

static void
update_resend_label (EimzaSmsPage *self)
{
  g_autofree char *text = NULL;

  if (self->resend_seconds > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "You can ask for a new code in %d second.",
                                         "You can ask for a new code in %d seconds.",
                                         self->resend_seconds),
                            self->resend_seconds);

  gtk_label_set_text (self->resend_label, text != NULL ? text : "");
  update_buttons (self);
}

/* The wait is said when it begins, at these marks and when it is over;
 * the label shows every second, which a screen reader must not read out. */
static const int resend_marks[] = { 120, 60, 30 };

static void
announce_resend (EimzaSmsPage *self,
                 gboolean      begins)
{
  g_autofree char *text = NULL;
  gboolean mark = begins;

  for (gsize i = 0; i < G_N_ELEMENTS (resend_marks); i++)
    mark = mark || self->resend_seconds == resend_marks[i];

  if (self->resend_seconds <= 0)
    text = g_strdup (_("You can ask for a new code now."));
  else if (mark)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "You can ask for a new code in %d second.",
                                         "You can ask for a new code in %d seconds.",
                                         self->resend_seconds),
                            self->resend_seconds);

  if (text == NULL || self->announced_seconds == self->resend_seconds)
    return;

  self->announced_seconds = self->resend_seconds;
  eimza_request_status_announce (self->request_status, text);
}

static gboolean
countdown_tick_cb (gpointer user_data)
{
  EimzaSmsPage *self = user_data;

  self->resend_seconds--;
  update_resend_label (self);
  announce_resend (self, FALSE);

  if (self->resend_seconds > 0)
    return G_SOURCE_CONTINUE;

  self->countdown_id = 0;
  return G_SOURCE_REMOVE;
}

static void
show_state (EimzaSmsPage              *self,
            const EimzaPortalSmsState *state)
{
  g_autofree char *phone = NULL;
  g_autofree char *attempts = NULL;

  if (state == NULL)
    return;

  if (state->masked_phone != NULL)
    {
      phone = g_strdup_printf (_("Mobile phone: %s"), state->masked_phone);
      gtk_label_set_text (self->phone_label, phone);
    }

  if (state->attempts_left >= 0)
    attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%d attempt left.",
                                             "%d attempts left.",
                                             state->attempts_left),
                                state->attempts_left);
  gtk_label_set_text (self->attempts_label, attempts != NULL ? attempts : "");

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  self->resend_seconds = MAX (state->resend_seconds, 0);
  if (self->resend_seconds > 0)
    {
      self->countdown_id = g_timeout_add_seconds (1, countdown_tick_cb, self);
      announce_resend (self, TRUE);
    }
  update_resend_label (self);
}

/* A locked code or an ended session sends the person back to sign in. */
static gboolean
ends_session (const GError *error)
{
  return g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SMS_LOCKED) ||
         g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
}

static void
handle_error (EimzaSmsPage *self,
              const GError *error)
{
  if (ends_session (error))
    {
      eimza_request_status_end (self->request_status);
      g_signal_emit (self, signals[SESSION_ENDED], 0, error);
      return;
    }

  /* The portal's answer about the code is final; a lost connection is not. */
  eimza_request_status_fail (self->request_status, error,
                             eimza_portal_error_can_retry (error));
  show_state (self, eimza_portal_session_get_sms_state (self->session));
}

static void
send_sms_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  EimzaSmsPage *self;
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GError) error = NULL;

  state = eimza_portal_session_send_sms_finish (EIMZA_PORTAL_SESSION (source), result, &error);
  /* Cancelled: the page may be gone, and Cancel already reset it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_SMS_PAGE (user_data);
  if (state == NULL)
    {
      handle_error (self, error);
      return;
    }

  eimza_request_status_end (self->request_status);
  show_state (self, state);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
send_code (EimzaSmsPage *self)
{
  GCancellable *cancellable;

  cancellable = eimza_request_status_begin (self->request_status, _("Asking for a code…"));
  self->last_request = LAST_REQUEST_SEND;
  eimza_portal_session_send_sms_async (self->session, cancellable,
                                       send_sms_cb, self);
}

static void
verify_sms_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  EimzaSmsPage *self;
  g_autoptr(GError) error = NULL;
  gboolean eonay_available = FALSE;
  gboolean verified;

  verified = eimza_portal_session_verify_sms_finish (EIMZA_PORTAL_SESSION (source), result,
                                                     &eonay_available, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_SMS_PAGE (user_data);
  if (!verified)
    {
      handle_error (self, error);
      if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SMS_WRONG_CODE))
        {
          /* Ready for the next try without reaching for the mouse. */
          gtk_entry_set_text (self->code_entry, "");
          gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
        }
      return;
    }

  eimza_request_status_end (self->request_status);
  gtk_entry_set_text (self->code_entry, "");
  g_signal_emit (self, signals[VERIFIED], 0, eonay_available);
}

static void
verify_code (EimzaSmsPage *self)
{
  GCancellable *cancellable;

  if (!code_is_complete (self))
    return;

  cancellable = eimza_request_status_begin (self->request_status, _("Checking the code…"));
  self->last_request = LAST_REQUEST_VERIFY;
  eimza_portal_session_verify_sms_async (self->session, gtk_entry_get_text (self->code_entry),
                                         cancellable, verify_sms_cb, self);
}

static void
send_clicked_cb (EimzaSmsPage *self)
{
  send_code (self);
}

static void
confirm_clicked_cb (EimzaSmsPage *self)
{
  verify_code (self);
}

static void
code_changed_cb (EimzaSmsPage *self)
{
  update_buttons (self);
}

static void
retry_cb (EimzaSmsPage *self)
{
  if (self->last_request == LAST_REQUEST_SEND)
    send_code (self);
  else if (self->last_request == LAST_REQUEST_VERIFY)
    verify_code (self);
}

static void
eimza_sms_page_map (GtkWidget *widget)
{
  EimzaSmsPage *self = EIMZA_SMS_PAGE (widget);

  GTK_WIDGET_CLASS (eimza_sms_page_parent_class)->map (widget);

  gtk_widget_grab_default (self->confirm_button);
}

static void
eimza_sms_page_dispose (GObject *object)
{
  EimzaSmsPage *self = EIMZA_SMS_PAGE (object);

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (eimza_sms_page_parent_class)->dispose (object);
}

static void
eimza_sms_page_class_init (EimzaSmsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_sms_page_dispose;
  widget_class->map = eimza_sms_page_map;

  /**
   * EimzaSmsPage::verified:
   * @eonay_available: whether the portal offers the e-onay application
   *
   * The portal accepted the code.
   */
  signals[VERIFIED] =
    g_signal_new ("verified",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  /**
   * EimzaSmsPage::session-ended:
   * @error: why: too many wrong codes, or the portal session expired
   *
   * The application has to be started again from the sign-in page.
   */
  signals[SESSION_ENDED] =
    g_signal_new ("session-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (EIMZA_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-sms-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaSmsPage, phone_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSmsPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaSmsPage, resend_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSmsPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, EimzaSmsPage, attempts_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSmsPage, request_status);
  gtk_widget_class_bind_template_child (widget_class, EimzaSmsPage, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
}

static void
eimza_sms_page_init (EimzaSmsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->announced_seconds = -1;
}

void
eimza_sms_page_start (EimzaSmsPage              *self,
                      EimzaPortalSession        *session,
                      const EimzaPortalSmsState *state)
{
  g_return_if_fail (EIMZA_IS_SMS_PAGE (self));
  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (session));

  g_set_object (&self->session, session);
  self->last_request = LAST_REQUEST_NONE;
  gtk_entry_set_text (self->code_entry, "");
  eimza_request_status_end (self->request_status);
  show_state (self, state);
}
