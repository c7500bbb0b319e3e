/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A control's label as an instruction names it ("_Continue" → "Continue"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *eimza_control_label_for_text (const char *label);

G_END_DECLS
