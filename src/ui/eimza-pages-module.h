/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages and dialogs that talk to the portal or the card: a module
 * loaded after the first frame, with libsoup, libxml2, GnuTLS and pcsc-lite. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-app-config.h"
#include "eimza-card-status-button.h"
#include "eimza-task-flow.h"

G_BEGIN_DECLS

/*
 * The program itself is the window, its header bar and the welcome page.
 * Everything behind them (the portal client, the card service, PKCS#11,
 * and the pages and dialogs built on them) lives in the module
 * eimza-pages.so, which the application loads once its window has been
 * drawn, or when a person picks a task before that: linking those
 * libraries into the program would make every start load and initialise
 * them (ICU, libstdc++, GnuTLS…) before the first frame.
 *
 * The program owns the types through which it sees the module, and the
 * module implements them: #EimzaPagesModule (the module's one object,
 * made with the program's #EimzaAppConfig) and #EimzaTaskFlow (the pages
 * behind the welcome page). The program's symbols the module uses are
 * listed in eimza-pages-module.dynamic-list.
 */

#define EIMZA_TYPE_PAGES_MODULE (eimza_pages_module_get_type ())

G_DECLARE_INTERFACE (EimzaPagesModule, eimza_pages_module, EIMZA, PAGES_MODULE, GObject)

/**
 * EimzaPagesModuleInterface:
 * @follow_card_status: makes the header bar's card status button follow
 *   the card service: its state, the card, its certificates.
 * @new_certificates_dialog: the card's certificates, with a test signature.
 * @new_diagnostics_dialog: the card diagnostics.
 * @change_pin: changes the PIN of the card in the reader: its PIN dialog
 *   (transient for @parent), then a message with the outcome.
 * @new_unblock_dialog: the certificates dialog with an unblock of the
 *   card in the reader started at once (the unblock code and a new PIN,
 *   then a test signature with it): unlocks a locked card or sets a new
 *   card's first PIN.
 * @new_task_flow: the pages behind @home (the welcome page), added to
 *   @stack (the window's) when first needed; the flow shows @home again
 *   when a task is done.
 * @shutdown: the application is shutting down: stops the card service's
 *   worker, waiting a bounded time (a card job stuck in its PKCS#11 module
 *   holds a reference to the service, so dropping ours would not stop it).
 *
 * The module's one object. It makes the one card service (its worker
 * starts at once) as the #EimzaAppConfig it was made with says, and gives
 * it and the configuration to its pages.
 */
struct _EimzaPagesModuleInterface
{
  GTypeInterface parent_iface;

  void           (*follow_card_status)      (EimzaPagesModule      *self,
                                             EimzaCardStatusButton *button);
  GtkWidget     *(*new_certificates_dialog) (EimzaPagesModule      *self,
                                             GtkWindow             *parent);
  GtkWidget     *(*new_diagnostics_dialog)  (EimzaPagesModule      *self,
                                             GtkWindow             *parent);
  void           (*change_pin)              (EimzaPagesModule      *self,
                                             GtkWindow             *parent);
  GtkWidget     *(*new_unblock_dialog)      (EimzaPagesModule      *self,
                                             GtkWindow             *parent);
  EimzaTaskFlow *(*new_task_flow)           (EimzaPagesModule      *self,
                                             GtkStack              *stack,
                                             GtkWidget             *home);
  void           (*shutdown)                (EimzaPagesModule      *self);
};

void           eimza_pages_module_follow_card_status      (EimzaPagesModule      *self,
                                                           EimzaCardStatusButton *button);
GtkWidget     *eimza_pages_module_new_certificates_dialog (EimzaPagesModule      *self,
                                                           GtkWindow             *parent);
GtkWidget     *eimza_pages_module_new_diagnostics_dialog  (EimzaPagesModule      *self,
                                                           GtkWindow             *parent);
void           eimza_pages_module_change_pin              (EimzaPagesModule      *self,
                                                           GtkWindow             *parent);
GtkWidget     *eimza_pages_module_new_unblock_dialog      (EimzaPagesModule      *self,
                                                           GtkWindow             *parent);
EimzaTaskFlow *eimza_pages_module_new_task_flow           (EimzaPagesModule      *self,
                                                           GtkStack              *stack,
                                                           GtkWidget             *home);
void           eimza_pages_module_shutdown                (EimzaPagesModule      *self);

/* Bumped whenever the entry point, an interface above or the program's
 * exported symbols change; the program refuses another module. */
#define EIMZA_PAGES_MODULE_ABI_VERSION 11

/* The module's file name, looked for next to the program (a build tree)
 * and in EIMZA_PAGES_MODULE_DIR (installed). */
#define EIMZA_PAGES_MODULE_NAME "eimza-pages.so"

/* The one symbol the module exports: returns the entry below. */
#define EIMZA_PAGES_MODULE_ENTRY_POINT "eimza_pages_module_get"

typedef struct
{
  guint abi_version;

  /* The module's object, made once with the application's @config (its
   * card service starts now). */
  EimzaPagesModule *(*create)        (EimzaAppConfig *config);

  /* `eimza-asistan --check-profile FILE [SAVED_PAGES_DIR]`: checks the
   * profile file @path by every rule the application applies and reports
   * on the pages saved in @pages_dir (nullable), on stdout and stderr.
   * Returns the exit status. GTK is not initialised: it needs no display. */
  int               (*check_profile) (const char     *path,
                                      const char     *pages_dir);
} EimzaPagesModuleEntry;

typedef const EimzaPagesModuleEntry *(*EimzaPagesModuleGetFunc) (void);

G_END_DECLS
