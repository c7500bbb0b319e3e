/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificates on the card, and a test signature to check the card and the PIN. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-a11y.h"
#include "eimza-card-certificates.h"
#include "eimza-card-signing.h"
#include "eimza-card-unlock-dialog.h"
#include "eimza-certificate-row.h"
#include "eimza-certificates-dialog.h"
#include "eimza-control-label.h"
#include "eimza-pin-change.h"
#include "eimza-pin-dialog-asker.h"
#include "eimza-request-status.h"

/* What a test signature signs: fixed, short, and harmless if it ever
 * leaves the computer (it does not). */
static const char test_text[] = "E-İmza Asistanı deneme imzası / test signature\n";

struct _EimzaCertificatesDialog
{
  GtkDialog parent_instance;

  EimzaCardService *service;
  GCancellable *list_cancellable;
  guint reload_idle_id;

  /* The test signature under way (the certificate is kept for Try
   * Again): the card-signing operation and its cancellable, which the
   * request status's Cancel also cancels while it shows the operation. */
  EimzaCertificate *test_certificate;
  EimzaCardSigning *signing;
  GCancellable *cancellable;

  /* A PIN change or unblock under way (with the cancellable above), and
   * the birth dates its new PIN must not be; after an unblock the test
   * signature checks the new PIN. */
  EimzaPinChange *pin_change;
  gboolean after_unblock;
  GStrv birth_dates;
  gulong stack_handler_id;
  /* Where Kamu SM's Şifreli Giriş is (NULL: only the typed unblock code
   * is offered), and its dialog while open. */
  EimzaAppConfig *config;
  GtkWidget *unlock_dialog;

  /* template */
  GtkWidget *locked_bar;
  GtkLabel *locked_label;
  GtkWidget *result_bar;
  GtkImage *result_icon;
  GtkLabel *result_label;
  EimzaRequestStatus *request_status;
  GtkStack *stack;
  GtkSpinner *loading_spinner;
  GtkLabel *empty_title;
  GtkLabel *empty_text;
  GtkListBox *list_box;
  GtkWidget *refresh_button;
  GtkWidget *change_pin_button;
  GtkWidget *unlock_button;
};

G_DEFINE_FINAL_TYPE (EimzaCertificatesDialog, eimza_certificates_dialog, GTK_TYPE_DIALOG)

static void start_test_signature (EimzaCertificatesDialog *self);
static void test_new_pin          (EimzaCertificatesDialog *self,
                                   const char              *uri);

static void
hide_info_bar_cb (GtkWidget *info_bar)
{
  gtk_widget_hide (info_bar);
}

static void
update_buttons (EimzaCertificatesDialog *self)
{
  gboolean busy = eimza_request_status_is_busy (self->request_status) || self->signing != NULL ||
                  self->pin_change != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->list_box), !busy);
  gtk_widget_set_sensitive (self->unlock_button, !busy);
  /* A card with certificates is there to change the PIN of. */
  gtk_widget_set_sensitive (self->change_pin_button,
                            !busy && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack),
                                                "list") == 0);
}

