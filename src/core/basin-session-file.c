/* basin-session-file.c: saving and loading sessions, and importing MLPs
 * trained elsewhere.
 *
 * A session file is one safetensors file.  Each run's trainable tensors use
 * PyTorch state_dict names under "runA." and "runB.".  "runA.layers.0.weight"
 * is W of the first layer (out × in) and ".bias" its bias, while
 * "runA.norms.0.weight" and ".bias" are the LayerNorm gain and shift.  Fixed parts shared by the runs
 * are stored once as "shared.layers.L.fixed" (F), ".mask" (D) and ".gate"
 * (the σ-MLP's C).  The metadata contains the experiment and the histories as
 * JSON strings under "basin.experiment", "basin.history.A" and
 * "basin.history.B".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "basin-error.h"
#include "basin-session-file.h"

#define FORMAT_VERSION "1"

static void
add_matrix (BasinTensorFile *file,
            const char      *name,
            guint            rows,
            guint            cols,
            const float     *data)
{
  guint64 shape[2] = { rows, cols };

  if (data != NULL)
    basin_tensor_file_add (file, name, shape, cols > 0 ? 2 : 1, data);
}

static void
add_run (BasinTensorFile *file,
         const BasinMlp  *mlp,
         const char      *prefix)
{
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      g_autofree char *w = g_strdup_printf ("%s.layers.%u.weight", prefix, l);
      g_autofree char *b = g_strdup_printf ("%s.layers.%u.bias", prefix, l);
      g_autofree char *g = g_strdup_printf ("%s.norms.%u.weight", prefix, l);
      g_autofree char *s = g_strdup_printf ("%s.norms.%u.bias", prefix, l);

      add_matrix (file, w, layer->out_dim, layer->in_dim, basin_mlp_weight (mlp, l));
      add_matrix (file, b, layer->out_dim, 0, basin_mlp_bias (mlp, l));
      if (layer->gain_offset != G_MAXSIZE)
        {
          add_matrix (file, g, layer->out_dim, 0, mlp->params + layer->gain_offset);
          add_matrix (file, s, layer->out_dim, 0, mlp->params + layer->shift_offset);
        }
    }
}

static void
add_fixed_parts (BasinTensorFile *file,
                 const BasinMlp  *mlp)
{
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      g_autofree char *f = g_strdup_printf ("shared.layers.%u.fixed", l);
      g_autofree char *d = g_strdup_printf ("shared.layers.%u.mask", l);
      g_autofree char *c = g_strdup_printf ("shared.layers.%u.gate", l);

      add_matrix (file, f, layer->out_dim, layer->in_dim, layer->fixed);
      add_matrix (file, d, layer->out_dim, layer->in_dim, layer->mask);
      add_matrix (file, c, layer->out_dim, layer->out_dim, layer->gate);
    }
}

static JsonNode *
history_to_json (const BasinHistory *h)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const char *keys[] = { "train_loss", "train_accuracy", "test_loss", "test_accuracy",
                         "validation_loss", "validation_accuracy" };
  GArray *arrays[] = { h->train_loss, h->train_accuracy, h->test_loss, h->test_accuracy,
                       h->validation_loss, h->validation_accuracy };

  json_builder_begin_object (b);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      json_builder_set_member_name (b, keys[k]);
      json_builder_begin_array (b);
      for (guint i = 0; i < arrays[k]->len; i++)
        {
          double value = g_array_index (arrays[k], double, i);

          if (isfinite (value))
            json_builder_add_double_value (b, value);
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * basin_session_save:
 * @session: the session
 * @path: destination .safetensors file, replaced atomically
 * @error: return location for a #GError
 *
 * Writes both runs, the shared fixed parts, the experiment and the
 * histories.  `safetensors.torch.load_file` reads the result.
 *
 * Returns: %TRUE on success
 */
gboolean
basin_session_save (const BasinSession *session,
                    const char         *path,
                    GError            **error)
{
  BasinTensorFile *file = basin_tensor_file_new ();
  g_autoptr (JsonNode) experiment = basin_experiment_to_json (session->experiment);
  g_autofree char *experiment_text = basin_json_to_string (experiment);
  gboolean ok;

  basin_tensor_file_set_metadata (file, "format", "pt");
  basin_tensor_file_set_metadata (file, "basin.format", FORMAT_VERSION);
  basin_tensor_file_set_metadata (file, "basin.experiment", experiment_text);
  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      g_autofree char *prefix = g_strdup_printf ("run%s", basin_run_name (r));
      g_autofree char *key = g_strdup_printf ("basin.history.%s", basin_run_name (r));
      g_autoptr (JsonNode) history = history_to_json (session->history[r]);
      g_autofree char *text = basin_json_to_string (history);

      add_run (file, session->runs[r], prefix);
      basin_tensor_file_set_metadata (file, key, text);
    }
  add_fixed_parts (file, session->runs[0]);

  ok = basin_tensor_file_save (file, path, error);
  basin_tensor_file_free (file);
  return ok;
}

