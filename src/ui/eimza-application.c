/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: options, actions, the main window, the first-frame
 * report, and the pages module with the one card-reader service, loaded and
 * started once the window is on screen. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n.h>

#include <glib-unix.h>
#include <signal.h>
#include <unistd.h>

#include "eimza-app-config.h"
#include "eimza-app-style.h"
#include "eimza-application.h"
#include "eimza-demo.h"
#include "eimza-pages-module.h"
#include "eimza-pages-module-loader.h"
#include "eimza-style-check.h"
#include "eimza-ui-resources.h"
#include "eimza-window.h"

struct _EimzaApplication
{
  GtkApplication parent_instance;

  /* The command line's (or the demo's) choices, else the settings': what
   * the pages module is told when it is loaded. */
  EimzaAppConfig *config;

  /* --demo: the simulator and the throwaway card, removed on exit. */
  EimzaDemo *demo;

  /* Loaded and made after the window's first frame (see
   * window_first_painted_cb()); the module's object owns the card
   * service. */
  EimzaPagesModule *pages;
  char *pages_module_error;
  guint pages_idle_id;

  gboolean style_loaded;
};

G_DEFINE_FINAL_TYPE (EimzaApplication, eimza_application, GTK_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_PAGES,
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
load_pages_idle_cb (gpointer user_data)
{
  EimzaApplication *self = user_data;

  self->pages_idle_id = 0;
  eimza_application_ensure_style (self);
  eimza_application_ensure_pages (self);

  return G_SOURCE_REMOVE;
}

/* The pages module brings libsoup, libxml2 and GnuTLS, and its card
 * service starts two threads and, on its worker, talks to pcscd and loads
 * PKCS#11 modules: none of that is needed for the first frame, so it waits
 * until the window has been drawn once. */
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

  if (self->pages == NULL && self->pages_idle_id == 0)
    self->pages_idle_id = g_idle_add (load_pages_idle_cb, self);
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

/* What GTK's about dialog leaves out for a screen reader: a description
 * of its logo. */
static void
describe_logo (GtkWidget *widget,
               gpointer   user_data)
{
  if (GTK_IS_IMAGE (widget))
    {
      atk_object_set_description (gtk_widget_get_accessible (widget),
                                  _("Logo of E-Signature Assistant"));
      return;
    }

  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), describe_logo, user_data);
}

/* A new dialog each time, gone when closed (gtk_show_about_dialog() keeps
 * a hidden one on the window). */
static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *authors[] = { _("E-Signature Assistant developers"), NULL };
  GtkWidget *dialog;

  dialog = g_object_new (GTK_TYPE_ABOUT_DIALOG,
                         "transient-for", window,
                         "modal", TRUE,
                         "destroy-with-parent", TRUE,
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
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  describe_logo (dialog, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
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
  { "sifreli-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Address of Kamu SM’s Şifreli Giriş, if not on the NES site itself"), N_("URL") },
  { "pkcs11-module", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("PKCS#11 module of the e-signature card, if not found automatically"), N_("PATH") },
  /* Handled before the application starts (main.c); listed for --help. */
  { "check-profile", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Check a portal profile file, and what it makes of pages saved from a browser in "
       "SAVED_PAGES_DIR; opens no window"),
    N_("FILE [SAVED_PAGES_DIR]") },
  /* Also handled before the application starts (main.c). */
  { "setup-browsers", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Register the card’s module in every Firefox profile and in Chromium and Google "
       "Chrome; opens no window"), NULL },
  { "check-browsers", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show whether each browser can use the card; opens no window"), NULL },
  /* Handled before the application starts (eimza-expiry-check-command.c). */
  { "check-expiry", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Check the expiry of the certificates seen on cards and remind of the renewal; "
       "opens no window"), NULL },
  { "renewal", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the renewal application (in the window already open, if there is one)"), NULL },
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

  eimza_app_config_set_portal (self->config, "simulator",
                               eimza_demo_get_portal_url (self->demo),
                               eimza_demo_get_ca_file (self->demo),
                               eimza_demo_get_nes_url (self->demo));
  /* Kilit Çözme for the card the demo person may lock on purpose. */
  eimza_app_config_set_sifreli_url (self->config, eimza_demo_get_sifreli_url (self->demo));

  /* The demo's token alone, never the person's own card: its PIN dialog
   * advertises the demo PIN, which would spend the real card's tries.
   * Without a demo card, no module at all. Settings and --pkcs11-module do
   * not apply. */
  eimza_app_config_set_demo (self->config, eimza_demo_get_pkcs11_module (self->demo),
                             eimza_demo_get_card_problem (self->demo) == NULL);
  eimza_app_config_set_demo_birth_date (self->config, eimza_demo_get_birth_date (self->demo));
  if (eimza_demo_get_pkcs11_module (self->demo) != NULL)
    {
      /* No thread has started yet, and nothing has loaded PKCS#11: the
       * card module reads this when the card service starts. */
      g_setenv ("SOFTHSM2_CONF", eimza_demo_get_softhsm2_conf (self->demo), TRUE);
      /* The demo card module's SoftHSM2 (tools/demo/meson.build). */
      if (eimza_demo_get_pkcs11_target (self->demo) != NULL)
        {
          g_setenv ("EIMZA_DEMO_CARD_TARGET", eimza_demo_get_pkcs11_target (self->demo), TRUE);
          g_setenv ("EIMZA_DEMO_CARD_TARGET_SOFTHSM2_CONF",
                    eimza_demo_get_softhsm2_conf (self->demo), TRUE);
        }
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

  {
    g_autofree char *portal_profile = lookup_option (options, "portal-profile");
    g_autofree char *portal_url = lookup_option (options, "portal-url");
    g_autofree char *portal_ca_file = lookup_option (options, "portal-ca");
    g_autofree char *eonay_url = lookup_option (options, "eonay-url");
    g_autofree char *pkcs11_module = lookup_option (options, "pkcs11-module");
    g_autofree char *sifreli_url = lookup_option (options, "sifreli-url");

    eimza_app_config_set_portal (self->config, portal_profile, portal_url, portal_ca_file,
                                 eonay_url);
    eimza_app_config_set_pkcs11_module (self->config, pkcs11_module);
    eimza_app_config_set_sifreli_url (self->config, sifreli_url);
  }

  if (g_variant_dict_contains (options, "demo") && !start_demo (self))
    return EXIT_FAILURE;

  /* A reminder was clicked: the running window (or a new one) shows the
   * renewal. */
  if (g_variant_dict_contains (options, "renewal"))
    {
      g_autoptr(GError) error = NULL;

      if (!g_application_register (application, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      g_action_group_activate_action (G_ACTION_GROUP (application), "start-renewal", NULL);
      if (g_application_get_is_remote (application))
        return EXIT_SUCCESS;
    }

  /* Go on with the default handling: register and activate. */
  return -1;
}

const char *
eimza_application_get_pages_module_error (EimzaApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_APPLICATION (self), NULL);

  return self->pages_module_error;
}

EimzaPagesModule *
eimza_application_get_pages (EimzaApplication *self)
{
  g_return_val_if_fail (EIMZA_IS_APPLICATION (self), NULL);

  return self->pages;
}

EimzaPagesModule *
eimza_application_ensure_pages (EimzaApplication *self)
{
  const EimzaPagesModuleEntry *entry;

  g_return_val_if_fail (EIMZA_IS_APPLICATION (self), NULL);

  if (self->pages != NULL || self->pages_module_error != NULL)
    return self->pages;

  g_clear_handle_id (&self->pages_idle_id, g_source_remove);

  entry = eimza_pages_module_load (&self->pages_module_error);
  if (entry == NULL)
    g_warning ("The pages module is unavailable: %s", self->pages_module_error);
  else
    self->pages = entry->create (self->config);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAGES]);

  return self->pages;
}

