/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-signed application flow without a display: a code and document, the card's signature, one upload, the check. */
#pragma once

#include <gio/gio.h>

#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-pin-asker.h"
#include "eimza-portal-session.h"

G_BEGIN_DECLS

/**
 * EimzaEsignedApplicationState:
 * @EIMZA_ESIGNED_APPLICATION_STATE_NONE: nothing asked yet (new, reset).
 * @EIMZA_ESIGNED_APPLICATION_STATE_BEGINNING: a new code and document are
 *   asked for.
 * @EIMZA_ESIGNED_APPLICATION_STATE_BEGIN_FAILED: they did not come;
 *   #EimzaEsignedApplication:error says why (a broken answer, an expired
 *   code, a refusal, or the person stopped it).
 * @EIMZA_ESIGNED_APPLICATION_STATE_UNAVAILABLE: the portal does not take
 *   e-signed applications now (%EIMZA_PORTAL_ERROR_NOT_AVAILABLE, the
 *   portal's own message).
 * @EIMZA_ESIGNED_APPLICATION_STATE_SIGN: #EimzaEsignedApplication:document
 *   is there to be signed (after a refused signature too, with its error).
 * @EIMZA_ESIGNED_APPLICATION_STATE_SIGNING: the card signs (the PIN is asked).
 * @EIMZA_ESIGNED_APPLICATION_STATE_UPLOADING: the signature is sent, once.
 * @EIMZA_ESIGNED_APPLICATION_STATE_UPLOAD_FAILED: the signature did not
 *   reach the portal (the session asked it): it is kept, and sending it
 *   again is safe; signing again is possible too.
 * @EIMZA_ESIGNED_APPLICATION_STATE_CHECKING: the portal is asked whether
 *   the application was made.
 * @EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN: whether the signature arrived
 *   is not known (%EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN, a check that failed,
 *   or a step the person stopped): only asking again resolves it, never a
 *   blind upload of the same signature.
 * @EIMZA_ESIGNED_APPLICATION_STATE_EXPIRED: the portal waits no more
 *   (%EIMZA_PORTAL_ERROR_CODE_EXPIRED): beginning again gives a new code.
 * @EIMZA_ESIGNED_APPLICATION_STATE_APPLIED: the application was made;
 *   #EimzaEsignedApplication:number is its number.
 * @EIMZA_ESIGNED_APPLICATION_STATE_SESSION_ENDED: the portal session
 *   ended (%EIMZA_PORTAL_ERROR_SESSION_EXPIRED): sign in again.
 */
typedef enum {
  EIMZA_ESIGNED_APPLICATION_STATE_NONE,
  EIMZA_ESIGNED_APPLICATION_STATE_BEGINNING,
  EIMZA_ESIGNED_APPLICATION_STATE_BEGIN_FAILED,
  EIMZA_ESIGNED_APPLICATION_STATE_UNAVAILABLE,
  EIMZA_ESIGNED_APPLICATION_STATE_SIGN,
  EIMZA_ESIGNED_APPLICATION_STATE_SIGNING,
  EIMZA_ESIGNED_APPLICATION_STATE_UPLOADING,
  EIMZA_ESIGNED_APPLICATION_STATE_UPLOAD_FAILED,
  EIMZA_ESIGNED_APPLICATION_STATE_CHECKING,
  EIMZA_ESIGNED_APPLICATION_STATE_UNKNOWN,
  EIMZA_ESIGNED_APPLICATION_STATE_EXPIRED,
  EIMZA_ESIGNED_APPLICATION_STATE_APPLIED,
  EIMZA_ESIGNED_APPLICATION_STATE_SESSION_ENDED,
} EimzaEsignedApplicationState;

#define EIMZA_TYPE_ESIGNED_APPLICATION (eimza_esigned_application_get_type ())

G_DECLARE_FINAL_TYPE (EimzaEsignedApplication, eimza_esigned_application, EIMZA,
                      ESIGNED_APPLICATION, GObject)

/**
 * EimzaEsignedApplication:
 *
 * Step 4 of the renewal with the card ("E-İmzalı Başvuru") as a state
 * machine that needs no display, over an #EimzaPortalSession at the
 * signing-method page: the portal gives a code and the document to sign
 * (eimza_portal_session_begin_esigned_async()); the card signs it
 * (#EimzaCardSigning, every PIN rule) or the caller hands a signature made
 * elsewhere; the signature is uploaded once and kept until the portal
 * accepts it. A lost answer is resolved by the session, or, when it could
 * not tell, by asking the portal (eimza_esigned_application_check_async()),
 * never by sending the same signature blindly.
 *
 * Properties (read-only, notified): #EimzaEsignedApplication:state,
 * #EimzaEsignedApplication:document, #EimzaEsignedApplication:number,
 * #EimzaEsignedApplication:error (the last step's error, worded for
 * people; cleared when a step starts), #EimzaEsignedApplication:can-retry
 * (whether the step that failed may simply be tried again: beginning after
 * BEGIN_FAILED, the kept signature after UPLOAD_FAILED, the check after
 * UNKNOWN) and
 * #EimzaEsignedApplication:certificate-uri (the certificate last signed
 * with, to be chosen again; forgotten for another applicant).
 *
 * Main thread only. One step at a time: another fails with
 * %G_IO_ERROR_PENDING; a step asked for in the wrong state fails with
 * %G_IO_ERROR_FAILED. A step whose cancellable is cancelled ends with
 * %G_IO_ERROR_CANCELLED and leaves the state eimza_esigned_application_stop()
 * leaves; eimza_esigned_application_reset() ends it quietly.
 */

