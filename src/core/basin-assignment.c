/* basin-assignment.c: exact linear assignment by shortest augmenting paths.
 *
 * The solver follows the Jonker–Volgenant scheme as described by Crouse,
 * "On implementing 2D rectangular assignment algorithms" (IEEE TAES, 2016).
 * Rows are assigned one at a time along a shortest path in the reduced
 * costs, found with Dijkstra's method.  The dual variables are then updated
 * so that reduced costs stay non-negative.  It is O(n²·m) for n rows and
 * m ≥ n columns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-error.h"
#include "basin-matching.h"

typedef struct {
  const double *cost;    /* n_rows × n_cols, minimized */
  guint         n_rows;
  guint         n_cols;
  double       *u;       /* row duals */
  double       *v;       /* column duals */
  double       *shortest;
  gint         *path;
  gint         *col_for_row;
  gint         *row_for_col;
  guint        *remaining;
  guint8       *row_seen;
  guint8       *col_seen;
} Solver;

/* Runs Dijkstra from @start_row over the reduced costs until it reaches an
 * unassigned column.  Returns that column and the path length in @min_out,
 * or -1 if every reachable cost is infinite. */
static gint
find_augmenting_path (Solver *s,
                      guint   start_row,
                      double *min_out)
{
  guint n_remaining = s->n_cols;
  double min_value = 0.0;
  guint row = start_row;
  gint sink = -1;

  for (guint k = 0; k < s->n_cols; k++)
    {
      s->remaining[k] = s->n_cols - k - 1;
      s->shortest[k] = INFINITY;
    }
  memset (s->row_seen, 0, s->n_rows);
  memset (s->col_seen, 0, s->n_cols);

  while (sink < 0)
    {
      const double *cost_row = s->cost + (gsize) row * s->n_cols;
      const double base = min_value - s->u[row];
      double lowest = INFINITY;
      gint best = -1;
      guint column;

      s->row_seen[row] = 1;
      for (guint k = 0; k < n_remaining; k++)
        {
          guint j = s->remaining[k];
          double reduced = base + cost_row[j] - s->v[j];
          double shortest = s->shortest[j];

          if (reduced < shortest)
            {
              s->path[j] = row;
              s->shortest[j] = shortest = reduced;
            }
          /* Prefer a free column on ties: it ends the search earlier. */
          if (shortest < lowest || (shortest == lowest && s->row_for_col[j] < 0))
            {
              lowest = shortest;
              best = k;
            }
        }

      if (best < 0 || !isfinite (lowest))
        return -1;

      min_value = lowest;
      column = s->remaining[best];
      if (s->row_for_col[column] < 0)
        sink = column;
      else
        row = s->row_for_col[column];

      s->col_seen[column] = 1;
      s->remaining[best] = s->remaining[--n_remaining];
    }

  *min_out = min_value;
  return sink;
}

static void
update_duals_and_augment (Solver *s,
                          guint   start_row,
                          gint    sink,
                          double  min_value)
{
  gint column = sink;

  s->u[start_row] += min_value;
  for (guint i = 0; i < s->n_rows; i++)
    if (s->row_seen[i] && i != start_row)
      s->u[i] += min_value - s->shortest[s->col_for_row[i]];
  for (guint j = 0; j < s->n_cols; j++)
    if (s->col_seen[j])
      s->v[j] -= min_value - s->shortest[j];

  for (;;)
    {
      gint row = s->path[column];
      gint previous = s->col_for_row[row];

      s->row_for_col[column] = row;
      s->col_for_row[row] = column;
      if ((guint) row == start_row)
        break;
      column = previous;
    }
}

