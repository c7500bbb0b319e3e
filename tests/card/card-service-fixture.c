/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card service tests' fixture: the service on a real pcscd with vpcd readers, its signals logged. */
#include "config.h"

#include "card-service-fixture.h"

PcscTestbed *bed;
char *skip_reason;
GThread *main_thread;

gboolean
timeout_flag_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

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

guint
log_count (Fixture    *f,
           const char *text)
{
  guint n = 0;

  for (guint i = 0; i < f->log->len; i++)
    if (g_str_equal (g_ptr_array_index (f->log, i), text))
      n++;

  return n;
}

guint
log_count_prefix (Fixture    *f,
                  const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < f->log->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (f->log, i), prefix))
      n++;

  return n;
}

gboolean
is_state (Fixture               *f,
          EimzaCardServiceState  state)
{
  return eimza_card_service_get_state (f->service) == state;
}

EimzaCardReaderInfo *
find_reader (Fixture    *f,
             const char *name)
{
  GPtrArray *readers = eimza_card_service_get_readers (f->service);

  for (guint i = 0; i < readers->len; i++)
    if (g_str_equal (eimza_card_reader_info_get_name (g_ptr_array_index (readers, i)), name))
      return g_ptr_array_index (readers, i);

  return NULL;
}

void
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
gint64
stop_service (Fixture *f)
{
  gint64 start = g_get_monotonic_time ();

  g_object_unref (f->service);
  g_assert_null (f->service);

  return g_get_monotonic_time () - start;
}

void
start_pcscd (guint n_readers)
{
  g_autoptr(GError) error = NULL;

  pcsc_testbed_start_pcscd (bed, NULL, n_readers, &error);
  g_assert_no_error (error);
}

void
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

void
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

gboolean
need_testbed (void)
{
  if (bed != NULL)
    return TRUE;

  g_test_skip (skip_reason);
  return FALSE;
}

/* Readers */
void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_true (g_thread_self () == main_thread);
  *out = g_object_ref (result);
}
