/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --signature-log: every accepted signature and what it signs. */
#include "eimza-sim-signature-log.h"

static gboolean
save (const char  *dir,
      const char  *name,
      GBytes      *bytes,
      GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_file_set_contents (path, data, (gssize) size, error);
}

void
eimza_sim_signature_log_save (const char *dir,
                              const char *kind,
                              GBytes     *content,
                              GBytes     *cms)
{
  static guint count;
  g_autofree char *cms_name = NULL;
  g_autofree char *content_name = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;

  count++;
  cms_name = g_strdup_printf ("%03u-%s.cms", count, kind);
  content_name = g_strdup_printf ("%03u-%s.content", count, kind);

  if (!save (dir, content_name, content, &error) || !save (dir, cms_name, cms, &error))
    g_printerr ("eimza-portal-sim: --signature-log: %s\n", error->message);
}
