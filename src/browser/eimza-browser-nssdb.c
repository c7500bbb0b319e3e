/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An NSS database's PKCS#11 modules, read and changed with NSS's own modutil. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-browser-error.h"
#include "eimza-browser-nssdb.h"

#define MODUTIL "modutil"

void
eimza_nss_module_free (EimzaNssModule *module)
{
  if (module == NULL)
    return;

  g_free (module->name);
  g_free (module->library);
  g_free (module);
}

/* Runs modutil with @args after the program name and "-dbdir sql:@dir";
 * its standard output in @out_stdout. */
static gboolean
run_modutil (const char    *dir,
             const char   **args,
             char         **out_stdout,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *program = g_find_program_in_path (MODUTIL);
  g_autofree char *dbdir = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) local_error = NULL;

  if (program == NULL)
    {
      g_set_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_NO_TOOL,
                   _("NSS’s modutil program is not installed: install the libnss3-tools "
                     "package."));
      return FALSE;
    }

  dbdir = g_strconcat ("sql:", dir, NULL);
  g_ptr_array_add (argv, program);
  /* No questions: modutil would otherwise wait for Enter when it fears a
   * running browser (it still asks, and reads an answer, when the module
   * is also reachable through p11-kit: the end of its input says go on). */
  g_ptr_array_add (argv, (char *) "-force");
  g_ptr_array_add (argv, (char *) "-dbdir");
  g_ptr_array_add (argv, dbdir);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* Standard input is /dev/null: at its end modutil goes on. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Its messages are parsed and quoted: NSS's own, untranslated. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                          &local_error);
  if (process == NULL)
    {
      /* TRANSLATORS: %s says why, in the system's words */
      g_set_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_FAILED,
                   _("NSS’s modutil could not be started: %s"), local_error->message);
      return FALSE;
    }

  if (!g_subprocess_communicate_utf8 (process, NULL, cancellable, &out, &err, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_autofree char *said = g_strstrip (g_strdup (err != NULL && *err != '\0' ? err : out));
      g_auto(GStrv) lines = g_strsplit (said, "\n", -1);
      const char *last = "";

      /* Its last line is the reason ("ERROR: Failed to add module …"). */
      for (gsize i = 0; lines[i] != NULL; i++)
        if (*g_strstrip (lines[i]) != '\0')
          last = lines[i];

      /* TRANSLATORS: %s is NSS's own message, in English */
      g_set_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_FAILED,
                   _("NSS’s modutil failed: %s"), *last != '\0' ? last : _("no reason given"));
      return FALSE;
    }

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);

  return TRUE;
}

/* The value of @key= in a line of `modutil -rawlist`: quoted ("…", with
 * \" and \\ escapes) or up to the next space. */
static char *
rawlist_value (const char *line,
               const char *key)
{
  g_autofree char *needle = g_strconcat (key, "=", NULL);
  const char *p = line;
  g_autoptr(GString) value = g_string_new (NULL);

  /* The key at the line's start or after a space, not inside a value. */
  for (;;)
    {
      p = strstr (p, needle);
      if (p == NULL)
        return NULL;
      if (p == line || p[-1] == ' ')
        break;
      p++;
    }
  p += strlen (needle);

  if (*p == '"')
    {
      for (p++; *p != '\0' && *p != '"'; p++)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          g_string_append_c (value, *p);
        }
    }
  else
    {
      while (*p != '\0' && *p != ' ')
        g_string_append_c (value, *p++);
    }

  return g_string_free (g_steal_pointer (&value), FALSE);
}

GPtrArray *
eimza_browser_nssdb_list (const char    *dir,
                          GCancellable  *cancellable,
                          GError       **error)
{
  const char *args[] = { "-rawlist", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) modules = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (!run_modutil (dir, args, &out, cancellable, error))
    return NULL;

  modules = g_ptr_array_new_with_free_func ((GDestroyNotify) eimza_nss_module_free);
  lines = g_strsplit (out, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *library = rawlist_value (lines[i], "library");
      g_autofree char *name = rawlist_value (lines[i], "name");
      EimzaNssModule *module;

      /* NSS's internal module has an empty library. */
      if (library == NULL || *library == '\0' || name == NULL)
        continue;

      module = g_new0 (EimzaNssModule, 1);
      module->name = g_steal_pointer (&name);
      module->library = g_steal_pointer (&library);
      g_ptr_array_add (modules, module);
    }

  return g_steal_pointer (&modules);
}

/* @path with symbolic links resolved, or @path itself when it does not
 * exist (a module registered and later uninstalled still matches by name). */
static char *
resolved (const char *path)
{
  char *real = realpath (path, NULL);
  char *copy;

  if (real == NULL)
    return g_strdup (path);
  copy = g_strdup (real);
  free (real);

  return copy;
}

GStrv
eimza_browser_nssdb_names_for (GPtrArray  *modules,
                               const char *library)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (modules != NULL, NULL);
  g_return_val_if_fail (library != NULL, NULL);

  wanted = resolved (library);
  for (guint i = 0; i < modules->len; i++)
    {
      EimzaNssModule *module = g_ptr_array_index (modules, i);
      g_autofree char *found = resolved (module->library);

      if (g_str_equal (found, wanted))
        g_strv_builder_add (names, module->name);
    }

  return g_strv_builder_end (names);
}

gboolean
eimza_browser_nssdb_exists (const char *dir)
{
  g_autofree char *cert9 = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);

  cert9 = g_build_filename (dir, "cert9.db", NULL);

  return g_file_test (cert9, G_FILE_TEST_IS_REGULAR);
}

gboolean
eimza_browser_nssdb_create (const char    *dir,
                            GCancellable  *cancellable,
                            GError       **error)
{
  const char *args[] = { "-create", NULL };

  g_return_val_if_fail (dir != NULL, FALSE);

  /* Private, as NSS and Chromium make it. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      /* TRANSLATORS: the first %s is a folder, the second says why */
      g_set_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_FAILED,
                   _("The folder %s could not be made: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  return run_modutil (dir, args, NULL, cancellable, error);
}

gboolean
eimza_browser_nssdb_add (const char    *dir,
                         const char    *name,
                         const char    *library,
                         GCancellable  *cancellable,
                         GError       **error)
{
  const char *args[] = { "-add", name, "-libfile", library, NULL };

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (library != NULL, FALSE);

  return run_modutil (dir, args, NULL, cancellable, error);
}

gboolean
eimza_browser_nssdb_delete (const char    *dir,
                            const char    *name,
                            GCancellable  *cancellable,
                            GError       **error)
{
  const char *args[] = { "-delete", name, NULL };

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return run_modutil (dir, args, NULL, cancellable, error);
}
