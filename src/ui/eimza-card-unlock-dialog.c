/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unlocking the card (or a new card's first PIN) with the code Kamu SM gives after Şifreli Giriş: the view of EimzaCardUnlockFlow. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-captcha-decoder.h"
#include "eimza-card-certificates.h"
#include "eimza-card-unlock-dialog.h"
#include "eimza-card-unlock-flow.h"
#include "eimza-pin-dialog-asker.h"
#include "eimza-secret.h"

struct _EimzaCardUnlockDialog
{
  GtkDialog parent_instance;

  EimzaCardService *service;
  EimzaCardUnlockFlow *flow;
  GCancellable *cancellable;
  char *birth_date;
  EimzaCertificate *certificate;   /* the card's, once listed */
  EimzaPinDialogAsker *asker;      /* the new PIN's, then the test signature's */
  gboolean started;                /* the first captcha was asked for */
  EimzaCardUnlockFlowState last_state;
  GBytes *shown_captcha;
  guint countdown_id;

  GtkWidget *stack;
  GtkWidget *error_label;
  GtkWidget *tckn_entry;
  GtkWidget *word_entry;
  GtkWidget *captcha_image;
  GtkWidget *captcha_entry;
  GtkWidget *sign_in_button;
  GtkWidget *sms_label;
  GtkWidget *countdown_label;
  GtkWidget *sms_entry;
  GtkWidget *sms_button;
  GtkWidget *fetch_button;
  GtkWidget *unblock_label;
  GtkWidget *unblock_button;
  GtkWidget *busy_spinner;
  GtkWidget *busy_label;
  GtkWidget *done_label;
};

G_DEFINE_FINAL_TYPE (EimzaCardUnlockDialog, eimza_card_unlock_dialog, GTK_TYPE_DIALOG)

static void update (EimzaCardUnlockDialog *self);

/* Every control has a name that a screen reader (and the GUI tests) use. */
static void
set_accessible_name (GtkWidget  *widget,
                     const char *name)
{
  atk_object_set_name (gtk_widget_get_accessible (widget), name);
}

static GtkWidget *
wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  return label;
}

static GtkWidget *
secret_entry (const char *name)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  if (name != NULL)
    set_accessible_name (entry, name);
  return entry;
}

/* Empties @entry (GTK's entry buffer clears the memory it gives up). */
static void
clear_entry (GtkWidget *entry)
{
  gtk_entry_buffer_delete_text (gtk_entry_get_buffer (GTK_ENTRY (entry)), 0, -1);
}

/* -- actions ---------------------------------------------------------------- */

static void
action_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EimzaCardUnlockDialog) self = user_data;

  /* The flow keeps the error; the view shows it (update). */
  g_task_propagate_boolean (G_TASK (result), NULL);
  if (self->flow != NULL)
    update (self);
}

static void
load_captcha (EimzaCardUnlockDialog *self)
{
  gboolean start_over = !self->started;

  self->started = TRUE;
  eimza_card_unlock_flow_load_captcha_async (self->flow, start_over, self->cancellable,
                                             action_done_cb, g_object_ref (self));
}

static void
sign_in_clicked_cb (EimzaCardUnlockDialog *self)
{
  g_autoptr(EimzaSecret) word = NULL;

  /* The word stays typed (a mistake is corrected, not retyped); a copy
   * in a secret goes to the flow. */
  word = eimza_secret_new (gtk_entry_get_text (GTK_ENTRY (self->word_entry)), -1);
  eimza_card_unlock_flow_sign_in_async (self->flow,
                                        gtk_entry_get_text (GTK_ENTRY (self->tckn_entry)), word,
                                        gtk_entry_get_text (GTK_ENTRY (self->captcha_entry)),
                                        self->cancellable, action_done_cb, g_object_ref (self));
  /* Each image is good for one try. */
  gtk_entry_set_text (GTK_ENTRY (self->captcha_entry), "");
}

