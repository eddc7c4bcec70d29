/* basin-plot-image-grid.c: small multiples, a grid of square heat maps.
 *
 * The images share one extent, so only the bottom-left image carries
 * coordinate labels and the axis titles belong to the whole grid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-colormap.h"
#include "basin-figure-private.h"

typedef struct {
  cairo_rectangle_t plot;
  guint             n_columns;
  guint             n_rows;
  double            size;
  double            gap;
  double            caption_height;
  double            tick_height;
  double            label_height;
  double            corner_labels_width;
  char              corner_labels[4][BASIN_TICK_LABEL_SIZE];
  gboolean          corner_labels_fit;
  double            spare_height;
} GridLayout;

static void
format_corner_labels (const BasinPanel *panel,
                      GridLayout       *layout)
{
  for (guint i = 0; i < 4; i++)
    {
      if (!panel->has_extent)
        {
          layout->corner_labels[i][0] = '\0';
          continue;
        }

      basin_plot_format_number (layout->corner_labels[i], panel->extent[i]);
    }
}

/* Finds the number of columns that gives the largest squares, or the size
 * for @forced_columns columns when that is not 0. */
static void
choose_columns (GridLayout *layout,
                guint       n_images,
                double      avail_w,
                double      avail_h,
                guint       forced_columns)
{
  layout->size = 0.0;
  layout->n_columns = 1;
  layout->n_rows = MAX (n_images, 1);

  for (guint columns = 1; columns <= MAX (n_images, 1); columns++)
    {
      if (forced_columns > 0 && columns != MIN (forced_columns, MAX (n_images, 1)))
        continue;

      guint rows = (MAX (n_images, 1) + columns - 1) / columns;
      double by_width = (avail_w - (columns - 1) * layout->gap) / columns;
      double by_height = (avail_h - rows * layout->caption_height - (rows - 1) * layout->gap) / rows;
      double size = MIN (by_width, by_height);

      if (size > layout->size)
        {
          layout->size = size;
          layout->n_columns = columns;
          layout->n_rows = rows;
        }
    }

  layout->size = MAX (layout->size, 1.0);
}

/* Places the grid of images of the chosen size in @area, the part of the
 * panel left for it. */
static void
place_grid (cairo_t                 *cr,
            const BasinPlotStyle    *style,
            const cairo_rectangle_t *area,
            const BasinGridFit      *shared,
            GridLayout              *layout)
{
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  layout->corner_labels_fit =
    basin_plot_text_width (cr, layout->corner_labels[0]) +
    basin_plot_text_width (cr, layout->corner_labels[1]) + style->pad <= layout->size &&
    2.0 * layout->tick_height <= layout->size;

  layout->plot.width = layout->n_columns * layout->size + (layout->n_columns - 1) * layout->gap;
  layout->plot.height = layout->n_rows * (layout->caption_height + layout->size) +
                        (layout->n_rows - 1) * layout->gap;
  layout->spare_height = MAX (area->height - layout->plot.height, 0.0);

  /* Centred, but grids side by side move down by the same amount so that
   * they line up whatever the height of their legends. */
  layout->plot.x = area->x + (area->width - layout->plot.width) / 2.0;
  layout->plot.y = area->y + 0.5 * (shared != NULL ? MIN (shared->spare_height, layout->spare_height)
                                                   : layout->spare_height);
}

