/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for EimzaRenewalForm, the model behind the login and form pages. */
#include "config.h"

#include <string.h>

#include <glib-object.h>

#include "eimza-core-enums.h"
#include "eimza-geo.h"
#include "eimza-renewal-form.h"
#include "eimza-validation.h"

/* A code that means "accepted" in the tables below. */
#define VALID (-1)

/* Real values taken from data/tr-geo.tsv. */
#define ANKARA "06"
#define ISTANBUL "34"
#define CANKAYA_CODE "06420"   /* Çankaya, Ankara */
#define KECIOREN_CODE "06010"  /* Keçiören, Ankara */
#define KADIKOY_CODE "34710"   /* Kadıköy, İstanbul */

/* A small data file, so a test can tell it apart from the built-in one:
 * "Deneme" and the codes 06998 and 06999 do not exist in Turkey, and most
 * provinces are missing. */
static const char mini_geo_data[] =
  "# A made-up table for the tests.\n"
  "P\t06\tAnkara\n"
  "\tDeneme\t06998,06999\n"
  "P\t34\tİstanbul\n"
  "\tKadıköy\t34710\n";

typedef struct {
  EimzaRenewalForm *form;
  EimzaGeo *geo; /* owned; NULL for the built-in data; outlives the form */

  /* What the ::field-changed handlers saw. */
  guint n_changed;
  EimzaField last_field;
  GQuark last_detail;
  guint n_postal_code_changed;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->form = eimza_renewal_form_new (NULL);
  g_assert_true (EIMZA_IS_RENEWAL_FORM (fixture->form));
  fixture->last_field = EIMZA_N_FIELDS;
}

static void
fixture_set_up_mini_geo (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (mini_geo_data, sizeof mini_geo_data - 1);
  g_autoptr(GError) error = NULL;

  fixture->geo = eimza_geo_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->geo);

  fixture->form = eimza_renewal_form_new (fixture->geo);
  fixture->last_field = EIMZA_N_FIELDS;
}

/* The form must not be kept alive by anything, signal handlers included;
 * the geo data is freed only after it, as the API requires. */
static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_object_add_weak_pointer (G_OBJECT (fixture->form), (gpointer *) &fixture->form);
  g_object_unref (fixture->form);
  g_assert_null (fixture->form);

  g_clear_pointer (&fixture->geo, eimza_geo_free);
}

static void
field_changed_cb (EimzaRenewalForm *form,
                  EimzaField        field,
                  Fixture          *fixture)
{
  GSignalInvocationHint *hint = g_signal_get_invocation_hint (form);

  g_assert_true (form == fixture->form);
  g_assert_nonnull (hint);

  fixture->n_changed++;
  fixture->last_field = field;
  fixture->last_detail = hint->detail;
}

static void
postal_code_changed_cb (EimzaRenewalForm *form,
                        EimzaField        field,
                        Fixture          *fixture)
{
  g_assert_cmpint (field, ==, EIMZA_FIELD_POSTAL_CODE);
  fixture->n_postal_code_changed++;
}

static void
set_value (Fixture    *fixture,
           EimzaField  field,
           const char *value)
{
  eimza_renewal_form_set_value (fixture->form, field, value);
}

/* Checks one field, naming it and its value in the log when the outcome is
 * not the expected one; g_assert_error alone only shows the error. */
static void
assert_check (EimzaRenewalForm *form,
              EimzaField        field,
              int               expected)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = eimza_renewal_form_check_field (form, field, &error);
  gboolean matches = expected == VALID
                     ? (ok && error == NULL)
                     : (!ok && g_error_matches (error, EIMZA_VALIDATION_ERROR, expected));

  if (!matches)
    g_test_message ("field %s, value \"%s\"",
                    eimza_renewal_form_field_nick (field),
                    eimza_renewal_form_get_value (form, field));

  if (expected == VALID)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }

  g_assert_false (ok);
  g_assert_error (error, EIMZA_VALIDATION_ERROR, expected);
  /* The message is shown next to the field. */
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

/* Fills the login step with values that are all acceptable. */
static void
fill_login_step (Fixture *fixture)
{
  set_value (fixture, EIMZA_FIELD_CAPTCHA, "x7Kp2");
  set_value (fixture, EIMZA_FIELD_TCKN, "10000000146");
  set_value (fixture, EIMZA_FIELD_GIVEN_NAME, "Ayşe");
  set_value (fixture, EIMZA_FIELD_SURNAME, "Yılmaz");
  set_value (fixture, EIMZA_FIELD_BIRTH_PLACE, "Kahramanmaraş");
  set_value (fixture, EIMZA_FIELD_BIRTH_DATE, "01.02.1980");
}

