/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Why a conversation with the application portal failed, in one error domain. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EIMZA_PORTAL_ERROR (eimza_portal_error_quark ())

/**
 * EimzaPortalError:
 * @EIMZA_PORTAL_ERROR_NETWORK: the portal could not be reached, or the
 *   connection broke (refused, reset, name not found).
 * @EIMZA_PORTAL_ERROR_TIMEOUT: the portal did not answer in time.
 * @EIMZA_PORTAL_ERROR_TLS: the portal's certificate is not trusted, or no
 *   secure connection could be set up. Never offer to ignore it.
 * @EIMZA_PORTAL_ERROR_SERVER: the portal answered with a server error (5xx).
 * @EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE: the portal answered something the
 *   profile does not describe: a redesigned, broken or incomplete page.
 * @EIMZA_PORTAL_ERROR_SESSION_EXPIRED: the portal session ended; restart
 *   with eimza_portal_session_restart_async() and sign in again.
 * @EIMZA_PORTAL_ERROR_WRONG_CAPTCHA: the security image text was wrong.
 * @EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH: the identity does not match MERNİS.
 * @EIMZA_PORTAL_ERROR_INVALID_FIELDS: the portal refused some fields; see
 *   eimza_portal_session_get_field_errors().
 * @EIMZA_PORTAL_ERROR_SMS_WRONG_CODE: the SMS approval code was wrong; some
 *   attempts are left.
 * @EIMZA_PORTAL_ERROR_SMS_EXPIRED: the SMS code expired; ask for a new one.
 * @EIMZA_PORTAL_ERROR_SMS_LOCKED: too many wrong codes; the application
 *   must be started again from the sign-in page.
 * @EIMZA_PORTAL_ERROR_SMS_TOO_EARLY: a new code was asked for too soon.
 * @EIMZA_PORTAL_ERROR_NOT_AVAILABLE: the step is not offered to this person,
 *   e.g. there is no active e-onay.
 * @EIMZA_PORTAL_ERROR_REJECTED: the portal refused the step with a message
 *   the profile does not classify; the message is the portal's own text.
 * @EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED: (NES site) logging in with the
 *   e-signature failed: there was no client certificate to present, or the
 *   site refused the one presented (not Kamu SM's, expired, revoked).
 *   Nothing is retried.
 * @EIMZA_PORTAL_ERROR_PIN: (NES site) the card's PIN was needed for the
 *   login and the #GTlsInteraction did not give one that worked (wrong,
 *   refused, or the card is locked); the message is the interaction's own
 *   when it gave one. Nothing is retried, so a wrong PIN is never sent twice.
 * @EIMZA_PORTAL_ERROR_CODE_EXPIRED: (NES site) the time limit for signing
 *   with this verification code ran out; start the step again for a new code.
 * @EIMZA_PORTAL_ERROR_CODE_INVALID: (NES site) the verification code is
 *   unknown (mistyped, or its session ended) or its signature was already
 *   accepted.
 * @EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED: (NES site) the site did not
 *   accept the signature: not a valid CAdES signature over the data of the
 *   code, a certificate it does not trust, or a signing time outside the
 *   time limit.
 * @EIMZA_PORTAL_ERROR_WRONG_SIGNER: (NES site) the signature was made with
 *   the certificate of another person than the one logged in.
 * @EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN: a signature was sent, the answer was
 *   lost (time-out, broken connection, server error), and asking the site
 *   whether it arrived failed too: nobody knows yet. Ask again (the same
 *   step, which asks before it sends anything); never sign again blindly.
 * @EIMZA_PORTAL_ERROR_SECURITY_WORD_WRONG: (NES site, Şifreli Giriş) the T.C.
 *   Kimlik No or the security word was wrong; the site counts these, and
 *   the message says how many tries are left.
 * @EIMZA_PORTAL_ERROR_SECURITY_WORD_LOCKED: (NES site, Şifreli Giriş) too
 *   many wrong security words: the site has closed the route for this
 *   number; only Kamu SM can open it again.
 * @EIMZA_PORTAL_ERROR_UNBLOCK_REFUSED: (NES site, Kilit Çözme) the site did
 *   not hand out the card's unblock code; the message is the site's own.
 *
 * For the portal-side errors (from @EIMZA_PORTAL_ERROR_SESSION_EXPIRED on)
 * the message is the portal's own (Turkish) text when the page has one, so
 * the person reads what the portal said; otherwise, and for the transport
 * errors, it is a translated sentence. Cancellation stays
 * %G_IO_ERROR_CANCELLED in %G_IO_ERROR.
 */
