/* basin-identifiability.c: activation recording, neuron similarity, linear
 * CKA and the statistics that measure how identifiable matched neurons are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-identifiability.h"
#include "basin-rng.h"

#define RECORD_BATCH 500

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

/**
 * basin_dataset_sample_rows:
 * @dataset: the dataset to draw from
 * @n_requested: number of rows wanted; 0 means every row
 * @seed: seed of the draw
 * @n_rows_out: (out): number of rows returned, `min (n_requested,
 *   n_samples)`
 *
 * Draws distinct rows uniformly at random without replacement, so that
 * analyses can share one fixed evaluation set.  The same @seed and dataset
 * size always give the same rows.
 *
 * Returns: (transfer full) (array length=n_rows_out): the row indices in
 *   increasing order
 */
guint32 *
basin_dataset_sample_rows (const BasinDataset *dataset,
                           guint               n_requested,
                           guint64             seed,
                           guint              *n_rows_out)
{
  guint n = dataset->n_samples;
  guint n_rows = n_requested == 0 ? n : MIN (n_requested, n);
  guint32 *rows = g_new (guint32, MAX (n, 1));
  BasinRng rng;

  for (guint i = 0; i < n; i++)
    rows[i] = i;

  /* A partial Fisher–Yates shuffle fills the first n_rows slots. */
  basin_rng_init (&rng, seed);
  for (guint i = 0; i < n_rows && n_rows < n; i++)
    {
      guint32 pick = i + basin_rng_below (&rng, n - i);
      guint32 row = rows[pick];

      rows[pick] = rows[i];
      rows[i] = row;
    }

  qsort (rows, n_rows, sizeof (guint32), compare_rows);
  *n_rows_out = n_rows;
  return rows;
}

static gboolean
check_recording (const BasinMlp     *mlp,
                 const BasinDataset *dataset,
                 const guint32      *rows,
                 guint               n_rows,
                 GError            **error)
{
  if (dataset->dim != mlp->config.input_dim)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("The data has %u features but the network expects %u."),
                   dataset->dim, mlp->config.input_dim);
      return FALSE;
    }
  if (n_rows == 0 || (rows == NULL && n_rows > dataset->n_samples))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Cannot record activations on %u of the %u samples; use "
                     "1 to %u samples."), n_rows, dataset->n_samples,
                   dataset->n_samples);
      return FALSE;
    }
  for (guint i = 0; rows != NULL && i < n_rows; i++)
    if (rows[i] >= dataset->n_samples)
      {
        g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                     _("Row %u is out of range: the data has %u samples."),
                     rows[i], dataset->n_samples);
        return FALSE;
      }
  return TRUE;
}

static BasinActivations *
activations_new (const BasinMlp *mlp,
                 guint           n_rows,
                 gboolean        pre_activation)
{
  BasinActivations *act = g_new0 (BasinActivations, 1);

  act->n_layers = mlp->n_layers - 1;
  act->n_rows = n_rows;
  act->pre_activation = pre_activation;
  act->widths = g_new (guint, act->n_layers);
  act->values = g_new0 (float *, act->n_layers);
  for (guint l = 0; l < act->n_layers; l++)
    {
      act->widths[l] = mlp->layers[l].out_dim;
      act->values[l] = g_new (float, (gsize) n_rows * act->widths[l]);
    }
  return act;
}

/* Copies the outputs of every hidden layer for the batch that starts at
 * row @first of the recording. */
static void
store_batch (BasinActivations     *act,
             const BasinWorkspace *ws,
             guint                 first,
             guint                 rows)
{
  for (guint l = 0; l < act->n_layers; l++)
    {
      const float *source = act->pre_activation
                          ? basin_workspace_pre_activation (ws, l)
                          : basin_workspace_activation (ws, l);

      memcpy (act->values[l] + (gsize) first * act->widths[l], source,
              (gsize) rows * act->widths[l] * sizeof (float));
    }
}

/**
 * basin_record_activations:
 * @mlp: the network
 * @dataset: the inputs
 * @rows: (nullable) (array length=n_rows): rows of @dataset to record on,
 *   or %NULL for rows 0 to @n_rows − 1
 * @n_rows: number of inputs, at least 1
 * @pre_activation: record the activation inputs (after LayerNorm, when
 *   present) instead of the activation outputs
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Runs @mlp on the chosen inputs in batches and keeps the output of every
 * hidden layer.
 *
 * Returns: (transfer full) (nullable): one @n_rows × width array per hidden
 *   layer, or %NULL on invalid input or cancellation
 */
