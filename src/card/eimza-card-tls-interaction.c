/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PIN rules of a TLS login with a key on the card, without the dialog that asks. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-card-signing.h"
#include "eimza-card-tls-interaction.h"
#include "eimza-card-tls-key.h"
#include "eimza-tls-card-login.h"

/*
 * The PIN's life: the person gives it → it is "pending", handed to the
 * handshake under way → the handshake succeeds (finished() without an
 * error) → it is "kept" and may answer the first ask of a later
 * connection, which makes it pending again. Anything else (a wrong PIN, a
 * failed handshake, a last try) wipes it, and the person is asked.
 *
 * Routed (eimza_card_tls_interaction_route()): GnuTLS holds a key of our
 * own whose signatures come here (ASK_SIGN): the same rules choose the
 * PIN, then the card worker logs in, signs and logs out in one job, so
 * the handshake thread never calls the card's module and a wrong PIN is
 * known at once (the person is asked again, as a retry).
 */

typedef enum {
  ASK_PASSWORD,   /* glib-networking's PIN request (task data: the GTlsPassword) */
  ASK_PREPARE,    /* before the key is used: the PIN-pad prompt */
  ASK_SIGN,       /* a routed key's signature (task data: SignRequest) */
} AskKind;

typedef struct
{
  gnutls_sign_algorithm_t algorithm;
  GBytes *data;
  GBytes *signature;
} SignRequest;

static void
sign_request_free (gpointer data)
{
  SignRequest *request = data;

  g_bytes_unref (request->data);
  g_clear_pointer (&request->signature, g_bytes_unref);
  g_free (request);
}

typedef struct
{
  EimzaCardService *service;
  char *key_uri;

  EimzaSecret *kept;
  EimzaSecret *pending;

  /* The ask under way: one at a time (a handshake waits for it). */
  GTask *task;
  AskKind kind;
  /* The card signing operation that applies the PIN rules for it. */
  EimzaCardSigning *signing;
  /* Cancels the operation (and the person's ask); cancelled on the main thread. */
  GCancellable *ask_cancellable;
  gulong cancelled_id;
  guint serial;
  GMainContext *context;

  /* eimza_card_tls_interaction_route(): the key's registration. */
  guint route_id;
} EimzaCardTlsInteractionPrivate;

static void eimza_card_tls_interaction_login_init (EimzaTlsCardLoginInterface *iface);
static void eimza_card_tls_interaction_asker_init (EimzaPinAskerInterface *iface);
static void eimza_card_tls_interaction_signer_init (EimzaCardTlsSignerInterface *iface);

G_DEFINE_TYPE_WITH_CODE (EimzaCardTlsInteraction, eimza_card_tls_interaction,
                         G_TYPE_TLS_INTERACTION,
                         G_ADD_PRIVATE (EimzaCardTlsInteraction)
                         G_IMPLEMENT_INTERFACE (EIMZA_TYPE_TLS_CARD_LOGIN,
                                                eimza_card_tls_interaction_login_init)
                         G_IMPLEMENT_INTERFACE (EIMZA_TYPE_PIN_ASKER,
                                                eimza_card_tls_interaction_asker_init)
                         G_IMPLEMENT_INTERFACE (EIMZA_TYPE_CARD_TLS_SIGNER,
                                                eimza_card_tls_interaction_signer_init))

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_KEY_URI,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

typedef struct {
  EimzaCardTlsInteraction *self;
  guint serial;
} CancelData;

#define PRIV(self) ((EimzaCardTlsInteractionPrivate *) \
                    eimza_card_tls_interaction_get_instance_private (self))

/* The GTlsPassword keeps its own copy of the value; this one is wiped
 * when the password lets go of it. */
static void
wipe_and_free (gpointer data)
{
  char *value = data;

  explicit_bzero (value, strlen (value));
  g_free (value);
}

static void
give_pin (GTlsPassword *password,
          EimzaSecret  *pin)
{
  gsize length = 0;
  const char *value = pin != NULL ? eimza_secret_get (pin, &length) : "";
  char *copy = g_malloc (length + 1);

  memcpy (copy, value, length);
  copy[length] = '\0';
  g_tls_password_set_value_full (password, (guchar *) copy, (gssize) length, wipe_and_free);
}

