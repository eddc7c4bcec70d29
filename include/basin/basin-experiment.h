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
} BasinDataKind;

/**
 * BasinExperiment:
 * @name: display name
 * @data_kind: where the data comes from
 * @data_path: (nullable): IDX directory for %BASIN_DATA_IDX and
 *   %BASIN_DATA_FASHION_MNIST (default: %BASIN_FASHION_MNIST_DIR)
 * @n_samples: generated samples (moons), train and test together
 * @noise: standard deviation of the noise of generated data
 * @test_fraction: share of generated samples kept for testing
 * @data_seed: seed of the generated data and its split
 * @train_limit: use at most this many training samples, 0 for all
 * @validation_fraction: share of the training samples held out, at random
 *   from the data seed, to measure validation loss after each epoch; 0 for
 *   none
 * @model: the architecture; input and output sizes come from the data
 * @train: optimizer, batch size and epochs
 * @seeds: initialization and shuffling seeds of run A and run B
 * @eval_samples: inputs on which activations are recorded for matching
 * @path_points: values of λ on each merge path
 * @path_train_samples: training samples the paths are evaluated on
 */
typedef struct {
  char            *name;
  BasinDataKind    data_kind;
  char            *data_path;
  guint            n_samples;
  double           noise;
  double           test_fraction;
  guint64          data_seed;
  guint            train_limit;
  double           validation_fraction;
  BasinMlpConfig   model;
  BasinTrainConfig train;
  guint64          seeds[2];
  guint            eval_samples;
  guint            path_points;
  guint            path_train_samples;
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

char            *basin_json_to_string        (JsonNode   *node);

G_END_DECLS
