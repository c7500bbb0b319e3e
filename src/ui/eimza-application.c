/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: options and settings, actions, the main window, the
 * first-frame report, and the pages module with the one card-reader
 * service, loaded and started once the window is on screen. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n.h>

#include <glib-unix.h>
#include <signal.h>

#include "eimza-application.h"
#include "eimza-demo.h"
#include "eimza-pages-module.h"
#include "eimza-pages-module-loader.h"
#include "eimza-ui-resources.h"
#include "eimza-window.h"

struct _EimzaApplication
{
  GtkApplication parent_instance;

  /* From the command line; NULL means "as the settings say". */
  char *portal_profile;
  char *portal_url;
  char *portal_ca_file;
  char *eonay_url;
  char *pkcs11_module;

  /* --demo: the simulator and the throwaway card, removed on exit. */
  EimzaDemo *demo;

  /* Loaded and made after the window's first frame (see
   * window_first_painted_cb()). */
  const EimzaPagesModule *pages_module;
  char *pages_module_error;
  GObject *card_service;
  GSettings *settings;
  guint card_service_idle_id;

  gboolean style_loaded;
};

G_DEFINE_FINAL_TYPE (EimzaApplication, eimza_application, GTK_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_CARD_SERVICE,
  PROP_PORTAL_PROFILE,
  PROP_PORTAL_URL,
  PROP_PORTAL_CA_FILE,
  PROP_EONAY_URL,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static gboolean first_frame_reported;

/* Benchmarks set EIMZA_ASISTAN_FIRST_FRAME=1: print when the first frame of
 * the window has been painted, on the monotonic clock, then quit. */
static void
first_frame_painted_cb (GdkFrameClock *frame_clock,
                        GtkWidget     *window)
{
  g_signal_handlers_disconnect_by_func (frame_clock, first_frame_painted_cb, window);

  printf ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  first_frame_reported = TRUE;

  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

static void
window_realized_cb (GtkWidget *window)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (first_frame_painted_cb), window);
}

static gboolean
start_card_service_idle_cb (gpointer user_data)
{
  EimzaApplication *self = user_data;

  self->card_service_idle_id = 0;
  eimza_application_ensure_style (self);
  eimza_application_ensure_card_service (self);

  return G_SOURCE_REMOVE;
}

/* The card service starts two threads and, on its worker, talks to pcscd
 * and loads PKCS#11 modules: none of that is needed for the first frame,
 * so it waits until the window has been drawn once. */
static void
window_first_painted_cb (GdkFrameClock    *frame_clock,
                         EimzaApplication *self)
{
  g_signal_handlers_disconnect_by_func (frame_clock, window_first_painted_cb, self);

  /* The start-up benchmark ends the program at the first frame; what
   * comes after it is not part of start-up. */
  if (g_application_get_is_registered (G_APPLICATION (self)) && first_frame_reported)
    return;

  /* The window manager's icon: GTK would load every size of it from the
   * icon theme when realising the window, a tenth of start-up, for
   * something the first frame does not show. */
  gtk_window_set_default_icon_name (APPLICATION_ID);

  if (self->card_service == NULL && self->card_service_idle_id == 0)
    self->card_service_idle_id = g_idle_add (start_card_service_idle_cb, self);
}

static void
window_realized_for_card_cb (GtkWidget        *window,
                             EimzaApplication *self)
{
  g_signal_handlers_disconnect_by_func (window, window_realized_for_card_cb, self);
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (window_first_painted_cb), self, 0);
}

static void
eimza_application_activate (GApplication *application)
{
  EimzaApplication *self = EIMZA_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      window = GTK_WINDOW (eimza_window_new (self));

      if (g_strcmp0 (g_getenv ("EIMZA_ASISTAN_FIRST_FRAME"), "1") == 0)
        g_signal_connect (window, "realize", G_CALLBACK (window_realized_cb), NULL);
      g_signal_connect_object (window, "realize", G_CALLBACK (window_realized_for_card_cb),
                               self, 0);
    }

  gtk_window_present (window);
}

/* Files opened with the application (a .jnlp from the file manager or the
 * browser): the main window shows what it can do with each. */
