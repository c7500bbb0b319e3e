/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the program tells the pages module once: portal, NES site, CA file, PKCS#11 module, demo. */
#include "config.h"

#include "eimza-app-config.h"

/* The portal when neither the command line nor the settings name one (the
 * schema's default too). */
#define DEFAULT_PORTAL_PROFILE "kamusm"

struct _EimzaAppConfig
{
  GObject parent_instance;

  /* From the command line (or the demo); NULL means "as the settings say". */
  char *portal_profile;
  char *portal_url;
  char *portal_ca_file;
  char *eonay_url;
  char *sifreli_url;
  char *pkcs11_module;

  gboolean demo;
  char *demo_pkcs11_module;
  gboolean virtual_card;
  char *demo_birth_date;

  /* Opened on first use; NULL without an installed schema (a build tree),
   * where only the command line counts. */
  GSettings *settings;
  gboolean settings_looked_up;
  /* Whether the schema has the PKCS#11 module's key (an older one may not). */
  gboolean settings_have_pkcs11_module;
};

G_DEFINE_FINAL_TYPE (EimzaAppConfig, eimza_app_config, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PKCS11_MODULE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
pkcs11_module_path_changed_cb (EimzaAppConfig *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PKCS11_MODULE]);
}

static GSettings *
ensure_settings (EimzaAppConfig *self)
{
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings_looked_up)
    return self->settings;
  self->settings_looked_up = TRUE;

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;

  self->settings = g_settings_new_full (schema, NULL, NULL);
  self->settings_have_pkcs11_module = g_settings_schema_has_key (schema, "pkcs11-module-path");

  /* The module from the command line wins; otherwise the setting, which is
   * followed while the application runs. */
  if (self->pkcs11_module == NULL && self->settings_have_pkcs11_module)
    g_signal_connect_object (self->settings, "changed::pkcs11-module-path",
                             G_CALLBACK (pkcs11_module_path_changed_cb), self,
                             G_CONNECT_SWAPPED);

  return self->settings;
}

/* The command line's value, else the setting @key's; %NULL when both are
 * unset or empty. */
static char *
choose (EimzaAppConfig *self,
        const char     *from_command_line,
        const char     *key)
{
  GSettings *settings;
  g_autofree char *value = NULL;

  if (from_command_line != NULL)
    return *from_command_line != '\0' ? g_strdup (from_command_line) : NULL;

  settings = ensure_settings (self);
  if (settings == NULL)
    return NULL;

  value = g_settings_get_string (settings, key);

  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

char *
eimza_app_config_dup_portal_profile (EimzaAppConfig *self)
{
  char *profile;

  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), NULL);

  profile = choose (self, self->portal_profile, "portal-profile");

  return profile != NULL ? profile : g_strdup (DEFAULT_PORTAL_PROFILE);
}

char *
eimza_app_config_dup_portal_url (EimzaAppConfig *self)
{
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), NULL);

  return choose (self, self->portal_url, "portal-url");
}

char *
eimza_app_config_dup_portal_ca_file (EimzaAppConfig *self)
{
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), NULL);

  return choose (self, self->portal_ca_file, "portal-ca-file");
}

char *
eimza_app_config_dup_eonay_url (EimzaAppConfig *self)
{
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), NULL);

  return choose (self, self->eonay_url, "eonay-url");
}

char *
eimza_app_config_dup_sifreli_url (EimzaAppConfig *self)
{
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), NULL);

  /* The command line's only: the live site has it on the NES host. */
  return self->sifreli_url != NULL && *self->sifreli_url != '\0' ? g_strdup (self->sifreli_url)
                                                                  : NULL;
}

void
eimza_app_config_set_sifreli_url (EimzaAppConfig *self,
                                  const char     *url)
{
  g_return_if_fail (EIMZA_IS_APP_CONFIG (self));

  g_free (self->sifreli_url);
  self->sifreli_url = g_strdup (url);
}

char *
eimza_app_config_dup_pkcs11_module (EimzaAppConfig *self)
{
  GSettings *settings;
  g_autofree char *path = NULL;

  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), NULL);

  if (self->pkcs11_module != NULL)
    return *self->pkcs11_module != '\0' ? g_strdup (self->pkcs11_module) : NULL;

  /* Reading the setting also makes GSettings report its changes. */
  settings = ensure_settings (self);
  if (settings == NULL || !self->settings_have_pkcs11_module)
    return NULL;
  path = g_settings_get_string (settings, "pkcs11-module-path");

  return *path != '\0' ? g_steal_pointer (&path) : NULL;
}

