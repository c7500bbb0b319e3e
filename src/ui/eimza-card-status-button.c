/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The header bar's card status: reader, card and certificates at a glance, with advice. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-status-button.h"

struct _EimzaCardStatusButton
{
  GtkMenuButton parent_instance;

  /* The card module's controller, which calls eimza_card_status_button_show(). */
  GObject *controller;

  /* What the popover says; its content is built when it first opens, so
   * that start-up builds the button only. */
  char *title;
  char *text;
  gboolean unblock_offered;
  GtkLabel *popover_title;
  GtkLabel *popover_text;
  GtkButton *unblock_button;

  /* template */
  GtkImage *icon;
  GtkLabel *label;
  GtkPopover *popover;
};

G_DEFINE_FINAL_TYPE (EimzaCardStatusButton, eimza_card_status_button, GTK_TYPE_MENU_BUTTON)

static void
update_popover (EimzaCardStatusButton *self)
{
  if (self->popover_title == NULL)
    return;

  if (self->title != NULL)
    gtk_label_set_text (self->popover_title, self->title);
  if (self->text != NULL)
    gtk_label_set_text (self->popover_text, self->text);

  /* Loud only when the card needs it; otherwise it stays out of the way. */
  gtk_button_set_label (self->unblock_button,
                        self->unblock_offered ? _("Set PIN / _Unlock…")
                                              : _("New PIN with the _PUK…"));
  gtk_button_set_relief (self->unblock_button,
                         self->unblock_offered ? GTK_RELIEF_NORMAL : GTK_RELIEF_NONE);
  if (self->unblock_offered)
    gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->unblock_button)),
                                 "suggested-action");
  else
    gtk_style_context_remove_class (
      gtk_widget_get_style_context (GTK_WIDGET (self->unblock_button)), "suggested-action");
}

static void
ensure_popover_content (EimzaCardStatusButton *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->popover_title != NULL)
    return;

  builder = gtk_builder_new ();
  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);
  gtk_builder_add_from_resource (builder,
                                 "/io/github/eimza/Asistan/eimza-card-status-popover.ui", NULL);

  /* The popover (in the window) owns the content and its labels. */
  gtk_container_add (GTK_CONTAINER (self->popover),
                     GTK_WIDGET (gtk_builder_get_object (builder, "content")));
  self->popover_title = GTK_LABEL (gtk_builder_get_object (builder, "popover_title"));
  self->popover_text = GTK_LABEL (gtk_builder_get_object (builder, "popover_text"));
  self->unblock_button = GTK_BUTTON (gtk_builder_get_object (builder, "unblock_button"));

  update_popover (self);
}

static void
eimza_card_status_button_toggled (GtkToggleButton *button)
{
  EimzaCardStatusButton *self = EIMZA_CARD_STATUS_BUTTON (button);

  if (gtk_toggle_button_get_active (button))
    ensure_popover_content (self);

  GTK_TOGGLE_BUTTON_CLASS (eimza_card_status_button_parent_class)->toggled (button);
}

void
eimza_card_status_button_show (EimzaCardStatusButton *self,
                               const char            *icon_name,
                               const char            *label,
                               const char            *title,
                               const char            *text)
{
  AtkObject *accessible;

  g_return_if_fail (EIMZA_IS_CARD_STATUS_BUTTON (self));

  gtk_image_set_from_icon_name (self->icon, icon_name, GTK_ICON_SIZE_BUTTON);
  gtk_label_set_text (self->label, label);

  g_free (self->title);
  self->title = g_strdup (title);
  g_free (self->text);
  self->text = g_strdup (text);
  update_popover (self);

  /* Screen readers (and the GUI test) read the status from the button. */
  accessible = gtk_widget_get_accessible (GTK_WIDGET (self));
  atk_object_set_name (accessible, label);
  atk_object_set_description (accessible, text);
}

void
eimza_card_status_button_set_unblock_offered (EimzaCardStatusButton *self,
                                              gboolean               offered)
{
  g_return_if_fail (EIMZA_IS_CARD_STATUS_BUTTON (self));

  self->unblock_offered = offered;
  update_popover (self);
}

void
eimza_card_status_button_set_controller (EimzaCardStatusButton *self,
                                         GObject               *controller)
{
  g_return_if_fail (EIMZA_IS_CARD_STATUS_BUTTON (self));
  g_return_if_fail (controller == NULL || G_IS_OBJECT (controller));

  g_set_object (&self->controller, controller);
}

static void
eimza_card_status_button_dispose (GObject *object)
{
  EimzaCardStatusButton *self = EIMZA_CARD_STATUS_BUTTON (object);

  /* The controller must not show anything on a button going away. */
  g_clear_object (&self->controller);
  self->popover_title = NULL;
  self->popover_text = NULL;
  self->unblock_button = NULL;

  G_OBJECT_CLASS (eimza_card_status_button_parent_class)->dispose (object);
}

static void
eimza_card_status_button_finalize (GObject *object)
{
  EimzaCardStatusButton *self = EIMZA_CARD_STATUS_BUTTON (object);

  g_free (self->title);
  g_free (self->text);

  G_OBJECT_CLASS (eimza_card_status_button_parent_class)->finalize (object);
}

static void
eimza_card_status_button_class_init (EimzaCardStatusButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkToggleButtonClass *toggle_class = GTK_TOGGLE_BUTTON_CLASS (klass);

  object_class->dispose = eimza_card_status_button_dispose;
  object_class->finalize = eimza_card_status_button_finalize;
  toggle_class->toggled = eimza_card_status_button_toggled;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/eimza/Asistan/eimza-card-status-button.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaCardStatusButton, icon);
  gtk_widget_class_bind_template_child (widget_class, EimzaCardStatusButton, label);
  gtk_widget_class_bind_template_child (widget_class, EimzaCardStatusButton, popover);
}

static void
eimza_card_status_button_init (EimzaCardStatusButton *self)
{
  /* The template says "checking" until the card module takes over. */
  gtk_widget_init_template (GTK_WIDGET (self));
}
