/* basin-landscape-eval.c: evaluating many points of a span of networks.
 *
 * A point is a linear combination `θ = Σ_k c_k θ_k` of up to three anchor
 * networks in effective-weight form: the two runs of a merge path, the three
 * models of a plane, or a model and two directions.  The first layer's
 * linear output is linear in the parameters, so at every point it is
 * `z = Σ_k c_k z_k` with `z_k = X W_kᵀ + b_k`.  The evaluator computes the
 * `z_k` once per block of samples and reuses them for every point, which
 * saves the largest product of a 784-input network.  Worker threads take
 * points one at a time and run the remaining layers for them over the whole
 * block in small batches, in buffers allocated once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-landscape-private.h"
#include "basin-rng.h"

/* Rows per forward pass of a worker: the activations of a 512-wide layer
 * stay in the second-level cache, and a cancel is seen within one pass. */
#define SUB_BATCH 256
/* Rows whose features are converted at once while filling a block. */
#define GATHER_ROWS 512
/* Upper bound of the cached first-layer outputs of one block (all anchors
 * together): 64 MiB keeps the 10,000 Fashion-MNIST test images of three
 * 512-wide anchors in one block. */
#define BLOCK_BYTES ((gsize) 64 << 20)
/* Interval between two calls of the report function, in microseconds. */
#define REPORT_INTERVAL_US (50 * 1000)

typedef struct {
  BasinPointEvaluator *owner;
  float               *params;
  float              **gates;       /* per layer, σ-MLP gates of the point */
  float               *buffers[3];
  gboolean             report;
} Worker;

struct _BasinPointEvaluator
{
  BasinMlp *const    *anchors;
  guint               n_anchors;
  const BasinMlp     *shape;
  const BasinDataset *dataset;
  const guint32      *rows;
  guint               n_rows;
  guint               n_workers;
  guint               max_width;
  BasinRowFunc        finish_rows;

  /* The cached block: rows [block_first, block_first + block_rows) of @rows. */
  guint               block_capacity;
  guint               block_first;
  guint               block_rows;
  gboolean            block_valid;
  float              *z[BASIN_EVAL_MAX_ANCHORS];
  guint32            *labels;
  float              *x;

  Worker             *workers;

  /* State of one run, read by the workers. */
  const double       *coefficients;
  guint               n_points;
  double             *loss_sum;
  guint64            *correct;
  gboolean           *finished;
  gint                next_point;
  GCancellable       *cancellable;

  /* Progress of one run. */
  GMutex              lock;
  guint64             done;         /* protected by lock */
  guint64             total;
  BasinEvalReportFunc report;
  gpointer            report_data;
  gint64              last_report;
};

static gint
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  guint32 ra = *(const guint32 *) a, rb = *(const guint32 *) b;

  return ra < rb ? -1 : ra > rb;
}

/**
 * basin_sample_rows:
 * @n_available: rows of the dataset
 * @n_wanted: rows to draw; 0 or at least @n_available means all
 * @seed: seed of the draw
 * @n_rows_out: (out): rows returned
 *
 * Draws rows without replacement by a partial Fisher–Yates shuffle and
 * sorts them, so batches read the data in order.
 *
 * Returns: (transfer full): increasing row indices
 */
guint32 *
basin_sample_rows (guint    n_available,
                   guint    n_wanted,
                   guint64  seed,
                   guint   *n_rows_out)
{
  guint32 *rows = g_new (guint32, MAX (n_available, 1));
  guint n = n_wanted == 0 ? n_available : MIN (n_wanted, n_available);
  BasinRng rng;

  for (guint i = 0; i < n_available; i++)
    rows[i] = i;

  if (n < n_available)
    {
      basin_rng_init (&rng, seed);
      for (guint k = 0; k < n; k++)
        {
          guint32 pick = k + basin_rng_below (&rng, n_available - k);
          guint32 row = rows[pick];

          rows[pick] = rows[k];
          rows[k] = row;
        }
      g_qsort_with_data (rows, n, sizeof (guint32), compare_rows, NULL);
    }

  *n_rows_out = n;
  return rows;
}

