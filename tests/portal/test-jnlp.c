/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for EimzaJnlp: real-shaped descriptors, hostile ones, and the
 * [jnlp] part of the portal profiles. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "eimza-jnlp.h"
#include "eimza-portal-profile.h"

#define KAMUSM_HOST "onlineislemler.kamusm.gov.tr"
#define KAMUSM_CODEBASE "https://" KAMUSM_HOST "/imzaci/"
#define KAMUSM_CLASS "tr.gov.kamusm.imzaci.ImzaciUygulamasi"
/* As in data/portal/simulator.ini. */
#define SIMULATOR_CLASSES_LINE "main-classes=io.github.eimza.sim.ImzaUygulamasi;tr.gov.kamusm.nes.imza.ImzaUygulamasi\n"

static GBytes *
load_sample (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "jnlp", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* Parses @bytes and checks that the result does not outlive its last
 * reference. */
static EimzaJnlp *
parse_bytes (GBytes  *bytes,
             GError **error)
{
  EimzaJnlp *jnlp = eimza_jnlp_new_from_bytes (bytes, error);

  if (jnlp != NULL)
    {
      const char * const *jars = eimza_jnlp_get_jars (jnlp);
      const char * const *arguments = eimza_jnlp_get_arguments (jnlp);

      /* Whatever a file says, what comes out is https:// only. */
      g_assert_true (g_str_has_prefix (eimza_jnlp_get_codebase (jnlp), "https://"));
      g_assert_true (g_str_has_suffix (eimza_jnlp_get_codebase (jnlp), "/"));
      g_assert_nonnull (eimza_jnlp_get_codebase_host (jnlp));
      if (eimza_jnlp_get_href (jnlp) != NULL)
        g_assert_true (g_str_has_prefix (eimza_jnlp_get_href (jnlp), "https://"));
      g_assert_nonnull (jars);
      g_assert_nonnull (arguments);
      for (guint i = 0; jars[i] != NULL; i++)
        g_assert_true (g_str_has_prefix (jars[i], "https://"));
      g_assert_true ((jars[0] == NULL) == (eimza_jnlp_get_main_jar (jnlp) == NULL));
    }
  else if (error != NULL)
    {
      g_assert_nonnull (*error);
      g_assert_true (g_utf8_validate ((*error)->message, -1, NULL));
      g_assert_cmpstr ((*error)->message, !=, "");
    }

  return jnlp;
}

static EimzaJnlp *
parse_sample (const char  *name,
              GError     **error)
{
  g_autoptr(GBytes) bytes = load_sample (name);

  return parse_bytes (bytes, error);
}

static EimzaJnlp *
parse_text (const char  *text,
            GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return parse_bytes (bytes, error);
}

static EimzaPortalProfile *
load_profile (const char *name)
{
  g_autoptr(GError) error = NULL;
  EimzaPortalProfile *profile = eimza_portal_profile_new (name, &error);

  g_assert_no_error (error);
  return profile;
}

static void
assert_unref_frees (EimzaJnlp *jnlp)
{
  gpointer weak = jnlp;

  g_object_add_weak_pointer (G_OBJECT (jnlp), &weak);
  g_object_unref (jnlp);
  g_assert_null (weak);
}

static void
test_kamusm (void)
{
  g_autoptr(EimzaPortalProfile) kamusm = load_profile (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autoptr(EimzaPortalProfile) simulator = load_profile (EIMZA_PORTAL_PROFILE_SIMULATOR);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  EimzaJnlp *jnlp;

  jnlp = parse_sample ("kamusm-signer.jnlp", &error);
  g_assert_no_error (error);

  g_assert_cmpstr (eimza_jnlp_get_codebase (jnlp), ==, KAMUSM_CODEBASE);
  g_assert_cmpstr (eimza_jnlp_get_codebase_host (jnlp), ==, KAMUSM_HOST);
  g_assert_cmpstr (eimza_jnlp_get_href (jnlp), ==, KAMUSM_CODEBASE "eonay.jnlp");
  g_assert_cmpstr (eimza_jnlp_get_title (jnlp), ==, "Kamu SM E-İmza Uygulaması");
  g_assert_cmpstr (eimza_jnlp_get_vendor (jnlp), ==, "TÜBİTAK BİLGEM Kamu Sertifikasyon Merkezi");
  g_assert_cmpstrv (eimza_jnlp_get_jars (jnlp), ((const char * const[]) { KAMUSM_CODEBASE "imzaci.jar", NULL }));
  g_assert_cmpstr (eimza_jnlp_get_main_jar (jnlp), ==, KAMUSM_CODEBASE "imzaci.jar");
  g_assert_cmpstr (eimza_jnlp_get_main_class (jnlp), ==, KAMUSM_CLASS);
  g_assert_cmpstrv (eimza_jnlp_get_arguments (jnlp), ((const char * const[]) { NULL }));
  g_assert_cmpint (eimza_jnlp_get_security (jnlp), ==, EIMZA_JNLP_SECURITY_ALL_PERMISSIONS);

  g_assert_cmpint (eimza_jnlp_recognise (jnlp, kamusm, &error), ==, EIMZA_JNLP_KIND_SIGNER);
  g_assert_no_error (error);
  description = eimza_jnlp_describe (jnlp, EIMZA_JNLP_KIND_SIGNER);
  g_assert_cmpstr (description, ==, "Kamu SM signing application from " KAMUSM_HOST);

  /* The simulator's profile knows only the simulator. */
  g_assert_cmpint (eimza_jnlp_recognise (jnlp, simulator, &error), ==, EIMZA_JNLP_KIND_UNKNOWN);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_UNKNOWN_APP);
  g_assert_nonnull (strstr (error->message, KAMUSM_HOST));

  assert_unref_frees (jnlp);
}

static void
test_simulator (void)
{
  g_autoptr(EimzaPortalProfile) kamusm = load_profile (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autoptr(EimzaPortalProfile) simulator = load_profile (EIMZA_PORTAL_PROFILE_SIMULATOR);
  g_autoptr(GError) error = NULL;
  EimzaJnlp *jnlp;

  jnlp = parse_sample ("simulator-signer.jnlp", &error);
  g_assert_no_error (error);

  /* What the simulator serves at /nb/imza/nesimza.jnlp. The port is the
   * simulator's, chosen at run time: it is kept, and the profile's host
   * matches any. */
  g_assert_cmpstr (eimza_jnlp_get_codebase (jnlp), ==, "https://127.0.0.1:41443/nb/imza/");
  g_assert_cmpstr (eimza_jnlp_get_codebase_host (jnlp), ==, "127.0.0.1");
  g_assert_cmpstr (eimza_jnlp_get_href (jnlp), ==, "https://127.0.0.1:41443/nb/imza/nesimza.jnlp");
  g_assert_cmpstr (eimza_jnlp_get_title (jnlp), ==, "NES İmza Uygulaması");
  g_assert_cmpstrv (eimza_jnlp_get_jars (jnlp),
                    ((const char * const[]) { "https://127.0.0.1:41443/nb/imza/nesimza.jar", NULL }));
  g_assert_cmpstr (eimza_jnlp_get_main_class (jnlp), ==, "io.github.eimza.sim.ImzaUygulamasi");
  g_assert_cmpint (eimza_jnlp_get_security (jnlp), ==, EIMZA_JNLP_SECURITY_ALL_PERMISSIONS);

  g_assert_cmpint (eimza_jnlp_recognise (jnlp, simulator, &error), ==, EIMZA_JNLP_KIND_SIGNER);
  g_assert_no_error (error);

  /* The live profile never accepts a local signer. */
  g_assert_cmpint (eimza_jnlp_recognise (jnlp, kamusm, &error), ==, EIMZA_JNLP_KIND_UNKNOWN);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_UNKNOWN_APP);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));

  assert_unref_frees (jnlp);
}

