/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The .jnlp signing flow without a display: read, code, fetch, sign on the card, upload once. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-signing.h"
#include "eimza-flow-enums.h"
#include "eimza-jnlp-signing.h"
#include "eimza-pkcs11.h"
#include "eimza-site-code.h"

struct _EimzaJnlpSigning
{
  GObject parent_instance;

  /* Given at construction. */
  EimzaPortalProfile *profile;
  EimzaCardService *service;
  char *eonay_url;
  char *ca_file;
  guint deadline;                 /* 0: the session's own */

  EimzaJnlpSigningState state;
  GFile *file;
  EimzaJnlp *jnlp;
  GError *error;
  gboolean can_retry;

  /* The signer's conversation: made when the code is first sent. */
  EimzaNesClient *session;
  EimzaCardTlsInteraction *interaction;
  char *tls_cert_uri;
  EimzaEonaySignData *sign_data;
  GBytes *cms;                    /* the signature being uploaded */

  /* The step that runs now, and what cancels its work: cancelled with
   * the caller's cancellable, or by a reset. */
  GTask *task;
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong cancelled_id;
};

G_DEFINE_FINAL_TYPE (EimzaJnlpSigning, eimza_jnlp_signing, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_FILE,
  PROP_JNLP,
  PROP_SIGN_DATA,
  PROP_ERROR,
  PROP_CAN_RETRY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  CREATE_TLS_INTERACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* -- state ---------------------------------------------------------------- */

static void
set_state (EimzaJnlpSigning      *self,
           EimzaJnlpSigningState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/* @error: (nullable) (transfer none) */
static void
set_error (EimzaJnlpSigning *self,
           const GError     *error,
           gboolean          can_retry)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error != NULL ? g_error_copy (error) : NULL;
  self->can_retry = error != NULL && can_retry;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_RETRY]);
}

static void
set_sign_data (EimzaJnlpSigning   *self,
               EimzaEonaySignData *data)
{
  if (self->sign_data == NULL && data == NULL)
    return;
  g_clear_pointer (&self->sign_data, eimza_eonay_sign_data_free);
  self->sign_data = data;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SIGN_DATA]);
}

/* Forgets the signer's conversation: a new code starts a new one. */
static void
drop_session (EimzaJnlpSigning *self)
{
  if (self->interaction != NULL)
    eimza_card_tls_interaction_forget (self->interaction);
  g_clear_object (&self->interaction);
  g_clear_object (&self->session);
  g_clear_pointer (&self->tls_cert_uri, g_free);
  set_sign_data (self, NULL);
  g_clear_pointer (&self->cms, g_bytes_unref);
}

static void
release_cancellables (EimzaJnlpSigning *self)
{
  if (self->caller_cancellable != NULL)
    g_cancellable_disconnect (self->caller_cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->caller_cancellable);
  g_clear_object (&self->cancellable);
}

static void
cancel_step (EimzaJnlpSigning *self)
{
  g_cancellable_cancel (self->cancellable);
  release_cancellables (self);
  /* Its work ends as cancelled, and answers the task then. */
  g_clear_object (&self->task);
  if (self->interaction != NULL)
    eimza_card_tls_interaction_forget (self->interaction);
}

void
eimza_jnlp_signing_reset (EimzaJnlpSigning *self)
{
  g_return_if_fail (EIMZA_IS_JNLP_SIGNING (self));

  cancel_step (self);
  drop_session (self);
  if (self->jnlp != NULL)
    {
      g_clear_object (&self->jnlp);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_JNLP]);
    }
  if (self->file != NULL)
    {
      g_clear_object (&self->file);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FILE]);
    }
  set_error (self, NULL, FALSE);
  set_state (self, EIMZA_JNLP_SIGNING_STATE_EMPTY);
}

/* Starts a step: NULL (with the task already answered) when another runs
 * or the state does not allow it. */
static GTask *
begin_step (EimzaJnlpSigning      *self,
            gboolean               allowed,
            gpointer               source_tag,
            GCancellable          *cancellable,
            GAsyncReadyCallback    callback,
            gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Another step of the signing is in progress");
      return NULL;
    }
  if (!allowed)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "This step of the signing is not possible now");
      return NULL;
    }

  self->task = g_object_ref (task);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                                  g_object_ref (self->cancellable),
                                                  g_object_unref);
    }
  set_error (self, NULL, FALSE);
  return g_steal_pointer (&task);
}

