/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One labelled input of a form page, kept in step with the renewal form and
 * showing why its value is refused. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-core-enums.h"
#include "eimza-field-row.h"
#include "eimza-validation.h"

/* The input is a GtkEntry, a GtkComboBox with ids, or a container of
 * GtkRadioButtons whose widget names are the choices' nicks. */
struct _EimzaFieldRow
{
  GtkBox parent_instance;

  EimzaRenewalForm *form;
  EimzaField field;
  GtkWidget *input;
  GtkLabel *title_label;
  GtkLabel *error_label;

  /* Errors are shown once the person has typed something and left the
   * input, not while typing the first characters, and not for an input
   * that merely had the focus on its way elsewhere. */
  gboolean edited;
  gboolean touched;
  gboolean syncing;

  /* What the portal said about the value, until the value changes. */
  char *server_error;
};

G_DEFINE_FINAL_TYPE (EimzaFieldRow, eimza_field_row, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_FIELD,
  PROP_LABEL,
  PROP_INPUT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static gboolean
is_phone_field (EimzaField field)
{
  return field == EIMZA_FIELD_WORK_PHONE ||
         field == EIMZA_FIELD_MOBILE_PHONE ||
         field == EIMZA_FIELD_HOME_PHONE;
}

static GList *
get_radio_buttons (EimzaFieldRow *self)
{
  if (!GTK_IS_CONTAINER (self->input) || GTK_IS_COMBO_BOX (self->input))
    return NULL;

  return gtk_container_get_children (GTK_CONTAINER (self->input));
}

static void
update_error (EimzaFieldRow *self)
{
  g_autoptr(GError) error = NULL;
  gboolean valid;
  gboolean show;
  AtkObject *accessible;

  if (self->form == NULL || self->input == NULL)
    return;

  valid = eimza_renewal_form_check_field (self->form, self->field, &error);
  if (valid && self->server_error != NULL)
    {
      valid = FALSE;
      error = g_error_new_literal (EIMZA_VALIDATION_ERROR, EIMZA_VALIDATION_ERROR_FORMAT,
                                   self->server_error);
    }
  show = !valid && (self->touched || self->server_error != NULL);

  gtk_label_set_text (self->error_label, show ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), show);

  if (show)
    gtk_style_context_add_class (gtk_widget_get_style_context (self->input), "error");
  else
    gtk_style_context_remove_class (gtk_widget_get_style_context (self->input), "error");

  /* Screen readers announce the problem with the input itself. */
  accessible = gtk_widget_get_accessible (self->input);
  atk_object_set_description (accessible, show ? error->message : "");
}

/* Phone numbers are shown the way people write them, 5XX XXX XX XX,
 * whatever way they were typed or pre-filled; other values as they are. */
static char *
format_for_display (EimzaFieldRow *self,
                    const char    *value)
{
  g_autofree char *digits = NULL;

  if (is_phone_field (self->field) &&
      (eimza_mobile_phone_parse (value, &digits, NULL) ||
       eimza_landline_phone_parse (value, &digits, NULL)))
    return eimza_phone_format (digits);

  return g_strdup (value);
}

/* Puts the form's value into the input, for values set elsewhere (going
 * back, or the portal filling a field in). */
static void
sync_input_from_form (EimzaFieldRow *self)
{
  const char *value = eimza_renewal_form_get_value (self->form, self->field);
  g_autoptr(GList) radios = NULL; /* transfer container */

  self->syncing = TRUE;

  /* A value the entry itself just stored is left alone: reformatting it
   * would move the text under the person's cursor while typing. */
  if (GTK_IS_ENTRY (self->input))
    {
      if (g_strcmp0 (gtk_entry_get_text (GTK_ENTRY (self->input)), value) != 0)
        {
          g_autofree char *shown = format_for_display (self, value);

          gtk_entry_set_text (GTK_ENTRY (self->input), shown);
        }
    }
  else if (GTK_IS_COMBO_BOX (self->input))
    {
      if (g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->input)), value) != 0)
        gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->input), *value != '\0' ? value : NULL);
    }
  else
    {
      radios = get_radio_buttons (self);
      for (GList *l = radios; l != NULL; l = l->next)
        {
          if (GTK_IS_RADIO_BUTTON (l->data) &&
              g_strcmp0 (gtk_widget_get_name (l->data), value) == 0)
            gtk_toggle_button_set_active (l->data, TRUE);
        }
    }

  self->syncing = FALSE;
}

static void
form_field_changed_cb (EimzaFieldRow    *self,
                       EimzaField        field,
                       EimzaRenewalForm *form)
{
  if (field == self->field)
    {
      g_clear_pointer (&self->server_error, g_free);
      sync_input_from_form (self);
    }

  /* Some checks depend on other fields, e.g. the postal code on the district. */
  update_error (self);
}

static void
store_value (EimzaFieldRow *self,
             const char    *value)
{
  if (self->syncing || self->form == NULL)
    return;

  eimza_renewal_form_set_value (self->form, self->field, value);
}

