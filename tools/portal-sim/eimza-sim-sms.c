/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SMS approval step: codes, their lifetime, resend limit and attempts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "eimza-sim-sms.h"

void
eimza_sim_sms_clear (EimzaSimSms *sms)
{
  g_clear_pointer (&sms->code, g_free);
  sms->sent_us = 0;
  sms->wrong_attempts = 0;
}

guint
eimza_sim_sms_resend_wait (const EimzaSimSms      *sms,
                           const EimzaSimSmsRules *rules,
                           gint64                  now_us)
{
  gint64 allowed_us;

  if (sms->code == NULL)
    return 0;

  allowed_us = sms->sent_us + (gint64) rules->resend_seconds * G_USEC_PER_SEC;
  if (now_us >= allowed_us)
    return 0;

  return (guint) ((allowed_us - now_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

const char *
eimza_sim_sms_send (EimzaSimSms *sms,
                    GRand       *rand,
                    gint64       now_us)
{
  g_free (sms->code);
  sms->code = g_strdup_printf ("%06" G_GINT32_FORMAT, g_rand_int_range (rand, 0, 1000000));
  sms->sent_us = now_us;

  return sms->code;
}

guint
eimza_sim_sms_attempts_left (const EimzaSimSms      *sms,
                             const EimzaSimSmsRules *rules)
{
  return sms->wrong_attempts < rules->max_attempts
    ? rules->max_attempts - sms->wrong_attempts : 0;
}

EimzaSimSmsResult
eimza_sim_sms_check (EimzaSimSms            *sms,
                     const EimzaSimSmsRules *rules,
                     const char             *typed,
                     EimzaSimFaults          faults,
                     gint64                  now_us)
{
  g_autofree char *stripped = g_strstrip (g_strdup (typed != NULL ? typed : ""));
  gint64 expires_us = sms->sent_us + (gint64) rules->ttl_seconds * G_USEC_PER_SEC;

  if (faults & EIMZA_SIM_FAULT_SMS_LOCKED)
    {
      sms->wrong_attempts = rules->max_attempts;
      return EIMZA_SIM_SMS_LOCKED;
    }

  /* Asking for a new code is the way out of both, so neither costs an
   * attempt; the attempts count for the application, not per code, or
   * resending would allow guessing for ever. */
  if ((faults & EIMZA_SIM_FAULT_SMS_EXPIRED) || sms->code == NULL || now_us >= expires_us)
    {
      g_clear_pointer (&sms->code, g_free);
      return EIMZA_SIM_SMS_EXPIRED;
    }

  if (g_str_equal (stripped, sms->code))
    {
      g_clear_pointer (&sms->code, g_free);
      return EIMZA_SIM_SMS_RIGHT;
    }

  sms->wrong_attempts++;
  return sms->wrong_attempts >= rules->max_attempts ? EIMZA_SIM_SMS_LOCKED
                                                    : EIMZA_SIM_SMS_WRONG;
}

gboolean
eimza_sim_sms_gateway_log (const char  *path,
                           const char  *phone,
                           const char  *code,
                           GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *timestamp = g_date_time_format_iso8601 (now);
  FILE *file;
  int saved_errno;

  if (path == NULL)
    return TRUE;

  /* Opened per message, so the demo can truncate or rotate the file while
   * the simulator runs. */
  file = g_fopen (path, "ae");
  if (file == NULL)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot open the SMS log %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  fprintf (file, "%s %s %s\n", timestamp, phone, code);
  if (fclose (file) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot write the SMS log %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}
