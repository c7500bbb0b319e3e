/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the one-walk selector matcher: the same answers as libxml2's XPath. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libxml/HTMLparser.h>

#include "eimza-eonay-profile.h"
#include "eimza-portal-html.h"
#include "eimza-portal-match.h"
#include "eimza-portal-profile-private.h"
#include "eimza-portal-xml.h"

#define SAMPLE_PAGES "../../tools/portal-sim/sample-pages"
/* Mutated copies of each page, for pages no one wrote by hand. */
#define N_MUTATIONS 12

/* Pages that stress the matcher's corners: nesting, duplicate ids, class
 * lists with odd spacing (character references for CR and tab), entities, no-break spaces, upper-case values,
 * attributes without values, options in groups. */
static const char * const tricky_pages[] = {
  "<html><body><form id='a'><form id='b'><input type='HIDDEN' name='x' value='1'>"
  "<input type=' hidden' name='y'><input type='hidden'><button name='b'>B</button>"
  "</form></form><div id='a'><span id='b'>iç</span></div><p id='b'> </p>"
  "<div class=' hata-mesaji\tbilgi-mesaji\n'>Oturumunuzun süresi doldu.</div>"
  "<div class='hata-mesajiX'>no</div><div class='x hata-mesaji'>&nbsp;</div>"
  "<div class='&#13;hata-mesaji&#13;&#9;x'>cr</div><p>&#13;&#10;&#9;</p></body></html>",

  "<html><body><table id='kimlikBilgileri'><tr><td id='tcKimlikNo'>1</td>"
  "<td>2</td><td id=''>3</td></tr><tr><td><table><tr><td id='ad'>Ayşe</td></tr></table>"
  "</td></tr></table><table id='basvuruOzeti'><tr><th>A</th><td>1</td></tr>"
  "<tr><th></th></tr><tr><td>only</td></tr></table>"
  "<div id='imzaBilgisi' data-veri='/v?a=1&amp;b=2' data-gonder=''>"
  "<span id='kalanSure'> 12 </span></div><div id='basvuruSonuc'><b id='basvuruNo'>  </b>"
  "<b id='basvuruNo'>2024-1</b></div></body></html>",

  "<html><body><form id='basvuruForm'><select name='il'><optgroup label='g'>"
  "<option value='06'>Ankara</option></optgroup></select><textarea name='adres'> a\n b </textarea>"
  "<input type='radio' name='r' value='1' checked><input type='SUBMIT' name='formOnayla'>"
  "<INPUT TYPE='Submit' NAME='gonder'><img id='guvenlikResmi' src='/c?r=1'>"
  "<img id='guvenlikResmi'></form><span class='alan-hatasi' data-alan='postaKodu'>x</span>"
  "<span class='alan-hatasi'>y</span><form id='yontemForm'>"
  "<input name='eonayliBasvuru' disabled></form></body></html>",

  "<html><body><div id='dogrulamaBilgisi' data-islem='eonay'><b id='dogrulamaKodu'>K7QM</b>"
  "</div><div id='eonayDurumu' data-durum='aktif'></div><form id='kimlikForm'>"
  "<input name='tcKimlikNo'><input name='girisButonu'></form>"
  "<form id='eonayIptalForm'><input name='iptalEt'></form>"
  "<ul id='islemlerMenusu'><li><a id='eonayIslemleri'>E</a></li></ul></body></html>",
};

/* Expressions outside the profiles: in the subset, and outside it (these
 * must fall back to libxml2 with the same answers). */
static const char * const extra_sources[] = {
  "//*[self::td or self::th]",
  "//table//td[@id]/@id",
  "string(//td)",
  "//form | //div",
  "//span | //div[@id='a']//span",
  "boolean(//form) or boolean(//nothing)",
  "boolean(//nothing) and boolean(//form)",
  "//form and //input",
  "//input[translate(@type,'HIDENSUBMTÇ','hidensubmtç')='hidden']",
  "//*[contains(concat('[',normalize-space(@class),']'),'[hata-mesaji')]",
  "//div[contains(.,'süresi')]",
  "//*[normalize-space(.)!='']",
  "//*[normalize-space(.)!='Ayşe']",
  "string(//*[@id='imzaBilgisi']/@data-veri)",
  "//*[@id='b']",
  "//*[@class]",
  "string(//nothing)",
  "th",
  "@id",
  "string(*)",
  "td[@id]",
  /* Outside the subset. */
  "//td[1]",
  "count(//td)",
  "//table/tr",
  "/html/body",
  "//a[@x and @y]",
  "//*[@id='b']/..",
  "id('b')",
  "//td[not(@id)]",
  "//text()",
  "//a//@href",
  "(//td)[2]",
  "boolean(string(//b))",
};

typedef struct {
  GPtrArray *exprs;     /* xmlXPathCompExprPtr, borrowed or owned */
  GPtrArray *sources;   /* for the messages; NULL entries when unknown */
  EimzaPortalMatcher *matcher;
} Selectors;