static void
entry_changed_cb (EimzaFieldRow *self,
                  GtkEntry      *entry)
{
  if (!self->syncing)
    self->edited = TRUE;

  store_value (self, gtk_entry_get_text (entry));
}

static void
combo_changed_cb (EimzaFieldRow *self,
                  GtkComboBox   *combo)
{
  const char *id = gtk_combo_box_get_active_id (combo);

  if (!self->syncing)
    self->touched = TRUE;

  store_value (self, id != NULL ? id : "");
}

static void
radio_toggled_cb (EimzaFieldRow  *self,
                  GtkToggleButton *radio)
{
  if (gtk_toggle_button_get_active (radio))
    store_value (self, gtk_widget_get_name (GTK_WIDGET (radio)));
}

static gboolean
input_focus_out_cb (EimzaFieldRow *self,
                    GdkEvent      *event,
                    GtkWidget     *input)
{
  if (self->edited)
    self->touched = TRUE;

  if (GTK_IS_ENTRY (input) &&
      eimza_renewal_form_check_field (self->form, self->field, NULL))
    {
      g_autofree char *shown = format_for_display (self, gtk_entry_get_text (GTK_ENTRY (input)));

      gtk_entry_set_text (GTK_ENTRY (input), shown);
    }

  update_error (self);

  return GDK_EVENT_PROPAGATE;
}

static void
connect_input (EimzaFieldRow *self)
{
  g_autoptr(GList) radios = NULL; /* transfer container */

  if (GTK_IS_ENTRY (self->input))
    {
      g_signal_connect_object (self->input, "changed",
                               G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->input, "focus-out-event",
                               G_CALLBACK (input_focus_out_cb), self, G_CONNECT_SWAPPED);
    }
  else if (GTK_IS_COMBO_BOX (self->input))
    {
      g_signal_connect_object (self->input, "changed",
                               G_CALLBACK (combo_changed_cb), self, G_CONNECT_SWAPPED);
    }
  else
    {
      radios = get_radio_buttons (self);
      for (GList *l = radios; l != NULL; l = l->next)
        {
          if (GTK_IS_RADIO_BUTTON (l->data))
            g_signal_connect_object (l->data, "toggled",
                                     G_CALLBACK (radio_toggled_cb), self, G_CONNECT_SWAPPED);
        }
    }
}

/* The accessible name is the label without the mnemonic underscore and the
 * required-field star, so assistive technologies and tests find it by name. */
static void
update_accessible_name (EimzaFieldRow *self)
{
  const char *text = gtk_label_get_text (self->title_label);
  g_autofree char *name = NULL;

  if (self->input == NULL || text == NULL)
    return;

  name = g_strdup (text);
  if (g_str_has_suffix (name, " *"))
    name[strlen (name) - 2] = '\0';

  atk_object_set_name (gtk_widget_get_accessible (self->input), name);
}

static void
set_label (EimzaFieldRow *self,
           const char    *label)
{
  g_autofree char *text = NULL;

  if (label == NULL)
    label = "";

  text = eimza_renewal_form_is_required (self->field) ? g_strdup_printf ("%s *", label)
                                                      : g_strdup (label);
  gtk_label_set_text_with_mnemonic (self->title_label, text);
  update_accessible_name (self);
}

static void
set_input (EimzaFieldRow *self,
           GtkWidget     *input)
{
  g_return_if_fail (self->input == NULL);

  self->input = input;
  gtk_label_set_mnemonic_widget (self->title_label, input);
  update_accessible_name (self);
  connect_input (self);
}

static void
eimza_field_row_add (GtkContainer *container,
                     GtkWidget    *child)
{
  EimzaFieldRow *self = EIMZA_FIELD_ROW (container);

  GTK_CONTAINER_CLASS (eimza_field_row_parent_class)->add (container, child);

  /* Keep the error below whatever the page puts in the row. */
  if (self->error_label != NULL)
    gtk_box_reorder_child (GTK_BOX (self), GTK_WIDGET (self->error_label), -1);
}

