/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-onay on Kamu SM's NES site as a state machine without a display: login, signatures, consent, result. */
#pragma once

#include <gio/gio.h>

#include "eimza-card-service.h"
#include "eimza-card-tls-interaction.h"
#include "eimza-certificate.h"
#include "eimza-nes-client.h"
#include "eimza-pin-asker.h"
#include "eimza-portal-profile.h"

G_BEGIN_DECLS

/**
 * EimzaEonayFlowState:
 * @EIMZA_EONAY_FLOW_STATE_IDENTITY: the certificate and the T.C. Kimlik No
 *   to log in with (new, reset, after a failed login, or the site's
 *   session ended).
 * @EIMZA_EONAY_FLOW_STATE_LOGGING_IN: the TLS login with the card and the
 *   number (the PIN is asked by the interaction given).
 * @EIMZA_EONAY_FLOW_STATE_FETCHING: what to sign for the site's code.
 * @EIMZA_EONAY_FLOW_STATE_SIGN: #EimzaEonayFlow:sign-data is to be signed
 *   (its #EimzaEonayFlow:purpose says which code).
 * @EIMZA_EONAY_FLOW_STATE_SIGNING: the card signs (the PIN is asked).
 * @EIMZA_EONAY_FLOW_STATE_UPLOADING: the signature is sent, once.
 * @EIMZA_EONAY_FLOW_STATE_OPENING: "E-ONAY İŞLEMLERİ" is opened.
 * @EIMZA_EONAY_FLOW_STATE_CONSENT: #EimzaEonayFlow:status holds the
 *   explanation and the commitment, waiting for the person's consent.
 * @EIMZA_EONAY_FLOW_STATE_CONSENTING: the consent is sent.
 * @EIMZA_EONAY_FLOW_STATE_CHECKING: the e-onay's state is asked.
 * @EIMZA_EONAY_FLOW_STATE_CANCELLING: the e-onay is cancelled.
 * @EIMZA_EONAY_FLOW_STATE_RESULT: #EimzaEonayFlow:result is known.
 */
typedef enum {
  EIMZA_EONAY_FLOW_STATE_IDENTITY,
  EIMZA_EONAY_FLOW_STATE_LOGGING_IN,
  EIMZA_EONAY_FLOW_STATE_FETCHING,
  EIMZA_EONAY_FLOW_STATE_SIGN,
  EIMZA_EONAY_FLOW_STATE_SIGNING,
  EIMZA_EONAY_FLOW_STATE_UPLOADING,
  EIMZA_EONAY_FLOW_STATE_OPENING,
  EIMZA_EONAY_FLOW_STATE_CONSENT,
  EIMZA_EONAY_FLOW_STATE_CONSENTING,
  EIMZA_EONAY_FLOW_STATE_CHECKING,
  EIMZA_EONAY_FLOW_STATE_CANCELLING,
  EIMZA_EONAY_FLOW_STATE_RESULT,
} EimzaEonayFlowState;

/**
 * EimzaEonayFlowResult:
 * @EIMZA_EONAY_FLOW_RESULT_NONE: not known yet.
 * @EIMZA_EONAY_FLOW_RESULT_ACTIVE: the person's e-onay is active.
 * @EIMZA_EONAY_FLOW_RESULT_NOT_ACTIVE: the site shows no active e-onay.
 * @EIMZA_EONAY_FLOW_RESULT_CANCELLED: not active, because it was just
 *   cancelled here.
 */
typedef enum {
  EIMZA_EONAY_FLOW_RESULT_NONE,
  EIMZA_EONAY_FLOW_RESULT_ACTIVE,
  EIMZA_EONAY_FLOW_RESULT_NOT_ACTIVE,
  EIMZA_EONAY_FLOW_RESULT_CANCELLED,
} EimzaEonayFlowResult;

#define EIMZA_TYPE_EONAY_FLOW (eimza_eonay_flow_get_type ())

