/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Asks for the card's PIN once, showing how many tries the card has left. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-control-label.h"
#include "eimza-pin-dialog.h"
#include "eimza-pin-tries.h"

/* What a PIN must at least have when the token declares no limit. */
#define FALLBACK_MIN_PIN_LENGTH 4

struct _EimzaPinDialog
{
  GtkDialog parent_instance;

  EimzaPkcs11TokenFlags flags;
  guint min_length;
  guint max_length;
  /* The PIN from the entry once the person chose Sign, until stolen. */
  EimzaSecret *pin;
  gboolean final_try_confirmed;
  /* A PIN change (eimza_pin_dialog_new_for_change()): its rules, and the
   * new PIN once the rules accepted it, until stolen. */
  gboolean change;
  EimzaNewPinRules rules;
  EimzaSecret *new_pin;
  /* An unblock (eimza_pin_dialog_new_for_unblock()): a change whose first
   * entry is the unblock code, and whose tries are the code's. */
  gboolean unblock;
  /* ...whose code Kamu SM handed over: it is not typed here. */
  gboolean code_known;

  /* template */
  GtkLabel *purpose_label;
  GtkLabel *token_label;
  GtkWidget *final_try_box;
  GtkLabel *final_try_title;
  GtkLabel *final_try_text;
  GtkToggleButton *confirm_check;
  GtkLabel *tries_label;
  GtkLabel *state_label;
  GtkWidget *entry_box;
  GtkEntry *pin_entry;
  GtkWidget *pinpad_box;
  GtkWidget *sign_button;
  GtkLabel *pin_title;
  AtkObject *pin_entry_accessible;
  GtkWidget *new_pin_box;
  GtkEntry *new_pin_entry;
  GtkEntry *repeat_entry;
  GtkLabel *rules_label;
  GtkLabel *new_pin_error_label;
  GtkLabel *pinpad_label;
};

G_DEFINE_FINAL_TYPE (EimzaPinDialog, eimza_pin_dialog, GTK_TYPE_DIALOG)

static gboolean
is_pinpad (EimzaPinDialog *self)
{
  return (self->flags & EIMZA_PKCS11_TOKEN_PINPAD) != 0;
}

/* What to do on a reader with a keypad, naming the dialog's own button by
 * its label (which depends on what the dialog is for). */
static void
update_pinpad_text (EimzaPinDialog *self)
{
  g_autofree char *button = eimza_control_label_for_text (
      gtk_button_get_label (GTK_BUTTON (self->sign_button)));
  g_autofree char *text = NULL;

  /* TRANSLATORS: %s is the label of the dialog's button (“Change PIN”,
   * “Unlock and Set PIN”, “Sign”) */
  if (self->unblock)
    text = g_strdup_printf (_("Enter the unblock code, then the new PIN twice, on the card "
                              "reader’s keypad. The reader asks for them after you choose "
                              "“%s”."), button);
  else if (self->change)
    text = g_strdup_printf (_("Enter the current PIN, then the new PIN twice, on the card "
                              "reader’s keypad. The reader asks for them after you choose "
                              "“%s”."), button);
  else
    text = g_strdup_printf (_("Enter the PIN on the card reader’s keypad. The reader asks for "
                              "it after you choose “%s”."), button);
  gtk_label_set_text (self->pinpad_label, text);
}

static gboolean
is_final_try (EimzaPinDialog *self)
{
  return (self->flags & (self->unblock ? EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY
                                       : EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY)) != 0;
}

static gboolean
is_count_low (EimzaPinDialog *self)
{
  return (self->flags & (self->unblock ? EIMZA_PKCS11_TOKEN_SO_PIN_COUNT_LOW
                                       : EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW)) != 0;
}

static gboolean
length_fits (guint length,
             guint min_length,
             guint max_length)
{
  return length >= min_length && (max_length == 0 || length <= max_length);
}

