/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scripted PIN asker of the card tests (see scripted-asker.h). */
#include "config.h"

#include "scripted-asker.h"
#include "softhsm-fixture.h"

static void scripted_asker_iface_init (EimzaPinAskerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScriptedAsker, scripted_asker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EIMZA_TYPE_PIN_ASKER,
                                                      scripted_asker_iface_init))

/* The held ask ends when it is cancelled, as a dialog closes. */
static void
held_cancelled_cb (GCancellable  *cancellable,
                   ScriptedAsker *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->held);

  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "closed");
}

static void
answer_next (ScriptedAsker        *self,
             EimzaPkcs11Token     *token,
             EimzaPinAskFlags      flags,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data,
             gpointer              source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const ScriptedAnswer *answer;

  g_task_set_source_tag (task, source_tag);
  g_assert_cmpuint (self->n_asks, <, self->n_answers + (self->hold ? 1 : 0));

  self->last_flags = flags;
  g_array_append_val (self->asked_flags, flags);
  self->token_flags = eimza_pkcs11_token_get_flags (token);
  self->min_pin_length = eimza_pkcs11_token_get_min_pin_length (token);
  self->max_pin_length = eimza_pkcs11_token_get_max_pin_length (token);
  self->logins_when_asked = softhsm_fixture_login_calls ();
  self->set_pins_when_asked = softhsm_fixture_set_pin_calls ();
  self->so_logins_when_asked = softhsm_fixture_so_login_calls ();
  /* What a dialog would show, from the one place that knows it. */
  self->pin_tries = eimza_pin_tries_get (eimza_pin_tries_get_default (), token,
                                         EIMZA_PIN_TRIES_PIN);
  self->unblock_tries = eimza_pin_tries_get (eimza_pin_tries_get_default (), token,
                                             EIMZA_PIN_TRIES_UNBLOCK);

  if (self->hold)
    {
      self->n_asks++;
      g_task_set_check_cancellable (task, FALSE);
      self->held = g_object_ref (task);
      g_cancellable_connect (cancellable, G_CALLBACK (held_cancelled_cb), self, NULL);
      return;
    }

  answer = &self->answers[self->n_asks++];
  if (answer->secret == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "gave up");
  else
    g_task_return_pointer (task, (gpointer) answer, NULL);
}

static void
scripted_asker_ask_async (EimzaPinAsker        *asker,
                          EimzaPkcs11Token     *token,
                          EimzaPinAskFlags      flags,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  /* Never for a locked card. */
  g_assert_false (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_LOCKED);
  answer_next (SCRIPTED_ASKER (asker), token, flags, cancellable, callback, user_data,
               scripted_asker_ask_async);
}

static gboolean
scripted_asker_ask_finish (EimzaPinAsker  *asker,
                           GAsyncResult   *result,
                           EimzaSecret   **pin,
                           gboolean       *final_try_confirmed,
                           GError        **error)
{
  ScriptedAsker *self = SCRIPTED_ASKER (asker);
  const ScriptedAnswer *answer = g_task_propagate_pointer (G_TASK (result), error);

  g_assert_true (g_task_get_source_tag (G_TASK (result)) == scripted_asker_ask_async);
  if (answer == NULL)
    return FALSE;

  *pin = (self->token_flags & EIMZA_PKCS11_TOKEN_PINPAD) ? NULL
                                                         : eimza_secret_new (answer->secret, -1);
  *final_try_confirmed = answer->confirm_final_try;
  return TRUE;
}

/* The answer of a PIN change or an unblock ask: on a keypad the person
 * types both the secret and the new PIN on the reader. */
static gboolean
two_secrets_finish (ScriptedAsker  *self,
                    GAsyncResult   *result,
                    gpointer        source_tag,
                    EimzaSecret   **secret,
                    EimzaSecret   **new_pin,
                    gboolean       *final_try_confirmed,
                    GError        **error)
{
  const ScriptedAnswer *answer = g_task_propagate_pointer (G_TASK (result), error);

  g_assert_true (g_task_get_source_tag (G_TASK (result)) == source_tag);
  if (answer == NULL)
    return FALSE;

  if (!(self->token_flags & EIMZA_PKCS11_TOKEN_PINPAD))
    {
      *secret = eimza_secret_new (answer->secret, -1);
      *new_pin = eimza_secret_new (answer->new_pin, -1);
    }
  *final_try_confirmed = answer->confirm_final_try;
  return TRUE;
}

