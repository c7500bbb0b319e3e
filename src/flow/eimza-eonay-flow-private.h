/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of EimzaEonayFlow share: its fields, the action machinery, the site's steps. */
#pragma once

#include "eimza-eonay-flow.h"

G_BEGIN_DECLS

/*
 * eimza-eonay-flow.c: the object, its state, the action machinery, the
 * login and retry;
 * eimza-eonay-flow-steps.c: the steps after the login (what to sign, the
 * signature, E-ONAY İŞLEMLERİ, the consent, the result, the cancellation).
 *
 * Every action runs one site request at a time with self->cancellable;
 * each request's callback gets a reference to the action's task and first
 * asks eimza_eonay_flow_is_current().
 */

/* The site's request that retry repeats. */
typedef enum {
  REQ_NONE,
  REQ_LOGIN,
  REQ_FETCH,
  REQ_UPLOAD,
  REQ_OPEN,
  REQ_CONSENT,
  REQ_STATUS,
  REQ_CANCEL,
  REQ_RESTART,   /* the code expired: start the step over for a new one */
} Request;

struct _EimzaEonayFlow
{
  GObject parent_instance;

  /* Given at construction. */
  EimzaPortalProfile *profile;
  EimzaCardService *service;
  char *eonay_url;
  char *ca_file;
  guint deadline;                 /* 0: the session's own */

  EimzaEonayFlowState state;
  EimzaEonayFlowState origin;     /* where the running action began */
  GError *error;
  gboolean can_retry;
  Request last_request;

  /* The login: kept so that a new session can be made the same way. */
  EimzaCertificate *certificate;
  EimzaCardTlsInteraction *interaction;
  char *tckn;                     /* wiped */
  EimzaNesClient *session;

  EimzaEonayPurpose purpose;      /* of the code being signed */
  char *code;
  EimzaEonaySignData *sign_data;
  GBytes *cms;                    /* the signature being uploaded */
  GError *upload_error;           /* kept while the site's state is checked */
  EimzaEonayStatus *status;       /* the e-onay page last opened */
  char *commitment;               /* the commitment the person agreed to */
  gboolean reconsent;             /* the e-onay step is started again */
  gboolean cancelled_now;         /* the result follows a cancellation */
  EimzaEonayFlowResult result;

  /* The action that runs now, and what cancels its work: cancelled with
   * the caller's cancellable, or by a reset. */
  GTask *task;
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong cancelled_id;
};

void     eimza_eonay_flow_set_state      (EimzaEonayFlow      *self,
                                          EimzaEonayFlowState  state);
/* @error: (nullable) (transfer none) */
void     eimza_eonay_flow_set_error      (EimzaEonayFlow      *self,
                                          const GError        *error,
                                          gboolean             can_retry);
void     eimza_eonay_flow_set_purpose    (EimzaEonayFlow      *self,
                                          EimzaEonayPurpose    purpose);
/* @data, @status: (transfer full) (nullable) */
void     eimza_eonay_flow_set_sign_data  (EimzaEonayFlow      *self,
                                          EimzaEonaySignData  *data);
void     eimza_eonay_flow_set_status     (EimzaEonayFlow      *self,
                                          EimzaEonayStatus    *status);
void     eimza_eonay_flow_set_result     (EimzaEonayFlow      *self,
                                          EimzaEonayFlowResult result);
/* Emits ::signature-accepted. */
void     eimza_eonay_flow_signature_accepted (EimzaEonayFlow  *self);

/* Starts an action: %FALSE (with the task already answered) when another
 * runs or the state does not allow it. */
gboolean eimza_eonay_flow_begin_action   (EimzaEonayFlow      *self,
                                          gboolean             allowed,
                                          gpointer             source_tag,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* The action ends with @error (taken) in @state / where it began; retry
 * repeats last_request when @can_retry. */
void     eimza_eonay_flow_fail_in        (EimzaEonayFlow      *self,
                                          EimzaEonayFlowState  state,
                                          GError              *error,
                                          gboolean             can_retry);
void     eimza_eonay_flow_fail           (EimzaEonayFlow      *self,
                                          GError              *error,
                                          gboolean             can_retry);
void     eimza_eonay_flow_succeed_in     (EimzaEonayFlow      *self,
                                          EimzaEonayFlowState  state);
gboolean eimza_eonay_flow_is_current     (EimzaEonayFlow      *self,
                                          GTask               *task,
                                          GError             **error);
/* Takes @error when it returns %TRUE. */
gboolean eimza_eonay_flow_handle_common_error (EimzaEonayFlow *self,
                                               GError         *error);
gboolean eimza_eonay_flow_finish_action  (EimzaEonayFlow      *self,
                                          GAsyncResult        *result,
                                          gpointer             source_tag,
                                          GError             **error);

/* The site gave @code (taken) for @purpose: what to sign is fetched. */
void     eimza_eonay_flow_got_code       (EimzaEonayFlow      *self,
                                          char                *code,
                                          EimzaEonayPurpose    purpose);

/* The site's requests, each within the running action. */
void     eimza_eonay_flow_step_log_in    (EimzaEonayFlow      *self);
void     eimza_eonay_flow_step_fetch     (EimzaEonayFlow      *self);
void     eimza_eonay_flow_step_upload    (EimzaEonayFlow      *self);
void     eimza_eonay_flow_step_open      (EimzaEonayFlow      *self);
void     eimza_eonay_flow_step_consent   (EimzaEonayFlow      *self);
void     eimza_eonay_flow_step_status    (EimzaEonayFlow      *self);
void     eimza_eonay_flow_step_cancel    (EimzaEonayFlow      *self);
void     eimza_eonay_flow_step_restart   (EimzaEonayFlow      *self);

G_END_DECLS