G_DECLARE_FINAL_TYPE (EimzaEonayFlow, eimza_eonay_flow, EIMZA, EONAY_FLOW, GObject)

/**
 * EimzaEonayFlow:
 *
 * The whole e-onay as a state machine that needs no display, over one
 * #EimzaNesClient at a time: the login with the card's certificate
 * and the T.C. Kimlik No, the login code's signature, "E-ONAY
 * İŞLEMLERİ", the consent, the commitment's signature, the result, and
 * the cancellation. Each action is an `_async` call that runs the site's
 * steps it needs (a login is followed by fetching what to sign; an
 * accepted signature by the e-onay page or its state) and ends in a state
 * where the person acts again.
 *
 * Properties (read-only, notified): #EimzaEonayFlow:state,
 * #EimzaEonayFlow:purpose, #EimzaEonayFlow:sign-data,
 * #EimzaEonayFlow:status, #EimzaEonayFlow:result,
 * #EimzaEonayFlow:error (the last step's error; cleared when an action
 * starts) and #EimzaEonayFlow:can-retry (whether eimza_eonay_flow_retry_async()
 * repeats the request that failed).
 *
 * An action that fails, or is cancelled, leaves the state where it began,
 * except that a failed login or an ended session leads to IDENTITY and a
 * refused signature to SIGN. Nothing the person gave is lost: the number,
 * the certificate, the consent and the signature being sent stay until
 * they are replaced. No request is ever sent twice by the flow: only
 * retry sends the same signature again, and only when the session said it
 * did not arrive or could not tell (%EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN); a
 * signature refused as used is resolved by the site's state (our own,
 * arrived, or refused after all).
 *
 * Signals: "signature-accepted" () — the site has the code's signature
 * (accepted, or found to have arrived); what signed it may stop.
 *
 * Main thread only. One action at a time: another fails with
 * %G_IO_ERROR_PENDING; an action asked for in the wrong state fails with
 * %G_IO_ERROR_FAILED. A cancelled action changes nothing more.
 */

EimzaEonayFlow      *eimza_eonay_flow_new             (EimzaPortalProfile *profile,
                                                       EimzaCardService   *service,
                                                       const char         *eonay_url,
                                                       const char         *ca_file);

/* The number the person typed, checked before anything is sent: a valid
 * T.C. Kimlik No, and the one in @certificate (the site refuses any
 * other). Returns it with white space stripped (free with
 * eimza_wiped_string_free()), or %NULL with %EIMZA_VALIDATION_ERROR or
 * %EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH. */
char                *eimza_eonay_flow_check_tckn      (EimzaCertificate   *certificate,
                                                       const char         *typed,
                                                       GError            **error);

EimzaEonayFlowState  eimza_eonay_flow_get_state       (EimzaEonayFlow     *self);
EimzaEonayPurpose    eimza_eonay_flow_get_purpose     (EimzaEonayFlow     *self);
const EimzaEonaySignData *eimza_eonay_flow_get_sign_data (EimzaEonayFlow  *self);
const EimzaEonayStatus *eimza_eonay_flow_get_status   (EimzaEonayFlow     *self);
EimzaEonayFlowResult eimza_eonay_flow_get_result      (EimzaEonayFlow     *self);
const GError        *eimza_eonay_flow_get_error       (EimzaEonayFlow     *self);
gboolean             eimza_eonay_flow_get_can_retry   (EimzaEonayFlow     *self);
/* The number logged in with (%NULL before): the signing certificates
 * offered are this person's. Not to be logged. */
const char          *eimza_eonay_flow_get_tckn        (EimzaEonayFlow     *self);
/* The site's conversation, or %NULL (before a login, or after it ended). */
EimzaNesClient   *eimza_eonay_flow_get_session     (EimzaEonayFlow     *self);
/* Seconds one exchange may take in all (see
 * eimza_nes_client_set_deadline()); 0 (the default) keeps the
 * session's own. Applies to the session now and to later ones. */
