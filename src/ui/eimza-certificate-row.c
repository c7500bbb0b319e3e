/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One certificate of the card in a list: who, from whom, until when, and what it is for. */
#include "config.h"

#include <glib/gi18n.h>

#include "eimza-card-certificates.h"
#include "eimza-certificate-row.h"

struct _EimzaCertificateRow
{
  GtkListBoxRow parent_instance;

  EimzaCertificate *certificate;
  guint n_details;

  /* template */
  GtkLabel *name_label;
  GtkWidget *signing_badge;
  GtkWidget *auth_badge;
  GtkWidget *qualified_badge;
  GtkLabel *kamusm_badge;
  GtkLabel *tckn_label;
  GtkLabel *issuer_label;
  GtkLabel *validity_label;
  GtkWidget *expiry_box;
  GtkLabel *expiry_label;
  GtkGrid *details_grid;
  GtkWidget *test_button;
};

G_DEFINE_FINAL_TYPE (EimzaCertificateRow, eimza_certificate_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  TEST_SIGNATURE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
test_clicked_cb (EimzaCertificateRow *self)
{
  g_signal_emit (self, signals[TEST_SIGNATURE], 0);
}

static const char *
yes_no (gboolean value)
{
  return value ? _("Yes") : _("No");
}

static void
add_detail (EimzaCertificateRow *self,
            const char          *title,
            const char          *value)
{
  GtkWidget *title_label;
  GtkWidget *value_label;

  if (value == NULL || *value == '\0')
    return;

  title_label = g_object_new (GTK_TYPE_LABEL,
                              "visible", TRUE,
                              "label", title,
                              "xalign", 0.0f,
                              "yalign", 0.0f,
                              NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (title_label), "dim-label");

  value_label = g_object_new (GTK_TYPE_LABEL,
                              "visible", TRUE,
                              "label", value,
                              "xalign", 0.0f,
                              "wrap", TRUE,
                              "wrap-mode", PANGO_WRAP_WORD_CHAR,
                              "max-width-chars", 48,
                              "selectable", TRUE,
                              "can-focus", FALSE,
                              NULL);
  atk_object_add_relationship (gtk_widget_get_accessible (value_label), ATK_RELATION_LABELLED_BY,
                               gtk_widget_get_accessible (title_label));

  gtk_grid_attach (self->details_grid, title_label, 0, (int) self->n_details, 1, 1);
  gtk_grid_attach (self->details_grid, value_label, 1, (int) self->n_details, 1, 1);
  self->n_details++;
}

static char *
describe_key_usage (EimzaKeyUsage usage)
{
  static const struct {
    EimzaKeyUsage bit;
    const char *name;
  } names[] = {
    { EIMZA_KEY_USAGE_DIGITAL_SIGNATURE, N_("digital signature") },
    { EIMZA_KEY_USAGE_NON_REPUDIATION, N_("non-repudiation") },
    { EIMZA_KEY_USAGE_KEY_ENCIPHERMENT, N_("key encipherment") },
    { EIMZA_KEY_USAGE_DATA_ENCIPHERMENT, N_("data encipherment") },
    { EIMZA_KEY_USAGE_KEY_AGREEMENT, N_("key agreement") },
    { EIMZA_KEY_USAGE_KEY_CERT_SIGN, N_("certificate signing") },
    { EIMZA_KEY_USAGE_CRL_SIGN, N_("CRL signing") },
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if ((usage & names[i].bit) == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, _(names[i].name));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "AB:CD:…" in groups, so that it can be read out and compared. */
static char *
format_fingerprint (const char *hex)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; hex[i] != '\0' && hex[i + 1] != '\0'; i += 2)
    {
      if (i > 0)
        g_string_append_c (text, ':');
      g_string_append_c (text, g_ascii_toupper (hex[i]));
      g_string_append_c (text, g_ascii_toupper (hex[i + 1]));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fill_details (EimzaCertificateRow *self)
{
  EimzaCertificate *certificate = self->certificate;
  g_autofree char *not_before = eimza_card_certificates_format_date (
    eimza_certificate_get_not_before (certificate));
  g_autofree char *not_after = eimza_card_certificates_format_date (
    eimza_certificate_get_not_after (certificate));
  g_autofree char *key = eimza_card_certificates_describe_key (certificate);
  g_autofree char *usage = describe_key_usage (eimza_certificate_get_key_usage (certificate));
  g_autofree char *fingerprint = format_fingerprint (
    eimza_certificate_get_sha256_fingerprint (certificate));

  add_detail (self, _("Holder"), eimza_certificate_get_subject_cn (certificate));
  add_detail (self, _("T.C. Kimlik No"), eimza_certificate_get_tckn (certificate));
  add_detail (self, _("Subject"), eimza_certificate_get_subject_dn (certificate));
  add_detail (self, _("Issuer"), eimza_certificate_get_issuer_dn (certificate));
  add_detail (self, _("Serial number"), eimza_certificate_get_serial_hex (certificate));
  add_detail (self, _("Valid from"), not_before);
  add_detail (self, _("Valid until"), not_after);
  add_detail (self, _("Key"), key);
  add_detail (self, _("Key usage"), usage);
  add_detail (self, _("For e-signatures (non-repudiation)"),
              yes_no (eimza_certificate_is_signing (certificate)));
  add_detail (self, _("Qualified certificate statement"),
              yes_no (eimza_certificate_has_qc_statements (certificate)));
  add_detail (self, _("Kamu SM NES policy"),
              yes_no (eimza_certificate_has_nes_policy (certificate)));
  add_detail (self, _("Issued under Kamu SM NES"),
              yes_no (eimza_certificate_chains_to_kamusm (certificate)));
  add_detail (self, _("Card"), eimza_certificate_get_token_label (certificate));
  add_detail (self, _("Name on the card"), eimza_certificate_get_label (certificate));
  add_detail (self, _("SHA-256 fingerprint"), fingerprint);
}

static void
fill (EimzaCertificateRow *self)
{
  EimzaCertificate *certificate = self->certificate;
  const char *holder = eimza_certificate_get_subject_cn (certificate);
  const char *tckn = eimza_certificate_get_tckn (certificate);
  const char *issuer = eimza_certificate_get_issuer_cn (certificate);
  gboolean signing = eimza_certificate_is_signing (certificate);
  gboolean kamusm = eimza_certificate_chains_to_kamusm (certificate);
  gint64 days_left = eimza_certificate_get_days_left (certificate, NULL);
  g_autofree char *until = eimza_card_certificates_format_date (
    eimza_certificate_get_not_after (certificate));
  g_autofree char *key = eimza_card_certificates_describe_key (certificate);
  g_autofree char *text = NULL;
  g_autofree char *accessible_name = NULL;

  if (holder == NULL || *holder == '\0')
    holder = _("Unnamed certificate");
  gtk_label_set_text (self->name_label, holder);

  if (tckn != NULL)
    text = g_strdup_printf (_("T.C. Kimlik No: %s"), tckn);
  else
    text = g_strdup (_("No T.C. Kimlik No in the certificate"));
  gtk_label_set_text (self->tckn_label, text);
  g_clear_pointer (&text, g_free);

  /* TRANSLATORS: the certificate authority's name, then the key, e.g. "RSA 2048" */
  text = g_strdup_printf (_("Issued by %s · %s key"),
                          issuer != NULL ? issuer : eimza_certificate_get_issuer_dn (certificate),
                          key);
  gtk_label_set_text (self->issuer_label, text);
  g_clear_pointer (&text, g_free);

  if (days_left < 0)
    /* TRANSLATORS: %s is a date */
    text = g_strdup_printf (_("Expired on %s"), until);
  else
    /* TRANSLATORS: the first %s is a date, %d the number of days until then */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Valid until %s (%d day left)",
                                         "Valid until %s (%d days left)", (gulong) days_left),
                            until, (int) days_left);
  gtk_label_set_text (self->validity_label, text);
  g_clear_pointer (&text, g_free);

  if (eimza_certificate_is_expired (certificate, NULL))
    {
      text = g_strdup (_("This certificate has expired and can no longer sign. Apply for a new "
                         "certificate."));
      gtk_style_context_add_class (gtk_widget_get_style_context (self->expiry_box),
                                   "expiry-expired");
    }
  else if (eimza_certificate_is_expiring_soon (certificate, NULL))
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "This certificate expires in %d day. Apply for "
                                           "renewal now: a renewed certificate only becomes "
                                           "usable when this one expires, so applying early "
                                           "leaves no gap.",
                                           "This certificate expires in %d days. Apply for "
                                           "renewal now: a renewed certificate only becomes "
                                           "usable when this one expires, so applying early "
                                           "leaves no gap.",
                                           (gulong) days_left),
                              (int) days_left);
    }
  if (text != NULL)
    {
      gtk_label_set_text (self->expiry_label, text);
      gtk_widget_show (self->expiry_box);
    }

  gtk_widget_set_visible (self->signing_badge, signing);
  gtk_widget_set_visible (self->auth_badge, !signing);
  gtk_widget_set_visible (self->qualified_badge, eimza_certificate_is_qualified (certificate));
  gtk_label_set_text (self->kamusm_badge, kamusm ? _("Kamu SM NES") : _("Not Kamu SM"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->kamusm_badge),
                               kamusm ? _("Issued under Kamu SM’s qualified certificate "
                                          "authority (NES, version 6).")
                                      : _("This certificate does not lead to Kamu SM’s NES "
                                          "certificate authority; Kamu SM’s sites do not "
                                          "accept it."));
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->kamusm_badge)),
                               kamusm ? "card-badge-good" : "card-badge-other");

  /* Only a signing certificate is worth a test signature. */
  gtk_widget_set_visible (self->test_button, signing);

  fill_details (self);

  /* TRANSLATORS: the accessible name of a certificate in the list: holder, key, validity */
  accessible_name = g_strdup_printf (_("%s, %s, %s"), holder, key,
                                     gtk_label_get_text (self->validity_label));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), accessible_name);
}

