/* basin-window-settings.c: the settings sidebar of the main window.
 *
 * Every change re-reads the whole sidebar into a copy of the selected
 * preset.  A value that does not parse gets its message under its row.
 * When all values parse, basin_experiment_validate() checks the assembled
 * experiment.  Its message goes under the row it names, or into the banner
 * at the top of the sidebar when that setting has no row.  The Train
 * button is sensitive only while the experiment is valid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include <glib/gi18n.h>

#include <basin/basin-dataset.h>

#include "basin-window-private.h"

typedef enum {
  FIELD_KIND_PATH,
  FIELD_KIND_UINT,
  FIELD_KIND_SEED,
  FIELD_KIND_DOUBLE,
} FieldKind;

/* @key is the JSON key that basin_experiment_validate() names.  The ranges
 * are those that basin_experiment_validate() accepts, so a value that
 * parses here fails there only through a combination of settings.
 * @message has one %s for the text the user typed. */
typedef struct {
  const char *key;
  FieldKind   kind;
  guint64     min;
  guint64     max;
  double      min_double;
  gboolean    min_exclusive;
  double      max_double;
  const char *message;
} FieldInfo;

static const FieldInfo field_info[BASIN_N_FIELDS] = {
  [BASIN_FIELD_DATA_PATH] = {
    "data_path", FIELD_KIND_PATH, 0, 0, 0, FALSE, 0,
    NULL,
  },
  [BASIN_FIELD_SIGMA_F] = {
    "sigma_f", FIELD_KIND_DOUBLE, 0, 0, 0.0, FALSE, 100.0,
    N_("σ_F must be a number from 0 to 100, such as 1; got “%s”."),
  },
  [BASIN_FIELD_DEPTH] = {
    "depth", FIELD_KIND_UINT, 1, 64, 0, FALSE, 0,
    N_("Depth must be a whole number from 1 to 64; got “%s”."),
  },
  [BASIN_FIELD_WIDTH] = {
    "width", FIELD_KIND_UINT, 1, 16384, 0, FALSE, 0,
    N_("Width must be a whole number from 1 to 16384; got “%s”."),
  },
  [BASIN_FIELD_EPOCHS] = {
    "epochs", FIELD_KIND_UINT, 1, 10000, 0, FALSE, 0,
    N_("Epochs must be a whole number from 1 to 10000; got “%s”."),
  },
  [BASIN_FIELD_BATCH_SIZE] = {
    "batch_size", FIELD_KIND_UINT, 1, 65536, 0, FALSE, 0,
    N_("Batch size must be a whole number from 1 to 65536; got “%s”."),
  },
  [BASIN_FIELD_LEARNING_RATE] = {
    "learning_rate", FIELD_KIND_DOUBLE, 0, 0, 0.0, TRUE, 10.0,
    N_("Learning rate must be a number above 0 and at most 10, such as 0.001; got “%s”."),
  },
  [BASIN_FIELD_WEIGHT_DECAY] = {
    "weight_decay", FIELD_KIND_DOUBLE, 0, 0, 0.0, FALSE, 10.0,
    N_("Weight decay must be a number from 0 to 10, such as 0.01; got “%s”."),
  },
  [BASIN_FIELD_SEED_A] = {
    "seeds", FIELD_KIND_SEED, 0, G_MAXUINT64, 0, FALSE, 0,
    N_("The seed of run A must be a whole number from 0 to 18446744073709551615; got “%s”."),
  },
  [BASIN_FIELD_SEED_B] = {
    "seeds", FIELD_KIND_SEED, 0, G_MAXUINT64, 0, FALSE, 0,
    N_("The seed of run B must be a whole number from 0 to 18446744073709551615; got “%s”."),
  },
  [BASIN_FIELD_MASK_SEED] = {
    "mask_seed", FIELD_KIND_SEED, 0, G_MAXUINT64, 0, FALSE, 0,
    N_("The mask seed must be a whole number from 0 to 18446744073709551615; got “%s”."),
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

/* Accepts a decimal comma as well, since users of many locales type one. */
static gboolean
parse_double (const char *text,
              double     *out)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
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

  if (value > info->max_double)
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
field_is_used (BasinWindow *self,
               BasinField   field)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (self->fields[field]));
}

