/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything site-specific about the NES online-operations site (e-onay), from a portal profile. */
#pragma once

#include <gio/gio.h>

#include "eimza-portal-error.h"
#include "eimza-unblock-profile.h"

G_BEGIN_DECLS

/*
 * The NES site is described in the same profile files as the application
 * portal (the .ini files of data/portal/), in groups of their own whose
 * names start with "nes" ([nes], [nes-paths], [nes-fields], [nes-submit],
 * [nes-headers], [nes-selectors], [nes-page:KIND], [nes-messages]);
 * kamusm.ini documents the keys, docs/eonay-protocol.md the site. A
 * profile without [nes] has no NES site; with it every group and key is
 * required and checked when the profile is loaded, as for the portal's
 * groups.
 */

/* Group [nes-paths]. The sign-* paths are relative to the signer's base
 * URL ([nes] signer-base-url, or a .jnlp's codebase); the others are
 * absolute paths on the site. */
typedef enum {
  EIMZA_EONAY_PATH_LOGIN,
  EIMZA_EONAY_PATH_CODE,
  EIMZA_EONAY_PATH_MENU,
  EIMZA_EONAY_PATH_EONAY,
  EIMZA_EONAY_PATH_SIGN_DATA,
  EIMZA_EONAY_PATH_SIGN_UPLOAD,
  EIMZA_EONAY_N_PATHS
} EimzaEonayPath;

/* Group [nes-fields]: form field names and values, and the signer's
 * query parameter. */
typedef enum {
  EIMZA_EONAY_FIELD_TCKN,
  EIMZA_EONAY_FIELD_CONSENT,
  EIMZA_EONAY_FIELD_CONSENT_VALUE,
  EIMZA_EONAY_FIELD_CODE_PARAMETER,
  EIMZA_EONAY_N_FIELDS
} EimzaEonayField;

/* Group [nes-submit]: the button each step posts. */
typedef enum {
  EIMZA_EONAY_SUBMIT_LOGIN,
  EIMZA_EONAY_SUBMIT_CONSENT,
  EIMZA_EONAY_SUBMIT_CANCEL,
  EIMZA_EONAY_N_SUBMITS
} EimzaEonaySubmit;

/* Group [nes-headers]: the signer's answer to a data request. */
typedef enum {
  EIMZA_EONAY_HEADER_PURPOSE,
  EIMZA_EONAY_HEADER_DEADLINE,
  EIMZA_EONAY_HEADER_SECONDS_LEFT,
  EIMZA_EONAY_N_HEADERS
} EimzaEonayHeader;

/* Group [nes-selectors]: XPath 1.0 over the page parsed as HTML, as in the
 * portal's [selectors]; eonay-active is cast to a boolean, the others take
 * the text of the first node found (hidden-inputs, submit-buttons,
 * page-errors and info-messages: of every node). */
typedef enum {
  EIMZA_EONAY_SELECTOR_HIDDEN_INPUTS,
  EIMZA_EONAY_SELECTOR_SUBMIT_BUTTONS,
  EIMZA_EONAY_SELECTOR_PAGE_ERRORS,
  EIMZA_EONAY_SELECTOR_INFO_MESSAGES,
  EIMZA_EONAY_SELECTOR_CODE,
  EIMZA_EONAY_SELECTOR_SECONDS_LEFT,
  EIMZA_EONAY_SELECTOR_TIME_LIMIT,
  EIMZA_EONAY_SELECTOR_PURPOSE,
  EIMZA_EONAY_SELECTOR_HOLDER,
  EIMZA_EONAY_SELECTOR_EONAY_ACTIVE,
  EIMZA_EONAY_SELECTOR_EXPLANATION,
  EIMZA_EONAY_SELECTOR_COMMITMENT,
  EIMZA_EONAY_N_SELECTORS
} EimzaEonaySelector;

/**
 * EimzaNesWebPageKind:
 * @EIMZA_NES_WEB_PAGE_UNKNOWN: no marker matched, but the page has messages.
 * @EIMZA_NES_WEB_PAGE_LOGIN: the T.C. Kimlik No form after the TLS login.
 * @EIMZA_NES_WEB_PAGE_CODE: a verification code page (either step).
 * @EIMZA_NES_WEB_PAGE_MENU: the operations menu.
 * @EIMZA_NES_WEB_PAGE_EONAY: E-ONAY İŞLEMLERİ (consent or cancellation).
 * @EIMZA_NES_WEB_PAGE_SESSION_EXPIRED: the login form saying the session ended.
 *
 * Groups [nes-page:KIND] with KIND login, code, menu, eonay,
 * session-expired: a marker and the requirements of a complete page.
 */
