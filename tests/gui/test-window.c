/* test-window.c: the main window driven through its widgets, under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include "basin-preferences.h"
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

/* The tests below use the window's private fields, which
 * basin-window-private.h shares with its source files. */

static void
select_dataset (BasinWindow   *window,
                BasinDataKind  kind)
{
  adw_combo_row_set_selected (basin_window_get_dataset_row (window), kind);
}

static gboolean
field_is_shown (BasinWindow *window,
                BasinField   field)
{
  return gtk_widget_get_visible (GTK_WIDGET (basin_window_get_field_row (window, field)));
}

static void
train_and_wait (BasinWindow *window)
{
  Events events = { 0 };

  connect_events (window, &events);
  click_train (window);
  wait_for (flag_is_set, &events.finished, TRAIN_TIMEOUT_SECONDS, "the finished signal");
  g_assert_false (events.failed);
  disconnect_events (window, &events);

  wait_for (views_have_figures, window, TRAIN_TIMEOUT_SECONDS, "the figures of the session");
}

static void
show_page (BasinWindow *window,
           const char  *name)
{
  adw_view_stack_set_visible_child_name (window->view_stack, name);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 64
         && gtk_widget_get_height (GTK_WIDGET (data)) > 64;
}

static void
test_window_circles_train (void)
{
  BasinWindow *window = create_window ();
  const BasinSession *session;

  set_tiny_experiment (window, "2");
  select_dataset (window, BASIN_DATA_CIRCLES);

  g_assert_true (field_is_shown (window, BASIN_FIELD_INNER_RADIUS));
  g_assert_true (field_is_shown (window, BASIN_FIELD_SAMPLES));
  g_assert_true (field_is_shown (window, BASIN_FIELD_NOISE));
  g_assert_false (field_is_shown (window, BASIN_FIELD_TURNS));
  g_assert_false (field_is_shown (window, BASIN_FIELD_DATA_PATH));
  g_assert_false (field_is_shown (window, BASIN_FIELD_CSV_PATH));

  set_field (window, BASIN_FIELD_INNER_RADIUS, "0.4");
  set_field (window, BASIN_FIELD_SAMPLES, "300");
  g_assert_true (train_button_sensitive (window));
  g_assert_cmpint (basin_window_get_experiment (window)->data_kind, ==, BASIN_DATA_CIRCLES);
  g_assert_cmpfloat (basin_window_get_experiment (window)->inner_radius, ==, 0.4);
  g_assert_cmpuint (basin_window_get_experiment (window)->n_samples, ==, 300);

  train_and_wait (window);

  session = basin_shared_session_get (window->session);
  g_assert_cmpint (session->experiment->data_kind, ==, BASIN_DATA_CIRCLES);
  g_assert_cmpuint (session->train->n_samples + session->test->n_samples, ==, 300);

  /* Weight matching is on in the preset, so the summary names three paths. */
  g_assert_nonnull (session->paths[2]);
  g_assert_nonnull (strstr (gtk_label_get_label (window->status_label), "by weights"));

  destroy_window (window);
}

static void
assert_rejected (BasinWindow *window,
                 BasinField   field,
                 const char  *text)
{
  set_field (window, field, text);
  g_assert_true (field_has_error (window, field));
  g_assert_false (train_button_sensitive (window));
  g_assert_null (basin_window_get_experiment (window));
}

static void
assert_accepted (BasinWindow *window,
                 BasinField   field,
                 const char  *text)
{
  set_field (window, field, text);
  g_assert_false (field_has_error (window, field));
  g_assert_true (train_button_sensitive (window));
}

