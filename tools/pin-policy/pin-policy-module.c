/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A PKCS#11 module that wraps SoftHSM2 and behaves like a real card's PIN:
 * the card tests' PIN policy, and (built with the demo's names) the card of
 * `eimza-asistan --demo`. */

/*
 * SoftHSM2 sets CKF_USER_PIN_COUNT_LOW after a wrong PIN but never
 * CKF_USER_PIN_FINAL_TRY or CKF_USER_PIN_LOCKED, and never blocks the PIN.
 * Real e-signature cards lock after three wrong entries, so the safety
 * rules of the application cannot be tested against SoftHSM alone. This
 * module forwards every PKCS#11 call to SoftHSM2 and enforces the card's
 * rule on top:
 *
 *   1st wrong PIN  -> CKF_USER_PIN_COUNT_LOW
 *   2nd wrong PIN  -> CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY
 *   3rd wrong PIN  -> CKF_USER_PIN_LOCKED, and CKR_PIN_LOCKED from then on
 *   correct PIN    -> counter back to 0
 *
 * The unblock code (the security officer's PIN; Kamu SM's PUK) gets the
 * same rule, with its own counter and the CKF_SO_PIN_* flags: three wrong
 * codes and CKR_PIN_LOCKED for good. A C_InitPIN that succeeds (after a
 * right code) sets a new user PIN and unlocks it (counter back to 0).
 *
 * The counters live in a small file (EIMZA_PIN_POLICY_STATE) so that they
 * survive process restarts, as a card's do. The file also counts the
 * C_Login calls that verified a PIN, the C_SetPIN calls that verified a
 * current PIN (which spend a try alike), the SO logins and the C_InitPIN
 * calls, so tests can prove that the application never retried a PIN or
 * a code by itself.
 *
 * Environment:
 *   EIMZA_PIN_POLICY_TARGET   module to wrap
 *                             (default /usr/lib/softhsm/libsofthsm2.so)
 *   EIMZA_PIN_POLICY_STATE    state file (required for the policy; without
 *                             it the counter lives in memory only)
 *   EIMZA_PIN_POLICY_PINPAD   if set, the token advertises
 *                             CKF_PROTECTED_AUTHENTICATION_PATH and a
 *                             C_Login with a NULL PIN uses this value as
 *                             the PIN "typed on the reader"; a C_SetPIN
 *                             with NULL PINs takes it as the current PIN
 *                             and EIMZA_PIN_POLICY_PINPAD_NEW as the new
 *   EIMZA_PIN_POLICY_TARGET_SOFTHSM2_CONF
 *                             if set, SOFTHSM2_CONF while the target
 *                             initialises: with a copy of libsofthsm2.so
 *                             as the target (a separate instance), a
 *                             second SoftHSM2 with tokens of its own in a
 *                             process whose SOFTHSM2_CONF names others
 *   EIMZA_PIN_POLICY_PINPAD_SO
 *                             on a pinpad token, the unblock code "typed
 *                             on the reader" for an SO C_Login with a
 *                             NULL PIN (C_InitPIN with a NULL PIN takes
 *                             EIMZA_PIN_POLICY_PINPAD_NEW)
 *   EIMZA_PIN_POLICY_SO_GUARD if set, an SO login is let through only
 *                             while the state file's so_allowed is above
 *                             so_logins: the test raises so_allowed each
 *                             time its person gives an unblock code, so
 *                             any other try is refused before SoftHSM2
 *                             sees it (nothing spent) and counted in
 *                             so_unasked, which the test asserts is 0
 *   EIMZA_PIN_POLICY_LABEL    if set, the token's label instead of the
 *                             target's (a card labelled with a name)
 *   EIMZA_PIN_POLICY_REJECT_OS_LOCKING
 *                             if set, C_Initialize fails with CKR_CANT_LOCK
 *                             when given CKF_OS_LOCKING_OK, as some AKİS
 *                             module versions do
 *   EIMZA_PIN_POLICY_LOGOUT   "fail": C_Logout fails and the token stays
 *                             logged in; "ignore": C_Logout returns CKR_OK
 *                             but the token stays logged in (modules seen
 *                             in the wild do both)
 *   EIMZA_PIN_POLICY_SESSION_INFO
 *                             "fail": C_GetSessionInfo fails, so the
 *                             caller cannot see whether it is logged in
 *   EIMZA_PIN_POLICY_CONCURRENCY
 *                             a file name: every function of the module
 *                             counts the calls in flight; a call that
 *                             starts while another one runs (what a module
 *                             initialised without OS locking, like Kamu
 *                             SM's AKİS module, must never see) appends a
 *                             line naming both to that file and fails
 *                             with CKR_FUNCTION_FAILED
 *   EIMZA_PIN_POLICY_BLOCK_LOGIN
 *                             a file name: while that file exists, C_Login
 *                             blocks (at most a minute), as a pinpad reader
 *                             does while nobody types; on entering it
 *                             creates "<file>.entered"
 *
 * The token keeps its label but reports its own model ("EIMZA-PINPOLICY")
 * and library description, so that it never looks like the same token as
 * SoftHSM2 loaded directly through p11-kit in the same process.
 *
 * This file deliberately uses only libc and p11-kit's pkcs11.h: it is
 * loaded into processes under test and must not drag GLib in twice.
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdatomic.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11-functions.h"

#define DEFAULT_TARGET "/usr/lib/softhsm/libsofthsm2.so"
#define MAX_TRIES 3
/* The demo's card module (tools/demo) is this file under its own names. */
#ifndef WRAPPER_MODEL
#define WRAPPER_MODEL "EIMZA-PINPOLICY"
#endif
#ifndef WRAPPER_DESCRIPTION
#define WRAPPER_DESCRIPTION "EIMZA PIN policy test module"
#endif

