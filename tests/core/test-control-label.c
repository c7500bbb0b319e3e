/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for a control's label as instructions quote it. */
#include "config.h"

#include <glib.h>

#include "eimza-control-label.h"

static void
assert_text (const char *label,
             const char *expected)
{
  g_autofree char *text = eimza_control_label_for_text (label);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_mnemonic (void)
{
  assert_text ("_Continue", "Continue");
  assert_text ("C_ancel E-onay", "Cancel E-onay");
  assert_text ("E-_Onaylı Başvuru", "E-Onaylı Başvuru");
  assert_text ("_İmzala", "İmzala");
  assert_text ("Devam", "Devam");
  assert_text ("", "");
}

static void
test_double_underscore (void)
{
  assert_text ("snake__case", "snake_case");
  assert_text ("a__b_c", "a_bc");
  assert_text ("trailing_", "trailing");
}

static void
test_ellipsis (void)
{
  assert_text ("C_ancel E-onay\xe2\x80\xa6", "Cancel E-onay");
  assert_text ("PIN Oluştur / Kilidi Çöz\xe2\x80\xa6", "PIN Oluştur / Kilidi Çöz");
  assert_text ("_Open...", "Open");
  /* Only at the end: the words keep an ellipsis inside. */
  assert_text ("a\xe2\x80\xa6 b", "a\xe2\x80\xa6 b");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/control-label/mnemonic", test_mnemonic);
  g_test_add_func ("/control-label/double-underscore", test_double_underscore);
  g_test_add_func ("/control-label/ellipsis", test_ellipsis);

  return g_test_run ();
}
