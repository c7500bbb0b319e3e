/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the page parser, on saved portal pages and on broken ones. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "eimza-portal-error.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile.h"

static EimzaPortalProfile *simulator_profile;
static EimzaPortalProfile *kamusm_profile;

static GBytes *
read_test_file (const char *dir,
                const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* The simulator's own pages are read where it dumps them, not copied
 * here; pages/ holds the hand-made variants ("handmade-*.html"). */
#define SAMPLE_PAGES "../../tools/portal-sim/sample-pages"

/* A page of the simulator's application portal (the others in its sample
 * pages are the NES site's and the fault pages, tested as broken). */
static gboolean
is_portal_sample_page (const char *name)
{
  return g_str_has_suffix (name, ".html") && !g_str_has_prefix (name, "nes-") &&
         strcmp (name, "malformed.html") != 0 && strcmp (name, "redesigned.html") != 0 &&
         strcmp (name, "truncated.html") != 0;
}

static GBytes *
read_page (const char *name)
{
  return read_test_file (g_str_has_prefix (name, "handmade-") ? "pages" : SAMPLE_PAGES, name);
}

static EimzaPortalWebPage *
parse_page (const char *name)
{
  g_autoptr(GBytes) bytes = read_page (name);
  g_autoptr(GError) error = NULL;
  EimzaPortalWebPage *page;

  page = eimza_portal_web_page_parse (simulator_profile, bytes, &error);
  g_assert_no_error (error);
  g_assert_true (EIMZA_IS_PORTAL_WEB_PAGE (page));

  /* Nothing in a result outlives the page object: the weak pointer checks
   * the caller's unref frees it. */
  return page;
}

static void
assert_no_messages (EimzaPortalWebPage *page)
{
  g_assert_null (eimza_portal_web_page_get_errors (page)[0]);
  g_assert_cmpuint (g_hash_table_size (eimza_portal_web_page_get_field_errors (page)), ==, 0);
}

static void
test_login (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("login.html");
  const char * const *names = eimza_portal_web_page_get_hidden_names (page);

  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_LOGIN);
  assert_no_messages (page);
  g_assert_cmpstr (names[0], ==, "javax.faces.ViewState");
  g_assert_null (names[1]);
  g_assert_cmpstr (eimza_portal_web_page_get_hidden_values (page)[0], !=, "");
  g_assert_cmpstr (eimza_portal_web_page_get_hidden_value (page, "javax.faces.ViewState"), ==,
                   eimza_portal_web_page_get_hidden_values (page)[0]);
  g_assert_null (eimza_portal_web_page_get_hidden_value (page, "yok"));
  g_assert_true (g_str_has_prefix (eimza_portal_web_page_get_captcha_url (page), "/bp/captcha.go?r="));
  g_assert_cmpstr (eimza_portal_web_page_get_submit_value (page, "girisButonu"), ==, "Giriş");
  g_assert_null (eimza_portal_web_page_get_submit_value (page, "formOnayla"));
  g_assert_null (eimza_portal_web_page_get_masked_phone (page));
  g_assert_cmpint (eimza_portal_web_page_get_attempts_left (page), ==, -1);
  g_assert_cmpint (eimza_portal_web_page_get_resend_seconds (page), ==, -1);
  g_assert_false (eimza_portal_web_page_get_eonay_available (page));
  g_assert_null (eimza_portal_web_page_get_application_number (page));
}

static void
test_login_wrong_captcha (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("handmade-login-wrong-captcha.html");
  const char * const *errors = eimza_portal_web_page_get_errors (page);
  EimzaPortalError code;

  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_LOGIN);
  g_assert_cmpstr (errors[0], ==, "Resimdeki yazıyı hatalı girdiniz.");
  g_assert_null (errors[1]);
  g_assert_true (eimza_portal_profile_classify_message (simulator_profile, errors[0], &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_WRONG_CAPTCHA);
  /* The identity typed before is echoed back. */
  g_assert_null (eimza_portal_web_page_get_form_value (page, EIMZA_FIELD_TCKN));
}

static void
test_login_field_error (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("handmade-login-field-error.html");

  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_LOGIN);
  g_assert_cmpstr (eimza_portal_web_page_get_field_error (page, EIMZA_FIELD_TCKN), !=, NULL);
  g_assert_cmpuint (g_hash_table_size (eimza_portal_web_page_get_field_errors (page)), ==, 1);
}

