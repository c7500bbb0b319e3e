/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Giving (and cancelling) the e-onay on Kamu SM's NES site, as one guided page. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-certificates.h"
#include "eimza-certificate-choice.h"
#include "eimza-eonay-session.h"
#include "eimza-eonay-setup-page.h"
#include "eimza-pin-interaction.h"
#include "eimza-portal-profile.h"
#include "eimza-request-status.h"
#include "eimza-sign-step.h"
#include "eimza-validation.h"

/* What "Try Again" repeats. */
typedef enum {
  REQ_NONE,
  REQ_LOGIN,
  REQ_FETCH,
  REQ_UPLOAD,
  REQ_OPEN,
  REQ_CONSENT,
  REQ_STATUS,
  REQ_CANCEL,
  REQ_RESTART,   /* the code expired: start the step over for a new one */
} Request;

struct _EimzaEonaySetupPage
{
  GtkBin parent_instance;

  EimzaAppConfig *config;
  EimzaCardService *service;
  EimzaEonaySession *session;
  EimzaPinInteraction *interaction;
  char *interaction_key_uri;

  /* (a) */
  GPtrArray *certificates;          /* in the combo box's order */
  GCancellable *list_cancellable;
  guint reload_idle_id;
  char *chosen_uri;                 /* kept across reloads */
  char *prefilled_tckn;             /* what the entry was filled with */
  char *tckn;                       /* the number logged in with */

  /* (b), (c) */
  GCancellable *cancellable;        /* of the request under way */
  Request last_request;
  EimzaEonayPurpose purpose;        /* of the code being signed */
  char *code;
  GBytes *cms;                      /* the signature being uploaded */
  GError *upload_error;             /* kept while the state is checked */
  char *commitment;                 /* the commitment the person agreed to */
  gboolean reconsent;               /* the e-onay step is started again */
  gboolean cancelled_now;           /* the result follows a cancellation */

  /* template */
  GtkLabel *step_label;
  GtkStack *steps;
  GtkWidget *card_notice_box;
  GtkLabel *card_notice_title;
  GtkLabel *card_notice_text;
  GtkComboBoxText *login_certificate_combo;
  GtkEntry *tckn_entry;
  GtkLabel *tckn_error_label;
  GtkWidget *login_button;
  EimzaSignStep *sign_step;
  GtkLabel *explanation_label;
  GtkTextView *commitment_view;
  GtkLabel *time_limit_label;
  GtkToggleButton *consent_check;
  GtkWidget *continue_button;
  GtkImage *result_icon;
  GtkLabel *result_title;
  GtkLabel *result_text;
  GtkWidget *cancel_eonay_button;
  GtkWidget *again_button;
  GtkWidget *done_button;
  EimzaRequestStatus *request_status;
};

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

static void log_in      (EimzaEonaySetupPage *self);
static void fetch       (EimzaEonaySetupPage *self);
static void upload      (EimzaEonaySetupPage *self);
static void open_eonay  (EimzaEonaySetupPage *self);
static void consent     (EimzaEonaySetupPage *self);
static void get_status  (EimzaEonaySetupPage *self);
static void cancel_eonay (EimzaEonaySetupPage *self);

/* ------------------------------------------------------------------ */
/* Helpers */

