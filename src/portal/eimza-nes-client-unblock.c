/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EimzaNesClient: Şifreli Giriş (number, security word, captcha, SMS code) and Kilit Çözme's unblock code. */
#include "config.h"

#include <string.h>
#include <libxml/xpath.h>

#include "eimza-captcha-image.h"
#include "eimza-nes-client-private.h"
#include "eimza-portal-html.h"
#include "eimza-wiped-buffer.h"

/* ------------------------------------------------------------------------
 * The route's pages, read with the profile's [nes-unblock-*] groups and
 * the site's common selectors of [nes-selectors].
 * ------------------------------------------------------------------------ */

struct _EimzaNesUnblockPage
{
  EimzaUnblockPageKind kind;
  GStrv errors;              /* the site's own sentences, never NULL */
  GPtrArray *hidden_names;   /* NULL-terminated */
  GPtrArray *hidden_values;
  GPtrArray *submit_names;
  GPtrArray *submit_values;
  char *captcha_src;
  char *phone;
  int seconds_left;
  char *holder;
  char *unblock_code;        /* wiped when freed */
  /* A later exchange failed: the site may have moved on (a POST whose
   * answer was lost), so its view state is not to be posted again. */
  gboolean stale;
};

void
eimza_nes_unblock_page_free (EimzaNesUnblockPage *page)
{
  if (page == NULL)
    return;

  g_strfreev (page->errors);
  g_clear_pointer (&page->hidden_names, g_ptr_array_unref);
  g_clear_pointer (&page->hidden_values, g_ptr_array_unref);
  g_clear_pointer (&page->submit_names, g_ptr_array_unref);
  g_clear_pointer (&page->submit_values, g_ptr_array_unref);
  g_free (page->captcha_src);
  g_free (page->phone);
  g_free (page->holder);
  if (page->unblock_code != NULL)
    eimza_wiped_string_free (page->unblock_code);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaNesUnblockPage, eimza_nes_unblock_page_free)

static EimzaUnblockProfile *
unblock_profile (EimzaNesClient *self)
{
  return eimza_eonay_profile_get_unblock (self->nes);
}

static char *
evaluate_string (xmlXPathContextPtr context,
                 gpointer           expr)
{
  return eimza_portal_html_evaluate_string (context, expr, NULL);
}

