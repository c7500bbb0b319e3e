/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Giving (and cancelling) the e-onay on Kamu SM's NES site: one guided page over EimzaEonayFlow. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-control-label.h"
#include "eimza-eonay-flow.h"
#include "eimza-eonay-setup-page-private.h"
#include "eimza-expiry-recorder.h"
#include "eimza-page-focus.h"
#include "eimza-pin-interaction.h"
#include "eimza-portal-profile.h"
#include "eimza-request-status.h"
#include "eimza-sign-step.h"
#include "eimza-validation.h"
#include "eimza-wiped-buffer.h"

G_DEFINE_FINAL_TYPE (EimzaEonaySetupPage, eimza_eonay_setup_page, GTK_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Helpers */

static void
show_step (EimzaEonaySetupPage *self,
           const char          *name)
{
  const char *label = NULL;
  gboolean eonay = self->flow != NULL &&
                   eimza_eonay_flow_get_purpose (self->flow) == EIMZA_EONAY_PURPOSE_EONAY;

  if (g_strcmp0 (name, "identity") == 0)
    label = _("Step 1 of 4: Log in with your e-signature");
  else if (g_strcmp0 (name, "sign") == 0 && eonay)
    label = _("Step 4 of 4: Sign the commitment");
  else if (g_strcmp0 (name, "sign") == 0)
    label = _("Step 2 of 4: Sign the login code");
  else if (g_strcmp0 (name, "consent") == 0)
    label = _("Step 3 of 4: Read the commitment");

  gtk_label_set_text (self->step_label, label != NULL ? label : "");
  gtk_widget_set_visible (GTK_WIDGET (self->step_label), label != NULL);

  if (g_strcmp0 (name, "sign") != 0)
    eimza_sign_step_stop (self->sign_step);

  gtk_stack_set_visible_child_name (self->steps, name);
  /* The step that went away had the focus (a button now hidden): a
   * keyboard user goes on from the new step's first control. */
  eimza_page_focus_first_control (gtk_stack_get_visible_child (self->steps));

  /* Enter presses the step's main button. */
  if (gtk_widget_is_toplevel (gtk_widget_get_toplevel (GTK_WIDGET (self))))
    {
      if (g_strcmp0 (name, "identity") == 0)
        gtk_widget_grab_default (self->login_button);
      else if (g_strcmp0 (name, "consent") == 0)
        gtk_widget_grab_default (self->continue_button);
      else if (g_strcmp0 (name, "result") == 0)
        gtk_widget_grab_default (self->done_button);
    }
}

static gboolean
is_busy (EimzaEonaySetupPage *self)
{
  return eimza_request_status_is_busy (self->request_status);
}

/* Whether the flow is at @state and free for the person's next action. */
static gboolean
flow_at (EimzaEonaySetupPage *self,
         EimzaEonayFlowState  state)
{
  return self->flow != NULL && !is_busy (self) && eimza_eonay_flow_get_state (self->flow) == state;
}

void
eimza_eonay_setup_page_update_buttons (EimzaEonaySetupPage *self)
{
  gboolean busy = is_busy (self);
  const char *tckn = gtk_entry_get_text (self->tckn_entry);

  gtk_widget_set_sensitive (self->login_button,
                            !busy && eimza_eonay_setup_page_selected_certificate (self) != NULL &&
                            *tckn != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_certificate_combo), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tckn_entry), !busy);
  gtk_widget_set_sensitive (self->continue_button,
                            !busy && gtk_toggle_button_get_active (self->consent_check));
  gtk_widget_set_sensitive (GTK_WIDGET (self->consent_check), !busy);
  gtk_widget_set_sensitive (self->cancel_eonay_button, !busy);
  gtk_widget_set_sensitive (self->again_button, !busy);

  /* An upload that ended (also by Cancel, whose callback must not touch
   * the page) gives the signing step back to the person. */
  if (!busy && g_strcmp0 (gtk_stack_get_visible_child_name (self->steps), "sign") == 0)
    eimza_sign_step_set_sensitive_busy (self->sign_step, FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
}

