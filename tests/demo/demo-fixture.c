/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo tests' helpers: a TMPDIR of their own, the simulator's and the token's checks, a bounded start. */
#include "config.h"

#include "demo-fixture.h"

char *tmp_dir;

gboolean
have_simulator (void)
{
  const char *sim = g_getenv ("EIMZA_PORTAL_SIM");

  if (sim != NULL && g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;

  g_test_skip ("eimza-portal-sim is not built (EIMZA_PORTAL_SIM)");
  return FALSE;
}

gboolean
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

guint
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
guint
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
char *
demo_dir (EimzaDemo *demo)
{
  g_autofree char *portal_dir = g_path_get_dirname (eimza_demo_get_ca_file (demo));

  return g_path_get_dirname (portal_dir);
}

int
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
char *
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

char *
https_get (int          port,
           const char  *ca_file,
           GError     **error)
{
  return https_get_path (port, ca_file, NULL, "/", error);
}

void
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
void
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
  /* SoftHSM2 itself: the demo card module may be built with sanitizers,
   * which p11tool cannot load. */
  const char *module = eimza_demo_get_pkcs11_target (demo) != NULL
                       ? eimza_demo_get_pkcs11_target (demo)
                       : eimza_demo_get_pkcs11_module (demo);
  const char *argv[] = { "p11tool", "--provider", module, action, uri, NULL };
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

void
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
void
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

EimzaDemo *
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
