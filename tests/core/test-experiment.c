/* test-experiment.c: presets, validation and the JSON form of experiments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "basin/basin.h"

static void
test_experiment_presets_valid (void)
{
  const char *const *names = basin_experiment_list_presets ();

  g_assert_true (g_strv_contains (names, BASIN_DEFAULT_PRESET));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      BasinExperiment *e = basin_experiment_new_preset (names[i], &error);

      g_assert_no_error (error);
      g_assert_true (basin_experiment_validate (e, NULL, &error));
      g_assert_no_error (error);
      basin_experiment_free (e);
    }
}

static void
test_experiment_unknown_preset (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (basin_experiment_new_preset ("mnist-huge", &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "mnist-huge"));
  g_assert_nonnull (strstr (error->message, "moons"));
}

static void
test_experiment_json_roundtrip (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new_preset ("fashion-mnist-wmlp", &error);
  g_autofree char *dir = g_dir_make_tmp ("basin-experiment-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "e.json", NULL);
  BasinExperiment *back;

  e->train.epsilon = 1e-8;
  e->data_path = g_strdup ("/data/idx");
  e->seeds[1] = G_GUINT64_CONSTANT (1234567890123);
  g_assert_true (basin_experiment_save (e, path, &error));
  g_assert_no_error (error);
  back = basin_experiment_load (path, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (back->name, ==, e->name);
  g_assert_cmpstr (back->data_path, ==, "/data/idx");
  g_assert_cmpint (back->data_kind, ==, e->data_kind);
  g_assert_cmpmem (&back->model, sizeof back->model, &e->model, sizeof e->model);
  g_assert_cmpmem (&back->train, sizeof back->train, &e->train, sizeof e->train);
  g_assert_cmpuint (back->seeds[1], ==, e->seeds[1]);
  g_assert_cmpuint (back->path_points, ==, e->path_points);

  g_unlink (path);
  g_rmdir (dir);
  basin_experiment_free (back);
  basin_experiment_free (e);
}

static void
check_invalid (void (*change) (BasinExperiment *),
               const char *field,
               const char *needle)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new ();
  const char *bad_field = NULL;

  change (e);
  g_assert_false (basin_experiment_validate (e, &bad_field, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (bad_field, ==, field);
  g_assert_nonnull (strstr (error->message, needle));
  basin_experiment_free (e);
}

static void zero_width (BasinExperiment *e) { e->model.width = 0; }
static void negative_rate (BasinExperiment *e) { e->train.learning_rate = -0.1; }
static void empty_path (BasinExperiment *e) { e->data_kind = BASIN_DATA_IDX; e->data_path = g_strdup (""); }
static void zero_batch (BasinExperiment *e) { e->train.batch_size = 0; }
static void zero_epochs (BasinExperiment *e) { e->train.epochs = 0; }

static void
test_experiment_validation (void)
{
  check_invalid (zero_width, "width", "Width 0");
  check_invalid (negative_rate, "learning_rate", "-0.1");
  check_invalid (empty_path, "data_path", "folder");
  check_invalid (zero_batch, "batch_size", "Batch size 0");
  check_invalid (zero_epochs, "epochs", "0 epochs");
}

static void
test_experiment_json_errors (void)
{
  const char *cases[][2] = {
    { "{\"model\": {\"width\": \"wide\"}}", "model.width" },
    { "{\"model\": {\"width\": -3}}", "model.width" },
    { "{\"model\": {\"activation\": \"swish\"}}", "swish" },
    { "{\"data\": {\"kind\": \"cifar\"}}", "cifar" },
    { "{\"seeds\": [1]}", "seeds" },
    { "[1, 2]", "JSON object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;

      g_assert_true (json_parser_load_from_data (parser, cases[i][0], -1, NULL));
      g_assert_null (basin_experiment_from_json (json_parser_get_root (parser), &error));
      g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, cases[i][1]));
    }
}

static void
test_experiment_json_exponent_valid (void)
{
  BasinExperiment *e = basin_experiment_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;

  e->train.epsilon = 1e-8;
  e->train.learning_rate = 3e-5;
  node = basin_experiment_to_json (e);
  text = basin_json_to_string (node);
  g_assert_null (strstr (text, "e-08.0"));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  basin_experiment_free (e);
}

/* Every generated data kind builds a session whose data has the expected
 * shape, and its settings survive a JSON round trip. */
