/* basin-matching.c: activation matching of run B's neurons to run A's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-matching.h"

#define RECORD_BATCH 500

/* Centers each column of the n × m block @in (row stride @stride) and
 * scales it to unit norm into @out (n × m, dense).  A constant column
 * becomes zero, so its correlation with anything is 0 rather than NaN. */
static void
standardize_columns (const float *in,
                     guint        stride,
                     guint        n_rows,
                     guint        n_cols,
                     float       *out)
{
  g_autofree double *mean = g_new0 (double, n_cols);
  g_autofree double *sum_sq = g_new0 (double, n_cols);

  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_cols; c++)
      mean[c] += in[(gsize) r * stride + c];
  for (guint c = 0; c < n_cols; c++)
    mean[c] /= MAX (n_rows, 1);

  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_cols; c++)
      {
        double centered = in[(gsize) r * stride + c] - mean[c];

        out[(gsize) r * n_cols + c] = (float) centered;
        sum_sq[c] += centered * centered;
      }

  for (guint c = 0; c < n_cols; c++)
    {
      /* Relative threshold: float rounding leaves tiny variance behind in
       * a column that is constant in exact arithmetic. */
      double scale_ref = fabs (mean[c]) + 1e-30;
      double norm = sqrt (sum_sq[c]);
      float scale = norm > 1e-6 * scale_ref * sqrt (n_rows) && norm > 1e-20
                  ? (float) (1.0 / norm) : 0.0f;

      for (guint r = 0; r < n_rows; r++)
        out[(gsize) r * n_cols + c] *= scale;
    }
}

/**
 * basin_correlation_matrix:
 * @a: activations of run A, @n_rows × @m_a with row stride @a_stride
 * @a_stride: distance between rows of @a, in floats
 * @b: activations of run B, @n_rows × @m_b with row stride @b_stride
 * @b_stride: distance between rows of @b, in floats
 * @n_rows: number of inputs
 * @m_a: neurons of A
 * @m_b: neurons of B
 * @out: (out caller-allocates): @m_a × @m_b Pearson correlations
 *
 * Computes the Pearson correlation of every neuron of A with every neuron
 * of B over the same inputs.  A neuron that is constant on these inputs
 * (a dead ReLU, say) has correlation 0 with every other neuron.
 */
void
basin_correlation_matrix (const float *a,
                          guint        a_stride,
                          const float *b,
                          guint        b_stride,
                          guint        n_rows,
                          guint        m_a,
                          guint        m_b,
                          float       *out)
{
  g_autofree float *za = g_new (float, (gsize) n_rows * m_a);
  g_autofree float *zb = g_new (float, (gsize) n_rows * m_b);

  standardize_columns (a, a_stride, n_rows, m_a, za);
  standardize_columns (b, b_stride, n_rows, m_b, zb);
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, m_a, m_b, n_rows,
               1.0f, za, m_a, zb, m_b, 0.0f, out, m_b);

  for (gsize k = 0; k < (gsize) m_a * m_b; k++)
    out[k] = CLAMP (out[k], -1.0f, 1.0f);
}

/* Records the post-activation output of every hidden layer of @mlp on
 * @eval; returns one n_eval × width array per hidden layer. */
static float **
record_activations (const BasinMlp     *mlp,
                    const BasinDataset *eval,
                    GCancellable       *cancellable,
                    GError            **error)
{
  guint n_hidden = mlp->n_layers - 1;
  guint batch = MIN (RECORD_BATCH, MAX (eval->n_samples, 1));
  BasinWorkspace *ws = basin_workspace_new (mlp, batch);
  g_autofree float *x = g_new (float, (gsize) batch * eval->dim);
  float **records = g_new0 (float *, n_hidden);

  for (guint l = 0; l < n_hidden; l++)
    records[l] = g_new (float, (gsize) eval->n_samples * mlp->config.width);

  for (guint first = 0; first < eval->n_samples; first += batch)
    {
      guint rows = MIN (batch, eval->n_samples - first);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          for (guint l = 0; l < n_hidden; l++)
            g_free (records[l]);
          g_clear_pointer (&records, g_free);
          break;
        }

      basin_dataset_range (eval, first, rows, x, NULL);
      basin_mlp_forward (mlp, ws, x, rows);
      for (guint l = 0; l < n_hidden; l++)
        memcpy (records[l] + (gsize) first * mlp->config.width,
                basin_workspace_activation (ws, l),
                (gsize) rows * mlp->config.width * sizeof (float));
    }

  basin_workspace_free (ws);
  return records;
}