static void
eimza_application_open (GApplication  *application,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  EimzaWindow *window = NULL;

  g_application_activate (application);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL; l = l->next)
    {
      if (EIMZA_IS_WINDOW (l->data))
        {
          window = l->data;
          break;
        }
    }
  g_return_if_fail (window != NULL);

  for (int i = 0; i < n_files; i++)
    eimza_window_open_file (window, files[i]);
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *authors[] = { _("E-Signature Assistant developers"), NULL };

  gtk_show_about_dialog (window,
                         "program-name", _("E-Signature Assistant"),
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Renew your e-signature certificate and give your e-onay, "
                                       "without a browser plug-in or Java."),
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/eimza/asistan",
                         NULL);
}

static const GOptionEntry option_entries[] = {
  { "portal-profile", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Portal description to use: kamusm, simulator, or a file"), N_("PROFILE") },
  { "portal-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Address of the application portal"), N_("URL") },
  { "portal-ca", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Certificate authority to trust for a portal on this computer"), N_("FILE") },
  { "eonay-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Address of Kamu SM’s NES site, where the e-onay is given"), N_("URL") },
  { "pkcs11-module", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("PKCS#11 module of the e-signature card, if not found automatically"), N_("PATH") },
  /* Handled before the application starts (main.c); listed for --help. */
  { "check-profile", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Check a portal profile file, and what it makes of pages saved from a browser in "
       "SAVED_PAGES_DIR; opens no window"),
    N_("FILE [SAVED_PAGES_DIR]") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Try every page with a simulated portal and a virtual card; nothing leaves this computer"),
    NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the program’s version and exit"), NULL },
  { NULL }
};

static char *
lookup_option (GVariantDict *options,
               const char   *name)
{
  g_autofree char *value = NULL;

  if (!g_variant_dict_lookup (options, name, "s", &value) &&
      !g_variant_dict_lookup (options, name, "^ay", &value))
    return NULL;

  return g_steal_pointer (&value);
}

/* A demo stopped with Ctrl+C or by the session still removes its
 * simulator and its throwaway card (shutdown() does it). */
static gboolean
quit_on_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));

  return G_SOURCE_CONTINUE;
}

/* Points the application at a simulator and a throwaway card of its own.
 * A demo is its own instance: it must not hand its work to a running
 * application that uses the real portal, nor the other way round. */
static gboolean
start_demo (EimzaApplication *self)
{
  g_autoptr(GError) error = NULL;

  /* Before the demo makes anything: from now on these signals never kill
   * the process without clean-up (see eimza_demo_start()). One that comes
   * during the start also ends it; after it, the application quits. */
  g_unix_signal_add (SIGINT, quit_on_signal_cb, self);
  g_unix_signal_add (SIGTERM, quit_on_signal_cb, self);
  g_unix_signal_add (SIGHUP, quit_on_signal_cb, self);

  self->demo = eimza_demo_start (&error);
  if (self->demo == NULL)
    {
      /* TRANSLATORS: %s says why (already translated) */
      g_printerr (_("The demo could not be started: %s\n"), error->message);
      return FALSE;
    }

  g_application_set_flags (G_APPLICATION (self),
                           g_application_get_flags (G_APPLICATION (self)) |
                           G_APPLICATION_NON_UNIQUE);

  g_free (self->portal_profile);
  self->portal_profile = g_strdup ("simulator");
  g_free (self->portal_url);
  self->portal_url = g_strdup (eimza_demo_get_portal_url (self->demo));
  g_free (self->portal_ca_file);
  self->portal_ca_file = g_strdup (eimza_demo_get_ca_file (self->demo));
  g_free (self->eonay_url);
  self->eonay_url = g_strdup (eimza_demo_get_nes_url (self->demo));

  /* The card service loads this module and no other (see
   * eimza_application_ensure_card_service()). */
  if (eimza_demo_get_pkcs11_module (self->demo) != NULL)
    {
      /* No thread has started yet, and nothing has loaded PKCS#11: the
       * card module reads this when the card service starts. */
      g_setenv ("SOFTHSM2_CONF", eimza_demo_get_softhsm2_conf (self->demo), TRUE);
    }

  return TRUE;
}

/* The running demo, or %NULL. */
EimzaDemo *
eimza_application_get_demo (EimzaApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_APPLICATION (self), NULL);

  return self->demo;
}

