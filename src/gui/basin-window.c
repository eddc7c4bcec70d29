/* basin-window.c: the main window of Basin.
 *
 * The sidebar (basin-window-settings.c) edits an experiment, and the Train
 * button hands it to a BasinTrainingController.  While the worker trains,
 * the window shows its progress and loss curves.  When it has finished, or
 * when a session file has been opened (basin-window-files.c), the window
 * shares the session with workers that build the figures of the selected
 * hidden layer, its swap costs (basin-window-identifiability.c) and loss
 * landscapes (basin-window-landscape.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "basin-application.h"
#include "basin-preferences.h"
#include "basin-resources.h"
#include "basin-window-private.h"

G_DEFINE_FINAL_TYPE (BasinWindow, basin_window, ADW_TYPE_APPLICATION_WINDOW)

/* Interval of the progress bar's pulse while the progress is unknown. */
#define PULSE_INTERVAL_MS 100

void
_basin_window_show_toast (BasinWindow *self,
                          const char  *message,
                          guint        timeout)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * _basin_window_show_error:
 * @heading: what failed, naming the file, such as “Could Not Open “a.json””
 * @body: the error message
 *
 * Shows a message dialog that the user closes.
 */
void
_basin_window_show_error (BasinWindow *self,
                          const char  *heading,
                          const char  *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_basin_window_set_status (BasinWindow *self,
                          const char  *text)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), text);
}

static gboolean
pulse_cb (gpointer user_data)
{
  BasinWindow *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);

  return G_SOURCE_CONTINUE;
}

static void
set_pulsing (BasinWindow *self,
             gboolean     pulsing)
{
  if (pulsing && self->pulse_source == 0)
    {
      self->pulse_source = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
      gtk_progress_bar_pulse (self->progress_bar);
    }
  else if (!pulsing)
    {
      g_clear_handle_id (&self->pulse_source, g_source_remove);
    }
}

/**
 * _basin_window_set_progress:
 * @fraction: completed share in [0, 1], or a negative value to pulse
 *   while the share is unknown
 */
void
_basin_window_set_progress (BasinWindow *self,
                            double       fraction)
{
  set_pulsing (self, fraction < 0.0);
  if (fraction >= 0.0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

/* The Identifiability page shows two figures; the swap costs, once
 * computed, are the ones exported. */
BasinFigureView *
_basin_window_get_visible_view (BasinWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "identifiability") == 0
      && basin_figure_view_get_figure (self->swap_view) != NULL)
    return self->swap_view;

  return basin_window_get_figure_view (self, name);
}

void
_basin_window_update_actions (BasinWindow *self)
{
  BasinFigureView *view = _basin_window_get_visible_view (self);
  gboolean has_figure = view != NULL && basin_figure_view_get_figure (view) != NULL;
  gboolean training = basin_training_controller_get_running (self->controller);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", has_figure);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-experiment", self->experiment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-session", self->session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-session", !training);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-experiment", !training);
}

void
_basin_window_update_train_button (BasinWindow *self)
{
  gboolean running = basin_training_controller_get_running (self->controller);
  gboolean stopping = basin_training_controller_get_stopping (self->controller);

  if (stopping)
    gtk_button_set_label (self->train_button, _("Stopping…"));
  else if (running)
    gtk_button_set_label (self->train_button, _("_Stop"));
  else
    gtk_button_set_label (self->train_button, _("_Train"));

  if (running)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->train_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->train_button), "destructive-action");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->train_button),
                                   _("Stop training; the settings stay as they are"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->train_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->train_button), "suggested-action");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->train_button),
                                   self->experiment != NULL
                                   ? _("Train run A and run B with these settings")
                                   : _("Fix the settings marked in red to train"));
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->train_button),
                            running ? !stopping : self->experiment != NULL);

  /* The sidebar stays scrollable while training, but its rows do not
   * change the experiment being trained. */
  gtk_widget_set_sensitive (self->sidebar, !running);
}

