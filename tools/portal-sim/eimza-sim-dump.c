/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --dump-pages: one copy of each page, as inputs for the client's parser tests. */
#include <errno.h>

#include <glib/gstdio.h>

#include "eimza-sim-dump.h"
#include "eimza-sim-esign.h"
#include "eimza-sim-flow.h"
#include "eimza-sim-nes-pages.h"
#include "eimza-sim-pages.h"
#include "eimza-sim-texts.h"

typedef struct {
  EimzaSimPortal *portal;
  EimzaSimSession *session;
  const char *dir;
} Walk;

static EimzaSimReply *
send_request (Walk       *walk,
              gboolean    is_post,
              const char *path,
              GHashTable *form)
{
  EimzaSimRequest request = {
    .is_post = is_post,
    .path = path,
    .form = form,
    .now_us = g_get_monotonic_time (),
  };

  return eimza_sim_flow_handle (walk->portal, &walk->session, &request);
}

static EimzaSimReply *
get (Walk       *walk,
     const char *path)
{
  return send_request (walk, FALSE, path, NULL);
}

/* @form gets the session's view state, as a browser would post it. */
static EimzaSimReply *
post (Walk       *walk,
      const char *path,
      GHashTable *form)
{
  g_hash_table_replace (form, g_strdup ("javax.faces.ViewState"),
                        g_strdup (walk->session->view_state));
  return send_request (walk, TRUE, path, form);
}

static GHashTable *
new_form (const char *first_name,
          ...)
{
  GHashTable *form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    g_hash_table_replace (form, g_strdup (name), g_strdup (va_arg (args, const char *)));
  va_end (args);

  return form;
}

static GHashTable *
copy_values (GHashTable *values)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (copy, g_strdup (key), g_strdup (value));

  return copy;
}

static gboolean
expect_status (EimzaSimReply  *reply,
               guint           status,
               const char     *step,
               GError        **error)
{
  if (reply->status == status)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "Dumping pages: %s answered %u, not %u", step, reply->status, status);
  return FALSE;
}

static gboolean
save (Walk           *walk,
      const char     *name,
      EimzaSimReply  *reply,
      GError        **error)
{
  g_autofree char *path = g_build_filename (walk->dir, name, NULL);

  return g_file_set_contents (path, g_bytes_get_data (reply->body, NULL),
                              g_bytes_get_size (reply->body), error);
}

static const EimzaSimPerson *
pick_person (EimzaSimRegistry  *registry,
             GError           **error)
{
  for (guint i = 0; i < eimza_sim_registry_get_n_people (registry); i++)
    {
      const EimzaSimPerson *person = eimza_sim_registry_get_person (registry, i);

      if (person->previous != NULL && person->eonay_active)
        return person;
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "Dumping pages needs a fixture person with a previous "
                       "application and an active e-onay");
  return NULL;
}

static gboolean
walk_login (Walk                  *walk,
            const EimzaSimPerson  *person,
            GError               **error)
{
  g_autoptr(EimzaSimReply) page = get (walk, "/bp/meb.go");
  g_autoptr(EimzaSimReply) redirect = NULL;
  g_autoptr(GHashTable) form = NULL;

  if (!save (walk, "login.html", page, error))
    return FALSE;

  form = new_form ("guvenlikKodu", walk->session->captcha,
                   "tcKimlikNo", person->tckn,
                   "ad", person->given_name,
                   "soyad", person->surname,
                   "dogumYeri", person->birth_place,
                   "dogumTarihi", person->birth_date,
                   "girisButonu", "Giriş",
                   NULL);
  redirect = post (walk, "/bp/meb.go", form);
  return expect_status (redirect, 303, "the login", error);
}

