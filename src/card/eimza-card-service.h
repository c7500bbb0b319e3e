/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card-reader service: one worker thread that owns all card state. */
#pragma once

#include <gio/gio.h>
#include <winscard.h>

#include "eimza-card-error.h"
#include "eimza-card-reader-info.h"

G_BEGIN_DECLS

/**
 * EimzaCardServiceState:
 * @EIMZA_CARD_SERVICE_STATE_STARTING: the worker has not looked yet.
 * @EIMZA_CARD_SERVICE_STATE_NO_SERVICE: pcscd is not running (or stopped);
 *   the service retries every second.
 * @EIMZA_CARD_SERVICE_STATE_NO_READER: pcscd runs but has no reader; the
 *   service watches for one.
 * @EIMZA_CARD_SERVICE_STATE_READY: at least one reader is connected.
 */
typedef enum {
  EIMZA_CARD_SERVICE_STATE_STARTING,
  EIMZA_CARD_SERVICE_STATE_NO_SERVICE,
  EIMZA_CARD_SERVICE_STATE_NO_READER,
  EIMZA_CARD_SERVICE_STATE_READY,
} EimzaCardServiceState;

#define EIMZA_TYPE_CARD_SERVICE (eimza_card_service_get_type ())

G_DECLARE_FINAL_TYPE (EimzaCardService, eimza_card_service, EIMZA, CARD_SERVICE, GObject)

/* The worker thread's context, handed to jobs; valid only on the worker
 * thread and only while the job runs. */
typedef struct _EimzaCardWorker EimzaCardWorker;

/**
 * EimzaCardJobFunc:
 * @worker: the worker context
 * @job_data: the data given to eimza_card_service_run_async()
 * @cancellable: (nullable): the caller's cancellable
 * @error: return location for an error
 *
 * Work that runs on the worker thread, between waits for reader events,
 * one job at a time. It may block (a PIN entry on a pinpad, a signature),
 * but everything else waits for it, so it should watch @cancellable.
 *
 * Returns: the result, freed with the result_free given to
 *   eimza_card_service_run_async() if nobody takes it; %NULL and @error set
 *   on failure (a job may also succeed with %NULL).
 */
typedef gpointer (*EimzaCardJobFunc) (EimzaCardWorker  *worker,
                                      gpointer          job_data,
                                      GCancellable     *cancellable,
                                      GError          **error);

/* Starts the worker at once. Use the service from the thread (and thread-
 * default main context) that created it: signals, notifications and job
 * results arrive there. */
EimzaCardService      *eimza_card_service_new              (void);

EimzaCardServiceState  eimza_card_service_get_state        (EimzaCardService     *self);

/* Element type EimzaCardReaderInfo, in pcscd's order; owned by the service
 * and replaced (not changed) on every update, so hold a reference to keep
 * one. */
GPtrArray             *eimza_card_service_get_readers      (EimzaCardService     *self);

/* Whether a card can be used now. Otherwise sets @error to why not
 * (%EIMZA_CARD_ERROR_NO_SERVICE, also while starting; _NO_READER or
 * _NO_CARD) with a translated message, as eimza_card_error_from_pcsc()
 * would. Always %TRUE with a virtual card (see below). */
gboolean               eimza_card_service_check_ready      (EimzaCardService     *self,
                                                            GError              **error);

/* Whether the certificates are on a PKCS#11 token that is in no card
 * reader: the demo's virtual card (SoftHSM2). Then no card in a reader is
 * needed to use them, and PC/SC's state says nothing about them. */
void                   eimza_card_service_set_virtual_card (EimzaCardService     *self,
                                                            gboolean              virtual_card);
gboolean               eimza_card_service_get_virtual_card (EimzaCardService     *self);

/* Queues @func to run on the worker thread, which is woken if it waits for
 * reader events. The #GTask is made on the calling thread and @callback
 * runs in its thread-default main context. A job whose @cancellable is
 * cancelled before it starts does not run; jobs still queued when the
 * service is disposed end with %G_IO_ERROR_CANCELLED. The task is
 * returned and released in the caller's main context, so @job_data_free
 * and @result_free (for a result nobody took) run there, after @callback.
 * The service stays alive while jobs are pending. */
void                   eimza_card_service_run_async        (EimzaCardService     *self,
                                                            EimzaCardJobFunc      func,
                                                            gpointer              job_data,
                                                            GDestroyNotify        job_data_free,
                                                            GDestroyNotify        result_free,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
/* Returns: (transfer full): the job's result; %NULL with @error set on
 * failure or cancellation. */
gpointer               eimza_card_service_run_finish       (EimzaCardService     *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Worker-thread-only accessors, for jobs. */

/* The worker's PC/SC context, or 0 while pcscd is not running. Jobs may
 * use it for SCardConnect() and friends but must not release it. */
SCARDCONTEXT           eimza_card_worker_get_pcsc_context  (EimzaCardWorker      *worker);

/**
 * EimzaCardWorkerReader:
 * @name: the PC/SC reader name
 * @atr: (nullable): the card's ATR in hex; %NULL without a card or for a
 *   mute card
 * @insertion: 0 without a card; otherwise a number given to this insertion
 *   only, so what is remembered about a card can be forgotten when it was
 *   taken out, even if the same card came back meanwhile
 *
 * A reader as the worker last saw it, for the PKCS#11 side (which modules
 * to ask about which card).
 */
typedef struct {
  char *name;
  char *atr;
  guint64 insertion;
} EimzaCardWorkerReader;

/* The readers as the worker last saw them, in pcscd's order.
 * Returns: (transfer container) (element-type EimzaCardWorkerReader). */
GPtrArray             *eimza_card_worker_list_readers      (EimzaCardWorker      *worker);
void                   eimza_card_worker_reader_free       (EimzaCardWorkerReader *reader);

/* State that other modules keep on the worker between jobs (e.g. the
 * loaded PKCS#11 modules). @destroy runs on the worker thread when the
 * value is replaced and when the worker stops (before the PC/SC context is
 * released). Setting %NULL removes the key. */
gpointer               eimza_card_worker_get_data          (EimzaCardWorker      *worker,
                                                            const char           *key);
void                   eimza_card_worker_set_data          (EimzaCardWorker      *worker,
                                                            const char           *key,
                                                            gpointer              data,
                                                            GDestroyNotify        destroy);

G_END_DECLS
