/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decodes the portal's captcha image off the main thread, within the bounds of a captcha. */
#include "config.h"

#include "eimza-captcha-decoder.h"
#include "eimza-captcha-image.h"

typedef struct {
  GBytes *image;
  EimzaImageFormat format;
} DecodeData;

static void
decode_data_free (DecodeData *data)
{
  g_bytes_unref (data->image);
  g_free (data);
}

/* The decoder's own reading of the size, a second guard behind the header
 * check: a zero size makes it stop before it allocates any pixels. */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  gboolean *refused = user_data;

  if (width > EIMZA_CAPTCHA_MAX_WIDTH || height > EIMZA_CAPTCHA_MAX_HEIGHT)
    {
      *refused = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

static void
set_not_shown (GError **error)
{
  g_set_error_literal (error, EIMZA_CAPTCHA_ERROR, EIMZA_CAPTCHA_ERROR_NOT_AN_IMAGE,
                       g_dgettext (GETTEXT_PACKAGE,
                                   "The portal sent a security image that cannot be shown."));
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeData *data = task_data;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  gboolean refused = FALSE;
  GdkPixbuf *pixbuf;

  loader = gdk_pixbuf_loader_new_with_type (data->format == EIMZA_IMAGE_FORMAT_PNG ? "png"
                                                                                   : "jpeg",
                                            NULL);
  if (loader == NULL)
    {
      set_not_shown (&error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &refused);
  if (!gdk_pixbuf_loader_write_bytes (loader, data->image, NULL) ||
      !gdk_pixbuf_loader_close (loader, NULL) || refused ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL ||
      gdk_pixbuf_get_width (pixbuf) > EIMZA_CAPTCHA_MAX_WIDTH ||
      gdk_pixbuf_get_height (pixbuf) > EIMZA_CAPTCHA_MAX_HEIGHT)
    {
      /* A loader is closed before it goes, even after an error. */
      gdk_pixbuf_loader_close (loader, NULL);
      set_not_shown (&error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_object_ref (pixbuf), g_object_unref);
}

void
eimza_captcha_decode_async (GBytes              *image,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  DecodeData *data;
  EimzaImageFormat format;

  g_return_if_fail (image != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, eimza_captcha_decode_async);

  if (!eimza_captcha_image_check (image, &format, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (DecodeData, 1);
  data->image = g_bytes_ref (image);
  data->format = format;
  g_task_set_task_data (task, data, (GDestroyNotify) decode_data_free);
  g_task_run_in_thread (task, decode_thread);
}

GdkPixbuf *
eimza_captcha_decode_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == eimza_captcha_decode_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