static void
compute_layout (const BasinPanel        *panel,
                cairo_t                 *cr,
                const BasinPlotStyle    *style,
                const cairo_rectangle_t *cell,
                const BasinGridFit      *shared,
                GridLayout              *layout)
{
  g_autoptr(GPtrArray) legend = basin_panel_collect_legend (panel);
  double top, bottom, left, right, avail_w, avail_h, colorbar;
  cairo_rectangle_t area;

  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  layout->label_height = basin_plot_line_height (cr);
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  layout->tick_height = basin_plot_line_height (cr);
  layout->caption_height = layout->tick_height + 0.5 * style->pad;
  layout->gap = 0.8 * style->pad;

  format_corner_labels (panel, layout);
  layout->corner_labels_width = MAX (basin_plot_text_width (cr, layout->corner_labels[2]),
                                     basin_plot_text_width (cr, layout->corner_labels[3]));

  top = basin_panel_title_height (cr, style, panel);
  bottom = 0.3 * style->pad + layout->tick_height;
  if (panel->x_title != NULL)
    bottom += 0.5 * style->pad + layout->label_height;
  if (legend->len > 0)
    bottom += style->pad + basin_legend_measure (cr, style, legend, cell->width);
  left = 0.5 * style->pad + layout->corner_labels_width;
  if (panel->y_title != NULL)
    left += 0.5 * style->pad + layout->label_height;

  avail_h = MAX (cell->height - top - bottom, 1.0);
  colorbar = basin_colorbar_measure (cr, style, panel, avail_h);
  right = colorbar > 0.0 ? 1.5 * style->pad + colorbar : 0.0;
  avail_w = MAX (cell->width - left - right, 1.0);

  choose_columns (layout, panel->images->len, avail_w, avail_h,
                  shared != NULL ? shared->n_columns : 0);
  if (shared != NULL && shared->size > 0.0)
    layout->size = MIN (layout->size, shared->size);

  area.x = cell->x + left;
  area.y = cell->y + top;
  area.width = avail_w;
  area.height = avail_h;
  place_grid (cr, style, &area, shared, layout);
}

/**
 * basin_image_grid_layout:
 * @panel: an image-grid panel
 * @cr: a cairo context used to measure text
 * @style: sizes of the figure
 * @cell: the area of the panel
 * @shared: (nullable): the largest image size and the spare height of all
 *   grids of the figure, or %NULL to lay the panel out on its own
 * @plot: (out): the bounding box of the images and their labels
 * @fit: (out) (optional): the image size and spare height of this panel
 *
 * Chooses the number of columns that makes the images largest and places
 * the grid so that labels, colour bar and legend fit in @cell.
 */
void
basin_image_grid_layout (const BasinPanel        *panel,
                         cairo_t                 *cr,
                         const BasinPlotStyle    *style,
                         const cairo_rectangle_t *cell,
                         const BasinGridFit      *shared,
                         cairo_rectangle_t       *plot,
                         BasinGridFit            *fit)
{
  GridLayout layout;

  compute_layout (panel, cr, style, cell, shared, &layout);
  *plot = layout.plot;

  if (fit != NULL)
    {
      fit->size = layout.size;
      fit->spare_height = layout.spare_height;
      fit->n_columns = layout.n_columns;
    }
}

static void
image_origin (const GridLayout *layout,
              guint             index,
              double           *x,
              double           *y)
{
  guint column = index % layout->n_columns;
  guint row = index / layout->n_columns;

  *x = layout->plot.x + column * (layout->size + layout->gap);
  *y = layout->plot.y + row * (layout->caption_height + layout->size + layout->gap) +
       layout->caption_height;
}

/* The extent gives the coordinates of the first and last samples, which
 * are the centres of the edge pixels, so the drawn image reaches half a
 * pixel further on each side. */
static void
image_bounds (const BasinPanel *panel,
              const BasinImage *image,
              double            bounds[4])
{
  double half_x = image->n_cols > 1 ? 0.5 * (panel->extent[1] - panel->extent[0]) / (image->n_cols - 1) : 0.0;
  double half_y = image->n_rows > 1 ? 0.5 * (panel->extent[3] - panel->extent[2]) / (image->n_rows - 1) : 0.0;

  bounds[0] = panel->extent[0] - half_x;
  bounds[1] = panel->extent[1] + half_x;
  bounds[2] = panel->extent[2] - half_y;
  bounds[3] = panel->extent[3] + half_y;
}

