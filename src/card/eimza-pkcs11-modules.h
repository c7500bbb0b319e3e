/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding and loading PKCS#11 modules (p11-kit, libakisp11.so, configured). */
#pragma once

#include <gio/gio.h>

#include "eimza-card-service.h"
#include "eimza-vendor-module.h"

G_BEGIN_DECLS

/**
 * EimzaPkcs11:
 *
 * The PKCS#11 state of the card worker: which modules are loaded into
 * GnuTLS and how. It is confined to the thread that uses it, normally the
 * card service's worker thread (see eimza_pkcs11_from_worker()); none of
 * the functions taking an #EimzaPkcs11 may be called from the main thread
 * while the worker runs.
 *
 * GnuTLS keeps one process-wide list of PKCS#11 modules, so modules loaded
 * through one #EimzaPkcs11 stay loaded for the whole process; the settings
 * below only decide what is added.
 */
typedef struct _EimzaPkcs11 EimzaPkcs11;

/**
 * EimzaPkcs11ModuleSource:
 * @EIMZA_PKCS11_MODULE_SOURCE_REGISTERED: registered with p11-kit
 *   (the .module files in /usr/share/p11-kit/modules).
 * @EIMZA_PKCS11_MODULE_SOURCE_VENDOR: Kamu SM's `libakisp11.so`, found in
 *   one of the usual directories.
 * @EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED: the path given in the settings.
 */
typedef enum {
  EIMZA_PKCS11_MODULE_SOURCE_REGISTERED,
  EIMZA_PKCS11_MODULE_SOURCE_VENDOR,
  EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED,
} EimzaPkcs11ModuleSource;

/**
 * EimzaPkcs11ModuleStatus:
 * @EIMZA_PKCS11_MODULE_LOADED: loaded and initialised.
 * @EIMZA_PKCS11_MODULE_LOADED_WITHOUT_OS_LOCKING: the module refused
 *   C_Initialize with OS locking (a known AKİS quirk); it was initialised
 *   without arguments instead. All calls are serialised on the worker, the
 *   TLS login's signatures included (eimza_card_tls_interaction_route()).
 * @EIMZA_PKCS11_MODULE_MISSING: the file does not exist (for the vendor
 *   module: in none of the usual directories).
 * @EIMZA_PKCS11_MODULE_FAILED: the file exists but could not be loaded or
 *   initialised; see eimza_pkcs11_module_get_error_message().
 */
typedef enum {
  EIMZA_PKCS11_MODULE_LOADED,
  EIMZA_PKCS11_MODULE_LOADED_WITHOUT_OS_LOCKING,
  EIMZA_PKCS11_MODULE_MISSING,
  EIMZA_PKCS11_MODULE_FAILED,
} EimzaPkcs11ModuleStatus;

/* The file name of Kamu SM's PKCS#11 module for AKİS cards. */
#define EIMZA_PKCS11_VENDOR_MODULE EIMZA_VENDOR_MODULE_NAME

/**
 * EimzaPkcs11Module:
 *
 * A snapshot of one module for the diagnostics view: immutable,
 * reference-counted, usable from any thread.
 */
typedef struct _EimzaPkcs11Module EimzaPkcs11Module;

#define EIMZA_TYPE_PKCS11_MODULE (eimza_pkcs11_module_get_type ())

EimzaPkcs11           *eimza_pkcs11_new                       (void);
void                   eimza_pkcs11_free                      (EimzaPkcs11          *self);

/* The worker's #EimzaPkcs11, created on first use and freed when the
 * worker stops. Worker thread only. */
EimzaPkcs11           *eimza_pkcs11_from_worker               (EimzaCardWorker      *worker);

/* An extra module to load (the user's setting), or %NULL. Takes effect at
 * the next eimza_pkcs11_load_modules(); a module once loaded stays. */
void                   eimza_pkcs11_set_extra_module          (EimzaPkcs11          *self,
                                                               const char           *path);
const char            *eimza_pkcs11_get_extra_module          (EimzaPkcs11          *self);

/* Directories searched for libakisp11.so; %NULL restores the default
 * (/usr/lib, /usr/lib/x86_64-linux-gnu, /usr/local/lib, /usr/lib/akia). */
void                   eimza_pkcs11_set_vendor_dirs           (EimzaPkcs11          *self,
                                                               const char * const   *dirs);

/* Whether modules registered with p11-kit are used (default %TRUE). Only
 * the first eimza_pkcs11_load_modules() of the process decides how GnuTLS
 * is initialised; tests turn this off to see only their own module. */