gboolean
eimza_app_config_get_demo (EimzaAppConfig *self)
{
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), FALSE);

  return self->demo;
}

const char *
eimza_app_config_get_demo_pkcs11_module (EimzaAppConfig *self)
{
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), NULL);

  return self->demo_pkcs11_module;
}

const char *
eimza_app_config_get_demo_birth_date (EimzaAppConfig *self)
{
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), NULL);

  return self->demo_birth_date;
}

gboolean
eimza_app_config_get_virtual_card (EimzaAppConfig *self)
{
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (self), FALSE);

  return self->virtual_card;
}

void
eimza_app_config_set_portal (EimzaAppConfig *self,
                             const char     *profile,
                             const char     *url,
                             const char     *ca_file,
                             const char     *eonay_url)
{
  g_return_if_fail (EIMZA_IS_APP_CONFIG (self));

  g_free (self->portal_profile);
  self->portal_profile = g_strdup (profile);
  g_free (self->portal_url);
  self->portal_url = g_strdup (url);
  g_free (self->portal_ca_file);
  self->portal_ca_file = g_strdup (ca_file);
  g_free (self->eonay_url);
  self->eonay_url = g_strdup (eonay_url);
}

void
eimza_app_config_set_pkcs11_module (EimzaAppConfig *self,
                                    const char     *path)
{
  g_return_if_fail (EIMZA_IS_APP_CONFIG (self));
  /* The settings are followed from their first use: decide before. */
  g_return_if_fail (!self->settings_looked_up);

  g_free (self->pkcs11_module);
  self->pkcs11_module = g_strdup (path);
}

void
eimza_app_config_set_demo (EimzaAppConfig *self,
                           const char     *only_pkcs11_module,
                           gboolean        virtual_card)
{
  g_return_if_fail (EIMZA_IS_APP_CONFIG (self));

  self->demo = TRUE;
  g_free (self->demo_pkcs11_module);
  self->demo_pkcs11_module = g_strdup (only_pkcs11_module);
  self->virtual_card = virtual_card;
}

void
eimza_app_config_set_demo_birth_date (EimzaAppConfig *self,
                                      const char     *birth_date)
{
  g_return_if_fail (EIMZA_IS_APP_CONFIG (self));

  g_free (self->demo_birth_date);
  self->demo_birth_date = g_strdup (birth_date);
}

static void
eimza_app_config_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EimzaAppConfig *self = EIMZA_APP_CONFIG (object);

  switch (prop_id)
    {
    case PROP_PKCS11_MODULE:
      g_value_take_string (value, eimza_app_config_dup_pkcs11_module (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_app_config_dispose (GObject *object)
{
  EimzaAppConfig *self = EIMZA_APP_CONFIG (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (eimza_app_config_parent_class)->dispose (object);
}

static void
eimza_app_config_finalize (GObject *object)
{
  EimzaAppConfig *self = EIMZA_APP_CONFIG (object);

  g_free (self->portal_profile);
  g_free (self->portal_url);
  g_free (self->portal_ca_file);
  g_free (self->eonay_url);
  g_free (self->sifreli_url);
  g_free (self->pkcs11_module);
  g_free (self->demo_pkcs11_module);
  g_free (self->demo_birth_date);

  G_OBJECT_CLASS (eimza_app_config_parent_class)->finalize (object);
}

static void
eimza_app_config_class_init (EimzaAppConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = eimza_app_config_get_property;
  object_class->dispose = eimza_app_config_dispose;
  object_class->finalize = eimza_app_config_finalize;

  /**
   * EimzaAppConfig:pkcs11-module:
   *
   * The card's PKCS#11 module (see eimza_app_config_dup_pkcs11_module()),
   * notified when the setting changes while the application runs.
   */
  props[PROP_PKCS11_MODULE] =
    g_param_spec_string ("pkcs11-module", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
eimza_app_config_init (EimzaAppConfig *self)
{
}

EimzaAppConfig *
eimza_app_config_new (void)
{
  return g_object_new (EIMZA_TYPE_APP_CONFIG, NULL);
}
