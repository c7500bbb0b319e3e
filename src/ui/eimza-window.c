/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: header bar (with the card status) and the stack of pages
 * it walks through; it opens the card dialogs. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-status-button.h"
#include "eimza-demo-badge.h"
#include "eimza-pages-module.h"
#include "eimza-task-flow.h"
#include "eimza-welcome-page.h"
#include "eimza-window.h"

struct _EimzaWindow
{
  GtkApplicationWindow parent_instance;

  GSettings *settings;
  int width;
  int height;
  gboolean maximized;

  /* The pages after the welcome page (the pages module's), made when a
   * task is first chosen; they alone know their pages and Back. */
  EimzaTaskFlow *task_flow;

  /* Open card dialogs, made when asked for. */
  GtkWidget *certificates_dialog;
  GtkWidget *diagnostics_dialog;
  GtkWidget *browsers_dialog;

  /* template */
  GtkHeaderBar *header_bar;
  GtkLabel *subtitle_label;
  EimzaCardStatusButton *card_status_button;
  GtkWidget *back_button;
  GtkStack *stack;
  EimzaWelcomePage *welcome_page;
};

G_DEFINE_FINAL_TYPE (EimzaWindow, eimza_window, GTK_TYPE_APPLICATION_WINDOW)

static gboolean
can_go_back (EimzaWindow *self)
{
  return self->task_flow != NULL && eimza_task_flow_get_can_go_back (self->task_flow);
}

static void
update_back (EimzaWindow *self)
{
  gboolean back_allowed = can_go_back (self);
  GAction *back = g_action_map_lookup_action (G_ACTION_MAP (self), "go-back");

  gtk_widget_set_visible (self->back_button, back_allowed);
  if (back != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (back), back_allowed);
}

static void
visible_page_changed_cb (EimzaWindow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);
  g_autofree char *title = NULL;

  gtk_container_child_get (GTK_CONTAINER (self->stack), page, "title", &title, NULL);
  gtk_label_set_text (self->subtitle_label, title != NULL ? title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), title != NULL && *title != '\0');

  update_back (self);
}

/* The pages module's flow, made on first use; %NULL (after telling the
 * person) when the module cannot be loaded. */
static EimzaTaskFlow *
ensure_task_flow (EimzaWindow *self)
{
  EimzaApplication *application =
    EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  EimzaPagesModule *pages;
  GtkWidget *dialog;

  if (self->task_flow != NULL)
    return self->task_flow;

  eimza_application_ensure_style (application);

  pages = eimza_application_ensure_pages (application);
  if (pages == NULL)
    {
      dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                       _("The application is incomplete"));
      /* TRANSLATORS: %s is the technical reason (from the dynamic loader) */
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                                _("Its pages (eimza-pages.so) could not be loaded: "
                                                  "%s. Reinstall the application."),
                                                eimza_application_get_pages_module_error (application));
      g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
      return NULL;
    }

  self->task_flow = eimza_pages_module_new_task_flow (pages, self->stack,
                                                      GTK_WIDGET (self->welcome_page));
  g_signal_connect_object (self->task_flow, "notify::can-go-back",
                           G_CALLBACK (update_back), self, G_CONNECT_SWAPPED);
  update_back (self);

  return self->task_flow;
}

static void
renewal_chosen_cb (EimzaWindow *self)
{
  EimzaTaskFlow *task_flow = ensure_task_flow (self);

  if (task_flow != NULL)
    eimza_task_flow_show_renewal (task_flow);
}

void
eimza_window_show_renewal (EimzaWindow *self)
{
  g_return_if_fail (EIMZA_IS_WINDOW (self));

  /* A task under way is not interrupted: the window only comes forward. */
  if (gtk_stack_get_visible_child (self->stack) == GTK_WIDGET (self->welcome_page))
    renewal_chosen_cb (self);
}

static void
eonay_chosen_cb (EimzaWindow *self)
{
  EimzaTaskFlow *task_flow = ensure_task_flow (self);

  if (task_flow != NULL)
    eimza_task_flow_show_eonay (task_flow);
}