/* Ends the running step: the task is answered by the caller. */
static GTask *
end_step (EimzaJnlpSigning *self)
{
  release_cancellables (self);
  return g_steal_pointer (&self->task);
}

static void
fail_step (EimzaJnlpSigning      *self,
           EimzaJnlpSigningState  state,
           GError                *error,
           gboolean               can_retry)
{
  g_autoptr(GTask) task = end_step (self);

  set_error (self, error, can_retry);
  set_state (self, state);
  g_task_return_error (task, error);
}

static void
succeed_step (EimzaJnlpSigning      *self,
              EimzaJnlpSigningState  state)
{
  g_autoptr(GTask) task = end_step (self);

  set_state (self, state);
  g_task_return_boolean (task, TRUE);
}

/* Whether the work of @task ended while @task is still the step that
 * runs; otherwise (cancelled, or reset and perhaps another step begun)
 * @task is answered as cancelled and nothing else changes: @error is
 * dropped. A person who gave up at the PIN is not a cancelled step. */
static gboolean
is_current (EimzaJnlpSigning  *self,
            GTask             *task,
            GError           **error)
{
  if (task == self->task && !g_cancellable_is_cancelled (self->cancellable))
    return TRUE;

  g_clear_error (error);
  if (task == self->task)
    end_step (self);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The step was cancelled");
  return FALSE;
}

static gboolean
finish_step (EimzaJnlpSigning  *self,
             GAsyncResult      *result,
             gpointer           source_tag,
             GError           **error)
{
  g_return_val_if_fail (EIMZA_IS_JNLP_SIGNING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Turns the signer's answers into what the person can do about them. */
static GError *
plain_error (const GError *error)
{
  if (error->domain != EIMZA_PORTAL_ERROR)
    return g_error_copy (error);

  switch (error->code)
    {
    case EIMZA_PORTAL_ERROR_CODE_INVALID:
      return g_error_new_literal (EIMZA_PORTAL_ERROR, error->code,
                                  _("The web site does not know this code, or it has been used "
                                    "already. Check the code on the web page; if the page shows "
                                    "a new one, type that."));
    case EIMZA_PORTAL_ERROR_CODE_EXPIRED:
      return g_error_new_literal (EIMZA_PORTAL_ERROR, error->code,
                                  _("The time to sign with this code has run out. Start the "
                                    "signing again on the web page and type its new code."));
    case EIMZA_PORTAL_ERROR_WRONG_SIGNER:
      return g_error_new_literal (EIMZA_PORTAL_ERROR, error->code,
                                  _("The web site refused the signature: the certificate belongs "
                                    "to someone other than the person signed in on the site. Sign "
                                    "with your own card."));
    case EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED:
      /* Translators: %s is the web site's own explanation, in Turkish. */
      return g_error_new (EIMZA_PORTAL_ERROR, error->code,
                          _("The web site refused the signature: %s"), error->message);
    case EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED:
      return g_error_new_literal (EIMZA_PORTAL_ERROR, error->code,
                                  _("The web site wants your e-signature card to connect, and did "
                                    "not accept it. Insert your card and try again."));
    default:
      return g_error_copy (error);
    }
}

/* -- reading the file ----------------------------------------------------- */

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  EimzaJnlp *jnlp;
  gsize length = 0;
  char *buffer;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A pipe or a device could be read forever. */
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_NOT_JNLP,
                               _("This is not an ordinary file."));
      return;
    }

  stream = g_file_read (file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* One byte more than the parser takes is enough to know it is too
   * large; the rest is never read. */
  buffer = g_malloc (EIMZA_JNLP_MAX_SIZE + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, EIMZA_JNLP_MAX_SIZE + 1,
                                &length, cancellable, &error))
    {
      g_free (buffer);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  bytes = g_bytes_new_take (buffer, length);

  jnlp = eimza_jnlp_new_from_bytes (bytes, &error);
  if (jnlp == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, jnlp, g_object_unref);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaJnlpSigning *self = g_task_get_source_object (task);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  GError *error = NULL;

  jnlp = g_task_propagate_pointer (G_TASK (result), &error);
  if (!is_current (self, task, &error))
    return;
  if (jnlp == NULL ||
      eimza_jnlp_recognise (jnlp, self->profile, &error) != EIMZA_JNLP_KIND_SIGNER)
    {
      fail_step (self, EIMZA_JNLP_SIGNING_STATE_PROBLEM, error, FALSE);
      return;
    }

  self->jnlp = g_steal_pointer (&jnlp);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_JNLP]);
  succeed_step (self, EIMZA_JNLP_SIGNING_STATE_CODE);
}