static void
eimza_certificate_row_dispose (GObject *object)
{
  EimzaCertificateRow *self = EIMZA_CERTIFICATE_ROW (object);

  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (eimza_certificate_row_parent_class)->dispose (object);
}

static void
eimza_certificate_row_class_init (EimzaCertificateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = eimza_certificate_row_dispose;

  /**
   * EimzaCertificateRow::test-signature:
   *
   * The person asked for a test signature with this certificate.
   */
  signals[TEST_SIGNATURE] =
    g_signal_new ("test-signature",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/eimza/Asistan/eimza-certificate-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, signing_badge);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, auth_badge);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, qualified_badge);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, kamusm_badge);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, tckn_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, issuer_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, validity_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, expiry_box);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, details_grid);
  gtk_widget_class_bind_template_child (widget_class, EimzaCertificateRow, test_button);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}

static void
eimza_certificate_row_init (EimzaCertificateRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
eimza_certificate_row_new (EimzaCertificate *certificate)
{
  EimzaCertificateRow *self;

  g_return_val_if_fail (EIMZA_IS_CERTIFICATE (certificate), NULL);

  self = g_object_new (EIMZA_TYPE_CERTIFICATE_ROW, "visible", TRUE, NULL);
  self->certificate = g_object_ref (certificate);
  fill (self);

  return GTK_WIDGET (self);
}

EimzaCertificate *
eimza_certificate_row_get_certificate (EimzaCertificateRow *self)
{
  g_return_val_if_fail (EIMZA_IS_CERTIFICATE_ROW (self), NULL);

  return self->certificate;
}
