/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaCardUnlockFlow without a display: the simulator's Şifreli Giriş over TLS, then the SoftHSM2 card locked on purpose. */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "card-test-fixture.h"
#include "eimza-card-error.h"
#include "eimza-card-unlock-flow.h"
#include "eimza-nes-client-private.h"
#include "eimza-portal-error.h"
#include "scripted-asker.h"

/*
 * The simulator runs its NES site's Şifreli Giriş (--sifreli-giris) with
 * its captcha and SMS codes written to files (what a person reads from
 * the image and the phone); the fixture person's card is the SoftHSM2
 * token behind the PIN policy module, whose SO PIN (12345678) is the
 * unblock code the simulator hands out. EIMZA_PIN_POLICY_SO_GUARD makes
 * the module refuse any SO login the scripted person did not answer an
 * unblock ask for, and every case asserts there was none; the counts of
 * SO logins, wrong codes and C_InitPIN prove that no unblock try was
 * spent that the person did not make.
 */

#define LABEL SOFTHSM_TCKN "NES0"
#define SECURITY_WORD "Kelebek42"
#define NEW_PIN "402719"
/* What the scripted person would type as the unblock code: the flow must
 * use the one Kamu SM handed over instead. */
#define IGNORED_CODE SOFTHSM_WRONG_SO_PIN

typedef struct {
  GSubprocess *process;
  char *dir;
  char *ca_file;
  char *url;
  EimzaCardService *service;
  EimzaCertificate *certificate;
  EimzaPortalProfile *profile;
  EimzaCardUnlockFlow *flow;
} Bed;

static void
simulator_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
bed_file (Bed        *bed,
          const char *name)
{
  return g_build_filename (bed->dir, name, NULL);
}

/* A simulator with Şifreli Giriş and @extra arguments (NULL-terminated),
 * the card with its PIN locked, and a flow at SIGN_IN. */
static void
bed_start (Bed        *bed,
           const char *extra,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *testca = softhsm_fixture_path ("testca.pem");
  g_autofree char *captcha_log = NULL;
  g_autofree char *sms_log = NULL;
  g_autofree char *log_path = NULL;
  va_list args;

  bed->dir = g_dir_make_tmp ("test-card-unlock-flow-sim-XXXXXX", &error);
  g_assert_no_error (error);
  captcha_log = bed_file (bed, "captcha.txt");
  sms_log = bed_file (bed, "sms.txt");
  log_path = bed_file (bed, "requests.log");

  g_ptr_array_add (argv, g_strdup (g_getenv ("EIMZA_PORTAL_SIM")));
  g_ptr_array_add (argv, g_strdup ("--port=0"));
  g_ptr_array_add (argv, g_strconcat ("--tls-dir=", bed->dir, NULL));
  g_ptr_array_add (argv, g_strdup ("--test-endpoints"));
  g_ptr_array_add (argv, g_strconcat ("--nes-client-ca=", testca, NULL));
  g_ptr_array_add (argv, g_strdup ("--sifreli-giris"));
  g_ptr_array_add (argv, g_strconcat ("--captcha-log=", captcha_log, NULL));
  g_ptr_array_add (argv, g_strconcat ("--sms-log=", sms_log, NULL));
  va_start (args, extra);
  for (const char *arg = extra; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Its request log: methods, paths and statuses, never a body. */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "eimza-portal-sim", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  bed->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);

  /* "listening URL ca=FILE", "listening-nes URL", "listening-nes-sifreli URL". */
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bed->process));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (i == 0)
        bed->ca_file = g_strdup (strstr (line, " ca=") + strlen (" ca="));
      else if (i == 2)
        {
          g_assert_true (g_str_has_prefix (line, "listening-nes-sifreli https://127.0.0.1:"));
          bed->url = g_strdup (line + strlen ("listening-nes-sifreli "));
        }
    }

  bed->profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);
  card_test_open (LABEL, &bed->service, &bed->certificate);
  /* Locked on purpose: three wrong PINs in a row. */
  softhsm_fixture_set_pin_failures (3);

  bed->flow = eimza_card_unlock_flow_new (bed->profile, bed->service, bed->url, bed->ca_file);
  g_assert_cmpint (eimza_card_unlock_flow_get_state (bed->flow), ==,
                   EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN);
}

