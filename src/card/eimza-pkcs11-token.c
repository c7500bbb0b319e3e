/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PKCS#11 tokens, their PIN state, and the PIN safety rules. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs11.h>

#include "eimza-pkcs11-error.h"
#include "eimza-pkcs11-private.h"

/*
 * PIN safety
 *
 * A card blocks after three wrong PINs and only Kamu SM's site can unblock
 * it, so the application itself must never spend a try the person did not
 * knowingly give:
 *
 *  - We log in ourselves, with one C_Login on a session of our own, right
 *    after reading the token's PIN flags. GnuTLS then finds the token
 *    logged in and does not ask for a PIN. (GnuTLS's own login loop asks
 *    its PIN callback again after CKR_PIN_INCORRECT; see eimza-cades.c for
 *    the callback that refuses.)
 *  - A locked token gets no login at all; a token in the final-try state
 *    gets one only with EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED.
 *  - A PIN outside the token's declared length limits is not sent, since
 *    a card may count it as a wrong try.
 *  - The PIN stays in its EimzaSecret; C_Login reads it from there.
 *  - A session is handed out only after C_Login returned CKR_OK for THIS
 *    PIN (or, on a pinpad reader, for what was typed on it). An earlier
 *    login (GnuTLS keeps the one of the NES site's TLS login) is ended
 *    first and checked to be gone; CKR_USER_ALREADY_LOGGED_IN means the
 *    PIN was not verified, so it is never taken as success, and a token
 *    that stays logged in is refused rather than used.
 */

struct _EimzaPkcs11Token
{
  gatomicrefcount ref_count;
  char *uri;
  char *label;
  char *manufacturer;
  char *model;
  char *serial;
  EimzaPkcs11TokenFlags flags;
  guint min_pin_length;
  guint max_pin_length;
  char *module_path;
  char *module_description;
};

struct _EimzaPkcs11Session
{
  CK_FUNCTION_LIST *funcs;
  CK_SESSION_HANDLE handle;
  EimzaPkcs11Token *token;
  gboolean logged_in;
};

G_DEFINE_BOXED_TYPE (EimzaPkcs11Token, eimza_pkcs11_token,
                     eimza_pkcs11_token_ref, eimza_pkcs11_token_unref)

static EimzaPkcs11TokenFlags
flags_from_ck (CK_FLAGS flags)
{
  EimzaPkcs11TokenFlags result = 0;

  if (flags & CKF_LOGIN_REQUIRED)
    result |= EIMZA_PKCS11_TOKEN_LOGIN_REQUIRED;
  if (flags & CKF_PROTECTED_AUTHENTICATION_PATH)
    result |= EIMZA_PKCS11_TOKEN_PINPAD;
  if (flags & CKF_USER_PIN_COUNT_LOW)
    result |= EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW;
  if (flags & CKF_USER_PIN_FINAL_TRY)
    result |= EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY;
  if (flags & CKF_USER_PIN_LOCKED)
    result |= EIMZA_PKCS11_TOKEN_PIN_LOCKED;
  if (flags & CKF_USER_PIN_INITIALIZED)
    result |= EIMZA_PKCS11_TOKEN_PIN_INITIALIZED;
  if (flags & CKF_WRITE_PROTECTED)
    result |= EIMZA_PKCS11_TOKEN_WRITE_PROTECTED;
  if (flags & CKF_SO_PIN_COUNT_LOW)
    result |= EIMZA_PKCS11_TOKEN_SO_PIN_COUNT_LOW;
  if (flags & CKF_SO_PIN_FINAL_TRY)
    result |= EIMZA_PKCS11_TOKEN_SO_PIN_FINAL_TRY;
  if (flags & CKF_SO_PIN_LOCKED)
    result |= EIMZA_PKCS11_TOKEN_SO_PIN_LOCKED;

  return result;
}

