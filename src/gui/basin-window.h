/* basin-window.h: the main window of Basin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BASIN_TYPE_WINDOW (basin_window_get_type ())

G_DECLARE_FINAL_TYPE (BasinWindow, basin_window, BASIN, WINDOW, AdwApplicationWindow)

BasinWindow *basin_window_new   (AdwApplication *application);
void         basin_window_train (BasinWindow    *self);

G_END_DECLS
