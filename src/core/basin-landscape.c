/* basin-landscape.c: progressive loss landscapes over a plane.
 *
 * The grid is evaluated coarse to fine with the evaluator in
 * basin-landscape-eval.c, which computes the first layer once per block of
 * samples instead of once per grid point.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-landscape-private.h"

#define MAX_STRIDE 16
#define MAX_WORKERS 64

/**
 * basin_landscape_options_init_default:
 * @options: (out caller-allocates): the options to fill
 *
 * Sets a 21 × 21 grid, a margin of 0.25, a radius of 1, 10,000 samples
 * with subset seed 1, a coarse stride of 4 and one worker per processor.
 */
void
basin_landscape_options_init_default (BasinLandscapeOptions *options)
{
  memset (options, 0, sizeof *options);
  options->n_x = 21;
  options->n_y = 21;
  options->margin = 0.25;
  options->radius = 1.0;
  options->n_samples = BASIN_DEFAULT_EVAL_SAMPLES;
  options->subset_seed = BASIN_DEFAULT_SUBSET_SEED;
  options->coarse_stride = 4;
  options->n_workers = 0;
}

static gboolean
check_extent (const BasinLandscapeOptions *o,
              GError                     **error)
{
  if (!o->fixed_extent)
    return TRUE;
  if (isfinite (o->x_min) && isfinite (o->x_max) && isfinite (o->y_min)
      && isfinite (o->y_max) && o->x_min < o->x_max && o->y_min < o->y_max)
    return TRUE;

  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
               _("The extent [%g, %g] × [%g, %g] is invalid: give finite bounds "
                 "with the minimum below the maximum on both axes."),
               o->x_min, o->x_max, o->y_min, o->y_max);
  return FALSE;
}

static gboolean
check_grid (const BasinLandscapeOptions *options,
            GError                     **error)
{
  guint n_x = options->n_x, n_y = options->n_y;

  if (n_x >= 2 && n_y >= 2 && n_x <= BASIN_LANDSCAPE_MAX_RESOLUTION
      && n_y <= BASIN_LANDSCAPE_MAX_RESOLUTION)
    return TRUE;

  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
               _("A %u × %u grid is out of range: use 2 to %u points per axis."),
               n_x, n_y, BASIN_LANDSCAPE_MAX_RESOLUTION);
  return FALSE;
}

/**
 * basin_landscape_options_validate:
 * @options: the options
 * @error: return location for a #GError
 *
 * Returns: %TRUE if every setting is in its range
 */
gboolean
basin_landscape_options_validate (const BasinLandscapeOptions *options,
                                  GError                     **error)
{
  guint stride = options->coarse_stride;

  if (!check_grid (options, error))
    return FALSE;
  if (!(options->margin >= 0.0 && options->margin <= 10.0))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Margin %g is out of range: use 0 to 10."), options->margin);
      return FALSE;
    }
  if (!(options->radius > 0.0 && options->radius <= 1000.0))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Radius %g is out of range: use a value above 0 and at most 1000."),
                   options->radius);
      return FALSE;
    }
  if (stride < 1 || stride > MAX_STRIDE || (stride & (stride - 1)) != 0)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Coarse stride %u is invalid: use 1, 2, 4, 8 or 16."), stride);
      return FALSE;
    }
  if (options->n_workers > MAX_WORKERS)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("%u worker threads is out of range: use 0 (one per processor) to %u."),
                   options->n_workers, MAX_WORKERS);
      return FALSE;
    }
  return check_extent (options, error);
}

/* Sets the extent: the given one, the square of the radius around the
 * model, or the models' bounding box widened by the margin times its
 * larger side on every side, so both axes keep one scale. */