static guint
pin_length_from_ck (CK_ULONG value)
{
  /* CK_UNAVAILABLE_INFORMATION and absurd values mean "no limit given". */
  return value > 0 && value <= 256 ? (guint) value : 0;
}

EimzaPkcs11Token *
eimza_pkcs11_token_new_from_info (CK_FUNCTION_LIST    *funcs,
                                  CK_SLOT_ID           slot,
                                  const CK_TOKEN_INFO *info,
                                  gboolean             trust_store)
{
  EimzaPkcs11Token *token = g_new0 (EimzaPkcs11Token, 1);
  P11KitUri *uri = p11_kit_uri_new ();
  char *formatted = NULL;
  gboolean have_module_info = FALSE;
  CK_INFO module_info;

  g_atomic_ref_count_init (&token->ref_count);

  memcpy (p11_kit_uri_get_token_info (uri), info, sizeof *info);
  /* The module's description and manufacturer in the URI make GnuTLS go
   * straight to this module for it, without asking the others (which may
   * probe every card; see eimza-pkcs11-readers.c). */
  if (funcs != NULL && funcs->C_GetInfo (&module_info) == CKR_OK)
    {
      memcpy (p11_kit_uri_get_module_info (uri), &module_info, sizeof module_info);
      have_module_info = TRUE;
    }
  if (p11_kit_uri_format (uri, P11_KIT_URI_FOR_TOKEN |
                               (have_module_info ? P11_KIT_URI_FOR_MODULE : 0),
                          &formatted) == P11_KIT_URI_OK)
    token->uri = g_strdup (formatted);
  else
    token->uri = g_strdup ("pkcs11:");
  free (formatted);
  p11_kit_uri_free (uri);

  token->label = eimza_pkcs11_string_from_field (info->label, sizeof info->label);
  token->manufacturer = eimza_pkcs11_string_from_field (info->manufacturerID,
                                                        sizeof info->manufacturerID);
  token->model = eimza_pkcs11_string_from_field (info->model, sizeof info->model);
  token->serial = eimza_pkcs11_string_from_field (info->serialNumber,
                                                  sizeof info->serialNumber);
  token->flags = flags_from_ck (info->flags);
  if (trust_store)
    token->flags |= EIMZA_PKCS11_TOKEN_TRUST_STORE;
  token->min_pin_length = pin_length_from_ck (info->ulMinPinLen);
  token->max_pin_length = pin_length_from_ck (info->ulMaxPinLen);

  if (funcs != NULL)
    {
      char *filename = p11_kit_module_get_filename (funcs);

      /* p11-kit allocates with malloc(); keep everything in one allocator. */
      token->module_path = g_strdup (filename);
      free (filename);
      if (have_module_info)
        token->module_description =
          eimza_pkcs11_string_from_field (module_info.libraryDescription,
                                          sizeof module_info.libraryDescription);
    }

  return token;
}

EimzaPkcs11Token *
eimza_pkcs11_token_ref (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  g_atomic_ref_count_inc (&token->ref_count);
  return token;
}

void
eimza_pkcs11_token_unref (EimzaPkcs11Token *token)
{
  g_return_if_fail (token != NULL);

  if (!g_atomic_ref_count_dec (&token->ref_count))
    return;

  g_free (token->uri);
  g_free (token->label);
  g_free (token->manufacturer);
  g_free (token->model);
  g_free (token->serial);
  g_free (token->module_path);
  g_free (token->module_description);
  g_free (token);
}

const char *
eimza_pkcs11_token_get_uri (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return token->uri;
}

const char *
eimza_pkcs11_token_get_label (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return token->label;
}

const char *
eimza_pkcs11_token_get_manufacturer (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return token->manufacturer;
}

const char *
eimza_pkcs11_token_get_model (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return token->model;
}

const char *
eimza_pkcs11_token_get_serial (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return token->serial;
}

EimzaPkcs11TokenFlags
eimza_pkcs11_token_get_flags (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, 0);
  return token->flags;
}

