/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks, registers and removes the card's module in every browser of a person, off the main thread. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-browser-error.h"
#include "eimza-browser-finder.h"
#include "eimza-browser-lock.h"
#include "eimza-browser-nssdb.h"
#include "eimza-browser-setup.h"

struct _EimzaBrowserSetup
{
  GObject parent_instance;

  char *home;
  char *module;
};

G_DEFINE_FINAL_TYPE (EimzaBrowserSetup, eimza_browser_setup, G_TYPE_OBJECT)

/* One profile's work: what the thread reads (copied from the profile, so
 * that the thread never touches the object) and what it found. */
typedef struct
{
  EimzaBrowserProfile *profile;   /* not touched by the thread */
  EimzaBrowserKind kind;
  EimzaBrowserSandbox sandbox;
  char *directory;
  char *home;
  char *module;
  gboolean add;

  EimzaBrowserState state;
  gboolean running;
  gboolean needs_restart;
  char *problem;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->profile);
  g_free (job->directory);
  g_free (job->home);
  g_free (job->module);
  g_free (job->problem);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (EimzaBrowserSetup   *self,
         EimzaBrowserProfile *profile)
{
  Job *job = g_new0 (Job, 1);

  job->profile = g_object_ref (profile);
  job->kind = eimza_browser_profile_get_kind (profile);
  job->sandbox = eimza_browser_profile_get_sandbox (profile);
  job->directory = g_strdup (eimza_browser_profile_get_directory (profile));
  job->home = g_strdup (self->home);
  job->module = g_strdup (self->module);

  return job;
}

static void
job_apply (Job *job)
{
  eimza_browser_profile_set_state (job->profile, job->state, job->running, job->needs_restart,
                                   job->problem);
}

static gboolean
job_browser_running (Job *job)
{
  if (job->kind == EIMZA_BROWSER_FIREFOX)
    return eimza_browser_firefox_in_use (job->directory);

  return eimza_browser_chromium_in_use (job->home);
}

/* Finds the job's state as it is now. Thread. */
static void
job_check (Job          *job,
           GCancellable *cancellable)
{
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_clear_pointer (&job->problem, g_free);

  if (job->sandbox != EIMZA_BROWSER_SANDBOX_NONE)
    {
      job->state = EIMZA_BROWSER_STATE_SANDBOXED;
      return;
    }

  job->running = job_browser_running (job);

  if (!eimza_browser_nssdb_exists (job->directory))
    {
      /* Chromium makes its database at its first start, and so can we;
       * a Firefox profile without one is a profile never opened. */
      job->state = job->kind == EIMZA_BROWSER_FIREFOX ? EIMZA_BROWSER_STATE_NO_DATABASE
                                                     : EIMZA_BROWSER_STATE_NOT_REGISTERED;
      return;
    }

  modules = eimza_browser_nssdb_list (job->directory, cancellable, &error);
  if (modules == NULL)
    {
      job->state = EIMZA_BROWSER_STATE_UNREADABLE;
      job->problem = g_strdup (error->message);
      return;
    }

  names = eimza_browser_nssdb_names_for (modules, job->module);
  job->state = names[0] != NULL ? EIMZA_BROWSER_STATE_REGISTERED
                                : EIMZA_BROWSER_STATE_NOT_REGISTERED;
}

/* Registers or removes, then checks again (also after a failure, so that
 * the profile shows what is true). Thread. */
static gboolean
job_change (Job           *job,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GPtrArray) modules = NULL;
  g_auto(GStrv) names = NULL;
  gboolean changed = FALSE;
  gboolean ok = FALSE;

  job_check (job, cancellable);

  switch (job->state)
    {
    case EIMZA_BROWSER_STATE_SANDBOXED:
      g_set_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_SANDBOXED,
                   _("A snap or Flatpak browser cannot load the card’s module: nothing was "
                     "changed."));
      return FALSE;
    case EIMZA_BROWSER_STATE_NO_DATABASE:
      g_set_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_NO_DATABASE,
                   _("This Firefox profile has no certificate store yet: start Firefox with it "
                     "once, close it, then try again."));
      return FALSE;
    case EIMZA_BROWSER_STATE_UNREADABLE:
      g_set_error_literal (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_FAILED, job->problem);
      return FALSE;
    case EIMZA_BROWSER_STATE_REGISTERED:
      if (job->add)
        return TRUE;
      break;
    case EIMZA_BROWSER_STATE_NOT_REGISTERED:
      if (!job->add)
        return TRUE;
      break;
    case EIMZA_BROWSER_STATE_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  /* Firefox rewrites its module list while it runs: changing it under a
   * running Firefox could damage it, so the person closes Firefox first. */
  if (job->running && job->kind == EIMZA_BROWSER_FIREFOX)
    {
      g_set_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_RUNNING,
                   _("Firefox is open with this profile, so nothing was changed. Close "
                     "Firefox, try again, then start Firefox again."));
      return FALSE;
    }

  if (job->add)
    {
      if (!eimza_browser_nssdb_exists (job->directory) &&
          !eimza_browser_nssdb_create (job->directory, cancellable, error))
        goto out;
      ok = eimza_browser_nssdb_add (job->directory, EIMZA_BROWSER_MODULE_NAME, job->module,
                                    cancellable, error);
      changed = ok;
    }
  else
    {
      modules = eimza_browser_nssdb_list (job->directory, cancellable, error);
      if (modules == NULL)
        goto out;
      names = eimza_browser_nssdb_names_for (modules, job->module);
      ok = TRUE;
      for (gsize i = 0; ok && names[i] != NULL; i++)
        {
          ok = eimza_browser_nssdb_delete (job->directory, names[i], cancellable, error);
          changed = changed || ok;
        }
    }