static void
update_sign_button (EimzaPinDialog *self)
{
  gboolean ready = TRUE;

  if (!is_pinpad (self))
    {
      ready = self->code_known ||
              length_fits (gtk_entry_get_text_length (self->pin_entry), self->min_length,
                           self->max_length);

      /* The rest of the rules are told when the person goes on. */
      if (self->change)
        ready = ready &&
                length_fits (gtk_entry_get_text_length (self->new_pin_entry),
                             self->rules.min_length, self->rules.max_length) &&
                gtk_entry_get_text_length (self->repeat_entry) > 0;
    }

  /* The last try is spent only with the person's explicit consent. */
  if (is_final_try (self) && !gtk_toggle_button_get_active (self->confirm_check))
    ready = FALSE;

  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK, ready);
}

static void
new_pin_changed_cb (EimzaPinDialog *self)
{
  /* The refusal is about what was typed before. */
  gtk_widget_hide (GTK_WIDGET (self->new_pin_error_label));
  update_sign_button (self);
}

/* Overwrites what @entry holds, then empties it. GTK's default entry
 * buffer also clears memory it gives up, but this does not rely on it. */
static void
wipe_one_entry (GtkEntry *entry)
{
  GtkEntryBuffer *buffer = gtk_entry_get_buffer (entry);
  guint n_chars = gtk_entry_buffer_get_length (buffer);

  if (n_chars > 0)
    {
      g_autofree char *filler = g_strnfill (gtk_entry_buffer_get_bytes (buffer), '0');

      gtk_entry_buffer_set_text (buffer, filler, -1);
    }

  gtk_entry_set_text (entry, "");
}

static void
wipe_entry (EimzaPinDialog *self)
{
  wipe_one_entry (self->pin_entry);
  wipe_one_entry (self->new_pin_entry);
  wipe_one_entry (self->repeat_entry);
}

static EimzaSecret *
secret_from_entry (GtkEntry *entry)
{
  GtkEntryBuffer *buffer = gtk_entry_get_buffer (entry);

  return eimza_secret_new (gtk_entry_buffer_get_text (buffer),
                           gtk_entry_buffer_get_bytes (buffer));
}

/* A PIN change: the new PIN by the card's rules (the same check the
 * card-signing operation makes again). FALSE, with the reason shown and
 * the new PIN to type again, when it breaks one. */
static gboolean
accept_new_pin (EimzaPinDialog *self)
{
  GtkEntryBuffer *new_buffer = gtk_entry_get_buffer (self->new_pin_entry);
  GtkEntryBuffer *repeat_buffer = gtk_entry_get_buffer (self->repeat_entry);
  GtkEntryBuffer *current_buffer = gtk_entry_get_buffer (self->pin_entry);
  g_autoptr(GError) error = NULL;

  if (eimza_new_pin_check (&self->rules,
                           gtk_entry_buffer_get_text (new_buffer),
                           gtk_entry_buffer_get_bytes (new_buffer),
                           gtk_entry_buffer_get_text (repeat_buffer),
                           gtk_entry_buffer_get_bytes (repeat_buffer),
                           /* An unblock code is no PIN: not compared. */
                           self->unblock ? NULL : gtk_entry_buffer_get_text (current_buffer),
                           self->unblock ? 0 : gtk_entry_buffer_get_bytes (current_buffer),
                           &error))
    return TRUE;

  /* Both new entries again; the current PIN stays as typed. */
  wipe_one_entry (self->new_pin_entry);
  wipe_one_entry (self->repeat_entry);
  gtk_label_set_text (self->new_pin_error_label, error->message);
  gtk_widget_show (GTK_WIDGET (self->new_pin_error_label));
  gtk_widget_grab_focus (GTK_WIDGET (self->new_pin_entry));
  return FALSE;
}

/* Connected first, so it runs before the owner's response handler: the PIN
 * moves from the entry into a secure buffer and the entry is wiped. */
static void
own_response_cb (EimzaPinDialog *self,
                 int             response)
{
  if (response == GTK_RESPONSE_OK && self->change && !is_pinpad (self) &&
      !accept_new_pin (self))
    {
      /* The dialog stays open; nobody else hears of this response. */
      g_signal_stop_emission_by_name (self, "response");
      return;
    }

  if (response == GTK_RESPONSE_OK)
    {
      self->final_try_confirmed = is_final_try (self) &&
                                  gtk_toggle_button_get_active (self->confirm_check);

      if (!is_pinpad (self))
        {
          g_clear_pointer (&self->pin, eimza_secret_unref);
          self->pin = secret_from_entry (self->pin_entry);
          if (self->change)
            {
              g_clear_pointer (&self->new_pin, eimza_secret_unref);
              self->new_pin = secret_from_entry (self->new_pin_entry);
            }
        }
    }

  wipe_entry (self);
}

