/* basin-landscape.h: loss and accuracy along merge paths and over planes in
 * weight space.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "basin-dataset.h"
#include "basin-error.h"
#include "basin-merge.h"
#include "basin-mlp.h"

G_BEGIN_DECLS

/* Merge paths */

/**
 * BasinPathOptions:
 * @lambda_min: first λ, at most 0 (default 0; −0.5 extrapolates past A)
 * @lambda_max: last λ, at least 1 (default 1; 1.5 extrapolates past B)
 * @n_points: evenly spaced values of λ on [@lambda_min, @lambda_max], 2 to
 *   %BASIN_PATH_MAX_POINTS (default 25)
 * @train_samples: training samples to evaluate on, drawn without
 *   replacement with @subset_seed; 0 or more than the data has means all
 *   (default 10,000)
 * @test_samples: test samples to evaluate on, drawn the same way with
 *   @subset_seed + 1; 0 means the whole test set (default)
 * @subset_seed: seed of the two subsets
 *
 * Settings of basin_path_evaluate_full().  λ = 0, ½ and 1 are always
 * evaluated: a value among them that does not fall on the even grid is
 * inserted into it, so the path may hold up to three more points than
 * @n_points.  With the default range and an odd @n_points, and with
 * [−0.5, 1.5] and @n_points = 4k + 1, all three lie on the grid.
 */
typedef struct {
  double  lambda_min;
  double  lambda_max;
  guint   n_points;
  guint   train_samples;
  guint   test_samples;
  guint64 subset_seed;
} BasinPathOptions;

#define BASIN_PATH_MAX_POINTS 1001

/**
 * BasinPathResult:
 * @path: (transfer full): λ values, loss and accuracy on the train and test
 *   subsets, and the barriers; `path->n_train` and `path->n_test` are the
 *   subset sizes
 * @lambda_min: first λ evaluated
 * @lambda_max: last λ evaluated
 * @index_start: index of λ = 0 (run A) in `path->lambda`
 * @index_midpoint: index of λ = ½
 * @index_end: index of λ = 1 (run B)
 * @midpoint_train_loss: training loss at λ = ½, NaN without training data
 * @midpoint_train_accuracy: training accuracy (fraction) at λ = ½
 * @midpoint_test_loss: test loss at λ = ½
 * @midpoint_test_accuracy: test accuracy (fraction) at λ = ½
 * @train_available: training samples the subset was drawn from
 * @test_available: test samples the subset was drawn from
 * @subset_seed: seed the subsets were drawn with
 *
 * The barriers in @path compare each λ in [0, 1] with the chord between
 * the values at λ = 0 and λ = 1, also when the path extends beyond them:
 * points outside [0, 1] are shown but never count towards a barrier.
 */
typedef struct {
  BasinPath *path;
  double     lambda_min;
  double     lambda_max;
  guint      index_start;
  guint      index_midpoint;
  guint      index_end;
  double     midpoint_train_loss;
  double     midpoint_train_accuracy;
  double     midpoint_test_loss;
  double     midpoint_test_accuracy;
  guint      train_available;
  guint      test_available;
  guint64    subset_seed;
} BasinPathResult;

void             basin_path_options_init_default (BasinPathOptions *options);
gboolean         basin_path_options_validate     (const BasinPathOptions *options,
                                                  GError                **error);
BasinPathResult *basin_path_evaluate_full        (const BasinMlp         *a,
                                                  const BasinMlp         *b,
                                                  const char             *alignment,
                                                  const BasinDataset     *train,
                                                  const BasinDataset     *test,
                                                  const BasinPathOptions *options,
                                                  GCancellable           *cancellable,
                                                  BasinProgressFunc       progress,
                                                  gpointer                user_data,
                                                  GError                **error);
void             basin_path_result_free          (BasinPathResult *result);

/* Planes */

