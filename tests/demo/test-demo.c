/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of EimzaDemo against the real portal simulator and SoftHSM2: a demo that starts. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "demo-fixture.h"

static void
test_start_with_card (void)
{
  EimzaDemo *demo;
  int portal_port;

  if (!have_softhsm ())
    return;

  demo = start_in_budget ();
  g_assert_null (eimza_demo_get_card_problem (demo));

  portal_port = url_port (eimza_demo_get_portal_url (demo));
  g_assert_cmpint (url_port (eimza_demo_get_nes_url (demo)), !=, portal_port);
  g_assert_true (g_file_test (eimza_demo_get_ca_file (demo), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (eimza_demo_get_pkcs11_module (demo), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (eimza_demo_get_softhsm2_conf (demo), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (eimza_demo_get_token_label (demo), ==, "E-IMZA DEMO");
  g_assert_cmpstr (eimza_demo_get_pin (demo), ==, DEMO_PIN);
  /* The unblock code the demo person holds: 8 digits, like Kamu SM's PUK. */
  g_assert_cmpuint (strlen (eimza_demo_get_puk (demo)), ==, 8);
  g_assert_cmpuint (strspn (eimza_demo_get_puk (demo), "0123456789"), ==, 8);
  g_assert_true (g_str_has_prefix (eimza_demo_get_sms_log_file (demo), tmp_dir));
  g_assert_true (g_str_has_prefix (eimza_demo_get_softhsm2_conf (demo), tmp_dir));

  assert_portal_answers (demo);
  assert_fixture_person (demo);
  assert_token (demo);

  stop_and_check (demo);
}

/* The portal's CA and only it: the card's CA must not do. */
static void
test_portal_ca (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *card_ca = NULL;
  g_autofree char *dir = NULL;
  EimzaDemo *demo;

  if (!have_softhsm ())
    return;

  demo = start_in_budget ();
  dir = demo_dir (demo);
  card_ca = g_build_filename (dir, "card", "ca.pem", NULL);
  status = https_get (url_port (eimza_demo_get_portal_url (demo)), card_ca, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_null (status);

  stop_and_check (demo);
}

/* The demo person can sign in to the NES site with the card: its
 * certificate and key (PIN in the URI) in the handshake. In a subprocess:
 * GnuTLS's PKCS#11 state is per process and SOFTHSM2_CONF is read once. */
static void
test_nes_login (void)
{
  g_autoptr(GError) error = NULL;

  if (!have_softhsm ())
    return;

  if (g_test_subprocess ())
    {
      g_autoptr(GTlsCertificate) certificate = NULL;
      g_autofree char *status = NULL;
      g_autofree char *key_uri = NULL;
      EimzaDemo *demo = start_in_budget ();

      g_setenv ("SOFTHSM2_CONF", eimza_demo_get_softhsm2_conf (demo), TRUE);
      key_uri = g_strdup_printf ("%s;object=NES0;type=private;pin-value=%s", TOKEN_URI,
                                 eimza_demo_get_pin (demo));
      certificate = g_tls_certificate_new_from_pkcs11_uris (TOKEN_URI ";object=NES0;type=cert",
                                                            key_uri, &error);
      g_assert_no_error (error);

      status = https_get_path (url_port (eimza_demo_get_nes_url (demo)),
                               eimza_demo_get_ca_file (demo), certificate, "/nb/nbimzali.go",
                               &error);
      g_assert_no_error (error);
      g_assert_cmpstr (status, ==, "HTTP/1.1 200 OK");

      g_clear_object (&certificate);
      stop_and_check (demo);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_assert_cmpuint (count_entries (tmp_dir), ==, 0);
}

/* Found in the build tree when nothing overrides it. */
static void
test_build_tree_card (void)
{
  g_autofree char *real = g_strdup (g_getenv ("EIMZA_DEMO_CARD"));
  g_autofree char *built = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "..", "tools",
                                             "demo", "eimza-demo-card", NULL);
  EimzaDemo *demo;

  if (!have_softhsm ())
    return;
  if (!g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("tools/demo is not in this build tree");
      return;
    }

  g_unsetenv ("EIMZA_DEMO_CARD");
  demo = start_in_budget ();
  g_setenv ("EIMZA_DEMO_CARD", real, TRUE);
  g_assert_null (eimza_demo_get_card_problem (demo));

  stop_and_check (demo);
}

/* A wrapper that writes its command line to @log, then runs @real. */
static void
write_recording_wrapper (const char *dir,
                         const char *name,
                         const char *real,
                         const char *log)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *quoted_log = g_shell_quote (log);
  g_autofree char *quoted_real = g_shell_quote (real);
  g_autofree char *text = g_strdup_printf ("#!/bin/sh\n"
                                           "printf '%%s\\n' \"%s $*\" >> %s\n"
                                           "exec %s \"$@\"\n",
                                           name, quoted_log, quoted_real);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

/* `ps` shows every command line: the PINs must be on none, neither the
 * card maker's nor those of the tools it runs. */
static void
no_pin_in_argv (void)
{
  static const char * const tools[] = { "p11tool", "certtool", "softhsm2-util" };
  g_autofree char *real_card = g_strdup (g_getenv ("EIMZA_DEMO_CARD"));
  g_autofree char *real_sim = g_strdup (g_getenv ("EIMZA_PORTAL_SIM"));
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *bin = g_dir_make_tmp ("test-demo-bin-XXXXXX", NULL);
  g_autofree char *log = g_build_filename (bin, "argv.log", NULL);
  g_autofree char *new_path = NULL;
  g_autofree char *card_wrapper = g_build_filename (bin, "eimza-demo-card", NULL);
  g_autofree char *sim_wrapper = g_build_filename (bin, "eimza-portal-sim", NULL);
  g_autofree char *lines = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) calls = NULL;
  EimzaDemo *demo;

  if (!have_softhsm ())
    return;

  g_assert_nonnull (bin);
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *real = g_find_program_in_path (tools[i]);

      write_recording_wrapper (bin, tools[i], real, log);
    }
  write_recording_wrapper (bin, "eimza-demo-card", real_card, log);
  write_recording_wrapper (bin, "eimza-portal-sim", real_sim, log);

  new_path = g_strconcat (bin, ":", old_path, NULL);
  g_setenv ("PATH", new_path, TRUE);
  g_setenv ("EIMZA_DEMO_CARD", card_wrapper, TRUE);
  g_setenv ("EIMZA_PORTAL_SIM", sim_wrapper, TRUE);
  demo = start_in_budget ();
  g_setenv ("PATH", old_path, TRUE);
  g_setenv ("EIMZA_DEMO_CARD", real_card, TRUE);
  g_setenv ("EIMZA_PORTAL_SIM", real_sim, TRUE);
  g_assert_null (eimza_demo_get_card_problem (demo));

  g_file_get_contents (log, &lines, NULL, &error);
  g_assert_no_error (error);
  calls = g_strsplit (lines, "\n", -1);
  g_assert_cmpuint (g_strv_length (calls), >=, 4);
  g_assert_true (g_str_has_prefix (calls[0], "eimza-demo-card "));
  g_assert_nonnull (strstr (lines, "\np11tool "));
  g_assert_nonnull (strstr (lines, "\neimza-portal-sim "));
  for (guint i = 0; calls[i] != NULL; i++)
    {
      g_assert_null (strstr (calls[i], DEMO_PIN));
      /* softhsm2-util's and p11tool's options that take a PIN. */
      g_assert_null (strstr (calls[i], " --pin"));
      g_assert_null (strstr (calls[i], "-so-pin"));
      g_assert_null (strstr (calls[i], "--set-pin"));
      g_assert_null (strstr (calls[i], "pin-value"));
    }

  {
    const char *argv[] = { "rm", "-rf", bin, NULL };
    int wait_status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &wait_status, NULL));
  }
  stop_and_check (demo);
}

/* In a subprocess like every test that starts the demo: the demo's TLS
 * stack (GnuTLS, p11-kit and its modules) is then loaded and unloaded in a
 * process of its own, not in the one that runs the remaining tests. */
static void
test_no_pin_in_argv (void)
{
  if (!have_softhsm ())
    return;

  if (g_test_subprocess ())
    {
      no_pin_in_argv ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_assert_cmpuint (count_entries (tmp_dir), ==, 0);
}

/* The pid of the demo's simulator (a child of this process), or 0. */
static pid_t
find_simulator (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *close_paren;
      char state;
      int ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      close_paren = strrchr (stat, ')');
      if (close_paren == NULL || sscanf (close_paren + 1, " %c %d", &state, &ppid) != 2)
        continue;
      if (ppid == getpid () && state != 'Z' && strstr (stat, "(" SIM_COMM ")") != NULL)
        return (pid_t) g_ascii_strtoll (name, NULL, 10);
    }
  return 0;
}

/* Whether @needle occurs in the command line @haystack (@length bytes,
 * arguments separated by NULs), within an argument or across two. */
static gboolean
bytes_contain (const char *haystack,
               gsize       length,
               const char *needle)
{
  g_autofree char *joined = g_malloc (length + 1);

  for (gsize i = 0; i < length; i++)
    joined[i] = haystack[i] != '\0' ? haystack[i] : ' ';
  joined[length] = '\0';
  return strstr (joined, needle) != NULL;
}

/* Şifreli Giriş (Kilit Çözme) for the demo card: its URL is set and
 * answers without a client certificate; the simulator learnt the card's
 * PUK and the demo person's security word from a 0600 file in the demo
 * directory, removed once read, never from its command line. */
static void
sifreli_giris (void)
{
  g_autofree char *real_sim = g_strdup (g_getenv ("EIMZA_PORTAL_SIM"));
  g_autofree char *bin = g_dir_make_tmp ("test-demo-bin-XXXXXX", NULL);
  g_autofree char *wrapper = g_build_filename (bin, "eimza-portal-sim", NULL);
  g_autofree char *modes = g_build_filename (bin, "modes.log", NULL);
  g_autofree char *quoted_modes = g_shell_quote (modes);
  g_autofree char *quoted_real = g_shell_quote (real_sim);
  g_autofree char *script = NULL;
  g_autofree char *cmdline_path = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *mode_lines = NULL;
  g_autofree char *expected_mode = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;
  const char *file = NULL;
  const char *puk;
  const char *word;
  gsize length;
  EimzaDemo *demo;
  pid_t sim;

  g_assert_nonnull (bin);
  /* Notes the mode of the file the simulator is given, then runs it. */
  script = g_strdup_printf ("#!/bin/sh\n"
                            "prev=\n"
                            "for a in \"$@\"; do\n"
                            "  if [ \"$prev\" = --unblock-code-file ]; then\n"
                            "    stat -c '%%a %%U' \"$a\" >> %s\n"
                            "  fi\n"
                            "  prev=$a\n"
                            "done\n"
                            "exec %s \"$@\"\n", quoted_modes, quoted_real);
  g_file_set_contents (wrapper, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (wrapper, 0755), ==, 0);

  g_setenv ("EIMZA_PORTAL_SIM", wrapper, TRUE);
  demo = start_in_budget ();
  g_setenv ("EIMZA_PORTAL_SIM", real_sim, TRUE);
  g_assert_null (eimza_demo_get_card_problem (demo));
  dir = demo_dir (demo);
  puk = eimza_demo_get_puk (demo);
  word = eimza_demo_get_security_word (demo);
  g_assert_nonnull (puk);
  g_assert_nonnull (word);
  g_assert_cmpuint (strlen (word), >=, 4);

  /* A listener of its own, on loopback, that asks for no certificate. */
  g_assert_true (g_str_has_prefix (eimza_demo_get_sifreli_url (demo), "https://127.0.0.1:"));
  g_assert_cmpint (url_port (eimza_demo_get_sifreli_url (demo)), !=,
                   url_port (eimza_demo_get_nes_url (demo)));
  g_assert_cmpint (url_port (eimza_demo_get_sifreli_url (demo)), !=,
                   url_port (eimza_demo_get_portal_url (demo)));
  status = https_get_path (url_port (eimza_demo_get_sifreli_url (demo)),
                           eimza_demo_get_ca_file (demo), NULL, "/nb/nb.go", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status, ==, "HTTP/1.1 200 OK");

  /* What `ps` shows of the simulator. */
  sim = find_simulator ();
  g_assert_cmpint (sim, >, 0);
  cmdline_path = g_strdup_printf ("/proc/%d/cmdline", (int) sim);
  g_file_get_contents (cmdline_path, &cmdline, &length, &error);
  g_assert_no_error (error);
  g_assert_false (bytes_contain (cmdline, length, puk));
  g_assert_false (bytes_contain (cmdline, length, word));
  g_assert_false (bytes_contain (cmdline, length, DEMO_PIN));
  g_assert_true (bytes_contain (cmdline, length, "--sifreli-giris"));
  for (const char *arg = cmdline; arg < cmdline + length; arg += strlen (arg) + 1)
    {
      if (g_str_equal (arg, "--unblock-code-file"))
        file = arg + strlen (arg) + 1;
    }
  g_assert_nonnull (file);
  g_assert_true (g_str_has_prefix (file, dir));
  /* Read by the simulator before it listened, then removed. */
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  /* Private while it was there. */
  g_file_get_contents (modes, &mode_lines, NULL, &error);
  g_assert_no_error (error);
  expected_mode = g_strdup_printf ("600 %s\n", g_get_user_name ());
  g_assert_cmpstr (mode_lines, ==, expected_mode);

  {
    const char *argv[] = { "rm", "-rf", bin, NULL };
    int wait_status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &wait_status, NULL));
  }
  stop_and_check (demo);
}

