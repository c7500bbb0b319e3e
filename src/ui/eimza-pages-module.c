/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The interface through which the program uses the pages module's one object. */
#include "config.h"

#include "eimza-pages-module.h"

G_DEFINE_INTERFACE (EimzaPagesModule, eimza_pages_module, G_TYPE_OBJECT)

static void
eimza_pages_module_default_init (EimzaPagesModuleInterface *iface)
{
}

void
eimza_pages_module_follow_card_status (EimzaPagesModule      *self,
                                       EimzaCardStatusButton *button)
{
  g_return_if_fail (EIMZA_IS_PAGES_MODULE (self));
  g_return_if_fail (EIMZA_IS_CARD_STATUS_BUTTON (button));

  EIMZA_PAGES_MODULE_GET_IFACE (self)->follow_card_status (self, button);
}

GtkWidget *
eimza_pages_module_new_certificates_dialog (EimzaPagesModule *self,
                                            GtkWindow        *parent)
{
  g_return_val_if_fail (EIMZA_IS_PAGES_MODULE (self), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return EIMZA_PAGES_MODULE_GET_IFACE (self)->new_certificates_dialog (self, parent);
}

GtkWidget *
eimza_pages_module_new_diagnostics_dialog (EimzaPagesModule *self,
                                           GtkWindow        *parent)
{
  g_return_val_if_fail (EIMZA_IS_PAGES_MODULE (self), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return EIMZA_PAGES_MODULE_GET_IFACE (self)->new_diagnostics_dialog (self, parent);
}

GtkWidget *
eimza_pages_module_new_browsers_dialog (EimzaPagesModule *self,
                                        GtkWindow        *parent)
{
  g_return_val_if_fail (EIMZA_IS_PAGES_MODULE (self), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return EIMZA_PAGES_MODULE_GET_IFACE (self)->new_browsers_dialog (self, parent);
}

void
eimza_pages_module_change_pin (EimzaPagesModule *self,
                               GtkWindow        *parent)
{
  g_return_if_fail (EIMZA_IS_PAGES_MODULE (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  EIMZA_PAGES_MODULE_GET_IFACE (self)->change_pin (self, parent);
}

GtkWidget *
eimza_pages_module_new_unblock_dialog (EimzaPagesModule *self,
                                       GtkWindow        *parent)
{
  g_return_val_if_fail (EIMZA_IS_PAGES_MODULE (self), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return EIMZA_PAGES_MODULE_GET_IFACE (self)->new_unblock_dialog (self, parent);
}

EimzaTaskFlow *
eimza_pages_module_new_task_flow (EimzaPagesModule *self,
                                  GtkStack         *stack,
                                  GtkWidget        *home)
{
  g_return_val_if_fail (EIMZA_IS_PAGES_MODULE (self), NULL);
  g_return_val_if_fail (GTK_IS_STACK (stack), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (home), NULL);

  return EIMZA_PAGES_MODULE_GET_IFACE (self)->new_task_flow (self, stack, home);
}

void
eimza_pages_module_shutdown (EimzaPagesModule *self)
{
  g_return_if_fail (EIMZA_IS_PAGES_MODULE (self));

  EIMZA_PAGES_MODULE_GET_IFACE (self)->shutdown (self);
}
