/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NES site's Şifreli Giriş and Kilit Çözme: what its pages do with a request, apart from HTTP. */
#include <string.h>

#include "eimza-sim-captcha.h"
#include "eimza-sim-html.h"
#include "eimza-sim-nes-sifreli.h"
#include "eimza-sim-pages.h"
#include "eimza-sim-texts.h"
#include "eimza-validation.h"

/* Our model of the site (docs/unblock-protocol.md), not checked against
 * the live one; data/portal/simulator.ini names the same paths and fields. */
#define SIGN_IN_PATH "/nb/nb.go"
#define CAPTCHA_PATH "/nb/sifreliResim.go"
#define SMS_PATH "/nb/smsDogrulama.go"
#define UNBLOCK_PATH "/nb/kilitCozme.go"
#define VIEW_STATE_FIELD "javax.faces.ViewState"
#define VIEW_STATE_INPUT \
  "<input type=\"hidden\" name=\"javax.faces.ViewState\" value=\"%s\">\n"
#define SITE_TITLE "Kamu SM NES Bireysel İşlemler"

static const char *
lookup (GHashTable *table,
        const char *key)
{
  return table != NULL ? g_hash_table_lookup (table, key) : NULL;
}

static EimzaSimReply *
redirect_to (EimzaSimSession *session,
             const char      *path)
{
  /* After a successful POST the old view state must not be posted again. */
  g_clear_pointer (&session->view_state, g_free);
  return eimza_sim_reply_new_redirect (path);
}

static void
new_captcha (EimzaSimPortal  *portal,
             EimzaSimSession *session)
{
  g_autoptr(GError) error = NULL;

  eimza_sim_session_new_captcha (portal->sifreli_sessions, session);
  /* --captcha-log: for tests that type it as a person would. */
  if (portal->config.captcha_log_path != NULL &&
      !g_file_set_contents (portal->config.captcha_log_path, session->captcha, -1, &error))
    g_warning ("Cannot write the captcha log: %s", error->message);
}

/* Back to the start: nothing of the sign-in is kept. */
static void
restart (EimzaSimSession *session)
{
  eimza_sim_session_nes_restart (session);
  session->person = NULL;
  g_clear_pointer (&session->mobile_phone, g_free);
  eimza_sim_sms_clear (&session->sms);
  session->nes.word_accepted = FALSE;
  session->nes.sms_passed = FALSE;
  session->nes.unblock_given = FALSE;
}

/* ------------------------------------------------------------------------
 * Pages.
 * ------------------------------------------------------------------------ */

/* Every sign-in page shows a new captcha; the T.C. Kimlik No typed is
 * shown again, the security word never. */
static EimzaSimReply *
sign_in_page (EimzaSimPortal         *portal,
              EimzaSimSession        *session,
              const char             *tckn,
              const EimzaSimMessages *messages)
{
  g_autofree char *nonce = eimza_sim_session_random_hex (portal->sifreli_sessions, 8);
  GString *out = g_string_new (NULL);
  const char *view_state;

  new_captcha (portal, session);
  view_state = eimza_sim_session_new_view_state (portal->sifreli_sessions, session);

  eimza_sim_html_begin_site_page (out, SITE_TITLE, "Şifreli Giriş");
  eimza_sim_page_append_messages (out, messages);
  g_string_append (out,
                   "<div id=\"sifreliGirisAciklama\">\n"
                   "<p>T.C. Kimlik Numaranızı, başvuru formunda belirlediğiniz güvenlik "
                   "sözcüğünü ve resimdeki yazıyı giriniz. Kayıtlı cep telefonunuza bir SMS "
                   "onay kodu gönderilecektir.</p>\n"
                   "</div>\n"
                   "<form id=\"sifreliGirisForm\" method=\"post\" action=\"" SIGN_IN_PATH "\">\n");
  eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
  eimza_sim_html_append (out,
                         "<table class=\"giris\">\n"
                         "<tr><th>T.C. Kimlik No</th><td><input type=\"text\" name=\"tcKimlikNo\" "
                         "maxlength=\"11\" value=\"%s\"></td></tr>\n"
                         "<tr><th>Güvenlik Sözcüğü</th><td><input type=\"password\" "
                         "name=\"guvenlikSozcugu\" value=\"\"></td></tr>\n"
                         "<tr><th>Resimdeki Yazı</th><td><img id=\"sifreliGuvenlikResmi\" "
                         "src=\"" CAPTCHA_PATH "?t=%s\" alt=\"Güvenlik resmi\"> "
                         "<input type=\"text\" name=\"guvenlikKodu\" maxlength=\"5\" "
                         "value=\"\"></td></tr>\n"
                         "</table>\n",
                         tckn != NULL ? tckn : "", nonce);
  g_string_append (out,
                   "<input type=\"submit\" name=\"sifreliGirisButonu\" value=\"GİRİŞ\">\n"
                   "</form>\n");
  eimza_sim_html_end_page (out);
  return eimza_sim_reply_new_html (out);
}

