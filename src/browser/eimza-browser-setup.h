/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks, registers and removes the card's module in every browser of a person, off the main thread. */
#pragma once

#include <gio/gio.h>

#include "eimza-browser-profile.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_BROWSER_SETUP (eimza_browser_setup_get_type ())

G_DECLARE_FINAL_TYPE (EimzaBrowserSetup, eimza_browser_setup, EIMZA, BROWSER_SETUP, GObject)

/* The browsers under @home, with the module @module (a path, from
 * eimza_browser_pick_module()). */
EimzaBrowserSetup *eimza_browser_setup_new            (const char           *home,
                                                       const char           *module);

const char        *eimza_browser_setup_get_home       (EimzaBrowserSetup    *self);
const char        *eimza_browser_setup_get_module     (EimzaBrowserSetup    *self);

/*
 * The synchronous calls wait for `modutil`: for the command line, or a
 * thread. The _async ones run the same work in a thread of their own;
 * their _finish, called on the thread that started them, updates the
 * profile (whose "state" then notifies there).
 *
 * A Firefox that runs with the profile is never changed (its database
 * could be damaged): %EIMZA_BROWSER_ERROR_RUNNING. Chromium's database
 * may be changed while it runs (NSS's SQL database is shared by design);
 * the profile then says it needs a restart.
 */

/* Every browser found, each checked.
 * Returns: (transfer container) (element-type EimzaBrowserProfile). */
GPtrArray         *eimza_browser_setup_scan           (EimzaBrowserSetup    *self,
                                                       GCancellable         *cancellable);
void               eimza_browser_setup_scan_async     (EimzaBrowserSetup    *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GPtrArray         *eimza_browser_setup_scan_finish    (EimzaBrowserSetup    *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Checks @profile again. */
void               eimza_browser_setup_check          (EimzaBrowserSetup    *self,
                                                       EimzaBrowserProfile  *profile,
                                                       GCancellable         *cancellable);

/* Registers (@add) or removes the module in @profile's database, then
 * checks it again. Removing takes out every registration of the same
 * library, whatever its name. */
gboolean           eimza_browser_setup_change         (EimzaBrowserSetup    *self,
                                                       EimzaBrowserProfile  *profile,
                                                       gboolean              add,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
void               eimza_browser_setup_change_async   (EimzaBrowserSetup    *self,
                                                       EimzaBrowserProfile  *profile,
                                                       gboolean              add,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           eimza_browser_setup_change_finish  (EimzaBrowserSetup    *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
