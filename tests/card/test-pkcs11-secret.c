/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the secure PIN buffer. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "eimza-secret.h"

static void
test_secret_value (void)
{
  g_autoptr(EimzaSecret) secret = eimza_secret_new ("123456", -1);
  gsize length = 0;

  g_assert_cmpstr (eimza_secret_get (secret, &length), ==, "123456");
  g_assert_cmpuint (length, ==, 6);
  g_assert_cmpuint (eimza_secret_get_length (secret), ==, 6);
  g_assert_false (eimza_secret_is_empty (secret));
  g_assert_cmpint (eimza_secret_get (secret, NULL)[6], ==, '\0');
}

static void
test_secret_explicit_length (void)
{
  g_autoptr(EimzaSecret) secret = eimza_secret_new ("123456789", 4);

  g_assert_cmpstr (eimza_secret_get (secret, NULL), ==, "1234");
  g_assert_cmpuint (eimza_secret_get_length (secret), ==, 4);
}

static void
test_secret_empty (void)
{
  g_autoptr(EimzaSecret) empty = eimza_secret_new ("", 0);
  g_autoptr(EimzaSecret) null = eimza_secret_new (NULL, 0);

  g_assert_true (eimza_secret_is_empty (empty));
  g_assert_true (eimza_secret_is_empty (null));
  g_assert_true (eimza_secret_is_empty (NULL));
  g_assert_cmpstr (eimza_secret_get (null, NULL), ==, "");
}

static void
test_secret_own_page (void)
{
  g_autoptr(EimzaSecret) a = eimza_secret_new ("111111", -1);
  g_autoptr(EimzaSecret) b = eimza_secret_new ("222222", -1);
  gsize page = (gsize) sysconf (_SC_PAGESIZE);

  /* Each secret sits in a page of its own, so that unlocking one never
   * unlocks another and nothing else on the page can leak it. */
  g_assert_cmpuint ((guintptr) a % page, ==, 0);
  g_assert_cmpuint ((guintptr) b % page, ==, 0);
  g_assert_true ((gpointer) a != (gpointer) b);

  if (!eimza_secret_is_locked (a))
    g_test_message ("mlock() not permitted here; the secret is still usable");
}

static gpointer
ref_unref_thread (gpointer data)
{
  EimzaSecret *secret = data;

  for (guint i = 0; i < 10000; i++)
    eimza_secret_unref (eimza_secret_ref (secret));

  return NULL;
}

static void
test_secret_threads (void)
{
  g_autoptr(EimzaSecret) secret = eimza_secret_new ("123456", -1);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("secret", ref_unref_thread, secret);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpstr (eimza_secret_get (secret, NULL), ==, "123456");
}

static void
test_secret_boxed (void)
{
  g_autoptr(EimzaSecret) secret = eimza_secret_new ("123456", -1);
  EimzaSecret *copy = g_boxed_copy (EIMZA_TYPE_SECRET, secret);

  g_assert_true (copy == secret);
  g_boxed_free (EIMZA_TYPE_SECRET, copy);
  g_assert_cmpstr (eimza_secret_get (secret, NULL), ==, "123456");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pkcs11/secret/value", test_secret_value);
  g_test_add_func ("/pkcs11/secret/explicit-length", test_secret_explicit_length);
  g_test_add_func ("/pkcs11/secret/empty", test_secret_empty);
  g_test_add_func ("/pkcs11/secret/own-page", test_secret_own_page);
  g_test_add_func ("/pkcs11/secret/threads", test_secret_threads);
  g_test_add_func ("/pkcs11/secret/boxed", test_secret_boxed);

  return g_test_run ();
}
