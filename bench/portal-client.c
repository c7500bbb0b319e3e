/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/portal's client run: the portal flow with EimzaPortalSession, timed step by step. */

#include <libsoup/soup.h>

#include "eimza-portal-request.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"

#include "portal-private.h"

static gboolean
flow_guard_cb (gpointer user_data)
{
  die ("a portal call took more than %d s", FLOW_GUARD_SECONDS);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED)
    bench.n_connections++;
}

static void
request_queued_cb (SoupSession *soup,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  /* A message that only makes the connection ahead of a request
   * (eimza-portal-request.c) sends nothing; its handshake counts. */
  if (!eimza_portal_request_is_connect_only (msg))
    bench.n_requests++;
  /* A new connection for each POST, as libsoup does for a POST without
   * SOUP_MESSAGE_IDEMPOTENT (the app before it set that flag). */
  if (bench.new_connections && g_strcmp0 (soup_message_get_method (msg), "POST") == 0)
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), NULL);
}

/* SoupLogger prints a request's body after a blank line that follows its
 * headers; only the warm-up run has a logger. */
static void
logger_printer (SoupLogger         *logger,
                SoupLoggerLogLevel  level,
                char                direction,
                const char         *data,
                gpointer            user_data)
{
  if (direction != '>')
    return;
  if (g_str_has_prefix (data, "POST ") || g_str_has_prefix (data, "GET "))
    bench.logger_in_body = FALSE;
  else if (*data == '\0')
    bench.logger_in_body = TRUE;
  else if (bench.logger_in_body && level == SOUP_LOGGER_LOG_BODY)
    {
      g_ptr_array_add (bench.client_bodies, g_strdup (data));
      bench.logger_in_body = FALSE;
    }
}

void
bench_run_client (Sample   *sample,
                  gboolean  new_connections,
                  gboolean  capture_bodies,
                  char    **out_captcha,
                  char    **out_sms_code)
{
  g_autoptr(EimzaRenewalForm) form = person_form_new ();
  g_autoptr(EimzaPortalSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gint64 start, step_start;
  guint guard;

  bench.new_connections = new_connections;
  bench.n_requests = 0;
  bench.n_connections = 0;
  guard = g_timeout_add_seconds (FLOW_GUARD_SECONDS, flow_guard_cb, NULL);

  start = now_us ();
  session = eimza_portal_session_new (bench.profile, bench.url, bench.ca_file, &error);
  if (session == NULL)
    die ("client: %s", error->message);
  g_signal_connect (eimza_portal_session_get_soup_session (session), "request-queued",
                    G_CALLBACK (request_queued_cb), NULL);
  if (capture_bodies)
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_BODY);

      soup_logger_set_printer (logger, logger_printer, NULL, NULL);
      soup_session_add_feature (eimza_portal_session_get_soup_session (session),
                                SOUP_SESSION_FEATURE (logger));
    }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) image = NULL;

    step_start = now_us ();
    eimza_portal_session_open_async (session, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    image = eimza_portal_session_open_finish (session, result, &error);
    if (image == NULL)
      die ("client: open: %s", error->message);
    sample->step_us[STEP_OPEN] = now_us () - step_start;
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *captcha = read_captcha ();

    eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha);
    step_start = now_us ();
    eimza_portal_session_log_in_async (session, form, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    if (!eimza_portal_session_log_in_finish (session, result, &error))
      die ("client: log_in: %s", error->message);
    sample->step_us[STEP_LOG_IN] = now_us () - step_start;
    if (out_captcha != NULL)
      *out_captcha = g_steal_pointer (&captcha);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(EimzaPortalSmsState) state = NULL;

    step_start = now_us ();
    eimza_portal_session_submit_form_async (session, form, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    state = eimza_portal_session_submit_form_finish (session, result, &error);
    if (state == NULL)
      die ("client: submit_form: %s", error->message);
    sample->step_us[STEP_SUBMIT_FORM] = now_us () - step_start;
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(EimzaPortalSmsState) state = NULL;

    step_start = now_us ();
    eimza_portal_session_send_sms_async (session, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    state = eimza_portal_session_send_sms_finish (session, result, &error);
    if (state == NULL)
      die ("client: send_sms: %s", error->message);
    sample->step_us[STEP_SEND_SMS] = now_us () - step_start;
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *code = read_sms_code ();
    gboolean eonay = FALSE;

    step_start = now_us ();
    eimza_portal_session_verify_sms_async (session, code, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    if (!eimza_portal_session_verify_sms_finish (session, result, &eonay, &error))
      die ("client: verify_sms: %s", error->message);
    if (!eonay)
      die ("client: the portal offers no e-onay for the fixture person");
    sample->step_us[STEP_VERIFY_SMS] = now_us () - step_start;
    if (out_sms_code != NULL)
      *out_sms_code = g_steal_pointer (&code);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *number = NULL;

    step_start = now_us ();
    eimza_portal_session_apply_with_eonay_async (session, NULL, store_result_cb, &slot);
    result = wait_for_result (&slot);
    number = eimza_portal_session_apply_with_eonay_finish (session, result, &error);
    if (number == NULL)
      die ("client: apply_with_eonay: %s", error->message);
    sample->step_us[STEP_APPLY] = now_us () - step_start;
  }

  sample->total_us = now_us () - start;
  sample->n_requests = bench.n_requests;
  sample->n_connections = bench.n_connections;
  sample->n_processes = 0;

  g_source_remove (guard);
  /* Let libsoup close its connection before the next run, untimed. */
  g_clear_object (&session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