static void
show_step (EimzaEonaySetupPage *self,
           const char          *name)
{
  const char *label = NULL;

  if (g_strcmp0 (name, "identity") == 0)
    label = _("Step 1 of 4: Log in with your e-signature");
  else if (g_strcmp0 (name, "sign") == 0 && self->purpose == EIMZA_EONAY_PURPOSE_EONAY)
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

static EimzaCertificate *
selected_certificate (EimzaEonaySetupPage *self)
{
  int active = gtk_combo_box_get_active (GTK_COMBO_BOX (self->login_certificate_combo));

  if (self->certificates == NULL || active < 0 || (guint) active >= self->certificates->len)
    return NULL;

  return g_ptr_array_index (self->certificates, active);
}

static gboolean
is_busy (EimzaEonaySetupPage *self)
{
  return eimza_request_status_is_busy (self->request_status);
}

static void
update_buttons (EimzaEonaySetupPage *self)
{
  gboolean busy = is_busy (self);
  const char *tckn = gtk_entry_get_text (self->tckn_entry);

  gtk_widget_set_sensitive (self->login_button,
                            !busy && selected_certificate (self) != NULL && *tckn != '\0');
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

static void
set_tckn_error (EimzaEonaySetupPage *self,
                const char          *text)
{
  gtk_label_set_text (self->tckn_error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->tckn_error_label), text != NULL && *text != '\0');
}

static GCancellable *
begin (EimzaEonaySetupPage *self,
       Request              request,
       const char          *text)
{
  GCancellable *cancellable = eimza_request_status_begin (self->request_status, text);

  self->last_request = request;
  g_set_object (&self->cancellable, cancellable);

  return cancellable;
}

/* Stops the request under way; its callback sees it cancelled. */
static void
stop_request (EimzaEonaySetupPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  eimza_request_status_end (self->request_status);
}

/* Failures every step shares; %FALSE when the caller has to handle it. */
static gboolean
handle_common_error (EimzaEonaySetupPage *self,
                     const GError        *error)
{
  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      /* Back to the first step with everything kept: the person logs in
       * again (the site asks for the card and the number again). */
      g_clear_object (&self->session);
      show_step (self, "identity");
      eimza_request_status_fail (self->request_status, error, FALSE);
      return TRUE;
    }

  if (eimza_portal_error_can_retry (error))
    {
      eimza_request_status_fail (self->request_status, error, TRUE);
      return TRUE;
    }

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* (a) The certificate and the T.C. Kimlik No */

static void
show_card_notice (EimzaEonaySetupPage *self,
                  const char          *title,
                  const char          *text)
{
  gtk_label_set_text (self->card_notice_title, title != NULL ? title : "");
  gtk_label_set_text (self->card_notice_text, text != NULL ? text : "");
  gtk_widget_set_visible (self->card_notice_box, title != NULL);
}

static void
prefill_tckn (EimzaEonaySetupPage *self)
{
  EimzaCertificate *certificate = selected_certificate (self);
  const char *typed = gtk_entry_get_text (self->tckn_entry);
  const char *tckn;

  if (certificate == NULL)
    return;

  tckn = eimza_certificate_get_tckn (certificate);
  /* What the person typed is theirs; only an empty entry or the number
   * filled in from another certificate is replaced. */
  if (tckn != NULL && (*typed == '\0' || g_strcmp0 (typed, self->prefilled_tckn) == 0))
    {
      gtk_entry_set_text (self->tckn_entry, tckn);
      g_free (self->prefilled_tckn);
      self->prefilled_tckn = g_strdup (tckn);
    }
}

static void
certificate_changed_cb (EimzaEonaySetupPage *self)
{
  EimzaCertificate *certificate = selected_certificate (self);

  if (certificate != NULL)
    {
      g_free (self->chosen_uri);
      self->chosen_uri = g_strdup (eimza_certificate_get_uri (certificate));
      prefill_tckn (self);
    }

  set_tckn_error (self, NULL);
  update_buttons (self);
}

static void
tckn_changed_cb (EimzaEonaySetupPage *self)
{
  set_tckn_error (self, NULL);
  update_buttons (self);
}

static char *
describe_certificate (EimzaCertificate *certificate)
{
  g_autofree char *until = eimza_card_certificates_format_date (
    eimza_certificate_get_not_after (certificate));
  g_autofree char *key = eimza_card_certificates_describe_key (certificate);
  const char *holder = eimza_certificate_get_subject_cn (certificate);

  if (eimza_certificate_is_expired (certificate, NULL))
    /* TRANSLATORS: holder's name, key ("RSA 2048"), the date the certificate expired */
    return g_strdup_printf (_("%s — %s, expired on %s"), holder != NULL ? holder : "?", key,
                            until);

  if (eimza_certificate_is_signing (certificate) && eimza_certificate_is_qualified (certificate))
    /* TRANSLATORS: holder's name, key ("RSA 2048"), the last day of validity */
    return g_strdup_printf (_("%s — qualified e-signature (%s), valid until %s"),
                            holder != NULL ? holder : "?", key, until);

  /* TRANSLATORS: holder's name, key ("RSA 2048"), the last day of validity */
  return g_strdup_printf (_("%s — %s, valid until %s"), holder != NULL ? holder : "?", key, until);
}

static void
fill_certificates (EimzaEonaySetupPage *self,
                   GPtrArray           *all)
{
  int active;

  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  self->certificates = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < all->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (all, i);

      /* The site reads the T.C. Kimlik No from the certificate. */
      if (eimza_certificate_get_key_uri (certificate) == NULL ||
          eimza_certificate_get_tckn (certificate) == NULL)
        continue;
      g_ptr_array_add (self->certificates, g_object_ref (certificate));
    }
  eimza_certificate_choice_sort (self->certificates);

  /* Filling the combo box must not forget the person's choice. */
  g_signal_handlers_block_by_func (self->login_certificate_combo, certificate_changed_cb, self);
  active = eimza_certificate_choice_fill (self->login_certificate_combo, self->certificates,
                                          describe_certificate, self->chosen_uri);
  g_signal_handlers_unblock_by_func (self->login_certificate_combo, certificate_changed_cb, self);

  if (self->certificates->len == 0)
    show_card_notice (self, _("No e-signature certificate on the card"),
                      _("The card was read, but it holds no certificate with a T.C. Kimlik No "
                        "to log in with. Insert your e-signature card; if it is in, "
                        "Diagnostics, in the card menu, tells more."));
  else
    show_card_notice (self, NULL, NULL);

  gtk_combo_box_set_active (GTK_COMBO_BOX (self->login_certificate_combo), active);
  update_buttons (self);
}

