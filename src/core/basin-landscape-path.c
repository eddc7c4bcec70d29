/* basin-landscape-path.c: merge paths over any λ range containing [0, 1].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-landscape-private.h"

#define MAX_ABS_LAMBDA 10.0

/**
 * basin_path_options_init_default:
 * @options: (out caller-allocates): the options to fill
 *
 * Sets 25 points on [0, 1], 10,000 training samples, the whole test set
 * and subset seed 1.
 */
void
basin_path_options_init_default (BasinPathOptions *options)
{
  options->lambda_min = 0.0;
  options->lambda_max = 1.0;
  options->n_points = 25;
  options->train_samples = BASIN_DEFAULT_EVAL_SAMPLES;
  options->test_samples = 0;
  options->subset_seed = BASIN_DEFAULT_SUBSET_SEED;
}

/**
 * basin_path_options_validate:
 * @options: the options
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the range contains [0, 1], lies within ±10, and the
 *   number of points is in range
 */
gboolean
basin_path_options_validate (const BasinPathOptions *options,
                             GError                **error)
{
  if (!(options->lambda_min <= 0.0 && options->lambda_min >= -MAX_ABS_LAMBDA
        && options->lambda_max >= 1.0 && options->lambda_max <= MAX_ABS_LAMBDA))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("The λ range [%g, %g] is invalid: it must contain [0, 1] "
                     "and lie within [−%g, %g]."),
                   options->lambda_min, options->lambda_max, MAX_ABS_LAMBDA, MAX_ABS_LAMBDA);
      return FALSE;
    }
  if (options->n_points < 2 || options->n_points > BASIN_PATH_MAX_POINTS)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("%u points on a merge path is out of range: use 2 to %u."),
                   options->n_points, BASIN_PATH_MAX_POINTS);
      return FALSE;
    }
  return TRUE;
}

/* Puts @value on the grid: moves the nearest grid value onto it when that
 * is closer than a millionth of the spacing, and inserts it otherwise. */
static void
grid_include (GArray *grid,
              double  value,
              double  spacing)
{
  guint position = 0;

  for (guint i = 0; i < grid->len; i++)
    {
      double *lambda = &g_array_index (grid, double, i);

      if (fabs (*lambda - value) <= 1e-6 * spacing)
        {
          *lambda = value;
          return;
        }
      if (*lambda < value)
        position = i + 1;
    }
  g_array_insert_val (grid, position, value);
}

static guint
grid_find (GArray *grid,
           double  value)
{
  for (guint i = 0; i < grid->len; i++)
    if (g_array_index (grid, double, i) == value)
      return i;
  g_return_val_if_reached (0);
}

/* Returns the λ values of the path: @n_points evenly spaced ones with 0,
 * ½ and 1 included exactly. */
static GArray *
lambda_grid (const BasinPathOptions *options)
{
  double span = options->lambda_max - options->lambda_min;
  double spacing = span / (options->n_points - 1);
  GArray *grid = g_array_sized_new (FALSE, FALSE, sizeof (double), options->n_points + 3);

  for (guint i = 0; i < options->n_points; i++)
    {
      double lambda = i + 1 == options->n_points
                      ? options->lambda_max
                      : options->lambda_min + span * i / (options->n_points - 1);

      g_array_append_val (grid, lambda);
    }
  grid_include (grid, 0.0, spacing);
  grid_include (grid, 0.5, spacing);
  grid_include (grid, 1.0, spacing);
  return grid;
}

static BasinPath *
path_alloc (const char *alignment,
            GArray     *grid)
{
  BasinPath *path = g_new0 (BasinPath, 1);
  guint n = grid->len;

  path->alignment = g_strdup (alignment);
  path->n_points = n;
  path->lambda = g_memdup2 (grid->data, n * sizeof (double));
  path->train_loss = g_new (double, n);
  path->train_accuracy = g_new (double, n);
  path->test_loss = g_new (double, n);
  path->test_accuracy = g_new (double, n);
  for (guint i = 0; i < n; i++)
    path->train_loss[i] = path->train_accuracy[i] = NAN;
  return path;
}

/* Evaluates every λ of @path on a subset of @dataset, for which the
 * evaluator needs the coefficients (1 − λ, λ) of the two runs. */
static gboolean
evaluate_path_on (BasinMlp *const    *anchors,
                  const BasinPath    *path,
                  const BasinDataset *dataset,
                  const guint32      *rows,
                  guint               n_rows,
                  double             *loss,
                  double             *accuracy,
                  BasinEvalMonitor   *monitor,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autofree double *coefficients = g_new (double, 2 * (gsize) path->n_points);
  g_autofree gboolean *finished = g_new (gboolean, path->n_points);
  BasinPointEvaluator *evaluator;
  gboolean ok;

  for (guint i = 0; i < path->n_points; i++)
    {
      coefficients[2 * i] = 1.0 - path->lambda[i];
      coefficients[2 * i + 1] = path->lambda[i];
    }

  evaluator = basin_point_evaluator_new (anchors, 2, dataset, rows, n_rows,
                                         MIN (g_get_num_processors (), path->n_points));
  ok = basin_point_evaluator_run (evaluator, coefficients, path->n_points, loss, accuracy,
                                  finished, cancellable, basin_eval_monitor_report, monitor,
                                  error);
  basin_point_evaluator_free (evaluator);
  monitor->done_before += (guint64) path->n_points * n_rows;
  return ok;
}

