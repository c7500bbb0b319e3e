/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: the .jnlp parser and recogniser on arbitrary bytes. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "eimza-jnlp.h"
#include "eimza-portal-profile.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static EimzaPortalProfile *profiles[2];

/* What reading /etc/passwd through an external entity would bring in; only
 * looked for when the input itself does not contain it. */
#define PASSWD_LINE "root:x:0:0"
static gboolean input_has_passwd_line;

/* Whether the input's own text, with its markup left out, holds the line:
 * text around an element joins up, as in "root:x:0<b/>:0", so such a title
 * is the input's, not something an entity brought in. */
static gboolean
input_text_has_passwd_line (const uint8_t *data,
                            size_t         size)
{
  g_autoptr(GString) text = g_string_sized_new (size);
  gboolean in_markup = FALSE;

  for (size_t i = 0; i < size; i++)
    {
      if (data[i] == '<')
        in_markup = TRUE;
      else if (data[i] == '>' && in_markup)
        in_markup = FALSE;
      else if (!in_markup)
        g_string_append_c (text, (char) data[i]);
    }

  /* The text may hold NUL bytes: search it piece by piece. */
  for (size_t start = 0; start < text->len; start += strlen (text->str + start) + 1)
    {
      if (strstr (text->str + start, PASSWD_LINE) != NULL)
        return TRUE;
    }
  for (size_t i = 0; i + strlen (PASSWD_LINE) <= size; i++)
    {
      if (memcmp (data + i, PASSWD_LINE, strlen (PASSWD_LINE)) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Whether the input has "<!DOCTYPE" (any case), where entities are declared. */
static gboolean
input_declares_document_type (const uint8_t *data,
                              size_t         size)
{
  static const char doctype[] = "<!doctype";

  for (size_t i = 0; i + sizeof doctype - 1 <= size; i++)
    {
      if (g_ascii_strncasecmp ((const char *) data + i, doctype, sizeof doctype - 1) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Everything the parser hands out is valid UTF-8 and never carries what an
 * external entity could have pulled in. */
static void
check_text (const char *text)
{
  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    abort ();
  if (!input_has_passwd_line && strstr (text, PASSWD_LINE) != NULL)
    abort ();
}

/* Every URL that comes out is absolute https:// with a host. */
static void
check_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return;
  check_text (url);
  if (!g_str_has_prefix (url, "https://"))
    abort ();
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_userinfo (uri) != NULL)
    abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char * const names[] = {
    EIMZA_PORTAL_PROFILE_KAMUSM, EIMZA_PORTAL_PROFILE_SIMULATOR,
  };

  /* A critical or warning is a bug the fuzzer should report as a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;

      profiles[i] = eimza_portal_profile_new (names[i], &error);
      if (profiles[i] == NULL)
        g_error ("Cannot load the %s profile: %s", names[i], error->message);
    }

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *jars;
  const char * const *arguments;
  guint n_jars, n_arguments;

  /* Without a document type declaration nothing external can come in:
   * the line can only be the input's own text, joined up by the parser
   * (which also drops characters such as U+202E between its pieces). */
  input_has_passwd_line = !input_declares_document_type (data, size) ||
                          input_text_has_passwd_line (data, size);
  jnlp = eimza_jnlp_new_from_bytes (bytes, &error);
  if (jnlp == NULL)
    {
      /* Parsing fails only in these ways, each with a sentence. */
      if (error == NULL || error->domain != EIMZA_JNLP_ERROR ||
          (error->code != EIMZA_JNLP_ERROR_NOT_JNLP && error->code != EIMZA_JNLP_ERROR_MALFORMED &&
           error->code != EIMZA_JNLP_ERROR_TOO_LARGE &&
           error->code != EIMZA_JNLP_ERROR_INSECURE_CODEBASE) ||
          *error->message == '\0')
        abort ();
      check_text (error->message);
      return 0;
    }

  check_url (eimza_jnlp_get_codebase (jnlp));
  if (!g_str_has_suffix (eimza_jnlp_get_codebase (jnlp), "/"))
    abort ();
  check_text (eimza_jnlp_get_codebase_host (jnlp));
  check_url (eimza_jnlp_get_href (jnlp));
  check_text (eimza_jnlp_get_title (jnlp));
  check_text (eimza_jnlp_get_vendor (jnlp));
  check_text (eimza_jnlp_get_main_class (jnlp));

  jars = eimza_jnlp_get_jars (jnlp);
  arguments = eimza_jnlp_get_arguments (jnlp);
  if (jars == NULL || arguments == NULL)
    abort ();
  for (n_jars = 0; jars[n_jars] != NULL; n_jars++)
    check_url (jars[n_jars]);
  for (n_arguments = 0; arguments[n_arguments] != NULL; n_arguments++)
    check_text (arguments[n_arguments]);
  if (n_jars > EIMZA_JNLP_MAX_JARS || n_arguments > EIMZA_JNLP_MAX_ARGUMENTS)
    abort ();
  if ((n_jars == 0) != (eimza_jnlp_get_main_jar (jnlp) == NULL))
    abort ();
  if (eimza_jnlp_get_security (jnlp) > EIMZA_JNLP_SECURITY_ALL_PERMISSIONS)
    abort ();

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autoptr(GError) recognise_error = NULL;
      g_autofree char *description = NULL;
      EimzaJnlpKind kind = eimza_jnlp_recognise (jnlp, profiles[i], &recognise_error);

      if (kind == EIMZA_JNLP_KIND_UNKNOWN)
        {
          if (!g_error_matches (recognise_error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_UNKNOWN_APP))
            abort ();
          check_text (recognise_error->message);
        }
      else if (kind != EIMZA_JNLP_KIND_SIGNER || recognise_error != NULL ||
               eimza_jnlp_get_main_class (jnlp) == NULL || n_jars == 0)
        {
          abort ();
        }

      description = eimza_jnlp_describe (jnlp, kind);
      check_text (description);
    }

  return 0;
}
