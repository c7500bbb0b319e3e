/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A locked card (or a new card's first PIN) through Kamu SM's Şifreli Giriş without a display: sign-in, SMS code, the unblock code, the new PIN, a test signature. */
#pragma once

#include <gio/gio.h>

#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-nes-client.h"
#include "eimza-pin-asker.h"
#include "eimza-portal-profile.h"
#include "eimza-secret.h"

G_BEGIN_DECLS

/**
 * EimzaCardUnlockFlowState:
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN: Şifreli Giriş's form: T.C. Kimlik
 *   No, security word and the captcha (#EimzaCardUnlockFlow:captcha, %NULL
 *   until loaded or after it was used).
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_LOADING: the captcha is loaded.
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_SIGNING_IN: the form is sent.
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_SMS: the SMS code sent to the registered
 *   phone is awaited (#EimzaCardUnlockFlow:sms-phone, the deadline).
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_CONFIRMING: the SMS code is sent, then the
 *   unblock code asked for.
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_CODE: Kilit Çözme is open but the site
 *   did not give the unblock code (the error says why).
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_FETCHING: the unblock code is asked for.
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK: the unblock code is held: the
 *   person may set the new PIN.
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCKING: the card operation runs: the
 *   new PIN is asked (twice), the card unlocked with the code.
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_TESTING: a test signature with the new PIN.
 * @EIMZA_CARD_UNLOCK_FLOW_STATE_DONE: the card has its new PIN
 *   (#EimzaCardUnlockFlow:test-signature, or the test's error).
 */
typedef enum {
  EIMZA_CARD_UNLOCK_FLOW_STATE_SIGN_IN,
  EIMZA_CARD_UNLOCK_FLOW_STATE_LOADING,
  EIMZA_CARD_UNLOCK_FLOW_STATE_SIGNING_IN,
  EIMZA_CARD_UNLOCK_FLOW_STATE_SMS,
  EIMZA_CARD_UNLOCK_FLOW_STATE_CONFIRMING,
  EIMZA_CARD_UNLOCK_FLOW_STATE_CODE,
  EIMZA_CARD_UNLOCK_FLOW_STATE_FETCHING,
  EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCK,
  EIMZA_CARD_UNLOCK_FLOW_STATE_UNBLOCKING,
  EIMZA_CARD_UNLOCK_FLOW_STATE_TESTING,
  EIMZA_CARD_UNLOCK_FLOW_STATE_DONE,
} EimzaCardUnlockFlowState;

#define EIMZA_TYPE_CARD_UNLOCK_FLOW (eimza_card_unlock_flow_get_type ())

G_DECLARE_FINAL_TYPE (EimzaCardUnlockFlow, eimza_card_unlock_flow, EIMZA, CARD_UNLOCK_FLOW,
                      GObject)

/**
 * EimzaCardUnlockFlow:
 *
 * Kamu SM's "Kilit Çözme / PIN Oluşturma" without its Java applet: the
 * NES site's Şifreli Giriş (T.C. Kimlik No, the security word chosen in
 * the application form, the captcha, then an SMS code), the card's
 * unblock code from Kilit Çözme (docs/unblock-protocol.md, our model of
 * the site), then the existing unblock operation
 * (eimza_card_signing_new_pin_unblock() with
 * eimza_card_signing_set_unblock_code(): the person types only the new
 * PIN, twice, under the same rules, and confirms the code's last try),
 * then a test signature with the new PIN.
 *
 * Unblock tries are precious: the flow never runs the card operation by
 * itself, never sends the same code again after the card refused it (the
 * code is dropped: ask the site again, or type the envelope's code
 * elsewhere), and never repeats a request. What the person typed stays
 * with the caller; the security word and the SMS code are taken as
 * #EimzaSecret and never kept after their step; the unblock code is kept
 * in an #EimzaSecret only until the card took it.
 *
 * Properties (read-only, notified): #EimzaCardUnlockFlow:state,
 * #EimzaCardUnlockFlow:error (the last action's; cleared when one
 * starts), #EimzaCardUnlockFlow:captcha.
 *
 * Main thread only. One action at a time (another fails with
 * %G_IO_ERROR_PENDING); an action in the wrong state fails with
 * %G_IO_ERROR_FAILED.
 */

/* @url: (nullable): the NES site's Şifreli Giriş address (the profile's
 * NES site when %NULL); @ca_file: (nullable) as for eimza_nes_client_new(). */
EimzaCardUnlockFlow      *eimza_card_unlock_flow_new            (EimzaPortalProfile  *profile,
                                                                 EimzaCardService    *service,
                                                                 const char          *url,
                                                                 const char          *ca_file);

EimzaCardUnlockFlowState  eimza_card_unlock_flow_get_state      (EimzaCardUnlockFlow *self);
const GError             *eimza_card_unlock_flow_get_error      (EimzaCardUnlockFlow *self);
/* The captcha image (PNG or JPEG, checked), or %NULL. */
GBytes                   *eimza_card_unlock_flow_get_captcha    (EimzaCardUnlockFlow *self);
/* In SMS: the phone as the site shows it (masked), or %NULL. */
const char               *eimza_card_unlock_flow_get_sms_phone  (EimzaCardUnlockFlow *self);
/* In SMS: when the code expires on g_get_monotonic_time()'s clock, or 0
 * when the site did not say. */
gint64                    eimza_card_unlock_flow_get_sms_deadline (EimzaCardUnlockFlow *self);
/* The card holder's name as Kilit Çözme shows it, or %NULL. */
const char               *eimza_card_unlock_flow_get_holder     (EimzaCardUnlockFlow *self);
/* Whether the card took the new PIN (DONE, whatever the test said). */
gboolean                  eimza_card_unlock_flow_get_pin_set    (EimzaCardUnlockFlow *self);
/* DONE: the test signature (DER CMS), or %NULL when it failed. */
GBytes                   *eimza_card_unlock_flow_get_test_signature (EimzaCardUnlockFlow *self);
/* The site's conversation, or %NULL before the first step (for tests). */
EimzaNesClient           *eimza_card_unlock_flow_get_client     (EimzaCardUnlockFlow *self);
/* Seconds one exchange may take in all; 0 keeps the client's default. */
void                      eimza_card_unlock_flow_set_deadline   (EimzaCardUnlockFlow *self,
                                                                 guint                seconds);

/* Cancels any action, drops the site's session and the unblock code;
 * back to SIGN_IN. */
void                      eimza_card_unlock_flow_reset          (EimzaCardUnlockFlow *self);

/* From SIGN_IN: the captcha of the form (@start_over: a new start on the
 * site; otherwise the form the site sent back after a refusal). */
void                      eimza_card_unlock_flow_load_captcha_async  (EimzaCardUnlockFlow *self,
                                                                      gboolean             start_over,
                                                                      GCancellable        *cancellable,
                                                                      GAsyncReadyCallback  callback,
                                                                      gpointer             user_data);
gboolean                  eimza_card_unlock_flow_load_captcha_finish (EimzaCardUnlockFlow *self,
                                                                      GAsyncResult        *result,
                                                                      GError             **error);

/* From SIGN_IN with a captcha: checks @tckn (a wrong one fails at once,
 * nothing sent), then sends the form: SMS. A refusal (wrong captcha,
 * wrong security word — counted by the site —, a closed route) leaves
 * SIGN_IN with no captcha: load the next one. */
void                      eimza_card_unlock_flow_sign_in_async  (EimzaCardUnlockFlow *self,
                                                                 const char          *tckn,
                                                                 EimzaSecret         *security_word,
                                                                 const char          *captcha,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean                  eimza_card_unlock_flow_sign_in_finish (EimzaCardUnlockFlow *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);

/* From SMS: sends @sms_code, then asks Kilit Çözme for the unblock code:
 * UNBLOCK. A wrong code stays in SMS; an expired one, too many, or an
 * ended session go back to SIGN_IN; a refused unblock code to CODE. */
void                      eimza_card_unlock_flow_confirm_sms_async  (EimzaCardUnlockFlow *self,
                                                                     EimzaSecret         *sms_code,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
gboolean                  eimza_card_unlock_flow_confirm_sms_finish (EimzaCardUnlockFlow *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);

/* From CODE: asks Kilit Çözme for the unblock code again: UNBLOCK. */
void                      eimza_card_unlock_flow_fetch_code_async  (EimzaCardUnlockFlow *self,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
gboolean                  eimza_card_unlock_flow_fetch_code_finish (EimzaCardUnlockFlow *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* From UNBLOCK: the card of @certificate is unlocked with the unblock
 * code (@asker asks the new PIN twice and, at the code's last try, the
 * consent), then a test signature with @certificate's key (@asker asks
 * the new PIN): DONE. @birth_date (nullable, dd.mm.yyyy) is refused as
 * the new PIN. A card error stays in UNBLOCK (the person may try again);
 * a wrong code is dropped: CODE. */
void                      eimza_card_unlock_flow_unblock_async  (EimzaCardUnlockFlow *self,
                                                                 EimzaCertificate    *certificate,
                                                                 EimzaPinAsker       *asker,
                                                                 const char          *birth_date,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean                  eimza_card_unlock_flow_unblock_finish (EimzaCardUnlockFlow *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);

G_END_DECLS
