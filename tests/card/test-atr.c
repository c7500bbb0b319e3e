/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of ATR parsing and card recognition (data/card/atr.tsv). */
#include "config.h"

#include <string.h>

#include "eimza-atr.h"

typedef struct {
  const char *atr;
  const char *type;  /* NULL: not recognised */
} LookupCase;

static const char *
lookup_hex (const EimzaAtrTable *table,
            const char          *hex)
{
  g_autofree guint8 *atr = NULL;
  gsize len;

  atr = eimza_atr_from_hex (hex, &len);
  g_assert_nonnull (atr);
  return eimza_atr_table_lookup (table, atr, len);
}

static void
test_default_table (void)
{
  static const LookupCase cases[] = {
    /* The examples of the two AKİS families. */
    { "3B9F968131FE45806755454B41451293318073B3A1806B", "AKİS (UEKAE)" },
    { "3B9F978131FE4580655443D3230231C073F62180810552", "AKİS (2020+)" },
    /* The same families with other interface bytes (TA1 and no TA3/TB3)
     * and other variable historical bytes: matched on the historical bytes. */
    { "3B9F118101806755454B4145AABB318073B3A18000", "AKİS (UEKAE)" },
    { "3B8F8001806755454B41450102318073B3A18000", "AKİS (UEKAE)" },
    { "3B9F968131FE4580655443000000 31C073F62180810000", "AKİS (2020+)" },
    /* vicc -t iso7816 */
    { "3B 95 13 81 01 80 73 FF 01 00 0B", "Virtual test card (vsmartcard)" },
    /* A fixed byte differs. */
    { "3B9F968131FE45806755454B41461293318073B3A1806B", NULL },
    { "3B9F978131FE4580655443D3230231C173F62180810552", NULL },
    { "3B9513810180 73FF01000C", NULL },
    /* Historical bytes too short or too long. */
    { "3B8E8001806755454B41450102318073B3A100", NULL },
    /* Other cards: a Yubikey (PIV) and a German eID. */
    { "3BFD1300008131FE158073C021C057597562694B657940", NULL },
    { "3B8A80014A434F5034315632333124", NULL },
  };
  EimzaAtrTable *table = eimza_atr_table_get_default ();

  g_assert_nonnull (table);
  g_assert_cmpuint (eimza_atr_table_get_n_entries (table), >=, 3);
  g_assert_true (table == eimza_atr_table_get_default ());

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("ATR %s", cases[i].atr);
      g_assert_cmpstr (lookup_hex (table, cases[i].atr), ==, cases[i].type);
    }

  /* Both AKİS families name Kamu SM's module; other cards none. */
  g_assert_cmpstr (eimza_atr_lookup_module_hex ("3B9F968131FE45806755454B41451293318073B3A1806B"),
                   ==, "libakisp11.so");
  g_assert_cmpstr (eimza_atr_lookup_module_hex ("3B9F978131FE4580655443D3230231C073F62180810552"),
                   ==, "libakisp11.so");
  g_assert_null (eimza_atr_lookup_module_hex ("3B951381018073FF01000B"));
  g_assert_null (eimza_atr_lookup_module_hex ("3B8A80014A434F5034315632333124"));
  g_assert_null (eimza_atr_lookup_module_hex (NULL));
}