static void
test_window_new_field_validation (void)
{
  BasinWindow *window = create_window ();

  select_preset (window, "moons");
  select_dataset (window, BASIN_DATA_CIRCLES);

  assert_rejected (window, BASIN_FIELD_INNER_RADIUS, "2");
  g_assert_nonnull (strstr (basin_field_row_get_error (basin_window_get_field_row (window, BASIN_FIELD_INNER_RADIUS)), "“2”"));
  assert_rejected (window, BASIN_FIELD_INNER_RADIUS, "0");
  assert_accepted (window, BASIN_FIELD_INNER_RADIUS, "0,3");
  g_assert_cmpfloat_with_epsilon (basin_window_get_experiment (window)->inner_radius, 0.3, 1e-12);

  assert_rejected (window, BASIN_FIELD_CLIP_NORM, "-1");
  assert_accepted (window, BASIN_FIELD_CLIP_NORM, "1.5");
  assert_rejected (window, BASIN_FIELD_LAMBDA_MIN, "0.5");
  assert_accepted (window, BASIN_FIELD_LAMBDA_MIN, "−0.5");
  assert_rejected (window, BASIN_FIELD_LAMBDA_MAX, "0.9");
  assert_accepted (window, BASIN_FIELD_LAMBDA_MAX, "1.5");
  g_assert_cmpfloat (basin_window_get_experiment (window)->lambda_min, ==, -0.5);

  /* The per-layer rows apply to the W-MLP only. */
  adw_combo_row_set_selected (window->variant_row, BASIN_VARIANT_W_ASYMMETRIC);
  assert_rejected (window, BASIN_FIELD_N_FIXED_LAYERS, "64, many");
  assert_accepted (window, BASIN_FIELD_N_FIXED_LAYERS, "64, -, 256");
  g_assert_true (basin_window_get_experiment (window)->model.layer_override[0]
                 & BASIN_OVERRIDE_N_FIXED);
  g_assert_false (basin_window_get_experiment (window)->model.layer_override[1]
                  & BASIN_OVERRIDE_N_FIXED);
  g_assert_cmpuint (basin_window_get_experiment (window)->model.n_fixed_layer[2], ==, 256);
  assert_rejected (window, BASIN_FIELD_SIGMA_F_LAYERS, "1, 200");
  assert_accepted (window, BASIN_FIELD_SIGMA_F_LAYERS, "-, 0.5");
  g_assert_cmpfloat (basin_window_get_experiment (window)->model.sigma_f_layer[1], ==, 0.5);
  assert_accepted (window, BASIN_FIELD_N_FIXED_LAYERS, "");
  assert_accepted (window, BASIN_FIELD_SIGMA_F_LAYERS, "");
  adw_combo_row_set_selected (window->variant_row, BASIN_VARIANT_STANDARD);
  g_assert_cmpfloat (basin_window_get_experiment (window)->train.clip_norm, ==, 1.5);

  assert_rejected (window, BASIN_FIELD_VALIDATION_FRACTION, "0.9");
  assert_accepted (window, BASIN_FIELD_VALIDATION_FRACTION, "0.1");

  assert_rejected (window, BASIN_FIELD_RANDOM_PERMUTATIONS, "100001");
  assert_accepted (window, BASIN_FIELD_RANDOM_PERMUTATIONS, "0");

  /* The warm-up may not outlast the training: basin_experiment_validate()
   * names the row. */
  set_field (window, BASIN_FIELD_EPOCHS, "5");
  assert_rejected (window, BASIN_FIELD_WARMUP_EPOCHS, "6");
  assert_accepted (window, BASIN_FIELD_WARMUP_EPOCHS, "2.5");

  /* Spirals hide the inner radius, so a bad one stops mattering. */
  set_field (window, BASIN_FIELD_INNER_RADIUS, "7");
  select_dataset (window, BASIN_DATA_SPIRALS);
  g_assert_false (field_is_shown (window, BASIN_FIELD_INNER_RADIUS));
  g_assert_true (train_button_sensitive (window));
  assert_rejected (window, BASIN_FIELD_TURNS, "6");
  assert_accepted (window, BASIN_FIELD_TURNS, "2");

  destroy_window (window);
}

