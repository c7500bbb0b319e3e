/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The signing certificates the app has seen, kept for their renewal reminders. */
#pragma once

#include <glib.h>

#include "eimza-expiry-schedule.h"

G_BEGIN_DECLS

/**
 * EimzaExpiryState:
 * @EIMZA_EXPIRY_STATE_VALID: valid, the renewal window not yet open.
 * @EIMZA_EXPIRY_STATE_WINDOW_OPEN: valid, a renewal can be applied for.
 * @EIMZA_EXPIRY_STATE_RENEWED: valid, and a newer certificate of the same
 *   holder and issuer was seen: it becomes usable when this one ends.
 * @EIMZA_EXPIRY_STATE_EXPIRED: its validity has ended.
 */
typedef enum {
  EIMZA_EXPIRY_STATE_VALID,
  EIMZA_EXPIRY_STATE_WINDOW_OPEN,
  EIMZA_EXPIRY_STATE_RENEWED,
  EIMZA_EXPIRY_STATE_EXPIRED,
} EimzaExpiryState;

/**
 * EimzaExpiryRecord:
 * @serial: the certificate's serial number, lower-case hex.
 * @issuer: the issuer's distinguished name.
 * @holder: a keyed hash of the subject (see eimza_expiry_store_holder_id()):
 *   tells two certificates of one holder apart from others' without the
 *   holder's name or T.C. Kimlik No.
 * @label: what people are shown for it (never the name or the number).
 * @not_after: the end of its validity.
 * @sent: the reminders already sent.
 *
 * One certificate, as the store keeps it. Owned by the store.
 */
typedef struct {
  char *serial;
  char *issuer;
  char *holder;
  char *label;
  GDateTime *not_after;
  EimzaExpiryReminder sent;
} EimzaExpiryRecord;

typedef struct _EimzaExpiryStore EimzaExpiryStore;

/* The store's file: g_get_user_data_dir()/eimza-asistan/certificates.ini. */
char               *eimza_expiry_store_default_path   (void);

EimzaExpiryStore   *eimza_expiry_store_new            (void);
void                eimza_expiry_store_free           (EimzaExpiryStore    *self);
/* A missing file is an empty store; a damaged one an error
 * (%G_KEY_FILE_ERROR). */
EimzaExpiryStore   *eimza_expiry_store_load           (const char          *path,
                                                       GError             **error);
/* Writes atomically (a new file renamed over the old), mode 0600, making
 * the directory (0700) if needed. */
gboolean            eimza_expiry_store_save           (EimzaExpiryStore    *self,
                                                       const char          *path,
                                                       GError             **error);

/* Changes the store in @path under an exclusive lock (flock() on
 * "<path>.lock"), so the app recording a card and --check-expiry marking a
 * reminder sent never undo each other's change: loads it, calls @update,
 * and saves it when @update returns %TRUE. A damaged file is an error, or,
 * with @replace_damaged, started again (with a warning: it only held
 * reminders). */
typedef gboolean (*EimzaExpiryStoreUpdateFunc) (EimzaExpiryStore *store,
                                                gpointer          user_data);
gboolean            eimza_expiry_store_update         (const char                 *path,
                                                       gboolean                    replace_damaged,
                                                       EimzaExpiryStoreUpdateFunc  update,
                                                       gpointer                    user_data,
                                                       GError                    **error);

/* The holder's identifier for @subject_dn: an HMAC-SHA256 under the
 * store's random key (made on first use, kept in the file), so the file
 * shows neither the name nor the T.C. Kimlik No in the DN. */
char               *eimza_expiry_store_holder_id      (EimzaExpiryStore    *self,
                                                       const char          *subject_dn);

/* Adds the certificate, or updates its label; the reminders already sent
 * stay. Returns whether the store changed. */
gboolean            eimza_expiry_store_remember       (EimzaExpiryStore    *self,
                                                       const char          *serial,
                                                       const char          *issuer,
                                                       const char          *holder,
                                                       const char          *label,
                                                       GDateTime           *not_after);

/* The records, in the order they were added.
 * Returns: (transfer none) (element-type EimzaExpiryRecord). */
GPtrArray          *eimza_expiry_store_get_records    (EimzaExpiryStore    *self);
EimzaExpiryRecord  *eimza_expiry_store_lookup         (EimzaExpiryStore    *self,
                                                       const char          *serial,
                                                       const char          *issuer);

/* The newer certificate of @record's holder and issuer (the one that ends
 * last), or %NULL: a renewed certificate's reminders stop. */
EimzaExpiryRecord  *eimza_expiry_store_get_successor  (EimzaExpiryStore    *self,
                                                       EimzaExpiryRecord   *record);
EimzaExpiryState    eimza_expiry_store_get_state      (EimzaExpiryStore    *self,
                                                       EimzaExpiryRecord   *record,
                                                       GDateTime           *now);
/* The reminder due for @record at @now (none once renewed). */
EimzaExpiryReminder eimza_expiry_store_get_due        (EimzaExpiryStore    *self,
                                                       EimzaExpiryRecord   *record,
                                                       GDateTime           *now);
void                eimza_expiry_store_mark_sent      (EimzaExpiryStore    *self,
                                                       EimzaExpiryRecord   *record,
                                                       EimzaExpiryReminder  reminder);

/* The certificate that matters most at @now, for the welcome page: of
 * those still valid, the one that ends first (a renewed one included:
 * it says when the new one starts); with none valid, the one that ended
 * last, unless it was renewed. %NULL for an empty store. */
EimzaExpiryRecord  *eimza_expiry_store_get_nearest    (EimzaExpiryStore    *self,
                                                       GDateTime           *now);

/* Whether an e-onay was given with this app (the paper route is then not
 * needed after the certificate ends). */
gboolean            eimza_expiry_store_get_eonay_given (EimzaExpiryStore   *self);
void                eimza_expiry_store_set_eonay_given (EimzaExpiryStore   *self,
                                                        gboolean            given);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaExpiryStore, eimza_expiry_store_free)

G_END_DECLS
