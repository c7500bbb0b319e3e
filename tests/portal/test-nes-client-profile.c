/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaNesClient without a simulator or a token: the NES profiles, the sample web pages, the arguments. */
#include "config.h"

#include "nes-client-fixture.h"

/* ------------------------------------------------------------------------
 * The profiles (no simulator, no token).
 * ------------------------------------------------------------------------ */

void
test_profile_builtin (void)
{
  static const char * const names[] = {
    EIMZA_PORTAL_PROFILE_KAMUSM, EIMZA_PORTAL_PROFILE_SIMULATOR,
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(EimzaPortalProfile) profile = NULL;
      g_autoptr(GError) error = NULL;
      EimzaEonayProfile *nes;

      profile = eimza_portal_profile_new (names[i], &error);
      g_assert_no_error (error);
      nes = eimza_portal_profile_get_nes (profile);
      g_assert_nonnull (nes);
      g_assert_cmpstr (eimza_eonay_profile_get_path (nes, EIMZA_EONAY_PATH_SIGN_DATA), ==, "veri");
      g_assert_cmpint (eimza_eonay_profile_parse_purpose (nes, "eonay"), ==,
                       EIMZA_EONAY_PURPOSE_EONAY);
      g_assert_cmpint (eimza_eonay_profile_parse_purpose (nes, "başka"), ==,
                       EIMZA_EONAY_PURPOSE_UNKNOWN);
    }

  {
    g_autoptr(EimzaPortalProfile) kamusm = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM,
                                                                     NULL);
    EimzaEonayProfile *nes = eimza_portal_profile_get_nes (kamusm);
    EimzaPortalError code;

    g_assert_cmpstr (eimza_eonay_profile_get_base_url (nes), ==,
                     "https://nesbireysel.kamusm.gov.tr");
    g_assert_true (eimza_eonay_profile_classify_message (nes, "DOĞRULAMA kodunun süresi  doldu.",
                                                         &code));
    g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  }
}