guint
eimza_pkcs11_token_get_min_pin_length (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, 0);
  return token->min_pin_length;
}

guint
eimza_pkcs11_token_get_max_pin_length (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, 0);
  return token->max_pin_length;
}

const char *
eimza_pkcs11_token_get_module_path (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return token->module_path;
}

const char *
eimza_pkcs11_token_get_module_description (EimzaPkcs11Token *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return token->module_description;
}

GPtrArray *
eimza_pkcs11_list_tokens (EimzaPkcs11  *self,
                          GError      **error)
{
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GPtrArray) handles = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!eimza_pkcs11_load_modules (self, error))
    return NULL;

  tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) eimza_pkcs11_token_unref);

  /* Module by module rather than through GnuTLS's list of all tokens, so
   * that a module is asked only about the cards it may hold (see
   * eimza-pkcs11-readers.c). */
  handles = eimza_pkcs11_get_handles (self);
  for (guint i = 0; i < handles->len; i++)
    {
      const EimzaPkcs11Handle *handle = g_ptr_array_index (handles, i);
      g_autoptr(GPtrArray) module_tokens = NULL;

      if (handle->trust_store)
        continue;
      module_tokens = eimza_pkcs11_readers_list_tokens (eimza_pkcs11_get_readers_state (self),
                                                        handle, handles, FALSE);
      g_ptr_array_extend_and_steal (tokens, g_steal_pointer (&module_tokens));
    }

  return g_steal_pointer (&tokens);
}

gboolean
eimza_pkcs11_find_slot (EimzaPkcs11        *self,
                        const char         *uri,
                        CK_FUNCTION_LIST  **funcs,
                        CK_SLOT_ID         *slot,
                        GError            **error)
{
  void *ptr = NULL;
  unsigned long slot_id = 0;
  int ret;

  if (!eimza_pkcs11_load_modules (self, error))
    return FALSE;

  ret = gnutls_pkcs11_token_get_ptr (uri, &ptr, &slot_id, 0);
  if (ret == GNUTLS_E_PARSING_ERROR)
    {
      g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NOT_FOUND,
                   _("“%s” does not name an object on a card."), uri);
      return FALSE;
    }
  if (ret < 0 || ptr == NULL || !eimza_pkcs11_allows_module (self, ptr))
    {
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD,
                           _("The e-signature card is not in the card reader, or its module "
                             "is not loaded. Insert the card and try again."));
      return FALSE;
    }

  *funcs = ptr;
  *slot = slot_id;
  return TRUE;
}

gboolean
eimza_pkcs11_check_uri_allowed (EimzaPkcs11  *self,
                                const char   *uri,
                                GError      **error)
{
  CK_FUNCTION_LIST *funcs;
  CK_SLOT_ID slot;

  /* Unrestricted: NULL is allowed only then. */
  if (eimza_pkcs11_allows_module (self, NULL))
    return TRUE;

  return eimza_pkcs11_find_slot (self, uri, &funcs, &slot, error);
}

EimzaPkcs11Token *
eimza_pkcs11_read_token (CK_FUNCTION_LIST  *funcs,
                         CK_SLOT_ID         slot,
                         GError           **error)
{
  CK_TOKEN_INFO info;
  CK_RV rv;

  rv = funcs->C_GetTokenInfo (slot, &info);
  if (!eimza_card_error_from_ckr (rv, EIMZA_CARD_ERROR_TOKEN, error))
    return NULL;

  return eimza_pkcs11_token_new_from_info (funcs, slot, &info, FALSE);
}

EimzaPkcs11Token *
eimza_pkcs11_lookup_token (EimzaPkcs11  *self,
                           const char   *uri,
                           GError      **error)
{
  CK_FUNCTION_LIST *funcs;
  CK_SLOT_ID slot;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!eimza_pkcs11_find_slot (self, uri, &funcs, &slot, error))
    return NULL;

  return eimza_pkcs11_read_token (funcs, slot, error);
}

