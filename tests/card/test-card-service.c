/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the card-reader service against a real pcscd with vpcd readers. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "eimza-card-service.h"
#include "pcsc-testbed.h"

#define ATR_UEKAE "3B9F968131FE45806755454B41451293318073B3A1806B"
#define ATR_2020 "3B9F978131FE4580655443D3230231C073F62180810552"
#define ATR_VICC "3B951381018073FF01000B"

/* Generous: vpcd cards are seen by pcscd's 400 ms polling, and the service
 * retries pcscd every second. */
#define EVENT_TIMEOUT_MS 5000

static PcscTestbed *bed;
static char *skip_reason;
static GThread *main_thread;

typedef struct {
  EimzaCardService *service;
  GPtrArray *log;     /* "signal arguments…" */
  GPtrArray *states;  /* notified states, as nicks */
  char *empty_config_dir;
} Fixture;

static gboolean
timeout_flag_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context until @cond holds, failing after
 * @timeout_ms. */
#define WAIT_FOR(cond, timeout_ms)                                              \
  G_STMT_START {                                                                \
    gboolean timed_out_ = FALSE;                                                \
    guint timeout_id_ = g_timeout_add ((timeout_ms), timeout_flag_cb, &timed_out_); \
    while (!(cond) && !timed_out_)                                              \
      g_main_context_iteration (NULL, TRUE);                                    \
    if (!timed_out_)                                                            \
      g_source_remove (timeout_id_);                                            \
    if (!(cond))                                                                \
      g_error ("Timed out after %u ms waiting for %s", (guint) (timeout_ms), #cond); \
  } G_STMT_END

static const char *
state_nick (EimzaCardServiceState state)
{
  switch (state)
    {
    case EIMZA_CARD_SERVICE_STATE_STARTING:
      return "starting";
    case EIMZA_CARD_SERVICE_STATE_NO_SERVICE:
      return "no-service";
    case EIMZA_CARD_SERVICE_STATE_NO_READER:
      return "no-reader";
    case EIMZA_CARD_SERVICE_STATE_READY:
      return "ready";
    default:
      g_assert_not_reached ();
    }
}

static void
log_event (Fixture    *f,
           const char *text)
{
  /* Everything arrives on the main context, in this (the main) thread. */
  g_assert_true (g_thread_self () == main_thread);
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));

  g_test_message ("event: %s", text);
  g_ptr_array_add (f->log, g_strdup (text));
}

static void
reader_added_cb (EimzaCardService *service,
                 const char       *name,
                 Fixture          *f)
{
  g_autofree char *text = g_strdup_printf ("reader-added %s", name);

  log_event (f, text);
}

static void
reader_removed_cb (EimzaCardService *service,
                   const char       *name,
                   Fixture          *f)
{
  g_autofree char *text = g_strdup_printf ("reader-removed %s", name);

  log_event (f, text);
}

static void
card_inserted_cb (EimzaCardService *service,
                  const char       *reader,
                  const char       *atr,
                  Fixture          *f)
{
  g_autofree char *text = g_strdup_printf ("card-inserted %s %s", reader, atr);

  log_event (f, text);
}

static void
card_removed_cb (EimzaCardService *service,
                 const char       *reader,
                 Fixture          *f)
{
  g_autofree char *text = g_strdup_printf ("card-removed %s", reader);

  log_event (f, text);
}

static void
state_notify_cb (EimzaCardService *service,
                 GParamSpec       *pspec,
                 Fixture          *f)
{
  g_autofree char *text = NULL;
  const char *nick = state_nick (eimza_card_service_get_state (service));

  text = g_strdup_printf ("state %s", nick);
  log_event (f, text);
  g_ptr_array_add (f->states, g_strdup (nick));
}

static guint
log_count (Fixture    *f,
           const char *text)
{
  guint n = 0;

  for (guint i = 0; i < f->log->len; i++)
    if (g_str_equal (g_ptr_array_index (f->log, i), text))
      n++;

  return n;
}

static guint
log_count_prefix (Fixture    *f,
                  const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < f->log->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (f->log, i), prefix))
      n++;

  return n;
}

static gboolean
is_state (Fixture               *f,
          EimzaCardServiceState  state)
{
  return eimza_card_service_get_state (f->service) == state;
}

static EimzaCardReaderInfo *
find_reader (Fixture    *f,
             const char *name)
{
  GPtrArray *readers = eimza_card_service_get_readers (f->service);

  for (guint i = 0; i < readers->len; i++)
    if (g_str_equal (eimza_card_reader_info_get_name (g_ptr_array_index (readers, i)), name))
      return g_ptr_array_index (readers, i);

  return NULL;
}

