/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card's PIN for a TLS login with the card's certificate, asked with the PIN dialog. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_PIN_INTERACTION (eimza_pin_interaction_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPinInteraction, eimza_pin_interaction, EIMZA, PIN_INTERACTION, GTlsInteraction)

/**
 * EimzaPinInteraction:
 *
 * A #GTlsInteraction for eimza_eonay_session_new(): when the TLS login
 * needs the card's PIN it reads the token's PIN state through the card
 * service (eimza_pkcs11_lookup_token_async() on @key_uri) and asks with
 * #EimzaPinDialog, following the card's rules:
 * - a locked card is never asked: the ask fails with
 *   %EIMZA_CARD_ERROR_PIN_LOCKED and a message saying what to do;
 * - the final try needs the person's confirmation (the dialog's box);
 * - a wrong PIN (%G_TLS_PASSWORD_RETRY) is never answered by itself: the
 *   state is read again and the person is asked again; closing the dialog
 *   fails the ask with %EIMZA_CARD_ERROR_PIN_INCORRECT;
 * - closing the dialog otherwise fails with %G_IO_ERROR_CANCELLED;
 * - never %G_TLS_INTERACTION_UNHANDLED.
 * The PIN the person gave is kept (in an #EimzaSecret) to answer the first
 * ask of later TLS connections of the same session, until
 * eimza_pin_interaction_forget() or the object's end.
 *
 * Create it on the main thread: glib-networking asks from its own thread,
 * and #GTlsInteraction brings the ask to the main context.
 */

/* @service: the EimzaCardService (as GObject); @key_uri: the PKCS#11 URI
 * of the private key of the TLS certificate; @purpose: the PIN dialog's
 * text. */
EimzaPinInteraction *eimza_pin_interaction_new        (GObject             *service,
                                                       const char          *key_uri,
                                                       const char          *purpose);

/* The window the PIN dialog is transient for. */
void                 eimza_pin_interaction_set_parent (EimzaPinInteraction *self,
                                                       GtkWindow           *parent);

/* The PIN dialog's accepting button (with a mnemonic), e.g. "_Log In":
 * this PIN signs nothing. %NULL: the dialog's own ("_Sign"). */
void                 eimza_pin_interaction_set_accept_label (EimzaPinInteraction *self,
                                                             const char          *label);

/* Whether a PIN is kept for later connections. */
gboolean             eimza_pin_interaction_has_pin    (EimzaPinInteraction *self);

/* Wipes the kept PIN and closes an open PIN dialog (the ask fails as
 * cancelled). */
void                 eimza_pin_interaction_forget     (EimzaPinInteraction *self);

G_END_DECLS
