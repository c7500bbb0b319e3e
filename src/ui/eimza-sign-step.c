/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One signing step: what is signed, the certificate, the site's countdown, the PIN and the card's signature. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-certificates.h"
#include "eimza-card-signing.h"
#include "eimza-certificate-choice.h"
#include "eimza-control-label.h"
#include "eimza-pin-dialog-asker.h"
#include "eimza-portal-error.h"
#include "eimza-request-status.h"
#include "eimza-sign-step.h"
#include "eimza-signed-text.h"

/* The countdown turns into a warning this many seconds before the end. */
#define WARNING_SECONDS 30

typedef enum {
  NOTICE_NONE,
  NOTICE_NO_CARD,    /* no card (or reader, or service): signing waits for it */
  NOTICE_LOCKED,     /* the card's PIN is locked: nothing more to do here */
  NOTICE_EXPIRED,    /* the deadline passed: Start Again */
  NOTICE_UNREADABLE, /* the data cannot be shown, so it is not signed */
} Notice;

struct _EimzaSignStep
{
  GtkBox parent_instance;

  EimzaCardService *service;

  /* The step */
  gboolean started;
  GBytes *data;
  gboolean readable;     /* @data is shown as it is signed; never signed otherwise */
  GDateTime *deadline;
  char *tckn;
  char *preferred_uri;
  gint64 total_us;       /* from start() to the deadline, for the level bar */
  guint tick_id;

  /* The certificates offered, in the combo box's order. */
  GPtrArray *certificates;
  GCancellable *list_cancellable;
  guint reload_idle_id;

  /* The signature under way: the card-signing operation (PIN state,
   * PIN dialog, signature) and its cancellable, which the request
   * status's Cancel also cancels while it shows the operation. */
  EimzaCertificate *signing_certificate;
  EimzaCardSigning *signing;
  GCancellable *cancellable;
  gboolean owner_busy;
  gboolean signed_waiting;  /* "signed" emitted; the owner uploads */

  Notice notice;
  gint64 announced_left;    /* the time left when last looked at; -1: not yet */

  /* template */
  GtkLabel *heading_label;
  GtkWidget *document_title_label;
  GtkWidget *document_scroller;
  GtkTextView *document_view;
  GtkLabel *escapes_label;
  GtkWidget *certificate_title_label;
  GtkComboBoxText *certificate_combo;
  GtkLabel *certificate_hint_label;
  GtkWidget *countdown_box;
  GtkLabel *countdown_label;
  GtkLevelBar *countdown_bar;
  GtkWidget *notice_box;
  GtkImage *notice_icon;
  GtkLabel *notice_label;
  GtkWidget *unlock_button;
  GtkWidget *restart_button;
  EimzaRequestStatus *request_status;
  GtkWidget *sign_button;
};

G_DEFINE_FINAL_TYPE (EimzaSignStep, eimza_sign_step, GTK_TYPE_BOX)

