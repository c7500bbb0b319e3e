/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A new card PIN for people (a change, or an unblock with the PUK): find the card, its dialog, one card-signing operation. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-certificates.h"
#include "eimza-card-signing.h"
#include "eimza-new-pin.h"
#include "eimza-pin-change.h"
#include "eimza-pin-dialog-asker.h"
#include "eimza-validation.h"

struct _EimzaPinChange
{
  GObject parent_instance;

  EimzaCardService *service;
  GtkWindow *parent;                 /* weak */
  GArray *birth_dates;               /* GDate */
  gboolean unblock;                  /* with the unblock code, not the current PIN */
  char *uri;                         /* the card's key, once found */
  EimzaCardSigning *signing;
  const char *progress_text;
  gboolean started;
};

G_DEFINE_FINAL_TYPE (EimzaPinChange, eimza_pin_change, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROGRESS_TEXT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
set_progress_text (EimzaPinChange *self,
                   const char     *text)
{
  if (g_strcmp0 (self->progress_text, text) == 0)
    return;

  self->progress_text = text;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROGRESS_TEXT]);
}

/* The operation's steps as words; the PIN rules are its own. */
static void
phase_cb (EimzaCardSigning *signing,
          GParamSpec       *pspec,
          EimzaPinChange   *self)
{
  switch (eimza_card_signing_get_phase (signing))
    {
    case EIMZA_CARD_SIGNING_PHASE_READING:
      set_progress_text (self, _("Reading the card’s PIN state…"));
      break;

    case EIMZA_CARD_SIGNING_PHASE_SIGNING:
      set_progress_text (self,
                         eimza_card_signing_get_token (signing) != NULL &&
                         (eimza_pkcs11_token_get_flags (eimza_card_signing_get_token (signing)) &
                          EIMZA_PKCS11_TOKEN_PINPAD)
                         ? (self->unblock
                            ? _("Enter the unblock code, then the new PIN twice, on the card "
                                "reader’s keypad…")
                            : _("Enter the current PIN, then the new PIN twice, on the card "
                                "reader’s keypad…"))
                         : (self->unblock ? _("Unlocking the card and setting the new PIN…")
                                          : _("Changing the PIN on the card…")));
      break;

    case EIMZA_CARD_SIGNING_PHASE_ASKING:
    case EIMZA_CARD_SIGNING_PHASE_NONE:
    default:
      set_progress_text (self, NULL);
      break;
    }
}

static void
signing_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaPinChange *self = g_task_get_source_object (task);
  g_autoptr(GBytes) answer = NULL;
  GError *error = NULL;

  answer = eimza_card_signing_run_finish (EIMZA_CARD_SIGNING (source), result, &error);
  set_progress_text (self, NULL);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
start_signing (GTask      *task,
               const char *uri)
{
  EimzaPinChange *self = g_task_get_source_object (task);
  g_autoptr(EimzaPinDialogAsker) asker = NULL;

  g_free (self->uri);
  self->uri = g_strdup (uri);
  if (self->unblock)
    {
      asker = eimza_pin_dialog_asker_new (
        self->parent,
        _("Type the card’s unblock code (PUK), then a new PIN twice: this unlocks a card "
          "locked by wrong PINs, or sets the first PIN of a new card. The code came with the "
          "card (its PIN envelope) or from Kamu SM; without it, choose Unlock again and get it "
          "from Kamu SM (Şifreli Giriş). If this is the new card of a renewal, its new "
          "certificate works only after the old one expires."));
      self->signing = eimza_card_signing_new_pin_unblock (self->service, EIMZA_PIN_ASKER (asker),
                                                          uri);
    }
  else
    {
      asker = eimza_pin_dialog_asker_new (self->parent,
                                          _("Type the card’s current PIN, then the new PIN "
                                            "twice. The new PIN is used for every signature "
                                            "from now on."));
      self->signing = eimza_card_signing_new_pin_change (self->service, EIMZA_PIN_ASKER (asker),
                                                         uri);
    }
  for (guint i = 0; i < self->birth_dates->len; i++)
    eimza_card_signing_add_birth_date (self->signing, &g_array_index (self->birth_dates, GDate, i));
  g_signal_connect_object (self->signing, "notify::phase", G_CALLBACK (phase_cb), self, 0);
  eimza_card_signing_run_async (self->signing, g_task_get_cancellable (task), signing_done_cb,
                                task);
}

static void
list_certificates_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) certificates = NULL;
  GError *error = NULL;

  certificates = eimza_card_certificates_list_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (certificates == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Signing certificates come first: their key is the card's PIN's. */
  for (guint i = 0; i < certificates->len; i++)
    {
      const char *key_uri = eimza_certificate_get_key_uri (g_ptr_array_index (certificates, i));

      if (key_uri != NULL)
        {
          start_signing (g_steal_pointer (&task), key_uri);
          return;
        }
    }

  g_task_return_new_error (task, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NOT_FOUND,
                           _("No e-signature card with a key was found in the card reader. "
                             "Insert your card, chip first, and try again."));
}

