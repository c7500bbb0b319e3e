/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's portal simulator: started on 127.0.0.1, where it listens read from its first lines. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "eimza-demo-private.h"

#ifndef EIMZA_PORTAL_SIM_PATH
#error "EIMZA_PORTAL_SIM_PATH must name the installed libexecdir/eimza-asistan/eimza-portal-sim"
#endif

/* The simulator's start takes a fraction of a second; the rest is for a
 * machine that is busy building. */
#define SIMULATOR_TIMEOUT_MS (8 * 1000)

#define LISTENING_PREFIX "listening "
#define LISTENING_NES_PREFIX "listening-nes "
#define LISTENING_SIFRELI_PREFIX "listening-nes-sifreli "
/* "TCKN PUK SECURITY-WORD" for the simulator's --unblock-code-file. */
#define UNBLOCK_CODE_FILE "unblock-codes"
#define LOOPBACK_URL_PREFIX "https://127.0.0.1:"

/* The simulator must not outlive the app, even one that crashed. */
static void
simulator_child_setup (gpointer user_data)
{
  pid_t parent = GPOINTER_TO_INT (user_data);

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* The app may have gone before prctl() took effect. */
  if (getppid () != parent)
    _exit (1);
}

static char *
read_line (GDataInputStream  *stream,
           EimzaDemoWait     *wait,
           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, wait->cancellable,
                                       eimza_demo_wait_done_cb, wait);
  result = eimza_demo_wait_for (wait);
  return g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, error);
}

/* "listening https://127.0.0.1:PORT/ ca=PATH" (PATH may hold spaces). */
static gboolean
parse_listening (EimzaDemo  *self,
                 const char *line)
{
  g_auto(GStrv) words = NULL;

  if (!g_str_has_prefix (line, LISTENING_PREFIX))
    return FALSE;

  words = g_strsplit (line + strlen (LISTENING_PREFIX), " ", 2);
  if (g_strv_length (words) != 2 || !g_str_has_prefix (words[0], LOOPBACK_URL_PREFIX)
      || !g_str_has_prefix (words[1], "ca=") || words[1][3] != '/')
    return FALSE;

  self->portal_url = g_strdup (words[0]);
  self->ca_file = g_strdup (words[1] + strlen ("ca="));
  return TRUE;
}

/* "PREFIX https://127.0.0.1:PORT/": the URL, or NULL. */
static char *
parse_url_line (const char *line,
                const char *prefix)
{
  const char *url;

  if (!g_str_has_prefix (line, prefix))
    return NULL;

  url = line + strlen (prefix);
  if (!g_str_has_prefix (url, LOOPBACK_URL_PREFIX) || strchr (url, ' ') != NULL)
    return NULL;

  return g_strdup (url);
}

/* "listening-nes https://127.0.0.1:PORT/" */
static gboolean
parse_listening_nes (EimzaDemo  *self,
                     const char *line)
{
  self->nes_url = parse_url_line (line, LISTENING_NES_PREFIX);
  return self->nes_url != NULL;
}

/* "listening-nes-sifreli https://127.0.0.1:PORT/" */
static gboolean
parse_listening_sifreli (EimzaDemo  *self,
                         const char *line)
{
  self->sifreli_url = parse_url_line (line, LISTENING_SIFRELI_PREFIX);
  return self->sifreli_url != NULL;
}

/* DIR/unblock-codes (0600): the demo card's PUK and the demo person's
 * security word, which the simulator's Kilit Çözme hands out and its
 * Şifreli Giriş asks for. A file, never the command line, which `ps`
 * shows to everyone; the simulator reads it before it says where it
 * listens, and the demo removes it then. */
static char *
write_unblock_code_file (EimzaDemo  *self,
                         GError    **error)
{
  g_autofree char *path = g_build_filename (self->dir, UNBLOCK_CODE_FILE, NULL);
  char *line = g_strdup_printf ("%s %s %s\n", self->tckn, self->puk, self->security_word);
  gsize length = strlen (line);
  gsize written = 0;
  int saved_errno = 0;
  int fd;

  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    saved_errno = errno;
  while (fd >= 0 && written < length)
    {
      gssize n = write (fd, line + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          break;
        }
      written += n;
    }
  if (fd >= 0 && close (fd) != 0 && saved_errno == 0)
    saved_errno = errno;
  eimza_demo_wipe_free (line);

  if (saved_errno != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      if (fd >= 0)
        g_unlink (path);
      return NULL;
    }

  return g_steal_pointer (&path);
}

static void
remove_unblock_code_file (char *path)
{
  if (path == NULL)
    return;

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Demo: cannot remove %s: %s", path, g_strerror (errno));
  g_free (path);
}

static void drain_simulator_stdout (EimzaDemo *self);

static void
drain_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The end, or an error: the simulator is gone, or closed stdout. */
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return;

  drain_simulator_stdout (EIMZA_DEMO (user_data));
}

/* The simulator must never block on a full pipe, whatever it prints. */
static void
drain_simulator_stdout (EimzaDemo *self)
{
  g_input_stream_read_bytes_async (self->simulator_stdout, 4096, G_PRIORITY_LOW,
                                   self->cancellable, drain_cb, self);
}

