/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's private directory: made with its owner's name, removed whole, stale ones found. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "eimza-demo-dir.h"

/* The private directory: g_get_tmp_dir()/eimza-demo-XXXXXX, with a file
 * naming the process that made it, so that the next demo can tell the
 * directory of a crashed one from that of a running one. */
#define DIR_PREFIX "eimza-demo-"
#define DIR_TEMPLATE DIR_PREFIX "XXXXXX"
#define OWNER_FILE "owner"

/* Removes @path and everything under it without following symbolic links:
 * a link someone put in the directory goes, never what it points to. */
void
eimza_demo_dir_remove (const char *path)
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
        eimza_demo_dir_remove (g_ptr_array_index (children, i));

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

/* Returns: (transfer full) (nullable): a new private directory (0700)
 * naming this process as its owner. */
char *
eimza_demo_dir_make (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp (DIR_TEMPLATE, error);

  if (dir == NULL)
    return NULL;
  if (!write_owner_file (dir, error))
    {
      eimza_demo_dir_remove (dir);
      return NULL;
    }
  return g_steal_pointer (&dir);
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
void
eimza_demo_dir_remove_stale (void)
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
      eimza_demo_dir_remove (stale->pdata[i]);
    }
}