static void
free_records (float **records,
              guint   n_layers)
{
  if (records == NULL)
    return;
  for (guint l = 0; l < n_layers; l++)
    g_free (records[l]);
  g_free (records);
}

static BasinMatching *
matching_new (guint n_layers,
              guint width,
              guint n_eval)
{
  BasinMatching *m = g_new0 (BasinMatching, 1);

  m->n_layers = n_layers;
  m->n_eval = n_eval;
  m->widths = g_new (guint, n_layers);
  m->permutation = g_new0 (guint32 *, n_layers);
  m->correlation = g_new0 (float *, n_layers);
  m->identity_rate = g_new0 (double, n_layers);
  m->objective = g_new0 (double, n_layers);
  m->identity_objective = g_new0 (double, n_layers);
  m->mean_correlation = g_new0 (double, n_layers);
  for (guint l = 0; l < n_layers; l++)
    {
      m->widths[l] = width;
      m->permutation[l] = g_new (guint32, width);
      m->correlation[l] = g_new (float, (gsize) width * width);
    }
  return m;
}

void
basin_matching_free (BasinMatching *m)
{
  if (m == NULL)
    return;

  for (guint l = 0; l < m->n_layers; l++)
    {
      g_free (m->permutation[l]);
      g_free (m->correlation[l]);
    }
  g_free (m->widths);
  g_free (m->permutation);
  g_free (m->correlation);
  g_free (m->identity_rate);
  g_free (m->objective);
  g_free (m->identity_objective);
  g_free (m->mean_correlation);
  g_free (m);
}

/* Solves the assignment of layer @l from its correlation matrix and fills
 * the layer's summary numbers. */
static gboolean
match_layer (BasinMatching *m,
             guint          l,
             GError       **error)
{
  guint width = m->widths[l];
  const float *corr = m->correlation[l];
  g_autofree double *cost = g_new (double, (gsize) width * width);
  guint identity = 0;
  double trace = 0.0;

  for (gsize k = 0; k < (gsize) width * width; k++)
    cost[k] = corr[k];

  m->objective[l] = basin_linear_assignment (cost, width, width, TRUE,
                                             m->permutation[l], error);
  if (isnan (m->objective[l]))
    return FALSE;

  for (guint i = 0; i < width; i++)
    {
      identity += m->permutation[l][i] == i;
      trace += corr[(gsize) i * width + i];
    }
  m->identity_rate[l] = (double) identity / width;
  m->identity_objective[l] = trace;
  m->mean_correlation[l] = m->objective[l] / width;
  return TRUE;
}

/**
 * basin_match_activations:
 * @a: run A
 * @b: run B, of the same architecture
 * @eval: inputs on which both runs' activations are recorded
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Matches each hidden layer of @b to @a by maximizing the summed Pearson
 * correlation of post-activation outputs over a permutation.  Permuting an
 * earlier layer does not change the functions of later neurons, so every
 * layer is matched independently on the unpermuted runs.
 *
 * Returns: (transfer full) (nullable): the matching, or %NULL on error
 */
BasinMatching *
basin_match_activations (const BasinMlp     *a,
                         const BasinMlp     *b,
                         const BasinDataset *eval,
                         GCancellable       *cancellable,
                         BasinProgressFunc   progress,
                         gpointer            user_data,
                         GError            **error)
{
  guint n_hidden = a->n_layers - 1;
  guint width = a->config.width;
  float **records_a = NULL, **records_b = NULL;
  BasinMatching *m = NULL;

  g_return_val_if_fail (basin_mlp_same_structure (a, b) || a->config.width == b->config.width, NULL);

  if (progress != NULL)
    progress (0.0, _("Recording activations"), user_data);
  records_a = record_activations (a, eval, cancellable, error);
  if (records_a == NULL)
    goto out;
  records_b = record_activations (b, eval, cancellable, error);
  if (records_b == NULL)
    goto out;

  m = matching_new (n_hidden, width, eval->n_samples);
  for (guint l = 0; l < n_hidden; l++)
    {
      if (progress != NULL)
        progress (0.3 + 0.7 * l / n_hidden, _("Matching neurons"), user_data);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_clear_pointer (&m, basin_matching_free);
          goto out;
        }

      basin_correlation_matrix (records_a[l], width, records_b[l], width,
                                eval->n_samples, width, width, m->correlation[l]);
      if (!match_layer (m, l, error))
        {
          g_clear_pointer (&m, basin_matching_free);
          goto out;
        }
    }