static void
start_service (Fixture *f)
{
  f->service = eimza_card_service_new ();
  g_object_add_weak_pointer (G_OBJECT (f->service), (gpointer *) &f->service);

  g_signal_connect (f->service, "reader-added", G_CALLBACK (reader_added_cb), f);
  g_signal_connect (f->service, "reader-removed", G_CALLBACK (reader_removed_cb), f);
  g_signal_connect (f->service, "card-inserted", G_CALLBACK (card_inserted_cb), f);
  g_signal_connect (f->service, "card-removed", G_CALLBACK (card_removed_cb), f);
  g_signal_connect (f->service, "notify::state", G_CALLBACK (state_notify_cb), f);

  g_assert_cmpint (eimza_card_service_get_state (f->service), ==,
                   EIMZA_CARD_SERVICE_STATE_STARTING);
}

/* Disposes of the service and checks that it is gone at once: nothing
 * (no queued update, no job) keeps a reference. */
static gint64
stop_service (Fixture *f)
{
  gint64 start = g_get_monotonic_time ();

  g_object_unref (f->service);
  g_assert_null (f->service);

  return g_get_monotonic_time () - start;
}

static void
start_pcscd (guint n_readers)
{
  g_autoptr(GError) error = NULL;

  pcsc_testbed_start_pcscd (bed, NULL, n_readers, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gboolean with_pcscd = GPOINTER_TO_INT (data);

  f->log = g_ptr_array_new_with_free_func (g_free);
  f->states = g_ptr_array_new_with_free_func (g_free);

  if (bed == NULL)
    return;

  if (with_pcscd)
    start_pcscd (2);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->service != NULL)
    stop_service (f);

  /* Let updates that were already queued run (they find no service). */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (bed != NULL)
    pcsc_testbed_stop_pcscd (bed, SIGTERM);

  if (f->empty_config_dir != NULL)
    {
      g_rmdir (f->empty_config_dir);
      g_free (f->empty_config_dir);
    }

  g_ptr_array_unref (f->log);
  g_ptr_array_unref (f->states);
}

static gboolean
need_testbed (void)
{
  if (bed != NULL)
    return TRUE;

  g_test_skip (skip_reason);
  return FALSE;
}

/* Readers */

static void
test_readers_appear (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) readers = NULL;
  g_autoptr(GError) error = NULL;
  EimzaCardReaderInfo *info;

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  g_object_get (f->service, "readers", &readers, NULL);
  g_assert_true (readers == eimza_card_service_get_readers (f->service));
  g_assert_cmpuint (readers->len, ==, 2);

  info = g_ptr_array_index (readers, 0);
  g_assert_cmpstr (eimza_card_reader_info_get_name (info), ==, PCSC_TESTBED_READER_0);
  g_assert_false (eimza_card_reader_info_has_card (info));
  g_assert_null (eimza_card_reader_info_get_atr (info));
  g_assert_null (eimza_card_reader_info_get_card_type (info));
  g_assert_nonnull (find_reader (f, PCSC_TESTBED_READER_1));

  g_assert_cmpuint (log_count (f, "reader-added " PCSC_TESTBED_READER_0), ==, 1);
  g_assert_cmpuint (log_count (f, "reader-added " PCSC_TESTBED_READER_1), ==, 1);
  /* The first UNAWARE → EMPTY report of an empty reader is no removal. */
  g_assert_cmpuint (log_count_prefix (f, "card-"), ==, 0);
  g_assert_cmpuint (f->states->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->states, 0), ==, "ready");

  /* Ready, but no card. */
  g_assert_false (eimza_card_service_check_ready (f->service, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD);
}

static void
test_no_reader (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!need_testbed ())
    return;

  /* Readers cannot be unplugged from vpcd: a pcscd with an empty
   * configuration has none. */
  f->empty_config_dir = g_dir_make_tmp ("eimza-no-readers-XXXXXX", &error);
  g_assert_no_error (error);
  pcsc_testbed_start_pcscd (bed, f->empty_config_dir, 0, &error);
  g_assert_no_error (error);

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_NO_READER), EVENT_TIMEOUT_MS);
  g_assert_cmpuint (eimza_card_service_get_readers (f->service)->len, ==, 0);

  g_assert_false (eimza_card_service_check_ready (f->service, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_READER);
  g_clear_error (&error);

  /* Readers "plugged in": pcscd comes back with them. */
  pcsc_testbed_stop_pcscd (bed, SIGTERM);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_NO_SERVICE), EVENT_TIMEOUT_MS);
  start_pcscd (2);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);
  g_assert_cmpuint (eimza_card_service_get_readers (f->service)->len, ==, 2);
  g_assert_cmpuint (log_count_prefix (f, "reader-added "), ==, 2);
  g_assert_cmpuint (log_count_prefix (f, "reader-removed "), ==, 0);
}

