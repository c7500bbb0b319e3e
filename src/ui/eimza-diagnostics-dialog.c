/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every link from pcscd to the certificates, checked and named when broken, with a report to copy. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "eimza-card-certificates.h"
#include "eimza-control-label.h"
#include "eimza-diagnostics-dialog.h"
#include "eimza-diagnostics-report.h"
#include "eimza-pin-tries.h"
#include "eimza-pkcs11.h"

#define COPIED_FEEDBACK_SECONDS 2

typedef enum {
  VERDICT_BUSY,
  VERDICT_GOOD,
  VERDICT_WARNING,
  VERDICT_BROKEN,
} VerdictKind;

struct _EimzaDiagnosticsDialog
{
  GtkDialog parent_instance;

  EimzaCardService *service;
  GCancellable *cancellable;
  guint reload_idle_id;
  guint copied_timeout_id;

  gboolean loading;
  GPtrArray *modules;        /* of EimzaPkcs11Module; NULL until listed */
  char *modules_error;
  GPtrArray *certificates;   /* of EimzaCertificate; NULL until listed */
  char *certificates_error;

  /* Rebuilt with the view, from the same facts. */
  GString *report;
  GtkWidget *section_list;

  /* template */
  GtkStack *verdict_icon_stack;
  GtkSpinner *spinner;
  GtkImage *verdict_icon;
  GtkLabel *verdict_label;
  GtkWidget *unlock_button;
  GtkBox *sections_box;
  GtkButton *copy_button;
  GtkWidget *refresh_button;
};

G_DEFINE_FINAL_TYPE (EimzaDiagnosticsDialog, eimza_diagnostics_dialog, GTK_TYPE_DIALOG)

/* View and report */

static void
begin_section (EimzaDiagnosticsDialog *self,
               const char             *title)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "visible", TRUE,
                                   "label", title,
                                   "xalign", 0.0f,
                                   NULL);

  gtk_style_context_add_class (gtk_widget_get_style_context (label), "section-title");
  gtk_container_add (GTK_CONTAINER (self->sections_box), label);

  self->section_list = g_object_new (GTK_TYPE_LIST_BOX,
                                     "visible", TRUE,
                                     "selection-mode", GTK_SELECTION_NONE,
                                     NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->section_list), "frame");
  atk_object_set_name (gtk_widget_get_accessible (self->section_list), title);
  gtk_container_add (GTK_CONTAINER (self->sections_box), self->section_list);

  g_string_append_printf (self->report, "\n%s\n", title);
}

/* One fact: a row in the current section and a line of the report.
 * @indent puts it under the fact before (a token under its module). */
static void
add_fact (EimzaDiagnosticsDialog *self,
          const char             *title,
          const char             *value,
          gboolean                problem,
          gboolean                indent)
{
  GtkWidget *box;
  GtkWidget *title_label;
  GtkWidget *value_label;
  GtkWidget *row;
  g_autofree char *row_name = NULL;

  box = g_object_new (GTK_TYPE_BOX,
                      "visible", TRUE,
                      "spacing", 12,
                      "margin", 8,
                      "margin-start", indent ? 28 : 10,
                      NULL);
  title_label = g_object_new (GTK_TYPE_LABEL,
                              "visible", TRUE,
                              "label", title,
                              "xalign", 0.0f,
                              "yalign", 0.0f,
                              "width-chars", 22,
                              "max-width-chars", 22,
                              "wrap", TRUE,
                              NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (title_label), "dim-label");
  value_label = g_object_new (GTK_TYPE_LABEL,
                              "visible", TRUE,
                              "label", value,
                              "xalign", 0.0f,
                              "hexpand", TRUE,
                              "wrap", TRUE,
                              "wrap-mode", PANGO_WRAP_WORD_CHAR,
                              "max-width-chars", 50,
                              "selectable", TRUE,
                              "can-focus", FALSE,
                              NULL);
  if (problem)
    gtk_style_context_add_class (gtk_widget_get_style_context (value_label),
                                 "diagnostics-problem");
  gtk_container_add (GTK_CONTAINER (box), title_label);
  gtk_container_add (GTK_CONTAINER (box), value_label);

  row = g_object_new (GTK_TYPE_LIST_BOX_ROW,
                      "visible", TRUE,
                      "activatable", FALSE,
                      "selectable", FALSE,
                      "child", box,
                      NULL);
  atk_object_add_relationship (gtk_widget_get_accessible (value_label), ATK_RELATION_LABELLED_BY,
                               gtk_widget_get_accessible (title_label));
  /* The row takes the focus (Tab goes through the report): a screen
   * reader says what it holds. */
  row_name = g_strdup_printf ("%s: %s", title, value);
  atk_object_set_name (gtk_widget_get_accessible (row), row_name);
  gtk_container_add (GTK_CONTAINER (self->section_list), row);

  g_string_append_printf (self->report, "%s- %s: %s%s\n", indent ? "    " : "  ", title, value,
                          problem ? "  [!]" : "");
}

