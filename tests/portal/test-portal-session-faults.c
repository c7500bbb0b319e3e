/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaPortalSession against the simulator's faults: retries, time-outs, cancellation, steps out of order. */
#include "config.h"

#include "portal-session-fixture.h"

/* A fault on the sign-in POST: never retried, the form is untouched, and
 * the person may simply try again. */
void
test_fault (Fixture       *fixture,
            gconstpointer  user_data)
{
  const FaultCase *fault = user_data;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  before = snapshot (fixture->form);
  sim_faults (fixture, fault->fault);

  n_requests = fixture->n_requests;
  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, fault->code);
  assert_sensible_message (error);
  g_test_message ("%s: %s", fault->fault, error->message);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
  assert_form_kept (fixture->form, before);
  g_clear_error (&error);

  /* These faults leave the request unprocessed: the same POST works. */
  g_assert_true (session_log_in (fixture, &error));
  g_assert_no_error (error);
}

/* The portal handles the sign-in POST, then closes the kept-alive
 * connection it came on before answering: the one case where libsoup
 * sends a request again by itself (a GET). The POST arrives once, and the
 * person hears that it may have arrived, not "try again". */
void
test_fault_close_after_post (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  guint n_requests, n_handshakes, n_submissions;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_handshakes, ==, 1);
  fill_login (fixture, &isil);
  before = snapshot (fixture->form);
  sim_faults (fixture, "close-after-post");

  n_requests = fixture->n_requests;
  n_handshakes = fixture->n_handshakes;
  n_submissions = sim_submissions (fixture);
  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK);
  assert_sensible_message (error);
  g_assert_nonnull (strstr (error->message, "not known whether it arrived"));
  g_assert_nonnull (strstr (error->message, "not sent again"));
  g_test_message ("close-after-post: %s", error->message);
  /* Sent on the open connection, once. */
  g_assert_cmpuint (fixture->n_handshakes, ==, n_handshakes);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
  g_assert_cmpuint (sim_submissions (fixture), ==, n_submissions + 1);
  assert_form_kept (fixture->form, before);
  g_clear_error (&error);

  /* It did arrive: the portal has moved on, and the same POST sent again
   * by hand is a replayed view state, which ends the portal's session.
   * That is why nothing sends it again by itself. */
  g_assert_false (session_log_in (fixture, &error));
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  g_assert_cmpuint (sim_submissions (fixture), ==, n_submissions + 2);
  assert_form_kept (fixture->form, before);
}

void
test_fault_slow (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  gint64 start;
  double elapsed;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  before = snapshot (fixture->form);
  eimza_portal_session_set_timeout (fixture->session, SHORT_TIMEOUT);
  sim_faults (fixture, "slow");

  start = g_get_monotonic_time ();
  g_assert_false (session_log_in (fixture, &error));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  assert_sensible_message (error);
  g_test_message ("Gave up after %.1f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, SHORT_TIMEOUT - 0.5);
  g_assert_cmpfloat (elapsed, <, SLOW_SECONDS);
  assert_form_kept (fixture->form, before);
}

/* A portal that answers a byte at a time, each well within the per-read
 * time-out, is given up at the overall deadline. The sign-in POST may
 * have arrived (the simulator handled it): it is not sent again. */
void
test_fault_slow_drip_post (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  guint n_requests;
  gint64 start;
  double elapsed;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);
  before = snapshot (fixture->form);
  g_assert_cmpuint (eimza_portal_session_get_deadline (fixture->session), ==,
                    EIMZA_PORTAL_REQUEST_DEFAULT_DEADLINE);
  eimza_portal_session_set_deadline (fixture->session, SHORT_DEADLINE);
  sim_faults (fixture, "slow-drip");

  n_requests = fixture->n_requests;
  start = g_get_monotonic_time ();
  g_assert_false (session_log_in (fixture, &error));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  assert_sensible_message (error);
  g_test_message ("Gave up after %.1f s: %s", elapsed, error->message);
  g_assert_cmpfloat (elapsed, >=, SHORT_DEADLINE - 0.5);
  g_assert_cmpfloat (elapsed, <, SHORT_DEADLINE + 3);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
  assert_form_kept (fixture->form, before);
}

/* The deadline covers a GET's retries too: a time-out at the deadline is
 * final, nothing goes out after it. */
void
test_fault_slow_drip_get (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests;
  gint64 start;
  double elapsed;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  g_clear_pointer (&captcha, g_bytes_unref);
  eimza_portal_session_set_deadline (fixture->session, SHORT_DEADLINE);
  sim_faults (fixture, "slow-drip,slow-drip,slow-drip");

  n_requests = fixture->n_requests;
  start = g_get_monotonic_time ();
  captcha = session_refresh_captcha (fixture, &error);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_null (captcha);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT);
  g_assert_cmpfloat (elapsed, >=, SHORT_DEADLINE - 0.5);
  g_assert_cmpfloat (elapsed, <, SHORT_DEADLINE + 3);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
}

