/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 2: the application form, with the identity from step 1 locked. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-field-row.h"
#include "eimza-form-page.h"
#include "eimza-geo.h"
#include "eimza-page-status.h"
#include "eimza-request-status.h"

struct _EimzaFormPage
{
  GtkBin parent_instance;

  EimzaRenewalForm *form;
  EimzaPortalSession *session;
  gboolean provinces_loaded;

  /* template */
  GtkScrolledWindow *scrolled_window;
  GtkWidget *content_box;
  GtkLabel *identity_tckn_label;
  GtkLabel *identity_given_name_label;
  GtkLabel *identity_surname_label;
  GtkLabel *identity_birth_place_label;
  GtkLabel *identity_birth_date_label;
  GtkLabel *identity_institution_registry_no_label;
  GtkLabel *identity_institution_name_label;
  GtkLabel *reason_explanation_label;
  GtkComboBoxText *province_combo;
  GtkComboBoxText *district_combo;
  EimzaRequestStatus *request_status;
  GtkLabel *status_label;
  GtkWidget *confirm_button;
};

G_DEFINE_FINAL_TYPE (EimzaFormPage, eimza_form_page, GTK_TYPE_BIN)

enum {
  SUBMITTED,
  SESSION_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_status (EimzaFormPage *self)
{
  eimza_page_status_update (self->form, EIMZA_STEP_FORM,
                            self->status_label, self->confirm_button);
  if (eimza_request_status_is_busy (self->request_status) || self->session == NULL)
    gtk_widget_set_sensitive (self->confirm_button, FALSE);
}

static void
show_identity_value (GtkLabel   *label,
                     const char *value,
                     const char *missing)
{
  gboolean empty = value == NULL || *value == '\0';

  gtk_label_set_text (label, empty ? missing : value);
  if (empty)
    gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (label)), "dim-label");
  else
    gtk_style_context_remove_class (gtk_widget_get_style_context (GTK_WIDGET (label)), "dim-label");
}

static void
update_identity (EimzaFormPage *self)
{
  const struct {
    GtkLabel *label;
    EimzaField field;
  } identity[] = {
    { self->identity_tckn_label, EIMZA_FIELD_TCKN },
    { self->identity_given_name_label, EIMZA_FIELD_GIVEN_NAME },
    { self->identity_surname_label, EIMZA_FIELD_SURNAME },
    { self->identity_birth_place_label, EIMZA_FIELD_BIRTH_PLACE },
    { self->identity_birth_date_label, EIMZA_FIELD_BIRTH_DATE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (identity); i++)
    show_identity_value (identity[i].label,
                         eimza_renewal_form_get_value (self->form, identity[i].field),
                         "—");

  /* Kamu SM takes these from the ministry's records (MEBBİS). */
  show_identity_value (self->identity_institution_registry_no_label,
                       eimza_renewal_form_get_value (self->form,
                                                     EIMZA_FIELD_INSTITUTION_REGISTRY_NO),
                       _("Filled in by the portal"));
  show_identity_value (self->identity_institution_name_label,
                       eimza_renewal_form_get_value (self->form, EIMZA_FIELD_INSTITUTION_NAME),
                       _("Filled in by the portal"));
}

static void
update_reason_explanation (EimzaFormPage *self)
{
  const char *reason = eimza_renewal_form_get_value (self->form, EIMZA_FIELD_REASON);
  const char *text = "";

  if (g_str_equal (reason, "renewal"))
    text = _("Your new certificate starts when your current one ends.");
  else if (g_str_equal (reason, "lost-stolen"))
    text = _("Your current certificate is revoked and a new one is issued.");
  else if (g_str_equal (reason, "other"))
    text = _("You get a new certificate in addition to your current one.");

  gtk_label_set_text (self->reason_explanation_label, text);
}

/* Fills the district list for the chosen province, keeping the chosen
 * district when it is still there. */
static void
update_districts (EimzaFormPage *self)
{
  EimzaGeo *geo = eimza_geo_get_default ();
  const char *plate = eimza_renewal_form_get_value (self->form, EIMZA_FIELD_PROVINCE);
  g_autofree char *district = g_strdup (eimza_renewal_form_get_value (self->form,
                                                                      EIMZA_FIELD_DISTRICT));
  guint province;

  gtk_combo_box_text_remove_all (self->district_combo);

  if (!eimza_geo_find_province (geo, plate, &province))
    {
      eimza_renewal_form_set_value (self->form, EIMZA_FIELD_DISTRICT, "");
      return;
    }

  for (guint i = 0; i < eimza_geo_get_n_districts (geo, province); i++)
    {
      const char *name = eimza_geo_get_district_name (geo, province, i);

      gtk_combo_box_text_append (self->district_combo, name, name);
    }

  if (!eimza_geo_find_district (geo, province, district, NULL))
    eimza_renewal_form_set_value (self->form, EIMZA_FIELD_DISTRICT, "");
  else
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->district_combo), district);
}

/* The province list is filled when the page is first shown, so that the
 * postal data is not parsed at start-up. */
static void
load_provinces (EimzaFormPage *self)
{
  EimzaGeo *geo;
  const char *plate;

  if (self->provinces_loaded || self->form == NULL)
    return;

  geo = eimza_geo_get_default ();
  for (guint i = 0; i < eimza_geo_get_n_provinces (geo); i++)
    gtk_combo_box_text_append (self->province_combo,
                               eimza_geo_get_province_plate (geo, i),
                               eimza_geo_get_province_name (geo, i));

  plate = eimza_renewal_form_get_value (self->form, EIMZA_FIELD_PROVINCE);
  if (*plate != '\0')
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->province_combo), plate);

  self->provinces_loaded = TRUE;
  update_districts (self);
}

