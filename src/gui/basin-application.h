/* basin-application.h: the Basin application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "basin-preferences.h"

G_BEGIN_DECLS

#define BASIN_APPLICATION_ID "org.basin.Basin"

#define BASIN_TYPE_APPLICATION (basin_application_get_type ())

G_DECLARE_FINAL_TYPE (BasinApplication, basin_application, BASIN, APPLICATION, AdwApplication)

BasinApplication *basin_application_new             (void);
BasinPreferences *basin_application_get_preferences (BasinApplication *self);

G_END_DECLS
