/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of EimzaNesClient share: its TLS interaction, one exchange, the steps. */
#pragma once

#include <libsoup/soup.h>

#include "eimza-nes-web-page.h"
#include "eimza-nes-client.h"
#include "eimza-portal-form-body.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-request.h"
#include "eimza-site-client.h"
#include "eimza-tls-card-login.h"

G_BEGIN_DECLS

/*
 * eimza-eonay-interaction.c: the TLS interaction (card certificate, PIN);
 * eimza-nes-client.c: the object, one exchange, the steps' machinery
 * and the end of every step that ends on a page;
 * eimza-nes-client-login.c: the e-signed login;
 * eimza-nes-client-signer.c: the signer's data and upload;
 * eimza-nes-client-operations.c: the e-onay's status, consent, cancellation;
 * eimza-nes-client-unblock.c: Şifreli Giriş and Kilit Çözme.
 */

/* The last page of Şifreli Giriş (eimza-nes-client-unblock.c). */
typedef struct _EimzaNesUnblockPage EimzaNesUnblockPage;

void eimza_nes_unblock_page_free (EimzaNesUnblockPage *page);

/* ------------------------------------------------------------------------
 * The TLS interaction of the session: hands the card's certificate to the
 * handshake and passes the PIN request on to the caller's interaction,
 * remembering what happened so that a PIN failure or a refused certificate
 * is reported as such and never retried.
 * ------------------------------------------------------------------------ */

#define EIMZA_TYPE_EONAY_INTERACTION (eimza_eonay_interaction_get_type ())

G_DECLARE_FINAL_TYPE (EimzaEonayInteraction, eimza_eonay_interaction, EIMZA, EONAY_INTERACTION,
                      GTlsInteraction)

struct _EimzaEonayInteraction
{
  GTlsInteraction parent_instance;

  GTlsCertificate *certificate; /* NULL: none to present */
  GTlsInteraction *inner;       /* the caller's, for the PIN; may be NULL */
  gboolean requested;           /* a handshake asked for a certificate */
  gboolean presented;           /* the certificate went into a handshake */
  gboolean login_open;          /* ...which has not reported back yet */
  GError *pin_error;            /* how the PIN request failed */
  gboolean asking;              /* the caller's interaction is asking for the PIN */
  GMainContext *context;        /* where it was made, and its state is kept */
};

/* The inner interaction, if it wants to know about the card's logins. */
EimzaTlsCardLogin  *eimza_eonay_interaction_card_login           (EimzaEonayInteraction *self);
/* Before each attempt of a request: what happens in its handshake. */
void                eimza_eonay_interaction_begin                (EimzaEonayInteraction *self);
/* The handshake that used the card's key has ended (@error NULL: it
 * succeeded): the inner interaction may keep the PIN only then. */
void                eimza_eonay_interaction_login_finished       (EimzaEonayInteraction *self,
                                                                  const GError          *error);
/* A key that signs through the card service logs in inside the handshake,
 * without a PIN request of glib-networking's: its failure comes here. */
void                eimza_eonay_interaction_card_login_failed_cb (EimzaTlsCardLogin     *login,
                                                                  const GError          *error,
                                                                  EimzaEonayInteraction *self);
/* Connected to the SoupSession's "request-queued", @user_data the
 * interaction: watches each message's handshake. */
void                eimza_eonay_interaction_request_queued_cb    (SoupSession           *soup,
                                                                  SoupMessage           *message,
                                                                  gpointer               user_data);

/* ------------------------------------------------------------------------
 * The session.
 * ------------------------------------------------------------------------ */

struct _EimzaNesClient
{
  GObject parent_instance;

  EimzaSiteClient site;
  EimzaEonayProfile *nes;     /* the profile's, borrowed */
  char *cert_uri;
  char *key_uri;
  GTlsInteraction *caller_interaction;

  GUri *signer_uri;           /* ends in "/" */
  char *signer_url;
  EimzaEonayInteraction *interaction;

  /* The last page of a known kind: its hidden fields go into the next POST. */
  EimzaNesWebPage *page;
  char *tckn;
  char *holder;
  /* The code whose upload's answer was lost, until the site says more: a
   * later refusal of it as used is our own signature, arrived after all. */
  char *uncertain_code;
  /* Şifreli Giriş's last page: its hidden fields go into the next POST. */
  EimzaNesUnblockPage *unblock_page;
};