/* Returns the filled-in form page for the malformed and truncated copies. */
static EimzaSimReply *
walk_form (Walk    *walk,
           GError **error)
{
  g_autoptr(EimzaSimReply) filled = get (walk, "/bp/basvuru.go");
  g_autoptr(EimzaSimReply) refused = NULL;
  g_autoptr(EimzaSimReply) redirect = NULL;
  g_autoptr(GHashTable) good = copy_values (walk->session->values);
  g_autoptr(GHashTable) bad = copy_values (walk->session->values);

  if (!save (walk, "form-filled.html", filled, error))
    return NULL;

  /* A postal code of another province: the app's validator names where it
   * belongs, which makes a good field error sample. */
  g_hash_table_replace (bad, g_strdup ("postaKodu"), g_strdup ("35040"));
  g_hash_table_replace (bad, g_strdup ("formOnayla"), g_strdup ("Form Onayla"));
  refused = post (walk, "/bp/basvuru.go", bad);
  if (!expect_status (refused, 200, "the refused form", error)
      || !save (walk, "form-field-error.html", refused, error))
    return NULL;

  g_hash_table_replace (good, g_strdup ("formOnayla"), g_strdup ("Form Onayla"));
  redirect = post (walk, "/bp/basvuru.go", good);
  if (!expect_status (redirect, 303, "the accepted form", error))
    return NULL;

  return g_steal_pointer (&filled);
}

static gboolean
walk_sms (Walk    *walk,
          GError **error)
{
  g_autoptr(EimzaSimReply) sent = NULL;
  g_autoptr(EimzaSimReply) wrong = NULL;
  g_autoptr(EimzaSimReply) redirect = NULL;
  g_autoptr(GHashTable) send_form = new_form ("gonder", "Gönder", NULL);
  g_autoptr(GHashTable) wrong_form = NULL;
  g_autoptr(GHashTable) right_form = NULL;
  g_autofree char *wrong_code = NULL;

  /* A browser follows the form's 303 before posting on the SMS page. */
  eimza_sim_reply_free (get (walk, "/bp/sms.go"));
  sent = post (walk, "/bp/sms.go", send_form);
  if (!save (walk, "sms.html", sent, error))
    return FALSE;

  /* Another code for sure: the first digit moved on by one. */
  wrong_code = g_strdup (walk->session->sms.code);
  wrong_code[0] = '0' + (wrong_code[0] - '0' + 1) % 10;
  wrong_form = new_form ("smsKodu", wrong_code, "tamam", "Tamam", NULL);
  wrong = post (walk, "/bp/sms.go", wrong_form);
  if (!save (walk, "sms-wrong-code.html", wrong, error))
    return FALSE;

  right_form = new_form ("smsKodu", walk->session->sms.code, "tamam", "Tamam", NULL);
  redirect = post (walk, "/bp/sms.go", right_form);
  return expect_status (redirect, 303, "the SMS code", error);
}

/* The page as someone without an active e-onay sees it after posting the
 * e-onay button anyway; rendered directly, since the walk's person has one. */
static gboolean
save_method_without_eonay (Walk    *walk,
                           GError **error)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  g_autoptr(EimzaSimReply) page = NULL;

  eimza_sim_messages_add_error (messages, TEXT_NO_EONAY);
  page = eimza_sim_reply_new_html (eimza_sim_page_method (walk->session->view_state, FALSE,
                                                          messages));
  return save (walk, "method-no-eonay.html", page, error);
}

/* The e-signed application's pages, rendered directly: the walk's portal
 * has no --nes-client-ca, and the code is fixed. Also the method page as
 * such a portal answers E-İmzalı Başvuru. */
