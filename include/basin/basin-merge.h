/* basin-merge.h: straight paths between two networks and their barriers.
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
 * BasinPath:
 * @alignment: "none", "activation" or "weight"
 * @n_points: number of values of λ
 * @lambda: the λ values, `θ(λ) = (1 − λ) θ_A + λ θ_B`
 * @train_loss: loss on the training subset at each λ
 * @train_accuracy: accuracy (fraction) on the training subset at each λ
 * @test_loss: loss on the test set at each λ
 * @test_accuracy: accuracy (fraction) on the test set at each λ
 * @n_train: size of the training subset the path was evaluated on
 * @n_test: size of the test set
 * @loss_barrier: basin_loss_barrier() of @test_loss
 * @accuracy_barrier: basin_accuracy_barrier() of @test_accuracy, in
 *   percentage points
 * @train_loss_barrier: the same for @train_loss
 * @train_accuracy_barrier: the same for @train_accuracy
 */
typedef struct {
  char   *alignment;
  guint   n_points;
  double *lambda;
  double *train_loss;
  double *train_accuracy;
  double *test_loss;
  double *test_accuracy;
  guint   n_train;
  guint   n_test;
  double  loss_barrier;
  double  accuracy_barrier;
  double  train_loss_barrier;
  double  train_accuracy_barrier;
} BasinPath;

void       basin_mlp_interpolate     (const BasinMlp *a,
                                      const BasinMlp *b,
                                      double          lambda,
                                      BasinMlp       *out);
double     basin_loss_barrier        (const double *lambda,
                                      const double *loss,
                                      guint         n_points);
double     basin_accuracy_barrier    (const double *lambda,
                                      const double *accuracy,
                                      guint         n_points);
BasinPath *basin_path_evaluate       (const BasinMlp     *a,
                                      const BasinMlp     *b,
                                      const char         *alignment,
                                      const BasinDataset *train,
                                      const BasinDataset *test,
                                      guint               n_points,
                                      GCancellable       *cancellable,
                                      BasinProgressFunc   progress,
                                      gpointer            user_data,
                                      GError            **error);
void       basin_path_free           (BasinPath *path);

G_END_DECLS
