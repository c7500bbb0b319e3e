/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card part of the UI: a module loaded after the first frame, with GnuTLS and pcsc-lite. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-card-status-button.h"

G_BEGIN_DECLS

/*
 * Everything that talks to the card (the card service, PKCS#11, GnuTLS,
 * pcsc-lite) and the dialogs built on it live in the module
 * eimza-card-ui.so, which the application loads once its window has been
 * drawn: linking those libraries into the program would make every start
 * load and initialise them before the first frame (about 2 ms and 2 MiB).
 * The program sees the module through this table only; the card service is
 * a plain GObject to it.
 */

/* Bumped whenever the table changes; the program refuses another one. */
#define EIMZA_CARD_UI_ABI_VERSION 1

/* The module's file name, looked for next to the program (a build tree)
 * and in EIMZA_CARD_UI_MODULE_DIR (installed). */
#define EIMZA_CARD_UI_MODULE_NAME "eimza-card-ui.so"

/* The one symbol the module exports: returns the table below. */
#define EIMZA_CARD_UI_ENTRY_POINT "eimza_card_ui_get"

typedef struct
{
  guint abi_version;

  /* A new EimzaCardService (the worker starts at once). */
  GObject   *(*service_new)                 (void);
  /* eimza_pkcs11_set_module_path(): the module from the settings or the
   * command line (%NULL for none). */
  void       (*service_set_module_path)     (GObject               *service,
                                             const char            *path);
  /* Makes @button follow @service (nullable): state, card, certificates. */
  void       (*status_button_follow)        (EimzaCardStatusButton *button,
                                             GObject               *service);
  GtkWidget *(*certificates_dialog_new)     (GtkWindow             *parent,
                                             GObject               *service);
  GtkWidget *(*diagnostics_dialog_new)      (GtkWindow             *parent,
                                             GObject               *service);
} EimzaCardUi;

typedef const EimzaCardUi *(*EimzaCardUiGetFunc) (void);

G_END_DECLS
