/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the validator files; not part of the public API. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A newly allocated copy of @text without leading and trailing white
 * space; NULL gives "". Text pasted from web pages and PDFs often carries
 * no-break spaces, so when @text is valid UTF-8 every Unicode space is
 * trimmed, otherwise only ASCII white space. */
char     *eimza_validation_strip            (const char *text);

/* TRUE if the @len bytes at @text are all ASCII digits 0-9. Other scripts'
 * digits are refused: the portal only takes ASCII digits. */
gboolean  eimza_validation_is_ascii_digits  (const char *text,
                                             gsize       len);

/* Sets EIMZA_VALIDATION_ERROR_LENGTH with the one translated message for
 * text longer than @max_chars characters, so every field words it alike. */
void      eimza_validation_set_too_long     (GError    **error,
                                             guint       max_chars);

G_END_DECLS
