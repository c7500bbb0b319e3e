/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: reading each sample page with the app's reader against a bare htmlReadMemory. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "eimza-nes-web-page.h"
#include "eimza-portal-enums.h"
#include "eimza-portal-error.h"
#include "eimza-portal-html.h"
#include "eimza-portal-web-page.h"
#include "eimza-portal-profile.h"
#include "eimza-portal-xml.h"

#ifndef BENCH_SAMPLE_PAGES
#define BENCH_SAMPLE_PAGES "tools/portal-sim/sample-pages"
#endif
#ifndef BENCH_TEST_PAGES
#define BENCH_TEST_PAGES "tests/portal"
#endif

#define DEFAULT_ITERATIONS 2000
/* The goal of issue #12: a page read in at most twice a bare parse. */
#define GOAL_RATIO 2.0
/* Pages the floor reads faster than this are shown but not judged. */
#define MIN_FLOOR_NS 1000.0

#if defined(__SANITIZE_ADDRESS__)
#define BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define BENCH_SANITIZED 1
#endif
#endif
#ifndef BENCH_SANITIZED
#define BENCH_SANITIZED 0
#endif

typedef struct {
  char *label;      /* "sample-pages/login.html" */
  GBytes *bytes;
  gboolean nes;     /* read with the NES site's reader */
} SamplePage;

static struct {
  int iterations;
  char *profile_name;
  char *only;
  EimzaPortalProfile *profile;
  EimzaEonayProfile *nes_profile;
  const char *encoding;
  const char *nes_encoding;
} bench;

