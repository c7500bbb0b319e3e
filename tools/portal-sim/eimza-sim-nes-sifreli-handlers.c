/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Şifreli Giriş listener's routes: cookies, faults and test endpoints. */
#include "eimza-sim-nes-sifreli.h"
#include "eimza-sim-nes-sifreli-handlers.h"
#include "eimza-sim-pages.h"
#include "eimza-sim-wire.h"

#define COOKIE_PATH "/nb"

/* The faults this route knows; the others do nothing here. */
#define SIFRELI_FAULTS (EIMZA_SIM_FAULT_HTTP_500 | EIMZA_SIM_FAULT_HTTP_503 \
                        | EIMZA_SIM_FAULT_EXPIRE_SESSION | EIMZA_SIM_FAULT_WRONG_CAPTCHA \
                        | EIMZA_SIM_FAULT_SMS_EXPIRED | EIMZA_SIM_FAULT_SMS_LOCKED \
                        | EIMZA_SIM_FAULT_HUGE_CAPTCHA | EIMZA_SIM_FAULT_UNBLOCK_REFUSED \
                        | EIMZA_SIM_FAULT_CLOSE_AFTER_POST)

static void
sifreli_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  EimzaSimPortal *portal = user_data;
  g_autofree char *cookie_id = eimza_sim_wire_session_id (msg);
  g_autofree char *set_cookie = NULL;
  g_autofree char *names = NULL;
  g_autoptr(EimzaSimReply) reply = NULL;
  gint64 now_us = g_get_monotonic_time ();
  EimzaSimFaults faults = portal->config.run_faults;
  EimzaSimSession *session;

  session = eimza_sim_session_store_lookup (portal->sifreli_sessions, cookie_id, now_us);
  if (session != NULL)
    faults |= eimza_sim_session_pop_fault (session);
  faults &= SIFRELI_FAULTS;

  if ((faults & EIMZA_SIM_FAULT_EXPIRE_SESSION) && session != NULL)
    {
      eimza_sim_session_store_remove (portal->sifreli_sessions, session);
      session = NULL;
    }

  /* Faults that replace the answer leave the request unprocessed. */
  if (faults & EIMZA_SIM_FAULT_HTTP_500)
    reply = eimza_sim_reply_new_status (500, eimza_sim_page_error (500));
  else if (faults & EIMZA_SIM_FAULT_HTTP_503)
    reply = eimza_sim_reply_new_status (503, eimza_sim_page_error (503));
  else
    {
      g_autoptr(GHashTable) form = NULL;
      gboolean is_post = soup_server_message_get_method (msg) == SOUP_METHOD_POST;
      EimzaSimSifreliRequest request = {
        .is_post = is_post,
        .path = path,
        .query = query,
        .faults = faults,
        .now_us = now_us,
      };

      if (is_post)
        {
          form = eimza_sim_wire_decode_form (msg);
          portal->sifreli_posts++;
        }
      request.form = form;

      reply = eimza_sim_nes_sifreli_handle (portal, &session, &request);
      if (session != NULL && g_strcmp0 (session->id, cookie_id) != 0)
        set_cookie = eimza_sim_wire_cookie (session->id, COOKIE_PATH);
    }

  /* Never the body or the query: they carry the number, the security
   * word, the SMS code and the unblock code. */
  names = eimza_sim_faults_to_string (faults);
  g_debug ("NES-SIFRELI %s %s -> %u%s%s", soup_server_message_get_method (msg), path,
           reply->status, *names != '\0' ? " faults: " : "", names);

  if (faults & EIMZA_SIM_FAULT_CLOSE_AFTER_POST)
    eimza_sim_wire_close_unanswered (msg);
  else
    eimza_sim_wire_write_reply (msg, reply, set_cookie);
}

/* The test-only endpoints; the cookie has Path=/nb, so clients send it
 * here only when told to. */
static void
test_endpoints_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  EimzaSimPortal *portal = user_data;
  g_autofree char *cookie_id = NULL;
  const char *method = soup_server_message_get_method (msg);
  EimzaSimSession *session;

  if (!portal->config.test_endpoints)
    {
      eimza_sim_wire_set_not_found (msg);
      return;
    }

  if (g_str_equal (path, "/_sim/submissions") && method == SOUP_METHOD_GET)
    {
      eimza_sim_wire_set_count (msg, portal->sifreli_posts);
      return;
    }

  cookie_id = eimza_sim_wire_session_id (msg);
  session = eimza_sim_session_store_peek (portal->sifreli_sessions, cookie_id,
                                          g_get_monotonic_time ());
  if (session == NULL)
    {
      eimza_sim_wire_set_text (msg, 403, "No live session: send the JSESSIONID cookie.\n");
      return;
    }

  if (g_str_equal (path, "/_sim/sifreli") && method == SOUP_METHOD_GET)
    {
      g_autofree char *text = eimza_sim_nes_sifreli_describe (portal, session);

      eimza_sim_wire_set_text (msg, 200, text);
    }
  else if (g_str_equal (path, "/_sim/faults") && method == SOUP_METHOD_POST)
    {
      eimza_sim_wire_set_faults (session, msg);
    }
  else
    {
      eimza_sim_wire_set_not_found (msg);
    }
}

static void
default_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  if (g_str_equal (path, "/"))
    {
      soup_server_message_set_redirect (msg, 303, "/nb/nb.go");
      return;
    }

  eimza_sim_wire_set_not_found (msg);
}

void
eimza_sim_nes_sifreli_handlers_add (SoupServer     *server,
                                    EimzaSimPortal *portal)
{
  soup_server_add_handler (server, "/nb", sifreli_cb, portal, NULL);
  soup_server_add_handler (server, "/_sim", test_endpoints_cb, portal, NULL);
  soup_server_add_handler (server, NULL, default_cb, portal, NULL);
}

void
eimza_sim_nes_sifreli_handlers_remove (SoupServer *server)
{
  soup_server_remove_handler (server, "/nb");
  soup_server_remove_handler (server, "/_sim");
  soup_server_remove_handler (server, NULL);
}