void
test_retry_503 (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);

  /* One 503, then the retry gets the image. */
  sim_faults (fixture, "http-503");
  n_requests = fixture->n_requests;
  g_clear_pointer (&captcha, g_bytes_unref);
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 2);

  /* A connection reset on a GET is retried too. */
  sim_faults (fixture, "reset");
  n_requests = fixture->n_requests;
  g_clear_pointer (&captcha, g_bytes_unref);
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 2);

  /* Two retries at most. */
  sim_faults (fixture, "http-503,http-503,http-503");
  n_requests = fixture->n_requests;
  g_clear_pointer (&captcha, g_bytes_unref);
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_null (captcha);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SERVER);
  assert_sensible_message (error);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 3);
}

/* The GET after a POST's 303 is retried; the POST itself is not. */
void
test_retry_after_post (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  fill_login (fixture, &isil);

  /* The POST takes a fault that only matters to an SMS code (so it passes
   * untouched), then the GET of the form gets a 503 first. */
  sim_faults (fixture, "sms-expired,http-503");
  n_requests = fixture->n_requests;
  g_assert_true (session_log_in (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 3);
  g_assert_cmpstr (eimza_renewal_form_get_value (fixture->form, EIMZA_FIELD_INSTITUTION_REGISTRY_NO), ==,
                   isil.registry_no);
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->result = g_object_ref (result);
}

static gboolean
cancel_later_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

void
test_cancel_in_flight (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  g_clear_pointer (&captcha, g_bytes_unref);

  sim_faults (fixture, "slow");
  start = g_get_monotonic_time ();
  eimza_portal_session_refresh_captcha_async (fixture->session, fixture->cancellable, cancel_cb, fixture);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 300, cancel_later_cb,
                      g_object_ref (fixture->cancellable), g_object_unref);
  result = wait_for_result (fixture);
  captcha = eimza_portal_session_refresh_captcha_finish (fixture->session, result, &error);
  g_assert_null (captcha);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* The session is usable again. */
  g_clear_object (&fixture->cancellable);
  fixture->cancellable = g_cancellable_new ();
  captcha = session_refresh_captcha (fixture, &error);
  g_assert_no_error (error);
  assert_png (captcha);
}

static void
cancel_on_unqueue_cb (SoupSession *soup,
                      SoupMessage *msg,
                      gpointer     user_data)
{
  GCancellable *cancellable = user_data;

  /* The 503 is done: the retry waits 250 ms, cancel inside that wait. */
  if (soup_message_get_status (msg) == SOUP_STATUS_SERVICE_UNAVAILABLE)
    g_timeout_add_full (G_PRIORITY_DEFAULT, 50, cancel_later_cb,
                        g_object_ref (cancellable), g_object_unref);
}

void
test_cancel_during_backoff (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SoupSession *soup;
  gulong handler;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);
  g_clear_pointer (&captcha, g_bytes_unref);

  soup = eimza_portal_session_get_soup_session (fixture->session);
  handler = g_signal_connect (soup, "request-unqueued", G_CALLBACK (cancel_on_unqueue_cb),
                              fixture->cancellable);
  sim_faults (fixture, "http-503");
  n_requests = fixture->n_requests;

  eimza_portal_session_refresh_captcha_async (fixture->session, fixture->cancellable, cancel_cb, fixture);
  result = wait_for_result (fixture);
  captcha = eimza_portal_session_refresh_captcha_finish (fixture->session, result, &error);
  g_assert_null (captcha);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The retry never went out. */
  g_assert_cmpuint (fixture->n_requests, ==, n_requests + 1);
  g_signal_handler_disconnect (soup, handler);
}

void
test_busy (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;

  if (fixture->session == NULL)
    return;

  eimza_portal_session_open_async (fixture->session, NULL, store_result_cb, fixture);
  eimza_portal_session_refresh_captcha_async (fixture->session, NULL, store_result_cb, fixture);
  /* The refused call completes first, from an idle. */
  second = wait_for_result (fixture);
  captcha = eimza_portal_session_refresh_captcha_finish (fixture->session, second, &error);
  g_assert_null (captcha);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  first = wait_for_result (fixture);
  captcha = eimza_portal_session_open_finish (fixture->session, first, &error);
  g_assert_no_error (error);
  assert_png (captcha);
}

void
test_out_of_order (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GBytes) captcha = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests;

  if (fixture->session == NULL)
    return;

  captcha = session_open (fixture, &error);
  g_assert_no_error (error);

  /* Submitting the form from the sign-in page asks nothing of the portal. */
  n_requests = fixture->n_requests;
  state = session_submit_form (fixture, &error);
  g_assert_null (state);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests);
}