static void
test_window_gaussian_fields (void)
{
  BasinWindow *window = create_window ();

  select_preset (window, "moons");
  select_dataset (window, BASIN_DATA_GAUSSIAN);

  g_assert_true (field_is_shown (window, BASIN_FIELD_SUBSPACE_DIM));
  g_assert_true (field_is_shown (window, BASIN_FIELD_INPUT_DIM));
  g_assert_true (field_is_shown (window, BASIN_FIELD_STRUCTURE_SEED));
  g_assert_false (field_is_shown (window, BASIN_FIELD_NOISE));

  assert_rejected (window, BASIN_FIELD_CLASSES, "1");
  assert_accepted (window, BASIN_FIELD_CLASSES, "4");

  /* k larger than d is caught by basin_experiment_validate() under k. */
  assert_accepted (window, BASIN_FIELD_INPUT_DIM, "16");
  assert_rejected (window, BASIN_FIELD_SUBSPACE_DIM, "32");
  g_assert_false (field_has_error (window, BASIN_FIELD_INPUT_DIM));
  assert_accepted (window, BASIN_FIELD_SUBSPACE_DIM, "8");

  assert_rejected (window, BASIN_FIELD_SEPARATION, "-3");
  assert_accepted (window, BASIN_FIELD_SEPARATION, "2");

  /* Seeds saved to JSON are read back as signed 64-bit integers. */
  assert_rejected (window, BASIN_FIELD_STRUCTURE_SEED, "9223372036854775808");
  assert_accepted (window, BASIN_FIELD_STRUCTURE_SEED, "9223372036854775807");

  g_assert_cmpuint (basin_window_get_experiment (window)->subspace_dim, ==, 8);
  g_assert_cmpuint (basin_window_get_experiment (window)->input_dim, ==, 16);
  g_assert_cmpuint (basin_window_get_experiment (window)->n_classes, ==, 4);

  destroy_window (window);
}

static void
test_window_model_rows (void)
{
  BasinWindow *window = create_window ();

  select_preset (window, "moons");

  /* Momentum belongs to SGD only. */
  g_assert_false (field_is_shown (window, BASIN_FIELD_MOMENTUM));
  adw_combo_row_set_selected (window->optimizer_row, BASIN_OPTIMIZER_SGD);
  g_assert_true (field_is_shown (window, BASIN_FIELD_MOMENTUM));
  assert_rejected (window, BASIN_FIELD_MOMENTUM, "1");
  assert_accepted (window, BASIN_FIELD_MOMENTUM, "0.8");
  g_assert_cmpint (basin_window_get_experiment (window)->train.optimizer, ==, BASIN_OPTIMIZER_SGD);
  g_assert_cmpfloat (basin_window_get_experiment (window)->train.momentum, ==, 0.8);

  adw_combo_row_set_selected (window->schedule_row, BASIN_SCHEDULE_COSINE);
  g_assert_cmpint (basin_window_get_experiment (window)->train.schedule, ==, BASIN_SCHEDULE_COSINE);

  /* A σ-MLP gates its neurons instead of using the activation. */
  adw_combo_row_set_selected (window->variant_row, BASIN_VARIANT_SIGMA);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->activation_row)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (basin_window_get_field_row (window, BASIN_FIELD_SIGMA_F))));
  g_assert_cmpint (basin_window_get_experiment (window)->model.variant, ==, BASIN_VARIANT_SIGMA);

  /* The affine switch depends on LayerNorm. */
  gtk_switch_set_active (window->layer_norm_switch, FALSE);
  g_assert_false (gtk_widget_get_sensitive (window->layer_norm_affine_row));
  gtk_switch_set_active (window->layer_norm_switch, TRUE);
  g_assert_true (gtk_widget_get_sensitive (window->layer_norm_affine_row));
  gtk_switch_set_active (window->layer_norm_affine_switch, FALSE);
  g_assert_true (basin_window_get_experiment (window)->model.layer_norm_no_affine);

  gtk_switch_set_active (window->weight_matching_switch, FALSE);
  gtk_switch_set_active (window->track_switch, FALSE);
  g_assert_false (basin_window_get_experiment (window)->weight_matching);
  g_assert_false (basin_window_get_experiment (window)->track_identifiability);

  destroy_window (window);
}

