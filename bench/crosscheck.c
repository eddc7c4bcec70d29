/* crosscheck.c: trains a Basin network for a fixed number of AdamW steps
 * and writes everything PyTorch needs to replay the same steps.
 *
 * Output folder, read by bench/crosscheck_torch.py:
 *   meta.json            sizes, layer offsets, optimizer settings, losses
 *   params-initial.npy   the flat trainable parameter array before step 1
 *   params-final.npy     the same after the last step
 *   fixed-L.npy, mask-L.npy   F and D of layer L, where the variant has them
 *   batch-rows.npy       row indices of every minibatch, concatenated (int32)
 *   batch-sizes.npy      rows per minibatch (int32)
 *   losses.npy           minibatch loss of every step, before its update (float64)
 *
 * The steps run through basin_trainer_step().  The trainer keeps its
 * minibatch order private, so this program draws the same order from a
 * #BasinRng with the trainer's shuffle seed.  Before every step it checks
 * the prediction: a forward pass on the predicted minibatch must give the
 * loss that the trainer reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "basin/basin.h"

/* Relative gap allowed between the trainer's loss and the loss of the
 * predicted minibatch.  Both come from the same code on the same rows, so
 * a wrong order shows up as a gap many orders of magnitude larger. */
#define ORDER_CHECK_TOLERANCE 1e-6

typedef struct {
  char    *variant;
  char    *out_dir;
  char    *data_dir;
  int      steps;
  int      depth;
  int      width;
  int      batch_size;
  int      train_limit;
  int      eval_samples;
  double   sigma_f;
  gint64   init_seed;
  gint64   shuffle_seed;
  gint64   mask_seed;
} Options;

/* The minibatch order of basin_trainer_new() and basin_trainer_step(): the
 * rows are shuffled once per epoch by a generator seeded with the shuffle
 * seed, and the last minibatch of an epoch takes the remaining rows. */
typedef struct {
  BasinRng rng;
  guint32 *order;
  guint    n_rows;
  guint    batch_size;
  guint    next;
} BatchOrder;

static void
batch_order_shuffle (BatchOrder *self)
{
  for (guint i = 0; i < self->n_rows; i++)
    self->order[i] = i;
  basin_rng_shuffle (&self->rng, self->order, self->n_rows);
  self->next = 0;
}

static void
batch_order_init (BatchOrder *self,
                  guint64     seed,
                  guint       n_rows,
                  guint       batch_size)
{
  basin_rng_init (&self->rng, seed);
  self->order = g_new (guint32, n_rows);
  self->n_rows = n_rows;
  self->batch_size = MIN (batch_size, n_rows);
  batch_order_shuffle (self);
}

/* Returns the rows of the next minibatch and their count. */
static const guint32 *
batch_order_next (BatchOrder *self,
                  guint      *n_out)
{
  const guint32 *rows;

  if (self->next >= self->n_rows)
    batch_order_shuffle (self);
  rows = self->order + self->next;
  *n_out = MIN (self->batch_size, self->n_rows - self->next);
  self->next += *n_out;
  return rows;
}

/* Writes a one-dimensional array in NumPy's .npy format, version 1.0. */
static gboolean
write_npy (const char    *dir,
           const char    *name,
           const char    *dtype,
           gconstpointer  data,
           gsize          n_items,
           gsize          item_size,
           GError       **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GString) header = g_string_new (NULL);
  GByteArray *bytes = g_byte_array_new ();
  guint16 header_length;
  gboolean ok;

  g_string_printf (header, "{'descr': '%c%s', 'fortran_order': False, 'shape': (%"
                   G_GSIZE_FORMAT ",), }",
                   G_BYTE_ORDER == G_LITTLE_ENDIAN ? '<' : '>', dtype, n_items);
  /* The magic, the version and the length take 10 bytes; NumPy pads the
   * header with spaces and a newline so that the data starts at a multiple
   * of 64 bytes. */
  while ((10 + header->len + 1) % 64 != 0)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');

  header_length = GUINT16_TO_LE ((guint16) header->len);
  g_byte_array_append (bytes, (const guint8 *) "\x93NUMPY\x01\x00", 8);
  g_byte_array_append (bytes, (const guint8 *) &header_length, 2);
  g_byte_array_append (bytes, (const guint8 *) header->str, header->len);
  g_byte_array_append (bytes, data, n_items * item_size);

  ok = g_file_set_contents (path, (const char *) bytes->data, bytes->len, error);
  g_byte_array_unref (bytes);
  return ok;
}

