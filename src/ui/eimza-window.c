/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: header bar and the stack of pages it walks through. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-form-page.h"
#include "eimza-login-page.h"
#include "eimza-renewal-form.h"
#include "eimza-welcome-page.h"
#include "eimza-window.h"

struct _EimzaWindow
{
  GtkApplicationWindow parent_instance;

  EimzaRenewalForm *form;
  GSettings *settings;
  int width;
  int height;
  gboolean maximized;

  /* template */
  GtkHeaderBar *header_bar;
  GtkWidget *back_button;
  GtkStack *stack;
  EimzaWelcomePage *welcome_page;
  EimzaLoginPage *login_page;
  EimzaFormPage *form_page;
};

G_DEFINE_FINAL_TYPE (EimzaWindow, eimza_window, GTK_TYPE_APPLICATION_WINDOW)

/* The pages in the order a person walks through them; "back" goes one up. */
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

static void
visible_page_changed_cb (EimzaWindow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);
  g_autofree char *title = NULL;
  gboolean can_go_back = current_page_index (self) > 0;
  GAction *back = g_action_map_lookup_action (G_ACTION_MAP (self), "go-back");

  gtk_container_child_get (GTK_CONTAINER (self->stack), page, "title", &title, NULL);
  gtk_header_bar_set_subtitle (self->header_bar, title);

  gtk_widget_set_visible (self->back_button, can_go_back);
  if (back != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (back), can_go_back);
}

static void
renewal_chosen_cb (EimzaWindow *self)
{
  show_page (self, "login");
}

static void
login_continue_cb (EimzaWindow *self)
{
  show_page (self, "form");
}

static void
go_back_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  EimzaWindow *self = user_data;
  int index = current_page_index (self);

  if (index > 0)
    show_page (self, page_order[index - 1]);
}

static const GActionEntry win_actions[] = {
  { "go-back", go_back_activated_cb, NULL, NULL, NULL, { 0 } },
};

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

  g_clear_object (&self->settings);
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
  g_type_ensure (EIMZA_TYPE_LOGIN_PAGE);
  g_type_ensure (EIMZA_TYPE_FORM_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, EimzaWindow, form_page);
  gtk_widget_class_bind_template_callback (widget_class, visible_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, renewal_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_continue_cb);
}

static void
eimza_window_init (EimzaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  self->form = eimza_renewal_form_new (NULL);
  eimza_login_page_set_form (self->login_page, self->form);
  eimza_form_page_set_form (self->form_page, self->form);

  self->settings = lookup_settings ();
  restore_window_state (self);

  visible_page_changed_cb (self);
}

EimzaWindow *
eimza_window_new (EimzaApplication *application)
{
  return g_object_new (EIMZA_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
