/* basin-window-fields.c: parsing and filling the entry rows of the settings sidebar.
 *
 * Each BasinField has a row in the template and a FieldInfo with the
 * location of its value in a BasinExperiment and the values it accepts.
 * Reading a row parses its text into an experiment, or returns the message
 * to show under the row; writing fills every row from an experiment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include <glib/gi18n.h>

#include <basin/basin-dataset.h>

#include "basin-window-private.h"

typedef enum {
  FIELD_KIND_FOLDER,
  FIELD_KIND_CSV_FILE,
  FIELD_KIND_TEST_FILE,
  FIELD_KIND_LABEL,
  FIELD_KIND_UINT,
  FIELD_KIND_SEED,
  FIELD_KIND_DOUBLE,
  FIELD_KIND_LAYER_LIST,
} FieldKind;

/* @key is the JSON key that basin_experiment_validate() names.  @offset
 * locates a guint (FIELD_KIND_UINT), guint64 (FIELD_KIND_SEED) or double
 * (FIELD_KIND_DOUBLE) in BasinExperiment.  The ranges are those that
 * basin_experiment_validate() accepts, so a value that parses here fails
 * there only through a combination of settings.  @message has one %s for
 * the text the user typed. */
typedef struct {
  const char *row_name;
  const char *key;
  FieldKind   kind;
  gsize       offset;
  guint64     min;
  guint64     max;
  double      min_double;
  gboolean    min_exclusive;
  double      max_double;
  gboolean    max_exclusive;
  const char *message;
} FieldInfo;

/* The JSON loader reads these seeds as signed 64-bit integers, so larger
 * ones could be saved but not opened again. */
#define MAX_JSON_SEED ((guint64)G_MAXINT64)

#define OFFSET(member) G_STRUCT_OFFSET (BasinExperiment, member)

G_STATIC_ASSERT (BASIN_BLOBS_MAX_CLASSES == 64);

