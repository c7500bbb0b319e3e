/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for what the signing step shows of the bytes it signs. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "eimza-signed-text.h"

static char *
shown_of (const char *data,
          gsize       size,
          guint      *out_n_escaped)
{
  g_autoptr(GError) error = NULL;
  char *shown = eimza_signed_text_for_display (data, size, out_n_escaped, &error);

  g_assert_no_error (error);
  g_assert_nonnull (shown);
  g_assert_true (g_utf8_validate (shown, -1, NULL));
  return shown;
}

static void
assert_shown (const char *data,
              const char *expected,
              guint       expected_escapes)
{
  guint n_escaped = G_MAXUINT;
  g_autofree char *shown = shown_of (data, strlen (data), &n_escaped);

  g_assert_cmpstr (shown, ==, expected);
  g_assert_cmpuint (n_escaped, ==, expected_escapes);
}

static void
assert_refused (const char           *data,
                gsize                 size,
                EimzaSignedTextError  code)
{
  g_autoptr(GError) error = NULL;
  guint n_escaped = 7;

  g_assert_null (eimza_signed_text_for_display (data, size, &n_escaped, &error));
  g_assert_error (error, EIMZA_SIGNED_TEXT_ERROR, (int) code);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpuint (n_escaped, ==, 7);
  g_assert_null (eimza_signed_text_for_display (data, size, NULL, NULL));
}

/* Kamu SM's texts: Turkish letters, punctuation, line breaks, tabs. */
static void
test_plain_turkish (void)
{
  static const char text[] =
    "KAMU SM N\xc4\xb0TEL\xc4\xb0KL\xc4\xb0 ELEKTRON\xc4\xb0K SERT\xc4\xb0" "F\xc4\xb0KA\n"
    "Ad Soyad: Ay\xc5\x9f" "e G\xc3\xbcl Y\xc4\xb1lmaz\n"
    "Do\xc4\x9f" "rulama kodu:\tK7QM-4XTP\r\n"
    "Tutar: 100,00 \xe2\x82\xba \xe2\x80\x94 \xe2\x80\x9c" "onay\xe2\x80\x9d\n";

  assert_shown (text, text, 0);
}

/* The classic spoof: an override that shows "exe.txt" for "txt.exe" and
 * the isolates and embeddings like it. */
static void
test_bidi_controls_escaped (void)
{
  assert_shown ("Tutar: \xe2\x80\xae" "001\xe2\x80\xac TL",
                "Tutar: \xe2\x9f\xa8U+202E\xe2\x9f\xa9" "001\xe2\x9f\xa8U+202C\xe2\x9f\xa9 TL", 2);
  assert_shown ("a\xe2\x80\x8e" "b\xe2\x80\x8f" "c\xe2\x80\xaa" "d\xe2\x81\xa6" "e\xe2\x81\xa9",
                "a\xe2\x9f\xa8U+200E\xe2\x9f\xa9" "b\xe2\x9f\xa8U+200F\xe2\x9f\xa9"
                "c\xe2\x9f\xa8U+202A\xe2\x9f\xa9" "d\xe2\x9f\xa8U+2066\xe2\x9f\xa9"
                "e\xe2\x9f\xa8U+2069\xe2\x9f\xa9", 5);
}

static void
test_invisible_escaped (void)
{
  /* Zero-width space, joiner, word joiner, BOM, soft hyphen. */
  assert_shown ("o\xe2\x80\x8bn\xe2\x80\x8d" "a\xe2\x81\xa0y\xef\xbb\xbf!\xc2\xad",
                "o\xe2\x9f\xa8U+200B\xe2\x9f\xa9n\xe2\x9f\xa8U+200D\xe2\x9f\xa9"
                "a\xe2\x9f\xa8U+2060\xe2\x9f\xa9y\xe2\x9f\xa8U+FEFF\xe2\x9f\xa9"
                "!\xe2\x9f\xa8U+00AD\xe2\x9f\xa9", 5);
  /* Variation selector, Hangul filler, private use, unassigned, tag. */
  assert_shown ("a\xef\xb8\x8f\xe3\x85\xa4\xee\x80\x80\xcd\xb8\xf3\xa0\x80\x81",
                "a\xe2\x9f\xa8U+FE0F\xe2\x9f\xa9\xe2\x9f\xa8U+3164\xe2\x9f\xa9"
                "\xe2\x9f\xa8U+E000\xe2\x9f\xa9\xe2\x9f\xa8U+0378\xe2\x9f\xa9"
                "\xe2\x9f\xa8U+E0001\xe2\x9f\xa9", 5);
}

/* Controls other than tab and line breaks, lone CRs, and spaces and
 * separators that look like a plain space or break a line unseen. */
static void
test_controls_and_spaces_escaped (void)
{
  assert_shown ("a\x1b[8mgizli\x1b[0m\rb\x7f",
                "a\xe2\x9f\xa8U+001B\xe2\x9f\xa9[8mgizli\xe2\x9f\xa8U+001B\xe2\x9f\xa9[0m"
                "\xe2\x9f\xa8U+000D\xe2\x9f\xa9" "b\xe2\x9f\xa8U+007F\xe2\x9f\xa9", 4);
  assert_shown ("1\xc2\xa0" "000\xe2\x80\x83" "TL\xe2\x80\xa8" "x\xc2\x85",
                "1\xe2\x9f\xa8U+00A0\xe2\x9f\xa9" "000\xe2\x9f\xa8U+2003\xe2\x9f\xa9"
                "TL\xe2\x9f\xa8U+2028\xe2\x9f\xa9" "x\xe2\x9f\xa8U+0085\xe2\x9f\xa9", 4);
}

