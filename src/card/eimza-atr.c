/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recognising smart cards from their ATR (answer to reset). */
#include "config.h"

#include <string.h>

#include "eimza-atr.h"
#include "eimza-card-resources.h"

#define DEFAULT_RESOURCE "/io/github/eimza/Asistan/card/atr.tsv"
#define HIST_PREFIX "hist:"
/* An ATR has at most 33 bytes (ISO/IEC 7816-3). */
#define ATR_MAX 33

typedef struct {
  gboolean historical;  /* match the historical bytes, not the whole ATR */
  GBytes *pattern;
  GBytes *mask;
  char *type_name;
  char *module;         /* the card's own PKCS#11 module (file name), or NULL */
} Entry;

struct _EimzaAtrTable {
  GArray *entries;  /* of Entry */
};

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->pattern, g_bytes_unref);
  g_clear_pointer (&entry->mask, g_bytes_unref);
  g_clear_pointer (&entry->type_name, g_free);
  g_clear_pointer (&entry->module, g_free);
}

guint8 *
eimza_atr_from_hex (const char *hex,
                    gsize      *len)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  int high = -1;

  g_return_val_if_fail (hex != NULL, NULL);
  g_return_val_if_fail (len != NULL, NULL);

  *len = 0;

  for (const char *p = hex; *p != '\0'; p++)
    {
      int value;

      if (*p == ' ' || *p == ':')
        {
          /* Separators only between bytes, never inside one. */
          if (high >= 0)
            return NULL;
          continue;
        }

      value = g_ascii_xdigit_value (*p);
      if (value < 0)
        return NULL;

      if (high < 0)
        {
          high = value;
        }
      else
        {
          guint8 byte = (guint8) (high << 4 | value);

          g_byte_array_append (bytes, &byte, 1);
          high = -1;
        }
    }

  if (high >= 0 || bytes->len == 0)
    return NULL;

  *len = bytes->len;
  return g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}

char *
eimza_atr_to_hex (const guint8 *atr,
                  gsize         atr_len)
{
  static const char digits[] = "0123456789ABCDEF";
  char *hex;

  g_return_val_if_fail (atr != NULL || atr_len == 0, NULL);

  hex = g_malloc (atr_len * 2 + 1);
  for (gsize i = 0; i < atr_len; i++)
    {
      hex[2 * i] = digits[atr[i] >> 4];
      hex[2 * i + 1] = digits[atr[i] & 0x0F];
    }
  hex[atr_len * 2] = '\0';

  return hex;
}

gboolean
eimza_atr_get_historical_bytes (const guint8  *atr,
                                gsize          atr_len,
                                const guint8 **hist,
                                gsize         *hist_len)
{
  gsize pos;
  guint8 y;
  gsize k;

  g_return_val_if_fail (atr != NULL || atr_len == 0, FALSE);
  g_return_val_if_fail (hist != NULL, FALSE);
  g_return_val_if_fail (hist_len != NULL, FALSE);

  *hist = NULL;
  *hist_len = 0;

  /* TS (direct or inverse convention) and T0. */
  if (atr_len < 2 || atr_len > ATR_MAX || (atr[0] != 0x3B && atr[0] != 0x3F))
    return FALSE;

  k = atr[1] & 0x0F;
  y = atr[1] >> 4;
  pos = 2;

  /* Each Y nibble says which of TAi, TBi, TCi, TDi follow; TDi carries the
   * next Y in its high nibble. */
  while (y != 0)
    {
      gboolean has_td = (y & 0x8) != 0;

      pos += (y & 0x1) + ((y >> 1) & 0x1) + ((y >> 2) & 0x1);
      if (!has_td)
        break;

      if (pos >= atr_len)
        return FALSE;
      y = atr[pos] >> 4;
      pos++;
    }

  if (pos + k > atr_len)
    return FALSE;

  *hist = atr + pos;
  *hist_len = k;
  return TRUE;
}

static gboolean
masked_equal (GBytes       *pattern,
              GBytes       *mask,
              const guint8 *data,
              gsize         len)
{
  gsize pattern_len;
  const guint8 *p = g_bytes_get_data (pattern, &pattern_len);
  const guint8 *m = g_bytes_get_data (mask, NULL);

  if (pattern_len != len)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if ((data[i] & m[i]) != (p[i] & m[i]))
      return FALSE;

  return TRUE;
}

static const Entry *
table_find (const EimzaAtrTable *table,
            const guint8        *atr,
            gsize                atr_len)
{
  const guint8 *hist = NULL;
  gsize hist_len = 0;
  gboolean have_hist;

  if (atr_len == 0)
    return NULL;

  have_hist = eimza_atr_get_historical_bytes (atr, atr_len, &hist, &hist_len);

  for (guint i = 0; i < table->entries->len; i++)
    {
      const Entry *entry = &g_array_index (table->entries, Entry, i);

      if (entry->historical)
        {
          if (have_hist && masked_equal (entry->pattern, entry->mask, hist, hist_len))
            return entry;
        }
      else if (masked_equal (entry->pattern, entry->mask, atr, atr_len))
        {
          return entry;
        }
    }

  return NULL;
}