static void
form_field_changed_cb (EimzaFormPage    *self,
                       EimzaField        field,
                       EimzaRenewalForm *form)
{
  switch (field)
    {
    case EIMZA_FIELD_PROVINCE:
      if (self->provinces_loaded)
        update_districts (self);
      break;

    case EIMZA_FIELD_REASON:
      update_reason_explanation (self);
      break;

    default:
      if (eimza_renewal_form_field_step (field) == EIMZA_STEP_LOGIN ||
          field == EIMZA_FIELD_INSTITUTION_REGISTRY_NO ||
          field == EIMZA_FIELD_INSTITUTION_NAME)
        update_identity (self);
      break;
    }

  update_status (self);
}

static void
form_submitted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  EimzaPortalSession *session = EIMZA_PORTAL_SESSION (source);
  EimzaFormPage *self;
  g_autoptr(EimzaPortalSmsState) state = NULL;
  g_autoptr(GError) error = NULL;

  state = eimza_portal_session_submit_form_finish (session, result, &error);
  /* Cancelled: the page may be gone, and Cancel already reset it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_FORM_PAGE (user_data);
  eimza_field_rows_set_server_errors (self->content_box,
                                      eimza_portal_session_get_field_errors (session));

  if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SESSION_EXPIRED))
    {
      eimza_request_status_end (self->request_status);
      g_signal_emit (self, signals[SESSION_ENDED], 0, error);
    }
  else if (state == NULL)
    {
      /* A refused field is fixed on the page; a lost connection is retried. */
      eimza_request_status_fail (self->request_status, error,
                                 eimza_portal_error_can_retry (error));
    }
  else
    {
      eimza_request_status_end (self->request_status);
      g_signal_emit (self, signals[SUBMITTED], 0, state);
    }

  update_status (self);
}

static void
confirm_clicked_cb (EimzaFormPage *self)
{
  GCancellable *cancellable;

  if (!eimza_renewal_form_check_step (self->form, EIMZA_STEP_FORM))
    {
      eimza_field_rows_reveal_errors (self->content_box);
      return;
    }

  cancellable = eimza_request_status_begin (self->request_status,
                                            _("Sending the form to the portal…"));
  eimza_portal_session_submit_form_async (self->session, self->form, cancellable,
                                          form_submitted_cb, self);
}

static void
eimza_form_page_map (GtkWidget *widget)
{
  EimzaFormPage *self = EIMZA_FORM_PAGE (widget);

  load_provinces (self);

  GTK_WIDGET_CLASS (eimza_form_page_parent_class)->map (widget);

  /* Enter in any entry confirms, once the form is complete. */
  gtk_widget_grab_default (self->confirm_button);
}

static void
eimza_form_page_dispose (GObject *object)
{
  EimzaFormPage *self = EIMZA_FORM_PAGE (object);

  g_clear_object (&self->form);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (eimza_form_page_parent_class)->dispose (object);
}

static void
eimza_form_page_class_init (EimzaFormPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_form_page_dispose;
  widget_class->map = eimza_form_page_map;

  /**
   * EimzaFormPage::submitted:
   * @state: what the portal's SMS page says
   *
   * The portal accepted the form.
   */
  signals[SUBMITTED] =
    g_signal_new ("submitted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, EIMZA_TYPE_PORTAL_SMS_STATE);

  /**
   * EimzaFormPage::session-ended:
   * @error: why the portal session ended
   */
  signals[SESSION_ENDED] =
    g_signal_new ("session-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (EIMZA_TYPE_FIELD_ROW);
  g_type_ensure (EIMZA_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-form-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, identity_tckn_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, identity_given_name_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, identity_surname_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, identity_birth_place_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, identity_birth_date_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage,
                                        identity_institution_registry_no_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage,
                                        identity_institution_name_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, reason_explanation_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, province_combo);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, district_combo);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, request_status);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaFormPage, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, confirm_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_status);
}

static void
eimza_form_page_init (EimzaFormPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Keep the focused field in view when moving with the keyboard. */
  gtk_container_set_focus_vadjustment (GTK_CONTAINER (self->content_box),
                                       gtk_scrolled_window_get_vadjustment (self->scrolled_window));
}

void
eimza_form_page_set_form (EimzaFormPage    *self,
                          EimzaRenewalForm *form)
{
  g_return_if_fail (EIMZA_IS_FORM_PAGE (self));
  g_return_if_fail (EIMZA_IS_RENEWAL_FORM (form));
  g_return_if_fail (self->form == NULL);

  self->form = g_object_ref (form);
  eimza_field_rows_set_form (self->content_box, form);
  g_signal_connect_object (form, "field-changed",
                           G_CALLBACK (form_field_changed_cb), self, G_CONNECT_SWAPPED);

  update_identity (self);
  update_reason_explanation (self);
  update_status (self);
}

void
eimza_form_page_set_session (EimzaFormPage      *self,
                             EimzaPortalSession *session)
{
  g_return_if_fail (EIMZA_IS_FORM_PAGE (self));
  g_return_if_fail (EIMZA_IS_PORTAL_SESSION (session));

  g_set_object (&self->session, session);
  eimza_request_status_end (self->request_status);
  update_status (self);
}
