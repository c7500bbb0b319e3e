/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The header bar's "Demo" badge: a button whose popover explains the demo. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-demo-badge.h"

struct _EimzaDemoBadge
{
  GtkMenuButton parent_instance;

  EimzaDemo *demo;

  /* In the popover: the facts a person types while walking the demo. */
  GtkGrid *facts;
  GtkLabel *card_problem;
  GtkLabel *sms_code;
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

static GtkLabel *
new_label (const char *text,
           const char *style_class)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "visible", TRUE,
                                   "label", text,
                                   "wrap", TRUE,
                                   "max-width-chars", 40,
                                   "xalign", 0.0f,
                                   NULL);

  if (style_class != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style_class);

  return GTK_LABEL (label);
}

/* One "name  value" row of the facts; the value is what a person types,
 * so a screen reader reads it with its name (labelled-by). */
static GtkLabel *
add_fact (EimzaDemoBadge *self,
          const char     *name,
          const char     *value)
{
  GtkLabel *name_label = new_label (name, "dim-label");
  GtkLabel *value_label = new_label (value != NULL ? value : "", NULL);
  AtkObject *name_accessible = gtk_widget_get_accessible (GTK_WIDGET (name_label));
  AtkObject *value_accessible = gtk_widget_get_accessible (GTK_WIDGET (value_label));
  int row = 0;

  gtk_label_set_xalign (name_label, 1.0f);
  gtk_widget_set_valign (GTK_WIDGET (name_label), GTK_ALIGN_START);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (value_label)),
                               "demo-fact");
  atk_object_add_relationship (value_accessible, ATK_RELATION_LABELLED_BY, name_accessible);
  atk_object_add_relationship (name_accessible, ATK_RELATION_LABEL_FOR, value_accessible);

  while (gtk_grid_get_child_at (self->facts, 0, row) != NULL)
    row++;
  gtk_grid_attach (self->facts, GTK_WIDGET (name_label), 0, row, 1, 1);
  gtk_grid_attach (self->facts, GTK_WIDGET (value_label), 1, row, 1, 1);

  return value_label;
}

static void
update_sms_code (EimzaDemoBadge *self)
{
  g_autofree char *sms_code = read_last_sms_code (self);

  gtk_label_set_text (self->sms_code, sms_code != NULL ? sms_code : _("None sent yet"));
}

static void
eimza_demo_badge_toggled (GtkToggleButton *button)
{
  EimzaDemoBadge *self = EIMZA_DEMO_BADGE (button);
  gboolean active = gtk_toggle_button_get_active (button);

  /* Read again each time: the SMS code changes while the demo runs. */
  if (active && self->demo != NULL)
    update_sms_code (self);
  /* The tooltip would cover the popover that says more. */
  gtk_widget_set_has_tooltip (GTK_WIDGET (button), !active);

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

  gtk_widget_show (label);
  gtk_container_add (GTK_CONTAINER (self), label);

  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "demo-badge");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("Demo: simulated portal and virtual card"));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _("Demo"));
}

/* The popover: what the demo is, then the facts in a table. */
static void
build_popover (EimzaDemoBadge *self)
{
  GtkWidget *popover = gtk_popover_new (GTK_WIDGET (self));
  GtkWidget *box = g_object_new (GTK_TYPE_BOX,
                                 "visible", TRUE,
                                 "orientation", GTK_ORIENTATION_VERTICAL,
                                 "spacing", 12,
                                 "margin", 18,
                                 NULL);
  const char *problem = eimza_demo_get_card_problem (self->demo);

  gtk_style_context_add_class (gtk_widget_get_style_context (popover), "demo-popover");
  gtk_container_add (GTK_CONTAINER (box),
                     GTK_WIDGET (new_label (_("Demonstration"), "demo-title")));
  gtk_container_add (GTK_CONTAINER (box),
                     GTK_WIDGET (new_label (_("The portal is a simulator running on this "
                                              "computer, and nothing you enter leaves it. "
                                              "Everything is deleted when you close the "
                                              "window."), NULL)));
  gtk_container_add (GTK_CONTAINER (box),
                     GTK_WIDGET (new_label (_("Sign in to the portal as this person:"),
                                            "demo-heading")));

  self->facts = g_object_new (GTK_TYPE_GRID,
                              "visible", TRUE,
                              "column-spacing", 12,
                              "row-spacing", 6,
                              NULL);
  gtk_container_add (GTK_CONTAINER (box), GTK_WIDGET (self->facts));
  add_fact (self, _("Name"), eimza_demo_get_given_name (self->demo));
  add_fact (self, _("Surname"), eimza_demo_get_surname (self->demo));
  add_fact (self, _("T.C. Kimlik No"), eimza_demo_get_tckn (self->demo));
  add_fact (self, _("Place of birth"), eimza_demo_get_birth_place (self->demo));
  add_fact (self, _("Date of birth"), eimza_demo_get_birth_date (self->demo));
  if (problem == NULL)
    {
      add_fact (self, _("Virtual card"), eimza_demo_get_token_label (self->demo));
      add_fact (self, _("Card PIN"), eimza_demo_get_pin (self->demo));
      /* The envelope's code, to unlock the card after locking it on purpose. */
      add_fact (self, _("Unblock code (PUK)"), eimza_demo_get_puk (self->demo));
      /* Chosen in the application that gave the card; Kamu SM's Şifreli
       * Giriş asks for it before it hands the unblock code over. */
      add_fact (self, _("Security word"), eimza_demo_get_security_word (self->demo));
    }
  self->sms_code = add_fact (self, _("Last SMS code"), NULL);
  update_sms_code (self);

  if (problem != NULL)
    {
      self->card_problem = new_label (problem, "demo-card-problem");
      gtk_container_add (GTK_CONTAINER (box), GTK_WIDGET (self->card_problem));
    }

  gtk_container_add (GTK_CONTAINER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self), popover);
}

GtkWidget *
eimza_demo_badge_new (EimzaDemo *demo)
{
  EimzaDemoBadge *self;

  g_return_val_if_fail (EIMZA_IS_DEMO (demo), NULL);

  self = g_object_new (EIMZA_TYPE_DEMO_BADGE, "visible", TRUE, NULL);
  self->demo = g_object_ref (demo);
  /* A menu button without a popover is insensitive: it gets one now. */
  build_popover (self);

  return GTK_WIDGET (self);
}