static void
set_verdict (EimzaDiagnosticsDialog *self,
             VerdictKind             kind,
             const char             *text)
{
  static const char * const icons[] = {
    [VERDICT_BUSY] = NULL,
    [VERDICT_GOOD] = "emblem-ok-symbolic",
    [VERDICT_WARNING] = "dialog-warning-symbolic",
    [VERDICT_BROKEN] = "dialog-error-symbolic",
  };
  GtkStyleContext *contexts[] = {
    gtk_widget_get_style_context (GTK_WIDGET (self->verdict_label)),
    gtk_widget_get_style_context (GTK_WIDGET (self->verdict_icon)),
  };

  if (kind == VERDICT_BUSY)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->verdict_icon_stack, "busy");
    }
  else
    {
      gtk_spinner_stop (self->spinner);
      gtk_image_set_from_icon_name (self->verdict_icon, icons[kind], GTK_ICON_SIZE_DIALOG);
      gtk_stack_set_visible_child_name (self->verdict_icon_stack, "icon");
    }

  /* The icon takes the sentence's colour. */
  for (guint i = 0; i < G_N_ELEMENTS (contexts); i++)
    {
      gtk_style_context_remove_class (contexts[i], "diagnostics-good");
      gtk_style_context_remove_class (contexts[i], "diagnostics-warning");
      gtk_style_context_remove_class (contexts[i], "diagnostics-broken");
      if (kind == VERDICT_GOOD)
        gtk_style_context_add_class (contexts[i], "diagnostics-good");
      else if (kind == VERDICT_WARNING)
        gtk_style_context_add_class (contexts[i], "diagnostics-warning");
      else if (kind == VERDICT_BROKEN)
        gtk_style_context_add_class (contexts[i], "diagnostics-broken");
    }

  /* Shown again by the locked card's verdict only. */
  gtk_widget_hide (self->unlock_button);
  gtk_label_set_text (self->verdict_label, text);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->verdict_label)), text);
}

/* Facts */

static const char *
module_source_text (EimzaPkcs11ModuleSource source)
{
  switch (source)
    {
    case EIMZA_PKCS11_MODULE_SOURCE_REGISTERED:
      return _("registered with p11-kit");
    case EIMZA_PKCS11_MODULE_SOURCE_VENDOR:
      return _("Kamu SM’s card software");
    case EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED:
    default:
      return _("given in the settings or on the command line");
    }
}

static const char *
module_status_text (EimzaPkcs11Module *module)
{
  switch (eimza_pkcs11_module_get_status (module))
    {
    case EIMZA_PKCS11_MODULE_LOADED:
      return _("loaded");
    case EIMZA_PKCS11_MODULE_LOADED_WITHOUT_OS_LOCKING:
      return _("loaded without OS locking (a known quirk of some AKİS versions); only the "
               "application’s card thread calls it, one call at a time, also for the NES site’s "
               "login");
    case EIMZA_PKCS11_MODULE_MISSING:
      return _("not installed");
    case EIMZA_PKCS11_MODULE_FAILED:
    default:
      return eimza_pkcs11_module_get_error_message (module) != NULL
             ? eimza_pkcs11_module_get_error_message (module) : _("could not be loaded");
    }
}