/* Fills every required field of the form step with acceptable values,
 * leaving the defaults of the choices as they are. */
static void
fill_form_step (Fixture *fixture)
{
  set_value (fixture, EIMZA_FIELD_SECURITY_WORD, "Kedi2024");
  set_value (fixture, EIMZA_FIELD_UNIT, "Bilgi İşlem Dairesi Başkanlığı");
  set_value (fixture, EIMZA_FIELD_TITLE, "Öğretmen");
  set_value (fixture, EIMZA_FIELD_ADDRESS, "Atatürk Bulvarı No: 1 Kızılay");
  set_value (fixture, EIMZA_FIELD_PROVINCE, ANKARA);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Çankaya");
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, CANKAYA_CODE);
  set_value (fixture, EIMZA_FIELD_EMAIL, "ayse.yilmaz@meb.gov.tr");
  set_value (fixture, EIMZA_FIELD_WORK_PHONE, "0312 123 45 67");
  set_value (fixture, EIMZA_FIELD_MOBILE_PHONE, "0532 123 45 67");
  set_value (fixture, EIMZA_FIELD_MOBILE_OPERATOR, "turkcell");
}

static void
test_defaults (Fixture       *fixture,
               gconstpointer  user_data)
{
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      const char *value = eimza_renewal_form_get_value (fixture->form, field);
      const char *expected;

      switch (field)
        {
        case EIMZA_FIELD_REASON:
          expected = "renewal";
          break;
        case EIMZA_FIELD_CARD_READER:
          expected = "not-requested";
          break;
        case EIMZA_FIELD_VALIDITY:
          expected = "3";
          break;
        case EIMZA_FIELD_INFO_CHANNEL:
          expected = "email-and-sms";
          break;
        default:
          expected = "";
          break;
        }

      /* Never NULL, so callers can hand the value to a GtkEntry. */
      g_assert_nonnull (value);
      g_assert_cmpstr (value, ==, expected);
    }
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  user_data)
{
  /* Each field keeps its own value, byte for byte. */
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      g_autofree char *value = g_strdup_printf ("değer %u ", field);

      set_value (fixture, field, value);
    }
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      g_autofree char *value = g_strdup_printf ("değer %u ", field);

      g_assert_cmpstr (eimza_renewal_form_get_value (fixture->form, field), ==, value);
    }

  set_value (fixture, EIMZA_FIELD_TCKN, "10000000146");
  g_assert_cmpstr (eimza_renewal_form_get_value (fixture->form, EIMZA_FIELD_TCKN),
                   ==, "10000000146");
}

static void
test_set_null (Fixture       *fixture,
               gconstpointer  user_data)
{
  set_value (fixture, EIMZA_FIELD_SURNAME, "Yılmaz");
  set_value (fixture, EIMZA_FIELD_SURNAME, NULL);
  g_assert_cmpstr (eimza_renewal_form_get_value (fixture->form, EIMZA_FIELD_SURNAME), ==, "");

  /* A default choice can be cleared too. */
  set_value (fixture, EIMZA_FIELD_REASON, NULL);
  g_assert_cmpstr (eimza_renewal_form_get_value (fixture->form, EIMZA_FIELD_REASON), ==, "");

  set_value (fixture, EIMZA_FIELD_TITLE, "Müdür");
  set_value (fixture, EIMZA_FIELD_TITLE, "");
  g_assert_cmpstr (eimza_renewal_form_get_value (fixture->form, EIMZA_FIELD_TITLE), ==, "");
}

static void
test_field_changed (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_signal_connect (fixture->form, "field-changed", G_CALLBACK (field_changed_cb), fixture);

  set_value (fixture, EIMZA_FIELD_TCKN, "10000000146");
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  g_assert_cmpint (fixture->last_field, ==, EIMZA_FIELD_TCKN);
  g_assert_cmpuint (fixture->last_detail, ==, g_quark_try_string ("tckn"));

  set_value (fixture, EIMZA_FIELD_WORK_PHONE_EXTENSION, "12");
  g_assert_cmpuint (fixture->n_changed, ==, 2);
  g_assert_cmpint (fixture->last_field, ==, EIMZA_FIELD_WORK_PHONE_EXTENSION);
  g_assert_cmpuint (fixture->last_detail, ==, g_quark_try_string ("work-phone-extension"));

  /* A different value with the same text as before in another field. */
  set_value (fixture, EIMZA_FIELD_TCKN, "10000000147");
  g_assert_cmpuint (fixture->n_changed, ==, 3);
  g_assert_cmpint (fixture->last_field, ==, EIMZA_FIELD_TCKN);

  /* Clearing a value is a change; NULL and "" are the same value. */
  set_value (fixture, EIMZA_FIELD_TCKN, NULL);
  g_assert_cmpuint (fixture->n_changed, ==, 4);
  g_assert_cmpint (fixture->last_field, ==, EIMZA_FIELD_TCKN);

  set_value (fixture, EIMZA_FIELD_REASON, "other");
  g_assert_cmpuint (fixture->n_changed, ==, 5);
  g_assert_cmpint (fixture->last_field, ==, EIMZA_FIELD_REASON);
  g_assert_cmpuint (fixture->last_detail, ==, g_quark_try_string ("reason"));
}

