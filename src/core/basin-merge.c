/* basin-merge.c: straight paths in weight space and their barriers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "basin-merge.h"
#include "basin-train.h"

/**
 * basin_mlp_interpolate:
 * @a: the network at λ = 0
 * @b: the network at λ = 1, of the same structure as @a
 * @lambda: position on the line; values outside [0, 1] extrapolate
 * @out: a network of the same structure, overwritten
 *
 * Sets the trainable parameters of @out to `(1 − λ) θ_a + λ θ_b`.  Fixed
 * parts are shared by the runs and not interpolated: @out keeps its own.
 * The one exception are σ-MLP gates that differ between @a and @b, as
 * after alignment; they are interpolated like the weights.
 */
void
basin_mlp_interpolate (const BasinMlp *a,
                       const BasinMlp *b,
                       double          lambda,
                       BasinMlp       *out)
{
  float wa = (float) (1.0 - lambda), wb = (float) lambda;

  g_return_if_fail (basin_mlp_same_structure (a, b));
  g_return_if_fail (basin_mlp_same_structure (a, out));

  for (gsize i = 0; i < a->n_params; i++)
    out->params[i] = wa * a->params[i] + wb * b->params[i];

  for (guint l = 0; l < a->n_layers; l++)
    {
      const BasinLayer *la = &a->layers[l], *lb = &b->layers[l];
      gsize size = (gsize) la->out_dim * la->out_dim;

      if (la->gate == NULL || memcmp (la->gate, lb->gate, size * sizeof (float)) == 0)
        continue;
      for (gsize i = 0; i < size; i++)
        out->layers[l].gate[i] = wa * la->gate[i] + wb * lb->gate[i];
    }
}

/**
 * basin_loss_barrier:
 * @lambda: (array length=n_points): increasing values from 0 to 1
 * @loss: (array length=n_points): loss at each λ
 * @n_points: at least 2
 *
 * Returns: `max_λ [L(λ) − ((1 − λ) L(0) + λ L(1))]`, the largest rise of
 *   the loss above the straight chord between the endpoints; 0 when the
 *   path never rises above it
 */
double
basin_loss_barrier (const double *lambda,
                    const double *loss,
                    guint         n_points)
{
  double start, end, barrier = 0.0;

  g_return_val_if_fail (n_points >= 2, NAN);
  start = loss[0];
  end = loss[n_points - 1];

  for (guint i = 0; i < n_points; i++)
    {
      double chord = (1.0 - lambda[i]) * start + lambda[i] * end;
      barrier = MAX (barrier, loss[i] - chord);
    }
  return barrier;
}

/**
 * basin_accuracy_barrier:
 * @lambda: (array length=n_points): increasing values from 0 to 1
 * @accuracy: (array length=n_points): accuracy (fraction) at each λ
 * @n_points: at least 2
 *
 * Returns: `100 · max_λ [((1 − λ) A(0) + λ A(1)) − A(λ)]`, the largest
 *   drop of the accuracy below the chord, in percentage points
 */
double
basin_accuracy_barrier (const double *lambda,
                        const double *accuracy,
                        guint         n_points)
{
  g_autofree double *negated = g_new (double, n_points);

  for (guint i = 0; i < n_points; i++)
    negated[i] = -accuracy[i];
  return 100.0 * basin_loss_barrier (lambda, negated, n_points);
}

static BasinPath *
path_new (const char *alignment,
          guint       n_points)
{
  BasinPath *path = g_new0 (BasinPath, 1);

  path->alignment = g_strdup (alignment);
  path->n_points = n_points;
  path->lambda = g_new (double, n_points);
  path->train_loss = g_new (double, n_points);
  path->train_accuracy = g_new (double, n_points);
  path->test_loss = g_new (double, n_points);
  path->test_accuracy = g_new (double, n_points);
  for (guint i = 0; i < n_points; i++)
    path->lambda[i] = (double) i / (n_points - 1);
  return path;
}

void
basin_path_free (BasinPath *path)
{
  if (path == NULL)
    return;

  g_free (path->alignment);
  g_free (path->lambda);
  g_free (path->train_loss);
  g_free (path->train_accuracy);
  g_free (path->test_loss);
  g_free (path->test_accuracy);
  g_free (path);
}

#define PATH_BATCH 1000

typedef struct {
  const BasinMlp *a;
  const BasinMlp *b;
  BasinMlp       *point;
  BasinWorkspace *ws_a;
  BasinWorkspace *ws_b;
  BasinWorkspace *ws_point;
  float          *x;
  guint32        *y;
  float          *mixed;
} PathEvaluator;

/* Evaluates every λ of @path on @dataset into @loss and @accuracy.  The
 * outer loop runs over batches: the first layer's output at λ is
 * `(1 − λ) z_A + λ z_B`, so each batch needs that product only for the
 * two endpoints instead of once per λ. */
