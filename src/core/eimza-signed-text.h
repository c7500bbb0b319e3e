/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a person is shown of the exact bytes they sign: readable text, hidden characters made visible. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EIMZA_SIGNED_TEXT_ERROR (eimza_signed_text_error_quark ())

/**
 * EimzaSignedTextError:
 * @EIMZA_SIGNED_TEXT_ERROR_EMPTY: there is nothing to sign.
 * @EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT: not valid UTF-8, or it holds a NUL
 *   byte: the bytes cannot be shown as they are, so they are not signed.
 *
 * Why data to sign was refused. The message is translated and plain, for
 * the signing step to show as it is.
 */
typedef enum {
  EIMZA_SIGNED_TEXT_ERROR_EMPTY,
  EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT,
} EimzaSignedTextError;

GQuark eimza_signed_text_error_quark (void);

/* Shown instead of a character that would be invisible or would change
 * the direction or order of the text around it, e.g. "⟨U+202E⟩". The
 * brackets themselves are always shown as escapes when they are part of
 * the data, so every "⟨" shown starts an escape. */
#define EIMZA_SIGNED_TEXT_ESCAPE_OPEN  "\u27E8"
#define EIMZA_SIGNED_TEXT_ESCAPE_CLOSE "\u27E9"

/* The text to show for the @size bytes at @data that are signed exactly as
 * they are, or %NULL with an #EimzaSignedTextError when they must not be
 * signed because they cannot be shown.
 *
 * Printable characters of left-to-right scripts, spaces (U+0020), tabs and
 * line breaks (LF, CR LF) are shown as they are. Every other character is
 * shown as an escape "⟨U+XXXX⟩": controls, format characters (bidi
 * overrides, embeddings and isolates, zero-width characters, the BOM),
 * other spaces and separators, private-use and unassigned code points,
 * variation selectors and other default-ignorable ones, combining marks
 * with nothing to combine with or stacked more than two deep, and letters
 * of right-to-left scripts, whose reordering could change what is read.
 * What is shown thus reads left to right in the bytes' own order, and two
 * different texts are never shown alike.
 *
 * @out_n_escaped (nullable) gets the number of escapes. */
char  *eimza_signed_text_for_display (const void  *data,
                                      gsize        size,
                                      guint       *out_n_escaped,
                                      GError     **error);

G_END_DECLS
