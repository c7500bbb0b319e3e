/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the one card-signing operation and its PIN rules (no display needed). */
#include "config.h"

#include <string.h>

#include "eimza-card-signing.h"
#include "eimza-pkcs11.h"
#include "softhsm-fixture.h"

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

static void
run_isolated (void)
{
  softhsm_fixture_restore ();
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
fixture_init (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  f->service = eimza_card_service_new ();
  eimza_pkcs11_set_module_path (f->service, softhsm_fixture_pin_policy_module ());
  eimza_pkcs11_list_certificates_async (f->service,
                                        "pkcs11:model=" PIN_POLICY_MODEL ";token=EIMZA%20TEST",
                                        NULL, store_result_cb, &result);
  certificates = eimza_pkcs11_list_certificates_finish (f->service, wait_for_result (&result),
                                                        &error);
  g_assert_no_error (error);
  for (guint i = 0; i < certificates->len; i++)
    if (g_strcmp0 (eimza_certificate_get_label (g_ptr_array_index (certificates, i)),
                   SOFTHSM_TCKN "NES0") == 0)
      f->certificate = g_object_ref (g_ptr_array_index (certificates, i));
  g_assert_nonnull (f->certificate);
  g_assert_nonnull (eimza_certificate_get_key_uri (f->certificate));

  f->asker = g_object_new (TEST_TYPE_ASKER, NULL);
  f->content = g_bytes_new_static (content_text, strlen (content_text));
  f->phases = g_string_new (NULL);
  f->cancellable = g_cancellable_new ();
}

/* Nothing may keep the service, the asker or an operation alive. */
static void
fixture_clear (Fixture *f)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->certificate);
  g_clear_pointer (&f->content, g_bytes_unref);
  g_string_free (f->phases, TRUE);
  g_clear_object (&f->cancellable);
  g_object_add_weak_pointer (G_OBJECT (f->asker), (gpointer *) &f->asker);
  g_object_add_weak_pointer (G_OBJECT (f->service), (gpointer *) &f->service);
  g_object_unref (f->asker);
  g_object_unref (f->service);
  g_assert_null (f->asker);
  g_assert_null (f->service);
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
  g_autoptr(GAsyncResult) result = NULL;
  GBytes *cms;

  signing = eimza_card_signing_new_cades (f->service, EIMZA_PIN_ASKER (f->asker),
                                          eimza_certificate_get_uri (f->certificate),
                                          eimza_certificate_get_key_uri (f->certificate),
                                          f->content, EIMZA_CADES_DETACHED);
  eimza_card_signing_set_flags (signing, flags);
  g_signal_connect (signing, "notify::phase", G_CALLBACK (phase_cb), f);
  g_string_truncate (f->phases, 0);

  eimza_card_signing_run_async (signing, f->cancellable, store_result_cb, &result);
  cms = eimza_card_signing_run_finish (signing, wait_for_result (&result), error);
  g_assert_cmpint (eimza_card_signing_get_phase (signing), ==, EIMZA_CARD_SIGNING_PHASE_NONE);

  if (out_signing != NULL)
    *out_signing = g_steal_pointer (&signing);
  return cms;
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

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  fixture_init (&f);
  f.asker->answers = answers;
  f.asker->n_answers = G_N_ELEMENTS (answers);

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

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  fixture_init (&f);

  /* No answers: an ask would fail the test. */
  softhsm_fixture_set_pin_failures (3);
  cms = run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, &signing, &error);
  g_assert_null (cms);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED);
  g_assert_cmpuint (f.asker->n_asks, ==, 0);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
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

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  fixture_init (&f);
  f.asker->answers = answers;
  f.asker->n_answers = G_N_ELEMENTS (answers);

  /* The asker is told; without the confirmation nothing is sent. */
  softhsm_fixture_set_pin_failures (2);
  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, NULL, &error);
  g_assert_null (cms);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED);
  g_assert_cmpuint (f.asker->n_asks, ==, 1);
  g_assert_true (asked_flags (f.asker, 0) & EIMZA_PIN_ASK_FINAL_TRY);
  g_assert_true (asked_flags (f.asker, 0) & EIMZA_PIN_ASK_COUNT_LOW);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
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

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  fixture_init (&f);
  f.asker->answers = answers;
  f.asker->n_answers = G_N_ELEMENTS (answers);

  /* Without ASK_AGAIN a wrong PIN ends the operation: never retried. */
  cms = run_cades (&f, EIMZA_CARD_SIGNING_DEFAULT, &signing, &error);
  g_assert_null (cms);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_cmpuint (f.asker->n_asks, ==, 1);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 1);
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

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  fixture_init (&f);
  f.asker->answers = answers;
  f.asker->n_answers = G_N_ELEMENTS (answers);

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
  g_assert_null (cms);
  g_assert_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT);
  g_assert_cmpuint (f.asker->n_asks, ==, 4);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 3);
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

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  fixture_init (&f);
  f.asker->answers = answers;
  f.asker->n_answers = G_N_ELEMENTS (answers);

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

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  g_setenv ("EIMZA_PIN_POLICY_PINPAD", SOFTHSM_USER_PIN, TRUE);
  fixture_init (&f);
  f.asker->answers = answers;
  f.asker->n_answers = G_N_ELEMENTS (answers);

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

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  fixture_init (&f);

  /* The dialog is open when the page goes away: the ask ends and nothing
   * reaches the card. */
  f.asker->hold = TRUE;
  g_timeout_add (10, cancel_when_asked_cb, &f);
  cms = run_cades (&f, EIMZA_CARD_SIGNING_ASK_AGAIN, NULL, &error);
  g_assert_null (cms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f.asker->n_asks, ==, 1);
  g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);

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

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  fixture_init (&f);
  f.asker->answers = answers;
  f.asker->n_answers = G_N_ELEMENTS (answers);

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
  Fixture f = { 0, };
  const char *key_uri;

  if (!g_test_subprocess ())
    {
      run_isolated ();
      return;
    }
  fixture_init (&f);
  f.asker->answers = answers;
  f.asker->n_answers = G_N_ELEMENTS (answers);
  key_uri = eimza_certificate_get_key_uri (f.certificate);

  /* Check only / keypad only on a reader without one: the state is
   * checked, nobody is asked. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(EimzaCardSigning) signing = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;

      signing = eimza_card_signing_new_pin (f.service, EIMZA_PIN_ASKER (f.asker), key_uri);
      eimza_card_signing_set_flags (signing, i == 0 ? EIMZA_CARD_SIGNING_CHECK_ONLY
                                                    : EIMZA_CARD_SIGNING_ASK_ONLY_PINPAD);
      eimza_card_signing_run_async (signing, NULL, store_result_cb, &result);
      answer = eimza_card_signing_run_finish (signing, wait_for_result (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (answer), ==, 0);
      g_assert_null (eimza_card_signing_get_pin (signing));
      g_assert_cmpuint (f.asker->n_asks, ==, 0);
    }

  /* A PIN for someone else's login: the answer, and no C_Login here. A
   * replay is not used after a wrong PIN. */
  {
    g_autoptr(EimzaCardSigning) signing = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(EimzaSecret) replay = eimza_secret_new (SOFTHSM_WRONG_PIN, -1);

    signing = eimza_card_signing_new_pin (f.service, EIMZA_PIN_ASKER (f.asker), key_uri);
    eimza_card_signing_set_flags (signing, EIMZA_CARD_SIGNING_RETRY);
    eimza_card_signing_set_replay_pin (signing, replay);
    eimza_card_signing_run_async (signing, NULL, store_result_cb, &result);
    answer = eimza_card_signing_run_finish (signing, wait_for_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (f.asker->n_asks, ==, 1);
    g_assert_true (asked_flags (f.asker, 0) & EIMZA_PIN_ASK_RETRY);
    g_assert_cmpstr (eimza_secret_get (eimza_card_signing_get_pin (signing), NULL), ==,
                     SOFTHSM_USER_PIN);
    g_assert_cmpuint (softhsm_fixture_login_calls (), ==, 0);
  }

  fixture_clear (&f);
}

static void
skip_without_tools (void)
{
  g_test_skip ("softhsm2, gnutls-bin or openssl is not installed");
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  if (!softhsm_fixture_init ())
    {
      g_test_add_func ("/card-signing/skipped", skip_without_tools);
      return g_test_run ();
    }

  g_test_add_func ("/card-signing/cades/signs", test_signs);
  g_test_add_func ("/card-signing/pin/locked-no-ask", test_locked);
  g_test_add_func ("/card-signing/pin/final-try-needs-confirmation", test_final_try);
  g_test_add_func ("/card-signing/pin/wrong-ends", test_wrong_pin_ends);
  g_test_add_func ("/card-signing/pin/wrong-asks-again", test_wrong_pin_asks_again);
  g_test_add_func ("/card-signing/pin/gave-up", test_gave_up);
  g_test_add_func ("/card-signing/pinpad/keypad", test_pinpad);
  g_test_add_func ("/card-signing/cancel/while-asking", test_cancel_while_asking);
  g_test_add_func ("/card-signing/cancel/before-signing", test_cancel_before_signing);
  g_test_add_func ("/card-signing/pin-only/answers", test_pin_only);

  result = g_test_run ();
  softhsm_fixture_cleanup ();
  return result;
}