/**
 * basin_check_anchors:
 * @anchors: (array length=n_anchors): networks
 * @n_anchors: 1 to %BASIN_EVAL_MAX_ANCHORS
 * @error: return location for a #GError
 *
 * Checks that the anchors share one structure and carry no fixed parts,
 * which the evaluator needs to mix their first-layer outputs.
 *
 * Returns: %TRUE if the anchors can be evaluated together
 */
gboolean
basin_check_anchors (BasinMlp *const *anchors,
                     guint            n_anchors,
                     GError         **error)
{
  for (guint k = 0; k < n_anchors; k++)
    {
      if (!basin_mlp_same_structure (anchors[0], anchors[k]))
        {
          g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                       _("The networks differ in their layers or parameters; "
                         "only runs of one architecture can share a path or a plane."));
          return FALSE;
        }
      for (guint l = 0; l < anchors[k]->n_layers; l++)
        if (anchors[k]->layers[l].fixed != NULL || anchors[k]->layers[l].mask != NULL)
          {
            g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                         _("Layer %u still has fixed parts; convert the network "
                           "with basin_mlp_to_effective() first."), l + 1);
            return FALSE;
          }
    }
  return TRUE;
}

/* Computes `out = in W_lᵀ + b_l` for the parameters @params of a point. */
static void
linear (const BasinMlp *shape,
        const float    *params,
        guint           l,
        const float    *in,
        float          *out,
        guint           n_rows)
{
  const BasinLayer *layer = &shape->layers[l];
  gsize width = layer->out_dim;

  for (guint r = 0; r < n_rows; r++)
    memcpy (out + r * width, params + layer->bias_offset, width * sizeof (float));
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               n_rows, layer->out_dim, layer->in_dim,
               1.0f, in, layer->in_dim, params + layer->weight_offset, layer->in_dim,
               1.0f, out, layer->out_dim);
}

/* Returns Σ_k c_k values_k[i] over the anchors, summed in double. */
static inline float
combine (const double      *c,
         const float *const *values,
         guint              n_anchors,
         gsize              i)
{
  double sum = c[0] * values[0][i];

  for (guint k = 1; k < n_anchors; k++)
    sum += c[k] * values[k][i];
  return (float) sum;
}

/* Sets the parameters and σ-MLP gates of the point with coefficients @c.
 * The first layer's weights and biases are skipped: its output comes from
 * the cached products.  Gates are combined like weights, as
 * basin_mlp_interpolate() does for aligned runs whose gates differ. */
static void
build_point (const BasinPointEvaluator *self,
             const double              *c,
             Worker                    *worker)
{
  const BasinMlp *shape = self->shape;
  const BasinLayer *first = &shape->layers[0];
  gsize skip_end = first->bias_offset + first->out_dim;
  const float *values[BASIN_EVAL_MAX_ANCHORS];

  g_assert (first->weight_offset == 0 && first->bias_offset == first->weight_offset
            + (gsize) first->out_dim * first->in_dim);

  for (guint k = 0; k < self->n_anchors; k++)
    values[k] = self->anchors[k]->params;
  for (gsize i = skip_end; i < shape->n_params; i++)
    worker->params[i] = combine (c, values, self->n_anchors, i);

  for (guint l = 0; l < shape->n_layers; l++)
    {
      gsize size = (gsize) shape->layers[l].out_dim * shape->layers[l].out_dim;

      if (shape->layers[l].gate == NULL)
        continue;
      for (guint k = 0; k < self->n_anchors; k++)
        values[k] = self->anchors[k]->layers[l].gate;
      for (gsize i = 0; i < size; i++)
        worker->gates[l][i] = combine (c, values, self->n_anchors, i);
    }
}

/* Applies the σ-MLP activation `h = y ⊙ sigmoid(y Cᵀ)` of @layer in place
 * on @rows, with the point's gate @gate. */
