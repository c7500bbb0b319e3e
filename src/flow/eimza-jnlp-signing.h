/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The .jnlp signing flow without a display: read, code, fetch, sign on the card, upload once. */
#pragma once

#include <gio/gio.h>

#include "eimza-card-service.h"
#include "eimza-card-tls-interaction.h"
#include "eimza-certificate.h"
#include "eimza-nes-client.h"
#include "eimza-jnlp.h"
#include "eimza-pin-asker.h"
#include "eimza-portal-profile.h"

G_BEGIN_DECLS

/**
 * EimzaJnlpSigningState:
 * @EIMZA_JNLP_SIGNING_STATE_EMPTY: no file (new, reset, or finished).
 * @EIMZA_JNLP_SIGNING_STATE_READING: the file is read and recognised.
 * @EIMZA_JNLP_SIGNING_STATE_PROBLEM: the file is not used; #EimzaJnlpSigning:error
 *   says why (%EIMZA_JNLP_ERROR, or the error of reading it).
 * @EIMZA_JNLP_SIGNING_STATE_CODE: a Kamu SM signer: waiting for the code
 *   the web page shows (#EimzaJnlpSigning:error: why the last one failed).
 * @EIMZA_JNLP_SIGNING_STATE_FETCHING: the card's certificates are listed,
 *   the signer's session made, what to sign fetched.
 * @EIMZA_JNLP_SIGNING_STATE_SIGN: #EimzaJnlpSigning:sign-data is there to
 *   be signed (after a refused signature too, with its error).
 * @EIMZA_JNLP_SIGNING_STATE_SIGNING: the card signs (the PIN is asked).
 * @EIMZA_JNLP_SIGNING_STATE_UPLOADING: the signature is sent, once.
 * @EIMZA_JNLP_SIGNING_STATE_UPLOAD_FAILED: the signature was not sent, or
 *   nobody can tell (%EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN); it is kept, and
 *   eimza_jnlp_signing_upload_async() with no signature sends it again.
 * @EIMZA_JNLP_SIGNING_STATE_DONE: the site accepted the signature.
 */
typedef enum {
  EIMZA_JNLP_SIGNING_STATE_EMPTY,
  EIMZA_JNLP_SIGNING_STATE_READING,
  EIMZA_JNLP_SIGNING_STATE_PROBLEM,
  EIMZA_JNLP_SIGNING_STATE_CODE,
  EIMZA_JNLP_SIGNING_STATE_FETCHING,
  EIMZA_JNLP_SIGNING_STATE_SIGN,
  EIMZA_JNLP_SIGNING_STATE_SIGNING,
  EIMZA_JNLP_SIGNING_STATE_UPLOADING,
  EIMZA_JNLP_SIGNING_STATE_UPLOAD_FAILED,
  EIMZA_JNLP_SIGNING_STATE_DONE,
} EimzaJnlpSigningState;

#define EIMZA_TYPE_JNLP_SIGNING (eimza_jnlp_signing_get_type ())

G_DECLARE_FINAL_TYPE (EimzaJnlpSigning, eimza_jnlp_signing, EIMZA, JNLP_SIGNING, GObject)

/**
 * EimzaJnlpSigning:
 *
 * Kamu SM's Java signer done natively, as a state machine that needs no
 * display: a .jnlp file is read (bounded, off the main thread) and
 * recognised with the portal profile; the person's code fetches what to
 * sign from the descriptor's codebase (#EimzaNesClient); the card signs
 * it (#EimzaCardSigning, every PIN rule) or the caller hands a signature
 * made elsewhere; the signature is uploaded once, and a lost answer is
 * resolved by the session.
 *
 * Properties (read-only, notified): #EimzaJnlpSigning:state,
 * #EimzaJnlpSigning:file, #EimzaJnlpSigning:jnlp,
 * #EimzaJnlpSigning:sign-data, #EimzaJnlpSigning:error (the last step's
 * error, worded for people; cleared when a step starts) and
 * #EimzaJnlpSigning:can-retry (whether the same step may simply be tried
 * again).
 *
 * Signals: "create-tls-interaction" (EimzaCertificate *certificate) →
 * EimzaCardTlsInteraction *: when the signer's session is made with a
 * card, the handler returns (transfer full) the interaction that asks for
 * the PIN if the site wants the card's certificate on connecting; without
 * one the connection offers no certificate.
 *
 * Main thread only. One step at a time: another fails with
 * %G_IO_ERROR_PENDING; a step asked for in the wrong state fails with
 * %G_IO_ERROR_FAILED. A cancelled step changes nothing more.
 */

