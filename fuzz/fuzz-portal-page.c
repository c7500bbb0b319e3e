/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: the portal page parser on arbitrary bytes. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "eimza-portal-error.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static EimzaPortalProfile *profile;

/* Everything the parser hands out is text for people or for the next POST:
 * it must be valid UTF-8. */
static void
check_text (const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    abort ();
}

static void
check_strv (const char * const *strv)
{
  if (strv == NULL)
    abort ();
  for (guint i = 0; strv[i] != NULL; i++)
    check_text (strv[i]);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  /* A critical or warning is a bug the fuzzer should report as a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);

  profile = eimza_portal_profile_new (EIMZA_PORTAL_PROFILE_SIMULATOR, &error);
  if (profile == NULL)
    g_error ("Cannot load the simulator profile: %s", error->message);

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(EimzaPortalWebPage) page = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *names;
  const char * const *values;
  GHashTableIter iter;
  gpointer key, value;
  guint i;

  page = eimza_portal_web_page_parse (profile, bytes, &error);
  if (page == NULL)
    {
      /* The only way a page may fail is as an unexpected page. */
      if (!g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE))
        abort ();
      return 0;
    }

  if (eimza_portal_web_page_get_kind (page) >= EIMZA_PORTAL_N_PAGE_KINDS)
    abort ();

  names = eimza_portal_web_page_get_hidden_names (page);
  values = eimza_portal_web_page_get_hidden_values (page);
  check_strv (names);
  check_strv (values);
  for (i = 0; names[i] != NULL; i++)
    {
      if (values[i] == NULL || eimza_portal_web_page_get_hidden_value (page, names[i]) == NULL)
        abort ();
    }
  if (values[i] != NULL)
    abort ();

  check_strv (eimza_portal_web_page_get_errors (page));
  check_strv (eimza_portal_web_page_get_infos (page));

  g_hash_table_iter_init (&iter, eimza_portal_web_page_get_field_errors (page));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (GPOINTER_TO_INT (key) < 0 || GPOINTER_TO_INT (key) >= EIMZA_N_FIELDS)
        abort ();
      check_text (value);
    }

  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      check_text (eimza_portal_web_page_get_form_value (page, field));
      check_text (eimza_portal_web_page_get_identity_value (page, field));
      check_text (eimza_portal_web_page_get_field_error (page, field));
    }

  check_text (eimza_portal_web_page_get_captcha_url (page));
  check_text (eimza_portal_web_page_get_masked_phone (page));
  check_text (eimza_portal_web_page_get_application_number (page));
  check_text (eimza_portal_web_page_get_submit_value (page, "girisButonu"));
  if (eimza_portal_web_page_get_attempts_left (page) < -1 || eimza_portal_web_page_get_resend_seconds (page) < -1)
    abort ();
  (void) eimza_portal_web_page_get_eonay_available (page);

  /* The classifier sees the same texts in the client. */
  for (const char * const *errors = eimza_portal_web_page_get_errors (page); *errors != NULL; errors++)
    (void) eimza_portal_profile_classify_message (profile, *errors, NULL);

  return 0;
}