enum {
  SIGNED,
  RESTART_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void reload_certificates (EimzaSignStep *self);

static gint64
seconds_left (EimzaSignStep *self)
{
  gint64 left_us;

  if (self->deadline == NULL)
    return G_MAXINT64;

  left_us = g_date_time_to_unix (self->deadline) * G_USEC_PER_SEC +
            g_date_time_get_microsecond (self->deadline) - g_get_real_time ();

  /* Rounded up: "0:01" is shown until the very end. */
  return left_us <= 0 ? 0 : (left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

static gboolean
is_expired (EimzaSignStep *self)
{
  return self->deadline != NULL && seconds_left (self) <= 0;
}

static EimzaCertificate *
selected_certificate (EimzaSignStep *self)
{
  int active = gtk_combo_box_get_active (GTK_COMBO_BOX (self->certificate_combo));

  if (self->certificates == NULL || active < 0 || (guint) active >= self->certificates->len)
    return NULL;

  return g_ptr_array_index (self->certificates, active);
}

static gboolean
is_busy (EimzaSignStep *self)
{
  return eimza_request_status_is_busy (self->request_status) || self->signing != NULL ||
         self->owner_busy || self->signed_waiting;
}

static void
update_buttons (EimzaSignStep *self)
{
  gboolean busy = is_busy (self);
  gboolean usable = self->started && self->readable && self->notice == NOTICE_NONE &&
                    !is_expired (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->certificate_combo), !busy && usable);
  gtk_widget_set_sensitive (self->sign_button,
                            !busy && usable && selected_certificate (self) != NULL);
}

static void
set_notice (EimzaSignStep *self,
            Notice         notice,
            const char    *text)
{
  GtkStyleContext *context = gtk_widget_get_style_context (self->notice_box);

  self->notice = notice;
  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  gtk_widget_set_visible (self->notice_box, notice != NOTICE_NONE);
  gtk_widget_set_visible (self->restart_button, notice == NOTICE_EXPIRED);
  gtk_widget_set_visible (self->unlock_button, notice == NOTICE_LOCKED);
  gtk_image_set_from_icon_name (self->notice_icon,
                                notice == NOTICE_NO_CARD ? "media-removable-symbolic"
                                                         : "dialog-warning-symbolic",
                                GTK_ICON_SIZE_LARGE_TOOLBAR);
  if (notice == NOTICE_LOCKED || notice == NOTICE_EXPIRED || notice == NOTICE_UNREADABLE)
    gtk_style_context_add_class (context, "sign-notice-error");
  else
    gtk_style_context_remove_class (context, "sign-notice-error");

  update_buttons (self);
}

/* Stops what this step does with the card now: the PIN dialog, a PIN
 * state being read, a signature not yet made. A PIN already sent to the
 * card is not taken back (the card service sends it or not, atomically);
 * its result is dropped. */
static void
stop_signing (EimzaSignStep *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->signing);
  if (eimza_request_status_is_busy (self->request_status))
    eimza_request_status_end (self->request_status);
  g_clear_object (&self->signing_certificate);
}

static void
show_expired (EimzaSignStep *self)
{
  const char *text = _("The time for this signature ran out. Nothing was signed. Start the step "
                       "again to get a new verification code; what you entered is kept.");

  stop_signing (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  set_notice (self, NOTICE_EXPIRED, text);
  eimza_request_status_announce (self->request_status, text);
}

/* The time left is said at these marks (seconds), never every second as
 * the label shows it; its end is said by show_expired(). */
static const int countdown_marks[] = { 120, 60, 30 };

static void
announce_countdown (EimzaSignStep *self,
                    gint64         left)
{
  gint64 before = self->announced_left;

  self->announced_left = left;
  /* The first look is no mark: the page itself shows the time. */
  if (before < 0 || left <= 0)
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (countdown_marks); i++)
    {
      int mark = countdown_marks[i];
      g_autofree char *text = NULL;

      if (!(before > mark && left <= mark))
        continue;

      if (mark % 60 == 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%d minute left to sign.",
                                             "%d minutes left to sign.", mark / 60),
                                mark / 60);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%d second left to sign.",
                                             "%d seconds left to sign.", mark),
                                mark);
      eimza_request_status_announce (self->request_status, text);
      return;
    }
}

static void
update_countdown (EimzaSignStep *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (self->countdown_box);
  g_autofree char *text = NULL;
  gint64 left = seconds_left (self);

  if (self->deadline == NULL)
    {
      gtk_widget_hide (self->countdown_box);
      return;
    }

  /* TRANSLATORS: the time left to sign, minutes:seconds, e.g. "1:45" */
  text = g_strdup_printf (_("Time left to sign: %d:%02d"), (int) (left / 60), (int) (left % 60));
  gtk_label_set_text (self->countdown_label, text);
  gtk_level_bar_set_value (self->countdown_bar,
                           self->total_us > 0
                           ? CLAMP ((double) left * G_USEC_PER_SEC / self->total_us, 0.0, 1.0)
                           : 0.0);

  if (left <= WARNING_SECONDS)
    gtk_style_context_add_class (context, "sign-countdown-warning");
  else
    gtk_style_context_remove_class (context, "sign-countdown-warning");

  gtk_widget_show (self->countdown_box);
  announce_countdown (self, left);
}

static gboolean tick_cb (gpointer user_data);

/* The next tick comes when the shown second changes, computed from the
 * deadline each time, so a slow main loop never makes the clock drift. */
static void
schedule_tick (EimzaSignStep *self)
{
  gint64 left_us;
  guint delay_ms;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->deadline == NULL)
    return;

  left_us = g_date_time_to_unix (self->deadline) * G_USEC_PER_SEC +
            g_date_time_get_microsecond (self->deadline) - g_get_real_time ();
  if (left_us <= 0)
    delay_ms = 0;
  else
    delay_ms = (guint) (((left_us - 1) % G_USEC_PER_SEC) / 1000) + 1;

  self->tick_id = g_timeout_add (delay_ms, tick_cb, self);
}

