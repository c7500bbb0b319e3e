/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NES site's pages as server-rendered HTML, exactly as docs/eonay-protocol.md shows them. */
#include "eimza-sim-html.h"
#include "eimza-sim-nes-pages.h"
#include "eimza-sim-texts.h"

#define SITE_TITLE "Kamu SM NES Bireysel İşlemler"
#define VIEW_STATE_INPUT \
  "<input type=\"hidden\" name=\"javax.faces.ViewState\" value=\"%s\">\n"
/* The stand-in for Kamu SM's signer; data/portal/simulator.ini lists it. */
#define SIGNER_MAIN_CLASS "io.github.eimza.sim.ImzaUygulamasi"

const char *
eimza_sim_nes_purpose_name (EimzaSimNesPurpose purpose)
{
  switch (purpose)
    {
    case EIMZA_SIM_NES_PURPOSE_EONAY:
      return "eonay";
    case EIMZA_SIM_NES_PURPOSE_APPLICATION:
      return "basvuru";
    case EIMZA_SIM_NES_PURPOSE_LOGIN:
    default:
      return "giris";
    }
}

GString *
eimza_sim_nes_page_login (const char             *view_state,
                          const char             *holder,
                          const char             *tckn,
                          const EimzaSimMessages *messages)
{
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_site_page (out, SITE_TITLE, "E-İmzalı Giriş");
  eimza_sim_page_append_messages (out, messages);

  g_string_append (out,
                   "<div id=\"girisAciklama\">\n"
                   "<p>E-imzanızla giriş yaptınız. İşlemlerinize devam etmek için T.C. "
                   "Kimlik Numaranızı yazıp GİRİŞ düğmesine basınız. Ardından ekranda "
                   "gösterilen doğrulama kodunu imzalama uygulamasına girerek e-imzanızla "
                   "imzalayınız.</p>\n"
                   "</div>\n"
                   "<form id=\"kimlikForm\" method=\"post\" action=\"/nb/nbimzali.go\">\n");
  eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
  eimza_sim_html_append (out,
                         "<table class=\"giris\">\n"
                         "<tr><th>Sertifika Sahibi</th><td><span id=\"sertifikaSahibi\">%s</span>"
                         "</td></tr>\n"
                         "<tr><th>T.C. Kimlik No</th><td><input type=\"text\" name=\"tcKimlikNo\" "
                         "maxlength=\"11\" value=\"%s\"></td></tr>\n"
                         "</table>\n",
                         holder != NULL ? holder : "", tckn != NULL ? tckn : "");
  g_string_append (out,
                   "<input type=\"submit\" name=\"girisButonu\" value=\"GİRİŞ\">\n"
                   "</form>\n");

  eimza_sim_html_end_page (out);
  return out;
}

GString *
eimza_sim_nes_page_code (EimzaSimNesPurpose      purpose,
                         const char             *display_code,
                         guint                   seconds_left,
                         guint                   time_limit,
                         const EimzaSimMessages *messages)
{
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_site_page (out, SITE_TITLE, "Doğrulama Kodu");
  eimza_sim_page_append_messages (out, messages);

  eimza_sim_html_append (out, "<div id=\"dogrulamaBilgisi\" data-islem=\"%s\">\n",
                         eimza_sim_nes_purpose_name (purpose));
  if (display_code != NULL)
    {
      eimza_sim_html_append (out,
                             "<p>Doğrulama kodunuz: <span id=\"dogrulamaKodu\">%s</span></p>\n",
                             display_code);
      g_string_append_printf (out,
                              "<p>Kalan süre: <span id=\"kalanSure\">%u</span> saniye</p>\n",
                              seconds_left);
    }
  g_string_append_printf (out,
                          "<p>İmzalama için <span id=\"imzaSuresi\">%u</span> saniyeniz "
                          "vardır.</p>\n",
                          time_limit);
  if (display_code != NULL)
    g_string_append (out,
                     "<p>Doğrulama kodunu seçip kopyalayınız. İndirilen jnlp dosyasını "
                     "açtığınızda imzalama uygulaması kodu soracaktır; kodu girip "
                     "sertifikanızı seçerek imzalayınız.</p>\n"
                     "<p><a id=\"jnlpBaglantisi\" href=\"/nb/imza/nesimza.jnlp\">"
                     "İmzalama uygulamasını indir</a></p>\n");
  g_string_append (out, "</div>\n");

  eimza_sim_html_end_page (out);
  return out;
}

