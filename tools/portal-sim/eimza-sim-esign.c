/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-signed application ("E-İmzalı Başvuru"): its document, its page and its signer's endpoints. */
#include <string.h>

#include "eimza-sim-esign.h"
#include "eimza-sim-form.h"
#include "eimza-sim-nes-sign.h"
#include "eimza-sim-pages.h"
#include "eimza-sim-signature-log.h"
#include "eimza-sim-texts.h"

#define CODE_PARAMETER "kod"

gboolean
eimza_sim_esign_is_signer_path (const char *path)
{
  return g_strcmp0 (path, EIMZA_SIM_ESIGN_DATA_PATH) == 0
    || g_strcmp0 (path, EIMZA_SIM_ESIGN_UPLOAD_PATH) == 0;
}

gboolean
eimza_sim_esign_is_upload (const char *path)
{
  return g_strcmp0 (path, EIMZA_SIM_ESIGN_UPLOAD_PATH) == 0;
}

static const char *
lookup (GHashTable *table,
        const char *key)
{
  return table != NULL ? g_hash_table_lookup (table, key) : NULL;
}

EimzaSimSession *
eimza_sim_esign_find_session (EimzaSimPortal *portal,
                              GHashTable     *query,
                              gint64          now_us)
{
  EimzaSimNesCode *code = eimza_sim_nes_codes_lookup (portal->esign_codes,
                                                      lookup (query, CODE_PARAMETER));

  return code != NULL
    ? eimza_sim_session_store_peek (portal->sessions, code->session_id, now_us)
    : NULL;
}

static void
add_row (GPtrArray  *rows,
         const char *label,
         const char *value)
{
  if (value == NULL || *value == '\0')
    return;

  g_ptr_array_add (rows, g_strdup (label));
  g_ptr_array_add (rows, g_strdup (value));
}

/* A choice as the form shows it ("Kayıp-Çalıntı"), not as it is posted. */
static void
add_choice_row (GPtrArray  *rows,
                const char *label,
                const char *name,
                GHashTable *values)
{
  const char *value = lookup (values, name);
  const EimzaSimChoice *choices;
  guint n_choices;

  choices = eimza_sim_form_get_choices (name, &n_choices);
  for (guint i = 0; value != NULL && i < n_choices; i++)
    {
      if (g_str_equal (choices[i].value, value))
        {
          value = choices[i].label;
          break;
        }
    }

  add_row (rows, label, value);
}

GStrv
eimza_sim_esign_summary (EimzaSimPortal  *portal,
                         EimzaSimSession *session)
{
  const EimzaSimPerson *person = session->person;
  GHashTable *values = session->values;
  GPtrArray *rows = g_ptr_array_new ();
  g_autofree char *name = g_strdup_printf ("%s %s", person->given_name, person->surname);
  guint province;

  add_row (rows, "T.C. Kimlik No", person->tckn);
  add_row (rows, "Ad Soyad", name);
  add_row (rows, "Doğum Yeri", person->birth_place);
  add_row (rows, "Doğum Tarihi", person->birth_date);
  add_row (rows, "Kurum Sicil No", person->institution_registry_no);
  add_row (rows, "Kurum Adı", person->institution_name);
  add_choice_row (rows, "Başvuru Nedeni", "basvuruNedeni", values);
  add_choice_row (rows, "Kart Okuyucu Tipi", "kartOkuyucuTipi", values);
  add_choice_row (rows, "Sertifika Süresi", "sertifikaSuresi", values);
  /* The security word is the person's secret for phone calls: it is not
   * repeated in the summary, nor in the document. */
  add_row (rows, "Çalıştığı Birim", lookup (values, "calistigiBirim"));
  add_row (rows, "Unvan", lookup (values, "unvan"));
  add_row (rows, "Adres", lookup (values, "adres"));
  add_row (rows, "Posta Kodu", lookup (values, "postaKodu"));
  if (eimza_geo_find_province (portal->geo, lookup (values, "il"), &province))
    add_row (rows, "İl", eimza_geo_get_province_name (portal->geo, province));
  add_row (rows, "İlçe", lookup (values, "ilce"));
  add_row (rows, "E-posta", lookup (values, "eposta"));
  add_row (rows, "İş Telefonu", lookup (values, "isTelefonu"));
  add_row (rows, "Dahili", lookup (values, "dahili"));
  add_row (rows, "Cep Telefonu", lookup (values, "cepTelefonu"));
  add_row (rows, "Ev Telefonu", lookup (values, "evTelefonu"));
  add_choice_row (rows, "Mobil Operatör", "mobilOperator", values);
  add_choice_row (rows, "Bilgilendirme Kanalı", "bilgiKanali", values);

  g_ptr_array_add (rows, NULL);
  return (GStrv) g_ptr_array_free (rows, FALSE);
}

