/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a person has typed for one renewal application, field by field. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "eimza-renewal-form.h"
#include "eimza-core-enums.h"
#include "eimza-form-enums.h"
#include "eimza-validation.h"

/* Longest free-text values the portal's form accepts. */
#define SHORT_TEXT_MAX_CHARS 100
#define ADDRESS_MAX_CHARS 250
#define CAPTCHA_MAX_CHARS 12

struct _EimzaRenewalForm
{
  GObject parent_instance;

  EimzaGeo *geo; /* not owned: the default data lives as long as the program */
  char *values[EIMZA_N_FIELDS];
};

G_DEFINE_FINAL_TYPE (EimzaRenewalForm, eimza_renewal_form, G_TYPE_OBJECT)

enum {
  FIELD_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The values may hold a T.C. Kimlik No; wipe them before the memory is reused. */
static void
wipe_string (char **value)
{
  if (*value != NULL)
    {
      explicit_bzero (*value, strlen (*value));
      g_clear_pointer (value, g_free);
    }
}

static void
eimza_renewal_form_finalize (GObject *object)
{
  EimzaRenewalForm *self = EIMZA_RENEWAL_FORM (object);

  for (guint i = 0; i < EIMZA_N_FIELDS; i++)
    wipe_string (&self->values[i]);

  G_OBJECT_CLASS (eimza_renewal_form_parent_class)->finalize (object);
}

static void
eimza_renewal_form_class_init (EimzaRenewalFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = eimza_renewal_form_finalize;

  /**
   * EimzaRenewalForm::field-changed:
   * @self: the form
   * @field: the #EimzaField whose value changed
   *
   * Detailed by the field's nick, e.g. `field-changed::postal-code`.
   */
  signals[FIELD_CHANGED] =
    g_signal_new ("field-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, EIMZA_TYPE_FIELD);
}

static void
eimza_renewal_form_init (EimzaRenewalForm *self)
{
  /* The choices the user guide recommends for a renewal. */
  self->values[EIMZA_FIELD_REASON] = g_strdup ("renewal");
  self->values[EIMZA_FIELD_CARD_READER] = g_strdup ("not-requested");
  self->values[EIMZA_FIELD_VALIDITY] = g_strdup ("3");
  self->values[EIMZA_FIELD_INFO_CHANNEL] = g_strdup ("email-and-sms");
}

/**
 * eimza_renewal_form_new:
 * @geo: (nullable): the province and postal code data used to check
 *   addresses, or %NULL for the built-in data, loaded when first needed
 *
 * Returns: (transfer full): an empty form
 */
EimzaRenewalForm *
eimza_renewal_form_new (EimzaGeo *geo)
{
  EimzaRenewalForm *self = g_object_new (EIMZA_TYPE_RENEWAL_FORM, NULL);

  self->geo = geo;

  return self;
}

/* The built-in data is parsed on first use, so start-up does not pay for it. */
static EimzaGeo *
get_geo (EimzaRenewalForm *self)
{
  if (self->geo == NULL)
    self->geo = eimza_geo_get_default ();

  return self->geo;
}

const char *
eimza_renewal_form_get_value (EimzaRenewalForm *self,
                              EimzaField        field)
{
  g_return_val_if_fail (EIMZA_IS_RENEWAL_FORM (self), NULL);
  g_return_val_if_fail (field < EIMZA_N_FIELDS, NULL);

  return self->values[field] != NULL ? self->values[field] : "";
}

void
eimza_renewal_form_set_value (EimzaRenewalForm *self,
                              EimzaField        field,
                              const char       *value)
{
  g_autofree char *copy = NULL;

  g_return_if_fail (EIMZA_IS_RENEWAL_FORM (self));
  g_return_if_fail (field < EIMZA_N_FIELDS);

  if (g_strcmp0 (eimza_renewal_form_get_value (self, field), value != NULL ? value : "") == 0)
    return;

  /* Copy first: @value may point into the string being replaced. */
  copy = g_strdup (value);
  wipe_string (&self->values[field]);
  self->values[field] = g_steal_pointer (&copy);

  g_signal_emit (self, signals[FIELD_CHANGED],
                 g_quark_from_static_string (eimza_renewal_form_field_nick (field)),
                 field);
}

gboolean
eimza_renewal_form_is_required (EimzaField field)
{
  switch (field)
    {
    case EIMZA_FIELD_INSTITUTION_REGISTRY_NO:
    case EIMZA_FIELD_INSTITUTION_NAME:
    case EIMZA_FIELD_WORK_PHONE_EXTENSION:
    case EIMZA_FIELD_HOME_PHONE:
      return FALSE;

    default:
      return TRUE;
    }
}

EimzaStep
eimza_renewal_form_field_step (EimzaField field)
{
  g_return_val_if_fail (field < EIMZA_N_FIELDS, EIMZA_STEP_FORM);

  return field <= EIMZA_FIELD_BIRTH_DATE ? EIMZA_STEP_LOGIN : EIMZA_STEP_FORM;
}

const char *
eimza_renewal_form_field_nick (EimzaField field)
{
  static GEnumClass *field_class;
  GEnumValue *value;

  /* Held for the program's life, so the nicks stay valid. */
  if (g_once_init_enter (&field_class))
    g_once_init_leave (&field_class, g_type_class_ref (EIMZA_TYPE_FIELD));

  value = g_enum_get_value (field_class, field);
  g_return_val_if_fail (value != NULL, NULL);

  return value->value_nick;
}

/* A choice is valid when it is one of the nicks of @enum_type. */
static gboolean
check_choice (GType        enum_type,
              const char  *value,
              GError     **error)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (enum_type);

  if (g_enum_get_value_by_nick (enum_class, value) != NULL)
    return TRUE;

  g_set_error_literal (error, EIMZA_VALIDATION_ERROR,
                       *value == '\0' ? EIMZA_VALIDATION_ERROR_EMPTY
                                       : EIMZA_VALIDATION_ERROR_FORMAT,
                       _("Choose one of the options."));
  return FALSE;
}

static gboolean
check_province (EimzaRenewalForm  *self,
                guint             *out_province,
                GError           **error)
{
  const char *plate = eimza_renewal_form_get_value (self, EIMZA_FIELD_PROVINCE);

  if (eimza_geo_find_province (get_geo (self), plate, out_province))
    return TRUE;

  g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                       _("Choose the province of your institution."));
  return FALSE;
}

