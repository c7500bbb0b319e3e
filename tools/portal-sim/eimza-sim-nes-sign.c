/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Verification codes and the check of the signatures uploaded for them: the NES site's and the e-signed application's. */
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>

#include "eimza-cades.h"
#include "eimza-certificate.h"
#include "eimza-sim-nes-sign.h"
#include "eimza-sim-texts.h"

/* The captcha's alphabet: no look-alikes, so a code read off the screen
 * and typed into the signer comes out right. */
#define CODE_ALPHABET "ABCDEFGHJKLMNPRSTUVYZ23456789"
#define CODE_LENGTH 8
/* Codes are kept this long after their deadline, to tell "expired" from
 * "unknown". */
#define KEEP_EXPIRED_US (10 * 60 * G_USEC_PER_SEC)

struct _EimzaSimNesCodes
{
  GRand *rand;        /* borrowed */
  GHashTable *codes;  /* normalised code -> EimzaSimNesCode, owned */
};

static void
code_free (EimzaSimNesCode *code)
{
  g_free (code->code);
  g_free (code->display);
  g_free (code->session_id);
  g_free (code->tckn);
  g_clear_pointer (&code->data, g_bytes_unref);
  g_free (code);
}

EimzaSimNesCodes *
eimza_sim_nes_codes_new (GRand *rand)
{
  EimzaSimNesCodes *codes = g_new0 (EimzaSimNesCodes, 1);

  codes->rand = rand;
  codes->codes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) code_free);
  return codes;
}

void
eimza_sim_nes_codes_free (EimzaSimNesCodes *codes)
{
  if (codes == NULL)
    return;

  g_clear_pointer (&codes->codes, g_hash_table_unref);
  g_free (codes);
}

static char *
normalise (const char *typed)
{
  GString *code = g_string_new (NULL);

  for (const char *p = typed; p != NULL && *p != '\0'; p++)
    {
      if (*p == '-' || g_ascii_isspace (*p))
        continue;
      g_string_append_c (code, g_ascii_toupper (*p));
    }

  return g_string_free (code, FALSE);
}

void
eimza_sim_nes_codes_drop_session (EimzaSimNesCodes *codes,
                                  const char       *session_id)
{
  GHashTableIter iter;
  EimzaSimNesCode *code;

  g_hash_table_iter_init (&iter, codes->codes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &code))
    {
      if (g_strcmp0 (code->session_id, session_id) == 0)
        g_hash_table_iter_remove (&iter);
    }
}

static void
drop_stale (EimzaSimNesCodes *codes,
            gint64            now_us)
{
  GHashTableIter iter;
  EimzaSimNesCode *code;

  g_hash_table_iter_init (&iter, codes->codes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &code))
    {
      if (now_us - code->deadline_us > KEEP_EXPIRED_US)
        g_hash_table_iter_remove (&iter);
    }
}

EimzaSimNesCode *
eimza_sim_nes_codes_issue (EimzaSimNesCodes   *codes,
                           const char         *session_id,
                           const char         *tckn,
                           EimzaSimNesPurpose  purpose,
                           guint               deadline_seconds,
                           gint64              now_us)
{
  EimzaSimNesCode *code = g_new0 (EimzaSimNesCode, 1);
  char text[CODE_LENGTH + 1];

  eimza_sim_nes_codes_drop_session (codes, session_id);
  drop_stale (codes, now_us);

  do
    {
      for (guint i = 0; i < CODE_LENGTH; i++)
        text[i] = CODE_ALPHABET[g_rand_int_range (codes->rand, 0, strlen (CODE_ALPHABET))];
      text[CODE_LENGTH] = '\0';
    }
  while (g_hash_table_contains (codes->codes, text));

  code->code = g_strdup (text);
  code->display = g_strdup_printf ("%.4s-%s", text, text + 4);
  code->session_id = g_strdup (session_id);
  code->tckn = g_strdup (tckn);
  code->purpose = purpose;
  code->issued_us = now_us;
  code->deadline_us = now_us + (gint64) deadline_seconds * G_USEC_PER_SEC;
  code->issued_unix = g_get_real_time () / G_USEC_PER_SEC;
  code->deadline_unix = code->issued_unix + deadline_seconds;

  g_hash_table_insert (codes->codes, code->code, code);
  return code;
}

EimzaSimNesCode *
eimza_sim_nes_codes_lookup (EimzaSimNesCodes *codes,
                            const char       *typed)
{
  g_autofree char *code = NULL;

  if (typed == NULL)
    return NULL;

  code = normalise (typed);
  return g_hash_table_lookup (codes->codes, code);
}

