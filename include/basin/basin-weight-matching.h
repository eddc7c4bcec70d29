/* basin-weight-matching.h: permutation matching from the weights alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "basin-error.h"
#include "basin-matching.h"
#include "basin-mlp.h"

G_BEGIN_DECLS

/**
 * BasinWeightMatchingOptions:
 * @n_restarts: number of coordinate-descent runs, at least 1; the one with
 *   the largest objective is kept
 * @max_sweeps: largest number of passes over the layers in one run, at
 *   least 1
 * @seed: seed of the random initial permutations and of the layer order
 * @greedy_start: start the first run from a greedy match that goes layer
 *   by layer from the input side and uses only incoming weights and
 *   biases.  The other runs start from random permutations.
 *
 * Coordinate descent only finds a local optimum.  On networks whose
 * effective weights are dominated by large fixed entries, a single random
 * start finds a planted permutation only about a quarter of the time, so
 * the greedy start is on by default.
 */
typedef struct {
  guint    n_restarts;
  guint    max_sweeps;
  guint64  seed;
  gboolean greedy_start;
} BasinWeightMatchingOptions;

void           basin_weight_matching_options_init_default (BasinWeightMatchingOptions *options);

double         basin_weight_matching_objective (const BasinMlp  *a,
                                                const BasinMlp  *b,
                                                guint32 *const  *permutation);
BasinMatching *basin_match_weights             (const BasinMlp                   *a,
                                                const BasinMlp                   *b,
                                                const BasinWeightMatchingOptions *options,
                                                double                           *objective_out,
                                                GCancellable                     *cancellable,
                                                BasinProgressFunc                 progress,
                                                gpointer                          user_data,
                                                GError                          **error);

G_END_DECLS
