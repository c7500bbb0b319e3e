/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal's pages as server-rendered HTML, exactly as the contract shows. */
#pragma once

#include <glib.h>

#include "eimza-geo.h"
#include "eimza-sim-registry.h"

G_BEGIN_DECLS

/* What a page reports besides its fields. */
typedef struct {
  GPtrArray *errors;       /* page-level, <div class="hata-mesaji"> */
  GPtrArray *infos;        /* <div class="bilgi-mesaji"> */
  GHashTable *field_errors; /* field name -> <span class="alan-hatasi"> text */
} EimzaSimMessages;

EimzaSimMessages *eimza_sim_messages_new       (void);
void              eimza_sim_messages_free      (EimzaSimMessages *messages);
void              eimza_sim_messages_add_error (EimzaSimMessages *messages,
                                                const char       *format,
                                                ...) G_GNUC_PRINTF (2, 3);
void              eimza_sim_messages_add_info  (EimzaSimMessages *messages,
                                                const char       *text);

/* The page-level messages as the portal writes them: one
 * <div class="hata-mesaji"> per error, then one <div class="bilgi-mesaji">
 * per information. @messages may be NULL. */
void              eimza_sim_page_append_messages (GString                *out,
                                                  const EimzaSimMessages *messages);

/* @values: field name -> value to show; @captcha_nonce keeps browsers from
 * showing a cached image. */
GString *eimza_sim_page_login      (const char             *view_state,
                                    const char             *captcha_nonce,
                                    GHashTable             *values,
                                    const EimzaSimMessages *messages);
GString *eimza_sim_page_form       (const char             *view_state,
                                    const EimzaSimPerson   *person,
                                    GHashTable             *values,
                                    EimzaGeo               *geo,
                                    const EimzaSimMessages *messages);
/* @mobile_phone: ten digits, shown masked. */
GString *eimza_sim_page_sms        (const char             *view_state,
                                    const char             *mobile_phone,
                                    guint                   attempts_left,
                                    guint                   resend_wait,
                                    const EimzaSimMessages *messages);
GString *eimza_sim_page_method     (const char             *view_state,
                                    gboolean                eonay_active,
                                    const EimzaSimMessages *messages);
/* The signing part of the e-signed application's page, while its code is
 * valid: what a signer needs, as the Java Web Start signer got it. */
typedef struct {
  const char *display_code; /* "XXXX-XXXX" */
  const char *data_url;     /* the exact bytes to sign */
  const char *upload_url;   /* where the signature goes */
  guint seconds_left;
  guint time_limit;
} EimzaSimSignInfo;

/* The e-signed application: the summary (@summary: label, value, label,
 * value…, NULL-terminated), the commitment and, unless @sign is NULL
 * (after the deadline), the code and the signer's addresses. */
GString *eimza_sim_page_esigned    (const char * const     *summary,
                                    const char             *commitment,
                                    const EimzaSimSignInfo *sign,
                                    const EimzaSimMessages *messages);
GString *eimza_sim_page_result     (const char             *application_no);
/* A short error page as the application server shows it (404, 500, 503). */
GString *eimza_sim_page_error      (guint                   status);
/* A well-formed page with none of the ids, classes or fields the client
 * looks for: the portal after a redesign. */
GString *eimza_sim_page_redesigned (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimMessages, eimza_sim_messages_free)

G_END_DECLS
