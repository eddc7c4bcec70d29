/* test-weight-matching.c: weight matching and activation matching on
 * planted permutations, and the weight-matching objective.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin/basin.h"
#include "test-permutations.h"

static BasinMlpConfig
make_config (BasinVariant variant,
             gboolean     layer_norm,
             guint        depth)
{
  BasinMlpConfig config = {
    .input_dim = 10, .output_dim = 5, .depth = depth, .width = 24,
    .activation = BASIN_ACTIVATION_GELU, .layer_norm = layer_norm,
    .variant = variant, .sigma_f = 1.0, .n_fixed_hidden = 3, .n_fixed_last = 6,
    .mask_seed = 5,
  };
  return config;
}

static void
add_noise (BasinMlp *mlp,
           double    scale,
           guint64   seed)
{
  BasinRng rng;

  basin_rng_init (&rng, seed);
  for (gsize k = 0; k < mlp->n_params; k++)
    mlp->params[k] += (float) (scale * basin_rng_normal (&rng));
}

static BasinDataset *
gaussian_inputs (guint dim,
                 guint n)
{
  BasinDataset *dataset = basin_dataset_new_features ("gaussian", n, dim, 2);
  BasinRng rng;

  basin_rng_init (&rng, 4);
  for (gsize i = 0; i < (gsize) n * dim; i++)
    dataset->features[i] = (float) basin_rng_normal (&rng);
  return dataset;
}

/* Builds the effective-weight form of a fresh network and a copy of it
 * with its hidden neurons permuted by @perms_out and noise added. */
static void
make_planted (BasinVariant  variant,
              gboolean      layer_norm,
              guint         depth,
              double        noise,
              BasinMlp    **original_out,
              BasinMlp    **planted_out,
              guint32    ***perms_out)
{
  BasinMlpConfig config = make_config (variant, layer_norm, depth);
  g_autoptr (GError) error = NULL;
  BasinMlp *mlp = basin_mlp_new (&config, 1, &error);

  g_assert_no_error (error);
  *original_out = basin_mlp_to_effective (mlp);
  *planted_out = basin_mlp_copy (*original_out);
  *perms_out = random_permutations (mlp, 23);
  basin_mlp_permute_hidden (*planted_out, *perms_out);
  add_noise (*planted_out, noise, 77);
  basin_mlp_free (mlp);
}

/* Matching the permuted, noisy copy to the original recovers exactly the
 * planted permutations, by weights and by activations alike, for a
 * standard MLP and for the effective weights of a W-MLP. */
