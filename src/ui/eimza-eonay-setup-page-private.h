/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of EimzaEonaySetupPage share: its fields and the first step's helpers. */
#pragma once

#include "eimza-eonay-flow.h"
#include "eimza-eonay-setup-page.h"
#include "eimza-pin-interaction.h"
#include "eimza-request-status.h"
#include "eimza-sign-step.h"

G_BEGIN_DECLS

/*
 * eimza-eonay-setup-page.c: the page over EimzaEonayFlow, its steps and
 * the person's actions;
 * eimza-eonay-setup-page-card.c: the first step's card: the certificates
 * to log in with, what the card service says, the number filled in.
 */

struct _EimzaEonaySetupPage
{
  GtkBin parent_instance;

  EimzaAppConfig *config;
  EimzaCardService *service;
  EimzaEonayFlow *flow;             /* NULL when the profile failed */
  GError *profile_error;
  EimzaPinInteraction *interaction;
  char *interaction_key_uri;

  /* (a) */
  GPtrArray *certificates;          /* in the combo box's order */
  GCancellable *list_cancellable;
  guint reload_idle_id;
  char *chosen_uri;                 /* kept across reloads */
  char *prefilled_tckn;             /* what the entry was filled with */

  /* (b), (c) */
  GCancellable *cancellable;        /* of the flow's action under way */
  gboolean signature_taken;         /* the site has the signature of the step shown */
  char *commitment;                 /* the commitment the person agreed to */

  /* template */
  GtkLabel *step_label;
  GtkStack *steps;
  GtkWidget *card_notice_box;
  GtkLabel *card_notice_title;
  GtkLabel *card_notice_text;
  GtkComboBoxText *login_certificate_combo;
  GtkEntry *tckn_entry;
  GtkLabel *tckn_error_label;
  GtkWidget *login_button;
  EimzaSignStep *sign_step;
  GtkLabel *explanation_label;
  GtkTextView *commitment_view;
  GtkLabel *time_limit_label;
  GtkToggleButton *consent_check;
  GtkWidget *continue_button;
  GtkImage *result_icon;
  GtkLabel *result_title;
  GtkLabel *result_text;
  GtkWidget *cancel_eonay_button;
  GtkWidget *again_button;
  GtkWidget *done_button;
  EimzaRequestStatus *request_status;
};

/* eimza-eonay-setup-page.c */
void              eimza_eonay_setup_page_update_buttons  (EimzaEonaySetupPage *self);
void              eimza_eonay_setup_page_set_tckn_error  (EimzaEonaySetupPage *self,
                                                          const char          *text);

/* eimza-eonay-setup-page-card.c */
/* The certificate chosen to log in with, or %NULL. (transfer none) */
EimzaCertificate *eimza_eonay_setup_page_selected_certificate (EimzaEonaySetupPage *self);
/* Lists the card's certificates again, or says why there are none. */
void              eimza_eonay_setup_page_reload_certificates  (EimzaEonaySetupPage *self);
/* The card service changed (state, card in or out): a reload soon. */
void              eimza_eonay_setup_page_service_changed_cb   (EimzaEonaySetupPage *self);
/* Template callbacks of the certificate combo box and the number. */
void              eimza_eonay_setup_page_certificate_changed_cb (EimzaEonaySetupPage *self);
void              eimza_eonay_setup_page_tckn_changed_cb      (EimzaEonaySetupPage *self);

G_END_DECLS