static char *
token_flags_text (EimzaPkcs11TokenFlags flags)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();

  if (flags & EIMZA_PKCS11_TOKEN_PIN_LOCKED)
    g_ptr_array_add (words, (gpointer) _("PIN LOCKED"));
  else if (flags & EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY)
    g_ptr_array_add (words, (gpointer) _("ONE PIN TRY LEFT"));
  else if (flags & EIMZA_PKCS11_TOKEN_PIN_COUNT_LOW)
    g_ptr_array_add (words, (gpointer) _("a wrong PIN was entered since the last correct one"));
  if (flags & EIMZA_PKCS11_TOKEN_PINPAD)
    g_ptr_array_add (words, (gpointer) _("PIN typed on the reader’s keypad"));
  if (!(flags & EIMZA_PKCS11_TOKEN_PIN_INITIALIZED))
    g_ptr_array_add (words, (gpointer) _("no PIN set"));
  if (flags & EIMZA_PKCS11_TOKEN_WRITE_PROTECTED)
    g_ptr_array_add (words, (gpointer) _("read-only"));
  if (words->len == 0)
    g_ptr_array_add (words, (gpointer) _("PIN state normal"));
  g_ptr_array_add (words, NULL);

  return g_strjoinv (", ", (char **) words->pdata);
}

static gboolean
module_is_trust_store (EimzaPkcs11Module *module)
{
  return eimza_pkcs11_module_is_trust_store (module);
}

/* Why a module was not asked about a card: it saves the seconds a module
 * such as OpenSC spends probing a card it does not know. */
static void
append_reader_notes (GString           *value,
                     EimzaPkcs11Module *module)
{
  const char * const *kept_away = eimza_pkcs11_module_get_kept_away_readers (module);
  const char * const *declined = eimza_pkcs11_module_get_declined_readers (module);

  for (guint i = 0; kept_away[i] != NULL; i++)
    {
      g_string_append (value, "; ");
      /* TRANSLATORS: %s is a card reader's name */
      g_string_append_printf (value, _("not asked about the card in “%s”: Kamu SM’s module "
                                       "serves it"), kept_away[i]);
    }
  for (guint i = 0; declined[i] != NULL; i++)
    {
      g_string_append (value, "; ");
      /* TRANSLATORS: %s is a card reader's name */
      g_string_append_printf (value, _("does not know the card in “%s”; not asked about it "
                                       "again until it is taken out"), declined[i]);
    }
}