static void
list_certificates_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EimzaEonaySetupPage *self;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = eimza_card_certificates_list_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_EONAY_SETUP_PAGE (user_data);
  g_clear_object (&self->list_cancellable);

  if (certificates == NULL)
    {
      show_card_notice (self, _("The certificates could not be read"), error->message);
      return;
    }

  fill_certificates (self, certificates);
}

static void
clear_certificates (EimzaEonaySetupPage *self)
{
  g_signal_handlers_block_by_func (self->login_certificate_combo, certificate_changed_cb, self);
  gtk_combo_box_text_remove_all (self->login_certificate_combo);
  g_signal_handlers_unblock_by_func (self->login_certificate_combo, certificate_changed_cb, self);
  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  update_buttons (self);
}

static void
reload_certificates (EimzaEonaySetupPage *self)
{
  g_autoptr(GError) error = NULL;
  EimzaCardService *service = self->service;

  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);

  if (service == NULL)
    {
      clear_certificates (self);
      show_card_notice (self, _("The card service is not available"),
                        _("Restart the application."));
      return;
    }

  if (!eimza_card_service_check_ready (service, &error))
    {
      clear_certificates (self);
      if (g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD))
        show_card_notice (self, _("No card in the reader"),
                          _("Insert your e-signature card, chip first. Its certificates show "
                            "here as soon as it is read."));
      else if (g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_READER))
        show_card_notice (self, _("No card reader found"),
                          _("Plug in your card reader. If it is plugged in, its driver may be "
                            "missing: install the package libccid."));
      else if (eimza_card_service_get_state (service) == EIMZA_CARD_SERVICE_STATE_STARTING)
        show_card_notice (self, _("Looking for the card reader"),
                          _("The card service is starting."));
      else
        show_card_notice (self, _("The smart card service is not running"),
                          _("Install and start the pcscd package (sudo apt install pcscd); "
                            "this page goes on as soon as it runs and a card is in the reader."));
      return;
    }

  self->list_cancellable = g_cancellable_new ();
  eimza_card_certificates_list_async (service, self->list_cancellable, list_certificates_cb, self);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  EimzaEonaySetupPage *self = user_data;

  self->reload_idle_id = 0;
  reload_certificates (self);

  return G_SOURCE_REMOVE;
}