static void
landscape_set_extent (BasinLandscape              *landscape,
                      const BasinPlane            *plane,
                      const BasinLandscapeOptions *o)
{
  double x_lo = 0.0, x_hi = 0.0, y_lo = 0.0, y_hi = 0.0, pad;

  if (o->fixed_extent)
    {
      landscape->x_min = o->x_min;
      landscape->x_max = o->x_max;
      landscape->y_min = o->y_min;
      landscape->y_max = o->y_max;
      return;
    }

  for (guint i = 0; i < plane->n_models; i++)
    {
      x_lo = MIN (x_lo, plane->model_x[i]);
      x_hi = MAX (x_hi, plane->model_x[i]);
      y_lo = MIN (y_lo, plane->model_y[i]);
      y_hi = MAX (y_hi, plane->model_y[i]);
    }
  pad = plane->kind == BASIN_PLANE_RANDOM
        ? o->radius
        : o->margin * MAX (x_hi - x_lo, y_hi - y_lo);
  if (!(pad > 0.0))
    pad = 1.0;

  landscape->x_min = x_lo - pad;
  landscape->x_max = x_hi + pad;
  landscape->y_min = y_lo - pad;
  landscape->y_max = y_hi + pad;
}

static double *
grid_axis (double lo,
           double hi,
           guint  n)
{
  double *axis = g_new (double, n);

  for (guint i = 0; i < n; i++)
    axis[i] = i + 1 == n ? hi : lo + (hi - lo) * i / (n - 1);
  return axis;
}

static void
landscape_add_markers (BasinLandscape   *landscape,
                       const BasinPlane *plane)
{
  landscape->n_markers = plane->n_models;
  landscape->markers = g_new0 (BasinLandscapeMarker, plane->n_models);
  for (guint i = 0; i < plane->n_models; i++)
    {
      BasinLandscapeMarker *m = &landscape->markers[i];

      m->label = g_strdup (plane->model_labels[i]);
      m->x = plane->model_x[i];
      m->y = plane->model_y[i];
      m->loss = m->accuracy = NAN;
    }

  if (plane->kind != BASIN_PLANE_MODELS)
    return;

  landscape->n_segments = 2;
  landscape->segments = g_new0 (BasinLandscapeSegment, 2);
  landscape->segments[0] = (BasinLandscapeSegment) { g_strdup (_("Unaligned path")), 0, 1 };
  landscape->segments[1] = (BasinLandscapeSegment) { g_strdup (_("Aligned path")), 0, 2 };
}

static guint
count_levels (guint stride)
{
  guint n = 1;

  while (stride > 1)
    {
      stride /= 2;
      n++;
    }
  return n;
}

/**
 * basin_landscape_new:
 * @plane: the plane
 * @dataset: the samples to evaluate on, training or test data
 * @options: grid, extent, subset and threads
 * @error: return location for a #GError
 *
 * Sets up the grid over @plane, with every value NaN, and draws the
 * evaluation subset of @dataset once, so that all levels and a resumed
 * evaluation use the same samples.
 *
 * Returns: (transfer full) (nullable): the empty landscape, or %NULL if
 *   @options or @dataset are invalid
 */
BasinLandscape *
basin_landscape_new (const BasinPlane            *plane,
                     const BasinDataset          *dataset,
                     const BasinLandscapeOptions *options,
                     GError                     **error)
{
  BasinLandscape *landscape;
  gsize n_grid;

  if (!basin_landscape_options_validate (options, error)
      || !basin_check_eval_dataset (dataset, plane->anchors[0], error))
    return NULL;

  landscape = g_new0 (BasinLandscape, 1);
  landscape->kind = plane->kind;
  landscape->x_label = g_strdup (plane->x_label);
  landscape->y_label = g_strdup (plane->y_label);
  landscape->equal_aspect = plane->kind == BASIN_PLANE_MODELS;
  landscape->n_x = options->n_x;
  landscape->n_y = options->n_y;
  landscape_set_extent (landscape, plane, options);
  landscape->x = grid_axis (landscape->x_min, landscape->x_max, options->n_x);
  landscape->y = grid_axis (landscape->y_min, landscape->y_max, options->n_y);

  n_grid = (gsize) options->n_x * options->n_y;
  landscape->loss = g_new (double, n_grid);
  landscape->accuracy = g_new (double, n_grid);
  for (gsize i = 0; i < n_grid; i++)
    landscape->loss[i] = landscape->accuracy[i] = NAN;
  landscape->level = g_new0 (guint8, n_grid);
  landscape->coarse_stride = options->coarse_stride;
  landscape->n_levels = count_levels (options->coarse_stride);
  landscape->loss_min = landscape->loss_max = NAN;
  landscape_add_markers (landscape, plane);

  landscape->dataset_name = g_strdup (dataset->name);
  landscape->n_available = dataset->n_samples;
  landscape->sample_rows = basin_sample_rows (dataset->n_samples, options->n_samples,
                                              options->subset_seed, &landscape->n_samples);
  landscape->subset_seed = options->subset_seed;
  landscape->n_workers = options->n_workers > 0
                         ? options->n_workers
                         : (guint) MIN (g_get_num_processors (), MAX_WORKERS);
  return landscape;
}

