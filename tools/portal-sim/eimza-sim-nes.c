/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the NES site's pages and the signer's endpoints do with a request, apart from HTTP. */
#include <string.h>

#include "eimza-certificate.h"
#include "eimza-sim-nes.h"
#include "eimza-sim-nes-pages.h"
#include "eimza-sim-nes-sign.h"
#include "eimza-sim-signature-log.h"
#include "eimza-sim-texts.h"
#include "eimza-validation.h"

#define LOGIN_PATH "/nb/nbimzali.go"
#define CODE_PATH "/nb/dogrulama.go"
#define MENU_PATH "/nb/islemler.go"
#define EONAY_PATH "/nb/eonay.go"
#define SIGNER_DIR "/nb/imza/"
#define JNLP_PATH SIGNER_DIR "nesimza.jnlp"
#define DATA_PATH SIGNER_DIR "veri"
#define UPLOAD_PATH SIGNER_DIR "yukle"
#define CODE_PARAMETER "kod"
#define VIEW_STATE_FIELD "javax.faces.ViewState"

EimzaSimNesPeer *
eimza_sim_nes_peer_new (GBytes *der)
{
  g_autoptr(EimzaCertificate) certificate = eimza_certificate_new_from_der (der, NULL);
  EimzaSimNesPeer *peer;

  if (certificate == NULL || eimza_certificate_get_tckn (certificate) == NULL)
    return NULL;

  peer = g_new0 (EimzaSimNesPeer, 1);
  peer->fingerprint = g_strdup (eimza_certificate_get_sha256_fingerprint (certificate));
  peer->tckn = g_strdup (eimza_certificate_get_tckn (certificate));
  peer->holder = g_strdup (eimza_certificate_get_subject_cn (certificate));
  return peer;
}

void
eimza_sim_nes_peer_free (EimzaSimNesPeer *peer)
{
  if (peer == NULL)
    return;

  g_free (peer->fingerprint);
  g_free (peer->tckn);
  g_free (peer->holder);
  g_free (peer);
}

gboolean
eimza_sim_nes_is_upload (const char *path)
{
  return g_strcmp0 (path, UPLOAD_PATH) == 0;
}

static const char *
lookup (GHashTable *table,
        const char *key)
{
  return table != NULL ? g_hash_table_lookup (table, key) : NULL;
}

static gboolean
has_key (GHashTable *table,
         const char *key)
{
  return table != NULL && g_hash_table_contains (table, key);
}

static gboolean
is_signer_path (const char *path)
{
  return g_str_has_prefix (path, SIGNER_DIR);
}

EimzaSimSession *
eimza_sim_nes_find_session (EimzaSimPortal        *portal,
                            const char            *cookie_id,
                            const EimzaSimNesPeer *peer,
                            const char            *path,
                            GHashTable            *query,
                            gint64                 now_us)
{
  EimzaSimSession *session;

  if (is_signer_path (path))
    {
      EimzaSimNesCode *code = eimza_sim_nes_codes_lookup (portal->nes_codes,
                                                          lookup (query, CODE_PARAMETER));

      return code != NULL
        ? eimza_sim_session_store_peek (portal->nes_sessions, code->session_id, now_us)
        : NULL;
    }

  session = eimza_sim_session_store_peek (portal->nes_sessions, cookie_id, now_us);
  /* A session belongs to the certificate it was opened with. */
  if (session == NULL || peer == NULL || g_strcmp0 (session->nes.peer, peer->fingerprint) != 0)
    return NULL;

  return session;
}

/* ------------------------------------------------------------------------
 * Pages.
 * ------------------------------------------------------------------------ */

static EimzaSimReply *
redirect_to (EimzaSimSession *session,
             const char      *path)
{
  /* After a successful POST the old view state must not be posted again. */
  g_clear_pointer (&session->view_state, g_free);
  return eimza_sim_reply_new_redirect (path);
}

