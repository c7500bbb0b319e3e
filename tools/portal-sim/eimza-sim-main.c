/* SPDX-License-Identifier: GPL-3.0-or-later */
/* eimza-portal-sim: command line, start-up and shutdown of the simulator. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "eimza-sim-dump.h"
#include "eimza-sim-handlers.h"
#include "eimza-sim-nes-handlers.h"
#include "eimza-sim-nes-sifreli-handlers.h"
#include "eimza-sim-portal.h"
#include "eimza-sim-tls.h"

/* Seed of the random numbers in --dump-pages, so that regenerating the
 * sample pages only changes what the code changed. */
#define DUMP_SEED 20260101

typedef struct {
  int port;
  char *tls_dir;
  char *fixtures;
  gboolean test_endpoints;
  char **faults;
  int slow_seconds;
  int drip_ms;
  int session_timeout;
  int sms_ttl_seconds;
  int sms_resend_seconds;
  int sms_max_attempts;
  char *sms_log;
  char *captcha_log;
  char *dump_pages;
  char *nes_client_ca;
  char *signature_log;
  int nes_port;
  gboolean sifreli;
  int sifreli_port;
  int security_word_tries;
  char *unblock_code_file;
  int sign_deadline_seconds;
  int sign_clock_skew_seconds;
  gboolean version;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->tls_dir);
  g_free (options->fixtures);
  g_strfreev (options->faults);
  g_free (options->sms_log);
  g_free (options->captcha_log);
  g_free (options->dump_pages);
  g_free (options->nes_client_ca);
  g_free (options->signature_log);
  g_free (options->unblock_code_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* Revealing secrets of the simulated portal is for tests only. */
static gboolean
check_test_only (const char  *name,
                 gboolean     given,
                 gboolean     test_endpoints,
                 GError     **error)
{
  if (!given || test_endpoints)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               "--%s is a test aid: it needs --test-endpoints", name);
  return FALSE;
}

static gboolean
check_range (const char  *name,
             int          value,
             int          min,
             int          max,
             GError     **error)
{
  if (value >= min && value <= max)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--%s must be between %d and %d", name, min, max);
  return FALSE;
}

