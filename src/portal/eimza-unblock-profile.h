/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything site-specific about the NES site's Şifreli Giriş and Kilit Çözme, from a portal profile. */
#pragma once

#include <gio/gio.h>

#include "eimza-portal-error.h"

G_BEGIN_DECLS

/*
 * Groups [nes-unblock], [nes-unblock-selectors], [nes-unblock-page:KIND]
 * and [nes-unblock-messages] of a profile with an NES site
 * (docs/unblock-protocol.md). They are optional as a whole: without
 * [nes-unblock] the app offers no Şifreli Giriş; with it every key is
 * required. Every value is our model of the site until checked against
 * the live one (kamusm.ini says so). Paths are absolute paths on the NES
 * site's own host; the page-errors, info-messages and hidden-inputs
 * selectors are the site's common ones ([nes-selectors]).
 */

/* Keys of [nes-unblock] naming the pages. */
typedef enum {
  EIMZA_UNBLOCK_PATH_SIGN_IN,
  EIMZA_UNBLOCK_PATH_SMS,
  EIMZA_UNBLOCK_PATH_UNBLOCK,
  EIMZA_UNBLOCK_N_PATHS
} EimzaUnblockPath;

/* Keys of [nes-unblock] naming form fields and buttons. */
typedef enum {
  EIMZA_UNBLOCK_FIELD_TCKN,
  EIMZA_UNBLOCK_FIELD_SECURITY_WORD,
  EIMZA_UNBLOCK_FIELD_CAPTCHA,
  EIMZA_UNBLOCK_FIELD_SMS_CODE,
  EIMZA_UNBLOCK_FIELD_SIGN_IN_SUBMIT,
  EIMZA_UNBLOCK_FIELD_SMS_SUBMIT,
  EIMZA_UNBLOCK_FIELD_UNBLOCK_SUBMIT,
  EIMZA_UNBLOCK_N_FIELDS
} EimzaUnblockField;

/* Group [nes-unblock-selectors]: XPath 1.0, the text of the first node. */
typedef enum {
  EIMZA_UNBLOCK_SELECTOR_CAPTCHA_IMAGE,
  EIMZA_UNBLOCK_SELECTOR_SMS_PHONE,
  EIMZA_UNBLOCK_SELECTOR_SMS_SECONDS_LEFT,
  EIMZA_UNBLOCK_SELECTOR_HOLDER,
  EIMZA_UNBLOCK_SELECTOR_UNBLOCK_CODE,
  EIMZA_UNBLOCK_N_SELECTORS
} EimzaUnblockSelector;

/* Groups [nes-unblock-page:KIND]: a marker and the requirements of a
 * complete page. */
typedef enum {
  EIMZA_UNBLOCK_PAGE_UNKNOWN,
  EIMZA_UNBLOCK_PAGE_SIGN_IN,
  EIMZA_UNBLOCK_PAGE_SMS,
  EIMZA_UNBLOCK_PAGE_UNBLOCK,
  EIMZA_UNBLOCK_N_PAGE_KINDS
} EimzaUnblockPageKind;

#define EIMZA_TYPE_UNBLOCK_PROFILE (eimza_unblock_profile_get_type ())

G_DECLARE_FINAL_TYPE (EimzaUnblockProfile, eimza_unblock_profile, EIMZA, UNBLOCK_PROFILE, GObject)

/* Whether @group is one of the groups above. */
gboolean             eimza_unblock_profile_is_group      (const char           *group);
/* Loads the groups; %NULL without an error when there is no [nes-unblock]
 * (and no other of its groups). @origin names the profile in errors. */
EimzaUnblockProfile *eimza_unblock_profile_load          (GKeyFile             *key_file,
                                                          const char           *origin,
                                                          GError              **error);

const char          *eimza_unblock_profile_get_path      (EimzaUnblockProfile  *self,
                                                          EimzaUnblockPath      path);
const char          *eimza_unblock_profile_get_field     (EimzaUnblockProfile  *self,
                                                          EimzaUnblockField     field);
/* Compiled XPath (xmlXPathCompExprPtr). */
gpointer             eimza_unblock_profile_get_selector  (EimzaUnblockProfile  *self,
                                                          EimzaUnblockSelector  selector);
gpointer             eimza_unblock_profile_get_marker    (EimzaUnblockProfile  *self,
                                                          EimzaUnblockPageKind  kind);
/* (element-type xmlXPathCompExprPtr) */
GPtrArray           *eimza_unblock_profile_get_requirements (EimzaUnblockProfile  *self,
                                                             EimzaUnblockPageKind  kind);
/* Which error a message of the site means ([nes-unblock-messages]). */
gboolean             eimza_unblock_profile_classify_message (EimzaUnblockProfile *self,
                                                             const char          *message,
                                                             EimzaPortalError    *out_code);

G_END_DECLS
