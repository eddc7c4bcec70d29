/* basin-training-controller.c: trains and analyses a session in a worker thread.
 *
 * The worker creates the session, trains both runs and analyses them.  Its
 * progress callbacks only write into a job record under a mutex.  At most
 * every PUBLISH_INTERVAL they attach one idle source to the main context,
 * and that source copies the record into immutable values and emits the
 * signals.  Widgets therefore never see the worker's data, and nothing on
 * the main thread waits for the worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include <glib/gi18n.h>

#include "basin-training-controller.h"

#define PUBLISH_INTERVAL (50 * G_TIME_SPAN_MILLISECOND)

/* Points kept per curve.  When a curve reaches it, every second point is
 * dropped and only every second step is recorded from then on. */
#define MAX_CURVE_POINTS 4096

/* Weight of the newest minibatch loss in the exponential moving average. */
#define LOSS_SMOOTHING 0.1

/* Worker state shared with the main thread through the mutex. */
typedef struct {
  GMutex   mutex;
  GWeakRef controller;
  GMainContext *context;

  /* Protected by mutex */
  guint    epochs;
  GArray  *steps[BASIN_N_RUNS];
  GArray  *losses[BASIN_N_RUNS];
  double   smoothed[BASIN_N_RUNS];
  guint    stride[BASIN_N_RUNS];
  guint    skipped[BASIN_N_RUNS];
  gboolean curves_changed;
  double   fraction;
  char    *text;
  gboolean training;
  BasinTrainProgress train_progress;
  gboolean publish_pending;
  gint64   last_publish;
} TrainJob;

typedef struct {
  TrainJob        *job;
  BasinExperiment *experiment;
} WorkerData;

struct _BasinTrainingController
{
  GObject          parent_instance;

  /* Owned; set while a worker runs */
  GCancellable    *cancellable;
  TrainJob        *job;

  /* Owned */
  BasinLossCurves *curves;
  BasinSession    *session;

  guint            running : 1;
  guint            stopping : 1;
};

G_DEFINE_FINAL_TYPE (BasinTrainingController, basin_training_controller, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (BasinLossCurves, basin_loss_curves,
                     basin_loss_curves_ref, basin_loss_curves_unref)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_STOPPING,
  N_PROPS
};

