/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `eimza-asistan --check-expiry [--daily]`: the renewal reminders, without a window. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <gio/gio.h>

#include "eimza-expiry-check-command.h"
#include "eimza-expiry-store.h"
#include "eimza-expiry-text.h"

#define OPTION "--check-expiry"

/* How often --daily looks again: the date may change, the computer may
 * wake from sleep, a card may have been seen. Each look reads one small
 * file. */
#define DAILY_INTERVAL_SECONDS (60 * 60)

typedef struct {
  GApplication *application;
  gboolean daily;
  gboolean print;
  int status;
} Check;

gboolean
eimza_expiry_check_command_wanted (int    argc,
                                   char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], OPTION) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The setting, when the schema is installed; on without it (a build tree
 * whose tests do not point at it). */
static gboolean
reminders_enabled (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "expiry-reminders"))
    return TRUE;

  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_boolean (settings, "expiry-reminders");
}

static const char *
state_name (EimzaExpiryState state)
{
  switch (state)
    {
    case EIMZA_EXPIRY_STATE_VALID:
      return "valid";
    case EIMZA_EXPIRY_STATE_WINDOW_OPEN:
      return "window-open";
    case EIMZA_EXPIRY_STATE_RENEWED:
      return "renewed";
    case EIMZA_EXPIRY_STATE_EXPIRED:
    default:
      return "expired";
    }
}

/* Under the store's lock: prints it (for scripts: tab-separated, the same
 * words in every language) and sends what is due, marking it sent. */
static gboolean
check_store (EimzaExpiryStore *store,
             gpointer          user_data)
{
  Check *check = user_data;
  g_autoptr(GDateTime) now = eimza_expiry_clock_now ();
  GPtrArray *records = eimza_expiry_store_get_records (store);
  gboolean enabled = reminders_enabled ();
  gboolean changed = FALSE;
  GDate today;

  eimza_expiry_local_date (now, &today);

  if (check->print)
    {
      g_print ("# serial\tnot-after\tdays-left\tstate\treminder\tlabel\n");
      if (!enabled)
        g_print ("# reminders are off (setting expiry-reminders)\n");
    }

  for (guint i = 0; i < records->len; i++)
    {
      EimzaExpiryRecord *record = g_ptr_array_index (records, i);
      EimzaExpiryReminder due = eimza_expiry_store_get_due (store, record, now);
      g_autofree char *not_after = g_date_time_format_iso8601 (record->not_after);
      const char *sent = "-";

      if (due != EIMZA_EXPIRY_REMINDER_NONE && enabled)
        {
          g_autoptr(GNotification) notification = eimza_expiry_text_new_notification (record, due,
                                                                                      now);
          g_autofree char *id = g_strdup_printf ("expiry-%s", record->serial);

          /* One notification per certificate: a later reminder replaces
           * an earlier one still shown. */
          g_application_send_notification (check->application, id, notification);
          eimza_expiry_store_mark_sent (store, record, due);
          sent = eimza_expiry_reminder_to_string (due);
          changed = TRUE;
        }

      if (check->print)
        g_print ("%s\t%s\t%d\t%s\t%s\t%s\n", record->serial, not_after,
                 eimza_expiry_days_left (record->not_after, &today),
                 state_name (eimza_expiry_store_get_state (store, record, now)), sent,
                 record->label != NULL ? record->label : "");
    }

  /* Written again only when a reminder went out: it is not sent twice. */
  return changed;
}

static void
check_once (Check *check)
{
  g_autofree char *path = eimza_expiry_store_default_path ();
  g_autoptr(GError) error = NULL;

  if (!eimza_expiry_store_update (path, FALSE, check_store, check, &error))
    {
      /* TRANSLATORS: %s is a file, then why it could not be read or written */
      g_printerr (_("The certificates’ store %s could not be used: %s\n"), path, error->message);
      check->status = EXIT_FAILURE;
    }
}

static gboolean
daily_cb (gpointer user_data)
{
  Check *check = user_data;

  check_once (check);

  return G_SOURCE_CONTINUE;
}

/* A click on a reminder: the application on its renewal page (the one
 * running, or a new one). */
static void
start_renewal_activated_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GError) error = NULL;
  char *argv[] = { program, (char *) "--renewal", NULL };

  if (program == NULL)
    program = g_strdup ("eimza-asistan");
  argv[0] = program;

  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &error))
    g_warning ("The application could not be started: %s", error->message);
}

static void
activate_cb (GApplication *application,
             Check        *check)
{
  check_once (check);
  check->print = FALSE;

  if (check->daily)
    {
      /* Stays for the session: clicks on its notifications come back to
       * this process (org.freedesktop.Notifications). */
      g_application_hold (application);
      g_timeout_add_seconds (DAILY_INTERVAL_SECONDS, daily_cb, check);
    }
}

int
eimza_expiry_check_command_run (int    argc,
                                char **argv)
{
  gboolean check_expiry = FALSE;
  gboolean daily = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  g_autoptr(GApplication) application = NULL;
  const GActionEntry actions[] = {
    { "start-renewal", start_renewal_activated_cb, NULL, NULL, NULL, { 0 } },
  };
  const GOptionEntry entries[] = {
    { "check-expiry", 0, 0, G_OPTION_ARG_NONE, &check_expiry,
      N_("Check the expiry of the certificates seen on cards and remind of the renewal; "
         "opens no window"), NULL },
    { "daily", 0, 0, G_OPTION_ARG_NONE, &daily,
      N_("With --check-expiry: stay running and check again every day"), NULL },
    { NULL }
  };
  Check check = { 0 };
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &args, &error) || g_strv_length (args) > 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : _("--check-expiry takes no other arguments"));
      return 2;
    }

  /* Its own instance of the application: it must not hand its work to the
   * window, nor take the window's name on the bus while it stays. */
  g_set_application_name (_("E-Signature Assistant"));
  application = g_application_new (APPLICATION_ID, G_APPLICATION_NON_UNIQUE);
  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions),
                                   NULL);
  check.application = application;
  check.daily = daily;
  check.print = TRUE;
  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), &check);

  status = g_application_run (application, 1, argv);

  return status != EXIT_SUCCESS ? status : check.status;
}
