/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages after the welcome page, made when first shown, the portal
 * session they share, and the way back through them; a finished
 * renewal's pages and session are let go. */
#include "config.h"

#include <glib/gi18n.h>
#if HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include "eimza-eonay-setup-page.h"
#include "eimza-esign-page.h"
#include "eimza-form-page.h"
#include "eimza-jnlp-page.h"
#include "eimza-login-page.h"
#include "eimza-method-page.h"
#include "eimza-page-flow.h"
#include "eimza-page-focus.h"
#include "eimza-renewal-form.h"
#include "eimza-result-page.h"
#include "eimza-sms-page.h"

struct _EimzaPageFlow
{
  GObject parent_instance;

  GtkStack *stack;              /* unowned: the window's, destroyed with it */
  GtkWidget *home;              /* unowned: the welcome page, in the stack */
  EimzaCardService *service;
  EimzaAppConfig *config;

  /* The value of EimzaTaskFlow:can-go-back, notified when it changes. */
  gboolean can_go_back;

  EimzaRenewalForm *form;
  EimzaPortalSession *session;
  /* The application was made ("Done"): its pages and session go once the
   * welcome page has slid in, unless the renewal is started again first. */
  gboolean renewal_finished;
  /* A task ended: what it leaves goes once the page shown has slid in. */
  gboolean release_pending;
  guint release_idle_id;

  EimzaLoginPage *login_page;
  EimzaFormPage *form_page;
  EimzaSmsPage *sms_page;
  EimzaMethodPage *method_page;
  EimzaEsignPage *esign_page;   /* made when the card is first chosen */
  EimzaResultPage *result_page;

  /* The signer of an opened .jnlp; independent of the renewal's pages. */
  EimzaJnlpPage *jnlp_page;

  /* Giving the e-onay on the NES site; independent too. */
  EimzaEonaySetupPage *eonay_page;
  /* Whether the e-onay page was opened from the signing method, which it
   * then returns to; else it returns to the welcome page. */
  gboolean eonay_from_method;
};

static void eimza_page_flow_task_flow_init (EimzaTaskFlowInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EimzaPageFlow, eimza_page_flow, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EIMZA_TYPE_TASK_FLOW,
                                                      eimza_page_flow_task_flow_init))

enum {
  PROP_0,
  PROP_CAN_GO_BACK,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
show_page (EimzaPageFlow *self,
           const char    *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  eimza_page_focus_first_control (gtk_stack_get_visible_child (self->stack));
}

static void
show_home (EimzaPageFlow *self)
{
  gtk_stack_set_visible_child (self->stack, self->home);
  /* A task ended or was left: the welcome page starts again from its
   * first task, not from the one last started. */
  eimza_page_focus_restart (self->home);
}

/* -- Back ------------------------------------------------------------------ */

/* The renewal goes back as far as the form: once the portal has the form,
 * its later steps only go forward (the portal does not take a page back).
 * The e-onay page is left only between its requests. */
static gboolean
compute_can_go_back (EimzaPageFlow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);

  if (page == NULL)
    return FALSE;
  if (page == GTK_WIDGET (self->login_page) || page == GTK_WIDGET (self->form_page))
    return TRUE;
  if (page == GTK_WIDGET (self->eonay_page))
    return !eimza_eonay_setup_page_is_busy (self->eonay_page);

  return FALSE;
}

static void
update_can_go_back (EimzaPageFlow *self)
{
  gboolean can_go_back = compute_can_go_back (self);

  if (can_go_back == self->can_go_back)
    return;

  self->can_go_back = can_go_back;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_GO_BACK]);
}

static gpointer
add_page (EimzaPageFlow *self,
          GType          type,
          const char    *name,
          const char    *title)
{
  GtkWidget *page = g_object_new (type, "visible", TRUE, NULL);

  gtk_stack_add_titled (self->stack, page, name, title);

  return page;
}

static void logged_in_cb       (EimzaPageFlow             *self);
static void form_submitted_cb  (EimzaPageFlow             *self,
                                const EimzaPortalSmsState *state);
static void sms_verified_cb    (EimzaPageFlow             *self,
                                gboolean                   eonay_available);
static void applied_cb         (EimzaPageFlow             *self,
                                const char                *number);
static void done_cb            (EimzaPageFlow             *self);
static void eonay_requested_cb (EimzaPageFlow             *self);
static void session_ended_cb   (EimzaPageFlow             *self,
                                const GError              *error);
static void esign_chosen_cb    (EimzaPageFlow             *self);

