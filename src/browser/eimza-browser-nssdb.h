/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An NSS database's PKCS#11 modules, read and changed with NSS's own modutil. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Every function runs `modutil` (libnss3-tools) and waits for it: call
 * them on a thread that may wait (eimza-browser-setup.c runs them in a
 * GTask's thread), never on the main thread. NSS's own tool rather than
 * writing pkcs11.txt ourselves: it knows the database's format and locks.
 */

/* A module registered in a database. */
typedef struct
{
  char *name;
  char *library;
} EimzaNssModule;

void     eimza_nss_module_free          (EimzaNssModule *module);

/* The modules registered in the database in @dir (`modutil -rawlist`,
 * which loads none of them).
 * Returns: (transfer container) (element-type EimzaNssModule). */
GPtrArray *eimza_browser_nssdb_list     (const char    *dir,
                                         GCancellable  *cancellable,
                                         GError       **error);

/* The modules of @modules whose library is the file @library (symbolic
 * links resolved), by name. Returns: (transfer full). */
GStrv    eimza_browser_nssdb_names_for  (GPtrArray     *modules,
                                         const char    *library);

/* Whether @dir holds an NSS SQL database (cert9.db). */
gboolean eimza_browser_nssdb_exists     (const char    *dir);

/* Makes an empty database in @dir (and @dir itself), as Chromium would
 * at its first start. */
gboolean eimza_browser_nssdb_create     (const char    *dir,
                                         GCancellable  *cancellable,
                                         GError       **error);

/* `modutil -add @name -libfile @library`. modutil loads the module to
 * check it, so a file that is not a PKCS#11 module fails here. */
gboolean eimza_browser_nssdb_add        (const char    *dir,
                                         const char    *name,
                                         const char    *library,
                                         GCancellable  *cancellable,
                                         GError       **error);

/* `modutil -delete @name`. */
gboolean eimza_browser_nssdb_delete     (const char    *dir,
                                         const char    *name,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaNssModule, eimza_nss_module_free)

G_END_DECLS