/* Copies the tensor @name into @out after checking its shape. */
static gboolean
copy_tensor (const BasinTensorFile *file,
             const char            *path,
             const char            *name,
             guint64                rows,
             guint64                cols,
             float                 *out,
             GError               **error)
{
  const BasinTensor *t = basin_tensor_file_lookup (file, name);
  gboolean shape_ok;

  if (t == NULL)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” lacks the tensor “%s” that this experiment needs."), path, name);
      return FALSE;
    }

  shape_ok = cols == 0 ? t->n_dims == 1 && t->shape[0] == rows
                       : t->n_dims == 2 && t->shape[0] == rows && t->shape[1] == cols;
  if (!shape_ok)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("Tensor “%s” in “%s” has %zu values in the wrong "
                     "shape; expected %" PRIu64 " × %" PRIu64 "."),
                   name, path, t->n_values, rows, MAX (cols, 1));
      return FALSE;
    }
  memcpy (out, t->data, t->n_values * sizeof (float));
  return TRUE;
}

static gboolean
load_run (const BasinTensorFile *file,
          const char            *path,
          const char            *prefix,
          BasinMlp              *mlp,
          GError               **error)
{
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      g_autofree char *w = g_strdup_printf ("%s.layers.%u.weight", prefix, l);
      g_autofree char *b = g_strdup_printf ("%s.layers.%u.bias", prefix, l);
      g_autofree char *g = g_strdup_printf ("%s.norms.%u.weight", prefix, l);
      g_autofree char *s = g_strdup_printf ("%s.norms.%u.bias", prefix, l);

      if (!copy_tensor (file, path, w, layer->out_dim, layer->in_dim,
                        basin_mlp_weight (mlp, l), error)
          || !copy_tensor (file, path, b, layer->out_dim, 0, basin_mlp_bias (mlp, l), error))
        return FALSE;
      if (layer->gain_offset != G_MAXSIZE
          && (!copy_tensor (file, path, g, layer->out_dim, 0,
                            mlp->params + layer->gain_offset, error)
              || !copy_tensor (file, path, s, layer->out_dim, 0,
                               mlp->params + layer->shift_offset, error)))
        return FALSE;
    }
  return TRUE;
}

/* Checks that the fixed parts in the file equal the ones the mask seed
 * gives, so a file from another Basin version cannot silently differ. */
static gboolean
check_fixed_parts (const BasinTensorFile *file,
                   const char            *path,
                   const BasinMlp        *mlp,
                   GError               **error)
{
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      const char *kinds[] = { "fixed", "mask", "gate" };
      const float *parts[] = { layer->fixed, layer->mask, layer->gate };

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          g_autofree char *name = g_strdup_printf ("shared.layers.%u.%s", l, kinds[k]);
          const BasinTensor *t = basin_tensor_file_lookup (file, name);

          if (parts[k] == NULL && t == NULL)
            continue;
          if (parts[k] == NULL || t == NULL
              || memcmp (t->data, parts[k], t->n_values * sizeof (float)) != 0)
            {
              g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                           _("The fixed weights “%s” in “%s” differ from those of the "
                             "experiment's mask seed."), name, path);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void
history_from_json (BasinHistory *h,
                   const char   *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *keys[] = { "train_loss", "train_accuracy", "test_loss", "test_accuracy",
                         "validation_loss", "validation_accuracy" };
  GArray *arrays[] = { h->train_loss, h->train_accuracy, h->test_loss, h->test_accuracy,
                       h->validation_loss, h->validation_accuracy };
  JsonObject *o;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  o = json_node_get_object (json_parser_get_root (parser));
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      JsonArray *values = json_object_has_member (o, keys[k])
                        ? json_object_get_array_member (o, keys[k]) : NULL;

      for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
        {
          JsonNode *node = json_array_get_element (values, i);
          double value = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : NAN;

          g_array_append_val (arrays[k], value);
        }
    }
}