static void
go_back_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  EimzaWindow *self = user_data;

  if (can_go_back (self))
    eimza_task_flow_go_back (self->task_flow);
}

/* GTK's shortcuts window has a search button with an icon and no name;
 * a screen reader would say only "toggle button". */
static void
name_search_button (GtkWidget *widget,
                    gpointer   user_data)
{
  if (GTK_IS_TOGGLE_BUTTON (widget))
    {
      AtkObject *accessible = gtk_widget_get_accessible (widget);
      const char *name = atk_object_get_name (accessible);

      if (name == NULL || *name == '\0')
        atk_object_set_name (accessible, _("Search"));
      return;
    }

  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), name_search_button, user_data);
}

/* The shortcuts window is built when first asked for: GTK would build
 * gtk/help-overlay.ui with every window, slowing start-up. */
static void
show_shortcuts_activated_cb (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  EimzaWindow *self = user_data;
  GtkWidget *shortcuts = GTK_WIDGET (gtk_application_window_get_help_overlay (
    GTK_APPLICATION_WINDOW (self)));

  if (shortcuts == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/eimza/Asistan/shortcuts-window.ui");

      shortcuts = GTK_WIDGET (gtk_builder_get_object (builder, "shortcuts_window"));
      gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self),
                                               GTK_SHORTCUTS_WINDOW (shortcuts));
      name_search_button (shortcuts, NULL);
    }

  gtk_window_present (GTK_WINDOW (shortcuts));
}

/* Shows the card dialog kept in *@slot, made by the pages module the first
 * time. Without the module there is nothing to show; the card status says
 * why. */
static void
present_card_dialog (EimzaWindow  *self,
                     GtkWidget   **slot,
                     gboolean      diagnostics)
{
  EimzaApplication *application =
    EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  EimzaPagesModule *pages;

  if (self->card_status_button != NULL)
    gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->card_status_button)));

  if (*slot == NULL)
    {
      pages = eimza_application_ensure_pages (application);
      if (pages == NULL)
        return;

      *slot = diagnostics ? eimza_pages_module_new_diagnostics_dialog (pages, GTK_WINDOW (self))
                          : eimza_pages_module_new_certificates_dialog (pages, GTK_WINDOW (self));
      g_signal_connect (*slot, "destroy", G_CALLBACK (gtk_widget_destroyed), slot);
      g_signal_connect (*slot, "response", G_CALLBACK (gtk_widget_destroy), NULL);
    }

  gtk_window_present (GTK_WINDOW (*slot));
}

static void
show_certificates_activated_cb (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  EimzaWindow *self = user_data;

  present_card_dialog (self, &self->certificates_dialog, FALSE);
}

static void
show_diagnostics_activated_cb (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  EimzaWindow *self = user_data;

  present_card_dialog (self, &self->diagnostics_dialog, TRUE);
}

/* The browsers dialog, made by the pages module the first time. */
static void
show_browsers_activated_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  EimzaWindow *self = user_data;
  EimzaApplication *application =
    EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  EimzaPagesModule *pages;

  if (self->browsers_dialog == NULL)
    {
      pages = eimza_application_ensure_pages (application);
      if (pages == NULL)
        return;

      self->browsers_dialog = eimza_pages_module_new_browsers_dialog (pages, GTK_WINDOW (self));
      g_signal_connect (self->browsers_dialog, "destroy", G_CALLBACK (gtk_widget_destroyed),
                        &self->browsers_dialog);
      g_signal_connect (self->browsers_dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
    }

  gtk_window_present (GTK_WINDOW (self->browsers_dialog));
}

static void
change_pin_activated_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  EimzaWindow *self = user_data;
  EimzaApplication *application =
    EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  EimzaPagesModule *pages;

  if (self->card_status_button != NULL)
    gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->card_status_button)));

  /* Without the module there is no card to change; the card status says why. */
  pages = eimza_application_ensure_pages (application);
  if (pages != NULL)
    eimza_pages_module_change_pin (pages, GTK_WINDOW (self));
}

