/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 1: the application portal's sign-in page (captcha and identity). */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-captcha-decoder.h"
#include "eimza-field-row.h"
#include "eimza-login-page.h"
#include "eimza-page-status.h"
#include "eimza-request-status.h"
#include "eimza-validation.h"

typedef enum {
  REQUEST_NONE,
  REQUEST_OPEN,
  REQUEST_RESTART,
  REQUEST_CAPTCHA,
  REQUEST_LOG_IN,
} Request;

/* Where the calendar opens when no date has been typed yet. */
#define CALENDAR_DEFAULT_AGE_YEARS 40

struct _EimzaLoginPage
{
  GtkBin parent_instance;

  EimzaRenewalForm *form;
  EimzaPortalSession *session;
  /* The portal has moved on from its sign-in page: signing in again needs
   * a new portal session. */
  gboolean needs_restart;
  gboolean captcha_shown;
  gboolean quiet_load;
  GCancellable *quiet_cancellable;
  Request last_request;

  /* template */
  GtkScrolledWindow *scrolled_window;
  GtkWidget *content_box;
  EimzaFieldRow *captcha_row;
  GtkStack *captcha_stack;
  GtkImage *captcha_image;
  GtkWidget *captcha_placeholder;
  GtkWidget *captcha_refresh_button;
  GtkEntry *captcha_entry;
  GtkEntry *birth_date_entry;
  EimzaRequestStatus *request_status;
  GtkPopover *calendar_popover;
  GtkCalendar *birth_date_calendar;
  GtkLabel *status_label;
  GtkWidget *continue_button;
};

G_DEFINE_FINAL_TYPE (EimzaLoginPage, eimza_login_page, GTK_TYPE_BIN)

enum {
  CONTINUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_status (EimzaLoginPage *self)
{
  gboolean busy = eimza_request_status_is_busy (self->request_status);

  eimza_page_status_update (self->form, EIMZA_STEP_LOGIN,
                            self->status_label, self->continue_button);

  /* Signing in needs the captcha the portal showed with this page. */
  if (busy || !self->captcha_shown)
    gtk_widget_set_sensitive (self->continue_button, FALSE);
  gtk_widget_set_sensitive (self->captcha_refresh_button, self->session != NULL && !busy);
}

static void
show_captcha (EimzaLoginPage *self,
              GdkPixbuf      *pixbuf)
{
  gtk_image_set_from_pixbuf (self->captcha_image, pixbuf);
  gtk_stack_set_visible_child (self->captcha_stack, GTK_WIDGET (self->captcha_image));
  self->captcha_shown = TRUE;

  /* Each image has its own text: what was typed for the last one is void,
   * and the emptied entry is not the person's mistake. */
  gtk_entry_set_text (self->captcha_entry, "");
  eimza_field_row_reset (self->captcha_row);
}

/* Which call a captcha came from, known without touching the page, which
 * may be gone when the call was cancelled. */
typedef struct {
  EimzaLoginPage *self;
  Request request;
  GCancellable *cancellable;
} CaptchaLoad;

static void
captcha_load_free (CaptchaLoad *load)
{
  g_clear_object (&load->cancellable);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CaptchaLoad, captcha_load_free)

/* A new image is typed first (the field above the others); but a person
 * already typing in another field of the page keeps the focus there. */
static void
focus_captcha_unless_typing (EimzaLoginPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *focus = GTK_IS_WINDOW (toplevel) ? gtk_window_get_focus (GTK_WINDOW (toplevel)) : NULL;

  if (focus != NULL && GTK_IS_EDITABLE (focus) && focus != GTK_WIDGET (self->captcha_entry) &&
      gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self->captcha_entry));
}

/* The end of a load: the image shown, or why not. */
static void
captcha_done (EimzaLoginPage *self,
              GdkPixbuf      *pixbuf,
              const GError   *error)
{
  if (pixbuf != NULL)
    show_captcha (self, pixbuf);

  if (error != NULL)
    {
      /* The message below says why; the frame no longer says "Loading". */
      gtk_label_set_text (GTK_LABEL (self->captcha_placeholder), _("No image"));
      eimza_request_status_fail (self->request_status, error, TRUE);
    }
  else
    {
      self->needs_restart = FALSE;
      if (!self->quiet_load)
        eimza_request_status_end (self->request_status);
      focus_captcha_unless_typing (self);
    }
  update_status (self);
}