static void
show_empty (EimzaCertificatesDialog *self,
            const char              *title,
            const char              *text)
{
  gtk_spinner_stop (self->loading_spinner);
  gtk_label_set_text (self->empty_title, title);
  gtk_label_set_text (self->empty_text, text);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
clear_list (EimzaCertificatesDialog *self)
{
  g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (self->list_box));

  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

static void
test_signature_requested_cb (EimzaCertificatesDialog *self,
                             EimzaCertificateRow     *row)
{
  g_set_object (&self->test_certificate, eimza_certificate_row_get_certificate (row));
  start_test_signature (self);
}

static void
list_certificates_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EimzaCertificatesDialog *self;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = eimza_card_certificates_list_finish (EIMZA_CARD_SERVICE (source), result, &error);
  /* Cancelled: a newer listing runs, or the dialog is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_CERTIFICATES_DIALOG (user_data);
  g_clear_object (&self->list_cancellable);
  clear_list (self);

  if (certificates == NULL)
    {
      show_empty (self, _("The certificates could not be read"), error->message);
      return;
    }

  if (certificates->len == 0)
    {
      show_empty (self, _("No certificates on the card"),
                  _("The card was found, but no certificates could be read from it. Kamu SM’s "
                    "card software (libakisp11.so) may be missing; Diagnostics, in the card "
                    "menu of the main window, tells more."));
      return;
    }

  for (guint i = 0; i < certificates->len; i++)
    {
      GtkWidget *row = eimza_certificate_row_new (g_ptr_array_index (certificates, i));

      g_signal_connect_object (row, "test-signature",
                               G_CALLBACK (test_signature_requested_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_container_add (GTK_CONTAINER (self->list_box), row);
    }

  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
reload (EimzaCertificatesDialog *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);

  if (!eimza_card_service_check_ready (self->service, &error))
    {
      clear_list (self);
      if (g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD))
        show_empty (self, _("No card in the reader"),
                    _("Insert your e-signature card, chip first, to see its certificates."));
      else if (g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_READER))
        show_empty (self, _("No card reader found"),
                    _("Plug in your card reader. If it is plugged in, its driver may be "
                      "missing: install the package libccid."));
      else if (eimza_card_service_get_state (self->service) == EIMZA_CARD_SERVICE_STATE_STARTING)
        show_empty (self, _("Looking for the card reader"), _("The card service is starting."));
      else
        show_empty (self, _("The smart card service is not running"),
                    _("Install and start the pcscd package (sudo apt install pcscd); the "
                      "certificates show as soon as it runs and a card is in the reader."));
      return;
    }

  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  self->list_cancellable = g_cancellable_new ();
  eimza_card_certificates_list_async (self->service, self->list_cancellable,
                                      list_certificates_cb, self);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  EimzaCertificatesDialog *self = user_data;

  self->reload_idle_id = 0;
  reload (self);

  return G_SOURCE_REMOVE;
}

/* A card came or went: read again, once per batch of changes. */
static void
service_changed_cb (EimzaCertificatesDialog *self)
{
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

static void
show_locked (EimzaCertificatesDialog *self)
{
  gtk_widget_hide (self->result_bar);
  gtk_widget_show (self->locked_bar);
}

static void
show_result (EimzaCertificatesDialog *self,
             gboolean                 good,
             const char              *text)
{
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self->result_bar),
                                 good ? GTK_MESSAGE_INFO : GTK_MESSAGE_ERROR);
  gtk_image_set_from_icon_name (self->result_icon,
                                good ? "emblem-ok-symbolic" : "dialog-error-symbolic",
                                GTK_ICON_SIZE_LARGE_TOOLBAR);
  gtk_label_set_text (self->result_label, text);
  gtk_widget_show (self->result_bar);
}

