/* basin-idx.c: reader for MNIST-format IDX files, plain or gzip-compressed.
 *
 * An IDX file starts with two zero bytes, a type byte (0x08 for unsigned
 * bytes), the number of dimensions, and one big-endian 32-bit size per
 * dimension.  The data follows in row-major order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "basin-dataset.h"
#include "basin-error.h"
#include "basin-file-private.h"

#define IDX_TYPE_UBYTE 0x08

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Checks the header of an unsigned-byte IDX file with @n_dims dimensions,
 * fills @sizes and returns a pointer to the data. */
static const guint8 *
parse_idx_header (GBytes      *bytes,
                  const char  *path,
                  guint        n_dims,
                  guint32     *sizes,
                  GError     **error)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gsize header = 4 + 4 * (gsize) n_dims;
  guint64 expected = 1;

  if (length < 4 || data[0] != 0 || data[1] != 0 || data[2] != IDX_TYPE_UBYTE
      || data[3] != n_dims)
    {
      guint32 magic = length >= 4 ? read_be32 (data) : 0;

      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” is not an IDX file of %u-dimensional unsigned bytes: "
                     "its magic number is 0x%08x, expected 0x%08x. Check that "
                     "images and labels are not swapped."),
                   path, n_dims, magic, (guint32) (IDX_TYPE_UBYTE << 8 | n_dims));
      return NULL;
    }

  if (length < header)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” is truncated: its header needs %zu"
                     " bytes but the file has %zu."),
                   path, header, length);
      return NULL;
    }

  for (guint i = 0; i < n_dims; i++)
    {
      sizes[i] = read_be32 (data + 4 + 4 * i);
      expected *= sizes[i];
    }

  if (length - header != expected)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” is truncated or padded: its header announces %"
                     PRIu64 " data bytes but the file has %zu"
                     "."),
                   path, expected, length - header);
      return NULL;
    }

  return data + header;
}

/**
 * basin_dataset_load_idx:
 * @images_path: an IDX file of n × height × width unsigned bytes
 * @labels_path: an IDX file of n unsigned-byte labels
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Loads an image dataset in MNIST format; either file may be gzip-compressed.
 * The number of classes is the largest label plus one.
 *
 * Returns: (transfer full) (nullable): the dataset, or %NULL with @error set
 */
BasinDataset *
basin_dataset_load_idx (const char   *images_path,
                        const char   *labels_path,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autoptr (GBytes) image_bytes = NULL;
  g_autoptr (GBytes) label_bytes = NULL;
  g_autofree char *name = NULL;
  const guint8 *pixels, *labels;
  guint32 image_sizes[3], label_sizes[1];
  BasinDataset *dataset;
  guint max_label = 0;

  image_bytes = basin_read_file (images_path, cancellable, error);
  if (image_bytes == NULL)
    return NULL;
  pixels = parse_idx_header (image_bytes, images_path, 3, image_sizes, error);
  if (pixels == NULL)
    return NULL;

  label_bytes = basin_read_file (labels_path, cancellable, error);
  if (label_bytes == NULL)
    return NULL;
  labels = parse_idx_header (label_bytes, labels_path, 1, label_sizes, error);
  if (labels == NULL)
    return NULL;

  if (image_sizes[0] != label_sizes[0])
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” has %u images but “%s” has %u labels; use the label "
                     "file that belongs to these images."),
                   images_path, image_sizes[0], labels_path, label_sizes[0]);
      return NULL;
    }

  if (image_sizes[0] == 0 || image_sizes[1] == 0 || image_sizes[2] == 0)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("“%s” contains no images (size %u × %u × %u)."),
                   images_path, image_sizes[0], image_sizes[1], image_sizes[2]);
      return NULL;
    }

  name = g_path_get_basename (images_path);
  dataset = basin_dataset_new_pixels (name, image_sizes[0], image_sizes[2],
                                      image_sizes[1], 0);
  memcpy (dataset->pixels, pixels, (gsize) image_sizes[0] * dataset->dim);
  for (guint i = 0; i < label_sizes[0]; i++)
    {
      dataset->labels[i] = labels[i];
      max_label = MAX (max_label, labels[i]);
    }
  dataset->n_classes = max_label + 1;

  return dataset;
}

/* Returns the first of the usual MNIST file names for @stem that exists in
 * @directory, or NULL. */
static char *
find_idx_file (const char *directory,
               const char *stem,
               const char *kind)
{
  const char *patterns[] = { "%s-%s-ubyte.gz", "%s-%s-ubyte", "%s-%s.gz", "%s-%s" };

  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_autofree char *base = NULL;
      g_autofree char *path = NULL;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      base = g_strdup_printf (patterns[i], stem, kind);
#pragma GCC diagnostic pop
      path = g_build_filename (directory, base, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  return NULL;
}

static BasinDataset *
load_idx_split (const char   *directory,
                const char   *stem,
                GCancellable *cancellable,
                GError      **error)
{
  g_autofree char *images = find_idx_file (directory, stem, "images-idx3");
  g_autofree char *labels = find_idx_file (directory, stem, "labels-idx1");

  if (images == NULL || labels == NULL)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_IO,
                   _("No MNIST-format files “%s-images-idx3-ubyte[.gz]” and "
                     "“%s-labels-idx1-ubyte[.gz]” in “%s”. Choose a folder with "
                     "these files, or install the dataset-fashion-mnist package."),
                   stem, stem, directory);
      return NULL;
    }

  return basin_dataset_load_idx (images, labels, cancellable, error);
}

/**
 * basin_dataset_load_idx_dir:
 * @directory: a folder with MNIST-format files, such as %BASIN_FASHION_MNIST_DIR
 * @train_out: (out) (transfer full): the `train-*` files
 * @test_out: (out) (transfer full): the `t10k-*` files
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Loads the training and test sets of an MNIST-format folder.
 *
 * Returns: %TRUE on success
 */
gboolean
basin_dataset_load_idx_dir (const char    *directory,
                            BasinDataset **train_out,
                            BasinDataset **test_out,
                            GCancellable  *cancellable,
                            GError       **error)
{
  BasinDataset *train, *test;

  train = load_idx_split (directory, "train", cancellable, error);
  if (train == NULL)
    return FALSE;

  test = load_idx_split (directory, "t10k", cancellable, error);
  if (test == NULL)
    {
      basin_dataset_free (train);
      return FALSE;
    }

  if (train->dim != test->dim)
    {
      g_set_error (error, BASIN_ERROR, BASIN_ERROR_INVALID_DATA,
                   _("Training images in “%s” have %u pixels but test images "
                     "have %u; both must come from the same dataset."),
                   directory, train->dim, test->dim);
      basin_dataset_free (train);
      basin_dataset_free (test);
      return FALSE;
    }

  train->n_classes = test->n_classes = MAX (train->n_classes, test->n_classes);
  *train_out = train;
  *test_out = test;
  return TRUE;
}
