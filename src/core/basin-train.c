/* basin-train.c: minibatch training and evaluation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-error.h"
#include "basin-rng.h"
#include "basin-train.h"
#include "basin-vector.h"

#define EVAL_BATCH 1000

struct _BasinTrainer
{
  BasinMlp           *mlp;
  const BasinDataset *train;
  BasinTrainConfig    config;
  BasinRng            rng;
  BasinWorkspace     *workspace;

  float   *gradient;
  float   *moment1;
  float   *moment2;
  guint32 *order;
  float   *batch_x;
  guint32 *batch_y;

  guint    epoch;
  guint    step;
  guint    steps_per_epoch;
  guint64  t;
  double   epoch_loss_sum;
  guint    epoch_correct;
  guint    epoch_seen;
};

static const char *schedule_names[] = { "constant", "cosine", "linear-warmup" };

const char *
basin_schedule_to_string (BasinSchedule schedule)
{
  g_return_val_if_fail (schedule < G_N_ELEMENTS (schedule_names), NULL);
  return schedule_names[schedule];
}

gboolean
basin_schedule_from_string (const char    *name,
                            BasinSchedule *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (schedule_names); i++)
    if (g_strcmp0 (name, schedule_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

/* Fills @config with AdamW at lr 1e-3, weight decay 0.01, batch 64, ten
 * epochs, a constant rate and no clipping, with PyTorch's AdamW defaults
 * for the moments. */
void
basin_train_config_init_default (BasinTrainConfig *config)
{
  config->optimizer = BASIN_OPTIMIZER_ADAMW;
  config->learning_rate = 1e-3;
  config->weight_decay = 0.01;
  config->beta1 = 0.9;
  config->beta2 = 0.999;
  config->epsilon = 1e-8;
  config->momentum = 0.9;
  config->batch_size = 64;
  config->epochs = 10;
  config->schedule = BASIN_SCHEDULE_CONSTANT;
  config->warmup_epochs = 0.0;
  config->clip_norm = 0.0;
}

gboolean
basin_train_config_validate (const BasinTrainConfig *config,
                             GError                **error)
{
  if (!(config->learning_rate > 0.0 && config->learning_rate <= 10.0))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Learning rate %g is out of range: use a value above 0 and "
                     "at most 10."), config->learning_rate);
      return FALSE;
    }
  if (!(config->weight_decay >= 0.0 && config->weight_decay <= 10.0))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Weight decay %g is out of range: use a value from 0 to 10."),
                   config->weight_decay);
      return FALSE;
    }
  if (config->batch_size < 1 || config->batch_size > 65536)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Batch size %u is out of range: use 1 to 65536."),
                   config->batch_size);
      return FALSE;
    }
  if (config->epochs < 1 || config->epochs > 10000)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("%u epochs is out of range: use 1 to 10000."), config->epochs);
      return FALSE;
    }
  if (config->schedule > BASIN_SCHEDULE_LINEAR_WARMUP
      || !(config->warmup_epochs >= 0.0 && config->warmup_epochs <= config->epochs))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Warm-up of %g epochs is out of range: use 0 to the number of "
                     "epochs (%u)."), config->warmup_epochs, config->epochs);
      return FALSE;
    }
  if (!(config->clip_norm >= 0.0 && config->clip_norm <= 1e6))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Gradient clipping norm %g is out of range: use 0 (off) to 1e6."),
                   config->clip_norm);
      return FALSE;
    }
  if (!(config->beta1 >= 0.0 && config->beta1 < 1.0 && config->beta2 >= 0.0
        && config->beta2 < 1.0 && config->epsilon > 0.0
        && config->momentum >= 0.0 && config->momentum < 1.0))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Optimizer constants are out of range: β₁, β₂ and momentum "
                     "must lie in [0, 1) and ε above 0."));
      return FALSE;
    }
  return TRUE;
}