static void
service_changed_cb (EimzaEonaySetupPage *self)
{
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

/* Checks the number before anything is sent: a valid T.C. Kimlik No, and
 * the one in the chosen certificate (the site refuses any other). */
static gboolean
check_tckn (EimzaEonaySetupPage *self)
{
  EimzaCertificate *certificate = selected_certificate (self);
  g_autofree char *tckn = g_strstrip (g_strdup (gtk_entry_get_text (self->tckn_entry)));
  g_autoptr(GError) error = NULL;

  if (!eimza_tckn_validate (tckn, &error))
    {
      set_tckn_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->tckn_entry));
      return FALSE;
    }

  if (certificate != NULL && g_strcmp0 (eimza_certificate_get_tckn (certificate), tckn) != 0)
    {
      const char *holder = eimza_certificate_get_subject_cn (certificate);
      g_autofree char *text = NULL;

      /* TRANSLATORS: %s is the certificate holder's name */
      text = g_strdup_printf (_("This is not the T.C. Kimlik No in the certificate of %s. The "
                                "site accepts only the number of the certificate you log in "
                                "with."), holder != NULL ? holder : "?");
      set_tckn_error (self, text);
      gtk_widget_grab_focus (GTK_WIDGET (self->tckn_entry));
      return FALSE;
    }

  set_tckn_error (self, NULL);
  g_free (self->tckn);
  self->tckn = g_steal_pointer (&tckn);

  return TRUE;
}

static EimzaEonaySession *
create_session (EimzaEonaySetupPage  *self,
                EimzaCertificate     *certificate,
                GError              **error)
{
  g_autofree char *profile_name = eimza_app_config_dup_portal_profile (self->config);
  g_autofree char *url = eimza_app_config_dup_eonay_url (self->config);
  g_autofree char *ca_file = eimza_app_config_dup_portal_ca_file (self->config);
  g_autoptr(EimzaPortalProfile) profile = NULL;
  const char *key_uri = eimza_certificate_get_key_uri (certificate);
  g_autofree char *cert_url = NULL;
  g_autofree char *tls_key_url = NULL;
  GtkWidget *toplevel;

  profile = eimza_portal_profile_new (profile_name, error);
  if (profile == NULL)
    return NULL;

  /* One interaction per key: the PIN it keeps belongs to that card. */
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

  /* GnuTLS gets URLs that lead to the card worker, never the card's
   * PKCS#11 URLs: no other thread may enter the card's module. */
  if (!eimza_card_tls_interaction_route (EIMZA_CARD_TLS_INTERACTION (self->interaction),
                                         certificate, &cert_url, &tls_key_url, error))
    return NULL;

  return eimza_eonay_session_new (profile, url, ca_file, cert_url, tls_key_url,
                                  G_TLS_INTERACTION (self->interaction), error);
}

static void
login_clicked_cb (EimzaEonaySetupPage *self)
{
  EimzaCertificate *certificate = selected_certificate (self);
  g_autoptr(GError) error = NULL;

  if (certificate == NULL || is_busy (self) || !check_tckn (self))
    return;

  /* A new session for each login: the certificate may be another one. */
  g_clear_object (&self->session);
  self->session = create_session (self, certificate, &error);
  if (self->session == NULL)
    {
      self->last_request = REQ_NONE;
      eimza_request_status_fail (self->request_status, error, FALSE);
      return;
    }

  log_in (self);
}

/* ------------------------------------------------------------------ */
/* (b) Log in, and the signatures of the codes */

static void
got_code (EimzaEonaySetupPage *self,
          char                *code,
          EimzaEonayPurpose    purpose)
{
  g_free (self->code);
  self->code = code;
  self->purpose = purpose;
  fetch (self);
}

