/* basin-plot-annotations.c: what a contour panel draws over its heat map.
 *
 * Contour lines with their values written along them, straight segments
 * with labels along them, and markers with labels next to them.  Labels
 * are placed one after the other, each avoiding the ones placed before:
 * marker labels first, then segment labels, then contour labels, which
 * are only drawn where they fit.  Contour lines get a gap under their
 * labels, and every label has a white halo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin-colormap.h"
#include "basin-figure-private.h"

#define MAX_CONTOUR_LEVELS 32

/* Palette colours of the markers, in the order they are added: colours
 * that stand out on the dark and the light end of viridis. */
static const guint marker_colors[] = { 1, 5, 4, 3 };

/* A rectangle already taken by a marker, a segment or a label: centred
 * at (x, y), @half_width × @half_height, turned by @angle radians. */
typedef struct {
  double x;
  double y;
  double half_width;
  double half_height;
  double angle;
} Occupied;

/* A label centred at (x, y), turned by @angle radians. */
typedef struct {
  char   text[BASIN_TICK_LABEL_SIZE];
  double x;
  double y;
  double angle;
  double width;
  double height;
} PlacedLabel;

typedef struct {
  cairo_t                  *cr;
  const BasinPlotStyle     *style;
  const BasinContourLayout *layout;
  GArray                   *occupied;
} Annotator;

static double
label_halo (const BasinPlotStyle *style)
{
  return 2.6 * style->scale;
}

static double
marker_radius (const BasinPlotStyle *style)
{
  return 6.5 * style->scale;
}

static void
occupy (Annotator *self,
        double     x,
        double     y,
        double     width,
        double     height,
        double     angle)
{
  Occupied area = { x, y, width / 2.0, height / 2.0, angle };

  g_array_append_val (self->occupied, area);
}

/* Half the length of the projection of @box onto the unit axis (ux, uy). */
static double
projected_radius (const Occupied *box,
                  double          ux,
                  double          uy)
{
  double c = cos (box->angle), s = sin (box->angle);

  return box->half_width * fabs (c * ux + s * uy) + box->half_height * fabs (-s * ux + c * uy);
}

/* Separating axis test of two turned rectangles: they are apart when
 * their projections onto one of the four edge directions do not meet. */
static gboolean
boxes_overlap (const Occupied *a,
               const Occupied *b)
{
  const Occupied *boxes[2] = { a, b };

  for (guint k = 0; k < 2; k++)
    for (guint axis = 0; axis < 2; axis++)
      {
        double angle = boxes[k]->angle + axis * G_PI / 2.0;
        double ux = cos (angle), uy = sin (angle);
        double distance = fabs ((b->x - a->x) * ux + (b->y - a->y) * uy);

        if (distance > projected_radius (a, ux, uy) + projected_radius (b, ux, uy))
          return FALSE;
      }

  return TRUE;
}

static gboolean
is_free (const Annotator   *self,
         const PlacedLabel *label)
{
  Occupied box = { label->x, label->y, label->width / 2.0, label->height / 2.0, label->angle };

  for (guint i = 0; i < self->occupied->len; i++)
    if (boxes_overlap (&box, &g_array_index (self->occupied, Occupied, i)))
      return FALSE;

  return TRUE;
}

/* Takes the place of a label that is drawn. */
static void
occupy_label (Annotator         *self,
              const PlacedLabel *label)
{
  occupy (self, label->x, label->y, label->width, label->height, label->angle);
}

/* Whether a label of @width × @height centred at (x, y) and turned by
 * @angle lies inside the plot with a margin. */
static gboolean
label_inside (const Annotator *self,
              double           x,
              double           y,
              double           angle,
              double           width,
              double           height)
{
  const cairo_rectangle_t *plot = &self->layout->plot;
  double half_w = 0.5 * (fabs (width * cos (angle)) + fabs (height * sin (angle))) + 2.0;
  double half_h = 0.5 * (fabs (width * sin (angle)) + fabs (height * cos (angle))) + 2.0;

  return x - half_w >= plot->x && x + half_w <= plot->x + plot->width &&
         y - half_h >= plot->y && y + half_h <= plot->y + plot->height;
}

/* Turns the direction @angle of a line (radians, y down the page) so that
 * text along it reads left to right, or bottom to top on steep lines. */