BasinHistory *
basin_history_new (void)
{
  BasinHistory *history = g_new0 (BasinHistory, 1);

  history->train_loss = g_array_new (FALSE, FALSE, sizeof (double));
  history->train_accuracy = g_array_new (FALSE, FALSE, sizeof (double));
  history->test_loss = g_array_new (FALSE, FALSE, sizeof (double));
  history->test_accuracy = g_array_new (FALSE, FALSE, sizeof (double));
  history->validation_loss = g_array_new (FALSE, FALSE, sizeof (double));
  history->validation_accuracy = g_array_new (FALSE, FALSE, sizeof (double));
  return history;
}

void
basin_history_free (BasinHistory *history)
{
  if (history == NULL)
    return;

  g_array_unref (history->train_loss);
  g_array_unref (history->train_accuracy);
  g_array_unref (history->test_loss);
  g_array_unref (history->test_accuracy);
  g_array_unref (history->validation_loss);
  g_array_unref (history->validation_accuracy);
  g_free (history);
}

static GArray *
copy_doubles (GArray *array)
{
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (double), array->len);

  g_array_append_vals (copy, array->data, array->len);
  return copy;
}

BasinHistory *
basin_history_copy (const BasinHistory *history)
{
  BasinHistory *copy = g_new0 (BasinHistory, 1);

  copy->train_loss = copy_doubles (history->train_loss);
  copy->train_accuracy = copy_doubles (history->train_accuracy);
  copy->test_loss = copy_doubles (history->test_loss);
  copy->test_accuracy = copy_doubles (history->test_accuracy);
  copy->validation_loss = copy_doubles (history->validation_loss);
  copy->validation_accuracy = copy_doubles (history->validation_accuracy);
  return copy;
}

static void
shuffle_epoch (BasinTrainer *self)
{
  for (guint i = 0; i < self->train->n_samples; i++)
    self->order[i] = i;
  basin_rng_shuffle (&self->rng, self->order, self->train->n_samples);
}

/**
 * basin_trainer_new:
 * @mlp: the network to train in place; must outlive the trainer
 * @train: training data; must outlive the trainer
 * @config: optimizer settings, already validated
 * @shuffle_seed: seed of the minibatch order
 *
 * Returns: (transfer full): a trainer positioned before the first step
 */
BasinTrainer *
basin_trainer_new (BasinMlp               *mlp,
                   const BasinDataset     *train,
                   const BasinTrainConfig *config,
                   guint64                 shuffle_seed)
{
  BasinTrainer *self = g_new0 (BasinTrainer, 1);
  guint batch = MIN (config->batch_size, train->n_samples);

  self->mlp = mlp;
  self->train = train;
  self->config = *config;
  self->config.batch_size = batch;
  basin_rng_init (&self->rng, shuffle_seed);
  self->workspace = basin_workspace_new (mlp, batch);
  self->gradient = g_new0 (float, mlp->n_params);
  self->moment1 = g_new0 (float, mlp->n_params);
  self->moment2 = g_new0 (float, mlp->n_params);
  self->order = g_new (guint32, train->n_samples);
  self->batch_x = g_new (float, (gsize) batch * train->dim);
  self->batch_y = g_new (guint32, batch);
  self->steps_per_epoch = (train->n_samples + batch - 1) / batch;

  shuffle_epoch (self);
  return self;
}

void
basin_trainer_free (BasinTrainer *self)
{
  if (self == NULL)
    return;

  basin_workspace_free (self->workspace);
  g_free (self->gradient);
  g_free (self->moment1);
  g_free (self->moment2);
  g_free (self->order);
  g_free (self->batch_x);
  g_free (self->batch_y);
  g_free (self);
}

/**
 * basin_trainer_learning_rate:
 * @trainer: the trainer
 *
 * Returns: the learning rate of the next step under the schedule
 */
double
basin_trainer_learning_rate (const BasinTrainer *self)
{
  const BasinTrainConfig *c = &self->config;
  double total = (double) self->steps_per_epoch * c->epochs;
  double warmup_epochs = c->warmup_epochs;
  double warmup, step = (double) self->t;

  if (c->schedule == BASIN_SCHEDULE_LINEAR_WARMUP && warmup_epochs == 0.0)
    warmup_epochs = 1.0;
  warmup = floor (warmup_epochs * self->steps_per_epoch);

  if (step < warmup)
    return c->learning_rate * (step + 1.0) / warmup;
  if (c->schedule == BASIN_SCHEDULE_COSINE && total > warmup)
    return 0.5 * c->learning_rate * (1.0 + cos (G_PI * (step - warmup) / (total - warmup)));
  return c->learning_rate;
}

