/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NES site's pages as server-rendered HTML, exactly as docs/eonay-protocol.md shows them. */
#pragma once

#include <glib.h>

#include "eimza-sim-pages.h"

G_BEGIN_DECLS

/* The signing steps; their names are the pages' data-islem values and
 * the signer's X-Imza-Islem header. APPLICATION is the application
 * portal's e-signed application (docs/portal-protocol.md), whose codes
 * are the portal's own. */
typedef enum {
  EIMZA_SIM_NES_PURPOSE_LOGIN,
  EIMZA_SIM_NES_PURPOSE_EONAY,
  EIMZA_SIM_NES_PURPOSE_APPLICATION,
} EimzaSimNesPurpose;

const char *eimza_sim_nes_purpose_name   (EimzaSimNesPurpose      purpose);

/* The T.C. Kimlik No form; @holder is the client certificate's common name,
 * @tckn what was typed (NULL: empty). */
GString    *eimza_sim_nes_page_login     (const char             *view_state,
                                          const char             *holder,
                                          const char             *tckn,
                                          const EimzaSimMessages *messages);
/* The verification code page; @display_code NULL shows no code (after the
 * deadline). */
GString    *eimza_sim_nes_page_code      (EimzaSimNesPurpose      purpose,
                                          const char             *display_code,
                                          guint                   seconds_left,
                                          guint                   time_limit,
                                          const EimzaSimMessages *messages);
GString    *eimza_sim_nes_page_menu      (const char             *tckn,
                                          const char             *name,
                                          const EimzaSimMessages *messages);
/* E-ONAY İŞLEMLERİ, with the consent form or, when @active, the
 * cancellation form. */
GString    *eimza_sim_nes_page_eonay     (const char             *view_state,
                                          gboolean                active,
                                          guint                   time_limit,
                                          const EimzaSimMessages *messages);
/* The signing application's descriptor, served from @codebase. */
GString    *eimza_sim_nes_jnlp           (const char             *codebase);

G_END_DECLS
