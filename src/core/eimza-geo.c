/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loads Turkey's provinces, districts and postal codes from data/tr-geo.tsv. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "eimza-core-resources.h"
#include "eimza-geo.h"

/* The file is written by tools/gen-geo-data.mjs. UTF-8, LF line ends:
 *
 *   # a comment
 *   P<TAB>06<TAB>Ankara
 *   <TAB>Akyurt<TAB>06750,06752
 *
 * A "P" line starts a province (two-digit plate code, name); the lines that
 * start with a TAB are its districts (name, postal codes in ascending order,
 * separated by commas). Empty lines and lines starting with '#' are skipped.
 * The parser is strict so that a damaged or hand-edited file fails loudly
 * instead of offering wrong choices in the form. */

#define DEFAULT_RESOURCE "/io/github/eimza/Asistan/data/tr-geo.tsv"
#define POSTAL_CODE_LEN 5
#define N_PLATES 100

typedef struct {
  const char *plate;
  const char *name;
  guint first_district;
  guint n_districts;
} Province;

typedef struct {
  const char *name;
  /* Index in EimzaGeo.codes of the first of its NULL-terminated codes. */
  guint first_code;
} District;

typedef struct {
  guint32 code;
  guint16 province;
  /* Within the province. */
  guint16 district;
} CodeLocation;

struct _EimzaGeo {
  /* A copy of the file in which every separator became a NUL, so all names
   * and codes below point into this one block. */
  char *strings;

  Province *provinces;
  guint n_provinces;
  District *districts;
  guint n_districts;
  /* The codes of all districts, each district's run ended by NULL. */
  const char **codes;
  /* Every code of every district, sorted by code for binary search. */
  CodeLocation *locations;
  guint n_locations;

  /* Province index + 1 by numeric plate code, 0 for none. Plate codes are
   * unique and below 100, so there are at most 99 provinces. */
  guint8 province_by_plate[N_PLATES];
};

G_DEFINE_QUARK (eimza-geo-error-quark, eimza_geo_error)

/* Set once by eimza_geo_get_default() and never freed. */
static EimzaGeo *default_geo;

typedef struct {
  EimzaGeo *geo;
  GArray *provinces;
  GArray *districts;
  GPtrArray *codes;
  GArray *locations;
  guint line;
} Parser;

static gboolean G_GNUC_PRINTF (3, 4)
parse_fail (const Parser  *parser,
            GError       **error,
            const char    *format,
            ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  /* Not translated: only a broken build or a developer's edit of the data
   * file gets here, never anything a person typed. An empty file is
   * reported at line 1. */
  g_set_error (error, EIMZA_GEO_ERROR, EIMZA_GEO_ERROR_PARSE,
               "Geographic data, line %u: %s", MAX (parser->line, 1), reason);
  return FALSE;
}