static void
add_offset (JsonBuilder *builder,
            const char  *name,
            gsize        offset)
{
  json_builder_set_member_name (builder, name);
  if (offset == G_MAXSIZE)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, (gint64) offset);
}

static void
add_file_name (JsonBuilder *builder,
               const char  *name,
               const char  *file_name)
{
  json_builder_set_member_name (builder, name);
  if (file_name == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, file_name);
}

/* Writes F and D of every layer that has them, and describes the layers. */
static gboolean
write_layers (const BasinMlp *mlp,
              const char     *dir,
              JsonBuilder    *builder,
              GError        **error)
{
  json_builder_set_member_name (builder, "layers");
  json_builder_begin_array (builder);
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const BasinLayer *layer = &mlp->layers[l];
      gsize size = (gsize) layer->out_dim * layer->in_dim;
      g_autofree char *fixed_name = g_strdup_printf ("fixed-%u.npy", l);
      g_autofree char *mask_name = g_strdup_printf ("mask-%u.npy", l);

      if ((layer->fixed != NULL
           && !write_npy (dir, fixed_name, "f4", layer->fixed, size, sizeof (float), error))
          || (layer->mask != NULL
              && !write_npy (dir, mask_name, "f4", layer->mask, size, sizeof (float), error)))
        return FALSE;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "in_dim");
      json_builder_add_int_value (builder, layer->in_dim);
      json_builder_set_member_name (builder, "out_dim");
      json_builder_add_int_value (builder, layer->out_dim);
      add_offset (builder, "weight_offset", layer->weight_offset);
      add_offset (builder, "bias_offset", layer->bias_offset);
      add_offset (builder, "gain_offset", layer->gain_offset);
      add_offset (builder, "shift_offset", layer->shift_offset);
      add_file_name (builder, "fixed", layer->fixed != NULL ? fixed_name : NULL);
      add_file_name (builder, "mask", layer->mask != NULL ? mask_name : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return TRUE;
}

/* NOTE: json-glib 1.6 writes 1e-08 as "1e-08.0", which is not JSON, so a
 * value that needs an exponent is stored as a string that Python's
 * float() reads. */
static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  json_builder_set_member_name (builder, name);
  g_ascii_formatd (text, sizeof text, "%.17g", value);
  if (strchr (text, 'e') != NULL || !isfinite (value))
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_double_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_settings (JsonBuilder            *builder,
              const Options          *options,
              const BasinMlp         *mlp,
              const BasinTrainConfig *train,
              guint                   train_rows)
{
  json_builder_set_member_name (builder, "variant");
  json_builder_add_string_value (builder, options->variant);
  json_builder_set_member_name (builder, "data_dir");
  json_builder_add_string_value (builder, options->data_dir);
  add_int (builder, "train_rows", train_rows);
  add_int (builder, "eval_samples", options->eval_samples);
  add_int (builder, "steps", options->steps);
  add_int (builder, "n_params", (gint64) mlp->n_params);
  add_double (builder, "sigma_f", mlp->config.sigma_f);
  add_double (builder, "layer_norm_epsilon", 1e-5);
  add_double (builder, "learning_rate", train->learning_rate);
  add_double (builder, "weight_decay", train->weight_decay);
  add_double (builder, "beta1", train->beta1);
  add_double (builder, "beta2", train->beta2);
  add_double (builder, "epsilon", train->epsilon);
}

static gboolean
write_meta (const char  *dir,
            JsonBuilder *builder,
            GError     **error)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *path = g_build_filename (dir, "meta.json", NULL);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_file (generator, path, error);
}

/* Fills the settings of the Fashion-MNIST network: GELU hidden layers with
 * LayerNorm, and Basin's default AdamW (lr 1e-3, weight decay 0.01). */
static gboolean
make_configs (const Options    *options,
              BasinMlpConfig   *model,
              BasinTrainConfig *train,
              guint             steps_per_epoch,
              GError          **error)
{
  BasinVariant variant;

  if (!basin_variant_from_string (options->variant, &variant))
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT,
                   "unknown variant “%s”: use standard, w-asymmetric or noise",
                   options->variant);
      return FALSE;
    }

  *model = (BasinMlpConfig) {
    .input_dim = 784, .output_dim = 10, .depth = options->depth, .width = options->width,
    .activation = BASIN_ACTIVATION_GELU, .layer_norm = TRUE, .variant = variant,
    .sigma_f = options->sigma_f, .mask_seed = (guint64) options->mask_seed,
  };
  basin_train_config_init_default (train);
  train->batch_size = options->batch_size;
  train->epochs = (options->steps + steps_per_epoch - 1) / steps_per_epoch;
  return basin_train_config_validate (train, error);
}