EimzaJnlpSigning     *eimza_jnlp_signing_new            (EimzaPortalProfile *profile,
                                                         EimzaCardService   *service,
                                                         const char         *eonay_url,
                                                         const char         *ca_file);

EimzaJnlpSigningState eimza_jnlp_signing_get_state      (EimzaJnlpSigning   *self);
GFile                *eimza_jnlp_signing_get_file       (EimzaJnlpSigning   *self);
EimzaJnlp            *eimza_jnlp_signing_get_jnlp       (EimzaJnlpSigning   *self);
const EimzaEonaySignData *eimza_jnlp_signing_get_sign_data (EimzaJnlpSigning *self);
const GError         *eimza_jnlp_signing_get_error      (EimzaJnlpSigning   *self);
gboolean              eimza_jnlp_signing_get_can_retry  (EimzaJnlpSigning   *self);
/* The certificate offered to the site on connecting (%NULL before the
 * fetch, or without a card): the one to preselect for signing. */
const char           *eimza_jnlp_signing_get_tls_certificate_uri (EimzaJnlpSigning *self);
/* Seconds one exchange with the signer may take in all (see
 * eimza_nes_client_set_deadline()); 0 (the default) keeps the
 * session's own. Applies to the session now and to later ones. */
void                  eimza_jnlp_signing_set_deadline   (EimzaJnlpSigning   *self,
                                                         guint               seconds);
/* Whether something was started that leaving now would drop. */
gboolean              eimza_jnlp_signing_is_in_progress (EimzaJnlpSigning   *self);

/* Cancels any step and forgets the file: state EMPTY. */
void                  eimza_jnlp_signing_reset          (EimzaJnlpSigning   *self);

/* Reads @file: state CODE, or PROBLEM. Resets first. */
void                  eimza_jnlp_signing_load_async     (EimzaJnlpSigning   *self,
                                                         GFile              *file,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean              eimza_jnlp_signing_load_finish    (EimzaJnlpSigning   *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);

/* @code as typed (eimza_site_code_check()); from CODE: SIGN, or CODE with
 * the error (CODE_INVALID, CODE_EXPIRED…). */
void                  eimza_jnlp_signing_fetch_async    (EimzaJnlpSigning   *self,
                                                         const char         *code,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean              eimza_jnlp_signing_fetch_finish   (EimzaJnlpSigning   *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);

/* From SIGN: signs the data with @certificate's key on the card, asking
 * @asker for the PIN, then uploads as eimza_jnlp_signing_upload_async().
 * A card error (a wrong or refused PIN, a locked card) leaves SIGN with
 * the error. */
void                  eimza_jnlp_signing_sign_async     (EimzaJnlpSigning   *self,
                                                         EimzaCertificate   *certificate,
                                                         EimzaPinAsker      *asker,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean              eimza_jnlp_signing_sign_finish    (EimzaJnlpSigning   *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);

/* From SIGN, uploads @cms (made elsewhere over the sign data); from
 * UPLOAD_FAILED with @cms %NULL, the kept signature again. Then DONE; a
 * used-up or expired code: CODE; a refused signature: SIGN; an answer
 * lost and not resolved: UPLOAD_FAILED. */
void                  eimza_jnlp_signing_upload_async   (EimzaJnlpSigning   *self,
                                                         GBytes             *cms,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean              eimza_jnlp_signing_upload_finish  (EimzaJnlpSigning   *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);

/* The site's deadline passed: back to CODE with CODE_EXPIRED (a new code
 * is needed). */
void                  eimza_jnlp_signing_expire         (EimzaJnlpSigning   *self);

G_END_DECLS
