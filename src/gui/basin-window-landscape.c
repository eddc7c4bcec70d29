/* basin-window-landscape.c: the Landscape page of the main window.
 *
 * A worker builds a plane in weight space and evaluates the loss over a
 * grid on it with basin_landscape_evaluate(), coarse levels first.  After
 * each level it posts a copy of the landscape to the main thread, which
 * replaces the figure, so the map sharpens while the user watches.  Stop
 * cancels the worker and keeps the points computed so far; Evaluate with
 * the same settings then resumes where it stopped.  Moving the pointer
 * over the map shows the plane coordinates and the values of the nearest
 * computed grid point.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include <glib/gi18n.h>

#include "basin-window-private.h"

/* Grid points per axis offered by the resolution drop-down, in its order. */
static const guint resolutions[] = { 11, 21, 41, 61, 101 };

/* Seeds of the random directions and of the second axis of a plane whose
 * aligned run lies on the line through the runs. */
#define DIRECTION_SEED_X 1
#define DIRECTION_SEED_Y 2

#define DEFAULT_MARGIN 0.25
#define DEFAULT_RADIUS 1.0

/* A landscape being evaluated, or the last one.  The worker owns @plane
 * and @landscape while @running; the main thread owns them otherwise, so
 * a stopped job can be resumed. */
struct _BasinLandscapeJob
{
  BasinSharedSession        *session;
  BasinLandscapePlaneChoice  choice;
  gboolean                   use_training_set;
  BasinLandscapeOptions      options;

  BasinPlane                *plane;
  BasinLandscape            *landscape;

  GCancellable              *cancellable;
  BasinProgressRelay        *relay;
  gboolean                   running;
};

typedef struct {
  BasinLandscapeJob *job;
  BasinLandscape    *landscape;
} LevelUpdate;

static void
landscape_job_clear (gpointer data)
{
  BasinLandscapeJob *job = data;

  g_clear_pointer (&job->session, basin_shared_session_unref);
  g_clear_pointer (&job->plane, basin_plane_free);
  g_clear_pointer (&job->landscape, basin_landscape_free);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->relay, basin_progress_relay_unref);
}

static BasinLandscapeJob *
landscape_job_ref (BasinLandscapeJob *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
landscape_job_unref (BasinLandscapeJob *job)
{
  g_atomic_rc_box_release_full (job, landscape_job_clear);
}

static void
level_update_free (LevelUpdate *update)
{
  g_clear_pointer (&update->job, landscape_job_unref);
  g_clear_pointer (&update->landscape, basin_landscape_free);
  g_free (update);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LevelUpdate, level_update_free)

static const BasinDataset *
job_dataset (const BasinLandscapeJob *job)
{
  const BasinSession *session = basin_shared_session_get (job->session);

  return job->use_training_set || session->test == NULL ? session->train : session->test;
}

gboolean
_basin_window_landscape_running (BasinWindow *self)
{
  return self->landscape_job != NULL && self->landscape_job->running;
}

/* Plane choices in the order of the drop-down; the weight-aligned plane is
 * listed only when the session has weight matching. */
static gboolean
has_weight_plane (BasinWindow *self)
{
  return self->session != NULL
         && basin_shared_session_get (self->session)->weight_aligned_b != NULL;
}

static BasinLandscapePlaneChoice
get_plane_choice (BasinWindow *self)
{
  guint position = gtk_drop_down_get_selected (self->landscape_plane_dropdown);

  if (position == GTK_INVALID_LIST_POSITION)
    return BASIN_LANDSCAPE_PLANE_ACTIVATION;
  if (!has_weight_plane (self) && position >= BASIN_LANDSCAPE_PLANE_WEIGHT)
    return position + 1;

  return position;
}

static void
update_controls (BasinWindow *self)
{
  gboolean running = _basin_window_landscape_running (self);
  gboolean stopping = running && g_cancellable_is_cancelled (self->landscape_job->cancellable);

  gtk_widget_set_sensitive (GTK_WIDGET (self->landscape_evaluate_button),
                            self->session != NULL && !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->landscape_stop_button), running && !stopping);
  gtk_widget_set_visible (GTK_WIDGET (self->landscape_progress_bar), running);
}

static void
set_landscape_status (BasinWindow *self,
                      const char  *text)
{
  gtk_label_set_label (self->landscape_status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->landscape_status_label), text);
}

