/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A fixed-size buffer for personal data (identity numbers, names, codes), wiped when freed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A buffer whose size is chosen once, when it is made: it never grows,
 * because growing (realloc, as GString does) leaves the old block with its
 * contents behind in freed memory. Its whole capacity is wiped with
 * explicit_bzero() before it is freed, however it is freed. Used for the
 * form bodies the portal clients post; the card's PINs have EimzaSecret.
 */
typedef struct _EimzaWipedBuffer EimzaWipedBuffer;

/* Called with the buffer's memory after the wipe and before the free;
 * for tests, which cannot look at freed memory. */
typedef void (*EimzaWipedBufferReleaseFunc) (const guint8 *data,
                                             gsize         capacity,
                                             gpointer      user_data);

EimzaWipedBuffer *eimza_wiped_buffer_new              (gsize              capacity);
void              eimza_wiped_buffer_free             (EimzaWipedBuffer  *self);

/* Appends @size bytes of @data; refuses (%FALSE, with a critical) what
 * does not fit, since the buffer never grows. */
gboolean          eimza_wiped_buffer_append           (EimzaWipedBuffer  *self,
                                                       const void        *data,
                                                       gsize              size);
gboolean          eimza_wiped_buffer_append_c         (EimzaWipedBuffer  *self,
                                                       char               c);

const guint8     *eimza_wiped_buffer_get_data         (EimzaWipedBuffer  *self);
gsize             eimza_wiped_buffer_get_length       (EimzaWipedBuffer  *self);
gsize             eimza_wiped_buffer_get_capacity     (EimzaWipedBuffer  *self);

void              eimza_wiped_buffer_set_release_func (EimzaWipedBuffer            *self,
                                                       EimzaWipedBufferReleaseFunc  func,
                                                       gpointer                     user_data);

/* Hands the contents over as #GBytes that free (and so wipe) @self when
 * their last reference goes. Takes @self. */
GBytes           *eimza_wiped_buffer_free_to_bytes    (EimzaWipedBuffer  *self);

/* Wipes @string (up to its NUL) and frees it; for copies of personal data
 * in ordinary strings. */
void              eimza_wiped_string_free             (char              *string);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaWipedBuffer, eimza_wiped_buffer_free)

G_END_DECLS
