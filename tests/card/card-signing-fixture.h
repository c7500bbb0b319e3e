/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fixture of the tests that run card-signing operations with a scripted person on the PIN policy module. */
#pragma once

#include "eimza-card-signing.h"
#include "card-test-fixture.h"
#include "scripted-asker.h"

G_BEGIN_DECLS

/* A card service on the test token's NES certificate, a scripted person
 * and the content to sign. The tests read the fields directly. */
typedef struct {
  EimzaCardService *service;
  EimzaCertificate *certificate;
  ScriptedAsker *asker;
  GBytes *content;
  /* The phases the last run went through, as letters (N, R, A, S). */
  GString *phases;
  /* Cancelled when a run reaches this phase (NONE: never). */
  EimzaCardSigningPhase cancel_at;
  GCancellable *cancellable;      /* every run's */
} CardSigningFixture;

/* The person gives @answers in order (none: an ask fails the test); the
 * content to sign is @content_text (static). */
void       card_signing_fixture_init  (CardSigningFixture      *f,
                                       const char              *content_text,
                                       const ScriptedAnswer    *answers,
                                       guint                    n_answers);
/* Asserts that nothing keeps the service, the asker or an operation
 * alive, and, when the module guards SO logins, that no unblock code went
 * to the card that the person did not give. */
void       card_signing_fixture_clear (CardSigningFixture      *f);

/* Runs @signing to its end with the fixture's cancellable, noting its
 * phases, and asserts it ended in no phase; returns its answer or NULL
 * with @error set. */
GBytes    *card_signing_run           (CardSigningFixture      *f,
                                       EimzaCardSigning        *signing,
                                       GError                 **error);
/* A detached CAdES signature of the content with @flags; returns the
 * signature or NULL with @error set. @out_signing (nullable): the
 * operation, to look at afterwards. */
GBytes    *card_signing_run_cades     (CardSigningFixture      *f,
                                       EimzaCardSigningFlags    flags,
                                       EimzaCardSigning       **out_signing,
                                       GError                 **error);
/* One PIN change of the test token (the key's URI names it), with
 * @birth_date (nullable) known; TRUE when the card took the new PIN. */
gboolean   card_signing_run_change    (CardSigningFixture      *f,
                                       const GDate             *birth_date,
                                       GError                 **error);
/* One unblock of the test token with @flags and @birth_date (nullable)
 * known; TRUE when the card took the new PIN. */
gboolean   card_signing_run_unblock   (CardSigningFixture      *f,
                                       EimzaCardSigningFlags    flags,
                                       const GDate             *birth_date,
                                       GError                 **error);

G_END_DECLS