static void
reset_hover_label (BasinWindow *self)
{
  gtk_label_set_label (self->landscape_hover_label,
                       self->landscape != NULL
                       ? _("Point at the map to read the loss of the nearest computed grid point.")
                       : "");
}

/* Shows @landscape, which the window takes over. */
static void
show_landscape (BasinWindow    *self,
                BasinLandscape *landscape)
{
  g_clear_pointer (&self->landscape, basin_landscape_free);
  self->landscape = landscape;

  basin_figure_view_set_figure (self->landscape_view,
                                landscape != NULL
                                ? basin_figure_new_landscape (landscape, self->landscape_log_scale)
                                : NULL);
  reset_hover_label (self);
  _basin_window_update_actions (self);
}

static BasinPlane *
build_plane (const BasinLandscapeJob  *job,
             GError                  **error)
{
  const BasinSession *session = basin_shared_session_get (job->session);

  switch (job->choice)
    {
    case BASIN_LANDSCAPE_PLANE_ACTIVATION:
      return basin_plane_new_models (session->runs[0], session->runs[1], session->aligned_b,
                                     DIRECTION_SEED_X, error);

    case BASIN_LANDSCAPE_PLANE_WEIGHT:
      return basin_plane_new_models (session->runs[0], session->runs[1],
                                     session->weight_aligned_b, DIRECTION_SEED_X, error);

    case BASIN_LANDSCAPE_PLANE_RANDOM:
      return basin_plane_new_random (session->runs[0], "A", DIRECTION_SEED_X, DIRECTION_SEED_Y,
                                     BASIN_BIAS_DIRECTION_ZERO, error);

    default:
      g_assert_not_reached ();
    }
}

/* Runs on the worker after each level; the landscape is not being written. */
static void
level_done_cb (const BasinLandscape         *landscape,
               const BasinLandscapeProgress *progress,
               gpointer                      user_data);

