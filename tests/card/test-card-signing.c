/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the one card-signing operation and its PIN rules (no display needed). */
#include "config.h"

#include <string.h>

#include "eimza-card-signing.h"
#include "eimza-pkcs11.h"
#include "card-test-fixture.h"

/*
 * The operation runs through the card service against the PIN policy
 * module (SoftHSM2 that locks after three wrong PINs and counts every
 * C_Login), with a scripted person as its asker.
 */

/* --- The scripted person ---------------------------------------------------------- */

typedef struct {
  const char *pin;          /* what the person types; NULL: gives up */
  gboolean confirm_final_try;
} Answer;

#define TEST_TYPE_ASKER (test_asker_get_type ())
G_DECLARE_FINAL_TYPE (TestAsker, test_asker, TEST, ASKER, GObject)

struct _TestAsker
{
  GObject parent_instance;

  /* One answer per ask, in order; an ask beyond them fails the test. */
  const Answer *answers;
  guint n_answers;
  /* Never answers: the ask waits until it is cancelled. */
  gboolean hold;
  GTask *held;

  guint n_asks;
  GArray *asked_flags;            /* EimzaPinAskFlags of each ask */
  EimzaPkcs11TokenFlags token_flags;  /* of the last ask's token */
  guint logins_when_asked;        /* C_Login calls seen at the last ask */
};

static void test_asker_iface_init (EimzaPinAskerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestAsker, test_asker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EIMZA_TYPE_PIN_ASKER,
                                                      test_asker_iface_init))

/* The held ask ends when it is cancelled, as a dialog closes. */
static void
held_cancelled_cb (GCancellable *cancellable,
                   TestAsker    *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->held);

  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "closed");
}

