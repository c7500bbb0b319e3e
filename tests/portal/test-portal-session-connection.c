/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaPortalSession's connection: an untrusted certificate, a CA for another host, bad addresses. */
#include "config.h"

#include "portal-session-fixture.h"

/* Without the simulator's CA the certificate is not trusted: the system
 * store is all a session trusts by default. */
void
test_tls_untrusted (void)
{
  g_autoptr(EimzaPortalSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };

  if (sim.url == NULL)
    {
      g_test_skip ("The portal simulator is not built (EIMZA_PORTAL_SIM)");
      return;
    }

  session = eimza_portal_session_new (profile, sim.url, NULL, &error);
  g_assert_no_error (error);
  eimza_portal_session_set_timeout (session, TEST_TIMEOUT);

  eimza_portal_session_open_async (session, NULL, store_result_cb, &fixture);
  result = wait_for_result (&fixture);
  captcha = eimza_portal_session_open_finish (session, result, &error);
  g_assert_null (captcha);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TLS);
  g_assert_true (g_str_has_prefix (error->message, "The connection to the portal is not secure"));
  /* Nothing suggests going on anyway. */
  g_assert_null (strstr (error->message, "ignore"));
  g_assert_null (strstr (error->message, "anyway"));
}

void
test_tls_ca_for_remote_host (void)
{
  static const char * const urls[] = {
    "https://portal.kamusm.gov.tr",
    "https://127.0.0.1.nip.io:8443/",
    "https://10.0.0.1/",
  };
  g_autofree char *ca_file = NULL;
  g_autoptr(GError) error = NULL;

  /* The check comes before the file is read. */
  ca_file = g_test_build_filename (G_TEST_DIST, "pages", "login.html", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (profile, urls[i], ca_file, &error);

      g_assert_null (session);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "certificate authority"));
      g_clear_error (&error);
    }

  /* Loopback names are fine, provided the file is a CA. */
  {
    g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (profile, "https://localhost:1/",
                                                                      ca_file, &error);

    g_assert_null (session);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "login.html"));
    g_clear_error (&error);
  }
  if (sim.ca_file != NULL)
    {
      static const char * const loopback[] = { "https://[::1]:1/", "https://127.1.2.3:1", "https://LOCALHOST" };

      for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
        {
          g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (profile, loopback[i], sim.ca_file,
                                                                            &error);

          g_assert_no_error (error);
          g_assert_nonnull (session);
        }
    }
}

void
test_bad_base_url (void)
{
  static const char * const urls[] = {
    "http://127.0.0.1:8080/",
    "portal.kamusm.gov.tr",
    "https://",
    "",
  };
  g_autoptr(EimzaPortalProfile) simulator = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, NULL);
  g_autoptr(EimzaPortalProfile) kamusm = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM, NULL);
  g_autoptr(EimzaPortalSession) live = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (profile, urls[i], NULL, &error);

      g_assert_null (session);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }

  /* The simulator's profile has no address of its own. */
  {
    g_autoptr(EimzaPortalSession) session = eimza_portal_session_new (simulator, NULL, NULL, &error);

    g_assert_null (session);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  /* The live profile's is used when none is given (no request is made). */
  live = eimza_portal_session_new (kamusm, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_portal_session_get_base_url (live), ==, "https://portal.kamusm.gov.tr");
}

void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(EimzaPortalSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Fixture fixture = { 0 };

  /* A port that was free a moment ago and has nobody listening. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  session = eimza_portal_session_new (profile, url, NULL, &error);
  g_assert_no_error (error);
  eimza_portal_session_open_async (session, NULL, store_result_cb, &fixture);
  result = wait_for_result (&fixture);
  captcha = eimza_portal_session_open_finish (session, result, &error);
  g_assert_null (captcha);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK);
  assert_sensible_message (error);
}
