/* basin-figure-render.c: laying out and drawing a whole figure.
 *
 * A figure is drawn top to bottom: the title, the panels in a grid (or a
 * message in their place) and the caption.  All sizes derive from the size
 * of the drawing and from measured text, so nothing is clipped at any size
 * a window or an export uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-figure-private.h"

/**
 * basin_plot_style_init:
 * @style: (out caller-allocates): the style
 * @width: width of the drawing
 * @height: height of the drawing
 *
 * Derives the sizes of text and lines from the size of the drawing.  At
 * 1000 × 700 tick labels are 12 units high; smaller drawings shrink text
 * by at most 10 %, larger ones grow it in proportion.
 */
void
basin_plot_style_init (BasinPlotStyle *style,
                       double          width,
                       double          height)
{
  double scale = CLAMP (MIN (width / 1000.0, height / 700.0), 0.9, 4.0);

  style->scale = scale;
  style->tick_font = 12.0 * scale;
  style->label_font = 13.5 * scale;
  style->panel_title_font = 14.5 * scale;
  style->title_font = 17.0 * scale;
  style->caption_font = 12.5 * scale;
  style->pad = 10.0 * scale;
  style->tick_length = 4.5 * scale;
  style->line_width = 2.0 * scale;
}

/* Text is measured without hinted metrics, so that a figure lays out the
 * same on screen and in every file format. */
static void
use_unhinted_metrics (cairo_t *cr)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_get_font_options (cr, options);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);
}

/**
 * basin_plot_create_measure_context:
 *
 * Creates a cairo context on a 1 × 1 image surface for measuring text
 * outside of drawing.
 *
 * Returns: (transfer full): a cairo context; destroy it with
 *   cairo_destroy()
 */
cairo_t *
basin_plot_create_measure_context (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  use_unhinted_metrics (cr);

  return cr;
}

/* Most lines a figure title wraps onto before it is shortened. */
#define MAX_TITLE_LINES 2

typedef struct {
  GPtrArray *title_lines;
  double     title_line_height;
  GPtrArray *caption_lines;
  double     caption_line_height;
  cairo_rectangle_t body;
} FigureLayout;

/* Wraps the title onto at most MAX_TITLE_LINES lines, each shortened with
 * an ellipsis if a single word does not fit. */
static GPtrArray *
wrap_title (cairo_t    *cr,
            const char *title,
            double      width)
{
  GPtrArray *lines = basin_plot_wrap_text (cr, title, width);

  if (lines->len > MAX_TITLE_LINES)
    {
      char *last = g_ptr_array_index (lines, MAX_TITLE_LINES - 1);

      g_ptr_array_index (lines, MAX_TITLE_LINES - 1) = g_strconcat (last, " …", NULL);
      g_free (last);
      g_ptr_array_set_size (lines, MAX_TITLE_LINES);
    }

  for (guint i = 0; i < lines->len; i++)
    {
      char *line = g_ptr_array_index (lines, i);

      g_ptr_array_index (lines, i) = basin_plot_ellipsize (cr, line, width);
      g_free (line);
    }

  return lines;
}

static void
figure_layout (const BasinFigure    *figure,
               cairo_t              *cr,
               const BasinPlotStyle *style,
               double                width,
               double                height,
               FigureLayout         *layout)
{
  double top = style->pad;
  double bottom = style->pad;

  basin_plot_use_font (cr, style, BASIN_FONT_TITLE);
  layout->title_line_height = 1.15 * basin_plot_line_height (cr);
  layout->title_lines = wrap_title (cr, figure->title, width - 2.0 * style->pad);
  if (layout->title_lines->len > 0)
    top += layout->title_lines->len * layout->title_line_height + style->pad;

  basin_plot_use_font (cr, style, BASIN_FONT_CAPTION);
  layout->caption_line_height = 1.25 * basin_plot_line_height (cr);
  layout->caption_lines = basin_plot_wrap_text (cr, figure->caption, width - 2.0 * style->pad);
  if (layout->caption_lines->len > 0)
    bottom += layout->caption_lines->len * layout->caption_line_height + style->pad;

  layout->body.x = style->pad;
  layout->body.y = top;
  layout->body.width = MAX (width - 2.0 * style->pad, 1.0);
  layout->body.height = MAX (height - top - bottom, 1.0);
}

