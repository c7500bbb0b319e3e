/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaDemo when a part fails or it is stopped: no card tools, a failing card, a bad simulator, signals. */
#include "config.h"

#include "demo-fixture.h"

static char *
write_script (const char *name,
              const char *body)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), name, NULL);
  g_autofree char *text = g_strconcat ("#!/bin/sh\n", body, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return g_steal_pointer (&path);
}

static void
assert_no_card (EimzaDemo *demo)
{
  g_assert_nonnull (eimza_demo_get_card_problem (demo));
  g_assert_null (eimza_demo_get_nes_url (demo));
  g_assert_null (eimza_demo_get_pkcs11_module (demo));
  g_assert_null (eimza_demo_get_softhsm2_conf (demo));
  g_assert_null (eimza_demo_get_token_label (demo));
  g_assert_null (eimza_demo_get_pin (demo));
  assert_portal_answers (demo);
}

void
test_missing_tools_script (void)
{
  g_autofree char *real = g_strdup (g_getenv ("EIMZA_DEMO_CARD"));
  g_autofree char *script = NULL;
  EimzaDemo *demo;

  if (!have_simulator ())
    return;

  script = write_script ("fake-demo-card-missing",
                         "echo 'eimza-demo-card: missing Debian packages: softhsm2' >&2\n"
                         "exit 2\n");
  g_setenv ("EIMZA_DEMO_CARD", script, TRUE);
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "Demo card: *missing*");
  demo = start_in_budget ();
  g_test_assert_expected_messages ();
  g_setenv ("EIMZA_DEMO_CARD", real, TRUE);

  assert_no_card (demo);
  g_assert_nonnull (strstr (eimza_demo_get_card_problem (demo),
                            "sudo apt install softhsm2 gnutls-bin"));
  g_assert_null (eimza_demo_get_tckn (demo));

  stop_and_check (demo);
  g_unlink (script);
}

/* The real script with a PATH that lacks the tools: the demo still knows
 * its person. */
void
test_missing_tools_path (void)
{
  static const char * const basics[] = { "sh", "mkdir", "cat", "rm", "mv", "od", "tr", "cut" };
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *bin = NULL;
  EimzaDemo *demo;

  if (!have_simulator ())
    return;

  bin = g_build_filename (tmp_dir, "bin", NULL);
  g_assert_cmpint (g_mkdir (bin, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (basics); i++)
    {
      g_autofree char *target = g_find_program_in_path (basics[i]);
      g_autofree char *link = g_build_filename (bin, basics[i], NULL);

      g_assert_nonnull (target);
      g_assert_cmpint (symlink (target, link), ==, 0);
    }

  g_setenv ("PATH", bin, TRUE);
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "Demo card: *gnutls-bin*");
  demo = start_in_budget ();
  g_test_assert_expected_messages ();
  g_setenv ("PATH", old_path, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (basics); i++)
    {
      g_autofree char *link = g_build_filename (bin, basics[i], NULL);

      g_unlink (link);
    }
  g_rmdir (bin);

  assert_no_card (demo);
  g_assert_nonnull (strstr (eimza_demo_get_card_problem (demo),
                            "sudo apt install softhsm2 gnutls-bin"));
  assert_fixture_person (demo);

  stop_and_check (demo);
}

static int find_process_with_argument (const char *prefix);

/* A card that takes too long: given up on, with its children. */
void
test_card_hangs (void)
{
  g_autofree char *real = g_strdup (g_getenv ("EIMZA_DEMO_CARD"));
  g_autofree char *script = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *body = NULL;
  EimzaDemo *demo;

  if (!have_simulator ())
    return;

  /* Not the last command, so that sleep is a child and not the shell. */
  /* A duration of its own, told apart from the sleeps of test runs in
   * other build trees on the machine. */
  marker = g_strdup_printf ("61.%06d", g_random_int_range (0, 1000000));
  body = g_strdup_printf ("sleep %s\nexit 0\n", marker);
  script = write_script ("fake-demo-card-hangs", body);
  g_setenv ("EIMZA_DEMO_CARD", script, TRUE);
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*no card after*");
  demo = start_in_budget ();
  g_test_assert_expected_messages ();
  g_setenv ("EIMZA_DEMO_CARD", real, TRUE);

  assert_no_card (demo);
  /* SIGKILL is delivered to the script's sleep, not waited for: it may
   * take a moment to die; it must not outlive a few seconds. */
  for (int i = 0; i < 50 && find_process_with_argument (marker) != 0; i++)
    g_usleep (100 * 1000);
  g_assert_cmpint (find_process_with_argument (marker), ==, 0);

  stop_and_check (demo);
  g_unlink (script);
}

