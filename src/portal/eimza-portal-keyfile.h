/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading and checking the key files behind portal profiles. */
#pragma once

#include <glib.h>
#include <libxml/xpath.h>

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

/* Folding makes message patterns match whatever case and Unicode form the
 * sites happen to use, and collapses runs of white space. */
char                *eimza_portal_fold_text           (const char                *text);

G_END_DECLS
