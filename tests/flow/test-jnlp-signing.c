/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaJnlpSigning without a display: reading and recognising a .jnlp, the code step. */
#include "config.h"

#include "eimza-jnlp-signing.h"

static GFile *
sample (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "portal", "jnlp", name, NULL);

  return g_file_new_for_path (path);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static EimzaJnlpSigning *
new_signing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaPortalProfile) profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR,
                                                                    &error);

  g_assert_no_error (error);
  return eimza_jnlp_signing_new (profile, NULL, NULL, NULL);
}

static gboolean
load (EimzaJnlpSigning  *signing,
      const char        *name,
      GError           **error)
{
  g_autoptr(GFile) file = sample (name);
  g_autoptr(GAsyncResult) result = NULL;

  eimza_jnlp_signing_load_async (signing, file, NULL, store_result_cb, &result);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_READING);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return eimza_jnlp_signing_load_finish (signing, result, error);
}

static void
test_load_signer (void)
{
  g_autoptr(EimzaJnlpSigning) signing = new_signing ();
  g_autoptr(GError) error = NULL;

  g_assert_true (load (signing, "simulator-signer.jnlp", &error));
  g_assert_no_error (error);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_CODE);
  g_assert_nonnull (eimza_jnlp_signing_get_jnlp (signing));
  g_assert_null (eimza_jnlp_signing_get_error (signing));
  g_assert_false (eimza_jnlp_signing_is_in_progress (signing));

  eimza_jnlp_signing_reset (signing);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_EMPTY);
  g_assert_null (eimza_jnlp_signing_get_jnlp (signing));
  g_assert_null (eimza_jnlp_signing_get_file (signing));
}

static void
test_load_unknown (void)
{
  g_autoptr(EimzaJnlpSigning) signing = new_signing ();
  g_autoptr(GError) error = NULL;

  g_assert_false (load (signing, "unknown-class.jnlp", &error));
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_UNKNOWN_APP);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_PROBLEM);
  g_assert_true (g_error_matches (eimza_jnlp_signing_get_error (signing), EIMZA_JNLP_ERROR,
                                  EIMZA_JNLP_ERROR_UNKNOWN_APP));
  g_clear_error (&error);

  g_assert_false (load (signing, "malformed.jnlp", &error));
  g_assert_true (error->domain == EIMZA_JNLP_ERROR);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_PROBLEM);
}

static void
test_code_malformed (void)
{
  g_autoptr(EimzaJnlpSigning) signing = new_signing ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (load (signing, "simulator-signer.jnlp", &error));
  eimza_jnlp_signing_fetch_async (signing, "K7QM-", NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (eimza_jnlp_signing_fetch_finish (signing, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_CODE);
  g_clear_object (&result);
  g_clear_error (&error);

  /* Uploading before anything was fetched is not a step of this state. */
  eimza_jnlp_signing_upload_async (signing, NULL, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (eimza_jnlp_signing_upload_finish (signing, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpint (eimza_jnlp_signing_get_state (signing), ==, EIMZA_JNLP_SIGNING_STATE_CODE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flow/jnlp-signing/load/signer", test_load_signer);
  g_test_add_func ("/flow/jnlp-signing/load/unknown", test_load_unknown);
  g_test_add_func ("/flow/jnlp-signing/code/malformed", test_code_malformed);

  return g_test_run ();
}
