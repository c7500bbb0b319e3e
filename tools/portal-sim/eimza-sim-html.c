/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers that write escaped HTML into a GString. */
#include "eimza-sim-html.h"

void
eimza_sim_html_append (GString    *out,
                       const char *format,
                       ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);

  g_string_append (out, text);
}

void
eimza_sim_html_begin_site_page (GString    *out,
                                const char *site,
                                const char *heading)
{
  /* HTML 4 as the live sites serve it: no XHTML self-closing tags, bare
   * boolean attributes, so the client's parser meets the real thing. */
  g_string_append (out,
                   "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\" "
                   "\"http://www.w3.org/TR/html4/loose.dtd\">\n"
                   "<html lang=\"tr\">\n"
                   "<head>\n"
                   "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n");
  eimza_sim_html_append (out,
                         "<title>%s</title>\n"
                         "</head>\n"
                         "<body>\n"
                         "<div id=\"ust\"><h1>%s</h1></div>\n"
                         "<div id=\"icerik\">\n"
                         "<h2>%s</h2>\n",
                         site, site, heading);
}

void
eimza_sim_html_begin_page (GString    *out,
                           const char *heading)
{
  eimza_sim_html_begin_site_page (out, "Kamu SM Başvuru Portalı", heading);
}

void
eimza_sim_html_end_page (GString *out)
{
  g_string_append (out,
                   "</div>\n"
                   "<div id=\"alt\">Kamu Sertifikasyon Merkezi &#8212; "
                   "E-İmza Asistanı portal simülatörü</div>\n"
                   "</body>\n"
                   "</html>\n");
}

const char *
eimza_sim_html_flag (gboolean    set,
                     const char *attribute)
{
  if (!set)
    return "";
  if (g_str_equal (attribute, "checked"))
    return " checked";
  if (g_str_equal (attribute, "selected"))
    return " selected";
  if (g_str_equal (attribute, "disabled"))
    return " disabled=\"disabled\"";

  g_return_val_if_reached ("");
}