/* Rejects a plane or dataset other than the ones @landscape was set up
 * with, as far as it can tell. */
static gboolean
check_compatible (const BasinLandscape *landscape,
                  const BasinPlane     *plane,
                  const BasinDataset   *dataset,
                  GError              **error)
{
  gboolean same_plane = plane->kind == landscape->kind
                        && plane->n_models == landscape->n_markers;

  for (guint i = 0; same_plane && i < plane->n_models; i++)
    same_plane = plane->model_x[i] == landscape->markers[i].x
                 && plane->model_y[i] == landscape->markers[i].y;
  if (!same_plane)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("The landscape was set up for another plane; create a new "
                     "landscape for this one."));
      return FALSE;
    }
  if (dataset->n_samples != landscape->n_available)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("The landscape was set up for a dataset of %u samples, not %u; "
                     "create a new landscape for this dataset."),
                   landscape->n_available, dataset->n_samples);
      return FALSE;
    }
  return basin_check_eval_dataset (dataset, plane->anchors[0], error);
}

static void
append_coefficients (GArray           *coefficients,
                     const BasinPlane *plane,
                     double            x,
                     double            y)
{
  for (guint k = 0; k < plane->n_anchors; k++)
    {
      double c = plane->coefficients[k][0] + plane->coefficients[k][1] * x
                 + plane->coefficients[k][2] * y;

      g_array_append_val (coefficients, c);
    }
}

/* Collects the points of @level that are not computed yet: grid points on
 * the level's stride as indices into the grid, and on the first level the
 * markers as −1 − marker index. */
static void
collect_level (const BasinLandscape *landscape,
               const BasinPlane     *plane,
               guint                 level,
               GArray               *targets,
               GArray               *coefficients)
{
  guint stride = landscape->coarse_stride >> (level - 1);

  for (guint j = 0; j < landscape->n_y; j += stride)
    for (guint i = 0; i < landscape->n_x; i += stride)
      {
        gint index = (gint) (j * landscape->n_x + i);

        if (landscape->level[index] != 0)
          continue;
        g_array_append_val (targets, index);
        append_coefficients (coefficients, plane, landscape->x[i], landscape->y[j]);
      }

  for (guint m = 0; level == 1 && m < landscape->n_markers; m++)
    {
      gint target = -1 - (gint) m;

      if (landscape->markers[m].computed)
        continue;
      g_array_append_val (targets, target);
      append_coefficients (coefficients, plane, landscape->markers[m].x,
                           landscape->markers[m].y);
    }
}

static guint
count_pending (const BasinLandscape *landscape)
{
  guint pending = 0;

  for (gsize i = 0; i < (gsize) landscape->n_x * landscape->n_y; i++)
    pending += landscape->level[i] == 0;
  for (guint m = 0; m < landscape->n_markers; m++)
    pending += !landscape->markers[m].computed;
  return pending;
}

