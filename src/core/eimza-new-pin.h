/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rules a new card PIN must follow: the card's length, digits only, nothing easy to guess. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EIMZA_NEW_PIN_ERROR (eimza_new_pin_error_quark ())

/**
 * EimzaNewPinError:
 * @EIMZA_NEW_PIN_ERROR_EMPTY: no new PIN was typed.
 * @EIMZA_NEW_PIN_ERROR_NOT_DIGITS: something other than ASCII digits.
 * @EIMZA_NEW_PIN_ERROR_LENGTH: shorter or longer than the card allows.
 * @EIMZA_NEW_PIN_ERROR_REPEATED: one digit repeated (111111).
 * @EIMZA_NEW_PIN_ERROR_SEQUENCE: a run up or down (123456, 654321, 890123).
 * @EIMZA_NEW_PIN_ERROR_BIRTH_DATE: a known birth date (ddmmyy, ddmmyyyy).
 * @EIMZA_NEW_PIN_ERROR_SAME_AS_CURRENT: the new PIN is the current one.
 * @EIMZA_NEW_PIN_ERROR_MISMATCH: the repetition differs from the new PIN.
 *
 * Why a new PIN was refused, in the order the checks run. Each error
 * carries a translated message for people.
 */
typedef enum {
  EIMZA_NEW_PIN_ERROR_EMPTY,
  EIMZA_NEW_PIN_ERROR_NOT_DIGITS,
  EIMZA_NEW_PIN_ERROR_LENGTH,
  EIMZA_NEW_PIN_ERROR_REPEATED,
  EIMZA_NEW_PIN_ERROR_SEQUENCE,
  EIMZA_NEW_PIN_ERROR_BIRTH_DATE,
  EIMZA_NEW_PIN_ERROR_SAME_AS_CURRENT,
  EIMZA_NEW_PIN_ERROR_MISMATCH,
} EimzaNewPinError;

GQuark eimza_new_pin_error_quark (void);

/* A Kamu SM (AKİS) card's PIN: what applies when the card declares no
 * length limits. */
#define EIMZA_NEW_PIN_DEFAULT_LENGTH 6
/* How many birth dates the rules can hold (the demo's person, the one
 * typed on the sign-in page…). */
#define EIMZA_NEW_PIN_MAX_BIRTH_DATES 4

/**
 * EimzaNewPinRules:
 * @min_length: the fewest digits (never 0 after eimza_new_pin_rules_init()).
 * @max_length: the most digits (0: no limit).
 * @birth_dates: birth dates the application knows of the card's holder.
 * @n_birth_dates: how many of @birth_dates are set.
 *
 * A plain value: copy it with `=`.
 */
typedef struct {
  guint min_length;
  guint max_length;
  GDate birth_dates[EIMZA_NEW_PIN_MAX_BIRTH_DATES];
  guint n_birth_dates;
} EimzaNewPinRules;

/* The limits the card declares (its ulMinPinLen and ulMaxPinLen; 0 for
 * none). A card that declares neither gets Kamu SM's 6 digits. */
void     eimza_new_pin_rules_init            (EimzaNewPinRules *rules,
                                              guint             card_min_length,
                                              guint             card_max_length);
/* Adds @date (ignored when invalid, already there, or when the rules are
 * full). */
void     eimza_new_pin_rules_add_birth_date  (EimzaNewPinRules *rules,
                                              const GDate      *date);

/* Whether the @new_length bytes at @new_pin make a good new PIN under
 * @rules: digits only, of the card's length, not one digit repeated, not
 * a run up or down, not a known birth date as ddmmyy or ddmmyyyy, not
 * @current_pin (nullable: not compared), and, when @repeat is not %NULL,
 * the same as @repeat. Pure: nothing is copied, kept or logged. */
gboolean eimza_new_pin_check                 (const EimzaNewPinRules *rules,
                                              const char             *new_pin,
                                              gsize                   new_length,
                                              const char             *repeat,
                                              gsize                   repeat_length,
                                              const char             *current_pin,
                                              gsize                   current_length,
                                              GError                **error);

G_END_DECLS