static void
test_window_csv_fields (void)
{
  BasinWindow *window = create_window ();
  g_autofree char *folder = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GError) error = NULL;
  const BasinExperiment *experiment;

  folder = g_dir_make_tmp ("basin-test-XXXXXX", &error);
  g_assert_no_error (error);
  csv = g_build_filename (folder, "points.csv", NULL);
  missing = g_build_filename (folder, "missing.csv", NULL);
  g_file_set_contents (csv, "x,y,label\n0,1,a\n1,0,b\n", -1, &error);
  g_assert_no_error (error);

  select_preset (window, "moons");
  select_dataset (window, BASIN_DATA_CSV);
  g_assert_true (field_is_shown (window, BASIN_FIELD_CSV_PATH));
  g_assert_true (field_is_shown (window, BASIN_FIELD_TEST_FRACTION));
  g_assert_false (field_is_shown (window, BASIN_FIELD_SAMPLES));
  g_assert_true (gtk_widget_get_visible (window->standardize_row));

  assert_rejected (window, BASIN_FIELD_CSV_PATH, "");
  assert_rejected (window, BASIN_FIELD_CSV_PATH, missing);
  assert_rejected (window, BASIN_FIELD_CSV_PATH, folder);
  assert_accepted (window, BASIN_FIELD_CSV_PATH, csv);

  /* With a test file the training file is not split. */
  assert_rejected (window, BASIN_FIELD_TEST_PATH, missing);
  assert_accepted (window, BASIN_FIELD_TEST_PATH, csv);
  g_assert_false (field_is_shown (window, BASIN_FIELD_TEST_FRACTION));

  assert_rejected (window, BASIN_FIELD_LABEL_COLUMN, "0");
  assert_accepted (window, BASIN_FIELD_LABEL_COLUMN, "label");

  experiment = basin_window_get_experiment (window);
  g_assert_cmpstr (experiment->data_path, ==, csv);
  g_assert_cmpstr (experiment->test_path, ==, csv);
  g_assert_cmpstr (experiment->label_column, ==, "label");

  /* Other data forgets the files. */
  select_dataset (window, BASIN_DATA_XOR);
  experiment = basin_window_get_experiment (window);
  g_assert_nonnull (experiment);
  g_assert_null (experiment->data_path);
  g_assert_null (experiment->test_path);

  g_unlink (csv);
  g_rmdir (folder);
  destroy_window (window);
}

static gboolean
file_idle (gpointer data)
{
  return !_basin_window_get_file_busy (data);
}

static gboolean
session_opened (gpointer data)
{
  BasinWindow *window = data;

  return window->open_cancellable == NULL && !_basin_window_get_file_busy (window);
}

/* Closes the message dialogs the window opened and returns how many there
 * were; @expected_text must be in each heading. */
static guint
close_message_dialogs (const char *expected_text)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) dialogs = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        g_ptr_array_add (dialogs, window);
    }

  for (guint i = 0; i < dialogs->len; i++)
    {
      AdwMessageDialog *dialog = g_ptr_array_index (dialogs, i);

      g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), expected_text));
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  return dialogs->len;
}

