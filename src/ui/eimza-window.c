/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: header bar (with the card status) and the stack of pages
 * it walks through; it opens the card dialogs. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-status-button.h"
#include "eimza-card-ui.h"
#include "eimza-form-page.h"
#include "eimza-login-page.h"
#include "eimza-method-page.h"
#include "eimza-renewal-form.h"
#include "eimza-result-page.h"
#include "eimza-sms-page.h"
#include "eimza-welcome-page.h"
#include "eimza-window.h"

struct _EimzaWindow
{
  GtkApplicationWindow parent_instance;

  EimzaRenewalForm *form;
  EimzaPortalSession *session;
  GSettings *settings;
  int width;
  int height;
  gboolean maximized;

  /* Made when first shown, so that start-up builds the welcome page only. */
  EimzaLoginPage *login_page;
  EimzaFormPage *form_page;
  EimzaSmsPage *sms_page;
  EimzaMethodPage *method_page;
  EimzaResultPage *result_page;

  /* Open card dialogs, made when asked for. */
  GtkWidget *certificates_dialog;
  GtkWidget *diagnostics_dialog;

  /* template */
  GtkHeaderBar *header_bar;
  EimzaCardStatusButton *card_status_button;
  GtkWidget *back_button;
  GtkStack *stack;
  EimzaWelcomePage *welcome_page;
};

G_DEFINE_FINAL_TYPE (EimzaWindow, eimza_window, GTK_TYPE_APPLICATION_WINDOW)

/* The pages in the order a person walks through them; "back" goes one up,
 * as far as the form. Once the portal has the form, its later steps only go
 * forward: the portal does not take a page back. */
static const char * const page_order[] = { "welcome", "login", "form" };

static int
current_page_index (EimzaWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < G_N_ELEMENTS (page_order); i++)
    {
      if (g_strcmp0 (name, page_order[i]) == 0)
        return i;
    }

  return 0;
}

static void
show_page (EimzaWindow *self,
           const char  *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

static gboolean
can_go_back (EimzaWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  return g_strcmp0 (name, "login") == 0 || g_strcmp0 (name, "form") == 0;
}

static void
visible_page_changed_cb (EimzaWindow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);
  g_autofree char *title = NULL;
  gboolean back_allowed = can_go_back (self);
  GAction *back = g_action_map_lookup_action (G_ACTION_MAP (self), "go-back");

  gtk_container_child_get (GTK_CONTAINER (self->stack), page, "title", &title, NULL);
  gtk_header_bar_set_subtitle (self->header_bar, title);

  gtk_widget_set_visible (self->back_button, back_allowed);
  if (back != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (back), back_allowed);
}

static void logged_in_cb      (EimzaWindow               *self);
static void form_submitted_cb (EimzaWindow               *self,
                               const EimzaPortalSmsState *state);
static void sms_verified_cb   (EimzaWindow               *self,
                               gboolean                   eonay_available);
static void applied_cb        (EimzaWindow               *self,
                               const char                *number);
static void done_cb           (EimzaWindow               *self);
static void session_ended_cb  (EimzaWindow               *self,
                               const GError              *error);

static gpointer
add_page (EimzaWindow *self,
          GType        type,
          const char  *name,
          const char  *title)
{
  GtkWidget *page = g_object_new (type, "visible", TRUE, NULL);

  gtk_stack_add_titled (self->stack, page, name, title);

  return page;
}

static void
ensure_pages_up_to_form (EimzaWindow *self)
{
  if (self->login_page != NULL)
    return;

  eimza_application_ensure_style (EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));

  self->login_page = add_page (self, EIMZA_TYPE_LOGIN_PAGE, "login", _("Step 1 of 4: Sign in"));
  eimza_login_page_set_form (self->login_page, self->form);
  g_signal_connect_object (self->login_page, "continue",
                           G_CALLBACK (logged_in_cb), self, G_CONNECT_SWAPPED);

  self->form_page = add_page (self, EIMZA_TYPE_FORM_PAGE, "form",
                              _("Step 2 of 4: Application form"));
  eimza_form_page_set_form (self->form_page, self->form);
  g_signal_connect_object (self->form_page, "submitted",
                           G_CALLBACK (form_submitted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form_page, "session-ended",
                           G_CALLBACK (session_ended_cb), self, G_CONNECT_SWAPPED);
}

