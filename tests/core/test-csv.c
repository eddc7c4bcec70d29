/* test-csv.c: loading labelled tables from CSV files, and their errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "basin/basin.h"

static char *tmp_dir;

static char *
write_text (const char *name,
            const char *text)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static char *
write_gzip (const char *name,
            const char *text)
{
  g_autoptr (GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr (GInputStream) source = g_memory_input_stream_new_from_data (text, strlen (text), NULL);
  g_autoptr (GInputStream) compressed = g_converter_input_stream_new (source, G_CONVERTER (gzip));
  g_autoptr (GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr (GBytes) bytes = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_cmpint (g_output_stream_splice (sink, compressed,
                                           G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL),
                   >=, 0);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
  return path;
}

/* Loads @text from a file called @name and expects @code with a message
 * containing @fragment. */
static void
expect_error (const char            *name,
              const char            *text,
              const BasinCsvOptions *options,
              gint                   code,
              const char            *fragment)
{
  g_autofree char *path = write_text (name, text);
  g_autoptr (GError) error = NULL;
  BasinCsvInfo *info = NULL;
  BasinDataset *dataset = basin_dataset_load_csv (path, options, &info, NULL, &error);

  g_assert_null (dataset);
  g_assert_null (info);
  g_assert_error (error, BASIN_ERROR, code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected “%s” in the message “%s”", fragment, error->message);
}

static void
test_header_and_string_labels (void)
{
  g_autofree char *path = write_text ("iris.csv",
    "sepal_length,sepal_width,species\n"
    "5.1,3.5,setosa\n"
    "7.0,3.2,versicolor\n"
    "6.3,3.3,virginica\n"
    "4.9,3.0,setosa\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinCsvInfo) info = NULL;
  BasinDataset *dataset = basin_dataset_load_csv (path, NULL, &info, NULL, &error);
  const float expected[] = { 5.1f, 3.5f, 7.0f, 3.2f, 6.3f, 3.3f, 4.9f, 3.0f };
  const guint32 labels[] = { 0, 1, 2, 0 };

  g_assert_no_error (error);
  g_assert_cmpuint (dataset->n_samples, ==, 4);
  g_assert_cmpuint (dataset->dim, ==, 2);
  g_assert_cmpuint (dataset->n_classes, ==, 3);
  g_assert_cmpstr (dataset->name, ==, "iris.csv");
  g_assert_cmpmem (dataset->features, sizeof expected, expected, sizeof expected);
  g_assert_cmpmem (dataset->labels, sizeof labels, labels, sizeof labels);

  g_assert_true (info->has_header);
  g_assert_cmpint (info->delimiter, ==, ',');
  g_assert_false (info->integer_labels);
  g_assert_cmpuint (info->n_features, ==, 2);
  g_assert_cmpstr (info->feature_names[0], ==, "sepal_length");
  g_assert_cmpstr (info->feature_names[1], ==, "sepal_width");
  g_assert_null (info->feature_names[2]);
  g_assert_cmpstr (info->label_name, ==, "species");
  g_assert_cmpuint (info->n_classes, ==, 3);
  g_assert_cmpstr (info->class_names[0], ==, "setosa");
  g_assert_cmpstr (info->class_names[1], ==, "versicolor");
  g_assert_cmpstr (info->class_names[2], ==, "virginica");
  g_assert_null (info->class_names[3]);
  g_assert_null (info->mean);
  g_assert_null (info->std);

  basin_dataset_free (dataset);
}

static void
test_semicolon_decimal_comma (void)
{
  g_autofree char *path = write_text ("european.csv",
    "1,5;-2,25;1\n"
    "0,5;3;0\n"
    "2;1e-1;2.0\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinCsvInfo) info = NULL;
  BasinDataset *dataset = basin_dataset_load_csv (path, NULL, &info, NULL, &error);
  const float expected[] = { 1.5f, -2.25f, 0.5f, 3.0f, 2.0f, 0.1f };
  const guint32 labels[] = { 1, 0, 2 };

  g_assert_no_error (error);
  g_assert_cmpint (info->delimiter, ==, ';');
  g_assert_false (info->has_header);
  g_assert_true (info->integer_labels);
  g_assert_cmpuint (dataset->n_samples, ==, 3);
  g_assert_cmpuint (dataset->n_classes, ==, 3);
  g_assert_cmpmem (dataset->features, sizeof expected, expected, sizeof expected);
  g_assert_cmpmem (dataset->labels, sizeof labels, labels, sizeof labels);
  g_assert_cmpstr (info->feature_names[0], ==, "column 1");
  g_assert_cmpstr (info->label_name, ==, "column 3");
  g_assert_cmpstr (info->class_names[2], ==, "2");

  basin_dataset_free (dataset);
}

/* Every line has as many commas as semicolons, so both delimiters split
 * the lines consistently; the semicolon wins. */
static void
test_semicolon_wins_tie (void)
{
  g_autofree char *path = write_text ("tie.csv", "1,5;2,5;a\n0,5;1,5;b\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinCsvInfo) info = NULL;
  BasinDataset *dataset = basin_dataset_load_csv (path, NULL, &info, NULL, &error);
  const float expected[] = { 1.5f, 2.5f, 0.5f, 1.5f };

  g_assert_no_error (error);
  g_assert_cmpint (info->delimiter, ==, ';');
  g_assert_cmpuint (dataset->dim, ==, 2);
  g_assert_cmpmem (dataset->features, sizeof expected, expected, sizeof expected);

  basin_dataset_free (dataset);
}

static void
test_tab_quotes_label_by_name (void)
{
  g_autofree char *path = write_text ("quoted.tsv",
    "\xef\xbb\xbf\"x\"\t\"class, kind\"\t\"y \"\"in\"\" m\"\r\n"
    "\r\n"
    "1\t\"b\"\t2\r\n"
    "  3 \t a \"quoted\" word\t\"4\"\r\n"
    "\n");
  BasinCsvOptions options = { .label_name = "class, kind" };
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinCsvInfo) info = NULL;
  BasinDataset *dataset = basin_dataset_load_csv (path, &options, &info, NULL, &error);
  const float expected[] = { 1.0f, 2.0f, 3.0f, 4.0f };
  const guint32 labels[] = { 1, 0 };

  g_assert_no_error (error);
  g_assert_cmpint (info->delimiter, ==, '\t');
  g_assert_true (info->has_header);
  g_assert_cmpuint (dataset->n_samples, ==, 2);
  g_assert_cmpmem (dataset->features, sizeof expected, expected, sizeof expected);
  g_assert_cmpmem (dataset->labels, sizeof labels, labels, sizeof labels);
  g_assert_cmpstr (info->feature_names[0], ==, "x");
  g_assert_cmpstr (info->feature_names[1], ==, "y \"in\" m");
  g_assert_cmpstr (info->label_name, ==, "class, kind");
  g_assert_cmpstr (info->class_names[0], ==, "a \"quoted\" word");
  g_assert_cmpstr (info->class_names[1], ==, "b");

  basin_dataset_free (dataset);
}

static void
test_label_first_column_gzip (void)
{
  g_autofree char *path = write_gzip ("digits.csv.gz",
    "label,p0,p1\n"
    "3,0.25,1\n"
    "0,0.5,2\n"
    "3,0.75,3\n");
  BasinCsvOptions options = { .label_column = 1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinCsvInfo) info = NULL;
  BasinDataset *dataset = basin_dataset_load_csv (path, &options, &info, NULL, &error);
  const float expected[] = { 0.25f, 1.0f, 0.5f, 2.0f, 0.75f, 3.0f };
  const guint32 labels[] = { 3, 0, 3 };

  g_assert_no_error (error);
  g_assert_true (info->integer_labels);
  g_assert_cmpuint (dataset->n_classes, ==, 4);
  g_assert_cmpuint (info->n_classes, ==, 4);
  g_assert_cmpmem (dataset->features, sizeof expected, expected, sizeof expected);
  g_assert_cmpmem (dataset->labels, sizeof labels, labels, sizeof labels);
  g_assert_cmpstr (info->label_name, ==, "label");
  g_assert_cmpstr (info->feature_names[0], ==, "p0");

  basin_dataset_free (dataset);
}

static void
test_numeric_labels_sorted (void)
{
  g_autofree char *path = write_text ("signs.csv", "1,-1\n2,10\n3,9\n4,-1\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinCsvInfo) info = NULL;
  BasinDataset *dataset = basin_dataset_load_csv (path, NULL, &info, NULL, &error);
  const guint32 labels[] = { 0, 2, 1, 0 };

  g_assert_no_error (error);
  g_assert_false (info->integer_labels);
  g_assert_cmpuint (info->n_classes, ==, 3);
  g_assert_cmpstr (info->class_names[0], ==, "-1");
  g_assert_cmpstr (info->class_names[1], ==, "9");
  g_assert_cmpstr (info->class_names[2], ==, "10");
  g_assert_cmpmem (dataset->labels, sizeof labels, labels, sizeof labels);

  basin_dataset_free (dataset);
}

static void
test_standardize_and_reference (void)
{
  g_autofree char *train_path = write_text ("train.csv",
    "a,b,c,label\n1,10,5,cat\n2,20,5,dog\n3,60,5,cat\n6,30,5,emu\n");
  g_autofree char *test_path = write_text ("test.csv",
    "a,b,c,label\n4,40,5,emu\n0,0,7,cat\n");
  BasinCsvOptions options = { .standardize = TRUE };
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinCsvInfo) info = NULL;
  g_autoptr (BasinCsvInfo) test_info = NULL;
  BasinDataset *train, *test;
  const double column_a[] = { 1, 2, 3, 6 }, column_b[] = { 10, 20, 60, 30 };
  double mean_a = 3.0, mean_b = 30.0, var_a = 0.0, var_b = 0.0;

  train = basin_dataset_load_csv (train_path, &options, &info, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 4; i++)
    {
      var_a += (column_a[i] - mean_a) * (column_a[i] - mean_a) / 4.0;
      var_b += (column_b[i] - mean_b) * (column_b[i] - mean_b) / 4.0;
    }
  g_assert_cmpfloat_with_epsilon (info->mean[0], mean_a, 1e-6);
  g_assert_cmpfloat_with_epsilon (info->mean[1], mean_b, 1e-5);
  g_assert_cmpfloat_with_epsilon (info->mean[2], 5.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (info->std[0], sqrt (var_a), 1e-6);
  g_assert_cmpfloat_with_epsilon (info->std[1], sqrt (var_b), 1e-5);
  /* A constant column keeps a scale of 1 and becomes zero. */
  g_assert_cmpfloat (info->std[2], ==, 1.0f);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpfloat_with_epsilon (train->features[3 * i], (column_a[i] - mean_a) / sqrt (var_a), 1e-6);
      g_assert_cmpfloat_with_epsilon (train->features[3 * i + 1], (column_b[i] - mean_b) / sqrt (var_b), 1e-6);
      g_assert_cmpfloat (train->features[3 * i + 2], ==, 0.0f);
    }

  /* The test file lacks “dog” but keeps the training file's class indices
   * and statistics, even without asking for standardization. */
  options = (BasinCsvOptions) { .reference = info };
  test = basin_dataset_load_csv (test_path, &options, &test_info, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (test->n_classes, ==, 3);
  g_assert_cmpuint (test->labels[0], ==, 2);
  g_assert_cmpuint (test->labels[1], ==, 0);
  g_assert_cmpstr (test_info->class_names[1], ==, "dog");
  g_assert_cmpfloat_with_epsilon (test->features[0], (4.0 - mean_a) / sqrt (var_a), 1e-6);
  g_assert_cmpfloat_with_epsilon (test->features[1], (40.0 - mean_b) / sqrt (var_b), 1e-6);
  g_assert_cmpfloat_with_epsilon (test->features[5], 2.0, 1e-6);
  g_assert_cmpfloat (test_info->mean[1], ==, info->mean[1]);

  basin_dataset_free (train);
  basin_dataset_free (test);
}

/* Statistics of a training split, applied to the training and test rows. */
static void
test_standardize_split (void)
{
  BasinDataset *all = basin_dataset_new_blobs (999, 0.3, 2, 3);
  BasinDataset *train, *test;
  g_autofree float *original = NULL;
  float mean[2], std[2];

  for (guint i = 0; i < all->n_samples; i++)
    all->features[2 * i + 1] = 5.0f + 20.0f * all->features[2 * i + 1];
  basin_dataset_split (all, 0.25, 9, &train, &test);
  original = g_memdup2 (test->features, 2 * test->n_samples * sizeof (float));

  basin_dataset_feature_statistics (train, mean, std);
  for (guint j = 0; j < 2; j++)
    {
      double sum = 0.0, sum_sq = 0.0;

      for (guint i = 0; i < train->n_samples; i++)
        sum += train->features[2 * i + j];
      for (guint i = 0; i < train->n_samples; i++)
        sum_sq += pow (train->features[2 * i + j] - sum / train->n_samples, 2);
      g_assert_cmpfloat_with_epsilon (mean[j], sum / train->n_samples, 1e-5);
      g_assert_cmpfloat_with_epsilon (std[j], sqrt (sum_sq / train->n_samples), 1e-5);
    }

  basin_dataset_standardize (train, mean, std);
  basin_dataset_standardize (test, mean, std);
  for (guint j = 0; j < 2; j++)
    {
      double sum = 0.0, sum_sq = 0.0;

      for (guint i = 0; i < train->n_samples; i++)
        {
          sum += train->features[2 * i + j];
          sum_sq += train->features[2 * i + j] * train->features[2 * i + j];
        }
      g_assert_cmpfloat_with_epsilon (sum / train->n_samples, 0.0, 1e-5);
      g_assert_cmpfloat_with_epsilon (sum_sq / train->n_samples, 1.0, 1e-4);
    }
  for (guint i = 0; i < 2 * test->n_samples; i++)
    g_assert_cmpfloat_with_epsilon (test->features[i],
                                    (original[i] - mean[i % 2]) / std[i % 2], 1e-5);

  basin_dataset_free (all);
  basin_dataset_free (train);
  basin_dataset_free (test);
}

static void
test_reference_errors (void)
{
  g_autofree char *train_path = write_text ("ref.csv", "a,b,label\n1,2,x\n3,4,y\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinCsvInfo) info = NULL;
  BasinDataset *train = basin_dataset_load_csv (train_path, NULL, &info, NULL, &error);
  BasinCsvOptions options = { .reference = info };

  g_assert_no_error (error);
  expect_error ("unknown-class.csv", "a,b,label\n1,2,x\n5,6,z\n", &options,
                BASIN_ERROR_INVALID_DATA,
                "“unknown-class.csv” line 3, column 3 (“label”): the label “z” is "
                "not one of the 2 classes");
  expect_error ("wider.csv", "a,b,c,label\n1,2,3,x\n", &options,
                BASIN_ERROR_INVALID_DATA, "has 3 feature columns but the training file has 2");
  expect_error ("renamed.csv", "a,B,label\n1,2,x\n", &options,
                BASIN_ERROR_INVALID_DATA, "column 2 is “B” but the training file has “b”");

  basin_dataset_free (train);
}

static void
test_cell_errors (void)
{
  GString *text = g_string_new ("sepal_length,sepal_width,petal_width,species\n");

  for (guint line = 2; line < 17; line++)
    g_string_append (text, "1,2,3,a\n");
  g_string_append (text, "1,2,abc,b\n");
  expect_error ("data.csv", text->str, NULL, BASIN_ERROR_INVALID_DATA,
                "“data.csv” line 17, column 3 (“petal_width”): “abc” is not a number");
  g_string_free (text, TRUE);

  expect_error ("empty-cell.csv", "x,y,label\n1,2,a\n1,,b\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“empty-cell.csv” line 3, column 2 (“y”): the cell is empty");
  expect_error ("nan.csv", "x,y,label\n1,2,a\nNaN,2,b\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“nan.csv” line 3, column 1 (“x”): the value “NaN” is not finite");
  expect_error ("inf.csv", "1,2,0\n1,-inf,1\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“inf.csv” line 2, column 2: the value “-inf” is not finite");
  expect_error ("huge.csv", "1,2,0\n1,1e39,1\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“huge.csv” line 2, column 2: 1e39 is outside the range");
  expect_error ("no-label.csv", "x,y,label\n1,2,a\n1,2,\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“no-label.csv” line 3, column 3 (“label”): the label is empty");
  expect_error ("quote.csv", "x,y,label\n1,2,\"a\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“quote.csv” line 2, column 3: a quoted field is not closed");
  expect_error ("after-quote.csv", "x,y,label\n1,\"2\"3,a\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“after-quote.csv” line 2, column 2: a quoted field is not closed or is "
                "followed by other text");
  expect_error ("latin1.csv", "x,y,label\n1,2,a\n1,2,caf\xe9\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“latin1.csv” line 3 is not valid UTF-8");
}

static void
test_file_errors (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.csv", NULL);
  g_autoptr (GError) error = NULL;
  GString *many = g_string_new (NULL);

  expect_error ("ragged.csv", "x,y,label\n1,2,a\n\n1,2,3,b\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“ragged.csv” line 4 has 4 fields but line 1 has 3");
  expect_error ("short.csv", "1,2,a\n1,b\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“short.csv” line 2 has 2 fields but line 1 has 3");
  expect_error ("empty.csv", "", NULL, BASIN_ERROR_INVALID_DATA, "“empty.csv” is empty");
  expect_error ("blank.csv", "\n  \r\n\n", NULL, BASIN_ERROR_INVALID_DATA, "“blank.csv” is empty");
  expect_error ("header-only.csv", "x,y,label\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“header-only.csv” has a header but no data rows");
  expect_error ("one-column.csv", "1\n2\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“one-column.csv” line 1 has a single column");
  expect_error ("one-class.csv", "x,y,kind\n1,2,cat\n3,4,cat\n", NULL, BASIN_ERROR_INVALID_DATA,
                "Every row of “one-class.csv” has the label “cat” in column 3 (“kind”)");
  expect_error ("one-integer-class.csv", "1,2,1\n3,4,1.0\n", NULL, BASIN_ERROR_INVALID_DATA,
                "“one-integer-class.csv” has the label “1” in column 3; a classifier");

  for (guint i = 0; i < 1001; i++)
    g_string_append_printf (many, "%u,0.%u\n", i, i);
  expect_error ("regression.csv", many->str, NULL, BASIN_ERROR_INVALID_DATA,
                "The label column 2 of “regression.csv” has 1001 distinct values");
  g_string_free (many, TRUE);

  g_assert_null (basin_dataset_load_csv (missing, NULL, NULL, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "missing.csv"));
}

static void
test_option_errors (void)
{
  const char *text = "x,y,label\n1,2,a\n3,4,b\n";
  BasinCsvOptions by_name = { .label_name = "target" };
  BasinCsvOptions by_number = { .label_column = 4 };
  BasinCsvOptions no_header = { .header = BASIN_CSV_HEADER_ABSENT };
  BasinCsvOptions pipe = { .delimiter = '|' };

  expect_error ("by-name.csv", text, &by_name, BASIN_ERROR_INVALID_ARGUMENT,
                "“by-name.csv” has no column named “target”");
  expect_error ("by-number.csv", text, &by_number, BASIN_ERROR_INVALID_ARGUMENT,
                "Label column 4 does not exist: “by-number.csv” has 3 columns");
  expect_error ("no-header.csv", text, &no_header, BASIN_ERROR_INVALID_DATA,
                "“no-header.csv” line 1, column 1: “x” is not a number");
  expect_error ("pipe.csv", text, &pipe, BASIN_ERROR_INVALID_ARGUMENT, "“|” is not supported");
}

static void
test_header_forced (void)
{
  g_autofree char *path = write_text ("numeric-header.csv", "1,2,label\n0.5,1.5,0\n2.5,3.5,1\n");
  BasinCsvOptions options = { .header = BASIN_CSV_HEADER_PRESENT };
  g_autoptr (GError) error = NULL;
  g_autoptr (BasinCsvInfo) info = NULL;
  BasinDataset *dataset = basin_dataset_load_csv (path, &options, &info, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (dataset->n_samples, ==, 2);
  g_assert_cmpstr (info->feature_names[1], ==, "2");
  g_assert_cmpfloat (dataset->features[3], ==, 3.5f);

  basin_dataset_free (dataset);
}

static void
test_cancelled (void)
{
  g_autofree char *path = write_text ("cancel.csv", "1,2,0\n3,4,1\n");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (basin_dataset_load_csv (path, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
remove_tmp_dir (void)
{
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (tmp_dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("basin-csv-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/core/csv/header-string-labels", test_header_and_string_labels);
  g_test_add_func ("/core/csv/semicolon-decimal-comma", test_semicolon_decimal_comma);
  g_test_add_func ("/core/csv/semicolon-wins-tie", test_semicolon_wins_tie);
  g_test_add_func ("/core/csv/tab-quotes-label-name", test_tab_quotes_label_by_name);
  g_test_add_func ("/core/csv/label-first-column-gzip", test_label_first_column_gzip);
  g_test_add_func ("/core/csv/numeric-labels-sorted", test_numeric_labels_sorted);
  g_test_add_func ("/core/csv/standardize-reference", test_standardize_and_reference);
  g_test_add_func ("/core/csv/standardize-split", test_standardize_split);
  g_test_add_func ("/core/csv/reference-errors", test_reference_errors);
  g_test_add_func ("/core/csv/cell-errors", test_cell_errors);
  g_test_add_func ("/core/csv/file-errors", test_file_errors);
  g_test_add_func ("/core/csv/option-errors", test_option_errors);
  g_test_add_func ("/core/csv/header-forced", test_header_forced);
  g_test_add_func ("/core/csv/cancelled", test_cancelled);

  status = g_test_run ();
  remove_tmp_dir ();
  g_free (tmp_dir);
  return status;
}