/* Adds a zero-length segment per point whose class has palette colour
 * @color.  Stroked with round caps, each segment becomes a dot.  In SVG and
 * PDF output that takes a fraction of the size of a circle path. */
static gboolean
add_point_segments (cairo_t          *cr,
                    const BasinPanel *panel,
                    const double      bounds[4],
                    guint             color,
                    double            x,
                    double            y,
                    double            size)
{
  gboolean found = FALSE;

  for (guint i = 0; i < panel->n_points; i++)
    {
      double px = panel->points[2 * i];
      double py = panel->points[2 * i + 1];

      if (panel->point_classes[i] % basin_palette_size () != color ||
          !isfinite (px) || !isfinite (py))
        continue;

      px = x + size * (px - bounds[0]) / (bounds[1] - bounds[0]);
      py = y + size * (1.0 - (py - bounds[2]) / (bounds[3] - bounds[2]));
      cairo_move_to (cr, px, py);
      cairo_line_to (cr, px, py);
      found = TRUE;
    }

  return found;
}

/* Draws the points colour by colour, a white halo first and then the
 * colour, so that dots stay visible on dark and light heat maps. */
static void
draw_points (cairo_t              *cr,
             const BasinPlotStyle *style,
             const BasinPanel     *panel,
             const BasinImage     *image,
             double                x,
             double                y,
             double                size)
{
  double radius = CLAMP (size / 70.0, 0.8, 2.5 * style->scale);
  double halo = MIN (0.6 * style->scale, 0.5 * radius);
  double bounds[4];

  if (!panel->has_extent || panel->n_points == 0)
    return;

  image_bounds (panel, image, bounds);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, size, size);
  cairo_clip (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  for (guint color = 0; color < basin_palette_size (); color++)
    {
      BasinRgb rgb = basin_palette_color (color);

      if (!add_point_segments (cr, panel, bounds, color, x, y, size))
        continue;

      cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
      cairo_set_line_width (cr, 2.0 * (radius + halo));
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, rgb.r, rgb.g, rgb.b);
      cairo_set_line_width (cr, 2.0 * radius);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}

static void
draw_one_image (cairo_t              *cr,
                const BasinPlotStyle *style,
                const BasinPanel     *panel,
                const GridLayout     *layout,
                guint                 index)
{
  const BasinImage *image = g_ptr_array_index (panel->images, index);
  cairo_rectangle_t area;

  image_origin (layout, index, &area.x, &area.y);
  area.width = area.height = layout->size;

  basin_heatmap_draw_image (cr, panel, image, area.x, area.y, area.width, area.height, TRUE);
  draw_points (cr, style, panel, image, area.x, area.y, area.width);

  if (image->highlighted)
    {
      double offset = 2.0 * style->scale;

      cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
      cairo_set_line_width (cr, 1.5 * style->scale);
      cairo_rectangle (cr, area.x - offset, area.y - offset,
                       area.width + 2.0 * offset, area.height + 2.0 * offset);
      cairo_stroke (cr);
    }

  if (image->label != NULL)
    {
      g_autofree char *label = NULL;

      basin_plot_use_font (cr, style, BASIN_FONT_TICK);
      if (image->highlighted)
        cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      label = basin_plot_ellipsize (cr, image->label, area.width + layout->gap);
      basin_plot_set_rgb (cr, 0x222222);
      basin_plot_show_text (cr, label, area.x + area.width / 2.0,
                            area.y - layout->caption_height, 0.5, 0.0);
    }
}

