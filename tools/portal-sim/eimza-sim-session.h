/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Portal sessions: JSESSIONID, the current view state, expiry, progress. */
#pragma once

#include <glib.h>

#include "eimza-sim-faults.h"
#include "eimza-sim-registry.h"
#include "eimza-sim-sms.h"

G_BEGIN_DECLS

/* The pages in flow order; a session may visit those it has reached. */
typedef enum {
  EIMZA_SIM_STEP_LOGIN,
  EIMZA_SIM_STEP_FORM,
  EIMZA_SIM_STEP_SMS,
  EIMZA_SIM_STEP_METHOD,
  EIMZA_SIM_STEP_ESIGN,         /* the e-signed application's page */
  EIMZA_SIM_STEP_RESULT,
} EimzaSimStep;

/* A session's progress on the NES site (docs/eonay-protocol.md); such
 * sessions live in a store of their own. */
typedef struct {
  char *peer;                   /* SHA-256 of the client certificate it belongs to */
  char *tckn;                   /* the accepted T.C. Kimlik No */
  gboolean logged_in;           /* the login signature was accepted */
  char *code;                   /* the code the code page shows (normalised), or NULL */
  char *info;                   /* a bilgi-mesaji for the next page shown, or NULL */
  /* Şifreli Giriş (docs/unblock-protocol.md): T.C. Kimlik No, security
   * word and captcha accepted (tckn set, an SMS sent); the SMS code
   * accepted; the card's unblock code handed out. */
  gboolean word_accepted;
  gboolean sms_passed;
  gboolean unblock_given;
} EimzaSimNesState;

typedef struct {
  char *id;                     /* the JSESSIONID cookie value */
  gint64 last_seen_us;          /* monotonic */
  char *view_state;             /* of the page rendered last */
  char *captcha;                /* NULL once logged in */
  EimzaSimStep furthest;
  const EimzaSimPerson *person; /* owned by the registry; NULL before login */
  GHashTable *values;           /* form field name -> value last posted */
  char *mobile_phone;           /* ten digits, once the form is accepted */
  EimzaSimSms sms;
  char *esign_code;             /* the e-signed application's code (normalised), or NULL */
  char *application_no;         /* once the application is made */
  GQueue faults;                /* EimzaSimFaults as pointers, for next requests */
  EimzaSimNesState nes;         /* NES sessions only */
} EimzaSimSession;

typedef struct _EimzaSimSessionStore EimzaSimSessionStore;

/* @rand must outlive the store. */
EimzaSimSessionStore *eimza_sim_session_store_new    (GRand                *rand,
                                                      guint                 timeout_seconds);
void                  eimza_sim_session_store_free   (EimzaSimSessionStore *store);

EimzaSimSession      *eimza_sim_session_store_create (EimzaSimSessionStore *store,
                                                      gint64                now_us);
/* The live session with @id without counting as a request, or NULL. */
EimzaSimSession      *eimza_sim_session_store_peek   (EimzaSimSessionStore *store,
                                                      const char           *id,
                                                      gint64                now_us);
/* The live session with @id, which counts as a request (it restarts the
 * idle timeout); NULL if unknown or idle too long, in which case it is
 * dropped. */
EimzaSimSession      *eimza_sim_session_store_lookup (EimzaSimSessionStore *store,
                                                      const char           *id,
                                                      gint64                now_us);
/* Ends @session; the pointer is invalid afterwards. */
void                  eimza_sim_session_store_remove (EimzaSimSessionStore *store,
                                                      EimzaSimSession      *session);

/* A fresh token for the page about to be rendered; it replaces the old. */
const char           *eimza_sim_session_new_view_state (EimzaSimSessionStore *store,
                                                        EimzaSimSession      *session);
/* Whether @posted is the current view state. */
gboolean              eimza_sim_session_check_view_state (EimzaSimSession    *session,
                                                          const char         *posted);
/* Draws a new captcha text. */
void                  eimza_sim_session_new_captcha  (EimzaSimSessionStore *store,
                                                      EimzaSimSession      *session);
/* Back to the login page: what a new visit to it means. The queued faults
 * stay, since a test may queue them before logging in again. */
void                  eimza_sim_session_restart      (EimzaSimSession      *session);
/* Back to the NES site's T.C. Kimlik No form: logged out, no code. */
void                  eimza_sim_session_nes_restart  (EimzaSimSession      *session);
/* The next queued fault, or EIMZA_SIM_FAULT_NONE. */
EimzaSimFaults        eimza_sim_session_pop_fault    (EimzaSimSession      *session);
void                  eimza_sim_session_set_faults   (EimzaSimSession      *session,
                                                      GArray               *faults);

/* A random token for URLs (cache busting) and the like. */
char                 *eimza_sim_session_random_hex   (EimzaSimSessionStore *store,
                                                      guint                 n_bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimSessionStore, eimza_sim_session_store_free)

G_END_DECLS
