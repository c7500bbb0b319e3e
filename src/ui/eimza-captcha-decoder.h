/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decodes the portal's captcha image off the main thread, within the bounds of a captcha. */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Checks @image's header with eimza_captcha_image_check() (nothing larger
 * than EIMZA_CAPTCHA_MAX_WIDTH × EIMZA_CAPTCHA_MAX_HEIGHT pixels is ever
 * decoded), then decodes it in a worker thread. Fails with an
 * #EimzaCaptchaError whose message can be shown as it is. */
void       eimza_captcha_decode_async  (GBytes               *image,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
GdkPixbuf *eimza_captcha_decode_finish (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