static void
store_uint (BasinExperiment *experiment,
            BasinField       field,
            guint64          value)
{
  switch (field)
    {
    case BASIN_FIELD_DEPTH: experiment->model.depth = value; break;
    case BASIN_FIELD_WIDTH: experiment->model.width = value; break;
    case BASIN_FIELD_EPOCHS: experiment->train.epochs = value; break;
    case BASIN_FIELD_BATCH_SIZE: experiment->train.batch_size = value; break;
    case BASIN_FIELD_SEED_A: experiment->seeds[0] = value; break;
    case BASIN_FIELD_SEED_B: experiment->seeds[1] = value; break;
    case BASIN_FIELD_MASK_SEED: experiment->model.mask_seed = value; break;
    default: g_assert_not_reached ();
    }
}

static void
store_double (BasinExperiment *experiment,
              BasinField       field,
              double           value)
{
  switch (field)
    {
    case BASIN_FIELD_SIGMA_F: experiment->model.sigma_f = value; break;
    case BASIN_FIELD_LEARNING_RATE: experiment->train.learning_rate = value; break;
    case BASIN_FIELD_WEIGHT_DECAY: experiment->train.weight_decay = value; break;
    default: g_assert_not_reached ();
    }
}

/* Returns the error message for the data folder, or %NULL if it is fine. */
static char *
check_data_path (BasinExperiment *experiment,
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

  g_free (experiment->data_path);
  experiment->data_path = g_steal_pointer (&path);

  return NULL;
}

/* Parses one row into @experiment, and returns its error message, or
 * %NULL if the value is valid. */
static char *
read_field (BasinWindow     *self,
            BasinExperiment *experiment,
            BasinField       field)
{
  const FieldInfo *info = &field_info[field];
  const char *text = basin_field_row_get_text (self->fields[field]);
  guint64 uint_value;
  double double_value;

  switch (info->kind)
    {
    case FIELD_KIND_PATH:
      return check_data_path (experiment, text);

    case FIELD_KIND_UINT:
    case FIELD_KIND_SEED:
      if (!parse_unsigned (text, info->min, info->max, &uint_value))
        return g_strdup_printf (_(info->message), text);
      store_uint (experiment, field, uint_value);
      return NULL;

    case FIELD_KIND_DOUBLE:
      if (!parse_field_double (info, text, &double_value))
        return g_strdup_printf (_(info->message), text);
      store_double (experiment, field, double_value);
      return NULL;

    default:
      g_assert_not_reached ();
    }
}

static void
read_choices (BasinWindow     *self,
              BasinExperiment *experiment)
{
  BasinExperiment *defaults;

  experiment->data_kind = adw_combo_row_get_selected (self->dataset_row);
  experiment->model.variant = adw_combo_row_get_selected (self->variant_row);
  experiment->model.activation = adw_combo_row_get_selected (self->activation_row);
  experiment->model.layer_norm = gtk_switch_get_active (self->layer_norm_switch);

  /* An image preset switched to moons keeps no usable moons settings. */
  if (experiment->data_kind == BASIN_DATA_MOONS && experiment->n_samples < 10)
    {
      defaults = basin_experiment_new ();
      experiment->n_samples = defaults->n_samples;
      experiment->noise = defaults->noise;
      experiment->test_fraction = defaults->test_fraction;
      basin_experiment_free (defaults);
    }
}

static BasinField
field_from_key (const char *key)
{
  for (guint i = 0; i < BASIN_N_FIELDS; i++)
    if (g_strcmp0 (field_info[i].key, key) == 0)
      return i;

  return BASIN_N_FIELDS;
}

/* Shows the result of basin_experiment_validate() and returns whether the
 * experiment is valid. */
static gboolean
validate_experiment (BasinWindow     *self,
                     BasinExperiment *experiment)
{
  g_autoptr(GError) error = NULL;
  const char *key = NULL;
  BasinField field;

  if (basin_experiment_validate (experiment, &key, &error))
    return TRUE;

  field = field_from_key (key);
  if (field < BASIN_N_FIELDS && field_is_used (self, field))
    {
      basin_field_row_set_error (self->fields[field], error->message);
    }
  else
    {
      gtk_label_set_label (self->sidebar_banner, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->sidebar_banner), TRUE);
    }

  return FALSE;
}

static void
update_row_sensitivity (BasinWindow *self)
{
  BasinDataKind kind = adw_combo_row_get_selected (self->dataset_row);
  BasinVariant variant = adw_combo_row_get_selected (self->variant_row);
  BasinFieldRow *path_row = self->fields[BASIN_FIELD_DATA_PATH];

  gtk_widget_set_sensitive (GTK_WIDGET (path_row), kind != BASIN_DATA_MOONS);
  g_object_set (path_row,
                "placeholder-text", kind == BASIN_DATA_FASHION_MNIST ? BASIN_FASHION_MNIST_DIR : NULL,
                NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->fields[BASIN_FIELD_SIGMA_F]),
                            variant != BASIN_VARIANT_STANDARD);
}

