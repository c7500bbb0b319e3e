/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Remembers the expiry of the signing certificates on a card seen, for the renewal reminders. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Adds the signing certificates among @certificates (element-type
 * EimzaCertificate) to the reminders' store (eimza_expiry_store_default_path()),
 * in a pool thread: only the serial, the issuer, the end of validity, a
 * keyed hash of the subject and a label that is neither the holder's name
 * nor number. Failures are logged, never shown: a reminder is a help. */
void eimza_expiry_recorder_record (GPtrArray *certificates);

/* Remembers whether the person's e-onay is active, as the NES site just
 * said (the welcome page then does not send an expired certificate's
 * holder to the paper route). In a pool thread. */
void eimza_expiry_recorder_record_eonay (gboolean active);

/* A label for the store: the token's label when it names no person (no
 * digits run that could be a T.C. Kimlik No, not the subject's name), else
 * the issuer's name. */
char *eimza_expiry_recorder_make_label (const char *token_label,
                                        const char *subject_cn,
                                        const char *issuer_cn);

G_END_DECLS
