/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One signature with the card under every PIN rule: read the PIN state, ask, confirm, sign once. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-cades.h"
#include "eimza-card-enums.h"
#include "eimza-card-signing.h"
#include "eimza-card-tls-key.h"
#include "eimza-pin-tries.h"
#include "eimza-pkcs11.h"
#include "eimza-pkcs11-error.h"

typedef enum {
  KIND_CADES,
  KIND_TLS,
  KIND_PIN,
  KIND_PIN_CHANGE,
  KIND_PIN_UNBLOCK,
} Kind;

struct _EimzaCardSigning
{
  GObject parent_instance;

  EimzaCardService *service;
  EimzaPinAsker *asker;
  Kind kind;
  char *key_uri;
  EimzaCardSigningFlags flags;

  /* What is signed. */
  char *cert_uri;                     /* CAdES */
  GBytes *data;                       /* the content (CAdES), the hash (TLS) */
  EimzaCadesFlags cades_flags;
  gnutls_sign_algorithm_t algorithm;  /* TLS */
  EimzaNewPinRules new_pin_rules;     /* a new PIN: the birth dates, then the token's lengths */

  /* The run. */
  gboolean started;
  EimzaCardSigningPhase phase;
  gboolean retry;                     /* the next ask follows a wrong PIN */
  EimzaSecret *replay;
  EimzaPkcs11Token *token;
  EimzaSecret *pin;                   /* the answer under way (an unblock's: the code), then
                                       * the one that signed */
  EimzaSecret *new_pin;               /* a new PIN under way */
  EimzaSecret *known_code;            /* an unblock code Kamu SM handed over, until used */
  gboolean known_code_used;           /* ...it went into this run's answer */
  gboolean final_try_confirmed;
  guint n_logins;
  guint n_wrong;
};

G_DEFINE_FINAL_TYPE (EimzaCardSigning, eimza_card_signing, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PHASE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void read_state (GTask *task);

static void
set_phase (EimzaCardSigning      *self,
           EimzaCardSigningPhase  phase)
{
  if (self->phase == phase)
    return;

  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PHASE]);
}

/*
 * The run's GTask is handed from step to step (as the user_data of each
 * asynchronous call); fail() and succeed() end the run and release it.
 */

/* Ends the run with @error (taken). Nothing of the answer is kept. */
static void
fail (GTask  *task,
      GError *error)
{
  EimzaCardSigning *self = g_task_get_source_object (task);

  g_clear_pointer (&self->pin, eimza_secret_unref);
  g_clear_pointer (&self->new_pin, eimza_secret_unref);
  g_clear_pointer (&self->replay, eimza_secret_unref);
  set_phase (self, EIMZA_CARD_SIGNING_PHASE_NONE);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
succeed (GTask  *task,
         GBytes *signature)
{
  EimzaCardSigning *self = g_task_get_source_object (task);

  g_clear_pointer (&self->new_pin, eimza_secret_unref);
  g_clear_pointer (&self->replay, eimza_secret_unref);
  set_phase (self, EIMZA_CARD_SIGNING_PHASE_NONE);
  g_task_return_pointer (task, signature, (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}

/* A cancelled run ends as cancelled whatever else happened (and the task
 * is released). */
static gboolean
return_if_cancelled (GTask *task)
{
  g_autoptr(GError) error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    return FALSE;

  fail (task, g_steal_pointer (&error));
  return TRUE;
}

static gboolean
has_new_pin (EimzaCardSigning *self)
{
  return self->kind == KIND_PIN_CHANGE || self->kind == KIND_PIN_UNBLOCK;
}

static EimzaPinTriesKind
tries_kind (EimzaCardSigning *self)
{
  return self->kind == KIND_PIN_UNBLOCK ? EIMZA_PIN_TRIES_UNBLOCK : EIMZA_PIN_TRIES_PIN;
}

/* What the card said of an entry this operation sent, for every view of
 * the tries left (eimza-pin-tries.h). */
static void
note_entry (EimzaCardSigning *self,
            gboolean          correct)
{
  if (self->token == NULL)
    return;
  if (correct)
    eimza_pin_tries_note_correct (eimza_pin_tries_get_default (), self->token, tries_kind (self));
  else
    eimza_pin_tries_note_wrong (eimza_pin_tries_get_default (), self->token, tries_kind (self));
}

/* The card refused what the answer was for: @error (taken). */
static void
card_failed (GTask  *task,
             GError *error)
{
  EimzaCardSigning *self = g_task_get_source_object (task);

  if (!g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT) &&
      !g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_INCORRECT))
    {
      /* The entry that locked it was wrong too. */
      if (g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED) ||
          g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_LOCKED))
        note_entry (self, FALSE);
      fail (task, error);
      return;
    }

  /* A wrong PIN (or unblock code): it is wiped and never sent again. Only a new answer
   * from the person may follow, after the card's new state is read. */
  self->n_wrong++;
  note_entry (self, FALSE);
  g_clear_pointer (&self->pin, eimza_secret_unref);
  g_clear_pointer (&self->new_pin, eimza_secret_unref);
  g_clear_pointer (&self->replay, eimza_secret_unref);
  self->retry = TRUE;

  /* A code Kamu SM handed over was the answer: nobody can type a better
   * one here, so the operation ends. */
  if (!(self->flags & EIMZA_CARD_SIGNING_ASK_AGAIN) || self->known_code_used)
    {
      fail (task, error);
      return;
    }

  g_error_free (error);
  read_state (task);
}

