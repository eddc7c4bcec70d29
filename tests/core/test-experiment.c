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
  return g_test_run ();
}