static gboolean
is_ascii_digits (const char *s,
                 gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Only for strings already checked by is_ascii_digits(). */
static guint32
digits_value (const char *s,
              gsize       len)
{
  guint32 value = 0;

  for (gsize i = 0; i < len; i++)
    value = value * 10 + (guint32) (s[i] - '0');
  return value;
}

/* Names must be printable UTF-8. This also catches the CR of a DOS line end
 * and NUL bytes, which would cut a name short. */
static gboolean
is_valid_name (const char *s,
               gsize       len)
{
  if (len == 0 || !g_utf8_validate_len (s, len, NULL))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if ((guchar) s[i] < 0x20 || s[i] == 0x7f)
      return FALSE;
  return TRUE;
}

/* Splits @line, which is NUL-terminated at @len, at TABs in place. Returns
 * the number of fields, or @max_fields + 1 if there are more. */
static guint
split_fields (char   *line,
              gsize   len,
              char  **fields,
              gsize  *lengths,
              guint   max_fields)
{
  char *start = line;
  char *end = line + len;
  guint n = 0;

  for (;;)
    {
      char *tab = memchr (start, '\t', end - start);
      char *field_end = tab != NULL ? tab : end;

      if (n == max_fields)
        return max_fields + 1;
      fields[n] = start;
      lengths[n] = field_end - start;
      n++;
      if (tab == NULL)
        return n;
      *tab = '\0';
      start = tab + 1;
    }
}

static Province *
last_province (Parser *parser)
{
  if (parser->provinces->len == 0)
    return NULL;
  return &g_array_index (parser->provinces, Province, parser->provinces->len - 1);
}

/* An empty province would leave the district list of the form empty. */
static gboolean
check_last_province (Parser  *parser,
                     GError **error)
{
  Province *province = last_province (parser);

  if (province != NULL && province->n_districts == 0)
    return parse_fail (parser, error, "the province %s has no districts", province->name);
  return TRUE;
}

static gboolean
parse_province (Parser  *parser,
                char    *line,
                gsize    len,
                GError **error)
{
  char *fields[3];
  gsize lengths[3];
  Province province = { 0 };
  guint plate;

  if (split_fields (line, len, fields, lengths, 3) != 3 || lengths[0] != 1)
    return parse_fail (parser, error, "a province line has three fields: P, plate code, name");
  if (lengths[1] != 2 || !is_ascii_digits (fields[1], 2))
    return parse_fail (parser, error, "a plate code has two digits");
  plate = digits_value (fields[1], 2);
  if (plate == 0)
    return parse_fail (parser, error, "the plate code 00 does not exist");
  if (parser->geo->province_by_plate[plate] != 0)
    return parse_fail (parser, error, "the plate code %s appears twice", fields[1]);
  if (!is_valid_name (fields[2], lengths[2]))
    return parse_fail (parser, error, "a province name must be printable UTF-8");
  if (!check_last_province (parser, error))
    return FALSE;

  province.plate = fields[1];
  province.name = fields[2];
  province.first_district = parser->districts->len;
  g_array_append_val (parser->provinces, province);
  parser->geo->province_by_plate[plate] = (guint8) parser->provinces->len;
  return TRUE;
}

static gboolean
parse_postal_codes (Parser          *parser,
                    const Province  *province,
                    const char      *district_name,
                    char            *text,
                    gsize            len,
                    GError         **error)
{
  char *end = text + len;
  char *code = text;
  guint32 previous = 0;

  for (;;)
    {
      char *comma = memchr (code, ',', end - code);
      gsize code_len = (comma != NULL ? comma : end) - code;
      CodeLocation location;

      if (code_len != POSTAL_CODE_LEN || !is_ascii_digits (code, code_len))
        return parse_fail (parser, error, "the postal codes of %s are not all five digits",
                           district_name);
      /* True of every Turkish postal code; the validator's message naming
       * another province relies on it being so in the data as well. */
      if (memcmp (code, province->plate, 2) != 0)
        return parse_fail (parser, error, "the postal code %.5s does not start with %s",
                           code, province->plate);

      location.code = digits_value (code, code_len);
      /* Ascending order also rules out a code listed twice. */
      if (location.code <= previous && code != text)
        return parse_fail (parser, error, "the postal codes of %s are not in ascending order",
                           district_name);
      previous = location.code;
      location.province = parser->provinces->len - 1;
      location.district = province->n_districts;
      g_array_append_val (parser->locations, location);

      g_ptr_array_add (parser->codes, code);
      if (comma == NULL)
        break;
      *comma = '\0';
      code = comma + 1;
    }

  g_ptr_array_add (parser->codes, NULL);
  return TRUE;
}

static gboolean
parse_district (Parser  *parser,
                char    *line,
                gsize    len,
                GError **error)
{
  char *fields[3];
  gsize lengths[3];
  Province *province = last_province (parser);
  District district = { 0 };

  if (split_fields (line, len, fields, lengths, 3) != 3)
    return parse_fail (parser, error,
                       "a district line has three fields: empty, name, postal codes");
  if (province == NULL)
    return parse_fail (parser, error, "a district comes before any province");
  if (!is_valid_name (fields[1], lengths[1]))
    return parse_fail (parser, error, "a district name must be printable UTF-8");
  /* Districts are found by name, which must therefore be unique. */
  for (guint i = 0; i < province->n_districts; i++)
    {
      const District *other = &g_array_index (parser->districts, District,
                                              province->first_district + i);

      if (strcmp (other->name, fields[1]) == 0)
        return parse_fail (parser, error, "the district %s appears twice in %s",
                           fields[1], province->name);
    }
  if (province->n_districts == G_MAXUINT16)
    return parse_fail (parser, error, "%s has too many districts", province->name);

  district.name = fields[1];
  district.first_code = parser->codes->len;
  if (!parse_postal_codes (parser, province, fields[1], fields[2], lengths[2], error))
    return FALSE;

  g_array_append_val (parser->districts, district);
  province->n_districts++;
  return TRUE;
}

static int
compare_locations (const void *a,
                   const void *b)
{
  const CodeLocation *la = a;
  const CodeLocation *lb = b;

  /* Ties keep the order of the file, so a code listed in several districts
   * is located in the first of them, as the header promises. */
  if (la->code != lb->code)
    return la->code < lb->code ? -1 : 1;
  if (la->province != lb->province)
    return la->province < lb->province ? -1 : 1;
  if (la->district != lb->district)
    return la->district < lb->district ? -1 : 1;
  return 0;
}

EimzaGeo *
eimza_geo_new_from_bytes (GBytes  *bytes,
                          GError **error)
{
  g_autoptr(EimzaGeo) geo = NULL;
  g_autoptr(GArray) provinces = NULL;
  g_autoptr(GArray) districts = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GArray) locations = NULL;
  Parser parser = { 0 };
  const char *data;
  gsize size;
  char *line;
  char *end;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);

  geo = g_new0 (EimzaGeo, 1);
  /* The bytes are immutable and may live in read-only memory, so split a
   * copy of them in place. */
  geo->strings = g_malloc (size + 1);
  if (size > 0)
    memcpy (geo->strings, data, size);
  geo->strings[size] = '\0';

  /* Sized for the real data's 81 provinces, 973 districts and 2771 codes. */
  provinces = g_array_sized_new (FALSE, FALSE, sizeof (Province), 81);
  districts = g_array_sized_new (FALSE, FALSE, sizeof (District), 1024);
  codes = g_ptr_array_sized_new (4096);
  locations = g_array_sized_new (FALSE, FALSE, sizeof (CodeLocation), 3072);

  parser.geo = geo;
  parser.provinces = provinces;
  parser.districts = districts;
  parser.codes = codes;
  parser.locations = locations;

  line = geo->strings;
  end = geo->strings + size;
  while (line < end)
    {
      char *newline = memchr (line, '\n', end - line);
      char *line_end = newline != NULL ? newline : end;
      gsize len = line_end - line;
      gboolean ok = TRUE;

      parser.line++;
      *line_end = '\0';

      if (len == 0 || line[0] == '#')
        ;
      else if (line[0] == 'P')
        ok = parse_province (&parser, line, len, error);
      else if (line[0] == '\t')
        ok = parse_district (&parser, line, len, error);
      else
        ok = parse_fail (&parser, error, "a line starts with P, a TAB or #");

      if (!ok)
        return NULL;
      line = line_end + 1;
    }

  if (!check_last_province (&parser, error))
    return NULL;
  if (provinces->len == 0)
    {
      parse_fail (&parser, error, "there are no provinces");
      return NULL;
    }

  qsort (locations->data, locations->len, sizeof (CodeLocation), compare_locations);

  geo->n_provinces = provinces->len;
  geo->provinces = g_array_steal (provinces, NULL);
  geo->n_districts = districts->len;
  geo->districts = g_array_steal (districts, NULL);
  geo->n_locations = locations->len;
  geo->locations = g_array_steal (locations, NULL);
  geo->codes = (const char **) g_ptr_array_steal (codes, NULL);

  return g_steal_pointer (&geo);
}