static gboolean
tick_cb (gpointer user_data)
{
  EimzaSignStep *self = user_data;

  self->tick_id = 0;
  update_countdown (self);

  if (is_expired (self))
    {
      /* A signature already made stays with the owner, whose upload the
       * site judges; everything before it stops. */
      if (!self->signed_waiting && !self->owner_busy)
        show_expired (self);
      update_buttons (self);
      return G_SOURCE_REMOVE;
    }

  schedule_tick (self);
  update_buttons (self);

  return G_SOURCE_REMOVE;
}

/* Whether a card can be used now; otherwise says why and what to do. */
static gboolean
check_card (EimzaSignStep *self)
{
  g_autoptr(GError) error = NULL;

  /* Data that cannot be shown is never signed: no card state takes its
   * notice away. */
  if (!self->readable)
    return FALSE;

  if (self->service == NULL)
    {
      set_notice (self, NOTICE_NO_CARD, _("The card service is not available."));
      return FALSE;
    }

  if (eimza_card_service_check_ready (self->service, &error))
    {
      if (self->notice == NOTICE_NO_CARD)
        set_notice (self, NOTICE_NONE, NULL);
      return TRUE;
    }

  if (g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_NO_CARD))
    set_notice (self, NOTICE_NO_CARD,
                _("The card is not in the reader. Insert your e-signature card to sign; "
                  "the step goes on as soon as it is back."));
  else if (eimza_card_service_get_state (self->service) == EIMZA_CARD_SERVICE_STATE_STARTING)
    set_notice (self, NOTICE_NO_CARD, _("Looking for the card reader…"));
  else
    set_notice (self, NOTICE_NO_CARD, error->message);

  return FALSE;
}

static void
set_hint (EimzaSignStep *self,
          const char    *text)
{
  gtk_label_set_text (self->certificate_hint_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_hint_label), text != NULL);
}

static char *
describe_certificate (EimzaCertificate *certificate)
{
  g_autofree char *until = eimza_card_certificates_format_date (
    eimza_certificate_get_not_after (certificate));
  g_autofree char *key = eimza_card_certificates_describe_key (certificate);
  const char *holder = eimza_certificate_get_subject_cn (certificate);
  const char *kind;

  if (eimza_certificate_is_signing (certificate) && eimza_certificate_is_qualified (certificate))
    kind = _("qualified e-signature");
  else if (eimza_certificate_is_signing (certificate))
    kind = _("e-signature");
  else
    kind = _("not for e-signatures");

  if (eimza_certificate_is_expired (certificate, NULL))
    /* TRANSLATORS: holder's name, kind of certificate, key ("RSA 2048"), date it expired */
    return g_strdup_printf (_("%s — %s (%s), expired on %s"), holder != NULL ? holder : "?",
                            kind, key, until);

  /* TRANSLATORS: holder's name, kind of certificate, key ("RSA 2048"), last day of validity */
  return g_strdup_printf (_("%s — %s (%s), valid until %s"), holder != NULL ? holder : "?",
                          kind, key, until);
}

static gboolean
can_sign_with (EimzaCertificate *certificate)
{
  EimzaKeyUsage usage = eimza_certificate_get_key_usage (certificate);

  return eimza_certificate_get_key_uri (certificate) != NULL &&
         (usage & (EIMZA_KEY_USAGE_NON_REPUDIATION | EIMZA_KEY_USAGE_DIGITAL_SIGNATURE)) != 0;
}

static void
fill_certificates (EimzaSignStep *self,
                   GPtrArray     *all)
{
  g_autofree char *keep_uri = NULL;
  EimzaCertificate *current = selected_certificate (self);
  guint others = 0;
  int active;

  /* The person's choice survives a reload (a card taken out and back). */
  keep_uri = g_strdup (current != NULL ? eimza_certificate_get_uri (current) : self->preferred_uri);

  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  self->certificates = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (all, i);

      if (!can_sign_with (certificate))
        continue;
      if (self->tckn != NULL &&
          g_strcmp0 (eimza_certificate_get_tckn (certificate), self->tckn) != 0)
        {
          others++;
          continue;
        }
      g_ptr_array_add (self->certificates, g_object_ref (certificate));
    }
  eimza_certificate_choice_sort (self->certificates);

  active = eimza_certificate_choice_fill (self->certificate_combo, self->certificates,
                                          describe_certificate, keep_uri);

  if (self->certificates->len == 0)
    set_hint (self, others > 0
                    ? _("The card in the reader holds another person’s certificates. Insert "
                        "the card of the person who logged in.")
                    : _("No signing certificate was found on the card. Diagnostics, in the "
                        "card menu, tells more."));
  else
    set_hint (self, NULL);

  gtk_combo_box_set_active (GTK_COMBO_BOX (self->certificate_combo), active);
  update_buttons (self);
}