static void
scripted_asker_ask_new_pin_async (EimzaPinAsker          *asker,
                                  EimzaPkcs11Token       *token,
                                  EimzaPinAskFlags        flags,
                                  const EimzaNewPinRules *rules,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  ScriptedAsker *self = SCRIPTED_ASKER (asker);

  /* Never for a locked card. */
  g_assert_false (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_LOCKED);
  self->last_rules = *rules;
  self->n_new_pin_asks++;
  answer_next (self, token, flags, cancellable, callback, user_data,
               scripted_asker_ask_new_pin_async);
}

static gboolean
scripted_asker_ask_new_pin_finish (EimzaPinAsker  *asker,
                                   GAsyncResult   *result,
                                   EimzaSecret   **current_pin,
                                   EimzaSecret   **new_pin,
                                   gboolean       *final_try_confirmed,
                                   GError        **error)
{
  return two_secrets_finish (SCRIPTED_ASKER (asker), result, scripted_asker_ask_new_pin_async,
                             current_pin, new_pin, final_try_confirmed, error);
}

static void
scripted_asker_ask_unblock_async (EimzaPinAsker          *asker,
                                  EimzaPkcs11Token       *token,
                                  EimzaPinAskFlags        flags,
                                  const EimzaNewPinRules *rules,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  ScriptedAsker *self = SCRIPTED_ASKER (asker);

  /* Never with a locked unblock code (a locked PIN is what it is for). */
  g_assert_false (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED);
  self->last_rules = *rules;
  self->n_unblock_asks++;
  answer_next (self, token, flags, cancellable, callback, user_data,
               scripted_asker_ask_unblock_async);
}

static gboolean
scripted_asker_ask_unblock_finish (EimzaPinAsker  *asker,
                                   GAsyncResult   *result,
                                   EimzaSecret   **unblock_code,
                                   EimzaSecret   **new_pin,
                                   gboolean       *final_try_confirmed,
                                   GError        **error)
{
  if (!two_secrets_finish (SCRIPTED_ASKER (asker), result, scripted_asker_ask_unblock_async,
                           unblock_code, new_pin, final_try_confirmed, error))
    return FALSE;

  /* The person gave a code: it may go to the card once. */
  softhsm_fixture_allow_so_login ();
  return TRUE;
}

static void
scripted_asker_iface_init (EimzaPinAskerInterface *iface)
{
  iface->ask_async = scripted_asker_ask_async;
  iface->ask_finish = scripted_asker_ask_finish;
  iface->ask_new_pin_async = scripted_asker_ask_new_pin_async;
  iface->ask_new_pin_finish = scripted_asker_ask_new_pin_finish;
  iface->ask_unblock_async = scripted_asker_ask_unblock_async;
  iface->ask_unblock_finish = scripted_asker_ask_unblock_finish;
}

static void
scripted_asker_finalize (GObject *object)
{
  ScriptedAsker *self = SCRIPTED_ASKER (object);

  g_assert_null (self->held);
  g_array_unref (self->asked_flags);

  G_OBJECT_CLASS (scripted_asker_parent_class)->finalize (object);
}

static void
scripted_asker_class_init (ScriptedAskerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scripted_asker_finalize;
}

static void
scripted_asker_init (ScriptedAsker *self)
{
  self->asked_flags = g_array_new (FALSE, FALSE, sizeof (EimzaPinAskFlags));
}

ScriptedAsker *
scripted_asker_new (const ScriptedAnswer *answers,
                    guint                 n_answers)
{
  ScriptedAsker *self = g_object_new (SCRIPTED_TYPE_ASKER, NULL);

  self->answers = answers;
  self->n_answers = n_answers;
  return self;
}

EimzaPinAskFlags
scripted_asker_asked_flags (ScriptedAsker *self,
                            guint          i)
{
  g_assert_cmpuint (i, <, self->asked_flags->len);
  return g_array_index (self->asked_flags, EimzaPinAskFlags, i);
}