static void
log_in_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  EimzaEonaySetupPage *self;
  g_autoptr(GError) error = NULL;
  char *code;

  code = eimza_eonay_session_log_in_finish (EIMZA_EONAY_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_EONAY_SETUP_PAGE (user_data);
  if (code == NULL)
    {
      /* Whatever failed, the person is on the first step: the number,
       * the certificate or the PIN is what to look at. */
      show_step (self, "identity");
      if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH))
        {
          set_tckn_error (self, error->message);
          eimza_request_status_end (self->request_status);
          gtk_widget_grab_focus (GTK_WIDGET (self->tckn_entry));
          return;
        }
      /* A refused certificate is final for that certificate: the person
       * chooses another one and logs in again. */
      if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED))
        {
          eimza_request_status_fail (self->request_status, error, FALSE);
          return;
        }
      /* A PIN problem: Try Again asks again, with the card's new state. */
      if (handle_common_error (self, error))
        return;

      eimza_request_status_fail (self->request_status, error, FALSE);
      return;
    }

  eimza_request_status_end (self->request_status);
  got_code (self, code, EIMZA_EONAY_PURPOSE_LOGIN);
}

static void
log_in (EimzaEonaySetupPage *self)
{
  GCancellable *cancellable;

  if (self->session == NULL)
    {
      show_step (self, "identity");
      login_clicked_cb (self);
      return;
    }

  cancellable = begin (self, REQ_LOGIN, _("Logging in to Kamu SM’s NES site…"));
  eimza_eonay_session_log_in_async (self->session, self->tckn, cancellable, log_in_cb, self);
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  EimzaEonaySetupPage *self;
  g_autoptr(EimzaEonaySignData) data = NULL;
  g_autoptr(GError) error = NULL;
  EimzaCertificate *certificate;
  const char *heading;

  data = eimza_eonay_session_fetch_sign_data_finish (EIMZA_EONAY_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_EONAY_SETUP_PAGE (user_data);
  if (data == NULL)
    {
      if (handle_common_error (self, error))
        return;
      /* An expired or unknown code: Try Again starts the step over. */
      if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED) ||
          g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID))
        self->last_request = REQ_RESTART;
      eimza_request_status_fail (self->request_status, error, TRUE);
      return;
    }

  eimza_request_status_end (self->request_status);
  if (data->purpose != EIMZA_EONAY_PURPOSE_UNKNOWN)
    self->purpose = data->purpose;

  if (self->purpose == EIMZA_EONAY_PURPOSE_EONAY)
    heading = _("Sign the e-onay commitment below with your e-signature. This gives your "
                "e-onay.");
  else
    heading = _("Sign the site’s one-time login text below with your e-signature. This "
                "proves that the card is yours; it gives no approval.");

  certificate = selected_certificate (self);
  show_step (self, "sign");
  eimza_sign_step_start (self->sign_step, heading, data->data, data->deadline, self->tckn,
                         certificate != NULL ? eimza_certificate_get_uri (certificate) : NULL);
}

static void
fetch (EimzaEonaySetupPage *self)
{
  GCancellable *cancellable;

  cancellable = begin (self, REQ_FETCH, _("Getting what to sign…"));
  eimza_eonay_session_fetch_sign_data_async (self->session, self->code, cancellable,
                                             fetch_cb, self);
}

/* The code's signature was accepted: on to the next step. */
static void
upload_accepted (EimzaEonaySetupPage *self)
{
  g_clear_pointer (&self->cms, g_bytes_unref);
  g_clear_error (&self->upload_error);
  eimza_sign_step_stop (self->sign_step);

  if (self->purpose == EIMZA_EONAY_PURPOSE_EONAY)
    {
      self->cancelled_now = FALSE;
      get_status (self);
    }
  else
    {
      self->reconsent = FALSE;
      open_eonay (self);
    }
}

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  EimzaEonaySetupPage *self;
  g_autoptr(GError) error = NULL;

  if (!eimza_eonay_session_upload_signature_finish (EIMZA_EONAY_SESSION (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_EONAY_SETUP_PAGE (user_data);
  if (error == NULL)
    {
      eimza_request_status_end (self->request_status);
      upload_accepted (self);
      return;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID))
    {
      /* The code may be used up by this very signature (an earlier try
       * that arrived after all): the site's state tells. */
      g_clear_error (&self->upload_error);
      self->upload_error = g_steal_pointer (&error);
      if (self->purpose == EIMZA_EONAY_PURPOSE_EONAY)
        get_status (self);
      else
        open_eonay (self);
      return;
    }

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      handle_common_error (self, error);
      return;
    }

  eimza_sign_step_show_error (self->sign_step, NULL);
  if (eimza_portal_error_can_retry (error))
    {
      /* Try Again sends the same signature; a new one can also be made. */
      eimza_request_status_fail (self->request_status, error, TRUE);
      return;
    }

  /* Refused (another person's certificate, not trusted, expired code): the
   * step shows why and the person signs again, or starts over. */
  eimza_request_status_end (self->request_status);
  eimza_sign_step_show_error (self->sign_step, error);
}

