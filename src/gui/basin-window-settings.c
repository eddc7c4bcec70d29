/* basin-window-settings.c: the settings sidebar of the main window.
 *
 * Every change re-reads the whole sidebar into a copy of the selected
 * preset.  A value that does not parse gets its message under its row
 * (basin-window-fields.c).  When all values parse,
 * basin_experiment_validate() checks the assembled experiment.  Its
 * message goes under the row it names, or into the banner at the top of
 * the sidebar when that setting has no row in use.  The Train button is
 * sensitive only while the experiment is valid.
 *
 * Rows that the selected dataset, variant or optimizer does not use are
 * hidden or insensitive, and their values are not read: the preset's
 * values stay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include <basin/basin-dataset.h>

#include "basin-window-private.h"

static gboolean
is_generated (BasinDataKind kind)
{
  return kind != BASIN_DATA_FASHION_MNIST && kind != BASIN_DATA_IDX && kind != BASIN_DATA_CSV;
}

static gboolean
field_is_used (BasinWindow *self,
               BasinField   field)
{
  GtkWidget *row = GTK_WIDGET (self->fields[field]);

  return gtk_widget_get_visible (row) && gtk_widget_get_sensitive (row);
}

static void
show_field (BasinWindow *self,
            BasinField   field,
            gboolean     visible)
{
  gtk_widget_set_visible (GTK_WIDGET (self->fields[field]), visible);
}

static gboolean
field_is_blank (BasinWindow *self,
                BasinField   field)
{
  g_autofree char *text = g_strdup (basin_field_row_get_text (self->fields[field]));

  return g_strstrip (text)[0] == '\0';
}

/* Whether the validation fraction requests a split, which the data seed
 * draws.  Text that does not parse counts as a request, so the data seed
 * stays in view while the fraction is being typed. */
static gboolean
validation_requested (BasinWindow *self)
{
  g_autofree char *text = g_strdup (basin_field_row_get_text (self->fields[BASIN_FIELD_VALIDATION_FRACTION]));
  char *end = NULL;
  double value;

  g_strstrip (text);
  g_strdelimit (text, ",", '.');
  value = g_ascii_strtod (text, &end);

  return !(end != text && *end == '\0' && value == 0.0);
}

static void
update_data_rows (BasinWindow *self)
{
  BasinDataKind kind = adw_combo_row_get_selected (self->dataset_row);
  gboolean generated = is_generated (kind);
  gboolean csv = kind == BASIN_DATA_CSV;
  gboolean gaussian = kind == BASIN_DATA_GAUSSIAN;

  show_field (self, BASIN_FIELD_DATA_PATH, kind == BASIN_DATA_IDX || kind == BASIN_DATA_FASHION_MNIST);
  show_field (self, BASIN_FIELD_CSV_PATH, csv);
  show_field (self, BASIN_FIELD_TEST_PATH, csv);
  show_field (self, BASIN_FIELD_LABEL_COLUMN, csv);
  gtk_widget_set_visible (self->standardize_row, csv);

  show_field (self, BASIN_FIELD_SAMPLES, generated);
  show_field (self, BASIN_FIELD_NOISE, generated && !gaussian);
  show_field (self, BASIN_FIELD_TEST_FRACTION,
              generated || (csv && field_is_blank (self, BASIN_FIELD_TEST_PATH)));
  show_field (self, BASIN_FIELD_DATA_SEED, generated || csv || validation_requested (self));

  show_field (self, BASIN_FIELD_INNER_RADIUS, kind == BASIN_DATA_CIRCLES);
  show_field (self, BASIN_FIELD_TURNS, kind == BASIN_DATA_SPIRALS);
  show_field (self, BASIN_FIELD_CLASSES, kind == BASIN_DATA_BLOBS || gaussian);
  show_field (self, BASIN_FIELD_INPUT_DIM, gaussian);
  show_field (self, BASIN_FIELD_SUBSPACE_DIM, gaussian);
  show_field (self, BASIN_FIELD_SEPARATION, gaussian);
  show_field (self, BASIN_FIELD_STRUCTURE_SEED, gaussian);

  g_object_set (self->fields[BASIN_FIELD_DATA_PATH],
                "placeholder-text", kind == BASIN_DATA_FASHION_MNIST ? BASIN_FASHION_MNIST_DIR : NULL,
                NULL);
}