static void
apply_gate (const BasinLayer *layer,
            const float      *gate,
            float            *rows,
            float            *scratch,
            guint             n_rows)
{
  gsize n = (gsize) n_rows * layer->out_dim;

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               n_rows, layer->out_dim, layer->out_dim,
               1.0f, rows, layer->out_dim, gate, layer->out_dim,
               0.0f, scratch, layer->out_dim);
  for (gsize i = 0; i < n; i++)
    rows[i] *= 1.0f / (1.0f + expf (-scratch[i]));
}

/* Runs the point whose parameters are in @worker from the cached first
 * layer to the logits, for rows [first, first + n_rows) of the block. */
static const float *
forward_rows (Worker       *worker,
              const double *c,
              guint         first,
              guint         n_rows)
{
  const BasinPointEvaluator *self = worker->owner;
  const BasinMlp *shape = self->shape;
  float *in = worker->buffers[0], *out = worker->buffers[1];
  BasinRowOp op = { 0 };

  for (guint l = 0; l < shape->n_layers; l++)
    {
      const BasinLayer *layer = &shape->layers[l];
      float *swap;

      if (l == 0)
        {
          /* The first layer's output is the mix of the cached products. */
          op.n_mix = self->n_anchors;
          for (guint k = 0; k < self->n_anchors; k++)
            {
              op.mix[k] = self->z[k] + (gsize) first * layer->out_dim;
              op.weights[k] = (float) c[k];
            }
        }
      else
        {
          op.n_mix = 0;
          linear (shape, worker->params, l, in, out, n_rows);
          swap = in;
          in = out;
          out = swap;
        }

      if (l + 1 == shape->n_layers)
        break;

      op.width = layer->out_dim;
      op.activation = layer->gate != NULL ? BASIN_ACTIVATION_IDENTITY : shape->config.activation;
      op.normalized = layer->normalized;
      op.gain = layer->gain_offset != G_MAXSIZE ? worker->params + layer->gain_offset : NULL;
      op.shift = layer->shift_offset != G_MAXSIZE ? worker->params + layer->shift_offset : NULL;
      self->finish_rows (&op, in, n_rows);
      if (layer->gate != NULL)
        apply_gate (layer, worker->gates[l], in, worker->buffers[2], n_rows);
    }
  return in;
}

/* Calls the report function at most every REPORT_INTERVAL_US, and always
 * when the run is complete.  Only the worker on the calling thread calls
 * this. */
static void
report_progress (BasinPointEvaluator *self)
{
  gint64 now = g_get_monotonic_time ();
  guint64 done;

  if (self->report == NULL)
    return;

  g_mutex_lock (&self->lock);
  done = self->done;
  g_mutex_unlock (&self->lock);

  if (done < self->total && now - self->last_report < REPORT_INTERVAL_US)
    return;
  self->last_report = now;
  self->report (done, self->total, self->report_data);
}

/* Evaluates point @k on the cached block and adds its loss and correct
 * count to the sums.  Returns %FALSE, with the sums of @k unchanged, as
 * soon as the run is cancelled. */
static gboolean
evaluate_point (Worker *worker,
                guint   k)
{
  BasinPointEvaluator *self = worker->owner;
  const double *c = self->coefficients + (gsize) k * self->n_anchors;
  guint n_classes = self->shape->config.output_dim;
  double loss = 0.0;
  guint64 correct = 0;

  build_point (self, c, worker);

  for (guint first = 0; first < self->block_rows; first += SUB_BATCH)
    {
      guint n = MIN (SUB_BATCH, self->block_rows - first);
      const float *logits;
      guint right = 0;

      if (g_cancellable_is_cancelled (self->cancellable))
        return FALSE;

      logits = forward_rows (worker, c, first, n);
      loss += basin_mlp_cross_entropy (logits, self->labels + first, n, n_classes, &right) * n;
      correct += right;
    }

  /* Within a block each point belongs to one worker, and blocks run one
   * after the other, so these sums need no lock. */
  self->loss_sum[k] += loss;
  self->correct[k] += correct;
  if (self->block_first + self->block_rows == self->n_rows)
    self->finished[k] = TRUE;
  return TRUE;
}

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;
  BasinPointEvaluator *self = worker->owner;

  for (;;)
    {
      gint k = g_atomic_int_add (&self->next_point, 1);

      if (k >= (gint) self->n_points || !evaluate_point (worker, k))
        break;

      g_mutex_lock (&self->lock);
      self->done += self->block_rows;
      g_mutex_unlock (&self->lock);
      if (worker->report)
        report_progress (self);
    }
  return NULL;
}