static void
test_window_session_save_open (void)
{
  BasinWindow *window = create_window ();
  BasinWindow *reopened;
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autofree char *corrupt = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) corrupt_file = NULL;
  g_autoptr(GError) error = NULL;
  BasinSharedSession *kept;
  const BasinSession *session;

  folder = g_dir_make_tmp ("basin-test-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (folder, "two-moons.safetensors", NULL);
  corrupt = g_build_filename (folder, "corrupt.safetensors", NULL);
  file = g_file_new_for_path (path);
  corrupt_file = g_file_new_for_path (corrupt);

  set_tiny_experiment (window, "2");
  set_field (window, BASIN_FIELD_DEPTH, "3");
  train_and_wait (window);

  _basin_window_save_session_file (window, file);
  wait_for (file_idle, window, TRAIN_TIMEOUT_SECONDS, "the session to be saved");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* A file that is not a session fails with a dialog that names it, and
   * the session shown stays. */
  g_file_set_contents (corrupt, "not a safetensors file", -1, &error);
  g_assert_no_error (error);
  kept = window->session;
  _basin_window_open_session_file (window, corrupt_file);
  wait_for (session_opened, window, TRAIN_TIMEOUT_SECONDS, "the corrupt file to fail");
  g_assert_true (window->session == kept);
  g_assert_nonnull (basin_figure_view_get_figure (basin_window_get_figure_view (window, "merge")));
  g_assert_cmpuint (close_message_dialogs ("corrupt.safetensors"), ==, 1);

  /* Another window opens the file and fills its views and sidebar. */
  reopened = create_window ();
  select_preset (reopened, "moons-wmlp");
  _basin_window_open_session_file (reopened, file);
  wait_for (session_opened, reopened, TRAIN_TIMEOUT_SECONDS, "the session to be opened");
  g_assert_cmpuint (close_message_dialogs (""), ==, 0);
  g_assert_nonnull (reopened->session);
  wait_for (views_have_figures, reopened, TRAIN_TIMEOUT_SECONDS, "the figures of the opened session");
  g_assert_nonnull (basin_figure_view_get_figure (basin_window_get_figure_view (reopened, "training")));

  /* Session files keep no per-epoch track, and the view says so. */
  g_assert_null (basin_figure_view_get_figure (reopened->track_view));
  g_assert_nonnull (strstr (basin_figure_view_get_placeholder (reopened->track_view), "Session files"));

  session = basin_shared_session_get (reopened->session);
  g_assert_cmpuint (session->experiment->model.depth, ==, 3);
  g_assert_cmpuint (session->experiment->model.width, ==, 8);
  g_assert_nonnull (session->paths[1]);
  g_assert_cmpstr (basin_field_row_get_text (basin_window_get_field_row (reopened, BASIN_FIELD_DEPTH)), ==, "3");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (basin_window_get_layer_spin (reopened)), >=, 1);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (basin_window_get_layer_spin (reopened))), ==, 3);

  /* The session's experiment is listed after the presets. */
  g_assert_cmpuint (adw_combo_row_get_selected (basin_window_get_preset_row (reopened)), ==,
                    g_strv_length ((char **)basin_experiment_list_presets ()));

  g_unlink (path);
  g_unlink (corrupt);
  g_rmdir (folder);
  destroy_window (reopened);
  destroy_window (window);
}

