/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the province, district and postal code tables and their parser. */
#include "config.h"

#include <string.h>

#include "eimza-geo.h"

/* A small valid file: comments, an empty line, no final newline. */
static const char mini_data[] =
  "# comment\n"
  "P\t06\tAnkara\n"
  "\tÇankaya\t06420,06450\n"
  "\tKeçiören\t06010\n"
  "\n"
  "P\t34\tİstanbul\n"
  "\tKadıköy\t34710\n"
  "\tŞile\t34980,34983";

static EimzaGeo *
geo_from_string (const char  *data,
                 gsize        len,
                 GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  return eimza_geo_new_from_bytes (bytes, error);
}

static guint
find_province (EimzaGeo   *geo,
               const char *plate)
{
  guint province = G_MAXUINT;

  g_assert_true (eimza_geo_find_province (geo, plate, &province));
  return province;
}

/* Turkish alphabetical order as the data uses it (ICU's "tr" collation, by
 * which the generator sorts), for the characters that occur in the names:
 * space, then digits, then the 29 letters with I/ı and İ/i kept apart. */
static int
turkish_rank (gunichar c)
{
  static const char alphabet[] = "abcçdefgğhıijklmnoöprsştuüvyz";
  const char *p;
  int rank = 11;

  if (c == ' ')
    return 0;
  if (c >= '0' && c <= '9')
    return 1 + (int) (c - '0');
  if (c == 'I')
    c = 0x131;
  else if (c == 0x130)
    c = 'i';
  else
    c = g_unichar_tolower (c);

  for (p = alphabet; *p != '\0'; p = g_utf8_next_char (p), rank++)
    if (g_utf8_get_char (p) == c)
      return rank;

  g_assert_not_reached ();
}

static int
turkish_compare (const char *a,
                 const char *b)
{
  while (*a != '\0' && *b != '\0')
    {
      int diff = turkish_rank (g_utf8_get_char (a)) - turkish_rank (g_utf8_get_char (b));

      if (diff != 0)
        return diff;
      a = g_utf8_next_char (a);
      b = g_utf8_next_char (b);
    }
  return (*a != '\0') - (*b != '\0');
}

static void
test_province_count (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();

  g_assert_nonnull (geo);
  g_assert_cmpuint (eimza_geo_get_n_provinces (geo), ==, 81);
}

static void
test_district_count (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();
  guint total = 0;

  for (guint p = 0; p < eimza_geo_get_n_provinces (geo); p++)
    {
      g_assert_cmpuint (eimza_geo_get_n_districts (geo, p), >, 0);
      total += eimza_geo_get_n_districts (geo, p);
    }
  g_assert_cmpuint (total, ==, 973);
  /* Metropolitan İstanbul and Ankara, from the official lists. */
  g_assert_cmpuint (eimza_geo_get_n_districts (geo, find_province (geo, "34")), ==, 39);
  g_assert_cmpuint (eimza_geo_get_n_districts (geo, find_province (geo, "06")), ==, 25);
}

static void
test_plate_codes (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();
  gboolean seen[82] = { FALSE, };

  for (guint p = 0; p < eimza_geo_get_n_provinces (geo); p++)
    {
      const char *plate = eimza_geo_get_province_plate (geo, p);
      guint64 number = 0;

      g_assert_cmpuint (strlen (plate), ==, 2);
      g_assert_true (g_ascii_string_to_unsigned (plate, 10, 1, 81, &number, NULL));
      g_assert_false (seen[number]);
      seen[number] = TRUE;
      g_assert_cmpuint (find_province (geo, plate), ==, p);
    }
  for (guint i = 1; i <= 81; i++)
    g_assert_true (seen[i]);
}

static void
test_postal_codes (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();
  guint total = 0;

  for (guint p = 0; p < eimza_geo_get_n_provinces (geo); p++)
    {
      const char *plate = eimza_geo_get_province_plate (geo, p);

      for (guint d = 0; d < eimza_geo_get_n_districts (geo, p); d++)
        {
          const char * const *codes = eimza_geo_get_postal_codes (geo, p, d);

          g_assert_nonnull (codes);
          g_assert_nonnull (codes[0]);
          for (guint i = 0; codes[i] != NULL; i++)
            {
              guint lp = G_MAXUINT;
              guint ld = G_MAXUINT;

              g_assert_cmpuint (strlen (codes[i]), ==, 5);
              for (guint j = 0; j < 5; j++)
                g_assert_true (g_ascii_isdigit (codes[i][j]));
              g_assert_cmpmem (codes[i], 2, plate, 2);
              if (i > 0)
                g_assert_cmpstr (codes[i - 1], <, codes[i]);

              /* No code is shared by two districts in the real data, so
               * each one leads back to where it was listed. */
              g_assert_true (eimza_geo_locate_postal_code (geo, codes[i], &lp, &ld));
              g_assert_cmpuint (lp, ==, p);
              g_assert_cmpuint (ld, ==, d);
              total++;
            }
        }
    }
  g_test_message ("%u postal codes", total);
}

