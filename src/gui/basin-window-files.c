/* basin-window-files.c: opening and saving experiments and sessions.
 *
 * Every file is read and written by a worker thread.  An experiment is a
 * JSON file (basin_experiment_load/save).  A session is a .safetensors
 * file with both runs.  It does not store the analysis, so opening one
 * also runs basin_session_analyse() on the worker before the window shows
 * it.
 * The current session stays until the new one is ready, so a file that
 * fails to open loses nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include <basin/basin-session-file.h>

#include "basin-window-private.h"

typedef enum {
  FILE_EXPERIMENT,
  FILE_SESSION,
} FileKind;

typedef enum {
  FILE_OPEN,
  FILE_SAVE,
} FileAction;

/* What a worker reads or writes.  The task owns it. */
typedef struct {
  char               *path;
  BasinExperiment    *experiment;
  BasinSharedSession *session;
  BasinProgressRelay *relay;
} FileJob;

static const struct {
  const char *filter_name;
  const char *mime_type;
  const char *suffix;
  const char *extension;
} file_types[] = {
  [FILE_EXPERIMENT] = { N_("Basin Experiments (JSON)"), "application/json", "json", ".json" },
  [FILE_SESSION] = { N_("Basin Sessions (safetensors)"), NULL, "safetensors", ".safetensors" },
};

static void
file_job_free (FileJob *job)
{
  g_clear_pointer (&job->path, g_free);
  g_clear_pointer (&job->experiment, basin_experiment_free);
  g_clear_pointer (&job->session, basin_shared_session_unref);
  g_clear_pointer (&job->relay, basin_progress_relay_unref);
  g_free (job);
}

static char *
get_display_name (const char *path)
{
  g_autofree char *basename = g_path_get_basename (path);

  return g_filename_display_name (basename);
}

/* Shows a failed file operation, unless the window has gone away. */
static void
report_file_error (BasinWindow  *self,
                   const char   *format,
                   const char   *path,
                   const GError *error)
{
  g_autofree char *name = get_display_name (path);
  g_autofree char *heading = g_strdup_printf (format, name);

  g_message ("%s: %s", heading, error->message);
  _basin_window_show_error (self, heading, error->message);
}

static GTask *
file_task_new (BasinWindow         *self,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               FileJob             *job)
{
  GTask *task = g_task_new (self, cancellable, callback, NULL);

  g_task_set_task_data (task, job, (GDestroyNotify)file_job_free);
  self->n_file_tasks++;

  return task;
}

/* Returns the task's job, or %NULL if the window went away meanwhile. */
static FileJob *
file_task_finish (BasinWindow  *self,
                  GAsyncResult *result)
{
  self->n_file_tasks--;

  if (g_cancellable_is_cancelled (self->files_cancellable))
    return NULL;

  return g_task_get_task_data (G_TASK (result));
}

/* Experiments */

static void
open_experiment_thread_cb (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  FileJob *job = task_data;
  GError *error = NULL;
  BasinExperiment *experiment = basin_experiment_load (job->path, &error);

  if (experiment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, experiment, (GDestroyNotify)basin_experiment_free);
}

static char *
format_source (const BasinExperiment *experiment,
               const char            *path)
{
  g_autofree char *name = get_display_name (path);

  if (experiment->name == NULL || experiment->name[0] == '\0')
    return g_steal_pointer (&name);

  /* TRANSLATORS: an experiment in the preset list: its name, then its file */
  return g_strdup_printf (_("%s (%s)"), experiment->name, name);
}

static void
open_experiment_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  BasinWindow *self = BASIN_WINDOW (object);
  FileJob *job = file_task_finish (self, result);
  g_autoptr(GError) error = NULL;
  BasinExperiment *experiment;
  g_autofree char *source = NULL;

  experiment = g_task_propagate_pointer (G_TASK (result), &error);
  if (job == NULL)
    {
      g_clear_pointer (&experiment, basin_experiment_free);
      return;
    }

  if (experiment == NULL)
    {
      report_file_error (self, _("Could Not Open “%s”"), job->path, error);
      return;
    }

  g_debug ("Opened the experiment “%s”", job->path);
  source = format_source (experiment, job->path);
  _basin_window_load_experiment (self, experiment, source);
}

/**
 * _basin_window_open_experiment_file:
 * @file: a JSON file written by basin_experiment_save()
 *
 * Reads @file on a worker and fills the sidebar with it.  An error shows
 * a dialog and leaves the sidebar as it is.
 */
