/* basin-train.h: minibatch training with AdamW or SGD with momentum.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "basin-dataset.h"
#include "basin-mlp.h"

G_BEGIN_DECLS

typedef enum {
  BASIN_OPTIMIZER_ADAMW,
  BASIN_OPTIMIZER_SGD,
} BasinOptimizer;

/**
 * BasinSchedule:
 * @BASIN_SCHEDULE_CONSTANT: the learning rate stays fixed after warm-up
 * @BASIN_SCHEDULE_COSINE: after warm-up the learning rate follows a half
 *   cosine from its value down to 0 at the last step
 * @BASIN_SCHEDULE_LINEAR_WARMUP: the same as constant, with a warm-up of one
 *   epoch when @warmup_epochs is 0
 *
 * During the first `warmup_epochs` epochs the learning rate rises linearly
 * from lr / warm-up steps to lr.
 */
typedef enum {
  BASIN_SCHEDULE_CONSTANT,
  BASIN_SCHEDULE_COSINE,
  BASIN_SCHEDULE_LINEAR_WARMUP,
} BasinSchedule;

/**
 * BasinTrainConfig:
 * @optimizer: AdamW or SGD with momentum
 * @learning_rate: step size, > 0
 * @weight_decay: decoupled weight decay (AdamW) or L2 coefficient (SGD)
 * @beta1: AdamW first-moment decay
 * @beta2: AdamW second-moment decay
 * @epsilon: AdamW denominator guard
 * @momentum: SGD momentum
 * @batch_size: samples per step
 * @epochs: passes over the training set
 * @schedule: how the learning rate changes over the steps
 * @warmup_epochs: length of the linear warm-up, in epochs (may be fractional)
 * @clip_norm: largest global L2 norm of the gradient, 0 for no clipping
 */
typedef struct {
  BasinOptimizer optimizer;
  double         learning_rate;
  double         weight_decay;
  double         beta1;
  double         beta2;
  double         epsilon;
  double         momentum;
  guint          batch_size;
  guint          epochs;
  BasinSchedule  schedule;
  double         warmup_epochs;
  double         clip_norm;
} BasinTrainConfig;

/**
 * BasinHistory:
 * @train_loss: mean training loss of each epoch, as seen during the epoch
 * @train_accuracy: training accuracy of each epoch, as a fraction
 * @test_loss: test loss after each epoch
 * @test_accuracy: test accuracy after each epoch, as a fraction
 * @validation_loss: validation loss after each epoch (NaN without a
 *   validation split)
 * @validation_accuracy: validation accuracy after each epoch
 *
 * Arrays of double, one entry per finished epoch.
 */
typedef struct {
  GArray *train_loss;
  GArray *train_accuracy;
  GArray *test_loss;
  GArray *test_accuracy;
  GArray *validation_loss;
  GArray *validation_accuracy;
} BasinHistory;

typedef struct _BasinTrainer BasinTrainer;

void          basin_train_config_init_default (BasinTrainConfig *config);
gboolean      basin_train_config_validate     (const BasinTrainConfig *config,
                                               GError                **error);

BasinHistory *basin_history_new     (void);
void          basin_history_free    (BasinHistory *history);
BasinHistory *basin_history_copy    (const BasinHistory *history);

BasinTrainer *basin_trainer_new           (BasinMlp               *mlp,
                                           const BasinDataset     *train,
                                           const BasinTrainConfig *config,
                                           guint64                 shuffle_seed);
void          basin_trainer_free          (BasinTrainer *trainer);
gboolean      basin_trainer_step          (BasinTrainer *trainer,
                                           double       *loss_out,
                                           GError      **error);
guint         basin_trainer_get_epoch     (const BasinTrainer *trainer);
guint         basin_trainer_get_step      (const BasinTrainer *trainer);
guint         basin_trainer_steps_per_epoch (const BasinTrainer *trainer);
gboolean      basin_trainer_finished      (const BasinTrainer *trainer);
double        basin_trainer_learning_rate (const BasinTrainer *trainer);
const char   *basin_schedule_to_string    (BasinSchedule schedule);
gboolean      basin_schedule_from_string  (const char    *name,
                                           BasinSchedule *out);
double        basin_trainer_epoch_loss    (BasinTrainer       *trainer,
                                           double             *accuracy_out);

gboolean      basin_mlp_evaluate          (const BasinMlp     *mlp,
                                           const BasinDataset *dataset,
                                           double             *loss_out,
                                           double             *accuracy_out,
                                           GCancellable       *cancellable,
                                           GError            **error);

G_END_DECLS