/* Cards */

static void
test_card_insert_remove (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PcscVirtualCard *card0, *card1;
  EimzaCardReaderInfo *info;

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  card0 = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_0, ATR_UEKAE, &error);
  g_assert_no_error (error);
  WAIT_FOR (log_count_prefix (f, "card-inserted ") == 1, EVENT_TIMEOUT_MS);
  g_assert_cmpuint (log_count (f, "card-inserted " PCSC_TESTBED_READER_0 " " ATR_UEKAE), ==, 1);

  info = find_reader (f, PCSC_TESTBED_READER_0);
  g_assert_true (eimza_card_reader_info_has_card (info));
  g_assert_cmpstr (eimza_card_reader_info_get_atr (info), ==, ATR_UEKAE);
  g_assert_cmpstr (eimza_card_reader_info_get_card_type (info), ==, "AKİS (UEKAE)");
  g_assert_false (eimza_card_reader_info_has_card (find_reader (f, PCSC_TESTBED_READER_1)));
  g_assert_true (eimza_card_service_check_ready (f->service, &error));
  g_assert_no_error (error);

  card1 = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_1, ATR_2020, &error);
  g_assert_no_error (error);
  WAIT_FOR (log_count_prefix (f, "card-inserted ") == 2, EVENT_TIMEOUT_MS);
  g_assert_cmpuint (log_count (f, "card-inserted " PCSC_TESTBED_READER_1 " " ATR_2020), ==, 1);
  info = find_reader (f, PCSC_TESTBED_READER_1);
  g_assert_cmpstr (eimza_card_reader_info_get_card_type (info), ==, "AKİS (2020+)");

  pcsc_virtual_card_remove (card0);
  WAIT_FOR (log_count_prefix (f, "card-removed ") == 1, EVENT_TIMEOUT_MS);
  g_assert_cmpuint (log_count (f, "card-removed " PCSC_TESTBED_READER_0), ==, 1);
  info = find_reader (f, PCSC_TESTBED_READER_0);
  g_assert_false (eimza_card_reader_info_has_card (info));
  g_assert_null (eimza_card_reader_info_get_atr (info));
  g_assert_null (eimza_card_reader_info_get_card_type (info));
  g_assert_true (eimza_card_reader_info_has_card (find_reader (f, PCSC_TESTBED_READER_1)));

  /* Another card in the same reader. */
  card0 = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_0, ATR_2020, &error);
  g_assert_no_error (error);
  WAIT_FOR (log_count_prefix (f, "card-inserted ") == 3, EVENT_TIMEOUT_MS);
  g_assert_cmpuint (log_count (f, "card-inserted " PCSC_TESTBED_READER_0 " " ATR_2020), ==, 1);

  pcsc_virtual_card_remove (card0);
  pcsc_virtual_card_remove (card1);
  WAIT_FOR (log_count_prefix (f, "card-removed ") == 3, EVENT_TIMEOUT_MS);
  g_assert_cmpuint (log_count_prefix (f, "reader-"), ==, 2);
  g_assert_cmpuint (f->states->len, ==, 1);
}

static void
test_card_present_at_start (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PcscVirtualCard *card;
  EimzaCardReaderInfo *info;
  gint64 deadline;

  if (!need_testbed ())
    return;

  card = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_1, ATR_UEKAE, &error);
  g_assert_no_error (error);

  /* Wait until pcscd has seen it, without the service. */
  deadline = g_get_monotonic_time () + EVENT_TIMEOUT_MS * 1000;
  while (TRUE)
    {
      SCARDCONTEXT context;
      SCARD_READERSTATE rs = { .szReader = PCSC_TESTBED_READER_1 };

      g_assert_cmpint (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context), ==,
                       SCARD_S_SUCCESS);
      g_assert_cmpint (SCardGetStatusChange (context, 0, &rs, 1), ==, SCARD_S_SUCCESS);
      SCardReleaseContext (context);
      if (rs.dwEventState & SCARD_STATE_PRESENT)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  /* The first update already has the card, and says so once. */
  info = find_reader (f, PCSC_TESTBED_READER_1);
  g_assert_true (eimza_card_reader_info_has_card (info));
  g_assert_cmpstr (eimza_card_reader_info_get_card_type (info), ==, "AKİS (UEKAE)");
  g_assert_cmpuint (log_count (f, "card-inserted " PCSC_TESTBED_READER_1 " " ATR_UEKAE), ==, 1);
  g_assert_cmpuint (log_count_prefix (f, "card-removed "), ==, 0);

  pcsc_virtual_card_remove (card);
  WAIT_FOR (log_count (f, "card-removed " PCSC_TESTBED_READER_1) == 1, EVENT_TIMEOUT_MS);
}

