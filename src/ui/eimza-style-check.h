/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A test hook that reports cut-off labels and text contrast (tests only). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* With EIMZA_TEST_STYLE_REPORT=FILE set (GUI tests), each SIGUSR1 appends
 * to FILE every label of the shown windows that is cut off and every
 * label's contrast ratio against what it is drawn on; otherwise nothing. */
void eimza_style_check_install (void);

G_END_DECLS
