/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the card service's parts share: the block both threads hold, jobs, updates. */
#pragma once

#include "eimza-card-service.h"

G_BEGIN_DECLS

typedef struct {
  gatomicrefcount ref_count;
  GMainContext *main_context;
  /* Main context only. */
  EimzaCardService *service;

  /* The lock is never held across a PC/SC call, so the main thread never
   * waits for pcscd. The condition is broadcast on every change below. */
  GMutex lock;
  GCond cond;
  /* Under lock (besides its own): jobs are pushed with the lock held so the
   * worker can check for them and start waiting in one step. */
  GAsyncQueue *jobs;
  gboolean stop;
  gboolean exited;
  gboolean waker_stop;
  gboolean in_wait;      /* the worker is in (or entering) its status wait */
  guint wait_seq;        /* bumped each time the worker starts waiting */
  SCARDCONTEXT context;  /* valid while have_context */
  gboolean have_context;
  guint n_cancels;       /* for debugging: SCardCancel()s sent, and */
  guint n_repeated;      /* how many had to be repeated */
} Shared;

typedef struct {
  GTask *task;
  EimzaCardJobFunc func;
  GDestroyNotify result_free;
} Job;

typedef enum {
  EVENT_READER_ADDED,
  EVENT_READER_REMOVED,
  EVENT_CARD_INSERTED,
  EVENT_CARD_REMOVED,
} EventKind;

typedef struct {
  EventKind kind;
  char *reader;
  char *atr;
} Event;

typedef struct {
  Shared *shared;
  EimzaCardServiceState state;
  GPtrArray *readers;  /* of EimzaCardReaderInfo */
  GArray *events;      /* of Event */
} Update;

/* eimza-card-shared.c */
Shared  *eimza_card_shared_new             (GMainContext *main_context);
Shared  *eimza_card_shared_ref             (Shared       *shared);
void     eimza_card_shared_unref           (Shared       *shared);
gpointer eimza_card_waker_thread           (gpointer      shared);
void     eimza_card_job_complete           (Job          *job,
                                            gpointer      result,
                                            GError       *error);
void     eimza_card_job_complete_cancelled (Job          *job);
void     eimza_card_event_clear            (gpointer      event);
void     eimza_card_update_free            (gpointer      update);

/* eimza-card-service.c: an Update on the main context (a GSourceFunc). */
gboolean eimza_card_service_apply_update   (gpointer      update);

/* eimza-card-worker.c: the worker thread's function (takes @shared). */
gpointer eimza_card_worker_thread          (gpointer      shared);

G_END_DECLS
