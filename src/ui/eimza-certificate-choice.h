/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card's certificates offered in a combo box, the one most likely wanted first. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-certificate.h"

G_BEGIN_DECLS

/* The words for @certificate in the combo box. (transfer full) */
typedef char *(*EimzaCertificateChoiceLabelFunc) (EimzaCertificate *certificate);

/* Sorts @certificates (of EimzaCertificate) so that valid ones come before
 * expired ones, signing ones before the rest and qualified ones before
 * the rest; otherwise their order is kept. */
void eimza_certificate_choice_sort (GPtrArray                       *certificates);

/* Replaces @combo's entries with @certificates, each in @label's words,
 * and returns the index to make active: the certificate whose URI is
 * @keep_uri (nullable), else the first, else -1 when there is none. The
 * active entry is not changed here, so that the caller can block its
 * ::changed handler for the filling alone. */
int  eimza_certificate_choice_fill (GtkComboBoxText                 *combo,
                                    GPtrArray                       *certificates,
                                    EimzaCertificateChoiceLabelFunc  label,
                                    const char                      *keep_uri);

G_END_DECLS
