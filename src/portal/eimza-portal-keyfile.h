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

/* Folding makes message patterns match whatever case and Unicode form the
 * sites happen to use, and collapses runs of white space. */
char                *eimza_portal_fold_text           (const char                *text);

G_END_DECLS
