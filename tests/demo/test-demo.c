/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of EimzaDemo against the real portal simulator and SoftHSM2. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gnutls/gnutls.h>

#include "eimza-demo.h"

/*
 * Every demo directory lands in a TMPDIR of the test's own, so that each
 * case can check that nothing is left behind. EIMZA_PORTAL_SIM and
 * EIMZA_DEMO_CARD (the script in the source tree) come from meson; cases
 * that need the simulator or SoftHSM2 skip without them.
 */

#define DEMO_PIN "123456"
#define TOKEN_URI "pkcs11:token=E-IMZA%20DEMO"
#define SIM_COMM "eimza-portal-si" /* /proc/PID/comm keeps 15 characters */
#define START_BUDGET_SECONDS 20

static char *tmp_dir;

static gboolean
have_simulator (void)
{
  const char *sim = g_getenv ("EIMZA_PORTAL_SIM");

  if (sim != NULL && g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;

  g_test_skip ("eimza-portal-sim is not built (EIMZA_PORTAL_SIM)");
  return FALSE;
}

static gboolean
have_softhsm (void)
{
  static const char * const tools[] = { "softhsm2-util", "certtool", "p11tool" };

  if (!have_simulator ())
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_test_skip_printf ("%s is missing: install softhsm2 and gnutls-bin", tools[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Children of @parent whose comm is the simulator's, zombies excepted. */
static guint
count_simulators (pid_t parent)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

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
      /* "PID (COMM) STATE PPID …"; COMM may hold spaces and parentheses. */
      close_paren = strrchr (stat, ')');
      if (close_paren == NULL || sscanf (close_paren + 1, " %c %d", &state, &ppid) != 2)
        continue;
      if (ppid == parent && state != 'Z' && strstr (stat, "(" SIM_COMM ")") != NULL)
        n++;
    }
  return n;
}

/* The demo's private directory: DIR/portal/ca.pem is the CA file. */
static char *
demo_dir (EimzaDemo *demo)
{
  g_autofree char *portal_dir = g_path_get_dirname (eimza_demo_get_ca_file (demo));

  return g_path_get_dirname (portal_dir);
}

static int
url_port (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  return g_uri_get_port (uri);
}

/* GET @path over TLS, trusting only @ca_file, presenting @certificate (may
 * be NULL); returns the status line, or NULL with @error when the handshake
 * fails. */
static char *
https_get_path (int               port,
                const char       *ca_file,
                GTlsCertificate  *certificate,
                const char       *path,
                GError          **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", port);
  g_autoptr(GDataInputStream) input = NULL;
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                                              "Connection: close\r\n\r\n", path, port);

  g_socket_client_set_timeout (client, 10);
  tcp = g_socket_client_connect (client, identity, NULL, error);
  if (tcp == NULL)
    return NULL;

  database = g_tls_file_database_new (ca_file, error);
  g_assert_nonnull (database);
  tls = g_tls_client_connection_new (G_IO_STREAM (tcp), identity, error);
  g_assert_nonnull (tls);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  if (certificate != NULL)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (tls), certificate);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, error))
    return NULL;

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (tls), request,
                                  strlen (request), NULL, NULL, error))
    return NULL;

  input = g_data_input_stream_new (g_io_stream_get_input_stream (tls));
  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  return g_data_input_stream_read_line_utf8 (input, NULL, NULL, error);
}

static char *
https_get (int          port,
           const char  *ca_file,
           GError     **error)
{
  return https_get_path (port, ca_file, NULL, "/", error);
}

static void
assert_portal_answers (EimzaDemo *demo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  status = https_get (url_port (eimza_demo_get_portal_url (demo)),
                      eimza_demo_get_ca_file (demo), &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_true (g_str_has_prefix (status, "HTTP/1.1 "));
}

/* The demo person's line in the simulator's fixtures, by column name. */
static GHashTable *
fixture_person (const char *tckn)
{
  const char *path = g_getenv ("EIMZA_MERNIS_TSV");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (path);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      GHashTable *person;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      if (header == NULL)
        {
          header = g_steal_pointer (&fields);
          continue;
        }
      if (g_strcmp0 (fields[0], tckn) != 0)
        continue;

      person = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint c = 0; header[c] != NULL && fields[c] != NULL; c++)
        g_hash_table_insert (person, g_strdup (header[c]), g_strdup (fields[c]));
      return person;
    }
  return NULL;
}

