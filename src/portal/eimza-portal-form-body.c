/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The form bodies the portal clients post, built without leaving copies of personal data behind. */
#include "config.h"

#include "eimza-portal-form-body.h"
#include "eimza-validation.h"

struct _EimzaPortalFormBody
{
  GPtrArray *texts; /* name, value, name, value…; wiped when freed */
};

EimzaPortalFormBody *
eimza_portal_form_body_new (void)
{
  EimzaPortalFormBody *self = g_new0 (EimzaPortalFormBody, 1);

  self->texts = g_ptr_array_new_with_free_func ((GDestroyNotify) eimza_wiped_string_free);
  return self;
}

void
eimza_portal_form_body_free (EimzaPortalFormBody *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->texts);
  g_free (self);
}

void
eimza_portal_form_body_add (EimzaPortalFormBody *self,
                            const char          *name,
                            const char          *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  g_ptr_array_add (self->texts, g_strdup (name));
  g_ptr_array_add (self->texts, g_strdup (value != NULL ? value : ""));
}

static gboolean
is_unreserved (unsigned char c)
{
  return g_ascii_isalnum (c) || c == '*' || c == '-' || c == '.' || c == '_';
}

/* The length of @text once encoded. */
static gsize
encoded_length (const char *text)
{
  gsize length = 0;

  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    length += is_unreserved (*p) || *p == ' ' ? 1 : 3;

  return length;
}

static void
append_encoded (EimzaWipedBuffer *buffer,
                const char       *text)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      if (is_unreserved (*p))
        eimza_wiped_buffer_append_c (buffer, *p);
      else if (*p == ' ')
        eimza_wiped_buffer_append_c (buffer, '+');
      else
        {
          char escape[3] = { '%', hex[*p >> 4], hex[*p & 0xf] };

          eimza_wiped_buffer_append (buffer, escape, sizeof escape);
        }
    }
}

EimzaWipedBuffer *
eimza_portal_form_body_end (EimzaPortalFormBody *self)
{
  g_autoptr(EimzaPortalFormBody) body = self;
  EimzaWipedBuffer *buffer;
  gsize length = 0;

  g_return_val_if_fail (self != NULL, NULL);

  /* "name=value" pairs joined by "&": measured first, written once. */
  for (guint i = 0; i < body->texts->len; i += 2)
    length += (i > 0 ? 1 : 0) + encoded_length (g_ptr_array_index (body->texts, i)) + 1 +
              encoded_length (g_ptr_array_index (body->texts, i + 1));

  buffer = eimza_wiped_buffer_new (length);
  for (guint i = 0; i < body->texts->len; i += 2)
    {
      if (i > 0)
        eimza_wiped_buffer_append_c (buffer, '&');
      append_encoded (buffer, g_ptr_array_index (body->texts, i));
      eimza_wiped_buffer_append_c (buffer, '=');
      append_encoded (buffer, g_ptr_array_index (body->texts, i + 1));
    }

  return buffer;
}

EimzaPortalFormBody *
eimza_portal_form_body_new_with_hidden (const char * const *names,
                                        const char * const *values)
{
  EimzaPortalFormBody *self = eimza_portal_form_body_new ();

  g_return_val_if_fail (names != NULL && values != NULL, self);

  for (guint i = 0; names[i] != NULL; i++)
    eimza_portal_form_body_add (self, names[i], values[i]);

  return self;
}

GBytes *
eimza_portal_form_body_end_submit (EimzaPortalFormBody *self,
                                   const char          *name,
                                   const char          *value)
{
  g_return_val_if_fail (self != NULL, NULL);

  eimza_portal_form_body_add (self, name, value);
  return eimza_wiped_buffer_free_to_bytes (eimza_portal_form_body_end (self));
}

char *
eimza_portal_form_field_value (EimzaPortalProfile *profile,
                               EimzaRenewalForm   *form,
                               EimzaField          field)
{
  char *value;
  char *mapped;
  GDate date;

  g_return_val_if_fail (EIMZA_IS_PORTAL_PROFILE (profile), NULL);
  g_return_val_if_fail (EIMZA_IS_RENEWAL_FORM (form), NULL);

  if (eimza_portal_profile_get_field_name (profile, field) == NULL)
    return NULL;

  value = g_strstrip (g_strdup (eimza_renewal_form_get_value (form, field)));

  switch (field)
    {
    case EIMZA_FIELD_REASON:
    case EIMZA_FIELD_CARD_READER:
    case EIMZA_FIELD_VALIDITY:
    case EIMZA_FIELD_PROVINCE:
    case EIMZA_FIELD_DISTRICT:
    case EIMZA_FIELD_MOBILE_OPERATOR:
    case EIMZA_FIELD_INFO_CHANNEL:
      /* A choice not in the profile's map goes as empty, and the portal
       * says which field it wants. */
      mapped = g_strdup (eimza_portal_profile_option_to_portal (profile, field, value));
      eimza_wiped_string_free (value);
      return mapped != NULL ? mapped : g_strdup ("");

    case EIMZA_FIELD_BIRTH_DATE:
      /* The app accepts d.m.yyyy; the portal's field says gg.aa.yyyy. */
      if (eimza_birth_date_parse (value, NULL, &date, NULL))
        {
          mapped = g_strdup_printf ("%02u.%02u.%04u",
                                    g_date_get_day (&date),
                                    g_date_get_month (&date),
                                    g_date_get_year (&date));
          eimza_wiped_string_free (value);
          return mapped;
        }
      return value;

    default:
      return value;
    }
}

void
eimza_portal_form_body_add_field (EimzaPortalFormBody *self,
                                  EimzaPortalProfile  *profile,
                                  EimzaRenewalForm    *form,
                                  EimzaField           field)
{
  const char *name = eimza_portal_profile_get_field_name (profile, field);
  char *value;

  g_return_if_fail (self != NULL);

  if (name == NULL)
    return;

  value = eimza_portal_form_field_value (profile, form, field);
  eimza_portal_form_body_add (self, name, value);
  eimza_wiped_string_free (value);
}