static void
test_vicc (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *vicc;
  EimzaCardReaderInfo *info;

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  vicc = pcsc_testbed_start_vicc (bed, PCSC_TESTBED_PORT_0, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);

  /* vicc takes ~0.3 s to start, and pcscd polls. */
  WAIT_FOR (log_count_prefix (f, "card-inserted ") == 1, EVENT_TIMEOUT_MS * 2);
  g_assert_cmpuint (log_count (f, "card-inserted " PCSC_TESTBED_READER_0 " " ATR_VICC), ==, 1);
  info = find_reader (f, PCSC_TESTBED_READER_0);
  g_assert_cmpstr (eimza_card_reader_info_get_card_type (info), ==,
                   "Virtual test card (vsmartcard)");

  pcsc_testbed_stop_vicc (vicc);
  WAIT_FOR (log_count (f, "card-removed " PCSC_TESTBED_READER_0) == 1, EVENT_TIMEOUT_MS);
}

/* Recovery */

static void
test_pcscd_restart (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PcscVirtualCard *card;
  gint64 start;

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);
  card = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_0, ATR_UEKAE, &error);
  g_assert_no_error (error);
  WAIT_FOR (log_count_prefix (f, "card-inserted ") == 1, EVENT_TIMEOUT_MS);

  /* A crash while the worker waits: SCARD_F_COMM_ERROR. */
  pcsc_testbed_stop_pcscd (bed, SIGKILL);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_NO_SERVICE), EVENT_TIMEOUT_MS);
  g_assert_cmpuint (eimza_card_service_get_readers (f->service)->len, ==, 0);
  g_assert_cmpuint (log_count (f, "card-removed " PCSC_TESTBED_READER_0), ==, 1);
  g_assert_cmpuint (log_count (f, "reader-removed " PCSC_TESTBED_READER_0), ==, 1);
  g_assert_cmpuint (log_count (f, "reader-removed " PCSC_TESTBED_READER_1), ==, 1);
  g_assert_false (eimza_card_service_check_ready (f->service, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_SERVICE);
  g_clear_error (&error);
  /* The card went with pcscd's vpcd socket. */
  pcsc_virtual_card_remove (card);

  start = g_get_monotonic_time ();
  start_pcscd (2);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);
  g_test_message ("READY %.0f ms after pcscd was started again",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (eimza_card_service_get_readers (f->service)->len, ==, 2);
  g_assert_cmpuint (log_count (f, "reader-added " PCSC_TESTBED_READER_0), ==, 2);

  g_assert_cmpuint (f->states->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->states, 0), ==, "ready");
  g_assert_cmpstr (g_ptr_array_index (f->states, 1), ==, "no-service");
  g_assert_cmpstr (g_ptr_array_index (f->states, 2), ==, "ready");

  /* And cards are seen again, after a clean stop and start too. */
  card = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_1, ATR_2020, &error);
  g_assert_no_error (error);
  WAIT_FOR (log_count (f, "card-inserted " PCSC_TESTBED_READER_1 " " ATR_2020) == 1,
            EVENT_TIMEOUT_MS);
  pcsc_virtual_card_remove (card);

  pcsc_testbed_stop_pcscd (bed, SIGTERM);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_NO_SERVICE), EVENT_TIMEOUT_MS);
  start_pcscd (2);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);
}

static gpointer
context_job (EimzaCardWorker  *worker,
             gpointer          job_data,
             GCancellable     *cancellable,
             GError          **error)
{
  SCARDCONTEXT context = eimza_card_worker_get_pcsc_context (worker);

  g_assert_true (g_thread_self () != main_thread);

  return GINT_TO_POINTER (context != 0 ? 1 : 2);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_true (g_thread_self () == main_thread);
  *out = g_object_ref (result);
}