static EimzaSimSession *
new_session (EimzaSimPortal        *portal,
             const EimzaSimNesPeer *peer,
             gint64                 now_us)
{
  EimzaSimSession *session = eimza_sim_session_store_create (portal->nes_sessions, now_us);

  session->nes.peer = g_strdup (peer->fingerprint);
  return session;
}

static EimzaSimReply *
login_page (EimzaSimPortal         *portal,
            EimzaSimSession        *session,
            const EimzaSimNesPeer  *peer,
            const char             *tckn,
            const EimzaSimMessages *messages)
{
  const char *view_state = eimza_sim_session_new_view_state (portal->nes_sessions, session);

  return eimza_sim_reply_new_html (eimza_sim_nes_page_login (view_state, peer->holder, tckn,
                                                             messages));
}

/* Ends @session (if any) and answers the login page of a new one carrying
 * the expiry message. */
static EimzaSimReply *
restart_expired (EimzaSimPortal            *portal,
                 EimzaSimSession          **session,
                 const EimzaSimNesRequest  *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();

  if (*session != NULL)
    {
      eimza_sim_nes_codes_drop_session (portal->nes_codes, (*session)->id);
      eimza_sim_session_store_remove (portal->nes_sessions, *session);
    }
  *session = new_session (portal, request->peer, request->now_us);

  eimza_sim_messages_add_error (messages, "%s", TEXT_SESSION_EXPIRED);
  return login_page (portal, *session, request->peer, NULL, messages);
}

static char *
utc_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
person_name (const EimzaSimPerson *person)
{
  return g_strdup_printf ("%s %s", person->given_name, person->surname);
}

/* The bytes the login code asks to be signed: a one-time statement. */
static GBytes *
login_statement (EimzaSimPortal        *portal,
                 const EimzaSimNesCode *code)
{
  g_autofree char *now = utc_now_iso8601 ();
  g_autofree char *nonce = eimza_sim_session_random_hex (portal->nes_sessions, 16);
  g_autofree char *text = g_strdup_printf ("Kamu SM NES Bireysel İşlemler: e-imzalı giriş\n"
                                           "T.C. Kimlik No: %s\n"
                                           "Doğrulama kodu: %s\n"
                                           "Zaman: %s\n"
                                           "Tek kullanımlık değer: %s\n",
                                           code->tckn, code->display, now, nonce);

  return g_bytes_new (text, strlen (text));
}

/* The bytes the e-onay code asks to be signed: the commitment as the page
 * shows it, and whose it is. */
static GBytes *
commitment_document (const EimzaSimPerson  *person,
                     const EimzaSimNesCode *code)
{
  g_autofree char *now = utc_now_iso8601 ();
  g_autofree char *name = person_name (person);
  g_autofree char *text = g_strdup_printf ("E-ONAY TAAHHÜTNAMESİ\n"
                                           "\n"
                                           "%s\n"
                                           "\n"
                                           "T.C. Kimlik No: %s\n"
                                           "Ad Soyad: %s\n"
                                           "Doğrulama kodu: %s\n"
                                           "Zaman: %s\n",
                                           TEXT_NES_COMMITMENT, code->tckn, name,
                                           code->display, now);

  return g_bytes_new (text, strlen (text));
}

static EimzaSimReply *
issue_code (EimzaSimPortal       *portal,
            EimzaSimSession      *session,
            EimzaSimNesPurpose    purpose,
            const EimzaSimPerson *person,
            gint64                now_us)
{
  EimzaSimNesCode *code = eimza_sim_nes_codes_issue (portal->nes_codes, session->id,
                                                     session->nes.tckn, purpose,
                                                     portal->config.sign_deadline_seconds,
                                                     now_us);

  code->data = purpose == EIMZA_SIM_NES_PURPOSE_LOGIN
    ? login_statement (portal, code)
    : commitment_document (person, code);

  g_free (session->nes.code);
  session->nes.code = g_strdup (code->code);
  return redirect_to (session, CODE_PATH);
}

