/* basin-error.h: the error domain of Basin's core and plot layers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BASIN_ERROR (basin_error_quark ())

/**
 * BasinError:
 * @BASIN_ERROR_INVALID_ARGUMENT: a setting is out of its allowed range
 * @BASIN_ERROR_INVALID_DATA: an input file or array is malformed
 * @BASIN_ERROR_IO: reading or writing a file failed
 * @BASIN_ERROR_DIVERGED: training produced a NaN or infinite loss
 *
 * Cancellation is reported as %G_IO_ERROR_CANCELLED, as GIO does.
 */
typedef enum {
  BASIN_ERROR_INVALID_ARGUMENT,
  BASIN_ERROR_INVALID_DATA,
  BASIN_ERROR_IO,
  BASIN_ERROR_DIVERGED,
} BasinError;

GQuark basin_error_quark (void);

/**
 * BasinProgressFunc:
 * @fraction: completed share of the operation, in [0, 1]
 * @stage: short translated description of the current stage
 * @user_data: closure data
 *
 * Called from the thread that runs the operation.
 */
typedef void (*BasinProgressFunc) (double      fraction,
                                   const char *stage,
                                   gpointer    user_data);

G_END_DECLS
