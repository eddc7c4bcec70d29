/* basin-preferences.h: the user's preferences, kept in a key file, and their window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BASIN_TYPE_PREFERENCES (basin_preferences_get_type ())

G_DECLARE_FINAL_TYPE (BasinPreferences, basin_preferences, BASIN, PREFERENCES, GObject)

/* Largest number of OpenBLAS threads the preferences offer. */
#define BASIN_PREFERENCES_MAX_BLAS_THREADS 64

BasinPreferences *basin_preferences_new                  (const char       *path);
const char       *basin_preferences_get_path             (BasinPreferences *self);
guint             basin_preferences_get_blas_threads     (BasinPreferences *self);
void              basin_preferences_set_blas_threads     (BasinPreferences *self,
                                                          guint             threads);
guint             basin_preferences_default_blas_threads (void);
void              basin_preferences_apply                (BasinPreferences *self);
GtkWindow        *basin_preferences_window_new           (BasinPreferences *self,
                                                          GtkWindow        *parent);

G_END_DECLS
