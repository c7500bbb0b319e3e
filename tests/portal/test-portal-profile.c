/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for EimzaPortalProfile: the shipped profiles and broken ones. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "eimza-portal-profile.h"

static char *
builtin_profile_text (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/io/github/eimza/Asistan/portal/%s.ini", name);
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GBytes) bytes = NULL;

  /* Loading a profile first registers the resource. */
  profile = eimza_portal_profile_new (name, NULL);
  g_assert_nonnull (profile);
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert_nonnull (bytes);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_simulator (void)
{
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  EimzaPortalError code;
  EimzaField field;

  profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);
  g_assert_true (EIMZA_IS_PORTAL_PROFILE (profile));

  g_assert_cmpstr (eimza_portal_profile_get_name (profile), ==, "simulator");
  g_assert_null (eimza_portal_profile_get_base_url (profile));
  g_assert_cmpstr (eimza_portal_profile_get_encoding (profile), ==, "UTF-8");
  g_assert_cmpstr (eimza_portal_profile_get_path (profile, EIMZA_PORTAL_PATH_LOGIN), ==, "/bp/meb.go");
  g_assert_cmpstr (eimza_portal_profile_get_path (profile, EIMZA_PORTAL_PATH_CAPTCHA_REFRESH), ==,
                   "/bp/captcha.go?yenile=1");
  g_assert_cmpstr (eimza_portal_profile_get_path (profile, EIMZA_PORTAL_PATH_RESULT), ==, "/bp/sonuc.go");

  /* Every field of the form model has a portal name. */
  for (field = 0; field < EIMZA_N_FIELDS; field++)
    {
      EimzaField found;

      g_assert_nonnull (eimza_portal_profile_get_field_name (profile, field));
      g_assert_true (eimza_portal_profile_find_field (profile,
                                                      eimza_portal_profile_get_field_name (profile, field),
                                                      &found));
      g_assert_cmpint (found, ==, field);
    }
  g_assert_cmpstr (eimza_portal_profile_get_field_name (profile, EIMZA_FIELD_TCKN), ==, "tcKimlikNo");
  g_assert_cmpstr (eimza_portal_profile_get_field_name (profile, EIMZA_FIELD_POSTAL_CODE), ==, "postaKodu");
  g_assert_true (eimza_portal_profile_find_field (profile, "kurumAdi", &field));
  g_assert_cmpint (field, ==, EIMZA_FIELD_INSTITUTION_NAME);
  g_assert_false (eimza_portal_profile_find_field (profile, "yok", NULL));
  g_assert_false (eimza_portal_profile_find_field (profile, NULL, NULL));
  g_assert_cmpstr (eimza_portal_profile_get_sms_code_name (profile), ==, "smsKodu");
  g_assert_cmpstr (eimza_portal_profile_get_submit_name (profile, EIMZA_PORTAL_SUBMIT_SMS_SEND), ==, "gonder");
  g_assert_cmpstr (eimza_portal_profile_get_submit_name (profile, EIMZA_PORTAL_SUBMIT_EONAY), ==,
                   "eonayliBasvuru");

  /* Choices map both ways; values without a map pass through. */
  g_assert_cmpstr (eimza_portal_profile_option_to_portal (profile, EIMZA_FIELD_REASON, "renewal"), ==, "YENILEME");
  g_assert_cmpstr (eimza_portal_profile_option_to_portal (profile, EIMZA_FIELD_REASON, "lost-stolen"), ==,
                   "KAYIP_CALINTI");
  g_assert_cmpstr (eimza_portal_profile_option_to_portal (profile, EIMZA_FIELD_MOBILE_OPERATOR, "turk-telekom"), ==,
                   "TURK_TELEKOM");
  g_assert_cmpstr (eimza_portal_profile_option_to_portal (profile, EIMZA_FIELD_CARD_READER, "not-requested"), ==,
                   "ISTENMEDI");
  g_assert_null (eimza_portal_profile_option_to_portal (profile, EIMZA_FIELD_REASON, ""));
  g_assert_null (eimza_portal_profile_option_to_portal (profile, EIMZA_FIELD_REASON, "YENILEME"));
  g_assert_cmpstr (eimza_portal_profile_option_from_portal (profile, EIMZA_FIELD_INFO_CHANNEL, "HER_IKISI"), ==,
                   "email-and-sms");
  g_assert_null (eimza_portal_profile_option_from_portal (profile, EIMZA_FIELD_INFO_CHANNEL, "FAKS"));
  g_assert_cmpstr (eimza_portal_profile_option_to_portal (profile, EIMZA_FIELD_PROVINCE, "06"), ==, "06");
  g_assert_cmpstr (eimza_portal_profile_option_from_portal (profile, EIMZA_FIELD_DISTRICT, "Çankaya"), ==,
                   "Çankaya");

  /* The portal's messages, whatever their case and spacing. */
  g_assert_true (eimza_portal_profile_classify_message (profile, "Resimdeki yazıyı hatalı girdiniz.", &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_WRONG_CAPTCHA);
  g_assert_true (eimza_portal_profile_classify_message (profile,
                                                        "Girdiğiniz kimlik bilgileri MERNİS kayıtlarıyla "
                                                        "uyuşmamaktadır.", &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH);
  g_assert_true (eimza_portal_profile_classify_message (profile, "  sms   ONAY kodu hatalı. Kalan deneme "
                                                        "hakkınız: 2.", &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_SMS_WRONG_CODE);
  g_assert_true (eimza_portal_profile_classify_message (profile, "SMS onay kodunun süresi doldu. Yeni kod "
                                                        "isteyiniz.", &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_SMS_EXPIRED);
  g_assert_true (eimza_portal_profile_classify_message (profile, "Yeni kod için 12 saniye bekleyiniz.", &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_SMS_TOO_EARLY);
  g_assert_true (eimza_portal_profile_classify_message (profile, "Aktif e-onayınız bulunmamaktadır.", &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_NOT_AVAILABLE);
  g_assert_true (eimza_portal_profile_classify_message (profile, "Çok fazla hatalı deneme yaptınız. "
                                                        "Başvurunuz için yeniden giriş yapınız.", &code));
  g_assert_cmpint (code, ==, EIMZA_PORTAL_ERROR_SMS_LOCKED);
  g_assert_false (eimza_portal_profile_classify_message (profile, "Sistem bakımdadır.", &code));
  g_assert_false (eimza_portal_profile_classify_message (profile, NULL, &code));
  /* Not UTF-8: no crash, no match. */
  g_assert_false (eimza_portal_profile_classify_message (profile, "\xff\xfe", &code));
}

static void
test_kamusm (void)
{
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(EimzaPortalProfile) simulator = NULL;
  g_autoptr(GError) error = NULL;

  profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_KAMUSM, &error);
  g_assert_no_error (error);
  simulator = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (eimza_portal_profile_get_name (profile), ==, "kamusm");
  g_assert_cmpstr (eimza_portal_profile_get_base_url (profile), ==, "https://portal.kamusm.gov.tr");
  g_assert_cmpstr (eimza_portal_profile_get_path (profile, EIMZA_PORTAL_PATH_LOGIN), ==, "/bp/meb.go");

  /* Same contract, same field names. */
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    g_assert_cmpstr (eimza_portal_profile_get_field_name (profile, field), ==,
                     eimza_portal_profile_get_field_name (simulator, field));
}

static void
test_from_file (void)
{
  g_autofree char *text = builtin_profile_text (EIMZA_PORTAL_PROFILE_SIMULATOR);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  dir = g_dir_make_tmp ("test-portal-profile-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "yerel.ini", NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  profile = eimza_portal_profile_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_portal_profile_get_name (profile), ==, "simulator");

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  /* A file that is not there. */
  g_clear_object (&profile);
  profile = eimza_portal_profile_new (path, &error);
  g_assert_null (profile);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "yerel.ini"));
}

/* The signer may be named by the NES site's own address, with a path. */
static void
test_signer_on_site (void)
{
  g_autofree char *text = builtin_profile_text (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autoptr(GString) changed = g_string_new (text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_string_replace (changed, "signer-base-url=/nb/imza/\n",
                                      "signer-base-url=https://NESbireysel.kamusm.gov.tr:443/nb/imza/\n", 1),
                    ==, 1);
  bytes = g_bytes_new (changed->str, changed->len);
  profile = eimza_portal_profile_new_from_bytes (bytes, "on-site", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (eimza_eonay_profile_get_signer_base_url (eimza_portal_profile_get_nes (profile)), ==,
                   "https://NESbireysel.kamusm.gov.tr:443/nb/imza/");
}

static void
test_unknown_name (void)
{
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = eimza_portal_profile_new ("olmayan", &error);
  g_assert_null (profile);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“olmayan”"));
}

typedef struct {
  const char *name;
  const char *find;      /* a line of the profile, or NULL to replace all */
  const char *replace;
  int code;              /* G_KEY_FILE_ERROR_* */
  const char *mentions;  /* the message must name this */
  const char *profile;   /* the built-in profile broken; NULL: simulator */
} Breakage;

static const Breakage breakages[] = {
  { "missing-selector", "page-errors=//div[contains(concat(' ',normalize-space(@class),' '),' hata-mesaji ')]\n",
    "", G_KEY_FILE_ERROR_KEY_NOT_FOUND, "[selectors] page-errors" },
  { "bad-xpath", "captcha-image=//img[@id='guvenlikResmi']/@src\n",
    "captcha-image=//img[@id='guvenlikResmi'/@src\n", G_KEY_FILE_ERROR_INVALID_VALUE,
    "[selectors] captcha-image: not a valid XPath" },
  { "bad-marker", "marker=boolean(//form[@id='smsForm'])\n", "marker=boolean(//form[@id='smsForm']\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[page:sms] marker" },
  { "missing-option", "turk-telekom=TURK_TELEKOM\n", "", G_KEY_FILE_ERROR_KEY_NOT_FOUND,
    "[options:mobile-operator] turk-telekom" },
  { "unknown-option", "mini=MINI\n", "mini=MINI\nmaxi=MAXI\n", G_KEY_FILE_ERROR_KEY_NOT_FOUND,
    "[options:card-reader] maxi: unknown key" },
  { "missing-option-group", "[options:reason]\n", "[options:validity]\n", G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
    "[options:reason]" },
  { "field-typo", "postal-code=postaKodu\n", "postal_code=postaKodu\n", G_KEY_FILE_ERROR_KEY_NOT_FOUND,
    "[fields] postal-code" },
  { "unknown-field", "tckn=tcKimlikNo\n", "tckn=tcKimlikNo\nfax=faks\n", G_KEY_FILE_ERROR_KEY_NOT_FOUND,
    "[fields] fax: unknown key" },
  { "duplicate-field-name", "surname=soyad\n", "surname=ad\n", G_KEY_FILE_ERROR_INVALID_VALUE,
    "[fields] surname" },
  { "missing-sms-code", "sms-code=smsKodu\n", "", G_KEY_FILE_ERROR_KEY_NOT_FOUND, "[fields] sms-code" },
  { "http-base-url", "base-url=\n", "base-url=http://portal.example\n", G_KEY_FILE_ERROR_INVALID_VALUE,
    "[portal] base-url" },
  /* Found by the profile fuzzer: GUri takes this as a host. */
  { "base-url-not-a-host", "base-url=\n", "base-url=https://pace(@class),' '),' alan ')]\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[portal] base-url" },
  { "base-url-user", "base-url=\n", "base-url=https://user@portal.example/\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[portal] base-url" },
  { "relative-path", "login=/bp/meb.go\n", "login=bp/meb.go\n", G_KEY_FILE_ERROR_INVALID_VALUE,
    "[paths] login" },
  { "empty-submit", "sms-send=gonder\n", "sms-send=\n", G_KEY_FILE_ERROR_INVALID_VALUE,
    "[submit] sms-send: the value is empty" },
  { "missing-message", "sms-locked=Çok fazla hatalı deneme\n", "", G_KEY_FILE_ERROR_KEY_NOT_FOUND,
    "[messages] sms-locked" },
  /* An invalid escape, then one at the end: GLib 2.74 would warn. */
  { "escape-at-end", "sms-locked=Çok fazla hatalı deneme\n", "sms-locked=Çok \\x fazla\\\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[messages] sms-locked: the value ends in a “\\”" },
  { "missing-group", "[submit]\n", "[gonderim]\n", G_KEY_FILE_ERROR_GROUP_NOT_FOUND, "[gonderim]: unknown group" },
  { "unknown-page", "[page:result]\n", "[page:unknown]\n", G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
    "[page:unknown]: unknown group" },
  { "missing-page", "[page:result]\n", "", G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
    "[page:result]: the group is missing" },
  /* Every path stays on the profile's own host. */
  { "path-other-host", "login=/bp/meb.go\n", "login=//evil.example/bp/meb.go\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[paths] login: not a path on the site’s own host" },
  { "path-empty-host", "form=/bp/basvuru.go\n", "form=///evil.example/bp/basvuru.go\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[paths] form: not a path on the site’s own host" },
  { "path-absolute-url", "sms=/bp/sms.go\n", "sms=https://evil.example/bp/sms.go\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[paths] sms" },
  { "path-backslash", "method=/bp/yontem.go\n", "method=/\\\\evil.example/bp/yontem.go\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[paths] method: not a path on the site’s own host" },
  { "path-space", "result=/bp/sonuc.go\n", "result=/bp/ sonuc.go\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[paths] result: not a path on the site’s own host" },
  { "path-control", "captcha=/bp/captcha.go\n", "captcha=/bp/cap\\tcha.go\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[paths] captcha: not a path on the site’s own host" },
  { "nes-path-other-host", "menu=/nb/islemler.go\n", "menu=//evil.example/nb/islemler.go\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes-paths] menu: not a path on the site’s own host" },
  { "nes-signer-path-backslash", "sign-data=veri\n", "sign-data=..\\\\..\\\\evil\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes-paths] sign-data: not a path on the site’s own host" },
  { "nes-signer-path-absolute", "sign-upload=yukle\n", "sign-upload=https://evil.example/yukle\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes-paths] sign-upload" },
  { "nes-signer-base-other-host", "signer-base-url=/nb/imza/\n", "signer-base-url=//evil.example/nb/imza/\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes] signer-base-url: not a path on the site’s own host" },
  { "nes-signer-base-url-without-site", "signer-base-url=/nb/imza/\n",
    "signer-base-url=https://127.0.0.1:8443/nb/imza/\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes] signer-base-url: neither a path" },
  { "nes-signer-base-url-other-host", "signer-base-url=/nb/imza/\n",
    "signer-base-url=https://evil.example/nb/imza/\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes] signer-base-url: neither a path", EIMZA_PORTAL_PROFILE_KAMUSM },
  { "nes-signer-base-url-other-port", "signer-base-url=/nb/imza/\n",
    "signer-base-url=https://nesbireysel.kamusm.gov.tr:8443/nb/imza/\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes] signer-base-url: neither a path", EIMZA_PORTAL_PROFILE_KAMUSM },
  { "nes-signer-base-url-backslash", "signer-base-url=/nb/imza/\n",
    "signer-base-url=https://nesbireysel.kamusm.gov.tr/\\\\evil.example/\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes] signer-base-url: not a path on the site’s own host",
    EIMZA_PORTAL_PROFILE_KAMUSM },
  /* Şifreli Giriş posts the number, the security word and the SMS code:
   * its pages stay on the NES site's own host too. */
  { "nes-unblock-path-other-host", "sms=/nb/smsDogrulama.go\n",
    "sms=//evil.example/nb/smsDogrulama.go\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes-unblock] sms: not a path on the site’s own host" },
  { "nes-unblock-path-absolute-url", "sign-in=/nb.go\n", "sign-in=https://evil.example/nb.go\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[nes-unblock] sign-in", EIMZA_PORTAL_PROFILE_KAMUSM },
  { "nes-unblock-missing-message",
    "unblock-refused=kilit çözme kodu şu anda verilemiyor;kayıtlı etkin bir akıllı kart bulunamadı\n",
    "", G_KEY_FILE_ERROR_KEY_NOT_FOUND, "[nes-unblock-messages] unblock-refused" },
  { "nes-unblock-unknown-page", "[nes-unblock-page:sms]\n", "[nes-unblock-page:puk]\n",
    G_KEY_FILE_ERROR_GROUP_NOT_FOUND, "[nes-unblock-page:puk]: unknown group" },
  { "not-a-key-file", NULL, "Bu bir profil değil.\n", G_KEY_FILE_ERROR_PARSE, "“broken”" },
  { "empty", NULL, "", G_KEY_FILE_ERROR_GROUP_NOT_FOUND, "[portal]" },
};

static void
test_broken (gconstpointer user_data)
{
  const Breakage *breakage = user_data;
  g_autofree char *text = builtin_profile_text (breakage->profile != NULL ? breakage->profile
                                                                         : EIMZA_PORTAL_PROFILE_SIMULATOR);
  g_autoptr(GString) broken = g_string_new (text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  if (breakage->find != NULL)
    g_assert_cmpuint (g_string_replace (broken, breakage->find, breakage->replace, 1), ==, 1);
  else
    g_string_assign (broken, breakage->replace);

  bytes = g_bytes_new (broken->str, broken->len);
  profile = eimza_portal_profile_new_from_bytes (bytes, "broken", &error);
  g_assert_null (profile);
  g_assert_error (error, G_KEY_FILE_ERROR, breakage->code);
  if (strstr (error->message, breakage->mentions) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, breakage->mentions);
  g_assert_true (g_str_has_prefix (error->message, "Portal profile “broken”"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portal/profile/builtin/simulator", test_simulator);
  g_test_add_func ("/portal/profile/builtin/kamusm", test_kamusm);
  g_test_add_func ("/portal/profile/from-file", test_from_file);
  g_test_add_func ("/portal/profile/unknown-name", test_unknown_name);
  g_test_add_func ("/portal/profile/nes-signer-on-site", test_signer_on_site);
  for (guint i = 0; i < G_N_ELEMENTS (breakages); i++)
    {
      g_autofree char *path = g_strdup_printf ("/portal/profile/broken/%s", breakages[i].name);

      g_test_add_data_func (path, &breakages[i], test_broken);
    }

  return g_test_run ();
}
