/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fictitious people the simulator knows: its MERNİS and MEBBİS records. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EIMZA_SIM_REGISTRY_ERROR (eimza_sim_registry_error_quark ())

/**
 * EimzaSimRegistryError:
 * @EIMZA_SIM_REGISTRY_ERROR_PARSE: the fixture file is not as documented in
 *   its header, or a record fails the app's own validators.
 */
typedef enum {
  EIMZA_SIM_REGISTRY_ERROR_PARSE,
} EimzaSimRegistryError;

typedef struct {
  char *tckn;
  char *given_name;
  char *surname;
  char *birth_place;
  char *birth_date;              /* dd.mm.yyyy */
  char *mobile_phone;            /* the number on record, ten digits */
  char *institution_registry_no; /* kurumSicilNo */
  char *institution_name;        /* kurumAdi */
  /* Whether the person's e-onay is active now: the fixture's eonayAktif at
   * start, then what the NES site does (eimza_sim_registry_set_eonay()). */
  gboolean eonay_active;
  /* The previous application: portal form field name -> value, or NULL. */
  GHashTable *previous;
  /* The unblock code (PUK) of the person's current card, eight digits,
   * from the optional column kartKilitKodu; NULL when the fixture has none
   * (docs/unblock-protocol.md: our model). */
  char *card_puk;
  /* The security word of an --unblock-code-file line, for a person whose
   * fixture has no previous application (the demo person); it wins over
   * the previous application's. NULL: none given. */
  char *security_word;
} EimzaSimPerson;

typedef struct _EimzaSimRegistry EimzaSimRegistry;

GQuark                eimza_sim_registry_error_quark (void);

/* The fixtures compiled into the simulator. */
EimzaSimRegistry     *eimza_sim_registry_new_default (GError           **error);
EimzaSimRegistry     *eimza_sim_registry_new_from_file (const char      *path,
                                                        GError         **error);
EimzaSimRegistry     *eimza_sim_registry_new_from_bytes (GBytes         *bytes,
                                                         GError        **error);
void                  eimza_sim_registry_free        (EimzaSimRegistry  *registry);

const EimzaSimPerson *eimza_sim_registry_lookup      (EimzaSimRegistry  *registry,
                                                      const char        *tckn);
guint                 eimza_sim_registry_get_n_people (EimzaSimRegistry *registry);
const EimzaSimPerson *eimza_sim_registry_get_person  (EimzaSimRegistry  *registry,
                                                      guint              index);

/* Gives or cancels the e-onay of the person with @tckn, for both sites of
 * the run; FALSE when there is no such person. */
gboolean              eimza_sim_registry_set_eonay   (EimzaSimRegistry  *registry,
                                                      const char        *tckn,
                                                      gboolean           active);

/* Reads @path once: lines "TCKN PUK [SECURITY-WORD]" that give fixture
 * people the unblock code of their card (over kartKilitKodu) and, when
 * present, their security word. For the demo, whose card's code is made
 * at random: the codes never go on a command line. The file must be the
 * caller's and readable by nobody else (0600); its text is wiped from
 * memory after parsing. */
gboolean              eimza_sim_registry_load_unblock_codes (EimzaSimRegistry *registry,
                                                             const char       *path,
                                                             GError          **error);

/* Whether what a person typed is what MERNİS holds: names compared after
 * Turkish upper-casing (“ayşe” = “AYŞE”, “i” = “İ”, “ı” = “I”) and with
 * white space collapsed, birth dates as dates (“1.2.1980” = “01.02.1980”). */
gboolean              eimza_sim_person_matches       (const EimzaSimPerson *person,
                                                      const char        *given_name,
                                                      const char        *surname,
                                                      const char        *birth_place,
                                                      const char        *birth_date);

/* The security word (Güvenlik Sözcüğü) the person chose in the previous
 * application form, for the NES site's Şifreli Giriş; NULL without one. */
const char           *eimza_sim_person_security_word (const EimzaSimPerson *person);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EimzaSimRegistry, eimza_sim_registry_free)

G_END_DECLS