static void
list_certificates_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EimzaSignStep *self;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = eimza_card_certificates_list_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_SIGN_STEP (user_data);
  g_clear_object (&self->list_cancellable);

  if (certificates == NULL)
    {
      set_hint (self, error->message);
      update_buttons (self);
      return;
    }

  fill_certificates (self, certificates);
}

static void
reload_certificates (EimzaSignStep *self)
{
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);

  if (!self->started || !check_card (self))
    return;

  self->list_cancellable = g_cancellable_new ();
  eimza_card_certificates_list_async (self->service, self->list_cancellable,
                                      list_certificates_cb, self);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  EimzaSignStep *self = user_data;

  self->reload_idle_id = 0;
  reload_certificates (self);

  return G_SOURCE_REMOVE;
}

/* A card came or went, or the service changed: a signature in progress
 * stops when the card is gone (the person signs again once it is back;
 * nothing is lost), and the certificates are read again. */
static void
service_changed_cb (EimzaSignStep *self)
{
  if (!self->started)
    return;

  if (!check_card (self))
    {
      if (self->signing != NULL || eimza_request_status_is_busy (self->request_status))
        stop_signing (self);
      update_buttons (self);
      return;
    }

  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

/* The operation's steps as the page shows them; the PIN rules are its own. */
static void
signing_phase_cb (EimzaCardSigning *signing,
                  GParamSpec       *pspec,
                  EimzaSignStep    *self)
{
  if (signing != self->signing)
    return;

  switch (eimza_card_signing_get_phase (signing))
    {
    case EIMZA_CARD_SIGNING_PHASE_READING:
      eimza_request_status_begin_for (self->request_status, _("Reading the card’s PIN state…"),
                                      self->cancellable);
      break;

    case EIMZA_CARD_SIGNING_PHASE_ASKING:
      /* The PIN dialog takes over (a locked card never gets here). */
      eimza_request_status_end (self->request_status);
      if (is_expired (self))
        show_expired (self);
      update_buttons (self);
      break;

    case EIMZA_CARD_SIGNING_PHASE_SIGNING:
      /* The last look before the PIN goes to the card. */
      if (!self->readable || is_expired (self) || !check_card (self))
        {
          stop_signing (self);
          if (is_expired (self))
            show_expired (self);
          update_buttons (self);
          break;
        }
      eimza_request_status_begin_for (self->request_status,
                                      eimza_pin_dialog_asker_progress_text (
                                        eimza_card_signing_get_token (signing),
                                        _("Signing with the card…")),
                                      self->cancellable);
      break;

    case EIMZA_CARD_SIGNING_PHASE_NONE:
    default:
      break;
    }
}

static void
signing_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EimzaSignStep) self = user_data;
  g_autoptr(EimzaCardSigning) signing = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EimzaCertificate) certificate = NULL;

  cms = eimza_card_signing_run_finish (EIMZA_CARD_SIGNING (source), result, &error);
  /* Stopped (the step restarted, the card went, the page is gone): the
   * page was put back then. */
  if ((gpointer) source != self->signing)
    return;

  signing = g_steal_pointer (&self->signing);
  g_clear_object (&self->cancellable);
  certificate = g_steal_pointer (&self->signing_certificate);

  /* The person closed the PIN dialog, or pressed Cancel while the card
   * worked: nothing to say. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (eimza_request_status_is_busy (self->request_status))
        eimza_request_status_end (self->request_status);
      update_buttons (self);
      return;
    }

  if (g_error_matches (error, EIMZA_CARD_ERROR, EIMZA_CARD_ERROR_PIN_LOCKED))
    {
      eimza_request_status_end (self->request_status);
      /* Locked before anything was sent: the card was never asked. */
      if (eimza_card_signing_get_n_logins (signing) == 0)
        {
          g_autofree char *unlock = eimza_control_label_for_text (_("_Unlock…"));
          g_autofree char *text = NULL;

          /* TRANSLATORS: %s is the notice's button (“_Unlock…”) */
          text = g_strdup_printf (_("The card’s PIN is locked after three wrong tries. Nothing "
                                    "was signed. Choose “%s”: the application gets the card’s "
                                    "unblock code from Kamu SM (Şifreli Giriş), or you type the "
                                    "one that came with the card; then sign again."), unlock);
          set_notice (self, NOTICE_LOCKED, text);
        }
      else
        set_notice (self, NOTICE_LOCKED, error->message);
      return;
    }

  /* A wrong PIN is never tried again by itself: the message says how many
   * tries are left and the person presses Sign again, or not. */
  if (cms == NULL)
    {
      if (!check_card (self))
        eimza_request_status_end (self->request_status);
      else
        eimza_request_status_fail (self->request_status, error, FALSE);
      update_buttons (self);
      return;
    }

  eimza_request_status_end (self->request_status);

  if (is_expired (self))
    {
      show_expired (self);
      return;
    }

  self->signed_waiting = TRUE;
  update_buttons (self);
  g_signal_emit (self, signals[SIGNED], 0, cms, certificate);
}

