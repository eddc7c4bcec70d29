/* basin-preferences.c: the user's preferences, kept in a key file, and their window.
 *
 * The preferences live in an INI-style GKeyFile, by default
 * $XDG_CONFIG_HOME/basin/settings.ini, so Basin needs no GSettings schema
 * installed.  The one preference so far is the number of OpenBLAS threads
 * that analyses and landscapes use while the window is open.  Training
 * sets its own count (one thread per run) and restores this one after.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>

#include <cblas.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "basin-preferences.h"

#define GROUP_PERFORMANCE "Performance"
#define KEY_BLAS_THREADS  "blas-threads"

struct _BasinPreferences
{
  GObject  parent_instance;

  char    *path;
  guint    blas_threads;
};

G_DEFINE_FINAL_TYPE (BasinPreferences, basin_preferences, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BLAS_THREADS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Reads the key file; a missing file or key keeps the defaults. */
static void
basin_preferences_load (BasinPreferences *self)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  guint64 threads;

  if (!g_key_file_load_from_file (key_file, self->path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Could not read the preferences “%s”, using the defaults: %s",
                   self->path, error->message);
      return;
    }

  threads = g_key_file_get_uint64 (key_file, GROUP_PERFORMANCE, KEY_BLAS_THREADS, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)
          && !g_error_matches (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
        g_warning ("Ignoring %s in “%s”: %s", KEY_BLAS_THREADS, self->path, error->message);
      return;
    }

  if (threads < 1 || threads > BASIN_PREFERENCES_MAX_BLAS_THREADS)
    {
      g_warning ("Ignoring %s = %" G_GUINT64_FORMAT " in “%s”: use 1 to %d",
                 KEY_BLAS_THREADS, threads, self->path, BASIN_PREFERENCES_MAX_BLAS_THREADS);
      return;
    }

  self->blas_threads = (guint)threads;
}

/* Writes the key file, keeping keys it does not know. */
static void
basin_preferences_save (BasinPreferences *self)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (self->path);

  g_key_file_load_from_file (key_file, self->path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_uint64 (key_file, GROUP_PERFORMANCE, KEY_BLAS_THREADS, self->blas_threads);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_warning ("Could not create the folder “%s” for the preferences: %s",
                 folder, g_strerror (errno));
      return;
    }

  if (!g_key_file_save_to_file (key_file, self->path, &error))
    g_warning ("Could not save the preferences to “%s”: %s", self->path, error->message);
}

static void
basin_preferences_finalize (GObject *object)
{
  BasinPreferences *self = (BasinPreferences *)object;

  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (basin_preferences_parent_class)->finalize (object);
}

static void
basin_preferences_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BasinPreferences *self = BASIN_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_BLAS_THREADS:
      g_value_set_uint (value, self->blas_threads);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
basin_preferences_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BasinPreferences *self = BASIN_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_BLAS_THREADS:
      basin_preferences_set_blas_threads (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
basin_preferences_class_init (BasinPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = basin_preferences_finalize;
  object_class->get_property = basin_preferences_get_property;
  object_class->set_property = basin_preferences_set_property;

  /**
   * BasinPreferences:blas-threads:
   *
   * OpenBLAS threads for analyses and landscapes; landscapes also run
   * this many grid points side by side.
   */
  properties[PROP_BLAS_THREADS] =
    g_param_spec_uint ("blas-threads", NULL, NULL,
                       1, BASIN_PREFERENCES_MAX_BLAS_THREADS, 1,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
basin_preferences_init (BasinPreferences *self)
{
  self->blas_threads = basin_preferences_default_blas_threads ();
}

/**
 * basin_preferences_new:
 * @path: (nullable): the key file, or %NULL for settings.ini in the
 *   basin folder of g_get_user_config_dir()
 *
 * Reads the preferences from @path.  Every change is written back at once.
 *
 * Returns: (transfer full): the preferences
 */
BasinPreferences *
basin_preferences_new (const char *path)
{
  BasinPreferences *self = g_object_new (BASIN_TYPE_PREFERENCES, NULL);

  self->path = path != NULL
               ? g_strdup (path)
               : g_build_filename (g_get_user_config_dir (), "basin", "settings.ini", NULL);
  basin_preferences_load (self);

  return self;
}

const char *
basin_preferences_get_path (BasinPreferences *self)
{
  g_return_val_if_fail (BASIN_IS_PREFERENCES (self), NULL);

  return self->path;
}

guint
basin_preferences_get_blas_threads (BasinPreferences *self)
{
  g_return_val_if_fail (BASIN_IS_PREFERENCES (self), 1);

  return self->blas_threads;
}

/**
 * basin_preferences_set_blas_threads:
 * @threads: 1 to %BASIN_PREFERENCES_MAX_BLAS_THREADS
 *
 * Saves the thread count and applies it with basin_preferences_apply().
 */
void
basin_preferences_set_blas_threads (BasinPreferences *self,
                                    guint             threads)
{
  g_return_if_fail (BASIN_IS_PREFERENCES (self));
  g_return_if_fail (threads >= 1 && threads <= BASIN_PREFERENCES_MAX_BLAS_THREADS);

  if (threads == self->blas_threads)
    return;

  self->blas_threads = threads;
  basin_preferences_save (self);
  basin_preferences_apply (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLAS_THREADS]);
}

/**
 * basin_preferences_default_blas_threads:
 *
 * Returns: the number of processors, at most
 *   %BASIN_PREFERENCES_MAX_BLAS_THREADS
 */
guint
basin_preferences_default_blas_threads (void)
{
  return CLAMP (g_get_num_processors (), 1, BASIN_PREFERENCES_MAX_BLAS_THREADS);
}

/**
 * basin_preferences_apply:
 *
 * Sets the thread count of OpenBLAS, which is global to the process.
 * Call it on the main thread while no analysis runs; it takes effect
 * with the next BLAS call.
 */
void
basin_preferences_apply (BasinPreferences *self)
{
  g_return_if_fail (BASIN_IS_PREFERENCES (self));

#ifdef OPENBLAS_VERSION
  openblas_set_num_threads ((int)self->blas_threads);
  g_debug ("Using %u OpenBLAS threads for analyses", self->blas_threads);
#else
  g_debug ("The BLAS library is not OpenBLAS, so its thread count is left as it is");
#endif
}

/**
 * basin_preferences_window_new:
 * @parent: (nullable): the window the preferences belong to
 *
 * Returns: (transfer full): a new preferences window that edits @self
 */
GtkWindow *
basin_preferences_window_new (BasinPreferences *self,
                              GtkWindow        *parent)
{
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *group;
  GtkWidget *row;
  GtkWidget *spin;
  g_autofree char *description = NULL;

  g_return_val_if_fail (BASIN_IS_PREFERENCES (self), NULL);

  window = g_object_new (ADW_TYPE_PREFERENCES_WINDOW,
                         "transient-for", parent,
                         "modal", TRUE,
                         "search-enabled", FALSE,
                         "default-height", 320,
                         NULL);

  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("General"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "preferences-system-symbolic");

  description = g_strdup_printf (_("This computer has %u processors. Training always uses "
                                   "one thread per run. Saved in %s."),
                                 g_get_num_processors (), self->path);
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Performance"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);

  spin = gtk_spin_button_new_with_range (1, BASIN_PREFERENCES_MAX_BLAS_THREADS, 1);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_object_bind_property (self, "blas-threads",
                          gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin)), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Threads for analyses and landscapes"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("OpenBLAS threads for matching, swap costs and merge paths, and "
                                 "grid points evaluated side by side in a landscape"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));

  return GTK_WINDOW (window);
}