static void
set_token (EimzaPinDialog   *self,
           EimzaPkcs11Token *token)
{
  EimzaPinTriesKind kind = self->unblock ? EIMZA_PIN_TRIES_UNBLOCK : EIMZA_PIN_TRIES_PIN;
  g_autofree char *token_text = NULL;
  g_autofree char *tries_text = NULL;
  EimzaPinTriesLeft tries;
  const char *state = NULL;

  self->flags = eimza_pkcs11_token_get_flags (token);
  /* The token's lengths are its PIN's, not its unblock code's. */
  self->min_length = self->unblock ? 0 : eimza_pkcs11_token_get_min_pin_length (token);
  self->max_length = self->unblock ? 0 : eimza_pkcs11_token_get_max_pin_length (token);
  if (self->min_length == 0)
    self->min_length = FALLBACK_MIN_PIN_LENGTH;
  if (self->max_length != 0 && self->max_length < self->min_length)
    self->max_length = 0;
  if (self->max_length > 0)
    gtk_entry_set_max_length (self->pin_entry, (int) self->max_length);
  if (self->change && self->rules.max_length > 0)
    {
      gtk_entry_set_max_length (self->new_pin_entry, (int) self->rules.max_length);
      gtk_entry_set_max_length (self->repeat_entry, (int) self->rules.max_length);
    }

  /* TRANSLATORS: %s is the card's (token's) label, e.g. "AKIS_1A2B3C" */
  token_text = g_strdup_printf (_("Card: %s"), eimza_pkcs11_token_get_label (token));
  gtk_label_set_text (self->token_label, token_text);

  /* The tries left as a number, from the one place that knows them
   * (src/card), in a line of its own above the advice. */
  tries = eimza_pin_tries_get (eimza_pin_tries_get_default (), token, kind);
  tries_text = eimza_pin_tries_describe (&tries, kind);
  gtk_label_set_text (self->tries_label, tries_text);

  gtk_widget_set_visible (self->final_try_box, is_final_try (self));
  if (is_final_try (self))
    {
      gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)),
                                   "pin-final-try-dialog");
      gtk_window_set_title (GTK_WINDOW (self), self->unblock ? _("Unlock the Card: Last Try")
                                                             : _("Card PIN: Last Try"));
    }
  else if (self->unblock && (is_count_low (self) || tries.n_wrong > 0))
    {
      state = _("A wrong unblock code was entered since the last correct one. Three wrong "
                "codes in a row make the card unusable for good, so type slowly.");
      gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->state_label)),
                                   "pin-count-low");
    }
  else if (self->unblock)
    {
      state = _("Three wrong unblock codes in a row make the card unusable for good.");
      gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->state_label)),
                                   "dim-label");
    }
  else if (is_count_low (self) || tries.n_wrong > 0)
    {
      state = _("A wrong PIN was entered since the last correct one. Three wrong PINs in a "
                "row lock the card, so type slowly.");
      gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->state_label)),
                                   "pin-count-low");
    }
  else
    {
      state = _("Three wrong PINs in a row lock the card.");
      gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->state_label)),
                                   "dim-label");
    }

  gtk_label_set_text (self->state_label, state != NULL ? state : "");
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), state != NULL);

  gtk_widget_set_visible (self->entry_box, !is_pinpad (self));
  gtk_widget_set_visible (self->pinpad_box, is_pinpad (self));
  if (is_pinpad (self))
    update_pinpad_text (self);
  if (!is_pinpad (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
  else if (is_final_try (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_check));

  update_sign_button (self);
}

static void
eimza_pin_dialog_dispose (GObject *object)
{
  EimzaPinDialog *self = EIMZA_PIN_DIALOG (object);

  if (self->pin_entry != NULL)
    wipe_entry (self);
  g_clear_pointer (&self->pin, eimza_secret_unref);
  g_clear_pointer (&self->new_pin, eimza_secret_unref);

  G_OBJECT_CLASS (eimza_pin_dialog_parent_class)->dispose (object);
}

static void
eimza_pin_dialog_class_init (EimzaPinDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_pin_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-pin-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, purpose_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, token_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, final_try_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, final_try_title);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, final_try_text);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, confirm_check);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, tries_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, state_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, entry_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, pinpad_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, sign_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, pin_title);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, pin_entry_accessible);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, new_pin_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, new_pin_entry);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, repeat_entry);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, rules_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, new_pin_error_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaPinDialog, pinpad_label);
  gtk_widget_class_bind_template_callback (widget_class, update_sign_button);
  gtk_widget_class_bind_template_callback (widget_class, new_pin_changed_cb);
}

