/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Portal sessions: JSESSIONID, the current view state, expiry, progress. */
#include "eimza-sim-captcha.h"
#include "eimza-sim-session.h"

struct _EimzaSimSessionStore
{
  GRand *rand;          /* borrowed */
  gint64 timeout_us;
  GHashTable *sessions; /* id -> EimzaSimSession, owned */
};

static void
session_free (EimzaSimSession *session)
{
  g_free (session->id);
  g_free (session->view_state);
  g_free (session->captcha);
  g_clear_pointer (&session->values, g_hash_table_unref);
  g_free (session->mobile_phone);
  eimza_sim_sms_clear (&session->sms);
  g_free (session->esign_code);
  g_free (session->application_no);
  g_queue_clear (&session->faults);
  g_free (session->nes.peer);
  eimza_sim_session_nes_restart (session);
  g_free (session);
}

EimzaSimSessionStore *
eimza_sim_session_store_new (GRand *rand,
                             guint  timeout_seconds)
{
  EimzaSimSessionStore *store = g_new0 (EimzaSimSessionStore, 1);

  store->rand = rand;
  store->timeout_us = (gint64) timeout_seconds * G_USEC_PER_SEC;
  store->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) session_free);

  return store;
}

void
eimza_sim_session_store_free (EimzaSimSessionStore *store)
{
  if (store == NULL)
    return;

  g_clear_pointer (&store->sessions, g_hash_table_unref);
  g_free (store);
}

char *
eimza_sim_session_random_hex (EimzaSimSessionStore *store,
                              guint                 n_bytes)
{
  GString *hex = g_string_sized_new (n_bytes * 2);

  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, "%02X", g_rand_int_range (store->rand, 0, 256));

  return g_string_free (hex, FALSE);
}

static gboolean
is_idle (EimzaSimSessionStore *store,
         EimzaSimSession      *session,
         gint64                now_us)
{
  return now_us - session->last_seen_us > store->timeout_us;
}

/* Idle sessions are also dropped when someone else starts one, so that a
 * long demo does not pile them up. */
static void
drop_idle_sessions (EimzaSimSessionStore *store,
                    gint64                now_us)
{
  GHashTableIter iter;
  EimzaSimSession *session;

  g_hash_table_iter_init (&iter, store->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    {
      if (is_idle (store, session, now_us))
        g_hash_table_iter_remove (&iter);
    }
}

EimzaSimSession *
eimza_sim_session_store_create (EimzaSimSessionStore *store,
                                gint64                now_us)
{
  EimzaSimSession *session = g_new0 (EimzaSimSession, 1);

  drop_idle_sessions (store, now_us);

  /* 16 random bytes in upper-case hex, the shape of a Java JSESSIONID. */
  do
    {
      g_free (session->id);
      session->id = eimza_sim_session_random_hex (store, 16);
    }
  while (g_hash_table_contains (store->sessions, session->id));

  session->last_seen_us = now_us;
  session->furthest = EIMZA_SIM_STEP_LOGIN;
  session->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&session->faults);
  g_hash_table_insert (store->sessions, session->id, session);

  return session;
}

EimzaSimSession *
eimza_sim_session_store_peek (EimzaSimSessionStore *store,
                              const char           *id,
                              gint64                now_us)
{
  EimzaSimSession *session = id != NULL ? g_hash_table_lookup (store->sessions, id) : NULL;

  if (session == NULL || is_idle (store, session, now_us))
    return NULL;

  return session;
}

EimzaSimSession *
eimza_sim_session_store_lookup (EimzaSimSessionStore *store,
                                const char           *id,
                                gint64                now_us)
{
  EimzaSimSession *session;

  if (id == NULL)
    return NULL;

  session = g_hash_table_lookup (store->sessions, id);
  if (session == NULL)
    return NULL;

  if (is_idle (store, session, now_us))
    {
      g_hash_table_remove (store->sessions, id);
      return NULL;
    }

  session->last_seen_us = now_us;
  return session;
}

void
eimza_sim_session_store_remove (EimzaSimSessionStore *store,
                                EimzaSimSession      *session)
{
  g_hash_table_remove (store->sessions, session->id);
}

const char *
eimza_sim_session_new_view_state (EimzaSimSessionStore *store,
                                  EimzaSimSession      *session)
{
  /* The shape of a JSF server-side state id: two signed 64-bit numbers. */
  guint64 high = ((guint64) g_rand_int (store->rand) << 32) | g_rand_int (store->rand);
  guint64 low = ((guint64) g_rand_int (store->rand) << 32) | g_rand_int (store->rand);

  g_free (session->view_state);
  session->view_state = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                         (gint64) high, (gint64) low);

  return session->view_state;
}

gboolean
eimza_sim_session_check_view_state (EimzaSimSession *session,
                                    const char      *posted)
{
  return session->view_state != NULL && posted != NULL
    && g_str_equal (session->view_state, posted);
}

void
eimza_sim_session_new_captcha (EimzaSimSessionStore *store,
                               EimzaSimSession      *session)
{
  g_free (session->captcha);
  session->captcha = eimza_sim_captcha_new_text (store->rand);
}

void
eimza_sim_session_restart (EimzaSimSession *session)
{
  session->furthest = EIMZA_SIM_STEP_LOGIN;
  session->person = NULL;
  g_hash_table_remove_all (session->values);
  g_clear_pointer (&session->mobile_phone, g_free);
  eimza_sim_sms_clear (&session->sms);
  g_clear_pointer (&session->esign_code, g_free);
  g_clear_pointer (&session->application_no, g_free);
}

void
eimza_sim_session_nes_restart (EimzaSimSession *session)
{
  g_clear_pointer (&session->nes.tckn, g_free);
  session->nes.logged_in = FALSE;
  g_clear_pointer (&session->nes.code, g_free);
  g_clear_pointer (&session->nes.info, g_free);
}

EimzaSimFaults
eimza_sim_session_pop_fault (EimzaSimSession *session)
{
  return GPOINTER_TO_UINT (g_queue_pop_head (&session->faults));
}

void
eimza_sim_session_set_faults (EimzaSimSession *session,
                              GArray          *faults)
{
  g_queue_clear (&session->faults);
  for (guint i = 0; i < faults->len; i++)
    g_queue_push_tail (&session->faults,
                       GUINT_TO_POINTER (g_array_index (faults, EimzaSimFaults, i)));
}
