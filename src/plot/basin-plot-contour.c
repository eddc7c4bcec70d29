/* basin-plot-contour.c: contour lines of a function sampled on a grid.
 *
 * Marching squares: each grid cell whose corners lie on both sides of the
 * level gets one or two segments between the crossing points on its edges,
 * found by linear interpolation along each edge.  Neighbouring cells share
 * their crossing points, which joins the segments into polylines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-figure-private.h"

/* The pairs of edges joined by a segment in each case of a cell, −1 for
 * none.  Edges are 0 bottom, 1 right, 2 top and 3 left.  Bit k of the case
 * is set when corner k lies above the level, with corners 0 bottom left,
 * 1 bottom right, 2 top right and 3 top left.  The saddles 5 and 10 are
 * listed with the centre below the level, and contour_cell() swaps them
 * when it is above. */
static const int cell_segments[16][4] = {
  { -1, -1, -1, -1 },
  { 3, 0, -1, -1 },
  { 0, 1, -1, -1 },
  { 3, 1, -1, -1 },
  { 1, 2, -1, -1 },
  { 3, 0, 1, 2 },
  { 0, 2, -1, -1 },
  { 3, 2, -1, -1 },
  { 2, 3, -1, -1 },
  { 0, 2, -1, -1 },
  { 0, 1, 2, 3 },
  { 1, 2, -1, -1 },
  { 3, 1, -1, -1 },
  { 0, 1, -1, -1 },
  { 3, 0, -1, -1 },
  { -1, -1, -1, -1 },
};

typedef struct {
  const double *values;
  const double *x;
  const double *y;
  guint         n_cols;
  guint         n_rows;
  double        level;
  GArray       *segments;   /* Segment */
  int          *first;      /* per edge id: a segment ending there, or −1 */
  int          *second;     /* per edge id: a second such segment, or −1 */
} Tracer;

typedef struct {
  guint    edge[2];
  double   point[4];
  gboolean used;
} Segment;

void
basin_contour_line_free (gpointer data)
{
  BasinContourLine *line = data;

  g_array_unref (line->points);
  g_free (line);
}

static double
value_at (const Tracer *tracer,
          guint         col,
          guint         row)
{
  return tracer->values[(gsize) row * tracer->n_cols + col];
}

/* Horizontal edges from (col, row) to (col + 1, row) get even ids and
 * vertical edges from (col, row) to (col, row + 1) odd ones. */
static guint
edge_id (const Tracer *tracer,
         guint         col,
         guint         row,
         int           edge)
{
  switch (edge)
    {
    case 0:
      return 2 * (row * tracer->n_cols + col);
    case 1:
      return 2 * (row * tracer->n_cols + col + 1) + 1;
    case 2:
      return 2 * ((row + 1) * tracer->n_cols + col);
    default:
      return 2 * (row * tracer->n_cols + col) + 1;
    }
}

static double
crossing (double a,
          double b,
          double level)
{
  return a != b ? CLAMP ((level - a) / (b - a), 0.0, 1.0) : 0.5;
}

/* The point where the level crosses @edge of cell (col, row). */
static void
edge_point (const Tracer *tracer,
            guint         col,
            guint         row,
            int           edge,
            double       *px,
            double       *py)
{
  guint c0 = col, r0 = row, c1 = col, r1 = row;
  double t;

  if (edge == 0 || edge == 2)
    {
      r0 = r1 = row + (edge == 2);
      c1 = col + 1;
    }
  else
    {
      c0 = c1 = col + (edge == 1);
      r1 = row + 1;
    }

  t = crossing (value_at (tracer, c0, r0), value_at (tracer, c1, r1), tracer->level);
  *px = tracer->x[c0] + t * (tracer->x[c1] - tracer->x[c0]);
  *py = tracer->y[r0] + t * (tracer->y[r1] - tracer->y[r0]);
}

static void
link_edge (Tracer *tracer,
           guint   edge,
           int     segment)
{
  if (tracer->first[edge] < 0)
    tracer->first[edge] = segment;
  else
    tracer->second[edge] = segment;
}

static void
add_segment (Tracer *tracer,
             guint   col,
             guint   row,
             int     edge_a,
             int     edge_b)
{
  Segment segment = { { edge_id (tracer, col, row, edge_a), edge_id (tracer, col, row, edge_b) } };
  int index = (int) tracer->segments->len;

  edge_point (tracer, col, row, edge_a, &segment.point[0], &segment.point[1]);
  edge_point (tracer, col, row, edge_b, &segment.point[2], &segment.point[3]);
  g_array_append_val (tracer->segments, segment);
  link_edge (tracer, segment.edge[0], index);
  link_edge (tracer, segment.edge[1], index);
}