/* Returns the mean cross-entropy of @mlp on the given rows of @data. */
static double
batch_loss (const BasinMlp     *mlp,
            BasinWorkspace     *workspace,
            const BasinDataset *data,
            const guint32      *rows,
            guint               n_rows,
            float              *x,
            guint32            *y)
{
  const float *logits;

  basin_dataset_gather (data, rows, n_rows, x, y);
  logits = basin_mlp_forward (mlp, workspace, x, n_rows);
  return basin_mlp_cross_entropy (logits, y, n_rows, mlp->config.output_dim, NULL);
}

typedef struct {
  GArray *rows;      /* guint32 row indices, all steps */
  GArray *sizes;     /* guint32 rows per step */
  GArray *losses;    /* double loss per step */
  double  seconds;   /* wall-clock time of the trainer steps alone */
} Trace;

/* Runs the steps, checking the predicted minibatch before each one. */
static gboolean
train_steps (BasinMlp           *mlp,
             const BasinDataset *train,
             const BasinTrainConfig *config,
             const Options      *options,
             Trace              *trace,
             GError            **error)
{
  g_autoptr (GTimer) timer = g_timer_new ();
  BasinTrainer *trainer = basin_trainer_new (mlp, train, config, (guint64) options->shuffle_seed);
  BasinWorkspace *workspace = basin_workspace_new (mlp, config->batch_size);
  g_autofree float *x = g_new (float, (gsize) config->batch_size * train->dim);
  g_autofree guint32 *y = g_new (guint32, config->batch_size);
  BatchOrder order;
  gboolean ok = TRUE;

  batch_order_init (&order, (guint64) options->shuffle_seed, train->n_samples, config->batch_size);
  g_timer_stop (timer);
  for (int step = 0; ok && step < options->steps; step++)
    {
      guint n = 0;
      const guint32 *rows = batch_order_next (&order, &n);
      double expected = batch_loss (mlp, workspace, train, rows, n, x, y);
      double loss = NAN;

      g_timer_continue (timer);
      ok = basin_trainer_step (trainer, &loss, error);
      g_timer_stop (timer);
      if (ok && !(fabs (loss - expected) <= ORDER_CHECK_TOLERANCE * fabs (expected)))
        {
          g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                       "step %d: the trainer's loss %.9g differs from %.9g on the "
                       "predicted minibatch; its shuffling no longer matches "
                       "BatchOrder in bench/crosscheck.c", step + 1, loss, expected);
          ok = FALSE;
        }
      g_array_append_vals (trace->rows, rows, n);
      g_array_append_val (trace->sizes, n);
      g_array_append_val (trace->losses, loss);
    }

  trace->seconds = g_timer_elapsed (timer, NULL);
  g_free (order.order);
  basin_workspace_free (workspace);
  basin_trainer_free (trainer);
  return ok;
}

static gboolean
write_trace (const char  *dir,
             const Trace *trace,
             GError     **error)
{
  return write_npy (dir, "batch-rows.npy", "i4", trace->rows->data, trace->rows->len,
                    sizeof (guint32), error)
         && write_npy (dir, "batch-sizes.npy", "i4", trace->sizes->data, trace->sizes->len,
                       sizeof (guint32), error)
         && write_npy (dir, "losses.npy", "f8", trace->losses->data, trace->losses->len,
                       sizeof (double), error);
}

/* Loads Fashion-MNIST and keeps the first rows the options ask for. */
static gboolean
load_data (const Options *options,
           BasinDataset **train_out,
           BasinDataset **eval_out,
           GError       **error)
{
  BasinDataset *train, *test;
  guint n_train, n_eval;
  g_autofree guint32 *rows = NULL;

  if (!basin_dataset_load_idx_dir (options->data_dir, &train, &test, NULL, error))
    return FALSE;

  n_train = options->train_limit > 0 ? MIN ((guint) options->train_limit, train->n_samples)
                                     : train->n_samples;
  n_eval = MIN ((guint) options->eval_samples, test->n_samples);
  rows = g_new (guint32, MAX (n_train, n_eval));
  for (guint i = 0; i < MAX (n_train, n_eval); i++)
    rows[i] = i;

  *train_out = basin_dataset_subset (train, rows, n_train);
  *eval_out = basin_dataset_subset (test, rows, n_eval);
  basin_dataset_free (train);
  basin_dataset_free (test);
  return TRUE;
}