void
eimza_eonay_setup_page_set_tckn_error (EimzaEonaySetupPage *self,
                                       const char          *text)
{
  gtk_label_set_text (self->tckn_error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->tckn_error_label), text != NULL && *text != '\0');
}

/* The cancellable of an action of the flow: the status line shows each
 * of its requests and its Cancel cancels it. */
static GCancellable *
begin_action (EimzaEonaySetupPage *self)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

/* Stops the action under way; its callback sees it cancelled. */
static void
stop_request (EimzaEonaySetupPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  eimza_request_status_end (self->request_status);
}

/* One interaction per key: the PIN it keeps belongs to that card. */
static EimzaPinInteraction *
interaction_for (EimzaEonaySetupPage *self,
                 EimzaCertificate    *certificate)
{
  const char *key_uri = eimza_certificate_get_key_uri (certificate);
  GtkWidget *toplevel;

  if (self->interaction == NULL || g_strcmp0 (self->interaction_key_uri, key_uri) != 0)
    {
      if (self->interaction != NULL)
        eimza_pin_interaction_forget (self->interaction);
      g_clear_object (&self->interaction);
      self->interaction = eimza_pin_interaction_new (
        self->service, key_uri,
        _("Kamu SM’s NES site reads your e-signature certificate to log you in. Nothing is "
          "signed with this PIN."));
      /* This PIN logs in; it signs nothing. */
      eimza_pin_interaction_set_accept_label (self->interaction, _("_Log In"));
      g_free (self->interaction_key_uri);
      self->interaction_key_uri = g_strdup (key_uri);
    }
  toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  eimza_pin_interaction_set_parent (self->interaction,
                                    GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL);

  return self->interaction;
}

/* ------------------------------------------------------------------ */
/* (b) What the flow did: the page follows it */

static void
show_sign (EimzaEonaySetupPage *self)
{
  const EimzaEonaySignData *data = eimza_eonay_flow_get_sign_data (self->flow);
  EimzaCertificate *certificate = eimza_eonay_setup_page_selected_certificate (self);
  const char *heading;

  if (eimza_eonay_flow_get_purpose (self->flow) == EIMZA_EONAY_PURPOSE_EONAY)
    heading = _("Sign the e-onay commitment below with your e-signature. This gives your "
                "e-onay.");
  else
    heading = _("Sign the site’s one-time login text below with your e-signature. This "
                "proves that the card is yours; it gives no approval.");

  self->signature_taken = FALSE;
  show_step (self, "sign");
  eimza_sign_step_start (self->sign_step, heading, data->data, data->deadline,
                         eimza_eonay_flow_get_tckn (self->flow),
                         certificate != NULL ? eimza_certificate_get_uri (certificate) : NULL);
}

static void
show_consent (EimzaEonaySetupPage    *self,
              const EimzaEonayStatus *status)
{
  g_autofree char *limit = NULL;
  g_autofree char *continue_label = eimza_control_label_for_text (_("_Continue"));
  g_autofree char *instruction = NULL;

  /* The site's own explanation tells how to use its web page (its button,
   * its signer application); what the person does here is said in the
   * application's words, with the button's own label. The site's text
   * stays in the page report. */
  /* TRANSLATORS: %s is the label of the Continue button (“_Continue”) */
  instruction = g_strdup_printf (_("Read the commitment below, tick the box under it and press "
                                   "“%s”: the application then shows what your card will sign, "
                                   "and once you sign it your e-onay is active."),
                                 continue_label);
  gtk_label_set_text (self->explanation_label, instruction);
  gtk_widget_set_visible (GTK_WIDGET (self->explanation_label), TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->commitment_view),
                            status->commitment != NULL ? status->commitment : "", -1);

  if (status->time_limit > 0)
    limit = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "After you continue, you have %d second to sign the "
                                          "commitment with your card.",
                                          "After you continue, you have %d seconds to sign the "
                                          "commitment with your card.",
                                          status->time_limit),
                             status->time_limit);
  gtk_label_set_text (self->time_limit_label, limit != NULL ? limit : "");
  gtk_widget_set_visible (GTK_WIDGET (self->time_limit_label), limit != NULL);

  /* A new text needs a new tick. */
  if (g_strcmp0 (self->commitment, status->commitment) != 0)
    gtk_toggle_button_set_active (self->consent_check, FALSE);

  show_step (self, "consent");
  eimza_eonay_setup_page_update_buttons (self);
}