static GBytes *
certificate_to_pem (EimzaCertificate *certificate)
{
  GBytes *der = eimza_certificate_get_der (certificate);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  GString *pem = g_string_new ("-----BEGIN CERTIFICATE-----\n");
  gsize length = strlen (base64);

  for (gsize i = 0; i < length; i += 64)
    {
      g_string_append_len (pem, base64 + i, MIN (64, length - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append (pem, "-----END CERTIFICATE-----\n");

  return g_string_free_to_bytes (pem);
}

static GBytes *
test_content (void)
{
  return g_bytes_new_static (test_text, strlen (test_text));
}

/* Checks the signature the card made as any recipient would, with the
 * certificate itself as the trust anchor: the question here is whether
 * card, key and PIN work, not who issued the certificate (the row shows
 * that). */
static void
check_signature (EimzaCertificatesDialog *self,
                 GBytes                  *cms)
{
  EimzaCertificate *certificate = self->test_certificate;
  g_autoptr(GBytes) content = test_content ();
  g_autoptr(GBytes) trust = certificate_to_pem (certificate);
  g_autoptr(EimzaCadesSignature) signature = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *holder = eimza_certificate_get_subject_cn (certificate);

  signature = eimza_cades_verify (cms, content, trust, &error);
  if (signature != NULL &&
      g_strcmp0 (eimza_certificate_get_sha256_fingerprint (
                   eimza_cades_signature_get_signer (signature)),
                 eimza_certificate_get_sha256_fingerprint (certificate)) != 0)
    {
      g_clear_pointer (&signature, eimza_cades_signature_free);
      g_set_error_literal (&error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_SIGN,
                           _("The signature names another certificate."));
    }

  if (signature == NULL)
    {
      text = g_strdup_printf (_("The card signed, but the signature could not be verified: %s"),
                              error->message);
      show_result (self, FALSE, text);
      return;
    }

  text = g_strdup_printf (_("Test signature verified. The card, your PIN and the certificate "
                            "of %s work: the signature (CAdES-BES, SHA-256) matches the test "
                            "text and was made with this certificate."),
                          holder != NULL ? holder : "");
  show_result (self, TRUE, text);
}

/* The operation's steps as the dialog shows them; the PIN rules are its own. */
static void
signing_phase_cb (EimzaCardSigning        *signing,
                  GParamSpec              *pspec,
                  EimzaCertificatesDialog *self)
{
  if (signing != self->signing)
    return;

  switch (eimza_card_signing_get_phase (signing))
    {
    case EIMZA_CARD_SIGNING_PHASE_READING:
      eimza_request_status_begin_for (self->request_status, _("Reading the card’s PIN state…"),
                                      self->cancellable);
      break;

    case EIMZA_CARD_SIGNING_PHASE_ASKING:
      /* The PIN dialog takes over (a locked card never gets here). */
      eimza_request_status_end (self->request_status);
      update_buttons (self);
      break;

    case EIMZA_CARD_SIGNING_PHASE_SIGNING:
      eimza_request_status_begin_for (self->request_status,
                                      eimza_pin_dialog_asker_progress_text (
                                        eimza_card_signing_get_token (signing),
                                        _("Signing the test text…")),
                                      self->cancellable);
      break;

    case EIMZA_CARD_SIGNING_PHASE_NONE:
    default:
      break;
    }
}

static void
signing_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EimzaCertificatesDialog) self = user_data;
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  cms = eimza_card_signing_run_finish (EIMZA_CARD_SIGNING (source), result, &error);
  /* The dialog is gone. */
  if ((gpointer) source != self->signing)
    return;

  signing = g_steal_pointer (&self->signing);
  g_clear_object (&self->cancellable);

  /* The person closed the PIN dialog or pressed Cancel: nothing to say. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (eimza_request_status_is_busy (self->request_status))
        eimza_request_status_end (self->request_status);
      update_buttons (self);
      return;
    }

  /* Never asked, or locked by this try: the "Kilit Çözme" bar. */
  if (g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED))
    {
      eimza_request_status_end (self->request_status);
      show_locked (self);
      update_buttons (self);
      return;
    }

  /* A wrong PIN is not tried again by itself: Try Again reads the card's
   * new PIN state and asks once more. */
  if (cms == NULL)
    {
      eimza_request_status_fail (self->request_status, error, TRUE);
      update_buttons (self);
      return;
    }

  eimza_request_status_end (self->request_status);
  update_buttons (self);
  check_signature (self, cms);
}

/* One card-signing operation: it reads the PIN state right before the
 * PIN dialog shows it, and applies every PIN rule. */
static void
start_test_signature (EimzaCertificatesDialog *self)
{
  g_autoptr(EimzaPinDialogAsker) asker = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *purpose = NULL;
  const char *holder;

  if (self->test_certificate == NULL || self->signing != NULL || self->pin_change != NULL)
    return;

  gtk_widget_hide (self->result_bar);
  gtk_widget_hide (self->locked_bar);

  holder = eimza_certificate_get_subject_cn (self->test_certificate);
  if (self->after_unblock)
    /* TRANSLATORS: %s is the certificate holder's name */
    purpose = g_strdup_printf (_("The card is unlocked. Type the new PIN once more: a short test "
                                 "text will be signed with the certificate of %s, to check the "
                                 "card and the new PIN. Nothing is sent anywhere."),
                               holder != NULL ? holder : "");
  else
    /* TRANSLATORS: %s is the certificate holder's name */
    purpose = g_strdup_printf (_("A short test text will be signed with the certificate of %s, "
                                 "to check the card and your PIN. Nothing is sent anywhere."),
                               holder != NULL ? holder : "");
  self->after_unblock = FALSE;
  asker = eimza_pin_dialog_asker_new (GTK_WINDOW (self), purpose);

  content = test_content ();
  self->cancellable = g_cancellable_new ();
  self->signing = eimza_card_signing_new_cades (self->service, EIMZA_PIN_ASKER (asker),
                                                eimza_certificate_get_uri (self->test_certificate),
                                                eimza_certificate_get_key_uri (
                                                  self->test_certificate),
                                                content, EIMZA_CADES_DETACHED);
  g_signal_connect_object (self->signing, "notify::phase", G_CALLBACK (signing_phase_cb), self,
                           0);
  eimza_card_signing_run_async (self->signing, self->cancellable, signing_done_cb,
                                g_object_ref (self));
  update_buttons (self);
}