static void
test_field_changed_same_value (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_signal_connect (fixture->form, "field-changed", G_CALLBACK (field_changed_cb), fixture);

  /* Setting a default again, or clearing an empty field, changes nothing. */
  set_value (fixture, EIMZA_FIELD_REASON, "renewal");
  set_value (fixture, EIMZA_FIELD_VALIDITY, "3");
  set_value (fixture, EIMZA_FIELD_EMAIL, NULL);
  set_value (fixture, EIMZA_FIELD_EMAIL, "");
  g_assert_cmpuint (fixture->n_changed, ==, 0);

  set_value (fixture, EIMZA_FIELD_EMAIL, "ayse@example.com");
  g_assert_cmpuint (fixture->n_changed, ==, 1);

  /* The same text from another buffer is the same value. */
  {
    g_autofree char *copy = g_strdup ("ayse@example.com");

    set_value (fixture, EIMZA_FIELD_EMAIL, copy);
  }
  g_assert_cmpuint (fixture->n_changed, ==, 1);

  set_value (fixture, EIMZA_FIELD_EMAIL, NULL);
  set_value (fixture, EIMZA_FIELD_EMAIL, "");
  set_value (fixture, EIMZA_FIELD_EMAIL, NULL);
  g_assert_cmpuint (fixture->n_changed, ==, 2);
}

static void
test_field_changed_detail (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_signal_connect (fixture->form, "field-changed::postal-code",
                    G_CALLBACK (postal_code_changed_cb), fixture);

  set_value (fixture, EIMZA_FIELD_PROVINCE, ANKARA);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Çankaya");
  set_value (fixture, EIMZA_FIELD_TCKN, "10000000146");
  g_assert_cmpuint (fixture->n_postal_code_changed, ==, 0);

  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, CANKAYA_CODE);
  g_assert_cmpuint (fixture->n_postal_code_changed, ==, 1);

  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, CANKAYA_CODE);
  g_assert_cmpuint (fixture->n_postal_code_changed, ==, 1);

  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, "06450");
  g_assert_cmpuint (fixture->n_postal_code_changed, ==, 2);

  /* Other fields whose nicks start the same way do not fire it. */
  set_value (fixture, EIMZA_FIELD_PROVINCE, ISTANBUL);
  set_value (fixture, EIMZA_FIELD_WORK_PHONE, "0312 123 45 67");
  set_value (fixture, EIMZA_FIELD_WORK_PHONE_EXTENSION, "12");
  g_assert_cmpuint (fixture->n_postal_code_changed, ==, 2);
}

static void
test_nicks (void)
{
  static const struct {
    EimzaField field;
    const char *nick;
  } known[] = {
    { EIMZA_FIELD_CAPTCHA, "captcha" },
    { EIMZA_FIELD_TCKN, "tckn" },
    { EIMZA_FIELD_GIVEN_NAME, "given-name" },
    { EIMZA_FIELD_BIRTH_DATE, "birth-date" },
    { EIMZA_FIELD_INSTITUTION_REGISTRY_NO, "institution-registry-no" },
    { EIMZA_FIELD_SECURITY_WORD, "security-word" },
    { EIMZA_FIELD_POSTAL_CODE, "postal-code" },
    { EIMZA_FIELD_WORK_PHONE, "work-phone" },
    { EIMZA_FIELD_WORK_PHONE_EXTENSION, "work-phone-extension" },
    { EIMZA_FIELD_MOBILE_OPERATOR, "mobile-operator" },
    { EIMZA_FIELD_INFO_CHANNEL, "info-channel" },
  };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    g_assert_cmpstr (eimza_renewal_form_field_nick (known[i].field), ==, known[i].nick);

  /* Every field has its own nick, usable as a signal detail. */
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      const char *nick = eimza_renewal_form_field_nick (field);

      g_assert_nonnull (nick);
      g_assert_cmpstr (nick, !=, "");
      g_assert_false (g_hash_table_contains (seen, nick));
      g_hash_table_add (seen, (gpointer) nick);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, EIMZA_N_FIELDS);
}