static void
test_asker_ask_async (EimzaPinAsker        *asker,
                      EimzaPkcs11Token     *token,
                      EimzaPinAskFlags      flags,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  TestAsker *self = TEST_ASKER (asker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const Answer *answer;

  g_assert_cmpuint (self->n_asks, <, self->n_answers + (self->hold ? 1 : 0));
  /* Never for a locked card. */
  g_assert_false (eimza_pkcs11_token_get_flags (token) & EIMZA_PKCS11_TOKEN_PIN_LOCKED);

  self->token_flags = eimza_pkcs11_token_get_flags (token);
  self->logins_when_asked = softhsm_fixture_login_calls ();
  g_array_append_val (self->asked_flags, flags);

  if (self->hold)
    {
      self->n_asks++;
      g_task_set_check_cancellable (task, FALSE);
      self->held = g_object_ref (task);
      g_cancellable_connect (cancellable, G_CALLBACK (held_cancelled_cb), self, NULL);
      return;
    }

  answer = &self->answers[self->n_asks++];
  if (answer->pin == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "gave up");
  else
    g_task_return_pointer (task, (gpointer) answer, NULL);
}

static gboolean
test_asker_ask_finish (EimzaPinAsker  *asker,
                       GAsyncResult   *result,
                       EimzaSecret   **pin,
                       gboolean       *final_try_confirmed,
                       GError        **error)
{
  TestAsker *self = TEST_ASKER (asker);
  const Answer *answer = g_task_propagate_pointer (G_TASK (result), error);

  if (answer == NULL)
    return FALSE;

  /* On a keypad the person types on the reader, not here. */
  *pin = (self->token_flags & EIMZA_PKCS11_TOKEN_PINPAD) ? NULL
                                                         : eimza_secret_new (answer->pin, -1);
  *final_try_confirmed = answer->confirm_final_try;
  return TRUE;
}

static void
test_asker_iface_init (EimzaPinAskerInterface *iface)
{
  iface->ask_async = test_asker_ask_async;
  iface->ask_finish = test_asker_ask_finish;
}

static void
test_asker_finalize (GObject *object)
{
  g_assert_null (TEST_ASKER (object)->held);
  g_array_unref (TEST_ASKER (object)->asked_flags);

  G_OBJECT_CLASS (test_asker_parent_class)->finalize (object);
}

static void
test_asker_class_init (TestAskerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_asker_finalize;
}

static void
test_asker_init (TestAsker *self)
{
  self->asked_flags = g_array_new (FALSE, FALSE, sizeof (EimzaPinAskFlags));
}

static EimzaPinAskFlags
asked_flags (TestAsker *asker,
             guint      i)
{
  g_assert_cmpuint (i, <, asker->asked_flags->len);
  return g_array_index (asker->asked_flags, EimzaPinAskFlags, i);
}

/* --- Fixture ---------------------------------------------------------------------- */

static const char content_text[] = "Başvurumu onaylıyorum / test content\n";

typedef struct {
  EimzaCardService *service;
  EimzaCertificate *certificate;
  TestAsker *asker;
  GBytes *content;
  /* The phases the last run went through, as letters (R, A, S, N). */
  GString *phases;
  /* Cancelled when the run reaches this phase (NONE: never). */
  EimzaCardSigningPhase cancel_at;
  GCancellable *cancellable;
} Fixture;

/* The asker gives @answers in order (none: an ask fails the test). */
static void
fixture_init (Fixture      *f,
              const Answer *answers,
              guint         n_answers)
{
  card_test_open (SOFTHSM_TCKN "NES0", &f->service, &f->certificate);

  f->asker = g_object_new (TEST_TYPE_ASKER, NULL);
  f->asker->answers = answers;
  f->asker->n_answers = n_answers;
  f->content = g_bytes_new_static (content_text, strlen (content_text));
  f->phases = g_string_new (NULL);
  f->cancellable = g_cancellable_new ();
}

/* Nothing may keep the service, the asker or an operation alive. */
static void
fixture_clear (Fixture *f)
{
  /* Queued completions may still report phases. */
  card_test_drain ();
  g_clear_pointer (&f->content, g_bytes_unref);
  g_string_free (f->phases, TRUE);
  g_clear_object (&f->cancellable);
  card_test_close (&f->asker, &f->service, &f->certificate);
}

static void
phase_cb (EimzaCardSigning *signing,
          GParamSpec       *pspec,
          Fixture          *f)
{
  EimzaCardSigningPhase phase = eimza_card_signing_get_phase (signing);

  g_string_append_c (f->phases, "NRAS"[phase]);
  if (f->cancel_at != EIMZA_CARD_SIGNING_PHASE_NONE && phase == f->cancel_at)
    g_cancellable_cancel (f->cancellable);
}

/* Runs @signing with @flags and @cancellable to its end; returns its
 * answer or NULL with @error set. */
static GBytes *
run_signing (EimzaCardSigning       *signing,
             EimzaCardSigningFlags   flags,
             GCancellable           *cancellable,
             GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  eimza_card_signing_set_flags (signing, flags);
  eimza_card_signing_run_async (signing, cancellable, card_test_store_result_cb, &result);
  return eimza_card_signing_run_finish (signing, card_test_wait_for_result (&result), error);
}

/* A CAdES signature of the fixture's content with @flags; returns the
 * signature or NULL with @error set. @out_signing: the operation, to look
 * at afterwards. */
static GBytes *
run_cades (Fixture                *f,
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
  g_signal_connect (signing, "notify::phase", G_CALLBACK (phase_cb), f);
  g_string_truncate (f->phases, 0);

  cms = run_signing (signing, flags, f->cancellable, error);
  g_assert_cmpint (eimza_card_signing_get_phase (signing), ==, EIMZA_CARD_SIGNING_PHASE_NONE);

  if (out_signing != NULL)
    *out_signing = g_steal_pointer (&signing);
  return cms;
}

/* A PIN-only operation for the fixture's key with @flags (and @replay, if
 * any); returns its answer, and the operation in @out_signing. */
static GBytes *
run_pin (Fixture                *f,
         EimzaCardSigningFlags   flags,
         EimzaSecret            *replay,
         EimzaCardSigning      **out_signing,
         GError                **error)
{
  *out_signing = eimza_card_signing_new_pin (f->service, EIMZA_PIN_ASKER (f->asker),
                                             eimza_certificate_get_key_uri (f->certificate));
  if (replay != NULL)
    eimza_card_signing_set_replay_pin (*out_signing, replay);
  return run_signing (*out_signing, flags, NULL, error);
}

/* The run ended with @domain/@code and no signature; the person was asked
 * @n_asks times in all and C_Login was called @n_logins times. */
static void
assert_refused (Fixture *f,
                GBytes  *cms,
                GError  *error,
                GQuark   domain,
                int      code,
                guint    n_asks,
                guint    n_logins)
{
  g_assert_null (cms);
  g_assert_error (error, domain, code);
  g_assert_cmpuint (f->asker->n_asks, ==, n_asks);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, n_logins);
}

/* --- Cases ---------------------------------------------------------------------- */

static void
test_signs (void)
{
  static const Answer answers[] = { { SOFTHSM_USER_PIN, FALSE } };
  Fixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, answers, G_N_ELEMENTS (answers));

  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, &signing, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);

  /* Read, asked, signed: the state is read before the ask, and no PIN
   * reached the card before the person answered. */
  g_assert_cmpstr (f.phases->str, ==, "RASN");
  g_assert_cmpuint (f.asker->n_asks, ==, 1);
  g_assert_cmpint (asked_flags (f.asker, 0), ==, EIMZA_PIN_ASK_DEFAULT);
  g_assert_cmpuint (f.asker->logins_when_asked, ==, 0);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 1);
  g_assert_nonnull (eimza_card_signing_get_token (signing));

  g_clear_object (&signing);
  fixture_clear (&f);
}

