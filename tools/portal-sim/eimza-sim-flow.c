/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What each portal page does with a GET and a POST, apart from HTTP. */
#include "eimza-sim-captcha.h"
#include "eimza-sim-esign.h"
#include "eimza-sim-flow.h"
#include "eimza-sim-form.h"
#include "eimza-sim-pages.h"
#include "eimza-sim-texts.h"
#include "eimza-validation.h"

#define CAPTCHA_PATH "/bp/captcha.go"
#define VIEW_STATE_FIELD "javax.faces.ViewState"

static const char * const step_paths[] = {
  [EIMZA_SIM_STEP_LOGIN] = "/bp/meb.go",
  [EIMZA_SIM_STEP_FORM] = "/bp/basvuru.go",
  [EIMZA_SIM_STEP_SMS] = "/bp/sms.go",
  [EIMZA_SIM_STEP_METHOD] = "/bp/yontem.go",
  [EIMZA_SIM_STEP_ESIGN] = "/bp/eimzali.go",
  [EIMZA_SIM_STEP_RESULT] = "/bp/sonuc.go",
};

const char *
eimza_sim_flow_step_path (EimzaSimStep step)
{
  g_return_val_if_fail (step < G_N_ELEMENTS (step_paths), NULL);

  return step_paths[step];
}

static gboolean
find_step (const char   *path,
           EimzaSimStep *out_step)
{
  for (guint i = 0; i < G_N_ELEMENTS (step_paths); i++)
    {
      if (g_str_equal (path, step_paths[i]))
        {
          *out_step = i;
          return TRUE;
        }
    }

  return FALSE;
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

/* After a successful POST the old view state must not be posted again:
 * the next page brings a new one. */
static EimzaSimReply *
redirect_to (EimzaSimSession *session,
             EimzaSimStep     step)
{
  g_clear_pointer (&session->view_state, g_free);
  return eimza_sim_reply_new_redirect (step_paths[step]);
}

/* Draws a new captcha for @session. With --captcha-log the text is also
 * written to that file, for tests that drive the app as a person would and
 * so cannot ask /_sim/captcha with the app's cookie. */
static void
new_captcha (EimzaSimPortal  *portal,
             EimzaSimSession *session)
{
  g_autoptr(GError) error = NULL;

  eimza_sim_session_new_captcha (portal->sessions, session);

  if (portal->config.captcha_log_path != NULL &&
      !g_file_set_contents (portal->config.captcha_log_path, session->captcha, -1, &error))
    g_warning ("Cannot write the captcha log: %s", error->message);
}

/* Every login page shows a new captcha. */
static EimzaSimReply *
login_page (EimzaSimPortal         *portal,
            EimzaSimSession        *session,
            GHashTable             *values,
            const EimzaSimMessages *messages)
{
  g_autofree char *nonce = eimza_sim_session_random_hex (portal->sessions, 8);
  const char *view_state;

  new_captcha (portal, session);
  view_state = eimza_sim_session_new_view_state (portal->sessions, session);

  return eimza_sim_reply_new_html (eimza_sim_page_login (view_state, nonce, values, messages));
}

/* Ends @session (if any) and answers the login page of a new one carrying
 * @text: the way out of an expired session and of an SMS lock. */
static EimzaSimReply *
restart_with_message (EimzaSimPortal   *portal,
                      EimzaSimSession **session,
                      const char       *text,
                      gint64            now_us)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();

  if (*session != NULL)
    eimza_sim_session_store_remove (portal->sessions, *session);
  *session = eimza_sim_session_store_create (portal->sessions, now_us);

  eimza_sim_messages_add_error (messages, "%s", text);
  return login_page (portal, *session, NULL, messages);
}

static EimzaSimReply *
get_login (EimzaSimPortal   *portal,
           EimzaSimSession **session,
           gint64            now_us)
{
  if (*session == NULL)
    *session = eimza_sim_session_store_create (portal->sessions, now_us);

  eimza_sim_session_restart (*session);
  return login_page (portal, *session, NULL, NULL);
}

/* The form starts with the choices the portal preselects, then the
 * person's previous application over them. */
static void
fill_initial_values (EimzaSimSession *session)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_replace (session->values, g_strdup ("basvuruNedeni"), g_strdup ("YENILEME"));
  g_hash_table_replace (session->values, g_strdup ("kartOkuyucuTipi"), g_strdup ("ISTENMEDI"));
  g_hash_table_replace (session->values, g_strdup ("sertifikaSuresi"), g_strdup ("3"));

  if (session->person->previous == NULL)
    return;

  g_hash_table_iter_init (&iter, session->person->previous);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (session->values, g_strdup (key), g_strdup (value));
}