typedef enum {
  NES_EXPECT_PAGE,   /* an HTML page of the site */
  NES_EXPECT_SIGNER, /* the signer's endpoints: bytes, or a text/plain refusal */
  NES_EXPECT_RAW,    /* Şifreli Giriş: the body as it came, read by its caller */
} EimzaEonayExpect;

typedef struct {
  EimzaNesWebPage *page;        /* NES_EXPECT_PAGE */
  GBytes *body;                /* NES_EXPECT_SIGNER */
  SoupMessageHeaders *headers; /* NES_EXPECT_SIGNER */
} EimzaEonayResponse;

void eimza_eonay_response_free (EimzaEonayResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaEonayResponse, eimza_eonay_response_free)

typedef enum {
  NES_STEP_LOG_IN,
  NES_STEP_FETCH_SIGN_DATA,
  NES_STEP_UPLOAD_SIGNATURE,
  NES_STEP_OPEN_EONAY,
  NES_STEP_CONSENT,
  NES_STEP_GET_STATUS,
  NES_STEP_CANCEL_EONAY,
  NES_STEP_UNBLOCK_CAPTCHA,
  NES_STEP_UNBLOCK_SIGN_IN,
  NES_STEP_UNBLOCK_SMS,
  NES_STEP_UNBLOCK_CODE,
} EimzaEonayStep;

typedef struct {
  EimzaEonayStep step;
  char *tckn;
  char *code;
  gboolean posted; /* the login form has been sent */
  /* NES_STEP_UPLOAD_SIGNATURE: why the answer is not known, while the signer
   * is asked whether the code still waits. */
  GError *upload_error;
} EimzaEonayStepData;

/* One exchange; @body (nullable) makes it a POST of @body_type. */
void                 eimza_nes_client_request_async   (EimzaNesClient      *self,
                                                       GUri                *uri,
                                                       GBytes              *body,
                                                       const char          *body_type,
                                                       EimzaEonayExpect     expect,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
EimzaEonayResponse  *eimza_nes_client_request_finish  (EimzaNesClient  *self,
                                                       GAsyncResult    *result,
                                                       GError         **error);

/* A new step task, or %NULL when it was refused (answered already). */
GTask               *eimza_nes_client_step_begin      (EimzaNesClient      *self,
                                                       EimzaEonayStep       step,
                                                       gpointer             source_tag,
                                                       EimzaNesWebPageKind  from_page,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* A GET or a POST of @body to the profile's @path; the page that answers
 * goes to step_page_cb. */
void                 eimza_nes_client_step_get        (GTask          *task,
                                                       EimzaEonayPath  path);
void                 eimza_nes_client_step_post       (GTask          *task,
                                                       EimzaEonayPath  path,
                                                       GBytes         *body);
void                 eimza_nes_client_step_page_cb    (GObject      *object,
                                                       GAsyncResult *result,
                                                       gpointer      user_data);

GUri                *eimza_nes_client_resolve_path    (EimzaNesClient *self,
                                                       EimzaEonayPath  path);
EimzaPortalFormBody *eimza_nes_client_body_new        (EimzaNesWebPage       *page);
GBytes              *eimza_nes_client_body_end        (EimzaNesClient      *self,
                                                       EimzaNesWebPage     *page,
                                                       EimzaPortalFormBody *body,
                                                       EimzaEonaySubmit     submit);
gboolean             eimza_nes_client_check_page      (EimzaNesClient       *self,
                                                       EimzaNesWebPage      *page,
                                                       EimzaNesWebPageKind   expected,
                                                       GError              **error);
char                *eimza_nes_client_take_code       (EimzaNesClient   *self,
                                                       EimzaNesWebPage  *page,
                                                       GError          **error);

/* eimza-nes-client-login.c: the login's second request. */
void                 eimza_nes_client_post_tckn       (GTask                *task);

/* eimza-nes-client-signer.c: the signer's endpoint @path with @code as its query. */
GUri                *eimza_nes_client_resolve_signer  (EimzaNesClient *self,
                                                       EimzaEonayPath  path,
                                                       const char     *code);

/* eimza-nes-client-operations.c */
EimzaEonayStatus    *eimza_nes_client_status_from_page (EimzaNesWebPage      *page);

G_END_DECLS