static void
test_historical_bytes (void)
{
  static const struct {
    const char *atr;
    const char *hist;  /* NULL: malformed */
  } cases[] = {
    { "3B9F968131FE45806755454B41451293318073B3A1806B", "806755454B41451293318073B3A180" },
    { "3B951381018073FF01000B", "8073FF0100" },
    /* No interface bytes at all, T=0: no TCK. */
    { "3B0412345678", "12345678" },
    { "3F00", "" },
    /* Not TS. */
    { "3C0412345678", NULL },
    /* Truncated historical bytes, truncated interface bytes. */
    { "3B04123456", NULL },
    { "3B90", NULL },
    { "3B", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *atr = NULL;
      g_autofree char *hex = NULL;
      const guint8 *hist;
      gsize atr_len, hist_len;
      gboolean ok;

      atr = eimza_atr_from_hex (cases[i].atr, &atr_len);
      g_assert_nonnull (atr);

      ok = eimza_atr_get_historical_bytes (atr, atr_len, &hist, &hist_len);
      g_assert_cmpint (ok, ==, cases[i].hist != NULL);
      if (!ok)
        continue;

      hex = eimza_atr_to_hex (hist, hist_len);
      g_assert_cmpstr (hex, ==, cases[i].hist);
    }
}

static void
test_hex (void)
{
  static const char *const invalid[] = { "", "3", "3B 9", "3 B", "3G", "3B-95", "  " };
  g_autofree guint8 *bytes = NULL;
  g_autofree char *hex = NULL;
  gsize len;

  bytes = eimza_atr_from_hex ("3b:95 13 81", &len);
  g_assert_nonnull (bytes);
  g_assert_cmpuint (len, ==, 4);
  hex = eimza_atr_to_hex (bytes, len);
  g_assert_cmpstr (hex, ==, "3B951381");

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_null (eimza_atr_from_hex (invalid[i], &len));
      g_assert_cmpuint (len, ==, 0);
    }
}

static void
test_custom_table (void)
{
  static const char data[] =
    "# comment\r\n"
    "\n"
    "3B0412345678\tFFFFFF00FFFF\tFirst\tthe third byte is free\r\n"
    "3B0412345678\tFFFFFFFFFFFF\tSecond\tnever reached for this ATR\n"
    "hist:1234\tFF0F\tHistorical\t\n"
    "3B0255\tFFFFFF\tWith module\tits own module\tlibcard.so\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaAtrTable) table = NULL;

  table = eimza_atr_table_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (eimza_atr_table_get_n_entries (table), ==, 4);

  g_assert_cmpstr (lookup_hex (table, "3B0412995678"), ==, "First");
  g_assert_cmpstr (lookup_hex (table, "3B0412345678"), ==, "First");
  g_assert_null (lookup_hex (table, "3B0412345679"));
  g_assert_cmpstr (lookup_hex (table, "3B0212F4"), ==, "Historical");
  g_assert_null (lookup_hex (table, "3B0213F4"));
  g_assert_null (eimza_atr_table_lookup (table, NULL, 0));

  {
    static const guint8 with_module[] = { 0x3B, 0x02, 0x55 };
    static const guint8 first[] = { 0x3B, 0x04, 0x12, 0x34, 0x56, 0x78 };

    g_assert_cmpstr (eimza_atr_table_lookup_module (table, with_module, sizeof with_module),
                     ==, "libcard.so");
    g_assert_null (eimza_atr_table_lookup_module (table, first, sizeof first));
  }
}

static void
test_bad_table (void)
{
  static const char *const bad[] = {
    "3B04\n",                       /* too few fields */
    "3B04\tFFFF\t\tno name\n",      /* empty name */
    "3B0\tFFFF\tOdd\t\n",           /* odd pattern */
    "3B04\tFF\tShort mask\t\n",     /* mask of another length */
    "hist:\tFF\tEmpty\t\n",         /* empty pattern */
    "# ok\n3B04\tFFFF\t\xff\xfe\t\n", /* name not UTF-8 */
    "3B04\tFFFF\tPath\t\t/usr/lib/x.so\n", /* a module path, not a name */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bad[i], strlen (bad[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(EimzaAtrTable) table = NULL;

      table = eimza_atr_table_new_from_bytes (bytes, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_null (table);
      g_test_message ("%s", error->message);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/card/atr/default-table", test_default_table);
  g_test_add_func ("/card/atr/historical-bytes", test_historical_bytes);
  g_test_add_func ("/card/atr/hex", test_hex);
  g_test_add_func ("/card/atr/custom-table", test_custom_table);
  g_test_add_func ("/card/atr/bad-table", test_bad_table);

  return g_test_run ();
}
