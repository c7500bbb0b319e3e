/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether a browser is running with a profile, from the locks it leaves there. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "eimza-browser-lock.h"

/* The folders of ~/.config where Chromium-based browsers keep their
 * SingletonLock, all sharing ~/.pki/nssdb. */
static const char * const chromium_config_dirs[] = {
  "chromium",
  "google-chrome",
  "google-chrome-beta",
  "google-chrome-unstable",
  NULL
};

/* Whether the number after the last @separator of the link's target is a
 * process that exists (one we may not signal exists too). A target that
 * cannot be read that way is taken as running: better a needless
 * "close the browser" than a damaged database. */
static gboolean
link_names_live_process (const char *link_path,
                         char        separator)
{
  g_autofree char *target = g_file_read_link (link_path, NULL);
  const char *number;
  char *end = NULL;
  gint64 pid;

  if (target == NULL)
    return FALSE;

  number = strrchr (target, separator);
  if (number == NULL)
    return TRUE;
  number++;
  if (*number == '+')
    number++;

  pid = g_ascii_strtoll (number, &end, 10);
  if (end == number || *end != '\0' || pid <= 0 || pid > G_MAXINT)
    return TRUE;

  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

/* Whether another process holds a lock on @path (Firefox keeps one on
 * .parentlock while it runs; the file itself stays after it quits). */
static gboolean
file_is_locked (const char *path)
{
  struct flock lock = { 0 };
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean locked = FALSE;

  if (fd < 0)
    return FALSE;

  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  if (fcntl (fd, F_GETLK, &lock) == 0)
    locked = lock.l_type != F_UNLCK;
  g_close (fd, NULL);

  return locked;
}

gboolean
eimza_browser_firefox_in_use (const char *profile_dir)
{
  g_autofree char *lock = NULL;
  g_autofree char *parentlock = NULL;

  g_return_val_if_fail (profile_dir != NULL, FALSE);

  lock = g_build_filename (profile_dir, "lock", NULL);
  parentlock = g_build_filename (profile_dir, ".parentlock", NULL);

  return link_names_live_process (lock, ':') || file_is_locked (parentlock);
}

gboolean
eimza_browser_chromium_in_use (const char *home)
{
  g_return_val_if_fail (home != NULL, FALSE);

  for (gsize i = 0; chromium_config_dirs[i] != NULL; i++)
    {
      g_autofree char *lock = g_build_filename (home, ".config", chromium_config_dirs[i],
                                                "SingletonLock", NULL);

      if (link_names_live_process (lock, '-'))
        return TRUE;
    }

  return FALSE;
}
