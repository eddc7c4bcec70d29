/* basin-experiment-json.c: reading and writing experiments as JSON.
 *
 * An experiment is an object with the members "name", "data", "model",
 * "training", "seeds" and "analysis"; README.md documents every key.
 * Missing keys take the defaults of basin_experiment_new(), and a key of
 * the wrong type is an error that names it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <glib/gstdio.h>

#include "basin-error.h"
#include "basin-experiment.h"

static const char *optimizer_names[] = { "adamw", "sgd" };

static void
add_uint (JsonBuilder *builder,
          const char  *key,
          guint64      value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, (gint64) value);
}

static void
add_double (JsonBuilder *builder,
            const char  *key,
            double       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_double_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_boolean (JsonBuilder *builder,
             const char  *key,
             gboolean     value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_boolean_value (builder, value);
}

static void
build_data (JsonBuilder           *b,
            const BasinExperiment *e)
{
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  add_string (b, "kind", basin_data_kind_to_string (e->data_kind));
  add_string (b, "path", e->data_path);
  add_string (b, "test_path", e->test_path);
  add_string (b, "label", e->label_column);
  add_boolean (b, "standardize", e->standardize);
  add_uint (b, "samples", e->n_samples);
  add_double (b, "noise", e->noise);
  add_double (b, "test_fraction", e->test_fraction);
  add_uint (b, "seed", e->data_seed);
  add_uint (b, "train_limit", e->train_limit);
  add_double (b, "validation_fraction", e->validation_fraction);
  add_double (b, "inner_radius", e->inner_radius);
  add_double (b, "turns", e->turns);
  add_uint (b, "classes", e->n_classes);
  add_uint (b, "subspace_dim", e->subspace_dim);
  add_uint (b, "input_dim", e->input_dim);
  add_double (b, "separation", e->separation);
  add_uint (b, "structure_seed", e->structure_seed);
  json_builder_end_object (b);
}

/* Writes the per-layer lists, with null where a layer takes the default;
 * a list is left out when no layer overrides it. */
static void
build_layer_overrides (JsonBuilder          *b,
                       const BasinMlpConfig *m)
{
  const char *keys[] = { "n_fixed_per_layer", "sigma_f_per_layer" };
  guint8 flags[] = { BASIN_OVERRIDE_N_FIXED, BASIN_OVERRIDE_SIGMA_F };

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      gboolean any = FALSE;

      for (guint l = 0; l <= m->depth && l < BASIN_MAX_LAYERS; l++)
        any |= (m->layer_override[l] & flags[k]) != 0;
      if (!any)
        continue;

      json_builder_set_member_name (b, keys[k]);
      json_builder_begin_array (b);
      for (guint l = 0; l <= m->depth && l < BASIN_MAX_LAYERS; l++)
        {
          if (!(m->layer_override[l] & flags[k]))
            json_builder_add_null_value (b);
          else if (flags[k] == BASIN_OVERRIDE_N_FIXED)
            json_builder_add_int_value (b, m->n_fixed_layer[l]);
          else
            json_builder_add_double_value (b, m->sigma_f_layer[l]);
        }
      json_builder_end_array (b);
    }
}

static void
build_model (JsonBuilder          *b,
             const BasinMlpConfig *m)
{
  json_builder_set_member_name (b, "model");
  json_builder_begin_object (b);
  add_uint (b, "depth", m->depth);
  add_uint (b, "width", m->width);
  add_string (b, "activation", basin_activation_to_string (m->activation));
  add_boolean (b, "layer_norm", m->layer_norm);
  add_boolean (b, "layer_norm_affine", !m->layer_norm_no_affine);
  add_string (b, "variant", basin_variant_to_string (m->variant));
  add_double (b, "sigma_f", m->sigma_f);
  add_uint (b, "n_fixed_hidden", m->n_fixed_hidden);
  add_uint (b, "n_fixed_last", m->n_fixed_last);
  add_uint (b, "mask_seed", m->mask_seed);
  build_layer_overrides (b, m);
  json_builder_end_object (b);
}

