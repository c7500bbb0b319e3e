/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificates on the card as people see them: each one once, and words for their facts. */
#pragma once

#include <gio/gio.h>

#include "eimza-card-service.h"
#include "eimza-certificate.h"

G_BEGIN_DECLS

/* The certificates on the present cards (all tokens but trust stores),
 * each certificate once: a card that two PKCS#11 modules can read (OpenSC
 * and Kamu SM's libakisp11.so, or a configured module that wraps another)
 * shows the same certificate twice, and the copy of the module that was
 * asked for (configured, then vendor, then registered with p11-kit) is
 * kept, so signing goes through that module. Signing certificates come
 * first, then the one valid longest.
 * Returns: (transfer container) (element-type EimzaCertificate). */
void        eimza_card_certificates_list_async  (EimzaCardService     *service,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray  *eimza_card_certificates_list_finish (EimzaCardService     *service,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* "RSA 2048", "ECDSA P-256". */
char       *eimza_card_certificates_describe_key (EimzaCertificate    *certificate);
/* A date as people in Turkey write it, in local time: "31.12.2027". */
char       *eimza_card_certificates_format_date  (GDateTime           *date);

G_END_DECLS