static void
new_image_clicked_cb (EimzaCardUnlockDialog *self)
{
  if (eimza_card_unlock_flow_get_state (self->flow) == EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN)
    {
      self->started = FALSE;
      load_captcha (self);
    }
}

static void
sms_clicked_cb (EimzaCardUnlockDialog *self)
{
  /* A copy: the code stays typed until the site took it (a lost answer
   * is not a reason to type it again). */
  g_autoptr(EimzaSecret) code = eimza_secret_new (gtk_entry_get_text (GTK_ENTRY (self->sms_entry)),
                                                  -1);

  eimza_card_unlock_flow_confirm_sms_async (self->flow, code, self->cancellable, action_done_cb,
                                            g_object_ref (self));
}

static void
fetch_clicked_cb (EimzaCardUnlockDialog *self)
{
  eimza_card_unlock_flow_fetch_code_async (self->flow, self->cancellable, action_done_cb,
                                           g_object_ref (self));
}

static void
unblock_clicked_cb (EimzaCardUnlockDialog *self)
{
  if (self->certificate == NULL)
    return;

  g_clear_object (&self->asker);
  self->asker = eimza_pin_dialog_asker_new (GTK_WINDOW (self),
                                            _("Kamu SM’s unblock code is used for you: type "
                                              "only the card’s new PIN, twice."));
  eimza_card_unlock_flow_unblock_async (self->flow, self->certificate,
                                        EIMZA_PIN_ASKER (self->asker), self->birth_date,
                                        self->cancellable, action_done_cb, g_object_ref (self));
}

/* The test signature's PIN dialog says what it is for. */
static void
tell_test_signature (EimzaCardUnlockDialog *self)
{
  g_autofree char *purpose = NULL;
  const char *holder;

  if (self->asker == NULL || self->certificate == NULL)
    return;

  holder = eimza_certificate_get_subject_cn (self->certificate);
  /* TRANSLATORS: %s is the certificate holder's name */
  purpose = g_strdup_printf (_("The card is unlocked. Type the new PIN once more: a short test "
                               "text will be signed with the certificate of %s, to check the "
                               "card and the new PIN. Nothing is sent anywhere."),
                             holder != NULL ? holder : "");
  eimza_pin_dialog_asker_set_purpose (self->asker, purpose);
}

static void
certificates_listed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(EimzaCardUnlockDialog) self = user_data;
  g_autoptr(GPtrArray) certificates = NULL;

  certificates = eimza_card_certificates_list_finish (EIMZA_CARD_SERVICE (source), result, NULL);
  if (self->flow == NULL)
    return;

  /* Signing certificates come first: their key is the card's PIN's. */
  for (guint i = 0; certificates != NULL && i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);

      if (eimza_certificate_get_key_uri (certificate) != NULL)
        {
          g_set_object (&self->certificate, certificate);
          break;
        }
    }
  update (self);
}

/* -- the view --------------------------------------------------------------- */

static void
captcha_decoded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EimzaCardUnlockDialog) self = user_data;
  g_autoptr(GdkPixbuf) pixbuf = eimza_captcha_decode_finish (result, NULL);

  if (self->flow != NULL && pixbuf != NULL &&
      eimza_card_unlock_flow_get_captcha (self->flow) == self->shown_captcha)
    gtk_image_set_from_pixbuf (GTK_IMAGE (self->captcha_image), pixbuf);
}

/* Decoded off the main thread, within a captcha's bounds. */
static void
show_captcha (EimzaCardUnlockDialog *self)
{
  GBytes *image = eimza_card_unlock_flow_get_captcha (self->flow);

  if (image == self->shown_captcha)
    return;

  g_clear_pointer (&self->shown_captcha, g_bytes_unref);
  gtk_image_clear (GTK_IMAGE (self->captcha_image));
  if (image == NULL)
    return;

  self->shown_captcha = g_bytes_ref (image);
  eimza_captcha_decode_async (image, self->cancellable, captcha_decoded_cb, g_object_ref (self));
}

