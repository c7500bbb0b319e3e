/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --signature-log: every accepted signature and what it signs, for tests to check on their own. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes DIR/NNN-KIND.cms (the DER CMS as uploaded) and
 * DIR/NNN-KIND.content (the exact bytes it had to sign), NNN counting the
 * signatures of the run from 001, so that a test can run
 * `openssl cms -verify` on each. Does nothing when @dir is %NULL; a write
 * failure is printed, never fatal. */
void eimza_sim_signature_log_save (const char *dir,
                                   const char *kind,
                                   GBytes     *content,
                                   GBytes     *cms);

G_END_DECLS
