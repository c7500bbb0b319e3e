/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application's string options (command line, else settings) as the pages read them. */
#include "config.h"

#include "eimza-application-option.h"

char *
eimza_application_option_dup_string (GtkApplication *application,
                                     const char     *property)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (property != NULL, NULL);

  if (application == NULL ||
      g_object_class_find_property (G_OBJECT_GET_CLASS (application), property) == NULL)
    return NULL;

  g_object_get (application, property, &value, NULL);

  return value != NULL && *value != '\0' ? g_steal_pointer (&value) : NULL;
}
