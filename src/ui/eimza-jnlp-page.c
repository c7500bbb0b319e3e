/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The page for a .jnlp opened with the assistant: Kamu SM's signer done natively, or why not. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-certificate.h"
#include "eimza-eonay-session.h"
#include "eimza-jnlp-page.h"
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

  /* The file shown, and what it turned out to be. */
  GFile *file;
  EimzaJnlp *jnlp;
  EimzaPortalProfile *profile;

  /* The signer's conversation: made when the code is first sent. */
  EimzaEonaySession *session;
  EimzaPinInteraction *interaction;
  char *tls_cert_uri;             /* the card certificate offered to the site */
  EimzaEonaySignData *sign_data;
  GBytes *cms;                    /* the signature being uploaded */

  /* Reading the file, listing the card's certificates, or the request
   * of the status line that runs now; cancelled when another file comes. */
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

/* A cancellable for the next request, cancelled with the page's file. */
static GCancellable *
take_cancellable (EimzaJnlpPage *self,
                  GCancellable  *cancellable)
{
  g_set_object (&self->cancellable, cancellable);
  return cancellable;
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
  if (self->interaction != NULL)
    eimza_pin_interaction_forget (self->interaction);
}

/* Forgets the signer's conversation: a new code starts a new one. */
static void
drop_session (EimzaJnlpPage *self)
{
  if (self->interaction != NULL)
    eimza_pin_interaction_forget (self->interaction);
  g_clear_object (&self->interaction);
  g_clear_object (&self->session);
  g_clear_pointer (&self->tls_cert_uri, g_free);
  g_clear_pointer (&self->sign_data, eimza_eonay_sign_data_free);
  g_clear_pointer (&self->cms, g_bytes_unref);
}

static void
reset (EimzaJnlpPage *self)
{
  cancel_everything (self);
  drop_session (self);
  g_clear_object (&self->jnlp);
  g_clear_object (&self->profile);
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
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  EimzaJnlp *jnlp;
  gsize length = 0;
  char *buffer;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A pipe or a device could be read forever. */
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_NOT_JNLP,
                               _("This is not an ordinary file."));
      return;
    }

  stream = g_file_read (file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* One byte more than the parser takes is enough to know it is too
   * large; the rest is never read. */
  buffer = g_malloc (EIMZA_JNLP_MAX_SIZE + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, EIMZA_JNLP_MAX_SIZE + 1,
                                &length, cancellable, &error))
    {
      g_free (buffer);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  bytes = g_bytes_new_take (buffer, length);

  jnlp = eimza_jnlp_new_from_bytes (bytes, &error);
  if (jnlp == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, jnlp, g_object_unref);
}

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
  gtk_widget_grab_focus (self->done_button);
}

static void
update_code_hint (EimzaJnlpPage *self);

static void
show_code_step (EimzaJnlpPage *self)
{
  g_autofree char *origin = eimza_jnlp_describe (self->jnlp, EIMZA_JNLP_KIND_SIGNER);

  gtk_label_set_text (self->origin_label, origin);
  gtk_entry_set_text (self->code_entry, "");
  eimza_request_status_end (self->code_status);
  update_code_hint (self);
  show_step (self, "code");
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  EimzaJnlpPage *self;
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_name = NULL;

  jnlp = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_JNLP_PAGE (user_data);
  g_clear_object (&self->cancellable);
  if (jnlp == NULL)
    {
      show_problem (self, error);
      return;
    }

  profile_name = eimza_app_config_dup_portal_profile (self->config);
  self->profile = eimza_portal_profile_new (profile_name, &error);
  if (self->profile == NULL ||
      eimza_jnlp_recognise (jnlp, self->profile, &error) != EIMZA_JNLP_KIND_SIGNER)
    {
      show_problem (self, error);
      return;
    }

  self->jnlp = g_steal_pointer (&jnlp);
  show_code_step (self);
}

static void
start_reading (EimzaJnlpPage *self,
               GFile         *file)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GTask) task = NULL;

  reset (self);
  self->file = g_object_ref (file);
  show_step (self, "loading");

  task = g_task_new (NULL, take_cancellable (self, cancellable), read_cb, self);
  g_task_set_source_tag (task, start_reading);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_thread);
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

/* Turns the signer's answers into what the person can do about them; the
 * code stays in the entry. */
static GError *
plain_error (const GError *error)
{
  if (error->domain != EIMZA_PORTAL_ERROR)
    return g_error_copy (error);

  switch (error->code)
    {
    case EIMZA_PORTAL_ERROR_CODE_INVALID:
      return g_error_new_literal (EIMZA_PORTAL_ERROR, error->code,
                                  _("The web site does not know this code, or it has been used "
                                    "already. Check the code on the web page; if the page shows "
                                    "a new one, type that."));
    case EIMZA_PORTAL_ERROR_CODE_EXPIRED:
      return g_error_new_literal (EIMZA_PORTAL_ERROR, error->code,
                                  _("The time to sign with this code has run out. Start the "
                                    "signing again on the web page and type its new code."));
    case EIMZA_PORTAL_ERROR_WRONG_SIGNER:
      return g_error_new_literal (EIMZA_PORTAL_ERROR, error->code,
                                  _("The web site refused the signature: the certificate belongs "
                                    "to someone other than the person signed in on the site. Sign "
                                    "with your own card."));
    case EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED:
      /* Translators: %s is the web site's own explanation, in Turkish. */
      return g_error_new (EIMZA_PORTAL_ERROR, error->code,
                          _("The web site refused the signature: %s"), error->message);
    case EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED:
      return g_error_new_literal (EIMZA_PORTAL_ERROR, error->code,
                                  _("The web site wants your e-signature card to connect, and did "
                                    "not accept it. Insert your card and try again."));
    default:
      return g_error_copy (error);
    }
}

