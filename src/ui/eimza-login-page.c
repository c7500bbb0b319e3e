/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 1: the application portal's sign-in page (captcha and identity). */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-field-row.h"
#include "eimza-login-page.h"
#include "eimza-page-status.h"
#include "eimza-validation.h"

/* Where the calendar opens when no date has been typed yet. */
#define CALENDAR_DEFAULT_AGE_YEARS 40

struct _EimzaLoginPage
{
  GtkBin parent_instance;

  EimzaRenewalForm *form;

  /* template */
  GtkWidget *content_box;
  GtkEntry *birth_date_entry;
  GtkPopover *calendar_popover;
  GtkCalendar *birth_date_calendar;
  GtkLabel *status_label;
  GtkWidget *continue_button;
};

G_DEFINE_FINAL_TYPE (EimzaLoginPage, eimza_login_page, GTK_TYPE_BIN)

enum {
  CONTINUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_status (EimzaLoginPage *self)
{
  eimza_page_status_update (self->form, EIMZA_STEP_LOGIN,
                            self->status_label, self->continue_button);
}

static void
continue_clicked_cb (EimzaLoginPage *self)
{
  if (!eimza_renewal_form_check_step (self->form, EIMZA_STEP_LOGIN))
    {
      eimza_field_rows_reveal_errors (self->content_box);
      return;
    }

  g_signal_emit (self, signals[CONTINUE], 0);
}

static void
birth_date_icon_pressed_cb (EimzaLoginPage       *self,
                            GtkEntryIconPosition  position,
                            GdkEvent             *event)
{
  GDate date;

  if (!eimza_birth_date_parse (gtk_entry_get_text (self->birth_date_entry), NULL, &date, NULL))
    {
      g_date_clear (&date, 1);
      g_date_set_time_t (&date, time (NULL));
      g_date_subtract_years (&date, CALENDAR_DEFAULT_AGE_YEARS);
    }

  gtk_calendar_select_month (self->birth_date_calendar,
                             g_date_get_month (&date) - 1, g_date_get_year (&date));
  gtk_calendar_select_day (self->birth_date_calendar, g_date_get_day (&date));
  gtk_popover_popup (self->calendar_popover);
}

static void
calendar_day_chosen_cb (EimzaLoginPage *self)
{
  guint year, month, day;
  g_autofree char *text = NULL;

  gtk_calendar_get_date (self->birth_date_calendar, &year, &month, &day);
  text = g_strdup_printf ("%02u.%02u.%04u", day, month + 1, year);
  gtk_entry_set_text (self->birth_date_entry, text);

  gtk_popover_popdown (self->calendar_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->birth_date_entry));
}

/* Enter in any entry continues, once the page is complete. */
static void
eimza_login_page_map (GtkWidget *widget)
{
  EimzaLoginPage *self = EIMZA_LOGIN_PAGE (widget);

  GTK_WIDGET_CLASS (eimza_login_page_parent_class)->map (widget);

  gtk_widget_grab_default (self->continue_button);
}

static void
eimza_login_page_dispose (GObject *object)
{
  EimzaLoginPage *self = EIMZA_LOGIN_PAGE (object);

  g_clear_object (&self->form);

  G_OBJECT_CLASS (eimza_login_page_parent_class)->dispose (object);
}

static void
eimza_login_page_class_init (EimzaLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_login_page_dispose;
  widget_class->map = eimza_login_page_map;

  /**
   * EimzaLoginPage::continue:
   *
   * The person asked to go on, and every field of the page is valid.
   */
  signals[CONTINUE] =
    g_signal_new ("continue",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (EIMZA_TYPE_FIELD_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, birth_date_entry);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, calendar_popover);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, birth_date_calendar);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaLoginPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, birth_date_icon_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_day_chosen_cb);
}

static void
eimza_login_page_init (EimzaLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
eimza_login_page_set_form (EimzaLoginPage   *self,
                           EimzaRenewalForm *form)
{
  g_return_if_fail (EIMZA_IS_LOGIN_PAGE (self));
  g_return_if_fail (EIMZA_IS_RENEWAL_FORM (form));
  g_return_if_fail (self->form == NULL);

  self->form = g_object_ref (form);
  eimza_field_rows_set_form (self->content_box, form);
  g_signal_connect_object (form, "field-changed",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  update_status (self);
}
