/* basin-plot-matrix.c: a matrix as a heat map with marked cells.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-figure-private.h"

typedef struct {
  cairo_rectangle_t plot;
  BasinAxis         x_axis;
  BasinAxis         y_axis;
  double            tick_height;
  double            label_height;
  double            y_labels_width;
} MatrixLayout;

static const BasinImage *
matrix_image (const BasinPanel *panel)
{
  if (panel->images->len == 0)
    return NULL;

  return g_ptr_array_index (panel->images, 0);
}

/* Writes the column labels of the panel, if any, under the ticks. */
static void
relabel_columns (const BasinPanel *panel,
                 BasinAxis        *axis)
{
  for (guint i = 0; i < axis->n_ticks; i++)
    {
      guint column = (guint) axis->ticks[i];

      if (column < panel->n_column_labels)
        g_snprintf (axis->labels[i], sizeof axis->labels[i], "%u", panel->column_labels[column]);
    }
}

static void
matrix_x_axis (const BasinPanel     *panel,
               cairo_t              *cr,
               const BasinPlotStyle *style,
               guint                 n_cols,
               double                length,
               BasinAxis            *axis)
{
  guint target = (guint) CLAMP (length / (45.0 * style->scale), 1.0, 12.0);

  /* A tick per column when every label fits, as for a reordered matrix
   * whose labels are not in sequence. */
  if (panel->column_labels != NULL)
    target = MAX (target, MIN (n_cols, BASIN_MAX_TICKS));

  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  for (;;)
    {
      basin_axis_init_indices (axis, n_cols, target);
      relabel_columns (panel, axis);
      if (target <= 1 || basin_axis_labels_fit (axis, cr, length))
        break;
      target--;
    }
}

static void
compute_layout (const BasinPanel        *panel,
                cairo_t                 *cr,
                const BasinPlotStyle    *style,
                const cairo_rectangle_t *cell,
                MatrixLayout            *layout)
{
  g_autoptr(GPtrArray) legend = basin_panel_collect_legend (panel);
  const BasinImage *image = matrix_image (panel);
  guint n_rows = image != NULL ? image->n_rows : 1;
  guint n_cols = image != NULL ? image->n_cols : 1;
  double top, bottom, left, right, avail_w, avail_h, cell_size, colorbar;

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
  avail_h = MAX (cell->height - top - bottom, 1.0);

  basin_axis_init_indices (&layout->y_axis, n_rows,
                           (guint) CLAMP (avail_h / (40.0 * style->scale), 1.0, 16.0));
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  layout->y_labels_width = basin_axis_max_label_width (&layout->y_axis, cr);
  left = style->tick_length + 0.5 * style->pad + layout->y_labels_width;
  if (panel->y_title != NULL)
    left += 0.5 * style->pad + layout->label_height;

  colorbar = basin_colorbar_measure (cr, style, panel, avail_h);
  right = colorbar > 0.0 ? 1.5 * style->pad + colorbar : style->pad;
  avail_w = MAX (cell->width - left - right, 1.0);

  /* Square cells, the block centred in the panel. */
  cell_size = MIN (avail_w / n_cols, avail_h / n_rows);
  layout->plot.width = cell_size * n_cols;
  layout->plot.height = cell_size * n_rows;
  layout->plot.x = cell->x + left + (avail_w - layout->plot.width) / 2.0;
  layout->plot.y = cell->y + top + (avail_h - layout->plot.height) / 2.0;

  matrix_x_axis (panel, cr, style, n_cols, layout->plot.width, &layout->x_axis);
}

/**
 * basin_matrix_panel_layout:
 * @panel: a matrix panel
 * @cr: a cairo context used to measure text
 * @style: sizes of the figure
 * @cell: the area of the panel
 * @plot: (out): the area of the matrix itself
 *
 * Places the matrix, with square cells, so that its ticks, axis titles,
 * colour bar and legend fit in @cell.
 */
void
basin_matrix_panel_layout (const BasinPanel        *panel,
                           cairo_t                 *cr,
                           const BasinPlotStyle    *style,
                           const cairo_rectangle_t *cell,
                           cairo_rectangle_t       *plot)
{
  MatrixLayout layout;

  compute_layout (panel, cr, style, cell, &layout);
  *plot = layout.plot;
}