/* Every node's text (errors), or name and value attributes (inputs). */
static GStrv
evaluate_texts (xmlXPathContextPtr context,
                gpointer           expr)
{
  g_autoptr(GPtrArray) nodes = eimza_portal_html_evaluate_nodes (context, expr, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      xmlNodePtr node = g_ptr_array_index (nodes, i);
      xmlChar *content = xmlNodeGetContent (node);
      g_autofree char *text = eimza_portal_html_clean_text (content);

      xmlFree (content);
      if (text != NULL)
        g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

static void
evaluate_inputs (xmlXPathContextPtr context,
                 gpointer           expr,
                 GPtrArray        **out_names,
                 GPtrArray        **out_values)
{
  g_autoptr(GPtrArray) nodes = eimza_portal_html_evaluate_nodes (context, expr, NULL);

  *out_names = g_ptr_array_new_with_free_func (g_free);
  *out_values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      char *name = eimza_portal_html_get_attribute (g_ptr_array_index (nodes, i), "name");
      char *value = eimza_portal_html_get_attribute (g_ptr_array_index (nodes, i), "value");

      if (name == NULL)
        {
          g_free (value);
          continue;
        }
      g_ptr_array_add (*out_names, name);
      g_ptr_array_add (*out_values, value != NULL ? value : g_strdup (""));
    }
  g_ptr_array_add (*out_names, NULL);
  g_ptr_array_add (*out_values, NULL);
}

static EimzaUnblockPageKind
page_kind (EimzaUnblockProfile *profile,
           xmlXPathContextPtr   context)
{
  for (EimzaUnblockPageKind kind = EIMZA_UNBLOCK_PAGE_SIGN_IN; kind < EIMZA_UNBLOCK_N_PAGE_KINDS;
       kind++)
    {
      GPtrArray *requirements;

      if (!eimza_portal_html_evaluate_boolean (context,
                                               eimza_unblock_profile_get_marker (profile, kind),
                                               NULL))
        continue;
      /* A page with the marker but not all it needs is not that page. */
      requirements = eimza_unblock_profile_get_requirements (profile, kind);
      for (guint i = 0; i < requirements->len; i++)
        {
          if (!eimza_portal_html_evaluate_boolean (context, g_ptr_array_index (requirements, i),
                                                   NULL))
            return EIMZA_UNBLOCK_PAGE_UNKNOWN;
        }
      return kind;
    }
  return EIMZA_UNBLOCK_PAGE_UNKNOWN;
}

/* Reads @body (taken and wiped: it may hold the unblock code). */
static EimzaNesUnblockPage *
page_parse (EimzaNesClient  *self,
            GBytes          *body,
            GError         **error)
{
  EimzaUnblockProfile *profile = unblock_profile (self);
  g_autoptr(EimzaNesUnblockPage) page = g_new0 (EimzaNesUnblockPage, 1);
  xmlXPathContextPtr context;
  xmlDocPtr doc;
  g_autofree char *seconds = NULL;
  gsize size = 0;
  guint8 *data;

  doc = eimza_portal_html_read (body, eimza_eonay_profile_get_encoding (self->nes),
                                eimza_eonay_profile_get_complete_marker (self->nes), "NES", error);
  /* g_byte_array_free_to_bytes() made it: the same memory comes back. */
  data = g_bytes_unref_to_data (body, &size);
  explicit_bzero (data, size);
  g_free (data);
  if (doc == NULL)
    return NULL;

  context = eimza_portal_html_new_context (doc);
  if (context == NULL)
    {
      xmlFreeDoc (doc);
      eimza_portal_html_unexpected (error, "NES", "no XPath context");
      return NULL;
    }

  page->kind = page_kind (profile, context);
  page->errors = evaluate_texts (context, eimza_eonay_profile_get_selector_expr (
                                            self->nes, EIMZA_EONAY_SELECTOR_PAGE_ERRORS));
  evaluate_inputs (context,
                   eimza_eonay_profile_get_selector_expr (self->nes, EIMZA_EONAY_SELECTOR_HIDDEN_INPUTS),
                   &page->hidden_names, &page->hidden_values);
  evaluate_inputs (context,
                   eimza_eonay_profile_get_selector_expr (self->nes, EIMZA_EONAY_SELECTOR_SUBMIT_BUTTONS),
                   &page->submit_names, &page->submit_values);
  page->captcha_src = evaluate_string (context, eimza_unblock_profile_get_selector (
                                                  profile, EIMZA_UNBLOCK_SELECTOR_CAPTCHA_IMAGE));
  page->phone = evaluate_string (context, eimza_unblock_profile_get_selector (
                                            profile, EIMZA_UNBLOCK_SELECTOR_SMS_PHONE));
  seconds = evaluate_string (context, eimza_unblock_profile_get_selector (
                                        profile, EIMZA_UNBLOCK_SELECTOR_SMS_SECONDS_LEFT));
  page->seconds_left = seconds != NULL ? eimza_portal_html_parse_count (seconds) : -1;
  page->holder = evaluate_string (context, eimza_unblock_profile_get_selector (
                                             profile, EIMZA_UNBLOCK_SELECTOR_HOLDER));
  page->unblock_code = evaluate_string (context, eimza_unblock_profile_get_selector (
                                                   profile, EIMZA_UNBLOCK_SELECTOR_UNBLOCK_CODE));

  /* libxml2 frees the tree without wiping it: clear the code's text node. */
  if (page->unblock_code != NULL)
    {
      for (xmlNodePtr node = xmlDocGetRootElement (doc); node != NULL;)
        {
          if (node->type == XML_TEXT_NODE && node->content != NULL)
            explicit_bzero (node->content, xmlStrlen (node->content));
          if (node->children != NULL)
            node = node->children;
          else
            {
              while (node != NULL && node->next == NULL)
                node = node->parent;
              if (node != NULL)
                node = node->next;
            }
        }
    }

  xmlXPathFreeContext (context);
  xmlFreeDoc (doc);
  return g_steal_pointer (&page);
}

/* Whether @page is @expected without complaints; otherwise sets @error
 * from what the page says, in the site's own words. */
static gboolean
check_page (EimzaNesClient       *self,
            EimzaNesUnblockPage  *page,
            EimzaUnblockPageKind  expected,
            GError              **error)
{
  EimzaPortalError code;

  if (page->kind == expected && page->errors[0] == NULL)
    return TRUE;

  for (guint i = 0; page->errors[i] != NULL; i++)
    {
      if (eimza_unblock_profile_classify_message (unblock_profile (self), page->errors[i], &code))
        {
          g_set_error_literal (error, EIMZA_PORTAL_ERROR, code, page->errors[i]);
          return FALSE;
        }
    }

  if (page->errors[0] != NULL)
    {
      g_autofree char *all = g_strjoinv ("\n", page->errors);

      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_REJECTED, all);
      return FALSE;
    }

  /* Back at the sign-in form without a word: the site's session is gone. */
  if (page->kind == EIMZA_UNBLOCK_PAGE_SIGN_IN)
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED,
                           eimza_portal_error_describe (EIMZA_PORTAL_ERROR_SESSION_EXPIRED));
      return FALSE;
    }

  g_debug ("Expected Şifreli Giriş page kind %d, got %d", expected, page->kind);
  g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
                       eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
  return FALSE;
}