static void
test_weight_matching_planted_recovered (void)
{
  for (BasinVariant variant = BASIN_VARIANT_STANDARD; variant <= BASIN_VARIANT_W_ASYMMETRIC;
       variant++)
    {
      BasinMlp *original, *planted;
      guint32 **perms;
      BasinDataset *eval = gaussian_inputs (10, 400);
      BasinWeightMatchingOptions options;
      BasinMatching *by_weights, *by_activations;
      g_autoptr (GError) error = NULL;
      double objective = 0.0;

      make_planted (variant, variant == BASIN_VARIANT_STANDARD, 3, 1e-3,
                    &original, &planted, &perms);
      basin_weight_matching_options_init_default (&options);
      options.seed = 3;

      by_weights = basin_match_weights (planted, original, &options, &objective,
                                        NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      by_activations = basin_match_activations (planted, original, eval,
                                                NULL, NULL, NULL, &error);
      g_assert_no_error (error);

      for (guint l = 0; l < 3; l++)
        for (guint i = 0; i < 24; i++)
          {
            g_assert_cmpuint (by_weights->permutation[l][i], ==, perms[l][i]);
            g_assert_cmpuint (by_activations->permutation[l][i], ==, perms[l][i]);
          }
      g_assert_cmpfloat_with_epsilon (objective,
                                      basin_weight_matching_objective (planted, original,
                                                                       by_weights->permutation),
                                      1e-9 * fabs (objective));
      g_assert_cmpfloat (objective, >, basin_weight_matching_objective (planted, original, NULL));
      g_assert_cmpuint (by_weights->n_eval, ==, 0);

      basin_matching_free (by_weights);
      basin_matching_free (by_activations);
      free_permutations (perms, 3);
      basin_dataset_free (eval);
      basin_mlp_free (planted);
      basin_mlp_free (original);
    }
}

/* Coordinate descent from random permutations alone, without the greedy
 * start, also finds the planted permutations of a standard MLP. */
static void
test_weight_matching_random_starts_recover (void)
{
  BasinMlp *original, *planted;
  guint32 **perms;
  BasinWeightMatchingOptions options = {
    .n_restarts = 2, .max_sweeps = 100, .seed = 11, .greedy_start = FALSE,
  };
  g_autoptr (GError) error = NULL;
  BasinMatching *m;

  make_planted (BASIN_VARIANT_STANDARD, TRUE, 3, 1e-3, &original, &planted, &perms);
  m = basin_match_weights (planted, original, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint l = 0; l < 3; l++)
    for (guint i = 0; i < 24; i++)
      g_assert_cmpuint (m->permutation[l][i], ==, perms[l][i]);

  basin_matching_free (m);
  free_permutations (perms, 3);
  basin_mlp_free (planted);
  basin_mlp_free (original);
}

/* The objective is the inner product of the effective parameters, with
 * run B's hidden neurons reordered. */
static void
test_weight_matching_objective_reference (void)
{
  BasinMlpConfig config = make_config (BASIN_VARIANT_NOISE, TRUE, 2);
  BasinMlp *a = basin_mlp_new (&config, 1, NULL);
  BasinMlp *b = basin_mlp_new (&config, 2, NULL);
  BasinMlp *ea = basin_mlp_to_effective (a);
  BasinMlp *eb = basin_mlp_to_effective (b);
  guint32 **perms = random_permutations (a, 8);
  double expected = 0.0, identity = 0.0;

  for (gsize k = 0; k < ea->n_params; k++)
    identity += (double) ea->params[k] * eb->params[k];
  basin_mlp_permute_hidden (eb, perms);
  for (gsize k = 0; k < ea->n_params; k++)
    expected += (double) ea->params[k] * eb->params[k];

  g_assert_cmpfloat_with_epsilon (basin_weight_matching_objective (a, b, perms), expected,
                                  1e-9 * fabs (expected));
  g_assert_cmpfloat_with_epsilon (basin_weight_matching_objective (a, b, NULL), identity,
                                  1e-9 * fabs (identity));

  free_permutations (perms, 2);
  basin_mlp_free (ea);
  basin_mlp_free (eb);
  basin_mlp_free (a);
  basin_mlp_free (b);
}

/* Layer 0's similarity of a depth-2 network against the formula, summed
 * directly: rows of W_0, biases, LayerNorm gains and shifts, and the
 * columns of W_1 with its rows in B reordered by the matched π_1. */
static void
test_weight_matching_similarity_reference (void)
{
  BasinMlpConfig config = make_config (BASIN_VARIANT_W_ASYMMETRIC, TRUE, 2);
  BasinMlp *a = basin_mlp_new (&config, 1, NULL);
  BasinMlp *b = basin_mlp_new (&config, 2, NULL);
  BasinMlp *ea = basin_mlp_to_effective (a);
  BasinMlp *eb = basin_mlp_to_effective (b);
  g_autoptr (GError) error = NULL;
  BasinMatching *m;
  const guint width = 24, in = 10;
  const guint32 *p1;

  add_noise (ea, 0.5, 1);
  add_noise (eb, 0.5, 2);
  m = basin_match_weights (ea, eb, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  p1 = m->permutation[1];

  for (guint i = 0; i < width; i++)
    for (guint j = 0; j < width; j++)
      {
        const BasinLayer *layer = &ea->layers[0];
        double expected = (double) basin_mlp_bias (ea, 0)[i] * basin_mlp_bias (eb, 0)[j]
                          + (double) ea->params[layer->gain_offset + i] * eb->params[layer->gain_offset + j]
                          + (double) ea->params[layer->shift_offset + i] * eb->params[layer->shift_offset + j];

        for (guint c = 0; c < in; c++)
          expected += (double) basin_mlp_weight (ea, 0)[i * in + c] * basin_mlp_weight (eb, 0)[j * in + c];
        for (guint r = 0; r < width; r++)
          expected += (double) basin_mlp_weight (ea, 1)[r * width + i]
                      * basin_mlp_weight (eb, 1)[p1[r] * width + j];
        g_assert_cmpfloat_with_epsilon (m->correlation[0][i * width + j], expected,
                                        1e-4 * MAX (1.0, fabs (expected)));
      }

  basin_matching_free (m);
  basin_mlp_free (ea);
  basin_mlp_free (eb);
  basin_mlp_free (a);
  basin_mlp_free (b);
}

/* With one hidden layer the whole objective is layer 0's assignment sum
 * plus the output bias product, which no permutation touches. */
static void
test_weight_matching_single_layer_objective (void)
{
  BasinMlp *original, *planted;
  guint32 **perms;
  g_autoptr (GError) error = NULL;
  BasinMatching *m;
  double objective = 0.0, output_bias = 0.0;

  make_planted (BASIN_VARIANT_STANDARD, FALSE, 1, 0.3, &original, &planted, &perms);
  m = basin_match_weights (planted, original, NULL, &objective, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint c = 0; c < 5; c++)
    output_bias += (double) basin_mlp_bias (planted, 1)[c] * basin_mlp_bias (original, 1)[c];
  g_assert_cmpfloat_with_epsilon (objective, m->objective[0] + output_bias,
                                  1e-5 * fabs (objective));
  g_assert_cmpfloat (m->objective[0], >=, m->identity_objective[0]);
  g_assert_cmpfloat_with_epsilon (m->mean_correlation[0], m->objective[0] / 24, 1e-12);

  basin_matching_free (m);
  free_permutations (perms, 1);
  basin_mlp_free (planted);
  basin_mlp_free (original);
}

/* An unpermuted noisy copy matches to the identity, which then scores
 * above every random permutation. */
static void
test_weight_matching_identity_statistics (void)
{
  BasinMlpConfig config = make_config (BASIN_VARIANT_STANDARD, FALSE, 2);
  BasinMlp *a = basin_mlp_new (&config, 1, NULL);
  BasinMlp *b = basin_mlp_copy (a);
  g_autoptr (BasinIdentifiability) stats = NULL;
  g_autoptr (GError) error = NULL;
  BasinMatching *m;

  add_noise (b, 1e-3, 9);
  m = basin_match_weights (a, b, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  stats = basin_identifiability_new (m, 100, 5, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (stats->n_layers, ==, 2);
  for (guint l = 0; l < 2; l++)
    {
      g_assert_cmpfloat (stats->layers[l].identity_rate, ==, 1.0);
      g_assert_cmpfloat_with_epsilon (stats->layers[l].objective_ratio, 1.0, 1e-12);
      g_assert_cmpfloat (stats->layers[l].random_below_identity, ==, 1.0);
      g_assert_cmpuint (stats->layers[l].random_seed, ==, 5 + l);
      g_assert_cmpfloat (stats->layers[l].random_mean, <, stats->layers[l].identity_objective);
    }

  basin_matching_free (m);
  basin_mlp_free (a);
  basin_mlp_free (b);
}

static void
test_weight_matching_rejects_bad_input (void)
{
  BasinMlpConfig config = make_config (BASIN_VARIANT_STANDARD, FALSE, 2);
  BasinMlpConfig wider = config;
  BasinMlp *a, *b, *c;
  BasinWeightMatchingOptions options = { .n_restarts = 0, .max_sweeps = 10 };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  wider.width = 30;
  a = basin_mlp_new (&config, 1, NULL);
  b = basin_mlp_new (&config, 2, NULL);
  c = basin_mlp_new (&wider, 3, NULL);

  g_assert_null (basin_match_weights (a, b, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (basin_match_weights (a, c, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (basin_match_weights (a, b, NULL, NULL, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  basin_mlp_free (a);
  basin_mlp_free (b);
  basin_mlp_free (c);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/weight-matching/planted-recovered",
                   test_weight_matching_planted_recovered);
  g_test_add_func ("/core/weight-matching/random-starts-recover",
                   test_weight_matching_random_starts_recover);
  g_test_add_func ("/core/weight-matching/objective-reference",
                   test_weight_matching_objective_reference);
  g_test_add_func ("/core/weight-matching/similarity-reference",
                   test_weight_matching_similarity_reference);
  g_test_add_func ("/core/weight-matching/single-layer-objective",
                   test_weight_matching_single_layer_objective);
  g_test_add_func ("/core/weight-matching/identity-statistics",
                   test_weight_matching_identity_statistics);
  g_test_add_func ("/core/weight-matching/rejects-bad-input",
                   test_weight_matching_rejects_bad_input);
  return g_test_run ();
}