gboolean
eimza_pkcs11_token_check_pin_policy (EimzaPkcs11Token      *token,
                                     EimzaPkcs11LoginFlags  flags,
                                     GError               **error)
{
  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (token->flags & EIMZA_PKCS11_TOKEN_PIN_LOCKED)
    {
      eimza_card_error_set_pin_locked (error, FALSE);
      return FALSE;
    }

  if ((token->flags & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY) &&
      !(flags & EIMZA_PKCS11_LOGIN_FINAL_TRY_CONFIRMED))
    {
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_FINAL_TRY_REFUSED,
                           _("Only one PIN try is left: one more wrong PIN locks the card. "
                             "The PIN was not sent. Confirm that you want to use the last "
                             "try, or unlock the card first."));
      return FALSE;
    }

  return TRUE;
}

gboolean
eimza_pkcs11_check_pin_form (EimzaPkcs11Token  *token,
                             EimzaSecret       *pin,
                             GError           **error)
{
  gsize length;

  if (eimza_secret_is_empty (pin))
    {
      g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID,
                           _("Enter the PIN of the e-signature card."));
      return FALSE;
    }

  length = eimza_secret_get_length (pin);
  if ((token->min_pin_length > 0 && length < token->min_pin_length) ||
      (token->max_pin_length > 0 && length > token->max_pin_length))
    {
      if (token->min_pin_length == token->max_pin_length)
        g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID,
                     ngettext ("The PIN of this card has %u character. The PIN was not sent.",
                               "The PIN of this card has %u characters. The PIN was not sent.",
                               token->min_pin_length),
                     token->min_pin_length);
      else
        g_set_error (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID,
                     _("The PIN of this card has %u to %u characters. The PIN was not sent."),
                     token->min_pin_length, token->max_pin_length);
      return FALSE;
    }

  return TRUE;
}

/* A wrong PIN (@rv CKR_PIN_INCORRECT) told with the tries the card has
 * left, read again after it; @changing: it was the current PIN of a PIN
 * change. Other codes are mapped as usual. */
static void
set_wrong_pin_error (CK_RV              rv,
                     CK_FUNCTION_LIST  *funcs,
                     CK_SLOT_ID         slot,
                     gboolean           changing,
                     GError           **error)
{
  g_autoptr(EimzaPkcs11Token) after = NULL;

  if (rv != CKR_PIN_INCORRECT)
    {
      eimza_card_error_from_ckr (rv, EIMZA_CARD_ERROR_TOKEN, error);
      return;
    }

  /* Read the token again: the wrong PIN may have changed the count. */
  after = eimza_pkcs11_read_token (funcs, slot, NULL);

  if (after != NULL && (after->flags & EIMZA_PKCS11_TOKEN_PIN_LOCKED))
    eimza_card_error_set_pin_locked (error, TRUE);
  else if (after != NULL && (after->flags & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY))
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT,
                         changing
                         ? _("The current PIN is incorrect, so the PIN was not changed. Only "
                             "one try is left: one more wrong PIN locks the card.")
                         : _("The PIN is incorrect. Only one try is left: one more wrong PIN "
                             "locks the card."));
  else if (after != NULL && (after->flags & EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW))
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT,
                         changing
                         ? _("The current PIN is incorrect, so the PIN was not changed. The "
                             "card counted a wrong try: two are left, as it locks after three "
                             "wrong PINs in a row.")
                         : _("The PIN is incorrect. The card locks after three wrong PINs in "
                             "a row; check the PIN before you try again."));
  else
    g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INCORRECT,
                         changing
                         ? _("The current PIN is incorrect, so the PIN was not changed.")
                         : _("The PIN is incorrect."));
}