static double
readable_angle (double angle)
{
  if (angle > 0.4 * G_PI)
    return angle - G_PI;
  if (angle < -0.6 * G_PI)
    return angle + G_PI;

  return angle;
}

/* Draws @text centred at (x, y), turned by @angle, dark on a white halo. */
static void
draw_halo_text (cairo_t              *cr,
                const BasinPlotStyle *style,
                const char           *text,
                double                x,
                double                y,
                double                angle,
                gboolean              bold)
{
  cairo_font_extents_t font;
  double width;

  cairo_save (cr);
  basin_plot_use_font (cr, style, BASIN_FONT_TICK);
  if (bold)
    cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_font_extents (cr, &font);
  width = basin_plot_text_width (cr, text);

  cairo_translate (cr, x, y);
  cairo_rotate (cr, angle);
  cairo_move_to (cr, -width / 2.0, (font.ascent - font.descent) / 2.0);
  cairo_text_path (cr, text);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_set_line_width (cr, label_halo (style));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);

  cairo_move_to (cr, -width / 2.0, (font.ascent - font.descent) / 2.0);
  basin_plot_set_rgb (cr, 0x111111);
  cairo_show_text (cr, text);
  cairo_new_path (cr);
  cairo_restore (cr);
}

static void
measure_label (Annotator   *self,
               const char  *text,
               gboolean     bold,
               PlacedLabel *label)
{
  basin_plot_use_font (self->cr, self->style, BASIN_FONT_TICK);
  if (bold)
    cairo_select_font_face (self->cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);

  g_strlcpy (label->text, text, sizeof label->text);
  label->width = basin_plot_text_width (self->cr, text) + label_halo (self->style);
  label->height = basin_plot_line_height (self->cr);
  label->angle = 0.0;
}

/* Contour lines */

/* Samples the computed grid, every stride-th row and column, on the
 * colour scale: logarithms of the values on a logarithmic scale. */
static double *
coarse_grid (const BasinPanel *panel,
             const BasinImage *image,
             const double      extent[4],
             guint            *n_cols,
             guint            *n_rows,
             double          **x,
             double          **y)
{
  guint stride = MAX (panel->grid_stride, 1);
  double *values;

  *n_cols = (image->n_cols - 1) / stride + 1;
  *n_rows = (image->n_rows - 1) / stride + 1;
  values = g_new (double, (gsize) *n_cols * *n_rows);
  *x = g_new (double, *n_cols);
  *y = g_new (double, *n_rows);

  for (guint c = 0; c < *n_cols; c++)
    (*x)[c] = extent[0] + (extent[1] - extent[0]) * c * stride / MAX (image->n_cols - 1, 1);
  for (guint r = 0; r < *n_rows; r++)
    (*y)[r] = extent[2] + (extent[3] - extent[2]) * r * stride / MAX (image->n_rows - 1, 1);

  for (guint r = 0; r < *n_rows; r++)
    for (guint c = 0; c < *n_cols; c++)
      {
        double value = image->values[(gsize) r * stride * image->n_cols + c * stride];

        if (panel->color_log)
          value = value > 0.0 ? log10 (value) : NAN;
        values[(gsize) r * *n_cols + c] = value;
      }

  return values;
}

static gboolean
finite_range (const double *values,
              gsize         n,
              double       *min,
              double       *max)
{
  *min = INFINITY;
  *max = -INFINITY;
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      {
        *min = MIN (*min, values[i]);
        *max = MAX (*max, values[i]);
      }

  return *min < *max;
}

/* Moves the points of @line to the page, appending the first point
 * again to a closed line. */
static void
line_to_page (const BasinContourLayout *layout,
              BasinContourLine         *line)
{
  double *points = (double *) line->points->data;
  guint n = line->points->len / 2;

  for (guint i = 0; i < n; i++)
    basin_contour_layout_map (layout, points[2 * i], points[2 * i + 1], &points[2 * i], &points[2 * i + 1]);

  if (line->closed && n > 0)
    g_array_append_vals (line->points, &g_array_index (line->points, double, 0), 2);
}

