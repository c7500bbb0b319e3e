/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The verification codes Kamu SM's sites show ("K7QM-4XTP"), as a person types them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Letters and digits in a code, without the hyphen. */
#define EIMZA_SITE_CODE_LENGTH 8

/**
 * EimzaSiteCodeVerdict:
 * @EIMZA_SITE_CODE_EMPTY: nothing typed yet (separators only, or nothing).
 * @EIMZA_SITE_CODE_INCOMPLETE: letters and digits, fewer than a code has.
 * @EIMZA_SITE_CODE_VALID: a whole code.
 * @EIMZA_SITE_CODE_BAD_CHARACTER: something that is neither a letter or
 *   digit of a code nor a separator (or not UTF-8 at all).
 * @EIMZA_SITE_CODE_TOO_LONG: more letters and digits than a code has.
 *
 * What a page says about a typed code, and whether it can go on: only
 * with %EIMZA_SITE_CODE_VALID.
 */
typedef enum {
  EIMZA_SITE_CODE_EMPTY,
  EIMZA_SITE_CODE_INCOMPLETE,
  EIMZA_SITE_CODE_VALID,
  EIMZA_SITE_CODE_BAD_CHARACTER,
  EIMZA_SITE_CODE_TOO_LONG,
} EimzaSiteCodeVerdict;

/* Judges @text (nullable: empty) as a code. Case does not matter; Turkish
 * dotted and dotless i (İ ı) count as I; spaces, tabs, no-break spaces and
 * hyphens or dashes as people paste them (U+2010 to U+2013, U+2212) only
 * separate. With %EIMZA_SITE_CODE_VALID and @out_code not %NULL,
 * @out_code gets the code in the site's form, "K7QM-4XTP"; otherwise it is
 * set to %NULL. */
EimzaSiteCodeVerdict eimza_site_code_check (const char  *text,
                                            char       **out_code);

G_END_DECLS