static gboolean
save_esigned (Walk    *walk,
              GError **error)
{
  g_autoptr(EimzaSimMessages) waiting = eimza_sim_messages_new ();
  g_autoptr(EimzaSimMessages) expired = eimza_sim_messages_new ();
  g_autoptr(EimzaSimMessages) unavailable = eimza_sim_messages_new ();
  g_autoptr(EimzaSimReply) page = NULL;
  g_autoptr(EimzaSimReply) expired_page = NULL;
  g_autoptr(EimzaSimReply) unavailable_page = NULL;
  g_auto(GStrv) summary = eimza_sim_esign_summary (walk->portal, walk->session);
  const EimzaSimSignInfo sign = {
    .display_code = "K7QM-4XTP",
    .data_url = EIMZA_SIM_ESIGN_DATA_PATH "?kod=K7QM4XTP",
    .upload_url = EIMZA_SIM_ESIGN_UPLOAD_PATH "?kod=K7QM4XTP",
    .seconds_left = walk->portal->config.sign_deadline_seconds,
    .time_limit = walk->portal->config.sign_deadline_seconds,
  };

  eimza_sim_messages_add_info (waiting, TEXT_NES_WAITING);
  eimza_sim_messages_add_error (expired, TEXT_NES_CODE_EXPIRED);
  eimza_sim_messages_add_error (unavailable, TEXT_ESIGNED_UNAVAILABLE);

  page = eimza_sim_reply_new_html (eimza_sim_page_esigned ((const char * const *) summary,
                                                           TEXT_ESIGNED_COMMITMENT, &sign,
                                                           waiting));
  expired_page = eimza_sim_reply_new_html (eimza_sim_page_esigned ((const char * const *) summary,
                                                                   TEXT_ESIGNED_COMMITMENT,
                                                                   NULL, expired));
  unavailable_page = eimza_sim_reply_new_html (eimza_sim_page_method (walk->session->view_state,
                                                                      TRUE, unavailable));

  return save (walk, "esigned.html", page, error)
    && save (walk, "esigned-expired.html", expired_page, error)
    && save (walk, "method-esigned-unavailable.html", unavailable_page, error);
}

static gboolean
walk_method (Walk    *walk,
             GError **error)
{
  g_autoptr(EimzaSimReply) method = get (walk, "/bp/yontem.go");
  g_autoptr(EimzaSimReply) redirect = NULL;
  g_autoptr(EimzaSimReply) result = NULL;
  g_autoptr(GHashTable) form = new_form ("eonayliBasvuru", "E-Onaylı Başvuru", NULL);

  if (!save (walk, "method.html", method, error)
      || !save_method_without_eonay (walk, error)
      || !save_esigned (walk, error))
    return FALSE;

  redirect = post (walk, "/bp/yontem.go", form);
  if (!expect_status (redirect, 303, "the e-onay application", error))
    return FALSE;

  result = get (walk, "/bp/sonuc.go");
  return save (walk, "result.html", result, error);
}

static gboolean
dump_faults (Walk           *walk,
             EimzaSimReply  *form_page,
             GError        **error)
{
  g_autoptr(EimzaSimReply) expired = NULL;
  g_autoptr(EimzaSimReply) redesigned = NULL;
  g_autoptr(EimzaSimReply) malformed = eimza_sim_reply_new_bytes (200, form_page->content_type,
                                                                  form_page->body);
  g_autoptr(EimzaSimReply) truncated = eimza_sim_reply_new_bytes (200, form_page->content_type,
                                                                  form_page->body);
  g_autoptr(GHashTable) form = new_form ("formOnayla", "Form Onayla", NULL);
  EimzaSimRequest request = {
    .is_post = TRUE,
    .path = "/bp/basvuru.go",
    .form = form,
    .now_us = g_get_monotonic_time (),
  };

  /* A POST without a live session. */
  walk->session = NULL;
  expired = eimza_sim_flow_handle (walk->portal, &walk->session, &request);
  redesigned = eimza_sim_reply_new_html (eimza_sim_page_redesigned ());
  eimza_sim_faults_malform (malformed);
  eimza_sim_faults_truncate (truncated);

  return save (walk, "session-expired.html", expired, error)
    && save (walk, "redesigned.html", redesigned, error)
    && save (walk, "malformed.html", malformed, error)
    && save (walk, "truncated.html", truncated, error);
}

static gboolean
save_page (Walk        *walk,
           const char  *name,
           GString     *page,
           GError     **error)
{
  g_autoptr(EimzaSimReply) reply = eimza_sim_reply_new_html (page);

  return save (walk, name, reply, error);
}

/* The NES site's pages (docs/eonay-protocol.md), rendered directly: the
 * site needs a client certificate, which an in-process walk has not. */
