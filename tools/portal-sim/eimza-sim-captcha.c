/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The login page's captcha: a random text and a distorted PNG of it. */
#include <string.h>

#include <cairo.h>
#include <zlib.h>

#include "eimza-sim-captcha.h"

#define CAPTCHA_ALPHABET "ABCDEFGHJKLMNPRSTUVYZ23456789"
#define CAPTCHA_LENGTH 5
#define IMAGE_WIDTH 160
#define IMAGE_HEIGHT 50

char *
eimza_sim_captcha_new_text (GRand *rand)
{
  char text[CAPTCHA_LENGTH + 1];

  for (guint i = 0; i < CAPTCHA_LENGTH; i++)
    text[i] = CAPTCHA_ALPHABET[g_rand_int_range (rand, 0, strlen (CAPTCHA_ALPHABET))];
  text[CAPTCHA_LENGTH] = '\0';

  return g_strdup (text);
}

gboolean
eimza_sim_captcha_matches (const char *expected,
                           const char *typed)
{
  g_autofree char *stripped = NULL;

  if (expected == NULL || typed == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (typed));
  return g_ascii_strcasecmp (expected, stripped) == 0;
}

static double
random_between (GRand  *rand,
                double  low,
                double  high)
{
  return g_rand_double_range (rand, low, high);
}

static void
draw_noise_lines (cairo_t *cr,
                  GRand   *rand,
                  guint    n_lines)
{
  for (guint i = 0; i < n_lines; i++)
    {
      cairo_set_source_rgb (cr, random_between (rand, 0.3, 0.8),
                            random_between (rand, 0.3, 0.8),
                            random_between (rand, 0.3, 0.8));
      cairo_set_line_width (cr, random_between (rand, 1.0, 2.5));
      cairo_move_to (cr, random_between (rand, 0, IMAGE_WIDTH),
                     random_between (rand, 0, IMAGE_HEIGHT));
      cairo_curve_to (cr, random_between (rand, 0, IMAGE_WIDTH),
                      random_between (rand, 0, IMAGE_HEIGHT),
                      random_between (rand, 0, IMAGE_WIDTH),
                      random_between (rand, 0, IMAGE_HEIGHT),
                      random_between (rand, 0, IMAGE_WIDTH),
                      random_between (rand, 0, IMAGE_HEIGHT));
      cairo_stroke (cr);
    }
}

/* A stroke font of the captcha alphabet on an 8 × 12 grid: each string is
 * one stroke, as hexadecimal x,y digit pairs. Drawing the letters as
 * strokes needs no font on the machine, and jittering the points distorts
 * them more naturally than rotating whole glyphs alone. */
static const struct {
  char letter;
  const char *strokes[3];
} glyphs[] = {
  { 'A', { "0c408c", "2767" } },
  { 'B', { "000c6c8a886606", "0060828466" } },
  { 'C', { "826020020a2c6c8a" } },
  { 'D', { "000c5c89835000" } },
  { 'E', { "80000c8c", "0666" } },
  { 'F', { "80000c", "0666" } },
  { 'G', { "826020020a2c6c8a8646" } },
  { 'H', { "000c", "808c", "0686" } },
  { 'J', { "808a6c2c0a" } },
  { 'K', { "000c", "8007", "258c" } },
  { 'L', { "000c8c" } },
  { 'M', { "0c0046808c" } },
  { 'N', { "0c008c80" } },
  { 'P', { "0c006082846606" } },
  { 'R', { "0c006082846606", "468c" } },
  { 'S', { "82602002042666888a6c2c0a" } },
  { 'T', { "0080", "404c" } },
  { 'U', { "000a2c6c8a80" } },
  { 'V', { "004c80" } },
  { 'Y', { "004680", "464c" } },
  { 'Z', { "00800c8c" } },
  { '2', { "02206082840c8c" } },
  { '3', { "02206082846636", "66888a6c2c0a" } },
  { '4', { "6c600888" } },
  { '5', { "80000666888a6c2c0a" } },
  { '6', { "826020020a2c6c8a886606" } },
  { '7', { "00803c" } },
  { '8', { "260402206082846626080a2c6c8a8866" } },
  { '9', { "862604022060828a6c2c0a" } },
};

