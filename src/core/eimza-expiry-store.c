/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The signing certificates the app has seen, kept for their renewal reminders. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <string.h>
#include <glib/gstdio.h>

#include "eimza-expiry-store.h"

#define STORE_GROUP "store"
#define CERTIFICATE_GROUP_PREFIX "certificate "
#define HOLDER_KEY_BYTES 32

struct _EimzaExpiryStore
{
  /* (element-type EimzaExpiryRecord) */
  GPtrArray *records;
  /* Hex; NULL until a holder's identifier is first made. */
  char *holder_key;
  gboolean eonay_given;
};

static void
record_free (EimzaExpiryRecord *record)
{
  g_free (record->serial);
  g_free (record->issuer);
  g_free (record->holder);
  g_free (record->label);
  g_clear_pointer (&record->not_after, g_date_time_unref);
  g_free (record);
}

char *
eimza_expiry_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "eimza-asistan", "certificates.ini", NULL);
}

EimzaExpiryStore *
eimza_expiry_store_new (void)
{
  EimzaExpiryStore *self = g_new0 (EimzaExpiryStore, 1);

  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);

  return self;
}

void
eimza_expiry_store_free (EimzaExpiryStore *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->records);
  g_free (self->holder_key);
  g_free (self);
}

static EimzaExpiryReminder
parse_sent (GKeyFile   *key_file,
            const char *group)
{
  g_auto(GStrv) names = g_key_file_get_string_list (key_file, group, "reminders-sent", NULL, NULL);
  EimzaExpiryReminder sent = EIMZA_EXPIRY_REMINDER_NONE;

  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    sent |= eimza_expiry_reminder_from_string (names[i]);

  return sent;
}

static gboolean
load_record (EimzaExpiryStore  *self,
             GKeyFile          *key_file,
             const char        *group,
             GError           **error)
{
  g_autofree char *serial = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *holder = NULL;
  g_autofree char *label = NULL;
  g_autofree char *not_after_text = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  EimzaExpiryRecord *record;

  serial = g_key_file_get_string (key_file, group, "serial", error);
  if (serial == NULL)
    return FALSE;
  issuer = g_key_file_get_string (key_file, group, "issuer", error);
  if (issuer == NULL)
    return FALSE;
  not_after_text = g_key_file_get_string (key_file, group, "not-after", error);
  if (not_after_text == NULL)
    return FALSE;
  not_after = g_date_time_new_from_iso8601 (not_after_text, NULL);
  if (not_after == NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[%s] not-after is not a time: %s", group, not_after_text);
      return FALSE;
    }
  holder = g_key_file_get_string (key_file, group, "holder", NULL);
  label = g_key_file_get_string (key_file, group, "label", NULL);

  eimza_expiry_store_remember (self, serial, issuer, holder, label, not_after);
  record = eimza_expiry_store_lookup (self, serial, issuer);
  record->sent = parse_sent (key_file, group);

  return TRUE;
}