void
eimza_jnlp_signing_load_async (EimzaJnlpSigning   *self,
                               GFile              *file,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) read = NULL;

  g_return_if_fail (EIMZA_IS_JNLP_SIGNING (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  eimza_jnlp_signing_reset (self);
  task = begin_step (self, TRUE, eimza_jnlp_signing_load_async, cancellable, callback, user_data);
  self->file = g_object_ref (file);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FILE]);
  set_state (self, EIMZA_JNLP_SIGNING_STATE_READING);

  read = g_task_new (NULL, self->cancellable, read_cb, g_steal_pointer (&task));
  g_task_set_source_tag (read, read_thread);
  g_task_set_task_data (read, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (read, read_thread);
}

gboolean
eimza_jnlp_signing_load_finish (EimzaJnlpSigning  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  return finish_step (self, result, eimza_jnlp_signing_load_async, error);
}

/* -- the code: what to sign ------------------------------------------------ */

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaJnlpSigning *self = g_task_get_source_object (task);
  EimzaEonaySignData *data;
  g_autoptr(GError) error = NULL;

  data = eimza_nes_client_fetch_sign_data_finish (EIMZA_NES_CLIENT (source), result, &error);
  if (!is_current (self, task, &error))
    {
      g_clear_pointer (&data, eimza_eonay_sign_data_free);
      return;
    }
  if (data == NULL)
    {
      fail_step (self, EIMZA_JNLP_SIGNING_STATE_CODE, plain_error (error),
                 eimza_portal_error_can_retry (error));
      return;
    }

  g_clear_pointer (&self->cms, g_bytes_unref);
  set_sign_data (self, data);
  succeed_step (self, EIMZA_JNLP_SIGNING_STATE_SIGN);
}

static void
fetch (EimzaJnlpSigning *self,
       GTask            *task)
{
  const char *code = g_task_get_task_data (task);

  eimza_nes_client_fetch_sign_data_async (self->session, code, self->cancellable,
                                          fetch_cb, task);
}

static gboolean
create_session (EimzaJnlpSigning  *self,
                EimzaCertificate  *certificate,
                GError           **error)
{
  g_autoptr(EimzaCardTlsInteraction) interaction = NULL;
  g_autoptr(EimzaNesClient) session = NULL;
  g_autofree char *url = g_strdup (self->eonay_url);
  g_autofree char *cert_url = NULL;
  g_autofree char *key_url = NULL;

  /* This session only talks to the signer's endpoints at the codebase; the
   * NES site's own address matters only when it is set, and a profile
   * (the simulator's) may leave it to run time. */
  if (url == NULL)
    {
      g_autoptr(GUri) codebase = g_uri_parse (eimza_jnlp_get_codebase (self->jnlp), G_URI_FLAGS_NONE, NULL);

      if (codebase != NULL)
        url = g_uri_join (G_URI_FLAGS_NONE, "https", NULL, g_uri_get_host (codebase),
                          g_uri_get_port (codebase), "/", NULL, NULL);
    }

  /* The signer needs no login, but a site may still ask for the card's
   * certificate when the connection is made (the simulator's does); the
   * certificate the person will most likely sign with is offered then, and
   * only then is the PIN asked. */
  if (certificate != NULL)
    g_signal_emit (self, signals[CREATE_TLS_INTERACTION], 0, certificate, &interaction);

  /* GnuTLS gets URLs that lead to the card worker, never the card's
   * PKCS#11 URLs: no other thread may enter the card's module. */
  if (interaction != NULL &&
      !eimza_card_tls_interaction_route (interaction, certificate, &cert_url, &key_url, error))
    return FALSE;

  session = eimza_nes_client_new (self->profile, url, self->ca_file, cert_url, key_url,
                                  G_TLS_INTERACTION (interaction), error);
  if (session == NULL ||
      !eimza_nes_client_set_signer_base_url (session, eimza_jnlp_get_codebase (self->jnlp), error))
    return FALSE;

  if (self->deadline > 0)
    eimza_nes_client_set_deadline (session, self->deadline);
  self->session = g_steal_pointer (&session);
  self->interaction = g_steal_pointer (&interaction);
  g_free (self->tls_cert_uri);
  self->tls_cert_uri = certificate != NULL ? g_strdup (eimza_certificate_get_uri (certificate)) : NULL;

  return TRUE;
}

