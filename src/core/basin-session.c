/* basin-session.c: loading data, training two runs side by side, matching
 * and merging them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "basin-error.h"
#include "basin-session.h"
#include "basin-landscape.h"
#include "basin-weight-matching.h"

static const char *run_names[BASIN_N_RUNS] = { "A", "B" };

/* Returns "A" or "B". */
const char *
basin_run_name (guint run)
{
  g_return_val_if_fail (run < BASIN_N_RUNS, NULL);
  return run_names[run];
}

static BasinDataset *
generate_data (const BasinExperiment *e)
{
  switch (e->data_kind)
    {
    case BASIN_DATA_CIRCLES:
      return basin_dataset_new_circles (e->n_samples, e->noise, e->data_seed, e->inner_radius);
    case BASIN_DATA_SPIRALS:
      return basin_dataset_new_spirals (e->n_samples, e->noise, e->data_seed, e->turns);
    case BASIN_DATA_XOR:
      return basin_dataset_new_xor (e->n_samples, e->noise, e->data_seed);
    case BASIN_DATA_BLOBS:
      return basin_dataset_new_blobs (e->n_samples, e->noise, e->data_seed, e->n_classes);
    case BASIN_DATA_GAUSSIAN:
      return basin_dataset_new_gaussian_subspace (e->n_samples, e->n_classes, e->subspace_dim,
                                                  e->input_dim, e->separation,
                                                  e->structure_seed, e->data_seed);
    case BASIN_DATA_MOONS:
    default:
      return basin_dataset_new_moons (e->n_samples, e->noise, e->data_seed);
    }
}

/* Fills CSV options from the experiment.  The options point into
 * @e->label_column, so @e must outlive them. */
static void
csv_options (const BasinExperiment *e,
             BasinCsvOptions       *options)
{
  const char *label = e->label_column;
  char *end = NULL;
  guint64 column = label != NULL ? g_ascii_strtoull (label, &end, 10) : 0;

  if (label != NULL && end != label && *end == '\0')
    options->label_column = (guint) column;
  else
    options->label_name = label;
}

/* Loads a CSV file, with a separate test file or split at random, and
 * standardizes both parts with the training part's statistics. */
static gboolean
load_csv (BasinSession *self,
          GCancellable *cancellable,
          GError      **error)
{
  const BasinExperiment *e = self->experiment;
  BasinCsvOptions options = { 0 };
  g_autoptr (BasinCsvInfo) info = NULL;
  BasinDataset *all;

  csv_options (e, &options);
  options.standardize = e->standardize && e->test_path != NULL;
  all = basin_dataset_load_csv (e->data_path, &options, &info, cancellable, error);
  if (all == NULL)
    return FALSE;

  if (e->test_path != NULL)
    {
      options.reference = info;
      self->train = all;
      self->test = basin_dataset_load_csv (e->test_path, &options, NULL, cancellable, error);
      return self->test != NULL;
    }

  basin_dataset_split (all, e->test_fraction, e->data_seed + 1, &self->train, &self->test);
  basin_dataset_free (all);
  if (e->standardize)
    {
      g_autofree float *mean = g_new (float, self->train->dim);
      g_autofree float *std = g_new (float, self->train->dim);

      basin_dataset_feature_statistics (self->train, mean, std);
      basin_dataset_standardize (self->train, mean, std);
      basin_dataset_standardize (self->test, mean, std);
    }
  return TRUE;
}

static gboolean
load_data (BasinSession *self,
           GCancellable *cancellable,
           GError      **error)
{
  const BasinExperiment *e = self->experiment;
  BasinDataset *all;

  switch (e->data_kind)
    {
    case BASIN_DATA_FASHION_MNIST:
    case BASIN_DATA_IDX:
      return basin_dataset_load_idx_dir (e->data_path != NULL && e->data_path[0] != '\0'
                                         ? e->data_path : BASIN_FASHION_MNIST_DIR,
                                         &self->train, &self->test, cancellable, error);
    case BASIN_DATA_CSV:
      return load_csv (self, cancellable, error);
    default:
      all = generate_data (e);
      basin_dataset_split (all, e->test_fraction, e->data_seed + 1, &self->train, &self->test);
      basin_dataset_free (all);
      return TRUE;
    }
}

