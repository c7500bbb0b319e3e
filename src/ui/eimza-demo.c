/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What `eimza-asistan --demo` runs against: the portal simulator and a SoftHSM2 card. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "eimza-demo.h"

/* Where the installed helpers are; a build tree has its own (find_helper()). */
#ifndef EIMZA_DEMO_CARD_PATH
#error "EIMZA_DEMO_CARD_PATH must name the installed libexecdir/eimza-asistan/eimza-demo-card"
#endif
#ifndef EIMZA_PORTAL_SIM_PATH
#error "EIMZA_PORTAL_SIM_PATH must name the installed libexecdir/eimza-asistan/eimza-portal-sim"
#endif

/* eimza_demo_start() is bounded by the sum: 20 s. Making the card takes
 * about half a second, the simulator's start a fraction of one; the rest
 * is for a machine that is busy building. */
#define CARD_TIMEOUT_MS (12 * 1000)
#define SIMULATOR_TIMEOUT_MS (8 * 1000)
/* After SIGTERM, before SIGKILL. */
#define STOP_TIMEOUT_MS (3 * 1000)

/* eimza-demo-card's exit status when softhsm2 or gnutls-bin is missing. */
#define CARD_EXIT_MISSING_TOOLS 2

#define CARD_FILE "demo-card.ini"
#define PERSON_GROUP "person"
#define CARD_GROUP "card"

/* The private directory: g_get_tmp_dir()/eimza-demo-XXXXXX, with a file
 * naming the process that made it, so that the next demo can tell the
 * directory of a crashed one from that of a running one. */
#define DIR_PREFIX "eimza-demo-"
#define DIR_TEMPLATE DIR_PREFIX "XXXXXX"
#define OWNER_FILE "owner"

#define LISTENING_PREFIX "listening "
#define LISTENING_NES_PREFIX "listening-nes "
#define LOOPBACK_URL_PREFIX "https://127.0.0.1:"

G_DEFINE_QUARK (eimza-demo-error-quark, eimza_demo_error)

struct _EimzaDemo
{
  GObject parent_instance;

  char *dir;                     /* the private directory; NULL once removed */
  /* Only during eimza_demo_start(): every wait runs on this context, which
   * also watches SIGINT, SIGTERM and SIGHUP, so that a demo stopped while
   * it starts still removes what it made. */
  GMainContext *start_context;
  GSource *signal_sources[3];
  GCancellable *wait_cancellable; /* the wait in progress, cancelled by a signal */
  gboolean interrupted;
  GSubprocess *simulator;
  GInputStream *simulator_stdout;
  GCancellable *cancellable;     /* the reading of the simulator's stdout */

  char *portal_url;
  char *nes_url;                 /* NULL without a card */
  char *ca_file;
  char *sms_log_file;

  char *card_problem;            /* NULL when the card was made */
  char *pkcs11_module;
  char *softhsm2_conf;
  char *token_label;
  char *pin;

  char *tckn;
  char *given_name;
  char *surname;
  char *birth_place;
  char *birth_date;
};

G_DEFINE_FINAL_TYPE (EimzaDemo, eimza_demo, G_TYPE_OBJECT)

static void unwatch_signals (EimzaDemo *self);

/* Demo data, but a PIN all the same: it does not stay in freed memory. */
static void
wipe_free (char *secret)
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
  g_free (self->ca_file);
  g_free (self->sms_log_file);
  g_free (self->card_problem);
  g_free (self->pkcs11_module);
  g_free (self->softhsm2_conf);
  g_free (self->token_label);
  g_clear_pointer (&self->pin, wipe_free);
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
 * Waiting with a deadline: the start and the stop are synchronous, yet a
 * child process must not hold the app forever. The asynchronous calls run
 * on a private main context, so nothing of the caller's main loop is
 * dispatched meanwhile.
 * ------------------------------------------------------------------------ */

typedef struct
{
  GMainContext *context;
  GCancellable *cancellable;     /* cancelled at the deadline */
  GSource *deadline;
  GAsyncResult *result;
} Sync;

static gboolean
sync_deadline_cb (gpointer user_data)
{
  Sync *sync = user_data;

  g_cancellable_cancel (sync->cancellable);
  return G_SOURCE_REMOVE;
}

