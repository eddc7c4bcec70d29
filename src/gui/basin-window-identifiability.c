/* basin-window-identifiability.c: the swap costs on the Identifiability page.
 *
 * The page shows how well the runs' neurons match after each epoch (built
 * with the other figures, basin-window.c) and the swap costs of the
 * selected hidden layer of run A.  Swap costs need a realization cost for
 * every pair of neurons, which takes seconds for wide layers, so a worker
 * computes them when the page is shown, with progress and a Stop button.
 * The costs are cached per hidden layer until the session changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "basin-window-private.h"

/* Seed of the test samples that define the input subspace. */
#define SWAP_SAMPLE_SEED 1

/* The run whose swap costs are shown: run A. */
#define SWAP_RUN 0

typedef struct {
  BasinSharedSession *session;
  BasinProgressRelay *relay;
  guint               layer;
} SwapJob;

typedef struct {
  BasinSwapCosts *costs;
  BasinFigure    *figure;
} SwapResult;

static void
swap_job_free (SwapJob *job)
{
  g_clear_pointer (&job->session, basin_shared_session_unref);
  g_clear_pointer (&job->relay, basin_progress_relay_unref);
  g_free (job);
}

static void
swap_result_free (SwapResult *result)
{
  g_clear_pointer (&result->costs, basin_swap_costs_free);
  g_clear_pointer (&result->figure, basin_figure_free);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwapResult, swap_result_free)

static gboolean
page_is_visible (BasinWindow *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "identifiability") == 0;
}

gboolean
_basin_window_get_swap_costs_running (BasinWindow *self)
{
  return self->swap_cancellable != NULL;
}

static void
update_controls (BasinWindow *self)
{
  gboolean running = _basin_window_get_swap_costs_running (self);
  gboolean cached = self->session != NULL
                    && g_hash_table_contains (self->swap_cache,
                                              GUINT_TO_POINTER (_basin_window_get_selected_layer (self)));

  /* The progress bar shows that the worker runs.  A spinner would redraw
   * the window every frame, which with software rendering takes the
   * cores that the worker needs. */
  gtk_widget_set_visible (GTK_WIDGET (self->swap_progress_bar), running);
  gtk_button_set_label (self->swap_button, running ? _("_Stop") : _("_Compute"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->swap_button),
                               running ? _("Stop computing the swap costs")
                                       : _("Compute the swap costs of the selected hidden layer"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->swap_button),
                            running || (self->session != NULL && !cached));
}

static void
set_swap_status (BasinWindow *self,
                 const char  *text)
{
  gtk_label_set_label (self->swap_status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->swap_status_label), text);
}

static void
show_costs (BasinWindow          *self,
            const BasinSwapCosts *costs,
            BasinFigure          *figure)
{
  g_autofree char *status = NULL;

  status = g_strdup_printf (_("Swap costs of run A, hidden layer %u"), costs->layer + 1);
  set_swap_status (self, status);
  basin_figure_view_set_figure (self->swap_view, figure);
  _basin_window_update_actions (self);
}

static void
swap_thread_cb (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SwapJob *job = task_data;
  const BasinSession *session = basin_shared_session_get (job->session);
  GError *error = NULL;
  SwapResult *result;
  BasinSwapCosts *costs;
  gint64 begin = g_get_monotonic_time ();

  costs = basin_session_swap_costs (session, SWAP_RUN, job->layer,
                                    session->experiment->eval_samples, SWAP_SAMPLE_SEED, NULL,
                                    cancellable, basin_progress_relay_report, job->relay, &error);
  if (costs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Computed the swap costs of hidden layer %u in %.0f ms", job->layer,
           (g_get_monotonic_time () - begin) / 1000.0);

  result = g_new0 (SwapResult, 1);
  result->costs = costs;
  result->figure = basin_figure_new_swap_costs (costs, basin_run_name (SWAP_RUN));
  g_task_return_pointer (task, result, (GDestroyNotify)swap_result_free);
}

static void
finish_job (BasinWindow *self)
{
  if (self->swap_relay != NULL)
    basin_progress_relay_close (self->swap_relay);
  g_clear_pointer (&self->swap_relay, basin_progress_relay_unref);
  g_clear_object (&self->swap_cancellable);
}

static void
swap_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BasinWindow) self = user_data;
  SwapJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(SwapResult) swap = NULL;
  g_autoptr(GError) error = NULL;

  swap = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || job->session != self->session)
    return;

  finish_job (self);

  if (swap == NULL)
    {
      g_autofree char *status = g_strdup_printf (_("Could not compute the swap costs: %s"),
                                                 error->message);

      g_message ("%s", status);
      set_swap_status (self, status);
      self->swap_stopped = TRUE;
      update_controls (self);
      return;
    }

  g_hash_table_insert (self->swap_cache, GUINT_TO_POINTER (job->layer), g_steal_pointer (&swap->costs));
  if (job->layer == _basin_window_get_selected_layer (self))
    show_costs (self, g_hash_table_lookup (self->swap_cache, GUINT_TO_POINTER (job->layer)),
                g_steal_pointer (&swap->figure));
  else
    _basin_window_identifiability_update (self);

  update_controls (self);
}

