/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What both site clients (the application portal's and the NES site's) share above one exchange. */
#pragma once

#include <libsoup/soup.h>

#include "eimza-portal-error.h"

G_BEGIN_DECLS

/* How both clients name themselves to Kamu SM's sites. */
#define EIMZA_SITE_CLIENT_USER_AGENT \
  "E-Imza-Asistani/" PACKAGE_VERSION " (+https://github.com/eimza/asistan)"

/* Refusals longer than this are an error page, not the site's sentence. */
#define EIMZA_SITE_CLIENT_MAX_REFUSAL_SIZE 4096

/* A SoupSession for one conversation with a site: the user agent, Turkish
 * first, @timeout seconds, @database (nullable: the system's store), and a
 * cookie jar in memory only (a site session must not outlive the program),
 * returned in @out_jar. With an @interaction (the card's TLS login) one
 * connection is kept alive: each new one is a new handshake with the
 * card, and a new PIN request. */
SoupSession *eimza_site_client_soup_new        (guint              timeout,
                                                GTlsDatabase      *database,
                                                GTlsInteraction   *interaction,
                                                SoupCookieJar    **out_jar);

/* The signer's own sentence in a refusal (a plain text body of at most
 * %EIMZA_SITE_CLIENT_MAX_REFUSAL_SIZE bytes, made valid UTF-8, stripped),
 * or %NULL: an error page is not the site's message. */
char        *eimza_site_client_refusal_text    (SoupMessageHeaders *headers,
                                                GBytes             *body);

/* What the signer means by a 4xx @status (docs/portal-protocol.md): code
 * unknown or used, expired, another person's signature, a refused
 * signature. %FALSE for any other status. */
gboolean     eimza_site_client_refusal_code    (guint               status,
                                                EimzaPortalError   *out_code);

/* One step at a time per client: when @busy (another step runs), answers
 * @task with %G_IO_ERROR_PENDING and returns %FALSE. */
gboolean     eimza_site_client_check_idle      (GTask              *task,
                                                gboolean            busy);

G_END_DECLS
