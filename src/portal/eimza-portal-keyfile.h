/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading and checking the key files behind portal profiles. */
#pragma once

#include <glib.h>
#include <libxml/xpath.h>

#include "eimza-portal-error.h"
#include "eimza-portal-match.h"

G_BEGIN_DECLS

/* One key file being loaded; @origin names it in error messages. */
typedef struct {
  GKeyFile *key_file;
  const char *origin;
} EimzaPortalKeyfile;

/* Sets @error (a %G_KEY_FILE_ERROR @code) to a sentence naming the profile,
 * @group and @key (nullable), then @problem. Returns FALSE. */
gboolean             eimza_portal_keyfile_fail        (const EimzaPortalKeyfile  *keyfile,
                                                       GError                   **error,
                                                       int                        code,
                                                       const char                *group,
                                                       const char                *key,
                                                       const char                *problem);
/* No value ends in a lone "\\", which escapes nothing: GLib 2.74 reads
 * such a value with a warning when an invalid escape came before it. */
gboolean             eimza_portal_keyfile_check_escapes (const EimzaPortalKeyfile *keyfile,
                                                         GError                  **error);
/* @value is a site's own address: https://, a host name or IP address,
 * an optional port and path, nothing else (no user, query or fragment). */
gboolean             eimza_portal_keyfile_check_site_url (const EimzaPortalKeyfile *keyfile,
                                                          const char               *group,
                                                          const char               *key,
                                                          const char               *value,
                                                          GError                  **error);
gboolean             eimza_portal_keyfile_require_key (const EimzaPortalKeyfile  *keyfile,
                                                       const char                *group,
                                                       const char                *key,
                                                       GError                   **error);
/* A required key, trimmed; @allow_empty for keys whose empty value means
 * "none". */
char                *eimza_portal_keyfile_get_string  (const EimzaPortalKeyfile  *keyfile,
                                                       const char                *group,
                                                       const char                *key,
                                                       gboolean                   allow_empty,
                                                       GError                   **error);
/* @source compiled; libxml2's complaint goes into @error, not to stderr. */
xmlXPathCompExprPtr  eimza_portal_keyfile_get_xpath   (const EimzaPortalKeyfile  *keyfile,
                                                       const char                *group,
                                                       const char                *key,
                                                       const char                *source,
                                                       GError                   **error);

/* Whether @a and @b share scheme, host and port (the scheme's default
 * when not given). */
gboolean             eimza_portal_keyfile_same_origin (GUri                      *a,
                                                       GUri                      *b);
/* Checks that @value is a path (and query) on the profile's own site: it
 * starts with one "/" (or, with @relative, with none), has no "\\", spaces
 * or control characters, and resolved against any site stays on that site.
 * "//host/…" is another host to g_uri_parse_relative(). Sets @error naming
 * @group and @key otherwise. */
gboolean             eimza_portal_keyfile_check_path  (const EimzaPortalKeyfile  *keyfile,
                                                       const char                *group,
                                                       const char                *key,
                                                       const char                *value,
                                                       gboolean                   relative,
                                                       GError                   **error);

/* The group's keys are all among @known (NULL entries are skipped): an
 * unknown key is refused, since a typo would otherwise silently drop a part
 * of the profile. */
gboolean             eimza_portal_keyfile_check_known_keys (const EimzaPortalKeyfile  *keyfile,
                                                            const char                *group,
                                                            const char * const        *known,
                                                            gsize                      n_known,
                                                            GError                   **error);

/* A group of XPath expressions, one required per key of @keys (no other
 * key): *@out_exprs[i] gets @keys[i]'s, added to @matcher (nullable). */
gboolean             eimza_portal_keyfile_load_xpaths (const EimzaPortalKeyfile  *keyfile,
                                                       const char                *group,
                                                       const char * const        *keys,
                                                       gsize                      n_keys,
                                                       EimzaPortalMatcher        *matcher,
                                                       xmlXPathCompExprPtr       *out_exprs,
                                                       GError                   **error);

/* The [page:…]-like @group every profile has per page kind: a required
 * "marker" XPath and an optional ";" list "require" of XPaths, no other key.
 * Stores them in *@out_marker and *@out_requirements as soon as each is
 * made (so that the caller's finalize frees a half-loaded page) and adds
 * them to @matcher (nullable). */
gboolean             eimza_portal_keyfile_load_page   (const EimzaPortalKeyfile  *keyfile,
                                                       const char                *group,
                                                       EimzaPortalMatcher        *matcher,
                                                       xmlXPathCompExprPtr       *out_marker,
                                                       GPtrArray                **out_requirements,
                                                       GError                   **error);

/* The [messages]-like @group: for each of @codes, a required key named by
 * its nick holding a ";" list of message patterns, at least one not empty;
 * *@out_patterns[i] gets the folded patterns of @codes[i]. With
 * @refuse_unknown, other keys are refused (the portal's own
 * [messages] has always allowed them). */
gboolean             eimza_portal_keyfile_load_messages (const EimzaPortalKeyfile  *keyfile,
                                                         const char                *group,
                                                         const EimzaPortalError    *codes,
                                                         gsize                      n_codes,
                                                         gboolean                   refuse_unknown,
                                                         GPtrArray                **out_patterns,
                                                         GError                   **error);
/* The first of @codes one of whose folded @patterns (as loaded above) is in
 * @message, into *@out_code (nullable); the order of @codes decides when a
 * page says two things ("locked" before "wrong"). FALSE: none matches. */
gboolean             eimza_portal_classify_message    (GPtrArray * const         *patterns,
                                                       const EimzaPortalError    *codes,
                                                       gsize                      n_codes,
                                                       const char                *message,
                                                       EimzaPortalError          *out_code);

/* Folding makes message patterns match whatever case and Unicode form the
 * sites happen to use, and collapses runs of white space. */
char                *eimza_portal_fold_text           (const char                *text);

G_END_DECLS
