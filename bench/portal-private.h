/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/portal's parts: the state, the figures of one run, and what each part gives the others. */
#pragma once

#include <gio/gio.h>

#include "eimza-portal-profile.h"
#include "eimza-renewal-form.h"

#include "bench-relay.h"

G_BEGIN_DECLS

/* A flow takes a fraction of a second; anything near this is a hang. */
#define FLOW_GUARD_SECONDS 120

/* The steps of the flow, as EimzaPortalSession has them. */
typedef enum {
  STEP_OPEN,
  STEP_LOG_IN,
  STEP_SUBMIT_FORM,
  STEP_SEND_SMS,
  STEP_VERIFY_SMS,
  STEP_APPLY,
  N_STEPS
} Step;

typedef struct {
  gint64 total_us;
  gint64 step_us[N_STEPS]; /* -1 when the variant cannot tell */
  guint n_requests;
  guint n_connections;
  guint n_processes;
  BenchRelayCounts relay;  /* what went through the relay */
} Sample;

typedef struct {
  /* Options. */
  int runs;
  int parse_iterations;
  char *simulator;
  char *pages;
  char *curl;
  gboolean no_curl;
  gboolean no_flow;
  char *rtt_list;

  /* The simulator, and the curl of the one-process flow while it runs. */
  GSubprocess *sim;
  GSubprocess *curl_next;
  char *work_dir;
  char *tls_dir;
  char *captcha_log;
  char *sms_log;
  guint16 sim_port;
  char *url;  /* the relay's "https://127.0.0.1:PORT/", everybody's way in */
  char *base; /* the same without the final slash */
  char *ca_file;
  /* Between the flows and the simulator, for the current round trip. */
  BenchRelay *relay;

  EimzaPortalProfile *profile;

  /* The client's counters and settings for the current run. */
  gboolean new_connections;
  guint n_requests;
  guint n_connections;
  /* Request bodies of the client's warm-up run, to compare with curl's. */
  GPtrArray *client_bodies;
  gboolean logger_in_body;
} BenchPortal;

/* The one benchmark, in portal.c. */
extern BenchPortal bench;

/* portal.c: the clock, the exit on failure, and what a person reads or
 * types. */
gint64             now_us          (void);
G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
void               die             (const char *format,
                                    ...);
char              *read_captcha    (void);
char              *read_sms_code   (void);
EimzaRenewalForm  *person_form_new (void);

/* portal-client.c: the flow with EimzaPortalSession. */
void bench_run_client (Sample   *sample,
                       gboolean  new_connections,
                       gboolean  capture_bodies,
                       char    **out_captcha,
                       char    **out_sms_code);

/* portal-curl.c: the flow with curl, and the check of its form bodies. */
void        bench_run_curl             (Sample     *sample,
                                        gboolean    follow,
                                        GPtrArray  *bodies);
void        bench_make_fifos           (void);
void        bench_run_curl_one_process (Sample     *sample,
                                        GPtrArray  *bodies);
const char *bench_check_curl_bodies    (const char *captcha,
                                        const char *sms_code);

G_END_DECLS