static void show_sign_step (EimzaJnlpPage *self);

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  EimzaJnlpPage *self;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) plain = NULL;

  data = eimza_eonay_session_fetch_sign_data_finish (EIMZA_EONAY_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_JNLP_PAGE (user_data);
  g_clear_object (&self->cancellable);
  if (data == NULL)
    {
      plain = plain_error (error);
      eimza_request_status_fail (self->code_status, plain, eimza_portal_error_can_retry (error));
      update_code_hint (self);
      return;
    }

  eimza_request_status_end (self->code_status);
  g_clear_pointer (&self->sign_data, eimza_eonay_sign_data_free);
  self->sign_data = g_steal_pointer (&data);
  show_sign_step (self);
}

static void
fetch (EimzaJnlpPage *self)
{
  g_autofree char *code = typed_code (self);
  GCancellable *cancellable;

  cancellable = eimza_request_status_begin (self->code_status, _("Getting what to sign…"));
  eimza_eonay_session_fetch_sign_data_async (self->session, code,
                                             take_cancellable (self, cancellable),
                                             fetch_cb, self);
}

static gboolean
create_session (EimzaJnlpPage     *self,
                EimzaCertificate  *certificate,
                GError           **error)
{
  g_autofree char *url = eimza_app_config_dup_eonay_url (self->config);
  g_autofree char *ca_file = eimza_app_config_dup_portal_ca_file (self->config);
  g_autoptr(EimzaPinInteraction) interaction = NULL;
  g_autoptr(EimzaEonaySession) session = NULL;
  g_autofree char *cert_url = NULL;
  g_autofree char *key_url = NULL;
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  EimzaCardService *service = self->service;

  /* This session only talks to the signer's endpoints at the codebase; the
   * NES site's own address matters only when it is set, and a profile
   * (the simulator's) may leave it to run time. */
  if (url == NULL)
    {
      g_autoptr(GUri) codebase = g_uri_parse (eimza_jnlp_get_codebase (self->jnlp), G_URI_FLAGS_NONE, NULL);

      if (codebase != NULL)
        url = g_uri_join (G_URI_FLAGS_NONE, "https", NULL, g_uri_get_host (codebase),
                          g_uri_get_port (codebase), "/", NULL, NULL);
    }

  /* The signer needs no login, but a site may still ask for the card's
   * certificate when the connection is made (the simulator's does); the
   * certificate the person will most likely sign with is offered then, and
   * only then is the PIN asked. */
  if (certificate != NULL && service != NULL)
    {
      interaction = eimza_pin_interaction_new (service, eimza_certificate_get_key_uri (certificate),
                                               _("Connect to the web site with your "
                                                 "e-signature card"));
      eimza_pin_interaction_set_accept_label (interaction, _("_Log In"));
      if (GTK_IS_WINDOW (toplevel))
        eimza_pin_interaction_set_parent (interaction, GTK_WINDOW (toplevel));
    }

  /* GnuTLS gets URLs that lead to the card worker, never the card's
   * PKCS#11 URLs: no other thread may enter the card's module. */
  if (interaction != NULL &&
      !eimza_card_tls_interaction_route (EIMZA_CARD_TLS_INTERACTION (interaction), certificate,
                                         &cert_url, &key_url, error))
    return FALSE;

  session = eimza_eonay_session_new (self->profile, url, ca_file, cert_url, key_url,
                                     G_TLS_INTERACTION (interaction), error);
  if (session == NULL ||
      !eimza_eonay_session_set_signer_base_url (session, eimza_jnlp_get_codebase (self->jnlp), error))
    return FALSE;

  self->session = g_steal_pointer (&session);
  self->interaction = g_steal_pointer (&interaction);
  /* The sign step preselects it too. */
  g_free (self->tls_cert_uri);
  self->tls_cert_uri = certificate != NULL ? g_strdup (eimza_certificate_get_uri (certificate)) : NULL;

  return TRUE;
}

/* The card's best signing certificate: a qualified one that signs
 * (non-repudiation) and has not expired. */
static EimzaCertificate *
best_certificate (GPtrArray *certificates)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  EimzaCertificate *best = NULL;
  int best_score = -1;

  for (guint i = 0; certificates != NULL && i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);
      int score;

      if (!eimza_certificate_is_signing (certificate) || eimza_certificate_is_expired (certificate, now))
        continue;
      score = (eimza_certificate_is_qualified (certificate) ? 2 : 0) +
              (eimza_certificate_has_nes_policy (certificate) ? 1 : 0);
      if (score > best_score)
        {
          best = certificate;
          best_score = score;
        }
    }

  return best;
}

