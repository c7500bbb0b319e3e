/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A control's label as an instruction names it ("_Continue" → "Continue"). */
#include "config.h"

#include <string.h>

#include "eimza-control-label.h"

#define ELLIPSIS "\xe2\x80\xa6"

/**
 * eimza_control_label_for_text:
 * @label: a button's or menu item's label, with its mnemonic underscore
 *
 * The words a person sees on the control: without the mnemonic
 * underscore ("__" stands for one underscore) and without the ellipsis
 * that only says "a dialog follows" ("C_ancel E-onay…" → "Cancel E-onay").
 * Instructions that name a button take the name from the button's own
 * translatable string through this, so that they cannot drift from it.
 *
 * Returns: (transfer full): the text to quote
 */
char *
eimza_control_label_for_text (const char *label)
{
  GString *text;

  g_return_val_if_fail (label != NULL, NULL);

  text = g_string_sized_new (strlen (label));
  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            g_string_append_c (text, *++p);
          continue;
        }
      g_string_append_c (text, *p);
    }

  if (g_str_has_suffix (text->str, ELLIPSIS))
    g_string_truncate (text, text->len - strlen (ELLIPSIS));
  if (g_str_has_suffix (text->str, "..."))
    g_string_truncate (text, text->len - strlen ("..."));

  return g_string_free (text, FALSE);
}