/* Stores the finished points of a level in the grid and the markers. */
static void
store_level (BasinLandscape *landscape,
             guint           level,
             GArray         *targets,
             const double   *loss,
             const double   *accuracy,
             const gboolean *finished)
{
  for (guint p = 0; p < targets->len; p++)
    {
      gint target = g_array_index (targets, gint, p);

      if (!finished[p])
        continue;
      if (target < 0)
        {
          landscape->markers[-1 - target].loss = loss[p];
          landscape->markers[-1 - target].accuracy = accuracy[p];
          landscape->markers[-1 - target].computed = TRUE;
          continue;
        }
      landscape->loss[target] = loss[p];
      landscape->accuracy[target] = accuracy[p];
      landscape->level[target] = level;
      landscape->n_computed++;
      if (isfinite (loss[p]) && !(landscape->loss_min <= loss[p]))
        landscape->loss_min = loss[p];
      if (isfinite (loss[p]) && !(landscape->loss_max >= loss[p]))
        landscape->loss_max = loss[p];
    }
}

/* Evaluates the pending points of one level.  Returns %FALSE if cancelled;
 * the points that finished before are kept, the others stay NaN. */
static gboolean
evaluate_level (BasinLandscape      *landscape,
                const BasinPlane    *plane,
                BasinPointEvaluator *evaluator,
                guint                level,
                BasinEvalMonitor    *monitor,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autoptr (GArray) targets = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr (GArray) coefficients = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree double *loss = NULL;
  g_autofree double *accuracy = NULL;
  g_autofree gboolean *finished = NULL;
  gboolean ok;

  collect_level (landscape, plane, level, targets, coefficients);
  if (targets->len == 0)
    return TRUE;

  loss = g_new (double, targets->len);
  accuracy = g_new (double, targets->len);
  finished = g_new (gboolean, targets->len);
  monitor->level = level;
  ok = basin_point_evaluator_run (evaluator, (double *) coefficients->data, targets->len,
                                  loss, accuracy, finished, cancellable,
                                  basin_eval_monitor_report, monitor, error);

  monitor->done_before += (guint64) targets->len * landscape->n_samples;
  store_level (landscape, level, targets, loss, accuracy, finished);
  return ok;
}

static void
notify_level (const BasinLandscape   *landscape,
              const BasinEvalMonitor *monitor,
              guint                   level,
              BasinLandscapeFunc      level_done,
              gpointer                level_data)
{
  BasinLandscapeProgress p = { 0 };

  if (level_done == NULL)
    return;

  p.level = level;
  p.n_levels = landscape->n_levels;
  p.n_computed = landscape->n_computed;
  p.n_points = landscape->n_x * landscape->n_y;
  p.elapsed = basin_seconds_since (monitor->start);
  p.remaining = basin_estimate_remaining (p.elapsed, monitor->done_before, monitor->total);
  level_done (landscape, &p, level_data);
}

/**
 * basin_landscape_evaluate:
 * @landscape: a landscape from basin_landscape_new() for @plane and
 *   @dataset, filled in place
 * @plane: the plane
 * @dataset: the dataset given to basin_landscape_new()
 * @level_done: (nullable): called after each level
 * @level_data: data for @level_done
 * @cancellable: (nullable): a #GCancellable, checked after every batch of
 *   256 samples of every worker
 * @progress: (nullable): progress callback, with the level and the time
 *   left in its stage text
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Evaluates the loss and accuracy of the grid points progressively.  The
 * first level computes every `coarse_stride`-th point in both directions
 * and the models themselves.  Each next level halves the stride and fills
 * in the points between, so a figure can show a coarse landscape early.
 * Only points that are not computed yet are evaluated, so a call after a
 * cancellation resumes where it stopped.
 *
 * The first layer's output at every point mixes the products of the three
 * anchors, which are computed once per block of samples.  The points
 * themselves run on `n_workers` threads.
 *
 * Returns: %TRUE when every point is computed; on cancellation %FALSE with
 *   %G_IO_ERROR_CANCELLED, and @landscape keeps every point that finished
 *   before, with NaN at the others
 */