out:
  free_records (records_a, n_hidden);
  free_records (records_b, n_hidden);
  return m;
}

static void
permute_rows (float         *data,
              guint          n_rows,
              guint          n_cols,
              const guint32 *permutation)
{
  g_autofree float *copy = g_memdup2 (data, (gsize) n_rows * n_cols * sizeof (float));

  for (guint i = 0; i < n_rows; i++)
    memcpy (data + (gsize) i * n_cols, copy + (gsize) permutation[i] * n_cols,
            n_cols * sizeof (float));
}

static void
permute_columns (float         *data,
                 guint          n_rows,
                 guint          n_cols,
                 const guint32 *permutation)
{
  g_autofree float *row = g_new (float, n_cols);

  for (guint r = 0; r < n_rows; r++)
    {
      float *dst = data + (gsize) r * n_cols;

      memcpy (row, dst, n_cols * sizeof (float));
      for (guint j = 0; j < n_cols; j++)
        dst[j] = row[permutation[j]];
    }
}

/**
 * basin_mlp_permute_hidden:
 * @mlp: the network, changed in place
 * @permutation: per hidden layer, `permutation[l][i]` is the old neuron
 *   that becomes neuron `i`
 *
 * Reorders the hidden neurons of the trainable parameters: rows of `W_l`,
 * `b_l`, the LayerNorm gain and shift, and columns of `W_{l+1}`.  The fixed
 * parts `F` and `D` stay where they are, because the architecture fixes
 * them.  A standard MLP therefore computes the same function afterwards,
 * while an asymmetric variant generally does not; use
 * basin_mlp_to_effective() first to permute the whole effective weights.
 */
void
basin_mlp_permute_hidden (BasinMlp       *mlp,
                          guint32 *const *permutation)
{
  for (guint l = 0; l + 1 < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      const BasinLayer *next = &mlp->layers[l + 1];
      const guint32 *p = permutation[l];

      permute_rows (basin_mlp_weight (mlp, l), layer->out_dim, layer->in_dim, p);
      permute_rows (basin_mlp_bias (mlp, l), layer->out_dim, 1, p);
      if (layer->gain_offset != G_MAXSIZE)
        {
          permute_rows (mlp->params + layer->gain_offset, layer->out_dim, 1, p);
          permute_rows (mlp->params + layer->shift_offset, layer->out_dim, 1, p);
        }
      permute_columns (basin_mlp_weight (mlp, l + 1), next->out_dim, next->in_dim, p);
    }
}

/**
 * basin_mlp_align:
 * @b: run B
 * @matching: the matching of B to A
 *
 * Returns run B in effective-weight form with its hidden neurons reordered
 * to match A: it computes exactly the same function as @b.  The gate
 * matrix `C` of a σ-MLP layer becomes `P C Pᵀ`.
 *
 * Returns: (transfer full): the aligned copy
 */
BasinMlp *
basin_mlp_align (const BasinMlp      *b,
                 const BasinMatching *matching)
{
  BasinMlp *aligned = basin_mlp_to_effective (b);

  basin_mlp_permute_hidden (aligned, matching->permutation);
  for (guint l = 0; l + 1 < aligned->n_layers; l++)
    {
      BasinLayer *layer = &aligned->layers[l];

      if (layer->gate == NULL)
        continue;
      permute_rows (layer->gate, layer->out_dim, layer->out_dim, matching->permutation[l]);
      permute_columns (layer->gate, layer->out_dim, layer->out_dim, matching->permutation[l]);
    }
  return aligned;
}
