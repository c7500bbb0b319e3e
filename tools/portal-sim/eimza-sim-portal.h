/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated portal's state shared by all requests, and its settings. */
#pragma once

#include <glib.h>

#include "eimza-geo.h"
#include "eimza-sim-faults.h"
#include "eimza-sim-nes-sign.h"
#include "eimza-sim-registry.h"
#include "eimza-sim-session.h"
#include "eimza-sim-sms.h"

G_BEGIN_DECLS

typedef struct {
  guint session_timeout_seconds;
  EimzaSimSmsRules sms;
  guint slow_seconds;
  guint drip_ms;             /* the slow-drip fault's pause between bytes */
  gboolean test_endpoints;
  EimzaSimFaults run_faults; /* applied to every request of the run */
  char *sms_log_path;        /* NULL: no gateway log */
  char *captcha_log_path;    /* test-only; NULL: the captcha is not revealed */
  char *signature_log_dir;   /* test-only; NULL: accepted signatures are not kept */
  /* The NES site (docs/eonay-protocol.md). */
  guint sign_deadline_seconds;   /* time limit of each signing step */
  guint sign_clock_skew_seconds; /* tolerance of the signing-time check */
  /* Şifreli Giriş (docs/unblock-protocol.md): wrong security words in a
   * row that lock the route for that T.C. Kimlik No. */
  guint security_word_tries;
} EimzaSimConfig;

typedef struct {
  EimzaSimConfig config;
  EimzaSimRegistry *registry;
  EimzaSimSessionStore *sessions;
  EimzaGeo *geo;             /* the app's built-in data, never freed */
  GRand *rand;
  guint last_application_no;
  /* The NES site: its own sessions (cookie Path=/nb), the verification
   * codes, the anchors of --nes-client-ca, and its address once listening
   * (the .jnlp codebase). The e-onay state itself is in the registry. */
  EimzaSimSessionStore *nes_sessions;
  EimzaSimNesCodes *nes_codes;
  GBytes *nes_trust_pem;
  char *nes_base_url;
  /* The e-signed applications' codes (docs/portal-protocol.md), of portal
   * sessions; their signatures are checked against nes_trust_pem, so
   * without --nes-client-ca there are none. */
  EimzaSimNesCodes *esign_codes;
  /* POSTs each site has handled in the run (not those a fault answered
   * instead): GET /_sim/submissions, so that tests can tell a request
   * that arrived twice. */
  guint portal_posts;
  guint nes_posts;
  /* The NES site's Şifreli Giriş (docs/unblock-protocol.md), on a listener
   * of its own that asks for no client certificate: its sessions, the
   * wrong security words in a row of each T.C. Kimlik No (char * ->
   * GUINT_TO_POINTER), and its POSTs. */
  EimzaSimSessionStore *sifreli_sessions;
  GHashTable *security_word_failures;
  guint sifreli_posts;
} EimzaSimPortal;

/* Takes @registry and @rand over; copies @config. */
EimzaSimPortal *eimza_sim_portal_new                (const EimzaSimConfig *config,
                                                     EimzaSimRegistry     *registry,
                                                     GRand                *rand);
void            eimza_sim_portal_free               (EimzaSimPortal       *portal);

/* "YYYY-NNNNNN": this year, then a number that grows with each application
 * of the run. */
char           *eimza_sim_portal_new_application_no (EimzaSimPortal       *portal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimPortal, eimza_sim_portal_free)

G_END_DECLS
