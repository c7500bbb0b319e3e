/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SMS approval step: codes, their lifetime, resend limit and attempts. */
#pragma once

#include <glib.h>

#include "eimza-sim-faults.h"

G_BEGIN_DECLS

/* One application's SMS state. Times are monotonic, in microseconds. */
typedef struct {
  char *code;       /* the last code sent, NULL before the first */
  gint64 sent_us;
  guint wrong_attempts;
} EimzaSimSms;

typedef struct {
  guint ttl_seconds;
  guint resend_seconds;
  guint max_attempts;
} EimzaSimSmsRules;

typedef enum {
  EIMZA_SIM_SMS_RIGHT,
  EIMZA_SIM_SMS_WRONG,
  EIMZA_SIM_SMS_EXPIRED,
  EIMZA_SIM_SMS_LOCKED,
} EimzaSimSmsResult;

void              eimza_sim_sms_clear          (EimzaSimSms            *sms);

/* Whole seconds (rounded up) before a new code may be sent; 0 = now. */
guint             eimza_sim_sms_resend_wait    (const EimzaSimSms      *sms,
                                                const EimzaSimSmsRules *rules,
                                                gint64                  now_us);
/* Draws and remembers a new six-digit code; returns it (owned by @sms). */
const char       *eimza_sim_sms_send           (EimzaSimSms            *sms,
                                                GRand                  *rand,
                                                gint64                  now_us);
guint             eimza_sim_sms_attempts_left  (const EimzaSimSms      *sms,
                                                const EimzaSimSmsRules *rules);
/* Checks a typed code. An expired code (or none sent yet) costs no
 * attempt; a wrong one does, and the last allowed wrong one locks.
 * @faults may force EIMZA_SIM_FAULT_SMS_EXPIRED or _SMS_LOCKED. */
EimzaSimSmsResult eimza_sim_sms_check          (EimzaSimSms            *sms,
                                                const EimzaSimSmsRules *rules,
                                                const char             *typed,
                                                EimzaSimFaults          faults,
                                                gint64                  now_us);

/* The SMS gateway: appends "TIMESTAMP PHONE CODE" to @path, where the demo
 * mode shows it. */
gboolean          eimza_sim_sms_gateway_log    (const char             *path,
                                                const char             *phone,
                                                const char             *code,
                                                GError                **error);

G_END_DECLS
