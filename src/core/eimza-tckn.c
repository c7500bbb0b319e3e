/* SPDX-License-Identifier: GPL-3.0-or-later */
/* T.C. Kimlik No (Turkish national identity number) checks. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-validation.h"
#include "eimza-validation-private.h"

#define TCKN_LENGTH 11

/* The two check digits that follow the nine ASCII digits at @first_nine:
 * d10 = (7 * (d1 + d3 + d5 + d7 + d9) - (d2 + d4 + d6 + d8)) mod 10 and
 * d11 = (d1 + ... + d10) mod 10. */
static void
compute_check_digits (const char *first_nine,
                      int        *out_d10,
                      int        *out_d11)
{
  int odd = 0;
  int even = 0;
  int d10;

  for (int i = 0; i < 9; i++)
    {
      int d = first_nine[i] - '0';

      /* i is 0-based, so even i are the 1st, 3rd, ... digits. */
      if (i % 2 == 0)
        odd += d;
      else
        even += d;
    }

  /* The difference can be negative; C's % keeps the sign, so fold it back
   * into 0-9. */
  d10 = ((7 * odd - even) % 10 + 10) % 10;

  *out_d10 = d10;
  *out_d11 = (odd + even + d10) % 10;
}

gboolean
eimza_tckn_validate (const char  *text,
                     GError     **error)
{
  g_autofree char *stripped = NULL;
  gsize len;
  int d10;
  int d11;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = eimza_validation_strip (text);
  len = strlen (stripped);

  if (len == 0)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                           _("Enter your T.C. Kimlik No."));
      return FALSE;
    }

  if (!eimza_validation_is_ascii_digits (stripped, len))
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_NOT_DIGITS,
                           _("Use only digits in your T.C. Kimlik No."));
      return FALSE;
    }

  if (len != TCKN_LENGTH)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LENGTH,
                           _("Enter the 11 digits of your T.C. Kimlik No."));
      return FALSE;
    }

  if (stripped[0] == '0')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LEADING_ZERO,
                           _("A T.C. Kimlik No never starts with 0: check the digits."));
      return FALSE;
    }

  compute_check_digits (stripped, &d10, &d11);
  if (stripped[9] - '0' != d10 || stripped[10] - '0' != d11)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_CHECKSUM,
                           _("This is not a valid T.C. Kimlik No: check the digits."));
      return FALSE;
    }

  return TRUE;
}

char *
eimza_tckn_complete (const char *first_nine)
{
  int d10;
  int d11;

  /* No trimming here: this builds numbers (tests, simulators) rather than
   * checking what a person typed. */
  if (first_nine == NULL
      || strlen (first_nine) != 9
      || !eimza_validation_is_ascii_digits (first_nine, 9)
      || first_nine[0] == '0')
    return NULL;

  compute_check_digits (first_nine, &d10, &d11);

  return g_strdup_printf ("%s%d%d", first_nine, d10, d11);
}