BasinActivations *
basin_record_activations (const BasinMlp     *mlp,
                          const BasinDataset *dataset,
                          const guint32      *rows,
                          guint               n_rows,
                          gboolean            pre_activation,
                          GCancellable       *cancellable,
                          BasinProgressFunc   progress,
                          gpointer            user_data,
                          GError            **error)
{
  g_autoptr (BasinActivations) act = NULL;
  g_autofree float *x = NULL;
  BasinWorkspace *ws;
  guint batch;

  if (!check_recording (mlp, dataset, rows, n_rows, error))
    return NULL;

  batch = MIN (RECORD_BATCH, n_rows);
  act = activations_new (mlp, n_rows, pre_activation);
  ws = basin_workspace_new (mlp, batch);
  x = g_new (float, (gsize) batch * dataset->dim);

  for (guint first = 0; first < n_rows; first += batch)
    {
      guint count = MIN (batch, n_rows - first);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_clear_pointer (&act, basin_activations_free);
          break;
        }
      if (progress != NULL)
        progress ((double) first / n_rows, _("Recording activations"), user_data);

      if (rows != NULL)
        basin_dataset_gather (dataset, rows + first, count, x, NULL);
      else
        basin_dataset_range (dataset, first, count, x, NULL);
      basin_mlp_forward (mlp, ws, x, count);
      store_batch (act, ws, first, count);
    }

  basin_workspace_free (ws);
  return g_steal_pointer (&act);
}

void
basin_activations_free (BasinActivations *act)
{
  if (act == NULL)
    return;

  for (guint l = 0; l < act->n_layers; l++)
    g_free (act->values[l]);
  g_free (act->values);
  g_free (act->widths);
  g_free (act);
}

/* Scales every column of the n × m block @in (row stride @stride) into the
 * dense @out: centered first if @center, then divided by the column norm
 * if @normalize.  Flags a column in @degenerate when it is constant
 * (centered) or all zero (not centered); such a column becomes zero.  The
 * constant test is the one basin_correlation_matrix() applies. */
static void
scale_columns (const float *in,
               guint        stride,
               guint        n_rows,
               guint        n_cols,
               gboolean     center,
               gboolean     normalize,
               float       *out,
               guint8      *degenerate)
{
  g_autofree double *mean = g_new0 (double, n_cols);
  g_autofree double *sum_sq = g_new0 (double, n_cols);

  for (guint r = 0; r < n_rows && center; r++)
    for (guint c = 0; c < n_cols; c++)
      mean[c] += in[(gsize) r * stride + c];
  for (guint c = 0; c < n_cols && center; c++)
    mean[c] /= n_rows;

  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_cols; c++)
      {
        double value = in[(gsize) r * stride + c] - mean[c];

        out[(gsize) r * n_cols + c] = (float) value;
        sum_sq[c] += value * value;
      }

  for (guint c = 0; c < n_cols; c++)
    {
      double norm = sqrt (sum_sq[c]);
      gboolean zero = center
                    ? !(norm > 1e-6 * (fabs (mean[c]) + 1e-30) * sqrt (n_rows) && norm > 1e-20)
                    : !(norm > 1e-20);
      float scale = 1.0f;

      if (zero)
        scale = 0.0f;
      else if (normalize)
        scale = (float) (1.0 / norm);

      if (degenerate != NULL)
        degenerate[c] = zero;
      for (guint r = 0; r < n_rows; r++)
        out[(gsize) r * n_cols + c] *= scale;
    }
}

/**
 * basin_similarity_matrix:
 * @kind: the similarity measure
 * @a: activations of run A, @n_rows × @m_a with row stride @a_stride
 * @a_stride: distance between rows of @a, in floats
 * @b: activations of run B, @n_rows × @m_b with row stride @b_stride
 * @b_stride: distance between rows of @b, in floats
 * @n_rows: number of inputs, at least 1
 * @m_a: neurons of A
 * @m_b: neurons of B
 * @out: (out caller-allocates): @m_a × @m_b similarities, row-major
 * @constant_a: (out caller-allocates) (optional): @m_a flags, 1 for a
 *   neuron of A that is constant (Pearson) or all zero (cosine, dot)
 * @constant_b: (out caller-allocates) (optional): the same for B
 *
 * Compares every neuron of A with every neuron of B over the same inputs.
 * A flagged neuron scores 0 with every neuron, so @out never contains NaN for
 * finite inputs.  Pearson and cosine values are clamped to [−1, 1].
 */