out:
  if (g_cancellable_is_cancelled (cancellable))
    return ok;
  {
    gboolean was_running = job->running;

    job_check (job, cancellable);
    /* Chromium loads its modules when it starts. */
    job->needs_restart = changed && (was_running || job->running);
  }

  return ok;
}

static void
eimza_browser_setup_finalize (GObject *object)
{
  EimzaBrowserSetup *self = EIMZA_BROWSER_SETUP (object);

  g_free (self->home);
  g_free (self->module);

  G_OBJECT_CLASS (eimza_browser_setup_parent_class)->finalize (object);
}

static void
eimza_browser_setup_class_init (EimzaBrowserSetupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = eimza_browser_setup_finalize;
}

static void
eimza_browser_setup_init (EimzaBrowserSetup *self)
{
}

EimzaBrowserSetup *
eimza_browser_setup_new (const char *home,
                         const char *module)
{
  EimzaBrowserSetup *self;

  g_return_val_if_fail (home != NULL, NULL);
  g_return_val_if_fail (module != NULL, NULL);

  self = g_object_new (EIMZA_TYPE_BROWSER_SETUP, NULL);
  self->home = g_strdup (home);
  self->module = g_strdup (module);

  return self;
}

const char *
eimza_browser_setup_get_home (EimzaBrowserSetup *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_SETUP (self), NULL);

  return self->home;
}

const char *
eimza_browser_setup_get_module (EimzaBrowserSetup *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_SETUP (self), NULL);

  return self->module;
}

/* Scan */

GPtrArray *
eimza_browser_setup_scan (EimzaBrowserSetup *self,
                          GCancellable      *cancellable)
{
  g_autoptr(GPtrArray) profiles = NULL;

  g_return_val_if_fail (EIMZA_IS_BROWSER_SETUP (self), NULL);

  /* The profiles are new and seen by no one yet: checked in place. */
  profiles = eimza_browser_find_profiles (self->home);
  for (guint i = 0; i < profiles->len; i++)
    eimza_browser_setup_check (self, g_ptr_array_index (profiles, i), cancellable);

  return g_steal_pointer (&profiles);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GPtrArray *profiles = eimza_browser_setup_scan (source_object, cancellable);

  if (g_task_return_error_if_cancelled (task))
    g_ptr_array_unref (profiles);
  else
    g_task_return_pointer (task, profiles, (GDestroyNotify) g_ptr_array_unref);
}

void
eimza_browser_setup_scan_async (EimzaBrowserSetup   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_BROWSER_SETUP (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_browser_setup_scan_async);
  g_task_run_in_thread (task, scan_thread);
}

GPtrArray *
eimza_browser_setup_scan_finish (EimzaBrowserSetup  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, eimza_browser_setup_scan_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
eimza_browser_setup_check (EimzaBrowserSetup   *self,
                           EimzaBrowserProfile *profile,
                           GCancellable        *cancellable)
{
  g_autoptr(Job) job = NULL;

  g_return_if_fail (EIMZA_IS_BROWSER_SETUP (self));
  g_return_if_fail (EIMZA_IS_BROWSER_PROFILE (profile));

  job = job_new (self, profile);
  job_check (job, cancellable);
  job_apply (job);
}

/* Change */

gboolean
eimza_browser_setup_change (EimzaBrowserSetup    *self,
                            EimzaBrowserProfile  *profile,
                            gboolean              add,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autoptr(Job) job = NULL;
  gboolean ok;

  g_return_val_if_fail (EIMZA_IS_BROWSER_SETUP (self), FALSE);
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = job_new (self, profile);
  job->add = add;
  ok = job_change (job, cancellable, error);
  job_apply (job);

  return ok;
}

static void
change_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  if (job_change (job, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
eimza_browser_setup_change_async (EimzaBrowserSetup   *self,
                                  EimzaBrowserProfile *profile,
                                  gboolean             add,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (EIMZA_IS_BROWSER_SETUP (self));
  g_return_if_fail (EIMZA_IS_BROWSER_PROFILE (profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = job_new (self, profile);
  job->add = add;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_browser_setup_change_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* A result that comes after a cancellation is not applied. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, change_thread);
}

gboolean
eimza_browser_setup_change_finish (EimzaBrowserSetup  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, eimza_browser_setup_change_async),
                        FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    job_apply (job);

  return g_task_propagate_boolean (G_TASK (result), error);
}
