/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/portal's curl runs (per request, per step, one process) and the check of their form bodies. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "eimza-portal-form-body.h"

#include "portal-private.h"

/* The submit buttons' values, as the pages have them. */
#define SUBMIT_LOGIN_VALUE "Giriş"
#define SUBMIT_FORM_VALUE "Form Onayla"
#define SUBMIT_SMS_SEND_VALUE "Gönder"
#define SUBMIT_SMS_VERIFY_VALUE "Tamam"
#define SUBMIT_EONAY_VALUE "E-Onaylı Başvuru"

/* ------------------------------------------------------------------------
 * Form bodies for curl: the same bytes the client posts.
 * ------------------------------------------------------------------------ */

/* application/x-www-form-urlencoded, as browsers (and the client) write it. */
static void
append_encoded (GString    *body,
                const char *text)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '*' || *p == '-' || *p == '.' || *p == '_')
        g_string_append_c (body, *p);
      else if (*p == ' ')
        g_string_append_c (body, '+');
      else
        g_string_append_printf (body, "%%%c%c", hex[*p >> 4], hex[*p & 0xf]);
    }
}

static void
append_pair (GString    *body,
             const char *name,
             const char *value)
{
  if (body->len > 0)
    g_string_append_c (body, '&');
  append_encoded (body, name);
  g_string_append_c (body, '=');
  append_encoded (body, value != NULL ? value : "");
}

/* One field of @form the way the client writes it: trimmed, choices in the
 * portal's words, the birth date as gg.aa.yyyy. */
static void
append_field (GString          *body,
              EimzaRenewalForm *form,
              EimzaField        field)
{
  const char *name = eimza_portal_profile_get_field_name (bench.profile, field);
  g_autofree char *value = NULL;

  if (name == NULL)
    return;

  /* The same value the session posts. */
  value = eimza_portal_form_field_value (bench.profile, form, field);
  append_pair (body, name, value);
}

static void
append_submit (GString           *body,
               EimzaPortalSubmit  submit,
               const char        *value)
{
  append_pair (body, eimza_portal_profile_get_submit_name (bench.profile, submit), value);
}

typedef enum {
  BODY_LOGIN,
  BODY_FORM,
  BODY_SMS_SEND,
  BODY_SMS_VERIFY,
  BODY_EONAY,
  N_BODIES
} Body;

static char *
body_build (Body              kind,
            const char       *view_state,
            EimzaRenewalForm *form,
            const char       *sms_code)
{
  g_autoptr(GString) body = g_string_sized_new (1024);

  append_pair (body, "javax.faces.ViewState", view_state);
  switch (kind)
    {
    case BODY_LOGIN:
      for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
        {
          if (eimza_renewal_form_field_step (field) == EIMZA_STEP_LOGIN)
            append_field (body, form, field);
        }
      append_submit (body, EIMZA_PORTAL_SUBMIT_LOGIN, SUBMIT_LOGIN_VALUE);
      break;

    case BODY_FORM:
      for (EimzaField field = 0; field < EIMZA_N_FIELDS; field++)
        {
          if (eimza_renewal_form_field_step (field) == EIMZA_STEP_FORM &&
              field != EIMZA_FIELD_INSTITUTION_REGISTRY_NO &&
              field != EIMZA_FIELD_INSTITUTION_NAME)
            append_field (body, form, field);
        }
      append_submit (body, EIMZA_PORTAL_SUBMIT_FORM, SUBMIT_FORM_VALUE);
      break;

    case BODY_SMS_SEND:
      append_submit (body, EIMZA_PORTAL_SUBMIT_SMS_SEND, SUBMIT_SMS_SEND_VALUE);
      break;

    case BODY_SMS_VERIFY:
      append_pair (body, eimza_portal_profile_get_sms_code_name (bench.profile), sms_code);
      append_submit (body, EIMZA_PORTAL_SUBMIT_SMS_VERIFY, SUBMIT_SMS_VERIFY_VALUE);
      break;

    case BODY_EONAY:
      append_submit (body, EIMZA_PORTAL_SUBMIT_EONAY, SUBMIT_EONAY_VALUE);
      break;

    case N_BODIES:
    default:
      g_assert_not_reached ();
    }

  return g_string_free (g_steal_pointer (&body), FALSE);
}

/* What a script does with a page: find a string and take what follows, up to
 * the next quote or tag. No HTML parser, so that curl's side costs nothing
 * but curl. */
