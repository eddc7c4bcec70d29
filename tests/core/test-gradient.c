/* test-gradient.c: backpropagation against central finite differences.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin/basin.h"

#define N_ROWS 5
#define STEP 1e-3f

static void
fill_batch (BasinRng *rng,
            float    *x,
            guint32  *labels,
            guint     dim,
            guint     n_classes)
{
  for (guint i = 0; i < N_ROWS * dim; i++)
    x[i] = (float) basin_rng_normal (rng);
  for (guint i = 0; i < N_ROWS; i++)
    labels[i] = basin_rng_below (rng, n_classes);
}

static double
loss_at (BasinMlp       *mlp,
         BasinWorkspace *ws,
         const float    *x,
         const guint32  *labels)
{
  const float *logits = basin_mlp_forward (mlp, ws, x, N_ROWS);

  return basin_mlp_cross_entropy (logits, labels, N_ROWS, mlp->config.output_dim, NULL);
}

/* Compares every entry of the analytic gradient with a central difference
 * and returns the number of mismatches.  With ReLU, a step can cross a kink
 * where the loss is not differentiable.  Such entries show different
 * one-sided differences, so they are skipped, and they may make up at most
 * 5 % of the parameters. */
static guint
check_gradient (BasinMlpConfig *config)
{
  g_autoptr (GError) error = NULL;
  BasinMlp *mlp = basin_mlp_new (config, 11, &error);
  BasinWorkspace *ws;
  g_autofree float *x = g_new (float, N_ROWS * config->input_dim);
  g_autofree guint32 *labels = g_new (guint32, N_ROWS);
  g_autofree float *gradient = NULL;
  guint mismatches = 0, kinks = 0;
  double centre;
  BasinRng rng;

  g_assert_no_error (error);
  ws = basin_workspace_new (mlp, N_ROWS);
  gradient = g_new (float, mlp->n_params);
  basin_rng_init (&rng, 5);
  fill_batch (&rng, x, labels, config->input_dim, config->output_dim);

  /* Move gains and shifts away from 1 and 0 so their gradients are generic. */
  for (gsize i = 0; i < mlp->n_params; i++)
    mlp->params[i] += (float) (0.1 * basin_rng_normal (&rng));
  for (guint l = 0; l < mlp->n_layers; l++)
    if (mlp->layers[l].mask != NULL)
      for (gsize i = 0; i < (gsize) mlp->layers[l].in_dim * mlp->layers[l].out_dim; i++)
        if (mlp->layers[l].mask[i] == 0.0f)
          basin_mlp_weight (mlp, l)[i] = 0.0f;

  basin_mlp_loss_gradient (mlp, ws, x, labels, N_ROWS, gradient, NULL);
  centre = loss_at (mlp, ws, x, labels);
  for (gsize i = 0; i < mlp->n_params; i++)
    {
      float saved = mlp->params[i];
      double plus, minus, numeric;

      mlp->params[i] = saved + STEP;
      plus = loss_at (mlp, ws, x, labels);
      mlp->params[i] = saved - STEP;
      minus = loss_at (mlp, ws, x, labels);
      mlp->params[i] = saved;
      numeric = (plus - minus) / (2.0 * STEP);

      if (config->activation == BASIN_ACTIVATION_RELU
          && fabs ((plus - centre) - (centre - minus)) / STEP > 1e-2)
        {
          kinks++;
          continue;
        }

      if (fabs (numeric - gradient[i]) > 2e-3 + 2e-2 * fabs (numeric))
        {
          g_test_message ("%s/%s/%s: parameter %" G_GSIZE_FORMAT ": analytic %g, numeric %g",
                          basin_variant_to_string (config->variant),
                          basin_activation_to_string (config->activation),
                          !config->layer_norm ? "plain"
                          : config->layer_norm_no_affine ? "layernorm-no-affine" : "layernorm",
                          i, gradient[i], numeric);
          mismatches++;
        }
    }

  g_assert_cmpuint (kinks, <=, mlp->n_params / 20);
  basin_workspace_free (ws);
  basin_mlp_free (mlp);
  return mismatches;
}

static void
test_gradient_all_combinations (void)
{
  BasinMlpConfig config = {
    .input_dim = 6, .output_dim = 3, .depth = 2, .width = 7,
    .sigma_f = 1.0, .n_fixed_hidden = 2, .n_fixed_last = 3, .mask_seed = 3,
  };

  for (BasinVariant v = BASIN_VARIANT_STANDARD; v <= BASIN_VARIANT_SIGMA; v++)
    for (BasinActivation a = BASIN_ACTIVATION_RELU; a <= BASIN_ACTIVATION_IDENTITY; a++)
      for (int norm = 0; norm <= 2; norm++)
        {
          /* norm: 0 none, 1 LayerNorm with gain and shift, 2 without */
          config.variant = v;
          config.activation = a;
          config.layer_norm = norm > 0;
          config.layer_norm_no_affine = norm == 2;
          config.sigma_f = v == BASIN_VARIANT_NOISE ? 0.3 : 1.0;
          g_assert_cmpuint (check_gradient (&config), ==, 0);
        }
}

/* Frozen W-MLP entries must get exactly zero gradient, and training must
 * leave them at zero. */
static void
test_gradient_frozen_entries (void)
{
  BasinMlpConfig config = {
    .input_dim = 8, .output_dim = 3, .depth = 2, .width = 8,
    .activation = BASIN_ACTIVATION_GELU, .layer_norm = TRUE,
    .variant = BASIN_VARIANT_W_ASYMMETRIC, .sigma_f = 1.0,
    .n_fixed_hidden = 3, .n_fixed_last = 4, .mask_seed = 9,
  };
  g_autoptr (GError) error = NULL;
  BasinMlp *mlp = basin_mlp_new (&config, 1, &error);
  BasinWorkspace *ws = basin_workspace_new (mlp, N_ROWS);
  g_autofree float *x = g_new (float, N_ROWS * config.input_dim);
  g_autofree guint32 *labels = g_new (guint32, N_ROWS);
  g_autofree float *gradient = g_new (float, mlp->n_params);
  guint frozen = 0;
  BasinRng rng;

  basin_rng_init (&rng, 2);
  fill_batch (&rng, x, labels, config.input_dim, config.output_dim);
  basin_mlp_loss_gradient (mlp, ws, x, labels, N_ROWS, gradient, NULL);

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      guint per_row = l + 1 < mlp->n_layers ? 3 : 4;

      for (guint r = 0; r < layer->out_dim; r++)
        {
          guint row_frozen = 0;

          for (guint c = 0; c < layer->in_dim; c++)
            {
              gsize k = (gsize) r * layer->in_dim + c;

              if (layer->mask[k] != 0.0f)
                continue;
              row_frozen++;
              g_assert_cmpfloat (gradient[layer->weight_offset + k], ==, 0.0f);
              g_assert_cmpfloat (fabsf (layer->fixed[k]), >, 0.0f);
            }
          g_assert_cmpuint (row_frozen, ==, per_row);
          frozen += row_frozen;
        }
    }
  g_assert_cmpuint (frozen, >, 0);

  basin_workspace_free (ws);
  basin_mlp_free (mlp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/gradient/all-combinations", test_gradient_all_combinations);
  g_test_add_func ("/core/gradient/frozen-entries", test_gradient_frozen_entries);
  return g_test_run ();
}