void
basin_similarity_matrix (BasinSimilarity kind,
                         const float    *a,
                         guint           a_stride,
                         const float    *b,
                         guint           b_stride,
                         guint           n_rows,
                         guint           m_a,
                         guint           m_b,
                         float          *out,
                         guint8         *constant_a,
                         guint8         *constant_b)
{
  gboolean center = kind == BASIN_SIMILARITY_PEARSON;
  gboolean normalize = kind != BASIN_SIMILARITY_DOT;
  g_autofree float *za = g_new (float, (gsize) n_rows * m_a);
  g_autofree float *zb = g_new (float, (gsize) n_rows * m_b);
  float alpha = normalize ? 1.0f : 1.0f / MAX (n_rows, 1);

  g_return_if_fail (n_rows > 0);

  if (kind != BASIN_SIMILARITY_PEARSON || constant_a != NULL)
    scale_columns (a, a_stride, n_rows, m_a, center, normalize, za, constant_a);
  if (kind != BASIN_SIMILARITY_PEARSON || constant_b != NULL)
    scale_columns (b, b_stride, n_rows, m_b, center, normalize, zb, constant_b);

  /* Pearson goes through the same routine as activation matching, so both
   * give bit-identical matrices.  The pass above only sets the flags. */
  if (kind == BASIN_SIMILARITY_PEARSON)
    {
      basin_correlation_matrix (a, a_stride, b, b_stride, n_rows, m_a, m_b, out);
      return;
    }

  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, m_a, m_b, n_rows,
               alpha, za, m_a, zb, m_b, 0.0f, out, m_b);
  if (normalize)
    for (gsize k = 0; k < (gsize) m_a * m_b; k++)
      out[k] = CLAMP (out[k], -1.0f, 1.0f);
}

/* Returns the squared Frobenius norm of @x (n × m) in double. */
static double
frobenius_squared (const float *x,
                   gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) x[i] * x[i];
  return sum;
}

/**
 * basin_linear_cka:
 * @x: @n_rows × @p features with row stride @x_stride
 * @x_stride: distance between rows of @x, in floats
 * @y: @n_rows × @q features with row stride @y_stride
 * @y_stride: distance between rows of @y, in floats
 * @n_rows: number of inputs, at least 1
 * @p: features of @x
 * @q: features of @y
 *
 * Computes linear centered kernel alignment (Kornblith et al., "Similarity
 * of neural network representations revisited", ICML 2019) in its feature
 * form `‖Y_cᵀ X_c‖_F² / (‖X_cᵀ X_c‖_F ‖Y_cᵀ Y_c‖_F)` with column-centered
 * `X_c`, `Y_c`.  It lies in [0, 1], equals 1 for identical inputs, and does
 * not change under orthogonal transformations (permutations among them)
 * or isotropic scaling of either side.  The products take
 * O(@n_rows · (p + q)²) time in float32; the norms accumulate in double.
 *
 * Returns: the CKA, or 0 when @x or @y is constant over the inputs
 */
double
basin_linear_cka (const float *x,
                  guint        x_stride,
                  const float *y,
                  guint        y_stride,
                  guint        n_rows,
                  guint        p,
                  guint        q)
{
  g_autofree float *xc = g_new (float, (gsize) n_rows * p);
  g_autofree float *yc = g_new (float, (gsize) n_rows * q);
  g_autofree float *prod = g_new (float, (gsize) MAX (p, q) * MAX (p, q));
  double cross, self_x, self_y;

  g_return_val_if_fail (n_rows > 0, 0.0);

  scale_columns (x, x_stride, n_rows, p, TRUE, FALSE, xc, NULL);
  scale_columns (y, y_stride, n_rows, q, TRUE, FALSE, yc, NULL);

  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, q, p, n_rows,
               1.0f, yc, q, xc, p, 0.0f, prod, p);
  cross = frobenius_squared (prod, (gsize) q * p);
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, p, p, n_rows,
               1.0f, xc, p, xc, p, 0.0f, prod, p);
  self_x = sqrt (frobenius_squared (prod, (gsize) p * p));
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, q, q, n_rows,
               1.0f, yc, q, yc, q, 0.0f, prod, q);
  self_y = sqrt (frobenius_squared (prod, (gsize) q * q));

  if (!(self_x > 0.0 && self_y > 0.0))
    return 0.0;
  return CLAMP (cross / (self_x * self_y), 0.0, 1.0);
}

/**
 * basin_activations_cka:
 * @a: activations of run A
 * @b: activations of run B on the same inputs
 * @cka: (out caller-allocates): one value per hidden layer
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Computes the linear CKA of every hidden layer between two runs.
 *
 * Returns: %FALSE if the recordings do not fit together or on cancellation
 */
gboolean
basin_activations_cka (const BasinActivations *a,
                       const BasinActivations *b,
                       double                 *cka,
                       GCancellable           *cancellable,
                       BasinProgressFunc       progress,
                       gpointer                user_data,
                       GError                **error)
{
  if (a->n_layers != b->n_layers || a->n_rows != b->n_rows)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Cannot compare recordings of %u layers on %u inputs with "
                     "%u layers on %u inputs; record both runs on the same inputs."),
                   a->n_layers, a->n_rows, b->n_layers, b->n_rows);
      return FALSE;
    }

  for (guint l = 0; l < a->n_layers; l++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress != NULL)
        progress ((double) l / a->n_layers, _("Computing CKA"), user_data);
      cka[l] = basin_linear_cka (a->values[l], a->widths[l], b->values[l], b->widths[l],
                                 a->n_rows, a->widths[l], b->widths[l]);
    }
  return TRUE;
}

