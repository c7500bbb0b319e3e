/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One conversation with the NES online-operations site: e-signed login, e-onay, its cancellation. */
#pragma once

#include <gio/gio.h>

#include "eimza-eonay-profile.h"
#include "eimza-portal-error.h"
#include "eimza-portal-profile.h"

G_BEGIN_DECLS

/**
 * EimzaEonaySignData:
 * @code: the verification code, as the site shows it ("K7QM-4XTP")
 * @purpose: what the signature is for
 * @data: the exact bytes to sign; sign them as they are (detached CAdES-BES)
 * @deadline: (nullable): when the site stops accepting the signature, on
 *   this computer's clock (computed from the seconds the site says are
 *   left, so that a wrong clock does not matter), UTC
 *
 * What the signer's endpoint handed out for a code: what the Java Web
 * Start application used to fetch.
 */
typedef struct {
  char *code;
  EimzaEonayPurpose purpose;
  GBytes *data;
  GDateTime *deadline;
} EimzaEonaySignData;

#define EIMZA_TYPE_EONAY_SIGN_DATA (eimza_eonay_sign_data_get_type ())

GType               eimza_eonay_sign_data_get_type (void) G_GNUC_CONST;
EimzaEonaySignData *eimza_eonay_sign_data_copy     (const EimzaEonaySignData *data);
void                eimza_eonay_sign_data_free     (EimzaEonaySignData       *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaEonaySignData, eimza_eonay_sign_data_free)

/**
 * EimzaEonayStatus:
 * @active: whether the person's e-onay is active
 * @explanation: (nullable): the site's explanation of e-onay (not active)
 * @commitment: (nullable): the commitment (taahhüt) the person agrees to by
 *   ticking the consent box (not active); the second signature is over a
 *   document that contains it
 * @time_limit: seconds allowed for each signing step, or -1 when the page
 *   does not say
 *
 * The "E-ONAY İŞLEMLERİ" page.
 */
typedef struct {
  gboolean active;
  char *explanation;
  char *commitment;
  int time_limit;
} EimzaEonayStatus;

#define EIMZA_TYPE_EONAY_STATUS (eimza_eonay_status_get_type ())

GType             eimza_eonay_status_get_type (void) G_GNUC_CONST;
EimzaEonayStatus *eimza_eonay_status_copy     (const EimzaEonayStatus *status);
void              eimza_eonay_status_free     (EimzaEonayStatus       *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaEonayStatus, eimza_eonay_status_free)

#define EIMZA_TYPE_NES_CLIENT (eimza_nes_client_get_type ())

G_DECLARE_FINAL_TYPE (EimzaNesClient, eimza_nes_client, EIMZA, NES_CLIENT, GObject)

/* Default for the "timeout" property, in seconds. */
#define EIMZA_NES_CLIENT_DEFAULT_TIMEOUT 30

/**
 * eimza_nes_client_new:
 * @profile: a portal profile with an NES site (eimza_portal_profile_get_nes())
 * @base_url: (nullable): the site's https:// URL; %NULL for the profile's
 * @ca_file: (nullable): a PEM file of a certificate authority to trust,
 *   allowed only for loopback hosts (the simulator's test CA), as for
 *   eimza_portal_session_new(). Certificates are always verified.
 * @cert_uri: (nullable): the PKCS#11 URI of the card's certificate for the
 *   TLS login; %NULL logs in without one (the site then refuses)
 * @key_uri: (nullable): the PKCS#11 URI of its private key
 * @interaction: (nullable): asked for the card's PIN when the TLS login
 *   needs it (%G_TLS_PASSWORD_PKCS11_USER). It must answer a wrong PIN
 *   (flags with %G_TLS_PASSWORD_RETRY) with %G_TLS_INTERACTION_FAILED and an
 *   error unless the person typed a new PIN, never with
 *   %G_TLS_INTERACTION_UNHANDLED; each new TLS connection asks again
 *   (without %G_TLS_PASSWORD_RETRY), and may be answered from the PIN the
 *   person gave for this session. Without an interaction no PIN is given.
 *
 * Fails with %G_IO_ERROR_INVALID_ARGUMENT (no https:// URL, a CA file for
 * another host, a profile without an NES site, only one of the URIs) or
 * with the error of reading @ca_file or the certificate. Callbacks run on
 * the thread-default main context of the creating thread, the only one to
 * use the session.
 */