gboolean
eimza_demo_start_simulator (EimzaDemo  *self,
                            GError    **error)
{
  g_autofree char *program = eimza_demo_find_program ("EIMZA_PORTAL_SIM", "tools/portal-sim",
                                          "eimza-portal-sim", EIMZA_PORTAL_SIM_PATH);
  g_autofree char *tls_dir = g_build_filename (self->dir, "portal", NULL);
  g_autofree char *nes_client_ca = NULL;
  g_autofree char *unblock_code_file = NULL;
  const char *captcha_log;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *nes_line = NULL;
  g_autofree char *sifreli_line = NULL;
  gboolean timed_out;
  gboolean parsed;
  EimzaDemoWait wait = { 0 };

  self->sms_log_file = g_build_filename (self->dir, "sms.log", NULL);

  g_ptr_array_add (argv, program);
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  g_ptr_array_add (argv, "--tls-dir");
  g_ptr_array_add (argv, tls_dir);
  g_ptr_array_add (argv, "--sms-log");
  g_ptr_array_add (argv, self->sms_log_file);
  /* The NES site only with a card: it wants a client certificate. */
  if (self->card_problem == NULL)
    {
      nes_client_ca = g_build_filename (self->dir, "card", "ca.pem", NULL);
      g_ptr_array_add (argv, "--nes-client-ca");
      g_ptr_array_add (argv, nes_client_ca);

      /* Şifreli Giriş, which unlocks the card the demo person locked. */
      unblock_code_file = write_unblock_code_file (self, &local_error);
      if (unblock_code_file == NULL)
        {
          g_warning ("Demo: %s", local_error->message);
          g_set_error_literal (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_FAILED,
                               _("The demo could not write its files. The messages in the "
                                 "terminal say why."));
          return FALSE;
        }
      g_ptr_array_add (argv, "--sifreli-giris");
      g_ptr_array_add (argv, "--unblock-code-file");
      g_ptr_array_add (argv, unblock_code_file);
    }
  /* For tests only (tests/gui-demo), never set by the app: the simulator
   * writes each captcha's text to this file, so that a test can type it
   * as a person reads the image. It also turns on the simulator's /_sim
   * test endpoints, which the --captcha-log option requires. */
  captcha_log = g_getenv ("EIMZA_DEMO_TEST_CAPTCHA_LOG");
  if (captcha_log != NULL && *captcha_log != '\0')
    {
      g_ptr_array_add (argv, "--test-endpoints");
      g_ptr_array_add (argv, "--captcha-log");
      g_ptr_array_add (argv, (char *) captcha_log);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup,
                                         GINT_TO_POINTER (getpid ()), NULL);
  self->simulator = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &local_error);
  if (self->simulator == NULL)
    {
      g_clear_pointer (&unblock_code_file, remove_unblock_code_file);
      g_warning ("Demo: cannot run %s: %s", program, local_error->message);
      if (g_error_matches (local_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        g_set_error_literal (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_NO_SIMULATOR,
                             _("The demo needs the portal simulator, eimza-portal-sim, which "
                               "is not installed."));
      else
        g_set_error (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_SIMULATOR_FAILED,
                     _("The portal simulator could not be started: %s"), local_error->message);
      return FALSE;
    }

  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->simulator));
  eimza_demo_start_wait_begin (self, &wait, SIMULATOR_TIMEOUT_MS);
  line = read_line (stream, &wait, &local_error);
  parsed = line != NULL && parse_listening (self, line);
  if (parsed && nes_client_ca != NULL)
    {
      nes_line = read_line (stream, &wait, &local_error);
      parsed = nes_line != NULL && parse_listening_nes (self, nes_line);
    }
  if (parsed && unblock_code_file != NULL)
    {
      sifreli_line = read_line (stream, &wait, &local_error);
      parsed = sifreli_line != NULL && parse_listening_sifreli (self, sifreli_line);
    }
  timed_out = eimza_demo_wait_timed_out (&wait) && !self->interrupted;
  eimza_demo_start_wait_end (self, &wait);
  /* Read by now, or never: either way it goes. */
  g_clear_pointer (&unblock_code_file, remove_unblock_code_file);

  if (!parsed)
    {
      eimza_demo_terminate (self->simulator);
      g_clear_object (&self->simulator);
      if (self->interrupted)
        return FALSE;
      if (timed_out)
        {
          g_set_error (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_TIMED_OUT,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The portal simulator did not start within %d second.",
                                    "The portal simulator did not start within %d seconds.",
                                    SIMULATOR_TIMEOUT_MS / 1000),
                       SIMULATOR_TIMEOUT_MS / 1000);
          return FALSE;
        }
      if (local_error != NULL)
        g_warning ("Demo: reading from the portal simulator: %s", local_error->message);
      else if (line != NULL)
        g_warning ("Demo: unexpected start-up line from the portal simulator");
      g_set_error_literal (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_SIMULATOR_FAILED,
                           _("The portal simulator stopped at start-up. The messages in the "
                             "terminal say why."));
      return FALSE;
    }

  self->simulator_stdout = G_INPUT_STREAM (g_steal_pointer (&stream));
  drain_simulator_stdout (self);
  g_debug ("Demo: portal simulator at %s%s%s%s%s", self->portal_url,
           self->nes_url != NULL ? ", NES site at " : "",
           self->nes_url != NULL ? self->nes_url : "",
           self->sifreli_url != NULL ? ", Şifreli Giriş at " : "",
           self->sifreli_url != NULL ? self->sifreli_url : "");
  return TRUE;
}
