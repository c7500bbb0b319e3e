/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The page for a .jnlp opened with the assistant: Kamu SM's signer done natively, or why not. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-app-config.h"
#include "eimza-card-service.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_JNLP_PAGE (eimza_jnlp_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaJnlpPage, eimza_jnlp_page, EIMZA, JNLP_PAGE, GtkBin)

/**
 * EimzaJnlpPage:
 *
 * Reads a .jnlp file (bounded, off the main thread), parses it with
 * #EimzaJnlp and recognises it with the portal profile its #EimzaAppConfig
 * names. A Kamu SM signing application: the page asks for
 * the verification code the web site shows, fetches the data to sign from
 * the descriptor's codebase, signs it with #EimzaSignStep and uploads the
 * signature; the web site then continues in the browser. Anything else
 * (unknown, malformed, hostile, too large, not https) gets a plain
 * explanation; nothing is ever run or downloaded.
 *
 * Signals: "done" () — the person is finished with the page.
 */

/* Shows @file, signing with a card of @service (nullable: none) for the
 * site @config names. While a signing is in progress (a code typed, the
 * signing step, a request), asks the person first and keeps the current
 * one if they say so. */
void      eimza_jnlp_page_open           (EimzaJnlpPage    *self,
                                          EimzaCardService *service,
                                          EimzaAppConfig   *config,
                                          GFile            *file);

/* Whether leaving the page now would drop a signing in progress. */
gboolean  eimza_jnlp_page_is_in_progress (EimzaJnlpPage    *self);

G_END_DECLS