static int
set_blas_threads (int threads)
{
#ifdef OPENBLAS_VERSION
  int previous = openblas_get_num_threads ();

  openblas_set_num_threads (threads);
  return previous;
#else
  return threads;
#endif
}

/* Runs the workers over the cached block, with the calling thread as
 * worker 0.  With more than one worker, every worker uses one OpenBLAS
 * thread, so the products of different points run side by side instead of
 * competing for the cores.  The previous thread count is restored after. */
static void
run_workers (BasinPointEvaluator *self)
{
  guint n_workers = MIN (self->n_workers, MAX (self->n_points, 1));
  g_autofree GThread **threads = g_new0 (GThread *, n_workers);
  int blas_threads = 0;

  g_atomic_int_set (&self->next_point, 0);
  /* NOTE: the OpenBLAS thread count is process-wide, so other threads that
   * call BLAS meanwhile also run with one thread. */
  if (n_workers > 1)
    blas_threads = set_blas_threads (1);

  for (guint w = 1; w < n_workers; w++)
    threads[w] = g_thread_new ("basin-landscape", worker_run, &self->workers[w]);
  worker_run (&self->workers[0]);
  for (guint w = 1; w < n_workers; w++)
    g_thread_join (threads[w]);

  if (n_workers > 1)
    set_blas_threads (blas_threads);
}

/* Computes `z_k = X W_kᵀ + b_k` of every anchor for the block starting at
 * row @first of the evaluation rows, unless that block is cached. */
static gboolean
load_block (BasinPointEvaluator *self,
            guint                first,
            GCancellable        *cancellable,
            GError             **error)
{
  const BasinLayer *layer = &self->shape->layers[0];
  gsize width = layer->out_dim, dim = layer->in_dim;

  if (self->block_valid && self->block_first == first)
    return TRUE;

  self->block_valid = FALSE;
  self->block_first = first;
  self->block_rows = MIN (self->block_capacity, self->n_rows - first);

  for (guint start = 0; start < self->block_rows; start += GATHER_ROWS)
    {
      guint n = MIN (GATHER_ROWS, self->block_rows - start);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      basin_dataset_gather (self->dataset, self->rows + first + start, n, self->x,
                            self->labels + start);
      for (guint k = 0; k < self->n_anchors; k++)
        {
          const BasinMlp *anchor = self->anchors[k];
          float *z = self->z[k] + start * width;

          for (guint r = 0; r < n; r++)
            memcpy (z + r * width, basin_mlp_bias (anchor, 0), width * sizeof (float));
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                       n, width, dim,
                       1.0f, self->x, dim, basin_mlp_weight (anchor, 0), dim,
                       1.0f, z, width);
        }
    }

  self->block_valid = TRUE;
  return TRUE;
}

/**
 * basin_point_evaluator_new:
 * @anchors: (array length=n_anchors): networks that passed
 *   basin_check_anchors(); they must outlive the evaluator
 * @n_anchors: 1 to %BASIN_EVAL_MAX_ANCHORS
 * @dataset: the samples; must outlive the evaluator
 * @rows: (array length=n_rows): rows of @dataset to evaluate on, at least
 *   one; must outlive the evaluator
 * @n_rows: number of rows
 * @n_workers: threads, at least 1
 *
 * Allocates every buffer of the evaluation once.
 *
 * Returns: (transfer full): the evaluator
 */