/**
 * basin_session_load:
 * @path: a file written by basin_session_save()
 * @cancellable: (nullable): a #GCancellable for loading the data
 * @error: return location for a #GError
 *
 * Recreates the session: the experiment, its data, both runs with their
 * trained weights and their histories.  The analysis is not stored; run
 * basin_session_analyse() again.
 *
 * Returns: (transfer full) (nullable): the session
 */
BasinSession *
basin_session_load (const char   *path,
                    GCancellable *cancellable,
                    GError      **error)
{
  BasinTensorFile *file = basin_tensor_file_load (path, cancellable, error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  BasinExperiment *experiment = NULL;
  BasinSession *session = NULL;
  const char *text;

  if (file == NULL)
    return NULL;

  text = basin_tensor_file_get_metadata (file, "basin.experiment");
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” is a safetensors file but not a Basin session: it has no "
                     "experiment. Use “basin-cli compare” to analyse other checkpoints."),
                   path);
      goto out;
    }

  experiment = basin_experiment_from_json (json_parser_get_root (parser), error);
  if (experiment == NULL)
    goto out;
  session = basin_session_new (experiment, cancellable, error);
  if (session == NULL)
    goto out;

  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      g_autofree char *prefix = g_strdup_printf ("run%s", basin_run_name (r));
      g_autofree char *key = g_strdup_printf ("basin.history.%s", basin_run_name (r));

      if (!load_run (file, path, prefix, session->runs[r], error))
        {
          g_clear_pointer (&session, basin_session_free);
          goto out;
        }
      history_from_json (session->history[r], basin_tensor_file_get_metadata (file, key));
    }
  if (!check_fixed_parts (file, path, session->runs[0], error))
    g_clear_pointer (&session, basin_session_free);
  else
    session->trained = TRUE;

out:
  basin_experiment_free (experiment);
  basin_tensor_file_free (file);
  return session;
}

/**
 * basin_session_new_from_runs:
 * @experiment: settings whose data the runs are evaluated on
 * @run_a: (transfer full): run A, for instance from basin_mlp_import_state_dict()
 * @run_b: (transfer full): run B, of the same architecture
 * @cancellable: (nullable): a #GCancellable for loading the data
 * @error: return location for a #GError
 *
 * Builds a trained session from two given networks.  Each run's history
 * contains one entry: its loss and accuracy on the experiment's data.
 *
 * Returns: (transfer full) (nullable): the session
 */
BasinSession *
basin_session_new_from_runs (const BasinExperiment *experiment,
                             BasinMlp              *run_a,
                             BasinMlp              *run_b,
                             GCancellable          *cancellable,
                             GError               **error)
{
  BasinExperiment *copy = basin_experiment_copy (experiment);
  BasinMlp *runs[BASIN_N_RUNS] = { run_a, run_b };
  BasinSession *session = NULL;

  copy->model = run_a->config;
  if (!basin_mlp_same_structure (run_a, run_b))
    g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                 _("The two networks differ in architecture; both runs need the same "
                   "layer sizes and normalization."));
  else
    session = basin_session_new (copy, cancellable, error);

  if (session != NULL && (session->train->dim != run_a->config.input_dim
                          || session->train->n_classes > run_a->config.output_dim))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   _("The networks take %u inputs and give %u outputs, but the data has "
                     "%u features and %u classes."), run_a->config.input_dim,
                   run_a->config.output_dim, session->train->dim, session->train->n_classes);
      g_clear_pointer (&session, basin_session_free);
    }

  for (guint r = 0; r < BASIN_N_RUNS; r++)
    {
      double loss, accuracy, nan = NAN;

      if (session == NULL)
        {
          basin_mlp_free (runs[r]);
          continue;
        }
      basin_mlp_free (session->runs[r]);
      session->runs[r] = runs[r];
      basin_mlp_evaluate (runs[r], session->test, &loss, &accuracy, NULL, NULL);
      g_array_append_val (session->history[r]->train_loss, nan);
      g_array_append_val (session->history[r]->train_accuracy, nan);
      g_array_append_val (session->history[r]->test_loss, loss);
      g_array_append_val (session->history[r]->test_accuracy, accuracy);
      g_array_append_val (session->history[r]->validation_loss, nan);
      g_array_append_val (session->history[r]->validation_accuracy, nan);
    }

  if (session != NULL)
    session->trained = TRUE;
  basin_experiment_free (copy);
  return session;
}

/* Compares dotted names part by part, numbers by value, so "layers.10"
 * comes after "layers.9". */