static void
upload (EimzaEonaySetupPage *self)
{
  GCancellable *cancellable;

  if (self->cms == NULL)
    return;

  eimza_sign_step_set_sensitive_busy (self->sign_step, TRUE);
  cancellable = begin (self, REQ_UPLOAD, _("Sending the signature…"));
  eimza_eonay_session_upload_signature_async (self->session, self->code, self->cms, cancellable,
                                              upload_cb, self);
}

static void
signed_cb (EimzaEonaySetupPage *self,
           GBytes              *cms,
           EimzaCertificate    *certificate)
{
  g_clear_pointer (&self->cms, g_bytes_unref);
  self->cms = g_bytes_ref (cms);
  upload (self);
}

/* The deadline passed: a new code, as the site says ("İşlemi yeniden
 * başlatınız"). For the login code that is logging in again; for the
 * e-onay code, the consent again (the person already agreed). */
static void
restart_step (EimzaEonaySetupPage *self)
{
  g_clear_pointer (&self->cms, g_bytes_unref);

  if (self->purpose == EIMZA_EONAY_PURPOSE_EONAY)
    {
      self->reconsent = TRUE;
      open_eonay (self);
    }
  else
    {
      log_in (self);
    }
}

static void
restart_requested_cb (EimzaEonaySetupPage *self)
{
  restart_step (self);
}

/* ------------------------------------------------------------------ */
/* (c) E-ONAY İŞLEMLERİ */

static void
show_result (EimzaEonaySetupPage *self,
             gboolean             active)
{
  g_autofree char *text = NULL;
  const char *site = self->session != NULL ? eimza_eonay_session_get_base_url (self->session) : "";

  show_step (self, "result");
  gtk_widget_set_visible (self->cancel_eonay_button, active);
  gtk_widget_set_visible (self->again_button, !active);

  if (active)
    {
      gtk_image_set_from_icon_name (self->result_icon, "emblem-ok-symbolic", GTK_ICON_SIZE_DIALOG);
      gtk_label_set_text (self->result_title, _("Your e-onay is active"));
      /* TRANSLATORS: %s is the NES site's address */
      text = g_strdup_printf (_("Kamu SM now accepts your e-signed certificate applications: "
                                "choose “E-onaylı başvuru” when you renew. The e-onay stays "
                                "until you cancel it. To cancel it later, open E-onay in this "
                                "application again and press “Cancel E-onay”, or log in to %s "
                                "with your e-signature, open “E-ONAY İŞLEMLERİ” and choose "
                                "“İptal”."), site);
    }
  else if (self->cancelled_now)
    {
      gtk_image_set_from_icon_name (self->result_icon, "dialog-information-symbolic",
                                    GTK_ICON_SIZE_DIALOG);
      gtk_label_set_text (self->result_title, _("Your e-onay is cancelled"));
      text = g_strdup (_("Kamu SM no longer accepts e-signed applications from you. You can "
                         "give your e-onay again at any time."));
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
  update_buttons (self);
}

static void
show_consent (EimzaEonaySetupPage    *self,
              const EimzaEonayStatus *status)
{
  g_autofree char *limit = NULL;

  gtk_label_set_text (self->explanation_label,
                      status->explanation != NULL ? status->explanation : "");
  gtk_widget_set_visible (GTK_WIDGET (self->explanation_label), status->explanation != NULL);
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
  update_buttons (self);
}

static void
open_eonay_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  EimzaEonaySetupPage *self;
  g_autoptr(EimzaEonayStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) upload_error = NULL;

  status = eimza_eonay_session_open_eonay_finish (EIMZA_EONAY_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_EONAY_SETUP_PAGE (user_data);
  upload_error = g_steal_pointer (&self->upload_error);

  if (status == NULL)
    {
      if (upload_error != NULL &&
          g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE))
        {
          /* The login signature was not accepted after all: the upload's
           * own refusal is what the person needs to read. */
          eimza_request_status_end (self->request_status);
          eimza_sign_step_show_error (self->sign_step, upload_error);
          return;
        }
      if (handle_common_error (self, error))
        return;
      eimza_request_status_fail (self->request_status, error, TRUE);
      return;
    }

  eimza_request_status_end (self->request_status);
  if (upload_error != NULL)
    {
      /* The code was used up by our own signature: logged in. */
      g_clear_pointer (&self->cms, g_bytes_unref);
      eimza_sign_step_stop (self->sign_step);
    }

  if (status->active)
    {
      self->reconsent = FALSE;
      show_result (self, TRUE);
      return;
    }

  /* Starting the e-onay step again: the person already agreed to this
   * very commitment, so the consent is sent again at once. */
  if (self->reconsent && g_strcmp0 (self->commitment, status->commitment) == 0)
    {
      self->reconsent = FALSE;
      consent (self);
      return;
    }

  self->reconsent = FALSE;
  show_consent (self, status);
}

