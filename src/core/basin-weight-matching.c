/* basin-weight-matching.c: weight matching of run B's neurons to run A's.
 *
 * Weight matching (Ainsworth, Hayase and Srinivasa, "Git Re-Basin: merging
 * models modulo permutation symmetries", ICLR 2023) looks for the hidden
 * permutations π that maximize the inner product ⟨θ_A, π(θ_B)⟩ of the two
 * parameter vectors.  With all permutations but layer l's held fixed, this
 * is a linear assignment problem over layer l's neurons, with similarity
 * `C[i, j] = ⟨W_A[l][i,:], W_B[l][j, P_{l−1}]⟩ + b_A[i] b_B[j]
 *  (+ g_A[i] g_B[j] + s_A[i] s_B[j] with LayerNorm)
 *  + ⟨W_A[l+1][:,i], W_B[l+1][P_{l+1}, j]⟩`.
 * Coordinate descent solves these problems one layer at a time in random
 * order until a whole pass improves no layer, from several starting
 * points: by default a greedy layer-by-layer match first, then random
 * permutations.  Both runs enter in
 * effective-weight form `W_eff = F + D ⊙ W`, the weights the networks
 * compute with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-rng.h"
#include "basin-weight-matching.h"

typedef struct {
  BasinMlp  *a;            /* effective-weight copies of the runs */
  BasinMlp  *b;
  guint      n_hidden;
  guint32  **perm;         /* current permutation of every hidden layer */
  guint32  **best;         /* permutations of the best restart so far */
  guint32   *order;        /* visiting order of the layers */
  float     *permuted;     /* scratch for a permuted weight matrix */
  float     *similarity;   /* width × width */
  double    *cost;         /* width × width, for the assignment solver */
  guint32   *assignment;
  BasinRng   rng;
} WeightMatcher;

/**
 * basin_weight_matching_options_init_default:
 * @options: (out caller-allocates): the options to fill
 *
 * Sets 4 restarts, the first one greedy, at most 100 sweeps and seed 0.
 */
void
basin_weight_matching_options_init_default (BasinWeightMatchingOptions *options)
{
  options->n_restarts = 4;
  options->max_sweeps = 100;
  options->seed = 0;
  options->greedy_start = TRUE;
}

static double
dot_floats (const float *x,
            const float *y,
            gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) x[i] * y[i];
  return sum;
}

/* Returns ⟨θ_A, π(θ_B)⟩ for two effective-weight networks. */
static double
effective_objective (const BasinMlp *a,
                     const BasinMlp *b,
                     guint32 *const *permutation)
{
  BasinMlp *permuted = basin_mlp_copy (b);
  double objective;

  if (permutation != NULL)
    basin_mlp_permute_hidden (permuted, permutation);
  objective = dot_floats (a->params, permuted->params, a->n_params);
  basin_mlp_free (permuted);
  return objective;
}

/**
 * basin_weight_matching_objective:
 * @a: run A
 * @b: run B, of the same architecture
 * @permutation: (nullable): per hidden layer, `permutation[l][i]` is the
 *   neuron of B matched to neuron `i` of A, or %NULL for the identity
 *
 * Computes `⟨θ_A, π(θ_B)⟩` over all effective parameters: effective
 * weights, biases, and LayerNorm gains and shifts, those of the output
 * layer included.
 *
 * Returns: the inner product, accumulated in double
 */
double
basin_weight_matching_objective (const BasinMlp *a,
                                 const BasinMlp *b,
                                 guint32 *const *permutation)
{
  BasinMlp *ea = basin_mlp_to_effective (a);
  BasinMlp *eb = basin_mlp_to_effective (b);
  double objective;

  g_return_val_if_fail (basin_mlp_same_structure (ea, eb), NAN);

  objective = effective_objective (ea, eb, permutation);
  basin_mlp_free (ea);
  basin_mlp_free (eb);
  return objective;
}

/* Adds x[i] y[j] to every entry of the m × m matrix @out. */
static void
add_outer (float       *out,
           const float *x,
           const float *y,
           guint        m)
{
  cblas_sger (CblasRowMajor, m, m, 1.0f, x, 1, y, 1, out, m);
}

