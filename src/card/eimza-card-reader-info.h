/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An immutable snapshot of one card reader, as the card service saw it. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_CARD_READER_INFO (eimza_card_reader_info_get_type ())

/* Reference-counted and immutable, so the worker thread can make it and the
 * main thread can keep it. */
typedef struct _EimzaCardReaderInfo EimzaCardReaderInfo;

GType                eimza_card_reader_info_get_type      (void) G_GNUC_CONST;

/* @atr_hex and @card_type may be %NULL; @atr_hex is ignored without a card. */
EimzaCardReaderInfo *eimza_card_reader_info_new           (const char          *name,
                                                           gboolean             has_card,
                                                           const char          *atr_hex,
                                                           const char          *card_type);
EimzaCardReaderInfo *eimza_card_reader_info_ref           (EimzaCardReaderInfo *info);
void                 eimza_card_reader_info_unref         (EimzaCardReaderInfo *info);

/* The PC/SC reader name, e.g. "Virtual PCD 00 00". */
const char          *eimza_card_reader_info_get_name      (const EimzaCardReaderInfo *info);
gboolean             eimza_card_reader_info_has_card      (const EimzaCardReaderInfo *info);
/* Upper-case hex without separators; %NULL without a card, or when the card
 * does not answer (mute). */
const char          *eimza_card_reader_info_get_atr       (const EimzaCardReaderInfo *info);
/* The recognised card type (data/card/atr.tsv), or %NULL. */
const char          *eimza_card_reader_info_get_card_type (const EimzaCardReaderInfo *info);

gboolean             eimza_card_reader_info_equal         (const EimzaCardReaderInfo *a,
                                                           const EimzaCardReaderInfo *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaCardReaderInfo, eimza_card_reader_info_unref)

G_END_DECLS