static gboolean
countdown_cb (gpointer user_data)
{
  EimzaCardUnlockDialog *self = user_data;
  gint64 deadline = eimza_card_unlock_flow_get_sms_deadline (self->flow);
  gint64 left = deadline > 0 ? (deadline - g_get_monotonic_time ()) / G_USEC_PER_SEC : -1;
  g_autofree char *text = NULL;

  if (deadline == 0)
    text = g_strdup ("");
  else if (left <= 0)
    text = g_strdup (_("The SMS code has expired. Sign in again for a new one."));
  else
    /* TRANSLATORS: minutes and seconds left for the SMS code, e.g. 2:59 */
    text = g_strdup_printf (_("Time left for the code: %d:%02d"), (int) (left / 60),
                            (int) (left % 60));
  gtk_label_set_text (GTK_LABEL (self->countdown_label), text);
  return G_SOURCE_CONTINUE;
}

static const char *
busy_text (EimzaCardUnlockFlowState state)
{
  switch (state)
    {
    case EIMZA_CARD_UNLOCK_FLOW_STATE_LOADING:
      return _("Loading the security image from Kamu SM…");
    case EIMZA_CARD_UNLOCK_FLOW_STATE_SIGNING_IN:
      return _("Signing in to Kamu SM…");
    case EIMZA_CARD_UNLOCK_FLOW_STATE_CONFIRMING:
    case EIMZA_CARD_UNLOCK_FLOW_STATE_FETCHING:
      return _("Asking Kamu SM for the card’s unblock code…");
    case EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCKING:
      return _("Setting the new PIN on the card…");
    case EIMZA_CARD_UNLOCK_FLOW_STATE_TESTING:
      return _("Making a test signature with the new PIN…");
    default:
      return "";
    }
}