static void
test_locked (void)
{
  Fixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  /* No answers: an ask would fail the test. */
  fixture_init (&f, NULL, 0);

  softhsm_fixture_set_pin_failures (3);
  cms = run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, &signing, &error);
  assert_refused (&f, cms, error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED, 0, 0);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 0);
  g_assert_cmpstr (f.phases->str, ==, "RN");
  g_assert_true (eimza_pkcs11_token_get_flags (eimza_card_signing_get_token (signing)) &
                 EIMZA_PKCS11_TOKEN_PIN_LOCKED);

  g_clear_object (&signing);
  fixture_clear (&f);
}

static void
test_final_try (void)
{
  static const Answer answers[] = {
    { SOFTHSM_USER_PIN, FALSE },
    { SOFTHSM_USER_PIN, TRUE },
  };
  Fixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, answers, G_N_ELEMENTS (answers));

  /* The asker is told; without the confirmation nothing is sent. */
  softhsm_fixture_set_pin_failures (2);
  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  assert_refused (&f, cms, error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED,
                  1, 0);
  g_assert_true (asked_flags (f.asker, 0) & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_true (asked_flags (f.asker, 0) & EIMZA_PIN_ASK_COUNT_LOW);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 2);
  g_assert_cmpstr (f.phases->str, ==, "RAN");
  g_clear_error (&error);

  /* With it, the PIN goes, once. */
  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);
  g_assert_cmpuint (f.asker->n_asks, ==, 2);
  g_assert_true (asked_flags (f.asker, 1) & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  fixture_clear (&f);
}

static void
test_wrong_pin_ends (void)
{
  static const Answer answers[] = { { SOFTHSM_WRONG_PIN, FALSE } };
  Fixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, answers, G_N_ELEMENTS (answers));

  /* Without ASK_AGAIN a wrong PIN ends the operation: never retried. */
  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, &signing, &error);
  assert_refused (&f, cms, error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT, 1, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);
  g_assert_cmpuint (eimza_card_signing_get_n_wrong (signing), ==, 1);
  g_assert_null (eimza_card_signing_get_pin (signing));

  g_clear_object (&signing);
  fixture_clear (&f);
}

static void
test_wrong_pin_asks_again (void)
{
  static const Answer answers[] = {
    { SOFTHSM_WRONG_PIN, FALSE },
    { SOFTHSM_USER_PIN, FALSE },
    { SOFTHSM_WRONG_PIN, FALSE },
    { NULL, FALSE },
  };
  Fixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, answers, G_N_ELEMENTS (answers));

  /* A wrong PIN: the card's state is read again and the person asked
   * again, told it is a retry; exactly one C_Login per answer. */
  cms = run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, &signing, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);
  g_assert_cmpuint (f.asker->n_asks, ==, 2);
  g_assert_false (asked_flags (f.asker, 0) & EIMZA_PIN_ASK_RETRY);
  g_assert_true (asked_flags (f.asker, 1) & EIMZA_PIN_ASK_RETRY);
  g_assert_true (asked_flags (f.asker, 1) & EIMZA_PIN_ASK_COUNT_LOW);
  g_assert_cmpuint (f.asker->logins_when_asked, ==, 1);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 2);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 2);
  g_assert_cmpuint (eimza_card_signing_get_n_wrong (signing), ==, 1);
  g_assert_cmpstr (f.phases->str, ==, "RASRASN");
  g_clear_object (&signing);
  g_clear_pointer (&cms, g_bytes_unref);

  /* Giving up after a wrong PIN is a PIN failure; nothing more is sent. */
  cms = run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, &signing, &error);
  assert_refused (&f, cms, error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT, 4, 3);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 1);

  g_clear_object (&signing);
  fixture_clear (&f);
}

static void
test_gave_up (void)
{
  static const Answer answers[] = { { NULL, FALSE } };
  Fixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, answers, G_N_ELEMENTS (answers));

  cms = run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, NULL, &error);
  g_assert_null (cms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);

  fixture_clear (&f);
}

