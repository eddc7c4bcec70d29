/* test-identifiability.c: dense linear algebra, activation recording,
 * neuron similarity, linear CKA, identifiability statistics, realization
 * and swap costs, and the Gaussian-subspace data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "basin/basin.h"

static float *
random_floats (gsize   n,
               guint64 seed)
{
  float *x = g_new (float, n);
  BasinRng rng;

  basin_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    x[i] = (float) basin_rng_normal (&rng);
  return x;
}

static BasinMlp *
make_mlp (BasinVariant variant,
          guint        input_dim,
          guint        width,
          guint        depth,
          gboolean     layer_norm,
          guint64      seed)
{
  BasinMlpConfig config = {
    .input_dim = input_dim, .output_dim = 3, .depth = depth, .width = width,
    .activation = BASIN_ACTIVATION_RELU, .layer_norm = layer_norm,
    .variant = variant, .sigma_f = 1.0, .mask_seed = 11,
  };
  g_autoptr (GError) error = NULL;
  BasinMlp *mlp = basin_mlp_new (&config, seed, &error);

  g_assert_no_error (error);
  return mlp;
}

static BasinDataset *
gaussian_dataset (guint   n,
                  guint   dim,
                  guint64 seed)
{
  BasinDataset *dataset = basin_dataset_new_features ("gaussian", n, dim, 2);
  g_autofree float *x = random_floats ((gsize) n * dim, seed);

  memcpy (dataset->features, x, (gsize) n * dim * sizeof (float));
  for (guint i = 0; i < n; i++)
    dataset->labels[i] = i % 2;
  return dataset;
}

/* Returns max |Σ_c a[r,c] b[c,s] − expected[r,s]| for n × n matrices. */
static double
product_error (const double *a,
               const double *b,
               const double *expected,
               guint         n)
{
  double max = 0.0;

  for (guint r = 0; r < n; r++)
    for (guint s = 0; s < n; s++)
      {
        double sum = 0.0;

        for (guint c = 0; c < n; c++)
          sum += a[r * n + c] * b[c * n + s];
        max = MAX (max, fabs (sum - expected[r * n + s]));
      }
  return max;
}

static void
test_linalg_eigen_pairs (void)
{
  const guint n = 7;
  double a[49], vectors[49], values[7];
  g_autoptr (GError) error = NULL;
  BasinRng rng;

  basin_rng_init (&rng, 3);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c <= r; c++)
      a[r * n + c] = a[c * n + r] = basin_rng_normal (&rng);
  memcpy (vectors, a, sizeof a);

  g_assert_true (basin_symmetric_eigen (vectors, n, values, &error));
  g_assert_no_error (error);
  for (guint j = 0; j < n; j++)
    {
      const double *v = vectors + j * n;
      double norm = 0.0;

      if (j > 0)
        g_assert_cmpfloat (values[j - 1], <=, values[j]);
      for (guint r = 0; r < n; r++)
        {
          double av = 0.0;

          for (guint c = 0; c < n; c++)
            av += a[r * n + c] * v[c];
          g_assert_cmpfloat_with_epsilon (av, values[j] * v[r], 1e-12);
          norm += v[r] * v[r];
        }
      g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-12);
    }

  a[3] = NAN;
  g_assert_false (basin_symmetric_eigen (a, n, values, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
}

/* The pseudo-inverse of a rank-2 matrix satisfies the Moore–Penrose
 * conditions S S⁺ S = S and S⁺ S S⁺ = S⁺. */
static void
test_linalg_pseudo_inverse (void)
{
  const guint n = 5;
  double b[10], s[25], inverse[25], product[25];
  g_autoptr (GError) error = NULL;
  guint rank = 0;
  BasinRng rng;

  basin_rng_init (&rng, 4);
  for (guint i = 0; i < 10; i++)
    b[i] = basin_rng_normal (&rng);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < n; c++)
      s[r * n + c] = b[r * 2] * b[c * 2] + b[r * 2 + 1] * b[c * 2 + 1];

  g_assert_true (basin_psd_pseudo_inverse (s, n, 1e-10, inverse, &rank, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rank, ==, 2);

  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < n; c++)
      {
        double sum = 0.0;

        for (guint t = 0; t < n; t++)
          sum += s[r * n + t] * inverse[t * n + c];
        product[r * n + c] = sum;
        g_assert_cmpfloat (inverse[r * n + c], ==, inverse[c * n + r]);
      }
  g_assert_cmpfloat (product_error (product, s, s, n), <, 1e-10);
  {
    double back[25];

    for (guint r = 0; r < n; r++)
      for (guint c = 0; c < n; c++)
        {
          double sum = 0.0;

          for (guint t = 0; t < n; t++)
            sum += inverse[r * n + t] * s[t * n + c];
          back[r * n + c] = sum;
        }
    g_assert_cmpfloat (product_error (back, inverse, inverse, n), <, 1e-8);
  }
}