/* Like g_test_trap_assert_passed(), but marks the test failed instead of
 * aborting, so that with --keep-going the tests after it still run. */
static void
assert_subprocess_passed (void)
{
  if (!g_test_trap_has_passed ())
    {
      g_test_message ("the subprocess failed; its stderr is shown above");
      g_test_fail ();
    }
}

/* The nicks must be available before anything else has touched the
 * EimzaField enum class, e.g. when a page asks for one at start-up. */
static void
test_nicks_fresh_process (void)
{
  if (g_test_subprocess ())
    {
      g_assert_cmpstr (eimza_renewal_form_field_nick (EIMZA_FIELD_TCKN), ==, "tckn");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  assert_subprocess_passed ();
}

/* The first set_value() of a program emits the detailed signal too. */
static void
test_field_changed_fresh_process (void)
{
  if (g_test_subprocess ())
    {
      Fixture fixture = { NULL, };

      fixture_set_up (&fixture, NULL);
      g_signal_connect (fixture.form, "field-changed::postal-code",
                        G_CALLBACK (postal_code_changed_cb), &fixture);
      set_value (&fixture, EIMZA_FIELD_POSTAL_CODE, CANKAYA_CODE);
      g_assert_cmpuint (fixture.n_postal_code_changed, ==, 1);
      fixture_tear_down (&fixture, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  assert_subprocess_passed ();
}

/* A caller may pass a pointer into the value it replaces, as when it drops
 * the first character of what get_value() returned; the model must copy the
 * new value before wiping the old one. Run apart, as AddressSanitizer
 * aborts the whole program on a use after free. */
static void
test_set_value_from_own_value (void)
{
  if (g_test_subprocess ())
    {
      Fixture fixture = { NULL, };

      /* As in main(), so that only this bug can fail here. */
      g_type_class_ref (EIMZA_TYPE_FIELD);
      fixture_set_up (&fixture, NULL);
      set_value (&fixture, EIMZA_FIELD_POSTAL_CODE, " 06420");
      set_value (&fixture, EIMZA_FIELD_POSTAL_CODE,
                 eimza_renewal_form_get_value (fixture.form, EIMZA_FIELD_POSTAL_CODE) + 1);
      g_assert_cmpstr (eimza_renewal_form_get_value (fixture.form, EIMZA_FIELD_POSTAL_CODE),
                       ==, CANKAYA_CODE);
      fixture_tear_down (&fixture, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  assert_subprocess_passed ();
}

static void
test_is_required (void)
{
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      gboolean optional = field == EIMZA_FIELD_INSTITUTION_REGISTRY_NO
                          || field == EIMZA_FIELD_INSTITUTION_NAME
                          || field == EIMZA_FIELD_WORK_PHONE_EXTENSION
                          || field == EIMZA_FIELD_HOME_PHONE;

      if (eimza_renewal_form_is_required (field) == optional)
        g_test_message ("field %s", eimza_renewal_form_field_nick (field));
      g_assert_cmpint (eimza_renewal_form_is_required (field), ==, !optional);
    }
}

static void
test_field_step (void)
{
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      EimzaStep expected = field <= EIMZA_FIELD_BIRTH_DATE ? EIMZA_STEP_LOGIN : EIMZA_STEP_FORM;

      g_assert_cmpint (eimza_renewal_form_field_step (field), ==, expected);
    }

  g_assert_cmpint (eimza_renewal_form_field_step (EIMZA_FIELD_CAPTCHA), ==, EIMZA_STEP_LOGIN);
  g_assert_cmpint (eimza_renewal_form_field_step (EIMZA_FIELD_TCKN), ==, EIMZA_STEP_LOGIN);
  g_assert_cmpint (eimza_renewal_form_field_step (EIMZA_FIELD_BIRTH_DATE), ==, EIMZA_STEP_LOGIN);
  g_assert_cmpint (eimza_renewal_form_field_step (EIMZA_FIELD_REASON), ==, EIMZA_STEP_FORM);
  g_assert_cmpint (eimza_renewal_form_field_step (EIMZA_FIELD_POSTAL_CODE), ==, EIMZA_STEP_FORM);
  g_assert_cmpint (eimza_renewal_form_field_step (EIMZA_FIELD_INFO_CHANNEL), ==, EIMZA_STEP_FORM);
}

/* One acceptable and one refused value for each field that does not depend
 * on another; province, district and postal code have their own tests. */
static void
test_check_field (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const struct {
    EimzaField field;
    const char *valid;
    const char *invalid;
    int code;
  } vectors[] = {
    { EIMZA_FIELD_CAPTCHA, "x7Kp2", "", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_CAPTCHA, "x7Kp2", "abcdefghijklm", EIMZA_VALIDATION_ERROR_LENGTH },
    { EIMZA_FIELD_TCKN, "10000000146", "10000000147", EIMZA_VALIDATION_ERROR_CHECKSUM },
    { EIMZA_FIELD_TCKN, " 10000000146 ", "01000000146", EIMZA_VALIDATION_ERROR_LEADING_ZERO },
    { EIMZA_FIELD_GIVEN_NAME, "Ayşe Gül", "Ayşe1", EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { EIMZA_FIELD_SURNAME, "Yılmaz-Öztürk", "", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_BIRTH_PLACE, "Kahramanmaraş", "İstanbul/34",
      EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { EIMZA_FIELD_BIRTH_DATE, "01.02.1980", "31.02.1980", EIMZA_VALIDATION_ERROR_NOT_A_DATE },
    { EIMZA_FIELD_BIRTH_DATE, "1.2.1980", "01.01.2999", EIMZA_VALIDATION_ERROR_IN_FUTURE },
    { EIMZA_FIELD_REASON, "lost-stolen", "Yenileme", EIMZA_VALIDATION_ERROR_FORMAT },
    { EIMZA_FIELD_REASON, "other", "", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_CARD_READER, "mini", "usb", EIMZA_VALIDATION_ERROR_FORMAT },
    { EIMZA_FIELD_VALIDITY, "3", "2", EIMZA_VALIDATION_ERROR_FORMAT },
    { EIMZA_FIELD_VALIDITY, "3", "", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_SECURITY_WORD, "Kedi2024", "ab", EIMZA_VALIDATION_ERROR_LENGTH },
    { EIMZA_FIELD_SECURITY_WORD, "Çınar7", "iki kelime",
      EIMZA_VALIDATION_ERROR_INVALID_CHARACTERS },
    { EIMZA_FIELD_UNIT, "Bilgi İşlem Dairesi", "   ", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_TITLE, "Öğretmen", "", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_ADDRESS, "Atatürk Bulvarı No: 1", "", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_EMAIL, "ayse.yilmaz@meb.gov.tr", "ayse.meb.gov.tr",
      EIMZA_VALIDATION_ERROR_FORMAT },
    { EIMZA_FIELD_EMAIL, "ayse@example.com", "", EIMZA_VALIDATION_ERROR_EMPTY },
    /* A work number may be a landline or a mobile. */
    { EIMZA_FIELD_WORK_PHONE, "(312) 123 45 67", "12345", EIMZA_VALIDATION_ERROR_LENGTH },
    { EIMZA_FIELD_WORK_PHONE, "0532 123 45 67", "", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_WORK_PHONE_EXTENSION, "12", "1234567", EIMZA_VALIDATION_ERROR_LENGTH },
    { EIMZA_FIELD_WORK_PHONE_EXTENSION, "123456", "12a", EIMZA_VALIDATION_ERROR_NOT_DIGITS },
    { EIMZA_FIELD_MOBILE_PHONE, "0532 123 45 67", "0312 123 45 67",
      EIMZA_VALIDATION_ERROR_NOT_MOBILE },
    { EIMZA_FIELD_MOBILE_PHONE, "+90 532 123 45 67", "", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_HOME_PHONE, "0312 123 45 67", "abc", EIMZA_VALIDATION_ERROR_FORMAT },
    { EIMZA_FIELD_MOBILE_OPERATOR, "turk-telekom", "Türk Telekom",
      EIMZA_VALIDATION_ERROR_FORMAT },
    { EIMZA_FIELD_MOBILE_OPERATOR, "vodafone", "", EIMZA_VALIDATION_ERROR_EMPTY },
    { EIMZA_FIELD_INFO_CHANNEL, "sms", "fax", EIMZA_VALIDATION_ERROR_FORMAT },
    { EIMZA_FIELD_INFO_CHANNEL, "email", "EMAIL", EIMZA_VALIDATION_ERROR_FORMAT },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      set_value (fixture, vectors[i].field, vectors[i].valid);
      assert_check (fixture->form, vectors[i].field, VALID);

      set_value (fixture, vectors[i].field, vectors[i].invalid);
      assert_check (fixture->form, vectors[i].field, vectors[i].code);
    }

  /* Each field is checked with its own value, not another one's. */
  set_value (fixture, EIMZA_FIELD_SURNAME, "Yılmaz");
  set_value (fixture, EIMZA_FIELD_GIVEN_NAME, "");
  assert_check (fixture->form, EIMZA_FIELD_SURNAME, VALID);
  assert_check (fixture->form, EIMZA_FIELD_GIVEN_NAME, EIMZA_VALIDATION_ERROR_EMPTY);

  /* A NULL GError is allowed. */
  g_assert_false (eimza_renewal_form_check_field (fixture->form, EIMZA_FIELD_GIVEN_NAME, NULL));
  g_assert_true (eimza_renewal_form_check_field (fixture->form, EIMZA_FIELD_SURNAME, NULL));
}

static void
test_check_length (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *address = g_strnfill (250, 'a');
  g_autofree char *too_long_address = g_strnfill (251, 'a');
  g_autofree char *title = g_strnfill (100, 'a');
  g_autofree char *too_long_title = g_strnfill (101, 'a');

  set_value (fixture, EIMZA_FIELD_ADDRESS, address);
  assert_check (fixture->form, EIMZA_FIELD_ADDRESS, VALID);
  set_value (fixture, EIMZA_FIELD_ADDRESS, too_long_address);
  assert_check (fixture->form, EIMZA_FIELD_ADDRESS, EIMZA_VALIDATION_ERROR_LENGTH);

  set_value (fixture, EIMZA_FIELD_TITLE, title);
  assert_check (fixture->form, EIMZA_FIELD_TITLE, VALID);
  set_value (fixture, EIMZA_FIELD_TITLE, too_long_title);
  assert_check (fixture->form, EIMZA_FIELD_TITLE, EIMZA_VALIDATION_ERROR_LENGTH);
}

static void
test_check_optional (Fixture       *fixture,
                     gconstpointer  user_data)
{
  /* Empty, or only white space, is fine for the optional fields. */
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      if (eimza_renewal_form_is_required (field))
        continue;

      set_value (fixture, field, "");
      assert_check (fixture->form, field, VALID);
      set_value (fixture, field, " \t ");
      assert_check (fixture->form, field, VALID);
    }

  /* But what is typed into them is checked. */
  set_value (fixture, EIMZA_FIELD_HOME_PHONE, "abc");
  assert_check (fixture->form, EIMZA_FIELD_HOME_PHONE, EIMZA_VALIDATION_ERROR_FORMAT);
  set_value (fixture, EIMZA_FIELD_HOME_PHONE, "0312 123");
  assert_check (fixture->form, EIMZA_FIELD_HOME_PHONE, EIMZA_VALIDATION_ERROR_LENGTH);
  set_value (fixture, EIMZA_FIELD_HOME_PHONE, "0312 123 45 67");
  assert_check (fixture->form, EIMZA_FIELD_HOME_PHONE, VALID);

  set_value (fixture, EIMZA_FIELD_WORK_PHONE_EXTENSION, "12");
  assert_check (fixture->form, EIMZA_FIELD_WORK_PHONE_EXTENSION, VALID);
  set_value (fixture, EIMZA_FIELD_WORK_PHONE_EXTENSION, "iki");
  assert_check (fixture->form, EIMZA_FIELD_WORK_PHONE_EXTENSION,
                EIMZA_VALIDATION_ERROR_NOT_DIGITS);

  /* The portal fills the institution in; the form takes what it says. */
  set_value (fixture, EIMZA_FIELD_INSTITUTION_REGISTRY_NO, "12345678");
  assert_check (fixture->form, EIMZA_FIELD_INSTITUTION_REGISTRY_NO, VALID);
  set_value (fixture, EIMZA_FIELD_INSTITUTION_NAME, "Milli Eğitim Bakanlığı");
  assert_check (fixture->form, EIMZA_FIELD_INSTITUTION_NAME, VALID);

  /* Required fields are refused when empty. */
  for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
    {
      if (!eimza_renewal_form_is_required (field))
        continue;

      set_value (fixture, field, "");
      g_assert_false (eimza_renewal_form_check_field (fixture->form, field, NULL));
    }
}

static void
test_check_province (Fixture       *fixture,
                     gconstpointer  user_data)
{
  assert_check (fixture->form, EIMZA_FIELD_PROVINCE, EIMZA_VALIDATION_ERROR_EMPTY);

  set_value (fixture, EIMZA_FIELD_PROVINCE, ANKARA);
  assert_check (fixture->form, EIMZA_FIELD_PROVINCE, VALID);
  set_value (fixture, EIMZA_FIELD_PROVINCE, "81");
  assert_check (fixture->form, EIMZA_FIELD_PROVINCE, VALID);

  /* The value is the plate code, exactly, not the name. */
  set_value (fixture, EIMZA_FIELD_PROVINCE, "Ankara");
  assert_check (fixture->form, EIMZA_FIELD_PROVINCE, EIMZA_VALIDATION_ERROR_EMPTY);
  set_value (fixture, EIMZA_FIELD_PROVINCE, "6");
  assert_check (fixture->form, EIMZA_FIELD_PROVINCE, EIMZA_VALIDATION_ERROR_EMPTY);
  set_value (fixture, EIMZA_FIELD_PROVINCE, "82");
  assert_check (fixture->form, EIMZA_FIELD_PROVINCE, EIMZA_VALIDATION_ERROR_EMPTY);
}

static void
test_check_district (Fixture       *fixture,
                     gconstpointer  user_data)
{
  /* No district can be right before a province is chosen. */
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Çankaya");
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, EIMZA_VALIDATION_ERROR_EMPTY);

  set_value (fixture, EIMZA_FIELD_PROVINCE, ANKARA);
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, VALID);

  /* A district of another province is refused. */
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Kadıköy");
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, EIMZA_VALIDATION_ERROR_EMPTY);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Cankaya");
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, EIMZA_VALIDATION_ERROR_EMPTY);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "");
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, EIMZA_VALIDATION_ERROR_EMPTY);

  /* Changing the province makes the chosen district wrong. */
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Keçiören");
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, VALID);
  set_value (fixture, EIMZA_FIELD_PROVINCE, ISTANBUL);
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, EIMZA_VALIDATION_ERROR_EMPTY);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Kadıköy");
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, VALID);
}

