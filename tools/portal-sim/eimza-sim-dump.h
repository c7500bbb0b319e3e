/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --dump-pages: one copy of each page, as inputs for the client's parser tests. */
#pragma once

#include <glib.h>

#include "eimza-sim-portal.h"

G_BEGIN_DECLS

/* Walks the whole flow in-process with a fixture person who has a previous
 * application and an active e-onay, and writes the pages into @dir; then
 * the NES site's pages (nes-*.html, nes-signer.jnlp). */
gboolean eimza_sim_dump_pages (EimzaSimPortal  *portal,
                               const char      *dir,
                               GError         **error);

G_END_DECLS
