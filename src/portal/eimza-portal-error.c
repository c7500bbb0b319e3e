/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Why a conversation with the application portal failed, in one error domain. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "eimza-portal-error.h"

G_DEFINE_QUARK (eimza-portal-error-quark, eimza_portal_error)

/* Network failures are told apart only as far as the advice differs. */
static void
set_network_error (const GError  *transport_error,
                   GError       **error)
{
  if (transport_error->domain == G_RESOLVER_ERROR ||
      g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK,
                           _("Could not find the portal’s address. Check your "
                             "Internet connection and try again."));
      return;
    }

  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED) ||
      g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_PROXY_NOT_ALLOWED) ||
      g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_PROXY_AUTH_FAILED))
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK,
                           _("Could not connect to the portal. Check your "
                             "Internet connection and try again."));
      return;
    }

  g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK,
                       _("The connection to the portal was interrupted. Try again."));
}

static void
set_status_error (guint    status,
                  GError **error)
{
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SERVER,
                         _("The portal is temporarily unavailable. Try again later."));
  else if (status >= 500)
    g_set_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SERVER,
                 _("The portal is not working properly at the moment (error %u). "
                   "Try again later."), status);
  else if (status == SOUP_STATUS_REQUEST_TIMEOUT || status == SOUP_STATUS_GATEWAY_TIMEOUT)
    g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT,
                         _("The portal did not answer in time. Try again later."));
  else
    g_set_error (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
                 _("The portal answered in an unexpected way (error %u). The portal "
                   "may have changed; check for an update of this application."),
                 status);
}

gboolean
eimza_portal_error_check_exchange (const GError  *transport_error,
                                   guint          status,
                                   GError       **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (transport_error == NULL)
    {
      /* 1xx never reaches here; redirects are the caller's business. */
      if (status >= 200 && status < 400)
        return TRUE;

      set_status_error (status, error);
      return FALSE;
    }

  /* Only the error's kind is kept: its text may name hosts or paths and is
   * not meant for people; g_debug() it when diagnosing. */
  g_debug ("Portal exchange failed: %s (%s %d), HTTP status %u",
           transport_error->message, g_quark_to_string (transport_error->domain),
           transport_error->code, status);

  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (transport_error));
      return FALSE;
    }

  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT,
                           _("The portal did not answer in time. Try again later."));
      return FALSE;
    }

  if (transport_error->domain == G_TLS_ERROR)
    {
      /* Whatever went wrong, nothing was sent over an unverified channel;
       * there is deliberately no way to accept the certificate anyway. */
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TLS,
                           _("The connection to the portal is not secure: its "
                             "certificate could not be verified, so nothing was sent. "
                             "Check the computer’s date and time, or try again from "
                             "another network."));
      return FALSE;
    }

  if (g_error_matches (transport_error, SOUP_SESSION_ERROR,
                       SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS) ||
      g_error_matches (transport_error, SOUP_SESSION_ERROR,
                       SOUP_SESSION_ERROR_REDIRECT_NO_LOCATION) ||
      g_error_matches (transport_error, SOUP_SESSION_ERROR,
                       SOUP_SESSION_ERROR_REDIRECT_BAD_URI))
    {
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE,
                           eimza_portal_error_describe (EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE));
      return FALSE;
    }

  set_network_error (transport_error, error);
  return FALSE;
}