static void
panel_cell (const BasinFigure       *figure,
            const BasinPlotStyle    *style,
            const cairo_rectangle_t *body,
            guint                    index,
            cairo_rectangle_t       *cell)
{
  guint n_panels = figure->panels->len;
  guint n_columns = figure->n_columns > 0 ? MIN (figure->n_columns, n_panels) : n_panels;
  guint n_rows = (n_panels + n_columns - 1) / n_columns;
  double column_gap = 2.0 * style->pad;
  double row_gap = 1.5 * style->pad;

  cell->width = (body->width - (n_columns - 1) * column_gap) / n_columns;
  cell->height = (body->height - (n_rows - 1) * row_gap) / n_rows;
  cell->x = body->x + (index % n_columns) * (cell->width + column_gap);
  cell->y = body->y + (index / n_columns) * (cell->height + row_gap);
}

/* Finds the image size and spare height that fit every image grid of the
 * figure, so that grids side by side show their images at the same size
 * and line up.  Returns FALSE if the figure has no image grid. */
static gboolean
shared_grid_fit (const BasinFigure       *figure,
                 cairo_t                 *cr,
                 const BasinPlotStyle    *style,
                 const cairo_rectangle_t *body,
                 BasinGridFit            *shared)
{
  gboolean found = FALSE;

  shared->size = G_MAXDOUBLE;
  shared->spare_height = G_MAXDOUBLE;
  shared->n_columns = G_MAXUINT;

  /* The fewest columns first, then the smallest size at that many columns,
   * then the spare height each grid has at that size. */
  for (guint pass = 0; pass < 3; pass++)
    for (guint i = 0; i < figure->panels->len; i++)
      {
        const BasinPanel *panel = g_ptr_array_index (figure->panels, i);
        cairo_rectangle_t cell, plot;
        BasinGridFit fit;

        if (panel->kind != BASIN_PANEL_IMAGE_GRID)
          continue;

        panel_cell (figure, style, body, i, &cell);
        basin_image_grid_layout (panel, cr, style, &cell, pass == 0 ? NULL : shared, &plot, &fit);
        if (pass == 0)
          shared->n_columns = MIN (shared->n_columns, fit.n_columns);
        else if (pass == 1)
          shared->size = MIN (shared->size, fit.size);
        else
          shared->spare_height = MIN (shared->spare_height, fit.spare_height);
        found = TRUE;
      }

  return found;
}

static void
render_panel (const BasinPanel        *panel,
              cairo_t                 *cr,
              const BasinPlotStyle    *style,
              const cairo_rectangle_t *cell,
              const BasinGridFit      *shared)
{
  cairo_save (cr);

  switch (panel->kind)
    {
    case BASIN_PANEL_LINES:
      basin_lines_panel_render (panel, cr, style, cell);
      break;

    case BASIN_PANEL_MATRIX:
      basin_matrix_panel_render (panel, cr, style, cell);
      break;

    case BASIN_PANEL_IMAGE_GRID:
      basin_image_grid_render (panel, cr, style, cell, shared);
      break;

    case BASIN_PANEL_CONTOUR:
      basin_contour_panel_render (panel, cr, style, cell);
      break;

    default:
      g_assert_not_reached ();
    }

  cairo_restore (cr);
}

static void
draw_title (const FigureLayout   *layout,
            cairo_t              *cr,
            const BasinPlotStyle *style,
            double                width)
{
  basin_plot_use_font (cr, style, BASIN_FONT_TITLE);
  basin_plot_set_rgb (cr, 0x000000);

  for (guint i = 0; i < layout->title_lines->len; i++)
    basin_plot_show_text (cr, g_ptr_array_index (layout->title_lines, i), width / 2.0,
                          style->pad + i * layout->title_line_height, 0.5, 0.0);
}

static void
draw_caption (const FigureLayout   *layout,
              cairo_t              *cr,
              const BasinPlotStyle *style,
              double                height)
{
  guint n_lines = layout->caption_lines->len;
  double y = height - style->pad - n_lines * layout->caption_line_height;

  basin_plot_use_font (cr, style, BASIN_FONT_CAPTION);
  basin_plot_set_rgb (cr, 0x333333);

  for (guint i = 0; i < n_lines; i++)
    basin_plot_show_text (cr, g_ptr_array_index (layout->caption_lines, i),
                          style->pad, y + i * layout->caption_line_height, 0.0, 0.0);
}

static void
draw_message (const char              *message,
              cairo_t                 *cr,
              const BasinPlotStyle    *style,
              const cairo_rectangle_t *body)
{
  g_autoptr(GPtrArray) lines = NULL;
  double line_height;
  double y;

  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  lines = basin_plot_wrap_text (cr, message, 0.8 * body->width);
  line_height = 1.3 * basin_plot_line_height (cr);
  y = body->y + (body->height - lines->len * line_height) / 2.0;

  basin_plot_set_rgb (cr, 0x555555);
  for (guint i = 0; i < lines->len; i++)
    basin_plot_show_text (cr, g_ptr_array_index (lines, i), body->x + body->width / 2.0,
                          y + i * line_height, 0.5, 0.0);
}