/* The certificates dialog, with the unblock started: a new one, as the
 * unblock and the test signature after it belong together. */
static void
unblock_pin_activated_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  EimzaWindow *self = user_data;
  EimzaApplication *application =
    EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  EimzaPagesModule *pages;

  if (self->card_status_button != NULL)
    gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->card_status_button)));

  pages = eimza_application_ensure_pages (application);
  if (pages == NULL)
    return;

  if (self->certificates_dialog != NULL)
    gtk_widget_destroy (self->certificates_dialog);
  self->certificates_dialog = eimza_pages_module_new_unblock_dialog (pages, GTK_WINDOW (self));
  g_signal_connect (self->certificates_dialog, "destroy", G_CALLBACK (gtk_widget_destroyed),
                    &self->certificates_dialog);
  g_signal_connect (self->certificates_dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  /* Already shown, under the choice of routes: raising it would hide that. */
  if (!gtk_widget_get_visible (self->certificates_dialog))
    gtk_window_present (GTK_WINDOW (self->certificates_dialog));
}

static const GActionEntry win_actions[] = {
  { "go-back", go_back_activated_cb, NULL, NULL, NULL, { 0 } },
  { "show-shortcuts", show_shortcuts_activated_cb, NULL, NULL, NULL, { 0 } },
  { "show-certificates", show_certificates_activated_cb, NULL, NULL, NULL, { 0 } },
  { "show-diagnostics", show_diagnostics_activated_cb, NULL, NULL, NULL, { 0 } },
  { "show-browsers", show_browsers_activated_cb, NULL, NULL, NULL, { 0 } },
  { "change-pin", change_pin_activated_cb, NULL, NULL, NULL, { 0 } },
  { "unblock-pin", unblock_pin_activated_cb, NULL, NULL, NULL, { 0 } },
};

/* The application loads the pages module and starts the card service after
 * the first frame; from then on the module's controller drives the card
 * status. */
static void
pages_changed_cb (EimzaWindow *self)
{
  EimzaApplication *application =
    EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const char *error = eimza_application_get_pages_module_error (application);
  g_autofree char *text = NULL;

  /* The status button comes with the card service, after the first frame:
   * building it earlier would slow start-up for a "checking…" it shows
   * anyway. */
  if (self->card_status_button == NULL)
    {
      self->card_status_button = g_object_new (EIMZA_TYPE_CARD_STATUS_BUTTON,
                                               "visible", TRUE,
                                               NULL);
      gtk_header_bar_pack_end (self->header_bar, GTK_WIDGET (self->card_status_button));
    }

  if (eimza_application_get_pages (application) != NULL)
    {
      eimza_pages_module_follow_card_status (eimza_application_get_pages (application),
                                             self->card_status_button);
      return;
    }

  if (error == NULL)
    return;

  /* TRANSLATORS: %s is the technical reason (from the dynamic loader) */
  text = g_strdup_printf (_("The application’s card support (eimza-pages.so) could not be "
                            "loaded, so cards cannot be used: %s. Reinstall the application."),
                          error);
  eimza_card_status_button_show (self->card_status_button, "dialog-error-symbolic",
                                 _("Card support missing"), _("Card support is missing"), text);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "show-certificates")),
                               FALSE);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "show-diagnostics")),
                               FALSE);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "show-browsers")),
                               FALSE);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "change-pin")),
                               FALSE);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "unblock-pin")),
                               FALSE);
}

/* The schema is missing when the program runs uninstalled from a build
 * tree; the window then simply starts at its default size. */
static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static void
eimza_window_size_allocate (GtkWidget     *widget,
                            GtkAllocation *allocation)
{
  EimzaWindow *self = EIMZA_WINDOW (widget);

  GTK_WIDGET_CLASS (eimza_window_parent_class)->size_allocate (widget, allocation);

  if (!self->maximized)
    gtk_window_get_size (GTK_WINDOW (self), &self->width, &self->height);
}