static gboolean
parse_options (int       *argc,
               char    ***argv,
               Options   *options,
               GError   **error)
{
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &options->port,
      "Port on 127.0.0.1 (0: any free one)", "PORT" },
    { "tls-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_dir,
      "Load or create ca.pem, server.pem and server.key in DIR (default: a temporary one)",
      "DIR" },
    { "fixtures", 0, 0, G_OPTION_ARG_FILENAME, &options->fixtures,
      "People file instead of the built-in fixtures/mernis.tsv", "FILE" },
    { "test-endpoints", 0, 0, G_OPTION_ARG_NONE, &options->test_endpoints,
      "Serve /_sim/captcha, /_sim/sms and /_sim/faults", NULL },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->faults,
      "Fault for every request of the run (repeatable)", "MODE" },
    { "slow-seconds", 0, 0, G_OPTION_ARG_INT, &options->slow_seconds,
      "Delay of the slow fault (default 30)", "SECONDS" },
    { "drip-ms", 0, 0, G_OPTION_ARG_INT, &options->drip_ms,
      "Pause between the bytes of the slow-drip fault (default 1000)", "MS" },
    { "session-timeout", 0, 0, G_OPTION_ARG_INT, &options->session_timeout,
      "Idle time after which a session expires (default 900)", "SECONDS" },
    { "sms-ttl-seconds", 0, 0, G_OPTION_ARG_INT, &options->sms_ttl_seconds,
      "Lifetime of an SMS code (default 180)", "SECONDS" },
    { "sms-resend-seconds", 0, 0, G_OPTION_ARG_INT, &options->sms_resend_seconds,
      "Time before another SMS code may be asked for (default 60)", "SECONDS" },
    { "sms-max-attempts", 0, 0, G_OPTION_ARG_INT, &options->sms_max_attempts,
      "Wrong SMS codes that lock the application (default 3)", "N" },
    { "sms-log", 0, 0, G_OPTION_ARG_FILENAME, &options->sms_log,
      "Append “TIMESTAMP PHONE CODE” lines for each SMS sent", "FILE" },
    { "captcha-log", 0, 0, G_OPTION_ARG_FILENAME, &options->captcha_log,
      "With --test-endpoints: write each new captcha text to FILE", "FILE" },
    { "signature-log", 0, 0, G_OPTION_ARG_FILENAME, &options->signature_log,
      "Write each accepted signature (NNN-KIND.cms) and what it signs "
      "(NNN-KIND.content) into DIR, for tests to verify on their own", "DIR" },
    { "nes-client-ca", 0, 0, G_OPTION_ARG_FILENAME, &options->nes_client_ca,
      "Serve the NES site (e-onay) on a second listener that requires client "
      "certificates issued by the CA in FILE (PEM); signatures of the e-signed "
      "application are checked against it too", "FILE" },
    { "nes-port", 0, 0, G_OPTION_ARG_INT, &options->nes_port,
      "Port of the NES listener on 127.0.0.1 (0: any free one)", "PORT" },
    { "sifreli-giris", 0, 0, G_OPTION_ARG_NONE, &options->sifreli,
      "Serve the NES site's Şifreli Giriş and Kilit Çözme (docs/unblock-protocol.md) "
      "on a listener of their own that asks for no client certificate", NULL },
    { "sifreli-port", 0, 0, G_OPTION_ARG_INT, &options->sifreli_port,
      "Port of the Şifreli Giriş listener on 127.0.0.1 (0: any free one)", "PORT" },
    { "security-word-tries", 0, 0, G_OPTION_ARG_INT, &options->security_word_tries,
      "Wrong security words in a row that close Şifreli Giriş for a T.C. Kimlik No "
      "(default 3)", "N" },
    { "unblock-code-file", 0, 0, G_OPTION_ARG_FILENAME, &options->unblock_code_file,
      "Read “TCKN PUK [SECURITY-WORD]” lines from FILE (mode 0600) at start: the "
      "unblock code Kilit Çözme hands out for that fixture person, over kartKilitKodu, "
      "and their security word. Codes never go on the command line", "FILE" },
    { "sign-deadline-seconds", 0, 0, G_OPTION_ARG_INT, &options->sign_deadline_seconds,
      "Time limit of each signing step: the NES site's and the e-signed application's "
      "(default 120)", "SECONDS" },
    { "sign-clock-skew-seconds", 0, 0, G_OPTION_ARG_INT, &options->sign_clock_skew_seconds,
      "Tolerance of the signing-time check (default 60)", "SECONDS" },
    { "dump-pages", 0, 0, G_OPTION_ARG_FILENAME, &options->dump_pages,
      "Write a sample of every page into DIR and exit", "DIR" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      "Print the version and exit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;

  options->slow_seconds = 30;
  options->drip_ms = 1000;
  options->session_timeout = 15 * 60;
  options->sms_ttl_seconds = 180;
  options->sms_resend_seconds = 60;
  options->sms_max_attempts = 3;
  options->sign_deadline_seconds = 120;
  options->sign_clock_skew_seconds = 60;
  options->security_word_tries = 3;

  context = g_option_context_new ("— a stand-in for Kamu SM's application portal");
  g_option_context_set_summary (context,
                                "Serves the portal pages of docs/portal-protocol.md over HTTPS "
                                "on 127.0.0.1, with faults on demand; with --nes-client-ca "
                                "also the NES site of docs/eonay-protocol.md.");
  g_option_context_add_main_entries (context, entries, NULL);

  return g_option_context_parse (context, argc, argv, error)
    && check_range ("port", options->port, 0, 65535, error)
    && check_range ("slow-seconds", options->slow_seconds, 0, 24 * 60 * 60, error)
    && check_range ("drip-ms", options->drip_ms, 1, 60 * 60 * 1000, error)
    && check_range ("session-timeout", options->session_timeout, 1, 24 * 60 * 60, error)
    && check_range ("sms-ttl-seconds", options->sms_ttl_seconds, 1, 24 * 60 * 60, error)
    && check_range ("sms-resend-seconds", options->sms_resend_seconds, 0, 24 * 60 * 60, error)
    && check_range ("sms-max-attempts", options->sms_max_attempts, 1, 100, error)
    && check_range ("nes-port", options->nes_port, 0, 65535, error)
    && check_range ("sifreli-port", options->sifreli_port, 0, 65535, error)
    && check_range ("security-word-tries", options->security_word_tries, 1, 100, error)
    && check_range ("sign-deadline-seconds", options->sign_deadline_seconds, 1, 24 * 60 * 60,
                    error)
    && check_range ("sign-clock-skew-seconds", options->sign_clock_skew_seconds, 0,
                    24 * 60 * 60, error)
    && check_test_only ("captcha-log", options->captcha_log != NULL,
                        options->test_endpoints, error);
}

