/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 4, with the card: the e-signed application ("E-İmzalı Başvuru"). */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-esign-page.h"
#include "eimza-portal-error.h"
#include "eimza-request-status.h"
#include "eimza-sign-step.h"

/* The widest the label column of the summary gets, in pixels; longer
 * labels wrap onto their value's line. */
#define SUMMARY_LABEL_MAX_WIDTH 200
#define SUMMARY_COLUMN_GAP      16

typedef enum {
  REQ_NONE,
  REQ_BEGIN,   /* begin_esigned: a new code and document */
  REQ_UPLOAD,  /* the signature is on its way */
  REQ_CHECK,   /* did the application arrive? */
} Request;

struct _EimzaEsignPage
{
  GtkBox parent_instance;

  EimzaPortalSession *session;
  EimzaCardService *service;
  char *tckn;
  char *cert_uri;       /* the certificate last signed with: chosen again */

  Request request;      /* the one running, or the last one that failed */
  gboolean in_flight;   /* @request runs: its callback has not come yet */
  GCancellable *cancellable;  /* of @request (the request status owns it too) */
  GBytes *cms;          /* the signature being uploaded */

  /* template */
  GtkScrolledWindow *page_scroll;
  GtkContainer *page_box;
  GtkStack *content_stack;
  GtkStack *review_stack;
  GtkTextView *summary_view;
  GtkLabel *commitment_label;
  EimzaSignStep *sign_step;
  GtkLabel *unavailable_label;
  EimzaRequestStatus *request_status;
};

G_DEFINE_FINAL_TYPE (EimzaEsignPage, eimza_esign_page, GTK_TYPE_BOX)

enum {
  APPLIED,
  SESSION_ENDED,
  BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void begin             (EimzaEsignPage *self);
static void upload            (EimzaEsignPage *self);
static void check_application (EimzaEsignPage *self);

static GCancellable *
begin_request (EimzaEsignPage *self,
               Request         request,
               const char     *text)
{
  GCancellable *cancellable;

  self->request = request;
  /* Set after begin: its busy-changed is not a Cancel. */
  cancellable = eimza_request_status_begin (self->request_status, text);
  self->in_flight = TRUE;
  g_set_object (&self->cancellable, cancellable);

  return cancellable;
}

static void
session_ended (EimzaEsignPage *self,
               const GError   *error)
{
  eimza_request_status_end (self->request_status);
  eimza_sign_step_stop (self->sign_step);
  g_clear_pointer (&self->cms, g_bytes_unref);
  self->request = REQ_NONE;
  g_signal_emit (self, signals[SESSION_ENDED], 0, error);
}

static void
applied (EimzaEsignPage *self,
         const char     *number)
{
  eimza_request_status_end (self->request_status);
  eimza_sign_step_stop (self->sign_step);
  g_clear_pointer (&self->cms, g_bytes_unref);
  self->request = REQ_NONE;
  g_signal_emit (self, signals[APPLIED], 0, number);
}

/* ------------------------------------------------------------------ */
/* The document */

static int
text_width (EimzaEsignPage *self,
            const char     *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->summary_view),
                                                                  NULL);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  int width = 0;

  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);

  return width;
}

/* The portal's "Label: value" lines as two columns: the labels in bold,
 * each value after a tab stop, wrapped lines under their value. Lines
 * without a label are shown as they are. */
static void
show_summary (EimzaEsignPage *self,
              const char     *summary)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->summary_view);
  g_auto(GStrv) lines = g_strsplit (summary != NULL ? summary : "", "\n", -1);
  g_autoptr(PangoTabArray) tabs = NULL;
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *label_tag;
  GtkTextTag *row_tag;
  GtkTextIter end;
  int column = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strstr (lines[i], ": ");

      if (colon != NULL)
        {
          g_autofree char *label = g_strndup (lines[i], colon - lines[i] + 1);
          column = MAX (column, text_width (self, label));
        }
    }
  column = MIN (column, SUMMARY_LABEL_MAX_WIDTH) + SUMMARY_COLUMN_GAP;

  tabs = pango_tab_array_new_with_positions (1, TRUE, PANGO_TAB_LEFT, column);
  gtk_text_view_set_tabs (self->summary_view, tabs);

  label_tag = gtk_text_tag_table_lookup (table, "label");
  if (label_tag == NULL)
    label_tag = gtk_text_buffer_create_tag (buffer, "label", "weight", PANGO_WEIGHT_BOLD, NULL);
  row_tag = gtk_text_tag_table_lookup (table, "row");
  if (row_tag == NULL)
    row_tag = gtk_text_buffer_create_tag (buffer, "row", "pixels-below-lines", 4, NULL);
  /* A negative indent is a hanging one: wrapped lines start under the
   * value, not under the label. */
  g_object_set (row_tag, "indent", -column, NULL);

  gtk_text_buffer_set_text (buffer, "", 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *colon;
      GtkTextIter start;
      GtkTextMark *mark;

      if (*g_strstrip (lines[i]) == '\0')
        continue;

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (gtk_text_iter_get_offset (&end) > 0)
        gtk_text_buffer_insert (buffer, &end, "\n", 1);

      mark = gtk_text_buffer_create_mark (buffer, NULL, &end, TRUE);
      colon = strstr (line, ": ");
      if (colon != NULL)
        {
          gtk_text_buffer_insert_with_tags (buffer, &end, line, colon - line + 1, label_tag, NULL);
          gtk_text_buffer_insert (buffer, &end, "\t", 1);
          gtk_text_buffer_insert (buffer, &end, colon + 2, -1);
        }
      else
        {
          gtk_text_buffer_insert (buffer, &end, line, -1);
        }
      gtk_text_buffer_get_iter_at_mark (buffer, &start, mark);
      gtk_text_buffer_apply_tag (buffer, row_tag, &start, &end);
      gtk_text_buffer_delete_mark (buffer, mark);
    }

  gtk_text_buffer_get_start_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}

