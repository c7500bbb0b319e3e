/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 4, with the card: the e-signed application ("E-İmzalı Başvuru"). */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-esign-page.h"
#include "eimza-esigned-application.h"
#include "eimza-page-focus.h"
#include "eimza-portal-error.h"
#include "eimza-request-status.h"
#include "eimza-sign-step.h"

/* The widest the label column of the summary gets, in pixels; longer
 * labels wrap onto their value's line. */
#define SUMMARY_LABEL_MAX_WIDTH 200
#define SUMMARY_COLUMN_GAP      16

struct _EimzaEsignPage
{
  GtkBox parent_instance;

  /* The flow this page shows (src/flow): it alone decides what a step
   * leaves; the page shows its state and calls its steps. */
  EimzaEsignedApplication *application;
  EimzaEsignedApplicationState shown_state;  /* the state last shown */
  gboolean in_flight;   /* a step runs: its callback has not come yet */

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

static GCancellable *
begin_request (EimzaEsignPage *self,
               const char     *text)
{
  GCancellable *cancellable;

  /* Set after begin: its busy-changed is not a Cancel. */
  cancellable = eimza_request_status_begin (self->request_status, text);
  self->in_flight = TRUE;

  return cancellable;
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
  eimza_page_focus_first_control (GTK_WIDGET (self));

  eimza_sign_step_set_card_service (self->sign_step,
                                    eimza_esigned_application_get_card_service (self->application));
  eimza_sign_step_start (self->sign_step, _("Sign your application"), document->data,
                         document->deadline, eimza_esigned_application_get_tckn (self->application),
                         eimza_esigned_application_get_certificate_uri (self->application));
}

static void
show_unavailable (EimzaEsignPage *self,
                  const GError   *error)
{
  g_autofree char *text = NULL;

  /* TRANSLATORS: %s is the portal's own message (Turkish) */
  text = g_strdup_printf (_("Kamu SM does not take e-signed applications now. It said: “%s”\n\n"
                            "You can apply with your e-onay instead, if it is active, or "
                            "try again later."),
                          error->message);
  gtk_label_set_text (self->unavailable_label, text);
  eimza_request_status_end (self->request_status);
  eimza_sign_step_stop (self->sign_step);
  gtk_stack_set_visible_child_name (self->content_stack, "unavailable");
  eimza_page_focus_first_control (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* The flow's state, as the page shows it */

/* Shows what the last step left; the signals come last, as their
 * handlers may leave the page. */
static void
show_state (EimzaEsignPage *self)
{
  EimzaEsignedApplication *application = self->application;
  EimzaEsignedApplicationState before = self->shown_state;
  const GError *error = eimza_esigned_application_get_error (application);
  gboolean can_retry = eimza_esigned_application_get_can_retry (application);

  self->shown_state = eimza_esigned_application_get_state (application);
  switch (self->shown_state)
    {
    case EIMZA_ESIGNED_APPLICATION_STATE_SIGN:
      eimza_request_status_end (self->request_status);
      if (before == EIMZA_ESIGNED_APPLICATION_STATE_BEGINNING)
        show_document (self, eimza_esigned_application_get_document (application));
      else
        /* A refused signature, as the flow words it: the person may sign
         * again. */
        eimza_sign_step_show_error (self->sign_step, error);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_EXPIRED:
      /* The step's Start Again. */
      eimza_request_status_end (self->request_status);
      eimza_sign_step_show_error (self->sign_step, error);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_BEGIN_FAILED:
      eimza_request_status_fail (self->request_status, error, can_retry);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_UNAVAILABLE:
      show_unavailable (self, error);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_UPLOAD_FAILED:
      /* Send it again (Try Again) or sign again. */
      eimza_sign_step_show_error (self->sign_step, NULL);
      eimza_request_status_fail (self->request_status, error, can_retry);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN:
      /* Try Again asks. After an upload the session could not resolve the
       * step opens again too; after a check or a Cancel it stays shut. */
      if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN))
        eimza_sign_step_show_error (self->sign_step, NULL);
      eimza_request_status_fail (self->request_status, error, can_retry);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_APPLIED:
      eimza_request_status_end (self->request_status);
      eimza_sign_step_stop (self->sign_step);
      g_signal_emit (self, signals[APPLIED], 0,
                     eimza_esigned_application_get_number (application));
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_SESSION_ENDED:
      eimza_request_status_end (self->request_status);
      eimza_sign_step_stop (self->sign_step);
      g_signal_emit (self, signals[SESSION_ENDED], 0, error);
      break;

    case EIMZA_ESIGNED_APPLICATION_STATE_NONE:
    case EIMZA_ESIGNED_APPLICATION_STATE_BEGINNING:
    case EIMZA_ESIGNED_APPLICATION_STATE_SIGNING:
    case EIMZA_ESIGNED_APPLICATION_STATE_UPLOADING:
    case EIMZA_ESIGNED_APPLICATION_STATE_CHECKING:
    default:
      break;
    }
}

/* Every step ends here. Cancelled: the page may be gone, and whoever
 * cancelled has shown what that left. */
static void
step_done (gpointer      user_data,
           const GError *error)
{
  EimzaEsignPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_ESIGN_PAGE (user_data);
  self->in_flight = FALSE;
  show_state (self);
}

static void
begin_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  eimza_esigned_application_begin_finish (EIMZA_ESIGNED_APPLICATION (source), result, &error);
  step_done (user_data, error);
}