static char *
page_extract (const char *page,
              const char *before,
              char        end)
{
  const char *start = page != NULL ? strstr (page, before) : NULL;
  const char *stop;

  if (start == NULL)
    return NULL;
  start += strlen (before);
  stop = strchr (start, end);
  return stop != NULL ? g_strndup (start, stop - start) : NULL;
}

static char *
page_view_state (const char *page,
                 const char *what)
{
  char *view_state = page_extract (page, "name=\"javax.faces.ViewState\" value=\"", '"');

  if (view_state == NULL)
    die ("curl: the %s page has no view state", what);
  return view_state;
}

static void
page_expect (const char *page,
             const char *marker,
             const char *what)
{
  if (page == NULL || strstr (page, marker) == NULL)
    die ("curl: expected the %s page (“%s”), got another", what, marker);
}

/* ------------------------------------------------------------------------
 * curl, one process per request or per step.
 * ------------------------------------------------------------------------ */

typedef struct {
  gboolean follow; /* -L: the 303 inside the same process */
  char *jar;
  char *out;
  Sample *sample;
  GPtrArray *bodies; /* (nullable): what was posted, for the check */
} CurlFlow;

/* One curl process: @body (nullable) makes it a POST. Returns the body of
 * the last response when @want_page, else NULL; @out_status gets its HTTP
 * status, @out_location (nullable) the redirect's absolute URL. */
static char *
curl_exchange (CurlFlow    *flow,
               const char  *url,
               const char  *body,
               gboolean     want_page,
               guint       *out_status,
               char       **out_location)
{
  char *page = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *errors = NULL;
  g_auto(GStrv) words = NULL;
  int wait_status = 0;
  guint status, connects, redirects;

  /* -q first: no ~/.curlrc. */
  g_ptr_array_add (argv, bench.curl);
  g_ptr_array_add (argv, "-q");
  g_ptr_array_add (argv, "-sS");
  g_ptr_array_add (argv, "--cacert");
  g_ptr_array_add (argv, bench.ca_file);
  g_ptr_array_add (argv, "-b");
  g_ptr_array_add (argv, flow->jar);
  g_ptr_array_add (argv, "-c");
  g_ptr_array_add (argv, flow->jar);
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, flow->out);
  g_ptr_array_add (argv, "-w");
  g_ptr_array_add (argv, "%{http_code} %{num_connects} %{num_redirects} %{redirect_url}");
  if (flow->follow)
    g_ptr_array_add (argv, "-L");
  if (body != NULL)
    {
      g_ptr_array_add (argv, "--data-binary");
      g_ptr_array_add (argv, (char *) body);
      if (flow->bodies != NULL)
        g_ptr_array_add (flow->bodies, g_strdup (body));
    }
  g_ptr_array_add (argv, (char *) url);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &output, &errors, &wait_status, &error))
    die ("cannot run curl: %s", error->message);
  if (!g_spawn_check_wait_status (wait_status, &error))
    die ("curl %s: %s: %s", url, error->message, errors);

  words = g_strsplit (output, " ", 4);
  if (g_strv_length (words) < 3)
    die ("curl %s: unexpected -w output “%s”", url, output);
  status = atoi (words[0]);
  connects = atoi (words[1]);
  redirects = atoi (words[2]);

  flow->sample->n_processes++;
  flow->sample->n_requests += 1 + redirects;
  flow->sample->n_connections += connects;

  if (out_location != NULL)
    *out_location = words[3] != NULL && *words[3] != '\0' ? g_strdup (words[3]) : NULL;
  if (want_page && !g_file_get_contents (flow->out, &page, NULL, &error))
    die ("curl %s: %s", url, error->message);
  *out_status = status;
  return page;
}

static char *
curl_get_page (CurlFlow   *flow,
               const char *url)
{
  guint status = 0;
  char *page = curl_exchange (flow, url, NULL, TRUE, &status, NULL);

  if (status != 200)
    die ("curl: GET %s answered %u", url, status);
  return page;
}

/* A POST that answers 303, and the GET of where it points: in one process
 * with -L, in two without. */
static char *
curl_post_and_follow (CurlFlow   *flow,
                      const char *path,
                      const char *body,
                      const char *next_path)
{
  g_autofree char *url = g_strconcat (bench.base, path, NULL);
  g_autofree char *expected = g_strconcat (bench.base, next_path, NULL);
  g_autofree char *location = NULL;
  char *page = NULL;
  guint status = 0;

  if (flow->follow)
    {
      page = curl_exchange (flow, url, body, TRUE, &status, NULL);
      if (status != 200)
        die ("curl: POST %s then GET %s answered %u", path, next_path, status);
      return page;
    }

  curl_exchange (flow, url, body, FALSE, &status, &location);
  if (status != 303 || g_strcmp0 (location, expected) != 0)
    die ("curl: POST %s answered %u → %s, not 303 → %s", path, status,
         location != NULL ? location : "(none)", expected);
  return curl_get_page (flow, location);
}

