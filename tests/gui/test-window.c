/* test-window.c: the main window driven through its widgets, under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include "basin-window-private.h"

#define TRAIN_TIMEOUT_SECONDS 120

typedef struct {
  guint     n_progress;
  guint     n_curves;
  gboolean  finished;
  gboolean  stopped;
  gboolean  failed;
  char     *failure;
} Events;

typedef gboolean (*Predicate) (gpointer data);

static void
progress_cb (BasinTrainingController *controller,
             double                   fraction,
             const char              *text,
             Events                  *events)
{
  events->n_progress++;
}

static void
loss_curves_cb (BasinTrainingController *controller,
                BasinLossCurves         *curves,
                Events                  *events)
{
  events->n_curves++;
}

static void
finished_cb (BasinTrainingController *controller,
             gpointer                 session,
             Events                  *events)
{
  events->finished = TRUE;
}

static void
stopped_cb (BasinTrainingController *controller,
            Events                  *events)
{
  events->stopped = TRUE;
}

static void
failed_cb (BasinTrainingController *controller,
           const GError            *error,
           Events                  *events)
{
  events->failed = TRUE;
  g_free (events->failure);
  events->failure = g_strdup (error->message);
}

static void
connect_events (BasinWindow *window,
                Events      *events)
{
  BasinTrainingController *controller = basin_window_get_controller (window);

  g_signal_connect (controller, "progress", G_CALLBACK (progress_cb), events);
  g_signal_connect (controller, "loss-curves", G_CALLBACK (loss_curves_cb), events);
  g_signal_connect (controller, "finished", G_CALLBACK (finished_cb), events);
  g_signal_connect (controller, "stopped", G_CALLBACK (stopped_cb), events);
  g_signal_connect (controller, "failed", G_CALLBACK (failed_cb), events);
}

static void
disconnect_events (BasinWindow *window,
                   Events      *events)
{
  g_signal_handlers_disconnect_by_data (basin_window_get_controller (window), events);
  g_clear_pointer (&events->failure, g_free);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @predicate holds, failing the test
 * after @timeout_seconds. */
static void
wait_for (Predicate   predicate,
          gpointer    data,
          guint       timeout_seconds,
          const char *what)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  timeout_id = g_timeout_add_seconds (timeout_seconds, timeout_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %u s waiting for %s", timeout_seconds, what);

  g_source_remove (timeout_id);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

static gboolean
has_curves (gpointer data)
{
  Events *events = data;

  return events->n_curves > 0 || events->finished || events->failed;
}

static gboolean
views_have_figures (gpointer data)
{
  BasinWindow *window = data;

  return basin_figure_view_get_figure (basin_window_get_figure_view (window, "neurons")) != NULL
         && basin_figure_view_get_figure (basin_window_get_figure_view (window, "match")) != NULL
         && basin_figure_view_get_figure (basin_window_get_figure_view (window, "merge")) != NULL;
}

typedef struct {
  BasinFigureView   *view;
  const BasinFigure *old_figure;
} FigureChange;

static gboolean
figure_changed (gpointer data)
{
  FigureChange *change = data;
  const BasinFigure *figure = basin_figure_view_get_figure (change->view);

  return figure != NULL && figure != change->old_figure;
}

static BasinWindow *
create_window (void)
{
  BasinWindow *window = basin_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static void
destroy_window (BasinWindow *window)
{
  gboolean done = FALSE;

  gtk_window_destroy (GTK_WINDOW (window));

  /* Let pending idles and finished tasks run before the next test. */
  g_timeout_add (50, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
select_preset (BasinWindow *window,
               const char  *name)
{
  const char *const *names = basin_experiment_list_presets ();

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) == 0)
      {
        adw_combo_row_set_selected (basin_window_get_preset_row (window), i);
        return;
      }

  g_error ("Preset “%s” is not in basin_experiment_list_presets()", name);
}

static void
set_field (BasinWindow *window,
           BasinField   field,
           const char  *text)
{
  BasinFieldRow *row = basin_window_get_field_row (window, field);

  gtk_editable_set_text (GTK_EDITABLE (basin_field_row_get_entry (row)), text);
}

static gboolean
field_has_error (BasinWindow *window,
                 BasinField   field)
{
  BasinFieldRow *row = basin_window_get_field_row (window, field);

  return basin_field_row_get_error (row) != NULL
         && gtk_widget_has_css_class (GTK_WIDGET (basin_field_row_get_entry (row)), "error");
}

static gboolean
train_button_sensitive (BasinWindow *window)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (basin_window_get_train_button (window)));
}

