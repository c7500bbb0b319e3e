/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The page for a .jnlp opened with the assistant: Kamu SM's signer done natively, or why not. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-certificate.h"
#include "eimza-nes-client.h"
#include "eimza-jnlp-page.h"
#include "eimza-jnlp-signing.h"
#include "eimza-jnlp.h"
#include "eimza-pin-interaction.h"
#include "eimza-pkcs11.h"
#include "eimza-request-status.h"
#include "eimza-sign-step.h"
#include "eimza-site-code.h"

struct _EimzaJnlpPage
{
  GtkBin parent_instance;

  /* Given when the first file is opened. */
  EimzaCardService *service;
  EimzaAppConfig *config;

  /* The file shown, and the flow that signs it (made for each file). */
  GFile *file;
  EimzaJnlpSigning *signing;

  /* Reading the file; cancelled when another file comes. The requests
   * use the cancellables of their status lines. */
  GCancellable *cancellable;

  /* Another file opened while this one was in progress, and the question. */
  GFile *pending_file;
  GtkWidget *ask_dialog;

  EimzaSignStep *sign_step;

  /* template */
  GtkStack *steps;
  GtkSpinner *loading_spinner;
  GtkLabel *problem_title;
  GtkLabel *problem_file_label;
  GtkLabel *problem_reason;
  GtkLabel *problem_advice;
  GtkLabel *origin_label;
  GtkEntry *code_entry;
  GtkLabel *code_hint;
  EimzaRequestStatus *code_status;
  GtkWidget *continue_button;
  GtkBox *sign_box;
  EimzaRequestStatus *upload_status;
  GtkWidget *done_button;
  GtkWidget *problem_button;
};

G_DEFINE_FINAL_TYPE (EimzaJnlpPage, eimza_jnlp_page, GTK_TYPE_BIN)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_step (EimzaJnlpPage *self,
           const char    *name)
{
  gtk_stack_set_visible_child_name (self->steps, name);
  if (g_strcmp0 (name, "loading") == 0)
    gtk_spinner_start (self->loading_spinner);
  else
    gtk_spinner_stop (self->loading_spinner);
}

static void
cancel_everything (EimzaJnlpPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  eimza_request_status_end (self->code_status);
  eimza_request_status_end (self->upload_status);
  if (self->sign_step != NULL)
    eimza_sign_step_stop (self->sign_step);
  if (self->signing != NULL)
    eimza_jnlp_signing_reset (self->signing);
}

static void
reset (EimzaJnlpPage *self)
{
  cancel_everything (self);
  g_clear_object (&self->signing);
  g_clear_object (&self->file);
  gtk_entry_set_text (self->code_entry, "");
}

static void
done_clicked_cb (EimzaJnlpPage *self)
{
  reset (self);
  /* Nothing is in progress any more; the next file starts from here. */
  gtk_stack_set_visible_child_name (self->steps, "loading");
  g_signal_emit (self, signals[DONE], 0);
}

/* -- reading the file ----------------------------------------------------- */

static void
show_problem (EimzaJnlpPage *self,
              const GError  *error)
{
  g_autofree char *name = NULL;
  g_autofree char *file_text = NULL;
  const char *title;
  const char *advice;

  if (self->file != NULL)
    {
      g_autofree char *parse_name = g_file_get_parse_name (self->file);

      name = g_path_get_basename (parse_name);
      /* Translators: %s is a file name. */
      file_text = g_strdup_printf (_("File: %s"), name);
    }
  gtk_label_set_text (self->problem_file_label, file_text != NULL ? file_text : "");

  if (error->domain == EIMZA_JNLP_ERROR && error->code == EIMZA_JNLP_ERROR_UNKNOWN_APP)
    {
      title = _("This is not a Kamu SM signing file");
      advice = _("A .jnlp file starts a Java application for a web site. The assistant only takes "
                 "the place of Kamu SM’s signing application and never runs other Java "
                 "applications. If a Kamu SM page gave you this file, start the signing again "
                 "on that page and open the new file.");
    }
  else if (error->domain == EIMZA_JNLP_ERROR)
    {
      title = _("This file cannot be used");
      advice = _("A .jnlp file starts a Java application for a web site. For your safety the "
                 "assistant does not use this one; nothing was run or downloaded. Start the "
                 "signing again on Kamu SM’s web page and open the new file.");
    }
  else
    {
      title = _("The file could not be read");
      advice = _("Check that the file is still there, or download it again from the web page.");
    }

  gtk_label_set_text (self->problem_title, title);
  gtk_label_set_text (self->problem_reason, error->message);
  gtk_label_set_text (self->problem_advice, advice);
  show_step (self, "problem");
  /* The focus on this step's own button: on one of a hidden step, Tab
   * would go nowhere. */
  gtk_widget_grab_focus (self->problem_button);
}

