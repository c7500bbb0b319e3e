/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's fault modes: their names and what they do to a page body. */
#include <string.h>

#include "eimza-sim-faults.h"

G_DEFINE_QUARK (eimza-sim-fault-error-quark, eimza_sim_fault_error)

static const struct {
  const char *name;
  EimzaSimFaults fault;
} fault_names[] = {
  { "slow", EIMZA_SIM_FAULT_SLOW },
  { "http-500", EIMZA_SIM_FAULT_HTTP_500 },
  { "http-503", EIMZA_SIM_FAULT_HTTP_503 },
  { "reset", EIMZA_SIM_FAULT_RESET },
  { "truncated", EIMZA_SIM_FAULT_TRUNCATED },
  { "malformed", EIMZA_SIM_FAULT_MALFORMED },
  { "redesigned", EIMZA_SIM_FAULT_REDESIGNED },
  { "expire-session", EIMZA_SIM_FAULT_EXPIRE_SESSION },
  { "wrong-captcha", EIMZA_SIM_FAULT_WRONG_CAPTCHA },
  { "mernis-mismatch", EIMZA_SIM_FAULT_MERNIS_MISMATCH },
  { "sms-expired", EIMZA_SIM_FAULT_SMS_EXPIRED },
  { "sms-locked", EIMZA_SIM_FAULT_SMS_LOCKED },
  { "code-expired", EIMZA_SIM_FAULT_CODE_EXPIRED },
  { "signature-replayed", EIMZA_SIM_FAULT_SIGNATURE_REPLAYED },
  { "signer-mismatch", EIMZA_SIM_FAULT_SIGNER_MISMATCH },
  { "content-mismatch", EIMZA_SIM_FAULT_CONTENT_MISMATCH },
  { "slow-upload", EIMZA_SIM_FAULT_SLOW_UPLOAD },
  { "slow-drip", EIMZA_SIM_FAULT_SLOW_DRIP },
  { "bidi", EIMZA_SIM_FAULT_BIDI },
  { "binary", EIMZA_SIM_FAULT_BINARY },
  { "huge-captcha", EIMZA_SIM_FAULT_HUGE_CAPTCHA },
  { "close-after-post", EIMZA_SIM_FAULT_CLOSE_AFTER_POST },
  { "unblock-refused", EIMZA_SIM_FAULT_UNBLOCK_REFUSED },
};

gboolean
eimza_sim_fault_from_name (const char      *name,
                           EimzaSimFaults  *out_fault,
                           GError         **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  for (gsize i = 0; i < G_N_ELEMENTS (fault_names); i++)
    {
      if (g_str_equal (stripped, fault_names[i].name))
        {
          *out_fault = fault_names[i].fault;
          return TRUE;
        }
    }

  g_set_error (error, EIMZA_SIM_FAULT_ERROR, EIMZA_SIM_FAULT_ERROR_UNKNOWN,
               "Unknown fault mode “%s”", stripped);
  return FALSE;
}

gboolean
eimza_sim_faults_parse_list (const char  *text,
                             GArray     **out_list,
                             GError     **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (EimzaSimFaults));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_auto(GStrv) names = NULL;

  if (*stripped != '\0')
    {
      names = g_strsplit (stripped, ",", -1);
      for (guint i = 0; names[i] != NULL; i++)
        {
          EimzaSimFaults fault;

          if (!eimza_sim_fault_from_name (names[i], &fault, error))
            return FALSE;
          g_array_append_val (list, fault);
        }
    }

  *out_list = g_steal_pointer (&list);
  return TRUE;
}

char *
eimza_sim_faults_to_string (EimzaSimFaults faults)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (fault_names); i++)
    {
      if ((faults & fault_names[i].fault) == 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, fault_names[i].name);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
eimza_sim_faults_truncate (EimzaSimReply *reply)
{
  g_autoptr(GBytes) half = NULL;
  const char *data;
  const char *cut;
  gsize size;

  if (reply->body == NULL)
    return;

  data = g_bytes_get_data (reply->body, &size);
  if (size < 2)
    return;

  /* Cut on a character boundary: the page should stop half-way, not turn
   * into invalid UTF-8, which is the malformed fault's business. */
  cut = data + size / 2;
  if (g_utf8_validate_len (data, size, NULL))
    cut = g_utf8_find_prev_char (data, cut + 1);

  half = g_bytes_new_from_bytes (reply->body, 0, cut - data);
  g_clear_pointer (&reply->body, g_bytes_unref);
  reply->body = g_steal_pointer (&half);
}

/* Closing tags a forgiving HTML parser can do without, but an XML parser
 * cannot. The title and the document element stay, so the text still looks
 * like the portal's page. */
static const char * const dropped_tags[] = {
  "</div>", "</form>", "</table>", "</tr>", "</td>", "</th>", "</span>",
  "</select>", "</option>", "</label>", "</p>", "</body>",
};

/* Bytes a broken application server or proxy might leave in a page: a NUL,
 * bytes that are not UTF-8, a stray escape sequence and half an entity. */
static const char junk[] = "\x00\xff\xfe\xc3\x28\x1b[0m<<>&#xZZ;&nbsp";

void
eimza_sim_faults_malform (EimzaSimReply *reply)
{
  g_autoptr(GString) page = NULL;
  const char *data;
  const char *body_start;
  gsize size;

  if (reply->body == NULL)
    return;

  data = g_bytes_get_data (reply->body, &size);
  page = g_string_new_len (data, size);

  for (gsize i = 0; i < G_N_ELEMENTS (dropped_tags); i++)
    g_string_replace (page, dropped_tags[i], "", 0);

  body_start = strstr (page->str, "<body>");
  if (body_start != NULL)
    g_string_insert_len (page, body_start - page->str + strlen ("<body>"),
                         junk, sizeof junk - 1);
  else
    g_string_prepend_len (page, junk, sizeof junk - 1);

  /* An attribute and a tag that never end. */
  g_string_append (page, "\n<div class=\"hata-mesaji\n<span id=\"");

  g_clear_pointer (&reply->body, g_bytes_unref);
  reply->body = g_string_free_to_bytes (g_steal_pointer (&page));
}

/* Rendered with the bidi algorithm as "Ödenecek tutar: 100,00 TL onay"
 * while the bytes say "00,001", and with characters that draw nothing:
 * the kind of text a person must not sign unseen. */
static const char bidi_line[] =
  "Ödenecek tutar: \u202E00,001\u202C TL \u2066onay\u2069\u200B\n";

GBytes *
eimza_sim_faults_bidi_text (GBytes *text)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (text, &size);
  const char *line_end = memchr (data, '\n', size);
  gsize head = line_end != NULL ? (gsize) (line_end - data) + 1 : size;
  GString *faulted = g_string_new_len (data, head);

  g_string_append (faulted, bidi_line);
  g_string_append_len (faulted, data + head, size - head);
  return g_string_free_to_bytes (faulted);
}

/* A DER SEQUENCE header, a NUL, a byte that is never UTF-8, half a
 * character: a file that is no text, whatever follows. */
static const char binary_head[] = "\x30\x82\x01\x0a\x00\xff\xfe\xc3";

GBytes *
eimza_sim_faults_binary_data (GBytes *text)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (text, &size);
  GString *faulted = g_string_new_len (binary_head, sizeof binary_head - 1);

  g_string_append_len (faulted, data, size);
  return g_string_free_to_bytes (faulted);
}
