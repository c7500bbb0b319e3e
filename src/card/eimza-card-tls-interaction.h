/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PIN rules of a TLS login with a key on the card, without the dialog that asks. */
#pragma once

#include <gio/gio.h>

#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-pin-asker.h"
#include "eimza-pkcs11-token.h"
#include "eimza-secret.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_CARD_TLS_INTERACTION (eimza_card_tls_interaction_get_type ())

G_DECLARE_DERIVABLE_TYPE (EimzaCardTlsInteraction, eimza_card_tls_interaction, EIMZA,
                          CARD_TLS_INTERACTION, GTlsInteraction)

/**
 * EimzaCardTlsInteractionClass:
 * @ask_pin_async: asks the person for the PIN of @token (read from the
 *   card just now: its PIN state, whether it has a PIN pad). @retry: the
 *   card refused the PIN before. On a PIN-pad reader nothing is typed
 *   here: the person agrees, then types on the reader.
 * @ask_pin_finish: %TRUE when the person went on; @pin is then the PIN
 *   (transfer full; %NULL on a PIN pad) and @final_try_confirmed says
 *   whether they agreed to spend the card's last try.
 *
 * A #GTlsInteraction for the NES site's TLS login with the card's
 * certificate (see #EimzaTlsCardLogin, which it implements). Every answer
 * is an #EimzaCardSigning (the card's PIN rules, in one place): it reads
 * the token's PIN state through the card service and asks through this
 * class, an #EimzaPinAsker whose asks are the subclass's @ask_pin_async;
 * subclasses only ask the person:
 * - a locked card is never asked: %EIMZA_CARD_ERROR_PIN_LOCKED;
 * - the last try is spent only with the person's confirmation
 *   (%EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED otherwise);
 * - a wrong PIN (%G_TLS_PASSWORD_RETRY) is never answered by itself;
 *   giving up then fails with %EIMZA_CARD_ERROR_PIN_INCORRECT;
 * - a PIN is kept for later connections only after the handshake that
 *   used it succeeded; a replay never spends a last try (token or request
 *   flags FINAL_TRY or RETRY ask the person instead), and a replay that
 *   does not succeed is forgotten;
 * - for a PIN-pad reader (which GnuTLS logs in without asking) the
 *   person is asked before the handshake uses the key, with the same
 *   last-try rule;
 * - never %G_TLS_INTERACTION_UNHANDLED.
 * Main thread only: GTlsInteraction brings glib-networking's asks there.
 */
struct _EimzaCardTlsInteractionClass
{
  GTlsInteractionClass parent_class;

  void     (*ask_pin_async)  (EimzaCardTlsInteraction  *self,
                              EimzaPkcs11Token         *token,
                              gboolean                  retry,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data);
  gboolean (*ask_pin_finish) (EimzaCardTlsInteraction  *self,
                              GAsyncResult             *result,
                              EimzaSecret             **pin,
                              gboolean                 *final_try_confirmed,
                              GError                  **error);

  gpointer padding[4];
};

/* Whether a PIN is kept for later connections. */
gboolean eimza_card_tls_interaction_has_pin (EimzaCardTlsInteraction *self);

/* Wipes the kept PIN and ends an ask under way (it fails as cancelled). */
void     eimza_card_tls_interaction_forget  (EimzaCardTlsInteraction *self);

/* The URLs to give g_tls_certificate_new_from_pkcs11_uris() (e.g. through
 * the NES session) for @certificate, whose key must be this interaction's
 * key: GnuTLS then reads the certificate from what the card service read
 * already and has every signature of the handshake made by the card
 * worker, under this interaction's PIN rules (the person is asked when
 * the key signs; a PIN-pad prompt too). No thread but the card worker
 * enters the card's PKCS#11 module, which a module without OS locking
 * (Kamu SM's AKİS module) needs. The URLs are valid while the interaction
 * lives; routing again replaces them. Main thread. */
gboolean eimza_card_tls_interaction_route   (EimzaCardTlsInteraction  *self,
                                             EimzaCertificate         *certificate,
                                             char                    **cert_url,
                                             char                    **key_url,
                                             GError                  **error);

G_END_DECLS