/* Traces every contour level on the computed grid, on the page. */
static GPtrArray *
trace_contours (const BasinPanel         *panel,
                const BasinContourLayout *layout)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (basin_contour_line_free);
  const BasinImage *image = panel->images->len > 0 ? g_ptr_array_index (panel->images, 0) : NULL;
  g_autofree double *values = NULL;
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  double levels[MAX_CONTOUR_LEVELS];
  double min, max;
  guint n_cols, n_rows, n_levels;

  if (image == NULL || panel->n_contours == 0 || image->n_cols < 2 || image->n_rows < 2)
    return all;

  values = coarse_grid (panel, image, layout->extent, &n_cols, &n_rows, &x, &y);
  if (!finite_range (values, (gsize) n_cols * n_rows, &min, &max))
    return all;

  if (panel->color_log)
    n_levels = basin_contour_levels (pow (10.0, min), pow (10.0, max), TRUE, panel->n_contours,
                                     levels, G_N_ELEMENTS (levels));
  else
    n_levels = basin_contour_levels (min, max, FALSE, panel->n_contours, levels, G_N_ELEMENTS (levels));

  for (guint l = 0; l < n_levels; l++)
    {
      double level = panel->color_log ? log10 (levels[l]) : levels[l];
      g_autoptr(GPtrArray) lines = basin_contour_lines (values, n_cols, n_rows, x, y, level);

      while (lines->len > 0)
        {
          BasinContourLine *line = g_ptr_array_steal_index (lines, 0);

          line->level = levels[l];
          line_to_page (layout, line);
          g_ptr_array_add (all, line);
        }
    }

  return all;
}

/* The point at arc length @s along the polyline. */
static void
point_along (const double *points,
             const double *lengths,
             guint         n,
             double        s,
             double       *x,
             double       *y)
{
  guint i = 1;
  double t;

  while (i < n - 1 && lengths[i] < s)
    i++;

  t = lengths[i] > lengths[i - 1] ? (s - lengths[i - 1]) / (lengths[i] - lengths[i - 1]) : 0.0;
  t = CLAMP (t, 0.0, 1.0);
  *x = points[2 * (i - 1)] + t * (points[2 * i] - points[2 * (i - 1)]);
  *y = points[2 * (i - 1) + 1] + t * (points[2 * i + 1] - points[2 * (i - 1) + 1]);
}

/* Tries positions along @line for its label, the middle first; a
 * position needs the line to be nearly straight under the label. */
static gboolean
place_on_line (Annotator              *self,
               const BasinContourLine *line,
               PlacedLabel            *label)
{
  static const double fractions[] = { 0.5, 0.3, 0.7, 0.15, 0.85 };
  const double *points = (const double *) line->points->data;
  guint n = line->points->len / 2;
  g_autofree double *lengths = g_new (double, MAX (n, 1));
  double w = label->width;

  lengths[0] = 0.0;
  for (guint i = 1; i < n; i++)
    lengths[i] = lengths[i - 1] + hypot (points[2 * i] - points[2 * i - 2], points[2 * i + 1] - points[2 * i - 1]);
  if (n < 2 || lengths[n - 1] < 2.5 * w)
    return FALSE;

  for (guint f = 0; f < G_N_ELEMENTS (fractions); f++)
    {
      double s = fractions[f] * lengths[n - 1];
      double x0, y0, x1, y1;

      point_along (points, lengths, n, s - w / 2.0, &x0, &y0);
      point_along (points, lengths, n, s + w / 2.0, &x1, &y1);
      point_along (points, lengths, n, s, &label->x, &label->y);
      if (hypot (x1 - x0, y1 - y0) < 0.85 * w)
        continue;

      label->angle = readable_angle (atan2 (y1 - y0, x1 - x0));

      if (label_inside (self, label->x, label->y, label->angle, w, label->height) &&
          is_free (self, label))
        {
          occupy_label (self, label);
          return TRUE;
        }
    }

  return FALSE;
}

static GArray *
place_contour_labels (Annotator *self,
                      GPtrArray *lines)
{
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (PlacedLabel));

  for (guint i = 0; i < lines->len; i++)
    {
      const BasinContourLine *line = g_ptr_array_index (lines, i);
      char text[BASIN_TICK_LABEL_SIZE];
      PlacedLabel label;

      basin_plot_format_number (text, line->level);
      measure_label (self, text, FALSE, &label);
      label.width += 2.0 * self->style->scale;
      if (place_on_line (self, line, &label))
        g_array_append_val (labels, label);
    }

  return labels;
}

