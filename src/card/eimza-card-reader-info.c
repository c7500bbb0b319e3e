/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An immutable snapshot of one card reader, as the card service saw it. */
#include "config.h"

#include "eimza-card-reader-info.h"

struct _EimzaCardReaderInfo {
  char *name;
  gboolean has_card;
  char *atr;
  char *card_type;
};

G_DEFINE_BOXED_TYPE (EimzaCardReaderInfo, eimza_card_reader_info,
                     eimza_card_reader_info_ref, eimza_card_reader_info_unref)

EimzaCardReaderInfo *
eimza_card_reader_info_new (const char *name,
                            gboolean    has_card,
                            const char *atr_hex,
                            const char *card_type)
{
  EimzaCardReaderInfo *info;

  g_return_val_if_fail (name != NULL, NULL);

  info = g_atomic_rc_box_new0 (EimzaCardReaderInfo);
  info->name = g_strdup (name);
  info->has_card = has_card;
  if (has_card)
    {
      info->atr = g_strdup (atr_hex);
      info->card_type = g_strdup (card_type);
    }

  return info;
}

EimzaCardReaderInfo *
eimza_card_reader_info_ref (EimzaCardReaderInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return g_atomic_rc_box_acquire (info);
}

static void
reader_info_clear (gpointer data)
{
  EimzaCardReaderInfo *info = data;

  g_free (info->name);
  g_free (info->atr);
  g_free (info->card_type);
}

void
eimza_card_reader_info_unref (EimzaCardReaderInfo *info)
{
  g_return_if_fail (info != NULL);

  g_atomic_rc_box_release_full (info, reader_info_clear);
}

const char *
eimza_card_reader_info_get_name (const EimzaCardReaderInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return info->name;
}

gboolean
eimza_card_reader_info_has_card (const EimzaCardReaderInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);

  return info->has_card;
}

const char *
eimza_card_reader_info_get_atr (const EimzaCardReaderInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return info->atr;
}

const char *
eimza_card_reader_info_get_card_type (const EimzaCardReaderInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return info->card_type;
}

gboolean
eimza_card_reader_info_equal (const EimzaCardReaderInfo *a,
                              const EimzaCardReaderInfo *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return g_str_equal (a->name, b->name) &&
         a->has_card == b->has_card &&
         g_strcmp0 (a->atr, b->atr) == 0 &&
         g_strcmp0 (a->card_type, b->card_type) == 0;
}