/* The simulator's built-in profile as text. */
static GString *
builtin_text (void)
{
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GBytes) bytes = NULL;

  /* Loading a built-in profile registers the resource. */
  profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, NULL);
  g_assert_nonnull (profile);
  bytes = g_resources_lookup_data ("/io/github/eimza/Asistan/portal/simulator.ini",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert_nonnull (bytes);
  return g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static GBytes *
builtin_with (const char *find,
              const char *replace)
{
  g_autoptr(GString) text = builtin_text ();

  g_assert_nonnull (strstr (text->str, find));
  g_string_replace (text, find, replace, 1);
  return g_string_free_to_bytes (g_steal_pointer (&text));
}

void
test_profile_errors (void)
{
  static const struct {
    const char *find;
    const char *replace;
    int code;
  } cases[] = {
    /* NES groups without [nes]. */
    { "[nes]\n", "[nes-x]\n", G_KEY_FILE_ERROR_GROUP_NOT_FOUND },
    { "sign-upload=yukle\n", "", G_KEY_FILE_ERROR_KEY_NOT_FOUND },
    { "sign-upload=yukle\n", "sign-upload=/nb/imza/yukle\n", G_KEY_FILE_ERROR_INVALID_VALUE },
    { "code=//*[@id='dogrulamaKodu']", "code=//*[@id=", G_KEY_FILE_ERROR_INVALID_VALUE },
    { "wrong-signer=", "wrong-singer=", G_KEY_FILE_ERROR_KEY_NOT_FOUND },
    { "[nes-headers]\n", "[nes-headers]\nextra=1\n", G_KEY_FILE_ERROR_KEY_NOT_FOUND },
    { "signer-base-url=/nb/imza/", "signer-base-url=http://127.0.0.1/", G_KEY_FILE_ERROR_INVALID_VALUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = builtin_with (cases[i].find, cases[i].replace);
      g_autoptr(EimzaPortalProfile) profile = NULL;
      g_autoptr(GError) error = NULL;

      profile = eimza_portal_profile_new_from_bytes (bytes, "test", &error);
      g_assert_null (profile);
      g_assert_error (error, G_KEY_FILE_ERROR, cases[i].code);
    }

  /* A profile without any NES group loads, with no NES site. */
  {
    g_autoptr(GString) text = builtin_text ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(EimzaPortalProfile) profile = NULL;
    g_autoptr(GError) error = NULL;
    const char *nes = strstr (text->str, "\n# The simulator's NES site");

    g_assert_nonnull (nes);
    g_string_truncate (text, nes - text->str + 1);
    bytes = g_string_free_to_bytes (g_steal_pointer (&text));
    profile = eimza_portal_profile_new_from_bytes (bytes, "test", &error);
    g_assert_no_error (error);
    g_assert_null (eimza_portal_profile_get_nes (profile));

    {
      g_autoptr(EimzaNesClient) session = NULL;

      session = eimza_nes_client_new (profile, "https://127.0.0.1:1/", NULL, NULL, NULL, NULL,
                                      &error);
      g_assert_null (session);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  }
}

/* The simulator's sample pages (tools/portal-sim/sample-pages, made with
 * --dump-pages) through the parser and the simulator's profile. */
static EimzaNesWebPage *
parse_sample (EimzaEonayProfile  *nes,
              const char         *name,
              GError            **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "tools", "portal-sim",
                                                 "sample-pages", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return eimza_nes_web_page_parse (nes, bytes, error);
}

void
test_page_samples (void)
{
  g_autoptr(EimzaPortalProfile) profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR,
                                                                    NULL);
  EimzaEonayProfile *nes = eimza_portal_profile_get_nes (profile);
  g_autoptr(GError) error = NULL;
  EimzaPortalError code;

  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-login.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_LOGIN);
    g_assert_cmpstr (eimza_nes_web_page_get_holder (page), ==, "AHMET YILMAZ");
    g_assert_cmpstr (eimza_nes_web_page_get_hidden_names (page)[0], ==, "javax.faces.ViewState");
    g_assert_cmpstr (eimza_nes_web_page_get_submit_value (page, "girisButonu"), ==, "GİRİŞ");
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-login-mismatch.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_LOGIN);
    g_assert_true (eimza_eonay_profile_classify_message (nes, eimza_nes_web_page_get_errors (page)[0],
                                                         &code));
    g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-session-expired.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_SESSION_EXPIRED);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-code-eonay.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_CODE);
    g_assert_cmpstr (eimza_nes_web_page_get_code (page), ==, "PD2R-YH5C");
    g_assert_cmpint (eimza_nes_web_page_get_seconds_left (page), ==, 87);
    g_assert_cmpint (eimza_nes_web_page_get_time_limit (page), ==, 120);
    g_assert_cmpint (eimza_nes_web_page_get_purpose (page), ==, EIMZA_EONAY_PURPOSE_EONAY);
    g_assert_cmpstr (eimza_nes_web_page_get_infos (page)[0], ==, "İmzanız bekleniyor.");
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-code-expired.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_CODE);
    g_assert_null (eimza_nes_web_page_get_code (page));
    g_assert_true (eimza_eonay_profile_classify_message (nes, eimza_nes_web_page_get_errors (page)[0],
                                                         &code));
    g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_CODE_EXPIRED);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-menu.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_MENU);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-eonay.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_EONAY);
    g_assert_false (eimza_nes_web_page_get_eonay_active (page));
    g_assert_true (g_str_has_prefix (eimza_nes_web_page_get_commitment (page),
                                     "Kamu Sertifikasyon Merkezi (Kamu SM)"));
    g_assert_nonnull (eimza_nes_web_page_get_explanation (page));
    g_assert_cmpstr (eimza_nes_web_page_get_submit_value (page, "devamEt"), ==, "DEVAM ET");
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-eonay-active.html", &error);

    g_assert_no_error (error);
    g_assert_cmpint (eimza_nes_web_page_get_kind (page), ==, EIMZA_NES_WEB_PAGE_EONAY);
    g_assert_true (eimza_nes_web_page_get_eonay_active (page));
    g_assert_null (eimza_nes_web_page_get_commitment (page));
    g_assert_cmpstr (eimza_nes_web_page_get_submit_value (page, "iptalEt"), ==, "İptal");
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "nes-eonay-cancelled.html", &error);

    g_assert_no_error (error);
    g_assert_false (eimza_nes_web_page_get_eonay_active (page));
    g_assert_cmpstr (eimza_nes_web_page_get_infos (page)[0], ==, "E-onayınız iptal edilmiştir.");
  }
  {
    /* The signer's .jnlp is one the app recognises (data/portal/simulator.ini
     * [jnlp]), and its codebase is where the signer's endpoints are. */
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "tools", "portal-sim",
                                                   "sample-pages", "nes-signer.jnlp", NULL);
    g_autofree char *contents = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(EimzaJnlp) jnlp = NULL;
    g_autoptr(EimzaNesClient) session = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
    jnlp = eimza_jnlp_new_from_bytes (bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpint (eimza_jnlp_recognise (jnlp, profile, &error), ==, EIMZA_JNLP_KIND_SIGNER);
    g_assert_no_error (error);

    session = eimza_nes_client_new (profile, "https://127.0.0.1:8443/", NULL, NULL, NULL, NULL,
                                    &error);
    g_assert_no_error (error);
    g_assert_true (eimza_nes_client_set_signer_base_url (session, eimza_jnlp_get_codebase (jnlp),
                                                         &error));
    g_assert_no_error (error);
    g_assert_cmpstr (eimza_nes_client_get_signer_base_url (session), ==,
                     "https://127.0.0.1:8443/nb/imza/");
  }
  {
    /* The portal's pages are not the NES site's. */
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "redesigned.html", &error);

    g_assert_null (page);
    g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE);
    g_clear_error (&error);
  }
  {
    g_autoptr(EimzaNesWebPage) page = parse_sample (nes, "truncated.html", &error);

    g_assert_null (page);
    g_assert_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE);
  }
}

void
test_session_arguments (void)
{
  g_autoptr(EimzaPortalProfile) profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR,
                                                                    NULL);
  g_autoptr(EimzaPortalProfile) kamusm = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM,
                                                                   NULL);
  g_autoptr(EimzaNesClient) session = NULL;
  g_autoptr(GError) error = NULL;

  /* The simulator's profile has no address of its own. */
  session = eimza_nes_client_new (profile, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A test CA only for loopback. */
  session = eimza_nes_client_new (kamusm, NULL, "/nonexistent/ca.pem", NULL, NULL, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  session = eimza_nes_client_new (kamusm, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_nes_client_get_base_url (session), ==,
                   "https://nesbireysel.kamusm.gov.tr");
  g_assert_cmpstr (eimza_nes_client_get_signer_base_url (session), ==,
                   "https://nesbireysel.kamusm.gov.tr/nb/imza/");
  g_assert_null (eimza_nes_client_get_tckn (session));
}
