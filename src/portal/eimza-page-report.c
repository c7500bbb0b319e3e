/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a profile makes of one saved page: its kind, what it extracts, the selectors that found nothing. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "eimza-core-enums.h"
#include "eimza-nes-web-page.h"
#include "eimza-page-report.h"
#include "eimza-portal-enums.h"
#include "eimza-portal-html.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile-private.h"
#include "eimza-portal-xml.h"

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (enum_class, value);

  /* The nicks are static strings of the generated enum code. */
  return enum_value != NULL ? enum_value->value_nick : "?";
}

/* Whether @expr found something at @node: nodes, a true boolean, a
 * number, a non-empty string. */
static gboolean
expr_matches (xmlXPathContextPtr  context,
              xmlXPathCompExprPtr expr,
              xmlNodePtr          node)
{
  xmlXPathObjectPtr result = eimza_portal_html_evaluate (context, expr, node);
  gboolean found = FALSE;

  if (result == NULL)
    return FALSE;

  switch (result->type)
    {
    case XPATH_NODESET:
      found = result->nodesetval != NULL && result->nodesetval->nodeNr > 0;
      break;
    case XPATH_BOOLEAN:
      found = result->boolval != 0;
      break;
    case XPATH_NUMBER:
      found = !xmlXPathIsNaN (result->floatval);
      break;
    case XPATH_STRING:
      found = result->stringval != NULL && *result->stringval != '\0';
      break;
    default:
      found = TRUE;
      break;
    }

  xmlXPathFreeObject (result);
  return found;
}

/* The portal's selectors that are evaluated at the nodes another one
 * found, and that one. */
static int
portal_selector_parent (EimzaPortalSelector selector)
{
  switch (selector)
    {
    case EIMZA_PORTAL_SELECTOR_FIELD_ERROR_NAME:
      return EIMZA_PORTAL_SELECTOR_FIELD_ERRORS;
    case EIMZA_PORTAL_SELECTOR_IDENTITY_CELL_NAME:
      return EIMZA_PORTAL_SELECTOR_IDENTITY_CELLS;
    case EIMZA_PORTAL_SELECTOR_SIGN_SUMMARY_LABEL:
    case EIMZA_PORTAL_SELECTOR_SIGN_SUMMARY_VALUE:
      return EIMZA_PORTAL_SELECTOR_SIGN_SUMMARY_ROWS;
    default:
      return -1;
    }
}

static gboolean
portal_selector_matches (EimzaPortalProfile  *profile,
                         xmlXPathContextPtr   context,
                         EimzaPortalSelector  selector)
{
  int parent = portal_selector_parent (selector);
  g_autoptr(GPtrArray) nodes = NULL;
  xmlXPathCompExprPtr expr = eimza_portal_profile_get_selector_expr (profile, selector);

  if (parent < 0)
    return expr_matches (context, expr, NULL);

  /* Relative: it matches when it finds something at one of its parent's nodes. */
  nodes = eimza_portal_html_evaluate_nodes (context,
                                            eimza_portal_profile_get_selector_expr (profile, parent),
                                            NULL);
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      if (expr_matches (context, expr, g_ptr_array_index (nodes, i)))
        return TRUE;
    }

  return FALSE;
}

static void
append_unmatched (GString   *out,
                  GPtrArray *unmatched)
{
  g_autofree char *list = NULL;

  if (unmatched->len == 0)
    return;

  g_ptr_array_add (unmatched, NULL);
  list = g_strjoinv (", ", (char **) unmatched->pdata);
  g_string_append_printf (out, "  ");
  /* TRANSLATORS: %s is a list of the profile's selector keys */
  g_string_append_printf (out, _("Selectors that matched nothing: %s"), list);
  g_string_append_c (out, '\n');
}

static void
append_value (GString    *out,
              const char *key,
              const char *value)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *indented = NULL;

  if (value == NULL || *value == '\0')
    return;

  /* Multi-line values (the summary) stay readable under their key. */
  lines = g_strsplit (value, "\n", -1);
  indented = g_strjoinv ("\n    ", lines);
  g_string_append_printf (out, "  %s: %s\n", key, indented);
}

static void
append_number (GString    *out,
               const char *key,
               int         value)
{
  if (value >= 0)
    g_string_append_printf (out, "  %s: %d\n", key, value);
}

static void
append_list (GString            *out,
             const char         *key,
             const char * const *values)
{
  for (guint i = 0; values[i] != NULL; i++)
    append_value (out, key, values[i]);
}

