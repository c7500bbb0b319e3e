/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How many PIN (and unblock code) tries a card has left, as far as can be known without spending one. */
#pragma once

#include <gio/gio.h>

#include "eimza-pkcs11-token.h"

G_BEGIN_DECLS

/* The card's policy: three wrong PINs in a row lock an AKİS card, and
 * three wrong unblock codes end it (docs: ../shared/reference/DOMAIN.md).
 * PKCS#11 has no call that tells a count; this is the most any card the
 * application knows allows. */
#define EIMZA_PIN_TRIES_CARD_POLICY 3

/**
 * EimzaPinTriesKind:
 * @EIMZA_PIN_TRIES_PIN: the user PIN's tries.
 * @EIMZA_PIN_TRIES_UNBLOCK: the unblock code's (the SO PIN, Kamu SM's PUK).
 */
typedef enum {
  EIMZA_PIN_TRIES_PIN,
  EIMZA_PIN_TRIES_UNBLOCK,
} EimzaPinTriesKind;

/**
 * EimzaPinTriesLeft:
 * @left: the tries left: exactly this many when @exact, else at most.
 * @exact: the token said so through its flags (locked: 0; final try: 1).
 * @n_wrong: wrong entries since the last correct one, as far as known
 *   (the application's own count, at least 1 when the token's count-low
 *   flag is set).
 */
typedef struct {
  guint left;
  gboolean exact;
  guint n_wrong;
} EimzaPinTriesLeft;

/* The rule, in one place: what @flags (a token's, read without a login)
 * and @n_seen_wrong (the wrong entries the application saw since the last
 * correct one) say about @kind's tries under EIMZA_PIN_TRIES_CARD_POLICY.
 * Locked and final try are exact (the module says so); otherwise an upper
 * bound, never below 1 for a token that is not locked. */
EimzaPinTriesLeft eimza_pin_tries_compute (EimzaPkcs11TokenFlags flags,
                                           EimzaPinTriesKind     kind,
                                           guint                 n_seen_wrong);

/* One sentence for people, e.g. "At most 2 PIN tries left." (translated). */
char             *eimza_pin_tries_describe (const EimzaPinTriesLeft *left,
                                            EimzaPinTriesKind        kind);

#define EIMZA_TYPE_PIN_TRIES (eimza_pin_tries_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPinTries, eimza_pin_tries, EIMZA, PIN_TRIES, GObject)

/**
 * EimzaPinTries:
 *
 * What the application itself saw of each card's tries since the last
 * correct entry, per token (manufacturer, model and serial), in memory for
 * the application's life: nothing is written anywhere. The card-signing
 * operation (the only one that sends a PIN or an unblock code) tells it
 * each wrong and each correct entry; every view asks it, with the token
 * as read right before, through eimza_pin_tries_get(). A count the token
 * shows to be stale (its count-low flag, once seen set, is clear again: a
 * correct PIN elsewhere) is dropped. Main thread only.
 */
EimzaPinTries    *eimza_pin_tries_new          (void);
/* The application's one instance. (transfer none) */
EimzaPinTries    *eimza_pin_tries_get_default  (void);

void              eimza_pin_tries_note_wrong   (EimzaPinTries     *self,
                                                EimzaPkcs11Token  *token,
                                                EimzaPinTriesKind  kind);
/* A correct entry; a correct unblock code also sets a new PIN, so both
 * counts start again. */
void              eimza_pin_tries_note_correct (EimzaPinTries     *self,
                                                EimzaPkcs11Token  *token,
                                                EimzaPinTriesKind  kind);
EimzaPinTriesLeft eimza_pin_tries_get          (EimzaPinTries     *self,
                                                EimzaPkcs11Token  *token,
                                                EimzaPinTriesKind  kind);
/* eimza_pin_tries_describe() of eimza_pin_tries_get(). */
char             *eimza_pin_tries_describe_token (EimzaPinTries     *self,
                                                  EimzaPkcs11Token  *token,
                                                  EimzaPinTriesKind  kind);

G_END_DECLS
