/* basin-experiment.h: the settings of an experiment, stored as JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "basin-mlp.h"
#include "basin-train.h"

G_BEGIN_DECLS

typedef enum {
  BASIN_DATA_MOONS,
  BASIN_DATA_FASHION_MNIST,
  BASIN_DATA_IDX,
  BASIN_DATA_CIRCLES,
  BASIN_DATA_SPIRALS,
  BASIN_DATA_XOR,
  BASIN_DATA_BLOBS,
  BASIN_DATA_GAUSSIAN,
  BASIN_DATA_CSV,
} BasinDataKind;

/**
 * BasinExperiment:
 * @name: display name
 * @data_kind: where the data comes from
 * @data_path: (nullable): IDX directory for %BASIN_DATA_IDX and
 *   %BASIN_DATA_FASHION_MNIST (default: %BASIN_FASHION_MNIST_DIR), or the
 *   training file of %BASIN_DATA_CSV
 * @test_path: (nullable): test file of %BASIN_DATA_CSV; without one the
 *   CSV file is split like generated data
 * @label_column: (nullable): name or 1-based number of the CSV label
 *   column; %NULL for the last column
 * @standardize: scale CSV features to zero mean and unit variance, with
 *   statistics of the training part
 * @n_samples: generated samples, train and test together
 * @noise: standard deviation of the noise of generated data
 * @test_fraction: share of generated samples kept for testing
 * @data_seed: seed of the generated data and its split (for Gaussian
 *   data, of the samples)
 * @inner_radius: radius of the inner ring of circles, in (0, 1)
 * @turns: turns of each spiral
 * @n_classes: classes of blobs and Gaussian-mixture data
 * @subspace_dim: dimension k of the subspace Gaussian-mixture data lies in
 * @input_dim: input dimension d of Gaussian-mixture data
 * @separation: distance scale of the Gaussian class means
 * @structure_seed: seed of the subspace and the class means
 * @train_limit: use at most this many training samples, 0 for all
 * @validation_fraction: share of the training samples held out, at random
 *   from the data seed, to measure validation loss after each epoch; 0 for
 *   none
 * @model: the architecture; input and output sizes come from the data
 * @train: optimizer, batch size and epochs
 * @seeds: initialization and shuffling seeds of run A and run B
 * @eval_samples: inputs on which activations are recorded for matching
 * @eval_on_train: record them on training instead of test inputs
 * @eval_random: take a random subset (from the data seed) instead of the
 *   first @eval_samples inputs
 * @path_points: values of λ on each merge path
 * @path_train_samples: training samples the paths are evaluated on
 * @weight_matching: also align B by weight matching and evaluate that path
 * @track_identifiability: match the runs after every epoch while training
 * @random_permutations: random permutations the identity objective is
 *   compared with
 * @lambda_min: start of the merge paths, at most 0 (−0.5 extrapolates)
 * @lambda_max: end of the merge paths, at least 1
 */
typedef struct {
  char            *name;
  BasinDataKind    data_kind;
  char            *data_path;
  char            *test_path;
  char            *label_column;
  gboolean         standardize;
  guint            n_samples;
  double           noise;
  double           test_fraction;
  guint64          data_seed;
  double           inner_radius;
  double           turns;
  guint            n_classes;
  guint            subspace_dim;
  guint            input_dim;
  double           separation;
  guint64          structure_seed;
  guint            train_limit;
  double           validation_fraction;
  BasinMlpConfig   model;
  BasinTrainConfig train;
  guint64          seeds[2];
  guint            eval_samples;
  gboolean         eval_on_train;
  gboolean         eval_random;
  guint            path_points;
  guint            path_train_samples;
  gboolean         weight_matching;
  gboolean         track_identifiability;
  guint            random_permutations;
  double           lambda_min;
  double           lambda_max;
} BasinExperiment;

/* The preset that `basin` and `basin-cli run` start with. */
#define BASIN_DEFAULT_PRESET "moons"

const char      *basin_data_kind_to_string   (BasinDataKind kind);
gboolean         basin_data_kind_from_string (const char    *name,
                                              BasinDataKind *out);

BasinExperiment *basin_experiment_new        (void);
BasinExperiment *basin_experiment_copy       (const BasinExperiment *experiment);
void             basin_experiment_free       (BasinExperiment *experiment);
const char *const *basin_experiment_list_presets (void);
BasinExperiment *basin_experiment_new_preset (const char *name,
                                              GError    **error);
gboolean         basin_experiment_validate   (const BasinExperiment *experiment,
                                              const char           **field_out,
                                              GError               **error);

JsonNode        *basin_experiment_to_json    (const BasinExperiment *experiment);
BasinExperiment *basin_experiment_from_json  (JsonNode   *node,
                                              GError    **error);
BasinExperiment *basin_experiment_load       (const char *path,
                                              GError    **error);
gboolean         basin_experiment_save       (const BasinExperiment *experiment,
                                              const char            *path,
                                              GError               **error);

BasinExperiment *basin_experiment_apply_setting (const BasinExperiment *experiment,
                                                 const char            *assignment,
                                                 GError               **error);
char            *basin_json_to_string        (JsonNode   *node);

G_END_DECLS