static void
eimza_pin_dialog_init (EimzaPinDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->min_length = FALLBACK_MIN_PIN_LENGTH;
  g_signal_connect (self, "response", G_CALLBACK (own_response_cb), NULL);
}

EimzaPinDialog *
eimza_pin_dialog_new (GtkWindow        *parent,
                      EimzaPkcs11Token *token,
                      const char       *purpose)
{
  EimzaPinDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  /* A locked card gets an explanation instead (see eimza-certificates-dialog.c). */
  g_return_val_if_fail (!(eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_LOCKED),
                        NULL);

  self = g_object_new (EIMZA_TYPE_PIN_DIALOG,
                       "use-header-bar", TRUE,
                       "transient-for", parent,
                       NULL);

  gtk_label_set_text (self->purpose_label, purpose != NULL ? purpose : "");
  gtk_widget_set_visible (GTK_WIDGET (self->purpose_label), purpose != NULL);
  set_token (self, token);

  return self;
}

/* What the rules ask of a new PIN, in a line under the entries. */
static char *
describe_rules (const EimzaNewPinRules *rules)
{
  g_autofree char *length = NULL;

  if (rules->min_length == rules->max_length)
    length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u digit", "%u digits",
                                           rules->min_length),
                              rules->min_length);
  else if (rules->max_length == 0)
    length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "at least %u digit",
                                           "at least %u digits", rules->min_length),
                              rules->min_length);
  else
    /* TRANSLATORS: a length, e.g. "4 to 8 digits" */
    length = g_strdup_printf (_("%u to %u digits"), rules->min_length, rules->max_length);

  /* TRANSLATORS: %s is a length, e.g. "6 digits" */
  return g_strdup_printf (_("The new PIN has %s. Not allowed: one digit repeated (111111), "
                            "digits in a row (123456, 654321) and your birth date."),
                          length);
}

EimzaPinDialog *
eimza_pin_dialog_new_for_change (GtkWindow              *parent,
                                 EimzaPkcs11Token       *token,
                                 const char             *purpose,
                                 const EimzaNewPinRules *rules)
{
  EimzaPinDialog *self;
  g_autofree char *rules_text = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);
  g_return_val_if_fail (!(eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_LOCKED),
                        NULL);

  self = g_object_new (EIMZA_TYPE_PIN_DIALOG,
                       "use-header-bar", TRUE,
                       "transient-for", parent,
                       NULL);
  self->change = TRUE;
  self->rules = *rules;

  gtk_window_set_title (GTK_WINDOW (self), _("Change the Card PIN"));
  gtk_label_set_text_with_mnemonic (self->pin_title, _("C_urrent PIN"));
  atk_object_set_name (self->pin_entry_accessible, _("Current PIN"));
  gtk_button_set_label (GTK_BUTTON (self->sign_button), _("C_hange PIN"));
  rules_text = describe_rules (rules);
  gtk_label_set_text (self->rules_label, rules_text);
  gtk_widget_show (self->new_pin_box);

  gtk_label_set_text (self->purpose_label, purpose != NULL ? purpose : "");
  gtk_widget_set_visible (GTK_WIDGET (self->purpose_label), purpose != NULL);
  /* After the mode is set: it titles the last try and sizes the entries. */
  set_token (self, token);

  return self;
}

