/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages module's one object (its card service, its dialogs and its page flow) and its entry point. */
#include "config.h"

#include <stdio.h>
#include <gmodule.h>

#include "eimza-browser-command.h"
#include "eimza-browsers-dialog.h"
#include "eimza-card-status.h"
#include "eimza-certificates-dialog.h"
#include "eimza-diagnostics-dialog.h"
#include "eimza-page-flow.h"
#include "eimza-pages-extension.h"
#include "eimza-pages-resources.h"
#include "eimza-pin-change.h"
#include "eimza-pkcs11.h"
#include "eimza-profile-check.h"

struct _EimzaPagesExtension
{
  GObject parent_instance;

  EimzaAppConfig *config;
  EimzaCardService *service;
  /* The task flow (the window owns it), for the birth date typed there. */
  EimzaPageFlow *flow;                /* weak */
  /* The PIN change from the card status, while it runs. */
  EimzaPinChange *pin_change;
  GCancellable *pin_change_cancellable;
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
  EimzaPagesExtension *self = EIMZA_PAGES_EXTENSION (module);

  eimza_card_status_follow (button, self->service, !eimza_app_config_get_demo (self->config));
}

/* The birth dates the application knows of the card's holder: the
 * demo's person, and what the sign-in page has. (transfer full) */
static GStrv
dup_birth_dates (EimzaPagesExtension *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *demo = eimza_app_config_get_demo_birth_date (self->config);

  if (demo != NULL)
    g_strv_builder_add (builder, demo);
  if (self->flow != NULL && eimza_page_flow_get_birth_date (self->flow) != NULL)
    g_strv_builder_add (builder, eimza_page_flow_get_birth_date (self->flow));

  return g_strv_builder_end (builder);
}

static GtkWidget *
eimza_pages_extension_new_certificates_dialog (EimzaPagesModule *module,
                                               GtkWindow        *parent)
{
  EimzaPagesExtension *self = EIMZA_PAGES_EXTENSION (module);
  g_auto(GStrv) birth_dates = dup_birth_dates (self);
  EimzaCertificatesDialog *dialog = eimza_certificates_dialog_new (parent, self->service);

  eimza_certificates_dialog_set_birth_dates (dialog, (const char * const *) birth_dates);
  eimza_certificates_dialog_set_config (dialog, self->config);
  return GTK_WIDGET (dialog);
}

static GtkWidget *
eimza_pages_extension_new_unblock_dialog (EimzaPagesModule *module,
                                          GtkWindow        *parent)
{
  GtkWidget *dialog = eimza_pages_extension_new_certificates_dialog (module, parent);

  /* Shown first: the choice of routes goes on top of it, even without a
   * window manager to keep a transient dialog above its parent. */
  gtk_window_present (GTK_WINDOW (dialog));
  /* Its test signature then proves the new PIN. */
  eimza_certificates_dialog_unblock_pin (EIMZA_CERTIFICATES_DIALOG (dialog));
  return dialog;
}

static void
pin_change_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EimzaPinChange *pin_change = EIMZA_PIN_CHANGE (source);
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;
  EimzaPagesExtension *self;
  gboolean changed;

  changed = eimza_pin_change_run_finish (pin_change, result, &error);
  /* Shut down: nothing to say. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self = g_object_get_data (G_OBJECT (pin_change), "eimza-pages-extension");
  if (self != NULL && self->pin_change == pin_change)
    {
      g_clear_object (&self->pin_change);
      g_clear_object (&self->pin_change_cancellable);
    }

  eimza_pin_change_show_outcome (parent != NULL && gtk_widget_get_visible (GTK_WIDGET (parent))
                                 ? parent : NULL,
                                 FALSE, changed, error);
}

static void
eimza_pages_extension_change_pin (EimzaPagesModule *module,
                                  GtkWindow        *parent)
{
  EimzaPagesExtension *self = EIMZA_PAGES_EXTENSION (module);
  g_auto(GStrv) birth_dates = NULL;

  /* One at a time: its dialog is already open. */
  if (self->pin_change != NULL)
    return;

  self->pin_change = eimza_pin_change_new (self->service, parent);
  g_object_set_data (G_OBJECT (self->pin_change), "eimza-pages-extension", self);
  birth_dates = dup_birth_dates (self);
  for (guint i = 0; birth_dates[i] != NULL; i++)
    eimza_pin_change_add_birth_date (self->pin_change, birth_dates[i]);

  self->pin_change_cancellable = g_cancellable_new ();
  eimza_pin_change_run_async (self->pin_change, NULL, self->pin_change_cancellable,
                              pin_change_done_cb, parent != NULL ? g_object_ref (parent) : NULL);
}

static GtkWidget *
eimza_pages_extension_new_diagnostics_dialog (EimzaPagesModule *module,
                                              GtkWindow        *parent)
{
  return GTK_WIDGET (eimza_diagnostics_dialog_new (parent, EIMZA_PAGES_EXTENSION (module)->service));
}

/* The card's module as configured (command line, else setting); %NULL
 * lets the dialog pick Kamu SM's or p11-kit's. The demo's own module is
 * not the person's card, and never goes into their browsers. */
static GtkWidget *
eimza_pages_extension_new_browsers_dialog (EimzaPagesModule *module,
                                           GtkWindow        *parent)
{
  EimzaPagesExtension *self = EIMZA_PAGES_EXTENSION (module);
  g_autofree char *configured = NULL;

  if (!eimza_app_config_get_demo (self->config))
    configured = eimza_app_config_dup_pkcs11_module (self->config);

  return GTK_WIDGET (eimza_browsers_dialog_new (parent, configured));
}

static EimzaTaskFlow *
eimza_pages_extension_new_task_flow (EimzaPagesModule *module,
                                     GtkStack         *stack,
                                     GtkWidget        *home)
{
  EimzaPagesExtension *self = EIMZA_PAGES_EXTENSION (module);
  EimzaPageFlow *flow = eimza_page_flow_new (stack, home, self->service, self->config);

  g_set_weak_pointer (&self->flow, flow);
  return EIMZA_TASK_FLOW (flow);
}

static void
eimza_pages_extension_shutdown (EimzaPagesModule *module)
{
  EimzaPagesExtension *self = EIMZA_PAGES_EXTENSION (module);

  /* A card job stuck in its module holds a reference to the service, so
   * dropping ours would not stop it: dispose stops the worker, waiting a
   * bounded time, and the app exits even if the module never answers. */
  g_signal_handlers_disconnect_by_data (self->config, self);
  g_cancellable_cancel (self->pin_change_cancellable);
  g_object_run_dispose (G_OBJECT (self->service));
}

static void
eimza_pages_extension_pages_module_init (EimzaPagesModuleInterface *iface)
{
  iface->follow_card_status = eimza_pages_extension_follow_card_status;
  iface->new_certificates_dialog = eimza_pages_extension_new_certificates_dialog;
  iface->new_diagnostics_dialog = eimza_pages_extension_new_diagnostics_dialog;
  iface->new_browsers_dialog = eimza_pages_extension_new_browsers_dialog;
  iface->change_pin = eimza_pages_extension_change_pin;
  iface->new_unblock_dialog = eimza_pages_extension_new_unblock_dialog;
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
  g_clear_weak_pointer (&self->flow);
  g_cancellable_cancel (self->pin_change_cancellable);
  g_clear_object (&self->pin_change_cancellable);
  if (self->pin_change != NULL)
    g_object_set_data (G_OBJECT (self->pin_change), "eimza-pages-extension", NULL);
  g_clear_object (&self->pin_change);
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
  .browsers_command = eimza_browser_command_run,
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