static EimzaSimReply *
get_login (EimzaSimPortal            *portal,
           EimzaSimSession          **session,
           const EimzaSimNesRequest  *request)
{
  if (*session == NULL)
    *session = new_session (portal, request->peer, request->now_us);

  /* Coming back to the form starts the login over. */
  eimza_sim_nes_codes_drop_session (portal->nes_codes, (*session)->id);
  eimza_sim_session_nes_restart (*session);
  return login_page (portal, *session, request->peer, NULL, NULL);
}

static EimzaSimReply *
post_login (EimzaSimPortal           *portal,
            EimzaSimSession          *session,
            const EimzaSimNesRequest *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  const char *typed = lookup (request->form, "tcKimlikNo");
  g_autofree char *tckn = g_strstrip (g_strdup (typed != NULL ? typed : ""));
  const EimzaSimPerson *person = NULL;

  if (!eimza_tckn_validate (tckn, NULL))
    eimza_sim_messages_add_error (messages, TEXT_NES_TCKN_INVALID);
  else if (!g_str_equal (tckn, request->peer->tckn))
    eimza_sim_messages_add_error (messages, TEXT_NES_TCKN_MISMATCH);
  else if ((person = eimza_sim_registry_lookup (portal->registry, tckn)) == NULL)
    eimza_sim_messages_add_error (messages, TEXT_NES_NOT_REGISTERED);

  if (person == NULL)
    return login_page (portal, session, request->peer, tckn, messages);

  eimza_sim_session_nes_restart (session);
  session->nes.tckn = g_steal_pointer (&tckn);
  return issue_code (portal, session, EIMZA_SIM_NES_PURPOSE_LOGIN, person, request->now_us);
}

/* Where a session goes after a signing step, or when it asks for a page
 * it has not reached. */
static const char *
furthest_path (EimzaSimSession *session)
{
  if (session->nes.code != NULL)
    return CODE_PATH;
  return session->nes.logged_in ? MENU_PATH : LOGIN_PATH;
}

static EimzaSimReply *
code_page (EimzaSimPortal           *portal,
           EimzaSimSession          *session,
           const EimzaSimNesRequest *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  EimzaSimNesCode *code = eimza_sim_nes_codes_lookup (portal->nes_codes, session->nes.code);
  guint time_limit = portal->config.sign_deadline_seconds;
  EimzaSimNesPurpose purpose;

  if (code == NULL)
    {
      g_clear_pointer (&session->nes.code, g_free);
      return eimza_sim_reply_new_redirect (furthest_path (session));
    }

  purpose = code->purpose;
  if (code->used)
    {
      g_clear_pointer (&session->nes.code, g_free);
      return eimza_sim_reply_new_redirect (purpose == EIMZA_SIM_NES_PURPOSE_LOGIN
                                           ? MENU_PATH : EONAY_PATH);
    }

  if (eimza_sim_nes_code_is_expired (code, request->now_us)
      || (request->faults & EIMZA_SIM_FAULT_CODE_EXPIRED))
    {
      /* The step starts over; the code is of no use any more. */
      g_clear_pointer (&session->nes.code, g_free);
      eimza_sim_nes_codes_drop_session (portal->nes_codes, session->id);
      eimza_sim_messages_add_error (messages, TEXT_NES_CODE_EXPIRED);
      return eimza_sim_reply_new_html (eimza_sim_nes_page_code (purpose, NULL, 0, time_limit,
                                                                messages));
    }

  eimza_sim_messages_add_info (messages, TEXT_NES_WAITING);
  return eimza_sim_reply_new_html (
    eimza_sim_nes_page_code (purpose, code->display,
                             eimza_sim_nes_code_seconds_left (code, request->now_us, TRUE),
                             time_limit, messages));
}

static EimzaSimReply *
menu_page (EimzaSimPortal  *portal,
           EimzaSimSession *session)
{
  const EimzaSimPerson *person = eimza_sim_registry_lookup (portal->registry, session->nes.tckn);
  g_autofree char *name = person_name (person);

  return eimza_sim_reply_new_html (eimza_sim_nes_page_menu (session->nes.tckn, name, NULL));
}