static void
append_hidden (GString            *out,
               const char * const *names,
               const char * const *values)
{
  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (out, "  hidden-inputs: %s=%s\n", names[i], values[i]);
}

/* ------------------------------------------------------------------------
 * The application portal.
 * ------------------------------------------------------------------------ */

static void
append_portal_values (GString            *out,
                      EimzaPortalWebPage *page)
{
  GHashTable *field_errors = eimza_portal_web_page_get_field_errors (page);
  EimzaPortalWebPageKind kind = eimza_portal_web_page_get_kind (page);

  append_list (out, "page-errors", eimza_portal_web_page_get_errors (page));
  append_list (out, "info-messages", eimza_portal_web_page_get_infos (page));
  append_hidden (out, eimza_portal_web_page_get_hidden_names (page), eimza_portal_web_page_get_hidden_values (page));

  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      const char *nick = enum_nick (EIMZA_TYPE_FIELD, field);
      const char *error = g_hash_table_lookup (field_errors, GINT_TO_POINTER (field));
      const char *value = eimza_portal_web_page_get_form_value (page, field);
      const char *identity = eimza_portal_web_page_get_identity_value (page, field);

      if (error != NULL)
        g_string_append_printf (out, "  field-errors: %s: %s\n", nick, error);
      if (value != NULL)
        g_string_append_printf (out, "  form-controls: %s=%s\n", nick, value);
      if (identity != NULL)
        g_string_append_printf (out, "  identity-cells: %s=%s\n", nick, identity);
    }

  append_value (out, "captcha-image", eimza_portal_web_page_get_captcha_url (page));
  append_value (out, "masked-phone", eimza_portal_web_page_get_masked_phone (page));
  append_number (out, "attempts-left", eimza_portal_web_page_get_attempts_left (page));
  append_number (out, "resend-seconds", eimza_portal_web_page_get_resend_seconds (page));
  if (kind == EIMZA_PORTAL_WEB_PAGE_METHOD)
    append_value (out, "eonay-button", eimza_portal_web_page_get_eonay_available (page) ? "enabled" : "disabled");
  append_value (out, "application-number", eimza_portal_web_page_get_application_number (page));
  append_value (out, "sign-summary-rows", eimza_portal_web_page_get_sign_summary (page));
  append_value (out, "sign-commitment", eimza_portal_web_page_get_sign_commitment (page));
  append_number (out, "sign-seconds-left", eimza_portal_web_page_get_sign_seconds_left (page));
  append_value (out, "sign-data-url", eimza_portal_web_page_get_sign_data_url (page));
  append_value (out, "sign-upload-url", eimza_portal_web_page_get_sign_upload_url (page));
}

static void
append_portal_unmatched (GString            *out,
                         EimzaPortalProfile *profile,
                         xmlXPathContextPtr  context)
{
  g_autoptr(GPtrArray) unmatched = g_ptr_array_new ();

  for (EimzaPortalSelector selector = 0; selector < EIMZA_PORTAL_N_SELECTORS; selector++)
    {
      if (!portal_selector_matches (profile, context, selector))
        g_ptr_array_add (unmatched, (char *) enum_nick (EIMZA_TYPE_PORTAL_SELECTOR, selector));
    }

  append_unmatched (out, unmatched);
}

/* Why the portal's parser refuses a page: the kinds whose marker is true
 * and which of their requirements are false. */
static void
append_marker_report (GString            *out,
                      xmlXPathContextPtr  context,
                      const char         *group,
                      xmlXPathCompExprPtr marker,
                      GPtrArray          *requirements)
{
  if (!expr_matches (context, marker, NULL))
    return;

  g_string_append (out, "  ");
  /* TRANSLATORS: %s is a group of the profile, e.g. "page:login" */
  g_string_append_printf (out, _("The marker of [%s] is true."), group);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < requirements->len; i++)
    {
      if (expr_matches (context, g_ptr_array_index (requirements, i), NULL))
        continue;
      g_string_append (out, "  ");
      /* TRANSLATORS: "require" is a key of the profile; %u counts from 1,
       * %s is a group such as "page:login" */
      g_string_append_printf (out, _("Requirement %u of [%s] (key “require”) is false."), i + 1,
                              group);
      g_string_append_c (out, '\n');
    }
}

