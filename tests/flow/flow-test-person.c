/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scripted person of the flow tests (see flow-test-person.h). */
#include "config.h"

#include "flow-test-person.h"
#include "softhsm-fixture.h"

static void flow_test_person_asker_init (EimzaPinAskerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FlowTestPerson, flow_test_person, EIMZA_TYPE_CARD_TLS_INTERACTION,
                               G_IMPLEMENT_INTERFACE (EIMZA_TYPE_PIN_ASKER,
                                                      flow_test_person_asker_init))

static void
person_ask (FlowTestPerson      *self,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->n_asks++;
  if (self->pin == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "gave up");
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
person_answer (FlowTestPerson  *self,
               GAsyncResult    *result,
               EimzaSecret    **pin,
               gboolean        *final_try_confirmed,
               GError         **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *pin = eimza_secret_new (self->pin, -1);
  *final_try_confirmed = FALSE;
  return TRUE;
}

static void
tls_ask_async (EimzaCardTlsInteraction *interaction, EimzaPkcs11Token *token, gboolean retry,
               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  person_ask (FLOW_TEST_PERSON (interaction), cancellable, callback, user_data);
}

static gboolean
tls_ask_finish (EimzaCardTlsInteraction *interaction, GAsyncResult *result, EimzaSecret **pin,
                gboolean *final_try_confirmed, GError **error)
{
  return person_answer (FLOW_TEST_PERSON (interaction), result, pin, final_try_confirmed, error);
}

static void
asker_ask_async (EimzaPinAsker *asker, EimzaPkcs11Token *token, EimzaPinAskFlags flags,
                 GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  person_ask (FLOW_TEST_PERSON (asker), cancellable, callback, user_data);
}

static gboolean
asker_ask_finish (EimzaPinAsker *asker, GAsyncResult *result, EimzaSecret **pin,
                  gboolean *final_try_confirmed, GError **error)
{
  return person_answer (FLOW_TEST_PERSON (asker), result, pin, final_try_confirmed, error);
}

static void
flow_test_person_asker_init (EimzaPinAskerInterface *iface)
{
  iface->ask_async = asker_ask_async;
  iface->ask_finish = asker_ask_finish;
}

static void
flow_test_person_class_init (FlowTestPersonClass *klass)
{
  EIMZA_CARD_TLS_INTERACTION_CLASS (klass)->ask_pin_async = tls_ask_async;
  EIMZA_CARD_TLS_INTERACTION_CLASS (klass)->ask_pin_finish = tls_ask_finish;
}

static void
flow_test_person_init (FlowTestPerson *self)
{
  self->pin = SOFTHSM_USER_PIN;
}

FlowTestPerson *
flow_test_person_new (EimzaCardService *service,
                      EimzaCertificate *certificate)
{
  return g_object_new (FLOW_TEST_TYPE_PERSON, "service", service,
                       "key-uri", eimza_certificate_get_key_uri (certificate), NULL);
}
