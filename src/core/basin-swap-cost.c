/* basin-swap-cost.c: realization costs, swap costs and subspace coherence
 * of one layer of one run.
 *
 * A hidden layer's inputs are summarized by an orthonormal basis `U`
 * (d × k) of their principal subspace, from centered PCA.  On that support
 * neuron `i` computes the linear function with coefficients
 * `Uᵀ w_eff,i = v_i + M_i w_i`, with `v_i = Uᵀ f_i` and
 * `M_i = Uᵀ Diag(d_i)`.  The smallest trainable-weight norm that moves
 * neuron `i` to coefficients `a` is `cost_i(a)² = (a − v_i)ᵀ S_i⁺ (a − v_i)`
 * with `S_i = M_i M_iᵀ`.
 *
 * The mean of the inputs is left out on purpose: it adds `w · μ` to a
 * neuron's output, and the bias is trainable in every variant and not part
 * of the cost, so any neuron can absorb that constant for free.
 * LayerNorm, when present, acts after this linear map and is not modelled.
 *
 * When `a − v_i` has a part outside the range of `S_i`, no trainable
 * weight of neuron `i` reaches `a`.  Then `R_ij = +∞` and the pair is
 * flagged as infeasible.  The diagonal is never flagged: `a_i − v_i` lies in
 * the range of `M_i` by construction, so `R_ii` is always the (finite)
 * cost on the range, even when rounding leaves a tiny part outside it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-identifiability.h"
#include "basin-session.h"
#include "basin-linalg.h"

#define CANCEL_CHECK_INTERVAL 16

typedef struct {
  guint         dim;
  guint         width;
  guint         k;
  const double *basis;       /* dim × k */
  const float  *mask;        /* width × dim, or NULL for all ones */
  double       *targets;     /* k × width: column j is a_j = Uᵀ w_eff,j */
  double       *offsets;     /* k × width: column i is v_i = Uᵀ f_i */
  double       *scaled;      /* dim × k: Diag(|d_i|) U */
  double       *eigvectors;  /* k × k: S_i, then its eigenvectors in rows */
  double       *eigvalues;   /* k, increasing */
  double       *diff;        /* k × width: a_j − v_i */
  double       *coords;      /* k × width: diff in the eigenbasis of S_i */
} CostWork;

/**
 * basin_swap_cost_options_init_default:
 * @options: (out caller-allocates): the options to fill
 *
 * Sets a 90 % explained-variance threshold, a rank tolerance of 1e-9 and a
 * range tolerance of 1e-6 (about ten times the float32 rounding of the
 * weights).
 */
void
basin_swap_cost_options_init_default (BasinSwapCostOptions *options)
{
  options->variance_threshold = 0.90;
  options->rank_tolerance = 1e-9;
  options->range_tolerance = 1e-6;
}

/**
 * basin_subspace_coherence:
 * @basis: @dim × @k, row-major, orthonormal columns
 * @dim: ambient dimension
 * @k: subspace dimension
 *
 * Computes `ν(U) = max_r ‖U_{r,:}‖²`.  It is `k/d` for a subspace spread
 * evenly over the coordinates and 1 when a coordinate axis lies inside it.
 *
 * Returns: the coherence
 */
double
basin_subspace_coherence (const double *basis,
                          guint         dim,
                          guint         k)
{
  double max = 0.0;

  for (guint r = 0; r < dim; r++)
    {
      const double *row = basis + (gsize) r * k;

      max = MAX (max, cblas_ddot (k, row, 1, row, 1));
    }
  return max;
}

/* Computes out = Uᵀ Mᵀ (k × width) for the width × dim float matrix @m. */
static void
project_rows (const CostWork *w,
              const float    *m,
              double         *out)
{
  g_autofree double *md = g_new (double, (gsize) w->width * w->dim);

  for (gsize i = 0; i < (gsize) w->width * w->dim; i++)
    md[i] = m[i];
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasTrans, w->k, w->width, w->dim,
               1.0, w->basis, w->k, md, w->dim, 0.0, out, w->width);
}