static void
append_portal_markers (GString            *out,
                       EimzaPortalProfile *profile,
                       xmlXPathContextPtr  context)
{
  for (EimzaPortalWebPageKind kind = EIMZA_PORTAL_WEB_PAGE_LOGIN; kind < EIMZA_PORTAL_N_PAGE_KINDS; kind++)
    {
      g_autofree char *group = g_strconcat ("page:", enum_nick (EIMZA_TYPE_PORTAL_WEB_PAGE_KIND, kind),
                                            NULL);

      append_marker_report (out, context, group,
                            eimza_portal_profile_get_page_marker (profile, kind),
                            eimza_portal_profile_get_page_requirements (profile, kind));
    }
}

/* ------------------------------------------------------------------------
 * The NES site.
 * ------------------------------------------------------------------------ */

static void
append_nes_values (GString         *out,
                   EimzaNesWebPage *page)
{
  static const char * const purposes[] = { NULL, "login", "eonay" };
  EimzaEonayPurpose purpose = eimza_nes_web_page_get_purpose (page);

  append_list (out, "page-errors", eimza_nes_web_page_get_errors (page));
  append_list (out, "info-messages", eimza_nes_web_page_get_infos (page));
  append_hidden (out, eimza_nes_web_page_get_hidden_names (page), eimza_nes_web_page_get_hidden_values (page));
  append_value (out, "code", eimza_nes_web_page_get_code (page));
  append_number (out, "seconds-left", eimza_nes_web_page_get_seconds_left (page));
  append_number (out, "time-limit", eimza_nes_web_page_get_time_limit (page));
  if (purpose < G_N_ELEMENTS (purposes))
    append_value (out, "purpose", purposes[purpose]);
  append_value (out, "holder", eimza_nes_web_page_get_holder (page));
  if (eimza_nes_web_page_get_kind (page) == EIMZA_NES_WEB_PAGE_EONAY)
    append_value (out, "eonay-active", eimza_nes_web_page_get_eonay_active (page) ? "yes" : "no");
  append_value (out, "explanation", eimza_nes_web_page_get_explanation (page));
  append_value (out, "commitment", eimza_nes_web_page_get_commitment (page));
}

static void
append_nes_unmatched (GString            *out,
                      EimzaEonayProfile  *nes,
                      xmlXPathContextPtr  context)
{
  g_autoptr(GPtrArray) unmatched = g_ptr_array_new ();

  for (EimzaEonaySelector selector = 0; selector < EIMZA_EONAY_N_SELECTORS; selector++)
    {
      if (!expr_matches (context, eimza_eonay_profile_get_selector_expr (nes, selector), NULL))
        g_ptr_array_add (unmatched, (char *) eimza_eonay_profile_selector_key (selector));
    }

  append_unmatched (out, unmatched);
}

static void
append_nes_markers (GString            *out,
                    EimzaEonayProfile  *nes,
                    xmlXPathContextPtr  context)
{
  for (EimzaNesWebPageKind kind = EIMZA_NES_WEB_PAGE_LOGIN; kind < EIMZA_EONAY_N_PAGE_KINDS; kind++)
    {
      g_autofree char *group = g_strconcat ("nes-page:", eimza_eonay_profile_page_key (kind), NULL);

      append_marker_report (out, context, group,
                            eimza_eonay_profile_get_page_marker (nes, kind),
                            eimza_eonay_profile_get_page_requirements (nes, kind));
    }
}

/* ------------------------------------------------------------------------
 * One page.
 * ------------------------------------------------------------------------ */

/* The parsers tell people only that a page is not what was expected; the
 * maintainer needs their reason, which goes to the debug log. */
static void
capture_reason_cb (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  char **reason = user_data;
  const char *why = strstr (message, " page: ");

  if (g_str_has_prefix (message, "Unexpected ") && why != NULL && *reason == NULL)
    *reason = g_strdup (why + strlen (" page: "));
}

static guint
capture_reason_begin (char **reason)
{
  return g_log_set_handler (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, capture_reason_cb, reason);
}

static void
capture_reason_end (guint handler_id)
{
  g_log_remove_handler (G_LOG_DOMAIN, handler_id);
}

static const char *
refusal_reason (const char   *reason,
                const GError *error)
{
  if (reason != NULL)
    return reason;

  return error != NULL ? error->message : _("no page marker matched.");
}

/* The page as the document the selectors see, or NULL with the reason. */
static xmlDocPtr
read_document (GBytes      *bytes,
               const char  *encoding,
               const char  *complete_marker,
               GError     **error)
{
  return eimza_portal_html_read (bytes, encoding, complete_marker, "check", error);
}