BasinPointEvaluator *
basin_point_evaluator_new (BasinMlp *const    *anchors,
                           guint               n_anchors,
                           const BasinDataset *dataset,
                           const guint32      *rows,
                           guint               n_rows,
                           guint               n_workers)
{
  BasinPointEvaluator *self = g_new0 (BasinPointEvaluator, 1);
  const BasinMlp *shape = anchors[0];
  gsize first_width = shape->layers[0].out_dim;

  g_assert (n_anchors >= 1 && n_anchors <= BASIN_EVAL_MAX_ANCHORS);
  g_assert (n_rows > 0 && n_workers > 0);

  self->anchors = anchors;
  self->n_anchors = n_anchors;
  self->shape = shape;
  self->dataset = dataset;
  self->rows = rows;
  self->n_rows = n_rows;
  self->n_workers = n_workers;
  self->finish_rows = basin_row_func_select ();
  g_mutex_init (&self->lock);

  for (guint l = 0; l < shape->n_layers; l++)
    self->max_width = MAX (self->max_width, shape->layers[l].out_dim);

  self->block_capacity = MIN (n_rows, MAX (BLOCK_BYTES / (n_anchors * first_width
                                                          * sizeof (float)),
                                           SUB_BATCH));
  for (guint k = 0; k < n_anchors; k++)
    self->z[k] = g_new (float, (gsize) self->block_capacity * first_width);
  self->labels = g_new (guint32, self->block_capacity);
  self->x = g_new (float, (gsize) GATHER_ROWS * shape->config.input_dim);

  self->workers = g_new0 (Worker, n_workers);
  for (guint w = 0; w < n_workers; w++)
    {
      Worker *worker = &self->workers[w];

      worker->owner = self;
      worker->params = g_new0 (float, shape->n_params);
      worker->gates = g_new0 (float *, shape->n_layers);
      for (guint l = 0; l < shape->n_layers; l++)
        if (shape->layers[l].gate != NULL)
          worker->gates[l] = g_new (float, (gsize) shape->layers[l].out_dim
                                           * shape->layers[l].out_dim);
      for (guint b = 0; b < G_N_ELEMENTS (worker->buffers); b++)
        worker->buffers[b] = g_new (float, (gsize) SUB_BATCH * self->max_width);
      worker->report = w == 0;
    }

  return self;
}

