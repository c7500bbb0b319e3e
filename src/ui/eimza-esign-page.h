/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 4, with the card: the e-signed application ("E-İmzalı Başvuru"). */
#pragma once

#include <gtk/gtk.h>

#include "eimza-card-service.h"
#include "eimza-portal-session.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_ESIGN_PAGE (eimza_esign_page_get_type ())

G_DECLARE_FINAL_TYPE (EimzaEsignPage, eimza_esign_page, EIMZA, ESIGN_PAGE, GtkBox)

/**
 * EimzaEsignPage:
 *
 * Asks @session's portal for the application to sign, shows what the
 * portal holds about it and the commitment, has the person sign it with
 * the card (an #EimzaSignStep limited to the applicant's certificates) and
 * uploads the signature once. After an upload whose fate is unknown (a
 * time-out, a broken connection, Cancel) it asks the portal whether the
 * application arrived before anything else.
 *
 * Signals:
 * - "applied" (const char *number): the portal made the application.
 * - "session-ended" (GError *error): the portal session ended; sign in
 *   again.
 * - "back" (): the person wants to choose another way to sign (the portal
 *   does not take e-signed applications now, or they chose to go back).
 */

/* Starts over: a new document from the portal, signed with a card of
 * @service (nullable: none yet); @tckn is the applicant's T.C. Kimlik No,
 * whose certificates alone are offered. */
void eimza_esign_page_start (EimzaEsignPage     *self,
                             EimzaCardService   *service,
                             EimzaPortalSession *session,
                             const char         *tckn);

/* The page is no longer shown: its request and signature stop. */
void eimza_esign_page_leave (EimzaEsignPage     *self);

G_END_DECLS