/* The exact bytes to sign: the summary and the commitment as the page
 * shows them, then the code, the time and a random value, so that a
 * signature of one application is worth nothing for another. */
static GBytes *
application_document (EimzaSimPortal        *portal,
                      EimzaSimSession       *session,
                      const EimzaSimNesCode *code)
{
  g_auto(GStrv) summary = eimza_sim_esign_summary (portal, session);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *nonce = eimza_sim_session_random_hex (portal->sessions, 16);
  GString *text = g_string_new ("KAMU SM NİTELİKLİ ELEKTRONİK SERTİFİKA BAŞVURUSU\n"
                                "E-İmzalı Başvuru\n"
                                "\n"
                                "BAŞVURU ÖZETİ\n");

  for (guint i = 0; summary[i] != NULL && summary[i + 1] != NULL; i += 2)
    g_string_append_printf (text, "%s: %s\n", summary[i], summary[i + 1]);

  g_string_append_printf (text,
                          "\n"
                          "TAAHHÜTNAME\n"
                          "%s\n"
                          "\n"
                          "Doğrulama kodu: %s\n"
                          "Zaman: %s\n"
                          "Tek kullanımlık değer: %s\n",
                          TEXT_ESIGNED_COMMITMENT, code->display, time, nonce);

  return g_string_free_to_bytes (text);
}

gboolean
eimza_sim_esign_start (EimzaSimPortal  *portal,
                       EimzaSimSession *session,
                       gint64           now_us)
{
  EimzaSimNesCode *code;

  /* Nothing to check signatures against: the portal would accept any. */
  if (portal->nes_trust_pem == NULL)
    return FALSE;

  code = eimza_sim_nes_codes_issue (portal->esign_codes, session->id, session->person->tckn,
                                    EIMZA_SIM_NES_PURPOSE_APPLICATION,
                                    portal->config.sign_deadline_seconds, now_us);
  code->data = application_document (portal, session, code);

  g_free (session->esign_code);
  session->esign_code = g_strdup (code->code);
  return TRUE;
}

