/* basin-figure-set.h: the figures of a trained session, built off the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include <basin/basin-plot.h>

#include "basin-shared-session.h"

G_BEGIN_DECLS

/* Neurons drawn at most, and grid points along each axis of a neuron map. */
#define BASIN_FIGURE_SET_MAX_NEURONS 32
#define BASIN_FIGURE_SET_RESOLUTION  48

/**
 * BasinFigureSet:
 * @layer: hidden layer of @neurons and @match_matrix, counting from 0
 * @order: column order of @match_matrix
 * @neurons: (owned): each neuron's function over the input plane
 * @match_matrix: (owned): correlation matrix with the matching
 * @merge_path: (owned): loss and accuracy along the merge paths
 * @track: (owned): identifiability of the runs after each epoch
 */
typedef struct {
  guint             layer;
  BasinMatrixOrder  order;
  BasinFigure      *neurons;
  BasinFigure      *match_matrix;
  BasinFigure      *merge_path;
  BasinFigure      *track;
} BasinFigureSet;

void            basin_figure_set_free         (BasinFigureSet      *set);
void            basin_figure_set_build_async  (BasinSharedSession  *session,
                                               guint                layer,
                                               BasinMatrixOrder     order,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
BasinFigureSet *basin_figure_set_build_finish (GAsyncResult        *result,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinFigureSet, basin_figure_set_free)

G_END_DECLS