static void
cost_work_init (CostWork       *w,
                const BasinMlp *mlp,
                guint           layer,
                const double   *basis,
                guint           k)
{
  const BasinLayer *info = &mlp->layers[layer];
  g_autofree float *weight = g_new (float, (gsize) info->out_dim * info->in_dim);

  w->dim = info->in_dim;
  w->width = info->out_dim;
  w->k = k;
  w->basis = basis;
  w->mask = info->mask;
  w->targets = g_new (double, (gsize) k * w->width);
  w->offsets = g_new0 (double, (gsize) k * w->width);
  w->scaled = g_new (double, (gsize) w->dim * k);
  w->eigvectors = g_new (double, (gsize) k * k);
  w->eigvalues = g_new (double, k);
  w->diff = g_new (double, (gsize) k * w->width);
  w->coords = g_new (double, (gsize) k * w->width);

  basin_mlp_effective_weight (mlp, layer, weight);
  project_rows (w, weight, w->targets);
  if (info->fixed != NULL)
    project_rows (w, info->fixed, w->offsets);
}

static void
cost_work_clear (CostWork *w)
{
  g_free (w->targets);
  g_free (w->offsets);
  g_free (w->scaled);
  g_free (w->eigvectors);
  g_free (w->eigvalues);
  g_free (w->diff);
  g_free (w->coords);
}

/* Diagonalizes S_i = Uᵀ Diag(d_i²) U into w->eigvectors (rows) and
 * w->eigvalues.  Without a mask S_i = UᵀU = I, so the identity is used. */
static gboolean
decompose_gram (CostWork *w,
                guint     i,
                GError  **error)
{
  guint k = w->k;

  if (w->mask == NULL)
    {
      memset (w->eigvectors, 0, (gsize) k * k * sizeof (double));
      for (guint t = 0; t < k; t++)
        {
          w->eigvectors[(gsize) t * k + t] = 1.0;
          w->eigvalues[t] = 1.0;
        }
      return TRUE;
    }

  for (guint r = 0; r < w->dim; r++)
    {
      double scale = fabs (w->mask[(gsize) i * w->dim + r]);

      for (guint c = 0; c < k; c++)
        w->scaled[(gsize) r * k + c] = scale * w->basis[(gsize) r * k + c];
    }
  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, k, w->dim, 1.0,
               w->scaled, k, 0.0, w->eigvectors, k);
  for (guint r = 0; r < k; r++)
    for (guint c = 0; c < r; c++)
      w->eigvectors[(gsize) r * k + c] = w->eigvectors[(gsize) c * k + r];

  return basin_symmetric_eigen (w->eigvectors, k, w->eigvalues, error);
}

/* Fills row @i of R and of the infeasible flags from the coordinates of
 * every a_j − v_i in the eigenbasis of S_i. */
static void
fill_cost_row (const CostWork             *w,
               guint                       i,
               const BasinSwapCostOptions *options,
               double                     *realization,
               guint8                     *infeasible)
{
  guint k = w->k;
  guint n_null = k - basin_psd_rank (w->eigvalues, k, options->rank_tolerance);
  double tol_sq = options->range_tolerance * options->range_tolerance;

  for (guint j = 0; j < w->width; j++)
    {
      double cost = 0.0, outside = 0.0, inside = 0.0;
      gboolean unreachable;

      for (guint t = 0; t < k; t++)
        {
          double c = w->coords[(gsize) t * w->width + j];

          if (t < n_null)
            outside += c * c;
          else
            {
              inside += c * c;
              cost += c * c / w->eigvalues[t];
            }
        }

      unreachable = j != i && outside > tol_sq * (outside + inside);
      realization[(gsize) i * w->width + j] = unreachable ? INFINITY : cost;
      infeasible[(gsize) i * w->width + j] = unreachable;
    }
}

/* Computes row @i of R. */
static gboolean
cost_row (CostWork                   *w,
          guint                       i,
          const BasinSwapCostOptions *options,
          double                     *realization,
          guint8                     *infeasible,
          GError                    **error)
{
  guint k = w->k, m = w->width;

  if (!decompose_gram (w, i, error))
    return FALSE;

  for (guint t = 0; t < k; t++)
    for (guint j = 0; j < m; j++)
      w->diff[(gsize) t * m + j] = w->targets[(gsize) t * m + j] - w->offsets[(gsize) t * m + i];
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, k, m, k,
               1.0, w->eigvectors, k, w->diff, m, 0.0, w->coords, m);

  fill_cost_row (w, i, options, realization, infeasible);
  return TRUE;
}