static void
sign_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  EimzaCardSigning *self = g_task_get_source_object (task);
  g_autoptr(GBytes) signature = NULL;
  GError *error = NULL;

  if (self->kind == KIND_CADES)
    signature = eimza_cades_sign_finish (EIMZA_CARD_SERVICE (source), result, &error);
  else
    signature = eimza_card_tls_sign_finish (EIMZA_CARD_SERVICE (source), result, &error);

  if (signature != NULL)
    {
      note_entry (self, TRUE);
      succeed (task, g_steal_pointer (&signature));
    }
  else
    card_failed (task, error);
}

static void
change_pin_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  EimzaCardSigning *self = g_task_get_source_object (task);
  GError *error = NULL;
  gboolean done;

  if (self->kind == KIND_PIN_UNBLOCK)
    done = eimza_pkcs11_unblock_pin_finish (EIMZA_CARD_SERVICE (source), result, &error);
  else
    done = eimza_pkcs11_change_pin_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (!done)
    {
      card_failed (task, error);
      return;
    }

  note_entry (self, TRUE);
  /* Neither secret is kept: the card has the new PIN. */
  g_clear_pointer (&self->pin, eimza_secret_unref);
  succeed (task, g_bytes_new (NULL, 0));
}

/* Steps 4–5: the answer @pin (taken) is used once. */
static void
use_answer (GTask       *task,
            EimzaSecret *pin,
            gboolean     final_try_confirmed)
{
  EimzaCardSigning *self = g_task_get_source_object (task);
  EimzaPkcs11TokenFlags token_flags = eimza_pkcs11_token_get_flags (self->token);
  GCancellable *cancellable = g_task_get_cancellable (task);
  EimzaPkcs11LoginFlags login_flags = final_try_confirmed ? EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED
                                                          : EIMZA_PKCS11_LOGIN_DEFAULT;

  g_clear_pointer (&self->pin, eimza_secret_unref);
  self->pin = pin;
  self->final_try_confirmed = final_try_confirmed;

  /* The unblock code's last try, which would end the card, likewise. */
  if (self->kind == KIND_PIN_UNBLOCK && (token_flags & EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY) &&
      !final_try_confirmed)
    {
      fail (task, g_error_new_literal (EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED,
                                       _("Only one try is left for the unblock code: one more "
                                         "wrong code makes the card unusable for good. The "
                                         "code was not sent.")));
      return;
    }

  /* The last try is spent only with the person's explicit consent. */
  if (self->kind != KIND_PIN_UNBLOCK && (token_flags & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY) &&
      !final_try_confirmed)
    {
      fail (task, g_error_new_literal (EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED,
                                       _("Only one PIN try is left: one more wrong PIN locks "
                                         "the card. The PIN was not sent.")));
      return;
    }

  if (self->kind == KIND_PIN)
    {
      succeed (task, g_bytes_new (NULL, 0));
      return;
    }

  /* Announced first: whoever watches may still stop it here. */
  set_phase (self, EIMZA_CARD_SIGNING_PHASE_SIGNING);
  if (return_if_cancelled (task))
    return;

  self->n_logins++;
  if (self->kind == KIND_PIN_UNBLOCK)
    eimza_pkcs11_unblock_pin_async (self->service, self->key_uri, self->pin, self->new_pin,
                                    login_flags, cancellable, change_pin_cb, task);
  else if (self->kind == KIND_PIN_CHANGE)
    eimza_pkcs11_change_pin_async (self->service, self->key_uri, self->pin, self->new_pin,
                                   login_flags, cancellable, change_pin_cb, task);
  else if (self->kind == KIND_CADES)
    eimza_cades_sign_async (self->service, self->data, self->cert_uri, self->key_uri, self->pin,
                            (self->cades_flags & ~EIMZA_CADES_FINAL_TRY_CONFIRMED) |
                            (final_try_confirmed ? EIMZA_CADES_FINAL_TRY_CONFIRMED : 0),
                            cancellable, sign_cb, task);
  else
    eimza_card_tls_sign_async (self->service, self->key_uri, self->pin, login_flags,
                               self->algorithm, self->data, cancellable, sign_cb, task);
}