static void
finish_ask (EimzaCardTlsInteraction *self,
            GError                  *error)
{
  EimzaCardTlsInteractionPrivate *priv = PRIV (self);
  g_autoptr(GTask) task = g_steal_pointer (&priv->task);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (priv->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), priv->cancelled_id);
      priv->cancelled_id = 0;
    }

  /* Stops the operation; closes the person's dialog if it is still open. */
  if (priv->ask_cancellable != NULL)
    {
      g_cancellable_cancel (priv->ask_cancellable);
      g_clear_object (&priv->ask_cancellable);
    }
  g_clear_object (&priv->signing);

  /* A routed key fails inside the handshake: tell the client why first. */
  if (error != NULL && priv->kind == ASK_SIGN)
    eimza_tls_card_login_emit_failed (EIMZA_TLS_CARD_LOGIN (self), error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
}

static gboolean
is_ask (EimzaCardTlsInteraction *self,
        guint                    serial)
{
  return PRIV (self)->task != NULL && PRIV (self)->serial == serial;
}

static void
cancel_data_free (gpointer data)
{
  CancelData *cancel = data;

  g_object_unref (cancel->self);
  g_free (cancel);
}

/* The operation ended: what the TLS login keeps of it. */
static void
signing_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CancelData *job = user_data;
  g_autoptr(EimzaCardTlsInteraction) self = g_object_ref (job->self);
  EimzaCardTlsInteractionPrivate *priv = PRIV (self);
  EimzaCardSigning *signing = EIMZA_CARD_SIGNING (source);
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPkcs11Token *token;
  EimzaSecret *pin;
  gboolean current;

  signature = eimza_card_signing_run_finish (signing, result, &error);
  current = is_ask (self, job->serial);
  cancel_data_free (job);
  if (!current)
    return;

  /* A kept PIN was replayed or passed over whenever the card's state was
   * read and the card is not locked; either way it is not kept any more. */
  token = eimza_card_signing_get_token (signing);
  if (priv->kind != ASK_PREPARE && token != NULL &&
      !(eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_LOCKED))
    g_clear_pointer (&priv->kept, eimza_secret_unref);

  /* As glib-networking would after a wrong PIN: nothing given before counts. */
  if (eimza_card_signing_get_n_wrong (signing) > 0)
    {
      g_clear_pointer (&priv->pending, eimza_secret_unref);
      g_clear_pointer (&priv->kept, eimza_secret_unref);
    }

  if (signature == NULL)
    {
      finish_ask (self, g_steal_pointer (&error));
      return;
    }

  /* The PIN given (or replayed) is pending: kept only if the handshake
   * that uses it succeeds. */
  pin = eimza_card_signing_get_pin (signing);
  if (priv->kind == ASK_PASSWORD)
    give_pin (g_task_get_task_data (priv->task), pin);
  if (priv->kind == ASK_SIGN)
    {
      SignRequest *request = g_task_get_task_data (priv->task);

      request->signature = g_steal_pointer (&signature);
    }
  if (priv->kind != ASK_PREPARE)
    {
      g_clear_pointer (&priv->pending, eimza_secret_unref);
      priv->pending = pin != NULL ? eimza_secret_ref (pin) : NULL;
    }

  finish_ask (self, NULL);
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  CancelData *cancel = user_data;

  if (is_ask (cancel->self, cancel->serial))
    finish_ask (cancel->self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   _("The login was cancelled.")));

  return G_SOURCE_REMOVE;
}

/* May run in any thread: the answer is given in the main context. */
static void
cancelled_cb (GCancellable            *cancellable,
              EimzaCardTlsInteraction *self)
{
  CancelData *cancel = g_new0 (CancelData, 1);

  cancel->self = g_object_ref (self);
  cancel->serial = PRIV (self)->serial;
  g_main_context_invoke_full (PRIV (self)->context, G_PRIORITY_DEFAULT,
                              cancelled_idle_cb, cancel, cancel_data_free);
}

/* The card signing operation for an ask of @kind: the PIN rules are its
 * own; what stays here is which PIN a TLS login may replay. */
