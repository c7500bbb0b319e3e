/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A label that only a screen reader sees, for what a page announces while
 * the person waits (a countdown's few marks, a step's progress). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_LIVE_LABEL (eimza_live_label_get_type ())

G_DECLARE_FINAL_TYPE (EimzaLiveLabel, eimza_live_label, EIMZA, LIVE_LABEL, GtkLabel)

GtkWidget *eimza_live_label_new      (void);
/* Has a screen reader say @text now (politely, after what it says). */
void       eimza_live_label_announce (EimzaLiveLabel *self,
                                      const char     *text);

G_END_DECLS