typedef struct {
  const char *sample;
  const char *mentions;   /* the host the message must name */
} UnknownCase;

static const UnknownCase unknown_cases[] = {
  { "unknown-vendor.jnlp", "apps.example.com" },
  { "unknown-class.jnlp", KAMUSM_HOST },
  { "foreign-jar.jnlp", "cdn.evil.example" },
};

static void
test_unknown (gconstpointer user_data)
{
  const UnknownCase *unknown = user_data;
  g_autoptr(EimzaPortalProfile) kamusm = load_profile (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  /* A sound descriptor of someone else's application. */
  jnlp = parse_sample (unknown->sample, &error);
  g_assert_no_error (error);

  g_assert_cmpint (eimza_jnlp_recognise (jnlp, kamusm, &error), ==, EIMZA_JNLP_KIND_UNKNOWN);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_UNKNOWN_APP);
  if (strstr (error->message, unknown->mentions) == NULL)
    g_error ("“%s” does not name “%s”", error->message, unknown->mentions);

  description = eimza_jnlp_describe (jnlp, EIMZA_JNLP_KIND_UNKNOWN);
  g_assert_true (g_str_has_prefix (description, "Unknown Java application from "));
}

typedef struct {
  const char *name;
  const char *sample;     /* a file of tests/portal/jnlp/, or NULL */
  const char *text;       /* or this text */
  EimzaJnlpError code;
  const char *mentions;   /* NULL or a string the message must contain */
} RefusedCase;