static void
show_result (EimzaEonaySetupPage *self)
{
  EimzaEonayFlowResult result = eimza_eonay_flow_get_result (self->flow);
  EimzaNesClient *session = eimza_eonay_flow_get_session (self->flow);
  gboolean active = result == EIMZA_EONAY_FLOW_RESULT_ACTIVE;
  g_autofree char *text = NULL;
  g_autofree char *apply_label = eimza_control_label_for_text (_("Apply with my e-onay"));
  g_autofree char *cancel_label = eimza_control_label_for_text (_("C_ancel E-onay…"));
  const char *site = session != NULL ? eimza_nes_client_get_base_url (session) : "";

  show_step (self, "result");
  gtk_widget_set_visible (self->cancel_eonay_button, active);
  gtk_widget_set_visible (self->again_button, !active);

  if (active)
    {
      gtk_image_set_from_icon_name (self->result_icon, "emblem-ok-symbolic", GTK_ICON_SIZE_DIALOG);
      gtk_label_set_text (self->result_title, _("Your e-onay is active"));
      /* TRANSLATORS: the first %s is the signing method page's button
       * (“Apply with my e-onay”), the second the button of this page
       * (“C_ancel E-onay…”), the third the NES site's address */
      text = g_strdup_printf (_("Kamu SM now accepts applications approved with your "
                                "e-onay: choose “%s” when you renew. The e-onay stays "
                                "until you cancel it. To cancel it later, open E-onay in this "
                                "application again and press “%s”, or log in to %s "
                                "with your e-signature, open “E-ONAY İŞLEMLERİ” and choose "
                                "“İptal”."), apply_label, cancel_label, site);
    }
  else if (result == EIMZA_EONAY_FLOW_RESULT_CANCELLED)
    {
      gtk_image_set_from_icon_name (self->result_icon, "dialog-information-symbolic",
                                    GTK_ICON_SIZE_DIALOG);
      gtk_label_set_text (self->result_title, _("Your e-onay is cancelled"));
      text = g_strdup (_("Kamu SM no longer accepts applications approved with your e-onay. "
                         "You can give your e-onay again at any time."));
    }
  else
    {
      gtk_image_set_from_icon_name (self->result_icon, "dialog-information-symbolic",
                                    GTK_ICON_SIZE_DIALOG);
      gtk_label_set_text (self->result_title, _("Your e-onay is not active"));
      text = g_strdup (_("The site does not show an active e-onay. You can give it again."));
    }

  gtk_label_set_text (self->result_text, text);
  gtk_widget_grab_focus (self->done_button);
  eimza_eonay_setup_page_update_buttons (self);
}

