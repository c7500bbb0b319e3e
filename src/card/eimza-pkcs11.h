/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PKCS#11 work queued on the card service's worker thread, for the main thread. */
#pragma once

#include <gio/gio.h>

#include "eimza-cades.h"
#include "eimza-card-service.h"
#include "eimza-certificate.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-pkcs11-token.h"
#include "eimza-secret.h"

G_BEGIN_DECLS

/*
 * Each call queues one job on @service's worker thread, which holds the
 * worker's #EimzaPkcs11 (see eimza_pkcs11_from_worker()); @callback runs
 * in the calling thread's thread-default main context. Every job first
 * loads whatever PKCS#11 modules are new (a vendor module installed
 * meanwhile, a changed setting). Results are immutable and may be kept.
 */

/* The extra module from the settings (%NULL or "" for none); applies to
 * the jobs queued after it. */
void        eimza_pkcs11_set_module_path            (EimzaCardService     *service,
                                                     const char           *path);

/* eimza_pkcs11_set_only_module() on the worker: the demo's module alone
 * (%NULL: none). Call it right after eimza_card_service_new(), before any
 * other job; later module paths are ignored. */
void        eimza_pkcs11_set_only_module_path       (EimzaCardService     *service,
                                                     const char           *path);

/* For the diagnostics view. (element-type EimzaPkcs11Module) */
void        eimza_pkcs11_list_modules_async         (EimzaCardService     *service,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray  *eimza_pkcs11_list_modules_finish        (EimzaCardService     *service,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* The certificates on the present cards, or on the token @token_uri
 * matches (%NULL: all). (element-type EimzaCertificate) */
void        eimza_pkcs11_list_certificates_async    (EimzaCardService     *service,
                                                     const char           *token_uri,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray  *eimza_pkcs11_list_certificates_finish   (EimzaCardService     *service,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* The token of @uri with its PIN state read now: what the PIN dialog
 * shows (tries left, pinpad) before it asks. */
void              eimza_pkcs11_lookup_token_async   (EimzaCardService     *service,
                                                     const char           *uri,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
EimzaPkcs11Token *eimza_pkcs11_lookup_token_finish  (EimzaCardService     *service,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* eimza_pkcs11_change_pin() on the worker: one C_SetPIN on the token of
 * @uri (both PINs %NULL on a pinpad reader). Only the card-signing
 * operation calls it, after its PIN rules (eimza_card_signing_new_pin_change()).
 * The secrets are referenced until the job ends. */
void              eimza_pkcs11_change_pin_async     (EimzaCardService     *service,
                                                     const char           *uri,
                                                     EimzaSecret          *current_pin,
                                                     EimzaSecret          *new_pin,
                                                     EimzaPkcs11LoginFlags flags,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          eimza_pkcs11_change_pin_finish    (EimzaCardService     *service,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* eimza_pkcs11_unblock_pin() on the worker: one SO login with the unblock
 * code, C_InitPIN with @new_pin, logout (both %NULL on a pinpad reader).
 * Only the card-signing operation calls it, after its rules
 * (eimza_card_signing_new_pin_unblock()). The secrets are referenced
 * until the job ends. */
void              eimza_pkcs11_unblock_pin_async    (EimzaCardService     *service,
                                                     const char           *uri,
                                                     EimzaSecret          *unblock_code,
                                                     EimzaSecret          *new_pin,
                                                     EimzaPkcs11LoginFlags flags,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          eimza_pkcs11_unblock_pin_finish   (EimzaCardService     *service,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
