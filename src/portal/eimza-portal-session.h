/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One conversation with the application portal: sign in, form, SMS, e-onay. */
#pragma once

#include <gio/gio.h>

#include "eimza-portal-error.h"
#include "eimza-portal-profile.h"
#include "eimza-renewal-form.h"

G_BEGIN_DECLS

/**
 * EimzaPortalSmsState:
 * @masked_phone: the mobile number as the portal shows it ("532 *** ** 67"),
 *   or %NULL
 * @attempts_left: wrong codes still allowed, or -1 when the page does not say
 * @resend_seconds: seconds until a new code may be asked for (0: now), or -1
 *
 * What the SMS approval page says.
 */
typedef struct {
  char *masked_phone;
  int attempts_left;
  int resend_seconds;
} EimzaPortalSmsState;

#define EIMZA_TYPE_PORTAL_SMS_STATE (eimza_portal_sms_state_get_type ())

GType                eimza_portal_sms_state_get_type (void) G_GNUC_CONST;
EimzaPortalSmsState *eimza_portal_sms_state_copy     (const EimzaPortalSmsState *state);
void                 eimza_portal_sms_state_free     (EimzaPortalSmsState       *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalSmsState, eimza_portal_sms_state_free)

/**
 * EimzaPortalSignDocument:
 * @summary: the application as the portal's e-signed application page
 *   shows it, as plain text: one "Label: value" line per row, in the
 *   portal's words (Turkish), for the person to read before signing;
 *   never %NULL
 * @commitment: the commitment (taahhütname) the person makes by signing,
 *   as the page shows it; never %NULL
 * @data: the exact bytes to sign, as the portal handed them out; sign them
 *   as they are (detached CAdES-BES) and never show them instead of
 *   @summary, which is what the page says they contain
 * @deadline: (nullable): when the portal stops accepting the signature,
 *   on this computer's clock in the local time zone, computed from the
 *   seconds the page says are left (so that a wrong clock does not matter)
 *
 * What the portal hands out for an e-signed application ("E-İmzalı
 * Başvuru"), as its Java Web Start signer used to get it.
 */
typedef struct {
  char *summary;
  char *commitment;
  GBytes *data;
  GDateTime *deadline;
} EimzaPortalSignDocument;

#define EIMZA_TYPE_PORTAL_SIGN_DOCUMENT (eimza_portal_sign_document_get_type ())

GType                    eimza_portal_sign_document_get_type (void) G_GNUC_CONST;
EimzaPortalSignDocument *eimza_portal_sign_document_copy     (const EimzaPortalSignDocument *document);
void                     eimza_portal_sign_document_free     (EimzaPortalSignDocument       *document);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalSignDocument, eimza_portal_sign_document_free)

#define EIMZA_TYPE_PORTAL_SESSION (eimza_portal_session_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPortalSession, eimza_portal_session, EIMZA, PORTAL_SESSION, GObject)

/* Default for the "timeout" property, in seconds. */
#define EIMZA_PORTAL_SESSION_DEFAULT_TIMEOUT 30

/**
 * eimza_portal_session_new:
 * @profile: the portal's profile
 * @base_url: (nullable): the portal's https:// URL; %NULL for the profile's
 * @ca_file: (nullable): a PEM file of a certificate authority to trust,
 *   allowed only when @base_url's host is a loopback address (127.0.0.0/8,
 *   ::1, localhost): the simulator's test CA. Certificates are always
 *   verified.
 *
 * Fails with %G_IO_ERROR_INVALID_ARGUMENT when there is no https:// URL or
 * @ca_file is given for another host, or with the error of reading @ca_file.
 * The session's callbacks run on the thread-default main context of the
 * thread that created it, which must be the only one to use it.
 */
EimzaPortalSession  *eimza_portal_session_new        (EimzaPortalProfile   *profile,
                                                      const char           *base_url,
                                                      const char           *ca_file,
                                                      GError              **error);

