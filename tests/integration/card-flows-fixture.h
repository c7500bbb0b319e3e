/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card flows' test bed: pcscd with vicc, the card service, the simulator, the NES site and portal steps. */
#pragma once

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "eimza-cades.h"
#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-nes-client.h"
#include "eimza-pkcs11.h"
#include "eimza-portal-error.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-session.h"
#include "eimza-portal-session-private.h"
#include "eimza-secret.h"
#include "pcsc-testbed.h"
#include "softhsm-fixture.h"

/*
 * One process and the default main context, as in the app: a real pcscd
 * with vpcd's readers and the real `vicc` card (tests/card/pcsc-testbed.h),
 * one EimzaCardService that does every signature on its worker thread
 * (eimza_cades_sign_async()), and one simulator with --nes-client-ca and
 * --signature-log. The token is SoftHSM2 (tests/card/softhsm-setup.sh with
 * EIMZA_SOFTHSM_SECOND_PERSON=1): the certificates of 10000000146 (Ayşe Gül
 * Yılmaz in the simulator's fixtures, e-onay active) and 10000000214
 * (Mehmet Çağrı Öztürk). The vicc card stands for the card's presence in
 * the reader, which is what the app gates signing on
 * (eimza_card_service_check_ready()); the keys are on SoftHSM2.
 *
 * The cases share that state and run in the order they are added; the
 * last one checks every signature the simulator accepted with
 * `openssl cms -verify`, and that it accepted exactly the uploads the
 * cases counted. The signing deadline is the simulator's default (120 s).
 */

#define WRONG_PIN SOFTHSM_WRONG_PIN
#define AYSE_TCKN "10000000146"
#define AYSE_LABEL AYSE_TCKN "NES0"     /* RSA-2048 */
#define MEHMET_TCKN "10000000214"
#define MEHMET_LABEL MEHMET_TCKN "NES0" /* ECDSA P-256 */
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define TOKEN_URI "pkcs11:model=SoftHSM%20v2;token=EIMZA%20TEST"
#define POLICY_TOKEN_URI "pkcs11:model=" PIN_POLICY_MODEL ";token=EIMZA%20TEST"
#define VICC_ATR "3B951381018073FF01000B"
/* vicc starts in ~0.3 s and pcscd polls vpcd every 400 ms. */
#define CARD_EVENT_BOUND_MS 5000
/* Any one call; generous, as the machine may be busy building. */
#define CALL_BOUND_MS 60000
#define HTTP_TIMEOUT 15

/* ------------------------------------------------------------------------
 * A PIN interaction for the TLS login: the PIN once, and a refusal (never
 * UNHANDLED) when the card says it was wrong.
 * ------------------------------------------------------------------------ */

#define TEST_TYPE_PIN_INTERACTION (test_pin_interaction_get_type ())

G_DECLARE_FINAL_TYPE (TestPinInteraction, test_pin_interaction, TEST, PIN_INTERACTION,
                      GTlsInteraction)

struct _TestPinInteraction
{
  GTlsInteraction parent_instance;

  guint n_asks;
};

/* ------------------------------------------------------------------------
 * The shared state.
 * ------------------------------------------------------------------------ */

/* A signature the simulator accepted, with the bytes it signs. */
typedef struct {
  GBytes *content;
  GBytes *cms;
} Accepted;

/* What the cases share: they run in the order they are added. */
typedef struct {
  char *skip_reason;
  GMainLoop *loop;

  PcscTestbed *testbed;
  GSubprocess *vicc;
  EimzaCardService *service;
  guint n_inserted;
  guint n_removed;
  char *inserted_atr;

  /* (element-type EimzaCertificate): the SoftHSM2 token's. */
  GPtrArray *certificates;

  GSubprocess *simulator;
  char *sim_tls_dir;
  char *signature_log;
  char *portal_url;
  char *ca_file;
  char *nes_url;
  EimzaPortalProfile *profile;
  TestPinInteraction *interaction;

  /* (element-type Accepted) */
  GPtrArray *accepted;
} CardFlowsBed;

typedef gboolean (*DoneFunc) (gconstpointer data);

/* card-flows-fixture.c: the shared state, waits, the card service, the simulator and both sites. */
void accepted_free (gpointer data);
extern CardFlowsBed bed;
gboolean stack_ready (void);
void set_skip_reason (const char *reason);
gboolean run_until (DoneFunc      done,
                    gconstpointer data,
                    guint         bound_ms);
void store_result_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data);
GAsyncResult *wait_result (GAsyncResult **slot);
void card_inserted_cb (EimzaCardService *service,
                       const char       *reader,
                       const char       *atr,
                       gpointer          user_data);
void card_removed_cb (EimzaCardService *service,
                      const char       *reader,
                      gpointer          user_data);
void state_notify_cb (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data);
gboolean service_is_ready (gconstpointer data);
gint64 insert_vicc (void);
gboolean removed_since (gconstpointer data);
EimzaCertificate *certificate_by_label (GPtrArray  *certificates,
                                        const char *label);
GPtrArray *list_certificates (const char *token_uri);
EimzaPkcs11Token *lookup_token (EimzaCertificate *certificate);
GBytes *card_sign (EimzaCertificate  *certificate,
                   GBytes            *content,
                   const char        *pin_text,
                   EimzaCadesFlags    flags,
                   GError           **error);
GBytes *card_sign_ok (EimzaCertificate *certificate,
                      GBytes           *content);
void start_simulator (void);
void stop_simulator (void);
EimzaNesClient *new_nes_client (EimzaCertificate *certificate);
char *eonay_log_in (EimzaNesClient *session,
                    const char     *tckn);
EimzaEonaySignData *eonay_fetch (EimzaNesClient    *session,
                                 const char        *code,
                                 EimzaEonayPurpose  purpose);
gboolean eonay_upload (EimzaNesClient  *session,
                       const char      *code,
                       GBytes          *content,
                       GBytes          *cms,
                       GError         **error);
GBytes *eonay_sign_step (EimzaNesClient    *session,
                         const char        *code,
                         EimzaEonayPurpose  purpose,
                         EimzaCertificate  *certificate);
EimzaEonayStatus *eonay_open (EimzaNesClient *session);
gboolean eonay_is_active (EimzaNesClient *session);
void nes_client_free (EimzaNesClient *session);
char *sim_request (EimzaPortalSession *portal,
                   const char         *method,
                   const char         *path,
                   const char         *body);
EimzaPortalSession *portal_at_method_page (gboolean *out_eonay);
EimzaPortalSignDocument *portal_begin_esigned (EimzaPortalSession *portal);
char *portal_upload (EimzaPortalSession  *portal,
                     GBytes              *content,
                     GBytes              *cms,
                     GError             **error);
void portal_session_free (EimzaPortalSession *portal);

typedef EimzaNesClient EimzaNesClientOwned;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaNesClientOwned, nes_client_free)

typedef EimzaPortalSession EimzaPortalSessionOwned;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPortalSessionOwned, portal_session_free)
