/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether a browser is running with a profile: the locks Firefox and Chromium leave in it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether a Firefox is running with the profile in @profile_dir: its
 * `lock` symbolic link names a live process ("ADDRESS:+PID"), or another
 * process holds the fcntl() lock on its `.parentlock`. A lock left by a
 * browser that crashed does not count. */
gboolean eimza_browser_firefox_in_use  (const char *profile_dir);

/* Whether Chromium or Google Chrome runs for the person whose home is
 * @home: a `SingletonLock` ("HOST-PID") of a live process in one of their
 * configuration folders. */
gboolean eimza_browser_chromium_in_use (const char *home);

G_END_DECLS