/* Fills the barriers and midpoint values of @result from its curves.  Only
 * λ in [0, 1] enters the barriers, with the chord through the values at
 * λ = 0 and λ = 1, so extending the range never changes them. */
static void
path_finish (BasinPathResult *result)
{
  BasinPath *path = result->path;
  guint s = result->index_start, n = result->index_end - result->index_start + 1;
  guint mid = result->index_midpoint;

  path->loss_barrier = basin_loss_barrier (path->lambda + s, path->test_loss + s, n);
  path->accuracy_barrier = basin_accuracy_barrier (path->lambda + s, path->test_accuracy + s, n);
  path->train_loss_barrier = basin_loss_barrier (path->lambda + s, path->train_loss + s, n);
  path->train_accuracy_barrier = basin_accuracy_barrier (path->lambda + s,
                                                         path->train_accuracy + s, n);
  if (isnan (path->train_loss[s]))
    path->train_loss_barrier = path->train_accuracy_barrier = NAN;

  result->midpoint_train_loss = path->train_loss[mid];
  result->midpoint_train_accuracy = path->train_accuracy[mid];
  result->midpoint_test_loss = path->test_loss[mid];
  result->midpoint_test_accuracy = path->test_accuracy[mid];
}

static BasinPathResult *
path_result_new (const char             *alignment,
                 const BasinPathOptions *options)
{
  BasinPathResult *result = g_new0 (BasinPathResult, 1);
  g_autoptr (GArray) grid = lambda_grid (options);

  result->path = path_alloc (alignment, grid);
  result->lambda_min = options->lambda_min;
  result->lambda_max = options->lambda_max;
  result->index_start = grid_find (grid, 0.0);
  result->index_midpoint = grid_find (grid, 0.5);
  result->index_end = grid_find (grid, 1.0);
  result->subset_seed = options->subset_seed;
  return result;
}

/**
 * basin_path_evaluate_full:
 * @a: run A (λ = 0)
 * @b: run B or its aligned copy (λ = 1), of the same structure as @a
 * @alignment: label stored in the path: "none", "activation" or "weight"
 * @train: (nullable): training samples, or %NULL to skip them
 * @test: test samples
 * @options: range, points and subsets
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback, with the time left in its
 *   stage text
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Evaluates loss and accuracy along `θ(λ) = (1 − λ) θ_A + λ θ_B` on the
 * training and test subsets, then the barriers of the path and its values
 * at λ = ½.  Both runs are interpolated in effective-weight form; for two
 * runs that share their fixed parts that is the same as interpolating the
 * trainable weights.  The points are evaluated on all processors.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL on error or
 *   cancellation
 */
BasinPathResult *
basin_path_evaluate_full (const BasinMlp         *a,
                          const BasinMlp         *b,
                          const char             *alignment,
                          const BasinDataset     *train,
                          const BasinDataset     *test,
                          const BasinPathOptions *options,
                          GCancellable           *cancellable,
                          BasinProgressFunc       progress,
                          gpointer                user_data,
                          GError                **error)
{
  BasinMlp *anchors[2] = { basin_mlp_to_effective (a), basin_mlp_to_effective (b) };
  g_autoptr (BasinPathResult) result = NULL;
  g_autofree guint32 *train_rows = NULL;
  g_autofree guint32 *test_rows = NULL;
  BasinEvalMonitor monitor = { progress, user_data, g_get_monotonic_time () };
  gboolean ok = FALSE;
  BasinPath *path;

  g_return_val_if_fail (test != NULL && options != NULL, NULL);

  if (!basin_path_options_validate (options, error)
      || !basin_check_anchors (anchors, 2, error)
      || (train != NULL && !basin_check_eval_dataset (train, anchors[0], error))
      || !basin_check_eval_dataset (test, anchors[0], error))
    goto out;

  result = path_result_new (alignment, options);
  path = result->path;
  test_rows = basin_sample_rows (test->n_samples, options->test_samples,
                                 options->subset_seed + 1, &path->n_test);
  result->test_available = test->n_samples;
  monitor.total = (guint64) path->n_points * path->n_test;
  if (train != NULL)
    {
      train_rows = basin_sample_rows (train->n_samples, options->train_samples,
                                      options->subset_seed, &path->n_train);
      result->train_available = train->n_samples;
      monitor.total += (guint64) path->n_points * path->n_train;
    }

  ok = (train == NULL
        || evaluate_path_on (anchors, path, train, train_rows, path->n_train,
                             path->train_loss, path->train_accuracy, &monitor,
                             cancellable, error))
       && evaluate_path_on (anchors, path, test, test_rows, path->n_test,
                            path->test_loss, path->test_accuracy, &monitor,
                            cancellable, error);
  if (ok)
    path_finish (result);

out:
  basin_mlp_free (anchors[0]);
  basin_mlp_free (anchors[1]);
  return ok ? g_steal_pointer (&result) : NULL;
}

void
basin_path_result_free (BasinPathResult *result)
{
  if (result == NULL)
    return;

  basin_path_free (result->path);
  g_free (result);
}