/* Scales the gradient down to @max_norm when its global L2 norm is larger,
 * as torch.nn.utils.clip_grad_norm_ does. */
static void
clip_gradient (BasinTrainer *self,
               double        max_norm)
{
  double sum = 0.0, norm, scale;

  for (gsize i = 0; i < self->mlp->n_params; i++)
    sum += (double) self->gradient[i] * self->gradient[i];
  norm = sqrt (sum);
  if (norm <= max_norm)
    return;

  scale = max_norm / (norm + 1e-6);
  for (gsize i = 0; i < self->mlp->n_params; i++)
    self->gradient[i] *= (float) scale;
}

/* AdamW as in Loshchilov and Hutter (2019), with PyTorch's placement of the
 * bias corrections and of ε.  Frozen W-MLP entries are zero with a zero
 * gradient, so neither the step nor the decay moves them. */
BASIN_VECTOR_CLONES static void
adamw_update (BasinTrainer *self,
              double        lr)
{
  const BasinTrainConfig *c = &self->config;
  float *params = self->mlp->params;
  float decay = (float) (1.0 - lr * c->weight_decay);
  float beta1 = (float) c->beta1, beta2 = (float) c->beta2;
  float step_size = (float) (lr / (1.0 - pow (c->beta1, (double) self->t)));
  float inv_sqrt_correction2 = (float) (1.0 / sqrt (1.0 - pow (c->beta2, (double) self->t)));
  float epsilon = (float) c->epsilon;

  for (gsize i = 0; i < self->mlp->n_params; i++)
    {
      float g = self->gradient[i];
      float m = self->moment1[i] = beta1 * self->moment1[i] + (1.0f - beta1) * g;
      float v = self->moment2[i] = beta2 * self->moment2[i] + (1.0f - beta2) * g * g;

      params[i] = params[i] * decay - step_size * m / (sqrtf (v) * inv_sqrt_correction2 + epsilon);
    }
}

/* SGD with momentum and L2 weight decay, in PyTorch's form. */
BASIN_VECTOR_CLONES static void
sgd_update (BasinTrainer *self,
            double        learning_rate)
{
  const BasinTrainConfig *c = &self->config;
  float *params = self->mlp->params;
  float lr = (float) learning_rate;
  float decay = (float) c->weight_decay, momentum = (float) c->momentum;

  for (gsize i = 0; i < self->mlp->n_params; i++)
    {
      float g = self->gradient[i] + decay * params[i];
      float buffer = self->t == 1 ? g : momentum * self->moment1[i] + g;

      self->moment1[i] = buffer;
      params[i] -= lr * buffer;
    }
}

/**
 * basin_trainer_step:
 * @trainer: the trainer
 * @loss_out: (out) (optional): the minibatch loss
 * @error: return location for a #GError
 *
 * Takes one optimizer step on the next minibatch and moves to the next
 * epoch after the last one.
 *
 * Returns: %FALSE with %BASIN_ERROR_DIVERGED if the loss is NaN or
 *   infinite; the parameters are then left as before the step
 */