static void
test_names (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();
  guint ankara = find_province (geo, "06");
  guint istanbul = find_province (geo, "34");
  guint district = G_MAXUINT;

  g_assert_cmpstr (eimza_geo_get_province_name (geo, ankara), ==, "Ankara");
  g_assert_cmpstr (eimza_geo_get_province_name (geo, istanbul), ==, "İstanbul");
  g_assert_cmpstr (eimza_geo_get_province_name (geo, find_province (geo, "04")), ==, "Ağrı");
  g_assert_cmpstr (eimza_geo_get_province_name (geo, find_province (geo, "35")), ==, "İzmir");
  g_assert_cmpstr (eimza_geo_get_province_name (geo, find_province (geo, "63")), ==, "Şanlıurfa");
  g_assert_cmpstr (eimza_geo_get_province_name (geo, find_province (geo, "76")), ==, "Iğdır");
  g_assert_cmpstr (eimza_geo_get_province_name (geo, find_province (geo, "81")), ==, "Düzce");

  g_assert_true (eimza_geo_find_district (geo, ankara, "Çankaya", &district));
  g_assert_cmpstr (eimza_geo_get_district_name (geo, ankara, district), ==, "Çankaya");
  g_assert_true (eimza_geo_find_district (geo, istanbul, "Kadıköy", &district));
  g_assert_cmpstr (eimza_geo_get_district_name (geo, istanbul, district), ==, "Kadıköy");
  g_assert_true (eimza_geo_find_district (geo, istanbul, "Şile", NULL));
  g_assert_true (eimza_geo_find_district (geo, istanbul, "Üsküdar", NULL));

  /* Names must match exactly, as they come from the district list. */
  g_assert_false (eimza_geo_find_district (geo, ankara, "Cankaya", NULL));
  g_assert_false (eimza_geo_find_district (geo, ankara, "çankaya", NULL));
  g_assert_false (eimza_geo_find_district (geo, ankara, "ÇANKAYA", NULL));
  g_assert_false (eimza_geo_find_district (geo, ankara, "Çankaya ", NULL));
  g_assert_false (eimza_geo_find_district (geo, ankara, "Kadıköy", NULL));
  g_assert_false (eimza_geo_find_district (geo, ankara, "", NULL));
  g_assert_false (eimza_geo_find_district (geo, ankara, NULL, NULL));
}

/* Exact comparison only works if every name uses one Unicode form. */
static void
test_names_normalized (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();

  for (guint p = 0; p < eimza_geo_get_n_provinces (geo); p++)
    {
      const char *name = eimza_geo_get_province_name (geo, p);
      g_autofree char *nfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);

      g_assert_cmpstr (name, ==, nfc);
      for (guint d = 0; d < eimza_geo_get_n_districts (geo, p); d++)
        {
          g_autofree char *dnfc = NULL;

          name = eimza_geo_get_district_name (geo, p, d);
          dnfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);
          g_assert_cmpstr (name, ==, dnfc);
        }
    }
}