static void
set_still_logged_in_error (GError **error)
{
  g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_TOKEN,
                       _("The card is still logged in from an earlier use and its module "
                         "did not log it out, so the PIN could not be checked. Nothing was "
                         "signed. Take the card out of the reader, insert it again and try "
                         "again."));
}

/* CK_SESSION_INFO says whether the session (i.e. the token, for this
 * process) is logged in as the user; FALSE with *@known = FALSE when the
 * module does not say. */
static gboolean
session_is_user (EimzaPkcs11Session *session,
                 gboolean           *known)
{
  CK_SESSION_INFO info;

  *known = session->funcs->C_GetSessionInfo (session->handle, &info) == CKR_OK;
  return *known && (info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS);
}

/* Logs out and makes sure of it as far as the module lets us see: a
 * refused logout, or one the session state shows was ignored, is an
 * error. */
static gboolean
log_out_checked (EimzaPkcs11Session  *session,
                 GError             **error)
{
  gboolean known;
  CK_RV rv;

  rv = session->funcs->C_Logout (session->handle);
  if ((rv != CKR_OK && rv != CKR_USER_NOT_LOGGED_IN) || session_is_user (session, &known))
    {
      set_still_logged_in_error (error);
      return FALSE;
    }

  return TRUE;
}

/* Ends a login that is visible in the session state. Without session
 * information nothing is known yet: C_Login tells. */
static gboolean
end_earlier_login (EimzaPkcs11Session  *session,
                   GError             **error)
{
  gboolean known;

  if (!session_is_user (session, &known))
    return TRUE;

  return log_out_checked (session, error);
}

/* One C_Login: with @pin, or with none for the reader's keypad. */
static CK_RV
send_pin (EimzaPkcs11Session *session,
          EimzaSecret        *pin)
{
  gsize length = 0;
  const char *value;

  if (pin == NULL)
    return session->funcs->C_Login (session->handle, CKU_USER, NULL, 0);

  value = eimza_secret_get (pin, &length);
  return session->funcs->C_Login (session->handle, CKU_USER, (CK_UTF8CHAR *) value, length);
}

EimzaPkcs11Session *
eimza_pkcs11_session_login (EimzaPkcs11            *self,
                            const char             *uri,
                            EimzaSecret            *pin,
                            EimzaPkcs11LoginFlags   flags,
                            GCancellable           *cancellable,
                            GError                **error)
{
  g_autoptr(EimzaPkcs11Session) session = NULL;
  g_autoptr(EimzaPkcs11Token) token = NULL;
  CK_FUNCTION_LIST *funcs;
  CK_SLOT_ID slot;
  gboolean pinpad;
  CK_RV rv;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!eimza_pkcs11_find_slot (self, uri, &funcs, &slot, error))
    return NULL;

  token = eimza_pkcs11_read_token (funcs, slot, error);
  if (token == NULL)
    return NULL;

  if (!eimza_pkcs11_token_check_pin_policy (token, flags, error))
    return NULL;

  pinpad = (token->flags & EIMZA_PKCS11_TOKEN_PINPAD) != 0;
  if (!pinpad && !eimza_pkcs11_check_pin_form (token, pin, error))
    return NULL;

  session = g_new0 (EimzaPkcs11Session, 1);
  session->funcs = funcs;
  session->handle = CK_INVALID_HANDLE;
  session->token = g_steal_pointer (&token);

  rv = funcs->C_OpenSession (slot, CKF_SERIAL_SESSION, NULL, NULL, &session->handle);
  if (!eimza_card_error_from_ckr (rv, EIMZA_CARD_ERROR_TOKEN, error))
    {
      session->handle = CK_INVALID_HANDLE;
      return NULL;
    }

  /* An earlier login (of this process) would let the operation run
   * without this PIN: end it, so that the PIN given now is what
   * authorises the signature. */
  if (!end_earlier_login (session, error))
    return NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* The one and only try. */
  rv = send_pin (session, pinpad ? NULL : pin);

  /* The module did not look at the PIN: a login is still there that the
   * session state did not show (or that the logout missed). End it and
   * send the PIN once more; this is still its first check. */
  if (rv == CKR_USER_ALREADY_LOGGED_IN)
    {
      if (!log_out_checked (session, error))
        return NULL;
      rv = send_pin (session, pinpad ? NULL : pin);
    }

  if (rv == CKR_USER_ALREADY_LOGGED_IN)
    {
      set_still_logged_in_error (error);
      return NULL;
    }

  if (rv != CKR_OK)
    {
      set_wrong_pin_error (rv, funcs, slot, FALSE, error);
      return NULL;
    }

  session->logged_in = TRUE;
  return g_steal_pointer (&session);
}

