/* basin-identifiability.h: activation recording, neuron similarity, linear
 * CKA, identifiability statistics, and realization and swap costs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "basin-dataset.h"
#include "basin-error.h"
#include "basin-matching.h"
#include "basin-mlp.h"

G_BEGIN_DECLS

/**
 * BasinActivations:
 * @n_layers: number of hidden layers
 * @n_rows: number of recorded inputs
 * @widths: (array length=n_layers): neurons per hidden layer
 * @values: (array length=n_layers): per hidden layer, @n_rows × width
 *   floats, row-major: row `r` contains the outputs for input `r`
 * @pre_activation: %TRUE if @values hold the activation inputs (after
 *   LayerNorm, when present) instead of the activation outputs
 */
typedef struct {
  guint     n_layers;
  guint     n_rows;
  guint    *widths;
  float   **values;
  gboolean  pre_activation;
} BasinActivations;

/**
 * BasinSimilarity:
 * @BASIN_SIMILARITY_PEARSON: Pearson correlation over the inputs; a
 *   neuron that is constant on the inputs is flagged and scores 0
 * @BASIN_SIMILARITY_COSINE: cosine of the two activation vectors; an
 *   all-zero neuron is flagged and scores 0
 * @BASIN_SIMILARITY_DOT: mean over the inputs of the product of the two
 *   activations; an all-zero neuron is flagged (its score is 0 anyway)
 */
typedef enum {
  BASIN_SIMILARITY_PEARSON,
  BASIN_SIMILARITY_COSINE,
  BASIN_SIMILARITY_DOT,
} BasinSimilarity;

/**
 * BasinLayerIdentifiability:
 * @width: neurons in the layer
 * @identity_rate: fraction of neurons `i` matched to `i`
 * @objective: `Σ_i C[i, π(i)]` of the given matching
 * @identity_objective: `Σ_i C[i, i]`
 * @objective_ratio: @identity_objective / @objective, or NaN when
 *   @objective ≤ 0 and the ratio has no meaning
 * @mean_matched: @objective / @width, the mean matched similarity
 * @n_random: number of uniformly random permutations drawn
 * @random_seed: seed of those permutations
 * @random_mean: mean of their objectives `Σ_i C[i, σ(i)]`
 * @random_std: sample standard deviation of their objectives
 * @random_below_identity: fraction of them with an objective strictly
 *   below @identity_objective
 *
 * How strongly a matching of two runs singles out the identity: for
 * identifiable neurons @identity_rate and @objective_ratio are near 1 and
 * the identity scores far above random permutations.
 */
typedef struct {
  guint   width;
  double  identity_rate;
  double  objective;
  double  identity_objective;
  double  objective_ratio;
  double  mean_matched;
  guint   n_random;
  guint64 random_seed;
  double  random_mean;
  double  random_std;
  double  random_below_identity;
} BasinLayerIdentifiability;

/**
 * BasinIdentifiability:
 * @n_layers: number of hidden layers
 * @layers: (array length=n_layers): statistics of every hidden layer
 */
typedef struct {
  guint                      n_layers;
  BasinLayerIdentifiability *layers;
} BasinIdentifiability;

/**
 * BasinSwapCostOptions:
 * @variance_threshold: the input subspace `U` keeps the fewest principal
 *   directions that explain at least this share of the input variance
 * @rank_tolerance: eigenvalues of `S_i` at or below this fraction of its
 *   largest eigenvalue count as zero in `S_i⁺`
 * @range_tolerance: a target `a` is unreachable for neuron `i` when the
 *   part of `a − v_i` outside the range of `S_i` is longer than this
 *   fraction of `‖a − v_i‖`
 */
typedef struct {
  double variance_threshold;
  double rank_tolerance;
  double range_tolerance;
} BasinSwapCostOptions;

/**
 * BasinSwapCosts:
 * @layer: index of the analysed layer
 * @width: neurons `m` of the layer
 * @dim: inputs `d` of the layer
 * @k: dimension of the input subspace
 * @explained: share of the input variance that the subspace explains
 * @coherence: `ν(U) = max_r ‖U_{r,:}‖²`, between `k/d` and 1
 * @basis: `U`, @dim × @k, row-major, orthonormal columns
 * @realization: `R`, @width × @width, row-major: `R[i, j]` is the squared
 *   realization cost for neuron `i` to compute neuron `j`'s function,
 *   +∞ where @infeasible is set
 * @swap: `Δ`, @width × @width, row-major, symmetric with zero diagonal:
 *   `Δ_ij = R_ij + R_ji − R_ii − R_jj`, +∞ when `R_ij` or `R_ji` is
 * @infeasible: @width × @width flags: 1 where neuron `i` cannot realize
 *   neuron `j`'s function at any trainable weight
 * @n_infeasible: number of set flags in @infeasible
 */
typedef struct {
  guint   layer;
  guint   width;
  guint   dim;
  guint   k;
  double  explained;
  double  coherence;
  double *basis;
  double *realization;
  double *swap;
  guint8 *infeasible;
  guint   n_infeasible;
} BasinSwapCosts;