static void
update_row_visibility (BasinWindow *self)
{
  BasinVariant variant = adw_combo_row_get_selected (self->variant_row);
  BasinOptimizer optimizer = adw_combo_row_get_selected (self->optimizer_row);

  update_data_rows (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->fields[BASIN_FIELD_SIGMA_F]),
                            variant != BASIN_VARIANT_STANDARD);
  gtk_widget_set_sensitive (GTK_WIDGET (self->fields[BASIN_FIELD_SIGMA_F_LAYERS]),
                            variant != BASIN_VARIANT_STANDARD);
  gtk_widget_set_sensitive (GTK_WIDGET (self->fields[BASIN_FIELD_N_FIXED_LAYERS]),
                            variant == BASIN_VARIANT_W_ASYMMETRIC);

  /* A σ-MLP gates each neuron with sigmoid(C y) instead of an activation. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->activation_row), variant != BASIN_VARIANT_SIGMA);
  gtk_widget_set_sensitive (self->layer_norm_affine_row,
                            gtk_switch_get_active (self->layer_norm_switch));

  show_field (self, BASIN_FIELD_MOMENTUM, optimizer == BASIN_OPTIMIZER_SGD);
}

static void
read_choices (BasinWindow     *self,
              BasinExperiment *experiment)
{
  experiment->data_kind = adw_combo_row_get_selected (self->dataset_row);
  experiment->standardize = gtk_switch_get_active (self->standardize_switch);

  experiment->model.variant = adw_combo_row_get_selected (self->variant_row);
  experiment->model.activation = adw_combo_row_get_selected (self->activation_row);
  experiment->model.layer_norm = gtk_switch_get_active (self->layer_norm_switch);
  experiment->model.layer_norm_no_affine = !gtk_switch_get_active (self->layer_norm_affine_switch);

  experiment->train.optimizer = adw_combo_row_get_selected (self->optimizer_row);
  experiment->train.schedule = adw_combo_row_get_selected (self->schedule_row);

  experiment->weight_matching = gtk_switch_get_active (self->weight_matching_switch);
  experiment->track_identifiability = gtk_switch_get_active (self->track_switch);
  experiment->eval_on_train = gtk_switch_get_active (self->eval_train_switch);
  experiment->eval_random = gtk_switch_get_active (self->eval_random_switch);

  /* The CSV rows are hidden for other data, and their files must not
   * outlive the choice. */
  if (experiment->data_kind != BASIN_DATA_CSV)
    {
      g_clear_pointer (&experiment->test_path, g_free);
      if (experiment->data_kind != BASIN_DATA_IDX && experiment->data_kind != BASIN_DATA_FASHION_MNIST)
        g_clear_pointer (&experiment->data_path, g_free);
    }
}