void
eimza_geo_free (EimzaGeo *geo)
{
  if (geo == NULL)
    return;

  /* Everyone shares the default instance; freeing it is always a bug. */
  g_return_if_fail (geo != g_atomic_pointer_get (&default_geo));

  g_free (geo->strings);
  g_free (geo->provinces);
  g_free (geo->districts);
  g_free (geo->codes);
  g_free (geo->locations);
  g_free (geo);
}

EimzaGeo *
eimza_geo_get_default (void)
{
  if (g_once_init_enter (&default_geo))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      EimzaGeo *geo;

      /* Referencing the generated resource keeps its object file, and the
       * constructor in it that registers the resource, in programs linking
       * the static core library. The global lookup also lets a developer
       * try other data with G_RESOURCE_OVERLAYS. */
      (void) eimza_core_get_resource ();

      /* The data is part of the program and checked by the tests, so a
       * failure here is a broken build, and the form cannot work without
       * it: abort rather than return something callers would have to
       * check everywhere. */
      bytes = g_resources_lookup_data (DEFAULT_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        g_error ("Cannot load %s: %s", DEFAULT_RESOURCE, error->message);
      geo = eimza_geo_new_from_bytes (bytes, &error);
      if (geo == NULL)
        g_error ("Cannot read %s: %s", DEFAULT_RESOURCE, error->message);

      g_once_init_leave (&default_geo, geo);
    }

  return default_geo;
}