static void
test_order (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();
  guint n = eimza_geo_get_n_provinces (geo);
  guint istanbul = find_province (geo, "34");
  guint kadikoy = G_MAXUINT;
  guint kagithane = G_MAXUINT;
  guint sile = G_MAXUINT;
  guint sisli = G_MAXUINT;
  guint tuzla = G_MAXUINT;

  g_assert_cmpstr (eimza_geo_get_province_name (geo, 0), ==, "Adana");
  g_assert_cmpstr (eimza_geo_get_province_name (geo, n - 1), ==, "Zonguldak");
  /* Ç after C, Ğ after G, I (dotless) before İ, Ş after S. */
  g_assert_cmpuint (find_province (geo, "16"), <, find_province (geo, "17"));  /* Bursa, Çanakkale */
  g_assert_cmpuint (find_province (geo, "17"), <, find_province (geo, "18"));  /* Çanakkale, Çankırı */
  g_assert_cmpuint (find_province (geo, "19"), <, find_province (geo, "20"));  /* Çorum, Denizli */
  g_assert_cmpuint (find_province (geo, "76"), <, find_province (geo, "32"));  /* Iğdır, Isparta */
  g_assert_cmpuint (find_province (geo, "32"), <, find_province (geo, "34"));  /* Isparta, İstanbul */
  g_assert_cmpuint (find_province (geo, "34"), <, find_province (geo, "35"));  /* İstanbul, İzmir */
  g_assert_cmpuint (find_province (geo, "40"), <, find_province (geo, "79"));  /* Kırşehir, Kilis */
  g_assert_cmpuint (find_province (geo, "58"), <, find_province (geo, "63"));  /* Sivas, Şanlıurfa */
  g_assert_cmpuint (find_province (geo, "73"), <, find_province (geo, "59"));  /* Şırnak, Tekirdağ */

  g_assert_true (eimza_geo_find_district (geo, istanbul, "Kadıköy", &kadikoy));
  g_assert_true (eimza_geo_find_district (geo, istanbul, "Kağıthane", &kagithane));
  g_assert_true (eimza_geo_find_district (geo, istanbul, "Şile", &sile));
  g_assert_true (eimza_geo_find_district (geo, istanbul, "Şişli", &sisli));
  g_assert_true (eimza_geo_find_district (geo, istanbul, "Tuzla", &tuzla));
  g_assert_cmpuint (kadikoy + 1, ==, kagithane);
  g_assert_cmpuint (sile + 1, ==, sisli);
  g_assert_cmpuint (sisli + 1, ==, tuzla);
  g_assert_cmpstr (eimza_geo_get_district_name (geo, istanbul, 0), ==, "Adalar");
  g_assert_cmpstr (eimza_geo_get_district_name (geo, istanbul, 38), ==, "Zeytinburnu");

  /* And every neighbouring pair, by the Turkish alphabet. */
  for (guint p = 0; p < n; p++)
    {
      if (p > 0)
        g_assert_cmpint (turkish_compare (eimza_geo_get_province_name (geo, p - 1),
                                          eimza_geo_get_province_name (geo, p)), <, 0);
      for (guint d = 1; d < eimza_geo_get_n_districts (geo, p); d++)
        g_assert_cmpint (turkish_compare (eimza_geo_get_district_name (geo, p, d - 1),
                                          eimza_geo_get_district_name (geo, p, d)), <, 0);
    }
}