/**
 * BasinPlaneKind:
 * @BASIN_PLANE_MODELS: the plane through θ_A, θ_B and π(θ_B), with an
 *   orthonormal basis, so coordinates are Euclidean distances in weight
 *   space
 * @BASIN_PLANE_RANDOM: around one model along two random directions with
 *   filter normalization (Li et al., *Visualizing the Loss Landscape of
 *   Neural Nets*, NeurIPS 2018).  Coordinates are multiples of the
 *   directions.
 */
typedef enum {
  BASIN_PLANE_MODELS,
  BASIN_PLANE_RANDOM,
} BasinPlaneKind;

/**
 * BasinBiasDirection:
 * @BASIN_BIAS_DIRECTION_ZERO: random directions leave biases and LayerNorm
 *   gains and shifts unchanged, as Li et al. do for biases and batch norm
 * @BASIN_BIAS_DIRECTION_NORMALIZED: each bias, gain and shift vector of a
 *   layer gets a random direction rescaled to the norm of the model's
 *   vector
 */
typedef enum {
  BASIN_BIAS_DIRECTION_ZERO,
  BASIN_BIAS_DIRECTION_NORMALIZED,
} BasinBiasDirection;

#define BASIN_PLANE_MAX_MODELS 3

/**
 * BasinPlane:
 * @kind: how the plane was built
 * @n_anchors: number of networks the plane is spanned by, 3
 * @anchors: (array length=n_anchors): networks in effective-weight form
 *   (no fixed parts) of one structure.  For %BASIN_PLANE_MODELS they are
 *   θ_A, θ_B and π(θ_B), with a unit direction in place of π(θ_B) when
 *   @degenerate; for %BASIN_PLANE_RANDOM the model and its two directions.
 *   Directions have zero σ-MLP gates.
 * @coefficients: the point at plane coordinates (x, y) has the parameters
 *   `Σ_k c_k θ_k` over the anchors, with
 *   `c_k = coefficients[k][0] + coefficients[k][1] x + coefficients[k][2] y`
 * @n_models: models that lie in the plane
 * @model_labels: (array length=n_models): their labels: "A", "B" and
 *   "π(B)", or the label given to basin_plane_new_random()
 * @model_x: (array length=n_models): their first coordinates
 * @model_y: (array length=n_models): their second coordinates
 * @degenerate: %TRUE when π(θ_B) lies on the line through θ_A and θ_B,
 *   as after a matching that is the identity.  The second axis is then a
 *   random unit direction orthogonal to the first, and π(B) is marked at
 *   its projection onto the line.
 * @direction_seeds: seeds of the random directions; for
 *   %BASIN_PLANE_MODELS only the first is used, and only if @degenerate
 * @x_label: axis title of the first coordinate (translated)
 * @y_label: axis title of the second coordinate (translated)
 *
 * A plane in weight space with its coordinate system.  For
 * %BASIN_PLANE_MODELS the origin is θ_A, the first axis points to θ_B, and
 * the second is the part of π(θ_B) − θ_A orthogonal to it, from
 * Gram–Schmidt in double precision over all parameters.  So θ_A is at
 * (0, 0), θ_B at (‖θ_B − θ_A‖, 0), and π(θ_B) at a point with a positive
 * second coordinate.
 */
typedef struct {
  BasinPlaneKind kind;
  guint          n_anchors;
  BasinMlp      *anchors[BASIN_PLANE_MAX_MODELS];
  double         coefficients[BASIN_PLANE_MAX_MODELS][3];
  guint          n_models;
  char          *model_labels[BASIN_PLANE_MAX_MODELS];
  double         model_x[BASIN_PLANE_MAX_MODELS];
  double         model_y[BASIN_PLANE_MAX_MODELS];
  gboolean       degenerate;
  guint64        direction_seeds[2];
  char          *x_label;
  char          *y_label;
} BasinPlane;

BasinPlane *basin_plane_new_models (const BasinMlp *a,
                                    const BasinMlp *b,
                                    const BasinMlp *aligned_b,
                                    guint64         seed,
                                    GError        **error);
BasinPlane *basin_plane_new_random (const BasinMlp     *model,
                                    const char         *label,
                                    guint64             seed_x,
                                    guint64             seed_y,
                                    BasinBiasDirection  bias_direction,
                                    GError            **error);
