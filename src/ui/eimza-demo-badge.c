/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The header bar's "Demo" badge: a button whose popover explains the demo. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-demo-badge.h"

struct _EimzaDemoBadge
{
  GtkMenuButton parent_instance;

  EimzaDemo *demo;
  GtkLabel *facts;  /* in the popover */
};

G_DEFINE_FINAL_TYPE (EimzaDemoBadge, eimza_demo_badge, GTK_TYPE_MENU_BUTTON)

/* The code of the simulator's last SMS ("<time> <phone> <code>" lines), or
 * %NULL before the first. */
static char *
read_last_sms_code (EimzaDemoBadge *self)
{
  const char *path = eimza_demo_get_sms_log_file (self->demo);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) words = NULL;
  guint n;

  if (path == NULL || !g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  n = g_strv_length (lines);
  if (n == 0)
    return NULL;

  words = g_strsplit (lines[n - 1], " ", -1);
  n = g_strv_length (words);

  return n >= 3 ? g_strdup (words[n - 1]) : NULL;
}

static void
update_facts (EimzaDemoBadge *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *sms_code = read_last_sms_code (self);

  g_string_append (text, _("This is a demonstration: the portal is a simulator running on "
                           "this computer, and nothing you enter leaves it. Everything is "
                           "deleted when you close the window."));
  g_string_append (text, "\n\n");
  /* TRANSLATORS: the demo person: name, T.C. Kimlik No, birth place, birth date */
  g_string_append_printf (text, _("Sign in as %s %s, T.C. Kimlik No %s, born in %s on %s."),
                          eimza_demo_get_given_name (self->demo),
                          eimza_demo_get_surname (self->demo),
                          eimza_demo_get_tckn (self->demo),
                          eimza_demo_get_birth_place (self->demo),
                          eimza_demo_get_birth_date (self->demo));
  g_string_append (text, "\n\n");

  if (eimza_demo_get_card_problem (self->demo) != NULL)
    g_string_append (text, eimza_demo_get_card_problem (self->demo));
  else
    /* TRANSLATORS: %s is the virtual card's name, %s its PIN */
    g_string_append_printf (text, _("The virtual card “%s” is in place; its PIN is %s."),
                            eimza_demo_get_token_label (self->demo),
                            eimza_demo_get_pin (self->demo));
  g_string_append (text, "\n\n");

  if (sms_code != NULL)
    /* TRANSLATORS: %s is the code of the last SMS the simulated portal sent */
    g_string_append_printf (text, _("Last SMS code: %s"), sms_code);
  else
    g_string_append (text, _("SMS codes appear here once the portal sends one."));

  gtk_label_set_text (self->facts, text->str);
}

static void
eimza_demo_badge_toggled (GtkToggleButton *button)
{
  EimzaDemoBadge *self = EIMZA_DEMO_BADGE (button);

  /* Read again each time: the SMS code changes while the demo runs. */
  if (gtk_toggle_button_get_active (button))
    update_facts (self);

  GTK_TOGGLE_BUTTON_CLASS (eimza_demo_badge_parent_class)->toggled (button);
}

static void
eimza_demo_badge_dispose (GObject *object)
{
  EimzaDemoBadge *self = EIMZA_DEMO_BADGE (object);

  g_clear_object (&self->demo);

  G_OBJECT_CLASS (eimza_demo_badge_parent_class)->dispose (object);
}

static void
eimza_demo_badge_class_init (EimzaDemoBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkToggleButtonClass *toggle_class = GTK_TOGGLE_BUTTON_CLASS (klass);

  object_class->dispose = eimza_demo_badge_dispose;
  toggle_class->toggled = eimza_demo_badge_toggled;
}

static void
eimza_demo_badge_init (EimzaDemoBadge *self)
{
  GtkWidget *label = gtk_label_new (_("Demo"));
  GtkWidget *popover;

  gtk_widget_show (label);
  gtk_container_add (GTK_CONTAINER (self), label);

  /* A menu button without a popover is insensitive: it gets one now. */
  popover = gtk_popover_new (GTK_WIDGET (self));
  self->facts = g_object_new (GTK_TYPE_LABEL,
                              "visible", TRUE,
                              "wrap", TRUE,
                              "max-width-chars", 44,
                              "xalign", 0.0f,
                              "margin", 12,
                              NULL);
  gtk_container_add (GTK_CONTAINER (popover), GTK_WIDGET (self->facts));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self), popover);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "demo-badge");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("Demo: simulated portal and virtual card"));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _("Demo"));
}

GtkWidget *
eimza_demo_badge_new (EimzaDemo *demo)
{
  EimzaDemoBadge *self;

  g_return_val_if_fail (EIMZA_IS_DEMO (demo), NULL);

  self = g_object_new (EIMZA_TYPE_DEMO_BADGE, "visible", TRUE, NULL);
  self->demo = g_object_ref (demo);

  return GTK_WIDGET (self);
}
