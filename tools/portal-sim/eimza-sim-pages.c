/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal's pages as server-rendered HTML, exactly as the contract shows. */
#include <string.h>

#include "eimza-sim-form.h"
#include "eimza-sim-html.h"
#include "eimza-sim-pages.h"

#define VIEW_STATE_INPUT \
  "<input type=\"hidden\" name=\"javax.faces.ViewState\" value=\"%s\">\n"

EimzaSimMessages *
eimza_sim_messages_new (void)
{
  EimzaSimMessages *messages = g_new0 (EimzaSimMessages, 1);

  messages->errors = g_ptr_array_new_with_free_func (g_free);
  messages->infos = g_ptr_array_new_with_free_func (g_free);
  messages->field_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return messages;
}

void
eimza_sim_messages_free (EimzaSimMessages *messages)
{
  if (messages == NULL)
    return;

  g_ptr_array_unref (messages->errors);
  g_ptr_array_unref (messages->infos);
  g_hash_table_unref (messages->field_errors);
  g_free (messages);
}

void
eimza_sim_messages_add_error (EimzaSimMessages *messages,
                              const char       *format,
                              ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (messages->errors, g_strdup_vprintf (format, args));
  va_end (args);
}

void
eimza_sim_messages_add_info (EimzaSimMessages *messages,
                             const char       *text)
{
  g_ptr_array_add (messages->infos, g_strdup (text));
}

void
eimza_sim_page_append_messages (GString                *out,
                                const EimzaSimMessages *messages)
{
  if (messages == NULL)
    return;

  for (guint i = 0; i < messages->errors->len; i++)
    eimza_sim_html_append (out, "<div class=\"hata-mesaji\">%s</div>\n",
                           (const char *) g_ptr_array_index (messages->errors, i));
  for (guint i = 0; i < messages->infos->len; i++)
    eimza_sim_html_append (out, "<div class=\"bilgi-mesaji\">%s</div>\n",
                           (const char *) g_ptr_array_index (messages->infos, i));
}

/* The contract puts a field's error right after the field. */
static void
append_field_error (GString                *out,
                    const char             *name,
                    const EimzaSimMessages *messages)
{
  const char *text;

  if (messages == NULL)
    return;

  text = g_hash_table_lookup (messages->field_errors, name);
  if (text != NULL)
    eimza_sim_html_append (out, "<span class=\"alan-hatasi\" data-alan=\"%s\">%s</span>",
                           name, text);
}

static const char *
lookup_value (GHashTable *values,
              const char *name)
{
  const char *value = values != NULL ? g_hash_table_lookup (values, name) : NULL;

  return value != NULL ? value : "";
}

/* @attributes is a literal from this file, never user input. */
static void
append_text_row (GString                *out,
                 const char             *label,
                 const char             *name,
                 const char             *attributes,
                 GHashTable             *values,
                 const EimzaSimMessages *messages)
{
  eimza_sim_html_append (out, "<tr><th>%s</th><td><input type=\"text\" name=\"%s\"",
                         label, name);
  if (attributes != NULL)
    g_string_append_printf (out, " %s", attributes);
  eimza_sim_html_append (out, " value=\"%s\">", lookup_value (values, name));
  append_field_error (out, name, messages);
  g_string_append (out, "</td></tr>\n");
}

GString *
eimza_sim_page_login (const char             *view_state,
                      const char             *captcha_nonce,
                      GHashTable             *values,
                      const EimzaSimMessages *messages)
{
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_page (out, "MEB Personeli Nitelikli Elektronik Sertifika Başvurusu");
  eimza_sim_page_append_messages (out, messages);

  g_string_append (out, "<form id=\"girisForm\" method=\"post\" action=\"/bp/meb.go\">\n");
  eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
  g_string_append (out, "<table class=\"giris\">\n");
  eimza_sim_html_append (out,
                         "<tr><th>Güvenlik Resmi</th><td><img id=\"guvenlikResmi\" "
                         "src=\"/bp/captcha.go?r=%s\" alt=\"Güvenlik resmi\" "
                         "width=\"160\" height=\"50\"></td></tr>\n",
                         captcha_nonce);
  /* The captcha is never echoed back: the image behind it has changed. */
  append_text_row (out, "Güvenlik Kodu", "guvenlikKodu", "autocomplete=\"off\"", NULL, messages);
  append_text_row (out, "T.C. Kimlik No", "tcKimlikNo", "maxlength=\"11\"", values, messages);
  append_text_row (out, "Ad", "ad", NULL, values, messages);
  append_text_row (out, "Soyad", "soyad", NULL, values, messages);
  append_text_row (out, "Doğum Yeri", "dogumYeri", NULL, values, messages);
  append_text_row (out, "Doğum Tarihi", "dogumTarihi", "placeholder=\"gg.aa.yyyy\"",
                   values, messages);
  g_string_append (out,
                   "</table>\n"
                   "<input type=\"submit\" name=\"girisButonu\" value=\"Giriş\">\n"
                   "</form>\n");

  eimza_sim_html_end_page (out);
  return out;
}