/* Writes ⟨W_A[l][i,:], W_B[l][j, P_{l−1}]⟩ into @out. */
static void
incoming_similarity (WeightMatcher *wm,
                     guint          l,
                     float         *out)
{
  guint m = wm->a->layers[l].out_dim, in = wm->a->layers[l].in_dim;
  const float *wb = basin_mlp_weight (wm->b, l);

  if (l > 0)
    {
      for (guint j = 0; j < m; j++)
        for (guint c = 0; c < in; c++)
          wm->permuted[(gsize) j * in + c] = wb[(gsize) j * in + wm->perm[l - 1][c]];
      wb = wm->permuted;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, m, in,
               1.0f, basin_mlp_weight (wm->a, l), in, wb, in, 0.0f, out, m);
}

/* Adds ⟨W_A[l+1][:,i], W_B[l+1][P_{l+1}, j]⟩ to @out. */
static void
add_outgoing_similarity (WeightMatcher *wm,
                         guint          l,
                         float         *out)
{
  guint m = wm->a->layers[l].out_dim, n_next = wm->a->layers[l + 1].out_dim;
  const float *wb_next = basin_mlp_weight (wm->b, l + 1);

  if (l + 1 < wm->n_hidden)
    {
      for (guint r = 0; r < n_next; r++)
        memcpy (wm->permuted + (gsize) r * m,
                wb_next + (gsize) wm->perm[l + 1][r] * m, m * sizeof (float));
      wb_next = wm->permuted;
    }
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, m, m, n_next,
               1.0f, basin_mlp_weight (wm->a, l + 1), m, wb_next, m, 1.0f, out, m);
}

/* Computes the similarity of layer @l's neurons given the current
 * permutations of the layers before and after it.  Without
 * @include_outgoing it uses only the incoming weights and the biases. */
static void
layer_similarity (WeightMatcher *wm,
                  guint          l,
                  gboolean       include_outgoing,
                  float         *out)
{
  const BasinLayer *layer = &wm->a->layers[l];
  guint m = layer->out_dim;

  incoming_similarity (wm, l, out);
  if (include_outgoing)
    add_outgoing_similarity (wm, l, out);

  add_outer (out, basin_mlp_bias (wm->a, l), basin_mlp_bias (wm->b, l), m);
  if (layer->gain_offset != G_MAXSIZE)
    {
      add_outer (out, wm->a->params + layer->gain_offset,
                 wm->b->params + layer->gain_offset, m);
      add_outer (out, wm->a->params + layer->shift_offset,
                 wm->b->params + layer->shift_offset, m);
    }
}

static double
assigned_sum (const float   *similarity,
              const guint32 *permutation,
              guint          m)
{
  double sum = 0.0;

  for (guint i = 0; i < m; i++)
    sum += similarity[(gsize) i * m + permutation[i]];
  return sum;
}

/* Solves layer @l's assignment; keeps the new permutation only if it
 * raises the objective, so ties never make the descent cycle.  Returns
 * -1 on error, 1 if the layer improved, 0 otherwise. */
static int
update_layer (WeightMatcher *wm,
              guint          l,
              GError       **error)
{
  guint m = wm->a->layers[l].out_dim;
  double old_value, new_value;

  layer_similarity (wm, l, TRUE, wm->similarity);
  for (gsize k = 0; k < (gsize) m * m; k++)
    wm->cost[k] = wm->similarity[k];

  old_value = assigned_sum (wm->similarity, wm->perm[l], m);
  new_value = basin_linear_assignment (wm->cost, m, m, TRUE, wm->assignment, error);
  if (isnan (new_value))
    return -1;

  if (!(new_value > old_value + 1e-10 * fabs (old_value) + 1e-30))
    return 0;
  memcpy (wm->perm[l], wm->assignment, m * sizeof (guint32));
  return 1;
}

/* Runs coordinate descent from the current permutations until a whole
 * sweep over the layers improves none of them. */
static gboolean
descend (WeightMatcher *wm,
         guint          max_sweeps,
         GCancellable  *cancellable,
         GError       **error)
{
  for (guint sweep = 0; sweep < max_sweeps; sweep++)
    {
      gboolean improved = FALSE;

      basin_rng_shuffle (&wm->rng, wm->order, wm->n_hidden);
      for (guint k = 0; k < wm->n_hidden; k++)
        {
          int result;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          result = update_layer (wm, wm->order[k], error);
          if (result < 0)
            return FALSE;
          improved |= result > 0;
        }
      if (!improved)
        return TRUE;
    }

  g_debug ("Weight matching stopped after %u sweeps without converging", max_sweeps);
  return TRUE;
}