/* The demo's card module reads its own variables (EIMZA_DEMO_CARD_TARGET
 * for EIMZA_PIN_POLICY_TARGET, …), so that a test's settings for the PIN
 * policy module never reach it, nor its counters the test's state file. */
#ifdef POLICY_ENV_PREFIX
static const char *
policy_getenv (const char *name)
{
  static const char prefix[] = "EIMZA_PIN_POLICY_";
  char renamed[256];

  if (strncmp (name, prefix, sizeof prefix - 1) != 0 ||
      snprintf (renamed, sizeof renamed, "%s%s", POLICY_ENV_PREFIX,
                name + sizeof prefix - 1) >= (int) sizeof renamed)
    return NULL;
  return getenv (renamed);
}
#else
#define policy_getenv getenv
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *target_handle;
static CK_FUNCTION_LIST *target;
static CK_FUNCTION_LIST wrapper;
static CK_FUNCTION_LIST guarded;
static int wrapper_ready;
static int initialized;

typedef struct
{
  unsigned long failures;
  unsigned long logins;
  unsigned long set_pins;
  unsigned long so_failures;
  unsigned long so_logins;
  unsigned long init_pins;
  unsigned long so_allowed;
  unsigned long so_unasked;
} PolicyState;

#define STATE_FORMAT "failures=%lu\nlogins=%lu\nset_pins=%lu\nso_failures=%lu\nso_logins=%lu\n" \
                     "init_pins=%lu\nso_allowed=%lu\nso_unasked=%lu\n"

/* In-memory fallback when no state file is configured. */
static PolicyState memory_state;

static void
pad_copy (unsigned char *dest,
          size_t         dest_len,
          const char    *src)
{
  size_t len = strlen (src);

  memset (dest, ' ', dest_len);
  memcpy (dest, src, len < dest_len ? len : dest_len);
}

static void
state_read (PolicyState *state)
{
  const char *path = policy_getenv ("EIMZA_PIN_POLICY_STATE");
  FILE *file;

  *state = memory_state;

  if (path == NULL || *path == '\0')
    return;

  memset (state, 0, sizeof *state);

  file = fopen (path, "re");
  if (file == NULL)
    return;

  /* The lines after the first two are optional: tests may write only
   * those. */
  if (fscanf (file, STATE_FORMAT, &state->failures, &state->logins, &state->set_pins,
              &state->so_failures, &state->so_logins, &state->init_pins, &state->so_allowed,
              &state->so_unasked) < 1)
    memset (state, 0, sizeof *state);
  fclose (file);
}