static void
draw_marks (cairo_t              *cr,
            const BasinPlotStyle *style,
            const BasinPanel     *panel,
            const MatrixLayout   *layout,
            guint                 n_rows,
            guint                 n_cols)
{
  double size = layout->plot.width / n_cols;

  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  for (guint i = 0; i < MIN (panel->n_marks, n_rows); i++)
    {
      double x, y;

      if (panel->marks[i] >= n_cols)
        continue;

      x = layout->plot.x + panel->marks[i] * size;
      y = layout->plot.y + i * size;

      /* Outlines inside cells big enough to show the colour within them;
       * smaller cells are filled black, a little enlarged to stay visible. */
      if (size >= 4.0)
        {
          double width = CLAMP (0.12 * size, 1.0, 2.0 * style->scale);

          cairo_set_line_width (cr, width);
          cairo_rectangle (cr, x + width / 2.0, y + width / 2.0, size - width, size - width);
          cairo_stroke (cr);
        }
      else
        {
          double grow = 0.5 * MAX (2.0 - size, 0.0);

          cairo_rectangle (cr, x - grow, y - grow, size + 2.0 * grow, size + 2.0 * grow);
          cairo_fill (cr);
        }
    }
}

static void
draw_titles_and_legend (cairo_t                 *cr,
                        const BasinPlotStyle    *style,
                        const BasinPanel        *panel,
                        const cairo_rectangle_t *cell,
                        const MatrixLayout      *layout)
{
  g_autoptr(GPtrArray) legend = basin_panel_collect_legend (panel);
  const cairo_rectangle_t *plot = &layout->plot;
  double y = plot->y + plot->height + style->tick_length + 0.3 * style->pad + layout->tick_height;
  double block_left = plot->x - style->tick_length - 0.5 * style->pad - layout->y_labels_width;

  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  basin_plot_set_rgb (cr, 0x111111);

  if (panel->x_title != NULL)
    {
      y += 0.5 * style->pad;
      basin_plot_show_text (cr, panel->x_title, plot->x + plot->width / 2.0, y, 0.5, 0.0);
      y += layout->label_height;
    }

  if (panel->y_title != NULL)
    {
      block_left -= 0.5 * style->pad + layout->label_height;
      basin_plot_show_text_vertical (cr, panel->y_title, block_left,
                                     plot->y + plot->height / 2.0, 0.5, 0.0);
    }

  /* The same width as in compute_layout(), so the legend wraps as measured. */
  basin_legend_draw (cr, style, legend, cell->x, y + style->pad, cell->width);
}

/**
 * basin_matrix_panel_render:
 * @panel: a matrix panel
 * @cr: a cairo context
 * @style: sizes of the figure
 * @cell: the area of the panel
 *
 * Draws the first image of @panel as a matrix with sharp cells, row 0 at
 * the top, with its marked cells, ticks at cell centres and colour bar.
 */
void
basin_matrix_panel_render (const BasinPanel        *panel,
                           cairo_t                 *cr,
                           const BasinPlotStyle    *style,
                           const cairo_rectangle_t *cell)
{
  const BasinImage *image = matrix_image (panel);
  MatrixLayout layout;

  compute_layout (panel, cr, style, cell, &layout);
  basin_panel_draw_title (cr, style, panel, cell);

  if (image != NULL)
    {
      basin_heatmap_draw_image (cr, panel, image, layout.plot.x, layout.plot.y,
                                layout.plot.width, layout.plot.height, FALSE);
      draw_marks (cr, style, panel, &layout, image->n_rows, image->n_cols);
    }

  basin_plot_draw_outline (cr, style, &layout.plot);
  basin_plot_draw_ticks (cr, style, &layout.plot, &layout.x_axis, &layout.y_axis, TRUE);
  draw_titles_and_legend (cr, style, panel, cell, &layout);
  basin_colorbar_draw (cr, style, panel, layout.plot.x + layout.plot.width + 1.5 * style->pad,
                       layout.plot.y, layout.plot.height);
}