static void
bed_stop (Bed *bed)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* No unblock code went to the card that the person did not give. */
  card_test_drain ();
  g_assert_cmpuint (softhsm_fixture_so_logins_unasked (), ==, 0);

  card_test_close (&bed->flow, &bed->service, &bed->certificate);
  g_subprocess_send_signal (bed->process, SIGTERM);
  g_subprocess_wait (bed->process, NULL, NULL);
  g_clear_object (&bed->process);
  dir = g_dir_open (bed->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = bed_file (bed, name);

      g_unlink (path);
    }
  g_rmdir (bed->dir);
  g_clear_pointer (&bed->dir, g_free);
  g_clear_pointer (&bed->ca_file, g_free);
  g_clear_pointer (&bed->url, g_free);
  g_clear_object (&bed->profile);
}

/* What the person reads: the captcha's text, the last SMS code. */
static char *
read_captcha (Bed *bed)
{
  g_autofree char *path = bed_file (bed, "captcha.txt");
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The SMS codes sent so far, as "TIMESTAMP PHONE CODE" lines. */
static guint
count_sms (Bed *bed)
{
  g_autofree char *path = bed_file (bed, "sms.txt");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += *lines[i] != '\0';
  return n;
}

static char *
read_sms_code (Bed *bed)
{
  g_autofree char *path = bed_file (bed, "sms.txt");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (g_strstrip (text), "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >, 0);
  return g_strdup (strrchr (lines[n - 1], ' ') + 1);
}

/* --- Driving the flow ---------------------------------------------------- */

static void
assert_state (Bed                      *bed,
              EimzaCardUnlockFlowState  state)
{
  g_assert_cmpint (eimza_card_unlock_flow_get_state (bed->flow), ==, state);
}

static void
load_captcha (Bed      *bed,
              gboolean  start_over)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  eimza_card_unlock_flow_load_captcha_async (bed->flow, start_over, NULL,
                                             card_test_store_result_cb, &result);
  assert_state (bed, EIMZA_CARD_UNLOCK_FLOW_STATE_LOADING);
  g_assert_true (eimza_card_unlock_flow_load_captcha_finish (bed->flow,
                                                             card_test_wait_for_result (&result),
                                                             &error));
  g_assert_no_error (error);
  assert_state (bed, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN);
  g_assert_nonnull (eimza_card_unlock_flow_get_captcha (bed->flow));
}

/* Types the number, @word and the captcha as the image shows it. */
static gboolean
sign_in (Bed         *bed,
         const char  *word,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EimzaSecret) secret = eimza_secret_new (word, -1);
  g_autofree char *captcha = read_captcha (bed);

  eimza_card_unlock_flow_sign_in_async (bed->flow, SOFTHSM_TCKN, secret, captcha, NULL,
                                        card_test_store_result_cb, &result);
  assert_state (bed, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGNING_IN);
  return eimza_card_unlock_flow_sign_in_finish (bed->flow, card_test_wait_for_result (&result),
                                                error);
}

static gboolean
confirm_sms (Bed         *bed,
             const char  *code,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EimzaSecret) secret = eimza_secret_new (code, -1);

  eimza_card_unlock_flow_confirm_sms_async (bed->flow, secret, NULL, card_test_store_result_cb,
                                            &result);
  assert_state (bed, EIMZA_CARD_UNLOCK_FLOW_STATE_CONFIRMING);
  return eimza_card_unlock_flow_confirm_sms_finish (bed->flow, card_test_wait_for_result (&result),
                                                    error);
}

