/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card-signing tests' fixture (see card-signing-fixture.h). */
#include "config.h"

#include <string.h>

#include "card-signing-fixture.h"

void
card_signing_fixture_init (CardSigningFixture   *f,
                           const char           *content_text,
                           const ScriptedAnswer *answers,
                           guint                 n_answers)
{
  card_test_open (SOFTHSM_TCKN "NES0", &f->service, &f->certificate);

  f->asker = scripted_asker_new (answers, n_answers);
  f->content = g_bytes_new_static (content_text, strlen (content_text));
  f->phases = g_string_new (NULL);
  f->cancellable = g_cancellable_new ();
}

void
card_signing_fixture_clear (CardSigningFixture *f)
{
  /* Queued completions may still report phases. */
  card_test_drain ();
  /* EIMZA_PIN_POLICY_SO_GUARD: the module refused and counted every SO
   * login the person did not give a code for. */
  if (g_getenv ("EIMZA_PIN_POLICY_SO_GUARD") != NULL)
    g_assert_cmpuint (softhsm_fixture_so_logins_unasked (), ==, 0);
  g_clear_pointer (&f->content, g_bytes_unref);
  g_string_free (f->phases, TRUE);
  g_clear_object (&f->cancellable);
  card_test_close (&f->asker, &f->service, &f->certificate);
}

static void
phase_cb (EimzaCardSigning   *signing,
          GParamSpec         *pspec,
          CardSigningFixture *f)
{
  EimzaCardSigningPhase phase = eimza_card_signing_get_phase (signing);

  g_string_append_c (f->phases, "NRAS"[phase]);
  if (f->cancel_at != EIMZA_CARD_SIGNING_PHASE_NONE && phase == f->cancel_at)
    g_cancellable_cancel (f->cancellable);
}

GBytes *
card_signing_run (CardSigningFixture  *f,
                  EimzaCardSigning    *signing,
                  GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GBytes *answer;

  g_signal_connect (signing, "notify::phase", G_CALLBACK (phase_cb), f);
  g_string_truncate (f->phases, 0);
  eimza_card_signing_run_async (signing, f->cancellable, card_test_store_result_cb, &result);
  answer = eimza_card_signing_run_finish (signing, card_test_wait_for_result (&result), error);
  g_assert_cmpint (eimza_card_signing_get_phase (signing), ==, EIMZA_CARD_SIGNING_PHASE_NONE);
  return answer;
}

GBytes *
card_signing_run_cades (CardSigningFixture     *f,
                        EimzaCardSigningFlags   flags,
                        EimzaCardSigning      **out_signing,
                        GError                **error)
{
  g_autoptr(EimzaCardSigning) signing = NULL;
  GBytes *cms;

  signing = eimza_card_signing_new_cades (f->service, EIMZA_PIN_ASKER (f->asker),
                                          eimza_certificate_get_uri (f->certificate),
                                          eimza_certificate_get_key_uri (f->certificate),
                                          f->content, EIMZA_CADES_DETACHED);
  eimza_card_signing_set_flags (signing, flags);
  cms = card_signing_run (f, signing, error);
  if (out_signing != NULL)
    *out_signing = g_steal_pointer (&signing);
  return cms;
}

/* Runs a PIN change or an unblock (@signing, consumed) with @birth_date
 * (nullable) known; TRUE when the card took the new PIN. */
static gboolean
run_new_pin (CardSigningFixture  *f,
             EimzaCardSigning    *signing,
             const GDate         *birth_date,
             GError             **error)
{
  g_autoptr(EimzaCardSigning) owned = signing;
  g_autoptr(GBytes) answer = NULL;

  if (birth_date != NULL)
    eimza_card_signing_add_birth_date (owned, birth_date);
  answer = card_signing_run (f, owned, error);
  /* Neither the current PIN (or unblock code) nor the new PIN is kept. */
  g_assert_null (eimza_card_signing_get_pin (owned));
  if (answer != NULL)
    g_assert_cmpuint (g_bytes_get_size (answer), ==, 0);
  return answer != NULL;
}

gboolean
card_signing_run_change (CardSigningFixture  *f,
                         const GDate         *birth_date,
                         GError             **error)
{
  EimzaCardSigning *signing;

  signing = eimza_card_signing_new_pin_change (f->service, EIMZA_PIN_ASKER (f->asker),
                                               eimza_certificate_get_key_uri (f->certificate));
  return run_new_pin (f, signing, birth_date, error);
}

gboolean
card_signing_run_unblock (CardSigningFixture     *f,
                          EimzaCardSigningFlags   flags,
                          const GDate            *birth_date,
                          GError                **error)
{
  EimzaCardSigning *signing;

  signing = eimza_card_signing_new_pin_unblock (f->service, EIMZA_PIN_ASKER (f->asker),
                                                eimza_certificate_get_key_uri (f->certificate));
  eimza_card_signing_set_flags (signing, flags);
  return run_new_pin (f, signing, birth_date, error);
}
