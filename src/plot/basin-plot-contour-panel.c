/* basin-plot-contour-panel.c: a function on a grid as a heat map with
 * contour lines, markers and segments.
 *
 * The grid may be filled coarse to fine.  While only every stride-th row
 * and column is computed, each computed sample is drawn as a block over
 * the cells nearest to it.  The first coarse level then already looks like
 * a whole low-resolution image, and contour lines follow the coarse grid.
 * Cells with no computed sample nearby show a hatched background.
 *
 * The annotations on top (labels of contour lines, markers and segments)
 * are in basin-plot-annotations.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-colormap.h"
#include "basin-figure-private.h"

static const BasinImage *
contour_image (const BasinPanel *panel)
{
  if (panel->images->len == 0)
    return NULL;

  return g_ptr_array_index (panel->images, 0);
}

/* The data coordinates of the first and last columns and rows. */
static void
panel_extent (const BasinPanel *panel,
              double            extent[4])
{
  const BasinImage *image = contour_image (panel);

  if (panel->has_extent)
    {
      for (guint i = 0; i < 4; i++)
        extent[i] = panel->extent[i];
      return;
    }

  extent[0] = 0.0;
  extent[1] = image != NULL && image->n_cols > 1 ? image->n_cols - 1 : 1.0;
  extent[2] = 0.0;
  extent[3] = image != NULL && image->n_rows > 1 ? image->n_rows - 1 : 1.0;
}

static void
fit_x_axis (cairo_t              *cr,
            const BasinPlotStyle *style,
            double                min,
            double                max,
            double                length,
            BasinAxis            *axis)
{
  guint target = (guint) CLAMP (length / (80.0 * style->scale), 2.0, 10.0);

  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  for (;;)
    {
      basin_axis_init_linear (axis, min, max, target, FALSE);
      if (target <= 2 || basin_axis_labels_fit (axis, cr, length))
        break;
      target--;
    }
}

/* The largest rectangle in @avail with the aspect of the data when
 * @equal_aspect is set, centred. */
static void
fit_plot (const cairo_rectangle_t *avail,
          const double             extent[4],
          gboolean                 equal_aspect,
          cairo_rectangle_t       *plot)
{
  double ratio = (extent[1] - extent[0]) / (extent[3] - extent[2]);

  *plot = *avail;
  if (!equal_aspect || !isfinite (ratio) || ratio <= 0.0)
    return;

  plot->width = MIN (avail->width, avail->height * ratio);
  plot->height = plot->width / ratio;
  plot->x = avail->x + (avail->width - plot->width) / 2.0;
  plot->y = avail->y + (avail->height - plot->height) / 2.0;
}

static void
compute_layout (const BasinPanel        *panel,
                cairo_t                 *cr,
                const BasinPlotStyle    *style,
                const cairo_rectangle_t *cell,
                BasinContourLayout      *layout)
{
  g_autoptr(GPtrArray) legend = basin_panel_collect_legend (panel);
  double top, bottom, left, right, colorbar;
  cairo_rectangle_t avail;

  panel_extent (panel, layout->extent);
  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  layout->label_height = basin_plot_line_height (cr);
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  layout->tick_height = basin_plot_line_height (cr);

  top = basin_panel_title_height (cr, style, panel) + layout->tick_height / 2.0;
  bottom = style->tick_length + 0.3 * style->pad + layout->tick_height;
  if (panel->x_title != NULL)
    bottom += 0.5 * style->pad + layout->label_height;
  if (legend->len > 0)
    bottom += style->pad + basin_legend_measure (cr, style, legend, cell->width);
  avail.height = MAX (cell->height - top - bottom, 1.0);

  basin_axis_init_linear (&layout->y_axis, layout->extent[2], layout->extent[3],
                          (guint) CLAMP (avail.height / (50.0 * style->scale), 2.0, 10.0), FALSE);
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  layout->y_labels_width = basin_axis_max_label_width (&layout->y_axis, cr);
  left = style->tick_length + 0.5 * style->pad + layout->y_labels_width;
  if (panel->y_title != NULL)
    left += 0.5 * style->pad + layout->label_height;

  colorbar = basin_colorbar_measure (cr, style, panel, avail.height);
  right = colorbar > 0.0 ? 1.5 * style->pad + colorbar : style->pad;
  avail.x = cell->x + left;
  avail.y = cell->y + top;
  avail.width = MAX (cell->width - left - right, 1.0);

  fit_plot (&avail, layout->extent, panel->equal_aspect, &layout->plot);
  fit_x_axis (cr, style, layout->extent[0], layout->extent[1], layout->plot.width, &layout->x_axis);
}

