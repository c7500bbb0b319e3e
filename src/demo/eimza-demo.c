/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What `eimza-asistan --demo` runs against: the portal simulator and a SoftHSM2 card. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "eimza-demo-dir.h"
#include "eimza-demo-private.h"

G_DEFINE_QUARK (eimza-demo-error-quark, eimza_demo_error)

G_DEFINE_FINAL_TYPE (EimzaDemo, eimza_demo, G_TYPE_OBJECT)

static void unwatch_signals (EimzaDemo *self);

/* Demo data, but a PIN all the same: it does not stay in freed memory. */
void
eimza_demo_wipe_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
eimza_demo_dispose (GObject *object)
{
  eimza_demo_stop (EIMZA_DEMO (object));

  G_OBJECT_CLASS (eimza_demo_parent_class)->dispose (object);
}

static void
eimza_demo_finalize (GObject *object)
{
  EimzaDemo *self = EIMZA_DEMO (object);

  unwatch_signals (self);
  g_clear_object (&self->cancellable);
  g_free (self->portal_url);
  g_free (self->nes_url);
  g_free (self->sifreli_url);
  g_free (self->ca_file);
  g_free (self->sms_log_file);
  g_free (self->card_problem);
  g_free (self->pkcs11_module);
  g_free (self->softhsm2_conf);
  g_free (self->token_label);
  g_clear_pointer (&self->pin, eimza_demo_wipe_free);
  g_clear_pointer (&self->puk, eimza_demo_wipe_free);
  g_clear_pointer (&self->security_word, eimza_demo_wipe_free);
  g_free (self->pkcs11_target);
  g_free (self->softhsm2_copy);
  g_free (self->tckn);
  g_free (self->given_name);
  g_free (self->surname);
  g_free (self->birth_place);
  g_free (self->birth_date);

  G_OBJECT_CLASS (eimza_demo_parent_class)->finalize (object);
}

static void
eimza_demo_class_init (EimzaDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_demo_dispose;
  object_class->finalize = eimza_demo_finalize;
}

static void
eimza_demo_init (EimzaDemo *self)
{
  self->cancellable = g_cancellable_new ();
}

/* ------------------------------------------------------------------------
 * Signals during the start. The start takes up to 20 s; a demo stopped in
 * that time (Ctrl+C, the session ending) must still remove its directory,
 * which holds the token and its PIN. The sources exist from before the
 * directory is made until eimza_demo_start() returns; the application
 * installs its own handlers before that, so there is no moment when the
 * default action (death without clean-up) applies.
 * ------------------------------------------------------------------------ */

static gboolean
start_signal_cb (gpointer user_data)
{
  EimzaDemo *self = user_data;

  self->interrupted = TRUE;
  if (self->wait_cancellable != NULL)
    g_cancellable_cancel (self->wait_cancellable);
  return G_SOURCE_CONTINUE;
}

static void
watch_signals (EimzaDemo *self)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };

  self->start_context = g_main_context_new ();
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      self->signal_sources[i] = g_unix_signal_source_new (signals[i]);
      g_source_set_callback (self->signal_sources[i], start_signal_cb, self, NULL);
      g_source_attach (self->signal_sources[i], self->start_context);
    }
}

static void
unwatch_signals (EimzaDemo *self)
{
  if (self->start_context == NULL)
    return;

  /* A signal that came while nothing waited. */
  while (g_main_context_iteration (self->start_context, FALSE))
    ;
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    {
      g_source_destroy (self->signal_sources[i]);
      g_clear_pointer (&self->signal_sources[i], g_source_unref);
    }
  g_clear_pointer (&self->start_context, g_main_context_unref);
}

/* A wait of the start: on the start context, cut short by a signal. */
void
eimza_demo_start_wait_begin (EimzaDemo     *self,
                             EimzaDemoWait *wait,
                             guint          timeout_ms)
{
  eimza_demo_wait_begin (wait, self->start_context, timeout_ms);
  self->wait_cancellable = wait->cancellable;
  /* Dispatches a signal that came before the wait. */
  g_main_context_iteration (wait->context, FALSE);
  if (self->interrupted)
    g_cancellable_cancel (wait->cancellable);
}

void
eimza_demo_start_wait_end (EimzaDemo     *self,
                           EimzaDemoWait *wait)
{
  self->wait_cancellable = NULL;
  eimza_demo_wait_end (wait);
}

/* ------------------------------------------------------------------------
 * Public API.
 * ------------------------------------------------------------------------ */

/**
 * eimza_demo_start:
 * @error: return location for an #EimzaDemoError
 *
 * Makes a private temporary directory (0700) with a throwaway SoftHSM2
 * card in it (eimza-demo-card) and starts eimza-portal-sim on 127.0.0.1,
 * with the NES site trusting the card's CA. Without SoftHSM2 or the GnuTLS
 * tools the demo starts without a card; eimza_demo_get_card_problem() then
 * says what to install. Synchronous and bounded (at most 20 s).
 *
 * The directory of an earlier demo whose process is gone (killed with
 * SIGKILL, crashed) is removed first. SIGINT, SIGTERM or SIGHUP during the
 * start stop it: everything made is removed and the error is
 * %EIMZA_DEMO_ERROR_INTERRUPTED. Install the caller's own handlers for
 * them before calling this, so that none of them finds the default action
 * once it returns.
 *
 * Call it from the main thread: the simulator is bound to the life of the
 * calling thread (PR_SET_PDEATHSIG), and its output is read on the
 * thread-default main context.
 *
 * Returns: (transfer full) (nullable): the running demo; unref it or call
 *   eimza_demo_stop() to stop the simulator and remove every file.
 */