const char *
eimza_atr_table_lookup (const EimzaAtrTable *table,
                        const guint8        *atr,
                        gsize                atr_len)
{
  const Entry *entry;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (atr != NULL || atr_len == 0, NULL);

  entry = table_find (table, atr, atr_len);
  return entry != NULL ? entry->type_name : NULL;
}

const char *
eimza_atr_table_lookup_module (const EimzaAtrTable *table,
                               const guint8        *atr,
                               gsize                atr_len)
{
  const Entry *entry;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (atr != NULL || atr_len == 0, NULL);

  entry = table_find (table, atr, atr_len);
  return entry != NULL ? entry->module : NULL;
}

const char *
eimza_atr_lookup (const guint8 *atr,
                  gsize         atr_len)
{
  return eimza_atr_table_lookup (eimza_atr_table_get_default (), atr, atr_len);
}

const char *
eimza_atr_lookup_module_hex (const char *atr_hex)
{
  g_autofree guint8 *atr = NULL;
  gsize atr_len = 0;

  if (atr_hex == NULL)
    return NULL;
  atr = eimza_atr_from_hex (atr_hex, &atr_len);
  if (atr == NULL)
    return NULL;
  return eimza_atr_table_lookup_module (eimza_atr_table_get_default (), atr, atr_len);
}

guint
eimza_atr_table_get_n_entries (const EimzaAtrTable *table)
{
  g_return_val_if_fail (table != NULL, 0);

  return table->entries->len;
}

static gboolean
parse_line (const char  *line,
            Entry       *entry,
            GError     **error)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", -1);
  const char *pattern_hex;
  guint8 *data;
  gsize len;

  if (g_strv_length (fields) < 3 || fields[2][0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "expected pattern, mask, type name, notes and module");
      return FALSE;
    }

  pattern_hex = fields[0];
  entry->historical = g_str_has_prefix (pattern_hex, HIST_PREFIX);
  if (entry->historical)
    pattern_hex += strlen (HIST_PREFIX);

  data = eimza_atr_from_hex (pattern_hex, &len);
  if (data == NULL || len > ATR_MAX)
    {
      g_free (data);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "invalid pattern “%s”", fields[0]);
      return FALSE;
    }
  entry->pattern = g_bytes_new_take (data, len);

  data = eimza_atr_from_hex (fields[1], &len);
  if (data == NULL || len != g_bytes_get_size (entry->pattern))
    {
      g_free (data);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "mask “%s” is not hex of the pattern’s length", fields[1]);
      return FALSE;
    }
  entry->mask = g_bytes_new_take (data, len);

  if (!g_utf8_validate (fields[2], -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the type name is not UTF-8");
      return FALSE;
    }
  entry->type_name = g_strdup (fields[2]);

  /* The module is a bare file name, compared with a loaded module's. */
  if (fields[3] != NULL && fields[4] != NULL && fields[4][0] != '\0')
    {
      if (strchr (fields[4], '/') != NULL || !g_utf8_validate (fields[4], -1, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "module “%s” is not a file name", fields[4]);
          return FALSE;
        }
      entry->module = g_strdup (fields[4]);
    }

  return TRUE;
}

EimzaAtrTable *
eimza_atr_table_new_from_bytes (GBytes  *bytes,
                                GError **error)
{
  g_autoptr(EimzaAtrTable) table = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  text = g_strndup (data, size);

  table = g_new0 (EimzaAtrTable, 1);
  table->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (table->entries, entry_clear);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      Entry entry = { 0, };
      char *line = lines[i];
      gsize line_len = strlen (line);

      if (line_len > 0 && line[line_len - 1] == '\r')
        line[line_len - 1] = '\0';

      if (line[0] == '\0' || line[0] == '#')
        continue;

      if (!parse_line (line, &entry, &local_error))
        {
          entry_clear (&entry);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "ATR table, line %u: %s", i + 1, local_error->message);
          return NULL;
        }

      g_array_append_val (table->entries, entry);
    }

  return g_steal_pointer (&table);
}

void
eimza_atr_table_free (EimzaAtrTable *table)
{
  if (table == NULL)
    return;

  g_array_unref (table->entries);
  g_free (table);
}

EimzaAtrTable *
eimza_atr_table_get_default (void)
{
  static EimzaAtrTable *default_table = NULL;

  if (g_once_init_enter (&default_table))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      EimzaAtrTable *table;

      /* Looking the data up in our own resource (not the global set)
       * references the generated code, so it is linked in from the static
       * library whether or not its constructor would register it. */
      bytes = g_resource_lookup_data (eimza_card_get_resource (), DEFAULT_RESOURCE,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        g_error ("Cannot load the ATR table: %s", error->message);

      table = eimza_atr_table_new_from_bytes (bytes, &error);
      if (table == NULL)
        g_error ("Cannot parse the ATR table: %s", error->message);

      g_once_init_leave (&default_table, table);
    }

  return default_table;
}