/* Returns the row in use that @key names, or BASIN_N_FIELDS. */
static BasinField
field_from_key (BasinWindow *self,
                const char  *key)
{
  for (guint i = 0; i < BASIN_N_FIELDS; i++)
    if (g_strcmp0 (_basin_window_field_key (i), key) == 0 && field_is_used (self, i))
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

  field = field_from_key (self, key);
  if (field < BASIN_N_FIELDS)
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
settings_changed_cb (BasinWindow *self)
{
  BasinExperiment *experiment;
  gboolean valid = TRUE;

  if (self->loading_settings || self->preset == NULL)
    return;

  update_row_visibility (self);

  experiment = basin_experiment_copy (self->preset);
  read_choices (self, experiment);

  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_banner), FALSE);

  for (guint i = 0; i < BASIN_N_FIELDS; i++)
    {
      g_autofree char *message = NULL;

      if (field_is_used (self, i))
        message = _basin_window_read_field (self, experiment, i);

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
  _basin_window_update_actions (self);
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
  gtk_switch_set_active (self->standardize_switch, experiment->standardize);
  adw_combo_row_set_selected (self->variant_row, experiment->model.variant);
  adw_combo_row_set_selected (self->activation_row, experiment->model.activation);
  gtk_switch_set_active (self->layer_norm_switch, experiment->model.layer_norm);
  gtk_switch_set_active (self->layer_norm_affine_switch, !experiment->model.layer_norm_no_affine);
  adw_combo_row_set_selected (self->optimizer_row, experiment->train.optimizer);
  adw_combo_row_set_selected (self->schedule_row, experiment->train.schedule);
  gtk_switch_set_active (self->weight_matching_switch, experiment->weight_matching);
  gtk_switch_set_active (self->track_switch, experiment->track_identifiability);
  gtk_switch_set_active (self->eval_train_switch, experiment->eval_on_train);
  gtk_switch_set_active (self->eval_random_switch, experiment->eval_random);

  _basin_window_write_fields (self, experiment);

  self->loading_settings = FALSE;

  settings_changed_cb (self);
}

/* Puts @label after the presets, replacing an earlier one, and selects it. */
static void
select_file_preset (BasinWindow *self,
                    const char  *label)
{
  GtkStringList *model = GTK_STRING_LIST (adw_combo_row_get_model (self->preset_row));
  guint n_presets = g_strv_length ((char **)basin_experiment_list_presets ());
  const char *labels[] = { label, NULL };
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (model));

  self->changing_presets = TRUE;
  gtk_string_list_splice (model, n_presets, n_items - n_presets, labels);
  adw_combo_row_set_selected (self->preset_row, n_presets);
  self->changing_presets = FALSE;
}

/**
 * _basin_window_load_experiment:
 * @experiment: (transfer full): the settings
 * @source: label of the preset list's entry for @experiment, such as the
 *   name of the file it came from
 *
 * Fills the sidebar from an experiment that is not a preset, and lists it
 * after the presets so that the user can go back to it.
 */
void
_basin_window_load_experiment (BasinWindow     *self,
                               BasinExperiment *experiment,
                               const char      *source)
{
  g_return_if_fail (experiment != NULL);
  g_return_if_fail (source != NULL);

  g_clear_pointer (&self->file_preset, basin_experiment_free);
  self->file_preset = basin_experiment_copy (experiment);

  select_file_preset (self, source);
  load_experiment (self, experiment);
}