gboolean
eimza_portal_error_check_client_exchange (const GError  *transport_error,
                                          guint          status,
                                          gboolean       certificate_presented,
                                          const GError  *pin_error,
                                          GError       **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (transport_error == NULL ||
      g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return eimza_portal_error_check_exchange (transport_error, status, error);

  /* The PIN dialog's own answer explains best what happened; whatever the
   * handshake made of it afterwards is a consequence. */
  if (pin_error != NULL)
    {
      g_debug ("E-signature login stopped by the PIN interaction: %s (%s %d)",
               pin_error->message, g_quark_to_string (pin_error->domain), pin_error->code);

      if (g_error_matches (pin_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_error_copy (pin_error));
      else
        g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_PIN,
                             pin_error->message != NULL && *pin_error->message != '\0'
                               ? pin_error->message
                               : eimza_portal_error_describe (EIMZA_PORTAL_ERROR_PIN));
      return FALSE;
    }

  if (g_error_matches (transport_error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    {
      g_debug ("E-signature login: %s", transport_error->message);
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED,
                           certificate_presented
                             ? eimza_portal_error_describe (EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED)
                             : _("The e-signature site asks for the certificate on your card, "
                                 "but none was available. Insert the card and choose your "
                                 "certificate."));
      return FALSE;
    }

  /* With TLS 1.3 a server that refuses the client's certificate just
   * closes the connection the client has already started to use; a
   * failure right after presenting the certificate is that refusal. Our
   * own refusal of the server's certificate stays a TLS error. */
  if (certificate_presented &&
      !g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
      !g_error_matches (transport_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      g_debug ("E-signature login refused: %s (%s %d)", transport_error->message,
               g_quark_to_string (transport_error->domain), transport_error->code);
      g_set_error_literal (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED,
                           eimza_portal_error_describe (EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED));
      return FALSE;
    }

  return eimza_portal_error_check_exchange (transport_error, status, error);
}

gboolean
eimza_portal_error_is_transient (const GError *error,
                                 guint         status)
{
  if (error == NULL)
    return status == SOUP_STATUS_SERVICE_UNAVAILABLE;

  return g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_NETWORK) ||
         g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_TIMEOUT) ||
         (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_SERVER) &&
          status == SOUP_STATUS_SERVICE_UNAVAILABLE);
}

gboolean
eimza_portal_error_can_retry (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != EIMZA_PORTAL_ERROR)
    return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  /* No default: a new code must be classified here (-Wswitch), and
   * tests/portal/test-portal-error.c lists the expected answer for each. */
  switch ((EimzaPortalError) error->code)
    {
    case EIMZA_PORTAL_ERROR_NETWORK:
    case EIMZA_PORTAL_ERROR_TIMEOUT:
    case EIMZA_PORTAL_ERROR_TLS:
    case EIMZA_PORTAL_ERROR_SERVER:
    case EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE:
    case EIMZA_PORTAL_ERROR_PIN:
    case EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED:
    case EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN:
      return TRUE;
    case EIMZA_PORTAL_ERROR_SESSION_EXPIRED:
    case EIMZA_PORTAL_ERROR_WRONG_CAPTCHA:
    case EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH:
    case EIMZA_PORTAL_ERROR_INVALID_FIELDS:
    case EIMZA_PORTAL_ERROR_SMS_WRONG_CODE:
    case EIMZA_PORTAL_ERROR_SMS_EXPIRED:
    case EIMZA_PORTAL_ERROR_SMS_LOCKED:
    case EIMZA_PORTAL_ERROR_SMS_TOO_EARLY:
    case EIMZA_PORTAL_ERROR_NOT_AVAILABLE:
    case EIMZA_PORTAL_ERROR_REJECTED:
    case EIMZA_PORTAL_ERROR_CODE_EXPIRED:
    case EIMZA_PORTAL_ERROR_CODE_INVALID:
    case EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED:
    case EIMZA_PORTAL_ERROR_WRONG_SIGNER:
    case EIMZA_PORTAL_ERROR_SECURITY_WORD_WRONG:
    case EIMZA_PORTAL_ERROR_SECURITY_WORD_LOCKED:
    case EIMZA_PORTAL_ERROR_UNBLOCK_REFUSED:
      return FALSE;
    }

  g_critical ("EimzaPortalError code %d is not classified for retrying", error->code);
  return FALSE;
}