static void
swap_progress_cb (gpointer    owner,
                  double      fraction,
                  const char *text)
{
  BasinWindow *self = owner;
  g_autofree char *status = NULL;

  status = g_strdup_printf (_("Hidden layer %u: %s"), self->swap_layer + 1, text);
  set_swap_status (self, status);
  gtk_progress_bar_set_fraction (self->swap_progress_bar, CLAMP (fraction, 0.0, 1.0));
}

static void
start_job (BasinWindow *self,
           guint        layer)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *status = NULL;
  SwapJob *job;

  self->swap_cancellable = g_cancellable_new ();
  self->swap_relay = basin_progress_relay_new (G_OBJECT (self), swap_progress_cb);
  self->swap_layer = layer;
  self->swap_stopped = FALSE;

  job = g_new0 (SwapJob, 1);
  job->session = basin_shared_session_ref (self->session);
  job->relay = basin_progress_relay_ref (self->swap_relay);
  job->layer = layer;

  status = g_strdup_printf (_("Computing the swap costs of hidden layer %u…"), layer + 1);
  set_swap_status (self, status);
  gtk_progress_bar_set_fraction (self->swap_progress_bar, 0.0);
  basin_figure_view_set_figure (self->swap_view, NULL);

  task = g_task_new (NULL, self->swap_cancellable, swap_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, (GDestroyNotify)swap_job_free);
  g_task_run_in_thread (task, swap_thread_cb);

  update_controls (self);
}

static void
cancel_job (BasinWindow *self)
{
  if (self->swap_cancellable == NULL)
    return;

  g_cancellable_cancel (self->swap_cancellable);
  finish_job (self);
}

static void
show_idle (BasinWindow *self,
           guint        layer)
{
  g_autofree char *status = NULL;

  if (self->swap_stopped && self->swap_layer == layer)
    status = g_strdup_printf (_("Stopped. Press Compute for the swap costs of hidden layer %u."),
                              layer + 1);
  else
    status = g_strdup_printf (_("Press Compute for the swap costs of hidden layer %u."), layer + 1);

  set_swap_status (self, status);
  basin_figure_view_set_figure (self->swap_view, NULL);
}

/**
 * _basin_window_identifiability_update:
 *
 * Shows the swap costs of the selected hidden layer: from the cache, or
 * by starting a worker while the page is visible.  A worker for another
 * layer is cancelled.
 */
void
_basin_window_identifiability_update (BasinWindow *self)
{
  guint layer = _basin_window_get_selected_layer (self);
  const BasinSwapCosts *costs;

  if (self->session == NULL)
    return;

  costs = g_hash_table_lookup (self->swap_cache, GUINT_TO_POINTER (layer));
  if (_basin_window_get_swap_costs_running (self) && self->swap_layer != layer)
    cancel_job (self);

  if (costs != NULL)
    {
      const BasinFigure *shown_figure = basin_figure_view_get_figure (self->swap_view);

      if (shown_figure == NULL || self->swap_layer != layer)
        show_costs (self, costs, basin_figure_new_swap_costs (costs, basin_run_name (SWAP_RUN)));
      self->swap_layer = layer;
    }
  else if (!_basin_window_get_swap_costs_running (self))
    {
      if (page_is_visible (self) && !(self->swap_stopped && self->swap_layer == layer))
        start_job (self, layer);
      else
        show_idle (self, layer);
    }

  update_controls (self);
}

static void
swap_button_clicked_cb (BasinWindow *self)
{
  if (_basin_window_get_swap_costs_running (self))
    {
      g_debug ("Stopping the swap costs of hidden layer %u", self->swap_layer);
      cancel_job (self);
      self->swap_stopped = TRUE;
      show_idle (self, self->swap_layer);
      update_controls (self);
      return;
    }

  if (self->session != NULL)
    start_job (self, _basin_window_get_selected_layer (self));
}

/**
 * _basin_window_identifiability_reset:
 *
 * Cancels the worker and clears the cached costs, for a new session or
 * none.
 */
void
_basin_window_identifiability_reset (BasinWindow *self)
{
  cancel_job (self);
  g_hash_table_remove_all (self->swap_cache);
  self->swap_stopped = FALSE;
  self->swap_layer = 0;

  set_swap_status (self, self->session != NULL ? "" : _("No trained runs yet"));
  basin_figure_view_set_figure (self->swap_view, NULL);

  if (self->session != NULL)
    _basin_window_identifiability_update (self);
  else
    update_controls (self);
}

void
_basin_window_identifiability_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, swap_view);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, swap_status_label);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, swap_button);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, swap_progress_bar);

  gtk_widget_class_bind_template_callback (widget_class, swap_button_clicked_cb);
}

void
_basin_window_identifiability_init (BasinWindow *self)
{
  self->swap_cache = g_hash_table_new_full (NULL, NULL, NULL,
                                            (GDestroyNotify)basin_swap_costs_free);
  _basin_window_identifiability_reset (self);
}

void
_basin_window_identifiability_dispose (BasinWindow *self)
{
  cancel_job (self);
  g_clear_pointer (&self->swap_cache, g_hash_table_unref);
}