/* The person did not answer: @error (taken, nullable). */
static void
ask_failed (GTask  *task,
            GError *error)
{
  EimzaCardSigning *self = g_task_get_source_object (task);

  /* After a wrong PIN, giving up is a PIN failure, so the caller stops
   * and says why; otherwise the person just did not go on. */
  if (self->retry && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_clear_error (&error);
      if (self->kind == KIND_PIN_UNBLOCK)
        error = g_error_new_literal (EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_INCORRECT,
                                     _("The unblock code was wrong, and no other code was "
                                       "given. Nothing more was sent to the card."));
      else
        error = g_error_new_literal (EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT,
                                     _("The PIN was wrong, and no other PIN was given. "
                                       "Nothing more was sent to the card."));
    }
  else if (error == NULL)
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("No PIN was given."));
    }
  fail (task, error);
}

/* A PIN change's or an unblock's answer: the new PIN is held to the
 * rules here, before anything goes to the card (the asker may have
 * checked it already). */
static void
ask_new_pin_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  EimzaCardSigning *self = g_task_get_source_object (task);
  g_autoptr(EimzaSecret) current = NULL;
  g_autoptr(EimzaSecret) new_pin = NULL;
  g_autoptr(GError) error = NULL;
  gboolean confirmed = FALSE;
  gboolean pinpad;

  if (self->kind == KIND_PIN_UNBLOCK
      ? !eimza_pin_asker_ask_unblock_finish (self->asker, result, &current, &new_pin, &confirmed,
                                             &error)
      : !eimza_pin_asker_ask_new_pin_finish (self->asker, result, &current, &new_pin,
                                             &confirmed, &error))
    {
      ask_failed (task, g_steal_pointer (&error));
      return;
    }

  if (return_if_cancelled (task))
    return;

  /* The unblock code Kamu SM handed over stands for whatever the asker
   * gave (it asked only for the new PIN); it goes to the card once. */
  if (self->kind == KIND_PIN_UNBLOCK && self->known_code != NULL)
    {
      g_clear_pointer (&current, eimza_secret_unref);
      current = g_steal_pointer (&self->known_code);
      self->known_code_used = TRUE;
    }

  pinpad = (eimza_pkcs11_token_get_flags (self->token) & EIMZA_PKCS11_TOKEN_PINPAD) != 0;
  if (pinpad)
    {
      /* The reader asks for both; nothing typed here goes to the card. */
      g_clear_pointer (&current, eimza_secret_unref);
      g_clear_pointer (&new_pin, eimza_secret_unref);
    }
  else
    {
      const char *new_value;
      const char *current_value;
      gsize new_length = 0;
      gsize current_length = 0;

      if (current == NULL || eimza_secret_is_empty (current))
        {
          fail (task, g_error_new_literal (EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID,
                                           self->kind == KIND_PIN_UNBLOCK
                                           ? _("Enter the unblock code (PUK) of the card.")
                                           : _("Enter the current PIN of the e-signature card.")));
          return;
        }

      new_value = new_pin != NULL ? eimza_secret_get (new_pin, &new_length) : NULL;
      /* An unblock code is no PIN: the new PIN is not compared with it. */
      current_value = self->kind == KIND_PIN_UNBLOCK ? NULL
                                                     : eimza_secret_get (current, &current_length);
      if (!eimza_new_pin_check (&self->new_pin_rules, new_value, new_length, NULL, 0,
                                current_value, current_length, &error))
        {
          fail (task, g_steal_pointer (&error));
          return;
        }
    }

  g_clear_pointer (&self->new_pin, eimza_secret_unref);
  self->new_pin = g_steal_pointer (&new_pin);
  use_answer (task, g_steal_pointer (&current), confirmed);
}