static void
pin_change_progress_cb (EimzaPinChange          *pin_change,
                        GParamSpec              *pspec,
                        EimzaCertificatesDialog *self)
{
  const char *text = eimza_pin_change_get_progress_text (pin_change);

  if (pin_change != self->pin_change)
    return;

  if (text != NULL)
    eimza_request_status_begin_for (self->request_status, text, self->cancellable);
  else if (eimza_request_status_is_busy (self->request_status))
    eimza_request_status_end (self->request_status);
  update_buttons (self);
}

static void
pin_change_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EimzaCertificatesDialog) self = user_data;
  g_autoptr(EimzaPinChange) pin_change = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed;

  changed = eimza_pin_change_run_finish (EIMZA_PIN_CHANGE (source), result, &error);
  /* The dialog is gone. */
  if ((gpointer) source != self->pin_change)
    return;

  pin_change = g_steal_pointer (&self->pin_change);
  g_clear_object (&self->cancellable);
  if (eimza_request_status_is_busy (self->request_status))
    eimza_request_status_end (self->request_status);
  update_buttons (self);

  if (eimza_pin_change_get_unblock (pin_change))
    {
      if (changed)
        test_new_pin (self, eimza_pin_change_get_uri (pin_change));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_result (self, FALSE, error->message);
      return;
    }

  if (changed)
    show_result (self, TRUE, _("The PIN was changed. The card now takes the new PIN only: use "
                               "it for every signature from now on."));
  else if (g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED))
    show_locked (self);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_result (self, FALSE, error->message);
}

/* After an unblock the card's test signature, with the new PIN, proves
 * that card and PIN work: the certificate of the key @uri (the unblocked
 * card's), else the first with a key. */
static void
test_new_pin (EimzaCertificatesDialog *self,
              const char              *uri)
{
  g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (self->list_box));
  EimzaCertificate *chosen = NULL;

  for (GList *l = rows; l != NULL; l = l->next)
    {
      EimzaCertificate *certificate = eimza_certificate_row_get_certificate (l->data);
      const char *key_uri = eimza_certificate_get_key_uri (certificate);

      if (key_uri == NULL)
        continue;
      if (chosen == NULL || g_strcmp0 (key_uri, uri) == 0)
        chosen = certificate;
      if (g_strcmp0 (key_uri, uri) == 0)
        break;
    }

  if (chosen == NULL)
    {
      show_result (self, TRUE, _("The card is unlocked and takes the new PIN. Use it for every "
                                 "signature from now on."));
      return;
    }

  g_set_object (&self->test_certificate, chosen);
  self->after_unblock = TRUE;
  start_test_signature (self);
}

/* The card's PIN change (or, @unblock, its unblock with the unblock
 * code), under the same PIN rules as the test signature. */
static void
start_pin_operation (EimzaCertificatesDialog *self,
                     gboolean                 unblock)
{
  if (self->signing != NULL || self->pin_change != NULL)
    return;

  gtk_widget_hide (self->result_bar);
  gtk_widget_hide (self->locked_bar);

  self->pin_change = unblock ? eimza_pin_change_new_for_unblock (self->service, GTK_WINDOW (self))
                             : eimza_pin_change_new (self->service, GTK_WINDOW (self));
  for (guint i = 0; self->birth_dates != NULL && self->birth_dates[i] != NULL; i++)
    eimza_pin_change_add_birth_date (self->pin_change, self->birth_dates[i]);
  g_signal_connect_object (self->pin_change, "notify::progress-text",
                           G_CALLBACK (pin_change_progress_cb), self, 0);

  self->cancellable = g_cancellable_new ();
  eimza_pin_change_run_async (self->pin_change, NULL, self->cancellable, pin_change_done_cb,
                              g_object_ref (self));
  update_buttons (self);
}

