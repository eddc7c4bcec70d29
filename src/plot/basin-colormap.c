/* basin-colormap.c: colour maps and the palette of lines and classes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-colormap.h"

/* Viridis (van der Walt and Smith, 2015), the perceptually uniform
 * sequential map of matplotlib: every eighth entry of its published
 * 256-entry table (entries 0, 8, …, 248 and 255).  Linear interpolation
 * between these stops stays within about one 8-bit step of the table.
 */
#define VIRIDIS_STOP(index, r, g, b) { (index) / 255.0, { r, g, b } }

static const BasinColorStop viridis_stops[] = {
  VIRIDIS_STOP (0, 0.267004, 0.004874, 0.329415),
  VIRIDIS_STOP (8, 0.277018, 0.050344, 0.375715),
  VIRIDIS_STOP (16, 0.282327, 0.094955, 0.417331),
  VIRIDIS_STOP (24, 0.282884, 0.135920, 0.453427),
  VIRIDIS_STOP (32, 0.278826, 0.175490, 0.483397),
  VIRIDIS_STOP (40, 0.270595, 0.214069, 0.507052),
  VIRIDIS_STOP (48, 0.258965, 0.251537, 0.524736),
  VIRIDIS_STOP (56, 0.244972, 0.287675, 0.537260),
  VIRIDIS_STOP (64, 0.229739, 0.322361, 0.545706),
  VIRIDIS_STOP (72, 0.214298, 0.355619, 0.551184),
  VIRIDIS_STOP (80, 0.199430, 0.387607, 0.554642),
  VIRIDIS_STOP (88, 0.185556, 0.418570, 0.556753),
  VIRIDIS_STOP (96, 0.172719, 0.448791, 0.557885),
  VIRIDIS_STOP (104, 0.160665, 0.478540, 0.558115),
  VIRIDIS_STOP (112, 0.149039, 0.508051, 0.557250),
  VIRIDIS_STOP (120, 0.137770, 0.537492, 0.554906),
  VIRIDIS_STOP (128, 0.127568, 0.566949, 0.550556),
  VIRIDIS_STOP (136, 0.120565, 0.596422, 0.543611),
  VIRIDIS_STOP (144, 0.120638, 0.625828, 0.533488),
  VIRIDIS_STOP (152, 0.132268, 0.655014, 0.519661),
  VIRIDIS_STOP (160, 0.157851, 0.683765, 0.501686),
  VIRIDIS_STOP (168, 0.196571, 0.711827, 0.479221),
  VIRIDIS_STOP (176, 0.246070, 0.738910, 0.452024),
  VIRIDIS_STOP (184, 0.304148, 0.764704, 0.419943),
  VIRIDIS_STOP (192, 0.369214, 0.788888, 0.382914),
  VIRIDIS_STOP (200, 0.440137, 0.811138, 0.340967),
  VIRIDIS_STOP (208, 0.515992, 0.831158, 0.294279),
  VIRIDIS_STOP (216, 0.595839, 0.848717, 0.243329),
  VIRIDIS_STOP (224, 0.678489, 0.863742, 0.189503),
  VIRIDIS_STOP (232, 0.762373, 0.876424, 0.137064),
  VIRIDIS_STOP (240, 0.845561, 0.887322, 0.099702),
  VIRIDIS_STOP (248, 0.926106, 0.897330, 0.104071),
  VIRIDIS_STOP (255, 0.993248, 0.906157, 0.143936),
};

/* ColorBrewer's 11-class "RdBu" (Brewer, colorbrewer2.org), reversed so
 * that negative values are blue and positive values red.  Its lightness is
 * symmetric around the near-white middle class.
 */
#define HEX_STOP(index, hex) \
  { (index) / 10.0, { ((hex) >> 16) / 255.0, (((hex) >> 8) & 0xff) / 255.0, ((hex) & 0xff) / 255.0 } }

static const BasinColorStop diverging_stops[] = {
  HEX_STOP (0, 0x053061),
  HEX_STOP (1, 0x2166ac),
  HEX_STOP (2, 0x4393c3),
  HEX_STOP (3, 0x92c5de),
  HEX_STOP (4, 0xd1e5f0),
  HEX_STOP (5, 0xf7f7f7),
  HEX_STOP (6, 0xfddbc7),
  HEX_STOP (7, 0xf4a582),
  HEX_STOP (8, 0xd6604d),
  HEX_STOP (9, 0xb2182b),
  HEX_STOP (10, 0x67001f),
};

/* The two shaded classes of BASIN_COLORMAP_CLASSES: ColorBrewer's 9-class
 * "YlOrRd" and "Blues" (Brewer, colorbrewer2.org).  Their lightest classes
 * are left out, so that both stay apart from the neutral colour of small
 * values.  The darkest blue is left out too, because it is hard to tell
 * from the dark grey of +∞.  Each runs from the band edge (position 0) to
 * the end of the range (1).
 */
