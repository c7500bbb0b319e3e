/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One browser's certificate database and whether the card's module is in it. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "eimza-browser-profile.h"

struct _EimzaBrowserProfile
{
  GObject parent_instance;

  EimzaBrowserKind kind;
  EimzaBrowserSandbox sandbox;
  char *title;
  char *directory;

  EimzaBrowserState state;
  gboolean running;
  gboolean needs_restart;
  char *problem;
};

G_DEFINE_FINAL_TYPE (EimzaBrowserProfile, eimza_browser_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DIRECTORY,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
eimza_browser_profile_finalize (GObject *object)
{
  EimzaBrowserProfile *self = EIMZA_BROWSER_PROFILE (object);

  g_free (self->title);
  g_free (self->directory);
  g_free (self->problem);

  G_OBJECT_CLASS (eimza_browser_profile_parent_class)->finalize (object);
}

static void
eimza_browser_profile_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EimzaBrowserProfile *self = EIMZA_BROWSER_PROFILE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
eimza_browser_profile_class_init (EimzaBrowserProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = eimza_browser_profile_finalize;
  object_class->get_property = eimza_browser_profile_get_property;

  props[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Notified once whenever any of the state, running, needs-restart or
   * problem changes (they are set together). */
  props[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      EIMZA_BROWSER_STATE_UNKNOWN, EIMZA_BROWSER_STATE_UNREADABLE,
                      EIMZA_BROWSER_STATE_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
eimza_browser_profile_init (EimzaBrowserProfile *self)
{
}

EimzaBrowserProfile *
eimza_browser_profile_new (EimzaBrowserKind     kind,
                           EimzaBrowserSandbox  sandbox,
                           const char          *title,
                           const char          *directory)
{
  EimzaBrowserProfile *self;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (directory != NULL, NULL);

  self = g_object_new (EIMZA_TYPE_BROWSER_PROFILE, NULL);
  self->kind = kind;
  self->sandbox = sandbox;
  self->title = g_strdup (title);
  self->directory = g_strdup (directory);
  if (sandbox != EIMZA_BROWSER_SANDBOX_NONE)
    self->state = EIMZA_BROWSER_STATE_SANDBOXED;

  return self;
}

EimzaBrowserKind
eimza_browser_profile_get_kind (EimzaBrowserProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), EIMZA_BROWSER_FIREFOX);

  return self->kind;
}

EimzaBrowserSandbox
eimza_browser_profile_get_sandbox (EimzaBrowserProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), EIMZA_BROWSER_SANDBOX_NONE);

  return self->sandbox;
}

const char *
eimza_browser_profile_get_title (EimzaBrowserProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), NULL);

  return self->title;
}

const char *
eimza_browser_profile_get_directory (EimzaBrowserProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), NULL);

  return self->directory;
}

EimzaBrowserState
eimza_browser_profile_get_state (EimzaBrowserProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), EIMZA_BROWSER_STATE_UNKNOWN);

  return self->state;
}

gboolean
eimza_browser_profile_get_running (EimzaBrowserProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), FALSE);

  return self->running;
}

gboolean
eimza_browser_profile_get_needs_restart (EimzaBrowserProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), FALSE);

  return self->needs_restart;
}

const char *
eimza_browser_profile_get_problem (EimzaBrowserProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), NULL);

  return self->problem;
}

void
eimza_browser_profile_set_state (EimzaBrowserProfile *self,
                                 EimzaBrowserState    state,
                                 gboolean             running,
                                 gboolean             needs_restart,
                                 const char          *problem)
{
  g_return_if_fail (EIMZA_IS_BROWSER_PROFILE (self));

  /* A sandboxed browser stays what it is, whatever a caller finds. */
  if (self->sandbox != EIMZA_BROWSER_SANDBOX_NONE)
    state = EIMZA_BROWSER_STATE_SANDBOXED;

  self->state = state;
  self->running = running;
  self->needs_restart = needs_restart;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

gboolean
eimza_browser_profile_can_change (EimzaBrowserProfile *self)
{
  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), FALSE);

  return self->state == EIMZA_BROWSER_STATE_REGISTERED ||
         self->state == EIMZA_BROWSER_STATE_NOT_REGISTERED;
}

static const char *
sandbox_text (EimzaBrowserProfile *self)
{
  if (self->sandbox == EIMZA_BROWSER_SANDBOX_SNAP)
    return _("This browser is a snap package: its confinement does not let it load the card’s "
             "module from this computer, and nothing here can change that. For e-signature "
             "sites use a browser installed from the distribution’s packages "
             "(firefox-esr or chromium).");

  return _("This browser is a Flatpak: its sandbox does not let it load the card’s module from "
           "this computer, and nothing here can change that. For e-signature sites use a "
           "browser installed from the distribution’s packages (firefox-esr or chromium).");
}

char *
eimza_browser_profile_dup_state_text (EimzaBrowserProfile *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (EIMZA_IS_BROWSER_PROFILE (self), NULL);

  switch (self->state)
    {
    case EIMZA_BROWSER_STATE_UNKNOWN:
      g_string_append (text, _("Not checked yet."));
      break;
    case EIMZA_BROWSER_STATE_REGISTERED:
      g_string_append (text, _("Set up: the card’s module is registered."));
      break;
    case EIMZA_BROWSER_STATE_NOT_REGISTERED:
      g_string_append (text, _("Not set up: the card’s module is not registered."));
      break;
    case EIMZA_BROWSER_STATE_NO_DATABASE:
      g_string_append (text, _("This profile has no certificate store yet: start Firefox with "
                               "it once, close it, then check again."));
      break;
    case EIMZA_BROWSER_STATE_SANDBOXED:
      g_string_append (text, sandbox_text (self));
      break;
    case EIMZA_BROWSER_STATE_UNREADABLE:
    default:
      g_string_append (text, self->problem != NULL ? self->problem
                                                   : _("The certificate store could not be read."));
      break;
    }

  if (self->needs_restart)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, self->kind == EIMZA_BROWSER_FIREFOX
                       ? _("Restart Firefox for the change to take effect.")
                       : _("Restart Chromium or Google Chrome for the change to take effect."));
    }
  else if (self->running && self->kind == EIMZA_BROWSER_FIREFOX &&
           self->state != EIMZA_BROWSER_STATE_SANDBOXED)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Firefox is open with this profile: close it before changing "
                               "anything here, then start it again."));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