static gboolean
solve_min (const double *cost,
           guint         n_rows,
           guint         n_cols,
           gint         *col_for_row)
{
  Solver s = { cost, n_rows, n_cols };
  gboolean ok = TRUE;

  s.u = g_new0 (double, n_rows);
  s.v = g_new0 (double, n_cols);
  s.shortest = g_new (double, n_cols);
  s.path = g_new (gint, n_cols);
  s.col_for_row = col_for_row;
  s.row_for_col = g_new (gint, n_cols);
  s.remaining = g_new (guint, n_cols);
  s.row_seen = g_new (guint8, n_rows);
  s.col_seen = g_new (guint8, n_cols);

  for (guint i = 0; i < n_rows; i++)
    col_for_row[i] = -1;
  for (guint j = 0; j < n_cols; j++)
    s.row_for_col[j] = -1;

  for (guint row = 0; row < n_rows && ok; row++)
    {
      double min_value = 0.0;
      gint sink = find_augmenting_path (&s, row, &min_value);

      if (sink < 0)
        ok = FALSE;
      else
        update_duals_and_augment (&s, row, sink, min_value);
    }

  g_free (s.u);
  g_free (s.v);
  g_free (s.shortest);
  g_free (s.path);
  g_free (s.row_for_col);
  g_free (s.remaining);
  g_free (s.row_seen);
  g_free (s.col_seen);
  return ok;
}

/* Returns a copy of @cost, transposed if @transpose and negated if
 * @negate, so the solver always minimizes over rows ≤ columns. */
static double *
prepare_cost (const double *cost,
              guint         n_rows,
              guint         n_cols,
              gboolean      transpose,
              gboolean      negate)
{
  double *out = g_new (double, (gsize) n_rows * n_cols);
  double sign = negate ? -1.0 : 1.0;

  for (guint i = 0; i < n_rows; i++)
    for (guint j = 0; j < n_cols; j++)
      {
        double value = sign * cost[(gsize) i * n_cols + j];

        if (transpose)
          out[(gsize) j * n_rows + i] = value;
        else
          out[(gsize) i * n_cols + j] = value;
      }

  return out;
}

/**
 * basin_linear_assignment:
 * @cost: @n_rows × @n_cols finite costs, row-major
 * @n_rows: number of rows
 * @n_cols: number of columns
 * @maximize: maximize the total instead of minimizing it
 * @assignment: (out caller-allocates): @n_rows entries; row `i` gets column
 *   `assignment[i]`, or %G_MAXUINT32 when @n_rows > @n_cols and row `i`
 *   stays unassigned
 * @error: return location for a #GError
 *
 * Solves the linear assignment problem exactly: each row gets a distinct
 * column (or each column a distinct row, if there are more rows) so that
 * the sum of the chosen entries is minimal, or maximal.
 *
 * Returns: the optimal total, or NAN with @error set if @cost contains NaN
 *   or an infinite value
 */
double
basin_linear_assignment (const double *cost,
                         guint         n_rows,
                         guint         n_cols,
                         gboolean      maximize,
                         guint32      *assignment,
                         GError      **error)
{
  gboolean transpose = n_rows > n_cols;
  guint rows = transpose ? n_cols : n_rows, cols = transpose ? n_rows : n_cols;
  g_autofree double *work = NULL;
  g_autofree gint *col_for_row = NULL;
  double total = 0.0;

  for (gsize k = 0; k < (gsize) n_rows * n_cols; k++)
    if (!isfinite (cost[k]))
      {
        g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                     _("Cost matrix entry (%zu, %zu"
                       ") is %g; every cost must be finite."),
                     k / MAX (n_cols, 1), k % MAX (n_cols, 1), cost[k]);
        return NAN;
      }

  for (guint i = 0; i < n_rows; i++)
    assignment[i] = G_MAXUINT32;
  if (n_rows == 0 || n_cols == 0)
    return 0.0;

  /* Copy only when the solver needs another layout or sign. */
  if (transpose || maximize)
    work = prepare_cost (cost, n_rows, n_cols, transpose, maximize);
  col_for_row = g_new (gint, rows);
  if (!solve_min (work != NULL ? work : cost, rows, cols, col_for_row))
    g_assert_not_reached ();  /* finite costs always admit an assignment */

  for (guint r = 0; r < rows; r++)
    {
      guint i = transpose ? (guint) col_for_row[r] : r;
      guint j = transpose ? r : (guint) col_for_row[r];

      assignment[i] = j;
      total += cost[(gsize) i * n_cols + j];
    }

  return total;
}
