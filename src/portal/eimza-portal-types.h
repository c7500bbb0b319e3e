/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The names a portal profile gives to pages, paths, selectors and buttons; the largest page read. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Larger answers are refused without parsing: no page of the portal comes
 * near it, and it bounds what a broken or hostile server can make us do. */
#define EIMZA_PORTAL_WEB_PAGE_MAX_SIZE (2 * 1024 * 1024)

/* The nicks of these enums ("captcha-refresh", "page-errors", …) are the keys
 * of the portal profile files in data/portal/. */

/**
 * EimzaPortalWebPageKind:
 * @EIMZA_PORTAL_WEB_PAGE_UNKNOWN: none of the profile's page markers matched,
 *   but the page carries messages of the portal.
 * @EIMZA_PORTAL_WEB_PAGE_LOGIN: the sign-in page (captcha and identity).
 * @EIMZA_PORTAL_WEB_PAGE_FORM: the application form.
 * @EIMZA_PORTAL_WEB_PAGE_SMS: the SMS approval page.
 * @EIMZA_PORTAL_WEB_PAGE_METHOD: the choice between e-imza and e-onay.
 * @EIMZA_PORTAL_WEB_PAGE_ESIGNED: the e-signed application: its summary, the
 *   commitment and, while it may be signed, the signer's addresses.
 * @EIMZA_PORTAL_WEB_PAGE_RESULT: the page with the application number.
 * @EIMZA_PORTAL_WEB_PAGE_SESSION_EXPIRED: the page saying the session ended.
 */
typedef enum {
  EIMZA_PORTAL_WEB_PAGE_UNKNOWN,
  EIMZA_PORTAL_WEB_PAGE_LOGIN,
  EIMZA_PORTAL_WEB_PAGE_FORM,
  EIMZA_PORTAL_WEB_PAGE_SMS,
  EIMZA_PORTAL_WEB_PAGE_METHOD,
  EIMZA_PORTAL_WEB_PAGE_ESIGNED,
  EIMZA_PORTAL_WEB_PAGE_RESULT,
  EIMZA_PORTAL_WEB_PAGE_SESSION_EXPIRED,
  EIMZA_PORTAL_N_PAGE_KINDS /*< skip >*/
} EimzaPortalWebPageKind;

/* Group [paths]: where each page lives, relative to the base URL. */
typedef enum {
  EIMZA_PORTAL_PATH_LOGIN,
  EIMZA_PORTAL_PATH_CAPTCHA,
  EIMZA_PORTAL_PATH_CAPTCHA_REFRESH,
  EIMZA_PORTAL_PATH_FORM,
  EIMZA_PORTAL_PATH_SMS,
  EIMZA_PORTAL_PATH_METHOD,
  EIMZA_PORTAL_PATH_RESULT,
  EIMZA_PORTAL_N_PATHS /*< skip >*/
} EimzaPortalPath;

/* Group [selectors]: XPath 1.0 expressions over the parsed HTML (element and
 * attribute names in lower case). The *-name ones are evaluated relative to
 * each node the selector before them found; the boolean ones are cast to a
 * boolean; the others take the text of the first node found. */
typedef enum {
  EIMZA_PORTAL_SELECTOR_HIDDEN_INPUTS,
  EIMZA_PORTAL_SELECTOR_SUBMIT_BUTTONS,
  EIMZA_PORTAL_SELECTOR_FORM_CONTROLS,
  EIMZA_PORTAL_SELECTOR_PAGE_ERRORS,
  EIMZA_PORTAL_SELECTOR_INFO_MESSAGES,
  EIMZA_PORTAL_SELECTOR_FIELD_ERRORS,
  EIMZA_PORTAL_SELECTOR_FIELD_ERROR_NAME,
  EIMZA_PORTAL_SELECTOR_IDENTITY_CELLS,
  EIMZA_PORTAL_SELECTOR_IDENTITY_CELL_NAME,
  EIMZA_PORTAL_SELECTOR_CAPTCHA_IMAGE,
  EIMZA_PORTAL_SELECTOR_MASKED_PHONE,
  EIMZA_PORTAL_SELECTOR_ATTEMPTS_LEFT,
  EIMZA_PORTAL_SELECTOR_RESEND_SECONDS,
  EIMZA_PORTAL_SELECTOR_EONAY_BUTTON,
  EIMZA_PORTAL_SELECTOR_EONAY_DISABLED,
  EIMZA_PORTAL_SELECTOR_APPLICATION_NUMBER,
  /* The e-signed application's page: the summary's rows, each row's label
   * and value (relative to the row), the commitment, the seconds left to
   * sign, and the signer's addresses of the data and of the upload. */
  EIMZA_PORTAL_SELECTOR_SIGN_SUMMARY_ROWS,
  EIMZA_PORTAL_SELECTOR_SIGN_SUMMARY_LABEL,
  EIMZA_PORTAL_SELECTOR_SIGN_SUMMARY_VALUE,
  EIMZA_PORTAL_SELECTOR_SIGN_COMMITMENT,
  EIMZA_PORTAL_SELECTOR_SIGN_SECONDS_LEFT,
  EIMZA_PORTAL_SELECTOR_SIGN_DATA_URL,
  EIMZA_PORTAL_SELECTOR_SIGN_UPLOAD_URL,
  EIMZA_PORTAL_N_SELECTORS /*< skip >*/
} EimzaPortalSelector;

/* Group [submit]: the name of the button each step posts. */
typedef enum {
  EIMZA_PORTAL_SUBMIT_LOGIN,
  EIMZA_PORTAL_SUBMIT_FORM,
  EIMZA_PORTAL_SUBMIT_SMS_SEND,
  EIMZA_PORTAL_SUBMIT_SMS_VERIFY,
  EIMZA_PORTAL_SUBMIT_EONAY,
  EIMZA_PORTAL_SUBMIT_ESIGN,
  EIMZA_PORTAL_N_SUBMITS /*< skip >*/
} EimzaPortalSubmit;

G_END_DECLS
