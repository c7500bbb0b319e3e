/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything site-specific about the application portal, from a key file. */
#pragma once

#include <gio/gio.h>

#include "eimza-eonay-profile.h"
#include "eimza-portal-error.h"
#include "eimza-portal-types.h"
#include "eimza-renewal-form.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_PORTAL_PROFILE (eimza_portal_profile_get_type ())

G_DECLARE_FINAL_TYPE (EimzaPortalProfile, eimza_portal_profile, EIMZA, PORTAL_PROFILE, GObject)

/* The profiles compiled into the program, under
 * /io/github/eimza/Asistan/portal/NAME.ini. */
#define EIMZA_PORTAL_PROFILE_KAMUSM "kamusm"
#define EIMZA_PORTAL_PROFILE_SIMULATOR "simulator"

/* A profile is checked completely when it is loaded: a missing or malformed
 * key gives a %G_KEY_FILE_ERROR naming the group and key, an XPath selector
 * that does not compile gives %G_KEY_FILE_ERROR_INVALID_VALUE. Once loaded
 * a profile is immutable. */

/* @name_or_path: a built-in profile's name ("kamusm", "simulator"), or the
 * path of a profile file (anything containing a '/'). */
EimzaPortalProfile *eimza_portal_profile_new              (const char          *name_or_path,
                                                          GError             **error);
/* @origin names the profile in error messages. */
EimzaPortalProfile *eimza_portal_profile_new_from_bytes   (GBytes              *bytes,
                                                          const char          *origin,
                                                          GError             **error);

const char         *eimza_portal_profile_get_name         (EimzaPortalProfile  *self);
/* The portal's https:// base URL, or NULL when it is given at run time. */
const char         *eimza_portal_profile_get_base_url     (EimzaPortalProfile  *self);
/* Absolute path (and query) of a page, e.g. "/bp/meb.go". */
const char         *eimza_portal_profile_get_path         (EimzaPortalProfile  *self,
                                                          EimzaPortalPath      path);
/* The portal's form field name of @field, or NULL when the portal has no
 * such field (the value is then neither sent nor read). */
const char         *eimza_portal_profile_get_field_name   (EimzaPortalProfile  *self,
                                                          EimzaField           field);
/* The inverse of eimza_portal_profile_get_field_name(). */
gboolean            eimza_portal_profile_find_field       (EimzaPortalProfile  *self,
                                                          const char          *portal_name,
                                                          EimzaField          *out_field);
/* The field name of the SMS approval code, which the form model has not. */
const char         *eimza_portal_profile_get_sms_code_name (EimzaPortalProfile *self);
const char         *eimza_portal_profile_get_submit_name  (EimzaPortalProfile  *self,
                                                          EimzaPortalSubmit    submit);

/* Choices: the portal's option value for our @nick ("renewal" -> "YENILEME")
 * and back. Fields without an option map pass values through unchanged;
 * NULL when the map has no such entry. */
const char         *eimza_portal_profile_option_to_portal (EimzaPortalProfile  *self,
                                                          EimzaField           field,
                                                          const char          *nick);
const char         *eimza_portal_profile_option_from_portal (EimzaPortalProfile *self,
                                                            EimzaField          field,
                                                            const char         *portal_value);

/* The XPath source of a selector, for diagnostics. */
const char         *eimza_portal_profile_get_selector     (EimzaPortalProfile  *self,
                                                          EimzaPortalSelector  selector);
/* The character encoding of the portal's pages, e.g. "UTF-8". */
const char         *eimza_portal_profile_get_encoding     (EimzaPortalProfile  *self);

/* Which portal-side error a message of the portal (a page error's text)
 * means, from the [messages] patterns; %FALSE when none matches. */
gboolean            eimza_portal_profile_classify_message (EimzaPortalProfile  *self,
                                                          const char          *message,
                                                          EimzaPortalError    *out_code);

/* The Java Web Start signing applications of the portal's operator that
 * eimza_jnlp_recognise() accepts ([jnlp]): the codebase hosts (lower case,
 * https only, any port) and the main classes, where "package.*" stands for
 * every class of a package and of the packages below it. Both are
 * NULL-terminated, non-empty and never NULL. */
const char * const *eimza_portal_profile_get_jnlp_hosts   (EimzaPortalProfile  *self);
const char * const *eimza_portal_profile_get_jnlp_main_classes (EimzaPortalProfile *self);

/* The NES online-operations site (e-onay) of the same operator: the
 * profile's "nes" groups (see eimza-eonay-profile.h), or NULL when the
 * profile describes none. */
EimzaEonayProfile  *eimza_portal_profile_get_nes          (EimzaPortalProfile  *self);

G_END_DECLS