GString *
eimza_sim_nes_page_menu (const char             *tckn,
                         const char             *name,
                         const EimzaSimMessages *messages)
{
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_site_page (out, SITE_TITLE, "İşlemler");
  eimza_sim_page_append_messages (out, messages);

  eimza_sim_html_append (out,
                         "<table id=\"kisiBilgileri\">\n"
                         "<tr><th>T.C. Kimlik No</th><td id=\"tcKimlikNo\">%s</td></tr>\n"
                         "<tr><th>Ad Soyad</th><td id=\"adSoyad\">%s</td></tr>\n"
                         "</table>\n",
                         tckn, name);
  g_string_append (out,
                   "<ul id=\"islemlerMenusu\">\n"
                   "<li><a id=\"eonayIslemleri\" href=\"/nb/eonay.go\">E-ONAY İŞLEMLERİ</a></li>\n"
                   "<li><a id=\"kilitCozme\" href=\"/nb/islemler.go\">Kilit Çözme</a></li>\n"
                   "<li><a id=\"sertifikaIslemleri\" href=\"/nb/islemler.go\">Sertifika "
                   "İşlemleri</a></li>\n"
                   "</ul>\n");

  eimza_sim_html_end_page (out);
  return out;
}

GString *
eimza_sim_nes_page_eonay (const char             *view_state,
                          gboolean                active,
                          guint                   time_limit,
                          const EimzaSimMessages *messages)
{
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_site_page (out, SITE_TITLE, "E-ONAY İŞLEMLERİ");
  eimza_sim_page_append_messages (out, messages);

  if (active)
    {
      eimza_sim_html_append (out,
                             "<p><span id=\"eonayDurumu\" data-durum=\"aktif\">%s</span></p>\n",
                             TEXT_NES_EONAY_ACTIVE);
      g_string_append (out, "<form id=\"eonayIptalForm\" method=\"post\" action=\"/nb/eonay.go\">\n");
      eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
      g_string_append (out,
                       "<p id=\"iptalAciklama\">E-onayınızı iptal ederseniz yeni başvurularınızı "
                       "e-imzanızla imzalamanız gerekir. Yapılmış başvurularınız iptalden "
                       "etkilenmez.</p>\n"
                       "<input type=\"submit\" name=\"iptalEt\" value=\"İptal\">\n"
                       "</form>\n");
    }
  else
    {
      eimza_sim_html_append (out,
                             "<div id=\"eonayAciklama\"><p>E-onay, nitelikli elektronik "
                             "sertifika başvurularınızı her seferinde e-imzanızla imzalamadan "
                             "onaylamanızı sağlar. Aşağıdaki taahhütnameyi okuyup onay "
                             "kutusunu işaretleyiniz ve DEVAM ET düğmesine basınız; "
                             "gösterilecek doğrulama kodunu imzalama uygulamasıyla "
                             "e-imzanızla imzaladığınızda e-onayınız aktif olur.</p></div>\n"
                             "<div id=\"taahhutMetni\"><p>%s</p></div>\n",
                             TEXT_NES_COMMITMENT);
      g_string_append_printf (out,
                              "<p>İmzalama için <span id=\"imzaSuresi\">%u</span> saniyeniz "
                              "vardır.</p>\n",
                              time_limit);
      eimza_sim_html_append (out,
                             "<p><span id=\"eonayDurumu\" data-durum=\"pasif\">%s</span></p>\n",
                             TEXT_NO_EONAY);
      g_string_append (out, "<form id=\"eonayForm\" method=\"post\" action=\"/nb/eonay.go\">\n");
      eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
      g_string_append (out,
                       "<p><label><input type=\"checkbox\" name=\"onayKutusu\" value=\"EVET\"> "
                       "Taahhütnameyi okudum, kabul ediyorum.</label></p>\n"
                       "<input type=\"submit\" name=\"devamEt\" value=\"DEVAM ET\">\n"
                       "</form>\n");
    }

  eimza_sim_html_end_page (out);
  return out;
}

GString *
eimza_sim_nes_jnlp (const char *codebase)
{
  GString *out = g_string_new (NULL);

  /* Shaped like Kamu SM's: all permissions, one jar, a main class and no
   * arguments, since the code the person types is the only link. */
  eimza_sim_html_append (out,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<jnlp spec=\"1.0+\" codebase=\"%s\" href=\"nesimza.jnlp\">\n"
                         "  <information>\n"
                         "    <title>NES İmza Uygulaması</title>\n"
                         "    <vendor>Kamu Sertifikasyon Merkezi (simülatör)</vendor>\n"
                         "    <offline-allowed/>\n"
                         "  </information>\n"
                         "  <security>\n"
                         "    <all-permissions/>\n"
                         "  </security>\n"
                         "  <resources>\n"
                         "    <j2se version=\"1.8+\"/>\n"
                         "    <jar href=\"nesimza.jar\" main=\"true\"/>\n"
                         "  </resources>\n"
                         "  <application-desc main-class=\"%s\"/>\n"
                         "</jnlp>\n",
                         codebase, SIGNER_MAIN_CLASS);
  return out;
}