static void
test_start_without_pcscd (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_NO_SERVICE), EVENT_TIMEOUT_MS);
  g_assert_false (eimza_card_service_check_ready (f->service, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_SERVICE);
  g_assert_cmpstr (error->message, ==, "The smart card service (pcscd) is not running.");
  g_clear_error (&error);

  /* Jobs do not wait for pcscd; they see no PC/SC context. */
  eimza_card_service_run_async (f->service, context_job, NULL, NULL, NULL, NULL,
                                store_result_cb, &result);
  WAIT_FOR (result != NULL, EVENT_TIMEOUT_MS);
  g_assert_cmpint (GPOINTER_TO_INT (eimza_card_service_run_finish (f->service, result, &error)),
                   ==, 2);
  g_assert_no_error (error);
  g_clear_object (&result);

  start = g_get_monotonic_time ();
  start_pcscd (2);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);
  g_test_message ("READY %.0f ms after pcscd was started",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (log_count_prefix (f, "reader-added "), ==, 2);

  eimza_card_service_run_async (f->service, context_job, NULL, NULL, NULL, NULL,
                                store_result_cb, &result);
  WAIT_FOR (result != NULL, EVENT_TIMEOUT_MS);
  g_assert_cmpint (GPOINTER_TO_INT (eimza_card_service_run_finish (f->service, result, &error)),
                   ==, 1);
}

static void
test_dispose_prompt (Fixture       *f,
                     gconstpointer  data)
{
  gboolean with_pcscd = GPOINTER_TO_INT (data);
  gint64 elapsed;

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, with_pcscd ? EIMZA_CARD_SERVICE_STATE_READY
                                     : EIMZA_CARD_SERVICE_STATE_NO_SERVICE),
            EVENT_TIMEOUT_MS);
  /* Let the worker settle into its wait (or retry sleep). */
  g_usleep (50 * 1000);

  elapsed = stop_service (f);
  g_test_message ("dispose took %.2f ms", elapsed / 1000.0);
  /* "Prompt" is ~1 ms; only a hang (a lost wake-up, a full retry period)
   * fails this. */
  g_assert_cmpint (elapsed, <, 500 * 1000);
}

/* Jobs */

typedef struct {
  int value;
  GThread *ran_on;
  gboolean *freed;
} JobData;

static void
job_data_free (gpointer data)
{
  JobData *job_data = data;

  if (job_data->freed != NULL)
    *job_data->freed = TRUE;
  g_free (job_data);
}

static gpointer
list_readers_job (EimzaCardWorker  *worker,
                  gpointer          data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  JobData *job_data = data;
  SCARDCONTEXT context = eimza_card_worker_get_pcsc_context (worker);
  LPSTR names = NULL;
  DWORD names_len = SCARD_AUTOALLOCATE;
  GPtrArray *result;
  LONG rv;

  job_data->ran_on = g_thread_self ();

  rv = SCardListReaders (context, NULL, (LPSTR) &names, &names_len);
  if (!eimza_card_error_from_pcsc (rv, error))
    return NULL;

  result = g_ptr_array_new_with_free_func (g_free);
  for (const char *p = names; *p != '\0'; p += strlen (p) + 1)
    g_ptr_array_add (result, g_strdup (p));
  SCardFreeMemory (context, names);

  return result;
}