/* The window's unlock (win.unblock-pin, the button's action) opens; the
 * notice goes so that Sign works once the card is unlocked. A card still
 * locked then is refused again before anything is sent. */
static void
unlock_clicked_cb (EimzaSignStep *self)
{
  if (self->notice == NOTICE_LOCKED)
    set_notice (self, NOTICE_NONE, NULL);
}

/* One card-signing operation: it reads the PIN state right before the
 * PIN dialog shows it, and applies every PIN rule. */
static void
sign_clicked_cb (EimzaSignStep *self)
{
  EimzaCertificate *certificate = selected_certificate (self);
  g_autoptr(EimzaPinDialogAsker) asker = NULL;
  g_autofree char *purpose = NULL;
  const char *holder;
  GtkWidget *toplevel;

  if (certificate == NULL || !self->readable || is_busy (self) || self->notice != NOTICE_NONE)
    return;
  if (is_expired (self))
    {
      show_expired (self);
      return;
    }
  if (!check_card (self))
    return;

  g_set_object (&self->signing_certificate, certificate);

  holder = eimza_certificate_get_subject_cn (certificate);
  /* TRANSLATORS: %s is the certificate holder's name */
  purpose = g_strdup_printf (_("The text shown on the page is signed with the certificate of "
                               "%s."), holder != NULL ? holder : "?");
  toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  asker = eimza_pin_dialog_asker_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                      purpose);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->signing = eimza_card_signing_new_cades (self->service, EIMZA_PIN_ASKER (asker),
                                                eimza_certificate_get_uri (certificate),
                                                eimza_certificate_get_key_uri (certificate),
                                                self->data, EIMZA_CADES_DETACHED);
  g_signal_connect_object (self->signing, "notify::phase", G_CALLBACK (signing_phase_cb), self,
                           0);
  eimza_card_signing_run_async (self->signing, self->cancellable, signing_done_cb,
                                g_object_ref (self));
  update_buttons (self);
}

static void
restart_clicked_cb (EimzaSignStep *self)
{
  g_signal_emit (self, signals[RESTART_REQUESTED], 0);
}

static void
disconnect_service (EimzaSignStep *self)
{
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
}

static void
eimza_sign_step_dispose (GObject *object)
{
  EimzaSignStep *self = EIMZA_SIGN_STEP (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->signing);
  disconnect_service (self);
  g_clear_object (&self->signing_certificate);
  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->deadline, g_date_time_unref);

  G_OBJECT_CLASS (eimza_sign_step_parent_class)->dispose (object);
}

static void
eimza_sign_step_finalize (GObject *object)
{
  EimzaSignStep *self = EIMZA_SIGN_STEP (object);

  g_free (self->tckn);
  g_free (self->preferred_uri);

  G_OBJECT_CLASS (eimza_sign_step_parent_class)->finalize (object);
}