typedef enum {
  EIMZA_PORTAL_ERROR_NETWORK,
  EIMZA_PORTAL_ERROR_TIMEOUT,
  EIMZA_PORTAL_ERROR_TLS,
  EIMZA_PORTAL_ERROR_SERVER,
  EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
  EIMZA_PORTAL_ERROR_SESSION_EXPIRED,
  EIMZA_PORTAL_ERROR_WRONG_CAPTCHA,
  EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH,
  EIMZA_PORTAL_ERROR_INVALID_FIELDS,
  EIMZA_PORTAL_ERROR_SMS_WRONG_CODE,
  EIMZA_PORTAL_ERROR_SMS_EXPIRED,
  EIMZA_PORTAL_ERROR_SMS_LOCKED,
  EIMZA_PORTAL_ERROR_SMS_TOO_EARLY,
  EIMZA_PORTAL_ERROR_NOT_AVAILABLE,
  EIMZA_PORTAL_ERROR_REJECTED,
  EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED,
  EIMZA_PORTAL_ERROR_PIN,
  EIMZA_PORTAL_ERROR_CODE_EXPIRED,
  EIMZA_PORTAL_ERROR_CODE_INVALID,
  EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED,
  EIMZA_PORTAL_ERROR_WRONG_SIGNER,
  EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN,
  EIMZA_PORTAL_ERROR_SECURITY_WORD_WRONG,
  EIMZA_PORTAL_ERROR_SECURITY_WORD_LOCKED,
  EIMZA_PORTAL_ERROR_UNBLOCK_REFUSED,
} EimzaPortalError;

GQuark       eimza_portal_error_quark           (void);

/* The one place where transport failures become portal errors: @transport_error
 * (nullable) comes from libsoup, GIO or the TLS backend, @status is the HTTP
 * status of the answer (0 when there is none). Returns %TRUE when the exchange
 * succeeded (no error, status below 400); otherwise sets @error to an
 * %EIMZA_PORTAL_ERROR with a translated message (or copies
 * %G_IO_ERROR_CANCELLED) and returns %FALSE. */
gboolean     eimza_portal_error_check_exchange  (const GError  *transport_error,
                                                 guint          status,
                                                 GError       **error);

/* The same for exchanges that may present a TLS client certificate from a
 * card (the NES site), told apart first: @pin_error (nullable) is what the
 * PIN #GTlsInteraction failed with in this exchange (%G_IO_ERROR_CANCELLED
 * stays cancelled, anything else is %EIMZA_PORTAL_ERROR_PIN with the
 * interaction's message); %G_TLS_ERROR_CERTIFICATE_REQUIRED, or a broken
 * connection right after @certificate_presented, is
 * %EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED. Neither is transient. */
gboolean     eimza_portal_error_check_client_exchange (const GError *transport_error,
                                                       guint         status,
                                                       gboolean      certificate_presented,
                                                       const GError *pin_error,
                                                       GError      **error);

/* Whether an idempotent request that failed with @error may be sent again:
 * a network failure, a time-out or a 503 "try later". */
gboolean     eimza_portal_error_is_transient    (const GError  *error,
                                                 guint          status);

/* Whether a step that failed with @error may be offered again as it was
 * ("Try Again"): the same request may succeed, because the network, the
 * site's server, a broken page, the card (PIN, a certificate to present)
 * or an unknown upload is the cause. The site's own answers about what was
 * sent (an ended session, a wrong code, refused fields, a refused
 * signature) are final: the person changes something first. Every
 * #EimzaPortalError code is classified explicitly; errors of other domains
 * may be retried, except %G_IO_ERROR_CANCELLED and
 * %G_IO_ERROR_INVALID_ARGUMENT (a request refused before it was sent).
 * The one rule every page uses. */
gboolean     eimza_portal_error_can_retry       (const GError  *error);

/* A translated sentence for portal-side errors that come without a text of
 * the portal's own, e.g. an expired session detected from the page layout. */
const char  *eimza_portal_error_describe        (EimzaPortalError code);

G_END_DECLS