/* ------------------------------------------------------------------------
 * Steps.
 * ------------------------------------------------------------------------ */

typedef struct {
  EimzaEonayStep step;
  gboolean start_over;
  gboolean form_loaded;
  gboolean refreshing;       /* NES_STEP_UNBLOCK_CODE: the page is loaded again first */
  /* What the person typed, posted once, wiped with the step. */
  char *tckn;
  char *security_word;
  char *captcha;
  char *sms_code;
} UnblockStepData;

static void
wipe_string (char **string)
{
  if (*string != NULL)
    eimza_wiped_string_free (g_steal_pointer (string));
}

static void
unblock_step_data_free (UnblockStepData *data)
{
  wipe_string (&data->tckn);
  wipe_string (&data->security_word);
  wipe_string (&data->captcha);
  wipe_string (&data->sms_code);
  g_free (data);
}

static GTask *
step_begin (EimzaNesClient      *self,
            EimzaEonayStep       step,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  UnblockStepData *data = g_new0 (UnblockStepData, 1);

  data->step = step;
  if (unblock_profile (self) == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      unblock_step_data_free (data);
      g_task_set_source_tag (task, source_tag);
      g_task_return_new_error (task, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NOT_AVAILABLE, "%s",
                               eimza_portal_error_describe (EIMZA_PORTAL_ERROR_NOT_AVAILABLE));
      return NULL;
    }

  return eimza_site_client_step_begin (&self->site, self, source_tag, "NES", step, TRUE, data,
                                       (GDestroyNotify) unblock_step_data_free, cancellable,
                                       callback, user_data);
}

static GUri *
resolve_path (EimzaNesClient   *self,
              EimzaUnblockPath  path)
{
  return g_uri_parse_relative (self->site.base_uri,
                               eimza_unblock_profile_get_path (unblock_profile (self), path),
                               G_URI_FLAGS_NONE, NULL);
}

static void step_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
step_get (GTask *task,
          GUri  *uri)
{
  EimzaNesClient *self = g_task_get_source_object (task);

  eimza_nes_client_request_async (self, uri, NULL, NULL, NES_EXPECT_RAW,
                                  g_task_get_cancellable (task), step_cb, g_object_ref (task));
}

/* Posts @submit's form of the last page with the @n_fields @fields set
 * to @values; the body is built in wiped memory. */