/* Keeps the first @limit rows of @dataset, when @limit is set and smaller. */
static BasinDataset *
limit_rows (BasinDataset *dataset,
            guint         limit)
{
  g_autofree guint32 *rows = NULL;
  BasinDataset *subset;

  if (limit == 0 || limit >= dataset->n_samples)
    return dataset;

  rows = g_new (guint32, limit);
  for (guint i = 0; i < limit; i++)
    rows[i] = i;
  subset = basin_dataset_subset (dataset, rows, limit);
  basin_dataset_free (dataset);
  return subset;
}

/**
 * basin_session_new:
 * @experiment: the settings; copied
 * @cancellable: (nullable): a #GCancellable for loading the data
 * @error: return location for a #GError
 *
 * Validates @experiment, loads or generates its data and initializes run A
 * and run B from their seeds.
 *
 * Returns: (transfer full) (nullable): the session
 */
BasinSession *
basin_session_new (const BasinExperiment *experiment,
                   GCancellable          *cancellable,
                   GError               **error)
{
  BasinSession *self;

  if (!basin_experiment_validate (experiment, NULL, error))
    return NULL;

  self = g_new0 (BasinSession, 1);
  self->experiment = basin_experiment_copy (experiment);
  if (!load_data (self, cancellable, error))
    {
      basin_session_free (self);
      return NULL;
    }
  self->train = limit_rows (self->train, experiment->train_limit);
  if (experiment->validation_fraction > 0.0 && self->train->n_samples >= 2)
    {
      BasinDataset *all = self->train;

      basin_dataset_split (all, experiment->validation_fraction, experiment->data_seed + 2,
                           &self->train, &self->validation);
      basin_dataset_free (all);
    }

  self->experiment->model.input_dim = self->train->dim;
  self->experiment->model.output_dim = self->train->n_classes;
  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      self->runs[r] = basin_mlp_new (&self->experiment->model, experiment->seeds[r], error);
      if (self->runs[r] == NULL)
        {
          basin_session_free (self);
          return NULL;
        }
      self->history[r] = basin_history_new ();
    }

  return self;
}

/* Frees one array per layer; @series may be NULL. */
static void
free_series (GArray **series,
             guint    n_layers)
{
  for (guint l = 0; series != NULL && l < n_layers; l++)
    g_array_unref (series[l]);
  g_free (series);
}

/**
 * basin_identifiability_track_free:
 * @track: (nullable): a track
 */
void
basin_identifiability_track_free (BasinIdentifiabilityTrack *track)
{
  if (track == NULL)
    return;

  free_series (track->identity_rate, track->n_layers);
  free_series (track->objective_ratio, track->n_layers);
  free_series (track->mean_correlation, track->n_layers);
  free_series (track->swap_cheap, track->n_layers);
  free_series (track->swap_negative, track->n_layers);
  free_series (track->subspace_dim, track->n_layers);
  free_series (track->coherence, track->n_layers);
  g_array_unref (track->epochs);
  g_free (track);
}

static GArray **
new_series (guint n_layers)
{
  GArray **series = g_new (GArray *, n_layers);

  for (guint l = 0; l < n_layers; l++)
    series[l] = g_array_new (FALSE, FALSE, sizeof (double));
  return series;
}

static BasinIdentifiabilityTrack *
track_new (guint n_layers)
{
  BasinIdentifiabilityTrack *track = g_new0 (BasinIdentifiabilityTrack, 1);

  track->n_layers = n_layers;
  track->epochs = g_array_new (FALSE, FALSE, sizeof (double));
  track->identity_rate = new_series (n_layers);
  track->objective_ratio = new_series (n_layers);
  track->mean_correlation = new_series (n_layers);
  track->swap_cheap = new_series (n_layers);
  track->swap_negative = new_series (n_layers);
  track->subspace_dim = new_series (n_layers);
  track->coherence = new_series (n_layers);
  return track;
}

