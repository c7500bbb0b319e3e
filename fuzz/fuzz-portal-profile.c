/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: the portal profile loader (portal and NES groups) on
 * arbitrary key files; a profile it accepts keeps every request on its own
 * site. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <gio/gio.h>

#include "eimza-eonay-profile.h"
#include "eimza-portal-profile.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Stands for the base URL given at run time (--portal-url). */
#define RUNTIME_BASE "https://portal.example:8443/"

static void
check_text (const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    abort ();
}

/* @path, resolved against @base as a request would be, stays on @base's
 * scheme, host and port. */
static void
check_same_site (const char *base,
                 const char *path)
{
  g_autoptr(GUri) base_uri = NULL;
  g_autoptr(GUri) uri = NULL;

  if (path == NULL)
    return;
  check_text (path);
  base_uri = g_uri_parse (base, G_URI_FLAGS_ENCODED, NULL);
  if (base_uri == NULL)
    abort ();
  uri = g_uri_parse_relative (base_uri, path, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return;
  if (g_strcmp0 (g_uri_get_scheme (uri), g_uri_get_scheme (base_uri)) != 0 ||
      g_ascii_strcasecmp (g_uri_get_host (uri) ? g_uri_get_host (uri) : "",
                          g_uri_get_host (base_uri)) != 0 ||
      g_uri_get_port (uri) != g_uri_get_port (base_uri) ||
      g_uri_get_userinfo (uri) != NULL)
    abort ();
}

static void
check_base_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return;
  check_text (url);
  if (!g_str_has_prefix (url, "https://"))
    abort ();
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    abort ();
}

static void
check_nes (EimzaEonayProfile *nes)
{
  const char *base = eimza_eonay_profile_get_base_url (nes);
  const char *signer = eimza_eonay_profile_get_signer_base_url (nes);

  check_base_url (base);
  if (base == NULL)
    base = RUNTIME_BASE;
  check_same_site (base, signer);
  for (guint i = 0; i < EIMZA_EONAY_N_PATHS; i++)
    check_same_site (base, eimza_eonay_profile_get_path (nes, i));
  check_text (eimza_eonay_profile_get_encoding (nes));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical or warning is a bug the fuzzer should report as a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  const char *base;

  profile = eimza_portal_profile_new_from_bytes (bytes, "fuzz", &error);
  if (profile == NULL)
    {
      if (error == NULL || error->message == NULL)
        abort ();
      check_text (error->message);
      return 0;
    }

  base = eimza_portal_profile_get_base_url (profile);
  check_base_url (base);
  if (base == NULL)
    base = RUNTIME_BASE;
  for (guint i = 0; i < EIMZA_PORTAL_N_PATHS; i++)
    check_same_site (base, eimza_portal_profile_get_path (profile, i));
  for (guint i = 0; i < EIMZA_PORTAL_N_SELECTORS; i++)
    check_text (eimza_portal_profile_get_selector (profile, i));
  check_text (eimza_portal_profile_get_encoding (profile));
  if (eimza_portal_profile_get_jnlp_hosts (profile) == NULL ||
      eimza_portal_profile_get_jnlp_main_classes (profile) == NULL)
    abort ();
  if (eimza_portal_profile_get_nes (profile) != NULL)
    check_nes (eimza_portal_profile_get_nes (profile));

  return 0;
}