static void
update (EimzaCardUnlockDialog *self)
{
  EimzaCardUnlockFlowState state = eimza_card_unlock_flow_get_state (self->flow);
  const GError *error = eimza_card_unlock_flow_get_error (self->flow);
  const char *page = "busy";

  gtk_label_set_text (GTK_LABEL (self->error_label), error != NULL ? error->message : "");
  gtk_widget_set_visible (self->error_label, error != NULL);
  g_clear_handle_id (&self->countdown_id, g_source_remove);

  switch (state)
    {
    case EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN:
      page = "sign-in";
      show_captcha (self);
      break;
    case EIMZA_CARD_UNLOCK_FLOW_STATE_SMS:
      {
        const char *phone = eimza_card_unlock_flow_get_sms_phone (self->flow);
        g_autofree char *text = NULL;

        page = "sms";
        /* TRANSLATORS: %s is the phone number as Kamu SM shows it, partly hidden */
        text = g_strdup_printf (_("Kamu SM sent an SMS code to your registered mobile phone "
                                  "(%s). Type it here."), phone != NULL ? phone : "…");
        gtk_label_set_text (GTK_LABEL (self->sms_label), text);
        countdown_cb (self);
        self->countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
      }
      break;
    case EIMZA_CARD_UNLOCK_FLOW_STATE_CODE:
      page = "code";
      break;
    case EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK:
      {
        const char *holder = eimza_card_unlock_flow_get_holder (self->flow);
        g_autofree char *text = NULL;

        page = "unblock";
        /* TRANSLATORS: %s is the card holder's name as Kamu SM shows it */
        text = g_strdup_printf (_("Kamu SM gave the unblock code of the card of %s. Now choose "
                                  "the card’s new PIN: you type only the new PIN, twice. "
                                  "Nothing is sent to the card before you confirm."),
                                holder != NULL ? holder : "");
        gtk_label_set_text (GTK_LABEL (self->unblock_label), text);
        gtk_widget_set_sensitive (self->unblock_button, self->certificate != NULL);
      }
      break;
    case EIMZA_CARD_UNLOCK_FLOW_STATE_DONE:
      page = "done";
      gtk_label_set_text (GTK_LABEL (self->done_label),
                          eimza_card_unlock_flow_get_test_signature (self->flow) != NULL
                          ? _("The card is unlocked and takes the new PIN: the test signature "
                              "with it worked. Use the new PIN for every signature from now on.")
                          : _("The card is unlocked and takes the new PIN, but the test "
                              "signature did not work (see above)."));
      break;
    default:
      gtk_label_set_text (GTK_LABEL (self->busy_label), busy_text (state));
      break;
    }

  if (g_str_equal (page, "busy"))
    gtk_spinner_start (GTK_SPINNER (self->busy_spinner));
  else
    gtk_spinner_stop (GTK_SPINNER (self->busy_spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);
}

static void
state_changed_cb (EimzaCardUnlockDialog *self)
{
  EimzaCardUnlockFlowState state = eimza_card_unlock_flow_get_state (self->flow);
  EimzaCardUnlockFlowState last = self->last_state;

  self->last_state = state;
  /* Past the SMS step (or back before it) the code is of no more use. */
  if (state != EIMZA_CARD_UNLOCK_FLOW_STATE_SMS && state != EIMZA_CARD_UNLOCK_FLOW_STATE_CONFIRMING)
    clear_entry (self->sms_entry);
  if (state == EIMZA_CARD_UNLOCK_FLOW_STATE_TESTING)
    tell_test_signature (self);
  else if (state == EIMZA_CARD_UNLOCK_FLOW_STATE_DONE || state == EIMZA_CARD_UNLOCK_FLOW_STATE_CODE ||
           state == EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK)
    g_clear_object (&self->asker);
  update (self);
  /* Back at the form after a step of the site: the form it sent back has
   * a new image. Not after loading one failed: "New Image" asks again. */
  if (state == EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN && last != EIMZA_CARD_UNLOCK_FLOW_STATE_LOADING &&
      eimza_card_unlock_flow_get_captcha (self->flow) == NULL)
    load_captcha (self);
}

/* -- building --------------------------------------------------------------- */

static GtkWidget *
labelled (GtkGrid    *grid,
          int         row,
          const char *mnemonic,
          GtkWidget  *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, widget, 1, row, 1, 1);
  return widget;
}

static GtkWidget *
page_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_set_valign (box, GTK_ALIGN_START);
  return box;
}

static GtkWidget *
action_button (const char *mnemonic,
               GCallback   callback,
               gpointer    self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "suggested-action");
  g_signal_connect_swapped (button, "clicked", callback, self);
  return button;
}

