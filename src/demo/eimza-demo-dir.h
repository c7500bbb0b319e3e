/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's private directory: made with its owner's name, removed whole, stale ones found. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *eimza_demo_dir_make         (GError    **error);
void  eimza_demo_dir_remove       (const char *path);
void  eimza_demo_dir_remove_stale (void);

G_END_DECLS