static void
append_identity_table (GString              *out,
                       const EimzaSimPerson *person)
{
  const struct {
    const char *label;
    const char *id;
    const char *value;
  } rows[] = {
    { "T.C. Kimlik No", "tcKimlikNo", person->tckn },
    { "Ad", "ad", person->given_name },
    { "Soyad", "soyad", person->surname },
    { "Doğum Yeri", "dogumYeri", person->birth_place },
    { "Doğum Tarihi", "dogumTarihi", person->birth_date },
    { "Kurum Sicil No", "kurumSicilNo", person->institution_registry_no },
    { "Kurum Adı", "kurumAdi", person->institution_name },
  };

  g_string_append (out, "<table id=\"kimlikBilgileri\">\n");
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    eimza_sim_html_append (out, "<tr><th>%s</th><td id=\"%s\">%s</td></tr>\n",
                           rows[i].label, rows[i].id, rows[i].value);
  g_string_append (out, "</table>\n");
}

static void
append_radio_row (GString                *out,
                  const char             *label,
                  const char             *name,
                  GHashTable             *values,
                  const EimzaSimMessages *messages)
{
  const char *current = lookup_value (values, name);
  const EimzaSimChoice *choices;
  guint n_choices;

  choices = eimza_sim_form_get_choices (name, &n_choices);
  eimza_sim_html_append (out, "<tr><th>%s</th><td>", label);
  for (guint i = 0; i < n_choices; i++)
    eimza_sim_html_append (out,
                           "<label><input type=\"radio\" name=\"%s\" value=\"%s\"%s> %s</label> ",
                           name, choices[i].value,
                           eimza_sim_html_flag (g_str_equal (current, choices[i].value), "checked"),
                           choices[i].label);
  append_field_error (out, name, messages);
  g_string_append (out, "</td></tr>\n");
}

static void
append_option (GString    *out,
               const char *value,
               const char *label,
               const char *current)
{
  eimza_sim_html_append (out, "<option value=\"%s\"%s>%s</option>", value,
                         eimza_sim_html_flag (g_str_equal (value, current), "selected"),
                         label);
}

static void
append_select_row (GString                *out,
                   const char             *label,
                   const char             *name,
                   gboolean                with_placeholder,
                   GHashTable             *values,
                   const EimzaSimMessages *messages)
{
  const char *current = lookup_value (values, name);
  const EimzaSimChoice *choices;
  guint n_choices;

  choices = eimza_sim_form_get_choices (name, &n_choices);
  eimza_sim_html_append (out, "<tr><th>%s</th><td><select name=\"%s\">", label, name);
  if (with_placeholder)
    append_option (out, "", "Seçiniz", current);
  for (guint i = 0; i < n_choices; i++)
    append_option (out, choices[i].value, choices[i].label, current);
  g_string_append (out, "</select>");
  append_field_error (out, name, messages);
  g_string_append (out, "</td></tr>\n");
}

static void
append_province_row (GString                *out,
                     EimzaGeo               *geo,
                     GHashTable             *values,
                     const EimzaSimMessages *messages)
{
  const char *current = lookup_value (values, "il");

  g_string_append (out, "<tr><th>İl</th><td><select name=\"il\">");
  append_option (out, "", "Seçiniz", current);
  for (guint p = 0; p < eimza_geo_get_n_provinces (geo); p++)
    append_option (out, eimza_geo_get_province_plate (geo, p),
                   eimza_geo_get_province_name (geo, p), current);
  g_string_append (out, "</select>");
  append_field_error (out, "il", messages);
  g_string_append (out, "</td></tr>\n");
}