static void
build_training (JsonBuilder            *b,
                const BasinTrainConfig *t)
{
  json_builder_set_member_name (b, "training");
  json_builder_begin_object (b);
  add_string (b, "optimizer", optimizer_names[t->optimizer]);
  add_double (b, "learning_rate", t->learning_rate);
  add_double (b, "weight_decay", t->weight_decay);
  add_double (b, "beta1", t->beta1);
  add_double (b, "beta2", t->beta2);
  add_double (b, "epsilon", t->epsilon);
  add_double (b, "momentum", t->momentum);
  add_uint (b, "batch_size", t->batch_size);
  add_uint (b, "epochs", t->epochs);
  add_string (b, "schedule", basin_schedule_to_string (t->schedule));
  add_double (b, "warmup_epochs", t->warmup_epochs);
  add_double (b, "clip_norm", t->clip_norm);
  json_builder_end_object (b);
}

/**
 * basin_experiment_to_json:
 * @experiment: the settings
 *
 * Returns: (transfer full): a JSON object that basin_experiment_from_json()
 *   turns back into an equal experiment
 */
JsonNode *
basin_experiment_to_json (const BasinExperiment *e)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "name", e->name);
  build_data (b, e);
  build_model (b, &e->model);
  build_training (b, &e->train);

  json_builder_set_member_name (b, "seeds");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (e->seeds); i++)
    json_builder_add_int_value (b, (gint64) e->seeds[i]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "analysis");
  json_builder_begin_object (b);
  add_uint (b, "eval_samples", e->eval_samples);
  add_boolean (b, "eval_on_train", e->eval_on_train);
  add_boolean (b, "eval_random", e->eval_random);
  add_uint (b, "path_points", e->path_points);
  add_uint (b, "path_train_samples", e->path_train_samples);
  add_boolean (b, "weight_matching", e->weight_matching);
  add_boolean (b, "track_identifiability", e->track_identifiability);
  add_uint (b, "random_permutations", e->random_permutations);
  add_double (b, "lambda_min", e->lambda_min);
  add_double (b, "lambda_max", e->lambda_max);
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
type_error (const char *section,
            const char *key,
            const char *expected,
            GError    **error)
{
  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
               _("Experiment key “%s.%s” must be %s."), section, key, expected);
  return FALSE;
}

/* Reads an optional non-negative integer member into @out. */
static gboolean
read_uint (JsonObject *object,
           const char *section,
           const char *key,
           guint64     max,
           guint64    *out,
           GError    **error)
{
  JsonNode *node = json_object_get_member (object, key);
  gint64 value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return type_error (section, key, _("a whole number"), error);

  value = json_node_get_int (node);
  if (value < 0 || (guint64) value > max)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("Experiment key “%s.%s” is %" PRId64
                     "; use 0 to %" PRIu64 "."),
                   section, key, value, max);
      return FALSE;
    }
  *out = (guint64) value;
  return TRUE;
}