gboolean
basin_trainer_step (BasinTrainer *self,
                    double       *loss_out,
                    GError      **error)
{
  guint n = self->train->n_samples;
  guint first = self->step * self->config.batch_size;
  guint rows = MIN (self->config.batch_size, n - first);
  guint correct = 0;
  double loss, lr;

  g_return_val_if_fail (!basin_trainer_finished (self), FALSE);

  basin_dataset_gather (self->train, self->order + first, rows, self->batch_x, self->batch_y);
  loss = basin_mlp_loss_gradient (self->mlp, self->workspace, self->batch_x,
                                  self->batch_y, rows, self->gradient, &correct);
  if (!isfinite (loss))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_DIVERGED,
                   _("training diverged at epoch %u, step %u: the loss is %s. "
                     "Lower the learning rate or enable LayerNorm."),
                   self->epoch + 1, self->step + 1, isnan (loss) ? "NaN" : "infinite");
      return FALSE;
    }

  lr = basin_trainer_learning_rate (self);
  if (self->config.clip_norm > 0.0)
    clip_gradient (self, self->config.clip_norm);
  self->t++;
  if (self->config.optimizer == BASIN_OPTIMIZER_SGD)
    sgd_update (self, lr);
  else
    adamw_update (self, lr);

  self->epoch_loss_sum += loss * rows;
  self->epoch_correct += correct;
  self->epoch_seen += rows;
  if (loss_out != NULL)
    *loss_out = loss;

  if (++self->step == self->steps_per_epoch)
    {
      self->step = 0;
      self->epoch++;
      if (!basin_trainer_finished (self))
        shuffle_epoch (self);
    }

  return TRUE;
}

guint
basin_trainer_get_epoch (const BasinTrainer *self)
{
  return self->epoch;
}

guint
basin_trainer_get_step (const BasinTrainer *self)
{
  return self->step;
}

guint
basin_trainer_steps_per_epoch (const BasinTrainer *self)
{
  return self->steps_per_epoch;
}

gboolean
basin_trainer_finished (const BasinTrainer *self)
{
  return self->epoch >= self->config.epochs;
}

/**
 * basin_trainer_epoch_loss:
 * @trainer: the trainer
 * @accuracy_out: (out) (optional): training accuracy over the same steps
 *
 * Returns the mean minibatch loss since the last call and restarts the
 * average; the session calls it at each epoch boundary.
 *
 * Returns: the mean loss, NaN if no step was taken
 */
double
basin_trainer_epoch_loss (BasinTrainer *self,
                          double       *accuracy_out)
{
  double loss = self->epoch_seen > 0 ? self->epoch_loss_sum / self->epoch_seen : NAN;

  if (accuracy_out != NULL)
    *accuracy_out = self->epoch_seen > 0 ? (double) self->epoch_correct / self->epoch_seen : NAN;
  self->epoch_loss_sum = 0.0;
  self->epoch_correct = 0;
  self->epoch_seen = 0;
  return loss;
}

/**
 * basin_mlp_evaluate:
 * @mlp: the network
 * @dataset: inputs and labels
 * @loss_out: (out) (optional): mean cross-entropy
 * @accuracy_out: (out) (optional): accuracy as a fraction
 * @cancellable: (nullable): checked between batches
 * @error: return location for a #GError
 *
 * Returns: %FALSE if cancelled
 */
gboolean
basin_mlp_evaluate (const BasinMlp     *mlp,
                    const BasinDataset *dataset,
                    double             *loss_out,
                    double             *accuracy_out,
                    GCancellable       *cancellable,
                    GError            **error)
{
  guint batch = MIN (EVAL_BATCH, MAX (dataset->n_samples, 1));
  BasinWorkspace *ws = basin_workspace_new (mlp, batch);
  g_autofree float *x = g_new (float, (gsize) batch * dataset->dim);
  g_autofree guint32 *y = g_new (guint32, batch);
  double total = 0.0;
  guint64 correct = 0;

  for (guint first = 0; first < dataset->n_samples; first += batch)
    {
      guint rows = MIN (batch, dataset->n_samples - first);
      const float *logits;
      guint right = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          basin_workspace_free (ws);
          return FALSE;
        }

      basin_dataset_range (dataset, first, rows, x, y);
      logits = basin_mlp_forward (mlp, ws, x, rows);
      total += basin_mlp_cross_entropy (logits, y, rows, mlp->config.output_dim, &right) * rows;
      correct += right;
    }

  basin_workspace_free (ws);
  if (loss_out != NULL)
    *loss_out = dataset->n_samples > 0 ? total / dataset->n_samples : NAN;
  if (accuracy_out != NULL)
    *accuracy_out = dataset->n_samples > 0 ? (double) correct / dataset->n_samples : NAN;
  return TRUE;
}