static void
clear_analysis (BasinSession *self)
{
  g_clear_pointer (&self->matching, basin_matching_free);
  g_clear_pointer (&self->aligned_b, basin_mlp_free);
  g_clear_pointer (&self->identifiability, basin_identifiability_free);
  g_clear_pointer (&self->cka, g_free);
  g_clear_pointer (&self->weight_matching, basin_matching_free);
  g_clear_pointer (&self->weight_aligned_b, basin_mlp_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->paths); i++)
    g_clear_pointer (&self->paths[i], basin_path_free);
}

void
basin_session_free (BasinSession *self)
{
  if (self == NULL)
    return;

  clear_analysis (self);
  basin_identifiability_track_free (self->track);
  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      basin_mlp_free (self->runs[r]);
      basin_history_free (self->history[r]);
    }
  basin_dataset_free (self->train);
  basin_dataset_free (self->test);
  basin_dataset_free (self->validation);
  basin_experiment_free (self->experiment);
  g_free (self);
}

/* Closes an epoch of run @r: stores its training metrics and evaluates it
 * on the test set. */
static gboolean
finish_epoch (BasinSession *self,
              BasinTrainer *trainer,
              guint         r,
              GCancellable *cancellable,
              GError      **error)
{
  BasinHistory *h = self->history[r];
  double train_loss, train_accuracy, test_loss, test_accuracy;
  double validation_loss = NAN, validation_accuracy = NAN;

  train_loss = basin_trainer_epoch_loss (trainer, &train_accuracy);
  if (!basin_mlp_evaluate (self->runs[r], self->test, &test_loss, &test_accuracy,
                           cancellable, error))
    return FALSE;
  if (self->validation != NULL
      && !basin_mlp_evaluate (self->runs[r], self->validation, &validation_loss,
                              &validation_accuracy, cancellable, error))
    return FALSE;

  g_array_append_val (h->train_loss, train_loss);
  g_array_append_val (h->train_accuracy, train_accuracy);
  g_array_append_val (h->test_loss, test_loss);
  g_array_append_val (h->test_accuracy, test_accuracy);
  g_array_append_val (h->validation_loss, validation_loss);
  g_array_append_val (h->validation_accuracy, validation_accuracy);
  g_debug ("run %s epoch %u: train loss %.4f, test accuracy %.4f",
           run_names[r], h->test_loss->len, train_loss, test_accuracy);
  return TRUE;
}

static BasinDataset *
first_rows (const BasinDataset *dataset,
            guint               n)
{
  g_autofree guint32 *rows = NULL;

  n = MIN (n, dataset->n_samples);
  rows = g_new (guint32, n);
  for (guint i = 0; i < n; i++)
    rows[i] = i;
  return basin_dataset_subset (dataset, rows, n);
}

/* Returns the inputs activations are recorded on: `eval_samples` rows of
 * the test or training data, the first ones or a subset drawn with the
 * data seed, so the same experiment always matches on the same inputs. */
static BasinDataset *
evaluation_set (const BasinSession *self)
{
  const BasinExperiment *e = self->experiment;
  const BasinDataset *source = e->eval_on_train ? self->train : self->test;
  g_autofree guint32 *rows = NULL;
  guint n_rows = 0;

  if (!e->eval_random)
    return first_rows (source, e->eval_samples);

  rows = basin_dataset_sample_rows (source, e->eval_samples, e->data_seed + 3, &n_rows);
  return basin_dataset_subset (source, rows, n_rows);
}

typedef struct {
  BasinSession       *session;
  BasinTrainFunc      callback;
  gpointer            user_data;
  GCancellable       *cancellable;
  GMutex              lock;
  BasinTrainProgress  progress;   /* protected by lock */
  guint64             done;       /* protected by lock */
  guint64             total;

  /* Epoch synchronization for the identifiability track, all protected by
   * lock: a run that finishes an epoch first waits until the other run has
   * finished it too and the runs were compared. */
  GCond               synced;
  BasinDataset       *track_eval;  /* NULL when not tracking */
  guint               epochs_done[BASIN_N_RUNS];
  gboolean            stopped[BASIN_N_RUNS];
  guint               tracked;
} TrainShared;