static void
show_document (EimzaEsignPage                *self,
               const EimzaPortalSignDocument *document)
{
  show_summary (self, document->summary);
  gtk_label_set_text (self->commitment_label, document->commitment);
  gtk_stack_set_visible_child_name (self->review_stack, "summary");
  gtk_stack_set_visible_child_name (self->content_stack, "sign");

  eimza_sign_step_set_card_service (self->sign_step, self->service);
  eimza_sign_step_start (self->sign_step, _("Sign your application"), document->data,
                         document->deadline, self->tckn, self->cert_uri);
}

/* ------------------------------------------------------------------ */
/* Beginning: the code and the document */

static void
begin_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  EimzaEsignPage *self;
  g_autoptr(EimzaPortalSignDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = eimza_portal_session_begin_esigned_finish (EIMZA_PORTAL_SESSION (source), result,
                                                        &error);
  /* Cancelled: the page may be gone, and Cancel already reset it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_ESIGN_PAGE (user_data);
  self->in_flight = FALSE;

  if (document != NULL)
    {
      self->request = REQ_NONE;
      eimza_request_status_end (self->request_status);
      show_document (self, document);
      return;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      session_ended (self, error);
      return;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE))
    {
      g_autofree char *text = NULL;

      /* TRANSLATORS: %s is the portal's own message (Turkish) */
      text = g_strdup_printf (_("Kamu SM does not take e-signed applications now. It said: “%s”\n\n"
                                "You can apply with your e-onay instead, if it is active, or "
                                "try again later."),
                              error->message);
      gtk_label_set_text (self->unavailable_label, text);
      self->request = REQ_NONE;
      eimza_request_status_end (self->request_status);
      eimza_sign_step_stop (self->sign_step);
      gtk_stack_set_visible_child_name (self->content_stack, "unavailable");
      return;
    }

  /* A broken answer, an expired code or a refusal: asking again gives a
   * new code and document. */
  eimza_request_status_fail (self->request_status, error,
                             eimza_portal_error_can_retry (error) ||
                             g_error_matches (error, EIMZA_PORTAL_ERROR,
                                              EIMZA_PORTAL_ERROR_CODE_EXPIRED));
}

static void
begin (EimzaEsignPage *self)
{
  GCancellable *cancellable;

  g_clear_pointer (&self->cms, g_bytes_unref);
  eimza_sign_step_stop (self->sign_step);
  cancellable = begin_request (self, REQ_BEGIN, _("Getting your application from Kamu SM…"));
  eimza_portal_session_begin_esigned_async (self->session, cancellable, begin_cb, self);
}

/* ------------------------------------------------------------------ */
/* The signature */

/* An upload and a check of the application both end here: with the
 * application's number, or in a session that ended. %FALSE when the
 * caller has to handle @error. */
static gboolean
handle_number (EimzaEsignPage *self,
               const char     *number,
               const GError   *error)
{
  self->in_flight = FALSE;

  if (number != NULL)
    {
      applied (self, number);
      return TRUE;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      session_ended (self, error);
      return TRUE;
    }

  return FALSE;
}

/* The portal still waits for the signature: sending the same one again is
 * safe now. */