gboolean
eimza_sim_nes_code_is_expired (const EimzaSimNesCode *code,
                               gint64                 now_us)
{
  return now_us > code->deadline_us;
}

guint
eimza_sim_nes_code_seconds_left (const EimzaSimNesCode *code,
                                 gint64                 now_us,
                                 gboolean               round_up)
{
  gint64 left = code->deadline_us - now_us;

  if (left <= 0)
    return 0;
  if (round_up)
    return (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  return (guint) (left / G_USEC_PER_SEC);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs7_t, gnutls_pkcs7_deinit, NULL)

/* Whether one of the certificates the signature carries chains to the
 * anchors; eimza_cades_verify() checks the signer's chain again, but its
 * failure would not say whether the chain or the content is wrong. */
static gboolean
carries_trusted_certificate (gnutls_pkcs7_t  pkcs7,
                             GBytes         *trust_pem)
{
  int n = gnutls_pkcs7_get_crt_count (pkcs7);

  for (int i = 0; i < n; i++)
    {
      gnutls_datum_t der = { NULL, 0 };
      g_autoptr(EimzaCertificate) certificate = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (gnutls_pkcs7_get_crt_raw2 (pkcs7, i, &der) < 0)
        continue;
      bytes = g_bytes_new (der.data, der.size);
      gnutls_free (der.data);

      certificate = eimza_certificate_new_from_der (bytes, NULL);
      if (certificate != NULL && eimza_certificate_chains_to (certificate, trust_pem, NULL))
        return TRUE;
    }

  return FALSE;
}

EimzaSimNesSignatureCheck
eimza_sim_nes_check_signature (const EimzaSimNesCode *code,
                               GBytes                *cms,
                               GBytes                *trust_pem,
                               guint                  skew_seconds)
{
  g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
  g_autoptr(EimzaCadesSignature) signature = NULL;
  g_autoptr(GError) error = NULL;
  EimzaCertificate *signer;
  GDateTime *signing_time;
  gnutls_datum_t datum;
  gsize size;
  gint64 when;

  datum.data = (unsigned char *) g_bytes_get_data (cms, &size);
  datum.size = (unsigned int) size;
  if (size == 0 || size > EIMZA_SIM_NES_MAX_SIGNATURE_SIZE
      || gnutls_pkcs7_init (&pkcs7) < 0
      || gnutls_pkcs7_import (pkcs7, &datum, GNUTLS_X509_FMT_DER) < 0)
    return EIMZA_SIM_NES_SIGNATURE_BAD_DATA;

  if (!carries_trusted_certificate (pkcs7, trust_pem))
    return EIMZA_SIM_NES_SIGNATURE_UNTRUSTED;

  /* Detached: over the exact bytes; enveloping: the embedded content must
   * be those bytes. */
  signature = eimza_cades_verify (cms, code->data, trust_pem, &error);
  if (signature == NULL)
    {
      g_debug ("Upload for a code refused: %s", error->message);
      return EIMZA_SIM_NES_SIGNATURE_WRONG_CONTENT;
    }
  if (!eimza_cades_signature_is_detached (signature)
      && !g_bytes_equal (eimza_cades_signature_get_content (signature), code->data))
    return EIMZA_SIM_NES_SIGNATURE_WRONG_CONTENT;

  if (!eimza_cades_signature_has_signing_certificate_v2 (signature))
    return EIMZA_SIM_NES_SIGNATURE_NOT_CADES;

  signer = eimza_cades_signature_get_signer (signature);
  if (g_strcmp0 (eimza_certificate_get_tckn (signer), code->tckn) != 0)
    return EIMZA_SIM_NES_SIGNATURE_WRONG_SIGNER;

  signing_time = eimza_cades_signature_get_signing_time (signature);
  if (signing_time == NULL)
    return EIMZA_SIM_NES_SIGNATURE_SIGNING_TIME;
  when = g_date_time_to_unix (signing_time);
  if (when < code->issued_unix - (gint64) skew_seconds
      || when > code->deadline_unix + (gint64) skew_seconds)
    return EIMZA_SIM_NES_SIGNATURE_SIGNING_TIME;

  return EIMZA_SIM_NES_SIGNATURE_OK;
}

EimzaSimReply *
eimza_sim_nes_code_refusal (const EimzaSimNesCode *code,
                            gboolean               is_upload,
                            EimzaSimFaults         faults,
                            gint64                 now_us)
{
  if (code->used || (is_upload && (faults & EIMZA_SIM_FAULT_SIGNATURE_REPLAYED)))
    return eimza_sim_reply_new_text (409, TEXT_NES_CODE_USED);
  if (eimza_sim_nes_code_is_expired (code, now_us) || (faults & EIMZA_SIM_FAULT_CODE_EXPIRED))
    return eimza_sim_reply_new_text (410, TEXT_NES_CODE_EXPIRED);

  return NULL;
}

/* Applied once per code: fetching again returns the same bytes, as the
 * protocol says. */
static void
fault_data (EimzaSimNesCode *code,
            EimzaSimFaults   faults)
{
  GBytes *faulted;

  if (code->data_faulted || (faults & (EIMZA_SIM_FAULT_BIDI | EIMZA_SIM_FAULT_BINARY)) == 0)
    return;

  faulted = (faults & EIMZA_SIM_FAULT_BINARY) ? eimza_sim_faults_binary_data (code->data)
                                              : eimza_sim_faults_bidi_text (code->data);
  g_bytes_unref (code->data);
  code->data = faulted;
  code->data_faulted = TRUE;
}

EimzaSimReply *
eimza_sim_nes_sign_data_reply (EimzaSimNesCode *code,
                               EimzaSimFaults   faults,
                               gint64           now_us)
{
  g_autoptr(GDateTime) deadline = g_date_time_new_from_unix_utc (code->deadline_unix);
  g_autofree char *deadline_text = g_date_time_format (deadline, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *seconds_left = g_strdup_printf ("%u",
                                                   eimza_sim_nes_code_seconds_left (code, now_us,
                                                                                    FALSE));
  EimzaSimReply *reply;

  fault_data (code, faults);
  reply = eimza_sim_reply_new_bytes (200, "application/octet-stream", code->data);

  eimza_sim_reply_add_header (reply, "X-Imza-Islem", eimza_sim_nes_purpose_name (code->purpose));
  eimza_sim_reply_add_header (reply, "X-Imza-Son-Zaman", deadline_text);
  eimza_sim_reply_add_header (reply, "X-Imza-Kalan-Saniye", seconds_left);
  return reply;
}

EimzaSimNesSignatureCheck
eimza_sim_nes_check_upload (const EimzaSimNesCode *code,
                            GBytes                *body,
                            GBytes                *trust_pem,
                            guint                  skew_seconds,
                            EimzaSimFaults         faults)
{
  if (faults & EIMZA_SIM_FAULT_CONTENT_MISMATCH)
    return EIMZA_SIM_NES_SIGNATURE_WRONG_CONTENT;
  if (faults & EIMZA_SIM_FAULT_SIGNER_MISMATCH)
    return EIMZA_SIM_NES_SIGNATURE_WRONG_SIGNER;
  if (body == NULL)
    return EIMZA_SIM_NES_SIGNATURE_BAD_DATA;
  if (trust_pem == NULL)
    return EIMZA_SIM_NES_SIGNATURE_UNTRUSTED;

  return eimza_sim_nes_check_signature (code, body, trust_pem, skew_seconds);
}

EimzaSimReply *
eimza_sim_nes_signature_refusal (EimzaSimNesSignatureCheck check)
{
  switch (check)
    {
    case EIMZA_SIM_NES_SIGNATURE_OK:
      return NULL;
    case EIMZA_SIM_NES_SIGNATURE_BAD_DATA:
      return eimza_sim_reply_new_text (400, TEXT_NES_BAD_DATA);
    case EIMZA_SIM_NES_SIGNATURE_UNTRUSTED:
      return eimza_sim_reply_new_text (422, TEXT_NES_UNTRUSTED);
    case EIMZA_SIM_NES_SIGNATURE_WRONG_CONTENT:
      return eimza_sim_reply_new_text (422, TEXT_NES_WRONG_CONTENT);
    case EIMZA_SIM_NES_SIGNATURE_NOT_CADES:
      return eimza_sim_reply_new_text (422, TEXT_NES_NOT_CADES);
    case EIMZA_SIM_NES_SIGNATURE_WRONG_SIGNER:
      return eimza_sim_reply_new_text (403, TEXT_NES_WRONG_SIGNER);
    case EIMZA_SIM_NES_SIGNATURE_SIGNING_TIME:
    default:
      return eimza_sim_reply_new_text (422, TEXT_NES_SIGNING_TIME);
    }
}