static void
add_label_box (cairo_t           *cr,
               const PlacedLabel *label)
{
  cairo_save (cr);
  cairo_translate (cr, label->x, label->y);
  cairo_rotate (cr, label->angle);
  cairo_rectangle (cr, -label->width / 2.0, -label->height / 2.0, label->width, label->height);
  cairo_restore (cr);
}

/* Whether the colour of @level on the panel's map is dark, so that a
 * white line shows on it better than a dark one. */
static gboolean
level_is_dark (const BasinPanel *panel,
               double            level)
{
  BasinRgb rgb = basin_panel_value_color (panel, level, panel->color_min, panel->color_max);

  return 0.2126 * rgb.r + 0.7152 * rgb.g + 0.0722 * rgb.b < 0.4;
}

static void
add_line_path (cairo_t                *cr,
               const BasinContourLine *line)
{
  const double *points = (const double *) line->points->data;

  cairo_new_sub_path (cr);
  for (guint p = 0; p < line->points->len / 2; p++)
    cairo_line_to (cr, points[2 * p], points[2 * p + 1]);
  if (line->closed)
    cairo_close_path (cr);
}

/* Strokes the lines everywhere in the plot but under their labels: white
 * where the map is dark at the line's level, near black elsewhere. */
static void
stroke_contours (Annotator        *self,
                 const BasinPanel *panel,
                 GPtrArray        *lines,
                 GArray           *labels)
{
  cairo_t *cr = self->cr;
  const cairo_rectangle_t *plot = &self->layout->plot;

  cairo_save (cr);
  cairo_rectangle (cr, plot->x, plot->y, plot->width, plot->height);
  for (guint i = 0; i < labels->len; i++)
    add_label_box (cr, &g_array_index (labels, PlacedLabel, i));
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, 1.1 * self->style->scale);

  for (guint dark = 0; dark < 2; dark++)
    {
      for (guint i = 0; i < lines->len; i++)
        {
          const BasinContourLine *line = g_ptr_array_index (lines, i);

          if (level_is_dark (panel, line->level) == (gboolean) dark)
            add_line_path (cr, line);
        }

      if (dark)
        cairo_set_source_rgba (cr, 1.0, 1.0, 1.0, 0.85);
      else
        cairo_set_source_rgba (cr, 0.05, 0.05, 0.05, 0.7);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}

/* Segments */

static void
segment_on_page (const Annotator    *self,
                 const BasinSegment *segment,
                 double              page[4])
{
  basin_contour_layout_map (self->layout, segment->x0, segment->y0, &page[0], &page[1]);
  basin_contour_layout_map (self->layout, segment->x1, segment->y1, &page[2], &page[3]);
}

