/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One browser's certificate database (a Firefox profile, Chromium's ~/.pki/nssdb) and whether the card's module is in it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * EimzaBrowserKind:
 * @EIMZA_BROWSER_FIREFOX: a Firefox profile (Debian's firefox-esr and
 *   Mozilla's own builds share ~/.mozilla/firefox).
 * @EIMZA_BROWSER_CHROMIUM: the NSS database Chromium and Google Chrome
 *   share, ~/.pki/nssdb.
 */
typedef enum {
  EIMZA_BROWSER_FIREFOX,
  EIMZA_BROWSER_CHROMIUM,
} EimzaBrowserKind;

/**
 * EimzaBrowserSandbox:
 * @EIMZA_BROWSER_SANDBOX_NONE: a browser of the system, which loads the
 *   system's modules.
 * @EIMZA_BROWSER_SANDBOX_SNAP: a snap; its confinement keeps modules of
 *   the host out.
 * @EIMZA_BROWSER_SANDBOX_FLATPAK: a Flatpak; the same.
 */
typedef enum {
  EIMZA_BROWSER_SANDBOX_NONE,
  EIMZA_BROWSER_SANDBOX_SNAP,
  EIMZA_BROWSER_SANDBOX_FLATPAK,
} EimzaBrowserSandbox;

/**
 * EimzaBrowserState:
 * @EIMZA_BROWSER_STATE_UNKNOWN: not checked yet.
 * @EIMZA_BROWSER_STATE_REGISTERED: the module is in the database.
 * @EIMZA_BROWSER_STATE_NOT_REGISTERED: it is not (for Chromium also when
 *   the database does not exist yet: registering makes it).
 * @EIMZA_BROWSER_STATE_NO_DATABASE: a Firefox profile never started, so
 *   without a certificate database.
 * @EIMZA_BROWSER_STATE_SANDBOXED: a snap or Flatpak browser; nothing to do.
 * @EIMZA_BROWSER_STATE_UNREADABLE: the database could not be read; see
 *   eimza_browser_profile_get_problem().
 */
typedef enum {
  EIMZA_BROWSER_STATE_UNKNOWN,
  EIMZA_BROWSER_STATE_REGISTERED,
  EIMZA_BROWSER_STATE_NOT_REGISTERED,
  EIMZA_BROWSER_STATE_NO_DATABASE,
  EIMZA_BROWSER_STATE_SANDBOXED,
  EIMZA_BROWSER_STATE_UNREADABLE,
} EimzaBrowserState;

#define EIMZA_TYPE_BROWSER_PROFILE (eimza_browser_profile_get_type ())

G_DECLARE_FINAL_TYPE (EimzaBrowserProfile, eimza_browser_profile, EIMZA, BROWSER_PROFILE, GObject)

/* @title is for people (translated); @directory holds the NSS database
 * (for a sandboxed browser: its own profile folder). */
EimzaBrowserProfile *eimza_browser_profile_new            (EimzaBrowserKind     kind,
                                                           EimzaBrowserSandbox  sandbox,
                                                           const char          *title,
                                                           const char          *directory);

EimzaBrowserKind     eimza_browser_profile_get_kind       (EimzaBrowserProfile *self);
EimzaBrowserSandbox  eimza_browser_profile_get_sandbox    (EimzaBrowserProfile *self);
const char          *eimza_browser_profile_get_title      (EimzaBrowserProfile *self);
const char          *eimza_browser_profile_get_directory  (EimzaBrowserProfile *self);

/* What the last check or change found; the properties notify on the
 * thread that sets them (the main thread, through the _finish calls). */
EimzaBrowserState    eimza_browser_profile_get_state      (EimzaBrowserProfile *self);
/* Whether the browser was running at the last check. */
gboolean             eimza_browser_profile_get_running    (EimzaBrowserProfile *self);
/* Whether a change was made while the browser ran: it must be restarted. */
gboolean             eimza_browser_profile_get_needs_restart (EimzaBrowserProfile *self);
/* For %EIMZA_BROWSER_STATE_UNREADABLE: why (translated); else %NULL. */
const char          *eimza_browser_profile_get_problem    (EimzaBrowserProfile *self);

void                 eimza_browser_profile_set_state      (EimzaBrowserProfile *self,
                                                           EimzaBrowserState    state,
                                                           gboolean             running,
                                                           gboolean             needs_restart,
                                                           const char          *problem);

/* Whether registering or removing can be offered. */
gboolean             eimza_browser_profile_can_change     (EimzaBrowserProfile *self);

/* The state in one or two sentences for people (translated). */
char                *eimza_browser_profile_dup_state_text (EimzaBrowserProfile *self);

G_END_DECLS