static void
eimza_sign_step_class_init (EimzaSignStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_sign_step_dispose;
  object_class->finalize = eimza_sign_step_finalize;

  /**
   * EimzaSignStep::signed:
   * @cms: the DER CMS SignedData (detached CAdES-BES) over the data
   * @certificate: the certificate it was made with
   *
   * The card signed. The step waits (Sign insensitive) until the owner
   * calls eimza_sign_step_show_error() or eimza_sign_step_start().
   */
  signals[SIGNED] =
    g_signal_new ("signed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_BYTES, EIMZA_TYPE_CERTIFICATE);

  /**
   * EimzaSignStep::restart-requested:
   *
   * The deadline passed and the person asked to start the step again.
   */
  signals[RESTART_REQUESTED] =
    g_signal_new ("restart-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (EIMZA_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-sign-step.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, heading_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, document_title_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, document_scroller);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, document_view);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, certificate_title_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, escapes_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, certificate_combo);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, certificate_hint_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, countdown_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, countdown_bar);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, notice_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, notice_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, unlock_button);
  gtk_widget_class_bind_template_callback (widget_class, unlock_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, restart_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, request_status);
  gtk_widget_class_bind_template_child (widget_class, EimzaSignStep, sign_button);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
  gtk_widget_class_bind_template_callback (widget_class, sign_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, restart_clicked_cb);
}

static void
eimza_sign_step_init (EimzaSignStep *self)
{
  GdkRGBA escape_background = { 1.0, 0.78, 0.0, 0.35 };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->announced_left = -1;

  /* What is signed reads left to right in its own order, whatever the
   * locale's direction; escapes stand out from the text around them. */
  gtk_widget_set_direction (GTK_WIDGET (self->document_view), GTK_TEXT_DIR_LTR);
  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->document_view), "escape",
                              "family", "monospace",
                              "weight", PANGO_WEIGHT_BOLD,
                              "background-rgba", &escape_background,
                              NULL);

  /* The level bar's own offsets would colour it by the fraction left;
   * the warning is the countdown's style class instead. */
  gtk_level_bar_remove_offset_value (self->countdown_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->countdown_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->countdown_bar, GTK_LEVEL_BAR_OFFSET_FULL);
}

GtkWidget *
eimza_sign_step_new (void)
{
  return g_object_new (EIMZA_TYPE_SIGN_STEP, NULL);
}

void
eimza_sign_step_set_card_service (EimzaSignStep    *self,
                                  EimzaCardService *service)
{
  g_return_if_fail (EIMZA_IS_SIGN_STEP (self));
  g_return_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service));

  if (self->service == service)
    return;

  disconnect_service (self);
  if (service == NULL)
    return;

  self->service = g_object_ref (service);
  g_signal_connect_object (service, "notify::state",
                           G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "card-inserted",
                           G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "card-removed",
                           G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "reader-removed",
                           G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);

  if (self->started)
    reload_certificates (self);
}

static gboolean
is_escape_open (gunichar c,
                gpointer user_data)
{
  return c == 0x27E8;
}

static gboolean
is_escape_close (gunichar c,
                 gpointer user_data)
{
  return c == 0x27E9;
}

/* Shows what is signed, with the escapes of hidden characters marked
 * out; data that cannot be shown is refused here, once, for good. */
static void
show_document (EimzaSignStep *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->document_view);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  guint n_escaped = 0;
  gsize size = 0;
  const void *bytes = g_bytes_get_data (self->data, &size);
  GtkTextIter iter;

  shown = eimza_signed_text_for_display (bytes, size, &n_escaped, &error);
  self->readable = shown != NULL;
  gtk_text_buffer_set_text (buffer, shown != NULL ? shown : "", -1);
  gtk_widget_set_visible (GTK_WIDGET (self->escapes_label), n_escaped > 0);
  /* Refused data leaves nothing to read and nothing to choose: only the
   * message. */
  gtk_widget_set_visible (self->document_title_label, self->readable);
  gtk_widget_set_visible (self->document_scroller, self->readable);
  gtk_widget_set_visible (self->certificate_title_label, self->readable);
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_combo), self->readable);

  if (!self->readable)
    {
      set_notice (self, NOTICE_UNREADABLE, error->message);
      return;
    }

  if (n_escaped > 0)
    {
      g_autofree char *note = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE,
                     "%u hidden or direction-changing character is shown as ⟨U+…⟩, with its "
                     "number. It is part of what you sign.",
                     "%u hidden or direction-changing characters are shown as ⟨U+…⟩, with their "
                     "numbers. They are part of what you sign.",
                     n_escaped),
        n_escaped);

      gtk_label_set_text (self->escapes_label, note);
    }

  /* Every "⟨" shown opens an escape (the data's own brackets are escaped
   * too), so the escapes are found again in the shown text alone. */
  gtk_text_buffer_get_start_iter (buffer, &iter);
  /* forward_find_char() looks from the next character on: an escape at
   * the start, or right after another, is where the iterator is. */
  while (is_escape_open (gtk_text_iter_get_char (&iter), NULL) ||
         gtk_text_iter_forward_find_char (&iter, is_escape_open, NULL, NULL))
    {
      GtkTextIter end = iter;

      if (!gtk_text_iter_forward_find_char (&end, is_escape_close, NULL, NULL))
        break;
      gtk_text_iter_forward_char (&end);
      gtk_text_buffer_apply_tag_by_name (buffer, "escape", &iter, &end);
      iter = end;
    }
}

