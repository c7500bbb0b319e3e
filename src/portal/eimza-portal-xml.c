/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Setting up libxml2 once for every reader of the portal's documents. */
#include "config.h"

#include <libxml/parser.h>

#include "eimza-portal-xml.h"

void
eimza_portal_xml_init (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}