static char *
masked_phone (const char *phone)
{
  gsize length = phone != NULL ? strlen (phone) : 0;

  return g_strdup_printf ("*** *** ** %s", length >= 2 ? phone + length - 2 : "");
}

static EimzaSimReply *
sms_page (EimzaSimPortal         *portal,
          EimzaSimSession        *session,
          const EimzaSimMessages *messages,
          gint64                  now_us)
{
  const EimzaSimSmsRules *rules = &portal->config.sms;
  const char *view_state = eimza_sim_session_new_view_state (portal->sifreli_sessions, session);
  g_autofree char *phone = masked_phone (session->mobile_phone);
  gint64 elapsed = (now_us - session->sms.sent_us) / G_USEC_PER_SEC;
  gint64 left = MAX (0, (gint64) rules->ttl_seconds - elapsed);
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_site_page (out, SITE_TITLE, "SMS Doğrulama");
  eimza_sim_page_append_messages (out, messages);
  eimza_sim_html_append (out,
                         "<div id=\"smsDogrulama\">\n"
                         "<p>Cep telefonunuza (<span id=\"smsTelefon\">%s</span>) gönderilen "
                         "onay kodunu giriniz. Kalan süre: <span id=\"smsKalanSure\">%"
                         G_GINT64_FORMAT "</span> saniye. Kalan deneme hakkınız: "
                         "<span id=\"smsKalanHak\">%u</span>.</p>\n"
                         "</div>\n"
                         "<form id=\"smsForm\" method=\"post\" action=\"" SMS_PATH "\">\n",
                         phone, left, eimza_sim_sms_attempts_left (&session->sms, rules));
  eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
  g_string_append (out,
                   "<input type=\"text\" name=\"smsKodu\" maxlength=\"6\" value=\"\">\n"
                   "<input type=\"submit\" name=\"smsOnayButonu\" value=\"ONAYLA\">\n"
                   "</form>\n");
  eimza_sim_html_end_page (out);
  return eimza_sim_reply_new_html (out);
}

/* Kilit Çözme / PIN Oluşturma; with @puk, the code handed out. */
static EimzaSimReply *
unblock_page (EimzaSimPortal         *portal,
              EimzaSimSession        *session,
              const char             *puk,
              const EimzaSimMessages *messages)
{
  const char *view_state = eimza_sim_session_new_view_state (portal->sifreli_sessions, session);
  g_autofree char *holder = g_strdup_printf ("%s %s", session->person->given_name,
                                             session->person->surname);
  GString *out = g_string_new (NULL);

  eimza_sim_html_begin_site_page (out, SITE_TITLE, "Kilit Çözme / PIN Oluşturma");
  eimza_sim_page_append_messages (out, messages);
  eimza_sim_html_append (out,
                         "<div id=\"kilitCozme\">\n"
                         "<p>Sayın <span id=\"kartSahibi\">%s</span>, kilitlenen kartınızın "
                         "kilidini çözmek ya da yeni kartınızın PIN'ini oluşturmak için kilit "
                         "çözme kodunuzu alınız. Kod yalnızca adınıza kayıtlı kartta "
                         "geçerlidir; üç kez hatalı girilen kod kartı kullanılamaz hâle "
                         "getirir.</p>\n"
                         "</div>\n",
                         holder);
  if (puk != NULL)
    {
      eimza_sim_html_append (out,
                             "<div id=\"kilitCozmeSonucu\">\n"
                             "<p>Kilit çözme kodu: <span id=\"kilitCozmeKodu\">%s</span></p>\n"
                             "</div>\n",
                             puk);
    }
  g_string_append (out, "<form id=\"kilitCozmeForm\" method=\"post\" action=\"" UNBLOCK_PATH "\">\n");
  eimza_sim_html_append (out, VIEW_STATE_INPUT, view_state);
  g_string_append (out,
                   "<input type=\"submit\" name=\"kilitKoduAlButonu\" "
                   "value=\"KİLİT ÇÖZME KODUNU AL\">\n"
                   "</form>\n");
  eimza_sim_html_end_page (out);
  return eimza_sim_reply_new_html (out);
}

/* Ends @session (if any) and answers the sign-in page of a new one with
 * @message. */