void
bench_run_curl (Sample    *sample,
                gboolean   follow,
                GPtrArray *bodies)
{
  g_autoptr(EimzaRenewalForm) form = person_form_new ();
  g_autofree char *login_url = g_strconcat (bench.base, "/bp/meb.go", NULL);
  g_autofree char *page = NULL;
  CurlFlow flow = { 0 };
  gint64 start, step_start;

  flow.follow = follow;
  flow.jar = g_build_filename (bench.work_dir, "curl.jar", NULL);
  flow.out = g_build_filename (bench.work_dir, "curl.out", NULL);
  flow.sample = sample;
  flow.bodies = bodies;
  g_unlink (flow.jar);
  alarm (FLOW_GUARD_SECONDS);

  start = now_us ();

  /* The sign-in page and its captcha image, at the address in the page. */
  {
    g_autofree char *src = NULL;
    g_autofree char *captcha_url = NULL;
    g_autofree char *image = NULL;
    guint status = 0;

    step_start = now_us ();
    page = curl_get_page (&flow, login_url);
    page_expect (page, "id=\"girisForm\"", "sign-in");
    src = page_extract (page, "id=\"guvenlikResmi\" src=\"", '"');
    if (src == NULL || src[0] != '/')
      die ("curl: the sign-in page has no captcha image address");
    captcha_url = g_strconcat (bench.base, src, NULL);
    image = curl_exchange (&flow, captcha_url, NULL, TRUE, &status, NULL);
    if (status != 200 || strncmp (image, "\x89PNG", 4) != 0)
      die ("curl: GET %s answered %u, not a PNG", captcha_url, status);
    sample->step_us[STEP_OPEN] = now_us () - step_start;
  }

  {
    g_autofree char *captcha = read_captcha ();
    g_autofree char *view_state = page_view_state (page, "sign-in");
    g_autofree char *body = NULL;

    eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha);
    step_start = now_us ();
    body = body_build (BODY_LOGIN, view_state, form, NULL);
    g_free (page);
    page = curl_post_and_follow (&flow, "/bp/meb.go", body, "/bp/basvuru.go");
    page_expect (page, "id=\"basvuruForm\"", "application form");
    sample->step_us[STEP_LOG_IN] = now_us () - step_start;
  }

  {
    g_autofree char *view_state = page_view_state (page, "application form");
    g_autofree char *body = NULL;

    step_start = now_us ();
    body = body_build (BODY_FORM, view_state, form, NULL);
    g_free (page);
    page = curl_post_and_follow (&flow, "/bp/basvuru.go", body, "/bp/sms.go");
    page_expect (page, "id=\"smsForm\"", "SMS");
    sample->step_us[STEP_SUBMIT_FORM] = now_us () - step_start;
  }

  {
    g_autofree char *view_state = page_view_state (page, "SMS");
    g_autofree char *body = NULL;
    g_autofree char *url = g_strconcat (bench.base, "/bp/sms.go", NULL);
    guint status = 0;

    step_start = now_us ();
    body = body_build (BODY_SMS_SEND, view_state, form, NULL);
    g_free (page);
    page = curl_exchange (&flow, url, body, TRUE, &status, NULL);
    if (status != 200)
      die ("curl: POST /bp/sms.go (send) answered %u", status);
    page_expect (page, "class=\"bilgi-mesaji\"", "SMS sent");
    sample->step_us[STEP_SEND_SMS] = now_us () - step_start;
  }

  {
    g_autofree char *code = read_sms_code ();
    g_autofree char *view_state = page_view_state (page, "SMS");
    g_autofree char *body = NULL;

    step_start = now_us ();
    body = body_build (BODY_SMS_VERIFY, view_state, form, code);
    g_free (page);
    page = curl_post_and_follow (&flow, "/bp/sms.go", body, "/bp/yontem.go");
    page_expect (page, "name=\"eonayliBasvuru\" value=\"E-Onaylı Başvuru\">", "signing-method");
    sample->step_us[STEP_VERIFY_SMS] = now_us () - step_start;
  }

  {
    g_autofree char *view_state = page_view_state (page, "signing-method");
    g_autofree char *body = NULL;
    g_autofree char *number = NULL;

    step_start = now_us ();
    body = body_build (BODY_EONAY, view_state, form, NULL);
    g_free (page);
    page = curl_post_and_follow (&flow, "/bp/yontem.go", body, "/bp/sonuc.go");
    number = page_extract (page, "id=\"basvuruNo\">", '<');
    if (number == NULL || *number == '\0')
      die ("curl: the result page has no application number");
    sample->step_us[STEP_APPLY] = now_us () - step_start;
  }

  sample->total_us = now_us () - start;
  alarm (0);
  g_unlink (flow.jar);
  g_unlink (flow.out);
  g_free (flow.jar);
  g_free (flow.out);
}