static void
test_sifreli_giris (void)
{
  if (!have_softhsm ())
    return;

  if (g_test_subprocess ())
    {
      sifreli_giris ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_assert_cmpuint (count_entries (tmp_dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  const char *parent_tmp = g_getenv ("TMPDIR");
  int status;

  g_test_init (&argc, &argv, NULL);

  /* GIO loads glib-networking to look at it and unloads it again, and
   * GnuTLS with it, whose thread-local data stays listed in the threads;
   * LeakSanitizer's exit scan then reads that unmapped memory and crashes
   * ("Tracer caught signal 11"). Linked to the test, GnuTLS stays loaded
   * for the life of the process. */
  g_assert_nonnull (gnutls_check_version (NULL));

  /* Without g_get_tmp_dir(): it keeps the first TMPDIR it sees, and that
   * must be this one. A subprocess of the test inherits it. */
  if (g_test_subprocess ())
    {
      tmp_dir = g_strdup (parent_tmp);
    }
  else
    {
      tmp_dir = g_build_filename (parent_tmp != NULL && *parent_tmp != '\0' ? parent_tmp : "/tmp",
                                  "test-demo-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (tmp_dir));
      g_setenv ("TMPDIR", tmp_dir, TRUE);
    }
  /* The children must not print what the test compares. */
  g_unsetenv ("G_MESSAGES_DEBUG");

  g_test_add_func ("/demo/start/with-card", test_start_with_card);
  g_test_add_func ("/demo/start/portal-ca-only", test_portal_ca);
  g_test_add_func ("/demo/start/build-tree-card", test_build_tree_card);
  g_test_add_func ("/demo/start/nes-login", test_nes_login);
  g_test_add_func ("/demo/no-card/missing-tools-status", test_missing_tools_script);
  g_test_add_func ("/demo/no-card/missing-tools-path", test_missing_tools_path);
  g_test_add_func ("/demo/no-card/card-fails", test_card_fails);
  g_test_add_func ("/demo/no-card/card-hangs", test_card_hangs);
  g_test_add_func ("/demo/simulator/missing", test_no_simulator);
  g_test_add_func ("/demo/simulator/bad-start", test_bad_simulator);
  g_test_add_func ("/demo/simulator/silent", test_silent_simulator);
  g_test_add_func ("/demo/stop/parent-dies", test_parent_dies);
  g_test_add_func ("/demo/stop/sigterm-while-starting", test_sigterm_while_starting);
  g_test_add_func ("/demo/stop/sigkill-stale-dir-removed", test_sigkill_leaves_stale_dir);
  g_test_add_func ("/demo/start/no-pin-in-argv", test_no_pin_in_argv);
  g_test_add_func ("/demo/start/sifreli-giris", test_sifreli_giris);

  status = g_test_run ();

  if (!g_test_subprocess ())
    g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