static void
test_check_postal_code (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, CANKAYA_CODE);
  /* Right digits, but no place to check them against yet. */
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_WRONG_PLACE);

  set_value (fixture, EIMZA_FIELD_PROVINCE, ANKARA);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Çankaya");
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, VALID);
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, " 06810 ");
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, VALID);

  /* The field itself first. */
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, "");
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_EMPTY);
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, "0642");
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_LENGTH);
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, "06 420");
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_FORMAT);

  /* A code of another province, named in the message. */
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, KADIKOY_CODE);
  g_assert_false (eimza_renewal_form_check_field (fixture->form, EIMZA_FIELD_POSTAL_CODE,
                                                  &error));
  g_assert_error (error, EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_WRONG_PLACE);
  g_assert_nonnull (strstr (error->message, "Kadıköy"));
  g_clear_error (&error);

  /* A code of another district of the same province. */
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, KECIOREN_CODE);
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_WRONG_PLACE);

  /* A code that exists nowhere. */
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, "00000");
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_WRONG_PLACE);

  /* Changing the province makes a valid code wrong, without the code
   * itself changing. */
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, CANKAYA_CODE);
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, VALID);
  set_value (fixture, EIMZA_FIELD_PROVINCE, ISTANBUL);
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_WRONG_PLACE);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Kadıköy");
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_WRONG_PLACE);
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, KADIKOY_CODE);
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, VALID);

  /* So does changing the district. */
  set_value (fixture, EIMZA_FIELD_PROVINCE, ANKARA);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Keçiören");
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, KECIOREN_CODE);
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, VALID);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Çankaya");
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_WRONG_PLACE);
}