static gboolean
unblock (Bed            *bed,
         ScriptedAsker  *asker,
         GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_card_unlock_flow_unblock_async (bed->flow, bed->certificate, EIMZA_PIN_ASKER (asker),
                                        NULL, NULL, card_test_store_result_cb, &result);
  assert_state (bed, EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCKING);
  return eimza_card_unlock_flow_unblock_finish (bed->flow, card_test_wait_for_result (&result),
                                                error);
}

/* Signed in with the right word: the SMS code is awaited. */
static void
to_sms (Bed *bed)
{
  g_autoptr(GError) error = NULL;

  load_captcha (bed, TRUE);
  g_assert_true (sign_in (bed, SECURITY_WORD, &error));
  g_assert_no_error (error);
  assert_state (bed, EIMZA_CARD_UNLOCK_FLOW_STATE_SMS);
  g_assert_null (eimza_card_unlock_flow_get_captcha (bed->flow));
  g_assert_cmpuint (count_sms (bed), ==, 1);
}

/* The SMS code confirmed: the unblock code is held. */
static void
to_unblock (Bed *bed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  to_sms (bed);
  code = read_sms_code (bed);
  g_assert_true (confirm_sms (bed, code, &error));
  g_assert_no_error (error);
  assert_state (bed, EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK);
  g_assert_cmpstr (eimza_card_unlock_flow_get_holder (bed->flow), ==, "Ayşe Gül Yılmaz");
}

/* Nothing has reached the card's unblock side. */
static void
assert_card_untouched (void)
{
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 3);
}

static void
assert_signed_with_new_pin (Bed *bed)
{
  static const char test_text[] = "E-İmza Asistanı deneme imzası / test signature\n";
  g_autoptr(GBytes) content = g_bytes_new_static (test_text, strlen (test_text));
  GBytes *cms = eimza_card_unlock_flow_get_test_signature (bed->flow);

  g_assert_nonnull (cms);
  softhsm_fixture_assert_openssl_verifies (cms, content, TRUE);
}

/* An exchange of the test with the flow's site session, by hand: @path
 * with @body (a POST) or without (a GET), the session's cookie given
 * explicitly (its Path=/nb keeps the jar from sending it to /_sim). */
static char *
sim_endpoint (Bed        *bed,
              const char *path,
              const char *body)
{
  EimzaNesClient *client = eimza_card_unlock_flow_get_client (bed->flow);
  g_autoptr(GUri) nb_uri = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cookies = NULL;

  g_assert_nonnull (client);
  nb_uri = g_uri_parse_relative (client->site.base_uri, "/nb/nb.go", G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  uri = g_uri_parse_relative (client->site.base_uri, path, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  cookies = soup_cookie_jar_get_cookies (client->site.cookie_jar, nb_uri, TRUE);

  msg = soup_message_new_from_uri (body != NULL ? "POST" : "GET", uri);
  soup_message_disable_feature (msg, SOUP_TYPE_COOKIE_JAR);
  if (cookies != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookies);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "text/plain", bytes);
    }
  soup_session_send_and_read_async (client->site.soup, msg, G_PRIORITY_DEFAULT, NULL,
                                    card_test_store_result_cb, &result);
  answer = soup_session_send_and_read_finish (client->site.soup,
                                              card_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

static guint
count_posts (Bed *bed)
{
  g_autofree char *text = sim_endpoint (bed, "/_sim/submissions", NULL);

  return (guint) g_ascii_strtoull (text, NULL, 10);
}

/* --- Cases ---------------------------------------------------------------- */

/* Şifreli Giriş, the SMS code, the code from Kilit Çözme: the person types
 * only the new PIN (twice), then the PIN for the test signature. */
static void
test_good (void)
{
  static const ScriptedAnswer answers[] = {
    { IGNORED_CODE, NEW_PIN, FALSE },
    { NEW_PIN, NULL, FALSE },
  };
  g_autoptr(ScriptedAsker) asker = scripted_asker_new (answers, G_N_ELEMENTS (answers));
  g_autoptr(GError) error = NULL;
  Bed bed = { 0 };

  bed_start (&bed, NULL);
  to_sms (&bed);
  g_assert_cmpstr (eimza_card_unlock_flow_get_sms_phone (bed.flow), ==, "*** *** ** 33");
  g_assert_cmpint (eimza_card_unlock_flow_get_sms_deadline (bed.flow), >, g_get_monotonic_time ());
  {
    g_autofree char *code = read_sms_code (&bed);

    g_assert_true (confirm_sms (&bed, code, &error));
    g_assert_no_error (error);
  }
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK);
  assert_card_untouched ();

  g_assert_true (unblock (&bed, asker, &error));
  g_assert_no_error (error);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_DONE);
  g_assert_true (eimza_card_unlock_flow_get_pin_set (bed.flow));
  g_assert_null (eimza_card_unlock_flow_get_error (bed.flow));

  /* Asked once for the new PIN, once for the test signature's PIN. */
  g_assert_cmpuint (asker->n_unblock_asks, ==, 1);
  g_assert_cmpuint (asker->n_asks, ==, 2);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);
  assert_signed_with_new_pin (&bed);

  bed_stop (&bed);
  g_object_unref (g_steal_pointer (&asker));
}