static gboolean
make_config (const Options   *options,
             EimzaSimConfig  *config,
             GError         **error)
{
  *config = (EimzaSimConfig) {
    .session_timeout_seconds = options->session_timeout,
    .sms = {
      .ttl_seconds = options->sms_ttl_seconds,
      .resend_seconds = options->sms_resend_seconds,
      .max_attempts = options->sms_max_attempts,
    },
    .slow_seconds = options->slow_seconds,
    .drip_ms = options->drip_ms,
    .test_endpoints = options->test_endpoints,
    .sms_log_path = options->sms_log,
    .captcha_log_path = options->captcha_log,
    .signature_log_dir = options->signature_log,
    .sign_deadline_seconds = options->sign_deadline_seconds,
    .sign_clock_skew_seconds = options->sign_clock_skew_seconds,
    .security_word_tries = options->security_word_tries,
  };

  /* "--fault a,b" works as well as "--fault a --fault b". */
  for (guint i = 0; options->faults != NULL && options->faults[i] != NULL; i++)
    {
      g_autoptr(GArray) list = NULL;

      if (!eimza_sim_faults_parse_list (options->faults[i], &list, error))
        return FALSE;
      for (guint f = 0; f < list->len; f++)
        config->run_faults |= g_array_index (list, EimzaSimFaults, f);
    }

  return TRUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* The anchors of --nes-client-ca: as PEM for eimza_cades_verify() and as a
 * database for the handshake. */
static gboolean
load_nes_anchors (EimzaSimPortal  *portal,
                  const char      *path,
                  GTlsDatabase   **out_database,
                  GError         **error)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (absolute, &contents, &length, error))
    return FALSE;

  *out_database = g_tls_file_database_new (absolute, error);
  if (*out_database == NULL)
    return FALSE;

  portal->nes_trust_pem = g_bytes_new_take (g_steal_pointer (&contents), length);
  return TRUE;
}