void
test_card_fails (void)
{
  g_autofree char *real = g_strdup (g_getenv ("EIMZA_DEMO_CARD"));
  g_autofree char *script = NULL;
  EimzaDemo *demo;

  if (!have_simulator ())
    return;

  script = write_script ("fake-demo-card-fails", "echo 'eimza-demo-card: boom' >&2\nexit 1\n");
  g_setenv ("EIMZA_DEMO_CARD", script, TRUE);
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*status 1: eimza-demo-card: boom");
  demo = start_in_budget ();
  g_test_assert_expected_messages ();
  g_setenv ("EIMZA_DEMO_CARD", real, TRUE);

  assert_no_card (demo);
  g_assert_null (strstr (eimza_demo_get_card_problem (demo), "apt"));

  stop_and_check (demo);
  g_unlink (script);
}

void
test_no_simulator (void)
{
  g_autofree char *real = g_strdup (g_getenv ("EIMZA_PORTAL_SIM"));
  g_autoptr(GError) error = NULL;
  EimzaDemo *demo;

  g_setenv ("EIMZA_PORTAL_SIM", "/nonexistent/eimza-portal-sim", TRUE);
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "Demo: cannot run *");
  demo = eimza_demo_start (&error);
  g_test_assert_expected_messages ();
  if (real != NULL)
    g_setenv ("EIMZA_PORTAL_SIM", real, TRUE);

  g_assert_error (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_NO_SIMULATOR);
  g_assert_null (demo);
  g_assert_cmpuint (count_entries (tmp_dir), ==, 0);
}

/* A simulator that prints something else, then waits: refused, stopped. */
void
test_bad_simulator (void)
{
  g_autofree char *real = g_strdup (g_getenv ("EIMZA_PORTAL_SIM"));
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  EimzaDemo *demo;

  script = write_script ("fake-portal-sim", "echo 'hello'\nexec sleep 60\n");
  g_setenv ("EIMZA_PORTAL_SIM", script, TRUE);
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*unexpected start-up line*");
  demo = eimza_demo_start (&error);
  g_test_assert_expected_messages ();
  if (real != NULL)
    g_setenv ("EIMZA_PORTAL_SIM", real, TRUE);

  g_assert_error (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_SIMULATOR_FAILED);
  g_assert_null (demo);
  g_assert_cmpuint (count_entries (tmp_dir), ==, 0);
  g_unlink (script);
}

/* A simulator that says nothing: given up on in time. */
void
test_silent_simulator (void)
{
  g_autofree char *real = g_strdup (g_getenv ("EIMZA_PORTAL_SIM"));
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  EimzaDemo *demo;

  script = write_script ("fake-portal-sim-silent", "exec sleep 62.345\n");
  g_setenv ("EIMZA_PORTAL_SIM", script, TRUE);
  demo = eimza_demo_start (&error);
  if (real != NULL)
    g_setenv ("EIMZA_PORTAL_SIM", real, TRUE);

  g_assert_error (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_TIMED_OUT);
  g_assert_null (demo);
  g_assert_cmpint (g_get_monotonic_time () - start, <, START_BUDGET_SECONDS * G_USEC_PER_SEC);
  g_assert_cmpint (find_process_with_argument ("62.345"), ==, 0);
  g_assert_cmpuint (count_entries (tmp_dir), ==, 0);
  g_unlink (script);
}

/* The pid of a live (not zombie) process with an argument under @prefix;
 * 0 if there is none. */
static int
find_process_with_argument (const char *prefix)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *cmdline_path = NULL;
      g_autofree char *stat_path = NULL;
      g_autofree char *cmdline = NULL;
      g_autofree char *stat = NULL;
      const char *close_paren;
      gboolean match = FALSE;
      gsize length;

      if (!g_ascii_isdigit (name[0]))
        continue;
      cmdline_path = g_build_filename ("/proc", name, "cmdline", NULL);
      if (!g_file_get_contents (cmdline_path, &cmdline, &length, NULL))
        continue;
      /* NUL-separated arguments. */
      for (gsize at = 0; at < length && !match; at += strlen (cmdline + at) + 1)
        match = g_str_has_prefix (cmdline + at, prefix);
      if (!match)
        continue;

      stat_path = g_build_filename ("/proc", name, "stat", NULL);
      if (g_file_get_contents (stat_path, &stat, NULL, NULL)
          && (close_paren = strrchr (stat, ')')) != NULL && close_paren[1] == ' '
          && close_paren[2] != 'Z')
        return atoi (name);
    }
  return 0;
}

/* The app dies without stopping the demo: the simulator goes too. */
void
test_parent_dies (void)
{
  g_autofree char *note = g_build_filename (tmp_dir, "demo-dir", NULL);
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  int pid = 0;

  if (!have_softhsm ())
    return;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      EimzaDemo *demo = eimza_demo_start (&error);

      g_assert_no_error (error);
      g_assert_cmpuint (count_simulators (getpid ()), ==, 1);
      g_file_set_contents (note, demo_dir (demo), -1, &error);
      g_assert_no_error (error);
      /* A crash: no stop, no dispose, no atexit. */
      _exit (0);
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  g_file_get_contents (note, &dir, NULL, &error);
  g_assert_no_error (error);
  g_unlink (note);
  g_assert_true (g_str_has_prefix (dir, tmp_dir));

  /* The simulator's --tls-dir is under the demo directory. */
  for (int i = 0; i < 100 && (pid = find_process_with_argument (dir)) != 0; i++)
    g_usleep (50 * 1000);
  g_assert_cmpint (pid, ==, 0);

  /* What a crash does leave: the directory. */
  {
    const char *argv[] = { "rm", "-rf", dir, NULL };
    int wait_status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &wait_status, NULL));
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }
  g_assert_cmpuint (count_entries (tmp_dir), ==, 0);
}