static EimzaSimReply *
post_login (EimzaSimPortal        *portal,
            EimzaSimSession       *session,
            const EimzaSimRequest *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  const EimzaSimPerson *person = NULL;

  for (guint i = 0; eimza_sim_login_fields[i] != NULL; i++)
    {
      const char *value = lookup (request->form, eimza_sim_login_fields[i]);

      if (value != NULL)
        g_hash_table_insert (values, (gpointer) eimza_sim_login_fields[i], (gpointer) value);
    }

  /* The captcha first, as the live site does: nothing else is looked at
   * for a request that may come from a robot. */
  if ((request->faults & EIMZA_SIM_FAULT_WRONG_CAPTCHA)
      || !eimza_sim_captcha_matches (session->captcha, lookup (request->form, "guvenlikKodu")))
    {
      eimza_sim_messages_add_error (messages, TEXT_WRONG_CAPTCHA);
    }
  else if (!eimza_sim_form_check_login (values, messages->field_errors))
    {
      eimza_sim_messages_add_error (messages, TEXT_FORM_ERRORS);
    }
  else
    {
      person = eimza_sim_registry_lookup (portal->registry, lookup (values, "tcKimlikNo"));
      if ((request->faults & EIMZA_SIM_FAULT_MERNIS_MISMATCH)
          || person == NULL
          || !eimza_sim_person_matches (person, lookup (values, "ad"), lookup (values, "soyad"),
                                        lookup (values, "dogumYeri"),
                                        lookup (values, "dogumTarihi")))
        {
          eimza_sim_messages_add_error (messages, TEXT_MERNIS_MISMATCH);
          person = NULL;
        }
    }

  if (person == NULL)
    return login_page (portal, session, values, messages);

  eimza_sim_session_restart (session);
  g_clear_pointer (&session->captcha, g_free);
  session->person = person;
  fill_initial_values (session);
  session->furthest = EIMZA_SIM_STEP_FORM;

  return redirect_to (session, EIMZA_SIM_STEP_FORM);
}

static EimzaSimReply *
form_page (EimzaSimPortal         *portal,
           EimzaSimSession        *session,
           const EimzaSimMessages *messages)
{
  const char *view_state = eimza_sim_session_new_view_state (portal->sessions, session);

  return eimza_sim_reply_new_html (eimza_sim_page_form (view_state, session->person,
                                                        session->values, portal->geo,
                                                        messages));
}

static EimzaSimReply *
post_form (EimzaSimPortal        *portal,
           EimzaSimSession       *session,
           const EimzaSimRequest *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  char *mobile_phone = NULL;

  /* The identity cells are not inputs: whatever a client posts for them
   * is ignored, only the editable fields are taken. */
  eimza_sim_form_take_posted (session->values, request->form);
  if (!eimza_sim_form_check (session->values, portal->geo, messages->field_errors))
    {
      eimza_sim_messages_add_error (messages, TEXT_FORM_ERRORS);
      return form_page (portal, session, messages);
    }

  eimza_mobile_phone_parse (g_hash_table_lookup (session->values, "cepTelefonu"),
                            &mobile_phone, NULL);
  g_free (session->mobile_phone);
  session->mobile_phone = mobile_phone;

  /* A changed form needs a new approval; the wrong attempts so far still
   * count, or changing the form would reset the lock. A signature for the
   * old form must not make an application of the new one. */
  g_clear_pointer (&session->sms.code, g_free);
  g_clear_pointer (&session->esign_code, g_free);
  session->furthest = EIMZA_SIM_STEP_SMS;

  return redirect_to (session, EIMZA_SIM_STEP_SMS);
}

static EimzaSimReply *
sms_page (EimzaSimPortal         *portal,
          EimzaSimSession        *session,
          const EimzaSimMessages *messages,
          gint64                  now_us)
{
  const EimzaSimSmsRules *rules = &portal->config.sms;
  const char *view_state = eimza_sim_session_new_view_state (portal->sessions, session);

  return eimza_sim_reply_new_html (
    eimza_sim_page_sms (view_state, session->mobile_phone,
                        eimza_sim_sms_attempts_left (&session->sms, rules),
                        eimza_sim_sms_resend_wait (&session->sms, rules, now_us),
                        messages));
}

static void
send_sms (EimzaSimPortal   *portal,
          EimzaSimSession  *session,
          EimzaSimMessages *messages,
          gint64            now_us)
{
  g_autoptr(GError) error = NULL;
  guint wait = eimza_sim_sms_resend_wait (&session->sms, &portal->config.sms, now_us);
  const char *code;

  if (wait > 0)
    {
      eimza_sim_messages_add_error (messages, TEXT_SMS_WAIT, wait);
      return;
    }

  code = eimza_sim_sms_send (&session->sms, portal->rand, now_us);
  /* A broken log must not fail the portal: tests read the code through
   * /_sim/sms as well. */
  if (!eimza_sim_sms_gateway_log (portal->config.sms_log_path, session->mobile_phone,
                                  code, &error))
    g_warning ("%s", error->message);

  eimza_sim_messages_add_info (messages, TEXT_SMS_SENT);
}