static gboolean
check_hidden_layer (const BasinMlp *mlp,
                    guint           layer,
                    GError        **error)
{
  if (layer + 1 >= mlp->n_layers)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Layer %u is not a hidden layer: the network has hidden "
                     "layers 0 to %u."), layer, mlp->n_layers - 2);
      return FALSE;
    }
  return TRUE;
}

/**
 * basin_realization_costs:
 * @mlp: the network
 * @layer: index of a hidden layer
 * @basis: `U`, in_dim × @k, row-major, orthonormal columns
 * @k: dimension of the input subspace, at least 1
 * @options: tolerances, see #BasinSwapCostOptions
 * @realization: (out caller-allocates): `R`, width × width, row-major
 * @infeasible: (out caller-allocates): width × width flags
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Computes `R_ij = cost_i(a_j)²` for every pair of neurons of one layer,
 * in double precision.  An unreachable target gives `R_ij = +∞` with its
 * flag set; the diagonal is always finite.  Takes
 * O(width · (in_dim · k² + k³ + k² · width)) time.
 *
 * Returns: %FALSE if @layer is not a hidden layer, an eigendecomposition
 *   failed, or the operation was cancelled
 */
gboolean
basin_realization_costs (const BasinMlp             *mlp,
                         guint                       layer,
                         const double               *basis,
                         guint                       k,
                         const BasinSwapCostOptions *options,
                         double                     *realization,
                         guint8                     *infeasible,
                         GCancellable               *cancellable,
                         BasinProgressFunc           progress,
                         gpointer                    user_data,
                         GError                    **error)
{
  CostWork work = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (k >= 1, FALSE);
  if (!check_hidden_layer (mlp, layer, error))
    return FALSE;

  cost_work_init (&work, mlp, layer, basis, k);
  for (guint i = 0; ok && i < work.width; i++)
    {
      if (i % CANCEL_CHECK_INTERVAL == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              ok = FALSE;
              break;
            }
          if (progress != NULL)
            progress ((double) i / work.width, _("Computing realization costs"),
                      user_data);
        }
      ok = cost_row (&work, i, options, realization, infeasible, error);
    }

  cost_work_clear (&work);
  return ok;
}

/**
 * basin_swap_cost_matrix:
 * @realization: `R`, @width × @width, row-major
 * @width: neurons in the layer
 * @swap: (out caller-allocates): `Δ`, @width × @width, row-major
 *
 * Computes `Δ_ij = R_ij + R_ji − R_ii − R_jj`, the rise of the total
 * realization cost when neurons `i` and `j` exchange their functions.  The
 * result is exactly symmetric with a zero diagonal; a pair with an
 * infinite `R_ij` or `R_ji` gets `Δ_ij = +∞`.
 */
void
basin_swap_cost_matrix (const double *realization,
                        guint         width,
                        double       *swap)
{
  for (guint i = 0; i < width; i++)
    {
      swap[(gsize) i * width + i] = 0.0;
      for (guint j = i + 1; j < width; j++)
        {
          double r_ij = realization[(gsize) i * width + j];
          double r_ji = realization[(gsize) j * width + i];
          double value = INFINITY;

          if (isfinite (r_ij) && isfinite (r_ji))
            value = r_ij + r_ji - realization[(gsize) i * width + i]
                    - realization[(gsize) j * width + j];
          swap[(gsize) i * width + j] = value;
          swap[(gsize) j * width + i] = value;
        }
    }
}

static BasinSwapCosts *
swap_costs_alloc (guint     layer,
                  guint     width,
                  BasinPca *pca)
{
  BasinSwapCosts *costs = g_new0 (BasinSwapCosts, 1);
  gsize size = (gsize) width * width;

  costs->layer = layer;
  costs->width = width;
  costs->dim = pca->dim;
  costs->k = pca->k;
  costs->explained = pca->explained;
  costs->basis = g_steal_pointer (&pca->basis);
  costs->coherence = basin_subspace_coherence (costs->basis, costs->dim, costs->k);
  costs->realization = g_new (double, size);
  costs->swap = g_new (double, size);
  costs->infeasible = g_new0 (guint8, size);
  return costs;
}

/**
 * basin_swap_costs_new:
 * @mlp: the network
 * @layer: index of a hidden layer
 * @inputs: @n_rows × in_dim inputs of @layer: the data for layer 0, the
 *   previous layer's activation outputs otherwise
 * @n_rows: number of inputs, at least 2
 * @options: (nullable): tolerances and threshold, or %NULL for the
 *   defaults of basin_swap_cost_options_init_default()
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Finds the input subspace `U` by centered PCA of @inputs and computes the
 * realization costs `R`, swap costs `Δ` and coherence of @layer in it.
 *
 * Returns: (transfer full) (nullable): the costs, or %NULL on error
 */