typedef struct {
  TrainShared  *shared;
  BasinTrainer *trainer;
  guint         run;
  GError       *error;
} RunWorker;

/* Records one finished step of @worker and calls the callback, holding the
 * lock so that callbacks from the two runs never overlap. */
static void
report_step (RunWorker *worker,
             guint      epoch,
             double     loss,
             gboolean   epoch_finished)
{
  TrainShared *shared = worker->shared;

  g_mutex_lock (&shared->lock);
  shared->done++;
  shared->progress.run = worker->run;
  shared->progress.epoch = epoch;
  shared->progress.step = basin_trainer_get_step (worker->trainer);
  shared->progress.loss[worker->run] = loss;
  shared->progress.epoch_finished = epoch_finished;
  shared->progress.fraction = (double) shared->done / shared->total;
  if (shared->callback != NULL)
    shared->callback (&shared->progress, shared->user_data);
  g_mutex_unlock (&shared->lock);
}

/* Appends the swap-cost summary of run A's hidden layer @l to the track. */
static void
track_swap_costs (BasinSession       *self,
                  const BasinDataset *eval,
                  guint               l)
{
  BasinIdentifiabilityTrack *track = self->track;
  g_autoptr (GError) error = NULL;
  BasinSwapCostSummary summary;
  BasinSwapCosts *costs;
  double cheap = NAN, negative = NAN, k = NAN, coherence = NAN;

  costs = basin_swap_costs_for_dataset (self->runs[0], l, eval, NULL, eval->n_samples, NULL,
                                        NULL, NULL, NULL, &error);
  if (costs != NULL)
    {
      basin_swap_costs_summarize (costs, 0.1, &summary);
      cheap = summary.cheap_fraction;
      negative = summary.negative_fraction;
      k = costs->k;
      coherence = costs->coherence;
      basin_swap_costs_free (costs);
    }
  else
    {
      g_warning ("Swap costs of layer %u failed: %s", l + 1, error->message);
    }

  g_array_append_val (track->swap_cheap[l], cheap);
  g_array_append_val (track->swap_negative[l], negative);
  g_array_append_val (track->subspace_dim[l], k);
  g_array_append_val (track->coherence[l], coherence);
}

/* Matches the runs as they are after @epoch epochs and appends the result
 * to the session's track.  Both runs are paused at the epoch boundary. */
static void
track_epoch (TrainShared *shared,
             guint        epoch)
{
  BasinSession *self = shared->session;
  BasinIdentifiabilityTrack *track = self->track;
  g_autoptr (GError) error = NULL;
  BasinMatching *m;
  double epochs = epoch;

  m = basin_match_activations (self->runs[0], self->runs[1], shared->track_eval, NULL, NULL,
                               NULL, &error);
  if (m == NULL)
    {
      g_warning ("Matching after epoch %u failed: %s", epoch, error->message);
      return;
    }

  g_array_append_val (track->epochs, epochs);
  for (guint l = 0; l < m->n_layers; l++)
    {
      double ratio = m->objective[l] > 0.0 ? m->identity_objective[l] / m->objective[l] : NAN;

      g_array_append_val (track->identity_rate[l], m->identity_rate[l]);
      g_array_append_val (track->objective_ratio[l], ratio);
      g_array_append_val (track->mean_correlation[l], m->mean_correlation[l]);
      track_swap_costs (self, shared->track_eval, l);
    }
  basin_matching_free (m);
}

/* Waits at the end of epoch @epoch until the other run got there too;
 * whichever run arrives second compares the runs for the track. */
