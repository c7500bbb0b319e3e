/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Turkish mobile and landline numbers and extensions, as people write them. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-validation.h"
#include "eimza-validation-private.h"

#define NATIONAL_LENGTH 10
#define EXTENSION_MAX_DIGITS 6

typedef enum {
  PHONE_KIND_MOBILE,
  PHONE_KIND_LANDLINE,
} PhoneKind;

/* Reduces @text to its ten national digits, dropping the separators and the
 * country or trunk prefix people commonly write. Whether the digits make a
 * mobile or a landline number is left to the caller; @kind only picks the
 * example shown when digits are missing. */
static char *
get_national_digits (const char  *text,
                     PhoneKind    kind,
                     GError     **error)
{
  g_autofree char *stripped = eimza_validation_strip (text);
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean has_plus = FALSE;
  const char *national;
  gsize len;

  if (*stripped == '\0')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                           _("Enter a phone number."));
      return NULL;
    }

  for (const char *p = stripped; *p != '\0'; p++)
    {
      if (*p >= '0' && *p <= '9')
        g_string_append_c (digits, *p);
      else if (*p == '+' && p == stripped)
        has_plus = TRUE;
      else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')' && *p != '.')
        {
          g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                               _("Use only digits, spaces and dashes in a phone number."));
          return NULL;
        }
    }

  national = digits->str;
  len = digits->len;

  if (has_plus)
    {
      /* Only Turkish numbers can be given to the portal. */
      if (!g_str_has_prefix (national, "90"))
        {
          g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                               _("Enter a Turkish number, starting with +90 or 0."));
          return NULL;
        }
      national += 2;
      len -= 2;
    }
  else if (len == NATIONAL_LENGTH + 4 && g_str_has_prefix (national, "0090"))
    {
      national += 4;
      len -= 4;
    }
  else if (len == NATIONAL_LENGTH + 2 && g_str_has_prefix (national, "90"))
    {
      national += 2;
      len -= 2;
    }
  else if (len == NATIONAL_LENGTH + 1 && national[0] == '0')
    {
      national += 1;
      len -= 1;
    }

  /* Ten digits starting with 0 are the trunk 0 plus nine digits: one is
   * missing, which is better said than "not a mobile number". */
  if (len != NATIONAL_LENGTH || national[0] == '0')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LENGTH,
                           kind == PHONE_KIND_MOBILE
                           ? _("Enter all 10 digits of the number, such as 532 123 45 67.")
                           : _("Enter all 10 digits, with the area code, such as 312 123 45 67."));
      return NULL;
    }

  return g_strndup (national, len);
}

static gboolean
phone_parse (const char  *text,
             PhoneKind    kind,
             char       **out_digits,
             GError     **error)
{
  g_autofree char *national = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  national = get_national_digits (text, kind, error);
  if (national == NULL)
    return FALSE;

  if (kind == PHONE_KIND_MOBILE && national[0] != '5')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_NOT_MOBILE,
                           _("Enter a mobile number: it starts with 5, as in 532."));
      return FALSE;
    }

  if (kind == PHONE_KIND_LANDLINE)
    {
      if (national[0] == '5')
        {
          g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                               _("Enter a landline number here, not a mobile number."));
          return FALSE;
        }

      /* Area codes start with 2, 3 or 4; 850 is the nationwide code. Other
       * prefixes (800 toll-free, 900 premium rate) are not anyone's line. */
      if (national[0] != '2' && national[0] != '3' && national[0] != '4'
          && !g_str_has_prefix (national, "850"))
        {
          g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                               _("Enter a landline number with its area code, as in 312."));
          return FALSE;
        }
    }

  if (out_digits != NULL)
    *out_digits = g_steal_pointer (&national);

  return TRUE;
}

gboolean
eimza_mobile_phone_parse (const char  *text,
                          char       **out_digits,
                          GError     **error)
{
  return phone_parse (text, PHONE_KIND_MOBILE, out_digits, error);
}

gboolean
eimza_landline_phone_parse (const char  *text,
                            char       **out_digits,
                            GError     **error)
{
  return phone_parse (text, PHONE_KIND_LANDLINE, out_digits, error);
}

char *
eimza_phone_format (const char *ten_digits)
{
  if (ten_digits == NULL)
    return NULL;

  if (strlen (ten_digits) != NATIONAL_LENGTH
      || !eimza_validation_is_ascii_digits (ten_digits, NATIONAL_LENGTH))
    return g_strdup (ten_digits);

  return g_strdup_printf ("%.3s %.3s %.2s %.2s",
                          ten_digits, ten_digits + 3, ten_digits + 6, ten_digits + 8);
}

gboolean
eimza_phone_extension_validate (const char  *text,
                                GError     **error)
{
  g_autofree char *stripped = NULL;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = eimza_validation_strip (text);
  len = strlen (stripped);

  if (len == 0)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                           _("Enter the extension number."));
      return FALSE;
    }

  if (!eimza_validation_is_ascii_digits (stripped, len))
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_NOT_DIGITS,
                           _("Use only digits in the extension number."));
      return FALSE;
    }

  if (len > EXTENSION_MAX_DIGITS)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LENGTH,
                           _("Enter an extension number of at most 6 digits."));
      return FALSE;
    }

  return TRUE;
}
