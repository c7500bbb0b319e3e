/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a person has typed for one renewal application, field by field. */
#pragma once

#include <glib-object.h>

#include "eimza-geo.h"

G_BEGIN_DECLS

/**
 * EimzaField:
 *
 * Every value of the login page and the application form. The nicks
 * ("tckn", "postal-code", …) are the stable names that later map to the
 * portal's own form field names in the portal profile.
 */
typedef enum {
  /* Login page. */
  EIMZA_FIELD_CAPTCHA,
  EIMZA_FIELD_TCKN,
  EIMZA_FIELD_GIVEN_NAME,
  EIMZA_FIELD_SURNAME,
  EIMZA_FIELD_BIRTH_PLACE,
  EIMZA_FIELD_BIRTH_DATE,
  /* Filled in by the portal, read-only for the person. */
  EIMZA_FIELD_INSTITUTION_REGISTRY_NO,
  EIMZA_FIELD_INSTITUTION_NAME,
  /* Application form. */
  EIMZA_FIELD_REASON,
  EIMZA_FIELD_CARD_READER,
  EIMZA_FIELD_VALIDITY,
  EIMZA_FIELD_SECURITY_WORD,
  EIMZA_FIELD_UNIT,
  EIMZA_FIELD_TITLE,
  EIMZA_FIELD_ADDRESS,
  EIMZA_FIELD_PROVINCE,
  EIMZA_FIELD_DISTRICT,
  EIMZA_FIELD_POSTAL_CODE,
  EIMZA_FIELD_EMAIL,
  EIMZA_FIELD_WORK_PHONE,
  EIMZA_FIELD_WORK_PHONE_EXTENSION,
  EIMZA_FIELD_MOBILE_PHONE,
  EIMZA_FIELD_HOME_PHONE,
  EIMZA_FIELD_MOBILE_OPERATOR,
  EIMZA_FIELD_INFO_CHANNEL,
  EIMZA_N_FIELDS /*< skip >*/
} EimzaField;

typedef enum {
  EIMZA_STEP_LOGIN,
  EIMZA_STEP_FORM,
} EimzaStep;

#define EIMZA_TYPE_RENEWAL_FORM (eimza_renewal_form_get_type ())

G_DECLARE_FINAL_TYPE (EimzaRenewalForm, eimza_renewal_form, EIMZA, RENEWAL_FORM, GObject)

/* @geo: (nullable): must outlive the form; NULL for the built-in data. */
EimzaRenewalForm *eimza_renewal_form_new          (EimzaGeo         *geo);

const char       *eimza_renewal_form_get_value    (EimzaRenewalForm *self,
                                                  EimzaField        field);
/* Emits ::field-changed (detailed by the field's nick) when the value changes. */
void              eimza_renewal_form_set_value    (EimzaRenewalForm *self,
                                                  EimzaField        field,
                                                  const char       *value);

gboolean          eimza_renewal_form_is_required  (EimzaField        field);
EimzaStep         eimza_renewal_form_field_step   (EimzaField        field);
const char       *eimza_renewal_form_field_nick   (EimzaField        field);

/* Whether the field's value is acceptable; optional fields may be empty. */
gboolean          eimza_renewal_form_check_field  (EimzaRenewalForm *self,
                                                  EimzaField        field,
                                                  GError          **error);
/* How many fields of @step are not acceptable yet. */
guint             eimza_renewal_form_count_problems (EimzaRenewalForm *self,
                                                     EimzaStep         step);
/* Whether every field of @step is acceptable. */
gboolean          eimza_renewal_form_check_step   (EimzaRenewalForm *self,
                                                  EimzaStep         step);

G_END_DECLS