static void
certificates_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EimzaJnlpPage *self;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = eimza_pkcs11_list_certificates_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_JNLP_PAGE (user_data);
  g_clear_object (&self->cancellable);

  /* Without a card the site may still not need one. */
  g_clear_error (&error);
  if (!create_session (self, best_certificate (certificates), &error))
    {
      eimza_request_status_fail (self->code_status, error, FALSE);
      update_code_hint (self);
      return;
    }

  fetch (self);
}

static void
continue_clicked_cb (EimzaJnlpPage *self)
{
  g_autofree char *code = typed_code (self);
  EimzaCardService *service = self->service;
  GCancellable *cancellable;

  if (code == NULL || eimza_request_status_is_busy (self->code_status) || self->jnlp == NULL)
    return;

  if (self->session != NULL)
    {
      fetch (self);
      return;
    }

  cancellable = eimza_request_status_begin (self->code_status, _("Getting what to sign…"));
  if (service == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!create_session (self, NULL, &error))
        {
          eimza_request_status_fail (self->code_status, error, FALSE);
          return;
        }
      fetch (self);
      return;
    }

  eimza_pkcs11_list_certificates_async (service, NULL,
                                        take_cancellable (self, cancellable),
                                        certificates_cb, self);
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
  EimzaEonaySignData *data = self->sign_data;
  const char *heading;

  if (data->purpose == EIMZA_EONAY_PURPOSE_EONAY)
    heading = _("Sign your e-onay commitment for the web site");
  else
    heading = _("Sign in to the web site with your e-signature");

  eimza_request_status_end (self->upload_status);
  show_step (self, "sign");
  eimza_sign_step_start (self->sign_step, heading, data->data, data->deadline, NULL,
                         self->tls_cert_uri);
}

static void
back_to_code (EimzaJnlpPage *self,
              const GError  *error,
              gboolean       clear_code)
{
  eimza_sign_step_stop (self->sign_step);
  eimza_request_status_end (self->upload_status);
  g_clear_pointer (&self->sign_data, eimza_eonay_sign_data_free);
  g_clear_pointer (&self->cms, g_bytes_unref);
  if (clear_code)
    gtk_entry_set_text (self->code_entry, "");
  show_step (self, "code");
  if (error != NULL)
    eimza_request_status_fail (self->code_status, error, FALSE);
  update_code_hint (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void upload (EimzaJnlpPage *self);

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  EimzaJnlpPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) plain = NULL;

  if (eimza_eonay_session_upload_signature_finish (EIMZA_EONAY_SESSION (source), result, &error))
    {
      self = EIMZA_JNLP_PAGE (user_data);
      g_clear_object (&self->cancellable);
      eimza_request_status_end (self->upload_status);
      eimza_sign_step_stop (self->sign_step);
      drop_session (self);
      gtk_entry_set_text (self->code_entry, "");
      show_step (self, "done");
      gtk_widget_grab_focus (self->done_button);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_JNLP_PAGE (user_data);
  g_clear_object (&self->cancellable);

  plain = plain_error (error);
  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID) ||
      g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED))
    {
      back_to_code (self, plain, FALSE);
      return;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED) ||
      g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER))
    {
      /* Another certificate, or another try, may do: the code is not used
       * up by a refused signature. */
      eimza_request_status_end (self->upload_status);
      g_clear_pointer (&self->cms, g_bytes_unref);
      eimza_sign_step_show_error (self->sign_step, plain);
      return;
    }

  /* A lost answer was resolved by the session: the signature did not
   * arrive (Try Again sends it again, which is safe) or nobody knows yet
   * (UPLOAD_UNKNOWN: Try Again asks again the same way). */
  eimza_request_status_fail (self->upload_status, plain, eimza_portal_error_can_retry (error));
}

static void
upload (EimzaJnlpPage *self)
{
  GCancellable *cancellable;

  if (self->cms == NULL || self->sign_data == NULL || self->session == NULL)
    return;

  cancellable = eimza_request_status_begin (self->upload_status, _("Sending the signature…"));
  eimza_eonay_session_upload_signature_async (self->session, self->sign_data->code, self->cms,
                                              take_cancellable (self, cancellable),
                                              upload_cb, self);
}

static void
upload_retry_cb (EimzaJnlpPage *self)
{
  upload (self);
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
  g_clear_pointer (&self->cms, g_bytes_unref);
  self->cms = g_bytes_ref (cms);
  upload (self);
}

/* The deadline passed: the web page has to give a new code. */
static void
restart_requested_cb (EimzaJnlpPage *self)
{
  g_autoptr(GError) error =
    g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED,
                         _("The time to sign has run out. Start the signing again on the web "
                           "page and type its new code."));

  back_to_code (self, error, TRUE);
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
  drop_session (self);
  g_clear_object (&self->jnlp);
  g_clear_object (&self->profile);
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
