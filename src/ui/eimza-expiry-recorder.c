/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Remembers the expiry of the signing certificates on a card seen, for the renewal reminders. */
#include "config.h"

#include <string.h>

#include "eimza-certificate.h"
#include "eimza-expiry-recorder.h"
#include "eimza-expiry-store.h"

typedef struct {
  char *serial;
  char *issuer;
  char *subject;
  char *label;
  GDateTime *not_after;
} Seen;

static void
seen_free (Seen *seen)
{
  g_free (seen->serial);
  g_free (seen->issuer);
  g_free (seen->subject);
  g_free (seen->label);
  g_date_time_unref (seen->not_after);
  g_free (seen);
}

char *
eimza_expiry_recorder_make_label (const char *token_label,
                                  const char *subject_cn,
                                  const char *issuer_cn)
{
  g_autofree char *token = g_strstrip (g_strdup (token_label != NULL ? token_label : ""));
  guint digits_in_a_row = 0;
  gboolean personal = *token == '\0';

  for (const char *p = token; *p != '\0' && !personal; p++)
    {
      digits_in_a_row = g_ascii_isdigit (*p) ? digits_in_a_row + 1 : 0;
      /* A T.C. Kimlik No, or part of one. */
      if (digits_in_a_row >= 6)
        personal = TRUE;
    }
  if (!personal && subject_cn != NULL && *subject_cn != '\0')
    {
      g_autofree char *token_folded = g_utf8_casefold (token, -1);
      g_auto(GStrv) words = g_strsplit_set (subject_cn, " ", -1);

      /* Any word of the holder's name (of three or more letters). */
      for (gsize i = 0; words[i] != NULL && !personal; i++)
        {
          g_autofree char *word = g_utf8_casefold (words[i], -1);

          if (g_utf8_strlen (word, -1) >= 3 && strstr (token_folded, word) != NULL)
            personal = TRUE;
        }
    }

  if (!personal)
    return g_steal_pointer (&token);

  return g_strdup (issuer_cn != NULL && *issuer_cn != '\0' ? issuer_cn : "");
}

static gboolean
remember_seen (EimzaExpiryStore *store,
               gpointer          user_data)
{
  GPtrArray *seen = user_data;
  gboolean changed = FALSE;

  for (guint i = 0; i < seen->len; i++)
    {
      Seen *s = g_ptr_array_index (seen, i);
      g_autofree char *holder = eimza_expiry_store_holder_id (store, s->subject);

      changed |= eimza_expiry_store_remember (store, s->serial, s->issuer, holder, s->label,
                                              s->not_after);
    }

  return changed;
}

static void
record_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autofree char *path = eimza_expiry_store_default_path ();
  g_autoptr(GError) error = NULL;

  if (!eimza_expiry_store_update (path, TRUE, remember_seen, task_data, &error))
    g_warning ("The certificates' store %s could not be written: %s", path, error->message);
}

static gboolean
set_eonay (EimzaExpiryStore *store,
           gpointer          user_data)
{
  gboolean active = GPOINTER_TO_INT (user_data);

  if (eimza_expiry_store_get_eonay_given (store) == active)
    return FALSE;

  eimza_expiry_store_set_eonay_given (store, active);
  return TRUE;
}

static void
record_eonay_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autofree char *path = eimza_expiry_store_default_path ();
  g_autoptr(GError) error = NULL;

  if (!eimza_expiry_store_update (path, TRUE, set_eonay, task_data, &error))
    g_warning ("The certificates' store %s could not be written: %s", path, error->message);
}

void
eimza_expiry_recorder_record_eonay (gboolean active)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, eimza_expiry_recorder_record_eonay);
  g_task_set_task_data (task, GINT_TO_POINTER (active), NULL);
  g_task_run_in_thread (task, record_eonay_thread);
}

void
eimza_expiry_recorder_record (GPtrArray *certificates)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) seen_free);

  g_return_if_fail (certificates != NULL);

  for (guint i = 0; i < certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (certificates, i);
      Seen *s;

      if (!eimza_certificate_is_signing (certificate))
        continue;

      s = g_new0 (Seen, 1);
      s->serial = g_strdup (eimza_certificate_get_serial_hex (certificate));
      s->issuer = g_strdup (eimza_certificate_get_issuer_dn (certificate));
      s->subject = g_strdup (eimza_certificate_get_subject_dn (certificate));
      s->label = eimza_expiry_recorder_make_label (eimza_certificate_get_token_label (certificate),
                                                   eimza_certificate_get_subject_cn (certificate),
                                                   eimza_certificate_get_issuer_cn (certificate));
      s->not_after = g_date_time_ref (eimza_certificate_get_not_after (certificate));
      g_ptr_array_add (seen, s);
    }

  if (seen->len == 0)
    return;

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, eimza_expiry_recorder_record);
  g_task_set_task_data (task, g_steal_pointer (&seen), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, record_thread);
}