static EimzaCardSigning *
new_signing (EimzaCardTlsInteraction *self,
             GTask                   *task,
             AskKind                  kind,
             gboolean                 retry)
{
  EimzaCardTlsInteractionPrivate *priv = PRIV (self);
  EimzaPinAsker *asker = EIMZA_PIN_ASKER (self);
  EimzaCardSigning *signing = NULL;
  EimzaCardSigningFlags flags = retry ? EIMZA_CARD_SIGNING_RETRY : EIMZA_CARD_SIGNING_DEFAULT;
  GTlsPasswordFlags password_flags;
  SignRequest *request;

  switch (kind)
    {
    case ASK_PASSWORD:
      signing = eimza_card_signing_new_pin (priv->service, asker, priv->key_uri);
      /* glib-networking's own last-try or retry request is never
       * answered with a kept PIN either. */
      password_flags = g_tls_password_get_flags (g_task_get_task_data (task));
      if (!(password_flags & (G_TLS_PASSWORD_FINAL_TRY | G_TLS_PASSWORD_RETRY)))
        eimza_card_signing_set_replay_pin (signing, priv->kept);
      break;

    case ASK_PREPARE:
      signing = eimza_card_signing_new_pin (priv->service, asker, priv->key_uri);
      /* Without a PIN pad the PIN comes through ask_password; with a
       * routed key the signature itself asks. The card is checked all
       * the same: a locked card fails before the handshake. */
      flags |= priv->route_id != 0 ? EIMZA_CARD_SIGNING_CHECK_ONLY
                                   : EIMZA_CARD_SIGNING_ASK_ONLY_PINPAD;
      break;

    case ASK_SIGN:
      request = g_task_get_task_data (task);
      signing = eimza_card_signing_new_tls (priv->service, asker, priv->key_uri,
                                            request->algorithm, request->data);
      /* A wrong PIN is known at once: the person is asked again. */
      flags |= EIMZA_CARD_SIGNING_ASK_AGAIN;
      eimza_card_signing_set_replay_pin (signing, priv->kept);
      break;
    }

  eimza_card_signing_set_flags (signing, flags);
  return signing;
}

/* Starts an ask: the operation reads the token's PIN state first, always,
 * so that the answer follows what the card says now. Takes @task. */
static void
start_ask (EimzaCardTlsInteraction *self,
           GTask                   *task,
           AskKind                  kind,
           gboolean                 retry)
{
  EimzaCardTlsInteractionPrivate *priv = PRIV (self);
  GCancellable *cancellable = g_task_get_cancellable (task);
  CancelData *job;

  if (priv->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The PIN is already being asked for."));
      g_object_unref (task);
      return;
    }

  if (priv->service == NULL)
    {
      g_task_return_new_error (task, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_SERVICE,
                               _("The card service is not available."));
      g_object_unref (task);
      return;
    }

  priv->task = task;
  priv->kind = kind;
  priv->serial++;
  priv->ask_cancellable = g_cancellable_new ();
  priv->signing = new_signing (self, task, kind, retry);
  if (cancellable != NULL)
    priv->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                                self, NULL);

  job = g_new0 (CancelData, 1);
  job->self = g_object_ref (self);
  job->serial = priv->serial;
  eimza_card_signing_run_async (priv->signing, priv->ask_cancellable, signing_cb, job);
}

/* EimzaPinAsker: the operation asks through the subclass. */

static void
eimza_card_tls_interaction_ask_async (EimzaPinAsker        *asker,
                                      EimzaPkcs11Token     *token,
                                      EimzaPinAskFlags      flags,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  EimzaCardTlsInteraction *self = EIMZA_CARD_TLS_INTERACTION (asker);

  EIMZA_CARD_TLS_INTERACTION_GET_CLASS (self)->ask_pin_async (self, token,
                                                              (flags & EIMZA_PIN_ASK_RETRY) != 0,
                                                              cancellable, callback, user_data);
}

static gboolean
eimza_card_tls_interaction_ask_finish (EimzaPinAsker  *asker,
                                       GAsyncResult   *result,
                                       EimzaSecret   **pin,
                                       gboolean       *final_try_confirmed,
                                       GError        **error)
{
  EimzaCardTlsInteraction *self = EIMZA_CARD_TLS_INTERACTION (asker);

  return EIMZA_CARD_TLS_INTERACTION_GET_CLASS (self)->ask_pin_finish (self, result, pin,
                                                                     final_try_confirmed, error);
}

static void
eimza_card_tls_interaction_asker_init (EimzaPinAskerInterface *iface)
{
  iface->ask_async = eimza_card_tls_interaction_ask_async;
  iface->ask_finish = eimza_card_tls_interaction_ask_finish;
}

static void
eimza_card_tls_interaction_ask_password_async (GTlsInteraction     *interaction,
                                               GTlsPassword        *password,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  EimzaCardTlsInteraction *self = EIMZA_CARD_TLS_INTERACTION (interaction);
  EimzaCardTlsInteractionPrivate *priv = PRIV (self);
  gboolean retry = (g_tls_password_get_flags (password) & G_TLS_PASSWORD_RETRY) != 0;
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_card_tls_interaction_ask_password_async);
  g_task_set_task_data (task, g_object_ref (password), g_object_unref);

  /* A wrong PIN: what was given (or kept) is worthless now. */
  if (retry && priv->task == NULL)
    {
      g_clear_pointer (&priv->pending, eimza_secret_unref);
      g_clear_pointer (&priv->kept, eimza_secret_unref);
    }

  start_ask (self, task, ASK_PASSWORD, retry);
}