void                 eimza_eonay_flow_set_deadline    (EimzaEonayFlow     *self,
                                                       guint               seconds);

/* Cancels any action and drops the site's session; the state is IDENTITY
 * and everything learnt from the site, and the login's number (wiped),
 * certificate and interaction, are forgotten. */
void                 eimza_eonay_flow_reset           (EimzaEonayFlow     *self);

/* From any state but a busy one: a new session with @certificate's key
 * for the TLS login (@interaction asks for its PIN; it is kept for the
 * session), the number (see eimza_eonay_flow_check_tckn(): a wrong one
 * fails at once, nothing sent), the login code and what to sign: SIGN. */
void                 eimza_eonay_flow_log_in_async    (EimzaEonayFlow          *self,
                                                       EimzaCertificate        *certificate,
                                                       const char              *tckn,
                                                       EimzaCardTlsInteraction *interaction,
                                                       GCancellable            *cancellable,
                                                       GAsyncReadyCallback      callback,
                                                       gpointer                 user_data);
gboolean             eimza_eonay_flow_log_in_finish   (EimzaEonayFlow     *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* From SIGN: uploads @cms, a detached CAdES-BES signature made elsewhere
 * over the sign data. The login code's signature leads to CONSENT (or
 * RESULT when the e-onay is already active), the commitment's to RESULT.
 * A refused signature: SIGN with the error (another may be uploaded); a
 * lost answer the session could not resolve: SIGN with can-retry. */
void                 eimza_eonay_flow_upload_async    (EimzaEonayFlow     *self,
                                                       GBytes             *cms,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean             eimza_eonay_flow_upload_finish   (EimzaEonayFlow     *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* From SIGN: signs the sign data with @certificate's key on the card
 * (#EimzaCardSigning, asking @asker for the PIN), then uploads as
 * eimza_eonay_flow_upload_async(). A card error leaves SIGN with it. */
void                 eimza_eonay_flow_sign_async      (EimzaEonayFlow     *self,
                                                       EimzaCertificate   *certificate,
                                                       EimzaPinAsker      *asker,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean             eimza_eonay_flow_sign_finish     (EimzaEonayFlow     *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* From SIGN, after the site's deadline: a new code, as the site says
 * ("İşlemi yeniden başlatınız"): for the login code, logging in again; for
 * the commitment's, the e-onay page again and, the commitment being the
 * one agreed to, the consent at once. Then SIGN. */
void                 eimza_eonay_flow_restart_async   (EimzaEonayFlow     *self,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean             eimza_eonay_flow_restart_finish  (EimzaEonayFlow     *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* From CONSENT: the person agrees to #EimzaEonayFlow:status's commitment;
 * the second code and the commitment document to sign: SIGN. */
void                 eimza_eonay_flow_consent_async   (EimzaEonayFlow     *self,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean             eimza_eonay_flow_consent_finish  (EimzaEonayFlow     *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* From RESULT with the e-onay active: cancels it, then RESULT (CANCELLED). */
void                 eimza_eonay_flow_cancel_eonay_async  (EimzaEonayFlow     *self,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
gboolean             eimza_eonay_flow_cancel_eonay_finish (EimzaEonayFlow     *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

/* From RESULT without an active e-onay: the e-onay page again: CONSENT. */
void                 eimza_eonay_flow_give_again_async    (EimzaEonayFlow     *self,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
gboolean             eimza_eonay_flow_give_again_finish   (EimzaEonayFlow     *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

/* With can-retry: sends the request that failed again (an expired or
 * unknown code: restarts the step for a new one; without a session: logs
 * in again with the same certificate and number), and goes on from there
 * as the first try would have. */
void                 eimza_eonay_flow_retry_async     (EimzaEonayFlow     *self,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean             eimza_eonay_flow_retry_finish    (EimzaEonayFlow     *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

G_END_DECLS
