/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One labelled input of a form page, kept in step with the renewal form and
 * showing why its value is refused. */
#pragma once

#include <gtk/gtk.h>

#include "eimza-renewal-form.h"

G_BEGIN_DECLS

#define EIMZA_TYPE_FIELD_ROW (eimza_field_row_get_type ())

G_DECLARE_FINAL_TYPE (EimzaFieldRow, eimza_field_row, EIMZA, FIELD_ROW, GtkBox)

void      eimza_field_row_set_form     (EimzaFieldRow    *self,
                                        EimzaRenewalForm *form);
EimzaField eimza_field_row_get_field   (EimzaFieldRow    *self);
/* Shows the row's error, if any, even before the person has left the input. */
void      eimza_field_row_reveal_error (EimzaFieldRow    *self);

/* Forgets that the person has been here: for an input the page emptied
 * itself, such as the captcha after a new image. */
void      eimza_field_row_reset            (EimzaFieldRow *self);
/* Shows what the portal said about the value until the value changes;
 * NULL clears it. */
void      eimza_field_row_set_server_error (EimzaFieldRow *self,
                                            const char    *message);

/* Connects every field row below @root to @form. */
void      eimza_field_rows_set_form      (GtkWidget        *root,
                                          EimzaRenewalForm *form);
/* Gives every field row below @root its message from @field_errors
 * (GINT_TO_POINTER (EimzaField) -> message), clearing the others. */
void      eimza_field_rows_set_server_errors (GtkWidget  *root,
                                              GHashTable *field_errors);
/* Reveals the errors of every field row below @root. */
void      eimza_field_rows_reveal_errors (GtkWidget        *root);

G_END_DECLS