static void
test_find_province (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();
  const char *unknown[] = { "", "6", "00", "82", "99", "6a", "060", " 06", "06 ", "٠٦" };
  guint province = G_MAXUINT;

  g_assert_true (eimza_geo_find_province (geo, "01", &province));
  g_assert_cmpstr (eimza_geo_get_province_name (geo, province), ==, "Adana");
  g_assert_true (eimza_geo_find_province (geo, "06", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_false (eimza_geo_find_province (geo, unknown[i], &province));
  g_assert_false (eimza_geo_find_province (geo, NULL, &province));
}

static void
test_locate (void)
{
  EimzaGeo *geo = eimza_geo_get_default ();
  const char *unknown[] = { "99999", "00000", "06000", "0642", "064200", "06a20", "", " 06420" };
  guint province = G_MAXUINT;
  guint district = G_MAXUINT;

  g_assert_true (eimza_geo_locate_postal_code (geo, "06420", &province, &district));
  g_assert_cmpstr (eimza_geo_get_province_name (geo, province), ==, "Ankara");
  g_assert_cmpstr (eimza_geo_get_district_name (geo, province, district), ==, "Çankaya");

  g_assert_true (eimza_geo_locate_postal_code (geo, "34710", &province, &district));
  g_assert_cmpstr (eimza_geo_get_province_name (geo, province), ==, "İstanbul");
  g_assert_cmpstr (eimza_geo_get_district_name (geo, province, district), ==, "Kadıköy");

  g_assert_true (eimza_geo_locate_postal_code (geo, "34980", &province, &district));
  g_assert_cmpstr (eimza_geo_get_district_name (geo, province, district), ==, "Şile");

  g_assert_true (eimza_geo_locate_postal_code (geo, "06010", NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_false (eimza_geo_locate_postal_code (geo, unknown[i], &province, &district));
  g_assert_false (eimza_geo_locate_postal_code (geo, NULL, &province, &district));
}

static gpointer
get_default_thread (gpointer data)
{
  return eimza_geo_get_default ();
}

/* Registered first, and not in a sub-suite (GTest runs those after the
 * plain cases), so that the threads race for the first load. */
static void
test_default_threads (void)
{
  GThread *threads[8];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("geo", get_default_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (g_thread_join (threads[i]) == eimza_geo_get_default ());
}

static void
test_mini (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaGeo) geo = geo_from_string (mini_data, sizeof mini_data - 1, &error);
  const char * const *codes;
  guint province = G_MAXUINT;
  guint district = G_MAXUINT;

  g_assert_no_error (error);
  g_assert_nonnull (geo);
  g_assert_true (geo != eimza_geo_get_default ());

  g_assert_cmpuint (eimza_geo_get_n_provinces (geo), ==, 2);
  g_assert_cmpstr (eimza_geo_get_province_plate (geo, 0), ==, "06");
  g_assert_cmpstr (eimza_geo_get_province_name (geo, 1), ==, "İstanbul");
  g_assert_cmpuint (eimza_geo_get_n_districts (geo, 0), ==, 2);
  g_assert_cmpuint (eimza_geo_get_n_districts (geo, 1), ==, 2);
  g_assert_cmpstr (eimza_geo_get_district_name (geo, 0, 1), ==, "Keçiören");
  g_assert_cmpstr (eimza_geo_get_district_name (geo, 1, 1), ==, "Şile");

  codes = eimza_geo_get_postal_codes (geo, 0, 0);
  g_assert_cmpuint (g_strv_length ((char **) codes), ==, 2);
  g_assert_cmpstr (codes[0], ==, "06420");
  g_assert_cmpstr (codes[1], ==, "06450");
  codes = eimza_geo_get_postal_codes (geo, 1, 1);
  g_assert_cmpuint (g_strv_length ((char **) codes), ==, 2);
  g_assert_cmpstr (codes[1], ==, "34983");

  g_assert_true (eimza_geo_find_province (geo, "34", &province));
  g_assert_cmpuint (province, ==, 1);
  g_assert_false (eimza_geo_find_province (geo, "01", NULL));
  g_assert_true (eimza_geo_find_district (geo, 1, "Kadıköy", &district));
  g_assert_cmpuint (district, ==, 0);

  g_assert_true (eimza_geo_locate_postal_code (geo, "34983", &province, &district));
  g_assert_cmpuint (province, ==, 1);
  g_assert_cmpuint (district, ==, 1);
  g_assert_true (eimza_geo_locate_postal_code (geo, "06010", &province, &district));
  g_assert_cmpuint (province, ==, 0);
  g_assert_cmpuint (district, ==, 1);
  g_assert_false (eimza_geo_locate_postal_code (geo, "06460", NULL, NULL));
}

/* A code listed in several districts is located in the first one. */
static void
test_shared_code (void)
{
  static const char data[] =
    "P\t06\tAnkara\n"
    "\tB\t06002,06005\n"
    "\tA\t06001,06005\n"
    "\tC\t06005\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaGeo) geo = geo_from_string (data, sizeof data - 1, &error);
  guint province = G_MAXUINT;
  guint district = G_MAXUINT;

  g_assert_no_error (error);
  g_assert_true (eimza_geo_locate_postal_code (geo, "06005", &province, &district));
  g_assert_cmpuint (province, ==, 0);
  g_assert_cmpuint (district, ==, 0);
  g_assert_true (eimza_geo_locate_postal_code (geo, "06001", &province, &district));
  g_assert_cmpuint (district, ==, 1);
}

static const char nul_in_name[] = "P\t06\tAnkara\n\tÇan\0kaya\t06420\n";

typedef struct {
  const char *name;
  const char *data;
  /* Bytes of @data, for data with a NUL inside; 0 for strlen(). */
  gsize len;
  guint line;
} Malformed;

static const Malformed malformed[] = {
  { "empty", "", 0, 1 },
  { "only-comments", "# nothing\n# here\n", 0, 2 },
  { "district-first", "\tÇankaya\t06420\n", 0, 1 },
  { "unknown-line", "P\t06\tAnkara\n\tÇankaya\t06420\nX\t1\n", 0, 3 },
  { "space-indent", "P\t06\tAnkara\n  Çankaya\t06420\n", 0, 2 },
  { "province-two-fields", "P\t06\n\tÇankaya\t06420\n", 0, 1 },
  { "province-four-fields", "P\t06\tAnkara\tTR\n\tÇankaya\t06420\n", 0, 1 },
  { "province-tag", "PR\t06\tAnkara\n\tÇankaya\t06420\n", 0, 1 },
  { "plate-one-digit", "P\t6\tAnkara\n\tÇankaya\t06420\n", 0, 1 },
  { "plate-three-digits", "P\t006\tAnkara\n\tÇankaya\t06420\n", 0, 1 },
  { "plate-letters", "P\t0a\tAnkara\n\tÇankaya\t06420\n", 0, 1 },
  { "plate-zero", "P\t00\tAnkara\n\tÇankaya\t00420\n", 0, 1 },
  { "plate-twice", "P\t06\tAnkara\n\tÇankaya\t06420\nP\t06\tAnkara\n\tAkyurt\t06750\n", 0, 3 },
  { "province-no-name", "P\t06\t\n\tÇankaya\t06420\n", 0, 1 },
  { "province-no-districts", "P\t06\tAnkara\nP\t34\tİstanbul\n\tKadıköy\t34710\n", 0, 2 },
  { "province-no-districts-at-end", "P\t06\tAnkara\n\tÇankaya\t06420\nP\t34\tİstanbul\n", 0, 3 },
  { "district-two-fields", "P\t06\tAnkara\n\tÇankaya\n", 0, 2 },
  { "district-four-fields", "P\t06\tAnkara\n\tÇankaya\t06420\tx\n", 0, 2 },
  { "district-no-name", "P\t06\tAnkara\n\t\t06420\n", 0, 2 },
  { "district-twice", "P\t06\tAnkara\n\tÇankaya\t06420\n\tÇankaya\t06450\n", 0, 3 },
  { "invalid-utf8", "P\t06\tAnkara\n\tÇ\xffnkaya\t06420\n", 0, 2 },
  { "nul-in-name", nul_in_name, sizeof nul_in_name - 1, 2 },
  { "crlf", "P\t06\tAnkara\r\n\tÇankaya\t06420\r\n", 0, 1 },
  { "no-codes", "P\t06\tAnkara\n\tÇankaya\t\n", 0, 2 },
  { "code-four-digits", "P\t06\tAnkara\n\tÇankaya\t0642\n", 0, 2 },
  { "code-six-digits", "P\t06\tAnkara\n\tÇankaya\t064200\n", 0, 2 },
  { "code-letters", "P\t06\tAnkara\n\tÇankaya\t0642a\n", 0, 2 },
  { "code-space", "P\t06\tAnkara\n\tÇankaya\t06420, 06450\n", 0, 2 },
  { "code-leading-comma", "P\t06\tAnkara\n\tÇankaya\t,06420\n", 0, 2 },
  { "code-trailing-comma", "P\t06\tAnkara\n\tÇankaya\t06420,\n", 0, 2 },
  { "code-other-province", "P\t06\tAnkara\n\tÇankaya\t06420\n\tKadıköy\t34710\n", 0, 3 },
  { "codes-unsorted", "P\t06\tAnkara\n\tÇankaya\t06450,06420\n", 0, 2 },
  { "codes-twice", "P\t06\tAnkara\n\tÇankaya\t06420,06420\n", 0, 2 },
};

static void
test_malformed (gconstpointer data)
{
  const Malformed *m = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaGeo) geo = NULL;
  g_autofree char *where = g_strdup_printf ("line %u:", m->line);

  geo = geo_from_string (m->data, m->len != 0 ? m->len : strlen (m->data), &error);
  g_assert_null (geo);
  g_assert_error (error, EIMZA_GEO_ERROR, EIMZA_GEO_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, where));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/geo/default-threads", test_default_threads);
  g_test_add_func ("/core/geo/province-count", test_province_count);
  g_test_add_func ("/core/geo/district-count", test_district_count);
  g_test_add_func ("/core/geo/plate-codes", test_plate_codes);
  g_test_add_func ("/core/geo/postal-codes", test_postal_codes);
  g_test_add_func ("/core/geo/names", test_names);
  g_test_add_func ("/core/geo/names-normalized", test_names_normalized);
  g_test_add_func ("/core/geo/order", test_order);
  g_test_add_func ("/core/geo/find-province", test_find_province);
  g_test_add_func ("/core/geo/locate", test_locate);
  g_test_add_func ("/core/geo/parse/mini", test_mini);
  g_test_add_func ("/core/geo/parse/shared-code", test_shared_code);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/geo/parse/malformed/%s",
                                               malformed[i].name);

      g_test_add_data_func (path, &malformed[i], test_malformed);
    }

  return g_test_run ();
}