static GTlsInteractionResult
eimza_card_tls_interaction_ask_password_finish (GTlsInteraction  *interaction,
                                                GAsyncResult     *result,
                                                GError          **error)
{
  GError *local_error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, interaction), G_TLS_INTERACTION_FAILED);

  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return G_TLS_INTERACTION_FAILED;
    }

  return (GTlsInteractionResult) value;
}

/* EimzaTlsCardLogin */

static void
eimza_card_tls_interaction_prepare_async (EimzaTlsCardLogin   *login,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  EimzaCardTlsInteraction *self = EIMZA_CARD_TLS_INTERACTION (login);
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_card_tls_interaction_prepare_async);

  /* A new handshake: a PIN given to an earlier one that never reported
   * back is not trusted. */
  g_clear_pointer (&PRIV (self)->pending, eimza_secret_unref);

  start_ask (self, task, ASK_PREPARE, FALSE);
}

static gboolean
eimza_card_tls_interaction_prepare_finish (EimzaTlsCardLogin  *login,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, login), FALSE);

  return g_task_propagate_int (G_TASK (result), error) == G_TLS_INTERACTION_HANDLED;
}

static void
eimza_card_tls_interaction_finished (EimzaTlsCardLogin *login,
                                     const GError      *error)
{
  EimzaCardTlsInteractionPrivate *priv = PRIV (EIMZA_CARD_TLS_INTERACTION (login));

  /* The card took the PIN only if the handshake succeeded; after any
   * other end the person is asked again. */
  if (error == NULL && priv->pending != NULL)
    {
      g_clear_pointer (&priv->kept, eimza_secret_unref);
      priv->kept = g_steal_pointer (&priv->pending);
    }
  g_clear_pointer (&priv->pending, eimza_secret_unref);
}

static gboolean
eimza_card_tls_interaction_is_asking (EimzaTlsCardLogin *login)
{
  EimzaCardTlsInteractionPrivate *priv = PRIV (EIMZA_CARD_TLS_INTERACTION (login));

  return priv->signing != NULL &&
         eimza_card_signing_get_phase (priv->signing) == EIMZA_CARD_SIGNING_PHASE_ASKING;
}

static void
eimza_card_tls_interaction_login_init (EimzaTlsCardLoginInterface *iface)
{
  iface->prepare_async = eimza_card_tls_interaction_prepare_async;
  iface->prepare_finish = eimza_card_tls_interaction_prepare_finish;
  iface->finished = eimza_card_tls_interaction_finished;
  iface->is_asking = eimza_card_tls_interaction_is_asking;
}

/* EimzaCardTlsSigner: a handshake signature of the routed key. */
static void
eimza_card_tls_interaction_sign_async (EimzaCardTlsSigner       *signer,
                                       gnutls_sign_algorithm_t   algorithm,
                                       GBytes                   *data,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data)
{
  EimzaCardTlsInteraction *self = EIMZA_CARD_TLS_INTERACTION (signer);
  SignRequest *request;
  GTask *task;

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, eimza_card_tls_interaction_sign_async);
  request = g_new0 (SignRequest, 1);
  request->algorithm = algorithm;
  request->data = g_bytes_ref (data);
  g_task_set_task_data (task, request, sign_request_free);

  start_ask (self, task, ASK_SIGN, FALSE);
}

static GBytes *
eimza_card_tls_interaction_sign_finish (EimzaCardTlsSigner  *signer,
                                        GAsyncResult        *result,
                                        GError             **error)
{
  SignRequest *request;

  g_return_val_if_fail (g_task_is_valid (result, signer), NULL);

  if (g_task_propagate_int (G_TASK (result), error) != G_TLS_INTERACTION_HANDLED)
    return NULL;

  request = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&request->signature);
}

static void
eimza_card_tls_interaction_signer_init (EimzaCardTlsSignerInterface *iface)
{
  iface->sign_async = eimza_card_tls_interaction_sign_async;
  iface->sign_finish = eimza_card_tls_interaction_sign_finish;
}

/* GObject */