static void
step_post (GTask                   *task,
           EimzaUnblockPath         path,
           EimzaUnblockField        submit,
           const EimzaUnblockField *fields,
           const char * const      *values,
           guint                    n_fields)
{
  EimzaNesClient *self = g_task_get_source_object (task);
  EimzaUnblockProfile *profile = unblock_profile (self);
  EimzaNesUnblockPage *page = self->unblock_page;
  const char *submit_name = eimza_unblock_profile_get_field (profile, submit);
  const char *submit_value = NULL;
  g_autoptr(GUri) uri = resolve_path (self, path);
  g_autoptr(GBytes) body = NULL;
  EimzaPortalFormBody *form;

  form = eimza_portal_form_body_new_with_hidden ((const char * const *) page->hidden_names->pdata,
                                                 (const char * const *) page->hidden_values->pdata);
  for (guint i = 0; i < n_fields; i++)
    eimza_portal_form_body_add (form, eimza_unblock_profile_get_field (profile, fields[i]),
                                values[i]);

  for (guint i = 0; page->submit_names->pdata[i] != NULL; i++)
    {
      if (g_str_equal (page->submit_names->pdata[i], submit_name))
        submit_value = page->submit_values->pdata[i];
    }
  body = eimza_portal_form_body_end_submit (form, submit_name, submit_value);

  eimza_nes_client_request_async (self, uri, body, "application/x-www-form-urlencoded",
                                  NES_EXPECT_RAW, g_task_get_cancellable (task), step_cb,
                                  g_object_ref (task));
}

static void
get_captcha_image (GTask *task)
{
  EimzaNesClient *self = g_task_get_source_object (task);
  const char *src = self->unblock_page->captcha_src;
  g_autoptr(GUri) page_uri = resolve_path (self, EIMZA_UNBLOCK_PATH_SIGN_IN);
  g_autoptr(GUri) uri = NULL;

  /* The image stays on the site's own host. */
  if (src != NULL)
    uri = g_uri_parse_relative (page_uri, src, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || !eimza_portal_request_same_origin (uri, self->site.base_uri))
    {
      eimza_site_client_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
      return;
    }
  step_get (task, uri);
}

static void
captcha_image_done (GTask              *task,
                    EimzaEonayResponse *response)
{
  const char *type = soup_message_headers_get_content_type (response->headers, NULL);
  GError *error = NULL;

  if (g_strcmp0 (type, "text/html") == 0)
    {
      /* A page instead of the image: the session has ended. */
      eimza_site_client_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_SESSION_EXPIRED));
      return;
    }
  if (!eimza_captcha_image_check (response->body, NULL, &error))
    {
      g_debug ("Şifreli Giriş: captcha image refused: %s", error->message);
      g_clear_error (&error);
      eimza_site_client_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
      return;
    }
  eimza_site_client_step_return_pointer (task, g_bytes_ref (response->body),
                                         (GDestroyNotify) g_bytes_unref);
}