static gboolean
read_guint (JsonObject *object,
            const char *section,
            const char *key,
            guint      *out,
            GError    **error)
{
  guint64 value = *out;

  if (!read_uint (object, section, key, G_MAXUINT, &value, error))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

static gboolean
read_double (JsonObject *object,
             const char *section,
             const char *key,
             double     *out,
             GError    **error)
{
  JsonNode *node = json_object_get_member (object, key);
  GType type;

  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return type_error (section, key, _("a number"), error);

  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
read_boolean (JsonObject *object,
              const char *section,
              const char *key,
              gboolean   *out,
              GError    **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return type_error (section, key, _("true or false"), error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Reads an optional string member; a JSON null leaves *out as NULL. */
static gboolean
read_string (JsonObject  *object,
             const char  *section,
             const char  *key,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_clear_pointer (out, g_free);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return type_error (section, key, _("a string"), error);

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
unknown_name (const char *section,
              const char *key,
              const char *value,
              const char *choices,
              GError    **error)
{
  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
               _("Experiment key “%s.%s” is “%s”; use one of %s."),
               section, key, value != NULL ? value : "", choices);
  return FALSE;
}

static JsonObject *
get_section (JsonObject *root,
             const char *name,
             GError    **error)
{
  JsonNode *node = json_object_get_member (root, name);
  static JsonObject *empty;

  if (node == NULL)
    {
      if (g_once_init_enter (&empty))
        g_once_init_leave (&empty, json_object_new ());
      return empty;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("Experiment key “%s” must be an object."), name);
      return NULL;
    }
  return json_node_get_object (node);
}

/* Reads the CSV label column, given as a name or a 1-based number. */
static gboolean
read_label (JsonObject  *object,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, "label");

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      if (json_node_get_int (node) < 1)
        return type_error ("data", "label", _("a column name or a number from 1"), error);
      g_free (*out);
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }
  return read_string (object, "data", "label", out, error);
}

static gboolean
parse_data (JsonObject      *root,
            BasinExperiment *e,
            GError         **error)
{
  JsonObject *o = get_section (root, "data", error);
  g_autofree char *kind = g_strdup (basin_data_kind_to_string (e->data_kind));

  if (o == NULL
      || !read_string (o, "data", "kind", &kind, error)
      || !read_string (o, "data", "path", &e->data_path, error)
      || !read_string (o, "data", "test_path", &e->test_path, error)
      || !read_label (o, &e->label_column, error)
      || !read_boolean (o, "data", "standardize", &e->standardize, error)
      || !read_guint (o, "data", "samples", &e->n_samples, error)
      || !read_double (o, "data", "noise", &e->noise, error)
      || !read_double (o, "data", "test_fraction", &e->test_fraction, error)
      || !read_uint (o, "data", "seed", G_MAXINT64, &e->data_seed, error)
      || !read_guint (o, "data", "train_limit", &e->train_limit, error)
      || !read_double (o, "data", "validation_fraction", &e->validation_fraction, error)
      || !read_double (o, "data", "inner_radius", &e->inner_radius, error)
      || !read_double (o, "data", "turns", &e->turns, error)
      || !read_guint (o, "data", "classes", &e->n_classes, error)
      || !read_guint (o, "data", "subspace_dim", &e->subspace_dim, error)
      || !read_guint (o, "data", "input_dim", &e->input_dim, error)
      || !read_double (o, "data", "separation", &e->separation, error)
      || !read_uint (o, "data", "structure_seed", G_MAXINT64, &e->structure_seed, error))
    return FALSE;

  if (!basin_data_kind_from_string (kind, &e->data_kind))
    return unknown_name ("data", "kind", kind,
                         "moons, circles, spirals, xor, blobs, gaussian, fashion-mnist, idx, csv",
                         error);
  return TRUE;
}

/* Reads a per-layer list of numbers or nulls into the config's overrides. */
static gboolean
read_layer_list (JsonObject     *object,
                 const char     *key,
                 guint8          flag,
                 BasinMlpConfig *m,
                 GError        **error)
{
  JsonNode *node = json_object_get_member (object, key);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  if (array == NULL || json_array_get_length (array) > BASIN_MAX_LAYERS)
    return type_error ("model", key, _("a list with one number or null per layer"), error);

  for (guint l = 0; l < json_array_get_length (array); l++)
    {
      JsonNode *item = json_array_get_element (array, l);
      GType type = JSON_NODE_HOLDS_VALUE (item) ? json_node_get_value_type (item) : G_TYPE_INVALID;

      m->layer_override[l] &= ~flag;
      if (JSON_NODE_HOLDS_NULL (item))
        continue;
      if ((type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
          || (flag == BASIN_OVERRIDE_N_FIXED
              && (type != G_TYPE_INT64 || json_node_get_int (item) < 0)))
        return type_error ("model", key, _("a list with one number or null per layer"), error);

      m->layer_override[l] |= flag;
      if (flag == BASIN_OVERRIDE_N_FIXED)
        m->n_fixed_layer[l] = (guint) json_node_get_int (item);
      else
        m->sigma_f_layer[l] = json_node_get_double (item);
    }
  return TRUE;
}

static gboolean
parse_model (JsonObject      *root,
             BasinExperiment *e,
             GError         **error)
{
  JsonObject *o = get_section (root, "model", error);
  BasinMlpConfig *m = &e->model;
  g_autofree char *activation = g_strdup (basin_activation_to_string (m->activation));
  g_autofree char *variant = g_strdup (basin_variant_to_string (m->variant));
  gboolean affine = !m->layer_norm_no_affine;

  if (o == NULL
      || !read_guint (o, "model", "depth", &m->depth, error)
      || !read_guint (o, "model", "width", &m->width, error)
      || !read_string (o, "model", "activation", &activation, error)
      || !read_boolean (o, "model", "layer_norm", &m->layer_norm, error)
      || !read_string (o, "model", "variant", &variant, error)
      || !read_double (o, "model", "sigma_f", &m->sigma_f, error)
      || !read_guint (o, "model", "n_fixed_hidden", &m->n_fixed_hidden, error)
      || !read_guint (o, "model", "n_fixed_last", &m->n_fixed_last, error)
      || !read_uint (o, "model", "mask_seed", G_MAXINT64, &m->mask_seed, error)
      || !read_boolean (o, "model", "layer_norm_affine", &affine, error)
      || !read_layer_list (o, "n_fixed_per_layer", BASIN_OVERRIDE_N_FIXED, m, error)
      || !read_layer_list (o, "sigma_f_per_layer", BASIN_OVERRIDE_SIGMA_F, m, error))
    return FALSE;
  m->layer_norm_no_affine = !affine;

  if (!basin_activation_from_string (activation, &m->activation))
    return unknown_name ("model", "activation", activation,
                         "relu, gelu, tanh, sigmoid, identity", error);
  if (!basin_variant_from_string (variant, &m->variant))
    return unknown_name ("model", "variant", variant, "standard, w-asymmetric, noise", error);
  return TRUE;
}

static gboolean
parse_training (JsonObject      *root,
                BasinExperiment *e,
                GError         **error)
{
  JsonObject *o = get_section (root, "training", error);
  BasinTrainConfig *t = &e->train;
  g_autofree char *optimizer = g_strdup (optimizer_names[t->optimizer]);
  g_autofree char *schedule = g_strdup (basin_schedule_to_string (t->schedule));

  if (o == NULL
      || !read_string (o, "training", "optimizer", &optimizer, error)
      || !read_double (o, "training", "learning_rate", &t->learning_rate, error)
      || !read_double (o, "training", "weight_decay", &t->weight_decay, error)
      || !read_double (o, "training", "beta1", &t->beta1, error)
      || !read_double (o, "training", "beta2", &t->beta2, error)
      || !read_double (o, "training", "epsilon", &t->epsilon, error)
      || !read_double (o, "training", "momentum", &t->momentum, error)
      || !read_guint (o, "training", "batch_size", &t->batch_size, error)
      || !read_guint (o, "training", "epochs", &t->epochs, error)
      || !read_string (o, "training", "schedule", &schedule, error)
      || !read_double (o, "training", "warmup_epochs", &t->warmup_epochs, error)
      || !read_double (o, "training", "clip_norm", &t->clip_norm, error))
    return FALSE;

  if (!basin_schedule_from_string (schedule, &t->schedule))
    return unknown_name ("training", "schedule", schedule,
                         "constant, cosine, linear-warmup", error);

  if (g_strcmp0 (optimizer, "adamw") == 0)
    t->optimizer = BASIN_OPTIMIZER_ADAMW;
  else if (g_strcmp0 (optimizer, "sgd") == 0)
    t->optimizer = BASIN_OPTIMIZER_SGD;
  else
    return unknown_name ("training", "optimizer", optimizer, "adamw, sgd", error);
  return TRUE;
}

static gboolean
parse_seeds_and_analysis (JsonObject      *root,
                          BasinExperiment *e,
                          GError         **error)
{
  JsonNode *seeds = json_object_get_member (root, "seeds");
  JsonObject *o;

  if (seeds != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (seeds) ? json_node_get_array (seeds) : NULL;

      if (array == NULL || json_array_get_length (array) != G_N_ELEMENTS (e->seeds))
        {
          g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                       _("Experiment key “seeds” must be a list of two whole "
                         "numbers, the seeds of run A and run B."));
          return FALSE;
        }
      for (guint i = 0; i < G_N_ELEMENTS (e->seeds); i++)
        e->seeds[i] = (guint64) json_array_get_int_element (array, i);
    }

  o = get_section (root, "analysis", error);
  return o != NULL
         && read_guint (o, "analysis", "eval_samples", &e->eval_samples, error)
         && read_boolean (o, "analysis", "eval_on_train", &e->eval_on_train, error)
         && read_boolean (o, "analysis", "eval_random", &e->eval_random, error)
         && read_guint (o, "analysis", "path_points", &e->path_points, error)
         && read_guint (o, "analysis", "path_train_samples", &e->path_train_samples, error)
         && read_boolean (o, "analysis", "weight_matching", &e->weight_matching, error)
         && read_boolean (o, "analysis", "track_identifiability", &e->track_identifiability,
                          error)
         && read_guint (o, "analysis", "random_permutations", &e->random_permutations, error)
         && read_double (o, "analysis", "lambda_min", &e->lambda_min, error)
         && read_double (o, "analysis", "lambda_max", &e->lambda_max, error);
}

/**
 * basin_experiment_from_json:
 * @node: a JSON object as written by basin_experiment_to_json()
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the experiment, or %NULL if a key
 *   has the wrong type or an unknown value
 */
BasinExperiment *
basin_experiment_from_json (JsonNode *node,
                            GError  **error)
{
  g_autoptr (GError) local_error = NULL;
  BasinExperiment *e;
  JsonObject *root;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("An experiment must be a JSON object."));
      return NULL;
    }

  root = json_node_get_object (node);
  e = basin_experiment_new ();
  if (!read_string (root, "experiment", "name", &e->name, &local_error)
      || !parse_data (root, e, &local_error)
      || !parse_model (root, e, &local_error)
      || !parse_training (root, e, &local_error)
      || !parse_seeds_and_analysis (root, e, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      basin_experiment_free (e);
      return NULL;
    }

  if (e->name == NULL)
    e->name = g_strdup ("experiment");
  return e;
}