static int
eimza_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  EimzaApplication *self = EIMZA_APPLICATION (application);

  /* Needs no display: packages' smoke tests and bug reports use it. */
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("eimza-asistan %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  self->portal_profile = lookup_option (options, "portal-profile");
  self->portal_url = lookup_option (options, "portal-url");
  self->portal_ca_file = lookup_option (options, "portal-ca");
  self->eonay_url = lookup_option (options, "eonay-url");
  self->pkcs11_module = lookup_option (options, "pkcs11-module");

  if (g_variant_dict_contains (options, "demo") && !start_demo (self))
    return EXIT_FAILURE;

  /* Go on with the default handling: register and activate. */
  return -1;
}

/* The settings' value of @key when the command line gave none. Without an
 * installed schema (a build tree) only the command line counts. */
static char *
choose (const char *from_command_line,
        const char *key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *value = NULL;

  if (from_command_line != NULL)
    return g_strdup (from_command_line);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;

  settings = g_settings_new_full (schema, NULL, NULL);
  value = g_settings_get_string (settings, key);

  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

/* The module from the command line wins; otherwise the setting, which is
 * followed while the application runs (reading it here also makes GSettings
 * report its changes). */
static void
update_pkcs11_module_path (EimzaApplication *self)
{
  g_autofree char *path = NULL;

  if (self->pkcs11_module != NULL)
    path = g_strdup (self->pkcs11_module);
  else if (self->settings != NULL)
    path = g_settings_get_string (self->settings, "pkcs11-module-path");

  if (self->card_service != NULL)
    self->pages_module->service_set_module_path (self->card_service,
                                            path != NULL && *path != '\0' ? path : NULL);
}

static void
pkcs11_module_path_changed_cb (EimzaApplication *self)
{
  update_pkcs11_module_path (self);
}

const EimzaPagesModule *
eimza_application_ensure_pages_module (EimzaApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_APPLICATION (self), NULL);

  if (self->pages_module == NULL && self->pages_module_error == NULL)
    {
      self->pages_module = eimza_pages_module_load (&self->pages_module_error);
      if (self->pages_module == NULL)
        g_warning ("The pages module is unavailable: %s", self->pages_module_error);
    }

  return self->pages_module;
}

const char *
eimza_application_get_pages_module_error (EimzaApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_APPLICATION (self), NULL);

  return self->pages_module_error;
}

GObject *
eimza_application_get_card_service (EimzaApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_APPLICATION (self), NULL);

  return self->card_service;
}

GObject *
eimza_application_ensure_card_service (EimzaApplication *self)
{
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  g_return_val_if_fail (EIMZA_IS_APPLICATION (self), NULL);

  if (self->card_service != NULL || self->pages_module_error != NULL)
    return self->card_service;

  g_clear_handle_id (&self->card_service_idle_id, g_source_remove);

  if (eimza_application_ensure_pages_module (self) == NULL)
    {
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CARD_SERVICE]);
      return NULL;
    }

  self->card_service = self->pages_module->service_new ();
  if (self->demo != NULL)
    {
      /* The demo's token alone, never the person's own card: its PIN
       * dialog advertises the demo PIN, which would spend the real card's
       * tries. Without a demo card, no module at all. Settings and
       * --pkcs11-module do not apply. */
      self->pages_module->service_set_only_module (self->card_service,
                                                   eimza_demo_get_pkcs11_module (self->demo));
      if (eimza_demo_get_card_problem (self->demo) == NULL)
        self->pages_module->service_set_virtual_card (self->card_service, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CARD_SERVICE]);
      return self->card_service;
    }

  /* Without an installed schema (a build tree) only the command line counts. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL && self->pkcs11_module == NULL &&
      g_settings_schema_has_key (schema, "pkcs11-module-path"))
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      g_signal_connect_object (self->settings, "changed::pkcs11-module-path",
                               G_CALLBACK (pkcs11_module_path_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  update_pkcs11_module_path (self);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CARD_SERVICE]);

  return self->card_service;
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated_cb, NULL, NULL, NULL, { 0 } },
  { "about", about_activated_cb, NULL, NULL, NULL, { 0 } },
};

static void
eimza_application_startup (GApplication *application)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *back_accels[] = { "<Alt>Left", NULL };
  const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (eimza_application_parent_class)->startup (application);

  g_set_application_name (_("E-Signature Assistant"));

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.go-back", back_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-shortcuts",
                                         shortcuts_accels);

}

/* The welcome page needs no style sheet of ours; parsing it and restyling
 * for it is a sixth of start-up, so it is loaded after the first frame or
 * when the first page that uses it is built, whichever comes first. */