static EimzaSimReply *
restart_with_message (EimzaSimPortal   *portal,
                      EimzaSimSession **session,
                      const char       *message,
                      gint64            now_us)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();

  if (*session != NULL)
    eimza_sim_session_store_remove (portal->sifreli_sessions, *session);
  *session = eimza_sim_session_store_create (portal->sifreli_sessions, now_us);

  eimza_sim_messages_add_error (messages, "%s", message);
  return sign_in_page (portal, *session, NULL, messages);
}

/* ------------------------------------------------------------------------
 * Steps.
 * ------------------------------------------------------------------------ */

static guint
word_failures (EimzaSimPortal *portal,
               const char     *tckn)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (portal->security_word_failures, tckn));
}

static void
send_sms (EimzaSimPortal  *portal,
          EimzaSimSession *session,
          gint64           now_us)
{
  g_autoptr(GError) error = NULL;
  const char *code;

  code = eimza_sim_sms_send (&session->sms, portal->rand, now_us);
  if (!eimza_sim_sms_gateway_log (portal->config.sms_log_path, session->mobile_phone,
                                  code, &error))
    g_warning ("%s", error->message);
}

static EimzaSimReply *
post_sign_in (EimzaSimPortal               *portal,
              EimzaSimSession              *session,
              const EimzaSimSifreliRequest *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  const char *typed = lookup (request->form, "tcKimlikNo");
  const char *word = lookup (request->form, "guvenlikSozcugu");
  g_autofree char *tckn = g_strstrip (g_strdup (typed != NULL ? typed : ""));
  const EimzaSimPerson *person = NULL;
  guint tries = portal->config.security_word_tries;
  guint failures;

  /* The captcha first: a wrong one costs no security-word try. */
  if ((request->faults & EIMZA_SIM_FAULT_WRONG_CAPTCHA)
      || !eimza_sim_captcha_matches (session->captcha, lookup (request->form, "guvenlikKodu")))
    {
      eimza_sim_messages_add_error (messages, TEXT_WRONG_CAPTCHA);
      return sign_in_page (portal, session, tckn, messages);
    }

  if (!eimza_tckn_validate (tckn, NULL))
    {
      eimza_sim_messages_add_error (messages, TEXT_NES_TCKN_INVALID);
      return sign_in_page (portal, session, tckn, messages);
    }

  failures = word_failures (portal, tckn);
  if (failures >= tries)
    {
      eimza_sim_messages_add_error (messages, TEXT_SIFRELI_LOCKED);
      return sign_in_page (portal, session, tckn, messages);
    }

  person = eimza_sim_registry_lookup (portal->registry, tckn);
  if (person == NULL || eimza_sim_person_security_word (person) == NULL
      || g_strcmp0 (word, eimza_sim_person_security_word (person)) != 0)
    {
      /* Counted per number, whoever asks, and the same answer for a number
       * that has no certificate: the page does not tell them apart. */
      failures++;
      g_hash_table_replace (portal->security_word_failures, g_strdup (tckn),
                            GUINT_TO_POINTER (failures));
      if (failures >= tries)
        eimza_sim_messages_add_error (messages, TEXT_SIFRELI_LOCKED);
      else
        eimza_sim_messages_add_error (messages, TEXT_SIFRELI_WORD_WRONG, tries - failures);
      return sign_in_page (portal, session, tckn, messages);
    }

  g_hash_table_remove (portal->security_word_failures, tckn);
  restart (session);
  g_clear_pointer (&session->captcha, g_free);
  session->person = person;
  session->nes.tckn = g_steal_pointer (&tckn);
  session->mobile_phone = g_strdup (person->mobile_phone);
  session->nes.word_accepted = TRUE;
  send_sms (portal, session, request->now_us);
  return redirect_to (session, SMS_PATH);
}

static EimzaSimReply *
post_sms (EimzaSimPortal                *portal,
          EimzaSimSession              **session,
          const EimzaSimSifreliRequest  *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  const EimzaSimSmsRules *rules = &portal->config.sms;

  switch (eimza_sim_sms_check (&(*session)->sms, rules, lookup (request->form, "smsKodu"),
                               request->faults, request->now_us))
    {
    case EIMZA_SIM_SMS_RIGHT:
      (*session)->nes.sms_passed = TRUE;
      return redirect_to (*session, UNBLOCK_PATH);

    case EIMZA_SIM_SMS_WRONG:
      eimza_sim_messages_add_error (messages, TEXT_SMS_WRONG,
                                    eimza_sim_sms_attempts_left (&(*session)->sms, rules));
      return sms_page (portal, *session, messages, request->now_us);

    case EIMZA_SIM_SMS_EXPIRED:
      /* The route starts over: a new sign-in sends a new code. */
      return restart_with_message (portal, session, TEXT_SIFRELI_SMS_EXPIRED, request->now_us);

    case EIMZA_SIM_SMS_LOCKED:
    default:
      return restart_with_message (portal, session, TEXT_SMS_LOCKED, request->now_us);
    }
}