/* PCA variances and directions must satisfy the eigen-equation of the
 * covariance computed directly in double. */
static void
test_linalg_pca_reference (void)
{
  const guint n = 3000, d = 6;
  const double scales[4] = { 4.0, 2.0, 1.0, 0.5 };
  g_autofree float *x = g_new (float, n * d);
  double basis[24], cov[36] = { 0 }, mean[6] = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinPca) pca = NULL;
  BasinRng rng;

  basin_rng_init (&rng, 5);
  basin_random_orthonormal_basis (&rng, d, 4, basis);
  for (guint r = 0; r < n; r++)
    {
      double z[4];

      for (guint t = 0; t < 4; t++)
        z[t] = scales[t] * basin_rng_normal (&rng);
      for (guint c = 0; c < d; c++)
        x[r * d + c] = (float) (1.5 + basis[c * 4 + 0] * z[0] + basis[c * 4 + 1] * z[1]
                                + basis[c * 4 + 2] * z[2] + basis[c * 4 + 3] * z[3]);
    }

  pca = basin_pca_new (x, d, n, d, 0.9, NULL, &error);
  g_assert_no_error (error);
  /* 16 / 21.25 = 0.75 < 0.9 ≤ 20 / 21.25 = 0.94, so two directions. */
  g_assert_cmpuint (pca->k, ==, 2);
  g_assert_cmpfloat (pca->explained, >=, 0.9);

  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < d; c++)
      mean[c] += x[r * d + c] / (double) n;
  for (guint r = 0; r < n; r++)
    for (guint i = 0; i < d; i++)
      for (guint j = 0; j < d; j++)
        cov[i * d + j] += (x[r * d + i] - mean[i]) * (x[r * d + j] - mean[j]) / n;

  for (guint c = 0; c < pca->k; c++)
    for (guint i = 0; i < d; i++)
      {
        double cu = 0.0;

        for (guint j = 0; j < d; j++)
          cu += cov[i * d + j] * pca->basis[j * pca->k + c];
        g_assert_cmpfloat_with_epsilon (cu, pca->variance[c] * pca->basis[i * pca->k + c], 1e-9);
      }
  g_assert_cmpfloat_with_epsilon (pca->mean[0], mean[0], 1e-9);
  g_assert_cmpfloat_with_epsilon (pca->variance[0], 16.0, 1.0);
}