static void
step_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  EimzaNesClient *self = EIMZA_NES_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  UnblockStepData *data = g_task_get_task_data (task);
  g_autoptr(EimzaEonayResponse) response = NULL;
  EimzaNesUnblockPage *page;
  GError *error = NULL;

  response = eimza_nes_client_request_finish (self, result, &error);
  if (response == NULL)
    {
      if (self->unblock_page != NULL)
        self->unblock_page->stale = TRUE;
      eimza_site_client_step_return_error (task, error);
      return;
    }

  if (data->step == NES_STEP_UNBLOCK_CAPTCHA && data->form_loaded)
    {
      captcha_image_done (task, response);
      return;
    }

  page = page_parse (self, g_steal_pointer (&response->body), &error);
  if (page == NULL)
    {
      eimza_site_client_step_return_error (task, error);
      return;
    }
  /* The next POST takes this page's hidden fields. */
  g_clear_pointer (&self->unblock_page, eimza_nes_unblock_page_free);
  self->unblock_page = page;

  switch (data->step)
    {
    case NES_STEP_UNBLOCK_CAPTCHA:
      /* A fresh form may still show why the old session ended. */
      if (page->kind != EIMZA_UNBLOCK_PAGE_SIGN_IN)
        {
          check_page (self, page, EIMZA_UNBLOCK_PAGE_SIGN_IN, &error);
          eimza_site_client_step_return_error (task, error);
          return;
        }
      data->form_loaded = TRUE;
      get_captcha_image (task);
      return;

    case NES_STEP_UNBLOCK_SIGN_IN:
      if (!check_page (self, page, EIMZA_UNBLOCK_PAGE_SMS, &error))
        {
          eimza_site_client_step_return_error (task, error);
          return;
        }
      eimza_site_client_step_return_boolean (task, TRUE);
      return;

    case NES_STEP_UNBLOCK_SMS:
      if (!check_page (self, page, EIMZA_UNBLOCK_PAGE_UNBLOCK, &error))
        eimza_site_client_step_return_error (task, error);
      else
        eimza_site_client_step_return_boolean (task, TRUE);
      return;

    case NES_STEP_UNBLOCK_CODE:
      if (!check_page (self, page, EIMZA_UNBLOCK_PAGE_UNBLOCK, &error))
        {
          eimza_site_client_step_return_error (task, error);
          return;
        }
      /* The page as the site has it now: its form may be posted. */
      if (data->refreshing)
        {
          data->refreshing = FALSE;
          step_post (task, EIMZA_UNBLOCK_PATH_UNBLOCK, EIMZA_UNBLOCK_FIELD_UNBLOCK_SUBMIT, NULL,
                     NULL, 0);
          return;
        }
      if (page->unblock_code == NULL)
        {
          eimza_site_client_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
          return;
        }
      {
        gsize length = strlen (page->unblock_code);
        EimzaWipedBuffer *buffer = eimza_wiped_buffer_new (MAX (length, 1));

        eimza_wiped_buffer_append (buffer, page->unblock_code, length);
        /* Handed out once: the page keeps no copy. */
        eimza_wiped_string_free (g_steal_pointer (&page->unblock_code));
        eimza_site_client_step_return_pointer (task, eimza_wiped_buffer_free_to_bytes (buffer),
                                               (GDestroyNotify) g_bytes_unref);
      }
      return;

    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------
 * The public steps.
 * ------------------------------------------------------------------------ */

gboolean
eimza_nes_client_has_unblock (EimzaNesClient *self)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), FALSE);

  return unblock_profile (self) != NULL;
}

void
eimza_nes_client_unblock_captcha_async (EimzaNesClient      *self,
                                        gboolean             start_over,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UnblockStepData *data;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));

  task = step_begin (self, NES_STEP_UNBLOCK_CAPTCHA, eimza_nes_client_unblock_captcha_async,
                     cancellable, callback, user_data);
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  if (!start_over && self->unblock_page != NULL && !self->unblock_page->stale
      && self->unblock_page->kind == EIMZA_UNBLOCK_PAGE_SIGN_IN)
    {
      data->form_loaded = TRUE;
      get_captcha_image (task);
      return;
    }

  {
    g_autoptr(GUri) uri = resolve_path (self, EIMZA_UNBLOCK_PATH_SIGN_IN);

    g_clear_pointer (&self->unblock_page, eimza_nes_unblock_page_free);
    step_get (task, uri);
  }
}

GBytes *
eimza_nes_client_unblock_captcha_finish (EimzaNesClient  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return eimza_site_client_propagate_pointer (self, result, eimza_nes_client_unblock_captcha_async,
                                              error);
}

/* A step that posts from @from: refused when the last page is another. */
static gboolean
check_at_page (GTask                *task,
               EimzaUnblockPageKind  from)
{
  EimzaNesClient *self = g_task_get_source_object (task);

  if (self->unblock_page != NULL && self->unblock_page->kind == from)
    return TRUE;

  eimza_site_client_step_return_error (task, eimza_site_client_error_new (EIMZA_PORTAL_ERROR_SESSION_EXPIRED));
  return FALSE;
}

