/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the header bar's card status says: the card service's state, the card and its certificates. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-certificates.h"
#include "eimza-card-status.h"
#include "eimza-control-label.h"
#include "eimza-expiry-recorder.h"
#include "eimza-pin-tries.h"
#include "eimza-pkcs11.h"

struct _EimzaCardStatus
{
  GObject parent_instance;

  /* The button owns this controller and drops it in its dispose. */
  EimzaCardStatusButton *button;
  EimzaCardService *service;

  /* The certificate count of the card in the reader: asked for again on
   * every change, the older request cancelled. */
  GCancellable *cancellable;
  guint refresh_idle_id;
  gboolean counting;
  gboolean counted;
  guint n_certificates;
  char *count_error;
  /* The card's token as read without a login after the count (its PIN
   * state), and the key it was read by, to read it again when the popover
   * opens (after a PIN try). */
  EimzaPkcs11Token *token;
  char *key_uri;
  GCancellable *token_cancellable;
  /* Not in the demo: its card's certificates are nobody's. */
  gboolean remember_expiry;
};

G_DEFINE_FINAL_TYPE (EimzaCardStatus, eimza_card_status, G_TYPE_OBJECT)

/* The first reader with a card in it, or NULL. */
static EimzaCardReaderInfo *
find_card_reader (EimzaCardService *service)
{
  GPtrArray *readers = eimza_card_service_get_readers (service);

  for (guint i = 0; i < readers->len; i++)
    {
      EimzaCardReaderInfo *info = g_ptr_array_index (readers, i);

      if (eimza_card_reader_info_has_card (info))
        return info;
    }

  return NULL;
}

static const char *
first_reader_name (EimzaCardService *service)
{
  GPtrArray *readers = eimza_card_service_get_readers (service);

  return readers->len > 0
         ? eimza_card_reader_info_get_name (g_ptr_array_index (readers, 0)) : "";
}

static gboolean
pin_locked (EimzaCardStatus *self)
{
  return self->token != NULL &&
         (eimza_pkcs11_token_get_flags (self->token) & EIMZA_PKCS11_TOKEN_PIN_LOCKED);
}

/* The unblock entry stands out for a locked PIN or a card with no PIN yet. */
static gboolean
unblock_needed (EimzaCardStatus *self)
{
  return self->token != NULL &&
         (eimza_pkcs11_token_get_flags (self->token) &
          (EIMZA_PKCS11_TOKEN_PIN_LOCKED | EIMZA_PKCS11_TOKEN_PIN_INITIALIZED)) !=
         EIMZA_PKCS11_TOKEN_PIN_INITIALIZED;
}

/* @text followed by the tries left as a number (the unblock code's when
 * the PIN is locked), or @text alone before the token was read. */
static char *
with_tries (EimzaCardStatus *self,
            char            *text)
{
  g_autofree char *owned = text;
  g_autofree char *tries = NULL;

  if (self->token == NULL)
    return g_steal_pointer (&owned);

  tries = eimza_pin_tries_describe_token (eimza_pin_tries_get_default (), self->token,
                                          pin_locked (self) ? EIMZA_PIN_TRIES_UNBLOCK
                                                            : EIMZA_PIN_TRIES_PIN);
  /* TRANSLATORS: the card popover's text, then the tries left (a sentence) */
  return g_strdup_printf (_("%s %s"), owned, tries);
}

static void
show (EimzaCardStatus *self,
      const char      *icon_name,
      const char      *label,
      const char      *title,
      const char      *text)
{
  eimza_card_status_button_show (self->button, icon_name, label, title, text);
}