/* What the status line says while the flow is in @state. */
static const char *
busy_text (EimzaEonayFlowState state)
{
  switch (state)
    {
    case EIMZA_EONAY_FLOW_STATE_LOGGING_IN:
      return _("Logging in to Kamu SM’s NES site…");
    case EIMZA_EONAY_FLOW_STATE_FETCHING:
      return _("Getting what to sign…");
    case EIMZA_EONAY_FLOW_STATE_UPLOADING:
      return _("Sending the signature…");
    case EIMZA_EONAY_FLOW_STATE_OPENING:
      return _("Opening E-ONAY İŞLEMLERİ…");
    case EIMZA_EONAY_FLOW_STATE_CONSENTING:
      return _("Sending your consent…");
    case EIMZA_EONAY_FLOW_STATE_CHECKING:
      return _("Checking the e-onay’s state…");
    case EIMZA_EONAY_FLOW_STATE_CANCELLING:
      return _("Cancelling the e-onay…");
    case EIMZA_EONAY_FLOW_STATE_IDENTITY:
    case EIMZA_EONAY_FLOW_STATE_SIGN:
    case EIMZA_EONAY_FLOW_STATE_SIGNING:
    case EIMZA_EONAY_FLOW_STATE_CONSENT:
    case EIMZA_EONAY_FLOW_STATE_RESULT:
    default:
      return NULL;
    }
}

/* Each request of an action shows in the status line, Cancel stopping
 * the whole action. */
static void
flow_state_changed_cb (EimzaEonaySetupPage *self)
{
  EimzaEonayFlowState state = eimza_eonay_flow_get_state (self->flow);
  const char *text = busy_text (state);

  if (text == NULL || self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  if (state == EIMZA_EONAY_FLOW_STATE_UPLOADING)
    eimza_sign_step_set_sensitive_busy (self->sign_step, TRUE);
  eimza_request_status_begin_for (self->request_status, text, self->cancellable);
}

/* The site has the signature: the signing step is over. */
static void
signature_accepted_cb (EimzaEonaySetupPage *self)
{
  self->signature_taken = TRUE;
  eimza_sign_step_stop (self->sign_step);
}

static void
show_failure (EimzaEonaySetupPage *self,
              const GError        *error)
{
  EimzaEonayFlowState state = eimza_eonay_flow_get_state (self->flow);
  gboolean can_retry = eimza_eonay_flow_get_can_retry (self->flow);

  if (state == EIMZA_EONAY_FLOW_STATE_IDENTITY)
    {
      /* Whatever failed, the person is on the first step: the number,
       * the certificate or the PIN is what to look at. */
      show_step (self, "identity");
      if (error->domain == EIMZA_VALIDATION_ERROR ||
          g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH))
        {
          eimza_eonay_setup_page_set_tckn_error (self, error->message);
          eimza_request_status_end (self->request_status);
          gtk_widget_grab_focus (GTK_WIDGET (self->tckn_entry));
          return;
        }
    }
  else if (state == EIMZA_EONAY_FLOW_STATE_SIGN && !can_retry)
    {
      /* Refused (another person's certificate, not trusted, expired
       * code): the step shows why and the person signs again, or starts
       * over. */
      eimza_request_status_end (self->request_status);
      eimza_sign_step_show_error (self->sign_step, error);
      return;
    }
  else if (state == EIMZA_EONAY_FLOW_STATE_SIGN && !self->signature_taken)
    {
      /* Try Again sends the same signature; a new one can also be made. */
      eimza_sign_step_show_error (self->sign_step, NULL);
    }

  eimza_request_status_fail (self->request_status, error, can_retry);
}

/* An action of the flow ended (not cancelled): show where it is now. */
static void
action_done (EimzaEonaySetupPage *self,
             const GError        *error)
{
  if (error != NULL)
    {
      show_failure (self, error);
      return;
    }

  eimza_request_status_end (self->request_status);
  switch (eimza_eonay_flow_get_state (self->flow))
    {
    case EIMZA_EONAY_FLOW_STATE_SIGN:
      show_sign (self);
      break;
    case EIMZA_EONAY_FLOW_STATE_CONSENT:
      show_consent (self, eimza_eonay_flow_get_status (self->flow));
      break;
    case EIMZA_EONAY_FLOW_STATE_RESULT:
      /* What the site said is kept for the welcome page's advice once a
       * certificate has expired (not the demo's e-onay). */
      if (!eimza_app_config_get_demo (self->config) &&
          eimza_eonay_flow_get_result (self->flow) != EIMZA_EONAY_FLOW_RESULT_NONE)
        eimza_expiry_recorder_record_eonay (eimza_eonay_flow_get_result (self->flow) ==
                                            EIMZA_EONAY_FLOW_RESULT_ACTIVE);
      show_result (self);
      break;
    default:
      break;
    }
}

