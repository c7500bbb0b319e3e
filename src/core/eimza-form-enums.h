/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fixed choices of the application form, as the portal offers them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  EIMZA_RENEWAL_REASON_RENEWAL,     /* Yenileme: starts when the old one ends. */
  EIMZA_RENEWAL_REASON_LOST_STOLEN, /* Kayıp-Çalıntı: the old one is revoked. */
  EIMZA_RENEWAL_REASON_OTHER,       /* Diğer: in addition to the current one. */
} EimzaRenewalReason;

typedef enum {
  EIMZA_CARD_READER_NOT_REQUESTED,
  EIMZA_CARD_READER_MINI,
} EimzaCardReaderType;

typedef enum {
  EIMZA_MOBILE_OPERATOR_TURKCELL,
  EIMZA_MOBILE_OPERATOR_VODAFONE,
  EIMZA_MOBILE_OPERATOR_TURK_TELEKOM,
} EimzaMobileOperator;

typedef enum {
  EIMZA_INFO_CHANNEL_EMAIL,
  EIMZA_INFO_CHANNEL_SMS,
  EIMZA_INFO_CHANNEL_EMAIL_AND_SMS,
} EimzaInfoChannel;

G_END_DECLS
