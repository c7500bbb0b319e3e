/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks for names as the civil registry writes them: Ad, Soyad, Doğum Yeri. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-validation.h"
#include "eimza-validation-private.h"

#define PERSON_NAME_MAX_CHARS 50

typedef enum {
  PREV_START,
  PREV_LETTER,
  PREV_SPACE,
  PREV_PUNCTUATION,
} PrevKind;

static gboolean
set_misplaced_punctuation (GError **error)
{
  g_set_error_literal (error, EIMZA_VALIDATION_ERROR,
                       EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS,
                       _("Put apostrophes, hyphens and dots only between letters."));
  return FALSE;
}

static gboolean
set_invalid_characters (GError **error)
{
  g_set_error_literal (error, EIMZA_VALIDATION_ERROR,
                       EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS,
                       _("Use only letters, spaces, apostrophes, hyphens and dots."));
  return FALSE;
}

gboolean
eimza_person_name_validate (const char  *text,
                            GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *name = NULL;
  PrevKind prev = PREV_START;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = eimza_validation_strip (text);
  if (*stripped == '\0')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                           _("Fill in this field."));
      return FALSE;
    }

  /* Compose first, so that "İ" typed as "I" plus a combining dot (as some
   * keyboards and macOS file names do) is one letter, counted once. */
  if (!g_utf8_validate (stripped, -1, NULL)
      || (name = g_utf8_normalize (stripped, -1, G_NORMALIZE_NFC)) == NULL)
    return set_invalid_characters (error);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* A mark with no precomposed form (rare in names, but it happens in
       * foreign ones) still belongs to the letter before it. */
      if (g_unichar_isalpha (c) || (g_unichar_ismark (c) && prev == PREV_LETTER))
        {
          prev = PREV_LETTER;
        }
      else if (c == ' ')
        {
          if (prev == PREV_SPACE)
            {
              g_set_error_literal (error, EIMZA_VALIDATION_ERROR,
                                   EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS,
                                   _("Leave only one space between words."));
              return FALSE;
            }
          if (prev != PREV_LETTER)
            return set_misplaced_punctuation (error);
          prev = PREV_SPACE;
        }
      else if (c == '\'' || c == '-' || c == '.')
        {
          /* "O'Neil", "Ahmet-Can" and "K.Maraş" are fine; a sign at the
           * edge of a word or two in a row is a typing slip. */
          if (prev != PREV_LETTER)
            return set_misplaced_punctuation (error);
          prev = PREV_PUNCTUATION;
        }
      else
        {
          return set_invalid_characters (error);
        }
    }

  if (prev == PREV_PUNCTUATION)
    return set_misplaced_punctuation (error);

  if (g_utf8_strlen (name, -1) > PERSON_NAME_MAX_CHARS)
    {
      eimza_validation_set_too_long (error, PERSON_NAME_MAX_CHARS);
      return FALSE;
    }

  return TRUE;
}