static void
build (EimzaCardUnlockDialog *self)
{
  GtkWidget *content = gtk_dialog_get_content_area (GTK_DIALOG (self));
  GtkWidget *intro;
  GtkWidget *box;
  GtkWidget *grid;
  GtkWidget *captcha_row;
  GtkWidget *new_image;

  gtk_container_set_border_width (GTK_CONTAINER (content), 18);
  gtk_box_set_spacing (GTK_BOX (content), 12);

  intro = wrapped_label (_("Kamu SM gives your card’s unblock code after Şifreli Giriş: your "
                           "T.C. Kimlik No, the security word you chose in your certificate "
                           "application form, and a code sent by SMS to your registered phone. "
                           "The same route sets the first PIN of the new card a renewal brings; "
                           "its new certificate works only after the old one has expired."));
  gtk_container_add (GTK_CONTAINER (content), intro);

  self->error_label = wrapped_label ("");
  gtk_style_context_add_class (gtk_widget_get_style_context (self->error_label), "error");
  set_accessible_name (self->error_label, _("Error"));
  gtk_widget_set_no_show_all (self->error_label, TRUE);
  gtk_container_add (GTK_CONTAINER (content), self->error_label);

  self->stack = gtk_stack_new ();
  gtk_stack_set_homogeneous (GTK_STACK (self->stack), FALSE);
  gtk_container_add (GTK_CONTAINER (content), self->stack);

  /* Şifreli Giriş. */
  box = page_box ();
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  self->tckn_entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (self->tckn_entry), 11);
  gtk_entry_set_input_purpose (GTK_ENTRY (self->tckn_entry), GTK_INPUT_PURPOSE_DIGITS);
  set_accessible_name (self->tckn_entry, _("T.C. Kimlik No"));
  labelled (GTK_GRID (grid), 0, _("_T.C. Kimlik No"), self->tckn_entry);
  /* Named as its label says (one string for both, one translation). */
  self->word_entry = secret_entry (NULL);
  {
    g_autoptr(GString) name = g_string_new (_("_Security word"));

    g_string_replace (name, "_", "", 1);
    set_accessible_name (self->word_entry, name->str);
  }
  labelled (GTK_GRID (grid), 1, _("_Security word"), self->word_entry);
  captcha_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->captcha_image = gtk_image_new ();
  set_accessible_name (self->captcha_image, _("Security image"));
  gtk_widget_set_size_request (self->captcha_image, 160, 50);
  new_image = gtk_button_new_with_mnemonic (_("_New Image"));
  set_accessible_name (new_image, _("New image"));
  g_signal_connect_swapped (new_image, "clicked", G_CALLBACK (new_image_clicked_cb), self);
  gtk_container_add (GTK_CONTAINER (captcha_row), self->captcha_image);
  gtk_container_add (GTK_CONTAINER (captcha_row), new_image);
  gtk_grid_attach (GTK_GRID (grid), captcha_row, 1, 2, 1, 1);
  self->captcha_entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (self->captcha_entry), 8);
  set_accessible_name (self->captcha_entry, _("Text in the image"));
  labelled (GTK_GRID (grid), 3, _("Text in the _image"), self->captcha_entry);
  gtk_container_add (GTK_CONTAINER (box), grid);
  self->sign_in_button = action_button (_("_Sign In"), G_CALLBACK (sign_in_clicked_cb), self);
  set_accessible_name (self->sign_in_button, _("Sign in"));
  gtk_container_add (GTK_CONTAINER (box), self->sign_in_button);
  gtk_stack_add_named (GTK_STACK (self->stack), box, "sign-in");

  /* The SMS code. */
  box = page_box ();
  self->sms_label = wrapped_label ("");
  gtk_container_add (GTK_CONTAINER (box), self->sms_label);
  self->countdown_label = wrapped_label ("");
  set_accessible_name (self->countdown_label, _("Time left"));
  gtk_container_add (GTK_CONTAINER (box), self->countdown_label);
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  self->sms_entry = secret_entry (_("SMS code"));
  gtk_entry_set_input_purpose (GTK_ENTRY (self->sms_entry), GTK_INPUT_PURPOSE_PIN);
  gtk_entry_set_max_length (GTK_ENTRY (self->sms_entry), 8);
  labelled (GTK_GRID (grid), 0, _("SMS _code"), self->sms_entry);
  gtk_container_add (GTK_CONTAINER (box), grid);
  self->sms_button = action_button (_("_Confirm"), G_CALLBACK (sms_clicked_cb), self);
  set_accessible_name (self->sms_button, _("Confirm SMS code"));
  gtk_container_add (GTK_CONTAINER (box), self->sms_button);
  gtk_stack_add_named (GTK_STACK (self->stack), box, "sms");

  /* No code given. */
  box = page_box ();
  gtk_container_add (GTK_CONTAINER (box),
                     wrapped_label (_("You are signed in, but Kamu SM did not give the card’s "
                                      "unblock code. Nothing was sent to the card.")));
  self->fetch_button = action_button (_("_Ask Again"), G_CALLBACK (fetch_clicked_cb), self);
  set_accessible_name (self->fetch_button, _("Ask for the unblock code again"));
  gtk_container_add (GTK_CONTAINER (box), self->fetch_button);
  gtk_stack_add_named (GTK_STACK (self->stack), box, "code");

  /* The code is here: the new PIN. */
  box = page_box ();
  self->unblock_label = wrapped_label ("");
  gtk_container_add (GTK_CONTAINER (box), self->unblock_label);
  self->unblock_button = action_button (_("Set _New PIN…"), G_CALLBACK (unblock_clicked_cb),
                                        self);
  set_accessible_name (self->unblock_button, _("Set new PIN"));
  gtk_container_add (GTK_CONTAINER (box), self->unblock_button);
  gtk_stack_add_named (GTK_STACK (self->stack), box, "unblock");

  /* Work under way. */
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->busy_spinner = gtk_spinner_new ();
  self->busy_label = wrapped_label ("");
  set_accessible_name (self->busy_label, _("Progress"));
  gtk_container_add (GTK_CONTAINER (box), self->busy_spinner);
  gtk_container_add (GTK_CONTAINER (box), self->busy_label);
  gtk_stack_add_named (GTK_STACK (self->stack), box, "busy");

  /* Done. */
  box = page_box ();
  self->done_label = wrapped_label ("");
  set_accessible_name (self->done_label, _("Result"));
  gtk_container_add (GTK_CONTAINER (box), self->done_label);
  gtk_stack_add_named (GTK_STACK (self->stack), box, "done");

  gtk_dialog_add_button (GTK_DIALOG (self), _("_Close"), GTK_RESPONSE_CLOSE);
  gtk_widget_show_all (content);
}