/**
 * basin_contour_panel_layout:
 * @panel: a contour panel
 * @cr: a cairo context used to measure text
 * @style: sizes of the figure
 * @cell: the area of the panel
 * @plot: (out): the area inside the axes, which spans the extent exactly
 *
 * Places the axes so that ticks, axis titles, colour bar and legend fit in
 * @cell, with equal units on both axes if basin_panel_set_equal_aspect()
 * is set.
 */
void
basin_contour_panel_layout (const BasinPanel        *panel,
                            cairo_t                 *cr,
                            const BasinPlotStyle    *style,
                            const cairo_rectangle_t *cell,
                            cairo_rectangle_t       *plot)
{
  BasinContourLayout layout;

  compute_layout (panel, cr, style, cell, &layout);
  *plot = layout.plot;
}

/**
 * basin_contour_layout_map:
 * @layout: a layout
 * @x: first data coordinate
 * @y: second data coordinate
 * @page_x: (out): x on the page
 * @page_y: (out): y on the page
 *
 * Maps data coordinates to the page.
 */
void
basin_contour_layout_map (const BasinContourLayout *layout,
                          double                    x,
                          double                    y,
                          double                   *page_x,
                          double                   *page_y)
{
  const cairo_rectangle_t *plot = &layout->plot;

  *page_x = plot->x + plot->width * (x - layout->extent[0]) / (layout->extent[1] - layout->extent[0]);
  *page_y = plot->y + plot->height * (1.0 - (y - layout->extent[2]) / (layout->extent[3] - layout->extent[2]));
}

/* The index of the computed row or column nearest @index on a grid of @n
 * computed every @stride-th. */
static guint
nearest_on_stride (guint index,
                   guint stride,
                   guint n)
{
  guint last = (n - 1) / stride * stride;
  guint nearest = (index + stride / 2) / stride * stride;

  return MIN (nearest, last);
}

/**
 * basin_contour_fill_values:
 * @panel: a contour panel
 * @image: its image
 *
 * Fills the cells that are not computed with the nearest sample of the
 * coarse grid of the panel's stride, if that one is computed.
 *
 * Returns: (transfer full): @image->n_rows × @image->n_cols values,
 *   row 0 at the bottom; NaN where nothing computed is near
 */
double *
basin_contour_fill_values (const BasinPanel *panel,
                           const BasinImage *image)
{
  guint stride = MAX (panel->grid_stride, 1);
  double *filled = g_new (double, (gsize) image->n_rows * image->n_cols);

  for (guint r = 0; r < image->n_rows; r++)
    for (guint c = 0; c < image->n_cols; c++)
      {
        gsize index = (gsize) r * image->n_cols + c;
        double value = image->values[index];

        if (!isfinite (value))
          value = image->values[(gsize) nearest_on_stride (r, stride, image->n_rows) * image->n_cols +
                                nearest_on_stride (c, stride, image->n_cols)];
        filled[index] = value;
      }

  return filled;
}

/* Converts the filled values to colours, with missing values transparent
 * so that the hatched background shows through. */
static cairo_surface_t *
create_filled_surface (const BasinPanel *panel,
                       const BasinImage *image,
                       const double     *filled)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, image->n_cols, image->n_rows);
  guint8 *data;
  int stride;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (guint r = 0; r < image->n_rows; r++)
    {
      const double *values = filled + (gsize) (image->n_rows - 1 - r) * image->n_cols;
      guint32 *pixels = (guint32 *) (data + (gsize) r * stride);

      for (guint c = 0; c < image->n_cols; c++)
        {
          BasinRgb rgb;

          if (!isfinite (values[c]) || (panel->color_log && values[c] <= 0.0))
            {
              pixels[c] = 0;
              continue;
            }

          rgb = basin_panel_value_color (panel, values[c], panel->color_min, panel->color_max);
          pixels[c] = 0xff000000u | ((guint32) lround (255.0 * rgb.r) << 16) |
                      ((guint32) lround (255.0 * rgb.g) << 8) | (guint32) lround (255.0 * rgb.b);
        }
    }

  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Draws the cells as blocks centred on their samples; the edge blocks
 * reach half a cell past the axes and are clipped. */
