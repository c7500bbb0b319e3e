/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One page of the NES online-operations site, parsed into what the e-onay client needs. */
#pragma once

#include <gio/gio.h>

#include "eimza-eonay-profile.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_EONAY_PAGE (eimza_eonay_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaEonayPage, eimza_eonay_page, EIMZA, EONAY_PAGE, GObject)

/* Parses @bytes as an HTML page of the NES site described by @profile.
 * Pure, like eimza_portal_page_parse(), with the same failures
 * (%EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE): empty, larger than
 * %EIMZA_PORTAL_PAGE_MAX_SIZE, not valid text, cut off, unknown without
 * any message of the site, or lacking a required part. */
EimzaEonayPage     *eimza_eonay_page_parse             (EimzaEonayProfile  *profile,
                                                        GBytes             *bytes,
                                                        GError            **error);

EimzaEonayPageKind  eimza_eonay_page_get_kind          (EimzaEonayPage     *self);

/* Hidden inputs to post back, in document order; NULL-terminated, never
 * NULL. */
const char * const *eimza_eonay_page_get_hidden_names  (EimzaEonayPage     *self);
const char * const *eimza_eonay_page_get_hidden_values (EimzaEonayPage     *self);
/* The value of the submit button @name ("" if none), or NULL when absent. */
const char         *eimza_eonay_page_get_submit_value  (EimzaEonayPage     *self,
                                                        const char         *name);
/* The site's messages, white space collapsed; NULL-terminated, never NULL. */
const char * const *eimza_eonay_page_get_errors        (EimzaEonayPage     *self);
const char * const *eimza_eonay_page_get_infos         (EimzaEonayPage     *self);

/* The code page: the verification code as shown, or NULL (after the
 * deadline); the seconds left and the step's time limit, or -1; what the
 * code is for. */
const char         *eimza_eonay_page_get_code          (EimzaEonayPage     *self);
int                 eimza_eonay_page_get_seconds_left  (EimzaEonayPage     *self);
int                 eimza_eonay_page_get_time_limit    (EimzaEonayPage     *self);
EimzaEonayPurpose   eimza_eonay_page_get_purpose       (EimzaEonayPage     *self);
/* The login form: the certificate holder's name as the site read it. */
const char         *eimza_eonay_page_get_holder        (EimzaEonayPage     *self);
/* The e-onay page: its state, the explanation and the commitment text
 * (NULL when not on the page). */
gboolean            eimza_eonay_page_get_eonay_active  (EimzaEonayPage     *self);
const char         *eimza_eonay_page_get_explanation   (EimzaEonayPage     *self);
const char         *eimza_eonay_page_get_commitment    (EimzaEonayPage     *self);

G_END_DECLS