static void
test_login_step (Fixture       *fixture,
                 gconstpointer  user_data)
{
  /* Every field of the login step is required. */
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_LOGIN), ==, 6);
  g_assert_false (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_LOGIN));

  fill_login_step (fixture);
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_LOGIN), ==, 0);
  g_assert_true (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_LOGIN));

  set_value (fixture, EIMZA_FIELD_TCKN, "10000000147");
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_LOGIN), ==, 1);
  g_assert_false (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_LOGIN));

  set_value (fixture, EIMZA_FIELD_BIRTH_DATE, "31.02.1980");
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_LOGIN), ==, 2);

  set_value (fixture, EIMZA_FIELD_TCKN, "10000000146");
  set_value (fixture, EIMZA_FIELD_BIRTH_DATE, "01.02.1980");
  g_assert_true (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_LOGIN));

  /* The steps are counted apart. */
  g_assert_false (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_FORM));
}

static void
test_form_step (Fixture       *fixture,
                gconstpointer  user_data)
{
  /* The defaults of the choices are acceptable; the eleven other required
   * fields of the form are empty. */
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_FORM), ==, 11);
  g_assert_false (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_FORM));

  fill_form_step (fixture);
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_FORM), ==, 0);
  g_assert_true (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_FORM));

  /* The login step, still empty, does not count for the form. */
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_LOGIN), ==, 6);

  /* Optional fields filled well keep the step valid; filled badly, not. */
  set_value (fixture, EIMZA_FIELD_WORK_PHONE_EXTENSION, "1234");
  set_value (fixture, EIMZA_FIELD_HOME_PHONE, "0312 765 43 21");
  set_value (fixture, EIMZA_FIELD_INSTITUTION_NAME, "Milli Eğitim Bakanlığı");
  g_assert_true (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_FORM));
  set_value (fixture, EIMZA_FIELD_HOME_PHONE, "abc");
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_FORM), ==, 1);
  set_value (fixture, EIMZA_FIELD_HOME_PHONE, NULL);
  g_assert_true (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_FORM));

  /* Moving to another province breaks the district and the postal code. */
  set_value (fixture, EIMZA_FIELD_PROVINCE, ISTANBUL);
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_FORM), ==, 2);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Kadıköy");
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, KADIKOY_CODE);
  g_assert_true (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_FORM));

  set_value (fixture, EIMZA_FIELD_VALIDITY, "2");
  g_assert_cmpuint (eimza_renewal_form_count_problems (fixture->form, EIMZA_STEP_FORM), ==, 1);
  g_assert_false (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_FORM));
}

