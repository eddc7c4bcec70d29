/* basin-figure.c: the figure model, built from plain data.
 *
 * A figure owns copies of everything it shows, so the data it was built
 * from can change or go away while the figure is on screen.  Nothing here
 * draws; basin-figure-render.c lays the model out for a given size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin-figure-private.h"

static void
basin_series_free (gpointer data)
{
  BasinSeries *series = data;

  g_free (series->name);
  g_free (series->note);
  g_free (series->x);
  g_free (series->y);
  g_free (series);
}

static void
basin_legend_entry_free (gpointer data)
{
  BasinLegendEntry *entry = data;

  g_free (entry->label);
  g_free (entry);
}

static void
basin_image_free (gpointer data)
{
  BasinImage *image = data;

  g_free (image->label);
  g_free (image->values);
  g_free (image);
}

static void
basin_marker_free (gpointer data)
{
  BasinMarker *marker = data;

  g_free (marker->label);
  g_free (marker);
}

static void
basin_segment_free (gpointer data)
{
  BasinSegment *segment = data;

  g_free (segment->label);
  g_free (segment);
}

static BasinPanel *
basin_panel_new (BasinPanelKind  kind,
                 const char     *title)
{
  BasinPanel *panel = g_new0 (BasinPanel, 1);

  panel->kind = kind;
  panel->title = g_strdup (title);
  panel->series = g_ptr_array_new_with_free_func (basin_series_free);
  panel->legend = g_ptr_array_new_with_free_func (basin_legend_entry_free);
  panel->images = g_ptr_array_new_with_free_func (basin_image_free);
  panel->markers = g_ptr_array_new_with_free_func (basin_marker_free);
  panel->segments = g_ptr_array_new_with_free_func (basin_segment_free);
  panel->colormap = BASIN_COLORMAP_VIRIDIS;
  panel->color_min = 0.0;
  panel->color_max = 1.0;
  panel->grid_stride = 1;

  return panel;
}

static void
basin_panel_free (gpointer data)
{
  BasinPanel *panel = data;

  g_free (panel->title);
  g_free (panel->x_title);
  g_free (panel->y_title);
  g_ptr_array_unref (panel->series);
  g_ptr_array_unref (panel->legend);
  g_ptr_array_unref (panel->images);
  g_free (panel->colorbar_label);
  g_free (panel->marks);
  g_free (panel->points);
  g_free (panel->point_classes);
  g_free (panel->column_labels);
  g_ptr_array_unref (panel->markers);
  g_ptr_array_unref (panel->segments);
  g_free (panel);
}

/**
 * basin_figure_new:
 * @title: (nullable): title shown above the panels
 *
 * Creates an empty figure.  Add panels with basin_figure_add_panel(), or
 * set a message with basin_figure_set_message() when there is nothing to
 * show yet.
 *
 * Returns: (transfer full): a new figure; free it with basin_figure_free()
 */
BasinFigure *
basin_figure_new (const char *title)
{
  BasinFigure *figure = g_new0 (BasinFigure, 1);

  figure->title = g_strdup (title);
  figure->panels = g_ptr_array_new_with_free_func (basin_panel_free);

  return figure;
}

/**
 * basin_figure_free:
 * @figure: (nullable) (transfer full): a figure
 *
 * Frees @figure with its panels and their data.
 */
void
basin_figure_free (BasinFigure *figure)
{
  if (figure == NULL)
    return;

  g_free (figure->title);
  g_free (figure->caption);
  g_free (figure->message);
  g_ptr_array_unref (figure->panels);
  g_free (figure);
}

/**
 * basin_figure_get_title:
 * @figure: a figure
 *
 * Returns: (nullable): the title of @figure
 */
const char *
basin_figure_get_title (const BasinFigure *figure)
{
  g_return_val_if_fail (figure != NULL, NULL);

  return figure->title;
}

/**
 * basin_figure_set_caption:
 * @figure: a figure
 * @caption: (nullable): text shown under the panels, wrapped to the width
 *
 * Sets the caption, for example the formula behind the numbers shown.
 */