static void
show_card (EimzaCardStatus *self,
           EimzaCardReaderInfo   *reader)
{
  const char *card_type = eimza_card_reader_info_get_card_type (reader);
  const char *reader_name = eimza_card_reader_info_get_name (reader);
  g_autofree char *label = NULL;
  g_autofree char *title = NULL;
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;
  const char *icon_name = "auth-smartcard-symbolic";

  if (card_type == NULL)
    card_type = _("Unknown card");

  /* TRANSLATORS: the popover's title; %s is the card type, e.g. "AKİS (2020+)" */
  title = g_strdup_printf (_("%s in the reader"), card_type);
  if (eimza_card_reader_info_get_card_type (reader) != NULL)
    /* TRANSLATORS: %s is the card reader's name */
    where = g_strdup_printf (_("Your card is in the reader “%s”."), reader_name);
  else
    where = g_strdup_printf (_("A card the application does not recognise is in the reader “%s”. "
                               "If it is your e-signature card, open Diagnostics."),
                             reader_name);

  if (self->count_error != NULL)
    {
      /* TRANSLATORS: the header bar's card status, e.g. "AKİS (2020+) · certificates unreadable" */
      label = g_strdup_printf (_("%s · certificates unreadable"), card_type);
      text = g_strdup_printf (_("%s The certificates could not be read: %s"), where,
                              self->count_error);
      icon_name = "dialog-warning-symbolic";
    }
  else if (!self->counted)
    {
      /* TRANSLATORS: the header bar's card status while the certificates are counted */
      label = g_strdup_printf (_("%s · …"), card_type);
      text = g_strdup_printf (_("%s Reading its certificates…"), where);
    }
  else if (self->n_certificates == 0)
    {
      label = g_strdup_printf (_("%s · no certificates"), card_type);
      text = g_strdup_printf (_("%s No certificates were found on it. The card software "
                                "(Kamu SM’s libakisp11.so) may be missing: open Diagnostics."),
                              where);
      icon_name = "dialog-warning-symbolic";
    }
  else
    {
      /* TRANSLATORS: the header bar's card status: card type · number of certificates */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u certificate",
                                            "%s · %u certificates", self->n_certificates),
                               card_type, self->n_certificates);
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s It holds %u certificate. Open Certificates to see "
                                           "it, or to try your PIN with a test signature.",
                                           "%s It holds %u certificates. Open Certificates to "
                                           "see them, or to try your PIN with a test signature.",
                                           self->n_certificates),
                              where, self->n_certificates);
    }

  if (pin_locked (self) && self->count_error == NULL)
    {
      g_autofree char *locked = text;
      g_autofree char *unlock = eimza_control_label_for_text (_("Set PIN / _Unlock…"));

      /* TRANSLATORS: the first %s says where the card is and what it holds,
       * the second is the popover's button (“Set PIN / _Unlock…”) */
      text = g_strdup_printf (_("%s Its PIN is locked after three wrong PINs. Choose “%s”: "
                                "the application gets the card’s unblock code from Kamu SM "
                                "(Şifreli Giriş), or you type the one that came with the "
                                "card."),
                              locked, unlock);
      icon_name = "dialog-warning-symbolic";
    }

  if (self->count_error == NULL)
    text = with_tries (self, text);
  show (self, icon_name, label, title, text);
}

static void
show_demo_card (EimzaCardStatus *self)
{
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;

  /* TRANSLATORS: the header bar's card status in the demo */
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Virtual card · %u certificate",
                                        "Virtual card · %u certificates", self->n_certificates),
                           self->n_certificates);
  if (pin_locked (self))
    {
      g_autofree char *unlock = eimza_control_label_for_text (_("Set PIN / _Unlock…"));

      /* TRANSLATORS: %s is the popover's button (“Set PIN / _Unlock…”) */
      text = g_strdup_printf (_("The demo’s virtual card is locked after three wrong PINs, as "
                                "a real card would be. Choose “%s”, then get the unblock code "
                                "from the demo’s Kamu SM or type the one the Demo badge shows."),
                              unlock);
    }
  else
    text = g_strdup (_("The demo uses a virtual card instead of one in a card reader; the Demo "
                       "badge says its PIN. Open Certificates to see its certificates, or to try "
                       "the PIN with a test signature."));
  text = with_tries (self, g_steal_pointer (&text));
  show (self, pin_locked (self) ? "dialog-warning-symbolic" : "auth-smartcard-symbolic", label,
        _("The demo’s virtual card"), text);
}