BasinSwapCosts *
basin_swap_costs_new (const BasinMlp             *mlp,
                      guint                       layer,
                      const float                *inputs,
                      guint                       n_rows,
                      const BasinSwapCostOptions *options,
                      GCancellable               *cancellable,
                      BasinProgressFunc           progress,
                      gpointer                    user_data,
                      GError                    **error)
{
  BasinSwapCostOptions defaults;
  g_autoptr (BasinPca) pca = NULL;
  g_autoptr (BasinSwapCosts) costs = NULL;
  guint dim;

  if (!check_hidden_layer (mlp, layer, error))
    return NULL;
  if (options == NULL)
    {
      basin_swap_cost_options_init_default (&defaults);
      options = &defaults;
    }

  if (progress != NULL)
    progress (0.0, _("Finding the input subspace"), user_data);
  dim = mlp->layers[layer].in_dim;
  pca = basin_pca_new (inputs, dim, n_rows, dim, options->variance_threshold,
                       cancellable, error);
  if (pca == NULL)
    return NULL;

  costs = swap_costs_alloc (layer, mlp->layers[layer].out_dim, pca);
  if (!basin_realization_costs (mlp, layer, costs->basis, costs->k, options,
                                costs->realization, costs->infeasible,
                                cancellable, progress, user_data, error))
    return NULL;

  basin_swap_cost_matrix (costs->realization, costs->width, costs->swap);
  for (gsize i = 0; i < (gsize) costs->width * costs->width; i++)
    costs->n_infeasible += costs->infeasible[i];
  g_debug ("Swap costs of layer %u: k = %u of %u, %.1f %% variance, coherence %.3f, "
           "%u infeasible pairs", layer, costs->k, costs->dim,
           100.0 * costs->explained, costs->coherence, costs->n_infeasible);
  return g_steal_pointer (&costs);
}

/* Returns the n_rows × in_dim inputs of @layer on the chosen rows. */
static float *
layer_inputs (const BasinMlp     *mlp,
              guint               layer,
              const BasinDataset *dataset,
              const guint32      *rows,
              guint               n_rows,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autoptr (BasinActivations) act = NULL;
  float *inputs;

  if (layer > 0)
    {
      act = basin_record_activations (mlp, dataset, rows, n_rows, FALSE,
                                      cancellable, NULL, NULL, error);
      if (act == NULL)
        return NULL;
      return g_steal_pointer (&act->values[layer - 1]);
    }

  if (dataset->dim != mlp->config.input_dim || n_rows == 0
      || (rows == NULL && n_rows > dataset->n_samples))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Cannot take %u inputs of %u features from data with %u "
                     "samples of %u features."), n_rows, mlp->config.input_dim,
                   dataset->n_samples, dataset->dim);
      return NULL;
    }
  inputs = g_new (float, (gsize) n_rows * dataset->dim);
  if (rows != NULL)
    basin_dataset_gather (dataset, rows, n_rows, inputs, NULL);
  else
    basin_dataset_range (dataset, 0, n_rows, inputs, NULL);
  return inputs;
}

/**
 * basin_swap_costs_for_dataset:
 * @mlp: the network
 * @layer: index of a hidden layer
 * @dataset: the data whose support defines the input subspace
 * @rows: (nullable) (array length=n_rows): rows of @dataset, or %NULL for
 *   rows 0 to @n_rows − 1
 * @n_rows: number of inputs, at least 2
 * @options: (nullable): options, or %NULL for the defaults
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Like basin_swap_costs_new(), with the layer's inputs computed from
 * @dataset: the data itself for layer 0, the previous layer's activation
 * outputs otherwise.
 *
 * Returns: (transfer full) (nullable): the costs, or %NULL on error
 */
