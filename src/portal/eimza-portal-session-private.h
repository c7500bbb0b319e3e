/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of EimzaPortalSession share (sign-in, form and SMS, the e-signed application), and its test hooks. */
#pragma once

#include <libsoup/soup.h>

#include "eimza-portal-form-body.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-request.h"
#include "eimza-portal-session.h"
#include "eimza-site-client.h"

G_BEGIN_DECLS

/* Test hooks: the simulator's test endpoints need them. */

/* The session's SoupSession, which holds the portal's cookies. */
SoupSession *eimza_portal_session_get_soup_session (EimzaPortalSession *self);
/* @path resolved against the base URL. */
GUri        *eimza_portal_session_resolve          (EimzaPortalSession *self,
                                                    const char         *path);

/* ------------------------------------------------------------------------
 * Inside the session. eimza-portal-session.c: the object, one exchange,
 * the steps' machinery and where every step that ends on a page ends;
 * eimza-portal-session-signin.c: sign-in page and captcha;
 * eimza-portal-session-form.c: form, SMS and e-onay;
 * eimza-portal-session-esigned.c: the e-signed application.
 * ------------------------------------------------------------------------ */

struct _EimzaPortalSession
{
  GObject parent_instance;

  EimzaSiteClient site;

  /* The last page of a known kind: its hidden fields go into the next POST. */
  EimzaPortalWebPage *page;
  GUri *page_uri;
  GHashTable *field_errors; /* GINT_TO_POINTER (field) -> message */
  EimzaPortalSmsState *sms_state;
  /* Where the signature of the e-signed application goes, from its page. */
  GUri *sign_upload_uri;
  /* An upload's answer was lost and no answer since said whether the
   * application was made: a later refusal of the code may be our own
   * signature, arrived after all. */
  gboolean upload_uncertain;
};

typedef enum {
  PORTAL_EXPECT_PAGE,
  PORTAL_EXPECT_IMAGE,
  /* The e-signed application's signer: the exact bytes to sign, and the
   * signature's upload, which answers with a page. Both may be refused
   * with a 4xx and one sentence. */
  PORTAL_EXPECT_DOCUMENT,
  PORTAL_EXPECT_UPLOAD,
} EimzaPortalExpect;

typedef struct {
  EimzaPortalWebPage *page;
  GBytes *image;
  GBytes *document;
  GUri *uri;       /* where the answer came from, after redirects */
} EimzaPortalResponse;

void eimza_portal_response_free (EimzaPortalResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalResponse, eimza_portal_response_free)

typedef enum {
  PORTAL_STEP_OPEN,
  PORTAL_STEP_REFRESH_CAPTCHA,
  PORTAL_STEP_RESTART,
  PORTAL_STEP_LOG_IN,
  PORTAL_STEP_SUBMIT_FORM,
  PORTAL_STEP_SEND_SMS,
  PORTAL_STEP_VERIFY_SMS,
  PORTAL_STEP_APPLY_WITH_EONAY,
  PORTAL_STEP_BEGIN_ESIGNED,
  PORTAL_STEP_UPLOAD_SIGNATURE,
  PORTAL_STEP_CHECK_APPLICATION,
  PORTAL_STEP_RELOAD_METHOD,
} EimzaPortalStep;

typedef struct {
  EimzaPortalStep step;
  EimzaRenewalForm *form;
  /* PORTAL_STEP_BEGIN_ESIGNED: the e-signed application's page, and the deadline
   * computed when it arrived. */
  EimzaPortalWebPage *sign_page;
  GDateTime *deadline;
  /* PORTAL_STEP_UPLOAD_SIGNATURE, then PORTAL_STEP_CHECK_APPLICATION: why the upload's
   * answer is not known, while the portal is asked whether it arrived. */
  GError *upload_error;
} EimzaPortalStepData;

/* One exchange; @body (nullable) makes it a POST. */
void                 eimza_portal_session_request_async (EimzaPortalSession   *self,
                                                         GUri                 *uri,
                                                         GBytes               *body,
                                                         EimzaPortalExpect     expect,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
EimzaPortalResponse *eimza_portal_session_request_finish (EimzaPortalSession   *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* A new step task, or %NULL when it was refused (answered already). */
GTask               *eimza_portal_session_step_begin     (EimzaPortalSession     *self,
                                                          EimzaPortalStep         step,
                                                          gpointer                source_tag,
                                                          EimzaPortalWebPageKind  from_page,
                                                          EimzaRenewalForm       *form,
                                                          GCancellable           *cancellable,
                                                          GAsyncReadyCallback     callback,
                                                          gpointer                user_data);
/* Every step that fails ends here (an upload's lost answer resolved). */
void                 eimza_portal_session_step_return_error (GTask             *task,
                                                             GError            *error);
/* POSTs @body to the profile's @path; the answer goes to step_post_cb. */
void                 eimza_portal_session_step_post      (GTask                *task,
                                                          EimzaPortalPath       path,
                                                          GBytes               *body);
/* Every step that ends on a page of the portal. */
void                 eimza_portal_session_step_post_cb   (GObject              *object,
                                                          GAsyncResult         *result,
                                                          gpointer              user_data);

GUri                *eimza_portal_session_resolve_path   (EimzaPortalSession   *self,
                                                          EimzaPortalPath       path);
EimzaPortalFormBody *eimza_portal_session_body_new       (EimzaPortalSession   *self);
GBytes              *eimza_portal_session_body_end       (EimzaPortalSession   *self,
                                                          EimzaPortalFormBody  *body,
                                                          EimzaPortalSubmit     submit);
void                 eimza_portal_session_remember_page  (EimzaPortalSession   *self,
                                                          EimzaPortalResponse  *response);
void                 eimza_portal_session_clear_field_errors (EimzaPortalSession *self);
gboolean             eimza_portal_session_check_page     (EimzaPortalSession      *self,
                                                          EimzaPortalWebPage      *page,
                                                          EimzaPortalWebPageKind   expected,
                                                          GError                 **error);
void                 eimza_portal_session_update_sms_state (EimzaPortalSession *self,
                                                            EimzaPortalWebPage *page);
void                 eimza_portal_session_fill_form      (EimzaPortalWebPage *page,
                                                          EimzaRenewalForm   *form);

/* eimza-portal-session-signin.c */
void                 eimza_portal_session_step_open      (GTask                *task);
void                 eimza_portal_session_step_get_captcha (GTask              *task);

/* eimza-portal-session-esigned.c */
GError              *eimza_portal_session_sign_page_expired (EimzaPortalWebPage   *page);
gboolean             eimza_portal_session_upload_may_have_arrived (EimzaPortalSession *self,
                                                                   const GError       *error);
void                 eimza_portal_session_resolve_upload (GTask                *task,
                                                          GError               *error);
void                 eimza_portal_session_begin_esigned_page (GTask              *task,
                                                              EimzaPortalWebPage *page);

G_END_DECLS
