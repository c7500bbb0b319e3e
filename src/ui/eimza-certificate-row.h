/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One certificate of the card in a list: who, from whom, until when, and what it is for. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-certificate.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_CERTIFICATE_ROW (eimza_certificate_row_get_type ())

G_DECLARE_FINAL_TYPE (EimzaCertificateRow, eimza_certificate_row, EIMZA, CERTIFICATE_ROW,
                      GtkListBoxRow)

/* Emits ::test-signature when the person asks to try the certificate. */
GtkWidget        *eimza_certificate_row_new             (EimzaCertificate    *certificate);
EimzaCertificate *eimza_certificate_row_get_certificate (EimzaCertificateRow *self);

G_END_DECLS