void        basin_plane_free       (BasinPlane *plane);
void        basin_plane_point      (const BasinPlane *plane,
                                    double            x,
                                    double            y,
                                    BasinMlp         *out);

/* Landscapes over a plane */

#define BASIN_LANDSCAPE_MAX_RESOLUTION 101

/**
 * BasinLandscapeOptions:
 * @n_x: grid points along the first axis, 2 to
 *   %BASIN_LANDSCAPE_MAX_RESOLUTION (default 21)
 * @n_y: grid points along the second axis (default 21)
 * @margin: for %BASIN_PLANE_MODELS, space left around the models on each
 *   side, as a fraction of the larger side of their bounding box (default
 *   0.25)
 * @radius: for %BASIN_PLANE_RANDOM, the grid covers [−@radius, @radius]
 *   on both axes (default 1)
 * @fixed_extent: use @x_min … @y_max instead of @margin and @radius
 * @x_min: first coordinate of the left grid column
 * @x_max: first coordinate of the right grid column
 * @y_min: second coordinate of the bottom grid row
 * @y_max: second coordinate of the top grid row
 * @n_samples: samples of the dataset to evaluate on, drawn once without
 *   replacement with @subset_seed; 0 means all (default 10,000)
 * @subset_seed: seed of the evaluation subset
 * @coarse_stride: stride of the first level, which evaluates every
 *   @coarse_stride-th point in each direction.  Each next level halves the
 *   stride.  A power of two up to 16, 1 for a single level (default 4,
 *   giving three levels)
 * @n_workers: threads that evaluate grid points, each with one OpenBLAS
 *   thread; 1 evaluates on the calling thread with OpenBLAS's own thread
 *   count; 0 picks the number of processors (default)
 */
typedef struct {
  guint    n_x;
  guint    n_y;
  double   margin;
  double   radius;
  gboolean fixed_extent;
  double   x_min;
  double   x_max;
  double   y_min;
  double   y_max;
  guint    n_samples;
  guint64  subset_seed;
  guint    coarse_stride;
  guint    n_workers;
} BasinLandscapeOptions;

/**
 * BasinLandscapeMarker:
 * @label: short label, such as "A" or "π(B)"
 * @x: first plane coordinate
 * @y: second plane coordinate
 * @loss: mean cross-entropy at exactly (@x, @y) on the evaluation subset,
 *   NaN until computed
 * @accuracy: accuracy there, as a fraction
 * @computed: %TRUE once @loss and @accuracy are set, during the first level
 */
typedef struct {
  char     *label;
  double    x;
  double    y;
  double    loss;
  double    accuracy;
  gboolean  computed;
} BasinLandscapeMarker;

/**
 * BasinLandscapeSegment:
 * @label: translated legend text, such as "Unaligned path"
 * @start: index of the marker at λ = 0
 * @end: index of the marker at λ = 1
 *
 * A straight merge path, which is a segment in the plane.
 */
typedef struct {
  char  *label;
  guint  start;
  guint  end;
} BasinLandscapeSegment;