static void
test_job_result (Fixture       *f,
                 gconstpointer  data)
{
  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  /* Many round trips in a row, each waking the worker from its wait:
   * a lost wake-up would hang one of them. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) names = NULL;
      g_autoptr(GError) error = NULL;
      gboolean freed = FALSE;
      JobData *job_data = g_new0 (JobData, 1);

      job_data->freed = &freed;
      eimza_card_service_run_async (f->service, list_readers_job, job_data, job_data_free,
                                    (GDestroyNotify) g_ptr_array_unref, NULL,
                                    store_result_cb, &result);
      WAIT_FOR (result != NULL, EVENT_TIMEOUT_MS);
      g_assert_true (job_data->ran_on != main_thread);
      g_assert_false (freed);

      names = eimza_card_service_run_finish (f->service, result, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (names->len, ==, 2);
      g_assert_cmpstr (g_ptr_array_index (names, 0), ==, PCSC_TESTBED_READER_0);

      g_clear_object (&result);
      g_assert_true (freed);
    }
}

static gpointer
noop_job (EimzaCardWorker  *worker,
          gpointer          data,
          GCancellable     *cancellable,
          GError          **error)
{
  return NULL;
}

static void
count_job_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  guint *n_done = user_data;
  g_autoptr(GError) error = NULL;

  eimza_card_service_run_finish (EIMZA_CARD_SERVICE (source), result, &error);
  g_assert_no_error (error);
  (*n_done)++;
}

/* Jobs back to back while cards come and go: neither starves the other. */
static void
test_jobs_during_events (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PcscVirtualCard *card;
  guint n_sent = 0, n_done = 0;

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  card = pcsc_virtual_card_insert (PCSC_TESTBED_PORT_0, ATR_2020, &error);
  g_assert_no_error (error);
  for (gint64 end = g_get_monotonic_time () + EVENT_TIMEOUT_MS * 1000;
       log_count_prefix (f, "card-inserted ") == 0 && g_get_monotonic_time () < end;)
    {
      /* Keep a few in flight. */
      while (n_sent - n_done < 4)
        {
          eimza_card_service_run_async (f->service, noop_job, NULL, NULL, NULL, NULL,
                                        count_job_cb, &n_done);
          n_sent++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (log_count (f, "card-inserted " PCSC_TESTBED_READER_0 " " ATR_2020), ==, 1);

  pcsc_virtual_card_remove (card);
  for (gint64 end = g_get_monotonic_time () + EVENT_TIMEOUT_MS * 1000;
       log_count_prefix (f, "card-removed ") == 0 && g_get_monotonic_time () < end;)
    {
      while (n_sent - n_done < 4)
        {
          eimza_card_service_run_async (f->service, noop_job, NULL, NULL, NULL, NULL,
                                        count_job_cb, &n_done);
          n_sent++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (log_count (f, "card-removed " PCSC_TESTBED_READER_0), ==, 1);

  WAIT_FOR (n_done == n_sent, EVENT_TIMEOUT_MS);
  g_test_message ("%u jobs ran meanwhile", n_done);
  g_assert_cmpuint (n_done, >, 100);
}

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean entered;
  gboolean open;
} Gate;

static gpointer
gate_job (EimzaCardWorker  *worker,
          gpointer          data,
          GCancellable     *cancellable,
          GError          **error)
{
  Gate *gate = data;

  g_mutex_lock (&gate->lock);
  gate->entered = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);

  return GINT_TO_POINTER (42);
}

static void
gate_wait_entered (Gate *gate)
{
  g_mutex_lock (&gate->lock);
  while (!gate->entered)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->lock);
}

static gpointer
must_not_run_job (EimzaCardWorker  *worker,
                  gpointer          data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  g_error ("A job cancelled before it started ran");
  return NULL;
}

static gpointer
failing_job (EimzaCardWorker  *worker,
             gpointer          data,
             GCancellable     *cancellable,
             GError          **error)
{
  return eimza_card_error_from_pcsc (SCARD_E_NO_SMARTCARD, error) ? g_strdup ("?") : NULL;
}

static gpointer
self_cancelling_job (EimzaCardWorker  *worker,
                     gpointer          data,
                     GCancellable     *cancellable,
                     GError          **error)
{
  JobData *job_data = data;

  g_cancellable_cancel (cancellable);
  /* A result that nobody gets must still be freed. */
  job_data->value = 1;
  return job_data;
}

static void
count_free (gpointer data)
{
  JobData *job_data = data;

  job_data->value = 2;
}

static void
test_job_cancel (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) gate_result = NULL;
  g_autoptr(GAsyncResult) skipped_result = NULL;
  g_autoptr(GAsyncResult) failed_result = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JobData self_cancelling = { 0, };
  gboolean freed = FALSE;
  JobData *job_data;
  Gate gate = { 0, };

  if (!need_testbed ())
    return;

  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);

  /* Hold the worker in a job, queue one behind it and cancel that. */
  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  eimza_card_service_run_async (f->service, gate_job, &gate, NULL, NULL, NULL,
                                store_result_cb, &gate_result);
  gate_wait_entered (&gate);

  job_data = g_new0 (JobData, 1);
  job_data->freed = &freed;
  eimza_card_service_run_async (f->service, must_not_run_job, job_data, job_data_free,
                                g_free, cancellable, store_result_cb, &skipped_result);
  eimza_card_service_run_async (f->service, failing_job, NULL, NULL, g_free, NULL,
                                store_result_cb, &failed_result);
  g_cancellable_cancel (cancellable);
  gate_open (&gate);

  WAIT_FOR (gate_result != NULL && skipped_result != NULL && failed_result != NULL,
            EVENT_TIMEOUT_MS);
  g_assert_cmpint (GPOINTER_TO_INT (eimza_card_service_run_finish (f->service, gate_result,
                                                                   &error)), ==, 42);
  g_assert_no_error (error);

  g_assert_null (eimza_card_service_run_finish (f->service, skipped_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&skipped_result);
  g_assert_true (freed);

  g_assert_null (eimza_card_service_run_finish (f->service, failed_result, &error));
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD);
  g_clear_error (&error);

  /* Cancelled while running: the result is dropped (and freed). */
  g_cancellable_reset (cancellable);
  eimza_card_service_run_async (f->service, self_cancelling_job, &self_cancelling, NULL,
                                count_free, cancellable, store_result_cb, &result);
  WAIT_FOR (result != NULL, EVENT_TIMEOUT_MS);
  g_assert_null (eimza_card_service_run_finish (f->service, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);
  g_assert_cmpint (self_cancelling.value, ==, 2);

  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.cond);
}

