/* basin-training-controller.h: trains and analyses a session in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include <basin/basin-experiment.h>
#include <basin/basin-session.h>

G_BEGIN_DECLS

/**
 * BasinLossCurves:
 * @epochs: epochs of each run
 * @n_points: points on each run's curve
 * @steps: x values of each run's curve, in epochs (fractional)
 * @losses: exponentially smoothed minibatch losses of each run
 *
 * An immutable copy of the loss curves made while training, shared by
 * reference counting.  It fits basin_figure_new_training() directly.
 */
typedef struct {
  guint   epochs;
  guint   n_points[BASIN_N_RUNS];
  double *steps[BASIN_N_RUNS];
  double *losses[BASIN_N_RUNS];
} BasinLossCurves;

#define BASIN_TYPE_LOSS_CURVES (basin_loss_curves_get_type ())

GType            basin_loss_curves_get_type (void) G_GNUC_CONST;
BasinLossCurves *basin_loss_curves_ref      (BasinLossCurves *curves);
void             basin_loss_curves_unref    (BasinLossCurves *curves);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinLossCurves, basin_loss_curves_unref)

#define BASIN_TYPE_TRAINING_CONTROLLER (basin_training_controller_get_type ())

G_DECLARE_FINAL_TYPE (BasinTrainingController, basin_training_controller, BASIN, TRAINING_CONTROLLER, GObject)

BasinTrainingController *basin_training_controller_new           (void);
gboolean                 basin_training_controller_start         (BasinTrainingController *self,
                                                                  const BasinExperiment   *experiment);
void                     basin_training_controller_stop          (BasinTrainingController *self);
gboolean                 basin_training_controller_get_running   (BasinTrainingController *self);
gboolean                 basin_training_controller_get_stopping  (BasinTrainingController *self);
BasinLossCurves         *basin_training_controller_get_curves    (BasinTrainingController *self);
BasinSession            *basin_training_controller_steal_session (BasinTrainingController *self);

G_END_DECLS
