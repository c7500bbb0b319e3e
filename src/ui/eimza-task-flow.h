/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's one way into the pages behind the welcome page: the tasks, and Back. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EIMZA_TYPE_TASK_FLOW (eimza_task_flow_get_type ())

G_DECLARE_INTERFACE (EimzaTaskFlow, eimza_task_flow, EIMZA, TASK_FLOW, GObject)

/**
 * EimzaTaskFlowInterface:
 * @show_renewal: the renewal application's first page (the portal
 *   sign-in); what was typed is kept.
 * @show_eonay: the e-onay page, from its first step.
 * @open_jnlp: what the application does with a .jnlp the person opened:
 *   the signer when it is a Kamu SM signing application, an explanation
 *   otherwise; asks first when a signing is in progress.
 * @go_back: one step back, when #EimzaTaskFlow:can-go-back says so.
 * @get_can_go_back: the value of #EimzaTaskFlow:can-go-back.
 *
 * The program (the window) owns this interface; the pages module's flow
 * implements it and alone knows its pages, their names and when Back is
 * allowed. Implementations notify #EimzaTaskFlow:can-go-back whenever its
 * value changes.
 */
struct _EimzaTaskFlowInterface
{
  GTypeInterface parent_iface;

  void     (*show_renewal)    (EimzaTaskFlow *self);
  void     (*show_eonay)      (EimzaTaskFlow *self);
  void     (*open_jnlp)       (EimzaTaskFlow *self,
                               GFile         *file);
  void     (*go_back)         (EimzaTaskFlow *self);
  gboolean (*get_can_go_back) (EimzaTaskFlow *self);
};

void     eimza_task_flow_show_renewal    (EimzaTaskFlow *self);
void     eimza_task_flow_show_eonay      (EimzaTaskFlow *self);
void     eimza_task_flow_open_jnlp       (EimzaTaskFlow *self,
                                          GFile         *file);
void     eimza_task_flow_go_back         (EimzaTaskFlow *self);
/* Whether the page shown now has a page before it (and is not busy). */
gboolean eimza_task_flow_get_can_go_back (EimzaTaskFlow *self);

G_END_DECLS
