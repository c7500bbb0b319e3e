/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The login page's captcha: a random text and a distorted PNG of it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Five characters from the portal's alphabet, which leaves out look-alikes
 * (0/O, 1/I, Q, W, X). */
char   *eimza_sim_captcha_new_text   (GRand      *rand);
/* Case-insensitive, surrounding white space ignored. */
gboolean eimza_sim_captcha_matches   (const char *expected,
                                      const char *typed);
/* A PNG of @text with rotated letters and noise lines. */
GBytes *eimza_sim_captcha_render_png (const char *text,
                                      GRand      *rand);
/* The huge-captcha fault's image: a valid PNG of 20000 × 20000 pixels, over
 * a gigabyte decoded, in under 50 KB. (transfer full) */
GBytes *eimza_sim_captcha_huge_png   (void);

G_END_DECLS