guint
eimza_geo_get_n_provinces (EimzaGeo *geo)
{
  g_return_val_if_fail (geo != NULL, 0);

  return geo->n_provinces;
}

const char *
eimza_geo_get_province_name (EimzaGeo *geo,
                             guint     province)
{
  g_return_val_if_fail (geo != NULL, NULL);
  g_return_val_if_fail (province < geo->n_provinces, NULL);

  return geo->provinces[province].name;
}

const char *
eimza_geo_get_province_plate (EimzaGeo *geo,
                              guint     province)
{
  g_return_val_if_fail (geo != NULL, NULL);
  g_return_val_if_fail (province < geo->n_provinces, NULL);

  return geo->provinces[province].plate;
}

/* @plate_code may be NULL (nothing chosen yet), which is never found. */
gboolean
eimza_geo_find_province (EimzaGeo   *geo,
                         const char *plate_code,
                         guint      *out_province)
{
  guint index;

  g_return_val_if_fail (geo != NULL, FALSE);

  if (plate_code == NULL
      || !g_ascii_isdigit (plate_code[0]) || !g_ascii_isdigit (plate_code[1])
      || plate_code[2] != '\0')
    return FALSE;

  index = geo->province_by_plate[digits_value (plate_code, 2)];
  if (index == 0)
    return FALSE;
  if (out_province != NULL)
    *out_province = index - 1;
  return TRUE;
}

guint
eimza_geo_get_n_districts (EimzaGeo *geo,
                           guint     province)
{
  g_return_val_if_fail (geo != NULL, 0);
  g_return_val_if_fail (province < geo->n_provinces, 0);

  return geo->provinces[province].n_districts;
}

static const District *
get_district (EimzaGeo *geo,
              guint     province,
              guint     district)
{
  return &geo->districts[geo->provinces[province].first_district + district];
}

const char *
eimza_geo_get_district_name (EimzaGeo *geo,
                             guint     province,
                             guint     district)
{
  g_return_val_if_fail (geo != NULL, NULL);
  g_return_val_if_fail (province < geo->n_provinces, NULL);
  g_return_val_if_fail (district < geo->provinces[province].n_districts, NULL);

  return get_district (geo, province, district)->name;
}

/* @district_name may be NULL (nothing chosen yet), which is never found. */
gboolean
eimza_geo_find_district (EimzaGeo   *geo,
                         guint       province,
                         const char *district_name,
                         guint      *out_district)
{
  g_return_val_if_fail (geo != NULL, FALSE);
  g_return_val_if_fail (province < geo->n_provinces, FALSE);

  if (district_name == NULL)
    return FALSE;

  /* At most a few dozen districts per province: a scan is fast enough. */
  for (guint i = 0; i < geo->provinces[province].n_districts; i++)
    {
      if (strcmp (get_district (geo, province, i)->name, district_name) == 0)
        {
          if (out_district != NULL)
            *out_district = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char * const *
eimza_geo_get_postal_codes (EimzaGeo *geo,
                            guint     province,
                            guint     district)
{
  g_return_val_if_fail (geo != NULL, NULL);
  g_return_val_if_fail (province < geo->n_provinces, NULL);
  g_return_val_if_fail (district < geo->provinces[province].n_districts, NULL);

  return (const char * const *) geo->codes + get_district (geo, province, district)->first_code;
}

/* Anything but five ASCII digits, NULL included, is never found. */
gboolean
eimza_geo_locate_postal_code (EimzaGeo   *geo,
                              const char *postal_code,
                              guint      *out_province,
                              guint      *out_district)
{
  guint32 code;
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (geo != NULL, FALSE);

  if (postal_code == NULL)
    return FALSE;
  /* Stops at the NUL of a shorter string. */
  if (!is_ascii_digits (postal_code, POSTAL_CODE_LEN) || postal_code[POSTAL_CODE_LEN] != '\0')
    return FALSE;
  code = digits_value (postal_code, POSTAL_CODE_LEN);

  /* The first location not below @code. */
  hi = geo->n_locations;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (geo->locations[mid].code < code)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == geo->n_locations || geo->locations[lo].code != code)
    return FALSE;

  if (out_province != NULL)
    *out_province = geo->locations[lo].province;
  if (out_district != NULL)
    *out_district = geo->locations[lo].district;
  return TRUE;
}
