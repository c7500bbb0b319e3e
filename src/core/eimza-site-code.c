/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The verification codes Kamu SM's sites show ("K7QM-4XTP"), as a person types them. */
#include "config.h"

#include "eimza-site-code.h"

/* What people type or paste between the two halves: web pages and word
 * processors turn "-" into the other dashes, and copy spaces as no-break
 * ones. */
static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case ' ':
    case '\t':
    case '-':
    case 0x00A0: /* no-break space */
    case 0x202F: /* narrow no-break space */
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* figure dash */
    case 0x2013: /* en dash */
    case 0x2212: /* minus sign */
      return TRUE;
    default:
      return FALSE;
    }
}

/* The code's character @c stands for, or 0. Turkish keyboards give ı and İ
 * for the I key; the codes themselves are ASCII. */
static char
code_character (gunichar c)
{
  if (c == 0x0131 || c == 0x0130)
    return 'I';
  if (c < 0x80 && g_ascii_isalnum ((char) c))
    return g_ascii_toupper ((char) c);
  return 0;
}

EimzaSiteCodeVerdict
eimza_site_code_check (const char  *text,
                       char       **out_code)
{
  char code[EIMZA_SITE_CODE_LENGTH + 1];
  gsize count = 0;
  gboolean too_long = FALSE;

  if (out_code != NULL)
    *out_code = NULL;

  if (text == NULL)
    return EIMZA_SITE_CODE_EMPTY;
  if (!g_utf8_validate (text, -1, NULL))
    return EIMZA_SITE_CODE_BAD_CHARACTER;

  /* A bad character anywhere wins over the length: it is what the person
   * has to fix first. */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char letter;

      if (is_separator (c))
        continue;
      letter = code_character (c);
      if (letter == 0)
        return EIMZA_SITE_CODE_BAD_CHARACTER;
      if (count < EIMZA_SITE_CODE_LENGTH)
        code[count++] = letter;
      else
        too_long = TRUE;
    }

  if (too_long)
    return EIMZA_SITE_CODE_TOO_LONG;
  if (count == 0)
    return EIMZA_SITE_CODE_EMPTY;
  if (count < EIMZA_SITE_CODE_LENGTH)
    return EIMZA_SITE_CODE_INCOMPLETE;

  code[count] = '\0';
  if (out_code != NULL)
    *out_code = g_strdup_printf ("%.*s-%s", EIMZA_SITE_CODE_LENGTH / 2, code,
                                 code + EIMZA_SITE_CODE_LENGTH / 2);
  return EIMZA_SITE_CODE_VALID;
}