static void
test_session_expired (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("session-expired.html");

  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_SESSION_EXPIRED);
  g_assert_true (g_str_has_prefix (eimza_portal_web_page_get_errors (page)[0], "Oturumunuzun süresi doldu."));
  /* It is a sign-in page all the same. */
  g_assert_nonnull (eimza_portal_web_page_get_captcha_url (page));
}

static void
test_form_prefilled (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("form-filled.html");
  static const struct {
    EimzaField field;
    const char *value;
  } expected[] = {
    { EIMZA_FIELD_REASON, "renewal" },
    { EIMZA_FIELD_CARD_READER, "not-requested" },
    { EIMZA_FIELD_VALIDITY, "3" },
    { EIMZA_FIELD_SECURITY_WORD, "Kelebek42" },
    { EIMZA_FIELD_UNIT, "Matematik Bölümü" },
    { EIMZA_FIELD_TITLE, "Öğretmen" },
    { EIMZA_FIELD_ADDRESS, "Kızılay Mah. Atatürk Bulvarı No: 12 Çankaya" },
    { EIMZA_FIELD_PROVINCE, "06" },
    { EIMZA_FIELD_DISTRICT, "Çankaya" },
    { EIMZA_FIELD_POSTAL_CODE, "06420" },
    { EIMZA_FIELD_EMAIL, "ayse.yilmaz@example.com.tr" },
    { EIMZA_FIELD_WORK_PHONE, "0312 555 01 23" },
    { EIMZA_FIELD_WORK_PHONE_EXTENSION, "123" },
    { EIMZA_FIELD_MOBILE_PHONE, "0532 111 22 33" },
    { EIMZA_FIELD_HOME_PHONE, NULL },
    { EIMZA_FIELD_MOBILE_OPERATOR, "turkcell" },
    { EIMZA_FIELD_INFO_CHANNEL, "email-and-sms" },
  };

  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_FORM);
  assert_no_messages (page);

  g_assert_cmpstr (eimza_portal_web_page_get_identity_value (page, EIMZA_FIELD_TCKN), ==, "10000000146");
  g_assert_cmpstr (eimza_portal_web_page_get_identity_value (page, EIMZA_FIELD_GIVEN_NAME), ==, "Ayşe Gül");
  g_assert_cmpstr (eimza_portal_web_page_get_identity_value (page, EIMZA_FIELD_INSTITUTION_REGISTRY_NO), ==,
                   "502318");
  g_assert_cmpstr (eimza_portal_web_page_get_identity_value (page, EIMZA_FIELD_INSTITUTION_NAME), ==,
                   "Çankaya Atatürk Anadolu Lisesi");
  g_assert_null (eimza_portal_web_page_get_identity_value (page, EIMZA_FIELD_EMAIL));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (eimza_portal_web_page_get_form_value (page, expected[i].field), ==, expected[i].value);
  g_assert_cmpstr (eimza_portal_web_page_get_submit_value (page, "formOnayla"), ==, "Form Onayla");
}

static void
test_form_invalid (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("form-field-error.html");
  g_autoptr(EimzaPortalWebPage) two = parse_page ("handmade-form-invalid.html");
  EimzaPortalError code;

  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_FORM);
  g_assert_cmpstr (eimza_portal_web_page_get_errors (page)[0], ==, "Formda hatalı alanlar var.");
  g_assert_true (eimza_portal_profile_classify_message (simulator_profile,
                                                        eimza_portal_web_page_get_errors (page)[0], &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_INVALID_FIELDS);
  g_assert_nonnull (eimza_portal_web_page_get_field_error (page, EIMZA_FIELD_POSTAL_CODE));
  g_assert_null (eimza_portal_web_page_get_field_error (page, EIMZA_FIELD_ADDRESS));
  g_assert_cmpuint (g_hash_table_size (eimza_portal_web_page_get_field_errors (page)), ==, 1);
  /* The refused value is echoed back. */
  g_assert_nonnull (eimza_portal_web_page_get_form_value (page, EIMZA_FIELD_POSTAL_CODE));

  g_assert_nonnull (eimza_portal_web_page_get_field_error (two, EIMZA_FIELD_POSTAL_CODE));
  g_assert_nonnull (eimza_portal_web_page_get_field_error (two, EIMZA_FIELD_EMAIL));
  g_assert_cmpuint (g_hash_table_size (eimza_portal_web_page_get_field_errors (two)), ==, 2);
}