static gint
compare_natural (gconstpointer a,
                 gconstpointer b)
{
  const BasinTensor *ta = *(const BasinTensor **) a, *tb = *(const BasinTensor **) b;
  g_auto (GStrv) pa = g_strsplit (ta->name, ".", -1);
  g_auto (GStrv) pb = g_strsplit (tb->name, ".", -1);

  for (guint i = 0; pa[i] != NULL && pb[i] != NULL; i++)
    {
      char *end_a, *end_b;
      guint64 na = g_ascii_strtoull (pa[i], &end_a, 10);
      guint64 nb = g_ascii_strtoull (pb[i], &end_b, 10);
      int order;

      if (*end_a == '\0' && *end_b == '\0' && end_a != pa[i] && end_b != pb[i])
        order = na < nb ? -1 : na > nb;
      else
        order = g_strcmp0 (pa[i], pb[i]);
      if (order != 0)
        return order;
    }
  return (gint) g_strv_length (pa) - (gint) g_strv_length (pb);
}

typedef struct {
  const BasinTensor *weight;
  const BasinTensor *bias;
} Module;

/* Groups the tensors under @prefix into modules, in natural order. */
static GArray *
collect_modules (const BasinTensorFile *file,
                 const char            *prefix)
{
  g_autoptr (GPtrArray) tensors = g_ptr_array_new ();
  GArray *modules = g_array_new (FALSE, TRUE, sizeof (Module));
  g_autofree char *current = NULL;

  for (guint i = 0; i < basin_tensor_file_get_n_tensors (file); i++)
    {
      const BasinTensor *t = basin_tensor_file_get_tensor (file, i);

      if (g_str_has_prefix (t->name, prefix)
          && (g_str_has_suffix (t->name, ".weight") || g_str_has_suffix (t->name, ".bias")))
        g_ptr_array_add (tensors, (gpointer) t);
    }
  g_ptr_array_sort (tensors, compare_natural);

  for (guint i = 0; i < tensors->len; i++)
    {
      const BasinTensor *t = g_ptr_array_index (tensors, i);
      g_autofree char *module = g_strndup (t->name, strrchr (t->name, '.') - t->name);
      Module *last;

      if (g_strcmp0 (module, current) != 0)
        {
          Module empty = { NULL, NULL };

          g_array_append_val (modules, empty);
          g_free (current);
          current = g_steal_pointer (&module);
        }
      last = &g_array_index (modules, Module, modules->len - 1);
      if (g_str_has_suffix (t->name, ".weight"))
        last->weight = t;
      else
        last->bias = t;
    }
  return modules;
}

static gboolean
import_error (GError    **error,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static gboolean
import_error (GError    **error,
              const char *format,
              ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
               _("Cannot read the checkpoint as an MLP: %s. Basin imports a sequence "
                 "of Linear layers of one hidden width, each hidden one optionally "
                 "followed by a LayerNorm."), detail);
  return FALSE;
}

/* Works out depth, width and normalization from the module sequence: every
 * Linear must take the previous one's outputs, and all hidden ones must
 * have the same width. */
static gboolean
infer_config (GArray         *modules,
              BasinMlpConfig *config,
              GError        **error)
{
  guint n_linear = 0, n_norm = 0;
  guint64 previous_out = 0;

  for (guint i = 0; i < modules->len; i++)
    {
      const Module *m = &g_array_index (modules, Module, i);

      if (m->weight == NULL)
        return import_error (error, "a module has a bias but no weight");
      if (m->weight->n_dims == 2)
        {
          if (n_linear == 0)
            {
              config->input_dim = (guint) m->weight->shape[1];
              config->width = (guint) m->weight->shape[0];
            }
          else if (m->weight->shape[1] != previous_out)
            return import_error (error, "“%s” takes %" G_GUINT64_FORMAT " inputs but the "
                                 "layer before gives %" G_GUINT64_FORMAT, m->weight->name,
                                 m->weight->shape[1], previous_out);
          else if (previous_out != config->width)
            return import_error (error, "hidden layers of different widths");
          previous_out = m->weight->shape[0];
          n_linear++;
        }
      else if (m->weight->n_dims == 1 && m->bias != NULL && n_linear > 0)
        n_norm++;
      else
        return import_error (error, "tensor “%s” is neither a Linear nor a LayerNorm weight",
                             m->weight->name);
    }

  if (n_linear < 2)
    return import_error (error, "it has %u Linear layers; at least 2 are needed", n_linear);
  if (n_norm != 0 && n_norm != n_linear - 1)
    return import_error (error, "%u LayerNorms for %u hidden layers", n_norm, n_linear - 1);

  config->output_dim = (guint) previous_out;
  config->depth = n_linear - 1;
  config->layer_norm = n_norm > 0;
  return TRUE;
}