static GPtrArray *
read_pages (void)
{
  static const char * const dirs[] = { SAMPLE_PAGES, "pages", "broken" };
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, dirs[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      const char *name;

      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          char *contents;
          gsize length;

          if (!g_str_has_suffix (name, ".html"))
            continue;
          g_file_get_contents (file, &contents, &length, &error);
          g_assert_no_error (error);
          g_ptr_array_add (pages, g_bytes_new_take (contents, length));
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (tricky_pages); i++)
    g_ptr_array_add (pages, g_bytes_new_static (tricky_pages[i], strlen (tricky_pages[i])));

  g_assert_cmpuint (pages->len, >, 30);
  return pages;
}

static void
assert_same_answers (xmlDocPtr            doc,
                     EimzaPortalReading  *reading,
                     xmlXPathContextPtr   context,
                     xmlXPathCompExprPtr  expr,
                     const char          *source,
                     xmlNodePtr           node)
{
  g_autoptr(GPtrArray) want_nodes = eimza_portal_html_evaluate_nodes (context, expr, node);
  g_autoptr(GPtrArray) got_nodes = eimza_portal_reading_nodes (reading, expr, node);
  g_autofree char *want_string = eimza_portal_html_evaluate_string (context, expr, node);
  g_autofree char *got_string = eimza_portal_reading_string (reading, expr, node);
  gboolean want = eimza_portal_html_evaluate_boolean (context, expr, node);
  gboolean got = eimza_portal_reading_boolean (reading, expr, node);

  if (want != got || g_strcmp0 (want_string, got_string) != 0 || want_nodes->len != got_nodes->len)
    g_error ("%s at %s: libxml2 %d “%s” %u nodes, matcher %d “%s” %u nodes",
             source != NULL ? source : "(a profile's expression)",
             node != NULL ? (const char *) node->name : "the root", want,
             want_string != NULL ? want_string : "(null)", want_nodes->len, got,
             got_string != NULL ? got_string : "(null)", got_nodes->len);
  for (guint i = 0; i < want_nodes->len; i++)
    g_assert_true (g_ptr_array_index (want_nodes, i) == g_ptr_array_index (got_nodes, i));
}

static gboolean
is_relative (const char *source)
{
  return source != NULL && !g_str_has_prefix (source, "//") && !g_str_has_prefix (source, "boolean(") &&
         !g_str_has_prefix (source, "string(//") && !g_str_has_prefix (source, "/") &&
         !g_str_has_prefix (source, "count(") && !g_str_has_prefix (source, "id(") &&
         !g_str_has_prefix (source, "(");
}

/* Every expression on @bytes at the root, and the relative ones at every
 * element too. */
static void
compare_on_page (Selectors *selectors,
                 GBytes    *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  xmlDocPtr doc = htmlReadMemory (data, (int) size, NULL, "UTF-8", EIMZA_PORTAL_HTML_PARSE_OPTIONS);
  g_autoptr(EimzaPortalReading) reading = NULL;
  xmlXPathContextPtr context;

  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      g_clear_pointer (&doc, xmlFreeDoc);
      return;
    }

  reading = eimza_portal_reading_new (selectors->matcher, doc);
  context = eimza_portal_html_new_context (doc);
  for (guint i = 0; i < selectors->exprs->len; i++)
    {
      xmlXPathCompExprPtr expr = g_ptr_array_index (selectors->exprs, i);
      const char *source = g_ptr_array_index (selectors->sources, i);

      assert_same_answers (doc, reading, context, expr, source, NULL);
      if (!is_relative (source))
        continue;

      for (xmlNodePtr node = xmlDocGetRootElement (doc); node != NULL;)
        {
          if (node->type == XML_ELEMENT_NODE)
            assert_same_answers (doc, reading, context, expr, source, node);
          if (node->type == XML_ELEMENT_NODE && node->children != NULL)
            node = node->children;
          else
            {
              while (node != NULL && node->next == NULL)
                node = node->parent != NULL && node->parent->type == XML_ELEMENT_NODE ? node->parent : NULL;
              if (node != NULL)
                node = node->next;
            }
        }
    }

  xmlXPathFreeContext (context);
  g_clear_pointer (&reading, eimza_portal_reading_free);
  xmlFreeDoc (doc);
}

static GBytes *
mutate (GBytes *bytes,
        GRand  *rand)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  GString *out = g_string_new_len (data, size);

  for (int n = g_rand_int_range (rand, 1, 4); n > 0 && out->len > 2; n--)
    {
      gsize at = g_rand_int_range (rand, 0, out->len);
      gsize wanted = g_rand_int_range (rand, 1, 64);
      gsize length = MIN (out->len - at, wanted);
      g_autofree char *piece = g_strndup (out->str + at, length);

      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
          g_string_erase (out, at, length);
          break;
        case 1:
          g_string_insert (out, g_rand_int_range (rand, 0, out->len), piece);
          break;
        default:
          g_string_insert_c (out, at, "<>/'\"= x"[g_rand_int_range (rand, 0, 8)]);
          break;
        }
    }
  return g_string_free_to_bytes (out);
}

