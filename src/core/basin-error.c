/* basin-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "basin-error.h"

G_DEFINE_QUARK (basin-error-quark, basin_error)
