/* test-dataset.c: IDX reading, its errors, and generated data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "basin/basin.h"

static char *tmp_dir;

static GBytes *
make_idx (guint8         n_dims,
          const guint32 *sizes,
          const guint8  *data,
          gsize          data_size)
{
  GByteArray *bytes = g_byte_array_new ();
  guint8 head[4] = { 0, 0, 0x08, n_dims };

  g_byte_array_append (bytes, head, 4);
  for (guint i = 0; i < n_dims; i++)
    {
      guint32 be = GUINT32_TO_BE (sizes[i]);
      g_byte_array_append (bytes, (guint8 *) &be, 4);
    }
  g_byte_array_append (bytes, data, data_size);
  return g_byte_array_free_to_bytes (bytes);
}

static GBytes *
gzip_bytes (GBytes *plain)
{
  g_autoptr (GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr (GInputStream) source = g_memory_input_stream_new_from_bytes (plain);
  g_autoptr (GInputStream) compressed = g_converter_input_stream_new (source, G_CONVERTER (gzip));
  g_autoptr (GOutputStream) sink = g_memory_output_stream_new_resizable ();

  g_assert_cmpint (g_output_stream_splice (sink, compressed,
                                           G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL),
                   >=, 0);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static char *
write_file (const char *name,
            GBytes     *bytes,
            gsize       keep)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  gsize size = MIN (keep, g_bytes_get_size (bytes));

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), size, NULL));
  return path;
}

/* Writes 3 images of 2 × 4 pixels and their labels; returns the paths. */
static void
write_small_set (const char *stem,
                 gboolean    compress,
                 guint       n_labels,
                 char      **images_out,
                 char      **labels_out)
{
  const guint32 image_sizes[3] = { 3, 2, 4 };
  const guint32 label_sizes[1] = { n_labels };
  guint8 pixels[24], labels[4] = { 2, 0, 1, 1 };
  g_autoptr (GBytes) images = NULL;
  g_autoptr (GBytes) label_bytes = NULL;
  g_autofree char *image_name = g_strdup_printf ("%s-images-idx3-ubyte%s", stem, compress ? ".gz" : "");
  g_autofree char *label_name = g_strdup_printf ("%s-labels-idx1-ubyte%s", stem, compress ? ".gz" : "");

  for (guint i = 0; i < 24; i++)
    pixels[i] = (guint8) (i * 10);
  images = make_idx (3, image_sizes, pixels, sizeof pixels);
  label_bytes = make_idx (1, label_sizes, labels, n_labels);
  if (compress)
    {
      GBytes *z1 = gzip_bytes (images), *z2 = gzip_bytes (label_bytes);

      g_bytes_unref (images);
      g_bytes_unref (label_bytes);
      images = z1;
      label_bytes = z2;
    }
  *images_out = write_file (image_name, images, G_MAXSIZE);
  *labels_out = write_file (label_name, label_bytes, G_MAXSIZE);
}

static void
test_dataset_idx_roundtrip (void)
{
  for (int compress = 0; compress <= 1; compress++)
    {
      g_autofree char *images = NULL, *labels = NULL;
      g_autoptr (GError) error = NULL;
      BasinDataset *ds;
      float x[8];

      write_small_set ("train", compress, 3, &images, &labels);
      ds = basin_dataset_load_idx (images, labels, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ds->n_samples, ==, 3);
      g_assert_cmpuint (ds->image_width, ==, 4);
      g_assert_cmpuint (ds->image_height, ==, 2);
      g_assert_cmpuint (ds->dim, ==, 8);
      g_assert_cmpuint (ds->n_classes, ==, 3);
      g_assert_cmpuint (ds->labels[0], ==, 2);

      basin_dataset_range (ds, 1, 1, x, NULL);
      g_assert_cmpfloat_with_epsilon (x[0], 80.0 / 255.0, 1e-6);
      g_assert_cmpfloat_with_epsilon (x[7], 150.0 / 255.0, 1e-6);
      basin_dataset_free (ds);
    }
}

static void
test_dataset_idx_truncated (void)
{
  g_autofree char *images = NULL, *labels = NULL, *cut = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) whole = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  write_small_set ("cut", FALSE, 3, &images, &labels);
  g_assert_true (g_file_get_contents (images, &contents, &length, NULL));
  whole = g_bytes_new (contents, length);
  cut = write_file ("cut-short-images", whole, length - 5);

  g_assert_null (basin_dataset_load_idx (cut, labels, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "truncated"));
  g_assert_nonnull (strstr (error->message, cut));
}

static void
test_dataset_idx_truncated_gzip (void)
{
  g_autofree char *images = NULL, *labels = NULL, *cut = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) whole = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  write_small_set ("gzcut", TRUE, 3, &images, &labels);
  g_assert_true (g_file_get_contents (images, &contents, &length, NULL));
  whole = g_bytes_new (contents, length);
  cut = write_file ("gzcut-short.gz", whole, length / 2);

  g_assert_null (basin_dataset_load_idx (cut, labels, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, cut));
}