static void
preset_changed_cb (BasinWindow *self)
{
  const char *const *names = basin_experiment_list_presets ();
  guint n_presets = g_strv_length ((char **)names);
  guint selected = adw_combo_row_get_selected (self->preset_row);
  g_autoptr(GError) error = NULL;
  BasinExperiment *experiment;

  if (self->changing_presets || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (selected >= n_presets)
    {
      if (self->file_preset != NULL)
        load_experiment (self, basin_experiment_copy (self->file_preset));
      return;
    }

  experiment = basin_experiment_new_preset (names[selected], &error);
  if (experiment == NULL)
    {
      g_message ("Loading preset “%s” failed: %s", names[selected], error->message);
      _basin_window_show_toast (self, error->message, 8);
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
browse_response_cb (BasinWindow          *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file != NULL)
    path = g_file_get_path (file);

  if (file != NULL && path == NULL)
    _basin_window_show_toast (self, _("Choose a file or folder on this computer; remote "
                                      "locations cannot be read."), 8);
  else if (path != NULL)
    basin_field_row_set_text (self->fields[self->browse_field], path);

  g_clear_object (&self->file_chooser);
}

static void
add_csv_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (csv, _("CSV Files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_mime_type (csv, "text/tab-separated-values");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "tsv");
  gtk_file_chooser_add_filter (chooser, csv);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

/* Opens a chooser for the path in @field, starting where its text points. */
static void
browse_for_field (BasinWindow *self,
                  BasinField   field,
                  const char  *title)
{
  gboolean folder = field == BASIN_FIELD_DATA_PATH;
  g_autofree char *text = g_strdup (basin_field_row_get_text (self->fields[field]));
  g_autofree char *start = NULL;
  GtkFileChooserNative *chooser;

  if (self->file_chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                         folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         folder ? _("_Select") : _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (!folder)
    add_csv_filters (GTK_FILE_CHOOSER (chooser));

  g_strstrip (text);
  start = g_file_test (text, G_FILE_TEST_IS_DIR) ? g_strdup (text) : g_path_get_dirname (text);
  if (text[0] != '\0' && g_file_test (start, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) current = g_file_new_for_path (start);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), current, NULL);
    }

  g_signal_connect_object (chooser, "response",
                           G_CALLBACK (browse_response_cb), self, G_CONNECT_SWAPPED);

  self->browse_field = field;
  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->file_chooser);
}

static void
browse_folder_clicked_cb (BasinWindow *self)
{
  browse_for_field (self, BASIN_FIELD_DATA_PATH, _("Choose a Dataset Folder"));
}

static void
browse_csv_clicked_cb (BasinWindow *self)
{
  browse_for_field (self, BASIN_FIELD_CSV_PATH, _("Choose the Training File"));
}

static void
browse_test_clicked_cb (BasinWindow *self)
{
  browse_for_field (self, BASIN_FIELD_TEST_PATH, _("Choose the Test File"));
}

static void
add_browse_button (BasinWindow *self,
                   BasinField   field,
                   const char  *tooltip,
                   GCallback    callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Browse…"));

  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect_object (button, "clicked", callback, self, G_CONNECT_SWAPPED);
  basin_field_row_add_suffix (self->fields[field], button);
}

static void
plain_item_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (GPOINTER_TO_INT (ellipsize))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
plain_item_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item)
{
  GtkStringObject *name = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (name));
}

/**
 * _basin_window_new_label_factory:
 * @ellipsize: whether long strings end in an ellipsis, so that the
 *   widget can be narrower than its longest string
 *
 * Returns: (transfer full): a factory of left-aligned labels for the
 *   strings of a #GtkStringList
 */
GtkListItemFactory *
_basin_window_new_label_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (plain_item_setup_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (plain_item_bind_cb), NULL);

  return factory;
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
  g_autoptr(GtkListItemFactory) factory = _basin_window_new_label_factory (FALSE);
  guint default_index = 0;

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
  _basin_window_fields_class_init (widget_class);

  gtk_widget_class_bind_template_child (widget_class, BasinWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, sidebar_banner);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, preset_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, dataset_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, variant_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, activation_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, optimizer_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, layer_norm_switch);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, layer_norm_affine_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, layer_norm_affine_switch);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, standardize_row);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, standardize_switch);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, weight_matching_switch);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, track_switch);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, eval_train_switch);
  gtk_widget_class_bind_template_child (widget_class, BasinWindow, eval_random_switch);

  gtk_widget_class_bind_template_callback (widget_class, settings_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, preset_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, dataset_changed_cb);
}

void
_basin_window_settings_init (BasinWindow *self)
{
  AdwComboRow *plain_rows[] = { self->dataset_row, self->variant_row };

  add_browse_button (self, BASIN_FIELD_DATA_PATH, _("Choose the folder of the IDX files"),
                     G_CALLBACK (browse_folder_clicked_cb));
  add_browse_button (self, BASIN_FIELD_CSV_PATH, _("Choose the CSV file with the training samples"),
                     G_CALLBACK (browse_csv_clicked_cb));
  add_browse_button (self, BASIN_FIELD_TEST_PATH, _("Choose a CSV file with the test samples"),
                     G_CALLBACK (browse_test_clicked_cb));

  for (guint i = 0; i < G_N_ELEMENTS (plain_rows); i++)
    {
      g_autoptr(GtkListItemFactory) factory = _basin_window_new_label_factory (FALSE);

      adw_combo_row_set_factory (plain_rows[i], factory);
    }

  /* Setting the model selects its first item, and that loads the preset
   * unless the first one is the default. */
  fill_preset_row (self);
  if (self->preset == NULL)
    preset_changed_cb (self);
}
