/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every link from pcscd to the certificates, checked and named when broken, with a report to copy. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-card-service.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_DIAGNOSTICS_DIALOG (eimza_diagnostics_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EimzaDiagnosticsDialog, eimza_diagnostics_dialog, EIMZA,
                      DIAGNOSTICS_DIALOG, GtkDialog)

EimzaDiagnosticsDialog *eimza_diagnostics_dialog_new        (GtkWindow              *parent,
                                                             EimzaCardService       *service);

/* The plain-text report "Copy Report" copies: no PIN (the application
 * never keeps one), no T.C. Kimlik No and no names. */
char                   *eimza_diagnostics_dialog_get_report (EimzaDiagnosticsDialog *self);

G_END_DECLS