static EimzaSimReply *
post_sms (EimzaSimPortal         *portal,
          EimzaSimSession       **session,
          const EimzaSimRequest  *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();
  const EimzaSimSmsRules *rules = &portal->config.sms;

  if (has_key (request->form, "gonder"))
    {
      send_sms (portal, *session, messages, request->now_us);
    }
  else if (has_key (request->form, "tamam"))
    {
      switch (eimza_sim_sms_check (&(*session)->sms, rules, lookup (request->form, "smsKodu"),
                                   request->faults, request->now_us))
        {
        case EIMZA_SIM_SMS_RIGHT:
          (*session)->furthest = EIMZA_SIM_STEP_METHOD;
          return redirect_to (*session, EIMZA_SIM_STEP_METHOD);

        case EIMZA_SIM_SMS_WRONG:
          eimza_sim_messages_add_error (messages, TEXT_SMS_WRONG,
                                        eimza_sim_sms_attempts_left (&(*session)->sms, rules));
          break;

        case EIMZA_SIM_SMS_EXPIRED:
          eimza_sim_messages_add_error (messages, TEXT_SMS_EXPIRED);
          break;

        case EIMZA_SIM_SMS_LOCKED:
        default:
          return restart_with_message (portal, session, TEXT_SMS_LOCKED, request->now_us);
        }
    }

  return sms_page (portal, *session, messages, request->now_us);
}

static EimzaSimReply *
method_page (EimzaSimPortal         *portal,
             EimzaSimSession        *session,
             const EimzaSimMessages *messages)
{
  const char *view_state = eimza_sim_session_new_view_state (portal->sessions, session);

  return eimza_sim_reply_new_html (eimza_sim_page_method (view_state,
                                                          session->person->eonay_active,
                                                          messages));
}

static EimzaSimReply *
post_method (EimzaSimPortal        *portal,
             EimzaSimSession       *session,
             const EimzaSimRequest *request)
{
  g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();

  if (has_key (request->form, "eonayliBasvuru"))
    {
      if (session->person->eonay_active)
        {
          session->application_no = eimza_sim_portal_new_application_no (portal);
          session->furthest = EIMZA_SIM_STEP_RESULT;
          return redirect_to (session, EIMZA_SIM_STEP_RESULT);
        }
      eimza_sim_messages_add_error (messages, TEXT_NO_EONAY);
    }
  else if (has_key (request->form, "eimzaliBasvuru"))
    {
      if (eimza_sim_esign_start (portal, session, request->now_us))
        {
          session->furthest = EIMZA_SIM_STEP_ESIGN;
          return redirect_to (session, EIMZA_SIM_STEP_ESIGN);
        }
      eimza_sim_messages_add_error (messages, TEXT_ESIGNED_UNAVAILABLE);
    }

  return method_page (portal, session, messages);
}

static EimzaSimReply *
result_page (EimzaSimSession *session)
{
  return eimza_sim_reply_new_html (eimza_sim_page_result (session->application_no));
}

static EimzaSimReply *
captcha_image (EimzaSimPortal        *portal,
               EimzaSimSession       *session,
               const EimzaSimRequest *request)
{
  g_autoptr(GBytes) png = NULL;

  if (session->captcha == NULL || g_strcmp0 (lookup (request->query, "yenile"), "1") == 0)
    new_captcha (portal, session);

  /* The captcha's text stays what the page checks, whatever is drawn. */
  png = (request->faults & EIMZA_SIM_FAULT_HUGE_CAPTCHA)
    ? eimza_sim_captcha_huge_png ()
    : eimza_sim_captcha_render_png (session->captcha, portal->rand);
  return eimza_sim_reply_new_bytes (200, "image/png", png);
}

static EimzaSimReply *
handle_step (EimzaSimPortal         *portal,
             EimzaSimSession       **session,
             EimzaSimStep            step,
             const EimzaSimRequest  *request)
{
  switch (step)
    {
    case EIMZA_SIM_STEP_LOGIN:
      return post_login (portal, *session, request);

    case EIMZA_SIM_STEP_FORM:
      return request->is_post ? post_form (portal, *session, request)
                              : form_page (portal, *session, NULL);

    case EIMZA_SIM_STEP_SMS:
      return request->is_post ? post_sms (portal, session, request)
                              : sms_page (portal, *session, NULL, request->now_us);

    case EIMZA_SIM_STEP_METHOD:
      return request->is_post ? post_method (portal, *session, request)
                              : method_page (portal, *session, NULL);

    case EIMZA_SIM_STEP_ESIGN:
      /* The page has no form: a POST only shows it again. */
      return eimza_sim_reply_new_html (
        eimza_sim_esign_page (portal, *session,
                              (request->faults & EIMZA_SIM_FAULT_CODE_EXPIRED) != 0,
                              request->now_us));

    case EIMZA_SIM_STEP_RESULT:
    default:
      return result_page (*session);
    }
}