static void
start_pin_change (EimzaCertificatesDialog *self)
{
  start_pin_operation (self, FALSE);
}

static void
unlock_dialog_response_cb (GtkDialog               *dialog,
                           int                      response,
                           EimzaCertificatesDialog *self)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
  /* The card's state changed (or not): show it as it is now. */
  reload (self);
}

/* Şifreli Giriş: Kamu SM gives the code, the person types only the new
 * PIN (EimzaCardUnlockDialog). */
static void
start_sifreli_unlock (EimzaCertificatesDialog *self)
{
  if (self->unlock_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->unlock_dialog));
      return;
    }

  self->unlock_dialog = eimza_card_unlock_dialog_new (GTK_WINDOW (self), self->service,
                                                      self->config,
                                                      (const char * const *) self->birth_dates);
  g_signal_connect (self->unlock_dialog, "destroy", G_CALLBACK (gtk_widget_destroyed),
                    &self->unlock_dialog);
  g_signal_connect_object (self->unlock_dialog, "response",
                           G_CALLBACK (unlock_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (self->unlock_dialog));
}

enum {
  RESPONSE_SIFRELI = 1,
  RESPONSE_TYPED = 2,
};

static void
unlock_choice_cb (GtkDialog               *choice,
                  int                      response,
                  EimzaCertificatesDialog *self)
{
  gtk_widget_destroy (GTK_WIDGET (choice));
  if (response == RESPONSE_SIFRELI)
    start_sifreli_unlock (self);
  else if (response == RESPONSE_TYPED)
    start_pin_operation (self, TRUE);
}

/* Two ways to the unblock code: Kamu SM gives it after Şifreli Giriş, or
 * the person has it (the envelope, a kiosk). */
static void
start_pin_unblock (EimzaCertificatesDialog *self)
{
  GtkWidget *choice;

  if (self->signing != NULL || self->pin_change != NULL)
    return;
  if (self->config == NULL)
    {
      start_pin_operation (self, TRUE);
      return;
    }

  choice = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s",
                                   _("How do you want to unlock the card?"));
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (choice), "%s",
    _("Kamu SM can give the card’s unblock code after Şifreli Giriş (your T.C. Kimlik No, "
      "the security word of your application form and an SMS code); then you type only the "
      "new PIN. If you have the unblock code (PUK) from the card’s envelope or a Kamu SM "
      "office, you can type it yourself. This is also how the new card of a renewal gets its "
      "first PIN; its new certificate works only after the old one has expired."));
  gtk_dialog_add_button (GTK_DIALOG (choice), _("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_dialog_add_button (GTK_DIALOG (choice), _("I’ll _Type the PUK Myself"), RESPONSE_TYPED);
  gtk_dialog_add_button (GTK_DIALOG (choice), _("_Get It from Kamu SM (Şifreli Giriş)"),
                         RESPONSE_SIFRELI);
  gtk_dialog_set_default_response (GTK_DIALOG (choice), RESPONSE_SIFRELI);
  g_signal_connect_object (choice, "response", G_CALLBACK (unlock_choice_cb), self, 0);
  gtk_window_present (GTK_WINDOW (choice));
}

void
eimza_certificates_dialog_unblock_pin (EimzaCertificatesDialog *self)
{
  g_return_if_fail (EIMZA_IS_CERTIFICATES_DIALOG (self));

  start_pin_unblock (self);
}

static void
retry_cb (EimzaCertificatesDialog *self)
{
  start_test_signature (self);
}

static void
eimza_certificates_dialog_constructed (GObject *object)
{
  EimzaCertificatesDialog *self = EIMZA_CERTIFICATES_DIALOG (object);
  GtkWidget *header_bar;

  G_OBJECT_CLASS (eimza_certificates_dialog_parent_class)->constructed (object);

  header_bar = gtk_dialog_get_header_bar (GTK_DIALOG (self));
  if (header_bar != NULL)
    {
      gtk_header_bar_pack_start (GTK_HEADER_BAR (header_bar), self->refresh_button);
      gtk_header_bar_pack_end (GTK_HEADER_BAR (header_bar), self->change_pin_button);
    }
}

static void
eimza_certificates_dialog_dispose (GObject *object)
{
  EimzaCertificatesDialog *self = EIMZA_CERTIFICATES_DIALOG (object);

  /* The stack's pages go with the dialog: no updates while they do. */
  g_clear_signal_handler (&self->stack_handler_id, self->stack);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->signing);
  g_clear_object (&self->pin_change);
  g_clear_pointer (&self->birth_dates, g_strfreev);
  if (self->unlock_dialog != NULL)
    gtk_widget_destroy (self->unlock_dialog);
  g_clear_object (&self->config);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  g_clear_object (&self->test_certificate);

  G_OBJECT_CLASS (eimza_certificates_dialog_parent_class)->dispose (object);
}

