/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The card diagnostics report made fit to share: no names, home directories or free texts. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-diagnostics-report.h"
#include "eimza-pkcs11-modules.h"
#include "eimza-pkcs11-token.h"
#include "eimza-validation.h"

/* Labels this short could be part of any word: replaced only where the
 * report quotes them. */
#define MIN_BARE_LABEL_LENGTH 3

static char *
replace_all (char       *text,
             const char *old,
             const char *new)
{
  g_autoptr(GString) result = NULL;

  if (old == NULL || *old == '\0' || strstr (text, old) == NULL)
    return text;

  result = g_string_new (text);
  g_string_replace (result, old, new, 0);
  g_free (text);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

static const char *
neutral_status (EimzaPkcs11Module *module)
{
  switch (eimza_pkcs11_module_get_status (module))
    {
    case EIMZA_PKCS11_MODULE_MISSING:
      return _("not installed");
    case EIMZA_PKCS11_MODULE_FAILED:
    default:
      return _("could not be loaded");
    }
}

static char *
drop_module_texts (char      *text,
                   GPtrArray *modules)
{
  for (guint i = 0; modules != NULL && i < modules->len; i++)
    {
      EimzaPkcs11Module *module = g_ptr_array_index (modules, i);

      text = replace_all (text, eimza_pkcs11_module_get_error_message (module),
                          neutral_status (module));
    }
  return text;
}

static gint
longer_first (gconstpointer a,
              gconstpointer b)
{
  return (gint) strlen (*(const char * const *) b) - (gint) strlen (*(const char * const *) a);
}

/* Distinct non-empty labels of all tokens, in the order met. */
static GPtrArray *
token_labels (GPtrArray *modules)
{
  GPtrArray *labels = g_ptr_array_new ();

  for (guint i = 0; modules != NULL && i < modules->len; i++)
    {
      GPtrArray *tokens = eimza_pkcs11_module_get_tokens (g_ptr_array_index (modules, i));

      for (guint j = 0; tokens != NULL && j < tokens->len; j++)
        {
          const char *label = eimza_pkcs11_token_get_label (g_ptr_array_index (tokens, j));

          if (label != NULL && *label != '\0' &&
              !g_ptr_array_find_with_equal_func (labels, label, g_str_equal, NULL))
            g_ptr_array_add (labels, (gpointer) label);
        }
    }
  return labels;
}

static char *
replace_token_labels (char      *text,
                      GPtrArray *modules)
{
  g_autoptr(GPtrArray) labels = token_labels (modules);
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (labels, NULL, NULL);

  /* "AHMET YILMAZ 2" before "AHMET YILMAZ". */
  g_ptr_array_sort (sorted, longer_first);
  for (guint i = 0; i < sorted->len; i++)
    {
      const char *label = g_ptr_array_index (sorted, i);
      guint number = 0;
      g_autofree char *neutral = NULL;
      g_autofree char *quoted = NULL;
      g_autofree char *quoted_neutral = NULL;
      g_autofree char *escaped = NULL;

      g_ptr_array_find (labels, label, &number);
      /* TRANSLATORS: stands for a card's label in a shared report */
      neutral = g_strdup_printf (_("card %u"), number + 1);
      quoted = g_strdup_printf ("“%s”", label);
      quoted_neutral = g_strdup_printf ("“%s”", neutral);
      text = replace_all (text, quoted, quoted_neutral);
      if (strlen (label) < MIN_BARE_LABEL_LENGTH)
        continue;
      /* In PKCS#11 URIs of error messages too. */
      escaped = g_uri_escape_string (label, NULL, FALSE);
      text = replace_all (text, label, neutral);
      text = replace_all (text, escaped, neutral);
    }
  return text;
}

/* The current user's home as "~"; anyone else's name under /home elided. */
static char *
elide_home_dirs (char *text)
{
  const char *home = g_get_home_dir ();
  g_autoptr(GRegex) others = NULL;
  char *result;

  if (home != NULL && strlen (home) > 1)
    {
      g_autofree char *prefix = g_strconcat (home, "/", NULL);

      text = replace_all (text, prefix, "~/");
    }

  others = g_regex_new ("/home/[^/\\s“”\"'`:;,()]+", G_REGEX_OPTIMIZE, 0, NULL);
  g_assert (others != NULL);
  result = g_regex_replace_literal (others, text, -1, 0, "/home/…", 0, NULL);
  g_free (text);
  return result;
}

static gboolean
is_tckn_at (const char *text,
            gsize       start,
            gsize       length)
{
  g_autofree char *candidate = NULL;

  if (start + 11 > length)
    return FALSE;
  if (start > 0 && g_ascii_isdigit (text[start - 1]))
    return FALSE;
  for (gsize i = start; i < start + 11; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  if (start + 11 < length && g_ascii_isdigit (text[start + 11]))
    return FALSE;

  candidate = g_strndup (text + start, 11);
  return eimza_tckn_validate (candidate, NULL);
}

/* Also a T.C. Kimlik No that comes in through a label or a file name. */
static char *
remove_tckn (char *text)
{
  gsize length = strlen (text);
  GString *result = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (is_tckn_at (text, i, length))
        {
          g_string_append (result, _("[T.C. Kimlik No removed]"));
          i += 10;
          continue;
        }
      g_string_append_c (result, text[i]);
    }

  g_free (text);
  return g_string_free (result, FALSE);
}

char *
eimza_diagnostics_report_make_shareable (const char *report,
                                         GPtrArray  *modules)
{
  char *text;

  g_return_val_if_fail (report != NULL, NULL);

  /* Free texts first: they may hold labels and paths of their own. */
  text = drop_module_texts (g_strdup (report), modules);
  text = replace_token_labels (text, modules);
  text = elide_home_dirs (text);
  return remove_tckn (text);
}
