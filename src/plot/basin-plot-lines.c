/* basin-plot-lines.c: line plots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-colormap.h"
#include "basin-figure-private.h"

static gboolean
point_is_drawable (const BasinPanel *panel,
                   double            x,
                   double            y)
{
  return isfinite (x) && isfinite (y) && (!panel->log_y || y > 0.0);
}

/* Finds the range of the drawable points of all series.  Returns FALSE
 * when there are none.
 */
static gboolean
data_range (const BasinPanel *panel,
            double           *x_min,
            double           *x_max,
            double           *y_min,
            double           *y_max)
{
  gboolean found = FALSE;

  *x_min = *y_min = INFINITY;
  *x_max = *y_max = -INFINITY;

  for (guint s = 0; s < panel->series->len; s++)
    {
      const BasinSeries *series = g_ptr_array_index (panel->series, s);

      for (guint i = 0; i < series->n_points; i++)
        {
          if (!point_is_drawable (panel, series->x[i], series->y[i]))
            continue;

          *x_min = MIN (*x_min, series->x[i]);
          *x_max = MAX (*x_max, series->x[i]);
          *y_min = MIN (*y_min, series->y[i]);
          *y_max = MAX (*y_max, series->y[i]);
          found = TRUE;
        }
    }

  return found;
}

static void
init_y_axis (const BasinPanel *panel,
             double            data_min,
             double            data_max,
             gboolean          have_data,
             guint             target,
             BasinAxis        *axis)
{
  if (panel->y_fixed)
    {
      if (panel->log_y)
        basin_axis_init_log (axis, panel->y_min, panel->y_max);
      else
        basin_axis_init_linear (axis, panel->y_min, panel->y_max, target, FALSE);
      return;
    }

  if (panel->log_y)
    {
      if (have_data)
        basin_axis_init_log (axis, data_min, data_max);
      else
        basin_axis_init_log (axis, 0.1, 1.0);
      return;
    }

  if (!have_data)
    {
      data_min = 0.0;
      data_max = 1.0;
    }

  basin_axis_init_linear (axis, data_min, data_max, target, TRUE);
}

static void
init_x_axis (const BasinPanel *panel,
             cairo_t          *cr,
             double            data_min,
             double            data_max,
             gboolean          have_data,
             double            length,
             const BasinPlotStyle *style,
             BasinAxis        *axis)
{
  double min = panel->x_fixed ? panel->x_min : (have_data ? data_min : 0.0);
  double max = panel->x_fixed ? panel->x_max : (have_data ? data_max : 1.0);
  guint target = (guint) CLAMP (length / (90.0 * style->scale), 2.0, 10.0);

  basin_plot_use_font (cr, style, BASIN_FONT_TICK);

  /* Fewer ticks until the labels no longer overlap. */
  for (;;)
    {
      basin_axis_init_linear (axis, min, max, target, !panel->x_fixed);
      if (target <= 2 || basin_axis_labels_fit (axis, cr, length))
        break;
      target--;
    }
}

/**
 * basin_lines_panel_layout:
 * @panel: a line panel
 * @cr: a cairo context used to measure text
 * @style: sizes of the figure
 * @cell: the area of the panel
 * @plot: (out): the area inside the axes
 * @x_axis: (out caller-allocates): the horizontal axis
 * @y_axis: (out caller-allocates): the vertical axis
 *
 * Places the axes of a line plot so that the title, tick labels, axis
 * titles and legend fit in @cell.
 */
void
basin_lines_panel_layout (const BasinPanel        *panel,
                          cairo_t                 *cr,
                          const BasinPlotStyle    *style,
                          const cairo_rectangle_t *cell,
                          cairo_rectangle_t       *plot,
                          BasinAxis               *x_axis,
                          BasinAxis               *y_axis)
{
  g_autoptr(GPtrArray) legend = basin_panel_collect_legend (panel);
  double x_min, x_max, y_min, y_max;
  gboolean have_data = data_range (panel, &x_min, &x_max, &y_min, &y_max);
  double tick_height, label_height, legend_height;
  double top, bottom, left, right;
  guint y_target;

  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  label_height = basin_plot_line_height (cr);
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  tick_height = basin_plot_line_height (cr);
  legend_height = basin_legend_measure (cr, style, legend, cell->width);

  top = basin_panel_title_height (cr, style, panel) + tick_height / 2.0;
  bottom = style->tick_length + 0.3 * style->pad + tick_height;
  if (panel->x_title != NULL)
    bottom += 0.5 * style->pad + label_height;
  if (legend_height > 0.0)
    bottom += style->pad + legend_height;

  y_target = (guint) CLAMP ((cell->height - top - bottom) / (45.0 * style->scale), 2.0, 10.0);
  init_y_axis (panel, y_min, y_max, have_data, y_target, y_axis);

  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  left = style->tick_length + 0.5 * style->pad + basin_axis_max_label_width (y_axis, cr);
  if (panel->y_title != NULL)
    left += label_height + 0.5 * style->pad;

  right = style->pad;
  init_x_axis (panel, cr, x_min, x_max, have_data, cell->width - left - right, style, x_axis);
  if (x_axis->n_ticks > 0)
    right = MAX (right, 0.5 * basin_plot_text_width (cr, x_axis->labels[x_axis->n_ticks - 1]) + 2.0);

  plot->x = cell->x + left;
  plot->y = cell->y + top;
  plot->width = MAX (cell->width - left - right, 1.0);
  plot->height = MAX (cell->height - top - bottom, 1.0);
}