static gboolean
evaluate_dataset (PathEvaluator      *ev,
                  const BasinPath    *path,
                  const BasinDataset *dataset,
                  double             *loss,
                  double             *accuracy,
                  GCancellable       *cancellable,
                  BasinProgressFunc   progress,
                  gpointer            user_data,
                  double              progress_start,
                  GError            **error)
{
  guint n_classes = ev->a->config.output_dim;
  gsize width = ev->a->layers[0].out_dim;
  g_autofree double *loss_sum = g_new0 (double, path->n_points);
  g_autofree guint64 *correct = g_new0 (guint64, path->n_points);

  for (guint first = 0; first < dataset->n_samples; first += PATH_BATCH)
    {
      guint rows = MIN (PATH_BATCH, dataset->n_samples - first);
      const float *za, *zb;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress != NULL)
        progress (progress_start + 0.5 * first / dataset->n_samples,
                  _("Evaluating the merge path"), user_data);

      basin_dataset_range (dataset, first, rows, ev->x, ev->y);
      basin_mlp_forward (ev->a, ev->ws_a, ev->x, rows);
      basin_mlp_forward (ev->b, ev->ws_b, ev->x, rows);
      za = basin_workspace_first_linear (ev->ws_a);
      zb = basin_workspace_first_linear (ev->ws_b);

      for (guint i = 0; i < path->n_points; i++)
        {
          float wa = (float) (1.0 - path->lambda[i]), wb = (float) path->lambda[i];
          const float *logits;
          guint right = 0;

          for (gsize k = 0; k < rows * width; k++)
            ev->mixed[k] = wa * za[k] + wb * zb[k];
          basin_mlp_interpolate (ev->a, ev->b, path->lambda[i], ev->point);
          logits = basin_mlp_forward_first_linear (ev->point, ev->ws_point, ev->mixed, rows);
          loss_sum[i] += basin_mlp_cross_entropy (logits, ev->y, rows, n_classes, &right) * rows;
          correct[i] += right;
        }
    }

  for (guint i = 0; i < path->n_points; i++)
    {
      loss[i] = loss_sum[i] / MAX (dataset->n_samples, 1);
      accuracy[i] = (double) correct[i] / MAX (dataset->n_samples, 1);
    }
  return TRUE;
}

/**
 * basin_path_evaluate:
 * @a: run A (λ = 0)
 * @b: run B or its aligned copy (λ = 1), of the same structure as @a
 * @alignment: label stored in the path: "none", "activation" or "weight"
 * @train: training samples to evaluate on (a fixed subset is fine)
 * @test: test samples to evaluate on
 * @n_points: values of λ, evenly spaced on [0, 1], at least 2
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Evaluates loss and accuracy along `θ(λ) = (1 − λ) θ_A + λ θ_B` and the
 * barriers of the path.
 *
 * Returns: (transfer full) (nullable): the path, or %NULL if cancelled
 */
BasinPath *
basin_path_evaluate (const BasinMlp     *a,
                     const BasinMlp     *b,
                     const char         *alignment,
                     const BasinDataset *train,
                     const BasinDataset *test,
                     guint               n_points,
                     GCancellable       *cancellable,
                     BasinProgressFunc   progress,
                     gpointer            user_data,
                     GError            **error)
{
  PathEvaluator ev = { a, b };
  guint batch = PATH_BATCH;
  BasinPath *path;
  gboolean ok;

  g_return_val_if_fail (n_points >= 2, NULL);
  g_return_val_if_fail (basin_mlp_same_structure (a, b), NULL);

  path = path_new (alignment, n_points);
  path->n_train = train->n_samples;
  path->n_test = test->n_samples;

  ev.point = basin_mlp_copy (a);
  ev.ws_a = basin_workspace_new (a, batch);
  ev.ws_b = basin_workspace_new (b, batch);
  ev.ws_point = basin_workspace_new (ev.point, batch);
  ev.x = g_new (float, (gsize) batch * a->config.input_dim);
  ev.y = g_new (guint32, batch);
  ev.mixed = g_new (float, (gsize) batch * a->layers[0].out_dim);

  ok = evaluate_dataset (&ev, path, train, path->train_loss, path->train_accuracy,
                         cancellable, progress, user_data, 0.0, error)
       && evaluate_dataset (&ev, path, test, path->test_loss, path->test_accuracy,
                            cancellable, progress, user_data, 0.5, error);

  basin_mlp_free (ev.point);
  basin_workspace_free (ev.ws_a);
  basin_workspace_free (ev.ws_b);
  basin_workspace_free (ev.ws_point);
  g_free (ev.x);
  g_free (ev.y);
  g_free (ev.mixed);
  if (!ok)
    {
      basin_path_free (path);
      return NULL;
    }

  path->loss_barrier = basin_loss_barrier (path->lambda, path->test_loss, n_points);
  path->accuracy_barrier = basin_accuracy_barrier (path->lambda, path->test_accuracy, n_points);
  path->train_loss_barrier = basin_loss_barrier (path->lambda, path->train_loss, n_points);
  path->train_accuracy_barrier = basin_accuracy_barrier (path->lambda, path->train_accuracy,
                                                         n_points);
  return path;
}