EimzaPinDialog *
eimza_pin_dialog_new_for_unblock (GtkWindow              *parent,
                                  EimzaPkcs11Token       *token,
                                  const char             *purpose,
                                  const EimzaNewPinRules *rules)
{
  EimzaPinDialog *self;
  g_autofree char *rules_text = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);
  /* A locked unblock code gets an explanation instead. */
  g_return_val_if_fail (!(eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED),
                        NULL);

  self = g_object_new (EIMZA_TYPE_PIN_DIALOG,
                       "use-header-bar", TRUE,
                       "transient-for", parent,
                       NULL);
  self->change = TRUE;
  self->unblock = TRUE;
  self->rules = *rules;

  gtk_window_set_title (GTK_WINDOW (self), _("Unlock the Card"));
  gtk_label_set_text_with_mnemonic (self->pin_title, _("_Unblock code (PUK)"));
  atk_object_set_name (self->pin_entry_accessible, _("Unblock code (PUK)"));
  gtk_entry_set_input_purpose (self->pin_entry, GTK_INPUT_PURPOSE_DIGITS);
  gtk_button_set_label (GTK_BUTTON (self->sign_button), _("_Unlock and Set PIN"));
  gtk_label_set_text (self->final_try_title,
                      _("Last try: one more wrong code makes your card unusable"));
  gtk_label_set_text (self->final_try_text,
                      _("The card allows only one more try for the unblock code. If this code "
                        "is wrong, the card can never be unlocked again and cannot sign: you "
                        "would need a new card from Kamu SM. If you are not sure of the code, "
                        "cancel now."));
  gtk_button_set_label (GTK_BUTTON (self->confirm_check),
                        _("I am sure of the code and _accept that a wrong one makes my card "
                          "unusable"));
  rules_text = describe_rules (rules);
  gtk_label_set_text (self->rules_label, rules_text);
  gtk_widget_show (self->new_pin_box);

  gtk_label_set_text (self->purpose_label, purpose != NULL ? purpose : "");
  gtk_widget_set_visible (GTK_WIDGET (self->purpose_label), purpose != NULL);
  /* After the mode is set: the unblock code's tries, its entry's size. */
  set_token (self, token);

  return self;
}

void
eimza_pin_dialog_set_unblock_code_known (EimzaPinDialog *self)
{
  g_return_if_fail (EIMZA_IS_PIN_DIALOG (self));
  g_return_if_fail (self->unblock);

  /* Kamu SM handed the code over: only the new PIN is typed here. */
  self->code_known = TRUE;
  gtk_widget_hide (GTK_WIDGET (self->pin_title));
  gtk_widget_hide (GTK_WIDGET (self->pin_entry));
  gtk_label_set_text (self->final_try_text,
                      _("The card allows only one more try for the unblock code. The code Kamu "
                        "SM gave is used; if it is wrong, the card can never be unlocked again "
                        "and cannot sign: you would need a new card from Kamu SM."));
  gtk_button_set_label (GTK_BUTTON (self->confirm_check),
                        _("I _accept that a wrong code makes my card unusable"));
  if (gtk_widget_get_visible (self->entry_box))
    gtk_widget_grab_focus (GTK_WIDGET (self->new_pin_entry));
  update_sign_button (self);
}

EimzaSecret *
eimza_pin_dialog_steal_new_pin (EimzaPinDialog *self)
{
  g_return_val_if_fail (EIMZA_IS_PIN_DIALOG (self), NULL);

  return g_steal_pointer (&self->new_pin);
}

EimzaSecret *
eimza_pin_dialog_steal_pin (EimzaPinDialog *self)
{
  g_return_val_if_fail (EIMZA_IS_PIN_DIALOG (self), NULL);

  return g_steal_pointer (&self->pin);
}

void
eimza_pin_dialog_set_accept_label (EimzaPinDialog *self,
                                   const char     *label)
{
  g_return_if_fail (EIMZA_IS_PIN_DIALOG (self));
  g_return_if_fail (label != NULL);

  gtk_button_set_label (GTK_BUTTON (self->sign_button), label);
}

gboolean
eimza_pin_dialog_get_final_try_confirmed (EimzaPinDialog *self)
{
  g_return_val_if_fail (EIMZA_IS_PIN_DIALOG (self), FALSE);

  return self->final_try_confirmed;
}