static void
click_train (BasinWindow *window)
{
  g_signal_emit_by_name (basin_window_get_train_button (window), "clicked");
}

/* Sets up the tiny experiment the training tests use. */
static void
set_tiny_experiment (BasinWindow *window,
                     const char  *epochs)
{
  select_preset (window, "moons");
  set_field (window, BASIN_FIELD_EPOCHS, epochs);
  set_field (window, BASIN_FIELD_WIDTH, "8");
  g_assert_nonnull (basin_window_get_experiment (window));
  g_assert_true (train_button_sensitive (window));
}

static void
assert_file_starts_with (const char *path,
                         const char *magic,
                         gsize       magic_length)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, magic_length);
  g_assert_cmpmem (contents, magic_length, magic, magic_length);
}

static void
assert_svg_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "<?xml") || g_str_has_prefix (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "<svg"));
}

static void
assert_csv_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strchr (contents, ','));
  g_assert_nonnull (strchr (contents, '\n'));
}

static void
test_window_width_validation (void)
{
  BasinWindow *window = create_window ();
  const BasinExperiment *experiment;

  select_preset (window, "moons");
  g_assert_true (train_button_sensitive (window));

  set_field (window, BASIN_FIELD_WIDTH, "0");
  g_assert_true (field_has_error (window, BASIN_FIELD_WIDTH));
  g_assert_nonnull (strstr (basin_field_row_get_error (basin_window_get_field_row (window, BASIN_FIELD_WIDTH)), "“0”"));
  g_assert_false (train_button_sensitive (window));
  g_assert_null (basin_window_get_experiment (window));

  set_field (window, BASIN_FIELD_WIDTH, "twelve");
  g_assert_true (field_has_error (window, BASIN_FIELD_WIDTH));
  g_assert_false (train_button_sensitive (window));

  set_field (window, BASIN_FIELD_WIDTH, "");
  g_assert_true (field_has_error (window, BASIN_FIELD_WIDTH));

  set_field (window, BASIN_FIELD_WIDTH, "8");
  g_assert_false (field_has_error (window, BASIN_FIELD_WIDTH));
  g_assert_true (train_button_sensitive (window));

  experiment = basin_window_get_experiment (window);
  g_assert_nonnull (experiment);
  g_assert_cmpuint (experiment->model.width, ==, 8);

  destroy_window (window);
}

static void
test_window_number_validation (void)
{
  BasinWindow *window = create_window ();
  const BasinExperiment *experiment;

  select_preset (window, "moons");

  set_field (window, BASIN_FIELD_LEARNING_RATE, "0");
  g_assert_true (field_has_error (window, BASIN_FIELD_LEARNING_RATE));
  g_assert_false (train_button_sensitive (window));

  set_field (window, BASIN_FIELD_LEARNING_RATE, "-0.1");
  g_assert_true (field_has_error (window, BASIN_FIELD_LEARNING_RATE));

  set_field (window, BASIN_FIELD_LEARNING_RATE, "nan");
  g_assert_true (field_has_error (window, BASIN_FIELD_LEARNING_RATE));

  /* Two bad fields: fixing one leaves the button insensitive. */
  set_field (window, BASIN_FIELD_DEPTH, "-2");
  g_assert_true (field_has_error (window, BASIN_FIELD_DEPTH));
  set_field (window, BASIN_FIELD_LEARNING_RATE, "0,005");
  g_assert_false (field_has_error (window, BASIN_FIELD_LEARNING_RATE));
  g_assert_false (train_button_sensitive (window));

  set_field (window, BASIN_FIELD_DEPTH, "3");
  g_assert_true (train_button_sensitive (window));

  set_field (window, BASIN_FIELD_SEED_B, "18446744073709551616");
  g_assert_true (field_has_error (window, BASIN_FIELD_SEED_B));
  set_field (window, BASIN_FIELD_SEED_B, "18446744073709551615");
  g_assert_false (field_has_error (window, BASIN_FIELD_SEED_B));

  set_field (window, BASIN_FIELD_BATCH_SIZE, "0");
  g_assert_true (field_has_error (window, BASIN_FIELD_BATCH_SIZE));
  set_field (window, BASIN_FIELD_BATCH_SIZE, "16");

  set_field (window, BASIN_FIELD_WEIGHT_DECAY, "-1");
  g_assert_true (field_has_error (window, BASIN_FIELD_WEIGHT_DECAY));
  set_field (window, BASIN_FIELD_WEIGHT_DECAY, "0");

  experiment = basin_window_get_experiment (window);
  g_assert_nonnull (experiment);
  g_assert_cmpfloat_with_epsilon (experiment->train.learning_rate, 0.005, 1e-12);
  g_assert_cmpuint (experiment->model.depth, ==, 3);
  g_assert_cmpuint (experiment->train.batch_size, ==, 16);
  g_assert_cmpuint (experiment->seeds[1], ==, G_MAXUINT64);

  destroy_window (window);
}