void
_basin_window_open_experiment_file (BasinWindow *self,
                                    GFile       *file)
{
  g_autoptr(GTask) task = NULL;
  FileJob *job = g_new0 (FileJob, 1);

  job->path = g_file_get_path (file);
  task = file_task_new (self, self->files_cancellable, open_experiment_done_cb, job);
  g_task_set_source_tag (task, _basin_window_open_experiment_file);
  g_task_run_in_thread (task, open_experiment_thread_cb);
}

static void
save_experiment_thread_cb (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  FileJob *job = task_data;
  GError *error = NULL;

  if (basin_experiment_save (job->experiment, job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BasinWindow *self = BASIN_WINDOW (object);
  FileJob *job = file_task_finish (self, result);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  gboolean saved;

  saved = g_task_propagate_boolean (G_TASK (result), &error);
  if (job == NULL)
    return;

  if (!saved)
    {
      report_file_error (self, _("Could Not Save “%s”"), job->path, error);
      return;
    }

  g_debug ("Saved “%s”", job->path);
  name = get_display_name (job->path);
  message = g_strdup_printf (_("Saved “%s”"), name);
  _basin_window_show_toast (self, message, 3);
}

/**
 * _basin_window_save_experiment_file:
 * @file: where to write the sidebar's experiment as JSON
 *
 * Does nothing while a setting is invalid, because there is no experiment
 * to save then.
 */
void
_basin_window_save_experiment_file (BasinWindow *self,
                                    GFile       *file)
{
  g_autoptr(GTask) task = NULL;
  FileJob *job;

  if (self->experiment == NULL)
    return;

  job = g_new0 (FileJob, 1);
  job->path = g_file_get_path (file);
  job->experiment = basin_experiment_copy (self->experiment);

  task = file_task_new (self, self->files_cancellable, save_done_cb, job);
  g_task_set_source_tag (task, _basin_window_save_experiment_file);
  g_task_run_in_thread (task, save_experiment_thread_cb);
}

/* Sessions */

static void
open_session_thread_cb (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  FileJob *job = task_data;
  GError *error = NULL;
  BasinSession *session;

  basin_progress_relay_report (-1.0, _("Loading the session and its data…"), job->relay);
  session = basin_session_load (job->path, cancellable, &error);
  if (session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!basin_session_analyse (session, basin_progress_relay_report, job->relay,
                              cancellable, &error))
    {
      basin_session_free (session);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, session, (GDestroyNotify)basin_session_free);
}

static void
open_progress_cb (gpointer    owner,
                  double      fraction,
                  const char *text)
{
  BasinWindow *self = owner;
  g_autofree char *status = NULL;

  if (fraction < 0.0)
    status = g_strdup (text);
  else
    status = g_strdup_printf (_("Analysing: %s"), text);

  _basin_window_set_progress (self, fraction);
  _basin_window_set_status (self, status);
}

/* A session file keeps no minibatch losses, so its loss curves are the
 * mean training loss of each epoch, drawn at the middle of the epoch. */
static BasinFigure *
training_figure_from_history (const BasinSession *session)
{
  guint n_points[BASIN_N_RUNS];
  double *steps[BASIN_N_RUNS];
  double *losses[BASIN_N_RUNS];
  BasinFigure *figure;

  for (guint run = 0; run < BASIN_N_RUNS; run++)
    {
      const GArray *train_loss = session->history[run]->train_loss;

      n_points[run] = train_loss->len;
      steps[run] = g_new (double, MAX (train_loss->len, 1));
      losses[run] = g_memdup2 (train_loss->data, MAX (train_loss->len, 1) * sizeof (double));
      for (guint epoch = 0; epoch < train_loss->len; epoch++)
        steps[run][epoch] = epoch + 0.5;
    }

  figure = basin_figure_new_training (n_points, (const double *const *)steps,
                                      (const double *const *)losses,
                                      session->experiment->train.epochs);
  if (basin_figure_get_n_panels (figure) > 0)
    basin_panel_set_axis_titles (basin_figure_get_panel (figure, 0),
                                 _("epoch"), _("mean training loss of the epoch"));

  for (guint run = 0; run < BASIN_N_RUNS; run++)
    {
      g_free (steps[run]);
      g_free (losses[run]);
    }

  return figure;
}

static void
show_opened_session (BasinWindow  *self,
                     BasinSession *session,
                     const char   *path)
{
  g_autofree char *source = format_source (session->experiment, path);
  g_autofree char *name = get_display_name (path);
  g_autofree char *message = g_strdup_printf (_("Opened “%s”"), name);

  _basin_window_load_experiment (self, basin_experiment_copy (session->experiment), source);
  basin_figure_view_set_figure (self->training_view, training_figure_from_history (session));
  _basin_window_set_session (self, session);
  _basin_window_show_toast (self, message, 3);
}

static void
open_session_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  BasinWindow *self = BASIN_WINDOW (object);
  FileJob *job = file_task_finish (self, result);
  g_autoptr(GError) error = NULL;
  BasinSession *session;

  session = g_task_propagate_pointer (G_TASK (result), &error);
  if (job == NULL)
    {
      g_clear_pointer (&session, basin_session_free);
      return;
    }

  basin_progress_relay_close (job->relay);
  if (job->relay == self->open_relay)
    {
      g_clear_pointer (&self->open_relay, basin_progress_relay_unref);
      g_clear_object (&self->open_cancellable);
      _basin_window_set_progress (self, session != NULL ? 1.0 : 0.0);
    }

  if (session != NULL)
    {
      g_debug ("Opened the session “%s”", job->path);
      show_opened_session (self, session, job->path);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _basin_window_set_status (self, error->message);
      report_file_error (self, _("Could Not Open “%s”"), job->path, error);
    }
}

/**
 * _basin_window_open_session_file:
 * @file: a .safetensors file written by basin_session_save()
 *
 * Loads the session and its data on a worker, analyses it there, and then
 * shows it in every view and its experiment in the sidebar.  A session
 * still being opened is cancelled.  An error shows a dialog and keeps the
 * current session.
 */
void
_basin_window_open_session_file (BasinWindow *self,
                                 GFile       *file)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = NULL;
  g_autofree char *status = NULL;
  FileJob *job;

  _basin_window_cancel_open (self);

  self->open_cancellable = g_cancellable_new ();
  self->open_relay = basin_progress_relay_new (G_OBJECT (self), open_progress_cb);

  job = g_new0 (FileJob, 1);
  job->path = g_file_get_path (file);
  job->relay = basin_progress_relay_ref (self->open_relay);

  name = get_display_name (job->path);
  status = g_strdup_printf (_("Opening “%s”…"), name);
  _basin_window_set_status (self, status);
  _basin_window_set_progress (self, -1.0);

  task = file_task_new (self, self->open_cancellable, open_session_done_cb, job);
  g_task_set_source_tag (task, _basin_window_open_session_file);
  g_task_run_in_thread (task, open_session_thread_cb);
}