static void
state_write (const PolicyState *state)
{
  const char *path = policy_getenv ("EIMZA_PIN_POLICY_STATE");
  char tmp[4096];
  FILE *file;

  memory_state = *state;

  if (path == NULL || *path == '\0')
    return;

  /* Write and rename, so that a process killed mid-write never leaves a
   * half-written counter (which would read as "not locked"). */
  if (snprintf (tmp, sizeof tmp, "%s.tmp", path) >= (int) sizeof tmp)
    return;

  file = fopen (tmp, "we");
  if (file == NULL)
    return;
  fprintf (file, STATE_FORMAT, state->failures, state->logins, state->set_pins,
           state->so_failures, state->so_logins, state->init_pins, state->so_allowed,
           state->so_unasked);
  if (fflush (file) == 0)
    fsync (fileno (file));
  fclose (file);
  rename (tmp, path);
}

static const char *
pinpad_pin (void)
{
  return policy_getenv ("EIMZA_PIN_POLICY_PINPAD");
}

static void
apply_policy_flags (CK_TOKEN_INFO *info)
{
  PolicyState state;

  state_read (&state);

  info->flags &= ~(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
  if (state.failures >= MAX_TRIES)
    info->flags |= CKF_USER_PIN_LOCKED;
  else if (state.failures == MAX_TRIES - 1)
    info->flags |= CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY;
  else if (state.failures > 0)
    info->flags |= CKF_USER_PIN_COUNT_LOW;

  info->flags &= ~(CKF_SO_PIN_COUNT_LOW | CKF_SO_PIN_FINAL_TRY | CKF_SO_PIN_LOCKED);
  if (state.so_failures >= MAX_TRIES)
    info->flags |= CKF_SO_PIN_LOCKED;
  else if (state.so_failures == MAX_TRIES - 1)
    info->flags |= CKF_SO_PIN_COUNT_LOW | CKF_SO_PIN_FINAL_TRY;
  else if (state.so_failures > 0)
    info->flags |= CKF_SO_PIN_COUNT_LOW;

  if (pinpad_pin () != NULL)
    info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;

  pad_copy (info->model, sizeof info->model, WRAPPER_MODEL);
}

static CK_RV
policy_initialize (void *init_args)
{
  CK_C_INITIALIZE_ARGS *args = init_args;
  const char *conf;
  CK_RV rv;

  pthread_mutex_lock (&lock);

  /* A real module checks this before looking at its arguments; the
   * application's fallback for the AKİS quirk relies on it. */
  if (initialized)
    {
      pthread_mutex_unlock (&lock);
      return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    }

  if (policy_getenv ("EIMZA_PIN_POLICY_REJECT_OS_LOCKING") != NULL &&
      args != NULL && (args->flags & CKF_OS_LOCKING_OK) != 0)
    {
      pthread_mutex_unlock (&lock);
      return CKR_CANT_LOCK;
    }

  conf = policy_getenv ("EIMZA_PIN_POLICY_TARGET_SOFTHSM2_CONF");
  if (conf != NULL)
    {
      /* SoftHSM2 reads its configuration in C_Initialize only. */
      const char *own = getenv ("SOFTHSM2_CONF");
      char *saved = own != NULL ? strdup (own) : NULL;

      setenv ("SOFTHSM2_CONF", conf, 1);
      rv = target->C_Initialize (init_args);
      if (saved != NULL)
        setenv ("SOFTHSM2_CONF", saved, 1);
      else
        unsetenv ("SOFTHSM2_CONF");
      free (saved);
    }
  else
    {
      rv = target->C_Initialize (init_args);
    }
  /* SoftHSM2 may already have been initialised by p11-kit in the same
   * process (it is one shared library); that is fine for the wrapper. */
  if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED)
    rv = CKR_OK;
  if (rv == CKR_OK)
    initialized = 1;

  pthread_mutex_unlock (&lock);
  return rv;
}