static void
eimza_certificates_dialog_class_init (EimzaCertificatesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = eimza_certificates_dialog_constructed;
  object_class->dispose = eimza_certificates_dialog_dispose;

  g_type_ensure (EIMZA_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/eimza/Asistan/eimza-certificates-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, locked_bar);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, locked_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, result_bar);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, result_icon);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, result_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, request_status);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, empty_title);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, empty_text);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, list_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, change_pin_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificatesDialog, unlock_button);
  gtk_widget_class_bind_template_callback (widget_class, hide_info_bar_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload);
  gtk_widget_class_bind_template_callback (widget_class, start_pin_change);
  gtk_widget_class_bind_template_callback (widget_class, start_pin_unblock);
}

static void
eimza_certificates_dialog_init (EimzaCertificatesDialog *self)
{
  g_autofree char *unlock = NULL;
  g_autofree char *locked_text = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  eimza_info_bar_name_close_button (GTK_INFO_BAR (self->locked_bar));
  eimza_info_bar_name_close_button (GTK_INFO_BAR (self->result_bar));

  unlock = eimza_control_label_for_text (_("_Unlock…"));
  /* TRANSLATORS: %s is the locked bar's button (“_Unlock…”) */
  locked_text = g_strdup_printf (_("Three wrong PINs were entered, so the card no longer accepts "
                                   "any PIN and cannot sign. No PIN is asked for until it is "
                                   "unlocked: choose “%s”, and the application gets the card’s "
                                   "unblock code from Kamu SM (Şifreli Giriş), or you type the "
                                   "one that came with the card."), unlock);
  gtk_label_set_text (self->locked_label, locked_text);

  /* The PIN change needs a card with certificates in the list. */
  self->stack_handler_id = g_signal_connect_swapped (self->stack, "notify::visible-child",
                                                      G_CALLBACK (update_buttons), self);
}

EimzaCertificatesDialog *
eimza_certificates_dialog_new (GtkWindow        *parent,
                               EimzaCardService *service)
{
  EimzaCertificatesDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);

  self = g_object_new (EIMZA_TYPE_CERTIFICATES_DIALOG,
                       "use-header-bar", TRUE,
                       "transient-for", parent,
                       NULL);
  self->service = g_object_ref (service);

  g_signal_connect_object (service, "notify::state",
                           G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "card-inserted",
                           G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "card-removed",
                           G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);

  reload (self);

  return self;
}

void
eimza_certificates_dialog_set_birth_dates (EimzaCertificatesDialog *self,
                                           const char * const      *birth_dates)
{
  g_return_if_fail (EIMZA_IS_CERTIFICATES_DIALOG (self));

  g_strfreev (self->birth_dates);
  self->birth_dates = g_strdupv ((char **) birth_dates);
}

void
eimza_certificates_dialog_set_config (EimzaCertificatesDialog *self,
                                      EimzaAppConfig          *config)
{
  g_return_if_fail (EIMZA_IS_CERTIFICATES_DIALOG (self));
  g_return_if_fail (config == NULL || EIMZA_IS_APP_CONFIG (config));

  g_set_object (&self->config, config);
}
