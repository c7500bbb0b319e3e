/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A PIN asker for the card tests that gives the answers a test queued, one per ask, and notes what it was shown. */
#pragma once

#include "eimza-pin-asker.h"
#include "eimza-pin-tries.h"

G_BEGIN_DECLS

/* One answer of the scripted person. */
typedef struct {
  const char *secret;       /* a PIN, or an unblock code; NULL: gives up */
  const char *new_pin;      /* for a PIN change or an unblock; a signature uses secret */
  gboolean confirm_final_try;
} ScriptedAnswer;

#define SCRIPTED_TYPE_ASKER (scripted_asker_get_type ())
G_DECLARE_FINAL_TYPE (ScriptedAsker, scripted_asker, SCRIPTED, ASKER, GObject)

/* The tests read what the asker noted straight from its fields. */
struct _ScriptedAsker
{
  GObject parent_instance;

  /* One answer per ask, in order; an ask beyond them fails the test. */
  const ScriptedAnswer *answers;
  guint n_answers;
  /* Never answers: the ask waits until it is cancelled, as an open
   * dialog does. */
  gboolean hold;
  GTask *held;

  guint n_asks;
  guint n_new_pin_asks;
  guint n_unblock_asks;
  EimzaPinAskFlags last_flags;
  GArray *asked_flags;                /* EimzaPinAskFlags of each ask */
  EimzaPkcs11TokenFlags token_flags;  /* of the last ask's token */
  EimzaNewPinRules last_rules;        /* of the last PIN-change or unblock ask */
  guint min_pin_length;               /* the last ask's token's */
  guint max_pin_length;
  guint logins_when_asked;            /* C_Login calls seen at the last ask */
  guint set_pins_when_asked;          /* C_SetPIN calls seen at the last ask */
  guint so_logins_when_asked;         /* SO logins seen at the last ask */
  EimzaPinTriesLeft pin_tries;        /* the tries a view would show at the last ask */
  EimzaPinTriesLeft unblock_tries;
};

/* An asker that gives @answers (static, not copied) in order. It fails
 * the test when asked for a signature or a PIN change while the PIN is
 * locked, or for an unblock while the unblock code is; each unblock
 * answer lets one SO login through the PIN policy module's guard. */
ScriptedAsker    *scripted_asker_new         (const ScriptedAnswer *answers,
                                             guint                 n_answers);
/* The flags of the @i-th ask (from 0); fails the test if there was none. */
EimzaPinAskFlags  scripted_asker_asked_flags (ScriptedAsker        *self,
                                             guint                 i);

G_END_DECLS