static CK_RV
policy_finalize (void *reserved)
{
  CK_RV rv;

  pthread_mutex_lock (&lock);
  if (!initialized)
    {
      pthread_mutex_unlock (&lock);
      return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
  initialized = 0;
  rv = target->C_Finalize (reserved);
  if (rv == CKR_CRYPTOKI_NOT_INITIALIZED)
    rv = CKR_OK;
  pthread_mutex_unlock (&lock);
  return rv;
}

static CK_RV
policy_get_info (CK_INFO *info)
{
  CK_RV rv = target->C_GetInfo (info);

  if (rv == CKR_OK)
    {
      pad_copy (info->libraryDescription, sizeof info->libraryDescription,
                WRAPPER_DESCRIPTION);
      pad_copy (info->manufacturerID, sizeof info->manufacturerID, "EIMZA tests");
    }
  return rv;
}

static CK_RV
policy_get_token_info (CK_SLOT_ID     slot,
                       CK_TOKEN_INFO *info)
{
  CK_RV rv = target->C_GetTokenInfo (slot, info);
  const char *label = policy_getenv ("EIMZA_PIN_POLICY_LABEL");

  if (rv == CKR_OK)
    apply_policy_flags (info);
  if (rv == CKR_OK && label != NULL)
    pad_copy (info->label, sizeof info->label, label);
  return rv;
}

static int
mode_is (const char *variable,
         const char *value)
{
  const char *mode = policy_getenv (variable);

  return mode != NULL && strcmp (mode, value) == 0;
}

static int
is_logged_in (CK_SESSION_HANDLE session)
{
  CK_SESSION_INFO info;

  if (target->C_GetSessionInfo (session, &info) != CKR_OK)
    return 0;
  return info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS;
}

static CK_RV
policy_logout (CK_SESSION_HANDLE session)
{
  if (mode_is ("EIMZA_PIN_POLICY_LOGOUT", "fail"))
    return CKR_FUNCTION_FAILED;
  if (mode_is ("EIMZA_PIN_POLICY_LOGOUT", "ignore"))
    return CKR_OK;
  return target->C_Logout (session);
}

static CK_RV
policy_get_session_info (CK_SESSION_HANDLE  session,
                         CK_SESSION_INFO   *info)
{
  if (mode_is ("EIMZA_PIN_POLICY_SESSION_INFO", "fail"))
    return CKR_FUNCTION_FAILED;
  return target->C_GetSessionInfo (session, info);
}

/* Waits (outside the lock) while the block file exists. */
static void
block_login (void)
{
  const char *path = policy_getenv ("EIMZA_PIN_POLICY_BLOCK_LOGIN");
  char entered[4096];
  FILE *file;

  if (path == NULL || *path == '\0' || access (path, F_OK) != 0)
    return;

  if (snprintf (entered, sizeof entered, "%s.entered", path) < (int) sizeof entered &&
      (file = fopen (entered, "we")) != NULL)
    fclose (file);

  for (int i = 0; i < 60 * 100 && access (path, F_OK) == 0; i++)
    usleep (10 * 1000);
}

/* The unblock code: counted, locked after three wrong ones, and under
 * EIMZA_PIN_POLICY_SO_GUARD let through only when the test's person gave
 * one. */
static CK_RV
policy_so_login (CK_SESSION_HANDLE session,
                 unsigned char    *pin,
                 unsigned long     pin_len)
{
  PolicyState state;
  CK_RV rv;

  pthread_mutex_lock (&lock);

  state_read (&state);
  if (policy_getenv ("EIMZA_PIN_POLICY_SO_GUARD") != NULL && state.so_logins >= state.so_allowed)
    {
      state.so_unasked++;
      state_write (&state);
      pthread_mutex_unlock (&lock);
      fprintf (stderr, "pin-policy-module: an SO login nobody asked for was refused\n");
      return CKR_FUNCTION_FAILED;
    }

  if (state.so_failures >= MAX_TRIES)
    {
      pthread_mutex_unlock (&lock);
      return CKR_PIN_LOCKED;
    }

  if (pin == NULL)
    {
      const char *typed = pinpad_pin () != NULL ? policy_getenv ("EIMZA_PIN_POLICY_PINPAD_SO") : NULL;

      if (typed == NULL)
        {
          pthread_mutex_unlock (&lock);
          return CKR_ARGUMENTS_BAD;
        }
      pin = (unsigned char *) typed;
      pin_len = strlen (typed);
    }

  state.so_logins++;
  rv = target->C_Login (session, CKU_SO, pin, pin_len);

  if (rv == CKR_PIN_INCORRECT)
    state.so_failures++;
  else if (rv == CKR_OK)
    state.so_failures = 0;

  state_write (&state);
  pthread_mutex_unlock (&lock);

  return rv;
}

/* A new user PIN set by the security officer: counted; once set, the PIN
 * is unlocked, as a card's reset does. */
static CK_RV
policy_init_pin (CK_SESSION_HANDLE  session,
                 unsigned char     *pin,
                 unsigned long      pin_len)
{
  PolicyState state;
  CK_RV rv;

  pthread_mutex_lock (&lock);

  if (pin == NULL)
    {
      const char *typed = pinpad_pin () != NULL ? policy_getenv ("EIMZA_PIN_POLICY_PINPAD_NEW") : NULL;

      if (typed == NULL)
        {
          pthread_mutex_unlock (&lock);
          return CKR_ARGUMENTS_BAD;
        }
      pin = (unsigned char *) typed;
      pin_len = strlen (typed);
    }

  state_read (&state);
  state.init_pins++;
  rv = target->C_InitPIN (session, pin, pin_len);
  if (rv == CKR_OK)
    state.failures = 0;
  state_write (&state);

  pthread_mutex_unlock (&lock);
  return rv;
}

static CK_RV
policy_login (CK_SESSION_HANDLE session,
              CK_USER_TYPE      user_type,
              unsigned char    *pin,
              unsigned long     pin_len)
{
  PolicyState state;
  const char *typed;
  CK_RV rv;

  if (user_type == CKU_SO)
    return policy_so_login (session, pin, pin_len);

  if (user_type != CKU_USER && user_type != CKU_CONTEXT_SPECIFIC)
    return target->C_Login (session, user_type, pin, pin_len);

  block_login ();

  pthread_mutex_lock (&lock);

  /* As on a card, an already authenticated session does not verify the
   * PIN again and does not spend a try. */
  if (user_type == CKU_USER && is_logged_in (session))
    {
      pthread_mutex_unlock (&lock);
      return CKR_USER_ALREADY_LOGGED_IN;
    }

  state_read (&state);
  if (state.failures >= MAX_TRIES)
    {
      pthread_mutex_unlock (&lock);
      return CKR_PIN_LOCKED;
    }

  if (pin == NULL)
    {
      typed = pinpad_pin ();
      if (typed == NULL)
        {
          pthread_mutex_unlock (&lock);
          return CKR_ARGUMENTS_BAD;
        }
      pin = (unsigned char *) typed;
      pin_len = strlen (typed);
    }

  state.logins++;
  rv = target->C_Login (session, user_type, pin, pin_len);

  if (rv == CKR_PIN_INCORRECT)
    state.failures++;
  else if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN)
    state.failures = 0;

  state_write (&state);
  pthread_mutex_unlock (&lock);

  return rv;
}