static void
ensure_pages_up_to_form (EimzaPageFlow *self)
{
  if (self->login_page == NULL)
    {
      self->login_page = add_page (self, EIMZA_TYPE_LOGIN_PAGE, "login",
                                   _("Step 1 of 4: Sign in"));
      eimza_login_page_set_form (self->login_page, self->form);
      g_signal_connect_object (self->login_page, "continue",
                               G_CALLBACK (logged_in_cb), self, G_CONNECT_SWAPPED);
    }

  if (self->form_page != NULL)
    return;

  self->form_page = add_page (self, EIMZA_TYPE_FORM_PAGE, "form",
                              _("Step 2 of 4: Application form"));
  eimza_form_page_set_form (self->form_page, self->form);
  g_signal_connect_object (self->form_page, "submitted",
                           G_CALLBACK (form_submitted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form_page, "session-ended",
                           G_CALLBACK (session_ended_cb), self, G_CONNECT_SWAPPED);
}

static void
ensure_portal_pages (EimzaPageFlow *self)
{
  if (self->sms_page != NULL)
    return;

  self->sms_page = add_page (self, EIMZA_TYPE_SMS_PAGE, "sms", _("Step 3 of 4: SMS approval"));
  g_signal_connect_object (self->sms_page, "verified",
                           G_CALLBACK (sms_verified_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sms_page, "session-ended",
                           G_CALLBACK (session_ended_cb), self, G_CONNECT_SWAPPED);

  self->method_page = add_page (self, EIMZA_TYPE_METHOD_PAGE, "method",
                                _("Step 4 of 4: Signing method"));
  g_signal_connect_object (self->method_page, "applied",
                           G_CALLBACK (applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->method_page, "session-ended",
                           G_CALLBACK (session_ended_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->method_page, "eonay-requested",
                           G_CALLBACK (eonay_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->method_page, "esign-chosen",
                           G_CALLBACK (esign_chosen_cb), self, G_CONNECT_SWAPPED);

  self->result_page = add_page (self, EIMZA_TYPE_RESULT_PAGE, "result",
                                _("Application received"));
  g_signal_connect_object (self->result_page, "done",
                           G_CALLBACK (done_cb), self, G_CONNECT_SWAPPED);
}

static EimzaPortalSession *
create_portal_session (EimzaPageFlow  *self,
                       GError        **error)
{
  g_autofree char *profile_name = eimza_app_config_dup_portal_profile (self->config);
  g_autofree char *url = eimza_app_config_dup_portal_url (self->config);
  g_autofree char *ca_file = eimza_app_config_dup_portal_ca_file (self->config);
  g_autoptr(EimzaPortalProfile) profile = NULL;

  profile = eimza_portal_profile_new (profile_name, error);
  if (profile == NULL)
    return NULL;

  return eimza_portal_session_new (profile, url, ca_file, error);
}

/* The renewal application's sign-in page; @error (nullable) says why the
 * person is (back) there. What was typed is kept. */
static void
show_login (EimzaPageFlow *self,
            const GError  *error)
{
  g_autoptr(GError) setup_error = NULL;

  /* Started again before the last one's pages went: they serve again. */
  self->renewal_finished = FALSE;

  ensure_pages_up_to_form (self);

  /* Made on first use so that nothing before it pays for it. */
  if (self->session == NULL)
    self->session = create_portal_session (self, &setup_error);

  if (self->session != NULL)
    eimza_form_page_set_session (self->form_page, self->session);

  eimza_login_page_start (self->login_page, self->session,
                          setup_error != NULL ? setup_error : error);
  show_page (self, "login");
}

static void
logged_in_cb (EimzaPageFlow *self)
{
  show_page (self, "form");
}

static void
form_submitted_cb (EimzaPageFlow             *self,
                   const EimzaPortalSmsState *state)
{
  ensure_portal_pages (self);
  eimza_sms_page_start (self->sms_page, self->session, state);
  show_page (self, "sms");
}

static void
sms_verified_cb (EimzaPageFlow *self,
                 gboolean       eonay_available)
{
  eimza_method_page_start (self->method_page, self->session, eonay_available);
  show_page (self, "method");
}

static void
esign_back_cb (EimzaPageFlow *self)
{
  show_page (self, "method");
}

static void
esign_chosen_cb (EimzaPageFlow *self)
{
  if (self->esign_page == NULL)
    {
      self->esign_page = add_page (self, EIMZA_TYPE_ESIGN_PAGE, "esign",
                                   _("Step 4 of 4: Sign with your card"));
      g_signal_connect_object (self->esign_page, "applied",
                               G_CALLBACK (applied_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->esign_page, "session-ended",
                               G_CALLBACK (session_ended_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->esign_page, "back",
                               G_CALLBACK (esign_back_cb), self, G_CONNECT_SWAPPED);
    }

  /* Only the applicant's own certificates are offered. */
  eimza_esign_page_start (self->esign_page, self->service, self->session,
                          eimza_renewal_form_get_value (self->form, EIMZA_FIELD_TCKN));
  show_page (self, "esign");
}

static void
applied_cb (EimzaPageFlow *self,
            const char    *number)
{
  eimza_result_page_set_application_number (self->result_page, number);
  show_page (self, "result");
}

/* -- What an ended task leaves ----------------------------------------------- */

static void
destroy_page (GtkWidget **page)
{
  GtkWidget *widget = g_steal_pointer (page);

  if (widget != NULL)
    gtk_widget_destroy (widget);
}

/* Once the renewal's application is made, its pages and the portal session
 * (with its open connection and the portal's last page) are not kept for a
 * next renewal: it makes them again, as the first one did, and what was
 * typed stays in the form. The sign-in page stays, without its session:
 * GTK 3 leaks the registration of its calendar popover's window with the
 * main window when a page holding a popover is destroyed
 * (_gtk_window_remove_popover unparents the popover, which unrealizes it,
 * and only then checks whether to unregister that window). Then what the
 * ended task freed, here or in its session (the e-onay's is dropped when
 * its page is left), goes back to the system. Runs once the page shown has
 * finished sliding in, as the slide draws the page it slides out. */
static void
release_ended_task (EimzaPageFlow *self)
{
  if (!self->release_pending || gtk_stack_get_transition_running (self->stack))
    return;

  self->release_pending = FALSE;
  g_clear_handle_id (&self->release_idle_id, g_source_remove);

  if (self->renewal_finished)
    {
      self->renewal_finished = FALSE;
      eimza_login_page_end_session (self->login_page);
      destroy_page ((GtkWidget **) &self->form_page);
      destroy_page ((GtkWidget **) &self->sms_page);
      destroy_page ((GtkWidget **) &self->method_page);
      destroy_page ((GtkWidget **) &self->esign_page);
      destroy_page ((GtkWidget **) &self->result_page);
      g_clear_object (&self->session);
    }

#if HAVE_MALLOC_TRIM
  /* glibc keeps freed blocks for reuse, in the main heap and in the arenas
   * of the threads that made the task's connection; their whole free pages
   * go back. */
  malloc_trim (0);
#endif
}

static gboolean
release_idle_cb (gpointer user_data)
{
  EimzaPageFlow *self = user_data;

  self->release_idle_id = 0;
  release_ended_task (self);

  return G_SOURCE_REMOVE;
}

/* After the page now shown is drawn; if it slides in, once it has. */
static void
schedule_release (EimzaPageFlow *self)
{
  self->release_pending = TRUE;
  if (self->release_idle_id == 0)
    self->release_idle_id = g_idle_add (release_idle_cb, self);
}

static void
done_cb (EimzaPageFlow *self)
{
  show_home (self);
  self->renewal_finished = TRUE;
  schedule_release (self);
}

/* Everything typed is still in the form: only the captcha is new. */
static void
session_ended_cb (EimzaPageFlow *self,
                  const GError  *error)
{
  show_login (self, error);
}

static void
eimza_page_flow_open_jnlp (EimzaTaskFlow *flow,
                           GFile         *file)
{
  EimzaPageFlow *self = EIMZA_PAGE_FLOW (flow);

  if (self->jnlp_page == NULL)
    {
      self->jnlp_page = add_page (self, EIMZA_TYPE_JNLP_PAGE, "jnlp", _("Signing for a web site"));
      g_signal_connect_object (self->jnlp_page, "done",
                               G_CALLBACK (done_cb), self, G_CONNECT_SWAPPED);
    }

  /* The page asks before it drops a signing in progress. */
  eimza_jnlp_page_open (self->jnlp_page, self->service, self->config, file);
  show_page (self, "jnlp");
}

/* Leaving the e-onay page ends what it did with the site and the card:
 * its request, its signing step, the PIN kept for the site's session.
 * Leaving the e-signed application's page stops its request and signing
 * step; the portal keeps its code until the deadline. */
static void
visible_page_changed_cb (EimzaPageFlow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);

  if (self->eonay_page != NULL && page != GTK_WIDGET (self->eonay_page))
    eimza_eonay_setup_page_leave (self->eonay_page);
  if (self->esign_page != NULL && page != GTK_WIDGET (self->esign_page))
    eimza_esign_page_leave (self->esign_page);
}

/* Leaves the e-onay page for where it was opened from: the welcome page,
 * or the signing method of the application waiting for the e-onay (which
 * then asks the portal again). */
static void
leave_eonay (EimzaPageFlow *self)
{
  /* Leaving the page drops the site's session; what it held goes back. */
  schedule_release (self);

  if (!self->eonay_from_method)
    {
      show_home (self);
      return;
    }

  /* The application waits at the signing method: the portal now says
   * whether the e-onay given meanwhile counts. */
  self->eonay_from_method = FALSE;
  show_page (self, "method");
  eimza_method_page_refresh (self->method_page);
}

static void
show_eonay_page (EimzaPageFlow *self,
                 gboolean       from_method)
{
  if (self->eonay_page == NULL)
    {
      self->eonay_page = add_page (self, EIMZA_TYPE_EONAY_SETUP_PAGE, "eonay", _("E-onay"));
      g_signal_connect_object (self->eonay_page, "done",
                               G_CALLBACK (leave_eonay), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->eonay_page, "notify::busy",
                               G_CALLBACK (update_can_go_back), self, G_CONNECT_SWAPPED);
    }

  self->eonay_from_method = from_method;
  eimza_eonay_setup_page_start (self->eonay_page, self->service, self->config);
  show_page (self, "eonay");
}

static void
eimza_page_flow_show_renewal (EimzaTaskFlow *flow)
{
  show_login (EIMZA_PAGE_FLOW (flow), NULL);
}

static void
eimza_page_flow_show_eonay (EimzaTaskFlow *flow)
{
  show_eonay_page (EIMZA_PAGE_FLOW (flow), FALSE);
}

static void
eimza_page_flow_go_back (EimzaTaskFlow *flow)
{
  EimzaPageFlow *self = EIMZA_PAGE_FLOW (flow);
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);

  if (!compute_can_go_back (self))
    return;

  if (page == GTK_WIDGET (self->eonay_page))
    leave_eonay (self);
  else if (page == GTK_WIDGET (self->form_page))
    show_login (self, NULL);   /* a new captcha; what was typed is kept */
  else
    show_home (self);
}

static gboolean
eimza_page_flow_get_can_go_back (EimzaTaskFlow *flow)
{
  return EIMZA_PAGE_FLOW (flow)->can_go_back;
}

static void
eimza_page_flow_task_flow_init (EimzaTaskFlowInterface *iface)
{
  iface->show_renewal = eimza_page_flow_show_renewal;
  iface->show_eonay = eimza_page_flow_show_eonay;
  iface->open_jnlp = eimza_page_flow_open_jnlp;
  iface->go_back = eimza_page_flow_go_back;
  iface->get_can_go_back = eimza_page_flow_get_can_go_back;
}

static void
eonay_requested_cb (EimzaPageFlow *self)
{
  show_eonay_page (self, TRUE);
}

static void
eimza_page_flow_dispose (GObject *object)
{
  EimzaPageFlow *self = EIMZA_PAGE_FLOW (object);

  g_clear_handle_id (&self->release_idle_id, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->form);
  g_clear_object (&self->service);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (eimza_page_flow_parent_class)->dispose (object);
}

static void
eimza_page_flow_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EimzaPageFlow *self = EIMZA_PAGE_FLOW (object);

  switch (prop_id)
    {
    case PROP_CAN_GO_BACK:
      g_value_set_boolean (value, self->can_go_back);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_page_flow_class_init (EimzaPageFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = eimza_page_flow_dispose;
  object_class->get_property = eimza_page_flow_get_property;

  g_object_class_override_property (object_class, PROP_CAN_GO_BACK, "can-go-back");
  props[PROP_CAN_GO_BACK] = g_object_class_find_property (object_class, "can-go-back");
}

static void
eimza_page_flow_init (EimzaPageFlow *self)
{
  self->form = eimza_renewal_form_new (NULL);
}

EimzaPageFlow *
eimza_page_flow_new (GtkStack         *stack,
                     GtkWidget        *home,
                     EimzaCardService *service,
                     EimzaAppConfig   *config)
{
  EimzaPageFlow *self;

  g_return_val_if_fail (GTK_IS_STACK (stack), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (home), NULL);
  g_return_val_if_fail (gtk_widget_get_parent (home) == GTK_WIDGET (stack), NULL);
  g_return_val_if_fail (service == NULL || EIMZA_IS_CARD_SERVICE (service), NULL);
  g_return_val_if_fail (EIMZA_IS_APP_CONFIG (config), NULL);

  self = g_object_new (EIMZA_TYPE_PAGE_FLOW, NULL);
  self->stack = stack;
  self->home = home;
  self->service = service != NULL ? g_object_ref (service) : NULL;
  self->config = g_object_ref (config);

  /* Back follows the page shown, however it was reached. */
  g_signal_connect_object (stack, "notify::visible-child",
                           G_CALLBACK (update_can_go_back), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (stack, "notify::visible-child",
                           G_CALLBACK (visible_page_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (stack, "notify::transition-running",
                           G_CALLBACK (release_ended_task), self, G_CONNECT_SWAPPED);
  update_can_go_back (self);

  return self;
}

const char *
eimza_page_flow_get_birth_date (EimzaPageFlow *self)
{
  const char *text;

  g_return_val_if_fail (EIMZA_IS_PAGE_FLOW (self), NULL);

  text = eimza_renewal_form_get_value (self->form, EIMZA_FIELD_BIRTH_DATE);
  return text != NULL && *text != '\0' ? text : NULL;
}
