/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's child processes: finding them, bounded waits on a private context, stopping them. */
#include "config.h"

#include <signal.h>

#include "eimza-demo-process.h"

/* After SIGTERM, before SIGKILL. */
#define STOP_TIMEOUT_MS (3 * 1000)

static gboolean
wait_deadline_cb (gpointer user_data)
{
  EimzaDemoWait *wait = user_data;

  g_cancellable_cancel (wait->cancellable);
  return G_SOURCE_REMOVE;
}

/* @context: the context to wait on (a reference is taken), or %NULL for
 * a new one. */
void
eimza_demo_wait_begin (EimzaDemoWait *wait,
                       GMainContext  *context,
                       guint          timeout_ms)
{
  wait->context = context != NULL ? g_main_context_ref (context) : g_main_context_new ();
  wait->cancellable = g_cancellable_new ();
  wait->deadline = g_timeout_source_new (timeout_ms);
  g_source_set_callback (wait->deadline, wait_deadline_cb, wait, NULL);
  g_source_attach (wait->deadline, wait->context);
  g_main_context_push_thread_default (wait->context);
}

/* The callback to give the one call that eimza_demo_wait_for() waits for. */
void
eimza_demo_wait_done_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  EimzaDemoWait *wait = user_data;

  wait->result = g_object_ref (result);
}

/* Returns: (transfer full): the result of the pending call. */
GAsyncResult *
eimza_demo_wait_for (EimzaDemoWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (wait->context, TRUE);

  return g_steal_pointer (&wait->result);
}

gboolean
eimza_demo_wait_timed_out (EimzaDemoWait *wait)
{
  return g_cancellable_is_cancelled (wait->cancellable);
}

void
eimza_demo_wait_end (EimzaDemoWait *wait)
{
  g_main_context_pop_thread_default (wait->context);
  g_source_destroy (wait->deadline);
  g_clear_pointer (&wait->deadline, g_source_unref);
  g_clear_object (&wait->cancellable);
  /* What the finished calls left behind on the context. */
  while (g_main_context_iteration (wait->context, FALSE))
    ;
  g_clear_pointer (&wait->context, g_main_context_unref);
}

/* A helper program: @env_var if set; else, when the program runs from a
 * build tree (PROGRAM_DIR/../../build.ninja: src/ui or tests/demo), the
 * one built there as @build_subdir/@name; else @installed. */
char *
eimza_demo_find_program (const char *env_var,
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

/* SIGTERM, a bounded wait, then SIGKILL. */
void
eimza_demo_terminate (GSubprocess *process)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean exited;
  EimzaDemoWait wait = { 0 };

  g_subprocess_send_signal (process, SIGTERM);

  eimza_demo_wait_begin (&wait, NULL, STOP_TIMEOUT_MS);
  g_subprocess_wait_async (process, wait.cancellable, eimza_demo_wait_done_cb, &wait);
  result = eimza_demo_wait_for (&wait);
  exited = g_subprocess_wait_finish (process, result, NULL);
  eimza_demo_wait_end (&wait);

  if (!exited)
    {
      g_warning ("Demo: process %s ignored SIGTERM; killing it", g_subprocess_get_identifier (process));
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
    }
}

/* @process and its process group (it must have made one), at once. */
void
eimza_demo_kill_group (GSubprocess *process)
{
  const char *id = g_subprocess_get_identifier (process);

  if (id != NULL)
    kill (-(pid_t) g_ascii_strtoll (id, NULL, 10), SIGKILL);
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
}