/* Matches the layers one after the other from the input side, each on its
 * incoming weights and biases given the layers already matched. */
static gboolean
greedy_permutations (WeightMatcher *wm,
                     GError       **error)
{
  for (guint l = 0; l < wm->n_hidden; l++)
    {
      guint m = wm->a->layers[l].out_dim;

      layer_similarity (wm, l, FALSE, wm->similarity);
      for (gsize k = 0; k < (gsize) m * m; k++)
        wm->cost[k] = wm->similarity[k];
      if (isnan (basin_linear_assignment (wm->cost, m, m, TRUE, wm->perm[l], error)))
        return FALSE;
    }
  return TRUE;
}

static void
randomize_permutations (WeightMatcher *wm)
{
  for (guint l = 0; l < wm->n_hidden; l++)
    {
      guint m = wm->a->layers[l].out_dim;

      for (guint i = 0; i < m; i++)
        wm->perm[l][i] = i;
      basin_rng_shuffle (&wm->rng, wm->perm[l], m);
    }
}

static void
weight_matcher_init (WeightMatcher  *wm,
                     BasinMlp       *a,
                     BasinMlp       *b,
                     guint64         seed)
{
  gsize max_weight = 0;
  guint max_width = 1;

  wm->a = a;
  wm->b = b;
  wm->n_hidden = a->n_layers - 1;
  wm->perm = g_new0 (guint32 *, wm->n_hidden);
  wm->best = g_new0 (guint32 *, wm->n_hidden);
  wm->order = g_new (guint32, wm->n_hidden);
  for (guint l = 0; l < a->n_layers; l++)
    max_weight = MAX (max_weight, (gsize) a->layers[l].out_dim * a->layers[l].in_dim);
  for (guint l = 0; l < wm->n_hidden; l++)
    {
      max_width = MAX (max_width, a->layers[l].out_dim);
      wm->perm[l] = g_new (guint32, a->layers[l].out_dim);
      wm->best[l] = g_new (guint32, a->layers[l].out_dim);
      wm->order[l] = l;
    }
  wm->permuted = g_new (float, max_weight);
  wm->similarity = g_new (float, (gsize) max_width * max_width);
  wm->cost = g_new (double, (gsize) max_width * max_width);
  wm->assignment = g_new (guint32, max_width);
  basin_rng_init (&wm->rng, seed);
}

static void
weight_matcher_clear (WeightMatcher *wm)
{
  for (guint l = 0; l < wm->n_hidden; l++)
    {
      g_free (wm->perm[l]);
      g_free (wm->best[l]);
    }
  g_free (wm->perm);
  g_free (wm->best);
  g_free (wm->order);
  g_free (wm->permuted);
  g_free (wm->similarity);
  g_free (wm->cost);
  g_free (wm->assignment);
}

/* Allocates a matching in the layout basin_matching_free() releases. */
static BasinMatching *
matching_alloc (const BasinMlp *mlp)
{
  BasinMatching *m = g_new0 (BasinMatching, 1);
  guint n = mlp->n_layers - 1;

  m->n_layers = n;
  m->n_eval = 0;
  m->widths = g_new (guint, n);
  m->permutation = g_new0 (guint32 *, n);
  m->correlation = g_new0 (float *, n);
  m->identity_rate = g_new0 (double, n);
  m->objective = g_new0 (double, n);
  m->identity_objective = g_new0 (double, n);
  m->mean_correlation = g_new0 (double, n);
  for (guint l = 0; l < n; l++)
    {
      m->widths[l] = mlp->layers[l].out_dim;
      m->permutation[l] = g_new (guint32, m->widths[l]);
      m->correlation[l] = g_new (float, (gsize) m->widths[l] * m->widths[l]);
    }
  return m;
}

/* Fills the matching from the best permutations: every layer's similarity
 * matrix given its neighbours' matched permutations, and its sums. */
static BasinMatching *
matching_from_best (WeightMatcher *wm)
{
  BasinMatching *m = matching_alloc (wm->a);

  for (guint l = 0; l < wm->n_hidden; l++)
    memcpy (wm->perm[l], wm->best[l], m->widths[l] * sizeof (guint32));

  for (guint l = 0; l < wm->n_hidden; l++)
    {
      guint width = m->widths[l];
      guint identity = 0;

      memcpy (m->permutation[l], wm->best[l], width * sizeof (guint32));
      layer_similarity (wm, l, TRUE, m->correlation[l]);
      for (guint i = 0; i < width; i++)
        {
          identity += wm->best[l][i] == i;
          m->identity_objective[l] += m->correlation[l][(gsize) i * width + i];
        }
      m->objective[l] = assigned_sum (m->correlation[l], wm->best[l], width);
      m->identity_rate[l] = (double) identity / width;
      m->mean_correlation[l] = m->objective[l] / width;
    }
  return m;
}