static const FieldInfo field_info[BASIN_N_FIELDS] = {
  [BASIN_FIELD_DATA_PATH] = {
    "data_path_row", "data_path", FIELD_KIND_FOLDER,
  },
  [BASIN_FIELD_CSV_PATH] = {
    "csv_path_row", "data_path", FIELD_KIND_CSV_FILE,
  },
  [BASIN_FIELD_TEST_PATH] = {
    "test_path_row", "test_path", FIELD_KIND_TEST_FILE,
  },
  [BASIN_FIELD_LABEL_COLUMN] = {
    "label_column_row", "label", FIELD_KIND_LABEL,
    .message = N_("The label column must be a column name or a number from 1; got “%s”."),
  },
  [BASIN_FIELD_SAMPLES] = {
    "samples_row", "samples", FIELD_KIND_UINT, OFFSET (n_samples), .min = 10, .max = 10000000,
    .message = N_("Samples must be a whole number from 10 to 10000000; got “%s”."),
  },
  [BASIN_FIELD_NOISE] = {
    "noise_row", "noise", FIELD_KIND_DOUBLE, OFFSET (noise), .max_double = 10.0,
    .message = N_("Noise must be a number from 0 to 10, such as 0.1; got “%s”."),
  },
  [BASIN_FIELD_TEST_FRACTION] = {
    "test_fraction_row", "test_fraction", FIELD_KIND_DOUBLE, OFFSET (test_fraction),
    .min_exclusive = TRUE, .max_double = 1.0, .max_exclusive = TRUE,
    .message = N_("The test fraction must be a number above 0 and below 1, such as 0.2; got “%s”."),
  },
  [BASIN_FIELD_INNER_RADIUS] = {
    "inner_radius_row", "inner_radius", FIELD_KIND_DOUBLE, OFFSET (inner_radius),
    .min_exclusive = TRUE, .max_double = 1.0, .max_exclusive = TRUE,
    .message = N_("The inner radius must be a number above 0 and below 1, such as 0.5; got “%s”."),
  },
  [BASIN_FIELD_TURNS] = {
    "turns_row", "turns", FIELD_KIND_DOUBLE, OFFSET (turns),
    .min_exclusive = TRUE, .max_double = 5.0,
    .message = N_("Turns must be a number above 0 and at most 5, such as 1.5; got “%s”."),
  },
  [BASIN_FIELD_CLASSES] = {
    "classes_row", "classes", FIELD_KIND_UINT, OFFSET (n_classes), .min = 2, .max = 64,
    .message = N_("Classes must be a whole number from 2 to 64; got “%s”."),
  },
  [BASIN_FIELD_INPUT_DIM] = {
    "input_dim_row", "input_dim", FIELD_KIND_UINT, OFFSET (input_dim), .min = 1, .max = 100000,
    .message = N_("The input dimension must be a whole number from 1 to 100000; got “%s”."),
  },
  [BASIN_FIELD_SUBSPACE_DIM] = {
    "subspace_dim_row", "subspace_dim", FIELD_KIND_UINT, OFFSET (subspace_dim), .min = 1, .max = 100000,
    .message = N_("The subspace dimension must be a whole number from 1 to the input "
                  "dimension; got “%s”."),
  },
  [BASIN_FIELD_SEPARATION] = {
    "separation_row", "separation", FIELD_KIND_DOUBLE, OFFSET (separation), .max_double = 1000.0,
    .message = N_("The class separation must be a number from 0 to 1000, such as 3; got “%s”."),
  },
  [BASIN_FIELD_STRUCTURE_SEED] = {
    "structure_seed_row", "structure_seed", FIELD_KIND_SEED, OFFSET (structure_seed),
    .max = MAX_JSON_SEED,
    .message = N_("The structure seed must be a whole number from 0 to 9223372036854775807; "
                  "got “%s”."),
  },
  [BASIN_FIELD_DATA_SEED] = {
    "data_seed_row", "seed", FIELD_KIND_SEED, OFFSET (data_seed), .max = MAX_JSON_SEED,
    .message = N_("The data seed must be a whole number from 0 to 9223372036854775807; got “%s”."),
  },
  [BASIN_FIELD_VALIDATION_FRACTION] = {
    "validation_fraction_row", "validation_fraction", FIELD_KIND_DOUBLE,
    OFFSET (validation_fraction), .max_double = 0.9, .max_exclusive = TRUE,
    .message = N_("The validation fraction must be a number from 0 up to but not including "
                  "0.9, such as 0.1; got “%s”."),
  },
  [BASIN_FIELD_SIGMA_F_LAYERS] = {
    "sigma_f_layers_row", "sigma_f_per_layer", FIELD_KIND_LAYER_LIST,
    .min = BASIN_OVERRIDE_SIGMA_F, .max_double = 100.0,
    .message = N_("Give one σ_F from 0 to 100 per layer, separated by commas, with - for the "
                  "default, such as “-, -, 0.5”; got “%s”."),
  },
  [BASIN_FIELD_N_FIXED_LAYERS] = {
    "n_fixed_layers_row", "n_fixed_per_layer", FIELD_KIND_LAYER_LIST,
    .min = BASIN_OVERRIDE_N_FIXED, .max = 65536,
    .message = N_("Give one whole number of frozen entries from 0 to 65536 per layer, "
                  "separated by commas, with - for the default, such as “64, 64, 256”; "
                  "got “%s”."),
  },
  [BASIN_FIELD_SIGMA_F] = {
    "sigma_f_row", "sigma_f", FIELD_KIND_DOUBLE, OFFSET (model.sigma_f), .max_double = 100.0,
    .message = N_("σ_F must be a number from 0 to 100, such as 1; got “%s”."),
  },
  [BASIN_FIELD_DEPTH] = {
    "depth_row", "depth", FIELD_KIND_UINT, OFFSET (model.depth), .min = 1, .max = 64,
    .message = N_("Depth must be a whole number from 1 to 64; got “%s”."),
  },
  [BASIN_FIELD_WIDTH] = {
    "width_row", "width", FIELD_KIND_UINT, OFFSET (model.width), .min = 1, .max = 16384,
    .message = N_("Width must be a whole number from 1 to 16384; got “%s”."),
  },
  [BASIN_FIELD_EPOCHS] = {
    "epochs_row", "epochs", FIELD_KIND_UINT, OFFSET (train.epochs), .min = 1, .max = 10000,
    .message = N_("Epochs must be a whole number from 1 to 10000; got “%s”."),
  },
  [BASIN_FIELD_BATCH_SIZE] = {
    "batch_size_row", "batch_size", FIELD_KIND_UINT, OFFSET (train.batch_size), .min = 1, .max = 65536,
    .message = N_("Batch size must be a whole number from 1 to 65536; got “%s”."),
  },
  [BASIN_FIELD_LEARNING_RATE] = {
    "learning_rate_row", "learning_rate", FIELD_KIND_DOUBLE, OFFSET (train.learning_rate),
    .min_exclusive = TRUE, .max_double = 10.0,
    .message = N_("Learning rate must be a number above 0 and at most 10, such as 0.001; got “%s”."),
  },
  [BASIN_FIELD_MOMENTUM] = {
    "momentum_row", "momentum", FIELD_KIND_DOUBLE, OFFSET (train.momentum),
    .max_double = 1.0, .max_exclusive = TRUE,
    .message = N_("Momentum must be a number from 0 up to but not including 1, such as 0.9; "
                  "got “%s”."),
  },
  [BASIN_FIELD_WEIGHT_DECAY] = {
    "weight_decay_row", "weight_decay", FIELD_KIND_DOUBLE, OFFSET (train.weight_decay),
    .max_double = 10.0,
    .message = N_("Weight decay must be a number from 0 to 10, such as 0.01; got “%s”."),
  },
  [BASIN_FIELD_WARMUP_EPOCHS] = {
    "warmup_epochs_row", "warmup_epochs", FIELD_KIND_DOUBLE, OFFSET (train.warmup_epochs),
    .max_double = 10000.0,
    .message = N_("Warm-up epochs must be a number from 0 to the number of epochs, such as 1; "
                  "got “%s”."),
  },
  [BASIN_FIELD_CLIP_NORM] = {
    "clip_norm_row", "clip_norm", FIELD_KIND_DOUBLE, OFFSET (train.clip_norm), .max_double = 1e6,
    .message = N_("The clipping norm must be a number from 0 (off) to 1000000, such as 1; "
                  "got “%s”."),
  },
  [BASIN_FIELD_SEED_A] = {
    "seed_a_row", "seeds", FIELD_KIND_SEED, OFFSET (seeds[0]), .max = G_MAXUINT64,
    .message = N_("The seed of run A must be a whole number from 0 to 18446744073709551615; got “%s”."),
  },
  [BASIN_FIELD_SEED_B] = {
    "seed_b_row", "seeds", FIELD_KIND_SEED, OFFSET (seeds[1]), .max = G_MAXUINT64,
    .message = N_("The seed of run B must be a whole number from 0 to 18446744073709551615; got “%s”."),
  },
  [BASIN_FIELD_MASK_SEED] = {
    "mask_seed_row", "mask_seed", FIELD_KIND_SEED, OFFSET (model.mask_seed), .max = MAX_JSON_SEED,
    .message = N_("The mask seed must be a whole number from 0 to 9223372036854775807; got “%s”."),
  },
  [BASIN_FIELD_EVAL_SAMPLES] = {
    "eval_samples_row", "eval_samples", FIELD_KIND_UINT, OFFSET (eval_samples),
    .min = 2, .max = 1000000,
    .message = N_("Evaluation samples must be a whole number from 2 to 1000000; got “%s”."),
  },
  [BASIN_FIELD_PATH_POINTS] = {
    "path_points_row", "path_points", FIELD_KIND_UINT, OFFSET (path_points), .min = 2, .max = 1001,
    .message = N_("Path points must be a whole number from 2 to 1001; got “%s”."),
  },
  [BASIN_FIELD_RANDOM_PERMUTATIONS] = {
    "random_permutations_row", "random_permutations", FIELD_KIND_UINT,
    OFFSET (random_permutations), .max = 100000,
    .message = N_("Random permutations must be a whole number from 0 to 100000; got “%s”."),
  },
  [BASIN_FIELD_LAMBDA_MIN] = {
    "lambda_min_row", "lambda_min", FIELD_KIND_DOUBLE, OFFSET (lambda_min),
    .min_double = -5.0, .max_double = 0.0,
    .message = N_("The path start must be a number from −5 to 0, such as −0.5; got “%s”."),
  },
  [BASIN_FIELD_LAMBDA_MAX] = {
    "lambda_max_row", "lambda_max", FIELD_KIND_DOUBLE, OFFSET (lambda_max),
    .min_double = 1.0, .max_double = 6.0,
    .message = N_("The path end must be a number from 1 to 6, such as 1.5; got “%s”."),
  },
};