const char *
eimza_portal_error_describe (EimzaPortalError code)
{
  switch (code)
    {
    case EIMZA_PORTAL_ERROR_NETWORK:
      return _("Could not connect to the portal. Check your Internet connection and try again.");
    case EIMZA_PORTAL_ERROR_TIMEOUT:
      return _("The portal did not answer in time. Try again later.");
    case EIMZA_PORTAL_ERROR_TLS:
      return _("The connection to the portal is not secure: its certificate could not be "
               "verified, so nothing was sent. Check the computer’s date and time, or try "
               "again from another network.");
    case EIMZA_PORTAL_ERROR_SERVER:
      return _("The portal is temporarily unavailable. Try again later.");
    case EIMZA_PORTAL_ERROR_UNEXPECTED_PAGE:
      return _("The portal sent a page this application does not recognise. The portal may "
               "have changed or be having problems; try again later or check for an update "
               "of this application.");
    case EIMZA_PORTAL_ERROR_SESSION_EXPIRED:
      return _("Your session on the portal has ended. Sign in again; what you typed has "
               "been kept.");
    case EIMZA_PORTAL_ERROR_WRONG_CAPTCHA:
      return _("The text of the security image was not typed correctly.");
    case EIMZA_PORTAL_ERROR_IDENTITY_MISMATCH:
      return _("The identity details do not match the population register.");
    case EIMZA_PORTAL_ERROR_INVALID_FIELDS:
      return _("The portal did not accept some fields of the form.");
    case EIMZA_PORTAL_ERROR_SMS_WRONG_CODE:
      return _("The SMS approval code is wrong.");
    case EIMZA_PORTAL_ERROR_SMS_EXPIRED:
      return _("The SMS approval code has expired. Ask for a new one.");
    case EIMZA_PORTAL_ERROR_SMS_LOCKED:
      return _("Too many wrong SMS approval codes. Sign in again to start over.");
    case EIMZA_PORTAL_ERROR_SMS_TOO_EARLY:
      return _("Wait a little before asking for a new SMS approval code.");
    case EIMZA_PORTAL_ERROR_NOT_AVAILABLE:
      return _("You have no active e-onay, so the application cannot be approved with it.");
    case EIMZA_PORTAL_ERROR_REJECTED:
      return _("The portal did not accept this step.");
    case EIMZA_PORTAL_ERROR_CERTIFICATE_REFUSED:
      return _("The e-signature site did not accept the certificate on your card. Log in "
               "with your own valid qualified certificate from Kamu SM, with the card "
               "inserted.");
    case EIMZA_PORTAL_ERROR_PIN:
      return _("The card’s PIN was not accepted, so the e-signature login was stopped. "
               "Nothing was tried again with the same PIN.");
    case EIMZA_PORTAL_ERROR_CODE_EXPIRED:
      return _("The time allowed for signing with this verification code has run out. Start "
               "the step again to get a new code.");
    case EIMZA_PORTAL_ERROR_CODE_INVALID:
      return _("This verification code is not valid: it was mistyped, has been used "
               "already, or belongs to a session that has ended.");
    case EIMZA_PORTAL_ERROR_SIGNATURE_REJECTED:
      return _("The e-signature site did not accept the signature. Sign again with the "
               "certificate on your card.");
    case EIMZA_PORTAL_ERROR_WRONG_SIGNER:
      return _("The signature was made with someone else’s certificate. Sign with the card "
               "of the person who logged in.");
    case EIMZA_PORTAL_ERROR_UPLOAD_UNKNOWN:
      return _("The connection broke after your signature was sent, and Kamu SM could not "
               "be asked whether it arrived. Try again to ask once more; do not sign again "
               "yet.");
    case EIMZA_PORTAL_ERROR_SECURITY_WORD_WRONG:
      return _("The T.C. Kimlik No or the security word is wrong. The security word is the "
               "one you chose in your certificate application form.");
    case EIMZA_PORTAL_ERROR_SECURITY_WORD_LOCKED:
      return _("The security word was typed wrong too many times, so Kamu SM has closed "
               "Şifreli Giriş for this T.C. Kimlik No. Call Kamu SM’s call centre "
               "to open it again.");
    case EIMZA_PORTAL_ERROR_UNBLOCK_REFUSED:
      return _("Kamu SM did not give the card’s unblock code. Try again later, or call Kamu "
               "SM’s call centre.");
    default:
      g_return_val_if_reached (_("The portal did not accept this step."));
    }
}