static GThread *data_destroyed_on;
static guint n_data_destroyed;

static void
worker_data_destroy (gpointer data)
{
  data_destroyed_on = g_thread_self ();
  n_data_destroyed++;
  g_free (data);
}

static gpointer
set_data_job (EimzaCardWorker  *worker,
              gpointer          data,
              GCancellable     *cancellable,
              GError          **error)
{
  g_assert_null (eimza_card_worker_get_data (worker, "other"));
  eimza_card_worker_set_data (worker, "test-module", g_strdup (data), worker_data_destroy);
  return NULL;
}

static gpointer
get_data_job (EimzaCardWorker  *worker,
              gpointer          data,
              GCancellable     *cancellable,
              GError          **error)
{
  return g_strdup (eimza_card_worker_get_data (worker, "test-module"));
}

static char *
run_job_sync (Fixture          *f,
              EimzaCardJobFunc  func,
              gpointer          data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *value;

  eimza_card_service_run_async (f->service, func, data, NULL, g_free, NULL,
                                store_result_cb, &result);
  WAIT_FOR (result != NULL, EVENT_TIMEOUT_MS);
  value = eimza_card_service_run_finish (f->service, result, &error);
  g_assert_no_error (error);

  return value;
}

static void
test_worker_data (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *value = NULL;

  if (!need_testbed ())
    return;

  n_data_destroyed = 0;
  data_destroyed_on = NULL;

  start_service (f);
  g_assert_null (run_job_sync (f, set_data_job, "first"));
  value = run_job_sync (f, get_data_job, NULL);
  g_assert_cmpstr (value, ==, "first");
  g_clear_pointer (&value, g_free);

  g_assert_null (run_job_sync (f, set_data_job, "second"));
  g_assert_cmpuint (n_data_destroyed, ==, 1);
  g_assert_true (data_destroyed_on != main_thread);
  value = run_job_sync (f, get_data_job, NULL);
  g_assert_cmpstr (value, ==, "second");

  /* Modules clean up on the worker when the service goes. */
  data_destroyed_on = NULL;
  stop_service (f);
  g_assert_cmpuint (n_data_destroyed, ==, 2);
  g_assert_nonnull (data_destroyed_on);
  g_assert_true (data_destroyed_on != main_thread);
}

static int slow_job_entered;

static void
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
}

static gpointer
slow_job (EimzaCardWorker  *worker,
          gpointer          data,
          GCancellable     *cancellable,
          GError          **error)
{
  g_atomic_int_set (&slow_job_entered, 1);
  g_usleep (100 * 1000);
  return g_strdup ("slow");
}

