/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The TLS interaction of EimzaNesClient: the card's certificate and PIN in the handshake. */
#include "config.h"

#include "eimza-nes-client-private.h"

/* ------------------------------------------------------------------------
 * The TLS interaction of the session: hands the card's certificate to the
 * handshake and passes the PIN request on to the caller's interaction,
 * remembering what happened so that a PIN failure or a refused certificate
 * is reported as such and never retried.
 * ------------------------------------------------------------------------ */

G_DEFINE_FINAL_TYPE (EimzaEonayInteraction, eimza_eonay_interaction, G_TYPE_TLS_INTERACTION)

static void
eimza_eonay_interaction_finalize (GObject *object)
{
  EimzaEonayInteraction *self = EIMZA_EONAY_INTERACTION (object);

  g_clear_object (&self->certificate);
  g_clear_object (&self->inner);
  g_clear_error (&self->pin_error);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (eimza_eonay_interaction_parent_class)->finalize (object);
}

/* The inner interaction, if it wants to know about the card's logins. */
EimzaTlsCardLogin *
eimza_eonay_interaction_card_login (EimzaEonayInteraction *self)
{
  return self->inner != NULL && EIMZA_IS_TLS_CARD_LOGIN (self->inner)
    ? EIMZA_TLS_CARD_LOGIN (self->inner) : NULL;
}

/* The handshake that used the card's key has ended (@error NULL: it
 * succeeded): the inner interaction may keep the PIN only then. */
void
eimza_eonay_interaction_login_finished (EimzaEonayInteraction *self,
                                        const GError          *error)
{
  if (!self->login_open)
    return;

  self->login_open = FALSE;
  if (eimza_eonay_interaction_card_login (self) != NULL)
    eimza_tls_card_login_finished (eimza_eonay_interaction_card_login (self), error);
}

static void
present_certificate (EimzaEonayInteraction *self,
                     GTlsConnection        *connection)
{
  g_tls_connection_set_certificate (connection, self->certificate);
  self->presented = TRUE;
  self->login_open = TRUE;
}

static void record_pin_failure (EimzaEonayInteraction *self,
                                const GError          *error);

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayInteraction *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!eimza_tls_card_login_prepare_finish (EIMZA_TLS_CARD_LOGIN (object), result, &error))
    {
      /* The key was not used: nothing was sent to the card. */
      record_pin_failure (self, error);
      g_task_return_error (task, error);
      return;
    }

  present_certificate (self, g_task_get_task_data (task));
  g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
}

/* Runs in the interaction's main context: glib-networking invokes it
 * there from its handshake thread. Asynchronous, so that the inner
 * interaction can ask the person first (a PIN-pad reader's prompt). */
static void
eimza_eonay_interaction_request_certificate_async (GTlsInteraction             *interaction,
                                                   GTlsConnection              *connection,
                                                   GTlsCertificateRequestFlags  flags,
                                                   GCancellable                *cancellable,
                                                   GAsyncReadyCallback          callback,
                                                   gpointer                     user_data)
{
  EimzaEonayInteraction *self = EIMZA_EONAY_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, eimza_eonay_interaction_request_certificate_async);
  g_task_set_task_data (task, g_object_ref (connection), g_object_unref);
  self->requested = TRUE;

  if (self->certificate == NULL)
    {
      g_task_return_int (task, G_TLS_INTERACTION_UNHANDLED);
      return;
    }

  if (eimza_eonay_interaction_card_login (self) != NULL)
    {
      eimza_tls_card_login_prepare_async (eimza_eonay_interaction_card_login (self), cancellable, prepared_cb,
                                          g_steal_pointer (&task));
      return;
    }

  present_certificate (self, connection);
  g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
}

static GTlsInteractionResult
eimza_eonay_interaction_request_certificate_finish (GTlsInteraction  *interaction,
                                                    GAsyncResult     *result,
                                                    GError          **error)
{
  GError *local_error = NULL;
  gssize answer = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return G_TLS_INTERACTION_FAILED;
    }

  return (GTlsInteractionResult) answer;
}

static void
record_pin_failure (EimzaEonayInteraction *self,
                    const GError          *error)
{
  g_clear_error (&self->pin_error);
  self->pin_error = g_error_copy (error);
}

/* A key that signs through the card service logs in inside the handshake,
 * without a PIN request of glib-networking's: its failure comes here. */
void
eimza_eonay_interaction_card_login_failed_cb (EimzaTlsCardLogin     *login,
                                              const GError          *error,
                                              EimzaEonayInteraction *self)
{
  record_pin_failure (self, error);
}