static void
draw_corner_labels (cairo_t              *cr,
                    const BasinPlotStyle *style,
                    const GridLayout     *layout)
{
  guint corner = (layout->n_rows - 1) * layout->n_columns;
  double x, y;

  image_origin (layout, corner, &x, &y);
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  basin_plot_set_rgb (cr, 0x222222);

  basin_plot_show_text (cr, layout->corner_labels[0], x, y + layout->size + 0.3 * style->pad, 0.0, 0.0);
  basin_plot_show_text (cr, layout->corner_labels[1], x + layout->size,
                        y + layout->size + 0.3 * style->pad, 1.0, 0.0);
  basin_plot_show_text (cr, layout->corner_labels[2], x - 0.5 * style->pad, y + layout->size, 1.0, 1.0);
  basin_plot_show_text (cr, layout->corner_labels[3], x - 0.5 * style->pad, y, 1.0, 0.0);
}

/* The axis title, with the range appended when the images are too small
 * for the corner labels. */
static char *
axis_title (const char       *title,
            const GridLayout *layout,
            guint             first_label)
{
  if (layout->corner_labels_fit || layout->corner_labels[first_label][0] == '\0')
    return g_strdup (title);

  return g_strdup_printf ("%s (%s … %s)", title, layout->corner_labels[first_label],
                          layout->corner_labels[first_label + 1]);
}

static void
draw_titles_and_legend (cairo_t                 *cr,
                        const BasinPlotStyle    *style,
                        const BasinPanel        *panel,
                        const cairo_rectangle_t *cell,
                        const GridLayout        *layout)
{
  g_autoptr(GPtrArray) legend = basin_panel_collect_legend (panel);
  const cairo_rectangle_t *plot = &layout->plot;
  double y = plot->y + plot->height + 0.3 * style->pad + layout->tick_height;

  basin_plot_use_font (cr, style, BASIN_FONT_LABEL);
  basin_plot_set_rgb (cr, 0x111111);

  if (panel->x_title != NULL)
    {
      g_autofree char *title = axis_title (panel->x_title, layout, 0);

      y += 0.5 * style->pad;
      basin_plot_show_text (cr, title, plot->x + plot->width / 2.0, y, 0.5, 0.0);
      y += layout->label_height;
    }

  if (panel->y_title != NULL)
    {
      g_autofree char *title = axis_title (panel->y_title, layout, 2);
      double x = plot->x - 0.5 * style->pad - layout->corner_labels_width -
                 0.5 * style->pad - layout->label_height;

      basin_plot_show_text_vertical (cr, title, x, plot->y + plot->height / 2.0, 0.5, 0.0);
    }

  basin_legend_draw (cr, style, legend, cell->x, y + style->pad, cell->width);
}

/**
 * basin_image_grid_render:
 * @panel: an image-grid panel
 * @cr: a cairo context
 * @style: sizes of the figure
 * @cell: the area of the panel
 * @shared: (nullable): the fit shared by all grids of the figure, as for
 *   basin_image_grid_layout()
 *
 * Draws the images of @panel as a grid of smoothed heat maps, each with
 * its label above it, a frame if highlighted and the data points on top.
 */
void
basin_image_grid_render (const BasinPanel        *panel,
                         cairo_t                 *cr,
                         const BasinPlotStyle    *style,
                         const cairo_rectangle_t *cell,
                         const BasinGridFit      *shared)
{
  cairo_rectangle_t title_area;
  GridLayout layout;

  compute_layout (panel, cr, style, cell, shared, &layout);

  /* The title sits right above the grid, which may be centred lower. */
  title_area = *cell;
  title_area.y = layout.plot.y - basin_panel_title_height (cr, style, panel);
  basin_panel_draw_title (cr, style, panel, &title_area);

  for (guint i = 0; i < panel->images->len; i++)
    draw_one_image (cr, style, panel, &layout, i);

  if (panel->images->len > 0 && layout.corner_labels_fit)
    draw_corner_labels (cr, style, &layout);

  draw_titles_and_legend (cr, style, panel, cell, &layout);
  basin_colorbar_draw (cr, style, panel, layout.plot.x + layout.plot.width + 1.5 * style->pad,
                       layout.plot.y + layout.caption_height,
                       layout.plot.height - layout.caption_height);
}
