/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A pragmatic e-mail address check: what mail servers in practice accept. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-validation.h"
#include "eimza-validation-private.h"

/* RFC 5321 limits: a path of 256 octets less the angle brackets, 64 for
 * the local part, 63 for a domain label. */
#define EMAIL_MAX_LENGTH 254
#define LOCAL_PART_MAX_LENGTH 64
#define LABEL_MAX_LENGTH 63

/* The unquoted "atext" of RFC 5322. Quoted local parts and comments are
 * legal, but real addresses do not use them and many services refuse them. */
static gboolean
is_local_part_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static gboolean
is_valid_local_part (const char *local,
                     gsize       len)
{
  if (len == 0 || len > LOCAL_PART_MAX_LENGTH)
    return FALSE;

  if (local[0] == '.' || local[len - 1] == '.')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (local[i] == '.')
        {
          if (local[i + 1] == '.')
            return FALSE;
        }
      else if (!is_local_part_char (local[i]))
        {
          return FALSE;
        }
    }

  return TRUE;
}

/* At least two labels of ASCII letters, digits and inner hyphens, the last
 * all letters. Internationalised domains must be typed in their xn-- form,
 * which is what the portal stores anyway. */
static gboolean
is_valid_domain (const char *domain)
{
  g_auto(GStrv) labels = g_strsplit (domain, ".", -1);
  guint n_labels = g_strv_length (labels);
  const char *last;

  if (n_labels < 2)
    return FALSE;

  for (guint i = 0; i < n_labels; i++)
    {
      const char *label = labels[i];
      gsize len = strlen (label);

      if (len == 0 || len > LABEL_MAX_LENGTH)
        return FALSE;
      if (label[0] == '-' || label[len - 1] == '-')
        return FALSE;
      for (gsize j = 0; j < len; j++)
        {
          if (!g_ascii_isalnum (label[j]) && label[j] != '-')
            return FALSE;
        }
    }

  last = labels[n_labels - 1];
  if (strlen (last) < 2)
    return FALSE;
  for (const char *p = last; *p != '\0'; p++)
    {
      if (!g_ascii_isalpha (*p))
        return FALSE;
    }

  return TRUE;
}

gboolean
eimza_email_validate (const char  *text,
                      GError     **error)
{
  g_autofree char *stripped = NULL;
  const char *at;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = eimza_validation_strip (text);
  if (*stripped == '\0')
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                           _("Enter your e-mail address."));
      return FALSE;
    }

  if (strpbrk (stripped, " \t\n\r\v\f") != NULL)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                           _("Remove the spaces from the e-mail address."));
      return FALSE;
    }

  if (strlen (stripped) > EMAIL_MAX_LENGTH)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_LENGTH,
                           _("This e-mail address is too long: check it."));
      return FALSE;
    }

  at = strchr (stripped, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                           _("Enter an address with one @, such as name@example.com."));
      return FALSE;
    }

  if (!is_valid_local_part (stripped, (gsize) (at - stripped)))
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                           _("Check the part before the @ in the e-mail address."));
      return FALSE;
    }

  if (!is_valid_domain (at + 1))
    {
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                           _("After the @, enter a domain such as example.com."));
      return FALSE;
    }

  return TRUE;
}