void
eimza_sign_step_start (EimzaSignStep *self,
                       const char    *heading,
                       GBytes        *data,
                       GDateTime     *deadline,
                       const char    *tckn,
                       const char    *preferred_cert_uri)
{
  g_return_if_fail (EIMZA_IS_SIGN_STEP (self));
  g_return_if_fail (data != NULL);

  stop_signing (self);
  eimza_request_status_end (self->request_status);

  self->started = TRUE;
  self->owner_busy = FALSE;
  self->signed_waiting = FALSE;
  g_clear_pointer (&self->data, g_bytes_unref);
  self->data = g_bytes_ref (data);
  g_clear_pointer (&self->deadline, g_date_time_unref);
  self->deadline = deadline != NULL ? g_date_time_ref (deadline) : NULL;
  self->total_us = 0;
  self->announced_left = -1;
  if (deadline != NULL)
    self->total_us = MAX (g_date_time_to_unix (deadline) * G_USEC_PER_SEC +
                          g_date_time_get_microsecond (deadline) - g_get_real_time (), 1);

  if (g_strcmp0 (self->tckn, tckn) != 0)
    {
      g_free (self->tckn);
      self->tckn = g_strdup (tckn);
    }
  if (preferred_cert_uri != NULL)
    {
      g_free (self->preferred_uri);
      self->preferred_uri = g_strdup (preferred_cert_uri);
      /* The owner's choice wins over the one left from an earlier step. */
      gtk_combo_box_set_active (GTK_COMBO_BOX (self->certificate_combo), -1);
    }

  gtk_label_set_text (self->heading_label, heading != NULL ? heading : "");

  set_notice (self, NOTICE_NONE, NULL);
  show_document (self);
  if (!self->readable)
    {
      /* Nothing can be signed: no countdown to it, no certificates. */
      g_clear_handle_id (&self->tick_id, g_source_remove);
      gtk_widget_hide (self->countdown_box);
      update_buttons (self);
      return;
    }

  update_countdown (self);
  schedule_tick (self);
  reload_certificates (self);
  update_buttons (self);
}

void
eimza_sign_step_stop (EimzaSignStep *self)
{
  g_return_if_fail (EIMZA_IS_SIGN_STEP (self));

  stop_signing (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->started = FALSE;
  self->signed_waiting = FALSE;
  self->owner_busy = FALSE;
  update_buttons (self);
}

void
eimza_sign_step_show_error (EimzaSignStep *self,
                            const GError  *error)
{
  g_return_if_fail (EIMZA_IS_SIGN_STEP (self));

  self->owner_busy = FALSE;
  self->signed_waiting = FALSE;

  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      eimza_request_status_end (self->request_status);
    }
  else if (g_error_matches (error, EIMZA_PORTAL_ERROR, EIMZA_PORTAL_ERROR_CODE_EXPIRED))
    {
      eimza_request_status_end (self->request_status);
      show_expired (self);
      gtk_label_set_text (self->notice_label, error->message);
    }
  else
    {
      eimza_request_status_fail (self->request_status, error, FALSE);
    }

  if (is_expired (self) && self->notice == NOTICE_NONE)
    show_expired (self);

  update_buttons (self);
}

void
eimza_sign_step_set_sensitive_busy (EimzaSignStep *self,
                                    gboolean       busy)
{
  g_return_if_fail (EIMZA_IS_SIGN_STEP (self));

  self->owner_busy = busy;
  if (busy)
    self->signed_waiting = FALSE;
  update_buttons (self);
}

EimzaCertificate *
eimza_sign_step_get_certificate (EimzaSignStep *self)
{
  g_return_val_if_fail (EIMZA_IS_SIGN_STEP (self), NULL);

  return selected_certificate (self);
}
