/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the store of seen certificates: the file, renewals, what the welcome page shows. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "eimza-expiry-store.h"

#define ISSUER "CN=Kamu SM NES Test,O=Kamu SM,C=TR"
#define SUBJECT "CN=AHMET YILMAZ,serialNumber=10000000146,C=TR"

static GDateTime *
at (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

static EimzaExpiryRecord *
add (EimzaExpiryStore *store,
     const char       *serial,
     const char       *subject,
     const char       *not_after_iso)
{
  g_autoptr(GDateTime) not_after = at (not_after_iso);
  g_autofree char *holder = eimza_expiry_store_holder_id (store, subject);

  g_assert_true (eimza_expiry_store_remember (store, serial, ISSUER, holder,
                                              "Kamu SM, seri 1a2b", not_after));
  return eimza_expiry_store_lookup (store, serial, ISSUER);
}

static void
test_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("expiry-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sub", "certificates.ini", NULL);
  g_autoptr(EimzaExpiryStore) store = eimza_expiry_store_new ();
  g_autoptr(EimzaExpiryStore) loaded = NULL;
  g_autoptr(EimzaExpiryStore) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *holder = NULL;
  g_autofree char *sub = NULL;
  EimzaExpiryRecord *record;
  GStatBuf st;

  record = add (store, "1a2b", SUBJECT, "2027-06-15T10:00:00+03:00");
  eimza_expiry_store_mark_sent (store, record, EIMZA_EXPIRY_REMINDER_40_DAYS);
  add (store, "3c4d", SUBJECT, "2030-06-01T10:00:00+03:00");
  eimza_expiry_store_set_eonay_given (store, TRUE);
  /* The same certificate again changes nothing. */
  {
    g_autoptr(GDateTime) not_after = at ("2027-06-15T10:00:00+03:00");
    g_autofree char *same_holder = eimza_expiry_store_holder_id (store, SUBJECT);

    g_assert_false (eimza_expiry_store_remember (store, "1a2b", ISSUER, same_holder,
                                                 "Kamu SM, seri 1a2b", not_after));
  }

  g_assert_true (eimza_expiry_store_save (store, path, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  sub = g_path_get_dirname (path);
  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* Neither the holder's number nor the name is in the file. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "10000000146"));
  g_assert_null (strstr (contents, "AHMET"));
  g_assert_nonnull (strstr (contents, "reminders-sent=window;40-days;"));

  loaded = eimza_expiry_store_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (eimza_expiry_store_get_records (loaded)->len, ==, 2);
  record = eimza_expiry_store_lookup (loaded, "1a2b", ISSUER);
  g_assert_nonnull (record);
  g_assert_cmpint (record->sent, ==, EIMZA_EXPIRY_REMINDER_WINDOW | EIMZA_EXPIRY_REMINDER_40_DAYS);
  g_assert_cmpstr (record->label, ==, "Kamu SM, seri 1a2b");
  g_assert_cmpint (g_date_time_to_unix (record->not_after), ==,
                   g_date_time_to_unix (((EimzaExpiryRecord *) g_ptr_array_index (
                     eimza_expiry_store_get_records (store), 0))->not_after));
  g_assert_true (eimza_expiry_store_get_eonay_given (loaded));
  /* The holder's key was kept: the same subject gives the same holder. */
  holder = eimza_expiry_store_holder_id (loaded, SUBJECT);
  g_assert_cmpstr (holder, ==, record->holder);

  /* Saving again replaces the file, still 0600. */
  g_assert_true (eimza_expiry_store_save (loaded, path, &error));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* No file yet: an empty store. */
  g_assert_cmpint (g_remove (path), ==, 0);
  missing = eimza_expiry_store_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (eimza_expiry_store_get_records (missing)->len, ==, 0);

  g_assert_cmpint (g_rmdir (sub), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_damaged_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("expiry-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "certificates.ini", NULL);
  g_autoptr(EimzaExpiryStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "[certificate 1]\nserial=01\nissuer=CN=X\n"
                                      "not-after=soon\n", -1, NULL));
  store = eimza_expiry_store_load (path, &error);
  g_assert_null (store);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);

  g_remove (path);
  g_rmdir (dir);
}

static gboolean
add_one (EimzaExpiryStore *store,
         gpointer          user_data)
{
  g_autoptr(GDateTime) not_after = at ("2027-06-15T10:00:00+03:00");

  return eimza_expiry_store_remember (store, user_data, ISSUER, NULL, NULL, not_after);
}

static gboolean
change_nothing (EimzaExpiryStore *store,
                gpointer          user_data)
{
  *(guint *) user_data = eimza_expiry_store_get_records (store)->len;
  return FALSE;
}

/* Load, change and save under the lock; a damaged file is an error unless
 * it may be replaced. */
static void
test_update (void)
{
  g_autofree char *dir = g_dir_make_tmp ("expiry-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store", "certificates.ini", NULL);
  g_autofree char *lock = g_strconcat (path, ".lock", NULL);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (eimza_expiry_store_update (path, FALSE, change_nothing, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (eimza_expiry_store_update (path, FALSE, add_one, (gpointer) "01", &error));
  g_assert_true (eimza_expiry_store_update (path, FALSE, add_one, (gpointer) "02", &error));
  g_assert_true (eimza_expiry_store_update (path, FALSE, change_nothing, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);

  g_assert_true (g_file_set_contents (path, "[certificate 1]\nserial=01\n", -1, NULL));
  g_assert_false (eimza_expiry_store_update (path, FALSE, add_one, (gpointer) "03", &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND);
  g_clear_error (&error);

  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*could not be read, it is made anew*");
  g_assert_true (eimza_expiry_store_update (path, TRUE, add_one, (gpointer) "03", &error));
  g_test_assert_expected_messages ();
  g_assert_true (eimza_expiry_store_update (path, FALSE, change_nothing, &n, &error));
  g_assert_cmpuint (n, ==, 1);

  g_remove (lock);
  g_remove (path);
  {
    g_autofree char *sub = g_path_get_dirname (path);

    g_rmdir (sub);
  }
  g_rmdir (dir);
}

static void
test_states (void)
{
  g_autoptr(EimzaExpiryStore) store = eimza_expiry_store_new ();
  g_autoptr(GDateTime) before_window = at ("2027-03-01T09:00:00+03:00");
  g_autoptr(GDateTime) in_window = at ("2027-04-01T09:00:00+03:00");
  g_autoptr(GDateTime) after = at ("2027-06-16T09:00:00+03:00");
  EimzaExpiryRecord *old = add (store, "01", SUBJECT, "2027-06-15T10:00:00+03:00");

  g_assert_cmpint (eimza_expiry_store_get_state (store, old, before_window), ==,
                   EIMZA_EXPIRY_STATE_VALID);
  g_assert_cmpint (eimza_expiry_store_get_state (store, old, in_window), ==,
                   EIMZA_EXPIRY_STATE_WINDOW_OPEN);
  g_assert_cmpint (eimza_expiry_store_get_due (store, old, in_window), ==,
                   EIMZA_EXPIRY_REMINDER_WINDOW);
  g_assert_cmpint (eimza_expiry_store_get_state (store, old, after), ==,
                   EIMZA_EXPIRY_STATE_EXPIRED);
  g_assert_true (eimza_expiry_store_get_nearest (store, after) == old);
}

/* A newer certificate of the same holder and issuer stops the old one's
 * reminders; someone else's does not. */
static void
test_renewed (void)
{
  g_autoptr(EimzaExpiryStore) store = eimza_expiry_store_new ();
  g_autoptr(GDateTime) in_window = at ("2027-06-01T09:00:00+03:00");
  g_autoptr(GDateTime) after = at ("2027-06-16T09:00:00+03:00");
  EimzaExpiryRecord *old = add (store, "01", SUBJECT, "2027-06-15T10:00:00+03:00");
  EimzaExpiryRecord *other = add (store, "02", "CN=MEHMET OZTURK,serialNumber=10000000214",
                                  "2030-06-01T10:00:00+03:00");
  EimzaExpiryRecord *renewed;

  g_assert_null (eimza_expiry_store_get_successor (store, old));
  g_assert_cmpint (eimza_expiry_store_get_due (store, old, in_window), ==,
                   EIMZA_EXPIRY_REMINDER_14_DAYS);
  (void) other;

  renewed = add (store, "03", SUBJECT, "2030-06-14T10:00:00+03:00");
  g_assert_true (eimza_expiry_store_get_successor (store, old) == renewed);
  g_assert_null (eimza_expiry_store_get_successor (store, renewed));
  g_assert_cmpint (eimza_expiry_store_get_due (store, old, in_window), ==,
                   EIMZA_EXPIRY_REMINDER_NONE);
  g_assert_cmpint (eimza_expiry_store_get_state (store, old, in_window), ==,
                   EIMZA_EXPIRY_STATE_RENEWED);
  /* The welcome page shows the old one until it ends: when the new starts. */
  g_assert_true (eimza_expiry_store_get_nearest (store, in_window) == old);
  /* Then the new one (the other person's ends earlier, it is theirs). */
  g_assert_true (eimza_expiry_store_get_nearest (store, after) == other);
}

static void
test_nearest_expired (void)
{
  g_autoptr(EimzaExpiryStore) store = eimza_expiry_store_new ();
  g_autoptr(GDateTime) now = at ("2028-01-01T09:00:00+03:00");
  EimzaExpiryRecord *newer;

  g_assert_null (eimza_expiry_store_get_nearest (store, now));
  add (store, "01", SUBJECT, "2026-06-15T10:00:00+03:00");
  newer = add (store, "02", "CN=ANOTHER", "2027-06-15T10:00:00+03:00");
  g_assert_true (eimza_expiry_store_get_nearest (store, now) == newer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_setenv ("TZ", "<+03>-3", TRUE);
  tzset ();

  g_test_add_func ("/expiry-store/file", test_file);
  g_test_add_func ("/expiry-store/damaged-file", test_damaged_file);
  g_test_add_func ("/expiry-store/update", test_update);
  g_test_add_func ("/expiry-store/states", test_states);
  g_test_add_func ("/expiry-store/renewed", test_renewed);
  g_test_add_func ("/expiry-store/nearest-expired", test_nearest_expired);

  return g_test_run ();
}