gboolean
basin_landscape_evaluate (BasinLandscape     *landscape,
                          const BasinPlane   *plane,
                          const BasinDataset *dataset,
                          BasinLandscapeFunc  level_done,
                          gpointer            level_data,
                          GCancellable       *cancellable,
                          BasinProgressFunc   progress,
                          gpointer            user_data,
                          GError            **error)
{
  BasinEvalMonitor monitor = { progress, user_data, g_get_monotonic_time () };
  double elapsed_before = landscape->elapsed;
  BasinPointEvaluator *evaluator;
  gboolean ok = TRUE;

  if (!check_compatible (landscape, plane, dataset, error))
    return FALSE;

  monitor.total = (guint64) count_pending (landscape) * landscape->n_samples;
  monitor.n_levels = landscape->n_levels;
  evaluator = basin_point_evaluator_new (plane->anchors, plane->n_anchors, dataset,
                                         landscape->sample_rows, landscape->n_samples,
                                         landscape->n_workers);

  for (guint level = 1; ok && level <= landscape->n_levels; level++)
    {
      guint computed = landscape->n_computed;

      ok = !g_cancellable_set_error_if_cancelled (cancellable, error)
           && evaluate_level (landscape, plane, evaluator, level, &monitor, cancellable, error);
      if (!ok)
        break;

      landscape->levels_done = MAX (landscape->levels_done, level);
      landscape->elapsed = elapsed_before + basin_seconds_since (monitor.start);
      if (landscape->n_computed > computed)
        notify_level (landscape, &monitor, level, level_done, level_data);
    }

  basin_point_evaluator_free (evaluator);
  landscape->elapsed = elapsed_before + basin_seconds_since (monitor.start);
  g_debug ("landscape: %u of %u points after %.2f s%s", landscape->n_computed,
           landscape->n_x * landscape->n_y, landscape->elapsed, ok ? "" : ", stopped");
  return ok;
}

/**
 * basin_landscape_copy:
 * @landscape: the landscape
 *
 * Returns: (transfer full): a deep copy, for example a snapshot to hand to
 *   the main thread while the evaluation goes on
 */
BasinLandscape *
basin_landscape_copy (const BasinLandscape *landscape)
{
  BasinLandscape *copy = g_memdup2 (landscape, sizeof *landscape);
  gsize n_grid = (gsize) landscape->n_x * landscape->n_y;

  copy->x_label = g_strdup (landscape->x_label);
  copy->y_label = g_strdup (landscape->y_label);
  copy->x = g_memdup2 (landscape->x, landscape->n_x * sizeof (double));
  copy->y = g_memdup2 (landscape->y, landscape->n_y * sizeof (double));
  copy->loss = g_memdup2 (landscape->loss, n_grid * sizeof (double));
  copy->accuracy = g_memdup2 (landscape->accuracy, n_grid * sizeof (double));
  copy->level = g_memdup2 (landscape->level, n_grid);
  copy->markers = g_memdup2 (landscape->markers,
                             landscape->n_markers * sizeof (BasinLandscapeMarker));
  for (guint m = 0; m < landscape->n_markers; m++)
    copy->markers[m].label = g_strdup (landscape->markers[m].label);
  copy->segments = g_memdup2 (landscape->segments,
                              landscape->n_segments * sizeof (BasinLandscapeSegment));
  for (guint s = 0; s < landscape->n_segments; s++)
    copy->segments[s].label = g_strdup (landscape->segments[s].label);
  copy->dataset_name = g_strdup (landscape->dataset_name);
  copy->sample_rows = g_memdup2 (landscape->sample_rows,
                                 MAX (landscape->n_available, 1) * sizeof (guint32));
  return copy;
}

void
basin_landscape_free (BasinLandscape *landscape)
{
  if (landscape == NULL)
    return;

  for (guint m = 0; m < landscape->n_markers; m++)
    g_free (landscape->markers[m].label);
  for (guint s = 0; s < landscape->n_segments; s++)
    g_free (landscape->segments[s].label);
  g_free (landscape->markers);
  g_free (landscape->segments);
  g_free (landscape->x_label);
  g_free (landscape->y_label);
  g_free (landscape->x);
  g_free (landscape->y);
  g_free (landscape->loss);
  g_free (landscape->accuracy);
  g_free (landscape->level);
  g_free (landscape->dataset_name);
  g_free (landscape->sample_rows);
  g_free (landscape);
}