void
eimza_pin_change_run_async (EimzaPinChange      *self,
                            const char          *uri,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (EIMZA_IS_PIN_CHANGE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_pin_change_run_async);

  if (uri != NULL)
    {
      start_signing (g_steal_pointer (&task), uri);
      return;
    }

  if (!eimza_card_service_check_ready (self->service, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_progress_text (self, _("Looking for the card…"));
  eimza_card_certificates_list_async (self->service, cancellable, list_certificates_cb,
                                      g_steal_pointer (&task));
}

gboolean
eimza_pin_change_run_finish (EimzaPinChange  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_PIN_CHANGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  set_progress_text (self, NULL);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
eimza_pin_change_get_progress_text (EimzaPinChange *self)
{
  g_return_val_if_fail (EIMZA_IS_PIN_CHANGE (self), NULL);

  return self->progress_text;
}

void
eimza_pin_change_add_birth_date (EimzaPinChange *self,
                                 const char     *birth_date)
{
  GDate date;

  g_return_if_fail (EIMZA_IS_PIN_CHANGE (self));
  g_return_if_fail (!self->started);

  g_date_clear (&date, 1);
  if (birth_date != NULL && eimza_birth_date_parse (birth_date, NULL, &date, NULL))
    g_array_append_val (self->birth_dates, date);
}

const char *
eimza_pin_change_get_uri (EimzaPinChange *self)
{
  g_return_val_if_fail (EIMZA_IS_PIN_CHANGE (self), NULL);

  return self->uri;
}

gboolean
eimza_pin_change_get_unblock (EimzaPinChange *self)
{
  g_return_val_if_fail (EIMZA_IS_PIN_CHANGE (self), FALSE);

  return self->unblock;
}

void
eimza_pin_change_show_outcome (GtkWindow    *parent,
                               gboolean      unblock,
                               gboolean      changed,
                               const GError *error)
{
  GtkWidget *dialog;

  if (!changed && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (unblock)
    {
      dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       changed ? GTK_MESSAGE_INFO : GTK_MESSAGE_ERROR,
                                       GTK_BUTTONS_OK, "%s",
                                       changed ? _("The card is unlocked")
                                               : _("The card was not unlocked"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                                changed
                                                ? _("The card takes the new PIN. Use it for "
                                                    "every signature from now on; a test "
                                                    "signature in Certificates checks it.")
                                                : error != NULL ? error->message : "");
    }
  else if (changed)
    {
      dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_INFO, GTK_BUTTONS_OK, "%s",
                                       _("The PIN was changed"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                                _("The card now takes the new PIN only. Use it "
                                                  "for every signature from now on."));
    }
  else
    {
      dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_ERROR, GTK_BUTTONS_OK, "%s",
                                       _("The PIN was not changed"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                                error != NULL ? error->message : "");
    }

  gtk_window_set_title (GTK_WINDOW (dialog), unblock ? _("Unlock the Card")
                                                     : _("Change the Card PIN"));
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
eimza_pin_change_dispose (GObject *object)
{
  EimzaPinChange *self = EIMZA_PIN_CHANGE (object);

  g_clear_weak_pointer (&self->parent);
  g_clear_object (&self->signing);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (eimza_pin_change_parent_class)->dispose (object);
}

static void
eimza_pin_change_finalize (GObject *object)
{
  EimzaPinChange *self = EIMZA_PIN_CHANGE (object);

  g_array_unref (self->birth_dates);
  g_free (self->uri);

  G_OBJECT_CLASS (eimza_pin_change_parent_class)->finalize (object);
}

static void
eimza_pin_change_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EimzaPinChange *self = EIMZA_PIN_CHANGE (object);

  switch (prop_id)
    {
    case PROP_PROGRESS_TEXT:
      g_value_set_string (value, self->progress_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_pin_change_class_init (EimzaPinChangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_pin_change_dispose;
  object_class->finalize = eimza_pin_change_finalize;
  object_class->get_property = eimza_pin_change_get_property;

  /**
   * EimzaPinChange:progress-text:
   *
   * What the card does now, for a progress line (%NULL: nothing to show).
   */
  props[PROP_PROGRESS_TEXT] =
    g_param_spec_string ("progress-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
eimza_pin_change_init (EimzaPinChange *self)
{
  self->birth_dates = g_array_new (FALSE, FALSE, sizeof (GDate));
}

EimzaPinChange *
eimza_pin_change_new (EimzaCardService *service,
                      GtkWindow        *parent)
{
  EimzaPinChange *self;

  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (EIMZA_TYPE_PIN_CHANGE, NULL);
  self->service = g_object_ref (service);
  g_set_weak_pointer (&self->parent, parent);

  return self;
}

EimzaPinChange *
eimza_pin_change_new_for_unblock (EimzaCardService *service,
                                  GtkWindow        *parent)
{
  EimzaPinChange *self = eimza_pin_change_new (service, parent);

  self->unblock = TRUE;
  return self;
}