static void
signature_not_arrived (EimzaEsignPage *self)
{
  g_autoptr(GError) lost = NULL;

  lost = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
                              _("Your signature did not reach Kamu SM. Send it again, or "
                                "sign again."));
  self->request = REQ_UPLOAD;
  eimza_sign_step_show_error (self->sign_step, NULL);
  eimza_request_status_fail (self->request_status, lost, TRUE);
}

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  EimzaEsignPage *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  number = eimza_portal_session_upload_signature_finish (EIMZA_PORTAL_SESSION (source), result,
                                                         &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_ESIGN_PAGE (user_data);
  if (handle_number (self, number, error))
    return;

  /* The answer was lost and the session could not ask the portal whether
   * the signature arrived: only asking again is offered, never a blind
   * upload. */
  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN))
    {
      self->request = REQ_CHECK;
      eimza_sign_step_show_error (self->sign_step, NULL);
      eimza_request_status_fail (self->request_status, error, TRUE);
      return;
    }

  /* The answer was lost, and the session found that the portal still
   * waits for the signature. */
  if (eimza_portal_error_can_retry (error))
    {
      signature_not_arrived (self);
      return;
    }

  self->request = REQ_NONE;
  eimza_request_status_end (self->request_status);
  g_clear_pointer (&self->cms, g_bytes_unref);

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER))
    {
      g_autoptr(GError) plain = NULL;

      plain = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER,
                                   _("This certificate belongs to someone else. Kamu SM takes "
                                     "only a signature with the applicant’s own certificate: "
                                     "choose yours, or insert your card, and sign again."));
      eimza_sign_step_show_error (self->sign_step, plain);
      return;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED))
    {
      g_autoptr(GError) plain = NULL;

      /* TRANSLATORS: %s is the portal's own reason (Turkish) */
      plain = g_error_new (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED,
                           _("Kamu SM did not accept the signature: “%s” You can sign again, "
                             "with another certificate if you have one."),
                           error->message);
      eimza_sign_step_show_error (self->sign_step, plain);
      return;
    }

  /* CODE_EXPIRED shows the step's Start Again; anything else is shown as
   * the portal said it, and the person may sign again. */
  eimza_sign_step_show_error (self->sign_step, error);
}

static void
upload (EimzaEsignPage *self)
{
  GCancellable *cancellable;

  g_return_if_fail (self->cms != NULL);

  eimza_sign_step_set_sensitive_busy (self->sign_step, TRUE);
  cancellable = begin_request (self, REQ_UPLOAD, _("Sending your signed application…"));
  eimza_portal_session_upload_signature_async (self->session, self->cms, cancellable, upload_cb,
                                               self);
}

static void
check_application_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EimzaEsignPage *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  number = eimza_portal_session_check_application_finish (EIMZA_PORTAL_SESSION (source), result,
                                                          &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_ESIGN_PAGE (user_data);
  if (handle_number (self, number, error))
    return;

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE) &&
      self->cms != NULL)
    {
      signature_not_arrived (self);
      return;
    }

  if (eimza_portal_error_can_retry (error))
    {
      /* Still unknown: only asking again is offered, never a blind upload. */
      eimza_request_status_fail (self->request_status, error, TRUE);
      return;
    }

  /* CODE_EXPIRED: the portal waits no more; Start Again. */
  self->request = REQ_NONE;
  g_clear_pointer (&self->cms, g_bytes_unref);
  eimza_request_status_end (self->request_status);
  eimza_sign_step_show_error (self->sign_step, error);
}

static void
check_application (EimzaEsignPage *self)
{
  GCancellable *cancellable;

  eimza_sign_step_set_sensitive_busy (self->sign_step, TRUE);
  cancellable = begin_request (self, REQ_CHECK,
                               _("Checking whether Kamu SM received your application…"));
  eimza_portal_session_check_application_async (self->session, cancellable,
                                                check_application_cb, self);
}

/* ------------------------------------------------------------------ */
/* Signal handlers */

static void
signed_cb (EimzaEsignPage   *self,
           GBytes           *cms,
           EimzaCertificate *certificate)
{
  g_clear_pointer (&self->cms, g_bytes_unref);
  self->cms = g_bytes_ref (cms);
  g_free (self->cert_uri);
  self->cert_uri = g_strdup (eimza_certificate_get_uri (certificate));
  upload (self);
}

static void
restart_requested_cb (EimzaEsignPage *self)
{
  begin (self);
}

static void
retry_cb (EimzaEsignPage *self)
{
  switch (self->request)
    {
    case REQ_UPLOAD:
      if (self->cms != NULL)
        upload (self);
      else
        begin (self);
      break;
    case REQ_CHECK:
      check_application (self);
      break;
    case REQ_BEGIN:
    case REQ_NONE:
    default:
      begin (self);
      break;
    }
}

/* The person pressed Cancel. A signature on its way may still arrive, so
 * whether it did is the next question; cancelling that leaves the step
 * to the person (Try Again asks once more). */