EimzaPortalProfile  *eimza_portal_session_get_profile  (EimzaPortalSession *self);
/* The URL the session talks to, e.g. "https://portal.kamusm.gov.tr". */
const char          *eimza_portal_session_get_base_url (EimzaPortalSession *self);
/* Seconds to wait for the portal on each read or write. */
guint                eimza_portal_session_get_timeout  (EimzaPortalSession *self);
void                 eimza_portal_session_set_timeout  (EimzaPortalSession *self,
                                                        guint               seconds);
/* Seconds one exchange may take in all (retries and redirects included),
 * however slowly the portal answers: then it fails with
 * %EIMZA_PORTAL_ERROR_TIMEOUT. %EIMZA_PORTAL_REQUEST_DEFAULT_DEADLINE
 * unless set. */
guint                eimza_portal_session_get_deadline (EimzaPortalSession *self);
void                 eimza_portal_session_set_deadline (EimzaPortalSession *self,
                                                        guint               seconds);

/* Every step below is one async call; only one runs at a time (another
 * fails with %G_IO_ERROR_PENDING). Idempotent GETs are retried twice after
 * a network failure, a time-out or a 503; POSTs are never repeated
 * automatically, the form model keeps what to send again. When the portal
 * session has ended, a step fails with %EIMZA_PORTAL_ERROR_SESSION_EXPIRED:
 * call eimza_portal_session_restart_async() and sign in again. */

