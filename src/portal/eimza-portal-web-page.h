/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One page of the application portal, parsed into what the client needs. */
#pragma once

#include <gio/gio.h>

#include "eimza-portal-profile.h"
#include "eimza-portal-types.h"
#include "eimza-renewal-form.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_PORTAL_WEB_PAGE (eimza_portal_web_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPortalWebPage, eimza_portal_web_page, EIMZA, PORTAL_WEB_PAGE, GObject)

/* Parses @bytes as an HTML page of the portal described by @profile. Pure:
 * no network, no global state. Fails with %EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE
 * (and a sentence for people) when the page is empty, larger than
 * %EIMZA_PORTAL_WEB_PAGE_MAX_SIZE, not valid in the profile's encoding (junk
 * bytes), cut off (no complete-marker), matches no page marker of the
 * profile and carries no message of the portal, or lacks a part that its
 * kind of page must have (the profile's [page:KIND] require). */
EimzaPortalWebPage    *eimza_portal_web_page_parse             (EimzaPortalProfile  *profile,
                                                                GBytes              *bytes,
                                                                GError             **error);

EimzaPortalWebPageKind eimza_portal_web_page_get_kind          (EimzaPortalWebPage     *self);

/* Hidden inputs, to be posted back, in document order. Both arrays are
 * NULL-terminated and never NULL. */
const char * const *eimza_portal_web_page_get_hidden_names  (EimzaPortalWebPage     *self);
const char * const *eimza_portal_web_page_get_hidden_values (EimzaPortalWebPage     *self);
/* The value of the first hidden input called @name, or NULL. */
const char         *eimza_portal_web_page_get_hidden_value  (EimzaPortalWebPage *self,
                                                             const char         *name);
/* The value of the submit button called @name ("" if it has none), or NULL
 * when the page has no such button. */
const char         *eimza_portal_web_page_get_submit_value  (EimzaPortalWebPage *self,
                                                             const char         *name);

/* The portal's messages, white space collapsed, NULL-terminated, never NULL.
 * Field errors for fields the profile does not know are among the errors. */
const char * const *eimza_portal_web_page_get_errors        (EimzaPortalWebPage     *self);
const char * const *eimza_portal_web_page_get_infos         (EimzaPortalWebPage     *self);

/* The portal's message next to @field, or NULL. */
const char         *eimza_portal_web_page_get_field_error   (EimzaPortalWebPage *self,
                                                             EimzaField          field);
/* (element-type EimzaField utf8): GINT_TO_POINTER (field) -> message. */
GHashTable         *eimza_portal_web_page_get_field_errors  (EimzaPortalWebPage     *self);

/* A value the form on the page holds for @field, in the form model's terms
 * (choice nicks such as "renewal"), or NULL when empty or not on the page. */
const char         *eimza_portal_web_page_get_form_value    (EimzaPortalWebPage *self,
                                                             EimzaField          field);
/* A read-only identity or institution cell (T.C. Kimlik No, Kurum Adı…). */
const char         *eimza_portal_web_page_get_identity_value (EimzaPortalWebPage *self,
                                                              EimzaField          field);

/* The captcha image's URL as written in the page (may be relative), or NULL. */
const char         *eimza_portal_web_page_get_captcha_url   (EimzaPortalWebPage     *self);
const char         *eimza_portal_web_page_get_masked_phone  (EimzaPortalWebPage     *self);
/* -1 when the page does not say. */
int                 eimza_portal_web_page_get_attempts_left (EimzaPortalWebPage     *self);
int                 eimza_portal_web_page_get_resend_seconds (EimzaPortalWebPage    *self);
/* Whether the signing-method page offers an enabled e-onay button. */
gboolean            eimza_portal_web_page_get_eonay_available (EimzaPortalWebPage   *self);
const char         *eimza_portal_web_page_get_application_number (EimzaPortalWebPage *self);

/* The e-signed application's page (%EIMZA_PORTAL_WEB_PAGE_ESIGNED; NULL or -1
 * on other pages). The summary as plain text, one "Label: value" line per
 * row of the portal's table, without a final newline. */
const char         *eimza_portal_web_page_get_sign_summary   (EimzaPortalWebPage    *self);
const char         *eimza_portal_web_page_get_sign_commitment (EimzaPortalWebPage   *self);
/* Seconds left to sign, as the page says, or -1. */
int                 eimza_portal_web_page_get_sign_seconds_left (EimzaPortalWebPage *self);
/* The signer's addresses of the exact bytes to sign and of the signature's
 * upload, as written in the page (may be relative); NULL once the code has
 * expired. */
const char         *eimza_portal_web_page_get_sign_data_url  (EimzaPortalWebPage    *self);
const char         *eimza_portal_web_page_get_sign_upload_url (EimzaPortalWebPage   *self);

G_END_DECLS