static void
captcha_decoded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CaptchaLoad) load = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = eimza_captcha_decode_finish (result, &error);
  /* Cancelled: the page may be gone, and Cancel already reset it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  captcha_done (load->self, pixbuf, error);
}

static void
captcha_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  EimzaPortalSession *session = EIMZA_PORTAL_SESSION (source);
  g_autoptr(CaptchaLoad) load = user_data;
  g_autoptr(GBytes) png = NULL;
  GCancellable *cancellable;
  g_autoptr(GError) error = NULL;

  switch (load->request)
    {
    case REQUEST_OPEN:
      png = eimza_portal_session_open_finish (session, result, &error);
      break;
    case REQUEST_RESTART:
      png = eimza_portal_session_restart_finish (session, result, &error);
      break;
    default:
      png = eimza_portal_session_refresh_captcha_finish (session, result, &error);
      break;
    }

  /* Cancelled: the page may be gone, and Cancel already reset it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (png == NULL)
    {
      captcha_done (load->self, NULL, error);
      return;
    }

  /* Decoded in a worker thread, and only when its header says it is the
   * size of a captcha: a small file can hold gigabytes of pixels. The
   * cancellable is read before the load is handed over (arguments are
   * evaluated in no set order). */
  cancellable = load->cancellable;
  eimza_captcha_decode_async (png, cancellable, captcha_decoded_cb, g_steal_pointer (&load));
}

/* A quiet load keeps the page's message, e.g. why the sign-in failed, in
 * view while the new image comes. */
static void
load_captcha (EimzaLoginPage *self,
              Request         request,
              gboolean        quiet)
{
  GCancellable *cancellable;
  CaptchaLoad *load;

  /* The portal session takes one request at a time. */
  g_cancellable_cancel (self->quiet_cancellable);
  g_clear_object (&self->quiet_cancellable);

  if (quiet)
    {
      cancellable = self->quiet_cancellable = g_cancellable_new ();
    }
  else
    {
      cancellable = eimza_request_status_begin (self->request_status,
                                                _("Connecting to the application portal…"));
    }
  self->quiet_load = quiet;
  self->last_request = request;
  self->captcha_shown = FALSE;
  gtk_label_set_text (GTK_LABEL (self->captcha_placeholder), _("Loading the image…"));
  gtk_stack_set_visible_child (self->captcha_stack, self->captcha_placeholder);

  load = g_new0 (CaptchaLoad, 1);
  load->self = self;
  load->request = request;
  load->cancellable = g_object_ref (cancellable);

  switch (request)
    {
    case REQUEST_OPEN:
      eimza_portal_session_open_async (self->session, cancellable, captcha_loaded_cb, load);
      break;
    case REQUEST_RESTART:
      eimza_portal_session_restart_async (self->session, cancellable, captcha_loaded_cb, load);
      break;
    default:
      eimza_portal_session_refresh_captcha_async (self->session, cancellable,
                                                  captcha_loaded_cb, load);
      break;
    }
}

static void
refresh_clicked_cb (EimzaLoginPage *self)
{
  load_captcha (self, self->needs_restart ? REQUEST_RESTART : REQUEST_CAPTCHA, FALSE);
}

/* Errors the person can fix on this page; the portal has drawn a new image. */
static gboolean
is_correctable (const GError *error)
{
  return g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_CAPTCHA) ||
         g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH) ||
         g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_INVALID_FIELDS) ||
         g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_REJECTED);
}

static void
logged_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  EimzaPortalSession *session = EIMZA_PORTAL_SESSION (source);
  EimzaLoginPage *self;
  g_autoptr(GError) error = NULL;
  gboolean logged_in;

  logged_in = eimza_portal_session_log_in_finish (session, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_LOGIN_PAGE (user_data);
  eimza_field_rows_set_server_errors (self->content_box,
                                      eimza_portal_session_get_field_errors (session));

  if (logged_in)
    {
      self->needs_restart = TRUE;
      eimza_request_status_end (self->request_status);
      update_status (self);
      g_signal_emit (self, signals[CONTINUE], 0);
      return;
    }

  /* The portal answers a failed sign-in with a new image; show it so the
   * person can try again at once. Anything else keeps the page as it is. */
  eimza_request_status_fail (self->request_status, error, !is_correctable (error));
  if (is_correctable (error))
    load_captcha (self, REQUEST_CAPTCHA, TRUE);
  else if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      self->needs_restart = TRUE;
    }
  update_status (self);
}

static void
log_in (EimzaLoginPage *self)
{
  GCancellable *cancellable;

  if (!eimza_renewal_form_check_step (self->form, EIMZA_STEP_LOGIN))
    {
      eimza_field_rows_reveal_errors (self->content_box);
      return;
    }

  cancellable = eimza_request_status_begin (self->request_status,
                                            _("Signing in to the application portal…"));
  self->last_request = REQUEST_LOG_IN;
  eimza_portal_session_log_in_async (self->session, self->form, cancellable,
                                     logged_in_cb, self);
}

static void
continue_clicked_cb (EimzaLoginPage *self)
{
  log_in (self);
}

static void
retry_cb (EimzaLoginPage *self)
{
  if (self->last_request == REQUEST_LOG_IN)
    log_in (self);
  else
    load_captcha (self, self->needs_restart ? REQUEST_RESTART : self->last_request, FALSE);
}

