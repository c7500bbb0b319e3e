/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Set-up shared by the tests that run the card service on the PIN policy module. */
#include "config.h"

#include "card-test-fixture.h"

static void
skip_without_tools (void)
{
  g_test_skip ("softhsm2, gnutls-bin or openssl is not installed");
}

/* The parent puts back the pristine token and runs the case again in a
 * subprocess, which does the work. */
static void
run_isolated_cb (gconstpointer data)
{
  const CardTestCase *test_case = data;

  if (!g_test_subprocess ())
    {
      softhsm_fixture_restore ();
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  if (test_case->data_func != NULL)
    test_case->data_func (test_case->data);
  else
    test_case->func ();
}

int
card_test_main (int                  argc,
                char               **argv,
                const char          *skip_path,
                const CardTestCase  *cases,
                gsize                n_cases)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  if (!softhsm_fixture_init ())
    {
      g_test_add_func (skip_path, skip_without_tools);
      return g_test_run ();
    }

  for (gsize i = 0; i < n_cases; i++)
    g_test_add_data_func (cases[i].path, &cases[i], run_isolated_cb);

  result = g_test_run ();
  softhsm_fixture_cleanup ();
  return result;
}

void
card_test_store_result_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
card_test_wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

void
card_test_open (const char         *label,
                EimzaCardService  **service,
                EimzaCertificate  **certificate)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  *service = eimza_card_service_new ();
  eimza_pkcs11_set_module_path (*service, softhsm_fixture_pin_policy_module ());
  eimza_pkcs11_list_certificates_async (*service, CARD_TEST_TOKEN_URI, NULL,
                                        card_test_store_result_cb, &result);
  certificates = eimza_pkcs11_list_certificates_finish (*service,
                                                        card_test_wait_for_result (&result),
                                                        &error);
  g_assert_no_error (error);
  for (guint i = 0; i < certificates->len; i++)
    if (g_strcmp0 (eimza_certificate_get_label (g_ptr_array_index (certificates, i)),
                   label) == 0)
      *certificate = g_object_ref (g_ptr_array_index (certificates, i));
  g_assert_nonnull (*certificate);
  g_assert_nonnull (eimza_certificate_get_key_uri (*certificate));
}

void
card_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
card_test_close (gpointer            client,
                 EimzaCardService  **service,
                 EimzaCertificate  **certificate)
{
  GObject **client_object = client;

  card_test_drain ();
  g_clear_object (certificate);
  g_object_add_weak_pointer (*client_object, (gpointer *) client_object);
  g_object_add_weak_pointer (G_OBJECT (*service), (gpointer *) service);
  g_object_unref (*client_object);
  g_object_unref (*service);
  g_assert_null (*client_object);
  g_assert_null (*service);
}
