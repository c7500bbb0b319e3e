/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the one judge of typed verification codes ("K7QM-4XTP"). */
#include "config.h"

#include <glib.h>

#include "eimza-site-code.h"

static void
assert_verdict (const char           *text,
                EimzaSiteCodeVerdict  expected,
                const char           *expected_code)
{
  g_autofree char *code = NULL;
  EimzaSiteCodeVerdict verdict = eimza_site_code_check (text, &code);

  if (verdict != expected)
    g_test_message ("input: \"%s\"", text != NULL ? text : "(null)");
  g_assert_cmpint (verdict, ==, expected);
  g_assert_cmpstr (code, ==, expected_code);

  /* The code is optional, and the verdict does not depend on asking. */
  g_assert_cmpint (eimza_site_code_check (text, NULL), ==, expected);
}

static void
test_valid (void)
{
  assert_verdict ("K7QM-4XTP", EIMZA_SITE_CODE_VALID, "K7QM-4XTP");
  assert_verdict ("K7QM4XTP", EIMZA_SITE_CODE_VALID, "K7QM-4XTP");
  assert_verdict ("k7qm 4xtp", EIMZA_SITE_CODE_VALID, "K7QM-4XTP");
  assert_verdict ("  K7QM\t4XTP  ", EIMZA_SITE_CODE_VALID, "K7QM-4XTP");
  assert_verdict ("K-7-Q-M-4-X-T-P", EIMZA_SITE_CODE_VALID, "K7QM-4XTP");
}

/* Turkish keyboards: the I key gives ı, Shift+i gives İ. */
static void
test_turkish_i (void)
{
  assert_verdict ("\xc4\xb1" "7QM-4XTP", EIMZA_SITE_CODE_VALID, "I7QM-4XTP");
  assert_verdict ("\xc4\xb0" "7QM-4XTP", EIMZA_SITE_CODE_VALID, "I7QM-4XTP");
  assert_verdict ("i7QM-4XTP", EIMZA_SITE_CODE_VALID, "I7QM-4XTP");
}

/* Dashes and spaces as web pages and word processors paste them are
 * separators, never bad characters: the hint and Continue agree on them. */
static void
test_pasted_separators (void)
{
  static const char * const separators[] = {
    "\xe2\x80\x90", /* U+2010 hyphen */
    "\xe2\x80\x91", /* U+2011 non-breaking hyphen */
    "\xe2\x80\x92", /* U+2012 figure dash */
    "\xe2\x80\x93", /* U+2013 en dash */
    "\xe2\x88\x92", /* U+2212 minus sign */
    "\xc2\xa0",     /* U+00A0 no-break space */
    "\xe2\x80\xaf", /* U+202F narrow no-break space */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (separators); i++)
    {
      g_autofree char *whole = g_strconcat ("K7QM", separators[i], "4XTP", NULL);
      g_autofree char *half = g_strconcat ("K7QM", separators[i], NULL);

      assert_verdict (whole, EIMZA_SITE_CODE_VALID, "K7QM-4XTP");
      assert_verdict (half, EIMZA_SITE_CODE_INCOMPLETE, NULL);
    }
}

static void
test_empty_and_incomplete (void)
{
  assert_verdict (NULL, EIMZA_SITE_CODE_EMPTY, NULL);
  assert_verdict ("", EIMZA_SITE_CODE_EMPTY, NULL);
  assert_verdict (" - ", EIMZA_SITE_CODE_EMPTY, NULL);
  assert_verdict ("K", EIMZA_SITE_CODE_INCOMPLETE, NULL);
  assert_verdict ("K7QM-4XT", EIMZA_SITE_CODE_INCOMPLETE, NULL);
}

static void
test_too_long (void)
{
  assert_verdict ("K7QM-4XTPA", EIMZA_SITE_CODE_TOO_LONG, NULL);
  assert_verdict ("K7QM-4XTP-K7QM-4XTP", EIMZA_SITE_CODE_TOO_LONG, NULL);
}

static void
test_bad_characters (void)
{
  static const char * const vectors[] = {
    "K7QM_4XTP",
    "K7QM.4XTP",
    "K7QM/4XTP",
    "\xc5\x9e" "7QM-4XTP",               /* Ş */
    "K7QM-4XT\xc3\x96",                  /* Ö */
    "\xd9\xa1" "7QM-4XTP",               /* Arabic-Indic digit one */
    "\xef\xbc\xab" "7QM-4XTP",           /* fullwidth K */
    "\xd0\x9a" "7QM-4XTP",               /* Cyrillic К */
    "K7QM\xe2\x80\x8b" "4XTP",           /* zero-width space */
    "K7QM\xe2\x80\xae" "4XTP",           /* right-to-left override */
    "K7QM\xe2\x80\x94" "4XTP",           /* em dash: a word processor's, not a code's */
    "K7QM-4XTP\n",
    "K7QM\xff" "4XTP",                   /* not UTF-8 */
    "K7QM-4XTPAAAA!",                    /* a bad character wins over the length */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    assert_verdict (vectors[i], EIMZA_SITE_CODE_BAD_CHARACTER, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/site-code/valid", test_valid);
  g_test_add_func ("/core/site-code/turkish-i", test_turkish_i);
  g_test_add_func ("/core/site-code/pasted-separators", test_pasted_separators);
  g_test_add_func ("/core/site-code/empty-and-incomplete", test_empty_and_incomplete);
  g_test_add_func ("/core/site-code/too-long", test_too_long);
  g_test_add_func ("/core/site-code/bad-characters", test_bad_characters);

  return g_test_run ();
}