static void
test_experiment_generated_kinds (void)
{
  const BasinDataKind kinds[] = {
    BASIN_DATA_MOONS, BASIN_DATA_CIRCLES, BASIN_DATA_SPIRALS, BASIN_DATA_XOR,
    BASIN_DATA_BLOBS, BASIN_DATA_GAUSSIAN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = NULL;
      BasinExperiment *e = basin_experiment_new ();
      BasinExperiment *back;
      BasinSession *session;

      e->data_kind = kinds[i];
      e->n_samples = 200;
      e->n_classes = 4;
      e->input_dim = 20;
      e->subspace_dim = 3;
      session = basin_session_new (e, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (session->train->n_samples + session->test->n_samples, ==, 200);
      g_assert_cmpuint (session->train->dim, ==, kinds[i] == BASIN_DATA_GAUSSIAN ? 20 : 2);
      g_assert_cmpuint (session->train->n_classes, ==,
                        kinds[i] == BASIN_DATA_BLOBS || kinds[i] == BASIN_DATA_GAUSSIAN ? 4 : 2);

      node = basin_experiment_to_json (e);
      back = basin_experiment_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_cmpint (back->data_kind, ==, kinds[i]);
      g_assert_cmpuint (back->subspace_dim, ==, 3);

      basin_experiment_free (back);
      basin_session_free (session);
      basin_experiment_free (e);
    }
}

static void
test_experiment_csv_kind (void)
{
  g_autofree char *dir = g_dir_make_tmp ("basin-csv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "points.csv", NULL);
  g_autoptr (GString) text = g_string_new ("x,y,kind\n");
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new ();
  BasinSession *session;

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (text, "%u,%u.5,%s\n", i, 100 - i, i < 50 ? "low" : "high");
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));

  e->data_kind = BASIN_DATA_CSV;
  e->data_path = g_strdup (path);
  e->label_column = g_strdup ("kind");
  session = basin_session_new (e, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (session->train->dim, ==, 2);
  g_assert_cmpuint (session->train->n_classes, ==, 2);
  g_assert_cmpuint (session->test->n_samples, ==, 20);

  basin_session_free (session);
  g_free (e->label_column);
  e->label_column = g_strdup ("colour");
  g_assert_null (basin_session_new (e, NULL, &error));
  g_assert_nonnull (strstr (error->message, "colour"));

  g_unlink (path);
  g_rmdir (dir);
  basin_experiment_free (e);
}

static void
test_experiment_generator_ranges (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new ();
  const char *field = NULL;

  e->data_kind = BASIN_DATA_GAUSSIAN;
  e->subspace_dim = 600;
  e->input_dim = 512;
  g_assert_false (basin_experiment_validate (e, &field, &error));
  g_assert_cmpstr (field, ==, "subspace_dim");
  g_clear_error (&error);

  e->data_kind = BASIN_DATA_CIRCLES;
  e->inner_radius = 1.5;
  g_assert_false (basin_experiment_validate (e, &field, &error));
  g_assert_cmpstr (field, ==, "inner_radius");
  basin_experiment_free (e);
}

static void
test_experiment_apply_setting (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new ();
  BasinExperiment *changed;

  changed = basin_experiment_apply_setting (e, "model.width=64", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->model.width, ==, 64);
  basin_experiment_free (changed);

  changed = basin_experiment_apply_setting (e, "data.kind=spirals", &error);
  g_assert_no_error (error);
  g_assert_cmpint (changed->data_kind, ==, BASIN_DATA_SPIRALS);
  basin_experiment_free (changed);

  changed = basin_experiment_apply_setting (e, "seeds=[5, 6]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->seeds[1], ==, 6);
  basin_experiment_free (changed);

  g_assert_null (basin_experiment_apply_setting (e, "model.colour=3", &error));
  g_assert_nonnull (strstr (error->message, "model.colour"));
  g_clear_error (&error);
  g_assert_null (basin_experiment_apply_setting (e, "model.width=wide", &error));
  g_assert_nonnull (strstr (error->message, "model.width"));
  g_clear_error (&error);
  g_assert_null (basin_experiment_apply_setting (e, "width", &error));
  g_assert_nonnull (strstr (error->message, "SECTION.KEY=VALUE"));
  basin_experiment_free (e);
}

/* Settings that would need terabytes are rejected before anything is
 * allocated. */
static void
test_experiment_memory_limits (void)
{
  g_autoptr (GError) error = NULL;
  BasinExperiment *e = basin_experiment_new ();
  const char *field = NULL;

  e->model.width = 16384;
  e->model.depth = 64;
  g_assert_null (basin_session_new (e, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "parameters"));
  g_clear_error (&error);

  e->model.width = 16;
  e->model.depth = 2;
  e->data_kind = BASIN_DATA_GAUSSIAN;
  e->n_samples = 10000000;
  e->input_dim = 100000;
  g_assert_false (basin_experiment_validate (e, &field, &error));
  g_assert_cmpstr (field, ==, "samples");
  basin_experiment_free (e);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/experiment/presets-valid", test_experiment_presets_valid);
  g_test_add_func ("/core/experiment/unknown-preset", test_experiment_unknown_preset);
  g_test_add_func ("/core/experiment/json-roundtrip", test_experiment_json_roundtrip);
  g_test_add_func ("/core/experiment/validation", test_experiment_validation);
  g_test_add_func ("/core/experiment/json-errors", test_experiment_json_errors);
  g_test_add_func ("/core/experiment/json-exponent-valid", test_experiment_json_exponent_valid);
  g_test_add_func ("/core/experiment/generated-kinds", test_experiment_generated_kinds);
  g_test_add_func ("/core/experiment/csv-kind", test_experiment_csv_kind);
  g_test_add_func ("/core/experiment/generator-ranges", test_experiment_generator_ranges);
  g_test_add_func ("/core/experiment/apply-setting", test_experiment_apply_setting);
  g_test_add_func ("/core/experiment/memory-limits", test_experiment_memory_limits);
  return g_test_run ();
}