static void
add_modules_section (EimzaDiagnosticsDialog *self)
{
  begin_section (self, _("Card software (PKCS#11 modules)"));

  if (self->modules == NULL)
    {
      add_fact (self, _("Modules"),
                self->modules_error != NULL ? self->modules_error : _("checking…"),
                self->modules_error != NULL, FALSE);
      return;
    }

  for (guint i = 0; i < self->modules->len; i++)
    {
      EimzaPkcs11Module *module = g_ptr_array_index (self->modules, i);
      const char *description = eimza_pkcs11_module_get_description (module);
      const char *version = eimza_pkcs11_module_get_version (module);
      GPtrArray *tokens = eimza_pkcs11_module_get_tokens (module);
      EimzaPkcs11ModuleStatus status = eimza_pkcs11_module_get_status (module);
      g_autoptr(GString) value = g_string_new (NULL);

      g_string_append_printf (value, "%s (%s)", module_source_text (
                                eimza_pkcs11_module_get_source (module)),
                              module_status_text (module));
      if (description != NULL)
        g_string_append_printf (value, "; %s", description);
      if (version != NULL)
        g_string_append_printf (value, " %s", version);
      if (module_is_trust_store (module))
        g_string_append_printf (value, "; %s", _("the system’s certificate store, no keys"));
      append_reader_notes (value, module);

      add_fact (self, eimza_pkcs11_module_get_path (module), value->str,
                status == EIMZA_PKCS11_MODULE_FAILED ||
                (status == EIMZA_PKCS11_MODULE_MISSING &&
                 eimza_pkcs11_module_get_source (module) != EIMZA_PKCS11_MODULE_SOURCE_VENDOR),
                FALSE);

      if (module_is_trust_store (module) || tokens == NULL)
        continue;

      for (guint j = 0; j < tokens->len; j++)
        {
          EimzaPkcs11Token *token = g_ptr_array_index (tokens, j);
          EimzaPkcs11TokenFlags flags = eimza_pkcs11_token_get_flags (token);
          g_autofree char *flags_text = token_flags_text (flags);
          g_autofree char *pin_tries = NULL;
          g_autofree char *unblock_tries = NULL;
          g_autofree char *title = NULL;
          g_autofree char *text = NULL;

          /* TRANSLATORS: %s is a token (card) label */
          title = g_strdup_printf (_("Token “%s”"), *eimza_pkcs11_token_get_label (token) != '\0'
                                                    ? eimza_pkcs11_token_get_label (token)
                                                    : _("(no label)"));
          /* The tries left as numbers (eimza-pin-tries.h), read without a
           * login: nothing is spent to learn them. */
          pin_tries = eimza_pin_tries_describe_token (eimza_pin_tries_get_default (), token,
                                                      EIMZA_PIN_TRIES_PIN);
          unblock_tries = eimza_pin_tries_describe_token (eimza_pin_tries_get_default (), token,
                                                          EIMZA_PIN_TRIES_UNBLOCK);
          /* TRANSLATORS: model, manufacturer, PIN state of a token, then the PIN's and the
           * unblock code's tries left (each a sentence) */
          text = g_strdup_printf (_("%s by %s; %s. %s %s"), eimza_pkcs11_token_get_model (token),
                                  eimza_pkcs11_token_get_manufacturer (token), flags_text,
                                  pin_tries, unblock_tries);
          add_fact (self, title, text,
                    (flags & (EIMZA_PKCS11_TOKEN_PIN_LOCKED |
                              EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY)) != 0,
                    TRUE);
        }
    }
}

static void
add_certificates_section (EimzaDiagnosticsDialog *self)
{
  g_autofree char *count = NULL;
  guint n_signing = 0;

  begin_section (self, _("Certificates"));

  if (self->certificates == NULL)
    {
      add_fact (self, _("Certificates"),
                self->certificates_error != NULL ? self->certificates_error : _("checking…"),
                self->certificates_error != NULL, FALSE);
      return;
    }

  for (guint i = 0; i < self->certificates->len; i++)
    if (eimza_certificate_is_signing (g_ptr_array_index (self->certificates, i)))
      n_signing++;

  /* TRANSLATORS: "4 (3 for e-signatures)" */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u (%u for e-signatures)",
                                        "%u (%u for e-signatures)", self->certificates->len),
                           self->certificates->len, n_signing);
  add_fact (self, _("Readable certificates"), count, self->certificates->len == 0, FALSE);

  /* Names and T.C. Kimlik No stay out: the report is for sharing. */
  for (guint i = 0; i < self->certificates->len; i++)
    {
      EimzaCertificate *certificate = g_ptr_array_index (self->certificates, i);
      g_autofree char *key = eimza_card_certificates_describe_key (certificate);
      g_autofree char *until = eimza_card_certificates_format_date (
        eimza_certificate_get_not_after (certificate));
      g_autofree char *title = g_strdup_printf (_("Certificate %u"), i + 1);
      g_autofree char *text = NULL;
      gboolean expired = eimza_certificate_is_expired (certificate, NULL);

      /* TRANSLATORS: key; what for; qualified or not; issuer; validity */
      text = g_strdup_printf (_("%s; %s; %s; %s; %s %s"), key,
                              eimza_certificate_is_signing (certificate)
                              ? _("for e-signatures") : _("not for e-signatures"),
                              eimza_certificate_is_qualified (certificate)
                              ? _("qualified") : _("not qualified"),
                              eimza_certificate_chains_to_kamusm (certificate)
                              ? _("issued under Kamu SM NES") : _("other issuer"),
                              expired ? _("expired on") : _("valid until"), until);
      add_fact (self, title, text, expired, TRUE);
    }
}