EimzaEsignedApplication      *eimza_esigned_application_new        (void);

/* The application of @tckn (the applicant's T.C. Kimlik No), on @session
 * (at the signing-method page), signed with a card of @service (nullable:
 * none yet). Resets (state NONE); another @tckn forgets the certificate. */
void                          eimza_esigned_application_set_applicant (EimzaEsignedApplication *self,
                                                                       EimzaPortalSession      *session,
                                                                       EimzaCardService        *service,
                                                                       const char              *tckn);

EimzaEsignedApplicationState  eimza_esigned_application_get_state  (EimzaEsignedApplication *self);
const EimzaPortalSignDocument *eimza_esigned_application_get_document (EimzaEsignedApplication *self);
const char                   *eimza_esigned_application_get_number (EimzaEsignedApplication *self);
const GError                 *eimza_esigned_application_get_error  (EimzaEsignedApplication *self);
gboolean                      eimza_esigned_application_get_can_retry (EimzaEsignedApplication *self);
const char                   *eimza_esigned_application_get_certificate_uri (EimzaEsignedApplication *self);
const char                   *eimza_esigned_application_get_tckn   (EimzaEsignedApplication *self);
EimzaCardService             *eimza_esigned_application_get_card_service (EimzaEsignedApplication *self);
/* Whether a signature is kept (made, not yet accepted). */
gboolean                      eimza_esigned_application_has_signature (EimzaEsignedApplication *self);
/* Whether a step runs now. */
gboolean                      eimza_esigned_application_is_busy    (EimzaEsignedApplication *self);

/* Cancels any step quietly and forgets the document and the signature:
 * state NONE. */
void                          eimza_esigned_application_reset      (EimzaEsignedApplication *self);

/* The person stopped the step that runs (Cancel). %FALSE when none runs.
 * What it leaves: BEGINNING → BEGIN_FAILED; UPLOADING → UNKNOWN (the
 * signature may have reached the portal already); CHECKING → UNKNOWN;
 * SIGNING → the state it started from (nothing was sent). Except after
 * SIGNING, the error says so and can-retry is set. */
gboolean                      eimza_esigned_application_stop       (EimzaEsignedApplication *self);

/* A new code and document (the old ones and any signature are dropped):
 * SIGN; or BEGIN_FAILED, UNAVAILABLE, SESSION_ENDED with the error. From
 * any state but APPLIED, with an applicant set. */
void                          eimza_esigned_application_begin_async  (EimzaEsignedApplication *self,
                                                                      GCancellable            *cancellable,
                                                                      GAsyncReadyCallback      callback,
                                                                      gpointer                 user_data);
gboolean                      eimza_esigned_application_begin_finish (EimzaEsignedApplication *self,
                                                                      GAsyncResult            *result,
                                                                      GError                 **error);

/* From SIGN, UPLOAD_FAILED or UNKNOWN (where a new signature may be
 * sent): signs the document with @certificate's key on the card, asking
 * @asker for the PIN, then uploads as eimza_esigned_application_upload_async().
 * A card error (a wrong or refused PIN, a locked card) leaves the state it
 * started from with the error, nothing sent and any kept signature kept;
 * a person who gives up at the PIN leaves it without an error. */
void                          eimza_esigned_application_sign_async   (EimzaEsignedApplication *self,
                                                                      EimzaCertificate        *certificate,
                                                                      EimzaPinAsker           *asker,
                                                                      GCancellable            *cancellable,
                                                                      GAsyncReadyCallback      callback,
                                                                      gpointer                 user_data);
gboolean                      eimza_esigned_application_sign_finish  (EimzaEsignedApplication *self,
                                                                      GAsyncResult            *result,
                                                                      GError                 **error);

/* Uploads @cms, made elsewhere with @certificate over the document's data
 * (from SIGN, UPLOAD_FAILED or UNKNOWN); with both %NULL, the kept
 * signature again (from UPLOAD_FAILED only). Then APPLIED; a refused
 * signature: SIGN (signing again may do); an expired code: EXPIRED; an
 * answer lost that the session found not arrived: UPLOAD_FAILED; one it
 * could not tell: UNKNOWN; SESSION_ENDED. */
void                          eimza_esigned_application_upload_async  (EimzaEsignedApplication *self,
                                                                       GBytes                  *cms,
                                                                       EimzaCertificate        *certificate,
                                                                       GCancellable            *cancellable,
                                                                       GAsyncReadyCallback      callback,
                                                                       gpointer                 user_data);
gboolean                      eimza_esigned_application_upload_finish (EimzaEsignedApplication *self,
                                                                       GAsyncResult            *result,
                                                                       GError                 **error);

/* From UNKNOWN: asks the portal whether the application was made. Then
 * APPLIED; not yet, with the signature kept: UPLOAD_FAILED (sending it
 * again is safe now); still not known: UNKNOWN; EXPIRED; SESSION_ENDED. */
void                          eimza_esigned_application_check_async  (EimzaEsignedApplication *self,
                                                                      GCancellable            *cancellable,
                                                                      GAsyncReadyCallback      callback,
                                                                      gpointer                 user_data);
gboolean                      eimza_esigned_application_check_finish (EimzaEsignedApplication *self,
                                                                      GAsyncResult            *result,
                                                                      GError                 **error);

G_END_DECLS