typedef gboolean (*ActionFinishFunc) (EimzaEonayFlow *flow,
                                      GAsyncResult   *result,
                                      GError        **error);

/* Every action of the flow ends here; a cancelled one must not touch the
 * page. */
static void
action_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  static const struct {
    gpointer tag;
    ActionFinishFunc finish;
  } actions[] = {
    { eimza_eonay_flow_log_in_async, eimza_eonay_flow_log_in_finish },
    { eimza_eonay_flow_upload_async, eimza_eonay_flow_upload_finish },
    { eimza_eonay_flow_restart_async, eimza_eonay_flow_restart_finish },
    { eimza_eonay_flow_consent_async, eimza_eonay_flow_consent_finish },
    { eimza_eonay_flow_cancel_eonay_async, eimza_eonay_flow_cancel_eonay_finish },
    { eimza_eonay_flow_give_again_async, eimza_eonay_flow_give_again_finish },
    { eimza_eonay_flow_retry_async, eimza_eonay_flow_retry_finish },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      if (!g_async_result_is_tagged (result, actions[i].tag))
        continue;
      if (actions[i].finish (EIMZA_EONAY_FLOW (source), result, &error) ||
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        action_done (EIMZA_EONAY_SETUP_PAGE (user_data), error);
      return;
    }
  g_assert_not_reached ();
}

/* ------------------------------------------------------------------ */
/* (d) What the person does */

static void
login_clicked_cb (EimzaEonaySetupPage *self)
{
  EimzaCertificate *certificate = eimza_eonay_setup_page_selected_certificate (self);
  g_autoptr(GError) error = NULL;
  char *tckn;

  if (certificate == NULL || is_busy (self))
    return;

  /* The number is checked before anything is sent. */
  tckn = eimza_eonay_flow_check_tckn (certificate, gtk_entry_get_text (self->tckn_entry), &error);
  if (tckn == NULL)
    {
      eimza_eonay_setup_page_set_tckn_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->tckn_entry));
      return;
    }
  eimza_wiped_string_free (tckn);
  eimza_eonay_setup_page_set_tckn_error (self, NULL);

  if (self->flow == NULL)
    {
      eimza_request_status_fail (self->request_status, self->profile_error, FALSE);
      return;
    }

  eimza_eonay_flow_log_in_async (self->flow, certificate, gtk_entry_get_text (self->tckn_entry),
                                 EIMZA_CARD_TLS_INTERACTION (interaction_for (self, certificate)),
                                 begin_action (self), action_cb, self);
}

static void
signed_cb (EimzaEonaySetupPage *self,
           GBytes              *cms,
           EimzaCertificate    *certificate)
{
  if (flow_at (self, EIMZA_EONAY_FLOW_STATE_SIGN))
    eimza_eonay_flow_upload_async (self->flow, cms, begin_action (self), action_cb, self);
}

/* The deadline passed: a new code, as the site says ("İşlemi yeniden
 * başlatınız"). */
static void
restart_requested_cb (EimzaEonaySetupPage *self)
{
  if (flow_at (self, EIMZA_EONAY_FLOW_STATE_SIGN))
    eimza_eonay_flow_restart_async (self->flow, begin_action (self), action_cb, self);
}

static void
continue_clicked_cb (EimzaEonaySetupPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->commitment_view);
  GtkTextIter start, end;

  if (!gtk_toggle_button_get_active (self->consent_check) ||
      !flow_at (self, EIMZA_EONAY_FLOW_STATE_CONSENT))
    return;

  /* The commitment the person agreed to: the tick stays for it. */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_free (self->commitment);
  self->commitment = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  eimza_eonay_flow_consent_async (self->flow, begin_action (self), action_cb, self);
}