/**
 * BasinLandscape:
 * @kind: the kind of plane
 * @x_label: axis title of the first coordinate
 * @y_label: axis title of the second coordinate
 * @equal_aspect: %TRUE when both coordinates are distances in the same
 *   unit, so a figure should scale both axes alike
 * @n_x: grid columns
 * @n_y: grid rows
 * @x_min: first coordinate of column 0
 * @x_max: first coordinate of column @n_x − 1
 * @y_min: second coordinate of row 0
 * @y_max: second coordinate of row @n_y − 1
 * @x: (array length=n_x): first coordinate of each column
 * @y: (array length=n_y): second coordinate of each row
 * @loss: @n_y × @n_x mean cross-entropy values, row-major, row 0 at
 *   @y_min; NaN where not computed yet
 * @accuracy: @n_y × @n_x accuracies as fractions, NaN where not computed
 * @level: @n_y × @n_x, the level (1 = coarsest) that computed each point,
 *   0 where not computed
 * @coarse_stride: grid stride of the first level
 * @n_levels: levels of the progressive evaluation
 * @levels_done: levels finished so far
 * @n_computed: grid points computed so far
 * @loss_min: smallest computed loss, NaN before the first level
 * @loss_max: largest computed loss
 * @markers: (array length=n_markers): the models in the plane
 * @n_markers: number of markers
 * @segments: (array length=n_segments): the straight merge paths
 * @n_segments: number of segments
 * @dataset_name: name of the evaluation dataset
 * @n_available: samples in that dataset
 * @n_samples: samples in the evaluation subset
 * @sample_rows: (array length=n_samples): the rows of the subset,
 *   increasing; every level uses the same rows
 * @subset_seed: seed the subset was drawn with
 * @n_workers: threads basin_landscape_evaluate() uses, from the options
 * @elapsed: seconds spent in basin_landscape_evaluate()
 *
 * Everything a figure of a loss landscape needs: the grid with its
 * coordinates and which points are computed, the models with their own
 * values, and the merge paths between them.
 */
typedef struct {
  BasinPlaneKind         kind;
  char                  *x_label;
  char                  *y_label;
  gboolean               equal_aspect;
  guint                  n_x;
  guint                  n_y;
  double                 x_min;
  double                 x_max;
  double                 y_min;
  double                 y_max;
  double                *x;
  double                *y;
  double                *loss;
  double                *accuracy;
  guint8                *level;
  guint                  coarse_stride;
  guint                  n_levels;
  guint                  levels_done;
  guint                  n_computed;
  double                 loss_min;
  double                 loss_max;
  BasinLandscapeMarker  *markers;
  guint                  n_markers;
  BasinLandscapeSegment *segments;
  guint                  n_segments;
  char                  *dataset_name;
  guint                  n_available;
  guint                  n_samples;
  guint32               *sample_rows;
  guint64                subset_seed;
  guint                  n_workers;
  double                 elapsed;
} BasinLandscape;

/**
 * BasinLandscapeProgress:
 * @level: the level just finished, from 1
 * @n_levels: levels in total
 * @n_computed: grid points computed so far
 * @n_points: grid points in total
 * @elapsed: seconds since basin_landscape_evaluate() started
 * @remaining: estimated seconds until the last level is done
 */
typedef struct {
  guint  level;
  guint  n_levels;
  guint  n_computed;
  guint  n_points;
  double elapsed;
  double remaining;
} BasinLandscapeProgress;

/**
 * BasinLandscapeFunc:
 * @landscape: the landscape, with the finished levels filled in
 * @progress: the level, the number of computed points and the time
 * @user_data: closure data
 *
 * Called on the thread that runs basin_landscape_evaluate() after each
 * level, while no worker writes to @landscape.  The callback may copy the
 * landscape with basin_landscape_copy() or cancel the evaluation.
 */
typedef void (*BasinLandscapeFunc) (const BasinLandscape         *landscape,
                                    const BasinLandscapeProgress *progress,
                                    gpointer                      user_data);

void            basin_landscape_options_init_default (BasinLandscapeOptions *options);
gboolean        basin_landscape_options_validate     (const BasinLandscapeOptions *options,
                                                      GError                     **error);
BasinLandscape *basin_landscape_new      (const BasinPlane            *plane,
                                          const BasinDataset          *dataset,
                                          const BasinLandscapeOptions *options,
                                          GError                     **error);
gboolean        basin_landscape_evaluate (BasinLandscape              *landscape,
                                          const BasinPlane            *plane,
                                          const BasinDataset          *dataset,
                                          BasinLandscapeFunc           level_done,
                                          gpointer                     level_data,
                                          GCancellable                *cancellable,
                                          BasinProgressFunc            progress,
                                          gpointer                     user_data,
                                          GError                     **error);
BasinLandscape *basin_landscape_copy     (const BasinLandscape *landscape);
void            basin_landscape_free     (BasinLandscape *landscape);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinPathResult, basin_path_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinPlane, basin_plane_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinLandscape, basin_landscape_free)

G_END_DECLS