void                   eimza_pkcs11_set_use_registered        (EimzaPkcs11          *self,
                                                               gboolean              use_registered);

/* The demo's virtual card: @path (its SoftHSM2 module) becomes the one
 * module, and %NULL means none at all. Nothing registered with p11-kit, no
 * vendor module, no configured one, and no setting changes that later:
 * the person's own card must be out of reach, or a PIN typed for the demo
 * would spend its tries. Tokens and objects of any other module that
 * GnuTLS may hold (it keeps one list per process) are neither listed nor
 * used. Call it before the first eimza_pkcs11_load_modules(), once. */
void                   eimza_pkcs11_set_only_module           (EimzaPkcs11          *self,
                                                               const char           *path);

/* The card readers as the card worker sees them now (element-type
 * EimzaCardWorkerReader; copied). With them, a module whose slots are card
 * readers is asked only about cards that need it: a card whose ATR names
 * its own module (AKİS: libakisp11.so) only that module, when loaded; and
 * no module again about a card it looked at and did not take, until that
 * card is taken out (see eimza-pkcs11-readers.c). Without this call every
 * module is asked every time. eimza_pkcs11_from_worker() calls it. */
void                   eimza_pkcs11_set_readers               (EimzaPkcs11          *self,
                                                               GPtrArray            *readers);

/* Initialises GnuTLS's PKCS#11 layer and loads the registered, vendor and
 * configured modules that are not loaded yet. Cheap when nothing changed,
 * so every operation calls it first. A vendor or configured module that
 * cannot be loaded is not an error here (the report shows it); fails only
 * if PKCS#11 cannot be initialised at all (%EIMZA_CARD_ERROR_MODULE). */
gboolean               eimza_pkcs11_load_modules              (EimzaPkcs11          *self,
                                                               GError              **error);

/* Loads the modules, then describes each with its present tokens.
 * Returns: (transfer container) (element-type EimzaPkcs11Module). */
GPtrArray             *eimza_pkcs11_list_modules              (EimzaPkcs11          *self,
                                                               GError              **error);

GType                  eimza_pkcs11_module_get_type           (void) G_GNUC_CONST;
EimzaPkcs11Module     *eimza_pkcs11_module_ref                (EimzaPkcs11Module    *module);
void                   eimza_pkcs11_module_unref              (EimzaPkcs11Module    *module);

/* The file, as loaded (for the vendor module when missing: the bare name). */
const char            *eimza_pkcs11_module_get_path           (EimzaPkcs11Module    *module);
/* p11-kit's name for a registered module ("softhsm2"), else %NULL. */
const char            *eimza_pkcs11_module_get_name           (EimzaPkcs11Module    *module);
EimzaPkcs11ModuleSource eimza_pkcs11_module_get_source        (EimzaPkcs11Module    *module);
EimzaPkcs11ModuleStatus eimza_pkcs11_module_get_status        (EimzaPkcs11Module    *module);
gboolean               eimza_pkcs11_module_is_loaded          (EimzaPkcs11Module    *module);
/* CK_INFO of a loaded module; %NULL otherwise. */
const char            *eimza_pkcs11_module_get_description    (EimzaPkcs11Module    *module);
const char            *eimza_pkcs11_module_get_manufacturer   (EimzaPkcs11Module    *module);
const char            *eimza_pkcs11_module_get_version        (EimzaPkcs11Module    *module);
/* Whether this is a trust-policy module (the system's CA store), which
 * holds no e-signature keys. */
gboolean               eimza_pkcs11_module_is_trust_store     (EimzaPkcs11Module    *module);
/* Translated, for people; %NULL when loaded. */
const char            *eimza_pkcs11_module_get_error_message  (EimzaPkcs11Module    *module);
/* (element-type EimzaPkcs11Token): the tokens present when the snapshot
 * was taken, as far as the module was asked (see eimza_pkcs11_set_readers()). */
GPtrArray             *eimza_pkcs11_module_get_tokens         (EimzaPkcs11Module    *module);

/* The readers whose card the module was not asked about because it
 * belongs to another loaded module (an AKİS card, with Kamu SM's module). */
const char * const    *eimza_pkcs11_module_get_kept_away_readers (EimzaPkcs11Module *module);
/* The readers whose card the module looked at and did not take; it is not
 * asked about them again until the card is taken out. */
const char * const    *eimza_pkcs11_module_get_declined_readers  (EimzaPkcs11Module *module);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPkcs11, eimza_pkcs11_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaPkcs11Module, eimza_pkcs11_module_unref)

G_END_DECLS