/* The asker is told that the code is known, and at the code's last try
 * that it is the last: without the person's consent nothing goes to the
 * card; with it, the unblock goes through. */
static void
test_last_try_confirmed (void)
{
  static const ScriptedAnswer answers[] = {
    { IGNORED_CODE, NEW_PIN, FALSE },   /* does not agree to spend the last try */
    { IGNORED_CODE, NEW_PIN, TRUE },    /* agrees */
    { NEW_PIN, NULL, FALSE },
  };
  g_autoptr(ScriptedAsker) asker = scripted_asker_new (answers, G_N_ELEMENTS (answers));
  g_autoptr(GError) error = NULL;
  Bed bed = { 0 };

  bed_start (&bed, NULL);
  softhsm_fixture_set_so_failures (2);
  to_unblock (&bed);

  g_assert_false (unblock (&bed, asker, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_clear_error (&error);
  g_assert_true (asker->last_flags & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_true (asker->last_flags & EIMZA_PIN_ASK_UNBLOCK_CODE_KNOWN);
  /* The code is kept for the person's next go; nothing reached the card. */
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 0);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 2);

  g_assert_true (unblock (&bed, asker, &error));
  g_assert_no_error (error);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_DONE);
  g_assert_cmpuint (asker->n_unblock_asks, ==, 2);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 0);
  assert_signed_with_new_pin (&bed);

  bed_stop (&bed);
  g_object_unref (g_steal_pointer (&asker));
}

/* Wrong security words are counted by the site and close the route after
 * three; the right word does not open it again. No SMS, nothing on the
 * card. */