/* The card's best signing certificate: a qualified one that signs
 * (non-repudiation) and has not expired. */
static EimzaCertificate *
best_certificate (GPtrArray *certificates)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  EimzaCertificate *best = NULL;
  int best_score = -1;

  for (guint i = 0; certificates != NULL && i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);
      int score;

      if (!eimza_certificate_is_signing (certificate) || eimza_certificate_is_expired (certificate, now))
        continue;
      score = (eimza_certificate_is_qualified (certificate) ? 2 : 0) +
              (eimza_certificate_has_nes_policy (certificate) ? 1 : 0);
      if (score > best_score)
        {
          best = certificate;
          best_score = score;
        }
    }

  return best;
}

static void
certificates_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaJnlpSigning *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) certificates = NULL;
  GError *error = NULL;

  certificates = eimza_pkcs11_list_certificates_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (!is_current (self, task, &error))
    return;

  /* Without a card the site may still not need one. */
  g_clear_error (&error);
  if (!create_session (self, best_certificate (certificates), &error))
    {
      fail_step (self, EIMZA_JNLP_SIGNING_STATE_CODE, error, FALSE);
      return;
    }

  fetch (self, g_steal_pointer (&task));
}

void
eimza_jnlp_signing_fetch_async (EimzaJnlpSigning   *self,
                                const char         *code,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *site_code = NULL;
  GError *error = NULL;

  g_return_if_fail (EIMZA_IS_JNLP_SIGNING (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = begin_step (self, self->state == EIMZA_JNLP_SIGNING_STATE_CODE,
                     eimza_jnlp_signing_fetch_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (eimza_site_code_check (code, &site_code) != EIMZA_SITE_CODE_VALID)
    {
      fail_step (self, EIMZA_JNLP_SIGNING_STATE_CODE,
                 g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                      "Not a verification code"), FALSE);
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&site_code), g_free);
  set_state (self, EIMZA_JNLP_SIGNING_STATE_FETCHING);

  if (self->session != NULL)
    {
      fetch (self, g_steal_pointer (&task));
      return;
    }
  if (self->service == NULL)
    {
      if (!create_session (self, NULL, &error))
        {
          fail_step (self, EIMZA_JNLP_SIGNING_STATE_CODE, error, FALSE);
          return;
        }
      fetch (self, g_steal_pointer (&task));
      return;
    }

  eimza_pkcs11_list_certificates_async (self->service, NULL, self->cancellable,
                                        certificates_cb, g_steal_pointer (&task));
}

gboolean
eimza_jnlp_signing_fetch_finish (EimzaJnlpSigning  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return finish_step (self, result, eimza_jnlp_signing_fetch_async, error);
}

/* -- uploading ------------------------------------------------------------ */

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaJnlpSigning *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (eimza_nes_client_upload_signature_finish (EIMZA_NES_CLIENT (source), result, &error))
    {
      if (task != self->task)
        {
          /* Arrived, though the person left: nothing more to say. */
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The step was cancelled");
          return;
        }
      drop_session (self);
      succeed_step (self, EIMZA_JNLP_SIGNING_STATE_DONE);
      return;
    }
  if (!is_current (self, task, &error))
    return;

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_INVALID) ||
      g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED))
    {
      set_sign_data (self, NULL);
      g_clear_pointer (&self->cms, g_bytes_unref);
      fail_step (self, EIMZA_JNLP_SIGNING_STATE_CODE, plain_error (error), FALSE);
    }
  else if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED) ||
           g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_WRONG_SIGNER))
    {
      /* Another certificate, or another try, may do: the code is not used
       * up by a refused signature. */
      g_clear_pointer (&self->cms, g_bytes_unref);
      fail_step (self, EIMZA_JNLP_SIGNING_STATE_SIGN, plain_error (error), FALSE);
    }
  else
    {
      /* A lost answer was resolved by the session: the signature did not
       * arrive (sending it again is safe) or nobody knows yet
       * (UPLOAD_UNKNOWN: sending again asks again the same way). */
      fail_step (self, EIMZA_JNLP_SIGNING_STATE_UPLOAD_FAILED, plain_error (error),
                 eimza_portal_error_can_retry (error));
    }
  g_error_free (error);
}

