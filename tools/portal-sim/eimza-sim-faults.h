/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's fault modes: their names and what they do to a page body. */
#pragma once

#include <glib.h>

#include "eimza-sim-reply.h"

G_BEGIN_DECLS

/* Bit flags, so that the faults of the whole run and the one queued for a
 * request can be combined. */
typedef enum {
  EIMZA_SIM_FAULT_NONE            = 0,
  EIMZA_SIM_FAULT_SLOW            = 1 << 0,
  EIMZA_SIM_FAULT_HTTP_500        = 1 << 1,
  EIMZA_SIM_FAULT_HTTP_503        = 1 << 2,
  EIMZA_SIM_FAULT_RESET           = 1 << 3,
  EIMZA_SIM_FAULT_TRUNCATED       = 1 << 4,
  EIMZA_SIM_FAULT_MALFORMED       = 1 << 5,
  EIMZA_SIM_FAULT_REDESIGNED      = 1 << 6,
  EIMZA_SIM_FAULT_EXPIRE_SESSION  = 1 << 7,
  EIMZA_SIM_FAULT_WRONG_CAPTCHA   = 1 << 8,
  EIMZA_SIM_FAULT_MERNIS_MISMATCH = 1 << 9,
  EIMZA_SIM_FAULT_SMS_EXPIRED     = 1 << 10,
  EIMZA_SIM_FAULT_SMS_LOCKED      = 1 << 11,
  /* The NES site's (docs/eonay-protocol.md). */
  EIMZA_SIM_FAULT_CODE_EXPIRED       = 1 << 12,
  EIMZA_SIM_FAULT_SIGNATURE_REPLAYED = 1 << 13,
  EIMZA_SIM_FAULT_SIGNER_MISMATCH    = 1 << 14,
  EIMZA_SIM_FAULT_CONTENT_MISMATCH   = 1 << 15,
  EIMZA_SIM_FAULT_SLOW_UPLOAD        = 1 << 16,
  /* Handles the request, then answers a byte at a time. */
  EIMZA_SIM_FAULT_SLOW_DRIP          = 1 << 17,
  /* What the signer hands out to sign (the NES site's and the e-signed
   * application's), and the login page's captcha. */
  EIMZA_SIM_FAULT_BIDI               = 1 << 18,
  EIMZA_SIM_FAULT_BINARY             = 1 << 19,
  EIMZA_SIM_FAULT_HUGE_CAPTCHA       = 1 << 20,
  /* Handles the request, then closes the connection (with a TLS
   * close_notify) before a byte of the answer: a POST arrived, its answer
   * is lost, as when a server closes a kept-alive connection just as a
   * request comes in. */
  EIMZA_SIM_FAULT_CLOSE_AFTER_POST   = 1 << 21,
  /* Şifreli Giriş's unblock step (docs/unblock-protocol.md): the site
   * refuses to hand out the card's unblock code. */
  EIMZA_SIM_FAULT_UNBLOCK_REFUSED    = 1 << 22,
} EimzaSimFaults;

#define EIMZA_SIM_FAULT_ERROR (eimza_sim_fault_error_quark ())

/**
 * EimzaSimFaultError:
 * @EIMZA_SIM_FAULT_ERROR_UNKNOWN: a fault name that is not in the table.
 */
typedef enum {
  EIMZA_SIM_FAULT_ERROR_UNKNOWN,
} EimzaSimFaultError;

GQuark   eimza_sim_fault_error_quark (void);

/* One name of the contract's table ("http-503"), surrounding white space
 * ignored. */
gboolean eimza_sim_fault_from_name   (const char      *name,
                                      EimzaSimFaults  *out_fault,
                                      GError         **error);
/* "mode[,mode…]" into @out_list (one EimzaSimFaults per element, in order);
 * an empty text is an empty list. Nothing is returned on error. */
gboolean eimza_sim_faults_parse_list (const char      *text,
                                      GArray         **out_list,
                                      GError         **error);
/* Space-separated names of the faults in @faults, for the request log. */
char    *eimza_sim_faults_to_string  (EimzaSimFaults   faults);

/* Cuts the body half-way, on a character boundary, keeping a correct
 * Content-Length: a complete response with half a page. */
void     eimza_sim_faults_truncate   (EimzaSimReply   *reply);
/* Makes the markup not well-formed: closing tags dropped, junk bytes in. */
void     eimza_sim_faults_malform    (EimzaSimReply   *reply);

/* The text to sign with a line after its first that reads one way and is
 * another: a right-to-left override, isolates and zero-width characters. */
GBytes  *eimza_sim_faults_bidi_text  (GBytes          *text);
/* The text to sign behind bytes that are not text: a DER header, a NUL and
 * bytes that are not UTF-8. */
GBytes  *eimza_sim_faults_binary_data (GBytes         *text);

G_END_DECLS