static void
update_code_hint (EimzaJnlpPage *self);

static void
show_code_step (EimzaJnlpPage *self)
{
  g_autofree char *origin = eimza_jnlp_describe (eimza_jnlp_signing_get_jnlp (self->signing),
                                                 EIMZA_JNLP_KIND_SIGNER);

  gtk_label_set_text (self->origin_label, origin);
  gtk_entry_set_text (self->code_entry, "");
  eimza_request_status_end (self->code_status);
  update_code_hint (self);
  show_step (self, "code");
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  EimzaJnlpPage *self;
  g_autoptr(GError) error = NULL;

  if (!eimza_jnlp_signing_load_finish (EIMZA_JNLP_SIGNING (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self = EIMZA_JNLP_PAGE (user_data);
      g_clear_object (&self->cancellable);
      show_problem (self, error);
      return;
    }

  self = EIMZA_JNLP_PAGE (user_data);
  g_clear_object (&self->cancellable);
  show_code_step (self);
}

static EimzaCardTlsInteraction *
create_tls_interaction_cb (EimzaJnlpPage    *self,
                           EimzaCertificate *certificate)
{
  EimzaPinInteraction *interaction;
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  if (self->service == NULL)
    return NULL;

  interaction = eimza_pin_interaction_new (self->service, eimza_certificate_get_key_uri (certificate),
                                           _("Connect to the web site with your "
                                             "e-signature card"));
  eimza_pin_interaction_set_accept_label (interaction, _("_Log In"));
  if (GTK_IS_WINDOW (toplevel))
    eimza_pin_interaction_set_parent (interaction, GTK_WINDOW (toplevel));

  return EIMZA_CARD_TLS_INTERACTION (interaction);
}

static void
start_reading (EimzaJnlpPage *self,
               GFile         *file)
{
  g_autofree char *profile_name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ca_file = NULL;
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  reset (self);
  self->file = g_object_ref (file);

  profile_name = eimza_app_config_dup_portal_profile (self->config);
  profile = eimza_portal_profile_new (profile_name, &error);
  if (profile == NULL)
    {
      show_problem (self, error);
      return;
    }

  url = eimza_app_config_dup_eonay_url (self->config);
  ca_file = eimza_app_config_dup_portal_ca_file (self->config);
  self->signing = eimza_jnlp_signing_new (profile, self->service, url, ca_file);
  g_signal_connect_object (self->signing, "create-tls-interaction",
                           G_CALLBACK (create_tls_interaction_cb), self, G_CONNECT_SWAPPED);

  show_step (self, "loading");
  self->cancellable = g_cancellable_new ();
  eimza_jnlp_signing_load_async (self->signing, file, self->cancellable, load_cb, self);
}

/* -- a second file -------------------------------------------------------- */

gboolean
eimza_jnlp_page_is_in_progress (EimzaJnlpPage *self)
{
  const char *step;

  g_return_val_if_fail (EIMZA_IS_JNLP_PAGE (self), FALSE);

  step = gtk_stack_get_visible_child_name (self->steps);

  return g_strcmp0 (step, "sign") == 0 ||
         (g_strcmp0 (step, "code") == 0 &&
          (*gtk_entry_get_text (self->code_entry) != '\0' ||
           eimza_request_status_is_busy (self->code_status)));
}

static void
ask_response_cb (EimzaJnlpPage *self,
                 int            response)
{
  g_autoptr(GFile) file = g_steal_pointer (&self->pending_file);

  g_clear_pointer (&self->ask_dialog, gtk_widget_destroy);

  if (response == GTK_RESPONSE_ACCEPT && file != NULL)
    start_reading (self, file);
}

void
eimza_jnlp_page_open (EimzaJnlpPage    *self,
                      EimzaCardService *service,
                      EimzaAppConfig   *config,
                      GFile            *file)
{
  GtkWidget *toplevel;

  g_return_if_fail (EIMZA_IS_JNLP_PAGE (self));
  g_return_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (EIMZA_IS_APP_CONFIG (config));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->config, config);
  if (self->service != service)
    {
      g_set_object (&self->service, service);
      eimza_sign_step_set_card_service (self->sign_step, service);
    }

  if (!eimza_jnlp_page_is_in_progress (self))
    {
      start_reading (self, file);
      return;
    }

  /* The same file again (a second double-click): nothing to ask. */
  if (self->file != NULL && g_file_equal (self->file, file))
    return;

  /* The latest file is the one asked about. */
  g_set_object (&self->pending_file, file);
  if (self->ask_dialog != NULL)
    return;

  toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  self->ask_dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                             GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                             GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                             _("Stop the signing in progress?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (self->ask_dialog),
                                            _("You opened another signing file. The signing "
                                              "you started is not finished; if you open the new "
                                              "file, it is abandoned."));
  gtk_dialog_add_buttons (GTK_DIALOG (self->ask_dialog),
                          _("_Keep Signing"), GTK_RESPONSE_CANCEL,
                          _("_Open New File"), GTK_RESPONSE_ACCEPT,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (self->ask_dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_object (self->ask_dialog, "response",
                           G_CALLBACK (ask_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->ask_dialog));
}

/* -- the verification code ------------------------------------------------ */

/* The code as the site writes it, or NULL when what is typed is not one. */
static char *
typed_code (EimzaJnlpPage *self)
{
  char *code = NULL;

  eimza_site_code_check (gtk_entry_get_text (self->code_entry), &code);
  return code;
}

/* The hint and Continue follow the one verdict on the code, so the page
 * never calls a code bad while it lets it through, or the other way. */
static void
update_code_hint (EimzaJnlpPage *self)
{
  EimzaSiteCodeVerdict verdict = eimza_site_code_check (gtk_entry_get_text (self->code_entry),
                                                        NULL);

  switch (verdict)
    {
    case EIMZA_SITE_CODE_BAD_CHARACTER:
      gtk_label_set_text (self->code_hint,
                          _("A code has only letters and digits, like K7QM-4XTP."));
      break;
    case EIMZA_SITE_CODE_TOO_LONG:
      gtk_label_set_text (self->code_hint, _("That is longer than a code: a code has 8 letters "
                                             "and digits, like K7QM-4XTP."));
      break;
    case EIMZA_SITE_CODE_EMPTY:
    case EIMZA_SITE_CODE_INCOMPLETE:
    case EIMZA_SITE_CODE_VALID:
    default:
      gtk_label_set_text (self->code_hint, _("The web page shows it next to the link to the "
                                             "signing application, for example K7QM-4XTP."));
      break;
    }

  gtk_widget_set_sensitive (self->continue_button,
                            verdict == EIMZA_SITE_CODE_VALID &&
                            !eimza_request_status_is_busy (self->code_status));
}

static void
update_continue (EimzaJnlpPage *self)
{
  update_code_hint (self);
}

static void
code_changed_cb (EimzaJnlpPage *self)
{
  update_code_hint (self);
}

static void show_sign_step (EimzaJnlpPage *self);

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  EimzaJnlpPage *self;
  EimzaJnlpSigning *signing = EIMZA_JNLP_SIGNING (source);
  g_autoptr(GError) error = NULL;

  if (!eimza_jnlp_signing_fetch_finish (signing, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self = EIMZA_JNLP_PAGE (user_data);
      eimza_request_status_fail (self->code_status, error,
                                 eimza_jnlp_signing_get_can_retry (signing));
      update_code_hint (self);
      return;
    }

  self = EIMZA_JNLP_PAGE (user_data);
  eimza_request_status_end (self->code_status);
  show_sign_step (self);
}

static void
continue_clicked_cb (EimzaJnlpPage *self)
{
  g_autofree char *code = typed_code (self);
  GCancellable *cancellable;

  if (code == NULL || eimza_request_status_is_busy (self->code_status) || self->signing == NULL ||
      eimza_jnlp_signing_get_state (self->signing) != EIMZA_JNLP_SIGNING_STATE_CODE)
    return;

  cancellable = eimza_request_status_begin (self->code_status, _("Getting what to sign…"));
  eimza_jnlp_signing_fetch_async (self->signing, code, cancellable, fetch_cb, self);
}

static void
fetch_retry_cb (EimzaJnlpPage *self)
{
  continue_clicked_cb (self);
}

/* -- signing and uploading ------------------------------------------------ */

static void
show_sign_step (EimzaJnlpPage *self)
{
  const EimzaEonaySignData *data = eimza_jnlp_signing_get_sign_data (self->signing);
  const char *heading;

  if (data->purpose == EIMZA_EONAY_PURPOSE_EONAY)
    heading = _("Sign your e-onay commitment for the web site");
  else
    heading = _("Sign in to the web site with your e-signature");

  eimza_request_status_end (self->upload_status);
  show_step (self, "sign");
  eimza_sign_step_start (self->sign_step, heading, data->data, data->deadline, NULL,
                         eimza_jnlp_signing_get_tls_certificate_uri (self->signing));
}

static void
back_to_code (EimzaJnlpPage *self,
              const GError  *error,
              gboolean       clear_code)
{
  eimza_sign_step_stop (self->sign_step);
  eimza_request_status_end (self->upload_status);
  if (clear_code)
    gtk_entry_set_text (self->code_entry, "");
  show_step (self, "code");
  if (error != NULL)
    eimza_request_status_fail (self->code_status, error, FALSE);
  update_code_hint (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  EimzaJnlpPage *self;
  EimzaJnlpSigning *signing = EIMZA_JNLP_SIGNING (source);
  g_autoptr(GError) error = NULL;

  if (eimza_jnlp_signing_upload_finish (signing, result, &error))
    {
      self = EIMZA_JNLP_PAGE (user_data);
      eimza_request_status_end (self->upload_status);
      eimza_sign_step_stop (self->sign_step);
      gtk_entry_set_text (self->code_entry, "");
      show_step (self, "done");
      gtk_widget_grab_focus (self->done_button);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_JNLP_PAGE (user_data);
  switch (eimza_jnlp_signing_get_state (signing))
    {
    case EIMZA_JNLP_SIGNING_STATE_CODE:
      back_to_code (self, error, FALSE);
      break;
    case EIMZA_JNLP_SIGNING_STATE_SIGN:
      eimza_request_status_end (self->upload_status);
      eimza_sign_step_show_error (self->sign_step, error);
      break;
    default:
      eimza_request_status_fail (self->upload_status, error,
                                 eimza_jnlp_signing_get_can_retry (signing));
      break;
    }
}

static void
upload (EimzaJnlpPage *self,
        GBytes        *cms)
{
  GCancellable *cancellable;

  cancellable = eimza_request_status_begin (self->upload_status, _("Sending the signature…"));
  eimza_jnlp_signing_upload_async (self->signing, cms, cancellable, upload_cb, self);
}

static void
upload_retry_cb (EimzaJnlpPage *self)
{
  if (self->signing != NULL &&
      eimza_jnlp_signing_get_state (self->signing) == EIMZA_JNLP_SIGNING_STATE_UPLOAD_FAILED)
    upload (self, NULL);
}

/* The sign step is busy exactly while its signature is on its way. */
static void
upload_busy_changed_cb (EimzaJnlpPage *self,
                        gboolean       busy)
{
  eimza_sign_step_set_sensitive_busy (self->sign_step, busy);
}

static void
signed_cb (EimzaJnlpPage    *self,
           GBytes           *cms,
           EimzaCertificate *certificate)
{
  if (self->signing != NULL &&
      eimza_jnlp_signing_get_state (self->signing) == EIMZA_JNLP_SIGNING_STATE_SIGN)
    upload (self, cms);
}

/* The deadline passed: the web page has to give a new code. */
static void
restart_requested_cb (EimzaJnlpPage *self)
{
  if (self->signing == NULL)
    return;
  eimza_jnlp_signing_expire (self->signing);
  back_to_code (self, eimza_jnlp_signing_get_error (self->signing), TRUE);
}

/* -- life cycle ----------------------------------------------------------- */

static void
eimza_jnlp_page_dispose (GObject *object)
{
  EimzaJnlpPage *self = EIMZA_JNLP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->ask_dialog, gtk_widget_destroy);
  g_clear_object (&self->pending_file);
  if (self->signing != NULL)
    eimza_jnlp_signing_reset (self->signing);
  g_clear_object (&self->signing);
  g_clear_object (&self->file);
  g_clear_object (&self->service);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (eimza_jnlp_page_parent_class)->dispose (object);
}

static void
eimza_jnlp_page_class_init (EimzaJnlpPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_jnlp_page_dispose;

  /**
   * EimzaJnlpPage::done:
   *
   * The person is finished with the page (signed, or read why the file
   * is not used).
   */
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (EIMZA_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-jnlp-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, steps);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, problem_title);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, problem_file_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, problem_reason);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, problem_advice);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, origin_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, code_hint);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, code_status);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, sign_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, upload_status);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, problem_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaJnlpPage, done_button);
  gtk_widget_class_bind_template_callback (widget_class, done_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fetch_retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_continue);
  gtk_widget_class_bind_template_callback (widget_class, upload_retry_cb);
}

static void
eimza_jnlp_page_init (EimzaJnlpPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sign_step = EIMZA_SIGN_STEP (eimza_sign_step_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->sign_step), TRUE);
  gtk_widget_show (GTK_WIDGET (self->sign_step));
  gtk_box_pack_start (self->sign_box, GTK_WIDGET (self->sign_step), TRUE, TRUE, 0);
  g_signal_connect_object (self->sign_step, "signed",
                           G_CALLBACK (signed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_step, "restart-requested",
                           G_CALLBACK (restart_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->upload_status, "busy-changed",
                           G_CALLBACK (upload_busy_changed_cb), self, G_CONNECT_SWAPPED);
}