static const RefusedCase refused_cases[] = {
  { "http-codebase", "http-codebase.jnlp", NULL, EIMZA_JNLP_ERROR_INSECURE_CODEBASE, KAMUSM_HOST },
  { "http-jar", "http-jar.jnlp", NULL, EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL },
  { "malformed", "malformed.jnlp", NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "truncated", "truncated.jnlp", NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "empty", "empty.jnlp", NULL, EIMZA_JNLP_ERROR_NOT_JNLP, NULL },
  { "billion-laughs", "billion-laughs.jnlp", NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "xxe", "xxe.jnlp", NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "xxe-parameter", "xxe-parameter.jnlp", NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "xxe-external-dtd", "xxe-external-dtd.jnlp", NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "deep", "deep.jnlp", NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "non-utf8", "non-utf8.jnlp", NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "html", "not-jnlp.html", NULL, EIMZA_JNLP_ERROR_NOT_JNLP, NULL },
  { "two-descriptions", "two-descriptions.jnlp", NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "whitespace", NULL, " \n\t\n", EIMZA_JNLP_ERROR_NOT_JNLP, NULL },
  { "plain-text", NULL, "Bu bir jnlp dosyası değil.", EIMZA_JNLP_ERROR_NOT_JNLP, NULL },
  { "other-root", NULL, "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    EIMZA_JNLP_ERROR_NOT_JNLP, NULL },
  { "upper-case-root", NULL, "<JNLP codebase=\"" KAMUSM_CODEBASE "\"/>", EIMZA_JNLP_ERROR_NOT_JNLP, NULL },
  { "namespaced-root", NULL, "<j:jnlp xmlns:j=\"urn:x\" codebase=\"" KAMUSM_CODEBASE "\"/>",
    EIMZA_JNLP_ERROR_NOT_JNLP, NULL },
  { "two-roots", NULL, "<jnlp codebase=\"" KAMUSM_CODEBASE "\"/><jnlp/>", EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "attlist", NULL, "<!DOCTYPE jnlp [<!ATTLIST jnlp codebase CDATA \"https://evil.example/\">]><jnlp/>",
    EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "element-decl", NULL, "<!DOCTYPE jnlp [<!ELEMENT jnlp ANY>]><jnlp codebase=\"" KAMUSM_CODEBASE "\"/>",
    EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "undeclared-entity", NULL, "<jnlp codebase=\"" KAMUSM_CODEBASE "\"><information><title>&x;</title>"
    "</information></jnlp>", EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "nul-byte", NULL, NULL, EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "jar-without-href", NULL, "<jnlp codebase=\"" KAMUSM_CODEBASE "\"><resources><jar main=\"true\"/>"
    "</resources></jnlp>", EIMZA_JNLP_ERROR_MALFORMED, NULL },
  { "no-codebase", NULL, "<jnlp><resources><jar href=\"imzaci.jar\"/></resources></jnlp>",
    EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL },
};

/* The first line of /etc/passwd, which no output may ever contain. */
static char *
passwd_first_line (void)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents ("/etc/passwd", &contents, NULL, NULL))
    return g_strdup ("root:x:0:0:");

  return g_strndup (contents, strcspn (contents, "\n"));
}

static void
test_refused (gconstpointer user_data)
{
  const RefusedCase *refused = user_data;
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = passwd_first_line ();

  if (refused->sample != NULL)
    {
      jnlp = parse_sample (refused->sample, &error);
    }
  else if (refused->text != NULL)
    {
      jnlp = parse_text (refused->text, &error);
    }
  else
    {
      static const char with_nul[] = "<jnlp codebase=\"" KAMUSM_CODEBASE "\">\0</jnlp>";
      g_autoptr(GBytes) bytes = g_bytes_new_static (with_nul, sizeof with_nul - 1);

      jnlp = parse_bytes (bytes, &error);
    }

  g_assert_null (jnlp);
  g_assert_error (error, EIMZA_JNLP_ERROR, (int) refused->code);
  if (refused->mentions != NULL && strstr (error->message, refused->mentions) == NULL)
    g_error ("“%s” does not name “%s”", error->message, refused->mentions);
  g_assert_null (strstr (error->message, secret));
  g_assert_null (strstr (error->message, "root:"));
}

/* What an external DTD could pull in never shows: the DTD is not read. */
static void
test_xxe_doctype_only (void)
{
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = passwd_first_line ();
  const char * const *strings;

  jnlp = parse_text ("<?xml version=\"1.0\" standalone=\"no\"?>\n"
                     "<!DOCTYPE jnlp SYSTEM \"file:///etc/passwd\">\n"
                     "<jnlp codebase=\"" KAMUSM_CODEBASE "\"><information><title>Kamu SM</title>"
                     "</information><resources><jar href=\"imzaci.jar\"/></resources>"
                     "<application-desc main-class=\"" KAMUSM_CLASS "\"><argument>kod</argument>"
                     "</application-desc></jnlp>", &error);
  g_assert_no_error (error);

  g_assert_cmpstr (eimza_jnlp_get_title (jnlp), ==, "Kamu SM");
  g_assert_null (eimza_jnlp_get_vendor (jnlp));
  g_assert_null (strstr (eimza_jnlp_get_codebase (jnlp), secret));
  g_assert_null (strstr (eimza_jnlp_get_main_class (jnlp), secret));
  strings = eimza_jnlp_get_arguments (jnlp);
  for (guint i = 0; strings[i] != NULL; i++)
    g_assert_null (strstr (strings[i], "root:"));
  g_assert_cmpstrv (strings, ((const char * const[]) { "kod", NULL }));
}