/* A PIN change verifies the current PIN as a login does: a wrong one
 * spends a try, a locked card refuses, a right one resets the count. */
static CK_RV
policy_set_pin (CK_SESSION_HANDLE  session,
                unsigned char     *old_pin,
                unsigned long      old_len,
                unsigned char     *new_pin,
                unsigned long      new_len)
{
  PolicyState state;
  CK_RV rv;

  pthread_mutex_lock (&lock);

  state_read (&state);
  if (state.failures >= MAX_TRIES)
    {
      pthread_mutex_unlock (&lock);
      return CKR_PIN_LOCKED;
    }

  if (old_pin == NULL || new_pin == NULL)
    {
      const char *typed_old = pinpad_pin ();
      const char *typed_new = policy_getenv ("EIMZA_PIN_POLICY_PINPAD_NEW");

      if (old_pin != NULL || new_pin != NULL || typed_old == NULL || typed_new == NULL)
        {
          pthread_mutex_unlock (&lock);
          return CKR_ARGUMENTS_BAD;
        }
      old_pin = (unsigned char *) typed_old;
      old_len = strlen (typed_old);
      new_pin = (unsigned char *) typed_new;
      new_len = strlen (typed_new);
    }

  state.set_pins++;
  rv = target->C_SetPIN (session, old_pin, old_len, new_pin, new_len);

  if (rv == CKR_PIN_INCORRECT)
    state.failures++;
  else if (rv == CKR_OK)
    state.failures = 0;

  state_write (&state);
  pthread_mutex_unlock (&lock);

  return rv;
}

/* Concurrent entry (EIMZA_PIN_POLICY_CONCURRENCY) */

static atomic_int in_flight;
static _Atomic (const char *) running;

