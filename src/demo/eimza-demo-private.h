/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the demo's parts share: its fields, the start's interruptible waits. */
#pragma once

#include "eimza-demo.h"
#include "eimza-demo-process.h"

G_BEGIN_DECLS

struct _EimzaDemo
{
  GObject parent_instance;

  char *dir;                     /* the private directory; NULL once removed */
  /* Only during eimza_demo_start(): every wait runs on this context, which
   * also watches SIGINT, SIGTERM and SIGHUP, so that a demo stopped while
   * it starts still removes what it made. */
  GMainContext *start_context;
  GSource *signal_sources[3];
  GCancellable *wait_cancellable; /* the wait in progress, cancelled by a signal */
  gboolean interrupted;
  GSubprocess *simulator;
  GInputStream *simulator_stdout;
  GCancellable *cancellable;     /* the reading of the simulator's stdout */

  char *portal_url;
  char *nes_url;                 /* NULL without a card */
  char *sifreli_url;             /* Şifreli Giriş; NULL without a card */
  char *ca_file;
  char *sms_log_file;

  char *card_problem;            /* NULL when the card was made */
  char *pkcs11_module;
  char *pkcs11_target;           /* SoftHSM2 behind the demo card module; NULL: none */
  char *softhsm2_copy;           /* the card's copy of libsofthsm2.so, until taken */
  char *softhsm2_conf;
  char *token_label;
  char *pin;
  char *puk;                     /* the unblock code (the token's SO PIN) */
  char *security_word;           /* the demo person's, for Şifreli Giriş */

  char *tckn;
  char *given_name;
  char *surname;
  char *birth_place;
  char *birth_date;
};

/* eimza-demo.c */
void     eimza_demo_start_wait_begin (EimzaDemo     *self,
                                      EimzaDemoWait *wait,
                                      guint          timeout_ms);
void     eimza_demo_start_wait_end   (EimzaDemo     *self,
                                      EimzaDemoWait *wait);
void     eimza_demo_wipe_free        (char          *secret);

/* eimza-demo-card-maker.c */
void     eimza_demo_make_card        (EimzaDemo     *self);

/* eimza-demo-simulator.c */
gboolean eimza_demo_start_simulator  (EimzaDemo     *self,
                                      GError       **error);

G_END_DECLS