static void
test_wrong_security_word (void)
{
  g_autoptr(GError) error = NULL;
  Bed bed = { 0 };

  bed_start (&bed, NULL);
  load_captcha (&bed, TRUE);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_false (sign_in (&bed, "Tirtil42", &error));
      g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SECURITY_WORD_WRONG);
      /* The site's own words, with the tries left. */
      g_assert_nonnull (strstr (error->message, i == 0 ? "hakkınız: 2" : "hakkınız: 1"));
      g_clear_error (&error);
      assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN);
      g_assert_nonnull (eimza_card_unlock_flow_get_error (bed.flow));
      /* The captcha was used: the next is the form's the site sent back. */
      g_assert_null (eimza_card_unlock_flow_get_captcha (bed.flow));
      load_captcha (&bed, FALSE);
    }

  g_assert_false (sign_in (&bed, "Tirtil42", &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SECURITY_WORD_LOCKED);
  g_clear_error (&error);
  load_captcha (&bed, TRUE);
  g_assert_false (sign_in (&bed, SECURITY_WORD, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SECURITY_WORD_LOCKED);

  g_assert_cmpuint (count_sms (&bed), ==, 0);
  assert_card_untouched ();
  bed_stop (&bed);
}

/* An SMS code typed after it expired: back to the sign-in form (the site
 * starts over), where a new sign-in sends a new code. */
static void
test_sms_expired (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  Bed bed = { 0 };

  bed_start (&bed, "--sms-ttl-seconds=1", NULL);
  to_sms (&bed);
  code = read_sms_code (&bed);
  g_usleep (1500 * 1000);

  g_assert_false (confirm_sms (&bed, code, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SMS_EXPIRED);
  g_clear_error (&error);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN);

  load_captcha (&bed, FALSE);
  g_assert_true (sign_in (&bed, SECURITY_WORD, &error));
  g_assert_no_error (error);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_SMS);
  g_assert_cmpuint (count_sms (&bed), ==, 2);

  assert_card_untouched ();
  bed_stop (&bed);
}

/* The site's session ends while the SMS code is awaited. */
static void
test_session_expired (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  Bed bed = { 0 };

  bed_start (&bed, "--session-timeout=1", NULL);
  to_sms (&bed);
  code = read_sms_code (&bed);
  g_usleep (1500 * 1000);

  g_assert_false (confirm_sms (&bed, code, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN);
  g_assert_null (eimza_card_unlock_flow_get_captcha (bed.flow));

  assert_card_untouched ();
  bed_stop (&bed);
}

/* Kilit Çözme refuses to hand out the code: the flow waits in CODE; asking
 * again is the person's decision, and is refused again. */
static void
test_unblock_refused (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  Bed bed = { 0 };

  bed_start (&bed, "--fault=unblock-refused", NULL);
  to_sms (&bed);
  code = read_sms_code (&bed);
  g_assert_false (confirm_sms (&bed, code, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNBLOCK_REFUSED);
  g_clear_error (&error);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_CODE);

  eimza_card_unlock_flow_fetch_code_async (bed.flow, NULL, card_test_store_result_cb, &result);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_FETCHING);
  g_assert_false (eimza_card_unlock_flow_fetch_code_finish (bed.flow,
                                                            card_test_wait_for_result (&result),
                                                            &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNBLOCK_REFUSED);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_CODE);
  g_clear_object (&result);

  assert_card_untouched ();
  bed_stop (&bed);
}

/* A code the card refuses is spent once and dropped: the flow cannot send
 * it again (the site's fixture gives a wrong one here). */
