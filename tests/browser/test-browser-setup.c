/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The browser set-up on real NSS databases (certutil, modutil) in a private home, in Firefox's and Chromium's layouts. */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "eimza-browser-error.h"
#include "eimza-browser-finder.h"
#include "eimza-browser-lock.h"
#include "eimza-browser-nssdb.h"
#include "eimza-browser-setup.h"

typedef struct
{
  char *home;
  char *firefox_profile;     /* ~/.mozilla/firefox/t3st.default-esr */
  char *nssdb;               /* ~/.pki/nssdb */
  const char *module;        /* a real PKCS#11 module modutil can load */
  GPid helper;               /* a "running browser", when started */
} Fixture;

/* SoftHSM2's module: modutil loads what it registers, so it must be a real
 * module; this one has nothing to do with p11-kit's configuration. */
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"

static void
run_or_fail (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s%s", argv[0], out, err);
}

/* An NSS database as Firefox and Chromium make them. */
static void
make_nssdb (const char *dir)
{
  g_autofree char *sql = g_strconcat ("sql:", dir, NULL);
  const char *argv[] = { "certutil", "-N", "--empty-password", "-d", sql, NULL };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  run_or_fail (argv);
}

/* `modutil -list`, which loads the modules: what a browser would see. */
static char *
modutil_list (const char *dir)
{
  g_autofree char *sql = g_strconcat ("sql:", dir, NULL);
  const char *argv[] = { "modutil", "-list", "-dbdir", sql, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *modutil = g_find_program_in_path ("modutil");
  g_autofree char *certutil = g_find_program_in_path ("certutil");

  if (modutil == NULL || certutil == NULL)
    {
      g_test_skip ("needs modutil and certutil (libnss3-tools)");
      return;
    }
  if (!g_file_test (SOFTHSM_MODULE, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("needs " SOFTHSM_MODULE " (softhsm2)");
      return;
    }

  fixture->module = SOFTHSM_MODULE;
  fixture->home = g_dir_make_tmp ("eimza-browser-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->firefox_profile = g_build_filename (fixture->home, ".mozilla", "firefox",
                                               "t3st.default-esr", NULL);
  fixture->nssdb = g_build_filename (fixture->home, ".pki", "nssdb", NULL);

  make_nssdb (fixture->firefox_profile);
  make_nssdb (fixture->nssdb);
  ini = g_build_filename (fixture->home, ".mozilla", "firefox", "profiles.ini", NULL);
  write_file (ini,
              "[Install3B6073811A6ABF12]\nDefault=t3st.default-esr\nLocked=1\n\n"
              "[Profile0]\nName=default-esr\nIsRelative=1\nPath=t3st.default-esr\nDefault=1\n\n"
              "[General]\nStartWithLastProfile=1\nVersion=2\n");
}

static void
stop_helper (Fixture *fixture)
{
  if (fixture->helper == 0)
    return;
  kill (fixture->helper, SIGTERM);
  waitpid (fixture->helper, NULL, 0);
  g_spawn_close_pid (fixture->helper);
  fixture->helper = 0;
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  run_or_fail (argv);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  stop_helper (fixture);
  if (fixture->home != NULL)
    remove_tree (fixture->home);
  g_free (fixture->home);
  g_free (fixture->firefox_profile);
  g_free (fixture->nssdb);
}

static EimzaBrowserProfile *
find_profile (GPtrArray        *profiles,
              EimzaBrowserKind  kind,
              EimzaBrowserSandbox sandbox)
{
  for (guint i = 0; i < profiles->len; i++)
    {
      EimzaBrowserProfile *profile = g_ptr_array_index (profiles, i);

      if (eimza_browser_profile_get_kind (profile) == kind &&
          eimza_browser_profile_get_sandbox (profile) == sandbox)
        return profile;
    }

  return NULL;
}

/* Every layout is found; nothing registered yet. */
static void
test_find (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  EimzaBrowserProfile *firefox;
  EimzaBrowserProfile *chromium;

  if (g_test_failed () || fixture->home == NULL)
    return;

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  profiles = eimza_browser_setup_scan (setup, NULL);
  g_assert_cmpuint (profiles->len, ==, 2);

  firefox = find_profile (profiles, EIMZA_BROWSER_FIREFOX, EIMZA_BROWSER_SANDBOX_NONE);
  g_assert_nonnull (firefox);
  g_assert_cmpstr (eimza_browser_profile_get_directory (firefox), ==, fixture->firefox_profile);
  g_assert_nonnull (strstr (eimza_browser_profile_get_title (firefox), "default-esr"));
  g_assert_cmpint (eimza_browser_profile_get_state (firefox), ==,
                   EIMZA_BROWSER_STATE_NOT_REGISTERED);
  g_assert_false (eimza_browser_profile_get_running (firefox));

  chromium = find_profile (profiles, EIMZA_BROWSER_CHROMIUM, EIMZA_BROWSER_SANDBOX_NONE);
  g_assert_nonnull (chromium);
  g_assert_cmpstr (eimza_browser_profile_get_directory (chromium), ==, fixture->nssdb);
  g_assert_cmpint (eimza_browser_profile_get_state (chromium), ==,
                   EIMZA_BROWSER_STATE_NOT_REGISTERED);
}

/* Registers and removes in both, checked with modutil -list, which
 * loads the modules as a browser does. */
static void
test_register_remove (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(GPtrArray) profiles = NULL;

  if (fixture->home == NULL)
    return;

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  profiles = eimza_browser_setup_scan (setup, NULL);
  g_assert_cmpuint (profiles->len, ==, 2);

  for (guint i = 0; i < profiles->len; i++)
    {
      EimzaBrowserProfile *profile = g_ptr_array_index (profiles, i);
      const char *dir = eimza_browser_profile_get_directory (profile);
      g_autoptr(GError) error = NULL;
      g_autofree char *listed = NULL;
      g_autofree char *after = NULL;

      g_assert_true (eimza_browser_setup_change (setup, profile, TRUE, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (eimza_browser_profile_get_state (profile), ==,
                       EIMZA_BROWSER_STATE_REGISTERED);
      g_assert_false (eimza_browser_profile_get_needs_restart (profile));

      listed = modutil_list (dir);
      g_assert_nonnull (strstr (listed, EIMZA_BROWSER_MODULE_NAME));
      g_assert_nonnull (strstr (listed, "library name: " SOFTHSM_MODULE));
      /* Loaded, as the browser will load it. */
      g_assert_nonnull (strstr (listed, "SoftHSM"));

      /* Registering again adds no second copy. */
      g_assert_true (eimza_browser_setup_change (setup, profile, TRUE, NULL, &error));
      g_assert_no_error (error);
      g_clear_pointer (&listed, g_free);
      listed = modutil_list (dir);
      g_assert_null (strstr (strstr (listed, EIMZA_BROWSER_MODULE_NAME) + 1,
                             EIMZA_BROWSER_MODULE_NAME));

      g_assert_true (eimza_browser_setup_change (setup, profile, FALSE, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (eimza_browser_profile_get_state (profile), ==,
                       EIMZA_BROWSER_STATE_NOT_REGISTERED);
      after = modutil_list (dir);
      g_assert_null (strstr (after, EIMZA_BROWSER_MODULE_NAME));
      g_assert_null (strstr (after, SOFTHSM_MODULE));
    }
}

/* A registration made by hand under another name (as Kamu SM's guides
 * tell people to do) counts, and is what Remove takes out. */
static void
test_registered_by_hand (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(EimzaBrowserProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  if (fixture->home == NULL)
    return;

  g_assert_true (eimza_browser_nssdb_add (fixture->nssdb, "AKIS", fixture->module, NULL, &error));
  g_assert_no_error (error);

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  profile = eimza_browser_profile_new (EIMZA_BROWSER_CHROMIUM, EIMZA_BROWSER_SANDBOX_NONE,
                                       "Chromium", fixture->nssdb);
  eimza_browser_setup_check (setup, profile, NULL);
  g_assert_cmpint (eimza_browser_profile_get_state (profile), ==, EIMZA_BROWSER_STATE_REGISTERED);

  g_assert_true (eimza_browser_setup_change (setup, profile, FALSE, NULL, &error));
  g_assert_no_error (error);
  after = modutil_list (fixture->nssdb);
  g_assert_null (strstr (after, "AKIS"));
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* The window's path: the scan and the change off the main thread, the
 * profile updated (and notified) on it. */
static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EimzaBrowserProfile *firefox;
  g_autofree char *listed = NULL;

  if (fixture->home == NULL)
    return;

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  eimza_browser_setup_scan_async (setup, NULL, async_done_cb, &result);
  profiles = eimza_browser_setup_scan_finish (setup, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  firefox = find_profile (profiles, EIMZA_BROWSER_FIREFOX, EIMZA_BROWSER_SANDBOX_NONE);
  g_assert_nonnull (firefox);

  eimza_browser_setup_change_async (setup, firefox, TRUE, NULL, async_done_cb, &result);
  /* Not applied before the main thread has the result. */
  g_assert_cmpint (eimza_browser_profile_get_state (firefox), ==,
                   EIMZA_BROWSER_STATE_NOT_REGISTERED);
  g_assert_true (eimza_browser_setup_change_finish (setup, wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_browser_profile_get_state (firefox), ==, EIMZA_BROWSER_STATE_REGISTERED);
  listed = modutil_list (fixture->firefox_profile);
  g_assert_nonnull (strstr (listed, EIMZA_BROWSER_MODULE_NAME));
}

/* Starts a process that stands for a running browser; its PID. */
static GPid
start_helper (Fixture    *fixture,
              const char *python)
{
  const char *argv[] = { "/usr/bin/python3", "-c", python, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  int out = -1;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &fixture->helper, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  /* It says when it holds its lock. */
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready\n");

  return fixture->helper;
}

/* Firefox's database is left alone while Firefox runs with the profile
 * (its `lock` link names a live process), and the person is told. */
static void
test_firefox_running_link (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(EimzaBrowserProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *target = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *text = NULL;
  GPid pid;

  if (fixture->home == NULL)
    return;

  pid = start_helper (fixture, "import time; print('ready', flush=True); time.sleep(120)");
  lock = g_build_filename (fixture->firefox_profile, "lock", NULL);
  target = g_strdup_printf ("127.0.1.1:+%d", (int) pid);
  g_assert_cmpint (symlink (target, lock), ==, 0);

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  profile = eimza_browser_profile_new (EIMZA_BROWSER_FIREFOX, EIMZA_BROWSER_SANDBOX_NONE,
                                       "Firefox", fixture->firefox_profile);
  g_assert_false (eimza_browser_setup_change (setup, profile, TRUE, NULL, &error));
  g_assert_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_RUNNING);
  g_assert_true (eimza_browser_profile_get_running (profile));
  g_assert_cmpint (eimza_browser_profile_get_state (profile), ==,
                   EIMZA_BROWSER_STATE_NOT_REGISTERED);
  text = eimza_browser_profile_dup_state_text (profile);
  g_assert_nonnull (strstr (text, "Firefox is open"));
  listed = modutil_list (fixture->firefox_profile);
  g_assert_null (strstr (listed, EIMZA_BROWSER_MODULE_NAME));

  /* Firefox quit (or crashed): the link stays, naming no process. */
  stop_helper (fixture);
  g_clear_error (&error);
  g_assert_true (eimza_browser_setup_change (setup, profile, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (eimza_browser_profile_get_running (profile));
  g_assert_cmpint (eimza_browser_profile_get_state (profile), ==, EIMZA_BROWSER_STATE_REGISTERED);
}

/* The same with the fcntl() lock on .parentlock that Firefox holds. */
static void
test_firefox_running_parentlock (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(EimzaBrowserProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parentlock = NULL;
  g_autofree char *python = NULL;

  if (fixture->home == NULL)
    return;

  parentlock = g_build_filename (fixture->firefox_profile, ".parentlock", NULL);
  write_file (parentlock, "");
  g_assert_false (eimza_browser_firefox_in_use (fixture->firefox_profile));

  python = g_strdup_printf ("import fcntl, time\n"
                            "f = open('%s', 'r+')\n"
                            "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                            "print('ready', flush=True)\n"
                            "time.sleep(120)\n", parentlock);
  start_helper (fixture, python);
  g_assert_true (eimza_browser_firefox_in_use (fixture->firefox_profile));

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  profile = eimza_browser_profile_new (EIMZA_BROWSER_FIREFOX, EIMZA_BROWSER_SANDBOX_NONE,
                                       "Firefox", fixture->firefox_profile);
  g_assert_false (eimza_browser_setup_change (setup, profile, TRUE, NULL, &error));
  g_assert_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_RUNNING);

  stop_helper (fixture);
  g_assert_false (eimza_browser_firefox_in_use (fixture->firefox_profile));
}

/* Chromium's shared SQL database may change while it runs; the person is
 * told to restart it. */
static void
test_chromium_running (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(EimzaBrowserProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *target = NULL;
  g_autofree char *text = NULL;
  GPid pid;

  if (fixture->home == NULL)
    return;

  pid = start_helper (fixture, "import time; print('ready', flush=True); time.sleep(120)");
  config = g_build_filename (fixture->home, ".config", "chromium", NULL);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  lock = g_build_filename (config, "SingletonLock", NULL);
  target = g_strdup_printf ("my-host-name-%d", (int) pid);
  g_assert_cmpint (symlink (target, lock), ==, 0);

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  profile = eimza_browser_profile_new (EIMZA_BROWSER_CHROMIUM, EIMZA_BROWSER_SANDBOX_NONE,
                                       "Chromium", fixture->nssdb);
  g_assert_true (eimza_browser_setup_change (setup, profile, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_browser_profile_get_state (profile), ==, EIMZA_BROWSER_STATE_REGISTERED);
  g_assert_true (eimza_browser_profile_get_needs_restart (profile));
  text = eimza_browser_profile_dup_state_text (profile);
  g_assert_nonnull (strstr (text, "Restart Chromium"));
}

/* A snap Firefox and a Flatpak Chromium are listed and explained, and
 * nothing in them is touched. */
static void
test_sandboxed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *snap_profile = NULL;
  g_autofree char *flatpak = NULL;
  g_autofree char *snap_ini = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *text = NULL;
  EimzaBrowserProfile *snap;

  if (fixture->home == NULL)
    return;

  snap_profile = g_build_filename (fixture->home, "snap", "firefox", "common", ".mozilla",
                                   "firefox", "s4ap.default", NULL);
  make_nssdb (snap_profile);
  snap_ini = g_build_filename (fixture->home, "snap", "firefox", "common", ".mozilla", "firefox",
                               "profiles.ini", NULL);
  write_file (snap_ini, "[Profile0]\nName=default\nIsRelative=1\nPath=s4ap.default\n");
  flatpak = g_build_filename (fixture->home, ".var", "app", "org.chromium.Chromium", NULL);
  g_assert_cmpint (g_mkdir_with_parents (flatpak, 0700), ==, 0);

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  profiles = eimza_browser_setup_scan (setup, NULL);
  g_assert_cmpuint (profiles->len, ==, 4);
  g_assert_nonnull (find_profile (profiles, EIMZA_BROWSER_CHROMIUM, EIMZA_BROWSER_SANDBOX_FLATPAK));
  snap = find_profile (profiles, EIMZA_BROWSER_FIREFOX, EIMZA_BROWSER_SANDBOX_SNAP);
  g_assert_nonnull (snap);
  g_assert_cmpint (eimza_browser_profile_get_state (snap), ==, EIMZA_BROWSER_STATE_SANDBOXED);
  g_assert_false (eimza_browser_profile_can_change (snap));
  text = eimza_browser_profile_dup_state_text (snap);
  g_assert_nonnull (strstr (text, "snap"));

  g_assert_false (eimza_browser_setup_change (setup, snap, TRUE, NULL, &error));
  g_assert_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_SANDBOXED);
  listed = modutil_list (snap_profile);
  g_assert_null (strstr (listed, EIMZA_BROWSER_MODULE_NAME));
}

/* A Firefox profile never started has no database: explained, not made. */
static void
test_firefox_no_database (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(EimzaBrowserProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh = NULL;

  if (fixture->home == NULL)
    return;

  fresh = g_build_filename (fixture->home, ".mozilla", "firefox", "n3w.fresh", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fresh, 0700), ==, 0);

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  profile = eimza_browser_profile_new (EIMZA_BROWSER_FIREFOX, EIMZA_BROWSER_SANDBOX_NONE,
                                       "Firefox", fresh);
  eimza_browser_setup_check (setup, profile, NULL);
  g_assert_cmpint (eimza_browser_profile_get_state (profile), ==,
                   EIMZA_BROWSER_STATE_NO_DATABASE);
  g_assert_false (eimza_browser_setup_change (setup, profile, TRUE, NULL, &error));
  g_assert_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_NO_DATABASE);
  g_assert_false (eimza_browser_nssdb_exists (fresh));
}

/* Chromium started once but without ~/.pki/nssdb: registering makes it. */
static void
test_chromium_creates_database (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(EimzaBrowserSetup) setup = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *listed = NULL;
  EimzaBrowserProfile *chromium;

  if (fixture->home == NULL)
    return;

  remove_tree (fixture->nssdb);
  config = g_build_filename (fixture->home, ".config", "google-chrome", NULL);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);

  setup = eimza_browser_setup_new (fixture->home, fixture->module);
  profiles = eimza_browser_setup_scan (setup, NULL);
  chromium = find_profile (profiles, EIMZA_BROWSER_CHROMIUM, EIMZA_BROWSER_SANDBOX_NONE);
  g_assert_nonnull (chromium);
  g_assert_cmpint (eimza_browser_profile_get_state (chromium), ==,
                   EIMZA_BROWSER_STATE_NOT_REGISTERED);

  g_assert_true (eimza_browser_setup_change (setup, chromium, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (eimza_browser_nssdb_exists (fixture->nssdb));
  listed = modutil_list (fixture->nssdb);
  g_assert_nonnull (strstr (listed, EIMZA_BROWSER_MODULE_NAME));
}

/* The configured module, else the AKİS one, else p11-kit's proxy. */
static void
test_pick_module (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("eimza-akis-XXXXXX", &error);
  g_autofree char *akis = NULL;
  g_autofree char *picked = NULL;
  const char *dirs[] = { NULL, NULL };

  g_assert_no_error (error);
  dirs[0] = dir;

  /* Not installed: p11-kit's proxy, if this computer has it. */
  picked = eimza_browser_pick_module (NULL, dirs, &error);
  if (picked != NULL)
    g_assert_true (g_str_has_suffix (picked, "/p11-kit-proxy.so"));
  else
    g_assert_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_NO_MODULE);
  g_clear_error (&error);
  g_clear_pointer (&picked, g_free);

  akis = g_build_filename (dir, "libakisp11.so", NULL);
  write_file (akis, "");
  picked = eimza_browser_pick_module (NULL, dirs, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (picked, ==, akis);
  g_clear_pointer (&picked, g_free);

  picked = eimza_browser_pick_module ("/usr/lib/softhsm/libsofthsm2.so", dirs, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (picked, ==, "/usr/lib/softhsm/libsofthsm2.so");
  g_clear_pointer (&picked, g_free);

  picked = eimza_browser_pick_module ("/nonexistent/libx.so", dirs, &error);
  g_assert_error (error, EIMZA_BROWSER_ERROR, EIMZA_BROWSER_ERROR_NO_MODULE);
  g_assert_null (picked);

  g_assert_cmpint (g_unlink (akis), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/browser/setup/find", test_find);
  ADD ("/browser/setup/register-remove", test_register_remove);
  ADD ("/browser/setup/registered-by-hand", test_registered_by_hand);
  ADD ("/browser/setup/async", test_async);
  ADD ("/browser/running/firefox-lock-link", test_firefox_running_link);
  ADD ("/browser/running/firefox-parentlock", test_firefox_running_parentlock);
  ADD ("/browser/running/chromium", test_chromium_running);
  ADD ("/browser/sandboxed/snap-and-flatpak", test_sandboxed);
  ADD ("/browser/database/firefox-none", test_firefox_no_database);
  ADD ("/browser/database/chromium-created", test_chromium_creates_database);
  g_test_add_func ("/browser/module/pick", test_pick_module);

#undef ADD

  return g_test_run ();
}
