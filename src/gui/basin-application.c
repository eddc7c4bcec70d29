/* basin-application.c: the Basin application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "basin-application.h"
#include "basin-window.h"

struct _BasinApplication
{
  AdwApplication    parent_instance;

  /* Owned; read at startup */
  BasinPreferences *preferences;
};

G_DEFINE_FINAL_TYPE (BasinApplication, basin_application, ADW_TYPE_APPLICATION)

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *application = G_APPLICATION (user_data);

  g_application_quit (application);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  /* An acknowledgement of the form "Name URL" links the name to the URL. */
  const char *paper[] = {
    "Bürgin, Herbst, Lin and Jegelka, “Beyond Structural Symmetries: Linear Mode "
    "Connectivity via Neuron Identifiability”, ICML 2026 https://arxiv.org/abs/2606.04754",
    NULL
  };
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "modal", TRUE,
                        "application-name", _("Basin"),
                        "version", BASIN_VERSION,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Explore neuron identifiability and linear mode "
                                      "connectivity: train two runs of a small network side "
                                      "by side, match their neurons and merge them along a "
                                      "straight line in weight space.\n\n"
                                      "Based on Bürgin, Herbst, Lin and Jegelka, “Beyond "
                                      "Structural Symmetries: Linear Mode Connectivity via "
                                      "Neuron Identifiability”, ICML 2026, arXiv 2606.04754."),
                        NULL);

  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about),
                                                _("Based on"),
                                                paper);
  adw_about_window_add_link (ADW_ABOUT_WINDOW (about),
                             _("Paper (arXiv 2606.04754)"),
                             "https://arxiv.org/abs/2606.04754");

  gtk_window_present (about);
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BasinApplication *self = BASIN_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (basin_preferences_window_new (self->preferences, parent));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb },
  { "about", about_action_cb },
  { "preferences", preferences_action_cb },
};

/* Window actions with their shortcuts, which the menus show as well. */
static const struct {
  const char *action;
  const char *accels[2];
} window_accels[] = {
  { "win.open-session", { "<Control>o", NULL } },
  { "win.save-session", { "<Control>s", NULL } },
  { "win.open-experiment", { "<Control><Shift>o", NULL } },
  { "win.save-experiment", { "<Control><Shift>s", NULL } },
};

static void
basin_application_activate (GApplication *application)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  /* A new window trains the default experiment at once (well under a
   * second for two moons), so every view has something to show. */
  window = GTK_WINDOW (basin_window_new (ADW_APPLICATION (application)));
  gtk_window_present (window);
  basin_window_train (BASIN_WINDOW (window));
}

static void
basin_application_startup (GApplication *application)
{
  BasinApplication *self = BASIN_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (basin_application_parent_class)->startup (application);

  self->preferences = basin_preferences_new (NULL);
  basin_preferences_apply (self->preferences);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);

  for (guint i = 0; i < G_N_ELEMENTS (window_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (application),
                                           window_accels[i].action,
                                           window_accels[i].accels);
}

static void
basin_application_finalize (GObject *object)
{
  BasinApplication *self = (BasinApplication *)object;

  g_clear_object (&self->preferences);

  G_OBJECT_CLASS (basin_application_parent_class)->finalize (object);
}

static void
basin_application_class_init (BasinApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = basin_application_finalize;

  application_class->activate = basin_application_activate;
  application_class->startup = basin_application_startup;
}

static void
basin_application_init (BasinApplication *self)
{
}

BasinApplication *
basin_application_new (void)
{
  return g_object_new (BASIN_TYPE_APPLICATION,
                       "application-id", BASIN_APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/**
 * basin_application_get_preferences:
 *
 * Returns: (transfer none): the preferences, read when the application
 *   started up
 */
BasinPreferences *
basin_application_get_preferences (BasinApplication *self)
{
  g_return_val_if_fail (BASIN_IS_APPLICATION (self), NULL);

  return self->preferences;
}
