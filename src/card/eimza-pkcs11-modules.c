/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding and loading PKCS#11 modules (p11-kit, libakisp11.so, configured). */
#include "config.h"

#include <dlfcn.h>
#include <stdlib.h>

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs11.h>

#include "eimza-pkcs11-error.h"
#include "eimza-pkcs11-private.h"
#include "eimza-vendor-module.h"

/*
 * How modules get into GnuTLS
 *
 * GnuTLS owns the process-wide list of PKCS#11 providers; certificates,
 * keys and signatures all go through it. Registered modules come in with
 * gnutls_pkcs11_init (GNUTLS_PKCS11_FLAG_AUTO), others with
 * gnutls_pkcs11_add_provider (path).
 *
 * gnutls_pkcs11_add_provider() initialises a module through p11-kit with
 * CKF_OS_LOCKING_OK, and GnuTLS has no public way to take a function list
 * that was initialised elsewhere. Some AKİS module versions reject OS
 * locking with CKR_CANT_LOCK. (GnuTLS 3.7 retries such a module without
 * locking by itself, older versions fail; neither tells us which happened.)
 * p11-kit treats CKR_CRYPTOKI_ALREADY_INITIALIZED from C_Initialize as
 * success and then never calls C_Finalize itself. So for the vendor and
 * configured modules we dlopen() the library ourselves and call
 * C_Initialize with CKF_OS_LOCKING_OK, and after CKR_CANT_LOCK again with
 * NULL (no locking arguments, which every module must accept); then we add
 * it to GnuTLS: the dynamic linker hands p11-kit the same library instance,
 * its C_Initialize answers "already initialised", and GnuTLS uses it. This
 * works the same with every GnuTLS version, tells the diagnostics view
 * what happened, and gives a precise error when initialisation fails. It
 * relies on the module checking "already initialised" before it looks at
 * the arguments, as the PKCS#11 specification describes.
 *
 * Without OS locking the module must not be called from two threads at
 * once; all our calls run on the card worker thread. The TLS client
 * certificate of the NES site's login is no exception: GnuTLS gets it as
 * an "eimza-card:" URL whose signatures are card worker jobs (see
 * eimza-card-tls-key.c), never as a PKCS#11 URL it would use from
 * glib-networking's handshake thread.
 */

#define WORKER_DATA_KEY "eimza-pkcs11"

typedef struct
{
  char *path;                    /* as found, for people */
  char *canonical;               /* symbolic links resolved; the key */
  EimzaPkcs11ModuleSource source;
  EimzaPkcs11ModuleStatus status;
  char *error_message;
  CK_FUNCTION_LIST *funcs;       /* p11-kit managed and initialised, for reports */
} LoadedModule;

struct _EimzaPkcs11
{
  char *extra_module;
  char **vendor_dirs;
  gboolean use_registered;

  /* eimza_pkcs11_set_only_module(): that module and no other, for good. */
  gboolean only_module_set;
  char *only_module_canonical;   /* NULL: no module at all */

  gboolean registered_done;
  CK_FUNCTION_LIST **registered;   /* NULL-terminated, p11-kit managed */

  /* canonical path -> LoadedModule, for vendor and configured modules */
  GHashTable *explicit_modules;
  gboolean vendor_found;

  /* Which module is asked about which card (eimza-pkcs11-readers.c). */
  EimzaPkcs11Readers *readers;
};

struct _EimzaPkcs11Module
{
  gatomicrefcount ref_count;
  char *path;
  char *name;
  EimzaPkcs11ModuleSource source;
  EimzaPkcs11ModuleStatus status;
  char *description;
  char *manufacturer;
  char *version;
  gboolean trust_store;
  char *error_message;
  GPtrArray *tokens;
  GStrv kept_away_readers;
  GStrv declined_readers;
};

G_DEFINE_BOXED_TYPE (EimzaPkcs11Module, eimza_pkcs11_module,
                     eimza_pkcs11_module_ref, eimza_pkcs11_module_unref)

/* Process-wide facts, because GnuTLS's provider list is process-wide. */
G_LOCK_DEFINE_STATIC (process_state);
static gboolean gnutls_pkcs11_initialised;
static GHashTable *process_status;   /* canonical path -> status, for modules we added */

static char *canonical_path (const char *path);

char *
eimza_pkcs11_string_from_field (const unsigned char *field,
                                gsize                length)
{
  while (length > 0 && (field[length - 1] == ' ' || field[length - 1] == '\0'))
    length--;

  return g_utf8_make_valid ((const char *) field, (gssize) length);
}