static void
sync_epoch (RunWorker *worker,
            guint      epoch)
{
  TrainShared *shared = worker->shared;
  guint other = 1 - worker->run;

  if (shared->track_eval == NULL)
    return;

  g_mutex_lock (&shared->lock);
  shared->epochs_done[worker->run] = epoch;
  if (shared->stopped[other] || shared->epochs_done[other] >= epoch)
    {
      if (!shared->stopped[other] && shared->tracked < epoch)
        {
          g_mutex_unlock (&shared->lock);
          track_epoch (shared, epoch);
          g_mutex_lock (&shared->lock);
          shared->tracked = epoch;
        }
      g_cond_broadcast (&shared->synced);
    }
  else
    {
      while (!shared->stopped[other] && shared->tracked < epoch)
        g_cond_wait (&shared->synced, &shared->lock);
    }
  g_mutex_unlock (&shared->lock);
}

static void
mark_stopped (RunWorker *worker)
{
  TrainShared *shared = worker->shared;

  g_mutex_lock (&shared->lock);
  shared->stopped[worker->run] = TRUE;
  g_cond_broadcast (&shared->synced);
  g_mutex_unlock (&shared->lock);
}

/* Trains one run to the end, or until it diverges or is cancelled; the
 * reason for stopping early is left in worker->error. */
static gpointer
train_run (gpointer data)
{
  RunWorker *worker = data;
  TrainShared *shared = worker->shared;
  BasinSession *self = shared->session;

  while (!basin_trainer_finished (worker->trainer))
    {
      g_autoptr (GError) step_error = NULL;
      guint epoch = basin_trainer_get_epoch (worker->trainer);
      gboolean epoch_finished;
      double loss;

      if (g_cancellable_set_error_if_cancelled (shared->cancellable, &worker->error))
        break;

      if (!basin_trainer_step (worker->trainer, &loss, &step_error))
        {
          g_set_error (&worker->error, BASIN_ERROR, BASIN_ERROR_DIVERGED,
                       _("Run %s stopped: %s"), run_names[worker->run], step_error->message);
          break;
        }

      epoch_finished = basin_trainer_get_epoch (worker->trainer) != epoch;
      if (epoch_finished
          && !finish_epoch (self, worker->trainer, worker->run, shared->cancellable,
                            &worker->error))
        break;
      if (epoch_finished)
        sync_epoch (worker, epoch + 1);
      report_step (worker, epoch, loss, epoch_finished);
    }

  mark_stopped (worker);
  return NULL;
}

/* Uses one OpenBLAS thread per run while both runs train at once, so the
 * runs do not compete for the cores; returns the previous setting. */
static int
limit_blas_threads (int threads)
{
#ifdef OPENBLAS_VERSION
  int previous = openblas_get_num_threads ();

  openblas_set_num_threads (threads);
  return previous;
#else
  return threads;
#endif
}

/**
 * basin_session_train:
 * @session: the session
 * @callback: (nullable): called after every step, from the training
 *   threads, one call at a time
 * @user_data: data for @callback
 * @cancellable: (nullable): checked before every step
 * @error: return location for a #GError
 *
 * Trains run A and run B at the same time, on the calling thread and one
 * more thread, each with one OpenBLAS thread.  The runs share nothing, so
 * their weights are the same as if each were trained alone.  A run whose
 * loss becomes NaN or infinite stops, the other one goes on, and the call
 * then fails with %BASIN_ERROR_DIVERGED naming the run, the epoch and the
 * step.
 *
 * Returns: %TRUE when both runs finished all epochs
 */