/* @context: the context to wait on (a reference is taken), or %NULL for
 * a new one. */
static void
sync_begin (Sync         *sync,
            GMainContext *context,
            guint         timeout_ms)
{
  sync->context = context != NULL ? g_main_context_ref (context) : g_main_context_new ();
  sync->cancellable = g_cancellable_new ();
  sync->deadline = g_timeout_source_new (timeout_ms);
  g_source_set_callback (sync->deadline, sync_deadline_cb, sync, NULL);
  g_source_attach (sync->deadline, sync->context);
  g_main_context_push_thread_default (sync->context);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Sync *sync = user_data;

  sync->result = g_object_ref (result);
}

/* The result of the one pending call given sync_done_cb(). */
static GAsyncResult *
sync_wait (Sync *sync)
{
  while (sync->result == NULL)
    g_main_context_iteration (sync->context, TRUE);

  return g_steal_pointer (&sync->result);
}

static gboolean
sync_timed_out (Sync *sync)
{
  return g_cancellable_is_cancelled (sync->cancellable);
}

static void
sync_end (Sync *sync)
{
  g_main_context_pop_thread_default (sync->context);
  g_source_destroy (sync->deadline);
  g_clear_pointer (&sync->deadline, g_source_unref);
  g_clear_object (&sync->cancellable);
  /* What the finished calls left behind on the context. */
  while (g_main_context_iteration (sync->context, FALSE))
    ;
  g_clear_pointer (&sync->context, g_main_context_unref);
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
static void
start_wait_begin (EimzaDemo *self,
                  Sync      *sync,
                  guint      timeout_ms)
{
  sync_begin (sync, self->start_context, timeout_ms);
  self->wait_cancellable = sync->cancellable;
  /* Dispatches a signal that came before the wait. */
  g_main_context_iteration (sync->context, FALSE);
  if (self->interrupted)
    g_cancellable_cancel (sync->cancellable);
}

static void
start_wait_end (EimzaDemo *self,
                Sync      *sync)
{
  self->wait_cancellable = NULL;
  sync_end (sync);
}

/* SIGTERM, a bounded wait, then SIGKILL. */
static void
terminate_process (GSubprocess *process)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean exited;
  Sync sync = { 0 };

  g_subprocess_send_signal (process, SIGTERM);

  sync_begin (&sync, NULL, STOP_TIMEOUT_MS);
  g_subprocess_wait_async (process, sync.cancellable, sync_done_cb, &sync);
  result = sync_wait (&sync);
  exited = g_subprocess_wait_finish (process, result, NULL);
  sync_end (&sync);

  if (!exited)
    {
      g_warning ("The portal simulator ignored SIGTERM; killing it");
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
    }
}

/* ------------------------------------------------------------------------
 * Files.
 * ------------------------------------------------------------------------ */

/* Removes @path and everything under it without following symbolic links:
 * a link someone put in the directory goes, never what it points to. */
static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      /* All names first: removing while reading is unspecified. */
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (children, g_build_filename (path, name, NULL));
      for (guint i = 0; i < children->len; i++)
        remove_tree (g_ptr_array_index (children, i));

      if (g_rmdir (path) != 0)
        g_warning ("Cannot remove the demo directory %s: %s", path, g_strerror (errno));
    }
  else if (g_unlink (path) != 0)
    {
      g_warning ("Cannot remove %s: %s", path, g_strerror (errno));
    }
}

/* When @pid started, in clock ticks after boot (/proc/PID/stat, field 22);
 * 0 if there is no such process. With the pid it names one process: a pid
 * alone may have been given to another since. */
static guint64
process_start_time (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *close_paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return 0;
  /* "PID (COMM) STATE …": COMM may hold spaces; field 22 is the 20th after it. */
  close_paren = strrchr (stat, ')');
  if (close_paren == NULL)
    return 0;
  fields = g_strsplit (close_paren + 2, " ", 21);
  if (g_strv_length (fields) < 21)
    return 0;
  return g_ascii_strtoull (fields[19], NULL, 10);
}