static void
loaded_module_free (gpointer data)
{
  LoadedModule *loaded = data;

  if (loaded->funcs != NULL)
    {
      p11_kit_module_finalize (loaded->funcs);
      p11_kit_module_release (loaded->funcs);
    }
  g_free (loaded->path);
  g_free (loaded->canonical);
  g_free (loaded->error_message);
  g_free (loaded);
}

EimzaPkcs11 *
eimza_pkcs11_new (void)
{
  EimzaPkcs11 *self = g_new0 (EimzaPkcs11, 1);

  self->use_registered = TRUE;
  self->vendor_dirs = g_strdupv ((char **) eimza_vendor_module_default_dirs ());
  self->explicit_modules = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                  loaded_module_free);
  self->readers = eimza_pkcs11_readers_new ();
  return self;
}

void
eimza_pkcs11_free (EimzaPkcs11 *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->readers, eimza_pkcs11_readers_free);
  g_clear_pointer (&self->explicit_modules, g_hash_table_unref);
  if (self->registered != NULL)
    p11_kit_modules_finalize_and_release (self->registered);
  g_free (self->extra_module);
  g_free (self->only_module_canonical);
  g_strfreev (self->vendor_dirs);
  g_free (self);
}

EimzaPkcs11 *
eimza_pkcs11_from_worker (EimzaCardWorker *worker)
{
  EimzaPkcs11 *self;

  g_return_val_if_fail (worker != NULL, NULL);

  self = eimza_card_worker_get_data (worker, WORKER_DATA_KEY);
  if (self == NULL)
    {
      self = eimza_pkcs11_new ();
      eimza_card_worker_set_data (worker, WORKER_DATA_KEY, self,
                                  (GDestroyNotify) eimza_pkcs11_free);
    }

  /* Every job comes here first: it sees the cards as they are now. */
  {
    g_autoptr(GPtrArray) readers = eimza_card_worker_list_readers (worker);

    eimza_pkcs11_set_readers (self, readers);
  }

  return self;
}

void
eimza_pkcs11_set_readers (EimzaPkcs11 *self,
                          GPtrArray   *readers)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (readers != NULL);

  eimza_pkcs11_readers_update (self->readers, readers);
}

EimzaPkcs11Readers *
eimza_pkcs11_get_readers_state (EimzaPkcs11 *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->readers;
}

void
eimza_pkcs11_set_extra_module (EimzaPkcs11 *self,
                               const char  *path)
{
  g_return_if_fail (self != NULL);

  /* The demo's setting may not bring in the person's own card. */
  if (self->only_module_set)
    return;
  if (path != NULL && *path == '\0')
    path = NULL;
  g_free (self->extra_module);
  self->extra_module = g_strdup (path);
}

const char *
eimza_pkcs11_get_extra_module (EimzaPkcs11 *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->extra_module;
}

void
eimza_pkcs11_set_vendor_dirs (EimzaPkcs11        *self,
                              const char * const *dirs)
{
  g_return_if_fail (self != NULL);

  if (self->only_module_set)
    return;
  g_strfreev (self->vendor_dirs);
  self->vendor_dirs = g_strdupv ((char **) (dirs != NULL ? dirs
                                                      : eimza_vendor_module_default_dirs ()));
}

void
eimza_pkcs11_set_use_registered (EimzaPkcs11 *self,
                                 gboolean     use_registered)
{
  g_return_if_fail (self != NULL);

  if (self->only_module_set)
    return;
  self->use_registered = !!use_registered;
}

void
eimza_pkcs11_set_only_module (EimzaPkcs11 *self,
                              const char  *path)
{
  static const char * const no_dirs[] = { NULL };

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->only_module_set);
  g_return_if_fail (!self->registered_done);

  if (path != NULL && *path == '\0')
    path = NULL;

  self->use_registered = FALSE;
  g_strfreev (self->vendor_dirs);
  self->vendor_dirs = g_strdupv ((char **) no_dirs);
  g_free (self->extra_module);
  self->extra_module = g_strdup (path);
  self->only_module_canonical = path != NULL ? canonical_path (path) : NULL;
  /* A module that cannot be resolved matches nothing, not everything. */
  if (path != NULL && self->only_module_canonical == NULL)
    self->only_module_canonical = g_strdup (path);
  self->only_module_set = TRUE;
}