static EimzaCardReaderInfo *
find_card_reader (EimzaCardService *service)
{
  GPtrArray *readers = eimza_card_service_get_readers (service);

  for (guint i = 0; i < readers->len; i++)
    if (eimza_card_reader_info_has_card (g_ptr_array_index (readers, i)))
      return g_ptr_array_index (readers, i);

  return NULL;
}

static void
add_service_and_readers (EimzaDiagnosticsDialog *self)
{
  EimzaCardServiceState state = eimza_card_service_get_state (self->service);
  GPtrArray *readers = eimza_card_service_get_readers (self->service);
  const char *service_text;

  begin_section (self, _("Smart card service"));
  switch (state)
    {
    case EIMZA_CARD_SERVICE_STATE_STARTING:
      service_text = _("checking…");
      break;
    case EIMZA_CARD_SERVICE_STATE_NO_SERVICE:
      service_text = _("not running");
      break;
    case EIMZA_CARD_SERVICE_STATE_NO_READER:
    case EIMZA_CARD_SERVICE_STATE_READY:
    default:
      service_text = _("running");
      break;
    }
  add_fact (self, _("pcscd"), service_text, state == EIMZA_CARD_SERVICE_STATE_NO_SERVICE, FALSE);

  begin_section (self, _("Card readers"));
  if (readers->len == 0)
    add_fact (self, _("Readers"), _("none found"), state != EIMZA_CARD_SERVICE_STATE_STARTING,
              FALSE);

  for (guint i = 0; i < readers->len; i++)
    {
      EimzaCardReaderInfo *reader = g_ptr_array_index (readers, i);
      const char *atr = eimza_card_reader_info_get_atr (reader);
      const char *card_type = eimza_card_reader_info_get_card_type (reader);
      g_autofree char *text = NULL;

      if (!eimza_card_reader_info_has_card (reader))
        text = g_strdup (_("no card"));
      else if (atr == NULL)
        text = g_strdup (_("a card that does not answer (no ATR)"));
      else
        /* TRANSLATORS: card type, then its ATR in hex */
        text = g_strdup_printf (_("card: %s; ATR %s"),
                                card_type != NULL ? card_type : _("not recognised"), atr);

      add_fact (self, eimza_card_reader_info_get_name (reader), text,
                eimza_card_reader_info_has_card (reader) && (atr == NULL || card_type == NULL),
                FALSE);
    }
}

/* Verdict: the first broken link, from the service to the certificates. */

static EimzaPkcs11Module *
find_module (GPtrArray               *modules,
             EimzaPkcs11ModuleSource  source)
{
  for (guint i = 0; modules != NULL && i < modules->len; i++)
    if (eimza_pkcs11_module_get_source (g_ptr_array_index (modules, i)) == source)
      return g_ptr_array_index (modules, i);

  return NULL;
}

static EimzaPkcs11Token *
find_token_with_flags (GPtrArray             *modules,
                       EimzaPkcs11TokenFlags  flags)
{
  for (guint i = 0; modules != NULL && i < modules->len; i++)
    {
      EimzaPkcs11Module *module = g_ptr_array_index (modules, i);
      GPtrArray *tokens = eimza_pkcs11_module_get_tokens (module);

      if (module_is_trust_store (module))
        continue;
      for (guint j = 0; tokens != NULL && j < tokens->len; j++)
        if (eimza_pkcs11_token_get_flags (g_ptr_array_index (tokens, j)) & flags)
          return g_ptr_array_index (tokens, j);
    }

  return NULL;
}

