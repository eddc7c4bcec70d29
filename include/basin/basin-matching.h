/* basin-matching.h: neuron similarity, linear assignment and permutations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "basin-dataset.h"
#include "basin-error.h"
#include "basin-mlp.h"

G_BEGIN_DECLS

/**
 * BasinMatching:
 * @n_layers: number of hidden layers
 * @widths: (array length=n_layers): neurons per hidden layer
 * @permutation: per layer, `permutation[l][i]` is the neuron of run B
 *   matched to neuron `i` of run A
 * @correlation: per layer, the Pearson correlation matrix, rows are the
 *   neurons of A and columns those of B, row-major
 * @identity_rate: per layer, fraction of `i` with `permutation[l][i] == i`
 * @objective: per layer, `Σ_i C[i, π(i)]` of the optimal matching
 * @identity_objective: per layer, `Σ_i C[i, i]`
 * @mean_correlation: per layer, mean matched correlation
 * @n_eval: number of inputs the activations were recorded on
 */
typedef struct {
  guint    n_layers;
  guint   *widths;
  guint32 **permutation;
  float  **correlation;
  double  *identity_rate;
  double  *objective;
  double  *identity_objective;
  double  *mean_correlation;
  guint    n_eval;
} BasinMatching;

double         basin_linear_assignment   (const double *cost,
                                          guint         n_rows,
                                          guint         n_cols,
                                          gboolean      maximize,
                                          guint32      *assignment,
                                          GError      **error);
void           basin_correlation_matrix  (const float *a,
                                          guint        a_stride,
                                          const float *b,
                                          guint        b_stride,
                                          guint        n_rows,
                                          guint        m_a,
                                          guint        m_b,
                                          float       *out);

BasinMatching *basin_match_activations   (const BasinMlp     *a,
                                          const BasinMlp     *b,
                                          const BasinDataset *eval,
                                          GCancellable       *cancellable,
                                          BasinProgressFunc   progress,
                                          gpointer            user_data,
                                          GError            **error);
void           basin_matching_free       (BasinMatching *matching);

void           basin_mlp_permute_hidden  (BasinMlp       *mlp,
                                          guint32 *const *permutation);
BasinMlp      *basin_mlp_align           (const BasinMlp      *b,
                                          const BasinMatching *matching);

G_END_DECLS
