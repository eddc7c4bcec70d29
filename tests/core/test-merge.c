/* test-merge.c: barriers and merge paths of a trained session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin/basin.h"

static void
test_merge_barrier_formula (void)
{
  double lambda[5] = { 0.0, 0.25, 0.5, 0.75, 1.0 };
  double loss[5] = { 1.0, 2.0, 2.5, 2.2, 2.0 };
  double accuracy[5] = { 0.9, 0.8, 0.5, 0.7, 0.8 };
  double flat[5] = { 1.0, 1.0, 1.0, 1.0, 1.0 };

  /* Chord at 0.5 is 1.5, so the rise is 1.0; at 0.25 it is 2 − 1.25 = 0.75. */
  g_assert_cmpfloat_with_epsilon (basin_loss_barrier (lambda, loss, 5), 1.0, 1e-12);
  /* Chord at 0.5 is 0.85, the drop is 0.35, so 35 percentage points. */
  g_assert_cmpfloat_with_epsilon (basin_accuracy_barrier (lambda, accuracy, 5), 35.0, 1e-9);
  g_assert_cmpfloat (basin_loss_barrier (lambda, flat, 5), ==, 0.0);
}

static BasinSession *
train_small_session (BasinVariant variant)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("moons", &error);
  BasinSession *session;

  g_assert_no_error (error);
  e->n_samples = 400;
  e->train.epochs = 15;
  e->model.variant = variant;
  e->model.layer_norm = TRUE;
  e->path_points = 9;
  session = basin_session_new (e, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (basin_session_train (session, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (basin_session_analyse (session, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  basin_experiment_free (e);
  return session;
}

/* The endpoints of both paths are the trained runs themselves: run A at
 * λ = 0, and run B (or its aligned copy, the same function) at λ = 1. */
static void
test_merge_endpoints_match_runs (void)
{
  for (BasinVariant v = BASIN_VARIANT_STANDARD; v <= BASIN_VARIANT_W_ASYMMETRIC; v++)
    {
      BasinSession *session = train_small_session (v);

      for (guint p = 0; p < G_N_ELEMENTS (session->paths); p++)
        {
          const BasinPath *path = session->paths[p];
          guint last = path->n_points - 1;
          double loss_a, loss_b, accuracy_a, accuracy_b;

          basin_mlp_evaluate (session->runs[0], session->test, &loss_a, &accuracy_a, NULL, NULL);
          basin_mlp_evaluate (session->runs[1], session->test, &loss_b, &accuracy_b, NULL, NULL);

          g_assert_cmpfloat (path->lambda[0], ==, 0.0);
          g_assert_cmpfloat (path->lambda[last], ==, 1.0);
          g_assert_cmpfloat_with_epsilon (path->test_loss[0], loss_a, 1e-5 * (1 + loss_a));
          g_assert_cmpfloat_with_epsilon (path->test_loss[last], loss_b, 1e-5 * (1 + loss_b));
          g_assert_cmpfloat (path->test_accuracy[0], ==, accuracy_a);
          g_assert_cmpfloat (path->test_accuracy[last], ==, accuracy_b);
          g_assert_cmpfloat (path->loss_barrier, >=, 0.0);
        }

      basin_session_free (session);
    }
}

static void
test_merge_summary_keys (void)
{
  BasinSession *session = train_small_session (BASIN_VARIANT_STANDARD);
  g_autoptr (JsonNode) summary = basin_session_summary (session);
  JsonObject *root = json_node_get_object (summary);
  JsonArray *runs = json_object_get_array_member (root, "runs");
  JsonArray *paths = json_object_get_array_member (root, "paths");
  JsonArray *layers = json_object_get_array_member (root, "layers");

  g_assert_cmpuint (json_array_get_length (runs), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (runs, 0), "name"),
                   ==, "A");
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (runs, 1),
                                                    "test_accuracy"), >, 0.8);
  g_assert_cmpuint (json_array_get_length (paths), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (paths, 0),
                                                  "alignment"), ==, "none");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (paths, 1),
                                                  "alignment"), ==, "activation");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (paths, 2),
                                                  "alignment"), ==, "weight");
  g_assert_true (json_object_has_member (json_array_get_object_element (paths, 1),
                                         "accuracy_barrier"));
  g_assert_true (json_object_has_member (json_array_get_object_element (layers, 0),
                                         "objective_ratio"));
  g_assert_true (json_object_has_member (json_array_get_object_element (layers, 0),
                                         "linear_cka"));
  g_assert_true (json_object_has_member (root, "track"));
  g_assert_cmpuint (json_array_get_length (layers), ==, 2);
  g_assert_true (json_object_has_member (json_array_get_object_element (layers, 1),
                                         "identity_match_rate"));
  basin_session_free (session);
}