void
eimza_application_ensure_style (EimzaApplication *self)
{
  g_autoptr(GtkCssProvider) css = NULL;

  g_return_if_fail (EIMZA_IS_APPLICATION (self));

  if (self->style_loaded)
    return;

  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/eimza/Asistan/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  self->style_loaded = TRUE;
}

static void
eimza_application_shutdown (GApplication *application)
{
  EimzaApplication *self = EIMZA_APPLICATION (application);

  g_clear_handle_id (&self->card_service_idle_id, g_source_remove);

  G_APPLICATION_CLASS (eimza_application_parent_class)->shutdown (application);

  /* A card job stuck in its module holds a reference to the service, so
   * dropping ours would not stop it: dispose stops the worker, waiting a
   * bounded time, and the app exits even if the module never answers. */
  if (self->card_service != NULL)
    g_object_run_dispose (self->card_service);

  /* Nothing may reach the simulator after this; the virtual card's files
   * may still be open in the card service, which Linux allows. */
  if (self->demo != NULL)
    eimza_demo_stop (self->demo);
}

static void
eimza_application_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EimzaApplication *self = EIMZA_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_CARD_SERVICE:
      g_value_set_object (value, self->card_service);
      break;
    case PROP_PORTAL_PROFILE:
      g_value_take_string (value, choose (self->portal_profile, "portal-profile"));
      break;
    case PROP_PORTAL_URL:
      g_value_take_string (value, choose (self->portal_url, "portal-url"));
      break;
    case PROP_PORTAL_CA_FILE:
      g_value_take_string (value, choose (self->portal_ca_file, "portal-ca-file"));
      break;
    case PROP_EONAY_URL:
      g_value_take_string (value, choose (self->eonay_url, "eonay-url"));
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_application_dispose (GObject *object)
{
  EimzaApplication *self = EIMZA_APPLICATION (object);

  g_clear_handle_id (&self->card_service_idle_id, g_source_remove);
  g_clear_object (&self->settings);
  /* Joins the worker thread once the last job has returned. */
  g_clear_object (&self->card_service);
  g_clear_object (&self->demo);

  G_OBJECT_CLASS (eimza_application_parent_class)->dispose (object);
}

static void
eimza_application_finalize (GObject *object)
{
  EimzaApplication *self = EIMZA_APPLICATION (object);

  g_clear_pointer (&self->pkcs11_module, g_free);
  g_clear_pointer (&self->pages_module_error, g_free);
  g_clear_pointer (&self->portal_profile, g_free);
  g_clear_pointer (&self->portal_url, g_free);
  g_clear_pointer (&self->portal_ca_file, g_free);
  g_clear_pointer (&self->eonay_url, g_free);

  G_OBJECT_CLASS (eimza_application_parent_class)->finalize (object);
}

static void
eimza_application_class_init (EimzaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = eimza_application_dispose;
  object_class->finalize = eimza_application_finalize;
  object_class->get_property = eimza_application_get_property;
  application_class->activate = eimza_application_activate;
  application_class->open = eimza_application_open;
  application_class->startup = eimza_application_startup;
  application_class->shutdown = eimza_application_shutdown;
  application_class->handle_local_options = eimza_application_handle_local_options;

  /**
   * EimzaApplication:card-service:
   *
   * The application's one card-reader service (an EimzaCardService of the
   * card module); %NULL until the main window's first frame has been
   * drawn, or if the card module cannot be loaded.
   */
  props[PROP_CARD_SERVICE] =
    g_param_spec_object ("card-service", NULL, NULL,
                         G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The portal to use: the command line's choice, else the settings'
   * (%NULL: the default). The pages module reads these. */
  props[PROP_PORTAL_PROFILE] =
    g_param_spec_string ("portal-profile", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PORTAL_URL] =
    g_param_spec_string ("portal-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PORTAL_CA_FILE] =
    g_param_spec_string ("portal-ca-file", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The NES site for the e-onay (%NULL: the profile's). */
  props[PROP_EONAY_URL] =
    g_param_spec_string ("eonay-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /* Whether this is `eimza-asistan --demo` (for the pages module). */
  props[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /* Referencing the generated resource keeps its object file, and the
   * constructor in it that registers the templates, in the program. */
  (void) eimza_ui_get_resource ();
}

static void
eimza_application_init (EimzaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

EimzaApplication *
eimza_application_new (void)
{
  return g_object_new (EIMZA_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/eimza/Asistan",
                       NULL);
}