static void
update_view (EimzaCardStatus *self)
{
  EimzaCardReaderInfo *reader;
  g_autofree char *text = NULL;

  if (self->service == NULL)
    {
      show (self, "content-loading-symbolic", _("Checking the card reader…"),
            _("Looking for the card reader"), _("The card service is starting."));
      return;
    }

  /* In the demo the virtual card is the card, also when a real one is in
   * a reader: the demo never uses that one (eimza_pkcs11_set_only_module()). */
  if (self->counted && self->n_certificates > 0 && self->count_error == NULL &&
      eimza_card_service_get_virtual_card (self->service))
    {
      show_demo_card (self);
      return;
    }

  switch (eimza_card_service_get_state (self->service))
    {
    case EIMZA_CARD_SERVICE_STATE_STARTING:
      show (self, "content-loading-symbolic", _("Checking the card reader…"),
            _("Looking for the card reader"), _("The card service is starting."));
      return;

    case EIMZA_CARD_SERVICE_STATE_NO_SERVICE:
      show (self, "dialog-warning-symbolic", _("Card service not running"),
            _("The smart card service is not running"),
            _("pcscd, the system service that talks to card readers, is not running, so no "
              "reader can be seen. Install and start the pcscd package (sudo apt install "
              "pcscd). The application notices as soon as it runs."));
      return;

    case EIMZA_CARD_SERVICE_STATE_NO_READER:
      show (self, "dialog-warning-symbolic", _("No card reader"),
            _("No card reader found"),
            _("Plug in your card reader. If it is plugged in, its driver may be missing: "
              "install the package libccid, then unplug the reader and plug it in again."));
      return;

    case EIMZA_CARD_SERVICE_STATE_READY:
    default:
      break;
    }

  reader = find_card_reader (self->service);
  if (reader == NULL)
    {
      /* TRANSLATORS: %s is the card reader's name */
      text = g_strdup_printf (_("The card reader “%s” is ready. Insert your e-signature card, "
                                "chip first."),
                              first_reader_name (self->service));
      show (self, "auth-smartcard-symbolic", _("No card inserted"), _("No card in the reader"),
            text);
      return;
    }

  show_card (self, reader);
}

static void
lookup_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EimzaCardStatus *self;
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(GError) error = NULL;

  token = eimza_pkcs11_lookup_token_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_CARD_STATUS (user_data);
  g_clear_pointer (&self->token, eimza_pkcs11_token_unref);
  self->token = g_steal_pointer (&token);
  eimza_card_status_button_set_unblock_offered (self->button, unblock_needed (self));
  update_view (self);
}

/* The token's PIN state, read without a login (nothing is spent), a newer
 * read replacing an older one. */
static void
read_token (EimzaCardStatus *self)
{
  if (self->key_uri == NULL || self->service == NULL)
    return;

  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  self->token_cancellable = g_cancellable_new ();
  eimza_pkcs11_lookup_token_async (self->service, self->key_uri, self->token_cancellable,
                                   lookup_token_cb, self);
}

/* The popover opens: the tries may have changed since (a PIN was tried). */
static void
button_toggled_cb (EimzaCardStatus *self)
{
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->button)) && self->counted)
    read_token (self);
}

