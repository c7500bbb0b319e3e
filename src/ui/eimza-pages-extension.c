/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages module's one object (its card service, its dialogs and its page flow) and its entry point. */
#include "config.h"

#include <stdio.h>
#include <gmodule.h>

#include "eimza-card-status.h"
#include "eimza-certificates-dialog.h"
#include "eimza-diagnostics-dialog.h"
#include "eimza-page-flow.h"
#include "eimza-pages-extension.h"
#include "eimza-pages-resources.h"
#include "eimza-pkcs11.h"
#include "eimza-profile-check.h"

struct _EimzaPagesExtension
{
  GObject parent_instance;

  EimzaAppConfig *config;
  EimzaCardService *service;
};

static void eimza_pages_extension_pages_module_init (EimzaPagesModuleInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EimzaPagesExtension, eimza_pages_extension, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EIMZA_TYPE_PAGES_MODULE,
                                                      eimza_pages_extension_pages_module_init))

/* The module from the command line, else the setting (%NULL: found
 * automatically). */
static void
pkcs11_module_changed_cb (EimzaPagesExtension *self)
{
  g_autofree char *path = eimza_app_config_dup_pkcs11_module (self->config);

  eimza_pkcs11_set_module_path (self->service, path);
}

static void
eimza_pages_extension_follow_card_status (EimzaPagesModule      *module,
                                          EimzaCardStatusButton *button)
{
  eimza_card_status_follow (button, EIMZA_PAGES_EXTENSION (module)->service);
}

static GtkWidget *
eimza_pages_extension_new_certificates_dialog (EimzaPagesModule *module,
                                               GtkWindow        *parent)
{
  return GTK_WIDGET (eimza_certificates_dialog_new (parent, EIMZA_PAGES_EXTENSION (module)->service));
}

static GtkWidget *
eimza_pages_extension_new_diagnostics_dialog (EimzaPagesModule *module,
                                              GtkWindow        *parent)
{
  return GTK_WIDGET (eimza_diagnostics_dialog_new (parent, EIMZA_PAGES_EXTENSION (module)->service));
}

static EimzaTaskFlow *
eimza_pages_extension_new_task_flow (EimzaPagesModule *module,
                                     GtkStack         *stack,
                                     GtkWidget        *home)
{
  EimzaPagesExtension *self = EIMZA_PAGES_EXTENSION (module);

  return EIMZA_TASK_FLOW (eimza_page_flow_new (stack, home, self->service, self->config));
}

static void
eimza_pages_extension_shutdown (EimzaPagesModule *module)
{
  EimzaPagesExtension *self = EIMZA_PAGES_EXTENSION (module);

  /* A card job stuck in its module holds a reference to the service, so
   * dropping ours would not stop it: dispose stops the worker, waiting a
   * bounded time, and the app exits even if the module never answers. */
  g_signal_handlers_disconnect_by_data (self->config, self);
  g_object_run_dispose (G_OBJECT (self->service));
}

static void
eimza_pages_extension_pages_module_init (EimzaPagesModuleInterface *iface)
{
  iface->follow_card_status = eimza_pages_extension_follow_card_status;
  iface->new_certificates_dialog = eimza_pages_extension_new_certificates_dialog;
  iface->new_diagnostics_dialog = eimza_pages_extension_new_diagnostics_dialog;
  iface->new_task_flow = eimza_pages_extension_new_task_flow;
  iface->shutdown = eimza_pages_extension_shutdown;
}

static void
eimza_pages_extension_dispose (GObject *object)
{
  EimzaPagesExtension *self = EIMZA_PAGES_EXTENSION (object);

  if (self->config != NULL)
    g_signal_handlers_disconnect_by_data (self->config, self);
  g_clear_object (&self->config);
  /* Joins the worker thread once the last job has returned. */
  g_clear_object (&self->service);

  G_OBJECT_CLASS (eimza_pages_extension_parent_class)->dispose (object);
}

static void
eimza_pages_extension_class_init (EimzaPagesExtensionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_pages_extension_dispose;
}

static void
eimza_pages_extension_init (EimzaPagesExtension *self)
{
}

EimzaPagesExtension *
eimza_pages_extension_new (EimzaAppConfig *config)
{
  EimzaPagesExtension *self;

  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (config), NULL);

  self = g_object_new (EIMZA_TYPE_PAGES_EXTENSION, NULL);
  self->config = g_object_ref (config);
  self->service = eimza_card_service_new ();

  if (eimza_app_config_get_demo (config))
    {
      /* The demo's token alone, never the person's own card (see
       * eimza_app_config_set_demo()); settings and --pkcs11-module do not
       * apply. */
      eimza_pkcs11_set_only_module_path (self->service,
                                         eimza_app_config_get_demo_pkcs11_module (config));
      if (eimza_app_config_get_virtual_card (config))
        eimza_card_service_set_virtual_card (self->service, TRUE);
      return self;
    }

  g_signal_connect_object (config, "notify::pkcs11-module",
                           G_CALLBACK (pkcs11_module_changed_cb), self, G_CONNECT_SWAPPED);
  pkcs11_module_changed_cb (self);

  return self;
}

/* -- the entry point -------------------------------------------------------- */

static EimzaPagesModule *
create (EimzaAppConfig *config)
{
  return EIMZA_PAGES_MODULE (eimza_pages_extension_new (config));
}

static int
check_profile (const char *path,
               const char *pages_dir)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  int status = eimza_profile_check_run (path, pages_dir, out, err);

  fputs (out->str, stdout);
  fflush (stdout);
  fputs (err->str, stderr);
  return status;
}

static const EimzaPagesModuleEntry pages_module_entry = {
  .abi_version = EIMZA_PAGES_MODULE_ABI_VERSION,
  .create = create,
  .check_profile = check_profile,
};

G_MODULE_EXPORT const EimzaPagesModuleEntry *eimza_pages_module_get (void);

const EimzaPagesModuleEntry *
eimza_pages_module_get (void)
{
  /* Referencing the module's resources keeps their object file, and the
   * constructor in it that registers the templates, in the module. */
  (void) eimza_pages_get_resource ();

  return &pages_module_entry;
}

/* The module registers GTypes: it must never be unloaded. */
G_MODULE_EXPORT const char *g_module_check_init (GModule *module);

const char *
g_module_check_init (GModule *module)
{
  g_module_make_resident (module);
  return NULL;
}
