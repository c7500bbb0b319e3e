/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's child processes: finding them, bounded waits on a private context, stopping them. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A wait with a deadline. The demo's start and stop are synchronous, yet a
 * child process must not hold the app forever: the asynchronous call runs
 * on a private main context (nothing of the caller's main loop is
 * dispatched meanwhile) and is cancelled at the deadline. */
typedef struct
{
  GMainContext *context;
  GCancellable *cancellable;     /* cancelled at the deadline */
  GSource *deadline;
  GAsyncResult *result;
} EimzaDemoWait;

void          eimza_demo_wait_begin     (EimzaDemoWait *wait,
                                         GMainContext  *context,
                                         guint          timeout_ms);
void          eimza_demo_wait_done_cb   (GObject       *source,
                                         GAsyncResult  *result,
                                         gpointer       user_data);
GAsyncResult *eimza_demo_wait_for       (EimzaDemoWait *wait);
gboolean      eimza_demo_wait_timed_out (EimzaDemoWait *wait);
void          eimza_demo_wait_end       (EimzaDemoWait *wait);

char         *eimza_demo_find_program   (const char    *env_var,
                                         const char    *build_subdir,
                                         const char    *name,
                                         const char    *installed);
void          eimza_demo_terminate      (GSubprocess   *process);
void          eimza_demo_kill_group     (GSubprocess   *process);

G_END_DECLS
