/* basin-session-summary.c: the JSON summary of a session, as README.md
 * documents it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "basin-session.h"

static void
add_double_array (JsonBuilder  *b,
                  const char   *key,
                  const double *values,
                  guint         n)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    if (isfinite (values[i]))
      json_builder_add_double_value (b, values[i]);
    else
      json_builder_add_null_value (b);
  json_builder_end_array (b);
}

static void
add_number (JsonBuilder *b,
            const char  *key,
            double       value)
{
  json_builder_set_member_name (b, key);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static double
last_value (GArray *array)
{
  return array->len > 0 ? g_array_index (array, double, array->len - 1) : NAN;
}

static void
build_runs (JsonBuilder        *b,
            const BasinSession *self)
{
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      const BasinHistory *h = self->history[r];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, basin_run_name (r));
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) self->experiment->seeds[r]);
      add_number (b, "test_accuracy", last_value (h->test_accuracy));
      add_number (b, "test_loss", last_value (h->test_loss));
      add_number (b, "train_loss", last_value (h->train_loss));
      add_number (b, "train_accuracy", last_value (h->train_accuracy));
      add_number (b, "validation_loss", last_value (h->validation_loss));
      add_number (b, "validation_accuracy", last_value (h->validation_accuracy));
      add_double_array (b, "history_test_accuracy", (double *) h->test_accuracy->data,
                        h->test_accuracy->len);
      add_double_array (b, "history_train_loss", (double *) h->train_loss->data,
                        h->train_loss->len);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_path (JsonBuilder     *b,
            const BasinPath *path)
{
  guint mid = path->n_points / 2;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "alignment");
  json_builder_add_string_value (b, path->alignment);
  add_number (b, "loss_barrier", path->loss_barrier);
  add_number (b, "accuracy_barrier", path->accuracy_barrier);
  add_number (b, "train_loss_barrier", path->train_loss_barrier);
  add_number (b, "train_accuracy_barrier", path->train_accuracy_barrier);
  add_number (b, "midpoint_lambda", path->lambda[mid]);
  add_number (b, "midpoint_test_loss", path->test_loss[mid]);
  add_number (b, "midpoint_test_accuracy", path->test_accuracy[mid]);
  json_builder_set_member_name (b, "train_samples");
  json_builder_add_int_value (b, path->n_train);
  json_builder_set_member_name (b, "test_samples");
  json_builder_add_int_value (b, path->n_test);
  add_double_array (b, "lambda", path->lambda, path->n_points);
  add_double_array (b, "test_loss", path->test_loss, path->n_points);
  add_double_array (b, "test_accuracy", path->test_accuracy, path->n_points);
  add_double_array (b, "train_loss", path->train_loss, path->n_points);
  add_double_array (b, "train_accuracy", path->train_accuracy, path->n_points);
  json_builder_end_object (b);
}

static void
build_layer_statistics (JsonBuilder        *b,
                        const BasinSession *self,
                        guint               l)
{
  const BasinLayerIdentifiability *stats = &self->identifiability->layers[l];

  add_number (b, "objective_ratio", stats->objective_ratio);
  json_builder_set_member_name (b, "random_permutations");
  json_builder_add_int_value (b, stats->n_random);
  add_number (b, "random_objective_mean", stats->random_mean);
  add_number (b, "random_objective_std", stats->random_std);
  add_number (b, "random_below_identity", stats->random_below_identity);
}

static void
build_layers (JsonBuilder        *b,
              const BasinSession *self)
{
  const BasinMatching *m = self->matching;
  const BasinMatching *w = self->weight_matching;

  json_builder_set_member_name (b, "layers");
  json_builder_begin_array (b);
  for (guint l = 0; m != NULL && l < m->n_layers; l++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, l);
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, m->widths[l]);
      add_number (b, "identity_match_rate", m->identity_rate[l]);
      add_number (b, "mean_matched_correlation", m->mean_correlation[l]);
      add_number (b, "matching_objective", m->objective[l]);
      add_number (b, "identity_objective", m->identity_objective[l]);
      if (self->identifiability != NULL)
        build_layer_statistics (b, self, l);
      if (self->cka != NULL)
        add_number (b, "linear_cka", self->cka[l]);
      if (w != NULL)
        add_number (b, "weight_identity_match_rate", w->identity_rate[l]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_track (JsonBuilder                     *b,
             const BasinIdentifiabilityTrack *track)
{
  json_builder_set_member_name (b, "track");
  json_builder_begin_object (b);
  add_double_array (b, "epochs", (double *) track->epochs->data, track->epochs->len);
  json_builder_set_member_name (b, "layers");
  json_builder_begin_array (b);
  for (guint l = 0; l < track->n_layers; l++)
    {
      json_builder_begin_object (b);
      add_double_array (b, "identity_match_rate", (double *) track->identity_rate[l]->data,
                        track->identity_rate[l]->len);
      add_double_array (b, "objective_ratio", (double *) track->objective_ratio[l]->data,
                        track->objective_ratio[l]->len);
      add_double_array (b, "mean_matched_correlation",
                        (double *) track->mean_correlation[l]->data,
                        track->mean_correlation[l]->len);
      add_double_array (b, "swap_cheap_fraction", (double *) track->swap_cheap[l]->data,
                        track->swap_cheap[l]->len);
      add_double_array (b, "swap_negative_fraction", (double *) track->swap_negative[l]->data,
                        track->swap_negative[l]->len);
      add_double_array (b, "subspace_dim", (double *) track->subspace_dim[l]->data,
                        track->subspace_dim[l]->len);
      add_double_array (b, "coherence", (double *) track->coherence[l]->data,
                        track->coherence[l]->len);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/**
 * basin_session_summary:
 * @session: the session
 *
 * Collects the experiment, each run's final metrics and history, the merge
 * paths with their barriers, the matching statistics of each hidden layer
 * and their track over the epochs, in the form README.md documents.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
basin_session_summary (const BasinSession *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "basin_version");
  json_builder_add_string_value (b, BASIN_VERSION);
  json_builder_set_member_name (b, "experiment");
  json_builder_add_value (b, basin_experiment_to_json (self->experiment));
  json_builder_set_member_name (b, "train_samples");
  json_builder_add_int_value (b, self->train->n_samples);
  json_builder_set_member_name (b, "test_samples");
  json_builder_add_int_value (b, self->test->n_samples);
  json_builder_set_member_name (b, "validation_samples");
  json_builder_add_int_value (b, self->validation != NULL ? self->validation->n_samples : 0);
  build_runs (b, self);

  json_builder_set_member_name (b, "paths");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (self->paths); i++)
    if (self->paths[i] != NULL)
      build_path (b, self->paths[i]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "eval_samples");
  json_builder_add_int_value (b, self->matching != NULL ? self->matching->n_eval : 0);
  if (self->weight_matching != NULL)
    add_number (b, "weight_matching_objective", self->weight_objective);
  build_layers (b, self);
  if (self->track != NULL)
    build_track (b, self->track);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
