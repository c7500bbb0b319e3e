/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rules a new card PIN must follow: the card's length, digits only, nothing easy to guess. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-new-pin.h"

G_DEFINE_QUARK (eimza-new-pin-error-quark, eimza_new_pin_error)

void
eimza_new_pin_rules_init (EimzaNewPinRules *rules,
                          guint             card_min_length,
                          guint             card_max_length)
{
  g_return_if_fail (rules != NULL);

  memset (rules, 0, sizeof *rules);

  if (card_min_length == 0 && card_max_length == 0)
    {
      rules->min_length = EIMZA_NEW_PIN_DEFAULT_LENGTH;
      rules->max_length = EIMZA_NEW_PIN_DEFAULT_LENGTH;
      return;
    }

  /* A PIN of no digits is never a PIN, whatever the card says. */
  rules->min_length = MAX (card_min_length, 1);
  rules->max_length = card_max_length;
  if (rules->max_length != 0 && rules->max_length < rules->min_length)
    rules->max_length = 0;
}

void
eimza_new_pin_rules_add_birth_date (EimzaNewPinRules *rules,
                                    const GDate      *date)
{
  g_return_if_fail (rules != NULL);

  if (date == NULL || !g_date_valid (date) || rules->n_birth_dates >= EIMZA_NEW_PIN_MAX_BIRTH_DATES)
    return;

  for (guint i = 0; i < rules->n_birth_dates; i++)
    if (g_date_compare (&rules->birth_dates[i], date) == 0)
      return;

  rules->birth_dates[rules->n_birth_dates++] = *date;
}

static gboolean
is_ascii_digits (const char *text,
                 gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (text[i] < '0' || text[i] > '9')
      return FALSE;
  return TRUE;
}

static gboolean
is_one_digit_repeated (const char *pin,
                       gsize       length)
{
  for (gsize i = 1; i < length; i++)
    if (pin[i] != pin[0])
      return FALSE;
  return TRUE;
}

/* Each digit one more (or each one less) than the one before, going
 * round after 9 (or 0): 123456, 654321, 890123, 210987. */
static gboolean
is_run (const char *pin,
        gsize       length,
        int         step)
{
  for (gsize i = 1; i < length; i++)
    if ((pin[i - 1] - '0' + step + 10) % 10 != pin[i] - '0')
      return FALSE;
  return TRUE;
}

static gboolean
equals (const char *a,
        gsize       a_length,
        const char *b,
        gsize       b_length)
{
  return a_length == b_length && memcmp (a, b, a_length) == 0;
}

static gboolean
is_birth_date (const EimzaNewPinRules *rules,
               const char             *pin,
               gsize                   length)
{
  for (guint i = 0; i < rules->n_birth_dates; i++)
    {
      const GDate *date = &rules->birth_dates[i];
      char long_form[16];
      char short_form[16];

      /* A birth date is not a secret; the PIN is never copied. */
      g_snprintf (long_form, sizeof long_form, "%02u%02u%04u", (guint) g_date_get_day (date),
                  (guint) g_date_get_month (date), (guint) g_date_get_year (date));
      g_snprintf (short_form, sizeof short_form, "%02u%02u%02u", (guint) g_date_get_day (date),
                  (guint) g_date_get_month (date), (guint) g_date_get_year (date) % 100);

      if (equals (pin, length, long_form, strlen (long_form)) ||
          equals (pin, length, short_form, strlen (short_form)))
        return TRUE;
    }

  return FALSE;
}

static void
set_length_error (const EimzaNewPinRules  *rules,
                  GError                 **error)
{
  if (rules->min_length == rules->max_length)
    g_set_error (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_LENGTH,
                 g_dngettext (GETTEXT_PACKAGE, "The new PIN must have %u digit.",
                              "The new PIN must have %u digits.", rules->min_length),
                 rules->min_length);
  else if (rules->max_length == 0)
    g_set_error (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_LENGTH,
                 g_dngettext (GETTEXT_PACKAGE, "The new PIN must have at least %u digit.",
                              "The new PIN must have at least %u digits.", rules->min_length),
                 rules->min_length);
  else
    g_set_error (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_LENGTH,
                 _("The new PIN must have %u to %u digits."),
                 rules->min_length, rules->max_length);
}

gboolean
eimza_new_pin_check (const EimzaNewPinRules  *rules,
                     const char              *new_pin,
                     gsize                    new_length,
                     const char              *repeat,
                     gsize                    repeat_length,
                     const char              *current_pin,
                     gsize                    current_length,
                     GError                 **error)
{
  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (new_pin != NULL || new_length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (new_length == 0)
    {
      g_set_error_literal (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_EMPTY,
                           _("Enter the new PIN."));
      return FALSE;
    }

  if (!is_ascii_digits (new_pin, new_length))
    {
      g_set_error_literal (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_NOT_DIGITS,
                           _("Use only digits in the new PIN."));
      return FALSE;
    }

  if (new_length < rules->min_length || (rules->max_length > 0 && new_length > rules->max_length))
    {
      set_length_error (rules, error);
      return FALSE;
    }

  if (new_length > 1 && is_one_digit_repeated (new_pin, new_length))
    {
      g_set_error_literal (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_REPEATED,
                           _("One digit repeated (such as 111111) is too easy to guess. "
                             "Choose another PIN."));
      return FALSE;
    }

  if (new_length > 2 && (is_run (new_pin, new_length, 1) || is_run (new_pin, new_length, -1)))
    {
      g_set_error_literal (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_SEQUENCE,
                           _("Digits in a row (such as 123456 or 654321) are too easy to guess. "
                             "Choose another PIN."));
      return FALSE;
    }

  if (is_birth_date (rules, new_pin, new_length))
    {
      g_set_error_literal (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_BIRTH_DATE,
                           _("A birth date is too easy to guess. Choose another PIN."));
      return FALSE;
    }

  if (current_pin != NULL && equals (new_pin, new_length, current_pin, current_length))
    {
      g_set_error_literal (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_SAME_AS_CURRENT,
                           _("The new PIN is the same as the current one. Choose another PIN."));
      return FALSE;
    }

  if (repeat != NULL && !equals (new_pin, new_length, repeat, repeat_length))
    {
      g_set_error_literal (error, EIMZA_NEW_PIN_ERROR, EIMZA_NEW_PIN_ERROR_MISMATCH,
                           _("The two new PINs differ. Type the same new PIN twice."));
      return FALSE;
    }

  return TRUE;
}