static void
append_districts (GString    *out,
                  EimzaGeo   *geo,
                  guint       province,
                  const char *current,
                  GHashTable *seen)
{
  for (guint d = 0; d < eimza_geo_get_n_districts (geo, province); d++)
    {
      const char *name = eimza_geo_get_district_name (geo, province, d);

      /* Several provinces have a district of the same name; one option
       * each, as the option value is the name. */
      if (!g_hash_table_add (seen, (gpointer) name))
        continue;
      append_option (out, name, name, current);
    }
}

static void
append_district_row (GString                *out,
                     EimzaGeo               *geo,
                     GHashTable             *values,
                     const EimzaSimMessages *messages)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *current = lookup_value (values, "ilce");
  guint province;

  g_string_append (out, "<tr><th>İlçe</th><td><select name=\"ilce\">");
  append_option (out, "", "Seçiniz", current);
  /* Without a province the real page's script lists every district. */
  if (eimza_geo_find_province (geo, lookup_value (values, "il"), &province))
    {
      append_districts (out, geo, province, current, seen);
    }
  else
    {
      for (guint p = 0; p < eimza_geo_get_n_provinces (geo); p++)
        append_districts (out, geo, p, current, seen);
    }
  g_string_append (out, "</select>");
  append_field_error (out, "ilce", messages);
  g_string_append (out, "</td></tr>\n");
}

GString *
eimza_sim_page_form (const char             *view_state,
                     const EimzaSimPerson   *person,
                     GHashTable             *values,
                     EimzaGeo               *geo,
                     const EimzaSimMessages *messages)
{
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_page (out, "Başvuru Formu");
  eimza_sim_page_append_messages (out, messages);

  g_string_append (out, "<form id=\"basvuruForm\" method=\"post\" action=\"/bp/basvuru.go\">\n");
  eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
  append_identity_table (out, person);

  g_string_append (out, "<table class=\"basvuru\">\n");
  append_radio_row (out, "Başvuru Nedeni", "basvuruNedeni", values, messages);
  append_select_row (out, "Kart Okuyucu Tipi", "kartOkuyucuTipi", FALSE, values, messages);
  append_select_row (out, "Sertifika Süresi", "sertifikaSuresi", FALSE, values, messages);
  append_text_row (out, "Güvenlik Sözcüğü", "guvenlikSozcugu", NULL, values, messages);
  append_text_row (out, "Çalıştığı Birim", "calistigiBirim", NULL, values, messages);
  append_text_row (out, "Unvan", "unvan", NULL, values, messages);
  append_text_row (out, "Adres", "adres", NULL, values, messages);
  append_text_row (out, "Posta Kodu", "postaKodu", "maxlength=\"5\"", values, messages);
  append_province_row (out, geo, values, messages);
  append_district_row (out, geo, values, messages);
  append_text_row (out, "E-posta", "eposta", NULL, values, messages);
  append_text_row (out, "İş Telefonu", "isTelefonu", NULL, values, messages);
  append_text_row (out, "Dahili", "dahili", NULL, values, messages);
  append_text_row (out, "Cep Telefonu", "cepTelefonu", NULL, values, messages);
  append_text_row (out, "Ev Telefonu", "evTelefonu", NULL, values, messages);
  append_select_row (out, "Mobil Operatör", "mobilOperator", TRUE, values, messages);
  append_radio_row (out, "Bilgilendirme Kanalı", "bilgiKanali", values, messages);
  g_string_append (out,
                   "</table>\n"
                   "<input type=\"submit\" name=\"formOnayla\" value=\"Form Onayla\">\n"
                   "</form>\n");

  eimza_sim_html_end_page (out);
  return out;
}

/* "5321234567" -> "532 *** ** 67", as the portal shows the number. */
static char *
mask_mobile_phone (const char *digits)
{
  if (digits == NULL || strlen (digits) != 10)
    return g_strdup ("");

  return g_strdup_printf ("%.3s *** ** %s", digits, digits + 8);
}