static void
copy_module (const Module *m,
             float        *weight,
             float        *bias,
             gsize         bias_size)
{
  memcpy (weight, m->weight->data, m->weight->n_values * sizeof (float));
  if (m->bias != NULL)
    memcpy (bias, m->bias->data, bias_size * sizeof (float));
  else
    memset (bias, 0, bias_size * sizeof (float));
}

/* Returns the layer a LayerNorm module belongs to: the number after
 * "norms." in Basin's own session files, otherwise the Linear layer just
 * before it (@n_linear_seen − 1), as in nn.Sequential. */
static guint
norm_target (const Module *m,
             guint         n_linear_seen)
{
  const char *norms = strstr (m->weight->name, "norms.");
  char *end = NULL;
  guint64 index;

  if (norms != NULL && (norms == m->weight->name || norms[-1] == '.'))
    {
      index = g_ascii_strtoull (norms + strlen ("norms."), &end, 10);
      if (end != norms + strlen ("norms.") && *end == '.')
        return (guint) MIN (index, G_MAXUINT);
    }
  return n_linear_seen > 0 ? n_linear_seen - 1 : G_MAXUINT;
}

/* Copies one Linear or LayerNorm module into layer @target of @mlp after
 * checking that it fits there. */
static gboolean
import_module (BasinMlp     *mlp,
               const Module *m,
               gboolean      linear,
               guint         target,
               GError      **error)
{
  const BasinLayer *info = target < mlp->n_layers ? &mlp->layers[target] : NULL;

  if (info == NULL || (!linear && info->gain_offset == G_MAXSIZE))
    return import_error (error, "“%s” belongs to no hidden layer", m->weight->name);
  if ((m->bias != NULL && m->bias->n_values != info->out_dim)
      || (!linear && m->weight->n_values != info->out_dim))
    {
      const BasinTensor *wrong = linear ? m->bias : m->weight;

      return import_error (error, "“%s” has %" G_GSIZE_FORMAT " values for a layer of %u "
                           "neurons", wrong->name, wrong->n_values, info->out_dim);
    }

  if (linear)
    copy_module (m, basin_mlp_weight (mlp, target), basin_mlp_bias (mlp, target),
                 info->out_dim);
  else
    copy_module (m, mlp->params + info->gain_offset, mlp->params + info->shift_offset,
                 info->out_dim);
  return TRUE;
}

/**
 * basin_mlp_import_state_dict:
 * @file: a loaded checkpoint, e.g. from `safetensors.torch.save_file (model.state_dict ())`
 * @prefix: only tensors whose names start with this are read ("" for all)
 * @activation: the hidden activation, which a state_dict does not record
 * @error: return location for a #GError
 *
 * Builds a standard MLP from the weights of Linear layers (`*.weight` of
 * shape out × in, `*.bias`) and LayerNorms (1-D `*.weight` and `*.bias`)
 * taken in natural name order, as nn.Sequential numbers them.
 *
 * NOTE: a LayerNorm without elementwise affine part stores no tensors, so
 * it cannot be detected and the imported network would lack it.
 *
 * Returns: (transfer full) (nullable): the network
 */
BasinMlp *
basin_mlp_import_state_dict (const BasinTensorFile *file,
                             const char            *prefix,
                             BasinActivation        activation,
                             GError               **error)
{
  g_autoptr (GArray) modules = collect_modules (file, prefix != NULL ? prefix : "");
  BasinMlpConfig config = { .activation = activation, .variant = BASIN_VARIANT_STANDARD };
  BasinMlp *mlp;
  guint layer = 0;

  if (!infer_config (modules, &config, error))
    return NULL;
  mlp = basin_mlp_new (&config, 0, error);
  if (mlp == NULL)
    return NULL;

  for (guint i = 0; i < modules->len; i++)
    {
      const Module *m = &g_array_index (modules, Module, i);
      gboolean linear = m->weight->n_dims == 2;
      guint target = linear ? layer++ : norm_target (m, layer);

      if (!import_module (mlp, m, linear, target, error))
        {
          basin_mlp_free (mlp);
          return NULL;
        }
    }
  return mlp;
}