void
basin_figure_set_caption (BasinFigure *figure,
                          const char  *caption)
{
  g_return_if_fail (figure != NULL);

  g_free (figure->caption);
  figure->caption = g_strdup (caption);
}

/**
 * basin_figure_get_caption:
 * @figure: a figure
 *
 * Returns: (nullable): the caption of @figure
 */
const char *
basin_figure_get_caption (const BasinFigure *figure)
{
  g_return_val_if_fail (figure != NULL, NULL);

  return figure->caption;
}

/**
 * basin_figure_set_message:
 * @figure: a figure
 * @message: (nullable): text that replaces the panels, or %NULL
 *
 * Sets a message drawn in the middle of the figure in place of its
 * panels, such as what to do to get the data the figure needs.
 */
void
basin_figure_set_message (BasinFigure *figure,
                          const char  *message)
{
  g_return_if_fail (figure != NULL);

  g_free (figure->message);
  figure->message = g_strdup (message);
}

/**
 * basin_figure_get_message:
 * @figure: a figure
 *
 * Returns: (nullable): the message of @figure, %NULL when it shows panels
 */
const char *
basin_figure_get_message (const BasinFigure *figure)
{
  g_return_val_if_fail (figure != NULL, NULL);

  return figure->message;
}

/**
 * basin_figure_set_columns:
 * @figure: a figure
 * @n_columns: panels per row, or 0 to put all panels in one row
 *
 * Sets how many panels go side by side; further panels start new rows.
 */
void
basin_figure_set_columns (BasinFigure *figure,
                          guint        n_columns)
{
  g_return_if_fail (figure != NULL);

  figure->n_columns = n_columns;
}

/**
 * basin_figure_add_panel:
 * @figure: a figure
 * @kind: what the panel shows
 * @title: (nullable): title drawn above the panel
 *
 * Appends a panel.  Panels fill the rows of the figure from left to right.
 *
 * Returns: (transfer none): the new panel, owned by @figure
 */
BasinPanel *
basin_figure_add_panel (BasinFigure    *figure,
                        BasinPanelKind  kind,
                        const char     *title)
{
  BasinPanel *panel;

  g_return_val_if_fail (figure != NULL, NULL);

  panel = basin_panel_new (kind, title);
  g_ptr_array_add (figure->panels, panel);

  return panel;
}

/**
 * basin_figure_get_n_panels:
 * @figure: a figure
 *
 * Returns: the number of panels of @figure
 */
guint
basin_figure_get_n_panels (const BasinFigure *figure)
{
  g_return_val_if_fail (figure != NULL, 0);

  return figure->panels->len;
}

/**
 * basin_figure_get_panel:
 * @figure: a figure
 * @index: index of the panel, in the order they were added
 *
 * Gets a panel, for example to switch the training figure to a
 * logarithmic loss axis with basin_panel_set_log_y().
 *
 * Returns: (transfer none) (nullable): the panel, or %NULL if @index is
 *   out of range
 */
BasinPanel *
basin_figure_get_panel (const BasinFigure *figure,
                        guint              index)
{
  g_return_val_if_fail (figure != NULL, NULL);

  if (index >= figure->panels->len)
    return NULL;

  return g_ptr_array_index (figure->panels, index);
}

/**
 * basin_panel_set_axis_titles:
 * @panel: a panel
 * @x_title: (nullable): title of the horizontal axis
 * @y_title: (nullable): title of the vertical axis
 *
 * Sets the axis titles; include the unit, as in "accuracy (%)".
 */
void
basin_panel_set_axis_titles (BasinPanel *panel,
                             const char *x_title,
                             const char *y_title)
{
  g_return_if_fail (panel != NULL);

  g_free (panel->x_title);
  g_free (panel->y_title);
  panel->x_title = g_strdup (x_title);
  panel->y_title = g_strdup (y_title);
}

/**
 * basin_panel_set_x_range:
 * @panel: a line panel
 * @min: value at the left end
 * @max: value at the right end, greater than @min
 *
 * Fixes the horizontal axis of a line plot, so that it does not move
 * while data arrives.  Without it the axis spans the data.
 */
