/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What both site clients (the application portal's and the NES site's) share above one exchange. */
#pragma once

#include <libsoup/soup.h>

#include "eimza-portal-error.h"
#include "eimza-portal-profile.h"

G_BEGIN_DECLS

/* How both clients name themselves to Kamu SM's sites. */
#define EIMZA_SITE_CLIENT_USER_AGENT \
  "E-Imza-Asistani/" PACKAGE_VERSION " (+https://github.com/eimza/asistan)"

/* Refusals longer than this are an error page, not the site's sentence. */
#define EIMZA_SITE_CLIENT_MAX_REFUSAL_SIZE 4096

/* Seconds a portal connection may sit idle and still be used: below the
 * 5 s of common servers' keep-alive (Apache's default), so that a POST
 * hardly ever goes out on a connection the server is just closing (its
 * answer would be lost; it is never sent again). */
#define EIMZA_SITE_CLIENT_PORTAL_IDLE_TIMEOUT 4

/* A SoupSession for one conversation with a site: the user agent, Turkish
 * first, @timeout seconds, @database (nullable: the system's store), and a
 * cookie jar in memory only (a site session must not outlive the program),
 * returned in @out_jar. Every request, POSTs included, uses the open
 * connection (eimza-portal-request.c). With an @interaction (the card's
 * TLS login) that one connection is kept as long as libsoup keeps it
 * (each new one is a new handshake with the card, and a new PIN request);
 * without one (the portal) only for
 * %EIMZA_SITE_CLIENT_PORTAL_IDLE_TIMEOUT seconds of idleness. */
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

/* ------------------------------------------------------------------------
 * The small base both sessions embed as their field `site`: the profile,
 * the origin, the SoupSession with its cookies, the time limits, and the
 * one-step-at-a-time flag, with the GObject plumbing of their common
 * properties.
 * ------------------------------------------------------------------------ */

typedef struct {
  EimzaPortalProfile *profile;
  char *base_url;
  char *ca_file;
  guint timeout;
  guint deadline;

  GUri *base_uri;            /* the origin only: "https://host:port" */
  SoupSession *soup;
  SoupCookieJar *cookie_jar;
  gboolean busy;             /* a step runs */
  /* The timeout changed: the open connection has the old one. */
  gboolean new_connection_pending;
} EimzaSiteClient;

/* The common properties, in this order at the start of each session's
 * property enum; its own follow from %EIMZA_SITE_CLIENT_N_PROPS. */
enum {
  EIMZA_SITE_CLIENT_PROP_0,
  EIMZA_SITE_CLIENT_PROP_PROFILE,
  EIMZA_SITE_CLIENT_PROP_BASE_URL,
  EIMZA_SITE_CLIENT_PROP_CA_FILE,
  EIMZA_SITE_CLIENT_PROP_TIMEOUT,
  EIMZA_SITE_CLIENT_PROP_DEADLINE,
  EIMZA_SITE_CLIENT_N_PROPS
};

void         eimza_site_client_init            (EimzaSiteClient    *site,
                                                guint               default_timeout);
/* Aborts what is in flight and drops the objects (dispose)... */
void         eimza_site_client_dispose         (EimzaSiteClient    *site);
/* ...and the rest (finalize). */
void         eimza_site_client_finalize        (EimzaSiteClient    *site);

/* Fills @props at the EIMZA_SITE_CLIENT_PROP_* indexes. */
void         eimza_site_client_class_props     (GParamSpec        **props,
                                                guint               default_timeout);
/* %FALSE when @prop_id is not one of the common properties. */
gboolean     eimza_site_client_get_property    (EimzaSiteClient    *site,
                                                guint               prop_id,
                                                GValue             *value);
gboolean     eimza_site_client_set_property    (EimzaSiteClient    *site,
                                                GObject            *object,
                                                GParamSpec        **props,
                                                guint               prop_id,
                                                const GValue       *value);
/* Set and notify @object by @pspec when the value changes. */
void         eimza_site_client_set_timeout     (EimzaSiteClient    *site,
                                                GObject            *object,
                                                GParamSpec         *pspec,
                                                guint               seconds);
void         eimza_site_client_set_deadline    (EimzaSiteClient    *site,
                                                GObject            *object,
                                                GParamSpec         *pspec,
                                                guint               seconds);

/* Whether @uri is an https:// address with a host. */
gboolean     eimza_site_client_is_https        (GUri               *uri);

/* At initialisation: checks @url (the site's address) and whether its
 * host may be trusted, then keeps its origin as base-uri and base-url.
 * @out_database: the loopback test CA's store, or %NULL for the system's. */
gboolean     eimza_site_client_set_origin      (EimzaSiteClient    *site,
                                                const char         *url,
                                                GTlsDatabase      **out_database,
                                                GError            **error);

/* Forgetting the cookies forgets the site's session. The jar itself
 * stays: libsoup pairs each message's feature references with the
 * features of the session, so swapping jars under a finishing message
 * would unbalance them. */
void         eimza_site_client_clear_cookies   (EimzaSiteClient    *site);
/* Whether the next exchange must open a new connection (the timeout
 * changed since the last one); clears it. */
gboolean     eimza_site_client_take_new_connection (EimzaSiteClient *site);

/* ------------------------------------------------------------------------
 * Steps: one public _async call of a session, one GTask that knows its
 * client, so that whichever way it ends the client is free again.
 * ------------------------------------------------------------------------ */

/* A new step task of @source_object (whose client is @site), or %NULL when
 * it was refused, answered already: another step is running, or
 * !@at_page, the site is not at the page the step starts from (its
 * session ended). @step and @site_name only go into the debug log. @data
 * becomes the task data (freed with @data_free either way). */
GTask       *eimza_site_client_step_begin      (EimzaSiteClient    *site,
                                                gpointer            source_object,
                                                gpointer            source_tag,
                                                const char         *site_name,
                                                int                 step,
                                                gboolean            at_page,
                                                gpointer            data,
                                                GDestroyNotify      data_free,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);

/* Every step ends through one of these, so that the next one may start
 * from the callback. */
void         eimza_site_client_step_return_error   (GTask          *task,
                                                    GError         *error);
void         eimza_site_client_step_return_pointer (GTask          *task,
                                                    gpointer        result,
                                                    GDestroyNotify  result_destroy);
void         eimza_site_client_step_return_boolean (GTask          *task,
                                                    gboolean        result);

/* The task's result, with the checks every _finish makes: @result is a
 * task of @source_object made with @source_tag. */
gpointer     eimza_site_client_propagate_pointer   (gpointer        source_object,
                                                    GAsyncResult   *result,
                                                    gpointer        source_tag,
                                                    GError        **error);
gboolean     eimza_site_client_propagate_boolean   (gpointer        source_object,
                                                    GAsyncResult   *result,
                                                    gpointer        source_tag,
                                                    GError        **error);

/* For a step whose success carries a flag: %TRUE and the flag in
 * @out_flag (nullable), or %FALSE and @error. */
gboolean     eimza_site_client_propagate_flag      (gpointer        source_object,
                                                    GAsyncResult   *result,
                                                    gpointer        source_tag,
                                                    gboolean       *out_flag,
                                                    GError        **error);

/* A %EIMZA_PORTAL_ERROR of @code with its sentence for people. */
GError      *eimza_site_client_error_new           (EimzaPortalError code);

G_END_DECLS