/* Loads the sign-in page; the result is the captcha image (PNG bytes). */
void                 eimza_portal_session_open_async      (EimzaPortalSession   *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GBytes              *eimza_portal_session_open_finish     (EimzaPortalSession   *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* A new captcha for the sign-in page, e.g. after a failed sign-in. */
void                 eimza_portal_session_refresh_captcha_async  (EimzaPortalSession  *self,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
GBytes              *eimza_portal_session_refresh_captcha_finish (EimzaPortalSession  *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

/* Forgets the portal session (cookies and pages) and opens the sign-in page
 * again; the result is the new captcha image. */
void                 eimza_portal_session_restart_async   (EimzaPortalSession   *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GBytes              *eimza_portal_session_restart_finish  (EimzaPortalSession   *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* Posts the sign-in fields of @form. On success the application form is
 * loaded and @form receives the institution fields and, for fields still
 * empty, the values the portal pre-fills; what the person typed is never
 * overwritten. Fails with WRONG_CAPTCHA, IDENTITY_MISMATCH, INVALID_FIELDS…;
 * the sign-in page then has a new captcha (refresh_captcha_async gets it). */
void                 eimza_portal_session_log_in_async    (EimzaPortalSession   *self,
                                                           EimzaRenewalForm     *form,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             eimza_portal_session_log_in_finish   (EimzaPortalSession   *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* Posts the application form; on success the result is the SMS page's state.
 * On %EIMZA_PORTAL_ERROR_INVALID_FIELDS see get_field_errors(). */
void                 eimza_portal_session_submit_form_async  (EimzaPortalSession  *self,
                                                              EimzaRenewalForm    *form,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
EimzaPortalSmsState *eimza_portal_session_submit_form_finish (EimzaPortalSession  *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* The portal's messages next to fields after the last sign-in or form
 * submission: (element-type EimzaField utf8) GINT_TO_POINTER (field) ->
 * message; empty when there were none. */
GHashTable          *eimza_portal_session_get_field_errors (EimzaPortalSession *self);
const char          *eimza_portal_session_get_field_error  (EimzaPortalSession *self,
                                                            EimzaField          field);
/* The last SMS page's state (also after a wrong code), or NULL. */
const EimzaPortalSmsState *
                     eimza_portal_session_get_sms_state    (EimzaPortalSession *self);

/* Asks the portal to send an SMS approval code; the result is the new state.
 * Fails with %EIMZA_PORTAL_ERROR_SMS_TOO_EARLY (see resend_seconds). */
void                 eimza_portal_session_send_sms_async   (EimzaPortalSession   *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
EimzaPortalSmsState *eimza_portal_session_send_sms_finish  (EimzaPortalSession   *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Posts the SMS approval @code. On success @out_eonay_available tells
 * whether the portal offers the e-onay application. Fails with
 * SMS_WRONG_CODE, SMS_EXPIRED or SMS_LOCKED (then restart). */
void                 eimza_portal_session_verify_sms_async  (EimzaPortalSession  *self,
                                                             const char          *code,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             eimza_portal_session_verify_sms_finish (EimzaPortalSession  *self,
                                                             GAsyncResult        *result,
                                                             gboolean            *out_eonay_available,
                                                             GError             **error);

/* Applies with the active e-onay; the result is the application number.
 * Fails with %EIMZA_PORTAL_ERROR_NOT_AVAILABLE, without asking the portal,
 * when the page offers no e-onay. */
void                 eimza_portal_session_apply_with_eonay_async  (EimzaPortalSession  *self,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
char                *eimza_portal_session_apply_with_eonay_finish (EimzaPortalSession  *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

/* The e-signed application ("E-İmzalı Başvuru"), in two steps with the
 * caller's signature in between (docs/portal-protocol.md). */

/* Chooses E-İmzalı Başvuru on the signing-method page (or, after an
 * expired code or a refused signature, starts it again from the e-signed
 * application's page); the result is what to sign. Fails with
 * NOT_AVAILABLE when the portal does not offer it now (the message is the
 * portal's), CODE_EXPIRED, SESSION_EXPIRED… */
void                 eimza_portal_session_begin_esigned_async   (EimzaPortalSession  *self,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
EimzaPortalSignDocument *
                     eimza_portal_session_begin_esigned_finish  (EimzaPortalSession  *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);

/* Uploads @cms, the DER CMS SignedData (CAdES-BES) the caller made over
 * the data of the last begin_esigned; the result is the application
 * number. Fails with NOT_AVAILABLE, without asking the portal, when no
 * document was handed out; with CODE_EXPIRED (start again),
 * SIGNATURE_REJECTED, WRONG_SIGNER (another person's certificate),
 * CODE_INVALID (the document's signature was already accepted, or the
 * portal forgot it), SESSION_EXPIRED… A refused signature may be followed
 * by another one until the deadline. The upload is never repeated by
 * itself. When its answer is lost (NETWORK, TIMEOUT, SERVER), or the code
 * is refused as used after such a loss, the session asks the portal
 * whether the application was made before it reports: the result is then
 * the number; or that error, which now means the portal has no
 * application yet (sending the same signature again is safe: a copy that
 * arrives twice is refused and resolved the same way); or
 * %EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN when the portal could not be asked:
 * ask with check_application(), never sign again blindly. */
void                 eimza_portal_session_upload_signature_async  (EimzaPortalSession  *self,
                                                                   GBytes              *cms,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
char                *eimza_portal_session_upload_signature_finish (EimzaPortalSession  *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

/* Whether the portal has made the application of this session: the result
 * is its number. Fails with NOT_AVAILABLE while the portal still waits for
 * the signature, CODE_EXPIRED when it waits no more, SESSION_EXPIRED… A
 * GET, retried like the others. */
void                 eimza_portal_session_check_application_async  (EimzaPortalSession  *self,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
char                *eimza_portal_session_check_application_finish (EimzaPortalSession  *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* Loads the signing-method page again (after the SMS step): whether
 * "E-Onaylı Başvuru" is possible now, e.g. once the person has given the
 * e-onay meanwhile. Fails with SESSION_EXPIRED when the portal is no
 * longer at that step… A GET, retried like the others. */
void                 eimza_portal_session_reload_method_async       (EimzaPortalSession  *self,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
gboolean             eimza_portal_session_reload_method_finish      (EimzaPortalSession  *self,
                                                                     GAsyncResult        *result,
                                                                     gboolean            *out_eonay_available,
                                                                     GError             **error);

G_END_DECLS