static void
confirm_cancel_response_cb (GtkDialog           *dialog,
                            int                  response,
                            EimzaEonaySetupPage *self)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));

  if (response == GTK_RESPONSE_ACCEPT && flow_at (self, EIMZA_EONAY_FLOW_STATE_RESULT))
    eimza_eonay_flow_cancel_eonay_async (self->flow, begin_action (self), action_cb, self);
}

static void
cancel_eonay_clicked_cb (EimzaEonaySetupPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *button;

  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Cancel your e-onay?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("Kamu SM will no longer accept e-signed "
                                              "certificate applications from you until you give "
                                              "your e-onay again, with two more signatures."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Keep E-onay"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("C_ancel E-onay"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
done_clicked_cb (EimzaEonaySetupPage *self)
{
  g_signal_emit (self, signals[DONE], 0);
}

static void
again_clicked_cb (EimzaEonaySetupPage *self)
{
  if (flow_at (self, EIMZA_EONAY_FLOW_STATE_RESULT))
    eimza_eonay_flow_give_again_async (self->flow, begin_action (self), action_cb, self);
}

static void
retry_cb (EimzaEonaySetupPage *self)
{
  if (self->flow != NULL && !is_busy (self) && eimza_eonay_flow_get_can_retry (self->flow))
    eimza_eonay_flow_retry_async (self->flow, begin_action (self), action_cb, self);
}

/* ------------------------------------------------------------------ */

static void
eimza_eonay_setup_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EimzaEonaySetupPage *self = EIMZA_EONAY_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
disconnect_service (EimzaEonaySetupPage *self)
{
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
}

/* Stops the flow's action, and the site's session with it. */
static void
drop_flow (EimzaEonaySetupPage *self)
{
  if (self->flow == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->flow, self);
  eimza_eonay_flow_reset (self->flow);
  g_clear_object (&self->flow);
}

static void
eimza_eonay_setup_page_dispose (GObject *object)
{
  EimzaEonaySetupPage *self = EIMZA_EONAY_SETUP_PAGE (object);

  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  drop_flow (self);
  if (self->interaction != NULL)
    eimza_pin_interaction_forget (self->interaction);
  g_clear_object (&self->interaction);
  disconnect_service (self);
  g_clear_object (&self->config);
  g_clear_pointer (&self->certificates, g_ptr_array_unref);

  G_OBJECT_CLASS (eimza_eonay_setup_page_parent_class)->dispose (object);
}

static void
eimza_eonay_setup_page_finalize (GObject *object)
{
  EimzaEonaySetupPage *self = EIMZA_EONAY_SETUP_PAGE (object);

  g_clear_error (&self->profile_error);
  g_free (self->interaction_key_uri);
  g_free (self->chosen_uri);
  g_free (self->prefilled_tckn);
  g_free (self->commitment);

  G_OBJECT_CLASS (eimza_eonay_setup_page_parent_class)->finalize (object);
}

static void
eimza_eonay_setup_page_class_init (EimzaEonaySetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = eimza_eonay_setup_page_get_property;
  object_class->dispose = eimza_eonay_setup_page_dispose;
  object_class->finalize = eimza_eonay_setup_page_finalize;

  /* Followed by the page flow, which offers Back only between requests. */
  props[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * EimzaEonaySetupPage::done:
   *
   * The person is finished with the page.
   */
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (EIMZA_TYPE_REQUEST_STATUS);
  g_type_ensure (EIMZA_TYPE_SIGN_STEP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-eonay-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, step_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, steps);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, card_notice_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, card_notice_title);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, card_notice_text);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, login_certificate_combo);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, tckn_entry);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, tckn_error_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, login_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, sign_step);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, commitment_view);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, time_limit_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, consent_check);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, result_title);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, result_text);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, cancel_eonay_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, again_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaEonaySetupPage, request_status);
  gtk_widget_class_bind_template_callback_full (widget_class, "update_buttons",
                                                G_CALLBACK (eimza_eonay_setup_page_update_buttons));
  gtk_widget_class_bind_template_callback_full (
    widget_class, "certificate_changed_cb", G_CALLBACK (eimza_eonay_setup_page_certificate_changed_cb));
  gtk_widget_class_bind_template_callback_full (
    widget_class, "tckn_changed_cb", G_CALLBACK (eimza_eonay_setup_page_tckn_changed_cb));
  gtk_widget_class_bind_template_callback (widget_class, login_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, signed_cb);
  gtk_widget_class_bind_template_callback (widget_class, restart_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_eonay_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, again_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, done_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
}

