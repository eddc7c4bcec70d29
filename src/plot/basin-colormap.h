/* basin-colormap.h: colour maps and the palette of lines and classes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "basin-plot.h"

G_BEGIN_DECLS

/**
 * BasinRgb:
 * @r: red in [0, 1]
 * @g: green in [0, 1]
 * @b: blue in [0, 1]
 *
 * An sRGB colour.
 */
typedef struct {
  double r;
  double g;
  double b;
} BasinRgb;

/**
 * BasinColorStop:
 * @position: where the colour sits on the map, in [0, 1]
 * @color: the colour at @position
 */
typedef struct {
  double   position;
  BasinRgb color;
} BasinColorStop;

const BasinColorStop *basin_colormap_get_stops (BasinColormap  colormap,
                                                guint         *n_stops);
BasinRgb              basin_colormap_lookup    (BasinColormap  colormap,
                                                double         t);
guint32               basin_colormap_lookup_argb (BasinColormap colormap,
                                                  double        t);
BasinRgb              basin_palette_color      (guint          index);
guint                 basin_palette_size       (void);

G_END_DECLS