static void
ask_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  EimzaCardSigning *self = g_task_get_source_object (task);
  g_autoptr(EimzaSecret) pin = NULL;
  g_autoptr(GError) error = NULL;
  gboolean confirmed = FALSE;

  if (!eimza_pin_asker_ask_finish (self->asker, result, &pin, &confirmed, &error))
    {
      ask_failed (task, g_steal_pointer (&error));
      return;
    }

  if (return_if_cancelled (task))
    return;

  use_answer (task, g_steal_pointer (&pin), confirmed);
}

static EimzaPinAskFlags
ask_flags (EimzaCardSigning *self)
{
  EimzaPkcs11TokenFlags token_flags = eimza_pkcs11_token_get_flags (self->token);
  EimzaPinAskFlags flags = EIMZA_PIN_ASK_DEFAULT;

  if (self->retry)
    flags |= EIMZA_PIN_ASK_RETRY;
  /* An unblock spends the unblock code's tries, not the PIN's. */
  if (token_flags & (self->kind == KIND_PIN_UNBLOCK ? EIMZA_PKCS11_TOKEN_SO_PIN_COUNT_LOW
                                                    : EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW))
    flags |= EIMZA_PIN_ASK_COUNT_LOW;
  if (token_flags & (self->kind == KIND_PIN_UNBLOCK ? EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY
                                                    : EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY))
    flags |= EIMZA_PIN_ASK_FINAL_TRY;
  if (token_flags & EIMZA_PKCS11_TOKEN_PINPAD)
    flags |= EIMZA_PIN_ASK_PINPAD;
  if (self->kind == KIND_PIN_UNBLOCK && self->known_code != NULL)
    flags |= EIMZA_PIN_ASK_UNBLOCK_CODE_KNOWN;

  return flags;
}

static void
lookup_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  EimzaCardSigning *self = g_task_get_source_object (task);
  g_autoptr(EimzaPkcs11Token) token = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11TokenFlags token_flags;

  token = eimza_pkcs11_lookup_token_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (token == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  if (return_if_cancelled (task))
    return;

  g_clear_pointer (&self->token, eimza_pkcs11_token_unref);
  self->token = g_steal_pointer (&token);
  token_flags = eimza_pkcs11_token_get_flags (self->token);

  /* A locked unblock code is never asked for: nothing can be done with
   * the card any more. */
  if (self->kind == KIND_PIN_UNBLOCK && (token_flags & EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED))
    {
      eimza_card_error_set_puk_locked (&error, FALSE);
      fail (task, g_steal_pointer (&error));
      return;
    }

  /* A locked card is never asked for a PIN (an unblock is what it needs). */
  if (self->kind != KIND_PIN_UNBLOCK && (token_flags & EIMZA_PKCS11_TOKEN_PIN_LOCKED))
    {
      eimza_card_error_set_pin_locked (&error, FALSE);
      fail (task, g_steal_pointer (&error));
      return;
    }

  if (self->kind == KIND_PIN &&
      ((self->flags & EIMZA_CARD_SIGNING_CHECK_ONLY) ||
       ((self->flags & EIMZA_CARD_SIGNING_ASK_ONLY_PINPAD) &&
        !(token_flags & EIMZA_PKCS11_TOKEN_PINPAD))))
    {
      succeed (task, g_bytes_new (NULL, 0));
      return;
    }

  /* A replay never spends the last try, nor follows a wrong PIN, nor
   * sets a PIN. */
  if ((token_flags & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY) || self->retry || has_new_pin (self))
    g_clear_pointer (&self->replay, eimza_secret_unref);

  if (self->replay != NULL)
    {
      use_answer (task, g_steal_pointer (&self->replay), FALSE);
      return;
    }

  set_phase (self, EIMZA_CARD_SIGNING_PHASE_ASKING);
  if (return_if_cancelled (task))
    return;

  if (has_new_pin (self))
    {
      EimzaNewPinRules rules;

      /* The card's lengths as read now, the birth dates as given. */
      eimza_new_pin_rules_init (&rules, eimza_pkcs11_token_get_min_pin_length (self->token),
                                eimza_pkcs11_token_get_max_pin_length (self->token));
      for (guint i = 0; i < self->new_pin_rules.n_birth_dates; i++)
        eimza_new_pin_rules_add_birth_date (&rules, &self->new_pin_rules.birth_dates[i]);
      self->new_pin_rules = rules;

      if (self->kind == KIND_PIN_UNBLOCK)
        eimza_pin_asker_ask_unblock_async (self->asker, self->token, ask_flags (self),
                                           &self->new_pin_rules, g_task_get_cancellable (task),
                                           ask_new_pin_cb, task);
      else
        eimza_pin_asker_ask_new_pin_async (self->asker, self->token, ask_flags (self),
                                           &self->new_pin_rules, g_task_get_cancellable (task),
                                           ask_new_pin_cb, task);
      return;
    }

  eimza_pin_asker_ask_async (self->asker, self->token, ask_flags (self),
                             g_task_get_cancellable (task), ask_cb, task);
}