static void
upload (EimzaJnlpSigning *self,
        GTask            *task)
{
  set_state (self, EIMZA_JNLP_SIGNING_STATE_UPLOADING);
  eimza_nes_client_upload_signature_async (self->session, self->sign_data->code, self->cms,
                                           self->cancellable, upload_cb, task);
}

void
eimza_jnlp_signing_upload_async (EimzaJnlpSigning   *self,
                                 GBytes             *cms,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean allowed;

  g_return_if_fail (EIMZA_IS_JNLP_SIGNING (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  allowed = cms != NULL ? self->state == EIMZA_JNLP_SIGNING_STATE_SIGN
                        : (self->state == EIMZA_JNLP_SIGNING_STATE_UPLOAD_FAILED && self->cms != NULL);
  task = begin_step (self, allowed, eimza_jnlp_signing_upload_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (cms != NULL)
    {
      g_clear_pointer (&self->cms, g_bytes_unref);
      self->cms = g_bytes_ref (cms);
    }
  upload (self, g_steal_pointer (&task));
}

gboolean
eimza_jnlp_signing_upload_finish (EimzaJnlpSigning  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return finish_step (self, result, eimza_jnlp_signing_upload_async, error);
}

/* -- signing on the card --------------------------------------------------- */

static void
sign_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EimzaJnlpSigning *self = g_task_get_source_object (task);
  g_autoptr(GBytes) cms = NULL;
  GError *error = NULL;

  cms = eimza_card_signing_run_finish (EIMZA_CARD_SIGNING (source), result, &error);
  if (!is_current (self, task, &error))
    return;
  if (cms == NULL)
    {
      fail_step (self, EIMZA_JNLP_SIGNING_STATE_SIGN, error, FALSE);
      return;
    }

  g_clear_pointer (&self->cms, g_bytes_unref);
  self->cms = g_steal_pointer (&cms);
  upload (self, g_steal_pointer (&task));
}

void
eimza_jnlp_signing_sign_async (EimzaJnlpSigning   *self,
                               EimzaCertificate   *certificate,
                               EimzaPinAsker      *asker,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EimzaCardSigning) signing = NULL;

  g_return_if_fail (EIMZA_IS_JNLP_SIGNING (self));
  g_return_if_fail (EIMZA_IS_CERTIFICATE (certificate));
  g_return_if_fail (EIMZA_IS_PIN_ASKER (asker));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = begin_step (self,
                     self->state == EIMZA_JNLP_SIGNING_STATE_SIGN && self->service != NULL &&
                     eimza_certificate_get_key_uri (certificate) != NULL,
                     eimza_jnlp_signing_sign_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  set_state (self, EIMZA_JNLP_SIGNING_STATE_SIGNING);
  signing = eimza_card_signing_new_cades (self->service, asker,
                                          eimza_certificate_get_uri (certificate),
                                          eimza_certificate_get_key_uri (certificate),
                                          self->sign_data->data, EIMZA_CADES_DETACHED);
  eimza_card_signing_run_async (signing, self->cancellable, sign_cb, g_steal_pointer (&task));
}

gboolean
eimza_jnlp_signing_sign_finish (EimzaJnlpSigning  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  return finish_step (self, result, eimza_jnlp_signing_sign_async, error);
}

void
eimza_jnlp_signing_expire (EimzaJnlpSigning *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (EIMZA_IS_JNLP_SIGNING (self));

  if (self->jnlp == NULL)
    return;

  cancel_step (self);
  set_sign_data (self, NULL);
  g_clear_pointer (&self->cms, g_bytes_unref);
  error = g_error_new_literal (EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED,
                               _("The time to sign has run out. Start the signing again on the web "
                                 "page and type its new code."));
  set_error (self, error, FALSE);
  set_state (self, EIMZA_JNLP_SIGNING_STATE_CODE);
}

/* -- accessors ------------------------------------------------------------ */

EimzaJnlpSigningState
eimza_jnlp_signing_get_state (EimzaJnlpSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP_SIGNING (self), EIMZA_JNLP_SIGNING_STATE_EMPTY);
  return self->state;
}

GFile *
eimza_jnlp_signing_get_file (EimzaJnlpSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP_SIGNING (self), NULL);
  return self->file;
}

EimzaJnlp *
eimza_jnlp_signing_get_jnlp (EimzaJnlpSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP_SIGNING (self), NULL);
  return self->jnlp;
}

