/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Validators for what a person types into the login and application pages. */
#pragma once

#include <glib.h>

#include "eimza-geo.h"

G_BEGIN_DECLS

#define EIMZA_VALIDATION_ERROR (eimza_validation_error_quark ())

/**
 * EimzaValidationError:
 * @EIMZA_VALIDATION_ERROR_EMPTY: a required value is missing.
 * @EIMZA_VALIDATION_ERROR_LENGTH: too short or too long.
 * @EIMZA_VALIDATION_ERROR_NOT_DIGITS: a number contains something else.
 * @EIMZA_VALIDATION_ERROR_LEADING_ZERO: a T.C. Kimlik No starts with 0.
 * @EIMZA_VALIDATION_ERROR_CHECKSUM: a T.C. Kimlik No check digit is wrong.
 * @EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS: letters expected, other found.
 * @EIMZA_VALIDATION_ERROR_NOT_A_DATE: not a dd.mm.yyyy calendar date.
 * @EIMZA_VALIDATION_ERROR_IN_FUTURE: a birth date after today.
 * @EIMZA_VALIDATION_ERROR_TOO_YOUNG: the person is under 18.
 * @EIMZA_VALIDATION_ERROR_TOO_OLD: a birth date more than 130 years ago.
 * @EIMZA_VALIDATION_ERROR_FORMAT: malformed e-mail, phone or postal code.
 * @EIMZA_VALIDATION_ERROR_NOT_MOBILE: a phone number that is not a Turkish mobile.
 * @EIMZA_VALIDATION_ERROR_WRONG_PLACE: a postal code of another province or district.
 *
 * Why a value was refused. Every error also carries a short translated
 * message that the UI shows next to the field.
 */
typedef enum {
  EIMZA_VALIDATION_ERROR_EMPTY,
  EIMZA_VALIDATION_ERROR_LENGTH,
  EIMZA_VALIDATION_ERROR_NOT_DIGITS,
  EIMZA_VALIDATION_ERROR_LEADING_ZERO,
  EIMZA_VALIDATION_ERROR_CHECKSUM,
  EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS,
  EIMZA_VALIDATION_ERROR_NOT_A_DATE,
  EIMZA_VALIDATION_ERROR_IN_FUTURE,
  EIMZA_VALIDATION_ERROR_TOO_YOUNG,
  EIMZA_VALIDATION_ERROR_TOO_OLD,
  EIMZA_VALIDATION_ERROR_FORMAT,
  EIMZA_VALIDATION_ERROR_NOT_MOBILE,
  EIMZA_VALIDATION_ERROR_WRONG_PLACE,
} EimzaValidationError;

GQuark   eimza_validation_error_quark   (void);

/* All validators ignore leading and trailing white space in @text.
 * @text may be NULL, which counts as empty. */

/* T.C. Kimlik No: 11 ASCII digits, first not 0, both check digits right. */
gboolean eimza_tckn_validate            (const char  *text,
                                         GError     **error);
/* The 11-digit number whose first nine digits are @first_nine (nine ASCII
 * digits, first not 0), or NULL if @first_nine is not such a string. */
char    *eimza_tckn_complete            (const char  *first_nine);

/* Ad, Soyad, Doğum Yeri: letters (Turkish included), single spaces between
 * words, and an apostrophe, hyphen or dot inside a word; 1 to 50 characters. */
gboolean eimza_person_name_validate     (const char  *text,
                                         GError     **error);

/* Birth date typed as dd.mm.yyyy (d.m.yyyy accepted). @today may be NULL
 * for the current local date. On success @out_date (may be NULL) is set. */
gboolean eimza_birth_date_parse         (const char  *text,
                                         const GDate *today,
                                         GDate       *out_date,
                                         GError     **error);

/* Turkish mobile: 5XX XXX XX XX, optionally written with +90 or 0 in front
 * and spaces, dashes or parentheses. @out_digits (may be NULL) gets the ten
 * digits, starting with 5. */
gboolean eimza_mobile_phone_parse       (const char  *text,
                                         char       **out_digits,
                                         GError     **error);
/* Turkish landline (work, home): a 3-digit area code starting with 2, 3 or 4,
 * or 850, then 7 digits; same separators and prefixes as above. */
gboolean eimza_landline_phone_parse     (const char  *text,
                                         char       **out_digits,
                                         GError     **error);
/* "5321234567" -> "532 123 45 67"; any other input is returned copied. */
char    *eimza_phone_format             (const char  *ten_digits);
/* Dahili (extension): 1 to 6 digits. */
gboolean eimza_phone_extension_validate (const char  *text,
                                         GError     **error);

gboolean eimza_email_validate           (const char  *text,
                                         GError     **error);

/* Posta Kodu: exactly five digits, and one of the codes of @district_name in
 * the province with @plate_code. When the code exists elsewhere the message
 * names the place it belongs to. */
gboolean eimza_postal_code_validate     (EimzaGeo    *geo,
                                         const char  *text,
                                         const char  *plate_code,
                                         const char  *district_name,
                                         GError     **error);

/* Güvenlik Sözcüğü: 4 to 20 letters or digits, no spaces. */
gboolean eimza_security_word_validate   (const char  *text,
                                         GError     **error);

/* Any other required free text (unit, title, address): non-empty after
 * trimming and at most @max_chars characters. */
gboolean eimza_required_text_validate   (const char  *text,
                                         guint        max_chars,
                                         GError     **error);

G_END_DECLS