/**
 * _basin_window_cancel_open:
 *
 * Cancels a session being opened; its result is dropped.
 */
void
_basin_window_cancel_open (BasinWindow *self)
{
  if (self->open_cancellable == NULL)
    return;

  g_debug ("Cancelling the session being opened");
  g_cancellable_cancel (self->open_cancellable);
  basin_progress_relay_close (self->open_relay);
  g_clear_object (&self->open_cancellable);
  g_clear_pointer (&self->open_relay, basin_progress_relay_unref);
  _basin_window_set_progress (self, 0.0);
}

static void
save_session_thread_cb (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  FileJob *job = task_data;
  GError *error = NULL;

  if (basin_session_save (basin_shared_session_get (job->session), job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * _basin_window_save_session_file:
 * @file: where to write the shown session as safetensors
 *
 * Does nothing while there is no session.
 */
void
_basin_window_save_session_file (BasinWindow *self,
                                 GFile       *file)
{
  g_autoptr(GTask) task = NULL;
  FileJob *job;

  if (self->session == NULL)
    return;

  job = g_new0 (FileJob, 1);
  job->path = g_file_get_path (file);
  job->session = basin_shared_session_ref (self->session);

  task = file_task_new (self, self->files_cancellable, save_done_cb, job);
  g_task_set_source_tag (task, _basin_window_save_session_file);
  g_task_run_in_thread (task, save_session_thread_cb);
}

/**
 * _basin_window_get_file_busy:
 *
 * Returns: whether a file is being opened or saved
 */
gboolean
_basin_window_get_file_busy (BasinWindow *self)
{
  return self->n_file_tasks > 0;
}

/* File choosers */

/* Adds the type's extension to a name typed without one. */
static GFile *
with_extension (GFile    *file,
                FileKind  kind)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *with = NULL;
  g_autoptr(GFile) parent = NULL;

  if (basename == NULL || strchr (basename, '.') != NULL)
    return g_object_ref (file);

  with = g_strconcat (basename, file_types[kind].extension, NULL);
  parent = g_file_get_parent (file);

  return g_file_get_child (parent, with);
}

static void
file_response_cb (BasinWindow          *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  FileKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "basin-file-kind"));
  FileAction action = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "basin-file-action"));
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->file_chooser);

  if (chosen == NULL)
    return;

  if (!g_file_is_native (chosen))
    {
      _basin_window_show_toast (self, _("Choose a file on this computer; remote locations "
                                        "cannot be opened or saved."), 8);
      return;
    }

  g_clear_object (&self->files_folder);
  self->files_folder = g_file_get_parent (chosen);

  file = action == FILE_SAVE ? with_extension (chosen, kind) : g_object_ref (chosen);
  if (kind == FILE_EXPERIMENT && action == FILE_OPEN)
    _basin_window_open_experiment_file (self, file);
  else if (kind == FILE_EXPERIMENT)
    _basin_window_save_experiment_file (self, file);
  else if (action == FILE_OPEN)
    _basin_window_open_session_file (self, file);
  else
    _basin_window_save_session_file (self, file);
}