static void
eimza_field_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EimzaFieldRow *self = EIMZA_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      self->field = g_value_get_enum (value);
      break;

    case PROP_LABEL:
      set_label (self, g_value_get_string (value));
      break;

    case PROP_INPUT:
      set_input (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_field_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EimzaFieldRow *self = EIMZA_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_value_set_enum (value, self->field);
      break;

    case PROP_LABEL:
      g_value_set_string (value, gtk_label_get_label (self->title_label));
      break;

    case PROP_INPUT:
      g_value_set_object (value, self->input);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_field_row_dispose (GObject *object)
{
  EimzaFieldRow *self = EIMZA_FIELD_ROW (object);

  if (self->form != NULL)
    g_signal_handlers_disconnect_by_data (self->form, self);
  g_clear_object (&self->form);
  g_clear_pointer (&self->server_error, g_free);

  G_OBJECT_CLASS (eimza_field_row_parent_class)->dispose (object);
}

static void
eimza_field_row_class_init (EimzaFieldRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkContainerClass *container_class = GTK_CONTAINER_CLASS (klass);

  object_class->dispose = eimza_field_row_dispose;
  object_class->get_property = eimza_field_row_get_property;
  object_class->set_property = eimza_field_row_set_property;
  container_class->add = eimza_field_row_add;

  /* Construct-only and set before the label, so the label knows whether
   * its field is required. */
  props[PROP_FIELD] =
    g_param_spec_enum ("field", NULL, NULL,
                       EIMZA_TYPE_FIELD, EIMZA_FIELD_CAPTCHA,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_INPUT] =
    g_param_spec_object ("input", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "fieldrow");
}

static void
eimza_field_row_init (EimzaFieldRow *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 4);

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0.0);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->title_label)),
                               "field-title");
  gtk_widget_show (GTK_WIDGET (self->title_label));
  gtk_box_pack_start (GTK_BOX (self), GTK_WIDGET (self->title_label), FALSE, FALSE, 0);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->error_label, 0.0);
  gtk_label_set_line_wrap (self->error_label, TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->error_label)),
                               "field-error");
  gtk_widget_set_no_show_all (GTK_WIDGET (self->error_label), TRUE);
  gtk_box_pack_end (GTK_BOX (self), GTK_WIDGET (self->error_label), FALSE, FALSE, 0);
}

void
eimza_field_row_set_form (EimzaFieldRow    *self,
                          EimzaRenewalForm *form)
{
  g_return_if_fail (EIMZA_IS_FIELD_ROW (self));
  g_return_if_fail (EIMZA_IS_RENEWAL_FORM (form));
  g_return_if_fail (self->form == NULL);

  self->form = g_object_ref (form);
  g_signal_connect_object (form, "field-changed",
                           G_CALLBACK (form_field_changed_cb), self, G_CONNECT_SWAPPED);
  sync_input_from_form (self);
  update_error (self);
}

EimzaField
eimza_field_row_get_field (EimzaFieldRow *self)
{
  g_return_val_if_fail (EIMZA_IS_FIELD_ROW (self), EIMZA_FIELD_CAPTCHA);

  return self->field;
}

void
eimza_field_row_reveal_error (EimzaFieldRow *self)
{
  g_return_if_fail (EIMZA_IS_FIELD_ROW (self));

  self->touched = TRUE;
  update_error (self);
}

void
eimza_field_row_reset (EimzaFieldRow *self)
{
  g_return_if_fail (EIMZA_IS_FIELD_ROW (self));

  self->edited = FALSE;
  self->touched = FALSE;
  g_clear_pointer (&self->server_error, g_free);
  update_error (self);
}

void
eimza_field_row_set_server_error (EimzaFieldRow *self,
                                  const char    *message)
{
  g_return_if_fail (EIMZA_IS_FIELD_ROW (self));

  g_free (self->server_error);
  self->server_error = g_strdup (message);
  update_error (self);
}

typedef void (*FieldRowFunc) (EimzaFieldRow *row,
                              gpointer       user_data);

typedef struct {
  FieldRowFunc func;
  gpointer user_data;
} ForeachClosure;

static void
foreach_field_row_cb (GtkWidget *widget,
                      gpointer   user_data)
{
  ForeachClosure *closure = user_data;

  if (EIMZA_IS_FIELD_ROW (widget))
    closure->func (EIMZA_FIELD_ROW (widget), closure->user_data);
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), foreach_field_row_cb, closure);
}

static void
foreach_field_row (GtkWidget    *root,
                   FieldRowFunc  func,
                   gpointer      user_data)
{
  ForeachClosure closure = { func, user_data };

  foreach_field_row_cb (root, &closure);
}

static void
set_form_cb (EimzaFieldRow *row,
             gpointer       form)
{
  eimza_field_row_set_form (row, form);
}

static void
reveal_error_cb (EimzaFieldRow *row,
                 gpointer       user_data)
{
  eimza_field_row_reveal_error (row);
}

void
eimza_field_rows_set_form (GtkWidget        *root,
                           EimzaRenewalForm *form)
{
  g_return_if_fail (GTK_IS_WIDGET (root));
  g_return_if_fail (EIMZA_IS_RENEWAL_FORM (form));

  foreach_field_row (root, set_form_cb, form);
}

void
eimza_field_rows_reveal_errors (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  foreach_field_row (root, reveal_error_cb, NULL);
}

static void
set_server_error_cb (EimzaFieldRow *row,
                     gpointer       field_errors)
{
  EimzaField field = eimza_field_row_get_field (row);

  eimza_field_row_set_server_error (row, g_hash_table_lookup (field_errors,
                                                              GINT_TO_POINTER (field)));
}

void
eimza_field_rows_set_server_errors (GtkWidget  *root,
                                    GHashTable *field_errors)
{
  g_return_if_fail (GTK_IS_WIDGET (root));
  g_return_if_fail (field_errors != NULL);

  foreach_field_row (root, set_server_error_cb, field_errors);
}
