/* test-landscape.c: merge paths over extended ranges, planes in weight space
 * and progressive landscapes, checked against direct evaluations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin/basin.h"
/* The row kernels are private to the core library. */
#include "../../src/core/basin-landscape-private.h"

/* Small networks on two moons that train in a fraction of a second: by
 * default a W-MLP with LayerNorm and GELU, which has fixed parts to fold
 * in. */
static BasinSession *
train_session (BasinVariant variant,
               gboolean     layer_norm_affine)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("moons", &error);
  BasinSession *session;

  g_assert_no_error (error);
  e->n_samples = 400;
  e->train.epochs = 10;
  e->model.variant = variant;
  e->model.layer_norm = TRUE;
  e->model.layer_norm_no_affine = !layer_norm_affine;
  e->model.activation = BASIN_ACTIVATION_GELU;
  e->path_points = 5;
  session = basin_session_new (e, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (basin_session_train (session, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (basin_session_analyse (session, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  basin_experiment_free (e);
  return session;
}

static void
evaluate_model (const BasinMlp     *mlp,
                const BasinDataset *dataset,
                double             *loss,
                double             *accuracy)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (basin_mlp_evaluate (mlp, dataset, loss, accuracy, NULL, &error));
  g_assert_no_error (error);
}

/* Float32 forward passes that differ only in the summation order of their
 * products agree to about 1e-6 relative. */
static void
assert_loss_close (double actual,
                   double expected)
{
  g_assert_cmpfloat_with_epsilon (actual, expected, 1e-5 * (1.0 + fabs (expected)));
}

static BasinPathResult *
evaluate_path (const BasinSession *session,
               const BasinMlp     *b,
               double              lambda_min,
               double              lambda_max,
               guint               n_points)
{
  g_autoptr (GError) error = NULL;
  BasinPathOptions options;
  BasinPathResult *result;

  basin_path_options_init_default (&options);
  options.lambda_min = lambda_min;
  options.lambda_max = lambda_max;
  options.n_points = n_points;
  options.train_samples = 0;
  result = basin_path_evaluate_full (session->runs[0], b, "none", session->train,
                                     session->test, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* On [−0.5, 1.5] with 21 points the spacing is 0.1, so λ = 0, ½ and 1 are
 * grid points 5, 10 and 15; there the path must give the runs' own values. */
static void
test_landscape_path_endpoints (gconstpointer data)
{
  const BasinSession *session = data;
  const BasinMlp *ends[2][2] = { { session->runs[0], session->runs[1] },
                                 { session->runs[0], session->aligned_b } };

  for (guint p = 0; p < G_N_ELEMENTS (ends); p++)
    {
      g_autoptr (BasinPathResult) result = evaluate_path (session, ends[p][1], -0.5, 1.5, 21);
      const BasinPath *path = result->path;
      guint s = result->index_start, e = result->index_end;
      double loss_a, accuracy_a, loss_b, accuracy_b;

      g_assert_cmpuint (path->n_points, ==, 21);
      g_assert_cmpuint (s, ==, 5);
      g_assert_cmpuint (result->index_midpoint, ==, 10);
      g_assert_cmpuint (e, ==, 15);
      g_assert_cmpfloat (path->lambda[s], ==, 0.0);
      g_assert_cmpfloat (path->lambda[e], ==, 1.0);
      g_assert_cmpfloat (path->lambda[0], ==, -0.5);
      g_assert_cmpfloat (path->lambda[20], ==, 1.5);
      g_assert_cmpuint (path->n_test, ==, session->test->n_samples);
      g_assert_cmpuint (path->n_train, ==, session->train->n_samples);

      evaluate_model (ends[p][0], session->test, &loss_a, &accuracy_a);
      evaluate_model (ends[p][1], session->test, &loss_b, &accuracy_b);
      assert_loss_close (path->test_loss[s], loss_a);
      assert_loss_close (path->test_loss[e], loss_b);
      g_assert_cmpfloat (path->test_accuracy[s], ==, accuracy_a);
      g_assert_cmpfloat (path->test_accuracy[e], ==, accuracy_b);

      evaluate_model (ends[p][0], session->train, &loss_a, &accuracy_a);
      evaluate_model (ends[p][1], session->train, &loss_b, &accuracy_b);
      assert_loss_close (path->train_loss[s], loss_a);
      assert_loss_close (path->train_loss[e], loss_b);
      g_assert_cmpfloat (path->train_accuracy[s], ==, accuracy_a);
      g_assert_cmpfloat (path->train_accuracy[e], ==, accuracy_b);

      g_assert_cmpfloat (result->midpoint_test_loss, ==, path->test_loss[10]);
      g_assert_cmpfloat (result->midpoint_train_accuracy, ==, path->train_accuracy[10]);
    }
}

/* Computes the loss barrier by hand: the largest rise above the chord
 * through the values at λ = 0 and λ = 1, over λ in [0, 1] only. */
static double
barrier_by_hand (const BasinPathResult *result)
{
  const BasinPath *path = result->path;
  double start = path->test_loss[result->index_start];
  double end = path->test_loss[result->index_end];
  double barrier = 0.0;

  for (guint i = 0; i < path->n_points; i++)
    {
      double lambda = path->lambda[i];

      if (lambda < 0.0 || lambda > 1.0)
        continue;
      barrier = MAX (barrier, path->test_loss[i] - ((1.0 - lambda) * start + lambda * end));
    }
  return barrier;
}

/* The barrier of an extended path equals that of the plain [0, 1] path
 * with the same spacing, and both agree with basin_path_evaluate(). */
static void
test_landscape_path_barrier_chord (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPathResult) plain = evaluate_path (session, session->runs[1], 0.0, 1.0, 11);
  g_autoptr (BasinPathResult) wide = evaluate_path (session, session->runs[1], -0.5, 1.5, 21);
  BasinMlp *a = basin_mlp_to_effective (session->runs[0]);
  BasinMlp *b = basin_mlp_to_effective (session->runs[1]);
  BasinPath *reference;

  reference = basin_path_evaluate (a, b, "none", session->train, session->test, 11,
                                   NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (plain->path->n_points, ==, 11);
  for (guint i = 0; i < 11; i++)
    {
      g_assert_cmpfloat_with_epsilon (wide->path->lambda[5 + i], plain->path->lambda[i], 1e-12);
      assert_loss_close (wide->path->test_loss[5 + i], plain->path->test_loss[i]);
      assert_loss_close (plain->path->test_loss[i], reference->test_loss[i]);
      assert_loss_close (plain->path->train_loss[i], reference->train_loss[i]);
    }

  g_assert_cmpfloat_with_epsilon (plain->path->loss_barrier, barrier_by_hand (plain), 1e-12);
  g_assert_cmpfloat_with_epsilon (wide->path->loss_barrier, barrier_by_hand (wide), 1e-12);
  assert_loss_close (wide->path->loss_barrier, plain->path->loss_barrier);
  assert_loss_close (plain->path->loss_barrier, reference->loss_barrier);
  g_assert_cmpfloat_with_epsilon (wide->path->accuracy_barrier,
                                  plain->path->accuracy_barrier, 1e-9);
  g_assert_cmpfloat (plain->path->loss_barrier, >, 0.0);

  basin_path_free (reference);
  basin_mlp_free (a);
  basin_mlp_free (b);
}

/* With a spacing of 0.3 from −0.3, λ = 0 lies on the grid while ½ and 1 do
 * not and are inserted. */
static void
test_landscape_path_inserted_points (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (BasinPathResult) result = evaluate_path (session, session->runs[1], -0.3, 1.2, 6);
  const BasinPath *path = result->path;
  double expected[8] = { -0.3, 0.0, 0.3, 0.5, 0.6, 0.9, 1.0, 1.2 };

  g_assert_cmpuint (path->n_points, ==, 8);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpfloat_with_epsilon (path->lambda[i], expected[i], 1e-12);
  g_assert_cmpfloat (path->lambda[result->index_start], ==, 0.0);
  g_assert_cmpfloat (path->lambda[result->index_midpoint], ==, 0.5);
  g_assert_cmpfloat (path->lambda[result->index_end], ==, 1.0);
  g_assert_cmpuint (result->index_start, ==, 1);
  g_assert_cmpuint (result->index_end, ==, 6);
}

static void
test_landscape_path_subsets (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPathResult) result = NULL;
  BasinPathOptions options;

  basin_path_options_init_default (&options);
  options.train_samples = 50;
  options.test_samples = 30;
  result = basin_path_evaluate_full (session->runs[0], session->runs[1], "none",
                                     session->train, session->test, &options,
                                     NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->path->n_points, ==, 25);
  g_assert_cmpuint (result->path->n_train, ==, 50);
  g_assert_cmpuint (result->path->n_test, ==, 30);
  g_assert_cmpuint (result->train_available, ==, session->train->n_samples);
  g_assert_cmpuint (result->test_available, ==, session->test->n_samples);
  g_assert_cmpfloat (result->subset_seed, ==, options.subset_seed);
  g_clear_pointer (&result, basin_path_result_free);

  /* Without training data the training curve and its barriers are NaN. */
  result = basin_path_evaluate_full (session->runs[0], session->runs[1], "none", NULL,
                                     session->test, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (isnan (result->path->train_loss[0]));
  g_assert_true (isnan (result->path->train_loss_barrier));
  g_assert_true (isnan (result->midpoint_train_loss));
  g_assert_false (isnan (result->path->loss_barrier));
}

static double
distance (const BasinMlp *x,
          const BasinMlp *y)
{
  double sum = 0.0;

  for (gsize i = 0; i < x->n_params; i++)
    {
      double d = (double) x->params[i] - y->params[i];
      sum += d * d;
    }
  return sqrt (sum);
}

/* The coordinates of the three models reproduce their pairwise distances,
 * computed here directly in double precision. */
static void
test_landscape_plane_coordinates (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) plane = NULL;
  BasinMlp *a = basin_mlp_to_effective (session->runs[0]);
  BasinMlp *b = basin_mlp_to_effective (session->runs[1]);
  const BasinMlp *c = session->aligned_b;
  double ab = distance (a, b), ac = distance (a, c), bc = distance (b, c);
  double cx, cy;

  plane = basin_plane_new_models (session->runs[0], session->runs[1], c, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plane->n_models, ==, 3);
  g_assert_false (plane->degenerate);
  g_assert_cmpstr (plane->model_labels[2], ==, "π(B)");

  g_assert_cmpfloat (plane->model_x[0], ==, 0.0);
  g_assert_cmpfloat (plane->model_y[0], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (plane->model_x[1], ab, 1e-12 * ab);
  g_assert_cmpfloat (plane->model_y[1], ==, 0.0);

  cx = plane->model_x[2];
  cy = plane->model_y[2];
  g_assert_cmpfloat (cy, >, 0.0);
  g_assert_cmpfloat_with_epsilon (sqrt (cx * cx + cy * cy), ac, 1e-10 * ac);
  g_assert_cmpfloat_with_epsilon (sqrt ((cx - ab) * (cx - ab) + cy * cy), bc, 1e-10 * ac);

  /* The plane's points at those coordinates are the models themselves. */
  {
    BasinMlp *point = basin_mlp_copy (plane->anchors[0]);

    basin_plane_point (plane, plane->model_x[1], plane->model_y[1], point);
    g_assert_cmpfloat (distance (point, b), <=, 1e-6 * ab);
    basin_plane_point (plane, cx, cy, point);
    g_assert_cmpfloat (distance (point, c), <=, 1e-6 * ab);
    basin_mlp_free (point);
  }

  basin_mlp_free (a);
  basin_mlp_free (b);
}

static BasinLandscape *
evaluate_landscape (const BasinPlane   *plane,
                    const BasinDataset *dataset,
                    guint               n_x,
                    guint               n_y,
                    guint               stride,
                    guint               n_workers)
{
  g_autoptr (GError) error = NULL;
  BasinLandscapeOptions options;
  BasinLandscape *landscape;

  basin_landscape_options_init_default (&options);
  options.n_x = n_x;
  options.n_y = n_y;
  options.coarse_stride = stride;
  options.n_workers = n_workers;
  landscape = basin_landscape_new (plane, dataset, &options, &error);
  g_assert_no_error (error);
  g_assert_true (basin_landscape_evaluate (landscape, plane, dataset, NULL, NULL, NULL,
                                           NULL, NULL, &error));
  g_assert_no_error (error);
  return landscape;
}

/* The marked models of the plane give the models' own loss and accuracy. */
static void
test_landscape_plane_model_points (gconstpointer data)
{
  const BasinSession *session = data;
  const BasinMlp *models[3] = { session->runs[0], session->runs[1], session->aligned_b };
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) plane = NULL;
  g_autoptr (BasinLandscape) landscape = NULL;

  plane = basin_plane_new_models (models[0], models[1], models[2], 3, &error);
  g_assert_no_error (error);
  landscape = evaluate_landscape (plane, session->test, 5, 5, 1, 2);

  g_assert_cmpuint (landscape->n_markers, ==, 3);
  g_assert_cmpuint (landscape->n_samples, ==, session->test->n_samples);
  g_assert_cmpuint (landscape->n_computed, ==, 25);
  for (guint m = 0; m < 3; m++)
    {
      double loss, accuracy;

      evaluate_model (models[m], session->test, &loss, &accuracy);
      assert_loss_close (landscape->markers[m].loss, loss);
      g_assert_cmpfloat (landscape->markers[m].accuracy, ==, accuracy);
    }

  g_assert_cmpuint (landscape->n_segments, ==, 2);
  g_assert_cmpuint (landscape->segments[0].end, ==, 1);
  g_assert_cmpuint (landscape->segments[1].end, ==, 2);
  g_assert_true (landscape->equal_aspect);
  /* The grid encloses all three models. */
  for (guint m = 0; m < 3; m++)
    {
      g_assert_cmpfloat (landscape->markers[m].x, >, landscape->x_min);
      g_assert_cmpfloat (landscape->markers[m].x, <, landscape->x_max);
      g_assert_cmpfloat (landscape->markers[m].y, >, landscape->y_min);
      g_assert_cmpfloat (landscape->markers[m].y, <, landscape->y_max);
    }
}

/* Grid values equal a plain forward pass of the network at that point. */
static void
check_grid_against_direct (const BasinPlane     *plane,
                           const BasinLandscape *landscape,
                           const BasinDataset   *dataset)
{
  BasinMlp *point = basin_mlp_copy (plane->anchors[0]);
  guint columns[3] = { 0, landscape->n_x / 2, landscape->n_x - 1 };
  guint rows[3] = { 0, landscape->n_y / 2, landscape->n_y - 1 };

  for (guint j = 0; j < 3; j++)
    for (guint i = 0; i < 3; i++)
      {
        gsize index = (gsize) rows[j] * landscape->n_x + columns[i];
        double loss, accuracy;

        basin_plane_point (plane, landscape->x[columns[i]], landscape->y[rows[j]], point);
        evaluate_model (point, dataset, &loss, &accuracy);
        assert_loss_close (landscape->loss[index], loss);
        g_assert_cmpfloat_with_epsilon (landscape->accuracy[index], accuracy,
                                        1.0 / dataset->n_samples + 1e-12);
      }

  basin_mlp_free (point);
}

static void
test_landscape_grid_matches_direct (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) models = NULL;
  g_autoptr (BasinPlane) random = NULL;
  g_autoptr (BasinLandscape) landscape = NULL;

  models = basin_plane_new_models (session->runs[0], session->runs[1], session->aligned_b, 3,
                                   &error);
  g_assert_no_error (error);
  landscape = evaluate_landscape (models, session->test, 7, 5, 2, 2);
  check_grid_against_direct (models, landscape, session->test);
  g_clear_pointer (&landscape, basin_landscape_free);

  random = basin_plane_new_random (session->runs[0], "A", 11, 12,
                                   BASIN_BIAS_DIRECTION_NORMALIZED, &error);
  g_assert_no_error (error);
  landscape = evaluate_landscape (random, session->train, 5, 5, 4, 2);
  g_assert_false (landscape->equal_aspect);
  g_assert_cmpfloat (landscape->x_min, ==, -1.0);
  g_assert_cmpfloat (landscape->y_max, ==, 1.0);
  check_grid_against_direct (random, landscape, session->train);
}

static void
row_norms_match (const BasinMlp *model,
                 const BasinMlp *effective,
                 const BasinMlp *direction)
{
  for (guint l = 0; l < effective->n_layers; l++)
    {
      const BasinLayer *layer = &effective->layers[l];
      const float *mask = model->layers[l].mask;

      for (guint row = 0; row < layer->out_dim; row++)
        {
          const float *w = basin_mlp_weight (effective, l) + (gsize) row * layer->in_dim;
          const float *d = basin_mlp_weight (direction, l) + (gsize) row * layer->in_dim;
          double w_sq = 0.0, d_sq = 0.0;

          for (guint j = 0; j < layer->in_dim; j++)
            {
              w_sq += (double) w[j] * w[j];
              d_sq += (double) d[j] * d[j];
              if (mask != NULL && mask[(gsize) row * layer->in_dim + j] == 0.0f)
                g_assert_cmpfloat (d[j], ==, 0.0f);
            }
          g_assert_cmpfloat_with_epsilon (sqrt (d_sq), sqrt (w_sq), 1e-5 * sqrt (w_sq));
        }
    }
}

static double
vector_norm (const float *v,
             guint        n)
{
  double sum = 0.0;

  for (guint i = 0; i < n; i++)
    sum += (double) v[i] * v[i];
  return sqrt (sum);
}

/* Every neuron's row of a direction has the norm of that neuron's row of
 * the model.  Frozen entries and, by default, biases and LayerNorm
 * parameters do not move. */
static void
test_landscape_filter_normalized (gconstpointer data)
{
  const BasinSession *session = data;
  const BasinMlp *model = session->runs[0];
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) zero = NULL;
  g_autoptr (BasinPlane) normalized = NULL;
  g_autoptr (BasinPlane) again = NULL;

  g_assert_nonnull (model->layers[0].mask);
  zero = basin_plane_new_random (model, "A", 5, 6, BASIN_BIAS_DIRECTION_ZERO, &error);
  g_assert_no_error (error);
  normalized = basin_plane_new_random (model, "A", 5, 6, BASIN_BIAS_DIRECTION_NORMALIZED,
                                       &error);
  g_assert_no_error (error);
  again = basin_plane_new_random (model, "A", 5, 6, BASIN_BIAS_DIRECTION_ZERO, &error);
  g_assert_no_error (error);

  for (guint d = 1; d <= 2; d++)
    {
      row_norms_match (model, zero->anchors[0], zero->anchors[d]);
      row_norms_match (model, normalized->anchors[0], normalized->anchors[d]);
      g_assert_cmpmem (zero->anchors[d]->params, zero->anchors[d]->n_params * sizeof (float),
                       again->anchors[d]->params, again->anchors[d]->n_params * sizeof (float));

      for (guint l = 0; l < model->n_layers; l++)
        {
          const BasinLayer *layer = &model->layers[l];
          const float *bias = basin_mlp_bias (normalized->anchors[0], l);

          g_assert_cmpfloat (vector_norm (basin_mlp_bias (zero->anchors[d], l), layer->out_dim),
                             ==, 0.0);
          g_assert_cmpfloat_with_epsilon (
            vector_norm (basin_mlp_bias (normalized->anchors[d], l), layer->out_dim),
            vector_norm (bias, layer->out_dim), 1e-5 * vector_norm (bias, layer->out_dim));
          if (layer->gain_offset != G_MAXSIZE)
            g_assert_cmpfloat (vector_norm (zero->anchors[d]->params + layer->gain_offset,
                                            layer->out_dim), ==, 0.0);
        }
    }
  g_assert_cmpint (memcmp (zero->anchors[1]->params, zero->anchors[2]->params,
                           zero->anchors[1]->n_params * sizeof (float)), !=, 0);
}

typedef struct {
  GCancellable *cancellable;
  guint         calls;
  guint         computed_at_cancel;
  double        last_fraction;
  gboolean      fraction_decreased;
} CancelState;

static void
cancel_after_first_level_cb (const BasinLandscape         *landscape,
                             const BasinLandscapeProgress *progress,
                             gpointer                      user_data)
{
  CancelState *state = user_data;

  state->calls++;
  g_assert_cmpuint (progress->level, ==, 1);
  g_assert_cmpuint (progress->n_levels, ==, 3);
  g_assert_cmpfloat (progress->elapsed, >=, 0.0);
  g_assert_cmpfloat (progress->remaining, >=, 0.0);
  state->computed_at_cancel = landscape->n_computed;
  g_cancellable_cancel (state->cancellable);
}

static void
progress_cb (double      fraction,
             const char *stage,
             gpointer    user_data)
{
  CancelState *state = user_data;

  g_assert_nonnull (stage);
  if (fraction < state->last_fraction)
    state->fraction_decreased = TRUE;
  state->last_fraction = fraction;
}

/* A grid cancelled after its first level keeps the coarse points and the
 * models, reports the cancellation, and resumes to the same values an
 * uninterrupted evaluation gives. */
static void
test_landscape_cancel_after_coarse (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) plane = NULL;
  g_autoptr (BasinLandscape) landscape = NULL;
  g_autoptr (BasinLandscape) reference = NULL;
  CancelState state = { g_cancellable_new () };
  BasinLandscapeOptions options;

  plane = basin_plane_new_models (session->runs[0], session->runs[1], session->aligned_b, 3,
                                  &error);
  g_assert_no_error (error);
  basin_landscape_options_init_default (&options);
  options.n_x = 9;
  options.n_y = 9;
  options.n_workers = 2;
  landscape = basin_landscape_new (plane, session->test, &options, &error);
  g_assert_no_error (error);

  g_assert_false (basin_landscape_evaluate (landscape, plane, session->test,
                                            cancel_after_first_level_cb, &state,
                                            state.cancellable, progress_cb, &state, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_cmpuint (state.calls, ==, 1);
  g_assert_cmpuint (state.computed_at_cancel, ==, 9);
  g_assert_cmpuint (landscape->n_computed, ==, 9);
  g_assert_cmpuint (landscape->levels_done, ==, 1);
  g_assert_false (state.fraction_decreased);
  for (guint j = 0; j < 9; j++)
    for (guint i = 0; i < 9; i++)
      {
        gsize index = (gsize) j * 9 + i;
        gboolean coarse = i % 4 == 0 && j % 4 == 0;

        g_assert_cmpuint (landscape->level[index], ==, coarse ? 1 : 0);
        g_assert_cmpint (isnan (landscape->loss[index]), ==, !coarse);
        g_assert_cmpint (isnan (landscape->accuracy[index]), ==, !coarse);
      }
  for (guint m = 0; m < landscape->n_markers; m++)
    g_assert_false (isnan (landscape->markers[m].loss));

  /* Resuming computes the rest; evaluating points one at a time on their
   * own worker gives bit-identical values. */
  g_assert_true (basin_landscape_evaluate (landscape, plane, session->test, NULL, NULL,
                                           NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (landscape->n_computed, ==, 81);
  g_assert_cmpuint (landscape->levels_done, ==, 3);
  reference = evaluate_landscape (plane, session->test, 9, 9, 4, 3);
  g_assert_cmpmem (landscape->loss, 81 * sizeof (double), reference->loss, 81 * sizeof (double));
  g_assert_cmpmem (landscape->level, 81, reference->level, 81);
  g_assert_cmpfloat (landscape->loss_min, ==, reference->loss_min);
  g_assert_cmpfloat (landscape->loss_max, ==, reference->loss_max);

  g_object_unref (state.cancellable);
}

static void
test_landscape_copy (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) plane = NULL;
  g_autoptr (BasinLandscape) landscape = NULL;
  g_autoptr (BasinLandscape) copy = NULL;

  plane = basin_plane_new_random (session->runs[1], "B", 1, 2, BASIN_BIAS_DIRECTION_ZERO,
                                  &error);
  g_assert_no_error (error);
  landscape = evaluate_landscape (plane, session->test, 3, 4, 1, 1);
  copy = basin_landscape_copy (landscape);

  g_assert_cmpmem (copy->loss, 12 * sizeof (double), landscape->loss, 12 * sizeof (double));
  g_assert_cmpmem (copy->sample_rows, copy->n_samples * sizeof (guint32),
                   landscape->sample_rows, landscape->n_samples * sizeof (guint32));
  g_assert_cmpstr (copy->markers[0].label, ==, "B");
  g_assert_true (copy->markers[0].label != landscape->markers[0].label);
  g_assert_cmpuint (copy->n_segments, ==, 0);
  g_assert_cmpstr (copy->x_label, ==, landscape->x_label);
}

/* When π(θ_B) equals θ_B the second axis is a random orthogonal direction,
 * and the grid still spans both axes. */
static void
test_landscape_degenerate_plane (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) plane = NULL;
  g_autoptr (BasinLandscape) landscape = NULL;
  BasinMlp *b = basin_mlp_to_effective (session->runs[1]);
  BasinMlp *a = basin_mlp_to_effective (session->runs[0]);
  double ab = distance (a, b);

  plane = basin_plane_new_models (session->runs[0], session->runs[1], b, 9, &error);
  g_assert_no_error (error);
  g_assert_true (plane->degenerate);
  g_assert_cmpfloat_with_epsilon (plane->model_x[2], ab, 1e-9 * ab);
  g_assert_cmpfloat (plane->model_y[2], ==, 0.0);

  landscape = evaluate_landscape (plane, session->test, 5, 5, 1, 2);
  g_assert_cmpfloat (landscape->y_max - landscape->y_min, >, 0.0);
  assert_loss_close (landscape->markers[1].loss, landscape->markers[2].loss);
  check_grid_against_direct (plane, landscape, session->test);

  g_clear_pointer (&plane, basin_plane_free);
  plane = basin_plane_new_models (session->runs[0], session->runs[0], b, 9, &error);
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_assert_null (plane);

  basin_mlp_free (a);
  basin_mlp_free (b);
}

/* A σ-MLP with LayerNorm without gain and shift: aligned run B has
 * permuted gates, which the plane combines like weights. */
static void
test_landscape_sigma_mlp (void)
{
  BasinSession *session = train_session (BASIN_VARIANT_SIGMA, FALSE);
  const BasinMlp *models[3] = { session->runs[0], session->runs[1], session->aligned_b };
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) plane = NULL;
  g_autoptr (BasinLandscape) landscape = NULL;
  g_autoptr (BasinPathResult) path = NULL;

  g_assert_nonnull (session->runs[0]->layers[0].gate);
  g_assert_true (session->runs[0]->layers[0].normalized);
  g_assert_cmpuint (session->runs[0]->layers[0].gain_offset, ==, G_MAXSIZE);

  plane = basin_plane_new_models (models[0], models[1], models[2], 3, &error);
  g_assert_no_error (error);
  landscape = evaluate_landscape (plane, session->test, 5, 5, 2, 2);
  for (guint m = 0; m < 3; m++)
    {
      double loss, accuracy;

      evaluate_model (models[m], session->test, &loss, &accuracy);
      assert_loss_close (landscape->markers[m].loss, loss);
      g_assert_cmpfloat (landscape->markers[m].accuracy, ==, accuracy);
    }
  check_grid_against_direct (plane, landscape, session->test);

  /* The aligned path's midpoint equals basin_mlp_interpolate(), which
   * interpolates the differing gates too. */
  path = evaluate_path (session, session->aligned_b, 0.0, 1.0, 3);
  {
    BasinMlp *a = basin_mlp_to_effective (session->runs[0]);
    BasinMlp *mid = basin_mlp_copy (a);
    double loss, accuracy;

    basin_mlp_interpolate (a, session->aligned_b, 0.5, mid);
    evaluate_model (mid, session->test, &loss, &accuracy);
    assert_loss_close (path->midpoint_test_loss, loss);
    basin_mlp_free (a);
    basin_mlp_free (mid);
  }

  basin_session_free (session);
}

static void
record_report_cb (guint64  done,
                  guint64  total,
                  gpointer user_data)
{
  guint64 *last = user_data;

  last[0] = done;
  last[1] = total;
}

/* Splitting the samples into blocks of 17 rows gives the values of one
 * block, and the progress report counts up to the total. */
static void
test_landscape_evaluator_blocks (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) plane = NULL;
  g_autofree guint32 *rows = NULL;
  double coefficients[4][3] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0.3, 0.3, 0.4 }, { -0.5, 1.2, 0.3 } };
  double loss[2][4], accuracy[2][4];
  gboolean finished[4];
  guint64 last_report[2] = { 0, 0 };
  guint n_rows;

  plane = basin_plane_new_models (session->runs[0], session->runs[1], session->aligned_b, 3,
                                  &error);
  g_assert_no_error (error);
  rows = basin_sample_rows (session->test->n_samples, 0, 1, &n_rows);
  g_assert_cmpuint (n_rows, ==, session->test->n_samples);
  g_assert_cmpuint (n_rows, >, 3 * 17);

  for (guint split = 0; split < 2; split++)
    {
      BasinPointEvaluator *evaluator = basin_point_evaluator_new (plane->anchors, 3,
                                                                  session->test, rows,
                                                                  n_rows, 2);

      if (split)
        basin_point_evaluator_limit_block (evaluator, 17);
      g_assert_true (basin_point_evaluator_run (evaluator, &coefficients[0][0], 4, loss[split],
                                                accuracy[split], finished, NULL,
                                                record_report_cb, last_report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (last_report[1], ==, 4 * (guint64) n_rows);
      g_assert_cmpuint (last_report[0], ==, last_report[1]);
      for (guint k = 0; k < 4; k++)
        g_assert_true (finished[k]);
      basin_point_evaluator_free (evaluator);
    }

  for (guint k = 0; k < 4; k++)
    {
      g_assert_cmpfloat_with_epsilon (loss[1][k], loss[0][k], 1e-6 * loss[0][k]);
      g_assert_cmpfloat (accuracy[1][k], ==, accuracy[0][k]);
    }
}

/* The vectorized GELU against the exact x Φ(x) in double precision, with
 * a width that leaves a partial vector at the end of each row. */
static void
test_landscape_row_kernel_gelu (void)
{
  const guint width = 1003, n_rows = 4;
  g_autofree float *rows = g_new (float, width * n_rows);
  g_autofree float *inputs = g_new (float, width * n_rows);
  BasinRowOp op = { width, BASIN_ACTIVATION_GELU };
  double worst = 0.0;

  for (guint i = 0; i < width * n_rows; i++)
    inputs[i] = rows[i] = -12.0f + 20.0f * i / (width * n_rows);
  basin_row_func_select () (&op, rows, n_rows);

  for (guint i = 0; i < width * n_rows; i++)
    {
      double x = inputs[i], exact = 0.5 * x * erfc (-x / sqrt (2.0));

      if (x != 0.0)
        worst = MAX (worst, fabs (rows[i] - exact) / fabs (x));
    }
  g_test_message ("largest GELU error: %.3g |x|", worst);
  g_assert_cmpfloat (worst, <, 3e-7);

  /* NaN stays NaN, and the limits come out exact. */
  rows[0] = NAN;
  rows[1] = INFINITY;
  rows[2] = -30.0f;
  rows[3] = 30.0f;
  basin_row_func_select () (&op, rows, 1);
  g_assert_true (isnan (rows[0]));
  g_assert_cmpfloat (rows[1], ==, INFINITY);
  g_assert_cmpfloat (fabsf (rows[2]), <, 1e-30f);
  g_assert_cmpfloat (rows[3], ==, 30.0f);
}

/* LayerNorm with gain and shift and then ReLU, against a direct double
 * computation. */
static void
test_landscape_row_kernel_layer_norm (void)
{
  const guint width = 13, n_rows = 3;
  float rows[3 * 13], inputs[3 * 13], gain[13], shift[13];
  BasinRowOp op = { width, BASIN_ACTIVATION_RELU, TRUE, gain, shift };
  BasinRng rng;

  basin_rng_init (&rng, 4);
  for (guint i = 0; i < width * n_rows; i++)
    inputs[i] = rows[i] = (float) (3.0 + 2.0 * basin_rng_normal (&rng));
  for (guint j = 0; j < width; j++)
    {
      gain[j] = (float) (1.0 + 0.3 * basin_rng_normal (&rng));
      shift[j] = (float) (0.2 * basin_rng_normal (&rng));
    }
  rows[5] = NAN;
  inputs[5] = NAN;
  basin_row_func_select () (&op, rows, n_rows);

  for (guint r = 1; r < n_rows; r++)
    {
      const float *x = inputs + r * width;
      double mean = 0.0, variance = 0.0;

      for (guint j = 0; j < width; j++)
        mean += x[j] / width;
      for (guint j = 0; j < width; j++)
        variance += (x[j] - mean) * (x[j] - mean) / width;
      for (guint j = 0; j < width; j++)
        {
          double y = gain[j] * (x[j] - mean) / sqrt (variance + 1e-5) + shift[j];

          g_assert_cmpfloat_with_epsilon (rows[r * width + j], MAX (y, 0.0), 1e-5);
        }
    }
  /* A NaN spreads over its row through the mean, as in PyTorch. */
  for (guint j = 0; j < width; j++)
    g_assert_true (isnan (rows[j]));
}

static void
test_landscape_invalid_settings (gconstpointer data)
{
  const BasinSession *session = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPlane) plane = NULL;
  BasinDataset *empty = basin_dataset_new_features ("empty", 0, 2, 2);
  BasinLandscapeOptions options;
  BasinPathOptions path_options;

  plane = basin_plane_new_random (session->runs[0], "A", 1, 2, BASIN_BIAS_DIRECTION_ZERO,
                                  &error);
  g_assert_no_error (error);

  basin_landscape_options_init_default (&options);
  options.n_x = BASIN_LANDSCAPE_MAX_RESOLUTION + 1;
  g_assert_null (basin_landscape_new (plane, session->test, &options, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  basin_landscape_options_init_default (&options);
  options.coarse_stride = 3;
  g_assert_false (basin_landscape_options_validate (&options, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  basin_landscape_options_init_default (&options);
  options.fixed_extent = TRUE;
  options.x_min = 1.0;
  options.x_max = 1.0;
  g_assert_false (basin_landscape_options_validate (&options, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  basin_landscape_options_init_default (&options);
  g_assert_null (basin_landscape_new (plane, empty, &options, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_clear_error (&error);

  basin_path_options_init_default (&path_options);
  path_options.lambda_min = 0.2;
  g_assert_null (basin_path_evaluate_full (session->runs[0], session->runs[1], "none", NULL,
                                           session->test, &path_options, NULL, NULL, NULL,
                                           &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  basin_path_options_init_default (&path_options);
  path_options.n_points = 1;
  g_assert_false (basin_path_options_validate (&path_options, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);

  basin_dataset_free (empty);
}

int
main (int    argc,
      char **argv)
{
  BasinSession *session;
  int status;

  g_test_init (&argc, &argv, NULL);
  session = train_session (BASIN_VARIANT_W_ASYMMETRIC, TRUE);

  g_test_add_data_func ("/core/landscape/path-endpoints", session,
                        test_landscape_path_endpoints);
  g_test_add_data_func ("/core/landscape/path-barrier-chord", session,
                        test_landscape_path_barrier_chord);
  g_test_add_data_func ("/core/landscape/path-inserted-points", session,
                        test_landscape_path_inserted_points);
  g_test_add_data_func ("/core/landscape/path-subsets", session,
                        test_landscape_path_subsets);
  g_test_add_data_func ("/core/landscape/plane-coordinates", session,
                        test_landscape_plane_coordinates);
  g_test_add_data_func ("/core/landscape/plane-model-points", session,
                        test_landscape_plane_model_points);
  g_test_add_data_func ("/core/landscape/grid-matches-direct", session,
                        test_landscape_grid_matches_direct);
  g_test_add_data_func ("/core/landscape/filter-normalized", session,
                        test_landscape_filter_normalized);
  g_test_add_data_func ("/core/landscape/cancel-after-coarse", session,
                        test_landscape_cancel_after_coarse);
  g_test_add_data_func ("/core/landscape/copy", session, test_landscape_copy);
  g_test_add_data_func ("/core/landscape/degenerate-plane", session,
                        test_landscape_degenerate_plane);
  g_test_add_data_func ("/core/landscape/invalid-settings", session,
                        test_landscape_invalid_settings);
  g_test_add_data_func ("/core/landscape/evaluator-blocks", session,
                        test_landscape_evaluator_blocks);
  g_test_add_func ("/core/landscape/sigma-mlp", test_landscape_sigma_mlp);
  g_test_add_func ("/core/landscape/row-kernel-gelu", test_landscape_row_kernel_gelu);
  g_test_add_func ("/core/landscape/row-kernel-layer-norm",
                   test_landscape_row_kernel_layer_norm);

  status = g_test_run ();
  basin_session_free (session);
  return status;
}