static void
update_verdict (EimzaDiagnosticsDialog *self)
{
  EimzaCardServiceState state = eimza_card_service_get_state (self->service);
  GPtrArray *readers = eimza_card_service_get_readers (self->service);
  EimzaCardReaderInfo *reader = find_card_reader (self->service);
  EimzaPkcs11Module *configured =
    find_module (self->modules, EIMZA_PKCS11_MODULE_SOURCE_CONFIGURED);
  EimzaPkcs11Module *vendor = find_module (self->modules, EIMZA_PKCS11_MODULE_SOURCE_VENDOR);
  EimzaPkcs11Token *token;
  g_autofree char *text = NULL;
  guint n_signing = 0;

  if (state == EIMZA_CARD_SERVICE_STATE_STARTING)
    {
      set_verdict (self, VERDICT_BUSY, _("Checking the card reader…"));
      return;
    }

  if (state == EIMZA_CARD_SERVICE_STATE_NO_SERVICE)
    {
      set_verdict (self, VERDICT_BROKEN,
                   _("The smart card service (pcscd) is not running: install the pcscd package "
                     "and start it (sudo apt install pcscd). Nothing else can work without it."));
      return;
    }

  if (state == EIMZA_CARD_SERVICE_STATE_NO_READER || readers->len == 0)
    {
      set_verdict (self, VERDICT_BROKEN,
                   _("No card reader found: plug in the reader; if it is plugged in, its driver "
                     "may be missing (package libccid)."));
      return;
    }

  if (reader == NULL)
    {
      text = g_strdup_printf (_("No card in the reader: insert your e-signature card into "
                                "“%s”, chip first."),
                              eimza_card_reader_info_get_name (g_ptr_array_index (readers, 0)));
      set_verdict (self, VERDICT_WARNING, text);
      return;
    }

  if (eimza_card_reader_info_get_atr (reader) == NULL)
    {
      set_verdict (self, VERDICT_BROKEN,
                   _("The card in the reader does not answer: take it out, check that the chip "
                     "is clean and goes in first, and insert it again."));
      return;
    }

  if (self->loading || self->modules == NULL || self->certificates == NULL)
    {
      if (self->loading)
        {
          set_verdict (self, VERDICT_BUSY, _("Reading the card software and the certificates…"));
          return;
        }
    }

  if (configured != NULL && !eimza_pkcs11_module_is_loaded (configured))
    {
      text = g_strdup_printf (_("The card software given in the settings, %s, cannot be used: "
                                "%s. Correct the path or clear the setting."),
                              eimza_pkcs11_module_get_path (configured),
                              module_status_text (configured));
      set_verdict (self, VERDICT_BROKEN, text);
      return;
    }

  if (vendor != NULL && eimza_pkcs11_module_get_status (vendor) == EIMZA_PKCS11_MODULE_FAILED)
    {
      text = g_strdup_printf (_("Kamu SM’s card software could not be loaded: %s. Reinstall it "
                                "from Kamu SM’s site."),
                              module_status_text (vendor));
      set_verdict (self, VERDICT_BROKEN, text);
      return;
    }

  token = find_token_with_flags (self->modules, EIMZA_PKCS11_TOKEN_PIN_LOCKED);
  if (token != NULL)
    {
      /* The app's own unlock (the window's win.unblock-pin), next to the
       * site's. */
      g_autofree char *unlock = eimza_control_label_for_text (_("_Unlock…"));

      gtk_widget_show (self->unlock_button);
      /* TRANSLATORS: the first %s is the card's name, the second the
       * verdict's button (“_Unlock…”), the third the NES site's address */
      text = g_strdup_printf (_("The PIN of the card “%s” is locked after three wrong entries: "
                                "choose “%s” to unlock it here, or unlock it on the NES site "
                                "(%s, “Kilit Çözme”)."),
                              eimza_pkcs11_token_get_label (token), unlock,
                              "https://nesbireysel.kamusm.gov.tr");
      set_verdict (self, VERDICT_BROKEN, text);
      return;
    }

  if (self->certificates == NULL)
    {
      text = g_strdup_printf (_("The certificates could not be read: %s"),
                              self->certificates_error != NULL ? self->certificates_error : "");
      set_verdict (self, VERDICT_BROKEN, text);
      return;
    }

  if (self->certificates->len == 0)
    {
      if (vendor == NULL || !eimza_pkcs11_module_is_loaded (vendor))
        set_verdict (self, VERDICT_BROKEN,
                     _("The card is in the reader, but no certificates can be read: Kamu SM’s "
                       "card software (libakisp11.so) is not installed. Install it from Kamu SM’s "
                       "site, or give its path with --pkcs11-module or in the "
                       "pkcs11-module-path setting."));
      else
        set_verdict (self, VERDICT_BROKEN,
                     _("The card is in the reader and its software is loaded, but it holds no "
                       "certificates: the card may be blank or not an e-signature card."));
      return;
    }

  for (guint i = 0; i < self->certificates->len; i++)
    if (eimza_certificate_is_signing (g_ptr_array_index (self->certificates, i)))
      n_signing++;

  if (n_signing == 0)
    {
      set_verdict (self, VERDICT_BROKEN,
                   _("None of the certificates on the card is for e-signatures (none has the "
                     "non-repudiation key usage)."));
      return;
    }

  token = find_token_with_flags (self->modules, EIMZA_PKCS11_TOKEN_PIN_FINAL_TRY);
  if (token != NULL)
    {
      text = g_strdup_printf (_("Only one PIN try is left on the card “%s”: be sure of your PIN "
                                "before you sign. One more wrong PIN locks it."),
                              eimza_pkcs11_token_get_label (token));
      set_verdict (self, VERDICT_WARNING, text);
      return;
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Everything needed for signing works: the service, the "
                                       "reader “%s”, the card and %u certificate for "
                                       "e-signatures.",
                                       "Everything needed for signing works: the service, the "
                                       "reader “%s”, the card and %u certificates for "
                                       "e-signatures.",
                                       n_signing),
                          eimza_card_reader_info_get_name (reader), n_signing);
  set_verdict (self, VERDICT_GOOD, text);
}