gboolean
eimza_pkcs11_allows_module (EimzaPkcs11      *self,
                            CK_FUNCTION_LIST *funcs)
{
  g_autofree char *filename = NULL;
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  /* Unrestricted, everything goes, NULL included. */
  if (!self->only_module_set)
    return TRUE;
  if (self->only_module_canonical == NULL || funcs == NULL)
    return FALSE;

  filename = p11_kit_module_get_filename (funcs);
  if (filename == NULL)
    return FALSE;
  canonical = canonical_path (filename);
  return g_strcmp0 (canonical, self->only_module_canonical) == 0;
}

static gboolean
init_gnutls_pkcs11 (gboolean   use_registered,
                    GError   **error)
{
  int ret = 0;

  G_LOCK (process_state);
  if (!gnutls_pkcs11_initialised)
    {
      /* If another part of the process (a TLS connection) initialised
       * GnuTLS's PKCS#11 layer first, this call does nothing; the
       * registered modules are then added one by one below. */
      ret = gnutls_pkcs11_init (use_registered ? GNUTLS_PKCS11_FLAG_AUTO
                                               : GNUTLS_PKCS11_FLAG_MANUAL, NULL);
      if (ret >= 0)
        gnutls_pkcs11_initialised = TRUE;
    }
  G_UNLOCK (process_state);

  if (ret < 0)
    {
      g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_MODULE,
                   _("The PKCS#11 layer could not be initialised (%s)."),
                   gnutls_strerror (ret));
      return FALSE;
    }

  return TRUE;
}

static char *
canonical_path (const char *path)
{
  char *resolved = realpath (path, NULL);
  char *result;

  if (resolved == NULL)
    return NULL;

  result = g_strdup (resolved);
  free (resolved);
  return result;
}