EimzaExpiryStore *
eimza_expiry_store_load (const char  *path,
                         GError     **error)
{
  g_autoptr(EimzaExpiryStore) self = eimza_expiry_store_new ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self->holder_key = g_key_file_get_string (key_file, STORE_GROUP, "holder-key", NULL);
  self->eonay_given = g_key_file_get_boolean (key_file, STORE_GROUP, "eonay-given", NULL);

  groups = g_key_file_get_groups (key_file, NULL);
  for (gsize i = 0; groups[i] != NULL; i++)
    {
      if (g_str_has_prefix (groups[i], CERTIFICATE_GROUP_PREFIX) &&
          !load_record (self, key_file, groups[i], error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

static gboolean
make_parent_dir (const char  *path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not make %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

gboolean
eimza_expiry_store_save (EimzaExpiryStore  *self,
                         const char        *path,
                         GError           **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  g_key_file_set_comment (key_file, NULL, NULL,
                          " E-İmza Asistanı: the signing certificates seen on cards, for renewal\n"
                          " reminders. No name, T.C. Kimlik No, PIN or key is kept here.",
                          NULL);
  g_key_file_set_integer (key_file, STORE_GROUP, "version", 1);
  if (self->holder_key != NULL)
    g_key_file_set_string (key_file, STORE_GROUP, "holder-key", self->holder_key);
  g_key_file_set_boolean (key_file, STORE_GROUP, "eonay-given", self->eonay_given);

  for (guint i = 0; i < self->records->len; i++)
    {
      EimzaExpiryRecord *record = g_ptr_array_index (self->records, i);
      g_autofree char *group = g_strdup_printf (CERTIFICATE_GROUP_PREFIX "%u", i + 1);
      g_autofree char *not_after = g_date_time_format_iso8601 (record->not_after);
      g_autoptr(GPtrArray) sent = g_ptr_array_new ();

      g_key_file_set_string (key_file, group, "serial", record->serial);
      g_key_file_set_string (key_file, group, "issuer", record->issuer);
      if (record->holder != NULL)
        g_key_file_set_string (key_file, group, "holder", record->holder);
      if (record->label != NULL)
        g_key_file_set_string (key_file, group, "label", record->label);
      g_key_file_set_string (key_file, group, "not-after", not_after);

      for (EimzaExpiryReminder r = EIMZA_EXPIRY_REMINDER_WINDOW; r <= EIMZA_EXPIRY_REMINDER_DAY; r <<= 1)
        {
          if (record->sent & r)
            g_ptr_array_add (sent, (gpointer) eimza_expiry_reminder_to_string (r));
        }
      g_key_file_set_string_list (key_file, group, "reminders-sent",
                                  (const char * const *) sent->pdata, sent->len);
    }

  if (!make_parent_dir (path, error))
    return FALSE;

  data = g_key_file_to_data (key_file, &length, NULL);

  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
eimza_expiry_store_update (const char                 *path,
                           gboolean                    replace_damaged,
                           EimzaExpiryStoreUpdateFunc  update,
                           gpointer                    user_data,
                           GError                    **error)
{
  g_autofree char *lock_path = NULL;
  g_autoptr(EimzaExpiryStore) store = NULL;
  g_autoptr(GError) load_error = NULL;
  gboolean ok = TRUE;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (update != NULL, FALSE);

  if (!make_parent_dir (path, error))
    return FALSE;

  lock_path = g_strconcat (path, ".lock", NULL);
  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not lock %s: %s", lock_path, g_strerror (saved_errno));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }

  store = eimza_expiry_store_load (path, &load_error);
  if (store == NULL && !replace_damaged)
    {
      g_propagate_error (error, g_steal_pointer (&load_error));
      close (fd);
      return FALSE;
    }
  if (store == NULL)
    {
      g_warning ("The certificates' store %s could not be read, it is made anew: %s",
                 path, load_error->message);
      store = eimza_expiry_store_new ();
    }

  if (update (store, user_data))
    ok = eimza_expiry_store_save (store, path, error);

  /* Closing the file drops the lock. */
  close (fd);

  return ok;
}

char *
eimza_expiry_store_holder_id (EimzaExpiryStore *self,
                              const char       *subject_dn)
{
  g_autoptr(GHmac) hmac = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (subject_dn != NULL, NULL);

  if (self->holder_key == NULL)
    {
      GString *key = g_string_sized_new (HOLDER_KEY_BYTES * 2);

      /* g_random_int() is seeded from /dev/urandom; the key only keeps a
       * name in the file from being recognised at a glance. */
      for (int i = 0; i < HOLDER_KEY_BYTES; i++)
        g_string_append_printf (key, "%02x", (guint) (g_random_int () & 0xff));
      self->holder_key = g_string_free (key, FALSE);
    }

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) self->holder_key,
                     strlen (self->holder_key));
  g_hmac_update (hmac, (const guchar *) subject_dn, -1);

  return g_strdup (g_hmac_get_string (hmac));
}

EimzaExpiryRecord *
eimza_expiry_store_lookup (EimzaExpiryStore *self,
                           const char       *serial,
                           const char       *issuer)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->records->len; i++)
    {
      EimzaExpiryRecord *record = g_ptr_array_index (self->records, i);

      if (g_strcmp0 (record->serial, serial) == 0 && g_strcmp0 (record->issuer, issuer) == 0)
        return record;
    }

  return NULL;
}

gboolean
eimza_expiry_store_remember (EimzaExpiryStore *self,
                             const char       *serial,
                             const char       *issuer,
                             const char       *holder,
                             const char       *label,
                             GDateTime        *not_after)
{
  EimzaExpiryRecord *record;
  gboolean changed = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (serial != NULL && issuer != NULL, FALSE);
  g_return_val_if_fail (not_after != NULL, FALSE);

  record = eimza_expiry_store_lookup (self, serial, issuer);
  if (record == NULL)
    {
      record = g_new0 (EimzaExpiryRecord, 1);
      record->serial = g_strdup (serial);
      record->issuer = g_strdup (issuer);
      record->not_after = g_date_time_ref (not_after);
      g_ptr_array_add (self->records, record);
      changed = TRUE;
    }

  if (holder != NULL && g_strcmp0 (record->holder, holder) != 0)
    {
      g_free (record->holder);
      record->holder = g_strdup (holder);
      changed = TRUE;
    }
  if (label != NULL && g_strcmp0 (record->label, label) != 0)
    {
      g_free (record->label);
      record->label = g_strdup (label);
      changed = TRUE;
    }

  return changed;
}

GPtrArray *
eimza_expiry_store_get_records (EimzaExpiryStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->records;
}

EimzaExpiryRecord *
eimza_expiry_store_get_successor (EimzaExpiryStore  *self,
                                  EimzaExpiryRecord *record)
{
  EimzaExpiryRecord *successor = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (record != NULL, NULL);

  if (record->holder == NULL)
    return NULL;

  for (guint i = 0; i < self->records->len; i++)
    {
      EimzaExpiryRecord *other = g_ptr_array_index (self->records, i);

      if (other == record || g_strcmp0 (other->holder, record->holder) != 0 ||
          g_strcmp0 (other->issuer, record->issuer) != 0 ||
          g_date_time_compare (other->not_after, record->not_after) <= 0)
        continue;
      if (successor == NULL || g_date_time_compare (other->not_after, successor->not_after) > 0)
        successor = other;
    }

  return successor;
}

EimzaExpiryState
eimza_expiry_store_get_state (EimzaExpiryStore  *self,
                              EimzaExpiryRecord *record,
                              GDateTime         *now)
{
  GDate today;
  GDate window;

  g_return_val_if_fail (self != NULL, EIMZA_EXPIRY_STATE_VALID);
  g_return_val_if_fail (record != NULL && now != NULL, EIMZA_EXPIRY_STATE_VALID);

  if (g_date_time_compare (now, record->not_after) >= 0)
    return EIMZA_EXPIRY_STATE_EXPIRED;
  if (eimza_expiry_store_get_successor (self, record) != NULL)
    return EIMZA_EXPIRY_STATE_RENEWED;

  eimza_expiry_local_date (now, &today);
  eimza_expiry_reminder_get_date (EIMZA_EXPIRY_REMINDER_WINDOW, record->not_after, &window);

  return g_date_compare (&today, &window) >= 0 ? EIMZA_EXPIRY_STATE_WINDOW_OPEN
                                               : EIMZA_EXPIRY_STATE_VALID;
}

EimzaExpiryReminder
eimza_expiry_store_get_due (EimzaExpiryStore  *self,
                            EimzaExpiryRecord *record,
                            GDateTime         *now)
{
  GDate today;

  g_return_val_if_fail (self != NULL, EIMZA_EXPIRY_REMINDER_NONE);
  g_return_val_if_fail (record != NULL && now != NULL, EIMZA_EXPIRY_REMINDER_NONE);

  if (eimza_expiry_store_get_successor (self, record) != NULL)
    return EIMZA_EXPIRY_REMINDER_NONE;

  eimza_expiry_local_date (now, &today);

  return eimza_expiry_reminder_due (record->not_after, record->sent, &today);
}

void
eimza_expiry_store_mark_sent (EimzaExpiryStore    *self,
                              EimzaExpiryRecord   *record,
                              EimzaExpiryReminder  reminder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (record != NULL);

  record->sent = eimza_expiry_reminder_mark_sent (record->sent, reminder);
}

EimzaExpiryRecord *
eimza_expiry_store_get_nearest (EimzaExpiryStore *self,
                                GDateTime        *now)
{
  EimzaExpiryRecord *first_valid = NULL;
  EimzaExpiryRecord *last_expired = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  for (guint i = 0; i < self->records->len; i++)
    {
      EimzaExpiryRecord *record = g_ptr_array_index (self->records, i);

      if (g_date_time_compare (now, record->not_after) < 0)
        {
          if (first_valid == NULL ||
              g_date_time_compare (record->not_after, first_valid->not_after) < 0)
            first_valid = record;
        }
      else if (eimza_expiry_store_get_successor (self, record) == NULL)
        {
          if (last_expired == NULL ||
              g_date_time_compare (record->not_after, last_expired->not_after) > 0)
            last_expired = record;
        }
    }

  return first_valid != NULL ? first_valid : last_expired;
}

gboolean
eimza_expiry_store_get_eonay_given (EimzaExpiryStore *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->eonay_given;
}

void
eimza_expiry_store_set_eonay_given (EimzaExpiryStore *self,
                                    gboolean          given)
{
  g_return_if_fail (self != NULL);

  self->eonay_given = given;
}
