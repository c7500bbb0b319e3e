/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A scripted person for the flow tests and bench/flow-stall: the PIN for a TLS login on the card and for a signature alike. */
#pragma once

#include "eimza-card-tls-interaction.h"

G_BEGIN_DECLS

#define FLOW_TEST_TYPE_PERSON (flow_test_person_get_type ())
G_DECLARE_FINAL_TYPE (FlowTestPerson, flow_test_person, FLOW_TEST, PERSON, EimzaCardTlsInteraction)

/* The tests set @pin and read @n_asks straight from the fields. */
struct _FlowTestPerson
{
  EimzaCardTlsInteraction parent_instance;

  const char *pin;                /* SOFTHSM_USER_PIN at first; NULL: gives up */
  guint n_asks;                   /* asks so far, TLS and signature together */
};

/* A person who logs in with the key of @certificate on @service (as its
 * TLS interaction) and gives the same PIN when asked to sign. */
FlowTestPerson *flow_test_person_new (EimzaCardService *service,
                                      EimzaCertificate *certificate);

G_END_DECLS
