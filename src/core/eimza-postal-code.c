/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks a Posta Kodu against the chosen province and district. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-validation.h"

#define POSTAL_CODE_LEN 5

/* Finds @text without leading and trailing white space, Unicode's included:
 * a code copied from a web page often comes with a no-break space. */
static const char *
strip_white_space (const char *text,
                   gsize      *out_len)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (start < end && g_unichar_isspace (g_utf8_get_char_validated (start, end - start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL)
        prev = start;
      if (!g_unichar_isspace (g_utf8_get_char_validated (prev, end - prev)))
        break;
      end = prev;
    }

  *out_len = end - start;
  return start;
}

static gboolean
has_only_ascii_digits (const char *s,
                       gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Errors are checked in the order a person can fix them: first the field
 * itself (EMPTY; LENGTH for digits only but not five of them, as in "0642";
 * FORMAT for anything else that is not a digit, spaces inside included),
 * then the province and district it depends on, then whether they match
 * (all WRONG_PLACE). */
gboolean
eimza_postal_code_validate (EimzaGeo    *geo,
                            const char  *text,
                            const char  *plate_code,
                            const char  *district_name,
                            GError     **error)
{
  char code[POSTAL_CODE_LEN + 1];
  const char *stripped;
  gsize len = 0;
  guint province;
  guint district;
  guint other_province;
  guint other_district;

  g_return_val_if_fail (geo != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = text != NULL ? strip_white_space (text, &len) : NULL;
  if (len == 0)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                           _("Enter the postal code."));
      return FALSE;
    }
  if (!has_only_ascii_digits (stripped, len))
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                           _("Use only digits in the postal code."));
      return FALSE;
    }
  if (len != POSTAL_CODE_LEN)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LENGTH,
                           _("Enter all 5 digits of the postal code."));
      return FALSE;
    }
  memcpy (code, stripped, POSTAL_CODE_LEN);
  code[POSTAL_CODE_LEN] = '\0';

  if (!eimza_geo_find_province (geo, plate_code, &province)
      || !eimza_geo_find_district (geo, province, district_name, &district))
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_WRONG_PLACE,
                           _("Choose the province and the district first."));
      return FALSE;
    }

  /* Search the district's own list rather than compare with
   * eimza_geo_locate_postal_code(), which names only the first district of
   * a code that several districts share. */
  if (g_strv_contains (eimza_geo_get_postal_codes (geo, province, district), code))
    return TRUE;

  if (eimza_geo_locate_postal_code (geo, code, &other_province, &other_district))
    {
      g_set_error (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_WRONG_PLACE,
                   /* Translators: the first %s is a district, the second its
                    * province, as in "Kadıköy, İstanbul". */
                   _("This postal code belongs to %s, %s: check the district or the code."),
                   eimza_geo_get_district_name (geo, other_province, other_district),
                   eimza_geo_get_province_name (geo, other_province));
      return FALSE;
    }

  g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_WRONG_PLACE,
                       _("This postal code does not exist in the chosen district."));
  return FALSE;
}