static int
listen_loopback (SoupServer  *server,
                 int          port,
                 GError     **error)
{
  GSList *uris;

  /* Loopback only: the pages carry identity numbers, even if fictitious
   * ones, and the test CA must never face the network. */
  if (!soup_server_listen_local (server, port,
                                 SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY,
                                 error))
    return -1;

  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

static int
serve (EimzaSimPortal *portal,
       const Options  *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaSimTls) tls = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(SoupServer) nes_server = NULL;
  g_autoptr(SoupServer) sifreli_server = NULL;
  g_autofree char *sifreli_url = NULL;
  g_autoptr(GTlsDatabase) nes_anchors = NULL;
  g_autoptr(EimzaSimHandlers) handlers = NULL;
  g_autoptr(EimzaSimNesHandlers) nes_handlers = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  int port;
  int nes_port = -1;
  guint sigint_id, sigterm_id;

  tls = eimza_sim_tls_new (options->tls_dir, &error);
  if (tls == NULL)
    {
      g_printerr ("eimza-portal-sim: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (options->nes_client_ca != NULL
      && !load_nes_anchors (portal, options->nes_client_ca, &nes_anchors, &error))
    {
      g_printerr ("eimza-portal-sim: --nes-client-ca: %s\n", error->message);
      return EXIT_FAILURE;
    }

  server = soup_server_new ("tls-certificate", eimza_sim_tls_get_certificate (tls),
                            "server-header", "eimza-portal-sim/" PACKAGE_VERSION " ",
                            NULL);
  handlers = eimza_sim_handlers_new (server, portal);

  port = listen_loopback (server, options->port, &error);
  if (port < 0)
    {
      g_printerr ("eimza-portal-sim: cannot listen on 127.0.0.1:%d: %s\n",
                  options->port, error->message);
      return EXIT_FAILURE;
    }

  if (nes_anchors != NULL)
    {
      /* Every connection must present a client certificate; which ones
       * are accepted is the handlers' accept-certificate check. */
      nes_server = soup_server_new ("tls-certificate", eimza_sim_tls_get_certificate (tls),
                                    "tls-auth-mode", G_TLS_AUTHENTICATION_REQUIRED,
                                    "server-header", "eimza-portal-sim/" PACKAGE_VERSION " ",
                                    NULL);
      nes_handlers = eimza_sim_nes_handlers_new (nes_server, portal, nes_anchors);

      nes_port = listen_loopback (nes_server, options->nes_port, &error);
      if (nes_port < 0)
        {
          g_printerr ("eimza-portal-sim: cannot listen on 127.0.0.1:%d: %s\n",
                      options->nes_port, error->message);
          return EXIT_FAILURE;
        }
      portal->nes_base_url = g_strdup_printf ("https://127.0.0.1:%d/", nes_port);
    }

  if (options->sifreli)
    {
      /* The same site, but the person has no working card: no client
       * certificate is asked for. SoupServer cannot ask for one per path,
       * hence a listener of its own (docs/unblock-protocol.md). */
      int sifreli_port;

      sifreli_server = soup_server_new ("tls-certificate", eimza_sim_tls_get_certificate (tls),
                                        "server-header", "eimza-portal-sim/" PACKAGE_VERSION " ",
                                        NULL);
      eimza_sim_nes_sifreli_handlers_add (sifreli_server, portal);
      sifreli_port = listen_loopback (sifreli_server, options->sifreli_port, &error);
      if (sifreli_port < 0)
        {
          g_printerr ("eimza-portal-sim: cannot listen on 127.0.0.1:%d: %s\n",
                      options->sifreli_port, error->message);
          return EXIT_FAILURE;
        }
      sifreli_url = g_strdup_printf ("https://127.0.0.1:%d/", sifreli_port);
    }

  /* The lines on stdout, read by tests and the demo mode. */
  printf ("listening https://127.0.0.1:%d/ ca=%s\n", port, eimza_sim_tls_get_ca_path (tls));
  if (nes_port >= 0)
    printf ("listening-nes %s\n", portal->nes_base_url);
  if (sifreli_url != NULL)
    printf ("listening-nes-sifreli %s\n", sifreli_url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  g_clear_pointer (&nes_handlers, eimza_sim_nes_handlers_free);
  g_clear_pointer (&handlers, eimza_sim_handlers_free);
  if (sifreli_server != NULL)
    {
      eimza_sim_nes_sifreli_handlers_remove (sifreli_server);
      soup_server_disconnect (sifreli_server);
    }
  if (nes_server != NULL)
    soup_server_disconnect (nes_server);
  soup_server_disconnect (server);
  /* The temporary TLS directory goes with tls. */
  return EXIT_SUCCESS;
}

int
main (int    argc,
      char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaSimPortal) portal = NULL;
  EimzaSimRegistry *registry;
  EimzaSimConfig config;

  /* The character set only, so that messages with Turkish letters reach a
   * UTF-8 terminal intact. LC_MESSAGES stays "C": the field errors taken
   * from the app's validators are the same in every environment. */
  setlocale (LC_CTYPE, "");
  g_set_prgname ("eimza-portal-sim");
  /* stdout carries the one "listening" line that callers parse; debug
   * output (G_MESSAGES_DEBUG) must not end up there. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (!parse_options (&argc, &argv, &options, &error))
    {
      g_printerr ("eimza-portal-sim: %s\n", error->message);
      return 2;
    }
  if (options.version)
    {
      printf ("eimza-portal-sim %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (!make_config (&options, &config, &error))
    {
      g_printerr ("eimza-portal-sim: %s\n", error->message);
      return 2;
    }

  registry = options.fixtures != NULL
    ? eimza_sim_registry_new_from_file (options.fixtures, &error)
    : eimza_sim_registry_new_default (&error);
  if (registry == NULL)
    {
      g_printerr ("eimza-portal-sim: %s\n", error->message);
      return EXIT_FAILURE;
    }
  /* Before the "listening" lines: a caller that read them may remove the file. */
  if (options.unblock_code_file != NULL
      && !eimza_sim_registry_load_unblock_codes (registry, options.unblock_code_file, &error))
    {
      g_printerr ("eimza-portal-sim: --unblock-code-file: %s\n", error->message);
      eimza_sim_registry_free (registry);
      return EXIT_FAILURE;
    }

  if (options.dump_pages != NULL)
    {
      portal = eimza_sim_portal_new (&config, registry, g_rand_new_with_seed (DUMP_SEED));
      if (!eimza_sim_dump_pages (portal, options.dump_pages, &error))
        {
          g_printerr ("eimza-portal-sim: %s\n", error->message);
          return EXIT_FAILURE;
        }
      return EXIT_SUCCESS;
    }

  portal = eimza_sim_portal_new (&config, registry, g_rand_new ());
  return serve (portal, &options);
}