static EimzaSimReply *
eonay_page (EimzaSimPortal   *portal,
            EimzaSimSession  *session,
            EimzaSimMessages *messages)
{
  const EimzaSimPerson *person = eimza_sim_registry_lookup (portal->registry, session->nes.tckn);
  const char *view_state = eimza_sim_session_new_view_state (portal->nes_sessions, session);

  /* A message left by the POST before the redirect. */
  if (session->nes.info != NULL)
    {
      eimza_sim_messages_add_info (messages, session->nes.info);
      g_clear_pointer (&session->nes.info, g_free);
    }

  return eimza_sim_reply_new_html (eimza_sim_nes_page_eonay (view_state, person->eonay_active,
                                                             portal->config.sign_deadline_seconds,
                                                             messages));
}

static EimzaSimReply *
post_eonay (EimzaSimPortal           *portal,
            EimzaSimSession          *session,
            const EimzaSimNesRequest *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  const EimzaSimPerson *person = eimza_sim_registry_lookup (portal->registry, session->nes.tckn);

  if (has_key (request->form, "devamEt"))
    {
      if (person->eonay_active)
        eimza_sim_messages_add_error (messages, TEXT_NES_ALREADY_ACTIVE);
      else if (g_strcmp0 (lookup (request->form, "onayKutusu"), "EVET") != 0)
        eimza_sim_messages_add_error (messages, TEXT_NES_CONSENT_REQUIRED);
      else
        return issue_code (portal, session, EIMZA_SIM_NES_PURPOSE_EONAY, person, request->now_us);
    }
  else if (has_key (request->form, "iptalEt"))
    {
      if (!person->eonay_active)
        eimza_sim_messages_add_error (messages, TEXT_NO_EONAY);
      else
        {
          eimza_sim_registry_set_eonay (portal->registry, person->tckn, FALSE);
          g_free (session->nes.info);
          session->nes.info = g_strdup (TEXT_NES_CANCELLED);
          return redirect_to (session, EONAY_PATH);
        }
    }

  return eonay_page (portal, session, messages);
}

static EimzaSimReply *
handle_page (EimzaSimPortal            *portal,
             EimzaSimSession          **session,
             const EimzaSimNesRequest  *request)
{
  const char *path = request->path;
  gboolean known = g_str_equal (path, LOGIN_PATH) || g_str_equal (path, CODE_PATH)
    || g_str_equal (path, MENU_PATH) || g_str_equal (path, EONAY_PATH);

  if (!known)
    return eimza_sim_reply_new_status (404, eimza_sim_page_error (404));

  /* Only a GET of the login form starts a session. */
  if (g_str_equal (path, LOGIN_PATH) && !request->is_post)
    return get_login (portal, session, request);
  if (*session == NULL)
    return restart_expired (portal, session, request);

  if (request->is_post
      && !eimza_sim_session_check_view_state (*session, lookup (request->form, VIEW_STATE_FIELD)))
    return restart_expired (portal, session, request);

  if (g_str_equal (path, LOGIN_PATH))
    return post_login (portal, *session, request);

  if (g_str_equal (path, CODE_PATH))
    return (*session)->nes.code != NULL
      ? code_page (portal, *session, request)
      : eimza_sim_reply_new_redirect (furthest_path (*session));

  /* The menu and the e-onay page need the login signature. */
  if (!(*session)->nes.logged_in)
    return eimza_sim_reply_new_redirect (furthest_path (*session));

  if (g_str_equal (path, MENU_PATH))
    return menu_page (portal, *session);

  if (request->is_post)
    return post_eonay (portal, *session, request);

  {
    g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();

    return eonay_page (portal, *session, messages);
  }
}

/* ------------------------------------------------------------------------
 * The signer's endpoints.
 * ------------------------------------------------------------------------ */