/* The form checks addresses against the data it was given, not the
 * built-in table. */
static void
test_explicit_geo (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_nonnull (fixture->geo);

  set_value (fixture, EIMZA_FIELD_PROVINCE, ANKARA);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Deneme");
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, "06999");
  assert_check (fixture->form, EIMZA_FIELD_PROVINCE, VALID);
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, VALID);
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, VALID);

  /* Real places that the small table does not have. */
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Çankaya");
  assert_check (fixture->form, EIMZA_FIELD_DISTRICT, EIMZA_VALIDATION_ERROR_EMPTY);
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, CANKAYA_CODE);
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_WRONG_PLACE);
  set_value (fixture, EIMZA_FIELD_PROVINCE, "01");
  assert_check (fixture->form, EIMZA_FIELD_PROVINCE, EIMZA_VALIDATION_ERROR_EMPTY);

  set_value (fixture, EIMZA_FIELD_PROVINCE, ISTANBUL);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Kadıköy");
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, KADIKOY_CODE);
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, VALID);
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, "34714"); /* Kadıköy, but not in the table */
  assert_check (fixture->form, EIMZA_FIELD_POSTAL_CODE, EIMZA_VALIDATION_ERROR_WRONG_PLACE);

  /* A whole valid form step with the made-up place. */
  fill_form_step (fixture);
  set_value (fixture, EIMZA_FIELD_DISTRICT, "Deneme");
  set_value (fixture, EIMZA_FIELD_POSTAL_CODE, "06998");
  g_assert_true (eimza_renewal_form_check_step (fixture->form, EIMZA_STEP_FORM));
}

