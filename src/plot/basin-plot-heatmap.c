/* basin-plot-heatmap.c: matrices and grids of small heat maps.
 *
 * Each heat map becomes one cairo image surface with a pixel per value,
 * scaled onto the page.  SVG and PDF files then hold one small embedded
 * image per heat map instead of a rectangle per value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-colormap.h"
#include "basin-figure-private.h"

static void
image_value_range (const BasinImage *image,
                   const BasinPanel *panel,
                   double           *min,
                   double           *max)
{
  gsize n = (gsize) image->n_rows * image->n_cols;

  *min = panel->color_min;
  *max = panel->color_max;
  if (!panel->scale_per_image)
    return;

  *min = INFINITY;
  *max = -INFINITY;
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (image->values[i]))
        continue;
      *min = MIN (*min, image->values[i]);
      *max = MAX (*max, image->values[i]);
    }
}

static guint32
argb_from_rgb (BasinRgb rgb)
{
  guint32 r = (guint32) lround (CLAMP (rgb.r, 0.0, 1.0) * 255.0);
  guint32 g = (guint32) lround (CLAMP (rgb.g, 0.0, 1.0) * 255.0);
  guint32 b = (guint32) lround (CLAMP (rgb.b, 0.0, 1.0) * 255.0);

  return 0xff000000u | (r << 16) | (g << 8) | b;
}

/**
 * basin_panel_value_color:
 * @panel: a panel with a colour map
 * @value: a value
 * @min: value at the start of the map
 * @max: value at the end of the map
 *
 * Maps @value to a colour with the colour map and scale of @panel:
 * linear, logarithmic (values ≤ 0 count as missing) or the three classes
 * of %BASIN_COLORMAP_CLASSES.  Missing values give light grey.
 *
 * Returns: the colour
 */
BasinRgb
basin_panel_value_color (const BasinPanel *panel,
                         double            value,
                         double            min,
                         double            max)
{
  double t;

  if (panel->colormap == BASIN_COLORMAP_CLASSES)
    return basin_colormap_classes_lookup (value, panel->neutral_band, min, max);

  if (!isfinite (value) || (panel->color_log && (value <= 0.0 || min <= 0.0)))
    return basin_colormap_lookup (panel->colormap, NAN);

  if (panel->color_log)
    t = max > min ? (log10 (value) - log10 (min)) / (log10 (max) - log10 (min)) : 0.0;
  else
    t = max > min ? (value - min) / (max - min) : 0.0;

  return basin_colormap_lookup (panel->colormap, t);
}

/**
 * basin_image_create_surface:
 * @image: an image of a panel
 * @panel: the panel, for its colour map and range
 * @flip_rows: put row 0 of the image at the bottom
 *
 * Converts @image to colours, one pixel per value.  A constant image
 * scaled per image gets the first colour of the map.
 *
 * Returns: (transfer full): an image surface of @image->n_cols ×
 *   @image->n_rows pixels, in an error state if cairo ran out of memory
 */
cairo_surface_t *
basin_image_create_surface (const BasinImage *image,
                            const BasinPanel *panel,
                            gboolean          flip_rows)
{
  cairo_surface_t *surface;
  double min, max;
  guint8 *data;
  int stride;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, image->n_cols, image->n_rows);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;

  image_value_range (image, panel, &min, &max);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (guint r = 0; r < image->n_rows; r++)
    {
      guint source_row = flip_rows ? image->n_rows - 1 - r : r;
      const float *values = image->values + (gsize) source_row * image->n_cols;
      guint32 *pixels = (guint32 *) (data + (gsize) r * stride);

      for (guint c = 0; c < image->n_cols; c++)
        pixels[c] = argb_from_rgb (basin_panel_value_color (panel, values[c], min, max));
    }

  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Largest side of an image enlarged for SVG and PDF output. */
#define MAX_VECTOR_IMAGE_SIZE 2048

/* SVG viewers smooth embedded images, and cairo 1.16 writes no
 * image-rendering hint for CAIRO_FILTER_NEAREST, so a 16 × 16 matrix would
 * come out blurred.  Enlarging each cell to a block of pixels keeps the
 * cell edges sharp whatever the viewer does. */
static cairo_surface_t *
enlarge_for_vector (cairo_surface_t *surface,
                    double           width,
                    double           height)
{
  int pixels_x = cairo_image_surface_get_width (surface);
  int pixels_y = cairo_image_surface_get_height (surface);
  int factor = (int) ceil (MAX (width / pixels_x, height / pixels_y));
  cairo_surface_t *large;
  cairo_t *cr;

  factor = MIN (factor, MAX_VECTOR_IMAGE_SIZE / MAX (pixels_x, pixels_y));
  if (factor <= 1)
    return cairo_surface_reference (surface);

  large = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixels_x * factor, pixels_y * factor);
  cr = cairo_create (large);
  cairo_scale (cr, factor, factor);
  cairo_set_source_surface (cr, surface, 0.0, 0.0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_destroy (cr);

  return large;
}