void
basin_panel_set_x_range (BasinPanel *panel,
                         double      min,
                         double      max)
{
  g_return_if_fail (panel != NULL);
  g_return_if_fail (isfinite (min) && isfinite (max) && min < max);

  panel->x_fixed = TRUE;
  panel->x_min = min;
  panel->x_max = max;
}

/**
 * basin_panel_set_y_range:
 * @panel: a line panel
 * @min: value at the bottom
 * @max: value at the top, greater than @min
 *
 * Fixes the vertical axis of a line plot.  Without it the axis spans the
 * data, rounded outwards to tick values.
 */
void
basin_panel_set_y_range (BasinPanel *panel,
                         double      min,
                         double      max)
{
  g_return_if_fail (panel != NULL);
  g_return_if_fail (isfinite (min) && isfinite (max) && min < max);

  panel->y_fixed = TRUE;
  panel->y_min = min;
  panel->y_max = max;
}

/**
 * basin_panel_set_log_y:
 * @panel: a line panel
 * @log_y: whether the vertical axis is logarithmic
 *
 * Switches the vertical axis between linear and logarithmic.  On a
 * logarithmic axis, points with y ≤ 0 are left out.
 */
void
basin_panel_set_log_y (BasinPanel *panel,
                       gboolean    log_y)
{
  g_return_if_fail (panel != NULL);

  panel->log_y = !!log_y;
}

/**
 * basin_panel_add_series:
 * @panel: a line panel
 * @name: name in the legend and in CSV exports
 * @x: (array length=n_points) (nullable): x values
 * @y: (array length=n_points) (nullable): y values
 * @n_points: number of points, may be 0
 * @color: index into the Okabe–Ito palette
 * @dashed: draw a dashed line instead of a solid one
 *
 * Adds a curve, copying the data.  Non-finite points are left out and
 * break the line; a series with a single point is drawn as a dot.
 *
 * Returns: the index of the series, for basin_panel_set_series_note()
 */
guint
basin_panel_add_series (BasinPanel   *panel,
                        const char   *name,
                        const double *x,
                        const double *y,
                        guint         n_points,
                        guint         color,
                        gboolean      dashed)
{
  BasinSeries *series;

  g_return_val_if_fail (panel != NULL, 0);
  g_return_val_if_fail (n_points == 0 || (x != NULL && y != NULL), 0);

  series = g_new0 (BasinSeries, 1);
  series->name = g_strdup (name != NULL ? name : "");
  series->x = g_memdup2 (x, sizeof (double) * n_points);
  series->y = g_memdup2 (y, sizeof (double) * n_points);
  series->n_points = n_points;
  series->color = color;
  series->dashed = !!dashed;
  g_ptr_array_add (panel->series, series);

  return panel->series->len - 1;
}

/**
 * basin_panel_set_series_note:
 * @panel: a line panel
 * @series: index returned by basin_panel_add_series()
 * @note: (nullable): text shown after the name in the legend, such as
 *   "barrier 0.412"
 *
 * Sets a note that the legend shows but CSV exports leave out.
 */
void
basin_panel_set_series_note (BasinPanel *panel,
                             guint       series,
                             const char *note)
{
  BasinSeries *item;

  g_return_if_fail (panel != NULL);
  g_return_if_fail (series < panel->series->len);

  item = g_ptr_array_index (panel->series, series);
  g_free (item->note);
  item->note = g_strdup (note);
}

/**
 * basin_panel_add_legend_entry:
 * @panel: a panel
 * @symbol: the sample drawn before the label
 * @color: index into the Okabe–Ito palette; boxes are always black
 * @label: the text of the entry
 *
 * Adds a legend entry that does not belong to a series, such as the
 * classes of the data points or the meaning of outlined cells.
 */
void
basin_panel_add_legend_entry (BasinPanel        *panel,
                              BasinLegendSymbol  symbol,
                              guint              color,
                              const char        *label)
{
  BasinLegendEntry *entry;

  g_return_if_fail (panel != NULL);
  g_return_if_fail (label != NULL);

  entry = g_new0 (BasinLegendEntry, 1);
  entry->symbol = symbol;
  entry->color = color;
  entry->label = g_strdup (label);
  g_ptr_array_add (panel->legend, entry);
}