EimzaSimReply *
eimza_sim_flow_handle (EimzaSimPortal         *portal,
                       EimzaSimSession       **session,
                       const EimzaSimRequest  *request)
{
  EimzaSimStep step = EIMZA_SIM_STEP_LOGIN;
  gboolean is_captcha = g_str_equal (request->path, CAPTCHA_PATH);

  /* The signer's endpoints belong to the session of their code. */
  if (eimza_sim_esign_is_signer_path (request->path))
    {
      EimzaSimReply *reply = eimza_sim_esign_handle_signer (portal, session, request);

      return reply != NULL
        ? reply
        : restart_with_message (portal, session, TEXT_SESSION_EXPIRED, request->now_us);
    }

  if (!is_captcha && !find_step (request->path, &step))
    return eimza_sim_reply_new_status (404, eimza_sim_page_error (404));

  /* Only a GET of the login page starts a session; anything else without
   * one (the captcha image included) gets the session-expired page. */
  if (!is_captcha && step == EIMZA_SIM_STEP_LOGIN && !request->is_post)
    return get_login (portal, session, request->now_us);
  if (*session == NULL)
    return restart_with_message (portal, session, TEXT_SESSION_EXPIRED, request->now_us);

  if (is_captcha)
    return captcha_image (portal, *session, request);

  if (request->is_post
      && !eimza_sim_session_check_view_state (*session, lookup (request->form, VIEW_STATE_FIELD)))
    return restart_with_message (portal, session, TEXT_SESSION_EXPIRED, request->now_us);

  /* A made application can only be looked at, or a new one started. */
  if ((*session)->application_no != NULL && step != EIMZA_SIM_STEP_LOGIN)
    step = EIMZA_SIM_STEP_RESULT;
  if (step > (*session)->furthest || !g_str_equal (request->path, step_paths[step]))
    return eimza_sim_reply_new_redirect (step_paths[MIN (step, (*session)->furthest)]);

  return handle_step (portal, session, step, request);
}

EimzaSimReply *
eimza_sim_flow_render_current (EimzaSimPortal  *portal,
                               EimzaSimSession *session,
                               const char      *path)
{
  const EimzaSimSmsRules *rules = &portal->config.sms;
  EimzaSimStep step;
  const char *view_state;
  GString *html;

  if (session == NULL)
    {
      g_autoptr(EimzaSimMessages) messages = eimza_sim_messages_new ();

      eimza_sim_messages_add_error (messages, TEXT_SESSION_EXPIRED);
      return eimza_sim_reply_new_html (eimza_sim_page_login ("", "0", NULL, messages));
    }

  if (g_str_equal (path, CAPTCHA_PATH))
    {
      g_autoptr(GBytes) png = eimza_sim_captcha_render_png (session->captcha != NULL
                                                              ? session->captcha : "",
                                                            portal->rand);
      return eimza_sim_reply_new_bytes (200, "image/png", png);
    }

  if (!find_step (path, &step))
    return eimza_sim_reply_new_status (404, eimza_sim_page_error (404));

  step = MIN (step, session->furthest);
  view_state = session->view_state != NULL ? session->view_state : "";

  switch (step)
    {
    case EIMZA_SIM_STEP_LOGIN:
      html = eimza_sim_page_login (view_state, "0", NULL, NULL);
      break;

    case EIMZA_SIM_STEP_FORM:
      html = eimza_sim_page_form (view_state, session->person, session->values, portal->geo, NULL);
      break;

    case EIMZA_SIM_STEP_SMS:
      html = eimza_sim_page_sms (view_state, session->mobile_phone,
                                 eimza_sim_sms_attempts_left (&session->sms, rules),
                                 eimza_sim_sms_resend_wait (&session->sms, rules,
                                                            g_get_monotonic_time ()),
                                 NULL);
      break;

    case EIMZA_SIM_STEP_METHOD:
      html = eimza_sim_page_method (view_state, session->person->eonay_active, NULL);
      break;

    case EIMZA_SIM_STEP_ESIGN:
      html = eimza_sim_esign_page (portal, session, FALSE, g_get_monotonic_time ());
      break;

    case EIMZA_SIM_STEP_RESULT:
    default:
      html = eimza_sim_page_result (session->application_no);
      break;
    }

  return eimza_sim_reply_new_html (html);
}
