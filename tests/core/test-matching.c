/* test-matching.c: permutation invariance, correlation and activation
 * matching.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin/basin.h"
#include "test-permutations.h"

#define N_INPUTS 64

static BasinMlpConfig
make_config (BasinVariant variant,
             gboolean     layer_norm)
{
  BasinMlpConfig config = {
    .input_dim = 10, .output_dim = 4, .depth = 3, .width = 12,
    .activation = BASIN_ACTIVATION_GELU, .layer_norm = layer_norm,
    .variant = variant, .sigma_f = 1.0, .n_fixed_hidden = 3, .n_fixed_last = 4,
    .mask_seed = 5,
  };
  return config;
}

/* Returns the largest absolute difference of the logits of @a and @b on
 * the same random inputs. */
static double
max_output_difference (const BasinMlp *a,
                       const BasinMlp *b)
{
  guint dim = a->config.input_dim, classes = a->config.output_dim;
  BasinWorkspace *wa = basin_workspace_new (a, N_INPUTS);
  BasinWorkspace *wb = basin_workspace_new (b, N_INPUTS);
  g_autofree float *x = g_new (float, N_INPUTS * dim);
  const float *la, *lb;
  double max = 0.0;
  BasinRng rng;

  basin_rng_init (&rng, 99);
  for (guint i = 0; i < N_INPUTS * dim; i++)
    x[i] = (float) basin_rng_normal (&rng);

  la = basin_mlp_forward (a, wa, x, N_INPUTS);
  lb = basin_mlp_forward (b, wb, x, N_INPUTS);
  for (guint i = 0; i < N_INPUTS * classes; i++)
    max = MAX (max, fabs ((double) la[i] - lb[i]));

  basin_workspace_free (wa);
  basin_workspace_free (wb);
  return max;
}

static void
test_matching_standard_invariance (void)
{
  for (int norm = 0; norm <= 1; norm++)
    {
      BasinMlpConfig config = make_config (BASIN_VARIANT_STANDARD, norm);
      BasinMlp *mlp = basin_mlp_new (&config, 1, NULL);
      BasinMlp *permuted = basin_mlp_copy (mlp);
      guint32 **perms = random_permutations (mlp, 17);

      basin_mlp_permute_hidden (permuted, perms);
      g_assert_cmpfloat (max_output_difference (mlp, permuted), <, 1e-5);
      /* The parameters did move, so the check above is not vacuous. */
      g_assert_cmpfloat (fabsf (permuted->params[0] - mlp->params[0])
                         + fabsf (permuted->params[1] - mlp->params[1]), >, 0.0f);

      free_permutations (perms, mlp->n_layers - 1);
      basin_mlp_free (permuted);
      basin_mlp_free (mlp);
    }
}

/* Permuting only the trainable part of a W-MLP with σ_F = 1 moves neurons
 * onto other fixed weights, so the function changes. */
static void
test_matching_wmlp_permutation_changes_function (void)
{
  BasinMlpConfig config = make_config (BASIN_VARIANT_W_ASYMMETRIC, TRUE);
  BasinMlp *mlp = basin_mlp_new (&config, 1, NULL);
  BasinMlp *permuted = basin_mlp_copy (mlp);
  BasinMlp *effective = basin_mlp_to_effective (mlp);
  guint32 **perms = random_permutations (mlp, 17);

  basin_mlp_permute_hidden (permuted, perms);
  g_assert_cmpfloat (max_output_difference (mlp, permuted), >, 1e-2);

  /* Permuting the whole effective weights keeps the function. */
  g_assert_cmpfloat (max_output_difference (mlp, effective), <, 1e-5);
  basin_mlp_permute_hidden (effective, perms);
  g_assert_cmpfloat (max_output_difference (mlp, effective), <, 1e-5);

  free_permutations (perms, mlp->n_layers - 1);
  basin_mlp_free (effective);
  basin_mlp_free (permuted);
  basin_mlp_free (mlp);
}

/* Aligning a σ-MLP permutes its gate matrices too, so the aligned copy
 * computes the same function; permuting only the weights would not. */