static void
eimza_eonay_setup_page_init (EimzaEonaySetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
follow_card_service (EimzaEonaySetupPage *self,
                     EimzaCardService    *service)
{
  if (service == self->service)
    return;

  disconnect_service (self);
  if (service != NULL)
    {
      self->service = g_object_ref (service);
      g_signal_connect_object (service, "notify::state",
                               G_CALLBACK (eimza_eonay_setup_page_service_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "card-inserted",
                               G_CALLBACK (eimza_eonay_setup_page_service_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "card-removed",
                               G_CALLBACK (eimza_eonay_setup_page_service_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  eimza_sign_step_set_card_service (self->sign_step, service);
  eimza_eonay_setup_page_service_changed_cb (self);
}

/* A new flow for each start, with the NES site @config names now. */
static void
make_flow (EimzaEonaySetupPage *self)
{
  g_autofree char *profile_name = eimza_app_config_dup_portal_profile (self->config);
  g_autofree char *url = eimza_app_config_dup_eonay_url (self->config);
  g_autofree char *ca_file = eimza_app_config_dup_portal_ca_file (self->config);
  g_autoptr(EimzaPortalProfile) profile = NULL;

  drop_flow (self);
  g_clear_error (&self->profile_error);
  profile = eimza_portal_profile_new (profile_name, &self->profile_error);
  if (profile == NULL)
    return;

  self->flow = eimza_eonay_flow_new (profile, self->service, url, ca_file);
  g_signal_connect_object (self->flow, "notify::state",
                           G_CALLBACK (flow_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flow, "signature-accepted",
                           G_CALLBACK (signature_accepted_cb), self, G_CONNECT_SWAPPED);
}

void
eimza_eonay_setup_page_start (EimzaEonaySetupPage *self,
                              EimzaCardService    *service,
                              EimzaAppConfig      *config)
{
  g_return_if_fail (EIMZA_IS_EONAY_SETUP_PAGE (self));
  g_return_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service));
  g_return_if_fail (EIMZA_IS_APP_CONFIG (config));

  g_set_object (&self->config, config);
  follow_card_service (self, service);

  /* A request left running is stopped; the typed number and the chosen
   * certificate stay. */
  stop_request (self);
  make_flow (self);
  self->signature_taken = FALSE;
  gtk_toggle_button_set_active (self->consent_check, FALSE);

  show_step (self, "identity");
  eimza_eonay_setup_page_reload_certificates (self);
  eimza_eonay_setup_page_update_buttons (self);
}

gboolean
eimza_eonay_setup_page_is_busy (EimzaEonaySetupPage *self)
{
  g_return_val_if_fail (EIMZA_IS_EONAY_SETUP_PAGE (self), FALSE);

  return is_busy (self);
}

void
eimza_eonay_setup_page_leave (EimzaEonaySetupPage *self)
{
  g_return_if_fail (EIMZA_IS_EONAY_SETUP_PAGE (self));

  stop_request (self);
  eimza_sign_step_stop (self->sign_step);
  /* The PIN given for the site's session is not kept beyond it. */
  if (self->interaction != NULL)
    eimza_pin_interaction_forget (self->interaction);
  if (self->flow != NULL)
    eimza_eonay_flow_reset (self->flow);
}