static void
test_linalg_pca_rejects_bad_input (void)
{
  float constant[12] = { 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3 };
  float bad[4] = { 1, 2, NAN, 4 };
  g_autoptr (GError) error = NULL;

  g_assert_null (basin_pca_new (constant, 3, 4, 3, 0.9, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (basin_pca_new (bad, 2, 2, 2, 0.9, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (basin_pca_new (constant, 3, 4, 3, 1.5, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
}

static void
test_identifiability_sample_rows (void)
{
  BasinDataset *dataset = basin_dataset_new_features ("rows", 100, 1, 2);
  g_autofree guint32 *rows = NULL, *again = NULL, *other = NULL, *all = NULL;
  guint n = 0, n_again = 0, n_other = 0, n_all = 0;

  rows = basin_dataset_sample_rows (dataset, 30, 5, &n);
  again = basin_dataset_sample_rows (dataset, 30, 5, &n_again);
  other = basin_dataset_sample_rows (dataset, 30, 6, &n_other);
  g_assert_cmpuint (n, ==, 30);
  g_assert_cmpmem (rows, n * sizeof (guint32), again, n_again * sizeof (guint32));
  g_assert_true (memcmp (rows, other, n * sizeof (guint32)) != 0);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (rows[i], <, 100);
      if (i > 0)
        g_assert_cmpuint (rows[i - 1], <, rows[i]);
    }

  all = basin_dataset_sample_rows (dataset, 500, 5, &n_all);
  g_assert_cmpuint (n_all, ==, 100);
  for (guint i = 0; i < n_all; i++)
    g_assert_cmpuint (all[i], ==, i);
  basin_dataset_free (dataset);
}

/* Recorded activations equal a direct forward pass on the same rows, and
 * the activation outputs are ReLU of the recorded activation inputs. */
static void
test_identifiability_record_activations (void)
{
  BasinMlp *mlp = make_mlp (BASIN_VARIANT_W_ASYMMETRIC, 5, 8, 2, TRUE, 1);
  BasinDataset *dataset = gaussian_dataset (1200, 5, 2);
  guint32 rows[3] = { 1100, 7, 600 };
  g_autoptr (BasinActivations) post = NULL, pre = NULL, first = NULL;
  g_autoptr (GError) error = NULL;
  BasinWorkspace *ws = basin_workspace_new (mlp, 3);
  float x[15];

  post = basin_record_activations (mlp, dataset, rows, 3, FALSE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  pre = basin_record_activations (mlp, dataset, rows, 3, TRUE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (post->n_layers, ==, 2);
  g_assert_cmpuint (post->n_rows, ==, 3);

  basin_dataset_gather (dataset, rows, 3, x, NULL);
  basin_mlp_forward (mlp, ws, x, 3);
  for (guint l = 0; l < 2; l++)
    {
      g_assert_cmpmem (post->values[l], 3 * 8 * sizeof (float),
                       basin_workspace_activation (ws, l), 3 * 8 * sizeof (float));
      for (guint i = 0; i < 3 * 8; i++)
        g_assert_cmpfloat (post->values[l][i], ==, MAX (pre->values[l][i], 0.0f));
    }

  /* More rows than one batch, taken from the start of the data. */
  first = basin_record_activations (mlp, dataset, NULL, 1200, FALSE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (first->values[1] + 600 * 8, 8 * sizeof (float),
                   post->values[1] + 2 * 8, 8 * sizeof (float));

  rows[1] = 5000;
  g_assert_null (basin_record_activations (mlp, dataset, rows, 3, FALSE, NULL, NULL, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);

  basin_workspace_free (ws);
  basin_dataset_free (dataset);
  basin_mlp_free (mlp);
}

static void
test_identifiability_record_cancelled (void)
{
  BasinMlp *mlp = make_mlp (BASIN_VARIANT_STANDARD, 4, 6, 1, FALSE, 1);
  BasinDataset *dataset = gaussian_dataset (50, 4, 2);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (basin_record_activations (mlp, dataset, NULL, 50, FALSE, cancellable,
                                           NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (basin_swap_costs_for_dataset (mlp, 0, dataset, NULL, 50, NULL,
                                               cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  basin_dataset_free (dataset);
  basin_mlp_free (mlp);
}

/* Cosine and dot product against direct double sums; an all-zero neuron
 * is flagged and scores 0, never NaN. */
static void
test_identifiability_similarity_reference (void)
{
  const guint n = 150, ma = 4, mb = 3;
  g_autofree float *a = random_floats (n * ma, 7);
  g_autofree float *b = random_floats (n * mb, 8);
  float cosine[12], dot[12], pearson[12], reference[12];
  guint8 flags_a[4], flags_b[3];

  for (guint r = 0; r < n; r++)
    {
      b[r * mb + 2] = 0.0f;            /* a dead neuron */
      a[r * ma + 3] = 2.0f;            /* constant, but not zero */
    }

  basin_similarity_matrix (BASIN_SIMILARITY_COSINE, a, ma, b, mb, n, ma, mb, cosine,
                           flags_a, flags_b);
  g_assert_cmpuint (flags_a[3], ==, 0);
  g_assert_cmpuint (flags_b[2], ==, 1);
  g_assert_cmpuint (flags_b[0], ==, 0);
  basin_similarity_matrix (BASIN_SIMILARITY_DOT, a, ma, b, mb, n, ma, mb, dot, NULL, NULL);

  for (guint i = 0; i < ma; i++)
    for (guint j = 0; j < mb; j++)
      {
        double ab = 0.0, aa = 0.0, bb = 0.0, expected;

        for (guint r = 0; r < n; r++)
          {
            ab += (double) a[r * ma + i] * b[r * mb + j];
            aa += (double) a[r * ma + i] * a[r * ma + i];
            bb += (double) b[r * mb + j] * b[r * mb + j];
          }
        expected = bb > 0.0 ? ab / sqrt (aa * bb) : 0.0;
        g_assert_false (isnan (cosine[i * mb + j]));
        g_assert_cmpfloat_with_epsilon (cosine[i * mb + j], expected, 1e-5);
        g_assert_cmpfloat_with_epsilon (dot[i * mb + j], ab / n, 1e-5);
      }

  /* Pearson flags the constant neuron and matches the matching code. */
  basin_similarity_matrix (BASIN_SIMILARITY_PEARSON, a, ma, b, mb, n, ma, mb, pearson,
                           flags_a, flags_b);
  basin_correlation_matrix (a, ma, b, mb, n, ma, mb, reference);
  g_assert_cmpmem (pearson, sizeof pearson, reference, sizeof reference);
  g_assert_cmpuint (flags_a[3], ==, 1);
  g_assert_cmpuint (flags_a[0], ==, 0);
  g_assert_cmpuint (flags_b[2], ==, 1);
  g_assert_cmpfloat (pearson[3 * mb + 0], ==, 0.0f);
}

/* Linear CKA from centered Gram matrices, HSIC(K, L) ∝ tr(K H L H), in
 * double precision. */
static double
naive_cka (const float *x,
           guint        p,
           const float *y,
           guint        q,
           guint        n)
{
  g_autofree double *k = g_new0 (double, n * n);
  g_autofree double *l = g_new0 (double, n * n);
  double kl = 0.0, kk = 0.0, ll = 0.0;

  for (guint r = 0; r < n; r++)
    for (guint s = 0; s < n; s++)
      {
        for (guint c = 0; c < p; c++)
          k[r * n + s] += (double) x[r * p + c] * x[s * p + c];
        for (guint c = 0; c < q; c++)
          l[r * n + s] += (double) y[r * q + c] * y[s * q + c];
      }

  /* Double centering H K H: subtract row and column means, add the mean. */
  for (int pass = 0; pass < 2; pass++)
    {
      double *g = pass == 0 ? k : l;
      g_autofree double *row_mean = g_new0 (double, n);
      double total = 0.0;

      for (guint r = 0; r < n; r++)
        {
          for (guint s = 0; s < n; s++)
            row_mean[r] += g[r * n + s] / n;
          total += row_mean[r] / n;
        }
      for (guint r = 0; r < n; r++)
        for (guint s = 0; s < n; s++)
          g[r * n + s] += total - row_mean[r] - row_mean[s];
    }

  for (guint i = 0; i < n * n; i++)
    {
      kl += k[i] * l[i];
      kk += k[i] * k[i];
      ll += l[i] * l[i];
    }
  return kl / sqrt (kk * ll);
}

static void
test_identifiability_cka_properties (void)
{
  const guint n = 80, p = 6, q = 4;
  g_autofree float *x = random_floats (n * p, 9);
  g_autofree float *y = random_floats (n * q, 10);
  g_autofree float *transformed = g_new (float, n * p);
  g_autofree float *scaled_y = g_new (float, n * q);
  const guint perm[6] = { 3, 0, 5, 1, 4, 2 };
  float constant[80];
  double cka;

  /* Make y partly depend on x, so CKA lies strictly inside (0, 1). */
  for (guint r = 0; r < n; r++)
    {
      y[r * q] += x[r * p] - 0.5f * x[r * p + 2];
      for (guint c = 0; c < p; c++)
        transformed[r * p + c] = 3.5f * x[r * p + perm[c]] + 1.0f;
      for (guint c = 0; c < q; c++)
        scaled_y[r * q + c] = 0.25f * y[r * q + c] - 2.0f;
      constant[r] = 4.0f;
    }

  g_assert_cmpfloat_with_epsilon (basin_linear_cka (x, p, x, p, n, p, p), 1.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (basin_linear_cka (x, p, transformed, p, n, p, p), 1.0, 1e-5);

  cka = basin_linear_cka (x, p, y, q, n, p, q);
  g_assert_cmpfloat (cka, >, 0.05);
  g_assert_cmpfloat (cka, <, 0.95);
  g_assert_cmpfloat_with_epsilon (cka, naive_cka (x, p, y, q, n), 1e-5);
  g_assert_cmpfloat_with_epsilon (basin_linear_cka (transformed, p, scaled_y, q, n, p, q),
                                  cka, 1e-5);
  g_assert_cmpfloat_with_epsilon (basin_linear_cka (y, q, x, p, n, q, p), cka, 1e-6);
  g_assert_cmpfloat (basin_linear_cka (x, p, constant, 1, n, p, 1), ==, 0.0);
}

static void
test_identifiability_layer_statistics (void)
{
  /* π = (1, 0, 2): objective 0.8 + 0.7 + 0.9 = 2.4, identity 0.2 + 0.1 + 0.9. */
  const float c[9] = { 0.2f, 0.8f, 0.0f,
                       0.7f, 0.1f, 0.0f,
                       0.0f, 0.3f, 0.9f };
  const guint32 perm[3] = { 1, 0, 2 };
  g_autofree float *diagonal = g_new0 (float, 36);
  const guint32 identity[6] = { 0, 1, 2, 3, 4, 5 };
  BasinLayerIdentifiability stats, again;
  double expected_mean = 0.0;

  basin_layer_identifiability (c, perm, 3, 0, 1, &stats);
  g_assert_cmpfloat_with_epsilon (stats.identity_rate, 1.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (stats.objective, 2.4, 1e-6);
  g_assert_cmpfloat_with_epsilon (stats.identity_objective, 1.2, 1e-6);
  g_assert_cmpfloat_with_epsilon (stats.objective_ratio, 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (stats.mean_matched, 0.8, 1e-6);
  g_assert_true (isnan (stats.random_mean));

  /* The mean over uniform permutations is Σ_ij C_ij / m. */
  for (guint i = 0; i < 36; i++)
    diagonal[i] = (float) (i % 7) / 10.0f;
  for (guint i = 0; i < 6; i++)
    diagonal[i * 6 + i] = 2.0f;
  for (guint i = 0; i < 36; i++)
    expected_mean += diagonal[i] / 6.0;

  basin_layer_identifiability (diagonal, identity, 6, 4000, 42, &stats);
  basin_layer_identifiability (diagonal, identity, 6, 4000, 42, &again);
  g_assert_cmpfloat (stats.random_mean, ==, again.random_mean);
  g_assert_cmpfloat_with_epsilon (stats.random_mean, expected_mean, 0.05);
  g_assert_cmpfloat (stats.random_std, >, 0.1);
  /* Only the identity itself (1 in 720) reaches the identity objective. */
  g_assert_cmpfloat (stats.random_below_identity, >, 0.99);
  g_assert_cmpfloat (stats.identity_rate, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (stats.objective_ratio, 1.0, 1e-12);
}

/* Sets every entry of a mask row or fixed row of layer 0. */
static void
set_row (float       *matrix,
         guint        row,
         guint        n_cols,
         const float *values)
{
  memcpy (matrix + row * n_cols, values, n_cols * sizeof (float));
}

/* R on a tiny layer with a scaling mask, against the definition computed
 * by hand: S_i = Σ_r d_ir² U_r U_rᵀ inverted as a 2 × 2 matrix. */
static void
test_swap_cost_direct_reference (void)
{
  const guint d = 4, m = 3, k = 2;
  const float masks[3][4] = { { 0, 1, 1, 1 }, { 0.5f, 2, 0, 1 }, { 1, 1, 1, 1 } };
  BasinMlp *mlp = make_mlp (BASIN_VARIANT_W_ASYMMETRIC, d, m, 1, FALSE, 3);
  BasinLayer *layer = &mlp->layers[0];
  double basis[8], realization[9];
  guint8 infeasible[9];
  BasinSwapCostOptions options;
  g_autoptr (GError) error = NULL;
  BasinRng rng;

  for (guint i = 0; i < m; i++)
    set_row (layer->mask, i, d, masks[i]);
  basin_rng_init (&rng, 12);
  basin_random_orthonormal_basis (&rng, d, k, basis);
  basin_swap_cost_options_init_default (&options);

  g_assert_true (basin_realization_costs (mlp, 0, basis, k, &options, realization,
                                          infeasible, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < m; i++)
    {
      double s[4] = { 0 }, v[2] = { 0 }, det, inv[4];

      for (guint r = 0; r < d; r++)
        {
          double dd = (double) layer->mask[i * d + r] * layer->mask[i * d + r];

          for (guint a = 0; a < k; a++)
            {
              v[a] += basis[r * k + a] * layer->fixed[i * d + r];
              for (guint b = 0; b < k; b++)
                s[a * k + b] += dd * basis[r * k + a] * basis[r * k + b];
            }
        }
      det = s[0] * s[3] - s[1] * s[2];
      inv[0] = s[3] / det, inv[1] = -s[1] / det, inv[2] = -s[2] / det, inv[3] = s[0] / det;

      for (guint j = 0; j < m; j++)
        {
          double diff[2] = { -v[0], -v[1] }, expected;

          for (guint r = 0; r < d; r++)
            {
              double w = layer->fixed[j * d + r]
                         + (double) layer->mask[j * d + r] * basin_mlp_weight (mlp, 0)[j * d + r];

              diff[0] += basis[r * k] * w;
              diff[1] += basis[r * k + 1] * w;
            }
          expected = diff[0] * (inv[0] * diff[0] + inv[1] * diff[1])
                     + diff[1] * (inv[2] * diff[0] + inv[3] * diff[1]);
          g_assert_cmpuint (infeasible[i * m + j], ==, 0);
          g_assert_cmpfloat_with_epsilon (realization[i * m + j], expected,
                                          1e-9 * MAX (1.0, expected));
        }
    }
  basin_mlp_free (mlp);
}

/* With U along the first two axes and neuron 0 unable to train input 0,
 * neuron 0 cannot take over any function that uses input 0. */
static void
test_swap_cost_infeasible_flagged (void)
{
  const guint d = 4, m = 3, k = 2;
  const float mask0[4] = { 0, 1, 1, 1 }, ones[4] = { 1, 1, 1, 1 };
  const float weights[3][4] = { { 0, 0.3f, 1, 1 }, { 0.7f, -0.2f, 1, 1 }, { 0, 0.5f, 1, 1 } };
  BasinMlp *mlp = make_mlp (BASIN_VARIANT_W_ASYMMETRIC, d, m, 1, FALSE, 3);
  BasinLayer *layer = &mlp->layers[0];
  const double basis[8] = { 1, 0, 0, 1, 0, 0, 0, 0 };
  double realization[9], swap[9];
  guint8 infeasible[9];
  BasinSwapCostOptions options;
  g_autoptr (GError) error = NULL;

  memset (layer->fixed, 0, d * m * sizeof (float));
  set_row (layer->mask, 0, d, mask0);
  set_row (layer->mask, 1, d, ones);
  set_row (layer->mask, 2, d, ones);
  for (guint i = 0; i < m; i++)
    set_row (basin_mlp_weight (mlp, 0), i, d, weights[i]);
  basin_swap_cost_options_init_default (&options);

  g_assert_true (basin_realization_costs (mlp, 0, basis, k, &options, realization,
                                          infeasible, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  basin_swap_cost_matrix (realization, m, swap);

  g_assert_cmpuint (infeasible[0 * m + 1], ==, 1);
  g_assert_true (isinf (realization[0 * m + 1]) && realization[0 * m + 1] > 0);
  g_assert_true (isinf (swap[0 * m + 1]) && isinf (swap[1 * m + 0]));
  /* Neuron 2 does not use input 0, so neuron 0 can realize it: 0.5². */
  g_assert_cmpuint (infeasible[0 * m + 2], ==, 0);
  g_assert_cmpfloat_with_epsilon (realization[0 * m + 2], 0.25, 1e-7);
  g_assert_cmpfloat_with_epsilon (realization[0 * m + 0], 0.09, 1e-7);
  /* Neuron 1 trains every input: R_10 = ‖a_0‖² = 0.3². */
  g_assert_cmpuint (infeasible[1 * m + 0], ==, 0);
  g_assert_cmpfloat_with_epsilon (realization[1 * m + 0], 0.09, 1e-7);
  g_assert_cmpfloat_with_epsilon (swap[0 * m + 2], 0.25 + 0.09 - 0.09 - 0.25, 1e-7);
  basin_mlp_free (mlp);
}

/* Δ is symmetric with a zero diagonal and follows its definition from R. */
static void
test_swap_cost_symmetric (void)
{
  BasinMlp *mlp = make_mlp (BASIN_VARIANT_W_ASYMMETRIC, 12, 10, 2, TRUE, 4);
  BasinDataset *dataset = gaussian_dataset (300, 12, 5);
  g_autoptr (BasinSwapCosts) costs = NULL;
  g_autoptr (GError) error = NULL;
  guint m;

  for (guint layer = 0; layer < 2; layer++)
    {
      g_clear_pointer (&costs, basin_swap_costs_free);
      costs = basin_swap_costs_for_dataset (mlp, layer, dataset, NULL, 300, NULL,
                                            NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      m = costs->width;
      g_assert_cmpuint (m, ==, 10);
      g_assert_cmpuint (costs->k, >=, 1);
      g_assert_cmpuint (costs->k, <=, costs->dim);
      g_assert_cmpfloat (costs->explained, >=, 0.9);

      for (guint i = 0; i < m; i++)
        {
          g_assert_cmpfloat (costs->swap[i * m + i], ==, 0.0);
          for (guint j = 0; j < m; j++)
            {
              double expected = costs->realization[i * m + j] + costs->realization[j * m + i]
                                - costs->realization[i * m + i]
                                - costs->realization[j * m + j];

              g_assert_cmpfloat (costs->swap[i * m + j], ==, costs->swap[j * m + i]);
              if (i != j)
                g_assert_cmpfloat_with_epsilon (costs->swap[i * m + j], expected, 1e-12);
            }
        }
    }

  g_assert_null (basin_swap_costs_for_dataset (mlp, 2, dataset, NULL, 300, NULL,
                                               NULL, NULL, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  basin_dataset_free (dataset);
  basin_mlp_free (mlp);
}

static double
max_abs (const double *values,
         gsize         n)
{
  double max = 0.0;

  for (gsize i = 0; i < n; i++)
    max = MAX (max, fabs (values[i]));
  return max;
}

/* A standard MLP has S_i = I and v_i = 0, so every swap is free.  The
 * explicit all-ones mask and zero fixed part take the general path
 * through the eigendecomposition of S_i. */
static void
test_swap_cost_standard_zero (void)
{
  BasinMlp *mlp = make_mlp (BASIN_VARIANT_STANDARD, 12, 10, 2, FALSE, 6);
  BasinDataset *dataset = gaussian_dataset (300, 12, 7);
  g_autoptr (GError) error = NULL;

  for (int general = 0; general <= 1; general++)
    {
      g_autoptr (BasinSwapCosts) costs = NULL;
      BasinSwapCostSummary summary;

      if (general)
        for (guint l = 0; l < mlp->n_layers; l++)
          {
            gsize size = (gsize) mlp->layers[l].out_dim * mlp->layers[l].in_dim;

            mlp->layers[l].fixed = g_new0 (float, size);
            mlp->layers[l].mask = g_new (float, size);
            for (gsize i = 0; i < size; i++)
              mlp->layers[l].mask[i] = 1.0f;
          }

      costs = basin_swap_costs_for_dataset (mlp, 1, dataset, NULL, 300, NULL,
                                            NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (max_abs (costs->realization, 100), >, 0.01);
      g_assert_cmpfloat (max_abs (costs->swap, 100), <,
                         1e-10 * max_abs (costs->realization, 100));
      g_assert_cmpuint (costs->n_infeasible, ==, 0);

      basin_swap_costs_summarize (costs, 0.1, &summary);
      g_assert_cmpuint (summary.n_pairs, ==, 45);
      g_assert_cmpfloat (summary.cheap_fraction, ==, 1.0);
      g_assert_cmpfloat (summary.negative_fraction, ==, 0.0);
    }

  basin_dataset_free (dataset);
  basin_mlp_free (mlp);
}

static void
test_swap_cost_coherence (void)
{
  const guint d = 1000, k = 50;
  g_autofree double *basis = g_new0 (double, d * k);
  double axes[30] = { 0 };
  double coherence;
  BasinRng rng;

  /* Columns e_0, e_4, e_7 in R^10. */
  axes[0 * 3 + 0] = axes[4 * 3 + 1] = axes[7 * 3 + 2] = 1.0;
  g_assert_cmpfloat_with_epsilon (basin_subspace_coherence (axes, 10, 3), 1.0, 1e-15);

  basin_rng_init (&rng, 13);
  basin_random_orthonormal_basis (&rng, d, k, basis);
  for (guint a = 0; a < k; a++)
    for (guint b = 0; b <= a; b++)
      {
        double dot = 0.0;

        for (guint r = 0; r < d; r++)
          dot += basis[r * k + a] * basis[r * k + b];
        g_assert_cmpfloat_with_epsilon (dot, a == b ? 1.0 : 0.0, 1e-12);
      }

  /* Each squared row norm is about (k/d) · χ²_k / k; the largest of 1000
   * stays well below 2.5 k/d. */
  coherence = basin_subspace_coherence (basis, d, k);
  g_assert_cmpfloat (coherence, >=, (double) k / d);
  g_assert_cmpfloat (coherence, <, 2.5 * k / d);
}

static void
test_swap_cost_session (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("moons", &error);
  BasinSession *session;
  g_autoptr (BasinSwapCosts) costs = NULL, direct = NULL;
  g_autofree guint32 *rows = NULL;
  guint n_rows = 0;

  g_assert_no_error (error);
  e->n_samples = 400;
  session = basin_session_new (e, NULL, &error);
  g_assert_no_error (error);

  costs = basin_session_swap_costs (session, 0, 1, 50, 9, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  rows = basin_dataset_sample_rows (session->test, 50, 9, &n_rows);
  direct = basin_swap_costs_for_dataset (session->runs[0], 1, session->test, rows, n_rows,
                                         NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (costs->width, ==, e->model.width);
  g_assert_cmpmem (costs->swap, (gsize) costs->width * costs->width * sizeof (double),
                   direct->swap, (gsize) direct->width * direct->width * sizeof (double));

  g_assert_null (basin_session_swap_costs (session, 2, 0, 50, 9, NULL, NULL, NULL, NULL,
                                           &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  basin_session_free (session);
  basin_experiment_free (e);
}

static void
test_gaussian_data_shape_and_labels (void)
{
  BasinDataset *data = basin_dataset_new_gaussian_subspace (1001, 3, 4, 20, 3.0, 1, 2);
  guint counts[3] = { 0 };

  g_assert_cmpuint (data->n_samples, ==, 1001);
  g_assert_cmpuint (data->dim, ==, 20);
  g_assert_cmpuint (data->n_classes, ==, 3);
  g_assert_nonnull (data->features);
  g_assert_null (data->pixels);
  for (guint i = 0; i < data->n_samples; i++)
    {
      g_assert_cmpuint (data->labels[i], <, 3);
      counts[data->labels[i]]++;
    }
  g_assert_cmpuint (counts[0], ==, 334);
  g_assert_cmpuint (counts[1], ==, 334);
  g_assert_cmpuint (counts[2], ==, 333);
  basin_dataset_free (data);
}

/* Returns the largest share of a sample's norm outside span(@basis). */
static double
max_residual (const BasinDataset *data,
              const double       *basis,
              guint               k)
{
  double max = 0.0;

  for (guint i = 0; i < data->n_samples; i++)
    {
      const float *x = data->features + (gsize) i * data->dim;
      double coords[64] = { 0 }, norm = 0.0, inside = 0.0;

      for (guint r = 0; r < data->dim; r++)
        {
          norm += (double) x[r] * x[r];
          for (guint c = 0; c < k; c++)
            coords[c] += basis[r * k + c] * x[r];
        }
      for (guint c = 0; c < k; c++)
        inside += coords[c] * coords[c];
      max = MAX (max, sqrt (MAX (norm - inside, 0.0) / norm));
    }
  return max;
}

static void
test_gaussian_data_seeds (void)
{
  const guint n = 400, k = 5, d = 30;
  BasinDataset *a = basin_dataset_new_gaussian_subspace (n, 2, k, d, 2.0, 7, 1);
  BasinDataset *same = basin_dataset_new_gaussian_subspace (n, 2, k, d, 2.0, 7, 1);
  BasinDataset *resampled = basin_dataset_new_gaussian_subspace (n, 2, k, d, 2.0, 7, 2);
  BasinDataset *other = basin_dataset_new_gaussian_subspace (n, 2, k, d, 2.0, 8, 1);
  g_autoptr (BasinPca) pca = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpmem (a->features, n * d * sizeof (float), same->features, n * d * sizeof (float));
  g_assert_true (memcmp (a->features, resampled->features, n * d * sizeof (float)) != 0);

  /* The rows of the first dataset span the subspace, since n ≫ k. */
  pca = basin_pca_new (a->features, d, n, d, 0.999999, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pca->k, ==, k);
  g_assert_cmpfloat (max_residual (resampled, pca->basis, k), <, 1e-5);
  g_assert_cmpfloat (max_residual (other, pca->basis, k), >, 0.1);

  basin_dataset_free (a);
  basin_dataset_free (same);
  basin_dataset_free (resampled);
  basin_dataset_free (other);
}

/* Exactly k principal variances are nonzero, and each class mean lies at
 * distance `separation` from the origin. */
static void
test_gaussian_data_rank (void)
{
  const guint n = 6000, k = 8, d = 64, classes = 3;
  const double separation = 4.0;
  BasinDataset *data = basin_dataset_new_gaussian_subspace (n, classes, k, d, separation, 3, 4);
  g_autoptr (BasinPca) pca = NULL;
  g_autoptr (GError) error = NULL;

  pca = basin_pca_new (data->features, d, n, d, 1.0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (pca->variance[k - 1], >, 0.5);
  g_assert_cmpfloat (pca->variance[k], <, 1e-9 * pca->variance[0]);

  for (guint c = 0; c < classes; c++)
    {
      double mean[64] = { 0 }, norm = 0.0;

      for (guint i = c; i < n; i += classes)
        for (guint r = 0; r < d; r++)
          mean[r] += data->features[(gsize) i * d + r] / (n / classes);
      for (guint r = 0; r < d; r++)
        norm += mean[r] * mean[r];
      g_assert_cmpfloat_with_epsilon (sqrt (norm), separation, 0.25);
    }
  basin_dataset_free (data);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/linalg/eigen-pairs", test_linalg_eigen_pairs);
  g_test_add_func ("/core/linalg/pseudo-inverse", test_linalg_pseudo_inverse);
  g_test_add_func ("/core/linalg/pca-reference", test_linalg_pca_reference);
  g_test_add_func ("/core/linalg/pca-rejects-bad-input", test_linalg_pca_rejects_bad_input);
  g_test_add_func ("/core/identifiability/sample-rows", test_identifiability_sample_rows);
  g_test_add_func ("/core/identifiability/record-activations",
                   test_identifiability_record_activations);
  g_test_add_func ("/core/identifiability/record-cancelled",
                   test_identifiability_record_cancelled);
  g_test_add_func ("/core/identifiability/similarity-reference",
                   test_identifiability_similarity_reference);
  g_test_add_func ("/core/identifiability/cka-properties", test_identifiability_cka_properties);
  g_test_add_func ("/core/identifiability/layer-statistics",
                   test_identifiability_layer_statistics);
  g_test_add_func ("/core/swap-cost/direct-reference", test_swap_cost_direct_reference);
  g_test_add_func ("/core/swap-cost/infeasible-flagged", test_swap_cost_infeasible_flagged);
  g_test_add_func ("/core/swap-cost/symmetric", test_swap_cost_symmetric);
  g_test_add_func ("/core/swap-cost/standard-zero", test_swap_cost_standard_zero);
  g_test_add_func ("/core/swap-cost/coherence", test_swap_cost_coherence);
  g_test_add_func ("/core/swap-cost/session", test_swap_cost_session);
  g_test_add_func ("/core/gaussian-data/shape-and-labels", test_gaussian_data_shape_and_labels);
  g_test_add_func ("/core/gaussian-data/seeds", test_gaussian_data_seeds);
  g_test_add_func ("/core/gaussian-data/rank", test_gaussian_data_rank);
  return g_test_run ();
}