static void
test_matching_sigma_alignment_keeps_function (void)
{
  BasinMlpConfig config = make_config (BASIN_VARIANT_SIGMA, TRUE);
  BasinMlp *mlp = basin_mlp_new (&config, 1, NULL);
  BasinMlp *weights_only = basin_mlp_copy (mlp);
  guint32 **perms = random_permutations (mlp, 29);
  BasinMatching matching = { .n_layers = mlp->n_layers - 1, .permutation = perms };
  BasinMlp *aligned = basin_mlp_align (mlp, &matching);

  g_assert_nonnull (mlp->layers[0].gate);
  g_assert_cmpfloat (max_output_difference (mlp, aligned), <, 1e-5);
  basin_mlp_permute_hidden (weights_only, perms);
  g_assert_cmpfloat (max_output_difference (mlp, weights_only), >, 1e-3);

  free_permutations (perms, mlp->n_layers - 1);
  basin_mlp_free (aligned);
  basin_mlp_free (weights_only);
  basin_mlp_free (mlp);
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

/* Matching a permuted copy back to the original must return exactly the
 * inverse permutation, with every matched correlation equal to 1. */
static void
test_matching_recovers_inverse_permutation (void)
{
  BasinMlpConfig config = make_config (BASIN_VARIANT_STANDARD, TRUE);
  BasinMlp *mlp = basin_mlp_new (&config, 1, NULL);
  BasinMlp *permuted = basin_mlp_copy (mlp);
  BasinDataset *eval = gaussian_inputs (config.input_dim, 500);
  guint32 **perms = random_permutations (mlp, 23);
  g_autoptr (GError) error = NULL;
  BasinMatching *matching;
  BasinMlp *aligned;

  basin_mlp_permute_hidden (permuted, perms);
  matching = basin_match_activations (permuted, mlp, eval, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint l = 0; l < matching->n_layers; l++)
    {
      for (guint i = 0; i < config.width; i++)
        g_assert_cmpuint (matching->permutation[l][i], ==, perms[l][i]);
      g_assert_cmpfloat_with_epsilon (matching->mean_correlation[l], 1.0, 1e-4);
    }

  /* Aligning the original to its permuted copy reproduces the copy. */
  aligned = basin_mlp_align (mlp, matching);
  for (gsize k = 0; k < mlp->n_params; k++)
    g_assert_cmpfloat (aligned->params[k], ==, permuted->params[k]);

  basin_mlp_free (aligned);
  basin_matching_free (matching);
  free_permutations (perms, mlp->n_layers - 1);
  basin_dataset_free (eval);
  basin_mlp_free (permuted);
  basin_mlp_free (mlp);
}

/* Compares the BLAS correlation with a direct double-precision formula,
 * and checks that a constant neuron gives 0 instead of NaN. */
static void
test_matching_correlation_reference (void)
{
  const guint n = 200, ma = 5, mb = 4;
  g_autofree float *a = g_new (float, n * ma);
  g_autofree float *b = g_new (float, n * mb);
  g_autofree float *c = g_new (float, ma * mb);
  BasinRng rng;

  basin_rng_init (&rng, 8);
  for (guint i = 0; i < n * ma; i++)
    a[i] = (float) basin_rng_normal (&rng);
  for (guint r = 0; r < n; r++)
    {
      b[r * mb + 0] = 2.0f * a[r * ma + 0] + 1.0f;   /* correlation +1 with A0 */
      b[r * mb + 1] = -a[r * ma + 1];                /* correlation −1 with A1 */
      b[r * mb + 2] = (float) basin_rng_normal (&rng);
      b[r * mb + 3] = 3.5f;                          /* constant */
    }

  basin_correlation_matrix (a, ma, b, mb, n, ma, mb, c);
  for (guint i = 0; i < ma; i++)
    for (guint j = 0; j < mb; j++)
      {
        double ma_ = 0, mb_ = 0, sab = 0, saa = 0, sbb = 0, expected;

        for (guint r = 0; r < n; r++)
          {
            ma_ += a[r * ma + i] / (double) n;
            mb_ += b[r * mb + j] / (double) n;
          }
        for (guint r = 0; r < n; r++)
          {
            double da = a[r * ma + i] - ma_, db = b[r * mb + j] - mb_;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
          }
        expected = sbb > 1e-12 ? sab / sqrt (saa * sbb) : 0.0;
        g_assert_false (isnan (c[i * mb + j]));
        g_assert_cmpfloat_with_epsilon (c[i * mb + j], expected, 1e-5);
      }
  g_assert_cmpfloat_with_epsilon (c[0 * mb + 0], 1.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (c[1 * mb + 1], -1.0, 1e-5);
  g_assert_cmpfloat (c[0 * mb + 3], ==, 0.0f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/matching/standard-invariance", test_matching_standard_invariance);
  g_test_add_func ("/core/matching/wmlp-permutation-changes-function",
                   test_matching_wmlp_permutation_changes_function);
  g_test_add_func ("/core/matching/recovers-inverse-permutation",
                   test_matching_recovers_inverse_permutation);
  g_test_add_func ("/core/matching/sigma-alignment-keeps-function",
                   test_matching_sigma_alignment_keeps_function);
  g_test_add_func ("/core/matching/correlation-reference", test_matching_correlation_reference);
  return g_test_run ();
}
