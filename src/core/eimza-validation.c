/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The validation error domain, shared helpers and plain text validators. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-validation.h"
#include "eimza-validation-private.h"

G_DEFINE_QUARK (eimza-validation-error-quark, eimza_validation_error)

#define SECURITY_WORD_MIN_CHARS 4
#define SECURITY_WORD_MAX_CHARS 20

char *
eimza_validation_strip (const char *text)
{
  const char *start;
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (text, -1, NULL))
    return g_strstrip (g_strdup (text));

  start = text;
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

gboolean
eimza_validation_is_ascii_digits (const char *text,
                                  gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] < '0' || text[i] > '9')
        return FALSE;
    }

  return TRUE;
}

void
eimza_validation_set_too_long (GError **error,
                               guint    max_chars)
{
  g_set_error (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LENGTH,
               g_dngettext (GETTEXT_PACKAGE,
                            "Use at most %u character.",
                            "Use at most %u characters.",
                            max_chars),
               max_chars);
}

gboolean
eimza_security_word_validate (const char  *text,
                              GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *word = NULL;
  glong n_chars;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = eimza_validation_strip (text);
  if (*stripped == '\0')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                           _("Enter a security word."));
      return FALSE;
    }

  /* Letters typed as a base letter plus a combining mark (as some input
   * methods do) are composed first, so "Ç" is one letter either way. */
  if (!g_utf8_validate (stripped, -1, NULL)
      || (word = g_utf8_normalize (stripped, -1, G_NORMALIZE_NFC)) == NULL)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR,
                           EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS,
                           _("Use only letters and digits in the security word, no spaces."));
      return FALSE;
    }

  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalpha (c) && !(c >= '0' && c <= '9'))
        {
          g_set_error_literal (error, EIMZA_VALIDATION_ERROR,
                               EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS,
                               _("Use only letters and digits in the security word, no spaces."));
          return FALSE;
        }
    }

  n_chars = g_utf8_strlen (word, -1);
  if (n_chars < SECURITY_WORD_MIN_CHARS || n_chars > SECURITY_WORD_MAX_CHARS)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LENGTH,
                           _("Use 4 to 20 letters or digits for the security word."));
      return FALSE;
    }

  return TRUE;
}

gboolean
eimza_required_text_validate (const char  *text,
                              guint        max_chars,
                              GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *composed = NULL;

  g_return_val_if_fail (max_chars > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = eimza_validation_strip (text);
  if (*stripped == '\0')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                           _("Fill in this field."));
      return FALSE;
    }

  if (!g_utf8_validate (stripped, -1, NULL)
      || (composed = g_utf8_normalize (stripped, -1, G_NORMALIZE_NFC)) == NULL)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR,
                           EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS,
                           _("Some characters could not be read: type the text again."));
      return FALSE;
    }

  /* Count composed characters, not bytes, so "ğ" counts once however it
   * was typed. */
  if ((gulong) g_utf8_strlen (composed, -1) > max_chars)
    {
      eimza_validation_set_too_long (error, max_chars);
      return FALSE;
    }

  return TRUE;
}