static void
test_window_experiment_save_open (void)
{
  BasinWindow *window = create_window ();
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  guint n_presets = g_strv_length ((char **)basin_experiment_list_presets ());

  folder = g_dir_make_tmp ("basin-test-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (folder, "spirals.json", NULL);
  file = g_file_new_for_path (path);

  select_preset (window, "moons");
  select_dataset (window, BASIN_DATA_SPIRALS);
  set_field (window, BASIN_FIELD_TURNS, "2.5");
  set_field (window, BASIN_FIELD_WIDTH, "12");
  set_field (window, BASIN_FIELD_CLIP_NORM, "3");

  _basin_window_save_experiment_file (window, file);
  wait_for (file_idle, window, TRAIN_TIMEOUT_SECONDS, "the experiment to be saved");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  select_preset (window, "moons-wmlp");
  g_assert_cmpstr (basin_field_row_get_text (basin_window_get_field_row (window, BASIN_FIELD_WIDTH)), ==, "16");

  _basin_window_open_experiment_file (window, file);
  wait_for (file_idle, window, TRAIN_TIMEOUT_SECONDS, "the experiment to be opened");
  g_assert_cmpuint (close_message_dialogs (""), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (basin_window_get_preset_row (window)), ==, n_presets);
  g_assert_cmpstr (basin_field_row_get_text (basin_window_get_field_row (window, BASIN_FIELD_WIDTH)), ==, "12");
  g_assert_cmpint (basin_window_get_experiment (window)->data_kind, ==, BASIN_DATA_SPIRALS);
  g_assert_cmpfloat (basin_window_get_experiment (window)->turns, ==, 2.5);
  g_assert_cmpfloat (basin_window_get_experiment (window)->train.clip_norm, ==, 3.0);

  /* Going to a preset and back to the opened experiment restores it. */
  select_preset (window, "moons");
  adw_combo_row_set_selected (basin_window_get_preset_row (window), n_presets);
  g_assert_cmpstr (basin_field_row_get_text (basin_window_get_field_row (window, BASIN_FIELD_WIDTH)), ==, "12");

  g_unlink (path);
  g_rmdir (folder);
  destroy_window (window);
}

static gboolean
swap_costs_shown (gpointer data)
{
  BasinWindow *window = data;

  return !_basin_window_get_swap_costs_running (window)
         && basin_figure_view_get_figure (window->swap_view) != NULL;
}

static void
test_window_swap_costs (void)
{
  BasinWindow *window = create_window ();
  GtkSpinButton *layer_spin = basin_window_get_layer_spin (window);

  set_tiny_experiment (window, "2");
  train_and_wait (window);
  g_assert_null (basin_figure_view_get_figure (window->swap_view));

  /* Showing the page computes the costs of the selected layer. */
  gtk_spin_button_set_value (layer_spin, 1);
  show_page (window, "identifiability");
  g_assert_true (_basin_window_get_swap_costs_running (window));
  wait_for (swap_costs_shown, window, TRAIN_TIMEOUT_SECONDS, "the swap costs of hidden layer 1");
  g_assert_true (g_hash_table_contains (window->swap_cache, GUINT_TO_POINTER (0)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->swap_button)));
  g_assert_true (_basin_window_get_visible_view (window) == window->swap_view);

  /* Another layer gets its own costs; going back uses the cache. */
  gtk_spin_button_set_value (layer_spin, 2);
  wait_for (swap_costs_shown, window, TRAIN_TIMEOUT_SECONDS, "the swap costs of hidden layer 2");
  g_assert_cmpuint (g_hash_table_size (window->swap_cache), ==, 2);

  gtk_spin_button_set_value (layer_spin, 1);
  g_assert_false (_basin_window_get_swap_costs_running (window));
  g_assert_nonnull (basin_figure_view_get_figure (window->swap_view));

  /* A new session forgets the costs. */
  train_and_wait (window);
  g_assert_cmpuint (g_hash_table_size (window->swap_cache), <=, 1);

  destroy_window (window);
}

static gboolean
landscape_finished (gpointer data)
{
  return !_basin_window_landscape_running (data);
}

static gboolean
landscape_has_level (gpointer data)
{
  BasinWindow *window = data;

  return window->landscape != NULL || !_basin_window_landscape_running (window);
}

static void
test_window_landscape_hover (void)
{
  BasinWindow *window = create_window ();
  BasinFigureView *view;
  const BasinFigure *figure;
  cairo_rectangle_t area;
  double width, height;
  const char *text;

  set_tiny_experiment (window, "2");
  train_and_wait (window);

  show_page (window, "landscape");
  view = basin_window_get_figure_view (window, "landscape");
  wait_for (has_size, view, TRAIN_TIMEOUT_SECONDS, "the landscape view to get a size");

  gtk_drop_down_set_selected (window->landscape_resolution_dropdown, 0);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->landscape_evaluate_button)));
  g_signal_emit_by_name (window->landscape_evaluate_button, "clicked");
  g_assert_true (_basin_window_landscape_running (window));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->landscape_evaluate_button)));
  wait_for (landscape_finished, window, TRAIN_TIMEOUT_SECONDS, "the landscape");

  g_assert_nonnull (window->landscape);
  g_assert_cmpuint (window->landscape->n_x, ==, 11);
  g_assert_cmpuint (window->landscape->n_computed, ==, 11 * 11);
  figure = basin_figure_view_get_figure (view);
  g_assert_nonnull (figure);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->landscape_evaluate_button)));

  /* The middle of the map is the middle of the grid. */
  width = gtk_widget_get_width (GTK_WIDGET (view));
  height = gtk_widget_get_height (GTK_WIDGET (view));
  g_assert_true (basin_figure_get_plot_area (figure, 0, width, height, &area));
  g_assert_true (_basin_window_landscape_hover (window, area.x + area.width / 2, area.y + area.height / 2));
  text = gtk_label_get_label (window->landscape_hover_label);
  g_assert_nonnull (strstr (text, "loss"));
  g_assert_nonnull (strstr (text, "accuracy"));

  /* The top left corner is the grid point (x_min, y_max). */
  g_assert_true (_basin_window_landscape_hover (window, area.x + 1, area.y + 1));
  {
    g_autofree char *corner = g_strdup_printf ("(%.3g, %.3g):", window->landscape->x[0],
                                               window->landscape->y[10]);

    g_assert_nonnull (strstr (gtk_label_get_label (window->landscape_hover_label), corner));
  }

  g_assert_false (_basin_window_landscape_hover (window, 0, 0));
  g_assert_null (strstr (gtk_label_get_label (window->landscape_hover_label), "accuracy"));

  /* The log scale redraws the same landscape. */
  gtk_check_button_set_active (window->landscape_log_check, TRUE);
  g_assert_nonnull (basin_figure_view_get_figure (view));
  g_assert_true (basin_figure_view_get_figure (view) != figure);

  destroy_window (window);
}