static gboolean
check_district (EimzaRenewalForm  *self,
                GError           **error)
{
  const char *district = eimza_renewal_form_get_value (self, EIMZA_FIELD_DISTRICT);
  guint province;

  if (check_province (self, &province, NULL) &&
      eimza_geo_find_district (get_geo (self), province, district, NULL))
    return TRUE;

  g_set_error_literal (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_EMPTY,
                       _("Choose the district of your institution."));
  return FALSE;
}

/* A work number may be a landline or, as for many teachers, a mobile. */
static gboolean
check_work_phone (const char  *value,
                  GError     **error)
{
  if (eimza_mobile_phone_parse (value, NULL, NULL))
    return TRUE;

  return eimza_landline_phone_parse (value, NULL, error);
}

gboolean
eimza_renewal_form_check_field (EimzaRenewalForm  *self,
                                EimzaField         field,
                                GError           **error)
{
  const char *value;

  g_return_val_if_fail (EIMZA_IS_RENEWAL_FORM (self), FALSE);
  g_return_val_if_fail (field < EIMZA_N_FIELDS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  value = eimza_renewal_form_get_value (self, field);

  if (!eimza_renewal_form_is_required (field))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (value));

      if (*trimmed == '\0')
        return TRUE;
    }

  switch (field)
    {
    case EIMZA_FIELD_CAPTCHA:
      return eimza_required_text_validate (value, CAPTCHA_MAX_CHARS, error);

    case EIMZA_FIELD_TCKN:
      return eimza_tckn_validate (value, error);

    case EIMZA_FIELD_GIVEN_NAME:
    case EIMZA_FIELD_SURNAME:
    case EIMZA_FIELD_BIRTH_PLACE:
      return eimza_person_name_validate (value, error);

    case EIMZA_FIELD_BIRTH_DATE:
      return eimza_birth_date_parse (value, NULL, NULL, error);

    case EIMZA_FIELD_INSTITUTION_REGISTRY_NO:
    case EIMZA_FIELD_INSTITUTION_NAME:
      return TRUE;

    case EIMZA_FIELD_REASON:
      return check_choice (EIMZA_TYPE_RENEWAL_REASON, value, error);

    case EIMZA_FIELD_CARD_READER:
      return check_choice (EIMZA_TYPE_CARD_READER_TYPE, value, error);

    case EIMZA_FIELD_MOBILE_OPERATOR:
      return check_choice (EIMZA_TYPE_MOBILE_OPERATOR, value, error);

    case EIMZA_FIELD_INFO_CHANNEL:
      return check_choice (EIMZA_TYPE_INFO_CHANNEL, value, error);

    case EIMZA_FIELD_VALIDITY:
      /* Kamu SM issues renewal certificates for three years only. */
      if (g_strcmp0 (value, "3") == 0)
        return TRUE;
      g_set_error_literal (error, EIMZA_VALIDATION_ERROR,
                           *value == '\0' ? EIMZA_VALIDATION_ERROR_EMPTY
                                           : EIMZA_VALIDATION_ERROR_FORMAT,
                           _("Choose one of the options."));
      return FALSE;

    case EIMZA_FIELD_SECURITY_WORD:
      return eimza_security_word_validate (value, error);

    case EIMZA_FIELD_UNIT:
    case EIMZA_FIELD_TITLE:
      return eimza_required_text_validate (value, SHORT_TEXT_MAX_CHARS, error);

    case EIMZA_FIELD_ADDRESS:
      return eimza_required_text_validate (value, ADDRESS_MAX_CHARS, error);

    case EIMZA_FIELD_PROVINCE:
      return check_province (self, NULL, error);

    case EIMZA_FIELD_DISTRICT:
      return check_district (self, error);

    case EIMZA_FIELD_POSTAL_CODE:
      return eimza_postal_code_validate (get_geo (self), value,
                                         eimza_renewal_form_get_value (self, EIMZA_FIELD_PROVINCE),
                                         eimza_renewal_form_get_value (self, EIMZA_FIELD_DISTRICT),
                                         error);

    case EIMZA_FIELD_EMAIL:
      return eimza_email_validate (value, error);

    case EIMZA_FIELD_WORK_PHONE:
      return check_work_phone (value, error);

    case EIMZA_FIELD_WORK_PHONE_EXTENSION:
      return eimza_phone_extension_validate (value, error);

    case EIMZA_FIELD_MOBILE_PHONE:
      return eimza_mobile_phone_parse (value, NULL, error);

    case EIMZA_FIELD_HOME_PHONE:
      return eimza_landline_phone_parse (value, NULL, error);

    case EIMZA_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

guint
eimza_renewal_form_count_problems (EimzaRenewalForm *self,
                                   EimzaStep         step)
{
  guint problems = 0;

  g_return_val_if_fail (EIMZA_IS_RENEWAL_FORM (self), 0);

  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      if (eimza_renewal_form_field_step (field) == step &&
          !eimza_renewal_form_check_field (self, field, NULL))
        problems++;
    }

  return problems;
}

gboolean
eimza_renewal_form_check_step (EimzaRenewalForm *self,
                               EimzaStep         step)
{
  return eimza_renewal_form_count_problems (self, step) == 0;
}
