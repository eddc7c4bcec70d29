/* basin-figure-set.c: the figures of a trained session, built off the main thread.
 *
 * The neuron maps evaluate the network on a grid for every neuron shown.
 * For image data the input plane also needs a PCA of the inputs.  Both
 * take too long for the main loop, so a worker thread builds the figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "basin-figure-set.h"

typedef struct {
  BasinSharedSession *session;
  guint               layer;
  BasinMatrixOrder    order;
} BuildRequest;

static void
build_request_free (BuildRequest *request)
{
  g_clear_pointer (&request->session, basin_shared_session_unref);
  g_free (request);
}

static void
build_figures_thread_cb (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  BuildRequest *request = task_data;
  const BasinSession *session = basin_shared_session_get (request->session);
  BasinFigureSet *set;
  gint64 begin = g_get_monotonic_time ();

  set = g_new0 (BasinFigureSet, 1);
  set->layer = request->layer;
  set->order = request->order;
  set->neurons = basin_figure_new_neurons (session, request->layer,
                                           BASIN_FIGURE_SET_MAX_NEURONS,
                                           BASIN_FIGURE_SET_RESOLUTION);
  set->match_matrix = basin_figure_new_match_matrix_ordered (session, request->layer,
                                                             request->order);
  set->merge_path = basin_figure_new_merge_path (session);
  set->track = basin_figure_new_identifiability_track (session);

  g_debug ("Built the figures of hidden layer %u in %.1f ms",
           request->layer, (g_get_monotonic_time () - begin) / 1000.0);

  g_task_return_pointer (task, set, (GDestroyNotify)basin_figure_set_free);
}

void
basin_figure_set_free (BasinFigureSet *set)
{
  if (set == NULL)
    return;

  g_clear_pointer (&set->neurons, basin_figure_free);
  g_clear_pointer (&set->match_matrix, basin_figure_free);
  g_clear_pointer (&set->merge_path, basin_figure_free);
  g_clear_pointer (&set->track, basin_figure_free);
  g_free (set);
}

/**
 * basin_figure_set_build_async:
 * @session: a trained and analysed session; the task keeps a reference
 * @layer: hidden layer, counting from 0
 * @order: column order of the match matrix
 *
 * Builds the neuron, match-matrix, merge-path and identifiability-track
 * figures in a worker thread.  Cancelling drops the result, but the figure calls themselves
 * cannot be interrupted.
 */
void
basin_figure_set_build_async (BasinSharedSession  *session,
                              guint                layer,
                              BasinMatrixOrder     order,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BuildRequest *request;

  g_return_if_fail (session != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request = g_new0 (BuildRequest, 1);
  request->session = basin_shared_session_ref (session);
  request->layer = layer;
  request->order = order;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, basin_figure_set_build_async);
  g_task_set_task_data (task, request, (GDestroyNotify)build_request_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, build_figures_thread_cb);
}

/**
 * basin_figure_set_build_finish:
 *
 * Returns: (transfer full): the figures, or %NULL with @error set, for
 *   example to %G_IO_ERROR_CANCELLED
 */
BasinFigureSet *
basin_figure_set_build_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