/* A black line with white dashes; later segments get shorter dashes. */
static void
stroke_segment (Annotator *self,
                guint      index,
                double     page[4])
{
  static const double patterns[][2] = { { 7.0, 4.0 }, { 2.5, 2.5 }, { 12.0, 3.0 } };
  const double *pattern = patterns[index % G_N_ELEMENTS (patterns)];
  double dashes[2] = { pattern[0] * self->style->scale, pattern[1] * self->style->scale };
  cairo_t *cr = self->cr;

  cairo_save (cr);
  cairo_move_to (cr, page[0], page[1]);
  cairo_line_to (cr, page[2], page[3]);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  cairo_set_line_width (cr, 2.6 * self->style->scale);
  cairo_stroke_preserve (cr);
  cairo_set_dash (cr, dashes, 2, 0.0);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_set_line_width (cr, 1.3 * self->style->scale);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Puts the label along the middle of the segment, on the upper side if it
 * fits there. */
static gboolean
place_segment_label (Annotator    *self,
                     const double  page[4],
                     PlacedLabel  *label)
{
  double dx = page[2] - page[0], dy = page[3] - page[1];
  double length = hypot (dx, dy);
  double offset = label->height / 2.0 + 2.5 * self->style->scale;
  double nx, ny;

  if (length < 1.0)
    return FALSE;

  label->angle = readable_angle (atan2 (dy, dx));

  /* The unit normal pointing up the page, then the other one. */
  nx = dy / length;
  ny = -dx / length;
  if (ny > 0.0)
    {
      nx = -nx;
      ny = -ny;
    }

  for (guint side = 0; side < 2; side++, nx = -nx, ny = -ny)
    {
      label->x = (page[0] + page[2]) / 2.0 + offset * nx;
      label->y = (page[1] + page[3]) / 2.0 + offset * ny;
      if (label_inside (self, label->x, label->y, label->angle, label->width, label->height) &&
          is_free (self, label))
        {
          occupy_label (self, label);
          return TRUE;
        }
    }

  return FALSE;
}

/* Markers */

static void
marker_path (cairo_t *cr,
             guint    shape,
             double   x,
             double   y,
             double   r)
{
  switch (shape % 4)
    {
    case 0:
      cairo_arc (cr, x, y, r, 0.0, 2.0 * G_PI);
      break;

    case 1:
      cairo_rectangle (cr, x - 0.88 * r, y - 0.88 * r, 1.76 * r, 1.76 * r);
      break;

    case 2:
      cairo_move_to (cr, x, y - 1.25 * r);
      cairo_line_to (cr, x + 1.25 * r, y);
      cairo_line_to (cr, x, y + 1.25 * r);
      cairo_line_to (cr, x - 1.25 * r, y);
      cairo_close_path (cr);
      break;

    default:
      cairo_move_to (cr, x, y - 1.3 * r);
      cairo_line_to (cr, x + 1.15 * r, y + 0.7 * r);
      cairo_line_to (cr, x - 1.15 * r, y + 0.7 * r);
      cairo_close_path (cr);
      break;
    }
}

/* A circle, square, diamond or triangle by @index, filled with a palette
 * colour and outlined in white over a thin dark ring. */
static void
draw_marker (cairo_t              *cr,
             const BasinPlotStyle *style,
             guint                 index,
             double                x,
             double                y)
{
  BasinRgb rgb = basin_palette_color (marker_colors[index % G_N_ELEMENTS (marker_colors)]);
  double r = marker_radius (style);

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  marker_path (cr, index, x, y, r);
  cairo_set_source_rgba (cr, 0.0, 0.0, 0.0, 0.75);
  cairo_set_line_width (cr, 3.6 * style->scale);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, rgb.r, rgb.g, rgb.b);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_set_line_width (cr, 1.6 * style->scale);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Puts the label of a marker next to it: above right, above left, below
 * right or below left, whichever is first inside the plot and free. */
static gboolean
place_marker_label (Annotator   *self,
                    double       x,
                    double       y,
                    PlacedLabel *label)
{
  static const double sides[][2] = { { 1.0, -1.0 }, { -1.0, -1.0 }, { 1.0, 1.0 }, { -1.0, 1.0 } };
  double gap = marker_radius (self->style) + 2.0 * self->style->scale;

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      label->x = x + sides[i][0] * (gap + label->width / 2.0);
      label->y = y + sides[i][1] * (0.6 * gap + label->height / 2.0);
      if (label_inside (self, label->x, label->y, 0.0, label->width, label->height) &&
          is_free (self, label))
        {
          occupy_label (self, label);
          return TRUE;
        }
    }

  return FALSE;
}

/* Takes the places of the segments and markers, before any label. */
static void
occupy_segments_and_markers (Annotator        *self,
                             const BasinPanel *panel)
{
  double size = 2.6 * marker_radius (self->style);

  for (guint i = 0; i < panel->segments->len; i++)
    {
      double page[4];

      segment_on_page (self, g_ptr_array_index (panel->segments, i), page);
      occupy (self, (page[0] + page[2]) / 2.0, (page[1] + page[3]) / 2.0,
              hypot (page[2] - page[0], page[3] - page[1]), 3.0 * self->style->scale,
              atan2 (page[3] - page[1], page[2] - page[0]));
    }

  for (guint i = 0; i < panel->markers->len; i++)
    {
      const BasinMarker *marker = g_ptr_array_index (panel->markers, i);
      double x, y;

      basin_contour_layout_map (self->layout, marker->x, marker->y, &x, &y);
      occupy (self, x, y, size, size, 0.0);
    }
}