EimzaDemo *
eimza_demo_start (GError **error)
{
  g_autoptr(EimzaDemo) self = g_object_new (EIMZA_TYPE_DEMO, NULL);
  g_autoptr(GError) local_error = NULL;
  gboolean started = FALSE;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Before anything is made (see watch_signals()). */
  watch_signals (self);
  eimza_demo_dir_remove_stale ();

  self->dir = eimza_demo_dir_make (&local_error);
  if (self->dir == NULL)
    {
      unwatch_signals (self);
      g_set_error (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_FAILED,
                   _("The demo could not make its temporary directory: %s"),
                   local_error->message);
      return NULL;
    }

  eimza_demo_make_card (self);
  if (!self->interrupted)
    started = eimza_demo_start_simulator (self, &local_error);
  unwatch_signals (self);

  if (self->interrupted)
    {
      /* Everything goes, and the caller learns why. */
      eimza_demo_stop (self);
      g_set_error_literal (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_INTERRUPTED,
                           _("The demo was stopped while it was starting."));
      return NULL;
    }
  if (!started)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * eimza_demo_stop:
 * @self: an #EimzaDemo
 *
 * Stops the simulator (SIGTERM, then SIGKILL after 3 s) and removes the
 * private directory with the card in it. The getters' paths are gone
 * afterwards. Also done when @self is disposed; calling it again does
 * nothing.
 */
void
eimza_demo_stop (EimzaDemo *self)
{
  g_return_if_fail (EIMZA_IS_DEMO (self));

  g_cancellable_cancel (self->cancellable);

  if (self->simulator != NULL)
    {
      eimza_demo_terminate (self->simulator);
      g_clear_object (&self->simulator);
    }
  g_clear_object (&self->simulator_stdout);

  if (self->dir != NULL)
    {
      eimza_demo_dir_remove (self->dir);
      g_clear_pointer (&self->dir, g_free);
    }
}

/* Returns: the portal's base URL, "https://127.0.0.1:PORT/". */
const char *
eimza_demo_get_portal_url (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->portal_url;
}

/* Returns: (nullable): the NES site's base URL; NULL without a card. */
const char *
eimza_demo_get_nes_url (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->nes_url;
}

/* Returns: (nullable): the base URL of the NES site's Şifreli Giriş and
 * Kilit Çözme (docs/unblock-protocol.md), which hands out the demo card's
 * unblock code; NULL without a card. */
const char *
eimza_demo_get_sifreli_url (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->sifreli_url;
}

/* Returns: the CA (PEM) that vouches for both sites' server certificate. */
const char *
eimza_demo_get_ca_file (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->ca_file;
}

/* Returns: the file where the simulator appends "TIMESTAMP PHONE CODE"
 * for every SMS code; it appears with the first one. */
const char *
eimza_demo_get_sms_log_file (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->sms_log_file;
}

/* Returns: (nullable): why the demo has no card, for people (translated);
 * NULL when it has one. */
const char *
eimza_demo_get_card_problem (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->card_problem;
}

/* Returns: (nullable): the demo card module (SoftHSM2 with a real card's
 * PIN rules), or libsofthsm2.so where that module is missing; NULL
 * without a card. */
const char *
eimza_demo_get_pkcs11_module (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->pkcs11_module;
}

/* Returns: (nullable): the value for SOFTHSM2_CONF; NULL without a card. */
const char *
eimza_demo_get_softhsm2_conf (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->softhsm2_conf;
}

/* Returns: (nullable): "E-IMZA DEMO"; NULL without a card. */
const char *
eimza_demo_get_token_label (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->token_label;
}

/* Returns: (nullable): the module the demo card module wraps (the value
 * for EIMZA_DEMO_CARD_TARGET: the card's copy of SoftHSM2); NULL when the card is SoftHSM2 itself or
 * there is none. */
const char *
eimza_demo_get_pkcs11_target (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->pkcs11_target;
}

/* Returns: (nullable): the card's unblock code (PUK: its SO PIN), which
 * the demo person holds as a card holder holds the envelope's; NULL
 * without a card. Never log it. */
const char *
eimza_demo_get_puk (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->puk;
}

/* Returns: (nullable): the security word the demo person chose in the
 * application that gave them the card, which Şifreli Giriş asks for; NULL
 * without a card. Never log it. */
const char *
eimza_demo_get_security_word (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->security_word;
}

/* Returns: (nullable): the card's user PIN; NULL without a card. Never log it. */
const char *
eimza_demo_get_pin (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->pin;
}

/* The demo person, as in the simulator's fixtures (e-onay not active).
 * Each is NULL only if eimza-demo-card could not run at all. */
const char *
eimza_demo_get_tckn (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->tckn;
}

const char *
eimza_demo_get_given_name (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->given_name;
}

const char *
eimza_demo_get_surname (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->surname;
}

const char *
eimza_demo_get_birth_place (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->birth_place;
}

/* Returns: (nullable): "gg.aa.yyyy", as typed on the sign-in page. */
const char *
eimza_demo_get_birth_date (EimzaDemo *self)
{
  g_return_val_if_fail (EIMZA_IS_DEMO (self), NULL);

  return self->birth_date;
}