static gboolean
dump_nes (Walk                  *walk,
          const EimzaSimPerson  *person,
          GError               **error)
{
  EimzaSimPortal *portal = walk->portal;
  EimzaSimSession *session = eimza_sim_session_store_create (portal->nes_sessions,
                                                             g_get_monotonic_time ());
  g_autoptr(EimzaSimMessages) mismatch = eimza_sim_messages_new ();
  g_autoptr(EimzaSimMessages) expired = eimza_sim_messages_new ();
  g_autoptr(EimzaSimMessages) waiting = eimza_sim_messages_new ();
  g_autoptr(EimzaSimMessages) code_expired = eimza_sim_messages_new ();
  g_autoptr(EimzaSimMessages) cancelled = eimza_sim_messages_new ();
  g_autofree char *name = g_strdup_printf ("%s %s", person->given_name, person->surname);
  g_autoptr(GString) jnlp = eimza_sim_nes_jnlp ("https://127.0.0.1:8443/nb/imza/");
  g_autoptr(EimzaSimReply) jnlp_reply = NULL;
  guint limit = portal->config.sign_deadline_seconds;
  const char *view_state = eimza_sim_session_new_view_state (portal->nes_sessions, session);

  eimza_sim_messages_add_error (mismatch, TEXT_NES_TCKN_MISMATCH);
  eimza_sim_messages_add_error (expired, TEXT_SESSION_EXPIRED);
  eimza_sim_messages_add_info (waiting, TEXT_NES_WAITING);
  eimza_sim_messages_add_error (code_expired, TEXT_NES_CODE_EXPIRED);
  eimza_sim_messages_add_info (cancelled, TEXT_NES_CANCELLED);

  {
    g_autoptr(GBytes) bytes = g_string_free_to_bytes (g_steal_pointer (&jnlp));

    jnlp_reply = eimza_sim_reply_new_bytes (200, "application/x-java-jnlp-file", bytes);
  }

  return save_page (walk, "nes-login.html",
                    eimza_sim_nes_page_login (view_state, "AHMET YILMAZ", NULL, NULL), error)
    && save_page (walk, "nes-login-mismatch.html",
                  eimza_sim_nes_page_login (view_state, "AHMET YILMAZ", "10000000214", mismatch),
                  error)
    && save_page (walk, "nes-session-expired.html",
                  eimza_sim_nes_page_login (view_state, "AHMET YILMAZ", NULL, expired), error)
    && save_page (walk, "nes-code.html",
                  eimza_sim_nes_page_code (EIMZA_SIM_NES_PURPOSE_LOGIN, "K7QM-4XTP", limit, limit,
                                           waiting),
                  error)
    && save_page (walk, "nes-code-eonay.html",
                  eimza_sim_nes_page_code (EIMZA_SIM_NES_PURPOSE_EONAY, "PD2R-YH5C", 87, limit,
                                           waiting),
                  error)
    && save_page (walk, "nes-code-expired.html",
                  eimza_sim_nes_page_code (EIMZA_SIM_NES_PURPOSE_EONAY, NULL, 0, limit,
                                           code_expired),
                  error)
    && save_page (walk, "nes-menu.html", eimza_sim_nes_page_menu (person->tckn, name, NULL), error)
    && save_page (walk, "nes-eonay.html", eimza_sim_nes_page_eonay (view_state, FALSE, limit, NULL),
                  error)
    && save_page (walk, "nes-eonay-active.html",
                  eimza_sim_nes_page_eonay (view_state, TRUE, limit, NULL), error)
    && save_page (walk, "nes-eonay-cancelled.html",
                  eimza_sim_nes_page_eonay (view_state, FALSE, limit, cancelled), error)
    && save (walk, "nes-signer.jnlp", jnlp_reply, error);
}

gboolean
eimza_sim_dump_pages (EimzaSimPortal  *portal,
                      const char      *dir,
                      GError         **error)
{
  g_autoptr(EimzaSimReply) form_page = NULL;
  const EimzaSimPerson *person;
  Walk walk = { portal, NULL, dir };

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  person = pick_person (portal->registry, error);
  if (person == NULL || !walk_login (&walk, person, error))
    return FALSE;

  form_page = walk_form (&walk, error);
  if (form_page == NULL)
    return FALSE;

  return walk_sms (&walk, error)
    && walk_method (&walk, error)
    && dump_faults (&walk, form_page, error)
    && dump_nes (&walk, person, error);
}
