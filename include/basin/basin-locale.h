/* basin-locale.h: where Basin's translations are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *basin_locale_dir (void);

G_END_DECLS