#define CLASS_STOP(index, count, hex) HEX_STOP ((index) * 10.0 / ((count) - 1), hex)

static const BasinColorStop warm_stops[] = {
  CLASS_STOP (0, 7, 0xfed976),
  CLASS_STOP (1, 7, 0xfeb24c),
  CLASS_STOP (2, 7, 0xfd8d3c),
  CLASS_STOP (3, 7, 0xfc4e2a),
  CLASS_STOP (4, 7, 0xe31a1c),
  CLASS_STOP (5, 7, 0xbd0026),
  CLASS_STOP (6, 7, 0x800026),
};

static const BasinColorStop cool_stops[] = {
  CLASS_STOP (0, 5, 0x9ecae1),
  CLASS_STOP (1, 5, 0x6baed6),
  CLASS_STOP (2, 5, 0x4292c6),
  CLASS_STOP (3, 5, 0x2171b5),
  CLASS_STOP (4, 5, 0x08519c),
};

/* The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008),
 * distinguishable with the common forms of colour blindness, with yellow
 * last among them because it has little contrast on white.  Wine and olive
 * from Paul Tol's "muted" scheme follow, so ten classes, as in MNIST-format
 * data, get ten colours.
 */
#define HEX_COLOR(hex) \
  { ((hex) >> 16) / 255.0, (((hex) >> 8) & 0xff) / 255.0, ((hex) & 0xff) / 255.0 }

static const BasinRgb okabe_ito[] = {
  HEX_COLOR (0x0072b2), /* blue */
  HEX_COLOR (0xd55e00), /* vermillion */
  HEX_COLOR (0x009e73), /* bluish green */
  HEX_COLOR (0xcc79a7), /* reddish purple */
  HEX_COLOR (0xe69f00), /* orange */
  HEX_COLOR (0x56b4e9), /* sky blue */
  HEX_COLOR (0x000000), /* black */
  HEX_COLOR (0xf0e442), /* yellow */
  HEX_COLOR (0x882255), /* wine */
  HEX_COLOR (0x999933), /* olive */
};

/**
 * basin_colormap_get_stops:
 * @colormap: a colour map
 * @n_stops: (out): number of stops
 *
 * Gets the control points of @colormap, ordered by position from 0 to 1.
 * Colours between two stops are interpolated linearly in sRGB, so a cairo
 * linear gradient with these stops draws the same map.  For
 * %BASIN_COLORMAP_CLASSES these are the stops of its warm class only; see
 * basin_colormap_classes_stops().
 *
 * Returns: (transfer none) (array length=n_stops): the stops
 */
const BasinColorStop *
basin_colormap_get_stops (BasinColormap  colormap,
                          guint         *n_stops)
{
  g_return_val_if_fail (n_stops != NULL, NULL);

  switch (colormap)
    {
    case BASIN_COLORMAP_DIVERGING:
      *n_stops = G_N_ELEMENTS (diverging_stops);
      return diverging_stops;

    case BASIN_COLORMAP_CLASSES:
      *n_stops = G_N_ELEMENTS (warm_stops);
      return warm_stops;

    case BASIN_COLORMAP_VIRIDIS:
    default:
      *n_stops = G_N_ELEMENTS (viridis_stops);
      return viridis_stops;
    }
}

static BasinRgb
interpolate_stops (const BasinColorStop *stops,
                   guint                 n_stops,
                   double                t)
{
  const BasinColorStop *lo;
  const BasinColorStop *hi;
  guint i;
  double f;

  t = CLAMP (t, 0.0, 1.0);

  for (i = 1; i < n_stops - 1 && stops[i].position < t; i++)
    ;

  lo = &stops[i - 1];
  hi = &stops[i];
  f = (t - lo->position) / (hi->position - lo->position);
  f = CLAMP (f, 0.0, 1.0);

  return (BasinRgb) {
    lo->color.r + f * (hi->color.r - lo->color.r),
    lo->color.g + f * (hi->color.g - lo->color.g),
    lo->color.b + f * (hi->color.b - lo->color.b),
  };
}

/**
 * basin_colormap_lookup:
 * @colormap: a colour map
 * @t: position on the map; values outside [0, 1] are clamped
 *
 * Looks up the colour at @t.  A NaN @t gives light grey, the colour
 * figures use for missing values.  For %BASIN_COLORMAP_CLASSES, which
 * needs the value itself, use basin_colormap_classes_lookup().
 *
 * Returns: the colour
 */
BasinRgb
basin_colormap_lookup (BasinColormap colormap,
                       double        t)
{
  const BasinColorStop *stops;
  guint n_stops;

  if (isnan (t))
    return (BasinRgb) { 0.85, 0.85, 0.85 };

  stops = basin_colormap_get_stops (colormap, &n_stops);

  return interpolate_stops (stops, n_stops, t);
}