const EimzaEonaySignData *
eimza_jnlp_signing_get_sign_data (EimzaJnlpSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP_SIGNING (self), NULL);
  return self->sign_data;
}

const GError *
eimza_jnlp_signing_get_error (EimzaJnlpSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP_SIGNING (self), NULL);
  return self->error;
}

gboolean
eimza_jnlp_signing_get_can_retry (EimzaJnlpSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP_SIGNING (self), FALSE);
  return self->can_retry;
}

const char *
eimza_jnlp_signing_get_tls_certificate_uri (EimzaJnlpSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP_SIGNING (self), NULL);
  return self->tls_cert_uri;
}

void
eimza_jnlp_signing_set_deadline (EimzaJnlpSigning *self,
                                 guint             seconds)
{
  g_return_if_fail (EIMZA_IS_JNLP_SIGNING (self));

  self->deadline = seconds;
  if (self->session != NULL && seconds > 0)
    eimza_nes_client_set_deadline (self->session, seconds);
}

gboolean
eimza_jnlp_signing_is_in_progress (EimzaJnlpSigning *self)
{
  g_return_val_if_fail (EIMZA_IS_JNLP_SIGNING (self), FALSE);

  return self->state >= EIMZA_JNLP_SIGNING_STATE_FETCHING &&
         self->state <= EIMZA_JNLP_SIGNING_STATE_UPLOAD_FAILED;
}

/* -- life cycle ----------------------------------------------------------- */

EimzaJnlpSigning *
eimza_jnlp_signing_new (EimzaPortalProfile *profile,
                        EimzaCardService   *service,
                        const char         *eonay_url,
                        const char         *ca_file)
{
  EimzaJnlpSigning *self;

  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (profile), NULL);
  g_return_val_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service), NULL);

  self = g_object_new (EIMZA_TYPE_JNLP_SIGNING, NULL);
  self->profile = g_object_ref (profile);
  self->service = service != NULL ? g_object_ref (service) : NULL;
  self->eonay_url = g_strdup (eonay_url);
  self->ca_file = g_strdup (ca_file);
  return self;
}

static void
eimza_jnlp_signing_dispose (GObject *object)
{
  EimzaJnlpSigning *self = EIMZA_JNLP_SIGNING (object);

  cancel_step (self);
  drop_session (self);
  g_clear_object (&self->jnlp);
  g_clear_object (&self->file);
  g_clear_object (&self->service);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (eimza_jnlp_signing_parent_class)->dispose (object);
}

static void
eimza_jnlp_signing_finalize (GObject *object)
{
  EimzaJnlpSigning *self = EIMZA_JNLP_SIGNING (object);

  g_clear_error (&self->error);
  g_free (self->eonay_url);
  g_free (self->ca_file);

  G_OBJECT_CLASS (eimza_jnlp_signing_parent_class)->finalize (object);
}

static void
eimza_jnlp_signing_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EimzaJnlpSigning *self = EIMZA_JNLP_SIGNING (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_JNLP:
      g_value_set_object (value, self->jnlp);
      break;
    case PROP_SIGN_DATA:
      g_value_set_boxed (value, self->sign_data);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_CAN_RETRY:
      g_value_set_boolean (value, self->can_retry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_jnlp_signing_class_init (EimzaJnlpSigningClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = eimza_jnlp_signing_dispose;
  object_class->finalize = eimza_jnlp_signing_finalize;
  object_class->get_property = eimza_jnlp_signing_get_property;

  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, EIMZA_TYPE_JNLP_SIGNING_STATE,
                                         EIMZA_JNLP_SIGNING_STATE_EMPTY, flags);
  props[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  props[PROP_JNLP] = g_param_spec_object ("jnlp", NULL, NULL, EIMZA_TYPE_JNLP, flags);
  props[PROP_SIGN_DATA] = g_param_spec_boxed ("sign-data", NULL, NULL,
                                              EIMZA_TYPE_EONAY_SIGN_DATA, flags);
  props[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  props[PROP_CAN_RETRY] = g_param_spec_boolean ("can-retry", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[CREATE_TLS_INTERACTION] =
    g_signal_new ("create-tls-interaction",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_first_wins, NULL, NULL,
                  EIMZA_TYPE_CARD_TLS_INTERACTION, 1, EIMZA_TYPE_CERTIFICATE);
}

static void
eimza_jnlp_signing_init (EimzaJnlpSigning *self)
{
}