static void
clear_session (BasinWindow *self)
{
  g_cancellable_cancel (self->figures_cancellable);
  g_clear_object (&self->figures_cancellable);
  g_clear_pointer (&self->session, basin_shared_session_unref);
  gtk_widget_set_sensitive (self->layer_box, FALSE);

  basin_figure_view_set_figure (self->neurons_view, NULL);
  basin_figure_view_set_figure (self->match_view, NULL);
  basin_figure_view_set_figure (self->merge_view, NULL);
  basin_figure_view_set_figure (self->track_view, NULL);
  basin_figure_view_set_placeholder (self->track_view, self->track_placeholder);
  _basin_window_identifiability_reset (self);
  _basin_window_landscape_reset (self);
  _basin_window_update_actions (self);
}

static void
train_button_clicked_cb (BasinWindow *self)
{
  if (basin_training_controller_get_running (self->controller))
    {
      basin_training_controller_stop (self->controller);
      return;
    }

  if (self->experiment == NULL)
    return;

  /* Training replaces the session, so a session still being opened is
   * not wanted any more. */
  _basin_window_cancel_open (self);

  /* Empty axes spanning all epochs, until the first curves arrive. */
  clear_session (self);
  basin_figure_view_set_figure (self->training_view,
                                basin_figure_new_training (NULL, NULL, NULL,
                                                           self->experiment->train.epochs));
  basin_training_controller_start (self->controller, self->experiment);
}

static void
controller_running_changed_cb (BasinWindow *self)
{
  if (!basin_training_controller_get_running (self->controller))
    _basin_window_set_progress (self, 0.0);

  _basin_window_update_train_button (self);
  _basin_window_update_actions (self);
}

static void
controller_progress_cb (BasinWindow *self,
                        double       fraction,
                        const char  *text)
{
  _basin_window_set_progress (self, fraction);
  _basin_window_set_status (self, text);
}

static void
controller_loss_curves_cb (BasinWindow     *self,
                           BasinLossCurves *curves)
{
  BasinFigure *figure;

  figure = basin_figure_new_training (curves->n_points,
                                      (const double *const *)curves->steps,
                                      (const double *const *)curves->losses,
                                      curves->epochs);
  basin_figure_view_set_figure (self->training_view, figure);
  _basin_window_update_actions (self);
}

guint
_basin_window_get_selected_layer (BasinWindow *self)
{
  return (guint)gtk_spin_button_get_value_as_int (self->layer_spin) - 1;
}

static BasinMatrixOrder
get_selected_order (BasinWindow *self)
{
  return gtk_toggle_button_get_active (self->order_matched_button)
         ? BASIN_MATRIX_ORDER_MATCHING : BASIN_MATRIX_ORDER_IDENTITY;
}

static void
show_track (BasinWindow *self,
            BasinFigure *figure)
{
  const BasinSession *session = basin_shared_session_get (self->session);

  /* A session opened from a file has no track although its experiment
   * asked for one, because session files do not store it. */
  if (session->track == NULL && session->experiment->track_identifiability)
    {
      basin_figure_free (figure);
      basin_figure_view_set_placeholder (self->track_view,
                                         _("Session files do not keep the identifiability "
                                           "of each epoch. Train again to record it."));
      basin_figure_view_set_figure (self->track_view, NULL);
      return;
    }

  basin_figure_view_set_figure (self->track_view, figure);
}

static void
figures_built_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BasinWindow) self = user_data;
  g_autoptr(BasinFigureSet) set = NULL;
  g_autoptr(GError) error = NULL;

  set = basin_figure_set_build_finish (result, &error);
  if (set == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Building the figures failed: %s", error->message);
          _basin_window_show_toast (self, error->message, 8);
        }
      return;
    }

  /* A result for another layer, order or session is stale. */
  if (self->session == NULL
      || set->layer != _basin_window_get_selected_layer (self)
      || set->order != get_selected_order (self))
    return;

  basin_figure_view_set_figure (self->neurons_view, g_steal_pointer (&set->neurons));
  basin_figure_view_set_figure (self->match_view, g_steal_pointer (&set->match_matrix));
  basin_figure_view_set_figure (self->merge_view, g_steal_pointer (&set->merge_path));
  show_track (self, g_steal_pointer (&set->track));
  _basin_window_update_actions (self);
}

