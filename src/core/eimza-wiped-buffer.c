/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A fixed-size buffer for personal data (identity numbers, names, codes), wiped when freed. */
#include "config.h"

#include <string.h>

#include "eimza-wiped-buffer.h"

struct _EimzaWipedBuffer
{
  guint8 *data;
  gsize length;
  gsize capacity;
  EimzaWipedBufferReleaseFunc release_func;
  gpointer release_data;
};

EimzaWipedBuffer *
eimza_wiped_buffer_new (gsize capacity)
{
  EimzaWipedBuffer *self = g_new0 (EimzaWipedBuffer, 1);

  /* One byte more keeps an empty buffer's data non-NULL. */
  self->data = g_malloc0 (capacity + 1);
  self->capacity = capacity;

  return self;
}

void
eimza_wiped_buffer_free (EimzaWipedBuffer *self)
{
  if (self == NULL)
    return;

  explicit_bzero (self->data, self->capacity + 1);
  if (self->release_func != NULL)
    self->release_func (self->data, self->capacity, self->release_data);
  g_free (self->data);
  g_free (self);
}

gboolean
eimza_wiped_buffer_append (EimzaWipedBuffer *self,
                           const void       *data,
                           gsize             size)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || size == 0, FALSE);
  g_return_val_if_fail (size <= self->capacity - self->length, FALSE);

  if (size > 0)
    memcpy (self->data + self->length, data, size);
  self->length += size;

  return TRUE;
}

gboolean
eimza_wiped_buffer_append_c (EimzaWipedBuffer *self,
                             char              c)
{
  return eimza_wiped_buffer_append (self, &c, 1);
}

const guint8 *
eimza_wiped_buffer_get_data (EimzaWipedBuffer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

gsize
eimza_wiped_buffer_get_length (EimzaWipedBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->length;
}

gsize
eimza_wiped_buffer_get_capacity (EimzaWipedBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->capacity;
}

void
eimza_wiped_buffer_set_release_func (EimzaWipedBuffer            *self,
                                     EimzaWipedBufferReleaseFunc  func,
                                     gpointer                     user_data)
{
  g_return_if_fail (self != NULL);

  self->release_func = func;
  self->release_data = user_data;
}

GBytes *
eimza_wiped_buffer_free_to_bytes (EimzaWipedBuffer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_bytes_new_with_free_func (self->data, self->length,
                                     (GDestroyNotify) eimza_wiped_buffer_free, self);
}

void
eimza_wiped_string_free (char *string)
{
  if (string == NULL)
    return;

  explicit_bzero (string, strlen (string));
  g_free (string);
}