/**
 * basin_panel_set_colormap:
 * @panel: a matrix or image-grid panel
 * @colormap: the colour map
 * @min: value drawn with the first colour of the map
 * @max: value drawn with the last colour, greater than @min
 * @colorbar_label: (nullable): label of the colour bar, or %NULL to draw
 *   no colour bar
 *
 * Sets how values become colours.  Values outside [@min, @max] get the end
 * colours; NaN values are drawn light grey.  With a logarithmic colour
 * scale (basin_panel_set_log_color()) @min must be positive.
 */
void
basin_panel_set_colormap (BasinPanel    *panel,
                          BasinColormap  colormap,
                          double         min,
                          double         max,
                          const char    *colorbar_label)
{
  g_return_if_fail (panel != NULL);
  g_return_if_fail (isfinite (min) && isfinite (max) && min < max);

  panel->has_colormap = TRUE;
  panel->colormap = colormap;
  panel->color_min = min;
  panel->color_max = max;
  g_free (panel->colorbar_label);
  panel->colorbar_label = g_strdup (colorbar_label);
}

/**
 * basin_panel_set_scale_per_image:
 * @panel: a matrix or image-grid panel
 * @per_image: whether each image is scaled to its own range
 *
 * With @per_image, each image is drawn with its own minimum mapped to the
 * colour-map minimum and its own maximum to the maximum, which shows the
 * shape of each image regardless of its scale.  Say so in the colour-bar
 * label.  CSV exports keep the values as given.
 */
void
basin_panel_set_scale_per_image (BasinPanel *panel,
                                 gboolean    per_image)
{
  g_return_if_fail (panel != NULL);

  panel->scale_per_image = !!per_image;
}

/**
 * basin_panel_add_image:
 * @panel: a matrix or image-grid panel
 * @label: (nullable): label drawn above the image in a grid
 * @values: (array length=n_rows*n_cols): row-major values
 * @n_rows: rows of @values
 * @n_cols: columns of @values
 * @highlighted: draw a frame around the image in a grid
 *
 * Adds an image, copying @values.  A matrix panel draws its first image,
 * and so does a contour panel, with row 0 at the bottom; NaN values there
 * are samples not computed yet.
 */
void
basin_panel_add_image (BasinPanel  *panel,
                       const char  *label,
                       const float *values,
                       guint        n_rows,
                       guint        n_cols,
                       gboolean     highlighted)
{
  BasinImage *image;

  g_return_if_fail (panel != NULL);
  g_return_if_fail (values != NULL);
  g_return_if_fail (n_rows > 0 && n_cols > 0);

  image = g_new0 (BasinImage, 1);
  image->label = g_strdup (label);
  image->values = g_memdup2 (values, sizeof (float) * n_rows * n_cols);
  image->n_rows = n_rows;
  image->n_cols = n_cols;
  image->highlighted = !!highlighted;
  g_ptr_array_add (panel->images, image);
}

/**
 * basin_panel_set_extent:
 * @panel: an image-grid or contour panel
 * @x_min: x coordinate of image column 0
 * @x_max: x coordinate of the last image column
 * @y_min: y coordinate of image row 0, drawn at the bottom
 * @y_max: y coordinate of the last image row
 *
 * Sets the data coordinates of the images, which places the points of
 * basin_panel_set_points() and labels the corner axes.  The values of an
 * image are samples at evenly spaced coordinates from the minimum to the
 * maximum, both included, so each drawn image of a grid reaches half a
 * pixel beyond the extent.  The axes of a contour panel span the extent
 * exactly, and its markers and segments use the same coordinates.
 */
void
basin_panel_set_extent (BasinPanel *panel,
                        double      x_min,
                        double      x_max,
                        double      y_min,
                        double      y_max)
{
  g_return_if_fail (panel != NULL);
  g_return_if_fail (x_min < x_max && y_min < y_max);

  panel->has_extent = TRUE;
  panel->extent[0] = x_min;
  panel->extent[1] = x_max;
  panel->extent[2] = y_min;
  panel->extent[3] = y_max;
}