static void
build_figures (BasinWindow *self)
{
  if (self->session == NULL)
    return;

  g_cancellable_cancel (self->figures_cancellable);
  g_clear_object (&self->figures_cancellable);
  self->figures_cancellable = g_cancellable_new ();

  basin_figure_set_build_async (self->session,
                                _basin_window_get_selected_layer (self),
                                get_selected_order (self),
                                self->figures_cancellable,
                                figures_built_cb,
                                g_object_ref (self));
}

static void
layer_changed_cb (BasinWindow *self)
{
  build_figures (self);
  _basin_window_identifiability_update (self);
}

static void
order_changed_cb (BasinWindow *self)
{
  build_figures (self);
}

static void
visible_page_changed_cb (BasinWindow *self)
{
  const char *name;
  gboolean match;
  gboolean per_layer;

  /* Disposing the template may switch pages after the workers are gone. */
  if (self->controller == NULL)
    return;

  name = adw_view_stack_get_visible_child_name (self->view_stack);
  match = g_strcmp0 (name, "match") == 0;
  per_layer = match || g_strcmp0 (name, "neurons") == 0 || g_strcmp0 (name, "identifiability") == 0;

  gtk_widget_set_visible (self->layer_box, per_layer);
  gtk_widget_set_visible (self->order_box, match);
  _basin_window_identifiability_update (self);
  _basin_window_update_actions (self);
}

static char *
format_summary (const BasinSession *session)
{
  const BasinPath *unaligned = session->paths[0];
  const BasinPath *aligned = session->paths[1];
  const BasinPath *weight = session->paths[2];

  if (unaligned == NULL || aligned == NULL)
    return g_strdup (_("Finished training and analysis."));

  if (weight != NULL)
    return g_strdup_printf (_("Finished. Test loss barrier: %.3f unaligned, %.3f aligned by "
                              "activations, %.3f by weights. Test accuracy barrier: %.1f, "
                              "%.1f and %.1f percentage points."),
                            unaligned->loss_barrier, aligned->loss_barrier,
                            weight->loss_barrier, unaligned->accuracy_barrier,
                            aligned->accuracy_barrier, weight->accuracy_barrier);

  return g_strdup_printf (_("Finished. Test loss barrier: %.3f unaligned, %.3f aligned. "
                            "Test accuracy barrier: %.1f and %.1f percentage points."),
                          unaligned->loss_barrier, aligned->loss_barrier,
                          unaligned->accuracy_barrier, aligned->accuracy_barrier);
}

/**
 * _basin_window_set_session:
 * @session: (transfer full): a trained and analysed session
 *
 * Shows @session in every view, replacing the current one.
 */
void
_basin_window_set_session (BasinWindow  *self,
                           BasinSession *session)
{
  g_autofree char *summary = NULL;
  guint depth;

  g_return_if_fail (session != NULL);

  /* Setting the range may change the layer, which builds nothing while
   * there is no session. */
  clear_session (self);
  depth = MAX (session->experiment->model.depth, 1);
  gtk_spin_button_set_range (self->layer_spin, 1, depth);

  self->session = basin_shared_session_new (session);
  gtk_widget_set_sensitive (self->layer_box, TRUE);

  summary = format_summary (session);
  _basin_window_set_status (self, summary);
  _basin_window_set_progress (self, 1.0);

  build_figures (self);
  _basin_window_identifiability_reset (self);
  _basin_window_landscape_reset (self);
  _basin_window_update_actions (self);
}

static void
controller_finished_cb (BasinWindow *self)
{
  BasinSession *session = basin_training_controller_steal_session (self->controller);

  if (session != NULL)
    _basin_window_set_session (self, session);
}

static void
controller_failed_cb (BasinWindow  *self,
                      const GError *error)
{
  g_autofree char *status = NULL;

  status = g_strdup_printf (_("Training failed: %s"), error->message);
  _basin_window_set_status (self, status);
  _basin_window_show_toast (self, error->message, 10);
}

static void
controller_stopped_cb (BasinWindow *self)
{
  _basin_window_set_status (self, _("Training stopped. Press Train to start again."));
  _basin_window_show_toast (self, _("Training stopped"), 3);
}

