/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's card: a throwaway SoftHSM2 token made by eimza-demo-card, and the person it is for. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "eimza-demo-private.h"

#ifndef EIMZA_DEMO_CARD_PATH
#error "EIMZA_DEMO_CARD_PATH must name the installed libexecdir/eimza-asistan/eimza-demo-card"
#endif

/* Making the card takes about half a second; the rest is for a machine
 * that is busy building. */
#define CARD_TIMEOUT_MS (12 * 1000)

/* eimza-demo-card's exit status when softhsm2 or gnutls-bin is missing. */
#define CARD_EXIT_MISSING_TOOLS 2

#define CARD_FILE "demo-card.ini"
#define PERSON_GROUP "person"
#define CARD_GROUP "card"

static char *
key_file_get (GKeyFile   *key_file,
              const char *group,
              const char *key)
{
  g_autofree char *value = g_key_file_get_string (key_file, group, key, NULL);

  return value != NULL && *value != '\0' ? g_steal_pointer (&value) : NULL;
}

/* DIR/card/demo-card.ini: [person] whenever eimza-demo-card got that far,
 * [card] only with a complete card. FALSE: no usable card. */
static gboolean
read_card_file (EimzaDemo  *self,
                const char *card_dir)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = g_build_filename (card_dir, CARD_FILE, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Demo card: %s: %s", path, error->message);
      return FALSE;
    }

  self->tckn = key_file_get (key_file, PERSON_GROUP, "tckn");
  self->given_name = key_file_get (key_file, PERSON_GROUP, "given-name");
  self->surname = key_file_get (key_file, PERSON_GROUP, "surname");
  self->birth_place = key_file_get (key_file, PERSON_GROUP, "birth-place");
  self->birth_date = key_file_get (key_file, PERSON_GROUP, "birth-date");

  if (!g_key_file_has_group (key_file, CARD_GROUP))
    return FALSE;

  self->softhsm2_conf = key_file_get (key_file, CARD_GROUP, "softhsm2-conf");
  self->pkcs11_module = key_file_get (key_file, CARD_GROUP, "pkcs11-module");
  self->token_label = key_file_get (key_file, CARD_GROUP, "token-label");
  self->pin = key_file_get (key_file, CARD_GROUP, "pin");
  self->puk = key_file_get (key_file, CARD_GROUP, "puk");
  self->softhsm2_copy = key_file_get (key_file, CARD_GROUP, "softhsm2-copy");

  if (self->softhsm2_conf == NULL || self->pkcs11_module == NULL || self->token_label == NULL
      || self->pin == NULL || self->puk == NULL || self->tckn == NULL)
    {
      g_warning ("Demo card: %s is incomplete", path);
      return FALSE;
    }

  return TRUE;
}

/* The demo card module in front of SoftHSM2, when it is there: the card
 * then locks after three wrong PINs and unlocks with its PUK, as a real
 * one. Without it the card is SoftHSM2 alone, which never locks. */
static void
use_card_module (EimzaDemo *self)
{
  g_autofree char *module = eimza_demo_find_program ("EIMZA_DEMO_CARD_MODULE", "tools/demo",
                                                     "eimza-demo-card-module.so",
                                                     EIMZA_DEMO_CARD_MODULE_PATH);

  if (!g_file_test (module, G_FILE_TEST_IS_REGULAR) || self->softhsm2_copy == NULL)
    {
      g_message ("Demo card: %s is missing; the virtual card cannot lock", module);
      return;
    }

  self->pkcs11_target = g_steal_pointer (&self->softhsm2_copy);
  g_free (self->pkcs11_module);
  self->pkcs11_module = g_steal_pointer (&module);
}

/* The security word the demo person chose in the application that gave
 * them the card (the fixtures have none for them): a word and two digits,
 * as people choose them, new for every demo like the PUK. */
static char *
make_security_word (void)
{
  static const char * const words[] = {
    "Papatya", "Zeytin", "Kiraz", "Defne", "Ceviz", "Lale", "Sardunya", "Pelikan",
  };

  return g_strdup_printf ("%s%02d", words[g_random_int_range (0, G_N_ELEMENTS (words))],
                          g_random_int_range (10, 100));
}

/* A group of its own, so that a timeout stops certtool and p11tool too. */
static void
card_child_setup (gpointer user_data)
{
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static const char *
first_line (char *text)
{
  char *newline;

  if (text == NULL)
    return "";
  newline = strchr (text, '\n');
  if (newline != NULL)
    *newline = '\0';
  return text;
}

/* Runs eimza-demo-card into DIR/card. A card that cannot be made is a
 * problem the demo shows, not a reason to refuse the demo: the portal
 * pages work without one. */
void
eimza_demo_make_card (EimzaDemo *self)
{
  g_autofree char *program = eimza_demo_find_program ("EIMZA_DEMO_CARD", "tools/demo", "eimza-demo-card",
                                          EIMZA_DEMO_CARD_PATH);
  g_autofree char *card_dir = g_build_filename (self->dir, "card", NULL);
  const char *argv[] = { program, card_dir, NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;
  gboolean finished;
  gboolean timed_out;
  EimzaDemoWait wait = { 0 };
  int status = -1;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, card_child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process != NULL)
    {
      eimza_demo_start_wait_begin (self, &wait, CARD_TIMEOUT_MS);
      g_subprocess_communicate_utf8_async (process, NULL, wait.cancellable,
                                           eimza_demo_wait_done_cb, &wait);
      result = eimza_demo_wait_for (&wait);
      finished = g_subprocess_communicate_utf8_finish (process, result, NULL, &errors, &error);
      timed_out = eimza_demo_wait_timed_out (&wait) && !self->interrupted;
      eimza_demo_start_wait_end (self, &wait);

      if (finished)
        {
          status = g_subprocess_get_if_exited (process)
            ? g_subprocess_get_exit_status (process) : -1;
        }
      else
        {
          eimza_demo_kill_group (process);
          if (timed_out)
            {
              g_clear_error (&error);
              g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           "no card after %d s", CARD_TIMEOUT_MS / 1000);
            }
        }
    }

  /* eimza_demo_start() cleans up and says why. */
  if (self->interrupted)
    return;

  /* The person, even without a card: the demo still says who to be. */
  if (read_card_file (self, card_dir) && status == 0)
    {
      use_card_module (self);
      self->security_word = make_security_word ();
      return;
    }

  if (status == CARD_EXIT_MISSING_TOOLS)
    {
      g_message ("Demo card: %s", first_line (errors));
      self->card_problem = g_strdup (_("The demo has no card: the virtual card needs SoftHSM2 "
                                       "and the GnuTLS tools. Install them with "
                                       "“sudo apt install softhsm2 gnutls-bin” and start the "
                                       "demo again."));
    }
  else
    {
      /* eimza-demo-card prints nothing secret. */
      if (error != NULL)
        g_warning ("Demo card: %s: %s", program, error->message);
      else
        g_warning ("Demo card: %s exited with status %d: %s", program, status,
                   first_line (errors));
      self->card_problem = g_strdup (_("The demo card could not be made, so the demo runs "
                                       "without a card. The messages in the terminal say why."));
    }

  g_clear_pointer (&self->softhsm2_conf, g_free);
  g_clear_pointer (&self->pkcs11_module, g_free);
  g_clear_pointer (&self->token_label, g_free);
  g_clear_pointer (&self->pin, eimza_demo_wipe_free);
  g_clear_pointer (&self->puk, eimza_demo_wipe_free);
}