/**
 * BasinSwapCostSummary:
 * @n_pairs: off-diagonal pairs `i < j`
 * @scale: median of the diagonal `R_ii`, the typical cost of a neuron's
 *   own function; the classes below compare `Δ_ij` with it
 * @tolerance: the relative tolerance the classes were formed with
 * @cheap_fraction: share of pairs with `|Δ_ij| ≤ tolerance · scale`
 * @negative_fraction: share with `Δ_ij < −tolerance · scale`
 * @expensive_fraction: share with `Δ_ij > tolerance · scale`, infinite
 *   ones included
 * @infinite_fraction: share with `Δ_ij = +∞`
 * @median_relative_swap: median of `Δ_ij / scale` over all pairs (+∞ when
 *   most pairs are infeasible)
 *
 * The three classes cheap, negative and expensive are disjoint and add up
 * to 1; they are the three colour classes of a swap-cost figure.
 */
typedef struct {
  guint  n_pairs;
  double scale;
  double tolerance;
  double cheap_fraction;
  double negative_fraction;
  double expensive_fraction;
  double infinite_fraction;
  double median_relative_swap;
} BasinSwapCostSummary;

guint32          *basin_dataset_sample_rows   (const BasinDataset *dataset,
                                               guint               n_requested,
                                               guint64             seed,
                                               guint              *n_rows_out);

BasinActivations *basin_record_activations    (const BasinMlp     *mlp,
                                               const BasinDataset *dataset,
                                               const guint32      *rows,
                                               guint               n_rows,
                                               gboolean            pre_activation,
                                               GCancellable       *cancellable,
                                               BasinProgressFunc   progress,
                                               gpointer            user_data,
                                               GError            **error);
void              basin_activations_free      (BasinActivations *activations);

void              basin_similarity_matrix     (BasinSimilarity kind,
                                               const float    *a,
                                               guint           a_stride,
                                               const float    *b,
                                               guint           b_stride,
                                               guint           n_rows,
                                               guint           m_a,
                                               guint           m_b,
                                               float          *out,
                                               guint8         *constant_a,
                                               guint8         *constant_b);
double            basin_linear_cka            (const float *x,
                                               guint        x_stride,
                                               const float *y,
                                               guint        y_stride,
                                               guint        n_rows,
                                               guint        p,
                                               guint        q);
gboolean          basin_activations_cka       (const BasinActivations *a,
                                               const BasinActivations *b,
                                               double                 *cka,
                                               GCancellable           *cancellable,
                                               BasinProgressFunc       progress,
                                               gpointer                user_data,
                                               GError                **error);

void              basin_layer_identifiability (const float               *similarity,
                                               const guint32             *permutation,
                                               guint                      width,
                                               guint                      n_random,
                                               guint64                    seed,
                                               BasinLayerIdentifiability *out);
BasinIdentifiability *basin_identifiability_new (const BasinMatching *matching,
                                                 guint                n_random,
                                                 guint64              seed,
                                                 GCancellable        *cancellable,
                                                 BasinProgressFunc    progress,
                                                 gpointer             user_data,
                                                 GError             **error);
void              basin_identifiability_free  (BasinIdentifiability *identifiability);

void              basin_swap_cost_options_init_default (BasinSwapCostOptions *options);
double            basin_subspace_coherence    (const double *basis,
                                               guint         dim,
                                               guint         k);
gboolean          basin_realization_costs     (const BasinMlp             *mlp,
                                               guint                       layer,
                                               const double               *basis,
                                               guint                       k,
                                               const BasinSwapCostOptions *options,
                                               double                     *realization,
                                               guint8                     *infeasible,
                                               GCancellable               *cancellable,
                                               BasinProgressFunc           progress,
                                               gpointer                    user_data,
                                               GError                    **error);
void              basin_swap_cost_matrix      (const double *realization,
                                               guint         width,
                                               double       *swap);
BasinSwapCosts   *basin_swap_costs_new        (const BasinMlp             *mlp,
                                               guint                       layer,
                                               const float                *inputs,
                                               guint                       n_rows,
                                               const BasinSwapCostOptions *options,
                                               GCancellable               *cancellable,
                                               BasinProgressFunc           progress,
                                               gpointer                    user_data,
                                               GError                    **error);
BasinSwapCosts   *basin_swap_costs_for_dataset (const BasinMlp             *mlp,
                                                guint                       layer,
                                                const BasinDataset         *dataset,
                                                const guint32              *rows,
                                                guint                       n_rows,
                                                const BasinSwapCostOptions *options,
                                                GCancellable               *cancellable,
                                                BasinProgressFunc           progress,
                                                gpointer                    user_data,
                                                GError                    **error);
void              basin_swap_costs_free       (BasinSwapCosts *costs);
void              basin_swap_costs_summarize  (const BasinSwapCosts *costs,
                                               double                tolerance,
                                               BasinSwapCostSummary *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinActivations, basin_activations_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinIdentifiability, basin_identifiability_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinSwapCosts, basin_swap_costs_free)

G_END_DECLS