static void
contour_cell (Tracer *tracer,
              guint   col,
              guint   row)
{
  double corners[4] = {
    value_at (tracer, col, row), value_at (tracer, col + 1, row),
    value_at (tracer, col + 1, row + 1), value_at (tracer, col, row + 1),
  };
  const int *pairs;
  guint index = 0;

  for (guint k = 0; k < 4; k++)
    {
      if (!isfinite (corners[k]))
        return;
      index |= (corners[k] > tracer->level) << k;
    }

  /* A saddle whose centre lies above the level joins its two high
   * corners, which is the other saddle's segments. */
  if ((index == 5 || index == 10) &&
      (corners[0] + corners[1] + corners[2] + corners[3]) / 4.0 > tracer->level)
    index = 15 - index;

  pairs = cell_segments[index];
  for (guint p = 0; p < 4 && pairs[p] >= 0; p += 2)
    add_segment (tracer, col, row, pairs[p], pairs[p + 1]);
}

/* The segment other than @from that ends on @edge, or −1. */
static int
next_segment (const Tracer *tracer,
              guint         edge,
              int           from)
{
  int candidate = tracer->first[edge] == from ? tracer->second[edge] : tracer->first[edge];

  if (candidate < 0 || g_array_index (tracer->segments, Segment, candidate).used)
    return -1;

  return candidate;
}

/* Follows the chain from the end of @start at @edge, appending points;
 * returns the edge where the chain stops. */
static guint
follow_chain (Tracer *tracer,
              int     start,
              guint   edge,
              GArray *points)
{
  int current = start;

  for (;;)
    {
      int next = next_segment (tracer, edge, current);
      Segment *segment;
      guint far;

      if (next < 0)
        return edge;

      segment = &g_array_index (tracer->segments, Segment, next);
      segment->used = TRUE;
      far = segment->edge[0] == edge ? 1 : 0;
      g_array_append_vals (points, &segment->point[2 * far], 2);
      edge = segment->edge[far];
      current = next;
    }
}

static void
reverse_points (GArray *points)
{
  guint n = points->len / 2;

  for (guint i = 0; i < n / 2; i++)
    for (guint k = 0; k < 2; k++)
      {
        double *a = &g_array_index (points, double, 2 * i + k);
        double *b = &g_array_index (points, double, 2 * (n - 1 - i) + k);
        double swap = *a;

        *a = *b;
        *b = swap;
      }
}

static BasinContourLine *
trace_line (Tracer *tracer,
            int     start)
{
  Segment *segment = &g_array_index (tracer->segments, Segment, start);
  BasinContourLine *line = g_new0 (BasinContourLine, 1);
  g_autoptr(GArray) backward = g_array_new (FALSE, FALSE, sizeof (double));
  guint end;

  segment->used = TRUE;
  line->level = tracer->level;
  line->points = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_vals (line->points, segment->point, 4);

  end = follow_chain (tracer, start, segment->edge[1], line->points);
  if (end == segment->edge[0])
    {
      line->closed = TRUE;
      return line;
    }

  /* Extend from the other end, then put those points in front. */
  follow_chain (tracer, start, segment->edge[0], backward);
  reverse_points (backward);
  g_array_prepend_vals (line->points, backward->data, backward->len);

  return line;
}

/**
 * basin_contour_lines:
 * @values: @n_rows × @n_cols samples, row-major, row 0 at @y[0]; cells
 *   with a non-finite corner are skipped
 * @n_cols: samples along x, at least 2
 * @n_rows: samples along y, at least 2
 * @x: (array length=n_cols): coordinate of each column, increasing
 * @y: (array length=n_rows): coordinate of each row, increasing
 * @level: the contour level
 *
 * Traces the lines where the linear interpolation of @values between
 * neighbouring samples equals @level.
 *
 * Returns: (transfer full) (element-type BasinContourLine): the lines, in
 *   the coordinates of @x and @y
 */
GPtrArray *
basin_contour_lines (const double *values,
                     guint         n_cols,
                     guint         n_rows,
                     const double *x,
                     const double *y,
                     double        level)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (basin_contour_line_free);
  gsize n_edges = 2 * (gsize) n_cols * n_rows;
  Tracer tracer = { values, x, y, n_cols, n_rows, level };

  if (n_cols < 2 || n_rows < 2 || !isfinite (level))
    return lines;

  tracer.segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  tracer.first = g_new (int, n_edges);
  tracer.second = g_new (int, n_edges);
  for (gsize i = 0; i < n_edges; i++)
    tracer.first[i] = tracer.second[i] = -1;

  for (guint row = 0; row + 1 < n_rows; row++)
    for (guint col = 0; col + 1 < n_cols; col++)
      contour_cell (&tracer, col, row);

  for (guint s = 0; s < tracer.segments->len; s++)
    if (!g_array_index (tracer.segments, Segment, s).used)
      g_ptr_array_add (lines, trace_line (&tracer, (int) s));

  g_array_unref (tracer.segments);
  g_free (tracer.first);
  g_free (tracer.second);

  return lines;
}

