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

/* Colours of the three-class map outside its shaded classes: small
 * values and +∞ ("unreachable"), as 0xRRGGBB. */
#define BASIN_CLASSES_NEUTRAL_RGB 0xe9e6de
#define BASIN_CLASSES_INFINITE_RGB 0x4d4d4d
#define BASIN_CLASSES_MAX_STOPS 16

const BasinColorStop *basin_colormap_get_stops (BasinColormap  colormap,
                                                guint         *n_stops);
BasinRgb              basin_colormap_lookup    (BasinColormap  colormap,
                                                double         t);
guint32               basin_colormap_lookup_argb (BasinColormap colormap,
                                                  double        t);
BasinRgb              basin_colormap_classes_lookup (double value,
                                                     double band,
                                                     double min,
                                                     double max);
guint                 basin_colormap_classes_stops (double          band,
                                                    double          min,
                                                    double          max,
                                                    BasinColorStop *stops,
                                                    guint           max_stops);
BasinRgb              basin_panel_value_color  (const BasinPanel *panel,
                                                double            value,
                                                double            min,
                                                double            max);
BasinRgb              basin_palette_color      (guint          index);
guint                 basin_palette_size       (void);

G_END_DECLS