EimzaNesClient  *eimza_nes_client_new           (EimzaPortalProfile  *profile,
                                                 const char          *base_url,
                                                 const char          *ca_file,
                                                 const char          *cert_uri,
                                                 const char          *key_uri,
                                                 GTlsInteraction     *interaction,
                                                 GError             **error);

/* The origin the session talks to, e.g. "https://nesbireysel.kamusm.gov.tr". */
const char         *eimza_nes_client_get_base_url  (EimzaNesClient    *self);
/* Where the signer's endpoints are, ending in "/". */
const char         *eimza_nes_client_get_signer_base_url (EimzaNesClient *self);
/* Another address for the signer's endpoints: a .jnlp's codebase
 * (eimza_jnlp_get_codebase()), https only, and with a CA file only on a
 * loopback host. */
gboolean            eimza_nes_client_set_signer_base_url (EimzaNesClient  *self,
                                                          const char      *url,
                                                          GError         **error);
guint               eimza_nes_client_get_timeout   (EimzaNesClient    *self);
void                eimza_nes_client_set_timeout   (EimzaNesClient *self,
                                                    guint           seconds);
/* Seconds one exchange may take in all, however slowly the site answers;
 * time spent waiting for the card's PIN does not count. Then it fails
 * with %EIMZA_PORTAL_ERROR_TIMEOUT. */
guint               eimza_nes_client_get_deadline  (EimzaNesClient    *self);
void                eimza_nes_client_set_deadline  (EimzaNesClient *self,
                                                    guint           seconds);
/* After log_in: the T.C. Kimlik No accepted and the certificate holder's
 * name as the site read it; else %NULL. */
const char         *eimza_nes_client_get_tckn      (EimzaNesClient    *self);
const char         *eimza_nes_client_get_holder    (EimzaNesClient    *self);

/* Every step is one async call; one at a time (another fails with
 * %G_IO_ERROR_PENDING). GETs are retried twice after a network failure, a
 * time-out or a 503 — never after a PIN failure or a refused certificate;
 * POSTs and uploads are never repeated automatically. A step that finds
 * the site's session ended fails with %EIMZA_PORTAL_ERROR_SESSION_EXPIRED:
 * log in again. */

/* The TLS login with the card and the T.C. Kimlik No form; the result is
 * the first verification code (purpose LOGIN). Fails with
 * CERTIFICATE_REFUSED, PIN, IDENTITY_MISMATCH (not the certificate's
 * number, or not registered)… The login is complete once a signature for
 * the code has been uploaded. */