/**
 * basin_plot_paint_surface:
 * @cr: a cairo context
 * @surface: an image surface, one pixel per value
 * @x: left edge on the page
 * @y: top edge on the page
 * @width: width on the page
 * @height: height on the page
 * @filter: %CAIRO_FILTER_NEAREST for sharp cells, %CAIRO_FILTER_BILINEAR
 *   for a smoothed function
 *
 * Draws @surface stretched over the rectangle, clipped to it.  On raster
 * targets the pattern is padded, so bilinear smoothing does not fade the
 * edges.  Vector targets get no padding, because cairo 1.16 rasterizes
 * padded patterns in SVG and PDF output as large fallback images.
 */
void
basin_plot_paint_surface (cairo_t         *cr,
                          cairo_surface_t *surface,
                          double           x,
                          double           y,
                          double           width,
                          double           height,
                          cairo_filter_t   filter)
{
  cairo_surface_type_t target = cairo_surface_get_type (cairo_get_target (cr));
  gboolean vector = target == CAIRO_SURFACE_TYPE_SVG ||
                    target == CAIRO_SURFACE_TYPE_PDF ||
                    target == CAIRO_SURFACE_TYPE_PS;
  cairo_surface_t *source;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return;

  if (vector && filter == CAIRO_FILTER_NEAREST)
    source = enlarge_for_vector (surface, width, height);
  else
    source = cairo_surface_reference (surface);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, width / cairo_image_surface_get_width (source),
               height / cairo_image_surface_get_height (source));
  cairo_set_source_surface (cr, source, 0.0, 0.0);
  cairo_pattern_set_filter (cairo_get_source (cr), filter);
  cairo_pattern_set_extend (cairo_get_source (cr), vector ? CAIRO_EXTEND_NONE : CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);

  cairo_surface_destroy (source);
}

/**
 * basin_heatmap_draw_image:
 * @cr: a cairo context
 * @panel: the panel of @image
 * @image: an image
 * @x: left edge on the page
 * @y: top edge on the page
 * @width: width on the page
 * @height: height on the page
 * @smooth: %TRUE to interpolate bilinearly with row 0 at the bottom, as
 *   for a function sampled on a grid.  %FALSE draws sharp cells with row 0
 *   at the top, as for a matrix.
 *
 * Draws @image stretched over a rectangle.
 */
void
basin_heatmap_draw_image (cairo_t          *cr,
                          const BasinPanel *panel,
                          const BasinImage *image,
                          double            x,
                          double            y,
                          double            width,
                          double            height,
                          gboolean          smooth)
{
  cairo_surface_t *surface = basin_image_create_surface (image, panel, smooth);

  basin_plot_paint_surface (cr, surface, x, y, width, height,
                            smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST);
  cairo_surface_destroy (surface);
}

/**
 * basin_plot_draw_outline:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @area: a rectangle
 *
 * Draws a thin dark frame around @area.
 */
void
basin_plot_draw_outline (cairo_t                 *cr,
                         const BasinPlotStyle    *style,
                         const cairo_rectangle_t *area)
{
  basin_plot_set_rgb (cr, 0x333333);
  cairo_set_line_width (cr, 0.8 * style->scale);
  cairo_rectangle (cr, area->x, area->y, area->width, area->height);
  cairo_stroke (cr);
}

/**
 * basin_plot_fill_hatched:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @area: a rectangle
 *
 * Fills @area light grey with darker diagonal lines, the look of values
 * that are not computed yet.  The lines are anchored to the page, so
 * hatched areas side by side join up.
 */
void
basin_plot_fill_hatched (cairo_t                 *cr,
                         const BasinPlotStyle    *style,
                         const cairo_rectangle_t *area)
{
  double spacing = 6.0 * style->scale;
  double first = floor ((area->x + area->y) / spacing) * spacing;
  double last = area->x + area->width + area->y + area->height;

  cairo_save (cr);
  cairo_rectangle (cr, area->x, area->y, area->width, area->height);
  cairo_clip (cr);
  basin_plot_set_rgb (cr, BASIN_HATCH_BACKGROUND_RGB);
  cairo_paint (cr);

  /* Lines x + y = c, rising from the bottom left to the top right. */
  for (double c = first; c <= last + spacing; c += spacing)
    {
      cairo_move_to (cr, c - area->y - area->height, area->y + area->height);
      cairo_line_to (cr, c - area->y, area->y);
    }
  basin_plot_set_rgb (cr, BASIN_HATCH_LINE_RGB);
  cairo_set_line_width (cr, 0.8 * style->scale);
  cairo_stroke (cr);
  cairo_restore (cr);
}