/**
 * _basin_window_get_blas_threads:
 *
 * Returns: the OpenBLAS threads that analyses and landscapes may use, from
 *   the preferences of the application, or the default without one
 */
guint
_basin_window_get_blas_threads (BasinWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (BASIN_IS_APPLICATION (application))
    return basin_preferences_get_blas_threads (basin_application_get_preferences (BASIN_APPLICATION (application)));

  return basin_preferences_default_blas_threads ();
}

static gboolean
basin_window_close_request (GtkWindow *window)
{
  BasinWindow *self = BASIN_WINDOW (window);

  /* The workers only read their own copies or shared sessions, so they
   * can be abandoned; stopping them frees the CPU sooner. */
  basin_training_controller_stop (self->controller);
  _basin_window_cancel_open (self);
  _basin_window_landscape_stop (self);

  return GTK_WINDOW_CLASS (basin_window_parent_class)->close_request (window);
}

static void
basin_window_dispose (GObject *object)
{
  BasinWindow *self = (BasinWindow *)object;

  set_pulsing (self, FALSE);

  if (self->figures_cancellable != NULL)
    g_cancellable_cancel (self->figures_cancellable);

  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);

  if (self->controller != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->controller, self);
      basin_training_controller_stop (self->controller);
    }
  g_clear_object (&self->controller);

  _basin_window_files_dispose (self);
  _basin_window_identifiability_dispose (self);
  _basin_window_landscape_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), BASIN_TYPE_WINDOW);

  G_OBJECT_CLASS (basin_window_parent_class)->dispose (object);
}

static void
basin_window_finalize (GObject *object)
{
  BasinWindow *self = (BasinWindow *)object;

  g_clear_object (&self->figures_cancellable);
  g_clear_object (&self->export_folder);
  g_clear_pointer (&self->export_extension, g_free);
  g_clear_pointer (&self->track_placeholder, g_free);
  g_clear_pointer (&self->session, basin_shared_session_unref);
  g_clear_pointer (&self->experiment, basin_experiment_free);
  g_clear_pointer (&self->file_preset, basin_experiment_free);
  g_clear_pointer (&self->preset, basin_experiment_free);
  _basin_window_files_finalize (self);

  G_OBJECT_CLASS (basin_window_parent_class)->finalize (object);
}

static void
basin_window_class_init (BasinWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = basin_window_dispose;
  object_class->finalize = basin_window_finalize;

  window_class->close_request = basin_window_close_request;

  g_type_ensure (BASIN_TYPE_FIELD_ROW);
  g_type_ensure (BASIN_TYPE_FIGURE_VIEW);

  /* The resource bundle lives in a static library; using one of its
   * symbols links it in, and its constructor registers it. */
  g_assert (basin_get_resource () != NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/basin/Basin/ui/basin-window.ui");

  gtk_widget_class_bind_template_child (widget_class, BasinWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, train_button);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, layer_box);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, layer_spin);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, order_box);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, order_matched_button);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, training_view);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, neurons_view);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, match_view);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, merge_view);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, track_view);

  gtk_widget_class_bind_template_callback (widget_class, train_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, layer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, order_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, visible_page_changed_cb);

  _basin_window_settings_class_init (widget_class);
  _basin_window_export_class_init (widget_class);
  _basin_window_files_class_init (widget_class);
  _basin_window_identifiability_class_init (widget_class);
  _basin_window_landscape_class_init (widget_class);
}