static gboolean
report_portal (GString            *out,
               GString            *refusals,
               const char         *name,
               GBytes             *bytes,
               EimzaPortalProfile *profile)
{
  g_autoptr(EimzaPortalWebPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  xmlXPathContextPtr context = NULL;
  xmlDocPtr doc;
  guint handler_id;

  handler_id = capture_reason_begin (&reason);
  page = eimza_portal_web_page_parse (profile, bytes, &error);
  capture_reason_end (handler_id);
  doc = read_document (bytes, eimza_portal_profile_get_encoding (profile),
                       eimza_portal_profile_get_complete_marker (profile), NULL);
  if (doc != NULL)
    context = eimza_portal_html_new_context (doc);

  if (page != NULL && eimza_portal_web_page_get_kind (page) != EIMZA_PORTAL_WEB_PAGE_UNKNOWN)
    {
      /* TRANSLATORS: %s is a file name, then a kind of page such as "login" */
      g_string_append_printf (out, _("%s: a page of the application portal, kind “%s”."), name,
                              enum_nick (EIMZA_TYPE_PORTAL_WEB_PAGE_KIND, eimza_portal_web_page_get_kind (page)));
      g_string_append_c (out, '\n');
      append_portal_values (out, page);
      if (context != NULL)
        append_portal_unmatched (out, profile, context);
    }
  else
    {
      g_string_append (refusals, "  ");
      /* TRANSLATORS: %s is why (already translated) */
      g_string_append_printf (refusals, _("As a page of the application portal: %s"),
                              refusal_reason (reason, error));
      g_string_append_c (refusals, '\n');
      if (context != NULL)
        append_portal_markers (refusals, profile, context);
    }

  g_clear_pointer (&context, xmlXPathFreeContext);
  g_clear_pointer (&doc, xmlFreeDoc);
  return page != NULL && eimza_portal_web_page_get_kind (page) != EIMZA_PORTAL_WEB_PAGE_UNKNOWN;
}

static gboolean
report_nes (GString           *out,
            GString           *refusals,
            const char        *name,
            GBytes            *bytes,
            EimzaEonayProfile *nes)
{
  g_autoptr(EimzaNesWebPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  xmlXPathContextPtr context = NULL;
  xmlDocPtr doc;
  guint handler_id;

  handler_id = capture_reason_begin (&reason);
  page = eimza_nes_web_page_parse (nes, bytes, &error);
  capture_reason_end (handler_id);
  doc = read_document (bytes, eimza_eonay_profile_get_encoding (nes),
                       eimza_eonay_profile_get_complete_marker (nes), NULL);
  if (doc != NULL)
    context = eimza_portal_html_new_context (doc);

  if (page != NULL && eimza_nes_web_page_get_kind (page) != EIMZA_NES_WEB_PAGE_UNKNOWN)
    {
      g_string_append_printf (out, _("%s: a page of the NES site, kind “%s”."), name,
                              eimza_eonay_profile_page_key (eimza_nes_web_page_get_kind (page)));
      g_string_append_c (out, '\n');
      append_nes_values (out, page);
      if (context != NULL)
        append_nes_unmatched (out, nes, context);
    }
  else
    {
      g_string_append (refusals, "  ");
      g_string_append_printf (refusals, _("As a page of the NES site: %s"),
                              refusal_reason (reason, error));
      g_string_append_c (refusals, '\n');
      if (context != NULL)
        append_nes_markers (refusals, nes, context);
    }

  g_clear_pointer (&context, xmlXPathFreeContext);
  g_clear_pointer (&doc, xmlFreeDoc);
  return page != NULL && eimza_nes_web_page_get_kind (page) != EIMZA_NES_WEB_PAGE_UNKNOWN;
}

gboolean
eimza_page_report_append (GString            *out,
                          const char         *name,
                          GBytes             *bytes,
                          EimzaPortalProfile *portal,
                          EimzaEonayProfile  *nes)
{
  g_autoptr(GString) refusals = g_string_new (NULL);
  gboolean recognised = FALSE;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (portal != NULL || nes != NULL, FALSE);

  eimza_portal_xml_init ();

  /* A page may be both sites' (a session-expired page): every site that
   * recognises it says so. */
  if (portal != NULL)
    recognised |= report_portal (out, refusals, name, bytes, portal);
  if (nes != NULL)
    recognised |= report_nes (out, refusals, name, bytes, nes);

  if (!recognised)
    {
      /* TRANSLATORS: %s is a file name */
      g_string_append_printf (out, _("%s: not recognised."), name);
      g_string_append_c (out, '\n');
      g_string_append_len (out, refusals->str, refusals->len);
    }

  return recognised;
}