static gboolean
strictly_inside (double value,
                 double min,
                 double max)
{
  double margin = 1e-9 * (max - min);

  return value > min + margin && value < max - margin;
}

/* Writes the multiples of @step strictly inside (@min, @max) to @levels
 * if not %NULL; returns how many there are. */
static guint
step_multiples (double  min,
                double  max,
                double  step,
                double *levels,
                guint   max_levels)
{
  double first = ceil (min / step);
  guint n = 0;

  for (double k = first; k * step < max; k++)
    {
      double value = k * step;

      if (!strictly_inside (value, min, max))
        continue;
      if (levels != NULL && n < max_levels)
        levels[n] = k == 0.0 ? 0.0 : value;
      n++;
    }

  return levels != NULL ? MIN (n, max_levels) : n;
}

/* Multiples of the round step whose count is nearest @target, over the
 * round steps near (@max − @min) / @target. */
static guint
linear_levels (double  min,
               double  max,
               guint   target,
               double *levels,
               guint   max_levels)
{
  double best_step = basin_nice_step ((max - min) / target);
  guint best = step_multiples (min, max, best_step, NULL, 0);

  for (guint divisions = 2; divisions <= 3 * target; divisions++)
    {
      double step = basin_nice_step ((max - min) / divisions);
      guint n = step_multiples (min, max, step, NULL, 0);

      if (abs ((int) n - (int) target) < abs ((int) best - (int) target))
        {
          best = n;
          best_step = step;
        }
    }

  return step_multiples (min, max, best_step, levels, max_levels);
}

/* Writes the round values m · 10^k of mantissa set @set strictly inside
 * (@min, @max) to @levels if not %NULL; returns how many there are. */
static guint
log_set_levels (double  min,
                double  max,
                guint   set,
                double *levels,
                guint   max_levels)
{
  guint n_all = basin_log_values (min, max, set, NULL, 0);
  g_autofree double *all = g_new (double, MAX (n_all, 1));
  guint n = 0;

  basin_log_values (min, max, set, all, n_all);
  for (guint i = 0; i < n_all; i++)
    {
      if (!strictly_inside (log10 (all[i]), log10 (min), log10 (max)))
        continue;
      if (levels != NULL && n < max_levels)
        levels[n] = all[i];
      n++;
    }

  return levels != NULL ? MIN (n, max_levels) : n;
}

/* Round values m · 10^k strictly inside (@min, @max) from the mantissa
 * set whose count is nearest @target, the sparser set on a tie. */
static guint
log_levels (double  min,
            double  max,
            guint   target,
            double *levels,
            guint   max_levels)
{
  guint best_set = 0;
  guint best = log_set_levels (min, max, 0, NULL, 0);

  for (guint set = 1; set < basin_log_value_sets (); set++)
    {
      guint count = log_set_levels (min, max, set, NULL, 0);

      if (abs ((int) count - (int) target) < abs ((int) best - (int) target))
        {
          best = count;
          best_set = set;
        }
    }

  return log_set_levels (min, max, best_set, levels, max_levels);
}

/**
 * basin_contour_levels:
 * @min: smallest value of the data
 * @max: largest value of the data
 * @log: space the levels evenly on a logarithmic scale (needs @min > 0)
 * @target: about how many levels to make
 * @levels: (out caller-allocates) (array length=max_levels): the levels,
 *   increasing
 * @max_levels: room in @levels
 *
 * Picks contour levels at round values strictly between @min and @max:
 * multiples of 1, 2, 2.5 or 5 times a power of ten, or on a logarithmic
 * scale 1, 2, 5 (or denser mantissas) times powers of ten.  A logarithmic
 * range too short for half of @target such values gets linear levels.
 *
 * Returns: the number of levels written
 */
guint
basin_contour_levels (double    min,
                      double    max,
                      gboolean  log,
                      guint     target,
                      double   *levels,
                      guint     max_levels)
{
  guint n;

  if (!isfinite (min) || !isfinite (max) || !(max > min) || target == 0 || max_levels == 0)
    return 0;

  if (!log || min <= 0.0)
    return linear_levels (min, max, target, levels, max_levels);

  n = log_levels (min, max, target, levels, max_levels);
  if (2 * n < target)
    n = linear_levels (min, max, target, levels, max_levels);

  return n;
}
