/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Verification codes and the check of the signatures uploaded for them: the NES site's and the e-signed application's. */
#pragma once

#include <glib.h>

#include "eimza-sim-faults.h"
#include "eimza-sim-nes-pages.h"
#include "eimza-sim-reply.h"

G_BEGIN_DECLS

/* Uploads larger than this are refused unread. */
#define EIMZA_SIM_NES_MAX_SIGNATURE_SIZE (64 * 1024)

/* One code the code page showed: what it is for and what is to be signed. */
typedef struct {
  char *code;            /* normalised: 8 characters of the alphabet */
  char *display;         /* "XXXX-XXXX", as shown */
  char *session_id;      /* the NES session it belongs to */
  char *tckn;            /* whose signature it wants */
  EimzaSimNesPurpose purpose;
  GBytes *data;          /* the exact bytes to sign */
  gint64 issued_us;      /* monotonic */
  gint64 deadline_us;
  gint64 issued_unix;    /* wall clock, for the signing-time check */
  gint64 deadline_unix;
  gboolean used;         /* a signature was accepted */
  gboolean data_faulted; /* ->data was changed by a bidi or binary fault */
} EimzaSimNesCode;

typedef struct _EimzaSimNesCodes EimzaSimNesCodes;

/* @rand must outlive the table. */
EimzaSimNesCodes      *eimza_sim_nes_codes_new      (GRand            *rand);
void                   eimza_sim_nes_codes_free     (EimzaSimNesCodes *codes);

/* A new code for @session_id, valid @deadline_seconds from @now_us; the
 * session's earlier codes are dropped. The caller sets ->data. */
EimzaSimNesCode       *eimza_sim_nes_codes_issue    (EimzaSimNesCodes   *codes,
                                                     const char         *session_id,
                                                     const char         *tckn,
                                                     EimzaSimNesPurpose  purpose,
                                                     guint               deadline_seconds,
                                                     gint64              now_us);
/* The code @typed names, compared ignoring case, spaces and hyphens. */
EimzaSimNesCode       *eimza_sim_nes_codes_lookup   (EimzaSimNesCodes   *codes,
                                                     const char         *typed);
/* Drops the codes of @session_id (a new login, a session that ended). */
void                   eimza_sim_nes_codes_drop_session (EimzaSimNesCodes *codes,
                                                         const char       *session_id);

gboolean               eimza_sim_nes_code_is_expired   (const EimzaSimNesCode *code,
                                                        gint64                 now_us);
/* Whole seconds left, rounded up for the page or down for the signer. */
guint                  eimza_sim_nes_code_seconds_left (const EimzaSimNesCode *code,
                                                        gint64                 now_us,
                                                        gboolean               round_up);

/**
 * EimzaSimNesSignatureCheck:
 *
 * The outcome of eimza_sim_nes_check_signature(), in the order the checks
 * are made (docs/eonay-protocol.md).
 */
typedef enum {
  EIMZA_SIM_NES_SIGNATURE_OK,
  EIMZA_SIM_NES_SIGNATURE_BAD_DATA,      /* not a CMS SignedData */
  EIMZA_SIM_NES_SIGNATURE_UNTRUSTED,     /* no signer certificate chaining to the anchors */
  EIMZA_SIM_NES_SIGNATURE_WRONG_CONTENT, /* not valid over the code's exact bytes */
  EIMZA_SIM_NES_SIGNATURE_NOT_CADES,     /* no signing-certificate-v2 naming the signer */
  EIMZA_SIM_NES_SIGNATURE_WRONG_SIGNER,  /* another T.C. Kimlik No */
  EIMZA_SIM_NES_SIGNATURE_SIGNING_TIME,  /* missing, or outside the code's window */
} EimzaSimNesSignatureCheck;

/* Checks @cms against @code with eimza_cades_verify(); @trust_pem holds
 * the anchors (--nes-client-ca), @skew_seconds widens the signing-time
 * window on both sides. */
EimzaSimNesSignatureCheck eimza_sim_nes_check_signature (const EimzaSimNesCode *code,
                                                         GBytes                *cms,
                                                         GBytes                *trust_pem,
                                                         guint                  skew_seconds);

/* The signer's endpoints, shared by the NES site and the application
 * portal's e-signed application (docs/eonay-protocol.md, section 3). */

/* The refusal of a request for @code that comes before any check of the
 * body: 409 when the code's signature was already accepted (or the
 * signature-replayed fault, uploads only), 410 after the deadline (or the
 * code-expired fault); NULL when there is none. */
EimzaSimReply            *eimza_sim_nes_code_refusal    (const EimzaSimNesCode *code,
                                                         gboolean               is_upload,
                                                         EimzaSimFaults         faults,
                                                         gint64                 now_us);
/* 200 application/octet-stream: the exact bytes of @code, with the
 * X-Imza-Islem, X-Imza-Son-Zaman and X-Imza-Kalan-Saniye headers. The
 * bidi and binary faults change @code's bytes for good, the first time
 * they are handed out, so the upload is checked against what was sent. */
EimzaSimReply            *eimza_sim_nes_sign_data_reply (EimzaSimNesCode       *code,
                                                         EimzaSimFaults         faults,
                                                         gint64                 now_us);
/* An upload @body (nullable) for @code: the faults content-mismatch and
 * signer-mismatch first, then eimza_sim_nes_check_signature(). Without
 * anchors (@trust_pem NULL) nothing can be trusted. */
EimzaSimNesSignatureCheck eimza_sim_nes_check_upload    (const EimzaSimNesCode *code,
                                                         GBytes                *body,
                                                         GBytes                *trust_pem,
                                                         guint                  skew_seconds,
                                                         EimzaSimFaults         faults);
/* The status and sentence of a refused upload; NULL for
 * %EIMZA_SIM_NES_SIGNATURE_OK. */
EimzaSimReply            *eimza_sim_nes_signature_refusal (EimzaSimNesSignatureCheck check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimNesCodes, eimza_sim_nes_codes_free)

G_END_DECLS