static void
draw_field (cairo_t                  *cr,
            const BasinPlotStyle     *style,
            const BasinPanel         *panel,
            const BasinContourLayout *layout,
            const double             *filled)
{
  const BasinImage *image = contour_image (panel);
  const cairo_rectangle_t *plot = &layout->plot;
  double half_w = image->n_cols > 1 ? 0.5 * plot->width / (image->n_cols - 1) : 0.5 * plot->width;
  double half_h = image->n_rows > 1 ? 0.5 * plot->height / (image->n_rows - 1) : 0.5 * plot->height;
  gsize n = (gsize) image->n_rows * image->n_cols;
  cairo_surface_t *surface;

  for (gsize i = 0; i < n; i++)
    if (!isfinite (filled[i]) || (panel->color_log && filled[i] <= 0.0))
      {
        basin_plot_fill_hatched (cr, style, plot);
        break;
      }

  surface = create_filled_surface (panel, image, filled);
  cairo_save (cr);
  cairo_rectangle (cr, plot->x, plot->y, plot->width, plot->height);
  cairo_clip (cr);
  basin_plot_paint_surface (cr, surface, plot->x - half_w, plot->y - half_h,
                            plot->width + 2.0 * half_w, plot->height + 2.0 * half_h,
                            CAIRO_FILTER_NEAREST);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

static void
draw_titles_and_legend (cairo_t                  *cr,
                        const BasinPlotStyle     *style,
                        const BasinPanel         *panel,
                        const cairo_rectangle_t  *cell,
                        const BasinContourLayout *layout)
{
  g_autoptr(GPtrArray) legend = basin_panel_collect_legend (panel);
  const cairo_rectangle_t *plot = &layout->plot;
  double y = plot->y + plot->height + style->tick_length + 0.3 * style->pad + layout->tick_height;
  double title_x = plot->x - style->tick_length - 0.5 * style->pad - layout->y_labels_width;
  double middle = plot->y + plot->height / 2.0;

  /* The y-axis title, centred on the plot, may reach from below the panel
   * title down to the bottom of the tick labels of the x axis. */
  if (panel->y_title != NULL)
    {
      double room = 2.0 * MIN (middle - cell->y - basin_panel_title_height (cr, style, panel), y - middle);
      g_autofree char *title = NULL;

      basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
      basin_plot_set_rgb (cr, 0x111111);
      title = basin_plot_ellipsize (cr, panel->y_title, room);
      title_x -= 0.5 * style->pad + layout->label_height;
      basin_plot_show_text_vertical (cr, title, title_x, middle, 0.5, 0.0);
    }

  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  basin_plot_set_rgb (cr, 0x111111);

  if (panel->x_title != NULL)
    {
      g_autofree char *title = basin_plot_ellipsize (cr, panel->x_title, cell->width);

      y += 0.5 * style->pad;
      basin_plot_show_text (cr, title, plot->x + plot->width / 2.0, y, 0.5, 0.0);
      y += layout->label_height;
    }

  /* The same width as in compute_layout(), so the legend wraps as measured. */
  basin_legend_draw (cr, style, legend, cell->x, y + style->pad, cell->width);
}

/**
 * basin_contour_panel_render:
 * @panel: a contour panel
 * @cr: a cairo context
 * @style: sizes of the figure
 * @cell: the area of the panel
 *
 * Draws the first image of @panel as blocks over its extent, with the
 * contour lines, segments and markers on top, then the axes, colour bar
 * and legend.
 */
void
basin_contour_panel_render (const BasinPanel        *panel,
                            cairo_t                 *cr,
                            const BasinPlotStyle    *style,
                            const cairo_rectangle_t *cell)
{
  const BasinImage *image = contour_image (panel);
  g_autofree double *filled = NULL;
  BasinContourLayout layout;

  compute_layout (panel, cr, style, cell, &layout);
  basin_panel_draw_title (cr, style, panel, cell);

  if (image != NULL)
    {
      filled = basin_contour_fill_values (panel, image);
      draw_field (cr, style, panel, &layout, filled);
    }
  basin_contour_draw_annotations (cr, style, panel, &layout);

  basin_plot_draw_outline (cr, style, &layout.plot);
  basin_plot_draw_ticks (cr, style, &layout.plot, &layout.x_axis, &layout.y_axis, FALSE);
  draw_titles_and_legend (cr, style, panel, cell, &layout);
  basin_colorbar_draw (cr, style, panel, layout.plot.x + layout.plot.width + 1.5 * style->pad,
                       layout.plot.y, layout.plot.height);
}