static void
settings_changed_cb (BasinWindow *self)
{
  BasinExperiment *experiment;
  gboolean valid = TRUE;

  if (self->loading_settings || self->preset == NULL)
    return;

  update_row_sensitivity (self);

  experiment = basin_experiment_copy (self->preset);
  read_choices (self, experiment);

  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_banner), FALSE);

  for (guint i = 0; i < BASIN_N_FIELDS; i++)
    {
      g_autofree char *message = NULL;

      if (field_is_used (self, i))
        message = read_field (self, experiment, i);

      basin_field_row_set_error (self->fields[i], message);
      valid = valid && message == NULL;
    }

  if (valid)
    valid = validate_experiment (self, experiment);

  g_clear_pointer (&self->experiment, basin_experiment_free);
  if (valid)
    self->experiment = experiment;
  else
    basin_experiment_free (experiment);

  _basin_window_update_train_button (self);
}

static void
set_field_uint (BasinWindow *self,
                BasinField   field,
                guint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

  basin_field_row_set_text (self->fields[field], text);
}

static void
set_field_double (BasinWindow *self,
                  BasinField   field,
                  double       value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (text, sizeof text, "%g", value);
  basin_field_row_set_text (self->fields[field], text);
}

/* Fills the sidebar from @experiment, which becomes the base that the
 * sidebar's values are applied to. */
static void
load_experiment (BasinWindow     *self,
                 BasinExperiment *experiment)
{
  g_clear_pointer (&self->preset, basin_experiment_free);
  self->preset = experiment;

  self->loading_settings = TRUE;

  adw_combo_row_set_selected (self->dataset_row, experiment->data_kind);
  adw_combo_row_set_selected (self->variant_row, experiment->model.variant);
  adw_combo_row_set_selected (self->activation_row, experiment->model.activation);
  gtk_switch_set_active (self->layer_norm_switch, experiment->model.layer_norm);

  basin_field_row_set_text (self->fields[BASIN_FIELD_DATA_PATH], experiment->data_path);
  set_field_double (self, BASIN_FIELD_SIGMA_F, experiment->model.sigma_f);
  set_field_uint (self, BASIN_FIELD_DEPTH, experiment->model.depth);
  set_field_uint (self, BASIN_FIELD_WIDTH, experiment->model.width);
  set_field_uint (self, BASIN_FIELD_EPOCHS, experiment->train.epochs);
  set_field_uint (self, BASIN_FIELD_BATCH_SIZE, experiment->train.batch_size);
  set_field_double (self, BASIN_FIELD_LEARNING_RATE, experiment->train.learning_rate);
  set_field_double (self, BASIN_FIELD_WEIGHT_DECAY, experiment->train.weight_decay);
  set_field_uint (self, BASIN_FIELD_SEED_A, experiment->seeds[0]);
  set_field_uint (self, BASIN_FIELD_SEED_B, experiment->seeds[1]);
  set_field_uint (self, BASIN_FIELD_MASK_SEED, experiment->model.mask_seed);

  self->loading_settings = FALSE;

  settings_changed_cb (self);
}

static void
show_error_toast (BasinWindow *self,
                  const char  *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
preset_changed_cb (BasinWindow *self)
{
  const char *const *names = basin_experiment_list_presets ();
  guint selected = adw_combo_row_get_selected (self->preset_row);
  g_autoptr(GError) error = NULL;
  BasinExperiment *experiment;

  if (selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length ((char **)names))
    return;

  experiment = basin_experiment_new_preset (names[selected], &error);
  if (experiment == NULL)
    {
      g_message ("Loading preset “%s” failed: %s", names[selected], error->message);
      show_error_toast (self, error->message);
      return;
    }

  g_debug ("Loaded preset “%s”", names[selected]);
  load_experiment (self, experiment);
}

static void
dataset_changed_cb (BasinWindow *self)
{
  BasinFieldRow *path_row = self->fields[BASIN_FIELD_DATA_PATH];

  /* Offer the Debian package's folder, which the core also falls back to. */
  if (!self->loading_settings
      && adw_combo_row_get_selected (self->dataset_row) == BASIN_DATA_FASHION_MNIST
      && basin_field_row_get_text (path_row)[0] == '\0')
    basin_field_row_set_text (path_row, BASIN_FASHION_MNIST_DIR);

  settings_changed_cb (self);
}

static void
data_folder_response_cb (BasinWindow          *self,
                         int                   response,
                         GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (folder != NULL)
    path = g_file_get_path (folder);

  if (folder != NULL && path == NULL)
    show_error_toast (self, _("Choose a folder on this computer; remote folders cannot be read."));
  else if (path != NULL)
    basin_field_row_set_text (self->fields[BASIN_FIELD_DATA_PATH], path);

  g_clear_object (&self->file_chooser);
}

static void
browse_clicked_cb (BasinWindow *self)
{
  g_autoptr(GFile) current = NULL;
  GtkFileChooserNative *chooser;
  const char *path;

  if (self->file_chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Choose a Dataset Folder"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  path = basin_field_row_get_text (self->fields[BASIN_FIELD_DATA_PATH]);
  if (path[0] != '\0' && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      current = g_file_new_for_path (path);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), current, NULL);
    }

  g_signal_connect_object (chooser, "response",
                           G_CALLBACK (data_folder_response_cb), self, G_CONNECT_SWAPPED);

  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->file_chooser);
}