static void
draw_glyph (cairo_t *cr,
            char     letter,
            GRand   *rand)
{
  for (gsize g = 0; g < G_N_ELEMENTS (glyphs); g++)
    {
      if (glyphs[g].letter != letter)
        continue;

      for (guint s = 0; s < G_N_ELEMENTS (glyphs[g].strokes) && glyphs[g].strokes[s] != NULL; s++)
        {
          const char *points = glyphs[g].strokes[s];

          for (gsize p = 0; points[p] != '\0' && points[p + 1] != '\0'; p += 2)
            {
              double x = g_ascii_xdigit_value (points[p]) + random_between (rand, -0.4, 0.4);
              double y = g_ascii_xdigit_value (points[p + 1]) + random_between (rand, -0.4, 0.4);

              if (p == 0)
                cairo_move_to (cr, x, y);
              else
                cairo_line_to (cr, x, y);
            }
        }
      return;
    }
}

static void
draw_letters (cairo_t    *cr,
              const char *text,
              GRand      *rand)
{
  double step = (double) (IMAGE_WIDTH - 16) / strlen (text);

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  for (guint i = 0; text[i] != '\0'; i++)
    {
      double scale = random_between (rand, 2.3, 2.9);

      cairo_save (cr);
      cairo_translate (cr, 8 + (i + 0.5) * step + random_between (rand, -2, 2),
                       IMAGE_HEIGHT / 2.0 + random_between (rand, -4, 4));
      cairo_rotate (cr, random_between (rand, -0.4, 0.4));
      cairo_scale (cr, scale, scale);
      /* Around the glyph's centre, so that rotation does not shift it. */
      cairo_translate (cr, -4, -6);
      draw_glyph (cr, text[i], rand);
      cairo_restore (cr);

      cairo_set_source_rgb (cr, random_between (rand, 0.0, 0.35),
                            random_between (rand, 0.0, 0.35),
                            random_between (rand, 0.1, 0.5));
      cairo_set_line_width (cr, random_between (rand, 2.5, 3.5));
      cairo_stroke (cr);
    }
}

static cairo_status_t
write_to_byte_array_cb (void                *closure,
                        const unsigned char *data,
                        unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
eimza_sim_captcha_render_png (const char *text,
                              GRand      *rand)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, IMAGE_WIDTH, IMAGE_HEIGHT);
  cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 0.93, 0.95, 0.90);
  cairo_paint (cr);
  draw_noise_lines (cr, rand, 4);
  draw_letters (cr, text, rand);
  /* Lines over the letters too, as the real one has, so that the image is
   * not trivially machine-readable: the app must show it to a person. */
  draw_noise_lines (cr, rand, 3);

  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_write_to_png_stream (surface, write_to_byte_array_cb, png);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

#define HUGE_SIDE 20000

static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, bytes, 4);
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              gsize         size)
{
  uLong crc = crc32 (0, (const Bytef *) type, 4);

  if (size > 0)
    crc = crc32 (crc, data, (uInt) size);
  append_be32 (png, (guint32) size);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (size > 0)
    g_byte_array_append (png, data, (guint) size);
  append_be32 (png, (guint32) crc);
}

/* Written by hand, 1-bit grey, row by row: cairo would need the whole
 * image in memory to write it. */
static GBytes *
make_huge_png (void)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  static const guint8 ihdr_tail[5] = { 1, 0, 0, 0, 0 }; /* depth, grey, deflate, filter, no interlace */
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  g_autoptr(GByteArray) ihdr = g_byte_array_new ();
  gsize row_size = 1 + (HUGE_SIDE + 7) / 8;
  g_autofree guint8 *row = g_malloc0 (row_size);
  guint8 out[16384];
  z_stream z = { 0 };

  deflateInit (&z, Z_BEST_COMPRESSION);
  for (guint y = 0; y < HUGE_SIDE; y++)
    {
      z.next_in = row;
      z.avail_in = (uInt) row_size;
      do
        {
          z.next_out = out;
          z.avail_out = sizeof out;
          deflate (&z, y + 1 == HUGE_SIDE ? Z_FINISH : Z_NO_FLUSH);
          g_byte_array_append (idat, out, sizeof out - z.avail_out);
        }
      while (z.avail_out == 0);
    }
  deflateEnd (&z);

  append_be32 (ihdr, HUGE_SIDE);
  append_be32 (ihdr, HUGE_SIDE);
  g_byte_array_append (ihdr, ihdr_tail, sizeof ihdr_tail);

  g_byte_array_append (png, signature, sizeof signature);
  append_chunk (png, "IHDR", ihdr->data, ihdr->len);
  append_chunk (png, "IDAT", idat->data, idat->len);
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

GBytes *
eimza_sim_captcha_huge_png (void)
{
  static GBytes *huge;

  /* Made once: compressing 50 MB of rows takes a moment. */
  if (huge == NULL)
    huge = make_huge_png ();
  return g_bytes_ref (huge);
}