static void
open_eonay (EimzaEonaySetupPage *self)
{
  GCancellable *cancellable;

  cancellable = begin (self, REQ_OPEN, _("Opening E-ONAY İŞLEMLERİ…"));
  eimza_eonay_session_open_eonay_async (self->session, cancellable, open_eonay_cb, self);
}

static void
consent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  EimzaEonaySetupPage *self;
  g_autoptr(GError) error = NULL;
  char *code;

  code = eimza_eonay_session_consent_finish (EIMZA_EONAY_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_EONAY_SETUP_PAGE (user_data);
  if (code == NULL)
    {
      if (handle_common_error (self, error))
        return;
      eimza_request_status_fail (self->request_status, error, FALSE);
      return;
    }

  eimza_request_status_end (self->request_status);
  got_code (self, code, EIMZA_EONAY_PURPOSE_EONAY);
}

static void
consent (EimzaEonaySetupPage *self)
{
  GCancellable *cancellable;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->commitment_view);
  GtkTextIter start, end;

  /* The commitment the person agreed to, to know it again on a restart. */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_free (self->commitment);
  self->commitment = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  cancellable = begin (self, REQ_CONSENT, _("Sending your consent…"));
  eimza_eonay_session_consent_async (self->session, cancellable, consent_cb, self);
}

static void
continue_clicked_cb (EimzaEonaySetupPage *self)
{
  if (!gtk_toggle_button_get_active (self->consent_check) || is_busy (self))
    return;

  consent (self);
}

/* ------------------------------------------------------------------ */
/* (d) The result, and the cancellation */