static void
test_sms (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("sms.html");

  /* After "Gönder": a message of information, which is no error. */
  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_SMS);
  assert_no_messages (page);
  g_assert_cmpstr (eimza_portal_web_page_get_infos (page)[0], ==, "SMS onay kodu cep telefonunuza gönderildi.");
  g_assert_null (eimza_portal_web_page_get_infos (page)[1]);
  g_assert_cmpstr (eimza_portal_web_page_get_masked_phone (page), ==, "532 *** ** 33");
  g_assert_cmpint (eimza_portal_web_page_get_attempts_left (page), ==, 3);
  g_assert_cmpint (eimza_portal_web_page_get_resend_seconds (page), ==, 60);
  g_assert_cmpstr (eimza_portal_web_page_get_submit_value (page, "gonder"), ==, "Gönder");
  g_assert_cmpstr (eimza_portal_web_page_get_submit_value (page, "tamam"), ==, "Tamam");
}

static void
test_sms_wrong_code (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("sms-wrong-code.html");
  EimzaPortalError code;

  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_SMS);
  g_assert_cmpint (eimza_portal_web_page_get_attempts_left (page), ==, 2);
  g_assert_true (eimza_portal_profile_classify_message (simulator_profile,
                                                        eimza_portal_web_page_get_errors (page)[0], &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_SMS_WRONG_CODE);
}

static void
test_sms_too_early (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("handmade-sms-too-early.html");
  EimzaPortalError code;

  g_assert_cmpint (eimza_portal_web_page_get_resend_seconds (page), ==, 37);
  g_assert_true (eimza_portal_profile_classify_message (simulator_profile,
                                                        eimza_portal_web_page_get_errors (page)[0], &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_SMS_TOO_EARLY);
}

static void
test_method (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("method.html");
  g_autoptr(EimzaPortalWebPage) without = parse_page ("method-no-eonay.html");
  EimzaPortalError code;

  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_METHOD);
  g_assert_true (eimza_portal_web_page_get_eonay_available (page));
  g_assert_cmpint (eimza_portal_web_page_get_kind (without), ==, EIMZA_PORTAL_WEB_PAGE_METHOD);
  g_assert_false (eimza_portal_web_page_get_eonay_available (without));
  g_assert_true (eimza_portal_profile_classify_message (simulator_profile,
                                                        eimza_portal_web_page_get_errors (without)[0], &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_assert_nonnull (eimza_portal_web_page_get_submit_value (without, "eonayliBasvuru"));
}

static void
test_result (void)
{
  g_autoptr(EimzaPortalWebPage) page = parse_page ("result.html");

  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_RESULT);
  /* The simulator's dump puts the current year in front. */
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-000001$",
                                       eimza_portal_web_page_get_application_number (page), 0, 0));
  g_assert_null (eimza_portal_web_page_get_hidden_names (page)[0]);
}

/* Every saved page (the simulator's and the hand-made ones) parses with
 * both profiles, to the same kind. */
static guint
check_saved_pages (const char *dir_name,
                   gboolean    simulator_dump)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, dir_name, NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_pages = 0;

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(EimzaPortalWebPage) page = NULL;
      g_autoptr(EimzaPortalWebPage) live = NULL;

      if (simulator_dump ? !is_portal_sample_page (name) : !g_str_has_suffix (name, ".html"))
        continue;

      bytes = read_test_file (dir_name, name);
      page = eimza_portal_web_page_parse (simulator_profile, bytes, &error);
      g_assert_no_error (error);
      live = eimza_portal_web_page_parse (kamusm_profile, bytes, &error);
      g_assert_no_error (error);

      g_test_message ("%s: kind %d", name, eimza_portal_web_page_get_kind (page));
      g_assert_cmpint (eimza_portal_web_page_get_kind (page), !=, EIMZA_PORTAL_WEB_PAGE_UNKNOWN);
      g_assert_cmpint (eimza_portal_web_page_get_kind (live), ==, eimza_portal_web_page_get_kind (page));
      n_pages++;
    }

  return n_pages;
}