static void
compare_on_pages (Selectors *selectors)
{
  g_autoptr(GPtrArray) pages = read_pages ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);

  for (guint i = 0; i < pages->len; i++)
    {
      compare_on_page (selectors, g_ptr_array_index (pages, i));
      for (int n = 0; n < N_MUTATIONS; n++)
        {
          g_autoptr(GBytes) mutated = mutate (g_ptr_array_index (pages, i), rand);

          compare_on_page (selectors, mutated);
        }
    }
}

static void
add_expr (Selectors           *selectors,
          xmlXPathCompExprPtr  expr,
          const char          *source)
{
  g_ptr_array_add (selectors->exprs, expr);
  g_ptr_array_add (selectors->sources, (gpointer) source);
}

/* Every expression of a shipped profile is matched in the walk, and gives
 * libxml2's answers. */
static void
test_profile (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaPortalProfile) profile = eimza_portal_profile_new (data, &error);
  EimzaEonayProfile *nes;
  Selectors portal = { g_ptr_array_new (), g_ptr_array_new (), NULL };
  Selectors site = { g_ptr_array_new (), g_ptr_array_new (), NULL };

  g_assert_no_error (error);
  portal.matcher = eimza_portal_profile_get_matcher (profile);
  for (EimzaPortalSelector selector = 0; selector < EIMZA_PORTAL_N_SELECTORS; selector++)
    add_expr (&portal, eimza_portal_profile_get_selector_expr (profile, selector),
              eimza_portal_profile_get_selector (profile, selector));
  for (EimzaPortalWebPageKind kind = EIMZA_PORTAL_WEB_PAGE_LOGIN; kind < EIMZA_PORTAL_N_PAGE_KINDS; kind++)
    {
      GPtrArray *requirements = eimza_portal_profile_get_page_requirements (profile, kind);

      add_expr (&portal, eimza_portal_profile_get_page_marker (profile, kind), NULL);
      for (guint i = 0; i < requirements->len; i++)
        add_expr (&portal, g_ptr_array_index (requirements, i), NULL);
    }

  nes = eimza_portal_profile_get_nes (profile);
  g_assert_nonnull (nes);
  site.matcher = eimza_eonay_profile_get_matcher (nes);
  for (EimzaEonaySelector selector = 0; selector < EIMZA_EONAY_N_SELECTORS; selector++)
    add_expr (&site, eimza_eonay_profile_get_selector_expr (nes, selector), NULL);
  for (EimzaNesWebPageKind kind = EIMZA_NES_WEB_PAGE_LOGIN; kind < EIMZA_EONAY_N_PAGE_KINDS; kind++)
    {
      GPtrArray *requirements = eimza_eonay_profile_get_page_requirements (nes, kind);

      add_expr (&site, eimza_eonay_profile_get_page_marker (nes, kind), NULL);
      for (guint i = 0; i < requirements->len; i++)
        add_expr (&site, g_ptr_array_index (requirements, i), NULL);
    }

  /* A selector outside the subset would still work, only slower: the
   * reading goal of bench/page-reading needs them all in the walk. */
  for (guint i = 0; i < portal.exprs->len; i++)
    g_assert_true (eimza_portal_matcher_is_native (portal.matcher, g_ptr_array_index (portal.exprs, i)));
  for (guint i = 0; i < site.exprs->len; i++)
    g_assert_true (eimza_portal_matcher_is_native (site.matcher, g_ptr_array_index (site.exprs, i)));

  compare_on_pages (&portal);
  compare_on_pages (&site);

  g_ptr_array_unref (portal.exprs);
  g_ptr_array_unref (portal.sources);
  g_ptr_array_unref (site.exprs);
  g_ptr_array_unref (site.sources);
}

/* Expressions written for the test, in the subset and outside it. */
static void
test_other_expressions (void)
{
  g_autoptr(EimzaPortalMatcher) matcher = eimza_portal_matcher_new ();
  Selectors selectors = { g_ptr_array_new_with_free_func (eimza_portal_html_free_xpath),
                          g_ptr_array_new (), matcher };
  guint first_outside = 0;

  while (strcmp (extra_sources[first_outside], "//td[1]") != 0)
    first_outside++;

  for (guint i = 0; i < G_N_ELEMENTS (extra_sources); i++)
    {
      g_autofree char *message = NULL;
      xmlXPathCompExprPtr expr = eimza_portal_html_compile_xpath (extra_sources[i], &message);

      g_assert_nonnull (expr);
      if (eimza_portal_matcher_add (matcher, expr, extra_sources[i]) != (i < first_outside))
        g_error ("%s: %s by the matcher", extra_sources[i],
                 i < first_outside ? "not taken" : "taken");
      add_expr (&selectors, expr, extra_sources[i]);
    }

  compare_on_pages (&selectors);

  /* The matcher refers to the expressions: free it first. */
  g_clear_pointer (&matcher, eimza_portal_matcher_free);
  g_ptr_array_unref (selectors.exprs);
  g_ptr_array_unref (selectors.sources);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  eimza_portal_xml_init ();

  g_test_add_data_func ("/portal/match/profile/simulator", "simulator", test_profile);
  g_test_add_data_func ("/portal/match/profile/kamusm", "kamusm", test_profile);
  g_test_add_func ("/portal/match/other-expressions", test_other_expressions);

  return g_test_run ();
}