void
eimza_nes_client_unblock_sign_in_async (EimzaNesClient      *self,
                                        const char          *tckn,
                                        const char          *security_word,
                                        const char          *captcha,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UnblockStepData *data;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (tckn != NULL && security_word != NULL && captcha != NULL);

  task = step_begin (self, NES_STEP_UNBLOCK_SIGN_IN, eimza_nes_client_unblock_sign_in_async,
                     cancellable, callback, user_data);
  if (task == NULL || !check_at_page (task, EIMZA_UNBLOCK_PAGE_SIGN_IN))
    return;

  data = g_task_get_task_data (task);
  data->tckn = g_strstrip (g_strdup (tckn));
  data->security_word = g_strdup (security_word);
  data->captcha = g_strstrip (g_strdup (captcha));
  {
    const EimzaUnblockField fields[] = {
      EIMZA_UNBLOCK_FIELD_TCKN, EIMZA_UNBLOCK_FIELD_SECURITY_WORD, EIMZA_UNBLOCK_FIELD_CAPTCHA,
    };
    const char * const values[] = { data->tckn, data->security_word, data->captcha };

    step_post (task, EIMZA_UNBLOCK_PATH_SIGN_IN, EIMZA_UNBLOCK_FIELD_SIGN_IN_SUBMIT, fields,
               values, G_N_ELEMENTS (fields));
  }
}

gboolean
eimza_nes_client_unblock_sign_in_finish (EimzaNesClient  *self,
                                         GAsyncResult    *result,
                                         char           **out_phone,
                                         int             *out_seconds_left,
                                         GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), FALSE);

  if (!eimza_site_client_propagate_boolean (self, result, eimza_nes_client_unblock_sign_in_async,
                                            error))
    return FALSE;

  if (out_phone != NULL)
    *out_phone = g_strdup (self->unblock_page->phone);
  if (out_seconds_left != NULL)
    *out_seconds_left = self->unblock_page->seconds_left;
  return TRUE;
}

void
eimza_nes_client_unblock_confirm_sms_async (EimzaNesClient      *self,
                                            const char          *sms_code,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UnblockStepData *data;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));
  g_return_if_fail (sms_code != NULL);

  task = step_begin (self, NES_STEP_UNBLOCK_SMS, eimza_nes_client_unblock_confirm_sms_async,
                     cancellable, callback, user_data);
  if (task == NULL || !check_at_page (task, EIMZA_UNBLOCK_PAGE_SMS))
    return;

  data = g_task_get_task_data (task);
  data->sms_code = g_strstrip (g_strdup (sms_code));
  {
    const EimzaUnblockField fields[] = { EIMZA_UNBLOCK_FIELD_SMS_CODE };
    const char * const values[] = { data->sms_code };

    step_post (task, EIMZA_UNBLOCK_PATH_SMS, EIMZA_UNBLOCK_FIELD_SMS_SUBMIT, fields, values, 1);
  }
}

gboolean
eimza_nes_client_unblock_confirm_sms_finish (EimzaNesClient  *self,
                                             GAsyncResult    *result,
                                             char           **out_holder,
                                             GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), FALSE);

  if (!eimza_site_client_propagate_boolean (self, result,
                                            eimza_nes_client_unblock_confirm_sms_async, error))
    return FALSE;

  if (out_holder != NULL)
    *out_holder = g_strdup (self->unblock_page->holder);
  return TRUE;
}

void
eimza_nes_client_unblock_fetch_code_async (EimzaNesClient      *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EIMZA_IS_NES_CLIENT (self));

  task = step_begin (self, NES_STEP_UNBLOCK_CODE, eimza_nes_client_unblock_fetch_code_async,
                     cancellable, callback, user_data);
  if (task == NULL || !check_at_page (task, EIMZA_UNBLOCK_PAGE_UNBLOCK))
    return;

  /* After a lost answer the page is loaded again (a GET) before its form
   * is posted: the old view state is spent. */
  if (self->unblock_page->stale)
    {
      g_autoptr(GUri) uri = resolve_path (self, EIMZA_UNBLOCK_PATH_UNBLOCK);
      UnblockStepData *data = g_task_get_task_data (task);

      data->refreshing = TRUE;
      step_get (task, uri);
      return;
    }

  step_post (task, EIMZA_UNBLOCK_PATH_UNBLOCK, EIMZA_UNBLOCK_FIELD_UNBLOCK_SUBMIT, NULL, NULL, 0);
}

GBytes *
eimza_nes_client_unblock_fetch_code_finish (EimzaNesClient  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  g_return_val_if_fail (EIMZA_IS_NES_CLIENT (self), NULL);

  return eimza_site_client_propagate_pointer (self, result,
                                              eimza_nes_client_unblock_fetch_code_async, error);
}
