/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `eimza-asistan --check-profile`: a profile checked by every rule the app applies, and what it makes of saved pages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of eimza_profile_check_run(). */
typedef enum {
  EIMZA_PROFILE_CHECK_OK = 0,
  /* The profile breaks a rule; the message names the group and key. */
  EIMZA_PROFILE_CHECK_INVALID = 1,
  /* The command line is wrong, or the pages folder cannot be read. */
  EIMZA_PROFILE_CHECK_USAGE = 2,
} EimzaProfileCheckStatus;

/* Loads the profile file @path as the application would, telling a portal
 * profile ([portal], maybe with an NES site) from an NES site profile
 * ([nes] alone) by its groups; with @pages_dir (nullable), reports on
 * every .html/.htm file in it (see eimza_page_report_append()). The report
 * goes to @out, problems to @err. Needs no display and no network. */
EimzaProfileCheckStatus eimza_profile_check_run (const char *path,
                                                 const char *pages_dir,
                                                 GString    *out,
                                                 GString    *err);

G_END_DECLS