static void
begin (EimzaEsignPage *self)
{
  GCancellable *cancellable;

  eimza_sign_step_stop (self->sign_step);
  cancellable = begin_request (self, _("Getting your application from Kamu SM…"));
  eimza_esigned_application_begin_async (self->application, cancellable, begin_cb, self);
  self->shown_state = eimza_esigned_application_get_state (self->application);
}

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  eimza_esigned_application_upload_finish (EIMZA_ESIGNED_APPLICATION (source), result, &error);
  step_done (user_data, error);
}

/* @cms: (nullable): a new signature, or the kept one again. */
static void
upload (EimzaEsignPage   *self,
        GBytes           *cms,
        EimzaCertificate *certificate)
{
  GCancellable *cancellable;

  eimza_sign_step_set_sensitive_busy (self->sign_step, TRUE);
  cancellable = begin_request (self, _("Sending your signed application…"));
  eimza_esigned_application_upload_async (self->application, cms, certificate, cancellable,
                                          upload_cb, self);
  self->shown_state = eimza_esigned_application_get_state (self->application);
}

static void
check_application_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  eimza_esigned_application_check_finish (EIMZA_ESIGNED_APPLICATION (source), result, &error);
  step_done (user_data, error);
}

static void
check_application (EimzaEsignPage *self)
{
  GCancellable *cancellable;

  eimza_sign_step_set_sensitive_busy (self->sign_step, TRUE);
  cancellable = begin_request (self,
                               _("Checking whether Kamu SM received your application…"));
  eimza_esigned_application_check_async (self->application, cancellable, check_application_cb,
                                         self);
  self->shown_state = eimza_esigned_application_get_state (self->application);
}

/* ------------------------------------------------------------------ */
/* Signal handlers */

static void
signed_cb (EimzaEsignPage   *self,
           GBytes           *cms,
           EimzaCertificate *certificate)
{
  upload (self, cms, certificate);
}

static void
restart_requested_cb (EimzaEsignPage *self)
{
  begin (self);
}

static void
retry_cb (EimzaEsignPage *self)
{
  switch (eimza_esigned_application_get_state (self->application))
    {
    case EIMZA_ESIGNED_APPLICATION_STATE_UPLOAD_FAILED:
      upload (self, NULL, NULL);
      break;
    case EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN:
      check_application (self);
      break;
    default:
      begin (self);
      break;
    }
}

/* The person pressed Cancel: the flow says what that leaves (a signature
 * on its way may still arrive, so whether it did is the next question). */
static void
busy_changed_cb (EimzaEsignPage *self,
                 gboolean        busy)
{
  if (busy || !self->in_flight)
    return;

  self->in_flight = FALSE;
  eimza_esigned_application_stop (self->application);
  show_state (self);
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

  self->in_flight = FALSE;
  if (self->application != NULL)
    eimza_esigned_application_reset (self->application);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (eimza_esign_page_parent_class)->dispose (object);
}

static void
eimza_esign_page_class_init (EimzaEsignPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_esign_page_dispose;

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
  self->application = eimza_esigned_application_new ();

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

  /* Quietly: a step of an earlier start ends without a word. */
  self->in_flight = FALSE;
  eimza_esigned_application_set_applicant (self->application, session, service, tckn);
  self->shown_state = EIMZA_ESIGNED_APPLICATION_STATE_NONE;

  gtk_stack_set_visible_child_name (self->content_stack, "loading");
  begin (self);
}

void
eimza_esign_page_leave (EimzaEsignPage *self)
{
  g_return_if_fail (EIMZA_IS_ESIGN_PAGE (self));

  /* Quietly: no busy-changed reaction, no callback. */
  self->in_flight = FALSE;
  eimza_esigned_application_reset (self->application);
  self->shown_state = EIMZA_ESIGNED_APPLICATION_STATE_NONE;
  eimza_request_status_end (self->request_status);
  eimza_sign_step_stop (self->sign_step);
}