static gboolean
eimza_window_window_state_event (GtkWidget           *widget,
                                 GdkEventWindowState *event)
{
  EimzaWindow *self = EIMZA_WINDOW (widget);

  self->maximized = (event->new_window_state & GDK_WINDOW_STATE_MAXIMIZED) != 0;

  return GTK_WIDGET_CLASS (eimza_window_parent_class)->window_state_event (widget, event);
}

static void
eimza_window_unrealize (GtkWidget *widget)
{
  EimzaWindow *self = EIMZA_WINDOW (widget);

  if (self->settings != NULL)
    {
      g_settings_set_int (self->settings, "window-width", self->width);
      g_settings_set_int (self->settings, "window-height", self->height);
      g_settings_set_boolean (self->settings, "window-maximized", self->maximized);
    }

  GTK_WIDGET_CLASS (eimza_window_parent_class)->unrealize (widget);
}

static void
restore_window_state (EimzaWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
eimza_window_dispose (GObject *object)
{
  EimzaWindow *self = EIMZA_WINDOW (object);

  if (self->certificates_dialog != NULL)
    gtk_widget_destroy (self->certificates_dialog);
  if (self->diagnostics_dialog != NULL)
    gtk_widget_destroy (self->diagnostics_dialog);
  if (self->browsers_dialog != NULL)
    gtk_widget_destroy (self->browsers_dialog);

  g_clear_object (&self->settings);
  g_clear_object (&self->task_flow);

  G_OBJECT_CLASS (eimza_window_parent_class)->dispose (object);
}

static void
eimza_window_class_init (EimzaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_window_dispose;
  widget_class->size_allocate = eimza_window_size_allocate;
  widget_class->window_state_event = eimza_window_window_state_event;
  widget_class->unrealize = eimza_window_unrealize;

  g_type_ensure (EIMZA_TYPE_WELCOME_PAGE);
  g_type_ensure (EIMZA_TYPE_CARD_STATUS_BUTTON);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, welcome_page);
  gtk_widget_class_bind_template_callback (widget_class, visible_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, renewal_chosen_cb);
}

static void
eimza_window_init (EimzaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->welcome_page, "eonay-chosen",
                           G_CALLBACK (eonay_chosen_cb), self, G_CONNECT_SWAPPED);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  self->settings = lookup_settings ();
  restore_window_state (self);

  /* The menu's switch of the renewal reminders (eimza-asistan
   * --check-expiry reads the same key). */
  if (self->settings != NULL)
    {
      g_autoptr(GSettingsSchema) schema = NULL;

      g_object_get (self->settings, "settings-schema", &schema, NULL);
      if (g_settings_schema_has_key (schema, "expiry-reminders"))
        {
          g_autoptr(GAction) reminders = g_settings_create_action (self->settings,
                                                                   "expiry-reminders");

          g_action_map_add_action (G_ACTION_MAP (self), reminders);
        }
    }

  visible_page_changed_cb (self);
}

EimzaWindow *
eimza_window_new (EimzaApplication *application)
{
  EimzaWindow *self;

  g_return_val_if_fail (EIMZA_IS_APPLICATION (application), NULL);

  self = g_object_new (EIMZA_TYPE_WINDOW,
                       "application", application,
                       NULL);

  /* "application" is not a construct property: it is set after
   * constructed(), so the window follows the service from here. */
  if (eimza_application_get_demo (application) != NULL)
    gtk_header_bar_pack_end (self->header_bar,
                             eimza_demo_badge_new (eimza_application_get_demo (application)));

  g_signal_connect_object (application, "notify::pages",
                           G_CALLBACK (pages_changed_cb), self, G_CONNECT_SWAPPED);
  pages_changed_cb (self);

  return self;
}

void
eimza_window_open_file (EimzaWindow *self,
                        GFile       *file)
{
  EimzaTaskFlow *task_flow;

  g_return_if_fail (EIMZA_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* The file is read and parsed in the module: the program never links
   * libxml2. */
  task_flow = ensure_task_flow (self);
  if (task_flow != NULL)
    eimza_task_flow_open_jnlp (task_flow, file);
}
