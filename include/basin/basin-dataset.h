/* basin-dataset.h: labelled datasets, stored compactly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * BasinDataset:
 * @name: display name
 * @n_samples: number of rows
 * @dim: number of input features per row
 * @n_classes: number of classes; labels lie in [0, @n_classes)
 * @pixels: (nullable): @n_samples × @dim bytes for image data, or %NULL
 * @pixel_scale: factor that turns a byte of @pixels into a feature value
 * @features: (nullable): @n_samples × @dim floats, row-major, or %NULL
 * @labels: @n_samples class indices
 * @image_width: width of an image in pixels, 0 for non-image data
 * @image_height: height of an image in pixels, 0 for non-image data
 *
 * Exactly one of @pixels and @features is set.  Images stay as bytes (a
 * Fashion-MNIST training set takes 47 MB instead of 188 MB) and are
 * converted to floats per batch by basin_dataset_gather().
 */
typedef struct {
  char    *name;
  guint    n_samples;
  guint    dim;
  guint    n_classes;
  guint8  *pixels;
  float    pixel_scale;
  float   *features;
  guint32 *labels;
  guint    image_width;
  guint    image_height;
} BasinDataset;

BasinDataset *basin_dataset_new_features (const char   *name,
                                          guint         n_samples,
                                          guint         dim,
                                          guint         n_classes);
BasinDataset *basin_dataset_new_pixels   (const char   *name,
                                          guint         n_samples,
                                          guint         width,
                                          guint         height,
                                          guint         n_classes);
void          basin_dataset_free         (BasinDataset *dataset);
BasinDataset *basin_dataset_subset       (const BasinDataset *dataset,
                                          const guint32      *rows,
                                          guint               n_rows);
void          basin_dataset_gather       (const BasinDataset *dataset,
                                          const guint32      *rows,
                                          guint               n_rows,
                                          float              *x_out,
                                          guint32            *y_out);
void          basin_dataset_range        (const BasinDataset *dataset,
                                          guint               first,
                                          guint               n_rows,
                                          float              *x_out,
                                          guint32            *y_out);

BasinDataset *basin_dataset_load_idx     (const char   *images_path,
                                          const char   *labels_path,
                                          GCancellable *cancellable,
                                          GError      **error);
gboolean      basin_dataset_load_idx_dir (const char    *directory,
                                          BasinDataset **train_out,
                                          BasinDataset **test_out,
                                          GCancellable  *cancellable,
                                          GError       **error);

BasinDataset *basin_dataset_new_moons    (guint         n_samples,
                                          double        noise,
                                          guint64       seed);
void          basin_dataset_split        (const BasinDataset *dataset,
                                          double              test_fraction,
                                          guint64             seed,
                                          BasinDataset      **train_out,
                                          BasinDataset      **test_out);

/* The directory where Debian's dataset-fashion-mnist package puts its files. */
#define BASIN_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

G_END_DECLS