static EimzaSimReply *
signer_upload (EimzaSimPortal           *portal,
               EimzaSimSession          *session,
               EimzaSimNesCode          *code,
               const EimzaSimNesRequest *request)
{
  EimzaSimNesSignatureCheck check;

  check = eimza_sim_nes_check_upload (code, request->body, portal->nes_trust_pem,
                                      portal->config.sign_clock_skew_seconds, request->faults);
  if (check != EIMZA_SIM_NES_SIGNATURE_OK)
    return eimza_sim_nes_signature_refusal (check);

  /* Accepted: the code is used up, and the step done. */
  eimza_sim_signature_log_save (portal->config.signature_log_dir,
                                code->purpose == EIMZA_SIM_NES_PURPOSE_LOGIN ? "login" : "eonay",
                                code->data, request->body);
  code->used = TRUE;
  if (code->purpose == EIMZA_SIM_NES_PURPOSE_LOGIN)
    session->nes.logged_in = TRUE;
  else
    eimza_sim_registry_set_eonay (portal->registry, code->tckn, TRUE);

  return eimza_sim_reply_new_text (200, TEXT_NES_ACCEPTED);
}

static EimzaSimReply *
handle_signer (EimzaSimPortal           *portal,
               const EimzaSimNesRequest *request)
{
  EimzaSimNesCode *code;
  EimzaSimSession *session;
  EimzaSimReply *refusal;
  gboolean is_data = g_str_equal (request->path, DATA_PATH);

  if (g_str_equal (request->path, JNLP_PATH) && !request->is_post)
    {
      /* The base URL ends in "/", the signer's directory starts with one. */
      g_autofree char *codebase = g_strconcat (portal->nes_base_url != NULL
                                               ? portal->nes_base_url : "https://127.0.0.1/",
                                               &SIGNER_DIR[1], NULL);
      g_autoptr(GBytes) jnlp = g_string_free_to_bytes (eimza_sim_nes_jnlp (codebase));

      return eimza_sim_reply_new_bytes (200, "application/x-java-jnlp-file", jnlp);
    }

  if (!(is_data && !request->is_post) && !(eimza_sim_nes_is_upload (request->path) && request->is_post))
    return eimza_sim_reply_new_status (404, eimza_sim_page_error (404));

  /* Codes of sessions that ended are unknown; the signer's requests keep
   * the session alive, as the browser's reloads would. */
  code = eimza_sim_nes_codes_lookup (portal->nes_codes, lookup (request->query, CODE_PARAMETER));
  session = code != NULL
    ? eimza_sim_session_store_lookup (portal->nes_sessions, code->session_id, request->now_us)
    : NULL;
  if (session == NULL)
    return eimza_sim_reply_new_text (404, TEXT_NES_CODE_UNKNOWN);

  refusal = eimza_sim_nes_code_refusal (code, !is_data, request->faults, request->now_us);
  if (refusal != NULL)
    return refusal;

  return is_data ? eimza_sim_nes_sign_data_reply (code, request->faults, request->now_us)
                 : signer_upload (portal, session, code, request);
}

EimzaSimReply *
eimza_sim_nes_handle (EimzaSimPortal            *portal,
                      EimzaSimSession          **session,
                      const EimzaSimNesRequest  *request)
{
  g_return_val_if_fail (request->peer != NULL, NULL);

  if (is_signer_path (request->path))
    return handle_signer (portal, request);

  return handle_page (portal, session, request);
}

char *
eimza_sim_nes_describe_session (EimzaSimPortal  *portal,
                                EimzaSimSession *session)
{
  const EimzaSimPerson *person = eimza_sim_registry_lookup (portal->registry, session->nes.tckn);
  EimzaSimNesCode *code = eimza_sim_nes_codes_lookup (portal->nes_codes, session->nes.code);
  const char *step;

  if (session->nes.code != NULL)
    step = "code";
  else if (session->nes.logged_in)
    step = "menu";
  else
    step = "login";

  return g_strdup_printf ("tckn=%s\nstep=%s\ncode=%s\neonay=%s\n",
                          session->nes.tckn != NULL ? session->nes.tckn : "", step,
                          code != NULL ? code->display : "",
                          person != NULL && person->eonay_active ? "aktif" : "pasif");
}