static void
landscape_thread_cb (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  BasinLandscapeJob *job = task_data;
  const BasinDataset *dataset = job_dataset (job);
  GError *error = NULL;

  if (job->plane == NULL)
    {
      job->plane = build_plane (job, &error);
      if (job->plane != NULL)
        job->landscape = basin_landscape_new (job->plane, dataset, &job->options, &error);
      if (job->landscape == NULL)
        {
          g_clear_pointer (&job->plane, basin_plane_free);
          g_task_return_error (task, error);
          return;
        }
    }

  if (basin_landscape_evaluate (job->landscape, job->plane, dataset, level_done_cb, job,
                                cancellable, basin_progress_relay_report, job->relay, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
level_posted_cb (gpointer owner,
                 gpointer data)
{
  BasinWindow *self = owner;
  g_autoptr(LevelUpdate) update = data;

  if (update->job != self->landscape_job)
    return;

  show_landscape (self, g_steal_pointer (&update->landscape));
}

static void
level_done_cb (const BasinLandscape         *landscape,
               const BasinLandscapeProgress *progress,
               gpointer                      user_data)
{
  BasinLandscapeJob *job = user_data;
  LevelUpdate *update = g_new0 (LevelUpdate, 1);

  g_debug ("Landscape level %u of %u done: %u of %u points, %.1f s elapsed, about %.1f s left",
           progress->level, progress->n_levels, progress->n_computed, progress->n_points,
           progress->elapsed, progress->remaining);

  update->job = landscape_job_ref (job);
  update->landscape = basin_landscape_copy (landscape);
  basin_progress_relay_post (job->relay, level_posted_cb, update, (GDestroyNotify)level_update_free);
}

static void
progress_cb (gpointer    owner,
             double      fraction,
             const char *text)
{
  BasinWindow *self = owner;

  gtk_progress_bar_set_fraction (self->landscape_progress_bar, CLAMP (fraction, 0.0, 1.0));
  set_landscape_status (self, text);
}

static char *
format_result (const BasinLandscape *landscape,
               gboolean              complete)
{
  guint n_points = landscape->n_x * landscape->n_y;

  if (complete)
    return g_strdup_printf (_("%u points on %u samples in %.1f s"),
                            n_points, landscape->n_samples, landscape->elapsed);

  return g_strdup_printf (_("Stopped at %u of %u points. Evaluate continues from there."),
                          landscape->n_computed, n_points);
}

static void
landscape_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BasinWindow) self = user_data;
  BasinLandscapeJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  gboolean complete;

  complete = g_task_propagate_boolean (G_TASK (result), &error);
  job->running = FALSE;
  if (job != self->landscape_job)
    return;

  /* The worker has returned, so the landscape is final: show it as it is
   * and drop level copies that are still queued. */
  basin_progress_relay_close (job->relay);
  if (job->landscape != NULL)
    show_landscape (self, basin_landscape_copy (job->landscape));

  if (job->landscape != NULL
      && (complete || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      status = format_result (job->landscape, complete);
    }
  else
    {
      status = g_strdup_printf (_("Could not evaluate the landscape: %s"), error->message);
      g_message ("%s", status);
      _basin_window_show_toast (self, status, 10);
    }

  set_landscape_status (self, status);
  update_controls (self);
}

static gboolean
job_matches (const BasinLandscapeJob *job,
             const BasinLandscapeJob *request)
{
  return job->session == request->session
         && job->choice == request->choice
         && job->use_training_set == request->use_training_set
         && job->options.n_x == request->options.n_x
         && job->options.margin == request->options.margin
         && job->options.radius == request->options.radius;
}

/* Reads the controls into a new job. */
static BasinLandscapeJob *
job_from_controls (BasinWindow *self)
{
  BasinLandscapeJob *job = g_atomic_rc_box_new0 (BasinLandscapeJob);
  guint resolution = gtk_drop_down_get_selected (self->landscape_resolution_dropdown);
  double extent = gtk_spin_button_get_value (self->landscape_extent_spin);

  job->session = basin_shared_session_ref (self->session);
  job->choice = get_plane_choice (self);
  job->use_training_set = gtk_drop_down_get_selected (self->landscape_dataset_dropdown) == 1;

  basin_landscape_options_init_default (&job->options);
  job->options.n_x = job->options.n_y = resolutions[MIN (resolution, G_N_ELEMENTS (resolutions) - 1)];
  if (job->choice == BASIN_LANDSCAPE_PLANE_RANDOM)
    job->options.radius = extent;
  else
    job->options.margin = extent;
  job->options.n_workers = _basin_window_get_blas_threads (self);

  return job;
}

/**
 * _basin_window_landscape_evaluate:
 *
 * Starts evaluating the landscape of the controls' settings, or resumes
 * the stopped one when the settings are the same.
 */
void
_basin_window_landscape_evaluate (BasinWindow *self)
{
  g_autoptr(GTask) task = NULL;
  BasinLandscapeJob *job;

  if (self->session == NULL || _basin_window_landscape_running (self))
    return;

  job = job_from_controls (self);
  if (self->landscape_job != NULL && self->landscape_job->landscape != NULL
      && job_matches (self->landscape_job, job))
    {
      g_debug ("Resuming the landscape at %u points", self->landscape_job->landscape->n_computed);
      landscape_job_unref (job);
      job = landscape_job_ref (self->landscape_job);
    }

  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->relay, basin_progress_relay_unref);
  job->cancellable = g_cancellable_new ();
  job->relay = basin_progress_relay_new (G_OBJECT (self), progress_cb);
  job->running = TRUE;

  if (self->landscape_job != job)
    {
      g_clear_pointer (&self->landscape_job, landscape_job_unref);
      self->landscape_job = landscape_job_ref (job);
    }

  gtk_progress_bar_set_fraction (self->landscape_progress_bar, 0.0);
  set_landscape_status (self, _("Setting up the plane…"));

  task = g_task_new (NULL, job->cancellable, landscape_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, _basin_window_landscape_evaluate);
  g_task_set_task_data (task, job, (GDestroyNotify)landscape_job_unref);
  g_task_run_in_thread (task, landscape_thread_cb);

  update_controls (self);
}

/**
 * _basin_window_landscape_stop:
 *
 * Asks the worker to stop; the points computed so far stay.
 */
void
_basin_window_landscape_stop (BasinWindow *self)
{
  if (!_basin_window_landscape_running (self))
    return;

  g_debug ("Stopping the landscape");
  g_cancellable_cancel (self->landscape_job->cancellable);
  set_landscape_status (self, _("Stopping…"));
  update_controls (self);
}

static void
landscape_evaluate_clicked_cb (BasinWindow *self)
{
  _basin_window_landscape_evaluate (self);
}

static void
landscape_stop_clicked_cb (BasinWindow *self)
{
  _basin_window_landscape_stop (self);
}

static void
landscape_log_toggled_cb (BasinWindow *self)
{
  self->landscape_log_scale = gtk_check_button_get_active (self->landscape_log_check);

  if (self->landscape != NULL)
    basin_figure_view_set_figure (self->landscape_view,
                                  basin_figure_new_landscape (self->landscape,
                                                              self->landscape_log_scale));
}

/* The margin of a plane through the models is a share of their bounding
 * box.  A random plane spans [−radius, radius] in multiples of the
 * directions instead. */
static void
landscape_plane_changed_cb (BasinWindow *self)
{
  gboolean random = get_plane_choice (self) == BASIN_LANDSCAPE_PLANE_RANDOM;
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (self->landscape_extent_spin);

  gtk_label_set_text_with_mnemonic (self->landscape_extent_label,
                                    random ? _("_Radius") : _("_Margin"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->landscape_extent_spin),
                               random ? _("The grid spans −radius to radius along both random directions")
                                      : _("Space around the runs, as a share of the larger side of "
                                          "their bounding box"));
  gtk_adjustment_configure (adjustment,
                            random ? DEFAULT_RADIUS : DEFAULT_MARGIN,
                            random ? 0.01 : 0.0,
                            random ? 1000.0 : 10.0,
                            random ? 0.1 : 0.05,
                            random ? 1.0 : 0.25,
                            0.0);
}

static void
fill_plane_choices (BasinWindow *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  gtk_string_list_append (model, _("Plane of A, B and π(B), activation matching"));
  if (has_weight_plane (self))
    gtk_string_list_append (model, _("Plane of A, B and π(B), weight matching"));
  gtk_string_list_append (model, _("Around A, two random directions"));

  gtk_drop_down_set_model (self->landscape_plane_dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->landscape_plane_dropdown, 0);
  landscape_plane_changed_cb (self);
}

static void
fill_dataset_choices (BasinWindow *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const BasinSession *session = self->session != NULL ? basin_shared_session_get (self->session) : NULL;

  if (session != NULL)
    {
      g_autofree char *test = g_strdup_printf (_("Test set (%u samples)"),
                                               session->test != NULL ? session->test->n_samples : 0);
      g_autofree char *train = g_strdup_printf (_("Training set (%u samples)"),
                                                session->train->n_samples);

      gtk_string_list_append (model, test);
      gtk_string_list_append (model, train);
    }
  else
    {
      gtk_string_list_append (model, _("Test set"));
      gtk_string_list_append (model, _("Training set"));
    }

  gtk_drop_down_set_model (self->landscape_dataset_dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->landscape_dataset_dropdown, 0);
}

/**
 * _basin_window_landscape_reset:
 *
 * Cancels the worker and drops the landscape, for a new session or none,
 * and offers the planes and datasets of the current session.
 */
void
_basin_window_landscape_reset (BasinWindow *self)
{
  if (self->landscape_job != NULL)
    {
      g_cancellable_cancel (self->landscape_job->cancellable);
      if (self->landscape_job->relay != NULL)
        basin_progress_relay_close (self->landscape_job->relay);
    }
  g_clear_pointer (&self->landscape_job, landscape_job_unref);

  show_landscape (self, NULL);
  fill_plane_choices (self);
  fill_dataset_choices (self);
  set_landscape_status (self, self->session != NULL ? "" : _("No trained runs yet"));
  update_controls (self);
}

/* Returns the index of the computed grid point nearest to (@x, @y) in
 * grid units, or -1 when none is computed. */
static gssize
nearest_computed_point (const BasinLandscape *landscape,
                        double                x,
                        double                y)
{
  double column = (x - landscape->x_min) / (landscape->x_max - landscape->x_min) * (landscape->n_x - 1);
  double row = (y - landscape->y_min) / (landscape->y_max - landscape->y_min) * (landscape->n_y - 1);
  double best = INFINITY;
  gssize nearest = -1;

  for (guint j = 0; j < landscape->n_y; j++)
    for (guint i = 0; i < landscape->n_x; i++)
      {
        gsize index = (gsize)j * landscape->n_x + i;
        double distance = (i - column) * (i - column) + (j - row) * (j - row);

        if (landscape->level[index] != 0 && isfinite (landscape->loss[index]) && distance < best)
          {
            best = distance;
            nearest = index;
          }
      }

  return nearest;
}

static void
show_hover (BasinWindow *self,
            double       x,
            double       y)
{
  const BasinLandscape *landscape = self->landscape;
  gssize nearest = nearest_computed_point (landscape, x, y);
  g_autofree char *text = NULL;

  if (nearest < 0)
    {
      text = g_strdup_printf (_("(%.3g, %.3g) · no grid point is computed yet"), x, y);
    }
  else
    {
      guint i = nearest % landscape->n_x;
      guint j = nearest / landscape->n_x;

      text = g_strdup_printf (_("(%.3g, %.3g) · nearest computed grid point (%.3g, %.3g): "
                                "loss %.4f, accuracy %.1f %%"),
                              x, y, landscape->x[i], landscape->y[j],
                              landscape->loss[nearest], 100.0 * landscape->accuracy[nearest]);
    }

  gtk_label_set_label (self->landscape_hover_label, text);
}

/**
 * _basin_window_landscape_hover:
 * @x: pointer position in the landscape view, in pixels
 * @y: pointer position in the landscape view, in pixels
 *
 * Shows the plane coordinates under the pointer and the values of the
 * nearest computed grid point in the label under the map.
 *
 * Returns: whether the pointer is over the map
 */
gboolean
_basin_window_landscape_hover (BasinWindow *self,
                               double       x,
                               double       y)
{
  const BasinFigure *figure = basin_figure_view_get_figure (self->landscape_view);
  const BasinLandscape *landscape = self->landscape;
  double width = gtk_widget_get_width (GTK_WIDGET (self->landscape_view));
  double height = gtk_widget_get_height (GTK_WIDGET (self->landscape_view));

  if (figure == NULL || landscape == NULL)
    return FALSE;

  for (guint panel = 0; panel < basin_figure_get_n_panels (figure); panel++)
    {
      cairo_rectangle_t area;

      if (!basin_figure_get_plot_area (figure, panel, width, height, &area)
          || x < area.x || x > area.x + area.width || y < area.y || y > area.y + area.height)
        continue;

      /* The plot area spans the grid's extent exactly, y upwards. */
      show_hover (self,
                  landscape->x_min + (x - area.x) / area.width * (landscape->x_max - landscape->x_min),
                  landscape->y_max - (y - area.y) / area.height * (landscape->y_max - landscape->y_min));
      return TRUE;
    }

  reset_hover_label (self);
  return FALSE;
}

static void
motion_cb (BasinWindow *self,
           double       x,
           double       y)
{
  _basin_window_landscape_hover (self, x, y);
}

static void
leave_cb (BasinWindow *self)
{
  reset_hover_label (self);
}

void
_basin_window_landscape_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_plane_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_resolution_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_extent_label);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_extent_spin);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_dataset_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_evaluate_button);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_stop_button);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_log_check);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_status_label);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_view);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, landscape_hover_label);

  gtk_widget_class_bind_template_callback (widget_class, landscape_evaluate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, landscape_stop_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, landscape_log_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, landscape_plane_changed_cb);
}

void
_basin_window_landscape_init (BasinWindow *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  g_autoptr(GtkListItemFactory) button_factory = _basin_window_new_label_factory (TRUE);
  g_autoptr(GtkListItemFactory) list_factory = _basin_window_new_label_factory (FALSE);

  /* The button shortens a long plane name; the popup shows it in full. */
  gtk_drop_down_set_factory (self->landscape_plane_dropdown, button_factory);
  gtk_drop_down_set_list_factory (self->landscape_plane_dropdown, list_factory);

  g_signal_connect_object (motion, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->landscape_view), motion);

  _basin_window_landscape_reset (self);
}

void
_basin_window_landscape_dispose (BasinWindow *self)
{
  if (self->landscape_job != NULL)
    {
      g_cancellable_cancel (self->landscape_job->cancellable);
      if (self->landscape_job->relay != NULL)
        basin_progress_relay_close (self->landscape_job->relay);
    }
  g_clear_pointer (&self->landscape_job, landscape_job_unref);
  g_clear_pointer (&self->landscape, basin_landscape_free);
}