/* Sun's DOCTYPE, which some generators write, is harmless and accepted. */
static void
test_sun_doctype (void)
{
  g_autoptr(EimzaPortalProfile) kamusm = load_profile (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;

  jnlp = parse_sample ("sun-doctype.jnlp", &error);
  g_assert_no_error (error);
  g_assert_cmpint (eimza_jnlp_recognise (jnlp, kamusm, &error), ==, EIMZA_JNLP_KIND_SIGNER);
  g_assert_no_error (error);
}

static void
test_huge (void)
{
  g_autoptr(GBytes) sample = load_sample ("kamusm-signer.jnlp");
  g_autoptr(GString) text = g_string_new_len (g_bytes_get_data (sample, NULL), g_bytes_get_size (sample));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;

  /* Just under the limit: a long comment is fine. */
  g_string_append (text, "<!--");
  while (text->len < EIMZA_JNLP_MAX_SIZE - 3)
    g_string_append_c (text, 'x');
  g_string_append (text, "-->");
  g_assert_cmpuint (text->len, ==, EIMZA_JNLP_MAX_SIZE);
  bytes = g_bytes_new (text->str, text->len);
  jnlp = parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_clear_object (&jnlp);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* One byte over: refused without parsing. */
  g_string_append_c (text, '\n');
  bytes = g_bytes_new (text->str, text->len);
  jnlp = parse_bytes (bytes, &error);
  g_assert_null (jnlp);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Far over, as a download gone wrong would be. */
  g_string_set_size (text, 16 * 1024 * 1024);
  memset (text->str, 'A', text->len);
  bytes = g_bytes_new (text->str, text->len);
  jnlp = parse_bytes (bytes, &error);
  g_assert_null (jnlp);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_TOO_LARGE);
}

static char *
nested_text (guint levels)
{
  GString *text = g_string_new ("<jnlp codebase=\"" KAMUSM_CODEBASE "\">");

  for (guint i = 0; i < levels; i++)
    g_string_append (text, "<a>");
  for (guint i = 0; i < levels; i++)
    g_string_append (text, "</a>");
  g_string_append (text, "</jnlp>");

  return g_string_free (text, FALSE);
}

static void
test_deep (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deepest_allowed = nested_text (EIMZA_JNLP_MAX_DEPTH);
  g_autofree char *one_too_deep = nested_text (EIMZA_JNLP_MAX_DEPTH + 1);
  g_autofree char *very_deep = nested_text (30000);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  gint64 start;

  jnlp = parse_text (deepest_allowed, &error);
  g_assert_no_error (error);
  g_clear_object (&jnlp);

  jnlp = parse_text (one_too_deep, &error);
  g_assert_null (jnlp);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Refused as soon as the limit is crossed. */
  start = g_get_monotonic_time ();
  jnlp = parse_text (very_deep, &error);
  g_assert_null (jnlp);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_MALFORMED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_garbage (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  guint8 junk[4096];

  /* Random bytes are not a JNLP file, and not an occasion to crash. */
  for (guint round = 0; round < 64; round++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(EimzaJnlp) jnlp = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < sizeof junk; i++)
        junk[i] = g_rand_int_range (rand, 0, 256);
      bytes = g_bytes_new (junk, g_rand_int_range (rand, 1, sizeof junk));
      jnlp = parse_bytes (bytes, &error);
      g_assert_null (jnlp);
      g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_NOT_JNLP);
    }
}

static void
test_utf16 (void)
{
  static const char text[] = "<jnlp codebase=\"" KAMUSM_CODEBASE "\"/>";
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (text, -1, NULL, NULL, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (utf16, (sizeof text - 1) * 2);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;

  jnlp = parse_bytes (bytes, &error);
  g_assert_null (jnlp);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_NOT_JNLP);
}