static void
test_dispose_pending_jobs (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) slow_result = NULL;
  g_autoptr(GAsyncResult) pending_result = NULL;
  g_autoptr(GAsyncResult) late_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  EimzaCardService *service;
  gboolean finalized = FALSE;

  if (!need_testbed ())
    return;

  g_atomic_int_set (&slow_job_entered, 0);
  start_service (f);
  WAIT_FOR (is_state (f, EIMZA_CARD_SERVICE_STATE_READY), EVENT_TIMEOUT_MS);
  /* Dispose clears the fixture's weak pointer; keep the reference here. */
  service = f->service;
  g_object_set_data_full (G_OBJECT (service), "finalized", &finalized, set_true);

  eimza_card_service_run_async (service, slow_job, NULL, NULL, g_free, NULL,
                                store_result_cb, &slow_result);
  eimza_card_service_run_async (service, get_data_job, NULL, NULL, g_free, NULL,
                                store_result_cb, &pending_result);

  /* Pending jobs hold the service, so it takes an explicit dispose; it
   * waits for the running job and cancels the rest. */
  while (!g_atomic_int_get (&slow_job_entered))
    g_usleep (1000);
  g_object_run_dispose (G_OBJECT (service));

  eimza_card_service_run_async (service, get_data_job, NULL, NULL, g_free, NULL,
                                store_result_cb, &late_result);

  WAIT_FOR (slow_result != NULL && pending_result != NULL && late_result != NULL,
            EVENT_TIMEOUT_MS);
  value = eimza_card_service_run_finish (service, slow_result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "slow");

  g_assert_null (eimza_card_service_run_finish (service, pending_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (eimza_card_service_run_finish (service, late_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_object (&slow_result);
  g_clear_object (&pending_result);
  g_clear_object (&late_result);

  g_assert_null (f->service);
  g_assert_false (finalized);
  g_object_unref (service);
  g_assert_true (finalized);
}

/* Error mapping */

static void
test_error_from_pcsc (void)
{
  static const struct {
    LONG rv;
    GQuark domain;
    int code;
  } cases[] = {
    { SCARD_E_NO_SERVICE, 0, EIMZA_CARD_ERROR_NO_SERVICE },
    { SCARD_E_SERVICE_STOPPED, 0, EIMZA_CARD_ERROR_NO_SERVICE },
    { SCARD_E_NO_READERS_AVAILABLE, 0, EIMZA_CARD_ERROR_NO_READER },
    { SCARD_E_UNKNOWN_READER, 0, EIMZA_CARD_ERROR_NO_READER },
    { SCARD_E_NO_SMARTCARD, 0, EIMZA_CARD_ERROR_NO_CARD },
    { SCARD_W_REMOVED_CARD, 0, EIMZA_CARD_ERROR_CARD_REMOVED },
    { SCARD_W_RESET_CARD, 0, EIMZA_CARD_ERROR_CARD_REMOVED },
    { SCARD_W_UNRESPONSIVE_CARD, 0, EIMZA_CARD_ERROR_UNSUPPORTED_CARD },
    { SCARD_E_SHARING_VIOLATION, 0, EIMZA_CARD_ERROR_READER_BUSY },
    { SCARD_F_COMM_ERROR, 0, EIMZA_CARD_ERROR_COMM },
    { SCARD_W_WRONG_CHV, 0, EIMZA_CARD_ERROR_PIN_INCORRECT },
    { SCARD_W_CHV_BLOCKED, 0, EIMZA_CARD_ERROR_PIN_LOCKED },
    { SCARD_W_CANCELLED_BY_USER, 0, EIMZA_CARD_ERROR_CANCELLED },
    { SCARD_E_INVALID_PARAMETER, 0, EIMZA_CARD_ERROR_FAILED },
    { (LONG) 0x80100099, 0, EIMZA_CARD_ERROR_FAILED },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (eimza_card_error_from_pcsc (SCARD_S_SUCCESS, &error));
  g_assert_no_error (error);
  g_assert_true (eimza_card_error_from_pcsc (SCARD_S_SUCCESS, NULL));
  g_assert_false (eimza_card_error_from_pcsc (SCARD_E_NO_SERVICE, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_false (eimza_card_error_from_pcsc (cases[i].rv, &error));
      g_assert_error (error, EIMZA_CARD_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
      g_test_message ("0x%08lX: %s", (unsigned long) cases[i].rv, error->message);
      g_clear_error (&error);
    }

  g_assert_false (eimza_card_error_from_pcsc ((LONG) 0x80100099, &error));
  g_assert_nonnull (strstr (error->message, "0x80100099"));
  g_clear_error (&error);

  /* The service's own SCardCancel() is the application cancelling. */
  g_assert_false (eimza_card_error_from_pcsc (SCARD_E_CANCELLED, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  /* One lock for the whole program: pcscd is one per machine. */
  bed = pcsc_testbed_new (&error);
  if (bed == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      skip_reason = g_strdup (error->message);
    }

  g_test_add_func ("/card/error/from-pcsc", test_error_from_pcsc);

#define ADD(path, func, with_pcscd)                                             \
  g_test_add ("/card/service/" path, Fixture, GINT_TO_POINTER (with_pcscd),     \
              fixture_setup, func, fixture_teardown)

  ADD ("readers-appear", test_readers_appear, TRUE);
  ADD ("no-reader", test_no_reader, FALSE);
  ADD ("card-insert-remove", test_card_insert_remove, TRUE);
  ADD ("card-present-at-start", test_card_present_at_start, TRUE);
  ADD ("vicc", test_vicc, TRUE);
  ADD ("pcscd-restart", test_pcscd_restart, TRUE);
  ADD ("start-without-pcscd", test_start_without_pcscd, FALSE);
  ADD ("dispose-while-waiting", test_dispose_prompt, TRUE);
  ADD ("dispose-while-no-service", test_dispose_prompt, FALSE);
  ADD ("job-result", test_job_result, TRUE);
  ADD ("job-cancel", test_job_cancel, TRUE);
  ADD ("jobs-during-events", test_jobs_during_events, TRUE);
  ADD ("worker-data", test_worker_data, FALSE);
  ADD ("dispose-pending-jobs", test_dispose_pending_jobs, TRUE);

#undef ADD

  status = g_test_run ();

  pcsc_testbed_free (bed);
  g_free (skip_reason);

  return status;
}
