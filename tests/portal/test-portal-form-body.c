/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the portal clients' form bodies: encoding, sizing once, wiping. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "eimza-portal-form-body.h"

typedef struct {
  guint n_releases;
  gsize capacity;
  gboolean all_zero;
} Release;

static void
release_cb (const guint8 *data,
            gsize         capacity,
            gpointer      user_data)
{
  Release *release = user_data;

  release->n_releases++;
  release->capacity = capacity;
  release->all_zero = TRUE;
  for (gsize i = 0; i < capacity; i++)
    release->all_zero &= data[i] == 0;
}

/* What browsers send: unreserved bytes as they are, spaces as "+", every
 * other byte of the UTF-8 as %XX. */
static void
test_encoding (void)
{
  g_autoptr(EimzaPortalFormBody) body = eimza_portal_form_body_new ();
  g_autoptr(EimzaWipedBuffer) buffer = NULL;
  static const char expected[] =
    "javax.faces.ViewState=-123%3A456&tcKimlikNo=10000000382&ad=I%C5%9F%C4%B1l+G%C3%BCl"
    "&guvenlikSozcugu=a%26b%3Dc%2Bd%25*_.-&bos=&girisButonu=Giri%C5%9F";

  eimza_portal_form_body_add (body, "javax.faces.ViewState", "-123:456");
  eimza_portal_form_body_add (body, "tcKimlikNo", "10000000382");
  eimza_portal_form_body_add (body, "ad", "Işıl Gül");
  eimza_portal_form_body_add (body, "guvenlikSozcugu", "a&b=c+d%*_.-");
  eimza_portal_form_body_add (body, "bos", NULL);
  eimza_portal_form_body_add (body, "girisButonu", "Giriş");
  buffer = eimza_portal_form_body_end (g_steal_pointer (&body));

  g_assert_cmpmem (eimza_wiped_buffer_get_data (buffer), eimza_wiped_buffer_get_length (buffer),
                   expected, strlen (expected));
}

/* The body is written once into a buffer of exactly its size: nothing was
 * allocated bigger and copied over (a GString's doubling would leave the
 * smaller blocks, with the identity number in them, unwiped). */
static void
test_sized_once (void)
{
  g_autoptr(EimzaPortalFormBody) body = eimza_portal_form_body_new ();
  g_autoptr(EimzaWipedBuffer) buffer = NULL;
  g_autoptr(GString) long_value = g_string_new (NULL);

  /* Long enough that any growing buffer would have had to grow. */
  for (guint i = 0; i < 500; i++)
    g_string_append (long_value, "Okul Sokağı No: 3 & 5 <B Blok> ");
  eimza_portal_form_body_add (body, "tcKimlikNo", "10000000382");
  eimza_portal_form_body_add (body, "adres", long_value->str);
  buffer = eimza_portal_form_body_end (g_steal_pointer (&body));

  g_assert_cmpuint (eimza_wiped_buffer_get_length (buffer), >, 4 * long_value->len / 3);
  g_assert_cmpuint (eimza_wiped_buffer_get_capacity (buffer), ==,
                    eimza_wiped_buffer_get_length (buffer));
}

/* Whoever frees the body (libsoup, through the GBytes) wipes all of it. */
static void
test_wiped_on_free (void)
{
  g_autoptr(EimzaPortalFormBody) body = eimza_portal_form_body_new ();
  EimzaWipedBuffer *buffer;
  Release release = { 0 };
  GBytes *bytes;
  gsize length;

  eimza_portal_form_body_add (body, "smsKodu", "482913");
  buffer = eimza_portal_form_body_end (g_steal_pointer (&body));
  length = eimza_wiped_buffer_get_length (buffer);
  eimza_wiped_buffer_set_release_func (buffer, release_cb, &release);

  bytes = eimza_wiped_buffer_free_to_bytes (buffer);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "smsKodu=482913", 14);
  g_assert_cmpuint (release.n_releases, ==, 0);

  g_bytes_unref (bytes);
  g_assert_cmpuint (release.n_releases, ==, 1);
  g_assert_cmpuint (release.capacity, ==, length);
  g_assert_true (release.all_zero);
}

/* A buffer never grows: what does not fit is refused, not reallocated. */
static void
test_buffer_never_grows (void)
{
  g_autoptr(EimzaWipedBuffer) buffer = eimza_wiped_buffer_new (4);
  const guint8 *data = eimza_wiped_buffer_get_data (buffer);

  g_assert_true (eimza_wiped_buffer_append (buffer, "1000", 4));
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*size <= self->capacity*");
  g_assert_false (eimza_wiped_buffer_append_c (buffer, '0'));
  g_test_assert_expected_messages ();

  g_assert_true (eimza_wiped_buffer_get_data (buffer) == data);
  g_assert_cmpuint (eimza_wiped_buffer_get_capacity (buffer), ==, 4);
  g_assert_cmpmem (data, eimza_wiped_buffer_get_length (buffer), "1000", 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portal/form-body/encoding", test_encoding);
  g_test_add_func ("/portal/form-body/sized-once", test_sized_once);
  g_test_add_func ("/portal/form-body/wiped-on-free", test_wiped_on_free);
  g_test_add_func ("/portal/form-body/buffer-never-grows", test_buffer_never_grows);

  return g_test_run ();
}
