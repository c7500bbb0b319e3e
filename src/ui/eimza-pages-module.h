/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages and dialogs that talk to the portal or the card: a module
 * loaded after the first frame, with libsoup, libxml2, GnuTLS and pcsc-lite. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-card-status-button.h"

G_BEGIN_DECLS

/*
 * The program itself is the window, its header bar and the welcome page.
 * Everything behind them (the portal client, the card service, PKCS#11,
 * and the pages and dialogs built on them) lives in the module
 * eimza-pages.so, which the application loads once its window has been
 * drawn, or when a person picks a task before that: linking those
 * libraries into the program would make every start load and initialise
 * them (ICU, libstdc++, GnuTLS…) before the first frame. The program sees
 * the module through this table only; the objects it gets back are plain
 * GObjects to it.
 */

/* Bumped whenever the table changes; the program refuses another one. */
#define EIMZA_PAGES_MODULE_ABI_VERSION 7

/* The module's file name, looked for next to the program (a build tree)
 * and in EIMZA_PAGES_MODULE_DIR (installed). */
#define EIMZA_PAGES_MODULE_NAME "eimza-pages.so"

/* The one symbol the module exports: returns the table below. */
#define EIMZA_PAGES_MODULE_ENTRY_POINT "eimza_pages_module_get"

typedef struct
{
  guint abi_version;

  /* A new EimzaCardService (the worker starts at once). */
  GObject   *(*service_new)                 (void);
  /* eimza_pkcs11_set_module_path(): the module from the settings or the
   * command line (%NULL for none). */
  void       (*service_set_module_path)     (GObject               *service,
                                             const char            *path);
  /* eimza_pkcs11_set_only_module_path(): the demo's module and no other
   * (%NULL: none), whatever the settings say; right after service_new(). */
  void       (*service_set_only_module)     (GObject               *service,
                                             const char            *path);
  /* eimza_card_service_set_virtual_card(): the demo's card is in no
   * reader. */
  void       (*service_set_virtual_card)    (GObject               *service,
                                             gboolean               virtual_card);
  /* Makes @button follow @service (nullable): state, card, certificates. */
  void       (*status_button_follow)        (EimzaCardStatusButton *button,
                                             GObject               *service);
  GtkWidget *(*certificates_dialog_new)     (GtkWindow             *parent,
                                             GObject               *service);
  GtkWidget *(*diagnostics_dialog_new)      (GtkWindow             *parent,
                                             GObject               *service);

  /* The pages after the welcome page, added to @stack when first needed
   * (an EimzaPageFlow); the portal and the card service come from
   * @application's properties. */
  GObject   *(*page_flow_new)               (GtkApplication        *application,
                                             GtkStack              *stack);
  /* The renewal's sign-in page; @error (nullable) says why the person is
   * (back) there. */
  void       (*page_flow_show_login)        (GObject               *flow,
                                             const GError          *error);
  /* Opens @file, a .jnlp the person opened with the application: the
   * signer page when it is a Kamu SM signing application, an explanation
   * otherwise. Asks first when a signing is already in progress. */
  void       (*page_flow_open_jnlp)         (GObject               *flow,
                                             GFile                 *file);
  /* The e-onay page, from its first step. It has a boolean property
   * "busy": the window offers Back only while it is FALSE. */
  void       (*page_flow_show_eonay)        (GObject               *flow);
  /* Back from the e-onay page: to the welcome page, or to the signing
   * method it was opened from. */
  void       (*page_flow_leave_eonay)       (GObject               *flow);

  /* `eimza-asistan --check-profile FILE [SAVED_PAGES_DIR]`: checks the
   * profile file @path by every rule the application applies and reports
   * on the pages saved in @pages_dir (nullable), on stdout and stderr.
   * Returns the exit status. GTK is not initialised: it needs no display. */
  int        (*check_profile)               (const char            *path,
                                             const char            *pages_dir);
} EimzaPagesModule;

typedef const EimzaPagesModule *(*EimzaPagesModuleGetFunc) (void);

G_END_DECLS