static void
draw_grid (cairo_t                 *cr,
           const BasinPlotStyle    *style,
           const cairo_rectangle_t *plot,
           const BasinAxis         *x_axis,
           const BasinAxis         *y_axis)
{
  double bottom = plot->y + plot->height;

  cairo_set_line_width (cr, 0.6 * style->scale);
  basin_plot_set_rgb (cr, 0xe3e3e3);
  for (guint i = 0; i < x_axis->n_ticks; i++)
    {
      double x = plot->x + plot->width * basin_axis_fraction (x_axis, x_axis->ticks[i]);

      cairo_move_to (cr, x, plot->y);
      cairo_line_to (cr, x, bottom);
    }
  for (guint i = 0; i < y_axis->n_ticks; i++)
    {
      double y = bottom - plot->height * basin_axis_fraction (y_axis, y_axis->ticks[i]);

      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x + plot->width, y);
    }
  cairo_stroke (cr);
}

static void
draw_frame (cairo_t                 *cr,
            const BasinPlotStyle    *style,
            const cairo_rectangle_t *plot)
{
  basin_plot_set_rgb (cr, 0x333333);
  cairo_set_line_width (cr, 1.0 * style->scale);
  cairo_move_to (cr, plot->x, plot->y);
  cairo_line_to (cr, plot->x, plot->y + plot->height);
  cairo_line_to (cr, plot->x + plot->width, plot->y + plot->height);
  cairo_stroke (cr);
}

static void
draw_series (cairo_t                 *cr,
             const BasinPlotStyle    *style,
             const BasinPanel        *panel,
             const BasinSeries       *series,
             const cairo_rectangle_t *plot,
             const BasinAxis         *x_axis,
             const BasinAxis         *y_axis)
{
  BasinRgb rgb = basin_palette_color (series->color);
  guint n_drawn = 0;
  double last_x = 0.0, last_y = 0.0;
  gboolean pen_down = FALSE;

  for (guint i = 0; i < series->n_points; i++)
    {
      if (!point_is_drawable (panel, series->x[i], series->y[i]))
        {
          pen_down = FALSE;
          continue;
        }

      last_x = plot->x + plot->width * basin_axis_fraction (x_axis, series->x[i]);
      last_y = plot->y + plot->height * (1.0 - basin_axis_fraction (y_axis, series->y[i]));
      if (pen_down)
        cairo_line_to (cr, last_x, last_y);
      else
        cairo_move_to (cr, last_x, last_y);
      pen_down = TRUE;
      n_drawn++;
    }

  cairo_set_source_rgb (cr, rgb.r, rgb.g, rgb.b);

  if (n_drawn == 1)
    {
      cairo_new_path (cr);
      cairo_arc (cr, last_x, last_y, 1.5 * style->line_width, 0.0, 2.0 * G_PI);
      cairo_fill (cr);
      return;
    }

  if (series->dashed)
    {
      double dashes[] = { 6.0 * style->scale, 3.5 * style->scale };

      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0.0);
    }
  cairo_set_line_width (cr, style->line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0.0);
}

static void
draw_axis_titles (cairo_t                 *cr,
                  const BasinPlotStyle    *style,
                  const BasinPanel        *panel,
                  const cairo_rectangle_t *cell,
                  const cairo_rectangle_t *plot)
{
  double tick_height;

  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  tick_height = basin_plot_line_height (cr);

  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  basin_plot_set_rgb (cr, 0x111111);

  if (panel->x_title != NULL)
    {
      double y = plot->y + plot->height + style->tick_length + 0.3 * style->pad +
                 tick_height + 0.5 * style->pad;
      g_autofree char *title = basin_plot_ellipsize (cr, panel->x_title, cell->width);

      basin_plot_show_text (cr, title, plot->x + plot->width / 2.0, y, 0.5, 0.0);
    }

  if (panel->y_title != NULL)
    {
      g_autofree char *title = basin_plot_ellipsize (cr, panel->y_title, plot->height + 2.0 * style->pad);

      basin_plot_show_text_vertical (cr, title, cell->x, plot->y + plot->height / 2.0, 0.5, 0.0);
    }
}

/**
 * basin_lines_panel_render:
 * @panel: a line panel
 * @cr: a cairo context
 * @style: sizes of the figure
 * @cell: the area of the panel
 *
 * Draws a line plot with grid lines, ticks, axis titles and legend.
 */
void
basin_lines_panel_render (const BasinPanel        *panel,
                          cairo_t                 *cr,
                          const BasinPlotStyle    *style,
                          const cairo_rectangle_t *cell)
{
  g_autoptr(GPtrArray) legend = basin_panel_collect_legend (panel);
  cairo_rectangle_t plot;
  BasinAxis x_axis, y_axis;
  double legend_height;

  basin_lines_panel_layout (panel, cr, style, cell, &plot, &x_axis, &y_axis);

  basin_panel_draw_title (cr, style, panel, cell);
  draw_grid (cr, style, &plot, &x_axis, &y_axis);
  basin_plot_draw_ticks (cr, style, &plot, &x_axis, &y_axis, FALSE);
  draw_axis_titles (cr, style, panel, cell, &plot);

  /* Clip outside the axes by the radius of a single-point dot, so that
   * curves and dots on the edge of the range are drawn whole. */
  cairo_save (cr);
  cairo_rectangle (cr, plot.x - 1.5 * style->line_width, plot.y - 1.5 * style->line_width,
                   plot.width + 3.0 * style->line_width, plot.height + 3.0 * style->line_width);
  cairo_clip (cr);
  for (guint i = 0; i < panel->series->len; i++)
    draw_series (cr, style, panel, g_ptr_array_index (panel->series, i), &plot, &x_axis, &y_axis);
  cairo_restore (cr);

  draw_frame (cr, style, &plot);

  legend_height = basin_legend_measure (cr, style, legend, cell->width);
  basin_legend_draw (cr, style, legend, cell->x,
                     cell->y + cell->height - legend_height, cell->width);
}