/**
 * basin_panel_set_marks:
 * @panel: a matrix panel
 * @columns: (array length=n_rows): the marked column of each row
 * @n_rows: number of rows
 *
 * Marks the cells (i, @columns[i]), for example the matching of the
 * neurons of two runs.  Cells of at least 4 units get a black outline, and
 * smaller cells are filled black.  Entries out of range are skipped.
 */
void
basin_panel_set_marks (BasinPanel    *panel,
                       const guint32 *columns,
                       guint          n_rows)
{
  g_return_if_fail (panel != NULL);
  g_return_if_fail (n_rows == 0 || columns != NULL);

  g_free (panel->marks);
  panel->marks = g_memdup2 (columns, sizeof (guint32) * n_rows);
  panel->n_marks = n_rows;
}

/**
 * basin_panel_set_points:
 * @panel: an image-grid panel
 * @xy: (array length=n_points*2): x and y of each point, interleaved
 * @classes: (array length=n_points): class of each point, the colour index
 * @n_points: number of points
 *
 * Sets data points drawn over every image of the grid, at the coordinates
 * given by basin_panel_set_extent().
 */
void
basin_panel_set_points (BasinPanel    *panel,
                        const float   *xy,
                        const guint32 *classes,
                        guint          n_points)
{
  g_return_if_fail (panel != NULL);
  g_return_if_fail (n_points == 0 || (xy != NULL && classes != NULL));

  g_free (panel->points);
  g_free (panel->point_classes);
  panel->points = g_memdup2 (xy, sizeof (float) * 2 * n_points);
  panel->point_classes = g_memdup2 (classes, sizeof (guint32) * n_points);
  panel->n_points = n_points;
}

/**
 * basin_panel_add_legend_patch:
 * @panel: a panel
 * @rgb: the fill colour as 0xRRGGBB, such as a colour of the panel's map
 * @hatched: draw grey diagonal lines over the fill, as cells that are not
 *   computed yet are drawn
 * @label: the text of the entry
 *
 * Adds a legend entry with a filled square, to name a class of colours of
 * the panel, such as "unreachable" on a swap-cost matrix.
 */
void
basin_panel_add_legend_patch (BasinPanel *panel,
                              guint32     rgb,
                              gboolean    hatched,
                              const char *label)
{
  BasinLegendEntry *entry;

  g_return_if_fail (panel != NULL);
  g_return_if_fail (label != NULL);

  entry = g_new0 (BasinLegendEntry, 1);
  entry->symbol = BASIN_LEGEND_PATCH;
  entry->label = g_strdup (label);
  entry->rgb = rgb & 0xffffff;
  entry->hatched = !!hatched;
  g_ptr_array_add (panel->legend, entry);
}

/**
 * basin_panel_set_log_color:
 * @panel: a panel with a colour map
 * @log_color: whether colours follow the logarithm of the values
 *
 * Switches the colour scale between linear and logarithmic.  On a
 * logarithmic scale, values ≤ 0 are drawn as missing, the colour bar gets
 * ticks at 1, 2 and 5 times powers of ten (or denser ones over a short
 * range), and contour levels are spaced the same way.
 */
void
basin_panel_set_log_color (BasinPanel *panel,
                           gboolean    log_color)
{
  g_return_if_fail (panel != NULL);

  panel->color_log = !!log_color;
}

/**
 * basin_panel_set_neutral_band:
 * @panel: a panel with the %BASIN_COLORMAP_CLASSES colour map
 * @half_width: values within ±@half_width get the neutral colour, ≥ 0
 *
 * Sets the band of small values of the three-class colour map.
 */
void
basin_panel_set_neutral_band (BasinPanel *panel,
                              double      half_width)
{
  g_return_if_fail (panel != NULL);
  g_return_if_fail (isfinite (half_width) && half_width >= 0.0);

  panel->neutral_band = half_width;
}