/* Runs every restart and keeps the permutations with the largest total
 * objective in wm->best. */
static gboolean
run_restarts (WeightMatcher                    *wm,
              const BasinWeightMatchingOptions *options,
              double                           *best_out,
              GCancellable                     *cancellable,
              BasinProgressFunc                 progress,
              gpointer                          user_data,
              GError                          **error)
{
  double best = -INFINITY;

  for (guint r = 0; r < options->n_restarts; r++)
    {
      double objective;

      if (progress != NULL)
        progress ((double) r / options->n_restarts, _("Matching weights"), user_data);

      if (r == 0 && options->greedy_start)
        {
          if (!greedy_permutations (wm, error))
            return FALSE;
        }
      else
        {
          randomize_permutations (wm);
        }
      if (!descend (wm, options->max_sweeps, cancellable, error))
        return FALSE;

      objective = effective_objective (wm->a, wm->b, wm->perm);
      g_debug ("Weight matching restart %u: objective %.6g", r, objective);
      if (objective > best)
        {
          best = objective;
          for (guint l = 0; l < wm->n_hidden; l++)
            memcpy (wm->best[l], wm->perm[l],
                    wm->a->layers[l].out_dim * sizeof (guint32));
        }
    }

  *best_out = best;
  return TRUE;
}

/**
 * basin_match_weights:
 * @a: run A
 * @b: run B, of the same architecture
 * @options: (nullable): restarts, sweeps and seed, or %NULL for the
 *   defaults of basin_weight_matching_options_init_default()
 * @objective_out: (out) (optional): the total objective `⟨θ_A, π(θ_B)⟩`
 *   of the returned permutations, see basin_weight_matching_objective()
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Matches the hidden neurons of @b to those of @a by weight matching,
 * keeping the best of several coordinate-descent runs, see
 * #BasinWeightMatchingOptions for their starting points.
 *
 * In the returned #BasinMatching, `correlation[l]` contains the weight
 * similarity `C` of layer l given the matched permutations of the
 * neighbouring layers.  It is not a correlation and not bounded by 1.
 * `objective[l]`, `identity_objective[l]` and `mean_correlation[l]` are
 * `Σ_i C[i, π(i)]`, `Σ_i C[i, i]` and their mean on that matrix, and
 * `n_eval` is 0.  basin_mlp_align() applies the result as usual.
 *
 * Returns: (transfer full) (nullable): the matching, or %NULL if the
 *   networks differ in architecture, the options are invalid, or the
 *   operation was cancelled
 */
BasinMatching *
basin_match_weights (const BasinMlp                   *a,
                     const BasinMlp                   *b,
                     const BasinWeightMatchingOptions *options,
                     double                           *objective_out,
                     GCancellable                     *cancellable,
                     BasinProgressFunc                 progress,
                     gpointer                          user_data,
                     GError                          **error)
{
  BasinWeightMatchingOptions defaults;
  WeightMatcher wm = { 0 };
  BasinMatching *matching = NULL;
  double best = -INFINITY;

  if (options == NULL)
    {
      basin_weight_matching_options_init_default (&defaults);
      options = &defaults;
    }
  if (options->n_restarts == 0 || options->max_sweeps == 0)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Weight matching needs at least 1 restart and 1 sweep, "
                     "but got %u and %u."), options->n_restarts, options->max_sweeps);
      return NULL;
    }

  weight_matcher_init (&wm, basin_mlp_to_effective (a), basin_mlp_to_effective (b),
                       options->seed);
  if (!basin_mlp_same_structure (wm.a, wm.b))
    g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                 _("Cannot match runs of different architectures; both need the "
                   "same depth, width, inputs, outputs and LayerNorm setting."));
  else if (run_restarts (&wm, options, &best, cancellable, progress, user_data, error))
    matching = matching_from_best (&wm);

  if (matching != NULL && objective_out != NULL)
    *objective_out = best;
  basin_mlp_free (wm.a);
  basin_mlp_free (wm.b);
  weight_matcher_clear (&wm);
  return matching;
}
