/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small secure buffer for PINs: locked in memory, wiped when freed. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_SECRET (eimza_secret_get_type ())

/**
 * EimzaSecret:
 *
 * An immutable, reference-counted byte string for a PIN. Its memory is a
 * page of its own, mlock()ed where the system allows it (so it is never
 * swapped out) and excluded from core dumps; it is wiped with
 * explicit_bzero() before it is released. The value is NUL-terminated.
 *
 * References may be taken and dropped from any thread (a PIN typed on the
 * main thread is used on the card worker thread). Never log the value and
 * never copy it into ordinary strings; pass the #EimzaSecret itself.
 */
typedef struct _EimzaSecret EimzaSecret;

GType         eimza_secret_get_type      (void) G_GNUC_CONST;

EimzaSecret  *eimza_secret_new           (const char  *value,
                                          gssize       length);
EimzaSecret  *eimza_secret_ref           (EimzaSecret *secret);
void          eimza_secret_unref         (EimzaSecret *secret);

const char   *eimza_secret_get           (const EimzaSecret *secret,
                                          gsize             *length);
gsize         eimza_secret_get_length    (const EimzaSecret *secret);
gboolean      eimza_secret_is_empty      (const EimzaSecret *secret);
gboolean      eimza_secret_is_locked     (const EimzaSecret *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSecret, eimza_secret_unref)

G_END_DECLS