BasinSwapCosts *
basin_swap_costs_for_dataset (const BasinMlp             *mlp,
                              guint                       layer,
                              const BasinDataset         *dataset,
                              const guint32              *rows,
                              guint                       n_rows,
                              const BasinSwapCostOptions *options,
                              GCancellable               *cancellable,
                              BasinProgressFunc           progress,
                              gpointer                    user_data,
                              GError                    **error)
{
  g_autofree float *inputs = NULL;

  if (!check_hidden_layer (mlp, layer, error))
    return NULL;
  if (progress != NULL)
    progress (0.0, _("Recording activations"), user_data);
  inputs = layer_inputs (mlp, layer, dataset, rows, n_rows, cancellable, error);
  if (inputs == NULL)
    return NULL;

  return basin_swap_costs_new (mlp, layer, inputs, n_rows, options,
                               cancellable, progress, user_data, error);
}

/**
 * basin_session_swap_costs:
 * @session: a session with trained runs
 * @run: 0 for run A, 1 for run B
 * @layer: index of a hidden layer
 * @n_eval: test samples that define the input subspace, 0 for all
 * @seed: seed of the choice of test samples
 * @options: (nullable): options, or %NULL for the defaults
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Computes the swap costs of one layer of one run of @session on a random
 * subset of its test data (its training data if it has no test data).
 *
 * Returns: (transfer full) (nullable): the costs, or %NULL on error
 */
BasinSwapCosts *
basin_session_swap_costs (const BasinSession         *session,
                          guint                       run,
                          guint                       layer,
                          guint                       n_eval,
                          guint64                     seed,
                          const BasinSwapCostOptions *options,
                          GCancellable               *cancellable,
                          BasinProgressFunc           progress,
                          gpointer                    user_data,
                          GError                    **error)
{
  const BasinDataset *data = session->test != NULL ? session->test : session->train;
  g_autofree guint32 *rows = NULL;
  guint n_rows = 0;

  if (run >= BASIN_N_RUNS || session->runs[run] == NULL || data == NULL)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Run %u is not available: the session has runs 0 to %u "
                     "and needs data."), run, BASIN_N_RUNS - 1);
      return NULL;
    }

  rows = basin_dataset_sample_rows (data, n_eval, seed, &n_rows);
  return basin_swap_costs_for_dataset (session->runs[run], layer, data, rows, n_rows,
                                       options, cancellable, progress, user_data,
                                       error);
}

void
basin_swap_costs_free (BasinSwapCosts *costs)
{
  if (costs == NULL)
    return;

  g_free (costs->basis);
  g_free (costs->realization);
  g_free (costs->swap);
  g_free (costs->infeasible);
  g_free (costs);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values in place and returns their median (NaN if empty). */
static double
median (double *values,
        gsize   n)
{
  if (n == 0)
    return NAN;

  qsort (values, n, sizeof (double), compare_doubles);
  if (n % 2 == 1)
    return values[n / 2];
  return 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/**
 * basin_swap_costs_summarize:
 * @costs: the swap costs of a layer
 * @tolerance: relative tolerance of a cheap swap, e.g. 0.1
 * @out: (out caller-allocates): the summary
 *
 * Sorts the off-diagonal swap costs into cheap, negative and expensive
 * ones, relative to the median diagonal realization cost.
 */
void
basin_swap_costs_summarize (const BasinSwapCosts *costs,
                            double                tolerance,
                            BasinSwapCostSummary *out)
{
  guint m = costs->width;
  g_autofree double *diagonal = g_new (double, MAX (m, 1));
  g_autofree double *relative = g_new (double, MAX ((gsize) m * m / 2, 1));
  gsize n = 0, cheap = 0, negative = 0, infinite = 0;
  double bound;

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < m; i++)
    diagonal[i] = costs->realization[(gsize) i * m + i];
  out->scale = median (diagonal, m);
  out->tolerance = tolerance;
  bound = tolerance * out->scale;

  for (guint i = 0; i < m; i++)
    for (guint j = i + 1; j < m; j++, n++)
      {
        double value = costs->swap[(gsize) i * m + j];

        cheap += fabs (value) <= bound;
        negative += value < -bound;
        infinite += isinf (value);
        relative[n] = out->scale > 0.0 ? value / out->scale : NAN;
      }

  out->n_pairs = n;
  if (n == 0)
    return;
  out->cheap_fraction = (double) cheap / n;
  out->negative_fraction = (double) negative / n;
  out->expensive_fraction = 1.0 - out->cheap_fraction - out->negative_fraction;
  out->infinite_fraction = (double) infinite / n;
  out->median_relative_swap = out->scale > 0.0 ? median (relative, n) : NAN;
}
