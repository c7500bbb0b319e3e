/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal's form fields and choices, checked with the app's own rules. */
#pragma once

#include <glib.h>

#include "eimza-geo.h"

G_BEGIN_DECLS

typedef struct {
  const char *value; /* what the portal posts */
  const char *label; /* what the page shows */
  const char *nick;  /* the app's form model value (src/core) */
} EimzaSimChoice;

/* The editable fields of the application form, in page order. */
extern const char * const eimza_sim_form_fields[];
/* The identity fields of the login page (the captcha apart). */
extern const char * const eimza_sim_login_fields[];

/* The options of a radio group or fixed select (basvuruNedeni,
 * kartOkuyucuTipi, sertifikaSuresi, mobilOperator, bilgiKanali). */
const EimzaSimChoice *eimza_sim_form_get_choices (const char *name,
                                                  guint      *n_choices);

/* Checks the login fields of @posted; a message per refused field goes
 * into @field_errors (field name -> message). */
gboolean eimza_sim_form_check_login  (GHashTable *posted,
                                      GHashTable *field_errors);
/* Replaces @values with the editable fields of @posted; a radio group that
 * was not posted is left out, as a browser would. */
void     eimza_sim_form_take_posted  (GHashTable *values,
                                      GHashTable *posted);
/* Checks the application form as the app does. */
gboolean eimza_sim_form_check        (GHashTable *values,
                                      EimzaGeo   *geo,
                                      GHashTable *field_errors);

G_END_DECLS
