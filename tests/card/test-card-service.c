/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the card-reader service against a real pcscd with vpcd readers: readers, cards, pcscd, disposal. */
#include "config.h"

#include "card-service-fixture.h"

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