static void
basin_window_init (BasinWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->controller = basin_training_controller_new ();
  g_signal_connect_object (self->controller, "notify::running",
                           G_CALLBACK (controller_running_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "notify::stopping",
                           G_CALLBACK (controller_running_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "progress",
                           G_CALLBACK (controller_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "loss-curves",
                           G_CALLBACK (controller_loss_curves_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "finished",
                           G_CALLBACK (controller_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "failed",
                           G_CALLBACK (controller_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "stopped",
                           G_CALLBACK (controller_stopped_cb), self, G_CONNECT_SWAPPED);

  self->track_placeholder = g_strdup (basin_figure_view_get_placeholder (self->track_view));

  _basin_window_files_init (self);
  _basin_window_identifiability_init (self);
  _basin_window_landscape_init (self);
  _basin_window_settings_init (self);

  _basin_window_set_status (self, _("Ready. Press Train to train run A and run B."));
  gtk_widget_set_sensitive (self->layer_box, FALSE);
  visible_page_changed_cb (self);
  _basin_window_update_train_button (self);
}

/**
 * basin_window_new:
 * @application: (nullable): the application, or %NULL in tests
 *
 * Returns: (transfer full): a new window
 */
BasinWindow *
basin_window_new (AdwApplication *application)
{
  g_return_val_if_fail (application == NULL || ADW_IS_APPLICATION (application), NULL);

  return g_object_new (BASIN_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * basin_window_train:
 * @self: the window
 *
 * Starts training with the current settings, as the Train button does,
 * unless training already runs or a setting is invalid.
 */
void
basin_window_train (BasinWindow *self)
{
  g_return_if_fail (BASIN_IS_WINDOW (self));

  if (basin_training_controller_get_running (self->controller)
      || !gtk_widget_get_sensitive (GTK_WIDGET (self->train_button)))
    return;
  train_button_clicked_cb (self);
}

BasinTrainingController *
basin_window_get_controller (BasinWindow *self)
{
  g_return_val_if_fail (BASIN_IS_WINDOW (self), NULL);

  return self->controller;
}

GtkButton *
basin_window_get_train_button (BasinWindow *self)
{
  g_return_val_if_fail (BASIN_IS_WINDOW (self), NULL);

  return self->train_button;
}

AdwComboRow *
basin_window_get_preset_row (BasinWindow *self)
{
  g_return_val_if_fail (BASIN_IS_WINDOW (self), NULL);

  return self->preset_row;
}

AdwComboRow *
basin_window_get_dataset_row (BasinWindow *self)
{
  g_return_val_if_fail (BASIN_IS_WINDOW (self), NULL);

  return self->dataset_row;
}

BasinFieldRow *
basin_window_get_field_row (BasinWindow *self,
                            BasinField   field)
{
  g_return_val_if_fail (BASIN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (field < BASIN_N_FIELDS, NULL);

  return self->fields[field];
}

GtkLabel *
basin_window_get_sidebar_banner (BasinWindow *self)
{
  g_return_val_if_fail (BASIN_IS_WINDOW (self), NULL);

  return self->sidebar_banner;
}

GtkSpinButton *
basin_window_get_layer_spin (BasinWindow *self)
{
  g_return_val_if_fail (BASIN_IS_WINDOW (self), NULL);

  return self->layer_spin;
}

/**
 * basin_window_get_figure_view:
 * @page_name: "training", "neurons", "match", "merge", "identifiability"
 *   (the track of the runs' identifiability), "swap-costs" or "landscape"
 *
 * Returns: (transfer none) (nullable): the figure view of that page
 */
BasinFigureView *
basin_window_get_figure_view (BasinWindow *self,
                              const char  *page_name)
{
  g_return_val_if_fail (BASIN_IS_WINDOW (self), NULL);

  if (g_strcmp0 (page_name, "training") == 0)
    return self->training_view;
  if (g_strcmp0 (page_name, "neurons") == 0)
    return self->neurons_view;
  if (g_strcmp0 (page_name, "match") == 0)
    return self->match_view;
  if (g_strcmp0 (page_name, "merge") == 0)
    return self->merge_view;
  if (g_strcmp0 (page_name, "identifiability") == 0)
    return self->track_view;
  if (g_strcmp0 (page_name, "swap-costs") == 0)
    return self->swap_view;
  if (g_strcmp0 (page_name, "landscape") == 0)
    return self->landscape_view;

  return NULL;
}

/**
 * basin_window_get_experiment:
 *
 * Returns: (transfer none) (nullable): the experiment of the sidebar, or
 *   %NULL while a setting is invalid
 */
const BasinExperiment *
basin_window_get_experiment (BasinWindow *self)
{
  g_return_val_if_fail (BASIN_IS_WINDOW (self), NULL);

  return self->experiment;
}
