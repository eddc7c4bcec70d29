/* basin-session.h: an experiment with its data, two runs and their analysis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "basin-dataset.h"
#include "basin-experiment.h"
#include "basin-identifiability.h"
#include "basin-matching.h"
#include "basin-merge.h"
#include "basin-mlp.h"
#include "basin-train.h"

G_BEGIN_DECLS

#define BASIN_N_RUNS 2

/**
 * BasinTrainProgress:
 * @run: index of the run that just stepped (0 = A, 1 = B)
 * @epoch: epoch of that run, counting from 0
 * @step: step within the epoch
 * @steps_per_epoch: steps in one epoch
 * @epochs: epochs in total
 * @loss: (array fixed-size=2): latest minibatch loss of each run, NaN
 *   before its first step
 * @epoch_finished: %TRUE when @run has just finished an epoch and its
 *   history grew by one entry
 * @fraction: completed share of the whole training
 *
 * Passed to a #BasinTrainFunc from a training thread, one call at a time.
 */
typedef struct {
  guint    run;
  guint    epoch;
  guint    step;
  guint    steps_per_epoch;
  guint    epochs;
  double   loss[BASIN_N_RUNS];
  gboolean epoch_finished;
  double   fraction;
} BasinTrainProgress;

typedef void (*BasinTrainFunc) (const BasinTrainProgress *progress,
                                gpointer                  user_data);

/**
 * BasinIdentifiabilityTrack:
 * @n_layers: hidden layers
 * @epochs: finished epochs (double) at which the runs were compared
 * @identity_rate: per layer, the identity-match rate at each of @epochs
 * @objective_ratio: per layer, `Σ_i C_ii / max_π Σ_i C_iπ(i)` at each of @epochs
 * @mean_correlation: per layer, the mean matched correlation
 * @swap_cheap: per layer, the share of run A's neuron pairs with a cheap
 *   swap, as basin_swap_costs_summarize() counts them at tolerance 0.1
 * @swap_negative: per layer, the share of pairs with a negative swap cost
 * @subspace_dim: per layer, the PCA dimension k of the layer's inputs
 * @coherence: per layer, the subspace coherence ν(U) of those inputs
 *
 * Activation matching of run B to run A, and the swap costs of run A,
 * after each epoch, on the same evaluation inputs as the final analysis.
 * The swap-cost arrays hold NaN where the costs could not be computed.
 */
typedef struct {
  guint    n_layers;
  GArray  *epochs;
  GArray **identity_rate;
  GArray **objective_ratio;
  GArray **mean_correlation;
  GArray **swap_cheap;
  GArray **swap_negative;
  GArray **subspace_dim;
  GArray **coherence;
} BasinIdentifiabilityTrack;

#define BASIN_N_PATHS 3

/**
 * BasinSession:
 * @experiment: the settings (owned)
 * @train: training data
 * @test: test data
 * @validation: (nullable): samples held out of the training data
 * @runs: run A and run B
 * @history: per-epoch metrics of each run
 * @matching: (nullable): activation matching of B to A, after analysis
 * @aligned_b: (nullable): run B permuted to A, in effective-weight form
 * @identifiability: (nullable): statistics of @matching per layer
 * @cka: (nullable): linear CKA of the runs' activations per hidden layer
 * @weight_matching: (nullable): weight matching of B to A (Git Re-Basin)
 * @weight_objective: `⟨θ_A, π(θ_B)⟩` of @weight_matching
 * @weight_aligned_b: (nullable): run B permuted by @weight_matching
 * @paths: (nullable): merge paths: unaligned, activation-aligned and
 *   weight-aligned (the last only when weight matching is enabled)
 * @track: (nullable): identifiability after each epoch
 * @trained: both runs finished training
 */
typedef struct {
  BasinExperiment *experiment;
  BasinDataset    *train;
  BasinDataset    *test;
  BasinDataset    *validation;
  BasinMlp        *runs[BASIN_N_RUNS];
  BasinHistory    *history[BASIN_N_RUNS];
  BasinMatching   *matching;
  BasinMlp        *aligned_b;
  BasinIdentifiability *identifiability;
  double          *cka;
  BasinMatching   *weight_matching;
  double           weight_objective;
  BasinMlp        *weight_aligned_b;
  BasinPath       *paths[BASIN_N_PATHS];
  BasinIdentifiabilityTrack *track;
  gboolean         trained;
} BasinSession;

BasinSession *basin_session_new      (const BasinExperiment *experiment,
                                      GCancellable          *cancellable,
                                      GError               **error);
void          basin_session_free     (BasinSession *session);
gboolean      basin_session_train    (BasinSession   *session,
                                      BasinTrainFunc  callback,
                                      gpointer        user_data,
                                      GCancellable   *cancellable,
                                      GError        **error);
gboolean      basin_session_analyse  (BasinSession      *session,
                                      BasinProgressFunc  progress,
                                      gpointer           user_data,
                                      GCancellable      *cancellable,
                                      GError           **error);
JsonNode     *basin_session_summary  (const BasinSession *session);
const char   *basin_run_name         (guint run);
BasinSwapCosts   *basin_session_swap_costs    (const BasinSession         *session,
                                               guint                       run,
                                               guint                       layer,
                                               guint                       n_eval,
                                               guint64                     seed,
                                               const BasinSwapCostOptions *options,
                                               GCancellable               *cancellable,
                                               BasinProgressFunc           progress,
                                               gpointer                    user_data,
                                               GError                    **error);
void          basin_identifiability_track_free (BasinIdentifiabilityTrack *track);

G_END_DECLS