static void
birth_date_icon_pressed_cb (EimzaLoginPage       *self,
                            GtkEntryIconPosition  position,
                            GdkEvent             *event)
{
  GDate date;

  if (!eimza_birth_date_parse (gtk_entry_get_text (self->birth_date_entry), NULL, &date, NULL))
    {
      g_date_clear (&date, 1);
      g_date_set_time_t (&date, time (NULL));
      g_date_subtract_years (&date, CALENDAR_DEFAULT_AGE_YEARS);
    }

  gtk_calendar_select_month (self->birth_date_calendar,
                             g_date_get_month (&date) - 1, g_date_get_year (&date));
  gtk_calendar_select_day (self->birth_date_calendar, g_date_get_day (&date));
  gtk_popover_popup (self->calendar_popover);
}

static void
calendar_day_chosen_cb (EimzaLoginPage *self)
{
  guint year, month, day;
  g_autofree char *text = NULL;

  gtk_calendar_get_date (self->birth_date_calendar, &year, &month, &day);
  text = g_strdup_printf ("%02u.%02u.%04u", day, month + 1, year);
  gtk_entry_set_text (self->birth_date_entry, text);

  gtk_popover_popdown (self->calendar_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->birth_date_entry));
}

/* Enter in any entry continues, once the page is complete. */
static void
eimza_login_page_map (GtkWidget *widget)
{
  EimzaLoginPage *self = EIMZA_LOGIN_PAGE (widget);

  GTK_WIDGET_CLASS (eimza_login_page_parent_class)->map (widget);

  gtk_widget_grab_default (self->continue_button);
}

static void
eimza_login_page_dispose (GObject *object)
{
  EimzaLoginPage *self = EIMZA_LOGIN_PAGE (object);

  g_cancellable_cancel (self->quiet_cancellable);
  g_clear_object (&self->quiet_cancellable);
  g_clear_object (&self->form);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (eimza_login_page_parent_class)->dispose (object);
}

static void
eimza_login_page_class_init (EimzaLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_login_page_dispose;
  widget_class->map = eimza_login_page_map;

  /**
   * EimzaLoginPage::continue:
   *
   * The portal accepted the sign-in; the form has what it pre-filled.
   */
  signals[CONTINUE] =
    g_signal_new ("continue",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (EIMZA_TYPE_FIELD_ROW);
  g_type_ensure (EIMZA_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, captcha_row);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, captcha_stack);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, captcha_image);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, captcha_placeholder);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, captcha_refresh_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, captcha_entry);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, request_status);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, birth_date_entry);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, calendar_popover);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, birth_date_calendar);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_status);
  gtk_widget_class_bind_template_callback (widget_class, birth_date_icon_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_day_chosen_cb);
}

static void
eimza_login_page_init (EimzaLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Keep the focused field in view when moving with the keyboard. */
  gtk_container_set_focus_vadjustment (GTK_CONTAINER (self->content_box),
                                       gtk_scrolled_window_get_vadjustment (self->scrolled_window));
}

void
eimza_login_page_set_form (EimzaLoginPage   *self,
                           EimzaRenewalForm *form)
{
  g_return_if_fail (EIMZA_IS_LOGIN_PAGE (self));
  g_return_if_fail (EIMZA_IS_RENEWAL_FORM (form));
  g_return_if_fail (self->form == NULL);

  self->form = g_object_ref (form);
  eimza_field_rows_set_form (self->content_box, form);
  g_signal_connect_object (form, "field-changed",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  update_status (self);
}

void
eimza_login_page_start (EimzaLoginPage     *self,
                        EimzaPortalSession *session,
                        const GError       *error)
{
  g_return_if_fail (EIMZA_IS_LOGIN_PAGE (self));
  g_return_if_fail (session == NULL || EIMZA_IS_PORTAL_SESSION (session));

  if (session == NULL)
    {
      /* The portal cannot even be set up (e.g. a bad profile or CA file). */
      g_clear_object (&self->session);
      if (error != NULL)
        eimza_request_status_fail (self->request_status, error, FALSE);
      update_status (self);
      return;
    }

  /* Why the person is back here, e.g. the portal session expired: it stays
   * in view while the new image loads quietly. */
  if (error != NULL)
    eimza_request_status_fail (self->request_status, error, FALSE);

  if (self->session != session)
    {
      g_set_object (&self->session, session);
      load_captcha (self, REQUEST_OPEN, error != NULL);
    }
  else if (self->needs_restart || !self->captcha_shown)
    {
      load_captcha (self, self->needs_restart ? REQUEST_RESTART : REQUEST_CAPTCHA,
                    error != NULL);
    }
}

void
eimza_login_page_end_session (EimzaLoginPage *self)
{
  g_return_if_fail (EIMZA_IS_LOGIN_PAGE (self));

  g_cancellable_cancel (self->quiet_cancellable);
  g_clear_object (&self->quiet_cancellable);
  eimza_request_status_end (self->request_status);
  g_clear_object (&self->session);

  self->needs_restart = FALSE;
  self->captcha_shown = FALSE;
  gtk_image_clear (self->captcha_image);
  gtk_label_set_text (GTK_LABEL (self->captcha_placeholder), _("Loading the image…"));
  gtk_stack_set_visible_child (self->captcha_stack, self->captcha_placeholder);
  gtk_entry_set_text (self->captcha_entry, "");
  eimza_field_row_reset (self->captcha_row);
  update_status (self);
}