/* Step 1, before every ask: what the card says now. */
static void
read_state (GTask *task)
{
  EimzaCardSigning *self = g_task_get_source_object (task);

  set_phase (self, EIMZA_CARD_SIGNING_PHASE_READING);
  if (return_if_cancelled (task))
    return;

  eimza_pkcs11_lookup_token_async (self->service, self->key_uri, g_task_get_cancellable (task),
                                   lookup_token_cb, task);
}

static void
eimza_card_signing_dispose (GObject *object)
{
  EimzaCardSigning *self = EIMZA_CARD_SIGNING (object);

  g_clear_object (&self->service);
  g_clear_object (&self->asker);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->token, eimza_pkcs11_token_unref);
  g_clear_pointer (&self->pin, eimza_secret_unref);
  g_clear_pointer (&self->new_pin, eimza_secret_unref);
  g_clear_pointer (&self->replay, eimza_secret_unref);

  G_OBJECT_CLASS (eimza_card_signing_parent_class)->dispose (object);
}

static void
eimza_card_signing_finalize (GObject *object)
{
  EimzaCardSigning *self = EIMZA_CARD_SIGNING (object);

  g_free (self->key_uri);
  g_free (self->cert_uri);
  g_clear_pointer (&self->known_code, eimza_secret_unref);

  G_OBJECT_CLASS (eimza_card_signing_parent_class)->finalize (object);
}

