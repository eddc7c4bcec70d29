/* basin-file-private.h: reading data files, plain or gzip-compressed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GBytes *basin_read_file (const char   *path,
                         GCancellable *cancellable,
                         GError      **error);

G_END_DECLS
