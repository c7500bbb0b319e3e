/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's one way into the pages behind the welcome page: the tasks, and Back. */
#include "config.h"

#include "eimza-task-flow.h"

G_DEFINE_INTERFACE (EimzaTaskFlow, eimza_task_flow, G_TYPE_OBJECT)

static void
eimza_task_flow_default_init (EimzaTaskFlowInterface *iface)
{
  /**
   * EimzaTaskFlow:can-go-back:
   *
   * Whether the page shown now has a page to go back to, and nothing
   * under way on it stops the person from leaving (the window's Back).
   */
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("can-go-back", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

void
eimza_task_flow_show_renewal (EimzaTaskFlow *self)
{
  g_return_if_fail (EIMZA_IS_TASK_FLOW (self));

  EIMZA_TASK_FLOW_GET_IFACE (self)->show_renewal (self);
}

void
eimza_task_flow_show_eonay (EimzaTaskFlow *self)
{
  g_return_if_fail (EIMZA_IS_TASK_FLOW (self));

  EIMZA_TASK_FLOW_GET_IFACE (self)->show_eonay (self);
}

void
eimza_task_flow_open_jnlp (EimzaTaskFlow *self,
                           GFile         *file)
{
  g_return_if_fail (EIMZA_IS_TASK_FLOW (self));
  g_return_if_fail (G_IS_FILE (file));

  EIMZA_TASK_FLOW_GET_IFACE (self)->open_jnlp (self, file);
}

void
eimza_task_flow_go_back (EimzaTaskFlow *self)
{
  g_return_if_fail (EIMZA_IS_TASK_FLOW (self));

  EIMZA_TASK_FLOW_GET_IFACE (self)->go_back (self);
}

gboolean
eimza_task_flow_get_can_go_back (EimzaTaskFlow *self)
{
  g_return_val_if_fail (EIMZA_IS_TASK_FLOW (self), FALSE);

  return EIMZA_TASK_FLOW_GET_IFACE (self)->get_can_go_back (self);
}