/* The renewal reminders' notifications open the renewal (their default
 * action): the window, on the renewal's first page. */
static void
start_renewal_activated_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  GApplication *application = G_APPLICATION (user_data);

  g_application_activate (application);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL; l = l->next)
    {
      if (EIMZA_IS_WINDOW (l->data))
        {
          eimza_window_show_renewal (l->data);
          break;
        }
    }
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated_cb, NULL, NULL, NULL, { 0 } },
  { "start-renewal", start_renewal_activated_cb, NULL, NULL, NULL, { 0 } },
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
  eimza_style_check_install ();

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.go-back", back_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-shortcuts",
                                         shortcuts_accels);

  /* GTK has opened the display by now. Root on someone's desktop writes
   * root-owned files and misses the person's session bus (accessibility,
   * notifications, the running window); kiosks and CI still may. */
  if (geteuid () == 0)
    g_printerr ("%s\n", _("Warning: E-Signature Assistant is running as root. Start it as "
                          "the person at the desktop, without sudo: it needs no root rights, "
                          "and as root it writes files that belong to root and misses your "
                          "desktop session."));
}

/* The welcome page needs no style sheet of ours; parsing it and restyling
 * for it is a sixth of start-up, so it is loaded after the first frame or
 * when the first page that uses it is built, whichever comes first. */
void
eimza_application_ensure_style (EimzaApplication *self)
{
  g_return_if_fail (EIMZA_IS_APPLICATION (self));

  if (self->style_loaded)
    return;

  eimza_app_style_load (gdk_screen_get_default ());
  self->style_loaded = TRUE;
}

static void
eimza_application_shutdown (GApplication *application)
{
  EimzaApplication *self = EIMZA_APPLICATION (application);

  g_clear_handle_id (&self->pages_idle_id, g_source_remove);

  G_APPLICATION_CLASS (eimza_application_parent_class)->shutdown (application);

  /* The card service's worker stops, waiting a bounded time: the app
   * exits even if a card's module never answers. */
  if (self->pages != NULL)
    eimza_pages_module_shutdown (self->pages);

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
    case PROP_PAGES:
      g_value_set_object (value, self->pages);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_application_dispose (GObject *object)
{
  EimzaApplication *self = EIMZA_APPLICATION (object);

  g_clear_handle_id (&self->pages_idle_id, g_source_remove);
  /* Joins the card worker thread once the last job has returned. */
  g_clear_object (&self->pages);
  g_clear_object (&self->config);
  g_clear_object (&self->demo);

  G_OBJECT_CLASS (eimza_application_parent_class)->dispose (object);
}

static void
eimza_application_finalize (GObject *object)
{
  EimzaApplication *self = EIMZA_APPLICATION (object);

  g_clear_pointer (&self->pages_module_error, g_free);

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
   * EimzaApplication:pages:
   *
   * The pages module's object (which owns the one card-reader service);
   * %NULL until the main window's first frame has been drawn (or a task
   * was chosen before), or if the module cannot be loaded (then see
   * eimza_application_get_pages_module_error()). Notified once either is
   * known.
   */
  props[PROP_PAGES] =
    g_param_spec_object ("pages", NULL, NULL,
                         EIMZA_TYPE_PAGES_MODULE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /* Referencing the generated resource keeps its object file, and the
   * constructor in it that registers the templates, in the program. */
  (void) eimza_ui_get_resource ();
}

static void
eimza_application_init (EimzaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  self->config = eimza_app_config_new ();
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