/* ------------------------------------------------------------------------
 * curl, one process for the whole flow.
 *
 * curl reads all its arguments before the first transfer, but each POST
 * needs the view state of the page before it (and the captcha text, the
 * SMS code). So the bodies go through FIFOs given to -T, which curl opens
 * only when that transfer starts, and the pages come back through FIFOs
 * given to -o. Bodies of unknown length go out chunked (no Content-Length),
 * the only difference on the wire. The 303s are not followed with -L (with
 * -X POST curl would POST again): the next transfer GETs the address the
 * protocol names, and the -w line of the POST confirms the redirect.
 * ------------------------------------------------------------------------ */

typedef enum {
  SEG_GET_LOGIN,
  SEG_GET_CAPTCHA,
  SEG_POST_LOGIN,
  SEG_GET_FORM,
  SEG_POST_FORM,
  SEG_GET_SMS,
  SEG_POST_SMS_SEND,
  SEG_POST_SMS_VERIFY,
  SEG_GET_METHOD,
  SEG_POST_EONAY,
  SEG_GET_RESULT,
  N_SEGMENTS
} Segment;

static const struct {
  const char *path;
  gboolean post;
  gboolean page;   /* the answer comes back through a FIFO */
  guint status;    /* expected */
  const char *redirect;
} segments[N_SEGMENTS] = {
  [SEG_GET_LOGIN] = { "/bp/meb.go", FALSE, TRUE, 200, NULL },
  /* The page's own image address is not known when curl starts. */
  [SEG_GET_CAPTCHA] = { "/bp/captcha.go", FALSE, FALSE, 200, NULL },
  [SEG_POST_LOGIN] = { "/bp/meb.go", TRUE, FALSE, 303, "/bp/basvuru.go" },
  [SEG_GET_FORM] = { "/bp/basvuru.go", FALSE, TRUE, 200, NULL },
  [SEG_POST_FORM] = { "/bp/basvuru.go", TRUE, FALSE, 303, "/bp/sms.go" },
  [SEG_GET_SMS] = { "/bp/sms.go", FALSE, TRUE, 200, NULL },
  [SEG_POST_SMS_SEND] = { "/bp/sms.go", TRUE, TRUE, 200, NULL },
  [SEG_POST_SMS_VERIFY] = { "/bp/sms.go", TRUE, FALSE, 303, "/bp/yontem.go" },
  [SEG_GET_METHOD] = { "/bp/yontem.go", FALSE, TRUE, 200, NULL },
  [SEG_POST_EONAY] = { "/bp/yontem.go", TRUE, FALSE, 303, "/bp/sonuc.go" },
  [SEG_GET_RESULT] = { "/bp/sonuc.go", FALSE, TRUE, 200, NULL },
};

static char *
fifo_path (Segment     segment,
           const char *kind)
{
  g_autofree char *name = g_strdup_printf ("%s-%02d", kind, segment);

  return g_build_filename (bench.work_dir, "fifo", name, NULL);
}