/**
 * basin_figure_render:
 * @figure: a figure
 * @cr: a cairo context, on screen or on a file surface
 * @width: width of the area to fill, in user-space units
 * @height: height of the area to fill
 *
 * Draws @figure into the rectangle from (0, 0) to (@width, @height) of
 * @cr, on a white background.  The state of @cr is restored afterwards.
 */
void
basin_figure_render (const BasinFigure *figure,
                     cairo_t           *cr,
                     double             width,
                     double             height)
{
  BasinPlotStyle style;
  FigureLayout layout;

  g_return_if_fail (figure != NULL);
  g_return_if_fail (cr != NULL);

  if (!(width > 0.0 && height > 0.0 && isfinite (width) && isfinite (height)))
    return;

  cairo_save (cr);
  cairo_rectangle (cr, 0.0, 0.0, width, height);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  use_unhinted_metrics (cr);

  basin_plot_style_init (&style, width, height);
  figure_layout (figure, cr, &style, width, height, &layout);
  draw_title (&layout, cr, &style, width);

  if (figure->message != NULL || figure->panels->len == 0)
    {
      draw_message (figure->message, cr, &style, &layout.body);
    }
  else
    {
      BasinGridFit shared;
      gboolean has_grids = shared_grid_fit (figure, cr, &style, &layout.body, &shared);

      for (guint i = 0; i < figure->panels->len; i++)
        {
          cairo_rectangle_t cell;

          panel_cell (figure, &style, &layout.body, i, &cell);
          render_panel (g_ptr_array_index (figure->panels, i), cr, &style, &cell,
                        has_grids ? &shared : NULL);
        }
    }

  draw_caption (&layout, cr, &style, height);
  g_ptr_array_unref (layout.title_lines);
  g_ptr_array_unref (layout.caption_lines);
  cairo_restore (cr);
}

/**
 * basin_figure_get_plot_area:
 * @figure: a figure
 * @index: index of a panel
 * @width: width the figure is drawn at
 * @height: height the figure is drawn at
 * @area: (out): the data area of the panel
 *
 * Finds where basin_figure_render() puts the data of a panel.  That is the
 * area inside the axes of a line plot or a contour panel, the matrix of a
 * matrix panel, or the bounding box of the images and their labels of an
 * image grid.  Use it to map pointer positions to data.
 *
 * Returns: %TRUE if the panel exists and is drawn, %FALSE if @index is
 *   out of range, the figure shows a message or the size is empty
 */
gboolean
basin_figure_get_plot_area (const BasinFigure *figure,
                            guint              index,
                            double             width,
                            double             height,
                            cairo_rectangle_t *area)
{
  g_autoptr(GPtrArray) title_lines = NULL;
  g_autoptr(GPtrArray) caption_lines = NULL;
  const BasinPanel *panel;
  BasinPlotStyle style;
  FigureLayout layout;
  cairo_rectangle_t cell;
  BasinAxis x_axis, y_axis;
  cairo_t *cr;

  g_return_val_if_fail (figure != NULL, FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (index >= figure->panels->len || figure->message != NULL ||
      !(width > 0.0 && height > 0.0 && isfinite (width) && isfinite (height)))
    return FALSE;

  cr = basin_plot_create_measure_context ();
  basin_plot_style_init (&style, width, height);
  figure_layout (figure, cr, &style, width, height, &layout);
  title_lines = layout.title_lines;
  caption_lines = layout.caption_lines;
  panel_cell (figure, &style, &layout.body, index, &cell);
  panel = g_ptr_array_index (figure->panels, index);

  if (panel->kind == BASIN_PANEL_LINES)
    basin_lines_panel_layout (panel, cr, &style, &cell, area, &x_axis, &y_axis);
  else if (panel->kind == BASIN_PANEL_MATRIX)
    basin_matrix_panel_layout (panel, cr, &style, &cell, area);
  else if (panel->kind == BASIN_PANEL_CONTOUR)
    basin_contour_panel_layout (panel, cr, &style, &cell, area);
  else
    {
      BasinGridFit shared;

      shared_grid_fit (figure, cr, &style, &layout.body, &shared);
      basin_image_grid_layout (panel, cr, &style, &cell, &shared, area, NULL);
    }

  cairo_destroy (cr);

  return TRUE;
}