static void
test_window_landscape_stop (void)
{
  BasinWindow *window = create_window ();
  BasinLandscapeJob *job;
  guint n_computed;

  /* Wide enough that the finer levels of a 101 × 101 grid take a while. */
  set_tiny_experiment (window, "1");
  set_field (window, BASIN_FIELD_WIDTH, "256");
  train_and_wait (window);

  show_page (window, "landscape");
  gtk_drop_down_set_selected (window->landscape_resolution_dropdown, 4);
  g_signal_emit_by_name (window->landscape_evaluate_button, "clicked");
  wait_for (landscape_has_level, window, TRAIN_TIMEOUT_SECONDS, "the first level of the landscape");
  g_assert_true (_basin_window_landscape_running (window));

  g_signal_emit_by_name (window->landscape_stop_button, "clicked");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->landscape_stop_button)));
  wait_for (landscape_finished, window, TRAIN_TIMEOUT_SECONDS, "the landscape to stop");

  /* The computed points stay. */
  g_assert_nonnull (window->landscape);
  n_computed = window->landscape->n_computed;
  g_assert_cmpuint (n_computed, >, 0);
  g_assert_cmpuint (n_computed, <, 101 * 101);
  g_assert_nonnull (basin_figure_view_get_figure (window->landscape_view));
  g_assert_nonnull (strstr (gtk_label_get_label (window->landscape_status_label), "Stopped"));

  /* Evaluate resumes the same landscape. */
  job = window->landscape_job;
  g_signal_emit_by_name (window->landscape_evaluate_button, "clicked");
  g_assert_true (window->landscape_job == job);
  _basin_window_landscape_stop (window);
  wait_for (landscape_finished, window, TRAIN_TIMEOUT_SECONDS, "the resumed landscape to stop");
  g_assert_cmpuint (window->landscape->n_computed, >=, n_computed);

  destroy_window (window);
}

static void
test_preferences_key_file (void)
{
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BasinPreferences) preferences = NULL;
  g_autoptr(BasinPreferences) reread = NULL;
  g_autoptr(BasinPreferences) invalid = NULL;
  g_autofree char *nested = NULL;

  folder = g_dir_make_tmp ("basin-test-XXXXXX", &error);
  g_assert_no_error (error);
  nested = g_build_filename (folder, "basin", NULL);
  path = g_build_filename (nested, "settings.ini", NULL);

  preferences = basin_preferences_new (path);
  g_assert_cmpuint (basin_preferences_get_blas_threads (preferences), ==,
                    MIN (g_get_num_processors (), BASIN_PREFERENCES_MAX_BLAS_THREADS));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  basin_preferences_set_blas_threads (preferences, 3);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  reread = basin_preferences_new (path);
  g_assert_cmpuint (basin_preferences_get_blas_threads (reread), ==, 3);

  /* An out-of-range value keeps the default. */
  g_file_set_contents (path, "[Performance]\nblas-threads=0\n", -1, &error);
  g_assert_no_error (error);
  g_test_expect_message ("basin-gui", G_LOG_LEVEL_WARNING, "*blas-threads*");
  invalid = basin_preferences_new (path);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (basin_preferences_get_blas_threads (invalid), ==,
                    basin_preferences_default_blas_threads ());

  g_unlink (path);
  g_rmdir (nested);
  g_rmdir (folder);
}