static void
test_window_data_path_validation (void)
{
  BasinWindow *window = create_window ();
  AdwComboRow *dataset_row = basin_window_get_dataset_row (window);
  g_autofree char *folder = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GError) error = NULL;

  select_preset (window, "moons");

  adw_combo_row_set_selected (dataset_row, BASIN_DATA_IDX);
  set_field (window, BASIN_FIELD_DATA_PATH, "");
  g_assert_true (field_has_error (window, BASIN_FIELD_DATA_PATH));
  g_assert_false (train_button_sensitive (window));

  folder = g_dir_make_tmp ("basin-test-XXXXXX", &error);
  g_assert_no_error (error);
  missing = g_build_filename (folder, "missing", NULL);

  set_field (window, BASIN_FIELD_DATA_PATH, missing);
  g_assert_true (field_has_error (window, BASIN_FIELD_DATA_PATH));

  set_field (window, BASIN_FIELD_DATA_PATH, folder);
  g_assert_false (field_has_error (window, BASIN_FIELD_DATA_PATH));
  g_assert_true (train_button_sensitive (window));

  /* Moons ignores the folder, so a bad one stops mattering. */
  set_field (window, BASIN_FIELD_DATA_PATH, "");
  adw_combo_row_set_selected (dataset_row, BASIN_DATA_MOONS);
  g_assert_false (field_has_error (window, BASIN_FIELD_DATA_PATH));
  g_assert_true (train_button_sensitive (window));

  g_rmdir (folder);
  destroy_window (window);
}

static void
test_window_train_and_export (void)
{
  BasinWindow *window = create_window ();
  Events events = { 0 };
  BasinFigureView *merge_view;
  FigureChange change;
  g_autofree char *folder = NULL;
  g_autoptr(GError) error = NULL;
  static const char *extensions[] = { "png", "svg", "pdf", "csv" };

  connect_events (window, &events);
  set_tiny_experiment (window, "2");

  click_train (window);
  g_assert_true (basin_training_controller_get_running (basin_window_get_controller (window)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (basin_window_get_field_row (window, BASIN_FIELD_WIDTH))));

  wait_for (flag_is_set, &events.finished, TRAIN_TIMEOUT_SECONDS, "the finished signal");
  g_assert_false (events.failed);
  g_assert_cmpuint (events.n_progress, >, 0);
  g_assert_cmpuint (events.n_curves, >, 0);
  g_assert_true (train_button_sensitive (window));

  wait_for (views_have_figures, window, TRAIN_TIMEOUT_SECONDS, "the figures of the session");
  g_assert_nonnull (basin_figure_view_get_figure (basin_window_get_figure_view (window, "training")));

  /* The second hidden layer gets its own figures. */
  change.view = basin_window_get_figure_view (window, "neurons");
  change.old_figure = basin_figure_view_get_figure (change.view);
  gtk_spin_button_set_value (basin_window_get_layer_spin (window), 2);
  wait_for (figure_changed, &change, TRAIN_TIMEOUT_SECONDS, "the figures of hidden layer 2");

  folder = g_dir_make_tmp ("basin-test-XXXXXX", &error);
  g_assert_no_error (error);

  merge_view = basin_window_get_figure_view (window, "merge");
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      g_autofree char *name = g_strconcat ("merge-path.", extensions[i], NULL);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      basin_figure_view_export (merge_view, path, &error);
      g_assert_no_error (error);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

      if (g_str_equal (extensions[i], "png"))
        assert_file_starts_with (path, "\x89PNG\r\n\x1a\n", 8);
      else if (g_str_equal (extensions[i], "svg"))
        assert_svg_file (path);
      else if (g_str_equal (extensions[i], "pdf"))
        assert_file_starts_with (path, "%PDF-", 5);
      else
        assert_csv_file (path);

      g_unlink (path);
    }

  g_rmdir (folder);
  disconnect_events (window, &events);
  destroy_window (window);
}