static void
test_extra_elements (void)
{
  g_autoptr(EimzaPortalProfile) kamusm = load_profile (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;

  jnlp = parse_sample ("extra-elements.jnlp", &error);
  g_assert_no_error (error);

  /* White space collapsed, the bidi override dropped; the first
   * <information> wins; namespaced look-alikes are ignored. */
  g_assert_cmpstr (eimza_jnlp_get_title (jnlp), ==, "Kamu SM E-İmza Uygulaması");
  g_assert_cmpstr (eimza_jnlp_get_vendor (jnlp), ==, "Kamu SM <Kamu Sertifikasyon Merkezi>");
  g_assert_cmpstr (eimza_jnlp_get_href (jnlp), ==, KAMUSM_CODEBASE "eonay.jnlp");
  /* Neither the native library, nor the jar nested in <j2se>, nor the
   * namespaced one. */
  g_assert_cmpstrv (eimza_jnlp_get_jars (jnlp), ((const char * const[]) { KAMUSM_CODEBASE "imzaci.jar", NULL }));
  g_assert_cmpstr (eimza_jnlp_get_main_class (jnlp), ==, KAMUSM_CLASS);
  g_assert_cmpstrv (eimza_jnlp_get_arguments (jnlp),
                    ((const char * const[]) { "-kod", "123 456", "", "ab", NULL }));
  g_assert_cmpint (eimza_jnlp_get_security (jnlp), ==, EIMZA_JNLP_SECURITY_ALL_PERMISSIONS);

  g_assert_cmpint (eimza_jnlp_recognise (jnlp, kamusm, &error), ==, EIMZA_JNLP_KIND_SIGNER);
  g_assert_no_error (error);
}

static void
test_jars_resolved (void)
{
  g_autoptr(EimzaPortalProfile) kamusm = load_profile (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;
  const char * const expected[] = {
    "https://" KAMUSM_HOST "/imzaci/v2/lib/bouncycastle.jar",
    "https://" KAMUSM_HOST "/imzaci/v2/imzaci.jar",
    "https://" KAMUSM_HOST "/imzaci/ortak/akis.jar",
    "https://" KAMUSM_HOST "/paylasilan/esya.jar",
    "https://nesbireysel.kamusm.gov.tr/lib/xades.jar",
    "https://portal.kamusm.gov.tr:8443/lib/pdf.jar",
    NULL
  };

  jnlp = parse_sample ("jars.jnlp", &error);
  g_assert_no_error (error);

  /* A codebase without a trailing "/" is still a directory. */
  g_assert_cmpstr (eimza_jnlp_get_codebase (jnlp), ==, "https://" KAMUSM_HOST "/imzaci/v2/");
  g_assert_cmpstr (eimza_jnlp_get_href (jnlp), ==, "https://" KAMUSM_HOST "/imzaci/eonay.jnlp?surum=2");
  g_assert_cmpstrv (eimza_jnlp_get_jars (jnlp), expected);
  g_assert_cmpstr (eimza_jnlp_get_main_jar (jnlp), ==, expected[1]);
  /* An applet's main class; no arguments there. */
  g_assert_cmpstr (eimza_jnlp_get_main_class (jnlp), ==, "tr.gov.kamusm.imzaci.ImzaciApplet");
  g_assert_cmpstrv (eimza_jnlp_get_arguments (jnlp), ((const char * const[]) { NULL }));
  g_assert_cmpint (eimza_jnlp_get_security (jnlp), ==, EIMZA_JNLP_SECURITY_J2EE_CLIENT);
  g_assert_null (eimza_jnlp_get_vendor (jnlp));

  g_assert_cmpint (eimza_jnlp_recognise (jnlp, kamusm, &error), ==, EIMZA_JNLP_KIND_SIGNER);
  g_assert_no_error (error);
}

static void
test_no_jars (void)
{
  g_autoptr(EimzaPortalProfile) kamusm = load_profile (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;

  jnlp = parse_text ("<jnlp codebase=\"" KAMUSM_CODEBASE "\"><application-desc main-class=\"" KAMUSM_CLASS
                     "\"/></jnlp>", &error);
  g_assert_no_error (error);
  g_assert_null (eimza_jnlp_get_main_jar (jnlp));
  g_assert_null (eimza_jnlp_get_title (jnlp));
  g_assert_cmpint (eimza_jnlp_get_security (jnlp), ==, EIMZA_JNLP_SECURITY_SANDBOX);

  /* Nothing to run is nothing we know. */
  g_assert_cmpint (eimza_jnlp_recognise (jnlp, kamusm, &error), ==, EIMZA_JNLP_KIND_UNKNOWN);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_UNKNOWN_APP);
}

typedef struct {
  const char *codebase;
  int code;               /* -1: parsed */
  const char *expected;   /* the normalised codebase when parsed */
  gboolean recognised;
} CodebaseCase;

static const CodebaseCase codebase_cases[] = {
  { KAMUSM_CODEBASE, -1, KAMUSM_CODEBASE, TRUE },
  { "HTTPS://ONLINEISLEMLER.KAMUSM.GOV.TR/imzaci/", -1, KAMUSM_CODEBASE, TRUE },
  { "  https://onlineislemler.kamusm.gov.tr:443/imzaci/  ", -1, KAMUSM_CODEBASE, TRUE },
  { "https://onlineislemler.kamusm.gov.tr", -1, "https://" KAMUSM_HOST "/", TRUE },
  { "https://xn--kamusm-6ya.gov.tr/imzaci/", -1, "https://xn--kamusm-6ya.gov.tr/imzaci/", FALSE },
  { "https://onlineislemler.kamusm.gov.tr.evil.example/", -1, "https://onlineislemler.kamusm.gov.tr.evil.example/",
    FALSE },
  { "http://onlineislemler.kamusm.gov.tr/imzaci/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "file:///etc/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "file://onlineislemler.kamusm.gov.tr/imzaci/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "javascript:alert(1)//", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "data:text/html,<b>x</b>", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "ftp://onlineislemler.kamusm.gov.tr/imzaci/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "imzaci/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "/imzaci/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "//onlineislemler.kamusm.gov.tr/imzaci/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "https://", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "https:///imzaci/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "https://onlineislemler.kamusm.gov.tr@evil.example/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "https://user:pass@onlineislemler.kamusm.gov.tr/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "https://onlineislemler.kamusm.gov.tr/imzaci/?a=b", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "https://onlineislemler.kamusm.gov.tr/imzaci/#x", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "https://onlineislemler kamusm.gov.tr/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "https://kamusm.gov.tr\xe2\x80\xae.rt.lived/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
  { "https://onlineislemler.kamusm.gov.tr:99999/", EIMZA_JNLP_ERROR_INSECURE_CODEBASE, NULL, FALSE },
};

static void
test_codebase (gconstpointer user_data)
{
  const CodebaseCase *codebase = user_data;
  g_autoptr(EimzaPortalProfile) kamusm = load_profile (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autofree char *escaped = g_markup_escape_text (codebase->codebase, -1);
  g_autofree char *text = g_strdup_printf ("<jnlp codebase=\"%s\"><resources><jar href=\"imzaci.jar\"/>"
                                           "</resources><application-desc main-class=\"" KAMUSM_CLASS "\"/>"
                                           "</jnlp>", escaped);
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;

  jnlp = parse_text (text, &error);
  if (codebase->code >= 0)
    {
      g_assert_null (jnlp);
      g_assert_error (error, EIMZA_JNLP_ERROR, codebase->code);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpstr (eimza_jnlp_get_codebase (jnlp), ==, codebase->expected);
  g_assert_cmpint (eimza_jnlp_recognise (jnlp, kamusm, codebase->recognised ? &error : NULL), ==,
                   codebase->recognised ? EIMZA_JNLP_KIND_SIGNER : EIMZA_JNLP_KIND_UNKNOWN);
  g_assert_no_error (error);
}

/* Odd jar addresses: everything must end up https://, or be refused. */
static void
test_jar_urls (void)
{
  static const struct {
    const char *href;
    int code;
  } jars[] = {
    { "javascript:alert(1)", EIMZA_JNLP_ERROR_INSECURE_CODEBASE },
    { "data:application/java-archive;base64,UEsDBA==", EIMZA_JNLP_ERROR_INSECURE_CODEBASE },
    { "file:///tmp/x.jar", EIMZA_JNLP_ERROR_INSECURE_CODEBASE },
    { "http://onlineislemler.kamusm.gov.tr/imzaci/imzaci.jar", EIMZA_JNLP_ERROR_INSECURE_CODEBASE },
    { "https://kamusm.gov.tr@evil.example/x.jar", EIMZA_JNLP_ERROR_INSECURE_CODEBASE },
    { "a b.jar", EIMZA_JNLP_ERROR_MALFORMED },
    { "https://[::1/x.jar", EIMZA_JNLP_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (jars); i++)
    {
      g_autofree char *escaped = g_markup_escape_text (jars[i].href, -1);
      g_autofree char *text = g_strdup_printf ("<jnlp codebase=\"" KAMUSM_CODEBASE "\"><resources>"
                                               "<jar href=\"%s\"/></resources></jnlp>", escaped);
      g_autoptr(EimzaJnlp) jnlp = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("jar %s", jars[i].href);
      jnlp = parse_text (text, &error);
      g_assert_null (jnlp);
      g_assert_error (error, EIMZA_JNLP_ERROR, jars[i].code);
    }
}

static char *
repeated_text (const char *before,
               const char *item,
               guint       count,
               const char *after)
{
  GString *text = g_string_new ("<jnlp codebase=\"" KAMUSM_CODEBASE "\">");

  g_string_append (text, before);
  for (guint i = 0; i < count; i++)
    g_string_append (text, item);
  g_string_append (text, after);
  g_string_append (text, "</jnlp>");

  return g_string_free (text, FALSE);
}

static void
test_limits (void)
{
  static const struct {
    const char *before;
    const char *item;
    guint limit;
    const char *after;
  } limits[] = {
    { "<resources>", "<jar href=\"a.jar\"/>", EIMZA_JNLP_MAX_JARS, "</resources>" },
    { "<application-desc main-class=\"" KAMUSM_CLASS "\">", "<argument>x</argument>",
      EIMZA_JNLP_MAX_ARGUMENTS, "</application-desc>" },
    { "", "<x/>", EIMZA_JNLP_MAX_ELEMENTS - 1, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_autofree char *at_limit = repeated_text (limits[i].before, limits[i].item, limits[i].limit,
                                                 limits[i].after);
      g_autofree char *over_limit = repeated_text (limits[i].before, limits[i].item, limits[i].limit + 1,
                                                   limits[i].after);
      g_autoptr(EimzaJnlp) jnlp = NULL;
      g_autoptr(GError) error = NULL;

      jnlp = parse_text (at_limit, &error);
      g_assert_no_error (error);
      g_clear_object (&jnlp);

      jnlp = parse_text (over_limit, &error);
      g_assert_null (jnlp);
      g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_MALFORMED);
    }
}

static void
test_long_text (void)
{
  g_autoptr(GString) text = g_string_new ("<jnlp codebase=\"" KAMUSM_CODEBASE "\"><information><title>");
  g_autoptr(EimzaJnlp) jnlp = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i <= EIMZA_JNLP_MAX_TEXT; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "</title></information></jnlp>");

  jnlp = parse_text (text->str, &error);
  g_assert_null (jnlp);
  g_assert_error (error, EIMZA_JNLP_ERROR, EIMZA_JNLP_ERROR_MALFORMED);
}

/* libxml2's own complaints must not reach stderr. */
static void
test_quiet (void)
{
  if (g_test_subprocess ())
    {
      static const char * const samples[] = {
        "malformed.jnlp", "truncated.jnlp", "billion-laughs.jnlp", "xxe-external-dtd.jnlp",
        "deep.jnlp", "non-utf8.jnlp", "not-jnlp.html",
      };

      for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
        {
          g_autoptr(EimzaJnlp) jnlp = parse_sample (samples[i], NULL);

          g_assert_null (jnlp);
        }
      g_assert_null (parse_text ("<jnlp><a></b></jnlp>", NULL));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

static char *
builtin_profile_text (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/io/github/eimza/Asistan/portal/%s.ini", name);
  g_autoptr(EimzaPortalProfile) profile = load_profile (name);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert_nonnull (bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_profiles (void)
{
  g_autoptr(EimzaPortalProfile) kamusm = load_profile (EIMZA_PORTAL_PROFILE_KAMUSM);
  g_autoptr(EimzaPortalProfile) simulator = load_profile (EIMZA_PORTAL_PROFILE_SIMULATOR);
  const char * const *hosts = eimza_portal_profile_get_jnlp_hosts (kamusm);
  const char * const *classes = eimza_portal_profile_get_jnlp_main_classes (kamusm);

  g_assert_true (g_strv_contains (hosts, KAMUSM_HOST));
  g_assert_false (g_strv_contains (hosts, "127.0.0.1"));
  for (guint i = 0; hosts[i] != NULL; i++)
    g_assert_true (g_str_has_suffix (hosts[i], ".kamusm.gov.tr"));
  g_assert_nonnull (classes[0]);

  g_assert_cmpstrv (eimza_portal_profile_get_jnlp_hosts (simulator),
                    ((const char * const[]) { "127.0.0.1", "localhost", NULL }));
  g_assert_true (g_strv_contains (eimza_portal_profile_get_jnlp_main_classes (simulator),
                                  "io.github.eimza.sim.ImzaUygulamasi"));
}

typedef struct {
  const char *name;
  const char *find;
  const char *replace;
  int code;               /* G_KEY_FILE_ERROR_* */
  const char *mentions;
} ProfileBreakage;

static const ProfileBreakage profile_breakages[] = {
  { "unknown-group", "[jnlp]\n", "[jnlp-old]\n", G_KEY_FILE_ERROR_GROUP_NOT_FOUND, "[jnlp-old]: unknown group" },
  { "missing-group", "[jnlp]\nhosts=127.0.0.1;localhost\n" SIMULATOR_CLASSES_LINE, "",
    G_KEY_FILE_ERROR_GROUP_NOT_FOUND, "[jnlp]: the group is missing" },
  { "missing-hosts", "hosts=127.0.0.1;localhost\n", "", G_KEY_FILE_ERROR_KEY_NOT_FOUND, "[jnlp] hosts" },
  { "empty-hosts", "hosts=127.0.0.1;localhost\n", "hosts= ; \n", G_KEY_FILE_ERROR_INVALID_VALUE,
    "[jnlp] hosts: the value is empty" },
  { "bad-host", "hosts=127.0.0.1;localhost\n", "hosts=127.0.0.1;local host\n", G_KEY_FILE_ERROR_INVALID_VALUE,
    "“local host”" },
  { "url-as-host", "hosts=127.0.0.1;localhost\n", "hosts=https://127.0.0.1/\n", G_KEY_FILE_ERROR_INVALID_VALUE,
    "[jnlp] hosts" },
  { "bad-class", SIMULATOR_CLASSES_LINE, "main-classes=io..Imza\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "“io..Imza”" },
  { "star-only", SIMULATOR_CLASSES_LINE, "main-classes=*\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[jnlp] main-classes" },
  { "inner-star", SIMULATOR_CLASSES_LINE, "main-classes=io.*.Imza\n",
    G_KEY_FILE_ERROR_INVALID_VALUE, "[jnlp] main-classes" },
  { "unknown-key", "[jnlp]\n", "[jnlp]\nports=443\n", G_KEY_FILE_ERROR_KEY_NOT_FOUND,
    "[jnlp] ports: unknown key" },
};

static void
test_profile_broken (gconstpointer user_data)
{
  const ProfileBreakage *breakage = user_data;
  g_autofree char *text = builtin_profile_text (EIMZA_PORTAL_PROFILE_SIMULATOR);
  g_autoptr(GString) broken = g_string_new (text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_string_replace (broken, breakage->find, breakage->replace, 1), ==, 1);
  bytes = g_bytes_new (broken->str, broken->len);
  profile = eimza_portal_profile_new_from_bytes (bytes, "broken", &error);
  g_assert_null (profile);
  g_assert_error (error, G_KEY_FILE_ERROR, breakage->code);
  if (strstr (error->message, breakage->mentions) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, breakage->mentions);
}

/* "package.*" covers the package and those below it, and nothing else. */
static void
test_class_patterns (void)
{
  g_autofree char *text = builtin_profile_text (EIMZA_PORTAL_PROFILE_SIMULATOR);
  g_autoptr(GString) custom = g_string_new (text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(EimzaPortalProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  static const struct {
    const char *main_class;
    gboolean recognised;
  } classes[] = {
    { "tr.gov.kamusm.Imza", TRUE },
    { "tr.gov.kamusm.alt.paket.Imza", TRUE },
    { "tr.gov.kamusmx.Imza", FALSE },
    { "tr.gov.kamusm", FALSE },
    { "tr.gov.kamusm.", FALSE },
    { "io.github.eimza.sim.ImzaUygulamasi", TRUE },
    { "io.github.eimza.sim.ImzaUygulamasiX", FALSE },
    { "io.github.eimza.sim.imzauygulamasi", FALSE },
    { "", FALSE },
  };

  g_assert_cmpuint (g_string_replace (custom, SIMULATOR_CLASSES_LINE,
                                      "main-classes=tr.gov.kamusm.* ; io.github.eimza.sim.ImzaUygulamasi;\n",
                                      1), ==, 1);
  bytes = g_bytes_new (custom->str, custom->len);
  profile = eimza_portal_profile_new_from_bytes (bytes, "custom", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      g_autofree char *jnlp_text = g_strdup_printf ("<jnlp codebase=\"https://localhost:8443/\"><resources>"
                                                    "<jar href=\"a.jar\"/></resources><application-desc "
                                                    "main-class=\"%s\"/></jnlp>", classes[i].main_class);
      g_autoptr(EimzaJnlp) jnlp = parse_text (jnlp_text, &error);

      g_assert_no_error (error);
      g_test_message ("main class “%s”", classes[i].main_class);
      g_assert_cmpint (eimza_jnlp_recognise (jnlp, profile, NULL), ==,
                       classes[i].recognised ? EIMZA_JNLP_KIND_SIGNER : EIMZA_JNLP_KIND_UNKNOWN);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portal/jnlp/kamusm", test_kamusm);
  g_test_add_func ("/portal/jnlp/simulator", test_simulator);
  for (guint i = 0; i < G_N_ELEMENTS (unknown_cases); i++)
    {
      g_autofree char *name = g_strndup (unknown_cases[i].sample, strlen (unknown_cases[i].sample) - 5);
      g_autofree char *path = g_strdup_printf ("/portal/jnlp/unknown/%s", name);

      g_test_add_data_func (path, &unknown_cases[i], test_unknown);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/portal/jnlp/refused/%s", refused_cases[i].name);

      g_test_add_data_func (path, &refused_cases[i], test_refused);
    }
  g_test_add_func ("/portal/jnlp/xxe/doctype-only", test_xxe_doctype_only);
  g_test_add_func ("/portal/jnlp/sun-doctype", test_sun_doctype);
  g_test_add_func ("/portal/jnlp/huge", test_huge);
  g_test_add_func ("/portal/jnlp/deep", test_deep);
  g_test_add_func ("/portal/jnlp/garbage", test_garbage);
  g_test_add_func ("/portal/jnlp/utf16", test_utf16);
  g_test_add_func ("/portal/jnlp/extra-elements", test_extra_elements);
  g_test_add_func ("/portal/jnlp/jars/resolved", test_jars_resolved);
  g_test_add_func ("/portal/jnlp/jars/none", test_no_jars);
  g_test_add_func ("/portal/jnlp/jars/odd-urls", test_jar_urls);
  for (guint i = 0; i < G_N_ELEMENTS (codebase_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/portal/jnlp/codebase/%u", i);

      g_test_add_data_func (path, &codebase_cases[i], test_codebase);
    }
  g_test_add_func ("/portal/jnlp/limits", test_limits);
  g_test_add_func ("/portal/jnlp/long-text", test_long_text);
  g_test_add_func ("/portal/jnlp/quiet", test_quiet);
  g_test_add_func ("/portal/jnlp/profile/builtin", test_profiles);
  for (guint i = 0; i < G_N_ELEMENTS (profile_breakages); i++)
    {
      g_autofree char *path = g_strdup_printf ("/portal/jnlp/profile/broken/%s", profile_breakages[i].name);

      g_test_add_data_func (path, &profile_breakages[i], test_profile_broken);
    }
  g_test_add_func ("/portal/jnlp/profile/class-patterns", test_class_patterns);

  return g_test_run ();
}