static void
eimza_card_signing_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EimzaCardSigning *self = EIMZA_CARD_SIGNING (object);

  switch (prop_id)
    {
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_card_signing_class_init (EimzaCardSigningClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_card_signing_dispose;
  object_class->finalize = eimza_card_signing_finalize;
  object_class->get_property = eimza_card_signing_get_property;

  /**
   * EimzaCardSigning:phase:
   *
   * What the operation does now: for progress lines, and for a last look
   * before the PIN goes to the card (see %EIMZA_CARD_SIGNING_PHASE_SIGNING).
   */
  props[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL,
                       EIMZA_TYPE_CARD_SIGNING_PHASE, EIMZA_CARD_SIGNING_PHASE_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
eimza_card_signing_init (EimzaCardSigning *self)
{
}

static EimzaCardSigning *
signing_new (EimzaCardService *service,
             EimzaPinAsker    *asker,
             Kind              kind,
             const char       *key_uri)
{
  EimzaCardSigning *self = g_object_new (EIMZA_TYPE_CARD_SIGNING, NULL);

  self->service = g_object_ref (service);
  self->asker = g_object_ref (asker);
  self->kind = kind;
  self->key_uri = g_strdup (key_uri);

  return self;
}

EimzaCardSigning *
eimza_card_signing_new_cades (EimzaCardService *service,
                              EimzaPinAsker    *asker,
                              const char       *cert_uri,
                              const char       *key_uri,
                              GBytes           *content,
                              EimzaCadesFlags   cades_flags)
{
  EimzaCardSigning *self;

  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (EIMZA_IS_PIN_ASKER (asker), NULL);
  g_return_val_if_fail (cert_uri != NULL, NULL);
  g_return_val_if_fail (key_uri != NULL, NULL);
  g_return_val_if_fail (content != NULL, NULL);

  self = signing_new (service, asker, KIND_CADES, key_uri);
  self->cert_uri = g_strdup (cert_uri);
  self->data = g_bytes_ref (content);
  self->cades_flags = cades_flags;

  return self;
}

EimzaCardSigning *
eimza_card_signing_new_tls (EimzaCardService        *service,
                            EimzaPinAsker           *asker,
                            const char              *key_uri,
                            gnutls_sign_algorithm_t  algorithm,
                            GBytes                  *data)
{
  EimzaCardSigning *self;

  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (EIMZA_IS_PIN_ASKER (asker), NULL);
  g_return_val_if_fail (key_uri != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  self = signing_new (service, asker, KIND_TLS, key_uri);
  self->algorithm = algorithm;
  self->data = g_bytes_ref (data);

  return self;
}

EimzaCardSigning *
eimza_card_signing_new_pin (EimzaCardService *service,
                            EimzaPinAsker    *asker,
                            const char       *key_uri)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (EIMZA_IS_PIN_ASKER (asker), NULL);
  g_return_val_if_fail (key_uri != NULL, NULL);

  return signing_new (service, asker, KIND_PIN, key_uri);
}

EimzaCardSigning *
eimza_card_signing_new_pin_change (EimzaCardService *service,
                                   EimzaPinAsker    *asker,
                                   const char       *uri)
{
  EimzaCardSigning *self;

  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (EIMZA_IS_PIN_ASKER (asker), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  self = signing_new (service, asker, KIND_PIN_CHANGE, uri);
  eimza_new_pin_rules_init (&self->new_pin_rules, 0, 0);

  return self;
}

EimzaCardSigning *
eimza_card_signing_new_pin_unblock (EimzaCardService *service,
                                    EimzaPinAsker    *asker,
                                    const char       *uri)
{
  EimzaCardSigning *self;

  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (EIMZA_IS_PIN_ASKER (asker), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  self = signing_new (service, asker, KIND_PIN_UNBLOCK, uri);
  eimza_new_pin_rules_init (&self->new_pin_rules, 0, 0);

  return self;
}

void
eimza_card_signing_add_birth_date (EimzaCardSigning *self,
                                   const GDate      *date)
{
  g_return_if_fail (EIMZA_IS_CARD_SIGNING (self));
  g_return_if_fail (has_new_pin (self));
  g_return_if_fail (!self->started);

  eimza_new_pin_rules_add_birth_date (&self->new_pin_rules, date);
}

void
eimza_card_signing_set_unblock_code (EimzaCardSigning *self,
                                     EimzaSecret      *code)
{
  g_return_if_fail (EIMZA_IS_CARD_SIGNING (self));
  g_return_if_fail (self->kind == KIND_PIN_UNBLOCK);
  g_return_if_fail (!self->started);
  g_return_if_fail (code != NULL && !eimza_secret_is_empty (code));

  g_clear_pointer (&self->known_code, eimza_secret_unref);
  self->known_code = eimza_secret_ref (code);
}

void
eimza_card_signing_set_flags (EimzaCardSigning      *self,
                              EimzaCardSigningFlags  flags)
{
  g_return_if_fail (EIMZA_IS_CARD_SIGNING (self));
  g_return_if_fail (!self->started);

  self->flags = flags;
}

void
eimza_card_signing_set_replay_pin (EimzaCardSigning *self,
                                   EimzaSecret      *pin)
{
  g_return_if_fail (EIMZA_IS_CARD_SIGNING (self));
  g_return_if_fail (!self->started);

  g_clear_pointer (&self->replay, eimza_secret_unref);
  self->replay = pin != NULL ? eimza_secret_ref (pin) : NULL;
}

void
eimza_card_signing_run_async (EimzaCardSigning    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (EIMZA_IS_CARD_SIGNING (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->retry = (self->flags & EIMZA_CARD_SIGNING_RETRY) != 0;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_card_signing_run_async);
  read_state (task);
}

GBytes *
eimza_card_signing_run_finish (EimzaCardSigning  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SIGNING (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

EimzaCardSigningPhase
eimza_card_signing_get_phase (EimzaCardSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SIGNING (self), EIMZA_CARD_SIGNING_PHASE_NONE);

  return self->phase;
}

EimzaPkcs11Token *
eimza_card_signing_get_token (EimzaCardSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SIGNING (self), NULL);

  return self->token;
}

EimzaSecret *
eimza_card_signing_get_pin (EimzaCardSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SIGNING (self), NULL);

  return self->pin;
}

gboolean
eimza_card_signing_get_final_try_confirmed (EimzaCardSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SIGNING (self), FALSE);

  return self->final_try_confirmed;
}

guint
eimza_card_signing_get_n_logins (EimzaCardSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SIGNING (self), 0);

  return self->n_logins;
}

guint
eimza_card_signing_get_n_wrong (EimzaCardSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_SIGNING (self), 0);

  return self->n_wrong;
}