GString *
eimza_sim_page_sms (const char             *view_state,
                    const char             *mobile_phone,
                    guint                   attempts_left,
                    guint                   resend_wait,
                    const EimzaSimMessages *messages)
{
  g_autofree char *masked = mask_mobile_phone (mobile_phone);
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_page (out, "SMS Onayı");
  eimza_sim_page_append_messages (out, messages);

  g_string_append (out, "<form id=\"smsForm\" method=\"post\" action=\"/bp/sms.go\">\n");
  eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
  eimza_sim_html_append (out,
                         "<p>Onay kodu <span id=\"cepTelefonuMaskeli\">%s</span> "
                         "numaralı cep telefonunuza gönderilecektir.</p>\n",
                         masked);
  g_string_append (out, "<p><input type=\"submit\" name=\"gonder\" value=\"Gönder\"> ");
  g_string_append_printf (out,
                          "Yeni kod için kalan süre: <span id=\"tekrarGonderSaniye\">%u</span> "
                          "saniye</p>\n",
                          resend_wait);
  g_string_append (out,
                   "<table class=\"sms\">\n"
                   "<tr><th>SMS Onay Kodu</th><td><input type=\"text\" name=\"smsKodu\" "
                   "maxlength=\"6\" autocomplete=\"off\">");
  append_field_error (out, "smsKodu", messages);
  g_string_append (out, "</td></tr>\n</table>\n");
  g_string_append_printf (out,
                          "<p>Kalan deneme hakkınız: <span id=\"kalanDeneme\">%u</span></p>\n",
                          attempts_left);
  g_string_append (out,
                   "<input type=\"submit\" name=\"tamam\" value=\"Tamam\">\n"
                   "</form>\n");

  eimza_sim_html_end_page (out);
  return out;
}

GString *
eimza_sim_page_method (const char             *view_state,
                       gboolean                eonay_active,
                       const EimzaSimMessages *messages)
{
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_page (out, "Başvuru Yöntemi");
  eimza_sim_page_append_messages (out, messages);

  g_string_append (out, "<form id=\"yontemForm\" method=\"post\" action=\"/bp/yontem.go\">\n");
  eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
  g_string_append (out,
                   "<p>Başvurunuzu e-imzanızla ya da aktif e-onayınızla tamamlayabilirsiniz.</p>\n"
                   "<input type=\"submit\" name=\"eimzaliBasvuru\" value=\"E-İmzalı Başvuru\">\n");
  g_string_append_printf (out,
                          "<input type=\"submit\" name=\"eonayliBasvuru\" "
                          "value=\"E-Onaylı Başvuru\"%s>\n",
                          eimza_sim_html_flag (!eonay_active, "disabled"));
  g_string_append (out, "</form>\n");

  eimza_sim_html_end_page (out);
  return out;
}

GString *
eimza_sim_page_esigned (const char * const     *summary,
                        const char             *commitment,
                        const EimzaSimSignInfo *sign,
                        const EimzaSimMessages *messages)
{
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_page (out, "E-İmzalı Başvuru");
  eimza_sim_page_append_messages (out, messages);

  g_string_append (out,
                   "<div id=\"eimzaliBasvuru\">\n"
                   "<p>Aşağıdaki başvuru bilgilerinizi ve taahhütnameyi okuyunuz. "
                   "Başvurunuz, imzalama uygulamasıyla e-imzanızla imzalandığında "
                   "tamamlanır.</p>\n"
                   "<h2>Başvuru Özeti</h2>\n"
                   "<table id=\"basvuruOzeti\">\n");
  for (guint i = 0; summary[i] != NULL && summary[i + 1] != NULL; i += 2)
    eimza_sim_html_append (out, "<tr><th>%s</th><td>%s</td></tr>\n", summary[i], summary[i + 1]);
  g_string_append (out, "</table>\n<h2>Taahhütname</h2>\n");
  eimza_sim_html_append (out, "<div id=\"taahhutname\"><p>%s</p></div>\n", commitment);

  if (sign != NULL)
    {
      eimza_sim_html_append (out,
                             "<div id=\"imzaBilgisi\" data-islem=\"basvuru\" data-veri=\"%s\" "
                             "data-gonder=\"%s\">\n"
                             "<p>Doğrulama kodunuz: <span id=\"dogrulamaKodu\">%s</span></p>\n",
                             sign->data_url, sign->upload_url, sign->display_code);
      g_string_append_printf (out,
                              "<p>Kalan süre: <span id=\"kalanSure\">%u</span> saniye</p>\n"
                              "<p>İmzalama için <span id=\"imzaSuresi\">%u</span> saniyeniz "
                              "vardır.</p>\n",
                              sign->seconds_left, sign->time_limit);
      eimza_sim_html_append (out,
                             "<p><a id=\"imzalanacakBelge\" href=\"%s\">İmzalanacak belgeyi "
                             "indir</a></p>\n"
                             "</div>\n",
                             sign->data_url);
    }
  else
    {
      g_string_append (out,
                       "<p><a id=\"yontemeDon\" href=\"/bp/yontem.go\">Başvuru yöntemi "
                       "seçimine dön</a></p>\n");
    }
  g_string_append (out, "</div>\n");

  eimza_sim_html_end_page (out);
  return out;
}