/* The same experiment and seeds give bit-identical weights. */
static void
test_merge_training_deterministic (void)
{
  BasinSession *first = train_small_session (BASIN_VARIANT_W_ASYMMETRIC);
  BasinSession *second = train_small_session (BASIN_VARIANT_W_ASYMMETRIC);

  for (guint r = 0; r < BASIN_N_RUNS; r++)
    g_assert_cmpmem (first->runs[r]->params, first->runs[r]->n_params * sizeof (float),
                     second->runs[r]->params, second->runs[r]->n_params * sizeof (float));
  g_assert_cmpint (memcmp (first->runs[0]->params, first->runs[1]->params,
                           first->runs[0]->n_params * sizeof (float)), !=, 0);

  basin_session_free (first);
  basin_session_free (second);
}

static void
test_merge_divergence_reported (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("moons", NULL);
  BasinSession *session;

  e->train.epochs = 3;
  session = basin_session_new (e, NULL, &error);
  g_assert_no_error (error);
  session->runs[0]->params[0] = NAN;

  g_assert_false (basin_session_train (session, NULL, NULL, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_DIVERGED);
  g_assert_nonnull (strstr (error->message, "Run A"));
  g_assert_nonnull (strstr (error->message, "epoch 1, step 1"));
  /* Run B went on to the end. */
  g_assert_cmpuint (session->history[1]->test_accuracy->len, ==, 3);
  g_assert_cmpuint (session->history[0]->test_accuracy->len, ==, 0);

  basin_session_free (session);
  basin_experiment_free (e);
}

/* Extrapolated paths keep λ = 0 and 1 on the grid, at run A and run B. */
static void
test_merge_extrapolated_range (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("moons", NULL);
  BasinSession *session;
  const BasinPath *path;
  double loss_a;
  guint zero = G_MAXUINT;

  e->n_samples = 300;
  e->train.epochs = 5;
  e->lambda_min = -0.5;
  e->lambda_max = 1.5;
  e->path_points = 9;
  session = basin_session_new (e, NULL, &error);
  g_assert_true (basin_session_train (session, NULL, NULL, NULL, &error));
  g_assert_true (basin_session_analyse (session, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  path = session->paths[0];
  g_assert_cmpfloat (path->lambda[0], ==, -0.5);
  g_assert_cmpfloat (path->lambda[path->n_points - 1], ==, 1.5);
  for (guint i = 0; i < path->n_points; i++)
    if (path->lambda[i] == 0.0)
      zero = i;
  g_assert_cmpuint (zero, <, path->n_points);
  basin_mlp_evaluate (session->runs[0], session->test, &loss_a, NULL, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (path->test_loss[zero], loss_a, 1e-5 * (1 + loss_a));

  basin_session_free (session);
  basin_experiment_free (e);
}

/* Matching can record activations on a random subset of training data.
 * The analysis then uses that many inputs, and its correlations differ from
 * those on the first test inputs. */
static void
test_merge_evaluation_set (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("moons", NULL);
  BasinSession *session;
  float first_test;

  e->n_samples = 400;
  e->train.epochs = 5;
  e->eval_samples = 150;
  session = basin_session_new (e, NULL, &error);
  g_assert_true (basin_session_train (session, NULL, NULL, NULL, &error));
  g_assert_true (basin_session_analyse (session, NULL, NULL, NULL, &error));
  g_assert_cmpuint (session->matching->n_eval, ==, 80);
  first_test = session->matching->correlation[0][0];

  session->experiment->eval_on_train = TRUE;
  session->experiment->eval_random = TRUE;
  g_assert_true (basin_session_analyse (session, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (session->matching->n_eval, ==, 150);
  g_assert_cmpfloat (session->matching->correlation[0][0], !=, first_test);

  basin_session_free (session);
  basin_experiment_free (e);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/merge/barrier-formula", test_merge_barrier_formula);
  g_test_add_func ("/core/merge/endpoints-match-runs", test_merge_endpoints_match_runs);
  g_test_add_func ("/core/merge/summary-keys", test_merge_summary_keys);
  g_test_add_func ("/core/merge/training-deterministic", test_merge_training_deterministic);
  g_test_add_func ("/core/merge/divergence-reported", test_merge_divergence_reported);
  g_test_add_func ("/core/merge/extrapolated-range", test_merge_extrapolated_range);
  g_test_add_func ("/core/merge/evaluation-set", test_merge_evaluation_set);
  return g_test_run ();
}