static G_GNUC_NORETURN G_GNUC_PRINTF (1, 2) void
die (const char *format,
     ...)
{
  va_list args;

  fputs ("page-reading: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (1);
}

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Median of @values (sorted in place), in ns. */
static double
median (GArray *values)
{
  guint n = values->len;

  g_array_sort (values, compare_gint64);
  if (n % 2 == 1)
    return g_array_index (values, gint64, n / 2);
  return (g_array_index (values, gint64, n / 2 - 1) + g_array_index (values, gint64, n / 2)) / 2.0;
}

static int
compare_pages (gconstpointer a,
               gconstpointer b)
{
  const SamplePage *x = *(SamplePage * const *) a;
  const SamplePage *y = *(SamplePage * const *) b;

  return strcmp (x->label, y->label);
}

static void
sample_page_free (SamplePage *page)
{
  g_free (page->label);
  g_bytes_unref (page->bytes);
  g_free (page);
}

/* Every *.html of @dir; "nes-*" pages are the NES site's. */
static void
add_pages (GPtrArray  *pages,
           const char *dir_path,
           const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  const char *name;

  if (dir == NULL)
    die ("%s", error->message);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      SamplePage *page;
      char *contents;
      gsize size;

      if (!g_str_has_suffix (name, ".html"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (!g_file_get_contents (path, &contents, &size, &error))
        die ("%s", error->message);

      page = g_new0 (SamplePage, 1);
      page->label = g_strdup_printf ("%s/%s", prefix, name);
      page->bytes = g_bytes_new_take (contents, size);
      page->nes = g_str_has_prefix (name, "nes-");
      g_ptr_array_add (found, page);
    }

  g_ptr_array_sort (found, compare_pages);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (pages, g_ptr_array_index (found, i));
}

/* The floor: what libxml2 alone costs for the page, with the app's options
 * and encoding. */
static void
read_bare (SamplePage *page)
{
  gsize size;
  const char *data = g_bytes_get_data (page->bytes, &size);
  xmlDocPtr doc;

  doc = htmlReadMemory (data, (int) size, NULL, page->nes ? bench.nes_encoding : bench.encoding,
                        EIMZA_PORTAL_HTML_PARSE_OPTIONS);
  if (doc != NULL)
    xmlFreeDoc (doc);
}

/* The app's reader; returns what the page reads to when @outcome is set. */
static void
read_with_app (SamplePage  *page,
               char       **outcome)
{
  g_autoptr(GError) error = NULL;

  if (page->nes)
    {
      g_autoptr(EimzaNesWebPage) read = eimza_nes_web_page_parse (bench.nes_profile, page->bytes,
                                                                  outcome != NULL ? &error : NULL);
      static const char * const kinds[] = { "unknown", "login", "code", "menu", "e-onay", "session-expired" };

      if (outcome != NULL && read != NULL)
        *outcome = g_strdup_printf ("NES %s", kinds[eimza_nes_web_page_get_kind (read)]);
    }
  else
    {
      g_autoptr(EimzaPortalWebPage) read = eimza_portal_web_page_parse (bench.profile, page->bytes,
                                                                        outcome != NULL ? &error : NULL);

      if (outcome != NULL && read != NULL)
        {
          g_autoptr(GEnumClass) klass = g_type_class_ref (EIMZA_TYPE_PORTAL_WEB_PAGE_KIND);

          *outcome = g_strdup (g_enum_get_value (klass, eimza_portal_web_page_get_kind (read))->value_nick);
        }
    }

  if (outcome != NULL && error != NULL)
    *outcome = g_strdup ("refused");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sample_pages = g_strdup (BENCH_SAMPLE_PAGES);
  g_autofree char *test_pages = g_strdup (BENCH_TEST_PAGES);
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_page_free);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bare_all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) app_all = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *worst_page = NULL;
  double worst_ratio = 0;
  guint over_goal = 0;
  guint n_judged = 0;
  gsize total_size = 0;
  GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &bench.iterations,
      "Reads of each page by each reader (default 2000)", "N" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &bench.profile_name,
      "Portal profile: simulator (default), kamusm or a file", "NAME" },
    { "page", 0, 0, G_OPTION_ARG_STRING, &bench.only,
      "Only the pages whose name contains TEXT (for a profiler)", "TEXT" },
    { "sample-pages", 0, 0, G_OPTION_ARG_FILENAME, &sample_pages,
      "The simulator's sample pages", "DIR" },
    { "test-pages", 0, 0, G_OPTION_ARG_FILENAME, &test_pages,
      "tests/portal (its pages/ and broken/ are read)", "DIR" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bench.iterations = DEFAULT_ITERATIONS;
  context = g_option_context_new ("— page reading versus a bare htmlReadMemory");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("%s", error->message);
  if (bench.iterations < 10)
    die ("--iterations must be at least 10");

  bench.profile = eimza_portal_profile_new (bench.profile_name != NULL ? bench.profile_name
                                                                       : EIMZA_PORTAL_PROFILE_SIMULATOR,
                                            &error);
  if (bench.profile == NULL)
    die ("%s", error->message);
  bench.nes_profile = eimza_portal_profile_get_nes (bench.profile);
  bench.encoding = eimza_portal_profile_get_encoding (bench.profile);
  bench.nes_encoding = bench.nes_profile != NULL ? eimza_eonay_profile_get_encoding (bench.nes_profile)
                                                 : NULL;

  add_pages (pages, sample_pages, "sample-pages");
  {
    g_autofree char *handmade = g_build_filename (test_pages, "pages", NULL);
    g_autofree char *broken = g_build_filename (test_pages, "broken", NULL);

    add_pages (pages, handmade, "tests/pages");
    add_pages (pages, broken, "tests/broken");
  }
  for (guint i = pages->len; i > 0; i--)
    {
      SamplePage *page = g_ptr_array_index (pages, i - 1);

      /* A profile without a NES site cannot read its pages. */
      if ((page->nes && bench.nes_profile == NULL) ||
          (bench.only != NULL && strstr (page->label, bench.only) == NULL))
        g_ptr_array_remove_index (pages, i - 1);
    }
  if (pages->len == 0)
    die ("no pages to read");

  eimza_portal_xml_init ();

  g_print ("page-reading benchmark: %s build, libxml2 %s, profile %s\n",
           BENCH_SANITIZED ? "SANITIZER (figures distorted)" : "optimized",
           xmlParserVersion, eimza_portal_profile_get_name (bench.profile));
  g_print ("floor: htmlReadMemory (the app's options and encoding) + xmlFreeDoc;\n"
           "reader: eimza_portal_web_page_parse, or eimza_nes_web_page_parse for nes-*, + unref;\n"
           "  medians of %d reads of each page by each (after %d unmeasured), taking turns\n\n",
           bench.iterations, bench.iterations / 10);
  g_print ("  %-42s %7s %10s %10s %7s  %s\n", "page", "bytes", "floor", "reader", "ratio",
           "read as");

  for (guint i = 0; i < pages->len; i++)
    {
      SamplePage *page = g_ptr_array_index (pages, i);
      g_autoptr(GArray) bare_times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), bench.iterations);
      g_autoptr(GArray) app_times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), bench.iterations);
      g_autofree char *outcome = NULL;
      double bare_ns;
      double app_ns;
      double ratio;
      gboolean judged;

      read_with_app (page, &outcome);
      for (int n = 0; n < bench.iterations / 10; n++)
        {
          read_bare (page);
          read_with_app (page, NULL);
        }

      for (int n = 0; n < bench.iterations; n++)
        {
          gint64 start;
          gint64 bare;
          gint64 app;

          /* Alternate which goes first, so that neither always finds the
           * other's caches. */
          if (n % 2 == 0)
            {
              start = now_ns ();
              read_bare (page);
              bare = now_ns () - start;
              start = now_ns ();
              read_with_app (page, NULL);
              app = now_ns () - start;
            }
          else
            {
              start = now_ns ();
              read_with_app (page, NULL);
              app = now_ns () - start;
              start = now_ns ();
              read_bare (page);
              bare = now_ns () - start;
            }
          g_array_append_val (bare_times, bare);
          g_array_append_val (app_times, app);
        }
      g_array_append_vals (bare_all, bare_times->data, bare_times->len);
      g_array_append_vals (app_all, app_times->data, app_times->len);

      bare_ns = median (bare_times);
      app_ns = median (app_times);
      ratio = bare_ns > 0 ? app_ns / bare_ns : 0;
      /* Under a microsecond libxml2 had nothing to parse (an empty page):
       * the ratio is the clock's noise. */
      judged = bare_ns >= MIN_FLOOR_NS;
      if (judged && ratio > worst_ratio)
        {
          worst_ratio = ratio;
          worst_page = page->label;
        }
      if (judged && ratio > GOAL_RATIO)
        over_goal++;
      n_judged += judged;
      total_size += g_bytes_get_size (page->bytes);

      g_print ("  %-42s %7zu %7.1f µs %7.1f µs %6.2f×%s %s\n", page->label,
               g_bytes_get_size (page->bytes), bare_ns / 1000.0, app_ns / 1000.0, ratio,
               judged ? " " : "*", outcome);
    }

  {
    double bare_ns = median (bare_all);
    double app_ns = median (app_all);

    g_print ("  %-42s %7zu %7.1f µs %7.1f µs %6.2f×  (median of all reads; bytes: mean)\n",
             "all pages", total_size / MAX (pages->len, 1), bare_ns / 1000.0, app_ns / 1000.0,
             bare_ns > 0 ? app_ns / bare_ns : 0);
  }

  if (n_judged < pages->len)
    g_print ("  * not judged: the floor took under %.0f µs (nothing for libxml2 to parse)\n",
             MIN_FLOOR_NS / 1000.0);
  g_print ("\ngoal: reader <= %.0f× the floor on every page: %s (worst %.2f×, %s; %u of %u pages over)\n",
           GOAL_RATIO, over_goal == 0 ? "met" : "not met", worst_ratio,
           worst_page != NULL ? worst_page : "-", over_goal, n_judged);

  g_clear_object (&bench.profile);
  g_free (bench.profile_name);
  g_free (bench.only);
  return 0;
}