static void
ensure_portal_pages (EimzaWindow *self)
{
  if (self->sms_page != NULL)
    return;

  self->sms_page = add_page (self, EIMZA_TYPE_SMS_PAGE, "sms", _("Step 3 of 4: SMS approval"));
  g_signal_connect_object (self->sms_page, "verified",
                           G_CALLBACK (sms_verified_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sms_page, "session-ended",
                           G_CALLBACK (session_ended_cb), self, G_CONNECT_SWAPPED);

  self->method_page = add_page (self, EIMZA_TYPE_METHOD_PAGE, "method",
                                _("Step 4 of 4: Signing method"));
  g_signal_connect_object (self->method_page, "applied",
                           G_CALLBACK (applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->method_page, "session-ended",
                           G_CALLBACK (session_ended_cb), self, G_CONNECT_SWAPPED);

  self->result_page = add_page (self, EIMZA_TYPE_RESULT_PAGE, "result",
                                _("Application received"));
  g_signal_connect_object (self->result_page, "done",
                           G_CALLBACK (done_cb), self, G_CONNECT_SWAPPED);
}

/* Shows the sign-in page, creating the portal session on first use so that
 * start-up does not pay for it. @error (nullable) says why the person is
 * back on this page. */
static void
show_login_page (EimzaWindow  *self,
                 const GError *error)
{
  g_autoptr(GError) setup_error = NULL;

  ensure_pages_up_to_form (self);

  if (self->session == NULL)
    self->session = eimza_application_create_portal_session (
      EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))), &setup_error);

  if (self->session != NULL)
    eimza_form_page_set_session (self->form_page, self->session);

  eimza_login_page_start (self->login_page, self->session,
                          setup_error != NULL ? setup_error : error);
  show_page (self, "login");
}

static void
renewal_chosen_cb (EimzaWindow *self)
{
  show_login_page (self, NULL);
}

static void
logged_in_cb (EimzaWindow *self)
{
  show_page (self, "form");
}

static void
form_submitted_cb (EimzaWindow               *self,
                   const EimzaPortalSmsState *state)
{
  ensure_portal_pages (self);
  eimza_sms_page_start (self->sms_page, self->session, state);
  show_page (self, "sms");
}

static void
sms_verified_cb (EimzaWindow *self,
                 gboolean     eonay_available)
{
  eimza_method_page_start (self->method_page, self->session, eonay_available);
  show_page (self, "method");
}

static void
applied_cb (EimzaWindow *self,
            const char  *number)
{
  eimza_result_page_set_application_number (self->result_page, number);
  show_page (self, "result");
}

static void
done_cb (EimzaWindow *self)
{
  show_page (self, "welcome");
}

/* Everything typed is still in the form: only the captcha is new. */
static void
session_ended_cb (EimzaWindow  *self,
                  const GError *error)
{
  show_login_page (self, error);
}

static void
go_back_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  EimzaWindow *self = user_data;
  int index = current_page_index (self);

  if (!can_go_back (self))
    return;

  if (g_strcmp0 (page_order[index - 1], "login") == 0)
    show_login_page (self, NULL);
  else
    show_page (self, page_order[index - 1]);
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
    }

  gtk_window_present (GTK_WINDOW (shortcuts));
}

/* Shows the card dialog kept in *@slot, made by the card module the first
 * time. Without the module there is nothing to show; the card status says
 * why. */
static void
present_card_dialog (EimzaWindow  *self,
                     GtkWidget   **slot,
                     gboolean      diagnostics)
{
  EimzaApplication *application =
    EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const EimzaCardUi *card_ui;
  GObject *service;

  if (self->card_status_button != NULL)
    gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->card_status_button)));

  if (*slot == NULL)
    {
      service = eimza_application_ensure_card_service (application);
      card_ui = eimza_application_get_card_ui (application);
      if (service == NULL || card_ui == NULL)
        return;

      *slot = diagnostics ? card_ui->diagnostics_dialog_new (GTK_WINDOW (self), service)
                          : card_ui->certificates_dialog_new (GTK_WINDOW (self), service);
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

static const GActionEntry win_actions[] = {
  { "go-back", go_back_activated_cb, NULL, NULL, NULL, { 0 } },
  { "show-shortcuts", show_shortcuts_activated_cb, NULL, NULL, NULL, { 0 } },
  { "show-certificates", show_certificates_activated_cb, NULL, NULL, NULL, { 0 } },
  { "show-diagnostics", show_diagnostics_activated_cb, NULL, NULL, NULL, { 0 } },
};

/* The application loads the card module and starts the card service after
 * the first frame; from then on the module's controller drives the card
 * status. */
static void
card_service_changed_cb (EimzaWindow *self)
{
  EimzaApplication *application =
    EIMZA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const EimzaCardUi *card_ui = eimza_application_get_card_ui (application);
  const char *error = eimza_application_get_card_ui_error (application);
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

  if (card_ui != NULL)
    {
      card_ui->status_button_follow (self->card_status_button,
                                     eimza_application_get_card_service (application));
      return;
    }

  if (error == NULL)
    return;

  /* TRANSLATORS: %s is the technical reason (from the dynamic loader) */
  text = g_strdup_printf (_("The application’s card support (eimza-card-ui.so) could not be "
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

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_object (&self->form);

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

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  self->form = eimza_renewal_form_new (NULL);

  self->settings = lookup_settings ();
  restore_window_state (self);

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
  g_signal_connect_object (application, "notify::card-service",
                           G_CALLBACK (card_service_changed_cb), self, G_CONNECT_SWAPPED);
  card_service_changed_cb (self);

  return self;
}