GString *
eimza_sim_esign_page (EimzaSimPortal  *portal,
                      EimzaSimSession *session,
                      gboolean         expire,
                      gint64           now_us)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  g_auto(GStrv) summary = eimza_sim_esign_summary (portal, session);
  EimzaSimNesCode *code = eimza_sim_nes_codes_lookup (portal->esign_codes, session->esign_code);
  g_autofree char *data_url = NULL;
  g_autofree char *upload_url = NULL;
  EimzaSimSignInfo sign;

  if (code != NULL && expire)
    {
      eimza_sim_nes_codes_drop_session (portal->esign_codes, session->id);
      g_clear_pointer (&session->esign_code, g_free);
      code = NULL;
    }

  if (code == NULL || eimza_sim_nes_code_is_expired (code, now_us))
    {
      eimza_sim_messages_add_error (messages, TEXT_NES_CODE_EXPIRED);
      return eimza_sim_page_esigned ((const char * const *) summary, TEXT_ESIGNED_COMMITMENT,
                                     NULL, messages);
    }

  data_url = g_strdup_printf ("%s?%s=%s", EIMZA_SIM_ESIGN_DATA_PATH, CODE_PARAMETER, code->code);
  upload_url = g_strdup_printf ("%s?%s=%s", EIMZA_SIM_ESIGN_UPLOAD_PATH, CODE_PARAMETER,
                                code->code);
  /* Rounded down, as the signer's header: a client's deadline computed
   * from it is never later than the portal's. */
  sign = (EimzaSimSignInfo) {
    .display_code = code->display,
    .data_url = data_url,
    .upload_url = upload_url,
    .seconds_left = eimza_sim_nes_code_seconds_left (code, now_us, FALSE),
    .time_limit = portal->config.sign_deadline_seconds,
  };

  eimza_sim_messages_add_info (messages, TEXT_NES_WAITING);
  return eimza_sim_page_esigned ((const char * const *) summary, TEXT_ESIGNED_COMMITMENT, &sign,
                                 messages);
}

static EimzaSimReply *
accept_signature (EimzaSimPortal  *portal,
                  EimzaSimSession *session,
                  EimzaSimNesCode *code)
{
  code->used = TRUE;
  session->application_no = eimza_sim_portal_new_application_no (portal);
  session->furthest = EIMZA_SIM_STEP_RESULT;
  /* As after every successful POST: the old view state is spent. */
  g_clear_pointer (&session->view_state, g_free);

  return eimza_sim_reply_new_redirect (eimza_sim_flow_step_path (EIMZA_SIM_STEP_RESULT));
}

EimzaSimReply *
eimza_sim_esign_handle_signer (EimzaSimPortal         *portal,
                               EimzaSimSession       **session,
                               const EimzaSimRequest  *request)
{
  gboolean is_upload = eimza_sim_esign_is_upload (request->path);
  EimzaSimNesSignatureCheck check;
  EimzaSimNesCode *code;
  EimzaSimReply *refusal;

  if (request->is_post != is_upload)
    {
      *session = NULL;
      return eimza_sim_reply_new_status (404, eimza_sim_page_error (404));
    }

  code = eimza_sim_nes_codes_lookup (portal->esign_codes, lookup (request->query, CODE_PARAMETER));
  if (code == NULL)
    {
      *session = NULL;
      return eimza_sim_reply_new_text (404, TEXT_NES_CODE_UNKNOWN);
    }

  /* The signer is linked to the web session by the code alone; its
   * requests keep that session alive, as the browser's reloads would. */
  *session = eimza_sim_session_store_lookup (portal->sessions, code->session_id, request->now_us);
  if (*session == NULL)
    return NULL;

  /* A code the session has given up (a new login, a changed form, a new
   * E-İmzalı Başvuru) is unknown; one of a made application is used. */
  if (g_strcmp0 ((*session)->esign_code, code->code) != 0)
    return eimza_sim_reply_new_text (404, TEXT_NES_CODE_UNKNOWN);
  if ((*session)->application_no != NULL)
    return eimza_sim_reply_new_text (409, TEXT_NES_CODE_USED);

  refusal = eimza_sim_nes_code_refusal (code, is_upload, request->faults, request->now_us);
  if (refusal != NULL)
    return refusal;

  if (!is_upload)
    return eimza_sim_nes_sign_data_reply (code, request->faults, request->now_us);

  check = eimza_sim_nes_check_upload (code, request->body, portal->nes_trust_pem,
                                      portal->config.sign_clock_skew_seconds, request->faults);
  if (check != EIMZA_SIM_NES_SIGNATURE_OK)
    return eimza_sim_nes_signature_refusal (check);

  eimza_sim_signature_log_save (portal->config.signature_log_dir, "application", code->data,
                                request->body);
  return accept_signature (portal, *session, code);
}