GString *
eimza_sim_page_result (const char *application_no)
{
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_page (out, "Başvuru Sonucu");
  eimza_sim_html_append (out,
                         "<div id=\"basvuruSonuc\">\n"
                         "<p>Başvurunuz alınmıştır. Başvuru numaranız: "
                         "<span id=\"basvuruNo\">%s</span></p>\n"
                         "<p>Başvurunuzun durumunu bu numarayla izleyebilirsiniz.</p>\n"
                         "</div>\n",
                         application_no != NULL ? application_no : "");
  eimza_sim_html_end_page (out);
  return out;
}

GString *
eimza_sim_page_error (guint status)
{
  GString *out = g_string_new (NULL);
  const char *reason;
  const char *text;

  switch (status)
    {
    case 404:
      reason = "Not Found";
      text = "İstediğiniz sayfa bulunamadı.";
      break;
    case 503:
      reason = "Service Unavailable";
      text = "Sistem şu anda hizmet verememektedir. Lütfen daha sonra tekrar deneyiniz.";
      break;
    case 500:
    default:
      reason = "Internal Server Error";
      text = "İsteğiniz işlenirken beklenmeyen bir hata oluştu.";
      break;
    }

  /* The application server's own page, not the portal's frame. */
  eimza_sim_html_append (out,
                         "<!DOCTYPE html>\n"
                         "<html lang=\"tr\">\n"
                         "<head><meta charset=\"UTF-8\"><title>HTTP Status %u – %s</title></head>\n"
                         "<body><h1>HTTP Status %u – %s</h1><p>%s</p></body>\n"
                         "</html>\n",
                         status, reason, status, reason, text);
  return out;
}

GString *
eimza_sim_page_redesigned (void)
{
  return g_string_new ("<!DOCTYPE html>\n"
                       "<html lang=\"tr\">\n"
                       "<head>\n"
                       "<meta charset=\"UTF-8\"/>\n"
                       "<title>Kamu SM Başvuru Portalı</title>\n"
                       "</head>\n"
                       "<body>\n"
                       "<header class=\"ust-bant\"><p>Kamu SM</p></header>\n"
                       "<main id=\"uygulama\">\n"
                       "<section class=\"kart\">\n"
                       "<h1>Yeni Başvuru Portalı</h1>\n"
                       "<p class=\"duyuru\">Başvuru portalımız yenilendi. İşlemlerinize "
                       "yeni ekranlardan devam edebilirsiniz.</p>\n"
                       "<form id=\"yeni-giris\" method=\"post\" action=\"/bp/v2/giris\">\n"
                       "<input type=\"hidden\" name=\"csrf\" value=\"5f1c0e\"/>\n"
                       "<label>Kimlik numarası <input type=\"text\" name=\"kimlik\"/></label>\n"
                       "<button type=\"submit\" name=\"devam\">Devam</button>\n"
                       "</form>\n"
                       "</section>\n"
                       "</main>\n"
                       "</body>\n"
                       "</html>\n");
}