static GArray *
place_marker_labels (Annotator        *self,
                     const BasinPanel *panel)
{
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (PlacedLabel));

  for (guint i = 0; i < panel->markers->len; i++)
    {
      const BasinMarker *marker = g_ptr_array_index (panel->markers, i);
      PlacedLabel label;
      double x, y;

      if (marker->label == NULL || marker->label[0] == '\0')
        continue;

      basin_contour_layout_map (self->layout, marker->x, marker->y, &x, &y);
      measure_label (self, marker->label, TRUE, &label);
      if (place_marker_label (self, x, y, &label))
        g_array_append_val (labels, label);
    }

  return labels;
}

static GArray *
place_segment_labels (Annotator        *self,
                      const BasinPanel *panel)
{
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (PlacedLabel));

  for (guint i = 0; i < panel->segments->len; i++)
    {
      const BasinSegment *segment = g_ptr_array_index (panel->segments, i);
      PlacedLabel label;
      double page[4];

      if (segment->label == NULL || segment->label[0] == '\0')
        continue;

      segment_on_page (self, segment, page);
      measure_label (self, segment->label, FALSE, &label);
      if (place_segment_label (self, page, &label))
        g_array_append_val (labels, label);
    }

  return labels;
}

static void
draw_labels (Annotator *self,
             GArray    *labels,
             gboolean   bold)
{
  for (guint i = 0; i < labels->len; i++)
    {
      const PlacedLabel *label = &g_array_index (labels, PlacedLabel, i);

      draw_halo_text (self->cr, self->style, label->text, label->x, label->y, label->angle, bold);
    }
}

static void
draw_segments_and_markers (Annotator        *self,
                           const BasinPanel *panel)
{
  for (guint i = 0; i < panel->segments->len; i++)
    {
      double page[4];

      segment_on_page (self, g_ptr_array_index (panel->segments, i), page);
      stroke_segment (self, i, page);
    }

  for (guint i = 0; i < panel->markers->len; i++)
    {
      const BasinMarker *marker = g_ptr_array_index (panel->markers, i);
      double x, y;

      basin_contour_layout_map (self->layout, marker->x, marker->y, &x, &y);
      draw_marker (self->cr, self->style, i, x, y);
    }
}

/**
 * basin_contour_draw_annotations:
 * @cr: a cairo context
 * @style: sizes of the figure
 * @panel: a contour panel
 * @layout: its layout
 *
 * Draws the labelled contour lines of the panel's first image, then its
 * segments and markers with their labels, all clipped to the plot.
 */
void
basin_contour_draw_annotations (cairo_t                  *cr,
                                const BasinPlotStyle     *style,
                                const BasinPanel         *panel,
                                const BasinContourLayout *layout)
{
  Annotator self = { cr, style, layout, g_array_new (FALSE, FALSE, sizeof (Occupied)) };
  const cairo_rectangle_t *plot = &layout->plot;
  g_autoptr(GPtrArray) lines = trace_contours (panel, layout);
  g_autoptr(GArray) marker_labels = NULL;
  g_autoptr(GArray) segment_labels = NULL;
  g_autoptr(GArray) contour_labels = NULL;
  g_autoptr(GArray) all_labels = NULL;

  occupy_segments_and_markers (&self, panel);
  marker_labels = place_marker_labels (&self, panel);
  segment_labels = place_segment_labels (&self, panel);
  contour_labels = place_contour_labels (&self, lines);

  /* Contour lines get a gap under every label, not only their own. */
  all_labels = g_array_new (FALSE, FALSE, sizeof (PlacedLabel));
  g_array_append_vals (all_labels, marker_labels->data, marker_labels->len);
  g_array_append_vals (all_labels, segment_labels->data, segment_labels->len);
  g_array_append_vals (all_labels, contour_labels->data, contour_labels->len);
  stroke_contours (&self, panel, lines, all_labels);

  cairo_save (cr);
  cairo_rectangle (cr, plot->x, plot->y, plot->width, plot->height);
  cairo_clip (cr);
  draw_labels (&self, contour_labels, FALSE);
  draw_segments_and_markers (&self, panel);
  draw_labels (&self, segment_labels, FALSE);
  draw_labels (&self, marker_labels, TRUE);
  cairo_restore (cr);

  g_array_unref (self.occupied);
}
