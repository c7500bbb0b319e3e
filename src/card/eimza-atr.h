/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recognising smart cards from their ATR (answer to reset). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Opaque and immutable once loaded, so it can be shared between threads. */
typedef struct _EimzaAtrTable EimzaAtrTable;

/* The table compiled into the card library (GResource
 * /io/github/eimza/Asistan/card/atr.tsv, from data/card/atr.tsv), parsed on
 * first use from any thread, shared and never freed. Unreadable data is a
 * broken build, so it aborts instead of returning NULL. */
EimzaAtrTable *eimza_atr_table_get_default    (void);

/* Parses the TSV format described at the top of data/card/atr.tsv. Errors
 * are %G_IO_ERROR_INVALID_DATA with the line number. */
EimzaAtrTable *eimza_atr_table_new_from_bytes (GBytes              *bytes,
                                               GError             **error);
void           eimza_atr_table_free           (EimzaAtrTable       *table);

guint          eimza_atr_table_get_n_entries  (const EimzaAtrTable *table);

/* The card type name of the first entry that matches @atr, owned by
 * @table, or %NULL when none does. */
const char    *eimza_atr_table_lookup         (const EimzaAtrTable *table,
                                               const guint8        *atr,
                                               gsize                atr_len);

/* The file name of the PKCS#11 module made for the card of the first
 * entry that matches @atr (e.g. "libakisp11.so" for AKİS cards), owned by
 * @table; %NULL when no entry matches or the entry names none. */
const char    *eimza_atr_table_lookup_module  (const EimzaAtrTable *table,
                                               const guint8        *atr,
                                               gsize                atr_len);

/* eimza_atr_table_lookup_module() on the default table, for an ATR in
 * hex as the card service reports it (%NULL: a mute card). */
const char    *eimza_atr_lookup_module_hex    (const char          *atr_hex);

/* eimza_atr_table_lookup() on the default table. */
const char    *eimza_atr_lookup               (const guint8        *atr,
                                               gsize                atr_len);

/* Finds the historical bytes of an ATR by walking its interface bytes
 * (ISO/IEC 7816-3, 8.2). Returns %FALSE for a malformed or truncated ATR.
 * *@hist points into @atr. */
gboolean       eimza_atr_get_historical_bytes (const guint8        *atr,
                                               gsize                atr_len,
                                               const guint8       **hist,
                                               gsize               *hist_len);

/* Upper-case hex without separators, e.g. "3B9513810180…", as shown to
 * people and passed in signals. */
char          *eimza_atr_to_hex               (const guint8        *atr,
                                               gsize                atr_len);

/* Parses hex with optional spaces or colons between bytes; %NULL (and
 * *@len 0) on anything else, or for an empty string. */
guint8        *eimza_atr_from_hex             (const char          *hex,
                                               gsize               *len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaAtrTable, eimza_atr_table_free)

G_END_DECLS
