/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages module's entry point: the table through which the program uses it. */
#include "config.h"

#include <stdio.h>
#include <gmodule.h>

#include "eimza-card-status.h"
#include "eimza-certificates-dialog.h"
#include "eimza-diagnostics-dialog.h"
#include "eimza-page-flow.h"
#include "eimza-pages-module.h"
#include "eimza-pages-resources.h"
#include "eimza-pkcs11.h"
#include "eimza-profile-check.h"

static GObject *
service_new (void)
{
  return G_OBJECT (eimza_card_service_new ());
}

static void
service_set_module_path (GObject    *service,
                         const char *path)
{
  eimza_pkcs11_set_module_path (EIMZA_CARD_SERVICE (service), path);
}

static void
service_set_only_module (GObject    *service,
                         const char *path)
{
  eimza_pkcs11_set_only_module_path (EIMZA_CARD_SERVICE (service), path);
}

static void
service_set_virtual_card (GObject  *service,
                          gboolean  virtual_card)
{
  eimza_card_service_set_virtual_card (EIMZA_CARD_SERVICE (service), virtual_card);
}

static void
status_button_follow (EimzaCardStatusButton *button,
                      GObject               *service)
{
  eimza_card_status_follow (button, service != NULL ? EIMZA_CARD_SERVICE (service) : NULL);
}

static GtkWidget *
certificates_dialog_new (GtkWindow *parent,
                         GObject   *service)
{
  return GTK_WIDGET (eimza_certificates_dialog_new (parent, EIMZA_CARD_SERVICE (service)));
}

static GtkWidget *
diagnostics_dialog_new (GtkWindow *parent,
                        GObject   *service)
{
  return GTK_WIDGET (eimza_diagnostics_dialog_new (parent, EIMZA_CARD_SERVICE (service)));
}

static GObject *
page_flow_new (GtkApplication *application,
               GtkStack       *stack)
{
  return G_OBJECT (eimza_page_flow_new (application, stack));
}

static void
page_flow_show_login (GObject      *flow,
                      const GError *error)
{
  eimza_page_flow_show_login (EIMZA_PAGE_FLOW (flow), error);
}

static void
page_flow_open_jnlp (GObject *flow,
                     GFile   *file)
{
  eimza_page_flow_open_jnlp (EIMZA_PAGE_FLOW (flow), file);
}

static void
page_flow_show_eonay (GObject *flow)
{
  eimza_page_flow_show_eonay (EIMZA_PAGE_FLOW (flow));
}

static void
page_flow_leave_eonay (GObject *flow)
{
  eimza_page_flow_leave_eonay (EIMZA_PAGE_FLOW (flow));
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

static const EimzaPagesModule pages_module = {
  .abi_version = EIMZA_PAGES_MODULE_ABI_VERSION,
  .service_new = service_new,
  .service_set_module_path = service_set_module_path,
  .service_set_only_module = service_set_only_module,
  .service_set_virtual_card = service_set_virtual_card,
  .status_button_follow = status_button_follow,
  .certificates_dialog_new = certificates_dialog_new,
  .diagnostics_dialog_new = diagnostics_dialog_new,
  .page_flow_new = page_flow_new,
  .page_flow_show_login = page_flow_show_login,
  .page_flow_open_jnlp = page_flow_open_jnlp,
  .page_flow_show_eonay = page_flow_show_eonay,
  .page_flow_leave_eonay = page_flow_leave_eonay,
  .check_profile = check_profile,
};

G_MODULE_EXPORT const EimzaPagesModule *eimza_pages_module_get (void);

const EimzaPagesModule *
eimza_pages_module_get (void)
{
  /* Referencing the module's resources keeps their object file, and the
   * constructor in it that registers the templates, in the module. */
  (void) eimza_pages_get_resource ();

  return &pages_module;
}

/* The module registers GTypes: it must never be unloaded. */
G_MODULE_EXPORT const char *g_module_check_init (GModule *module);

const char *
g_module_check_init (GModule *module)
{
  g_module_make_resident (module);
  return NULL;
}