static void
test_pinpad (void)
{
  static const Answer answers[] = {
    { "", FALSE },
    { "", FALSE },
    { "", TRUE },
  };
  Fixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("EIMZA_PIN_POLICY_PINPAD", SOFTHSM_USER_PIN, TRUE);
  fixture_init (&f, answers, G_N_ELEMENTS (answers));

  /* The asker is told to have the PIN typed on the keypad; no PIN comes
   * from it, and the reader's login is the one C_Login. */
  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  softhsm_fixture_assert_openssl_verifies (cms, f.content, TRUE);
  g_assert_true (asked_flags (f.asker, 0) & EIMZA_PIN_ASK_PINPAD);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_clear_pointer (&cms, g_bytes_unref);

  /* The last try on a keypad too: only with the confirmation. */
  softhsm_fixture_set_pin_failures (2);
  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_assert_cmpint (asked_flags (f.asker, 1), ==,
                   EIMZA_PIN_ASK_PINPAD | EIMZA_PIN_ASK_FINAL_TRY | EIMZA_PIN_ASK_COUNT_LOW);
  /* (Setting the failures started the count again.) */
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  g_clear_error (&error);

  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
  g_assert_cmpuint (softhsm_fixture_pin_failures (), ==, 0);

  fixture_clear (&f);
}

static gboolean
cancel_when_asked_cb (gpointer user_data)
{
  Fixture *f = user_data;

  if (f->asker->n_asks == 0)
    return G_SOURCE_CONTINUE;

  g_cancellable_cancel (f->cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_while_asking (void)
{
  Fixture f = { 0, };
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, NULL, 0);

  /* The dialog is open when the page goes away: the ask ends and nothing
   * reaches the card. */
  f.asker->hold = TRUE;
  g_timeout_add (10, cancel_when_asked_cb, &f);
  cms = run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, NULL, &error);
  assert_refused (&f, cms, error, G_IO_ERROR, G_IO_ERROR_CANCELLED, 1, 0);

  fixture_clear (&f);
}

static void
test_cancel_before_signing (void)
{
  static const Answer answers[] = { { SOFTHSM_USER_PIN, FALSE } };
  Fixture f = { 0, };
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, answers, G_N_ELEMENTS (answers));

  /* A last look when the answer is in (the deadline passed, the card
   * went): cancelled then, the PIN never reaches the card. */
  f.cancel_at = EIMZA_CARD_SIGNING_PHASE_SIGNING;
  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, &signing, &error);
  g_assert_null (cms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  g_assert_cmpuint (eimza_card_signing_get_n_logins (signing), ==, 0);
  g_assert_null (eimza_card_signing_get_pin (signing));

  g_clear_object (&signing);
  fixture_clear (&f);
}

static void
test_pin_only (void)
{
  static const Answer answers[] = { { SOFTHSM_USER_PIN, FALSE } };
  static const EimzaCardSigningFlags no_ask_flags[] = {
    EIMZA_CARD_SIGNING_CHECK_ONLY,
    EIMZA_CARD_SIGNING_ASK_ONLY_PINPAD,
  };
  Fixture f = { 0, };

  fixture_init (&f, answers, G_N_ELEMENTS (answers));

  /* Check only / keypad only on a reader without one: the state is
   * checked, nobody is asked. */
  for (guint i = 0; i < G_N_ELEMENTS (no_ask_flags); i++)
    {
      g_autoptr(EimzaCardSigning) signing = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;

      answer = run_pin (&f, no_ask_flags[i], NULL, &signing, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (answer), ==, 0);
      g_assert_null (eimza_card_signing_get_pin (signing));
      g_assert_cmpuint (f.asker->n_asks, ==, 0);
    }

  /* A PIN for someone else's login: the answer, and no C_Login here. A
   * replay is not used after a wrong PIN. */
  {
    g_autoptr(EimzaCardSigning) signing = NULL;
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(EimzaSecret) replay = eimza_secret_new (SOFTHSM_WRONG_PIN, -1);

    answer = run_pin (&f, EIMZA_CARD_SIGNING_RETRY, replay, &signing, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (f.asker->n_asks, ==, 1);
    g_assert_true (asked_flags (f.asker, 0) & EIMZA_PIN_ASK_RETRY);
    g_assert_cmpstr (eimza_secret_get (eimza_card_signing_get_pin (signing), NULL), ==,
                     SOFTHSM_USER_PIN);
    g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  }

  fixture_clear (&f);
}

static const CardTestCase cases[] = {
  { "/card-signing/cades/signs", test_signs },
  { "/card-signing/pin/locked-no-ask", test_locked },
  { "/card-signing/pin/final-try-needs-confirmation", test_final_try },
  { "/card-signing/pin/wrong-ends", test_wrong_pin_ends },
  { "/card-signing/pin/wrong-asks-again", test_wrong_pin_asks_again },
  { "/card-signing/pin/gave-up", test_gave_up },
  { "/card-signing/pinpad/keypad", test_pinpad },
  { "/card-signing/cancel/while-asking", test_cancel_while_asking },
  { "/card-signing/cancel/before-signing", test_cancel_before_signing },
  { "/card-signing/pin-only/answers", test_pin_only },
};

int
main (int    argc,
      char **argv)
{
  return card_test_main (argc, argv, "/card-signing/skipped", cases, G_N_ELEMENTS (cases));
}
