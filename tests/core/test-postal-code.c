/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the Posta Kodu validator against the real district data. */
#include "config.h"

#include "eimza-validation.h"

/* Tests run with LC_ALL=C.UTF-8, so messages are the untranslated msgids. */

static void
assert_refused (const char           *text,
                const char           *plate_code,
                const char           *district_name,
                EimzaValidationError  code,
                const char           *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (eimza_postal_code_validate (eimza_geo_get_default (), text,
                                              plate_code, district_name, &error));
  g_assert_error (error, EIMZA_VALIDATION_ERROR, (int) code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
assert_accepted (const char *text,
                 const char *plate_code,
                 const char *district_name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (eimza_postal_code_validate (eimza_geo_get_default (), text,
                                             plate_code, district_name, &error));
  g_assert_no_error (error);
}

static void
test_right_place (void)
{
  assert_accepted ("06420", "06", "Çankaya");
  assert_accepted ("06810", "06", "Çankaya");
  assert_accepted ("34710", "34", "Kadıköy");
  assert_accepted ("34980", "34", "Şile");
  assert_accepted ("76002", "76", "Merkez");
  /* A NULL error is allowed too. */
  g_assert_true (eimza_postal_code_validate (eimza_geo_get_default (), "06420",
                                             "06", "Çankaya", NULL));
}

/* Every code of the data is accepted in its own district. */
static void
test_every_code (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();

  for (guint p = 0; p < eimza_geo_get_n_provinces (geo); p++)
    for (guint d = 0; d < eimza_geo_get_n_districts (geo, p); d++)
      {
        const char * const *codes = eimza_geo_get_postal_codes (geo, p, d);

        for (guint i = 0; codes[i] != NULL; i++)
          g_assert_true (eimza_postal_code_validate (geo, codes[i],
                                                     eimza_geo_get_province_plate (geo, p),
                                                     eimza_geo_get_district_name (geo, p, d),
                                                     NULL));
      }
}

static void
test_whitespace (void)
{
  assert_accepted ("  06420", "06", "Çankaya");
  assert_accepted ("06420 \t\n", "06", "Çankaya");
  assert_accepted ("\t 06420\r\n", "06", "Çankaya");
  /* No-break spaces, as pasted from a web page. */
  assert_accepted ("\xc2\xa0" "06420" "\xc2\xa0", "06", "Çankaya");
  assert_accepted ("\xe2\x80\x83" "06420", "06", "Çankaya");
}

static void
test_wrong_district (void)
{
  /* Keçiören's, in the same province. */
  assert_refused ("06010", "06", "Çankaya", EIMZA_VALIDATION_ERROR_WRONG_PLACE,
                  "This postal code belongs to Keçiören, Ankara: check the district or the code.");
  assert_refused ("34980", "34", "Kadıköy", EIMZA_VALIDATION_ERROR_WRONG_PLACE,
                  "This postal code belongs to Şile, İstanbul: check the district or the code.");
}

static void
test_wrong_province (void)
{
  assert_refused ("34710", "06", "Çankaya", EIMZA_VALIDATION_ERROR_WRONG_PLACE,
                  "This postal code belongs to Kadıköy, İstanbul: check the district or the code.");
  assert_refused ("06420", "34", "Kadıköy", EIMZA_VALIDATION_ERROR_WRONG_PLACE,
                  "This postal code belongs to Çankaya, Ankara: check the district or the code.");
  assert_refused ("  06420 ", "76", "Merkez", EIMZA_VALIDATION_ERROR_WRONG_PLACE,
                  "This postal code belongs to Çankaya, Ankara: check the district or the code.");
}

static void
test_unknown_code (void)
{
  const char *unknown[] = { "06000", "06999", "00000", "99999", "34000" };

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_assert_false (eimza_geo_locate_postal_code (eimza_geo_get_default (), unknown[i],
                                                    NULL, NULL));
      assert_refused (unknown[i], "06", "Çankaya", EIMZA_VALIDATION_ERROR_WRONG_PLACE,
                      "This postal code does not exist in the chosen district.");
    }
}

static void
test_length (void)
{
  const char *wrong[] = { "0", "0642", "064200", "0642000000", " 0642 " };

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    assert_refused (wrong[i], "06", "Çankaya", EIMZA_VALIDATION_ERROR_LENGTH,
                    "Enter all 5 digits of the postal code.");
}

static void
test_format (void)
{
  const char *wrong[] = {
    "06a20", "O6420", "06 420", "06-420", "06.420", "-6420", "+6420", "abcde",
    "0642a0", "TR-06420",
    /* Digits, but not ASCII ones: Arabic-Indic and full-width. */
    "\xd9\xa0\xd9\xa6\xd9\xa4\xd9\xa2\xd9\xa0",
    "\xef\xbc\x90\xef\xbc\x96\xef\xbc\x94\xef\xbc\x92\xef\xbc\x90",
    /* Not even UTF-8. */
    "06\xff" "20",
  };

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    assert_refused (wrong[i], "06", "Çankaya", EIMZA_VALIDATION_ERROR_FORMAT,
                    "Use only digits in the postal code.");
}

static void
test_empty (void)
{
  const char *empty[] = { NULL, "", " ", "\t\n ", "\xc2\xa0" };

  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    assert_refused (empty[i], "06", "Çankaya", EIMZA_VALIDATION_ERROR_EMPTY,
                    "Enter the postal code.");
  /* Checked before the place, which may not be chosen yet either. */
  assert_refused ("", NULL, NULL, EIMZA_VALIDATION_ERROR_EMPTY, NULL);
}

static void
test_no_place (void)
{
  const char *message = "Choose the province and the district first.";

  assert_refused ("06420", NULL, NULL, EIMZA_VALIDATION_ERROR_WRONG_PLACE, message);
  assert_refused ("06420", "06", NULL, EIMZA_VALIDATION_ERROR_WRONG_PLACE, message);
  assert_refused ("06420", NULL, "Çankaya", EIMZA_VALIDATION_ERROR_WRONG_PLACE, message);
  assert_refused ("06420", "", "", EIMZA_VALIDATION_ERROR_WRONG_PLACE, message);
  assert_refused ("06420", "00", "Çankaya", EIMZA_VALIDATION_ERROR_WRONG_PLACE, message);
  assert_refused ("06420", "82", "Çankaya", EIMZA_VALIDATION_ERROR_WRONG_PLACE, message);
  assert_refused ("06420", "6", "Çankaya", EIMZA_VALIDATION_ERROR_WRONG_PLACE, message);
  /* A district of another province, or not spelled as in the list. */
  assert_refused ("06420", "06", "Kadıköy", EIMZA_VALIDATION_ERROR_WRONG_PLACE, message);
  assert_refused ("06420", "06", "Cankaya", EIMZA_VALIDATION_ERROR_WRONG_PLACE, message);
}

/* A code that two districts share is right in either of them. */
static void
test_shared_code (void)
{
  static const char data[] =
    "P\t06\tAnkara\n"
    "\tB\t06002,06005\n"
    "\tA\t06001,06005\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data - 1);
  g_autoptr(EimzaGeo) geo = eimza_geo_new_from_bytes (bytes, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (geo);
  g_assert_true (eimza_postal_code_validate (geo, "06005", "06", "A", NULL));
  g_assert_true (eimza_postal_code_validate (geo, "06005", "06", "B", NULL));
  g_assert_false (eimza_postal_code_validate (geo, "06002", "06", "A", &error));
  g_assert_error (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_WRONG_PLACE);
  g_assert_cmpstr (error->message, ==, "This postal code belongs to B, Ankara: check the district or the code.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/postal-code/right-place", test_right_place);
  g_test_add_func ("/core/postal-code/every-code", test_every_code);
  g_test_add_func ("/core/postal-code/whitespace", test_whitespace);
  g_test_add_func ("/core/postal-code/wrong-district", test_wrong_district);
  g_test_add_func ("/core/postal-code/wrong-province", test_wrong_province);
  g_test_add_func ("/core/postal-code/unknown-code", test_unknown_code);
  g_test_add_func ("/core/postal-code/length", test_length);
  g_test_add_func ("/core/postal-code/format", test_format);
  g_test_add_func ("/core/postal-code/empty", test_empty);
  g_test_add_func ("/core/postal-code/no-place", test_no_place);
  g_test_add_func ("/core/postal-code/shared-code", test_shared_code);

  return g_test_run ();
}
