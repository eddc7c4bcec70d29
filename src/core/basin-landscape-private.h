/* basin-landscape-private.h: the evaluator shared by merge paths and planes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "basin-landscape.h"

G_BEGIN_DECLS

#define BASIN_EVAL_MAX_ANCHORS 3
#define BASIN_DEFAULT_EVAL_SAMPLES 10000
#define BASIN_DEFAULT_SUBSET_SEED 1

/* Called on the calling thread of basin_point_evaluator_run() as points
 * finish; @done and @total count point-rows (one point on one sample). */
typedef void (*BasinEvalReportFunc) (guint64  done,
                                     guint64  total,
                                     gpointer user_data);

typedef struct _BasinPointEvaluator BasinPointEvaluator;

/* One elementwise step of a hidden layer over a batch of rows.  With
 * @n_mix > 0, each row is first replaced by `Σ_k weights[k] mix[k]`, the
 * first layer's output at a point.  Then LayerNorm runs when @normalized
 * is set, with @gain and @shift unless they are %NULL, and then the
 * activation. */
typedef struct {
  guint           width;
  BasinActivation activation;
  gboolean        normalized;
  const float    *gain;
  const float    *shift;
  guint           n_mix;
  const float    *mix[BASIN_EVAL_MAX_ANCHORS];
  float           weights[BASIN_EVAL_MAX_ANCHORS];
} BasinRowOp;

typedef void (*BasinRowFunc) (const BasinRowOp *op,
                              float            *rows,
                              guint             n_rows);

BasinRowFunc         basin_row_func_select      (void);

BasinPointEvaluator *basin_point_evaluator_new  (BasinMlp *const    *anchors,
                                                 guint               n_anchors,
                                                 const BasinDataset *dataset,
                                                 const guint32      *rows,
                                                 guint               n_rows,
                                                 guint               n_workers);
void                 basin_point_evaluator_free (BasinPointEvaluator *evaluator);
void                 basin_point_evaluator_limit_block (BasinPointEvaluator *evaluator,
                                                        guint                max_rows);
gboolean             basin_point_evaluator_run  (BasinPointEvaluator *evaluator,
                                                 const double        *coefficients,
                                                 guint                n_points,
                                                 double              *loss,
                                                 double              *accuracy,
                                                 gboolean            *finished,
                                                 GCancellable        *cancellable,
                                                 BasinEvalReportFunc  report,
                                                 gpointer             report_data,
                                                 GError             **error);

guint32             *basin_sample_rows          (guint    n_available,
                                                 guint    n_wanted,
                                                 guint64  seed,
                                                 guint   *n_rows_out);
gboolean             basin_check_anchors        (BasinMlp *const *anchors,
                                                 guint            n_anchors,
                                                 GError         **error);

/* Progress of one call that runs the evaluator several times: @level is 0
 * for a merge path; @done_before counts the point-rows of finished runs. */
typedef struct {
  BasinProgressFunc func;
  gpointer          user_data;
  gint64            start;
  guint64           done_before;
  guint64           total;
  guint             level;
  guint             n_levels;
} BasinEvalMonitor;

double               basin_seconds_since        (gint64 start);
double               basin_estimate_remaining   (double  elapsed,
                                                 guint64 done,
                                                 guint64 total);
void                 basin_eval_monitor_report  (guint64  done,
                                                 guint64  total,
                                                 gpointer monitor);
gboolean             basin_check_eval_dataset   (const BasinDataset *dataset,
                                                 const BasinMlp     *mlp,
                                                 GError            **error);

G_END_DECLS