static void
eimza_card_unlock_dialog_dispose (GObject *object)
{
  EimzaCardUnlockDialog *self = EIMZA_CARD_UNLOCK_DIALOG (object);

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->flow != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->flow, self);
      eimza_card_unlock_flow_reset (self->flow);
    }
  g_clear_object (&self->flow);
  g_clear_object (&self->certificate);
  g_clear_object (&self->asker);
  g_clear_pointer (&self->shown_captcha, g_bytes_unref);
  g_clear_object (&self->service);
  g_clear_pointer (&self->birth_date, g_free);

  G_OBJECT_CLASS (eimza_card_unlock_dialog_parent_class)->dispose (object);
}

static void
eimza_card_unlock_dialog_class_init (EimzaCardUnlockDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = eimza_card_unlock_dialog_dispose;
}

static void
eimza_card_unlock_dialog_init (EimzaCardUnlockDialog *self)
{
}

GtkWidget *
eimza_card_unlock_dialog_new (GtkWindow          *parent,
                              EimzaCardService   *service,
                              EimzaAppConfig     *config,
                              const char * const *birth_dates)
{
  EimzaCardUnlockDialog *self;
  g_autofree char *profile_name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ca_file = NULL;
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (config), NULL);

  self = g_object_new (EIMZA_TYPE_CARD_UNLOCK_DIALOG,
                       "use-header-bar", TRUE,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "title", _("Unlock with Kamu SM"),
                       NULL);
  self->service = g_object_ref (service);
  self->cancellable = g_cancellable_new ();
  if (birth_dates != NULL && birth_dates[0] != NULL)
    self->birth_date = g_strdup (birth_dates[0]);
  build (self);

  profile_name = eimza_app_config_dup_portal_profile (config);
  url = eimza_app_config_dup_sifreli_url (config);
  if (url == NULL)
    url = eimza_app_config_dup_eonay_url (config);
  ca_file = eimza_app_config_dup_portal_ca_file (config);
  profile = eimza_portal_profile_new (profile_name, &error);
  if (profile == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->error_label), error->message);
      gtk_widget_show (self->error_label);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "busy");
      return GTK_WIDGET (self);
    }

  self->flow = eimza_card_unlock_flow_new (profile, service, url, ca_file);
  g_signal_connect_object (self->flow, "notify::state", G_CALLBACK (state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  eimza_card_certificates_list_async (service, self->cancellable, certificates_listed_cb,
                                      g_object_ref (self));
  update (self);
  load_captcha (self);
  return GTK_WIDGET (self);
}
