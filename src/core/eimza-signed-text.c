/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a person is shown of the exact bytes they sign: readable text, hidden characters made visible. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-signed-text.h"

G_DEFINE_QUARK (eimza-signed-text-error-quark, eimza_signed_text_error)

/* More combining marks than this on one letter can pile up over the
 * neighbouring lines and hide them; Turkish needs at most one. */
#define MAX_MARKS_PER_BASE 2

/* The blocks of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo,
 * Samaritan, Mandaic, their presentation forms, and the historic ones of
 * the supplementary planes): their letters and digits reorder the text
 * around them, so "100 TL" next to them can read as something else. */
static gboolean
is_right_to_left (gunichar c)
{
  return (c >= 0x0590 && c <= 0x08FF) ||
         (c >= 0xFB1D && c <= 0xFDFF) ||
         (c >= 0xFE70 && c <= 0xFEFF) ||
         (c >= 0x10800 && c <= 0x10FFF) ||
         (c >= 0x1E800 && c <= 0x1EFFF);
}

/* Characters that draw nothing although their category would have them
 * drawn: fillers, variation selectors, blank patterns, and the object
 * replacement character that a GtkTextView takes for an embedded widget. */
static gboolean
is_invisible_other (gunichar c)
{
  return c == 0x034F ||                    /* combining grapheme joiner */
         c == 0x115F || c == 0x1160 ||     /* Hangul choseong/jungseong fillers */
         c == 0x17B4 || c == 0x17B5 ||     /* Khmer inherent vowels */
         (c >= 0x180B && c <= 0x180F) ||   /* Mongolian variation selectors */
         c == 0x2800 ||                    /* braille pattern blank */
         c == 0x3164 || c == 0xFFA0 ||     /* Hangul fillers */
         (c >= 0xFE00 && c <= 0xFE0F) ||   /* variation selectors */
         (c >= 0xE0100 && c <= 0xE01EF) || /* variation selectors supplement */
         c == 0xFFFC || c == 0xFFFD;       /* object and replacement characters */
}

static gboolean
is_mark (GUnicodeType type)
{
  return type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
         type == G_UNICODE_ENCLOSING_MARK;
}

/* Whether @c is shown as it is; @marks counts the combining marks shown
 * since the last letter (-1: nothing to combine with). */
static gboolean
is_shown_as_is (gunichar  c,
                int      *marks)
{
  GUnicodeType type = g_unichar_type (c);

  if (c == ' ' || c == '\t')
    {
      *marks = -1;
      return TRUE;
    }

  if (is_mark (type))
    {
      if (*marks < 0 || *marks >= MAX_MARKS_PER_BASE || is_invisible_other (c))
        return FALSE;
      (*marks)++;
      return TRUE;
    }

  *marks = -1;
  switch (type)
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
      return FALSE;
    default:
      break;
    }

  /* The escape's own brackets, so that no text can pass for an escape. */
  if (is_right_to_left (c) || is_invisible_other (c) || c == 0x27E8 || c == 0x27E9)
    return FALSE;

  *marks = 0;
  return TRUE;
}

char *
eimza_signed_text_for_display (const void  *data,
                               gsize        size,
                               guint       *out_n_escaped,
                               GError     **error)
{
  g_autoptr(GString) shown = NULL;
  const char *text = data;
  const char *end;
  guint n_escaped = 0;
  int marks = -1;

  g_return_val_if_fail (data != NULL || size == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (size == 0)
    {
      g_set_error_literal (error, EIMZA_SIGNED_TEXT_ERROR, EIMZA_SIGNED_TEXT_ERROR_EMPTY,
                           _("The web site sent nothing to sign. Nothing was signed."));
      return NULL;
    }

  /* A NUL is valid UTF-8 but ends the text everywhere it is shown: what
   * follows it would be signed unseen. */
  if (memchr (text, '\0', size) != NULL || !g_utf8_validate_len (text, size, NULL))
    {
      g_set_error_literal (error, EIMZA_SIGNED_TEXT_ERROR, EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT,
                           _("The web site sent something to sign that is not readable text. "
                             "It cannot be shown to you, so it cannot be signed: nothing was "
                             "signed."));
      return NULL;
    }

  shown = g_string_sized_new (size);
  end = text + size;
  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Line breaks break lines; a lone CR is shown, as it may hide
       * nothing but also means nothing. */
      if (c == '\n' || (c == '\r' && p + 1 < end && p[1] == '\n'))
        {
          g_string_append_c (shown, (char) c);
          marks = -1;
          continue;
        }

      if (is_shown_as_is (c, &marks))
        {
          g_string_append_len (shown, p, g_utf8_next_char (p) - p);
          continue;
        }

      g_string_append_printf (shown, EIMZA_SIGNED_TEXT_ESCAPE_OPEN "U+%04X"
                              EIMZA_SIGNED_TEXT_ESCAPE_CLOSE, c);
      n_escaped++;
      /* A mark after an escape has nothing visible to combine with. */
      marks = -1;
    }

  if (out_n_escaped != NULL)
    *out_n_escaped = n_escaped;

  return g_string_free (g_steal_pointer (&shown), FALSE);
}