static void
test_window_export_without_figure (void)
{
  BasinWindow *window = create_window ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "basin-never-written.png", NULL);

  g_assert_false (basin_figure_view_export (basin_window_get_figure_view (window, "merge"), path, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  destroy_window (window);
}

static void
test_window_stop_and_restart (void)
{
  BasinWindow *window = create_window ();
  BasinTrainingController *controller = basin_window_get_controller (window);
  Events events = { 0 };

  connect_events (window, &events);

  /* Long enough that it is still training when it is stopped. */
  set_tiny_experiment (window, "10000");
  set_field (window, BASIN_FIELD_WIDTH, "64");

  click_train (window);
  wait_for (has_curves, &events, TRAIN_TIMEOUT_SECONDS, "the first loss curves");
  g_assert_false (events.finished);
  g_assert_false (events.failed);

  click_train (window);
  g_assert_true (basin_training_controller_get_stopping (controller));
  g_assert_false (train_button_sensitive (window));

  wait_for (flag_is_set, &events.stopped, TRAIN_TIMEOUT_SECONDS, "the stopped signal");
  g_assert_false (events.finished);
  g_assert_false (events.failed);
  g_assert_false (basin_training_controller_get_running (controller));
  g_assert_true (train_button_sensitive (window));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (basin_window_get_field_row (window, BASIN_FIELD_EPOCHS))));

  /* The window stays usable: a short run finishes. */
  set_field (window, BASIN_FIELD_EPOCHS, "1");
  set_field (window, BASIN_FIELD_WIDTH, "8");
  click_train (window);
  wait_for (flag_is_set, &events.finished, TRAIN_TIMEOUT_SECONDS, "the finished signal after a restart");
  g_assert_false (events.failed);
  wait_for (views_have_figures, window, TRAIN_TIMEOUT_SECONDS, "the figures after a restart");

  disconnect_events (window, &events);
  destroy_window (window);
}

static void
test_window_missing_data_fails (void)
{
  BasinWindow *window = create_window ();
  Events events = { 0 };
  g_autofree char *folder = NULL;
  g_autoptr(GError) error = NULL;

  connect_events (window, &events);

  folder = g_dir_make_tmp ("basin-test-XXXXXX", &error);
  g_assert_no_error (error);

  set_tiny_experiment (window, "1");
  adw_combo_row_set_selected (basin_window_get_dataset_row (window), BASIN_DATA_IDX);
  set_field (window, BASIN_FIELD_DATA_PATH, folder);
  g_assert_true (train_button_sensitive (window));

  click_train (window);
  wait_for (flag_is_set, &events.failed, TRAIN_TIMEOUT_SECONDS, "the failed signal");
  g_assert_nonnull (events.failure);
  g_assert_false (events.finished);
  g_assert_true (train_button_sensitive (window));

  g_rmdir (folder);
  disconnect_events (window, &events);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  /* Xvfb runs without a session bus, so the accessibility bridge would
   * warn, and GTest makes warnings fatal. */
  g_setenv ("GTK_A11Y", "none", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/gui/window/width-validation", test_window_width_validation);
  g_test_add_func ("/gui/window/number-validation", test_window_number_validation);
  g_test_add_func ("/gui/window/data-path-validation", test_window_data_path_validation);
  g_test_add_func ("/gui/window/export-without-figure", test_window_export_without_figure);
  g_test_add_func ("/gui/window/train-and-export", test_window_train_and_export);
  g_test_add_func ("/gui/window/stop-and-restart", test_window_stop_and_restart);
  g_test_add_func ("/gui/window/missing-data-fails", test_window_missing_data_fails);

  return g_test_run ();
}
