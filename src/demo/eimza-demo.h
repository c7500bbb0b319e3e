/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The environment of `eimza-asistan --demo`: portal simulator and throwaway SoftHSM2 card. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EIMZA_DEMO_ERROR (eimza_demo_error_quark ())

/**
 * EimzaDemoError:
 * @EIMZA_DEMO_ERROR_NO_SIMULATOR: eimza-portal-sim was not found.
 * @EIMZA_DEMO_ERROR_SIMULATOR_FAILED: the simulator did not start (it
 *   exited, or said something else than where it listens).
 * @EIMZA_DEMO_ERROR_TIMED_OUT: the simulator did not say where it listens
 *   in time.
 * @EIMZA_DEMO_ERROR_FAILED: the private directory could not be made.
 * @EIMZA_DEMO_ERROR_INTERRUPTED: SIGINT, SIGTERM or SIGHUP came during the
 *   start; everything made so far has been removed.
 *
 * Why eimza_demo_start() failed. A missing or broken card is not an error:
 * the demo then runs without one (eimza_demo_get_card_problem()).
 * Messages are translated and meant for people.
 */
typedef enum
{
  EIMZA_DEMO_ERROR_NO_SIMULATOR,
  EIMZA_DEMO_ERROR_SIMULATOR_FAILED,
  EIMZA_DEMO_ERROR_TIMED_OUT,
  EIMZA_DEMO_ERROR_FAILED,
  EIMZA_DEMO_ERROR_INTERRUPTED,
} EimzaDemoError;

GQuark eimza_demo_error_quark (void);

#define EIMZA_TYPE_DEMO (eimza_demo_get_type ())

G_DECLARE_FINAL_TYPE (EimzaDemo, eimza_demo, EIMZA, DEMO, GObject)

EimzaDemo  *eimza_demo_start                (GError   **error);
void        eimza_demo_stop                 (EimzaDemo *self);

const char *eimza_demo_get_portal_url       (EimzaDemo *self);
const char *eimza_demo_get_nes_url          (EimzaDemo *self);
const char *eimza_demo_get_sifreli_url      (EimzaDemo *self);
const char *eimza_demo_get_ca_file          (EimzaDemo *self);
const char *eimza_demo_get_sms_log_file     (EimzaDemo *self);

const char *eimza_demo_get_card_problem     (EimzaDemo *self);
const char *eimza_demo_get_pkcs11_module    (EimzaDemo *self);
const char *eimza_demo_get_softhsm2_conf    (EimzaDemo *self);
const char *eimza_demo_get_token_label      (EimzaDemo *self);
const char *eimza_demo_get_pin              (EimzaDemo *self);
const char *eimza_demo_get_puk              (EimzaDemo *self);
const char *eimza_demo_get_security_word    (EimzaDemo *self);
const char *eimza_demo_get_pkcs11_target    (EimzaDemo *self);

const char *eimza_demo_get_tckn             (EimzaDemo *self);
const char *eimza_demo_get_given_name       (EimzaDemo *self);
const char *eimza_demo_get_surname          (EimzaDemo *self);
const char *eimza_demo_get_birth_place      (EimzaDemo *self);
const char *eimza_demo_get_birth_date       (EimzaDemo *self);

G_END_DECLS
