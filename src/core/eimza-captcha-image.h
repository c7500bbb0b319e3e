/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bounds a captcha image must keep, checked on its header before anything decodes it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Far above the portal's 160 × 50 images, far below what fills memory:
 * the file's size bounds the compressed bytes only, not the pixels. */
#define EIMZA_CAPTCHA_MAX_BYTES  (256 * 1024)
#define EIMZA_CAPTCHA_MAX_WIDTH  1000
#define EIMZA_CAPTCHA_MAX_HEIGHT 400

#define EIMZA_CAPTCHA_ERROR (eimza_captcha_error_quark ())

/**
 * EimzaCaptchaError:
 * @EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE: neither a PNG nor a JPEG file whose
 *   header can be read.
 * @EIMZA_CAPTCHA_ERROR_TOO_LARGE: the file, or the picture it would
 *   decode to, is larger than a captcha can be; it is not decoded.
 *
 * Why a captcha image is not shown; the message is translated and plain.
 */
typedef enum {
  EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE,
  EIMZA_CAPTCHA_ERROR_TOO_LARGE,
} EimzaCaptchaError;

typedef enum {
  EIMZA_IMAGE_FORMAT_PNG,
  EIMZA_IMAGE_FORMAT_JPEG,
} EimzaImageFormat;

GQuark   eimza_captcha_error_quark   (void);

/* Reads the format and the pixel size of the PNG (the IHDR chunk) or JPEG
 * (the first SOFn marker) at @data from its header alone. FALSE when it is
 * neither or the header is cut off or says 0 pixels. */
gboolean eimza_image_read_header     (const guint8     *data,
                                      gsize             size,
                                      EimzaImageFormat *out_format,
                                      guint            *out_width,
                                      guint            *out_height);

/* Whether @image can be decoded as a captcha: at most
 * EIMZA_CAPTCHA_MAX_BYTES, a PNG or JPEG, and at most
 * EIMZA_CAPTCHA_MAX_WIDTH × EIMZA_CAPTCHA_MAX_HEIGHT pixels by its header.
 * @out_format (nullable) gets the decoder to use. */
gboolean eimza_captcha_image_check   (GBytes           *image,
                                      EimzaImageFormat *out_format,
                                      GError          **error);

G_END_DECLS
