/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One page of the NES online-operations site, parsed into what the e-onay client needs. */
#pragma once

#include <gio/gio.h>

#include "eimza-eonay-profile.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_NES_WEB_PAGE (eimza_nes_web_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaNesWebPage, eimza_nes_web_page, EIMZA, NES_WEB_PAGE, GObject)

/* Parses @bytes as an HTML page of the NES site described by @profile.
 * Pure, like eimza_portal_web_page_parse(), with the same failures
 * (%EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE): empty, larger than
 * %EIMZA_PORTAL_WEB_PAGE_MAX_SIZE, not valid text, cut off, unknown without
 * any message of the site, or lacking a required part. */
EimzaNesWebPage     *eimza_nes_web_page_parse             (EimzaEonayProfile  *profile,
                                                           GBytes             *bytes,
                                                           GError            **error);

EimzaNesWebPageKind  eimza_nes_web_page_get_kind          (EimzaNesWebPage     *self);

/* Hidden inputs to post back, in document order; NULL-terminated, never
 * NULL. */
const char * const *eimza_nes_web_page_get_hidden_names  (EimzaNesWebPage     *self);
const char * const *eimza_nes_web_page_get_hidden_values (EimzaNesWebPage     *self);
/* The value of the submit button @name ("" if none), or NULL when absent. */
const char         *eimza_nes_web_page_get_submit_value  (EimzaNesWebPage *self,
                                                          const char      *name);
/* The site's messages, white space collapsed; NULL-terminated, never NULL. */
const char * const *eimza_nes_web_page_get_errors        (EimzaNesWebPage     *self);
const char * const *eimza_nes_web_page_get_infos         (EimzaNesWebPage     *self);

/* The code page: the verification code as shown, or NULL (after the
 * deadline); the seconds left and the step's time limit, or -1; what the
 * code is for. */
const char         *eimza_nes_web_page_get_code          (EimzaNesWebPage     *self);
int                 eimza_nes_web_page_get_seconds_left  (EimzaNesWebPage     *self);
int                 eimza_nes_web_page_get_time_limit    (EimzaNesWebPage     *self);
EimzaEonayPurpose   eimza_nes_web_page_get_purpose       (EimzaNesWebPage     *self);
/* The login form: the certificate holder's name as the site read it. */
const char         *eimza_nes_web_page_get_holder        (EimzaNesWebPage     *self);
/* The e-onay page: its state, the explanation and the commitment text
 * (NULL when not on the page). */
gboolean            eimza_nes_web_page_get_eonay_active  (EimzaNesWebPage     *self);
const char         *eimza_nes_web_page_get_explanation   (EimzaNesWebPage     *self);
const char         *eimza_nes_web_page_get_commitment    (EimzaNesWebPage     *self);

G_END_DECLS