static void
test_all_saved_pages (void)
{
  g_assert_cmpuint (check_saved_pages (SAMPLE_PAGES, TRUE), >=, 12);
  g_assert_cmpuint (check_saved_pages ("pages", FALSE), >=, 4);
}

static void
assert_unexpected (GBytes *bytes)
{
  g_autoptr(EimzaPortalWebPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = eimza_portal_web_page_parse (simulator_profile, bytes, &error);
  g_assert_null (page);
  g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE);
  /* People read a sentence, not parser jargon. */
  g_assert_cmpstr (error->message, ==, eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
}

/* "sim-NAME" is the simulator's fault page NAME, from its sample pages. */
static void
test_broken (gconstpointer user_data)
{
  const char *name = user_data;
  g_autoptr(GBytes) bytes = g_str_has_prefix (name, "sim-")
                              ? read_test_file (SAMPLE_PAGES, name + strlen ("sim-"))
                              : read_test_file ("broken", name);

  assert_unexpected (bytes);
}

static void
test_unclosed_tags (void)
{
  g_autoptr(GBytes) bytes = read_test_file ("broken", "unclosed-tags.html");
  g_autoptr(EimzaPortalWebPage) page = NULL;
  g_autoptr(GError) error = NULL;

  /* HTML lets most closing tags out; the page is still the sign-in page. */
  page = eimza_portal_web_page_parse (simulator_profile, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_LOGIN);
  g_assert_nonnull (eimza_portal_web_page_get_hidden_value (page, "javax.faces.ViewState"));
  g_assert_nonnull (eimza_portal_web_page_get_captcha_url (page));
}

static void
test_maintenance (void)
{
  g_autoptr(GBytes) bytes = read_test_file ("broken", "maintenance.html");
  g_autoptr(EimzaPortalWebPage) page = NULL;
  g_autoptr(GError) error = NULL;

  /* No known page, but the portal says something worth showing. */
  page = eimza_portal_web_page_parse (simulator_profile, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_UNKNOWN);
  g_assert_cmpstr (eimza_portal_web_page_get_errors (page)[0], ==,
                   "Sistem bakımdadır. Lütfen daha sonra tekrar deneyiniz.");
}

static void
test_entities (void)
{
  g_autoptr(GBytes) bytes = read_test_file ("broken", "entities.html");
  g_autoptr(EimzaPortalWebPage) page = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;

  page = eimza_portal_web_page_parse (simulator_profile, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_LOGIN);

  message = eimza_portal_web_page_get_errors (page)[0];
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_true (g_str_has_prefix (message, "Resimdeki yazıyı hatalı girdiniz. <script>alert(1)</script> &"));
  /* Declared entities are not expanded, external ones never read. */
  g_assert_null (strstr (message, "aaaaaaaaaa"));
  g_assert_null (strstr (message, "root:"));
  g_assert_cmpuint (strlen (message), <, 200);

  g_assert_cmpstr (eimza_portal_web_page_get_hidden_value (page, "javax.faces.ViewState"), ==, "a&b\"c'd");
  g_assert_cmpstr (eimza_portal_web_page_get_captcha_url (page), ==, "/bp/captcha.go?r=1&x=2");
  g_assert_cmpstr (eimza_portal_web_page_get_submit_value (page, "girisButonu"), ==, "Giriş");
}

static void
test_unknown_field_error (void)
{
  g_autoptr(GBytes) bytes = read_test_file ("broken", "unknown-field-error.html");
  g_autoptr(EimzaPortalWebPage) page = NULL;
  g_autoptr(GError) error = NULL;

  /* The person must read what the portal said about a field we lack. */
  page = eimza_portal_web_page_parse (simulator_profile, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_portal_web_page_get_errors (page)[0], ==, "Yeni alan zorunludur.");
  g_assert_cmpuint (g_hash_table_size (eimza_portal_web_page_get_field_errors (page)), ==, 0);
}

static void
test_huge (void)
{
  g_autoptr(GBytes) login = read_page ("login.html");
  gsize login_size = g_bytes_get_size (login);
  g_autoptr(GString) big = g_string_sized_new (EIMZA_PORTAL_WEB_PAGE_MAX_SIZE + 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(EimzaPortalWebPage) page = NULL;
  g_autoptr(GError) error = NULL;

  /* Just under the limit: a big but real page still works. */
  g_string_append (big, "<!-- ");
  while (big->len < EIMZA_PORTAL_WEB_PAGE_MAX_SIZE - login_size - 4)
    g_string_append_c (big, 'x');
  g_string_append (big, " -->");
  g_string_append_len (big, g_bytes_get_data (login, NULL), login_size);
  g_assert_cmpuint (big->len, <=, EIMZA_PORTAL_WEB_PAGE_MAX_SIZE);
  bytes = g_bytes_new (big->str, big->len);
  page = eimza_portal_web_page_parse (simulator_profile, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (eimza_portal_web_page_get_kind (page), ==, EIMZA_PORTAL_WEB_PAGE_LOGIN);

  /* One byte over: refused before parsing. */
  g_string_prepend_c (big, ' ');
  while (big->len <= EIMZA_PORTAL_WEB_PAGE_MAX_SIZE)
    g_string_prepend_c (big, ' ');
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = g_bytes_new (big->str, big->len);
  assert_unexpected (bytes);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new ("<html><body>");
  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; i < 50000; i++)
    g_string_append (deep, "<div><span>");
  g_string_append (deep, "<div class=\"hata-mesaji\">derin</div></body></html>");
  bytes = g_bytes_new (deep->str, deep->len);

  /* Whatever libxml2 makes of it, no crash and no stack overflow. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EimzaPortalWebPage) page = eimza_portal_web_page_parse (simulator_profile, bytes, &error);

    g_assert_true ((page == NULL) != (error == NULL));
  }
}

static void
test_binary (void)
{
  guint8 data[4096];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < sizeof data; i++)
    data[i] = g_rand_int_range (rand, 0, 256);
  bytes = g_bytes_new (data, sizeof data);

  assert_unexpected (bytes);
}

/* A page-like text of valid UTF-8 but nothing of the portal in it. */
static void
test_plain_text (void)
{
  static const char text[] = "Merhaba dünya </html>";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);

  assert_unexpected (bytes);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const broken_pages[] = {
    "truncated.html",
    "malformed.html",
    "redesigned.html",
    "empty.html",
    "blank.html",
    "non-utf8.html",
    "http-500.html",
    "login-without-captcha.html",
    "sim-malformed.html",
    "sim-redesigned.html",
    "sim-truncated.html",
  };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  simulator_profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);
  kamusm_profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM, &error);
  g_assert_no_error (error);

  g_test_add_func ("/portal/page/login", test_login);
  g_test_add_func ("/portal/page/login/wrong-captcha", test_login_wrong_captcha);
  g_test_add_func ("/portal/page/login/field-error", test_login_field_error);
  g_test_add_func ("/portal/page/session-expired", test_session_expired);
  g_test_add_func ("/portal/page/form/prefilled", test_form_prefilled);
  g_test_add_func ("/portal/page/form/invalid", test_form_invalid);
  g_test_add_func ("/portal/page/sms", test_sms);
  g_test_add_func ("/portal/page/sms/wrong-code", test_sms_wrong_code);
  g_test_add_func ("/portal/page/sms/too-early", test_sms_too_early);
  g_test_add_func ("/portal/page/method", test_method);
  g_test_add_func ("/portal/page/result", test_result);
  g_test_add_func ("/portal/page/all-saved-pages", test_all_saved_pages);
  for (guint i = 0; i < G_N_ELEMENTS (broken_pages); i++)
    {
      g_autofree char *path = g_strdup_printf ("/portal/page/broken/%.*s",
                                               (int) (strlen (broken_pages[i]) - strlen (".html")),
                                               broken_pages[i]);

      g_test_add_data_func (path, broken_pages[i], test_broken);
    }
  g_test_add_func ("/portal/page/broken/unclosed-tags", test_unclosed_tags);
  g_test_add_func ("/portal/page/broken/maintenance", test_maintenance);
  g_test_add_func ("/portal/page/broken/entities", test_entities);
  g_test_add_func ("/portal/page/broken/unknown-field-error", test_unknown_field_error);
  g_test_add_func ("/portal/page/broken/huge", test_huge);
  g_test_add_func ("/portal/page/broken/deep-nesting", test_deep_nesting);
  g_test_add_func ("/portal/page/broken/binary", test_binary);
  g_test_add_func ("/portal/page/broken/plain-text", test_plain_text);

  status = g_test_run ();

  g_clear_object (&simulator_profile);
  g_clear_object (&kamusm_profile);
  return status;
}
