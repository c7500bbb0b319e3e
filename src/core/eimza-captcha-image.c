/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bounds a captcha image must keep, checked on its header before anything decodes it. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "eimza-captcha-image.h"

G_DEFINE_QUARK (eimza-captcha-error-quark, eimza_captcha_error)

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint
read_be16 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
}

/* The PNG format puts IHDR first; decoders refuse a file where it is not,
 * so its width and height are the ones they would allocate for. */
static gboolean
read_png_header (const guint8 *data,
                 gsize         size,
                 guint        *out_width,
                 guint        *out_height)
{
  /* signature, chunk length, "IHDR", width, height */
  if (size < 8 + 4 + 4 + 4 + 4 || memcmp (data, png_signature, 8) != 0 ||
      read_be32 (data + 8) != 13 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;

  *out_width = read_be32 (data + 16);
  *out_height = read_be32 (data + 20);
  return TRUE;
}

static gboolean
is_start_of_frame (guint8 marker)
{
  /* SOF0 to SOF15, except DHT (C4), JPG (C8) and DAC (CC). */
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/* Walks the JPEG's marker segments up to the first frame header, as
 * libjpeg does; the scan data that follows SOS is never reached. */
static gboolean
read_jpeg_header (const guint8 *data,
                  gsize         size,
                  guint        *out_width,
                  guint        *out_height)
{
  gsize pos = 2;

  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8)
    return FALSE;

  while (pos + 4 <= size)
    {
      guint8 marker;
      guint length;

      if (data[pos] != 0xFF)
        return FALSE;
      /* Any number of fill bytes may come before a marker. */
      while (pos < size && data[pos] == 0xFF)
        pos++;
      if (pos >= size)
        return FALSE;
      marker = data[pos++];

      /* Markers without a segment. */
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        continue;
      if (marker == 0xD9 || marker == 0xDA || pos + 2 > size)
        return FALSE;

      length = read_be16 (data + pos);
      if (length < 2)
        return FALSE;

      if (is_start_of_frame (marker))
        {
          /* length, precision, height, width */
          if (length < 7 || pos + 7 > size)
            return FALSE;
          *out_height = read_be16 (data + pos + 3);
          *out_width = read_be16 (data + pos + 5);
          return TRUE;
        }

      pos += length;
    }

  return FALSE;
}

gboolean
eimza_image_read_header (const guint8     *data,
                         gsize             size,
                         EimzaImageFormat *out_format,
                         guint            *out_width,
                         guint            *out_height)
{
  EimzaImageFormat format;
  guint width = 0;
  guint height = 0;

  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  if (read_png_header (data, size, &width, &height))
    format = EIMZA_IMAGE_FORMAT_PNG;
  else if (read_jpeg_header (data, size, &width, &height))
    format = EIMZA_IMAGE_FORMAT_JPEG;
  else
    return FALSE;

  if (width == 0 || height == 0)
    return FALSE;

  if (out_format != NULL)
    *out_format = format;
  if (out_width != NULL)
    *out_width = width;
  if (out_height != NULL)
    *out_height = height;
  return TRUE;
}

gboolean
eimza_captcha_image_check (GBytes            *image,
                           EimzaImageFormat  *out_format,
                           GError           **error)
{
  const guint8 *data;
  gsize size = 0;
  EimzaImageFormat format;
  guint width;
  guint height;

  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (image, &size);
  if (size > EIMZA_CAPTCHA_MAX_BYTES)
    {
      g_set_error_literal (error, EIMZA_CAPTCHA_ERROR, EIMZA_CAPTCHA_ERROR_TOO_LARGE,
                           _("The portal sent a security image file far larger than a security "
                             "image; it was not opened. Try again for a new image."));
      return FALSE;
    }

  if (!eimza_image_read_header (data, size, &format, &width, &height))
    {
      g_set_error_literal (error, EIMZA_CAPTCHA_ERROR, EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE,
                           _("The portal sent a security image that cannot be shown."));
      return FALSE;
    }

  if (width > EIMZA_CAPTCHA_MAX_WIDTH || height > EIMZA_CAPTCHA_MAX_HEIGHT)
    {
      /* TRANSLATORS: the image's width and height in pixels */
      g_set_error (error, EIMZA_CAPTCHA_ERROR, EIMZA_CAPTCHA_ERROR_TOO_LARGE,
                   _("The portal sent a security image of %u × %u pixels, far larger than a "
                     "security image; it was not opened. Try again for a new image."),
                   width, height);
      return FALSE;
    }

  if (out_format != NULL)
    *out_format = format;
  return TRUE;
}
