/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A new card PIN for people (a change, or an unblock with the PUK): find the card, its dialog, one card-signing operation. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-card-service.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_PIN_CHANGE (eimza_pin_change_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPinChange, eimza_pin_change, EIMZA, PIN_CHANGE, GObject)

/**
 * EimzaPinChange:
 *
 * One PIN change of the card in the reader: it finds the card's key
 * (unless told which), then runs eimza_card_signing_new_pin_change() with
 * an #EimzaPinDialogAsker, so the PIN state, the last try, a locked card,
 * a keypad and the new PIN's rules are the operation's, as for a
 * signature. Made with eimza_pin_change_new_for_unblock(), it unlocks a
 * locked card (or sets a new card's first PIN) with the unblock code the
 * person holds instead (eimza_card_signing_new_pin_unblock()).
 * #EimzaPinChange:progress-text says what happens while the
 * card works (%NULL while the dialog asks, or when done). Main thread;
 * run once.
 */

/* @parent: (nullable): the window the PIN dialog is transient for. */
EimzaPinChange *eimza_pin_change_new             (EimzaCardService *service,
                                                  GtkWindow        *parent);
/* The same with the unblock code (PUK) instead of the current PIN. */
EimzaPinChange *eimza_pin_change_new_for_unblock (EimzaCardService *service,
                                                  GtkWindow        *parent);
/* Whether it unblocks. */
gboolean        eimza_pin_change_get_unblock     (EimzaPinChange   *self);
/* The key (or token) URI of the card it works on, once found (%NULL
 * before). */
const char     *eimza_pin_change_get_uri         (EimzaPinChange   *self);
/* A birth date the application knows of the card's holder, as typed
 * (dd.mm.yyyy); ignored when it is not a date. Before run only. */
void            eimza_pin_change_add_birth_date  (EimzaPinChange   *self,
                                                  const char       *birth_date);
/* @uri: (nullable): the card's token or key; %NULL: the card whose
 * signing certificate comes first (eimza_card_certificates_list_async()). */
void            eimza_pin_change_run_async       (EimzaPinChange      *self,
                                                  const char          *uri,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* %TRUE when the card took the new PIN; %G_IO_ERROR_CANCELLED when the
 * person gave up before any wrong PIN. */
gboolean        eimza_pin_change_run_finish      (EimzaPinChange   *self,
                                                  GAsyncResult     *result,
                                                  GError          **error);
const char     *eimza_pin_change_get_progress_text (EimzaPinChange *self);

/* The outcome of @result for people, in a message dialog transient for
 * @parent: success, or why the PIN was not changed or the card not
 * unlocked (@unblock; nothing when the person gave up). */
void            eimza_pin_change_show_outcome    (GtkWindow        *parent,
                                                  gboolean          unblock,
                                                  gboolean          changed,
                                                  const GError     *error);

G_END_DECLS