static void
test_dataset_idx_wrong_magic (void)
{
  g_autofree char *images = NULL, *labels = NULL;
  g_autoptr (GError) error = NULL;

  write_small_set ("magic", FALSE, 3, &images, &labels);
  /* Labels passed as images: one dimension instead of three. */
  g_assert_null (basin_dataset_load_idx (labels, images, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "magic number"));
  g_assert_nonnull (strstr (error->message, "0x00000801"));
}

static void
test_dataset_idx_count_mismatch (void)
{
  g_autofree char *images = NULL, *labels = NULL;
  g_autoptr (GError) error = NULL;

  write_small_set ("count", FALSE, 4, &images, &labels);
  g_assert_null (basin_dataset_load_idx (images, labels, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "3 images"));
  g_assert_nonnull (strstr (error->message, "4 labels"));
}

static void
test_dataset_idx_missing_folder (void)
{
  BasinDataset *train = NULL, *test = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (basin_dataset_load_idx_dir ("/nonexistent/basin", &train, &test, NULL, &error));
  g_assert_error (error, BASIN_ERROR, BASIN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/basin"));
}

static void
test_dataset_fashion_mnist (void)
{
  BasinDataset *train = NULL, *test = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_file_test (BASIN_FASHION_MNIST_DIR, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("dataset-fashion-mnist is not installed");
      return;
    }

  g_assert_true (basin_dataset_load_idx_dir (BASIN_FASHION_MNIST_DIR, &train, &test, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (train->n_samples, ==, 60000);
  g_assert_cmpuint (test->n_samples, ==, 10000);
  g_assert_cmpuint (train->dim, ==, 784);
  g_assert_cmpuint (train->n_classes, ==, 10);
  g_assert_nonnull (train->pixels);
  basin_dataset_free (train);
  basin_dataset_free (test);
}

static void
test_dataset_moons (void)
{
  BasinDataset *a = basin_dataset_new_moons (201, 0.1, 5);
  BasinDataset *b = basin_dataset_new_moons (201, 0.1, 5);
  BasinDataset *c = basin_dataset_new_moons (201, 0.1, 6);
  BasinDataset *train, *test;
  guint counts[2] = { 0, 0 };

  g_assert_cmpuint (a->n_samples, ==, 201);
  g_assert_cmpuint (a->dim, ==, 2);
  g_assert_cmpuint (a->n_classes, ==, 2);
  for (guint i = 0; i < a->n_samples; i++)
    {
      g_assert_cmpuint (a->labels[i], <, 2);
      counts[a->labels[i]]++;
    }
  g_assert_cmpuint (counts[0], ==, 101);
  g_assert_cmpuint (counts[1], ==, 100);
  g_assert_cmpmem (a->features, 402 * sizeof (float), b->features, 402 * sizeof (float));
  g_assert_cmpint (memcmp (a->features, c->features, 402 * sizeof (float)), !=, 0);

  basin_dataset_split (a, 0.2, 1, &train, &test);
  g_assert_cmpuint (test->n_samples, ==, 40);
  g_assert_cmpuint (train->n_samples, ==, 161);

  basin_dataset_free (train);
  basin_dataset_free (test);
  basin_dataset_free (a);
  basin_dataset_free (b);
  basin_dataset_free (c);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("basin-dataset-XXXXXX", NULL);

  g_test_add_func ("/core/dataset/idx-roundtrip", test_dataset_idx_roundtrip);
  g_test_add_func ("/core/dataset/idx-truncated", test_dataset_idx_truncated);
  g_test_add_func ("/core/dataset/idx-truncated-gzip", test_dataset_idx_truncated_gzip);
  g_test_add_func ("/core/dataset/idx-wrong-magic", test_dataset_idx_wrong_magic);
  g_test_add_func ("/core/dataset/idx-count-mismatch", test_dataset_idx_count_mismatch);
  g_test_add_func ("/core/dataset/idx-missing-folder", test_dataset_idx_missing_folder);
  g_test_add_func ("/core/dataset/fashion-mnist", test_dataset_fashion_mnist);
  g_test_add_func ("/core/dataset/moons", test_dataset_moons);
  status = g_test_run ();

  g_autoptr (GFile) dir = g_file_new_for_path (tmp_dir);
  g_autoptr (GFileEnumerator) children = g_file_enumerate_children (dir, "standard::name", 0, NULL, NULL);
  GFileInfo *info;
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr (GFile) child = g_file_get_child (dir, g_file_info_get_name (info));
      g_file_delete (child, NULL, NULL);
      g_object_unref (info);
    }
  g_file_delete (dir, NULL, NULL);
  g_free (tmp_dir);
  return status;
}