void                eimza_nes_client_log_in_async  (EimzaNesClient      *self,
                                                    const char          *tckn,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char               *eimza_nes_client_log_in_finish (EimzaNesClient  *self,
                                                    GAsyncResult    *result,
                                                    GError         **error);

/* The signer's part, given only a code (from a code page, or typed by the
 * person after opening a .jnlp): the data to sign and its deadline. Fails
 * with CODE_INVALID or CODE_EXPIRED. */
void                eimza_nes_client_fetch_sign_data_async  (EimzaNesClient      *self,
                                                             const char          *code,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
EimzaEonaySignData *eimza_nes_client_fetch_sign_data_finish (EimzaNesClient  *self,
                                                             GAsyncResult    *result,
                                                             GError         **error);

/* Uploads @cms (DER CMS SignedData made by the caller over the data of
 * @code). Fails with CODE_INVALID (unknown or already used), CODE_EXPIRED,
 * SIGNATURE_REJECTED, WRONG_SIGNER; a refused signature does not use the
 * code up. When the answer is lost (NETWORK, TIMEOUT, SERVER) the session
 * asks the signer about the code before it reports: the code used up is
 * success (the signature arrived); the code still waiting returns that
 * error, a definite "not arrived" (the same signature may be sent again:
 * refused as used after a lost answer, it counts as arrived); a question
 * that fails too is %EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN (try the upload
 * again, which is safe). */
void                eimza_nes_client_upload_signature_async  (EimzaNesClient      *self,
                                                              const char          *code,
                                                              GBytes              *cms,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean            eimza_nes_client_upload_signature_finish (EimzaNesClient  *self,
                                                              GAsyncResult    *result,
                                                              GError         **error);

/* Opens "E-ONAY İŞLEMLERİ" (after the login signature): the explanation,
 * the commitment and the time limit, or the active state. Fails with
 * NOT_AVAILABLE while the login code is still unsigned. */
void                eimza_nes_client_open_eonay_async  (EimzaNesClient      *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
EimzaEonayStatus   *eimza_nes_client_open_eonay_finish (EimzaNesClient  *self,
                                                        GAsyncResult    *result,
                                                        GError         **error);

/* Ticks the consent box of the page open_eonay showed and presses "DEVAM
 * ET": the person agrees to that page's commitment. The result is the
 * second verification code (purpose EONAY); e-onay is active once its
 * signature is uploaded. */
void                eimza_nes_client_consent_async   (EimzaNesClient      *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
char               *eimza_nes_client_consent_finish  (EimzaNesClient  *self,
                                                      GAsyncResult    *result,
                                                      GError         **error);

/* Reloads the e-onay page: whether the e-onay is active now. */
void                eimza_nes_client_get_status_async  (EimzaNesClient      *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            eimza_nes_client_get_status_finish (EimzaNesClient  *self,
                                                        GAsyncResult    *result,
                                                        gboolean        *out_active,
                                                        GError         **error);

/* Cancels the active e-onay ("İptal") from the e-onay page last loaded.
 * Fails with NOT_AVAILABLE when it is not active. */
void                eimza_nes_client_cancel_eonay_async  (EimzaNesClient      *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean            eimza_nes_client_cancel_eonay_finish (EimzaNesClient  *self,
                                                          GAsyncResult    *result,
                                                          GError         **error);

/* ------------------------------------------------------------------------
 * Şifreli Giriş and Kilit Çözme (docs/unblock-protocol.md; the profile's
 * [nes-unblock] groups, our model of the site): the route of a person
 * whose card is locked, or whose new card has no PIN yet. Make the
 * client without a certificate (the site asks for none here). The
 * number, the security word and the SMS code are posted from wiped
 * memory and never logged; the unblock code comes back in wiped memory.
 * No step is repeated by itself.
 * ------------------------------------------------------------------------ */

/* Whether the profile describes the route. */
gboolean            eimza_nes_client_has_unblock   (EimzaNesClient    *self);

/* The captcha image (PNG or JPEG, checked by eimza_captcha_image_check())
 * of the sign-in form. With @start_over, or when the last page was not
 * the sign-in form, the form is loaded first (a new start on the site);
 * otherwise the image of the form the site sent back after a refused
 * sign-in. */
void                eimza_nes_client_unblock_captcha_async  (EimzaNesClient      *self,
                                                             gboolean             start_over,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GBytes             *eimza_nes_client_unblock_captcha_finish (EimzaNesClient  *self,
                                                             GAsyncResult    *result,
                                                             GError         **error);

/* Posts the sign-in form: the site sends an SMS code to the registered
 * phone. @out_phone: the number as the site shows it (masked) or %NULL;
 * @out_seconds_left: the code's remaining seconds, or -1. Fails with
 * WRONG_CAPTCHA, IDENTITY_MISMATCH, SECURITY_WORD_WRONG (counted by the
 * site), SECURITY_WORD_LOCKED, SESSION_EXPIRED…; after a refusal the next
 * captcha comes from eimza_nes_client_unblock_captcha_async(). */
void                eimza_nes_client_unblock_sign_in_async  (EimzaNesClient      *self,
                                                             const char          *tckn,
                                                             const char          *security_word,
                                                             const char          *captcha,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            eimza_nes_client_unblock_sign_in_finish (EimzaNesClient  *self,
                                                             GAsyncResult    *result,
                                                             char           **out_phone,
                                                             int             *out_seconds_left,
                                                             GError         **error);

/* Posts the SMS code; then Kilit Çözme is open. @out_holder: the card
 * holder's name as the site shows it, or %NULL. Fails with
 * SMS_WRONG_CODE (try again), SMS_EXPIRED or SMS_LOCKED (sign in again),
 * SESSION_EXPIRED… */
void                eimza_nes_client_unblock_confirm_sms_async  (EimzaNesClient      *self,
                                                                 const char          *sms_code,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean            eimza_nes_client_unblock_confirm_sms_finish (EimzaNesClient  *self,
                                                                 GAsyncResult    *result,
                                                                 char           **out_holder,
                                                                 GError         **error);

/* Asks Kilit Çözme for the card's unblock code (PUK): (transfer full) the
 * code's bytes, in memory wiped when the last reference goes. Fails with
 * UNBLOCK_REFUSED, SESSION_EXPIRED… */
void                eimza_nes_client_unblock_fetch_code_async  (EimzaNesClient      *self,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
GBytes             *eimza_nes_client_unblock_fetch_code_finish (EimzaNesClient  *self,
                                                                GAsyncResult    *result,
                                                                GError         **error);

G_END_DECLS