static gboolean
path_is_registered (EimzaPkcs11 *self,
                    const char  *canonical)
{
  if (self->registered == NULL)
    return FALSE;

  for (guint i = 0; self->registered[i] != NULL; i++)
    {
      g_autofree char *filename = p11_kit_module_get_filename (self->registered[i]);
      g_autofree char *resolved = NULL;

      if (filename == NULL)
        continue;
      resolved = canonical_path (filename);
      if (g_strcmp0 (resolved, canonical) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
load_registered (EimzaPkcs11 *self)
{
  if (self->registered_done || !self->use_registered)
    return;
  self->registered_done = TRUE;

  /* Our own handles on the registered modules, for the report; p11-kit
   * counts initialisations, so this shares GnuTLS's instances. */
  self->registered = p11_kit_modules_load_and_initialize (0);
  if (self->registered == NULL)
    {
      g_warning ("Could not load the PKCS#11 modules registered with p11-kit: %s",
                 p11_kit_message ());
      return;
    }

  /* Make sure GnuTLS has every one of them, also when it was initialised
   * before us with only the trust modules. Modules it already has are
   * recognised and skipped. */
  for (guint i = 0; self->registered[i] != NULL; i++)
    {
      g_autofree char *filename = p11_kit_module_get_filename (self->registered[i]);
      int ret;

      if (filename == NULL)
        continue;
      ret = gnutls_pkcs11_add_provider (filename, NULL);
      if (ret < 0)
        g_debug ("GnuTLS did not take registered module %s: %s", filename,
                 gnutls_strerror (ret));
    }
}

/* Loads and initialises @path ourselves, then hands it to GnuTLS (see the
 * comment at the top of this file). */
static EimzaPkcs11ModuleStatus
add_to_gnutls (const char  *path,
               char       **error_message)
{
  CK_RV (*get_function_list) (CK_FUNCTION_LIST **);
  CK_C_INITIALIZE_ARGS args = { NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL };
  EimzaPkcs11ModuleStatus status = EIMZA_PKCS11_MODULE_LOADED;
  CK_FUNCTION_LIST *funcs = NULL;
  void *handle;
  CK_RV rv;
  int ret;

  handle = dlopen (path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL)
    {
      *error_message = g_strdup_printf (_("The module %s could not be loaded: %s"), path,
                                        dlerror ());
      return EIMZA_PKCS11_MODULE_FAILED;
    }

  get_function_list = (CK_RV (*) (CK_FUNCTION_LIST **)) dlsym (handle, "C_GetFunctionList");
  if (get_function_list == NULL || get_function_list (&funcs) != CKR_OK || funcs == NULL)
    {
      *error_message = g_strdup_printf (_("The file %s is not a PKCS#11 module."), path);
      dlclose (handle);
      return EIMZA_PKCS11_MODULE_FAILED;
    }

  rv = funcs->C_Initialize (&args);
  if (rv == CKR_CANT_LOCK)
    {
      g_debug ("PKCS#11 module %s refuses OS locking; initialising it without", path);
      rv = funcs->C_Initialize (NULL);
      status = EIMZA_PKCS11_MODULE_LOADED_WITHOUT_OS_LOCKING;
    }
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
    {
      g_autoptr(GError) error = NULL;

      eimza_card_error_from_ckr (rv, EIMZA_CARD_ERROR_MODULE, &error);
      *error_message = g_strdup_printf (_("The module %s could not be initialised: %s"),
                                        path, error->message);
      dlclose (handle);
      return EIMZA_PKCS11_MODULE_FAILED;
    }

  /* GnuTLS's C_Initialize now gets "already initialised", which p11-kit
   * takes as success. */
  ret = gnutls_pkcs11_add_provider (path, NULL);
  if (ret < 0)
    {
      *error_message = g_strdup_printf (_("The module %s could not be used (%s)."), path,
                                        gnutls_strerror (ret));
      if (rv == CKR_OK)
        funcs->C_Finalize (NULL);
      dlclose (handle);
      return EIMZA_PKCS11_MODULE_FAILED;
    }

  /* The handle stays open for the life of the process on purpose: the
   * library must not be unloaded under GnuTLS, and nobody finalises it. */
  return status;
}

static LoadedModule *
load_explicit (EimzaPkcs11             *self,
               const char              *path,
               EimzaPkcs11ModuleSource  source)
{
  g_autofree char *canonical = canonical_path (path);
  LoadedModule *loaded;
  gpointer known;

  if (canonical == NULL)
    return NULL;

  loaded = g_hash_table_lookup (self->explicit_modules, canonical);
  if (loaded != NULL)
    return loaded;

  if (path_is_registered (self, canonical))
    return NULL;

  loaded = g_new0 (LoadedModule, 1);
  loaded->path = g_strdup (path);
  loaded->canonical = g_steal_pointer (&canonical);
  loaded->source = source;

  G_LOCK (process_state);
  if (process_status == NULL)
    process_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_lookup_extended (process_status, loaded->canonical, NULL, &known))
    {
      /* Added by an earlier EimzaPkcs11 of this process. */
      loaded->status = GPOINTER_TO_INT (known);
    }
  else
    {
      loaded->status = add_to_gnutls (loaded->canonical, &loaded->error_message);
      if (loaded->status != EIMZA_PKCS11_MODULE_FAILED)
        g_hash_table_insert (process_status, g_strdup (loaded->canonical),
                             GINT_TO_POINTER (loaded->status));
    }
  G_UNLOCK (process_state);

  if (loaded->status != EIMZA_PKCS11_MODULE_FAILED)
    {
      loaded->funcs = p11_kit_module_load (loaded->canonical, 0);
      if (loaded->funcs != NULL && p11_kit_module_initialize (loaded->funcs) != CKR_OK)
        g_clear_pointer (&loaded->funcs, p11_kit_module_release);
    }

  g_hash_table_insert (self->explicit_modules, loaded->canonical, loaded);
  return loaded;
}

gboolean
eimza_pkcs11_load_modules (EimzaPkcs11  *self,
                           GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!init_gnutls_pkcs11 (self->use_registered, error))
    return FALSE;

  load_registered (self);

  /* Looked for every time: the vendor package may be installed while the
   * application runs. */
  self->vendor_found = FALSE;
  for (guint i = 0; self->vendor_dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (self->vendor_dirs[i],
                                                EIMZA_PKCS11_VENDOR_MODULE, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      self->vendor_found = TRUE;
      load_explicit (self, path, EIMZA_PKCS11_MODULE_SOURCE_VENDOR);
    }

  if (self->extra_module != NULL && g_file_test (self->extra_module, G_FILE_TEST_EXISTS))
    load_explicit (self, self->extra_module, EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED);

  return TRUE;
}

static void
handle_free (gpointer data)
{
  EimzaPkcs11Handle *handle = data;

  g_free (handle->path);
  g_free (handle);
}

static void
add_handle (GPtrArray        *handles,
            CK_FUNCTION_LIST *funcs,
            const char       *path)
{
  EimzaPkcs11Handle *handle = g_new0 (EimzaPkcs11Handle, 1);

  handle->funcs = funcs;
  handle->path = g_strdup (path);
  handle->trust_store = (p11_kit_module_get_flags (funcs) & P11_KIT_MODULE_TRUSTED) != 0;
  g_ptr_array_add (handles, handle);
}

GPtrArray *
eimza_pkcs11_get_handles (EimzaPkcs11 *self)
{
  GPtrArray *handles = g_ptr_array_new_with_free_func (handle_free);
  GHashTableIter iter;
  LoadedModule *loaded;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; self->registered != NULL && self->registered[i] != NULL; i++)
    {
      char *filename = p11_kit_module_get_filename (self->registered[i]);

      if (filename != NULL && eimza_pkcs11_allows_module (self, self->registered[i]))
        add_handle (handles, self->registered[i], filename);
      free (filename);
    }

  g_hash_table_iter_init (&iter, self->explicit_modules);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &loaded))
    if (loaded->funcs != NULL && eimza_pkcs11_allows_module (self, loaded->funcs))
      add_handle (handles, loaded->funcs, loaded->path);

  return handles;
}

