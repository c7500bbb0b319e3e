/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated portal's state shared by all requests, and its settings. */
#include "eimza-sim-portal.h"

EimzaSimPortal *
eimza_sim_portal_new (const EimzaSimConfig *config,
                      EimzaSimRegistry     *registry,
                      GRand                *rand)
{
  EimzaSimPortal *portal = g_new0 (EimzaSimPortal, 1);

  portal->config = *config;
  portal->config.sms_log_path = g_strdup (config->sms_log_path);
  portal->config.captcha_log_path = g_strdup (config->captcha_log_path);
  portal->config.signature_log_dir = g_strdup (config->signature_log_dir);
  portal->registry = registry;
  portal->rand = rand;
  portal->sessions = eimza_sim_session_store_new (rand, config->session_timeout_seconds);
  portal->nes_sessions = eimza_sim_session_store_new (rand, config->session_timeout_seconds);
  portal->nes_codes = eimza_sim_nes_codes_new (rand);
  portal->sifreli_sessions = eimza_sim_session_store_new (rand, config->session_timeout_seconds);
  portal->security_word_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  portal->esign_codes = eimza_sim_nes_codes_new (rand);
  portal->geo = eimza_geo_get_default ();

  return portal;
}

void
eimza_sim_portal_free (EimzaSimPortal *portal)
{
  if (portal == NULL)
    return;

  /* Sessions first: they point into the registry's people. */
  g_clear_pointer (&portal->sessions, eimza_sim_session_store_free);
  g_clear_pointer (&portal->nes_sessions, eimza_sim_session_store_free);
  g_clear_pointer (&portal->nes_codes, eimza_sim_nes_codes_free);
  g_clear_pointer (&portal->sifreli_sessions, eimza_sim_session_store_free);
  g_clear_pointer (&portal->security_word_failures, g_hash_table_unref);
  g_clear_pointer (&portal->esign_codes, eimza_sim_nes_codes_free);
  g_clear_pointer (&portal->nes_trust_pem, g_bytes_unref);
  g_free (portal->nes_base_url);
  g_clear_pointer (&portal->registry, eimza_sim_registry_free);
  g_clear_pointer (&portal->rand, g_rand_free);
  g_free (portal->config.sms_log_path);
  g_free (portal->config.captcha_log_path);
  g_free (portal->config.signature_log_dir);
  g_free (portal);
}

char *
eimza_sim_portal_new_application_no (EimzaSimPortal *portal)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  portal->last_application_no++;
  return g_strdup_printf ("%04d-%06u", g_date_time_get_year (now),
                          portal->last_application_no);
}