static BasinRgb
rgb_from_hex (guint32 hex)
{
  return (BasinRgb) HEX_COLOR (hex);
}

/**
 * basin_colormap_classes_lookup:
 * @value: a value
 * @band: half width of the neutral band, ≥ 0
 * @min: value drawn with the darkest blue, ≤ −@band
 * @max: value drawn with the darkest red, ≥ @band
 *
 * Looks up the colour of @value on the three-class map: neutral within
 * ±@band, warm shades from the band edge up to @max, blue shades from the
 * band edge down to @min.  +∞ gives %BASIN_CLASSES_INFINITE_RGB and NaN
 * the light grey of missing values.
 *
 * Returns: the colour
 */
BasinRgb
basin_colormap_classes_lookup (double value,
                               double band,
                               double min,
                               double max)
{
  if (isnan (value))
    return basin_colormap_lookup (BASIN_COLORMAP_VIRIDIS, NAN);
  if (value == INFINITY)
    return rgb_from_hex (BASIN_CLASSES_INFINITE_RGB);
  if (fabs (value) <= band)
    return rgb_from_hex (BASIN_CLASSES_NEUTRAL_RGB);

  if (value > band)
    return interpolate_stops (warm_stops, G_N_ELEMENTS (warm_stops),
                              max > band ? (value - band) / (max - band) : 1.0);

  return interpolate_stops (cool_stops, G_N_ELEMENTS (cool_stops),
                            min < -band ? (-band - value) / (-band - min) : 1.0);
}

static guint
append_stop (BasinColorStop *stops,
             guint           n,
             guint           max_stops,
             double          position,
             BasinRgb        color)
{
  if (n < max_stops)
    stops[n] = (BasinColorStop) { CLAMP (position, 0.0, 1.0), color };

  return n + 1;
}

/**
 * basin_colormap_classes_stops:
 * @band: half width of the neutral band, ≥ 0
 * @min: bottom of the colour bar, ≤ −@band
 * @max: top of the colour bar, ≥ @band, > @min
 * @stops: (out caller-allocates) (array length=max_stops): the stops
 * @max_stops: room in @stops; %BASIN_CLASSES_MAX_STOPS is always enough
 *
 * Lists gradient stops that draw basin_colormap_classes_lookup() along a
 * colour bar from @min (position 0) to @max (position 1).  The band edges
 * get two stops at the same position, a sharp step between the classes.
 *
 * Returns: the number of stops written
 */
guint
basin_colormap_classes_stops (double          band,
                              double          min,
                              double          max,
                              BasinColorStop *stops,
                              guint           max_stops)
{
  double span = max - min;
  double low_edge = (-band - min) / span;
  double high_edge = (band - min) / span;
  BasinRgb neutral = rgb_from_hex (BASIN_CLASSES_NEUTRAL_RGB);
  guint n = 0;

  /* Darkest blue at the bottom, lightening towards the band. */
  for (guint i = G_N_ELEMENTS (cool_stops); min < -band && i-- > 0;)
    n = append_stop (stops, n, max_stops, low_edge * (1.0 - cool_stops[i].position),
                     cool_stops[i].color);

  n = append_stop (stops, n, max_stops, low_edge, neutral);
  n = append_stop (stops, n, max_stops, high_edge, neutral);

  for (guint i = 0; max > band && i < G_N_ELEMENTS (warm_stops); i++)
    n = append_stop (stops, n, max_stops,
                     high_edge + (1.0 - high_edge) * warm_stops[i].position,
                     warm_stops[i].color);

  return MIN (n, max_stops);
}

/**
 * basin_colormap_lookup_argb:
 * @colormap: a colour map
 * @t: position on the map, as for basin_colormap_lookup()
 *
 * Looks up the colour at @t as an opaque pixel in the layout of
 * %CAIRO_FORMAT_ARGB32.
 *
 * Returns: the pixel value
 */
guint32
basin_colormap_lookup_argb (BasinColormap colormap,
                            double        t)
{
  BasinRgb rgb = basin_colormap_lookup (colormap, t);
  guint32 r = (guint32) lround (rgb.r * 255.0);
  guint32 g = (guint32) lround (rgb.g * 255.0);
  guint32 b = (guint32) lround (rgb.b * 255.0);

  return 0xff000000u | (r << 16) | (g << 8) | b;
}

/**
 * basin_palette_color:
 * @index: index of a line or class; indices past the end wrap around
 *
 * Gets a colour of the Okabe–Ito qualitative palette.
 *
 * Returns: the colour
 */
BasinRgb
basin_palette_color (guint index)
{
  return okabe_ito[index % G_N_ELEMENTS (okabe_ito)];
}

/**
 * basin_palette_size:
 *
 * Returns: the number of distinct colours of basin_palette_color()
 */
guint
basin_palette_size (void)
{
  return G_N_ELEMENTS (okabe_ito);
}