static void
render (EimzaDiagnosticsDialog *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->sections_box));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M");

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  self->section_list = NULL;

  update_verdict (self);

  g_string_truncate (self->report, 0);
  g_string_append_printf (self->report, _("E-Signature Assistant %s: card diagnostics, %s"),
                          PACKAGE_VERSION, date);
  /* TRANSLATORS: the report's first line after the title: the verdict */
  g_string_append_printf (self->report, "\n%s %s\n", _("Result:"),
                          gtk_label_get_text (self->verdict_label));

  add_service_and_readers (self);
  add_modules_section (self);
  add_certificates_section (self);
}

/* Loading */

static void
list_certificates_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EimzaDiagnosticsDialog *self;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = eimza_card_certificates_list_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_DIAGNOSTICS_DIALOG (user_data);
  self->loading = FALSE;
  self->certificates = g_steal_pointer (&certificates);
  if (error != NULL)
    self->certificates_error = g_strdup (error->message);

  render (self);
}

static void
list_modules_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EimzaDiagnosticsDialog *self;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GError) error = NULL;

  modules = eimza_pkcs11_list_modules_finish (EIMZA_CARD_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EIMZA_DIAGNOSTICS_DIALOG (user_data);
  self->modules = g_steal_pointer (&modules);
  if (error != NULL)
    self->modules_error = g_strdup (error->message);

  render (self);
  eimza_card_certificates_list_async (self->service, self->cancellable,
                                      list_certificates_cb, self);
}

static void
reload (EimzaDiagnosticsDialog *self)
{
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->modules, g_ptr_array_unref);
  g_clear_pointer (&self->modules_error, g_free);
  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  g_clear_pointer (&self->certificates_error, g_free);

  self->loading = TRUE;
  self->cancellable = g_cancellable_new ();
  render (self);

  eimza_pkcs11_list_modules_async (self->service, self->cancellable, list_modules_cb, self);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  EimzaDiagnosticsDialog *self = user_data;

  self->reload_idle_id = 0;
  reload (self);

  return G_SOURCE_REMOVE;
}

