/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One signing step: what is signed, the certificate, the site's countdown, the PIN and the card's signature. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-card-service.h"
#include "eimza-certificate.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_SIGN_STEP (eimza_sign_step_get_type ())

G_DECLARE_FINAL_TYPE (EimzaSignStep, eimza_sign_step, EIMZA, SIGN_STEP, GtkBox)

/**
 * EimzaSignStep:
 *
 * A reusable widget for pages that have the person sign something with
 * the card: it shows the text being signed, lets the person choose among
 * the card's signing certificates, counts down to the site's deadline and,
 * when the person presses "Sign", runs one #EimzaCardSigning: it reads the
 * card's PIN state, asks for the PIN with #EimzaPinDialog (never for a
 * locked card; the final try only after the person confirms) and makes a
 * detached CAdES-BES signature (eimza_cades_sign_async()).
 *
 * Signals:
 * - "signed" (GBytes *cms, EimzaCertificate *certificate): the DER CMS
 *   SignedData; the owner uploads it, calling
 *   eimza_sign_step_set_sensitive_busy() meanwhile and
 *   eimza_sign_step_show_error() when the upload is refused.
 * - "restart-requested" (): the deadline passed and the person asked to
 *   start the step again; the owner fetches a new code and data and calls
 *   eimza_sign_step_start() again (the chosen certificate is kept).
 *
 * When the card is taken out while the step is open, signing stops with a
 * plain message and continues once the card is back.
 */

GtkWidget *eimza_sign_step_new                (void);

/* @service: the card service to sign with; (nullable) to drop it. */
void       eimza_sign_step_set_card_service   (EimzaSignStep    *self,
                                               EimzaCardService *service);

/* Shows @data (what is signed) under @heading, as eimza_signed_text_for_display()
 * makes it readable: word for word, hidden and direction-changing characters
 * as visible escapes (scrollable and selectable). Data that cannot be shown
 * (not UTF-8 text, NUL bytes, nothing) is refused with a plain message and
 * can never be signed. Otherwise offers the card's signing certificates
 * (only those of @tckn when not %NULL; nonRepudiation/NES first;
 * @preferred_cert_uri preselected when given), counts down to @deadline
 * (nullable: no limit) and signs @data (exact bytes, detached CAdES-BES)
 * when the person presses "Sign" and gives the PIN. Any earlier step's
 * signature in progress is cancelled. */
void       eimza_sign_step_start              (EimzaSignStep *self,
                                               const char    *heading,
                                               GBytes        *data,
                                               GDateTime     *deadline,
                                               const char    *tckn,
                                               const char    *preferred_cert_uri);

/* For the owner while it uploads / after a refusal: shows @error's message
 * (nullable: clears it) as an error on the step and lets the person sign
 * again. A %G_IO_ERROR_CANCELLED error just clears the busy state;
 * %EIMZA_PORTAL_ERROR_CODE_EXPIRED shows the "time ran out" message with
 * its Start Again button (::restart-requested), as the deadline does. */
void       eimza_sign_step_show_error         (EimzaSignStep *self,
                                               const GError  *error);

/* While the owner uploads (with its own progress line): the Sign button
 * and the certificate choice are insensitive. After "signed" they already
 * are, until show_error(), start() or set_sensitive_busy (FALSE). */
void       eimza_sign_step_set_sensitive_busy (EimzaSignStep *self,
                                               gboolean       busy);

/* Stops the countdown and any signature in progress (e.g. when the owner
 * leaves the step); start() opens it again. */
void       eimza_sign_step_stop               (EimzaSignStep *self);

/* The certificate chosen now, or %NULL. (transfer none) */
EimzaCertificate *eimza_sign_step_get_certificate (EimzaSignStep *self);

G_END_DECLS