static void
add_filters (GtkFileChooser *chooser,
             FileKind        kind)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _(file_types[kind].filter_name));
  if (file_types[kind].mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, file_types[kind].mime_type);
  gtk_file_filter_add_suffix (filter, file_types[kind].suffix);
  gtk_file_chooser_add_filter (chooser, filter);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

static void
choose_file (BasinWindow *self,
             FileKind     kind,
             FileAction   action,
             const char  *title)
{
  GtkFileChooserNative *chooser;

  if (self->file_chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                         action == FILE_OPEN ? GTK_FILE_CHOOSER_ACTION_OPEN
                                                             : GTK_FILE_CHOOSER_ACTION_SAVE,
                                         action == FILE_OPEN ? _("_Open") : _("_Save"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filters (GTK_FILE_CHOOSER (chooser), kind);

  if (self->files_folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), self->files_folder, NULL);

  if (action == FILE_SAVE)
    {
      g_autofree char *name = g_strconcat (kind == FILE_SESSION ? "session" : "experiment",
                                           file_types[kind].extension, NULL);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }

  g_object_set_data (G_OBJECT (chooser), "basin-file-kind", GUINT_TO_POINTER (kind));
  g_object_set_data (G_OBJECT (chooser), "basin-file-action", GUINT_TO_POINTER (action));
  g_signal_connect_object (chooser, "response",
                           G_CALLBACK (file_response_cb), self, G_CONNECT_SWAPPED);

  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->file_chooser);
}

static void
open_experiment_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  choose_file (BASIN_WINDOW (widget), FILE_EXPERIMENT, FILE_OPEN, _("Open Experiment"));
}

static void
save_experiment_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  choose_file (BASIN_WINDOW (widget), FILE_EXPERIMENT, FILE_SAVE, _("Save Experiment"));
}

static void
open_session_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  choose_file (BASIN_WINDOW (widget), FILE_SESSION, FILE_OPEN, _("Open Session"));
}

static void
save_session_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  choose_file (BASIN_WINDOW (widget), FILE_SESSION, FILE_SAVE, _("Save Session"));
}

void
_basin_window_files_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-experiment", NULL,
                                   open_experiment_action_cb);
  gtk_widget_class_install_action (widget_class, "win.save-experiment", NULL,
                                   save_experiment_action_cb);
  gtk_widget_class_install_action (widget_class, "win.open-session", NULL,
                                   open_session_action_cb);
  gtk_widget_class_install_action (widget_class, "win.save-session", NULL,
                                   save_session_action_cb);
}

void
_basin_window_files_init (BasinWindow *self)
{
  self->files_cancellable = g_cancellable_new ();
}

/* Tasks still running keep the window alive until they return.  Their
 * callbacks check files_cancellable, cancelled here, and do nothing. */
void
_basin_window_files_dispose (BasinWindow *self)
{
  g_cancellable_cancel (self->files_cancellable);
  _basin_window_cancel_open (self);
  g_clear_object (&self->files_folder);
}

void
_basin_window_files_finalize (BasinWindow *self)
{
  g_clear_object (&self->files_cancellable);
}