typedef enum {
  EIMZA_NES_WEB_PAGE_UNKNOWN,
  EIMZA_NES_WEB_PAGE_LOGIN,
  EIMZA_NES_WEB_PAGE_CODE,
  EIMZA_NES_WEB_PAGE_MENU,
  EIMZA_NES_WEB_PAGE_EONAY,
  EIMZA_NES_WEB_PAGE_SESSION_EXPIRED,
  EIMZA_EONAY_N_PAGE_KINDS
} EimzaNesWebPageKind;

/**
 * EimzaEonayPurpose:
 * @EIMZA_EONAY_PURPOSE_UNKNOWN: the site named no purpose the profile knows.
 * @EIMZA_EONAY_PURPOSE_LOGIN: the first code: proves the card at login.
 * @EIMZA_EONAY_PURPOSE_EONAY: the second code: signs the commitment.
 *
 * What a verification code is for ([nes] purpose-login, purpose-eonay
 * give the site's names).
 */
typedef enum {
  EIMZA_EONAY_PURPOSE_UNKNOWN,
  EIMZA_EONAY_PURPOSE_LOGIN,
  EIMZA_EONAY_PURPOSE_EONAY,
} EimzaEonayPurpose;

#define EIMZA_TYPE_EONAY_PROFILE (eimza_eonay_profile_get_type ())

G_DECLARE_FINAL_TYPE (EimzaEonayProfile, eimza_eonay_profile, EIMZA, EONAY_PROFILE, GObject)

/* Whether @group is one of the NES groups (for the profile loader's check
 * of unknown groups). */
gboolean            eimza_eonay_profile_is_group         (const char          *group);
/* Loads the NES groups of @key_file. Returns %NULL without an error when
 * there is no [nes] group; errors are %G_KEY_FILE_ERROR naming the group
 * and key, @origin naming the profile. */
EimzaEonayProfile  *eimza_eonay_profile_load             (GKeyFile            *key_file,
                                                          const char          *origin,
                                                          GError             **error);

/* The key of @selector in [nes-selectors], and the KIND of @kind's
 * [nes-page:KIND] ("unknown" for %EIMZA_NES_WEB_PAGE_UNKNOWN). */
const char         *eimza_eonay_profile_selector_key     (EimzaEonaySelector   selector);
const char         *eimza_eonay_profile_page_key         (EimzaNesWebPageKind   kind);

/* Şifreli Giriş and Kilit Çözme on the same site, or %NULL when the
 * profile does not describe them. */
EimzaUnblockProfile *eimza_eonay_profile_get_unblock     (EimzaEonayProfile   *self);
/* The site's https:// base URL, or %NULL when given at run time. */
const char         *eimza_eonay_profile_get_base_url     (EimzaEonayProfile   *self);
/* The signer's base URL: absolute, or a path relative to the site. */
const char         *eimza_eonay_profile_get_signer_base_url (EimzaEonayProfile *self);
const char         *eimza_eonay_profile_get_encoding     (EimzaEonayProfile   *self);
/* A string every complete page contains, or %NULL. */
const char         *eimza_eonay_profile_get_complete_marker (EimzaEonayProfile *self);
const char         *eimza_eonay_profile_get_path         (EimzaEonayProfile   *self,
                                                          EimzaEonayPath       path);
const char         *eimza_eonay_profile_get_field        (EimzaEonayProfile   *self,
                                                          EimzaEonayField      field);
const char         *eimza_eonay_profile_get_submit       (EimzaEonayProfile   *self,
                                                          EimzaEonaySubmit     submit);
const char         *eimza_eonay_profile_get_header       (EimzaEonayProfile   *self,
                                                          EimzaEonayHeader     header);
/* The purpose the site's name @name stands for. */
EimzaEonayPurpose   eimza_eonay_profile_parse_purpose    (EimzaEonayProfile   *self,
                                                          const char          *name);
/* Which error a message of the site means ([nes-messages]). */
gboolean            eimza_eonay_profile_classify_message (EimzaEonayProfile   *self,
                                                          const char          *message,
                                                          EimzaPortalError    *out_code);

/* For the page parser: compiled XPath (xmlXPathCompExprPtr). */
gpointer            eimza_eonay_profile_get_selector_expr (EimzaEonayProfile  *self,
                                                           EimzaEonaySelector  selector);
gpointer            eimza_eonay_profile_get_page_marker   (EimzaEonayProfile   *self,
                                                           EimzaNesWebPageKind  kind);
/* (element-type xmlXPathCompExprPtr): all true on a complete page. */
GPtrArray          *eimza_eonay_profile_get_page_requirements (EimzaEonayProfile   *self,
                                                               EimzaNesWebPageKind  kind);
/* (type EimzaPortalMatcher): every expression above, for one walk over a page. */
gpointer            eimza_eonay_profile_get_matcher       (EimzaEonayProfile  *self);

G_END_DECLS
