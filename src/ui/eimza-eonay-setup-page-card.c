/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-onay page's first step: the card's certificates to log in with, the number filled in. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-certificates.h"
#include "eimza-certificate-choice.h"
#include "eimza-eonay-setup-page-private.h"

EimzaCertificate *
eimza_eonay_setup_page_selected_certificate (EimzaEonaySetupPage *self)
{
  int active = gtk_combo_box_get_active (GTK_COMBO_BOX (self->login_certificate_combo));

  if (self->certificates == NULL || active < 0 || (guint) active >= self->certificates->len)
    return NULL;

  return g_ptr_array_index (self->certificates, active);
}

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
  EimzaCertificate *certificate = eimza_eonay_setup_page_selected_certificate (self);
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

void
eimza_eonay_setup_page_certificate_changed_cb (EimzaEonaySetupPage *self)
{
  EimzaCertificate *certificate = eimza_eonay_setup_page_selected_certificate (self);

  if (certificate != NULL)
    {
      g_free (self->chosen_uri);
      self->chosen_uri = g_strdup (eimza_certificate_get_uri (certificate));
      prefill_tckn (self);
    }

  eimza_eonay_setup_page_set_tckn_error (self, NULL);
  eimza_eonay_setup_page_update_buttons (self);
}

void
eimza_eonay_setup_page_tckn_changed_cb (EimzaEonaySetupPage *self)
{
  eimza_eonay_setup_page_set_tckn_error (self, NULL);
  eimza_eonay_setup_page_update_buttons (self);
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
  g_signal_handlers_block_by_func (self->login_certificate_combo,
                                   eimza_eonay_setup_page_certificate_changed_cb, self);
  active = eimza_certificate_choice_fill (self->login_certificate_combo, self->certificates,
                                          describe_certificate, self->chosen_uri);
  g_signal_handlers_unblock_by_func (self->login_certificate_combo,
                                     eimza_eonay_setup_page_certificate_changed_cb, self);

  if (self->certificates->len == 0)
    show_card_notice (self, _("No e-signature certificate on the card"),
                      _("The card was read, but it holds no certificate with a T.C. Kimlik No "
                        "to log in with. Insert your e-signature card; if it is in, "
                        "Diagnostics, in the card menu, tells more."));
  else
    show_card_notice (self, NULL, NULL);

  gtk_combo_box_set_active (GTK_COMBO_BOX (self->login_certificate_combo), active);
  eimza_eonay_setup_page_update_buttons (self);
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
  g_signal_handlers_block_by_func (self->login_certificate_combo,
                                   eimza_eonay_setup_page_certificate_changed_cb, self);
  gtk_combo_box_text_remove_all (self->login_certificate_combo);
  g_signal_handlers_unblock_by_func (self->login_certificate_combo,
                                     eimza_eonay_setup_page_certificate_changed_cb, self);
  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  eimza_eonay_setup_page_update_buttons (self);
}

void
eimza_eonay_setup_page_reload_certificates (EimzaEonaySetupPage *self)
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
  eimza_eonay_setup_page_reload_certificates (self);

  return G_SOURCE_REMOVE;
}

void
eimza_eonay_setup_page_service_changed_cb (EimzaEonaySetupPage *self)
{
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