/**
 * basin_panel_set_column_labels:
 * @panel: a matrix panel
 * @labels: (array length=n_cols): the number to show under each column
 * @n_cols: number of columns
 *
 * Labels column c with @labels[c] instead of c, for a matrix whose columns
 * were reordered.  The ticks stay evenly spaced, so when not every column
 * gets a tick, neighbouring labels need not be in order.  CSV exports
 * write @labels[c] as the x coordinate of column c.
 */
void
basin_panel_set_column_labels (BasinPanel    *panel,
                               const guint32 *labels,
                               guint          n_cols)
{
  g_return_if_fail (panel != NULL);
  g_return_if_fail (n_cols == 0 || labels != NULL);

  g_free (panel->column_labels);
  panel->column_labels = g_memdup2 (labels, sizeof (guint32) * n_cols);
  panel->n_column_labels = n_cols;
}

/**
 * basin_panel_set_grid_stride:
 * @panel: a contour panel
 * @stride: spacing, in grid steps, of the samples computed so far, ≥ 1
 *
 * Says that so far only every @stride-th row and column of the grid,
 * counting from 0, has been computed, as after the first levels of a
 * coarse-to-fine evaluation.  Each of these samples is then drawn as a
 * block over the grid cells nearest to it, and contour lines follow the
 * coarse grid.  Cells with no computed sample nearby are drawn hatched.
 */
void
basin_panel_set_grid_stride (BasinPanel *panel,
                             guint       stride)
{
  g_return_if_fail (panel != NULL);

  panel->grid_stride = MAX (stride, 1);
}

/**
 * basin_panel_set_contours:
 * @panel: a contour panel
 * @n_levels: about how many contour lines to draw, 0 for none
 *
 * Draws contour lines at round values, spaced on the colour scale
 * (linear or logarithmic), each labelled with its value where it is long
 * enough.
 */
void
basin_panel_set_contours (BasinPanel *panel,
                          guint       n_levels)
{
  g_return_if_fail (panel != NULL);

  panel->n_contours = n_levels;
}

/**
 * basin_panel_set_equal_aspect:
 * @panel: a contour panel
 * @equal_aspect: whether a unit spans the same length on both axes
 *
 * Keeps the data aspect ratio, for coordinates that are distances in the
 * same space.  Without it the grid fills the panel.
 */
void
basin_panel_set_equal_aspect (BasinPanel *panel,
                              gboolean    equal_aspect)
{
  g_return_if_fail (panel != NULL);

  panel->equal_aspect = !!equal_aspect;
}

/**
 * basin_panel_add_marker:
 * @panel: a contour panel
 * @label: (nullable): text drawn next to the marker
 * @x: first coordinate
 * @y: second coordinate
 *
 * Marks a point, such as a trained model in a plane of weight space.
 * Markers are drawn in the order added as a circle, a square, a diamond
 * and a triangle, in distinct colours with a white outline.
 */
void
basin_panel_add_marker (BasinPanel *panel,
                        const char *label,
                        double      x,
                        double      y)
{
  BasinMarker *marker;

  g_return_if_fail (panel != NULL);

  marker = g_new0 (BasinMarker, 1);
  marker->label = g_strdup (label);
  marker->x = x;
  marker->y = y;
  g_ptr_array_add (panel->markers, marker);
}

/**
 * basin_panel_add_segment:
 * @panel: a contour panel
 * @label: (nullable): text drawn along the segment
 * @x0: first coordinate of the start
 * @y0: second coordinate of the start
 * @x1: first coordinate of the end
 * @y1: second coordinate of the end
 *
 * Draws a straight segment under the markers as a black line with white
 * dashes, visible on dark and light colours.  Each segment added gets
 * another dash pattern, so that readers can distinguish them.
 */
void
basin_panel_add_segment (BasinPanel *panel,
                         const char *label,
                         double      x0,
                         double      y0,
                         double      x1,
                         double      y1)
{
  BasinSegment *segment;

  g_return_if_fail (panel != NULL);

  segment = g_new0 (BasinSegment, 1);
  segment->label = g_strdup (label);
  segment->x0 = x0;
  segment->y0 = y0;
  segment->x1 = x1;
  segment->y1 = y1;
  g_ptr_array_add (panel->segments, segment);
}