static char *
fifo_read_page (Segment segment)
{
  g_autofree char *path = fifo_path (segment, "page");
  g_autoptr(GString) page = g_string_new (NULL);
  char buffer[16384];
  ssize_t n;
  int fd;

  /* Blocks until curl opens it for this transfer's answer. */
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    die ("cannot open %s: %s", path, g_strerror (errno));
  while ((n = read (fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("cannot read %s: %s", path, g_strerror (errno));
      g_string_append_len (page, buffer, n);
    }
  close (fd);
  return g_string_free (g_steal_pointer (&page), FALSE);
}

static void
fifo_write_body (Segment     segment,
                 const char *body)
{
  g_autofree char *path = fifo_path (segment, "body");
  size_t length = strlen (body);
  size_t done = 0;
  int fd;

  /* Blocks until curl opens it for this transfer's upload. */
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    die ("cannot open %s: %s", path, g_strerror (errno));
  while (done < length)
    {
      ssize_t n = write (fd, body + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("cannot write %s: %s", path, g_strerror (errno));
      done += n;
    }
  close (fd);
}

void
bench_make_fifos (void)
{
  g_autofree char *dir = g_build_filename (bench.work_dir, "fifo", NULL);

  if (g_mkdir (dir, 0700) != 0)
    die ("cannot create %s: %s", dir, g_strerror (errno));
  for (Segment s = 0; s < N_SEGMENTS; s++)
    {
      g_autofree char *page = fifo_path (s, "page");
      g_autofree char *body = fifo_path (s, "body");

      if (segments[s].page && mkfifo (page, 0600) != 0)
        die ("cannot create %s: %s", page, g_strerror (errno));
      if (segments[s].post && mkfifo (body, 0600) != 0)
        die ("cannot create %s: %s", body, g_strerror (errno));
    }
}

void
bench_run_curl_one_process (Sample    *sample,
                            GPtrArray *bodies)
{
  g_autoptr(EimzaRenewalForm) form = person_form_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *report_path = g_build_filename (bench.work_dir, "curl-next.out", NULL);
  g_autofree char *report = NULL;
  g_autofree char *page = NULL;
  g_autofree char *number = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 start;

  for (Step s = 0; s < N_STEPS; s++)
    sample->step_us[s] = -1;

  g_ptr_array_add (argv, g_strdup (bench.curl));
  g_ptr_array_add (argv, g_strdup ("-q"));
  for (Segment s = 0; s < N_SEGMENTS; s++)
    {
      if (s > 0)
        g_ptr_array_add (argv, g_strdup ("--next"));
      g_ptr_array_add (argv, g_strdup ("-sS"));
      g_ptr_array_add (argv, g_strdup ("--cacert"));
      g_ptr_array_add (argv, g_strdup (bench.ca_file));
      /* An empty cookie file turns the cookie engine on; the transfers of
       * one curl share their cookies. */
      g_ptr_array_add (argv, g_strdup ("-b"));
      g_ptr_array_add (argv, g_strdup (""));
      g_ptr_array_add (argv, g_strdup ("-w"));
      g_ptr_array_add (argv, g_strdup ("%{http_code} %{num_connects} %{redirect_url}\\n"));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, segments[s].page ? fifo_path (s, "page") : g_strdup ("/dev/null"));
      if (segments[s].post)
        {
          g_ptr_array_add (argv, g_strdup ("-X"));
          g_ptr_array_add (argv, g_strdup ("POST"));
          g_ptr_array_add (argv, g_strdup ("-H"));
          g_ptr_array_add (argv, g_strdup ("Content-Type: application/x-www-form-urlencoded"));
          /* No waiting for "100 Continue" before a body of unknown length. */
          g_ptr_array_add (argv, g_strdup ("-H"));
          g_ptr_array_add (argv, g_strdup ("Expect:"));
          g_ptr_array_add (argv, g_strdup ("-T"));
          g_ptr_array_add (argv, fifo_path (s, "body"));
        }
      g_ptr_array_add (argv, g_strconcat (bench.base, segments[s].path, NULL));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, report_path);
  alarm (FLOW_GUARD_SECONDS);

  start = now_us ();
  bench.curl_next = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  if (bench.curl_next == NULL)
    die ("cannot run curl: %s", error->message);

  page = fifo_read_page (SEG_GET_LOGIN);
  page_expect (page, "id=\"girisForm\"", "sign-in");
  {
    g_autofree char *captcha = read_captcha ();
    g_autofree char *view_state = page_view_state (page, "sign-in");
    g_autofree char *body = NULL;

    eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha);
    body = body_build (BODY_LOGIN, view_state, form, NULL);
    fifo_write_body (SEG_POST_LOGIN, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_GET_FORM);
  page_expect (page, "id=\"basvuruForm\"", "application form");
  {
    g_autofree char *view_state = page_view_state (page, "application form");
    g_autofree char *body = body_build (BODY_FORM, view_state, form, NULL);

    fifo_write_body (SEG_POST_FORM, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_GET_SMS);
  page_expect (page, "id=\"smsForm\"", "SMS");
  {
    g_autofree char *view_state = page_view_state (page, "SMS");
    g_autofree char *body = body_build (BODY_SMS_SEND, view_state, form, NULL);

    fifo_write_body (SEG_POST_SMS_SEND, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_POST_SMS_SEND);
  page_expect (page, "class=\"bilgi-mesaji\"", "SMS sent");
  {
    g_autofree char *code = read_sms_code ();
    g_autofree char *view_state = page_view_state (page, "SMS");
    g_autofree char *body = body_build (BODY_SMS_VERIFY, view_state, form, code);

    fifo_write_body (SEG_POST_SMS_VERIFY, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_GET_METHOD);
  page_expect (page, "name=\"eonayliBasvuru\" value=\"E-Onaylı Başvuru\">", "signing-method");
  {
    g_autofree char *view_state = page_view_state (page, "signing-method");
    g_autofree char *body = body_build (BODY_EONAY, view_state, form, NULL);

    fifo_write_body (SEG_POST_EONAY, body);
    if (bodies != NULL)
      g_ptr_array_add (bodies, g_steal_pointer (&body));
  }

  g_free (page);
  page = fifo_read_page (SEG_GET_RESULT);
  number = page_extract (page, "id=\"basvuruNo\">", '<');
  if (number == NULL || *number == '\0')
    die ("curl --next: the result page has no application number");

  if (!g_subprocess_wait_check (bench.curl_next, NULL, &error))
    die ("curl --next: %s", error->message);
  g_clear_object (&bench.curl_next);
  sample->total_us = now_us () - start;
  alarm (0);

  /* One -w line per transfer: the status and whether it connected. */
  if (!g_file_get_contents (report_path, &report, NULL, &error))
    die ("curl --next: %s", error->message);
  /* Each line ends in "\n"; an empty redirect_url leaves a space before it. */
  lines = g_strsplit (report, "\n", -1);
  if (g_strv_length (lines) != N_SEGMENTS + 1 || *lines[N_SEGMENTS] != '\0')
    die ("curl --next: %u transfers reported, not %d", g_strv_length (lines) - 1, N_SEGMENTS);
  for (Segment s = 0; s < N_SEGMENTS; s++)
    {
      g_auto(GStrv) words = g_strsplit (lines[s], " ", 3);
      g_autofree char *expected = segments[s].redirect != NULL
                                    ? g_strconcat (bench.base, segments[s].redirect, NULL)
                                    : g_strdup ("");

      if (g_strv_length (words) != 3 || (guint) atoi (words[0]) != segments[s].status ||
          g_strcmp0 (words[2], expected) != 0)
        die ("curl --next: %s %s reported “%s”", segments[s].post ? "POST" : "GET",
             segments[s].path, lines[s]);
      sample->n_connections += atoi (words[1]);
      sample->n_requests++;
    }
  sample->n_processes = 1;
  g_unlink (report_path);
}

/* ------------------------------------------------------------------------
 * The check that curl posts what the client posts.
 * ------------------------------------------------------------------------ */

/* The client's bodies, rebuilt from their own view states with this file's
 * builder, must come out byte for byte the same: then curl's (built the
 * same way from the pages it got) are the client's. */
const char *
bench_check_curl_bodies (const char *captcha,
                         const char *sms_code)
{
  static const Body order[] = { BODY_LOGIN, BODY_FORM, BODY_SMS_SEND, BODY_SMS_VERIFY, BODY_EONAY };
  g_autoptr(EimzaRenewalForm) form = person_form_new ();

  if (bench.client_bodies->len == 0)
    return "not checked (SoupLogger gave no request bodies)";
  if (bench.client_bodies->len != G_N_ELEMENTS (order))
    return "DIFFERENT: the client posted another number of bodies";

  eimza_renewal_form_set_value (form, EIMZA_FIELD_CAPTCHA, captcha);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *posted = g_ptr_array_index (bench.client_bodies, i);
      g_autofree char *encoded = page_extract (posted, "javax.faces.ViewState=", '&');
      g_autofree char *view_state = encoded != NULL ? g_uri_unescape_string (encoded, NULL) : NULL;
      g_autofree char *rebuilt = NULL;

      if (view_state == NULL)
        return "DIFFERENT: a client body has no view state first";
      rebuilt = body_build (order[i], view_state, form, sms_code);
      if (strcmp (rebuilt, posted) != 0)
        {
          g_printerr ("portal: body %u differs:\n  client %s\n  curl   %s\n", i, posted, rebuilt);
          return "DIFFERENT (see above)";
        }
    }
  return "byte-identical to the client's (checked on the warm-up run)";
}