/* SIGTERM at the first moment a child of the demo exists (the card maker
 * sends it to the app): the start stops, and nothing is left. */
void
test_sigterm_while_starting (void)
{
  if (!have_simulator ())
    return;

  if (g_test_subprocess ())
    {
      g_autofree char *script = NULL;
      g_autoptr(GError) error = NULL;
      EimzaDemo *demo;

      script = write_script ("fake-demo-card-sigterm",
                             "kill -TERM $PPID\nsleep 63.456\nexit 0\n");
      g_setenv ("EIMZA_DEMO_CARD", script, TRUE);
      demo = eimza_demo_start (&error);
      g_unlink (script);
      g_assert_error (error, EIMZA_DEMO_ERROR, EIMZA_DEMO_ERROR_INTERRUPTED);
      g_assert_null (demo);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_assert_cmpint (find_process_with_argument ("63.456"), ==, 0);
  g_assert_cmpuint (count_simulators (getpid ()), ==, 0);
  g_assert_cmpuint (count_entries (tmp_dir), ==, 0);
}

/* Field 22 of /proc/PID/stat: when the process started. */
static char *
start_time_of (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents (path, &stat, NULL, NULL));
  fields = g_strsplit (strrchr (stat, ')') + 2, " ", 21);
  g_assert_cmpuint (g_strv_length (fields), ==, 21);
  return g_strdup (fields[19]);
}

/* A directory named like a demo's that is not one to remove. */
static char *
make_foreign_dir (const char *name,
                  const char *owner_text,
                  uid_t       uid)
{
  g_autofree char *dir = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *owner = g_build_filename (dir, "owner", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  if (owner_text != NULL)
    {
      g_file_set_contents (owner, owner_text, -1, &error);
      g_assert_no_error (error);
    }
  if (uid != getuid ())
    {
      g_assert_cmpint (chown (owner, uid, uid), ==, 0);
      g_assert_cmpint (chown (dir, uid, uid), ==, 0);
    }
  return g_steal_pointer (&dir);
}

/* A demo killed with SIGKILL leaves its directory (token, PIN); the next
 * demo removes it, and only it. */
void
test_sigkill_leaves_stale_dir (void)
{
  g_autofree char *note = g_build_filename (tmp_dir, "demo-dir", NULL);
  g_autofree char *stale = NULL;
  g_autofree char *live = NULL;
  g_autofree char *no_owner = NULL;
  g_autofree char *not_mine = NULL;
  g_autofree char *link = g_build_filename (tmp_dir, "eimza-demo-Linked", NULL);
  g_autofree char *target = g_build_filename (tmp_dir, "not-a-demo", NULL);
  g_autofree char *live_owner = NULL;
  g_autofree char *parent_start = NULL;
  g_autoptr(GError) error = NULL;
  EimzaDemo *demo;

  if (!have_softhsm ())
    return;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      EimzaDemo *demo = eimza_demo_start (&error);
      g_autofree char *dir = NULL;

      g_assert_no_error (error);
      dir = demo_dir (demo);
      g_file_set_contents (note, dir, -1, &error);
      g_assert_no_error (error);
      raise (SIGKILL);
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_file_get_contents (note, &stale, NULL, &error);
  g_assert_no_error (error);
  g_unlink (note);
  g_assert_true (g_str_has_prefix (stale, tmp_dir));
  g_assert_true (g_file_test (stale, G_FILE_TEST_IS_DIR));

  /* Not to be touched: a running demo (this process), a directory without
   * an owner file, one of another user, a symbolic link. */
  parent_start = start_time_of (getppid ());
  live_owner = g_strdup_printf ("%d %s\n", (int) getppid (), parent_start);
  live = make_foreign_dir ("eimza-demo-Living", live_owner, getuid ());
  no_owner = make_foreign_dir ("eimza-demo-NoOwnr", NULL, getuid ());
  not_mine = getuid () == 0 ? make_foreign_dir ("eimza-demo-Others", "1 1\n", 65534) : NULL;
  g_assert_cmpint (g_mkdir (target, 0700), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);

  demo = start_in_budget ();
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (no_owner, G_FILE_TEST_IS_DIR));
  if (not_mine != NULL)
    g_assert_true (g_file_test (not_mine, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (target, G_FILE_TEST_IS_DIR));

  {
    const char *argv[] = { "rm", "-rf", live, no_owner, target, link,
                           not_mine != NULL ? not_mine : link, NULL };
    int wait_status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &wait_status, NULL));
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }
  stop_and_check (demo);
}