static const char *
concurrency_file (void)
{
  const char *path = policy_getenv ("EIMZA_PIN_POLICY_CONCURRENCY");

  return path != NULL && *path != '\0' ? path : NULL;
}

static void
record_overlap (const char *entering,
                const char *other)
{
  const char *path = concurrency_file ();
  char line[256];
  int fd;
  int length;

  length = snprintf (line, sizeof line, "%s entered while %s ran\n", entering,
                     other != NULL ? other : "another call");
  fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return;
  if (length > 0 && write (fd, line, (size_t) length) < 0)
    fprintf (stderr, "pin-policy-module: cannot write %s\n", path);
  close (fd);
}

/* Whether the call may go on; FALSE after recording the overlap. */
static int
guard_enter (const char *name)
{
  if (atomic_fetch_add (&in_flight, 1) != 0)
    {
      record_overlap (name, atomic_load (&running));
      atomic_fetch_sub (&in_flight, 1);
      return 0;
    }
  atomic_store (&running, name);
  return 1;
}

static void
guard_leave (void)
{
  atomic_store (&running, NULL);
  atomic_fetch_sub (&in_flight, 1);
}

/* One wrapper per function of the list, around the policy's table. */
#define GUARD(name, params, args) \
  static CK_RV \
  guard_##name params \
  { \
    CK_RV rv; \
    if (!guard_enter (#name)) \
      return CKR_FUNCTION_FAILED; \
    rv = wrapper.name args; \
    guard_leave (); \
    return rv; \
  }
PKCS11_FUNCTIONS (GUARD)
#undef GUARD

static void
fill_guarded (void)
{
  guarded = wrapper;
#define GUARD(name, params, args) guarded.name = guard_##name;
  PKCS11_FUNCTIONS (GUARD)
#undef GUARD
}

static CK_RV policy_get_function_list (CK_FUNCTION_LIST **list);

static int
load_target (void)
{
  CK_RV (*get_function_list) (CK_FUNCTION_LIST **);
  const char *path = policy_getenv ("EIMZA_PIN_POLICY_TARGET");

  if (target != NULL)
    return 1;

  if (path == NULL || *path == '\0')
    path = DEFAULT_TARGET;

  target_handle = dlopen (path, RTLD_NOW | RTLD_LOCAL);
  if (target_handle == NULL)
    {
      fprintf (stderr, "pin-policy-module: cannot load %s: %s\n", path, dlerror ());
      return 0;
    }

  get_function_list = (CK_RV (*) (CK_FUNCTION_LIST **)) dlsym (target_handle,
                                                              "C_GetFunctionList");
  if (get_function_list == NULL || get_function_list (&target) != CKR_OK || target == NULL)
    {
      fprintf (stderr, "pin-policy-module: %s has no usable C_GetFunctionList\n", path);
      target = NULL;
      return 0;
    }

  /* Forward everything by copying the target's table, then replace the
   * few entries the policy needs. */
  wrapper = *target;
  wrapper.C_Initialize = policy_initialize;
  wrapper.C_Finalize = policy_finalize;
  wrapper.C_GetInfo = policy_get_info;
  wrapper.C_GetFunctionList = policy_get_function_list;
  wrapper.C_GetTokenInfo = policy_get_token_info;
  wrapper.C_Login = policy_login;
  wrapper.C_SetPIN = policy_set_pin;
  wrapper.C_InitPIN = policy_init_pin;
  wrapper.C_Logout = policy_logout;
  wrapper.C_GetSessionInfo = policy_get_session_info;
  fill_guarded ();
  wrapper_ready = 1;

  return 1;
}

static CK_RV
policy_get_function_list (CK_FUNCTION_LIST **list)
{
  CK_RV rv = CKR_OK;

  if (list == NULL)
    return CKR_ARGUMENTS_BAD;

  pthread_mutex_lock (&lock);
  if (!wrapper_ready && !load_target ())
    rv = CKR_GENERAL_ERROR;
  else
    *list = concurrency_file () != NULL ? &guarded : &wrapper;
  pthread_mutex_unlock (&lock);

  return rv;
}

__attribute__ ((visibility ("default"))) CK_RV
C_GetFunctionList (CK_FUNCTION_LIST **list)
{
  return policy_get_function_list (list);
}
