/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card's certificates offered in a combo box, the one most likely wanted first. */
#include "config.h"

#include "eimza-certificate-choice.h"

/* Lower is offered first: expiry outweighs the key's use, which outweighs
 * qualification. */
static int
certificate_rank (EimzaCertificate *certificate)
{
  int rank = 0;

  if (eimza_certificate_is_expired (certificate, NULL))
    rank += 4;
  if (!eimza_certificate_is_signing (certificate))
    rank += 2;
  if (!eimza_certificate_is_qualified (certificate))
    rank += 1;

  return rank;
}

static int
compare_certificates (gconstpointer a,
                      gconstpointer b)
{
  return certificate_rank (*(EimzaCertificate **) a) - certificate_rank (*(EimzaCertificate **) b);
}

void
eimza_certificate_choice_sort (GPtrArray *certificates)
{
  g_return_if_fail (certificates != NULL);

  /* g_ptr_array_sort() is stable: the card's own order stays within a rank. */
  g_ptr_array_sort (certificates, compare_certificates);
}

int
eimza_certificate_choice_fill (GtkComboBoxText                 *combo,
                               GPtrArray                       *certificates,
                               EimzaCertificateChoiceLabelFunc  label,
                               const char                      *keep_uri)
{
  int active = -1;

  g_return_val_if_fail (GTK_IS_COMBO_BOX_TEXT (combo), -1);
  g_return_val_if_fail (certificates != NULL, -1);
  g_return_val_if_fail (label != NULL, -1);

  gtk_combo_box_text_remove_all (combo);
  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);
      g_autofree char *text = label (certificate);

      gtk_combo_box_text_append_text (combo, text);
      if (active < 0 && keep_uri != NULL &&
          g_strcmp0 (eimza_certificate_get_uri (certificate), keep_uri) == 0)
        active = (int) i;
    }

  if (active < 0 && certificates->len > 0)
    active = 0;

  return active;
}