/* DIR/owner: "PID START-TIME", written before anything secret is. */
static gboolean
write_owner_file (const char  *dir,
                  GError     **error)
{
  g_autofree char *path = g_build_filename (dir, OWNER_FILE, NULL);
  g_autofree char *text = g_strdup_printf ("%d %" G_GUINT64_FORMAT "\n", (int) getpid (),
                                           process_start_time (getpid ()));

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Whether @path is the directory of a demo of ours whose process is gone.
 * Anything that is not plainly ours (another owner, a symbolic link, other
 * permissions, no owner file) is left alone. */
static gboolean
is_stale_demo_dir (const char *path)
{
  g_autofree char *owner_path = g_build_filename (path, OWNER_FILE, NULL);
  g_autofree char *owner = NULL;
  g_auto(GStrv) words = NULL;
  GStatBuf st;
  guint64 start_time;
  gint64 pid;

  if (g_lstat (path, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != getuid ()
      || (st.st_mode & 07777) != 0700)
    return FALSE;
  if (g_lstat (owner_path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != getuid ()
      || st.st_size > 64 || !g_file_get_contents (owner_path, &owner, NULL, NULL))
    return FALSE;

  words = g_strsplit (g_strchomp (owner), " ", 0);
  if (g_strv_length (words) != 2
      || !g_ascii_string_to_signed (words[0], 10, 1, G_MAXINT, &pid, NULL)
      || !g_ascii_string_to_unsigned (words[1], 10, 0, G_MAXUINT64, &start_time, NULL))
    return FALSE;

  if (pid == getpid ())
    return FALSE;
  if (kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
    return TRUE;
  /* The pid lives on in another process. */
  return process_start_time ((pid_t) pid) != start_time;
}

/* A demo killed with SIGKILL, or one that crashed, could not remove its
 * directory; the next demo does. */
static void
remove_stale_demo_dirs (void)
{
  const char *tmp = g_get_tmp_dir ();
  g_autoptr(GDir) dir = g_dir_open (tmp, 0, NULL);
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (name, DIR_PREFIX) || strlen (name) != strlen (DIR_TEMPLATE))
        continue;
      path = g_build_filename (tmp, name, NULL);
      if (is_stale_demo_dir (path))
        g_ptr_array_add (stale, g_steal_pointer (&path));
    }

  for (guint i = 0; i < stale->len; i++)
    {
      g_debug ("Demo: removing %s, left by a demo that is gone", (char *) stale->pdata[i]);
      remove_tree (stale->pdata[i]);
    }
}

/* A helper program: @env_var if set; else, when the program runs from a
 * build tree (PROGRAM_DIR/../../build.ninja: src/ui or tests/demo), the
 * one built there as @build_subdir/@name; else @installed. */
static char *
find_helper (const char *env_var,
             const char *build_subdir,
             const char *name,
             const char *installed)
{
  const char *override = g_getenv (env_var);
  g_autofree char *program = NULL;

  if (override != NULL && *override != '\0')
    return g_strdup (override);

  program = g_file_read_link ("/proc/self/exe", NULL);
  if (program != NULL)
    {
      g_autofree char *program_dir = g_path_get_dirname (program);
      g_autofree char *top = g_build_filename (program_dir, "..", "..", NULL);
      g_autofree char *ninja = g_build_filename (top, "build.ninja", NULL);
      g_autofree char *path = g_build_filename (top, build_subdir, name, NULL);

      if (g_file_test (ninja, G_FILE_TEST_IS_REGULAR)
          && g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_canonicalize_filename (path, NULL);
    }

  return g_strdup (installed);
}

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

  if (self->softhsm2_conf == NULL || self->pkcs11_module == NULL || self->token_label == NULL
      || self->pin == NULL || self->tckn == NULL)
    {
      g_warning ("Demo card: %s is incomplete", path);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------
 * The card.
 * ------------------------------------------------------------------------ */

/* A group of its own, so that a timeout stops certtool and p11tool too. */
static void
card_child_setup (gpointer user_data)
{
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
kill_process_group (GSubprocess *process)
{
  const char *id = g_subprocess_get_identifier (process);

  if (id != NULL)
    kill (-(pid_t) g_ascii_strtoll (id, NULL, 10), SIGKILL);
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
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
static void
make_card (EimzaDemo *self)
{
  g_autofree char *program = find_helper ("EIMZA_DEMO_CARD", "tools/demo", "eimza-demo-card",
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
  Sync sync = { 0 };
  int status = -1;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, card_child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process != NULL)
    {
      start_wait_begin (self, &sync, CARD_TIMEOUT_MS);
      g_subprocess_communicate_utf8_async (process, NULL, sync.cancellable, sync_done_cb, &sync);
      result = sync_wait (&sync);
      finished = g_subprocess_communicate_utf8_finish (process, result, NULL, &errors, &error);
      timed_out = sync_timed_out (&sync) && !self->interrupted;
      start_wait_end (self, &sync);

      if (finished)
        {
          status = g_subprocess_get_if_exited (process)
            ? g_subprocess_get_exit_status (process) : -1;
        }
      else
        {
          kill_process_group (process);
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
    return;

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
  g_clear_pointer (&self->pin, wipe_free);
}

/* ------------------------------------------------------------------------
 * The simulator.
 * ------------------------------------------------------------------------ */

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
           Sync              *sync,
           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, sync->cancellable,
                                       sync_done_cb, sync);
  result = sync_wait (sync);
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

/* "listening-nes https://127.0.0.1:PORT/" */
static gboolean
parse_listening_nes (EimzaDemo  *self,
                     const char *line)
{
  const char *url;

  if (!g_str_has_prefix (line, LISTENING_NES_PREFIX))
    return FALSE;

  url = line + strlen (LISTENING_NES_PREFIX);
  if (!g_str_has_prefix (url, LOOPBACK_URL_PREFIX) || strchr (url, ' ') != NULL)
    return FALSE;

  self->nes_url = g_strdup (url);
  return TRUE;
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

static gboolean
start_simulator (EimzaDemo  *self,
                 GError    **error)
{
  g_autofree char *program = find_helper ("EIMZA_PORTAL_SIM", "tools/portal-sim",
                                          "eimza-portal-sim", EIMZA_PORTAL_SIM_PATH);
  g_autofree char *tls_dir = g_build_filename (self->dir, "portal", NULL);
  g_autofree char *nes_client_ca = NULL;
  const char *captcha_log;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *nes_line = NULL;
  gboolean timed_out;
  gboolean parsed;
  Sync sync = { 0 };

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
  start_wait_begin (self, &sync, SIMULATOR_TIMEOUT_MS);
  line = read_line (stream, &sync, &local_error);
  parsed = line != NULL && parse_listening (self, line);
  if (parsed && nes_client_ca != NULL)
    {
      nes_line = read_line (stream, &sync, &local_error);
      parsed = nes_line != NULL && parse_listening_nes (self, nes_line);
    }
  timed_out = sync_timed_out (&sync) && !self->interrupted;
  start_wait_end (self, &sync);

  if (!parsed)
    {
      terminate_process (self->simulator);
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
  g_debug ("Demo: portal simulator at %s%s%s", self->portal_url,
           self->nes_url != NULL ? ", NES site at " : "",
           self->nes_url != NULL ? self->nes_url : "");
  return TRUE;
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
  remove_stale_demo_dirs ();

  self->dir = g_dir_make_tmp (DIR_TEMPLATE, &local_error);
  if (self->dir != NULL && !write_owner_file (self->dir, &local_error))
    {
      remove_tree (self->dir);
      g_clear_pointer (&self->dir, g_free);
    }
  if (self->dir == NULL)
    {
      unwatch_signals (self);
      g_set_error (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_FAILED,
                   _("The demo could not make its temporary directory: %s"),
                   local_error->message);
      return NULL;
    }

  make_card (self);
  if (!self->interrupted)
    started = start_simulator (self, &local_error);
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
      terminate_process (self->simulator);
      g_clear_object (&self->simulator);
    }
  g_clear_object (&self->simulator_stdout);

  if (self->dir != NULL)
    {
      remove_tree (self->dir);
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

/* Returns: (nullable): libsofthsm2.so; NULL without a card. */
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