static void
preset_item_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_list_item_set_child (item, label);
}

static void
preset_item_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item)
{
  GtkStringObject *name = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (name));
}

/* Lists the presets by their display names, in the order of
 * basin_experiment_list_presets().  The row shows the selected name as its
 * subtitle, and the popup list shows the names in full because the
 * default one cuts them to a few characters. */
static void
fill_preset_row (BasinWindow *self)
{
  const char *const *names = basin_experiment_list_presets ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  guint default_index = 0;

  g_signal_connect (factory, "setup", G_CALLBACK (preset_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (preset_item_bind_cb), NULL);
  adw_combo_row_set_list_factory (self->preset_row, factory);

  for (guint i = 0; names[i] != NULL; i++)
    {
      BasinExperiment *preset = basin_experiment_new_preset (names[i], NULL);

      if (preset != NULL && preset->name != NULL && preset->name[0] != '\0')
        gtk_string_list_append (model, preset->name);
      else
        gtk_string_list_append (model, names[i]);

      g_clear_pointer (&preset, basin_experiment_free);

      if (g_strcmp0 (names[i], BASIN_DEFAULT_PRESET) == 0)
        default_index = i;
    }

  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->preset_row, default_index);
}

void
_basin_window_settings_class_init (GtkWidgetClass *widget_class)
{
  static const char *field_names[BASIN_N_FIELDS] = {
    [BASIN_FIELD_DATA_PATH] = "data_path_row",
    [BASIN_FIELD_SIGMA_F] = "sigma_f_row",
    [BASIN_FIELD_DEPTH] = "depth_row",
    [BASIN_FIELD_WIDTH] = "width_row",
    [BASIN_FIELD_EPOCHS] = "epochs_row",
    [BASIN_FIELD_BATCH_SIZE] = "batch_size_row",
    [BASIN_FIELD_LEARNING_RATE] = "learning_rate_row",
    [BASIN_FIELD_WEIGHT_DECAY] = "weight_decay_row",
    [BASIN_FIELD_SEED_A] = "seed_a_row",
    [BASIN_FIELD_SEED_B] = "seed_b_row",
    [BASIN_FIELD_MASK_SEED] = "mask_seed_row",
  };

  for (guint i = 0; i < BASIN_N_FIELDS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, field_names[i], FALSE,
                                               G_STRUCT_OFFSET (BasinWindow, fields)
                                               + i * sizeof (BasinFieldRow *));

  gtk_widget_class_bind_template_child (widget_class, BasinWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, sidebar_banner);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, preset_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, dataset_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, variant_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, activation_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, layer_norm_switch);

  gtk_widget_class_bind_template_callback (widget_class, settings_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, preset_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, dataset_changed_cb);
}

void
_basin_window_settings_init (BasinWindow *self)
{
  g_autoptr(GtkListItemFactory) plain_factory = NULL;
  GtkWidget *browse_button;

  browse_button = gtk_button_new_with_mnemonic (_("_Browse…"));
  gtk_widget_set_tooltip_text (browse_button, _("Choose the folder of the IDX files"));
  g_signal_connect_object (browse_button, "clicked",
                           G_CALLBACK (browse_clicked_cb), self, G_CONNECT_SWAPPED);
  basin_field_row_add_suffix (self->fields[BASIN_FIELD_DATA_PATH], browse_button);

  plain_factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (plain_factory, "setup", G_CALLBACK (preset_item_setup_cb), NULL);
  g_signal_connect (plain_factory, "bind", G_CALLBACK (preset_item_bind_cb), NULL);
  adw_combo_row_set_factory (self->variant_row, plain_factory);

  /* Setting the model selects its first item, and that loads the preset
   * unless the first one is the default. */
  fill_preset_row (self);
  if (self->preset == NULL)
    preset_changed_cb (self);
}