static void
service_changed_cb (EimzaDiagnosticsDialog *self)
{
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

/* Report */

char *
eimza_diagnostics_dialog_get_report (EimzaDiagnosticsDialog *self)
{
  g_return_val_if_fail (EIMZA_IS_DIAGNOSTICS_DIALOG (self), NULL);

  /* What is on screen stays on this computer; what is copied may not. */
  return eimza_diagnostics_report_make_shareable (self->report->str, self->modules);
}

static gboolean
copied_timeout_cb (gpointer user_data)
{
  EimzaDiagnosticsDialog *self = user_data;

  self->copied_timeout_id = 0;
  gtk_button_set_label (self->copy_button, _("_Copy Report"));

  return G_SOURCE_REMOVE;
}

static void
copy_clicked_cb (EimzaDiagnosticsDialog *self)
{
  g_autofree char *report = eimza_diagnostics_dialog_get_report (self);
  GtkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self), GDK_SELECTION_CLIPBOARD);

  gtk_clipboard_set_text (clipboard, report, -1);

  /* The button says it worked: copying leaves no other trace. */
  gtk_button_set_label (self->copy_button, _("Copied"));
  g_clear_handle_id (&self->copied_timeout_id, g_source_remove);
  self->copied_timeout_id = g_timeout_add_seconds (COPIED_FEEDBACK_SECONDS, copied_timeout_cb,
                                                   self);
}

static void
eimza_diagnostics_dialog_constructed (GObject *object)
{
  EimzaDiagnosticsDialog *self = EIMZA_DIAGNOSTICS_DIALOG (object);
  GtkWidget *header_bar;

  G_OBJECT_CLASS (eimza_diagnostics_dialog_parent_class)->constructed (object);

  header_bar = gtk_dialog_get_header_bar (GTK_DIALOG (self));
  if (header_bar != NULL)
    {
      gtk_header_bar_pack_start (GTK_HEADER_BAR (header_bar), self->refresh_button);
      gtk_header_bar_pack_end (GTK_HEADER_BAR (header_bar), GTK_WIDGET (self->copy_button));
    }
}

static void
eimza_diagnostics_dialog_dispose (GObject *object)
{
  EimzaDiagnosticsDialog *self = EIMZA_DIAGNOSTICS_DIALOG (object);

  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_clear_handle_id (&self->copied_timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  g_clear_pointer (&self->modules, g_ptr_array_unref);
  g_clear_pointer (&self->certificates, g_ptr_array_unref);

  G_OBJECT_CLASS (eimza_diagnostics_dialog_parent_class)->dispose (object);
}

static void
eimza_diagnostics_dialog_finalize (GObject *object)
{
  EimzaDiagnosticsDialog *self = EIMZA_DIAGNOSTICS_DIALOG (object);

  g_free (self->modules_error);
  g_free (self->certificates_error);
  g_string_free (self->report, TRUE);

  G_OBJECT_CLASS (eimza_diagnostics_dialog_parent_class)->finalize (object);
}

static void
eimza_diagnostics_dialog_class_init (EimzaDiagnosticsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = eimza_diagnostics_dialog_constructed;
  object_class->dispose = eimza_diagnostics_dialog_dispose;
  object_class->finalize = eimza_diagnostics_dialog_finalize;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/eimza/Asistan/eimza-diagnostics-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaDiagnosticsDialog, verdict_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, EimzaDiagnosticsDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, EimzaDiagnosticsDialog, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, EimzaDiagnosticsDialog, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaDiagnosticsDialog, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaDiagnosticsDialog, sections_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaDiagnosticsDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, EimzaDiagnosticsDialog, refresh_button);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload);
}

static void
eimza_diagnostics_dialog_init (EimzaDiagnosticsDialog *self)
{
  self->report = g_string_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

EimzaDiagnosticsDialog *
eimza_diagnostics_dialog_new (GtkWindow        *parent,
                              EimzaCardService *service)
{
  EimzaDiagnosticsDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EIMZA_IS_CARD_SERVICE (service), NULL);

  self = g_object_new (EIMZA_TYPE_DIAGNOSTICS_DIALOG,
                       "use-header-bar", TRUE,
                       "transient-for", parent,
                       NULL);
  self->service = g_object_ref (service);
  /* The unlock button runs the window's own unlock (win.unblock-pin). */
  if (G_IS_ACTION_GROUP (parent))
    gtk_widget_insert_action_group (GTK_WIDGET (self), "win", G_ACTION_GROUP (parent));

  g_signal_connect_object (service, "notify::state",
                           G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (service, "notify::readers",
                           G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);

  reload (self);

  return self;
}
