/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal's form fields and choices, checked with the app's own rules. */
#include "eimza-renewal-form.h"
#include "eimza-sim-form.h"

static const EimzaSimChoice reasons[] = {
  { "YENILEME", "Yenileme", "renewal" },
  { "KAYIP_CALINTI", "Kayıp-Çalıntı", "lost-stolen" },
  { "DIGER", "Diğer", "other" },
};

static const EimzaSimChoice card_readers[] = {
  { "ISTENMEDI", "İstenmedi", "not-requested" },
  { "MINI", "Mini Kart Okuyucu", "mini" },
};

static const EimzaSimChoice validities[] = {
  { "3", "3 Yıl", "3" },
};

static const EimzaSimChoice operators[] = {
  { "TURKCELL", "Turkcell", "turkcell" },
  { "VODAFONE", "Vodafone", "vodafone" },
  { "TURK_TELEKOM", "Türk Telekom", "turk-telekom" },
};

static const EimzaSimChoice channels[] = {
  { "EPOSTA", "E-posta", "email" },
  { "SMS", "SMS", "sms" },
  { "HER_IKISI", "Her İkisi", "email-and-sms" },
};

static const struct {
  const char *name;
  EimzaField field;
  const EimzaSimChoice *choices;
  guint n_choices;
} fields[] = {
  { "tcKimlikNo", EIMZA_FIELD_TCKN, NULL, 0 },
  { "ad", EIMZA_FIELD_GIVEN_NAME, NULL, 0 },
  { "soyad", EIMZA_FIELD_SURNAME, NULL, 0 },
  { "dogumYeri", EIMZA_FIELD_BIRTH_PLACE, NULL, 0 },
  { "dogumTarihi", EIMZA_FIELD_BIRTH_DATE, NULL, 0 },
  { "basvuruNedeni", EIMZA_FIELD_REASON, reasons, G_N_ELEMENTS (reasons) },
  { "kartOkuyucuTipi", EIMZA_FIELD_CARD_READER, card_readers, G_N_ELEMENTS (card_readers) },
  { "sertifikaSuresi", EIMZA_FIELD_VALIDITY, validities, G_N_ELEMENTS (validities) },
  { "guvenlikSozcugu", EIMZA_FIELD_SECURITY_WORD, NULL, 0 },
  { "calistigiBirim", EIMZA_FIELD_UNIT, NULL, 0 },
  { "unvan", EIMZA_FIELD_TITLE, NULL, 0 },
  { "adres", EIMZA_FIELD_ADDRESS, NULL, 0 },
  { "postaKodu", EIMZA_FIELD_POSTAL_CODE, NULL, 0 },
  { "il", EIMZA_FIELD_PROVINCE, NULL, 0 },
  { "ilce", EIMZA_FIELD_DISTRICT, NULL, 0 },
  { "eposta", EIMZA_FIELD_EMAIL, NULL, 0 },
  { "isTelefonu", EIMZA_FIELD_WORK_PHONE, NULL, 0 },
  { "dahili", EIMZA_FIELD_WORK_PHONE_EXTENSION, NULL, 0 },
  { "cepTelefonu", EIMZA_FIELD_MOBILE_PHONE, NULL, 0 },
  { "evTelefonu", EIMZA_FIELD_HOME_PHONE, NULL, 0 },
  { "mobilOperator", EIMZA_FIELD_MOBILE_OPERATOR, operators, G_N_ELEMENTS (operators) },
  { "bilgiKanali", EIMZA_FIELD_INFO_CHANNEL, channels, G_N_ELEMENTS (channels) },
};

const char * const eimza_sim_login_fields[] = {
  "tcKimlikNo", "ad", "soyad", "dogumYeri", "dogumTarihi", NULL,
};

const char * const eimza_sim_form_fields[] = {
  "basvuruNedeni", "kartOkuyucuTipi", "sertifikaSuresi", "guvenlikSozcugu",
  "calistigiBirim", "unvan", "adres", "postaKodu", "il", "ilce", "eposta",
  "isTelefonu", "dahili", "cepTelefonu", "evTelefonu", "mobilOperator",
  "bilgiKanali", NULL,
};

static guint
find_field (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_str_equal (fields[i].name, name))
        return i;
    }

  g_return_val_if_reached (0);
}

const EimzaSimChoice *
eimza_sim_form_get_choices (const char *name,
                            guint      *n_choices)
{
  guint i = find_field (name);

  *n_choices = fields[i].n_choices;
  return fields[i].choices;
}

/* The app's model value for what the portal posted. A value that is none
 * of the portal's options must still fail the app's check, so it becomes
 * something no nick can be. */
static char *
model_value (guint       index,
             const char *posted)
{
  if (posted == NULL)
    return g_strdup ("");
  if (fields[index].choices == NULL)
    return g_strdup (posted);

  for (guint c = 0; c < fields[index].n_choices; c++)
    {
      if (g_str_equal (fields[index].choices[c].value, posted))
        return g_strdup (fields[index].choices[c].nick);
    }

  return *posted == '\0' ? g_strdup ("") : g_strconcat ("?", posted, NULL);
}

static gboolean
check_fields (const char * const *names,
              GHashTable         *values,
              EimzaGeo           *geo,
              GHashTable         *field_errors)
{
  g_autoptr(EimzaRenewalForm) form = eimza_renewal_form_new (geo);
  gboolean ok = TRUE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      guint index = find_field (names[i]);
      g_autofree char *value = model_value (index, g_hash_table_lookup (values, names[i]));

      eimza_renewal_form_set_value (form, fields[index].field, value);
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (eimza_renewal_form_check_field (form, fields[find_field (names[i])].field, &error))
        continue;

      g_hash_table_replace (field_errors, g_strdup (names[i]), g_strdup (error->message));
      ok = FALSE;
    }

  return ok;
}

gboolean
eimza_sim_form_check_login (GHashTable *posted,
                            GHashTable *field_errors)
{
  return check_fields (eimza_sim_login_fields, posted, NULL, field_errors);
}

void
eimza_sim_form_take_posted (GHashTable *values,
                            GHashTable *posted)
{
  g_hash_table_remove_all (values);

  for (guint i = 0; eimza_sim_form_fields[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (posted, eimza_sim_form_fields[i]);

      if (value != NULL)
        g_hash_table_insert (values, g_strdup (eimza_sim_form_fields[i]), g_strdup (value));
    }
}

gboolean
eimza_sim_form_check (GHashTable *values,
                      EimzaGeo   *geo,
                      GHashTable *field_errors)
{
  return check_fields (eimza_sim_form_fields, values, geo, field_errors);
}