static EimzaSimReply *
post_unblock (EimzaSimPortal               *portal,
              EimzaSimSession              *session,
              const EimzaSimSifreliRequest *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  const char *puk = session->person->card_puk;

  if (request->faults & EIMZA_SIM_FAULT_UNBLOCK_REFUSED)
    eimza_sim_messages_add_error (messages, TEXT_SIFRELI_UNBLOCK_REFUSED);
  else if (puk == NULL)
    eimza_sim_messages_add_error (messages, TEXT_SIFRELI_NO_CARD);
  else
    {
      session->nes.unblock_given = TRUE;
      eimza_sim_messages_add_info (messages, TEXT_SIFRELI_CODE_GIVEN);
      return unblock_page (portal, session, puk, messages);
    }

  return unblock_page (portal, session, NULL, messages);
}

static EimzaSimReply *
captcha_image (EimzaSimPortal               *portal,
               EimzaSimSession              *session,
               const EimzaSimSifreliRequest *request)
{
  g_autoptr(GBytes) png = NULL;

  if (session->captcha == NULL)
    new_captcha (portal, session);

  png = (request->faults & EIMZA_SIM_FAULT_HUGE_CAPTCHA)
    ? eimza_sim_captcha_huge_png ()
    : eimza_sim_captcha_render_png (session->captcha, portal->rand);
  return eimza_sim_reply_new_bytes (200, "image/png", png);
}

/* Where a session goes when it asks for a page it has not reached. */
static const char *
furthest_path (EimzaSimSession *session)
{
  if (session->nes.sms_passed)
    return UNBLOCK_PATH;
  return session->nes.word_accepted ? SMS_PATH : SIGN_IN_PATH;
}

EimzaSimReply *
eimza_sim_nes_sifreli_handle (EimzaSimPortal                *portal,
                              EimzaSimSession              **session,
                              const EimzaSimSifreliRequest  *request)
{
  const char *path = request->path;
  gboolean known = g_str_equal (path, SIGN_IN_PATH) || g_str_equal (path, CAPTCHA_PATH)
    || g_str_equal (path, SMS_PATH) || g_str_equal (path, UNBLOCK_PATH);

  if (!known || (request->is_post && g_str_equal (path, CAPTCHA_PATH)))
    return eimza_sim_reply_new_status (404, eimza_sim_page_error (404));

  /* Only a GET of the sign-in form starts a session, and starts it over. */
  if (g_str_equal (path, SIGN_IN_PATH) && !request->is_post)
    {
      if (*session == NULL)
        *session = eimza_sim_session_store_create (portal->sifreli_sessions, request->now_us);
      restart (*session);
      return sign_in_page (portal, *session, NULL, NULL);
    }
  if (*session == NULL)
    return restart_with_message (portal, session, TEXT_SESSION_EXPIRED, request->now_us);

  if (g_str_equal (path, CAPTCHA_PATH))
    return captcha_image (portal, *session, request);

  if (request->is_post
      && !eimza_sim_session_check_view_state (*session, lookup (request->form, VIEW_STATE_FIELD)))
    return restart_with_message (portal, session, TEXT_SESSION_EXPIRED, request->now_us);

  if (g_str_equal (path, SIGN_IN_PATH))
    return post_sign_in (portal, *session, request);

  if (g_str_equal (path, SMS_PATH))
    {
      if (!(*session)->nes.word_accepted || (*session)->nes.sms_passed)
        return eimza_sim_reply_new_redirect (furthest_path (*session));
      return request->is_post ? post_sms (portal, session, request)
                              : sms_page (portal, *session, NULL, request->now_us);
    }

  /* Kilit Çözme needs the SMS code. */
  if (!(*session)->nes.sms_passed)
    return eimza_sim_reply_new_redirect (furthest_path (*session));
  return request->is_post ? post_unblock (portal, *session, request)
                          : unblock_page (portal, *session, NULL, NULL);
}

char *
eimza_sim_nes_sifreli_describe (EimzaSimPortal  *portal,
                                EimzaSimSession *session)
{
  const char *step;

  if (session->nes.unblock_given)
    step = "done";
  else if (session->nes.sms_passed)
    step = "unblock";
  else if (session->nes.word_accepted)
    step = "sms";
  else
    step = "sign-in";

  return g_strdup_printf ("tckn=%s\nstep=%s\nfailures=%u\n",
                          session->nes.tckn != NULL ? session->nes.tckn : "", step,
                          session->nes.tckn != NULL ? word_failures (portal, session->nes.tckn) : 0);
}