static gboolean
run (const Options *options,
     GError       **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  BasinDataset *train = NULL, *eval = NULL;
  BasinMlp *mlp = NULL;
  BasinMlpConfig model;
  BasinTrainConfig config;
  Trace trace = {
    g_array_new (FALSE, FALSE, sizeof (guint32)),
    g_array_new (FALSE, FALSE, sizeof (guint32)),
    g_array_new (FALSE, FALSE, sizeof (double)),
    0.0,
  };
  double eval_loss = NAN;
  gboolean ok;

  ok = g_mkdir_with_parents (options->out_dir, 0755) == 0
       && load_data (options, &train, &eval, error)
       && make_configs (options, &model, &config,
                        (train->n_samples + options->batch_size - 1) / options->batch_size, error)
       && (mlp = basin_mlp_new (&model, (guint64) options->init_seed, error)) != NULL
       && write_npy (options->out_dir, "params-initial.npy", "f4", mlp->params,
                     mlp->n_params, sizeof (float), error)
       && train_steps (mlp, train, &config, options, &trace, error)
       && basin_mlp_evaluate (mlp, eval, &eval_loss, NULL, NULL, error)
       && write_npy (options->out_dir, "params-final.npy", "f4", mlp->params,
                     mlp->n_params, sizeof (float), error)
       && write_trace (options->out_dir, &trace, error);

  if (ok)
    {
      json_builder_begin_object (builder);
      add_settings (builder, options, mlp, &config, train->n_samples);
      add_double (builder, "final_eval_loss", eval_loss);
      add_double (builder, "train_seconds", trace.seconds);
      ok = write_layers (mlp, options->out_dir, builder, error);
      json_builder_end_object (builder);
      ok = ok && write_meta (options->out_dir, builder, error);
    }
  if (ok)
    printf ("basin %s: %d steps in %.2f s, loss %.6f after step 1, %.6f after step %d, "
            "evaluation loss %.6f\n", options->variant, options->steps, trace.seconds,
            g_array_index (trace.losses, double, 0),
            g_array_index (trace.losses, double, trace.losses->len - 1), options->steps,
            eval_loss);

  g_array_unref (trace.rows);
  g_array_unref (trace.sizes);
  g_array_unref (trace.losses);
  basin_mlp_free (mlp);
  basin_dataset_free (train);
  basin_dataset_free (eval);
  return ok;
}

int
main (int argc, char **argv)
{
  Options options = {
    .steps = 200, .depth = 3, .width = 512, .batch_size = 64, .eval_samples = 1000,
    .sigma_f = 1.0, .init_seed = 1, .shuffle_seed = 1, .mask_seed = 7,
  };
  GOptionEntry entries[] = {
    { "variant", 0, 0, G_OPTION_ARG_STRING, &options.variant, "standard, w-asymmetric or noise", "NAME" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &options.out_dir, "Folder for the output files", "DIR" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &options.data_dir, "Fashion-MNIST folder", "DIR" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &options.steps, "AdamW steps (default 200)", "N" },
    { "depth", 0, 0, G_OPTION_ARG_INT, &options.depth, "Hidden layers (default 3)", "N" },
    { "width", 0, 0, G_OPTION_ARG_INT, &options.width, "Neurons per hidden layer (default 512)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &options.batch_size, "Minibatch size (default 64)", "N" },
    { "train-limit", 0, 0, G_OPTION_ARG_INT, &options.train_limit, "Use the first N training images (default all)", "N" },
    { "eval", 0, 0, G_OPTION_ARG_INT, &options.eval_samples, "Test images for the final loss (default 1000)", "N" },
    { "sigma-f", 0, 0, G_OPTION_ARG_DOUBLE, &options.sigma_f, "σ_F of the fixed entries (default 1)", "X" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options.init_seed, "Initialization and shuffle seed (default 1)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- write a Basin training trace for PyTorch");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (options.variant == NULL || options.out_dir == NULL || options.steps < 1
      || options.depth < 1 || options.width < 1 || options.batch_size < 1
      || options.eval_samples < 1)
    {
      g_printerr ("crosscheck needs --variant and --out, and positive sizes\n");
      return 2;
    }
  if (options.data_dir == NULL)
    options.data_dir = g_strdup (BASIN_FASHION_MNIST_DIR);
  options.shuffle_seed = options.init_seed;

  if (!run (&options, &error))
    {
      g_printerr ("crosscheck: %s\n", error != NULL ? error->message : g_strerror (errno));
      return 1;
    }

  g_free (options.variant);
  g_free (options.out_dir);
  g_free (options.data_dir);
  return 0;
}