typedef void (*FixtureFunc) (Fixture       *fixture,
                             gconstpointer  user_data);

static void
add_test (const char  *name,
          FixtureFunc  func,
          FixtureFunc  set_up)
{
  g_autofree char *path = g_strconcat ("/core/renewal-form/", name, NULL);

  g_test_add (path, Fixture, NULL, set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Keep the EimzaField class alive for the whole run, as a program that
   * shows the form does, so that the tests below check the model and not
   * when the class was first used; the *-fresh-process tests run without
   * it. */
  if (!g_test_subprocess ())
    g_type_class_ref (EIMZA_TYPE_FIELD);

  add_test ("defaults", test_defaults, fixture_set_up);
  add_test ("round-trip", test_round_trip, fixture_set_up);
  add_test ("set-null", test_set_null, fixture_set_up);
  add_test ("field-changed", test_field_changed, fixture_set_up);
  add_test ("field-changed-same-value", test_field_changed_same_value, fixture_set_up);
  add_test ("field-changed-detail", test_field_changed_detail, fixture_set_up);
  g_test_add_func ("/core/renewal-form/nicks", test_nicks);
  g_test_add_func ("/core/renewal-form/is-required", test_is_required);
  g_test_add_func ("/core/renewal-form/field-step", test_field_step);
  add_test ("check-field", test_check_field, fixture_set_up);
  add_test ("check-length", test_check_length, fixture_set_up);
  add_test ("check-optional", test_check_optional, fixture_set_up);
  add_test ("check-province", test_check_province, fixture_set_up);
  add_test ("check-district", test_check_district, fixture_set_up);
  add_test ("check-postal-code", test_check_postal_code, fixture_set_up);
  add_test ("login-step", test_login_step, fixture_set_up);
  add_test ("form-step", test_form_step, fixture_set_up);
  add_test ("explicit-geo", test_explicit_geo, fixture_set_up_mini_geo);
  /* Last, as without --keep-going the first failed test ends the run. */
  g_test_add_func ("/core/renewal-form/nicks-fresh-process", test_nicks_fresh_process);
  g_test_add_func ("/core/renewal-form/field-changed-fresh-process",
                   test_field_changed_fresh_process);
  g_test_add_func ("/core/renewal-form/set-value-from-own-value",
                   test_set_value_from_own_value);

  return g_test_run ();
}