void
basin_point_evaluator_free (BasinPointEvaluator *self)
{
  if (self == NULL)
    return;

  for (guint w = 0; w < self->n_workers; w++)
    {
      Worker *worker = &self->workers[w];

      for (guint l = 0; l < self->shape->n_layers; l++)
        g_free (worker->gates[l]);
      for (guint b = 0; b < G_N_ELEMENTS (worker->buffers); b++)
        g_free (worker->buffers[b]);
      g_free (worker->gates);
      g_free (worker->params);
    }
  for (guint k = 0; k < self->n_anchors; k++)
    g_free (self->z[k]);
  g_free (self->workers);
  g_free (self->labels);
  g_free (self->x);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * basin_point_evaluator_limit_block:
 * @evaluator: the evaluator
 * @max_rows: rows per block, at least 1
 *
 * Makes blocks smaller than the memory bound allows, so that tests can
 * cover evaluations over several blocks with a small dataset.
 */
void
basin_point_evaluator_limit_block (BasinPointEvaluator *self,
                                   guint                max_rows)
{
  self->block_capacity = CLAMP (max_rows, 1, self->block_capacity);
  self->block_valid = FALSE;
}

/**
 * basin_point_evaluator_run:
 * @evaluator: the evaluator
 * @coefficients: @n_points × n_anchors coefficients, row-major
 * @n_points: points to evaluate
 * @loss: (out caller-allocates): @n_points mean cross-entropies
 * @accuracy: (out caller-allocates): @n_points accuracies, as fractions
 * @finished: (out caller-allocates): @n_points flags, %TRUE for the points
 *   evaluated on all rows
 * @cancellable: (nullable): checked after every batch of every worker
 * @report: (nullable): progress function
 * @report_data: data for @report
 * @error: return location for a #GError
 *
 * Evaluates every point on all rows.  When the rows fit in one block, the
 * first-layer products are computed once and kept for later runs, and
 * each point finishes on its own.  Otherwise points finish in the last
 * block.
 *
 * Returns: %FALSE if cancelled; the points that finished before still have
 *   their values, the others are NaN
 */
gboolean
basin_point_evaluator_run (BasinPointEvaluator *self,
                           const double        *coefficients,
                           guint                n_points,
                           double              *loss,
                           double              *accuracy,
                           gboolean            *finished,
                           GCancellable        *cancellable,
                           BasinEvalReportFunc  report,
                           gpointer             report_data,
                           GError             **error)
{
  g_autofree double *loss_sum = g_new0 (double, MAX (n_points, 1));
  g_autofree guint64 *correct = g_new0 (guint64, MAX (n_points, 1));
  gboolean ok = TRUE;

  memset (finished, 0, n_points * sizeof (gboolean));
  self->coefficients = coefficients;
  self->n_points = n_points;
  self->loss_sum = loss_sum;
  self->correct = correct;
  self->finished = finished;
  self->cancellable = cancellable;
  self->done = 0;
  self->total = (guint64) n_points * self->n_rows;
  self->report = report;
  self->report_data = report_data;
  self->last_report = 0;

  for (guint first = 0; ok && first < self->n_rows && n_points > 0;
       first += self->block_capacity)
    {
      ok = load_block (self, first, cancellable, error);
      if (ok)
        run_workers (self);
      report_progress (self);
      ok = ok && !g_cancellable_set_error_if_cancelled (cancellable, error);
    }

  for (guint k = 0; k < n_points; k++)
    {
      loss[k] = finished[k] ? loss_sum[k] / self->n_rows : NAN;
      accuracy[k] = finished[k] ? (double) correct[k] / self->n_rows : NAN;
    }
  self->loss_sum = NULL;
  self->correct = NULL;
  self->finished = NULL;
  return ok;
}

double
basin_seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Extrapolates the time left from the share done so far; NaN until some
 * work is done. */
double
basin_estimate_remaining (double  elapsed,
                    guint64 done,
                    guint64 total)
{
  if (done == 0)
    return NAN;
  return elapsed * (double) (total - MIN (done, total)) / (double) done;
}

void
basin_eval_monitor_report (guint64  done,
                   guint64  total,
                   gpointer user_data)
{
  BasinEvalMonitor *m = user_data;
  guint64 all_done = m->done_before + done;
  double elapsed = basin_seconds_since (m->start);
  double remaining = basin_estimate_remaining (elapsed, all_done, m->total);
  g_autofree char *stage = NULL;

  if (m->func == NULL)
    return;

  if (m->n_levels == 0)
    stage = g_strdup_printf (_("Evaluating the merge path: %.0f s elapsed, about %.0f s left"),
                             elapsed, isnan (remaining) ? 0.0 : remaining);
  else
    stage = g_strdup_printf (_("Evaluating the loss landscape, level %u of %u: "
                               "%.0f s elapsed, about %.0f s left"),
                             m->level, m->n_levels, elapsed,
                             isnan (remaining) ? 0.0 : remaining);
  m->func (m->total > 0 ? (double) all_done / m->total : 1.0, stage, m->user_data);
}

/* Checks that @dataset has samples and fits the input and output sizes of
 * @mlp. */
gboolean
basin_check_eval_dataset (const BasinDataset *dataset,
               const BasinMlp     *mlp,
               GError            **error)
{
  if (dataset->n_samples == 0)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("The dataset “%s” is empty; evaluate on a dataset with samples."),
                   dataset->name);
      return FALSE;
    }
  if (dataset->dim != mlp->config.input_dim || dataset->n_classes > mlp->config.output_dim)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("The dataset “%s” has %u features and %u classes, but the network "
                     "expects %u features and at most %u classes."),
                   dataset->name, dataset->dim, dataset->n_classes,
                   mlp->config.input_dim, mlp->config.output_dim);
      return FALSE;
    }
  return TRUE;
}