static void
inner_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaEonayInteraction *self = g_task_get_source_object (task);
  GError *error = NULL;
  GTlsInteractionResult answer;

  self->asking = FALSE;
  answer = g_tls_interaction_ask_password_finish (G_TLS_INTERACTION (object), result, &error);
  if (answer == G_TLS_INTERACTION_HANDLED)
    {
      g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
      return;
    }

  /* UNHANDLED would make glib-networking ask again and again: a failure it
   * is, so that no PIN is ever tried twice without the person. */
  if (error == NULL)
    error = eimza_site_client_error_new (EIMZA_PORTAL_ERROR_PIN);
  record_pin_failure (self, error);
  g_task_return_error (task, error);
}

/* Only the asynchronous variant, so that the caller's interaction may show
 * a dialog without blocking: glib-networking prefers a synchronous
 * implementation when a class has one. */
static void
eimza_eonay_interaction_ask_password_async (GTlsInteraction     *interaction,
                                            GTlsPassword        *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  EimzaEonayInteraction *self = EIMZA_EONAY_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GTlsInteractionClass *inner_class;

  g_task_set_source_tag (task, eimza_eonay_interaction_ask_password_async);

  if (self->inner == NULL)
    {
      GError *error = eimza_site_client_error_new (EIMZA_PORTAL_ERROR_PIN);

      record_pin_failure (self, error);
      g_task_return_error (task, error);
      return;
    }

  inner_class = G_TLS_INTERACTION_GET_CLASS (self->inner);
  if (inner_class->ask_password_async != NULL)
    {
      self->asking = TRUE;
      g_tls_interaction_ask_password_async (self->inner, password, cancellable,
                                            inner_password_cb, g_steal_pointer (&task));
      return;
    }

  /* A synchronous interaction (a test's) answers at once. */
  {
    GError *error = NULL;
    GTlsInteractionResult answer = g_tls_interaction_ask_password (self->inner, password,
                                                                  cancellable, &error);

    if (answer == G_TLS_INTERACTION_HANDLED)
      {
        g_task_return_int (task, G_TLS_INTERACTION_HANDLED);
        return;
      }
    if (error == NULL)
      error = eimza_site_client_error_new (EIMZA_PORTAL_ERROR_PIN);
    record_pin_failure (self, error);
    g_task_return_error (task, error);
  }
}

static GTlsInteractionResult
eimza_eonay_interaction_ask_password_finish (GTlsInteraction  *interaction,
                                             GAsyncResult     *result,
                                             GError          **error)
{
  GError *local_error = NULL;
  gssize answer = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return G_TLS_INTERACTION_FAILED;
    }

  return (GTlsInteractionResult) answer;
}

static void
eimza_eonay_interaction_class_init (EimzaEonayInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsInteractionClass *interaction_class = G_TLS_INTERACTION_CLASS (klass);

  object_class->finalize = eimza_eonay_interaction_finalize;
  interaction_class->request_certificate_async = eimza_eonay_interaction_request_certificate_async;
  interaction_class->request_certificate_finish = eimza_eonay_interaction_request_certificate_finish;
  interaction_class->ask_password_async = eimza_eonay_interaction_ask_password_async;
  interaction_class->ask_password_finish = eimza_eonay_interaction_ask_password_finish;
}

static void
eimza_eonay_interaction_init (EimzaEonayInteraction *self)
{
  self->context = g_main_context_ref_thread_default ();
}

/* Before each attempt of a request: what happens in its handshake. */
void
eimza_eonay_interaction_begin (EimzaEonayInteraction *self)
{
  g_autoptr(GError) unfinished = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                      "The handshake did not report back");

  /* Only a success report keeps the PIN. */
  eimza_eonay_interaction_login_finished (self, unfinished);
  self->requested = FALSE;
  self->presented = FALSE;
  g_clear_error (&self->pin_error);
}

static gboolean
handshaked_cb (gpointer user_data)
{
  eimza_eonay_interaction_login_finished (EIMZA_EONAY_INTERACTION (user_data), NULL);
  return G_SOURCE_REMOVE;
}

/* glib-networking's handshake with the card's key succeeded: the card
 * accepted the PIN it was given. The connection may be made on another
 * thread (eimza-portal-request.c): the news goes to the interaction's
 * context, ahead of the exchange that waits for it. */
static void
message_network_event_cb (SoupMessage        *message,
                          GSocketClientEvent  event,
                          GIOStream          *connection,
                          gpointer            user_data)
{
  EimzaEonayInteraction *self = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED)
    g_main_context_invoke_full (self->context, G_PRIORITY_HIGH, handshaked_cb,
                                g_object_ref (self), g_object_unref);
}

void
eimza_eonay_interaction_request_queued_cb (SoupSession *soup,
                                           SoupMessage *message,
                                           gpointer     user_data)
{
  g_signal_connect_object (message, "network-event", G_CALLBACK (message_network_event_cb),
                           user_data, 0);
}