enum {
  PROGRESS,
  LOSS_CURVES,
  FINISHED,
  FAILED,
  STOPPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
loss_curves_clear (gpointer data)
{
  BasinLossCurves *curves = data;

  for (guint run = 0; run < BASIN_N_RUNS; run++)
    {
      g_clear_pointer (&curves->steps[run], g_free);
      g_clear_pointer (&curves->losses[run], g_free);
    }
}

BasinLossCurves *
basin_loss_curves_ref (BasinLossCurves *curves)
{
  g_return_val_if_fail (curves != NULL, NULL);

  return g_atomic_rc_box_acquire (curves);
}

void
basin_loss_curves_unref (BasinLossCurves *curves)
{
  g_return_if_fail (curves != NULL);

  g_atomic_rc_box_release_full (curves, loss_curves_clear);
}

static TrainJob *
train_job_new (BasinTrainingController *controller,
               guint                    epochs)
{
  TrainJob *job = g_atomic_rc_box_new0 (TrainJob);

  g_mutex_init (&job->mutex);
  g_weak_ref_init (&job->controller, controller);
  job->context = g_main_context_ref_thread_default ();
  job->epochs = epochs;
  job->fraction = -1.0;
  job->text = g_strdup (_("Loading data…"));

  for (guint run = 0; run < BASIN_N_RUNS; run++)
    {
      job->steps[run] = g_array_new (FALSE, FALSE, sizeof (double));
      job->losses[run] = g_array_new (FALSE, FALSE, sizeof (double));
      job->stride[run] = 1;
    }

  return job;
}

static void
train_job_clear (gpointer data)
{
  TrainJob *job = data;

  for (guint run = 0; run < BASIN_N_RUNS; run++)
    {
      g_clear_pointer (&job->steps[run], g_array_unref);
      g_clear_pointer (&job->losses[run], g_array_unref);
    }

  g_clear_pointer (&job->text, g_free);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_weak_ref_clear (&job->controller);
  g_mutex_clear (&job->mutex);
}

static TrainJob *
train_job_ref (TrainJob *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
train_job_unref (TrainJob *job)
{
  g_atomic_rc_box_release_full (job, train_job_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrainJob, train_job_unref)

static void
worker_data_free (WorkerData *data)
{
  g_clear_pointer (&data->job, train_job_unref);
  g_clear_pointer (&data->experiment, basin_experiment_free);
  g_free (data);
}

/* Called with the job's mutex held. */
static BasinLossCurves *
train_job_copy_curves (TrainJob *job)
{
  BasinLossCurves *curves = g_atomic_rc_box_new0 (BasinLossCurves);

  curves->epochs = job->epochs;

  for (guint run = 0; run < BASIN_N_RUNS; run++)
    {
      guint n_points = job->steps[run]->len;

      curves->n_points[run] = n_points;
      curves->steps[run] = g_memdup2 (job->steps[run]->data, n_points * sizeof (double));
      curves->losses[run] = g_memdup2 (job->losses[run]->data, n_points * sizeof (double));
    }

  return curves;
}

static void
basin_training_controller_set_curves (BasinTrainingController *self,
                                      BasinLossCurves         *curves)
{
  g_clear_pointer (&self->curves, basin_loss_curves_unref);
  self->curves = curves;

  g_signal_emit (self, signals[LOSS_CURVES], 0, curves);
}

static char *
format_loss (double loss)
{
  if (!isfinite (loss))
    return g_strdup ("–");

  return g_strdup_printf ("%.3f", loss);
}

static char *
format_train_progress (const BasinTrainProgress *progress)
{
  g_autofree char *loss_a = format_loss (progress->loss[0]);
  g_autofree char *loss_b = format_loss (progress->loss[1]);

  /* The runs take alternating steps, so both are in the same epoch. */
  return g_strdup_printf (_("Epoch %u/%u · minibatch loss of run A %s, run B %s"),
                          MIN (progress->epoch + 1, progress->epochs),
                          progress->epochs,
                          loss_a, loss_b);
}

/* Runs on the main context.  Emits only for the job that is current, so
 * callbacks of a stopped job that arrive late change nothing. */
static gboolean
publish_cb (gpointer user_data)
{
  TrainJob *job = user_data;
  g_autoptr(BasinTrainingController) self = g_weak_ref_get (&job->controller);
  BasinLossCurves *curves = NULL;
  g_autofree char *text = NULL;
  double fraction;

  g_mutex_lock (&job->mutex);
  job->publish_pending = FALSE;
  job->last_publish = g_get_monotonic_time ();
  fraction = job->fraction;
  if (job->training)
    text = format_train_progress (&job->train_progress);
  else
    text = g_strdup (job->text);
  if (job->curves_changed)
    curves = train_job_copy_curves (job);
  job->curves_changed = FALSE;
  g_mutex_unlock (&job->mutex);

  if (self == NULL || self->job != job || self->stopping)
    {
      g_clear_pointer (&curves, basin_loss_curves_unref);
      return G_SOURCE_REMOVE;
    }

  if (curves != NULL)
    basin_training_controller_set_curves (self, curves);

  g_signal_emit (self, signals[PROGRESS], 0, fraction, text);

  return G_SOURCE_REMOVE;
}

/* Called with the job's mutex held, from the worker thread. */
static void
train_job_maybe_publish (TrainJob *job,
                         gboolean  force)
{
  GSource *source;
  gint64 now;

  if (job->publish_pending)
    return;

  now = g_get_monotonic_time ();
  if (!force && now - job->last_publish < PUBLISH_INTERVAL)
    return;

  /* An idle source, unlike g_main_context_invoke(), never runs the
   * callback in the calling thread, even when the main context is free. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, publish_cb, train_job_ref (job),
                         (GDestroyNotify)train_job_unref);
  g_source_set_static_name (source, "[basin] publish training progress");
  g_source_attach (source, job->context);
  g_source_unref (source);

  job->publish_pending = TRUE;
}

/* Called with the job's mutex held. */
static void
train_job_compact_curve (TrainJob *job,
                         guint     run)
{
  double *steps = (double *)(gpointer)job->steps[run]->data;
  double *losses = (double *)(gpointer)job->losses[run]->data;
  guint kept = 0;

  for (guint i = 0; i < job->steps[run]->len; i += 2)
    {
      steps[kept] = steps[i];
      losses[kept] = losses[i];
      kept++;
    }

  g_array_set_size (job->steps[run], kept);
  g_array_set_size (job->losses[run], kept);
  job->stride[run] *= 2;
}

/* Called with the job's mutex held. */
static void
train_job_add_loss (TrainJob                 *job,
                    const BasinTrainProgress *progress)
{
  guint run = progress->run;
  guint steps_done;
  double loss;
  double x;

  if (run >= BASIN_N_RUNS || progress->steps_per_epoch == 0)
    return;

  loss = progress->loss[run];
  if (!isfinite (loss))
    return;

  if (job->steps[run]->len == 0 && job->skipped[run] == 0)
    job->smoothed[run] = loss;
  else
    job->smoothed[run] += LOSS_SMOOTHING * (loss - job->smoothed[run]);

  job->skipped[run]++;
  if (job->skipped[run] < job->stride[run] && !progress->epoch_finished)
    return;
  job->skipped[run] = 0;

  /* After the last step of an epoch, @step has wrapped around to 0 while
   * @epoch still names the finished epoch. */
  steps_done = progress->epoch_finished ? progress->steps_per_epoch : progress->step;
  x = progress->epoch + steps_done / (double)progress->steps_per_epoch;
  g_array_append_val (job->steps[run], x);
  g_array_append_val (job->losses[run], job->smoothed[run]);
  job->curves_changed = TRUE;

  if (job->steps[run]->len >= MAX_CURVE_POINTS)
    train_job_compact_curve (job, run);
}

/* Runs after every step, so it only copies numbers; publish_cb() formats
 * the text. */
static void
train_progress_cb (const BasinTrainProgress *progress,
                   gpointer                  user_data)
{
  TrainJob *job = user_data;

  g_mutex_lock (&job->mutex);

  train_job_add_loss (job, progress);

  job->fraction = progress->fraction;
  job->training = TRUE;
  job->train_progress = *progress;

  train_job_maybe_publish (job, FALSE);

  g_mutex_unlock (&job->mutex);
}

static void
analyse_progress_cb (double      fraction,
                     const char *stage,
                     gpointer    user_data)
{
  TrainJob *job = user_data;

  g_mutex_lock (&job->mutex);

  job->fraction = fraction;
  job->training = FALSE;
  g_free (job->text);
  job->text = g_strdup_printf (_("Analysing: %s"), stage);
  train_job_maybe_publish (job, FALSE);

  g_mutex_unlock (&job->mutex);
}

static void
train_job_set_stage (TrainJob   *job,
                     double      fraction,
                     const char *text)
{
  g_mutex_lock (&job->mutex);

  job->fraction = fraction;
  job->training = FALSE;
  g_free (job->text);
  job->text = g_strdup (text);
  train_job_maybe_publish (job, TRUE);

  g_mutex_unlock (&job->mutex);
}

static void
train_thread_cb (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  WorkerData *data = task_data;
  BasinSession *session;
  GError *error = NULL;
  gint64 begin = g_get_monotonic_time ();

  session = basin_session_new (data->experiment, cancellable, &error);
  if (session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Loaded the data of “%s” in %.0f ms", data->experiment->name,
           (g_get_monotonic_time () - begin) / 1000.0);
  train_job_set_stage (data->job, 0.0, _("Training run A and run B…"));

  if (!basin_session_train (session, train_progress_cb, data->job, cancellable, &error))
    goto failed;

  g_debug ("Trained both runs after %.0f ms", (g_get_monotonic_time () - begin) / 1000.0);
  train_job_set_stage (data->job, 0.0, _("Matching neurons and evaluating merge paths…"));

  if (!basin_session_analyse (session, analyse_progress_cb, data->job, cancellable, &error))
    goto failed;

  g_debug ("Analysed both runs after %.0f ms", (g_get_monotonic_time () - begin) / 1000.0);
  g_task_return_pointer (task, session, (GDestroyNotify)basin_session_free);
  return;

failed:
  basin_session_free (session);
  g_task_return_error (task, error);
}

static void
train_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BasinTrainingController *self = BASIN_TRAINING_CONTROLLER (object);
  g_autoptr(TrainJob) job = g_steal_pointer (&self->job);
  g_autoptr(GError) error = NULL;
  BasinLossCurves *curves;
  BasinSession *session;

  session = g_task_propagate_pointer (G_TASK (result), &error);

  /* The worker has returned, so the record is complete: publish it all. */
  g_mutex_lock (&job->mutex);
  curves = train_job_copy_curves (job);
  g_mutex_unlock (&job->mutex);
  basin_training_controller_set_curves (self, curves);

  g_clear_object (&self->cancellable);
  self->running = FALSE;
  self->stopping = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPING]);

  if (session != NULL)
    {
      g_debug ("Training finished");
      g_clear_pointer (&self->session, basin_session_free);
      self->session = session;
      g_signal_emit (self, signals[FINISHED], 0, session);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Training stopped");
      g_signal_emit (self, signals[STOPPED], 0);
    }
  else
    {
      g_message ("Training failed: %s", error->message);
      g_signal_emit (self, signals[FAILED], 0, error);
    }
}

static void
basin_training_controller_dispose (GObject *object)
{
  BasinTrainingController *self = (BasinTrainingController *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (basin_training_controller_parent_class)->dispose (object);
}

static void
basin_training_controller_finalize (GObject *object)
{
  BasinTrainingController *self = (BasinTrainingController *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->job, train_job_unref);
  g_clear_pointer (&self->curves, basin_loss_curves_unref);
  g_clear_pointer (&self->session, basin_session_free);

  G_OBJECT_CLASS (basin_training_controller_parent_class)->finalize (object);
}

static void
basin_training_controller_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BasinTrainingController *self = BASIN_TRAINING_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_STOPPING:
      g_value_set_boolean (value, self->stopping);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
basin_training_controller_class_init (BasinTrainingControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = basin_training_controller_dispose;
  object_class->finalize = basin_training_controller_finalize;
  object_class->get_property = basin_training_controller_get_property;

  /**
   * BasinTrainingController:running:
   *
   * Whether a worker is creating, training or analysing a session.  It
   * stays %TRUE after basin_training_controller_stop() until the worker
   * has returned.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * BasinTrainingController:stopping:
   *
   * Whether the worker was asked to stop and has not returned yet.
   */
  properties[PROP_STOPPING] =
    g_param_spec_boolean ("stopping", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BasinTrainingController::progress:
   * @fraction: completed share of the current stage, in [0, 1], or a
   *   negative value while the share is unknown (loading data)
   * @text: translated status, such as
   *   “Epoch 2/5 · minibatch loss of run A 0.413, run B 0.398”
   *
   * Emitted on the main thread at most every 50 ms while a worker runs.
   */
  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_STRING);

  /**
   * BasinTrainingController::loss-curves:
   * @curves: the curves so far; take a reference to keep them
   *
   * Emitted on the main thread when the curves have grown, at most every
   * 50 ms, and once more with the complete curves when the worker returns.
   */
  signals[LOSS_CURVES] =
    g_signal_new ("loss-curves",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BASIN_TYPE_LOSS_CURVES | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * BasinTrainingController::finished:
   * @session: (type gpointer): the trained and analysed #BasinSession
   *
   * Emitted when both runs are trained and analysed.  The controller owns
   * @session until the next start; handlers take it over with
   * basin_training_controller_steal_session().
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * BasinTrainingController::failed:
   * @error: why the session could not be created, trained or analysed
   */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * BasinTrainingController::stopped:
   *
   * Emitted when the worker has returned after
   * basin_training_controller_stop().
   */
  signals[STOPPED] =
    g_signal_new ("stopped",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
basin_training_controller_init (BasinTrainingController *self)
{
}

BasinTrainingController *
basin_training_controller_new (void)
{
  return g_object_new (BASIN_TYPE_TRAINING_CONTROLLER, NULL);
}

/**
 * basin_training_controller_start:
 * @experiment: the settings; the controller copies them
 *
 * Starts a worker that creates the session of @experiment, trains run A
 * and run B and analyses them.  It ends with exactly one of
 * #BasinTrainingController::finished, ::failed or ::stopped.  The session
 * of a previous run is freed unless it was stolen.
 *
 * Returns: %FALSE if a worker is running already
 */
gboolean
basin_training_controller_start (BasinTrainingController *self,
                                 const BasinExperiment   *experiment)
{
  g_autoptr(GTask) task = NULL;
  WorkerData *data;

  g_return_val_if_fail (BASIN_IS_TRAINING_CONTROLLER (self), FALSE);
  g_return_val_if_fail (experiment != NULL, FALSE);

  if (self->running)
    return FALSE;

  g_clear_pointer (&self->session, basin_session_free);
  g_clear_pointer (&self->curves, basin_loss_curves_unref);

  self->cancellable = g_cancellable_new ();
  self->job = train_job_new (self, experiment->train.epochs);
  self->running = TRUE;
  self->stopping = FALSE;

  data = g_new0 (WorkerData, 1);
  data->job = train_job_ref (self->job);
  data->experiment = basin_experiment_copy (experiment);

  g_debug ("Training “%s”", experiment->name);

  task = g_task_new (self, self->cancellable, train_done_cb, NULL);
  g_task_set_source_tag (task, basin_training_controller_start);
  g_task_set_task_data (task, data, (GDestroyNotify)worker_data_free);
  g_task_run_in_thread (task, train_thread_cb);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[PROGRESS], 0, -1.0, _("Loading data…"));

  return TRUE;
}

/**
 * basin_training_controller_stop:
 *
 * Asks the worker to stop after its current step and returns at once.
 * #BasinTrainingController::stopped follows when the worker has returned.
 */
void
basin_training_controller_stop (BasinTrainingController *self)
{
  g_return_if_fail (BASIN_IS_TRAINING_CONTROLLER (self));

  if (!self->running || self->stopping)
    return;

  g_debug ("Stopping the training");

  self->stopping = TRUE;
  g_cancellable_cancel (self->cancellable);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPING]);
  g_signal_emit (self, signals[PROGRESS], 0, -1.0, _("Stopping…"));
}

gboolean
basin_training_controller_get_running (BasinTrainingController *self)
{
  g_return_val_if_fail (BASIN_IS_TRAINING_CONTROLLER (self), FALSE);

  return self->running;
}

gboolean
basin_training_controller_get_stopping (BasinTrainingController *self)
{
  g_return_val_if_fail (BASIN_IS_TRAINING_CONTROLLER (self), FALSE);

  return self->stopping;
}

/**
 * basin_training_controller_get_curves:
 *
 * Returns: (transfer none) (nullable): the latest loss curves, or %NULL
 *   before the first ones of a start
 */
BasinLossCurves *
basin_training_controller_get_curves (BasinTrainingController *self)
{
  g_return_val_if_fail (BASIN_IS_TRAINING_CONTROLLER (self), NULL);

  return self->curves;
}

/**
 * basin_training_controller_steal_session:
 *
 * Takes over the session of the last finished worker.
 *
 * Returns: (transfer full) (nullable): the session, or %NULL if there is
 *   none or it was stolen already
 */
BasinSession *
basin_training_controller_steal_session (BasinTrainingController *self)
{
  g_return_val_if_fail (BASIN_IS_TRAINING_CONTROLLER (self), NULL);

  return g_steal_pointer (&self->session);
}