static void
get_status_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  EimzaEonaySetupPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) upload_error = NULL;
  gboolean active = FALSE;

  if (!eimza_eonay_session_get_status_finish (EIMZA_EONAY_SESSION (source), result, &active,
                                              &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_EONAY_SETUP_PAGE (user_data);
  upload_error = g_steal_pointer (&self->upload_error);

  if (error != NULL)
    {
      if (handle_common_error (self, error))
        return;
      eimza_request_status_fail (self->request_status, error, TRUE);
      return;
    }

  eimza_request_status_end (self->request_status);

  if (upload_error != NULL && !active)
    {
      /* The commitment's signature was not accepted: say why. */
      eimza_sign_step_show_error (self->sign_step, upload_error);
      return;
    }

  g_clear_pointer (&self->cms, g_bytes_unref);
  show_result (self, active);
}

static void
get_status (EimzaEonaySetupPage *self)
{
  GCancellable *cancellable;

  cancellable = begin (self, REQ_STATUS, _("Checking the e-onay’s state…"));
  eimza_eonay_session_get_status_async (self->session, cancellable, get_status_cb, self);
}

static void
cancel_eonay_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EimzaEonaySetupPage *self;
  g_autoptr(GError) error = NULL;

  if (!eimza_eonay_session_cancel_eonay_finish (EIMZA_EONAY_SESSION (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_EONAY_SETUP_PAGE (user_data);
  if (error != NULL &&
      !g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE))
    {
      if (handle_common_error (self, error))
        return;
      eimza_request_status_fail (self->request_status, error, FALSE);
      return;
    }

  /* Not active any more (cancelled now, or before): the site's state. */
  eimza_request_status_end (self->request_status);
  self->cancelled_now = TRUE;
  get_status (self);
}

static void
cancel_eonay (EimzaEonaySetupPage *self)
{
  GCancellable *cancellable;

  cancellable = begin (self, REQ_CANCEL, _("Cancelling the e-onay…"));
  eimza_eonay_session_cancel_eonay_async (self->session, cancellable, cancel_eonay_cb, self);
}

static void
confirm_cancel_response_cb (GtkDialog           *dialog,
                            int                  response,
                            EimzaEonaySetupPage *self)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));

  if (response == GTK_RESPONSE_ACCEPT && !is_busy (self) && self->session != NULL)
    cancel_eonay (self);
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
again_clicked_cb (EimzaEonaySetupPage *self)
{
  if (is_busy (self) || self->session == NULL)
    return;

  self->cancelled_now = FALSE;
  self->reconsent = FALSE;
  open_eonay (self);
}

static void
done_clicked_cb (EimzaEonaySetupPage *self)
{
  g_signal_emit (self, signals[DONE], 0);
}

static void
retry_cb (EimzaEonaySetupPage *self)
{
  if (self->session == NULL)
    {
      show_step (self, "identity");
      login_clicked_cb (self);
      return;
    }

  switch (self->last_request)
    {
    case REQ_LOGIN:
      log_in (self);
      break;
    case REQ_FETCH:
      fetch (self);
      break;
    case REQ_RESTART:
      restart_step (self);
      break;
    case REQ_UPLOAD:
      upload (self);
      break;
    case REQ_OPEN:
      open_eonay (self);
      break;
    case REQ_CONSENT:
      consent (self);
      break;
    case REQ_STATUS:
      get_status (self);
      break;
    case REQ_CANCEL:
      cancel_eonay (self);
      break;
    case REQ_NONE:
    default:
      break;
    }
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

static void
eimza_eonay_setup_page_dispose (GObject *object)
{
  EimzaEonaySetupPage *self = EIMZA_EONAY_SETUP_PAGE (object);

  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->interaction != NULL)
    eimza_pin_interaction_forget (self->interaction);
  g_clear_object (&self->interaction);
  g_clear_object (&self->session);
  disconnect_service (self);
  g_clear_object (&self->config);
  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  g_clear_pointer (&self->cms, g_bytes_unref);
  g_clear_error (&self->upload_error);

  G_OBJECT_CLASS (eimza_eonay_setup_page_parent_class)->dispose (object);
}

static void
eimza_eonay_setup_page_finalize (GObject *object)
{
  EimzaEonaySetupPage *self = EIMZA_EONAY_SETUP_PAGE (object);

  g_free (self->interaction_key_uri);
  g_free (self->chosen_uri);
  g_free (self->prefilled_tckn);
  g_free (self->tckn);
  g_free (self->code);
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
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
  gtk_widget_class_bind_template_callback (widget_class, certificate_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tckn_changed_cb);
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
                               G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "card-inserted",
                               G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "card-removed",
                               G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
    }
  eimza_sign_step_set_card_service (self->sign_step, service);
  service_changed_cb (self);
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
  g_clear_object (&self->session);
  g_clear_pointer (&self->cms, g_bytes_unref);
  g_clear_error (&self->upload_error);
  self->last_request = REQ_NONE;
  self->purpose = EIMZA_EONAY_PURPOSE_UNKNOWN;
  self->reconsent = FALSE;
  self->cancelled_now = FALSE;
  gtk_toggle_button_set_active (self->consent_check, FALSE);

  show_step (self, "identity");
  reload_certificates (self);
  update_buttons (self);
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
  g_clear_object (&self->session);
}
