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
BasinDataset *basin_dataset_new_gaussian_subspace (guint   n_samples,
                                                   guint   n_classes,
                                                   guint   k,
                                                   guint   d,
                                                   double  separation,
                                                   guint64 structure_seed,
                                                   guint64 sample_seed);
BasinDataset *basin_dataset_new_circles  (guint         n_samples,
                                          double        noise,
                                          guint64       seed,
                                          double        inner_radius);
BasinDataset *basin_dataset_new_spirals  (guint         n_samples,
                                          double        noise,
                                          guint64       seed,
                                          double        turns);
BasinDataset *basin_dataset_new_xor      (guint         n_samples,
                                          double        noise,
                                          guint64       seed);
BasinDataset *basin_dataset_new_blobs    (guint         n_samples,
                                          double        noise,
                                          guint64       seed,
                                          guint         n_classes);
void          basin_dataset_split        (const BasinDataset *dataset,
                                          double              test_fraction,
                                          guint64             seed,
                                          BasinDataset      **train_out,
                                          BasinDataset      **test_out);

/* The largest number of classes basin_dataset_new_blobs() generates. */
#define BASIN_BLOBS_MAX_CLASSES 64

/**
 * BasinCsvHeader:
 * @BASIN_CSV_HEADER_AUTO: the first row is a header if one of its feature
 *   cells is not a number
 * @BASIN_CSV_HEADER_PRESENT: the first row is a header
 * @BASIN_CSV_HEADER_ABSENT: every row is data
 */
typedef enum {
  BASIN_CSV_HEADER_AUTO,
  BASIN_CSV_HEADER_PRESENT,
  BASIN_CSV_HEADER_ABSENT,
} BasinCsvHeader;

/**
 * BasinCsvInfo:
 * @n_features: number of feature columns
 * @feature_names: (array zero-terminated=1): the @n_features feature
 *   column names, from the header or "column N" without one
 * @label_name: name of the label column, the same way
 * @n_classes: number of classes
 * @class_names: (array zero-terminated=1): the @n_classes class names;
 *   class i is called @class_names[i]
 * @integer_labels: %TRUE if the labels were non-negative integers used as
 *   class indices, %FALSE if distinct strings were mapped to classes in
 *   sorted order
 * @has_header: whether the first row was a header
 * @delimiter: the field delimiter: ',', ';' or '\t'
 * @mean: (nullable): per-feature mean subtracted by standardization, or
 *   %NULL if the features were not standardized
 * @std: (nullable): per-feature standard deviation the features were
 *   divided by, or %NULL
 *
 * What basin_dataset_load_csv() found in a file.  Pass it as
 * #BasinCsvOptions.reference to load a test file the same way.
 */
typedef struct {
  guint     n_features;
  char    **feature_names;
  char     *label_name;
  guint     n_classes;
  char    **class_names;
  gboolean  integer_labels;
  gboolean  has_header;
  char      delimiter;
  float    *mean;
  float    *std;
} BasinCsvInfo;

/**
 * BasinCsvOptions:
 * @label_name: (nullable): name of the label column in the header
 * @label_column: 1-based number of the label column, used when
 *   @label_name is %NULL; 0 means the last column
 * @delimiter: ',', ';' or '\t', or 0 to detect it
 * @header: whether the first row names the columns
 * @standardize: scale each feature to zero mean and unit standard
 *   deviation over the loaded rows
 * @reference: (nullable): the #BasinCsvInfo of a training file.  The file
 *   must then have the same feature columns, its labels are mapped to the
 *   reference's classes, and the reference's mean and standard deviation
 *   are applied if it has them, regardless of @standardize.
 *
 * Settings of basin_dataset_load_csv().  A zero-filled struct gives the
 * defaults: the label in the last column, detected delimiter and header,
 * no standardization.
 */
typedef struct {
  const char         *label_name;
  guint               label_column;
  char                delimiter;
  BasinCsvHeader      header;
  gboolean            standardize;
  const BasinCsvInfo *reference;
} BasinCsvOptions;

BasinDataset *basin_dataset_load_csv     (const char             *path,
                                          const BasinCsvOptions  *options,
                                          BasinCsvInfo          **info_out,
                                          GCancellable           *cancellable,
                                          GError                **error);
BasinCsvInfo *basin_csv_info_copy        (const BasinCsvInfo *info);
void          basin_csv_info_free        (BasinCsvInfo *info);
void          basin_dataset_feature_statistics (const BasinDataset *dataset,
                                                float              *mean_out,
                                                float              *std_out);
void          basin_dataset_standardize  (BasinDataset *dataset,
                                          const float  *mean,
                                          const float  *std);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BasinCsvInfo, basin_csv_info_free)

/* The directory where Debian's dataset-fashion-mnist package puts its files. */
#define BASIN_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

G_END_DECLS