static void
test_wrong_code_not_sent_again (void)
{
  static const ScriptedAnswer answers[] = {
    { IGNORED_CODE, NEW_PIN, FALSE },
  };
  g_autoptr(ScriptedAsker) asker = scripted_asker_new (answers, G_N_ELEMENTS (answers));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fixtures = NULL;
  g_autofree char *text = NULL;
  g_autofree char *option = NULL;
  g_autofree char *wrong = NULL;
  const char *at;
  int fd;
  Bed bed = { 0 };

  /* The built-in people, with another unblock code for the card. */
  g_assert_true (g_file_get_contents (g_getenv ("EIMZA_SIM_FIXTURES"), &text, NULL, NULL));
  at = strstr (text, "\t" SOFTHSM_SO_PIN);
  g_assert_nonnull (at);
  wrong = g_strdup_printf ("%.*s\t11223344%s", (int) (at - text), text,
                           at + strlen ("\t" SOFTHSM_SO_PIN));
  fd = g_file_open_tmp ("test-card-unlock-flow-people-XXXXXX.tsv", &fixtures, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (fixtures, wrong, -1, NULL));
  option = g_strconcat ("--fixtures=", fixtures, NULL);

  bed_start (&bed, option, NULL);
  to_unblock (&bed);
  g_assert_false (unblock (&bed, asker, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PUK_INCORRECT);
  g_clear_error (&error);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_CODE);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_so_failures (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_init_pin_calls (), ==, 0);

  /* Nothing left to send: the unblock is refused before the card. */
  eimza_card_unlock_flow_unblock_async (bed.flow, bed.certificate, EIMZA_PIN_ASKER (asker), NULL,
                                        NULL, card_test_store_result_cb, &result);
  g_assert_false (eimza_card_unlock_flow_unblock_finish (bed.flow,
                                                         card_test_wait_for_result (&result),
                                                         &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (asker->n_unblock_asks, ==, 1);
  g_assert_cmpuint (softhsm_fixture_so_login_calls (), ==, 1);
  g_clear_object (&result);

  bed_stop (&bed);
  g_object_unref (g_steal_pointer (&asker));
  g_unlink (fixtures);
}

/* The answer that carried the code is lost (the connection closed after
 * the POST arrived): the flow says so and sends nothing again by itself;
 * the person's "ask again" gets the code. */
static void
test_code_answer_lost (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *queued = NULL;
  Bed bed = { 0 };

  bed_start (&bed, NULL);
  to_sms (&bed);
  code = read_sms_code (&bed);
  g_assert_cmpuint (count_posts (&bed), ==, 1);
  /* The SMS POST and the GET it leads to pass; the code's POST is lost. */
  queued = sim_endpoint (&bed, "/_sim/faults", "huge-captcha,huge-captcha,close-after-post");

  g_assert_false (confirm_sms (&bed, code, &error));
  g_assert_true (error->domain == EIMZA_PORTAL_ERROR);
  g_assert_true (error->code == EIMZA_PORTAL_ERROR_NETWORK ||
                 error->code == EIMZA_PORTAL_ERROR_TIMEOUT);
  g_clear_error (&error);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_CODE);
  /* Sign-in, SMS code, the code's POST: each once. */
  g_assert_cmpuint (count_posts (&bed), ==, 3);

  eimza_card_unlock_flow_fetch_code_async (bed.flow, NULL, card_test_store_result_cb, &result);
  g_assert_true (eimza_card_unlock_flow_fetch_code_finish (bed.flow,
                                                           card_test_wait_for_result (&result),
                                                           &error));
  g_assert_no_error (error);
  assert_state (&bed, EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK);
  g_assert_cmpuint (count_posts (&bed), ==, 4);
  g_clear_object (&result);

  assert_card_untouched ();
  bed_stop (&bed);
}

int
main (int   argc,
      char *argv[])
{
  static const CardTestCase cases[] = {
    { "/flow/card-unlock-flow-sim/good", test_good },
    { "/flow/card-unlock-flow-sim/last-try-confirmed", test_last_try_confirmed },
    { "/flow/card-unlock-flow-sim/wrong-security-word", test_wrong_security_word },
    { "/flow/card-unlock-flow-sim/sms-expired", test_sms_expired },
    { "/flow/card-unlock-flow-sim/session-expired", test_session_expired },
    { "/flow/card-unlock-flow-sim/unblock-refused", test_unblock_refused },
    { "/flow/card-unlock-flow-sim/wrong-code-not-sent-again", test_wrong_code_not_sent_again },
    { "/flow/card-unlock-flow-sim/code-answer-lost", test_code_answer_lost },
  };
  const char *sim = g_getenv ("EIMZA_PORTAL_SIM");

  if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_init (&argc, &argv, NULL);
      g_test_skip ("The portal simulator is not built (EIMZA_PORTAL_SIM)");
      return g_test_run ();
    }

  g_setenv ("EIMZA_PIN_POLICY_SO_GUARD", "1", TRUE);
  return card_test_main (argc, argv, "/flow/card-unlock-flow-sim/skipped", cases,
                         G_N_ELEMENTS (cases));
}