static EimzaPkcs11Module *
module_new (const char              *path,
            EimzaPkcs11ModuleSource  source,
            EimzaPkcs11ModuleStatus  status)
{
  EimzaPkcs11Module *module = g_new0 (EimzaPkcs11Module, 1);

  g_atomic_ref_count_init (&module->ref_count);
  module->path = g_strdup (path);
  module->source = source;
  module->status = status;
  module->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) eimza_pkcs11_token_unref);
  return module;
}

static const EimzaPkcs11Handle *
find_handle (GPtrArray        *handles,
             CK_FUNCTION_LIST *funcs)
{
  for (guint i = 0; i < handles->len; i++)
    {
      const EimzaPkcs11Handle *handle = g_ptr_array_index (handles, i);

      if (handle->funcs == funcs)
        return handle;
    }

  return NULL;
}

static void
module_describe (EimzaPkcs11       *self,
                 EimzaPkcs11Module *module,
                 CK_FUNCTION_LIST  *funcs,
                 GPtrArray         *handles)
{
  const EimzaPkcs11Handle *handle = find_handle (handles, funcs);
  g_autoptr(GPtrArray) tokens = NULL;
  CK_INFO info;

  if (funcs->C_GetInfo (&info) == CKR_OK)
    {
      module->description = eimza_pkcs11_string_from_field (info.libraryDescription,
                                                            sizeof info.libraryDescription);
      module->manufacturer = eimza_pkcs11_string_from_field (info.manufacturerID,
                                                             sizeof info.manufacturerID);
      module->version = g_strdup_printf ("%u.%u", info.libraryVersion.major,
                                         info.libraryVersion.minor);
    }

  if (handle == NULL)
    return;

  /* As the certificate list asks it: a module kept away from a card is
   * not made to probe it for the diagnostics view either. */
  tokens = eimza_pkcs11_readers_list_tokens (self->readers, handle, handles,
                                             module->trust_store);
  g_ptr_array_extend_and_steal (module->tokens, g_steal_pointer (&tokens));
  module->kept_away_readers = eimza_pkcs11_readers_get_kept_away (self->readers, handle,
                                                                  handles);
  module->declined_readers = eimza_pkcs11_readers_get_declined (self->readers, handle);
}