gboolean
basin_session_train (BasinSession   *self,
                     BasinTrainFunc  callback,
                     gpointer        user_data,
                     GCancellable   *cancellable,
                     GError        **error)
{
  TrainShared shared = { self, callback, user_data, cancellable };
  RunWorker workers[BASIN_N_RUNS];
  GThread *thread;
  gboolean ok = TRUE;
  int blas_threads;

  clear_analysis (self);
  g_clear_pointer (&self->track, basin_identifiability_track_free);
  if (self->experiment->track_identifiability)
    {
      self->track = track_new (self->runs[0]->n_layers - 1);
      shared.track_eval = evaluation_set (self);
    }
  g_mutex_init (&shared.lock);
  g_cond_init (&shared.synced);
  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      workers[r].shared = &shared;
      workers[r].run = r;
      workers[r].error = NULL;
      workers[r].trainer = basin_trainer_new (self->runs[r], self->train,
                                              &self->experiment->train,
                                              self->experiment->seeds[r]
                                              ^ G_GUINT64_CONSTANT (0x5bd1e995));
    }

  shared.progress.steps_per_epoch = basin_trainer_steps_per_epoch (workers[0].trainer);
  shared.progress.epochs = self->experiment->train.epochs;
  shared.progress.loss[0] = shared.progress.loss[1] = NAN;
  shared.total = (guint64) BASIN_N_RUNS * shared.progress.steps_per_epoch
               * shared.progress.epochs;

  blas_threads = limit_blas_threads (1);
  thread = g_thread_new ("basin-train-b", train_run, &workers[1]);
  train_run (&workers[0]);
  g_thread_join (thread);
  limit_blas_threads (blas_threads);

  /* A cancellation wins over a divergence.  Otherwise the first run's error
   * is reported. */
  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      GError *e = workers[r].error;

      if (ok && e != NULL && (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                              || (workers[1 - r].error == NULL
                                  || !g_error_matches (workers[1 - r].error, G_IO_ERROR,
                                                       G_IO_ERROR_CANCELLED))))
        {
          g_propagate_error (error, e);
          workers[r].error = NULL;
          ok = FALSE;
        }
      g_clear_error (&workers[r].error);
      basin_trainer_free (workers[r].trainer);
    }

  g_mutex_clear (&shared.lock);
  g_cond_clear (&shared.synced);
  basin_dataset_free (shared.track_eval);
  self->trained = ok;
  return ok;
}

typedef struct {
  BasinProgressFunc func;
  gpointer          user_data;
  double            start;
  double            span;
} StageProgress;

static void
stage_progress_cb (double      fraction,
                   const char *stage,
                   gpointer    user_data)
{
  StageProgress *p = user_data;

  if (p->func != NULL)
    p->func (p->start + p->span * fraction, stage, p->user_data);
}

/* Computes the identifiability statistics of the activation matching and
 * the linear CKA of each hidden layer on @eval. */
static gboolean
analyse_identifiability (BasinSession       *self,
                         const BasinDataset *eval,
                         GCancellable       *cancellable,
                         GError            **error)
{
  const BasinExperiment *e = self->experiment;
  BasinActivations *acts[BASIN_N_RUNS] = { NULL, NULL };
  gboolean ok;

  self->identifiability = basin_identifiability_new (self->matching, e->random_permutations,
                                                     e->data_seed, cancellable, NULL, NULL,
                                                     error);
  if (self->identifiability == NULL)
    return FALSE;

  for (guint r = 0; r < BASIN_N_RUNS; r++)
    acts[r] = basin_record_activations (self->runs[r], eval, NULL, eval->n_samples, FALSE,
                                        cancellable, NULL, NULL, r == 0 ? error : NULL);
  self->cka = g_new0 (double, self->matching->n_layers);
  ok = acts[0] != NULL && acts[1] != NULL
       && basin_activations_cka (acts[0], acts[1], self->cka, cancellable, NULL, NULL, error);
  basin_activations_free (acts[0]);
  basin_activations_free (acts[1]);
  return ok;
}

static gboolean
analyse_weight_matching (BasinSession *self,
                         StageProgress *stage,
                         GCancellable  *cancellable,
                         GError       **error)
{
  BasinWeightMatchingOptions options;

  basin_weight_matching_options_init_default (&options);
  options.seed = self->experiment->data_seed;
  self->weight_matching = basin_match_weights (self->runs[0], self->runs[1], &options,
                                               &self->weight_objective, cancellable,
                                               stage_progress_cb, stage, error);
  if (self->weight_matching == NULL)
    return FALSE;
  self->weight_aligned_b = basin_mlp_align (self->runs[1], self->weight_matching);
  return TRUE;
}