static void
count_certificates_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  EimzaCardStatus *self;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = eimza_card_certificates_list_finish (EIMZA_CARD_SERVICE (source), result, &error);
  /* Cancelled: a newer request runs, or the button is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_CARD_STATUS (user_data);
  self->counting = FALSE;
  self->counted = TRUE;
  self->n_certificates = certificates != NULL ? certificates->len : 0;
  g_clear_pointer (&self->count_error, g_free);
  if (error != NULL)
    self->count_error = g_strdup (error->message);

  /* Every card seen: its signing certificates' expiry, for the reminders. */
  if (certificates != NULL && self->remember_expiry)
    eimza_expiry_recorder_record (certificates);

  /* The card's PIN state, read without a login, for the locked card's
   * advice (the first key's token: the card's PIN). */
  for (guint i = 0; certificates != NULL && i < certificates->len; i++)
    {
      const char *key_uri = eimza_certificate_get_key_uri (g_ptr_array_index (certificates, i));

      if (key_uri != NULL)
        {
          g_free (self->key_uri);
          self->key_uri = g_strdup (key_uri);
          read_token (self);
          break;
        }
    }

  update_view (self);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  EimzaCardStatus *self = user_data;

  self->refresh_idle_id = 0;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->counting = FALSE;
  self->counted = FALSE;
  self->n_certificates = 0;
  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  g_clear_pointer (&self->token, eimza_pkcs11_token_unref);
  g_clear_pointer (&self->key_uri, g_free);
  if (self->button != NULL)
    eimza_card_status_button_set_unblock_offered (self->button, FALSE);
  g_clear_pointer (&self->count_error, g_free);

  /* In the demo also without a card in a reader: the virtual card is not
   * in one (see show_demo_card()). */
  if (self->service != NULL &&
      (eimza_card_service_get_virtual_card (self->service)
         ? eimza_card_service_get_state (self->service) != EIMZA_CARD_SERVICE_STATE_STARTING
         : eimza_card_service_get_state (self->service) == EIMZA_CARD_SERVICE_STATE_READY &&
           find_card_reader (self->service) != NULL))
    {
      self->cancellable = g_cancellable_new ();
      self->counting = TRUE;
      eimza_card_certificates_list_async (self->service, self->cancellable,
                                          count_certificates_cb, self);
    }

  update_view (self);

  return G_SOURCE_REMOVE;
}

/* The service reports a change in one batch of notifications and signals;
 * the view is updated at once, the count once per batch. */
static void
service_changed_cb (EimzaCardStatus *self)
{
  update_view (self);

  if (self->refresh_idle_id == 0)
    self->refresh_idle_id = g_idle_add (refresh_idle_cb, self);
}

static void
eimza_card_status_dispose (GObject *object)
{
  EimzaCardStatus *self = EIMZA_CARD_STATUS (object);

  g_clear_handle_id (&self->refresh_idle_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  g_clear_pointer (&self->token, eimza_pkcs11_token_unref);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  self->button = NULL;

  G_OBJECT_CLASS (eimza_card_status_parent_class)->dispose (object);
}

static void
eimza_card_status_finalize (GObject *object)
{
  EimzaCardStatus *self = EIMZA_CARD_STATUS (object);

  g_free (self->count_error);
  g_free (self->key_uri);

  G_OBJECT_CLASS (eimza_card_status_parent_class)->finalize (object);
}

static void
eimza_card_status_class_init (EimzaCardStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_card_status_dispose;
  object_class->finalize = eimza_card_status_finalize;
}

static void
eimza_card_status_init (EimzaCardStatus *self)
{
}

void
eimza_card_status_follow (EimzaCardStatusButton *button,
                          EimzaCardService      *service,
                          gboolean               remember_expiry)
{
  g_autoptr(EimzaCardStatus) self = NULL;

  g_return_if_fail (EIMZA_IS_CARD_STATUS_BUTTON (button));
  g_return_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service));

  self = g_object_new (EIMZA_TYPE_CARD_STATUS, NULL);
  self->button = button;
  self->remember_expiry = remember_expiry;
  self->service = service != NULL ? g_object_ref (service) : NULL;

  if (service != NULL)
    {
      g_signal_connect_object (service, "notify::state",
                               G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "notify::readers",
                               G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "card-inserted",
                               G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "card-removed",
                               G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
    }

  g_signal_connect_object (button, "toggled", G_CALLBACK (button_toggled_cb), self,
                           G_CONNECT_SWAPPED);

  /* The button keeps the controller; a new one replaces the old. */
  eimza_card_status_button_set_controller (button, G_OBJECT (self));
  service_changed_cb (self);
}