GPtrArray *
eimza_pkcs11_list_modules (EimzaPkcs11  *self,
                           GError      **error)
{
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GPtrArray) handles = NULL;
  GHashTableIter iter;
  LoadedModule *loaded;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!eimza_pkcs11_load_modules (self, error))
    return NULL;
  handles = eimza_pkcs11_get_handles (self);

  modules = g_ptr_array_new_with_free_func ((GDestroyNotify) eimza_pkcs11_module_unref);

  for (guint i = 0; self->registered != NULL && self->registered[i] != NULL; i++)
    {
      CK_FUNCTION_LIST *funcs = self->registered[i];
      g_autofree char *filename = p11_kit_module_get_filename (funcs);
      EimzaPkcs11Module *module = module_new (filename, EIMZA_PKCS11_MODULE_SOURCE_REGISTERED,
                                              EIMZA_PKCS11_MODULE_LOADED);

      module->name = p11_kit_module_get_name (funcs);
      module->trust_store = (p11_kit_module_get_flags (funcs) & P11_KIT_MODULE_TRUSTED) != 0;
      module_describe (self, module, funcs, handles);
      g_ptr_array_add (modules, module);
    }

  g_hash_table_iter_init (&iter, self->explicit_modules);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &loaded))
    {
      EimzaPkcs11Module *module = module_new (loaded->path, loaded->source, loaded->status);

      module->error_message = g_strdup (loaded->error_message);
      if (loaded->funcs != NULL)
        {
          module->trust_store = (p11_kit_module_get_flags (loaded->funcs) &
                                 P11_KIT_MODULE_TRUSTED) != 0;
          module_describe (self, module, loaded->funcs, handles);
        }
      g_ptr_array_add (modules, module);
    }

  /* Only a module we were told to look for is reported missing. */
  if (!self->vendor_found && self->vendor_dirs[0] != NULL)
    {
      g_autofree char *dirs = g_strjoinv (", ", self->vendor_dirs);
      EimzaPkcs11Module *module = module_new (EIMZA_PKCS11_VENDOR_MODULE,
                                              EIMZA_PKCS11_MODULE_SOURCE_VENDOR,
                                              EIMZA_PKCS11_MODULE_MISSING);

      module->error_message =
        g_strdup_printf (_("Kamu SM’s card module %s was not found in %s. Install the AKİS "
                           "card driver package from Kamu SM, or give the module’s path in "
                           "the settings."),
                         EIMZA_PKCS11_VENDOR_MODULE, dirs);
      g_ptr_array_add (modules, module);
    }

  if (self->extra_module != NULL && !g_file_test (self->extra_module, G_FILE_TEST_EXISTS))
    {
      EimzaPkcs11Module *module = module_new (self->extra_module,
                                              EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED,
                                              EIMZA_PKCS11_MODULE_MISSING);

      module->error_message = g_strdup_printf (_("The PKCS#11 module %s given in the settings "
                                                 "does not exist."),
                                               self->extra_module);
      g_ptr_array_add (modules, module);
    }

  return g_steal_pointer (&modules);
}

EimzaPkcs11Module *
eimza_pkcs11_module_ref (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, NULL);

  g_atomic_ref_count_inc (&module->ref_count);
  return module;
}

void
eimza_pkcs11_module_unref (EimzaPkcs11Module *module)
{
  g_return_if_fail (module != NULL);

  if (!g_atomic_ref_count_dec (&module->ref_count))
    return;

  g_free (module->path);
  g_free (module->name);
  g_free (module->description);
  g_free (module->manufacturer);
  g_free (module->version);
  g_free (module->error_message);
  g_ptr_array_unref (module->tokens);
  g_strfreev (module->kept_away_readers);
  g_strfreev (module->declined_readers);
  g_free (module);
}

const char *
eimza_pkcs11_module_get_path (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, NULL);
  return module->path;
}

const char *
eimza_pkcs11_module_get_name (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, NULL);
  return module->name;
}

EimzaPkcs11ModuleSource
eimza_pkcs11_module_get_source (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, EIMZA_PKCS11_MODULE_SOURCE_REGISTERED);
  return module->source;
}

EimzaPkcs11ModuleStatus
eimza_pkcs11_module_get_status (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, EIMZA_PKCS11_MODULE_FAILED);
  return module->status;
}

gboolean
eimza_pkcs11_module_is_loaded (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, FALSE);
  return module->status == EIMZA_PKCS11_MODULE_LOADED ||
         module->status == EIMZA_PKCS11_MODULE_LOADED_WITHOUT_OS_LOCKING;
}

const char *
eimza_pkcs11_module_get_description (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, NULL);
  return module->description;
}

const char *
eimza_pkcs11_module_get_manufacturer (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, NULL);
  return module->manufacturer;
}

const char *
eimza_pkcs11_module_get_version (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, NULL);
  return module->version;
}

gboolean
eimza_pkcs11_module_is_trust_store (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, FALSE);
  return module->trust_store;
}

const char *
eimza_pkcs11_module_get_error_message (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, NULL);
  return module->error_message;
}

GPtrArray *
eimza_pkcs11_module_get_tokens (EimzaPkcs11Module *module)
{
  g_return_val_if_fail (module != NULL, NULL);
  return module->tokens;
}

const char * const *
eimza_pkcs11_module_get_kept_away_readers (EimzaPkcs11Module *module)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (module != NULL, NULL);
  return module->kept_away_readers != NULL ? (const char * const *) module->kept_away_readers
                                           : none;
}

const char * const *
eimza_pkcs11_module_get_declined_readers (EimzaPkcs11Module *module)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (module != NULL, NULL);
  return module->declined_readers != NULL ? (const char * const *) module->declined_readers
                                          : none;
}