static void
eimza_card_tls_interaction_dispose (GObject *object)
{
  EimzaCardTlsInteraction *self = EIMZA_CARD_TLS_INTERACTION (object);
  EimzaCardTlsInteractionPrivate *priv = PRIV (self);

  if (priv->task != NULL)
    finish_ask (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The login was cancelled.")));
  g_clear_pointer (&priv->kept, eimza_secret_unref);
  g_clear_pointer (&priv->pending, eimza_secret_unref);
  if (priv->route_id != 0)
    eimza_card_tls_key_unregister (priv->route_id);
  priv->route_id = 0;
  g_clear_object (&priv->service);

  G_OBJECT_CLASS (eimza_card_tls_interaction_parent_class)->dispose (object);
}

static void
eimza_card_tls_interaction_finalize (GObject *object)
{
  EimzaCardTlsInteractionPrivate *priv = PRIV (EIMZA_CARD_TLS_INTERACTION (object));

  g_free (priv->key_uri);
  g_main_context_unref (priv->context);

  G_OBJECT_CLASS (eimza_card_tls_interaction_parent_class)->finalize (object);
}

static void
eimza_card_tls_interaction_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  EimzaCardTlsInteractionPrivate *priv = PRIV (EIMZA_CARD_TLS_INTERACTION (object));

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, priv->service);
      break;
    case PROP_KEY_URI:
      g_value_set_string (value, priv->key_uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_card_tls_interaction_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  EimzaCardTlsInteractionPrivate *priv = PRIV (EIMZA_CARD_TLS_INTERACTION (object));

  switch (prop_id)
    {
    case PROP_SERVICE:
      priv->service = g_value_dup_object (value);
      break;
    case PROP_KEY_URI:
      priv->key_uri = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_card_tls_interaction_class_init (EimzaCardTlsInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsInteractionClass *interaction_class = G_TLS_INTERACTION_CLASS (klass);

  object_class->dispose = eimza_card_tls_interaction_dispose;
  object_class->finalize = eimza_card_tls_interaction_finalize;
  object_class->get_property = eimza_card_tls_interaction_get_property;
  object_class->set_property = eimza_card_tls_interaction_set_property;
  /* Only the asynchronous variant: glib-networking prefers a synchronous
   * one when a class has it, and the person's answer takes time. */
  interaction_class->ask_password_async = eimza_card_tls_interaction_ask_password_async;
  interaction_class->ask_password_finish = eimza_card_tls_interaction_ask_password_finish;

  props[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, EIMZA_TYPE_CARD_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_KEY_URI] =
    g_param_spec_string ("key-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* Before any handshake can meet the URLs. */
  eimza_card_tls_key_init ();
}

static void
eimza_card_tls_interaction_init (EimzaCardTlsInteraction *self)
{
  /* Where asks are answered: GTlsInteraction brings them here. */
  PRIV (self)->context = g_main_context_ref_thread_default ();
}

gboolean
eimza_card_tls_interaction_has_pin (EimzaCardTlsInteraction *self)
{
  g_return_val_if_fail (EIMZA_IS_CARD_TLS_INTERACTION (self), FALSE);

  return PRIV (self)->kept != NULL;
}

void
eimza_card_tls_interaction_forget (EimzaCardTlsInteraction *self)
{
  EimzaCardTlsInteractionPrivate *priv;

  g_return_if_fail (EIMZA_IS_CARD_TLS_INTERACTION (self));

  priv = PRIV (self);
  g_clear_pointer (&priv->kept, eimza_secret_unref);
  g_clear_pointer (&priv->pending, eimza_secret_unref);
  if (priv->task != NULL)
    finish_ask (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The login was cancelled.")));
}

gboolean
eimza_card_tls_interaction_route (EimzaCardTlsInteraction  *self,
                                  EimzaCertificate         *certificate,
                                  char                    **cert_url,
                                  char                    **key_url,
                                  GError                  **error)
{
  EimzaCardTlsInteractionPrivate *priv;

  g_return_val_if_fail (EIMZA_IS_CARD_TLS_INTERACTION (self), FALSE);
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (certificate), FALSE);
  g_return_val_if_fail (cert_url != NULL && key_url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  priv = PRIV (self);
  g_return_val_if_fail (g_strcmp0 (eimza_certificate_get_key_uri (certificate),
                                   priv->key_uri) == 0, FALSE);

  if (priv->service == NULL)
    {
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_SERVICE,
                           _("The card service is not available."));
      return FALSE;
    }

  if (priv->route_id != 0)
    eimza_card_tls_key_unregister (priv->route_id);
  priv->route_id = eimza_card_tls_key_register (EIMZA_CARD_TLS_SIGNER (self), priv->service,
                                                eimza_certificate_get_der (certificate),
                                                priv->key_uri, cert_url, key_url, error);
  return priv->route_id != 0;
}