/* Evaluates one merge path over the experiment's λ range with
 * basin_path_evaluate_full(), which keeps λ = 0 and 1 on the grid so the
 * barriers stay defined, and evaluates the points on all processors.  On
 * two cores that made the analysis of the fashion-mnist preset three
 * times as fast as basin_path_evaluate(), with the same barriers. */
static BasinPath *
evaluate_path (BasinSession       *self,
               const BasinMlp     *a,
               const BasinMlp     *b,
               const char         *alignment,
               const BasinDataset *train,
               StageProgress      *stage,
               GCancellable       *cancellable,
               GError            **error)
{
  const BasinExperiment *e = self->experiment;
  g_autoptr (BasinPathResult) result = NULL;
  BasinPathOptions options;

  basin_path_options_init_default (&options);
  options.lambda_min = e->lambda_min;
  options.lambda_max = e->lambda_max;
  options.n_points = e->path_points;
  options.train_samples = 0;
  options.test_samples = 0;
  result = basin_path_evaluate_full (a, b, alignment, train, self->test, &options, cancellable,
                                     stage_progress_cb, stage, error);
  return result != NULL ? g_steal_pointer (&result->path) : NULL;
}

/**
 * basin_session_analyse:
 * @session: a trained session
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Matches run B to run A by activations on `eval_samples` test or training
 * inputs, with identifiability statistics and linear CKA, and also by
 * weights if enabled.  Builds the aligned copies of B and evaluates the
 * unaligned and aligned merge paths on the first `path_train_samples`
 * training inputs and the whole test set.  All paths interpolate effective
 * weights `F + D ⊙ W`.  For the unaligned path that equals interpolating
 * `W` with `F` and `D` shared.
 *
 * Returns: %TRUE on success
 */
gboolean
basin_session_analyse (BasinSession      *self,
                       BasinProgressFunc  progress,
                       gpointer           user_data,
                       GCancellable      *cancellable,
                       GError           **error)
{
  const BasinExperiment *e = self->experiment;
  StageProgress stage = { progress, user_data, 0.0, 0.1 };
  BasinDataset *eval = evaluation_set (self);
  BasinDataset *train = first_rows (self->train, e->path_train_samples);
  BasinMlp *a = basin_mlp_to_effective (self->runs[0]);
  BasinMlp *b = basin_mlp_to_effective (self->runs[1]);
  const BasinMlp *ends[BASIN_N_PATHS] = { b, NULL, NULL };
  const char *names[BASIN_N_PATHS] = { "none", "activation", "weight" };
  gboolean ok = FALSE;

  clear_analysis (self);
  self->matching = basin_match_activations (self->runs[0], self->runs[1], eval, cancellable,
                                            stage_progress_cb, &stage, error);
  if (self->matching == NULL || !analyse_identifiability (self, eval, cancellable, error))
    goto out;
  self->aligned_b = basin_mlp_align (self->runs[1], self->matching);
  ends[1] = self->aligned_b;

  stage.start = 0.1;
  if (e->weight_matching)
    {
      if (!analyse_weight_matching (self, &stage, cancellable, error))
        goto out;
      ends[2] = self->weight_aligned_b;
    }

  for (guint p = 0; p < BASIN_N_PATHS; p++)
    {
      if (ends[p] == NULL)
        continue;
      stage.start = 0.2 + 0.8 * p / BASIN_N_PATHS;
      stage.span = 0.8 / BASIN_N_PATHS;
      self->paths[p] = evaluate_path (self, a, ends[p], names[p], train, &stage, cancellable,
                                      error);
      if (self->paths[p] == NULL)
        goto out;
    }
  ok = TRUE;

out:
  if (!ok)
    clear_analysis (self);
  basin_dataset_free (eval);
  basin_dataset_free (train);
  basin_mlp_free (a);
  basin_mlp_free (b);
  return ok;
}