typedef struct {
  double fraction;
  char  *text;
  guint  n_progress;
  guint  n_posts;
} RelayRecord;

static void
record_progress_cb (gpointer    owner,
                    double      fraction,
                    const char *text)
{
  RelayRecord *record = g_object_get_data (owner, "record");

  record->fraction = fraction;
  g_free (record->text);
  record->text = g_strdup (text);
  record->n_progress++;
}

static void
record_post_cb (gpointer owner,
                gpointer data)
{
  RelayRecord *record = g_object_get_data (owner, "record");

  record->n_posts++;
  g_free (data);
}

static gpointer
report_thread (gpointer relay)
{
  for (guint i = 1; i <= 1000; i++)
    {
      g_autofree char *text = g_strdup_printf ("step %u", i);

      basin_progress_relay_report (i / 1000.0, text, relay);
    }
  basin_progress_relay_post (relay, record_post_cb, g_strdup ("result"), g_free);

  return NULL;
}

static gboolean
relay_delivered (gpointer data)
{
  RelayRecord *record = data;

  return record->n_posts == 1 && g_strcmp0 (record->text, "step 1000") == 0;
}

static gboolean
relay_shows_last (gpointer data)
{
  RelayRecord *record = data;

  return g_strcmp0 (record->text, "last") == 0;
}

static void
test_progress_relay_latest_and_close (void)
{
  g_autoptr(GObject) owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(BasinProgressRelay) relay = basin_progress_relay_new (owner, record_progress_cb);
  RelayRecord record = { 0 };
  gboolean done = FALSE;

  g_object_set_data (owner, "record", &record);
  g_thread_join (g_thread_new ("report", report_thread, relay));
  wait_for (relay_delivered, &record, TRAIN_TIMEOUT_SECONDS, "the last progress and the post");
  g_assert_cmpfloat (record.fraction, ==, 1.0);
  g_assert_cmpuint (record.n_progress, <, 1000);

  /* A report right after a delivered one, with none after it, still
   * arrives once the interval is over. */
  basin_progress_relay_report (0.5, "last", relay);
  wait_for (relay_shows_last, &record, TRAIN_TIMEOUT_SECONDS, "a report right after another");
  g_assert_cmpfloat (record.fraction, ==, 0.5);

  /* After closing, nothing reaches the owner and posts are freed. */
  record.n_progress = 0;
  basin_progress_relay_close (relay);
  g_thread_join (g_thread_new ("report", report_thread, relay));
  g_timeout_add (100, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (record.n_progress, ==, 0);
  g_assert_cmpuint (record.n_posts, ==, 1);

  g_free (record.text);
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
  g_test_add_func ("/gui/window/circles-train", test_window_circles_train);
  g_test_add_func ("/gui/window/new-field-validation", test_window_new_field_validation);
  g_test_add_func ("/gui/window/gaussian-fields", test_window_gaussian_fields);
  g_test_add_func ("/gui/window/model-rows", test_window_model_rows);
  g_test_add_func ("/gui/window/csv-fields", test_window_csv_fields);
  g_test_add_func ("/gui/window/session-save-open", test_window_session_save_open);
  g_test_add_func ("/gui/window/experiment-save-open", test_window_experiment_save_open);
  g_test_add_func ("/gui/window/swap-costs", test_window_swap_costs);
  g_test_add_func ("/gui/window/landscape-hover", test_window_landscape_hover);
  g_test_add_func ("/gui/window/landscape-stop", test_window_landscape_stop);
  g_test_add_func ("/gui/preferences/key-file", test_preferences_key_file);
  g_test_add_func ("/gui/progress-relay/latest-and-close", test_progress_relay_latest_and_close);

  return g_test_run ();
}