static void
busy_changed_cb (EimzaEsignPage *self,
                 gboolean        busy)
{
  if (busy || !self->in_flight)
    return;

  self->in_flight = FALSE;
  if (self->request == REQ_BEGIN)
    {
      g_autoptr(GError) cancelled = NULL;

      cancelled = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT,
                                       _("Getting your application was stopped."));
      eimza_request_status_fail (self->request_status, cancelled, TRUE);
      return;
    }

  if (self->request == REQ_UPLOAD && self->cms != NULL)
    {
      g_autoptr(GError) cancelled = NULL;

      cancelled = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT,
                                       _("Sending was stopped; the signature may have reached "
                                         "Kamu SM already."));
      self->request = REQ_CHECK;
      eimza_request_status_fail (self->request_status, cancelled, TRUE);
    }
  else if (self->request == REQ_CHECK)
    {
      g_autoptr(GError) cancelled = NULL;

      cancelled = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT,
                                       _("Whether Kamu SM received your application is not "
                                         "known yet."));
      eimza_request_status_fail (self->request_status, cancelled, TRUE);
    }
}

static void
back_clicked_cb (EimzaEsignPage *self)
{
  eimza_esign_page_leave (self);
  g_signal_emit (self, signals[BACK], 0);
}

/* ------------------------------------------------------------------ */

static void
eimza_esign_page_dispose (GObject *object)
{
  EimzaEsignPage *self = EIMZA_ESIGN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->service);
  g_clear_pointer (&self->cms, g_bytes_unref);

  G_OBJECT_CLASS (eimza_esign_page_parent_class)->dispose (object);
}

static void
eimza_esign_page_finalize (GObject *object)
{
  EimzaEsignPage *self = EIMZA_ESIGN_PAGE (object);

  g_free (self->tckn);
  g_free (self->cert_uri);

  G_OBJECT_CLASS (eimza_esign_page_parent_class)->finalize (object);
}

static void
eimza_esign_page_class_init (EimzaEsignPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_esign_page_dispose;
  object_class->finalize = eimza_esign_page_finalize;

  /**
   * EimzaEsignPage::applied:
   * @number: the application number the portal gave
   */
  signals[APPLIED] =
    g_signal_new ("applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * EimzaEsignPage::session-ended:
   * @error: why the portal session ended
   */
  signals[SESSION_ENDED] =
    g_signal_new ("session-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * EimzaEsignPage::back:
   *
   * The person wants to choose another signing method.
   */
  signals[BACK] =
    g_signal_new ("back",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (EIMZA_TYPE_REQUEST_STATUS);
  g_type_ensure (EIMZA_TYPE_SIGN_STEP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-esign-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaEsignPage, page_scroll);
  gtk_widget_class_bind_template_child (widget_class, EimzaEsignPage, page_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaEsignPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, EimzaEsignPage, review_stack);
  gtk_widget_class_bind_template_child (widget_class, EimzaEsignPage, summary_view);
  gtk_widget_class_bind_template_child (widget_class, EimzaEsignPage, commitment_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaEsignPage, sign_step);
  gtk_widget_class_bind_template_child (widget_class, EimzaEsignPage, unavailable_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaEsignPage, request_status);
  gtk_widget_class_bind_template_callback (widget_class, signed_cb);
  gtk_widget_class_bind_template_callback (widget_class, restart_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, busy_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
}

static void
eimza_esign_page_init (EimzaEsignPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* In a small window the page scrolls: moving the focus (Tab to Sign)
   * brings the focused control into view. */
  gtk_container_set_focus_vadjustment (self->page_box,
                                       gtk_scrolled_window_get_vadjustment (self->page_scroll));
}

void
eimza_esign_page_start (EimzaEsignPage     *self,
                        EimzaCardService   *service,
                        EimzaPortalSession *session,
                        const char         *tckn)
{
  g_return_if_fail (EIMZA_IS_ESIGN_PAGE (self));
  g_return_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (session));

  g_set_object (&self->service, service);
  g_set_object (&self->session, session);
  if (g_strcmp0 (self->tckn, tckn) != 0)
    {
      g_free (self->tckn);
      self->tckn = g_strdup (tckn);
      g_clear_pointer (&self->cert_uri, g_free);
    }

  gtk_stack_set_visible_child_name (self->content_stack, "loading");
  begin (self);
}

void
eimza_esign_page_leave (EimzaEsignPage *self)
{
  g_return_if_fail (EIMZA_IS_ESIGN_PAGE (self));

  /* Quietly: no busy-changed reaction, no callback. */
  self->request = REQ_NONE;
  self->in_flight = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  eimza_request_status_end (self->request_status);
  eimza_sign_step_stop (self->sign_step);
  g_clear_pointer (&self->cms, g_bytes_unref);
}
