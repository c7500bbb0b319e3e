/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the captcha image's bounds, read from its header before it is decoded. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <zlib.h>

#include "eimza-captcha-image.h"

/* The size of the decompression bomb: 400 million pixels, over a gigabyte
 * once decoded, in a file of some tens of kilobytes. */
#define BOMB_SIDE 20000

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

/* A complete, valid PNG: @width × @height black pixels, 1-bit grey,
 * compressed row by row so that no buffer of the image's size exists. */
static GBytes *
make_png (guint32 width,
          guint32 height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  g_autoptr(GByteArray) ihdr = g_byte_array_new ();
  gsize row_size = 1 + (width + 7) / 8;
  g_autofree guint8 *row = g_malloc0 (row_size);
  guint8 out[16384];
  z_stream z = { 0 };

  g_assert_cmpint (deflateInit (&z, Z_BEST_COMPRESSION), ==, Z_OK);
  for (guint32 y = 0; y < height; y++)
    {
      z.next_in = row;
      z.avail_in = (uInt) row_size;
      do
        {
          z.next_out = out;
          z.avail_out = sizeof out;
          g_assert_cmpint (deflate (&z, y + 1 == height ? Z_FINISH : Z_NO_FLUSH), !=, Z_STREAM_ERROR);
          g_byte_array_append (idat, out, sizeof out - z.avail_out);
        }
      while (z.avail_out == 0);
    }
  deflateEnd (&z);

  append_be32 (ihdr, width);
  append_be32 (ihdr, height);
  g_byte_array_append (ihdr, (const guint8 []) { 1, 0, 0, 0, 0 }, 5);

  g_byte_array_append (png, signature, sizeof signature);
  append_chunk (png, "IHDR", ihdr->data, ihdr->len);
  append_chunk (png, "IDAT", idat->data, idat->len);
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* A baseline JPEG's header up to its frame: SOI, an APP0 and SOF0. */
static GBytes *
make_jpeg_header (guint width,
                  guint height)
{
  const guint8 header[] = {
    0xFF, 0xD8,
    0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    0xFF, 0xFF, 0xC0, 0x00, 0x0B, 0x08, height >> 8, height & 0xFF, width >> 8, width & 0xFF,
    0x01, 0x01, 0x11, 0x00,
  };

  return g_bytes_new (header, sizeof header);
}

static void
assert_refused (GBytes            *image,
                EimzaCaptchaError  code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (eimza_captcha_image_check (image, NULL, &error));
  g_assert_error (error, EIMZA_CAPTCHA_ERROR, (int) code);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_bomb_refused (void)
{
  g_autoptr(GBytes) bomb = make_png (BOMB_SIDE, BOMB_SIDE);
  g_autoptr(GError) error = NULL;
  EimzaImageFormat format;
  guint width = 0;
  guint height = 0;
  g_autofree char *size_text = g_strdup_printf ("%u", BOMB_SIDE);

  /* Small enough to pass the byte limit: only the header can tell. */
  g_test_message ("bomb: %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (bomb));
  g_assert_cmpuint (g_bytes_get_size (bomb), <=, EIMZA_CAPTCHA_MAX_BYTES);

  g_assert_true (eimza_image_read_header (g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb),
                                          &format, &width, &height));
  g_assert_cmpint (format, ==, EIMZA_IMAGE_FORMAT_PNG);
  g_assert_cmpuint (width, ==, BOMB_SIDE);
  g_assert_cmpuint (height, ==, BOMB_SIDE);

  g_assert_false (eimza_captcha_image_check (bomb, NULL, &error));
  g_assert_error (error, EIMZA_CAPTCHA_ERROR, EIMZA_CAPTCHA_ERROR_TOO_LARGE);
  /* The message says how large, so the person knows it is not their fault. */
  g_assert_nonnull (strstr (error->message, size_text));
}

static void
test_portal_size_accepted (void)
{
  g_autoptr(GBytes) png = make_png (160, 50);
  g_autoptr(GBytes) largest = make_png (EIMZA_CAPTCHA_MAX_WIDTH, EIMZA_CAPTCHA_MAX_HEIGHT);
  g_autoptr(GBytes) jpeg = make_jpeg_header (200, 60);
  EimzaImageFormat format = EIMZA_IMAGE_FORMAT_JPEG;

  g_assert_true (eimza_captcha_image_check (png, &format, NULL));
  g_assert_cmpint (format, ==, EIMZA_IMAGE_FORMAT_PNG);
  g_assert_true (eimza_captcha_image_check (largest, NULL, NULL));
  g_assert_true (eimza_captcha_image_check (jpeg, &format, NULL));
  g_assert_cmpint (format, ==, EIMZA_IMAGE_FORMAT_JPEG);
}

static void
test_one_pixel_over (void)
{
  g_autoptr(GBytes) wide = make_png (EIMZA_CAPTCHA_MAX_WIDTH + 1, 10);
  g_autoptr(GBytes) tall = make_png (10, EIMZA_CAPTCHA_MAX_HEIGHT + 1);
  g_autoptr(GBytes) jpeg = make_jpeg_header (40000, 40000);

  assert_refused (wide, EIMZA_CAPTCHA_ERROR_TOO_LARGE);
  assert_refused (tall, EIMZA_CAPTCHA_ERROR_TOO_LARGE);
  assert_refused (jpeg, EIMZA_CAPTCHA_ERROR_TOO_LARGE);
}

static void
test_file_too_large (void)
{
  g_autoptr(GBytes) png = make_png (160, 50);
  g_autoptr(GByteArray) padded = g_byte_array_new ();
  g_autoptr(GBytes) big = NULL;

  /* A valid small header, then more bytes than a captcha file has. */
  g_byte_array_append (padded, g_bytes_get_data (png, NULL), (guint) g_bytes_get_size (png));
  g_byte_array_set_size (padded, EIMZA_CAPTCHA_MAX_BYTES + 1);
  big = g_byte_array_free_to_bytes (g_steal_pointer (&padded));
  assert_refused (big, EIMZA_CAPTCHA_ERROR_TOO_LARGE);
}

static void
test_not_an_image (void)
{
  g_autoptr(GBytes) png = make_png (160, 50);
  const guint8 *data = g_bytes_get_data (png, NULL);
  g_autoptr(GBytes) html = g_bytes_new_static ("<html>Hata</html>", 17);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) cut = g_bytes_new (data, 20);
  g_autoptr(GBytes) zero = make_png (0, 50);
  g_autoptr(GBytes) jpeg_cut = g_bytes_new ((const guint8 []) { 0xFF, 0xD8, 0xFF, 0xE0, 0x00 }, 5);
  g_autoptr(GBytes) jpeg_no_frame = g_bytes_new ((const guint8 []) {
    0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0, 0, 0, 0, 0, 0 }, 12);
  guint8 wrong_chunk[64];

  /* IHDR must be the first chunk. */
  memcpy (wrong_chunk, data, sizeof wrong_chunk);
  memcpy (wrong_chunk + 12, "tEXt", 4);

  assert_refused (html, EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE);
  assert_refused (empty, EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE);
  assert_refused (cut, EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE);
  assert_refused (zero, EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE);
  assert_refused (jpeg_cut, EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE);
  assert_refused (jpeg_no_frame, EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE);
  {
    g_autoptr(GBytes) renamed = g_bytes_new (wrong_chunk, sizeof wrong_chunk);

    assert_refused (renamed, EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/captcha-image/bomb-refused", test_bomb_refused);
  g_test_add_func ("/core/captcha-image/portal-size-accepted", test_portal_size_accepted);
  g_test_add_func ("/core/captcha-image/one-pixel-over", test_one_pixel_over);
  g_test_add_func ("/core/captcha-image/file-too-large", test_file_too_large);
  g_test_add_func ("/core/captcha-image/not-an-image", test_not_an_image);

  return g_test_run ();
}