/* Draws @n_random uniform permutations and records the mean, sample
 * standard deviation and share below the identity of their objectives. */
static void
random_permutation_objectives (const float               *similarity,
                               guint                      width,
                               BasinLayerIdentifiability *out)
{
  g_autofree guint32 *perm = g_new (guint32, width);
  double sum = 0.0, sum_sq = 0.0;
  guint below = 0;
  BasinRng rng;

  basin_rng_init (&rng, out->random_seed);
  for (guint i = 0; i < width; i++)
    perm[i] = i;

  for (guint s = 0; s < out->n_random; s++)
    {
      double objective = 0.0;

      /* Shuffling any permutation uniformly gives a uniform permutation. */
      basin_rng_shuffle (&rng, perm, width);
      for (guint i = 0; i < width; i++)
        objective += similarity[(gsize) i * width + perm[i]];
      sum += objective;
      sum_sq += objective * objective;
      below += objective < out->identity_objective;
    }

  if (out->n_random == 0)
    return;
  out->random_mean = sum / out->n_random;
  out->random_std = out->n_random > 1
                  ? sqrt (MAX (sum_sq - sum * out->random_mean, 0.0) / (out->n_random - 1))
                  : 0.0;
  out->random_below_identity = (double) below / out->n_random;
}

/**
 * basin_layer_identifiability:
 * @similarity: @width × @width similarities `C`, rows the neurons of A
 * @permutation: (array length=width): the matching, neuron `i` of A to
 *   neuron `permutation[i]` of B
 * @width: neurons in the layer
 * @n_random: number of random permutations to compare with, e.g. 100
 * @seed: seed of the random permutations
 * @out: (out caller-allocates): the statistics
 *
 * Computes how strongly a layer's matching points at the identity.  With
 * @n_random = 0 the random statistics are NaN.
 */
void
basin_layer_identifiability (const float               *similarity,
                             const guint32             *permutation,
                             guint                      width,
                             guint                      n_random,
                             guint64                    seed,
                             BasinLayerIdentifiability *out)
{
  guint identity = 0;

  memset (out, 0, sizeof *out);
  out->width = width;
  out->n_random = n_random;
  out->random_seed = seed;
  out->random_mean = out->random_std = out->random_below_identity = NAN;

  for (guint i = 0; i < width; i++)
    {
      identity += permutation[i] == i;
      out->objective += similarity[(gsize) i * width + permutation[i]];
      out->identity_objective += similarity[(gsize) i * width + i];
    }

  out->identity_rate = width > 0 ? (double) identity / width : 0.0;
  out->mean_matched = width > 0 ? out->objective / width : 0.0;
  out->objective_ratio = out->objective > 0.0
                       ? out->identity_objective / out->objective : NAN;
  random_permutation_objectives (similarity, width, out);
}

/**
 * basin_identifiability_new:
 * @matching: a matching of two runs, from activation or weight matching
 * @n_random: random permutations per layer, e.g. 100
 * @seed: seed of the random permutations; layer `l` uses @seed + `l`
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Computes basin_layer_identifiability() for every hidden layer of
 * @matching, with `C` the matrix the matching was solved on.
 *
 * Returns: (transfer full) (nullable): the statistics, or %NULL on
 *   cancellation
 */
BasinIdentifiability *
basin_identifiability_new (const BasinMatching *matching,
                           guint                n_random,
                           guint64              seed,
                           GCancellable        *cancellable,
                           BasinProgressFunc    progress,
                           gpointer             user_data,
                           GError             **error)
{
  g_autoptr (BasinIdentifiability) result = g_new0 (BasinIdentifiability, 1);

  result->n_layers = matching->n_layers;
  result->layers = g_new0 (BasinLayerIdentifiability, matching->n_layers);
  for (guint l = 0; l < matching->n_layers; l++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (progress != NULL)
        progress ((double) l / matching->n_layers, _("Measuring identifiability"),
                  user_data);

      basin_layer_identifiability (matching->correlation[l], matching->permutation[l],
                                   matching->widths[l], n_random, seed + l,
                                   &result->layers[l]);
    }
  return g_steal_pointer (&result);
}

void
basin_identifiability_free (BasinIdentifiability *identifiability)
{
  if (identifiability == NULL)
    return;

  g_free (identifiability->layers);
  g_free (identifiability);
}