static gboolean
parse_unsigned (const char *text,
                guint64     min,
                guint64     max,
                guint64    *out)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  return g_ascii_string_to_unsigned (trimmed, 10, min, max, out, NULL);
}

/* Accepts a decimal comma as well, since users of many locales type one,
 * and the minus sign U+2212 that figures and messages print. */
static gboolean
parse_double (const char *text,
              double     *out)
{
  g_auto (GStrv) parts = g_strsplit (text, "−", -1);
  g_autofree char *ascii = g_strjoinv ("-", parts);
  g_autofree char *trimmed = g_strstrip (g_strdup (ascii));
  char *end = NULL;
  double value;

  if (trimmed[0] == '\0')
    return FALSE;

  if (strchr (trimmed, '.') == NULL)
    g_strdelimit (trimmed, ",", '.');

  value = g_ascii_strtod (trimmed, &end);
  if (end == trimmed || *end != '\0' || !isfinite (value))
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
parse_field_double (const FieldInfo *info,
                    const char      *text,
                    double          *out)
{
  double value;

  if (!parse_double (text, &value))
    return FALSE;

  if (info->min_exclusive ? value <= info->min_double : value < info->min_double)
    return FALSE;

  if (info->max_exclusive ? value >= info->max_double : value > info->max_double)
    return FALSE;

  *out = value;
  return TRUE;
}

static gpointer
field_address (BasinExperiment *experiment,
               const FieldInfo *info)
{
  return G_STRUCT_MEMBER_P (experiment, info->offset);
}

static void
replace_string (char       **target,
                const char  *value)
{
  g_free (*target);
  *target = g_strdup (value);
}

/* Returns the error message for the IDX folder, or %NULL if it is fine. */
static char *
check_folder (BasinExperiment *experiment,
              const char      *text)
{
  g_autofree char *path = g_strstrip (g_strdup (text));

  if (path[0] == '\0')
    {
      if (experiment->data_kind == BASIN_DATA_IDX)
        return g_strdup (_("Choose the folder that holds the MNIST-format IDX files."));

      if (!g_file_test (BASIN_FASHION_MNIST_DIR, G_FILE_TEST_IS_DIR))
        return g_strdup_printf (_("Fashion-MNIST is not in “%s”. Install the "
                                  "dataset-fashion-mnist package or choose the "
                                  "folder with its IDX files."),
                                BASIN_FASHION_MNIST_DIR);

      g_clear_pointer (&experiment->data_path, g_free);
      return NULL;
    }

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return g_strdup_printf (_("The folder “%s” does not exist."), path);

  replace_string (&experiment->data_path, path);

  return NULL;
}

/* Returns the error message for a CSV file, or %NULL if it is fine.  An
 * empty optional file clears @target. */
static char *
check_file (const char  *text,
            gboolean     required,
            char       **target)
{
  g_autofree char *path = g_strstrip (g_strdup (text));

  if (path[0] == '\0')
    {
      if (required)
        return g_strdup (_("Choose the CSV file with the training samples."));

      g_clear_pointer (target, g_free);
      return NULL;
    }

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return g_strdup_printf (_("“%s” is a folder; choose a CSV file."), path);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_strdup_printf (_("The file “%s” does not exist."), path);

  replace_string (target, path);

  return NULL;
}

/* A label column is a header name, or a column number from 1. */
static char *
check_label (const FieldInfo *info,
             BasinExperiment *experiment,
             const char      *text)
{
  g_autofree char *label = g_strstrip (g_strdup (text));
  guint64 number;

  if (label[0] == '\0')
    {
      g_clear_pointer (&experiment->label_column, g_free);
      return NULL;
    }

  if (g_ascii_isdigit (label[0]) && !parse_unsigned (label, 1, G_MAXUINT, &number))
    return g_strdup_printf (_(info->message), text);

  replace_string (&experiment->label_column, label);

  return NULL;
}

/* Parses a per-layer list such as "64, -, 256" into the overrides of
 * @experiment; @info->min is the override flag.  Layers past the list
 * take the default. */
static char *
check_layer_list (const FieldInfo *info,
                  BasinExperiment *experiment,
                  const char      *text)
{
  BasinMlpConfig *model = &experiment->model;
  guint8 flag = (guint8) info->min;
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  guint8 overrides[BASIN_MAX_LAYERS] = { 0 };
  guint n_fixed[BASIN_MAX_LAYERS] = { 0 };
  double sigma_f[BASIN_MAX_LAYERS] = { 0.0 };
  guint n_items = g_strv_length (items);

  if (n_items > BASIN_MAX_LAYERS)
    return g_strdup_printf (_(info->message), text);

  for (guint l = 0; l < n_items; l++)
    {
      g_autofree char *item = g_strstrip (g_strdup (items[l]));
      guint64 count;

      if (item[0] == '\0' || g_strcmp0 (item, "-") == 0)
        continue;
      if (flag == BASIN_OVERRIDE_N_FIXED ? !parse_unsigned (item, 0, info->max, &count)
                                         : !parse_field_double (info, item, &sigma_f[l]))
        return g_strdup_printf (_(info->message), text);
      n_fixed[l] = (guint) count;
      overrides[l] = flag;
    }

  for (guint l = 0; l < BASIN_MAX_LAYERS; l++)
    {
      model->layer_override[l] = (model->layer_override[l] & ~flag) | overrides[l];
      if (flag == BASIN_OVERRIDE_N_FIXED)
        model->n_fixed_layer[l] = n_fixed[l];
      else
        model->sigma_f_layer[l] = sigma_f[l];
    }
  return NULL;
}

/* Returns a per-layer list as check_layer_list() reads it, empty without
 * overrides. */
static char *
format_layer_list (const FieldInfo       *info,
                   const BasinExperiment *experiment)
{
  const BasinMlpConfig *model = &experiment->model;
  guint8 flag = (guint8) info->min;
  g_autoptr (GString) text = g_string_new (NULL);
  guint last = 0;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint l = 0; l < BASIN_MAX_LAYERS; l++)
    if (model->layer_override[l] & flag)
      last = l + 1;

  for (guint l = 0; l < last; l++)
    {
      if (l > 0)
        g_string_append (text, ", ");
      if (!(model->layer_override[l] & flag))
        g_string_append (text, "-");
      else if (flag == BASIN_OVERRIDE_N_FIXED)
        g_string_append_printf (text, "%u", model->n_fixed_layer[l]);
      else
        g_string_append (text, g_ascii_formatd (number, sizeof number, "%g",
                                                model->sigma_f_layer[l]));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * _basin_window_read_field:
 * @experiment: receives the value
 *
 * Parses the text of one row into @experiment.
 *
 * Returns: (transfer full) (nullable): the message to show under the row,
 *   or %NULL if the value is valid
 */
char *
_basin_window_read_field (BasinWindow     *self,
                          BasinExperiment *experiment,
                          BasinField       field)
{
  const FieldInfo *info = &field_info[field];
  const char *text = basin_field_row_get_text (self->fields[field]);
  guint64 uint_value;
  double double_value;

  switch (info->kind)
    {
    case FIELD_KIND_FOLDER:
      return check_folder (experiment, text);

    case FIELD_KIND_CSV_FILE:
      return check_file (text, TRUE, &experiment->data_path);

    case FIELD_KIND_TEST_FILE:
      return check_file (text, FALSE, &experiment->test_path);

    case FIELD_KIND_LABEL:
      return check_label (info, experiment, text);

    case FIELD_KIND_UINT:
      if (!parse_unsigned (text, info->min, info->max, &uint_value))
        return g_strdup_printf (_(info->message), text);
      *(guint *)field_address (experiment, info) = (guint)uint_value;
      return NULL;

    case FIELD_KIND_SEED:
      if (!parse_unsigned (text, info->min, info->max, &uint_value))
        return g_strdup_printf (_(info->message), text);
      *(guint64 *)field_address (experiment, info) = uint_value;
      return NULL;

    case FIELD_KIND_DOUBLE:
      if (!parse_field_double (info, text, &double_value))
        return g_strdup_printf (_(info->message), text);
      *(double *)field_address (experiment, info) = double_value;
      return NULL;

    case FIELD_KIND_LAYER_LIST:
      return check_layer_list (info, experiment, text);

    default:
      g_assert_not_reached ();
    }
}

/* Returns the text of @field for @experiment. */
static char *
format_field (const BasinExperiment *experiment,
              BasinField             field)
{
  const FieldInfo *info = &field_info[field];
  gconstpointer address = G_STRUCT_MEMBER_P (experiment, info->offset);
  BasinDataKind kind = experiment->data_kind;
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  switch (info->kind)
    {
    case FIELD_KIND_FOLDER:
      return g_strdup (kind == BASIN_DATA_IDX || kind == BASIN_DATA_FASHION_MNIST
                       ? experiment->data_path : NULL);

    case FIELD_KIND_CSV_FILE:
      return g_strdup (kind == BASIN_DATA_CSV ? experiment->data_path : NULL);

    case FIELD_KIND_TEST_FILE:
      return g_strdup (experiment->test_path);

    case FIELD_KIND_LABEL:
      return g_strdup (experiment->label_column);

    case FIELD_KIND_UINT:
      return g_strdup_printf ("%u", *(const guint *)address);

    case FIELD_KIND_SEED:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, *(const guint64 *)address);

    case FIELD_KIND_DOUBLE:
      g_ascii_formatd (text, sizeof text, "%g", *(const double *)address);
      return g_strdup (text);

    case FIELD_KIND_LAYER_LIST:
      return format_layer_list (info, experiment);

    default:
      g_assert_not_reached ();
    }
}

/**
 * _basin_window_write_fields:
 *
 * Sets the text of every row from @experiment.
 */
void
_basin_window_write_fields (BasinWindow           *self,
                            const BasinExperiment *experiment)
{
  for (guint i = 0; i < BASIN_N_FIELDS; i++)
    {
      g_autofree char *text = format_field (experiment, i);

      basin_field_row_set_text (self->fields[i], text);
    }
}

/**
 * _basin_window_field_key:
 *
 * Returns: the JSON key that basin_experiment_validate() names for @field
 */
const char *
_basin_window_field_key (BasinField field)
{
  g_return_val_if_fail (field < BASIN_N_FIELDS, NULL);

  return field_info[field].key;
}

void
_basin_window_fields_class_init (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < BASIN_N_FIELDS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, field_info[i].row_name, FALSE,
                                               G_STRUCT_OFFSET (BasinWindow, fields)
                                               + i * sizeof (BasinFieldRow *));
}