/* Right-to-left letters would reorder the digits and words beside them. */
static void
test_right_to_left_escaped (void)
{
  assert_shown ("100 \xd7\x90 200", "100 \xe2\x9f\xa8U+05D0\xe2\x9f\xa9 200", 1);
  assert_shown ("\xd8\xa8\xd9\xa1", "\xe2\x9f\xa8U+0628\xe2\x9f\xa9\xe2\x9f\xa8U+0661\xe2\x9f\xa9",
                2);
}

/* A text cannot pass for an escape: the brackets are escaped themselves,
 * so two different texts are never shown alike. */
static void
test_escape_is_unambiguous (void)
{
  g_autofree char *spoof = NULL;
  g_autofree char *real = NULL;

  assert_shown ("\xe2\x9f\xa8U+202E\xe2\x9f\xa9",
                "\xe2\x9f\xa8U+27E8\xe2\x9f\xa9U+202E\xe2\x9f\xa8U+27E9\xe2\x9f\xa9", 2);

  spoof = shown_of ("\xe2\x9f\xa8U+202E\xe2\x9f\xa9", strlen ("\xe2\x9f\xa8U+202E\xe2\x9f\xa9"),
                    NULL);
  real = shown_of ("\xe2\x80\xae", 3, NULL);
  g_assert_cmpstr (spoof, !=, real);
}

/* One or two marks on a letter are Turkish and other Latin text ("i̇");
 * a mark with no letter, or a pile of them, hides what is around it. */
static void
test_combining_marks (void)
{
  assert_shown ("i\xcc\x87", "i\xcc\x87", 0);
  assert_shown ("a\xcc\x81\xcc\x88", "a\xcc\x81\xcc\x88", 0);
  assert_shown ("a\xcc\x81\xcc\x88\xcc\x83",
                "a\xcc\x81\xcc\x88\xe2\x9f\xa8U+0303\xe2\x9f\xa9", 1);
  assert_shown ("\xcc\x81" "a", "\xe2\x9f\xa8U+0301\xe2\x9f\xa9" "a", 1);
  assert_shown ("a\n\xcc\x81", "a\n\xe2\x9f\xa8U+0301\xe2\x9f\xa9", 1);
  assert_shown ("a \xcc\x81", "a \xe2\x9f\xa8U+0301\xe2\x9f\xa9", 1);
}

static void
test_refused (void)
{
  static const char with_nul[] = "imzala\0gizli ek";
  static const char latin1[] = "Ay\xfe" "e";
  static const char cut[] = "Ay\xc5";
  static const char overlong[] = "\xc0\xaf";
  static const char surrogate[] = "\xed\xa0\x80";
  static const guint8 der[] = { 0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3 };

  assert_refused ("", 0, EIMZA_SIGNED_TEXT_ERROR_EMPTY);
  assert_refused (with_nul, sizeof with_nul - 1, EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT);
  assert_refused ("\0", 1, EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT);
  assert_refused (latin1, sizeof latin1 - 1, EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT);
  assert_refused (cut, sizeof cut - 1, EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT);
  assert_refused (overlong, sizeof overlong - 1, EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT);
  assert_refused (surrogate, sizeof surrogate - 1, EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT);
  assert_refused ((const char *) der, sizeof der, EIMZA_SIGNED_TEXT_ERROR_NOT_TEXT);
}

/* Whatever the bytes, the answer is either a refusal or valid UTF-8 with
 * no character left that the escapes are there to catch. */
static void
test_random_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240901);

  for (int n = 0; n < 2000; n++)
    {
      guint8 bytes[24];
      gsize size = g_rand_int_range (rand, 1, sizeof bytes);
      g_autofree char *shown = NULL;

      for (gsize i = 0; i < size; i++)
        {
          /* Mostly UTF-8 of awkward code points, so it is often valid. */
          static const char * const pieces[] = { "a", "\xe2\x80\xae", "\xe2\x80\x8b", "\n", "\r",
                                                 "\xd7\x90", "\xcc\x81", "\xe2\x9f\xa8" };
          const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];

          if (i + strlen (piece) > size)
            bytes[i] = (guint8) g_rand_int_range (rand, 1, 256);
          else
            {
              memcpy (bytes + i, piece, strlen (piece));
              i += strlen (piece) - 1;
            }
        }

      shown = eimza_signed_text_for_display (bytes, size, NULL, NULL);
      if (shown == NULL)
        continue;
      g_assert_true (g_utf8_validate (shown, -1, NULL));
      g_assert_null (strstr (shown, "\xe2\x80\xae"));
      g_assert_null (strstr (shown, "\xe2\x80\x8b"));
      g_assert_null (strstr (shown, "\xd7\x90"));
      for (const char *p = shown; *p != '\0'; p++)
        g_assert_true (*p != '\r' || p[1] == '\n');
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/signed-text/plain-turkish", test_plain_turkish);
  g_test_add_func ("/core/signed-text/bidi-controls-escaped", test_bidi_controls_escaped);
  g_test_add_func ("/core/signed-text/invisible-escaped", test_invisible_escaped);
  g_test_add_func ("/core/signed-text/controls-and-spaces-escaped",
                   test_controls_and_spaces_escaped);
  g_test_add_func ("/core/signed-text/right-to-left-escaped", test_right_to_left_escaped);
  g_test_add_func ("/core/signed-text/escape-is-unambiguous", test_escape_is_unambiguous);
  g_test_add_func ("/core/signed-text/combining-marks", test_combining_marks);
  g_test_add_func ("/core/signed-text/refused", test_refused);
  g_test_add_func ("/core/signed-text/random-bytes", test_random_bytes);

  return g_test_run ();
}