EimzaPkcs11Token *
eimza_pkcs11_session_get_token (EimzaPkcs11Session *session)
{
  g_return_val_if_fail (session != NULL, NULL);

  return session->token;
}

void
eimza_pkcs11_session_close (EimzaPkcs11Session *session)
{
  if (session == NULL)
    return;

  if (session->handle != CK_INVALID_HANDLE)
    {
      if (session->logged_in)
        session->funcs->C_Logout (session->handle);
      session->funcs->C_CloseSession (session->handle);
    }

  g_clear_pointer (&session->token, eimza_pkcs11_token_unref);
  g_free (session);
}

gboolean
eimza_pkcs11_change_pin (EimzaPkcs11            *self,
                         const char             *uri,
                         EimzaSecret            *current_pin,
                         EimzaSecret            *new_pin,
                         EimzaPkcs11LoginFlags   flags,
                         GCancellable           *cancellable,
                         GError                **error)
{
  g_autoptr(EimzaPkcs11Token) token = NULL;
  CK_SESSION_HANDLE handle = CK_INVALID_HANDLE;
  CK_FUNCTION_LIST *funcs;
  CK_SLOT_ID slot;
  gboolean pinpad;
  const char *current_value = NULL;
  const char *new_value = NULL;
  gsize current_length = 0;
  gsize new_length = 0;
  CK_RV rv;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!eimza_pkcs11_find_slot (self, uri, &funcs, &slot, error))
    return FALSE;

  token = eimza_pkcs11_read_token (funcs, slot, error);
  if (token == NULL)
    return FALSE;

  /* The current PIN spends a try like a login: the same rules. */
  if (!eimza_pkcs11_token_check_pin_policy (token, flags, error))
    return FALSE;

  pinpad = (token->flags & EIMZA_PKCS11_TOKEN_PINPAD) != 0;
  if (!pinpad)
    {
      if (!eimza_pkcs11_check_pin_form (token, current_pin, error))
        return FALSE;
      if (new_pin == NULL || !eimza_pkcs11_check_pin_form (token, new_pin, error))
        {
          g_clear_error (error);
          g_set_error_literal (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_INVALID,
                               _("The card does not accept a new PIN of this length. The PIN "
                                 "was not changed."));
          return FALSE;
        }
      current_value = eimza_secret_get (current_pin, &current_length);
      new_value = eimza_secret_get (new_pin, &new_length);
    }

  /* C_SetPIN needs a read-write session; without a login it changes the
   * user's PIN after checking the current one. */
  rv = funcs->C_OpenSession (slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &handle);
  if (!eimza_card_error_from_ckr (rv, EIMZA_CARD_ERROR_TOKEN, error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      funcs->C_CloseSession (handle);
      return FALSE;
    }

  /* The one and only try; on a keypad reader the person types both PINs
   * there. */
  rv = funcs->C_SetPIN (handle, (CK_UTF8CHAR *) current_value, current_length,
                        (CK_UTF8CHAR *) new_value, new_length);
  funcs->C_CloseSession (handle);

  if (rv != CKR_OK)
    {
      set_wrong_pin_error (rv, funcs, slot, TRUE, error);
      return FALSE;
    }

  return TRUE;
}