/* The person must be in the fixtures, with e-onay to give and no
 * previous application in the way. */
static void
assert_fixture_person (EimzaDemo *demo)
{
  g_autoptr(GHashTable) person = fixture_person (eimza_demo_get_tckn (demo));

  g_assert_nonnull (person);
  g_assert_cmpstr (g_hash_table_lookup (person, "ad"), ==, eimza_demo_get_given_name (demo));
  g_assert_cmpstr (g_hash_table_lookup (person, "soyad"), ==, eimza_demo_get_surname (demo));
  g_assert_cmpstr (g_hash_table_lookup (person, "dogumYeri"), ==,
                   eimza_demo_get_birth_place (demo));
  g_assert_cmpstr (g_hash_table_lookup (person, "dogumTarihi"), ==,
                   eimza_demo_get_birth_date (demo));
  g_assert_cmpstr (g_hash_table_lookup (person, "eonayAktif"), ==, "hayır");
}

static char *
run_p11tool (EimzaDemo   *demo,
             const char  *action,
             const char  *uri)
{
  const char *argv[] = { "p11tool", "--provider", eimza_demo_get_pkcs11_module (demo),
                         action, uri, NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *output = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "SOFTHSM2_CONF", eimza_demo_get_softhsm2_conf (demo),
                                TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return output;
}

static void
assert_token (EimzaDemo *demo)
{
  g_autofree char *list = run_p11tool (demo, "--list-all-certs", TOKEN_URI);
  g_autofree char *expected = g_strconcat ("serialNumber=", eimza_demo_get_tckn (demo), NULL);
  g_autofree char *url = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *subject = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  const char *found;

  /* One certificate: "URL: pkcs11:…;type=cert" and its type. */
  g_assert_nonnull (strstr (list, "Type: X.509 Certificate"));
  found = strstr (list, "URL: ");
  g_assert_nonnull (found);
  g_assert_null (strstr (found + 1, "URL: "));
  found += strlen ("URL: ");
  url = g_strndup (found, strcspn (found, "\n"));
  g_assert_nonnull (strstr (url, "token=E-IMZA%20DEMO"));

  pem = run_p11tool (demo, "--export", url);
  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  g_object_get (certificate, "subject-name", &subject, NULL);
  g_assert_nonnull (strstr (subject, expected));
  g_assert_nonnull (strstr (subject, "CN=MEHMET ÇAĞRI ÖZTÜRK"));
}

/* The end of every case: nothing left, not even a cancelled read. */
static void
stop_and_check (EimzaDemo *demo)
{
  g_autofree char *dir = demo_dir (demo);
  GWeakRef weak;

  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_simulators (getpid ()), ==, 1);

  eimza_demo_stop (demo);
  g_assert_cmpuint (count_simulators (getpid ()), ==, 0);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (tmp_dir), ==, 0);

  /* Again, and by dispose: both harmless. */
  eimza_demo_stop (demo);
  g_weak_ref_init (&weak, demo);
  g_object_unref (demo);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

static EimzaDemo *
start_in_budget (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  EimzaDemo *demo = eimza_demo_start (&error);

  g_assert_no_error (error);
  g_assert_nonnull (demo);
  g_assert_cmpint (g_get_monotonic_time () - start, <, START_BUDGET_SECONDS * G_USEC_PER_SEC);
  return demo;
}

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

static void
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
static void
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
static void
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

static void
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

static void
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
static void
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
static void
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
static void
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
static void
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
static void
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

  status = g_test_run ();

  if (!g_test_subprocess ())
    g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