/**
 * basin_experiment_load:
 * @path: a JSON file
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the experiment
 */
BasinExperiment *
basin_experiment_load (const char *path,
                       GError    **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  BasinExperiment *e;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("Cannot read the experiment “%s”: %s"), path, local_error->message);
      return NULL;
    }

  e = basin_experiment_from_json (json_parser_get_root (parser), &local_error);
  if (e == NULL)
    g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                 _("Invalid experiment “%s”: %s"), path, local_error->message);
  return e;
}

/**
 * basin_experiment_apply_setting:
 * @experiment: the settings
 * @assignment: "SECTION.KEY=VALUE" or "KEY=VALUE" with a key of the JSON
 *   form, such as "model.width=64", "data.kind=circles" or "seeds=[3, 4]";
 *   VALUE is read as JSON and, if that fails, as a string
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a copy of @experiment with the
 *   setting changed, or %NULL if the key is unknown or the value invalid
 */
BasinExperiment *
basin_experiment_apply_setting (const BasinExperiment *experiment,
                                const char            *assignment,
                                GError               **error)
{
  g_autoptr (JsonNode) root = basin_experiment_to_json (experiment);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_auto (GStrv) sides = g_strsplit (assignment, "=", 2);
  g_auto (GStrv) path = NULL;
  JsonObject *object = json_node_get_object (root);
  JsonNode *value;

  if (g_strv_length (sides) != 2 || sides[0][0] == '\0')
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Invalid setting “%s”: write SECTION.KEY=VALUE, for example "
                     "model.width=64."), assignment);
      return NULL;
    }

  path = g_strsplit (sides[0], ".", 2);
  if (path[1] != NULL)
    {
      JsonNode *section = json_object_get_member (object, path[0]);

      object = section != NULL && JSON_NODE_HOLDS_OBJECT (section)
             ? json_node_get_object (section) : NULL;
    }
  if (object == NULL || !json_object_has_member (object, path[1] != NULL ? path[1] : path[0]))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("Unknown setting “%s”: “basin-cli show-preset moons” lists every key."),
                   sides[0]);
      return NULL;
    }

  if (json_parser_load_from_data (parser, sides[1], -1, NULL)
      && json_parser_get_root (parser) != NULL)
    value = json_node_copy (json_parser_get_root (parser));
  else
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, sides[1]);
    }
  json_object_set_member (object, path[1] != NULL ? path[1] : path[0], value);
  return basin_experiment_from_json (root, error);
}

/**
 * basin_json_to_string:
 * @node: a JSON value
 *
 * Formats @node as indented JSON text.
 *
 * NOTE: json-glib 1.6 (Debian 12) writes a double such as 1e-08 as
 * "1e-08.0", which is not valid JSON; this function removes the stray
 * ".0" after an exponent.
 *
 * Returns: (transfer full): the text
 */
char *
basin_json_to_string (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (GRegex) stray = NULL;
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  stray = g_regex_new ("([0-9]e[-+]?[0-9]+)\\.0\\b", G_REGEX_OPTIMIZE, 0, NULL);
  return g_regex_replace (stray, text, -1, 0, "\\1", 0, NULL);
}

/**
 * basin_experiment_save:
 * @experiment: the settings
 * @path: destination; replaced atomically, so a failed write keeps the old file
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
basin_experiment_save (const BasinExperiment *experiment,
                       const char            *path,
                       GError               **error)
{
  g_autoptr (JsonNode) root = basin_experiment_to_json (experiment);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *text = basin_json_to_string (root);

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, &local_error))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_IO,
                   _("Cannot save the experiment to “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
